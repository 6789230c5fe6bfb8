#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# tests/fuzz/long.sh [--minutes N] [--work DIR] [TARGET...]
#
# Long fuzzing runs: each target (default: all of tests/fuzz/meson.build's fuzz_targets) for N
# minutes (default 5), one after the other, from its seeds plus what earlier runs found in
# DIR/TARGET (default /tmp/vswfuzz-long, kept between runs). Prints per target the
# executions, exec/s, coverage (libFuzzer's cov: edges and ft: features at the end), the
# corpus size and the crash input if one was found (a target stops at its first crash; fix
# it, copy the input to tests/fuzz/corpus/TARGET/crash-WHAT.json, run again). Exits 1 if any
# target crashed. On a shared machine run it under the test lock.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/fuzz/lib.sh
MIN=5 WORK=/tmp/vswfuzz-long targets=()
while (($#)); do
	case $1 in
	--minutes) MIN=$2; shift 2 ;;
	--work) WORK=$2; shift 2 ;;
	-*) sed -n '4,13p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
	*) targets+=("$1"); shift ;;
	esac
done
((${#targets[@]})) || read -ra targets <<<"$(fuzz_targets)"
mkdir -p "$WORK"
fuzz_build || { echo "fuzz: build failed"; exit 1; }
crashed=0
echo "| target | minutes | executions | exec/s | cov | ft | corpus | result |"
echo "|---|---:|---:|---:|---:|---:|---:|---|"
for t in "${targets[@]}"; do
	rm -f "$WORK/$t"-crash-* "$WORK/$t"-leak-* "$WORK/$t"-timeout-* "$WORK/$t"-oom-*
	fuzz_run "$t" $((MIN * 60)) "$WORK"
	rc=$?
	s=$(fuzz_stats "$WORK/$t.log")
	get() { sed -n "s|.*$1 \([^,]*\).*|\1|p" <<<"$s"; }
	result=ok
	if ((rc != 0)); then
		what=$(grep -m1 -oE 'invariant broken: .{0,60}|ERROR: [A-Za-z]+: [a-z-]+|runtime error: .{0,60}' \
			"$WORK/$t.log")
		result="CRASH: $(ls "$WORK/$t"-* 2>/dev/null | head -1) ($what)"
		crashed=$((crashed + 1))
	fi
	echo "| $t | $MIN | $(get executions) | $(get exec/s) | $(get cov) | $(get ft) |" \
		"$(get corpus) | $result |"
done
exit $((crashed > 0))
