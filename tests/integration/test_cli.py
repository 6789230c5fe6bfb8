"""vswctl for people: every command has a human view (tables and records from one writer, never
raw JSON), --json stays what vswd sent, help per command and per group, --version, a bash
completion generated from the command table, and clear errors. These tests read the text views
on purpose: the views are what they test."""

import json
import os
import re
import socket
import subprocess
import tempfile
import threading
import unittest

from vswlib import VSWCTL, Switch, vm_port

LONG = 'vm2-with-a-long-name'
POLICY = {'apiVersion': 'k8s.cni.cncf.io/v1beta1', 'kind': 'MultiNetworkPolicy',
          'metadata': {'name': 'web-in', 'namespace': 'ns-a',
                       'annotations': {'k8s.v1.cni.cncf.io/policy-for': 'vlan2003'}},
          'spec': {'podSelector': {}, 'ingress': [{'from': [{'ipBlock': {'cidr': '10.0.0.0/16'}}],
                                                   'ports': [{'protocol': 'TCP', 'port': 80}]}]}}

# Every read-only view, and the words that show it.
VIEWS = [['port', 'list'], ['port', 'show', 'vm1'], ['vlan', 'list'], ['mac', 'show'],
         ['stats'], ['bond', 'show'], ['qos', 'show'], ['network', 'list'], ['namespace', 'list'],
         ['policy', 'list'], ['policy', 'show', 'web-in', 'namespace=ns-a'],
         ['conntrack', 'show'], ['control', 'show'], ['config', 'show'], ['commands'],
         ['version']]


def run(*args, timeout=20):
    r = subprocess.run([VSWCTL] + list(args), capture_output=True, timeout=timeout)
    return r.returncode, r.stdout.decode(), r.stderr.decode()


def line_with(text, *words):
    """The first line holding every one of words."""
    for line in text.splitlines():
        if all(w in line for w in words):
            return line
    raise AssertionError(f'no line with {words} in:\n{text}')


class CliTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sw = sw = Switch([], start=False)
        sw.rewrite_ports([
            vm_port('vm1', sw.path('vm1.sock'), 2003, namespace='ns-a', labels={'app': 'web'},
                    ips=['10.0.0.1']),
            vm_port(LONG, sw.path('vm2.sock'), 2003, qos_rate=100_000_000, qos_trust='dscp'),
            {'name': 'bond0', 'type': 'bond', 'bond_mode': 'active-backup',
             'members': 'net_null0;net_null1', 'allowed': '2003-2005'}],
            static_macs=[{'vlan': 2003, 'mac': '02:00:00:00:00:01', 'port': 'vm1'}])
        sw.start()
        try:
            sw.call('network.add', name='vlan2003', vlan=2003)
            sw.call('namespace.set', name='ns-a', labels={'team': 'x'})
            sw.call('policy.apply', policy=POLICY)
        except Exception:
            sw.cleanup()
            raise

    @classmethod
    def tearDownClass(cls):
        rc = cls.sw.stop()
        cls.sw.cleanup()
        assert rc == 0, f'vswd exit code {rc}'

    def human(self, *words):
        rc, out, err = run('-s', self.sw.sock, *words)
        self.assertEqual(rc, 0, f'{words}: {err}')
        self.assertTrue(out.strip(), f'{words}: no output')
        return out

    def test_no_command_prints_raw_json(self):
        for words in VIEWS + [['mac', 'flush', 'vlan=2005'], ['config', 'save']]:
            out = self.human(*words)
            self.assertNotRegex(out, r'[{}]|":', f'{words} printed JSON:\n{out}')

    def test_port_list_is_an_aligned_table(self):
        lines = self.human('port', 'list').splitlines()
        self.assertTrue(lines[0].startswith('NAME '), lines[0])
        rows = {ln.split()[0]: ln for ln in lines[1:]}
        self.assertEqual(set(rows), {'vm1', LONG, 'bond0'})
        col = lines[0].index('TYPE')
        self.assertEqual(rows['vm1'].index('vhost-user'), col)
        self.assertEqual(rows[LONG].index('vhost-user'), col)
        self.assertEqual(rows['bond0'].index(' bond ') + 1, col)
        self.assertIn('2003-2005', rows['bond0'])
        # numbers are right-aligned under their header
        end = lines[0].index('DROPS') + len('DROPS')
        self.assertTrue(all(len(r) == end for r in rows.values()), lines)

    def test_views_show_the_values(self):
        out = self.human('port', 'show', 'vm1')
        self.assertRegex(out, r'(?m)^name: +vm1$')
        self.assertRegex(out, r'(?m)^ips: +10\.0\.0\.1$')
        self.assertRegex(out, r'(?m)^  rx_packets: +\d+$')
        out = self.human('bond', 'show')
        self.assertRegex(out, r'(?m)^mode: +active-backup$')
        for m in ('net_null0', 'net_null1'):
            self.assertRegex(line_with(out, m), rf'^  {m} +\d+ +(up|down) +(yes|no) ')
        out = self.human('qos', 'show')
        self.assertRegex(line_with(out, LONG, 'dscp'), r'40,46,48,56 +1,8 +100000000 +64')
        self.assertIn(f'{LONG} classes:', out)
        for cls in ('critical', 'best-effort', 'scavenger'):
            self.assertRegex(out, rf'(?m)^  {cls} +\d+ +\d+')
        self.assertRegex(self.human('mac', 'flush', 'vlan=2005'), r'(?m)^flushed: +0$')
        self.assertRegex(self.human('network', 'list'), r'(?m)^NAME +VLAN\nvlan2003 +2003$')
        self.assertRegex(self.human('namespace', 'list'), r'(?m)^ns-a +team=x$')
        out = self.human('policy', 'list')
        self.assertRegex(out, r'(?m)^MultiNetworkPolicy +ns-a +web-in +vlan2003 +1 +1 +0 ')
        self.assertRegex(out, r'(?m)^compiled:$')
        out = self.human('policy', 'show', 'web-in', 'namespace=ns-a')
        self.assertRegex(out, r'(?m)^selected: +vm1$')
        self.assertRegex(out, r'(?m)^  ingress +0 +Allow +\d+$')
        self.assertRegex(out, r'(?m)^ +cidr=10\.0\.0\.0/16$')
        out = self.human('conntrack', 'show')
        self.assertRegex(out, r'(?m)^size: +262144$')
        self.assertRegex(out, r'(?m)^connections: none$')
        self.assertRegex(self.human('mac', 'show'), r'(?m)^2003 +02:00:00:00:00:01 +vm1 +static')
        out = self.human('version')
        self.assertRegex(out, r'(?m)^vswd: +\d+\.\d+\.\d+$')

    def test_json_is_what_vswd_sent(self):
        for words in VIEWS:
            rc, out, err = run('-s', self.sw.sock, '--json', *words)
            self.assertEqual(rc, 0, err)
            self.assertIsInstance(json.loads(out), dict, words)
        for cmd, words in [('network.list', ['network', 'list']),
                           ('namespace.list', ['namespace', 'list']),
                           ('mac.show', ['mac', 'show']), ('version', ['version']),
                           ('commands', ['commands'])]:
            self.assertEqual(json.loads(run('-s', self.sw.sock, '--json', *words)[1]),
                             self.sw.call(cmd), cmd)

    def test_command_help(self):
        listing = {c['name']: c for c in self.sw.call('commands')['commands']}
        for words in (['port', 'add', '--help'], ['help', 'port', 'add'],
                      ['--help', 'port', 'add']):
            rc, out, err = run(*words)   # no socket needed
            self.assertEqual(rc, 0, err)
            self.assertIn('usage: vswctl port add <name>', out)
            rows = {}
            for line in out.splitlines():
                m = re.match(r'  (\w+) +(\w+) ', line)
                if m:
                    rows[m.group(1)] = line
            names = [a['name'] for a in listing['port.add']['args']]
            self.assertEqual(set(names) - set(rows), set(), 'every argument listed')
            # the type column starts at one offset, whatever the length of the name
            starts = {rows[n].index(' ' + a['type'], len(n) + 2) for n, a in
                      zip(names, listing['port.add']['args'])}
            self.assertEqual(len(starts), 1, out)

    def test_group_help(self):
        rc, out, err = run('help', 'port')
        self.assertEqual(rc, 0, err)
        for sub in ('add <name>', 'del <name>', 'set <name>', 'list', 'show <name>'):
            self.assertIn(f'usage: vswctl port {sub}', out)
        self.assertRegex(out, r'(?m)^  police_rate +uint64 ')
        self.assertNotIn('vswctl mac', out)
        self.assertEqual(run('port', '--help')[1], out)
        rc, out, err = run('help', 'nosuch')
        self.assertEqual(rc, 1)
        self.assertIn("no command or group 'nosuch'", err)

    def test_version(self):
        rc, out, err = run('-s', self.sw.sock, '--version')
        self.assertEqual(rc, 0, err)
        self.assertRegex(out, r'(?m)^vswctl \d+\.\d+\.\d+ \(protocol 1\)$')
        self.assertRegex(out, r'(?m)^vswd \d+\.\d+\.\d+ \(DPDK [^,]+, protocol 1\) on ')
        v = json.loads(run('-s', self.sw.sock, '--json', '--version')[1])
        self.assertEqual((v['proto'], v['vswd']['proto']), (1, 1))
        # without a server it still prints its own version, and says why vswd is missing
        rc, out, err = run('-s', self.sw.path('nope.sock'), '--version')
        self.assertEqual(rc, 0, err)
        self.assertRegex(out, r'^vswctl \d+\.\d+\.\d+ \(protocol 1\)\n$')
        self.assertIn('not reachable', err)
        self.assertNotIn('vswd', json.loads(run('-s', self.sw.path('nope.sock'), '--json',
                                                '--version')[1]))

    def complete(self, script, line):
        """Runs the completion function on `line` as bash would; returns COMPREPLY."""
        prog = (f'{script}\nCOMP_LINE={json.dumps(line)}; COMP_POINT=${{#COMP_LINE}}\n'
                '_vswctl; printf "%s\\n" "${COMPREPLY[@]}"\n')
        r = subprocess.run(['bash', '-c', prog], capture_output=True, timeout=20)
        self.assertEqual(r.returncode, 0, r.stderr)
        return sorted(r.stdout.decode().split())

    def test_bash_completion(self):
        rc, script, err = run('completion', 'bash')
        self.assertEqual(rc, 0, err)
        r = subprocess.run(['bash', '-n'], input=script.encode(), capture_output=True, timeout=20)
        self.assertEqual(r.returncode, 0, r.stderr)
        names = [c['name'] for c in self.sw.call('commands')['commands']]
        groups = {n.split('.')[0] for n in names}
        self.assertEqual(set(self.complete(script, 'vswctl ')), groups | {'help', 'completion'})
        for g in groups:
            subs = sorted(n.split('.')[1] for n in names if n.startswith(g + '.'))
            if subs:
                self.assertEqual(self.complete(script, f'vswctl -s x --json {g} '), subs, g)
        self.assertEqual(self.complete(script, 'vswctl port add vm1 vl'), ['vlan='])
        self.assertEqual(self.complete(script, 'vswctl port add vm1 client='), ['false', 'true'])
        self.assertEqual(self.complete(script, 'vswctl help po'), ['policy', 'port'])
        self.assertIn('--json', self.complete(script, 'vswctl --'))
        # the file the build generates is the same script
        built = os.path.join(os.path.dirname(VSWCTL), 'vswctl.bash')
        with open(built) as f:
            self.assertEqual(f.read(), script)
        self.assertEqual(run('completion', 'zsh')[0], 1)

    def test_unknown_command(self):
        rc, out, err = run('-s', self.sw.sock, 'frobnicate')
        self.assertEqual((rc, out), (1, ''))
        self.assertIn("unknown command 'frobnicate'", err)
        rc, out, err = run('-s', self.sw.sock, 'port', 'frob')
        self.assertEqual((rc, out), (1, ''))
        self.assertIn("unknown command 'port frob'; try: add, del, set, list, show", err)
        rc, out, err = run('-s', self.sw.sock, 'port', 'show', 'nope')
        self.assertEqual((rc, out), (1, ''))
        self.assertRegex(err, r'port\.show: args\.name: .*\(ENOENT\)')


class CannedVswd:
    """A stand-in for vswd on a socket: answers hello, then each command with a canned result.
    For result shapes a test switch cannot produce quickly (LACP partners, live connections)."""

    def __init__(self, results):
        self.dir = tempfile.mkdtemp(prefix='vswt_cli_')
        self.path = os.path.join(self.dir, 'fake.sock')
        self.results = results
        self.srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.srv.bind(self.path)
        self.srv.listen(4)
        self.srv.settimeout(10)
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        try:
            conn, _ = self.srv.accept()
        except OSError:
            return
        with conn, conn.makefile('rwb') as f:
            for line in f:
                cmd = json.loads(line)['cmd']
                res = {'version': 1} if cmd == 'hello' else self.results[cmd]
                f.write(json.dumps({'ok': True, 'result': res}).encode() + b'\n')
                f.flush()

    def close(self):
        self.srv.close()
        self.thread.join(10)
        os.unlink(self.path)
        os.rmdir(self.dir)


class CannedViewTest(unittest.TestCase):
    def view(self, cmd, result, *words):
        fake = CannedVswd({cmd: result})
        try:
            rc, out, err = run('-s', fake.path, *words)
        finally:
            fake.close()
        self.assertEqual(rc, 0, err)
        self.assertNotRegex(out, r'[{}]|":', out)
        return out

    def test_lacp_members(self):
        lacp = {'actor_system': '02:00:00:00:00:aa', 'actor_key': 33,
                'actor_state': ['activity', 'aggregation', 'synchronization'],
                'partner_system': '02:00:00:00:00:bb', 'partner_key': 7,
                'partner_state': ['activity', 'collecting'], 'selected': True}
        member = {'devargs': 'net_vhost0,iface=/x', 'ethdev_port': 0, 'link': 'up',
                  'active': True, 'link_down_events': 1, 'link_up_events': 2,
                  'stats': {'rx_packets': 5, 'tx_packets': 6, 'rx_errors': 0, 'tx_errors': 0},
                  'lacp': lacp}
        out = self.view('bond.show', {'bonds': [{
            'name': 'bond0', 'mode': '802.3ad', 'xmit_policy': 'l34', 'link': 'up',
            'active_members': 1, 'active_changes': 3, 'members': [member]}]}, 'bond', 'show')
        self.assertRegex(out, r'(?m)^xmit_policy: +l34$')
        self.assertRegex(out, r'(?m)^  net_vhost0,iface=/x +0 +up +yes +1 +2 +5 +6 +0 +0$')
        self.assertRegex(out, r'(?m)^  lacp net_vhost0,iface=/x:$')
        self.assertRegex(out, r'(?m)^    actor_state: +activity,aggregation,synchronization$')
        self.assertRegex(out, r'(?m)^    partner_system: +02:00:00:00:00:bb$')

    def test_connections(self):
        conns = [{'vlan': 2003, 'proto': 6, 'src': '10.0.0.1', 'dst': '10.0.0.2', 'sport': 40000,
                  'dport': 80, 'state': 'established', 'expires_in': 86399},
                 {'vlan': 2003, 'proto': 17, 'src': 'fd00::1', 'dst': 'fd00::2', 'sport': 53,
                  'dport': 5353, 'state': 'new', 'expires_in': 30}]
        out = self.view('conntrack.show', {'size': 16, 'count': 2, 'connections': conns,
                                           'ports': {'vm1': {'connections': 2, 'fragments': 0}}},
                        'conntrack', 'show')
        self.assertRegex(out, r'(?m)^  2003 +tcp +10\.0\.0\.1:40000 +10\.0\.0\.2:80 +'
                              r'established +86399$')
        self.assertRegex(out, r'(?m)^  2003 +udp +\[fd00::1\]:53 +\[fd00::2\]:5353 +new +30$')
        self.assertRegex(out, r'(?m)^  vm1 +2 +0$')


if __name__ == '__main__':
    unittest.main()
