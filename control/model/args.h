/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Checks a request's arguments against its command's schema.
 * Pure model (Jansson only, no DPDK). Control thread, config loader and unit tests.
 */
#ifndef VS_ARGS_H
#define VS_ARGS_H

#include <jansson.h>

#include "vs_commands.h"
#include "control/model/err.h"

/* Check a JSON args object against a command's schema (names, types,
 * required); prefix names the object in errors ("args", "ports[2]"). */
int vs_args_check(const struct vs_command_spec *spec, const json_t *args, const char *prefix,
		  struct vs_err *e);
/* The same by command name: what a config file row (the arguments of that command) passes
 * before it is decoded, as a request passes at dispatch. */
int vs_request_check(const char *cmd, const json_t *args, const char *prefix, struct vs_err *e);

#endif
