#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# perf/policy_swap.sh [--build DIR] [--rules N] [--repeat N] [--record]
#
# How long a policy change takes with N rules: vswd runs with two VM ports (no traffic needed),
# and a MultiNetworkPolicy of N ingress rules is applied --repeat times, alternating two versions
# so every apply compiles and swaps a new set. vswd reports each phase: compile (policies +
# inventory -> ACL entries), build (rte_acl contexts), publish (snapshot swap + RCU grace
# period). Prints the median of each; --record appends them to perf/RESULTS.md.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=$ROOT/build
RULES=10000
REPEAT=5
RECORD=0
WORK=/tmp/vswswap

while (($#)); do
	case $1 in
	--build) BUILD=$(cd "${2:?}" && pwd); shift 2 ;;
	--rules) RULES=${2:?}; shift 2 ;;
	--repeat) REPEAT=${2:?}; shift 2 ;;
	--record) RECORD=1; shift ;;
	*) sed -n '4,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
	esac
done

source "$ROOT/perf/lib.sh"
mkdir -p "$WORK"
rm -f "$WORK"/*
cat >"$WORK/vswd.json" <<EOF
{"dpdk": {"no_huge": true, "memory_mb": 1024, "main_cpu": 0, "file_prefix": "vswswap",
          "extra_eal_args": ["--no-pci"]},
 "workers": {"cpus": [1], "idle_sleep_us": 50},
 "control": {"socket": "$WORK/vswd.sock", "socket_dirs": ["$WORK"], "state_dir": "$WORK/state"},
 "networks": [{"name": "vlan2003", "vlan": 2003}],
 "ports": [
  {"name": "vm1", "socket": "$WORK/vm1.sock", "client": false, "vlan": 2003,
   "namespace": "bench", "labels": "role=gen", "ips": "198.18.0.1"},
  {"name": "vm2", "socket": "$WORK/vm2.sock", "client": false, "vlan": 2003,
   "namespace": "bench", "labels": "role=sink", "ips": "198.18.0.2"}
 ]}
EOF
"$BUILD/control/vswd" -c "$WORK/vswd.json" >"$WORK/vswd.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 150); do [[ -S $WORK/vswd.sock ]] && break; sleep 0.2; done
[[ -S $WORK/vswd.sock ]] || { echo "policy_swap: vswd did not start" >&2; tail "$WORK/vswd.log" >&2; exit 1; }

for v in 0 1; do
	python3 - "$RULES" "$v" >"$WORK/policy$v.json" <<'PY'
import json, sys
n, v = int(sys.argv[1]), int(sys.argv[2])
rules = [{'from': [{'ipBlock': {'cidr': '10.%d.%d.%d/32' % (v * 128 + (i >> 16 & 127), i >> 8 & 255, i & 255)}}],
          'ports': [{'protocol': 'TCP' if i % 2 else 'UDP', 'port': 1000 + i % 5000}]}
         for i in range(n)]
print(json.dumps({'apiVersion': 'k8s.cni.cncf.io/v1beta1', 'kind': 'MultiNetworkPolicy',
                  'metadata': {'name': 'swap', 'namespace': 'bench',
                               'annotations': {'k8s.v1.cni.cncf.io/policy-for': 'vlan2003'}},
                  'spec': {'podSelector': {'matchLabels': {'role': 'sink'}},
                           'policyTypes': ['Ingress'], 'ingress': rules}}))
PY
done

: >"$WORK/times.txt"
for ((i = 0; i < REPEAT; i++)); do
	"$BUILD/control/cli/vswctl" -s "$WORK/vswd.sock" -t 60 --json policy apply "$WORK/policy$((i % 2)).json" |
		python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["rules"], r["acl_entries"], r["compile_us"], r["build_us"], r["publish_us"])' \
		>>"$WORK/times.txt"
done
cleanup

SUMMARY=$(python3 - "$WORK/times.txt" <<'PY'
import statistics, sys
rows = [list(map(int, l.split())) for l in open(sys.argv[1])]
med = lambda k: statistics.median(r[k] for r in rows) / 1000
tot = statistics.median((r[2] + r[3] + r[4]) for r in rows) / 1000
print(f'| {rows[0][0]} | {rows[0][1]} | {med(2):.1f} | {med(3):.1f} | {med(4):.2f} | {tot:.1f} |')
PY
)
HEAD='| rules | ACL entries | compile ms | rte_acl build ms | publish (swap + grace) ms | total ms |
|---:|---:|---:|---:|---:|---:|'
printf '%s\n%s\n' "$HEAD" "$SUMMARY"
if ((RECORD)); then
	rev=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
	{
		echo
		echo "## $(date -u '+%Y-%m-%d %H:%M UTC') — $rev: policy compile and swap (perf/policy_swap.sh)"
		echo
		echo "Median of $REPEAT applies, alternating two versions of a $RULES-rule MultiNetworkPolicy."
		echo
		printf '%s\n%s\n' "$HEAD" "$SUMMARY"
	} >>"$ROOT/perf/RESULTS.md"
fi
