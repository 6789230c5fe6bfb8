/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Counters: a port's worker counters summed, its JSON, the stats command.
 * Control thread only.
 */
#ifndef VS_STATS_H
#define VS_STATS_H

#include <stdint.h>

#include <jansson.h>

#include "dataplane/worker/dp.h"

void vs_port_counters_sum(uint16_t slot, struct vs_port_counters *out);
/* port.clear and port add: the port's counters (and its per-queue worker figures) read 0
 * from now on (the workers' own are never reset). */
void vs_port_counters_clear(uint16_t slot);
json_t *vs_port_to_json(uint16_t slot);
json_t *vs_stats_json(void);

#endif
