/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * control/model/port_cfg.c, one port: port.add args decoded into a port, port.set updates applied to
 * one (refusals leave it untouched) and the port's JSON form.
 *
 * JSON texts here use single quotes for readability (see vs_test_json).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "vs_types.h"
#include "control/model/args.h"
#include "control/model/err.h"
#include "control/model/police_cfg.h"
#include "control/model/port_cfg.h"
#include "control/model/vlan_set.h"
#include "suites.h"

/* port.add args are decoded by the same function: errors name "args.<arg>". */
static void test_port_add_args(void)
{
	static const struct vs_test_bad_args bad[] = {
		{ "{'name': 'vm1', 'socket': '/s', 'vlan': 5000}", ERANGE, "args.vlan" },
		{ "{'name': 'vm1', 'socket': '/s', 'vlan': 10, 'sock': '/t'}", EINVAL,
		  "args.sock" },
		{ "{'name': 'vm1', 'socket': '/s', 'vlan': 10, 'owner': 'qemu'}", EINVAL,
		  "args.owner" },
		{ "{'name': 'vm1', 'socket': '/s', 'mode': 'trunk'}", EINVAL, "args.allowed" },
	};

	vs_test_expect_add_refused(bad, sizeof(bad) / sizeof(bad[0]));
}

/* Policer settings: the combinations refused, the field named, and the bursts' defaults. */
static void test_police(void)
{
	static const struct vs_test_bad_args bad[] = {
		{ "{'name': 'vm1', 'socket': '/s', 'vlan': 10, 'police_rate': 7999}", ERANGE,
		  "args.police_rate" },
		{ "{'name': 'vm1', 'socket': '/s', 'vlan': 10, 'police_rate': 400000000001}", ERANGE,
		  "args.police_rate" },
		{ "{'name': 'vm1', 'socket': '/s', 'vlan': 10, 'police_peak_rate': 9000}", EINVAL,
		  "args.police_rate" },
		{ "{'name': 'vm1', 'socket': '/s', 'vlan': 10, 'police_rate': 9000, "
		  "'police_peak_rate': 8000}", EINVAL, "args.police_peak_rate" },
		{ "{'name': 'vm1', 'socket': '/s', 'vlan': 10, 'police_rate': 9000, "
		  "'police_burst': 1517}", EINVAL, "args.police_burst" },
		{ "{'name': 'vm1', 'socket': '/s', 'vlan': 10, 'mtu': 9000, 'police_rate': 9000, "
		  "'police_burst': 2000}", EINVAL, "args.police_burst" },
		{ "{'name': 'vm1', 'socket': '/s', 'vlan': 10, 'police_rate': 9000, "
		  "'police_peak_rate': 9000, 'police_peak_burst': 100}", EINVAL,
		  "args.police_peak_burst" },
		{ "{'name': 'vm1', 'socket': '/s', 'vlan': 10, 'police_rate': 9000, "
		  "'police_yellow': 'red'}", EINVAL, "args.police_yellow" },
		{ "{'name': 'vm1', 'socket': '/s', 'vlan': 10, 'police_burst': 67108865}", ERANGE,
		  "args.police_burst" },
	};
	struct vs_port_cfg p;
	uint64_t cbs, ebs;

	vs_test_expect_add_refused(bad, sizeof(bad) / sizeof(bad[0]));
	/* srTCM, default burst: 10 ms at 1 Gbit/s; no excess burst unless asked */
	vs_test_port_from("{'name': 'vm1', 'socket': '/s', 'vlan': 10, 'police_rate': 1000000000}", &p);
	vs_police_bursts(&p.police, p.mtu, &cbs, &ebs);
	CU_ASSERT_EQUAL(cbs, 1250000);
	CU_ASSERT_EQUAL(ebs, 0);
	CU_ASSERT_FALSE(p.police.yellow_drop);
	/* a slow policer still takes two of the port's largest frames */
	vs_test_port_from("{'name': 'vm1', 'socket': '/s', 'vlan': 10, 'mtu': 9000, 'police_rate': 8000, "
		  "'police_peak_rate': 16000, 'police_yellow': 'drop'}", &p);
	vs_police_bursts(&p.police, p.mtu, &cbs, &ebs);
	CU_ASSERT_EQUAL(cbs, 2 * 9018);
	CU_ASSERT_EQUAL(ebs, 2 * 9018);
	CU_ASSERT_TRUE(p.police.yellow_drop);
	/* re-marking yellow: the scavenger class, and back out as such */
	vs_test_port_from("{'name': 'vm1', 'socket': '/s', 'vlan': 10, 'police_rate': 8000, "
		  "'police_peak_rate': 16000, 'police_yellow': 'scavenger'}", &p);
	CU_ASSERT_TRUE(p.police.yellow_demote);
	CU_ASSERT_FALSE(p.police.yellow_drop);
	json_t *o = vs_port_cfg_to_json(&p);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(o, "police_yellow")), "scavenger");
	json_decref(o);
}

/* Applies port.set args; returns the result, with the error in e. */
static int update(struct vs_port_cfg *p, const char *text, struct vs_err *e)
{
	json_t *o = vs_test_json(text);
	int rc;

	memset(e, 0, sizeof(*e));
	rc = vs_request_check("port.set", o, "args", e);
	if (rc == 0)
		rc = vs_port_cfg_update(o, "args", p, e);
	json_decref(o);
	return rc;
}

static const char server_port[] = "{'name': 'vm2', 'socket': '/run/vsw/vm2.sock', 'client': false,"
	" 'owner': 'qemu', 'perm': '0600', 'queues': 4, 'vlan': 2003}";
static const char uplink_port[] = "{'name': 'up', 'type': 'dpdk', 'devargs': '0000:01:00.0',"
	" 'allowed': '2003-2005', 'native_vlan': 100, 'queues': 2}";

static void test_update_keeps_other_fields(void)
{
	struct vs_port_cfg p, q;
	struct vs_err e;

	vs_test_port_from(server_port, &p);
	CU_ASSERT_EQUAL_FATAL(update(&p, "{'name': 'vm2', 'vlan': 2004, 'mtu': 9000}", &e), 0);
	CU_ASSERT_EQUAL(p.vlan, 2004);
	CU_ASSERT_EQUAL(p.mtu, 9000);
	CU_ASSERT_EQUAL(p.mode, VS_MODE_ACCESS);
	CU_ASSERT_STRING_EQUAL(p.name, "vm2");
	CU_ASSERT_STRING_EQUAL(p.socket, "/run/vsw/vm2.sock");
	CU_ASSERT_FALSE(p.client);
	CU_ASSERT_STRING_EQUAL(p.owner, "qemu");
	CU_ASSERT_EQUAL(p.perm, 0600);
	CU_ASSERT_EQUAL(p.queues, 4);

	/* A new allowed list replaces the old one; the native VLAN stays unless given. */
	vs_test_port_from(uplink_port, &q);
	CU_ASSERT_EQUAL_FATAL(update(&q, "{'name': 'up', 'allowed': '10,20'}", &e), 0);
	CU_ASSERT_EQUAL(q.mode, VS_MODE_TRUNK);
	CU_ASSERT_EQUAL(vs_vlan_set_count(&q.allowed), 2);
	CU_ASSERT_FALSE(vs_vlan_set_has(&q.allowed, 2003));
	CU_ASSERT_EQUAL(q.native_vlan, 100);
	CU_ASSERT_EQUAL_FATAL(update(&q, "{'name': 'up', 'native_vlan': 0}", &e), 0);
	CU_ASSERT_EQUAL(q.native_vlan, 0);
	CU_ASSERT_EQUAL(q.type, VS_PORT_DPDK);
	CU_ASSERT_STRING_EQUAL(q.devargs, "0000:01:00.0");
	CU_ASSERT_EQUAL(q.queues, 2);

	/* Trunk to access, clearing the trunk's list explicitly. */
	CU_ASSERT_EQUAL_FATAL(update(&q, "{'name': 'up', 'mode': 'access', 'vlan': 7,"
				     " 'allowed': ''}", &e), 0);
	CU_ASSERT_EQUAL(q.mode, VS_MODE_ACCESS);
	CU_ASSERT_EQUAL(q.vlan, 7);
}

/* A refused port.set leaves the port exactly as it was, and names the argument. */
static void test_update_rejects(void)
{
	static const struct vs_test_bad_args bad[] = {
		{ "{'name': 'vm2', 'vlan': 5000}", ERANGE, "args.vlan" },
		{ "{'name': 'vm2', 'vlan': 2004, 'mtu': 10}", ERANGE, "args.mtu" },
		{ "{'name': 'vm2', 'mode': 'hybrid'}", EINVAL, "args.mode" },
		{ "{'name': 'vm2', 'socket': '/run/vsw/x.sock'}", EINVAL, "args.socket" },
		{ "{'name': 'vm2', 'queues': 2}", EINVAL, "args.queues" },
		{ "{'vlan': 2004}", EINVAL, "args.name" },
		{ "{'name': 'vm2', 'native_vlan': 5}", EINVAL, "args.native_vlan" },
		{ "{'name': 'vm2', 'mode': 'access', 'allowed': '10'}", EINVAL, "args.allowed" },
		{ "{'name': 'vm2', 'allowed': '10-'}", EINVAL, "args.allowed" },
	};
	struct vs_port_cfg p, before;
	struct vs_err e;

	vs_test_port_from(server_port, &p);
	memcpy(&before, &p, sizeof(p));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = update(&p, bad[i].json, &e);
		CU_ASSERT_EQUAL(rc, -bad[i].code);
		CU_ASSERT_STRING_EQUAL(e.field, bad[i].field);
		CU_ASSERT_EQUAL(memcmp(&p, &before, sizeof(p)), 0);
		if (rc != -bad[i].code || strcmp(e.field, bad[i].field) != 0)
			fprintf(stderr, "\n  %s\n  want %d %s, got %d %s: %s\n", bad[i].json,
				-bad[i].code, bad[i].field, rc, e.field, e.msg);
	}

	/* On a trunk: access without a VLAN, or a vlan while the allowed list stays. */
	vs_test_port_from(uplink_port, &p);
	memcpy(&before, &p, sizeof(p));
	CU_ASSERT_EQUAL(update(&p, "{'name': 'up', 'mode': 'access'}", &e), -EINVAL);
	CU_ASSERT_EQUAL(memcmp(&p, &before, sizeof(p)), 0);
	CU_ASSERT_EQUAL(update(&p, "{'name': 'up', 'allowed': '5000'}", &e), -ERANGE);
	CU_ASSERT_STRING_EQUAL(e.field, "args.allowed");
	CU_ASSERT_EQUAL(memcmp(&p, &before, sizeof(p)), 0);
}

/*
 * Regression: port.set once kept the access "vlan" when a port became a trunk, so the change
 * was always refused ("args.vlan"). A mode change now drops the other mode's settings.
 */
static void test_update_access_to_trunk(void)
{
	struct vs_port_cfg p;
	struct vs_err e;
	int rc;

	vs_test_port_from(server_port, &p);
	rc = update(&p, "{'name': 'vm2', 'mode': 'trunk', 'allowed': '2003-2005'}", &e);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_EQUAL(p.mode, VS_MODE_TRUNK);
	CU_ASSERT_EQUAL(vs_vlan_set_count(&p.allowed), 3);
	CU_ASSERT_EQUAL(p.vlan, 0);
	/* and back: the trunk's allowed list and native VLAN go */
	rc = update(&p, "{'name': 'vm2', 'mode': 'access', 'vlan': 2004}", &e);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_EQUAL(p.mode, VS_MODE_ACCESS);
	CU_ASSERT_EQUAL(p.vlan, 2004);
	CU_ASSERT_EQUAL(vs_vlan_set_count(&p.allowed), 0);
	CU_ASSERT_EQUAL(p.native_vlan, 0);
}

/* Optional keys are omitted, never null; each mode writes only its own VLAN keys. */
static void test_port_to_json(void)
{
	struct vs_port_cfg p;
	json_t *o;

	vs_test_port_from("{'name': 'vm1', 'socket': '/s', 'vlan': 10}", &p);
	o = vs_port_cfg_to_json(&p);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(o, "mode")), "access");
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(o, "vlan")), 10);
	CU_ASSERT_PTR_NULL(json_object_get(o, "allowed"));
	CU_ASSERT_PTR_NULL(json_object_get(o, "native_vlan"));
	CU_ASSERT_PTR_NULL(json_object_get(o, "devargs"));
	CU_ASSERT_PTR_NULL(json_object_get(o, "owner"));
	CU_ASSERT_PTR_NULL(json_object_get(o, "perm"));
	json_decref(o);

	vs_test_port_from(uplink_port, &p);
	o = vs_port_cfg_to_json(&p);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(o, "type")), "dpdk");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(o, "allowed")), "2003-2005");
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(o, "native_vlan")), 100);
	CU_ASSERT_PTR_NULL(json_object_get(o, "vlan"));
	CU_ASSERT_PTR_NULL(json_object_get(o, "socket"));
	CU_ASSERT_PTR_NULL(json_object_get(o, "client"));
	json_decref(o);

	vs_test_port_from(server_port, &p);
	o = vs_port_cfg_to_json(&p);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(o, "perm")), "0600");
	CU_ASSERT_TRUE(json_is_false(json_object_get(o, "client")));
	json_decref(o);
}

/* mac_limit: VM ports 1024 by default, uplinks unlimited (the network behind them), 0 = off. */
static void test_mac_limit(void)
{
	static const struct vs_test_bad_args bad[] = {
		{ "{'name': 'vm1', 'socket': '/s', 'vlan': 10, 'mac_limit': 16777217}", ERANGE,
		  "args.mac_limit" },
		{ "{'name': 'vm1', 'socket': '/s', 'vlan': 10, 'mac_limit': -1}", EINVAL,
		  "args.mac_limit" },
	};
	struct vs_port_cfg p;

	vs_test_expect_add_refused(bad, sizeof(bad) / sizeof(bad[0]));
	vs_test_port_from("{'name': 'vm1', 'socket': '/s', 'vlan': 10}", &p);
	CU_ASSERT_EQUAL(p.mac_limit, VS_MAC_LIMIT_VM_DEFAULT);
	vs_test_port_from(uplink_port, &p);
	CU_ASSERT_EQUAL(p.mac_limit, 0);
	vs_test_port_from("{'name': 'vm1', 'socket': '/s', 'vlan': 10, 'mac_limit': 0}", &p);
	CU_ASSERT_EQUAL(p.mac_limit, 0);
	json_t *o = vs_port_cfg_to_json(&p);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(o, "mac_limit")), 0);
	json_decref(o);
}

CU_ErrorCode vs_test_port_cfg_suite(void)
{
	static const struct vs_test tests[] = {
		{ "port.add args errors", test_port_add_args },
		{ "policer settings", test_police },
		{ "port.set keeps other fields", test_update_keeps_other_fields },
		{ "port.set rejects, port unchanged", test_update_rejects },
		{ "port.set access to trunk and back", test_update_access_to_trunk },
		{ "to_json omits other modes' keys", test_port_to_json },
		{ "mac_limit defaults and range", test_mac_limit },
		{ NULL, NULL },
	};
	return vs_test_add_suite("port_cfg", tests);
}
