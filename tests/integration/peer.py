"""Drive tests/tools/vsw_peer: virtio-user "VMs" attached to a switch's vhost-user sockets.

Stdlib only. A Peer starts one vsw_peer process whose ports 0..n-1 are the given sockets, in
order, and talks its line protocol (every reply ends with a line "end"). Every call is bounded
by a timeout and raises PeerError carrying the tail of the peer's stderr log.

    with Peer(binary, ['/tmp/t/vm1.sock', '/tmp/t/vm2.sock'], server_flags=[True, True]) as p:
        f = eth_frame('02:00:00:00:00:02', '02:00:00:00:00:01', payload=b'hi')
        p.send(0, f)
        assert p.wait(1, 1, 2000) == 1
        assert p.recv(1) == [f]
"""

import json
import os
import select
import signal
import stat
import struct
import subprocess
import tempfile
import time

ETH_MIN = 60  # minimum Ethernet frame without FCS


class PeerError(Exception):
    """vsw_peer failed, timed out or answered with an error."""


def mac(s):
    """'02:00:00:00:00:01' (or '-' separated, or already bytes) -> 6 bytes."""
    if isinstance(s, (bytes, bytearray)):
        if len(s) != 6:
            raise ValueError(f'MAC must be 6 bytes, got {len(s)}')
        return bytes(s)
    parts = s.replace('-', ':').split(':')
    if len(parts) != 6:
        raise ValueError(f'bad MAC {s!r}')
    return bytes(int(p, 16) for p in parts)


def mac_str(b):
    return ':'.join(f'{x:02x}' for x in b)


ETH_OPAQUE = 0x88B5     # IEEE 802 local experimental: a payload no stage interprets


def eth_frame(dst, src, vlan=None, ethertype=ETH_OPAQUE, payload=b'', size=None, pcp=0):
    """Build an Ethernet frame (no FCS), 802.1Q-tagged with VID `vlan` if given.

    The default ethertype says "opaque payload": the switch drops malformed IP, so a test that
    sends IP must say so (ethertype=0x0800, or pkt.frame()).

    The frame is zero-padded to `size` bytes if given (ValueError if it does not fit), else to
    the 60-byte Ethernet minimum, so what a switch forwards unchanged comes back byte-identical.
    """
    f = mac(dst) + mac(src)
    if vlan is not None:
        if not 0 <= vlan <= 4095 or not 0 <= pcp <= 7:
            raise ValueError(f'bad VLAN {vlan} / PCP {pcp}')
        f += struct.pack('!HH', 0x8100, pcp << 13 | vlan)
    f += struct.pack('!H', ethertype) + bytes(payload)
    want = ETH_MIN if size is None else size
    if size is not None and len(f) > size:
        raise ValueError(f'frame is {len(f)} bytes, more than size={size}')
    return f + bytes(max(0, want - len(f)))


def parse_eth(frame):
    """frame -> (dst, src, vid or None, ethertype, payload); dst/src as 'xx:..' strings."""
    if len(frame) < 14:
        raise ValueError(f'frame too short: {len(frame)} bytes')
    dst, src = mac_str(frame[0:6]), mac_str(frame[6:12])
    (ethertype,) = struct.unpack('!H', frame[12:14])
    vlan, off = None, 14
    if ethertype == 0x8100:
        if len(frame) < 18:
            raise ValueError('tagged frame too short')
        tci, ethertype = struct.unpack('!HH', frame[14:18])
        vlan, off = tci & 0x0FFF, 18
    return dst, src, vlan, ethertype, bytes(frame[off:])


def run_mode(binary, sockets, mode, spec, prefix, timeout=60.0, cpu=0):
    """Run vsw_peer once in a measuring mode (--bench, --latency, --congest) with its ports in
    server mode on the sockets, and return the JSON line it prints. Bounded by timeout; the
    process is killed by PID if it overruns."""
    args = [binary, '--lcores', f'0@{cpu}', '--no-huge', '-m', '512', '--no-pci',
            '--no-telemetry', '--file-prefix', prefix]
    for i, path in enumerate(sockets):
        try:
            if stat.S_ISSOCK(os.stat(path).st_mode):
                os.unlink(path)
        except FileNotFoundError:
            pass
        args += ['--vdev', f'net_virtio_user{i},path={path},queue_size=1024,server=1']
    args += ['--', f'--{mode}', spec]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.terminate()
        try:
            proc.communicate(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
        raise PeerError(f'vsw_peer --{mode} {spec} ran over {timeout}s')
    lines = [ln for ln in out.decode().splitlines() if ln.startswith('{')]
    if proc.returncode != 0 or not lines:
        raise PeerError(f'vsw_peer --{mode} {spec} exited with {proc.returncode}:\n'
                        f'{err.decode(errors="replace")[-3000:]}')
    return json.loads(lines[-1])


class Peer:
    """One vsw_peer process; port i is sockets[i]."""

    def __init__(self, binary, sockets, cpu=0, prefix='p1', server_flags=None, mtu=9000,
                 queues=1, log_path=None, start_timeout=30.0, timeout=10.0, extra_vdevs=()):
        if server_flags is None:
            server_flags = [False] * len(sockets)
        if len(server_flags) != len(sockets):
            raise ValueError('server_flags must have one entry per socket')
        self.sockets = list(sockets)
        self.timeout = timeout
        self._buf = b''
        self._closed = False
        # A log we made up ourselves is removed again by a clean close(); one that was asked
        # for, or that explains a failure, stays.
        self._own_log = log_path is None
        if log_path is None:
            fd, log_path = tempfile.mkstemp(prefix=f'vsw_peer_{prefix}_', suffix='.log')
            os.close(fd)
        self.log_path = log_path
        args = [binary, '--lcores', f'0@{cpu}', '--no-huge', '-m', '512', '--no-pci',
                '--no-telemetry', '--file-prefix', prefix]
        for i, (path, server) in enumerate(zip(self.sockets, server_flags)):
            if server:
                # virtio-user cannot bind over a stale socket file from an earlier run.
                try:
                    if stat.S_ISSOCK(os.stat(path).st_mode):
                        os.unlink(path)
                except FileNotFoundError:
                    pass
            vdev = f'net_virtio_user{i},path={path},queues={queues},queue_size=1024'
            args += ['--vdev', vdev + (',server=1' if server else '')]
        # e.g. af_packet members and a net_bonding vdev over them: a "top-of-rack switch"
        # running DPDK's bonding PMD; its ports come after the sockets' ones
        for vdev in extra_vdevs:
            args += ['--vdev', vdev]
        args += ['--', '--mtu', str(mtu), '--queues', str(queues)]
        self.args = args
        self._log = open(log_path, 'ab')
        self.proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self._log, close_fds=True)
        try:
            # A server port's probe blocks until the switch connects, hence the long timeout.
            self._reply(start_timeout, 'startup', expect_first='ready')
        except BaseException:
            self._kill()
            self._close_files()
            raise

    # ------------------------------------------------------------------ plumbing

    def log_tail(self, lines=30):
        try:
            with open(self.log_path, 'rb') as f:
                f.seek(0, os.SEEK_END)
                f.seek(max(0, f.tell() - 16384))
                text = f.read().decode(errors='replace')
        except OSError as e:
            return f'(no log: {e})'
        return '\n'.join(text.splitlines()[-lines:])

    def _fail(self, what):
        rc = self.proc.poll()
        state = f'exited with {rc}' if rc is not None else f'pid {self.proc.pid} running'
        raise PeerError(f'vsw_peer {what} ({state}); log {self.log_path} tail:\n'
                        f'{self.log_tail()}')

    def _readline(self, deadline, what):
        fd = self.proc.stdout.fileno()
        while b'\n' not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                self._fail(f'timed out on {what}')
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                self._fail(f'closed its stdout during {what}')
            self._buf += chunk
        line, self._buf = self._buf.split(b'\n', 1)
        return line.decode()

    def _reply(self, timeout, what, expect_first=None):
        """Read lines up to 'end'; return them without it. Raise on 'error ...'."""
        deadline = time.monotonic() + timeout
        lines = []
        while True:
            line = self._readline(deadline, what)
            if line == 'end':
                break
            lines.append(line)
        if lines and lines[0].startswith('error'):
            raise PeerError(f'vsw_peer {what}: {lines[0]}')
        if expect_first is not None and (not lines or lines[0] != expect_first):
            self._fail(f'answered {lines!r} to {what}, expected {expect_first!r}')
        return lines

    def _cmd(self, line, timeout=None):
        if self._closed:
            raise PeerError('peer is closed')
        try:
            self.proc.stdin.write(line.encode() + b'\n')
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            self._fail(f'stdin closed while sending {line.split()[0]!r}')
        return self._reply(self.timeout if timeout is None else timeout, line.split()[0])

    # ------------------------------------------------------------------ commands

    def send(self, port, frame, count=1):
        """Transmit frame (bytes, no FCS) count times on port; returns the number accepted."""
        # A big count takes a while even at full speed: allow 10 us a frame on top.
        lines = self._cmd(f'send {port} {bytes(frame).hex() or "empty"} {count}',
                          timeout=self.timeout + count * 1e-5)
        if len(lines) != 1 or not lines[0].startswith('sent '):
            self._fail(f'answered {lines!r} to send')
        return int(lines[0].split()[1])

    def recv(self, port):
        """Frames received on port since the last recv/clear, oldest first."""
        lines = self._cmd(f'recv {port}')
        return [bytes.fromhex(line.split(' ', 1)[1]) for line in lines
                if line.startswith('frame ')]

    def wait(self, port, n, ms):
        """Wait up to ms for at least n frames buffered on port; returns how many there are."""
        lines = self._cmd(f'wait {port} {n} {ms}', timeout=self.timeout + ms / 1000.0)
        if len(lines) != 1 or not lines[0].startswith('count '):
            self._fail(f'answered {lines!r} to wait')
        return int(lines[0].split()[1])

    def stats(self):
        """{port: {'rx': int, 'tx': int, 'rx_overflow': int, 'link': bool}}"""
        out = {}
        for line in self._cmd('stats'):
            w = line.split()
            if len(w) != 10 or w[0] != 'port':
                self._fail(f'bad stats line {line!r}')
            out[int(w[1])] = {'rx': int(w[3]), 'tx': int(w[5]), 'rx_overflow': int(w[7]),
                              'link': w[9] == 'up'}
        return out

    def clear(self):
        self._cmd('clear')

    def cut(self, port):
        """Bond member port leaves its bond and is unplugged: the far end sees its link drop."""
        self._cmd(f'cut {port}')

    def restore(self, port):
        """Plug a cut member in again and put it back into its bond."""
        self._cmd(f'restore {port}')

    def pace(self, port, frame, pps, count):
        """Send count copies of frame at pps in the background, the last four bytes carrying
        a big-endian sequence number 0..count-1. Other commands keep working meanwhile."""
        self._cmd(f'pace {port} {bytes(frame).hex()} {pps} {count}')

    def pace_wait(self, ms):
        """Wait until pacing is done; returns how many frames it sent."""
        lines = self._cmd(f'pacewait {ms}', timeout=self.timeout + ms / 1000.0)
        return int(lines[0].split()[1])

    def close(self, timeout=10.0, keep_log=False):
        """Ask the peer to quit; kill it by PID if it does not exit in time. Idempotent."""
        if self._closed:
            return
        self._closed = True
        clean = False
        try:
            if self.proc.poll() is None:
                try:
                    self.proc.stdin.write(b'quit\n')
                    self.proc.stdin.flush()
                    self.proc.stdin.close()
                except (BrokenPipeError, OSError):
                    pass
                try:
                    clean = self.proc.wait(timeout) == 0
                except subprocess.TimeoutExpired:
                    self._kill()
        finally:
            self._close_files()
        if clean and self._own_log and not keep_log:
            try:
                os.unlink(self.log_path)
            except OSError:
                pass

    def _close_files(self):
        for f in (self.proc.stdin, self.proc.stdout, self._log):
            try:
                f.close()
            except OSError:
                pass

    def _kill(self):
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(3)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        self._closed = True

    def pull_plug(self):
        """SIGKILL: every socket the peer had closes at once, as when a switch loses power."""
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)
        self._closed = True
        self._close_files()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        self.close(keep_log=exc_type is not None)
