"""QoS (issue #4): ingress policing and egress scheduling.

These tests assert behaviour, never machine speed: CI runs them on slow shared 2-CPU machines
and a second time under ASan+UBSan, where absolute rates and latencies mean nothing. Rate
accuracy and latency figures are printed here and measured by perf/qos.sh (perf/RESULTS.md).

Ingress policing: a VM port with a policer cannot send into the switch faster than its rate.
vm1 sends paced 1000-byte frames at twice the policed rate for two seconds; what reaches vm2
is never more than rate x (the time the sending took) + burst, and not starved either (at
least half of rate x time + burst); every frame not delivered is dropped and counted
(policed_red / policed_yellow). srTCM and trTCM (yellow passed or dropped), a policer changed
and removed at run time, bad settings refused with nothing changed, and the policer kept by
config save.

Egress scheduling: vm4's port is shaped (qos_rate) and vm3 floods it with best-effort frames
at 2.4 times the rate while sending a sparse critical stream (DSCP EF); vsw_peer's --congest
mode measures what arrives and every frame's one-way latency. The shaper never delivers more
than its token bucket allows (rate x time + bucket + what the receiving ring can hold) and
not less than half its rate; with vm3 trusted for DSCP the critical stream loses nothing and
overtakes the queued best-effort frames (its median latency well under theirs) while
best-effort takes the loss; without trust (the control case) the same stream is tail-dropped
and waits in the same queue as everything else, which is what shows the test can fail.
Scavenger yields to best-effort by WRR, and the scheduler changes and goes at run time."""

import json
import time
import unittest

from peer import Peer, eth_frame, run_mode
from vswlib import PEER, CtlError, Switch, vm_port

VM1, VM2 = '02:00:00:00:0c:01', '02:00:00:00:0c:02'
FRAME = 1000   # bytes as metered: untagged, no FCS
PPS = 2000     # offered: 16 Mbit/s
SECONDS = 2


class PolicingTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sw = sw = Switch([], start=False)
        sw.rewrite_ports([vm_port('vm1', sw.path('vm1.sock'), 2003),
                          vm_port('vm2', sw.path('vm2.sock'), 2003)])
        sw.start()
        cls.vm = Peer(PEER, [sw.path('vm1.sock'), sw.path('vm2.sock')], server_flags=[True, True],
                      prefix=f'{sw.prefix}p', mtu=9000)
        sw.wait_link(['vm1', 'vm2'])
        # vm2's MAC learned, so vm1's frames go to vm2 only
        cls.vm.send(1, eth_frame(VM1, VM2, payload=b'hello'))
        cls.vm.wait(0, 1, 2000)
        cls.vm.clear()

    @classmethod
    def tearDownClass(cls):
        cls.vm.close()
        rc = cls.sw.stop()
        cls.sw.cleanup()
        assert rc == 0, rc

    def tearDown(self):
        self.sw.call('port.set', name='vm1', police_rate=0, police_burst=0, police_peak_rate=0,
                     police_peak_burst=0)

    def drops(self):
        return self.sw.drops('vm1')

    def offer(self):
        """vm1 sends SECONDS at PPS; returns (frames vm2 got, red drops, yellow drops). Keeps
        in self.took the longest the meter can have been metering them: from before the pace
        command to when the frames are counted (a slow machine can stretch the pacing, and a
        worker lagging behind meters the last frames later)."""
        before = self.drops()
        self.vm.clear()
        start = time.monotonic()
        self.vm.pace(0, eth_frame(VM2, VM1, payload=b'police', size=FRAME), PPS, PPS * SECONDS)
        self.assertEqual(self.vm.pace_wait(SECONDS * 1000 + 5000), PPS * SECONDS)
        time.sleep(0.2)
        self.took = time.monotonic() - start
        got = len([f for f in self.vm.recv(1) if f[12:14] == b'\x88\xb5' and len(f) == FRAME])
        after = self.drops()
        return (got, after['policed_red'] - before['policed_red'],
                after['policed_yellow'] - before['policed_yellow'])

    def assert_rate(self, got, rate_bps, burst, what='frames'):
        """What a meter of rate_bps/burst let through: never more than its tokens over the
        time it can have metered them (plus one frame of rounding), never less than half of
        what it lets through in SECONDS. The accuracy (-0.2% on a quiet machine) is printed
        here and measured by perf/qos.sh, not asserted."""
        expect = (rate_bps / 8 * SECONDS + burst) / FRAME
        most = (rate_bps / 8 * self.took + burst) / FRAME + 1
        print(f'\nPOLICE {self._testMethodName}: {got} {what}, expected {expect:.0f} '
              f'({(got - expect) / expect:+.2%}), at most {most:.0f} in {self.took:.2f} s',
              flush=True)
        self.assertLessEqual(got, most, f'{what}: more than the meter allows in {self.took:.2f} s')
        self.assertGreater(got, expect * 0.5, f'{what}: the meter starved the port')

    def test_srtcm_holds_the_rate(self):
        self.sw.call('port.set', name='vm1', police_rate=8_000_000, police_burst=20_000)
        got, red, yellow = self.offer()
        self.assert_rate(got, 8_000_000, 20_000)
        self.assertEqual(got + red, PPS * SECONDS, 'every frame either passed or was red')
        self.assertEqual(yellow, 0)

    def test_trtcm_yellow_passed_holds_the_peak_rate(self):
        self.sw.call('port.set', name='vm1', police_rate=4_000_000, police_burst=20_000,
                     police_peak_rate=8_000_000, police_peak_burst=20_000, police_yellow='pass')
        got, red, _ = self.offer()
        self.assert_rate(got, 8_000_000, 20_000)
        self.assertEqual(got + red, PPS * SECONDS)

    def test_trtcm_yellow_dropped_holds_the_committed_rate(self):
        self.sw.call('port.set', name='vm1', police_rate=4_000_000, police_burst=20_000,
                     police_peak_rate=8_000_000, police_peak_burst=20_000, police_yellow='drop')
        got, red, yellow = self.offer()
        self.assert_rate(got, 4_000_000, 20_000)
        self.assertGreater(yellow, 0)
        self.assertEqual(got + red + yellow, PPS * SECONDS)
        self.sw.call('port.set', name='vm1', police_yellow='pass')

    def test_trtcm_yellow_remarked_to_scavenger(self):
        """Yellow frames pass, re-marked: vm2's egress scheduler (fast enough to shape nothing)
        counts them in the scavenger class, the green ones in best-effort."""
        self.sw.call('port.set', name='vm2', qos_rate=1_000_000_000)
        try:
            self.sw.call('port.set', name='vm1', police_rate=4_000_000, police_burst=20_000,
                         police_peak_rate=8_000_000, police_peak_burst=20_000,
                         police_yellow='scavenger')
            got, red, yellow = self.offer()
            self.assert_rate(got, 8_000_000, 20_000)
            self.assertEqual(yellow, 0, 'yellow frames are re-marked, not dropped')
            classes = {c['class']: c for c in self.sw.call('qos.show', name='vm2')
                       ['ports'][0]['scheduler']['classes']}
            scav, be = classes['scavenger']['sent'], classes['best-effort']['sent']
            self.assertEqual(scav + be, got)
            self.assert_rate(be, 4_000_000, 20_000, 'green frames (best-effort)')
            self.assertGreater(scav, got * 0.3)
        finally:
            self.sw.call('port.set', name='vm2', qos_rate=0)
            self.sw.call('port.set', name='vm1', police_yellow='pass')

    def test_policer_removed_at_run_time(self):
        self.sw.call('port.set', name='vm1', police_rate=8_000_000)
        self.sw.call('port.set', name='vm1', police_rate=0)
        got, red, yellow = self.offer()
        self.assertEqual((got, red, yellow), (PPS * SECONDS, 0, 0))

    def test_bad_police_settings_refused(self):
        before = self.sw.call('config.show')
        for args, field in [
            ({'police_rate': 100}, 'args.police_rate'),
            ({'police_rate': 500_000_000_000}, 'args.police_rate'),
            ({'police_burst': 10_000}, 'args.police_rate'),
            ({'police_rate': 8_000_000, 'police_burst': 1000}, 'args.police_burst'),
            ({'police_rate': 8_000_000, 'police_peak_rate': 1_000_000},
             'args.police_peak_rate'),
            ({'police_rate': 8_000_000, 'police_yellow': 'maybe'}, 'args.police_yellow'),
            ({'police_rate': -1}, 'args.police_rate'),
        ]:
            with self.subTest(args=args):
                with self.assertRaises(CtlError) as cm:
                    self.sw.call('port.set', name='vm1', **args)
                self.assertEqual(cm.exception.err.get('field'), field, cm.exception.err)
        self.assertEqual(self.sw.call('config.show'), before, 'nothing half-applied')

    def test_policer_kept_by_config_save(self):
        self.sw.call('port.set', name='vm1', police_rate=8_000_000, police_peak_rate=9_000_000,
                     police_yellow='drop')
        path = self.sw.path('saved.json')
        self.sw.call('config.save', path=path)
        with open(path) as f:
            vm1 = [p for p in json.load(f)['ports'] if p['name'] == 'vm1'][0]
        self.assertEqual((vm1['police_rate'], vm1['police_peak_rate'], vm1['police_yellow']),
                         (8_000_000, 9_000_000, 'drop'))
        self.sw.call('port.set', name='vm1', police_yellow='pass')


SHAPED = 40_000_000      # vm4's egress rate, bits/s
BE_PPS, BE_SIZE = 12_000, 1000   # 96 Mbit/s offered: 2.4x the shaped rate
CRIT_PPS, CRIT_SIZE = 1000, 128  # ~1 Mbit/s of critical frames
QUEUE = 64               # qos_queue default: frames per class
RX_RING = 1024           # vsw_peer's virtio rings: frames that can wait at the receiver
# A shaper delivers at least this share of its rate here. Measured: 0.96-1.0 on a quiet
# machine, 0.83 with a CPU hog on the worker's CPU, 0.58 under ASan on a shared machine (a
# worker descheduled for longer than the 1 ms bucket loses credits); a broken shaper that
# starves delivers a small fraction.
NOT_STARVED = 0.4


def shaped_bits_at_most(rate, seconds, frame):
    """The most a shaper of rate can deliver in a measuring window of seconds: its rate, its
    token bucket (control/qos/qos.c: 1 ms at the rate, at least two frames of the port's MTU,
    9018 bytes with the 9000-byte MTU here) and whatever left it before the window and still
    waited in the receiving ring and the worker's tx buffer (a receiver descheduled at the
    start counts those in), plus 2% for the measuring window's edges."""
    bucket = max(2 * 9018, rate / 8 / 1000)
    return (rate * seconds + (bucket + (RX_RING + QUEUE) * frame) * 8) * 1.02


class EgressSchedulingTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sw = sw = Switch([], start=False)
        sw.rewrite_ports([vm_port('vm3', sw.path('vm3.sock'), 2004),
                          vm_port('vm4', sw.path('vm4.sock'), 2004, qos_rate=SHAPED)])
        sw.start()
        cls.runs = 0

    @classmethod
    def tearDownClass(cls):
        rc = cls.sw.stop()
        cls.sw.cleanup()
        assert rc == 0, rc

    def tearDown(self):
        self.sw.call('port.set', name='vm3', qos_trust='none', qos_critical='', qos_scavenger='')
        self.sw.call('port.set', name='vm4', qos_rate=SHAPED)

    def congest(self, seconds=3, **kw):
        """vm3 -> vm4 under congestion; returns vsw_peer's --congest result."""
        opts = dict(seconds=seconds, warmup=0.5, be_pps=BE_PPS, be_size=BE_SIZE,
                    crit_pps=CRIT_PPS, crit_size=CRIT_SIZE, crit_dscp=46)
        opts.update(kw)
        spec = ','.join(f'{k}={v}' for k, v in opts.items())
        type(self).runs += 1
        r = run_mode(PEER, [self.sw.path('vm3.sock'), self.sw.path('vm4.sock')], 'congest',
                     spec, prefix=f'{self.sw.prefix}c{self.runs}', timeout=seconds + 40)
        print(f'\nQOS {self._testMethodName}: {json.dumps(r)}', flush=True)
        return r

    def assert_shaped(self, r, rate, crit_size=0):
        """The frames that got through (best-effort, plus the critical stream's if crit_size)
        stay within the shaper's token bucket, and it is not starving them either (more than
        NOT_STARVED of its rate: generous, so a loaded machine or ASan passes; the accuracy,
        within 0.1% on a quiet machine, is measured by perf/qos.sh)."""
        bits = r['be_rx_bps'] * r['seconds'] + r['crit_rx'] * crit_size * 8
        most = shaped_bits_at_most(rate, r['seconds'], BE_SIZE)
        print(f"\nSHAPED {self._testMethodName}: {bits / r['seconds'] / 1e6:.2f} Mbit/s through "
              f"{rate / 1e6:.2f} ({bits / r['seconds'] / rate - 1:+.2%}), at most "
              f"{most / r['seconds'] / 1e6:.2f}", flush=True)
        self.assertLessEqual(bits, most, f'more than a {rate} bit/s shaper allows')
        self.assertGreater(bits, rate * r['seconds'] * NOT_STARVED,
                           f'a {rate} bit/s shaper starved')

    def classes(self):
        sched = self.sw.call('qos.show', name='vm4')['ports'][0]['scheduler']
        return {c['class']: c for c in sched['classes']}

    def test_shaping_holds_its_rate(self):
        before = self.classes()['best-effort']
        r = self.congest(crit_pps=1)
        self.assert_shaped(r, SHAPED, CRIT_SIZE)
        be = self.classes()['best-effort']
        self.assertGreater(be['dropped'] - before['dropped'], 0, 'the excess is tail-dropped')
        self.assertGreater(be['sent'] - before['sent'], 0)
        self.assertLessEqual(be['queued'], QUEUE)
        self.assertGreater(self.sw.drops('vm4')['qos_queue_full'], 0)

    def test_critical_class_keeps_throughput_and_latency(self):
        self.sw.call('port.set', name='vm3', qos_trust='dscp')
        r = self.congest()
        self.assertGreater(r['crit_tx'], 0)
        self.assertEqual(r['crit_lost'], 0, 'critical frames lost under congestion')
        # Strict priority: a critical frame waits for at most the frame being sent, never for
        # the full best-effort queue (QUEUE frames: 12.8 ms at 40 Mbit/s) the flood keeps
        # there. Compared with the best-effort frames of the same run, so that a machine slow
        # enough to delay both does not fail it; the control case below shows the same
        # comparison fails without priority.
        self.assertLess(r['crit_p50_us'], r['be_p50_us'] / 2,
                        'critical frames waited in the best-effort queue')
        # best-effort absorbs the loss: it still gets the rest of the port
        self.assert_shaped(r, SHAPED, CRIT_SIZE)
        crit = self.classes()['critical']
        self.assertGreaterEqual(crit['sent'], r['crit_tx'])
        self.assertEqual(crit['dropped'], 0)

    def test_without_priority_critical_frames_suffer(self):
        """The control case: the same stream as best-effort (vm3 not trusted) is dropped and
        delayed with the flood. If this passed with priority too, the test above proves
        nothing."""
        r = self.congest()
        self.assertGreater(r['crit_lost'], r['crit_tx'] * 0.2)
        # the same queue as the flood: the same delay (not half of it, as with priority)
        self.assertGreater(r['crit_p50_us'], r['be_p50_us'] / 2)

    def test_scavenger_yields_to_best_effort(self):
        self.sw.call('port.set', name='vm3', qos_trust='dscp')
        # the "critical" stream of --congest marked CS1 (scavenger), as big and as heavy
        r = self.congest(crit_dscp=8, crit_pps=6000, crit_size=BE_SIZE)
        scav_bps = r['crit_rx'] * BE_SIZE * 8 / r['seconds']
        self.assert_shaped(r, SHAPED, BE_SIZE)
        # WRR 8:1 between best-effort and scavenger, both backlogged (offered 2:1): measured
        # 8.0; bounds that a slow machine passes and equal shares or strict priority fail
        ratio = r['be_rx_bps'] / max(scav_bps, 1)
        print(f'\nWRR best-effort/scavenger {ratio:.2f}', flush=True)
        self.assertGreater(ratio, 4, 'scavenger not weighted below best-effort')
        self.assertLess(ratio, 16, 'scavenger starved instead of weighted')

    def test_scheduler_changed_and_removed_at_run_time(self):
        self.sw.call('port.set', name='vm4', qos_rate=SHAPED // 2)
        r = self.congest(seconds=2, crit_pps=1)
        self.assert_shaped(r, SHAPED // 2, CRIT_SIZE)
        self.sw.call('port.set', name='vm4', qos_rate=0)
        self.assertNotIn('scheduler', self.sw.call('qos.show', name='vm4')['ports'][0])
        r = self.congest(seconds=2, crit_pps=1)
        # offered: 2.4x SHAPED; well above what the removed shaper would have let through
        self.assertGreater(r['be_rx_bps'] * r['seconds'],
                           shaped_bits_at_most(SHAPED, r['seconds'], BE_SIZE) * 1.2,
                           'no scheduler: nothing shaped')

    def test_bad_qos_settings_refused(self):
        before = self.sw.call('config.show')
        for args, field in [
            ({'qos_rate': 1000}, 'args.qos_rate'),
            ({'qos_rate': SHAPED, 'qos_queue': 100}, 'args.qos_queue'),
            ({'qos_trust': 'cos'}, 'args.qos_trust'),
            ({'qos_default': 'gold'}, 'args.qos_default'),
            ({'qos_critical': '46'}, 'args.qos_critical'),
            ({'qos_trust': 'pcp', 'qos_critical': '8'}, 'args.qos_critical'),
            ({'qos_trust': 'dscp', 'qos_critical': '8'}, 'args.qos_critical'),
        ]:
            with self.subTest(args=args):
                with self.assertRaises(CtlError) as cm:
                    self.sw.call('port.set', name='vm3', **args)
                self.assertEqual(cm.exception.err.get('field'), field, cm.exception.err)
        self.assertEqual(self.sw.call('config.show'), before, 'nothing half-applied')
        with self.assertRaises(CtlError) as cm:
            self.sw.call('qos.show', name='nope')
        self.assertEqual(cm.exception.err.get('field'), 'args.name')

    def test_qos_kept_by_config_save_and_shown(self):
        self.sw.call('port.set', name='vm3', qos_trust='pcp', qos_critical='6-7',
                     qos_default='scavenger')
        path = self.sw.path('saved.json')
        self.sw.call('config.save', path=path)
        with open(path) as f:
            ports = {p['name']: p for p in json.load(f)['ports']}
        self.assertEqual((ports['vm3']['qos_trust'], ports['vm3']['qos_critical'],
                          ports['vm3']['qos_default']), ('pcp', '6-7', 'scavenger'))
        self.assertEqual(ports['vm4']['qos_rate'], SHAPED)
        shown = {p['name']: p for p in self.sw.call('qos.show')['ports']}
        self.assertEqual((shown['vm3']['critical'], shown['vm3']['scavenger']), ('6-7', '1'))
        self.assertEqual(shown['vm4']['scheduler']['rate'], SHAPED)
        self.sw.call('port.set', name='vm3', qos_default='best-effort')
        rc, out, _ = self.sw.ctl('qos', 'show', 'vm4')
        self.assertEqual(rc, 0)
        self.assertEqual([c['class'] for c in out['ports'][0]['scheduler']['classes']],
                         ['critical', 'best-effort', 'scavenger'])


if __name__ == '__main__':
    unittest.main()
