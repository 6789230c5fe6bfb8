# SPDX-License-Identifier: BSD-3-Clause
# Shared by perf/latency.sh and perf/qos.sh (sourced): the processes a script started, stopped
# by PID (TERM, then KILL after 5 s) on exit or when a case is done.
PIDS=()
cleanup() {
	local p
	for p in "${PIDS[@]}"; do
		kill -TERM "$p" 2>/dev/null || true
		for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	PIDS=()
}
trap cleanup EXIT
trap 'exit 130' INT TERM
