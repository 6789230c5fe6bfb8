/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `vswctl monitor drops`: follows the flows denied by policy, one line each (one JSON
 * object per line with --json), polling monitor.drops every 200 ms until SIGINT/SIGTERM
 * or, with -t, for that long. Single-threaded; installs its own signal handlers.
 */
#ifndef VS_CLI_FOLLOW_H
#define VS_CLI_FOLLOW_H

#include <jansson.h>
#include <stdbool.h>

#include "control/client/conn.h"

/* Returns the exit code: 0, 1 (refused) or 2 (lost vswd). for_s <= 0: until interrupted. */
int vs_follow_drops(struct vs_conn *c, json_t *args, bool as_json, double for_s);

#endif
