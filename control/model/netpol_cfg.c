/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The inventory network policy works on: labels and namespaces of VM ports, their addresses
 * and spoof check, named networks (VLAN domains), namespace labels, conntrack settings. Pure
 * (Jansson only): the config loader, the control socket and the unit tests share it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "control/model/netpol_cfg.h"
#include "vs_types.h"
#include "control/model/err.h"
#include "control/model/vlan_set.h"

static bool label_char(char c, bool slash_ok)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '.' || (slash_ok && c == '/');
}

static int label_add(struct vs_labels *l, const char *k, size_t klen, const char *v, size_t vlen,
		     const char *field, struct vs_err *e)
{
	if (klen == 0 || klen >= VS_LABEL_KEY_MAX)
		return vs_err_set(e, EINVAL, field, "label key '%.*s': 1..%d characters", (int)klen,
				  k, VS_LABEL_KEY_MAX - 1);
	if (vlen >= VS_LABEL_VAL_MAX)
		return vs_err_set(e, EINVAL, field, "label '%.*s': value longer than %d characters",
				  (int)klen, k, VS_LABEL_VAL_MAX - 1);
	for (size_t i = 0; i < klen; i++)
		if (!label_char(k[i], true))
			return vs_err_set(e, EINVAL, field, "label key '%.*s': bad character '%c'",
					  (int)klen, k, k[i]);
	/* prefix/name: the prefix at most 253 characters, the name 1..63 (Kubernetes) */
	const char *slash = memchr(k, '/', klen);
	size_t plen = slash ? (size_t)(slash - k) : 0, nlen = slash ? klen - plen - 1 : klen;
	if ((slash && (plen == 0 || plen > 253 || memchr(slash + 1, '/', nlen) != NULL)) ||
	    nlen == 0 || nlen > 63)
		return vs_err_set(e, EINVAL, field, "label key '%.*s': [prefix/]name, the prefix "
				  "at most 253 characters, the name 1..63", (int)klen, k);
	for (size_t i = 0; i < vlen; i++)
		if (!label_char(v[i], false))
			return vs_err_set(e, EINVAL, field, "label '%.*s': bad character '%c' in value",
					  (int)klen, k, v[i]);
	for (uint8_t i = 0; i < l->n; i++)
		if (strlen(l->l[i].key) == klen && memcmp(l->l[i].key, k, klen) == 0)
			return vs_err_set(e, EINVAL, field, "label '%.*s' given twice", (int)klen, k);
	if (l->n == VS_LABELS_MAX)
		return vs_err_set(e, E2BIG, field, "more than %d labels", VS_LABELS_MAX);
	snprintf(l->l[l->n].key, VS_LABEL_KEY_MAX, "%.*s", (int)klen, k);
	snprintf(l->l[l->n].val, VS_LABEL_VAL_MAX, "%.*s", (int)vlen, v);
	l->n++;
	return 0;
}

int vs_labels_parse(const json_t *v, struct vs_labels *out, const char *field, struct vs_err *e)
{
	struct vs_labels l = { 0 };
	int rc;

	if (json_is_object(v)) {
		const char *k;
		json_t *val;
		json_object_foreach((json_t *)v, k, val) {
			if (!json_is_string(val))
				return vs_err_set(e, EINVAL, field, "label '%s': expected a string value",
						  k);
			if ((rc = label_add(&l, k, strlen(k), json_string_value(val),
					    strlen(json_string_value(val)), field, e)) < 0)
				return rc;
		}
	} else if (json_is_string(v)) {
		const char *s = json_string_value(v);
		while (*s != '\0') {
			const char *end = strchr(s, ','), *eq;
			size_t len = end ? (size_t)(end - s) : strlen(s);
			eq = memchr(s, '=', len);
			if (eq == NULL)
				return vs_err_set(e, EINVAL, field, "'%.*s': expected key=value",
						  (int)len, s);
			if ((rc = label_add(&l, s, (size_t)(eq - s), eq + 1,
					    len - (size_t)(eq - s) - 1, field, e)) < 0)
				return rc;
			s += len + (end ? 1 : 0);
		}
	} else {
		return vs_err_set(e, EINVAL, field,
				  "expected labels as \"key=value,...\" or an object of strings");
	}
	*out = l;
	return 0;
}

json_t *vs_labels_to_json(const struct vs_labels *l)
{
	json_t *o = json_object();
	for (uint8_t i = 0; i < l->n; i++)
		json_object_set_new(o, l->l[i].key, json_string(l->l[i].val));
	return o;
}

const char *vs_labels_get(const struct vs_labels *l, const char *key)
{
	for (uint8_t i = 0; i < l->n; i++)
		if (strcmp(l->l[i].key, key) == 0)
			return l->l[i].val;
	return NULL;
}

int vs_ip_parse(const char *s, struct vs_ip *ip)
{
	memset(ip, 0, sizeof(*ip));
	if (inet_pton(AF_INET, s, ip->addr) == 1) {
		ip->family = 4;
		return 0;
	}
	if (inet_pton(AF_INET6, s, ip->addr) == 1) {
		ip->family = 6;
		return 0;
	}
	return -EINVAL;
}

void vs_ip_format(const struct vs_ip *ip, char *buf, size_t len)
{
	if (inet_ntop(ip->family == 4 ? AF_INET : AF_INET6, ip->addr, buf, (socklen_t)len) == NULL)
		snprintf(buf, len, "?");
}

static int ip_add(const char *s, size_t len, struct vs_ip *out, uint8_t *n, unsigned int max,
		  const char *field, struct vs_err *e)
{
	char buf[64];
	struct vs_ip ip;
	if (len == 0 || len >= sizeof(buf))
		return vs_err_set(e, EINVAL, field, "'%.*s': expected an IPv4 or IPv6 address",
				  (int)len, s);
	snprintf(buf, sizeof(buf), "%.*s", (int)len, s);
	if (vs_ip_parse(buf, &ip) < 0)
		return vs_err_set(e, EINVAL, field, "'%s': expected an IPv4 or IPv6 address", buf);
	for (uint8_t i = 0; i < *n; i++)
		if (memcmp(&out[i], &ip, sizeof(ip)) == 0)
			return vs_err_set(e, EINVAL, field, "'%s' given twice", buf);
	if (*n >= max)
		return vs_err_set(e, E2BIG, field, "more than %u addresses", max);
	out[(*n)++] = ip;
	return 0;
}

int vs_ips_parse(const json_t *v, struct vs_ip *out, uint8_t *n, unsigned int max,
		 const char *field, struct vs_err *e)
{
	struct vs_ip ips[VS_PORT_IPS_MAX];
	uint8_t k = 0;
	int rc;

	if (max > VS_PORT_IPS_MAX)
		max = VS_PORT_IPS_MAX;
	if (json_is_array(v)) {
		size_t i;
		json_t *x;
		json_array_foreach((json_t *)v, i, x) {
			if (!json_is_string(x))
				return vs_err_set(e, EINVAL, field, "expected an array of addresses");
			const char *s = json_string_value(x);
			if ((rc = ip_add(s, strlen(s), ips, &k, max, field, e)) < 0)
				return rc;
		}
	} else if (json_is_string(v)) {
		const char *s = json_string_value(v);
		while (*s != '\0') {
			const char *end = strchr(s, ',');
			size_t len = end ? (size_t)(end - s) : strlen(s);
			if ((rc = ip_add(s, len, ips, &k, max, field, e)) < 0)
				return rc;
			s += len + (end ? 1 : 0);
		}
	} else {
		return vs_err_set(e, EINVAL, field, "expected addresses as \"a,b\" or an array");
	}
	memcpy(out, ips, sizeof(ips[0]) * k);
	*n = k;
	return 0;
}

static bool dns_label_ok(const char *s)
{
	size_t len = strlen(s);
	if (len == 0 || len >= VS_NS_NAME_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		      (s[i] == '-' && i > 0 && i + 1 < len)))
			return false;
	return true;
}

int vs_netpol_port_args(const json_t *o, const char *prefix, struct vs_netpol_port *np,
			struct vs_err *e)
{
	struct vs_netpol_port n = *np;
	char f[160];
	json_t *v;
	int rc;

	if ((v = json_object_get(o, "namespace")) != NULL) {
		const char *s = json_string_value(v);
		if (*s != '\0' && !dns_label_ok(s))
			return vs_err_set(e, EINVAL, VS_FIELD(f, prefix, "namespace"),
					  "'%s': a namespace is lower-case letters, digits and '-', "
					  "at most %d characters", s, VS_NS_NAME_MAX - 1);
		snprintf(n.ns, sizeof(n.ns), "%s", s);
	}
	if ((v = json_object_get(o, "labels")) != NULL &&
	    (rc = vs_labels_parse(v, &n.labels, VS_FIELD(f, prefix, "labels"), e)) < 0)
		return rc;
	if ((v = json_object_get(o, "ips")) != NULL &&
	    (rc = vs_ips_parse(v, n.ips, &n.n_ips, VS_PORT_IPS_MAX, VS_FIELD(f, prefix, "ips"),
			       e)) < 0)
		return rc;
	if ((v = json_object_get(o, "mac")) != NULL) {
		const char *s = json_string_value(v);
		n.has_mac = *s != '\0';
		if (n.has_mac && vs_mac_parse(s, n.mac) < 0)
			return vs_err_set(e, EINVAL, VS_FIELD(f, prefix, "mac"),
					  "expected a MAC address like 02:00:00:00:00:01");
		if (n.has_mac && (n.mac[0] & 1))
			return vs_err_set(e, EINVAL, VS_FIELD(f, prefix, "mac"),
					  "'%s' is a multicast address", s);
	}
	if ((v = json_object_get(o, "spoofchk")) != NULL)
		n.spoofchk = json_is_true(v);
	if ((v = json_object_get(o, "ip_spoofchk")) != NULL)
		n.ip_spoofchk = json_is_true(v);
	if (n.spoofchk && !n.has_mac)
		return vs_err_set(e, EINVAL, VS_FIELD(f, prefix, "spoofchk"),
				  "needs the port's own address: set mac");
	if (n.ip_spoofchk && n.n_ips == 0)
		return vs_err_set(e, EINVAL, VS_FIELD(f, prefix, "ip_spoofchk"),
				  "needs the port's addresses: set ips");
	*np = n;
	return 0;
}

void vs_netpol_port_to_json(const struct vs_netpol_port *np, json_t *port)
{
	if (np->ns[0])
		json_object_set_new(port, "namespace", json_string(np->ns));
	if (np->labels.n)
		json_object_set_new(port, "labels", vs_labels_to_json(&np->labels));
	if (np->n_ips) {
		json_t *a = json_array();
		for (uint8_t i = 0; i < np->n_ips; i++) {
			char buf[64];
			vs_ip_format(&np->ips[i], buf, sizeof(buf));
			json_array_append_new(a, json_string(buf));
		}
		json_object_set_new(port, "ips", a);
	}
	if (np->has_mac) {
		char buf[18];
		vs_mac_format(np->mac, buf);
		json_object_set_new(port, "mac", json_string(buf));
	}
	if (np->spoofchk)
		json_object_set_new(port, "spoofchk", json_true());
	if (np->ip_spoofchk)
		json_object_set_new(port, "ip_spoofchk", json_true());
}

/* A Kubernetes object name (DNS-1123 subdomain): 1..253 of a-z 0-9 - ., alphanumeric at both
 * ends. */
static bool dns_subdomain_ok(const char *s, size_t len)
{
	if (len == 0 || len > 253)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		      ((s[i] == '-' || s[i] == '.') && i > 0 && i + 1 < len)))
			return false;
	return true;
}

/* "namespace/name" (a NAD) or a bare DNS label (a cluster-wide name). */
static bool network_name_ok(const char *s)
{
	const char *slash = strchr(s, '/');
	if (slash == NULL)
		return dns_label_ok(s);
	char ns[VS_NS_NAME_MAX];
	size_t nl = (size_t)(slash - s);
	if (nl >= sizeof(ns))
		return false;
	memcpy(ns, s, nl);
	ns[nl] = '\0';
	return dns_label_ok(ns) && dns_subdomain_ok(slash + 1, strlen(slash + 1));
}

int vs_network_resolve(const struct vs_network *nets, unsigned int n, const char *token,
		       size_t len, const char *pol_ns)
{
	char q[VS_NET_NAME_MAX];
	const char *slash = memchr(token, '/', len);
	const char *base = slash ? slash + 1 : token;	/* the NAD's name */
	size_t blen = len - (size_t)(base - token);
	int qn = slash ? snprintf(q, sizeof(q), "%.*s", (int)len, token) :
		 pol_ns ? snprintf(q, sizeof(q), "%s/%.*s", pol_ns, (int)len, token) : -1;
	int found = -1;
	for (unsigned int i = 0; i < n; i++) {
		size_t l = strlen(nets[i].name);
		if (qn > 0 && (size_t)qn == l && memcmp(nets[i].name, q, l) == 0)
			return (int)i;	/* the NAD itself goes first */
		if (l == blen && memcmp(nets[i].name, base, blen) == 0 &&
		    memchr(base, '/', blen) == NULL)
			found = (int)i;	/* a cluster-wide name covers that NAD everywhere */
	}
	return found;
}

int vs_network_from_json(const json_t *o, const char *prefix, struct vs_network *n,
			 struct vs_err *e)
{
	char f[160];

	const char *name = json_string_value(json_object_get(o, "name"));
	json_int_t vlan = json_integer_value(json_object_get(o, "vlan"));
	if (name == NULL || strlen(name) >= sizeof(n->name) || !network_name_ok(name))
		return vs_err_set(e, EINVAL, VS_FIELD(f, prefix, "name"),
				  "'%s': a NetworkAttachmentDefinition's namespace/name, or a "
				  "cluster-wide name (lower-case letters, digits and '-', at most %d "
				  "characters)", name ? name : "", VS_NS_NAME_MAX - 1);
	if (vlan < VS_VLAN_MIN || vlan > VS_VLAN_MAX)
		return vs_err_set(e, ERANGE, VS_FIELD(f, prefix, "vlan"), "%lld: VLAN is %d..%d",
				  vlan, VS_VLAN_MIN, VS_VLAN_MAX);
	snprintf(n->name, sizeof(n->name), "%s", name);
	n->vlan = (uint16_t)vlan;
	return 0;
}

int vs_namespace_from_json(const json_t *o, const char *prefix, struct vs_namespace *ns,
			   struct vs_err *e)
{
	char f[160];
	int rc;

	const char *name = json_string_value(json_object_get(o, "name"));
	if (!dns_label_ok(name))
		return vs_err_set(e, EINVAL, VS_FIELD(f, prefix, "name"),
				  "'%s': lower-case letters, digits and '-', at most %d characters",
				  name, VS_NS_NAME_MAX - 1);
	memset(ns, 0, sizeof(*ns));
	snprintf(ns->name, sizeof(ns->name), "%s", name);
	json_t *v = json_object_get(o, "labels");
	if (v != NULL && (rc = vs_labels_parse(v, &ns->labels, VS_FIELD(f, prefix, "labels"), e)) < 0)
		return rc;
	return 0;
}

json_t *vs_network_to_json(const struct vs_network *n)
{
	return json_pack("{s:s, s:i}", "name", n->name, "vlan", n->vlan);
}

json_t *vs_networks_to_json(const struct vs_network *nets, unsigned int n)
{
	json_t *a = json_array();
	for (unsigned int i = 0; i < n; i++)
		json_array_append_new(a, vs_network_to_json(&nets[i]));
	return a;
}

json_t *vs_namespaces_to_json(const struct vs_namespace *nss, unsigned int n)
{
	json_t *a = json_array();
	for (unsigned int i = 0; i < n; i++)
		json_array_append_new(a, vs_namespace_to_json(&nss[i]));
	return a;
}

json_t *vs_namespace_to_json(const struct vs_namespace *ns)
{
	return json_pack("{s:s, s:o}", "name", ns->name, "labels", vs_labels_to_json(&ns->labels));
}

/* name, field offset: the timeouts as the config file spells them */
static const struct {
	const char *name;
	size_t off;
} ct_timeouts[] = {
	{ "tcp_syn_s", offsetof(struct vs_conntrack_cfg, tcp_syn) },
	{ "tcp_established_s", offsetof(struct vs_conntrack_cfg, tcp_established) },
	{ "tcp_fin_s", offsetof(struct vs_conntrack_cfg, tcp_fin) },
	{ "tcp_closed_s", offsetof(struct vs_conntrack_cfg, tcp_closed) },
	{ "udp_new_s", offsetof(struct vs_conntrack_cfg, udp_new) },
	{ "udp_established_s", offsetof(struct vs_conntrack_cfg, udp_established) },
	{ "icmp_s", offsetof(struct vs_conntrack_cfg, icmp) },
	{ "other_s", offsetof(struct vs_conntrack_cfg, other) },
	{ "fragment_s", offsetof(struct vs_conntrack_cfg, fragment) },
};
#define N_CT_TIMEOUTS (sizeof(ct_timeouts) / sizeof(ct_timeouts[0]))

void vs_conntrack_defaults(struct vs_conntrack_cfg *c)
{
	/* Close to Linux conntrack's, with established TCP at a day as OVS has it. */
	*c = (struct vs_conntrack_cfg){ .size = 262144, .tcp_syn = 30, .tcp_established = 86400,
					.tcp_fin = 120, .tcp_closed = 10, .udp_new = 30,
					.udp_established = 180, .icmp = 30, .other = 60,
					/* Linux keeps a datagram's fragments 30 s (ipfrag_time) */
					.fragments = 65536, .fragment = 30 };
	c->per_port = c->size / 4;
	c->fragments_per_port = c->fragments / 4;
}

/* A per-port share: at most the table, a quarter of it when not given. */
static int share_check(const json_t *o, const char *key, uint32_t table, uint32_t *share,
		       struct vs_err *e)
{
	char f[64];
	snprintf(f, sizeof(f), "conntrack.%s", key);
	if (json_object_get(o, key) == NULL)
		*share = table / 4;
	else if (*share > table)
		return vs_err_set(e, ERANGE, f, "%u: more than the table holds (%u)", *share, table);
	return 0;
}

int vs_conntrack_from_json(const json_t *o, struct vs_conntrack_cfg *c, struct vs_err *e)
{
	struct vs_conntrack_cfg n = *c;
	const char *key;
	json_t *v;
	char f[64];

	if (!json_is_object(o))
		return vs_err_set(e, EINVAL, "conntrack", "expected an object");
	json_object_foreach((json_t *)o, key, v) {
		snprintf(f, sizeof(f), "conntrack.%s", key);
		if (!json_is_integer(v) || json_integer_value(v) < 1)
			return vs_err_set(e, EINVAL, f, "expected a positive integer");
		json_int_t x = json_integer_value(v);
		if (strcmp(key, "size") == 0) {
			if (x < 1024 || x > (1 << 24))
				return vs_err_set(e, ERANGE, f, "%lld: 1024..%d connections", x,
						  1 << 24);
			n.size = (uint32_t)x;
			continue;
		}
		if (strcmp(key, "fragments") == 0) {
			if (x < 256 || x > (1 << 22))
				return vs_err_set(e, ERANGE, f, "%lld: 256..%d datagrams", x, 1 << 22);
			n.fragments = (uint32_t)x;
			continue;
		}
		if (strcmp(key, "per_port") == 0 || strcmp(key, "fragments_per_port") == 0) {
			if (x > (1 << 24))
				return vs_err_set(e, ERANGE, f, "%lld: 1..%d", x, 1 << 24);
			if (strcmp(key, "per_port") == 0)
				n.per_port = (uint32_t)x;
			else
				n.fragments_per_port = (uint32_t)x;
			continue;
		}
		size_t i;
		for (i = 0; i < N_CT_TIMEOUTS; i++)
			if (strcmp(key, ct_timeouts[i].name) == 0)
				break;
		if (i == N_CT_TIMEOUTS)
			return vs_err_set(e, EINVAL, f, "unknown setting");
		if (x > 30 * 86400)
			return vs_err_set(e, ERANGE, f, "%lld: at most 30 days", x);
		*(uint32_t *)((char *)&n + ct_timeouts[i].off) = (uint32_t)x;
	}
	if (share_check(o, "per_port", n.size, &n.per_port, e) < 0 ||
	    share_check(o, "fragments_per_port", n.fragments, &n.fragments_per_port, e) < 0)
		return -e->code;
	*c = n;
	return 0;
}

json_t *vs_conntrack_to_json(const struct vs_conntrack_cfg *c)
{
	json_t *o = json_pack("{s:I, s:I, s:I, s:I}", "size", (json_int_t)c->size, "fragments",
			      (json_int_t)c->fragments, "per_port", (json_int_t)c->per_port,
			      "fragments_per_port", (json_int_t)c->fragments_per_port);
	for (size_t i = 0; i < N_CT_TIMEOUTS; i++)
		json_object_set_new(o, ct_timeouts[i].name,
				    json_integer(*(const uint32_t *)((const char *)c +
								      ct_timeouts[i].off)));
	return o;
}
