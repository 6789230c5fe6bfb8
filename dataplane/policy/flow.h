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

#include "dataplane/worker/frame.h"

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
	VS_FLOW_NOT_IP,	/* ARP and anything not IP */
	VS_FLOW_BYPASS,	/* IP that policy never blocks: ND, RS/RA, MLD */
	VS_FLOW_IP,	/* subject to policy */
};

enum vs_frag {
	VS_FRAG_NONE,	/* not a fragment (an IPv6 atomic fragment counts as none) */
	VS_FRAG_FIRST,	/* offset 0, more to come: carries the L4 header */
	VS_FRAG_LATER,	/* offset > 0: no L4 header, takes its datagram's verdict */
};

/*
 * What is wrong with an IP packet, if anything. Each is a drop reason of the VLAN demux
 * (drops.h), on every port: a receiver's stack would discard these packets, and a filter that
 * parsed them differently from the receiver could be slipped past.
 */
enum vs_l3_verdict {
	VS_L3_OK,
	VS_L3_TRUNCATED,	/* the fixed IPv4 (20) or IPv6 (40) header is cut short */
	VS_L3_BAD_HEADER,	/* wrong version, IHL < 5, header beyond the frame, total < IHL */
	VS_L3_BAD_LENGTH,	/* the IP length field reaches past the end of the frame */
	VS_L3_EXT_CHAIN,	/* IPv6 extension headers cut short, out of order (hop-by-hop not
				 * first, two fragment headers) or more than VS_IP6_EXT_MAX */
	VS_L3_L4_TRUNCATED,	/* an unfragmented TCP/UDP/SCTP/ICMP header cut short */
	VS_L3_FRAG_TINY,	/* a first fragment without the whole L4 header (RFC 1858, 7112) */
	VS_L3_FRAG_OVERLAP,	/* a later fragment whose offset lands inside the L4 header */
};

#define VS_IP6_EXT_MAX 8	/* extension headers walked before the chain is refused */

/* What the VLAN demux learnt of the L3 packet; kept in the packet's metadata. */
struct vs_l3_info {
	uint8_t kind;	/* enum vs_flow_kind */
	uint8_t family;	/* 4, 6; 0 when not IP */
	uint8_t proto;	/* upper-layer protocol */
	uint8_t frag;	/* enum vs_frag */
	uint16_t l4_off;	/* from the start of the IP header */
	uint32_t frag_id;	/* IPv4 identification or IPv6 fragment header id */
};

struct vs_flow {
	uint8_t family;	/* 4 or 6 */
	uint8_t proto;
	uint8_t tcp_flags;
	uint8_t icmp_type;
	uint16_t sport, dport;	/* host order; ICMP echo: sport = identifier, dport = type */
	uint8_t src[16], dst[16];	/* IPv4 in the first 4 bytes */
	bool l4;	/* ports present (not a later fragment, a protocol with ports) */
	uint8_t frag;	/* enum vs_frag */
	uint32_t frag_id;
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

/* The shortest header of an upper-layer protocol whose fields policy reads; 0: none read. */
static inline uint32_t vs_l4_min_len(uint8_t proto)
{
	switch (proto) {
	case VS_PROTO_TCP:
		return 20;
	case VS_PROTO_SCTP:
		return 12;
	case VS_PROTO_UDP:
	case VS_PROTO_ICMP:
	case VS_PROTO_ICMPV6:
		return 8;
	default:
		return 0;
	}
}

/* The verdict on the L4 header of a packet that is not a later fragment. */
static inline enum vs_l3_verdict vs_l3_l4_check(struct vs_l3_info *li, uint32_t off, uint32_t end)
{
	li->l4_off = (uint16_t)off;
	if (off + vs_l4_min_len(li->proto) <= end)
		return VS_L3_OK;
	return li->frag == VS_FRAG_FIRST ? VS_L3_FRAG_TINY : VS_L3_L4_TRUNCATED;
}

static inline enum vs_l3_verdict vs_ip4_parse(const uint8_t *l3, uint32_t len, uint32_t wire,
					   struct vs_l3_info *li)
{
	if (wire < 20 || len < 20)
		return VS_L3_TRUNCATED;
	uint32_t ihl = (uint32_t)(l3[0] & 0x0f) * 4;
	uint32_t total = vs_be16(l3 + 2);
	if ((l3[0] >> 4) != 4 || ihl < 20 || ihl > len || total < ihl)
		return VS_L3_BAD_HEADER;
	if (total > wire)
		return VS_L3_BAD_LENGTH;
	li->family = 4;
	li->proto = l3[9];
	li->frag_id = vs_be16(l3 + 4);
	/* The MF flag stored at once: kept for later, the flags/offset word was spilled as 16
	 * bits and reloaded as 32, a failed store forward that stalled every frame (perf
	 * annotate, perf/RESULTS.md 2026-12-03). */
	uint16_t fo = vs_be16(l3 + 6);
	li->frag = (fo & 0x2000) ? VS_FRAG_FIRST : VS_FRAG_NONE;
	uint32_t offset = (uint32_t)(fo & 0x1fff) * 8;
	if (offset > 0) {
		li->frag = VS_FRAG_LATER;
		li->l4_off = (uint16_t)ihl;
		return offset < vs_l4_min_len(li->proto) ? VS_L3_FRAG_OVERLAP : VS_L3_OK;
	}
	return vs_l3_l4_check(li, ihl, total < len ? total : len);
}

static inline enum vs_l3_verdict vs_ip6_parse(const uint8_t *l3, uint32_t len, uint32_t wire,
					   struct vs_l3_info *li)
{
	if (wire < 40 || len < 40)
		return VS_L3_TRUNCATED;
	if ((l3[0] >> 4) != 6)
		return VS_L3_BAD_HEADER;
	uint32_t end = 40 + (uint32_t)vs_be16(l3 + 4);
	if (end > wire)
		return VS_L3_BAD_LENGTH;
	if (end > len)
		end = len;	/* headers must be in the first segment */
	li->family = 6;
	uint8_t nh = l3[6], frag = VS_FRAG_NONE;
	uint32_t off = 40;
	bool seen_frag = false;
	for (int i = 0;; i++) {
		uint32_t hlen;
		if (nh == 0 || nh == 43 || nh == 60 || nh == 135 || nh == 139 || nh == 140) {
			/* hop-by-hop (first only), routing, destination options, mobility, HIP,
			 * shim6: (length + 1) x 8 bytes */
			if (nh == 0 && i != 0)
				return VS_L3_EXT_CHAIN;
			if (off + 8 > end)
				return VS_L3_EXT_CHAIN;
			hlen = ((uint32_t)l3[off + 1] + 1) * 8;
		} else if (nh == 51) {	/* authentication header: (length + 2) x 4 bytes */
			if (off + 8 > end)
				return VS_L3_EXT_CHAIN;
			hlen = ((uint32_t)l3[off + 1] + 2) * 4;
		} else if (nh == 44) {	/* fragment */
			if (seen_frag || off + 8 > end)
				return VS_L3_EXT_CHAIN;
			seen_frag = true;
			hlen = 8;
			uint16_t fo = vs_be16(l3 + off + 2);
			li->frag_id = (uint32_t)vs_be16(l3 + off + 4) << 16 | vs_be16(l3 + off + 6);
			if ((fo & 0xfff8) != 0) {
				li->frag = VS_FRAG_LATER;
				li->proto = l3[off];
				li->l4_off = (uint16_t)(off + 8);
				return (uint32_t)(fo & 0xfff8) < vs_l4_min_len(li->proto) ?
					       VS_L3_FRAG_OVERLAP :
					       VS_L3_OK;
			}
			frag = (fo & 1) ? VS_FRAG_FIRST : VS_FRAG_NONE;
			li->frag = frag;
		} else {
			break;	/* the upper layer (or no next header, ESP: opaque) */
		}
		if (i + 1 >= VS_IP6_EXT_MAX || off + hlen > end)
			return VS_L3_EXT_CHAIN;
		nh = l3[off];
		off += hlen;
	}
	li->proto = nh;
	enum vs_l3_verdict v = vs_l3_l4_check(li, off, end);
	/* Neighbour discovery, RS/RA, redirect and MLD keep the network working: never blocked,
	 * like ARP. Decided from locals: reading the fields back as one word stalled. */
	if (v == VS_L3_OK && nh == VS_PROTO_ICMPV6 && frag == VS_FRAG_NONE) {
		uint8_t t = l3[off];
		if ((t >= 130 && t <= 137) || t == 143)
			li->kind = VS_FLOW_BYPASS;
	}
	return v;
}

/*
 * Checks the IP packet at l3 and records where its parts are. len: bytes of it in the
 * first segment; wire: bytes of it in the whole frame (padding included). Non-IP ethertypes
 * are VS_L3_OK with kind VS_FLOW_NOT_IP.
 */
static inline enum vs_l3_verdict vs_l3_parse(const uint8_t *l3, uint32_t len, uint32_t wire,
					     uint16_t ethertype, struct vs_l3_info *li)
{
	memset(li, 0, sizeof(*li));
	if (ethertype != VS_ETHERTYPE_IPV4 && ethertype != VS_ETHERTYPE_IPV6)
		return VS_L3_OK;
	li->kind = VS_FLOW_IP;	/* vs_ip6_parse may make it VS_FLOW_BYPASS */
	enum vs_l3_verdict v = ethertype == VS_ETHERTYPE_IPV4 ? vs_ip4_parse(l3, len, wire, li) :
								 vs_ip6_parse(l3, len, wire, li);
	if (v != VS_L3_OK)
		li->kind = VS_FLOW_NOT_IP;	/* dropped anyway: as it was before the parse */
	return v;
}

/* The 5-tuple of a packet vs_l3_parse accepted. */
static inline void vs_flow_extract(const uint8_t *l3, const struct vs_l3_info *li,
				   struct vs_flow *f)
{
	memset(f, 0, sizeof(*f));
	f->family = li->family;
	f->proto = li->proto;
	f->frag = li->frag;
	f->frag_id = li->frag_id;
	if (li->family == 4) {
		memcpy(f->src, l3 + 12, 4);
		memcpy(f->dst, l3 + 16, 4);
	} else {
		memcpy(f->src, l3 + 8, 16);
		memcpy(f->dst, l3 + 24, 16);
	}
	if (li->frag == VS_FRAG_LATER || vs_l4_min_len(li->proto) == 0)
		return;
	const uint8_t *l4 = l3 + li->l4_off;
	f->l4 = true;
	if (li->proto == VS_PROTO_ICMP || li->proto == VS_PROTO_ICMPV6) {
		f->icmp_type = l4[0];
		if (vs_icmp_is_echo_request(f->family, l4[0]) ||
		    l4[0] == vs_icmp_echo_reply_type(f->family)) {
			f->sport = vs_be16(l4 + 4);
			f->dport = l4[0];
		}
		return;
	}
	f->sport = vs_be16(l4);
	f->dport = vs_be16(l4 + 2);
	if (li->proto == VS_PROTO_TCP)
		f->tcp_flags = l4[13];
}

/*
 * Both of the above for one packet (tests, tools): the kind, or -1 (with *why set) when the
 * packet is malformed. l3 points after the Ethernet (and VLAN) header; len is what is left.
 */
static inline int vs_flow_parse(const uint8_t *l3, uint32_t len, uint16_t ethertype,
				struct vs_flow *f, enum vs_l3_verdict *why)
{
	struct vs_l3_info li;
	*why = vs_l3_parse(l3, len, len, ethertype, &li);
	memset(f, 0, sizeof(*f));
	if (*why != VS_L3_OK)
		return -1;
	if (li.kind != VS_FLOW_NOT_IP)
		vs_flow_extract(l3, &li, f);
	return li.kind;
}

#endif
