/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The last step of every frame: a burst onto one port, vhost-user (rte_vhost copies into
 * the guest's ring) or ethdev (the worker's own tx queue). Its own file so the tx stage and
 * the QoS scheduler, which both send, do not call each other.
 */
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_vhost.h>

#include "dataplane/tx/port_send.h"
#include "vs_types.h"
#include "dataplane/worker/dp.h"

void vs_port_send(struct vs_worker *w, const struct vs_snapshot *s, uint16_t port,
		  struct rte_mbuf **pkts, uint16_t n)
{
	struct vs_port_counters *c = &w->ports[port];
	const struct vs_port_rt *rt = s->ports[port].rt;
	uint32_t len[VS_BURST_MAX];
	uint16_t sent = 0;

	for (uint16_t i = 0; i < n; i++)
		len[i] = pkts[i]->pkt_len;

	if (rt->type == VS_PORT_VHOST) {
		int vid = atomic_load_explicit(&rt->vid, memory_order_acquire);
		uint32_t en = atomic_load_explicit(&rt->rx_enabled, memory_order_relaxed);
		if (vid < 0 || en == 0) {
			c->drops[VS_DROP_PORT_DOWN] += n;
		} else {
			/* Spread workers over the guest's enabled RX rings; rte_vhost
			 * serialises workers sharing a ring with the vring lock. */
			uint32_t start = w->id % VS_MAX_QUEUES;
			uint32_t from = en & ~((1u << start) - 1);
			uint16_t q = (uint16_t)__builtin_ctz(from ? from : en);
			sent = rte_vhost_enqueue_burst(vid, (uint16_t)(q * 2), pkts, n);
			c->drops[VS_DROP_TX_FULL] += n - sent;
		}
		rte_pktmbuf_free_bulk(pkts, n);	/* rte_vhost copied what it took */
	} else {
		sent = rte_eth_tx_burst(rt->eth_port, w->id, pkts, n);
		if (sent < n) {
			c->drops[VS_DROP_TX_FULL] += n - sent;
			rte_pktmbuf_free_bulk(&pkts[sent], n - sent);
		}
	}
	c->tx_packets += sent;
	for (uint16_t i = 0; i < sent; i++)
		c->tx_bytes += len[i];
}
