/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Transmit on a port now (vhost-user or ethdev), counting what was sent or dropped.
 * Used by the tx flush and by the QoS scheduler's dequeue. Worker thread only.
 */
#ifndef VS_PORT_SEND_H
#define VS_PORT_SEND_H

#include <stdint.h>

#include "dataplane/worker/dp.h"

/* Frees every mbuf. */
void vs_port_send(struct vs_worker *w, const struct vs_snapshot *s, uint16_t port,
		  struct rte_mbuf **pkts, uint16_t n);

#endif
