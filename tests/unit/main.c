/* SPDX-License-Identifier: BSD-3-Clause */
/* Runs every unit test suite; exits non-zero if any assertion failed. Shared test helpers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <jansson.h>

#include "control/model/args.h"
#include "control/model/err.h"
#include "control/model/port_cfg.h"
#include "suites.h"

CU_ErrorCode vs_test_add_suite(const char *name, const struct vs_test *tests)
{
	CU_pSuite s = CU_add_suite(name, NULL, NULL);
	if (s == NULL)
		return CU_get_error();
	for (const struct vs_test *t = tests; t->name != NULL; t++)
		if (CU_add_test(s, t->name, t->fn) == NULL)
			return CU_get_error();
	return CUE_SUCCESS;
}

json_t *vs_test_json(const char *text)
{
	char *s = strdup(text);
	json_error_t err;
	json_t *j;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	for (char *p = s; *p != '\0'; p++)
		if (*p == '\'')
			*p = '"';
	j = json_loads(s, 0, &err);
	if (j == NULL)
		fprintf(stderr, "\n  bad test JSON (%s): %s\n", err.text, s);
	free(s);
	CU_ASSERT_PTR_NOT_NULL_FATAL(j);
	return j;
}

void vs_test_port_from(const char *text, struct vs_port_cfg *p)
{
	json_t *o = vs_test_json(text);
	struct vs_err e;
	int rc = vs_request_check("port.add", o, "args", &e);
	if (rc == 0)
		rc = vs_port_cfg_from_json(o, "args", p, &e);

	json_decref(o);
	if (rc != 0)
		fprintf(stderr, "\n  %s: %s %s\n", text, e.field, e.msg);
	CU_ASSERT_EQUAL_FATAL(rc, 0);
}

void vs_test_expect_add_refused(const struct vs_test_bad_args *bad, size_t n)
{
	struct vs_port_cfg p;

	for (size_t i = 0; i < n; i++) {
		json_t *o = vs_test_json(bad[i].json);
		struct vs_err e = { 0 };
		int rc = vs_request_check("port.add", o, "args", &e);
		if (rc == 0)
			rc = vs_port_cfg_from_json(o, "args", &p, &e);

		json_decref(o);
		if (rc != -bad[i].code || strcmp(e.field, bad[i].field) != 0)
			fprintf(stderr, "\n  %s: got %d %s (%s)\n", bad[i].json, rc, e.field, e.msg);
		CU_ASSERT_EQUAL(rc, -bad[i].code);
		CU_ASSERT_STRING_EQUAL(e.field, bad[i].field);
	}
}

int main(void)
{
	CU_ErrorCode (*const suites[])(void) = {
		vs_test_frame_suite,
		vs_test_cni_suite,
		vs_test_agent_suite,
		vs_test_metrics_suite,
		vs_test_vlan_set_suite,
		vs_test_config_suite,
		vs_test_port_cfg_suite,
		vs_test_commands_suite,
		vs_test_qos_suite,
		vs_test_policy_suite,
		vs_test_allow_suite,
	};
	unsigned int failures;

	if (CU_initialize_registry() != CUE_SUCCESS) {
		fprintf(stderr, "unit_tests: %s\n", CU_get_error_msg());
		return EXIT_FAILURE;
	}
	for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++) {
		if (suites[i]() != CUE_SUCCESS) {
			fprintf(stderr, "unit_tests: %s\n", CU_get_error_msg());
			CU_cleanup_registry();
			return EXIT_FAILURE;
		}
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	if (CU_basic_run_tests() != CUE_SUCCESS) {
		fprintf(stderr, "unit_tests: %s\n", CU_get_error_msg());
		CU_cleanup_registry();
		return EXIT_FAILURE;
	}
	failures = CU_get_number_of_failures();
	CU_cleanup_registry();
	return failures == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
