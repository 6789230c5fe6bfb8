/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The connection table as workers use it: keys, state updates, the per-port shares, and
 * starting a connection (the control thread ages and deletes: control/policy/conntrack.c).
 * Worker thread only. Static inline: the stage's per-packet calls, kept in the stage's
 * translation unit (a separate .c would cost a call per packet without LTO).
 */
#ifndef VS_CT_PATH_H
#define VS_CT_PATH_H

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

static inline void vs_ct_key_make(struct vs_ct_key *k, uint16_t vid, const struct vs_flow *f)
{
	memset(k, 0, sizeof(*k));
	k->vid = vid;
	k->proto = f->proto;
	k->family = f->family;
	k->sport = f->sport;
	k->dport = f->dport;
	memcpy(k->src, f->src, 16);
	memcpy(k->dst, f->dst, 16);
}

/* The key replies carry. ICMP echo: the reply type, same identifier. */
static inline void vs_ct_key_reverse(struct vs_ct_key *r, const struct vs_ct_key *k)
{
	*r = *k;
	memcpy(r->src, k->dst, 16);
	memcpy(r->dst, k->src, 16);
	if (k->proto == VS_PROTO_ICMP || k->proto == VS_PROTO_ICMPV6) {
		r->dport = vs_icmp_echo_reply_type(k->family);
	} else {
		r->sport = k->dport;
		r->dport = k->sport;
	}
}

/* Connections are tracked for TCP, UDP, SCTP and ICMP echo requests. */
static inline bool vs_ct_trackable(const struct vs_flow *f)
{
	if (!f->l4)
		return false;
	if (f->proto == VS_PROTO_ICMP || f->proto == VS_PROTO_ICMPV6)
		return vs_icmp_is_echo_request(f->family, f->icmp_type);
	return f->proto == VS_PROTO_TCP || f->proto == VS_PROTO_UDP || f->proto == VS_PROTO_SCTP;
}

static inline bool vs_ct_echo_reply(const struct vs_flow *f)
{
	return f->l4 && (f->proto == VS_PROTO_ICMP || f->proto == VS_PROTO_ICMPV6) &&
	       f->icmp_type == vs_icmp_echo_reply_type(f->family);
}

static inline void vs_ct_update(struct vs_ct_conn *c, bool reply, const struct vs_flow *f,
				uint32_t now)
{
	if (atomic_load_explicit(&c->last_seen, memory_order_relaxed) != now)
		atomic_store_explicit(&c->last_seen, now, memory_order_relaxed);
	uint8_t st = atomic_load_explicit(&c->state, memory_order_relaxed), nst = st;
	if (f->proto == VS_PROTO_TCP) {
		uint8_t fl = f->tcp_flags;
		if (fl & VS_TCP_RST) {
			nst = VS_CT_CLOSED;
		} else if (fl & VS_TCP_FIN) {
			uint8_t fin = atomic_fetch_or_explicit(&c->fin, reply ? 2 : 1,
							       memory_order_relaxed) |
				      (reply ? 2 : 1);
			nst = fin == 3 ? VS_CT_CLOSED : VS_CT_FIN;
		} else if (!reply && st == VS_CT_CLOSED && (fl & VS_TCP_SYN) && !(fl & VS_TCP_ACK)) {
			/* the same ports opened again */
			atomic_store_explicit(&c->fin, 0, memory_order_relaxed);
			nst = VS_CT_NEW;
		} else if (reply && st == VS_CT_NEW) {
			nst = VS_CT_ESTABLISHED;
		}
	} else if (reply && st == VS_CT_NEW) {
		nst = VS_CT_ESTABLISHED;
	}
	if (nst != st)
		atomic_store_explicit(&c->state, nst, memory_order_relaxed);
}

/* Whether a packet with a connection's tuple travels between the connection's two ports. */
static inline bool vs_ct_on_path(const struct vs_ct_conn *c, bool reply,
				 const struct vs_pkt_meta *md)
{
	return reply ? md->in_port == c->out_port && md->out_port == c->in_port :
		       md->in_port == c->in_port && md->out_port == c->out_port;
}

static inline uint32_t vs_ct_link_of(uint32_t conn_pos, bool reply)
{
	return (conn_pos << 1 | (reply ? 1u : 0u)) + 1;
}

/*
 * The port an entry counts against, so that one VM cannot fill a table every tenant shares:
 * the VM port that sent the packet, or else (it came in on an uplink) the VM port it is for.
 */
static inline uint16_t vs_ct_charged_port(const struct vs_snapshot *s, const struct vs_pkt_meta *md)
{
	const struct vs_port_rt *in = s->ports[md->in_port].rt;
	if (in != NULL && in->type == VS_PORT_VHOST)
		return md->in_port;
	if (md->out_port < VS_MAX_PORTS && s->ports[md->out_port].rt != NULL &&
	    s->ports[md->out_port].rt->type == VS_PORT_VHOST)
		return md->out_port;
	return md->in_port;
}

/* Takes one entry of a port's share of a table; false when the share is used up. */
static inline bool vs_ct_share_take(_Atomic uint32_t *count, uint32_t limit)
{
	if (atomic_fetch_add_explicit(count, 1, memory_order_relaxed) < limit)
		return true;
	atomic_fetch_sub_explicit(count, 1, memory_order_relaxed);
	return false;
}

static inline void vs_ct_share_return(_Atomic uint32_t *count)
{
	atomic_fetch_sub_explicit(count, 1, memory_order_relaxed);
}

/* Starts tracking an allowed flow. Returns VS_DROP__COUNT when the packet may pass (tracked,
 * or being tracked by another worker), else why it is dropped. */
static inline enum vs_drop vs_ct_conn_start(struct vs_worker *w, struct vs_ct *ct,
					     const struct vs_ct_key *k, const struct vs_flow *f,
					     const struct vs_pkt_meta *md, uint16_t charged,
					     uint32_t gen, uint32_t now)
{
	if (atomic_load_explicit(&ct->count, memory_order_relaxed) >= ct->size)
		return VS_DROP_CONNTRACK_FULL;
	if (!vs_ct_share_take(&ct->port_count[charged], ct->per_port))
		return VS_DROP_CONNTRACK_PORT_LIMIT;
	int32_t pos = rte_hash_add_key(ct->h, k);
	if (pos < 0) {
		vs_ct_share_return(&ct->port_count[charged]);
		return VS_DROP_CONNTRACK_FULL;
	}
	/* One worker sets a connection up: one that added the same key at the same moment, or
	 * finds a dead entry waiting for deletion, leaves it be (and its share unused). */
	uint32_t none = VS_CT_LINK_NONE;
	if (!atomic_compare_exchange_strong_explicit(&ct->link[pos], &none, VS_CT_LINK_BUSY,
						     memory_order_acquire, memory_order_acquire)) {
		vs_ct_share_return(&ct->port_count[charged]);
		return VS_DROP__COUNT;
	}
	struct vs_ct_conn *c = &ct->conns[pos];
	struct vs_ct_key rk;
	c->key = *k;
	c->in_port = md->in_port;
	c->out_port = md->out_port;
	c->charged = charged;
	c->rev_pos = -1;
	atomic_store_explicit(&c->last_seen, now, memory_order_relaxed);
	atomic_store_explicit(&c->gen, gen, memory_order_relaxed);
	atomic_store_explicit(&c->fin, 0, memory_order_relaxed);
	bool syn_only = f->proto != VS_PROTO_TCP ||
			((f->tcp_flags & VS_TCP_SYN) && !(f->tcp_flags & VS_TCP_ACK));
	/* TCP picked up mid-stream (a connection older than the policy) counts as established */
	atomic_store_explicit(&c->state, syn_only ? VS_CT_NEW : VS_CT_ESTABLISHED,
			      memory_order_relaxed);
	vs_ct_key_reverse(&rk, k);
	int32_t rpos = rte_hash_add_key(ct->h, &rk);
	none = VS_CT_LINK_NONE;
	if (rpos >= 0 && atomic_compare_exchange_strong_explicit(
				 &ct->link[rpos], &none, vs_ct_link_of((uint32_t)pos, true),
				 memory_order_release, memory_order_relaxed)) {
		c->rev_pos = rpos;
	} else {
		/* Replies could not be told apart (the reply key is taken, or is this very key):
		 * give the entry up (the control thread deletes it) and let this packet through
		 * as the policy allowed it. */
		atomic_store_explicit(&c->state, VS_CT_DEAD, memory_order_relaxed);
	}
	atomic_store_explicit(&ct->link[pos], vs_ct_link_of((uint32_t)pos, false), memory_order_release);
	atomic_fetch_add_explicit(&ct->count, 1, memory_order_relaxed);
	atomic_store_explicit(&c->live, 1, memory_order_release);
	w->ct_created++;
	return rpos >= 0 ? VS_DROP__COUNT : VS_DROP_CONNTRACK_FULL;
}

#endif
