/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vswctl's help, all of it derived from the command table (vs_commands.h) and laid out by
 * the writer: the usage with one line per command, a group's commands ("help port"), one
 * command with its arguments ("help port add", "port add --help"), and the table as JSON
 * in the shape of the server's "commands" result ("--json help"). Single-threaded.
 */
#ifndef VS_CLI_HELP_H
#define VS_CLI_HELP_H

#include <stdbool.h>
#include <stdio.h>

#define VS_CLI_DEFAULT_TIMEOUT_S 10.0

/* The whole usage: options and every command, one line each. Returns 0 or -errno. */
int vs_help_usage(FILE *f);
/* Help for the words after "help" (or before "--help"): a command, or a group of commands.
 * Returns 0, or -ENOENT after printing that no such command or group exists. */
int vs_help_words(FILE *f, char **words, int n, bool as_json);
/* True if `word` is the first word of some command ("port"). */
bool vs_help_is_group(const char *word);

#endif
