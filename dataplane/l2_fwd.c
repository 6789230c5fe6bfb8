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

#include "dp.h"

static inline void make_key(struct vs_fdb_key *k, const uint8_t *mac, uint16_t vid)
{
	memcpy(k->mac, mac, 6);
	k->vid = vid;
}

static inline bool key_eq(const struct vs_fdb_key *a, const struct vs_fdb_key *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

static void report_source(struct vs_worker *w, const struct vs_fdb_key *k, uint16_t port)
{
	if (w->last_learn_port == port && key_eq(&w->last_learn, k))
		return;	/* already reported; the control thread drains every ms or so */
	struct vs_learn_event ev = { .key = *k, .port = port };
	if (rte_ring_sp_enqueue_elem(w->learn_ring, &ev, sizeof(ev)) != 0) {
		w->learn_ring_full++;
		return;
	}
	w->learn_events++;
	w->last_learn = *k;
	w->last_learn_port = port;
}

uint16_t vs_l2_fwd(struct vs_worker *w, const struct vs_snapshot *s, struct rte_mbuf **pkts,
		   uint16_t n)
{
	struct vs_fdb *fdb = vs_dp.fdb;
	struct vs_fdb_key keys[2 * VS_BURST_MAX];
	const void *key_ptrs[2 * VS_BURST_MAX];
	void *data[2 * VS_BURST_MAX];
	uint64_t hits = 0;
	uint32_t now = atomic_load_explicit(&vs_dp.clock_s, memory_order_relaxed);

	/* keys[2i] = source, keys[2i+1] = destination */
	for (uint16_t i = 0; i < n; i++) {
		const uint8_t *eth = rte_pktmbuf_mtod(pkts[i], const uint8_t *);
		uint16_t vid = vs_meta(pkts[i])->vid;
		make_key(&keys[2 * i], eth + 6, vid);
		make_key(&keys[2 * i + 1], eth, vid);
		key_ptrs[2 * i] = &keys[2 * i];
		key_ptrs[2 * i + 1] = &keys[2 * i + 1];
	}
	if (n > 0)
		rte_hash_lookup_bulk_data(fdb->h, key_ptrs, 2 * n, &hits, data);

	uint16_t kept = 0;
	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		struct vs_pkt_meta *md = vs_meta(m);
		const uint8_t *src = keys[2 * i].mac, *dst = keys[2 * i + 1].mac;

		if (!vs_mac_is_multicast(src)) {
			if (hits & (1ULL << (2 * i))) {
				struct vs_fdb_entry *e = &fdb->entries[(uintptr_t)data[2 * i] - 1];
				uint16_t at = atomic_load_explicit(&e->port, memory_order_relaxed);
				if (at != md->in_port && e->is_static) {
					/* A static MAC seen elsewhere is a spoof or a miscabling. */
					w->ports[md->in_port].drops[VS_DROP_STATIC_MAC_MOVE]++;
					rte_pktmbuf_free(m);
					continue;
				}
				if (at != md->in_port)
					report_source(w, &keys[2 * i], md->in_port);
				if (atomic_load_explicit(&e->last_seen, memory_order_relaxed) != now)
					atomic_store_explicit(&e->last_seen, now,
							      memory_order_relaxed);
			} else {
				report_source(w, &keys[2 * i], md->in_port);
			}
		}

		md->out_port = VS_PORT_FLOOD;
		if (!vs_mac_is_multicast(dst) && (hits & (1ULL << (2 * i + 1)))) {
			struct vs_fdb_entry *e = &fdb->entries[(uintptr_t)data[2 * i + 1] - 1];
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
