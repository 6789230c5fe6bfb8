"""Tenant isolation at L2/L3 (issue #10, part 1): what a VM (or the wire) can send that must never
leave its VLAN or slip past policy, tried as an attacker would, through the real vswd.

One vswd and one vsw_peer for the class. Peer ports (index: vswd port):
  0: up  - uplink trunk 2003-2005, native VLAN 2003 (the setting a double-tag hop needs)
  1: vm1 - access 2003, namespace x, pod=a, 10.0.0.1 / fd00::1 (selected by no policy)
  2: vm2 - access 2003, namespace x, pod=b, 10.0.0.2 / fd00::2 (policy: ingress UDP 5000 only)
  3: vm3 - access 2004        4: vm4 - access 2005, MTU 1500
  5: vmt - VM trunk 2003-2004, no native VLAN
Every test checks both that nothing arrived where it must not and which counter took the frame,
on which port.
"""

import json
import os
import signal
import random
import struct
import time
import unittest

import pkt
from peer import eth_frame, mac
from vswlib import PeerSwitchTest, Switch, vm_port

UP, VM1, VM2, VM3, VM4, VMT = range(6)
NAMES = ['up', 'vm1', 'vm2', 'vm3', 'vm4', 'vmt']
BCAST = 'ff:ff:ff:ff:ff:ff'
MAC = {VM1: '02:00:00:00:00:01', VM2: '02:00:00:00:00:02', VM3: '02:00:00:00:00:03',
       VM4: '02:00:00:00:00:04', VMT: '02:00:00:00:00:05', UP: '02:00:00:00:00:99'}
IP4 = {VM1: '10.0.0.1', VM2: '10.0.0.2'}
IP6 = {VM1: 'fd00::1', VM2: 'fd00::2'}

POLICY = {'apiVersion': 'k8s.cni.cncf.io/v1beta1', 'kind': 'MultiNetworkPolicy',
          'metadata': {'name': 'udp5000', 'namespace': 'x',
                       'annotations': {'k8s.v1.cni.cncf.io/policy-for': 'vlan2003'}},
          'spec': {'podSelector': {'matchLabels': {'pod': 'b'}}, 'policyTypes': ['Ingress'],
                   'ingress': [{'ports': [{'protocol': 'UDP', 'port': 5000}]}]}}


def tag(tpid, tci):
    return struct.pack('!HH', tpid, tci)


def raw(dst, src, *layers):
    """An Ethernet frame built by hand: dst, src, then the given byte strings (tags, ethertype,
    payload), zero-padded to 60 bytes."""
    f = mac(dst) + mac(src) + b''.join(layers)
    return f + bytes(max(0, 60 - len(f)))


def ip4_tcp_syn(src, dst, dport=80):
    return pkt.ipv4(src, dst, 'tcp', pkt.tcp(40000, dport, 'S', src=src, dst=dst))


def ip6_frag(src, dst, nh, ident, offset, more, data):
    hdr = struct.pack('!BBHI', nh, 0, offset << 3 | (1 if more else 0), ident)
    return pkt.ipv6(src, dst, 44, hdr + data)


class IsolationTest(PeerSwitchTest):
    @classmethod
    def setUpClass(cls):
        cls.sw = sw = Switch([], start=False)
        ports = [
            {'name': 'up', 'type': 'dpdk', 'mode': 'trunk', 'allowed': '2003-2005',
             'native_vlan': 2003, 'mtu': 9000,
             'devargs': f"net_vhost0,iface={sw.path('up.sock')},queues=1"},
            vm_port('vm1', sw.path('vm1.sock'), 2003, namespace='x', labels={'pod': 'a'},
                    ips=[IP4[VM1], IP6[VM1]]),
            vm_port('vm2', sw.path('vm2.sock'), 2003, namespace='x', labels={'pod': 'b'},
                    ips=[IP4[VM2], IP6[VM2]]),
            vm_port('vm3', sw.path('vm3.sock'), 2004),
            vm_port('vm4', sw.path('vm4.sock'), 2005, mtu=1500),
            {'name': 'vmt', 'socket': sw.path('vmt.sock'), 'mode': 'trunk',
             'allowed': '2003-2004', 'mtu': 9000},
        ]
        with open(sw.config_path) as f:
            cfg = json.load(f)
        cfg['ports'] = ports
        cfg['networks'] = [{'name': 'vlan2003', 'vlan': 2003}]
        cfg['namespaces'] = [{'name': 'x', 'labels': {}}]
        cfg['policies'] = [POLICY]
        with open(sw.config_path, 'w') as f:
            json.dump(cfg, f)
        cls.start_peer(sw, NAMES, ready=cls.announce)

    @classmethod
    def announce(cls):
        """Every VM announces itself: the FDB knows where each MAC is."""
        for p in (VM1, VM2):
            cls.peer.send(p, pkt.arp_frame('request', MAC[p], IP4[p], IP4[p]))
        cls.peer.send(VM3, eth_frame(BCAST, MAC[VM3], ethertype=0x0806))
        cls.peer.send(VM4, eth_frame(BCAST, MAC[VM4], ethertype=0x0806))
        cls.peer.send(UP, eth_frame(BCAST, MAC[UP], vlan=2004, ethertype=0x0806))
        cls.peer.send(UP, eth_frame(BCAST, MAC[UP], ethertype=0x0806))     # native 2003
        time.sleep(0.3)

    def setUp(self):
        self.peer.clear()

    def collect(self, settle=0.3):
        time.sleep(settle)
        return {i: self.peer.recv(i) for i in range(6)}

    def drops(self):
        return {n: self.sw.drops(n) for n in NAMES}

    def sends_dropped(self, port, frames, reason, at=None):
        """Sends each frame from port; asserts that none arrives anywhere and that each was
        counted as reason on port `at` (default: the sender)."""
        at = NAMES[port if at is None else at]
        before = self.drops()
        for f in frames:
            self.peer.send(port, f)
        got = self.collect()
        self.assertEqual({i: got[i] for i in got if got[i]}, {},
                         f'{reason}: frames must not arrive anywhere')
        after = self.drops()
        self.assertEqual(after[at][reason] - before[at][reason], len(frames),
                         f'{reason} on {at}')
        for n in NAMES:     # and no other counter of any port moved
            for r, v in after[n].items():
                if (n, r) != (at, reason):
                    self.assertEqual(v, before[n][r], f'{n} {r} moved too')

    # ------------------------------------------------------------------ 802.1Q rules

    def test_priority_tag_with_inner_tag_does_not_hop_vlans(self):
        inner = ip4_tcp_syn(IP4[VM1], '10.0.4.4')
        hop_bcast = raw(BCAST, MAC[VM1], tag(0x8100, 0), tag(0x8100, 2004), b'\x08\x00', inner)
        hop_ucast = raw(MAC[VM3], MAC[VM1], tag(0x8100, 5 << 13), tag(0x8100, 2004), b'\x08\x00',
                        inner)
        stag_inner = raw(BCAST, MAC[VM1], tag(0x8100, 0), tag(0x88a8, 2004), b'\x08\x00', inner)
        self.sends_dropped(VM1, [hop_bcast, hop_ucast, stag_inner], 'stacked_tag')

    def test_access_port_admits_untagged_and_priority_tag_only(self):
        self.sends_dropped(VM1, [eth_frame(BCAST, MAC[VM1], vlan=2003),
                                 eth_frame(BCAST, MAC[VM1], vlan=2004)], 'tagged_on_access')
        # a priority tag with the real ethertype behind it is switched in the port's VLAN
        body = pkt.ipv4(IP4[VM1], '10.0.0.9', 'udp', pkt.udp(1, 2, b'prio'))
        prio = eth_frame(BCAST, MAC[VM1], vlan=0, pcp=5, ethertype=0x0800, payload=body)
        self.peer.send(VM1, prio)
        got = self.collect()
        plain = prio[:12] + prio[16:]
        self.assertEqual(got[VM2], [], 'vm2 is policed: UDP 2 is not allowed')
        self.assertEqual(got[UP], [plain], 'native VLAN 2003 leaves the uplink untagged')
        self.assertEqual(len(got[VMT]), 1)
        self.assertEqual(got[VMT][0][12:16], tag(0x8100, 5 << 13 | 2003), 'PCP kept, VID set')
        self.assertEqual((got[VM3], got[VM4]), ([], []))

    def test_trunk_port_admits_one_tag_of_its_list(self):
        inner = ip4_tcp_syn('10.0.3.3', '10.0.4.4')
        self.sends_dropped(VMT, [raw(BCAST, MAC[VMT], tag(0x8100, 2003), tag(0x8100, 2004),
                                     b'\x08\x00', inner),
                                 raw(BCAST, MAC[VMT], tag(0x8100, 2003), tag(0x88a8, 5),
                                     b'\x08\x00', inner)], 'stacked_tag')
        self.sends_dropped(VMT, [eth_frame(BCAST, MAC[VMT], vlan=2005),
                                 eth_frame(BCAST, MAC[VMT], vlan=4095)], 'vlan_not_allowed')
        self.sends_dropped(VMT, [eth_frame(BCAST, MAC[VMT]),
                                 eth_frame(BCAST, MAC[VMT], vlan=0)], 'untagged_no_native')
        self.peer.send(VMT, eth_frame(BCAST, MAC[VMT], vlan=2004, ethertype=0x0806))
        got = self.collect()
        self.assertEqual(len(got[VM3]), 1)
        self.assertEqual(got[VM3][0][12:14], b'\x08\x06', 'untagged on the access port')

    def test_uplink_refuses_stacked_and_service_tags(self):
        inner = ip4_tcp_syn('10.9.9.9', IP4[VM2])
        self.sends_dropped(UP, [raw(BCAST, MAC[UP], tag(0x8100, 2004), tag(0x8100, 2003),
                                    b'\x08\x00', inner),
                                raw(BCAST, MAC[UP], tag(0x8100, 0), tag(0x8100, 2004),
                                    b'\x08\x00', inner)], 'stacked_tag')
        self.sends_dropped(UP, [raw(BCAST, MAC[UP], tag(tpid, 2003), b'\x08\x00', inner)
                                for tpid in (0x88a8, 0x9100, 0x9200)], 'service_tag')

    # ------------------------------------------------------------------ policy sees all

    def test_service_tag_does_not_slip_past_policy(self):
        syn = ip4_tcp_syn(IP4[VM1], IP4[VM2])
        self.sends_dropped(VM1, [raw(MAC[VM2], MAC[VM1], tag(0x88a8, 2003), b'\x08\x00', syn),
                                 raw(MAC[VM2], MAC[VM1], tag(0x88a8, 0), tag(0x8100, 2003),
                                     b'\x08\x00', syn)], 'service_tag')
        # the same SYN unwrapped: denied by the policy; UDP 5000 is what it allows
        self.sends_dropped(VM1, [eth_frame(MAC[VM2], MAC[VM1], ethertype=0x0800, payload=syn)],
                           'policy_default_deny', at=VM2)
        udp = pkt.frame(MAC[VM2], MAC[VM1], IP4[VM1], IP4[VM2], 'udp', sport=1000, dport=5000)
        self.peer.send(VM1, udp)
        self.assertEqual(self.collect()[VM2], [udp])

    def test_forged_connection_does_not_open_a_way_in(self):
        """vm1 (selected by an allow-all policy, no IP spoof check) forges a flow from vm2's
        address to itself towards the uplink: that starts a connection between vm1 and the
        uplink. Its reply tuple must not let vm1 itself into vm2 past vm2's policy."""
        allow_all = json.loads(json.dumps(POLICY))
        allow_all['metadata']['name'] = 'a-open'
        allow_all['spec'] = {'podSelector': {'matchLabels': {'pod': 'a'}}, 'ingress': [{}]}
        self.sw.call('policy.apply', policy=allow_all)
        try:
            forged = pkt.frame(MAC[UP], MAC[VM1], IP4[VM2], IP4[VM1], 'udp', sport=7000,
                               dport=7001)
            self.peer.send(VM1, forged)
            self.assertEqual(self.collect()[UP], [forged])
            before = self.sw.call('conntrack.show')['off_path']
            attack = pkt.frame(MAC[VM2], MAC[VM1], IP4[VM1], IP4[VM2], 'udp', sport=7001,
                               dport=7000)
            self.sends_dropped(VM1, [attack], 'policy_default_deny', at=VM2)
            self.assertEqual(self.sw.call('conntrack.show')['off_path'], before + 1)
        finally:
            self.sw.call('policy.delete', kind='MultiNetworkPolicy', name='a-open',
                         namespace='x')

    def test_unclassifiable_frames_denied_on_policed_port(self):
        odd = [eth_frame(MAC[VM2], MAC[VM1], ethertype=et, payload=b'x' * 40)
               for et in (0x88b5, 0x8864, 0x8847, 0x0020)]    # local, PPPoE, MPLS, 802.3 length
        self.sends_dropped(VM1, odd, 'policy_unclassified')
        # flooded: vm2's copy is refused, the unpoliced uplink gets its own
        before = self.sw.drops('vm1')['policy_unclassified']
        f = eth_frame(BCAST, MAC[VM1], ethertype=0x88b5, payload=b'y' * 40)
        self.peer.send(VM1, f)
        got = self.collect()
        self.assertEqual((got[VM2], got[UP]), ([], [f]))
        self.assertEqual(self.sw.drops('vm1')['policy_unclassified'], before + 1)
        # ARP still works
        arp = pkt.arp_frame('request', MAC[VM1], IP4[VM1], IP4[VM2])
        self.peer.send(VM1, arp)
        self.assertEqual(self.collect()[VM2], [arp])

    # ------------------------------------------------------------------ fragments

    def udp_datagram(self, family, dport, ident):
        """A UDP datagram of 40 bytes of payload from vm1 to vm2 in three fragments."""
        src, dst = (IP4 if family == 4 else IP6)[VM1], (IP4 if family == 4 else IP6)[VM2]
        seg = pkt.udp(3333, dport, bytes(range(40)), src=src, dst=dst)     # 48 bytes
        parts = [(0, seg[:16]), (2, seg[16:32]), (4, seg[32:])]
        frames = []
        for i, (off, data) in enumerate(parts):
            more = i < len(parts) - 1
            if family == 4:
                l3 = pkt.ipv4(src, dst, 'udp', data, ident=ident,
                              frag_off=(0x2000 if more else 0) | off)
                frames.append(eth_frame(MAC[VM2], MAC[VM1], ethertype=0x0800, payload=l3))
            else:
                l3 = ip6_frag(src, dst, 17, ident, off, more, data)
                frames.append(eth_frame(MAC[VM2], MAC[VM1], ethertype=0x86dd, payload=l3))
        return frames

    def test_fragments_take_their_datagrams_verdict(self):
        for family in (4, 6):
            with self.subTest(family=family):
                frames = self.udp_datagram(family, 5000, 0x1001)
                before = self.sw.call('conntrack.show')['fragments']
                for f in frames:
                    self.peer.send(VM1, f)
                # a slow shared machine may take longer than collect's settle: wait (bounded)
                # for the three, then check exactly what came
                self.peer.wait(VM2, len(frames), 5000)
                got = self.collect()
                # (the counts elsewhere tell a flooded fragment from one lost in policy)
                self.assertEqual(got[VM2], frames, 'all three fragments arrive, in order '
                                 f'(vm1 drops: {self.sw.drops("vm1")}; frames received per '
                                 f'port: {[len(got[i]) for i in range(6)]})')
                after = self.sw.call('conntrack.show')['fragments']
                self.assertEqual(after['tracked'], before['tracked'] + 1)
                self.assertGreaterEqual(after['count'], 1)
                # denied datagram: the first is denied by policy, the rest have no first
                d0 = self.drops()
                for f in self.udp_datagram(family, 6000, 0x1002):
                    self.peer.send(VM1, f)
                got = self.collect()
                self.assertEqual(got[VM2], [])
                d1 = self.drops()
                self.assertEqual(d1['vm2']['policy_default_deny'] -
                                 d0['vm2']['policy_default_deny'], 1)
                self.assertEqual(d1['vm1']['frag_no_first'] - d0['vm1']['frag_no_first'], 2)
                # a later fragment whose first was never seen
                self.sends_dropped(VM1, self.udp_datagram(family, 5000, 0x1003)[1:],
                                   'frag_no_first')

    def test_fragments_in_one_burst(self):
        """A datagram's later fragments in the same rx burst as its first (a busy sender, or
        a worker that woke late) pass: the first is recorded before they are decided. vswd is
        stopped while the peer sends, so the worker dequeues the frames in one burst."""
        for family in (4, 6):
            for split in (3, 2):    # [f1 f2 f3] in one burst; [f1 f2] then f3 alone
                with self.subTest(family=family, burst=split):
                    frames = self.udp_datagram(family, 5000, 0x2000 + 16 * family + split)
                    d0 = self.drops()
                    os.kill(self.sw.proc.pid, signal.SIGSTOP)
                    try:
                        for f in frames[:split]:
                            self.peer.send(VM1, f)
                    finally:
                        os.kill(self.sw.proc.pid, signal.SIGCONT)
                    self.peer.wait(VM2, split, 5000)
                    for f in frames[split:]:
                        self.peer.send(VM1, f)
                    self.peer.wait(VM2, len(frames), 5000)
                    got = self.collect()
                    self.assertEqual(got[VM2], frames, 'every fragment arrives, in order '
                                     f'(frames per port: {[len(got[i]) for i in range(6)]})')
                    self.assertEqual(self.drops()['vm1']['frag_no_first'],
                                     d0['vm1']['frag_no_first'])

    def test_tiny_and_overlapping_fragments_dropped(self):
        seg = pkt.tcp(40000, 80, 'S', src=IP4[VM1], dst='10.0.9.9')
        tiny = pkt.ipv4(IP4[VM1], '10.0.9.9', 'tcp', seg[:8], ident=7, frag_off=0x2000)
        overlap = pkt.ipv4(IP4[VM1], '10.0.9.9', 'tcp', seg[8:], ident=7, frag_off=1)
        tiny6 = ip6_frag(IP6[VM1], 'fd00::9', 6, 7, 0, True, seg[:8])
        # on an unpoliced path (vm1 -> uplink) too: no receiver needs them
        self.sends_dropped(VM1, [eth_frame(MAC[UP], MAC[VM1], ethertype=0x0800, payload=tiny),
                                 eth_frame(MAC[UP], MAC[VM1], ethertype=0x86dd, payload=tiny6)],
                           'frag_tiny')
        self.sends_dropped(VM1, [eth_frame(MAC[UP], MAC[VM1], ethertype=0x0800, payload=overlap)], 'frag_overlap')

    # ------------------------------------------------------------------ malformed frames

    def test_malformed_l3_dropped_on_every_port(self):
        good = pkt.ipv4(IP4[VM1], '10.0.9.9', 'udp', pkt.udp(1, 2, b'x' * 8))
        ihl4 = bytes([0x44]) + good[1:]
        v6in4 = bytes([0x65]) + good[1:]
        short_total = good[:2] + struct.pack('!H', 19) + good[4:]
        long_total = good[:2] + struct.pack('!H', 1000) + good[4:]
        tcp_cut = pkt.ipv4(IP4[VM1], '10.0.9.9', 'tcp', pkt.tcp(1, 2, 'S')[:10])
        chain = b''.join(bytes([60 if i < 9 else 17, 0]) + bytes(6) for i in range(10))
        long_chain = pkt.ipv6(IP6[VM1], 'fd00::9', 60, chain + pkt.udp(1, 2))
        hbh_late = pkt.ipv6(IP6[VM1], 'fd00::9', 60, bytes([0, 0]) + bytes(6) +
                            bytes([17, 0]) + bytes(6) + pkt.udp(1, 2))
        cases = {
            'ip_bad_header': [eth_frame(MAC[UP], MAC[VM1], ethertype=0x0800, payload=ihl4),
                              eth_frame(MAC[UP], MAC[VM1], ethertype=0x0800, payload=v6in4),
                              eth_frame(MAC[UP], MAC[VM1], ethertype=0x0800, payload=short_total)],
            'ip_bad_length': [eth_frame(MAC[UP], MAC[VM1], ethertype=0x0800, payload=long_total)],
            'l3_truncated': [mac(MAC[UP]) + mac(MAC[VM1]) + b'\x08\x00' + good[:12],
                             mac(MAC[UP]) + mac(MAC[VM1]) + b'\x86\xdd' + bytes(30)],
            'l4_truncated': [eth_frame(MAC[UP], MAC[VM1], ethertype=0x0800, payload=tcp_cut)],
            'ipv6_ext_chain': [eth_frame(MAC[UP], MAC[VM1], ethertype=0x86dd,
                                         payload=long_chain),
                               eth_frame(MAC[UP], MAC[VM1], ethertype=0x86dd,
                                         payload=hbh_late)],
        }
        for reason, frames in cases.items():
            with self.subTest(reason=reason):
                self.sends_dropped(VM1, frames, reason)
        # the same from the wire, towards a VM
        self.sends_dropped(UP, [eth_frame(MAC[VM1], MAC[UP], vlan=2004, ethertype=0x0800, payload=ihl4)],
                           'ip_bad_header')
        # IPv4 options are fine
        opt = bytearray(pkt.ipv4(IP4[VM1], '10.0.9.9', 'udp', b'\x01\x01\x01\x00' +
                                 pkt.udp(1, 2, b'opt')))
        opt[0] = 0x46
        opt[10:12] = b'\x00\x00'
        opt[10:12] = struct.pack('!H', pkt.csum(bytes(opt[:24])))
        f = eth_frame(MAC[UP], MAC[VM1], ethertype=0x0800, payload=bytes(opt))
        self.peer.send(VM1, f)
        self.assertEqual(self.collect()[UP], [f])

    def test_runts_counted_on_the_sender(self):
        runts = [mac(BCAST) + mac(MAC[VM1])[:1], mac(BCAST) + mac(MAC[VM1]) + b'\x08',
                 mac(BCAST) + mac(MAC[VM1]) + b'\x81\x00\x00']
        self.sends_dropped(VM1, runts, 'runt')
        # zero length: the virtio header alone; vswd counts it if rte_vhost hands it over
        before = self.drops()
        self.peer.send(VM1, b'')
        got = self.collect()
        self.assertEqual({i: got[i] for i in got if got[i]}, {})
        after = self.drops()
        self.assertIn(after['vm1']['runt'] - before['vm1']['runt'], (0, 1))
        self.assertEqual(after['vm2'], before['vm2'])

    def test_oversize_charged_to_the_sender(self):
        self.sends_dropped(VM4, [eth_frame(BCAST, MAC[VM4], size=1515)], 'oversize')
        self.peer.send(VM4, eth_frame(BCAST, MAC[VM4], size=1514, ethertype=0x0806))
        self.assertEqual(len(self.collect()[UP]), 1)

    def test_bad_source_and_bridge_local_destinations(self):
        self.sends_dropped(VM1, [eth_frame(BCAST, '01:00:5e:00:00:01'),
                                 eth_frame(BCAST, 'ff:ff:ff:ff:ff:ff'),
                                 eth_frame(BCAST, '00:00:00:00:00:00')], 'bad_src_mac')
        self.sends_dropped(VM1, [eth_frame('01:80:c2:00:00:01', MAC[VM1], ethertype=0x8808),
                                 eth_frame('01:80:c2:00:00:00', MAC[VM1], ethertype=0x0026),
                                 eth_frame('01:80:c2:00:00:02', MAC[VM1], ethertype=0x8809),
                                 eth_frame('01:80:c2:00:00:0e', MAC[VM1], ethertype=0x88cc)],
                           'reserved_dst')
        self.sends_dropped(UP, [eth_frame('01:80:c2:00:00:03', MAC[UP], vlan=2003,
                                          ethertype=0x888e)], 'reserved_dst')


    def test_mac_limit_keeps_one_vm_from_filling_the_fdb(self):
        self.sw.call('port.set', name='vm1', mac_limit=4)
        try:
            self.sw.call('mac.flush', port='vm1')
            srcs = ['02:00:00:00:e0:%02x' % i for i in range(10)]
            for i, m in enumerate(srcs):
                self.peer.send(VM1, eth_frame(BCAST, m, payload=b'limit'))
                if i == 3:
                    time.sleep(0.2)     # learnt before the rest come
            got = self.collect()
            self.assertEqual(len(got[UP]), 10, 'frames of unlearnt sources are still switched')
            fdb = self.sw.port('vm1')['fdb']
            self.assertEqual((fdb['macs'], fdb['full']), (4, True))
            learnt = {e['mac'] for e in self.sw.call('mac.show', port='vm1')['macs']}
            self.assertEqual(learnt, set(srcs[:4]))
            # a raised limit takes effect within a second: the others are learnt
            self.sw.call('port.set', name='vm1', mac_limit=0)
            time.sleep(1.5)
            for m in srcs:
                self.peer.send(VM1, eth_frame(BCAST, m, payload=b'limit'))
            time.sleep(0.3)
            self.assertEqual(self.sw.port('vm1')['fdb']['macs'], 10)
        finally:
            self.sw.call('port.set', name='vm1', mac_limit=1024)
            self.sw.call('mac.flush', port='vm1')
            self.peer.send(VM1, pkt.arp_frame('request', MAC[VM1], IP4[VM1], IP4[VM1]))
            time.sleep(0.2)

    # ------------------------------------------------------------------ random frames

    ACCESS = {VM1: 2003, VM2: 2003, VM3: 2004, VM4: 2005}
    TRUNK = {UP: ({2003, 2004, 2005}, 2003), VMT: ({2003, 2004}, None)}
    TPIDS = (0x8100, 0x88a8, 0x9100)

    def ingress_vlan(self, port, f):
        """The only VLAN frame f sent on port may ever be switched in, or None."""
        tagged = len(f) >= 18 and f[12:14] == b'\x81\x00'
        vid = struct.unpack('!H', f[14:16])[0] & 0xFFF if tagged else 0
        if port in self.ACCESS:
            return self.ACCESS[port] if vid == 0 else None
        allowed, native = self.TRUNK[port]
        if vid == 0:
            return native
        return vid if vid in allowed else None

    def egress_vlan(self, port, f):
        """The VLAN a frame received on port is in; asserts it carries at most one tag."""
        tagged = f[12:14] == b'\x81\x00'
        inner = f[16:18] if tagged else f[12:14]
        self.assertNotIn(struct.unpack('!H', inner)[0], self.TPIDS,
                         f'{NAMES[port]} got a frame with a second tag: {f[:24].hex()}')
        if port in self.ACCESS:
            self.assertFalse(tagged, f'{NAMES[port]} is an access port: {f[:24].hex()}')
            return self.ACCESS[port]
        if tagged:
            return struct.unpack('!H', f[14:16])[0] & 0xFFF
        return self.TRUNK[port][1]

    def random_frame(self, rng, port, nonce):
        """A frame a fuzzer would send: a valid template (tags, stacked tags, IP options,
        fragments, extension headers, ARP, odd ethertypes), then mutated header bytes and
        maybe truncated. The last 8 bytes are its nonce, which the switch never touches."""
        src = MAC[port]
        dst = rng.choice([BCAST, MAC[VM1], MAC[VM2], MAC[VM3], MAC[UP], '01:00:5e:00:00:fb',
                          '02:00:00:00:77:77'])
        ip_src = rng.choice([IP4[VM1], '10.0.0.77', IP4[VM2]])
        body = rng.choice([
            lambda: pkt.ipv4(ip_src, IP4[VM2], 'udp', pkt.udp(1000, rng.choice([5000, 53]),
                                                             b'u' * rng.randrange(40))),
            lambda: ip4_tcp_syn(ip_src, IP4[VM2], rng.choice([80, 5000])),
            lambda: pkt.ipv4(ip_src, IP4[VM2], 'udp', pkt.udp(1, 5000, b'f' * 16)[:16],
                             ident=rng.randrange(65536), frag_off=rng.choice([0x2000, 2, 0x2001])),
            lambda: pkt.ipv6(IP6[VM1], IP6[VM2], rng.choice([60, 0, 44, 17]),
                             bytes([17, rng.randrange(3)]) + bytes(6) + pkt.udp(1, 5000, b'6')),
            lambda: pkt.arp(1, MAC[port], IP4[VM1], '00:00:00:00:00:00', IP4[VM2]),
        ])()
        et = rng.choice([b'\x08\x00', b'\x86\xdd', b'\x08\x06', b'\x88\xb5'])
        tags = b''
        for _ in range(rng.choice([0, 0, 1, 1, 2])):
            tags += tag(rng.choice(self.TPIDS), rng.choice([0, 2003, 2004, 2005, 5 << 13]))
        f = bytearray(mac(dst) + mac(src) + tags + et + body)
        for _ in range(rng.choice([0, 0, 1, 3])):
            i = rng.randrange(12, min(len(f), 64))
            f[i] = rng.randrange(256)
        if rng.random() < 0.15:
            f = f[:rng.randrange(len(f) + 1)]
        f = bytes(f) + bytes(max(0, 52 - len(f)))
        return f + nonce

    def test_random_frames_stay_in_their_vlan(self):
        rng = random.Random(10)
        senders = [UP, VM1, VM2, VMT]
        sent = {}
        n_frames = 0
        before = {n: self.sw.port(n)['stats'] for n in NAMES}
        for round_ in range(6):
            for port in senders:
                frames = []
                for _ in range(50):
                    nonce = struct.pack('!Q', 0xf0220000_00000000 | n_frames)
                    f = self.random_frame(rng, port, nonce)
                    n_frames += 1
                    sent[f[-8:]] = (port, f)
                    frames.append(f)
                for f in frames:
                    self.peer.send(port, f)
        got = self.collect(settle=0.5)
        after = {n: self.sw.port(n)['stats'] for n in NAMES}
        delivered = set()
        for q, frames in got.items():
            for f in frames:
                self.assertIn(f[-8:], sent, f'{NAMES[q]} got a frame nobody sent: {f.hex()}')
                p, orig = sent[f[-8:]]
                self.assertNotEqual(p, q, 'a frame went back out of its ingress port')
                want = self.ingress_vlan(p, orig)
                self.assertIsNotNone(want, f'{NAMES[p]} -> {NAMES[q]}: frame must have been '
                                     f'dropped: {orig[:24].hex()}')
                self.assertEqual(self.egress_vlan(q, f), want,
                                 f'{NAMES[p]} -> {NAMES[q]} left its VLAN: {orig[:24].hex()}')
                delivered.add(f[-8:])
        rx = sum(after[NAMES[p]]['rx_packets'] - before[NAMES[p]]['rx_packets'] for p in senders)
        drops = sum(after[n]['drops'][r] - before[n]['drops'][r]
                    for n in NAMES for r in after[n]['drops'])
        self.assertEqual(rx, n_frames, 'vswd saw every frame sent')
        self.assertGreaterEqual(drops, rx - len(delivered),
                                'every frame in is forwarded or counted as a drop')
        self.assertGreater(len(delivered), n_frames // 10, 'the mix holds valid frames too')
        self.assertEqual(self.sw.call('port.list')['ports'][0]['name'], 'up', 'vswd alive')


class TableShareTest(PeerSwitchTest):
    """The connection and fragment tables are shared by every tenant on the node: one VM may
    hold only its share of each (conntrack.per_port, fragments_per_port), so a VM that opens
    connections or starts fragmented datagrams without end cannot lock the others out. Ports:
    up (uplink trunk, native 2003), vm1 and vm3 (clients), vm2 (policy: ingress UDP 5000), all
    on VLAN 2003."""
    UP, VM1, VM2, VM3 = range(4)
    NAMES = ['up', 'vm1', 'vm2', 'vm3']
    MACS = ['02:00:00:00:01:99', '02:00:00:00:01:01', '02:00:00:00:01:02', '02:00:00:00:01:03']
    IPS = ['10.1.0.99', '10.1.0.1', '10.1.0.2', '10.1.0.3']
    SHARE, FRAG_SHARE = 6, 3

    @classmethod
    def setUpClass(cls):
        cls.sw = sw = Switch([], start=False)
        labels = [None, {'pod': 'a'}, {'pod': 'b'}, {'pod': 'c'}]
        ports = [{'name': 'up', 'type': 'dpdk', 'mode': 'trunk', 'allowed': '2003',
                  'native_vlan': 2003, 'mtu': 9000,
                  'devargs': f"net_vhost0,iface={sw.path('up.sock')},queues=1"}]
        ports += [vm_port(n, sw.path(n + '.sock'), 2003, namespace='x', labels=labels[i],
                          ips=[cls.IPS[i]]) for i, n in enumerate(cls.NAMES) if i > 0]
        with open(sw.config_path) as f:
            cfg = json.load(f)
        cfg['ports'] = ports
        cfg['networks'] = [{'name': 'vlan2003', 'vlan': 2003}]
        cfg['namespaces'] = [{'name': 'x', 'labels': {}}]
        cfg['policies'] = [POLICY]     # pod=b (vm2): ingress UDP 5000 only
        cfg['conntrack'] = {'per_port': cls.SHARE, 'fragments_per_port': cls.FRAG_SHARE}
        with open(sw.config_path, 'w') as f:
            json.dump(cfg, f)
        cls.start_peer(sw, cls.NAMES, ready=cls.announce)

    @classmethod
    def announce(cls):
        for p in range(4):
            cls.peer.send(p, pkt.arp_frame('request', cls.MACS[p], cls.IPS[p], cls.IPS[p]))
        time.sleep(0.3)

    def udp_to_vm2(self, src, sport, ident=1, first_fragment=False):
        """A UDP datagram to vm2 port 5000; first_fragment: only the first of its fragments."""
        if not first_fragment:
            return pkt.frame(self.MACS[self.VM2], self.MACS[src], self.IPS[src],
                             self.IPS[self.VM2], 'udp', sport=sport, dport=5000)
        seg = pkt.udp(sport, 5000, bytes(40), src=self.IPS[src], dst=self.IPS[self.VM2])
        l3 = pkt.ipv4(self.IPS[src], self.IPS[self.VM2], 'udp', seg[:16], ident=ident,
                      frag_off=0x2000)
        return eth_frame(self.MACS[self.VM2], self.MACS[src], ethertype=0x0800, payload=l3)

    def send(self, port, frames):
        """Sends frames from port; returns what vm2 received and how vm1's drops moved."""
        self.peer.clear()
        before = self.sw.drops('vm1')
        for f in frames:
            self.peer.send(port, f)
        time.sleep(0.3)
        after = self.sw.drops('vm1')
        return self.peer.recv(self.VM2), {r: after[r] - before[r] for r in after
                                           if after[r] != before[r]}

    def test_one_vm_cannot_fill_the_tables(self):
        ct0 = self.sw.call('conntrack.show')
        self.assertEqual((ct0['per_port'], ct0['fragments']['per_port']),
                         (self.SHARE, self.FRAG_SHARE))
        # vm1 opens its share of connections, then one more
        flows = [self.udp_to_vm2(self.VM1, 1000 + i) for i in range(self.SHARE)]
        got, moved = self.send(self.VM1, flows)
        self.assertEqual((got, moved), (flows, {}))
        over = [self.udp_to_vm2(self.VM1, 2000), self.udp_to_vm2(self.VM1, 2001)]
        got, moved = self.send(self.VM1, over)
        self.assertEqual((got, moved), ([], {'conntrack_port_limit': 2}))
        # its tracked connections go on; another VM and the uplink still open connections
        again = self.udp_to_vm2(self.VM1, 1000)
        self.assertEqual(self.send(self.VM1, [again]), ([again], {}))
        vm3 = self.udp_to_vm2(self.VM3, 3000)
        self.assertEqual(self.send(self.VM3, [vm3])[0], [vm3])
        outside = self.udp_to_vm2(self.UP, 4000)
        self.assertEqual(self.send(self.UP, [outside])[0], [outside])
        ct = self.sw.call('conntrack.show')
        # from the uplink, the VM the connection is for is charged
        self.assertEqual(ct['ports'], {'vm1': {'connections': self.SHARE, 'fragments': 0},
                                       'vm3': {'connections': 1, 'fragments': 0},
                                       'vm2': {'connections': 1, 'fragments': 0}})
        self.assertEqual(ct['port_limit_drops'], ct0['port_limit_drops'] + 2)

        # fragmented datagrams (of a tracked flow: no connection is added): the same
        firsts = [self.udp_to_vm2(self.VM1, 1000, ident=i, first_fragment=True)
                  for i in range(1, self.FRAG_SHARE + 2)]
        got, moved = self.send(self.VM1, firsts)
        self.assertEqual((got, moved), (firsts[:-1], {'frag_port_limit': 1}))
        vm3f = self.udp_to_vm2(self.VM3, 3000, ident=9, first_fragment=True)
        self.assertEqual(self.send(self.VM3, [vm3f])[0], [vm3f])
        ct = self.sw.call('conntrack.show')
        self.assertEqual(ct['ports']['vm1'], {'connections': self.SHARE,
                                              'fragments': self.FRAG_SHARE})
        self.assertEqual(ct['fragments']['port_limit_drops'],
                         ct0['fragments']['port_limit_drops'] + 1)

        # a removed port's entries go with it, and with them its share
        self.sw.call('port.del', name='vm1')
        ct1 = self.sw.call('conntrack.show')
        self.assertNotIn('vm1', ct1['ports'])
        self.assertEqual(ct1['count'], ct['count'] - self.SHARE)
        self.assertEqual(ct1['fragments']['count'], ct['fragments']['count'] - self.FRAG_SHARE)


if __name__ == '__main__':
    unittest.main()
