/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `vswctl completion bash`: a bash completion script generated from the command table at
 * run time, so it names exactly the commands and arguments this vswctl knows and cannot go
 * stale. Single-threaded.
 */
#ifndef VS_CLI_COMPLETION_H
#define VS_CLI_COMPLETION_H

#include <stdio.h>

/* Prints the script for `shell` ("bash"); returns 0, -EINVAL for another shell, or -errno. */
int vs_completion_print(FILE *f, const char *shell);

#endif
