/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Brings vswd to the desired state, one command per difference, and deletes what is no
 * longer there. vsw-agent owns, on its node's vswd: the networks named "namespace/name" (the
 * NADs'; cluster-wide names are the operator's), every namespace's labels, the labels of the
 * ports its pods' network-status names, and every policy. Policies are applied one object at a
 * time, so a refused one does not hold up the others; a refused MultiNetworkPolicy is, unless
 * fail_open, replaced by one of the same name that selects the same pods in the same
 * directions and allows nothing (a policy the switch cannot enforce must not leave a VM open).
 * Single-threaded.
 */
#ifndef VS_AGENT_RECONCILE_H
#define VS_AGENT_RECONCILE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "desired.h"

struct vs_reconciler {
	const char *socket;	/* vswd's control socket */
	bool fail_open;		/* a refused policy is logged and left out, nothing more */
	json_t *applied;	/* "Kind/ns/name" -> {"sent": the object, "refused", "closed"} */
	/* Told of each refused policy with vswd's error and whether it failed closed (an
	 * Event in vsw-agent); may be NULL. */
	void (*on_refused)(void *ctx, const json_t *pol, const char *error, bool closed);
	void *ctx;
	char last_error[1024];	/* vswd's last refusal */
	json_t *inputs;		/* the networks and namespaces of the last run */
	uint64_t commands, refused, failed_closed, runs;
};

void vs_reconciler_init(struct vs_reconciler *r, const char *socket, bool fail_open);
/* Returns 0 when vswd holds the desired state (refused policies aside), -1 if vswd could not
 * be reached or a command failed for a reason other than refusal (try again later). A
 * refused policy is sent again when the networks or namespaces change, or on `resync`. */
int vs_reconcile(struct vs_reconciler *r, const struct vs_desired *d, bool resync);
void vs_reconciler_free(struct vs_reconciler *r);

/* The fail-closed stand-in for a refused MultiNetworkPolicy: its name, namespace, policy-for
 * and podSelector (an empty one if `wide`), its directions, no rules. Pure. */
json_t *vs_fail_closed_policy(const json_t *pol, bool wide);

#endif
