/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Pure frame logic shared by the VLAN demux and tx stages: Ethernet/802.1Q
 * parsing and the ingress/egress VLAN rules of a port. No DPDK here, so the
 * unit tests exercise exactly this code without an EAL.
 * Any thread may call these.
 */
#ifndef VS_FRAME_H
#define VS_FRAME_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "vs_types.h"

#define VS_ETH_HLEN 14
#define VS_VLAN_HLEN 4
#define VS_ETHERTYPE_VLAN 0x8100
#define VS_ETHERTYPE_QINQ 0x88a8
#define VS_ETHERTYPE_IPV4 0x0800
#define VS_ETHERTYPE_IPV6 0x86dd
#define VS_ETHERTYPE_ARP 0x0806

struct vs_frame_info {
	bool tagged;	/* an 802.1Q tag is in the frame data */
	uint16_t vid;	/* tag's VLAN id when tagged */
	uint16_t ethertype;	/* the ethertype behind the tag: what the receiver's stack sees */
};

static inline bool vs_mac_is_multicast(const uint8_t *mac)
{
	return mac[0] & 1;	/* broadcast included */
}

/*
 * What a port admits at the Ethernet layer, before any VLAN rule. The same on every kind of
 * port (access, trunk, uplink): vsw switches single-tagged 802.1Q and nothing stacked.
 */
enum vs_frame_verdict {
	VS_FRAME_OK,
	VS_FRAME_RUNT,	/* shorter than its Ethernet (+ 802.1Q) header, zero length included */
	VS_FRAME_SERVICE_TAG,	/* outer 802.1ad (0x88a8) or pre-standard 0x9100/0x9200/0x9300 tag */
	VS_FRAME_STACKED_TAG,	/* any VLAN tag behind the first 802.1Q tag (priority tag too) */
	VS_FRAME_BAD_SRC_MAC,	/* multicast/broadcast or all-zero source: no station sends it */
	VS_FRAME_RESERVED_DST,	/* 01:80:c2:00:00:00-0f: pause, STP, LACP, 802.1X, LLDP; a bridge
				 * never forwards these (IEEE 802.1Q 8.6.3) */
};

static inline bool vs_ethertype_is_tag(uint16_t et)
{
	return et == VS_ETHERTYPE_VLAN || et == VS_ETHERTYPE_QINQ || et == 0x9100 ||
	       et == 0x9200 || et == 0x9300;
}

/*
 * Parses the Ethernet header and at most one 802.1Q tag. nic_tag: the NIC already stripped a
 * tag into the mbuf, so a tag still in the data would be a second one.
 */
static inline enum vs_frame_verdict vs_frame_parse(const uint8_t *data, uint32_t len, bool nic_tag,
						   struct vs_frame_info *fi)
{
	static const uint8_t zero_mac[6];

	fi->tagged = false;
	fi->vid = 0;
	fi->ethertype = 0;
	if (len < VS_ETH_HLEN)
		return VS_FRAME_RUNT;
	uint16_t et = (uint16_t)(data[12] << 8 | data[13]);
	if (et == VS_ETHERTYPE_VLAN && !nic_tag) {
		if (len < VS_ETH_HLEN + VS_VLAN_HLEN)
			return VS_FRAME_RUNT;
		fi->tagged = true;
		fi->vid = (uint16_t)((data[14] << 8 | data[15]) & 0x0fff);
		et = (uint16_t)(data[16] << 8 | data[17]);
		if (vs_ethertype_is_tag(et))
			return VS_FRAME_STACKED_TAG;
	} else if (vs_ethertype_is_tag(et)) {
		return nic_tag ? VS_FRAME_STACKED_TAG : VS_FRAME_SERVICE_TAG;
	}
	fi->ethertype = et;
	if (vs_mac_is_multicast(data + 6) || memcmp(data + 6, zero_mac, 6) == 0)
		return VS_FRAME_BAD_SRC_MAC;
	if (data[0] == 0x01 && data[1] == 0x80 && data[2] == 0xc2 && data[3] == 0 && data[4] == 0 &&
	    (data[5] & 0xf0) == 0)
		return VS_FRAME_RESERVED_DST;
	return VS_FRAME_OK;
}

/* Ingress classification results: a VLAN id, or one of these (negative). */
enum vs_classify_err {
	VS_CLASSIFY_TAGGED_ON_ACCESS = -1,
	VS_CLASSIFY_UNTAGGED_NO_NATIVE = -2,
	VS_CLASSIFY_NOT_ALLOWED = -3,
};

/* The VLAN rules of one port, as the data path sees them. */
struct vs_port_vlan {
	uint8_t mode;	/* enum vs_port_mode */
	uint16_t access_vid;	/* access: the VLAN */
	uint16_t native_vid;	/* trunk: untagged VLAN, 0 = none */
	struct vs_vlan_set allowed;	/* VLANs this port is a member of (access: just one) */
};

/*
 * Which VLAN a frame received on port pv belongs to. A tag with VID 0
 * (priority tag) counts as untagged, as 802.1Q says.
 */
static inline int vs_vlan_classify(const struct vs_port_vlan *pv, bool tagged, uint16_t vid)
{
	if (tagged && vid == 0)
		tagged = false;
	if (pv->mode == VS_MODE_ACCESS)
		return tagged ? VS_CLASSIFY_TAGGED_ON_ACCESS : pv->access_vid;
	if (!tagged) {
		if (pv->native_vid == 0)
			return VS_CLASSIFY_UNTAGGED_NO_NATIVE;
		return pv->native_vid;
	}
	if (vid == VS_VLAN_COUNT - 1 || !vs_vlan_set_has(&pv->allowed, vid))
		return VS_CLASSIFY_NOT_ALLOWED;
	return vid;
}

/* Whether a frame of VLAN vid leaves port pv with a tag. */
static inline bool vs_vlan_egress_tagged(const struct vs_port_vlan *pv, uint16_t vid)
{
	return pv->mode == VS_MODE_TRUNK && vid != pv->native_vid;
}

#endif
