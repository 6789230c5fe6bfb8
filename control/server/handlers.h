/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Command handlers, bound to the command table by id. Each feature folder lists its own
 * handlers (control/<feature>/<feature>_cmds.c, a vs_handler_row array); vs_handlers_bind
 * puts them in one table at startup. Control thread only.
 */
#ifndef VS_HANDLERS_H
#define VS_HANDLERS_H

#include <jansson.h>

#include "vs_commands.h"
#include "control/model/err.h"

/* args were checked against the command's schema. On success *result is set. */
typedef int (*vs_handler_fn)(const json_t *args, json_t **result, struct vs_err *e);

struct vs_handler_row {
	enum vs_command_id id;
	vs_handler_fn fn;	/* NULL ends a feature's list */
};

/* Indexed by enum vs_command_id; filled by vs_handlers_bind. */
extern vs_handler_fn vs_handlers[VS_CMD__COUNT];

/* Binds every feature's rows; aborts vswd (a wiring mistake) if a command has no handler
 * or two. */
void vs_handlers_bind(void);

/* The string argument key (schema-checked), or NULL when absent. */
const char *vs_arg_str(const json_t *args, const char *key);

/* This file's own rows: session and whole-switch commands. */
extern const struct vs_handler_row vs_server_handlers[];

#endif
