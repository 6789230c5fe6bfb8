/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The worker loop: poll this worker's (port, queue) pairs from the current
 * snapshot, run each burst through the stages, flush tx buffers, report RCU
 * quiescence. After idle_spins empty loops a worker goes RCU-offline and
 * sleeps idle_sleep_us, so an idle node does not burn its CPUs.
 */
#include <sys/prctl.h>
#include <time.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_vhost.h>

#include "dataplane/worker/worker.h"
#include "vs_types.h"
#include "dataplane/l2/l2_fwd.h"
#include "dataplane/l2/vlan_demux.h"
#include "dataplane/policy/policy.h"
#include "dataplane/qos/police.h"
#include "dataplane/qos/qos.h"
#include "dataplane/tx/tx_out.h"
#include "dataplane/worker/dp.h"

struct vs_dp vs_dp;

static uint16_t rx_burst(const struct vs_snapshot *s, const struct vs_dp_rxq *q,
			 struct rte_mbuf **pkts, uint16_t burst)
{
	const struct vs_port_rt *rt = s->ports[q->port].rt;

	if (rt->type == VS_PORT_VHOST) {
		int vid = atomic_load_explicit(&rt->vid, memory_order_acquire);
		/* Skip rings the guest has not enabled (fewer queues than configured):
		 * rte_vhost would log an error on every poll of an invalid ring. */
		if (vid < 0 || !(atomic_load_explicit(&rt->tx_enabled, memory_order_relaxed) &
				 (1u << q->queue)))
			return 0;
		return rte_vhost_dequeue_burst(vid, (uint16_t)(q->queue * 2 + 1), vs_dp.pool,
					       pkts, burst);
	}
	return rte_eth_rx_burst(rt->eth_port, q->queue, pkts, burst);
}

/*
 * The bonding PMD exchanges LACPDUs only inside rx/tx bursts and needs both at least every
 * 100 ms: rx happens every loop, an empty tx burst here keeps LACP alive on an idle uplink.
 */
static void lacp_poll(struct vs_worker *w, const struct vs_snapshot *s)
{
	uint64_t now = rte_rdtsc();
	if (now < w->next_lacp_tsc)
		return;
	w->next_lacp_tsc = now + rte_get_tsc_hz() / 20;
	for (uint16_t i = 0; i < s->n_lacp; i++)
		rte_eth_tx_burst(s->lacp_eth_port[i], w->id, NULL, 0);
}

static void idle_sleep(struct vs_worker *w)
{
	/* Offline first: a sleeping worker must not hold up grace periods. */
	rte_rcu_qsbr_thread_offline(vs_dp.qsbr, w->id);
	struct timespec ts = { .tv_sec = 0, .tv_nsec = (long)vs_dp.idle_sleep_us * 1000 };
	uint64_t t = rte_rdtsc();
	nanosleep(&ts, NULL);
	w->sleep_cycles += rte_rdtsc() - t;
	rte_rcu_qsbr_thread_online(vs_dp.qsbr, w->id);
	w->sleeps++;
}

/* -Dstage_cycles builds: the TSC now, and the cycles since *t charged to stage st with the
 * packets it was given (*t moves on: one rdtsc a stage). Nothing in other builds. */
static inline uint64_t stage_start(void)
{
#ifdef VS_STAGE_CYCLES
	return rte_rdtsc();
#else
	return 0;
#endif
}

static inline void stage_done(struct vs_worker *w, enum vs_stage st, uint64_t *t, uint16_t pkts)
{
#ifdef VS_STAGE_CYCLES
	uint64_t now = rte_rdtsc();
	w->stage_cycles[st] += now - *t;
	w->stage_pkts[st] += pkts;
	*t = now;
#else
	(void)w, (void)st, (void)t, (void)pkts;
#endif
}

int vs_worker_main(void *arg)
{
	struct vs_worker *w = arg;
	struct rte_mbuf *pkts[VS_BURST_MAX];
	uint32_t empty = 0;

	/* Linux lets a sleep overrun by 50 us by default; idle sleeps must be as short as
	 * configured, or the back-off costs far more latency than asked for. */
	prctl(PR_SET_TIMERSLACK, 1000UL, 0, 0, 0);
	rte_rcu_qsbr_thread_register(vs_dp.qsbr, w->id);
	rte_rcu_qsbr_thread_online(vs_dp.qsbr, w->id);
	/* Loop accounting: one rdtsc a loop, one more a non-empty burst. A burst is charged from
	 * the previous stamp, so empty polls of the rxqs before it in the loop go with it. */
	uint64_t loop_tsc = rte_rdtsc();

	while (atomic_load_explicit(&vs_dp.running, memory_order_relaxed)) {
		const struct vs_snapshot *s =
			atomic_load_explicit(&vs_dp.snap, memory_order_acquire);
		uint32_t got = 0;
		uint64_t burst_tsc = loop_tsc;

		for (uint16_t i = 0; i < s->n_rxq[w->id]; i++) {
			const struct vs_dp_rxq *q = &s->rxq[w->id][i];
			uint64_t t = stage_start();
			uint16_t n = rx_burst(s, q, pkts, vs_dp.burst), in;
			if (n == 0)
				continue;	/* empty polls are not charged to rx */
			got += n;
			struct vs_rxq_counters *rc = &w->rxq[q->port][q->queue];
			rc->packets += n;
			w->rx_packets += n;
			stage_done(w, VS_STAGE_RX, &t, n);
			n = vs_vlan_demux(w, s, q->port, pkts, in = n);
			stage_done(w, VS_STAGE_DEMUX, &t, in);
			if (unlikely(s->ports[q->port].police.id != 0)) {
				n = vs_police(w, s, q->port, pkts, in = n);
				stage_done(w, VS_STAGE_POLICE, &t, in);
			}
			n = vs_l2_fwd(w, s, pkts, in = n);
			stage_done(w, VS_STAGE_L2, &t, in);
			if (s->policy != NULL) {
				n = vs_policy(w, s, pkts, in = n);
				stage_done(w, VS_STAGE_POLICY, &t, in);
			}
			vs_tx_out(w, s, pkts, n);
			stage_done(w, VS_STAGE_TX, &t, n);
			uint64_t now = rte_rdtsc();
			rc->cycles += now - burst_tsc;
			burst_tsc = now;
		}
		uint64_t t = stage_start();
		vs_tx_flush(w, s);
		stage_done(w, VS_STAGE_TX, &t, 0);
		/* frames still queued in a shaper keep the worker awake */
		if (unlikely(s->n_qos[w->id] > 0))
			got += vs_qos_run(w, s);
		if (unlikely(s->n_lacp > 0 && w->id == 0))
			lacp_poll(w, s);
		rte_rcu_qsbr_quiescent(vs_dp.qsbr, w->id);

		if (got > 0) {
			w->busy_loops++;
			empty = 0;
		} else {
			w->idle_loops++;
			if (vs_dp.idle_sleep_us > 0 && ++empty >= vs_dp.idle_spins) {
				idle_sleep(w);
				empty = vs_dp.idle_spins;	/* keep sleeping until traffic */
			}
		}
		uint64_t now = rte_rdtsc();
		if (got > 0)
			w->busy_cycles += now - loop_tsc;
		else
			w->idle_cycles += now - loop_tsc;
		loop_tsc = now;
	}
	rte_rcu_qsbr_thread_offline(vs_dp.qsbr, w->id);
	rte_rcu_qsbr_thread_unregister(vs_dp.qsbr, w->id);
	return 0;
}
