/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stage: FDB lookup, learning events, the output port. Worker thread only.
 */
#ifndef VS_L2_FWD_H
#define VS_L2_FWD_H

#include <stdint.h>

#include "dataplane/worker/dp.h"

uint16_t vs_l2_fwd(struct vs_worker *w, const struct vs_snapshot *s, struct rte_mbuf **pkts,
		   uint16_t n);

#endif
