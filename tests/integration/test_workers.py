"""Two workers: rx queues spread over them, one ethdev tx queue each, vhost rings shared, RCU
snapshot swaps with two readers. Both workers share CPU 1 here (2-CPU machines), which halves
their speed but exercises every multi-worker path."""

import time
import unittest

from peer import Peer, eth_frame, parse_eth
from vswlib import PEER, Churn, Switch, vm_port

BCAST = 'ff:ff:ff:ff:ff:ff'
A, B = '02:00:00:00:0a:01', '02:00:00:00:0b:02'


class TwoWorkersTest(unittest.TestCase):
    def setUp(self):
        self.sw = sw = Switch([], start=False, idle_sleep_us=20)
        sw.rewrite_ports([
            {'name': 'up', 'type': 'dpdk', 'allowed': '2003',
             'devargs': f"net_vhost0,iface={sw.path('up.sock')},queues=2"},
            vm_port('vm1', sw.path('vm1.sock'), 2003, queues=2),
            vm_port('vm2', sw.path('vm2.sock'), 2003, queues=2),
        ])
        import json
        with open(sw.config_path) as f:
            cfg = json.load(f)
        cfg['workers']['cpus'] = [1, 1]
        with open(sw.config_path, 'w') as f:
            json.dump(cfg, f)
        sw.start()
        self.p = Peer(PEER, [sw.path('up.sock'), sw.path('vm1.sock'), sw.path('vm2.sock')],
                      server_flags=[False, True, True], queues=2, prefix=f'{sw.prefix}w')
        sw.wait_link(['up', 'vm1', 'vm2'])

    def tearDown(self):
        self.p.close()
        self.assertEqual(self.sw.stop(), 0)
        self.sw.cleanup()

    def test_both_workers_switch_and_survive_churn(self):
        sw, p = self.sw, self.p
        self.assertEqual(len(sw.call('stats')['workers']), 2)
        p.send(1, eth_frame(BCAST, A))
        p.send(2, eth_frame(BCAST, B))
        time.sleep(0.3)
        # the uplink gets both floods, tagged, whichever worker sent them
        self.assertEqual([parse_eth(f)[2] for f in p.recv(0)], [2003, 2003])
        p.clear()

        def step(c, _):
            c.call('port.add', name='hot', socket=sw.path('hot.sock'), vlan=2003, queues=2)
            c.call('port.del', name='hot')

        sent = got1 = got2 = batches = 0
        with Churn(sw, step) as ch:
            # at least 20 batches, and on until the churn made 4 rounds (a slow machine or ASan
            # makes fewer per batch), bounded
            while (batches < 20 or ch.rounds < 4) and batches < 500 and not ch.errors:
                batches += 1
                sent += p.send(1, eth_frame(B, A, payload=b'a->b'), count=100)
                p.send(2, eth_frame(A, B, payload=b'b->a'), count=100)
                p.wait(2, 100, 2000)
                p.wait(1, 100, 2000)
                got2 += len(p.recv(2))
                got1 += len(p.recv(1))
        self.assertEqual(ch.errors, [])
        self.assertGreater(ch.rounds, 3)
        self.assertEqual((got1, got2), (sent, sent), 'no loss in either direction')
        self.assertEqual(p.recv(0), [], 'known unicast never leaks to the uplink')
        workers = sw.call('stats')['workers']
        self.assertTrue(all(w['busy_loops'] > 0 for w in workers), workers)

    def test_scheduler_fed_by_the_other_worker(self):
        """vm1's egress scheduler is owned by worker 1 (slot 1 of 2); the uplink's queue 0 is
        polled by worker 0, which must hand its frames over through the scheduler's ring."""
        sw, p = self.sw, self.p
        sw.call('port.set', name='vm1', qos_rate=1_000_000_000)
        sched = sw.call('qos.show', name='vm1')['ports'][0]['scheduler']
        self.assertEqual(sched['owner_worker'], 1)
        p.send(1, eth_frame(BCAST, A))
        p.wait(0, 1, 2000)
        p.clear()
        sent = p.send(0, eth_frame(A, B, vlan=2003, payload=b'up->vm1'), count=500)
        self.assertEqual(p.wait(1, sent, 5000), sent)
        self.assertTrue(all(parse_eth(f)[2] is None for f in p.recv(1)), 'untagged on access')
        be = {c['class']: c for c in
              sw.call('qos.show', name='vm1')['ports'][0]['scheduler']['classes']}['best-effort']
        self.assertEqual((be['enqueued'], be['sent'], be['dropped']), (sent, sent, 0))
        self.assertEqual(sw.drops('vm1')['qos_handoff_full'], 0)


if __name__ == '__main__':
    unittest.main()
