/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Handlers of the network policy commands (network.*, namespace.*, policy.*,
 * conntrack.show, monitor.drops). Control thread only.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>


#include "control/policy/policy_cmds.h"
#include "control/core/state.h"
#include "control/model/err.h"
#include "control/model/netpol_cfg.h"
#include "control/model/policy.h"
#include "control/policy/acl.h"
#include "control/policy/netpol.h"
#include "control/server/handlers.h"
#include "dataplane/worker/dp.h"

static int h_network_add(const json_t *args, json_t **r, struct vs_err *e)
{
	struct vs_network n;
	int rc = vs_network_from_json(args, "args", &n, e);
	if (rc < 0 || (rc = vs_netpol_network_add(&n, e)) < 0)
		return rc;
	*r = vs_network_to_json(&n);
	return 0;
}

static int h_network_set(const json_t *args, json_t **r, struct vs_err *e)
{
	struct vs_network n;
	int rc = vs_network_from_json(args, "args", &n, e);
	if (rc < 0 || (rc = vs_netpol_network_set(&n, e)) < 0)
		return rc;
	*r = vs_network_to_json(&n);
	return 0;
}

static int h_network_del(const json_t *args, json_t **r, struct vs_err *e)
{
	int rc = vs_netpol_network_del(vs_arg_str(args, "name"), e);
	if (rc == 0)
		*r = json_object();
	return rc;
}

static int h_network_list(const json_t *args, json_t **r, struct vs_err *e)
{
	(void)args, (void)e;
	*r = json_pack("{s:o}", "networks", vs_networks_to_json(vs_np.networks, vs_np.n_networks));
	return 0;
}

static int h_namespace_set(const json_t *args, json_t **r, struct vs_err *e)
{
	struct vs_namespace ns;
	int rc = vs_namespace_from_json(args, "args", &ns, e);
	if (rc < 0 || (rc = vs_netpol_namespace_set(&ns, e)) < 0)
		return rc;
	*r = vs_namespace_to_json(&ns);
	return 0;
}

static int h_namespace_del(const json_t *args, json_t **r, struct vs_err *e)
{
	int rc = vs_netpol_namespace_del(vs_arg_str(args, "name"), e);
	if (rc == 0)
		*r = json_object();
	return rc;
}

static int h_namespace_list(const json_t *args, json_t **r, struct vs_err *e)
{
	(void)args, (void)e;
	*r = json_pack("{s:o}", "namespaces",
		       vs_namespaces_to_json(vs_np.namespaces, vs_np.n_namespaces));
	return 0;
}

static int h_policy_apply(const json_t *args, json_t **r, struct vs_err *e)
{
	json_t *applied = NULL;
	int rc = vs_netpol_policy_apply(json_object_get(args, "policy"), "args.policy", &applied,
					e);
	if (rc < 0)
		return rc;
	*r = json_pack("{s:o, s:i, s:i, s:I, s:I, s:I}", "applied", applied, "rules",
		       (int)vs_np.stats.rules, "acl_entries", (int)vs_np.stats.entries,
		       "compile_us", (json_int_t)vs_np.stats.compile_us, "build_us",
		       (json_int_t)vs_np.stats.build_us, "publish_us",
		       (json_int_t)vs_np.stats.publish_us);
	return 0;
}

static int policy_ref(const json_t *args, struct vs_policy_id *id, struct vs_err *e)
{
	memset(id, 0, sizeof(*id));
	const char *kind = json_object_get(args, "kind") ? vs_arg_str(args, "kind") :
							   "MultiNetworkPolicy";
	int k = vs_policy_kind_parse(kind);
	if (k < 0)
		return vs_err_set(e, EINVAL, "args.kind",
				  "'%s': expected MultiNetworkPolicy, AdminNetworkPolicy or "
				  "BaselineAdminNetworkPolicy", kind);
	id->kind = (uint8_t)k;
	snprintf(id->name, sizeof(id->name), "%s", vs_arg_str(args, "name"));
	if (k == VS_POL_NP)
		snprintf(id->ns, sizeof(id->ns), "%s",
			 json_object_get(args, "namespace") ? vs_arg_str(args, "namespace") : "default");
	return 0;
}

static int h_policy_delete(const json_t *args, json_t **r, struct vs_err *e)
{
	struct vs_policy_id id;
	int rc = policy_ref(args, &id, e);
	if (rc < 0 || (rc = vs_netpol_policy_delete(&id, e)) < 0)
		return rc;
	*r = json_object();
	return 0;
}

static int h_policy_list(const json_t *args, json_t **r, struct vs_err *e)
{
	(void)args, (void)e;
	*r = vs_netpol_list_json();
	return 0;
}

static int h_policy_show(const json_t *args, json_t **r, struct vs_err *e)
{
	struct vs_policy_id id;
	int rc = policy_ref(args, &id, e);
	if (rc < 0)
		return rc;
	return vs_netpol_show_json(&id, r, e);
}

static int h_conntrack_show(const json_t *args, json_t **r, struct vs_err *e)
{
	(void)e;
	json_t *limit = json_object_get(args, "limit");
	*r = vs_ct_to_json(vs_dp.ct, &vs_st.cfg->conntrack,
			   atomic_load_explicit(&vs_dp.clock_s, memory_order_relaxed),
			   limit ? (size_t)json_integer_value(limit) : 100);
	return 0;
}

static int h_monitor_drops(const json_t *args, json_t **r, struct vs_err *e)
{
	(void)e;
	json_t *since = json_object_get(args, "since");
	*r = vs_netpol_events_json(since ? (uint64_t)json_integer_value(since) : 0);
	return 0;
}

const struct vs_handler_row vs_policy_handlers[] = {
	{ VS_CMD_NETWORK_ADD, h_network_add },
	{ VS_CMD_NETWORK_SET, h_network_set },
	{ VS_CMD_NETWORK_DEL, h_network_del },
	{ VS_CMD_NETWORK_LIST, h_network_list },
	{ VS_CMD_NAMESPACE_SET, h_namespace_set },
	{ VS_CMD_NAMESPACE_DEL, h_namespace_del },
	{ VS_CMD_NAMESPACE_LIST, h_namespace_list },
	{ VS_CMD_POLICY_APPLY, h_policy_apply },
	{ VS_CMD_POLICY_DELETE, h_policy_delete },
	{ VS_CMD_POLICY_LIST, h_policy_list },
	{ VS_CMD_POLICY_SHOW, h_policy_show },
	{ VS_CMD_CONNTRACK_SHOW, h_conntrack_show },
	{ VS_CMD_MONITOR_DROPS, h_monitor_drops },
	{ 0, NULL },
};
