/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The port commands' handlers (port.*, vlan.list, bond.show),
 * bound by control/server/handlers.c. Control thread only.
 */
#ifndef VS_PORT_CMDS_H
#define VS_PORT_CMDS_H

#include "control/model/err.h"
#include "control/model/port_cfg.h"
#include "control/server/handlers.h"

#include <stdbool.h>
#include <stdint.h>

extern const struct vs_handler_row vs_port_handlers[];

/* {key: [to_json(slot) for the ports that pass keep, in add order]}; with a "name" argument,
 * only that port, and an error naming it when it is not there or does not pass keep. */
int vs_ports_report(const json_t *args, json_t **r, struct vs_err *e, const char *key,
		    const char *what, bool (*keep)(const struct vs_port_cfg *),
		    json_t *(*to_json)(uint16_t));

#endif
