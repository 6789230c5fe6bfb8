/* SPDX-License-Identifier: BSD-3-Clause */
/* A port's ingress policer settings: the police_* arguments, their checks and defaults. Pure. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control/model/police_cfg.h"
#include "control/model/err.h"

/* The longest frame a port of this MTU carries, as the policer counts it: tagged, no FCS. */
static uint64_t police_frame_max(uint16_t mtu)
{
	return (uint64_t)mtu + 14 + 4;
}

static uint64_t max_u64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

void vs_police_bursts(const struct vs_police_cfg *p, uint16_t mtu, uint64_t *cbs,
		      uint64_t *ebs_or_pbs)
{
	/* 10 ms at the rate, and never less than two of the port's largest frames, or a
	 * policer would drop jumbo frames however slowly they come */
	uint64_t floor = 2 * police_frame_max(mtu);
	uint64_t def = max_u64(p->rate_bps / 8 / 100, floor);
	*cbs = p->burst ? p->burst : def;
	if (p->peak_rate_bps)
		*ebs_or_pbs = p->peak_burst ? p->peak_burst :
					      max_u64(p->peak_rate_bps / 8 / 100, floor);
	else
		*ebs_or_pbs = p->peak_burst;
}

/* police_* arguments of port.add and port.set; the combination is checked in validate. */
int vs_police_args(const json_t *o, const char *prefix, struct vs_police_cfg *p,
		       struct vs_err *e)
{
	const struct {
		const char *name;
		uint64_t max;
		uint64_t *to;
	} nums[] = {
		{ "police_rate", VS_POLICE_RATE_MAX, &p->rate_bps },
		{ "police_peak_rate", VS_POLICE_RATE_MAX, &p->peak_rate_bps },
		{ "police_burst", VS_POLICE_BURST_MAX, &p->burst },
		{ "police_peak_burst", VS_POLICE_BURST_MAX, &p->peak_burst },
	};
	char f[160];
	json_t *v;

	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		if ((v = json_object_get(o, nums[i].name)) == NULL)
			continue;
		uint64_t x = (uint64_t)json_integer_value(v);
		if (x > nums[i].max)
			return vs_err_set(e, ERANGE, VS_FIELD(f, prefix, nums[i].name),
					  "%" PRIu64 ": at most %" PRIu64, x, nums[i].max);
		*nums[i].to = x;
	}
	if ((v = json_object_get(o, "police_yellow")) != NULL) {
		const char *y = json_string_value(v);
		if (strcmp(y, "pass") != 0 && strcmp(y, "drop") != 0 && strcmp(y, "scavenger") != 0)
			return vs_err_set(e, EINVAL, VS_FIELD(f, prefix, "police_yellow"),
					  "'%s': expected pass, drop or scavenger", y);
		p->yellow_drop = strcmp(y, "drop") == 0;
		p->yellow_demote = strcmp(y, "scavenger") == 0;
	}
	return 0;
}

int vs_police_validate(const struct vs_police_cfg *p, uint16_t mtu, const char *prefix,
			   struct vs_err *e)
{
	uint64_t cbs, ebs_or_pbs, frame = police_frame_max(mtu);
	char f[160];

	if (p->rate_bps == 0) {
		if (p->peak_rate_bps || p->burst || p->peak_burst)
			return vs_err_set(e, EINVAL, VS_FIELD(f, prefix, "police_rate"),
					  "the other police_* settings need a police_rate");
		return 0;
	}
	if (p->rate_bps < VS_POLICE_RATE_MIN)
		return vs_err_set(e, ERANGE, VS_FIELD(f, prefix, "police_rate"),
				  "%" PRIu64 " bits/s: at least %llu", p->rate_bps,
				  VS_POLICE_RATE_MIN);
	if (p->peak_rate_bps && p->peak_rate_bps < p->rate_bps)
		return vs_err_set(e, EINVAL, VS_FIELD(f, prefix, "police_peak_rate"),
				  "%" PRIu64 " bits/s is below police_rate %" PRIu64,
				  p->peak_rate_bps, p->rate_bps);
	vs_police_bursts(p, mtu, &cbs, &ebs_or_pbs);
	if (cbs < frame)
		return vs_err_set(e, EINVAL, VS_FIELD(f, prefix, "police_burst"),
				  "%" PRIu64 " bytes is less than one %" PRIu64
				  "-byte frame at this MTU: every such frame would be red",
				  cbs, frame);
	if (p->peak_rate_bps && ebs_or_pbs < frame)
		return vs_err_set(e, EINVAL, VS_FIELD(f, prefix, "police_peak_burst"),
				  "%" PRIu64 " bytes is less than one %" PRIu64 "-byte frame",
				  ebs_or_pbs, frame);
	return 0;
}
