#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# perf/bench.sh [--build DIR] [--seconds N] [--repeat N] [--police BPS | --qos BPS | --policy N]
#                [--sizes "64 1518"] [--flows "1 1000"] [--record]
#
# Forwarding throughput of vswd between two vhost-user VM ports, next to the same measurement
# with dpdk-testpmd io-forwarding between two vhost-user sockets (the ceiling: no switching
# work at all). Both run on the same machine in the same run, so the ratio vswd/testpmd is
# comparable across machines even when the absolute Mpps are not. With --police BPS each
# repetition also runs vswd with an ingress policer of BPS bits/s on the generator's port (set
# high, it drops nothing and measures what metering costs); with --qos BPS, with an egress
# scheduler (rte_sched) of BPS bits/s on the sink's port (set high, it shapes nothing and
# measures what the scheduler costs); with --policy N, with a MultiNetworkPolicy of N ingress
# rules on the sink's port, the one that allows the generator's traffic last, and conntrack on
# (what policy costs). See perf/README.md.
#
# Layout on the 2 CPUs: the switch's worker on CPU 1, its main/control thread on CPU 0, and
# vsw_peer (generator on port 0 = vm1, sink on port 1 = vm2, one lcore) on CPU 0.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=$ROOT/build
SECS=5
REPEAT=3 # the machine is noisy: one run can be off by 2x, so report a median
WARMUP=1
RECORD=0
POLICE=0
QOS=0
POLICY=0
SIZES=(64 1518)
FLOWS=(1 1000)
WORK=/tmp/vswbench # the socket paths in the vswd config below live here
TESTPMD=${TESTPMD:-dpdk-testpmd}
START_TIMEOUT=30 # seconds for a switch or peer to come up
QUIET_BUDGET=120 # seconds, in all, to wait for other load to go away before runs
MIN_SHARE=0.9    # a run whose generator or worker got less of its CPU was disturbed

usage() {
	sed -n '4,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
	echo "Env: TESTPMD (default dpdk-testpmd). Needs root (vhost-user, DPDK)."
}

while (($#)); do
	case $1 in
	--build) BUILD=$(cd "${2:?--build needs a directory}" && pwd); shift 2 ;;
	--seconds) SECS=${2:?--seconds needs a number}; shift 2 ;;
	--repeat) REPEAT=${2:?--repeat needs a number}; shift 2 ;;
	--record) RECORD=1; shift ;;
	--police) POLICE=${2:?--police needs bits/s}; shift 2 ;;
	--qos) QOS=${2:?--qos needs bits/s}; shift 2 ;;
	--policy) POLICY=${2:?--policy needs a rule count}; shift 2 ;;
	--sizes) read -ra SIZES <<<"${2:?--sizes needs sizes}"; shift 2 ;;
	--flows) read -ra FLOWS <<<"${2:?--flows needs counts}"; shift 2 ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
done
[[ $SECS =~ ^[0-9]+$ && $SECS -ge 1 ]] || { echo "bench: --seconds must be >= 1" >&2; exit 2; }
[[ $REPEAT =~ ^[0-9]+$ && $REPEAT -ge 1 ]] || { echo "bench: --repeat must be >= 1" >&2; exit 2; }

PEER=$BUILD/tests/tools/vsw_peer
VSWD=$BUILD/control/vswd
VSWCTL=$BUILD/control/cli/vswctl
[[ -x $PEER ]] || { echo "bench: $PEER not built (ninja -C $BUILD)" >&2; exit 1; }
command -v "$TESTPMD" >/dev/null || { echo "bench: $TESTPMD not found" >&2; exit 1; }

# ------------------------------------------------------------------ process bookkeeping

PIDS=()
TP_FD=

# Stop one process we started: TERM, up to 5 s, then KILL. Never by name.
stop_pid() {
	local pid=$1 i
	kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
	kill -TERM "$pid" 2>/dev/null || true
	for ((i = 0; i < 50; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		echo "bench: pid $pid ignored SIGTERM, killing" >&2
		kill -KILL "$pid" 2>/dev/null || true
	fi
	wait "$pid" 2>/dev/null || true
}

cleanup() {
	local pid
	for pid in "${PIDS[@]}"; do
		stop_pid "$pid"
	done
	PIDS=()
	if [[ -n $TP_FD ]]; then
		exec {TP_FD}>&-
		TP_FD=
	fi
	rm -f "$WORK"/*.sock "$WORK"/tp.in
}
trap cleanup EXIT
trap 'echo "bench: interrupted" >&2; exit 130' INT TERM

# Wait until "$@" succeeds, at most $1 seconds; returns 1 on timeout.
wait_for() {
	local timeout=$1 t0=$SECONDS
	shift
	until "$@"; do
		((SECONDS - t0 < timeout)) || return 1
		sleep 0.2
	done
}

alive() { kill -0 "$1" 2>/dev/null; }

die() {
	echo "bench: $*" >&2
	exit 1
}

# Wait for pid to exit by itself within $2 seconds; returns its exit status, 124 on timeout.
wait_exit() {
	local pid=$1 timeout=$2 rc=0
	if ! wait_for "$timeout" eval "! kill -0 $pid 2>/dev/null"; then
		stop_pid "$pid"
		return 124
	fi
	wait "$pid" || rc=$?
	return "$rc"
}

# ------------------------------------------------------------------ the pieces

# The machine may be shared (other people's tests busy-poll too): a switch worker or generator
# that did not get its whole CPU gives a meaningless number. threads_cpu PID prints the uptime and
# every thread's CPU seconds; cpu_share FILE PID prints the largest share of a CPU any thread of
# PID got since that snapshot, i.e. the busy-polling worker's.
threads_cpu() {
	python3 - "$1" <<'EOF'
import os, sys
hz = os.sysconf('SC_CLK_TCK')
print(open('/proc/uptime').read().split()[0])
try:
    tids = os.listdir(f'/proc/{sys.argv[1]}/task')
except OSError:
    tids = []  # exited: the caller finds out on its own
for tid in tids:
    try:
        f = open(f'/proc/{sys.argv[1]}/task/{tid}/stat').read().rsplit(')', 1)[1].split()
    except OSError:
        continue
    print(tid, (int(f[11]) + int(f[12])) / hz)
EOF
}

cpu_share() {
	python3 - "$1" <(threads_cpu "$2") <<'EOF'
import sys
def load(path):
    lines = open(path).read().split('\n')
    return float(lines[0]), dict(l.split() for l in lines[1:] if l)
t0, a = load(sys.argv[1])
t1, b = load(sys.argv[2])
used = max((float(v) - float(a.get(k, 0)) for k, v in b.items()), default=0)
print('%.3f' % (used / (t1 - t0) if t1 > t0 else 0))
EOF
}

# Waits until the machine is at least 90% idle over one second, so a run does not start on top of
# someone else's; warns if it does not get quiet. All waits together spend at most QUIET_BUDGET
# seconds, so a busy machine makes the bench noisy rather than endless.
wait_quiet() {
	local t0=$SECONDS a b busy
	while :; do
		read -r -a a </proc/stat
		sleep 1
		read -r -a b </proc/stat
		local total=0 idle=$((b[4] + b[5] - a[4] - a[5])) i
		for ((i = 1; i <= 8; i++)); do total=$((total + b[i] - a[i])); done
		busy=$((total > 0 ? 100 * (total - idle) / total : 0))
		if ((busy <= 10)); then
			QUIET_BUDGET=$((QUIET_BUDGET - (SECONDS - t0)))
			return 0
		fi
		if ((SECONDS - t0 >= QUIET_BUDGET)); then
			echo "bench: still ${busy}% busy with other work; measuring anyway" >&2
			QUIET_BUDGET=0
			return 0
		fi
	done
}

# Start vsw_peer in bench mode as the server of both sockets (as QEMU is in KubeVirt).
start_peer() {
	local size=$1 flows=$2 tag=$3 switch=$4
	threads_cpu "$switch" >"$WORK/$tag.cpu"
	"$PEER" --lcores 0@0 --no-huge -m 512 --no-pci --no-telemetry --file-prefix vswbench-peer \
		--vdev "net_virtio_user0,path=$WORK/vm1.sock,server=1,queues=1,queue_size=1024" \
		--vdev "net_virtio_user1,path=$WORK/vm2.sock,server=1,queues=1,queue_size=1024" \
		-- --bench "tx=0,rx=1,size=$size,flows=$flows,seconds=$SECS,warmup=$WARMUP" \
		>"$WORK/$tag.json" 2>"$WORK/$tag.peer.log" &
	PEER_PID=$!
	PIDS+=("$PEER_PID")
}

# Run the peer to completion and append "switch size flows rREP mpps generator_share
# worker_share" to the results. (No $(...) around anything that starts or waits for processes:
# a subshell can neither wait for them nor clean them up.)
finish_peer() {
	local tag=$1 switch=$2 rc=0 worker mpps
	wait_exit "$PEER_PID" $((START_TIMEOUT + WARMUP + SECS + 10)) || rc=$?
	worker=$(cpu_share "$WORK/$tag.cpu" "$switch")
	((rc == 0)) || die "$tag: vsw_peer failed ($rc); see $WORK/$tag.peer.log:
$(tail -5 "$WORK/$tag.peer.log")"
	mpps=$(python3 -c 'import json,sys; r = json.loads(sys.stdin.readline())
print("%.3f %.3f" % (r["rx_mpps"], r["cpu_share"]))' <"$WORK/$tag.json") ||
		die "$tag: no result in $WORK/$tag.json"
	echo "${tag//-/ } $mpps $worker" >>"$WORK/results.txt"
	echo "bench: $tag: ${mpps%% *} Mpps (CPU share: generator ${mpps#* }, worker $worker)" >&2
}

run_testpmd() {
	local size=$1 flows=$2 tag=testpmd-$1-$2-r$3 rc=0
	rm -f "$WORK"/*.sock "$WORK/tp.in"
	# testpmd without -i exits when its stdin reaches EOF: hold a fifo open, write to stop it.
	mkfifo "$WORK/tp.in"
	exec {TP_FD}<>"$WORK/tp.in"
	# Line-buffered, or "Press enter to exit" stays in the stdio buffer and we never see it.
	stdbuf -oL "$TESTPMD" --lcores 0@0,1@1 --no-huge -m 1024 --no-pci --no-telemetry \
		--file-prefix vswbench-tp \
		--vdev "net_vhost0,iface=$WORK/vm1.sock,queues=1,client=1" \
		--vdev "net_vhost1,iface=$WORK/vm2.sock,queues=1,client=1" \
		-- --forward-mode=io --auto-start --nb-cores=1 --total-num-mbufs=16384 \
		<&"$TP_FD" >"$WORK/$tag.switch.log" 2>&1 &
	local tp=$!
	PIDS+=("$tp")
	wait_for "$START_TIMEOUT" grep -qs "Press enter to exit" "$WORK/$tag.switch.log" ||
		die "$tag: testpmd did not start; see $WORK/$tag.switch.log"
	start_peer "$size" "$flows" "$tag" "$tp"
	finish_peer "$tag" "$tp"
	echo >&"$TP_FD" # testpmd prints its statistics and exits
	wait_exit "$tp" 10 || rc=$?
	((rc == 0 || rc == 124)) || echo "bench: $tag: testpmd exited with $rc" >&2
	exec {TP_FD}>&-
	TP_FD=
	PIDS=()
}

# vswd config: two access ports in VLAN 2003, vhost-user clients, busy-polling worker on CPU 1.
# The MTU lets the largest frame size through (sizes exclude the FCS, so 1518 needs 1504).
write_config() {
	local mtu=$1 police= qos= np1= np2= pol=
	((${2:-0} == 0)) || police=", \"police_rate\": $2"
	((${3:-0} == 0)) || qos=", \"qos_rate\": $3"
	if ((${4:-0} > 0)); then
		np1=', "namespace": "bench", "labels": "role=gen", "ips": "198.18.0.1"'
		np2=', "namespace": "bench", "labels": "role=sink", "ips": "198.18.0.2"'
		pol=", \"networks\": [{\"name\": \"vlan2003\", \"vlan\": 2003}],
 \"policies\": [$(policy_json "$4")]"
	fi
	cat >"$WORK/vswd.json" <<EOF
{"dpdk": {"no_huge": true, "memory_mb": 1024, "main_cpu": 0, "file_prefix": "vswbench",
          "extra_eal_args": ["--no-pci"]},
 "workers": {"cpus": [1], "idle_sleep_us": 0, "burst": 32},
 "control": {"socket": "$WORK/vswd.sock", "socket_perm": "0660", "socket_dirs": ["$WORK"],
             "state_dir": "$WORK/state"},
 "fdb": {"size": 65536, "aging_s": 300},
 "ports": [
  {"name": "vm1", "type": "vhost-user", "socket": "$WORK/vm1.sock", "client": true,
   "queues": 1, "mode": "access", "vlan": 2003, "mtu": $mtu$police$np1},
  {"name": "vm2", "type": "vhost-user", "socket": "$WORK/vm2.sock", "client": true,
   "queues": 1, "mode": "access", "vlan": 2003, "mtu": $mtu$qos$np2}
 ]$pol}
EOF
}

# A MultiNetworkPolicy selecting vm2 with N ingress rules: N-1 that never match (one /32 and one
# UDP port each) and, last, the one that allows the generator (198.18.0.0/15, UDP 1024).
policy_json() {
	python3 - "$1" <<'PY'
import json, sys
n = int(sys.argv[1])
rules = [{'from': [{'ipBlock': {'cidr': '10.%d.%d.%d/32' % (i >> 16 & 255, i >> 8 & 255, i & 255)}}],
          'ports': [{'protocol': 'UDP', 'port': 2000 + i % 1000}]} for i in range(n - 1)]
rules.append({'from': [{'ipBlock': {'cidr': '198.18.0.0/15'}}],
              'ports': [{'protocol': 'UDP', 'port': 1024}]})
print(json.dumps({'apiVersion': 'k8s.cni.cncf.io/v1beta1', 'kind': 'MultiNetworkPolicy',
                  'metadata': {'name': 'bench', 'namespace': 'bench',
                               'annotations': {'k8s.v1.cni.cncf.io/policy-for': 'vlan2003'}},
                  'spec': {'podSelector': {'matchLabels': {'role': 'sink'}},
                           'policyTypes': ['Ingress'], 'ingress': rules}}))
PY
}

# True once vswctl shows vm1 and vm2 with link up.
vswd_links_up() {
	"$VSWCTL" -s "$WORK/vswd.sock" --json port.list 2>/dev/null | python3 -c '
import json, sys
doc = json.load(sys.stdin)
res = doc.get("result", doc) if isinstance(doc, dict) else doc
ports = res.get("ports", []) if isinstance(res, dict) else res
up = {p.get("name") for p in ports if p.get("link") in ("up", True)}
sys.exit(0 if {"vm1", "vm2"} <= up else 1)'
}

run_vswd() {
	local size=$1 flows=$2 tag=${4:-vswd}-$1-$2-r$3 vswd
	rm -f "$WORK"/*.sock
	"$VSWD" -c "$WORK/vswd.json" >"$WORK/$tag.switch.log" 2>&1 &
	vswd=$!
	PIDS+=("$vswd")
	wait_for "$START_TIMEOUT" test -S "$WORK/vswd.sock" ||
		die "$tag: vswd made no control socket; see $WORK/$tag.switch.log:
$(tail -5 "$WORK/$tag.switch.log")"
	alive "$vswd" || die "$tag: vswd exited; see $WORK/$tag.switch.log"
	start_peer "$size" "$flows" "$tag" "$vswd"
	# The peer starts its warmup as soon as its own links are up; this only checks that vswd
	# sees the same, and fails the run early if it does not.
	if [[ -x $VSWCTL ]]; then
		wait_for "$START_TIMEOUT" vswd_links_up ||
			die "$tag: vswctl never showed vm1 and vm2 up; see $WORK/$tag.switch.log"
	else
		sleep 1
	fi
	finish_peer "$tag" "$vswd"
	alive "$vswd" || die "$tag: vswd died during the run; see $WORK/$tag.switch.log"
	# a -Dstage_cycles build counts each stage's cycles: kept for the stage table
	[[ ! -x $VSWCTL ]] || "$VSWCTL" -s "$WORK/vswd.sock" --json stats >"$WORK/$tag.stats.json" \
		2>/dev/null || true
	stop_pid "$vswd"
	PIDS=()
}

# ------------------------------------------------------------------ main

mkdir -p "$WORK"
rm -f "$WORK"/*.json "$WORK"/*.log "$WORK"/*.cpu
max_size=0
for s in "${SIZES[@]}"; do ((s > max_size)) && max_size=$s; done
mtu=$((max_size - 14 > 1500 ? max_size - 14 : 1500))
write_config "$mtu"

(((POLICE > 0) + (QOS > 0) + (POLICY > 0) <= 1)) || die "--police, --qos, --policy: one at a time"
EXTRA=police
((QOS == 0)) || EXTRA=qos
((POLICY == 0)) || EXTRA=policy
HAVE_VSWD=1
if [[ ! -x $VSWD ]]; then
	HAVE_VSWD=0
	echo "bench: $VSWD not built: measuring the testpmd baseline only" >&2
fi

# Interleaved: each repetition runs testpmd and vswd back to back on the same case, so slow drift
# of the machine hits both alike.
: >"$WORK/results.txt"
for ((rep = 1; rep <= REPEAT; rep++)); do
	for size in "${SIZES[@]}"; do
		for flows in "${FLOWS[@]}"; do
			echo "bench: [$rep/$REPEAT] testpmd size=$size flows=$flows" >&2
			wait_quiet
			run_testpmd "$size" "$flows" "$rep"
			if ((HAVE_VSWD)); then
				echo "bench: [$rep/$REPEAT] vswd    size=$size flows=$flows" >&2
				wait_quiet
				run_vswd "$size" "$flows" "$rep"
			fi
			if ((HAVE_VSWD && (POLICE > 0 || QOS > 0 || POLICY > 0))); then
				echo "bench: [$rep/$REPEAT] vswd+$EXTRA size=$size flows=$flows" >&2
				write_config "$mtu" "$POLICE" "$QOS" "$POLICY"
				wait_quiet
				run_vswd "$size" "$flows" "$rep" "vswd$EXTRA"
				write_config "$mtu"
			fi
		done
	done
done

# Median over the repetitions, with the range when there is more than one; the ratio is the
# median of the per-repetition ratios (each from a back-to-back pair). A run where the generator
# or the switch worker had less than MIN_SHARE of its CPU was disturbed by other load: it is
# left out when the case has undisturbed runs, and the footnote says so.
TABLE=$(python3 - "$WORK/results.txt" "$MIN_SHARE" "$EXTRA" <<'EOF'
import statistics, sys
runs, min_share, extra = {}, float(sys.argv[2]), sys.argv[3]
for line in open(sys.argv[1]):
    sw, size, flows, rep, mpps, peer, worker = line.split()
    clean = min(float(peer), float(worker)) >= min_share
    runs.setdefault((int(size), int(flows)), {}).setdefault(sw, {})[rep] = (float(mpps), clean)

def pick(d):
    """The runs to use: the clean ones if there are any, else all of them, marked."""
    clean = {k: m for k, (m, c) in d.items() if c}
    return (clean, '') if clean else ({k: m for k, (m, c) in d.items()}, ' !')

def cell(d):
    if not d:
        return 'n/a'
    v, mark = pick(d)
    v = list(v.values())
    m = '%.2f' % statistics.median(v)
    return (m if len(v) == 1 else '%s (%.2f-%.2f)' % (m, min(v), max(v))) + mark

extra_runs = any('vswd' + extra in r for r in runs.values())
print('| frame bytes | flows | testpmd Mpps | vswd Mpps | vswd/testpmd (median of pairs) '
      '| best vswd / best testpmd |' +
      (f' vswd+{extra} Mpps | {extra}/plain (median of pairs) |' if extra_runs else ''))
print('|---:|---:|---:|---:|---:|---:|' + ('---:|---:|' if extra_runs else ''))
dropped = total = 0
for (size, flows), r in sorted(runs.items()):
    tp, vs = r.get('testpmd', {}), r.get('vswd', {})
    for d in (tp, vs):
        total += len(d)
        dropped += len(d) - len(pick(d)[0])
    (tpv, _), (vsv, _) = pick(tp), pick(vs)
    ratios = [vsv[k] / tpv[k] for k in tpv if k in vsv and tpv[k] > 0]
    ratio = '%.2f' % statistics.median(ratios) if ratios else 'n/a'
    # On a machine whose host steals CPU, the best run of each is the least disturbed one.
    best = '%.2f' % (max(vsv.values()) / max(tpv.values())) if tpv and vsv else 'n/a'
    row = f'| {size} | {flows} | {cell(tp)} | {cell(vs)} | {ratio} | {best} |'
    if extra_runs:
        pol = r.get('vswd' + extra, {})
        polv, _ = pick(pol) if pol else ({}, '')
        pr = [polv[k] / vsv[k] for k in vsv if k in polv and vsv[k] > 0]
        row += f" {cell(pol)} | {'%.2f' % statistics.median(pr) if pr else 'n/a'} |"
    print(row)
disturbed = sum(1 for d in runs.values() for s in d.values() for m, c in s.values() if not c)
if disturbed:
    print(f'\n{disturbed} of {total} runs had less than {min_share:.0%} of a CPU for the generator '
          f'or the switch worker (other load on the machine); {dropped} were left out, '
          f'"!" marks cases with no undisturbed run.')
EOF
)
echo "$TABLE"

# With a -Dstage_cycles build (meson setup build-perf -Dstage_cycles=true; --build build-perf):
# TSC cycles per received packet of each worker stage, median over the repetitions (whole
# runs, warmup included; tx includes flushing what earlier bursts queued).
STAGES=$(python3 - "$WORK" <<'EOF'
import glob, json, os, re, statistics, sys
cases = {}
for f in glob.glob(os.path.join(sys.argv[1], 'vswd*.stats.json')):
    m = re.match(r'(vswd\w*)-(\d+)-(\d+)-r\d+\.stats\.json$', os.path.basename(f))
    try:
        doc = json.load(open(f))
    except ValueError:
        continue
    doc = doc.get('result', doc)
    w = doc.get('workers', [{}])[0]
    if not m or 'stages' not in w or w['stages']['rx']['packets'] == 0:
        continue
    st = w['stages']
    row = {k: v['cycles'] / st['rx']['packets'] for k, v in st.items() if isinstance(v, dict)}
    row['total'] = sum(row.values())
    cases.setdefault((m.group(1), int(m.group(2)), int(m.group(3))), []).append(row)
if cases:
    names = ['rx', 'demux', 'police', 'l2', 'policy', 'tx', 'total']
    print('| switch | frame bytes | flows | ' + ' | '.join(names) + ' |')
    print('|---|---:|---:|' + '---:|' * len(names))
    for (sw, size, flows), rows in sorted(cases.items()):
        cells = ['%.0f' % statistics.median(r[n] for r in rows) for n in names]
        print(f'| {sw} | {size} | {flows} | ' + ' | '.join(cells) + ' |')
    print('\nTSC cycles per received packet in each worker stage (median of the runs).')
EOF
)
if [[ -n $STAGES ]]; then
	echo
	echo "$STAGES"
	TABLE="$TABLE

$STAGES"
fi

if ((RECORD)); then
	rev=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
	dirty=no
	[[ -z $(git -C "$ROOT" status --porcelain 2>/dev/null) ]] || dirty=yes
	cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
	dpdk=$(pkg-config --modversion libdpdk 2>/dev/null || echo unknown)
	{
		[[ -s $ROOT/perf/RESULTS.md ]] || printf '# vsw benchmark results\n\n%s\n' \
			"Appended by \`perf/bench.sh --record\`; see perf/README.md."
		echo
		mark=
		[[ $dirty == no ]] || mark=" (dirty)"
		echo "## $(date -u '+%Y-%m-%d %H:%M UTC') — $rev$mark"
		echo
		echo "- commit: $rev, dirty: $dirty"
		echo "- CPU: $cpu ($(nproc) CPUs)"
		echo "- DPDK: $dpdk; --no-huge; $SECS s per run after $WARMUP s warmup;" \
			"median of $REPEAT runs"
		((POLICE == 0)) || echo "- vswd+police: ingress policer of $POLICE bits/s on vm1"
		((QOS == 0)) || echo "- vswd+qos: egress scheduler (rte_sched) of $QOS bits/s on vm2"
		((POLICY == 0)) || echo "- vswd+policy: MultiNetworkPolicy of $POLICY ingress rules on" \
			"vm2 (the matching one last), conntrack on"
		echo
		echo "$TABLE"
	} >>"$ROOT/perf/RESULTS.md"
	echo "bench: appended to perf/RESULTS.md" >&2
fi
