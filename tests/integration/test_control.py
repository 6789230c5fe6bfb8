"""The control plane: bad input is refused with the field named and the state unchanged; the
CLI; config save and reload; the MAC table's size limit and aging; server-mode sockets;
multiqueue ports; config-file errors at startup."""

import json
import os
import socket
import stat
import subprocess
import time
import unittest

from peer import Peer, eth_frame
from vswlib import PEER, VSWD, Switch, vm_port

BCAST = 'ff:ff:ff:ff:ff:ff'


class BadInputTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sw = Switch([], start=False)
        cls.sw.rewrite_ports([vm_port('vm1', cls.sw.path('vm1.sock'), 2003)],
                             static_macs=[{'vlan': 2003, 'mac': '02:00:00:00:00:01',
                                           'port': 'vm1'}])
        cls.sw.start()

    @classmethod
    def tearDownClass(cls):
        rc = cls.sw.stop()
        cls.sw.cleanup()
        assert rc == 0

    def refused(self, words, field, errno_name='EINVAL'):
        before = self.sw.call('config.show')
        rc, out, err = self.sw.ctl(*words, check=False)
        self.assertEqual(rc, 1, f'{words}: expected refusal, got rc={rc} out={out} err={err}')
        self.assertEqual(out['field'], field, f'{words}: {out}')
        self.assertEqual(out['errno'], errno_name, f'{words}: {out}')
        self.assertIn(field, err, 'the CLI message names the field')
        self.assertEqual(self.sw.call('config.show'), before, f'{words} changed the state')
        return out

    def test_bad_port_add(self):
        s = self.sw.path
        self.refused(['port', 'add', 'vm2', f"socket={s('vm2.sock')}", 'vlan=5000'], 'args.vlan',
                     'ERANGE')
        self.refused(['port', 'add', 'vm2', f"socket={s('vm2.sock')}", 'vlan=0'], 'args.vlan',
                     'ERANGE')
        self.refused(['port', 'add', 'vm2', f"socket={s('vm2.sock')}"], 'args.vlan')
        self.refused(['port', 'add', 'vm1', f"socket={s('x.sock')}", 'vlan=2003'], 'args.name',
                     'EEXIST')
        self.refused(['port', 'add', 'vm2', f"socket={s('vm1.sock')}", 'vlan=2003'],
                     'args.socket', 'EEXIST')
        self.refused(['port', 'add', 'vm2', 'socket=/' + 'x' * 120, 'vlan=2003'], 'args.socket',
                     'ENAMETOOLONG')
        self.refused(['port', 'add', 'vm2', 'socket=relative.sock', 'vlan=2003'], 'args.socket')
        self.refused(['port', 'add', 'vm2', f"socket={s('vm2.sock')}", 'mode=trunk',
                      'allowed=2005-2003'], 'args.allowed')
        self.refused(['port', 'add', 'vm2', f"socket={s('vm2.sock')}", 'mode=trunk'],
                     'args.allowed')
        self.refused(['port', 'add', 'vm2', f"socket={s('vm2.sock')}", 'vlan=2003',
                      'mtu=9001'], 'args.mtu', 'ERANGE')
        self.refused(['port', 'add', 'vm2', f"socket={s('vm2.sock')}", 'vlan=2003',
                      'owner=root'], 'args.owner')
        self.refused(['port', 'add', 'vm2', f"socket={s('vm2.sock')}", 'vlan=2003',
                      'client=false', 'owner=no-such-user-here'], 'args.owner', 'ENOENT')
        self.refused(['port', 'add', 'up2', 'type=dpdk', 'devargs=net_nosuchdriver0',
                      'allowed=2003'], 'args.devargs', 'EACCES')  # not allow-listed
        self.refused(['port', 'add', 'up2', 'type=dpdk', 'devargs=0000:00:1f.6',
                      'allowed=2003'], 'args.devargs', 'ENODEV')  # allowed, not there

    def test_bad_port_set_and_del(self):
        self.refused(['port', 'set', 'vm1', 'vlan=4095'], 'args.vlan', 'ERANGE')
        self.refused(['port', 'set', 'vm1', 'mode=trunk'], 'args.allowed')
        self.refused(['port', 'set', 'nope', 'vlan=2003'], 'args.name', 'ENOENT')
        self.refused(['port', 'del', 'nope'], 'args.name', 'ENOENT')

    def test_bad_mac_commands(self):
        self.refused(['mac', 'add', 'vlan=2003', 'mac=02:00:00:00:00', 'port=vm1'], 'args.mac')
        self.refused(['mac', 'add', 'vlan=2003', 'mac=01:00:5e:00:00:01', 'port=vm1'], 'args.mac')
        self.refused(['mac', 'add', 'vlan=2004', 'mac=02:00:00:00:00:02', 'port=vm1'], 'args.vlan')
        self.refused(['mac', 'add', 'vlan=2003', 'mac=02:00:00:00:00:02', 'port=nope'], 'args.port',
                     'ENOENT')
        self.refused(['mac', 'del', 'vlan=2003', 'mac=02:00:00:00:00:09'], 'args.mac', 'ENOENT')

    def test_cli_rejects_before_sending(self):
        rc, _, err = self.sw.ctl('port', 'add', 'vm2', 'vlan=abc', check=False)
        self.assertEqual(rc, 1)
        self.assertIn('vlan', err)
        rc, _, err = self.sw.ctl('port', 'add', 'vm2', 'colour=blue', check=False)
        self.assertEqual(rc, 1)
        self.assertIn('colour', err)
        r = subprocess.run([os.path.join(os.path.dirname(VSWD), 'cli', 'vswctl'), '-s',
                            self.sw.path('nope.sock'), 'version'], capture_output=True, timeout=10)
        self.assertEqual(r.returncode, 2)

    def raw(self, lines):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(5)
        s.connect(self.sw.sock)
        f = s.makefile('rb')
        out = []
        for line in lines:
            s.sendall(line + b'\n')
            out.append(json.loads(f.readline()))
        s.close()
        return out

    def test_protocol_errors(self):
        r = self.raw([b'{"cmd":"port.list"}', b'not json', b'{"cmd":"hello","args":{"version":9}}',
                      b'{"cmd":"hello","args":{"version":1}}', b'{"cmd":"nope"}',
                      b'{"cmd":"port.list","args":{"x":1}}', b'{"cmd":"version","id":42}',
                      b'{"cmd":"port.list","bogus":1}'])
        self.assertEqual(r[0]['error']['errno'], 'EPROTO', 'hello comes first')
        self.assertEqual(r[1]['error']['errno'], 'EBADMSG')
        self.assertEqual(r[2]['error']['field'], 'args.version')
        self.assertTrue(r[3]['ok'])
        self.assertEqual(r[4]['error']['field'], 'cmd')
        self.assertEqual(r[5]['error']['field'], 'args.x')
        self.assertEqual(r[6]['id'], 42)
        self.assertEqual(r[7]['error']['field'], 'bogus')

    def test_oversized_request(self):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(10)
        s.connect(self.sw.sock)
        try:
            # VS_PROTO_MAX_MSG is 16 MiB (a 10,000-rule policy is about 1 MB)
            s.sendall(b'{"cmd":"' + b'x' * (16 * 1024 * 1024 + 10))
        except OSError:
            pass
        reply = json.loads(s.makefile('rb').readline())
        self.assertEqual(reply['error']['errno'], 'EMSGSIZE')
        s.close()
        self.assertEqual(self.sw.call('version')['proto'], 1, 'vswd still serves')

    def test_commands_listing_matches_cli_help(self):
        import re
        vswctl = os.path.join(os.path.dirname(VSWD), 'cli', 'vswctl')
        listing = {c['name']: c for c in self.sw.call('commands')['commands']}
        # the table vswctl was built with, as JSON: the same commands and arguments
        r = subprocess.run([vswctl, '--json', 'help'], capture_output=True, timeout=10)
        self.assertEqual(r.returncode, 0, r.stderr)
        cli = {c['name']: c for c in json.loads(r.stdout)['commands']}
        self.assertEqual(set(cli), set(listing))
        for name, c in listing.items():
            self.assertEqual(cli[name]['args'], c['args'], name)
            self.assertEqual(cli[name]['readonly'], c['readonly'], name)
        # and what a person reads: every command of the listing, and no other, in `vswctl help`
        r = subprocess.run([vswctl, 'help'], capture_output=True, timeout=10)
        self.assertEqual(r.returncode, 0, r.stderr)
        section = r.stdout.decode().split('\ncommands:\n', 1)[1].split('\n\n', 1)[0]
        shown = set()
        for line in section.splitlines()[1:]:   # after the header row
            words = re.split(r' {2,}', line.strip())[0]
            shown.add(re.sub(r' \[?<\w+>\]?$', '', words).replace(' ', '.'))
        self.assertEqual(shown, set(listing))


class ConfigTest(unittest.TestCase):
    def tearDown(self):
        self.sw.cleanup()

    def test_config_save_survives_restart(self):
        self.sw = sw = Switch([vm_port('vm1', '/tmp/placeholder-unused.sock', 2003)], start=False)
        sw.rewrite_ports([vm_port('vm1', sw.path('vm1.sock'), 2003)])
        sw.start()
        sw.call('port.add', name='vm2', socket=sw.path('vm2.sock'), client=False, perm='0600',
                mode='trunk', allowed='2003-2005,2010', native_vlan=2003, mtu=9000)
        sw.call('port.set', name='vm1', vlan=2004)
        sw.call('mac.add', vlan=2010, mac='02:00:00:00:00:07', port='vm2')
        running = sw.call('config.show')
        self.assertEqual(sw.call('config.save')['path'], os.path.realpath(sw.config_path))
        self.assertEqual(sw.stop(), 0)
        with open(sw.config_path) as f:
            self.assertEqual(json.load(f), running)
        sw.start()
        self.assertEqual(sw.call('config.show'), running)
        self.assertEqual(sw.port('vm2')['allowed'], '2003-2005,2010')

    def test_config_errors_name_the_json_path(self):
        self.sw = sw = Switch([], start=False)
        cases = [
            ({'ports': [vm_port('a', sw.path('a.sock'), 5000)]}, 'ports[0].vlan'),
            ({'ports': [vm_port('a', sw.path('a.sock'), 2003), vm_port('a', sw.path('b'), 1)]},
             'ports[1].name'),
            ({'workers': {'cpus': [0]}}, 'workers.cpus'),
            ({'fdb': {'size': 'big'}}, 'fdb.size'),
            ({'colour': 1}, 'colour'),
        ]
        for patch, field in cases:
            with open(sw.config_path) as f:
                cfg = json.load(f)
            cfg.update(patch)
            bad = sw.path('bad.json')
            with open(bad, 'w') as f:
                json.dump(cfg, f)
            r = subprocess.run([VSWD, '-c', bad, '--check'], capture_output=True, timeout=10)
            self.assertEqual(r.returncode, 1, patch)
            self.assertIn(f': {field}: ', r.stderr.decode(), patch)
        r = subprocess.run([VSWD, '-c', sw.config_path, '--check'], capture_output=True, timeout=10)
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_startup_failure_applies_nothing(self):
        self.sw = sw = Switch([], start=False)
        sw.rewrite_ports([vm_port('vm1', sw.path('vm1.sock'), 2003, client=False),
                          {'name': 'up', 'type': 'dpdk', 'devargs': '0000:00:1f.6',
                           'allowed': '2003'}])  # allowed, but no such device (--no-pci)
        r = subprocess.run([VSWD, '-c', sw.config_path], capture_output=True, timeout=60)
        self.assertEqual(r.returncode, 1)
        self.assertIn('ports[1].devargs', r.stderr.decode() + r.stdout.decode())
        self.assertFalse(os.path.exists(sw.path('vm1.sock')), 'the first port was rolled back')
        self.assertFalse(os.path.exists(sw.sock))


class FdbLimitsTest(unittest.TestCase):
    def setUp(self):
        self.sw = sw = Switch([], fdb={'size': 64, 'aging_s': 2}, start=False)
        sw.rewrite_ports([vm_port('vm1', sw.path('vm1.sock'), 2003),
                          vm_port('vm2', sw.path('vm2.sock'), 2003)])
        sw.start()
        self.p = Peer(PEER, [sw.path('vm1.sock'), sw.path('vm2.sock')], server_flags=[True, True],
                      prefix=f'{sw.prefix}f')
        sw.wait_link(['vm1', 'vm2'])

    def tearDown(self):
        self.p.close()
        self.assertEqual(self.sw.stop(), 0)
        self.sw.cleanup()

    def test_table_full_is_counted_and_traffic_still_flows(self):
        for i in range(100):
            self.p.send(0, eth_frame(BCAST, f'02:00:00:00:01:{i:02x}'))
        self.assertEqual(self.p.wait(1, 100, 3000), 100, 'flooding continues when full')
        time.sleep(0.3)
        fdb = self.sw.call('stats')['fdb']
        self.assertEqual(fdb['entries'], 64)
        self.assertGreaterEqual(fdb['full'], 36)
        self.assertEqual(len(self.sw.call('mac.show')['macs']), 64)

    def test_aging(self):
        self.p.send(0, eth_frame(BCAST, '02:00:00:00:02:01'))
        time.sleep(0.3)
        self.assertEqual(len(self.sw.call('mac.show')['macs']), 1)
        deadline = time.monotonic() + 15  # aging_s 2: generous for a slow machine
        while self.sw.call('mac.show')['macs'] and time.monotonic() < deadline:
            time.sleep(0.2)
        self.assertEqual(self.sw.call('mac.show')['macs'], [], 'aged out after aging_s')
        self.assertGreaterEqual(self.sw.call('stats')['fdb']['aged'], 1)
        # freed entries are reusable: fill the whole table again
        for i in range(64):
            self.p.send(0, eth_frame(BCAST, f'02:00:00:00:03:{i:02x}'))
        time.sleep(0.5)
        self.assertEqual(self.sw.call('stats')['fdb']['entries'], 64)

    def test_relearned_after_flush_while_traffic_continues(self):
        m = '02:00:00:00:06:01'
        self.p.send(0, eth_frame(BCAST, m), count=5)
        time.sleep(0.2)
        self.assertEqual(self.sw.call('mac.flush', port='vm1')['flushed'], 1)
        # a worker reports a source at most once a second: relearned within ~1 s
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            self.p.send(0, eth_frame(BCAST, m))
            if [e for e in self.sw.call('mac.show')['macs'] if e['mac'] == m]:
                break
            time.sleep(0.1)
        self.assertEqual([e['port'] for e in self.sw.call('mac.show')['macs'] if e['mac'] == m],
                         ['vm1'])

    def test_mac_move_counted(self):
        m = '02:00:00:00:04:01'
        self.p.send(0, eth_frame(BCAST, m))
        time.sleep(0.2)
        self.p.send(1, eth_frame(BCAST, m))
        time.sleep(0.2)
        entry = [e for e in self.sw.call('mac.show')['macs'] if e['mac'] == m]
        self.assertEqual(entry[0]['port'], 'vm2')
        self.assertGreaterEqual(self.sw.call('stats')['fdb']['moved'], 1)


class PortKindsTest(unittest.TestCase):
    def tearDown(self):
        for p in getattr(self, 'peers', []):
            p.close()
        self.assertEqual(self.sw.stop(), 0)
        self.sw.cleanup()

    def test_server_mode_socket_permissions_and_multiqueue(self):
        self.sw = sw = Switch([], start=False)
        sw.rewrite_ports([
            vm_port('vm1', sw.path('vm1.sock'), 2003, client=False, perm='0640', group='root',
                    queues=2),
            vm_port('vm2', sw.path('vm2.sock'), 2003, client=False, queues=2),
        ])
        sw.start()
        st = os.stat(sw.path('vm1.sock'))
        self.assertTrue(stat.S_ISSOCK(st.st_mode))
        self.assertEqual(stat.S_IMODE(st.st_mode), 0o640)
        self.assertEqual(stat.S_IMODE(os.stat(sw.path('vm2.sock')).st_mode), 0o660)
        self.assertEqual(stat.S_IMODE(os.stat(sw.sock).st_mode), 0o660)
        p = Peer(PEER, [sw.path('vm1.sock'), sw.path('vm2.sock')], server_flags=[False, False],
                 queues=2, prefix=f'{sw.prefix}s')
        self.peers = [p]
        sw.wait_link(['vm1', 'vm2'])
        time.sleep(0.5)
        self.assertEqual(sw.port('vm1')['rx_rings_enabled'], 2)
        p.send(0, eth_frame(BCAST, '02:00:00:00:05:01'), count=10)
        self.assertEqual(p.wait(1, 10, 3000), 10)


if __name__ == '__main__':
    unittest.main()
