"""A stand-in Kubernetes API server for vsw-agent's integration tests (stdlib only).

This is NOT Kubernetes: there is no etcd, admission, validation, RBAC or protobuf. It serves the
few resources vsw-agent reads, from an in-memory store the test fills with put()/delete(), and
follows the API conventions of https://kubernetes.io/docs/reference/using-api/api-concepts/
for what a list+watch client depends on:

- one global resourceVersion for every change (events POSTed by the agent included), an
  opaque decimal string on the wire;
- list: `<Kind>List` with metadata.resourceVersion, items sorted by namespace/name; items of
  built-in kinds (Namespace, Pod) carry no kind/apiVersion, items of CRDs do, as the real server
  answers; `limit`/`continue` pagination where continue pages come from the same snapshot
  resourceVersion, and a continue token older than a compaction answers 410 Expired;
- fieldSelector (`metadata.name`, `metadata.namespace`, and `spec.nodeName` for pods, with
  `=`, `==`, `!=`; any other field is 400 "field label not supported") and equality-based
  labelSelector (`k=v`, `k==v`, `k!=v`, `k`, `!k`);
- watch: chunked JSON lines, one event per chunk flushed at once; events after the given
  resourceVersion, in order; with no resourceVersion (or "0") synthetic ADDED events of the
  current objects first; selector transitions become ADDED/DELETED; BOOKMARK events only for
  allowWatchBookmarks=true; a resourceVersion older than the last compaction gets one ERROR
  event with a 410 Expired Status and the stream ends, as the watch cache does;
  timeoutSeconds (default 300, capped at 1800) ends the stream cleanly;
- bearer token auth (401), 404 for unknown paths and objects, 405 for other methods, all
  answered with a Status object; HTTP/1.1 keep-alive; optional TLS with a generated CA.

Not followed: list resourceVersion/resourceVersionMatch (lists are always the latest state),
set-based label selectors (400), a watch from a future resourceVersion (it simply waits, the
real server answers "Too large resource version"), watch of a single object, create/update/
patch of anything but events, remainingItemCount is given even with selectors, request bodies
must have a Content-Length or be chunked, and no server-side timeouts other than the watch's.
In-cluster clients always use https, so pair write_incluster() with tls=True.

Test hooks: compact(), bookmark(), drop_watches(), fail_next(), requests, watch_count().
"""

import base64
import binascii
import copy
import datetime
import http.server
import json
import os
import queue
import re
import secrets
import select
import shutil
import socket
import socketserver
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import namedtuple
from urllib.parse import parse_qsl, urlsplit

OPENSSL = '/usr/bin/openssl'
WATCH_DEFAULT_S = 300
WATCH_MAX_S = 1800
FIRST_RV = 100  # never "0", which a client sends to mean "any resourceVersion"
TRUE = ('1', 't', 'T', 'true', 'True', 'TRUE')  # what Go's strconv.ParseBool accepts as true

REASONS = {400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound',
           405: 'MethodNotAllowed', 409: 'Conflict', 410: 'Expired', 422: 'Invalid',
           429: 'TooManyRequests', 500: 'InternalError', 503: 'ServiceUnavailable',
           504: 'Timeout'}


class Resource(namedtuple('Resource', 'kind group_version plural namespaced builtin')):
    @property
    def prefix(self):
        return '/api/v1' if self.group_version == 'v1' else '/apis/' + self.group_version


RESOURCES = [
    Resource('Namespace', 'v1', 'namespaces', False, True),
    Resource('Pod', 'v1', 'pods', True, True),
    Resource('NetworkAttachmentDefinition', 'k8s.cni.cncf.io/v1',
             'network-attachment-definitions', True, False),
    Resource('MultiNetworkPolicy', 'k8s.cni.cncf.io/v1beta1', 'multi-networkpolicies', True,
             False),
    Resource('AdminNetworkPolicy', 'policy.networking.k8s.io/v1alpha1', 'adminnetworkpolicies',
             False, False),
    Resource('BaselineAdminNetworkPolicy', 'policy.networking.k8s.io/v1alpha1',
             'baselineadminnetworkpolicies', False, False),
]
BY_KIND = {r.kind: r for r in RESOURCES}

# One change of the store. obj is the object after it (for DELETED the last state with the
# deletion's resourceVersion), prev the one before (None for ADDED).
Change = namedtuple('Change', 'rv type kind key obj prev')
# A routed request path; events marks POST /api/v1/namespaces/{ns}/events.
Route = namedtuple('Route', 'res namespace name events')


class ApiError(Exception):
    def __init__(self, code, message, reason=None, details=None):
        super().__init__(message)
        self.code, self.message = code, message
        self.reason = reason or REASONS.get(code, 'Unknown')
        self.details = details


def status(code, message, reason=None, details=None):
    st = {'kind': 'Status', 'apiVersion': 'v1', 'metadata': {}, 'status': 'Failure',
          'message': message, 'reason': reason or REASONS.get(code, 'Unknown'), 'code': code}
    if details:
        st['details'] = details
    return st


def _now():
    return datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')


def _key(obj):
    md = obj.get('metadata', {})
    return (md.get('namespace', ''), md.get('name', ''))


def _int_param(query, name, default):
    text = query.get(name, '')
    if text == '':
        return default
    try:
        return int(text)
    except ValueError:
        raise ApiError(400, f'invalid {name}: {text!r}') from None


# ---- selectors -------------------------------------------------------------------------------

def _split_term(term, ops):
    for op in ops:
        if op in term:
            key, value = term.split(op, 1)
            return key.strip(), ('!=' if op == '!=' else '='), value.strip()
    return None


def _field_getter(res, field):
    md = lambda o: o.get('metadata', {})
    getters = {'metadata.name': lambda o: md(o).get('name', ''),
               'metadata.namespace': lambda o: md(o).get('namespace', '')}
    if res.kind == 'Pod':
        getters['spec.nodeName'] = lambda o: o.get('spec', {}).get('nodeName', '')
    if field not in getters:
        raise ApiError(400, f'field label not supported: {field}')
    return getters[field]


def parse_field_selector(res, text):
    """[(getter, op, value)]; a missing field reads as "" like the real server's field sets."""
    terms = []
    for term in filter(None, text.split(',')):
        parts = _split_term(term, ('!=', '==', '='))
        if parts is None:
            raise ApiError(400, f'invalid field selector: {text!r}')
        field, op, value = parts
        terms.append((_field_getter(res, field), op, value))
    return terms


def parse_label_selector(text):
    if '(' in text:
        raise ApiError(400, f'set-based label selectors are not supported: {text!r}')
    terms = []
    for term in filter(None, (t.strip() for t in text.split(','))):
        parts = _split_term(term, ('!=', '==', '='))
        if parts is not None:
            key, op, value = parts
        elif term.startswith('!'):
            key, op, value = term[1:].strip(), 'absent', None
        else:
            key, op, value = term, 'exists', None
        if not key:
            raise ApiError(400, f'invalid label selector: {text!r}')
        getter = lambda o, k=key: (o.get('metadata', {}).get('labels') or {}).get(k)
        terms.append((getter, op, value))
    return terms


def _term_matches(obj, getter, op, value):
    got = getter(obj)
    return {'=': got == value, '!=': got != value, 'exists': got is not None,
            'absent': got is None}[op]


def make_matcher(res, namespace, query):
    """A predicate for the request's namespace, fieldSelector and labelSelector."""
    terms = parse_field_selector(res, query.get('fieldSelector', ''))
    terms += parse_label_selector(query.get('labelSelector', ''))

    def matches(obj):
        if namespace is not None and _key(obj)[0] != namespace:
            return False
        return all(_term_matches(obj, *t) for t in terms)
    return matches


# ---- continue tokens (base64url JSON, like the real server's, so also opaque) ----------------

def encode_continue(rv, start):
    raw = json.dumps({'v': 'meta.k8s.io/v1', 'rv': rv, 'start': list(start)}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip('=')


def decode_continue(token):
    try:
        doc = json.loads(base64.urlsafe_b64decode(token + '=' * (-len(token) % 4)))
        return int(doc['rv']), tuple(doc['start'])
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise ApiError(400, f'invalid continue token: {token!r}') from None


# ---- watches ---------------------------------------------------------------------------------

class Watch:
    """One open watch: the store queues ('change', Change), ('bookmark', rv) or ('drop', None);
    the connection's thread renders them for its selector."""

    def __init__(self, res, matches, bookmarks):
        self.res, self.matches, self.bookmarks = res, matches, bookmarks
        self.queue = queue.SimpleQueue()
        self.done = threading.Event()

    def render(self, kind, value):
        if kind == 'bookmark':
            return {'type': 'BOOKMARK', 'object': {
                'kind': self.res.kind, 'apiVersion': self.res.group_version,
                'metadata': {'resourceVersion': str(value)}}}
        typ = self._event_type(value)
        return typ and {'type': typ, 'object': value.obj}

    def _event_type(self, ch):
        if ch.type != 'MODIFIED':
            return ch.type if self.matches(ch.obj) else None
        # As the real watch cache does: leaving the selector is DELETED, entering it ADDED.
        was, now = self.matches(ch.prev), self.matches(ch.obj)
        return {(True, True): 'MODIFIED', (False, True): 'ADDED',
                (True, False): 'DELETED'}.get((was, now))


class Expired(Exception):
    pass


# ---- HTTP ------------------------------------------------------------------------------------

def route(path):
    parts = path.strip('/').split('/')
    if len(parts) == 5 and parts[:3] == ['api', 'v1', 'namespaces'] and parts[4] == 'events':
        return Route(None, parts[3], None, True)
    for res in RESOURCES:
        pre = res.prefix.strip('/').split('/')
        if parts[:len(pre)] != pre:
            continue
        rest, ns = parts[len(pre):], None
        if res.namespaced and len(rest) >= 3 and rest[0] == 'namespaces':
            ns, rest = rest[1], rest[2:]
        if not rest or rest[0] != res.plural or len(rest) > 2 or '' in rest:
            continue
        name = rest[1] if len(rest) == 2 else None
        if name is not None and res.namespaced and ns is None:
            return None  # the real server has no cluster-wide path to one namespaced object
        return Route(res, ns, name, False)
    return None


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server_version = 'kube-standin'

    def log_message(self, format, *args):
        pass

    def do_GET(self):
        self.handle_api()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_GET

    def handle_api(self):
        standin = self.server.standin
        url = urlsplit(self.path)
        query = dict(parse_qsl(url.query, keep_blank_values=True))
        standin._log(self.command, url.path, query)
        try:
            body = self.read_body()
            rt = route(url.path)
            if not (rt and rt.events and self.command == 'POST'):
                standin._inject_failure()
            if self.headers.get('Authorization') != f'Bearer {standin.token}':
                raise ApiError(401, 'Unauthorized')
            if rt is None:
                raise ApiError(404, 'the server could not find the requested resource')
            if self.command != ('POST' if rt.events else 'GET'):
                raise ApiError(405, 'the server does not allow this method on the requested '
                               'resource')
            self.dispatch(standin, rt, query, body)
        except ApiError as e:
            headers = {'Retry-After': '1'} if e.code == 429 else {}
            self.send_json(e.code, status(e.code, e.message, e.reason, e.details), headers)

    def dispatch(self, standin, rt, query, body):
        if rt.events:
            self.send_json(201, standin._post_event(rt.namespace, body))
        elif rt.name is not None:
            self.send_json(200, standin._get_wire(rt.res, rt.name, rt.namespace))
        elif query.get('watch', '') in TRUE:
            self.serve_watch(standin, rt, query)
        else:
            self.send_json(200, standin._list(rt.res, rt.namespace, query))

    def read_body(self):
        try:
            if 'chunked' in self.headers.get('Transfer-Encoding', ''):
                return self.read_chunked()
            return self.rfile.read(int(self.headers.get('Content-Length') or 0))
        except ValueError:
            self.close_connection = True  # the framing is lost
            raise ApiError(400, 'malformed request body framing') from None

    def read_chunked(self):
        body = b''
        while True:
            size = int(self.rfile.readline().split(b';')[0].strip() or b'0', 16)
            if size == 0:
                while self.rfile.readline() not in (b'\r\n', b'\n', b''):
                    pass  # trailers
                return body
            body += self.rfile.read(size)
            self.rfile.readline()

    def send_json(self, code, obj, headers=None):
        data = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    # -- watch --

    def serve_watch(self, standin, rt, query):
        since = query.get('resourceVersion', '')
        _int_param(query, 'resourceVersion', 0)  # validates it
        timeout = _int_param(query, 'timeoutSeconds', 0)
        timeout = WATCH_DEFAULT_S if timeout <= 0 else min(timeout, WATCH_MAX_S)
        matches = make_matcher(rt.res, rt.namespace, query)
        bookmarks = query.get('allowWatchBookmarks', '') in TRUE
        try:
            watch = standin._open_watch(rt.res, matches, since, bookmarks)
        except Expired as e:
            self.start_chunked()
            self.send_event({'type': 'ERROR', 'object': status(410, str(e), 'Expired')})
            self.end_chunked()
            return
        try:
            self.start_chunked()
            self.pump(watch, time.monotonic() + timeout)
        except OSError:
            self.close_connection = True  # the client went away mid-write
        finally:
            standin._close_watch(watch)

    def pump(self, watch, deadline):
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                self.end_chunked()
                return
            try:
                kind, value = watch.queue.get(timeout=min(left, 0.1))
            except queue.Empty:
                if self.client_gone():
                    self.close_connection = True
                    return
                continue
            if kind == 'drop':
                self.cut()
                return
            event = watch.render(kind, value)
            if event:
                self.send_event(event)

    def client_gone(self):
        # A watch client sends nothing while it reads the stream: readable means EOF (or a
        # client we do not serve anyway).
        return bool(select.select([self.connection], [], [], 0)[0])

    def cut(self):
        """Close the connection without the terminating chunk, as a dying server would."""
        self.close_connection = True
        try:
            socket.socket.shutdown(self.connection, socket.SHUT_RDWR)
        except OSError:
            pass

    def start_chunked(self):
        self.send_response(200)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Transfer-Encoding', 'chunked')
        self.end_headers()

    def send_event(self, event):
        line = json.dumps(event).encode() + b'\n'
        self.wfile.write(b'%x\r\n%s\r\n' % (len(line), line))

    def end_chunked(self):
        self.wfile.write(b'0\r\n\r\n')


class Server(http.server.ThreadingHTTPServer):
    """Tracks each connection's thread and socket so stop() can end and join them all."""
    daemon_threads = True

    def __init__(self, standin, ssl_context):
        self.standin, self.ssl_context = standin, ssl_context
        self.conns = {}
        self.conns_lock = threading.Lock()
        super().__init__(('127.0.0.1', 0), Handler)

    def server_bind(self):
        socketserver.TCPServer.server_bind(self)  # without HTTPServer's reverse DNS lookup
        self.server_name, self.server_port = self.server_address[:2]

    def process_request(self, request, client_address):
        t = threading.Thread(target=self.process_request_thread, args=(request, client_address),
                             name='kube-standin-conn', daemon=True)
        with self.conns_lock:
            self.conns[t] = request  # registered here so none starts unseen after shutdown()
        t.start()

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self.conns_lock:
                self.conns.pop(threading.current_thread(), None)

    def finish_request(self, request, client_address):
        if self.ssl_context is None:
            return super().finish_request(request, client_address)
        # The handshake runs here, in the connection's thread, not in the accept loop.
        request.settimeout(5)
        tls = self.ssl_context.wrap_socket(request, server_side=True)
        try:
            tls.settimeout(None)
            with self.conns_lock:
                self.conns[threading.current_thread()] = tls
            super().finish_request(tls, client_address)
        finally:
            tls.close()

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)  # a bug here, not a lost client

    def close_connections(self):
        with self.conns_lock:
            conns = list(self.conns.items())
        for _, sock in conns:
            try:
                socket.socket.shutdown(sock, socket.SHUT_RDWR)
            except OSError:
                pass
        return [t for t, _ in conns]


# ---- TLS material ----------------------------------------------------------------------------

def _openssl(*args, cwd):
    subprocess.run([OPENSSL, *args], cwd=cwd, check=True, capture_output=True, timeout=30)


def make_certs(workdir):
    """A self-signed CA and a server certificate for 127.0.0.1/localhost, EC keys (fast)."""
    ec = ('-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes')
    _openssl('req', '-x509', *ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2',
             '-subj', '/CN=kube-standin-ca',
             '-addext', 'basicConstraints=critical,CA:TRUE',
             '-addext', 'keyUsage=critical,keyCertSign,cRLSign', cwd=workdir)
    _openssl('req', *ec, '-keyout', 'server.key', '-out', 'server.csr',
             '-subj', '/CN=kube-apiserver', cwd=workdir)
    with open(os.path.join(workdir, 'server.ext'), 'w') as f:
        f.write('subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n'
                'keyUsage=critical,digitalSignature,keyEncipherment\n'
                'extendedKeyUsage=serverAuth\nsubjectKeyIdentifier=hash\n'
                'authorityKeyIdentifier=keyid,issuer\n')
    _openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key',
             '-set_serial', '0x' + secrets.token_hex(8), '-days', '2', '-extfile', 'server.ext',
             '-out', 'server.crt', cwd=workdir)
    return tuple(os.path.join(workdir, f) for f in ('ca.crt', 'server.crt', 'server.key'))


def _yaml_scalar(text):
    # Plain where YAML reads it back as the same string, else a JSON string (valid YAML).
    plain = re.fullmatch(r'[A-Za-z0-9_./-][A-Za-z0-9_./:-]*', text) and not text.endswith(':')
    typed = re.fullmatch(r'[0-9.+-]+|true|false|yes|no|on|off|null|~', text, re.I)
    return text if plain and not typed else json.dumps(text)


# ---- the stand-in ----------------------------------------------------------------------------

class KubeStandin:
    def __init__(self, token='test-token', tls=False, workdir=None):
        self.token, self.tls = token, tls
        self.workdir, self._own_workdir = workdir, workdir is None
        self.url = self.port = self.ca_file = None
        self.requests, self.events = [], []
        self._lock = threading.Lock()
        self._rv = self._compacted = FIRST_RV
        self._objects = {r.kind: {} for r in RESOURCES}
        self._history = []  # every Change after self._compacted, oldest first
        self._watches = []
        self._failures = (0, 500)
        self._server = self._thread = None

    # -- lifecycle --

    def start(self):
        if self._own_workdir:
            self.workdir = tempfile.mkdtemp(prefix='kube-standin-')
        try:
            self._server = Server(self, self._tls_context() if self.tls else None)
        except BaseException:
            if self._own_workdir:
                shutil.rmtree(self.workdir, ignore_errors=True)
            raise
        self.port = self._server.server_address[1]
        self.url = f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        name='kube-standin', daemon=True)
        self._thread.start()
        return self

    def _tls_context(self):
        self.ca_file, cert, key = make_certs(self.workdir)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        ctx.set_alpn_protocols(['http/1.1'])  # libcurl offers h2 first; say HTTP/1.1 outright
        return ctx

    def stop(self):
        """Cut every connection and stop serving; returns within about 2 s."""
        if self._server is None:
            return
        deadline = time.monotonic() + 2
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(max(0, deadline - time.monotonic()))
        self._drop_all()
        for t in self._server.close_connections():
            t.join(max(0, deadline - time.monotonic()))
        self._server = self._thread = None
        if self._own_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # -- client configuration --

    def write_kubeconfig(self, path, namespace=None, as_json=False):
        """A kubeconfig for this server with a token user. YAML by default; as_json=True writes
        the same document as JSON (also valid YAML) for clients that only parse JSON."""
        cluster = {'server': self.url}
        if self.tls:
            cluster['certificate-authority'] = self.ca_file
        context = {'cluster': 'standin', 'user': 'standin'}
        if namespace:
            context['namespace'] = namespace
        doc = {'apiVersion': 'v1', 'kind': 'Config',
               'clusters': [{'name': 'standin', 'cluster': cluster}],
               'users': [{'name': 'standin', 'user': {'token': self.token}}],
               'contexts': [{'name': 'standin', 'context': context}],
               'current-context': 'standin'}
        with open(path, 'w') as f:
            f.write(json.dumps(doc, indent=2) + '\n' if as_json else self._yaml(doc))
        return path

    @staticmethod
    def _yaml(doc):
        lines = [f'apiVersion: {doc["apiVersion"]}', f'kind: {doc["kind"]}']
        for section, inner in (('clusters', 'cluster'), ('users', 'user'),
                               ('contexts', 'context')):
            lines.append(f'{section}:')
            for entry in doc[section]:
                lines += [f'- name: {_yaml_scalar(entry["name"])}', f'  {inner}:']
                lines += [f'    {k}: {_yaml_scalar(v)}' for k, v in entry[inner].items()]
        lines.append(f'current-context: {_yaml_scalar(doc["current-context"])}')
        return '\n'.join(lines) + '\n'

    def write_incluster(self, dir, namespace='default'):
        """The service account files a pod sees; returns the environment that goes with them."""
        os.makedirs(dir, exist_ok=True)
        files = {'token': self.token, 'namespace': namespace}
        if self.tls:
            with open(self.ca_file) as f:
                files['ca.crt'] = f.read()
        for name, text in files.items():
            with open(os.path.join(dir, name), 'w') as f:
                f.write(text)
        return {'KUBERNETES_SERVICE_HOST': '127.0.0.1', 'KUBERNETES_SERVICE_PORT': str(self.port)}

    # -- store API for tests --

    def put(self, obj):
        """Create or replace obj; returns the stored copy (resourceVersion, uid, timestamp)."""
        res = self._resource_of(obj)
        new = copy.deepcopy(obj)
        new.setdefault('apiVersion', res.group_version)
        md = new.setdefault('metadata', {})
        with self._lock:
            objects = self._objects[res.kind]
            key = _key(new)
            prev = objects.get(key)
            self._rv += 1
            md['resourceVersion'] = str(self._rv)
            if prev is not None:
                md.setdefault('uid', prev['metadata']['uid'])
                md.setdefault('creationTimestamp', prev['metadata']['creationTimestamp'])
            md.setdefault('uid', str(uuid.uuid4()))
            md.setdefault('creationTimestamp', _now())
            objects[key] = new
            self._record(Change(self._rv, 'MODIFIED' if prev else 'ADDED', res.kind, key, new,
                                prev))
            return copy.deepcopy(new)

    def delete(self, kind, name, namespace=None):
        """Remove the object (KeyError if absent); watches get its last state as DELETED."""
        key = (namespace or '', name)
        with self._lock:
            prev = self._objects[kind].pop(key)
            self._rv += 1
            last = copy.deepcopy(prev)
            last['metadata']['resourceVersion'] = str(self._rv)
            self._record(Change(self._rv, 'DELETED', kind, key, last, prev))

    def get(self, kind, name, namespace=None):
        with self._lock:
            obj = self._objects[kind].get((namespace or '', name))
            return copy.deepcopy(obj)

    def rv(self):
        with self._lock:
            return self._rv

    def compact(self):
        """Forget the history so far, as etcd compaction does."""
        with self._lock:
            self._compacted = self._rv
            self._history.clear()

    def bookmark(self):
        with self._lock:
            for w in self._watches:
                if w.bookmarks:
                    w.queue.put(('bookmark', self._rv))

    def drop_watches(self, timeout=2):
        """Cut every open watch connection; returns once they are closed."""
        for w in self._drop_all():
            w.done.wait(timeout)

    def fail_next(self, n, status=500):
        with self._lock:
            self._failures = (n, status)

    def watch_count(self):
        with self._lock:
            return len(self._watches)

    @staticmethod
    def wait_for(predicate, timeout=5):
        """Poll predicate until it is truthy; returns its last value."""
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value or time.monotonic() >= deadline:
                return value
            time.sleep(0.02)

    # -- internals (called with the lock unless they take it) --

    @staticmethod
    def _resource_of(obj):
        res = BY_KIND.get(obj.get('kind'))
        if res is None:
            raise ValueError(f'kind not served: {obj.get("kind")!r}')
        if obj.get('apiVersion', res.group_version) != res.group_version:
            raise ValueError(f'{res.kind} is {res.group_version}, not {obj["apiVersion"]}')
        md = obj.get('metadata', {})
        if not md.get('name'):
            raise ValueError('metadata.name is required')
        if res.namespaced != bool(md.get('namespace')):
            raise ValueError(f'{res.kind} is {"" if res.namespaced else "not "}namespaced')
        return res

    def _record(self, ch):
        self._history.append(ch)
        for w in self._watches:
            if w.res.kind == ch.kind:
                w.queue.put(('change', ch))

    def _drop_all(self):
        with self._lock:
            watches = list(self._watches)
        for w in watches:
            w.queue.put(('drop', None))
        return watches

    def _log(self, method, path, query):
        with self._lock:
            self.requests.append((method, path, query))

    def _inject_failure(self):
        with self._lock:
            n, code = self._failures
            if n <= 0:
                return
            self._failures = (n - 1, code)
        raise ApiError(code, f'injected failure ({n - 1} more to come)')

    def _get_wire(self, res, name, namespace):
        obj = self.get(res.kind, name, namespace)
        if obj is None:
            raise ApiError(404, f'{res.plural} "{name}" not found',
                           details={'name': name, 'kind': res.plural})
        return obj

    def _list(self, res, namespace, query):
        matches = make_matcher(res, namespace, query)
        limit = _int_param(query, 'limit', 0)
        token = query.get('continue', '')
        with self._lock:
            if token:
                rv, start = decode_continue(token)
                objects = self._snapshot(res, rv)
            else:
                rv, start, objects = self._rv, None, self._objects[res.kind]
            items = [objects[k] for k in sorted(objects)
                     if (start is None or k > start) and matches(objects[k])]
        meta = {'resourceVersion': str(rv)}
        if 0 < limit < len(items):
            meta['continue'] = encode_continue(rv, _key(items[limit - 1]))
            meta['remainingItemCount'] = len(items) - limit
            items = items[:limit]
        if res.builtin:  # the real server leaves TypeMeta out of built-in list items
            items = [{k: v for k, v in o.items() if k not in ('kind', 'apiVersion')}
                     for o in items]
        return {'apiVersion': res.group_version, 'kind': res.kind + 'List', 'metadata': meta,
                'items': items}

    def _snapshot(self, res, rv):
        """The objects of res as they were at rv, undoing the history after it."""
        if rv < self._compacted:
            raise ApiError(410, 'The provided continue parameter is too old to display a '
                           'consistent list result. You can start a new list without the '
                           'continue parameter.', 'Expired')
        objects = dict(self._objects[res.kind])
        for ch in reversed(self._history):
            if ch.rv <= rv:
                break
            if ch.kind != res.kind:
                continue
            if ch.type == 'ADDED':
                objects.pop(ch.key, None)
            else:
                objects[ch.key] = ch.prev
        return objects

    def _open_watch(self, res, matches, since, bookmarks):
        watch = Watch(res, matches, bookmarks)
        with self._lock:
            if since in ('', '0'):
                objects = self._objects[res.kind]
                backlog = [Change(0, 'ADDED', res.kind, k, objects[k], None)
                           for k in sorted(objects)]
            else:
                rv = int(since)
                if rv < self._compacted:
                    raise Expired(f'too old resource version: {rv} ({self._compacted})')
                backlog = [ch for ch in self._history if ch.rv > rv and ch.kind == res.kind]
            for ch in backlog:
                watch.queue.put(('change', ch))
            self._watches.append(watch)
        return watch

    def _close_watch(self, watch):
        with self._lock:
            self._watches.remove(watch)
        watch.done.set()

    def _post_event(self, namespace, body):
        try:
            event = json.loads(body)
        except ValueError:
            raise ApiError(400, 'the request body is not JSON') from None
        if not isinstance(event, dict):
            raise ApiError(400, 'the request body is not an object')
        md = event.setdefault('metadata', {})
        if md.setdefault('namespace', namespace) != namespace:
            raise ApiError(400, 'the namespace of the provided object does not match the '
                           'namespace sent on the request')
        if not md.get('name'):
            if not md.get('generateName'):
                raise ApiError(422, 'Event is invalid: metadata.name: Required value: name or '
                               'generateName is required')
            md['name'] = md['generateName'] + secrets.token_hex(3)[:5]
        event.setdefault('apiVersion', 'v1')
        event.setdefault('kind', 'Event')
        with self._lock:
            self._rv += 1
            md.update(resourceVersion=str(self._rv), uid=str(uuid.uuid4()),
                      creationTimestamp=_now())
            self.events.append(event)
        return event
