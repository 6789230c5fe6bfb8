/* SPDX-License-Identifier: BSD-3-Clause */
/* Command handlers, bound to the command table by id. Control thread only. */
#ifndef VS_HANDLERS_H
#define VS_HANDLERS_H

#include <jansson.h>

#include "vs_commands.h"
#include "control/model/err.h"

/* args were checked against the command's schema. On success *result is set. */
typedef int (*vs_handler_fn)(const json_t *args, json_t **result, struct vs_err *e);

/* Indexed by enum vs_command_id; vswd refuses to start if a row is NULL. */
extern const vs_handler_fn vs_handlers[VS_CMD__COUNT];

#endif
