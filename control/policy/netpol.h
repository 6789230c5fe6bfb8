/* SPDX-License-Identifier: BSD-3-Clause */
/* Network policy running state (netpol.c). Control thread only. */
#ifndef VS_NETPOL_H
#define VS_NETPOL_H

#include "vs_types.h"
#include "control/model/err.h"
#include "control/model/netpol_cfg.h"
#include "control/model/policy.h"
#include "dataplane/policy/policy_dp.h"

#define VS_POLICIES_MAX 4096
#define VS_NP_EVENTS 1024	/* denied flows kept for monitor.drops */

struct vs_policy_entry {
	struct vs_policy_id id;
	json_t *obj;	/* as applied (checked) */
	struct vs_pod_peers peers;	/* obj's pod peers (vs_netpol_port_matters) */
	uint64_t seq;	/* unique per applied version */
	uint32_t n_rules[VS_DIRS];
	uint64_t *hits[VS_DIRS];	/* per rule, from compiled sets already replaced */
};

struct vs_np_event {
	uint64_t seq;
	struct vs_deny_event ev;
	uint64_t policy_seq;	/* the deciding rule's policy, 0: default deny */
	uint16_t rule;
};

struct vs_netpol {
	uint16_t n_networks;
	struct vs_network networks[VS_NETWORKS_MAX];
	uint16_t n_namespaces;
	struct vs_namespace namespaces[VS_NAMESPACES_MAX];
	uint32_t n_policies;
	struct vs_policy_entry policies[VS_POLICIES_MAX];
	uint64_t next_seq;
	uint32_t gen;
	/* the set the workers use, and the one staged for the next snapshot */
	struct vs_policy_dp *current, *pending;
	struct vs_compiled compiled, pending_compiled;
	struct vs_acl_plan plan, pending_plan;	/* what of them went into the contexts */
	uint64_t *compiled_seq, *pending_seq;	/* policy seq of each rule info */
	bool has_pending;
	struct {
		uint64_t compile_us, build_us, publish_us, swaps;
		uint64_t reused;	/* changes that compiled to the set in use: no rebuild */
		uint64_t shared;	/* new per-port tables over the contexts in use: no rebuild */
		uint64_t skipped;	/* changes to nothing the compiler reads: no compile */
		uint32_t rules, entries;
		uint32_t entries_built;	/* of entries, what went into the contexts (shared once) */
	} stats;
	uint64_t event_seq;
	struct vs_np_event events[VS_NP_EVENTS];
};

extern struct vs_netpol vs_np;

/* The policy model's changes: each goes through vs_change_commit; on error it is undone. */
int vs_netpol_policy_apply(const json_t *v, const char *prefix, json_t **applied,
			   struct vs_err *e);
int vs_netpol_policy_delete(const struct vs_policy_id *id, struct vs_err *e);
int vs_netpol_find(const struct vs_policy_id *id);
struct vs_policy_entry *vs_netpol_entry_by_seq(uint64_t seq);
int vs_netpol_network_add(const struct vs_network *n, struct vs_err *e);
/* Moves an existing network to n->vlan; the policies that name it are compiled again in the
 * same change, so its ports are never covered by the old VLAN's entries and the new one's
 * unprotected. Control thread. */
int vs_netpol_network_set(const struct vs_network *n, struct vs_err *e);
int vs_netpol_network_del(const char *name, struct vs_err *e);
int vs_netpol_namespace_set(const struct vs_namespace *ns, struct vs_err *e);
int vs_netpol_namespace_del(const char *name, struct vs_err *e);
/* The config file's networks and namespaces, at startup before any policy (nothing to
 * compile yet; the policies that refer to them follow). */
void vs_netpol_load(const struct vs_network *nets, uint16_t n_nets,
		    const struct vs_namespace *nss, uint16_t n_nss);
void vs_netpol_clear(void);	/* delete every policy (shutdown, failed startup) */
void vs_netpol_free_all(void);	/* only once no worker runs */

/* netpol_json.c: the JSON views */
json_t *vs_netpol_list_json(void);
int vs_netpol_show_json(const struct vs_policy_id *id, json_t **out, struct vs_err *e);
json_t *vs_netpol_events_json(uint64_t since);

#endif
