#!/usr/bin/env bash
# Real guests on ports vsw-cni made, the KubeVirt way: vsw-cni ADD (run as Multus runs it,
# with Debian's real IPAM plugins) creates each VM's port on vswd and writes the device-info
# file; QEMU then serves the vhost-user socket that file names (vswd connects as client) with
# the MAC and the address the CNI result gave:
#   vm1: VLAN 2003, host-local IPAM (172.16.3.10-20)
#   vm2: VLAN 2003, host-local IPAM; pings vm1 and vm3
#   vm3: VLAN 2004, static IPAM 172.16.3.30/24 (same subnet, other VLAN)
# macspoofchk and ipspoofchk are on. vm2 must reach vm1 and must not reach vm3. Then DEL
# removes every port, lease, device-info file and socket directory. Prints PASS/FAIL.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SHARED=$ROOT/../shared/vm
# shellcheck source=/dev/null
. "$SHARED/lib.sh"

BUILD=${VSW_BUILD:-$ROOT/build}
CNI_BIN=/usr/lib/cni
# shellcheck source=tests/vm/vswd.sh
. "$ROOT/tests/vm/vswd.sh"
vsw_vm_init vswcnivm
mkdir -p "$TMP/devinfo"

[ -x "$CNI_BIN/host-local" ] || { echo "FAIL: containernetworking-plugins missing (tests/deps.sh)"; exit 1; }
vmh_host_packages || exit 1
vmh_ensure_image || exit 1
vmh_hugepages_ensure 2048 || true

cat >"$TMP/vsw.json" <<JSON
{
  "dpdk": { "no_huge": true, "memory_mb": 1024, "main_cpu": 0, "file_prefix": "vswcnivm$$",
            "extra_eal_args": ["--no-pci", "--no-telemetry"] },
  "workers": { "cpus": [1], "idle_sleep_us": 50 },
  "control": { "socket": "$TMP/vswd.sock", "socket_dirs": ["$TMP"], "state_dir": "$TMP/state",
               "persist": true },
  "ports": []
}
JSON
vsw_vm_vswd

# conf VM VLAN IPAM-JSON: the NetworkAttachmentDefinition's config, with the runtimeConfig
# Multus adds (the VM's MAC from the network selection, the device-info file path)
conf() {
	cat <<JSON
{"cniVersion": "1.0.0", "name": "net-vlan$2", "type": "vsw", "vlan": $2,
 "macspoofchk": true, "ipspoofchk": true,
 "socketDir": "$TMP/pods", "vswSocket": "$TMP/vswd.sock", "stateDir": "$TMP/cni-state",
 "ipam": $3,
 "runtimeConfig": {"mac": "$(vmh_mac "$1" 0)", "CNIDeviceInfoFile": "$TMP/devinfo/$1.json"}}
JSON
}
# cni COMMAND VM VLAN IPAM-JSON: vsw-cni exactly as Multus execs it
cni() {
	conf "$2" "$3" "$4" | env -i PATH=/usr/bin:/bin CNI_COMMAND="$1" CNI_CONTAINERID="ctr$2" \
		CNI_IFNAME=net1 CNI_NETNS=/var/run/netns/"$2" CNI_PATH="$CNI_BIN" \
		CNI_ARGS="IgnoreUnknown=1;K8S_POD_NAMESPACE=vms;K8S_POD_NAME=virt-launcher-$2;K8S_POD_UID=uid-$2" \
		"$BUILD/control/vsw-cni"
}
field() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
HOSTLOCAL='{"type": "host-local", "ranges": [[{"subnet": "172.16.3.0/24", "rangeStart": "172.16.3.10", "rangeEnd": "172.16.3.20"}]], "dataDir": "'$TMP/ipam'"}'
STATIC='{"type": "static", "addresses": [{"address": "172.16.3.30/24"}]}'
declare -A IP SOCK
for spec in "vm1 2003 HOSTLOCAL" "vm2 2003 HOSTLOCAL" "vm3 2004 STATIC"; do
	read -r vm vlan ipam <<<"$spec"
	res=$(cni ADD "$vm" "$vlan" "${!ipam}") || { echo "FAIL: vsw-cni ADD $vm: $res"; exit 1; }
	IP[$vm]=$(field 'd["ips"][0]["address"]' <<<"$res")
	SOCK[$vm]=$(field 'd["vhost-user"]["path"]' <"$TMP/devinfo/$vm.json")
	echo "  $vm: VLAN $vlan, ${IP[$vm]}, socket ${SOCK[$vm]}"
done

vmh_start --name vm1 --sock "${SOCK[vm1]}" --mac "$(vmh_mac vm1 0)" --server --ip "${IP[vm1]}" \
	--no-ipv6 --timeout 240 || exit 1
vmh_start --name vm3 --sock "${SOCK[vm3]}" --mac "$(vmh_mac vm3 0)" --server --ip "${IP[vm3]}" \
	--no-ipv6 --timeout 240 || exit 1
vmh_wait_ready vm1 180 || { echo "FAIL: vm1 did not boot"; exit 1; }
vmh_wait_ready vm3 180 || { echo "FAIL: vm3 did not boot"; exit 1; }
cat >"$TMP/vm2.sh" <<GUEST
i=0
until ping -c 1 -W 1 ${IP[vm1]%/*} >/dev/null 2>&1; do
	i=\$((i + 1)); [ \$i -ge 30 ] && break
done
ping -c 3 -i 0.3 -W 2 ${IP[vm1]%/*} && echo SAME-VLAN-OK
ping -c 3 -i 0.3 -W 1 ${IP[vm3]%/*} || echo CROSS-VLAN-BLOCKED
true
GUEST
vmh_start --name vm2 --sock "${SOCK[vm2]}" --mac "$(vmh_mac vm2 0)" --server --ip "${IP[vm2]}" \
	--no-ipv6 --script "$TMP/vm2.sh" --timeout 240 || exit 1
vmh_wait_ready vm2 180 || { echo "FAIL: vm2 did not boot"; exit 1; }
vmh_wait_done vm2 180
out=$(vmh_output vm2)
echo "$out" | sed 's/^/  vm2| /'
"$BUILD/control/cli/vswctl" -s "$TMP/vswd.sock" port list

ok=1
grep -q SAME-VLAN-OK <<<"$out" || { echo "FAIL: vm2 cannot ping vm1 in VLAN 2003"; ok=0; }
grep -q CROSS-VLAN-BLOCKED <<<"$out" || { echo "FAIL: vm2 reached vm3 across VLANs"; ok=0; }

vmh_stop_all
for spec in "vm1 2003 HOSTLOCAL" "vm2 2003 HOSTLOCAL" "vm3 2004 STATIC"; do
	read -r vm vlan ipam <<<"$spec"
	out=$(cni DEL "$vm" "$vlan" "${!ipam}") || { echo "FAIL: vsw-cni DEL $vm: $out"; ok=0; }
done
left=$("$BUILD/control/cli/vswctl" -s "$TMP/vswd.sock" --json port list |
	field 'len(d["ports"])')
[ "$left" = 0 ] || { echo "FAIL: $left ports left after DEL"; ok=0; }
leases=$(find "$TMP/ipam" -name '172.*' | wc -l)
[ "$leases" = 0 ] || { echo "FAIL: $leases leases left after DEL"; ok=0; }
left=$(find "$TMP/devinfo" "$TMP/pods" "$TMP/cni-state" -mindepth 1)
[ -z "$left" ] || { echo "FAIL: left after DEL: $left"; ok=0; }
if [ $ok = 1 ]; then
	echo "PASS: guests on vsw-cni ports ping on one VLAN and not across two; DEL removed all"
	exit 0
fi
tail -n 30 "$TMP/vswd.log"
exit 1
