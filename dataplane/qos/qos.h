/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The egress scheduler (rte_sched) as its owner worker runs it. Worker thread only.
 */
#ifndef VS_DP_QOS_H
#define VS_DP_QOS_H

#include <stdint.h>

#include "dataplane/worker/dp.h"

/* Frames for a port with a scheduler (from vs_tx_flush). */
void vs_qos_enqueue(struct vs_worker *w, const struct vs_snapshot *s, uint16_t port,
		    struct rte_mbuf **pkts, uint16_t n);
/* Run the schedulers this worker owns; returns the frames still queued in them. */
uint32_t vs_qos_run(struct vs_worker *w, const struct vs_snapshot *s);

#endif
