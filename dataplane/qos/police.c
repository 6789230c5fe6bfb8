/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stage 1b: ingress policing. A port with a policer has every frame it sends into the switch
 * metered by rte_meter (srTCM or trTCM, colour-blind): red frames are dropped, yellow ones
 * passed, dropped, or re-marked to the scavenger class (egress schedulers send them last), as
 * configured. Runs only for ports that have a policer.
 */
#include <rte_cycles.h>
#include <rte_mbuf.h>
#include <rte_meter.h>

#include "dataplane/qos/police.h"
#include "vs_types.h"
#include "dataplane/worker/dp.h"

/* A new or changed policer starts from full buckets. */
static void meter_reset(struct vs_meter *m, const struct vs_dp_police *p)
{
	/* rte_meter takes non-const profiles but only reads them */
	if (p->trtcm)
		rte_meter_trtcm_config(&m->m.tr, (struct rte_meter_trtcm_profile *)&p->prof.tr);
	else
		rte_meter_srtcm_config(&m->m.sr, (struct rte_meter_srtcm_profile *)&p->prof.sr);
	m->id = p->id;
}

uint16_t vs_police(struct vs_worker *w, const struct vs_snapshot *s, uint16_t port,
		   struct rte_mbuf **pkts, uint16_t n)
{
	const struct vs_dp_police *p = &s->ports[port].police;
	struct vs_meter *m = &w->meters[port];
	struct vs_port_counters *c = &w->ports[port];
	uint64_t now = rte_rdtsc();
	uint16_t kept = 0;

	if (unlikely(m->id != p->id))
		meter_reset(m, p);
	for (uint16_t i = 0; i < n; i++) {
		enum rte_color col = p->trtcm ?
			rte_meter_trtcm_color_blind_check(
				&m->m.tr, (struct rte_meter_trtcm_profile *)&p->prof.tr, now,
				pkts[i]->pkt_len) :
			rte_meter_srtcm_color_blind_check(
				&m->m.sr, (struct rte_meter_srtcm_profile *)&p->prof.sr, now,
				pkts[i]->pkt_len);
		if (col == RTE_COLOR_GREEN || (col == RTE_COLOR_YELLOW && !p->yellow_drop)) {
			if (col == RTE_COLOR_YELLOW && p->yellow_demote)
				vs_meta(pkts[i])->cls = VS_QOS_SCAVENGER;
			pkts[kept++] = pkts[i];
			continue;
		}
		c->drops[col == RTE_COLOR_RED ? VS_DROP_POLICED_RED : VS_DROP_POLICED_YELLOW]++;
		rte_pktmbuf_free(pkts[i]);
	}
	return kept;
}
