/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Compiling checked policies plus the port inventory into flat ACL entries (policy.h). Pure.
 *
 * Who a policy selects: VM ports with a namespace, in access mode, on one of the policy's
 * networks (MultiNetworkPolicy: its policy-for networks; an admin policy without the
 * annotation: every network). Selector peers resolve to the addresses of the matching ports
 * on the selected port's own network, so two tenants reusing a subnet on two VLANs never see
 * each other's addresses. Every rule becomes (remote prefix x destination port range) entries
 * per selected port; ipBlock except blocks are subtracted from the cidr here, so rte_acl only
 * ever sees positive prefixes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vs_types.h"
#include "control/model/err.h"
#include "control/model/netpol_cfg.h"
#include "control/model/policy.h"
#include "control/model/port_cfg.h"
#include "control/model/prefix.h"
#include "dataplane/policy/policy_dp.h"

/* Remote prefixes of one peer list: what the checker lets its ipBlocks / networks expand to,
 * plus every pod address once (selector peers add a port's addresses once per list), plus
 * "any" twice: a checked policy never runs out. */
#define MAX_PREFIXES (VS_POLICY_PEER_PREFIXES_MAX + VS_MAX_PORTS * VS_PORT_IPS_MAX + 2)
#define MAX_PORTSPECS VS_POLICY_PORTS_MAX

struct portspec {
	uint8_t proto;
	uint16_t lo, hi;
};

/* ------------------------------------------------------------------ selectors */

static bool expr_match(const json_t *x, const struct vs_labels *labels)
{
	const char *key = json_string_value(json_object_get(x, "key"));
	const char *op = json_string_value(json_object_get(x, "operator"));
	const char *have = vs_labels_get(labels, key);
	json_t *vals = json_object_get(x, "values");

	if (strcmp(op, "Exists") == 0)
		return have != NULL;
	if (strcmp(op, "DoesNotExist") == 0)
		return have == NULL;
	bool in = false;
	size_t i;
	json_t *v;
	json_array_foreach(vals, i, v)
		if (have != NULL && strcmp(json_string_value(v), have) == 0)
			in = true;
	return strcmp(op, "In") == 0 ? in : !in;	/* NotIn: also when the label is missing */
}

bool vs_selector_match(const json_t *sel, const struct vs_labels *labels)
{
	const char *k;
	json_t *v;
	size_t i;

	if (sel == NULL)
		return false;
	json_t *ml = json_object_get(sel, "matchLabels");
	if (json_is_object(ml))
		json_object_foreach(ml, k, v) {
			const char *have = vs_labels_get(labels, k);
			if (have == NULL || strcmp(have, json_string_value(v)) != 0)
				return false;
		}
	json_t *me = json_object_get(sel, "matchExpressions");
	if (json_is_array(me))
		json_array_foreach(me, i, v)
			if (!expr_match(v, labels))
				return false;
	return true;
}

/* A namespace's labels: its namespace.set labels plus the kubernetes.io/metadata.name label
 * Kubernetes puts on every namespace. */
static void ns_labels(const struct vs_inventory *inv, const char *ns, struct vs_labels *out)
{
	memset(out, 0, sizeof(*out));
	for (unsigned int i = 0; i < inv->n_ns; i++)
		if (strcmp(inv->ns[i].name, ns) == 0)
			*out = inv->ns[i].labels;
	/* vs_labels has room for this one more label than a user may set */
	if (vs_labels_get(out, "kubernetes.io/metadata.name") == NULL) {
		snprintf(out->l[out->n].key, VS_LABEL_KEY_MAX, "kubernetes.io/metadata.name");
		snprintf(out->l[out->n].val, VS_LABEL_VAL_MAX, "%s", ns);
		out->n++;
	}
}

/* ------------------------------------------------------------------ compile state */

struct ctx {
	const struct vs_inventory *inv;
	struct vs_compiled *out;
	struct vs_prefix *pfx;	/* scratch: remote prefixes of the rule being compiled */
	unsigned int n_pfx;
	bool pod_added[VS_MAX_PORTS];	/* inventory index: its addresses are in pfx */
	struct portspec ps[MAX_PORTSPECS];
	unsigned int n_ps;
	struct vs_err *e;
};

static bool port_is_pod(const struct vs_port_cfg *c)
{
	return c->np.ns[0] != '\0' && c->type == VS_PORT_VHOST && c->mode == VS_MODE_ACCESS;
}

/* A MultiNetworkPolicy's namespace ("default" when unset); NULL for the cluster-scoped kinds. */
static const char *pol_namespace(const json_t *pol)
{
	int kind = vs_policy_kind_parse(json_string_value(json_object_get(pol, "kind")));
	const char *ns = json_string_value(json_object_get(json_object_get(pol, "metadata"),
							   "namespace"));
	return kind != VS_POL_NP ? NULL : ns != NULL ? ns : "default";
}

/* Whether the policy covers VLAN vid: its policy-for networks, or all when it has none. */
static bool policy_on_vlan(const json_t *pol, const struct vs_inventory *inv, uint16_t vid)
{
	json_t *an = json_object_get(json_object_get(pol, "metadata"), "annotations");
	const char *s = json_string_value(json_object_get(an, VS_POLICY_FOR));
	const char *name;
	size_t nlen;
	if (s == NULL)
		return true;
	const char *ns = pol_namespace(pol);
	while ((s = vs_policy_for_next(s, &name, &nlen)) != NULL) {
		int i = vs_network_resolve(inv->nets, inv->n_nets, name, nlen, ns);
		if (i >= 0 && inv->nets[i].vlan == vid)
			return true;
	}
	return false;
}

static int add_prefix(struct ctx *c, const struct vs_prefix *p)
{
	if (c->n_pfx >= MAX_PREFIXES)
		return vs_err_set(c->e, E2BIG, NULL, "a rule's peers expand to more than %d prefixes",
				  MAX_PREFIXES);
	c->pfx[c->n_pfx++] = *p;
	return 0;
}

static int add_any(struct ctx *c)
{
	struct vs_prefix any4 = { .family = 4 }, any6 = { .family = 6 };
	int rc = add_prefix(c, &any4);
	return rc < 0 ? rc : add_prefix(c, &any6);
}

/* Whether pod pc is in namespace ns (ns_sel NULL) or one whose labels match ns_sel, and its
 * labels match pod_sel (NULL: any). */
static bool pod_matches(const struct vs_inventory *inv, const struct vs_port_cfg *pc,
			const json_t *ns_sel, const char *ns, const json_t *pod_sel)
{
	if (ns_sel == NULL && (ns == NULL || strcmp(pc->np.ns, ns) != 0))
		return false;
	if (ns_sel != NULL) {
		struct vs_labels l;
		ns_labels(inv, pc->np.ns, &l);
		if (!vs_selector_match(ns_sel, &l))
			return false;
	}
	return pod_sel == NULL || vs_selector_match(pod_sel, &pc->np.labels);
}

/* The addresses of every pod port on vlan whose namespace matches ns_sel (NULL: exactly
 * namespace ns) and whose labels match pod_sel (NULL: any). */
static int add_pods(struct ctx *c, uint16_t vlan, const json_t *ns_sel, const char *ns,
		    const json_t *pod_sel)
{
	for (unsigned int i = 0; i < c->inv->n_ports; i++) {
		const struct vs_port_cfg *pc = c->inv->ports[i].cfg;
		if (!port_is_pod(pc) || pc->vlan != vlan ||
		    !pod_matches(c->inv, pc, ns_sel, ns, pod_sel))
			continue;
		if (c->pod_added[i])
			continue;	/* another peer of the list matched it: nothing to add */
		c->pod_added[i] = true;
		for (uint8_t k = 0; k < pc->np.n_ips; k++) {
			struct vs_prefix p = { .family = pc->np.ips[k].family,
					       .plen = pc->np.ips[k].family == 4 ? 32 : 128 };
			memcpy(p.addr, pc->np.ips[k].addr, 16);
			int rc = add_prefix(c, &p);
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

static int add_cidr(struct ctx *c, const json_t *cidr, const json_t *except)
{
	struct vs_prefix p;
	unsigned int n_ex = 0;
	size_t i;
	json_t *v;

	vs_prefix_parse(json_string_value(cidr), &p);	/* checked */
	/* every except block counts: dropping one would widen the policy */
	struct vs_prefix *ex = malloc(sizeof(*ex) * (json_array_size(except) + 1));
	if (ex == NULL)
		return vs_err_set(c->e, ENOMEM, NULL, "out of memory compiling policies");
	json_array_foreach(except, i, v)
		if (vs_prefix_parse(json_string_value(v), &ex[n_ex]) == 0)
			n_ex++;
	int n = vs_prefix_subtract(&p, ex, n_ex, c->pfx + c->n_pfx, MAX_PREFIXES - c->n_pfx);
	free(ex);
	if (n < 0)
		return vs_err_set(c->e, E2BIG, NULL, "ipBlock %s: a rule's peers expand to more "
				  "than %d prefixes", json_string_value(cidr), MAX_PREFIXES);
	c->n_pfx += (unsigned int)n;
	return 0;
}

/* NetworkPolicyPeer list; missing or empty: everything. */
static int np_peers(struct ctx *c, const json_t *peers, uint16_t vlan, const char *ns)
{
	size_t i;
	json_t *p;
	int rc = 0;

	if (json_array_size(peers) == 0)
		return add_any(c);
	json_array_foreach(peers, i, p) {
		json_t *ib = json_object_get(p, "ipBlock");
		if (ib != NULL)
			rc = add_cidr(c, json_object_get(ib, "cidr"), json_object_get(ib, "except"));
		else
			/* podSelector alone: the policy's namespace; namespaceSelector alone:
			 * every pod of the matching namespaces */
			rc = add_pods(c, vlan, json_object_get(p, "namespaceSelector"), ns,
				      json_object_get(p, "podSelector"));
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* AdminNetworkPolicy peers: namespaces, pods, networks. */
static int anp_peers(struct ctx *c, const json_t *peers, uint16_t vlan)
{
	size_t i;
	json_t *p, *v;
	int rc = 0;

	json_array_foreach(peers, i, p) {
		if ((v = json_object_get(p, "namespaces")) != NULL) {
			rc = add_pods(c, vlan, v, NULL, NULL);
		} else if ((v = json_object_get(p, "pods")) != NULL) {
			rc = add_pods(c, vlan, json_object_get(v, "namespaceSelector"), NULL,
				      json_object_get(v, "podSelector"));
		} else {
			size_t j;
			json_t *n;
			json_array_foreach(json_object_get(p, "networks"), j, n)
				if ((rc = add_cidr(c, n, NULL)) < 0)
					return rc;
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}

static uint8_t proto_num(const json_t *o)
{
	const char *p = json_string_value(json_object_get(o, "protocol"));
	if (p == NULL || strcmp(p, "TCP") == 0)
		return 6;
	return strcmp(p, "UDP") == 0 ? 17 : 132;
}

static void add_ps(struct ctx *c, uint8_t proto, json_int_t lo, json_int_t hi)
{
	if (c->n_ps < MAX_PORTSPECS)
		c->ps[c->n_ps++] = (struct portspec){ proto, (uint16_t)lo, (uint16_t)hi };
}

/* NetworkPolicyPort list; missing or empty: every protocol and port. A port without a
 * number: every port of that protocol. */
static void np_ports(struct ctx *c, const json_t *ports)
{
	size_t i;
	json_t *p;
	c->n_ps = 0;
	if (json_array_size(ports) == 0) {
		add_ps(c, 0, 0, 65535);
		return;
	}
	json_array_foreach(ports, i, p) {
		json_t *port = json_object_get(p, "port"), *end = json_object_get(p, "endPort");
		json_int_t lo = port ? json_integer_value(port) : 0;
		json_int_t hi = end ? json_integer_value(end) : port ? lo : 65535;
		add_ps(c, proto_num(p), lo, hi);
	}
}

static void anp_ports(struct ctx *c, const json_t *ports)
{
	size_t i;
	json_t *p, *v;
	c->n_ps = 0;
	if (json_array_size(ports) == 0) {
		add_ps(c, 0, 0, 65535);
		return;
	}
	json_array_foreach(ports, i, p) {
		if ((v = json_object_get(p, "portNumber")) != NULL) {
			json_int_t n = json_integer_value(json_object_get(v, "port"));
			add_ps(c, proto_num(v), n, n);
		} else if ((v = json_object_get(p, "portRange")) != NULL) {
			add_ps(c, proto_num(v), json_integer_value(json_object_get(v, "start")),
			       json_integer_value(json_object_get(v, "end")));
		}
	}
}

static int grow(void **p, uint32_t *cap, uint32_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	uint32_t n = *cap ? *cap : 256;
	while (n < need)
		n *= 2;
	void *q = realloc(*p, (size_t)n * elem);
	if (q == NULL)
		return -ENOMEM;
	*p = q;
	*cap = n;
	return 0;
}

static int add_info(struct ctx *c, uint32_t pol, uint16_t rule, uint8_t dir, uint8_t tier,
		    uint8_t action, uint32_t *idx)
{
	struct vs_compiled *o = c->out;
	if (grow((void **)&o->infos, &o->cap_infos, o->n_infos + 1, sizeof(*o->infos)) < 0)
		return vs_err_set(c->e, ENOMEM, NULL, "out of memory compiling policies");
	o->infos[o->n_infos] = (struct vs_rule_info){ pol, rule, dir, tier, action };
	*idx = o->n_infos++;
	return 0;
}

/* Entries for the scratch prefixes x port specs, for one selected port. */
static int emit(struct ctx *c, uint16_t slot, uint32_t info, uint8_t dir, uint8_t tier,
		uint32_t prio)
{
	struct vs_compiled *o = c->out;
	uint32_t need = o->n_entries + c->n_pfx * c->n_ps;
	if (need > 4u << 20)
		return vs_err_set(c->e, E2BIG, NULL,
				  "policies expand to more than %u ACL entries", 4u << 20);
	if (grow((void **)&o->entries, &o->cap_entries, need, sizeof(*o->entries)) < 0)
		return vs_err_set(c->e, ENOMEM, NULL, "out of memory compiling policies");
	for (unsigned int i = 0; i < c->n_pfx; i++) {
		for (unsigned int j = 0; j < c->n_ps; j++) {
			struct vs_acl_entry *en = &o->entries[o->n_entries++];
			*en = (struct vs_acl_entry){ .info = info, .priority = prio, .slot = slot,
						     .dir = dir, .tier = tier,
						     .family = c->pfx[i].family,
						     .proto = c->ps[j].proto, .plen = c->pfx[i].plen,
						     .port_lo = c->ps[j].lo, .port_hi = c->ps[j].hi };
			memcpy(en->addr, c->pfx[i].addr, 16);
		}
	}
	return 0;
}

/* Whether a policy of kind in namespace pol_ns selects port pc. */
static bool selects(const json_t *pol, uint8_t kind, const char *pol_ns,
		    const struct vs_inventory *inv, const struct vs_port_cfg *pc)
{
	json_t *spec = json_object_get(pol, "spec");
	if (!port_is_pod(pc) || !policy_on_vlan(pol, inv, pc->vlan))
		return false;
	if (kind == VS_POL_NP)
		return strcmp(pc->np.ns, pol_ns) == 0 &&
		       vs_selector_match(json_object_get(spec, "podSelector"), &pc->np.labels);
	json_t *subj = json_object_get(spec, "subject"), *v;
	struct vs_labels l;
	ns_labels(inv, pc->np.ns, &l);
	if ((v = json_object_get(subj, "namespaces")) != NULL)
		return vs_selector_match(v, &l);
	v = json_object_get(subj, "pods");
	return vs_selector_match(json_object_get(v, "namespaceSelector"), &l) &&
	       vs_selector_match(json_object_get(v, "podSelector"), &pc->np.labels);
}

/* The ports a policy selects, as indexes into inv->ports. */
static unsigned int selected_ports(const json_t *pol, uint8_t kind, const char *pol_ns,
				   const struct vs_inventory *inv, unsigned int *sel)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < inv->n_ports; i++)
		if (selects(pol, kind, pol_ns, inv, inv->ports[i].cfg))
			sel[n++] = i;
	return n;
}

unsigned int vs_policy_selected(const json_t *pol, const struct vs_inventory *inv, uint16_t *slots)
{
	unsigned int sel[VS_MAX_PORTS];
	int kind = vs_policy_kind_parse(json_string_value(json_object_get(pol, "kind")));
	const char *ns = json_string_value(json_object_get(json_object_get(pol, "metadata"),
							   "namespace"));
	unsigned int n = selected_ports(pol, (uint8_t)kind, ns ? ns : "default", inv, sel);
	for (unsigned int i = 0; i < n; i++)
		slots[i] = inv->ports[sel[i]].slot;
	return n;
}

/* Peers of every rule, both directions, that take pods' addresses (selector peers; ipBlocks
 * and networks take none), in the order np_peers / anp_peers read them. */
int vs_policy_pod_peers(const json_t *pol, struct vs_pod_peers *out)
{
	int kind = vs_policy_kind_parse(json_string_value(json_object_get(pol, "kind")));
	json_t *spec = json_object_get(pol, "spec");
	unsigned int cap = 0;

	memset(out, 0, sizeof(*out));
	for (uint8_t dir = 0; dir < VS_DIRS; dir++) {
		json_t *rules = json_object_get(spec, dir == VS_DIR_INGRESS ? "ingress" : "egress");
		json_t *r, *p, *v;
		size_t ri, pi;
		json_array_foreach(rules, ri, r) {
			json_array_foreach(json_object_get(r, dir == VS_DIR_INGRESS ? "from" : "to"),
					   pi, p) {
				struct vs_pod_peer pp;
				if (kind == VS_POL_NP && json_object_get(p, "ipBlock") == NULL)
					/* podSelector alone: the policy's namespace */
					pp = (struct vs_pod_peer){
						json_object_get(p, "namespaceSelector"),
						json_object_get(p, "podSelector"), true };
				else if (kind != VS_POL_NP &&
					 (v = json_object_get(p, "namespaces")) != NULL)
					pp = (struct vs_pod_peer){ v, NULL, false };
				else if (kind != VS_POL_NP && (v = json_object_get(p, "pods")) != NULL)
					pp = (struct vs_pod_peer){
						json_object_get(v, "namespaceSelector"),
						json_object_get(v, "podSelector"), false };
				else
					continue;
				if (out->n == cap) {	/* most policies have a few */
					cap = cap ? cap * 2 : 4;
					void *q = realloc(out->p, sizeof(pp) * cap);
					if (q == NULL) {
						vs_pod_peers_free(out);
						return -ENOMEM;
					}
					out->p = q;
				}
				out->p[out->n++] = pp;
			}
		}
	}
	return 0;
}

void vs_pod_peers_free(struct vs_pod_peers *pp)
{
	free(pp->p);
	memset(pp, 0, sizeof(*pp));
}

bool vs_policy_port_matters(const json_t *pol, const struct vs_pod_peers *peers,
			    const struct vs_inventory *inv, const struct vs_port_cfg *pc)
{
	/* What compile_one reads of a port: whether it selects it (a pod on a network of the
	 * policy), and its addresses when a peer takes them, which happens only for a pod on
	 * the VLAN of a selected port, so on a network of the policy too. */
	if (!port_is_pod(pc) || !policy_on_vlan(pol, inv, pc->vlan))
		return false;
	int kind = vs_policy_kind_parse(json_string_value(json_object_get(pol, "kind")));
	const char *ns = json_string_value(json_object_get(json_object_get(pol, "metadata"),
							   "namespace"));
	if (ns == NULL)
		ns = "default";
	if (selects(pol, (uint8_t)kind, ns, inv, pc))
		return true;
	for (unsigned int i = 0; pc->np.n_ips > 0 && i < peers->n; i++)
		if (pod_matches(inv, pc, peers->p[i].ns_sel, peers->p[i].in_pol_ns ? ns : NULL,
				peers->p[i].pod_sel))
			return true;
	return false;
}

/* policyTypes, or upstream's default: Ingress always, Egress when there are egress rules. */
static bool np_has_type(const json_t *spec, uint8_t dir)
{
	json_t *types = json_object_get(spec, "policyTypes");
	const char *want = dir == VS_DIR_INGRESS ? "Ingress" : "Egress";
	if (json_array_size(types) == 0)
		return dir == VS_DIR_INGRESS || json_array_size(json_object_get(spec, "egress")) > 0;
	size_t i;
	json_t *t;
	json_array_foreach(types, i, t)
		if (strcmp(json_string_value(t), want) == 0)
			return true;
	return false;
}

static int compile_one(struct ctx *c, const json_t *pol, uint32_t pi)
{
	const struct vs_inventory *inv = c->inv;
	json_t *spec = json_object_get(pol, "spec");
	int kind = vs_policy_kind_parse(json_string_value(json_object_get(pol, "kind")));
	const char *ns = json_string_value(json_object_get(json_object_get(pol, "metadata"),
							   "namespace"));
	unsigned int sel[VS_MAX_PORTS];
	int rc;

	if (ns == NULL)
		ns = "default";
	unsigned int n_sel = selected_ports(pol, (uint8_t)kind, ns, inv, sel);
	for (unsigned int s = 0; s < n_sel; s++) {
		uint16_t slot = inv->ports[sel[s]].slot;
		c->out->port_flags[slot] |= VS_PF_POLICED;
		c->out->selected[slot]++;
	}
	for (uint8_t dir = 0; dir < VS_DIRS; dir++) {
		const char *key = dir == VS_DIR_INGRESS ? "ingress" : "egress";
		const char *peers_key = dir == VS_DIR_INGRESS ? "from" : "to";
		json_t *rules = json_object_get(spec, key), *r;
		size_t ri;

		if (kind == VS_POL_NP) {
			if (!np_has_type(spec, dir))
				continue;
			for (unsigned int s = 0; s < n_sel; s++)
				c->out->port_flags[inv->ports[sel[s]].slot] |= VS_PF_ISOLATED(dir);
		}
		json_array_foreach(rules, ri, r) {
			uint8_t tier = kind == VS_POL_NP ? VS_TIER_TENANT :
				       kind == VS_POL_ANP ? VS_TIER_ADMIN : VS_TIER_BASELINE;
			uint8_t action = VS_ACT_ALLOW;
			uint32_t prio = 1, info = 0;
			if (kind != VS_POL_NP) {
				const char *a = json_string_value(json_object_get(r, "action"));
				action = strcmp(a, "Allow") == 0 ? VS_ACT_ALLOW :
					 strcmp(a, "Deny") == 0 ? VS_ACT_DENY : VS_ACT_PASS;
				/* lower ANP priority numbers and earlier rules go first */
				json_int_t p = json_integer_value(json_object_get(spec, "priority"));
				prio = VS_ACL_PRIORITY_MAX - (uint32_t)(p * 256) - (uint32_t)ri;
			}
			if ((rc = add_info(c, pi, (uint16_t)ri, dir, tier, action, &info)) < 0)
				return rc;
			if (kind == VS_POL_NP)
				np_ports(c, json_object_get(r, "ports"));
			else
				anp_ports(c, json_object_get(r, "ports"));
			for (unsigned int s = 0; s < n_sel; s++) {
				const struct vs_inv_port *ip = &inv->ports[sel[s]];
				c->n_pfx = 0;
				memset(c->pod_added, 0, sizeof(c->pod_added));
				rc = kind == VS_POL_NP ?
					     np_peers(c, json_object_get(r, peers_key), ip->cfg->vlan, ns) :
					     anp_peers(c, json_object_get(r, peers_key), ip->cfg->vlan);
				if (rc < 0 || (rc = emit(c, ip->slot, info, dir, tier, prio)) < 0)
					return rc;
			}
		}
	}
	return 0;
}

int vs_policy_compile(const json_t *const *pols, unsigned int n, const struct vs_inventory *inv,
		      struct vs_compiled *out, struct vs_err *e)
{
	struct ctx c = { .inv = inv, .out = out, .e = e };
	int rc = 0;

	memset(out, 0, sizeof(*out));
	c.pfx = malloc(sizeof(*c.pfx) * MAX_PREFIXES);
	if (c.pfx == NULL)
		return vs_err_set(e, ENOMEM, NULL, "out of memory compiling policies");
	for (unsigned int i = 0; i < n && rc == 0; i++)
		rc = compile_one(&c, pols[i], i);
	free(c.pfx);
	if (rc < 0)
		vs_compiled_free(out);
	return rc;
}

void vs_compiled_free(struct vs_compiled *c)
{
	free(c->infos);
	free(c->entries);
	memset(c, 0, sizeof(*c));
}
