/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Builds the immutable snapshot workers read from the control thread's port
 * slots, publishes it with one release store, waits an RCU grace period and
 * frees the previous one. Workers never stop: a change costs them nothing
 * but reading a new pointer at the top of their next loop.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_malloc.h>

#include "control/core/snapshot.h"
#include "vs_types.h"
#include "control/core/log.h"
#include "control/core/state.h"
#include "control/model/err.h"
#include "control/model/netpol_cfg.h"
#include "control/model/police_cfg.h"
#include "control/model/port_cfg.h"
#include "control/model/qos_cfg.h"
#include "control/model/vlan_set.h"
#include "control/policy/netpol.h"
#include "dataplane/policy/spoof.h"
#include "dataplane/qos/classify.h"
#include "dataplane/worker/dp.h"
#include "dataplane/worker/frame.h"

static void port_vlan(const struct vs_port_cfg *c, struct vs_port_vlan *pv)
{
	memset(pv, 0, sizeof(*pv));
	pv->mode = (uint8_t)c->mode;
	if (c->mode == VS_MODE_ACCESS) {
		pv->access_vid = c->vlan;
		vs_vlan_set_add(&pv->allowed, c->vlan);
	} else {
		pv->native_vid = c->native_vlan;
		pv->allowed = c->allowed;
		if (c->native_vlan)
			vs_vlan_set_add(&pv->allowed, c->native_vlan);
	}
}

static bool police_cfg_equal(const struct vs_police_cfg *a, const struct vs_police_cfg *b)
{
	return a->rate_bps == b->rate_bps && a->peak_rate_bps == b->peak_rate_bps &&
	       a->burst == b->burst && a->peak_burst == b->peak_burst &&
	       a->yellow_drop == b->yellow_drop && a->yellow_demote == b->yellow_demote;
}

/*
 * The port's policer profile, each worker that polls the port getting 1/share of the rates
 * (bursts are not divided: each share may still pass one full burst).
 */
static void port_police(struct vs_port *p, uint16_t share, struct vs_dp_police *out)
{
	static uint32_t next_id;
	const struct vs_police_cfg *c = &p->cfg.police;
	uint64_t cbs, ebs_or_pbs;
	int rc;

	memset(out, 0, sizeof(*out));
	if (c->rate_bps == 0)
		return;
	vs_police_bursts(c, p->cfg.mtu, &cbs, &ebs_or_pbs);
	out->trtcm = c->peak_rate_bps != 0;
	out->yellow_drop = c->yellow_drop;
	out->yellow_demote = c->yellow_demote;
	if (out->trtcm) {
		struct rte_meter_trtcm_params tp = { .cir = c->rate_bps / 8 / share,
						     .pir = c->peak_rate_bps / 8 / share,
						     .cbs = cbs, .pbs = ebs_or_pbs };
		rc = rte_meter_trtcm_profile_config(&out->prof.tr, &tp);
	} else {
		struct rte_meter_srtcm_params sp = { .cir = c->rate_bps / 8 / share,
						     .cbs = cbs, .ebs = ebs_or_pbs };
		rc = rte_meter_srtcm_profile_config(&out->prof.sr, &sp);
	}
	if (rc != 0) { /* validation rules this out; police nothing rather than everything */
		VS_LOG(ERR, "port %s: policer profile refused by rte_meter: %d", p->cfg.name, rc);
		memset(out, 0, sizeof(*out));
		return;
	}
	if (p->police_id == 0 || !police_cfg_equal(c, &p->police_cfg)) {
		if (++next_id == 0)
			next_id = 1;
		p->police_id = next_id;
		p->police_cfg = *c;
	}
	out->id = p->police_id;
}

static void snapshot_free(struct vs_snapshot *s)
{
	if (s == NULL)
		return;
	rte_free(s->flood_ports);
	rte_free(s);
}

static struct vs_snapshot *build(const struct vs_policy_dp *policy)
{
	struct vs_snapshot *s = rte_zmalloc("vs_snapshot", sizeof(*s), RTE_CACHE_LINE_SIZE);
	uint32_t total = 0, k = 0;

	if (s == NULL)
		return NULL;
	s->gen = ++vs_st.snapshots_published;
	for (uint16_t i = 0; i < VS_MAX_PORTS; i++) {
		struct vs_port *p = &vs_st.ports[i];
		if (!p->in_use)
			continue;
		s->ports[i].rt = p->rt;
		port_vlan(&p->cfg, &s->ports[i].vlan);
		s->ports[i].max_len = p->cfg.mtu + VS_ETH_HLEN;
		total += vs_vlan_set_count(&s->ports[i].vlan.allowed);
		if (p->rt->lacp)
			s->lacp_eth_port[s->n_lacp++] = p->rt->eth_port;

		/* Spread rx queues over the workers: an ethdev has one rx queue per
		 * worker (or fewer, if it cannot); the j-th vhost port's queue q goes to
		 * worker (j + q) % n, so single-queue VMs alternate between workers and
		 * a multi-queue VM's queues land on different ones. */
		uint16_t nq = p->rt->n_queues;
		uint32_t j = p->rt->type == VS_PORT_VHOST ? k++ : 0;
		for (uint16_t q = 0; q < nq; q++) {
			uint16_t w = (uint16_t)((j + q) % vs_dp.n_workers);
			if (s->n_rxq[w] < VS_RXQ_PER_WORKER_MAX)
				s->rxq[w][s->n_rxq[w]++] = (struct vs_dp_rxq){ i, q };
		}
		port_police(p, (uint16_t)RTE_MIN(nq, vs_dp.n_workers), &s->ports[i].police);
		struct vs_dp_classify *cl = &s->ports[i].classify;
		cl->trust = p->cfg.qos.trust;
		cl->def = p->cfg.qos.def;
		vs_qos_class_map(&p->cfg.qos, cl->map);
		struct vs_dp_spoof *sp = &s->ports[i].spoof;
		const struct vs_netpol_port *np = &p->cfg.np;
		sp->mac_check = np->spoofchk;
		sp->ip_check = np->ip_spoofchk;
		memcpy(sp->mac, np->mac, 6);
		sp->n_ips = np->n_ips;
		for (uint8_t k = 0; k < np->n_ips; k++) {
			sp->ips[k].family = np->ips[k].family;
			memcpy(sp->ips[k].addr, np->ips[k].addr, 16);
		}
		if (p->qos != NULL) {
			uint16_t o = p->qos->owner;
			s->ports[i].qos = p->qos;
			s->qos_ports[o][s->n_qos[o]++] = i;
		}
	}
	s->policy = policy;
	s->flood_ports = rte_malloc("vs_flood", sizeof(uint16_t) * (total + 1), 0);
	if (s->flood_ports == NULL) {
		snapshot_free(s);
		return NULL;
	}
	uint32_t off = 0;
	for (uint32_t v = 1; v < VS_VLAN_COUNT - 1; v++) {
		s->flood_off[v] = off;
		for (uint16_t i = 0; i < VS_MAX_PORTS; i++)
			if (s->ports[i].rt != NULL && vs_vlan_set_has(&s->ports[i].vlan.allowed, (uint16_t)v))
				s->flood_ports[off++] = i;
		s->flood_n[v] = (uint16_t)(off - s->flood_off[v]);
	}
	return s;
}

int vs_snapshot_publish(const struct vs_policy_dp *policy, struct vs_err *e)
{
	struct vs_snapshot *s = build(policy);
	if (s == NULL)
		return vs_err_set(e, ENOMEM, NULL, "out of memory building the snapshot");
	struct vs_snapshot *old = atomic_exchange_explicit(&vs_dp.snap, s, memory_order_acq_rel);
	/* Bounded: every online worker passes a quiescent point each loop. */
	rte_rcu_qsbr_synchronize(vs_dp.qsbr, RTE_QSBR_THRID_INVALID);
	snapshot_free(old);
	return 0;
}

void vs_snapshot_free_current(void)
{
	snapshot_free(atomic_exchange(&vs_dp.snap, NULL));
}
