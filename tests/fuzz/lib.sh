# SPDX-License-Identifier: BSD-3-Clause
# Shared by tests/fuzz/run.sh and tests/fuzz/long.sh (sourced from the repository root).
# FUZZ_BUILD: the build directory (default build-fuzz): clang, ASan+UBSan, libFuzzer.
FUZZ_BUILD=${FUZZ_BUILD:-build-fuzz}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}

# The targets: the fuzz_targets list of tests/fuzz/meson.build.
fuzz_targets() {
	sed -n "s/^fuzz_targets = \[\(.*\)\]/\1/p" tests/fuzz/meson.build | tr -d "'," 
}

# Configures (once) and builds the targets only (not the rest of the project).
fuzz_build() {
	command -v clang >/dev/null || { echo "fuzz: clang not installed (tests/deps.sh)"; return 1; }
	if [ ! -f "$FUZZ_BUILD/build.ninja" ]; then
		CC=clang meson setup "$FUZZ_BUILD" -Dfuzz=true -Dwerror=true \
			-Db_sanitize=address,undefined -Dbuildtype=debugoptimized >/dev/null || return 1
	fi
	local t targets=()
	for t in $(fuzz_targets); do targets+=("tests/fuzz/fuzz_$t"); done
	ninja -C "$FUZZ_BUILD" "${targets[@]}" >/dev/null
}

# fuzz_stats LOG: "executions N, exec/s N, cov N, ft N, corpus N" from libFuzzer's last status
# line and its -print_final_stats=1 output.
fuzz_stats() {
	local log=$1 runs eps line
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
	line=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -1)
	field() { sed -n "s/.* $1: \([0-9]*\).*/\1/p" <<<"$line"; }
	echo "executions ${runs:-?}, exec/s ${eps:-?}, cov $(field cov), ft $(field ft)," \
		"corpus $(field corp)"
}

# fuzz_run TARGET SECONDS WORKDIR [EXTRA...]: runs a target over WORKDIR/TARGET (new inputs)
# and its seeds, with tests/fuzz/TARGET.dict (JSON tokens of the seeds) if there is one;
# crash inputs go to WORKDIR/TARGET-crash-*. Returns libFuzzer's status.
fuzz_run() {
	local t=$1 secs=$2 work=$3
	shift 3
	local dict=()
	[ -f "tests/fuzz/$t.dict" ] && dict=(-dict="tests/fuzz/$t.dict")
	mkdir -p "$work/$t"
	"$FUZZ_BUILD/tests/fuzz/fuzz_$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$work/$t-" "${dict[@]}" "$@" "$work/$t" \
		"tests/fuzz/corpus/$t" >"$work/$t.log" 2>&1
}
