/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Handlers of the MAC table commands (mac.*). Control thread only.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>


#include "control/l2/mac_cmds.h"
#include "vs_types.h"
#include "control/core/core.h"
#include "control/l2/fdb.h"
#include "control/model/config.h"
#include "control/model/err.h"
#include "control/model/vlan_set.h"
#include "control/server/handlers.h"
#include "dataplane/worker/dp.h"

/* Optional vlan/port filters of mac.show and mac.flush. */
static int mac_filter(const json_t *args, uint16_t *vlan, uint16_t *port, struct vs_err *e)
{
	json_t *v = json_object_get(args, "vlan");
	*vlan = 0;
	*port = VS_PORT_NONE;
	if (v != NULL) {
		if (json_integer_value(v) < VS_VLAN_MIN || json_integer_value(v) > VS_VLAN_MAX)
			return vs_err_set(e, ERANGE, "args.vlan", "VLAN ids are %d..%d", VS_VLAN_MIN,
					  VS_VLAN_MAX);
		*vlan = (uint16_t)json_integer_value(v);
	}
	if (json_object_get(args, "port") != NULL) {
		int slot = vs_core_port_find(vs_arg_str(args, "port"));
		if (slot < 0)
			return vs_err_set(e, ENOENT, "args.port", "no port '%s'",
					  vs_arg_str(args, "port"));
		*port = (uint16_t)slot;
	}
	return 0;
}

static int h_mac_show(const json_t *args, json_t **r, struct vs_err *e)
{
	uint16_t vlan, port;
	int rc = mac_filter(args, &vlan, &port, e);
	if (rc < 0)
		return rc;
	*r = json_pack("{s:o}", "macs",
		       vs_fdb_to_json(vs_dp.fdb, vlan, port, atomic_load(&vs_dp.clock_s)));
	return 0;
}

static int h_mac_add(const json_t *args, json_t **r, struct vs_err *e)
{
	struct vs_static_mac m;
	int rc;
	if ((rc = vs_static_mac_from_json(args, "args", &m, e)) < 0 ||
	    (rc = vs_core_mac_add(&m, e)) < 0)
		return rc;
	*r = json_object();
	return 0;
}

static int h_mac_del(const json_t *args, json_t **r, struct vs_err *e)
{
	uint8_t mac[6];
	json_int_t vlan = json_integer_value(json_object_get(args, "vlan"));
	vs_mac_parse(vs_arg_str(args, "mac"), mac);
	if (vlan < VS_VLAN_MIN || vlan > VS_VLAN_MAX)
		return vs_err_set(e, ERANGE, "args.vlan", "VLAN ids are %d..%d", VS_VLAN_MIN,
				  VS_VLAN_MAX);
	int rc = vs_core_mac_del((uint16_t)vlan, mac, e);
	if (rc == 0)
		*r = json_object();
	return rc;
}

static int h_mac_flush(const json_t *args, json_t **r, struct vs_err *e)
{
	uint16_t vlan, port;
	int rc = mac_filter(args, &vlan, &port, e);
	if (rc < 0)
		return rc;
	*r = json_pack("{s:i}", "flushed", (json_int_t)vs_core_mac_flush(vlan, port));
	return 0;
}

const struct vs_handler_row vs_mac_handlers[] = {
	{ VS_CMD_MAC_SHOW, h_mac_show },
	{ VS_CMD_MAC_ADD, h_mac_add },
	{ VS_CMD_MAC_DEL, h_mac_del },
	{ VS_CMD_MAC_FLUSH, h_mac_flush },
	{ 0, NULL },
};
