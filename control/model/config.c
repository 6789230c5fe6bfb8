/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The config model's JSON form and validation. A config file row of "ports"
 * has exactly the arguments of port.add, and a "static_macs" row those of
 * mac.add, so the command table's schemas check both. Pure (Jansson only).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control/model/config.h"
#include "vs_proto.h"
#include "vs_types.h"
#include "control/model/allow.h"
#include "control/model/args.h"
#include "control/model/err.h"
#include "control/model/json_get.h"
#include "control/model/netpol_cfg.h"
#include "control/model/policy.h"
#include "control/model/port_cfg.h"
#include "control/model/vlan_set.h"

void vs_config_defaults(struct vs_config *c)
{
	memset(c, 0, sizeof(*c));
	c->dpdk.no_huge = false;
	c->dpdk.memory_mb = 1024;
	c->dpdk.main_cpu = 0;
	snprintf(c->dpdk.file_prefix, sizeof(c->dpdk.file_prefix), "vsw");
	c->workers.n_cpus = 1;
	c->workers.cpus[0] = 1;
	c->workers.idle_sleep_us = 50;
	c->workers.idle_spins = 1000;
	c->workers.burst = 32;
	snprintf(c->control.socket, sizeof(c->control.socket), "%s", VS_DEFAULT_SOCKET);
	c->control.socket_perm = 0660;
	c->control.ro_socket_perm = 0660;
	snprintf(c->control.state_dir, sizeof(c->control.state_dir), "%s", VS_DEFAULT_STATE_DIR);
	c->control.n_socket_dirs = 1;
	snprintf(c->control.socket_dirs[0], sizeof(c->control.socket_dirs[0]), "%s",
		 VS_DEFAULT_SOCKET_DIR);
	c->control.max_clients = 64;
	c->control.max_output_bytes = 32u << 20;
	c->control.max_buffered_bytes = 256u << 20;
	c->control.requests_per_s = 1000;
	c->control.request_burst = 1000;
	c->control.idle_timeout_s = 600;
	c->control.hello_timeout_s = 10;
	c->control.write_timeout_s = 30;
	c->fdb.size = 65536;
	c->fdb.aging_s = 300;
	vs_conntrack_defaults(&c->conntrack);
}

void vs_config_release(struct vs_config *c)
{
	json_decref(c->policies);
	c->policies = NULL;
}

int vs_static_mac_from_json(const json_t *o, const char *prefix, struct vs_static_mac *m,
			    struct vs_err *e)
{
	char f[160];

	json_int_t vlan = json_integer_value(json_object_get(o, "vlan"));
	if (vlan < VS_VLAN_MIN || vlan > VS_VLAN_MAX)
		return vs_err_set(e, ERANGE, VS_FIELD(f, prefix, "vlan"), "%lld: VLAN ids are %d..%d",
				  vlan, VS_VLAN_MIN, VS_VLAN_MAX);
	m->vlan = (uint16_t)vlan;
	vs_mac_parse(json_string_value(json_object_get(o, "mac")), m->mac);
	if (m->mac[0] & 1)
		return vs_err_set(e, EINVAL, VS_FIELD(f, prefix, "mac"),
				  "a static MAC must be unicast");
	return vs_json_copy_str(m->port, sizeof(m->port), json_object_get(o, "port"),
			VS_FIELD(f, prefix, "port"), e);
}

json_t *vs_static_mac_to_json(const struct vs_static_mac *m)
{
	char mac[18];
	vs_mac_format(m->mac, mac);
	return json_pack("{s:i, s:s, s:s}", "vlan", m->vlan, "mac", mac, "port", m->port);
}

static int parse_dpdk(const json_t *o, struct vs_config *c, struct vs_err *e)
{
	static const char *const keys[] = { "no_huge", "memory_mb", "main_cpu", "file_prefix",
					    "extra_eal_args", "allow_test_vdevs", NULL };
	uint32_t u;
	int rc;

	if ((rc = vs_json_only_keys(o, "dpdk", keys, e)) < 0 ||
	    (rc = vs_json_get_bool(o, "dpdk", "no_huge", &c->dpdk.no_huge, e)) < 0 ||
	    (rc = vs_json_get_bool(o, "dpdk", "allow_test_vdevs", &c->dpdk.allow_test_vdevs, e)) < 0 ||
	    (rc = vs_json_get_u32(o, "dpdk", "memory_mb", 64, 1 << 20, &c->dpdk.memory_mb, e)) < 0 ||
	    (rc = vs_json_get_str(o, "dpdk", "file_prefix", c->dpdk.file_prefix,
			  sizeof(c->dpdk.file_prefix), e)) < 0)
		return rc;
	u = c->dpdk.main_cpu;
	if ((rc = vs_json_get_u32(o, "dpdk", "main_cpu", 0, 1023, &u, e)) < 0)
		return rc;
	c->dpdk.main_cpu = (uint16_t)u;
	json_t *a = json_object_get(o, "extra_eal_args");
	if (a != NULL) {
		size_t i;
		json_t *v;
		char f[64];
		if (!json_is_array(a) || json_array_size(a) > VS_EXTRA_EAL_MAX)
			return vs_err_set(e, EINVAL, "dpdk.extra_eal_args",
					  "expected an array of at most %d strings",
					  VS_EXTRA_EAL_MAX);
		json_array_foreach(a, i, v) {
			snprintf(f, sizeof(f), "dpdk.extra_eal_args[%zu]", i);
			if (!json_is_string(v))
				return vs_err_set(e, EINVAL, f, "expected a string");
			if ((rc = vs_json_copy_str(c->dpdk.extra_eal_args[i],
					   sizeof(c->dpdk.extra_eal_args[i]), v, f, e)) < 0)
				return rc;
		}
		c->dpdk.n_extra = (uint16_t)json_array_size(a);
	}
	return 0;
}

static int parse_workers(const json_t *o, struct vs_config *c, struct vs_err *e)
{
	static const char *const keys[] = { "cpus", "idle_sleep_us", "idle_spins", "burst", NULL };
	uint32_t burst = c->workers.burst;
	int rc;

	/* idle_sleep_us at most 10 ms: a bond in 802.3ad mode must be polled every 100 ms */
	if ((rc = vs_json_only_keys(o, "workers", keys, e)) < 0 ||
	    (rc = vs_json_get_u32(o, "workers", "idle_sleep_us", 0, 10000, &c->workers.idle_sleep_us,
			   e)) < 0 ||
	    (rc = vs_json_get_u32(o, "workers", "idle_spins", 1, 1u << 30, &c->workers.idle_spins,
			   e)) < 0 ||
	    (rc = vs_json_get_u32(o, "workers", "burst", 1, 32, &burst, e)) < 0)
		return rc;
	c->workers.burst = (uint16_t)burst;
	json_t *a = json_object_get(o, "cpus");
	if (a != NULL) {
		size_t i;
		json_t *v;
		if (!json_is_array(a) || json_array_size(a) < 1 ||
		    json_array_size(a) > VS_MAX_WORKERS)
			return vs_err_set(e, EINVAL, "workers.cpus",
					  "expected an array of 1..%d CPU numbers", VS_MAX_WORKERS);
		json_array_foreach(a, i, v) {
			char f[64];
			snprintf(f, sizeof(f), "workers.cpus[%zu]", i);
			if (!json_is_integer(v) || json_integer_value(v) < 0 ||
			    json_integer_value(v) > 1023)
				return vs_err_set(e, EINVAL, f, "expected a CPU number 0..1023");
			/* Two workers may share a CPU (vswd warns): it halves both, but it
			 * lets tests run several workers on a small machine. */
			c->workers.cpus[i] = (uint16_t)json_integer_value(v);
		}
		c->workers.n_cpus = (uint16_t)json_array_size(a);
	}
	return 0;
}

static int get_perm(const json_t *o, const char *key, uint32_t *out, struct vs_err *e)
{
	char f[64];
	json_t *v = json_object_get(o, key);
	if (v == NULL)
		return 0;
	VS_FIELD(f, "control", key);
	if (!json_is_string(v))
		return vs_err_set(e, EINVAL, f, "expected an octal string like \"0660\"");
	return vs_perm_parse(json_string_value(v), out, f, e);
}

/* An absolute, clean directory (allow.c's rules), without a trailing '/'. */
static int get_dir(const json_t *v, const char *field, char *out, size_t len, struct vs_err *e)
{
	int rc;
	if (!json_is_string(v))
		return vs_err_set(e, EINVAL, field, "expected a directory path");
	if ((rc = vs_json_copy_str(out, len, v, field, e)) < 0 || (rc = vs_path_check(out, field, e)) < 0)
		return rc;
	return 0;
}

static int parse_socket_dirs(const json_t *a, struct vs_config *c, struct vs_err *e)
{
	size_t i;
	json_t *v;
	int rc;

	if (!json_is_array(a) || json_array_size(a) < 1 || json_array_size(a) > VS_SOCKET_DIRS_MAX)
		return vs_err_set(e, EINVAL, "control.socket_dirs",
				  "expected an array of 1..%d directories", VS_SOCKET_DIRS_MAX);
	json_array_foreach(a, i, v) {
		char f[64];
		snprintf(f, sizeof(f), "control.socket_dirs[%zu]", i);
		if ((rc = get_dir(v, f, c->control.socket_dirs[i], sizeof(c->control.socket_dirs[i]),
				  e)) < 0)
			return rc;
		if (strcmp(c->control.socket_dirs[i], "/") == 0)
			return vs_err_set(e, EINVAL, f, "'/' would let requests name any path");
	}
	c->control.n_socket_dirs = (uint16_t)json_array_size(a);
	return 0;
}

static int parse_control(const json_t *o, struct vs_config *c, struct vs_err *e)
{
	static const char *const keys[] = { "socket", "socket_perm", "group", "ro_socket",
					    "ro_socket_perm", "state_dir", "socket_dirs",
					    "max_clients", "max_output_bytes", "max_buffered_bytes",
					    "requests_per_s",
					    "request_burst", "idle_timeout_s", "hello_timeout_s",
					    "write_timeout_s", "persist", NULL };
	int rc;
	json_t *v;

	if ((rc = vs_json_only_keys(o, "control", keys, e)) < 0 ||
	    (rc = vs_json_get_str(o, "control", "socket", c->control.socket, sizeof(c->control.socket),
			  e)) < 0 ||
	    (rc = vs_json_get_str(o, "control", "ro_socket", c->control.ro_socket,
			  sizeof(c->control.ro_socket), e)) < 0 ||
	    (rc = vs_json_get_str(o, "control", "group", c->control.group, sizeof(c->control.group),
			  e)) < 0 ||
	    (rc = get_perm(o, "socket_perm", &c->control.socket_perm, e)) < 0 ||
	    (rc = get_perm(o, "ro_socket_perm", &c->control.ro_socket_perm, e)) < 0 ||
	    (rc = vs_json_get_u32(o, "control", "max_clients", 1, 4096, &c->control.max_clients, e)) < 0 ||
	    (rc = vs_json_get_u32(o, "control", "max_output_bytes", 1u << 16, 1u << 30,
			   &c->control.max_output_bytes, e)) < 0 ||
	    (rc = vs_json_get_u32(o, "control", "max_buffered_bytes", 1u << 26, 1u << 31,
			   &c->control.max_buffered_bytes, e)) < 0 ||
	    (rc = vs_json_get_u32(o, "control", "requests_per_s", 1, 1000000, &c->control.requests_per_s,
			   e)) < 0 ||
	    (rc = vs_json_get_u32(o, "control", "request_burst", 1, 1000000, &c->control.request_burst,
			   e)) < 0 ||
	    (rc = vs_json_get_u32(o, "control", "idle_timeout_s", 0, 86400, &c->control.idle_timeout_s,
			   e)) < 0 ||
	    (rc = vs_json_get_u32(o, "control", "hello_timeout_s", 1, 3600, &c->control.hello_timeout_s,
			   e)) < 0 ||
	    (rc = vs_json_get_u32(o, "control", "write_timeout_s", 1, 3600, &c->control.write_timeout_s,
			   e)) < 0 ||
	    (rc = vs_json_get_bool(o, "control", "persist", &c->control.persist, e)) < 0)
		return rc;
	if ((v = json_object_get(o, "state_dir")) != NULL &&
	    (rc = get_dir(v, "control.state_dir", c->control.state_dir,
			  sizeof(c->control.state_dir), e)) < 0)
		return rc;
	if ((v = json_object_get(o, "socket_dirs")) != NULL && (rc = parse_socket_dirs(v, c, e)) < 0)
		return rc;
	if (c->control.socket[0] != '/')
		return vs_err_set(e, EINVAL, "control.socket", "'%s': must be an absolute path",
				  c->control.socket);
	if (c->control.ro_socket[0] != '\0' && c->control.ro_socket[0] != '/')
		return vs_err_set(e, EINVAL, "control.ro_socket", "'%s': must be an absolute path",
				  c->control.ro_socket);
	if (strcmp(c->control.ro_socket, c->control.socket) == 0)
		return vs_err_set(e, EINVAL, "control.ro_socket", "is control.socket");
	return 0;
}

static int parse_fdb(const json_t *o, struct vs_config *c, struct vs_err *e)
{
	static const char *const keys[] = { "size", "aging_s", NULL };
	int rc;
	if ((rc = vs_json_only_keys(o, "fdb", keys, e)) < 0 ||
	    (rc = vs_json_get_u32(o, "fdb", "size", 64, 1u << 24, &c->fdb.size, e)) < 0 ||
	    (rc = vs_json_get_u32(o, "fdb", "aging_s", 1, 1000000, &c->fdb.aging_s, e)) < 0)
		return rc;
	return 0;
}

static int parse_metrics(const json_t *o, struct vs_config *c, struct vs_err *e)
{
	static const char *const keys[] = { "listen", NULL };
	int rc;
	if ((rc = vs_json_only_keys(o, "metrics", keys, e)) < 0 ||
	    (rc = vs_json_get_str(o, "metrics", "listen", c->metrics.listen,
				  sizeof(c->metrics.listen), e)) < 0)
		return rc;
	return vs_listen_parse(c->metrics.listen, &c->metrics.at, "metrics.listen", e);
}

static int config_from_json(const json_t *root, struct vs_config *c, struct vs_err *e);

int vs_config_from_json(const json_t *root, struct vs_config *c, struct vs_err *e)
{
	int rc;

	vs_config_defaults(c);
	if ((rc = config_from_json(root, c, e)) < 0)
		vs_config_release(c);
	return rc;
}

static int parse_networks(const json_t *v, struct vs_config *c, struct vs_err *e)
{
	size_t i;
	json_t *x;
	char f[48];
	int rc;

	if (!json_is_array(v) || json_array_size(v) > VS_NETWORKS_MAX)
		return vs_err_set(e, EINVAL, "networks", "expected an array of at most %d networks",
				  VS_NETWORKS_MAX);
	json_array_foreach(v, i, x) {
		snprintf(f, sizeof(f), "networks[%zu]", i);
		if ((rc = vs_request_check("network.add", x, f, e)) < 0 ||
		    (rc = vs_network_from_json(x, f, &c->networks[i], e)) < 0)
			return rc;
		for (size_t j = 0; j < i; j++)
			if (strcmp(c->networks[j].name, c->networks[i].name) == 0)
				return vs_err_set(e, EEXIST, f, "network '%s' given twice",
						  c->networks[i].name);
	}
	c->n_networks = (uint16_t)json_array_size(v);
	return 0;
}

static int parse_namespaces(const json_t *v, struct vs_config *c, struct vs_err *e)
{
	size_t i;
	json_t *x;
	char f[48];
	int rc;

	if (!json_is_array(v) || json_array_size(v) > VS_NAMESPACES_MAX)
		return vs_err_set(e, EINVAL, "namespaces",
				  "expected an array of at most %d namespaces", VS_NAMESPACES_MAX);
	json_array_foreach(v, i, x) {
		snprintf(f, sizeof(f), "namespaces[%zu]", i);
		if ((rc = vs_request_check("namespace.set", x, f, e)) < 0 ||
		    (rc = vs_namespace_from_json(x, f, &c->namespaces[i], e)) < 0)
			return rc;
		for (size_t j = 0; j < i; j++)
			if (strcmp(c->namespaces[j].name, c->namespaces[i].name) == 0)
				return vs_err_set(e, EEXIST, f, "namespace '%s' given twice",
						  c->namespaces[i].name);
	}
	c->n_namespaces = (uint16_t)json_array_size(v);
	return 0;
}

static int parse_policies(const json_t *v, struct vs_config *c, struct vs_err *e)
{
	struct vs_policy_id *ids;
	size_t i;
	json_t *x;
	char f[48];
	int rc = 0;

	if (!json_is_array(v))
		return vs_err_set(e, EINVAL, "policies", "expected an array of policy objects");
	ids = calloc(json_array_size(v) + 1, sizeof(*ids));
	if (ids == NULL)
		return vs_err_set(e, ENOMEM, "policies", "out of memory");
	json_array_foreach(v, i, x) {
		snprintf(f, sizeof(f), "policies[%zu]", i);
		if ((rc = vs_policy_check(x, f, c->networks, c->n_networks, &ids[i], e)) < 0)
			break;
		for (size_t j = 0; j < i && rc == 0; j++)
			if (memcmp(&ids[j], &ids[i], sizeof(ids[i])) == 0)
				rc = vs_err_set(e, EEXIST, f, "%s '%s' given twice",
						vs_policy_kind_name(ids[i].kind), ids[i].name);
		if (rc < 0)
			break;
	}
	free(ids);
	if (rc == 0)
		c->policies = json_deep_copy(v);
	return rc;
}

static int parse_ports(const json_t *v, struct vs_config *c, struct vs_err *e)
{
	const struct vs_port_cfg *others[VS_MAX_PORTS];
	size_t i;
	json_t *p;
	int rc;

	if (!json_is_array(v) || json_array_size(v) > VS_MAX_PORTS)
		return vs_err_set(e, EINVAL, "ports", "expected an array of at most %d ports",
				  VS_MAX_PORTS);
	json_array_foreach(v, i, p) {
		char f[48];
		snprintf(f, sizeof(f), "ports[%zu]", i);
		if ((rc = vs_request_check("port.add", p, f, e)) < 0 ||
		    (rc = vs_port_cfg_from_json(p, f, &c->ports[i], e)) < 0)
			return rc;
		for (size_t j = 0; j < i; j++)
			others[j] = &c->ports[j];
		if ((rc = vs_port_cfg_check_unique(&c->ports[i], others, (unsigned int)i, f, e)) < 0 ||
		    (rc = vs_port_cfg_check_allowed(&c->ports[i], c, f, e)) < 0)
			return rc;
	}
	c->n_ports = (uint16_t)json_array_size(v);
	return 0;
}

/* After ports: each entry names one of them, in a VLAN it is in. */
static int parse_static_macs(const json_t *v, struct vs_config *c, struct vs_err *e)
{
	size_t i;
	json_t *m;
	int rc;

	if (!json_is_array(v) || json_array_size(v) > VS_STATIC_MACS_MAX)
		return vs_err_set(e, EINVAL, "static_macs", "expected an array of at most %d entries",
				  VS_STATIC_MACS_MAX);
	json_array_foreach(v, i, m) {
		char f[48], ff[96];
		struct vs_static_mac *sm = &c->static_macs[i];
		snprintf(f, sizeof(f), "static_macs[%zu]", i);
		if ((rc = vs_request_check("mac.add", m, f, e)) < 0 ||
		    (rc = vs_static_mac_from_json(m, f, sm, e)) < 0)
			return rc;
		const struct vs_port_cfg *port = NULL;
		for (uint16_t j = 0; j < c->n_ports; j++)
			if (strcmp(c->ports[j].name, sm->port) == 0)
				port = &c->ports[j];
		if (port == NULL)
			return vs_err_set(e, ENOENT, VS_FIELD(ff, f, "port"), "no port '%s' in ports",
					  sm->port);
		if (!vs_port_cfg_in_vlan(port, sm->vlan))
			return vs_err_set(e, EINVAL, VS_FIELD(ff, f, "vlan"),
					  "port '%s' is not in VLAN %u", sm->port, sm->vlan);
	}
	c->n_static_macs = (uint16_t)json_array_size(v);
	return 0;
}

static int parse_conntrack(const json_t *v, struct vs_config *c, struct vs_err *e)
{
	return vs_conntrack_from_json(v, &c->conntrack, e);
}

static int check_cpus(const struct vs_config *c, struct vs_err *e)
{
	for (uint16_t i = 0; i < c->workers.n_cpus; i++)
		if (c->workers.cpus[i] == c->dpdk.main_cpu)
			return vs_err_set(e, EINVAL, "workers.cpus",
					  "CPU %u is the main (control) CPU, dpdk.main_cpu",
					  c->dpdk.main_cpu);
	return 0;
}

static int config_from_json(const json_t *root, struct vs_config *c, struct vs_err *e)
{
	/* the sections in the order they are read: later ones refer to earlier ones */
	static const struct {
		const char *key;
		int (*parse)(const json_t *v, struct vs_config *c, struct vs_err *e);
	} sections[] = {
		{ "dpdk", parse_dpdk },		  { "workers", parse_workers },
		{ "control", parse_control },	  { "fdb", parse_fdb },
		{ "metrics", parse_metrics },
		{ "ports", parse_ports },	  { "static_macs", parse_static_macs },
		{ "conntrack", parse_conntrack }, { "networks", parse_networks },
		{ "namespaces", parse_namespaces }, { "policies", parse_policies },
	};
	static const char *const keys[] = { "dpdk", "workers", "control", "fdb", "metrics", "ports",
					    "static_macs", "conntrack", "networks", "namespaces",
					    "policies", NULL };
	json_t *v;
	int rc;

	if ((rc = vs_json_only_keys(root, "", keys, e)) < 0) {
		memmove(e->field, e->field + 1, strlen(e->field));	/* ".x" -> "x" */
		return rc;
	}
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
		if ((v = json_object_get(root, sections[i].key)) != NULL &&
		    (rc = sections[i].parse(v, c, e)) < 0)
			return rc;
		if (strcmp(sections[i].key, "fdb") == 0 && (rc = check_cpus(c, e)) < 0)
			return rc;
	}
	return 0;
}

static json_t *control_to_json(const struct vs_config *c)
{
	char perm[16], ro_perm[16];
	snprintf(perm, sizeof(perm), "%04o", c->control.socket_perm);
	snprintf(ro_perm, sizeof(ro_perm), "%04o", c->control.ro_socket_perm);
	json_t *dirs = json_array();
	for (uint16_t i = 0; i < c->control.n_socket_dirs; i++)
		json_array_append_new(dirs, json_string(c->control.socket_dirs[i]));
	json_t *o = json_pack("{s:s, s:s, s:s, s:o, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
			      "socket", c->control.socket, "socket_perm", perm, "state_dir",
			      c->control.state_dir, "socket_dirs", dirs, "max_clients",
			      (json_int_t)c->control.max_clients, "max_output_bytes",
			      (json_int_t)c->control.max_output_bytes, "max_buffered_bytes",
			      (json_int_t)c->control.max_buffered_bytes, "requests_per_s",
			      (json_int_t)c->control.requests_per_s, "request_burst",
			      (json_int_t)c->control.request_burst, "idle_timeout_s",
			      (json_int_t)c->control.idle_timeout_s, "hello_timeout_s",
			      (json_int_t)c->control.hello_timeout_s, "write_timeout_s",
			      (json_int_t)c->control.write_timeout_s);
	if (c->control.persist)
		json_object_set_new(o, "persist", json_true());
	if (c->control.group[0])
		json_object_set_new(o, "group", json_string(c->control.group));
	if (c->control.ro_socket[0]) {
		json_object_set_new(o, "ro_socket", json_string(c->control.ro_socket));
		json_object_set_new(o, "ro_socket_perm", json_string(ro_perm));
	}
	return o;
}

json_t *vs_config_to_json(const struct vs_config *c)
{
	json_t *root = json_object();
	json_t *extra = json_array();
	for (uint16_t i = 0; i < c->dpdk.n_extra; i++)
		json_array_append_new(extra, json_string(c->dpdk.extra_eal_args[i]));
	json_object_set_new(root, "dpdk",
			    json_pack("{s:b, s:i, s:i, s:s, s:o, s:b}", "no_huge", c->dpdk.no_huge,
				      "memory_mb", (json_int_t)c->dpdk.memory_mb, "main_cpu",
				      c->dpdk.main_cpu, "file_prefix", c->dpdk.file_prefix,
				      "extra_eal_args", extra, "allow_test_vdevs",
				      c->dpdk.allow_test_vdevs));
	json_t *cpus = json_array();
	for (uint16_t i = 0; i < c->workers.n_cpus; i++)
		json_array_append_new(cpus, json_integer(c->workers.cpus[i]));
	json_object_set_new(root, "workers",
			    json_pack("{s:o, s:i, s:i, s:i}", "cpus", cpus, "idle_sleep_us",
				      (json_int_t)c->workers.idle_sleep_us, "idle_spins",
				      (json_int_t)c->workers.idle_spins, "burst", c->workers.burst));
	json_object_set_new(root, "control", control_to_json(c));
	json_object_set_new(root, "fdb", json_pack("{s:i, s:i}", "size", (json_int_t)c->fdb.size,
						   "aging_s", (json_int_t)c->fdb.aging_s));
	if (c->metrics.listen[0])
		json_object_set_new(root, "metrics", json_pack("{s:s}", "listen", c->metrics.listen));
	json_t *ports = json_array();
	for (uint16_t i = 0; i < c->n_ports; i++)
		json_array_append_new(ports, vs_port_cfg_to_json(&c->ports[i]));
	json_object_set_new(root, "ports", ports);
	json_t *macs = json_array();
	for (uint16_t i = 0; i < c->n_static_macs; i++)
		json_array_append_new(macs, vs_static_mac_to_json(&c->static_macs[i]));
	json_object_set_new(root, "static_macs", macs);
	json_object_set_new(root, "conntrack", vs_conntrack_to_json(&c->conntrack));
	json_t *nets = vs_networks_to_json(c->networks, c->n_networks);
	json_t *nss = vs_namespaces_to_json(c->namespaces, c->n_namespaces);
	json_object_set_new(root, "networks", nets);
	json_object_set_new(root, "namespaces", nss);
	json_object_set_new(root, "policies", c->policies ? json_deep_copy(c->policies) : json_array());
	return root;
}
