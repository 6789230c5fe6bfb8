/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Network policy as the data path runs it: the compiled rte_acl contexts with their rule
 * table, the connection tracker, and the events of denied flows.
 *
 * ACL input (network order, built per packet and direction): {proto, slot|dir, dport,
 * remote address}. "remote" is the source for ingress checks and the destination for egress
 * checks, so one trie serves both directions and every rule matches one address field.
 * Categories are the tiers: one classify gives the best admin, tenant and baseline match.
 *
 * Threads: the control thread builds a struct vs_policy_dp, publishes it in a snapshot and
 * frees it a grace period after it was replaced. Workers only classify and count hits in
 * their own row. Conntrack: workers look up and add (rte_hash: lock-free readers, writers
 * serialised by rte_hash's own lock on add, i.e. once per new connection, never per packet);
 * the control thread expires and deletes, freeing key slots after a grace period.
 */
#ifndef VS_POLICY_DP_H
#define VS_POLICY_DP_H

#include <stdatomic.h>
#include <stdint.h>

#include "vs_types.h"

struct rte_acl_ctx;
struct rte_hash;
struct rte_ring;

/* One numbering for the compiler (control/) and the data path: tiers are ACL categories. */
enum vs_tier { VS_TIER_ADMIN, VS_TIER_TENANT, VS_TIER_BASELINE, VS_TIERS };
enum vs_action { VS_ACT_NONE, VS_ACT_ALLOW, VS_ACT_DENY, VS_ACT_PASS };
enum vs_dir { VS_DIR_INGRESS, VS_DIR_EGRESS, VS_DIRS };

/* Port flags of a compiled set: what the data path must check for a port. */
#define VS_PF_ISOLATED(dir) (1u << (dir))	/* tenant tier: default deny in that direction */
#define VS_PF_POLICED 4u	/* some policy (any tier) selects the port */

#define VS_ACL_CATEGORIES 4	/* admin, tenant, baseline, (unused): a multiple of 4 */
#define VS_ACL_SLOTDIR(slot, dir) ((uint16_t)((slot) << 1 | (dir)))

struct vs_acl_key4 {
	uint8_t proto;
	uint8_t pad[3];
	uint16_t slotdir;	/* big endian */
	uint16_t dport;	/* big endian */
	uint8_t remote[4];
};

struct vs_acl_key6 {
	uint8_t proto;
	uint8_t pad[3];
	uint16_t slotdir;
	uint16_t dport;
	uint8_t remote[16];
};

/* What a rule does; index = ACL userdata - 1. */
struct vs_dp_rule {
	uint8_t action;	/* enum vs_action (the tier is the ACL category that matched) */
};

struct vs_policy_dp {
	struct rte_acl_ctx *acl[2];	/* IPv4, IPv6; NULL: no rules of that family */
	uint32_t gen;	/* changes with every compiled set; conntrack revalidates */
	uint32_t n_rules;
	struct vs_dp_rule *rules;
	uint8_t port_flags[VS_MAX_PORTS];	/* VS_PF_* */
	/* the slot a port's checks look up in acl[]: ports with the same rules share a copy */
	uint8_t acl_slot[VS_MAX_PORTS];
	uint32_t *acl_refs;	/* cp only: sets sharing acl[] (a port change keeps the contexts) */
	uint64_t *hits;	/* [VS_MAX_WORKERS][n_rules]: each worker writes its own row */
};

/* ---- connection tracking ---- */

struct vs_ct_key {
	uint16_t vid;	/* zone: tenants may reuse a subnet on two VLANs */
	uint8_t proto;
	uint8_t family;
	uint16_t sport, dport;	/* host order; ICMP echo: identifier, type */
	uint8_t src[16];
	uint8_t dst[16];
} __attribute__((aligned(8)));	/* rte_hash_crc reads keys 8 bytes at a time */

enum vs_ct_state {
	VS_CT_NEW,	/* only the originator has spoken */
	VS_CT_ESTABLISHED,	/* the reply direction has spoken (TCP: SYN-ACK) */
	VS_CT_FIN,	/* TCP: one side sent FIN */
	VS_CT_CLOSED,	/* TCP: RST, or FIN from both sides */
	VS_CT_DEAD,	/* no longer allowed by policy: only waits to be deleted */
};

/*
 * A connection; lives at the hash position of its original-direction key.
 * Owners: the one worker that wins the link CAS (NONE -> BUSY, policy.c ct_create) writes key,
 * rev_pos, in_port, out_port and charged, then publishes them with the release store of the
 * link; workers read them only after an acquire load of a link naming this entry, the control
 * thread only for entries that are live. last_seen, gen, state and fin are written by any
 * worker that sees the connection's packets (relaxed: a lost update costs a refresh or one
 * more re-check, as gen is only advanced by a check that passed) and never by the control
 * thread; live is set by the creating worker and cleared by the control thread when it
 * deletes the entry.
 */
struct vs_ct_conn {
	struct vs_ct_key key;	/* original direction */
	int32_t rev_pos;	/* hash position of the reply key */
	uint16_t in_port, out_port;	/* original direction */
	uint16_t charged;	/* the port whose share it counts against (vs_ct.port_count) */
	_Atomic uint32_t last_seen;	/* coarse seconds (vs_dp.clock_s) */
	_Atomic uint32_t gen;	/* policy generation it was last allowed by */
	_Atomic uint8_t state;
	_Atomic uint8_t fin;	/* bit 0: originator sent FIN, bit 1: replier sent FIN */
	_Atomic uint8_t live;	/* both keys in: the control thread may expire it */
};

/*
 * Fragments of a datagram whose first fragment passed: later fragments carry no ports, so
 * they take the first one's verdict, looked up by {zone, proto, family, id, src, dst} (as
 * Linux conntrack and OVS key their reassembly). A later fragment with no entry is dropped
 * (frag_no_first): fragments that overtake their first are lost, as with a reassembler's
 * timeout. Workers add entries (rte_hash multi-writer add) and refresh them; the control
 * thread expires them after the fragment timeout.
 */
struct vs_frag_key {
	uint16_t vid;
	uint8_t proto;
	uint8_t family;
	uint32_t id;
	uint8_t src[16];
	uint8_t dst[16];
} __attribute__((aligned(8)));

struct vs_frag_entry {
	uint16_t in_port, out_port;	/* of the first fragment */
	uint16_t sport, dport;	/* the datagram's ports, to check it again after a change */
	_Atomic uint16_t charged;	/* set by the worker that made it live (vs_frags.port_count) */
	_Atomic uint32_t last_seen;
	_Atomic uint32_t gen;	/* policy generation that allowed it */
	_Atomic uint8_t allowed;
	_Atomic uint8_t live;	/* fields set: workers may use it (cp: clears on delete) */
};

struct vs_frags {
	struct rte_hash *h;
	uint32_t size;	/* datagrams tracked at most */
	uint32_t n_pos;
	struct vs_frag_entry *e;	/* by hash position */
	_Atomic uint32_t count;
	uint32_t per_port;	/* datagrams one port may have tracked at once */
	_Atomic uint32_t port_count[VS_MAX_PORTS];	/* by charged port */
	uint64_t expired;	/* cp only */
};

#define VS_CT_LINK_NONE 0u	/* link[pos]: (conn position << 1 | reply) + 1 */
#define VS_CT_LINK_BUSY UINT32_MAX	/* a worker is setting the connection up: a miss */

struct vs_ct {
	struct rte_hash *h;
	uint32_t size;	/* connections allowed */
	uint32_t n_pos;	/* hash key positions */
	struct vs_ct_conn *conns;	/* by position of the original key */
	_Atomic uint32_t *link;	/* by position: which connection, which direction */
	_Atomic uint32_t count;	/* connections in the table (dp: +, cp: -) */
	uint32_t per_port;	/* connections one port may have at once */
	_Atomic uint32_t port_count[VS_MAX_PORTS];	/* by charged port (dp: +, cp: -) */
	/* cp only */
	uint64_t expired, deleted_dead;
	struct vs_frags frags;
};

/* A denied flow for `monitor drops`. */
struct vs_deny_event {
	uint8_t family, proto;
	uint8_t reason;	/* enum vs_drop */
	uint8_t dir;	/* direction of the check that denied */
	uint16_t in_port, out_port, vid, sport, dport;
	uint32_t rule;	/* rule index + 1, 0: default deny */
	uint32_t time_s;
	uint8_t src[16], dst[16];
};

#define VS_DENY_EVENTS_PER_S 100	/* per worker: the rest is counted, not reported */

#endif
