/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Network policy, running state: networks, namespace labels and the policy objects. Each
 * change goes through the change transaction (control/core/change.c), which compiles a new
 * set (policy_set.c) while the workers keep using the old one; on any error the change is
 * undone here and nothing else changed. Control thread only.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_cycles.h>
#include <rte_ring.h>

#include "control/policy/netpol.h"
#include "vs_types.h"
#include "control/core/change.h"
#include "control/core/log.h"
#include "control/model/err.h"
#include "control/model/netpol_cfg.h"
#include "control/model/policy.h"
#include "control/policy/policy_set.h"
#include "dataplane/policy/policy_dp.h"

struct vs_netpol vs_np;

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Network policy, running state: networks, namespace labels, the policy objects, and the
 * compiled set the data path uses. Any change that can alter the compiled set (a policy,
 * a network, namespace labels, a port's labels/IPs/VLAN, a port added or removed) compiles a
 * new set on this thread while the workers keep using the old one; the new set goes out in
 * the same snapshot as the change itself, and the old one is freed after the grace period.
 * On any error nothing changes. Control thread only.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_cycles.h>
#include <rte_ring.h>

struct vs_netpol vs_np;

static void entry_free(struct vs_policy_entry *p)
{
	vs_pod_peers_free(&p->peers);
	json_decref(p->obj);
	free(p->hits[0]);
	free(p->hits[1]);
	memset(p, 0, sizeof(*p));
}

static int entry_init(struct vs_policy_entry *p, const json_t *obj, const struct vs_policy_id *id)
{
	memset(p, 0, sizeof(*p));
	p->id = *id;
	p->obj = json_deep_copy(obj);
	p->seq = ++vs_np.next_seq;
	json_t *spec = json_object_get(obj, "spec");
	for (int d = 0; d < VS_DIRS; d++) {
		p->n_rules[d] = (uint32_t)json_array_size(
			json_object_get(spec, d == VS_DIR_INGRESS ? "ingress" : "egress"));
		p->hits[d] = calloc(p->n_rules[d] + 1, sizeof(uint64_t));
	}
	if (p->obj == NULL || p->hits[0] == NULL || p->hits[1] == NULL ||
	    vs_policy_pod_peers(p->obj, &p->peers) < 0) {
		entry_free(p);
		return -ENOMEM;
	}
	return 0;
}

int vs_netpol_find(const struct vs_policy_id *id)
{
	for (uint32_t i = 0; i < vs_np.n_policies; i++) {
		const struct vs_policy_id *x = &vs_np.policies[i].id;
		if (x->kind == id->kind && strcmp(x->name, id->name) == 0 &&
		    strcmp(x->ns, id->ns) == 0)
			return (int)i;
	}
	return -1;
}

/* The objects of a request: one policy, a List ({"kind": "List", "items": [...]}) or an array. */
static json_t *items_of(const json_t *v)
{
	if (json_is_array(v))
		return json_incref((json_t *)v);
	const char *kind = json_string_value(json_object_get(v, "kind"));
	if (kind != NULL && strcmp(kind, "List") == 0 && json_is_array(json_object_get(v, "items")))
		return json_incref(json_object_get(v, "items"));
	json_t *a = json_array();
	json_array_append(a, (json_t *)v);
	return a;
}

int vs_netpol_policy_apply(const json_t *v, const char *prefix, json_t **applied,
			   struct vs_err *e)
{
	json_t *items = items_of(v), *o;
	uint32_t n_old = vs_np.n_policies;
	size_t n = json_array_size(items), i;
	struct vs_policy_id *ids = calloc(n + 1, sizeof(*ids));
	struct vs_policy_entry *saved = NULL;
	char f[96];
	int rc = 0;

	if (ids == NULL) {
		json_decref(items);
		return vs_err_set(e, ENOMEM, NULL, "out of memory");
	}
	if (n == 0)
		rc = vs_err_set(e, EINVAL, prefix, "no policy objects");
	json_array_foreach(items, i, o) {
		if (rc < 0)
			break;
		if (json_is_array(v) || json_object_get(v, "items") != NULL)
			vs_pathf(f, sizeof(f), "%s[%zu]", prefix, i);
		else
			vs_pathf(f, sizeof(f), "%s", prefix);
		rc = vs_policy_check(o, f, vs_np.networks, vs_np.n_networks, &ids[i], e);
		for (size_t j = 0; j < i && rc == 0; j++)
			if (memcmp(&ids[j], &ids[i], sizeof(ids[i])) == 0)
				rc = vs_err_set(e, EEXIST, f, "%s '%s' given twice",
						vs_policy_kind_name(ids[i].kind), ids[i].name);
	}
	/* Replace in place or append; the old array is kept until the change is live. */
	if (rc == 0 && vs_np.n_policies + n > VS_POLICIES_MAX)
		rc = vs_err_set(e, ENOSPC, prefix, "more than %d policies", VS_POLICIES_MAX);
	if (rc == 0 && (saved = malloc(sizeof(*saved) * (n_old + 1))) == NULL)
		rc = vs_err_set(e, ENOMEM, NULL, "out of memory");
	if (rc < 0)
		goto out;
	memcpy(saved, vs_np.policies, sizeof(*saved) * n_old);
	uint32_t replaced[VS_POLICIES_MAX], n_replaced = 0;
	json_array_foreach(items, i, o) {
		int at = vs_netpol_find(&ids[i]);
		struct vs_policy_entry ne;
		if ((rc = entry_init(&ne, o, &ids[i])) < 0) {
			vs_err_set(e, ENOMEM, NULL, "out of memory");
			break;
		}
		if (at >= 0) {
			vs_np.policies[at] = ne;	/* the old entry lives on in saved */
			replaced[n_replaced++] = (uint32_t)at;
		} else {
			vs_np.policies[vs_np.n_policies++] = ne;
		}
	}
	if (rc == 0)
		rc = vs_change_commit(VS_CHANGE_POLICY, e);
	if (rc < 0) {
		/* free what this request created, put the old entries back */
		for (uint32_t k = 0; k < n_replaced; k++)
			entry_free(&vs_np.policies[replaced[k]]);
		for (uint32_t k = n_old; k < vs_np.n_policies; k++)
			entry_free(&vs_np.policies[k]);
		memcpy(vs_np.policies, saved, sizeof(*saved) * n_old);
		vs_np.n_policies = n_old;
		goto out;
	}
	for (uint32_t k = 0; k < n_replaced; k++)
		entry_free(&saved[replaced[k]]);
	*applied = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(*applied, json_pack("{s:s, s:s, s:s}", "kind",
							  vs_policy_kind_name(ids[i].kind), "name",
							  ids[i].name, "namespace", ids[i].ns));
	VS_LOG_RL(INFO,
		  "%zu policies applied: %u rules, %u ACL entries, compile %lu us, build %lu us", n,
		  vs_np.stats.rules, vs_np.stats.entries, (unsigned long)vs_np.stats.compile_us,
		  (unsigned long)vs_np.stats.build_us);
out:
	free(saved);
	free(ids);
	json_decref(items);
	return rc;
}

int vs_netpol_policy_delete(const struct vs_policy_id *id, struct vs_err *e)
{
	int at = vs_netpol_find(id);
	if (at < 0)
		return vs_err_set(e, ENOENT, "args.name", "no %s '%s'%s%s",
				  vs_policy_kind_name(id->kind), id->name,
				  id->kind == VS_POL_NP ? " in namespace " : "",
				  id->kind == VS_POL_NP ? id->ns : "");
	struct vs_policy_entry gone = vs_np.policies[at];
	memmove(&vs_np.policies[at], &vs_np.policies[at + 1],
		sizeof(gone) * (vs_np.n_policies - (uint32_t)at - 1));
	vs_np.n_policies--;
	int rc = vs_change_commit(VS_CHANGE_POLICY, e);
	if (rc < 0) {
		memmove(&vs_np.policies[at + 1], &vs_np.policies[at],
			sizeof(gone) * (vs_np.n_policies - (uint32_t)at));
		vs_np.policies[at] = gone;
		vs_np.n_policies++;
		return rc;
	}
	entry_free(&gone);
	VS_LOG_RL(INFO, "policy %s '%s' deleted", vs_policy_kind_name(id->kind), id->name);
	return 0;
}

/* ---------------------------------------------------------------- networks, namespaces */

int vs_netpol_network_add(const struct vs_network *n, struct vs_err *e)
{
	for (uint16_t i = 0; i < vs_np.n_networks; i++)
		if (strcmp(vs_np.networks[i].name, n->name) == 0)
			return vs_err_set(e, EEXIST, "args.name", "network '%s' exists (VLAN %u)",
					  n->name, vs_np.networks[i].vlan);
	if (vs_np.n_networks == VS_NETWORKS_MAX)
		return vs_err_set(e, ENOSPC, "args.name", "more than %d networks", VS_NETWORKS_MAX);
	vs_np.networks[vs_np.n_networks++] = *n;
	/* A NAD's "ns/name" takes over from a cluster-wide "name" for the policies that name
	 * that NAD (vs_network_resolve): compile again. */
	int rc = strchr(n->name, '/') != NULL ? vs_change_commit(VS_CHANGE_POLICY, e) : 0;
	if (rc < 0)
		vs_np.n_networks--;
	return rc;
}

int vs_netpol_network_set(const struct vs_network *n, struct vs_err *e)
{
	for (uint16_t i = 0; i < vs_np.n_networks; i++) {
		if (strcmp(vs_np.networks[i].name, n->name) != 0)
			continue;
		uint16_t old = vs_np.networks[i].vlan;
		if (old == n->vlan)
			return 0;
		vs_np.networks[i].vlan = n->vlan;
		int rc = vs_change_commit(VS_CHANGE_POLICY, e);
		if (rc < 0)
			vs_np.networks[i].vlan = old;
		return rc;
	}
	return vs_err_set(e, ENOENT, "args.name", "no network '%s'", n->name);
}

static bool network_used(const char *name, struct vs_err *e)
{
	for (uint32_t i = 0; i < vs_np.n_policies; i++) {
		json_t *an = json_object_get(json_object_get(vs_np.policies[i].obj, "metadata"),
					     "annotations");
		const char *s = json_string_value(json_object_get(an, VS_POLICY_FOR));
		if (s == NULL)
			continue;
		const char *n;
		size_t len;
		const char *ns = vs_np.policies[i].id.kind == VS_POL_NP ? vs_np.policies[i].id.ns : NULL;
		while ((s = vs_policy_for_next(s, &n, &len)) != NULL) {
			int k = vs_network_resolve(vs_np.networks, vs_np.n_networks, n, len, ns);
			if (k >= 0 && strcmp(vs_np.networks[k].name, name) == 0) {
				vs_err_set(e, EBUSY, "args.name", "network '%s' is used by %s '%s'",
					   name, vs_policy_kind_name(vs_np.policies[i].id.kind),
					   vs_np.policies[i].id.name);
				return true;
			}
		}
	}
	return false;
}

int vs_netpol_network_del(const char *name, struct vs_err *e)
{
	for (uint16_t i = 0; i < vs_np.n_networks; i++) {
		if (strcmp(vs_np.networks[i].name, name) != 0)
			continue;
		if (network_used(name, e))
			return -e->code;
		memmove(&vs_np.networks[i], &vs_np.networks[i + 1],
			sizeof(vs_np.networks[0]) * (vs_np.n_networks - i - 1));
		vs_np.n_networks--;
		return 0;
	}
	return vs_err_set(e, ENOENT, "args.name", "no network '%s'", name);
}

int vs_netpol_namespace_set(const struct vs_namespace *ns, struct vs_err *e)
{
	uint16_t i;
	for (i = 0; i < vs_np.n_namespaces; i++)
		if (strcmp(vs_np.namespaces[i].name, ns->name) == 0)
			break;
	if (i == VS_NAMESPACES_MAX)
		return vs_err_set(e, ENOSPC, "args.name", "more than %d namespaces",
				  VS_NAMESPACES_MAX);
	struct vs_namespace old = vs_np.namespaces[i];
	uint16_t n_old = vs_np.n_namespaces;
	vs_np.namespaces[i] = *ns;
	if (i == vs_np.n_namespaces)
		vs_np.n_namespaces++;
	int rc = vs_change_commit(VS_CHANGE_POLICY, e);
	if (rc < 0) {
		vs_np.namespaces[i] = old;
		vs_np.n_namespaces = n_old;
	}
	return rc;
}

int vs_netpol_namespace_del(const char *name, struct vs_err *e)
{
	for (uint16_t i = 0; i < vs_np.n_namespaces; i++) {
		if (strcmp(vs_np.namespaces[i].name, name) != 0)
			continue;
		struct vs_namespace old = vs_np.namespaces[i];
		memmove(&vs_np.namespaces[i], &vs_np.namespaces[i + 1],
			sizeof(old) * (vs_np.n_namespaces - i - 1));
		vs_np.n_namespaces--;
		int rc = vs_change_commit(VS_CHANGE_POLICY, e);
		if (rc < 0) {
			memmove(&vs_np.namespaces[i + 1], &vs_np.namespaces[i],
				sizeof(old) * (vs_np.n_namespaces - i));
			vs_np.namespaces[i] = old;
			vs_np.n_namespaces++;
		}
		return rc;
	}
	return vs_err_set(e, ENOENT, "args.name", "no namespace '%s'", name);
}

void vs_netpol_load(const struct vs_network *nets, uint16_t n_nets,
		    const struct vs_namespace *nss, uint16_t n_nss)
{
	memcpy(vs_np.networks, nets, sizeof(nets[0]) * n_nets);
	vs_np.n_networks = n_nets;
	memcpy(vs_np.namespaces, nss, sizeof(nss[0]) * n_nss);
	vs_np.n_namespaces = n_nss;
}

void vs_netpol_clear(void)
{
	struct vs_err e;
	for (uint32_t i = 0; i < vs_np.n_policies; i++)
		entry_free(&vs_np.policies[i]);
	vs_np.n_policies = 0;
	if (vs_np.current != NULL)
		vs_change_commit(VS_CHANGE_POLICY, &e);	/* an empty set: the old one goes after the grace period */
}

void vs_netpol_free_all(void)
{
	vs_policy_set_free();
	for (uint32_t i = 0; i < vs_np.n_policies; i++)
		entry_free(&vs_np.policies[i]);
	vs_np.n_policies = 0;
}

struct vs_policy_entry *vs_netpol_entry_by_seq(uint64_t seq)
{
	for (uint32_t i = 0; i < vs_np.n_policies; i++)
		if (vs_np.policies[i].seq == seq)
			return &vs_np.policies[i];
	return NULL;
}

