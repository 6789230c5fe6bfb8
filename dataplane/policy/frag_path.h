/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The fragment table as workers use it: a passing first fragment recorded, the later
 * fragments of its datagram found (the control thread ages: control/policy/conntrack.c).
 * Worker thread only. Static inline: the stage's per-packet calls, kept in the stage's
 * translation unit (a separate .c would cost a call per packet without LTO).
 */
#ifndef VS_FRAG_PATH_H
#define VS_FRAG_PATH_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_hash.h>
#include <rte_mbuf.h>

#include "dataplane/policy/flow.h"
#include "dataplane/policy/policy_dp.h"
#include "dataplane/worker/dp.h"
#include "dataplane/worker/drops.h"
#include "dataplane/policy/ct_path.h"

static inline void vs_frag_key_make(struct vs_frag_key *k, uint16_t vid, const struct vs_flow *f)
{
	memset(k, 0, sizeof(*k));
	k->vid = vid;
	k->proto = f->proto;
	k->family = f->family;
	k->id = f->frag_id;
	memcpy(k->src, f->src, 16);
	memcpy(k->dst, f->dst, 16);
}

/* A denied first fragment: a datagram reusing the id of an allowed one must not inherit it. */
static inline void vs_frag_deny(struct vs_frags *fr, const struct vs_flow *f,
				const struct vs_pkt_meta *md)
{
	struct vs_frag_key k;
	vs_frag_key_make(&k, md->vid, f);
	int32_t pos = rte_hash_lookup(fr->h, &k);
	if (pos >= 0)
		atomic_store_explicit(&fr->e[pos].allowed, 0, memory_order_relaxed);
}

/* Remembers that an allowed first fragment passed, for the rest of its datagram. Returns
 * VS_DROP__COUNT, or why the datagram cannot be tracked. */
static inline enum vs_drop vs_frag_record(struct vs_worker *w, struct vs_frags *fr,
					   const struct vs_flow *f, const struct vs_pkt_meta *md,
					   uint16_t charged, uint32_t gen, uint32_t now)
{
	struct vs_frag_key k;
	vs_frag_key_make(&k, md->vid, f);
	int32_t pos = rte_hash_lookup(fr->h, &k);
	bool fresh = pos < 0;
	if (fresh) {
		if (atomic_load_explicit(&fr->count, memory_order_relaxed) >= fr->size)
			return VS_DROP_FRAG_TABLE_FULL;
		if (!vs_ct_share_take(&fr->port_count[charged], fr->per_port))
			return VS_DROP_FRAG_PORT_LIMIT;
		pos = rte_hash_add_key(fr->h, &k);
		if (pos < 0) {
			vs_ct_share_return(&fr->port_count[charged]);
			return VS_DROP_FRAG_TABLE_FULL;
		}
	} else if (!atomic_load_explicit(&fr->e[pos].live, memory_order_acquire)) {
		/* being expired by the control thread (or set up by another worker): the
		 * entry is not ours to revive, this datagram goes untracked */
		return VS_DROP__COUNT;
	}
	struct vs_frag_entry *e = &fr->e[pos];
	e->in_port = md->in_port;
	e->out_port = md->out_port;
	e->sport = f->sport;
	e->dport = f->dport;
	atomic_store_explicit(&e->last_seen, now, memory_order_relaxed);
	atomic_store_explicit(&e->gen, gen, memory_order_relaxed);
	atomic_store_explicit(&e->allowed, 1, memory_order_relaxed);
	if (!fresh)
		return VS_DROP__COUNT;
	/* Only the worker that added the key makes it live (an entry the control thread is
	 * deleting is never brought back), and only its share is kept: it names the charged
	 * port, + 1 so that the control thread can tell an entry not yet charged. */
	if (atomic_exchange_explicit(&e->live, 1, memory_order_release)) {
		vs_ct_share_return(&fr->port_count[charged]);
		return VS_DROP__COUNT;
	}
	atomic_store_explicit(&e->charged, (uint16_t)(charged + 1), memory_order_release);
	atomic_fetch_add_explicit(&fr->count, 1, memory_order_relaxed);
	w->frag_tracked++;
	return VS_DROP__COUNT;
}

/* The entry of a later fragment's datagram, if its first fragment passed on the same path. */
static inline struct vs_frag_entry *vs_frag_find(struct vs_frags *fr, const struct vs_flow *f,
						  const struct vs_pkt_meta *md)
{
	struct vs_frag_key k;
	vs_frag_key_make(&k, md->vid, f);
	int32_t pos = rte_hash_lookup(fr->h, &k);
	if (pos < 0)
		return NULL;
	struct vs_frag_entry *e = &fr->e[pos];
	if (!atomic_load_explicit(&e->live, memory_order_acquire) ||
	    !atomic_load_explicit(&e->allowed, memory_order_relaxed) || e->in_port != md->in_port ||
	    e->out_port != md->out_port)
		return NULL;
	return e;
}

#endif
