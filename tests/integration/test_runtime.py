"""Run-time changes through the control socket while traffic flows: hot add/remove of ports,
changing a port's VLAN and a trunk's allowed list, client-mode reconnect after the VM side
restarts, and a vswd restart under running VMs."""

import time
import unittest

import pkt
from peer import Peer, eth_frame, parse_eth
from vswlib import PEER, Churn, Switch, vm_port

BCAST = 'ff:ff:ff:ff:ff:ff'
A, B, C = '02:00:00:00:0a:01', '02:00:00:00:0b:02', '02:00:00:00:0c:03'


class RuntimeTest(unittest.TestCase):
    def setUp(self):
        self.sw = Switch([], start=False)
        sw = self.sw
        sw.rewrite_ports([
            vm_port('vm1', sw.path('vm1.sock'), 2003),
            vm_port('vm2', sw.path('vm2.sock'), 2003),
            {'name': 'up', 'type': 'dpdk', 'allowed': '2003-2004',
             'devargs': f"net_vhost0,iface={sw.path('up.sock')},queues=1"},
        ])
        sw.start()
        self.peers = []
        self.p = self.peer([sw.path('vm1.sock'), sw.path('vm2.sock'), sw.path('up.sock')],
                           [True, True, False], 'a')
        sw.wait_link(['vm1', 'vm2', 'up'])
        # learn A on vm1 and B on vm2
        self.p.send(0, eth_frame(BCAST, A))
        self.p.send(1, eth_frame(BCAST, B))
        time.sleep(0.2)
        self.p.clear()

    def tearDown(self):
        for p in self.peers:
            p.close()
        rc = self.sw.stop()
        self.sw.cleanup()
        self.assertEqual(rc, 0, 'vswd exits 0 on SIGTERM')

    def peer(self, socks, server, tag):
        p = Peer(PEER, socks, server_flags=server, prefix=f'{self.sw.prefix}{tag}')
        self.peers.append(p)
        return p

    def stream(self, batches, size=200, between=None):
        """vm1 -> vm2 unicast in batches; returns (sent, received on vm2)."""
        sent = got = 0
        f = eth_frame(B, A, payload=b'stream')
        for i in range(batches):
            sent += self.p.send(0, f, count=size)
            got_now = self.p.wait(1, size, 2000)
            got += len(self.p.recv(1))
            if between:
                between(i)
        return sent, got

    def test_hot_add_remove_while_traffic_runs(self):
        sw = self.sw

        def step(c, n):
            c.call('port.add', name=f'hot{n % 3}', socket=sw.path(f'hot{n % 3}.sock'), vlan=2003)
            c.call('port.set', name='up', allowed='2003-2005' if n % 2 else '2003-2004')
            c.call('port.del', name=f'hot{n % 3}')

        sent = got = batches = 0
        with Churn(sw, step) as ch:
            # stream until the churn has made at least 10 rounds of changes
            while (ch.rounds < 10 or batches < 10) and batches < 500 and not ch.errors:
                s, g = self.stream(1)
                sent, got, batches = sent + s, got + g, batches + 1
        self.assertEqual(ch.errors, [])
        self.assertGreaterEqual(ch.rounds, 10, 'the churn thread made changes while traffic ran')
        self.assertEqual(got, sent, f'lost {sent - got} of {sent} frames during {ch.rounds} rounds')
        self.assertEqual(sw.call('stats')['ports'], 3)

    def test_hot_added_port_carries_traffic_and_removal_is_clean(self):
        sw = self.sw
        sw.call('port.add', name='vm3', socket=sw.path('vm3.sock'), vlan=2003)
        p3 = self.peer([sw.path('vm3.sock')], [True], 'b')
        sw.wait_link(['vm3'])
        self.p.send(0, eth_frame(BCAST, A, payload=b'hello-vm3'))
        self.assertEqual(p3.wait(0, 1, 2000), 1)
        # remove it while vm1 -> vm2 traffic runs, and the VM keeps sending
        p3.send(0, eth_frame(A, C), count=50)
        time.sleep(0.2)
        self.p.clear()
        sent, got = self.stream(5, between=lambda i: i == 1 and sw.call('port.del', name='vm3'))
        self.assertEqual(got, sent)
        self.assertNotIn('vm3', [p['name'] for p in sw.call('port.list')['ports']])
        self.assertEqual([m for m in sw.call('mac.show')['macs'] if m['port'] == 'vm3'], [])
        # the slot is reused with fresh counters
        sw.call('port.add', name='vm4', socket=sw.path('vm4.sock'), vlan=2003)
        self.assertEqual(sw.port('vm4')['stats']['rx_packets'], 0)

    def test_change_vlan_at_run_time(self):
        sw = self.sw
        vlans = lambda: {v['vlan']: (v['ports'], v['macs'])   # noqa: E731
                         for v in sw.call('vlan.list')['vlans']}
        self.assertEqual(vlans()[2003], (['vm1', 'vm2', 'up'], 2))
        sw.call('port.set', name='vm2', vlan=2004)
        self.assertEqual(sw.port('vm2')['vlan'], 2004)
        # B was learned in 2003 on vm2: flushed with the move; A (vm1) stays
        self.assertEqual([m['mac'] for m in sw.call('mac.show')['macs']], [A])
        self.assertEqual(vlans(), {2003: (['vm1', 'up'], 1), 2004: (['vm2', 'up'], 0)})
        self.p.send(0, eth_frame(BCAST, A))
        time.sleep(0.3)
        self.assertEqual(self.p.recv(1), [], 'vm2 left VLAN 2003')
        self.assertEqual([parse_eth(f)[2] for f in self.p.recv(2)], [2003])
        self.p.send(2, eth_frame(BCAST, C, vlan=2004))
        time.sleep(0.3)
        self.assertEqual(len(self.p.recv(1)), 1, 'vm2 is in VLAN 2004 now')
        self.assertEqual(self.p.recv(0), [])

    def test_change_allowed_list_at_run_time(self):
        sw = self.sw
        self.p.send(2, eth_frame(BCAST, C, vlan=2003))
        time.sleep(0.3)
        self.assertEqual(len(self.p.recv(0)), 1)
        sw.call('port.set', name='up', allowed='2004')
        before = sw.drops('up')['vlan_not_allowed']
        self.p.send(2, eth_frame(BCAST, C, vlan=2003))
        time.sleep(0.3)
        self.assertEqual(self.p.recv(0), [])
        self.assertEqual(sw.drops('up')['vlan_not_allowed'], before + 1)
        self.assertEqual(sw.port('up')['allowed'], '2004')

    def test_client_mode_reconnects_after_vm_restart(self):
        sw = self.sw
        sw.call('port.add', name='vm3', socket=sw.path('vm3.sock'), vlan=2003)
        p3 = self.peer([sw.path('vm3.sock')], [True], 'c')
        sw.wait_link(['vm3'])
        p3.close()  # the VM goes away (QEMU exits: its socket disappears)
        deadline = time.monotonic() + 10
        while sw.port('vm3')['link'] != 'down' and time.monotonic() < deadline:
            time.sleep(0.1)
        self.assertEqual(sw.port('vm3')['link'], 'down')
        # traffic to a disconnected VM costs nothing else
        sent, got = self.stream(2)
        self.assertEqual(got, sent)
        p3 = self.peer([sw.path('vm3.sock')], [True], 'd')
        sw.wait_link(['vm3'])
        self.p.send(0, eth_frame(BCAST, A, payload=b'again'))
        self.assertEqual(p3.wait(0, 1, 2000), 1, 'traffic reaches the restarted VM')

    def test_connecting_vm_is_told_its_neighbours(self):
        """A guest that (re)connects gets a gratuitous ARP / unsolicited NA for each access port
        of its VLAN and namespace whose MAC and addresses are configured and enforced (after a
        vswd restart its ARP cache was flushed on carrier loss, and it would otherwise wait 1 s
        to ask again); nothing for any other port."""
        sw = self.sw
        n1 = '02:00:00:00:01:01'
        enforced = {'spoofchk': True, 'ip_spoofchk': True}
        sw.call('port.add', name='n1', socket=sw.path('n1.sock'), vlan=2003, mac=n1,
                ips='10.0.0.11,fd00::11', **enforced)
        # never announced into vm3: another VLAN, no MAC, not enforced, another namespace
        sw.call('port.add', name='n2', socket=sw.path('n2.sock'), vlan=2004,
                mac='02:00:00:00:02:02', ips='10.0.1.12', **enforced)
        sw.call('port.add', name='n3', socket=sw.path('n3.sock'), vlan=2003, ips='10.0.0.13')
        sw.call('port.add', name='n4', socket=sw.path('n4.sock'), vlan=2003,
                mac='02:00:00:00:04:04', ips='10.0.0.14')
        sw.call('port.add', name='n5', socket=sw.path('n5.sock'), vlan=2003, namespace='other',
                mac='02:00:00:00:05:05', ips='10.0.0.15', **enforced)
        sw.call('port.add', name='vm3', socket=sw.path('vm3.sock'), vlan=2003)

        def heard(tag):
            """Connect a guest to vm3; once the announcements stop (three rounds, the last
            0.5 s after the connect), what it received and vswd's count of them."""
            p3 = self.peer([sw.path('vm3.sock')], [True], tag)
            sw.wait_link(['vm3'])
            deadline, last, stable_since = time.monotonic() + 10, -1, time.monotonic()
            while time.monotonic() < deadline:
                n = sw.port('vm3')['neighbours_announced']
                if n != last:
                    last, stable_since = n, time.monotonic()
                elif n > 0 and time.monotonic() - stable_since > 1.0:
                    break
                time.sleep(0.1)
            frames = p3.recv(0)
            p3.close()
            deadline = time.monotonic() + 10
            while sw.port('vm3')['link'] != 'down' and time.monotonic() < deadline:
                time.sleep(0.1)
            return frames, last

        def check(frames, counted):
            got = [pkt.parse(f) for f in frames]
            garps = [f for f in got if f['ethertype'] == pkt.ETH_ARP]
            nas = [f for f in got if f.get('proto') == 'icmp6' and f['icmp_type'] == pkt.ND_NA]
            # the first rounds may find the peer's RX ring not yet filled (a running guest's
            # is full); at least the 0.5 s one lands
            self.assertIn(len(garps), (1, 2, 3), f'one gratuitous ARP per round: {got}')
            self.assertEqual(len(nas), len(garps), f'one unsolicited NA per round: {got}')
            self.assertEqual(len(got), 2 * len(garps), f'nothing else: {got}')
            self.assertEqual(counted, len(got), 'neighbours_announced counts what arrived')
            for f, raw in zip(got, frames):
                if f['ethertype'] == pkt.ETH_ARP:
                    self.assertEqual(
                        (f['dst_mac'], f['src_mac'], f['arp_op'], f['arp_sha'], f['arp_spa'],
                         f['arp_tha'], f['arp_tpa'], f['vlan'], len(raw)),
                        (BCAST, n1, 1, n1, '10.0.0.11', '00:00:00:00:00:00', '10.0.0.11',
                         None, 60))
                    self.assertEqual(raw[14:18], b'\x00\x01\x08\x00', 'Ethernet/IPv4 ARP')
                else:
                    self.assertEqual((f['dst_mac'], f['src_mac'], f['src'], f['dst'],
                                      f['nd_target'], f['ttl'], f['icmp_code']),
                                     ('33:33:00:00:00:01', n1, 'fd00::11', 'ff02::1',
                                      'fd00::11', 255, 0))
                    l4 = f['l4']
                    self.assertEqual(l4[4] & 0xe0, 0x20, 'override set, not solicited/router')
                    self.assertEqual(l4[24:32], b'\x02\x01' + bytes.fromhex(n1.replace(':', '')),
                                     'target link-layer address option')
                    self.assertTrue(pkt.checksums_ok(raw), 'ICMPv6 checksum')

        check(*heard('e'))
        self.assertEqual(sw.port('vm3')['connects'], 1)
        # the next connection is told again (at most one sequence a second per port)
        before = sw.port('vm3')['neighbours_announced']
        frames, total = heard('f')
        check(frames, total - before)
        self.assertEqual(sw.port('vm3')['connects'], 2)
        # a port added again in the same slot starts afresh
        sw.call('port.del', name='vm3')
        sw.call('port.add', name='vm3', socket=sw.path('vm3.sock'), vlan=2003)
        self.assertEqual(sw.port('vm3')['neighbours_announced'], 0)
        check(*heard('g'))
        self.assertEqual(sw.port('vm3')['connects'], 1)

    def test_vswd_restart_keeps_vms(self):
        sw = self.sw
        self.assertEqual(sw.stop(), 0)
        sw.start()
        # virtio-user in server mode accepts the reconnection when its link is polled
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            self.p.stats()
            if all(p['link'] == 'up' for p in sw.call('port.list')['ports']):
                break
            time.sleep(0.2)
        sw.wait_link(['vm1', 'vm2'])
        self.p.clear()
        self.p.send(0, eth_frame(BCAST, A, payload=b'after-restart'))
        self.assertEqual(self.p.wait(1, 1, 3000), 1, 'the VMs kept their sockets; vswd came back')


if __name__ == '__main__':
    unittest.main()
