/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Pure QoS classification: the traffic class of a received frame from its 802.1p PCP or DSCP
 * and the ingress port's map, or the port default. No DPDK here, so the unit tests run exactly
 * this code. Any thread may call it.
 */
#ifndef VS_CLASSIFY_H
#define VS_CLASSIFY_H

#include <stdbool.h>
#include <stdint.h>

#include "vs_types.h"
#include "dataplane/worker/frame.h"

/* A port's classification rules as the data path runs them. */
struct vs_dp_classify {
	uint8_t trust;	/* enum vs_qos_trust */
	uint8_t def;	/* enum vs_qos_class of frames without the trusted field */
	uint8_t map[64];	/* code point (PCP 0..7 or DSCP 0..63) -> class */
};

/*
 * The class of a frame. data/len: the frame as received, fi: vs_frame_parse of it (the VLAN
 * demux has it already); nic_pcp: the PCP of a tag the NIC stripped into the mbuf, or -1.
 */
static inline uint8_t vs_qos_classify(const struct vs_dp_classify *c, const uint8_t *data,
				      uint32_t len, const struct vs_frame_info *fi, int nic_pcp)
{
	if (c->trust == VS_TRUST_NONE)
		return c->def;
	if (c->trust == VS_TRUST_PCP) {
		if (fi->tagged)
			return c->map[data[14] >> 5];
		return nic_pcp >= 0 ? c->map[nic_pcp & 7] : c->def;
	}
	uint32_t l3 = VS_ETH_HLEN + (fi->tagged ? VS_VLAN_HLEN : 0);
	if (fi->ethertype == VS_ETHERTYPE_IPV4 && len >= l3 + 2 && (data[l3] >> 4) == 4)
		return c->map[data[l3 + 1] >> 2];
	if (fi->ethertype == VS_ETHERTYPE_IPV6 && len >= l3 + 2 && (data[l3] >> 4) == 6)
		return c->map[((data[l3] & 0x0f) << 2) | (data[l3 + 1] >> 6)];
	return c->def;
}

#endif
