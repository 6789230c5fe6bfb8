/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Network policy, pure part (Jansson only, no DPDK): checking policy objects in their
 * Kubernetes JSON form and compiling a policy set plus the port inventory into flat ACL
 * entries. control/policy/acl.c turns the entries into rte_acl contexts; the unit tests call these
 * functions directly.
 *
 * Kinds: MultiNetworkPolicy (k8s.cni.cncf.io; NetworkPolicy semantics on a secondary network),
 * AdminNetworkPolicy and BaselineAdminNetworkPolicy (policy.networking.k8s.io/v1alpha1).
 * Tiers, evaluated in this order for each direction of a packet:
 *   admin     highest-priority matching ANP rule: Allow, Deny, or Pass (to the next tiers)
 *   tenant    if any MultiNetworkPolicy selects the port for the direction: allowed if one of
 *             their rules matches, else denied (default deny)
 *   baseline  highest matching BANP rule: Allow or Deny; nothing matched: allowed
 * A packet between two VM ports needs the sender's egress and the receiver's ingress allowed.
 */
#ifndef VS_POLICY_H
#define VS_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "vs_types.h"
#include "control/model/err.h"
#include "control/model/netpol_cfg.h"
#include "control/model/port_cfg.h"

#define VS_POLICY_NAME_MAX 254	/* Kubernetes object names: 253 characters */
#define VS_POLICY_RULES_MAX 16384	/* rules of one policy, per direction */
#define VS_POLICY_PORTS_MAX 1024	/* ports of one rule */
/* Remote prefixes the ipBlocks (except blocks subtracted) or networks of one rule's peers may
 * expand to: checked by vs_policy_check, so that a checked policy always compiles. */
#define VS_POLICY_PEER_PREFIXES_MAX 4096
#define VS_ANP_PRIORITY_MAX 1000
#define VS_POLICY_FOR "k8s.v1.cni.cncf.io/policy-for"
#define VS_ACL_PRIORITY_MAX 0x1FFFFFFF	/* rte_acl's RTE_ACL_MAX_PRIORITY (checked in acl.c) */

enum vs_pol_kind { VS_POL_NP, VS_POL_ANP, VS_POL_BANP, VS_POL_KINDS };
/* tiers, actions, directions, port flags: dataplane/policy/policy_dp.h (the data path's
 * numbering) */

struct vs_policy_id {
	uint8_t kind;	/* enum vs_pol_kind */
	char name[VS_POLICY_NAME_MAX];
	char ns[VS_NS_NAME_MAX];	/* MultiNetworkPolicy only */
};

/* One rule of one policy: the unit of hit counting. userdata of its ACL entries = index + 1. */
struct vs_rule_info {
	uint32_t policy;	/* index in the compiled policy array */
	uint16_t rule;	/* index in the policy's ingress or egress list */
	uint8_t dir;
	uint8_t tier;
	uint8_t action;
};

/* One rte_acl rule: traffic of port slot in direction dir whose remote end is in
 * addr/plen and whose destination port is lo..hi. */
struct vs_acl_entry {
	uint32_t info;	/* index into infos */
	uint32_t priority;	/* higher wins within a tier */
	uint16_t slot;
	uint8_t dir;
	uint8_t tier;
	uint8_t family;	/* 4 or 6 */
	uint8_t proto;	/* IP protocol, 0 = any */
	uint8_t plen;
	uint8_t addr[16];
	uint16_t port_lo, port_hi;
};

struct vs_compiled {
	uint32_t n_infos, n_entries, cap_entries, cap_infos;
	struct vs_rule_info *infos;
	struct vs_acl_entry *entries;
	uint8_t port_flags[VS_MAX_PORTS];
	uint16_t selected[VS_MAX_PORTS];	/* how many policies select each port */
};

/* A port as the compiler sees it. */
struct vs_inv_port {
	uint16_t slot;
	const struct vs_port_cfg *cfg;
};

struct vs_inventory {
	const struct vs_inv_port *ports;
	unsigned int n_ports;
	const struct vs_namespace *ns;
	unsigned int n_ns;
	const struct vs_network *nets;
	unsigned int n_nets;
};

/* Checks one policy object; fills id. Errors name the JSON path under prefix. */
int vs_policy_check(const json_t *obj, const char *prefix, const struct vs_network *nets,
		    unsigned int n_nets, struct vs_policy_id *id, struct vs_err *e);
const char *vs_policy_kind_name(uint8_t kind);
/* The next network of a policy-for annotation ("a, ns/b") into name and len; returns where
 * to go on, NULL when there is none. */
const char *vs_policy_for_next(const char *s, const char **name, size_t *len);
int vs_policy_kind_parse(const char *s);	/* or -1 */
const char *vs_tier_name(uint8_t tier);
const char *vs_action_name(uint8_t action);

/* Compiles checked policies against the inventory. out is zeroed first; free with
 * vs_compiled_free. Fails only on memory or when a limit is exceeded. */
int vs_policy_compile(const json_t *const *pols, unsigned int n, const struct vs_inventory *inv,
		      struct vs_compiled *out, struct vs_err *e);
void vs_compiled_free(struct vs_compiled *c);
/* policy_share.c. Whether two compiled sets would build the same rte_acl contexts and port
 * flags. */
bool vs_compiled_same(const struct vs_compiled *a, const struct vs_compiled *b);
/* Whether a and b are the same port to the compiler (what vs_policy_compile reads of a port:
 * type, mode, VLAN, namespace, labels, IPs). Byte-wise: it may say "changed" for an equal
 * pair (a recompile), never "same" for a changed one. */
bool vs_policy_port_inputs_same(const struct vs_port_cfg *a, const struct vs_port_cfg *b);

/* What goes into the rte_acl contexts: ports with the same entries but the slot share the
 * lowest such slot's copy. */
struct vs_acl_plan {
	uint8_t acl_slot[VS_MAX_PORTS];	/* whose entries port s's checks use */
	uint32_t n_keep;
	uint32_t *keep;	/* indexes of the entries that go in, ascending */
};
int vs_acl_plan(const struct vs_compiled *c, struct vs_acl_plan *p);	/* -ENOMEM */
void vs_acl_plan_free(struct vs_acl_plan *p);
/* Whether two sets' contexts would be the same (same rules, same kept entries). */
bool vs_acl_plans_same(const struct vs_compiled *a, const struct vs_acl_plan *pa,
		       const struct vs_compiled *b, const struct vs_acl_plan *pb);
/* The port slots a (checked) policy selects; returns how many. */
unsigned int vs_policy_selected(const json_t *pol, const struct vs_inventory *inv,
				uint16_t *slots);

/* A policy's peers that take pods' addresses (selector peers of every rule), pointing into
 * the (checked) policy object: built once per applied policy for vs_policy_port_matters. */
struct vs_pod_peer {
	const json_t *ns_sel;	/* NULL: the policy's namespace (in_pol_ns) or none */
	const json_t *pod_sel;	/* NULL: any pod */
	bool in_pol_ns;	/* MultiNetworkPolicy podSelector alone */
};
struct vs_pod_peers {
	unsigned int n;
	struct vs_pod_peer *p;
};
int vs_policy_pod_peers(const json_t *pol, struct vs_pod_peers *out);	/* -ENOMEM */
void vs_pod_peers_free(struct vs_pod_peers *pp);
/* Whether port pc can change what pol (with its pod peers) compiles to, against inv with or
 * without pc. False only when pol neither selects pc nor takes its addresses into a peer:
 * then adding, removing or changing pc alone needs no recompile. Conservative: may say true
 * for a port that changes nothing. */
bool vs_policy_port_matters(const json_t *pol, const struct vs_pod_peers *peers,
			    const struct vs_inventory *inv, const struct vs_port_cfg *pc);

/* Whether a Kubernetes LabelSelector (checked) matches labels. NULL selector: nothing;
 * {} matches everything. */
bool vs_selector_match(const json_t *sel, const struct vs_labels *labels);

#endif
