"""Ingress policing (issue #4, QoS part): a VM port with a policer cannot send into the switch
faster than its rate. vm1 sends paced 1000-byte frames at twice the policed rate for two
seconds; what reaches vm2 must match rate x time + burst within 5%, the rest is dropped and
counted (policed_red / policed_yellow). srTCM and trTCM (yellow passed or dropped), a policer
changed and removed at run time, bad settings refused with nothing changed, and the policer
kept by config save."""

import json
import time
import unittest

from peer import Peer, eth_frame
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
        """vm1 sends SECONDS at PPS; returns (frames vm2 got, red drops, yellow drops)."""
        before = self.drops()
        self.vm.clear()
        self.vm.pace(0, eth_frame(VM2, VM1, payload=b'police', size=FRAME), PPS, PPS * SECONDS)
        self.assertEqual(self.vm.pace_wait(SECONDS * 1000 + 5000), PPS * SECONDS)
        time.sleep(0.2)
        got = len([f for f in self.vm.recv(1) if f[12:14] == b'\x08\x00' and len(f) == FRAME])
        after = self.drops()
        return (got, after['policed_red'] - before['policed_red'],
                after['policed_yellow'] - before['policed_yellow'])

    def assert_rate(self, got, rate_bps, burst):
        expect = (rate_bps / 8 * SECONDS + burst) / FRAME
        print(f'\nPOLICE {self._testMethodName}: {got} frames, expected {expect:.0f} '
              f'({(got - expect) / expect:+.2%})', flush=True)
        self.assertLess(abs(got - expect) / expect, 0.05,
                        f'got {got} frames, expected {expect:.0f} (+-5%)')

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


if __name__ == '__main__':
    unittest.main()
