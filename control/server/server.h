/* SPDX-License-Identifier: BSD-3-Clause */
/* The control socket server (libevent). Control thread only. */
#ifndef VS_SERVER_H
#define VS_SERVER_H

#include <event2/event.h>

#include "control/model/config.h"
#include "control/model/err.h"

/* What the server refused or cut, since it started (control.show). */
struct vs_server_counters {
	uint64_t accepted;
	uint64_t requests;
	uint64_t request_errors;	/* requests answered with an error */
	uint64_t refused_max_clients;	/* told EUSERS and closed at control.max_clients */
	uint64_t accept_errors;	/* accept() failed, e.g. EMFILE */
	uint64_t listener_pauses;	/* listener off for 100 ms after an accept error */
	uint64_t dropped_no_hello;
	uint64_t dropped_idle;
	uint64_t dropped_stalled;	/* read no reply for control.write_timeout_s */
	uint64_t output_paused;	/* reading stopped: control.max_output_bytes queued */
	uint64_t dropped_over_budget;	/* held the most when control.max_buffered_bytes was passed */
	uint64_t throttled;	/* reading stopped: out of request tokens */
	uint64_t refused_readonly;	/* write command on control.ro_socket */
};

/* Listens on control.socket (and control.ro_socket) with cfg's group, modes and limits;
 * cfg must outlive the server. */
int vs_server_start(struct event_base *base, const struct vs_config *cfg, struct vs_err *e);
void vs_server_stop(void);
/* control.show: clients, limits, counters. */
json_t *vs_server_to_json(void);

#endif
