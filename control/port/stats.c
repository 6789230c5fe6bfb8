/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Counters: each worker counts per port slot in its own struct; reads sum
 * them (64-bit loads, slightly stale is fine) and subtract the slot's
 * baseline taken when the port was added (or its counters cleared), so a
 * reused slot starts at zero.
 */
#include <string.h>

#include <rte_lcore.h>

#include "control/port/stats.h"
#include "vs_types.h"
#include "control/core/state.h"
#include "control/l2/fdb.h"
#include "control/model/port_cfg.h"
#include "dataplane/worker/dp.h"
#include "dataplane/worker/drops.h"

void vs_port_counters_sum(uint16_t slot, struct vs_port_counters *out)
{
	memset(out, 0, sizeof(*out));
	for (uint16_t w = 0; w < vs_dp.n_workers; w++) {
		const struct vs_port_counters *c = &vs_dp.workers[w].ports[slot];
		out->rx_packets += c->rx_packets;
		out->rx_bytes += c->rx_bytes;
		out->tx_packets += c->tx_packets;
		out->tx_bytes += c->tx_bytes;
		for (int d = 0; d < VS_DROP__COUNT; d++)
			out->drops[d] += c->drops[d];
		for (int d = 0; d < 2; d++) {
			out->pol_allowed[d] += c->pol_allowed[d];
			out->pol_denied[d] += c->pol_denied[d];
		}
		out->pol_established += c->pol_established;
	}
}

static void port_counters(uint16_t slot, struct vs_port_counters *out)
{
	const struct vs_port_counters *b = &vs_st.ports[slot].base;
	vs_port_counters_sum(slot, out);
	out->rx_packets -= b->rx_packets;
	out->rx_bytes -= b->rx_bytes;
	out->tx_packets -= b->tx_packets;
	out->tx_bytes -= b->tx_bytes;
	for (int d = 0; d < VS_DROP__COUNT; d++)
		out->drops[d] -= b->drops[d];
	for (int d = 0; d < 2; d++) {
		out->pol_allowed[d] -= b->pol_allowed[d];
		out->pol_denied[d] -= b->pol_denied[d];
	}
	out->pol_established -= b->pol_established;
}

void vs_port_counters_clear(uint16_t slot)
{
	vs_port_counters_sum(slot, &vs_st.ports[slot].base);
	for (uint16_t w = 0; w < vs_dp.n_workers; w++)
		memcpy(vs_st.ports[slot].rxq_base[w], vs_dp.workers[w].rxq[slot],
		       sizeof(vs_st.ports[slot].rxq_base[w]));
}

static json_t *drops_json(const uint64_t *drops)
{
	json_t *o = json_object();
	for (int d = 0; d < VS_DROP__COUNT; d++)
		json_object_set_new(o, vs_drop_name(d), json_integer((json_int_t)drops[d]));
	return o;
}

json_t *vs_port_to_json(uint16_t slot)
{
	const struct vs_port *p = &vs_st.ports[slot];
	struct vs_port_counters c;
	json_t *o = vs_port_cfg_to_json(&p->cfg);

	port_counters(slot, &c);
	json_object_set_new(o, "link", json_string(atomic_load(&p->rt->link_up) ? "up" : "down"));
	if (p->rt->type == VS_PORT_VHOST) {
		json_object_set_new(o, "connected", json_boolean(atomic_load(&p->rt->vid) >= 0));
		json_object_set_new(o, "rx_rings_enabled",
				    json_integer(__builtin_popcount(atomic_load(&p->rt->rx_enabled))));
		json_object_set_new(o, "tx_rings_enabled",
				    json_integer(__builtin_popcount(atomic_load(&p->rt->tx_enabled))));
		json_object_set_new(o, "connects", json_integer(atomic_load(&p->rt->connects)));
		json_object_set_new(o, "neighbours_announced", json_integer((json_int_t)p->announce.frames));
	} else {
		json_object_set_new(o, "ethdev_port", json_integer(p->rt->eth_port));
	}
	json_object_set_new(o, "stats",
			    json_pack("{s:I, s:I, s:I, s:I, s:o}", "rx_packets",
				      (json_int_t)c.rx_packets, "rx_bytes", (json_int_t)c.rx_bytes,
				      "tx_packets", (json_int_t)c.tx_packets, "tx_bytes",
				      (json_int_t)c.tx_bytes, "drops", drops_json(c.drops)));
	json_object_set_new(o, "fdb",
			    json_pack("{s:I, s:I, s:b}", "macs", (json_int_t)vs_dp.fdb->port_macs[slot],
				      "limited", (json_int_t)vs_dp.fdb->port_limited[slot], "full",
				      atomic_load(&p->rt->macs_full)));
	json_object_set_new(o, "policy",
			    json_pack("{s:{s:I, s:I}, s:{s:I, s:I}, s:I}", "ingress", "allowed",
				      (json_int_t)c.pol_allowed[0], "denied",
				      (json_int_t)c.pol_denied[0], "egress", "allowed",
				      (json_int_t)c.pol_allowed[1], "denied",
				      (json_int_t)c.pol_denied[1], "established_sent",
				      (json_int_t)c.pol_established));
	return o;
}

#ifdef VS_STAGE_CYCLES
/* -Dstage_cycles builds: per stage, TSC cycles and the packets it was given (tx's flush of
 * queued frames is charged to tx with none), with the TSC rate to turn them into time. */
static json_t *stages_json(const struct vs_worker *wk)
{
	static const char *const names[VS_STAGES] = { "rx", "demux", "police", "l2", "policy",
						      "tx" };
	json_t *o = json_object();
	for (int i = 0; i < VS_STAGES; i++)
		json_object_set_new(o, names[i],
				    json_pack("{s:I, s:I}", "cycles", (json_int_t)wk->stage_cycles[i],
					      "packets", (json_int_t)wk->stage_pkts[i]));
	json_object_set_new(o, "tsc_hz", json_integer((json_int_t)rte_get_tsc_hz()));
	return o;
}
#endif

json_t *vs_stats_json(void)
{
	uint64_t drops[VS_DROP__COUNT] = { 0 };
	json_t *workers = json_array();
	unsigned int n_ports = 0;

	for (uint16_t i = 0; i < VS_MAX_PORTS; i++) {
		struct vs_port_counters c;
		if (!vs_st.ports[i].in_use)
			continue;
		n_ports++;
		port_counters(i, &c);
		for (int d = 0; d < VS_DROP__COUNT; d++)
			drops[d] += c.drops[d];
	}
	for (uint16_t w = 0; w < vs_dp.n_workers; w++) {
		const struct vs_worker *wk = &vs_dp.workers[w];
		json_t *o = json_pack("{s:i, s:i, s:I, s:I, s:I, s:I, s:I}", "lcore", wk->lcore, "cpu",
				      vs_st.cfg->workers.cpus[w], "busy_loops",
				      (json_int_t)wk->busy_loops, "idle_loops",
				      (json_int_t)wk->idle_loops, "sleeps", (json_int_t)wk->sleeps,
				      "learn_events", (json_int_t)wk->learn_events,
				      "learn_ring_full", (json_int_t)wk->learn_ring_full);
#ifdef VS_STAGE_CYCLES
		json_object_set_new(o, "stages", stages_json(wk));
#endif
		json_array_append_new(workers, o);
	}
	return json_pack("{s:o, s:o, s:o, s:i, s:I}", "fdb", vs_fdb_stats_json(vs_dp.fdb), "workers",
			 workers, "drops", drops_json(drops), "ports", n_ports, "snapshots",
			 (json_int_t)vs_st.snapshots_published);
}
