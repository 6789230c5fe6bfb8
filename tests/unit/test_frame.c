/* SPDX-License-Identifier: BSD-3-Clause */
/* dataplane/worker/frame.h: Ethernet/802.1Q parsing and a port's ingress/egress VLAN rules. */
#include <string.h>

#include <CUnit/CUnit.h>

#include "vs_types.h"
#include "dataplane/worker/frame.h"
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
	CU_ASSERT_EQUAL(vs_frame_parse(f, 64, false, &fi), VS_FRAME_OK);
	CU_ASSERT_FALSE(fi.tagged);
	CU_ASSERT_EQUAL(fi.vid, 0);
	CU_ASSERT_EQUAL(fi.ethertype, 0x0800);

	/* A bare 14-byte header is the shortest frame accepted. */
	fi = dirty_info();
	CU_ASSERT_EQUAL(vs_frame_parse(f, VS_ETH_HLEN, false, &fi), VS_FRAME_OK);
	CU_ASSERT_FALSE(fi.tagged);
	CU_ASSERT_EQUAL(fi.ethertype, 0x0800);
}

static void test_parse_tagged(void)
{
	uint8_t f[64];
	struct vs_frame_info fi = dirty_info();

	/* PCP 7, DEI 1, VID 2003: only the low 12 bits are the VLAN id. */
	frame_tag(f, (uint16_t)(7 << 13 | 1 << 12 | 2003), 0x86dd);
	CU_ASSERT_EQUAL(vs_frame_parse(f, 64, false, &fi), VS_FRAME_OK);
	CU_ASSERT_TRUE(fi.tagged);
	CU_ASSERT_EQUAL(fi.vid, 2003);
	CU_ASSERT_EQUAL(fi.ethertype, 0x86dd);

	fi = dirty_info();
	frame_tag(f, 4094, 0x0806);
	CU_ASSERT_EQUAL(vs_frame_parse(f, VS_ETH_HLEN + VS_VLAN_HLEN, false, &fi), VS_FRAME_OK);
	CU_ASSERT_TRUE(fi.tagged);
	CU_ASSERT_EQUAL(fi.vid, 4094);
	CU_ASSERT_EQUAL(fi.ethertype, 0x0806);

	/* Priority tag: tagged, VID 0 (classification treats it as untagged). */
	fi = dirty_info();
	frame_tag(f, 5 << 13, 0x0800);
	CU_ASSERT_EQUAL(vs_frame_parse(f, 64, false, &fi), VS_FRAME_OK);
	CU_ASSERT_TRUE(fi.tagged);
	CU_ASSERT_EQUAL(fi.vid, 0);
}

static void test_parse_runts(void)
{
	uint8_t f[64];
	struct vs_frame_info fi;

	frame_init(f, 0x0800);
	CU_ASSERT_EQUAL(vs_frame_parse(f, VS_ETH_HLEN - 1, false, &fi), VS_FRAME_RUNT);
	CU_ASSERT_EQUAL(vs_frame_parse(f, 0, false, &fi), VS_FRAME_RUNT);

	/* A tag needs 18 bytes: 14..17 are runts. */
	frame_tag(f, 100, 0x0800);
	for (uint32_t len = VS_ETH_HLEN; len < VS_ETH_HLEN + VS_VLAN_HLEN; len++)
		CU_ASSERT_EQUAL(vs_frame_parse(f, len, false, &fi), VS_FRAME_RUNT);
	CU_ASSERT_EQUAL(vs_frame_parse(f, VS_ETH_HLEN + VS_VLAN_HLEN, false, &fi), VS_FRAME_OK);
}

static void test_parse_stacked_and_service_tags(void)
{
	uint8_t f[64];
	struct vs_frame_info fi = dirty_info();

	/* An 802.1ad outer tag (and the pre-standard 0x9100/0x9200/0x9300) is never switched. */
	static const uint16_t stags[] = { VS_ETHERTYPE_QINQ, 0x9100, 0x9200, 0x9300 };
	for (size_t i = 0; i < sizeof(stags) / sizeof(stags[0]); i++) {
		frame_init(f, stags[i]);
		f[14] = 0x00;
		f[15] = 0x64;
		CU_ASSERT_EQUAL(vs_frame_parse(f, 64, false, &fi), VS_FRAME_SERVICE_TAG);
	}

	/* Two 802.1Q tags, a priority tag with a tag behind it (the VLAN hop), a C-tag over an
	 * S-tag: a second tag is never accepted. */
	frame_tag(f, 10, VS_ETHERTYPE_VLAN);
	CU_ASSERT_EQUAL(vs_frame_parse(f, 64, false, &fi), VS_FRAME_STACKED_TAG);
	frame_tag(f, 0, VS_ETHERTYPE_VLAN);
	CU_ASSERT_EQUAL(vs_frame_parse(f, 64, false, &fi), VS_FRAME_STACKED_TAG);
	frame_tag(f, 5 << 13, VS_ETHERTYPE_QINQ);
	CU_ASSERT_EQUAL(vs_frame_parse(f, 64, false, &fi), VS_FRAME_STACKED_TAG);
	/* ... however short it is */
	CU_ASSERT_EQUAL(vs_frame_parse(f, 18, false, &fi), VS_FRAME_STACKED_TAG);

	/* A NIC stripped the outer tag: any tag left in the data is a second one. */
	frame_init(f, VS_ETHERTYPE_VLAN);
	CU_ASSERT_EQUAL(vs_frame_parse(f, 64, true, &fi), VS_FRAME_STACKED_TAG);
	frame_init(f, VS_ETHERTYPE_QINQ);
	CU_ASSERT_EQUAL(vs_frame_parse(f, 64, true, &fi), VS_FRAME_STACKED_TAG);
	fi = dirty_info();
	frame_init(f, 0x0800);
	CU_ASSERT_EQUAL(vs_frame_parse(f, 64, true, &fi), VS_FRAME_OK);
	CU_ASSERT_FALSE(fi.tagged);
	CU_ASSERT_EQUAL(fi.ethertype, 0x0800);
}

static void test_parse_addresses(void)
{
	uint8_t f[64];
	struct vs_frame_info fi;

	/* sources no station sends from */
	frame_init(f, 0x0800);
	f[6] = 0x01;	/* multicast */
	CU_ASSERT_EQUAL(vs_frame_parse(f, 64, false, &fi), VS_FRAME_BAD_SRC_MAC);
	memset(f + 6, 0xff, 6);	/* broadcast */
	CU_ASSERT_EQUAL(vs_frame_parse(f, 64, false, &fi), VS_FRAME_BAD_SRC_MAC);
	memset(f + 6, 0, 6);
	CU_ASSERT_EQUAL(vs_frame_parse(f, 64, false, &fi), VS_FRAME_BAD_SRC_MAC);
	f[11] = 1;	/* 00:00:00:00:00:01 is a unicast address */
	CU_ASSERT_EQUAL(vs_frame_parse(f, 64, false, &fi), VS_FRAME_OK);

	/* 01:80:c2:00:00:00-0f (pause, STP, LACP, 802.1X, LLDP) are never forwarded; 01:80:c2:00:00:10
	 * and other multicast are */
	static const uint8_t reserved[6] = { 0x01, 0x80, 0xc2, 0, 0, 0 };
	for (uint8_t last = 0; last <= 0x10; last++) {
		frame_init(f, 0x8808);
		memcpy(f, reserved, 6);
		f[5] = last;
		CU_ASSERT_EQUAL(vs_frame_parse(f, 64, false, &fi),
				last < 0x10 ? VS_FRAME_RESERVED_DST : VS_FRAME_OK);
	}
	frame_tag(f, 2003, 0x88cc);
	memcpy(f, reserved, 6);
	f[5] = 0x0e;	/* LLDP, tagged */
	CU_ASSERT_EQUAL(vs_frame_parse(f, 64, false, &fi), VS_FRAME_RESERVED_DST);
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
		{ "parse stacked and service tags", test_parse_stacked_and_service_tags },
		{ "parse source and reserved destination", test_parse_addresses },
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
