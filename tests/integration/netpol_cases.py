"""The upstream Kubernetes e2e network policy tests, as data: policies and reachability tables.

Source: kubernetes/kubernetes test/e2e/network/netpol/ - network_policy.go (the It() cases),
model.go (the pods and their labels), reachability.go (the truth tables and their helpers),
test_helper.go (how a policy's policyTypes are filled in). Re-expressed here as data for vsw's
MultiNetworkPolicy support; no Go code is carried over.

The model (model.go): namespaces x, y, z, each labelled ns=<name> and
kubernetes.io/metadata.name=<name>; pods a, b, c in each, labelled pod=<name>; every pod serves
ports 80 and 81 on TCP, UDP and SCTP. Each of the 9 pods probes each other pod ("x/a -> y/b").
For vsw every pod is a VM port on network vlan2003 with the address pod_ip(ns, pod) (x/a the
VM under test), and the policies are MultiNetworkPolicies for that network (annotation
k8s.v1.cni.cncf.io/policy-for: vlan2003).

CASES is a list of dicts:
    name      unique slug
    upstream  the upstream It() text (for an extension: the one it is modelled on)
    policies  the complete set of MultiNetworkPolicy objects in force, as `kubectl get -o json`
              prints them (apiVersion k8s.cni.cncf.io/v1beta1). The API-server defaults are
              written out: every policy has policyTypes, every port has its protocol.
    probes    [{'proto': 'tcp'|'udp'|'sctp', 'port': 80|81, 'expect': EXPECT}, ...]
optional:
    context   the upstream Context when it is not the TCP one ('... using UDP' / '... using SCTP')
    then      [{'policies': [...], 'probes': [...]}, ...]: later steps of the same test. Each
              step's 'policies' is again the COMPLETE set in force after the step (a policy
              with an unchanged name but another spec is an update, one that is gone was
              deleted), and its probes are checked after the step.
    extension True when the case is not upstream (upstream has no endPort, Exists,
              DoesNotExist, ingress ipBlock or namespace-isolation test); 'upstream' then names
              the test it is modelled on.
    note      free text.

EXPECT, the reachability matrix of one probe:
    {'default': bool, 'rules': [(from_sel, to_sel, bool), ...]}
Start with every ordered pair (src, dst) of the 9 pods set to 'default', then apply the rules in
order, each setting every pair whose src matches from_sel and dst matches to_sel; a later rule
overrides an earlier one. A selector is '*' (any pod) or 'NS/POD' where NS and POD may each be
'*' ('x/*' is every pod in x, '*/b' pod b in every namespace). A pod to itself is always
reachable whatever the rules say: upstream ignores loopback (ignoreLoopback, see
kubernetes/kubernetes#95879) and it never crosses the switch. This is exactly upstream's
NewReachability(pods, default) followed by its calls in order:
    ExpectPeer(&Peer{Namespace: x}, &Peer{}, v)    ->  ('x/*', '*', v)
    ExpectAllIngress(x/a, v)                       ->  ('*', 'x/a', v)
    ExpectAllEgress(x/a, v)                        ->  ('x/a', '*', v)
    Expect(x/b, x/a, v)                            ->  ('x/b', 'x/a', v)
expected(probe, src, dst) evaluates it.

Upstream tables are for the full 9-pod model (the revisions before upstream trimmed each test to
the pods it needs: the trimmed tables are the same tables restricted to fewer pods). Where an
upstream table set a pod-to-itself pair (x/a -> x/a false in "PodSelector or NamespaceSelector")
the rule is dropped, as upstream ignores it. Upstream's ipBlock CIDRs come from the pods' IPs at
run time; here they are built from pod_ip(). Namespace selectors: upstream used the label ns=<name>
before it switched to kubernetes.io/metadata.name; both are used below (both are on every
namespace). Upstream egress policies built by policies.go also allow UDP/53 for DNS; the tests
ported here build their own policies without it, and none is added.

Ported (It() texts; TCP unless noted):
    should support a 'default-deny-ingress' policy                          (TCP, UDP, SCTP)
    should support a 'default-deny-all' policy
    should enforce policy to allow traffic from pods within server namespace based on PodSelector
    should enforce policy to allow ingress traffic for a target
    should enforce policy to allow ingress traffic from pods in all namespaces
    should enforce policy to allow traffic only from a different namespace, based on
        NamespaceSelector
    should enforce policy based on PodSelector with MatchExpressions
    should enforce policy based on NamespaceSelector with MatchExpressions
    should enforce policy based on PodSelector or NamespaceSelector
    should enforce policy based on PodSelector and NamespaceSelector
    should enforce policy based on Multiple PodSelectors and NamespaceSelectors
    should enforce policy based on any PodSelectors
    should enforce policy to allow traffic only from a pod in a different namespace based on
        PodSelector and NamespaceSelector                                   (TCP, UDP, SCTP)
    should enforce policy based on Ports                                    (TCP, UDP, SCTP)
    should enforce multiple, stacked policies with overlapping podSelectors (with 'then')
    should support allow-all policy
    should enforce updated policy                                           (with 'then')
    should deny ingress from pods on other namespaces
    should deny egress from pods based on PodSelector
    should deny egress from all pods in a namespace
    should work with Ingress, Egress specified together
    should support denying of egress traffic on the client side (even if the server explicitly
        allows this traffic)                          (policies in two namespaces)
    should enforce egress policy allowing traffic to a server in a different namespace based on
        PodSelector and NamespaceSelector
    should enforce ingress policy allowing any port traffic to a server on a specific protocol
    should enforce multiple ingress policies with ingress allow-all policy taking precedence
    should enforce multiple egress policies with egress allow-all policy taking precedence
    should stop enforcing policies after they are deleted                   (with 'then')
    should allow egress access to server in CIDR block
    should enforce except clause while egress access to server in CIDR block
    should ensure an IP overlapping both IPBlock.CIDR and IPBlock.Except is allowed (with 'then')
    should enforce policies to check ingress and egress policies can be controlled independently
        based on PodSelector                                                (with 'then')
    should not mistakenly treat 'protocol: SCTP' as 'protocol: TCP', even if the plugin doesn't
        support SCTP
    should properly isolate pods that are selected by a policy allowing SCTP, even if the plugin
        doesn't support SCTP
    should not allow access by TCP when a policy specifies only UDP
    should enforce policy to allow traffic based on NamespaceSelector with MatchLabels using
        default ns label
    should enforce policy based on NamespaceSelector with MatchExpressions using default ns label

Skipped:
    should allow ingress access on one named port            named ports: not supported by vsw
    should allow ingress access from namespace on one named port              (same)
    should allow egress access on one named port                              (same)
    should allow ingress access from updated namespace       changes namespace labels at run time
    should allow ingress access from updated pod             changes pod labels at run time
    should deny ingress access to updated pod                changes pod labels at run time
    network_legacy.go (the older server/client tests)         no truth tables, a different pod
        model; what they check about IPs and ports is covered by the cases above
    anything with Services, DNS or host networking            not IP/port semantics of a switch

Extensions (not upstream, 'extension': True): matchExpressions Exists and DoesNotExist, endPort
ranges on ingress and egress, ingress ipBlock with except, two policies whose ipBlocks overlap
(union), SCTP and UDP that are allowed (upstream only checks that they do not let TCP through),
namespace isolation with a default-false table. Their tables were worked out by hand and are
checked, like the upstream ones, against the reference evaluator in the self-check.

Run `python3 netpol_cases.py` to check that every case is well formed and that every table
agrees with an independent evaluation of its policies (reference(), a straightforward reading
of the NetworkPolicy API semantics).
"""

import ipaddress

NAMESPACES = ['x', 'y', 'z']
PODS = ['a', 'b', 'c']
NETWORK = 'vlan2003'
API_VERSION = 'k8s.cni.cncf.io/v1beta1'
KIND = 'MultiNetworkPolicy'
POLICY_FOR = 'k8s.v1.cni.cncf.io/policy-for'
NS_NAME_LABEL = 'kubernetes.io/metadata.name'
PROTOCOLS = ['tcp', 'udp', 'sctp']
PORTS = [80, 81]


def ns_labels(ns):
    """The labels on namespace ns."""
    return {'ns': ns, NS_NAME_LABEL: ns}


def pod_labels(ns, pod):
    """The labels on pod ns/pod."""
    return {'pod': pod}


def all_pods():
    """['x/a', 'x/b', ..., 'z/c']."""
    return [f'{ns}/{p}' for ns in NAMESPACES for p in PODS]


def pod_ip(ns, pod, family=4):
    """The address of pod ns/pod: 10.0.<ns index>.<pod index + 10> for IPv4,
    fd00::<ns index>:<pod index + 10> (hex, compressed: x/a is fd00::a, y/b fd00::1:b) for
    IPv6. `pod` may be 'ns/pod' with ns=None."""
    if ns is None:
        ns, pod = pod.split('/')
    n, p = NAMESPACES.index(ns), PODS.index(pod) + 10
    if family == 4:
        return f'10.0.{n}.{p}'
    if family == 6:
        return str(ipaddress.IPv6Address(f'fd00::{n:x}:{p:x}'))
    raise ValueError(f'family {family}: 4 or 6')


def ns_cidr(ns, family=4):
    """The prefix holding namespace ns's pods: 10.0.<ns index>.0/24, fd00::<ns index>:0/112."""
    n = NAMESPACES.index(ns)
    if family == 4:
        return f'10.0.{n}.0/24'
    return str(ipaddress.IPv6Network(f'fd00::{n:x}:0/112'))


def host_cidr(ns, pod, family=4):
    """pod_ip as a host prefix (/32, /128), as upstream builds it from a pod's status."""
    return f'{pod_ip(ns, pod, family)}/{32 if family == 4 else 128}'


def large_cidr(ns, pod, family=4):
    """The /4 around a pod's address: upstream's makeLargeCIDRForIP ("a large set of IPs around
    the pod"). 0.0.0.0/4 for the 10.0.0.0/16 pods."""
    return str(ipaddress.ip_network(f'{pod_ip(ns, pod, family)}/4', strict=False))


# ---------------------------------------------------------------------------- policy builders
# Small helpers that write out the JSON; CASES below holds only their (plain dict) results.

def _sel(labels=None, exprs=None):
    """A LabelSelector; no arguments is the empty selector {} (everything)."""
    s = {}
    if labels:
        s['matchLabels'] = dict(labels)
    if exprs:
        s['matchExpressions'] = list(exprs)
    return s


def _expr(key, op, *values):
    e = {'key': key, 'operator': op}
    if op in ('In', 'NotIn'):
        e['values'] = list(values)
    return e


def _port(port=None, proto='TCP', end=None):
    p = {'protocol': proto}
    if port is not None:
        p['port'] = port
    if end is not None:
        p['endPort'] = end
    return p


def _peer(pods=None, nss=None, cidr=None, except_=()):
    p = {}
    if pods is not None:
        p['podSelector'] = pods
    if nss is not None:
        p['namespaceSelector'] = nss
    if cidr is not None:
        p['ipBlock'] = {'cidr': cidr}
        if except_:
            p['ipBlock']['except'] = list(except_)
    return p


def _rule(peers=None, ports=None, key='from'):
    r = {}
    if ports:
        r['ports'] = list(ports)
    if peers:
        r[key] = list(peers)
    return r


def _in(peers=None, ports=None):
    return _rule(peers, ports, 'from')


def _out(peers=None, ports=None):
    return _rule(peers, ports, 'to')


def _np(name, ns, selector, ingress=None, egress=None, types=None):
    """A MultiNetworkPolicy. ingress/egress None leaves the field out; [] is "no rule" (deny).
    policyTypes default to what upstream's SetSpecIngressRules/SetSpecEgressRules set: Ingress
    when ingress is given, then Egress when egress is."""
    if types is None:
        types = (['Ingress'] if ingress is not None else []) + \
                (['Egress'] if egress is not None else [])
    spec = {'podSelector': selector}
    if ingress is not None:
        spec['ingress'] = ingress
    if egress is not None:
        spec['egress'] = egress
    spec['policyTypes'] = list(types)
    return {'apiVersion': API_VERSION, 'kind': KIND,
            'metadata': {'name': name, 'namespace': ns,
                         'annotations': {POLICY_FOR: NETWORK}},
            'spec': spec}


def _exp(*rules, default=True):
    return {'default': default, 'rules': list(rules)}


def _probe(proto, port, expect):
    return {'proto': proto, 'port': port, 'expect': expect}


POD_A = _sel({'pod': 'a'})
POD_B = _sel({'pod': 'b'})
ALL = _sel()
F, T = False, True

# policies used in more than one case
_DENY_INGRESS_X = _np('deny-ingress', 'x', ALL, ingress=[])
_DENY_ALL_X = _np('deny-all', 'x', ALL, ingress=[], egress=[])
_ALLOW_81_FROM_Y = _np('allow-client-a-via-ns-selector', 'x', POD_A, ingress=[
    _in([_peer(nss=_sel({'ns': 'y'}))], [_port(81)])])
_ALLOW_80_FROM_Y = _np('allow-client-a-via-ns-selector-80', 'x', POD_A, ingress=[
    _in([_peer(nss=_sel({'ns': 'y'}))], [_port(80)])])
_EGRESS_CIDR_EXCEPT_XB = _np('allow-client-a-via-cidr-egress-rule', 'x', POD_A, egress=[
    _out([_peer(cidr=large_cidr('x', 'b'), except_=[host_cidr('x', 'b')])])])

# tables used in more than one case
_ONLY_Y_TO_XA = _exp(('x/*', 'x/a', F), ('z/*', 'x/a', F))
_ONLY_YA_TO_XA = _exp(('*', 'x/a', F), ('y/a', 'x/a', T))
_ONLY_XB_TO_XA = _exp(('*', 'x/a', F), ('x/b', 'x/a', T))
_NOTHING_INTO_X = _exp(('*', 'x/*', F))
_NOTHING_INTO_XA = _exp(('*', 'x/a', F))
_ALLOW_ALL = _exp()
_PORT81_FROM_Y = _exp(('x/*', 'x/a', F), ('y/*', 'x/a', T), ('z/*', 'x/a', F))


def _proto_cases(proto):
    """The three cases upstream runs again with UDP and with SCTP."""
    p, P = proto, proto.upper()
    ctx = f'NetworkPolicy between server and client using {P}'
    return [
        {'name': f'{p}-default-deny-ingress',
         'upstream': "should support a 'default-deny-ingress' policy", 'context': ctx,
         'policies': [_np('deny-all', 'x', ALL, ingress=[])],
         'probes': [_probe(p, 80, _NOTHING_INTO_X)]},
        {'name': f'{p}-ports-81-from-ns-y',
         'upstream': 'should enforce policy based on Ports', 'context': ctx,
         'policies': [_np('allow-ingress-on-port-81-ns-x', 'x', POD_A, ingress=[
             _in([_peer(nss=_sel({NS_NAME_LABEL: 'y'}))], [_port(81, P)])])],
         'probes': [_probe(p, 81, _ONLY_Y_TO_XA)]},
        {'name': f'{p}-pod-a-in-ns-y',
         'upstream': 'should enforce policy to allow traffic only from a pod in a different '
                     'namespace based on PodSelector and NamespaceSelector', 'context': ctx,
         'policies': [_np('allow-ns-y-pod-a-via-namespace-pod-selector', 'x', POD_A, ingress=[
             _in([_peer(pods=_sel({'pod': 'a'}), nss=_sel({NS_NAME_LABEL: 'y'}))])])],
         'probes': [_probe(p, 80, _ONLY_YA_TO_XA)]},
    ]


CASES = [
    # ------------------------------------------------------------ default deny / allow all
    {'name': 'default-deny-ingress',
     'upstream': "should support a 'default-deny-ingress' policy",
     'policies': [_DENY_INGRESS_X],
     'probes': [_probe('tcp', 80, _NOTHING_INTO_X)]},

    {'name': 'default-deny-all',
     'upstream': "should support a 'default-deny-all' policy",
     'policies': [_DENY_ALL_X],
     'probes': [_probe('tcp', 80, _exp(('*', 'x/*', F), ('x/*', '*', F)))]},

    {'name': 'allow-all',
     'upstream': 'should support allow-all policy',
     'note': 'ingress: [{}] - one empty rule - allows everything, unlike ingress: []',
     'policies': [_np('allow-all', 'x', ALL, ingress=[{}])],
     'probes': [_probe('tcp', 80, _ALLOW_ALL), _probe('tcp', 81, _ALLOW_ALL)]},

    {'name': 'deny-ingress-from-other-namespaces',
     'upstream': 'should deny ingress from pods on other namespaces',
     'note': 'a peer with only an empty podSelector is every pod of the policy\'s namespace',
     'policies': [_np('deny-empty-policy', 'x', ALL, ingress=[_in([_peer(pods=ALL)])])],
     'probes': [_probe('tcp', 80, _exp(('y/*', 'x/*', F), ('z/*', 'x/*', F)))]},

    {'name': 'deny-egress-pod-a',
     'upstream': 'should deny egress from pods based on PodSelector',
     'policies': [_np('deny-egress-pod-a', 'x', POD_A, egress=[])],
     'probes': [_probe('tcp', 80, _exp(('x/a', '*', F)))]},

    {'name': 'deny-egress-namespace',
     'upstream': 'should deny egress from all pods in a namespace',
     'policies': [_np('deny-egress-ns-x', 'x', ALL, egress=[])],
     'probes': [_probe('tcp', 80, _exp(('x/*', '*', F)))]},

    # ------------------------------------------------------------ pod and namespace selectors
    {'name': 'podselector-same-namespace',
     'upstream': 'should enforce policy to allow traffic from pods within server namespace '
                 'based on PodSelector',
     'policies': [_np('x-a-allows-x-b', 'x', POD_A, ingress=[_in([_peer(pods=POD_B)])])],
     'probes': [_probe('tcp', 80, _ONLY_XB_TO_XA)]},

    {'name': 'ingress-for-target',
     'upstream': 'should enforce policy to allow ingress traffic for a target',
     'note': 'two policies on x/a: deny-all and allow-all-to-a; allow wins (union)',
     'policies': [
         _np('deny-all', 'x', ALL, ingress=[]),
         _np('allow-all-to-a', 'x', POD_A, ingress=[_in([_peer(pods=ALL, nss=ALL)])])],
     'probes': [_probe('tcp', 80, _exp(('*', 'x/a', T), ('*', 'x/b', F), ('*', 'x/c', F)))]},

    {'name': 'ingress-from-all-namespaces',
     'upstream': 'should enforce policy to allow ingress traffic from pods in all namespaces',
     'note': 'an empty namespaceSelector is every pod of every namespace',
     'policies': [_np('allow-from-another-ns', 'x', POD_A, ingress=[_in([_peer(nss=ALL)])])],
     'probes': [_probe('tcp', 80, _ALLOW_ALL)]},

    {'name': 'nsselector-matchlabels',
     'upstream': 'should enforce policy to allow traffic only from a different namespace, '
                 'based on NamespaceSelector',
     'policies': [_np('allow-client-a-via-ns-selector', 'x', POD_A, ingress=[
         _in([_peer(nss=_sel({'ns': 'y'}))])])],
     'probes': [_probe('tcp', 80, _ONLY_Y_TO_XA)]},

    {'name': 'podselector-matchexpressions-in',
     'upstream': 'should enforce policy based on PodSelector with MatchExpressions',
     'policies': [_np('x-a-allows-x-b', 'x', POD_A, ingress=[
         _in([_peer(pods=_sel(exprs=[_expr('pod', 'In', 'b')]))])])],
     'probes': [_probe('tcp', 80, _ONLY_XB_TO_XA)]},

    {'name': 'nsselector-matchexpressions-in',
     'upstream': 'should enforce policy based on NamespaceSelector with MatchExpressions',
     'policies': [_np('allow-ns-y-match-selector', 'x', POD_A, ingress=[
         _in([_peer(nss=_sel(exprs=[_expr('ns', 'In', 'y')]))])])],
     'probes': [_probe('tcp', 80, _ONLY_Y_TO_XA)]},

    {'name': 'podselector-or-nsselector',
     'upstream': 'should enforce policy based on PodSelector or NamespaceSelector',
     'note': 'two peers in one rule: OR. Upstream also sets x/a -> x/a false (loopback, '
             'ignored)',
     'policies': [_np('allow-ns-y-match-selector', 'x', POD_A, ingress=[
         _in([_peer(nss=_sel(exprs=[_expr('ns', 'NotIn', 'x')])),
              _peer(pods=POD_B)])])],
     'probes': [_probe('tcp', 80, _exp(('x/c', 'x/a', F)))]},

    {'name': 'podselector-and-nsselector',
     'upstream': 'should enforce policy based on PodSelector and NamespaceSelector',
     'note': 'both selectors in one peer: AND',
     'policies': [_np('allow-ns-y-podselector-and-nsselector', 'x', POD_A, ingress=[
         _in([_peer(pods=POD_B, nss=_sel(exprs=[_expr('ns', 'NotIn', 'x')]))])])],
     'probes': [_probe('tcp', 80, _exp(('*', 'x/a', F), ('y/b', 'x/a', T),
                                       ('z/b', 'x/a', T)))]},

    {'name': 'multiple-podselectors-and-nsselectors',
     'upstream': 'should enforce policy based on Multiple PodSelectors and NamespaceSelectors',
     'policies': [_np('allow-ns-y-z-pod-b-c', 'x', POD_A, ingress=[
         _in([_peer(pods=_sel(exprs=[_expr('pod', 'In', 'b', 'c')]),
                    nss=_sel(exprs=[_expr('ns', 'NotIn', 'x')]))])])],
     'probes': [_probe('tcp', 80, _exp(('x/*', 'x/a', F), ('y/a', 'x/a', F),
                                       ('z/a', 'x/a', F)))]},

    {'name': 'any-podselectors',
     'upstream': 'should enforce policy based on any PodSelectors',
     'policies': [_np('allow-ns-x-pod-b-c', 'x', POD_A, ingress=[
         _in([_peer(pods=POD_B), _peer(pods=_sel({'pod': 'c'}))])])],
     'probes': [_probe('tcp', 80, _exp(('*', 'x/a', F), ('x/b', 'x/a', T),
                                       ('x/c', 'x/a', T)))]},

    {'name': 'pod-a-in-ns-y',
     'upstream': 'should enforce policy to allow traffic only from a pod in a different '
                 'namespace based on PodSelector and NamespaceSelector',
     'policies': [_np('allow-ns-y-pod-a-via-namespace-pod-selector', 'x', POD_A, ingress=[
         _in([_peer(pods=POD_A, nss=_sel({'ns': 'y'}))])])],
     'probes': [_probe('tcp', 80, _ONLY_YA_TO_XA)]},

    {'name': 'nsselector-default-label',
     'upstream': 'should enforce policy to allow traffic based on NamespaceSelector with '
                 'MatchLabels using default ns label',
     'policies': [_np('allow-client-a-via-ns-selector-for-immutable-ns-label', 'x', POD_A,
                      ingress=[_in([_peer(nss=_sel({NS_NAME_LABEL: 'y'}))])])],
     'probes': [_probe('tcp', 80, _ONLY_Y_TO_XA)]},

    {'name': 'nsselector-default-label-notin-egress',
     'upstream': 'should enforce policy based on NamespaceSelector with MatchExpressions using '
                 'default ns label',
     'policies': [_np('allow-ns-y-match-selector-for-immutable-ns-label', 'x', POD_A, egress=[
         _out([_peer(nss=_sel(exprs=[_expr(NS_NAME_LABEL, 'NotIn', 'y')]))])])],
     'probes': [_probe('tcp', 80, _exp(('x/a', 'y/*', F)))]},

    # ------------------------------------------------------------ ports and protocols
    {'name': 'ports-81-from-ns-y',
     'upstream': 'should enforce policy based on Ports',
     'policies': [_ALLOW_81_FROM_Y],
     'probes': [_probe('tcp', 81, _PORT81_FROM_Y)]},

    {'name': 'stacked-policies',
     'upstream': 'should enforce multiple, stacked policies with overlapping podSelectors',
     'policies': [_ALLOW_81_FROM_Y],
     'probes': [_probe('tcp', 81, _PORT81_FROM_Y), _probe('tcp', 80, _NOTHING_INTO_XA)],
     'then': [{'policies': [_ALLOW_81_FROM_Y, _ALLOW_80_FROM_Y],
               'probes': [_probe('tcp', 80, _PORT81_FROM_Y)]}]},

    {'name': 'ingress-egress-together',
     'upstream': 'should work with Ingress, Egress specified together',
     'note': 'egress only to port 80 (any peer): x/a reaches nobody on 81',
     'policies': [_np('allow-client-a-via-pod-selector', 'x', POD_A,
                      ingress=[_in([_peer(pods=POD_B)])], egress=[_out(ports=[_port(80)])],
                      types=['Egress', 'Ingress'])],
     'probes': [_probe('tcp', 80, _ONLY_XB_TO_XA),
                _probe('tcp', 81, _exp(('*', 'x/a', F), ('x/a', '*', F), ('x/b', 'x/a', T)))]},

    {'name': 'ingress-by-protocol',
     'upstream': 'should enforce ingress policy allowing any port traffic to a server on a '
                 'specific protocol',
     'note': 'a port entry with a protocol and no port: every TCP port',
     'policies': [_np('allow-ingress-by-proto', 'x', POD_A, ingress=[_in(ports=[_port()])])],
     'probes': [_probe('tcp', 80, _ALLOW_ALL), _probe('udp', 80, _NOTHING_INTO_XA)]},

    {'name': 'ingress-allow-all-precedence',
     'upstream': 'should enforce multiple ingress policies with ingress allow-all policy '
                 'taking precedence',
     'policies': [_np('allow-ingress-port-80', 'x', ALL, ingress=[_in(ports=[_port(80)])])],
     'probes': [_probe('tcp', 81, _NOTHING_INTO_X)],
     'then': [{'policies': [_np('allow-ingress-port-80', 'x', ALL,
                                ingress=[_in(ports=[_port(80)])]),
                            _np('allow-ingress', 'x', ALL, ingress=[{}])],
               'probes': [_probe('tcp', 81, _ALLOW_ALL)]}]},

    {'name': 'egress-allow-all-precedence',
     'upstream': 'should enforce multiple egress policies with egress allow-all policy taking '
                 'precedence',
     'policies': [_np('allow-egress-port-80', 'x', ALL, egress=[_out(ports=[_port(80)])])],
     'probes': [_probe('tcp', 81, _exp(('x/*', '*', F)))],
     'then': [{'policies': [_np('allow-egress-port-80', 'x', ALL,
                                egress=[_out(ports=[_port(80)])]),
                            _np('allow-egress', 'x', ALL, egress=[{}])],
               'probes': [_probe('tcp', 81, _ALLOW_ALL)]}]},

    {'name': 'sctp-is-not-tcp',
     'upstream': "should not mistakenly treat 'protocol: SCTP' as 'protocol: TCP', even if the "
                 "plugin doesn't support SCTP",
     'policies': [_DENY_INGRESS_X,
                  _np('allow-only-sctp-ingress-on-port-81', 'x', POD_A,
                      ingress=[_in(ports=[_port(81, 'SCTP')])])],
     'probes': [_probe('tcp', 81, _NOTHING_INTO_X)]},

    {'name': 'sctp-policy-isolates',
     'upstream': 'should properly isolate pods that are selected by a policy allowing SCTP, '
                 "even if the plugin doesn't support SCTP",
     'policies': [_np('allow-only-sctp-ingress-on-port-80', 'x', POD_A,
                      ingress=[_in(ports=[_port(80, 'SCTP')])])],
     'probes': [_probe('tcp', 81, _NOTHING_INTO_XA)]},

    {'name': 'udp-is-not-tcp',
     'upstream': 'should not allow access by TCP when a policy specifies only UDP',
     'policies': [_np('allow-only-udp-ingress-on-port-81', 'x', POD_A,
                      ingress=[_in(ports=[_port(81, 'UDP')])])],
     'probes': [_probe('tcp', 81, _NOTHING_INTO_XA)]},

    # ------------------------------------------------------------ egress, several namespaces
    {'name': 'egress-denied-on-client-side',
     'upstream': 'should support denying of egress traffic on the client side (even if the '
                 'server explicitly allows this traffic)',
     'note': 'policies in x and y: traffic needs both the egress and the ingress side',
     'policies': [
         _np('allow-to-ns-y-pod-a', 'x', POD_A, egress=[
             _out([_peer(pods=POD_A, nss=_sel({NS_NAME_LABEL: 'y'}))])]),
         _np('allow-from-xa-on-ya-match-selector', 'y', POD_A, ingress=[
             _in([_peer(pods=POD_A, nss=_sel({NS_NAME_LABEL: 'x'}))])]),
         _np('allow-from-xa-on-yb-match-selector', 'y', POD_B, ingress=[
             _in([_peer(pods=POD_A, nss=_sel({NS_NAME_LABEL: 'x'}))])])],
     'probes': [_probe('tcp', 80, _exp(('x/a', '*', F), ('*', 'y/a', F), ('x/a', 'y/a', T),
                                       ('*', 'y/b', F)))]},

    {'name': 'egress-to-pod-a-in-ns-y',
     'upstream': 'should enforce egress policy allowing traffic to a server in a different '
                 'namespace based on PodSelector and NamespaceSelector',
     'policies': [_np('allow-to-ns-y-pod-a', 'x', POD_A, egress=[
         _out([_peer(pods=POD_A, nss=_sel({NS_NAME_LABEL: 'y'}))])])],
     'probes': [_probe('tcp', 80, _exp(('x/a', '*', F), ('x/a', 'y/a', T)))]},

    # ------------------------------------------------------------ ipBlock
    {'name': 'egress-to-cidr',
     'upstream': 'should allow egress access to server in CIDR block',
     'policies': [_np('allow-client-a-via-cidr-egress-rule', 'x', POD_A, egress=[
         _out([_peer(cidr=host_cidr('y', 'b'))])])],
     'probes': [_probe('tcp', 80, _exp(('x/a', '*', F), ('x/a', 'y/b', T)))]},

    {'name': 'egress-cidr-except',
     'upstream': 'should enforce except clause while egress access to server in CIDR block',
     'note': 'cidr is the /4 around x/b (all pods), except x/b/32',
     'policies': [_EGRESS_CIDR_EXCEPT_XB],
     'probes': [_probe('tcp', 80, _exp(('x/a', 'x/b', F)))]},

    {'name': 'egress-cidr-except-then-host',
     'upstream': 'should ensure an IP overlapping both IPBlock.CIDR and IPBlock.Except is '
                 'allowed',
     'note': 'upstream UPDATES the policy (same name) to allow only x/b/32, so after the step '
             'x/a reaches x/b and nothing else; see ext-ipblock-overlap-union for two policies',
     'policies': [_EGRESS_CIDR_EXCEPT_XB],
     'probes': [_probe('tcp', 80, _exp(('x/a', 'x/b', F)))],
     'then': [{'policies': [_np('allow-client-a-via-cidr-egress-rule', 'x', POD_A, egress=[
                   _out([_peer(cidr=host_cidr('x', 'b'))])])],
               'probes': [_probe('tcp', 80, _exp(('x/a', '*', F), ('x/a', 'x/b', T)))]}]},

    # ------------------------------------------------------------ changes over time
    {'name': 'updated-policy',
     'upstream': 'should enforce updated policy',
     'note': 'the same policy updated from ingress: [{}] (allow all) to ingress: [] (deny all)',
     'policies': [_np('allow-all-mutate-to-deny-all', 'x', ALL, ingress=[{}])],
     'probes': [_probe('tcp', 81, _ALLOW_ALL)],
     'then': [{'policies': [_np('allow-all-mutate-to-deny-all', 'x', ALL, ingress=[])],
               'probes': [_probe('tcp', 81, _NOTHING_INTO_X)]}]},

    {'name': 'deleted-policy',
     'upstream': 'should stop enforcing policies after they are deleted',
     'policies': [_DENY_ALL_X],
     'probes': [_probe('tcp', 80, _exp(('x/*', '*', F), ('*', 'x/*', F)))],
     'then': [{'policies': [], 'probes': [_probe('tcp', 80, _ALLOW_ALL)]}]},

    {'name': 'ingress-egress-independent',
     'upstream': 'should enforce policies to check ingress and egress policies can be '
                 'controlled independently based on PodSelector',
     'policies': [_np('allow-egress-for-target', 'x', POD_A, egress=[{}])],
     'probes': [_probe('tcp', 80, _ALLOW_ALL)],
     'then': [{'policies': [_np('allow-egress-for-target', 'x', POD_A, egress=[{}]),
                            _np('deny-ingress-via-label-selector', 'x', POD_A, ingress=[])],
               'probes': [_probe('tcp', 80, _NOTHING_INTO_XA)]}]},
]

CASES += _proto_cases('udp') + _proto_cases('sctp')

# ---------------------------------------------------------------------------- extensions
CASES += [
    {'name': 'ext-podselector-exists', 'extension': True,
     'upstream': 'should enforce policy based on PodSelector with MatchExpressions',
     'note': "Exists on 'pod': every pod of x (the policy's namespace)",
     'policies': [_np('x-a-allows-pods-with-pod-label', 'x', POD_A, ingress=[
         _in([_peer(pods=_sel(exprs=[_expr('pod', 'Exists')]))])])],
     'probes': [_probe('tcp', 80, _exp(('*', 'x/a', F), ('x/*', 'x/a', T)))]},

    {'name': 'ext-doesnotexist-and-notin', 'extension': True,
     'upstream': 'should enforce policy based on Multiple PodSelectors and NamespaceSelectors',
     'note': "no namespace has label 'team', so DoesNotExist selects them all; pods b and c",
     'policies': [_np('x-a-allows-b-c-everywhere', 'x', POD_A, ingress=[
         _in([_peer(pods=_sel(exprs=[_expr('pod', 'NotIn', 'a')]),
                    nss=_sel(exprs=[_expr('team', 'DoesNotExist')]))])])],
     'probes': [_probe('tcp', 80, _exp(('*', 'x/a', F), ('*/b', 'x/a', T),
                                       ('*/c', 'x/a', T)))]},

    {'name': 'ext-podselector-doesnotexist-egress', 'extension': True,
     'upstream': 'should deny egress from pods based on PodSelector',
     'note': "every pod has label 'pod': DoesNotExist selects no peer, x/b reaches nobody",
     'policies': [_np('x-b-egress-to-unlabelled', 'x', POD_B, egress=[
         _out([_peer(pods=_sel(exprs=[_expr('pod', 'DoesNotExist')]), nss=ALL)])])],
     'probes': [_probe('tcp', 80, _exp(('x/b', '*', F)))]},

    {'name': 'ext-endport-ingress', 'extension': True,
     'upstream': 'should enforce policy based on Ports',
     'note': 'TCP 80..81 from namespace y',
     'policies': [_np('allow-80-81-from-y', 'x', POD_A, ingress=[
         _in([_peer(nss=_sel({'ns': 'y'}))], [_port(80, end=81)])])],
     'probes': [_probe('tcp', 80, _PORT81_FROM_Y), _probe('tcp', 81, _PORT81_FROM_Y),
                _probe('udp', 80, _NOTHING_INTO_XA)]},

    {'name': 'ext-endport-egress', 'extension': True,
     'upstream': 'should enforce multiple egress policies with egress allow-all policy taking '
                 'precedence',
     'note': 'egress from x/a only to TCP 81..90',
     'policies': [_np('allow-egress-81-90', 'x', POD_A, egress=[
         _out(ports=[_port(81, end=90)])])],
     'probes': [_probe('tcp', 80, _exp(('x/a', '*', F))), _probe('tcp', 81, _ALLOW_ALL),
                _probe('udp', 81, _exp(('x/a', '*', F)))]},

    {'name': 'ext-ingress-ipblock-except', 'extension': True,
     'upstream': 'should enforce except clause while egress access to server in CIDR block',
     'note': "ingress from namespace y's /24 except y/b",
     'policies': [_np('allow-from-y-cidr-but-b', 'x', POD_A, ingress=[
         _in([_peer(cidr=ns_cidr('y'), except_=[host_cidr('y', 'b')])])])],
     'probes': [_probe('tcp', 80, _exp(('*', 'x/a', F), ('y/a', 'x/a', T),
                                       ('y/c', 'x/a', T)))]},

    {'name': 'ext-ipblock-overlap-union', 'extension': True,
     'upstream': 'should ensure an IP overlapping both IPBlock.CIDR and IPBlock.Except is '
                 'allowed',
     'note': "two policies: x's /24 except x/b, and x/b/32; together x/a reaches all of x",
     'policies': [
         _np('allow-x-cidr-but-b', 'x', POD_A, egress=[
             _out([_peer(cidr=ns_cidr('x'), except_=[host_cidr('x', 'b')])])]),
         _np('allow-x-b', 'x', POD_A, egress=[_out([_peer(cidr=host_cidr('x', 'b'))])])],
     'probes': [_probe('tcp', 80, _exp(('x/a', '*', F), ('x/a', 'x/*', T)))]},

    {'name': 'ext-sctp-allowed', 'extension': True,
     'upstream': "should not mistakenly treat 'protocol: SCTP' as 'protocol: TCP', even if the "
                 "plugin doesn't support SCTP",
     'note': 'the same policies, probed with SCTP too: SCTP/81 reaches x/a',
     'policies': [_DENY_INGRESS_X,
                  _np('allow-only-sctp-ingress-on-port-81', 'x', POD_A,
                      ingress=[_in(ports=[_port(81, 'SCTP')])])],
     'probes': [_probe('sctp', 81, _exp(('*', 'x/*', F), ('*', 'x/a', T))),
                _probe('sctp', 80, _NOTHING_INTO_X), _probe('tcp', 81, _NOTHING_INTO_X)]},

    {'name': 'ext-udp-egress', 'extension': True,
     'upstream': 'should enforce ingress policy allowing any port traffic to a server on a '
                 'specific protocol',
     'note': 'egress from x/a only UDP/80',
     'policies': [_np('allow-egress-udp-80', 'x', POD_A, egress=[
         _out(ports=[_port(80, 'UDP')])])],
     'probes': [_probe('udp', 80, _ALLOW_ALL), _probe('tcp', 80, _exp(('x/a', '*', F))),
                _probe('udp', 81, _exp(('x/a', '*', F)))]},

    {'name': 'ext-namespace-isolation', 'extension': True,
     'upstream': 'should deny ingress from pods on other namespaces',
     'note': 'the same policy in all three namespaces: only traffic within a namespace',
     'policies': [_np('deny-empty-policy', ns, ALL, ingress=[_in([_peer(pods=ALL)])])
                  for ns in NAMESPACES],
     'probes': [_probe('tcp', 80, _exp(('x/*', 'x/*', T), ('y/*', 'y/*', T),
                                       ('z/*', 'z/*', T), default=F))]},
]


# ---------------------------------------------------------------------------- evaluation

def _sel_matches_pod(sel, pod):
    """Whether selector string sel ('*', 'ns/pod', 'ns/*', '*/pod') matches pod 'ns/pod'."""
    if sel == '*':
        return True
    sns, spod = sel.split('/')
    ns, p = pod.split('/')
    return sns in ('*', ns) and spod in ('*', p)


def expected(probe, src, dst):
    """Whether src ('x/a') reaches dst under probe's EXPECT (see the module docstring)."""
    if src == dst:
        return True
    e = probe['expect']
    v = e['default']
    for frm, to, val in e['rules']:
        if _sel_matches_pod(frm, src) and _sel_matches_pod(to, dst):
            v = val
    return v


def matrix(probe):
    """{(src, dst): bool} over all 81 ordered pairs."""
    return {(s, d): expected(probe, s, d) for s in all_pods() for d in all_pods()}


def steps(case):
    """[(policies, probes), ...]: the case's first state and each 'then' step."""
    return [(case['policies'], case['probes'])] + \
        [(st['policies'], st['probes']) for st in case.get('then', [])]


def _label_match(selector, labels):
    for k, v in selector.get('matchLabels', {}).items():
        if labels.get(k) != v:
            return False
    for e in selector.get('matchExpressions', []):
        k, op = e['key'], e['operator']
        if op == 'In' and labels.get(k) not in e['values']:
            return False
        if op == 'NotIn' and k in labels and labels[k] in e['values']:
            return False
        if op == 'Exists' and k not in labels:
            return False
        if op == 'DoesNotExist' and k in labels:
            return False
    return True


def _peer_matches(peer, policy_ns, pod):
    ns, name = pod.split('/')
    if 'ipBlock' in peer:
        ip = ipaddress.ip_address(pod_ip(ns, name))
        b = peer['ipBlock']
        return ip in ipaddress.ip_network(b['cidr']) and \
            not any(ip in ipaddress.ip_network(x) for x in b.get('except', []))
    if 'namespaceSelector' in peer:
        if not _label_match(peer['namespaceSelector'], ns_labels(ns)):
            return False
    elif ns != policy_ns:
        return False
    return _label_match(peer.get('podSelector', {}), pod_labels(ns, name))


def _port_matches(ports, proto, port):
    if not ports:
        return True
    for p in ports:
        if p.get('protocol', 'TCP').lower() != proto:
            continue
        if 'port' not in p or p['port'] <= port <= p.get('endPort', p['port']):
            return True
    return False


def _direction_allows(policies, pod, peer, proto, port, ptype, rules_key, peers_key):
    ns, name = pod.split('/')
    selecting = [p for p in policies
                 if p['metadata']['namespace'] == ns and ptype in p['spec']['policyTypes']
                 and _label_match(p['spec']['podSelector'], pod_labels(ns, name))]
    if not selecting:
        return True  # not isolated in this direction
    for p in selecting:
        for r in p['spec'].get(rules_key, []):
            if not _port_matches(r.get('ports'), proto, port):
                continue
            peers = r.get(peers_key)
            if not peers or any(_peer_matches(x, ns, peer) for x in peers):
                return True
    return False


def reference(policies, proto, port, src, dst):
    """Independent evaluation of the NetworkPolicy semantics for this model: src reaches dst
    if src's egress policies (if any select it) allow dst and dst's ingress policies (if any
    select it) allow src, on this protocol and port. Pod to itself: always."""
    if src == dst:
        return True
    return (_direction_allows(policies, src, dst, proto, port, 'Egress', 'egress', 'to') and
            _direction_allows(policies, dst, src, proto, port, 'Ingress', 'ingress', 'from'))


# ---------------------------------------------------------------------------- self-check

def _check_selector_syntax(sel, what):
    assert isinstance(sel, dict), what
    assert set(sel) <= {'matchLabels', 'matchExpressions'}, what
    for e in sel.get('matchExpressions', []):
        assert e['operator'] in ('In', 'NotIn', 'Exists', 'DoesNotExist'), what
        assert ('values' in e) == (e['operator'] in ('In', 'NotIn')), what


def _check_policy(p, what):
    assert p['apiVersion'] == API_VERSION and p['kind'] == KIND, what
    md, spec = p['metadata'], p['spec']
    assert md['name'] and md['namespace'] in NAMESPACES, what
    assert md['annotations'] == {POLICY_FOR: NETWORK}, what
    assert set(spec) <= {'podSelector', 'ingress', 'egress', 'policyTypes'}, what
    _check_selector_syntax(spec['podSelector'], what)
    assert spec['policyTypes'] and set(spec['policyTypes']) <= {'Ingress', 'Egress'}, what
    for key, peers_key, ptype in (('ingress', 'from', 'Ingress'), ('egress', 'to', 'Egress')):
        if key in spec:
            assert ptype in spec['policyTypes'], what
        for r in spec.get(key, []):
            assert set(r) <= {'ports', peers_key}, what
            for port in r.get('ports', []):
                assert port['protocol'] in ('TCP', 'UDP', 'SCTP'), what
                assert isinstance(port.get('port', 0), int), f'{what}: named port'
                if 'endPort' in port:
                    assert port['endPort'] >= port['port'], what
            for peer in r.get(peers_key, []):
                assert peer and set(peer) <= {'podSelector', 'namespaceSelector', 'ipBlock'}, what
                assert 'ipBlock' not in peer or len(peer) == 1, what
                for k in ('podSelector', 'namespaceSelector'):
                    if k in peer:
                        _check_selector_syntax(peer[k], what)
                if 'ipBlock' in peer:
                    net = ipaddress.ip_network(peer['ipBlock']['cidr'])
                    for x in peer['ipBlock'].get('except', []):
                        assert ipaddress.ip_network(x).subnet_of(net), what


def _check_pod_selector(sel, what):
    if sel == '*':
        return
    ns, pod = sel.split('/')
    assert ns in NAMESPACES + ['*'] and pod in PODS + ['*'], f'{what}: selector {sel!r}'


def _selfcheck():
    names = [c['name'] for c in CASES]
    assert len(names) == len(set(names)), 'case names not unique'
    n_probes = 0
    for c in CASES:
        name = c['name']
        assert set(c) <= {'name', 'upstream', 'policies', 'probes', 'context', 'then',
                          'extension', 'note'}, name
        assert c['upstream'] and isinstance(c['upstream'], str), name
        for i, (policies, probes) in enumerate(steps(c)):
            what = f'{name} step {i}'
            keys = [(p['metadata']['namespace'], p['metadata']['name']) for p in policies]
            assert len(keys) == len(set(keys)), f'{what}: policy names not unique'
            for p in policies:
                _check_policy(p, what)
            assert probes, what
            for pr in probes:
                n_probes += 1
                assert pr['proto'] in PROTOCOLS and pr['port'] in PORTS, what
                e = pr['expect']
                assert set(e) == {'default', 'rules'} and isinstance(e['default'], bool), what
                for frm, to, val in e['rules']:
                    _check_pod_selector(frm, what)
                    _check_pod_selector(to, what)
                    assert isinstance(val, bool), what
                # the table agrees with the policies
                wrong = [(s, d, expected(pr, s, d))
                         for s in all_pods() for d in all_pods()
                         if expected(pr, s, d) != reference(policies, pr['proto'], pr['port'],
                                                            s, d)]
                assert not wrong, f'{what} {pr["proto"]}/{pr["port"]}: table says {wrong}'
    assert pod_ip('x', 'a') == '10.0.0.10' and pod_ip('z', 'c') == '10.0.2.12'
    assert pod_ip('x', 'a', 6) == 'fd00::a' and pod_ip('y', 'b', 6) == 'fd00::1:b'
    assert pod_ip(None, 'z/c') == '10.0.2.12' and ns_cidr('y', 6) == 'fd00::1:0/112'
    assert large_cidr('x', 'b') == '0.0.0.0/4'
    assert len({pod_ip(*p.split('/'), f) for p in all_pods() for f in (4, 6)}) == 18
    n_up = sum(1 for c in CASES if not c.get('extension'))
    print(f'netpol_cases.py ok: {len(CASES)} cases ({n_up} upstream, {len(CASES) - n_up} '
          f'extensions), {n_probes} probes, every table matches the reference evaluation')


if __name__ == '__main__':
    _selfcheck()
