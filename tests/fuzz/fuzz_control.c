/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: one control-socket request line, through what vswd does with it before
 * anything reaches DPDK, against a real in-memory model of the running state (the world:
 * tests/fuzz/world.json).
 *
 *   bytes -> JSON (json_loadb, duplicates refused, as control/server/server.c) -> the request
 *   envelope (object; keys cmd, args, id; a known command; as server.c's dispatch) -> the
 *   command table's schema check (vs_args_check) -> the typed decoding and validation the
 *   handler and core function run (control/server/handlers.c, control/core/core.c, control/policy/netpol.c),
 *   applied to the model with the core's rules (unique names, sockets and devices, port in
 *   the VLAN of a static MAC, a free slot, policies checked then compiled as one set).
 *
 * The handlers themselves are not called: past validation they create rte_vhost drivers and
 * ethdevs named by the request, rte_sched schedulers, rte_hash entries and rte_acl contexts
 * and publish RCU snapshots, which needs an EAL and would let fuzz inputs create sockets and
 * devices on the machine. What they get is exactly what this target validates.
 *
 * Invariants (a violation aborts): a refusal is well-formed (fz_check_err) and leaves the
 * model unchanged (its config.show form before == after); an accepted change leaves a model
 * that config.save + restart reproduces (fz_check_roundtrip) and whose policies compile.
 * An input may hold several lines: requests run in order on the same state.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vs_commands.h"
#include "vs_proto.h"
#include "vs_types.h"
#include "control/model/allow.h"
#include "control/model/args.h"
#include "control/model/config.h"
#include "control/model/err.h"
#include "control/model/netpol_cfg.h"
#include "control/model/policy.h"
#include "control/model/port_cfg.h"
#include "control/model/vlan_set.h"
#include "fuzz_model.h"

static struct vs_config model;

static int port_find(const char *name)
{
	for (uint16_t i = 0; i < model.n_ports; i++)
		if (strcmp(model.ports[i].name, name) == 0)
			return i;
	return -1;
}

/* control/core/core.c port_add: decoded (port.add's handler), validated, unique among the others,
 * a free slot. */
static int port_add(const json_t *args, struct vs_err *e)
{
	const struct vs_port_cfg *others[VS_MAX_PORTS];
	struct vs_port_cfg cfg;
	int rc;

	if ((rc = vs_port_cfg_from_json(args, "args", &cfg, e)) < 0 ||
	    (rc = vs_port_cfg_validate(&cfg, "args", e)) < 0 ||
	    (rc = vs_port_cfg_check_allowed(&cfg, &model, "args", e)) < 0)
		return rc;
	for (uint16_t i = 0; i < model.n_ports; i++)
		others[i] = &model.ports[i];
	if ((rc = vs_port_cfg_check_unique(&cfg, others, model.n_ports, "args", e)) < 0)
		return rc;
	if (model.n_ports == VS_MAX_PORTS)
		return vs_err_set(e, ENOSPC, "args", "all %d port slots are in use", VS_MAX_PORTS);
	model.ports[model.n_ports++] = cfg;
	return 0;
}

/* core.c vs_core_port_set: the update goes straight onto the model's port, so this also
 * checks vs_port_cfg_update's promise to change nothing when it refuses. */
static int port_set(const json_t *args, struct vs_err *e)
{
	int slot = port_find(json_string_value(json_object_get(args, "name")));
	if (slot < 0)
		return vs_err_set(e, ENOENT, "args.name", "no port");
	struct vs_port_cfg *p = &model.ports[slot], old = *p;
	int rc = vs_port_cfg_update(args, "args", p, e);
	if (rc == 0 && p->mtu != old.mtu && p->type == VS_PORT_DPDK)
		FZ_FAIL("port.set changed a dpdk port's MTU; the core refuses that after the "
			"update, on a copy: model out of step");
	/* the core flushes the port's entries, static ones too, in the VLANs it left */
	uint16_t k = 0;
	for (uint16_t i = 0; i < model.n_static_macs && rc == 0; i++) {
		const struct vs_static_mac *m = &model.static_macs[i];
		if (strcmp(m->port, p->name) != 0 || vs_port_cfg_in_vlan(p, m->vlan))
			model.static_macs[k++] = *m;
	}
	if (rc == 0)
		model.n_static_macs = k;
	return rc;
}

/* The same check as core.c, made before the update there; here on the args. */
static int port_set_mtu_check(const json_t *args, struct vs_err *e)
{
	int slot = port_find(json_string_value(json_object_get(args, "name")));
	json_t *mtu = json_object_get(args, "mtu");
	if (slot >= 0 && mtu != NULL && model.ports[slot].type == VS_PORT_DPDK &&
	    json_integer_value(mtu) != model.ports[slot].mtu)
		return vs_err_set(e, ENOTSUP, "args.mtu", "the MTU of a dpdk port is set when it "
			"is added");
	return 0;
}

static int port_del(const json_t *args, struct vs_err *e)
{
	int slot = port_find(json_string_value(json_object_get(args, "name")));
	if (slot < 0)
		return vs_err_set(e, ENOENT, "args.name", "no port");
	/* its static MACs go with it (vs_fdb_flush with statics) */
	uint16_t k = 0;
	for (uint16_t i = 0; i < model.n_static_macs; i++)
		if (strcmp(model.static_macs[i].port, model.ports[slot].name) != 0)
			model.static_macs[k++] = model.static_macs[i];
	model.n_static_macs = k;
	memmove(&model.ports[slot], &model.ports[slot + 1],
		sizeof(model.ports[0]) * (size_t)(model.n_ports - slot - 1));
	model.n_ports--;
	return 0;
}

/* core.c mac_add: the port exists and is in the VLAN; the FDB is keyed by {MAC, VLAN}. */
static int mac_add(const json_t *args, struct vs_err *e)
{
	struct vs_static_mac m;
	int rc = vs_static_mac_from_json(args, "args", &m, e);
	if (rc < 0)
		return rc;
	int slot = port_find(m.port);
	if (slot < 0)
		return vs_err_set(e, ENOENT, "args.port", "no port '%s'", m.port);
	if (!vs_port_cfg_in_vlan(&model.ports[slot], m.vlan))
		return vs_err_set(e, EINVAL, "args.vlan", "port '%s' is not in VLAN %u", m.port,
				  m.vlan);
	uint16_t i;
	for (i = 0; i < model.n_static_macs; i++)
		if (model.static_macs[i].vlan == m.vlan && memcmp(model.static_macs[i].mac, m.mac, 6) == 0)
			break;
	if (i == VS_STATIC_MACS_MAX)
		return vs_err_set(e, ENOSPC, "args.mac", "MAC table full");
	model.static_macs[i] = m;
	if (i == model.n_static_macs)
		model.n_static_macs++;
	return 0;
}

/* handlers.c h_mac_del */
static int mac_del(const json_t *args, struct vs_err *e)
{
	uint8_t mac[6];
	json_int_t vlan = json_integer_value(json_object_get(args, "vlan"));
	if (vs_mac_parse(json_string_value(json_object_get(args, "mac")), mac) < 0)
		FZ_FAIL("mac.del: the schema check passed a MAC vs_mac_parse refuses");
	if (vlan < VS_VLAN_MIN || vlan > VS_VLAN_MAX)
		return vs_err_set(e, ERANGE, "args.vlan", "VLAN ids are %d..%d", VS_VLAN_MIN,
				  VS_VLAN_MAX);
	for (uint16_t i = 0; i < model.n_static_macs; i++) {
		if (model.static_macs[i].vlan == vlan && memcmp(model.static_macs[i].mac, mac, 6) == 0) {
			model.static_macs[i] = model.static_macs[--model.n_static_macs];
			return 0;
		}
	}
	return vs_err_set(e, ENOENT, "args.mac", "not in the MAC table of VLAN %lld", vlan);
}

/* netpol.c vs_netpol_network_add */
static int network_add(const json_t *args, struct vs_err *e)
{
	struct vs_network n;
	int rc = vs_network_from_json(args, "args", &n, e);
	if (rc < 0)
		return rc;
	for (uint16_t i = 0; i < model.n_networks; i++)
		if (strcmp(model.networks[i].name, n.name) == 0)
			return vs_err_set(e, EEXIST, "args.name", "network '%s' exists", n.name);
	if (model.n_networks == VS_NETWORKS_MAX)
		return vs_err_set(e, ENOSPC, "args.name", "more than %d networks", VS_NETWORKS_MAX);
	model.networks[model.n_networks++] = n;
	return 0;
}

/* netpol.c vs_netpol_namespace_set / _del */
static int namespace_set(const json_t *args, struct vs_err *e)
{
	struct vs_namespace ns;
	int rc = vs_namespace_from_json(args, "args", &ns, e);
	if (rc < 0)
		return rc;
	uint16_t i;
	for (i = 0; i < model.n_namespaces; i++)
		if (strcmp(model.namespaces[i].name, ns.name) == 0)
			break;
	if (i == VS_NAMESPACES_MAX)
		return vs_err_set(e, ENOSPC, "args.name", "more than %d namespaces",
				  VS_NAMESPACES_MAX);
	model.namespaces[i] = ns;
	if (i == model.n_namespaces)
		model.n_namespaces++;
	return 0;
}

static int namespace_del(const json_t *args, struct vs_err *e)
{
	const char *name = json_string_value(json_object_get(args, "name"));
	for (uint16_t i = 0; i < model.n_namespaces; i++) {
		if (strcmp(model.namespaces[i].name, name) == 0) {
			memmove(&model.namespaces[i], &model.namespaces[i + 1],
				sizeof(model.namespaces[0]) * (size_t)(model.n_namespaces - i - 1));
			model.n_namespaces--;
			return 0;
		}
	}
	return vs_err_set(e, ENOENT, "args.name", "no namespace '%s'", name);
}

/* netpol.c vs_netpol_policy_apply: one policy, a List or an array, every object checked,
 * no id twice; then each replaces the policy of its id or is appended, and the whole set is
 * compiled (fz_check_compiles, after the change). */
static int policy_apply(const json_t *args, struct vs_err *e)
{
	const json_t *v = json_object_get(args, "policy");
	json_t *items;
	const char *kind = json_string_value(json_object_get(v, "kind"));
	bool listed = json_is_array(v) || json_object_get(v, "items") != NULL;
	char f[96];
	int rc = 0;

	if (json_is_array(v))
		items = json_incref((json_t *)v);
	else if (kind != NULL && strcmp(kind, "List") == 0 && json_is_array(json_object_get(v, "items")))
		items = json_incref(json_object_get(v, "items"));
	else
		items = json_pack("[O]", v);
	size_t n = json_array_size(items), n_old = json_array_size(model.policies), i;
	struct vs_policy_id *ids = calloc(n + n_old + 1, sizeof(*ids));
	if (ids == NULL)
		abort();
	if (n == 0)
		rc = vs_err_set(e, EINVAL, "args.policy", "no policy objects");
	for (i = 0; i < n && rc == 0; i++) {
		if (listed)
			vs_pathf(f, sizeof(f), "args.policy[%zu]", i);
		else
			vs_pathf(f, sizeof(f), "args.policy");
		rc = vs_policy_check(json_array_get(items, i), f, model.networks, model.n_networks,
				     &ids[i], e);
		for (size_t j = 0; j < i && rc == 0; j++)
			if (memcmp(&ids[j], &ids[i], sizeof(ids[i])) == 0)
				rc = vs_err_set(e, EEXIST, f, "given twice");
	}
	if (rc == 0) {
		/* the running policies' ids: they were checked when they came in */
		for (size_t k = 0; k < n_old; k++) {
			struct vs_err e2 = { 0 };
			if (vs_policy_check(json_array_get(model.policies, k), "p", model.networks,
					    model.n_networks, &ids[n + k], &e2) < 0)
				FZ_FAIL("a running policy no longer passes the check: %s: %s",
					e2.field, e2.msg);
		}
		for (i = 0; i < n; i++) {
			size_t k;
			for (k = 0; k < n_old; k++)
				if (memcmp(&ids[n + k], &ids[i], sizeof(ids[i])) == 0)
					break;
			json_t *copy = json_deep_copy(json_array_get(items, i));
			if (k < n_old)
				json_array_set_new(model.policies, k, copy);
			else
				json_array_append_new(model.policies, copy);
		}
	}
	free(ids);
	json_decref(items);
	return rc;
}

/* Runs a schema-checked request against the model; returns 0 or the refusal. */
static int apply(int id, const json_t *args, struct vs_err *e)
{
	int rc;

	switch (id) {
	case VS_CMD_HELLO:
		if (json_integer_value(json_object_get(args, "version")) != VS_PROTO_VERSION)
			return vs_err_set(e, EPROTONOSUPPORT, "args.version", "not supported");
		return 0;
	case VS_CMD_PORT_ADD:
		return port_add(args, e);
	case VS_CMD_PORT_SET:
		if ((rc = port_set_mtu_check(args, e)) < 0)
			return rc;
		return port_set(args, e);
	case VS_CMD_PORT_DEL:
		return port_del(args, e);
	case VS_CMD_MAC_ADD:
		return mac_add(args, e);
	case VS_CMD_MAC_DEL:
		return mac_del(args, e);
	case VS_CMD_NETWORK_ADD:
		return network_add(args, e);
	case VS_CMD_NAMESPACE_SET:
		return namespace_set(args, e);
	case VS_CMD_NAMESPACE_DEL:
		return namespace_del(args, e);
	case VS_CMD_POLICY_APPLY:
		return policy_apply(args, e);
	default:
		/* read-only (list, show, stats...) or handled past what needs no EAL (network.del,
		 * policy.delete, config.save, monitor): the schema check is what they get here */
		return 0;
	}
}

/* server.c dispatch: the envelope of a request; returns the command id or a refusal. */
static int envelope(const json_t *req, const json_t **args, struct vs_err *e)
{
	const char *key;
	json_t *v;
	int id;

	if (!json_is_object(req))
		return vs_err_set(e, EINVAL, NULL, "a request is a JSON object");
	json_object_foreach((json_t *)req, key, v)
		if (strcmp(key, "cmd") != 0 && strcmp(key, "args") != 0 && strcmp(key, "id") != 0)
			return vs_err_set(e, EINVAL, key, "unknown request key (cmd, args, id)");
	const char *cmd = json_string_value(json_object_get(req, "cmd"));
	if (cmd == NULL)
		return vs_err_set(e, EINVAL, "cmd", "missing or not a string");
	if (vs_command_find(cmd, &id) == NULL)
		return vs_err_set(e, EOPNOTSUPP, "cmd", "unknown command '%s'", cmd);
	*args = json_object_get(req, "args");
	return id;
}

/* One request line against the model, with the invariants. */
static void one_request(const char *line, size_t len)
{
	struct vs_err e = { 0 };
	json_error_t jerr;
	const json_t *args = NULL;

	if (len > VS_PROTO_MAX_MSG)
		return;	/* refused unread by the server */
	json_t *req = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
	if (req == NULL)
		return;
	json_t *empty = json_object(), *before = vs_config_to_json(&model);
	int id = envelope(req, &args, &e);
	int rc = id;
	if (id >= 0) {
		const struct vs_command_spec *spec = &vs_command_table()[id];
		if (args == NULL)
			args = empty;
		if ((rc = vs_args_check(spec, args, "args", &e)) == 0)
			rc = apply(id, args, &e);
	}
	if (rc < 0) {
		fz_check_err(rc, &e, "request");
		/* past the envelope, a refusal names the argument at fault (vs_proto.h) */
		if (id >= 0 && strncmp(e.field, "args", 4) != 0)
			FZ_FAIL("%s refused without naming an argument: field '%s': %s",
				vs_command_table()[id].name, e.field, e.msg);
		json_t *after = vs_config_to_json(&model);
		if (!json_equal(before, after)) {
			char *a = fz_dump(before), *b = fz_dump(after);
			FZ_FAIL("a refused request (%s: %s) changed the state:\n%s\n%s", e.field,
				e.msg, a, b);
		}
		json_decref(after);
	} else if (id != VS_CMD_HELLO && id >= 0) {
		fz_check_roundtrip(&model, "after an accepted request");
		size_t n = json_array_size(model.policies);
		const json_t **pols = calloc(n + 1, sizeof(*pols));
		if (pols == NULL)
			abort();
		for (size_t i = 0; i < n; i++)
			pols[i] = json_array_get(model.policies, i);
		fz_check_compiles(&model, pols, (unsigned int)n, "after an accepted request");
		free(pols);
	}
	json_decref(before);
	json_decref(empty);
	json_decref(req);
}

/* Each line of the input is one request (as the server reads them: up to a newline), run in
 * order on the same state, which starts as the world each time; at most 8, so that a state
 * built by several requests (port.add, then mac.add on it, then port.set...) is reached while
 * one input stays cheap. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;

	fz_world_load(&model);
	for (int n = 0; n < 8 && p < end; n++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		one_request(p, len);
		p += len + 1;
	}
	vs_config_release(&model);
	return 0;
}
