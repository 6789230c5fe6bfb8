/* SPDX-License-Identifier: BSD-3-Clause */
/* dataplane/frame.h: Ethernet/802.1Q parsing and a port's ingress/egress VLAN rules. */
#include <string.h>

#include <CUnit/CUnit.h>

#include "frame.h"
#include "suites.h"

/* A 64-byte frame from 02:00:00:00:00:01 to 02:00:00:00:00:02 with ethertype et at offset 12. */
static void frame_init(uint8_t *f, uint16_t et)
{
	static const uint8_t macs[12] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1 };
	memset(f, 0xab, 64);
	memcpy(f, macs, sizeof(macs));
	f[12] = (uint8_t)(et >> 8);
	f[13] = (uint8_t)et;
}

/* Adds an 802.1Q tag with the given TCI and inner ethertype. */
static void frame_tag(uint8_t *f, uint16_t tci, uint16_t inner)
{
	frame_init(f, VS_ETHERTYPE_VLAN);
	f[14] = (uint8_t)(tci >> 8);
	f[15] = (uint8_t)tci;
	f[16] = (uint8_t)(inner >> 8);
	f[17] = (uint8_t)inner;
}

/* fi filled with garbage, to see that parse sets every field. */
static struct vs_frame_info dirty_info(void)
{
	struct vs_frame_info fi;
	memset(&fi, 0xff, sizeof(fi));
	return fi;
}

static void test_parse_untagged(void)
{
	uint8_t f[64];
	struct vs_frame_info fi = dirty_info();

	frame_init(f, 0x0800);
	CU_ASSERT_TRUE(vs_frame_parse(f, 64, &fi));
	CU_ASSERT_FALSE(fi.tagged);
	CU_ASSERT_EQUAL(fi.vid, 0);
	CU_ASSERT_EQUAL(fi.ethertype, 0x0800);

	/* A bare 14-byte header is the shortest frame accepted. */
	fi = dirty_info();
	CU_ASSERT_TRUE(vs_frame_parse(f, VS_ETH_HLEN, &fi));
	CU_ASSERT_FALSE(fi.tagged);
	CU_ASSERT_EQUAL(fi.ethertype, 0x0800);
}

static void test_parse_tagged(void)
{
	uint8_t f[64];
	struct vs_frame_info fi = dirty_info();

	/* PCP 7, DEI 1, VID 2003: only the low 12 bits are the VLAN id. */
	frame_tag(f, (uint16_t)(7 << 13 | 1 << 12 | 2003), 0x86dd);
	CU_ASSERT_TRUE(vs_frame_parse(f, 64, &fi));
	CU_ASSERT_TRUE(fi.tagged);
	CU_ASSERT_EQUAL(fi.vid, 2003);
	CU_ASSERT_EQUAL(fi.ethertype, 0x86dd);

	fi = dirty_info();
	frame_tag(f, 4094, 0x0806);
	CU_ASSERT_TRUE(vs_frame_parse(f, VS_ETH_HLEN + VS_VLAN_HLEN, &fi));
	CU_ASSERT_TRUE(fi.tagged);
	CU_ASSERT_EQUAL(fi.vid, 4094);
	CU_ASSERT_EQUAL(fi.ethertype, 0x0806);

	/* Priority tag: tagged, VID 0 (classification treats it as untagged). */
	fi = dirty_info();
	frame_tag(f, 5 << 13, 0x0800);
	CU_ASSERT_TRUE(vs_frame_parse(f, 64, &fi));
	CU_ASSERT_TRUE(fi.tagged);
	CU_ASSERT_EQUAL(fi.vid, 0);
}

static void test_parse_runts(void)
{
	uint8_t f[64];
	struct vs_frame_info fi;

	frame_init(f, 0x0800);
	CU_ASSERT_FALSE(vs_frame_parse(f, VS_ETH_HLEN - 1, &fi));
	CU_ASSERT_FALSE(vs_frame_parse(f, 0, &fi));

	/* A tag needs 18 bytes: 14..17 are runts. */
	frame_tag(f, 100, 0x0800);
	for (uint32_t len = VS_ETH_HLEN; len < VS_ETH_HLEN + VS_VLAN_HLEN; len++)
		CU_ASSERT_FALSE(vs_frame_parse(f, len, &fi));
	CU_ASSERT_TRUE(vs_frame_parse(f, VS_ETH_HLEN + VS_VLAN_HLEN, &fi));
}

static void test_parse_qinq_left_as_is(void)
{
	uint8_t f[64];
	struct vs_frame_info fi = dirty_info();

	/* An 802.1ad outer tag is not parsed: the frame is untagged with ethertype 0x88a8. */
	frame_init(f, VS_ETHERTYPE_QINQ);
	f[14] = 0x00;
	f[15] = 0x64;
	CU_ASSERT_TRUE(vs_frame_parse(f, 64, &fi));
	CU_ASSERT_FALSE(fi.tagged);
	CU_ASSERT_EQUAL(fi.vid, 0);
	CU_ASSERT_EQUAL(fi.ethertype, VS_ETHERTYPE_QINQ);

	/* Two 802.1Q tags: only the outer one is read, the inner ethertype is the second tag. */
	fi = dirty_info();
	frame_tag(f, 10, VS_ETHERTYPE_VLAN);
	CU_ASSERT_TRUE(vs_frame_parse(f, 64, &fi));
	CU_ASSERT_TRUE(fi.tagged);
	CU_ASSERT_EQUAL(fi.vid, 10);
	CU_ASSERT_EQUAL(fi.ethertype, VS_ETHERTYPE_VLAN);
}

static void test_mac_is_multicast(void)
{
	static const uint8_t ucast[6] = { 0x02, 0, 0, 0, 0, 1 };
	static const uint8_t mcast[6] = { 0x01, 0x00, 0x5e, 0, 0, 1 };
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	CU_ASSERT_FALSE(vs_mac_is_multicast(ucast));
	CU_ASSERT_TRUE(vs_mac_is_multicast(mcast));
	CU_ASSERT_TRUE(vs_mac_is_multicast(bcast));
}

static struct vs_port_vlan access_port(uint16_t vid)
{
	struct vs_port_vlan pv;
	memset(&pv, 0, sizeof(pv));
	pv.mode = VS_MODE_ACCESS;
	pv.access_vid = vid;
	vs_vlan_set_add(&pv.allowed, vid);
	return pv;
}

/* A trunk allowing lo..hi, plus the native VLAN (0 = none) as a member. */
static struct vs_port_vlan trunk_port(uint16_t lo, uint16_t hi, uint16_t native)
{
	struct vs_port_vlan pv;
	memset(&pv, 0, sizeof(pv));
	pv.mode = VS_MODE_TRUNK;
	pv.native_vid = native;
	for (uint16_t v = lo; v <= hi; v++)
		vs_vlan_set_add(&pv.allowed, v);
	if (native != 0)
		vs_vlan_set_add(&pv.allowed, native);
	return pv;
}

static void test_classify_access(void)
{
	struct vs_port_vlan pv = access_port(2003);

	CU_ASSERT_EQUAL(vs_vlan_classify(&pv, false, 0), 2003);
	/* Any tag on an access port is dropped, even its own VLAN. */
	CU_ASSERT_EQUAL(vs_vlan_classify(&pv, true, 2003), VS_CLASSIFY_TAGGED_ON_ACCESS);
	CU_ASSERT_EQUAL(vs_vlan_classify(&pv, true, 2004), VS_CLASSIFY_TAGGED_ON_ACCESS);
	CU_ASSERT_EQUAL(vs_vlan_classify(&pv, true, 4095), VS_CLASSIFY_TAGGED_ON_ACCESS);
	/* A priority tag is untagged. */
	CU_ASSERT_EQUAL(vs_vlan_classify(&pv, true, 0), 2003);
}

static void test_classify_trunk(void)
{
	struct vs_port_vlan pv = trunk_port(2003, 2005, 0);

	CU_ASSERT_EQUAL(vs_vlan_classify(&pv, true, 2003), 2003);
	CU_ASSERT_EQUAL(vs_vlan_classify(&pv, true, 2005), 2005);
	CU_ASSERT_EQUAL(vs_vlan_classify(&pv, true, 2002), VS_CLASSIFY_NOT_ALLOWED);
	CU_ASSERT_EQUAL(vs_vlan_classify(&pv, true, 2006), VS_CLASSIFY_NOT_ALLOWED);
	CU_ASSERT_EQUAL(vs_vlan_classify(&pv, true, 1), VS_CLASSIFY_NOT_ALLOWED);
}

static void test_classify_trunk_untagged(void)
{
	struct vs_port_vlan none = trunk_port(2003, 2005, 0);
	struct vs_port_vlan native = trunk_port(2003, 2005, 100);

	CU_ASSERT_EQUAL(vs_vlan_classify(&none, false, 0), VS_CLASSIFY_UNTAGGED_NO_NATIVE);
	CU_ASSERT_EQUAL(vs_vlan_classify(&native, false, 0), 100);
	/* A priority tag is untagged: the native VLAN, or dropped without one. */
	CU_ASSERT_EQUAL(vs_vlan_classify(&none, true, 0), VS_CLASSIFY_UNTAGGED_NO_NATIVE);
	CU_ASSERT_EQUAL(vs_vlan_classify(&native, true, 0), 100);
	/* The native VLAN is also accepted tagged (it is a member). */
	CU_ASSERT_EQUAL(vs_vlan_classify(&native, true, 100), 100);
}

static void test_classify_vid_4095(void)
{
	struct vs_port_vlan pv = trunk_port(4000, 4094, 0);

	/* Reserved VID 4095 is refused even if its bit is set in the allowed set. */
	vs_vlan_set_add(&pv.allowed, 4095);
	CU_ASSERT_EQUAL(vs_vlan_classify(&pv, true, 4094), 4094);
	CU_ASSERT_EQUAL(vs_vlan_classify(&pv, true, 4095), VS_CLASSIFY_NOT_ALLOWED);
}

static void test_egress_tagged(void)
{
	struct vs_port_vlan acc = access_port(2003);
	struct vs_port_vlan none = trunk_port(2003, 2005, 0);
	struct vs_port_vlan native = trunk_port(2003, 2005, 100);

	CU_ASSERT_FALSE(vs_vlan_egress_tagged(&acc, 2003));
	CU_ASSERT_TRUE(vs_vlan_egress_tagged(&none, 2003));
	CU_ASSERT_TRUE(vs_vlan_egress_tagged(&none, 2005));
	CU_ASSERT_TRUE(vs_vlan_egress_tagged(&native, 2004));
	CU_ASSERT_FALSE(vs_vlan_egress_tagged(&native, 100));
}

CU_ErrorCode vs_test_frame_suite(void)
{
	static const struct vs_test tests[] = {
		{ "parse untagged", test_parse_untagged },
		{ "parse tagged", test_parse_tagged },
		{ "parse runts", test_parse_runts },
		{ "parse QinQ ethertype left as is", test_parse_qinq_left_as_is },
		{ "mac is multicast", test_mac_is_multicast },
		{ "classify access", test_classify_access },
		{ "classify trunk tagged", test_classify_trunk },
		{ "classify trunk untagged and priority tag", test_classify_trunk_untagged },
		{ "classify VID 4095", test_classify_vid_4095 },
		{ "egress tagged", test_egress_tagged },
		{ NULL, NULL },
	};
	return vs_test_add_suite("frame", tests);
}
