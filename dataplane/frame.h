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

#include "vs_types.h"

#define VS_ETH_HLEN 14
#define VS_VLAN_HLEN 4
#define VS_ETHERTYPE_VLAN 0x8100
#define VS_ETHERTYPE_QINQ 0x88a8

struct vs_frame_info {
	bool tagged;	/* an 802.1Q tag is in the frame data */
	uint16_t vid;	/* tag's VLAN id when tagged */
	uint16_t ethertype;	/* inner ethertype */
};

/* Returns false when the frame is too short to be Ethernet (a runt). */
static inline bool vs_frame_parse(const uint8_t *data, uint32_t len, struct vs_frame_info *fi)
{
	if (len < VS_ETH_HLEN)
		return false;
	uint16_t et = (uint16_t)(data[12] << 8 | data[13]);
	fi->tagged = false;
	fi->vid = 0;
	if (et == VS_ETHERTYPE_VLAN) {
		if (len < VS_ETH_HLEN + VS_VLAN_HLEN)
			return false;
		fi->tagged = true;
		fi->vid = (uint16_t)((data[14] << 8 | data[15]) & 0x0fff);
		et = (uint16_t)(data[16] << 8 | data[17]);
	}
	fi->ethertype = et;
	return true;
}

static inline bool vs_mac_is_multicast(const uint8_t *mac)
{
	return mac[0] & 1;	/* broadcast included */
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
