#!/usr/bin/env bash
# Real guests through vswd: three QEMU VMs (stock Debian kernel, virtio-net) attached over
# vhost-user the KubeVirt way (QEMU owns the sockets, vswd connects as client):
#   vm1: access port, VLAN 2003, 172.16.3.1/24
#   vm2: trunk port (allowed 2003-2004); the guest tags VLAN 2003 itself (eth0.2003), 172.16.3.2/24
#   vm3: access port, VLAN 2004, 172.16.3.3/24 (same subnet, other VLAN)
# vm2 must reach vm1 (same VLAN, tag pushed/popped by the switch) and must not reach vm3
# (another VLAN: only the upstream router could join them). Prints PASS/FAIL; exit 0 on PASS.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SHARED=$ROOT/../shared/vm
# shellcheck source=/dev/null
. "$SHARED/lib.sh"

BUILD=${VSW_BUILD:-$ROOT/build}
# shellcheck source=tests/vm/vswd.sh
. "$ROOT/tests/vm/vswd.sh"
vsw_vm_init vswvm

vmh_host_packages || exit 1
vmh_ensure_image || exit 1
vmh_hugepages_ensure 2048 || true

cat >"$TMP/vsw.json" <<JSON
{
  "dpdk": { "no_huge": true, "memory_mb": 1024, "main_cpu": 0, "file_prefix": "vswvm$$",
            "extra_eal_args": ["--no-pci", "--no-telemetry"] },
  "workers": { "cpus": [1], "idle_sleep_us": 50 },
  "control": { "socket": "$TMP/vswd.sock", "socket_dirs": ["$TMP"], "state_dir": "$TMP/state" },
  "ports": [
    { "name": "vm1", "socket": "$TMP/vm1.sock", "client": true, "vlan": 2003 },
    { "name": "vm2", "socket": "$TMP/vm2.sock", "client": true, "mode": "trunk", "allowed": "2003-2004" },
    { "name": "vm3", "socket": "$TMP/vm3.sock", "client": true, "vlan": 2004 }
  ]
}
JSON
vsw_vm_vswd

vmh_start --name vm1 --sock "$TMP/vm1.sock" --server --ip 172.16.3.1/24 --no-ipv6 --timeout 240 || exit 1
vmh_start --name vm3 --sock "$TMP/vm3.sock" --server --ip 172.16.3.3/24 --no-ipv6 --timeout 240 || exit 1
vmh_wait_ready vm1 180 || { echo "FAIL: vm1 did not boot"; exit 1; }
vmh_wait_ready vm3 180 || { echo "FAIL: vm3 did not boot"; exit 1; }

cat >"$TMP/vm2.sh" <<'GUEST'
i=0
until ping -c 1 -W 1 172.16.3.1 >/dev/null 2>&1; do
	i=$((i + 1)); [ $i -ge 30 ] && break
done
ping -c 3 -i 0.3 -W 2 172.16.3.1 && echo SAME-VLAN-OK
ping -c 3 -i 0.3 -W 1 172.16.3.3 || echo CROSS-VLAN-BLOCKED
true
GUEST
vmh_start --name vm2 --sock "$TMP/vm2.sock" --server --vlan 2003 --ip 172.16.3.2/24 --no-ipv6 \
	--script "$TMP/vm2.sh" --timeout 240 || exit 1
vmh_wait_ready vm2 180 || { echo "FAIL: vm2 did not boot"; exit 1; }
vmh_wait_done vm2 180
out=$(vmh_output vm2)
echo "$out" | sed 's/^/  vm2| /'
"$BUILD/control/cli/vswctl" -s "$TMP/vswd.sock" port list
"$BUILD/control/cli/vswctl" -s "$TMP/vswd.sock" mac show

ok=1
grep -q SAME-VLAN-OK <<<"$out" || { echo "FAIL: vm2 cannot ping vm1 in VLAN 2003"; ok=0; }
grep -q CROSS-VLAN-BLOCKED <<<"$out" || { echo "FAIL: vm2 reached vm3 across VLANs"; ok=0; }
if [ $ok = 1 ]; then
	echo "PASS: same-VLAN ping works through a trunk and an access port; cross-VLAN ping fails"
	exit 0
fi
tail -n 30 "$TMP/vswd.log"
exit 1
