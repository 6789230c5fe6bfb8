/* SPDX-License-Identifier: BSD-3-Clause */
/* The control socket server (libevent). Control thread only. */
#ifndef VS_SERVER_H
#define VS_SERVER_H

#include <event2/event.h>

#include "model.h"

/* Checks that every command has a handler; aborts otherwise (a wiring bug). */
void vs_server_check_table(void);
int vs_server_start(struct event_base *base, const char *path, uint32_t perm, struct vs_err *e);
void vs_server_stop(void);

#endif
