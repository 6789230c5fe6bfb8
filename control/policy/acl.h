/* SPDX-License-Identifier: BSD-3-Clause */
/* rte_acl contexts of a compiled policy set (acl.c), and the connection table (conntrack.c).
 * Control thread only. */
#ifndef VS_ACL_H
#define VS_ACL_H

#include <jansson.h>

#include "control/model/err.h"
#include "control/model/netpol_cfg.h"
#include "control/model/policy.h"
#include "dataplane/policy/policy_dp.h"

/* The data path's policy object for c; NULL on error (e set). */
struct vs_policy_dp *vs_acl_build(const struct vs_compiled *c, const struct vs_acl_plan *pl,
				  uint32_t gen, struct vs_err *e);
/* A set whose contexts are cur's (vs_acl_plans_same): only the per-port tables are new. */
struct vs_policy_dp *vs_acl_share(const struct vs_compiled *c, const struct vs_acl_plan *pl,
				  const struct vs_policy_dp *cur, uint32_t gen, struct vs_err *e);
/* Call only once no snapshot references p. */
void vs_acl_free(struct vs_policy_dp *p);
/* Hits of one rule, all workers. */
uint64_t vs_acl_hits(const struct vs_policy_dp *p, uint32_t rule);

struct vs_ct *vs_ct_create(const struct vs_conntrack_cfg *cfg);
void vs_ct_destroy(struct vs_ct *ct);
/* Once a second: delete expired and dead connections (waits a grace period). */
void vs_ct_expire(struct vs_ct *ct, const struct vs_conntrack_cfg *cfg, uint32_t now);
/* After a port is removed and no worker sees it: delete its connections and datagrams. */
void vs_ct_forget_port(struct vs_ct *ct, const struct vs_conntrack_cfg *cfg, uint32_t now,
		       uint16_t slot);
json_t *vs_ct_to_json(const struct vs_ct *ct, const struct vs_conntrack_cfg *cfg, uint32_t now,
		      size_t limit);

#endif
