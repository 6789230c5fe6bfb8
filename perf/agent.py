#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""perf/agent.py [--build DIR] [--policies N] [--repeat N] [--record]

How fast vsw-agent carries the cluster to vswd, against kube_standin.py (the tests' stand-in
API server: no Kubernetes API server here, so the API's own latency is not in the figures):
  - initial sync: the agent starts with --policies MultiNetworkPolicies (each selecting one
    pod by label, one ingress rule) and 50 pods' ports; the clock runs from exec until vswd
    lists every policy (each applied one object at a time, as the agent does).
  - one policy change: a policy's rule changed in the API until vswd has the new rule.
  - one label change: a pod's labels changed in the API until its vsw port has them.
Prints medians and ranges; --record appends them to perf/RESULTS.md."""

import argparse
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, 'tests', 'integration'))
sys.path.insert(0, os.path.join(ROOT, 'perf'))


def until(cond, timeout=600):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return time.monotonic()
        time.sleep(0.002)
    sys.exit('timed out')


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--build', default=os.path.join(ROOT, 'build'))
    ap.add_argument('--policies', type=int, default=1000)
    ap.add_argument('--repeat', type=int, default=15)
    ap.add_argument('--record', action='store_true')
    a = ap.parse_args()
    os.environ['VSW_BUILD'] = os.path.abspath(a.build)
    from kube_standin import KubeStandin
    from test_agent import mnp, nad, namespace, pod
    from vswlib import Switch

    sw = Switch([])
    kube = KubeStandin().start()
    agent = None
    try:
        kube.put(namespace('x'))
        kube.put(nad('x', 'net-vlan2003', 2003))
        for i in range(50):
            s = sw.path(f'pods/u{i}/net1.sock')
            os.makedirs(os.path.dirname(s))
            sw.call('port.add', name=f'p{i}', socket=s, client=True, vlan=2003, namespace='x',
                    ips=f'10.55.{i // 200}.{i % 200 + 10}')
            kube.put(pod('x', f'pod{i}', s, {'app': f'a{i}'}, node='node-1'))
        for i in range(a.policies):
            kube.put(mnp('x', f'p{i}', {'podSelector': {'matchLabels': {'app': f'a{i % 50}'}},
                                        'ingress': [{'ports': [{'port': 1000 + i}]}]}))
        kc = kube.write_kubeconfig(sw.path('kubeconfig.json'), as_json=True)
        log = open(sw.path('agent.log'), 'w')
        t0 = time.monotonic()
        agent = subprocess.Popen([os.path.join(a.build, 'control', 'vsw-agent'), '--node',
                                  'node-1', '--kubeconfig', kc, '--vsw-socket', sw.sock,
                                  '--settle-ms', '0'], stdout=log, stderr=log)
        t1 = until(lambda: len(sw.call('policy.list')['policies']) == a.policies)
        sync = t1 - t0

        def policy_rule(i):
            return sw.call('policy.show', name='p0', namespace='x')

        change, labels = [], []
        for r in range(a.repeat):
            port = 2000 + r
            kube.put(mnp('x', 'p0', {'podSelector': {'matchLabels': {'app': 'a0'}},
                                     'ingress': [{'ports': [{'port': port}]}]}))
            t = time.monotonic()
            until(lambda: str(port) in str(policy_rule(0)))
            change.append((time.monotonic() - t) * 1000)
            kube.put(pod('x', 'pod1', sw.path('pods/u1/net1.sock'), {'app': 'a1', 'r': str(r)},
                         node='node-1'))
            t = time.monotonic()
            until(lambda: sw.call('port.show', name='p1').get('labels', {}).get('r') == str(r))
            labels.append((time.monotonic() - t) * 1000)

        def fmt(v):
            return f'median {statistics.median(v):.1f} ms (range {min(v):.1f}-{max(v):.1f})'
        text = (f'- initial sync, {a.policies} policies and 50 pods: {sync:.2f} s '
                f'({a.policies / sync:.0f} policies/s)\n'
                f'- one policy change, API to vswd: {fmt(change)}, {a.repeat} runs\n'
                f'- one pod label change, API to the port: {fmt(labels)}, {a.repeat} runs')
        print(text)
        if a.record:
            from results import record
            record('vsw-agent (perf/agent.py, stand-in API server)', text)
    finally:
        if agent is not None:
            agent.terminate()
            agent.wait(10)
        kube.stop()
        sw.cleanup()


if __name__ == '__main__':
    main()
