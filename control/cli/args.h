/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Command words to a request, from the one command table (vs_commands.h): "port add vm1
 * vlan=2003" is the row port.add with {"name": "vm1", "vlan": 2003}. Only argument names
 * and types are checked here; vswd validates everything else. Single-threaded.
 */
#ifndef VS_CLI_ARGS_H
#define VS_CLI_ARGS_H

#include <jansson.h>
#include <stdbool.h>

#include "vs_commands.h"

/* The row named by the first two words ("port add") or the first one ("stats"); *used says
 * how many words it took. NULL if none: prints why unless `quiet`. */
const struct vs_command_spec *vs_args_resolve(char **words, int n, int *used, bool quiet);
/* The "args" object of key=value (and a leading positional) words; NULL after printing why. */
json_t *vs_args_build(const struct vs_command_spec *c, char **words, int n);

#endif
