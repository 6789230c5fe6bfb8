/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The compiled policy set (policy_set.c): staged by a change, committed once the snapshot
 * carrying it is published, or aborted. Control thread only.
 */
#ifndef VS_POLICY_SET_H
#define VS_POLICY_SET_H

#include <stdbool.h>
#include <stdint.h>

#include "control/model/err.h"
#include "control/model/policy.h"
#include "dataplane/policy/policy_dp.h"

/* Whether there is a policy or a set in use: only then do changes compile. */
bool vs_netpol_active(void);
/* What the compiler sees: the ports in use (ports has VS_MAX_PORTS room), namespaces,
 * networks. */
void vs_netpol_inventory(struct vs_inventory *inv, struct vs_inv_port *ports);
/* Whether a port (as it is or as it was) can change the compiled set: a policy selects it
 * or takes its addresses. When neither its old nor its new config can, the set stays. */
bool vs_netpol_port_matters(const struct vs_port_cfg *pc);
/* Compile the running state into a staged set; reuses the set in use when it compiles to
 * the same, shares its contexts when only per-port tables differ. */
int vs_policy_set_stage(struct vs_err *e);
/* The set the next snapshot carries: the staged one, else the one in use (NULL: none). */
const struct vs_policy_dp *vs_policy_set_staged(void);
/* After the snapshot went out: the staged set is the one in use, the old one freed (the
 * grace period has passed), its rule hits kept with their policies. */
void vs_policy_set_commit(uint64_t publish_us);
void vs_policy_set_abort(void);
/* Only once no worker runs. */
void vs_policy_set_free(void);
/* Deny events from the workers' rings into the monitor.drops log. */
void vs_netpol_drain_events(void);

#endif
