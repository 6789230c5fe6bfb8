#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# perf/latency.sh [--build DIR] [--count N] [--interval-us N] [--record]
#
# What the idle back-off costs: one-way latency of a sparse flow (one 60-byte frame every
# --interval-us, default 1000) from vm1 to vm2 through vswd, for workers.idle_sleep_us = 0
# (pure polling), 20, 50 (the default) and 200. Between two frames the worker is idle, so with
# a back-off it is asleep (RCU-offline) when the frame arrives. The sender and receiver are
# the same vsw_peer process (CPU 0), so both timestamps come from one TSC.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=$ROOT/build COUNT=3000 INTERVAL=1000 RECORD=0
while (($#)); do
	case $1 in
	--build) BUILD=$(cd "$2" && pwd); shift 2 ;;
	--count) COUNT=$2; shift 2 ;;
	--interval-us) INTERVAL=$2; shift 2 ;;
	--record) RECORD=1; shift ;;
	*) sed -n '4,11p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
	esac
done
WORK=/tmp/vswlat
# shellcheck source=perf/lib.sh
. "$ROOT/perf/lib.sh"
mkdir -p "$WORK"

# worker_cpu_pct PID SECONDS: % of one CPU the worker lcore thread used over SECONDS.
worker_cpu_pct() {
	python3 - "$1" "$2" <<'PY'
import glob, os, sys, time
pid, secs = sys.argv[1], float(sys.argv[2])
def ticks():
    for t in glob.glob(f'/proc/{pid}/task/*'):
        try:
            if open(t + '/comm').read().startswith(('rte-worker', 'lcore-worker')):
                f = open(t + '/stat').read().rsplit(')', 1)[1].split()
                return int(f[11]) + int(f[12])
        except OSError:
            pass
    return 0
a = ticks(); time.sleep(secs); b = ticks()
print(f'{(b - a) * 100.0 / os.sysconf("SC_CLK_TCK") / secs:.0f}')
PY
}

rows=()
for sleep_us in 0 20 50 200; do
	rm -f "$WORK"/*.sock
	cat >"$WORK/vswd.json" <<JSON
{"dpdk": {"no_huge": true, "memory_mb": 1024, "main_cpu": 0, "file_prefix": "vswlat",
          "extra_eal_args": ["--no-pci", "--no-telemetry"]},
 "workers": {"cpus": [1], "idle_sleep_us": $sleep_us},
 "control": {"socket": "$WORK/vswd.sock", "socket_dirs": ["$WORK"], "state_dir": "$WORK/state"},
 "ports": [
  {"name": "vm1", "socket": "$WORK/vm1.sock", "vlan": 2003},
  {"name": "vm2", "socket": "$WORK/vm2.sock", "vlan": 2003}]}
JSON
	"$BUILD/control/vswd" -c "$WORK/vswd.json" >"$WORK/vswd.$sleep_us.log" 2>&1 &
	PIDS+=($!)
	VSWD=$!
	for _ in $(seq 100); do [ -S "$WORK/vswd.sock" ] && break; sleep 0.1; done
	# the worker's CPU use with no traffic at all: what an idle node pays
	idle_cpu=$(worker_cpu_pct "$VSWD" 2)
	timeout 120 "$BUILD/tests/tools/vsw_peer" --lcores 0@0 --no-huge -m 512 --no-pci \
		--no-telemetry --file-prefix vswlat-peer \
		--vdev "net_virtio_user0,path=$WORK/vm1.sock,server=1,queue_size=1024" \
		--vdev "net_virtio_user1,path=$WORK/vm2.sock,server=1,queue_size=1024" \
		-- --latency "tx=0,rx=1,count=$COUNT,interval_us=$INTERVAL" \
		>"$WORK/lat.$sleep_us.json" 2>"$WORK/peer.$sleep_us.log"
	sleeps=$("$BUILD/control/cli/vswctl" -s "$WORK/vswd.sock" --json stats |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["workers"][0]["sleeps"])')
	cleanup
	rows+=("$(python3 - "$sleep_us" "$sleeps" "$WORK/lat.$sleep_us.json" "$idle_cpu" <<'PY'
import json, sys
r = json.loads(open(sys.argv[3]).readline())
print(f"| {sys.argv[1]} | {r['received']}/{r['count']} | {r['p50_us']:.1f} | {r['p90_us']:.1f} "
      f"| {r['p99_us']:.1f} | {r['max_us']:.1f} | {sys.argv[2]} | {sys.argv[4]}% |")
PY
)")
	echo "latency: idle_sleep_us=$sleep_us: ${rows[-1]}" >&2
done

table="| idle_sleep_us | received | p50 µs | p90 µs | p99 µs | max µs | worker sleeps | idle worker CPU |
|---:|---:|---:|---:|---:|---:|---:|---:|
$(printf '%s\n' "${rows[@]}")"
echo "$table"
if ((RECORD)); then
	{
		echo
		echo "## Idle back-off latency — $(date -u +%Y-%m-%d), commit $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet || echo '-dirty')"
		echo
		echo "One 60-byte frame every ${INTERVAL} µs vm1 -> vm2 (same VLAN), $COUNT frames, one-way."
		echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(dpkg-query -W -f='DPDK ${Version}' dpdk 2>/dev/null)"
		echo
		echo "$table"
	} >>"$ROOT/perf/RESULTS.md"
fi
