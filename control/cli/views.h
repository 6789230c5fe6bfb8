/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The human view of every command's result, built on the writer: per-command views where a
 * table needs chosen columns (port list, bonds, QoS, policies, connections), the generic
 * record/table rendering (render.h) for every other command, so no command prints raw JSON
 * unless asked with --json. Single-threaded.
 */
#ifndef VS_CLI_VIEWS_H
#define VS_CLI_VIEWS_H

#include <jansson.h>
#include <stdio.h>

/* Prints the view of command `cmd`'s result to f; returns 0 or -errno. */
int vs_view_print(FILE *f, const char *cmd, const json_t *res);

#endif
