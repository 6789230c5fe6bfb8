/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The MAC table commands' handlers (mac.*),
 * bound by control/server/handlers.c. Control thread only.
 */
#ifndef VS_MAC_CMDS_H
#define VS_MAC_CMDS_H

#include "control/server/handlers.h"

extern const struct vs_handler_row vs_mac_handlers[];

#endif
