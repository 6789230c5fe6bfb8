"""Prometheus metrics and poll-mode worker figures (issue #13 §1, §3).

A real Prometheus server (Debian's `prometheus`) scrapes a real vswd while a vsw_peer sends
known frames: the target is up, and PromQL over the scraped series gives the same numbers
vswctl reports (rx/tx, drop reasons, worker packets), rate() sees a paced stream start and
stop. `promtool check metrics` lints the exposition. The endpoint's own behaviour (methods,
paths, a unix socket, bad metrics.listen) is checked with plain HTTP clients.
"""
import http.client
import json
import os
import re
import shutil
import socket
import stat
import subprocess
import tempfile
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request

from peer import eth_frame, mac
from vswlib import PeerSwitchTest, Switch, VSWCTL, VSWD, vm_port

PROMETHEUS = shutil.which('prometheus')
PROMTOOL = shutil.which('promtool')
NAMES = ['vm1', 'vm2', 'vm3']
VM1, VM2, VM3 = range(3)
MAC = [f'02:00:00:00:00:{0x10 + i:02x}' for i in range(3)]


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def http_get(url, headers=None, method='GET'):
    """(status, headers, body) of one request; HTTP errors are answers too."""
    req = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.headers, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode()


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__('localhost', timeout=10)
        self.unix_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(10)
        self.sock.connect(self.unix_path)


class Prometheus:
    """A real Prometheus server scraping one target every second, in its own temp dir."""

    def __init__(self, tmp, target):
        self.port = free_port()
        cfg = os.path.join(tmp, 'prometheus.yml')
        with open(cfg, 'w') as f:
            f.write('global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n'
                    'scrape_configs:\n  - job_name: vsw\n    static_configs:\n'
                    f"      - targets: ['{target}']\n")
        self.log_path = os.path.join(tmp, 'prometheus.log')
        self._log = open(self.log_path, 'wb')
        self.proc = subprocess.Popen(
            [PROMETHEUS, f'--config.file={cfg}', f'--storage.tsdb.path={tmp}/tsdb',
             f'--web.listen-address=127.0.0.1:{self.port}', '--log.level=warn'],
            stdout=self._log, stderr=subprocess.STDOUT, env={**os.environ, 'GOMAXPROCS': '1'})
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f'prometheus exited: {self.log_tail()}')
            try:
                if http_get(f'http://127.0.0.1:{self.port}/-/ready')[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError('prometheus not ready in 60 s')

    def log_tail(self):
        with open(self.log_path, 'rb') as f:
            return f.read()[-2000:].decode(errors='replace')

    def api(self, path, **params):
        url = f'http://127.0.0.1:{self.port}/api/v1/{path}?{urllib.parse.urlencode(params)}'
        with urllib.request.urlopen(url, timeout=10) as r:
            body = json.load(r)
        if body.get('status') != 'success':
            raise RuntimeError(f'prometheus {path}: {body}')
        return body['data']

    def query(self, q):
        """{frozenset of (label, value) without __name__: float} of an instant query."""
        return {frozenset((k, v) for k, v in s['metric'].items() if k != '__name__'):
                float(s['value'][1]) for s in self.api('query', query=q)['result']}

    def scalar(self, q):
        """The value of a query with one series, None if it has none."""
        r = self.query(q)
        return next(iter(r.values())) if len(r) == 1 else None

    def wait_for(self, q, pred, timeout=30):
        """Polls q until pred(value) holds (bounded); returns the last value."""
        deadline = time.monotonic() + timeout
        v = None
        while time.monotonic() < deadline:
            v = self.scalar(q)
            if v is not None and pred(v):
                return v
            time.sleep(0.3)
        return v

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self._log.close()


class MetricsTest(PeerSwitchTest):
    @classmethod
    def setUpClass(cls):
        if PROMETHEUS is None or PROMTOOL is None:
            raise RuntimeError('prometheus and promtool are needed (tests/deps.sh installs them)')
        cls.mport = free_port()
        sw = Switch([], start=False, extra={'metrics': {'listen': f'127.0.0.1:{cls.mport}'}})
        sw.rewrite_ports([vm_port('vm1', sw.path('vm1.sock'), 2003),
                          vm_port('vm2', sw.path('vm2.sock'), 2003),
                          vm_port('vm3', sw.path('vm3.sock'), 2004)])
        cls.start_peer(sw, NAMES, n_uplinks=0)
        cls.url = f'http://127.0.0.1:{cls.mport}/metrics'
        try:
            cls.prom = Prometheus(sw.tmp, f'127.0.0.1:{cls.mport}')
        except Exception:
            super().tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.prom.stop()
        super().tearDownClass()

    def setUp(self):
        self.peer.clear()

    def frame(self, src, dst, n=0):
        return eth_frame(MAC[dst], MAC[src], ethertype=0x88b5, payload=bytes([n]) * 46)

    def wait_equal(self, q, want, timeout=30):
        got = self.prom.wait_for(q, lambda v: v == want, timeout)
        self.assertEqual(got, want, f'{q}: Prometheus {got}, vswctl {want}')

    def test_exposition_is_valid_and_negotiated(self):
        status, headers, text = http_get(self.url)
        self.assertEqual(status, 200)
        self.assertEqual(headers['Content-Type'], 'text/plain; version=0.0.4; charset=utf-8')
        lint = subprocess.run([PROMTOOL, 'check', 'metrics'], input=text.encode(),
                              capture_output=True, timeout=30)
        self.assertEqual((lint.returncode, lint.stdout + lint.stderr), (0, b''))
        for family in ('vsw_build_info', 'vsw_process_start_time_seconds',
                       'vsw_port_rx_packets_total', 'vsw_port_drops_total',
                       'vsw_worker_busy_cycles_total', 'vsw_conntrack_entries',
                       'vsw_fdb_entries', 'vsw_control_requests_total'):
            self.assertIn(f'\n# TYPE {family} ', text)
        # every drop reason vswctl knows is a series of every port
        drops = self.sw.drops('vm3')
        for reason in drops:
            self.assertIn(f'vsw_port_drops_total{{port="vm3",reason="{reason}"}} ', text)
        status, headers, om = http_get(self.url, {'Accept': 'application/openmetrics-text;'
                                                  'version=1.0.0,text/plain;q=0.5'})
        self.assertEqual(status, 200)
        self.assertTrue(headers['Content-Type'].startswith('application/openmetrics-text'))
        self.assertTrue(om.endswith('# EOF\n'))
        self.assertIn('\n# TYPE vsw_port_rx_packets counter\n', om)
        self.assertIn('\nvsw_port_rx_packets_total{port="vm1"} ', om)

    def test_prometheus_scrapes_vswd(self):
        up = self.prom.wait_for('up{job="vsw"}', lambda v: v == 1)
        self.assertEqual(up, 1, self.prom.log_tail())
        targets = self.prom.api('targets')['activeTargets']
        self.assertEqual([t['health'] for t in targets], ['up'], targets)
        info = self.prom.query('vsw_build_info')
        version = self.sw.call('version')
        self.assertEqual(list(info.values()), [1.0])
        labels = dict(next(iter(info)))
        self.assertEqual((labels['version'], labels['dpdk']), (version['version'], version['dpdk']))
        start = self.prom.scalar('vsw_process_start_time_seconds')
        uptime = self.sw.call('control.show')['startup']['uptime_s']
        self.assertLess(abs(time.time() - uptime - start), 5)

    def test_counters_match_vswctl(self):
        self.peer.send(VM2, self.frame(VM2, VM1))   # vm2's MAC learned: vm1 -> vm2 is unicast
        self.assertEqual(self.peer.send(VM1, self.frame(VM1, VM2), count=300), 300)
        self.assertEqual(self.peer.wait(VM2, 300, 10000), 300)
        time.sleep(0.3)
        vm1, vm2 = self.sw.port('vm1')['stats'], self.sw.port('vm2')['stats']
        self.wait_equal('vsw_port_rx_packets_total{port="vm1"}', vm1['rx_packets'])
        self.wait_equal('vsw_port_rx_bytes_total{port="vm1"}', vm1['rx_bytes'])
        self.wait_equal('vsw_port_tx_packets_total{port="vm2"}', vm2['tx_packets'])
        self.wait_equal('vsw_port_link_up{port="vm1"}', 1)
        self.wait_equal('vsw_port_vhost_connected{port="vm2"}', 1)
        self.wait_equal('vsw_vlan_fdb_entries{vlan="2003"}',
                        next(v['macs'] for v in self.sw.call('vlan.list')['vlans']
                             if v['vlan'] == 2003))
        self.assertGreaterEqual(vm1['rx_packets'], 300)

    def test_drop_reasons_match_vswctl(self):
        # tagged frames on an access port, and frames whose source is a multicast MAC
        tagged = eth_frame(MAC[VM2], MAC[VM3], vlan=2004, ethertype=0x88b5, payload=bytes(46))
        bad_src = eth_frame(MAC[VM2], '01:00:5e:00:00:01', ethertype=0x88b5, payload=bytes(46))
        self.peer.send(VM3, tagged, count=7)
        self.peer.send(VM3, bad_src, count=5)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            d = self.sw.drops('vm3')
            if d['tagged_on_access'] >= 7 and d['bad_src_mac'] >= 5:
                break
            time.sleep(0.1)
        self.assertGreaterEqual(d['tagged_on_access'], 7)
        for reason in ('tagged_on_access', 'bad_src_mac', 'runt'):
            self.wait_equal(f'vsw_port_drops_total{{port="vm3",reason="{reason}"}}', d[reason])
        total = sum(d.values())
        self.wait_equal('sum(vsw_port_drops_total{port="vm3"})', total)

    def test_rate_follows_a_paced_stream(self):
        q = 'rate(vsw_port_rx_packets_total{port="vm1"}[3s])'
        self.prom.wait_for(q, lambda v: v == 0)
        before = self.sw.port('vm1')['stats']['rx_packets']
        self.peer.pace(VM1, self.frame(VM1, VM2, 1), 200, 1600)     # 8 s
        during = self.prom.wait_for(q, lambda v: v > 0, timeout=8)
        self.assertGreater(during or 0, 0, 'rate() sees the stream')
        self.assertEqual(self.peer.pace_wait(30000), 1600)
        self.wait_equal('vsw_port_rx_packets_total{port="vm1"}', before + 1600)
        after = self.prom.wait_for(q, lambda v: v == 0)
        self.assertEqual(after, 0, 'rate() is 0 once the stream ended')

    def test_worker_figures(self):
        self.assertEqual(self.sw.call('worker.clear'), {})
        self.assertEqual(self.peer.send(VM1, self.frame(VM1, VM2, 2), count=200), 200)
        self.peer.wait(VM2, 200, 10000)
        time.sleep(0.3)
        ws = self.sw.call('worker.stats')
        w = ws['workers'][0]
        self.assertGreater(ws['tsc_hz'], 0)
        self.assertEqual(w['rx_packets'], 200, 'only the 200 frames since worker.clear')
        self.assertGreater(w['busy_cycles'], 0)
        self.assertGreater(w['idle_cycles'], w['sleep_cycles'] - 1)
        self.assertAlmostEqual(w['cycles_per_packet'], w['busy_cycles'] / 200, delta=1)
        self.assertTrue(0 < w['busy_pct'] < 100)
        rxq = {(q['port'], q['queue']): q for q in w['rxqs']}
        self.assertEqual(set(rxq), {('vm1', 0), ('vm2', 0), ('vm3', 0)})
        self.assertEqual(rxq[('vm1', 0)]['packets'], 200)
        self.assertAlmostEqual(rxq[('vm1', 0)]['share_pct'], 100, delta=0.01)
        # the human view, OVS pmd-perf-show style
        out = subprocess.run([VSWCTL, '-s', self.sw.sock, 'worker', 'stats'],
                             capture_output=True, timeout=20).stdout.decode()
        self.assertIn('cycles/packet', out)
        self.assertRegex(out, r'vm1\s+0\s+200\s')
        # Prometheus: the worker's own counter is cumulative (worker.clear is vswctl's view)
        raw = self.prom.wait_for('vsw_worker_rx_packets_total{worker="0"}', lambda v: v > 0)
        self.assertGreaterEqual(raw, 200)
        self.assertIsNotNone(self.prom.scalar(
            'vsw_worker_rxq_packets_total{worker="0",port="vm1",queue="0"}'))

    def test_shipped_scrape_config_and_dashboard(self):
        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        r = subprocess.run([PROMTOOL, 'check', 'config',
                            os.path.join(root, 'conf', 'prometheus', 'prometheus.yml')],
                           capture_output=True, timeout=30)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        with open(os.path.join(root, 'conf', 'grafana', 'vsw.json')) as f:
            dash = json.load(f)
        self.prom.wait_for('up{job="vsw"}', lambda v: v == 1)
        exprs = [t['expr'] for p in dash['panels'] for t in p['targets']]
        self.assertGreaterEqual(len(exprs), 10)
        for e in exprs:
            # Grafana's variables as Grafana would fill them in
            q = e.replace('$instance', '.*').replace('$__rate_interval', '5s')
            with self.subTest(expr=e):
                self.prom.api('query', query=q)     # raises unless Prometheus accepts it
                names = {n for n in re.findall(r'(vsw_[a-z_]+)', q)}
                for n in names:     # every family the dashboard uses exists on vswd
                    self.assertTrue(self.prom.api('series', **{'match[]': n})
                                    or n.startswith('vsw_bond') or n.startswith('vsw_qos'), n)

    def test_endpoint_methods_and_paths(self):
        self.assertEqual(http_get(self.url, method='POST')[0], 405)
        self.assertEqual(http_get(self.url, method='DELETE')[0], 405)
        self.assertEqual(http_get(f'http://127.0.0.1:{self.mport}/metrics/../etc')[0], 404)
        self.assertEqual(http_get(f'http://127.0.0.1:{self.mport}/nope')[0], 404)
        status, _, body = http_get(f'http://127.0.0.1:{self.mport}/metrics?x=1')
        self.assertEqual(status, 200)
        # a request with oversized headers is refused, and vswd keeps serving
        s = socket.create_connection(('127.0.0.1', self.mport), timeout=10)
        s.sendall(b'GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: ' + b'a' * 20000 + b'\r\n\r\n')
        reply = s.recv(100)
        s.close()
        self.assertNotIn(b' 200 ', reply)
        m = self.sw.call('control.show')['metrics']
        self.assertEqual(m['listen'], f'127.0.0.1:{self.mport}')
        self.assertGreater(m['scrapes'], 0)
        self.assertGreaterEqual(m['not_found'], 2)
        self.assertEqual(http_get(self.url)[0], 200)


class MetricsListenTest(unittest.TestCase):
    def test_unix_socket(self):
        tmp = tempfile.mkdtemp(prefix='vswt_')
        path = os.path.join(tmp, 'metrics.sock')
        sw = Switch([], tmp=tmp, extra={'metrics': {'listen': f'unix:{path}'}})
        try:
            self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o660)
            c = UnixHTTPConnection(path)
            c.request('GET', '/metrics')
            r = c.getresponse()
            body = r.read().decode()
            c.close()
            self.assertEqual(r.status, 200)
            self.assertIn('vsw_build_info{', body)
            self.assertEqual(sw.call('control.show')['metrics']['listen'], f'unix:{path}')
            sw.stop()
            self.assertFalse(os.path.exists(path), 'vswd removes its metrics socket')
        finally:
            sw.cleanup()

    def test_bad_listen_refused_naming_the_field(self):
        for bad, why in (('localhost:9469', 'not an IPv4 address literal'),
                         ('127.0.0.1:0', 'port must be 1..65535'),
                         ('unix:metrics.sock', 'absolute path'), (':9469', 'bad address')):
            with self.subTest(listen=bad):
                sw = Switch([], start=False, extra={'metrics': {'listen': bad}})
                r = subprocess.run([VSWD, '-c', sw.config_path, '--check'],
                                   capture_output=True, timeout=20)
                shutil.rmtree(sw.tmp, ignore_errors=True)
                self.assertNotEqual(r.returncode, 0)
                self.assertIn(b'metrics.listen', r.stderr)
                self.assertIn(why.encode(), r.stderr)

    def test_address_in_use_stops_the_start(self):
        with socket.socket() as busy:
            busy.bind(('127.0.0.1', 0))
            busy.listen(1)
            port = busy.getsockname()[1]
            sw = Switch([], start=False, extra={'metrics': {'listen': f'127.0.0.1:{port}'}})
            try:
                with self.assertRaises(RuntimeError) as cm:
                    sw.start(timeout=30)
                self.assertIn('metrics.listen', str(cm.exception))
                self.assertIn('cannot listen on 127.0.0.1 port', str(cm.exception))
            finally:
                sw.cleanup()


if __name__ == '__main__':
    unittest.main()
