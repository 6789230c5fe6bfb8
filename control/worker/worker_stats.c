/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Worker figures = the worker's cumulative counters minus a baseline taken at the last
 * worker.clear (the workers' own counters are never written by this thread). Per (port,
 * queue) figures use the port's baseline instead (taken when the port was added or its
 * counters cleared), so a reused slot starts at zero.
 */
#include <rte_cycles.h>

#include "control/worker/worker_stats.h"
#include "vs_types.h"
#include "control/core/state.h"
#include "control/model/ratelimit.h"
#include "dataplane/worker/dp.h"

static struct vs_worker_totals base[VS_MAX_WORKERS];
static uint64_t cleared_ms;

static void raw_totals(uint16_t w, struct vs_worker_totals *t)
{
	const struct vs_worker *wk = &vs_dp.workers[w];
	t->busy_cycles = wk->busy_cycles;
	t->idle_cycles = wk->idle_cycles;
	t->sleep_cycles = wk->sleep_cycles;
	t->busy_loops = wk->busy_loops;
	t->idle_loops = wk->idle_loops;
	t->sleeps = wk->sleeps;
	t->rx_packets = wk->rx_packets;
}

void vs_worker_totals(uint16_t w, struct vs_worker_totals *out)
{
	const struct vs_worker_totals *b = &base[w];
	raw_totals(w, out);
	out->busy_cycles -= b->busy_cycles;
	out->idle_cycles -= b->idle_cycles;
	out->sleep_cycles -= b->sleep_cycles;
	out->busy_loops -= b->busy_loops;
	out->idle_loops -= b->idle_loops;
	out->sleeps -= b->sleeps;
	out->rx_packets -= b->rx_packets;
}

void vs_worker_stats_clear(void)
{
	for (uint16_t w = 0; w < vs_dp.n_workers; w++)
		raw_totals(w, &base[w]);
	for (uint16_t slot = 0; slot < VS_MAX_PORTS; slot++)
		if (vs_st.ports[slot].in_use)
			for (uint16_t w = 0; w < vs_dp.n_workers; w++)
				for (int q = 0; q < VS_MAX_QUEUES; q++)
					vs_st.ports[slot].rxq_base[w][q] = vs_dp.workers[w].rxq[slot][q];
	cleared_ms = vs_now_ms();
}

static double ratio(uint64_t a, uint64_t b)
{
	return b == 0 ? 0.0 : (double)a / (double)b;
}

/* The (port, queue) pairs the worker polls in the published snapshot, with their share of
 * the cycles spent on bursts. */
static json_t *rxqs_json(uint16_t w)
{
	const struct vs_snapshot *s = atomic_load(&vs_dp.snap);
	json_t *a = json_array();
	uint64_t cycles[VS_RXQ_PER_WORKER_MAX], packets[VS_RXQ_PER_WORKER_MAX], sum = 0;
	uint16_t n = s->n_rxq[w];

	for (uint16_t i = 0; i < n; i++) {
		const struct vs_dp_rxq *q = &s->rxq[w][i];
		const struct vs_rxq_counters *c = &vs_dp.workers[w].rxq[q->port][q->queue];
		const struct vs_rxq_counters *b = &vs_st.ports[q->port].rxq_base[w][q->queue];
		cycles[i] = c->cycles - b->cycles;
		packets[i] = c->packets - b->packets;
		sum += cycles[i];
	}
	for (uint16_t i = 0; i < n; i++) {
		const struct vs_dp_rxq *q = &s->rxq[w][i];
		json_array_append_new(
			a, json_pack("{s:s, s:i, s:I, s:I, s:f}", "port",
				     vs_st.ports[q->port].cfg.name, "queue", q->queue, "packets",
				     (json_int_t)packets[i], "cycles", (json_int_t)cycles[i],
				     "share_pct", 100.0 * ratio(cycles[i], sum)));
	}
	return a;
}

json_t *vs_worker_stats_json(void)
{
	json_t *workers = json_array();

	for (uint16_t w = 0; w < vs_dp.n_workers; w++) {
		struct vs_worker_totals t;
		vs_worker_totals(w, &t);
		uint64_t all = t.busy_cycles + t.idle_cycles;
		json_t *o = json_pack(
			"{s:i, s:i, s:i, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:f, s:f, s:o}", "id", w,
			"lcore", vs_dp.workers[w].lcore, "cpu", vs_st.cfg->workers.cpus[w],
			"busy_cycles", (json_int_t)t.busy_cycles, "idle_cycles",
			(json_int_t)t.idle_cycles, "sleep_cycles", (json_int_t)t.sleep_cycles,
			"busy_loops", (json_int_t)t.busy_loops, "idle_loops", (json_int_t)t.idle_loops,
			"sleeps", (json_int_t)t.sleeps, "rx_packets", (json_int_t)t.rx_packets,
			"busy_pct", 100.0 * ratio(t.busy_cycles, all), "cycles_per_packet",
			ratio(t.busy_cycles, t.rx_packets), "rxqs", rxqs_json(w));
		json_array_append_new(workers, o);
	}
	uint64_t since = cleared_ms != 0 ? cleared_ms : vs_st.start_ms;
	return json_pack("{s:I, s:I, s:o}", "tsc_hz", (json_int_t)rte_get_tsc_hz(), "since_s",
			 (json_int_t)((vs_now_ms() - since) / 1000), "workers", workers);
}
