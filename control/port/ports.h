/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A port's runtime object (vhost-user driver or ethdev), links and bonds.
 * Control thread only, unless noted.
 */
#ifndef VS_PORTS_H
#define VS_PORTS_H

#include <stdint.h>

#include <jansson.h>

#include "control/model/err.h"
#include "control/model/port_cfg.h"
#include "dataplane/worker/dp.h"

/* A port's runtime object (vhost-user driver or ethdev). */
int vs_port_rt_create(const struct vs_port_cfg *cfg, struct vs_port_rt **out, struct vs_err *e);
/* Call only once no snapshot references rt any more. */
void vs_port_rt_destroy(const struct vs_port_cfg *cfg, struct vs_port_rt *rt);
void vs_ports_poll_links(void);
/* Control thread: frames straight into a connected guest's first enabled RX ring, next to
 * the workers (rte_vhost serialises them per ring). Frees them all; returns how many the
 * guest took (0 when it is not connected). */
uint16_t vs_port_vhost_inject(struct vs_port_rt *rt, struct rte_mbuf **pkts, uint16_t n);
json_t *vs_bond_to_json(uint16_t slot);	/* a bond port's mode, members, LACP state */

#endif
