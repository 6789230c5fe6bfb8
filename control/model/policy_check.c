/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Checking policy objects in the JSON form `kubectl get -o json` prints: every field the
 * compiler reads is checked here, so a policy that passes compiles, and one that does not is
 * refused with the JSON path of the field at fault. Unknown keys under spec are refused (a
 * typo must not silently widen a policy); metadata and status may carry anything. Pure.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "vs_types.h"
#include "control/model/err.h"
#include "control/model/netpol_cfg.h"
#include "control/model/policy.h"
#include "dataplane/policy/policy_dp.h"

#define F(buf, prefix, key) VS_FIELD(buf, prefix, key)

static const char *const kind_names[VS_POL_KINDS] = { "MultiNetworkPolicy", "AdminNetworkPolicy",
						      "BaselineAdminNetworkPolicy" };

const char *vs_policy_kind_name(uint8_t kind)
{
	return kind < VS_POL_KINDS ? kind_names[kind] : "?";
}

int vs_policy_kind_parse(const char *s)
{
	for (int i = 0; i < VS_POL_KINDS; i++)
		if (strcmp(s, kind_names[i]) == 0)
			return i;
	return -1;
}

const char *vs_tier_name(uint8_t tier)
{
	static const char *const n[VS_TIERS] = { "admin", "tenant", "baseline" };
	return tier < VS_TIERS ? n[tier] : "?";
}

const char *vs_action_name(uint8_t action)
{
	static const char *const n[] = { "none", "Allow", "Deny", "Pass" };
	return action <= VS_ACT_PASS ? n[action] : "?";
}

static int only_keys(const json_t *o, const char *path, const char *const *keys,
		     struct vs_err *e)
{
	const char *k;
	json_t *v;
	char f[256];

	if (!json_is_object(o))
		return vs_err_set(e, EINVAL, path, "expected an object");
	json_object_foreach((json_t *)o, k, v) {
		const char *const *x;
		for (x = keys; *x != NULL && strcmp(*x, k) != 0; x++)
			;
		if (*x == NULL)
			return vs_err_set(e, EINVAL, F(f, path, k), "unknown field");
	}
	return 0;
}

int vs_prefix_parse(const char *s, struct vs_prefix *p)
{
	char buf[64];
	const char *slash = strchr(s, '/');
	char *end;

	if (slash == NULL || (size_t)(slash - s) >= sizeof(buf) || !isdigit((unsigned char)slash[1]))
		return -EINVAL;
	snprintf(buf, sizeof(buf), "%.*s", (int)(slash - s), s);
	memset(p, 0, sizeof(*p));
	if (inet_pton(AF_INET, buf, p->addr) == 1)
		p->family = 4;
	else if (inet_pton(AF_INET6, buf, p->addr) == 1)
		p->family = 6;
	else
		return -EINVAL;
	long len = strtol(slash + 1, &end, 10);
	if (*end != '\0' || len < 0 || len > (p->family == 4 ? 32 : 128) || slash[1] == '-' ||
	    slash[1] == '+')
		return -EINVAL;
	p->plen = (uint8_t)len;
	/* Kubernetes accepts host bits and ignores them; so do we. */
	for (unsigned int b = p->plen; b < 128; b++)
		p->addr[b / 8] &= (uint8_t)~(0x80u >> (b % 8));
	return 0;
}

void vs_prefix_format(const struct vs_prefix *p, char *buf, size_t len)
{
	char a[64];
	inet_ntop(p->family == 4 ? AF_INET : AF_INET6, p->addr, a, sizeof(a));
	snprintf(buf, len, "%s/%u", a, p->plen);
}

static int check_str(const json_t *o, const char *key, const char *path, bool required,
		     const char **out, struct vs_err *e)
{
	char f[256];
	json_t *v = json_object_get(o, key);
	*out = NULL;
	if (v == NULL)
		return required ? vs_err_set(e, EINVAL, F(f, path, key), "required") : 0;
	if (!json_is_string(v))
		return vs_err_set(e, EINVAL, F(f, path, key), "expected a string");
	*out = json_string_value(v);
	return 0;
}

static int check_selector(const json_t *sel, const char *path, struct vs_err *e)
{
	static const char *const keys[] = { "matchLabels", "matchExpressions", NULL };
	char f[256], g[256];
	json_t *v;
	int rc;

	if ((rc = only_keys(sel, path, keys, e)) < 0)
		return rc;
	if ((v = json_object_get(sel, "matchLabels")) != NULL) {
		struct vs_labels l;
		if (!json_is_null(v) &&
		    (rc = vs_labels_parse(v, &l, F(f, path, "matchLabels"), e)) < 0)
			return rc;
	}
	if ((v = json_object_get(sel, "matchExpressions")) != NULL && !json_is_null(v)) {
		size_t i;
		json_t *x;
		if (!json_is_array(v))
			return vs_err_set(e, EINVAL, F(f, path, "matchExpressions"),
					  "expected an array");
		json_array_foreach(v, i, x) {
			static const char *const ek[] = { "key", "operator", "values", NULL };
			const char *key, *op;
			vs_pathf(g, sizeof(g), "%s.matchExpressions[%zu]", path, i);
			if ((rc = only_keys(x, g, ek, e)) < 0 ||
			    (rc = check_str(x, "key", g, true, &key, e)) < 0 ||
			    (rc = check_str(x, "operator", g, true, &op, e)) < 0)
				return rc;
			json_t *vals = json_object_get(x, "values");
			size_t nv = json_is_array(vals) ? json_array_size(vals) : 0;
			if (vals != NULL && !json_is_null(vals) && !json_is_array(vals))
				return vs_err_set(e, EINVAL, F(f, g, "values"), "expected an array");
			for (size_t j = 0; j < nv; j++)
				if (!json_is_string(json_array_get(vals, j)))
					return vs_err_set(e, EINVAL, F(f, g, "values"),
							  "expected strings");
			bool set_op = strcmp(op, "In") == 0 || strcmp(op, "NotIn") == 0;
			if (!set_op && strcmp(op, "Exists") != 0 && strcmp(op, "DoesNotExist") != 0)
				return vs_err_set(e, EINVAL, F(f, g, "operator"),
						  "'%s': expected In, NotIn, Exists or DoesNotExist",
						  op);
			if (set_op && nv == 0)
				return vs_err_set(e, EINVAL, F(f, g, "values"),
						  "%s needs at least one value", op);
			if (!set_op && nv != 0)
				return vs_err_set(e, EINVAL, F(f, g, "values"),
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

static bool prefix_within(const struct vs_prefix *outer, const struct vs_prefix *inner)
{
	if (outer->family != inner->family || inner->plen < outer->plen)
		return false;
	for (unsigned int b = 0; b < outer->plen; b++) {
		uint8_t m = (uint8_t)(0x80u >> (b % 8));
		if ((outer->addr[b / 8] & m) != (inner->addr[b / 8] & m))
			return false;
	}
	return true;
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

	if ((rc = only_keys(ib, path, keys, e)) < 0)
		return rc;
	json_t *c = json_object_get(ib, "cidr");
	if (c == NULL)
		return vs_err_set(e, EINVAL, F(f, path, "cidr"), "required");
	if ((rc = check_cidr(c, F(f, path, "cidr"), &cidr, e)) < 0)
		return rc;
	json_t *x = json_object_get(ib, "except");
	if (x == NULL || json_is_null(x))
		return spend(budget, 1, path, e);
	if (!json_is_array(x))
		return vs_err_set(e, EINVAL, F(f, path, "except"), "expected an array of CIDRs");
	size_t i;
	json_t *v;
	json_array_foreach(x, i, v) {
		vs_pathf(g, sizeof(g), "%s.except[%zu]", path, i);
		if ((rc = check_cidr(v, g, &ex, e)) < 0)
			return rc;
		if (!prefix_within(&cidr, &ex))
			return vs_err_set(e, EINVAL, g, "'%s' is not inside cidr '%s'",
					  json_string_value(v), json_string_value(c));
	}
	return ipblock_spend(c, x, budget, F(f, path, "except"), e);
}

static int check_protocol(const json_t *o, const char *path, struct vs_err *e)
{
	const char *p;
	char f[256];
	int rc = check_str(o, "protocol", path, false, &p, e);
	if (rc < 0 || p == NULL)
		return rc;
	if (strcmp(p, "TCP") != 0 && strcmp(p, "UDP") != 0 && strcmp(p, "SCTP") != 0)
		return vs_err_set(e, EINVAL, F(f, path, "protocol"),
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

	if ((rc = only_keys(p, path, keys, e)) < 0 || (rc = check_protocol(p, path, e)) < 0)
		return rc;
	json_t *port = json_object_get(p, "port"), *end = json_object_get(p, "endPort");
	if (port != NULL && (rc = check_port_number(port, F(f, path, "port"), false, e)) < 0)
		return rc;
	if (end == NULL)
		return 0;
	if (port == NULL)
		return vs_err_set(e, EINVAL, F(f, path, "endPort"), "needs port");
	if ((rc = check_port_number(end, F(f, path, "endPort"), false, e)) < 0)
		return rc;
	if (json_integer_value(end) < json_integer_value(port))
		return vs_err_set(e, ERANGE, F(f, path, "endPort"), "%lld is less than port %lld",
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

	if ((rc = only_keys(p, path, keys, e)) < 0)
		return rc;
	if (json_object_size(p) != 1)
		return vs_err_set(e, EINVAL, path, "expected exactly one of portNumber, portRange");
	json_t *v;
	if ((v = json_object_get(p, "namedPort")) != NULL)
		return vs_err_set(e, ENOTSUP, F(f, path, "namedPort"),
				  "named ports are not supported; use portNumber");
	if ((v = json_object_get(p, "portNumber")) != NULL) {
		static const char *const nk[] = { "protocol", "port", NULL };
		F(g, path, "portNumber");
		if ((rc = only_keys(v, g, nk, e)) < 0 || (rc = check_protocol(v, g, e)) < 0)
			return rc;
		json_t *port = json_object_get(v, "port");
		if (port == NULL)
			return vs_err_set(e, EINVAL, F(f, g, "port"), "required");
		return check_port_number(port, F(f, g, "port"), false, e);
	}
	static const char *const rk[] = { "protocol", "start", "end", NULL };
	v = json_object_get(p, "portRange");
	F(g, path, "portRange");
	if ((rc = only_keys(v, g, rk, e)) < 0 || (rc = check_protocol(v, g, e)) < 0)
		return rc;
	json_t *s = json_object_get(v, "start"), *en = json_object_get(v, "end");
	if (s == NULL || en == NULL)
		return vs_err_set(e, EINVAL, F(f, g, s == NULL ? "start" : "end"), "required");
	if ((rc = check_port_number(s, F(f, g, "start"), false, e)) < 0 ||
	    (rc = check_port_number(en, F(f, g, "end"), false, e)) < 0)
		return rc;
	if (json_integer_value(en) < json_integer_value(s))
		return vs_err_set(e, ERANGE, F(f, g, "end"), "%lld is less than start %lld",
				  json_integer_value(en), json_integer_value(s));
	return 0;
}

static int check_array(const json_t *o, const char *key, const char *path, size_t max,
		       json_t **out, struct vs_err *e)
{
	char f[256];
	json_t *v = json_object_get(o, key);
	*out = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_array(v))
		return vs_err_set(e, EINVAL, F(f, path, key), "expected an array");
	if (json_array_size(v) > max)
		return vs_err_set(e, E2BIG, F(f, path, key), "more than %zu entries", max);
	*out = v;
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

	if ((rc = only_keys(p, path, keys, e)) < 0)
		return rc;
	if (ib != NULL && (ps != NULL || ns != NULL))
		return vs_err_set(e, EINVAL, F(f, path, "ipBlock"),
				  "ipBlock cannot be combined with a selector");
	if (ib == NULL && ps == NULL && ns == NULL)
		return vs_err_set(e, EINVAL, path,
				  "a peer needs ipBlock, podSelector or namespaceSelector");
	if (ib != NULL)
		return check_ipblock(ib, F(f, path, "ipBlock"), budget, e);
	if (ps != NULL && (rc = check_selector(ps, F(f, path, "podSelector"), e)) < 0)
		return rc;
	if (ns != NULL && (rc = check_selector(ns, F(f, path, "namespaceSelector"), e)) < 0)
		return rc;
	return 0;
}

/* ANP subject / peer: {namespaces: sel} or {pods: {namespaceSelector, podSelector}}; peers
 * of egress rules may also be {networks: [cidr]}. */
static int check_anp_target(const json_t *t, const char *path, bool networks_ok,
			    unsigned int *budget, struct vs_err *e)
{
	static const char *const keys[] = { "namespaces", "pods", "networks", "nodes", NULL };
	static const char *const pk[] = { "namespaceSelector", "podSelector", NULL };
	char f[256], g[256];
	int rc;
	json_t *v;

	if ((rc = only_keys(t, path, keys, e)) < 0)
		return rc;
	if (json_object_size(t) != 1)
		return vs_err_set(e, EINVAL, path, "expected exactly one of namespaces, pods%s",
				  networks_ok ? ", networks" : "");
	if (json_object_get(t, "nodes") != NULL)
		return vs_err_set(e, ENOTSUP, F(f, path, "nodes"), "node peers are not supported");
	if ((v = json_object_get(t, "namespaces")) != NULL)
		return check_selector(v, F(f, path, "namespaces"), e);
	if ((v = json_object_get(t, "pods")) != NULL) {
		F(g, path, "pods");
		if ((rc = only_keys(v, g, pk, e)) < 0)
			return rc;
		json_t *ns = json_object_get(v, "namespaceSelector"),
		       *ps = json_object_get(v, "podSelector");
		if (ns == NULL || ps == NULL)
			return vs_err_set(e, EINVAL, F(f, g, ns == NULL ? "namespaceSelector" :
							     "podSelector"), "required");
		if ((rc = check_selector(ns, F(f, g, "namespaceSelector"), e)) < 0)
			return rc;
		return check_selector(ps, F(f, g, "podSelector"), e);
	}
	v = json_object_get(t, "networks");
	if (!networks_ok)
		return vs_err_set(e, EINVAL, F(f, path, "networks"),
				  "networks peers are for egress rules only");
	if (!json_is_array(v) || json_array_size(v) == 0)
		return vs_err_set(e, EINVAL, F(f, path, "networks"), "expected an array of CIDRs");
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

static int check_np_rules(const json_t *spec, const char *path, int dir, struct vs_err *e)
{
	static const char *const ik[] = { "from", "ports", NULL };
	static const char *const ek[] = { "to", "ports", NULL };
	const char *key = dir == VS_DIR_INGRESS ? "ingress" : "egress";
	const char *peers_key = dir == VS_DIR_INGRESS ? "from" : "to";
	char f[256], g[256], h[256];
	json_t *rules, *r, *list, *x;
	size_t i, j;
	int rc;

	if ((rc = check_array(spec, key, path, VS_POLICY_RULES_MAX, &rules, e)) < 0)
		return rc;
	json_array_foreach(rules, i, r) {
		vs_pathf(g, sizeof(g), "%s.%s[%zu]", path, key, i);
		if ((rc = only_keys(r, g, dir == VS_DIR_INGRESS ? ik : ek, e)) < 0 ||
		    (rc = check_array(r, peers_key, g, 4096, &list, e)) < 0)
			return rc;
		unsigned int budget = VS_POLICY_PEER_PREFIXES_MAX;
		json_array_foreach(list, j, x) {
			vs_pathf(h, sizeof(h), "%s.%s[%zu]", g, peers_key, j);
			if ((rc = check_np_peer(x, h, &budget, e)) < 0)
				return rc;
		}
		if ((rc = check_array(r, "ports", g, VS_POLICY_PORTS_MAX, &list, e)) < 0)
			return rc;
		json_array_foreach(list, j, x) {
			vs_pathf(h, sizeof(h), "%s.ports[%zu]", g, j);
			if ((rc = check_np_port(x, h, e)) < 0)
				return rc;
		}
	}
	(void)f;
	return 0;
}

static int check_anp_rules(const json_t *spec, const char *path, int dir, uint8_t kind,
			   struct vs_err *e)
{
	static const char *const ik[] = { "name", "action", "from", "ports", NULL };
	static const char *const ek[] = { "name", "action", "to", "ports", NULL };
	const char *key = dir == VS_DIR_INGRESS ? "ingress" : "egress";
	const char *peers_key = dir == VS_DIR_INGRESS ? "from" : "to";
	char f[256], g[256], h[256];
	json_t *rules, *r, *list, *x;
	size_t i, j;
	int rc;

	/* upstream caps rules at 100 per direction */
	if ((rc = check_array(spec, key, path, 100, &rules, e)) < 0)
		return rc;
	json_array_foreach(rules, i, r) {
		const char *action, *name;
		vs_pathf(g, sizeof(g), "%s.%s[%zu]", path, key, i);
		if ((rc = only_keys(r, g, dir == VS_DIR_INGRESS ? ik : ek, e)) < 0 ||
		    (rc = check_str(r, "name", g, false, &name, e)) < 0 ||
		    (rc = check_str(r, "action", g, true, &action, e)) < 0)
			return rc;
		bool ok = strcmp(action, "Allow") == 0 || strcmp(action, "Deny") == 0 ||
			  (kind == VS_POL_ANP && strcmp(action, "Pass") == 0);
		if (!ok)
			return vs_err_set(e, EINVAL, F(f, g, "action"), "'%s': expected %s", action,
					  kind == VS_POL_ANP ? "Allow, Deny or Pass" :
							       "Allow or Deny");
		if ((rc = check_array(r, peers_key, g, 100, &list, e)) < 0)
			return rc;
		if (list == NULL || json_array_size(list) == 0)
			return vs_err_set(e, EINVAL, F(f, g, peers_key), "at least one peer required");
		unsigned int budget = VS_POLICY_PEER_PREFIXES_MAX;
		json_array_foreach(list, j, x) {
			vs_pathf(h, sizeof(h), "%s.%s[%zu]", g, peers_key, j);
			if ((rc = check_anp_target(x, h, dir == VS_DIR_EGRESS, &budget, e)) < 0)
				return rc;
		}
		if ((rc = check_array(r, "ports", g, 100, &list, e)) < 0)
			return rc;
		json_array_foreach(list, j, x) {
			vs_pathf(h, sizeof(h), "%s.ports[%zu]", g, j);
			if ((rc = check_anp_port(x, h, e)) < 0)
				return rc;
		}
	}
	return 0;
}

static int check_networks(const json_t *md, const struct vs_network *nets, unsigned int n_nets,
			  bool required, struct vs_err *e)
{
	const char *f = "metadata.annotations." VS_POLICY_FOR;
	json_t *an = json_object_get(md, "annotations");
	json_t *v = json_is_object(an) ? json_object_get(an, VS_POLICY_FOR) : NULL;

	if (v == NULL)
		return required ? vs_err_set(e, EINVAL, f, "required: the network(s) the policy is for") :
				  0;
	if (!json_is_string(v))
		return vs_err_set(e, EINVAL, f, "expected a string");
	const char *s = json_string_value(v);
	if (*s == '\0')
		return vs_err_set(e, EINVAL, f, "names no network");
	const char *name;
	size_t nlen;
	while ((s = vs_policy_for_next(s, &name, &nlen)) != NULL) {
		unsigned int i;
		for (i = 0; i < n_nets; i++)
			if (strlen(nets[i].name) == nlen && memcmp(nets[i].name, name, nlen) == 0)
				break;
		if (i == n_nets)
			return vs_err_set(e, ENOENT, f, "unknown network '%.*s' (see network.list)",
					  (int)nlen, name);
	}
	return 0;
}

const char *vs_policy_for_next(const char *s, const char **name, size_t *len)
{
	while (*s == ' ' || *s == ',')
		s++;
	if (*s == '\0')
		return NULL;
	const char *end = strchr(s, ',');
	size_t n = end ? (size_t)(end - s) : strlen(s);
	while (n > 0 && s[n - 1] == ' ')
		n--;
	/* "namespace/name" names a NetworkAttachmentDefinition; networks go by the NAD name */
	const char *slash = memchr(s, '/', n);
	*name = slash ? slash + 1 : s;
	*len = n - (size_t)(*name - s);
	return end ? end + 1 : s + strlen(s);
}

int vs_policy_check(const json_t *obj, const char *prefix, const struct vs_network *nets,
		    unsigned int n_nets, struct vs_policy_id *id, struct vs_err *e)
{
	static const char *const top[] = { "apiVersion", "kind", "metadata", "spec", "status",
					   NULL };
	static const char *const np_spec[] = { "podSelector", "policyTypes", "ingress", "egress",
					       NULL };
	static const char *const anp_spec[] = { "priority", "subject", "ingress", "egress",
						NULL };
	const char *kind, *name, *ns, *api;
	char f[256];
	int rc;

	memset(id, 0, sizeof(*id));
	if ((rc = only_keys(obj, "", top, e)) < 0 ||
	    (rc = check_str(obj, "kind", "", true, &kind, e)) < 0 ||
	    (rc = check_str(obj, "apiVersion", "", false, &api, e)) < 0)
		goto err;
	int k = vs_policy_kind_parse(kind);
	if (k < 0) {
		rc = vs_err_set(e, EINVAL, "kind",
				"'%s': expected MultiNetworkPolicy, AdminNetworkPolicy or "
				"BaselineAdminNetworkPolicy", kind);
		goto err;
	}
	json_t *md = json_object_get(obj, "metadata"), *spec = json_object_get(obj, "spec");
	if (!json_is_object(md)) {
		rc = vs_err_set(e, EINVAL, "metadata", "required: an object with name");
		goto err;
	}
	if ((rc = check_str(md, "name", "metadata", true, &name, e)) < 0 ||
	    (rc = check_str(md, "namespace", "metadata", false, &ns, e)) < 0)
		goto err;
	if (*name == '\0' || strlen(name) >= VS_POLICY_NAME_MAX) {
		rc = vs_err_set(e, EINVAL, "metadata.name", "1..%d characters",
				VS_POLICY_NAME_MAX - 1);
		goto err;
	}
	if (k == VS_POL_NP && ns != NULL && (*ns == '\0' || strlen(ns) >= VS_NS_NAME_MAX)) {
		rc = vs_err_set(e, EINVAL, "metadata.namespace", "1..%d characters",
				VS_NS_NAME_MAX - 1);
		goto err;
	}
	if (k == VS_POL_BANP && strcmp(name, "default") != 0) {
		rc = vs_err_set(e, EINVAL, "metadata.name",
				"a BaselineAdminNetworkPolicy must be named 'default'");
		goto err;
	}
	id->kind = (uint8_t)k;
	snprintf(id->name, sizeof(id->name), "%s", name);
	if (k == VS_POL_NP)
		snprintf(id->ns, sizeof(id->ns), "%s", ns != NULL ? ns : "default");
	if ((rc = check_networks(md, nets, n_nets, k == VS_POL_NP, e)) < 0)
		goto err;
	if (!json_is_object(spec)) {
		rc = vs_err_set(e, EINVAL, "spec", "required: an object");
		goto err;
	}
	if (k == VS_POL_NP) {
		json_t *ps = json_object_get(spec, "podSelector"), *types;
		if ((rc = only_keys(spec, "spec", np_spec, e)) < 0)
			goto err;
		if (ps == NULL) {
			rc = vs_err_set(e, EINVAL, "spec.podSelector", "required ({} selects all)");
			goto err;
		}
		if ((rc = check_selector(ps, "spec.podSelector", e)) < 0 ||
		    (rc = check_array(spec, "policyTypes", "spec", 2, &types, e)) < 0)
			goto err;
		size_t i;
		json_t *t;
		json_array_foreach(types, i, t) {
			const char *s = json_string_value(t);
			if (s == NULL || (strcmp(s, "Ingress") != 0 && strcmp(s, "Egress") != 0)) {
				vs_pathf(f, sizeof(f), "spec.policyTypes[%zu]", i);
				rc = vs_err_set(e, EINVAL, f, "expected Ingress or Egress");
				goto err;
			}
		}
		if ((rc = check_np_rules(spec, "spec", VS_DIR_INGRESS, e)) < 0 ||
		    (rc = check_np_rules(spec, "spec", VS_DIR_EGRESS, e)) < 0)
			goto err;
		return 0;
	}
	if ((rc = only_keys(spec, "spec", anp_spec, e)) < 0)
		goto err;
	json_t *prio = json_object_get(spec, "priority");
	if (k == VS_POL_ANP && (!json_is_integer(prio) || json_integer_value(prio) < 0 ||
				json_integer_value(prio) > VS_ANP_PRIORITY_MAX)) {
		rc = vs_err_set(e, EINVAL, "spec.priority", "required: 0..%d (lower goes first)",
				VS_ANP_PRIORITY_MAX);
		goto err;
	}
	if (k == VS_POL_BANP && prio != NULL) {
		rc = vs_err_set(e, EINVAL, "spec.priority",
				"a BaselineAdminNetworkPolicy has no priority");
		goto err;
	}
	json_t *subject = json_object_get(spec, "subject");
	if (subject == NULL) {
		rc = vs_err_set(e, EINVAL, "spec.subject", "required");
		goto err;
	}
	unsigned int no_networks = 0;	/* a subject has no networks (refused before) */
	if ((rc = check_anp_target(subject, "spec.subject", false, &no_networks, e)) < 0 ||
	    (rc = check_anp_rules(spec, "spec", VS_DIR_INGRESS, (uint8_t)k, e)) < 0 ||
	    (rc = check_anp_rules(spec, "spec", VS_DIR_EGRESS, (uint8_t)k, e)) < 0)
		goto err;
	return 0;
err:
	/* errors name the path inside the object; say which object too */
	{
		char rel[sizeof(e->field)], full[sizeof(e->field) + 64];
		snprintf(rel, sizeof(rel), "%s", e->field[0] == '.' ? e->field + 1 : e->field);
		if (prefix != NULL && prefix[0] != '\0')
			snprintf(full, sizeof(full), "%s.%s", prefix, rel);
		else
			snprintf(full, sizeof(full), "%s", rel);
		vs_pathf(e->field, sizeof(e->field), "%s", full);
	}
	return rc;
}
