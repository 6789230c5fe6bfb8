/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stage 1: VLAN demux. Admits what any port may send (frame.h: one 802.1Q tag at
 * most, a station's source MAC, no bridge-local destination), decides which VLAN
 * each frame belongs to from the ingress port's mode (access/trunk), allowed list
 * and native VLAN, refuses frames over the port's MTU and malformed IP (flow.h),
 * and records the L3 parse in the packet's metadata for the stages after it. Tags are
 * left in place ("lazy"): the tx stage only touches frame data when the egress port wants a different
 * tagging, so a VLAN-to-VLAN-port trunk forward costs no memmove.
 */
#include <rte_mbuf.h>

#include "dataplane/l2/vlan_demux.h"
#include "dataplane/policy/flow.h"
#include "dataplane/policy/spoof.h"
#include "dataplane/qos/classify.h"
#include "dataplane/worker/dp.h"
#include "dataplane/worker/drops.h"
#include "dataplane/worker/frame.h"

static inline void drop(struct vs_worker *w, uint16_t port, enum vs_drop reason,
			struct rte_mbuf *m)
{
	w->ports[port].drops[reason]++;
	rte_pktmbuf_free(m);
}

static const uint8_t frame_drop[] = {
	[VS_FRAME_RUNT] = VS_DROP_RUNT,
	[VS_FRAME_SERVICE_TAG] = VS_DROP_SERVICE_TAG,
	[VS_FRAME_STACKED_TAG] = VS_DROP_STACKED_TAG,
	[VS_FRAME_BAD_SRC_MAC] = VS_DROP_BAD_SRC_MAC,
	[VS_FRAME_RESERVED_DST] = VS_DROP_RESERVED_DST,
};

static const uint8_t classify_drop[] = {
	[-VS_CLASSIFY_TAGGED_ON_ACCESS] = VS_DROP_TAGGED_ON_ACCESS,
	[-VS_CLASSIFY_UNTAGGED_NO_NATIVE] = VS_DROP_UNTAGGED_NO_NATIVE,
	[-VS_CLASSIFY_NOT_ALLOWED] = VS_DROP_VLAN_NOT_ALLOWED,
};

static const uint8_t l3_drop[] = {
	[VS_L3_TRUNCATED] = VS_DROP_L3_TRUNCATED,
	[VS_L3_BAD_HEADER] = VS_DROP_IP_BAD_HEADER,
	[VS_L3_BAD_LENGTH] = VS_DROP_IP_BAD_LENGTH,
	[VS_L3_EXT_CHAIN] = VS_DROP_IPV6_EXT_CHAIN,
	[VS_L3_L4_TRUNCATED] = VS_DROP_L4_TRUNCATED,
	[VS_L3_FRAG_TINY] = VS_DROP_FRAG_TINY,
	[VS_L3_FRAG_OVERLAP] = VS_DROP_FRAG_OVERLAP,
};

uint16_t vs_vlan_demux(struct vs_worker *w, const struct vs_snapshot *s, uint16_t port,
		       struct rte_mbuf **pkts, uint16_t n)
{
	const struct vs_dp_port *dp = &s->ports[port];
	const struct vs_port_vlan *pv = &dp->vlan;
	const struct vs_dp_spoof *sp = &dp->spoof;
	struct vs_port_counters *c = &w->ports[port];
	uint16_t kept = 0;

	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		const uint8_t *d = rte_pktmbuf_mtod(m, const uint8_t *);
		struct vs_frame_info fi;

		if (i + 1 < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + 1], void *));
		c->rx_packets++;
		c->rx_bytes += m->pkt_len;
		/* A NIC that stripped the tag hands it over in the mbuf. */
		bool nic_tag = m->ol_flags & RTE_MBUF_F_RX_VLAN_STRIPPED;
		enum vs_frame_verdict fv = vs_frame_parse(d, m->data_len, nic_tag, &fi);
		if (fv != VS_FRAME_OK) {
			drop(w, port, frame_drop[fv], m);
			continue;
		}
		/* Spoof check before anything (MAC learning included) trusts the source. */
		if (unlikely(sp->mac_check | sp->ip_check)) {
			enum vs_spoof_verdict v = vs_spoof_check(sp, d, m->data_len, &fi);
			if (v != VS_SPOOF_OK) {
				drop(w, port, v == VS_SPOOF_MAC ? VS_DROP_SPOOF_MAC : VS_DROP_SPOOF_IP, m);
				continue;
			}
		}
		bool tagged = fi.tagged || nic_tag;
		uint16_t tag_vid = nic_tag ? m->vlan_tci & 0x0fff : fi.vid;
		int vid = vs_vlan_classify(pv, tagged, tag_vid);
		if (vid < 0) {
			drop(w, port, classify_drop[-vid], m);
			continue;
		}
		/* Charged here to the sender: the frame is longer than its own port's MTU. */
		uint32_t l2 = VS_ETH_HLEN + (fi.tagged ? VS_VLAN_HLEN : 0);
		if (unlikely(m->pkt_len - (l2 - VS_ETH_HLEN) > dp->max_len)) {
			drop(w, port, VS_DROP_OVERSIZE, m);
			continue;
		}
		struct vs_pkt_meta *md = vs_meta(m);
		enum vs_l3_verdict lv = vs_l3_parse(d + l2, m->data_len - l2, m->pkt_len - l2,
						    fi.ethertype, &md->l3);
		if (lv != VS_L3_OK) {
			drop(w, port, l3_drop[lv], m);
			continue;
		}
		/* Keep the invariant "a tag in the data carries md->vid": a priority
		 * tag (VID 0) is rewritten to the VLAN it was put in. */
		if (fi.tagged && fi.vid != vid) {
			uint8_t *tci = rte_pktmbuf_mtod_offset(m, uint8_t *, 14);
			tci[0] = (uint8_t)((tci[0] & 0xf0) | (vid >> 8));
			tci[1] = (uint8_t)vid;
		}
		md->in_port = port;
		md->vid = (uint16_t)vid;
		md->tagged = fi.tagged;	/* what is in the data, not what the NIC stripped */
		md->ethertype = fi.ethertype;
		md->out_port = VS_PORT_NONE;
		md->cls = vs_qos_classify(&dp->classify, d, m->data_len, &fi,
					  nic_tag ? m->vlan_tci >> 13 : -1);
		pkts[kept++] = m;
	}
	return kept;
}
