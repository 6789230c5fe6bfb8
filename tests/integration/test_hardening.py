"""The control socket is root on the node: what a client can make vswd do is bounded.

- config.save writes only into control.state_dir (or the -c file), atomically, never through a
  link, never outside;
- vhost-user sockets only below control.socket_dirs; vswd never replaces or removes a file it
  did not create (another daemon's live socket, a regular file, a stale socket), never
  follows a link;
- devargs and bond members are allow-listed (no net_pcap writing files, no net_af_packet on a
  host interface); test vdevs only with dpdk.allow_test_vdevs;
- clients are bounded: connections, queued replies, request rate, hello and idle time; the fd
  limit does not make vswd spin or flood its log;
- socket group and the read-only socket; sd_notify; no hugepage pool changes.
"""

import grp
import json
import os
import resource
import signal
import socket
import stat
import subprocess
import threading
import time
import unittest

from vswlib import ROOT, VSWCTL, VSWD, CtlError, Switch, vm_port


def raw_conn(path, hello=True, timeout=10):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect(path)
    f = s.makefile('rb')
    if hello:
        s.sendall(b'{"cmd":"hello","args":{"version":1}}\n')
        assert json.loads(f.readline())['ok']
    return s, f


def ask(conn, cmd, **args):
    s, f = conn
    s.sendall(json.dumps({'cmd': cmd, 'args': args}).encode() + b'\n')
    line = f.readline()
    if not line:
        raise EOFError('closed')
    return json.loads(line)


def closed_within(conn, seconds):
    """True if vswd closes conn within seconds (whatever it sent before is read and dropped)."""
    s, f = conn
    was = s.gettimeout()
    s.settimeout(0.5)
    try:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                if s.recv(65536) == b'':
                    return True
            except socket.timeout:
                continue
            except OSError:
                return True
        return False
    finally:
        s.settimeout(was)   # a connection still open is used again with its own timeout


def vm_rss_kb(pid):
    with open(f'/proc/{pid}/status') as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1])
    raise RuntimeError('no VmRSS')


class HardeningCase(unittest.TestCase):
    control = None

    def setUp(self):
        self.sw = Switch([], start=False, control=self.control)
        self.extra = []  # sockets/paths to clean up

    def tearDown(self):
        for s in self.extra:
            try:
                s.close()
            except OSError:
                pass
        started = self.sw.proc is not None
        rc = self.sw.stop()
        self.sw.cleanup()
        if started:
            self.assertEqual(rc, 0)

    def refused(self, cmd, field, errno_name, **args):
        before = self.sw.call('config.show')
        with self.assertRaises(CtlError, msg=f'{cmd} {args}') as cm:
            self.sw.call(cmd, **args)
        self.assertEqual(cm.exception.err.get('field'), field, cm.exception.err)
        self.assertEqual(cm.exception.err['errno'], errno_name, cm.exception.err)
        self.assertEqual(self.sw.call('config.show'), before, 'a refusal changed the state')
        return cm.exception.err

    def control_counters(self):
        return self.sw.call('control.show')['counters']

    def wait_counter(self, name, at_least=1, timeout=15):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            c = self.control_counters()
            if c[name] >= at_least:
                return c
            time.sleep(0.2)
        self.fail(f'{name} stayed below {at_least}: {self.control_counters()}')


class SavePathTest(HardeningCase):
    def test_save_stays_in_the_state_dir(self):
        sw = self.sw
        sw.start()
        etc = f'/etc/vsw-hardening-{os.getpid()}.json'
        outside = f'/tmp/vswt-outside-{os.getpid()}.json'
        try:
            for path, errno_name in [(etc, 'EACCES'), (outside, 'EACCES'),
                                     ('relative.json', 'EINVAL'),
                                     (sw.state_dir + '/../vsw.json', 'EINVAL'),
                                     (sw.state_dir + '/sub/a.json', 'EACCES'),
                                     (sw.state_dir + '/.hidden', 'EINVAL'),
                                     (sw.state_dir, 'EACCES')]:
                err = self.refused('config.save', 'args.path', errno_name, path=path)
                self.assertTrue(err['message'], err)
            self.assertFalse(os.path.exists(etc), 'wrote into /etc')
            self.assertFalse(os.path.exists(outside))
        finally:
            for p in (etc, outside):
                if os.path.exists(p):
                    os.unlink(p)
        # a link in the state dir is not followed; nor is a directory written over
        target = f'/tmp/vswt-target-{os.getpid()}.json'
        self.addCleanup(os.unlink, target)
        with open(target, 'w') as f:
            f.write('precious')
        os.symlink(target, os.path.join(sw.state_dir, 'link.json'))
        self.refused('config.save', 'args.path', 'EACCES',
                     path=os.path.join(sw.state_dir, 'link.json'))
        with open(target) as f:
            self.assertEqual(f.read(), 'precious')
        os.mkdir(os.path.join(sw.state_dir, 'adir'))
        self.refused('config.save', 'args.path', 'EACCES',
                     path=os.path.join(sw.state_dir, 'adir'))
        # what is allowed: a file in the state dir, and the -c file
        good = os.path.join(sw.state_dir, 'saved.json')
        self.assertEqual(sw.call('config.save', path=good)['path'], good)
        with open(good) as f:
            self.assertEqual(json.load(f), sw.call('config.show'))
        self.assertEqual(stat.S_IMODE(os.stat(good).st_mode), 0o640)
        self.assertEqual(sw.call('config.save')['path'], os.path.realpath(sw.config_path))
        leftovers = [n for n in os.listdir(sw.state_dir) + os.listdir(sw.tmp) if '.tmp.' in n]
        self.assertEqual(leftovers, [], 'temporary files left behind')


class SocketPathTest(HardeningCase):
    def listener(self, path):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.bind(path)
        s.listen(4)
        self.extra.append(s)
        return s

    def still_listening(self, path):
        c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        c.settimeout(5)
        try:
            c.connect(path)
            return True
        except OSError:
            return False
        finally:
            c.close()

    def test_sockets_only_below_socket_dirs(self):
        sw = self.sw
        sw.start()
        elsewhere = f'/tmp/vswt-elsewhere-{os.getpid()}'
        os.makedirs(elsewhere, exist_ok=True)
        try:
            for client in (False, True):
                self.refused('port.add', 'args.socket', 'EACCES', name='x',
                             socket=f'{elsewhere}/x.sock', vlan=2003, client=client)
                # a link below the socket dir is not followed (directory or the socket)
                link = sw.path(f'linkdir{int(client)}')
                os.symlink(elsewhere, link)
                self.refused('port.add', 'args.socket', 'EACCES', name='x',
                             socket=f'{link}/x.sock', vlan=2003, client=client)
            self.listener(f'{elsewhere}/live.sock')
            os.symlink(f'{elsewhere}/live.sock', sw.path('l.sock'))
            self.refused('port.add', 'args.socket', 'EACCES', name='x', socket=sw.path('l.sock'),
                         vlan=2003)
            self.refused('port.add', 'args.socket', 'EINVAL', name='x',
                         socket=sw.path('a/../b.sock'), vlan=2003)
            self.assertEqual(os.listdir(elsewhere), ['live.sock'], 'created outside')
        finally:
            for n in os.listdir(elsewhere):
                os.unlink(os.path.join(elsewhere, n))
            os.rmdir(elsewhere)

    def test_never_replaces_or_removes_what_it_did_not_create(self):
        sw = self.sw
        sw.start()
        live = sw.path('other-daemon.sock')
        self.listener(live)
        self.refused('port.add', 'args.socket', 'EADDRINUSE', name='x', socket=live, vlan=2003,
                     client=False)
        self.assertTrue(self.still_listening(live), "another daemon's socket was removed")
        plain = sw.path('file.sock')
        with open(plain, 'w') as f:
            f.write('data')
        self.refused('port.add', 'args.socket', 'EEXIST', name='x', socket=plain, vlan=2003,
                     client=False)
        with open(plain) as f:
            self.assertEqual(f.read(), 'data')
        stale = sw.path('stale.sock')
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.bind(stale)
        s.close()  # a socket file nobody listens on, not vswd's
        self.refused('port.add', 'args.socket', 'EEXIST', name='x', socket=stale, vlan=2003,
                     client=False)
        self.assertTrue(stat.S_ISSOCK(os.lstat(stale).st_mode))
        # its own socket: created, and removed by port.del
        mine = sw.path('sub/vm9.sock')
        sw.call('port.add', name='vm9', socket=mine, vlan=2003, client=False)
        self.assertTrue(stat.S_ISSOCK(os.lstat(mine).st_mode))
        sw.call('port.del', name='vm9')
        self.assertFalse(os.path.exists(mine))
        # replaced by someone else while the port existed: port.del leaves it alone
        sw.call('port.add', name='vm9', socket=mine, vlan=2003, client=False)
        os.unlink(mine)
        self.listener(mine)
        sw.call('port.del', name='vm9')
        self.assertTrue(self.still_listening(mine), 'port.del removed a socket it did not create')

    def test_server_socket_of_a_crashed_vswd_is_replaced(self):
        sw = self.sw
        sock = sw.path('vm1.sock')
        sw.rewrite_ports([vm_port('vm1', sock, 2003, client=False)])
        sw.start()
        sw.kill()  # no cleanup: the socket stays, recorded as vswd's
        self.assertTrue(stat.S_ISSOCK(os.lstat(sock).st_mode))
        sw.start()
        self.assertEqual(sw.port('vm1')['socket'], sock)


class DevargsTest(HardeningCase):
    def test_devargs_allow_list(self):
        sw = self.sw
        sw.start()
        victim = sw.path('victim')
        with open(victim, 'w') as f:
            f.write('precious')
        for devargs in [f'net_pcap0,tx_pcap={victim}', 'net_af_packet0,iface=lo',
                        'net_tap0,iface=vswtest0', 'net_bonding0,mode=1',
                        f'net_vhost0,iface=/tmp/vswt-out-{os.getpid()}.sock',
                        'net_virtio_user0,path=/dev/vhost-net', 'net_nosuchdriver0',
                        'net_null0,foo=1']:
            err = self.refused('port.add', 'args.devargs', 'EACCES', name='up', type='dpdk',
                               devargs=devargs, allowed='2003')
            self.assertTrue(devargs.split(',')[0] in err['message'] or
                            'socket_dirs' in err['message'], err)
        self.refused('port.add', 'args.members', 'EACCES', name='b', type='bond',
                     bond_mode='active-backup', allowed='2003',
                     members=f'net_null0;net_pcap1,tx_pcap={victim}')
        with open(victim) as f:
            self.assertEqual(f.read(), 'precious', 'net_pcap truncated the file')
        # allowed: test vdevs with their sockets in the socket dir
        sw.call('port.add', name='up', type='dpdk', devargs='net_null0', allowed='2003')
        sw.call('port.del', name='up')

    def test_test_vdevs_need_the_switch(self):
        sw = self.sw
        with open(sw.config_path) as f:
            cfg = json.load(f)
        cfg['dpdk']['allow_test_vdevs'] = False
        cfg['ports'] = [{'name': 'up', 'type': 'dpdk', 'devargs': 'net_null0', 'allowed': '2003'}]
        with open(sw.config_path, 'w') as f:
            json.dump(cfg, f)
        r = subprocess.run([VSWD, '-c', sw.config_path, '--check'], capture_output=True,
                           timeout=10)
        self.assertEqual(r.returncode, 1)
        self.assertIn('ports[0].devargs', r.stderr.decode())
        self.assertIn('allow_test_vdevs', r.stderr.decode())
        cfg['ports'] = [{'name': 'up', 'type': 'dpdk', 'devargs': '0000:00:1f.6',
                         'allowed': '2003'}]
        with open(sw.config_path, 'w') as f:
            json.dump(cfg, f)
        r = subprocess.run([VSWD, '-c', sw.config_path, '--check'], capture_output=True,
                           timeout=10)
        self.assertEqual(r.returncode, 0, r.stderr)


class ClientCapTest(HardeningCase):
    control = {'max_clients': 4}

    def test_connections_past_the_cap_are_refused(self):
        sw = self.sw
        sw.start()  # its own connection is one
        conns = [raw_conn(sw.sock) for _ in range(3)]
        self.extra += [x for c in conns for x in c]
        extra = raw_conn(sw.sock, hello=False)
        self.extra.append(extra[0])
        line = extra[1].readline()
        self.assertEqual(json.loads(line)['error']['errno'], 'EUSERS')
        self.assertEqual(extra[1].readline(), b'', 'the extra connection is closed')
        for c in conns:
            self.assertTrue(ask(c, 'version')['ok'], 'the old ones still work')
        ctl = sw.call('control.show')
        self.assertEqual(ctl['clients'], 4)
        self.assertGreaterEqual(ctl['counters']['refused_max_clients'], 1)
        conns[0][1].close()  # the file object holds the socket open too
        conns[0][0].close()
        deadline = time.monotonic() + 5
        while sw.call('control.show')['clients'] > 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        again = raw_conn(sw.sock, hello=False)
        self.extra.append(again[0])
        r = ask(again, 'hello', version=1)
        self.assertTrue(r['ok'], (r, sw.call('control.show')))
        self.assertTrue(ask(again, 'version')['ok'])


class SlowReaderTest(HardeningCase):
    control = {'max_output_bytes': 4 << 20, 'write_timeout_s': 3, 'requests_per_s': 100000,
               'request_burst': 100000}

    def test_client_that_never_reads_is_bounded_and_dropped(self):
        sw = self.sw
        sw.start()
        reply = len(json.dumps(sw.call('commands')))
        base = vm_rss_kb(sw.proc.pid)
        s, f = raw_conn(sw.sock)
        self.extra.append(s)
        s.setblocking(False)
        req = b'{"cmd":"commands"}\n' * 256
        sent, peak = 0, base
        target = 400 * 1024 * 1024 // reply  # replies worth 400 MiB if vswd kept them all
        deadline = time.monotonic() + 20
        while sent < target and time.monotonic() < deadline:
            try:
                n = s.send(req)
                sent += n // 20
            except BlockingIOError:
                time.sleep(0.05)  # vswd stopped reading: the bound works
            except OSError:
                break  # dropped
            peak = max(peak, vm_rss_kb(sw.proc.pid))
        for _ in range(20):
            peak = max(peak, vm_rss_kb(sw.proc.pid))
            time.sleep(0.1)
        self.assertLess(peak - base, 64 * 1024,
                        f'vswd grew {(peak - base) // 1024} MiB for a client that never reads '
                        f'({sent} requests of {reply}-byte replies sent)')
        c = self.wait_counter('dropped_stalled', timeout=20)
        self.assertGreaterEqual(c['output_paused'], 1)
        self.assertTrue(closed_within((s, f), 10), 'the stalled client was not dropped')
        self.assertTrue(sw.call('version'))


class BufferBudgetTest(HardeningCase):
    """Each client may have one request of up to 16 MiB in flight; max_clients of them may not:
    past control.max_buffered_bytes in all, the client holding the most is closed."""
    BUDGET = 64 << 20
    control = {'max_buffered_bytes': BUDGET, 'hello_timeout_s': 120}

    def test_clients_together_cannot_grow_vswd_past_the_budget(self):
        sw = self.sw
        sw.start()
        part = b'{"cmd":"version","args":{"x":"' + b'x' * (15 << 20)   # a request never ended
        conns = []
        for _ in range(6):     # 90 MiB if vswd kept them all
            c = raw_conn(sw.sock, hello=False)
            self.extra.append(c[0])
            try:
                c[0].sendall(part)
            except OSError:
                pass    # closed while sending: it held the most
            conns.append(c)
        c = self.wait_counter('dropped_over_budget')
        show = sw.call('control.show')
        self.assertLessEqual(show['buffered_bytes'], self.BUDGET)
        self.assertEqual(show['limits']['max_buffered_bytes'], self.BUDGET)
        closed = [i for i, conn in enumerate(conns) if closed_within(conn, 1)]
        self.assertGreaterEqual(len(closed), 1)
        self.assertEqual(len(closed), c['dropped_over_budget'])
        # the others are still served once they end their request
        open_ = [conns[i] for i in range(len(conns)) if i not in closed]
        s, f = open_[0]
        s.settimeout(60)   # vswd parses the 15 MiB request first: slow on a shared CPU
        s.sendall(b'"}}\n')
        self.assertEqual(json.loads(f.readline())['error']['errno'], 'EPROTO')   # no hello
        self.assertTrue(sw.call('version'))


class TimeoutTest(HardeningCase):
    control = {'hello_timeout_s': 1, 'idle_timeout_s': 2}

    def test_no_hello_and_idle_clients_are_closed(self):
        sw = self.sw
        sw.start()
        silent = raw_conn(sw.sock, hello=False)
        chatty = raw_conn(sw.sock, hello=False)  # talks, but never says hello
        idle = raw_conn(sw.sock)
        self.extra += [silent[0], chatty[0], idle[0]]
        start = time.monotonic()
        while time.monotonic() - start < 1.6:
            try:
                chatty[0].sendall(b'{"cmd":"version"}\n')
            except OSError:
                break  # closed: what the test wants
            time.sleep(0.2)
        self.assertTrue(closed_within(silent, 4))
        self.assertTrue(closed_within(chatty, 4), 'requests without hello kept it open')
        self.assertTrue(closed_within(idle, 6), 'idle client kept')
        sw.connect()  # the harness's own connection idled out too
        c = sw.call('control.show')['counters']
        self.assertGreaterEqual(c['dropped_no_hello'], 2)
        self.assertGreaterEqual(c['dropped_idle'], 1)


class RateTest(HardeningCase):
    control = {'requests_per_s': 20, 'request_burst': 5}

    def test_request_rate_is_limited_per_client(self):
        sw = self.sw
        sw.start()
        time.sleep(0.5)  # the harness's hello used a token
        s, f = raw_conn(sw.sock)
        self.extra.append(s)
        n = 40
        t0 = time.monotonic()
        s.sendall(b'{"cmd":"version"}\n' * n)
        replies = [json.loads(f.readline()) for _ in range(n)]
        elapsed = time.monotonic() - t0
        self.assertTrue(all(r['ok'] for r in replies), 'slowed down, not refused')
        # hello and 4 of them from the burst, the other 36 at 20/s
        self.assertGreaterEqual(elapsed, 1.5, f'{n} requests in {elapsed:.2f} s')
        self.assertGreaterEqual(sw.call('control.show')['counters']['throttled'], 1)


class FdLimitTest(HardeningCase):
    control = {'max_clients': 4000}
    NOFILE = 96

    def test_fd_exhaustion_neither_spins_nor_floods_the_log(self):
        sw = self.sw
        lim = self.NOFILE
        sw.start(preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (lim, lim)))
        log0 = os.path.getsize(sw.log_path)
        conns = []
        for _ in range(lim + 40):
            c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            c.setblocking(False)
            try:
                c.connect(sw.sock)
            except (BlockingIOError, OSError):
                pass  # the backlog is full: fine
            conns.append(c)
        self.extra += conns
        time.sleep(3)
        c = sw.call('control.show')['counters']  # an open connection still works
        self.assertGreaterEqual(c['accept_errors'], 1, c)
        self.assertGreaterEqual(c['listener_pauses'], 1, c)
        # 3 s at the limit: at most ~10 lines a second, not a line per failed accept()
        with open(sw.log_path, 'rb') as f:
            f.seek(log0)
            lines = f.read().decode(errors='replace').splitlines()
        self.assertLess(len(lines), 80, '\n'.join(lines[:20]))
        self.assertLess(c['accept_errors'], 200, 'accept() retried in a loop')
        for x in conns:
            x.close()
        self.extra = []
        deadline = time.monotonic() + 10
        while True:
            try:
                sw.connect()
                self.assertTrue(sw.call('version'))
                break
            except (OSError, RuntimeError, ValueError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)


class SocketOwnershipTest(HardeningCase):
    def setUp(self):
        self.group = grp.getgrgid(os.getgid() if os.getgid() != 0 else 1).gr_name
        self.control = {'group': self.group}
        super().setUp()
        self.ro = self.sw.path('ro.sock')
        with open(self.sw.config_path) as f:
            cfg = json.load(f)
        cfg['control']['ro_socket'] = self.ro
        with open(self.sw.config_path, 'w') as f:
            json.dump(cfg, f)

    def test_group_and_read_only_socket(self):
        sw = self.sw
        sw.start()
        gid = grp.getgrnam(self.group).gr_gid
        for path in (sw.sock, self.ro):
            st = os.stat(path)
            self.assertEqual(st.st_gid, gid, path)
            self.assertEqual(stat.S_IMODE(st.st_mode), 0o660, path)
        ro = raw_conn(self.ro)
        self.extra.append(ro[0])
        for cmd in ('port.list', 'stats', 'config.show', 'control.show', 'commands'):
            self.assertTrue(ask(ro, cmd)['ok'], cmd)
        for cmd, args in [('port.add', {'name': 'x', 'socket': sw.path('x.sock'),
                                        'vlan': 2003}),
                          ('config.save', {}), ('mac.flush', {}),
                          ('network.add', {'name': 'n', 'vlan': 2003})]:
            r = ask(ro, cmd, **args)
            self.assertFalse(r['ok'], cmd)
            self.assertEqual(r['error']['errno'], 'EPERM')
            self.assertEqual(r['error']['field'], 'cmd')
            self.assertIn(cmd, r['error']['message'])
        self.assertEqual(sw.call('port.list')['ports'], [])
        self.assertGreaterEqual(sw.call('control.show')['counters']['refused_readonly'], 4)
        # read-only commands take small arguments: a long request there is refused
        ro[0].sendall(b'{"cmd":"port.list","args":{"x":"' + b'x' * (64 << 10))
        r = json.loads(ro[1].readline())
        self.assertEqual(r['error']['errno'], 'EMSGSIZE')
        self.assertIn('read-only', r['error']['message'])
        self.assertTrue(closed_within(ro, 5))
        # vswctl on the read-only socket
        r = subprocess.run([VSWCTL, '-s', self.ro, '--json', 'port', 'list'],
                           capture_output=True, timeout=20)
        self.assertEqual(r.returncode, 0, r.stderr)
        r = subprocess.run([VSWCTL, '-s', self.ro, 'port', 'add', 'x',
                            f"socket={sw.path('x.sock')}", 'vlan=2003'],
                           capture_output=True, timeout=20)
        self.assertEqual(r.returncode, 1)
        self.assertIn('EPERM', r.stderr.decode() + r.stdout.decode())
        listing = {c['name']: c['readonly'] for c in sw.call('commands')['commands']}
        self.assertTrue(listing['port.list'])
        self.assertFalse(listing['port.add'])


class NotifyTest(HardeningCase):
    def test_ready_after_the_socket_and_stopping_on_sigterm(self):
        sw = self.sw
        for name in (sw.path('notify.sock'), '@vswt-notify-%d' % os.getpid()):
            n = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            n.bind(name if name[0] != '@' else '\0' + name[1:])
            n.settimeout(30)
            self.extra.append(n)
            got = {}

            def recv_ready():
                try:
                    got['msg'] = n.recv(4096)
                    got['sock_existed'] = os.path.exists(sw.sock)
                except OSError as e:
                    got['err'] = e

            t = threading.Thread(target=recv_ready)
            t.start()
            sw.start(env=dict(os.environ, NOTIFY_SOCKET=name))
            t.join(30)
            self.assertEqual(got.get('msg'), b'READY=1', got)
            self.assertTrue(got['sock_existed'], 'READY before the control socket')
            self.assertEqual(sw.stop(), 0)
            self.assertEqual(n.recv(4096), b'STOPPING=1')


class HugepagesTest(unittest.TestCase):
    def test_pool_is_checked_never_changed(self):
        sw = Switch([], start=False)
        try:
            with open(sw.config_path) as f:
                cfg = json.load(f)
            cfg['dpdk']['no_huge'] = False
            cfg['dpdk']['memory_mb'] = 1 << 20  # a TiB: more than any test machine has free
            with open(sw.config_path, 'w') as f:
                json.dump(cfg, f)
            with open('/proc/sys/vm/nr_hugepages') as f:
                before = f.read()
            r = subprocess.run([VSWD, '-c', sw.config_path], capture_output=True, timeout=30)
            self.assertEqual(r.returncode, 1)
            self.assertIn('dpdk.memory_mb', r.stderr.decode())
            self.assertIn('hugepages', r.stderr.decode())
            with open('/proc/sys/vm/nr_hugepages') as f:
                self.assertEqual(f.read(), before)
        finally:
            sw.cleanup()

    def test_unit_file(self):
        with open(os.path.join(ROOT, 'conf', 'vswd.service')) as f:
            unit = f.read()
        lines = [x for x in unit.splitlines() if not x.startswith('#')]
        self.assertNotIn('nr_hugepages', '\n'.join(lines), 'the unit resizes the pool')
        self.assertIn('Type=notify', lines)
        self.assertIn('ProtectSystem=strict', lines)


if __name__ == '__main__':
    unittest.main()
