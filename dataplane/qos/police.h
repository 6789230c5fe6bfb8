/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stage: the ingress policer (rte_meter) of the receiving port. Worker thread only.
 */
#ifndef VS_POLICE_H
#define VS_POLICE_H

#include <stdint.h>

#include "dataplane/worker/dp.h"

uint16_t vs_police(struct vs_worker *w, const struct vs_snapshot *s, uint16_t port,
		   struct rte_mbuf **pkts, uint16_t n);

#endif
