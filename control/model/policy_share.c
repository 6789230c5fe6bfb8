/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What two compiled policy sets, or two versions of a port, have in common, so that a change
 * rebuilds only what it must (control/policy/netpol.c):
 *   - a port change to nothing the compiler reads needs no compile;
 *   - a compile that gives the set in use needs no new rte_acl contexts;
 *   - ports whose entries are the same but for the slot (the same policies select them on the
 *     same VLAN: the pods of one deployment) share one copy of them in the contexts, so adding
 *     or removing such a port changes only the per-port tables, not the contexts.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vs_types.h"
#include "control/model/policy.h"
#include "control/model/port_cfg.h"

bool vs_policy_port_inputs_same(const struct vs_port_cfg *a, const struct vs_port_cfg *b)
{
	return a->type == b->type && a->mode == b->mode && a->vlan == b->vlan &&
	       strcmp(a->np.ns, b->np.ns) == 0 &&
	       memcmp(&a->np.labels, &b->np.labels, sizeof(a->np.labels)) == 0 &&
	       a->np.n_ips == b->np.n_ips &&
	       memcmp(a->np.ips, b->np.ips, sizeof(a->np.ips[0]) * a->np.n_ips) == 0;
}

/* Field by field: the structs have padding the compiler never writes. */
static bool entry_same(const struct vs_acl_entry *a, const struct vs_acl_entry *b)
{
	return a->info == b->info && a->priority == b->priority && a->slot == b->slot &&
	       a->dir == b->dir && a->tier == b->tier && a->family == b->family &&
	       a->proto == b->proto && a->plen == b->plen && a->port_lo == b->port_lo &&
	       a->port_hi == b->port_hi && memcmp(a->addr, b->addr, sizeof(a->addr)) == 0;
}

static bool info_same(const struct vs_rule_info *a, const struct vs_rule_info *b)
{
	return a->policy == b->policy && a->rule == b->rule && a->dir == b->dir &&
	       a->tier == b->tier && a->action == b->action;
}

bool vs_compiled_same(const struct vs_compiled *a, const struct vs_compiled *b)
{
	if (a->n_infos != b->n_infos || a->n_entries != b->n_entries ||
	    memcmp(a->port_flags, b->port_flags, sizeof(a->port_flags)) != 0)
		return false;
	for (uint32_t i = 0; i < a->n_infos; i++)
		if (!info_same(&a->infos[i], &b->infos[i]))
			return false;
	for (uint32_t i = 0; i < a->n_entries; i++)
		if (!entry_same(&a->entries[i], &b->entries[i]))
			return false;
	return true;
}

/* FNV-1a over an entry's fields but the slot. */
static uint64_t entry_hash(uint64_t h, const struct vs_acl_entry *e)
{
	const uint32_t v[] = { e->info, e->priority, e->dir, e->tier, e->family, e->proto, e->plen,
			       e->port_lo, e->port_hi };
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		h = (h ^ v[i]) * 0x100000001b3ULL;
	for (size_t i = 0; i < sizeof(e->addr); i++)
		h = (h ^ e->addr[i]) * 0x100000001b3ULL;
	return h;
}

static bool entry_same_but_slot(const struct vs_acl_entry *a, const struct vs_acl_entry *b)
{
	struct vs_acl_entry x = *b;
	x.slot = a->slot;
	return entry_same(a, &x);
}

int vs_acl_plan(const struct vs_compiled *c, struct vs_acl_plan *p)
{
	uint32_t count[VS_MAX_PORTS] = { 0 }, first[VS_MAX_PORTS], at[VS_MAX_PORTS];
	uint64_t hash[VS_MAX_PORTS];
	uint32_t *by_slot = NULL;

	memset(p, 0, sizeof(*p));
	for (int s = 0; s < VS_MAX_PORTS; s++)
		p->acl_slot[s] = (uint8_t)s;
	if (c->n_entries == 0)
		return 0;
	p->keep = malloc(sizeof(*p->keep) * c->n_entries);
	by_slot = malloc(sizeof(*by_slot) * c->n_entries);
	if (p->keep == NULL || by_slot == NULL) {
		free(by_slot);
		vs_acl_plan_free(p);
		return -ENOMEM;
	}
	/* each slot's entries, in compile order */
	for (uint32_t i = 0; i < c->n_entries; i++)
		count[c->entries[i].slot]++;
	for (uint32_t s = 0, off = 0; s < VS_MAX_PORTS; s++) {
		first[s] = at[s] = off;
		off += count[s];
		hash[s] = 0xcbf29ce484222325ULL;
	}
	for (uint32_t i = 0; i < c->n_entries; i++) {
		uint16_t s = c->entries[i].slot;
		by_slot[at[s]++] = i;
		hash[s] = entry_hash(hash[s], &c->entries[i]);
	}
	/* a slot takes the first lower slot with the same entries (but the slot) */
	bool shares[VS_MAX_PORTS] = { false };
	for (uint32_t s = 0; s < VS_MAX_PORTS; s++) {
		for (uint32_t r = 0; r < s && count[s] > 0; r++) {
			if (shares[r] || count[r] != count[s] || hash[r] != hash[s])
				continue;
			uint32_t k = 0;
			while (k < count[s] && entry_same_but_slot(&c->entries[by_slot[first[r] + k]],
								   &c->entries[by_slot[first[s] + k]]))
				k++;
			if (k == count[s]) {
				p->acl_slot[s] = (uint8_t)r;
				shares[s] = true;
				break;
			}
		}
	}
	for (uint32_t i = 0; i < c->n_entries; i++)
		if (!shares[c->entries[i].slot])
			p->keep[p->n_keep++] = i;
	free(by_slot);
	return 0;
}

void vs_acl_plan_free(struct vs_acl_plan *p)
{
	free(p->keep);
	p->keep = NULL;
	p->n_keep = 0;
}

bool vs_acl_plans_same(const struct vs_compiled *a, const struct vs_acl_plan *pa,
		       const struct vs_compiled *b, const struct vs_acl_plan *pb)
{
	if (a->n_infos != b->n_infos || pa->n_keep != pb->n_keep)
		return false;
	for (uint32_t i = 0; i < a->n_infos; i++)
		if (!info_same(&a->infos[i], &b->infos[i]))
			return false;
	for (uint32_t i = 0; i < pa->n_keep; i++)
		if (!entry_same(&a->entries[pa->keep[i]], &b->entries[pb->keep[i]]))
			return false;
	return true;
}
