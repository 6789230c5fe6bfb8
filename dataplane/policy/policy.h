/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stage: network policy (rte_acl) and conntrack of unicast frames; and the
 * check of a flooded frame against each receiver's ingress policy. Worker thread only.
 */
#ifndef VS_DP_POLICY_H
#define VS_DP_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include "dataplane/worker/dp.h"

uint16_t vs_policy(struct vs_worker *w, const struct vs_snapshot *s, struct rte_mbuf **pkts,
		   uint16_t n);
/* Whether a flooded frame may reach port (its ingress policy), from tx_out. */
bool vs_policy_flood_allows(struct vs_worker *w, const struct vs_snapshot *s,
			    struct rte_mbuf *m, uint16_t port);

#endif
