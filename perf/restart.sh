#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Restart with real guests attached: how long two QEMU guests' traffic stops when vswd restarts.
#
#   perf/restart.sh [--build DIR] [--rounds N] [--interval S] [--spacing S]
#                   [--arp-retrans-ms MS] [--no-announce] [--record]
#
# Two guests (stock Debian kernel, virtio-net) on one access VLAN, attached over vhost-user the
# KubeVirt way (QEMU owns the sockets, vswd reconnects as the client). vm2 pings vm1 every
# --interval seconds for the whole run while the script restarts vswd --rounds times with
# SIGTERM and --rounds times with SIGKILL, alternating. For each restart it records the old
# process's exit, the new one's timeline (control show "startup": EAL up, ready; its log: when
# each guest's vhost device came up) and, polling the new vswd's counters (a vswctl call every
# ~10 ms), when its first frame reached vm2 (vm1's reply, or vm1's ARP for vm2 just before it):
# the figure to read. vm2's own count of lost replies is given
# as a total (a TCG guest's sends drift, so its gaps are not matched to single restarts).
#
# What it showed (perf/RESULTS.md): vswd is ready with both guests connected in ~0.25 s, yet
# traffic came back only ~1.03 s after the start: QEMU tells the guest the link went down when
# the old vswd's socket closed, Linux flushes its ARP entries on carrier loss, the ARP request
# for its peer sent while the link was down is lost, and the retransmit comes 1 s later
# (net.ipv4.neigh.*.retrans_time_ms; --arp-retrans-ms sets it in vm2 to show it). vswd now
# announces the ports' configured MAC/IP to a guest that reconnects (control/port/announce.c):
# ~0.29 s. --no-announce leaves the MAC/IP out of the ports' config to compare.
# The guests are never touched otherwise: the script checks they stayed up and booted once.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHARED=$ROOT/../shared/vm
# shellcheck source=/dev/null
. "$SHARED/lib.sh"

BUILD=$ROOT/build ROUNDS=3 INTERVAL=0.02 SPACING=4 RECORD=0 ARP_RETRANS= ANNOUNCE=1
while [ $# -gt 0 ]; do
	case "$1" in
	--build) BUILD=$(cd "$2" && pwd); shift ;;
	--rounds) ROUNDS=$2; shift ;;
	--interval) INTERVAL=$2; shift ;;
	--spacing) SPACING=$2; shift ;;
	--arp-retrans-ms) ARP_RETRANS=$2; shift ;;
	--no-announce) ANNOUNCE=0 ;;
	--record) RECORD=1 ;;
	-h | --help) sed -n '3,14p' "$0"; exit 0 ;;
	*) echo "unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
VSWD=$BUILD/control/vswd VSWCTL=$BUILD/control/cli/vswctl
[ -x "$VSWD" ] || { echo "no $VSWD: build first (tests/build.sh)" >&2; exit 1; }

TMP=$(mktemp -d /tmp/vswrestart.XXXXXX)
export VMH_RUN=$TMP/vmh
mkdir -p "$VMH_RUN"
VSWD_PID=

stop_vswd() {
	[ -n "$VSWD_PID" ] || return 0
	kill -TERM "$VSWD_PID" 2>/dev/null
	for _ in $(seq 100); do kill -0 "$VSWD_PID" 2>/dev/null || break; sleep 0.05; done
	kill -KILL "$VSWD_PID" 2>/dev/null
	wait "$VSWD_PID" 2>/dev/null
	VSWD_PID=
}
cleanup() {
	vmh_stop_all
	stop_vswd
	wait 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

vmh_host_packages || exit 1
vmh_ensure_image || exit 1
# The ports' MAC and address, enforced, as the CNI plugin sets them: what vswd announces to a
# guest that reconnects (control/port/announce.c). --no-announce leaves them out, to show the difference.
BIND1=', "mac": "02:00:00:00:03:01", "ips": "172.16.3.1", "spoofchk": true, "ip_spoofchk": true'
BIND2=', "mac": "02:00:00:00:03:02", "ips": "172.16.3.2", "spoofchk": true, "ip_spoofchk": true'
[ "$ANNOUNCE" = 1 ] || BIND1= BIND2=

# vswd runs on hugepages as in production (2 x 512 MiB guests + vswd's 256 MiB cap); --no-huge
# only if the pool cannot hold it, and the figures then say so.
NO_HUGE=false
vmh_hugepages_ensure 1024 || exit 1
[ "$(vmh_hugepages_free_mb)" -ge 1280 ] || NO_HUGE=true

cat >"$TMP/vsw.json" <<JSON
{
  "dpdk": { "no_huge": $NO_HUGE, "memory_mb": 256, "main_cpu": 0, "file_prefix": "vswrs$$",
            "extra_eal_args": ["--no-pci", "--no-telemetry"] },
  "workers": { "cpus": [1], "idle_sleep_us": 50 },
  "control": { "socket": "$TMP/vswd.sock", "socket_dirs": ["$TMP"], "state_dir": "$TMP/state" },
  "ports": [
    { "name": "vm1", "socket": "$TMP/vm1.sock", "client": true, "vlan": 2003$BIND1 },
    { "name": "vm2", "socket": "$TMP/vm2.sock", "client": true, "vlan": 2003$BIND2 }
  ]
}
JSON

now() { date +%s.%N; }
ms_between() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%d", (b - a) * 1000}'; }

N_START=0
start_vswd() {	# a new vswd; its log is vswd.N.log
	N_START=$((N_START + 1))
	LOG=$TMP/vswd.$N_START.log
	rm -f "$TMP/vswd.sock"
	"$VSWD" -c "$TMP/vsw.json" >"$LOG" 2>&1 &
	VSWD_PID=$!
}
wait_connected() {	# both guests' vhost devices up in the current vswd, or time out (10 s)
	for _ in $(seq 1000); do
		[ "$(grep -c 'connected (device' "$LOG")" -ge 2 ] && return 0
		sleep 0.01
	done
	return 1
}
wait_traffic() {	# the first frame the new vswd delivers to vm2 (vm1's reply or its ARP for vm2)
	for _ in $(seq 2000); do
		"$VSWCTL" -s "$TMP/vswd.sock" --json port show vm2 2>/dev/null |
			grep -q '"tx_packets": [1-9]' && return 0
		sleep 0.005
	done
	return 1
}

start_vswd
for _ in $(seq 100); do [ -S "$TMP/vswd.sock" ] && break; sleep 0.1; done
[ -S "$TMP/vswd.sock" ] || { echo "FAIL: vswd did not start"; cat "$LOG"; exit 1; }

vmh_start --name vm1 --sock "$TMP/vm1.sock" --mac 02:00:00:00:03:01 --server --ip 172.16.3.1/24 --no-ipv6 --timeout 300 || exit 1
vmh_wait_ready vm1 180 || { echo "FAIL: vm1 did not boot"; exit 1; }

# pings for the whole run: 2 s settle, each restart's spacing plus up to 3 s of outage and
# polling, 10 s to spare; the guest's ping ends after its count whatever the host does
COUNT=$(awk -v r="$ROUNDS" -v s="$SPACING" -v i="$INTERVAL" 'BEGIN{printf "%d", (2 + 2 * r * (s + 3) + 10) / i}')
cat >"$TMP/vm2.sh" <<GUEST
i=0
until ping -c 1 -W 1 172.16.3.1 >/dev/null 2>&1; do
	i=\$((i + 1)); [ \$i -ge 30 ] && break
done
${ARP_RETRANS:+echo $ARP_RETRANS >/proc/sys/net/ipv4/neigh/eth0/retrans_time_ms}
echo PING-START
ping -i $INTERVAL -c $COUNT -W 2 172.16.3.1
echo PING-END
GUEST
vmh_start --name vm2 --sock "$TMP/vm2.sock" --mac 02:00:00:00:03:02 --server --ip 172.16.3.2/24 --no-ipv6 \
	--script "$TMP/vm2.sh" --timeout 300 || exit 1
vmh_wait_ready vm2 180 || { echo "FAIL: vm2 did not boot"; exit 1; }
for _ in $(seq 600); do grep -aq '^PING-START' "$VMH_RUN/vm2.log" && break; sleep 0.1; done
grep -aq '^PING-START' "$VMH_RUN/vm2.log" || { echo "FAIL: vm2 never reached vm1"; exit 1; }
t_ping=$(now)	# seq 0 went out within 0.1 s of this
sleep 2

# one line per restart: signal, old-exit ms, then the new process's timeline
: >"$TMP/restarts"
for r in $(seq $((2 * ROUNDS))); do
	sig=TERM
	[ $((r % 2)) = 0 ] && sig=KILL
	t_sig=$(now)
	kill -"$sig" "$VSWD_PID"
	wait "$VSWD_PID" 2>/dev/null
	t_exit=$(now)
	start_vswd
	if ! wait_traffic; then
		echo "FAIL: restart $r ($sig): no traffic through the new vswd in 10 s"
		tail -n 20 "$LOG"
		exit 1
	fi
	t_traffic=$(now)
	wait_connected || { echo "FAIL: restart $r ($sig): no vhost connect lines"; exit 1; }
	startup=$("$VSWCTL" -s "$TMP/vswd.sock" --json control show |
		python3 -c 'import json,sys; s=json.load(sys.stdin)["startup"]; print(s["eal_init_ms"], s["ready_ms"])')
	[ -n "$startup" ] || { echo "FAIL: restart $r ($sig): no control show startup"; exit 1; }
	vhost=$(grep -o 'connected (device [0-9]*, [0-9]* vrings, [0-9]* ms after start' "$LOG" |
		awk '{print $(NF-3)}' | sort -n | tail -1)
	# signal, old exit, EAL, ready, vhost up, traffic back (ms); where the signal fell in the ping run
	echo "$sig $(ms_between "$t_sig" "$t_exit") $startup $vhost $(ms_between "$t_exit" "$t_traffic")" \
		"$(ms_between "$t_ping" "$t_sig")" >>"$TMP/restarts"
	sleep "$SPACING"
done

vmh_wait_done vm2 $((COUNT / 10 + 120)) || { echo "FAIL: vm2's ping did not finish"; exit 1; }
vmh_output vm2 >"$TMP/ping.out"
booted=$(grep -ac '^GUEST-READY' "$VMH_RUN/vm1.log")
vmh_alive vm1 || { echo "FAIL: vm1 died during the restarts"; exit 1; }
[ "$booted" = 1 ] || { echo "FAIL: vm1 booted $booted times"; exit 1; }

python3 - "$TMP/restarts" "$TMP/ping.out" "$INTERVAL" "$COUNT" "$RECORD" \
	"$ROOT/perf/RESULTS.md" "$(git -C "$ROOT" rev-parse --short HEAD)" \
	"$(git -C "$ROOT" status --porcelain -- control dataplane include | grep -q . && echo yes || echo no)" \
	"$NO_HUGE" "${ARP_RETRANS:-1000 (guest default)}" "$ANNOUNCE" <<'PY'
import re, sys, time
restarts_f, ping_f, interval, count, record, results, commit, dirty, no_huge, arp, announce = \
    sys.argv[1:]
interval, count = float(interval), int(count)
restarts = [l.split() for l in open(restarts_f) if l.strip()]
seqs = sorted({int(m.group(1)) for m in re.finditer(r"seq=(\d+)", open(ping_f).read())})
rows = []
for r in restarts:
    sig, exit_ms, eal_ms, ready_ms, vhost_ms, back_ms = r[0], *map(int, r[1:6])
    rows.append((sig, exit_ms, eal_ms, ready_ms, vhost_ms, back_ms))
hdr = ("| signal | old vswd exit ms | new vswd: EAL up ms | ready ms | both vhost up ms | "
       "first frame to vm2 ms |")
lines = [hdr, "|---|---:|---:|---:|---:|---:|"]
for r in rows:
    lines.append("| " + " | ".join("n/a" if v is None else str(v) for v in r) + " |")
summary = []
for sig in ("TERM", "KILL"):
    b = sorted(r[5] for r in rows if r[0] == sig)
    if b:
        summary.append(f"SIG{sig}: traffic back {b[len(b) // 2]} ms (median; {b[0]}-{b[-1]}) after "
                       "the new vswd was started")
lost = count - len(seqs)
summary.append(f"vm2 got {len(seqs)}/{count} replies at {interval * 1000:.0f} ms "
               f"({lost * interval * 1000 / max(len(rows), 1):.0f} ms of replies lost per restart); "
               f"vswd memory: {'no_huge (memfd)' if no_huge == 'true' else 'hugepages'}; "
               f"guest ARP retransmit: {arp} ms; ports' MAC and IP configured (vswd announces "
               f"them to a reconnecting guest): {'yes' if announce == '1' else 'no'}")
out = "\n".join(lines + [""] + summary)
print(out)
if record == "1":
    with open(results, "a") as f:
        f.write(f"\n## Restart with guests attached — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
                f", {commit}{' (dirty)' if dirty == 'yes' else ''}\n\n"
                "perf/restart.sh: two QEMU guests (TCG) on one access VLAN, QEMU vhost-user server, "
                f"vswd client; vm2 pings vm1 every {interval * 1000:.0f} ms. Times in ms; 'first "
                "frame' is from the new vswd's exec to its first frame delivered to vm2.\n\n"
                + out + "\n")
PY
