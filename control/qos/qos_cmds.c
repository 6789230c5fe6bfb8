/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Handlers of the QoS commands (qos.show). Control thread only.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>


#include "control/qos/qos_cmds.h"
#include "control/model/err.h"
#include "control/model/port_cfg.h"
#include "control/port/port_cmds.h"
#include "control/qos/qos.h"
#include "control/server/handlers.h"

static bool every_port(const struct vs_port_cfg *c)
{
	(void)c;
	return true;
}

static int h_qos_show(const json_t *args, json_t **r, struct vs_err *e)
{
	return vs_ports_report(args, r, e, "ports", "port", every_port, vs_qos_to_json);
}

const struct vs_handler_row vs_qos_handlers[] = {
	{ VS_CMD_QOS_SHOW, h_qos_show },
	{ 0, NULL },
};
