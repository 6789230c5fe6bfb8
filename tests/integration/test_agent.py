"""vsw-agent against a real vswd and a stand-in Kubernetes API server (kube_standin.py: no
API server can be installed here; the stand-in follows the API's list/watch conventions:
resourceVersions, bookmarks, 410 Expired, chunked watch streams, bearer tokens).

The agent lists and watches Namespaces, this node's Pods, NADs and the policy kinds, and keeps
vswd at the cluster's state: the NADs' networks, the namespaces' labels, the labels of the
ports the pods' network-status names, the policies one by one (a refused one fails closed).
"""

import json
import os
import subprocess
import time
import unittest

from kube_standin import KubeStandin
from vswlib import BUILD, CtlError, Switch

AGENT = os.path.join(BUILD, 'control', 'vsw-agent')
NODE = 'node-1'


def nad(ns, name, vlan, typ='vsw'):
    return {'apiVersion': 'k8s.cni.cncf.io/v1', 'kind': 'NetworkAttachmentDefinition',
            'metadata': {'name': name, 'namespace': ns},
            'spec': {'config': json.dumps({'cniVersion': '1.0.0', 'type': typ, 'vlan': vlan})}}


def namespace(name, **labels):
    return {'apiVersion': 'v1', 'kind': 'Namespace',
            'metadata': {'name': name, 'labels': dict(labels, **{
                'kubernetes.io/metadata.name': name})}}


def pod(ns, name, sock, labels, node=NODE, net='net-vlan2003'):
    status = [{'name': 'default/pod-network', 'interface': 'eth0', 'default': True},
              {'name': f'{ns}/{net}', 'interface': 'net1',
               'device-info': {'type': 'vhost-user', 'version': '1.1.0',
                               'vhost-user': {'mode': 'server', 'path': sock}}}]
    return {'apiVersion': 'v1', 'kind': 'Pod',
            'metadata': {'name': name, 'namespace': ns, 'labels': labels,
                         'annotations': {'k8s.v1.cni.cncf.io/network-status': json.dumps(status)}},
            'spec': {'nodeName': node}, 'status': {'phase': 'Running'}}


def mnp(ns, name, spec, net='net-vlan2003'):
    return {'apiVersion': 'k8s.cni.cncf.io/v1beta1', 'kind': 'MultiNetworkPolicy',
            'metadata': {'name': name, 'namespace': ns,
                         'annotations': {'k8s.v1.cni.cncf.io/policy-for': net}},
            'spec': spec}


ALLOW_WEB = {'podSelector': {'matchLabels': {'app': 'web'}}, 'policyTypes': ['Ingress'],
             'ingress': [{'from': [{'podSelector': {}}], 'ports': [{'port': 80}]}]}


class AgentTest(unittest.TestCase):
    def setUp(self):
        self.sw = Switch([])
        self.kube = KubeStandin()
        self.kube.start()
        self.agent = None
        self.log = open(self.sw.path('agent.log'), 'w+')
        self.sock = {n: self.sw.path(f'pods/{n}/net1.sock') for n in ('u1', 'u2', 'u3')}
        for i, (n, s) in enumerate(self.sock.items()):
            os.makedirs(os.path.dirname(s))
            self.sw.call('port.add', name=f'net1-{n}', socket=s, client=True, vlan=2003,
                         namespace='x', ips=f'10.55.3.{10 + i}')

    def tearDown(self):
        agent_rc = None
        if self.agent is not None and self.agent.poll() is None:
            self.agent.terminate()
            try:
                agent_rc = self.agent.wait(10)
            except subprocess.TimeoutExpired:
                self.agent.kill()
                self.agent.wait(5)
        self.kube.stop()
        rc = self.sw.stop()
        log = self.agent_log()
        self.log.close()
        self.sw.cleanup()
        self.assertEqual(rc, 0, 'vswd exit code')
        if self.agent is not None:   # SIGTERM: a clean stop (and, under ASan, no leak)
            self.assertEqual(agent_rc, 0, f'vsw-agent did not stop cleanly:\n{log[-3000:]}')

    def kubeconfig(self, token=None):
        path = self.kube.write_kubeconfig(self.sw.path('kubeconfig.json'), as_json=True)
        if token is not None:
            with open(path) as f:
                kc = json.load(f)
            kc['users'][0]['user']['token'] = token
            with open(path, 'w') as f:
                json.dump(kc, f)
        return path

    def start_agent(self, *extra, token=None):
        self.agent = subprocess.Popen(
            [AGENT, '--node', NODE, '--kubeconfig', self.kubeconfig(token), '--vsw-socket',
             self.sw.sock, '--settle-ms', '20', '--resync-s', '600', '--watch-timeout-s', '4',
             *extra], stdout=self.log, stderr=self.log)

    def agent_log(self):
        self.log.flush()
        with open(self.log.name) as f:
            return f.read()

    def wait(self, what, cond, timeout=20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            v = cond()
            if v:
                return v
            time.sleep(0.05)
        self.fail(f'{what} within {timeout} s; agent log:\n{self.agent_log()[-3000:]}')

    # what vswd holds
    def networks(self):
        return {n['name']: n['vlan'] for n in self.sw.call('network.list')['networks']}

    def namespaces(self):
        return {n['name']: {k: v for k, v in n['labels'].items()
                            if k != 'kubernetes.io/metadata.name'}
                for n in self.sw.call('namespace.list')['namespaces']}

    def labels(self, port):
        return self.sw.call('port.show', name=port).get('labels', {})

    def policies(self):
        return {(p['kind'], p.get('namespace', ''), p['name']): p
                for p in self.sw.call('policy.list')['policies']}

    def cluster(self):
        k = self.kube
        k.put(namespace('x', team='blue'))
        k.put(namespace('y'))
        k.put(nad('x', 'net-vlan2003', 2003))
        k.put(nad('x', 'net-bridge', 2004, typ='bridge'))     # not vsw's: no network
        k.put(pod('x', 'a', self.sock['u1'], {'app': 'web'}))
        k.put(pod('x', 'b', self.sock['u2'], {'app': 'db'}))
        k.put(pod('x', 'c', self.sock['u3'], {'app': 'other'}, node='node-2'))  # not ours
        # a pod of another namespace naming x's port in its own network-status: ignored
        k.put(pod('y', 'evil', self.sock['u3'], {'app': 'web'}))
        k.put(mnp('x', 'allow-web', ALLOW_WEB))

    def test_list_then_watch_keeps_vswd_in_step(self):
        self.sw.call('network.add', name='vlan2005', vlan=2005)   # the operator's: kept
        self.sw.call('namespace.set', name='stale', labels='a=b')  # not in the cluster: removed
        self.cluster()
        self.start_agent()
        self.wait('the NAD network', lambda: self.networks().get('x/net-vlan2003') == 2003)
        self.wait('the policy', lambda: ('MultiNetworkPolicy', 'x', 'allow-web') in self.policies())
        self.assertEqual(self.networks(), {'x/net-vlan2003': 2003, 'vlan2005': 2005})
        self.assertEqual(self.namespaces(), {'x': {'team': 'blue'}, 'y': {}})
        self.assertEqual(self.labels('net1-u1'), {'app': 'web'})
        self.assertEqual(self.labels('net1-u2'), {'app': 'db'})
        self.assertEqual(self.labels('net1-u3'), {},
                         'a pod of another node or namespace labelled the port')
        self.assertEqual(self.policies()[('MultiNetworkPolicy', 'x', 'allow-web')]['selected_ports'], 1)
        # the pods were read for this node only
        pods = [q for m, p, q in self.kube.requests if p == '/api/v1/pods']
        self.assertTrue(pods and all(q.get('fieldSelector') == [f'spec.nodeName={NODE}']
                                     or q.get('fieldSelector') == f'spec.nodeName={NODE}'
                                     for q in pods), pods)

        # watch events: labels, namespaces, NADs and policies follow the cluster
        k = self.kube
        k.put(pod('x', 'b', self.sock['u2'], {'app': 'web', 'tier': 'be'}))
        self.wait('new pod labels', lambda: self.labels('net1-u2') == {'app': 'web', 'tier': 'be'})
        self.wait('the policy selecting both',
                  lambda: self.policies()[('MultiNetworkPolicy', 'x', 'allow-web')]
                  ['selected_ports'] == 2)
        k.put(namespace('x', team='red'))
        self.wait('namespace labels', lambda: self.namespaces().get('x') == {'team': 'red'})
        k.delete('Namespace', 'y')
        self.wait('namespace gone', lambda: 'y' not in self.namespaces())
        k.put(nad('x', 'net-vlan2003', 2006))   # network.set: moved under its policy
        self.wait('NAD moved', lambda: self.networks().get('x/net-vlan2003') == 2006)
        self.assertEqual(self.policies()[('MultiNetworkPolicy', 'x', 'allow-web')]['selected_ports'], 0)
        with self.assertRaises(CtlError) as cm:
            self.sw.call('network.set', name='x/none', vlan=5)
        self.assertEqual(cm.exception.err['errno'], 'ENOENT')
        k.delete('MultiNetworkPolicy', 'allow-web', 'x')
        self.wait('policy gone', lambda: not self.policies())
        k.delete('NetworkAttachmentDefinition', 'net-vlan2003', 'x')
        self.wait('network gone', lambda: self.networks() == {'vlan2005': 2005})
        # the watches were restarted when the server ended them (timeoutSeconds=4)
        self.assertEqual(self.agent.poll(), None)

    def test_relists_after_410_and_deletes_what_it_missed(self):
        self.cluster()
        k = self.kube
        k.put(mnp('x', 'second', {'podSelector': {}, 'policyTypes': ['Egress']}))
        self.start_agent()
        self.wait('both policies', lambda: len(self.policies()) == 2)
        lists_before = sum(1 for m, p, q in k.requests if 'watch' not in q)
        # the API goes away; meanwhile a policy is deleted and the history compacted
        k.fail_next(10 ** 6, status=503)
        k.drop_watches()
        k.delete('MultiNetworkPolicy', 'second', 'x')
        k.put(pod('x', 'a', self.sock['u1'], {'app': 'web', 'v': '2'}))
        k.compact()
        time.sleep(1)
        self.assertEqual(len(self.policies()), 2, 'changed while the API was away?')
        k.fail_next(0)
        self.wait('the missed deletion', lambda: len(self.policies()) == 1, timeout=40)
        self.wait('the missed label change', lambda: self.labels('net1-u1') == {'app': 'web', 'v': '2'})
        lists_after = sum(1 for m, p, q in k.requests if 'watch' not in q)
        self.assertGreater(lists_after, lists_before, 'no relist after 410')
        log = self.agent_log()
        self.assertIn('410', log)
        self.assertIn('working again', log)

    def test_bookmarks_move_the_watch_on(self):
        self.cluster()
        self.start_agent()
        self.wait('the policy', lambda: self.policies())
        k = self.kube

        def rewatched_from_bookmark():
            # pod events the agent never sees (another node) move resourceVersion on; only a
            # bookmark tells the agent, and its next pods watch starts there. A bookmark the
            # agent had no time to read before the cut is simply sent again.
            k.put(pod('x', 'q', '/none', {}, node='node-2'))
            rv = str(k.rv())
            k.bookmark()
            time.sleep(0.3)
            n = len(k.requests)
            k.drop_watches()
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                for m, p, q in k.requests[n:]:
                    if p == '/api/v1/pods' and 'watch' in q:
                        return q.get('resourceVersion') in (rv, [rv])
                time.sleep(0.05)
            return False
        self.wait('a pods watch from the bookmark', rewatched_from_bookmark, timeout=40)
        self.assertEqual(self.agent.poll(), None)

    def test_a_policy_before_its_nad_is_applied_when_the_nad_comes(self):
        k = self.kube
        k.put(namespace('x'))
        k.put(pod('x', 'a', self.sock['u1'], {'app': 'web'}))
        k.put(mnp('x', 'allow-web', ALLOW_WEB))     # names x/net-vlan2003, not there yet
        self.start_agent()
        self.wait('the refusal', lambda: 'allow-web' in self.agent_log())
        k.put(nad('x', 'net-vlan2003', 2003))
        pol = self.wait('the policy', lambda: self.policies().get(
            ('MultiNetworkPolicy', 'x', 'allow-web')))
        self.wait('the real one, not a stand-in', lambda: self.policies()[
            ('MultiNetworkPolicy', 'x', 'allow-web')]['ingress_rules'] == 1)
        self.assertEqual(pol['selected_ports'], 1)

    def test_a_refused_policy_fails_closed_and_does_not_block_others(self):
        self.cluster()
        bad = {'podSelector': {'matchLabels': {'app': 'db'}}, 'policyTypes': ['Ingress'],
               'ingress': [{'ports': [{'port': 80, 'endPort': 79}]}]}
        self.kube.put(mnp('x', 'broken', bad))
        self.start_agent()
        self.wait('the good policy', lambda: ('MultiNetworkPolicy', 'x', 'allow-web') in self.policies())
        pol = self.wait('the stand-in', lambda: self.policies().get(('MultiNetworkPolicy', 'x', 'broken')))
        # the pods the refused policy selects (x/b) are isolated in its direction
        self.assertEqual((pol['selected_ports'], pol['ingress_rules'], pol['egress_rules']), (1, 0, 0))
        show = self.sw.call('policy.show', name='broken', namespace='x')
        self.assertIn('net1-u2', json.dumps(show))
        self.assertIn('endPort', self.agent_log())
        # the start sent both as one List; refused whole, they went one at a time
        self.assertIn('2 policies refused as one List', self.agent_log())
        # and says so where kubectl looks: a Warning Event on the object
        ev = self.wait('the Event', lambda: [e for e in self.kube.events
                                             if e['involvedObject']['name'] == 'broken'])[0]
        self.assertEqual((ev['type'], ev['reason'], ev['metadata']['namespace'],
                          ev['involvedObject']['kind'], ev['source']['host']),
                         ('Warning', 'PolicyRefusedFailedClosed', 'x', 'MultiNetworkPolicy', NODE))
        self.assertIn('endPort', ev['message'])
        # fixed in the cluster: the real policy replaces the stand-in
        fixed = dict(bad, ingress=[{'ports': [{'port': 80, 'endPort': 81}]}])
        self.kube.put(mnp('x', 'broken', fixed))
        self.wait('the fixed policy', lambda: self.policies()[('MultiNetworkPolicy', 'x', 'broken')]
                  ['ingress_rules'] == 1)

    def test_fail_open_leaves_a_refused_policy_out(self):
        self.cluster()
        self.kube.put(mnp('x', 'broken', {'podSelector': {}, 'ingress': [
            {'ports': [{'port': 80, 'endPort': 79}]}]}))
        self.start_agent('--fail-open')
        self.wait('the good policy', lambda: ('MultiNetworkPolicy', 'x', 'allow-web') in self.policies())
        time.sleep(1)
        self.assertNotIn(('MultiNetworkPolicy', 'x', 'broken'), self.policies())
        self.assertIn('--fail-open', self.agent_log())
        ev = self.wait('the Event', lambda: self.kube.events)[0]
        self.assertEqual((ev['reason'], ev['involvedObject']['name']), ('PolicyRefused', 'broken'))
        self.assertIn('not enforced', ev['message'])

    def test_in_cluster_over_tls_with_a_rotating_token(self):
        self.kube.stop()
        self.kube = KubeStandin(tls=True, token='first')
        self.kube.start()
        sa = self.sw.path('serviceaccount')
        env = dict(os.environ, NODE_NAME=NODE, **self.kube.write_incluster(sa))
        self.cluster()
        self.agent = subprocess.Popen(
            [AGENT, '--sa-dir', sa, '--vsw-socket', self.sw.sock, '--settle-ms', '20'],
            stdout=self.log, stderr=self.log, env=env)
        self.wait('the policy over TLS', lambda: self.policies())
        self.assertIn('https://127.0.0.1:', self.agent_log())
        # the kubelet rotates the projected token: the next connections send the new one
        self.kube.token = 'second'
        with open(os.path.join(sa, 'token'), 'w') as f:
            f.write('second\n')
        self.kube.drop_watches()
        self.kube.put(namespace('x', team='rotated'))
        self.wait('a change after the rotation', lambda: self.namespaces().get('x') == {'team': 'rotated'})

    def test_bad_token_is_retried_not_fatal(self):
        self.cluster()
        self.start_agent(token='wrong')
        self.wait('a 401 in the log', lambda: '401' in self.agent_log())
        self.assertIsNone(self.agent.poll())
        self.assertEqual(self.policies(), {}, 'reconciled without having listed')

    def test_refuses_bad_invocations(self):
        for args, msg in (([], 'no node name'),
                          (['--node', 'n', '--kubeconfig', '/nonexistent'], 'not JSON'),
                          (['--node', 'n', '--resync-s', 'x'], 'not a number')):
            env = {k: v for k, v in os.environ.items()
                   if k not in ('NODE_NAME', 'KUBERNETES_SERVICE_HOST')}
            r = subprocess.run([AGENT, *args], capture_output=True, text=True, timeout=10,
                               env=env)
            self.assertNotEqual(r.returncode, 0, args)
            self.assertIn(msg, r.stderr, args)


if __name__ == '__main__':
    unittest.main()
