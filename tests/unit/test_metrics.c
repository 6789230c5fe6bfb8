/* SPDX-License-Identifier: BSD-3-Clause */
/* control/metrics/expo.c (the exposition writer) and listen.c (metrics.listen). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "control/metrics/expo.h"
#include "control/metrics/listen.h"
#include "control/model/err.h"
#include "suites.h"

static char *page(struct vs_expo *x)
{
	size_t len = 0;
	const char *p = vs_expo_finish(x, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(strlen(p), len);
	return strdup(p);
}

static void test_text_format(void)
{
	struct vs_expo *x = vs_expo_new(false);
	struct vs_mlabel l[] = { { "port", "vm1" }, { "reason", "runt" } };
	vs_expo_family(x, VS_COUNTER, "vsw_port_drops", "frames dropped");
	vs_expo_sample_u64(x, l, 2, 18446744073709551615ull);
	vs_expo_family(x, VS_GAUGE, "vsw_up", "a gauge");
	vs_expo_sample(x, NULL, 0, 0.25);
	vs_expo_sample(x, NULL, 0, 3);
	char *p = page(x);
	CU_ASSERT_STRING_EQUAL(p, "# HELP vsw_port_drops_total frames dropped\n"
				  "# TYPE vsw_port_drops_total counter\n"
				  "vsw_port_drops_total{port=\"vm1\",reason=\"runt\"} "
				  "18446744073709551615\n"
				  "# HELP vsw_up a gauge\n"
				  "# TYPE vsw_up gauge\n"
				  "vsw_up 0.25\n"
				  "vsw_up 3\n");
	CU_ASSERT_PTR_NOT_NULL(strstr(vs_expo_content_type(x), "version=0.0.4"));
	free(p);
	vs_expo_free(x);
}

static void test_openmetrics_format(void)
{
	struct vs_expo *x = vs_expo_new(true);
	vs_expo_family(x, VS_COUNTER, "vsw_scrapes", "say \"hi\"");
	vs_expo_sample_u64(x, NULL, 0, 7);
	char *p = page(x);
	/* the family is named without _total, its sample with; the page ends with # EOF */
	CU_ASSERT_STRING_EQUAL(p, "# HELP vsw_scrapes say \\\"hi\\\"\n"
				  "# TYPE vsw_scrapes counter\n"
				  "vsw_scrapes_total 7\n"
				  "# EOF\n");
	CU_ASSERT_PTR_NOT_NULL(strstr(vs_expo_content_type(x), "openmetrics-text"));
	free(p);
	vs_expo_free(x);
	CU_ASSERT_TRUE(vs_expo_wants_openmetrics(
		"application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5"));
	CU_ASSERT_FALSE(vs_expo_wants_openmetrics("text/plain"));
	CU_ASSERT_FALSE(vs_expo_wants_openmetrics(NULL));
}

static void test_label_escaping(void)
{
	struct vs_expo *x = vs_expo_new(false);
	struct vs_mlabel l = { "port", "a\"b\\c\nd" };
	vs_expo_family(x, VS_GAUGE, "vsw_g", "help with \\ and\nnewline");
	vs_expo_sample(x, &l, 1, 1);
	char *p = page(x);
	CU_ASSERT_STRING_EQUAL(p, "# HELP vsw_g help with \\\\ and\\nnewline\n"
				  "# TYPE vsw_g gauge\n"
				  "vsw_g{port=\"a\\\"b\\\\c\\nd\"} 1\n");
	free(p);
	vs_expo_free(x);
}

static void test_listen_parse(void)
{
	struct vs_listen l;
	struct vs_err e;

	CU_ASSERT_EQUAL(vs_listen_parse("", &l, "metrics.listen", &e), 0);
	CU_ASSERT_EQUAL(l.kind, VS_LISTEN_OFF);
	CU_ASSERT_EQUAL_FATAL(vs_listen_parse("127.0.0.1:9469", &l, "metrics.listen", &e), 0);
	CU_ASSERT_EQUAL(l.kind, VS_LISTEN_TCP);
	CU_ASSERT_STRING_EQUAL(l.host, "127.0.0.1");
	CU_ASSERT_EQUAL(l.port, 9469);
	CU_ASSERT_EQUAL_FATAL(vs_listen_parse("[::1]:80", &l, "metrics.listen", &e), 0);
	CU_ASSERT_STRING_EQUAL(l.host, "::1");
	CU_ASSERT_EQUAL(l.port, 80);
	CU_ASSERT_EQUAL_FATAL(vs_listen_parse("unix:/run/vsw/metrics.sock", &l, "m", &e), 0);
	CU_ASSERT_EQUAL(l.kind, VS_LISTEN_UNIX);
	CU_ASSERT_STRING_EQUAL(l.path, "/run/vsw/metrics.sock");

	static const char *const bad[] = {
		"9469", ":9469", "localhost:9469", "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:",
		"127.0.0.1:12a", "::1:80", "[::1]80", "[127.0.0.1]:80", "[]:80", "unix:rel.sock",
		"unix:", "1.2.3.4.5:80", "127.0.0.1:-1", "127.0.0.1: 80",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&e, 0, sizeof(e));
		CU_ASSERT_TRUE(vs_listen_parse(bad[i], &l, "metrics.listen", &e) < 0);
		CU_ASSERT_STRING_EQUAL(e.field, "metrics.listen");
		CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, bad[i]));
	}
	char longp[200] = "unix:/";
	memset(longp + 6, 'a', 150);
	CU_ASSERT_EQUAL(vs_listen_parse(longp, &l, "metrics.listen", &e), -ENAMETOOLONG);
}

CU_ErrorCode vs_test_metrics_suite(void)
{
	static const struct vs_test tests[] = {
		{ "text format", test_text_format },
		{ "openmetrics format", test_openmetrics_format },
		{ "label escaping", test_label_escaping },
		{ "listen parse", test_listen_parse },
		{ NULL, NULL },
	};
	return vs_test_add_suite("metrics", tests);
}
