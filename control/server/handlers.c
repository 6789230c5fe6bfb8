/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Thin handlers: unpack the (already schema-checked) arguments, call a core
 * function, build the reply. Semantics live in core.c, not here.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_version.h>

#include "control/server/handlers.h"
#include "vs_commands.h"
#include "vs_proto.h"
#include "vs_types.h"
#include "control/core/core.h"
#include "control/core/state.h"
#include "control/l2/fdb.h"
#include "control/model/config.h"
#include "control/model/err.h"
#include "control/model/netpol_cfg.h"
#include "control/model/policy.h"
#include "control/model/port_cfg.h"
#include "control/model/ratelimit.h"
#include "control/model/vlan_set.h"
#include "control/policy/acl.h"
#include "control/policy/netpol.h"
#include "control/port/ports.h"
#include "control/port/stats.h"
#include "control/qos/qos.h"
#include "control/server/server.h"
#include "dataplane/worker/dp.h"

static const char *str_arg(const json_t *args, const char *key)
{
	return json_string_value(json_object_get(args, key));
}

static int h_hello(const json_t *args, json_t **r, struct vs_err *e)
{
	json_int_t v = json_integer_value(json_object_get(args, "version"));
	if (v != VS_PROTO_VERSION)
		return vs_err_set(e, EPROTONOSUPPORT, "args.version",
				  "protocol version %lld is not supported; vswd speaks %d", v,
				  VS_PROTO_VERSION);
	*r = json_pack("{s:i, s:s}", "version", VS_PROTO_VERSION, "server", "vswd " VS_VERSION);
	return 0;
}

static int h_commands(const json_t *args, json_t **r, struct vs_err *e)
{
	(void)args, (void)e;
	const struct vs_command_spec *t = vs_command_table();
	json_t *cmds = json_array();
	for (int i = 0; i < VS_CMD__COUNT; i++) {
		json_t *a = json_array();
		for (const struct vs_arg_spec *s = t[i].args; s->name != NULL; s++)
			json_array_append_new(a, json_pack("{s:s, s:s, s:b, s:s}", "name", s->name,
							   "type", vs_arg_type_name(s->type),
							   "required", s->required, "help", s->help));
		json_array_append_new(cmds, json_pack("{s:s, s:s, s:b, s:o}", "name", t[i].name,
						      "help", t[i].help, "readonly", t[i].readonly,
						      "args", a));
	}
	*r = json_pack("{s:o}", "commands", cmds);
	return 0;
}

static int h_version(const json_t *args, json_t **r, struct vs_err *e)
{
	(void)args, (void)e;
	*r = json_pack("{s:s, s:s, s:i}", "version", VS_VERSION, "dpdk", rte_version(), "proto",
		       VS_PROTO_VERSION);
	return 0;
}

static int port_slot(const json_t *args, struct vs_err *e)
{
	const char *name = str_arg(args, "name");
	int slot = vs_core_port_find(name);
	if (slot < 0)
		return vs_err_set(e, ENOENT, "args.name", "no port '%s'", name);
	return slot;
}

static int h_port_add(const json_t *args, json_t **r, struct vs_err *e)
{
	struct vs_port_cfg cfg;
	int rc;
	if ((rc = vs_port_cfg_from_json(args, "args", &cfg, e)) < 0 ||
	    (rc = vs_core_port_add(&cfg, e)) < 0)
		return rc;
	*r = vs_port_to_json((uint16_t)vs_core_port_find(cfg.name));
	return 0;
}

static int h_port_del(const json_t *args, json_t **r, struct vs_err *e)
{
	int rc = vs_core_port_del(str_arg(args, "name"), e);
	if (rc == 0)
		*r = json_object();
	return rc;
}

static int h_port_set(const json_t *args, json_t **r, struct vs_err *e)
{
	int rc = vs_core_port_set(str_arg(args, "name"), args, e);
	if (rc == 0)
		*r = vs_port_to_json((uint16_t)vs_core_port_find(str_arg(args, "name")));
	return rc;
}

static int h_port_list(const json_t *args, json_t **r, struct vs_err *e)
{
	(void)args, (void)e;
	int slots[VS_MAX_PORTS];
	int n = vs_core_ports_ordered(slots);
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, vs_port_to_json((uint16_t)slots[i]));
	*r = json_pack("{s:o}", "ports", a);
	return 0;
}

static int h_port_show(const json_t *args, json_t **r, struct vs_err *e)
{
	int slot = port_slot(args, e);
	if (slot < 0)
		return slot;
	*r = vs_port_to_json((uint16_t)slot);
	return 0;
}

static int h_vlan_list(const json_t *args, json_t **r, struct vs_err *e)
{
	(void)args, (void)e;
	int slots[VS_MAX_PORTS];
	int n = vs_core_ports_ordered(slots);
	static uint32_t macs[VS_VLAN_COUNT];	/* control thread only */
	vs_fdb_count_by_vlan(vs_dp.fdb, macs);
	json_t *a = json_array();
	for (uint32_t v = 1; v < VS_VLAN_COUNT - 1; v++) {
		json_t *ports = NULL;
		for (int i = 0; i < n; i++) {
			const struct vs_port_cfg *c = &vs_st.ports[slots[i]].cfg;
			if (!vs_port_cfg_in_vlan(c, (uint16_t)v))
				continue;
			if (ports == NULL)
				ports = json_array();
			json_array_append_new(ports, json_string(c->name));
		}
		if (ports != NULL)
			json_array_append_new(a, json_pack("{s:i, s:o, s:i}", "vlan", v, "ports", ports,
							   "macs", (json_int_t)macs[v]));
	}
	*r = json_pack("{s:o}", "vlans", a);
	return 0;
}

/* Optional vlan/port filters of mac.show and mac.flush. */
static int mac_filter(const json_t *args, uint16_t *vlan, uint16_t *port, struct vs_err *e)
{
	json_t *v = json_object_get(args, "vlan");
	*vlan = 0;
	*port = VS_PORT_NONE;
	if (v != NULL) {
		if (json_integer_value(v) < VS_VLAN_MIN || json_integer_value(v) > VS_VLAN_MAX)
			return vs_err_set(e, ERANGE, "args.vlan", "VLAN ids are %d..%d", VS_VLAN_MIN,
					  VS_VLAN_MAX);
		*vlan = (uint16_t)json_integer_value(v);
	}
	if (json_object_get(args, "port") != NULL) {
		int slot = vs_core_port_find(str_arg(args, "port"));
		if (slot < 0)
			return vs_err_set(e, ENOENT, "args.port", "no port '%s'",
					  str_arg(args, "port"));
		*port = (uint16_t)slot;
	}
	return 0;
}

static int h_mac_show(const json_t *args, json_t **r, struct vs_err *e)
{
	uint16_t vlan, port;
	int rc = mac_filter(args, &vlan, &port, e);
	if (rc < 0)
		return rc;
	*r = json_pack("{s:o}", "macs",
		       vs_fdb_to_json(vs_dp.fdb, vlan, port, atomic_load(&vs_dp.clock_s)));
	return 0;
}

static int h_mac_add(const json_t *args, json_t **r, struct vs_err *e)
{
	struct vs_static_mac m;
	int rc;
	if ((rc = vs_static_mac_from_json(args, "args", &m, e)) < 0 ||
	    (rc = vs_core_mac_add(&m, e)) < 0)
		return rc;
	*r = json_object();
	return 0;
}

static int h_mac_del(const json_t *args, json_t **r, struct vs_err *e)
{
	uint8_t mac[6];
	json_int_t vlan = json_integer_value(json_object_get(args, "vlan"));
	vs_mac_parse(str_arg(args, "mac"), mac);
	if (vlan < VS_VLAN_MIN || vlan > VS_VLAN_MAX)
		return vs_err_set(e, ERANGE, "args.vlan", "VLAN ids are %d..%d", VS_VLAN_MIN,
				  VS_VLAN_MAX);
	int rc = vs_core_mac_del((uint16_t)vlan, mac, e);
	if (rc == 0)
		*r = json_object();
	return rc;
}

static int h_mac_flush(const json_t *args, json_t **r, struct vs_err *e)
{
	uint16_t vlan, port;
	int rc = mac_filter(args, &vlan, &port, e);
	if (rc < 0)
		return rc;
	*r = json_pack("{s:i}", "flushed", (json_int_t)vs_fdb_flush(vs_dp.fdb, vlan, port, false));
	return 0;
}

static int h_config_show(const json_t *args, json_t **r, struct vs_err *e)
{
	(void)args, (void)e;
	*r = vs_core_running_config();
	return 0;
}

static int h_config_save(const json_t *args, json_t **r, struct vs_err *e)
{
	const char *saved;
	int rc = vs_core_config_save(json_object_get(args, "path") ? str_arg(args, "path") : NULL,
				     &saved, e);
	if (rc == 0)
		*r = json_pack("{s:s}", "path", saved);
	return rc;
}

static int h_control_show(const json_t *args, json_t **r, struct vs_err *e)
{
	(void)args, (void)e;
	*r = vs_server_to_json();
	/* where a (re)start spent its time: perf/restart.sh reads this next to the guests' view */
	json_object_set_new(*r, "startup",
			    json_pack("{s:I, s:I, s:I}", "eal_init_ms",
				      (json_int_t)(vs_st.eal_ms - vs_st.start_ms), "ready_ms",
				      (json_int_t)(vs_st.ready_ms - vs_st.start_ms), "uptime_s",
				      (json_int_t)((vs_now_ms() - vs_st.start_ms) / 1000)));
	return 0;
}

static int h_stats(const json_t *args, json_t **r, struct vs_err *e)
{
	(void)args, (void)e;
	*r = vs_stats_json();
	return 0;
}

/* {key: [to_json(slot) for the ports that pass keep, in add order]}; with a "name" argument,
 * only that port, and an error naming it when it is not there or does not pass keep. */
static int ports_report(const json_t *args, json_t **r, struct vs_err *e, const char *key,
			const char *what, bool (*keep)(const struct vs_port_cfg *),
			json_t *(*to_json)(uint16_t))
{
	const char *name = json_object_get(args, "name") ? str_arg(args, "name") : NULL;
	int slots[VS_MAX_PORTS];
	int n = vs_core_ports_ordered(slots);
	json_t *a = json_array();

	for (int i = 0; i < n; i++) {
		const struct vs_port_cfg *c = &vs_st.ports[slots[i]].cfg;
		if (keep(c) && (name == NULL || strcmp(c->name, name) == 0))
			json_array_append_new(a, to_json((uint16_t)slots[i]));
	}
	if (name != NULL && json_array_size(a) == 0) {
		json_decref(a);
		return vs_err_set(e, ENOENT, "args.name", "no %s '%s'", what, name);
	}
	*r = json_pack("{s:o}", key, a);
	return 0;
}

static bool is_bond(const struct vs_port_cfg *c)
{
	return c->type == VS_PORT_BOND;
}

static bool any_port(const struct vs_port_cfg *c)
{
	(void)c;
	return true;
}

static int h_bond_show(const json_t *args, json_t **r, struct vs_err *e)
{
	return ports_report(args, r, e, "bonds", "bond port", is_bond, vs_bond_to_json);
}

static int h_qos_show(const json_t *args, json_t **r, struct vs_err *e)
{
	return ports_report(args, r, e, "ports", "port", any_port, vs_qos_to_json);
}

static int h_network_add(const json_t *args, json_t **r, struct vs_err *e)
{
	struct vs_network n;
	int rc = vs_network_from_json(args, "args", &n, e);
	if (rc < 0 || (rc = vs_netpol_network_add(&n, e)) < 0)
		return rc;
	*r = json_pack("{s:s, s:i}", "name", n.name, "vlan", n.vlan);
	return 0;
}

static int h_network_del(const json_t *args, json_t **r, struct vs_err *e)
{
	int rc = vs_netpol_network_del(str_arg(args, "name"), e);
	if (rc == 0)
		*r = json_object();
	return rc;
}

static int h_network_list(const json_t *args, json_t **r, struct vs_err *e)
{
	(void)args, (void)e;
	json_t *a = json_array();
	for (uint16_t i = 0; i < vs_np.n_networks; i++)
		json_array_append_new(a, json_pack("{s:s, s:i}", "name", vs_np.networks[i].name,
						   "vlan", vs_np.networks[i].vlan));
	*r = json_pack("{s:o}", "networks", a);
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
	int rc = vs_netpol_namespace_del(str_arg(args, "name"), e);
	if (rc == 0)
		*r = json_object();
	return rc;
}

static int h_namespace_list(const json_t *args, json_t **r, struct vs_err *e)
{
	(void)args, (void)e;
	json_t *a = json_array();
	for (uint16_t i = 0; i < vs_np.n_namespaces; i++)
		json_array_append_new(a, vs_namespace_to_json(&vs_np.namespaces[i]));
	*r = json_pack("{s:o}", "namespaces", a);
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
	const char *kind = json_object_get(args, "kind") ? str_arg(args, "kind") :
							   "MultiNetworkPolicy";
	int k = vs_policy_kind_parse(kind);
	if (k < 0)
		return vs_err_set(e, EINVAL, "args.kind",
				  "'%s': expected MultiNetworkPolicy, AdminNetworkPolicy or "
				  "BaselineAdminNetworkPolicy", kind);
	id->kind = (uint8_t)k;
	snprintf(id->name, sizeof(id->name), "%s", str_arg(args, "name"));
	if (k == VS_POL_NP)
		snprintf(id->ns, sizeof(id->ns), "%s",
			 json_object_get(args, "namespace") ? str_arg(args, "namespace") : "default");
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

const vs_handler_fn vs_handlers[VS_CMD__COUNT] = {
	[VS_CMD_NETWORK_ADD] = h_network_add,
	[VS_CMD_NETWORK_DEL] = h_network_del,
	[VS_CMD_NETWORK_LIST] = h_network_list,
	[VS_CMD_NAMESPACE_SET] = h_namespace_set,
	[VS_CMD_NAMESPACE_DEL] = h_namespace_del,
	[VS_CMD_NAMESPACE_LIST] = h_namespace_list,
	[VS_CMD_POLICY_APPLY] = h_policy_apply,
	[VS_CMD_POLICY_DELETE] = h_policy_delete,
	[VS_CMD_POLICY_LIST] = h_policy_list,
	[VS_CMD_POLICY_SHOW] = h_policy_show,
	[VS_CMD_CONNTRACK_SHOW] = h_conntrack_show,
	[VS_CMD_MONITOR_DROPS] = h_monitor_drops,
	[VS_CMD_HELLO] = h_hello,
	[VS_CMD_COMMANDS] = h_commands,
	[VS_CMD_VERSION] = h_version,
	[VS_CMD_PORT_ADD] = h_port_add,
	[VS_CMD_PORT_DEL] = h_port_del,
	[VS_CMD_PORT_SET] = h_port_set,
	[VS_CMD_PORT_LIST] = h_port_list,
	[VS_CMD_PORT_SHOW] = h_port_show,
	[VS_CMD_VLAN_LIST] = h_vlan_list,
	[VS_CMD_MAC_SHOW] = h_mac_show,
	[VS_CMD_MAC_ADD] = h_mac_add,
	[VS_CMD_MAC_DEL] = h_mac_del,
	[VS_CMD_MAC_FLUSH] = h_mac_flush,
	[VS_CMD_CONFIG_SHOW] = h_config_show,
	[VS_CMD_CONFIG_SAVE] = h_config_save,
	[VS_CMD_STATS] = h_stats,
	[VS_CMD_BOND_SHOW] = h_bond_show,
	[VS_CMD_QOS_SHOW] = h_qos_show,
	[VS_CMD_CONTROL_SHOW] = h_control_show,
};
