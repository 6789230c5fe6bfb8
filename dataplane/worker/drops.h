/* SPDX-License-Identifier: BSD-3-Clause */
/* Drop reasons of every data-path stage, one X-macro list per stage (the spoof check's,
 * which runs in the demux, sit with policy's: both are about what a port may send). */
#ifndef VS_DROPS_H
#define VS_DROPS_H

/* vlan_demux.c, counted on the port that sent the frame. Ethernet (frame.h: what any port
 * admits), VLAN rules of the port, then the L3 checks (flow.h, in vs_l3_verdict's order). */
#define VS_DROPS_DEMUX(X)                                                      \
	X(RUNT, "runt")                                                       \
	X(SERVICE_TAG, "service_tag")                                         \
	X(STACKED_TAG, "stacked_tag")                                         \
	X(BAD_SRC_MAC, "bad_src_mac")                                         \
	X(RESERVED_DST, "reserved_dst")                                       \
	X(TAGGED_ON_ACCESS, "tagged_on_access")                               \
	X(UNTAGGED_NO_NATIVE, "untagged_no_native")                           \
	X(VLAN_NOT_ALLOWED, "vlan_not_allowed")                               \
	X(OVERSIZE, "oversize")                                               \
	X(L3_TRUNCATED, "l3_truncated")                                       \
	X(IP_BAD_HEADER, "ip_bad_header")                                     \
	X(IP_BAD_LENGTH, "ip_bad_length")                                     \
	X(IPV6_EXT_CHAIN, "ipv6_ext_chain")                                   \
	X(L4_TRUNCATED, "l4_truncated")                                       \
	X(FRAG_TINY, "frag_tiny")                                             \
	X(FRAG_OVERLAP, "frag_overlap")

/* police.c: ingress policer */
#define VS_DROPS_POLICE(X)                                                     \
	X(POLICED_RED, "policed_red")                                         \
	X(POLICED_YELLOW, "policed_yellow")

/* l2_fwd.c */
#define VS_DROPS_L2(X)                                                         \
	X(HAIRPIN, "hairpin")                                                 \
	X(STATIC_MAC_MOVE, "static_mac_move")

/* tx_out.c: counted on the egress port, but mtu_exceeded on the port that sent the frame */
#define VS_DROPS_TX(X)                                                         \
	X(FLOOD_NO_MEMBERS, "flood_no_members")                               \
	X(NO_MBUF, "no_mbuf")                                                 \
	X(MTU_EXCEEDED, "mtu_exceeded")                                       \
	X(TAG_NO_ROOM, "tag_no_room")                                         \
	X(PORT_DOWN, "port_down")                                             \
	X(TX_FULL, "tx_full")

/* qos.c: egress scheduler, counted on the egress port */
#define VS_DROPS_QOS(X)                                                        \
	X(QOS_QUEUE_FULL, "qos_queue_full")                                   \
	X(QOS_HANDOFF_FULL, "qos_handoff_full")

/* vlan_demux.c: spoof check (counted on the sending port); policy.c: network policy (counted on the
 * port whose policy denied: the receiver for ingress, the sender for egress; policy_unclassified,
 * frag_no_first, frag_table_full and conntrack_full on the sender; the *_port_limit ones on the
 * VM port whose share of the table is used up) */
#define VS_DROPS_POLICY(X)                                                     \
	X(SPOOF_MAC, "spoof_mac")                                             \
	X(SPOOF_IP, "spoof_ip")                                               \
	X(POLICY_ADMIN_DENY, "policy_admin_deny")                             \
	X(POLICY_DEFAULT_DENY, "policy_default_deny")                         \
	X(POLICY_BASELINE_DENY, "policy_baseline_deny")                       \
	X(CONNTRACK_FULL, "conntrack_full")                                   \
	X(POLICY_UNCLASSIFIED, "policy_unclassified")                         \
	X(FRAG_NO_FIRST, "frag_no_first")                                     \
	X(FRAG_TABLE_FULL, "frag_table_full")                                 \
	X(CONNTRACK_PORT_LIMIT, "conntrack_port_limit")                       \
	X(FRAG_PORT_LIMIT, "frag_port_limit")

#define VS_DROPS(X) VS_DROPS_DEMUX(X) VS_DROPS_POLICE(X) VS_DROPS_POLICY(X) VS_DROPS_L2(X) \
	VS_DROPS_TX(X) VS_DROPS_QOS(X)

enum vs_drop {
#define X(id, name) VS_DROP_##id,
	VS_DROPS(X)
#undef X
	VS_DROP__COUNT
};

static inline const char *vs_drop_name(enum vs_drop d)
{
	static const char *const names[] = {
#define X(id, name) name,
		VS_DROPS(X)
#undef X
	};
	return names[d];
}

#endif
