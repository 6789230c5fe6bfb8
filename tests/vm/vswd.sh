# SPDX-License-Identifier: BSD-3-Clause
# Sourced by the guest tests in tests/vm/: a temp dir, a vswd on $TMP/vsw.json, and the
# cleanup of both (the guests through ../shared/vm's vmh_stop_all, vswd by its PID).
#   vsw_vm_init NAME   TMP=/tmp/NAME.XXXXXX, VMH_RUN below it, traps set
#   vsw_vm_vswd        starts $BUILD/control/vswd -c $TMP/vsw.json, waits for its socket
VSWD_PID=

vsw_vm_cleanup() {
	vmh_stop_all
	if [ -n "$VSWD_PID" ] && kill -0 "$VSWD_PID" 2>/dev/null; then
		kill -TERM "$VSWD_PID"
		for _ in $(seq 100); do kill -0 "$VSWD_PID" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$VSWD_PID" 2>/dev/null
	fi
	wait 2>/dev/null
	rm -rf "$TMP"
}

vsw_vm_init() {
	TMP=$(mktemp -d "/tmp/$1.XXXXXX")
	export VMH_RUN=$TMP/vmh
	mkdir -p "$VMH_RUN"
	trap vsw_vm_cleanup EXIT
	trap 'exit 130' INT TERM
}

vsw_vm_vswd() {
	"$BUILD/control/vswd" -c "$TMP/vsw.json" >"$TMP/vswd.log" 2>&1 &
	VSWD_PID=$!
	for _ in $(seq 100); do [ -S "$TMP/vswd.sock" ] && break; sleep 0.1; done
	[ -S "$TMP/vswd.sock" ] || { echo "FAIL: vswd did not start"; cat "$TMP/vswd.log"; exit 1; }
}
