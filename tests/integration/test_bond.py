"""Bonded uplinks (issue #4, bonding part).

vswd's uplink is a DPDK bonding PMD port over two member devices, and a member link is cut the
way a pulled cable looks from the switch: the other end of the vhost-user connection goes away,
so vswd's member reports link down and the bonding PMD moves the traffic; then it comes back.

- active-backup and balance-xor: vswd's members are net_virtio_user in server mode (vswd owns the
  sockets; virtio-user, unlike net_vhost, lets the bond set its MAC, which these modes need and a
  NIC allows). The "top-of-rack" side is one vsw_peer per member with a net_vhost client port,
  as two independent switches would be; a cut is a SIGKILL of one of them (its socket closes at
  once), a restore starts it again.
- 802.3ad: the partner is DPDK's bonding PMD in 802.3ad mode in a second process (vsw_peer with
  net_virtio_user members, a real LACP implementation that is not ours); vswd's members are
  net_vhost (802.3ad does not set member MACs). A cut takes a member out of the partner's bond
  and unplugs it (virtio-user closes its socket at once); a restore plugs it in and re-adds it.

A paced, numbered stream crosses the bond while a member is cut and restored (VM to ToR always;
ToR to VM too in 802.3ad mode, where the ToR has one port to send from); the test counts the
frames lost and the longest gap (the time to recover), checks them against bounds, and reports
them (also as JSON lines to $VSW_FAILOVER_LOG, see perf/failover.sh)."""

import json
import os
import time
import unittest

from peer import Peer, eth_frame, parse_eth
from vswlib import PEER, Switch, vm_port

VM, TOR, TOR2 = '02:00:00:00:0a:01', '02:00:00:00:0e:01', '02:00:00:00:0e:02'
PPS = 2000          # paced rate, each way: one frame every 0.5 ms
# Frames a cut or a rejoin may cost: 500 ms, generous so that a slow or loaded machine and
# ASan pass (measured 1-44, i.e. under 25 ms, reported by the test and in perf/RESULTS.md);
# without failover a cut 0.5 s into the 3 s stream loses the remaining 5000.
MAX_CUT_LOSS = PPS // 2


def seqs_of(frames, src, tag):
    out = []
    for f in frames:
        _, fsrc, _, _, payload = parse_eth(f)
        if fsrc == src and payload[:4] == tag:
            out.append(int.from_bytes(f[-4:], 'big'))
    return out


def loss_and_gap(seqs, count):
    """Frames of 0..count-1 missing, and the longest run of consecutive missing ones."""
    got = sorted(set(seqs))
    gap, prev = 0, -1
    for s in got + [count]:
        gap = max(gap, s - prev - 1)
        prev = s
    return count - len(got), gap


class BondedUplink:
    mode = None  # vswd's name; DPDK's number below
    dpdk_mode = None

    lacp = False

    def setUp(self):
        self.sw = sw = Switch([], start=False)
        self.member_socks = [sw.path(f'm{i}.sock') for i in range(2)]
        if self.lacp:
            members = [f'net_vhost{i},iface={p}' for i, p in enumerate(self.member_socks)]
        else:
            # mac=: virtio-user offers VIRTIO_NET_F_MAC only then, and the bond sets its MAC
            members = [f'net_virtio_user{i},path={p},server=1,queue_size=1024,'
                       f'mac=02:00:00:00:0b:0{i}' for i, p in enumerate(self.member_socks)]
        sw.rewrite_ports([
            {'name': 'bond0', 'type': 'bond', 'bond_mode': self.mode,
             'members': ';'.join(members), 'allowed': '2003', **self.extra_bond_args()},
            vm_port('vm1', sw.path('vm1.sock'), 2003),
        ])
        self.tors = []
        self.cut_rx = []  # what a ToR that was cut had received
        if self.lacp:
            sw.start()
            # The partner's bond takes its first member's MAC, TOR: virtio-user has no
            # promiscuous mode, and a bond in 802.3ad mode drops frames for other MACs.
            self.tor = Peer(PEER, [], prefix=f'{sw.prefix}t', mtu=1500, extra_vdevs=[
                f'net_virtio_user{i},path={p},queue_size=1024,mac={TOR if i == 0 else TOR2}'
                for i, p in enumerate(self.member_socks)] + [
                f'net_bonding0,mode={self.dpdk_mode},slave=net_virtio_user0,'
                'slave=net_virtio_user1'])
        else:
            # The ToRs first: their vhost clients retry every second until vswd's sockets are
            # there, and vswd's virtio-user members wait in their probe for the connection.
            self.tors = [self.start_tor(i) for i in range(2)]
            sw.start()
        self.vm = Peer(PEER, [sw.path('vm1.sock')], server_flags=[True], prefix=f'{sw.prefix}v',
                       mtu=1500)
        sw.wait_link(['bond0', 'vm1'])

    def start_tor(self, i, gen=0):
        return Peer(PEER, [], prefix=f'{self.sw.prefix}t{i}g{gen}', mtu=1500,
                    extra_vdevs=[f'net_vhost0,iface={self.member_socks[i]},client=1'])

    def cut(self, i):
        if self.lacp:
            self.tor.cut(i)
        else:
            self.cut_rx = self.tors[i].recv(0)  # what it got before
            self.tors[i].pull_plug()

    def restore(self, i):
        if self.lacp:
            self.tor.restore(i)
        else:
            self.tors[i] = self.start_tor(i, gen=1)

    def tor_recv(self):
        if self.lacp:
            return self.tor.recv(2)  # its bond, after the two members
        frames, self.cut_rx = self.cut_rx, []
        return frames + [f for t in self.tors if not t._closed for f in t.recv(0)]

    def tor_wait(self, n, ms):
        deadline = time.monotonic() + ms / 1000
        tors = [self.tor] if self.lacp else [t for t in self.tors if not t._closed]
        port = 2 if self.lacp else 0
        while time.monotonic() < deadline:
            if sum(t.stats()[port]['rx'] for t in tors) >= n:
                return
            time.sleep(0.05)

    def tor_clear(self):
        self.cut_rx = []
        for t in [self.tor] if self.lacp else self.tors:
            if not t._closed:
                t.clear()

    def tor_send(self, frame, count):
        """From the ToR towards the VM: its bond, or the link vswd uses now."""
        if self.lacp:
            return self.tor.send(2, frame, count)
        i = [m['active'] for m in self.bond()['members']].index(True)
        return self.tors[i].send(0, frame, count)

    def extra_bond_args(self):
        return {}

    def tearDown(self):
        self.vm.close()
        for t in [self.tor] if self.lacp else self.tors:
            t.close()
        rc = self.sw.stop()
        self.sw.cleanup()
        self.assertEqual(rc, 0)

    def bond(self):
        return self.sw.call('bond.show', name='bond0')['bonds'][0]

    def member_ready(self, m):
        return m['active']

    def wait_ready(self, n=2, timeout=20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            b = self.bond()
            if sum(self.member_ready(m) for m in b['members']) == n:
                return b
            time.sleep(0.05)
        self.fail(f'{n} members not ready in {timeout} s: {b}')

    def test_traffic_crosses_the_bond_both_ways(self):
        b = self.wait_ready()
        self.assertEqual(b['mode'], self.mode)
        self.assertEqual([m['link'] for m in b['members']], ['up', 'up'])
        total = 300
        for seq in range(total):
            self.vm.send(0, eth_frame(TOR, VM, payload=seq.to_bytes(4, 'big') + b'bond'))
        self.tor_wait(total, 3000)
        seqs = set()
        for f in self.tor_recv():
            dst, src, vlan, _, payload = parse_eth(f)
            if src == VM and vlan == 2003 and payload[4:8] == b'bond':
                seqs.add(int.from_bytes(payload[:4], 'big'))
        self.assertEqual(seqs, set(range(total)), 'every frame reached the ToR, tagged 2003')
        # and back: the ToR answers on VLAN 2003; the VM gets it untagged
        self.tor_send(eth_frame(VM, TOR, vlan=2003, payload=b'reply'), 10)
        self.assertEqual(self.vm.wait(0, 10, 3000), 10)
        self.assertEqual({parse_eth(f)[2] for f in self.vm.recv(0)}, {None})
        time.sleep(0.1)  # the control thread drains learn events every 2 ms
        macs = {m['mac']: m['port'] for m in self.sw.call('mac.show', vlan=2003)['macs']}
        self.assertEqual(macs.get(TOR), 'bond0')
        tx = sum(m['stats']['tx_packets'] for m in self.bond()['members'])
        self.assertGreaterEqual(tx, total)

    # ------------------------------------------------------------------ failover

    def carrying_member(self):
        """The member vswd sends the VM's flow on (one flow: one member in every mode)."""
        before = [m['stats']['tx_packets'] for m in self.bond()['members']]
        self.vm.send(0, eth_frame(TOR, VM, payload=b'prob' + bytes(4)), count=50)
        self.tor_wait(50, 3000)
        self.tor_clear()
        after = [m['stats']['tx_packets'] for m in self.bond()['members']]
        deltas = [a - b for a, b in zip(after, before)]
        return deltas.index(max(deltas))

    def paced_phase(self, count, action):
        """Both ends send count numbered frames at PPS; action() runs 0.5 s in. Returns
        {direction: (lost, longest gap)}."""
        self.vm.clear()
        self.tor_clear()
        up = eth_frame(TOR, VM, payload=b'pace', size=64)
        down = eth_frame(VM, TOR, vlan=2003, payload=b'pace', size=68)
        self.vm.pace(0, up, PPS, count)
        if self.lacp:
            self.tor.pace(2, down, PPS, count)
        time.sleep(0.5)
        action()
        ms = count * 1000 // PPS + 5000
        self.assertEqual(self.vm.pace_wait(ms), count)
        if self.lacp:
            self.assertEqual(self.tor.pace_wait(ms), count)
            self.vm.wait(0, count, 1000)
        time.sleep(0.3)  # the last frames in flight
        out = {'vm_to_tor': loss_and_gap(seqs_of(self.tor_recv(), VM, b'pace'), count)}
        if self.lacp:
            out['tor_to_vm'] = loss_and_gap(seqs_of(self.vm.recv(0), TOR, b'pace'), count)
        return out

    def report(self, event, figures):
        rec = {'mode': self.mode, 'event': event, 'pps': PPS}
        for d, (lost, gap) in figures.items():
            rec[d] = {'lost': lost, 'recovery_ms': round(gap * 1000 / PPS, 1)}
        print(f'\nFAILOVER {json.dumps(rec)}', flush=True)
        if os.environ.get('VSW_FAILOVER_LOG'):
            with open(os.environ['VSW_FAILOVER_LOG'], 'a') as f:
                f.write(json.dumps(rec) + '\n')

    def test_member_failure_and_rejoin(self):
        self.wait_ready()
        cut = self.carrying_member()
        figures = self.paced_phase(3 * PPS, lambda: self.cut(cut))
        self.report('cut', figures)
        b = self.bond()
        m = b['members'][cut]
        self.assertEqual((m['link'], m['active'], m['link_down_events']), ('down', False, 1), b)
        self.assertEqual(b['active_members'], 1)
        self.assertEqual(b['link'], 'up')
        lost, gap = figures['vm_to_tor']
        self.assertLessEqual(lost, MAX_CUT_LOSS, 'vswd moved the flow to the other member')
        self.assertLessEqual(gap, MAX_CUT_LOSS)
        if self.lacp:
            self.assertLessEqual(figures['tor_to_vm'][0], MAX_CUT_LOSS)
        # the cut member's traffic now leaves on the other one
        self.assertGreater(b['members'][1 - cut]['stats']['tx_packets'], 2 * PPS)

        # The cable goes back in: the member rejoins (after LACP in 802.3ad mode) and no frame
        # is lost beyond what the rejoin itself costs.
        def restore():
            self.restore(cut)
            self.wait_ready(timeout=15)
        figures = self.paced_phase(6 * PPS, restore)
        self.report('rejoin', figures)
        b = self.bond()
        m = b['members'][cut]
        self.assertEqual((m['link'], m['active'], m['link_up_events']), ('up', True, 2), b)
        for d, (lost, gap) in figures.items():
            self.assertLessEqual(lost, MAX_CUT_LOSS, f'{d}: {figures}')


class ActiveBackupTest(BondedUplink, unittest.TestCase):
    mode, dpdk_mode = 'active-backup', 1


class BalanceXorTest(BondedUplink, unittest.TestCase):
    mode, dpdk_mode = 'balance-xor', 2


class LacpTest(BondedUplink, unittest.TestCase):
    mode, dpdk_mode, lacp = '802.3ad', 4, True

    def member_ready(self, m):
        return (m['active'] and 'distributing' in m['lacp']['actor_state'] and
                'distributing' in m['lacp']['partner_state'])

    def test_lacp_negotiated_with_the_partner(self):
        self.wait_ready(timeout=40)
        for m in self.bond()['members']:
            lacp = m['lacp']
            self.assertNotEqual(lacp['partner_system'], '00:00:00:00:00:00')
            self.assertTrue(lacp['selected'])


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
                # the first member probed, the second not there: rolled back
                ({'type': 'bond', 'bond_mode': 'balance-xor', 'members': 'net_null1;0000:00:1f.6',
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
