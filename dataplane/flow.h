/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Pure L3/L4 parsing for network policy and the spoof check: the 5-tuple of an IPv4/IPv6
 * packet, and which packets policy never blocks (ARP, IPv6 neighbour discovery and router
 * solicitation/advertisement, MLD). No DPDK: the unit tests call it. Any thread.
 */
#ifndef VS_FLOW_H
#define VS_FLOW_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define VS_ETHERTYPE_IPV4 0x0800
#define VS_ETHERTYPE_IPV6 0x86dd
#define VS_ETHERTYPE_ARP 0x0806

#define VS_PROTO_ICMP 1
#define VS_PROTO_TCP 6
#define VS_PROTO_UDP 17
#define VS_PROTO_ICMPV6 58
#define VS_PROTO_SCTP 132

#define VS_TCP_FIN 0x01
#define VS_TCP_SYN 0x02
#define VS_TCP_RST 0x04
#define VS_TCP_ACK 0x10

enum vs_flow_kind {
	VS_FLOW_NOT_IP,	/* ARP and anything not IP: policy does not apply */
	VS_FLOW_BYPASS,	/* IP that policy never blocks: ND, RS/RA, MLD */
	VS_FLOW_IP,	/* subject to policy */
};

struct vs_flow {
	uint8_t family;	/* 4 or 6 */
	uint8_t proto;
	uint8_t tcp_flags;
	uint8_t icmp_type;
	uint16_t sport, dport;	/* host order; ICMP echo: sport = identifier, dport = type */
	uint8_t src[16], dst[16];	/* IPv4 in the first 4 bytes */
	bool l4;	/* ports present (not a non-first fragment, not truncated) */
};

static inline uint16_t vs_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline bool vs_icmp_is_echo_request(uint8_t family, uint8_t type)
{
	return type == (family == 4 ? 8 : 128);
}

static inline uint8_t vs_icmp_echo_reply_type(uint8_t family)
{
	return family == 4 ? 0 : 129;
}

static inline void vs_flow_l4(struct vs_flow *f, const uint8_t *l4, uint32_t len)
{
	f->l4 = false;
	switch (f->proto) {
	case VS_PROTO_TCP:
		if (len < 20)
			return;
		f->tcp_flags = l4[13];
		/* fall through */
	case VS_PROTO_UDP:
	case VS_PROTO_SCTP:
		if (len < 8)
			return;
		f->sport = vs_be16(l4);
		f->dport = vs_be16(l4 + 2);
		f->l4 = true;
		return;
	case VS_PROTO_ICMP:
	case VS_PROTO_ICMPV6:
		if (len < 8)
			return;
		f->icmp_type = l4[0];
		bool echo = l4[0] == (f->family == 4 ? 8 : 128) || l4[0] == (f->family == 4 ? 0 : 129);
		if (echo) {
			f->sport = vs_be16(l4 + 4);
			f->dport = l4[0];
		}
		f->l4 = true;
		return;
	default:
		return;
	}
}

/* l3 points after the Ethernet (and VLAN) header; len is what is left of the frame. */
static inline enum vs_flow_kind vs_flow_parse(const uint8_t *l3, uint32_t len, uint16_t ethertype,
					      struct vs_flow *f)
{
	memset(f, 0, sizeof(*f));
	if (ethertype == VS_ETHERTYPE_IPV4) {
		if (len < 20 || (l3[0] >> 4) != 4)
			return VS_FLOW_NOT_IP;	/* not a valid IPv4 header: leave it alone */
		uint32_t ihl = (uint32_t)(l3[0] & 0x0f) * 4;
		uint16_t total = vs_be16(l3 + 2);
		f->family = 4;
		f->proto = l3[9];
		memcpy(f->src, l3 + 12, 4);
		memcpy(f->dst, l3 + 16, 4);
		if (ihl < 20 || ihl > len)
			return VS_FLOW_IP;
		if (total < len && total >= ihl)
			len = total;	/* Ethernet padding is not payload */
		/* Non-first fragments carry no ports: only port-less rules match them. */
		if ((vs_be16(l3 + 6) & 0x1fff) != 0)
			return VS_FLOW_IP;
		vs_flow_l4(f, l3 + ihl, len - ihl);
		return VS_FLOW_IP;
	}
	if (ethertype != VS_ETHERTYPE_IPV6)
		return VS_FLOW_NOT_IP;
	if (len < 40 || (l3[0] >> 4) != 6)
		return VS_FLOW_NOT_IP;
	f->family = 6;
	memcpy(f->src, l3 + 8, 16);
	memcpy(f->dst, l3 + 24, 16);
	uint32_t plen = vs_be16(l3 + 4);
	if (40 + plen < len)
		len = 40 + plen;
	uint8_t nh = l3[6];
	uint32_t off = 40;
	/* Skip the extension headers that may precede the upper layer (a few, bounded). */
	for (int i = 0; i < 4; i++) {
		if (nh == 0 || nh == 43 || nh == 60) {	/* hop-by-hop, routing, destination */
			if (off + 8 > len)
				break;
			uint8_t next = l3[off];
			off += (uint32_t)(l3[off + 1] + 1) * 8;
			nh = next;
		} else if (nh == 44) {	/* fragment */
			if (off + 8 > len)
				break;
			uint8_t next = l3[off];
			bool first = (vs_be16(l3 + off + 2) & 0xfff8) == 0;
			off += 8;
			nh = next;
			if (!first) {
				f->proto = nh;
				return VS_FLOW_IP;
			}
		} else {
			break;
		}
	}
	f->proto = nh;
	if (off > len)
		return VS_FLOW_IP;
	vs_flow_l4(f, l3 + off, len - off);
	/* Neighbour discovery, RS/RA, redirect and MLD keep the network working: never
	 * blocked, like ARP. */
	if (nh == VS_PROTO_ICMPV6 && f->l4 &&
	    ((f->icmp_type >= 130 && f->icmp_type <= 137) || f->icmp_type == 143))
		return VS_FLOW_BYPASS;
	return VS_FLOW_IP;
}

#endif
