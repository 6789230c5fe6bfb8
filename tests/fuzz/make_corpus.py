#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (tests/fuzz/corpus/<target>/seed-*): valid
requests for every command of the table (and a few refusals), config files (conf/vsw.json,
the fuzz world, variants), policies (the upstream e2e cases of netpol_cases.py and the tiers
of test_policy.py). Re-run after the command table or the policy cases change; crash inputs
found by the fuzzers are kept next to the seeds as crash-<what>.json and stay."""

import glob
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, 'tests', 'integration'))
import netpol_cases as NC  # noqa: E402


def mnp(name, ns, spec, network='vlan2003'):
    return {'apiVersion': 'k8s.cni.cncf.io/v1beta1', 'kind': 'MultiNetworkPolicy',
            'metadata': {'name': name, 'namespace': ns,
                         'annotations': {'k8s.v1.cni.cncf.io/policy-for': network}},
            'spec': spec}


def anp(name, priority, subject, ingress=None, egress=None):
    spec = {'priority': priority, 'subject': subject}
    if ingress is not None:
        spec['ingress'] = ingress
    if egress is not None:
        spec['egress'] = egress
    return {'apiVersion': 'policy.networking.k8s.io/v1alpha1', 'kind': 'AdminNetworkPolicy',
            'metadata': {'name': name}, 'spec': spec}


def banp(subject, ingress=None, egress=None):
    spec = {'subject': subject}
    if ingress is not None:
        spec['ingress'] = ingress
    if egress is not None:
        spec['egress'] = egress
    return {'apiVersion': 'policy.networking.k8s.io/v1alpha1',
            'kind': 'BaselineAdminNetworkPolicy', 'metadata': {'name': 'default'}, 'spec': spec}


NS_X = {'matchLabels': {'kubernetes.io/metadata.name': 'x'}}
NS_Y = {'matchLabels': {'kubernetes.io/metadata.name': 'y'}}
TIERS = [
    anp('deny-y-to-x', 10, {'namespaces': NS_X},
        ingress=[{'name': 'no-y', 'action': 'Deny', 'from': [{'namespaces': NS_Y}]}]),
    anp('pass-ya', 5, {'pods': {'namespaceSelector': NS_X,
                                'podSelector': {'matchLabels': {'pod': 'a'}}}},
        ingress=[{'action': 'Pass', 'from': [{'namespaces': NS_Y}]}]),
    anp('allow-81', 1, {'namespaces': NS_X}, ingress=[
        {'action': 'Allow', 'from': [{'namespaces': {}}],
         'ports': [{'portNumber': {'protocol': 'TCP', 'port': 81}}]}],
        egress=[{'action': 'Deny', 'to': [{'networks': ['10.0.0.0/8']}]}]),
    banp({'namespaces': {}}, ingress=[
        {'name': 'no-z', 'action': 'Deny', 'from': [{'namespaces': {'matchLabels': {'ns': 'z'}}}]}]),
    mnp('keep-me', 'y', {'podSelector': {}, 'ingress': [{'from': [
        {'ipBlock': {'cidr': '10.0.0.0/16', 'except': ['10.0.2.0/24', '10.0.3.128/25']}}]}]}),
    mnp('v6', 'x', {'podSelector': {'matchExpressions': [
        {'key': 'pod', 'operator': 'In', 'values': ['a', 'b']}]},
        'egress': [{'to': [{'ipBlock': {'cidr': 'fd00::/16'}}],
                    'ports': [{'protocol': 'UDP', 'port': 53, 'endPort': 60}]}],
        'policyTypes': ['Egress']}, network='default/vlan2004'),
]


def policies():
    out, seen = [], set()
    for case in NC.CASES:
        for pols, _ in NC.steps(case):
            for p in pols:
                key = json.dumps(p, sort_keys=True)
                if key not in seen:
                    seen.add(key)
                    out.append(p)
    return out


def requests(pols):
    R = []

    def req(cmd, **args):
        r = {'cmd': cmd, 'id': len(R) + 1}
        if args:
            r['args'] = args
        R.append(r)

    req('hello', version=1)
    for c in ['commands', 'version', 'port.list', 'vlan.list', 'config.show', 'stats',
              'network.list', 'namespace.list', 'policy.list', 'bond.show', 'qos.show']:
        req(c)
    req('port.add', name='vm5', socket='/run/vsw/vm5.sock', vlan=2003)
    req('port.add', name='vm6', socket='/run/vsw/vm6.sock', client=False, perm='0660',
        group='qemu', mode='trunk', allowed='2003-2005,2010', native_vlan=2003, queues=4)
    req('port.add', name='up1', type='dpdk', devargs='net_tap0,iface=t0', allowed='100-200',
        mtu=1500, police_rate=100000000, police_peak_rate=200000000, police_yellow='drop')
    req('port.add', name='b1', type='bond', bond_mode='802.3ad', members='net_null0;net_null1',
        xmit_policy='l34', allowed='2003-2004')
    req('port.add', name='b2', type='bond', bond_mode='active-backup',
        members='net_null2;net_null3', allowed='2003')
    req('port.add', name='vm7', socket='/run/vsw/vm7.sock', vlan=2004, namespace='x',
        labels='app=web,tier=fe', ips='10.0.4.7,fd00::4:7', mac='02:00:00:00:04:07',
        spoofchk=True, ip_spoofchk=True, qos_trust='dscp', qos_critical='46,48',
        qos_scavenger='8', qos_rate=1000000000, qos_queue=256, qos_default='best-effort')
    req('port.add', name='vm8', socket='/run/vsw/vm8.sock', vlan=2003,
        labels={'app': 'db'}, ips=['10.0.0.8'])
    req('port.set', name='xa', vlan=2004)
    req('port.set', name='xb', police_rate=8000000, police_burst=20000, police_yellow='scavenger')
    req('port.set', name='ya', qos_trust='pcp', qos_critical='5-7', qos_scavenger='1')
    req('port.set', name='uplink0', allowed='2003-2006', native_vlan=2003)
    req('port.set', name='xa', labels='pod=c', ips='10.0.0.12', namespace='y')
    req('port.set', name='tr', mode='access', vlan=2003)
    req('port.set', name='uplink0', mtu=1500)
    req('port.set', name='vm9', police_rate=0, qos_rate=0)
    req('port.del', name='xa')
    req('port.del', name='uplink0')
    req('port.show', name='xb')
    req('mac.show', vlan=2003, port='xa')
    req('mac.add', vlan=2003, mac='02:00:00:00:00:99', port='xb')
    req('mac.add', vlan=2005, mac='02:00:00:00:00:98', port='uplink0')
    req('mac.del', vlan=2003, mac='02:00:00:00:00:01')
    req('mac.flush', vlan=2003)
    req('config.save', path='/run/vsw/saved.json')
    req('network.add', name='vlan2005', vlan=2005)
    req('network.del', name='vlan2004')
    req('namespace.set', name='z', labels='team=green')
    req('namespace.set', name='x', labels={'team': 'blue', 'env': 'prod'})
    req('namespace.del', name='y')
    req('policy.delete', name='allow-b', namespace='x')
    req('policy.show', name='allow-81', kind='AdminNetworkPolicy')
    req('conntrack.show', limit=10)
    req('monitor.drops', since=0)
    for p in TIERS:
        req('policy.apply', policy=p)
    req('policy.apply', policy={'kind': 'List', 'items': TIERS[:3]})
    req('policy.apply', policy=pols[:4])
    for p in pols[:8]:
        req('policy.apply', policy=p)
    # refusals: bad envelope, unknown keys, wrong types, out of range
    R.append({'cmd': 'port.add'})
    R.append({'cmd': 'nope', 'args': {}})
    R.append({'cmd': 'port.list', 'extra': 1})
    R.append({'cmd': 'port.set', 'args': {'name': 'xa', 'vlan': 5000}})
    R.append({'cmd': 'port.set', 'args': {'name': 'xa', 'police_rate': -1}})
    R.append({'cmd': 'port.add', 'args': {'name': 'xa', 'socket': '/run/vsw/xa.sock', 'vlan': 2003}})
    R.append({'cmd': 'mac.add', 'args': {'vlan': 2004, 'mac': '02:00:00:00:00:99', 'port': 'xb'}})
    R.append({'cmd': 'hello', 'args': {'version': 2}})
    R.append([1, 2])
    return R


def sequences(pols):
    """Inputs of several lines: requests that build on each other's state."""
    def line(cmd, **args):
        return json.dumps({'cmd': cmd, 'args': args}, separators=(',', ':'))
    return [
        [line('port.add', name='vm5', socket='/run/vsw/vm5.sock', vlan=2003),
         line('mac.add', vlan=2003, mac='02:00:00:00:05:05', port='vm5'),
         line('port.set', name='vm5', vlan=2004),
         line('port.del', name='vm5')],
        [line('network.add', name='vlan2005', vlan=2005),
         line('policy.apply', policy=mnp('on-2005', 'x', {'podSelector': {}}, 'vlan2005')),
         line('port.set', name='tr', allowed='2005')],
        [line('namespace.set', name='z', labels='ns=z'),
         line('policy.apply', policy=TIERS[3]),
         line('namespace.del', name='z')],
        [line('port.add', name='vm6', socket='/run/vsw/vm6.sock', vlan=2003, namespace='x',
              labels='pod=c', ips='10.0.0.66'),
         line('policy.apply', policy={'kind': 'List', 'items': pols[:3]}),
         line('port.set', name='vm6', ips='10.0.0.67,fd00::67', labels='pod=a')],
    ]


def dictionary(objs):
    """Every key and short string of the seeds, as libFuzzer dictionary entries."""
    words = set()

    def walk(o):
        if isinstance(o, dict):
            for k, v in o.items():
                words.add(k)
                walk(v)
        elif isinstance(o, list):
            for v in o:
                walk(v)
        elif isinstance(o, str) and len(o) <= 40:
            words.add(o)
    for o in objs:
        walk(o)
    out = []
    for w in sorted(words):
        esc = json.dumps(w)  # a JSON string token, quotes included
        out.append('"' + esc.replace('\\', '\\\\').replace('"', '\\"') + '"')
    return out


def configs(pols):
    with open(os.path.join(ROOT, 'conf', 'vsw.json')) as f:
        base = json.load(f)
    with open(os.path.join(HERE, 'world.json')) as f:
        world = json.load(f)
    C = [base, world, {}, {'ports': []}]
    w = json.loads(json.dumps(world))
    w['policies'] = TIERS
    C.append(w)
    w = json.loads(json.dumps(world))
    w['policies'] = pols[:10]
    w['conntrack'] = {'size': 1024, 'tcp_syn_s': 5, 'tcp_established_s': 600, 'udp_new_s': 10,
                      'per_port': 100, 'fragments_per_port': 50}
    C.append(w)
    w = json.loads(json.dumps(base))
    w['workers'] = {'cpus': [1, 2, 3], 'idle_sleep_us': 0, 'idle_spins': 10, 'burst': 64}
    w['dpdk']['extra_eal_args'] = ['--no-pci', '-a', '0000:3b:00.0']
    w['static_macs'] = [{'vlan': 2003, 'mac': '02:00:00:00:00:01', 'port': 'vm1'}]
    C.append(w)
    w = json.loads(json.dumps(base))
    w['ports'][0] = {'name': 'bond0', 'type': 'bond', 'bond_mode': 'balance-xor',
                     'members': 'net_null0;net_null1', 'xmit_policy': 'l23',
                     'allowed': '2003-2005', 'qos_rate': 10000000000, 'qos_queue': 512}
    C.append(w)
    w = json.loads(json.dumps(world))
    w['ports'][1]['vlan'] = 5000     # refused
    C.append(w)
    for listen in ('127.0.0.1:9469', '[::1]:9469', 'unix:/run/vsw/metrics.sock', 'host:1'):
        w = json.loads(json.dumps(base))
        w['metrics'] = {'listen': listen}
        C.append(w)
    return C


def write(target, objs):
    d = os.path.join(HERE, 'corpus', target)
    os.makedirs(d, exist_ok=True)
    for old in glob.glob(os.path.join(d, 'seed-*')):  # crash-* inputs stay
        os.unlink(old)
    for i, o in enumerate(objs):
        with open(os.path.join(d, f'seed-{i:03d}.json'), 'w') as f:
            f.write(json.dumps(o, separators=(',', ':')) + ('\n' if target == 'control' else ''))
    print(f'{target}: {len(objs)} seeds')


def write_dict(target, objs):
    with open(os.path.join(HERE, f'{target}.dict'), 'w') as f:
        f.write(f'# JSON tokens of the {target} seeds (make_corpus.py); libFuzzer -dict\n')
        f.write('\n'.join(dictionary(objs)) + '\n')


def main():
    pols = policies()
    reqs = requests(pols)
    write('control', reqs)
    d = os.path.join(HERE, 'corpus', 'control')
    for i, seq in enumerate(sequences(pols)):
        with open(os.path.join(d, f'seed-seq{i}.json'), 'w') as f:
            f.write('\n'.join(seq) + '\n')
    write_dict('control', reqs + [json.loads(x) for q in sequences(pols) for x in q])
    cfgs = configs(pols)
    write('config', cfgs)
    write_dict('config', cfgs)
    pol_seeds = TIERS + pols[:40] + [TIERS[:3]]
    write('policy', pol_seeds)
    write_dict('policy', pol_seeds)


if __name__ == '__main__':
    main()
