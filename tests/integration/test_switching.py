"""What arrives where: VLAN trunk, access and trunk VM ports, learning, flooding, drops.

One vswd and one vsw_peer for the whole class. Peer ports (index: vswd port):
  0: up  - uplink, a dpdk port (net_vhost), trunk allowed 2003-2005, no native VLAN
  1: vm1 - access 2003        2: vm2 - access 2003
  3: vm3 - access 2004        4: vm4 - access 2005, MTU 1500
  5: vmt - VM trunk, allowed 2003-2004 (a VM doing its own VLANs)
"""

import time
import unittest

from peer import eth_frame, parse_eth
from vswlib import CtlError, PeerSwitchTest, Switch, vm_port

UP, VM1, VM2, VM3, VM4, VMT = range(6)
NAMES = ['up', 'vm1', 'vm2', 'vm3', 'vm4', 'vmt']
BCAST = 'ff:ff:ff:ff:ff:ff'
A, B, C = '02:00:00:00:0a:01', '02:00:00:00:0b:02', '02:00:00:00:0c:03'


class SwitchingTest(PeerSwitchTest):
    @classmethod
    def setUpClass(cls):
        cls.sw = Switch([], start=False)
        sw = cls.sw
        ports = [
            {'name': 'up', 'type': 'dpdk', 'mode': 'trunk', 'allowed': '2003-2005', 'mtu': 9000,
             'devargs': f"net_vhost0,iface={sw.path('up.sock')},queues=1"},
            vm_port('vm1', sw.path('vm1.sock'), 2003),
            vm_port('vm2', sw.path('vm2.sock'), 2003),
            vm_port('vm3', sw.path('vm3.sock'), 2004),
            vm_port('vm4', sw.path('vm4.sock'), 2005, mtu=1500),
            {'name': 'vmt', 'socket': sw.path('vmt.sock'), 'mode': 'trunk', 'allowed': '2003-2004',
             'mtu': 9000},
        ]
        sw.rewrite_ports(ports)
        cls.start_peer(sw, NAMES)

    def setUp(self):
        self.peer.clear()

    def collect(self, settle=0.3):
        time.sleep(settle)
        return {i: self.peer.recv(i) for i in range(6)}

    def assertOnly(self, got, expect):
        """expect: {port: vlan-or-None}; every listed port got exactly one frame with that
        tagging, every other port got nothing."""
        for i in range(6):
            if i in expect:
                self.assertEqual(len(got[i]), 1, f'{NAMES[i]} should get one frame: {got[i]}')
                self.assertEqual(parse_eth(got[i][0])[2], expect[i],
                                 f'{NAMES[i]}: wrong tagging')
            else:
                self.assertEqual(got[i], [], f'{NAMES[i]} must not get anything')

    def counter(self, port, reason):
        return self.sw.drops(port)[reason]

    def test_broadcast_from_access_port_floods_its_vlan_only(self):
        f = eth_frame(BCAST, A, payload=b'who-has')
        self.peer.send(VM1, f)
        got = self.collect()
        self.assertOnly(got, {UP: 2003, VM2: None, VMT: 2003})
        self.assertEqual(got[VM2][0], f, 'access port gets the frame unchanged')
        self.assertEqual(parse_eth(got[UP][0])[4], parse_eth(f)[4], 'payload kept when tagged')

    def test_uplink_vlans_reach_their_domains(self):
        for vid, expect in [(2003, {VM1: None, VM2: None, VMT: 2003}),
                            (2004, {VM3: None, VMT: 2004}),
                            (2005, {VM4: None})]:
            self.peer.clear()
            self.peer.send(UP, eth_frame(BCAST, C, vlan=vid, payload=b'x%d' % vid))
            self.assertOnly(self.collect(), expect)

    def test_unicast_after_learning(self):
        self.peer.send(VM1, eth_frame(BCAST, A))
        self.peer.send(VM2, eth_frame(BCAST, B))
        time.sleep(0.2)
        self.peer.clear()
        macs = {(m['mac'], m['vlan']): m['port'] for m in self.sw.call('mac.show')['macs']}
        self.assertEqual(macs.get((A, 2003)), 'vm1')
        self.assertEqual(macs.get((B, 2003)), 'vm2')
        f = eth_frame(A, B, payload=b'unicast')
        self.peer.send(VM2, f)
        got = self.collect()
        self.assertOnly(got, {VM1: None})
        self.assertEqual(got[VM1][0], f)
        self.peer.send(VM1, eth_frame(B, A))
        self.assertOnly(self.collect(), {VM2: None})

    def test_same_mac_in_another_vlan_does_not_leak(self):
        self.peer.send(VM1, eth_frame(BCAST, A))
        time.sleep(0.2)
        self.peer.clear()
        # A is known in 2003 only: from 2004 it is unknown unicast, flooded in 2004.
        self.peer.send(VM3, eth_frame(A, C, payload=b'vlan2004'))
        self.assertOnly(self.collect(), {UP: 2004, VMT: 2004})

    def test_learned_from_uplink_then_unicast_tagged(self):
        self.peer.send(UP, eth_frame(BCAST, C, vlan=2003))
        time.sleep(0.2)
        self.peer.clear()
        self.peer.send(VM1, eth_frame(C, A, payload=b'to-the-dc'))
        got = self.collect()
        self.assertOnly(got, {UP: 2003})

    def test_disallowed_vlan_on_uplink_dropped_and_counted(self):
        before = self.counter('up', 'vlan_not_allowed')
        self.peer.send(UP, eth_frame(BCAST, C, vlan=2010), count=3)
        self.assertOnly(self.collect(), {})
        self.assertEqual(self.counter('up', 'vlan_not_allowed'), before + 3)

    def test_untagged_on_trunk_without_native_dropped(self):
        before = self.counter('up', 'untagged_no_native')
        self.peer.send(UP, eth_frame(BCAST, C))
        self.assertOnly(self.collect(), {})
        self.assertEqual(self.counter('up', 'untagged_no_native'), before + 1)

    def test_tagged_frame_on_access_port_dropped(self):
        before = self.counter('vm1', 'tagged_on_access')
        self.peer.send(VM1, eth_frame(BCAST, A, vlan=2003))
        self.assertOnly(self.collect(), {})
        self.assertEqual(self.counter('vm1', 'tagged_on_access'), before + 1)

    def test_vm_trunk_port_tags(self):
        # vmt tags 2004: vm3 gets it untagged, the uplink tagged; 2005 is not allowed on vmt.
        self.peer.send(VMT, eth_frame(BCAST, C, vlan=2004, payload=b'trunk'))
        got = self.collect()
        self.assertOnly(got, {UP: 2004, VM3: None})
        # popped: same frame without the 4 tag bytes (56 bytes; the NIC or virtio pads)
        sent = eth_frame(BCAST, C, vlan=2004, payload=b'trunk')
        self.assertEqual(got[VM3][0], sent[:12] + sent[16:])
        self.peer.clear()
        before = self.counter('vmt', 'vlan_not_allowed')
        self.peer.send(VMT, eth_frame(BCAST, C, vlan=2005))
        self.assertOnly(self.collect(), {})
        self.assertEqual(self.counter('vmt', 'vlan_not_allowed'), before + 1)

    def test_priority_tagged_frame_on_trunk_is_native_or_dropped(self):
        # VID 0 is a priority tag = untagged; the uplink has no native VLAN: dropped.
        before = self.counter('up', 'untagged_no_native')
        self.peer.send(UP, eth_frame(BCAST, C, vlan=0))
        self.assertOnly(self.collect(), {})
        self.assertEqual(self.counter('up', 'untagged_no_native'), before + 1)

    def test_jumbo_frames_end_to_end(self):
        self.peer.send(VM2, eth_frame(BCAST, B))
        time.sleep(0.2)
        self.peer.clear()
        f = eth_frame(B, A, payload=bytes(range(256)) * 35, size=9014)
        self.peer.send(VM1, f)
        got = self.collect()
        self.assertOnly(got, {VM2: None})
        self.assertEqual(got[VM2][0], f, '9014-byte frame arrives byte-identical')
        # flooded jumbo: the uplink gets it tagged (9018 bytes)
        self.peer.clear()
        g = eth_frame(BCAST, A, payload=b'J' * 9000, size=9014)
        self.peer.send(VM1, g)
        got = self.collect()
        self.assertEqual(len(got[UP]), 1)
        self.assertEqual(len(got[UP][0]), 9018)
        self.assertEqual(got[VM2], [g])

    def test_frame_over_egress_mtu_dropped_and_counted(self):
        # charged to the port that sent it, not to the receiver it could not reach
        before = self.counter('up', 'mtu_exceeded'), self.counter('vm4', 'mtu_exceeded')
        self.peer.send(UP, eth_frame(BCAST, C, vlan=2005, size=1518))  # 1514 bytes untagged: fits
        self.peer.send(UP, eth_frame(BCAST, C, vlan=2005, size=1519))  # one byte over
        got = self.collect()
        self.assertEqual([len(f) for f in got[VM4]], [1514])
        self.assertEqual((self.counter('up', 'mtu_exceeded'), self.counter('vm4', 'mtu_exceeded')),
                         (before[0] + 1, before[1]))

    def test_hairpin_dropped(self):
        self.peer.send(VM2, eth_frame(BCAST, B))
        time.sleep(0.2)
        self.peer.clear()
        before = self.counter('vm2', 'hairpin')
        self.peer.send(VM2, eth_frame(B, C))
        self.assertOnly(self.collect(), {})
        self.assertEqual(self.counter('vm2', 'hairpin'), before + 1)

    def test_static_mac(self):
        X = '02:00:00:00:99:99'
        self.sw.call('mac.add', vlan=2003, mac=X, port='vm2')
        try:
            self.peer.send(VM1, eth_frame(X, A))
            self.assertOnly(self.collect(), {VM2: None})
            # the static MAC showing up elsewhere is dropped, not learned
            self.peer.clear()
            before = self.counter('vm1', 'static_mac_move')
            self.peer.send(VM1, eth_frame(BCAST, X))
            self.assertOnly(self.collect(), {})
            self.assertEqual(self.counter('vm1', 'static_mac_move'), before + 1)
            entry = [m for m in self.sw.call('mac.show', vlan=2003)['macs'] if m['mac'] == X]
            self.assertEqual(entry, [{'vlan': 2003, 'mac': X, 'port': 'vm2', 'static': True}])
        finally:
            self.sw.call('mac.del', vlan=2003, mac=X)
        self.assertEqual([m for m in self.sw.call('mac.show')['macs'] if m['mac'] == X], [])

    def test_mac_flush(self):
        self.peer.send(VM1, eth_frame(BCAST, A))
        time.sleep(0.2)
        self.assertGreaterEqual(self.sw.call('mac.flush', vlan=2003)['flushed'], 1)
        self.assertEqual(self.sw.call('mac.show', vlan=2003)['macs'], [])

    def test_port_counters(self):
        before = self.sw.port('vm1')['stats']
        self.peer.send(VM1, eth_frame(BCAST, A), count=5)
        self.collect()
        after = self.sw.port('vm1')['stats']
        self.assertEqual(after['rx_packets'] - before['rx_packets'], 5)
        self.assertEqual(after['rx_bytes'] - before['rx_bytes'], 5 * 60)

    def test_port_clear(self):
        self.peer.send(VM1, eth_frame(BCAST, A), count=3)
        self.collect()
        other = self.sw.port('vm2')['stats']['tx_packets']
        self.assertGreaterEqual(other, 3, 'vm2 got the flood')
        self.assertEqual(self.sw.call('port.clear', name='vm1'), {'cleared': 1})
        stats = self.sw.port('vm1')['stats']
        self.assertEqual((stats['rx_packets'], stats['rx_bytes']), (0, 0))
        self.assertEqual(self.sw.port('vm2')['stats']['tx_packets'], other, 'only vm1 cleared')
        self.peer.send(VM1, eth_frame(BCAST, A), count=2)
        self.collect()
        self.assertEqual(self.sw.port('vm1')['stats']['rx_packets'], 2, 'counts on from 0')
        n = len(self.sw.call('port.list')['ports'])
        self.assertEqual(self.sw.call('port.clear'), {'cleared': n})
        self.assertEqual(self.sw.port('vm2')['stats']['tx_packets'], 0)
        with self.assertRaises(CtlError) as cm:
            self.sw.call('port.clear', name='nope')
        self.assertEqual(cm.exception.err['errno'], 'ENOENT')


if __name__ == '__main__':
    unittest.main()
