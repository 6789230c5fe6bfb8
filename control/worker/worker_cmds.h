/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The worker commands' handlers (worker.stats, worker.clear),
 * bound by control/server/handlers.c. Control thread only.
 */
#ifndef VS_WORKER_CMDS_H
#define VS_WORKER_CMDS_H

#include "control/server/handlers.h"

extern const struct vs_handler_row vs_worker_handlers[];

#endif
