/* SPDX-License-Identifier: BSD-3-Clause */
/* control/model/vlan_set.c: VLAN lists ("2003-2005,2010") and MAC addresses as text. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "vs_types.h"
#include "control/model/err.h"
#include "control/model/vlan_set.h"
#include "suites.h"

/* Worst case of vs_vlan_set_format: every other VLAN, up to 4 digits and a comma each. */
#define FMT_MAX (VS_VLAN_COUNT * 5)

static void test_parse_ranges(void)
{
	struct vs_vlan_set s;
	struct vs_err e;

	CU_ASSERT_EQUAL_FATAL(vs_vlan_set_parse("2003-2005,2010", &s, &e, "allowed"), 0);
	CU_ASSERT_EQUAL(vs_vlan_set_count(&s), 4);
	CU_ASSERT_FALSE(vs_vlan_set_has(&s, 2002));
	CU_ASSERT_TRUE(vs_vlan_set_has(&s, 2003));
	CU_ASSERT_TRUE(vs_vlan_set_has(&s, 2004));
	CU_ASSERT_TRUE(vs_vlan_set_has(&s, 2005));
	CU_ASSERT_FALSE(vs_vlan_set_has(&s, 2006));
	CU_ASSERT_TRUE(vs_vlan_set_has(&s, 2010));

	CU_ASSERT_EQUAL_FATAL(vs_vlan_set_parse("1-4094", &s, &e, "allowed"), 0);
	CU_ASSERT_EQUAL(vs_vlan_set_count(&s), 4094);
	CU_ASSERT_FALSE(vs_vlan_set_has(&s, 0));
	CU_ASSERT_FALSE(vs_vlan_set_has(&s, 4095));

	/* Overlaps merge; a one-VLAN range is that VLAN. */
	CU_ASSERT_EQUAL_FATAL(vs_vlan_set_parse("10-20,15-25,30-30", &s, &e, "allowed"), 0);
	CU_ASSERT_EQUAL(vs_vlan_set_count(&s), 17);
}

static void test_parse_single_and_spaces(void)
{
	struct vs_vlan_set s;
	struct vs_err e;

	CU_ASSERT_EQUAL_FATAL(vs_vlan_set_parse("7", &s, &e, "allowed"), 0);
	CU_ASSERT_EQUAL(vs_vlan_set_count(&s), 1);
	CU_ASSERT_TRUE(vs_vlan_set_has(&s, 7));

	CU_ASSERT_EQUAL_FATAL(vs_vlan_set_parse("  2003-2005 ,  2010  ", &s, &e, "allowed"), 0);
	CU_ASSERT_EQUAL(vs_vlan_set_count(&s), 4);
	CU_ASSERT_TRUE(vs_vlan_set_has(&s, 2010));
}

static void test_parse_empty(void)
{
	struct vs_vlan_set s;
	struct vs_err e;

	/* The output is replaced, not merged into. */
	memset(&s, 0xff, sizeof(s));
	CU_ASSERT_EQUAL(vs_vlan_set_parse("", &s, &e, "allowed"), 0);
	CU_ASSERT_EQUAL(vs_vlan_set_count(&s), 0);

	memset(&s, 0xff, sizeof(s));
	CU_ASSERT_EQUAL(vs_vlan_set_parse("   ", &s, &e, "allowed"), 0);
	CU_ASSERT_EQUAL(vs_vlan_set_count(&s), 0);
}

/* Parses a bad list: returns rc, checks the error names the field and out is untouched. */
static int parse_bad(const char *text)
{
	struct vs_vlan_set s, before;
	struct vs_err e;
	int rc;

	memset(&s, 0x5a, sizeof(s));
	before = s;
	memset(&e, 0, sizeof(e));
	rc = vs_vlan_set_parse(text, &s, &e, "args.allowed");
	CU_ASSERT_TRUE(rc < 0);
	CU_ASSERT_EQUAL(e.code, -rc);
	CU_ASSERT_STRING_EQUAL(e.field, "args.allowed");
	CU_ASSERT_NOT_EQUAL(e.msg[0], '\0');
	CU_ASSERT_EQUAL(memcmp(&s, &before, sizeof(s)), 0);
	return rc;
}

static void test_parse_errors(void)
{
	CU_ASSERT_EQUAL(parse_bad("2005-2003"), -EINVAL);	/* reversed */
	CU_ASSERT_EQUAL(parse_bad("0"), -ERANGE);
	CU_ASSERT_EQUAL(parse_bad("0-10"), -ERANGE);
	CU_ASSERT_EQUAL(parse_bad("4095"), -ERANGE);
	CU_ASSERT_EQUAL(parse_bad("4096"), -ERANGE);
	CU_ASSERT_EQUAL(parse_bad("4000-4096"), -ERANGE);
	CU_ASSERT_EQUAL(parse_bad("99999"), -EINVAL);	/* more than 4 digits */
	CU_ASSERT_EQUAL(parse_bad("2003,"), -EINVAL);	/* trailing comma */
	CU_ASSERT_EQUAL(parse_bad("2003, "), -EINVAL);
	CU_ASSERT_EQUAL(parse_bad(",2003"), -EINVAL);
	CU_ASSERT_EQUAL(parse_bad("2003,,2004"), -EINVAL);
	CU_ASSERT_EQUAL(parse_bad("2003-"), -EINVAL);
	CU_ASSERT_EQUAL(parse_bad("-2003"), -EINVAL);
	CU_ASSERT_EQUAL(parse_bad("2003 - 2005"), -EINVAL);
	CU_ASSERT_EQUAL(parse_bad("abc"), -EINVAL);
	CU_ASSERT_EQUAL(parse_bad("10x"), -EINVAL);
	CU_ASSERT_EQUAL(parse_bad("10;20"), -EINVAL);
	CU_ASSERT_EQUAL(parse_bad("+10"), -EINVAL);
	CU_ASSERT_EQUAL(parse_bad("1 2"), -EINVAL);
}

/* Parses text, formats it and checks the canonical form. */
static void round_trip(const char *text, const char *canonical, unsigned int count)
{
	static char buf[FMT_MAX];
	struct vs_vlan_set s, again;
	struct vs_err e;

	CU_ASSERT_EQUAL_FATAL(vs_vlan_set_parse(text, &s, &e, "allowed"), 0);
	CU_ASSERT_EQUAL(vs_vlan_set_count(&s), count);
	vs_vlan_set_format(&s, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, canonical);
	CU_ASSERT_EQUAL_FATAL(vs_vlan_set_parse(buf, &again, &e, "allowed"), 0);
	CU_ASSERT_EQUAL(memcmp(&s, &again, sizeof(s)), 0);
}

static void test_format_round_trip(void)
{
	round_trip("", "", 0);
	round_trip("2003-2005,2010", "2003-2005,2010", 4);
	round_trip(" 2010, 2005,2003-2004 ", "2003-2005,2010", 4);
	round_trip("5,6,7,9", "5-7,9", 4);
	round_trip("1,4094", "1,4094", 2);
	round_trip("1-4094", "1-4094", 4094);
	round_trip("63-65,127-128", "63-65,127-128", 5);	/* across bitmap words */
}

static void test_format_worst_case(void)
{
	static char text[FMT_MAX], buf[FMT_MAX];
	struct vs_vlan_set s;
	size_t used = 0;

	/* Every odd VLAN: the longest canonical form, no ranges. */
	memset(&s, 0, sizeof(s));
	for (unsigned int v = 1; v <= VS_VLAN_MAX; v += 2) {
		vs_vlan_set_add(&s, (uint16_t)v);
		used += (size_t)snprintf(text + used, sizeof(text) - used, "%s%u",
					 used ? "," : "", v);
	}
	vs_vlan_set_format(&s, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, text);
	CU_ASSERT_EQUAL(vs_vlan_set_count(&s), 2047);
}

static void test_count(void)
{
	struct vs_vlan_set s;

	memset(&s, 0, sizeof(s));
	CU_ASSERT_EQUAL(vs_vlan_set_count(&s), 0);
	vs_vlan_set_add(&s, 1);
	vs_vlan_set_add(&s, 1);
	vs_vlan_set_add(&s, 64);
	vs_vlan_set_add(&s, 4094);
	CU_ASSERT_EQUAL(vs_vlan_set_count(&s), 3);
}

static void test_mac_parse(void)
{
	uint8_t mac[6];
	static const uint8_t want[6] = { 0x02, 0x00, 0x5e, 0xab, 0xcd, 0xef };

	CU_ASSERT_EQUAL_FATAL(vs_mac_parse("02:00:5e:ab:cd:ef", mac), 0);
	CU_ASSERT_EQUAL(memcmp(mac, want, 6), 0);
	CU_ASSERT_EQUAL_FATAL(vs_mac_parse("02:00:5E:AB:CD:EF", mac), 0);
	CU_ASSERT_EQUAL(memcmp(mac, want, 6), 0);
}

static void test_mac_parse_errors(void)
{
	static const char *const bad[] = {
		"",
		"02:00:00:00:00",	/* five bytes */
		"02:00:00:00:00:0",	/* short last byte */
		"02:00:00:00:00:001",
		"02:00:00:00:00:01:",
		"0g:00:00:00:00:01",
		"02:00:00:00:00:0g",
		"02-00-00-00-00-01",
		"2:0:0:0:0:1:00:00",	/* 17 characters, wrong shape */
		" 2:00:00:00:00:01",
		"02:00:00:00:00: 1",
		"02:00:00:00:00:1 ",
		"+2:00:00:00:00:01",
		"0x:00:00:00:00:01",
		"0200.0000.0001.00",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint8_t mac[6];
		int rc = vs_mac_parse(bad[i], mac);
		CU_ASSERT_EQUAL(rc, -EINVAL);
		if (rc != -EINVAL)
			fprintf(stderr, "\n  vs_mac_parse(\"%s\") accepted\n", bad[i]);
	}
}

static void test_mac_format(void)
{
	static const uint8_t mac[6] = { 0x02, 0x00, 0x5e, 0xab, 0xcd, 0xef };
	char buf[18];
	uint8_t back[6];

	memset(buf, 'x', sizeof(buf));
	vs_mac_format(mac, buf);
	CU_ASSERT_STRING_EQUAL(buf, "02:00:5e:ab:cd:ef");
	CU_ASSERT_EQUAL_FATAL(vs_mac_parse(buf, back), 0);
	CU_ASSERT_EQUAL(memcmp(mac, back, 6), 0);
}

CU_ErrorCode vs_test_vlan_set_suite(void)
{
	static const struct vs_test tests[] = {
		{ "parse ranges", test_parse_ranges },
		{ "parse single and spaces", test_parse_single_and_spaces },
		{ "parse empty string is the empty set", test_parse_empty },
		{ "parse errors", test_parse_errors },
		{ "format round trip", test_format_round_trip },
		{ "format worst case", test_format_worst_case },
		{ "count", test_count },
		{ "mac parse", test_mac_parse },
		{ "mac parse errors", test_mac_parse_errors },
		{ "mac format", test_mac_format },
		{ NULL, NULL },
	};
	return vs_test_add_suite("vlan_set", tests);
}
