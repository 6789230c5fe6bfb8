/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * QoS: the qos_* port arguments (control/model/qos_cfg.c: refusals naming the field, default code
 * point lists, the JSON form) and classification (dataplane/qos/classify.h) of real frame bytes.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "vs_types.h"
#include "control/model/err.h"
#include "control/model/port_cfg.h"
#include "control/model/qos_cfg.h"
#include "dataplane/qos/classify.h"
#include "dataplane/worker/frame.h"
#include "suites.h"

static void test_qos_refused(void)
{
	static const struct {
		const char *args;	/* added to a valid access port's port.add args */
		int code;
		const char *field;
	} bad[] = {
		{ "'qos_rate': 999999", ERANGE, "args.qos_rate" },
		{ "'qos_rate': 100000000001", ERANGE, "args.qos_rate" },
		{ "'qos_rate': 10000000, 'qos_queue': 100", EINVAL, "args.qos_queue" },
		{ "'qos_rate': 10000000, 'qos_queue': 4", EINVAL, "args.qos_queue" },
		{ "'qos_rate': 10000000, 'qos_queue': 2048", ERANGE, "args.qos_queue" },
		{ "'qos_queue': 64", EINVAL, "args.qos_queue" },
		{ "'qos_trust': 'tos'", EINVAL, "args.qos_trust" },
		{ "'qos_default': 'gold'", EINVAL, "args.qos_default" },
		{ "'qos_critical': '46'", EINVAL, "args.qos_critical" },
		{ "'qos_trust': 'pcp', 'qos_critical': '6-8'", ERANGE, "args.qos_critical" },
		{ "'qos_trust': 'pcp', 'qos_scavenger': '9'", ERANGE, "args.qos_scavenger" },
		{ "'qos_trust': 'dscp', 'qos_critical': '64'", ERANGE, "args.qos_critical" },
		{ "'qos_trust': 'dscp', 'qos_critical': '46,'", EINVAL, "args.qos_critical" },
		{ "'qos_trust': 'dscp', 'qos_critical': '7-5'", EINVAL, "args.qos_critical" },
		{ "'qos_trust': 'dscp', 'qos_critical': 'ef'", EINVAL, "args.qos_critical" },
		{ "'qos_trust': 'dscp', 'qos_critical': '-1'", EINVAL, "args.qos_critical" },
		{ "'qos_trust': 'dscp', 'qos_scavenger': '46'", EINVAL, "args.qos_scavenger" },
		{ "'qos_trust': 'pcp', 'qos_critical': '1-3'", EINVAL, "args.qos_critical" },
	};
	char text[512];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "{'name': 'vm1', 'socket': '/s', 'vlan': 10, %s}",
			 bad[i].args);
		struct vs_test_bad_args one = { text, bad[i].code, bad[i].field };
		vs_test_expect_add_refused(&one, 1);
	}
}

static void test_qos_maps(void)
{
	struct vs_port_cfg p;
	struct vs_err e;
	uint8_t map[64];
	char buf[256];

	/* no trust: everything best-effort by default, and the default is configurable */
	vs_test_port_from("{'name': 'vm1', 'socket': '/s', 'vlan': 10}", &p);
	CU_ASSERT_EQUAL(p.qos.def, VS_QOS_BEST_EFFORT);
	CU_ASSERT_EQUAL(p.qos.rate_bps, 0);
	/* PCP defaults: 5-7 critical, 1 scavenger */
	vs_test_port_from("{'name': 'vm1', 'socket': '/s', 'vlan': 10, "
					"'qos_trust': 'pcp', 'qos_default': 'scavenger'}", &p);
	vs_qos_class_map(&p.qos, map);
	CU_ASSERT_EQUAL(map[0], VS_QOS_BEST_EFFORT);
	CU_ASSERT_EQUAL(map[1], VS_QOS_SCAVENGER);
	CU_ASSERT_EQUAL(map[4], VS_QOS_BEST_EFFORT);
	CU_ASSERT_EQUAL(map[5], VS_QOS_CRITICAL);
	CU_ASSERT_EQUAL(map[7], VS_QOS_CRITICAL);
	CU_ASSERT_EQUAL(p.qos.def, VS_QOS_SCAVENGER);
	/* DSCP defaults: CS5, EF, CS6, CS7 critical; LE, CS1 scavenger */
	vs_test_port_from("{'name': 'vm1', 'socket': '/s', 'vlan': 10, "
					"'qos_trust': 'dscp'}", &p);
	vs_qos_class_map(&p.qos, map);
	for (unsigned int v = 0; v < 64; v++) {
		uint8_t want = (v == 40 || v == 46 || v == 48 || v == 56) ? VS_QOS_CRITICAL :
			       (v == 1 || v == 8) ? VS_QOS_SCAVENGER : VS_QOS_BEST_EFFORT;
		CU_ASSERT_EQUAL(map[v], want);
	}
	/* explicit lists replace the defaults, and come back in canonical form */
	vs_test_port_from("{'name': 'vm1', 'socket': '/s', 'vlan': 10, "
					"'qos_trust': 'dscp', 'qos_critical': '48,46,24-26,47',"
					" 'qos_scavenger': '8', 'qos_rate': 25000000,"
					" 'qos_queue': 256}", &p);
	vs_qos_class_map(&p.qos, map);
	CU_ASSERT_EQUAL(map[25], VS_QOS_CRITICAL);
	CU_ASSERT_EQUAL(map[40], VS_QOS_BEST_EFFORT);
	CU_ASSERT_EQUAL(map[1], VS_QOS_BEST_EFFORT);
	CU_ASSERT_EQUAL(vs_qos_queue_len(&p.qos), 256);
	json_t *o = vs_port_cfg_to_json(&p);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(o, "qos_critical")), "24-26,46-48");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(o, "qos_scavenger")), "8");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(o, "qos_trust")), "dscp");
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(o, "qos_rate")), 25000000);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(o, "qos_queue")), 256);
	CU_ASSERT_PTR_NULL(json_object_get(o, "qos_default"));
	/* the JSON form reads back as the same settings */
	struct vs_port_cfg back;
	CU_ASSERT_EQUAL(vs_port_cfg_from_json(o, "args", &back, &e), 0);
	CU_ASSERT_EQUAL(memcmp(&back.qos, &p.qos, sizeof(p.qos)), 0);
	json_decref(o);
	/* "" goes back to the default list */
	json_t *set = vs_test_json("{'name': 'vm1', 'qos_critical': ''}");
	CU_ASSERT_EQUAL(vs_port_cfg_update(set, "args", &p, &e), 0);
	json_decref(set);
	CU_ASSERT_FALSE(p.qos.critical_given);
	vs_points_format(vs_qos_points(&p.qos, VS_QOS_CRITICAL), buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "40,46,48,56");
	/* switching trust with lists out of the new range is refused, the port unchanged */
	struct vs_port_cfg before = p;
	set = vs_test_json("{'name': 'vm1', 'qos_trust': 'pcp'}");
	CU_ASSERT_EQUAL(vs_port_cfg_update(set, "args", &p, &e), -ERANGE);
	json_decref(set);
	CU_ASSERT_STRING_EQUAL(e.field, "args.qos_scavenger");
	CU_ASSERT_EQUAL(memcmp(&before, &p, sizeof(p)), 0);
}

/* An IPv4 or IPv6 frame, optionally tagged, with the given DSCP (and PCP in the tag). */
static uint32_t ip_frame(uint8_t *f, bool v6, int tag_pcp, uint8_t dscp)
{
	uint32_t l3 = 14;
	memset(f, 0, 128);
	f[0] = 2, f[5] = 2, f[6] = 2, f[11] = 1;
	if (tag_pcp >= 0) {
		f[12] = 0x81, f[13] = 0x00;
		f[14] = (uint8_t)(tag_pcp << 5), f[15] = 10;
		l3 = 18;
	}
	f[l3 - 2] = v6 ? 0x86 : 0x08;
	f[l3 - 1] = v6 ? 0xdd : 0x00;
	if (v6) {
		f[l3] = (uint8_t)(0x60 | (dscp >> 2));
		f[l3 + 1] = (uint8_t)((dscp & 3) << 6 | 0x05);	/* ECN/flow label bits around it */
	} else {
		f[l3] = 0x45;
		f[l3 + 1] = (uint8_t)(dscp << 2 | 1);	/* ECN ECT(1) must not matter */
	}
	return 128;
}

/* What the VLAN demux does: parse the frame, then classify it. */
static uint8_t classify(const struct vs_dp_classify *c, const uint8_t *f, uint32_t len,
			int nic_pcp)
{
	struct vs_frame_info fi;

	if (vs_frame_parse(f, len, false, &fi) != VS_FRAME_OK) {
		CU_FAIL("runt: the demux drops it before classifying");
		return VS_QOS_CLASSES;
	}
	return vs_qos_classify(c, f, len, &fi, nic_pcp);
}

static void test_classify(void)
{
	struct vs_port_cfg p;
	struct vs_dp_classify c;
	uint8_t f[128];
	uint32_t len;

	vs_test_port_from("{'name': 'vm1', 'socket': '/s', 'vlan': 10, "
					"'qos_trust': 'dscp', 'qos_default': 'critical'}", &p);
	c.trust = p.qos.trust, c.def = p.qos.def;
	vs_qos_class_map(&p.qos, c.map);
	len = ip_frame(f, false, -1, 46);
	CU_ASSERT_EQUAL(classify(&c, f, len, -1), VS_QOS_CRITICAL);
	len = ip_frame(f, false, -1, 0);
	CU_ASSERT_EQUAL(classify(&c, f, len, -1), VS_QOS_BEST_EFFORT);
	len = ip_frame(f, false, 3, 8);	/* tagged IPv4: DSCP after the tag */
	CU_ASSERT_EQUAL(classify(&c, f, len, -1), VS_QOS_SCAVENGER);
	len = ip_frame(f, true, -1, 46);	/* IPv6 traffic class spans two bytes */
	CU_ASSERT_EQUAL(classify(&c, f, len, -1), VS_QOS_CRITICAL);
	len = ip_frame(f, true, 7, 1);
	CU_ASSERT_EQUAL(classify(&c, f, len, -1), VS_QOS_SCAVENGER);
	f[16] = 0x08, f[17] = 0x06;	/* ARP: no DSCP, the port default */
	CU_ASSERT_EQUAL(classify(&c, f, len, -1), VS_QOS_CRITICAL);
	len = ip_frame(f, false, -1, 46);
	CU_ASSERT_EQUAL(classify(&c, f, 15, -1), VS_QOS_CRITICAL);	/* truncated: default */
	f[14] = 0x65;	/* says IPv4 ethertype, version 6: not trusted */
	CU_ASSERT_EQUAL(classify(&c, f, len, -1), VS_QOS_CRITICAL);

	vs_test_port_from("{'name': 'vm1', 'socket': '/s', 'vlan': 10, "
					"'qos_trust': 'pcp'}", &p);
	c.trust = p.qos.trust, c.def = p.qos.def;
	vs_qos_class_map(&p.qos, c.map);
	len = ip_frame(f, false, 6, 0);
	CU_ASSERT_EQUAL(classify(&c, f, len, -1), VS_QOS_CRITICAL);
	len = ip_frame(f, false, 1, 46);	/* PCP trusted, DSCP ignored */
	CU_ASSERT_EQUAL(classify(&c, f, len, -1), VS_QOS_SCAVENGER);
	len = ip_frame(f, false, -1, 46);	/* untagged: the default ... */
	CU_ASSERT_EQUAL(classify(&c, f, len, -1), VS_QOS_BEST_EFFORT);
	CU_ASSERT_EQUAL(classify(&c, f, len, 5), VS_QOS_CRITICAL);	/* ... or NIC's tag */

	c.trust = VS_TRUST_NONE;
	len = ip_frame(f, false, 7, 46);
	CU_ASSERT_EQUAL(classify(&c, f, len, 7), VS_QOS_BEST_EFFORT);
}

CU_ErrorCode vs_test_qos_suite(void)
{
	static const struct vs_test tests[] = {
		{ "qos settings refused", test_qos_refused },
		{ "qos code point lists", test_qos_maps },
		{ "classification by PCP and DSCP", test_classify },
		{ NULL, NULL },
	};
	return vs_test_add_suite("qos", tests);
}
