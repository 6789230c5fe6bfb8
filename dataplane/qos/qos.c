/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stage 4 (ports with an egress scheduler only): frames leave through the port's rte_sched
 * instance instead of going straight to the port. rte_sched may be run by one lcore only, so
 * each scheduler has an owner worker: the owner enqueues its own frames directly, the other
 * workers hand theirs over through the scheduler's MP/SC ring, and every loop the owner moves
 * the ring into the scheduler, dequeues what the shaper lets out and transmits it.
 *
 * The hierarchy (set up by control/qos/qos.c): one subport for the port, one pipe per ingress
 * port slot (per VM), and the classes on rte_sched traffic classes: critical on TC 0 (strict
 * priority), best-effort and scavenger on queues 0 and 1 of the best-effort TC, by WRR.
 */
#include <rte_mbuf.h>
#include <rte_ring.h>
#include <rte_sched.h>

#include "dataplane/qos/qos.h"
#include "vs_types.h"
#include "dataplane/tx/port_send.h"
#include "dataplane/worker/dp.h"

static void sched_enqueue(struct vs_worker *w, struct vs_qos *q, struct rte_mbuf **pkts,
			  uint16_t n)
{
	struct rte_mbuf *by_cls[VS_QOS_CLASSES][VS_BURST_MAX];
	uint16_t cnt[VS_QOS_CLASSES] = { 0 };

	for (uint16_t i = 0; i < n; i++) {
		const struct vs_pkt_meta *md = vs_meta(pkts[i]);
		uint8_t c = md->cls;	/* set by the VLAN demux for every frame */
		uint32_t tc, queue;

		vs_qos_class_tc(c, &tc, &queue);
		/* A flood frame may be shared with another scheduler: every scheduler is built
		 * with the same hierarchy, so both write the same path into the same mbuf. */
		rte_sched_port_pkt_write(q->sched, pkts[i], 0, md->in_port, tc, queue,
					 RTE_COLOR_GREEN);
		by_cls[c][cnt[c]++] = pkts[i];
	}
	/* One enqueue per class, so the tail drops (rte_sched frees them) are known per class. */
	for (uint8_t c = 0; c < VS_QOS_CLASSES; c++) {
		if (cnt[c] == 0)
			continue;
		uint32_t ok = (uint32_t)rte_sched_port_enqueue(q->sched, by_cls[c], cnt[c]);
		q->cls[c].enqueued += ok;
		q->cls[c].dropped += cnt[c] - ok;
		w->ports[q->port].drops[VS_DROP_QOS_QUEUE_FULL] += cnt[c] - ok;
	}
}

void vs_qos_enqueue(struct vs_worker *w, const struct vs_snapshot *s, uint16_t port,
		    struct rte_mbuf **pkts, uint16_t n)
{
	struct vs_qos *q = s->ports[port].qos;

	if (q->owner == w->id) {
		sched_enqueue(w, q, pkts, n);
		return;
	}
	uint32_t ok = rte_ring_mp_enqueue_burst(q->handoff, (void **)pkts, n, NULL);
	if (ok < n) {
		w->ports[port].drops[VS_DROP_QOS_HANDOFF_FULL] += n - ok;
		rte_pktmbuf_free_bulk(&pkts[ok], n - ok);
	}
}

static uint64_t queued(const struct vs_qos *q)
{
	uint64_t n = 0;
	for (int c = 0; c < VS_QOS_CLASSES; c++)
		n += q->cls[c].enqueued - q->cls[c].sent;
	return n;
}

uint32_t vs_qos_run(struct vs_worker *w, const struct vs_snapshot *s)
{
	struct rte_mbuf *pkts[VS_BURST_MAX];
	uint64_t backlog = 0;

	for (uint16_t i = 0; i < s->n_qos[w->id]; i++) {
		uint16_t port = s->qos_ports[w->id][i];
		struct vs_qos *q = s->ports[port].qos;
		uint32_t n = rte_ring_sc_dequeue_burst(q->handoff, (void **)pkts, VS_BURST_MAX, NULL);

		if (n > 0)
			sched_enqueue(w, q, pkts, (uint16_t)n);
		int got = rte_sched_port_dequeue(q->sched, pkts, VS_BURST_MAX);
		for (int k = 0; k < got; k++) {
			struct vs_qos_class_counters *c = &q->cls[vs_meta(pkts[k])->cls];
			c->sent++;
			c->sent_bytes += pkts[k]->pkt_len;
		}
		if (got > 0)
			vs_port_send(w, s, port, pkts, (uint16_t)got);
		backlog += queued(q) + rte_ring_count(q->handoff);
	}
	return backlog > UINT32_MAX ? UINT32_MAX : (uint32_t)backlog;
}
