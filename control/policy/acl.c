/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Compiled policy entries -> rte_acl contexts (IPv4 and IPv6), built on the control thread
 * while the workers keep classifying with the previous ones (see dataplane/policy/policy_dp.h for
 * the input layout). The tiers are ACL categories, so one classify call answers all three.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_acl.h>
#include <rte_malloc.h>

#include "control/policy/acl.h"
#include "vs_types.h"
#include "control/model/err.h"
#include "control/model/policy.h"
#include "dataplane/policy/policy_dp.h"

_Static_assert(VS_ACL_PRIORITY_MAX == RTE_ACL_MAX_PRIORITY, "ACL priority range");
_Static_assert(VS_TIERS <= VS_ACL_CATEGORIES, "a category per tier");

enum { F_PROTO, F_SLOTDIR, F_DPORT, F_REMOTE };	/* field indexes; IPv6 remote is 4 fields */

RTE_ACL_RULE_DEF(acl_rule4, 4);
RTE_ACL_RULE_DEF(acl_rule6, 7);

static void field_defs(struct rte_acl_config *cfg, bool v6)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->num_categories = VS_ACL_CATEGORIES;
	cfg->defs[0] = (struct rte_acl_field_def){ RTE_ACL_FIELD_TYPE_BITMASK, 1, F_PROTO, 0, 0 };
	cfg->defs[1] = (struct rte_acl_field_def){ RTE_ACL_FIELD_TYPE_BITMASK, 2, F_SLOTDIR, 1,
						   offsetof(struct vs_acl_key4, slotdir) };
	cfg->defs[2] = (struct rte_acl_field_def){ RTE_ACL_FIELD_TYPE_RANGE, 2, F_DPORT, 1,
						   offsetof(struct vs_acl_key4, dport) };
	unsigned int words = v6 ? 4 : 1;
	for (unsigned int i = 0; i < words; i++)
		cfg->defs[3 + i] = (struct rte_acl_field_def){
			RTE_ACL_FIELD_TYPE_MASK, 4, (uint8_t)(F_REMOTE + i), (uint8_t)(2 + i),
			(uint32_t)(offsetof(struct vs_acl_key4, remote) + 4 * i) };
	cfg->num_fields = 3 + words;
}

static void fill_rule(struct rte_acl_field *fld, struct rte_acl_rule_data *d,
		      const struct vs_acl_entry *en)
{
	d->category_mask = 1u << en->tier;
	d->priority = (int32_t)en->priority;
	d->userdata = en->info + 1;
	fld[F_PROTO].value.u8 = en->proto;
	fld[F_PROTO].mask_range.u8 = en->proto ? 0xff : 0;
	fld[F_SLOTDIR].value.u16 = VS_ACL_SLOTDIR(en->slot, en->dir);
	fld[F_SLOTDIR].mask_range.u16 = 0xffff;
	fld[F_DPORT].value.u16 = en->port_lo;
	fld[F_DPORT].mask_range.u16 = en->port_hi;
	unsigned int words = en->family == 4 ? 1 : 4;
	for (unsigned int i = 0; i < words; i++) {
		const uint8_t *a = en->addr + 4 * i;
		int bits = (int)en->plen - 32 * (int)i;
		fld[F_REMOTE + i].value.u32 = (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 |
					      (uint32_t)a[2] << 8 | a[3];
		fld[F_REMOTE + i].mask_range.u32 = (uint32_t)(bits < 0 ? 0 : bits > 32 ? 32 : bits);
	}
}

static struct rte_acl_ctx *build_ctx(const struct vs_compiled *c, const struct vs_acl_plan *pl,
				     uint8_t family, uint32_t gen, struct vs_err *e)
{
	bool v6 = family == 6;
	uint32_t n = 0;
	for (uint32_t i = 0; i < pl->n_keep; i++)
		n += c->entries[pl->keep[i]].family == family;
	if (n == 0)
		return NULL;

	char name[RTE_ACL_NAMESIZE];
	snprintf(name, sizeof(name), "vs_acl%u_%u", v6 ? 6 : 4, gen);
	size_t rsz = v6 ? sizeof(struct acl_rule6) : sizeof(struct acl_rule4);
	struct rte_acl_param prm = { .name = name, .socket_id = SOCKET_ID_ANY,
				     .rule_size = (uint32_t)rsz, .max_rule_num = n };
	struct rte_acl_ctx *ctx = rte_acl_create(&prm);
	if (ctx == NULL) {
		vs_err_set(e, ENOMEM, NULL, "rte_acl_create failed for %u rules", n);
		return NULL;
	}
	/* added in chunks: rte_acl copies the rules */
	union {
		struct acl_rule4 r4[256];
		struct acl_rule6 r6[256];
	} *buf = rte_zmalloc("vs_acl_rules", sizeof(*buf), 0);
	if (buf == NULL)
		goto nomem;
	uint32_t k = 0;
	for (uint32_t i = 0; i < pl->n_keep; i++) {
		const struct vs_acl_entry *en = &c->entries[pl->keep[i]];
		if (en->family != family)
			continue;
		if (v6) {
			memset(&buf->r6[k], 0, sizeof(buf->r6[k]));
			fill_rule(buf->r6[k].field, &buf->r6[k].data, en);
		} else {
			memset(&buf->r4[k], 0, sizeof(buf->r4[k]));
			fill_rule(buf->r4[k].field, &buf->r4[k].data, en);
		}
		if (++k == 256) {
			if (rte_acl_add_rules(ctx, (const struct rte_acl_rule *)buf, k) != 0)
				goto nomem;
			k = 0;
		}
	}
	if (k > 0 && rte_acl_add_rules(ctx, (const struct rte_acl_rule *)buf, k) != 0)
		goto nomem;
	rte_free(buf);
	buf = NULL;

	struct rte_acl_config cfg;
	field_defs(&cfg, v6);
	int rc = rte_acl_build(ctx, &cfg);
	if (rc != 0) {
		vs_err_set(e, -rc > 0 ? -rc : ENOMEM, NULL, "rte_acl_build (IPv%u, %u rules): %s",
			   v6 ? 6 : 4, n, strerror(-rc));
		rte_acl_free(ctx);
		return NULL;
	}
	return ctx;
nomem:
	rte_free(buf);
	rte_acl_free(ctx);
	vs_err_set(e, ENOMEM, NULL, "out of memory adding %u ACL rules", n);
	return NULL;
}

/* A set's per-port tables and rule actions, without contexts. */
static struct vs_policy_dp *dp_new(const struct vs_compiled *c, const struct vs_acl_plan *pl,
				   uint32_t gen, struct vs_err *e)
{
	struct vs_policy_dp *p = rte_zmalloc("vs_policy", sizeof(*p), RTE_CACHE_LINE_SIZE);
	if (p == NULL) {
		vs_err_set(e, ENOMEM, NULL, "out of memory");
		return NULL;
	}
	p->gen = gen;
	p->n_rules = c->n_infos;
	memcpy(p->port_flags, c->port_flags, sizeof(p->port_flags));
	memcpy(p->acl_slot, pl->acl_slot, sizeof(p->acl_slot));
	p->rules = rte_zmalloc("vs_policy_rules", sizeof(*p->rules) * (c->n_infos + 1), 0);
	p->hits = rte_zmalloc("vs_policy_hits",
			      sizeof(uint64_t) * VS_MAX_WORKERS * (c->n_infos + 1), RTE_CACHE_LINE_SIZE);
	if (p->rules == NULL || p->hits == NULL) {
		vs_err_set(e, ENOMEM, NULL, "out of memory");
		vs_acl_free(p);
		return NULL;
	}
	for (uint32_t i = 0; i < c->n_infos; i++)
		p->rules[i] = (struct vs_dp_rule){ c->infos[i].action };
	return p;
}

struct vs_policy_dp *vs_acl_build(const struct vs_compiled *c, const struct vs_acl_plan *pl,
				  uint32_t gen, struct vs_err *e)
{
	struct vs_policy_dp *p = dp_new(c, pl, gen, e);
	if (p == NULL)
		return NULL;
	if ((p->acl_refs = malloc(sizeof(*p->acl_refs))) == NULL) {
		vs_err_set(e, ENOMEM, NULL, "out of memory");
		goto err;
	}
	*p->acl_refs = 1;
	for (int f = 0; f < 2; f++) {
		p->acl[f] = build_ctx(c, pl, f == 0 ? 4 : 6, gen, e);
		bool any = false;
		for (uint32_t i = 0; i < pl->n_keep && !any; i++)
			any = c->entries[pl->keep[i]].family == (f == 0 ? 4 : 6);
		if (any && p->acl[f] == NULL)
			goto err;
	}
	return p;
err:
	vs_acl_free(p);
	return NULL;
}

struct vs_policy_dp *vs_acl_share(const struct vs_compiled *c, const struct vs_acl_plan *pl,
				  const struct vs_policy_dp *cur, uint32_t gen, struct vs_err *e)
{
	struct vs_policy_dp *p = dp_new(c, pl, gen, e);
	if (p == NULL)
		return NULL;
	p->acl[0] = cur->acl[0];
	p->acl[1] = cur->acl[1];
	p->acl_refs = cur->acl_refs;
	++*p->acl_refs;
	return p;
}

uint64_t vs_acl_hits(const struct vs_policy_dp *p, uint32_t rule)
{
	uint64_t sum = 0;
	for (int w = 0; w < VS_MAX_WORKERS; w++)
		sum += p->hits[(size_t)w * p->n_rules + rule];
	return sum;
}

void vs_acl_free(struct vs_policy_dp *p)
{
	if (p == NULL)
		return;
	if (p->acl_refs == NULL || --*p->acl_refs == 0) {
		rte_acl_free(p->acl[0]);
		rte_acl_free(p->acl[1]);
		free(p->acl_refs);
	}
	rte_free(p->rules);
	rte_free(p->hits);
	rte_free(p);
}
