/* SPDX-License-Identifier: BSD-3-Clause */
/* The unit test suites, which main.c registers, and the helpers main.c gives them. */
#ifndef VS_TEST_SUITES_H
#define VS_TEST_SUITES_H

#include <CUnit/CUnit.h>
#include <jansson.h>

#include "control/model/port_cfg.h"

/* Each adds one suite to the registry; returns a CUnit error code. */
CU_ErrorCode vs_test_frame_suite(void);
CU_ErrorCode vs_test_vlan_set_suite(void);
CU_ErrorCode vs_test_config_suite(void);
CU_ErrorCode vs_test_port_cfg_suite(void);
CU_ErrorCode vs_test_commands_suite(void);
CU_ErrorCode vs_test_qos_suite(void);
CU_ErrorCode vs_test_policy_suite(void);
CU_ErrorCode vs_test_allow_suite(void);
CU_ErrorCode vs_test_cni_suite(void);
CU_ErrorCode vs_test_agent_suite(void);
CU_ErrorCode vs_test_metrics_suite(void);

struct vs_test {
	const char *name;
	CU_TestFunc fn;
};

/* Adds a suite named name with the tests, up to a { NULL, NULL } row. */
CU_ErrorCode vs_test_add_suite(const char *name, const struct vs_test *tests);

/*
 * Parses JSON written with single quotes ("{'vlan': 10}" reads as {"vlan": 10}) so that
 * test data stays readable. Fails the test when the text is not JSON. Caller decrefs.
 */
json_t *vs_test_json(const char *text);

struct vs_port_cfg;

/* A port decoded from port.add args (prefix "args"); fails the test if they are refused. */
void vs_test_port_from(const char *text, struct vs_port_cfg *p);

struct vs_test_bad_args {
	const char *json;
	int code;	/* positive errno */
	const char *field;
};

/* Each of n port.add args refused with its errno and field. */
void vs_test_expect_add_refused(const struct vs_test_bad_args *bad, size_t n);

#endif
