/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The rules of a policy object: label selectors, peers (pods, namespaces, ipBlocks, networks),
 * ports, actions, for MultiNetworkPolicy and (Baseline)AdminNetworkPolicy alike. Errors name
 * the JSON path. Pure (Jansson only).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "control/model/policy_rules.h"
#include "control/model/err.h"
#include "control/model/json_get.h"
#include "control/model/netpol_cfg.h"
#include "control/model/policy.h"
#include "control/model/prefix.h"
#include "dataplane/policy/policy_dp.h"

int vs_selector_check(const json_t *sel, const char *path, struct vs_err *e)
{
	static const char *const keys[] = { "matchLabels", "matchExpressions", NULL };
	char f[256], g[256];
	json_t *v;
	int rc;

	if ((rc = vs_json_only_keys(sel, path, keys, e)) < 0)
		return rc;
	if ((v = json_object_get(sel, "matchLabels")) != NULL) {
		struct vs_labels l;
		if (!json_is_null(v) &&
		    (rc = vs_labels_parse(v, &l, VS_FIELD(f, path, "matchLabels"), e)) < 0)
			return rc;
	}
	if ((v = json_object_get(sel, "matchExpressions")) != NULL && !json_is_null(v)) {
		size_t i;
		json_t *x;
		if (!json_is_array(v))
			return vs_err_set(e, EINVAL, VS_FIELD(f, path, "matchExpressions"),
					  "expected an array");
		json_array_foreach(v, i, x) {
			static const char *const ek[] = { "key", "operator", "values", NULL };
			const char *key, *op;
			vs_pathf(g, sizeof(g), "%s.matchExpressions[%zu]", path, i);
			if ((rc = vs_json_only_keys(x, g, ek, e)) < 0 ||
			    (rc = vs_json_get_strref(x, "key", g, true, &key, e)) < 0 ||
			    (rc = vs_json_get_strref(x, "operator", g, true, &op, e)) < 0)
				return rc;
			json_t *vals = json_object_get(x, "values");
			size_t nv = json_is_array(vals) ? json_array_size(vals) : 0;
			if (vals != NULL && !json_is_null(vals) && !json_is_array(vals))
				return vs_err_set(e, EINVAL, VS_FIELD(f, g, "values"), "expected an array");
			for (size_t j = 0; j < nv; j++)
				if (!json_is_string(json_array_get(vals, j)))
					return vs_err_set(e, EINVAL, VS_FIELD(f, g, "values"),
							  "expected strings");
			bool set_op = strcmp(op, "In") == 0 || strcmp(op, "NotIn") == 0;
			if (!set_op && strcmp(op, "Exists") != 0 && strcmp(op, "DoesNotExist") != 0)
				return vs_err_set(e, EINVAL, VS_FIELD(f, g, "operator"),
						  "'%s': expected In, NotIn, Exists or DoesNotExist",
						  op);
			if (set_op && nv == 0)
				return vs_err_set(e, EINVAL, VS_FIELD(f, g, "values"),
						  "%s needs at least one value", op);
			if (!set_op && nv != 0)
				return vs_err_set(e, EINVAL, VS_FIELD(f, g, "values"),
						  "%s takes no values", op);
		}
	}
	return 0;
}

static int check_cidr(const json_t *v, const char *path, struct vs_prefix *p, struct vs_err *e)
{
	if (!json_is_string(v) || vs_prefix_parse(json_string_value(v), p) < 0)
		return vs_err_set(e, EINVAL, path, "%s%s%s: expected a CIDR like 10.0.0.0/24 or fd00::/64",
				  json_is_string(v) ? "'" : "",
				  json_is_string(v) ? json_string_value(v) : "not a string",
				  json_is_string(v) ? "'" : "");
	return 0;
}

/* Takes n of a rule's prefix budget (VS_POLICY_PEER_PREFIXES_MAX); refuses past it. */
static int spend(unsigned int *budget, unsigned int n, const char *path, struct vs_err *e)
{
	if (n > *budget)
		return vs_err_set(e, E2BIG, path, "the rule's peers expand to more than %d prefixes "
				  "(each except block splits its cidr)", VS_POLICY_PEER_PREFIXES_MAX);
	*budget -= n;
	return 0;
}

/* The prefixes cidr minus except expands to, counted against budget (as the compiler will
 * subtract them). */
static int ipblock_spend(const json_t *c, const json_t *x, unsigned int *budget, const char *path,
			 struct vs_err *e)
{
	/* the split yields at most (depth x excepts) prefixes: no bigger scratch than that */
	size_t n_x = json_array_size(x), cap = (*budget < 128 * n_x + 1 ? *budget : 128 * n_x + 1);
	struct vs_prefix cidr, *ex = malloc(sizeof(*ex) * (n_x + 1)),
			       *out = malloc(sizeof(*out) * (cap + 1));
	unsigned int n_ex = 0;
	size_t i;
	json_t *v;
	int n = -E2BIG;

	if (ex == NULL || out == NULL) {
		free(ex);
		free(out);
		return vs_err_set(e, ENOMEM, path, "out of memory");
	}
	vs_prefix_parse(json_string_value(c), &cidr);
	json_array_foreach(x, i, v)
		if (vs_prefix_parse(json_string_value(v), &ex[n_ex]) == 0)
			n_ex++;
	n = vs_prefix_subtract(&cidr, ex, n_ex, out, (unsigned int)cap);
	free(ex);
	free(out);
	return spend(budget, n < 0 ? *budget + 1 : (unsigned int)n, path, e);
}

static int check_ipblock(const json_t *ib, const char *path, unsigned int *budget,
			 struct vs_err *e)
{
	static const char *const keys[] = { "cidr", "except", NULL };
	struct vs_prefix cidr, ex;
	char f[256], g[256];
	int rc;

	if ((rc = vs_json_only_keys(ib, path, keys, e)) < 0)
		return rc;
	json_t *c = json_object_get(ib, "cidr");
	if (c == NULL)
		return vs_err_set(e, EINVAL, VS_FIELD(f, path, "cidr"), "required");
	if ((rc = check_cidr(c, VS_FIELD(f, path, "cidr"), &cidr, e)) < 0)
		return rc;
	json_t *x = json_object_get(ib, "except");
	if (x == NULL || json_is_null(x))
		return spend(budget, 1, path, e);
	if (!json_is_array(x))
		return vs_err_set(e, EINVAL, VS_FIELD(f, path, "except"), "expected an array of CIDRs");
	size_t i;
	json_t *v;
	json_array_foreach(x, i, v) {
		vs_pathf(g, sizeof(g), "%s.except[%zu]", path, i);
		if ((rc = check_cidr(v, g, &ex, e)) < 0)
			return rc;
		if (!vs_prefix_contains(&cidr, &ex))
			return vs_err_set(e, EINVAL, g, "'%s' is not inside cidr '%s'",
					  json_string_value(v), json_string_value(c));
	}
	return ipblock_spend(c, x, budget, VS_FIELD(f, path, "except"), e);
}

static int check_protocol(const json_t *o, const char *path, struct vs_err *e)
{
	const char *p;
	char f[256];
	int rc = vs_json_get_strref(o, "protocol", path, false, &p, e);
	if (rc < 0 || p == NULL)
		return rc;
	if (strcmp(p, "TCP") != 0 && strcmp(p, "UDP") != 0 && strcmp(p, "SCTP") != 0)
		return vs_err_set(e, EINVAL, VS_FIELD(f, path, "protocol"),
				  "'%s': expected TCP, UDP or SCTP", p);
	return 0;
}

static int check_port_number(const json_t *v, const char *path, bool named_ok,
			     struct vs_err *e)
{
	if (json_is_string(v))
		return vs_err_set(e, ENOTSUP, path,
				  "'%s': named ports are not supported (VMs declare no container "
				  "ports); use a number", json_string_value(v));
	(void)named_ok;
	if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 65535)
		return vs_err_set(e, ERANGE, path, "expected a port number 1..65535");
	return 0;
}

/* NetworkPolicyPort: {protocol, port, endPort} */
static int check_np_port(const json_t *p, const char *path, struct vs_err *e)
{
	static const char *const keys[] = { "protocol", "port", "endPort", NULL };
	char f[256];
	int rc;

	if ((rc = vs_json_only_keys(p, path, keys, e)) < 0 || (rc = check_protocol(p, path, e)) < 0)
		return rc;
	json_t *port = json_object_get(p, "port"), *end = json_object_get(p, "endPort");
	if (port != NULL && (rc = check_port_number(port, VS_FIELD(f, path, "port"), false, e)) < 0)
		return rc;
	if (end == NULL)
		return 0;
	if (port == NULL)
		return vs_err_set(e, EINVAL, VS_FIELD(f, path, "endPort"), "needs port");
	if ((rc = check_port_number(end, VS_FIELD(f, path, "endPort"), false, e)) < 0)
		return rc;
	if (json_integer_value(end) < json_integer_value(port))
		return vs_err_set(e, ERANGE, VS_FIELD(f, path, "endPort"), "%lld is less than port %lld",
				  json_integer_value(end), json_integer_value(port));
	return 0;
}

/* AdminNetworkPolicyPort: exactly one of portNumber {protocol, port}, portRange
 * {protocol, start, end}, namedPort. */
static int check_anp_port(const json_t *p, const char *path, struct vs_err *e)
{
	static const char *const keys[] = { "portNumber", "portRange", "namedPort", NULL };
	char f[256], g[256];
	int rc;

	if ((rc = vs_json_only_keys(p, path, keys, e)) < 0)
		return rc;
	if (json_object_size(p) != 1)
		return vs_err_set(e, EINVAL, path, "expected exactly one of portNumber, portRange");
	json_t *v;
	if ((v = json_object_get(p, "namedPort")) != NULL)
		return vs_err_set(e, ENOTSUP, VS_FIELD(f, path, "namedPort"),
				  "named ports are not supported; use portNumber");
	if ((v = json_object_get(p, "portNumber")) != NULL) {
		static const char *const nk[] = { "protocol", "port", NULL };
		VS_FIELD(g, path, "portNumber");
		if ((rc = vs_json_only_keys(v, g, nk, e)) < 0 || (rc = check_protocol(v, g, e)) < 0)
			return rc;
		json_t *port = json_object_get(v, "port");
		if (port == NULL)
			return vs_err_set(e, EINVAL, VS_FIELD(f, g, "port"), "required");
		return check_port_number(port, VS_FIELD(f, g, "port"), false, e);
	}
	static const char *const rk[] = { "protocol", "start", "end", NULL };
	v = json_object_get(p, "portRange");
	VS_FIELD(g, path, "portRange");
	if ((rc = vs_json_only_keys(v, g, rk, e)) < 0 || (rc = check_protocol(v, g, e)) < 0)
		return rc;
	json_t *s = json_object_get(v, "start"), *en = json_object_get(v, "end");
	if (s == NULL || en == NULL)
		return vs_err_set(e, EINVAL, VS_FIELD(f, g, s == NULL ? "start" : "end"), "required");
	if ((rc = check_port_number(s, VS_FIELD(f, g, "start"), false, e)) < 0 ||
	    (rc = check_port_number(en, VS_FIELD(f, g, "end"), false, e)) < 0)
		return rc;
	if (json_integer_value(en) < json_integer_value(s))
		return vs_err_set(e, ERANGE, VS_FIELD(f, g, "end"), "%lld is less than start %lld",
				  json_integer_value(en), json_integer_value(s));
	return 0;
}

/* NetworkPolicyPeer: ipBlock, or podSelector and/or namespaceSelector. */
static int check_np_peer(const json_t *p, const char *path, unsigned int *budget,
			 struct vs_err *e)
{
	static const char *const keys[] = { "ipBlock", "podSelector", "namespaceSelector", NULL };
	char f[256];
	int rc;
	json_t *ib = json_object_get(p, "ipBlock"), *ps = json_object_get(p, "podSelector"),
	       *ns = json_object_get(p, "namespaceSelector");

	if ((rc = vs_json_only_keys(p, path, keys, e)) < 0)
		return rc;
	if (ib != NULL && (ps != NULL || ns != NULL))
		return vs_err_set(e, EINVAL, VS_FIELD(f, path, "ipBlock"),
				  "ipBlock cannot be combined with a selector");
	if (ib == NULL && ps == NULL && ns == NULL)
		return vs_err_set(e, EINVAL, path,
				  "a peer needs ipBlock, podSelector or namespaceSelector");
	if (ib != NULL)
		return check_ipblock(ib, VS_FIELD(f, path, "ipBlock"), budget, e);
	if (ps != NULL && (rc = vs_selector_check(ps, VS_FIELD(f, path, "podSelector"), e)) < 0)
		return rc;
	if (ns != NULL && (rc = vs_selector_check(ns, VS_FIELD(f, path, "namespaceSelector"), e)) < 0)
		return rc;
	return 0;
}

/* ANP subject / peer: {namespaces: sel} or {pods: {namespaceSelector, podSelector}}; peers
 * of egress rules may also be {networks: [cidr]}. */
int vs_policy_anp_peer_check(const json_t *t, const char *path, bool networks_ok,
			    unsigned int *budget, struct vs_err *e)
{
	static const char *const keys[] = { "namespaces", "pods", "networks", "nodes", NULL };
	static const char *const pk[] = { "namespaceSelector", "podSelector", NULL };
	char f[256], g[256];
	int rc;
	json_t *v;

	if ((rc = vs_json_only_keys(t, path, keys, e)) < 0)
		return rc;
	if (json_object_size(t) != 1)
		return vs_err_set(e, EINVAL, path, "expected exactly one of namespaces, pods%s",
				  networks_ok ? ", networks" : "");
	if (json_object_get(t, "nodes") != NULL)
		return vs_err_set(e, ENOTSUP, VS_FIELD(f, path, "nodes"), "node peers are not supported");
	if ((v = json_object_get(t, "namespaces")) != NULL)
		return vs_selector_check(v, VS_FIELD(f, path, "namespaces"), e);
	if ((v = json_object_get(t, "pods")) != NULL) {
		VS_FIELD(g, path, "pods");
		if ((rc = vs_json_only_keys(v, g, pk, e)) < 0)
			return rc;
		json_t *ns = json_object_get(v, "namespaceSelector"),
		       *ps = json_object_get(v, "podSelector");
		if (ns == NULL || ps == NULL)
			return vs_err_set(e, EINVAL, VS_FIELD(f, g, ns == NULL ? "namespaceSelector" :
							     "podSelector"), "required");
		if ((rc = vs_selector_check(ns, VS_FIELD(f, g, "namespaceSelector"), e)) < 0)
			return rc;
		return vs_selector_check(ps, VS_FIELD(f, g, "podSelector"), e);
	}
	v = json_object_get(t, "networks");
	if (!networks_ok)
		return vs_err_set(e, EINVAL, VS_FIELD(f, path, "networks"),
				  "networks peers are for egress rules only");
	if (!json_is_array(v) || json_array_size(v) == 0)
		return vs_err_set(e, EINVAL, VS_FIELD(f, path, "networks"), "expected an array of CIDRs");
	size_t i;
	json_t *c;
	json_array_foreach(v, i, c) {
		struct vs_prefix p;
		vs_pathf(g, sizeof(g), "%s.networks[%zu]", path, i);
		if ((rc = check_cidr(c, g, &p, e)) < 0 || (rc = spend(budget, 1, g, e)) < 0)
			return rc;
	}
	return 0;
}

static int check_np_peer_of(const json_t *p, const char *path, bool egress, unsigned int *budget,
			    struct vs_err *e)
{
	(void)egress;
	return check_np_peer(p, path, budget, e);
}

/* The grammar of one direction's rules: MultiNetworkPolicy, or (Baseline)AdminNetworkPolicy
 * with named rules, an action and at least one peer. */
struct rule_grammar {
	const char *const *keys[2];	/* [enum vs_dir] */
	unsigned int max_rules, max_peers, max_ports;
	bool admin;	/* name and action; peers required */
	uint8_t kind;
	int (*peer)(const json_t *p, const char *path, bool egress, unsigned int *budget,
		    struct vs_err *e);
	int (*port)(const json_t *p, const char *path, struct vs_err *e);
};

static const char *const np_ik[] = { "from", "ports", NULL };
static const char *const np_ek[] = { "to", "ports", NULL };
static const char *const anp_ik[] = { "name", "action", "from", "ports", NULL };
static const char *const anp_ek[] = { "name", "action", "to", "ports", NULL };

static int check_rule_action(const json_t *r, const char *g, uint8_t kind, struct vs_err *e)
{
	const char *action, *name;
	char f[256];
	int rc;

	if ((rc = vs_json_get_strref(r, "name", g, false, &name, e)) < 0 ||
	    (rc = vs_json_get_strref(r, "action", g, true, &action, e)) < 0)
		return rc;
	bool ok = strcmp(action, "Allow") == 0 || strcmp(action, "Deny") == 0 ||
		  (kind == VS_POL_ANP && strcmp(action, "Pass") == 0);
	if (!ok)
		return vs_err_set(e, EINVAL, VS_FIELD(f, g, "action"), "'%s': expected %s", action,
				  kind == VS_POL_ANP ? "Allow, Deny or Pass" : "Allow or Deny");
	return 0;
}

static int check_rule(const json_t *r, const char *g, int dir, const struct rule_grammar *gr,
		      struct vs_err *e)
{
	const char *peers_key = dir == VS_DIR_INGRESS ? "from" : "to";
	char f[256], h[256];
	json_t *list, *x;
	size_t j;
	int rc;

	if ((rc = vs_json_only_keys(r, g, gr->keys[dir], e)) < 0 ||
	    (gr->admin && (rc = check_rule_action(r, g, gr->kind, e)) < 0) ||
	    (rc = vs_json_get_array(r, peers_key, g, gr->max_peers, &list, e)) < 0)
		return rc;
	if (gr->admin && (list == NULL || json_array_size(list) == 0))
		return vs_err_set(e, EINVAL, VS_FIELD(f, g, peers_key), "at least one peer required");
	unsigned int budget = VS_POLICY_PEER_PREFIXES_MAX;
	json_array_foreach(list, j, x) {
		vs_pathf(h, sizeof(h), "%s.%s[%zu]", g, peers_key, j);
		if ((rc = gr->peer(x, h, dir == VS_DIR_EGRESS, &budget, e)) < 0)
			return rc;
	}
	if ((rc = vs_json_get_array(r, "ports", g, gr->max_ports, &list, e)) < 0)
		return rc;
	json_array_foreach(list, j, x) {
		vs_pathf(h, sizeof(h), "%s.ports[%zu]", g, j);
		if ((rc = gr->port(x, h, e)) < 0)
			return rc;
	}
	return 0;
}

/* spec.ingress or spec.egress of a policy of this grammar. */
static int check_rules(const json_t *spec, const char *path, int dir,
		       const struct rule_grammar *gr, struct vs_err *e)
{
	const char *key = dir == VS_DIR_INGRESS ? "ingress" : "egress";
	char g[256];
	json_t *rules, *r;
	size_t i;
	int rc;

	if ((rc = vs_json_get_array(spec, key, path, gr->max_rules, &rules, e)) < 0)
		return rc;
	json_array_foreach(rules, i, r) {
		vs_pathf(g, sizeof(g), "%s.%s[%zu]", path, key, i);
		if ((rc = check_rule(r, g, dir, gr, e)) < 0)
			return rc;
	}
	return 0;
}

int vs_policy_np_rules_check(const json_t *spec, const char *path, int dir, struct vs_err *e)
{
	static const struct rule_grammar np = {
		.keys = { [VS_DIR_INGRESS] = np_ik, [VS_DIR_EGRESS] = np_ek },
		.max_rules = VS_POLICY_RULES_MAX, .max_peers = 4096,
		.max_ports = VS_POLICY_PORTS_MAX, .kind = VS_POL_NP,
		.peer = check_np_peer_of, .port = check_np_port,
	};
	return check_rules(spec, path, dir, &np, e);
}

/* upstream caps rules, peers and ports at 100 per direction */
int vs_policy_anp_rules_check(const json_t *spec, const char *path, int dir, uint8_t kind,
			      struct vs_err *e)
{
	struct rule_grammar anp = {
		.keys = { [VS_DIR_INGRESS] = anp_ik, [VS_DIR_EGRESS] = anp_ek },
		.max_rules = 100, .max_peers = 100, .max_ports = 100, .admin = true,
		.kind = kind, .peer = vs_policy_anp_peer_check, .port = check_anp_port,
	};
	return check_rules(spec, path, dir, &anp, e);
}
