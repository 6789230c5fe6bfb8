#!/bin/bash
# Installs what is needed, builds, starts vswd on the default config (conf/vsw.json) and shows
# it carrying traffic between virtio-user "VMs" and the uplink trunk. Then stops it, unless
# --keep is given (then it keeps running; stop it with: kill $(cat /run/vsw/vswd.pid)).
set -euo pipefail
cd "$(dirname "$0")/.."
CONF=${VSW_CONF:-conf/vsw.json}
tests/deps.sh
tests/build.sh >/dev/null
mkdir -p /run/vsw
build/control/vswd -c "$CONF" >/run/vsw/vswd.log 2>&1 &
VSWD=$!
echo $VSWD >/run/vsw/vswd.pid
stop() { kill -TERM $VSWD 2>/dev/null && wait $VSWD; rm -f /run/vsw/vswd.pid; }
[ "${1:-}" = --keep ] || trap stop EXIT
for _ in $(seq 100); do [ -S /run/vsw/vswd.sock ] && break; sleep 0.1; done
echo "vswd running (pid $VSWD, log /run/vsw/vswd.log), config $CONF"
python3 tests/demo.py "$CONF"
echo
build/control/cli/vswctl port list
echo
build/control/cli/vswctl vlan list
echo
build/control/cli/vswctl mac show
