/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Handlers of the session and whole-switch commands (hello, commands, version, config,
 * control, stats), and the binding of every feature's handlers to the command table.
 * Control thread only.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_debug.h>
#include <rte_version.h>

#include "control/server/handlers.h"
#include "vs_commands.h"
#include "vs_proto.h"
#include "vs_types.h"
#include "control/core/core.h"
#include "control/core/persist.h"
#include "control/core/state.h"
#include "control/l2/mac_cmds.h"
#include "control/metrics/http.h"
#include "control/model/err.h"
#include "control/model/ratelimit.h"
#include "control/policy/policy_cmds.h"
#include "control/port/port_cmds.h"
#include "control/port/stats.h"
#include "control/qos/qos_cmds.h"
#include "control/server/server.h"
#include "control/worker/worker_cmds.h"

static int h_hello(const json_t *args, json_t **r, struct vs_err *e)
{
	json_int_t v = json_integer_value(json_object_get(args, "version"));
	if (v != VS_PROTO_VERSION)
		return vs_err_set(e, EPROTONOSUPPORT, "args.version",
				  "protocol version %lld is not supported; vswd speaks %d", v,
				  VS_PROTO_VERSION);
	*r = json_pack("{s:i, s:s}", "version", VS_PROTO_VERSION, "server", "vswd " VS_VERSION);
	return 0;
}

static int h_commands(const json_t *args, json_t **r, struct vs_err *e)
{
	(void)args, (void)e;
	const struct vs_command_spec *t = vs_command_table();
	json_t *cmds = json_array();
	for (int i = 0; i < VS_CMD__COUNT; i++) {
		json_t *a = json_array();
		for (const struct vs_arg_spec *s = t[i].args; s->name != NULL; s++)
			json_array_append_new(a, json_pack("{s:s, s:s, s:b, s:s}", "name", s->name,
							   "type", vs_arg_type_name(s->type),
							   "required", s->required, "help", s->help));
		json_array_append_new(cmds, json_pack("{s:s, s:s, s:b, s:o}", "name", t[i].name,
						      "help", t[i].help, "readonly", t[i].readonly,
						      "args", a));
	}
	*r = json_pack("{s:o}", "commands", cmds);
	return 0;
}

static int h_version(const json_t *args, json_t **r, struct vs_err *e)
{
	(void)args, (void)e;
	*r = json_pack("{s:s, s:s, s:i}", "version", VS_VERSION, "dpdk", rte_version(), "proto",
		       VS_PROTO_VERSION);
	return 0;
}

static int h_config_show(const json_t *args, json_t **r, struct vs_err *e)
{
	(void)args, (void)e;
	*r = vs_core_running_config();
	return 0;
}

static int h_config_save(const json_t *args, json_t **r, struct vs_err *e)
{
	const char *saved;
	int rc = vs_core_config_save(json_object_get(args, "path") ? vs_arg_str(args, "path") : NULL,
				     &saved, e);
	if (rc == 0)
		*r = json_pack("{s:s}", "path", saved);
	return rc;
}

static int h_control_show(const json_t *args, json_t **r, struct vs_err *e)
{
	(void)args, (void)e;
	*r = vs_server_to_json();
	/* where a (re)start spent its time: perf/restart.sh reads this next to the guests' view */
	json_object_set_new(*r, "startup",
			    json_pack("{s:I, s:I, s:I}", "eal_init_ms",
				      (json_int_t)(vs_st.eal_ms - vs_st.start_ms), "ready_ms",
				      (json_int_t)(vs_st.ready_ms - vs_st.start_ms), "uptime_s",
				      (json_int_t)((vs_now_ms() - vs_st.start_ms) / 1000)));
	json_object_set_new(*r, "persist", vs_persist_to_json());
	json_object_set_new(*r, "metrics", vs_metrics_to_json());
	return 0;
}

static int h_stats(const json_t *args, json_t **r, struct vs_err *e)
{
	(void)args, (void)e;
	*r = vs_stats_json();
	return 0;
}

const char *vs_arg_str(const json_t *args, const char *key)
{
	return json_string_value(json_object_get(args, key));
}

vs_handler_fn vs_handlers[VS_CMD__COUNT];

void vs_handlers_bind(void)
{
	/* every feature's handlers: a new feature adds its list here */
	static const struct vs_handler_row *const features[] = {
		vs_server_handlers, vs_port_handlers, vs_mac_handlers, vs_policy_handlers,
		vs_qos_handlers, vs_worker_handlers,
	};
	for (size_t f = 0; f < RTE_DIM(features); f++)
		for (const struct vs_handler_row *r = features[f]; r->fn != NULL; r++) {
			if (r->id >= VS_CMD__COUNT || vs_handlers[r->id] != NULL)
				rte_panic("command %d has a second handler\n", (int)r->id);
			vs_handlers[r->id] = r->fn;
		}
	for (int i = 0; i < VS_CMD__COUNT; i++)
		if (vs_handlers[i] == NULL)
			rte_panic("command %s has no handler\n", vs_command_table()[i].name);
}

const struct vs_handler_row vs_server_handlers[] = {
	{ VS_CMD_HELLO, h_hello },
	{ VS_CMD_COMMANDS, h_commands },
	{ VS_CMD_VERSION, h_version },
	{ VS_CMD_CONFIG_SHOW, h_config_show },
	{ VS_CMD_CONFIG_SAVE, h_config_save },
	{ VS_CMD_CONTROL_SHOW, h_control_show },
	{ VS_CMD_STATS, h_stats },
	{ 0, NULL },
};
