/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The compiled policy set: what the workers' rte_acl contexts and per-port tables are built
 * from. A change that may alter it stages a new set (compiled from the policies, networks,
 * namespaces and ports; reused or shared with the set in use where it can be); the change
 * transaction (control/core/change.c) puts the staged set in the next snapshot and commits it
 * once published, or aborts it. Deny events name rules of the set in use. Control thread only.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_cycles.h>
#include <rte_ring.h>

#include "control/policy/policy_set.h"
#include "vs_types.h"
#include "control/core/state.h"
#include "control/model/err.h"
#include "control/model/policy.h"
#include "control/model/port_cfg.h"
#include "control/policy/acl.h"
#include "control/policy/netpol.h"
#include "dataplane/policy/policy_dp.h"
#include "dataplane/worker/dp.h"

static uint64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

void vs_netpol_inventory(struct vs_inventory *inv, struct vs_inv_port *ports)
{
	unsigned int n = 0;
	for (uint16_t i = 0; i < VS_MAX_PORTS; i++)
		if (vs_st.ports[i].in_use)
			ports[n++] = (struct vs_inv_port){ i, &vs_st.ports[i].cfg };
	*inv = (struct vs_inventory){ ports, n, vs_np.namespaces, vs_np.n_namespaces,
				      vs_np.networks, vs_np.n_networks };
}

bool vs_netpol_active(void)
{
	return vs_np.n_policies > 0 || vs_np.current != NULL;
}

bool vs_netpol_port_matters(const struct vs_port_cfg *pc)
{
	static struct vs_inv_port ports[VS_MAX_PORTS];
	struct vs_inventory inv;
	vs_netpol_inventory(&inv, ports);
	for (uint32_t i = 0; i < vs_np.n_policies; i++)
		if (vs_policy_port_matters(vs_np.policies[i].obj, &vs_np.policies[i].peers, &inv, pc))
			return true;
	return false;
}

/* Whether c's rules belong to the same policies as those of the set the workers use. */
static bool rules_of_current(const struct vs_compiled *c)
{
	if (vs_np.current == NULL || vs_np.n_policies == 0 || c->n_infos != vs_np.compiled.n_infos)
		return false;
	for (uint32_t i = 0; i < c->n_infos; i++)
		if (vs_np.policies[c->infos[i].policy].seq != vs_np.compiled_seq[i])
			return false;
	return true;
}

/* Whether c is the set the workers use, down to which policy each rule belongs to. */
static bool same_as_current(const struct vs_compiled *c)
{
	return rules_of_current(c) && vs_compiled_same(c, &vs_np.compiled);
}

int vs_policy_set_stage(struct vs_err *e)
{
	static struct vs_inv_port ports[VS_MAX_PORTS];
	const json_t **objs = NULL;
	struct vs_inventory inv;
	struct vs_compiled c;
	uint64_t t0 = now_us();
	int rc;

	vs_policy_set_abort();
	vs_netpol_inventory(&inv, ports);
	if (vs_np.n_policies > 0 &&
	    (objs = malloc(sizeof(*objs) * vs_np.n_policies)) == NULL)
		return vs_err_set(e, ENOMEM, NULL, "out of memory");
	for (uint32_t i = 0; i < vs_np.n_policies; i++)
		objs[i] = vs_np.policies[i].obj;
	rc = vs_policy_compile((const json_t *const *)objs, vs_np.n_policies, &inv, &c, e);
	free(objs);
	if (rc < 0)
		return rc;
	uint64_t t1 = now_us();
	if (same_as_current(&c)) {
		/* the workers' contexts are already these: nothing to build or swap */
		vs_compiled_free(&c);
		vs_np.stats.compile_us = t1 - t0;
		vs_np.stats.build_us = 0;
		vs_np.stats.reused++;
		return 0;
	}
	struct vs_acl_plan pl;
	if (vs_acl_plan(&c, &pl) < 0) {
		vs_compiled_free(&c);
		return vs_err_set(e, ENOMEM, NULL, "out of memory");
	}
	struct vs_policy_dp *dp = NULL;
	if (vs_np.n_policies > 0) {
		/* Only the per-port tables changed (a port the policies select like another,
		 * coming or going): new tables over the same contexts. A new generation still:
		 * a port's connections are checked again when its flags change. */
		bool share = rules_of_current(&c) &&
			     vs_acl_plans_same(&c, &pl, &vs_np.compiled, &vs_np.plan);
		dp = share ? vs_acl_share(&c, &pl, vs_np.current, ++vs_np.gen, e) :
			     vs_acl_build(&c, &pl, ++vs_np.gen, e);
		if (dp == NULL) {
			vs_acl_plan_free(&pl);
			vs_compiled_free(&c);
			return -e->code;
		}
		vs_np.stats.shared += share;
	}
	vs_np.pending = dp;
	vs_np.pending_compiled = c;
	vs_np.pending_plan = pl;
	vs_np.has_pending = true;	/* from here vs_netpol_abort frees it all */
	vs_np.pending_seq = calloc(c.n_infos + 1, sizeof(uint64_t));
	if (vs_np.pending_seq == NULL) {
		vs_policy_set_abort();
		return vs_err_set(e, ENOMEM, NULL, "out of memory");
	}
	for (uint32_t i = 0; i < c.n_infos; i++)
		vs_np.pending_seq[i] = vs_np.policies[c.infos[i].policy].seq;
	vs_np.stats.compile_us = t1 - t0;
	vs_np.stats.build_us = now_us() - t1;
	vs_np.stats.rules = c.n_infos;
	vs_np.stats.entries = c.n_entries;
	vs_np.stats.entries_built = vs_np.pending_plan.n_keep;
	return 0;
}

/* Hits the workers counted in the set going away, kept with the policy they belong to. */
static void harvest(const struct vs_policy_dp *dp, const struct vs_compiled *c,
		    const uint64_t *seq)
{
	if (dp == NULL)
		return;
	for (uint32_t i = 0; i < c->n_infos; i++) {
		struct vs_policy_entry *p = vs_netpol_entry_by_seq(seq[i]);
		const struct vs_rule_info *ri = &c->infos[i];
		if (p != NULL && ri->rule < p->n_rules[ri->dir])
			p->hits[ri->dir][ri->rule] += vs_acl_hits(dp, i);
	}
}

void vs_policy_set_commit(uint64_t publish_us)
{
	if (!vs_np.has_pending)
		return;
	vs_netpol_drain_events();	/* events name rules of the set going away */
	harvest(vs_np.current, &vs_np.compiled, vs_np.compiled_seq);
	vs_acl_free(vs_np.current);
	vs_compiled_free(&vs_np.compiled);
	vs_acl_plan_free(&vs_np.plan);
	free(vs_np.compiled_seq);
	vs_np.current = vs_np.pending;
	vs_np.compiled = vs_np.pending_compiled;
	vs_np.plan = vs_np.pending_plan;
	memset(&vs_np.pending_plan, 0, sizeof(vs_np.pending_plan));
	vs_np.compiled_seq = vs_np.pending_seq;
	vs_np.pending = NULL;
	vs_np.pending_seq = NULL;
	memset(&vs_np.pending_compiled, 0, sizeof(vs_np.pending_compiled));
	vs_np.has_pending = false;
	vs_np.stats.publish_us = publish_us;
	vs_np.stats.swaps++;
}

void vs_policy_set_abort(void)
{
	if (!vs_np.has_pending)
		return;
	vs_acl_free(vs_np.pending);
	vs_compiled_free(&vs_np.pending_compiled);
	vs_acl_plan_free(&vs_np.pending_plan);
	free(vs_np.pending_seq);
	vs_np.pending = NULL;
	vs_np.pending_seq = NULL;
	vs_np.has_pending = false;
}

const struct vs_policy_dp *vs_policy_set_staged(void)
{
	return vs_np.has_pending ? vs_np.pending : vs_np.current;
}

void vs_netpol_drain_events(void)
{
	struct vs_deny_event ev[64];
	for (uint16_t w = 0; w < vs_dp.n_workers; w++) {
		struct rte_ring *r = vs_dp.workers[w].deny_ring;
		unsigned int n;
		while (r != NULL &&
		       (n = rte_ring_sc_dequeue_burst_elem(r, ev, sizeof(ev[0]), 64, NULL)) > 0) {
			for (unsigned int i = 0; i < n; i++) {
				struct vs_np_event *x = &vs_np.events[vs_np.event_seq % VS_NP_EVENTS];
				x->seq = ++vs_np.event_seq;
				x->ev = ev[i];
				x->policy_seq = ev[i].rule != 0 && ev[i].rule - 1 < vs_np.compiled.n_infos ?
						 vs_np.compiled_seq[ev[i].rule - 1] : 0;
				x->rule = ev[i].rule != 0 && ev[i].rule - 1 < vs_np.compiled.n_infos ?
						  vs_np.compiled.infos[ev[i].rule - 1].rule : 0;
			}
		}
	}
}

void vs_policy_set_free(void)
{
	vs_policy_set_abort();
	vs_acl_free(vs_np.current);
	vs_np.current = NULL;
	vs_compiled_free(&vs_np.compiled);
	vs_acl_plan_free(&vs_np.plan);
	free(vs_np.compiled_seq);
	vs_np.compiled_seq = NULL;
}
