/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stage 3: output. Puts each frame in the egress port's per-worker tx buffer
 * with the tagging that port wants for the frame's VLAN, replicating floods
 * to every member of the VLAN but the ingress port. A flood needs at most two
 * versions of the frame (tagged, untagged): the received mbuf is shared by
 * reference count among the ports wanting its current tagging, and one copy
 * serves the others. Buffers are flushed when full and at the end of every
 * worker loop (vs_tx_flush), so no mbuf outlives the loop's snapshot.
 */
#include <string.h>

#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_vhost.h>

#include "dataplane/tx/tx_out.h"
#include "vs_types.h"
#include "dataplane/policy/policy.h"
#include "dataplane/qos/qos.h"
#include "dataplane/tx/port_send.h"
#include "dataplane/worker/dp.h"
#include "dataplane/worker/frame.h"

static int tag_push(struct rte_mbuf *m, uint16_t vid)
{
	uint8_t *p = (uint8_t *)rte_pktmbuf_prepend(m, VS_VLAN_HLEN);
	if (p == NULL)
		return -ENOSPC;
	memmove(p, p + VS_VLAN_HLEN, 12);
	p[12] = VS_ETHERTYPE_VLAN >> 8;
	p[13] = VS_ETHERTYPE_VLAN & 0xff;
	p[14] = (uint8_t)(vid >> 8);
	p[15] = (uint8_t)vid;
	return 0;
}

static void tag_pop(struct rte_mbuf *m)
{
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *);
	memmove(p + VS_VLAN_HLEN, p, 12);
	rte_pktmbuf_adj(m, VS_VLAN_HLEN);
}

/* Make m's data tagged or untagged for vid. m must not be shared. */
static int set_tagging(struct rte_mbuf *m, bool tagged, uint16_t vid)
{
	struct vs_pkt_meta *md = vs_meta(m);
	if (md->tagged == tagged)
		return 0;
	if (tagged) {
		if (tag_push(m, vid) < 0)
			return -ENOSPC;
	} else {
		tag_pop(m);
	}
	md->tagged = tagged;
	return 0;
}

static void flush_port(struct vs_worker *w, const struct vs_snapshot *s, uint16_t port)
{
	struct vs_tx_buf *b = &w->txb[port];
	uint16_t n = b->n;

	b->n = 0;
	if (n == 0)
		return;
	if (s->ports[port].qos != NULL)
		vs_qos_enqueue(w, s, port, b->pkts, n);
	else
		vs_port_send(w, s, port, b->pkts, n);
}

static void put(struct vs_worker *w, const struct vs_snapshot *s, uint16_t port,
		struct rte_mbuf *m)
{
	struct vs_tx_buf *b = &w->txb[port];
	uint32_t len = m->pkt_len - (vs_meta(m)->tagged ? VS_VLAN_HLEN : 0);

	if (unlikely(len > s->ports[port].max_len)) {
		/* the receiver's MTU is smaller than the sender's: the sender's count */
		w->ports[vs_meta(m)->in_port].drops[VS_DROP_MTU_EXCEEDED]++;
		rte_pktmbuf_free(m);
		return;
	}
	if (!b->dirty) {
		b->dirty = 1;
		w->dirty[w->n_dirty++] = port;
	}
	b->pkts[b->n++] = m;
	if (b->n == VS_BURST_MAX)
		flush_port(w, s, port);
}

static void flood(struct vs_worker *w, const struct vs_snapshot *s, struct rte_mbuf *m)
{
	struct vs_pkt_meta *md = vs_meta(m);
	const uint16_t *members = s->flood_ports + s->flood_off[md->vid];
	uint16_t n_members = s->flood_n[md->vid];
	uint16_t to[VS_MAX_PORTS], n_to = 0, n_tagged = 0, n_untagged = 0;

	for (uint16_t i = 0; i < n_members; i++) {
		uint16_t p = members[i];
		if (p == md->in_port)
			continue;
		/* a receiver's ingress policy may refuse its copy */
		if (s->policy != NULL && !vs_policy_flood_allows(w, s, m, p))
			continue;
		to[n_to++] = p;
		if (vs_vlan_egress_tagged(&s->ports[p].vlan, md->vid))
			n_tagged++;
		else
			n_untagged++;
	}
	if (n_to == 0) {
		w->ports[md->in_port].drops[VS_DROP_FLOOD_NO_MEMBERS]++;
		rte_pktmbuf_free(m);
		return;
	}

	/* variant[1]: tagged version, variant[0]: untagged version */
	struct rte_mbuf *variant[2] = { NULL, NULL };
	uint16_t want[2] = { n_untagged, n_tagged };
	bool have = md->tagged;
	if (want[have] == 0) {
		/* nobody wants it as received: convert in place */
		if (set_tagging(m, !have, md->vid) == 0)
			variant[!have] = m;
		else
			rte_pktmbuf_free(m);
	} else {
		variant[have] = m;
		if (want[!have] > 0) {
			struct rte_mbuf *c = rte_pktmbuf_copy(m, vs_dp.pool, 0, UINT32_MAX);
			if (c != NULL) {
				*vs_meta(c) = *md;
				if (set_tagging(c, !have, md->vid) == 0)
					variant[!have] = c;
				else
					rte_pktmbuf_free(c);
			}
		}
	}
	for (int t = 0; t < 2; t++)
		if (variant[t] != NULL && want[t] > 1)
			rte_pktmbuf_refcnt_update(variant[t], (int16_t)(want[t] - 1));

	for (uint16_t i = 0; i < n_to; i++) {
		uint16_t p = to[i];
		bool t = vs_vlan_egress_tagged(&s->ports[p].vlan, md->vid);
		if (variant[t] == NULL) {
			w->ports[p].drops[VS_DROP_NO_MBUF]++;
			continue;
		}
		put(w, s, p, variant[t]);
	}
}

void vs_tx_out(struct vs_worker *w, const struct vs_snapshot *s, struct rte_mbuf **pkts,
	       uint16_t n)
{
	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		struct vs_pkt_meta *md = vs_meta(m);
		uint16_t to = md->out_port;

		if (to == VS_PORT_FLOOD) {
			flood(w, s, m);
			continue;
		}
		bool tagged = vs_vlan_egress_tagged(&s->ports[to].vlan, md->vid);
		if (set_tagging(m, tagged, md->vid) < 0) {
			w->ports[to].drops[VS_DROP_TAG_NO_ROOM]++;
			rte_pktmbuf_free(m);
			continue;
		}
		put(w, s, to, m);
	}
}

void vs_tx_flush(struct vs_worker *w, const struct vs_snapshot *s)
{
	for (uint16_t i = 0; i < w->n_dirty; i++) {
		uint16_t port = w->dirty[i];
		flush_port(w, s, port);
		w->txb[port].dirty = 0;
	}
	w->n_dirty = 0;
}
