"""Bonded uplinks (issue #4, bonding part, in progress): vswd's uplink is a DPDK bonding PMD
port over two af_packet members on veth pairs; the other ends are a "top-of-rack switch": a
second DPDK process running the bonding PMD in the same mode (vsw_peer with a net_bonding vdev).
Traffic crosses the bond both ways. Not yet here: failover (the af_packet PMD does not report
a veth going down, so the bond cannot notice a cut link) and 802.3ad (see the issue notes)."""

import json
import os
import subprocess
import time
import unittest

from peer import Peer, eth_frame, parse_eth
from vswlib import PEER, Switch, vm_port

BCAST = 'ff:ff:ff:ff:ff:ff'
VM, TOR = '02:00:00:00:0a:01', '02:00:00:00:0e:01'


def ip(*args):
    subprocess.run(['ip'] + list(args), check=True, capture_output=True, timeout=10)


class BondFailover:
    mode = None  # vswd's name; DPDK's number below
    dpdk_mode = None

    def setUp(self):
        tag = f'{os.getpid() % 1000}{self.dpdk_mode}'
        self.va = [f'vsa{tag}{i}' for i in range(2)]
        self.vb = [f'vsb{tag}{i}' for i in range(2)]
        for a, b in zip(self.va, self.vb):
            subprocess.run(['ip', 'link', 'del', a], capture_output=True)
            ip('link', 'add', a, 'type', 'veth', 'peer', 'name', b)
            for i in (a, b):
                subprocess.run(['sysctl', '-qw', f'net.ipv6.conf.{i}.disable_ipv6=1'],
                               capture_output=True)
                ip('link', 'set', i, 'up')
        self.sw = sw = Switch([], start=False)
        members = ';'.join(f'net_af_packet{i},iface={a}' for i, a in enumerate(self.va))
        sw.rewrite_ports([
            {'name': 'bond0', 'type': 'bond', 'bond_mode': self.mode, 'members': members,
             'allowed': '2003'},
            vm_port('vm1', sw.path('vm1.sock'), 2003),
        ])
        sw.start()
        self.vm = Peer(PEER, [sw.path('vm1.sock')], server_flags=[True], prefix=f'{sw.prefix}v',
                       mtu=1500)
        slaves = ','.join(f'slave=net_af_packet{i}' for i in range(2))
        self.tor = Peer(PEER, [], prefix=f'{sw.prefix}t', mtu=1500, extra_vdevs=[
            f'net_af_packet{i},iface={b}' for i, b in enumerate(self.vb)] + [
            f'net_bonding0,mode={self.dpdk_mode},{slaves}'])
        sw.wait_link(['bond0', 'vm1'])
        self.tor_port = 2  # after its two members

    def tearDown(self):
        self.vm.close()
        self.tor.close()
        rc = self.sw.stop()
        self.sw.cleanup()
        for a in self.va:
            subprocess.run(['ip', 'link', 'del', a], capture_output=True)
        self.assertEqual(rc, 0)

    def bond(self):
        return self.sw.call('bond.show', name='bond0')['bonds'][0]

    def wait_members(self, n, timeout=10):
        deadline = time.monotonic() + timeout
        while self.bond()['active_members'] != n and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.bond()['active_members']

    def test_traffic_crosses_the_bond_both_ways(self):
        self.assertEqual(self.wait_members(2), 2)
        b = self.bond()
        self.assertEqual(b['mode'], self.mode)
        self.assertEqual([m['link'] for m in b['members']], ['up', 'up'])
        total = 300
        for seq in range(total):
            self.vm.send(0, eth_frame(TOR, VM, payload=seq.to_bytes(4, 'big') + b'bond'))
        self.tor.wait(self.tor_port, total, 3000)
        seqs = set()
        for f in self.tor.recv(self.tor_port):
            dst, src, vlan, _, payload = parse_eth(f)
            if src == VM and vlan == 2003 and payload[4:8] == b'bond':
                seqs.add(int.from_bytes(payload[:4], 'big'))
        self.assertEqual(seqs, set(range(total)), 'every frame reached the ToR, tagged 2003')
        # and back: the ToR answers on VLAN 2003; the VM gets it untagged
        self.tor.send(self.tor_port, eth_frame(VM, TOR, vlan=2003, payload=b'reply'), count=10)
        self.assertEqual(self.vm.wait(0, 10, 3000), 10)
        self.assertEqual({parse_eth(f)[2] for f in self.vm.recv(0)}, {None})
        time.sleep(0.1)  # the control thread drains learn events every 2 ms
        macs = {m['mac']: m['port'] for m in self.sw.call('mac.show', vlan=2003)['macs']}
        self.assertEqual(macs.get(TOR), 'bond0')
        tx = sum(m['stats']['tx_packets'] for m in self.bond()['members'])
        self.assertGreaterEqual(tx, total)


class ActiveBackupTest(BondFailover, unittest.TestCase):
    mode, dpdk_mode = 'active-backup', 1


class BalanceXorTest(BondFailover, unittest.TestCase):
    mode, dpdk_mode = 'balance-xor', 2


class BondConfigTest(unittest.TestCase):
    def test_bad_bond_config_refused(self):
        sw = Switch([])
        try:
            for args, field in [
                ({'type': 'bond', 'members': 'net_null0', 'allowed': '2003'}, 'args.bond_mode'),
                ({'type': 'bond', 'bond_mode': 'roundrobin', 'members': 'net_null0',
                  'allowed': '2003'}, 'args.bond_mode'),
                ({'type': 'bond', 'bond_mode': '802.3ad', 'allowed': '2003'}, 'args.members'),
                ({'type': 'bond', 'bond_mode': '802.3ad', 'members': 'net_null0;net_null0',
                  'allowed': '2003'}, 'args.members'),
                ({'type': 'bond', 'bond_mode': '802.3ad', 'members': 'net_null0',
                  'xmit_policy': 'l5', 'allowed': '2003'}, 'args.xmit_policy'),
                ({'type': 'dpdk', 'devargs': 'net_null0', 'bond_mode': '802.3ad',
                  'allowed': '2003'}, 'args.bond_mode'),
                ({'type': 'bond', 'bond_mode': 'balance-xor', 'members': 'net_nosuch0;net_null1',
                  'allowed': '2003'}, 'args.members'),
            ]:
                r = sw.request('port.add', dict(name='b1', **args))
                self.assertFalse(r['ok'], args)
                self.assertEqual(r['error']['field'], field, r)
                self.assertEqual(sw.call('port.list')['ports'], [])
            # a valid one over null devices, shown by bond.show, removed cleanly
            sw.call('port.add', name='b1', type='bond', bond_mode='802.3ad',
                    members='net_null0;net_null1', xmit_policy='l34', allowed='2003-2004')
            b = sw.call('bond.show')['bonds']
            self.assertEqual([(x['name'], x['mode'], x['xmit_policy'], len(x['members']))
                              for x in b], [('b1', '802.3ad', 'l34', 2)])
            sw.call('port.del', name='b1')
            self.assertEqual(sw.call('bond.show')['bonds'], [])
        finally:
            self.assertEqual(sw.stop(), 0)
            sw.cleanup()


if __name__ == '__main__':
    unittest.main()
