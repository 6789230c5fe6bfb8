/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Checking policy objects in the JSON form `kubectl get -o json` prints: every field the
 * compiler reads is checked here, so a policy that passes compiles, and one that does not is
 * refused with the JSON path of the field at fault. Unknown keys under spec are refused (a
 * typo must not silently widen a policy); metadata and status may carry anything. Pure.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "vs_types.h"
#include "control/model/err.h"
#include "control/model/json_get.h"
#include "control/model/netpol_cfg.h"
#include "control/model/policy.h"
#include "control/model/policy_rules.h"
#include "dataplane/policy/policy_dp.h"

static const char *const kind_names[VS_POL_KINDS] = { "MultiNetworkPolicy", "AdminNetworkPolicy",
						      "BaselineAdminNetworkPolicy" };

const char *vs_policy_kind_name(uint8_t kind)
{
	return kind < VS_POL_KINDS ? kind_names[kind] : "?";
}

int vs_policy_kind_parse(const char *s)
{
	for (int i = 0; i < VS_POL_KINDS; i++)
		if (strcmp(s, kind_names[i]) == 0)
			return i;
	return -1;
}

const char *vs_tier_name(uint8_t tier)
{
	static const char *const n[VS_TIERS] = { "admin", "tenant", "baseline" };
	return tier < VS_TIERS ? n[tier] : "?";
}

const char *vs_action_name(uint8_t action)
{
	static const char *const n[] = { "none", "Allow", "Deny", "Pass" };
	return action <= VS_ACT_PASS ? n[action] : "?";
}

static int check_networks(const json_t *md, const struct vs_network *nets, unsigned int n_nets,
			  bool required, const char *pol_ns, struct vs_err *e)
{
	const char *f = "metadata.annotations." VS_POLICY_FOR;
	json_t *an = json_object_get(md, "annotations");
	json_t *v = json_is_object(an) ? json_object_get(an, VS_POLICY_FOR) : NULL;

	if (v == NULL)
		return required ? vs_err_set(e, EINVAL, f, "required: the network(s) the policy is for") :
				  0;
	if (!json_is_string(v))
		return vs_err_set(e, EINVAL, f, "expected a string");
	const char *s = json_string_value(v);
	if (*s == '\0')
		return vs_err_set(e, EINVAL, f, "names no network");
	const char *name;
	size_t nlen;
	while ((s = vs_policy_for_next(s, &name, &nlen)) != NULL) {
		if (vs_network_resolve(nets, n_nets, name, nlen, pol_ns) < 0)
			return vs_err_set(e, ENOENT, f, "unknown network '%.*s'%s%s (see "
					  "network.list)", (int)nlen, name,
					  pol_ns && !memchr(name, '/', nlen) ? ": no NAD network in " : "",
					  pol_ns && !memchr(name, '/', nlen) ? pol_ns : "");
	}
	return 0;
}

const char *vs_policy_for_next(const char *s, const char **name, size_t *len)
{
	while (*s == ' ' || *s == ',')
		s++;
	if (*s == '\0')
		return NULL;
	const char *end = strchr(s, ',');
	size_t n = end ? (size_t)(end - s) : strlen(s);
	while (n > 0 && s[n - 1] == ' ')
		n--;
	*name = s;	/* "namespace/name" or "name": vs_network_resolve reads it */
	*len = n;
	return end ? end + 1 : s + strlen(s);
}

/* metadata: name, namespace (MultiNetworkPolicy), the policy-for networks; fills id. */
static int check_metadata(const json_t *md, int k, const struct vs_network *nets,
			  unsigned int n_nets, struct vs_policy_id *id, struct vs_err *e)
{
	const char *name, *ns;
	int rc;

	if (!json_is_object(md))
		return vs_err_set(e, EINVAL, "metadata", "required: an object with name");
	if ((rc = vs_json_get_strref(md, "name", "metadata", true, &name, e)) < 0 ||
	    (rc = vs_json_get_strref(md, "namespace", "metadata", false, &ns, e)) < 0)
		return rc;
	if (*name == '\0' || strlen(name) >= VS_POLICY_NAME_MAX)
		return vs_err_set(e, EINVAL, "metadata.name", "1..%d characters",
				  VS_POLICY_NAME_MAX - 1);
	if (k == VS_POL_NP && ns != NULL && (*ns == '\0' || strlen(ns) >= VS_NS_NAME_MAX))
		return vs_err_set(e, EINVAL, "metadata.namespace", "1..%d characters",
				  VS_NS_NAME_MAX - 1);
	if (k == VS_POL_BANP && strcmp(name, "default") != 0)
		return vs_err_set(e, EINVAL, "metadata.name",
				  "a BaselineAdminNetworkPolicy must be named 'default'");
	id->kind = (uint8_t)k;
	snprintf(id->name, sizeof(id->name), "%s", name);
	if (k == VS_POL_NP)
		snprintf(id->ns, sizeof(id->ns), "%s", ns != NULL ? ns : "default");
	return check_networks(md, nets, n_nets, k == VS_POL_NP, k == VS_POL_NP ? id->ns : NULL, e);
}

static int check_np_spec(const json_t *spec, struct vs_err *e)
{
	static const char *const keys[] = { "podSelector", "policyTypes", "ingress", "egress",
					     NULL };
	json_t *ps = json_object_get(spec, "podSelector"), *types, *t;
	char f[256];
	size_t i;
	int rc;

	if ((rc = vs_json_only_keys(spec, "spec", keys, e)) < 0)
		return rc;
	if (ps == NULL)
		return vs_err_set(e, EINVAL, "spec.podSelector", "required ({} selects all)");
	if ((rc = vs_selector_check(ps, "spec.podSelector", e)) < 0 ||
	    (rc = vs_json_get_array(spec, "policyTypes", "spec", 2, &types, e)) < 0)
		return rc;
	json_array_foreach(types, i, t) {
		const char *s = json_string_value(t);
		if (s == NULL || (strcmp(s, "Ingress") != 0 && strcmp(s, "Egress") != 0))
			return vs_err_set(e, EINVAL, vs_pathf(f, sizeof(f), "spec.policyTypes[%zu]", i),
					  "expected Ingress or Egress");
	}
	if ((rc = vs_policy_np_rules_check(spec, "spec", VS_DIR_INGRESS, e)) < 0 ||
	    (rc = vs_policy_np_rules_check(spec, "spec", VS_DIR_EGRESS, e)) < 0)
		return rc;
	return 0;
}

/* AdminNetworkPolicy (k VS_POL_ANP) or BaselineAdminNetworkPolicy. */
static int check_anp_spec(const json_t *spec, int k, struct vs_err *e)
{
	static const char *const keys[] = { "priority", "subject", "ingress", "egress", NULL };
	int rc;

	if ((rc = vs_json_only_keys(spec, "spec", keys, e)) < 0)
		return rc;
	json_t *prio = json_object_get(spec, "priority");
	if (k == VS_POL_ANP && (!json_is_integer(prio) || json_integer_value(prio) < 0 ||
				json_integer_value(prio) > VS_ANP_PRIORITY_MAX))
		return vs_err_set(e, EINVAL, "spec.priority", "required: 0..%d (lower goes first)",
				  VS_ANP_PRIORITY_MAX);
	if (k == VS_POL_BANP && prio != NULL)
		return vs_err_set(e, EINVAL, "spec.priority",
				  "a BaselineAdminNetworkPolicy has no priority");
	json_t *subject = json_object_get(spec, "subject");
	if (subject == NULL)
		return vs_err_set(e, EINVAL, "spec.subject", "required");
	unsigned int no_networks = 0;	/* a subject has no networks (refused before) */
	if ((rc = vs_policy_anp_peer_check(subject, "spec.subject", false, &no_networks, e)) < 0 ||
	    (rc = vs_policy_anp_rules_check(spec, "spec", VS_DIR_INGRESS, (uint8_t)k, e)) < 0 ||
	    (rc = vs_policy_anp_rules_check(spec, "spec", VS_DIR_EGRESS, (uint8_t)k, e)) < 0)
		return rc;
	return 0;
}

/* Errors name the path inside the object; say which object too. */
static int in_object(struct vs_err *e, const char *prefix, int rc)
{
	char rel[sizeof(e->field)], full[sizeof(e->field) + 64];
	snprintf(rel, sizeof(rel), "%s", e->field[0] == '.' ? e->field + 1 : e->field);
	if (prefix != NULL && prefix[0] != '\0')
		VS_FIELD(full, prefix, rel);
	else
		snprintf(full, sizeof(full), "%s", rel);
	vs_pathf(e->field, sizeof(e->field), "%s", full);
	return rc;
}

int vs_policy_check(const json_t *obj, const char *prefix, const struct vs_network *nets,
		    unsigned int n_nets, struct vs_policy_id *id, struct vs_err *e)
{
	static const char *const top[] = { "apiVersion", "kind", "metadata", "spec", "status",
					   NULL };
	const char *kind, *api;
	int rc;

	memset(id, 0, sizeof(*id));
	if ((rc = vs_json_only_keys(obj, "", top, e)) < 0 ||
	    (rc = vs_json_get_strref(obj, "kind", "", true, &kind, e)) < 0 ||
	    (rc = vs_json_get_strref(obj, "apiVersion", "", false, &api, e)) < 0)
		return in_object(e, prefix, rc);
	int k = vs_policy_kind_parse(kind);
	if (k < 0)
		return in_object(e, prefix,
				 vs_err_set(e, EINVAL, "kind",
					    "'%s': expected MultiNetworkPolicy, AdminNetworkPolicy or "
					    "BaselineAdminNetworkPolicy", kind));
	json_t *spec = json_object_get(obj, "spec");
	if ((rc = check_metadata(json_object_get(obj, "metadata"), k, nets, n_nets, id, e)) < 0)
		return in_object(e, prefix, rc);
	if (!json_is_object(spec))
		return in_object(e, prefix, vs_err_set(e, EINVAL, "spec", "required: an object"));
	rc = k == VS_POL_NP ? check_np_spec(spec, e) : check_anp_spec(spec, k, e);
	return rc < 0 ? in_object(e, prefix, rc) : 0;
}

