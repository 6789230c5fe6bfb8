#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""perf/port_change.py [--build DIR] [--rules N] [--repeat N] [--record]

How long port changes take while a large policy set is loaded: vswd runs with two VM ports
(vm1 a client, vm2 selected by a MultiNetworkPolicy of N ingress rules, each a distinct /32
and port), and the control client times, round trip, each change --repeat times:
  - port add / del of a port no policy selects or names (another namespace)
  - port add / del of a port the policy selects (role=sink)
  - port set police_rate on vm1 (not a policy input)
  - port set labels on vm1 (a policy input that changes nothing the policy matches)
Prints the median and range of each in ms; --record appends them to perf/RESULTS.md.
No traffic is needed: what is measured is the control path (compile, rte_acl build, snapshot
publish and RCU grace period)."""

import argparse
import json
import os
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, 'tests', 'integration'))


def policy(n):
    rules = [{'from': [{'ipBlock': {'cidr': '10.%d.%d.%d/32' % (i >> 16 & 127, i >> 8 & 255,
                                                               i & 255)}}],
              'ports': [{'protocol': 'TCP' if i % 2 else 'UDP', 'port': 1000 + i % 5000}]}
             for i in range(n)]
    return {'apiVersion': 'k8s.cni.cncf.io/v1beta1', 'kind': 'MultiNetworkPolicy',
            'metadata': {'name': 'big', 'namespace': 'bench',
                         'annotations': {'k8s.v1.cni.cncf.io/policy-for': 'vlan2003'}},
            'spec': {'podSelector': {'matchLabels': {'role': 'sink'}},
                     'policyTypes': ['Ingress'], 'ingress': rules}}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--build', default=os.path.join(ROOT, 'build'))
    ap.add_argument('--rules', type=int, default=10000)
    ap.add_argument('--repeat', type=int, default=7)
    ap.add_argument('--record', action='store_true')
    a = ap.parse_args()
    os.environ['VSW_BUILD'] = os.path.abspath(a.build)
    from vswlib import Switch, vm_port   # reads VSW_BUILD

    sw = Switch([], start=False)
    with open(sw.config_path) as f:
        cfg = json.load(f)
    cfg['ports'] = [vm_port('vm1', sw.path('vm1.sock'), 2003, namespace='bench',
                            labels={'role': 'gen'}, ips=['198.18.0.1']),
                    vm_port('vm2', sw.path('vm2.sock'), 2003, namespace='bench',
                            labels={'role': 'sink'}, ips=['198.18.0.2'])]
    cfg['networks'] = [{'name': 'vlan2003', 'vlan': 2003}]
    cfg['namespaces'] = [{'name': 'bench', 'labels': {}}, {'name': 'other', 'labels': {}}]
    with open(sw.config_path, 'w') as f:
        json.dump(cfg, f)
    times = {}
    try:
        sw.start()
        r = sw.call('policy.apply', policy=policy(a.rules))
        entries = r['acl_entries']

        def timed(case, cmd, **args):
            t = time.perf_counter()
            sw.call(cmd, **args)
            times.setdefault(case, []).append((time.perf_counter() - t) * 1000)

        other = dict(type='vhost-user', socket=sw.path('x.sock'), vlan=2003, namespace='other',
                     labels='role=x', ips='198.18.1.1')
        sink = dict(other, socket=sw.path('s.sock'), namespace='bench', labels='role=sink',
                    ips='198.18.0.3')
        for i in range(a.repeat):
            timed('port add, selected by no policy', 'port.add', name='x', **other)
            timed('port del, selected by no policy', 'port.del', name='x')
            timed('port add, selected by the policy', 'port.add', name='s', **sink)
            timed('port del, selected by the policy', 'port.del', name='s')
            timed('port set police_rate (vm1)', 'port.set', name='vm1',
                  police_rate=10**9 + i * 10**6)
            timed('port set labels (vm1, matched by nothing)', 'port.set', name='vm1',
                  labels=f'role=gen,n={i}')
    finally:
        rc = sw.stop()
        sw.cleanup()
    if rc != 0:
        sys.exit(f'port_change: vswd exit code {rc}')

    head = ('| change | median ms | min-max ms |\n|---|---:|---:|')
    rows = [f'| {k} | {statistics.median(v):.1f} | {min(v):.1f}-{max(v):.1f} |'
            for k, v in times.items()]
    table = '\n'.join([head] + rows)
    print(table)
    if a.record:
        from results import record
        record(f'port changes with {a.rules} rules loaded (perf/port_change.py)',
               f'Round trip of each control request, {a.repeat} times; the policy compiles '
               f'to {entries} ACL entries.\n\n{table}')

if __name__ == '__main__':
    main()
