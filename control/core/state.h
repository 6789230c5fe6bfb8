/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The running state of vswd, owned by the control thread: port slots with
 * their config and runtime objects, and the global settings. Only core.c
 * changes it (core.h); everything else reads. Control thread only.
 */
#ifndef VS_STATE_H
#define VS_STATE_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "vs_types.h"
#include "control/model/config.h"
#include "control/model/police_cfg.h"
#include "control/model/port_cfg.h"
#include "dataplane/worker/dp.h"

struct vs_port {
	bool in_use;
	uint64_t seq;	/* add order, for listing and config save */
	struct vs_port_cfg cfg;
	struct vs_port_rt *rt;
	struct vs_port_counters base;	/* worker counters of the slot when added */
	/* each worker's rxq counters of the slot when added (control/worker/worker_stats.c) */
	struct vs_rxq_counters rxq_base[VS_MAX_WORKERS][VS_MAX_QUEUES];
	/* the policer settings last published and their id: the id, and so the workers'
	 * buckets, stay while only something else changes */
	struct vs_police_cfg police_cfg;
	uint32_t police_id;
	struct vs_qos *qos;	/* egress scheduler, NULL without qos_rate */
	/* announce.c, zeroed when the slot is taken: the connection (rt->connects) being
	 * announced to, rounds sent, when the next is due and when this sequence started */
	struct {
		uint32_t conn;
		uint8_t rounds;
		uint64_t next_ms, started_ms;
		uint64_t frames;	/* gratuitous ARP / unsolicited NA frames the guest took */
	} announce;
};

struct vs_state {
	struct vs_config *cfg;	/* global settings; ports/static MACs live below */
	char config_path[PATH_MAX];	/* realpath of -c */
	char state_dir_real[PATH_MAX];	/* realpath of control.state_dir ("" = missing) */
	dev_t state_dev;	/* and its identity, checked again at each save */
	ino_t state_ino;
	uint64_t next_seq;
	uint64_t snapshots_published;
	/* startup timeline (CLOCK_MONOTONIC ms): main() entered; EAL up; socket and ports up */
	uint64_t start_ms, eal_ms, ready_ms;
	struct vs_port ports[VS_MAX_PORTS];
};

extern struct vs_state vs_st;

#endif
