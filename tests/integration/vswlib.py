"""Start and drive a real vswd for integration tests (stdlib only).

Switch writes a config into a fresh temp dir, starts build/control/vswd pinned as the config
says (main lcore on CPU 0, one worker on CPU 1), waits for its control socket, talks the JSON
line protocol directly (tests read JSON, never scrape text), and stops it with SIGTERM,
checking that it exits cleanly. Every wait is bounded; processes are cleaned up by PID.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get('VSW_BUILD', os.path.join(ROOT, 'build'))
VSWD = os.path.join(BUILD, 'control', 'vswd')
VSWCTL = os.path.join(BUILD, 'control', 'cli', 'vswctl')
PEER = os.path.join(BUILD, 'tests', 'tools', 'vsw_peer')

_seq = [0]


class CtlError(Exception):
    def __init__(self, err):
        super().__init__(f"{err.get('field', '')}: {err.get('message')} ({err.get('errno')})")
        self.err = err


def vm_port(name, sock, vlan, client=True, **kw):
    p = {'name': name, 'type': 'vhost-user', 'socket': sock, 'client': client, 'vlan': vlan,
         'mtu': 9000}
    p.update(kw)
    return p


class Switch:
    def __init__(self, ports, fdb=None, idle_sleep_us=50, static_macs=None, tmp=None,
                 start=True, control=None, extra=None):
        _seq[0] += 1
        self.tmp = tmp or tempfile.mkdtemp(prefix='vswt_')
        self.prefix = f'vswt{os.getpid()}_{_seq[0]}'
        self.sock = os.path.join(self.tmp, 'vswd.sock')
        self.config_path = os.path.join(self.tmp, 'vsw.json')
        self.log_path = os.path.join(self.tmp, 'vswd.log')
        self.state_dir = self.tmp  # config.save may write next to the config
        # The tests' sockets (vswd's and the peers') all live in the temp dir, and the uplinks
        # are test vdevs (net_vhost, net_virtio_user, net_null): see README "Hardening".
        cfg = {
            'dpdk': {'no_huge': True, 'memory_mb': 1024, 'main_cpu': 0,
                     'file_prefix': self.prefix, 'extra_eal_args': ['--no-pci', '--no-telemetry'],
                     'allow_test_vdevs': True},
            'workers': {'cpus': [1], 'idle_sleep_us': idle_sleep_us},
            'control': {'socket': self.sock, 'socket_dirs': [self.tmp],
                        'state_dir': self.state_dir, **(control or {})},
            'fdb': fdb or {'size': 65536, 'aging_s': 300},
            'ports': ports,
            'static_macs': static_macs or [],
            **(extra or {}),    # more top-level sections, e.g. {'metrics': {...}}
        }
        with open(self.config_path, 'w') as f:
            json.dump(cfg, f, indent=2)
        self.proc = None
        self.conn = None
        if start:
            self.start()

    def path(self, name):
        return os.path.join(self.tmp, name)

    def start(self, timeout=30, env=None, preexec_fn=None):
        self._log = open(self.log_path, 'ab')
        self.proc = subprocess.Popen([VSWD, '-c', self.config_path], stdout=self._log,
                                     stderr=subprocess.STDOUT, close_fds=True, env=env,
                                     preexec_fn=preexec_fn)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f'vswd exited with {self.proc.returncode}:\n{self.log_tail()}')
            try:
                self.connect()
                return
            except OSError:
                time.sleep(0.1)
        self.kill()
        raise RuntimeError(f'vswd did not open {self.sock}:\n{self.log_tail()}')

    def connect(self):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(10)
        try:
            s.connect(self.sock)
        except OSError:
            s.close()
            raise
        self.conn = s
        self.rfile = s.makefile('rb')
        self.call('hello', version=1)

    def request(self, cmd, args):
        """Send one request; returns the raw reply object."""
        self.conn.sendall(json.dumps({'cmd': cmd, 'args': args}).encode() + b'\n')
        line = self.rfile.readline()
        if not line:
            raise RuntimeError(f'vswd closed the control connection:\n{self.log_tail()}')
        return json.loads(line)

    def call(self, cmd, **args):
        reply = self.request(cmd, args)
        if not reply['ok']:
            raise CtlError(reply['error'])
        return reply['result']

    def ctl(self, *words, check=True):
        """Run the real vswctl CLI with --json; returns (rc, parsed stdout or text, stderr)."""
        r = subprocess.run([VSWCTL, '-s', self.sock, '--json'] + list(words), capture_output=True,
                           timeout=20)
        out = r.stdout.decode()
        try:
            out = json.loads(out) if out.strip() else None
        except ValueError:
            pass
        if check and r.returncode != 0:
            raise RuntimeError(f'vswctl {words} failed ({r.returncode}): {r.stderr.decode()}')
        return r.returncode, out, r.stderr.decode()

    def port(self, name):
        return self.call('port.show', name=name)

    def drops(self, name):
        return self.port(name)['stats']['drops']

    def wait_link(self, names, timeout=20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ports = {p['name']: p for p in self.call('port.list')['ports']}
            if all(ports[n]['link'] == 'up' for n in names):
                return
            time.sleep(0.1)
        raise RuntimeError(f'links of {names} not up: '
                           f"{[(n, ports[n]['link']) for n in names]}")

    def log_tail(self, n=40):
        try:
            with open(self.log_path, 'rb') as f:
                return '\n'.join(f.read().decode(errors='replace').splitlines()[-n:])
        except OSError:
            return ''

    def stop(self, timeout=20):
        """SIGTERM; returns vswd's exit code (0 = graceful)."""
        if self.conn:
            self.conn.close()
            self.conn = None
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise RuntimeError(f'vswd ignored SIGTERM for {timeout}s:\n{self.log_tail()}')
        self._log.close()
        return self.proc.returncode

    def kill(self):
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def cleanup(self):
        try:
            self.stop()
        finally:
            self.kill()
            shutil.rmtree(self.tmp, ignore_errors=True)


class PeerSwitchTest(unittest.TestCase):
    """A test class with one vswd and one vsw_peer: setUpClass configures a Switch and calls
    start_peer; tearDownClass stops both and asserts vswd exited 0."""

    @classmethod
    def start_peer(cls, sw, names, n_uplinks=1, ready=None):
        """Starts sw and a vsw_peer on the sockets of `names` (the first n_uplinks are vswd's
        vhost servers, the rest the peer's), waits for their links, then runs ready(). Stops
        everything it started if any of that fails."""
        from peer import Peer
        cls.sw, cls.peer = sw, None
        try:
            sw.start()
            cls.peer = Peer(PEER, [sw.path(n + '.sock') for n in names],
                            server_flags=[False] * n_uplinks + [True] * (len(names) - n_uplinks),
                            prefix=f'{sw.prefix}p')
            sw.wait_link(names)
            if ready is not None:
                ready()
        except Exception:
            if cls.peer is not None:
                cls.peer.close()
            sw.cleanup()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.peer.close()
        rc = cls.sw.stop()
        cls.sw.cleanup()
        assert rc == 0, f'vswd exit code {rc}'


def _rewrite_ports(self, ports, static_macs=None):
    with open(self.config_path) as f:
        cfg = json.load(f)
    cfg['ports'] = ports
    if static_macs is not None:
        cfg['static_macs'] = static_macs
    with open(self.config_path, 'w') as f:
        json.dump(cfg, f, indent=2)


Switch.rewrite_ports = _rewrite_ports


class Churn:
    """Runs step(conn, round) over and over on a second control connection, in a thread, while
    the test sends traffic. `with Churn(sw, step) as ch:`; then ch.rounds and ch.errors."""

    def __init__(self, sw, step):
        self.sw, self.step = sw, step
        self.rounds, self.errors = 0, []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run)

    def _run(self):
        c = Switch.__new__(Switch)
        c.sock, c.log_path, c.conn = self.sw.sock, self.sw.log_path, None
        try:
            c.connect()
            while not self._stop.is_set():
                self.step(c, self.rounds)
                self.rounds += 1
        except Exception as e:  # noqa: BLE001 - the test asserts errors == []
            self.errors.append(e)
        finally:
            if c.conn is not None:
                c.conn.close()

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(30)
