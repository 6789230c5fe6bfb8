/* SPDX-License-Identifier: BSD-3-Clause */
/* Drop reasons of every data-path stage, one X-macro list per stage. */
#ifndef VS_DROPS_H
#define VS_DROPS_H

/* vlan_demux.c */
#define VS_DROPS_DEMUX(X)                                                      \
	X(RUNT, "runt")                                                       \
	X(TAGGED_ON_ACCESS, "tagged_on_access")                               \
	X(UNTAGGED_NO_NATIVE, "untagged_no_native")                           \
	X(VLAN_NOT_ALLOWED, "vlan_not_allowed")

/* police.c: ingress policer */
#define VS_DROPS_POLICE(X)                                                     \
	X(POLICED_RED, "policed_red")                                         \
	X(POLICED_YELLOW, "policed_yellow")

/* l2_fwd.c */
#define VS_DROPS_L2(X)                                                         \
	X(HAIRPIN, "hairpin")                                                 \
	X(STATIC_MAC_MOVE, "static_mac_move")

/* tx_out.c: counted on the egress port */
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
 * port whose policy denied: the receiver for ingress, the sender for egress) */
#define VS_DROPS_POLICY(X)                                                     \
	X(SPOOF_MAC, "spoof_mac")                                             \
	X(SPOOF_IP, "spoof_ip")                                               \
	X(POLICY_ADMIN_DENY, "policy_admin_deny")                             \
	X(POLICY_DEFAULT_DENY, "policy_default_deny")                         \
	X(POLICY_BASELINE_DENY, "policy_baseline_deny")                       \
	X(CONNTRACK_FULL, "conntrack_full")

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
