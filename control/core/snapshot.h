/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Builds the workers' snapshot from the running state, publishes it, waits a
 * grace period and frees the old one. Control thread only.
 */
#ifndef VS_SNAPSHOT_H
#define VS_SNAPSHOT_H

#include "control/model/err.h"
#include "dataplane/policy/policy_dp.h"

/* Build from vs_st's ports and the given policy set (NULL: none), publish, wait a grace
 * period, free the old. Only vs_change_commit (and startup, before any port) calls it. */
int vs_snapshot_publish(const struct vs_policy_dp *policy, struct vs_err *e);
void vs_snapshot_free_current(void);

#endif
