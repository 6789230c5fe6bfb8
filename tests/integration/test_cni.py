"""vsw-cni exercised the way Multus execs it: CNI_* environment, the network config on stdin,
the real IPAM plugins of Debian's containernetworking-plugins (host-local, static) found
through CNI_PATH, against a real vswd. Then frames through the ports it made, with vsw_peer as
the vhost-user server on the socket path the device-info file names (QEMU's role under
KubeVirt).
"""

import ipaddress
import json
import os
import subprocess
import time
import unittest

from peer import Peer, eth_frame, parse_eth
from vswlib import BUILD, PEER, Switch

CNI = os.path.join(BUILD, 'control', 'vsw-cni')
CNI_PATH = '/usr/lib/cni'
BCAST = 'ff:ff:ff:ff:ff:ff'


def have_ipam():
    return all(os.access(os.path.join(CNI_PATH, p), os.X_OK) for p in ('host-local', 'static'))


@unittest.skipUnless(have_ipam(), 'containernetworking-plugins not installed (tests/deps.sh)')
class CniTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # control.persist: CNI-made ports survive a vswd restart (test_restart_keeps_ports)
        cls.sw = Switch([], control={'persist': True})
        cls.pods = cls.sw.path('pods')
        cls.state = cls.sw.path('cni-state')
        cls.ipam_dir = cls.sw.path('ipam')
        cls.devinfo = cls.sw.path('devinfo')
        os.makedirs(cls.devinfo)

    @classmethod
    def tearDownClass(cls):
        rc = cls.sw.stop()
        cls.sw.cleanup()
        assert rc == 0, f'vswd exit code {rc}'

    def conf(self, vlan=2003, ipam=None, **extra):
        c = {'cniVersion': '1.0.0', 'name': 'net-vlan%d' % vlan, 'type': 'vsw', 'vlan': vlan,
             'socketDir': self.pods, 'vswSocket': self.sw.sock, 'stateDir': self.state,
             'ipam': ipam if ipam is not None else
             {'type': 'host-local', 'subnet': '10.55.%d.0/24' % (vlan - 2000),
              'dataDir': self.ipam_dir}}
        if c['ipam'] == {}:
            del c['ipam']
        c.update(extra)
        return c

    def cni(self, command, conf, cid='c0ffee0001', ifname='net1', uid='uid-a',
            ns='tenant-a', netns='/var/run/netns/pod', env=None):
        e = {'CNI_COMMAND': command, 'CNI_CONTAINERID': cid or '', 'CNI_IFNAME': ifname or '',
             'CNI_PATH': CNI_PATH,
             'CNI_ARGS': f'IgnoreUnknown=1;K8S_POD_NAMESPACE={ns};K8S_POD_NAME=pod-{cid};'
                         f'K8S_POD_INFRA_CONTAINER_ID={cid};K8S_POD_UID={uid}',
             'PATH': '/usr/bin:/bin'}
        if netns is not None:
            e['CNI_NETNS'] = netns
        e.update(env or {})
        data = conf if isinstance(conf, (bytes, str)) else json.dumps(conf)
        r = subprocess.run([CNI], input=data.encode() if isinstance(data, str) else data,
                           env=e, capture_output=True, timeout=60)
        out = json.loads(r.stdout) if r.stdout.strip() else None
        return r.returncode, out, r.stderr.decode()

    def ports(self):
        return {p['name']: p for p in self.sw.call('port.list')['ports']}

    def leases(self, net='net-vlan2003'):
        d = os.path.join(self.ipam_dir, net)
        return sorted(f for f in os.listdir(d) if f[0].isdigit()) if os.path.isdir(d) else []

    def with_devinfo(self, conf, name, mac=None):
        rc = {'CNIDeviceInfoFile': os.path.join(self.devinfo, name)}
        if mac:
            rc['mac'] = mac
        return dict(conf, runtimeConfig=rc)

    # ------------------------------------------------------------------ lifecycle

    def test_add_check_del(self):
        conf = self.with_devinfo(self.conf(), 'a.json', mac='02:00:00:00:aa:01')
        rc, res, err = self.cni('ADD', conf)
        self.assertEqual(rc, 0, (res, err))
        sock = os.path.join(self.pods, 'uid-a', 'net1.sock')
        self.assertEqual(res['cniVersion'], '1.0.0')
        self.assertEqual(res['interfaces'], [{'name': 'net1', 'mac': '02:00:00:00:aa:01',
                                              'socketPath': sock}])
        self.assertEqual(len(res['ips']), 1)
        addr = ipaddress.ip_interface(res['ips'][0]['address'])
        self.assertIn(addr.ip, ipaddress.ip_network('10.55.3.0/24'))
        self.assertEqual((res['ips'][0]['gateway'], res['ips'][0]['interface']), ('10.55.3.1', 0))
        # the port vswd has: client mode on the per-pod socket, the pod's namespace, the IP
        port = self.sw.call('port.show', name='net1-c0ffee0001')
        self.assertEqual((port['socket'], port['client'], port['vlan'], port['mode']),
                         (sock, True, 2003, 'access'))
        self.assertEqual((port['namespace'], port['ips'], port['mac']),
                         ('tenant-a', [str(addr.ip)], '02:00:00:00:aa:01'))
        self.assertTrue(os.path.isdir(os.path.dirname(sock)))
        with open(os.path.join(self.devinfo, 'a.json')) as f:
            self.assertEqual(json.load(f), {'type': 'vhost-user', 'version': '1.1.0',
                                            'vhost-user': {'mode': 'server', 'path': sock}})
        self.assertEqual(self.leases(), [str(addr.ip)])
        # ADD again (a runtime retry): the same answer, one port, one lease
        rc, again, err = self.cni('ADD', conf)
        self.assertEqual((rc, again), (0, res), err)
        self.assertEqual(self.leases(), [str(addr.ip)])
        self.assertEqual([n for n in self.ports() if n.startswith('net1-')], ['net1-c0ffee0001'])
        # CHECK with the result as prevResult (as libcni sends it)
        rc, out, err = self.cni('CHECK', dict(conf, prevResult=res))
        self.assertEqual((rc, out), (0, None), err)
        rc, out, err = self.cni('CHECK', dict(conf, prevResult=dict(
            res, ips=[{'address': '10.55.3.250/24', 'interface': 0}])))
        self.assertEqual(rc, 1)
        self.assertIn('addresses', out['msg'])
        # DEL: port, lease, device-info, socket directory, record: all gone
        rc, out, err = self.cni('DEL', conf, netns=None)
        self.assertEqual((rc, out), (0, None), err)
        self.assertNotIn('net1-c0ffee0001', self.ports())
        self.assertEqual(self.leases(), [])
        self.assertFalse(os.path.exists(os.path.join(self.devinfo, 'a.json')))
        self.assertFalse(os.path.exists(os.path.dirname(sock)))
        self.assertEqual(os.listdir(self.state), [])
        # DEL of what is gone succeeds; CHECK says the container is unknown
        rc, out, err = self.cni('DEL', conf)
        self.assertEqual((rc, out), (0, None), err)
        rc, out, err = self.cni('CHECK', dict(conf, prevResult=res))
        self.assertEqual((rc, out['code']), (1, 3), out)

    def test_socket_dir_owner(self):
        """socketDirOwner: the pod's socket directory belongs to QEMU's user (KubeVirt runs
        it as 107), mode 0750; DEL removes it."""
        conf = dict(self.conf(), socketDirOwner='107:108')
        rc, res, err = self.cni('ADD', conf, cid='owner00001', uid='uid-owner')
        self.assertEqual(rc, 0, (res, err))
        st = os.stat(os.path.join(self.pods, 'uid-owner'))
        self.assertEqual((st.st_uid, st.st_gid, st.st_mode & 0o777), (107, 108, 0o750))
        rc, out, err = self.cni('DEL', conf, cid='owner00001', uid='uid-owner')
        self.assertEqual(rc, 0, (out, err))
        self.assertFalse(os.path.exists(os.path.join(self.pods, 'uid-owner')))

    def test_static_ipam_and_versions(self):
        """The static IPAM plugin, a trunk port, and a 0.4.0 config answered in 0.4.0."""
        conf = self.conf(ipam={'type': 'static', 'addresses': [
            {'address': '192.0.2.10/24', 'gateway': '192.0.2.1'},
            {'address': '2001:db8::10/64'}]},
            trunk=[{'id': 2003}, {'minID': 2004, 'maxID': 2005}], vlan=2003)
        conf['cniVersion'] = '0.4.0'
        rc, res, err = self.cni('ADD', conf, cid='5747ic00001')
        self.assertEqual(rc, 0, (res, err))
        self.assertEqual(res['cniVersion'], '0.4.0')
        self.assertEqual(sorted(ip['address'] for ip in res['ips']),
                         ['192.0.2.10/24', '2001:db8::10/64'])
        port = self.sw.call('port.show', name='net1-5747ic00001')
        self.assertEqual((port['mode'], port['allowed'], port['native_vlan']),
                         ('trunk', '2003-2005', 2003))
        self.assertEqual(sorted(port['ips']), ['192.0.2.10', '2001:db8::10'])
        rc, out, err = self.cni('DEL', conf, cid='5747ic00001')
        self.assertEqual(rc, 0, (out, err))
        self.assertNotIn('net1-5747ic00001', self.ports())
        rc, out, _ = self.cni('VERSION', '{"cniVersion": "0.4.0"}')
        self.assertEqual((rc, out['cniVersion']), (0, '0.4.0'))
        self.assertIn('1.0.0', out['supportedVersions'])

    # ------------------------------------------------------------------ refusals

    def test_refusals(self):
        """Each bad input is the spec's error object (code, msg) with a non-zero exit, and
        leaves no port and no lease behind."""
        before = set(self.ports())
        cases = [
            (dict(self.conf(), bogus=1), None, 2, 'bogus'),
            (dict(self.conf(), cniVersion='9.9.9'), None, 1, '9.9.9'),
            ({k: v for k, v in self.conf().items() if k != 'vlan'}, None, 7, 'vlan'),
            (dict(self.conf(), vlan=5000), None, 7, 'vlan'),
            (dict(self.conf(), type='bridge'), None, 7, 'type'),
            (dict(self.conf(), ipam={'type': '../../bin/sh'}), None, 7, 'ipam.type'),
            (dict(self.conf(), ipam={'type': 'nosuch'}), None, 7, 'nosuch'),
            (dict(self.conf(), socketDir='relative/dir'), None, 7, 'socketDir'),
            (dict(self.conf(), socketDir='/' + 'd' * 100), None, 7, 'Unix socket path'),
            (dict(self.conf(), macspoofchk=True), None, 7, 'runtimeConfig.mac'),
            (dict(self.conf(), police_rate='fast'), None, 7, 'police_rate'),
            (dict(self.conf(), socketDirOwner='qemu'), None, 7, 'socketDirOwner'),
            (dict(self.conf(), runtimeConfig={'mac': '-1:-1:-1:-1:-1:-1'}), None, 7, 'mac'),
            (dict(self.conf(), runtimeConfig={'CNIDeviceInfoFile': '/etc/crontab'}), None, 7,
             'CNIDeviceInfoFile'),
            # vswd refuses: a socket outside its socket_dirs (after IPAM: the lease goes back)
            (dict(self.conf(), socketDir='/tmp/not-vsw-dirs'), None, 7, 'vswd refused'),
            # vswd not there: try again later
            (dict(self.conf(), vswSocket=self.sw.path('nobody.sock')), None, 11, 'vswd'),
            ('{"cniVersion": ', None, 6, 'network configuration'),
            (self.conf(), {'CNI_ARGS': 'K8S_POD_NAMESPACE=x;FOO=1'}, 4, 'FOO'),
            (self.conf(), {'CNI_IFNAME': 'a/b'}, 4, 'CNI_IFNAME'),
            (self.conf(), {'CNI_CONTAINERID': ''}, 4, 'CNI_CONTAINERID'),
        ]
        for conf, env, code, words in cases:
            with self.subTest(words=words, code=code):
                rc, out, err = self.cni('ADD', conf, env=env)
                self.assertEqual(rc, 1, (out, err))
                self.assertEqual(out['code'], code, out)
                self.assertIn(words, out['msg'])
                self.assertEqual(set(self.ports()), before)
                self.assertEqual(self.leases(), [])
        rc, out, _ = self.cni('ADD', self.conf(), netns=None)
        self.assertEqual((rc, out['code']), (1, 4))
        rc, out, _ = self.cni('NOPE', self.conf())
        self.assertEqual((rc, out['code']), (1, 4))
        # CHECK came with 0.4.0, GC with 1.1.0; GC without its list would remove everything
        rc, out, _ = self.cni('CHECK', dict(self.conf(), cniVersion='0.3.1', prevResult={}))
        self.assertEqual((rc, out['code']), (1, 1))
        rc, out, _ = self.cni('GC', dict(self.conf(), cniVersion='1.0.0'))
        self.assertEqual((rc, out['code']), (1, 1))
        rc, out, _ = self.cni('GC', dict(self.conf(), cniVersion='1.1.0'))
        self.assertEqual((rc, out['code']), (1, 7))
        self.assertIn('valid-attachments', out['msg'])
        self.assertEqual(os.listdir(self.pods) if os.path.isdir(self.pods) else [], [])

    # ------------------------------------------------------------------ GC

    def test_gc(self):
        """GC (spec 1.1) removes this network's attachments that are not in
        cni.dev/valid-attachments: port, lease, device-info, socket directory, record; a
        valid one and another network's stay. A pod whose port vanished from vswd gets its
        lease back too."""
        net3 = lambda p: self.with_devinfo(self.conf(), f'gc-{p}.json')  # noqa: E731
        for p in ('g1', 'g2', 'g3'):
            rc, res, err = self.cni('ADD', net3(p), cid=f'gc{p}', uid=f'uid-gc{p}')
            self.assertEqual(rc, 0, (res, err))
        other = self.conf(vlan=2004)
        rc, res, err = self.cni('ADD', other, cid='gcother', uid='uid-gcother')
        self.assertEqual(rc, 0, (res, err))
        self.sw.call('port.del', name='net1-gcg3')     # vanished behind the plugin's back
        self.assertEqual(len(self.leases()), 3)
        gc = dict(self.conf(), cniVersion='1.1.0', **{'cni.dev/valid-attachments': [
            {'containerID': 'gcg1', 'ifname': 'net1'}]})
        rc, out, err = self.cni('GC', gc, cid=None, ifname=None, netns=None,
                                env={'CNI_CONTAINERID': '', 'CNI_IFNAME': ''})
        self.assertEqual((rc, out), (0, None), err)
        ports = self.ports()
        self.assertIn('net1-gcg1', ports)
        self.assertIn('net1-gcother', ports)
        self.assertNotIn('net1-gcg2', ports)
        self.assertEqual(len(self.leases()), 1)
        self.assertEqual(len(self.leases('net-vlan2004')), 1)
        self.assertFalse(os.path.exists(os.path.join(self.devinfo, 'gc-g2.json')))
        self.assertTrue(os.path.exists(os.path.join(self.devinfo, 'gc-g1.json')))
        self.assertEqual(sorted(os.listdir(self.pods)), ['uid-gcg1', 'uid-gcother'])
        self.assertEqual(len([f for f in os.listdir(self.state)]), 2)
        # a NAD of the same name in another namespace with another config is not this
        # network: GC of that one leaves these alone
        twin = dict(self.conf(), vlan=2005)
        rc, out, err = self.cni('GC', dict(twin, cniVersion='1.1.0',
                                           **{'cni.dev/valid-attachments': []}),
                                cid=None, ifname=None, netns=None)
        self.assertEqual((rc, out), (0, None), err)
        self.assertIn('net1-gcg1', self.ports())
        # DEL without the pod UID in CNI_ARGS (some runtimes): the record says where
        rc, out, err = self.cni('DEL', net3('g1'), cid='gcg1', uid='')
        self.assertEqual(rc, 0, (out, err))
        self.assertNotIn('net1-gcg1', self.ports())
        rc, out, err = self.cni('DEL', other, cid='gcother', uid='uid-gcother')
        self.assertEqual(rc, 0, (out, err))
        self.assertEqual(os.listdir(self.state), [])
        self.assertEqual(os.listdir(self.pods), [])

    # ------------------------------------------------------------------ repeated

    def test_add_del_repeated(self):
        """ADD/DEL 200 times leaves no port, lease, socket directory, record or vswd fd."""
        fds = len(os.listdir(f'/proc/{self.sw.proc.pid}/fd'))
        conf = self.with_devinfo(self.conf(vlan=2004), 'r.json')
        t = time.monotonic()
        for i in range(200):
            cid = 'rep%08d' % i
            rc, res, err = self.cni('ADD', conf, cid=cid, uid=f'uid-{cid}')
            self.assertEqual(rc, 0, (res, err))
            rc, out, err = self.cni('DEL', conf, cid=cid, uid=f'uid-{cid}')
            self.assertEqual(rc, 0, (out, err))
        per_pod_ms = (time.monotonic() - t) * 1000 / 200
        self.assertEqual([n for n in self.ports() if n.startswith('net1-rep')], [])
        self.assertEqual(self.leases('net-vlan2004'), [])
        self.assertEqual(os.listdir(self.pods), [])
        self.assertEqual(os.listdir(self.state), [])
        self.assertLessEqual(len(os.listdir(f'/proc/{self.sw.proc.pid}/fd')), fds)
        print(f'\nCNI ADD+DEL: {per_pod_ms:.0f} ms per pod (not asserted)')

    # ------------------------------------------------------------------ traffic

    def test_frames_through_cni_ports(self):
        """Three pods: two on VLAN 2003, one on 2004. vsw_peer serves the sockets the
        device-info files name, as QEMU does; a broadcast of pod a reaches pod b only, and
        b's answer reaches a. DEL takes the ports away."""
        pods = [('a', 2003, '02:00:00:00:0a:01'), ('b', 2003, '02:00:00:00:0b:01'),
                ('c', 2004, '02:00:00:00:0c:01')]
        socks, names = [], []
        for p, vlan, mac in pods:
            conf = self.with_devinfo(self.conf(vlan=vlan), f'{p}.json', mac=mac)
            rc, res, err = self.cni('ADD', conf, cid=f'traffic{p}', uid=f'uid-t{p}')
            self.assertEqual(rc, 0, (res, err))
            with open(os.path.join(self.devinfo, f'{p}.json')) as f:
                socks.append(json.load(f)['vhost-user']['path'])
            names.append(f'net1-traffic{p}')
        peer = Peer(PEER, socks, server_flags=[True] * 3, prefix=f'{self.sw.prefix}c')
        try:
            self.sw.wait_link(names)
            peer.send(0, eth_frame(BCAST, pods[0][2], payload=b'from a'))
            time.sleep(0.3)
            got = [peer.recv(i) for i in range(3)]
            self.assertEqual(len(got[1]), 1, got)
            self.assertEqual(parse_eth(got[1][0])[:3], (BCAST, pods[0][2], None))
            self.assertEqual((got[0], got[2]), ([], []))
            peer.send(1, eth_frame(pods[0][2], pods[1][2], payload=b'from b'))
            time.sleep(0.3)
            got = [peer.recv(i) for i in range(3)]
            self.assertEqual((len(got[0]), got[1], got[2]), (1, [], []), got)
        finally:
            peer.close()
        for p, vlan, mac in pods:
            conf = self.with_devinfo(self.conf(vlan=vlan), f'{p}.json', mac=mac)
            rc, out, err = self.cni('DEL', conf, cid=f'traffic{p}', uid=f'uid-t{p}')
            self.assertEqual(rc, 0, (out, err))
        self.assertEqual([n for n in self.ports() if n.startswith('net1-traffic')], [])


    # ------------------------------------------------------------------ restart

    def test_restart_keeps_ports(self):
        """control.persist: vswd restarted (SIGTERM, then SIGKILL) comes back with the ports
        vsw-cni made, and frames flow again without touching the peer (vswd reconnects as the
        client). A state file that cannot be read stops vswd from starting, naming it."""
        pods = [('ra', '02:00:00:00:1a:01'), ('rb', '02:00:00:00:1b:01')]
        socks, names = [], []
        for p, mac in pods:
            conf = self.with_devinfo(self.conf(vlan=2005), f'{p}.json', mac=mac)
            rc, res, err = self.cni('ADD', conf, cid=f'restart{p}', uid=f'uid-{p}')
            self.assertEqual(rc, 0, (res, err))
            socks.append(res['interfaces'][0]['socketPath'])
            names.append(f'net1-restart{p}')
        before = {n: self.sw.call('port.show', name=n) for n in names}
        persist = self.sw.call('control.show')['persist']
        self.assertTrue(persist['enabled'])
        self.assertGreater(persist['writes'], 0)
        self.assertEqual(persist['errors'], 0)
        state = os.path.join(self.sw.state_dir, 'running-state.json')
        peer = Peer(PEER, socks, server_flags=[True] * 2, prefix=f'{self.sw.prefix}r')
        try:
            self.sw.wait_link(names)
            for how in ('term', 'kill'):
                if how == 'term':
                    self.assertEqual(self.sw.stop(), 0)
                else:
                    self.sw.kill()
                self.sw.start()
                self.assertTrue(self.sw.call('control.show')['persist']['loaded'])
                for n in names:
                    after = self.sw.call('port.show', name=n)
                    for k in ('socket', 'client', 'vlan', 'namespace', 'ips', 'mac'):
                        self.assertEqual(after[k], before[n][k], (how, n, k))
                # virtio-user in server mode accepts the reconnection when its link is
                # polled (as in test_runtime.test_vswd_restart_keeps_vms)
                deadline = time.monotonic() + 20
                while time.monotonic() < deadline:
                    peer.stats()
                    if all(self.sw.call('port.show', name=n)['link'] == 'up' for n in names):
                        break
                    time.sleep(0.2)
                self.sw.wait_link(names)
                peer.clear()
                peer.send(0, eth_frame(BCAST, pods[0][1], payload=b'after ' + how.encode()))
                time.sleep(0.3)
                got = [peer.recv(i) for i in range(2)]
                self.assertEqual((got[0], len(got[1])), ([], 1), (how, got))
        finally:
            peer.close()
        for p, mac in pods:
            conf = self.with_devinfo(self.conf(vlan=2005), f'{p}.json', mac=mac)
            rc, out, err = self.cni('DEL', conf, cid=f'restart{p}', uid=f'uid-{p}')
            self.assertEqual(rc, 0, (out, err))
        with open(state) as f:
            self.assertEqual([p['name'] for p in json.load(f)['ports']
                              if p['name'].startswith('net1-restart')], [])
        # a state file vswd cannot read: it refuses to start and says which file
        with open(state) as f:
            good = f.read()
        self.assertEqual(self.sw.stop(), 0)
        with open(state, 'w') as f:
            f.write('{"ports": [')
        with self.assertRaises(RuntimeError) as cm:
            self.sw.start(timeout=20)
        self.assertIn('running-state.json', str(cm.exception))
        with open(state, 'w') as f:
            f.write(good)
        self.sw.start()


if __name__ == '__main__':
    unittest.main()
