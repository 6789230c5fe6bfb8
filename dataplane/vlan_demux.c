/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stage 1: VLAN demux. Decides which VLAN each received frame belongs to from
 * the ingress port's mode (access/trunk), allowed list and native VLAN, and
 * drops what the port does not admit. Tags are left in place ("lazy"): the tx
 * stage only touches frame data when the egress port wants a different
 * tagging, so a VLAN-to-VLAN-port trunk forward costs no memmove.
 */
#include <rte_mbuf.h>

#include "dp.h"

static inline void drop(struct vs_worker *w, uint16_t port, enum vs_drop reason,
			struct rte_mbuf *m)
{
	w->ports[port].drops[reason]++;
	rte_pktmbuf_free(m);
}

uint16_t vs_vlan_demux(struct vs_worker *w, const struct vs_snapshot *s, uint16_t port,
		       struct rte_mbuf **pkts, uint16_t n)
{
	const struct vs_port_vlan *pv = &s->ports[port].vlan;
	const struct vs_dp_classify *cl = &s->ports[port].classify;
	const struct vs_dp_spoof *sp = &s->ports[port].spoof;
	struct vs_port_counters *c = &w->ports[port];
	uint16_t kept = 0;

	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		struct vs_frame_info fi;

		if (i + 1 < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + 1], void *));
		c->rx_packets++;
		c->rx_bytes += m->pkt_len;
		if (!vs_frame_parse(rte_pktmbuf_mtod(m, const uint8_t *), m->data_len, &fi)) {
			drop(w, port, VS_DROP_RUNT, m);
			continue;
		}
		/* Spoof check before anything (MAC learning included) trusts the source. */
		if (unlikely(sp->mac_check | sp->ip_check)) {
			enum vs_spoof_verdict v = vs_spoof_check(
				sp, rte_pktmbuf_mtod(m, const uint8_t *), m->data_len, &fi);
			if (v != VS_SPOOF_OK) {
				drop(w, port, v == VS_SPOOF_MAC ? VS_DROP_SPOOF_MAC : VS_DROP_SPOOF_IP, m);
				continue;
			}
		}
		/* A NIC that stripped the tag hands it over in the mbuf. */
		bool tagged = fi.tagged;
		uint16_t tag_vid = fi.vid;
		if (!tagged && (m->ol_flags & RTE_MBUF_F_RX_VLAN_STRIPPED)) {
			tagged = true;
			tag_vid = m->vlan_tci & 0x0fff;
		}
		int vid = vs_vlan_classify(pv, tagged, tag_vid);
		if (vid < 0) {
			enum vs_drop r = vid == VS_CLASSIFY_TAGGED_ON_ACCESS ?
					 VS_DROP_TAGGED_ON_ACCESS :
				 vid == VS_CLASSIFY_UNTAGGED_NO_NATIVE ?
					 VS_DROP_UNTAGGED_NO_NATIVE :
					 VS_DROP_VLAN_NOT_ALLOWED;
			drop(w, port, r, m);
			continue;
		}
		/* Keep the invariant "a tag in the data carries md->vid": a priority
		 * tag (VID 0) on a trunk is rewritten to the VLAN it was put in. */
		if (fi.tagged && fi.vid != vid) {
			uint8_t *tci = rte_pktmbuf_mtod_offset(m, uint8_t *, 14);
			tci[0] = (uint8_t)((tci[0] & 0xf0) | (vid >> 8));
			tci[1] = (uint8_t)vid;
		}
		struct vs_pkt_meta *md = vs_meta(m);
		md->in_port = port;
		md->vid = (uint16_t)vid;
		md->tagged = fi.tagged;	/* what is in the data, not what the NIC stripped */
		md->out_port = VS_PORT_NONE;
		md->cls = vs_qos_classify(cl, rte_pktmbuf_mtod(m, const uint8_t *), m->data_len,
					  &fi, tagged && !fi.tagged ? m->vlan_tci >> 13 : -1);
		pkts[kept++] = m;
	}
	return kept;
}
