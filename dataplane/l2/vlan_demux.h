/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stage: VLAN demux and the one L3 parse (vs_pkt_meta). Worker thread only.
 */
#ifndef VS_VLAN_DEMUX_H
#define VS_VLAN_DEMUX_H

#include <stdint.h>

#include "dataplane/worker/dp.h"

uint16_t vs_vlan_demux(struct vs_worker *w, const struct vs_snapshot *s, uint16_t port,
		       struct rte_mbuf **pkts, uint16_t n);

#endif
