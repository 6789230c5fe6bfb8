/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The one command table of vsw. The server binds a handler to every row and
 * refuses to start if one is missing; vswctl derives its parsing and help from
 * the same rows; the "commands" command lists them.
 *
 * Argument types on the wire:
 *   STR    JSON string
 *   UINT   JSON integer >= 0
 *   BOOL   JSON true/false
 *   VLANS  JSON string of ids and ranges, "2003-2005,2010" (empty string: none)
 *   MAC    JSON string "aa:bb:cc:dd:ee:ff"
 *
 * Results (the "result" object of a successful reply):
 *   hello        {"version": 1, "server": "vswd 0.1.0"}
 *   commands     {"commands": [{"name", "help", "readonly", "args": [{"name", "type", "required",
 *                "help"}]}]}
 *   version      {"version": "0.1.0", "dpdk": "DPDK 22.11.x", "proto": 1}
 *   port.add     the port object, as port.show
 *   port.del     {}
 *   port.set     the port object
 *   port.list    {"ports": [port object, ...]}
 *   port.clear   {"cleared": n}: ports whose counters start again from 0
 *   port.show    port object: {"name", "type", "mode", "vlan"?, "allowed"?, "native_vlan"?,
 *                "socket"?, "client"?, "queues"?, "devargs"?, "mtu", "owner"?, "group"?,
 *                "perm"?, "link": "up"|"down", "stats": {"rx_packets", "rx_bytes",
 *                "tx_packets", "tx_bytes", "drops": {reason: count, ...}}}
 *   vlan.list    {"vlans": [{"vlan", "ports": [name...], "macs": n}]}
 *   mac.show     {"macs": [{"vlan", "mac", "port", "static": bool, "age": seconds}]}
 *   mac.add      {}
 *   mac.del      {}
 *   mac.flush    {"flushed": n}
 *   config.show  the running config, in the config file's format
 *   config.save  {"path": "..."}
 *   bond.show    {"bonds": [{"name", "mode", "xmit_policy"|"primary_ethdev", "link",
 *                "active_members", "active_changes", "members": [{"devargs", "ethdev_port",
 *                "link", "active", "link_down_events", "link_up_events", "stats": {"rx_packets",
 *                "tx_packets", "rx_errors", "tx_errors"}, "lacp"?: {"actor_system",
 *                "actor_key", "actor_state": [flag...], "partner_system", "partner_key",
 *                "partner_state": [flag...], "selected"}}]}]}
 *   qos.show     {"ports": [{"name", "trust", "default", "critical"?, "scavenger"?,
 *                "scheduler"?: {"rate", "queue", "owner_worker", "classes": [{"class", "tc",
 *                "queued", "enqueued", "dropped", "sent", "sent_bytes"}]}}]}
 *   stats        {"fdb": {"entries", "size", "learned", "moved", "aged", "full", ...},
 *                "workers": [{"lcore", "cpu", "busy_loops", "idle_loops", "sleeps"}],
 *                "drops": {reason: count}, "ports": n}
 *   worker.stats {"tsc_hz", "since_s", "workers": [{"id", "lcore", "cpu", "busy_cycles",
 *                "idle_cycles", "sleep_cycles", "busy_loops", "idle_loops", "sleeps",
 *                "rx_packets", "busy_pct", "cycles_per_packet", "rxqs": [{"port", "queue",
 *                "packets", "cycles", "share_pct"}]}]}
 *   worker.clear {}
 *   control.show {"clients", "clients_ro", "limits": {"max_clients", "max_output_bytes",
 *                "requests_per_s", "request_burst", "idle_timeout_s", "hello_timeout_s",
 *                "write_timeout_s"}, "counters": {"accepted", "requests", "request_errors", "refused_max_clients",
 *                "accept_errors", "listener_pauses", "dropped_no_hello", "dropped_idle",
 *                "dropped_stalled", "output_paused", "throttled", "refused_readonly",
 *                "log_suppressed"}}
 */
#ifndef VS_COMMANDS_H
#define VS_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

enum vs_arg_type {
	VS_ARG_STR,
	VS_ARG_UINT,
	VS_ARG_BOOL,
	VS_ARG_VLANS,
	VS_ARG_MAC,
	VS_ARG_U64,	/* rates in bits/s go past 32 bits */
	VS_ARG_LABELS,	/* "k=v,k2=v2" or a JSON object of strings */
	VS_ARG_IPS,	/* "10.0.0.1,fd00::1" or a JSON array of such strings */
	VS_ARG_JSON,	/* a JSON object or array; the CLI reads it from a file */
};

static inline const char *vs_arg_type_name(enum vs_arg_type t)
{
	static const char *const names[] = { "string", "uint", "bool", "vlans", "mac",
					      "uint64", "labels", "ips", "json" };
	return names[t];
}

struct vs_arg_spec {
	const char *name;
	enum vs_arg_type type;
	bool required;
	const char *help;
};

#define VS_ARGS_END { NULL, 0, false, NULL }

/* Port arguments shared by port.add and the config file's "ports" rows. */
#define VS_PORT_ARGS_COMMON                                                                \
	{ "type", VS_ARG_STR, false, "vhost-user (default), dpdk or bond" },                \
	{ "socket", VS_ARG_STR, false, "vhost-user socket path" },                          \
	{ "client", VS_ARG_BOOL, false, "vhost-user client mode: QEMU owns the socket (default true)" }, \
	{ "queues", VS_ARG_UINT, false, "queue pairs (default 1)" },                        \
	{ "devargs", VS_ARG_STR, false, "dpdk port: PCI address or vdev string" },          \
	{ "owner", VS_ARG_STR, false, "server-mode socket owner (user name)" },             \
	{ "group", VS_ARG_STR, false, "server-mode socket group (group name)" },            \
	{ "perm", VS_ARG_STR, false, "server-mode socket mode, octal (default 0660)" },      \
	{ "bond_mode", VS_ARG_STR, false, "bond: active-backup, balance-xor or 802.3ad" },   \
	{ "members", VS_ARG_STR, false, "bond: member devargs, separated by ';'" },          \
	{ "xmit_policy", VS_ARG_STR, false, "bond: l2, l23 (default) or l34" }

/* QoS: classification of what the port sends into the switch, and the egress scheduler
 * (rte_sched) of what it receives from it; port.add and port.set. */
#define VS_PORT_ARGS_QOS                                                                   \
	{ "qos_rate", VS_ARG_U64, false, "qos: egress shaping rate, bits/s (0 = no scheduler)" }, \
	{ "qos_queue", VS_ARG_UINT, false, "qos: frames per class queue, power of 2 (default 64)" }, \
	{ "qos_trust", VS_ARG_STR, false, "qos: classify by none (default), pcp or dscp" },  \
	{ "qos_default", VS_ARG_STR, false, "qos: class of untrusted frames: critical, best-effort (default), scavenger" }, \
	{ "qos_critical", VS_ARG_STR, false, "qos: code points of the critical class, e.g. 46,48 (\"\" = default)" }, \
	{ "qos_scavenger", VS_ARG_STR, false, "qos: code points of the scavenger class (\"\" = default)" }

/* Ingress policing (rte_meter) of what the port sends into the switch; port.add and port.set. */
#define VS_PORT_ARGS_POLICE                                                                \
	{ "police_rate", VS_ARG_U64, false, "police: committed rate, bits/s (0 = off)" },   \
	{ "police_burst", VS_ARG_UINT, false, "police: committed burst, bytes (default 10 ms)" }, \
	{ "police_peak_rate", VS_ARG_U64, false, "police: peak rate, bits/s: trTCM (0 = srTCM)" }, \
	{ "police_peak_burst", VS_ARG_UINT, false, "police: trTCM peak / srTCM excess burst, bytes" }, \
	{ "police_yellow", VS_ARG_STR, false, "police: yellow frames pass (default), drop, or scavenger (re-marked)" }

/* Network policy: who the VM is, its addresses and the spoof check; port.add and port.set. */
#define VS_PORT_ARGS_NETPOL                                                                \
	{ "namespace", VS_ARG_STR, false, "policy: the VM's namespace (\"\" = not a pod)" },  \
	{ "labels", VS_ARG_LABELS, false, "policy: the VM's labels, key=value,..." },        \
	{ "ips", VS_ARG_IPS, false, "policy: the VM's addresses on this network, a,b,..." },   \
	{ "mac", VS_ARG_STR, false, "the VM's own MAC, for spoofchk (\"\" = none)" },                     \
	{ "spoofchk", VS_ARG_BOOL, false, "drop frames not from the VM's own MAC" },          \
	{ "ip_spoofchk", VS_ARG_BOOL, false, "also drop IP/ARP not from the VM's own ips" }

#define VS_PORT_ARGS_VLAN                                                                  \
	{ "mode", VS_ARG_STR, false, "access (default for vhost-user) or trunk" },          \
	{ "vlan", VS_ARG_UINT, false, "access VLAN" },                                      \
	{ "allowed", VS_ARG_VLANS, false, "trunk allowed VLANs, e.g. 2003-2005" },          \
	{ "native_vlan", VS_ARG_UINT, false, "trunk native (untagged) VLAN, 0 = none" },     \
	{ "mtu", VS_ARG_UINT, false, "MTU, 68..9000 (default 1500)" },                     \
	{ "mac_limit", VS_ARG_UINT, false, "MACs it may have learned, 0 = no limit (default: VM 1024, uplink 0)" }

struct vs_command_spec {
	const char *name;	/* "port.add"; the CLI spells it "port add" */
	const char *help;
	const struct vs_arg_spec *args;	/* VS_ARGS_END terminated; args[0] may be positional */
	bool first_positional;	/* CLI: the first bare word is args[0] */
	bool readonly;	/* changes nothing (no state, no file): served on control.ro_socket */
};

/* X(id, name, help, args, first_positional, readonly): readonly commands only read the state
 * (they are what the read-only socket, control.ro_socket, serves). */
#define VS_COMMANDS(X)                                                                        \
	X(HELLO, "hello", "protocol handshake", hello_args, false, true)                           \
	X(COMMANDS, "commands", "list commands and their arguments", no_args, false, true)         \
	X(VERSION, "version", "show versions", no_args, false, true)                               \
	X(PORT_ADD, "port.add", "add a port", port_add_args, true, false)                           \
	X(PORT_DEL, "port.del", "remove a port", port_name_args, true, false)                        \
	X(PORT_SET, "port.set", "change a port's VLAN, policing and QoS settings", port_set_args, true, false)         \
	X(PORT_LIST, "port.list", "list ports with counters", no_args, false, true)                \
	X(PORT_SHOW, "port.show", "show one port with counters", port_name_args, true, true)        \
	X(PORT_CLEAR, "port.clear", "zero the counters of a port (all ports without a name)", port_clear_args, true, false) \
	X(VLAN_LIST, "vlan.list", "list VLANs and their ports", no_args, false, true)              \
	X(MAC_SHOW, "mac.show", "show the MAC table", mac_show_args, false, true)                  \
	X(MAC_ADD, "mac.add", "add a static MAC", mac_add_args, false, false)                       \
	X(MAC_DEL, "mac.del", "remove a MAC", mac_del_args, false, false)                           \
	X(MAC_FLUSH, "mac.flush", "flush learned MACs", mac_show_args, false, false)                \
	X(CONFIG_SHOW, "config.show", "show the running config", no_args, false, true)             \
	X(CONFIG_SAVE, "config.save", "write the running config to a file", config_save_args, false, false) \
	X(STATS, "stats", "switch-wide counters", no_args, false, true)                            \
	X(BOND_SHOW, "bond.show", "bond mode, members, link and LACP state", bond_show_args, true, true) \
	X(QOS_SHOW, "qos.show", "QoS classification and per-class queues of ports", qos_show_args, true, true) \
	X(NETWORK_ADD, "network.add", "name a VLAN domain for policies", network_add_args, true, false) \
	X(NETWORK_SET, "network.set", "move a network to another VLAN", network_add_args, true, false) \
	X(NETWORK_DEL, "network.del", "remove a network name", name_args, true, false)              \
	X(NETWORK_LIST, "network.list", "list networks", no_args, false, true)                     \
	X(NAMESPACE_SET, "namespace.set", "set a namespace's labels", namespace_set_args, true, false) \
	X(NAMESPACE_DEL, "namespace.del", "forget a namespace's labels", name_args, true, false)    \
	X(NAMESPACE_LIST, "namespace.list", "list namespaces and their labels", no_args, false, true) \
	X(POLICY_APPLY, "policy.apply", "create or replace network policies", policy_apply_args, true, false) \
	X(POLICY_DELETE, "policy.delete", "delete a network policy", policy_ref_args, true, false)  \
	X(POLICY_LIST, "policy.list", "list network policies", no_args, false, true)               \
	X(POLICY_SHOW, "policy.show", "a policy with the ports it selects and per-rule hits", policy_ref_args, true, true) \
	X(CONNTRACK_SHOW, "conntrack.show", "connection tracking table and counters", conntrack_show_args, false, true) \
	X(MONITOR_DROPS, "monitor.drops", "flows denied by policy (vswctl follows them)", monitor_args, false, true) \
	X(CONTROL_SHOW, "control.show", "control socket clients, limits and what they refused", no_args, false, true) \
	X(WORKER_STATS, "worker.stats", "poll-mode workers: busy/idle cycles, cycles per packet, rx queues", no_args, false, true) \
	X(WORKER_CLEAR, "worker.clear", "start every worker's figures again from 0", no_args, false, false)

enum vs_command_id {
#define X(id, name, help, args, pos, ro) VS_CMD_##id,
	VS_COMMANDS(X)
#undef X
	VS_CMD__COUNT
};

/* Returns the table (VS_CMD__COUNT rows, indexed by enum vs_command_id). */
static inline const struct vs_command_spec *vs_command_table(void)
{
	static const struct vs_arg_spec no_args[] = { VS_ARGS_END };
	static const struct vs_arg_spec hello_args[] = {
		{ "version", VS_ARG_UINT, true, "protocol version of the client" },
		VS_ARGS_END,
	};
	static const struct vs_arg_spec port_name_args[] = {
		{ "name", VS_ARG_STR, true, "port name" },
		VS_ARGS_END,
	};
	static const struct vs_arg_spec port_add_args[] = {
		{ "name", VS_ARG_STR, true, "port name" },
		VS_PORT_ARGS_COMMON,
		VS_PORT_ARGS_VLAN,
		VS_PORT_ARGS_POLICE,
		VS_PORT_ARGS_QOS,
		VS_PORT_ARGS_NETPOL,
		VS_ARGS_END,
	};
	static const struct vs_arg_spec port_set_args[] = {
		{ "name", VS_ARG_STR, true, "port name" },
		VS_PORT_ARGS_VLAN,
		VS_PORT_ARGS_POLICE,
		VS_PORT_ARGS_QOS,
		VS_PORT_ARGS_NETPOL,
		VS_ARGS_END,
	};
	static const struct vs_arg_spec network_add_args[] = {
		{ "name", VS_ARG_STR, true, "a NetworkAttachmentDefinition's namespace/name, e.g. tenant-a/net-vlan2003, or a cluster-wide name, e.g. vlan2003" },
		{ "vlan", VS_ARG_UINT, true, "its VLAN" },
		VS_ARGS_END,
	};
	static const struct vs_arg_spec name_args[] = {
		{ "name", VS_ARG_STR, true, "name" },
		VS_ARGS_END,
	};
	static const struct vs_arg_spec namespace_set_args[] = {
		{ "name", VS_ARG_STR, true, "namespace" },
		{ "labels", VS_ARG_LABELS, false, "its labels, key=value,..." },
		VS_ARGS_END,
	};
	static const struct vs_arg_spec policy_apply_args[] = {
		{ "policy", VS_ARG_JSON, true, "MultiNetworkPolicy, AdminNetworkPolicy, "
		  "BaselineAdminNetworkPolicy or a List of them (CLI: a file, - for stdin)" },
		VS_ARGS_END,
	};
	static const struct vs_arg_spec policy_ref_args[] = {
		{ "name", VS_ARG_STR, true, "policy name" },
		{ "namespace", VS_ARG_STR, false, "its namespace (MultiNetworkPolicy)" },
		{ "kind", VS_ARG_STR, false, "MultiNetworkPolicy (default), AdminNetworkPolicy or BaselineAdminNetworkPolicy" },
		VS_ARGS_END,
	};
	static const struct vs_arg_spec conntrack_show_args[] = {
		{ "limit", VS_ARG_UINT, false, "list at most this many connections (default 100)" },
		VS_ARGS_END,
	};
	static const struct vs_arg_spec monitor_args[] = {
		{ "since", VS_ARG_U64, false, "only events after this sequence number" },
		VS_ARGS_END,
	};
	static const struct vs_arg_spec mac_show_args[] = {
		{ "vlan", VS_ARG_UINT, false, "only this VLAN" },
		{ "port", VS_ARG_STR, false, "only this port" },
		VS_ARGS_END,
	};
	static const struct vs_arg_spec mac_add_args[] = {
		{ "vlan", VS_ARG_UINT, true, "VLAN" },
		{ "mac", VS_ARG_MAC, true, "MAC address" },
		{ "port", VS_ARG_STR, true, "port name" },
		VS_ARGS_END,
	};
	static const struct vs_arg_spec mac_del_args[] = {
		{ "vlan", VS_ARG_UINT, true, "VLAN" },
		{ "mac", VS_ARG_MAC, true, "MAC address" },
		VS_ARGS_END,
	};
	static const struct vs_arg_spec config_save_args[] = {
		{ "path", VS_ARG_STR, false, "file (default: the file vswd was started with)" },
		VS_ARGS_END,
	};
	static const struct vs_arg_spec port_clear_args[] = {
		{ "name", VS_ARG_STR, false, "only this port" },
		VS_ARGS_END,
	};
	static const struct vs_arg_spec bond_show_args[] = {
		{ "name", VS_ARG_STR, false, "only this bond" },
		VS_ARGS_END,
	};
	static const struct vs_arg_spec qos_show_args[] = {
		{ "name", VS_ARG_STR, false, "only this port" },
		VS_ARGS_END,
	};
	static const struct vs_command_spec table[] = {
#define X(id, name, help, args, pos, ro) { name, help, args, pos, ro },
		VS_COMMANDS(X)
#undef X
	};
	return table;
}

static inline const struct vs_command_spec *vs_command_find(const char *name, int *id)
{
	const struct vs_command_spec *t = vs_command_table();
	for (int i = 0; i < VS_CMD__COUNT; i++) {
		if (strcmp(t[i].name, name) == 0) {
			if (id != NULL)
				*id = i;
			return &t[i];
		}
	}
	return NULL;
}

static inline const struct vs_arg_spec *vs_arg_find(const struct vs_command_spec *c,
						    const char *name)
{
	for (const struct vs_arg_spec *a = c->args; a->name != NULL; a++)
		if (strcmp(a->name, name) == 0)
			return a;
	return NULL;
}

#endif
