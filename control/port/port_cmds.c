/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Handlers of the port commands (port.*, vlan.list, bond.show): unpack the schema-checked
 * arguments, call a core function, build the reply. Control thread only.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "control/port/port_cmds.h"
#include "vs_types.h"
#include "control/core/core.h"
#include "control/core/log.h"
#include "control/core/state.h"
#include "control/l2/fdb.h"
#include "control/model/err.h"
#include "control/model/port_cfg.h"
#include "control/port/ports.h"
#include "control/port/stats.h"
#include "control/server/handlers.h"
#include "dataplane/worker/dp.h"

static int port_slot(const json_t *args, struct vs_err *e)
{
	const char *name = vs_arg_str(args, "name");
	int slot = vs_core_port_find(name);
	if (slot < 0)
		return vs_err_set(e, ENOENT, "args.name", "no port '%s'", name);
	return slot;
}

static int h_port_add(const json_t *args, json_t **r, struct vs_err *e)
{
	struct vs_port_cfg cfg;
	int rc;
	if ((rc = vs_port_cfg_from_json(args, "args", &cfg, e)) < 0 ||
	    (rc = vs_core_port_add(&cfg, e)) < 0)
		return rc;
	*r = vs_port_to_json((uint16_t)vs_core_port_find(cfg.name));
	return 0;
}

static int h_port_del(const json_t *args, json_t **r, struct vs_err *e)
{
	int rc = vs_core_port_del(vs_arg_str(args, "name"), e);
	if (rc == 0)
		*r = json_object();
	return rc;
}

static int h_port_set(const json_t *args, json_t **r, struct vs_err *e)
{
	int slot = port_slot(args, e), rc;
	if (slot < 0)
		return slot;
	struct vs_port_cfg n = vs_st.ports[slot].cfg;
	if ((rc = vs_port_cfg_update(args, "args", &n, e)) < 0 || (rc = vs_core_port_set(&n, e)) < 0)
		return rc;
	*r = vs_port_to_json((uint16_t)slot);
	return 0;
}

static int h_port_list(const json_t *args, json_t **r, struct vs_err *e)
{
	(void)args, (void)e;
	int slots[VS_MAX_PORTS];
	int n = vs_core_ports_ordered(slots);
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, vs_port_to_json((uint16_t)slots[i]));
	*r = json_pack("{s:o}", "ports", a);
	return 0;
}

static int h_port_show(const json_t *args, json_t **r, struct vs_err *e)
{
	int slot = port_slot(args, e);
	if (slot < 0)
		return slot;
	*r = vs_port_to_json((uint16_t)slot);
	return 0;
}

static int h_port_clear(const json_t *args, json_t **r, struct vs_err *e)
{
	int slots[VS_MAX_PORTS], n = 0;
	if (json_object_get(args, "name") != NULL) {
		if ((slots[0] = port_slot(args, e)) < 0)
			return slots[0];
		n = 1;
	} else {
		n = vs_core_ports_ordered(slots);
	}
	for (int i = 0; i < n; i++)
		vs_port_counters_clear((uint16_t)slots[i]);
	VS_LOG(INFO, "counters of %s cleared", n == 1 && json_object_get(args, "name") ?
		       vs_arg_str(args, "name") : "all ports");
	*r = json_pack("{s:i}", "cleared", n);
	return 0;
}

static int h_vlan_list(const json_t *args, json_t **r, struct vs_err *e)
{
	(void)args, (void)e;
	int slots[VS_MAX_PORTS];
	int n = vs_core_ports_ordered(slots);
	static uint32_t macs[VS_VLAN_COUNT];	/* control thread only */
	vs_fdb_count_by_vlan(vs_dp.fdb, macs);
	json_t *a = json_array();
	for (uint32_t v = 1; v < VS_VLAN_COUNT - 1; v++) {
		json_t *ports = NULL;
		for (int i = 0; i < n; i++) {
			const struct vs_port_cfg *c = &vs_st.ports[slots[i]].cfg;
			if (!vs_port_cfg_in_vlan(c, (uint16_t)v))
				continue;
			if (ports == NULL)
				ports = json_array();
			json_array_append_new(ports, json_string(c->name));
		}
		if (ports != NULL)
			json_array_append_new(a, json_pack("{s:i, s:o, s:i}", "vlan", v, "ports", ports,
							   "macs", (json_int_t)macs[v]));
	}
	*r = json_pack("{s:o}", "vlans", a);
	return 0;
}

/* {key: [to_json(slot) for the ports that pass keep, in add order]}; with a "name" argument,
 * only that port, and an error naming it when it is not there or does not pass keep. */
int vs_ports_report(const json_t *args, json_t **r, struct vs_err *e, const char *key,
		    const char *what, bool (*keep)(const struct vs_port_cfg *),
		    json_t *(*to_json)(uint16_t))
{
	const char *name = json_object_get(args, "name") ? vs_arg_str(args, "name") : NULL;
	int slots[VS_MAX_PORTS];
	int n = vs_core_ports_ordered(slots);
	json_t *a = json_array();

	for (int i = 0; i < n; i++) {
		const struct vs_port_cfg *c = &vs_st.ports[slots[i]].cfg;
		if (keep(c) && (name == NULL || strcmp(c->name, name) == 0))
			json_array_append_new(a, to_json((uint16_t)slots[i]));
	}
	if (name != NULL && json_array_size(a) == 0) {
		json_decref(a);
		return vs_err_set(e, ENOENT, "args.name", "no %s '%s'", what, name);
	}
	*r = json_pack("{s:o}", key, a);
	return 0;
}

static bool is_bond(const struct vs_port_cfg *c)
{
	return c->type == VS_PORT_BOND;
}

static int h_bond_show(const json_t *args, json_t **r, struct vs_err *e)
{
	return vs_ports_report(args, r, e, "bonds", "bond port", is_bond, vs_bond_to_json);
}

const struct vs_handler_row vs_port_handlers[] = {
	{ VS_CMD_PORT_ADD, h_port_add },
	{ VS_CMD_PORT_DEL, h_port_del },
	{ VS_CMD_PORT_SET, h_port_set },
	{ VS_CMD_PORT_LIST, h_port_list },
	{ VS_CMD_PORT_SHOW, h_port_show },
	{ VS_CMD_PORT_CLEAR, h_port_clear },
	{ VS_CMD_VLAN_LIST, h_vlan_list },
	{ VS_CMD_BOND_SHOW, h_bond_show },
	{ 0, NULL },
};

