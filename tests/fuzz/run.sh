#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The fuzz stage of tests/run.sh: builds the libFuzzer targets (build-fuzz: clang, ASan+UBSan)
# and runs each for FUZZ_SECONDS (default 10) from its seed corpus (tests/fuzz/corpus/TARGET).
# Fails if a target crashes, leaks, hits UB or breaks one of its invariants; the input that
# did it is printed and kept under the work directory. New inputs go there too: the corpus in
# the repository is only read. Longer runs: tests/fuzz/long.sh.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/fuzz/lib.sh
SECS=${FUZZ_SECONDS:-10}
WORK=$(mktemp -d /tmp/vswfuzz.XXXXXX)
fuzz_build || { echo "fuzz: build failed"; exit 1; }
failed=0
for t in $(fuzz_targets); do
	if fuzz_run "$t" "$SECS" "$WORK"; then
		echo "fuzz_$t: ok in $SECS s: $(fuzz_stats "$WORK/$t.log")"
	else
		echo "fuzz_$t: FAILED: $(fuzz_stats "$WORK/$t.log")"
		grep -E 'invariant broken|ERROR: |SUMMARY: |runtime error' "$WORK/$t.log" | head -5
		ls "$WORK/$t"-* 2>/dev/null | sed 's/^/  input: /'
		echo "  log: $WORK/$t.log"
		failed=$((failed + 1))
	fi
done
if ((failed == 0)); then
	rm -rf "$WORK"
fi
exit $((failed > 0))
