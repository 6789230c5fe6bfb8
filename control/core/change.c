/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The change transaction (change.h): derived tables, snapshot, publish, commit or abort.
 * Core functions (core.c), the policy model (netpol.c) and the config loader at startup all
 * end a change here; nothing else publishes a snapshot.
 */
#include <stdint.h>
#include <time.h>

#include "control/core/change.h"
#include "control/core/snapshot.h"
#include "control/model/err.h"
#include "control/policy/netpol.h"
#include "control/policy/policy_set.h"

static uint64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

int vs_change_commit(unsigned int scope, struct vs_err *e)
{
	bool policy = (scope & VS_CHANGE_POLICY) && vs_netpol_active();
	int rc;

	/* Nothing the workers see derives from the policy model while no policy is in use. */
	if (!(scope & VS_CHANGE_PORTS) && !policy)
		return 0;
	/* 1. the derived tables whose inputs changed */
	if (policy && (rc = vs_policy_set_stage(e)) < 0)
		return rc;
	if (!policy && vs_netpol_active())
		vs_np.stats.skipped++;	/* the compiled set stays as it is */
	/* 2. the snapshot from them, published; the old one freed after the grace period */
	uint64_t t = now_us();
	if ((rc = vs_snapshot_publish(vs_policy_set_staged(), e)) < 0) {
		vs_policy_set_abort();
		return rc;
	}
	/* 3. commit: the staged tables are the ones in use */
	vs_policy_set_commit(now_us() - t);
	return 0;
}
