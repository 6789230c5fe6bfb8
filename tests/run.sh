#!/bin/bash
# The whole test suite: installs dependencies, builds, then runs the unit tests (CUnit), the
# EAL tests, the integration tests (real vswd + virtio-user peers) and the QEMU guest test.
# Prints a summary and exits non-zero if anything failed. Run as root on Debian 12.
set -uo pipefail
cd "$(dirname "$0")/.."
tests/deps.sh || exit 1
tests/build.sh || { echo "BUILD FAILED"; exit 1; }

results=()
failed=0
run() {	# run NAME TIMEOUT_S CMD...
	local name=$1 t=$2; shift 2
	echo "=== $name"
	local start=$SECONDS
	if timeout --kill-after=10 "$t" "$@"; then
		results+=("PASS  $name ($((SECONDS - start)) s)")
	else
		results+=("FAIL  $name ($((SECONDS - start)) s)")
		failed=$((failed + 1))
	fi
}

run unit 120 build/tests/unit/unit_tests
# EAL tests (--no-huge): two worker lcores racing to start one connection
run eal/ct_race 120 build/tests/eal/test_ct_race
# libFuzzer targets (clang, ASan+UBSan; build-fuzz), 10 s each from their seed corpora
run fuzz 300 tests/fuzz/run.sh
for t in tests/integration/test_*.py; do
	run "integration/$(basename "$t" .py)" 600 \
		env PYTHONPATH=tests/integration python3 -m unittest -v "$(basename "$t" .py)"
done
run vm/ping_vlans 900 tests/vm/ping_vlans.sh
run vm/ping_cni 900 tests/vm/ping_cni.sh
# The same daemon built with AddressSanitizer + UBSan: memory errors and leaks at exit fail
# the run (the tests assert vswd exits 0 on SIGTERM).
if [ -f build-asan/build.ninja ] || meson setup build-asan -Dwerror=true -Db_sanitize=address,undefined \
	-Dbuildtype=debug >/dev/null; then
	run build-asan 600 ninja -C build-asan
	run integration-asan 900 env VSW_BUILD="$PWD/build-asan" PYTHONPATH=tests/integration \
		UBSAN_OPTIONS=halt_on_error=1 python3 -m unittest test_switching test_control test_cli test_cni test_agent test_runtime test_workers test_bond test_qos test_policy test_isolation
fi

echo
echo "=== summary"
printf '%s\n' "${results[@]}"
echo "$(( ${#results[@]} - failed )) passed, $failed failed"
[ "$failed" -eq 0 ]
