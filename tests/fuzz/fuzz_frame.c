/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: the data path's pure frame logic on any bytes, as the VLAN demux and the
 * policy stage run it: Ethernet/802.1Q admission (frame.h), the VLAN rules of an access port,
 * a trunk and an uplink with a native VLAN, the L3 checks (flow.h), the 5-tuple extraction,
 * the spoof check and QoS classification. Besides "no crash, no UB", it checks the promises
 * the later stages rely on: an admitted frame has at most one 802.1Q tag, its VLAN is one the
 * port is a member of, and every offset the parse hands on lies inside the frame.
 *
 * The first input byte picks the NIC-stripped-tag flag and how much of the frame is "in the
 * first segment"; the rest is the frame.
 */
#include <stdlib.h>
#include <string.h>

#include "vs_types.h"
#include "dataplane/policy/flow.h"
#include "dataplane/policy/spoof.h"
#include "dataplane/qos/classify.h"
#include "dataplane/worker/frame.h"

#define CHECK(c)                                                                             \
	do {                                                                                 \
		if (!(c))                                                                    \
			abort();                                                             \
	} while (0)

static struct vs_port_vlan ports[3];

static void setup(void)
{
	static int done;
	if (done)
		return;
	done = 1;
	ports[0] = (struct vs_port_vlan){ .mode = VS_MODE_ACCESS, .access_vid = 2003 };
	vs_vlan_set_add(&ports[0].allowed, 2003);
	ports[1] = (struct vs_port_vlan){ .mode = VS_MODE_TRUNK };
	vs_vlan_set_add(&ports[1].allowed, 2003);
	vs_vlan_set_add(&ports[1].allowed, 2004);
	ports[2] = (struct vs_port_vlan){ .mode = VS_MODE_TRUNK, .native_vid = 2003 };
	for (uint16_t v = 2003; v <= 2005; v++)
		vs_vlan_set_add(&ports[2].allowed, v);
}

static void check_l3(const uint8_t *l3, uint32_t len, uint32_t wire, uint16_t et)
{
	struct vs_l3_info li;
	enum vs_l3_verdict v = vs_l3_parse(l3, len, wire, et, &li);
	if (v != VS_L3_OK || li.kind == VS_FLOW_NOT_IP) {
		CHECK(v <= VS_L3_FRAG_OVERLAP);
		return;
	}
	CHECK(li.family == 4 || li.family == 6);
	CHECK(li.frag <= VS_FRAG_LATER);
	CHECK(li.l4_off <= len);
	if (li.frag != VS_FRAG_LATER)
		CHECK(li.l4_off + vs_l4_min_len(li.proto) <= len);
	struct vs_flow f;
	vs_flow_extract(l3, &li, &f);
	CHECK(f.family == li.family && f.proto == li.proto);
	CHECK(!f.l4 || li.frag != VS_FRAG_LATER);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	setup();
	if (size < 1 || size > 16384)
		return 0;
	bool nic_tag = data[0] & 1;
	const uint8_t *frame = data + 1;
	uint32_t wire = (uint32_t)size - 1;
	/* a first segment of 0..all bytes: headers may be cut by a segment boundary */
	uint32_t seg = (data[0] >> 1) == 0 ? wire : (uint32_t)(data[0] >> 1) * 4;
	if (seg > wire)
		seg = wire;
	/* the segment is what the parse may read: copy it so ASan sees every read past it */
	uint8_t *copy = malloc(seg ? seg : 1);
	memcpy(copy, frame, seg);

	struct vs_frame_info fi;
	enum vs_frame_verdict fv = vs_frame_parse(copy, seg, nic_tag, &fi);
	if (fv == VS_FRAME_OK) {
		uint32_t l2 = VS_ETH_HLEN + (fi.tagged ? VS_VLAN_HLEN : 0);
		CHECK(l2 <= seg);
		CHECK(!vs_ethertype_is_tag(fi.ethertype));
		for (int p = 0; p < 3; p++) {
			int vid = vs_vlan_classify(&ports[p], fi.tagged || nic_tag, fi.vid);
			if (vid >= 0)
				CHECK(vid > 0 && vid < 4095 &&
				      vs_vlan_set_has(&ports[p].allowed, (uint16_t)vid));
		}
		check_l3(copy + l2, seg - l2, wire - l2, fi.ethertype);

		struct vs_dp_spoof sp = { .mac_check = 1, .ip_check = 1, .n_ips = 1 };
		sp.ips[0].family = 4;
		(void)vs_spoof_check(&sp, copy, seg, &fi);
		struct vs_dp_classify cl = { .trust = (uint8_t)(data[0] % 3) };
		CHECK(vs_qos_classify(&cl, copy, seg, &fi, -1) < 64);
	} else {
		CHECK(fv <= VS_FRAME_RESERVED_DST);
	}
	free(copy);
	return 0;
}
