/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The network policy commands' handlers (network.*, namespace.*, policy.*, conntrack.show,
 * monitor.drops),
 * bound by control/server/handlers.c. Control thread only.
 */
#ifndef VS_POLICY_CMDS_H
#define VS_POLICY_CMDS_H

#include "control/server/handlers.h"

extern const struct vs_handler_row vs_policy_handlers[];

#endif
