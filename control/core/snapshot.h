/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Builds the workers' snapshot from the running state, publishes it, waits a
 * grace period and frees the old one. Control thread only.
 */
#ifndef VS_SNAPSHOT_H
#define VS_SNAPSHOT_H

#include "control/model/err.h"

/* Build from vs_st, publish, wait a grace period, free the old. */
int vs_snapshot_publish(struct vs_err *e);
void vs_snapshot_free_current(void);

#endif
