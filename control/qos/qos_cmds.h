/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The QoS commands' handlers (qos.show),
 * bound by control/server/handlers.c. Control thread only.
 */
#ifndef VS_QOS_CMDS_H
#define VS_QOS_CMDS_H

#include "control/server/handlers.h"

extern const struct vs_handler_row vs_qos_handlers[];

#endif
