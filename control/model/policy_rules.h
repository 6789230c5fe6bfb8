/* SPDX-License-Identifier: BSD-3-Clause */
/* The rules of a policy object, checked (policy_rules.c). Pure model; control thread. */
#ifndef VS_POLICY_RULES_H
#define VS_POLICY_RULES_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "control/model/err.h"

/* A Kubernetes LabelSelector (matchLabels, matchExpressions). */
int vs_selector_check(const json_t *sel, const char *path, struct vs_err *e);
/* One peer of an (B)ANP rule, or its subject: pods, namespaces, networks (if networks_ok);
 * budget counts the prefixes it may still add. */
int vs_policy_anp_peer_check(const json_t *t, const char *path, bool networks_ok,
			     unsigned int *budget, struct vs_err *e);
/* spec.ingress / spec.egress (dir: enum vs_dir) of a MultiNetworkPolicy. */
int vs_policy_np_rules_check(const json_t *spec, const char *path, int dir, struct vs_err *e);
/* The same of an AdminNetworkPolicy or BaselineAdminNetworkPolicy (kind: enum vs_pol_kind). */
int vs_policy_anp_rules_check(const json_t *spec, const char *path, int dir, uint8_t kind,
			      struct vs_err *e);

#endif
