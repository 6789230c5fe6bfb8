/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stage 2: L2 forwarding within the frame's VLAN. One bulk FDB lookup per
 * burst covers both the source (learning) and destination (forwarding) keys.
 * New or moved sources become learn events for the control thread, the FDB's
 * single writer. Sets each packet's out_port: a port slot, VS_PORT_FLOOD, or
 * drops it (hairpin: the destination sits behind the ingress port).
 */
#include <string.h>

#include <rte_hash.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "dataplane/l2/l2_fwd.h"
#include "vs_types.h"
#include "dataplane/l2/fdb.h"
#include "dataplane/worker/dp.h"
#include "dataplane/worker/frame.h"

static inline void make_key(struct vs_fdb_key *k, const uint8_t *mac, uint16_t vid)
{
	memcpy(k->mac, mac, 6);
	k->vid = vid;
}

/* Keys are 8 bytes: compare them as one word. */
static inline uint64_t key_word(const struct vs_fdb_key *k)
{
	uint64_t w;
	memcpy(&w, k, sizeof(w));
	return w;
}

static void report_source(struct vs_worker *w, const struct vs_fdb_key *k, uint16_t port,
			  uint32_t now)
{
	/* Reported this second already: the control thread drains every couple of ms. Only
	 * for this second, or a MAC flushed after its report would never be learned again. */
	if (w->last_learn_port == port && w->last_learn_stamp == now &&
	    key_word(&w->last_learn) == key_word(k))
		return;
	struct vs_learn_event ev = { .key = *k, .port = port };
	if (rte_ring_sp_enqueue_elem(w->learn_ring, &ev, sizeof(ev)) != 0) {
		w->learn_ring_full++;
		return;
	}
	w->learn_events++;
	w->last_learn = *k;
	w->last_learn_port = port;
	w->last_learn_stamp = now;
}

/*
 * Adds key to the burst's lookup list unless it equals the previous one (a burst is often
 * one flow): returns its index in the list.
 */
static inline uint8_t unique_key(struct vs_fdb_key *keys, uint8_t *n, uint8_t prev,
				 const uint8_t *mac, uint16_t vid)
{
	struct vs_fdb_key k;
	make_key(&k, mac, vid);
	if (*n > 0 && key_word(&keys[prev]) == key_word(&k))
		return prev;
	keys[*n] = k;
	return (*n)++;
}

uint16_t vs_l2_fwd(struct vs_worker *w, const struct vs_snapshot *s, struct rte_mbuf **pkts,
		   uint16_t n)
{
	struct vs_fdb *fdb = vs_dp.fdb;
	struct vs_fdb_key keys[2 * VS_BURST_MAX];
	const void *key_ptrs[2 * VS_BURST_MAX];
	void *data[2 * VS_BURST_MAX];
	uint8_t src_idx[VS_BURST_MAX], dst_idx[VS_BURST_MAX], nk = 0;
	uint64_t hits = 0;
	uint32_t now = atomic_load_explicit(&vs_dp.clock_s, memory_order_relaxed);

	for (uint16_t i = 0; i < n; i++) {
		const uint8_t *eth = rte_pktmbuf_mtod(pkts[i], const uint8_t *);
		uint16_t vid = vs_meta(pkts[i])->vid;
		src_idx[i] = unique_key(keys, &nk, i ? src_idx[i - 1] : 0, eth + 6, vid);
		dst_idx[i] = unique_key(keys, &nk, i ? dst_idx[i - 1] : 0, eth, vid);
	}
	for (uint8_t k = 0; k < nk; k++)
		key_ptrs[k] = &keys[k];
	if (nk > 0)
		rte_hash_lookup_bulk_data(fdb->h, key_ptrs, nk, &hits, data);

	uint16_t kept = 0;
	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		struct vs_pkt_meta *md = vs_meta(m);
		uint8_t si = src_idx[i], di = dst_idx[i];
		const uint8_t *dst = keys[di].mac;

		/* The demux dropped multicast and zero sources: every source is a station. */
		bool may_learn = !atomic_load_explicit(&s->ports[md->in_port].rt->macs_full,
						       memory_order_relaxed);
		if (hits & (1ULL << si)) {
			struct vs_fdb_entry *e = &fdb->entries[(uintptr_t)data[si] - 1];
			uint16_t at = atomic_load_explicit(&e->port, memory_order_relaxed);
			if (at != md->in_port && e->is_static) {
				/* A static MAC seen elsewhere is a spoof or a miscabling. */
				w->ports[md->in_port].drops[VS_DROP_STATIC_MAC_MOVE]++;
				rte_pktmbuf_free(m);
				continue;
			}
			if (at != md->in_port && may_learn)
				report_source(w, &keys[si], md->in_port, now);
			if (atomic_load_explicit(&e->last_seen, memory_order_relaxed) != now)
				atomic_store_explicit(&e->last_seen, now, memory_order_relaxed);
		} else if (may_learn) {
			report_source(w, &keys[si], md->in_port, now);
		}

		md->out_port = VS_PORT_FLOOD;
		if (!vs_mac_is_multicast(dst) && (hits & (1ULL << di))) {
			struct vs_fdb_entry *e = &fdb->entries[(uintptr_t)data[di] - 1];
			uint16_t to = atomic_load_explicit(&e->port, memory_order_relaxed);
			/* An entry may briefly name a port that left the VLAN: flood then. */
			if (to < VS_MAX_PORTS && s->ports[to].rt != NULL &&
			    vs_vlan_set_has(&s->ports[to].vlan.allowed, md->vid)) {
				if (to == md->in_port) {
					w->ports[md->in_port].drops[VS_DROP_HAIRPIN]++;
					rte_pktmbuf_free(m);
					continue;
				}
				md->out_port = to;
			}
		}
		pkts[kept++] = m;
	}
	return kept;
}
