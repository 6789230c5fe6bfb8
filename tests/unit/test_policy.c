/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Network policy, the pure parts: checking policy objects (control/model/policy_check.c: refusals
 * naming the JSON path), compiling them against a port inventory (control/model/policy_compile.c:
 * the exact ACL entries, rule infos and port flags), label selectors and prefix arithmetic,
 * the port inventory arguments (control/model/netpol_cfg.c), and the data path's 5-tuple parse
 * (dataplane/policy/flow.h) and spoof check (dataplane/policy/spoof.h) on frame bytes built by hand.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "vs_types.h"
#include "control/model/err.h"
#include "control/model/netpol_cfg.h"
#include "control/model/policy.h"
#include "control/model/port_cfg.h"
#include "control/model/prefix.h"
#include "dataplane/policy/flow.h"
#include "dataplane/policy/policy_dp.h"
#include "dataplane/policy/spoof.h"
#include "dataplane/worker/frame.h"
#include "suites.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------ policy text */

/* vs_test_json turns ' into ", so the policies below read like kubectl's JSON. */
#define ANNOT(nets) "'annotations': {'k8s.v1.cni.cncf.io/policy-for': '" nets "'}"
#define MNP_ON(ns, nets, spec)                                                              \
	"{'apiVersion': 'k8s.cni.cncf.io/v1beta1', 'kind': 'MultiNetworkPolicy', "          \
	"'metadata': {'name': 'p', 'namespace': '" ns "', " ANNOT(nets) "}, "                  \
	"'spec': {" spec "}}"
#define MNP(spec) MNP_ON("x", "vlan2003", spec)
#define ANP_NAMED(name, spec)                                                               \
	"{'apiVersion': 'policy.networking.k8s.io/v1alpha1', 'kind': 'AdminNetworkPolicy', "  \
	"'metadata': {'name': '" name "'}, 'spec': {" spec "}}"
#define ANP(spec) ANP_NAMED("anp", spec)
#define BANP(spec)                                                                          \
	"{'apiVersion': 'policy.networking.k8s.io/v1alpha1', "                               \
	"'kind': 'BaselineAdminNetworkPolicy', 'metadata': {'name': 'default'}, "            \
	"'spec': {" spec "}}"
#define POD_A "'podSelector': {'matchLabels': {'pod': 'a'}}"

/* ------------------------------------------------------------------ the inventory */

/*
 * slot 3  x/a       vlan 2003  pod=a  10.0.0.10 fd00::a
 * slot 5  x/b       vlan 2003  pod=b  10.0.0.11 fd00::b
 * slot 7  y/a       vlan 2003  pod=a  10.0.1.10 fd00::1:a
 * slot 9  x/a@2004  vlan 2004  pod=a  10.0.0.10            (a second tenant, same subnet)
 * slot 1  no namespace (not a pod), vlan 2003, pod=a, 10.0.0.99
 * slot 11 x, pod=a, 10.0.0.50, but a trunk (native 2003): not a pod either
 * namespaces x {ns: x, team: red}, y {ns: y, team: blue}; networks vlan2003, vlan2004.
 */
static struct vs_port_cfg inv_cfg[6];
static struct vs_inv_port inv_ports[6];
static struct vs_namespace inv_ns[2];
static struct vs_network inv_nets[2];
static struct vs_inventory inv;

static void set_label(struct vs_labels *l, const char *k, const char *v)
{
	snprintf(l->l[l->n].key, VS_LABEL_KEY_MAX, "%s", k);
	snprintf(l->l[l->n].val, VS_LABEL_VAL_MAX, "%s", v);
	l->n++;
}

static void add_ip(struct vs_netpol_port *np, const char *s)
{
	struct vs_ip *ip = &np->ips[np->n_ips++];
	memset(ip, 0, sizeof(*ip));
	if (inet_pton(AF_INET, s, ip->addr) == 1)
		ip->family = 4;
	else if (inet_pton(AF_INET6, s, ip->addr) == 1)
		ip->family = 6;
	else
		CU_FAIL_FATAL("bad address in test inventory");
}

static void add_port(unsigned int i, uint16_t slot, const char *name, const char *ns,
		     uint16_t vlan, const char *pod, const char *ip4, const char *ip6)
{
	struct vs_port_cfg *p = &inv_cfg[i];
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->type = VS_PORT_VHOST;
	p->mode = VS_MODE_ACCESS;
	p->vlan = vlan;
	snprintf(p->np.ns, sizeof(p->np.ns), "%s", ns);
	set_label(&p->np.labels, "pod", pod);
	if (ip4 != NULL)
		add_ip(&p->np, ip4);
	if (ip6 != NULL)
		add_ip(&p->np, ip6);
	inv_ports[i] = (struct vs_inv_port){ .slot = slot, .cfg = p };
}

static const struct vs_inventory *inventory(void)
{
	add_port(0, 3, "xa", "x", 2003, "a", "10.0.0.10", "fd00::a");
	add_port(1, 5, "xb", "x", 2003, "b", "10.0.0.11", "fd00::b");
	add_port(2, 7, "ya", "y", 2003, "a", "10.0.1.10", "fd00::1:a");
	add_port(3, 9, "xa2004", "x", 2004, "a", "10.0.0.10", NULL);
	add_port(4, 1, "plain", "", 2003, "a", "10.0.0.99", NULL);
	add_port(5, 11, "trunk", "x", 0, "a", "10.0.0.50", NULL);
	inv_cfg[5].mode = VS_MODE_TRUNK;
	inv_cfg[5].native_vlan = 2003;
	memset(inv_ns, 0, sizeof(inv_ns));
	snprintf(inv_ns[0].name, sizeof(inv_ns[0].name), "x");
	set_label(&inv_ns[0].labels, "ns", "x");
	set_label(&inv_ns[0].labels, "team", "red");
	snprintf(inv_ns[1].name, sizeof(inv_ns[1].name), "y");
	set_label(&inv_ns[1].labels, "ns", "y");
	set_label(&inv_ns[1].labels, "team", "blue");
	memset(inv_nets, 0, sizeof(inv_nets));
	snprintf(inv_nets[0].name, sizeof(inv_nets[0].name), "vlan2003");
	inv_nets[0].vlan = 2003;
	snprintf(inv_nets[1].name, sizeof(inv_nets[1].name), "vlan2004");
	inv_nets[1].vlan = 2004;
	inv = (struct vs_inventory){ .ports = inv_ports, .n_ports = N(inv_ports), .ns = inv_ns,
				     .n_ns = N(inv_ns), .nets = inv_nets, .n_nets = N(inv_nets) };
	return &inv;
}

/* Checks (must pass) and compiles (must succeed) the policies texts[0..n). */
static void compile(const char *const *texts, unsigned int n, struct vs_compiled *c)
{
	const struct vs_inventory *iv = inventory();
	json_t *pols[16];
	struct vs_policy_id id;
	struct vs_err e = { 0 };
	char prefix[32];

	CU_ASSERT_FATAL(n <= N(pols));
	for (unsigned int i = 0; i < n; i++) {
		pols[i] = vs_test_json(texts[i]);
		snprintf(prefix, sizeof(prefix), "policies[%u]", i);
		int rc = vs_policy_check(pols[i], prefix, iv->nets, iv->n_nets, &id, &e);
		if (rc != 0)
			fprintf(stderr, "\n  refused: %s %s\n", e.field, e.msg);
		CU_ASSERT_EQUAL_FATAL(rc, 0);
	}
	int rc = vs_policy_compile((const json_t *const *)pols, n, iv, c, &e);
	if (rc != 0)
		fprintf(stderr, "\n  compile: %s %s\n", e.field, e.msg);
	for (unsigned int i = 0; i < n; i++)
		json_decref(pols[i]);
	CU_ASSERT_EQUAL_FATAL(rc, 0);
}

static void compile1(const char *text, struct vs_compiled *c)
{
	compile(&text, 1, c);
}

/* "slot dir tier vF addr/plen pPROTO lo-hi" */
static void entry_str(const struct vs_acl_entry *en, char *buf, size_t len)
{
	struct vs_prefix p = { .family = en->family, .plen = en->plen };
	char a[80];

	memcpy(p.addr, en->addr, 16);
	if (en->family == 4 || en->family == 6)
		vs_prefix_format(&p, a, sizeof(a));
	else
		snprintf(a, sizeof(a), "family%u", en->family);
	snprintf(buf, len, "%u %s %s v%u %s p%u %u-%u", en->slot,
		 en->dir == VS_DIR_INGRESS ? "in" : en->dir == VS_DIR_EGRESS ? "out" : "?",
		 vs_tier_name(en->tier), en->family, a, en->proto, en->port_lo, en->port_hi);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * The entries of rule info (or of every rule when info is UINT32_MAX) are exactly want, in
 * any order (the order of entries is not part of the contract).
 */
static void expect_entries(const struct vs_compiled *c, uint32_t info, const char *const *want,
			   size_t n_want)
{
	char (*got)[128] = calloc(c->n_entries + 1, 128);
	const char **gp = calloc(c->n_entries + 1, sizeof(*gp));
	const char **wp = calloc(n_want + 1, sizeof(*wp));
	size_t n = 0;
	bool same;

	CU_ASSERT_FATAL(got != NULL && gp != NULL && wp != NULL);
	for (uint32_t i = 0; i < c->n_entries; i++) {
		if (info != UINT32_MAX && c->entries[i].info != info)
			continue;
		entry_str(&c->entries[i], got[n], 128);
		gp[n] = got[n];
		n++;
	}
	memcpy(wp, want, n_want * sizeof(*wp));
	qsort(gp, n, sizeof(*gp), cmp_str);
	qsort(wp, n_want, sizeof(*wp), cmp_str);
	same = n == n_want;
	for (size_t i = 0; same && i < n; i++)
		same = strcmp(gp[i], wp[i]) == 0;
	if (!same) {
		fprintf(stderr, "\n  entries of info %d: got %zu, want %zu\n", (int)info, n,
			n_want);
		for (size_t i = 0; i < n || i < n_want; i++)
			fprintf(stderr, "    %-45s | %s\n", i < n ? gp[i] : "",
				i < n_want ? wp[i] : "");
	}
	CU_ASSERT_EQUAL(n, n_want);
	CU_ASSERT_TRUE(same);
	free(got);
	free(gp);
	free(wp);
}

static void expect_info(const struct vs_compiled *c, uint32_t i, uint32_t policy, uint16_t rule,
			uint8_t dir, uint8_t tier, uint8_t action)
{
	CU_ASSERT_FATAL(i < c->n_infos);
	CU_ASSERT_EQUAL(c->infos[i].policy, policy);
	CU_ASSERT_EQUAL(c->infos[i].rule, rule);
	CU_ASSERT_EQUAL(c->infos[i].dir, dir);
	CU_ASSERT_EQUAL(c->infos[i].tier, tier);
	CU_ASSERT_EQUAL(c->infos[i].action, action);
}

/* The priority all entries of rule info share (asserted: one, within rte_acl's range). */
static uint32_t info_priority(const struct vs_compiled *c, uint32_t info)
{
	uint32_t prio = 0;
	bool seen = false;

	for (uint32_t i = 0; i < c->n_entries; i++) {
		if (c->entries[i].info != info)
			continue;
		if (seen)
			CU_ASSERT_EQUAL(c->entries[i].priority, prio);
		prio = c->entries[i].priority;
		seen = true;
	}
	CU_ASSERT_TRUE(seen);
	CU_ASSERT_TRUE(prio >= 1 && prio <= VS_ACL_PRIORITY_MAX);
	return prio;
}

/* ------------------------------------------------------------------ prefix arithmetic */

static bool pbit(const uint8_t *a, unsigned int b)
{
	return (a[b / 8] >> (7 - b % 8)) & 1;
}

static bool pcontains(const struct vs_prefix *outer, const struct vs_prefix *inner)
{
	if (outer->family != inner->family || inner->plen < outer->plen)
		return false;
	for (unsigned int b = 0; b < outer->plen; b++)
		if (pbit(outer->addr, b) != pbit(inner->addr, b))
			return false;
	return true;
}

static bool poverlap(const struct vs_prefix *a, const struct vs_prefix *b)
{
	return pcontains(a, b) || pcontains(b, a);
}

static struct vs_prefix pfx(const char *s)
{
	struct vs_prefix p;
	int rc = vs_prefix_parse(s, &p);
	if (rc != 0)
		fprintf(stderr, "\n  vs_prefix_parse(%s) = %d\n", s, rc);
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	return p;
}

/*
 * out[0..n) are pairwise disjoint, inside cidr, clear of every except block, host bits zero,
 * and (when unit_plen is given) cover cidr minus the excepts: counted in units of a
 * /unit_plen, their sizes add up to want_units.
 */
static void check_cover(const struct vs_prefix *cidr, const struct vs_prefix *ex,
			unsigned int n_ex, const struct vs_prefix *out, int n,
			unsigned int unit_plen, uint64_t want_units)
{
	uint64_t units = 0;

	for (int i = 0; i < n; i++) {
		CU_ASSERT_EQUAL(out[i].family, cidr->family);
		CU_ASSERT_TRUE(pcontains(cidr, &out[i]));
		for (unsigned int k = 0; k < n_ex; k++)
			CU_ASSERT_FALSE(poverlap(&out[i], &ex[k]));
		for (int j = 0; j < i; j++)
			CU_ASSERT_FALSE(poverlap(&out[i], &out[j]));
		for (unsigned int b = out[i].plen; b < 128; b++)
			CU_ASSERT_FALSE(pbit(out[i].addr, b));
		if (unit_plen != 0) {
			CU_ASSERT_TRUE_FATAL(out[i].plen <= unit_plen &&
					     unit_plen - out[i].plen < 64);
			units += 1ULL << (unit_plen - out[i].plen);
		}
	}
	if (unit_plen != 0)
		CU_ASSERT_EQUAL(units, want_units);
}

static void test_prefix_parse(void)
{
	static const char *const bad[] = {
		"10.0.0.0", "10.0.0.0/", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/+8",
		"10.0.0.0/8x", "10.0.0/8", "banana/8", "fd00::/129", "fd00::/", "/8", "",
		"10.0.0.0/8/8",
	};
	struct vs_prefix p;
	char buf[64];

	p = pfx("10.0.0.0/16");
	CU_ASSERT_EQUAL(p.family, 4);
	CU_ASSERT_EQUAL(p.plen, 16);
	CU_ASSERT_EQUAL(p.addr[0], 10);
	CU_ASSERT_EQUAL(p.addr[1], 0);
	/* host bits are ignored, as Kubernetes does */
	p = pfx("10.0.1.77/23");
	vs_prefix_format(&p, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "10.0.0.0/23");
	p = pfx("fd00::1:a/112");
	CU_ASSERT_EQUAL(p.family, 6);
	vs_prefix_format(&p, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "fd00::1:0/112");
	p = pfx("0.0.0.0/0");
	CU_ASSERT_EQUAL(p.plen, 0);
	p = pfx("::/0");
	CU_ASSERT_EQUAL(p.family, 6);
	p = pfx("10.1.2.3/32");
	vs_prefix_format(&p, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "10.1.2.3/32");
	p = pfx("fd00::ff/128");
	CU_ASSERT_EQUAL(p.plen, 128);
	for (size_t i = 0; i < N(bad); i++) {
		int rc = vs_prefix_parse(bad[i], &p);
		if (rc != -EINVAL)
			fprintf(stderr, "\n  vs_prefix_parse(\"%s\") = %d\n", bad[i], rc);
		CU_ASSERT_EQUAL(rc, -EINVAL);
	}
}

static void test_prefix_subtract(void)
{
	struct vs_prefix cidr, ex[4], out[600];
	char buf[64];
	int n;

	/* 10.0.0.0/16 except 10.0.1.0/24: one prefix of each length /17../24 */
	cidr = pfx("10.0.0.0/16");
	ex[0] = pfx("10.0.1.0/24");
	n = vs_prefix_subtract(&cidr, ex, 1, out, N(out));
	CU_ASSERT_EQUAL_FATAL(n, 8);
	for (unsigned int len = 17; len <= 24; len++) {
		int found = 0;
		for (int i = 0; i < n; i++)
			found += out[i].plen == len;
		CU_ASSERT_EQUAL(found, 1);
	}
	check_cover(&cidr, ex, 1, out, n, 32, 65536 - 256);
	for (int i = 0; i < n; i++) {
		vs_prefix_format(&out[i], buf, sizeof(buf));
		if (out[i].plen == 24)
			CU_ASSERT_STRING_EQUAL(buf, "10.0.0.0/24");
		if (out[i].plen == 17)
			CU_ASSERT_STRING_EQUAL(buf, "10.0.128.0/17");
	}
	/* not enough room */
	CU_ASSERT_EQUAL(vs_prefix_subtract(&cidr, ex, 1, out, 7), -E2BIG);
	/* no except: the cidr itself */
	n = vs_prefix_subtract(&cidr, ex, 0, out, N(out));
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_EQUAL(memcmp(&out[0], &cidr, sizeof(cidr)), 0);
	/* except == cidr: nothing left; an except containing the cidr: nothing left either */
	ex[0] = cidr;
	CU_ASSERT_EQUAL(vs_prefix_subtract(&cidr, ex, 1, out, N(out)), 0);
	ex[0] = pfx("10.0.0.0/8");
	CU_ASSERT_EQUAL(vs_prefix_subtract(&cidr, ex, 1, out, N(out)), 0);
	/* an except outside the cidr changes nothing */
	ex[0] = pfx("10.1.0.0/24");
	n = vs_prefix_subtract(&cidr, ex, 1, out, N(out));
	CU_ASSERT_EQUAL(n, 1);
	/* two excepts: the 10.0.128.0/17 half goes too */
	ex[0] = pfx("10.0.1.0/24");
	ex[1] = pfx("10.0.128.0/17");
	n = vs_prefix_subtract(&cidr, ex, 2, out, N(out));
	CU_ASSERT_EQUAL(n, 7);
	check_cover(&cidr, ex, 2, out, n, 32, 32768 - 256);
	/* overlapping excepts count once */
	ex[0] = pfx("10.0.0.0/24");
	ex[1] = pfx("10.0.0.0/25");
	ex[2] = pfx("10.0.0.128/25");
	n = vs_prefix_subtract(&cidr, ex, 3, out, N(out));
	CU_ASSERT_EQUAL(n, 8);
	check_cover(&cidr, ex, 3, out, n, 32, 65536 - 256);
	/* one address out of everything: 32 prefixes */
	cidr = pfx("0.0.0.0/0");
	ex[0] = pfx("192.168.1.1/32");
	n = vs_prefix_subtract(&cidr, ex, 1, out, N(out));
	CU_ASSERT_EQUAL(n, 32);
	check_cover(&cidr, ex, 1, out, n, 32, 0xffffffffULL);

	/* IPv6: fd00::/48 except fd00:0:0:1::/64, counted in /64s */
	cidr = pfx("fd00::/48");
	ex[0] = pfx("fd00:0:0:1::/64");
	n = vs_prefix_subtract(&cidr, ex, 1, out, N(out));
	CU_ASSERT_EQUAL(n, 16);
	check_cover(&cidr, ex, 1, out, n, 64, 65536 - 1);
	for (int i = 0; i < n; i++) {
		vs_prefix_format(&out[i], buf, sizeof(buf));
		if (out[i].plen == 64)
			CU_ASSERT_STRING_EQUAL(buf, "fd00::/64");
		if (out[i].plen == 49)
			CU_ASSERT_STRING_EQUAL(buf, "fd00:0:0:8000::/49");
	}
	ex[0] = cidr;
	CU_ASSERT_EQUAL(vs_prefix_subtract(&cidr, ex, 1, out, N(out)), 0);
	/* one address out of all of IPv6: 128 prefixes, one of each length */
	cidr = pfx("::/0");
	ex[0] = pfx("fd00::a/128");
	n = vs_prefix_subtract(&cidr, ex, 1, out, N(out));
	CU_ASSERT_EQUAL(n, 128);
	check_cover(&cidr, ex, 1, out, n, 0, 0);
	/* two excepts deep in IPv6 */
	cidr = pfx("fd00::/64");
	ex[0] = pfx("fd00::a/128");
	ex[1] = pfx("fd00::8000:0:0:0/65");
	n = vs_prefix_subtract(&cidr, ex, 2, out, N(out));
	CU_ASSERT_EQUAL(n, 63);	/* upper /65 gone; the lower one split /66../128 around ::a */
	check_cover(&cidr, ex, 2, out, n, 128, (1ULL << 63) - 1);
}

/* ------------------------------------------------------------------ the compiler */

static void test_compile_ipblock_except(void)
{
	static const char *const want[] = {
		"3 in tenant v4 10.0.0.0/24 p0 0-65535", "3 in tenant v4 10.0.2.0/23 p0 0-65535",
		"3 in tenant v4 10.0.4.0/22 p0 0-65535", "3 in tenant v4 10.0.8.0/21 p0 0-65535",
		"3 in tenant v4 10.0.16.0/20 p0 0-65535", "3 in tenant v4 10.0.32.0/19 p0 0-65535",
		"3 in tenant v4 10.0.64.0/18 p0 0-65535", "3 in tenant v4 10.0.128.0/17 p0 0-65535",
	};
	struct vs_compiled c;
	struct vs_prefix cidr = pfx("10.0.0.0/16"), ex = pfx("10.0.1.0/24"), got[8];

	compile1(MNP(POD_A ", 'ingress': [{'from': [{'ipBlock': {'cidr': '10.0.0.0/16', "
		     "'except': ['10.0.1.0/24']}}]}]"), &c);
	/* selects x/a on vlan2003 only: not y/a, not x/a@2004 (policy is for vlan2003) */
	CU_ASSERT_EQUAL(c.n_infos, 1);
	expect_info(&c, 0, 0, 0, VS_DIR_INGRESS, VS_TIER_TENANT, VS_ACT_ALLOW);
	CU_ASSERT_EQUAL_FATAL(c.n_entries, 8);
	expect_entries(&c, 0, want, N(want));
	for (uint32_t i = 0; i < c.n_entries; i++) {
		CU_ASSERT_EQUAL(c.entries[i].info, 0);
		CU_ASSERT_EQUAL(c.entries[i].priority, info_priority(&c, 0));
		got[i] = (struct vs_prefix){ .family = c.entries[i].family,
					     .plen = c.entries[i].plen };
		memcpy(got[i].addr, c.entries[i].addr, 16);
	}
	check_cover(&cidr, &ex, 1, got, 8, 32, 65536 - 256);
	CU_ASSERT_EQUAL(c.port_flags[3], VS_PF_ISOLATED(VS_DIR_INGRESS) | VS_PF_POLICED);
	for (unsigned int s = 0; s < VS_MAX_PORTS; s++) {
		if (s != 3) {
			CU_ASSERT_EQUAL(c.port_flags[s], 0);
			CU_ASSERT_EQUAL(c.selected[s], 0);
		}
	}
	CU_ASSERT_EQUAL(c.selected[3], 1);
	vs_compiled_free(&c);
	CU_ASSERT_EQUAL(c.n_entries, 0);
	CU_ASSERT_PTR_NULL(c.entries);
	CU_ASSERT_PTR_NULL(c.infos);

	/* except == cidr: the peer stands for no address; the port is still isolated */
	compile1(MNP(POD_A ", 'ingress': [{'from': [{'ipBlock': {'cidr': '10.0.0.0/16', "
		     "'except': ['10.0.0.0/16']}}]}]"), &c);
	CU_ASSERT_EQUAL(c.n_infos, 1);
	CU_ASSERT_EQUAL(c.n_entries, 0);
	CU_ASSERT_EQUAL(c.port_flags[3], VS_PF_ISOLATED(VS_DIR_INGRESS) | VS_PF_POLICED);
	vs_compiled_free(&c);

	/* IPv6 ipBlock on egress */
	static const char *const want6[] = {
		"3 out tenant v6 fd00::/113 p17 53-53", "3 out tenant v6 fd00::8000/114 p17 53-53",
		"3 out tenant v6 fd00::c000/115 p17 53-53",
		"3 out tenant v6 fd00::e000/116 p17 53-53",
		"3 out tenant v6 fd00::f000/117 p17 53-53",
		"3 out tenant v6 fd00::f800/118 p17 53-53",
		"3 out tenant v6 fd00::fc00/119 p17 53-53",
		"3 out tenant v6 fd00::fe00/120 p17 53-53",
	};
	compile1(MNP(POD_A ", 'policyTypes': ['Egress'], 'egress': [{'to': [{'ipBlock': "
		     "{'cidr': 'fd00::/112', 'except': ['fd00::ff00/120']}}], "
		     "'ports': [{'protocol': 'UDP', 'port': 53}]}]"), &c);
	CU_ASSERT_EQUAL(c.n_infos, 1);
	expect_info(&c, 0, 0, 0, VS_DIR_EGRESS, VS_TIER_TENANT, VS_ACT_ALLOW);
	expect_entries(&c, UINT32_MAX, want6, N(want6));
	CU_ASSERT_EQUAL(c.port_flags[3], VS_PF_ISOLATED(VS_DIR_EGRESS) | VS_PF_POLICED);
	vs_compiled_free(&c);
}

/*
 * Regression test, was a bug (control/model/policy_compile.c:246, add_cidr, the `n_ex < 256` guard): only the first 256
 * except blocks of an ipBlock are subtracted, the rest are silently dropped, so the rule allows
 * addresses the policy excepts. vs_policy_check puts no limit on except, so such a policy is
 * accepted. Input: cidr 10.0.0.0/8, except 10.0.0.0/24 .. 10.0.255.0/24 (256 blocks, together
 * 10.0.0.0/16) then 10.1.0.0/16. Expected: 10.0.0.0/8 minus 10.0.0.0/15 = 7 prefixes, none
 * overlapping 10.1.0.0/16 (or the compile refused). Actual: 8 prefixes, one of them
 * 10.1.0.0/16, the excepted block.
 */
static void test_compile_many_excepts(void)
{
	json_t *pol = vs_test_json(MNP(POD_A ", 'ingress': [{'from': [{'ipBlock': "
				       "{'cidr': '10.0.0.0/8', 'except': []}}]}]"));
	json_t *ex = json_object_get(json_object_get(json_array_get(json_object_get(
		json_array_get(json_object_get(json_object_get(pol, "spec"), "ingress"), 0),
		"from"), 0), "ipBlock"), "except");
	struct vs_policy_id id;
	struct vs_compiled c;
	struct vs_err e;
	char buf[32];

	CU_ASSERT_FATAL(json_is_array(ex));
	for (int i = 0; i < 256; i++) {
		snprintf(buf, sizeof(buf), "10.0.%d.0/24", i);
		json_array_append_new(ex, json_string(buf));
	}
	json_array_append_new(ex, json_string("10.1.0.0/16"));
	const struct vs_inventory *iv = inventory();
	CU_ASSERT_EQUAL_FATAL(vs_policy_check(pol, "policies[0]", iv->nets, iv->n_nets, &id, &e),
			      0);
	int rc = vs_policy_compile((const json_t *const *)&pol, 1, iv, &c, &e);
	json_decref(pol);
	if (rc < 0)
		return;	/* refusing it would be fine too */
	struct vs_prefix excepted = pfx("10.1.0.0/16");
	bool leaks = false;
	for (uint32_t i = 0; i < c.n_entries; i++) {
		struct vs_prefix p = { .family = c.entries[i].family, .plen = c.entries[i].plen };
		memcpy(p.addr, c.entries[i].addr, 16);
		leaks |= poverlap(&p, &excepted);
	}
	CU_ASSERT_FALSE(leaks);	/* was a bug: fixed */
	CU_ASSERT_EQUAL(c.n_entries, 7);	/* was a bug: fixed */
	vs_compiled_free(&c);
}

static void test_compile_ports(void)
{
	static const char *const want[] = {
		"3 in tenant v4 192.168.0.0/24 p6 8000-8080",
		"3 in tenant v4 192.168.0.0/24 p17 53-53",
		"3 in tenant v4 192.168.0.0/24 p132 0-65535",
		"3 in tenant v4 192.168.0.0/24 p6 80-80",
		"3 in tenant v4 192.168.0.0/24 p6 0-65535",
		"3 in tenant v4 192.168.0.0/24 p17 5000-5001",
		"3 in tenant v4 192.168.0.0/24 p132 9-9",
	};
	static const char *const want_any[] = {
		"3 in tenant v4 192.168.0.0/24 p0 0-65535",
	};
	struct vs_compiled c;

	compile1(MNP(POD_A ", 'ingress': [{'from': [{'ipBlock': {'cidr': '192.168.0.0/24'}}], "
		     "'ports': [{'protocol': 'TCP', 'port': 8000, 'endPort': 8080}, "
		     "{'protocol': 'UDP', 'port': 53}, {'protocol': 'SCTP'}, {'port': 80}, {}, "
		     "{'protocol': 'UDP', 'port': 5000, 'endPort': 5001}, "
		     "{'protocol': 'SCTP', 'port': 9, 'endPort': 9}]}, "
		     "{'from': [{'ipBlock': {'cidr': '192.168.0.0/24'}}]}, "
		     "{'from': [{'ipBlock': {'cidr': '192.168.0.0/24'}}], 'ports': []}]"),
		 &c);
	CU_ASSERT_EQUAL_FATAL(c.n_infos, 3);
	for (uint32_t i = 0; i < 3; i++)
		expect_info(&c, i, 0, (uint16_t)i, VS_DIR_INGRESS, VS_TIER_TENANT, VS_ACT_ALLOW);
	CU_ASSERT_EQUAL(c.n_entries, N(want) + 2 * N(want_any));
	expect_entries(&c, 0, want, N(want));
	expect_entries(&c, 1, want_any, N(want_any));	/* no ports: any protocol, any port */
	expect_entries(&c, 2, want_any, N(want_any));	/* ports: [] is the same */
	vs_compiled_free(&c);
}

/* What a change leaves the same: the ports' compile inputs, and the compiled set. */
static void test_compiled_same(void)
{
	const struct vs_inventory *iv = inventory();
	json_t *pol = vs_test_json(MNP(POD_A ", 'ingress': [{'from': [{'podSelector': "
				       "{'matchLabels': {'pod': 'b'}}}]}]"));
	struct vs_policy_id id;
	struct vs_err e = { 0 };
	struct vs_compiled a, b;
	const json_t *pols[] = { pol };

	CU_ASSERT_EQUAL_FATAL(vs_policy_check(pol, "p", iv->nets, iv->n_nets, &id, &e), 0);
	CU_ASSERT_EQUAL_FATAL(vs_policy_compile(pols, 1, iv, &a, &e), 0);
	/* a policer or MAC change is not a compile input */
	struct vs_port_cfg old = inv_cfg[1];
	inv_cfg[1].police.rate_bps = 1000000;
	inv_cfg[1].np.spoofchk = true;
	CU_ASSERT_TRUE(vs_policy_port_inputs_same(&old, &inv_cfg[1]));
	CU_ASSERT_EQUAL_FATAL(vs_policy_compile(pols, 1, iv, &b, &e), 0);
	CU_ASSERT_TRUE(vs_compiled_same(&a, &b));
	vs_compiled_free(&b);
	/* a label nothing matches is an input, but compiles to the same set */
	set_label(&inv_cfg[1].np.labels, "tier", "web");
	CU_ASSERT_FALSE(vs_policy_port_inputs_same(&old, &inv_cfg[1]));
	CU_ASSERT_EQUAL_FATAL(vs_policy_compile(pols, 1, iv, &b, &e), 0);
	CU_ASSERT_TRUE(vs_compiled_same(&a, &b));
	vs_compiled_free(&b);
	/* the peer's address changes: another set */
	struct vs_port_cfg before_ip = inv_cfg[1];
	inv_cfg[1].np.ips[0].addr[3] = 99;
	CU_ASSERT_FALSE(vs_policy_port_inputs_same(&before_ip, &inv_cfg[1]));
	CU_ASSERT_EQUAL_FATAL(vs_policy_compile(pols, 1, iv, &b, &e), 0);
	CU_ASSERT_FALSE(vs_compiled_same(&a, &b));
	vs_compiled_free(&b);
	/* the selected port's VLAN changes: not selected any more, other port flags */
	inv_cfg[1] = old;
	inv_cfg[0].vlan = 2005;
	CU_ASSERT_EQUAL_FATAL(vs_policy_compile(pols, 1, iv, &b, &e), 0);
	CU_ASSERT_FALSE(vs_compiled_same(&a, &b));
	vs_compiled_free(&b);
	vs_compiled_free(&a);
	json_decref(pol);
}

/* Ports the same policies select on the same VLAN share one copy of their entries. */
static void test_acl_plan_shares(void)
{
	static const char *const both[] = { MNP("'podSelector': {}, 'ingress': [{'from': "
						"[{'ipBlock': {'cidr': '192.168.0.0/24'}}]}]") };
	static const char *const differ[] = {
		both[0],
		MNP(POD_A ", 'ingress': [{'from': [{'ipBlock': {'cidr': '172.16.0.0/12'}}]}]"),
	};
	struct vs_compiled c, c2;
	struct vs_acl_plan pl, pl2;

	compile(both, 1, &c);	/* selects xa (slot 3) and xb (slot 5) */
	CU_ASSERT_EQUAL_FATAL(vs_acl_plan(&c, &pl), 0);
	CU_ASSERT_EQUAL(pl.acl_slot[5], 3);
	CU_ASSERT_EQUAL(pl.acl_slot[3], 3);
	CU_ASSERT_EQUAL(pl.acl_slot[7], 7);	/* not selected: its own (empty) slot */
	CU_ASSERT_EQUAL(pl.n_keep * 2, c.n_entries);
	for (uint32_t i = 0; i < pl.n_keep; i++)
		CU_ASSERT_EQUAL(c.entries[pl.keep[i]].slot, 3);
	CU_ASSERT_TRUE(vs_acl_plans_same(&c, &pl, &c, &pl));

	compile(differ, 2, &c2);	/* xa has a rule more than xb: nothing shared */
	CU_ASSERT_EQUAL_FATAL(vs_acl_plan(&c2, &pl2), 0);
	CU_ASSERT_EQUAL(pl2.acl_slot[5], 5);
	CU_ASSERT_EQUAL(pl2.n_keep, c2.n_entries);
	CU_ASSERT_FALSE(vs_acl_plans_same(&c, &pl, &c2, &pl2));
	vs_acl_plan_free(&pl2);
	vs_compiled_free(&c2);

	/* compiled again: the same contexts */
	compile(both, 1, &c2);
	CU_ASSERT_EQUAL_FATAL(vs_acl_plan(&c2, &pl2), 0);
	CU_ASSERT_TRUE(vs_acl_plans_same(&c, &pl, &c2, &pl2));
	vs_acl_plan_free(&pl2);
	vs_compiled_free(&c2);
	vs_acl_plan_free(&pl);
	vs_compiled_free(&c);
}

/*
 * Regression test, was a bug (control/model/policy_compile.c:320, add_ps, MAX_PORTSPECS = 256 at line 20): a rule's ports
 * beyond the 256th are silently dropped, while vs_policy_check (policy_check.c:428) accepts
 * up to 4096 ports per rule. Input: one ingress rule with ports 1..300 (TCP). Expected: 300
 * entries (one per port) or the compile refused; actual: 256 entries, so traffic to ports
 * 257..300 that the policy allows is denied.
 */
static void test_compile_many_ports(void)
{
	json_t *pol = vs_test_json(MNP(POD_A ", 'ingress': [{'from': [{'ipBlock': "
				       "{'cidr': '10.9.0.0/16'}}], 'ports': []}]"));
	json_t *ports = json_object_get(json_array_get(json_object_get(json_object_get(pol,
		"spec"), "ingress"), 0), "ports");
	struct vs_policy_id id;
	struct vs_compiled c;
	struct vs_err e;

	CU_ASSERT_FATAL(json_is_array(ports));
	for (int i = 1; i <= 300; i++)
		json_array_append_new(ports, json_pack("{s:s, s:i}", "protocol", "TCP", "port", i));
	const struct vs_inventory *iv = inventory();
	CU_ASSERT_EQUAL_FATAL(vs_policy_check(pol, "policies[0]", iv->nets, iv->n_nets, &id, &e),
			      0);
	int rc = vs_policy_compile((const json_t *const *)&pol, 1, iv, &c, &e);
	json_decref(pol);
	if (rc < 0)
		return;	/* refusing it would be fine too */
	bool has300 = false;
	for (uint32_t i = 0; i < c.n_entries; i++)
		has300 |= c.entries[i].port_lo == 300 && c.entries[i].port_hi == 300;
	CU_ASSERT_EQUAL(c.n_entries, 300);	/* was a bug: fixed */
	CU_ASSERT_TRUE(has300);	/* was a bug: fixed */
	vs_compiled_free(&c);
}

static void test_compile_empty_and_missing(void)
{
	static const char *const any_in[] = {
		"3 in tenant v4 0.0.0.0/0 p0 0-65535", "3 in tenant v6 ::/0 p0 0-65535",
	};
	static const char *const any_80[] = {
		"3 in tenant v4 0.0.0.0/0 p6 80-80", "3 in tenant v6 ::/0 p6 80-80",
	};
	static const char *const egress_only[] = {
		"3 out tenant v4 10.1.0.0/16 p0 0-65535",
	};
	struct vs_compiled c;

	/* ingress: [] isolates, allows nothing */
	compile1(MNP(POD_A ", 'policyTypes': ['Ingress'], 'ingress': []"), &c);
	CU_ASSERT_EQUAL(c.n_infos, 0);
	CU_ASSERT_EQUAL(c.n_entries, 0);
	CU_ASSERT_EQUAL(c.port_flags[3], VS_PF_ISOLATED(VS_DIR_INGRESS) | VS_PF_POLICED);
	CU_ASSERT_EQUAL(c.port_flags[5], 0);
	vs_compiled_free(&c);
	/* ... and so does no ingress key at all, no policyTypes */
	compile1(MNP(POD_A), &c);
	CU_ASSERT_EQUAL(c.n_entries, 0);
	CU_ASSERT_EQUAL(c.port_flags[3], VS_PF_ISOLATED(VS_DIR_INGRESS) | VS_PF_POLICED);
	vs_compiled_free(&c);

	/* ingress: [{}]: one rule, from anywhere (v4 and v6), any port */
	compile1(MNP(POD_A ", 'ingress': [{}]"), &c);
	CU_ASSERT_EQUAL(c.n_infos, 1);
	CU_ASSERT_EQUAL(c.n_entries, 2);
	expect_entries(&c, 0, any_in, N(any_in));
	/* no policyTypes, no egress: only ingress isolated */
	CU_ASSERT_EQUAL(c.port_flags[3], VS_PF_ISOLATED(VS_DIR_INGRESS) | VS_PF_POLICED);
	vs_compiled_free(&c);
	/* missing from = any; from: [] too */
	compile1(MNP(POD_A ", 'ingress': [{'ports': [{'protocol': 'TCP', 'port': 80}]}, "
		     "{'from': [], 'ports': [{'port': 80}]}]"), &c);
	CU_ASSERT_EQUAL(c.n_infos, 2);
	expect_entries(&c, 0, any_80, N(any_80));
	expect_entries(&c, 1, any_80, N(any_80));
	vs_compiled_free(&c);

	/* no policyTypes but egress rules: both directions isolated */
	compile1(MNP(POD_A ", 'egress': [{'to': [{'ipBlock': {'cidr': '10.1.0.0/16'}}]}]"), &c);
	CU_ASSERT_EQUAL(c.port_flags[3], VS_PF_ISOLATED(VS_DIR_INGRESS) |
						 VS_PF_ISOLATED(VS_DIR_EGRESS) | VS_PF_POLICED);
	CU_ASSERT_EQUAL(c.n_infos, 1);
	expect_info(&c, 0, 0, 0, VS_DIR_EGRESS, VS_TIER_TENANT, VS_ACT_ALLOW);
	expect_entries(&c, UINT32_MAX, egress_only, N(egress_only));
	vs_compiled_free(&c);
	/* policyTypes [Egress]: the ingress rules are ignored, ingress not isolated */
	compile1(MNP(POD_A ", 'policyTypes': ['Egress'], 'ingress': [{}], "
		     "'egress': [{'to': [{'ipBlock': {'cidr': '10.1.0.0/16'}}]}]"), &c);
	CU_ASSERT_EQUAL(c.port_flags[3], VS_PF_ISOLATED(VS_DIR_EGRESS) | VS_PF_POLICED);
	CU_ASSERT_EQUAL(c.n_infos, 1);
	expect_info(&c, 0, 0, 0, VS_DIR_EGRESS, VS_TIER_TENANT, VS_ACT_ALLOW);
	expect_entries(&c, UINT32_MAX, egress_only, N(egress_only));
	vs_compiled_free(&c);
	/* policyTypes [Ingress, Egress] with no rules: default deny both ways */
	compile1(MNP(POD_A ", 'policyTypes': ['Ingress', 'Egress']"), &c);
	CU_ASSERT_EQUAL(c.port_flags[3], VS_PF_ISOLATED(VS_DIR_INGRESS) |
						 VS_PF_ISOLATED(VS_DIR_EGRESS) | VS_PF_POLICED);
	CU_ASSERT_EQUAL(c.n_entries, 0);
	vs_compiled_free(&c);
}

/*
 * Regression test, was a bug (control/model/policy_compile.c:467, np_has_type: "return dir == VS_DIR_INGRESS ||
 * json_is_array(json_object_get(spec, \"egress\"))"): without policyTypes, an empty
 * `egress: []` makes the policy an Egress policy. Its own comment, and upstream's
 * SetDefaults_NetworkPolicy (len(spec.Egress) != 0), say Egress only when there are egress
 * rules. Input: podSelector pod=a, ingress [{}], egress [], no policyTypes. Expected:
 * port_flags[3] == ISOLATED(ingress) | POLICED; actual: ISOLATED(egress) set too, so the
 * pod loses all egress.
 */
static void test_compile_empty_egress_default(void)
{
	struct vs_compiled c;

	compile1(MNP(POD_A ", 'ingress': [{}], 'egress': []"), &c);
	CU_ASSERT_EQUAL(c.port_flags[3], VS_PF_ISOLATED(VS_DIR_INGRESS) | VS_PF_POLICED);
	vs_compiled_free(&c);
}

static void test_compile_selectors(void)
{
	static const char *const same_ns[] = {	/* x/a and x/b on vlan2003 */
		"3 in tenant v4 10.0.0.10/32 p0 0-65535", "3 in tenant v6 fd00::a/128 p0 0-65535",
		"3 in tenant v4 10.0.0.11/32 p0 0-65535", "3 in tenant v6 fd00::b/128 p0 0-65535",
	};
	static const char *const all_2003[] = {
		"3 in tenant v4 10.0.0.10/32 p0 0-65535", "3 in tenant v6 fd00::a/128 p0 0-65535",
		"3 in tenant v4 10.0.0.11/32 p0 0-65535", "3 in tenant v6 fd00::b/128 p0 0-65535",
		"3 in tenant v4 10.0.1.10/32 p0 0-65535", "3 in tenant v6 fd00::1:a/128 p0 0-65535",
	};
	static const char *const y_a[] = {
		"3 in tenant v4 10.0.1.10/32 p0 0-65535", "3 in tenant v6 fd00::1:a/128 p0 0-65535",
	};
	static const char *const pods_a_out[] = {	/* pod=a in any namespace, egress, TCP 80 */
		"3 out tenant v4 10.0.0.10/32 p6 80-80", "3 out tenant v6 fd00::a/128 p6 80-80",
		"3 out tenant v4 10.0.1.10/32 p6 80-80", "3 out tenant v6 fd00::1:a/128 p6 80-80",
	};
	struct vs_compiled c;
	uint16_t slots[VS_MAX_PORTS];

	/* podSelector {}: the policy's namespace, same VLAN only */
	compile1(MNP(POD_A ", 'ingress': [{'from': [{'podSelector': {}}]}]"), &c);
	CU_ASSERT_EQUAL(c.n_infos, 1);
	expect_entries(&c, UINT32_MAX, same_ns, N(same_ns));
	vs_compiled_free(&c);
	/* namespaceSelector {}: every pod on the network */
	compile1(MNP(POD_A ", 'ingress': [{'from': [{'namespaceSelector': {}}]}]"), &c);
	expect_entries(&c, UINT32_MAX, all_2003, N(all_2003));
	vs_compiled_free(&c);
	/* both: pods a in namespaces labelled team=blue */
	compile1(MNP(POD_A ", 'ingress': [{'from': [{'namespaceSelector': {'matchLabels': "
		     "{'team': 'blue'}}, 'podSelector': {'matchLabels': {'pod': 'a'}}}]}]"), &c);
	expect_entries(&c, UINT32_MAX, y_a, N(y_a));
	vs_compiled_free(&c);
	/* the kubernetes.io/metadata.name label every namespace has */
	compile1(MNP(POD_A ", 'ingress': [{'from': [{'namespaceSelector': {'matchLabels': "
		     "{'kubernetes.io/metadata.name': 'y'}}}]}]"), &c);
	expect_entries(&c, UINT32_MAX, y_a, N(y_a));
	vs_compiled_free(&c);
	/* both, with matchExpressions, on egress */
	compile1(MNP(POD_A ", 'policyTypes': ['Egress'], 'egress': [{'to': [{'namespaceSelector': "
		     "{'matchExpressions': [{'key': 'team', 'operator': 'In', "
		     "'values': ['red', 'blue']}]}, 'podSelector': {'matchExpressions': "
		     "[{'key': 'pod', 'operator': 'NotIn', 'values': ['b']}]}}], "
		     "'ports': [{'protocol': 'TCP', 'port': 80}]}]"), &c);
	expect_entries(&c, UINT32_MAX, pods_a_out, N(pods_a_out));
	vs_compiled_free(&c);
	/* two peers: the union */
	compile1(MNP(POD_A ", 'ingress': [{'from': [{'podSelector': {'matchLabels': "
		     "{'pod': 'b'}}}, {'namespaceSelector': {'matchLabels': {'ns': 'y'}}}]}]"), &c);
	{
		static const char *const want[] = {
			"3 in tenant v4 10.0.0.11/32 p0 0-65535",
			"3 in tenant v6 fd00::b/128 p0 0-65535",
			"3 in tenant v4 10.0.1.10/32 p0 0-65535",
			"3 in tenant v6 fd00::1:a/128 p0 0-65535",
		};
		expect_entries(&c, UINT32_MAX, want, N(want));
	}
	vs_compiled_free(&c);
	/* a selector that matches nothing: no entries, still isolated */
	compile1(MNP(POD_A ", 'ingress': [{'from': [{'podSelector': {'matchLabels': "
		     "{'pod': 'zzz'}}}]}]"), &c);
	CU_ASSERT_EQUAL(c.n_infos, 1);
	CU_ASSERT_EQUAL(c.n_entries, 0);
	CU_ASSERT_EQUAL(c.port_flags[3], VS_PF_ISOLATED(VS_DIR_INGRESS) | VS_PF_POLICED);
	vs_compiled_free(&c);

	/* who a policy selects: podSelector {} in x on vlan2003 is x/a and x/b; not the
	 * namespace-less port, not the trunk, not vlan2004 */
	json_t *pol = vs_test_json(MNP("'podSelector': {}"));
	unsigned int n = vs_policy_selected(pol, inventory(), slots);
	json_decref(pol);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	CU_ASSERT_EQUAL(slots[0] + slots[1], 3 + 5);
	CU_ASSERT_TRUE(slots[0] == 3 || slots[0] == 5);
	pol = vs_test_json(MNP_ON("y", "vlan2004", "'podSelector': {}"));
	CU_ASSERT_EQUAL(vs_policy_selected(pol, inventory(), slots), 0);
	json_decref(pol);
	pol = vs_test_json(MNP_ON("x", "vlan2004", "'podSelector': {}"));
	CU_ASSERT_EQUAL_FATAL(vs_policy_selected(pol, inventory(), slots), 1);
	CU_ASSERT_EQUAL(slots[0], 9);
	json_decref(pol);
	/* a policy without metadata.namespace is in "default": selects nobody here */
	pol = vs_test_json("{'kind': 'MultiNetworkPolicy', 'metadata': {'name': 'p', "
			   ANNOT("vlan2003") "}, 'spec': {'podSelector': {}}}");
	CU_ASSERT_EQUAL(vs_policy_selected(pol, inventory(), slots), 0);
	json_decref(pol);
}

static void test_compile_two_networks(void)
{
	static const char *const want[] = {
		"3 in tenant v4 10.0.0.10/32 p0 0-65535", "3 in tenant v6 fd00::a/128 p0 0-65535",
		"3 in tenant v4 10.0.0.11/32 p0 0-65535", "3 in tenant v6 fd00::b/128 p0 0-65535",
		"9 in tenant v4 10.0.0.10/32 p0 0-65535",
	};
	struct vs_compiled c;

	compile1(MNP_ON("x", "vlan2003, default/vlan2004", POD_A ", 'ingress': [{'from': "
			"[{'podSelector': {}}]}]"), &c);
	CU_ASSERT_EQUAL(c.n_infos, 1);
	expect_entries(&c, UINT32_MAX, want, N(want));
	CU_ASSERT_EQUAL(c.port_flags[3], VS_PF_ISOLATED(VS_DIR_INGRESS) | VS_PF_POLICED);
	CU_ASSERT_EQUAL(c.port_flags[9], VS_PF_ISOLATED(VS_DIR_INGRESS) | VS_PF_POLICED);
	CU_ASSERT_EQUAL(c.port_flags[5], 0);
	CU_ASSERT_EQUAL(c.selected[9], 1);
	vs_compiled_free(&c);
}

static void test_selector_match(void)
{
	static const struct {
		const char *sel;
		bool match;
	} cases[] = {
		{ "{}", true },
		{ "{'matchLabels': {}}", true },
		{ "{'matchExpressions': []}", true },
		{ "{'matchLabels': {'pod': 'a'}}", true },
		{ "{'matchLabels': {'pod': 'a', 'tier': 'web'}}", true },
		{ "{'matchLabels': {'pod': 'b'}}", false },
		{ "{'matchLabels': {'pod': 'a', 'zone': 'z1'}}", false },
		{ "{'matchLabels': {'Pod': 'a'}}", false },
		{ "{'matchExpressions': [{'key': 'pod', 'operator': 'In', 'values': ['a', 'b']}]}",
		  true },
		{ "{'matchExpressions': [{'key': 'pod', 'operator': 'In', 'values': ['c']}]}",
		  false },
		{ "{'matchExpressions': [{'key': 'zone', 'operator': 'In', 'values': ['']}]}",
		  false },
		{ "{'matchExpressions': [{'key': 'pod', 'operator': 'NotIn', 'values': ['c']}]}",
		  true },
		{ "{'matchExpressions': [{'key': 'pod', 'operator': 'NotIn', "
		  "'values': ['b', 'a']}]}",
		  false },
		/* NotIn matches when the label is missing (Kubernetes semantics) */
		{ "{'matchExpressions': [{'key': 'zone', 'operator': 'NotIn', 'values': ['z1']}]}",
		  true },
		{ "{'matchExpressions': [{'key': 'tier', 'operator': 'Exists'}]}", true },
		{ "{'matchExpressions': [{'key': 'zone', 'operator': 'Exists'}]}", false },
		{ "{'matchExpressions': [{'key': 'zone', 'operator': 'DoesNotExist'}]}", true },
		{ "{'matchExpressions': [{'key': 'pod', 'operator': 'DoesNotExist'}]}", false },
		/* all terms must hold */
		{ "{'matchLabels': {'pod': 'a'}, 'matchExpressions': [{'key': 'tier', "
		  "'operator': 'Exists'}, {'key': 'zone', 'operator': 'DoesNotExist'}]}", true },
		{ "{'matchLabels': {'pod': 'a'}, 'matchExpressions': [{'key': 'tier', "
		  "'operator': 'In', 'values': ['db']}]}", false },
		{ "{'matchLabels': {'pod': 'b'}, 'matchExpressions': [{'key': 'tier', "
		  "'operator': 'Exists'}]}", false },
		/* a label with an empty value exists and equals '' */
		{ "{'matchExpressions': [{'key': 'empty', 'operator': 'Exists'}]}", true },
		{ "{'matchLabels': {'empty': ''}}", true },
	};
	struct vs_labels l = { 0 }, none = { 0 };
	struct vs_err e;

	set_label(&l, "pod", "a");
	set_label(&l, "tier", "web");
	set_label(&l, "empty", "");
	for (size_t i = 0; i < N(cases); i++) {
		json_t *sel = vs_test_json(cases[i].sel);
		/* the selector is one vs_policy_check accepts */
		json_t *pol = vs_test_json(MNP("'podSelector': {}"));
		struct vs_policy_id id;
		json_object_set(json_object_get(pol, "spec"), "podSelector", sel);
		CU_ASSERT_EQUAL(vs_policy_check(pol, NULL, inventory()->nets, 2, &id, &e), 0);
		json_decref(pol);
		bool m = vs_selector_match(sel, &l);
		if (m != cases[i].match)
			fprintf(stderr, "\n  %s: got %d\n", cases[i].sel, m);
		CU_ASSERT_EQUAL(m, cases[i].match);
		json_decref(sel);
	}
	/* NULL selects nothing; {} selects even a port without labels */
	CU_ASSERT_FALSE(vs_selector_match(NULL, &l));
	json_t *sel = vs_test_json("{}");
	CU_ASSERT_TRUE(vs_selector_match(sel, &none));
	json_decref(sel);
	sel = vs_test_json("{'matchExpressions': [{'key': 'pod', 'operator': 'NotIn', "
			   "'values': ['a']}]}");
	CU_ASSERT_TRUE(vs_selector_match(sel, &none));
	json_decref(sel);
	sel = vs_test_json("{'matchExpressions': [{'key': 'pod', 'operator': 'In', "
			   "'values': ['a']}]}");
	CU_ASSERT_FALSE(vs_selector_match(sel, &none));
	json_decref(sel);
}

static void test_compile_tiers(void)
{
	/* x/a (slots 3 and 9: an ANP without policy-for covers every network) */
	static const char *const anp10 = ANP_NAMED("anp10",
		"'priority': 10, 'subject': {'pods': {'namespaceSelector': {'matchLabels': "
		"{'ns': 'x'}}, 'podSelector': {'matchLabels': {'pod': 'a'}}}}, "
		"'ingress': ["
		"{'name': 'allow-y', 'action': 'Allow', 'from': [{'namespaces': "
		"{'matchLabels': {'ns': 'y'}}}]}, "
		"{'name': 'deny-b-dns', 'action': 'Deny', 'from': [{'pods': "
		"{'namespaceSelector': {}, "
		"'podSelector': {'matchLabels': {'pod': 'b'}}}}], "
		"'ports': [{'portNumber': {'protocol': 'UDP', 'port': 53}}]}, "
		"{'name': 'pass-web', 'action': 'Pass', 'from': [{'namespaces': {}}], "
		"'ports': [{'portRange': {'protocol': 'TCP', 'start': 80, 'end': 81}}]}], "
		"'egress': [{'action': 'Deny', 'to': [{'networks': ['192.168.0.0/16', "
		"'fd00:99::/64']}], 'ports': [{'portNumber': {'port': 22}}]}]");
	static const char *const anp5 = ANP_NAMED("anp5",
		"'priority': 5, 'subject': {'namespaces': {'matchLabels': {'ns': 'y'}}}, "
		"'ingress': [{'action': 'Deny', 'from': [{'namespaces': {}}]}]");
	static const char *const banp = BANP(
		"'subject': {'namespaces': {}}, "
		"'ingress': [{'action': 'Allow', 'from': [{'namespaces': {'matchLabels': "
		"{'ns': 'x'}}}]}, {'action': 'Deny', 'from': [{'namespaces': {}}]}]");
	static const char *const mnp = MNP(POD_A ", 'ingress': [{'from': [{'ipBlock': "
					   "{'cidr': '10.5.0.0/16'}}]}]");
	const char *const texts[] = { anp10, anp5, banp, mnp };
	struct vs_compiled c;

	compile(texts, N(texts), &c);
	/* infos in policy order, ingress then egress, rule order */
	CU_ASSERT_EQUAL_FATAL(c.n_infos, 4 + 1 + 2 + 1);
	expect_info(&c, 0, 0, 0, VS_DIR_INGRESS, VS_TIER_ADMIN, VS_ACT_ALLOW);
	expect_info(&c, 1, 0, 1, VS_DIR_INGRESS, VS_TIER_ADMIN, VS_ACT_DENY);
	expect_info(&c, 2, 0, 2, VS_DIR_INGRESS, VS_TIER_ADMIN, VS_ACT_PASS);
	expect_info(&c, 3, 0, 0, VS_DIR_EGRESS, VS_TIER_ADMIN, VS_ACT_DENY);
	expect_info(&c, 4, 1, 0, VS_DIR_INGRESS, VS_TIER_ADMIN, VS_ACT_DENY);
	expect_info(&c, 5, 2, 0, VS_DIR_INGRESS, VS_TIER_BASELINE, VS_ACT_ALLOW);
	expect_info(&c, 6, 2, 1, VS_DIR_INGRESS, VS_TIER_BASELINE, VS_ACT_DENY);
	expect_info(&c, 7, 3, 0, VS_DIR_INGRESS, VS_TIER_TENANT, VS_ACT_ALLOW);
	{
		/* y/a on vlan2003; x/a@2004 has no y pods on its network */
		static const char *const w[] = {
			"3 in admin v4 10.0.1.10/32 p0 0-65535",
			"3 in admin v6 fd00::1:a/128 p0 0-65535",
		};
		expect_entries(&c, 0, w, N(w));
	}
	{
		static const char *const w[] = {
			"3 in admin v4 10.0.0.11/32 p17 53-53",
			"3 in admin v6 fd00::b/128 p17 53-53",
		};
		expect_entries(&c, 1, w, N(w));
	}
	{
		static const char *const w[] = {
			"3 in admin v4 10.0.0.10/32 p6 80-81", "3 in admin v6 fd00::a/128 p6 80-81",
			"3 in admin v4 10.0.0.11/32 p6 80-81", "3 in admin v6 fd00::b/128 p6 80-81",
			"3 in admin v4 10.0.1.10/32 p6 80-81",
			"3 in admin v6 fd00::1:a/128 p6 80-81",
			"9 in admin v4 10.0.0.10/32 p6 80-81",
		};
		expect_entries(&c, 2, w, N(w));
	}
	{
		/* networks peers are addresses, the same on every network; portNumber without
		 * protocol is TCP */
		static const char *const w[] = {
			"3 out admin v4 192.168.0.0/16 p6 22-22",
			"3 out admin v6 fd00:99::/64 p6 22-22",
			"9 out admin v4 192.168.0.0/16 p6 22-22",
			"9 out admin v6 fd00:99::/64 p6 22-22",
		};
		expect_entries(&c, 3, w, N(w));
	}
	{
		static const char *const w[] = {
			"7 in admin v4 10.0.0.10/32 p0 0-65535",
			"7 in admin v6 fd00::a/128 p0 0-65535",
			"7 in admin v4 10.0.0.11/32 p0 0-65535",
			"7 in admin v6 fd00::b/128 p0 0-65535",
			"7 in admin v4 10.0.1.10/32 p0 0-65535",
			"7 in admin v6 fd00::1:a/128 p0 0-65535",
		};
		expect_entries(&c, 4, w, N(w));
	}
	{
		/* the BANP selects every pod, x/a@2004 included (sees the x pod on vlan2004) */
		static const char *const w[] = {
			"3 in baseline v4 10.0.0.10/32 p0 0-65535",
			"3 in baseline v6 fd00::a/128 p0 0-65535",
			"3 in baseline v4 10.0.0.11/32 p0 0-65535",
			"3 in baseline v6 fd00::b/128 p0 0-65535",
			"5 in baseline v4 10.0.0.10/32 p0 0-65535",
			"5 in baseline v6 fd00::a/128 p0 0-65535",
			"5 in baseline v4 10.0.0.11/32 p0 0-65535",
			"5 in baseline v6 fd00::b/128 p0 0-65535",
			"7 in baseline v4 10.0.0.10/32 p0 0-65535",
			"7 in baseline v6 fd00::a/128 p0 0-65535",
			"7 in baseline v4 10.0.0.11/32 p0 0-65535",
			"7 in baseline v6 fd00::b/128 p0 0-65535",
			"9 in baseline v4 10.0.0.10/32 p0 0-65535",
		};
		expect_entries(&c, 5, w, N(w));
	}
	{
		static const char *const w[] = {
			"3 in tenant v4 10.5.0.0/16 p0 0-65535",
		};
		expect_entries(&c, 7, w, N(w));
	}
	/* within a tier: lower ANP priority number first, then earlier rules */
	uint32_t p10r0 = info_priority(&c, 0), p10r1 = info_priority(&c, 1),
		 p10r2 = info_priority(&c, 2), p10e0 = info_priority(&c, 3),
		 p5r0 = info_priority(&c, 4), b0 = info_priority(&c, 5), b1 = info_priority(&c, 6);
	CU_ASSERT_TRUE(p10r0 > p10r1);
	CU_ASSERT_TRUE(p10r1 > p10r2);
	CU_ASSERT_TRUE(p5r0 > p10r0);
	CU_ASSERT_TRUE(p5r0 > p10e0);
	CU_ASSERT_TRUE(b0 > b1);
	/* flags: ANP/BANP subjects are policed, not isolated; the MNP isolates x/a */
	CU_ASSERT_EQUAL(c.port_flags[3], VS_PF_ISOLATED(VS_DIR_INGRESS) | VS_PF_POLICED);
	CU_ASSERT_EQUAL(c.port_flags[5], VS_PF_POLICED);
	CU_ASSERT_EQUAL(c.port_flags[7], VS_PF_POLICED);
	CU_ASSERT_EQUAL(c.port_flags[9], VS_PF_POLICED);
	CU_ASSERT_EQUAL(c.port_flags[1], 0);
	CU_ASSERT_EQUAL(c.port_flags[11], 0);
	CU_ASSERT_EQUAL(c.selected[3], 3);	/* anp10, banp, mnp */
	CU_ASSERT_EQUAL(c.selected[5], 1);
	CU_ASSERT_EQUAL(c.selected[7], 2);
	CU_ASSERT_EQUAL(c.selected[9], 2);
	vs_compiled_free(&c);

	/* an ANP on its own isolates nothing */
	compile1(anp10, &c);
	CU_ASSERT_EQUAL(c.port_flags[3], VS_PF_POLICED);
	vs_compiled_free(&c);
}

/* The last of 100 rules at priority p still goes before the first rule at p + 1. */
static void test_compile_priority_order(void)
{
	json_t *pols[3];
	json_t *rules = json_array();
	struct vs_policy_id id;
	struct vs_compiled c;
	struct vs_err e;

	for (int i = 0; i < 100; i++)
		json_array_append_new(rules, json_pack("{s:s, s:[{s:{}}]}", "action",
						       i % 2 ? "Deny" : "Allow", "from",
						       "namespaces"));
	pols[0] = vs_test_json(ANP_NAMED("a", "'priority': 10, 'subject': {'namespaces': {}}"));
	json_object_set_new(json_object_get(pols[0], "spec"), "ingress", rules);
	pols[1] = vs_test_json(ANP_NAMED("b", "'priority': 11, 'subject': {'namespaces': {}}, "
				   "'ingress': [{'action': 'Allow', "
				   "'from': [{'namespaces': {}}]}]"));
	pols[2] = vs_test_json(ANP_NAMED("c", "'priority': 1000, 'subject': {'namespaces': {}}, "
				   "'egress': [{'action': 'Allow', 'to': [{'namespaces': {}}]}]"));
	const struct vs_inventory *iv = inventory();
	for (int i = 0; i < 3; i++)
		CU_ASSERT_EQUAL_FATAL(vs_policy_check(pols[i], NULL, iv->nets, iv->n_nets, &id, &e),
				      0);
	CU_ASSERT_EQUAL_FATAL(vs_policy_compile((const json_t *const *)pols, 3, iv, &c, &e), 0);
	for (int i = 0; i < 3; i++)
		json_decref(pols[i]);
	CU_ASSERT_EQUAL_FATAL(c.n_infos, 102);
	for (uint32_t i = 1; i < 100; i++)
		CU_ASSERT_TRUE(info_priority(&c, i - 1) > info_priority(&c, i));
	CU_ASSERT_TRUE(info_priority(&c, 99) > info_priority(&c, 100));
	CU_ASSERT_TRUE(info_priority(&c, 100) > info_priority(&c, 101));
	vs_compiled_free(&c);
}

/*
 * Regression test, was a bug (control/model/policy_compile.c:80, ns_labels, the `out->n < VS_LABELS_MAX` guard): a namespace
 * with the full VS_LABELS_MAX (32) labels, which namespace.set accepts, does not get the
 * kubernetes.io/metadata.name label every Kubernetes namespace has, so a selector on it
 * silently stops matching. Input: namespace y with 16 labels l0..l15, an ANP Deny from
 * namespaces {kubernetes.io/metadata.name: y}. Expected: y/a's addresses denied (2 entries);
 * actual: 0 entries, y/a not denied (the Deny fails open).
 */
static void test_compile_ns_name_label_full(void)
{
	struct vs_compiled c;
	struct vs_policy_id id;
	struct vs_err e;
	char k[8];
	json_t *pol = vs_test_json(ANP("'priority': 1, 'subject': {'pods': {'namespaceSelector': "
				       "{'matchLabels': {'ns': 'x'}}, 'podSelector': "
				       "{'matchLabels': {'pod': 'a'}}}}, 'ingress': [{'action': "
				       "'Deny', 'from': [{'namespaces': {'matchLabels': "
				       "{'kubernetes.io/metadata.name': 'y'}}}]}]"));
	const struct vs_inventory *iv = inventory();

	memset(&inv_ns[1].labels, 0, sizeof(inv_ns[1].labels));
	for (int i = 0; i < VS_LABELS_MAX; i++) {
		snprintf(k, sizeof(k), "l%d", i);
		set_label(&inv_ns[1].labels, k, "v");
	}
	CU_ASSERT_EQUAL_FATAL(vs_policy_check(pol, NULL, iv->nets, iv->n_nets, &id, &e), 0);
	CU_ASSERT_EQUAL_FATAL(vs_policy_compile((const json_t *const *)&pol, 1, iv, &c, &e), 0);
	json_decref(pol);
	CU_ASSERT_EQUAL(c.n_entries, 2);	/* was a bug: fixed */
	vs_compiled_free(&c);
}

/* A full node: VS_MAX_PORTS pods of namespace x on vlan 2003 with VS_PORT_IPS_MAX addresses
 * each, and a rule whose three selector peers all match every one of them. Each pod's
 * addresses count once per peer list: before, every peer added them again, and three times
 * 2048 addresses overflowed the compiler's prefix scratch (E2BIG, no field named) for a
 * policy the checker had accepted (tests/fuzz's invariant: an accepted policy compiles). */
static void test_compile_full_inventory(void)
{
	static struct vs_port_cfg cfg[VS_MAX_PORTS];
	static struct vs_inv_port ports[VS_MAX_PORTS];
	const struct vs_inventory *small = inventory();
	struct vs_inventory full = *small;
	struct vs_policy_id id;
	struct vs_compiled c;
	struct vs_err e = { 0 };
	char ip[40];

	for (unsigned int i = 0; i < VS_MAX_PORTS; i++) {
		struct vs_port_cfg *p = &cfg[i];
		memset(p, 0, sizeof(*p));
		snprintf(p->name, sizeof(p->name), "p%u", i);
		p->type = VS_PORT_VHOST;
		p->mode = VS_MODE_ACCESS;
		p->vlan = 2003;
		snprintf(p->np.ns, sizeof(p->np.ns), "x");
		set_label(&p->np.labels, "pod", "a");
		for (unsigned int k = 0; k < VS_PORT_IPS_MAX; k++) {
			snprintf(ip, sizeof(ip), "10.%u.%u.%u", k, i / 256, i % 256);
			add_ip(&p->np, ip);
		}
		ports[i] = (struct vs_inv_port){ .slot = (uint16_t)i, .cfg = p };
	}
	full.ports = ports;
	full.n_ports = VS_MAX_PORTS;
	json_t *pol = vs_test_json(MNP(POD_A ", 'ingress': [{'from': [{'podSelector': {}}, "
				       "{'namespaceSelector': {}}, {" POD_A "}], "
				       "'ports': [{'port': 80}]}]"));
	CU_ASSERT_EQUAL_FATAL(vs_policy_check(pol, "policies[0]", full.nets, full.n_nets, &id, &e),
			      0);
	int rc = vs_policy_compile((const json_t *const *)&pol, 1, &full, &c, &e);
	json_decref(pol);
	if (rc != 0)
		fprintf(stderr, "\n  compile: %s %s\n", e.field, e.msg);
	CU_ASSERT_EQUAL_FATAL(rc, 0);	/* was a bug: fixed */
	/* every selected pod: every pod's addresses once, port 80 */
	CU_ASSERT_EQUAL(c.n_entries, VS_MAX_PORTS * VS_MAX_PORTS * VS_PORT_IPS_MAX);
	vs_compiled_free(&c);
}

/* vs_policy_port_matters against the compiler itself: for every policy of a varied set and
 * every candidate port of a pool (namespaces, VLANs, labels, with and without addresses,
 * access and trunk), when it says the port does not matter, compiling with the port added
 * must give exactly what compiling without it gives. */
static void test_port_matters(void)
{
	static const char *const texts[] = {
		MNP(POD_A ", 'ingress': [{'from': [{'podSelector': {}}]}]"),
		MNP(POD_A ", 'ingress': [{'from': [{'namespaceSelector': {}}]}]"),
		MNP(POD_A ", 'ingress': [{'from': [{'namespaceSelector': {'matchLabels': "
		    "{'team': 'blue'}}, 'podSelector': {'matchLabels': {'pod': 'b'}}}]}]"),
		MNP(POD_A ", 'policyTypes': ['Egress'], 'egress': [{'to': [{'podSelector': "
		    "{'matchLabels': {'pod': 'c'}}}]}]"),
		MNP(POD_A ", 'ingress': [{'from': [{'ipBlock': {'cidr': '10.0.0.0/8'}}]}]"),
		MNP_ON("y", "vlan2004", "'podSelector': {}, 'ingress': [{'from': [{'podSelector': "
		       "{}}]}]"),
		ANP("'priority': 10, 'subject': {'pods': {'namespaceSelector': {'matchLabels': "
		    "{'ns': 'x'}}, 'podSelector': {'matchLabels': {'pod': 'a'}}}}, 'ingress': "
		    "[{'action': 'Allow', 'from': [{'namespaces': {'matchLabels': {'ns': 'y'}}}]}, "
		    "{'action': 'Deny', 'from': [{'pods': {'namespaceSelector': {}, 'podSelector': "
		    "{'matchLabels': {'pod': 'b'}}}}]}]"),
		BANP("'subject': {'namespaces': {'matchLabels': {'ns': 'y'}}}, 'egress': "
		     "[{'action': 'Deny', 'to': [{'networks': ['192.168.0.0/16']}]}]"),
	};
	static const char *const nss[] = { "x", "y", "z", "" };
	static const uint16_t vlans[] = { 2003, 2004, 2005 };
	static const char *const pods[] = { "a", "b", "c" };
	struct vs_inv_port with[N(inv_ports) + 1];
	struct vs_port_cfg cand;
	unsigned int skipped = 0, mattered = 0;
	struct vs_policy_id id;
	struct vs_err e = { 0 };

	for (unsigned int t = 0; t < N(texts); t++) {
		const struct vs_inventory *iv = inventory();
		json_t *pol = vs_test_json(texts[t]);
		CU_ASSERT_EQUAL_FATAL(vs_policy_check(pol, "p", iv->nets, iv->n_nets, &id, &e), 0);
		struct vs_pod_peers peers;
		CU_ASSERT_EQUAL_FATAL(vs_policy_pod_peers(pol, &peers), 0);
		struct vs_compiled without;
		CU_ASSERT_EQUAL_FATAL(vs_policy_compile((const json_t *const *)&pol, 1, iv,
							&without, &e), 0);
		for (unsigned int k = 0; k < N(nss) * N(vlans) * N(pods) * 4; k++) {
			memset(&cand, 0, sizeof(cand));
			snprintf(cand.name, sizeof(cand.name), "cand");
			cand.type = VS_PORT_VHOST;
			cand.mode = k % 4 == 3 ? VS_MODE_TRUNK : VS_MODE_ACCESS;
			cand.vlan = vlans[k / 4 % N(vlans)];
			cand.native_vlan = cand.mode == VS_MODE_TRUNK ? cand.vlan : 0;
			snprintf(cand.np.ns, sizeof(cand.np.ns), "%s",
				 nss[k / 4 / N(vlans) % N(nss)]);
			set_label(&cand.np.labels, "pod", pods[k / 4 / N(vlans) / N(nss) % N(pods)]);
			if (k % 4 != 0)
				add_ip(&cand.np, k % 2 ? "10.0.9.9" : "fd00::9");
			memcpy(with, inv_ports, sizeof(inv_ports));
			with[N(inv_ports)] = (struct vs_inv_port){ .slot = 13, .cfg = &cand };
			struct vs_inventory iw = *iv;
			iw.ports = with;
			iw.n_ports = N(with);
			bool m = vs_policy_port_matters(pol, &peers, &iw, &cand);
			CU_ASSERT_EQUAL(m, vs_policy_port_matters(pol, &peers, iv, &cand));
			struct vs_compiled c;
			CU_ASSERT_EQUAL_FATAL(vs_policy_compile((const json_t *const *)&pol, 1, &iw,
								&c, &e), 0);
			bool same = vs_compiled_same(&c, &without) &&
				    memcmp(c.selected, without.selected, sizeof(c.selected)) == 0;
			if (!m && !same)
				fprintf(stderr, "\n  policy %u, candidate %u: said not to matter, "
					"but the compile differs\n", t, k);
			CU_ASSERT_TRUE(m || same);
			skipped += !m;
			mattered += m && !same;
			vs_compiled_free(&c);
		}
		vs_compiled_free(&without);
		vs_pod_peers_free(&peers);
		json_decref(pol);
	}
	/* both outcomes exercised, and "matters" is not simply always true */
	CU_ASSERT_TRUE(skipped > 100);
	CU_ASSERT_TRUE(mattered > 10);

	/* by hand: selected (x/a on vlan2003), a peer only (x/b, podSelector {}), and not a
	 * peer without addresses */
	const struct vs_inventory *iv = inventory();
	json_t *pol = vs_test_json(texts[0]);
	struct vs_pod_peers peers;
	CU_ASSERT_EQUAL_FATAL(vs_policy_pod_peers(pol, &peers), 0);
	CU_ASSERT_EQUAL(peers.n, 1);
	CU_ASSERT_TRUE(vs_policy_port_matters(pol, &peers, iv, &inv_cfg[0]));
	CU_ASSERT_TRUE(vs_policy_port_matters(pol, &peers, iv, &inv_cfg[1]));
	cand = inv_cfg[1];
	cand.np.n_ips = 0;
	CU_ASSERT_FALSE(vs_policy_port_matters(pol, &peers, iv, &cand));
	/* y/a: another namespace */
	CU_ASSERT_FALSE(vs_policy_port_matters(pol, &peers, iv, &inv_cfg[2]));
	vs_pod_peers_free(&peers);
	json_decref(pol);
}

/* policy-for names are namespaced: a bare name in a policy of namespace x is x's NAD, and
 * two tenants' NADs of one name stay apart; a cluster-wide name covers every namespace's NAD
 * of that name when there is no NAD network of its own. */
static void test_network_resolve(void)
{
	static const char *const names[] = { "vlan2003", "x/net-a", "y/net-a", "x/vlan2003" };
	struct vs_network nets[4];
	struct vs_err e = { 0 };
	for (unsigned int i = 0; i < 4; i++) {
		char text[128];
		snprintf(text, sizeof(text), "{'name': '%s', 'vlan': %u}", names[i], 2003 + i);
		json_t *o = vs_test_json(text);
		CU_ASSERT_EQUAL_FATAL(vs_network_from_json(o, "n", &nets[i], &e), 0);
		json_decref(o);
	}
#define R(tok, ns) vs_network_resolve(nets, 4, tok, strlen(tok), ns)
	CU_ASSERT_EQUAL(R("net-a", "x"), 1);
	CU_ASSERT_EQUAL(R("net-a", "y"), 2);
	CU_ASSERT_EQUAL(R("net-a", "z"), -1);	/* z has no NAD net-a, nor is there a cluster-wide one */
	CU_ASSERT_EQUAL(R("y/net-a", "x"), 2);	/* another namespace's NAD, named so */
	CU_ASSERT_EQUAL(R("net-a", NULL), -1);	/* a cluster-scoped kind names NADs in full */
	CU_ASSERT_EQUAL(R("vlan2003", "y"), 0);	/* cluster-wide */
	CU_ASSERT_EQUAL(R("z/vlan2003", "y"), 0);
	CU_ASSERT_EQUAL(R("vlan2003", "x"), 3);	/* x's own NAD of that name goes first */
	CU_ASSERT_EQUAL(R("x/vlan2003", NULL), 3);
#undef R
	static const char *const bad[] = { "X/net", "x/", "/net", "x/y/z", "x/-net", "x/net.",
					   "a-very-long-namespace-name-that-is-longer-than-sixty"
					   "-three-chars/n" };
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char text[160];
		struct vs_network n;
		snprintf(text, sizeof(text), "{'name': '%s', 'vlan': 5}", bad[i]);
		json_t *o = vs_test_json(text);
		CU_ASSERT_EQUAL(vs_network_from_json(o, "n", &n, &e), -EINVAL);
		json_decref(o);
	}
	/* a policy of namespace z naming net-a is refused: z has no such network */
	json_t *pol = vs_test_json(MNP_ON("z", "net-a", "'podSelector': {}"));
	struct vs_policy_id id;
	CU_ASSERT_EQUAL(vs_policy_check(pol, "p", nets, 4, &id, &e), -ENOENT);
	CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "no NAD network in z"));
	json_decref(pol);
	pol = vs_test_json(MNP_ON("y", "net-a", "'podSelector': {}"));
	CU_ASSERT_EQUAL(vs_policy_check(pol, "p", nets, 4, &id, &e), 0);
	json_decref(pol);

	/* what it selects: x's net-a is VLAN 2004 (x/a@2004, slot 9), y's is 2003 (y/a, slot 7) */
	struct vs_inventory two = *inventory();
	struct vs_network tn[2] = { { "x/net-a", 2004 }, { "y/net-a", 2003 } };
	uint16_t slots[VS_MAX_PORTS];
	two.nets = tn;
	two.n_nets = 2;
	pol = vs_test_json(MNP_ON("x", "net-a", "'podSelector': {}"));
	CU_ASSERT_EQUAL_FATAL(vs_policy_selected(pol, &two, slots), 1);
	CU_ASSERT_EQUAL(slots[0], 9);
	json_decref(pol);
	pol = vs_test_json(MNP_ON("y", "net-a", "'podSelector': {}"));
	CU_ASSERT_EQUAL_FATAL(vs_policy_selected(pol, &two, slots), 1);
	CU_ASSERT_EQUAL(slots[0], 7);
	json_decref(pol);
}

/* ------------------------------------------------------------------ checking */

struct bad_policy {
	const char *json;
	int code;	/* positive errno */
	const char *field;	/* with prefix policies[0] */
};

static void expect_refused(const struct bad_policy *bad, size_t n)
{
	const struct vs_inventory *iv = inventory();

	for (size_t i = 0; i < n; i++) {
		json_t *o = vs_test_json(bad[i].json);
		struct vs_err e = { 0 };
		struct vs_policy_id id;
		int rc = vs_policy_check(o, "policies[0]", iv->nets, iv->n_nets, &id, &e);

		json_decref(o);
		if (rc != -bad[i].code || e.code != bad[i].code ||
		    strcmp(e.field, bad[i].field) != 0)
			fprintf(stderr, "\n  %s:\n    got %d %s (%s), want %d %s\n", bad[i].json,
				rc, e.field, e.msg, -bad[i].code, bad[i].field);
		CU_ASSERT_EQUAL(rc, -bad[i].code);
		CU_ASSERT_EQUAL(e.code, bad[i].code);
		CU_ASSERT_STRING_EQUAL(e.field, bad[i].field);
		CU_ASSERT_NOT_EQUAL(e.msg[0], '\0');
	}
}

#define FROM0 "policies[0].spec.ingress[0].from[0]"
#define PORT0 "policies[0].spec.ingress[0].ports[0]"
#define POLICY_FOR "policies[0].metadata.annotations.k8s.v1.cni.cncf.io/policy-for"
#define IN_FROM(peer) MNP(POD_A ", 'ingress': [{'from': [" peer "]}]")
#define IN_PORT(port) MNP(POD_A ", 'ingress': [{'ports': [" port "]}]")
#define ANP_X "'subject': {'namespaces': {}}"
#define FROM0_IPBLOCK_EXCEPT FROM0 ".ipBlock.except"

static void test_check_refused(void)
{
	static const struct bad_policy bad[] = {
		/* ipBlock */
		{ IN_FROM("{'ipBlock': {'cidr': '10.0.0.0/33'}}"), EINVAL, FROM0 ".ipBlock.cidr" },
		{ IN_FROM("{'ipBlock': {'cidr': '10.0.0.300/24'}}"), EINVAL,
		  FROM0 ".ipBlock.cidr" },
		{ IN_FROM("{'ipBlock': {'cidr': '10.0.0.0'}}"), EINVAL, FROM0 ".ipBlock.cidr" },
		{ IN_FROM("{'ipBlock': {'cidr': 10}}"), EINVAL, FROM0 ".ipBlock.cidr" },
		{ IN_FROM("{'ipBlock': {}}"), EINVAL, FROM0 ".ipBlock.cidr" },
		{ IN_FROM("{'ipBlock': {'cidr': '10.0.0.0/16', 'except': ['10.1.0.0/24']}}"),
		  EINVAL, FROM0 ".ipBlock.except[0]" },
		{ IN_FROM("{'ipBlock': {'cidr': '10.0.0.0/16', 'except': ['10.0.1.0/24', "
			  "'10.0.0.0/8']}}"), EINVAL, FROM0 ".ipBlock.except[1]" },
		{ IN_FROM("{'ipBlock': {'cidr': '10.0.0.0/16', 'except': ['fd00::/64']}}"), EINVAL,
		  FROM0 ".ipBlock.except[0]" },
		{ IN_FROM("{'ipBlock': {'cidr': '10.0.0.0/16', 'except': ['10.0.1.0/33']}}"),
		  EINVAL, FROM0 ".ipBlock.except[0]" },
		{ IN_FROM("{'ipBlock': {'cidr': '10.0.0.0/16', 'except': '10.0.1.0/24'}}"), EINVAL,
		  FROM0 ".ipBlock.except" },
		{ IN_FROM("{'ipBlock': {'cidr': '10.0.0.0/16'}, 'podSelector': {}}"), EINVAL,
		  FROM0 ".ipBlock" },
		{ IN_FROM("{}"), EINVAL, FROM0 },
		{ IN_FROM("{'podSelector': {'matchLabel': {}}}"), EINVAL,
		  FROM0 ".podSelector.matchLabel" },
		{ MNP(POD_A ", 'egress': [{'to': [{'ipBlock': {'cidr': 'fd00::/200'}}]}]"), EINVAL,
		  "policies[0].spec.egress[0].to[0].ipBlock.cidr" },
		/* ports */
		{ IN_PORT("{'protocol': 'ICMP'}"), EINVAL, PORT0 ".protocol" },
		{ IN_PORT("{'protocol': 'tcp', 'port': 80}"), EINVAL, PORT0 ".protocol" },
		{ IN_PORT("{'protocol': 'TCP', 'port': 0}"), ERANGE, PORT0 ".port" },
		{ IN_PORT("{'protocol': 'TCP', 'port': 70000}"), ERANGE, PORT0 ".port" },
		{ IN_PORT("{'protocol': 'TCP', 'port': 65536}"), ERANGE, PORT0 ".port" },
		{ IN_PORT("{'protocol': 'TCP', 'port': -1}"), ERANGE, PORT0 ".port" },
		{ IN_PORT("{'protocol': 'TCP', 'port': 8080, 'endPort': 8000}"), ERANGE,
		  PORT0 ".endPort" },
		{ IN_PORT("{'protocol': 'TCP', 'port': 80, 'endPort': 70000}"), ERANGE,
		  PORT0 ".endPort" },
		{ IN_PORT("{'protocol': 'TCP', 'endPort': 8080}"), EINVAL, PORT0 ".endPort" },
		{ IN_PORT("{'protocol': 'TCP', 'port': 'http'}"), ENOTSUP, PORT0 ".port" },
		{ IN_PORT("{'protocol': 'TCP', 'port': 80, 'end': 81}"), EINVAL, PORT0 ".end" },
		{ MNP(POD_A ", 'ingress': [{}, {'ports': [{'port': 80}, {'port': 0}]}]"), ERANGE,
		  "policies[0].spec.ingress[1].ports[1].port" },
		/* the networks a MultiNetworkPolicy is for */
		{ MNP_ON("x", "vlan2005", "'podSelector': {}"), ENOENT, POLICY_FOR },
		{ MNP_ON("x", "vlan2003,vlan9", "'podSelector': {}"), ENOENT, POLICY_FOR },
		{ MNP_ON("x", "", "'podSelector': {}"), EINVAL, POLICY_FOR },
		{ "{'kind': 'MultiNetworkPolicy', 'metadata': {'name': 'p', 'namespace': 'x'}, "
		  "'spec': {'podSelector': {}}}", EINVAL, POLICY_FOR },
		{ "{'kind': 'MultiNetworkPolicy', 'metadata': {'name': 'p', 'namespace': 'x', "
		  "'annotations': {'other': 'vlan2003'}}, 'spec': {'podSelector': {}}}", EINVAL,
		  POLICY_FOR },
		/* the spec */
		{ MNP(POD_A ", 'ingres': []"), EINVAL, "policies[0].spec.ingres" },
		{ MNP("'ingress': []"), EINVAL, "policies[0].spec.podSelector" },
		{ MNP(POD_A ", 'policyTypes': ['Both']"), EINVAL,
		  "policies[0].spec.policyTypes[0]" },
		{ MNP(POD_A ", 'policyTypes': ['Ingress', 'Egress', 'Ingress']"), E2BIG,
		  "policies[0].spec.policyTypes" },
		{ MNP(POD_A ", 'ingress': {}"), EINVAL, "policies[0].spec.ingress" },
		{ MNP(POD_A ", 'ingress': [{'to': []}]"), EINVAL,
		  "policies[0].spec.ingress[0].to" },
		{ MNP("'podSelector': {'matchExpressions': [{'key': 'pod', 'operator': 'In'}]}"),
		  EINVAL, "policies[0].spec.podSelector.matchExpressions[0].values" },
		{ MNP("'podSelector': {'matchExpressions': [{'key': 'pod', 'operator': 'Exists', "
		      "'values': ['a']}]}"), EINVAL,
		  "policies[0].spec.podSelector.matchExpressions[0].values" },
		{ MNP("'podSelector': {'matchExpressions': [{'key': 'pod', 'operator': 'Gt', "
		      "'values': ['1']}]}"), EINVAL,
		  "policies[0].spec.podSelector.matchExpressions[0].operator" },
		{ MNP("'podSelector': {'matchExpressions': [{'operator': 'Exists'}]}"), EINVAL,
		  "policies[0].spec.podSelector.matchExpressions[0].key" },
		{ MNP("'podSelector': {'matchLabels': {'pod': 'a b'}}"), EINVAL,
		  "policies[0].spec.podSelector.matchLabels" },
		{ "{'kind': 'MultiNetworkPolicy', 'metadata': {'name': 'p', 'namespace': 'x', "
		  ANNOT("vlan2003") "}, 'spec': {'podSelector': {}}, 'bogus': 1}", EINVAL,
		  "policies[0].bogus" },
		{ "{'kind': 'NetworkPolicy', 'metadata': {'name': 'p'}, 'spec': {}}", EINVAL,
		  "policies[0].kind" },
		{ "{'kind': 'MultiNetworkPolicy', 'spec': {}}", EINVAL, "policies[0].metadata" },
		{ "{'kind': 'MultiNetworkPolicy', 'metadata': {'name': ''}, 'spec': {}}", EINVAL,
		  "policies[0].metadata.name" },
		/* AdminNetworkPolicy */
		{ ANP(ANP_X), EINVAL, "policies[0].spec.priority" },
		{ ANP("'priority': 1001, " ANP_X), EINVAL, "policies[0].spec.priority" },
		{ ANP("'priority': -1, " ANP_X), EINVAL, "policies[0].spec.priority" },
		{ ANP("'priority': '5', " ANP_X), EINVAL, "policies[0].spec.priority" },
		{ ANP("'priority': 5"), EINVAL, "policies[0].spec.subject" },
		{ ANP("'priority': 5, 'podSelector': {}, " ANP_X), EINVAL,
		  "policies[0].spec.podSelector" },
		{ ANP("'priority': 5, 'subject': {'namespaces': {}, 'pods': {}}"), EINVAL,
		  "policies[0].spec.subject" },
		{ ANP("'priority': 5, 'subject': {'networks': ['10.0.0.0/8']}"), EINVAL,
		  "policies[0].spec.subject.networks" },
		{ ANP("'priority': 5, 'subject': {'pods': {'podSelector': {}}}"), EINVAL,
		  "policies[0].spec.subject.pods.namespaceSelector" },
		{ ANP("'priority': 5, " ANP_X ", 'ingress': [{'action': 'Allow', "
		      "'from': [{'networks': ['10.0.0.0/8']}]}]"), EINVAL,
		  "policies[0].spec.ingress[0].from[0].networks" },
		{ ANP("'priority': 5, " ANP_X ", 'egress': [{'action': 'Allow', "
		      "'to': [{'networks': ['10.0.0.0/88']}]}]"), EINVAL,
		  "policies[0].spec.egress[0].to[0].networks[0]" },
		{ ANP("'priority': 5, " ANP_X ", 'ingress': [{'action': 'Accept', "
		      "'from': [{'namespaces': {}}]}]"), EINVAL,
		  "policies[0].spec.ingress[0].action" },
		{ ANP("'priority': 5, " ANP_X ", 'ingress': [{'from': [{'namespaces': {}}]}]"),
		  EINVAL, "policies[0].spec.ingress[0].action" },
		{ ANP("'priority': 5, " ANP_X ", 'ingress': [{'action': 'Allow', 'from': []}]"),
		  EINVAL, "policies[0].spec.ingress[0].from" },
		{ ANP("'priority': 5, " ANP_X ", 'ingress': [{'action': 'Allow', "
		      "'from': [{'nodes': {}}]}]"), ENOTSUP,
		  "policies[0].spec.ingress[0].from[0].nodes" },
		{ ANP("'priority': 5, " ANP_X ", 'ingress': [{'action': 'Allow', 'from': "
		      "[{'namespaces': {}}], 'ports': [{'namedPort': 'http'}]}]"), ENOTSUP,
		  "policies[0].spec.ingress[0].ports[0].namedPort" },
		{ ANP("'priority': 5, " ANP_X ", 'ingress': [{'action': 'Allow', 'from': "
		      "[{'namespaces': {}}], 'ports': [{'portNumber': {'port': 80}, "
		      "'portRange': {'start': 1, 'end': 2}}]}]"), EINVAL,
		  "policies[0].spec.ingress[0].ports[0]" },
		{ ANP("'priority': 5, " ANP_X ", 'ingress': [{'action': 'Allow', 'from': "
		      "[{'namespaces': {}}], 'ports': [{'portRange': {'start': 90, 'end': 80}}]}]"),
		  ERANGE, "policies[0].spec.ingress[0].ports[0].portRange.end" },
		{ ANP("'priority': 5, " ANP_X ", 'ingress': [{'action': 'Allow', 'from': "
		      "[{'namespaces': {}}], 'ports': [{'portNumber': {'protocol': 'ICMP', "
		      "'port': 1}}]}]"), EINVAL,
		  "policies[0].spec.ingress[0].ports[0].portNumber.protocol" },
		/* BaselineAdminNetworkPolicy */
		{ "{'kind': 'BaselineAdminNetworkPolicy', 'metadata': {'name': 'other'}, "
		  "'spec': {" ANP_X "}}", EINVAL, "policies[0].metadata.name" },
		{ BANP(ANP_X ", 'ingress': [{'action': 'Pass', 'from': [{'namespaces': {}}]}]"),
		  EINVAL, "policies[0].spec.ingress[0].action" },
		{ BANP(ANP_X ", 'egress': [{'action': 'Deny', 'to': [{'namespaces': {}}]}, "
			     "{'action': 'Pass', 'to': [{'namespaces': {}}]}]"),
		  EINVAL, "policies[0].spec.egress[1].action" },
		{ BANP("'priority': 5, " ANP_X), EINVAL, "policies[0].spec.priority" },
		{ "{'kind': 'AdminNetworkPolicy', 'metadata': {'name': 'a', " ANNOT("vlan7") "}, "
		  "'spec': {'priority': 1, " ANP_X "}}", ENOENT, POLICY_FOR },
	};
	expect_refused(bad, N(bad));
}

/*
 * Regression test, was a bug (control/model/policy_rules.c, check_selector: `if (json_is_null(v)) return 0;` under
 * matchLabels): a selector with "matchLabels": null is accepted without its matchExpressions
 * being checked at all. Input: podSelector {matchLabels: null, matchExpressions: [{key:
 * 'pod'}]} (no operator). Expected: -EINVAL naming
 * spec.podSelector.matchExpressions[0].operator; actual: 0 (accepted). Compiling it then
 * crashes (SIGSEGV, seen in a forked scratch run; not done here): policy_compile.c:36
 * expr_match calls strcmp(NULL, "Exists"). With an unknown operator like 'Gt' the term
 * silently acts as NotIn.
 */
/* What a rule's ipBlocks expand to (except blocks split the cidr) and its ANP networks count
 * against VS_POLICY_PEER_PREFIXES_MAX in the checker, naming the field: before, 59 /128
 * excepts spread over a /16 (1.5 KB of JSON, tests/fuzz/corpus/policy/crash-ipblock-expansion
 * .json) passed the check and failed to compile (E2BIG, no field), so policy.apply gave no
 * field and a config holding it passed vswd --check but not startup. */
static void test_check_prefix_budget(void)
{
	const struct vs_inventory *iv = inventory();
	struct vs_policy_id id;
	struct vs_compiled c;
	struct vs_err e = { 0 };
	char buf[64];
	struct {
		unsigned int n;	/* except blocks or networks */
		bool ok;
	} cases[] = { { 20, true }, { 59, false } };

	for (size_t k = 0; k < N(cases); k++) {
		json_t *pol = vs_test_json(MNP(POD_A ", 'ingress': [{'from': [{'ipBlock': "
					       "{'cidr': 'fd00::/16', 'except': []}}]}]"));
		json_t *ex = json_object_get(json_object_get(json_array_get(json_object_get(
			json_array_get(json_object_get(json_object_get(pol, "spec"), "ingress"),
				       0), "from"), 0), "ipBlock"), "except");
		for (unsigned int i = 1; i <= cases[k].n; i++) {
			snprintf(buf, sizeof(buf), "fd00:%x::1/128", i * 1024);
			json_array_append_new(ex, json_string(buf));
		}
		int rc = vs_policy_check(pol, "policies[0]", iv->nets, iv->n_nets, &id, &e);
		if (cases[k].ok) {
			CU_ASSERT_EQUAL(rc, 0);
			CU_ASSERT_EQUAL(vs_policy_compile((const json_t *const *)&pol, 1, iv, &c, &e), 0);
			vs_compiled_free(&c);
		} else {
			CU_ASSERT_EQUAL(rc, -E2BIG);	/* was a bug: fixed */
			CU_ASSERT_STRING_EQUAL(e.field, FROM0_IPBLOCK_EXCEPT);
		}
		json_decref(pol);
	}
	/* ANP egress networks: one prefix each */
	json_t *anp = vs_test_json(ANP("'priority': 1, " ANP_X ", 'egress': [{'action': 'Deny', "
				       "'to': [{'networks': []}]}]"));
	json_t *nets = json_object_get(json_array_get(json_object_get(json_array_get(
		json_object_get(json_object_get(anp, "spec"), "egress"), 0), "to"), 0), "networks");
	for (unsigned int i = 0; i <= VS_POLICY_PEER_PREFIXES_MAX; i++) {
		snprintf(buf, sizeof(buf), "10.%u.%u.0/24", i / 256, i % 256);
		json_array_append_new(nets, json_string(buf));
	}
	CU_ASSERT_EQUAL(vs_policy_check(anp, "policies[0]", iv->nets, iv->n_nets, &id, &e),
			-E2BIG);
	snprintf(buf, sizeof(buf), "policies[0].spec.egress[0].to[0].networks[%d]",
		 VS_POLICY_PEER_PREFIXES_MAX);
	CU_ASSERT_STRING_EQUAL(e.field, buf);
	json_array_remove(nets, 0);	/* exactly the budget: fine, and it compiles */
	CU_ASSERT_EQUAL(vs_policy_check(anp, "policies[0]", iv->nets, iv->n_nets, &id, &e), 0);
	CU_ASSERT_EQUAL(vs_policy_compile((const json_t *const *)&anp, 1, iv, &c, &e), 0);
	vs_compiled_free(&c);
	json_decref(anp);
}

static void test_check_null_match_labels(void)
{
	static const struct bad_policy bad[] = {
		{ MNP("'podSelector': {'matchLabels': null, 'matchExpressions': [{'key': 'pod'}]}"),
		  EINVAL, "policies[0].spec.podSelector.matchExpressions[0].operator" },
		{ MNP("'podSelector': {'matchLabels': null, 'matchExpressions': [{'key': 'pod', "
		      "'operator': 'Gt', 'values': ['1']}]}"),
		  EINVAL, "policies[0].spec.podSelector.matchExpressions[0].operator" },
	};
	expect_refused(bad, N(bad));	/* was a bug: fixed */
}

static void test_check_ids(void)
{
	const struct vs_inventory *iv = inventory();
	struct vs_policy_id id;
	struct vs_err e = { 0 };
	json_t *o;

	o = vs_test_json(MNP_ON("y", "vlan2003", "'podSelector': {}"));
	CU_ASSERT_EQUAL(vs_policy_check(o, "policies[0]", iv->nets, iv->n_nets, &id, &e), 0);
	CU_ASSERT_EQUAL(id.kind, VS_POL_NP);
	CU_ASSERT_STRING_EQUAL(id.name, "p");
	CU_ASSERT_STRING_EQUAL(id.ns, "y");
	json_decref(o);
	/* no namespace: default; the annotation may name the NAD as namespace/name */
	o = vs_test_json("{'kind': 'MultiNetworkPolicy', 'metadata': {'name': 'q', "
			 ANNOT(" default/vlan2004 , vlan2003") "}, 'spec': {'podSelector': {}}}");
	CU_ASSERT_EQUAL(vs_policy_check(o, NULL, iv->nets, iv->n_nets, &id, &e), 0);
	CU_ASSERT_STRING_EQUAL(id.ns, "default");
	json_decref(o);
	/* metadata and status may carry anything */
	o = vs_test_json("{'apiVersion': 'policy.networking.k8s.io/v1alpha1', "
			 "'kind': 'AdminNetworkPolicy', 'metadata': {'name': 'anp', 'uid': 'u', "
			 "'labels': {'a': 'b'}}, 'spec': {'priority': 0, " ANP_X "}, "
			 "'status': {'conditions': []}}");
	CU_ASSERT_EQUAL(vs_policy_check(o, NULL, iv->nets, iv->n_nets, &id, &e), 0);
	CU_ASSERT_EQUAL(id.kind, VS_POL_ANP);
	CU_ASSERT_STRING_EQUAL(id.name, "anp");
	CU_ASSERT_STRING_EQUAL(id.ns, "");
	json_decref(o);
	o = vs_test_json(ANP("'priority': 1000, " ANP_X));
	CU_ASSERT_EQUAL(vs_policy_check(o, NULL, iv->nets, iv->n_nets, &id, &e), 0);
	json_decref(o);
	o = vs_test_json(BANP(ANP_X));
	CU_ASSERT_EQUAL(vs_policy_check(o, NULL, iv->nets, iv->n_nets, &id, &e), 0);
	CU_ASSERT_EQUAL(id.kind, VS_POL_BANP);
	CU_ASSERT_STRING_EQUAL(id.name, "default");
	json_decref(o);
	/* without a prefix the field is the path inside the object */
	o = vs_test_json(ANP(ANP_X));
	CU_ASSERT_EQUAL(vs_policy_check(o, NULL, iv->nets, iv->n_nets, &id, &e), -EINVAL);
	CU_ASSERT_STRING_EQUAL(e.field, "spec.priority");
	CU_ASSERT_EQUAL(vs_policy_check(o, "", iv->nets, iv->n_nets, &id, &e), -EINVAL);
	CU_ASSERT_STRING_EQUAL(e.field, "spec.priority");
	json_decref(o);
	o = vs_test_json("{'kind': 'AdminNetworkPolicy', 'metadata': {'name': 'a'}, "
			 "'spec': {}, 'extra': 1}");
	CU_ASSERT_EQUAL(vs_policy_check(o, NULL, iv->nets, iv->n_nets, &id, &e), -EINVAL);
	CU_ASSERT_STRING_EQUAL(e.field, "extra");
	json_decref(o);
	/* names */
	CU_ASSERT_EQUAL(vs_policy_kind_parse("AdminNetworkPolicy"), VS_POL_ANP);
	CU_ASSERT_EQUAL(vs_policy_kind_parse("NetworkPolicy"), -1);
	CU_ASSERT_STRING_EQUAL(vs_policy_kind_name(VS_POL_BANP), "BaselineAdminNetworkPolicy");
	CU_ASSERT_STRING_EQUAL(vs_tier_name(VS_TIER_TENANT), "tenant");
	CU_ASSERT_STRING_EQUAL(vs_action_name(VS_ACT_PASS), "Pass");
}

/* ------------------------------------------------------------------ flow parsing */

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void ip4_hdr(uint8_t *p, uint8_t proto, uint16_t total, uint16_t frag, const char *src,
		    const char *dst)
{
	p[0] = 0x45;
	put16(p + 2, total);
	put16(p + 4, 0x1234);	/* identification */
	put16(p + 6, frag);
	p[8] = 64;
	p[9] = proto;
	CU_ASSERT_FATAL(inet_pton(AF_INET, src, p + 12) == 1);
	CU_ASSERT_FATAL(inet_pton(AF_INET, dst, p + 16) == 1);
}

static void ip6_hdr(uint8_t *p, uint8_t nh, uint16_t plen, const char *src, const char *dst)
{
	p[0] = 0x60;
	put16(p + 4, plen);
	p[6] = nh;
	p[7] = 64;
	CU_ASSERT_FATAL(inet_pton(AF_INET6, src, p + 8) == 1);
	CU_ASSERT_FATAL(inet_pton(AF_INET6, dst, p + 24) == 1);
}

static enum vs_l3_verdict parse_why;

/* Parses with f full of garbage first: the parse must set every field. The kind, or -1 with
 * parse_why saying what is malformed. */
static int parse(const uint8_t *l3, uint32_t len, uint16_t et, struct vs_flow *f)
{
	memset(f, 0xa5, sizeof(*f));
	return vs_flow_parse(l3, len, et, f, &parse_why);
}

#define EXPECT_MALFORMED(call, why)                                                          \
	do {                                                                                 \
		CU_ASSERT_EQUAL(call, -1);                                                   \
		CU_ASSERT_EQUAL(parse_why, why);                                             \
	} while (0)

static void expect_addr(const uint8_t *got, int family, const char *want)
{
	uint8_t a[16] = { 0 };
	CU_ASSERT_FATAL(inet_pton(family == 4 ? AF_INET : AF_INET6, want, a) == 1);
	CU_ASSERT_EQUAL(memcmp(got, a, 16), 0);
}

static void test_flow_ipv4(void)
{
	uint8_t b[128];
	struct vs_flow f;

	/* TCP SYN-ACK 10.0.0.10:40000 -> 10.0.0.11:80 in a 60-byte frame (Ethernet padding) */
	memset(b, 0, sizeof(b));
	ip4_hdr(b, 6, 40, 0x4000, "10.0.0.10", "10.0.0.11");
	put16(b + 20, 40000);
	put16(b + 22, 80);
	b[32] = 0x50;
	b[33] = VS_TCP_SYN | VS_TCP_ACK;
	CU_ASSERT_EQUAL(parse(b, 46, VS_ETHERTYPE_IPV4, &f), VS_FLOW_IP);
	CU_ASSERT_EQUAL(f.family, 4);
	CU_ASSERT_EQUAL(f.proto, VS_PROTO_TCP);
	CU_ASSERT_EQUAL(f.sport, 40000);
	CU_ASSERT_EQUAL(f.dport, 80);
	CU_ASSERT_EQUAL(f.tcp_flags, 0x12);
	CU_ASSERT_EQUAL(f.icmp_type, 0);
	CU_ASSERT_TRUE(f.l4);
	expect_addr(f.src, 4, "10.0.0.10");
	expect_addr(f.dst, 4, "10.0.0.11");
	/* total length says 8 bytes of TCP: the padding after it is not TCP header */
	put16(b + 2, 28);
	EXPECT_MALFORMED(parse(b, 46, VS_ETHERTYPE_IPV4, &f), VS_L3_L4_TRUNCATED);
	CU_ASSERT_FALSE(f.l4);
	/* truncated frame: the total length reaches past it */
	put16(b + 2, 40);
	EXPECT_MALFORMED(parse(b, 30, VS_ETHERTYPE_IPV4, &f), VS_L3_BAD_LENGTH);
	/* total length shorter than the header */
	put16(b + 2, 19);
	EXPECT_MALFORMED(parse(b, 46, VS_ETHERTYPE_IPV4, &f), VS_L3_BAD_HEADER);
	put16(b + 2, 40);
	/* IHL < 5, IHL beyond the frame */
	b[0] = 0x44;
	EXPECT_MALFORMED(parse(b, 46, VS_ETHERTYPE_IPV4, &f), VS_L3_BAD_HEADER);
	b[0] = 0x4f;
	EXPECT_MALFORMED(parse(b, 46, VS_ETHERTYPE_IPV4, &f), VS_L3_BAD_HEADER);
	b[0] = 0x45;
	CU_ASSERT_EQUAL(parse(b, 46, VS_ETHERTYPE_IPV4, &f), VS_FLOW_IP);

	/* UDP 5353 -> 53 */
	memset(b, 0, sizeof(b));
	ip4_hdr(b, 17, 28, 0, "10.0.0.11", "10.0.1.10");
	put16(b + 20, 5353);
	put16(b + 22, 53);
	put16(b + 24, 8);
	b[33] = 0xff;	/* beyond the UDP header: not flags */
	CU_ASSERT_EQUAL(parse(b, 28, VS_ETHERTYPE_IPV4, &f), VS_FLOW_IP);
	CU_ASSERT_EQUAL(f.proto, VS_PROTO_UDP);
	CU_ASSERT_EQUAL(f.sport, 5353);
	CU_ASSERT_EQUAL(f.dport, 53);
	CU_ASSERT_EQUAL(f.tcp_flags, 0);
	CU_ASSERT_TRUE(f.l4);
	expect_addr(f.dst, 4, "10.0.1.10");
	EXPECT_MALFORMED(parse(b, 27, VS_ETHERTYPE_IPV4, &f), VS_L3_BAD_LENGTH);
	put16(b + 2, 27);	/* 7 bytes of UDP */
	EXPECT_MALFORMED(parse(b, 28, VS_ETHERTYPE_IPV4, &f), VS_L3_L4_TRUNCATED);
	put16(b + 2, 28);
	/* first fragment (MF set, offset 0) has the ports */
	put16(b + 4, 0x1234);
	put16(b + 6, 0x2000);
	CU_ASSERT_EQUAL(parse(b, 28, VS_ETHERTYPE_IPV4, &f), VS_FLOW_IP);
	CU_ASSERT_TRUE(f.l4);
	CU_ASSERT_EQUAL(f.dport, 53);
	CU_ASSERT_EQUAL(f.frag, VS_FRAG_FIRST);
	CU_ASSERT_EQUAL(f.frag_id, 0x1234);
	/* a first fragment that cuts the UDP header short hides its ports (RFC 1858) */
	put16(b + 2, 27);
	EXPECT_MALFORMED(parse(b, 28, VS_ETHERTYPE_IPV4, &f), VS_L3_FRAG_TINY);
	put16(b + 2, 28);
	/* non-first fragment: offset 185 (x 8 bytes), whatever follows is not a UDP header */
	put16(b + 6, 0x00b9);
	CU_ASSERT_EQUAL(parse(b, 28, VS_ETHERTYPE_IPV4, &f), VS_FLOW_IP);
	CU_ASSERT_EQUAL(f.proto, VS_PROTO_UDP);
	CU_ASSERT_EQUAL(f.frag, VS_FRAG_LATER);
	CU_ASSERT_EQUAL(f.frag_id, 0x1234);
	CU_ASSERT_FALSE(f.l4);
	CU_ASSERT_EQUAL(f.sport, 0);
	CU_ASSERT_EQUAL(f.dport, 0);
	expect_addr(f.src, 4, "10.0.0.11");
	put16(b + 6, 0x2001);	/* MF and offset 1 */
	CU_ASSERT_EQUAL(parse(b, 28, VS_ETHERTYPE_IPV4, &f), VS_FLOW_IP);
	CU_ASSERT_FALSE(f.l4);
	put16(b + 6, 0x1000);	/* offset 4096 (the offset's top bit) */
	CU_ASSERT_EQUAL(parse(b, 28, VS_ETHERTYPE_IPV4, &f), VS_FLOW_IP);
	CU_ASSERT_FALSE(f.l4);
	put16(b + 6, 0x8000 | 0x4000);	/* reserved and DF bits: not a fragment */
	CU_ASSERT_EQUAL(parse(b, 28, VS_ETHERTYPE_IPV4, &f), VS_FLOW_IP);
	CU_ASSERT_TRUE(f.l4);
	CU_ASSERT_EQUAL(f.frag, VS_FRAG_NONE);
	/* TCP: a later fragment at offset 8 or 16 bytes would overwrite the TCP header's ports or
	 * flags after the first fragment was checked (RFC 1858); at 24 it is past them */
	b[9] = VS_PROTO_TCP;
	put16(b + 6, 0x0001);
	EXPECT_MALFORMED(parse(b, 28, VS_ETHERTYPE_IPV4, &f), VS_L3_FRAG_OVERLAP);
	put16(b + 6, 0x2002);
	EXPECT_MALFORMED(parse(b, 28, VS_ETHERTYPE_IPV4, &f), VS_L3_FRAG_OVERLAP);
	put16(b + 6, 0x2003);
	CU_ASSERT_EQUAL(parse(b, 28, VS_ETHERTYPE_IPV4, &f), VS_FLOW_IP);
	CU_ASSERT_EQUAL(f.frag, VS_FRAG_LATER);
	b[9] = VS_PROTO_UDP;

	/* options: IHL 6 */
	memset(b, 0, sizeof(b));
	ip4_hdr(b, 17, 32, 0, "10.0.0.11", "10.0.1.10");
	b[0] = 0x46;
	put16(b + 20, 0x0101);	/* the option word */
	put16(b + 24, 1000);
	put16(b + 26, 2000);
	CU_ASSERT_EQUAL(parse(b, 32, VS_ETHERTYPE_IPV4, &f), VS_FLOW_IP);
	CU_ASSERT_EQUAL(f.sport, 1000);
	CU_ASSERT_EQUAL(f.dport, 2000);

	/* SCTP 36412 -> 38412 */
	memset(b, 0, sizeof(b));
	ip4_hdr(b, 132, 32, 0, "10.0.0.10", "10.0.0.11");
	put16(b + 20, 36412);
	put16(b + 22, 38412);
	CU_ASSERT_EQUAL(parse(b, 32, VS_ETHERTYPE_IPV4, &f), VS_FLOW_IP);
	CU_ASSERT_EQUAL(f.proto, VS_PROTO_SCTP);
	CU_ASSERT_EQUAL(f.sport, 36412);
	CU_ASSERT_EQUAL(f.dport, 38412);
	CU_ASSERT_TRUE(f.l4);

	/* ICMP echo request: sport = identifier, dport = type */
	memset(b, 0, sizeof(b));
	ip4_hdr(b, 1, 28, 0, "10.0.0.10", "10.0.0.11");
	b[20] = 8;
	put16(b + 24, 0xbeef);
	put16(b + 26, 7);
	CU_ASSERT_EQUAL(parse(b, 28, VS_ETHERTYPE_IPV4, &f), VS_FLOW_IP);
	CU_ASSERT_EQUAL(f.proto, VS_PROTO_ICMP);
	CU_ASSERT_EQUAL(f.icmp_type, 8);
	CU_ASSERT_EQUAL(f.sport, 0xbeef);
	CU_ASSERT_EQUAL(f.dport, 8);
	CU_ASSERT_TRUE(f.l4);
	CU_ASSERT_TRUE(vs_icmp_is_echo_request(4, f.icmp_type));
	b[20] = 0;	/* echo reply */
	CU_ASSERT_EQUAL(parse(b, 28, VS_ETHERTYPE_IPV4, &f), VS_FLOW_IP);
	CU_ASSERT_EQUAL(f.icmp_type, 0);
	CU_ASSERT_EQUAL(f.sport, 0xbeef);
	CU_ASSERT_EQUAL(f.dport, 0);
	CU_ASSERT_EQUAL(vs_icmp_echo_reply_type(4), 0);
	b[20] = 3;	/* destination unreachable: no identifier */
	b[21] = 1;
	CU_ASSERT_EQUAL(parse(b, 28, VS_ETHERTYPE_IPV4, &f), VS_FLOW_IP);
	CU_ASSERT_EQUAL(f.icmp_type, 3);
	CU_ASSERT_EQUAL(f.sport, 0);
	CU_ASSERT_EQUAL(f.dport, 0);
	CU_ASSERT_TRUE(f.l4);

	/* not IPv4 after all: what the receiver drops, policy never passes */
	b[0] = 0x65;
	EXPECT_MALFORMED(parse(b, 28, VS_ETHERTYPE_IPV4, &f), VS_L3_BAD_HEADER);
	b[0] = 0x45;
	EXPECT_MALFORMED(parse(b, 19, VS_ETHERTYPE_IPV4, &f), VS_L3_TRUNCATED);
	/* ARP and anything else: policy does not apply */
	CU_ASSERT_EQUAL(parse(b, 28, VS_ETHERTYPE_ARP, &f), VS_FLOW_NOT_IP);
	CU_ASSERT_EQUAL(parse(b, 28, 0x88cc, &f), VS_FLOW_NOT_IP);
}

static void test_flow_ipv6(void)
{
	uint8_t b[160];
	struct vs_flow f;

	/* hop-by-hop (8 bytes: PadN) then TCP SYN fd00::a:1234 -> fd00::b:443 */
	memset(b, 0, sizeof(b));
	ip6_hdr(b, 0, 8 + 20, "fd00::a", "fd00::b");
	b[40] = VS_PROTO_TCP;
	b[41] = 0;
	b[42] = 1;	/* PadN, 4 bytes */
	b[43] = 4;
	put16(b + 48, 1234);
	put16(b + 50, 443);
	b[60] = 0x50;
	b[61] = VS_TCP_SYN;
	CU_ASSERT_EQUAL(parse(b, 68 + 10, VS_ETHERTYPE_IPV6, &f), VS_FLOW_IP);	/* + padding */
	CU_ASSERT_EQUAL(f.family, 6);
	CU_ASSERT_EQUAL(f.proto, VS_PROTO_TCP);
	CU_ASSERT_EQUAL(f.sport, 1234);
	CU_ASSERT_EQUAL(f.dport, 443);
	CU_ASSERT_EQUAL(f.tcp_flags, VS_TCP_SYN);
	CU_ASSERT_TRUE(f.l4);
	expect_addr(f.src, 6, "fd00::a");
	expect_addr(f.dst, 6, "fd00::b");
	/* payload length cuts the TCP header short */
	put16(b + 4, 8 + 19);
	EXPECT_MALFORMED(parse(b, 78, VS_ETHERTYPE_IPV6, &f), VS_L3_L4_TRUNCATED);
	/* ... or reaches past the frame */
	put16(b + 4, 8 + 20 + 11);
	EXPECT_MALFORMED(parse(b, 78, VS_ETHERTYPE_IPV6, &f), VS_L3_BAD_LENGTH);
	put16(b + 4, 8 + 20);
	/* hop-by-hop anywhere but first */
	b[6] = 60;
	b[40] = 0;
	EXPECT_MALFORMED(parse(b, 78, VS_ETHERTYPE_IPV6, &f), VS_L3_EXT_CHAIN);
	/* an extension header whose length runs past the payload */
	b[40] = VS_PROTO_TCP;
	b[41] = 3;
	EXPECT_MALFORMED(parse(b, 78, VS_ETHERTYPE_IPV6, &f), VS_L3_EXT_CHAIN);
	b[6] = 0;
	b[41] = 0;

	/* hop-by-hop, then destination options (16 bytes), then UDP */
	memset(b, 0, sizeof(b));
	ip6_hdr(b, 0, 8 + 16 + 8, "fd00::a", "fd00::1:a");
	b[40] = 60;
	b[42] = 1;
	b[43] = 4;
	b[48] = VS_PROTO_UDP;
	b[49] = 1;	/* (1 + 1) x 8 bytes */
	b[50] = 1;
	b[51] = 12;
	put16(b + 64, 546);
	put16(b + 66, 547);
	CU_ASSERT_EQUAL(parse(b, 72, VS_ETHERTYPE_IPV6, &f), VS_FLOW_IP);
	CU_ASSERT_EQUAL(f.proto, VS_PROTO_UDP);
	CU_ASSERT_EQUAL(f.sport, 546);
	CU_ASSERT_EQUAL(f.dport, 547);
	CU_ASSERT_TRUE(f.l4);

	/* fragments: the first has the ports, the others none */
	memset(b, 0, sizeof(b));
	ip6_hdr(b, 44, 8 + 8, "fd00::a", "fd00::b");
	b[40] = VS_PROTO_UDP;
	put16(b + 42, 0x0001);	/* offset 0, M */
	put16(b + 48, 5000);
	put16(b + 50, 5001);
	CU_ASSERT_EQUAL(parse(b, 64, VS_ETHERTYPE_IPV6, &f), VS_FLOW_IP);
	CU_ASSERT_EQUAL(f.proto, VS_PROTO_UDP);
	CU_ASSERT_TRUE(f.l4);
	CU_ASSERT_EQUAL(f.dport, 5001);
	CU_ASSERT_EQUAL(f.frag, VS_FRAG_FIRST);
	put16(b + 4, 8 + 7);	/* the first fragment must hold the whole UDP header (RFC 7112) */
	EXPECT_MALFORMED(parse(b, 64, VS_ETHERTYPE_IPV6, &f), VS_L3_FRAG_TINY);
	put16(b + 4, 8 + 8);
	put16(b + 44, 0xdead);
	put16(b + 46, 0xbeef);
	put16(b + 42, 0x0100);	/* offset 32 (x 8 bytes) */
	CU_ASSERT_EQUAL(parse(b, 64, VS_ETHERTYPE_IPV6, &f), VS_FLOW_IP);
	CU_ASSERT_EQUAL(f.proto, VS_PROTO_UDP);
	CU_ASSERT_EQUAL(f.frag, VS_FRAG_LATER);
	CU_ASSERT_EQUAL(f.frag_id, 0xdeadbeef);
	CU_ASSERT_FALSE(f.l4);
	CU_ASSERT_EQUAL(f.sport, 0);
	CU_ASSERT_EQUAL(f.dport, 0);
	put16(b + 42, 0x0000);	/* an atomic fragment (offset 0, no more): a whole datagram */
	CU_ASSERT_EQUAL(parse(b, 64, VS_ETHERTYPE_IPV6, &f), VS_FLOW_IP);
	CU_ASSERT_EQUAL(f.frag, VS_FRAG_NONE);
	CU_ASSERT_TRUE(f.l4);
	/* two fragment headers */
	memset(b, 0, sizeof(b));
	ip6_hdr(b, 44, 8 + 8 + 8, "fd00::a", "fd00::b");
	b[40] = 44;
	put16(b + 42, 0x0001);
	b[48] = VS_PROTO_UDP;
	EXPECT_MALFORMED(parse(b, 64, VS_ETHERTYPE_IPV6, &f), VS_L3_EXT_CHAIN);
	/* a chain longer than VS_IP6_EXT_MAX destination-options headers */
	memset(b, 0, sizeof(b));
	ip6_hdr(b, 60, 8 * 10 + 8, "fd00::a", "fd00::b");
	for (int i = 0; i < 10; i++)
		b[40 + 8 * i] = i < 9 ? 60 : VS_PROTO_UDP;
	EXPECT_MALFORMED(parse(b, 160, VS_ETHERTYPE_IPV6, &f), VS_L3_EXT_CHAIN);
	/* within the bound it is walked */
	ip6_hdr(b, 60, 8 * 4 + 8, "fd00::a", "fd00::b");
	b[40 + 8 * 3] = VS_PROTO_UDP;
	put16(b + 40 + 32 + 2, 7777);
	CU_ASSERT_EQUAL(parse(b, 40 + 40, VS_ETHERTYPE_IPV6, &f), VS_FLOW_IP);
	CU_ASSERT_EQUAL(f.dport, 7777);

	/* ICMPv6 neighbour solicitation from :: (DAD): never blocked */
	memset(b, 0, sizeof(b));
	ip6_hdr(b, VS_PROTO_ICMPV6, 24, "::", "ff02::1:ff00:a");
	b[40] = 135;
	CU_ASSERT_EQUAL(parse(b, 64, VS_ETHERTYPE_IPV6, &f), VS_FLOW_BYPASS);
	CU_ASSERT_EQUAL(f.proto, VS_PROTO_ICMPV6);
	CU_ASSERT_EQUAL(f.icmp_type, 135);
	b[40] = 136;	/* advertisement */
	CU_ASSERT_EQUAL(parse(b, 64, VS_ETHERTYPE_IPV6, &f), VS_FLOW_BYPASS);
	b[40] = 133;	/* router solicitation */
	CU_ASSERT_EQUAL(parse(b, 64, VS_ETHERTYPE_IPV6, &f), VS_FLOW_BYPASS);
	b[40] = 134;	/* router advertisement */
	CU_ASSERT_EQUAL(parse(b, 64, VS_ETHERTYPE_IPV6, &f), VS_FLOW_BYPASS);
	/* echo request: subject to policy, sport = identifier, dport = type */
	b[40] = 128;
	put16(b + 44, 0x4242);
	CU_ASSERT_EQUAL(parse(b, 64, VS_ETHERTYPE_IPV6, &f), VS_FLOW_IP);
	CU_ASSERT_EQUAL(f.icmp_type, 128);
	CU_ASSERT_EQUAL(f.sport, 0x4242);
	CU_ASSERT_EQUAL(f.dport, 128);
	CU_ASSERT_TRUE(vs_icmp_is_echo_request(6, 128));
	CU_ASSERT_EQUAL(vs_icmp_echo_reply_type(6), 129);
	b[40] = 129;
	CU_ASSERT_EQUAL(parse(b, 64, VS_ETHERTYPE_IPV6, &f), VS_FLOW_IP);
	CU_ASSERT_EQUAL(f.sport, 0x4242);
	CU_ASSERT_EQUAL(f.dport, 129);
	b[40] = 1;	/* destination unreachable */
	CU_ASSERT_EQUAL(parse(b, 64, VS_ETHERTYPE_IPV6, &f), VS_FLOW_IP);
	CU_ASSERT_EQUAL(f.sport, 0);
	CU_ASSERT_EQUAL(f.dport, 0);
	b[40] = 138;	/* just past redirect */
	CU_ASSERT_EQUAL(parse(b, 64, VS_ETHERTYPE_IPV6, &f), VS_FLOW_IP);
	/* a truncated NS is malformed, not a bypass */
	b[40] = 135;
	put16(b + 4, 4);
	EXPECT_MALFORMED(parse(b, 64, VS_ETHERTYPE_IPV6, &f), VS_L3_L4_TRUNCATED);

	/* MLDv2 report behind a hop-by-hop router alert */
	memset(b, 0, sizeof(b));
	ip6_hdr(b, 0, 8 + 28, "fe80::a", "ff02::16");
	b[40] = VS_PROTO_ICMPV6;
	b[42] = 5;	/* router alert */
	b[43] = 2;
	b[46] = 1;	/* PadN, 0 bytes */
	b[48] = 143;
	CU_ASSERT_EQUAL(parse(b, 84, VS_ETHERTYPE_IPV6, &f), VS_FLOW_BYPASS);
	CU_ASSERT_EQUAL(f.icmp_type, 143);

	/* not IPv6 after all */
	b[0] = 0x40;
	EXPECT_MALFORMED(parse(b, 84, VS_ETHERTYPE_IPV6, &f), VS_L3_BAD_HEADER);
	b[0] = 0x60;
	EXPECT_MALFORMED(parse(b, 39, VS_ETHERTYPE_IPV6, &f), VS_L3_TRUNCATED);
}

/* ------------------------------------------------------------------ spoof check */

static const uint8_t own_mac[6] = { 0x02, 0, 0, 0, 1, 1 };
static const uint8_t other_mac[6] = { 0x02, 0, 0, 0, 1, 2 };

/* An Ethernet frame from src (optionally tagged) with ethertype et; returns the L3 offset. */
static uint32_t eth(uint8_t *f, const uint8_t *src, bool tagged, uint16_t et)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	memset(f, 0, 128);
	memcpy(f, bcast, 6);
	memcpy(f + 6, src, 6);
	if (tagged) {
		put16(f + 12, VS_ETHERTYPE_VLAN);
		put16(f + 14, 2003);
		put16(f + 16, et);
		return 18;
	}
	put16(f + 12, et);
	return 14;
}

static uint32_t ip4_frame(uint8_t *f, const uint8_t *mac, bool tagged, const char *src)
{
	uint32_t l3 = eth(f, mac, tagged, VS_ETHERTYPE_IPV4);
	ip4_hdr(f + l3, VS_PROTO_UDP, 28, 0, src, "10.0.0.11");
	return l3 + 28 < 60 ? 60 : l3 + 28;
}

static uint32_t ip6_frame(uint8_t *f, const uint8_t *mac, const char *src)
{
	uint32_t l3 = eth(f, mac, false, VS_ETHERTYPE_IPV6);
	ip6_hdr(f + l3, VS_PROTO_UDP, 8, src, "fd00::b");
	return l3 + 48;
}

static uint32_t arp_frame(uint8_t *f, const uint8_t *mac, const uint8_t *sha, const char *spa)
{
	uint32_t l3 = eth(f, mac, false, VS_ETHERTYPE_ARP);
	uint8_t *a = f + l3;
	put16(a, 1);
	put16(a + 2, VS_ETHERTYPE_IPV4);
	a[4] = 6;
	a[5] = 4;
	put16(a + 6, 1);	/* request */
	memcpy(a + 8, sha, 6);
	CU_ASSERT_FATAL(inet_pton(AF_INET, spa, a + 14) == 1);
	CU_ASSERT_FATAL(inet_pton(AF_INET, "10.0.0.11", a + 24) == 1);
	return 60;
}

static enum vs_spoof_verdict spoof(const struct vs_dp_spoof *sp, const uint8_t *f, uint32_t len)
{
	struct vs_frame_info fi = { 0 };
	CU_ASSERT_FATAL(vs_frame_parse(f, len, false, &fi) == VS_FRAME_OK);
	return vs_spoof_check(sp, f, len, &fi);
}

static void test_spoof(void)
{
	struct vs_dp_spoof sp;
	uint8_t f[128];
	uint32_t len;

	memset(&sp, 0, sizeof(sp));
	sp.mac_check = 1;
	sp.ip_check = 1;
	memcpy(sp.mac, own_mac, 6);
	sp.n_ips = 2;
	sp.ips[0].family = 4;
	CU_ASSERT_FATAL(inet_pton(AF_INET, "10.0.0.10", sp.ips[0].addr) == 1);
	sp.ips[1].family = 6;
	CU_ASSERT_FATAL(inet_pton(AF_INET6, "fd00::a", sp.ips[1].addr) == 1);

	len = ip4_frame(f, own_mac, false, "10.0.0.10");
	CU_ASSERT_EQUAL(spoof(&sp, f, len), VS_SPOOF_OK);
	len = ip4_frame(f, other_mac, false, "10.0.0.10");
	CU_ASSERT_EQUAL(spoof(&sp, f, len), VS_SPOOF_MAC);
	len = ip4_frame(f, other_mac, false, "10.0.0.99");	/* both wrong: MAC first */
	CU_ASSERT_EQUAL(spoof(&sp, f, len), VS_SPOOF_MAC);
	len = ip4_frame(f, own_mac, false, "10.0.0.11");
	CU_ASSERT_EQUAL(spoof(&sp, f, len), VS_SPOOF_IP);
	len = ip4_frame(f, own_mac, true, "10.0.0.11");	/* behind a tag */
	CU_ASSERT_EQUAL(spoof(&sp, f, len), VS_SPOOF_IP);
	len = ip4_frame(f, own_mac, true, "10.0.0.10");
	CU_ASSERT_EQUAL(spoof(&sp, f, len), VS_SPOOF_OK);
	len = ip4_frame(f, own_mac, false, "0.0.0.0");	/* DHCP discover */
	CU_ASSERT_EQUAL(spoof(&sp, f, len), VS_SPOOF_OK);
	/* the IPv6 address's first bytes as an IPv4 source: another family */
	len = ip4_frame(f, own_mac, false, "253.0.0.0");
	CU_ASSERT_EQUAL(spoof(&sp, f, len), VS_SPOOF_IP);

	len = ip6_frame(f, own_mac, "fd00::a");
	CU_ASSERT_EQUAL(spoof(&sp, f, len), VS_SPOOF_OK);
	len = ip6_frame(f, own_mac, "fd00::b");
	CU_ASSERT_EQUAL(spoof(&sp, f, len), VS_SPOOF_IP);
	len = ip6_frame(f, own_mac, "fe80::1");	/* link-local fe80::/10 */
	CU_ASSERT_EQUAL(spoof(&sp, f, len), VS_SPOOF_OK);
	len = ip6_frame(f, own_mac, "febf::1");
	CU_ASSERT_EQUAL(spoof(&sp, f, len), VS_SPOOF_OK);
	len = ip6_frame(f, own_mac, "fec0::1");	/* just outside fe80::/10 */
	CU_ASSERT_EQUAL(spoof(&sp, f, len), VS_SPOOF_IP);
	len = ip6_frame(f, own_mac, "::");	/* duplicate address detection */
	CU_ASSERT_EQUAL(spoof(&sp, f, len), VS_SPOOF_OK);
	len = ip6_frame(f, own_mac, "::a");	/* fd00::a's last bytes, not zero */
	CU_ASSERT_EQUAL(spoof(&sp, f, len), VS_SPOOF_IP);
	len = ip6_frame(f, other_mac, "fe80::1");
	CU_ASSERT_EQUAL(spoof(&sp, f, len), VS_SPOOF_MAC);

	/* ARP: the sender hardware and protocol addresses */
	len = arp_frame(f, own_mac, own_mac, "10.0.0.10");
	CU_ASSERT_EQUAL(spoof(&sp, f, len), VS_SPOOF_OK);
	len = arp_frame(f, own_mac, own_mac, "10.0.0.11");
	CU_ASSERT_EQUAL(spoof(&sp, f, len), VS_SPOOF_IP);
	len = arp_frame(f, own_mac, other_mac, "10.0.0.10");
	CU_ASSERT_EQUAL(spoof(&sp, f, len), VS_SPOOF_MAC);
	len = arp_frame(f, other_mac, own_mac, "10.0.0.10");
	CU_ASSERT_EQUAL(spoof(&sp, f, len), VS_SPOOF_MAC);
	len = arp_frame(f, own_mac, own_mac, "0.0.0.0");	/* ARP probe */
	CU_ASSERT_EQUAL(spoof(&sp, f, len), VS_SPOOF_OK);

	/* IP check off: any address; the MAC is still checked */
	sp.ip_check = 0;
	len = ip4_frame(f, own_mac, false, "192.0.2.1");
	CU_ASSERT_EQUAL(spoof(&sp, f, len), VS_SPOOF_OK);
	len = ip6_frame(f, own_mac, "2001:db8::1");
	CU_ASSERT_EQUAL(spoof(&sp, f, len), VS_SPOOF_OK);
	len = arp_frame(f, own_mac, own_mac, "192.0.2.1");
	CU_ASSERT_EQUAL(spoof(&sp, f, len), VS_SPOOF_OK);
	len = ip4_frame(f, other_mac, false, "192.0.2.1");
	CU_ASSERT_EQUAL(spoof(&sp, f, len), VS_SPOOF_MAC);
	len = arp_frame(f, own_mac, other_mac, "192.0.2.1");
	CU_ASSERT_EQUAL(spoof(&sp, f, len), VS_SPOOF_MAC);
	/* MAC check off, IP check on */
	sp.ip_check = 1;
	sp.mac_check = 0;
	len = ip4_frame(f, other_mac, false, "10.0.0.10");
	CU_ASSERT_EQUAL(spoof(&sp, f, len), VS_SPOOF_OK);
	len = ip4_frame(f, other_mac, false, "10.0.0.11");
	CU_ASSERT_EQUAL(spoof(&sp, f, len), VS_SPOOF_IP);
	len = arp_frame(f, other_mac, other_mac, "10.0.0.11");
	CU_ASSERT_EQUAL(spoof(&sp, f, len), VS_SPOOF_IP);
	/* neither: anything goes */
	sp.ip_check = 0;
	len = arp_frame(f, other_mac, other_mac, "10.0.0.11");
	CU_ASSERT_EQUAL(spoof(&sp, f, len), VS_SPOOF_OK);
}

/* ------------------------------------------------------------------ netpol_cfg */

/* vs_test_json reads only objects and arrays: a scalar goes through a one-element array. */
static json_t *any_json(const char *text)
{
	char buf[512];
	snprintf(buf, sizeof(buf), "[%s]", text);
	json_t *a = vs_test_json(buf);
	json_t *v = json_incref(json_array_get(a, 0));
	json_decref(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	return v;
}

static void test_labels_parse(void)
{
	static const struct {
		const char *json;
		int code;
	} bad[] = {
		{ "'a=b,a=c'", EINVAL },	/* duplicate key */
		{ "'a=b c'", EINVAL },	/* bad character in a value */
		{ "'a b=c'", EINVAL },	/* ... in a key */
		{ "'a=b/c'", EINVAL },	/* '/' only in keys */
		{ "'a=b,c'", EINVAL },	/* no '=' */
		{ "'a=b,,c=d'", EINVAL },
		{ "'=b'", EINVAL },	/* empty key */
		{ "{'a': 1}", EINVAL },
		{ "{'a*': 'b'}", EINVAL },
		{ "['a=b']", EINVAL },
		{ "5", EINVAL },
		{ "'a=0123456789012345678901234567890123456789012345678901234567890123'", EINVAL },
		{ "'l0=v,l1=v,l2=v,l3=v,l4=v,l5=v,l6=v,l7=v,l8=v,l9=v,l10=v,l11=v,l12=v,l13=v,"
		  "l14=v,l15=v,l16=v,l17=v,l18=v,l19=v,l20=v,l21=v,l22=v,l23=v,l24=v,l25=v,"
		  "l26=v,l27=v,l28=v,l29=v,l30=v,l31=v,l32=v'", E2BIG },
		{ "'/a=b'", EINVAL },	/* empty prefix */
		{ "'p/=b'", EINVAL },	/* empty name */
		{ "'a/b/c=d'", EINVAL },	/* two slashes */
		/* a 64-character name */
		{ "'n123456789012345678901234567890123456789012345678901234567890123=v'", EINVAL },
	};
	struct vs_labels l, keep;
	struct vs_err e = { 0 };
	json_t *v;

	v = any_json("'a=b,c=d'");
	CU_ASSERT_EQUAL(vs_labels_parse(v, &l, "args.labels", &e), 0);
	json_decref(v);
	CU_ASSERT_EQUAL_FATAL(l.n, 2);
	CU_ASSERT_STRING_EQUAL(l.l[0].key, "a");
	CU_ASSERT_STRING_EQUAL(l.l[0].val, "b");
	CU_ASSERT_STRING_EQUAL(l.l[1].key, "c");
	CU_ASSERT_STRING_EQUAL(l.l[1].val, "d");
	CU_ASSERT_STRING_EQUAL(vs_labels_get(&l, "c"), "d");
	CU_ASSERT_PTR_NULL(vs_labels_get(&l, "b"));

	/* what real objects carry: a 253-character prefix with a 63-character name, and the
	 * 30 labels of a KubeVirt VM's launcher pod */
	{
		char key[320], k[64], val[64];
		memset(key, 'p', 253);
		key[253] = '/';
		memset(key + 254, 'n', 63);
		key[317] = '\0';
		v = json_pack("{s:s}", key, "v");
		for (int i = 1; i < 30; i++) {
			snprintf(k, sizeof(k), "vm.kubevirt.io/label-%d", i);
			snprintf(val, sizeof(val), "value-%d", i);
			json_object_set_new(v, k, json_string(val));
		}
		CU_ASSERT_EQUAL(vs_labels_parse(v, &l, "args.labels", &e), 0);
		json_decref(v);
		CU_ASSERT_EQUAL(l.n, 30);
		CU_ASSERT_STRING_EQUAL(vs_labels_get(&l, key), "v");
	}

	v = any_json("{'app.kubernetes.io/name': 'web', 'tier': '', 'v': 'A_b-1.2'}");
	CU_ASSERT_EQUAL(vs_labels_parse(v, &l, "args.labels", &e), 0);
	json_decref(v);
	CU_ASSERT_EQUAL(l.n, 3);
	CU_ASSERT_STRING_EQUAL(vs_labels_get(&l, "app.kubernetes.io/name"), "web");
	CU_ASSERT_STRING_EQUAL(vs_labels_get(&l, "tier"), "");
	CU_ASSERT_STRING_EQUAL(vs_labels_get(&l, "v"), "A_b-1.2");
	json_t *back = vs_labels_to_json(&l);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(back, "v")), "A_b-1.2");
	CU_ASSERT_EQUAL(json_object_size(back), 3);
	json_decref(back);
	v = any_json("''");	/* no labels */
	CU_ASSERT_EQUAL(vs_labels_parse(v, &l, "args.labels", &e), 0);
	CU_ASSERT_EQUAL(l.n, 0);
	json_decref(v);
	v = any_json("'k=,k2=v'");	/* an empty value is a value */
	CU_ASSERT_EQUAL(vs_labels_parse(v, &l, "args.labels", &e), 0);
	CU_ASSERT_EQUAL(l.n, 2);
	CU_ASSERT_STRING_EQUAL(vs_labels_get(&l, "k"), "");
	json_decref(v);

	/* refused, naming the field, leaving out alone */
	v = any_json("'a=b'");
	CU_ASSERT_EQUAL(vs_labels_parse(v, &keep, "f", &e), 0);
	json_decref(v);
	for (size_t i = 0; i < N(bad); i++) {
		l = keep;
		memset(&e, 0, sizeof(e));
		v = any_json(bad[i].json);
		int rc = vs_labels_parse(v, &l, "args.labels", &e);
		json_decref(v);
		if (rc != -bad[i].code)
			fprintf(stderr, "\n  labels %s: got %d (%s)\n", bad[i].json, rc, e.msg);
		CU_ASSERT_EQUAL(rc, -bad[i].code);
		CU_ASSERT_STRING_EQUAL(e.field, "args.labels");
		CU_ASSERT_EQUAL(memcmp(&l, &keep, sizeof(l)), 0);
	}
}

static void test_ips_parse(void)
{
	static const char *const bad[] = {
		"'10.0.0.1,10.0.0.1'", "'fd00::1,FD00:0::1'", "['10.0.0.1', '10.0.0.1']",
		"'10.0.0.256'", "'10.0.0.1,bogus'", "',10.0.0.1'", "'10.0.0.1, 10.0.0.2'",
		"'10.0.0.0/24'", "[5]", "5", "'fe80::1%eth0'",
	};
	struct vs_ip ips[VS_PORT_IPS_MAX];
	struct vs_err e = { 0 };
	uint8_t n = 99;
	char buf[64];
	json_t *v;

	v = any_json("'10.0.0.1,fd00::1'");
	CU_ASSERT_EQUAL(vs_ips_parse(v, ips, &n, VS_PORT_IPS_MAX, "args.ips", &e), 0);
	json_decref(v);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	CU_ASSERT_EQUAL(ips[0].family, 4);
	CU_ASSERT_EQUAL(ips[0].addr[0], 10);
	CU_ASSERT_EQUAL(ips[0].addr[3], 1);
	CU_ASSERT_EQUAL(ips[1].family, 6);
	CU_ASSERT_EQUAL(ips[1].addr[0], 0xfd);
	CU_ASSERT_EQUAL(ips[1].addr[15], 1);
	vs_ip_format(&ips[1], buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "fd00::1");
	v = any_json("['10.0.0.2', 'FD00::2']");
	CU_ASSERT_EQUAL(vs_ips_parse(v, ips, &n, VS_PORT_IPS_MAX, "args.ips", &e), 0);
	json_decref(v);
	CU_ASSERT_EQUAL(n, 2);
	vs_ip_format(&ips[1], buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "fd00::2");
	v = any_json("''");
	CU_ASSERT_EQUAL(vs_ips_parse(v, ips, &n, VS_PORT_IPS_MAX, "args.ips", &e), 0);
	CU_ASSERT_EQUAL(n, 0);
	json_decref(v);

	for (size_t i = 0; i < N(bad); i++) {
		n = 77;
		memset(&e, 0, sizeof(e));
		v = any_json(bad[i]);
		int rc = vs_ips_parse(v, ips, &n, VS_PORT_IPS_MAX, "args.ips", &e);
		json_decref(v);
		if (rc != -EINVAL)
			fprintf(stderr, "\n  ips %s: got %d (%s)\n", bad[i], rc, e.msg);
		CU_ASSERT_EQUAL(rc, -EINVAL);
		CU_ASSERT_STRING_EQUAL(e.field, "args.ips");
		CU_ASSERT_EQUAL(n, 77);	/* untouched */
	}
	/* more than max */
	v = any_json("'10.0.0.1,10.0.0.2,10.0.0.3'");
	CU_ASSERT_EQUAL(vs_ips_parse(v, ips, &n, 2, "args.ips", &e), -E2BIG);
	json_decref(v);
	v = any_json("'10.0.0.1,10.0.0.2,10.0.0.3,10.0.0.4,10.0.0.5,10.0.0.6,10.0.0.7,"
			 "10.0.0.8,10.0.0.9'");
	CU_ASSERT_EQUAL(vs_ips_parse(v, ips, &n, 100, "args.ips", &e), -E2BIG);
	json_decref(v);
}

static void test_netpol_port_args(void)
{
	static const struct {
		const char *json;
		int code;
		const char *field;
	} bad[] = {
		{ "{'spoofchk': true}", EINVAL, "args.spoofchk" },
		{ "{'spoofchk': true, 'mac': ''}", EINVAL, "args.spoofchk" },
		{ "{'ip_spoofchk': true}", EINVAL, "args.ip_spoofchk" },
		{ "{'ip_spoofchk': true, 'ips': ''}", EINVAL, "args.ip_spoofchk" },
		{ "{'mac': '01:00:5e:00:00:01'}", EINVAL, "args.mac" },
		{ "{'mac': '02:00:00:00:01'}", EINVAL, "args.mac" },
		{ "{'namespace': 'X'}", EINVAL, "args.namespace" },
		{ "{'namespace': '-x'}", EINVAL, "args.namespace" },
		{ "{'namespace': 'x_y'}", EINVAL, "args.namespace" },
		{ "{'labels': 'a=b,a=c'}", EINVAL, "args.labels" },
		{ "{'ips': '10.0.0.1,10.0.0.1'}", EINVAL, "args.ips" },
	};
	struct vs_netpol_port np, keep;
	struct vs_err e = { 0 };
	json_t *o;

	memset(&np, 0, sizeof(np));
	o = vs_test_json("{'namespace': 'x', 'labels': 'pod=a', 'ips': '10.0.0.10,fd00::a', "
			 "'mac': '02:00:00:00:01:01', 'spoofchk': true, 'ip_spoofchk': true}");
	CU_ASSERT_EQUAL(vs_netpol_port_args(o, "args", &np, &e), 0);
	json_decref(o);
	CU_ASSERT_STRING_EQUAL(np.ns, "x");
	CU_ASSERT_STRING_EQUAL(vs_labels_get(&np.labels, "pod"), "a");
	CU_ASSERT_EQUAL(np.n_ips, 2);
	CU_ASSERT_TRUE(np.has_mac);
	CU_ASSERT_EQUAL(memcmp(np.mac, own_mac, 6), 0);
	CU_ASSERT_TRUE(np.spoofchk);
	CU_ASSERT_TRUE(np.ip_spoofchk);
	/* an update keeps what it does not name */
	o = vs_test_json("{'labels': 'pod=b'}");
	CU_ASSERT_EQUAL(vs_netpol_port_args(o, "args", &np, &e), 0);
	json_decref(o);
	CU_ASSERT_STRING_EQUAL(vs_labels_get(&np.labels, "pod"), "b");
	CU_ASSERT_STRING_EQUAL(np.ns, "x");
	CU_ASSERT_TRUE(np.spoofchk);
	/* clearing the MAC while spoofchk is on is refused, and so is dropping the IPs */
	keep = np;
	o = vs_test_json("{'mac': ''}");
	CU_ASSERT_EQUAL(vs_netpol_port_args(o, "args", &np, &e), -EINVAL);
	CU_ASSERT_STRING_EQUAL(e.field, "args.spoofchk");
	json_decref(o);
	CU_ASSERT_EQUAL(memcmp(&np, &keep, sizeof(np)), 0);
	o = vs_test_json("{'ips': ''}");
	CU_ASSERT_EQUAL(vs_netpol_port_args(o, "args", &np, &e), -EINVAL);
	CU_ASSERT_STRING_EQUAL(e.field, "args.ip_spoofchk");
	json_decref(o);
	/* ... unless the check goes too */
	o = vs_test_json("{'mac': '', 'spoofchk': false, 'namespace': ''}");
	CU_ASSERT_EQUAL(vs_netpol_port_args(o, "args", &np, &e), 0);
	json_decref(o);
	CU_ASSERT_FALSE(np.has_mac);
	CU_ASSERT_FALSE(np.spoofchk);
	CU_ASSERT_STRING_EQUAL(np.ns, "");

	for (size_t i = 0; i < N(bad); i++) {
		memset(&np, 0, sizeof(np));
		keep = np;
		memset(&e, 0, sizeof(e));
		o = vs_test_json(bad[i].json);
		int rc = vs_netpol_port_args(o, "args", &np, &e);
		json_decref(o);
		if (rc != -bad[i].code || strcmp(e.field, bad[i].field) != 0)
			fprintf(stderr, "\n  %s: got %d %s (%s)\n", bad[i].json, rc, e.field,
				e.msg);
		CU_ASSERT_EQUAL(rc, -bad[i].code);
		CU_ASSERT_STRING_EQUAL(e.field, bad[i].field);
		CU_ASSERT_EQUAL(memcmp(&np, &keep, sizeof(np)), 0);
	}
}

static void test_conntrack_cfg(void)
{
	static const struct {
		const char *json;
		int code;
		const char *field;
	} bad[] = {
		{ "{'size': 1023}", ERANGE, "conntrack.size" },
		{ "{'size': 16777217}", ERANGE, "conntrack.size" },
		{ "{'tcp_syn_s': 0}", EINVAL, "conntrack.tcp_syn_s" },
		{ "{'tcp_syn_s': '30'}", EINVAL, "conntrack.tcp_syn_s" },
		{ "{'udp_new_s': 2592001}", ERANGE, "conntrack.udp_new_s" },
		{ "{'icmp_s': 5, 'tcp_syn': 5}", EINVAL, "conntrack.tcp_syn" },
		{ "[]", EINVAL, "conntrack" },
		{ "{'per_port': 0}", EINVAL, "conntrack.per_port" },
		{ "{'size': 2048, 'per_port': 2049}", ERANGE, "conntrack.per_port" },
		{ "{'per_port': 262145}", ERANGE, "conntrack.per_port" },
		{ "{'fragments': 256, 'fragments_per_port': 257}", ERANGE,
		  "conntrack.fragments_per_port" },
	};
	struct vs_conntrack_cfg c, def;
	struct vs_err e = { 0 };

	vs_conntrack_defaults(&def);
	CU_ASSERT_EQUAL(def.size, 262144);
	c = def;
	json_t *o = vs_test_json("{'size': 1024, 'udp_new_s': 45, 'tcp_established_s': 2592000}");
	CU_ASSERT_EQUAL(vs_conntrack_from_json(o, &c, &e), 0);
	json_decref(o);
	CU_ASSERT_EQUAL(c.size, 1024);
	CU_ASSERT_EQUAL(c.udp_new, 45);
	CU_ASSERT_EQUAL(c.tcp_established, 2592000);
	CU_ASSERT_EQUAL(c.tcp_syn, def.tcp_syn);
	CU_ASSERT_EQUAL(c.other, def.other);
	/* shares not given: a quarter of each table as configured */
	CU_ASSERT_EQUAL(def.per_port, 65536);
	CU_ASSERT_EQUAL(c.per_port, 256);
	CU_ASSERT_EQUAL(c.fragments_per_port, def.fragments / 4);
	struct vs_conntrack_cfg s = def;
	o = vs_test_json("{'per_port': 10, 'fragments': 1000, 'fragments_per_port': 1000}");
	CU_ASSERT_EQUAL(vs_conntrack_from_json(o, &s, &e), 0);
	json_decref(o);
	CU_ASSERT_EQUAL(s.per_port, 10);
	CU_ASSERT_EQUAL(s.fragments_per_port, 1000);
	o = vs_conntrack_to_json(&s);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(o, "per_port")), 10);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(o, "fragments_per_port")), 1000);
	json_decref(o);
	o = vs_conntrack_to_json(&c);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(o, "udp_new_s")), 45);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(o, "size")), 1024);
	json_decref(o);
	for (size_t i = 0; i < N(bad); i++) {
		c = def;
		o = vs_test_json(bad[i].json);
		int rc = vs_conntrack_from_json(o, &c, &e);
		json_decref(o);
		CU_ASSERT_EQUAL(rc, -bad[i].code);
		CU_ASSERT_STRING_EQUAL(e.field, bad[i].field);
		CU_ASSERT_EQUAL(memcmp(&c, &def, sizeof(c)), 0);
	}
}

CU_ErrorCode vs_test_policy_suite(void)
{
	static const struct vs_test tests[] = {
		{ "prefix parse", test_prefix_parse },
		{ "prefix subtract", test_prefix_subtract },
		{ "compile ipBlock except", test_compile_ipblock_except },
		{ "compile ipBlock with >256 excepts", test_compile_many_excepts },
		{ "compile ports, endPort, protocols", test_compile_ports },
		{ "compiled sets compared, port inputs", test_compiled_same },
		{ "ACL plan: alike ports share entries", test_acl_plan_shares },
		{ "compile rule with >256 ports", test_compile_many_ports },
		{ "compile empty vs missing, policyTypes", test_compile_empty_and_missing },
		{ "compile egress: [] without policyTypes",
		  test_compile_empty_egress_default },
		{ "compile selector peers", test_compile_selectors },
		{ "compile a policy on two networks", test_compile_two_networks },
		{ "selector match", test_selector_match },
		{ "compile tiers ANP/BANP/MNP", test_compile_tiers },
		{ "compile ANP priority order", test_compile_priority_order },
		{ "compile namespace with 16 labels", test_compile_ns_name_label_full },
		{ "check refusals", test_check_refused },
		{ "check matchLabels null", test_check_null_match_labels },
		{ "check a rule's prefix budget (fuzz)", test_check_prefix_budget },
		{ "compile a full node's selector peers (fuzz)", test_compile_full_inventory },
		{ "port matters to a policy (against the compiler)", test_port_matters },
		{ "policy-for names resolve per namespace", test_network_resolve },
		{ "check ids and paths", test_check_ids },
		{ "flow parse IPv4", test_flow_ipv4 },
		{ "flow parse IPv6", test_flow_ipv6 },
		{ "spoof check", test_spoof },
		{ "labels parse", test_labels_parse },
		{ "ips parse", test_ips_parse },
		{ "netpol port args", test_netpol_port_args },
		{ "conntrack settings", test_conntrack_cfg },
		{ NULL, NULL },
	};
	return vs_test_add_suite("policy", tests);
}
