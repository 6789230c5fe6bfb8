#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""perf/cni.py [--build DIR] [--rules N] [--repeat N] [--pods N] [--record]

How fast vsw-cni attaches a pod, run as Multus runs it (host-local IPAM from Debian's
containernetworking-plugins), against a vswd with control.persist on (as on a node):
  - ADD to first frame: vsw_peer already serves the pod's socket (QEMU up before the CNI
    finishes is the fast case); the clock runs from exec'ing vsw-cni ADD until a broadcast the
    new pod sends arrives at another pod of its VLAN. The peer sends one frame a millisecond.
  - ADD alone and DEL alone: the plugin's wall time (exec, IPAM, vswd, files).
  - ADD+DEL throughput: --pods pods added and deleted one after the other, pods per second.
Each with no policy and with a MultiNetworkPolicy of --rules ingress rules that selects
another pod (so the new pod is selected by nothing: no recompile). Prints medians and
ranges; --record appends them to perf/RESULTS.md."""

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, 'tests', 'integration'))
sys.path.insert(0, os.path.join(ROOT, 'perf'))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--build', default=os.path.join(ROOT, 'build'))
    ap.add_argument('--rules', type=int, default=10000)
    ap.add_argument('--repeat', type=int, default=7)
    ap.add_argument('--pods', type=int, default=100)
    ap.add_argument('--record', action='store_true')
    a = ap.parse_args()
    os.environ['VSW_BUILD'] = os.path.abspath(a.build)
    from peer import Peer, eth_frame
    from port_change import policy
    from vswlib import PEER, Switch

    cni_bin = os.path.join(a.build, 'control', 'vsw-cni')
    sw = Switch([], start=False, control={'persist': True})
    pods_dir = sw.path('pods')
    conf = {'cniVersion': '1.0.0', 'name': 'net-vlan2003', 'type': 'vsw', 'vlan': 2003,
            'socketDir': pods_dir, 'vswSocket': sw.sock, 'stateDir': sw.path('cni-state'),
            'ipam': {'type': 'host-local', 'subnet': '10.60.0.0/16',
                     'dataDir': sw.path('ipam')}}

    def cni(cmd, cid, uid):
        env = {'CNI_COMMAND': cmd, 'CNI_CONTAINERID': cid, 'CNI_IFNAME': 'net1',
               'CNI_NETNS': '/var/run/netns/x', 'CNI_PATH': '/usr/lib/cni',
               'CNI_ARGS': f'IgnoreUnknown=1;K8S_POD_NAMESPACE=bench;K8S_POD_UID={uid}',
               'PATH': '/usr/bin:/bin'}
        r = subprocess.run([cni_bin], input=json.dumps(conf).encode(), env=env,
                           capture_output=True, timeout=60)
        if r.returncode != 0:
            sys.exit(f'vsw-cni {cmd} {cid}: {r.stdout.decode()} {r.stderr.decode()}')

    rows = []
    sw.start()
    peer = None
    try:
        # the anchor pod, which receives; vsw_peer serves its socket (QEMU's part)
        os.makedirs(os.path.join(pods_dir, 'anchor'), exist_ok=True)
        cni('ADD', 'anchor0000000', 'anchor')
        peer = Peer(PEER, [os.path.join(pods_dir, 'anchor', 'net1.sock')], server_flags=[True],
                    prefix=f'{sw.prefix}a')
        sw.wait_link(['net1-anchor000000'])
        frame = eth_frame('ff:ff:ff:ff:ff:ff', '02:00:00:00:99:01', payload=b'first')
        seq = [0]

        def serve(sock, out):
            """A VM for the new pod: vsw_peer listening on its socket before the ADD (its
            start returns once vswd has connected)."""
            try:
                out['peer'] = Peer(PEER, [sock], server_flags=[True],
                                   prefix=f'{sw.prefix}n{seq[0]}')
            except Exception as e:  # noqa: BLE001 (reported by the caller)
                out['error'] = e

        def one_pod(first_frame):
            seq[0] += 1
            cid, uid = 'perf%09d' % seq[0], 'pod%d' % seq[0]
            sock = os.path.join(pods_dir, uid, 'net1.sock')
            vm, th = {}, None
            if first_frame:
                os.makedirs(os.path.dirname(sock))
                th = threading.Thread(target=serve, args=(sock, vm))
                th.start()
                deadline = time.monotonic() + 30
                while not os.path.exists(sock) and time.monotonic() < deadline:
                    time.sleep(0.005)
            peer.clear()
            t = time.perf_counter()
            cni('ADD', cid, uid)
            t_add = time.perf_counter()
            t_frame = None
            if first_frame:
                th.join(30)
                if 'peer' not in vm:
                    sys.exit(f'the new pod\'s vsw_peer: {vm.get("error")}')
                try:
                    while time.perf_counter() < t + 10 and t_frame is None:
                        vm['peer'].send(0, frame)
                        if peer.recv(0):
                            t_frame = time.perf_counter()
                        else:
                            time.sleep(0.001)
                finally:
                    vm['peer'].close()
                if t_frame is None:
                    sys.exit('no frame within 10 s of ADD')
            t_del = time.perf_counter()
            cni('DEL', cid, uid)
            t_end = time.perf_counter()
            return ((t_add - t) * 1000, (t_frame - t) * 1000 if t_frame else None,
                    (t_end - t_del) * 1000)

        def measure(label):
            adds, frames, dels = [], [], []
            for _ in range(a.repeat):
                ad, fr, de = one_pod(True)
                adds.append(ad)
                frames.append(fr)
                dels.append(de)
            t = time.perf_counter()
            for _ in range(a.pods):
                one_pod(False)
            pps = a.pods / (time.perf_counter() - t)
            for name, v in (('ADD to first frame', frames), ('ADD', adds), ('DEL', dels)):
                rows.append(f'| {label} | {name} | {statistics.median(v):.1f} | '
                            f'{min(v):.1f}-{max(v):.1f} |')
            rows.append(f'| {label} | ADD+DEL throughput | {pps:.1f} pods/s | {a.pods} pods |')

        measure('no policy')
        sw.call('network.add', name='vlan2003', vlan=2003)	# the policy's policy-for
        sw.call('policy.apply', policy=policy(a.rules))
        measure(f'{a.rules} rules (selecting another pod)')
    finally:
        if peer is not None:
            peer.close()
        rc = sw.stop()
        sw.cleanup()
    if rc != 0:
        sys.exit(f'perf/cni.py: vswd exit code {rc}')
    table = '\n'.join(['| policy | what | median ms | min-max ms |', '|---|---|---:|---:|'] + rows)
    print(table)
    if a.record:
        from results import record
        record('vsw-cni ADD to first frame, ADD/DEL (perf/cni.py)',
               f'host-local IPAM, control.persist on, {a.repeat} pods timed one by one, then '
               f'{a.pods} ADD+DEL in a row.\n\n{table}')

if __name__ == '__main__':
    main()
