/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Egress schedulers of ports, control side: builds a port's rte_sched instance and handoff
 * ring (dataplane/qos/qos.c runs them), frees them once no worker can see them, and reports them
 * for qos.show. Control thread only.
 */
/* rte_sched_subport_tc_ov_config is experimental in DPDK 22.11: meson.build defines
 * ALLOW_EXPERIMENTAL_API for the whole project. */
#include <errno.h>
#include <stdio.h>

#include <rte_cycles.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "control/qos/qos.h"
#include "vs_types.h"
#include "control/core/state.h"
#include "control/model/err.h"
#include "control/model/port_cfg.h"
#include "control/model/qos_cfg.h"
#include "dataplane/worker/dp.h"
#include "dataplane/worker/frame.h"

#define VS_QOS_HANDOFF_RING 1024

static uint64_t max_u64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

/*
 * One subport for the port and one pipe per ingress port slot, both at the shaping rate: the
 * subport's token bucket shapes, the pipes share it between the VMs sending to the port.
 *
 * rte_sched's own port rate is not a shaper: it models the wire, and its clock ("port time")
 * runs at the faster of real time and the bytes already sent, so a subport as fast as the port
 * is never held back (the NIC's tx ring is what stops a real port). It is set far above the
 * shaping rate, so that port time is real time and the subport bucket does the shaping.
 */
static struct rte_sched_port *sched_create(const struct vs_port_cfg *cfg, const char *name)
{
	uint64_t rate = cfg->qos.rate_bps / 8;	/* rte_sched counts bytes */
	/* 8 bytes per TSC cycle (> 100 Gbit/s): rte_sched's fixed-point cycles-per-byte keeps
	 * five bits of precision */
	uint64_t wire = max_u64(rte_get_tsc_hz() * 8, 2 * rate);
	uint32_t frame_max = (uint32_t)cfg->mtu + VS_ETH_HLEN + VS_VLAN_HLEN;
	uint16_t qlen = (uint16_t)vs_qos_queue_len(&cfg->qos);
	/* Credits come every tc_period: 10 ms, or longer at a low rate so that a period holds
	 * two of the largest frames; a class could never send one otherwise. */
	uint64_t period_ms = max_u64(10, (2ULL * frame_max * 1000 + rate - 1) / rate);
	uint64_t tb_size = max_u64(2ULL * frame_max, rate / 1000);	/* 1 ms of burst */
	struct rte_sched_subport_profile_params spp = {
		.tb_rate = rate, .tb_size = tb_size, .tc_period = period_ms,
	};
	struct rte_sched_pipe_params pipe = {
		.tb_rate = rate, .tb_size = tb_size, .tc_period = period_ms, .tc_ov_weight = 1,
		.wrr_weights = { VS_QOS_WRR_BEST_EFFORT, VS_QOS_WRR_SCAVENGER, 1, 1 },
	};
	struct rte_sched_subport_params sp = {
		.n_pipes_per_subport_enabled = VS_MAX_PORTS,
		.pipe_profiles = &pipe,
		.n_pipe_profiles = 1,
		.n_max_pipe_profiles = 1,
	};
	struct rte_sched_port_params pp = {
		.name = name,
		.socket = (int)rte_socket_id(),
		.rate = wire,
		.mtu = frame_max,
		.frame_overhead = 0,	/* rates count frame bytes, as the policer's do */
		.n_subports_per_port = 1,
		.subport_profiles = &spp,
		.n_subport_profiles = 1,
		.n_max_subport_profiles = 1,
		.n_pipes_per_subport = VS_MAX_PORTS,
	};
	/* Only the TCs the classes use get queues (rte_sched: qsize 0 = TC unused, and an unused
	 * TC has no pipe rate); the subport wants a rate for every TC. */
	for (int tc = 0; tc < RTE_SCHED_TRAFFIC_CLASSES_PER_PIPE; tc++)
		spp.tc_rate[tc] = rate;
	for (uint8_t c = 0; c < VS_QOS_CLASSES; c++) {
		uint32_t tc, queue;
		vs_qos_class_tc(c, &tc, &queue);
		pipe.tc_rate[tc] = rate;
		sp.qsize[tc] = qlen;
	}

	struct rte_sched_port *s = rte_sched_port_config(&pp);
	if (s == NULL)
		return NULL;
	if (rte_sched_subport_config(s, 0, &sp, 0) != 0)
		goto fail;
	/* Best-effort oversubscription control holds back every pipe's best-effort traffic
	 * once the subport is busy, to around (period - MTU) / period of the rate: the shaper
	 * would not reach its rate. The pipes share it by rte_sched's round robin instead. */
	if (rte_sched_subport_tc_ov_config(s, 0, false) != 0)
		goto fail;
	for (uint32_t p = 0; p < VS_MAX_PORTS; p++)
		if (rte_sched_pipe_config(s, 0, p, 0) != 0)
			goto fail;
	return s;
fail:
	rte_sched_port_free(s);
	return NULL;
}

int vs_qos_create(const struct vs_port_cfg *cfg, uint16_t slot, struct vs_qos **out,
		  struct vs_err *e)
{
	static uint32_t seq;	/* ring and scheduler names must be unique */
	char name[RTE_RING_NAMESIZE];

	*out = NULL;
	if (cfg->qos.rate_bps == 0)
		return 0;
	struct vs_qos *q = rte_zmalloc("vs_qos", sizeof(*q), RTE_CACHE_LINE_SIZE);
	if (q == NULL)
		return vs_err_set(e, ENOMEM, "qos_rate", "out of memory for the scheduler");
	snprintf(name, sizeof(name), "vsq%u", ++seq);
	q->handoff = rte_ring_create(name, VS_QOS_HANDOFF_RING, SOCKET_ID_ANY, RING_F_SC_DEQ);
	q->sched = sched_create(cfg, name);
	if (q->handoff == NULL || q->sched == NULL) {
		rte_ring_free(q->handoff);
		rte_free(q);
		return vs_err_set(e, ENOMEM, "qos_rate",
				  "rte_sched refused the scheduler (out of memory? see the log)");
	}
	q->owner = (uint16_t)(slot % vs_dp.n_workers);
	q->port = slot;
	*out = q;
	return 0;
}

void vs_qos_destroy(struct vs_qos *q)
{
	void *m;

	if (q == NULL)
		return;
	while (rte_ring_sc_dequeue(q->handoff, &m) == 0)
		rte_pktmbuf_free(m);
	rte_ring_free(q->handoff);
	rte_sched_port_free(q->sched);	/* frees the frames still queued */
	rte_free(q);
}

bool vs_qos_needs_new(const struct vs_qos_cfg *a, const struct vs_qos_cfg *b)
{
	return a->rate_bps != b->rate_bps || vs_qos_queue_len(a) != vs_qos_queue_len(b);
}

json_t *vs_qos_to_json(uint16_t slot)
{
	const struct vs_port *p = &vs_st.ports[slot];
	const struct vs_qos_cfg *c = &p->cfg.qos;
	json_t *o = json_object();
	char buf[256];

	json_object_set_new(o, "name", json_string(p->cfg.name));
	json_object_set_new(o, "trust", json_string(vs_qos_trust_name(c->trust)));
	json_object_set_new(o, "default", json_string(vs_qos_class_name(c->def)));
	if (c->trust != VS_TRUST_NONE) {
		vs_points_format(vs_qos_points(c, VS_QOS_CRITICAL), buf, sizeof(buf));
		json_object_set_new(o, "critical", json_string(buf));
		vs_points_format(vs_qos_points(c, VS_QOS_SCAVENGER), buf, sizeof(buf));
		json_object_set_new(o, "scavenger", json_string(buf));
	}
	if (p->qos == NULL)
		return o;
	const struct vs_qos *q = p->qos;
	json_t *sch = json_object(), *classes = json_array();
	/* p->qos is rebuilt whenever these change, so the config is what it runs */
	json_object_set_new(sch, "rate", json_integer((json_int_t)c->rate_bps));
	json_object_set_new(sch, "queue", json_integer(vs_qos_queue_len(c)));
	json_object_set_new(sch, "owner_worker", json_integer(q->owner));
	for (uint8_t cls = 0; cls < VS_QOS_CLASSES; cls++) {
		const struct vs_qos_class_counters *k = &q->cls[cls];
		uint64_t enq = k->enqueued, sent = k->sent;	/* racy reads: depth can lag */
		uint32_t tc, queue;
		vs_qos_class_tc(cls, &tc, &queue);
		json_t *r = json_object();
		json_object_set_new(r, "class", json_string(vs_qos_class_name(cls)));
		json_object_set_new(r, "tc", json_integer(tc));
		json_object_set_new(r, "queued", json_integer(enq > sent ? (json_int_t)(enq - sent) : 0));
		json_object_set_new(r, "enqueued", json_integer((json_int_t)enq));
		json_object_set_new(r, "dropped", json_integer((json_int_t)k->dropped));
		json_object_set_new(r, "sent", json_integer((json_int_t)sent));
		json_object_set_new(r, "sent_bytes", json_integer((json_int_t)k->sent_bytes));
		json_array_append_new(classes, r);
	}
	json_object_set_new(sch, "classes", classes);
	json_object_set_new(o, "scheduler", sch);
	return o;
}
