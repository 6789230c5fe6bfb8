/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A port's egress scheduler (rte_sched) as the control thread creates it.
 * Control thread only.
 */
#ifndef VS_QOS_H
#define VS_QOS_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "control/model/err.h"
#include "control/model/port_cfg.h"
#include "control/model/qos_cfg.h"
#include "dataplane/worker/dp.h"

/* A port's egress scheduler (*out NULL when cfg has no qos_rate). */
int vs_qos_create(const struct vs_port_cfg *cfg, uint16_t slot, struct vs_qos **out,
		  struct vs_err *e);
/* Call only once no snapshot references q any more; frees what is still queued. */
void vs_qos_destroy(struct vs_qos *q);
/* Whether going from a to b needs a new scheduler (rate or queue length changed). */
bool vs_qos_needs_new(const struct vs_qos_cfg *a, const struct vs_qos_cfg *b);
json_t *vs_qos_to_json(uint16_t slot);

#endif
