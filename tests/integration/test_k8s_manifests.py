"""conf/k8s: the node manifests are consistent with what vsw's programs accept. No cluster
runs here, so this checks what can be checked without one: every document parses; the
ConfigMap's vswd config passes `vswd --check`; the example NAD's config is accepted by the real
vsw-cni (ADD and DEL against a real vswd, only its paths moved into a temp dir); the
ClusterRole lets vsw-agent list and watch every resource it watches; the DaemonSet gives the
agent its node name and the sockets' directory.
"""

import json
import os
import subprocess
import unittest

import yaml

from vswlib import BUILD, ROOT, VSWD, Switch

K8S = os.path.join(ROOT, 'conf', 'k8s')
CNI = os.path.join(BUILD, 'control', 'vsw-cni')
# what vsw-agent watches (control/agent/main.c)
WATCHED = [('', 'namespaces'), ('', 'pods'), ('k8s.cni.cncf.io', 'network-attachment-definitions'),
           ('k8s.cni.cncf.io', 'multi-networkpolicies'),
           ('policy.networking.k8s.io', 'adminnetworkpolicies'),
           ('policy.networking.k8s.io', 'baselineadminnetworkpolicies')]


def docs(name):
    with open(os.path.join(K8S, name)) as f:
        return [d for d in yaml.safe_load_all(f) if d]


def one(name, kind):
    found = [d for d in docs(name) if d['kind'] == kind]
    assert len(found) == 1, (name, kind, len(found))
    return found[0]


class ManifestTest(unittest.TestCase):
    def test_every_document_parses_with_kind_and_name(self):
        files = sorted(f for f in os.listdir(K8S) if f.endswith('.yaml'))
        self.assertGreaterEqual(len(files), 5)
        for f in files:
            for d in docs(f):
                self.assertTrue(d.get('apiVersion') and d.get('kind') and d['metadata'].get('name'),
                                (f, d))

    def test_rbac_covers_what_the_agent_watches(self):
        role = one('rbac.yaml', 'ClusterRole')
        for group, res in WATCHED:
            verbs = set()
            for r in role['rules']:
                if group in r['apiGroups'] and res in r['resources']:
                    verbs |= set(r['verbs'])
            self.assertLessEqual({'list', 'watch'}, verbs, (group, res))
        for r in role['rules']:
            self.assertFalse(set(r['verbs']) & {'update', 'patch', 'delete', '*'}, r)
        binding = one('rbac.yaml', 'ClusterRoleBinding')
        sa = one('rbac.yaml', 'ServiceAccount')
        self.assertEqual(binding['subjects'][0]['name'], sa['metadata']['name'])

    def test_daemonset_wires_agent_and_switch(self):
        ds = one('daemonset.yaml', 'DaemonSet')
        pod = ds['spec']['template']['spec']
        self.assertEqual(pod['serviceAccountName'], one('rbac.yaml', 'ServiceAccount')['metadata']['name'])
        c = {x['name']: x for x in pod['containers']}
        env = {e['name']: e for e in c['vsw-agent']['env']}
        self.assertEqual(env['NODE_NAME']['valueFrom']['fieldRef']['fieldPath'], 'spec.nodeName')
        cfg = json.loads(one('daemonset.yaml', 'ConfigMap')['data']['vsw.json'])
        run = {m['name']: m['mountPath'] for m in c['vsw-agent']['volumeMounts']}
        self.assertTrue(cfg['control']['socket'].startswith(run['run'] + '/'))
        nad = one('nad-vlan2003.yaml', 'NetworkAttachmentDefinition')
        sockdir = json.loads(nad['spec']['config'])['socketDir']
        self.assertIn(sockdir, cfg['control']['socket_dirs'])
        self.assertTrue(cfg['control']['persist'])

    def test_configmap_passes_vswd_check(self):
        cfg = one('daemonset.yaml', 'ConfigMap')['data']['vsw.json']
        path = '/tmp/vsw-k8s-configmap.json'
        with open(path, 'w') as f:
            f.write(cfg)
        try:
            r = subprocess.run([VSWD, '-c', path, '--check'], capture_output=True, text=True,
                               timeout=30)
        finally:
            os.unlink(path)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

    def test_nad_config_is_accepted_by_vsw_cni(self):
        conf = json.loads(one('nad-vlan2003.yaml', 'NetworkAttachmentDefinition')['spec']['config'])
        sw = Switch([])
        try:
            conf.update(socketDir=sw.path('pods'), vswSocket=sw.sock, stateDir=sw.path('state'))
            conf['socketDirOwner'] = f'{os.getuid()}:{os.getgid()}'
            conf['ipam']['dataDir'] = sw.path('ipam')
            conf['runtimeConfig'] = {'mac': '02:00:00:00:03:10'}   # KubeVirt's macAddress
            env = {'CNI_CONTAINERID': 'k8sexample01', 'CNI_IFNAME': 'net1',
                   'CNI_NETNS': '/var/run/netns/x', 'CNI_PATH': '/usr/lib/cni',
                   'CNI_ARGS': 'IgnoreUnknown=1;K8S_POD_NAMESPACE=tenant-a;K8S_POD_UID=u1',
                   'PATH': '/usr/bin:/bin'}
            for cmd in ('ADD', 'DEL'):
                r = subprocess.run([CNI], input=json.dumps(conf), text=True, capture_output=True,
                                   env=dict(env, CNI_COMMAND=cmd), timeout=60)
                self.assertEqual(r.returncode, 0, (cmd, r.stdout, r.stderr))
                if cmd == 'ADD':
                    port = sw.call('port.show', name='net1-k8sexample01')
                    self.assertEqual((port['vlan'], port['mtu'], port['spoofchk']), (2003, 9000, True))
        finally:
            self.assertEqual(sw.stop(), 0)
            sw.cleanup()

    def test_example_policy_is_accepted_by_vswd(self):
        sw = Switch([])
        try:
            sw.call('network.add', name='tenant-a/net-vlan2003', vlan=2003)
            r = sw.call('policy.apply', policy=one('policy-example.yaml', 'MultiNetworkPolicy'))
            self.assertEqual(r['applied'][0]['name'], 'web-ingress')
        finally:
            self.assertEqual(sw.stop(), 0)
            sw.cleanup()


if __name__ == '__main__':
    unittest.main()
