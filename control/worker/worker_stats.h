/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Poll-mode core accounting (OVS's pmd-stats-show / pmd-perf-show): per worker busy and idle
 * cycles, packets, cycles per packet, and each polled (port, queue)'s share of the busy
 * time, since vswd started or the last worker.clear. Control thread only; it reads the
 * workers' own counters (racy 64-bit loads, never a lock).
 */
#ifndef VS_WORKER_STATS_H
#define VS_WORKER_STATS_H

#include <stdint.h>

#include <jansson.h>

/* One worker's totals since the last clear. */
struct vs_worker_totals {
	uint64_t busy_cycles, idle_cycles, sleep_cycles;
	uint64_t busy_loops, idle_loops, sleeps;
	uint64_t rx_packets;
};

void vs_worker_totals(uint16_t w, struct vs_worker_totals *out);
/* worker.stats: {"tsc_hz", "since_s", "workers": [...]} (README: Worker statistics) */
json_t *vs_worker_stats_json(void);
/* worker.clear: every worker's figures start again from 0 */
void vs_worker_stats_clear(void);

#endif
