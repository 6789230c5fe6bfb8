/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stage: output into per-worker tx buffers with each port's tagging, flooding;
 * the flush at the end of every loop. Worker thread only.
 */
#ifndef VS_TX_OUT_H
#define VS_TX_OUT_H

#include <stdint.h>

#include "dataplane/worker/dp.h"

void vs_tx_out(struct vs_worker *w, const struct vs_snapshot *s, struct rte_mbuf **pkts,
	       uint16_t n);
void vs_tx_flush(struct vs_worker *w, const struct vs_snapshot *s);

#endif
