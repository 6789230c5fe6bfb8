/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Handlers of the worker commands (worker.stats, worker.clear). Control thread only.
 */
#include "control/worker/worker_cmds.h"
#include "control/worker/worker_stats.h"

static int h_worker_stats(const json_t *args, json_t **r, struct vs_err *e)
{
	(void)args, (void)e;
	*r = vs_worker_stats_json();
	return 0;
}

static int h_worker_clear(const json_t *args, json_t **r, struct vs_err *e)
{
	(void)args, (void)e;
	vs_worker_stats_clear();
	*r = json_object();
	return 0;
}

const struct vs_handler_row vs_worker_handlers[] = {
	{ VS_CMD_WORKER_STATS, h_worker_stats },
	{ VS_CMD_WORKER_CLEAR, h_worker_clear },
	{ 0, NULL },
};
