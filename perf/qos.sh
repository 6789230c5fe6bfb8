#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# perf/qos.sh [--build DIR] [--seconds N] [--rate BPS] [--record]
#
# The critical class under congestion: vm2's port is shaped to --rate (default 100 Mbit/s) and
# vm1 floods it with 1000-byte best-effort frames at 2.4x the rate while sending 1000 critical
# frames/s (128 bytes, DSCP EF), for each of: vm1 trusted for DSCP (critical gets strict
# priority) and not trusted (the same stream is best-effort: the comparison). One-way latency
# of the critical frames p50/p90/p99/max, their loss, the best-effort frames' p50 and the
# best-effort rate that got through (the shaper's accuracy), from vsw_peer --congest (sender
# and receiver in one process: one TSC). A third run polices vm1 at --rate (srTCM, default
# burst) instead of shaping vm2: the policer's accuracy. tests/integration/test_qos.py only
# asserts bounds a slow machine passes; these are the figures.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=$ROOT/build SECS=5 RATE=100000000 RECORD=0
while (($#)); do
	case $1 in
	--build) BUILD=$(cd "$2" && pwd); shift 2 ;;
	--seconds) SECS=$2; shift 2 ;;
	--rate) RATE=$2; shift 2 ;;
	--record) RECORD=1; shift ;;
	*) sed -n '4,15p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
	esac
done
WORK=/tmp/vswqos
# shellcheck source=perf/lib.sh
. "$ROOT/perf/lib.sh"
mkdir -p "$WORK"
BE_PPS=$((RATE * 24 / 10 / 8000)) # 1000-byte frames at 2.4x the rate

rows=()
for kind in dscp none police; do
	trust=$kind police= shape=", \"qos_rate\": $RATE"
	[ "$kind" = police ] && trust=none police=", \"police_rate\": $RATE" shape=
	rm -f "$WORK"/*.sock
	cat >"$WORK/vswd.json" <<JSON
{"dpdk": {"no_huge": true, "memory_mb": 1024, "main_cpu": 0, "file_prefix": "vswqos",
          "extra_eal_args": ["--no-pci", "--no-telemetry"]},
 "workers": {"cpus": [1], "idle_sleep_us": 0},
 "control": {"socket": "$WORK/vswd.sock", "socket_dirs": ["$WORK"], "state_dir": "$WORK/state"},
 "ports": [
  {"name": "vm1", "socket": "$WORK/vm1.sock", "vlan": 2003, "qos_trust": "$trust"$police},
  {"name": "vm2", "socket": "$WORK/vm2.sock", "vlan": 2003$shape}]}
JSON
	"$BUILD/control/vswd" -c "$WORK/vswd.json" >"$WORK/vswd.$kind.log" 2>&1 &
	PIDS+=($!)
	for _ in $(seq 100); do [ -S "$WORK/vswd.sock" ] && break; sleep 0.1; done
	timeout $((SECS + 60)) "$BUILD/tests/tools/vsw_peer" --lcores 0@0 --no-huge -m 512 \
		--no-pci --no-telemetry --file-prefix vswqos-peer \
		--vdev "net_virtio_user0,path=$WORK/vm1.sock,server=1,queue_size=1024" \
		--vdev "net_virtio_user1,path=$WORK/vm2.sock,server=1,queue_size=1024" \
		-- --congest "seconds=$SECS,warmup=1,be_pps=$BE_PPS,be_size=1000,crit_pps=1000,crit_size=128,crit_dscp=46" \
		>"$WORK/congest.$kind.json" 2>"$WORK/peer.$kind.log"
	cleanup
	rows+=("$(python3 - "$kind" "$WORK/congest.$kind.json" "$RATE" <<'PY'
import json, sys
r = json.loads(open(sys.argv[2]).readline())
rate = int(sys.argv[3])
what = {'dscp': 'shaped, critical: strict priority', 'none': 'shaped, critical: none (best-effort)',
        'police': 'policed at ingress (srTCM), not shaped'}[sys.argv[1]]
# everything that got through, against the rate of the shaper or policer
through = r['be_rx_bps'] + r['crit_rx'] * 128 * 8 / r['seconds']
print(f"| {what} | {r['crit_rx']}/{r['crit_tx']} | {r['crit_p50_us']:.1f} | {r['crit_p90_us']:.1f} "
      f"| {r['crit_p99_us']:.1f} | {r['crit_max_us']:.1f} | {r['be_p50_us']:.1f} "
      f"| {r['be_rx_bps'] / 1e6:.2f} | {through / rate:.4f} |")
PY
)")
	echo "qos: $kind: ${rows[-1]}" >&2
done

table="| case | critical received | p50 µs | p90 µs | p99 µs | max µs | best-effort p50 µs | best-effort Mbit/s through | all through / rate |
|---|---:|---:|---:|---:|---:|---:|---:|---:|
$(printf '%s\n' "${rows[@]}")"
echo "$table"
if ((RECORD)); then
	{
		echo
		echo "## Critical class under congestion — $(date -u +%Y-%m-%d), commit $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet || echo '-dirty')"
		echo
		echo "vm2 shaped to $RATE bit/s (rte_sched); vm1 sends $BE_PPS x 1000-byte best-effort frames/s"
		echo "(2.4x the rate) and 1000 x 128-byte EF frames/s to vm2 for $SECS s; one-way latency. Policed:"
		echo "vm2 not shaped, vm1 policed at $RATE bit/s instead (burst: 10 ms at the rate)."
		echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(dpkg-query -W -f='DPDK ${Version}' dpdk 2>/dev/null)"
		echo
		echo "$table"
	} >>"$ROOT/perf/RESULTS.md"
fi
