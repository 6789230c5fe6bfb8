"""The Kubernetes API stand-in (kube_standin.py) checked from the client side, the way
vsw-agent uses it: http.client for lists, a raw socket reading the chunked watch stream chunk by
chunk (so framing and a clean end versus a cut are visible), ssl against the generated CA.
"""

import http.client
import json
import os
import socket
import ssl
import tempfile
import threading
import time
import unittest
from urllib.parse import urlencode

from kube_standin import KubeStandin

PODS = '/api/v1/pods'
ANPS = '/apis/policy.networking.k8s.io/v1alpha1/adminnetworkpolicies'
NADS = '/apis/k8s.cni.cncf.io/v1/network-attachment-definitions'
AUTH = {'Authorization': 'Bearer test-token'}


def pod(name, ns='a', node=None, labels=None):
    obj = {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': name, 'namespace': ns}}
    if node is not None:
        obj['spec'] = {'nodeName': node}
    if labels:
        obj['metadata']['labels'] = labels
    return obj


def namespace(name):
    return {'apiVersion': 'v1', 'kind': 'Namespace', 'metadata': {'name': name}}


def with_query(path, **query):
    return f'{path}?{urlencode(query)}' if query else path


class RawWatch:
    """A watch request on its own socket, its chunked body parsed by hand."""

    def __init__(self, sock, path, headers=AUTH):
        self.sock = sock
        self.sock.settimeout(5)
        head = ''.join(f'{k}: {v}\r\n' for k, v in headers.items())
        self.sock.sendall(f'GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{head}\r\n'.encode())
        self.buf = b''
        self.status_line, self.headers = self._head()

    def _fill(self):
        data = self.sock.recv(65536)
        if not data:
            raise EOFError
        self.buf += data

    def _line(self):
        while b'\r\n' not in self.buf:
            self._fill()
        line, self.buf = self.buf.split(b'\r\n', 1)
        return line

    def _head(self):
        status_line = self._line().decode()
        headers = {}
        for line in iter(self._line, b''):
            name, value = line.decode().split(':', 1)
            headers[name.strip().lower()] = value.strip()
        return status_line, headers

    def chunk(self):
        """The next chunk's data; b'' for the terminating chunk; EOFError on a cut."""
        size = int(self._line(), 16)
        while len(self.buf) < size + 2:
            self._fill()
        data, self.buf = self.buf[:size], self.buf[size + 2:]
        return data

    def event(self):
        data = self.chunk()
        assert data.endswith(b'\n') and data.count(b'\n') == 1, data  # one event per chunk
        return json.loads(data)

    def close(self):
        self.sock.close()


class StandinCase(unittest.TestCase):
    tls = False

    def setUp(self):
        self.threads = set(threading.enumerate())
        self.k = KubeStandin(tls=self.tls).start()
        self.conns = []
        self.watches = []

    def tearDown(self):
        for c in self.conns + self.watches:
            c.close()
        t0 = time.monotonic()
        self.k.stop()
        # bounded, not fast: a slow shared machine may take seconds, never a hang
        self.assertLess(time.monotonic() - t0, 15)
        self.assertEqual(set(threading.enumerate()), self.threads)

    def conn(self):
        c = http.client.HTTPConnection('127.0.0.1', self.k.port, timeout=5)
        self.conns.append(c)
        return c

    def request(self, path, method='GET', body=None, headers=AUTH, conn=None):
        c = conn or self.conn()
        c.request(method, path, body=body, headers=headers)
        resp = c.getresponse()
        return resp.status, json.loads(resp.read())

    def get(self, path, **query):
        code, body = self.request(with_query(path, **query))
        self.assertEqual(code, 200, body)
        return body

    def watch(self, path, **query):
        w = RawWatch(socket.create_connection(('127.0.0.1', self.k.port)),
                     with_query(path, watch='true', **query))
        self.watches.append(w)
        self.assertIn(' 200 ', w.status_line)
        return w

    def names(self, items):
        return [(i['metadata'].get('namespace'), i['metadata']['name']) for i in items]

    def assert_status(self, code, body, want, reason):
        self.assertEqual(code, want, body)
        self.assertEqual((body['kind'], body['status'], body['reason'], body['code']),
                         ('Status', 'Failure', reason, want))


class ListTest(StandinCase):
    def test_list_sorted_with_resource_version(self):
        for name, ns in (('p2', 'b'), ('p1', 'b'), ('p3', 'a')):
            self.k.put(pod(name, ns))
        self.k.put(namespace('a'))
        body = self.get(PODS)
        self.assertEqual((body['apiVersion'], body['kind']), ('v1', 'PodList'))
        self.assertEqual(body['metadata']['resourceVersion'], str(self.k.rv()))
        self.assertEqual(self.names(body['items']), [('a', 'p3'), ('b', 'p1'), ('b', 'p2')])
        self.assertNotIn('kind', body['items'][0])  # as the real server lists built-in kinds
        self.assertEqual(self.names(self.get('/api/v1/namespaces')['items']), [(None, 'a')])

    def test_stored_metadata(self):
        first = self.k.put(pod('p1'))
        second = self.k.put(pod('p1', node='n1'))
        self.assertEqual(int(second['metadata']['resourceVersion']),
                         int(first['metadata']['resourceVersion']) + 1)
        self.assertEqual(second['metadata']['uid'], first['metadata']['uid'])
        self.assertTrue(second['metadata']['creationTimestamp'].endswith('Z'))
        self.assertEqual(self.k.get('Pod', 'p1', 'a'), second)

    def test_per_namespace_and_cluster_scoped(self):
        self.k.put(pod('p1', 'a'))
        self.k.put(pod('p2', 'b'))
        self.assertEqual(self.names(self.get('/api/v1/namespaces/b/pods')['items']),
                         [('b', 'p2')])
        self.k.put({'apiVersion': 'policy.networking.k8s.io/v1alpha1',
                    'kind': 'AdminNetworkPolicy', 'metadata': {'name': 'anp'}})
        body = self.get(ANPS)
        self.assertEqual(body['kind'], 'AdminNetworkPolicyList')
        self.assertEqual(body['items'][0]['kind'], 'AdminNetworkPolicy')  # CRD items keep it
        code, body = self.request('/apis/policy.networking.k8s.io/v1alpha1/namespaces/a/'
                                  'adminnetworkpolicies')
        self.assert_status(code, body, 404, 'NotFound')

    def test_get_one(self):
        self.k.put(pod('p1', 'a'))
        self.k.put(namespace('a'))
        self.assertEqual(self.get('/api/v1/namespaces/a/pods/p1')['metadata']['name'], 'p1')
        self.assertEqual(self.get('/api/v1/namespaces/a')['kind'], 'Namespace')
        code, body = self.request('/api/v1/namespaces/a/pods/nope')
        self.assert_status(code, body, 404, 'NotFound')
        self.assertEqual(body['message'], 'pods "nope" not found')

    def test_field_selector(self):
        self.k.put(pod('p1', node='n1'))
        self.k.put(pod('p2', node='n2'))
        self.k.put(pod('p3'))
        on_n1 = self.get(PODS, fieldSelector='spec.nodeName=n1')
        self.assertEqual(self.names(on_n1['items']), [('a', 'p1')])
        unscheduled = self.get(PODS, fieldSelector='spec.nodeName=')
        self.assertEqual(self.names(unscheduled['items']), [('a', 'p3')])
        by_name = self.get('/api/v1/namespaces/a/pods', fieldSelector='metadata.name=p2')
        self.assertEqual(self.names(by_name['items']), [('a', 'p2')])
        code, body = self.request(with_query(PODS, fieldSelector='status.phase=Running'))
        self.assert_status(code, body, 400, 'BadRequest')

    def test_label_selector(self):
        self.k.put(pod('p1', labels={'app': 'x', 'tier': 'db'}))
        self.k.put(pod('p2', labels={'app': 'x'}))
        self.k.put(pod('p3'))
        self.assertEqual(self.names(self.get(PODS, labelSelector='app=x,tier=db')['items']),
                         [('a', 'p1')])
        self.assertEqual(self.names(self.get(PODS, labelSelector='app!=x')['items']),
                         [('a', 'p3')])

    def test_pagination_lists_one_snapshot(self):
        for i in range(5):
            self.k.put(pod(f'p{i}'))
        first = self.get(PODS, limit=2)
        rv = first['metadata']['resourceVersion']
        self.assertEqual(self.names(first['items']), [('a', 'p0'), ('a', 'p1')])
        self.assertEqual(first['metadata']['remainingItemCount'], 3)
        # Changes after the first page do not show in the later ones.
        self.k.put(pod('p2', node='n1'))
        self.k.delete('Pod', 'p3', 'a')
        self.k.put(pod('p9'))
        second = self.get(PODS, limit=2, **{'continue': first['metadata']['continue']})
        self.assertEqual(second['metadata']['resourceVersion'], rv)
        self.assertEqual(self.names(second['items']), [('a', 'p2'), ('a', 'p3')])
        self.assertNotIn('spec', second['items'][0])
        third = self.get(PODS, limit=2, **{'continue': second['metadata']['continue']})
        self.assertEqual(self.names(third['items']), [('a', 'p4')])
        self.assertNotIn('continue', third['metadata'])
        self.k.compact()
        code, body = self.request(with_query(PODS, limit=2,
                                             **{'continue': first['metadata']['continue']}))
        self.assert_status(code, body, 410, 'Expired')


class WatchTest(StandinCase):
    def test_from_list_rv_in_order(self):
        self.k.put(pod('p0'))
        rv = self.get(PODS)['metadata']['resourceVersion']
        w = self.watch(PODS, resourceVersion=rv)
        self.assertEqual(w.headers['content-type'], 'application/json')
        self.assertEqual(w.headers['transfer-encoding'], 'chunked')
        self.k.put(pod('p1'))
        self.k.put(namespace('other'))  # another resource: not on this watch
        self.k.put(pod('p1', node='n1'))
        self.k.delete('Pod', 'p1', 'a')
        events = [w.event() for _ in range(3)]
        self.assertEqual([e['type'] for e in events], ['ADDED', 'MODIFIED', 'DELETED'])
        rvs = [int(e['object']['metadata']['resourceVersion']) for e in events]
        self.assertEqual(rvs, sorted(rvs))
        self.assertGreater(rvs[0], int(rv))
        self.assertEqual(rvs[-1], self.k.rv())
        self.assertEqual(events[0]['object']['kind'], 'Pod')

    def test_history_replayed(self):
        rv = self.k.rv()
        self.k.put(pod('p1'))
        self.k.put(pod('p1', node='n1'))
        w = self.watch(PODS, resourceVersion=rv)
        self.assertEqual([w.event()['type'] for _ in range(2)], ['ADDED', 'MODIFIED'])

    def test_without_rv_starts_with_state(self):
        self.k.put(pod('p2'))
        self.k.put(pod('p1'))
        self.k.put(pod('q', 'b'))
        w = self.watch('/api/v1/namespaces/a/pods')
        self.assertEqual([(e['type'], e['object']['metadata']['name'])
                          for e in (w.event(), w.event())], [('ADDED', 'p1'), ('ADDED', 'p2')])
        self.k.put(pod('q2', 'b'))
        self.k.put(pod('p3'))
        self.assertEqual(w.event()['object']['metadata']['name'], 'p3')

    def test_selector_transitions(self):
        self.k.put(pod('p1'))
        w = self.watch(PODS, fieldSelector='spec.nodeName=n1', resourceVersion=self.k.rv())
        self.k.put(pod('p1', node='n1'))
        self.k.put(pod('p1', node='n1', labels={'x': 'y'}))
        self.k.put(pod('p1', node='n2'))
        self.assertEqual([w.event()['type'] for _ in range(3)], ['ADDED', 'MODIFIED', 'DELETED'])

    def test_bookmark_only_when_asked(self):
        plain = self.watch(PODS, resourceVersion=self.k.rv())
        asked = self.watch(PODS, resourceVersion=self.k.rv(), allowWatchBookmarks='true')
        self.k.put(pod('p1'))
        self.k.bookmark()
        self.k.put(pod('p2'))
        self.assertEqual(asked.event()['type'], 'ADDED')
        at = str(self.k.rv() - 1)  # the bookmark came between the two puts
        self.assertEqual(asked.event(), {'type': 'BOOKMARK', 'object': {
            'kind': 'Pod', 'apiVersion': 'v1', 'metadata': {'resourceVersion': at}}})
        self.assertEqual([plain.event()['type'] for _ in range(2)], ['ADDED', 'ADDED'])

    def test_expired_after_compact(self):
        self.k.put(pod('p1'))
        old = self.k.rv()
        self.k.put(pod('p2'))
        self.k.compact()
        w = self.watch(PODS, resourceVersion=old)
        self.assertEqual(w.event(), {'type': 'ERROR', 'object': {
            'kind': 'Status', 'apiVersion': 'v1', 'metadata': {}, 'status': 'Failure',
            'message': f'too old resource version: {old} ({self.k.rv()})', 'reason': 'Expired',
            'code': 410}})
        self.assertEqual(w.chunk(), b'')
        current = self.watch(PODS, resourceVersion=self.k.rv())
        self.k.put(pod('p3'))
        self.assertEqual(current.event()['object']['metadata']['name'], 'p3')

    def test_timeout_ends_cleanly_and_keeps_alive(self):
        t0 = time.monotonic()
        w = self.watch(PODS, resourceVersion=self.k.rv(), timeoutSeconds=1)
        self.assertEqual(w.chunk(), b'')
        self.assertLess(time.monotonic() - t0, 15)    # ended by timeoutSeconds, not held open
        # The same connection serves the next request.
        w.sock.sendall(b'GET /api/v1/pods HTTP/1.1\r\nHost: x\r\n'
                       b'Authorization: Bearer test-token\r\n\r\n')
        self.assertIn(' 200 ', w._head()[0])
        self.assertTrue(self.k.wait_for(lambda: self.k.watch_count() == 0))

    def test_drop_watches_cuts_the_stream(self):
        w = self.watch(PODS, resourceVersion=self.k.rv())
        self.assertEqual(self.k.watch_count(), 1)
        self.k.drop_watches()
        self.assertEqual(self.k.watch_count(), 0)
        with self.assertRaises(EOFError):
            w.chunk()

    def test_client_going_away(self):
        w = self.watch(PODS, resourceVersion=self.k.rv())
        w.close()
        self.assertTrue(self.k.wait_for(lambda: self.k.watch_count() == 0, 15))
        self.k.put(pod('p1'))

    def test_stop_with_open_watch(self):
        self.watch(PODS, resourceVersion=self.k.rv())
        self.conn().request('GET', PODS, headers=AUTH)  # an idle keep-alive one too
        self.conns[-1].getresponse().read()
        t0 = time.monotonic()
        self.k.stop()
        self.assertLess(time.monotonic() - t0, 15)    # open watches do not hold stop() up


class HttpTest(StandinCase):
    def test_unauthorized(self):
        for headers in ({}, {'Authorization': 'Bearer wrong'}):
            code, body = self.request(PODS, headers=headers)
            self.assert_status(code, body, 401, 'Unauthorized')

    def test_unknown_path_and_method(self):
        code, body = self.request('/api/v1/services')
        self.assert_status(code, body, 404, 'NotFound')
        code, body = self.request(PODS, method='DELETE')
        self.assert_status(code, body, 405, 'MethodNotAllowed')
        code, body = self.request(PODS, method='POST', body=b'{}')
        self.assert_status(code, body, 405, 'MethodNotAllowed')

    def test_fail_next(self):
        self.k.fail_next(2, 503)
        c = self.conn()
        for _ in range(2):
            code, body = self.request(PODS, conn=c)
            self.assert_status(code, body, 503, 'ServiceUnavailable')
        self.assertEqual(self.request(PODS, conn=c)[0], 200)
        self.k.fail_next(1)
        # Events are exempt: the agent's reports must not eat the injected failures.
        self.assertEqual(self.post_event('a', {'metadata': {'name': 'e'}})[0], 201)
        self.assert_status(*self.request(PODS), 500, 'InternalError')

    def post_event(self, ns, event):
        return self.request(f'/api/v1/namespaces/{ns}/events', 'POST',
                            json.dumps(event).encode(),
                            {**AUTH, 'Content-Type': 'application/json'})

    def test_events(self):
        code, body = self.post_event('a', {'apiVersion': 'v1', 'kind': 'Event',
                                           'metadata': {'generateName': 'vsw.'},
                                           'reason': 'PortAdded'})
        self.assertEqual(code, 201, body)
        self.assertTrue(body['metadata']['name'].startswith('vsw.'))
        self.assertEqual(body['metadata']['namespace'], 'a')
        self.assertEqual(self.k.events, [body])
        code, body = self.post_event('a', {'metadata': {'name': 'e', 'namespace': 'b'}})
        self.assert_status(code, body, 400, 'BadRequest')

    def test_keep_alive_and_request_log(self):
        c = self.conn()
        for _ in range(3):
            self.assertEqual(self.request(with_query(PODS, limit=1), conn=c)[0], 200)
        self.assertEqual(self.k.requests, [('GET', PODS, {'limit': '1'})] * 3)

    def test_kubeconfig_and_incluster(self):
        with tempfile.TemporaryDirectory() as d:
            path = self.k.write_kubeconfig(os.path.join(d, 'kubeconfig'), namespace='ns1')
            with open(path) as f:
                text = f.read()
            self.assertIn(f'    server: {self.k.url}\n', text)
            self.assertIn('    token: test-token\n', text)
            self.assertIn('current-context: standin\n', text)
            self.assertNotIn('certificate-authority', text)
            with open(self.k.write_kubeconfig(path, as_json=True)) as f:
                doc = json.load(f)
            self.assertEqual(doc['clusters'][0]['cluster']['server'], self.k.url)
            env = self.k.write_incluster(os.path.join(d, 'sa'))
            self.assertEqual(env, {'KUBERNETES_SERVICE_HOST': '127.0.0.1',
                                   'KUBERNETES_SERVICE_PORT': str(self.k.port)})
            self.assertEqual(sorted(os.listdir(os.path.join(d, 'sa'))), ['namespace', 'token'])


class TlsTest(StandinCase):
    tls = True

    def context(self):
        return ssl.create_default_context(cafile=self.k.ca_file)

    def conn(self, host='127.0.0.1'):
        c = http.client.HTTPSConnection(host, self.k.port, timeout=5, context=self.context())
        self.conns.append(c)
        return c

    def test_verified_list_and_watch(self):
        self.assertTrue(self.k.url.startswith('https://127.0.0.1:'))
        self.k.put(pod('p1'))
        self.assertEqual(len(self.get(PODS)['items']), 1)
        code, _ = self.request(PODS, conn=self.conn('localhost'))
        self.assertEqual(code, 200)
        sock = self.context().wrap_socket(socket.create_connection(('127.0.0.1', self.k.port)),
                                          server_hostname='127.0.0.1')
        w = RawWatch(sock, with_query(PODS, watch=1, resourceVersion=self.k.rv()))
        self.watches.append(w)
        self.k.put(pod('p2'))
        self.assertEqual(w.event()['object']['metadata']['name'], 'p2')

    def test_unknown_ca_refused(self):
        c = http.client.HTTPSConnection('127.0.0.1', self.k.port, timeout=5,
                                        context=ssl.create_default_context())
        self.conns.append(c)
        with self.assertRaises(ssl.SSLCertVerificationError):
            c.request('GET', PODS, headers=AUTH)

    def test_kubeconfig_and_incluster(self):
        with tempfile.TemporaryDirectory() as d:
            path = self.k.write_kubeconfig(os.path.join(d, 'kubeconfig'))
            with open(path) as f:
                text = f.read()
            self.assertIn(f'    server: {self.k.url}\n', text)
            self.assertIn(f'    certificate-authority: {self.k.ca_file}\n', text)
            self.k.write_incluster(d, namespace='kube-system')
            with open(os.path.join(d, 'ca.crt')) as f:
                self.assertIn('BEGIN CERTIFICATE', f.read())
            with open(os.path.join(d, 'namespace')) as f:
                self.assertEqual(f.read(), 'kube-system')


if __name__ == '__main__':
    unittest.main()
