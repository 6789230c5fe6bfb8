/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The qos_* port arguments: classification (trust, default class, code point lists) and the
 * egress scheduler's rate and queue length. Parsing, validation naming the field, the JSON
 * form, and the class map the snapshot hands to workers. Pure (Jansson only).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control/model/qos_cfg.h"
#include "vs_types.h"
#include "control/model/err.h"

static const char *const class_names[VS_QOS_CLASSES] = { "critical", "best-effort",
							  "scavenger" };
static const char *const trust_names[] = { "none", "pcp", "dscp" };

const char *vs_qos_class_name(uint8_t cls)
{
	return cls < VS_QOS_CLASSES ? class_names[cls] : "?";
}

const char *vs_qos_trust_name(uint8_t trust)
{
	return trust <= VS_TRUST_DSCP ? trust_names[trust] : "?";
}

static int name_index(const char *s, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

int vs_points_parse(const char *s, unsigned int max, uint64_t *out, const char *field,
		    struct vs_err *e)
{
	uint64_t bits = 0;
	const char *p = s;

	while (*p != '\0') {
		char *end;
		unsigned long lo = strtoul(p, &end, 10), hi = lo;
		if (end == p || *p == '-' || *p == '+' || *p == ' ')
			return vs_err_set(e, EINVAL, field, "'%s': expected values and ranges like 5-7,1",
					  s);
		if (*end == '-') {
			p = end + 1;
			hi = strtoul(p, &end, 10);
			if (end == p || *p == '-' || *p == '+' || *p == ' ' || hi < lo)
				return vs_err_set(e, EINVAL, field, "'%s': bad range", s);
		}
		if (hi > max)
			return vs_err_set(e, ERANGE, field, "'%s': values are 0..%u", s, max);
		for (unsigned long v = lo; v <= hi; v++)
			bits |= 1ULL << v;
		if (*end == ',' && end[1] != '\0')
			end++;
		else if (*end != '\0')
			return vs_err_set(e, EINVAL, field, "'%s': expected values and ranges like 5-7,1",
					  s);
		p = end;
	}
	*out = bits;
	return 0;
}

void vs_points_format(uint64_t bits, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (unsigned int v = 0; v < 64 && off < len; v++) {
		if (!((bits >> v) & 1))
			continue;
		unsigned int hi = v;
		while (hi + 1 < 64 && ((bits >> (hi + 1)) & 1))
			hi++;
		int n = hi == v ? snprintf(buf + off, len - off, "%s%u", off ? "," : "", v) :
				  snprintf(buf + off, len - off, "%s%u-%u", off ? "," : "", v, hi);
		if (n < 0)
			break;
		off += (size_t)n;
		v = hi;
	}
}

/* The lists a trust starts with: PCP 5-7 (voice, internetwork and network control) and 1
 * (background, 802.1Q); DSCP CS5, EF, CS6, CS7 and LE (RFC 8622), CS1. */
static uint64_t default_points(uint8_t trust, uint8_t cls)
{
	if (trust == VS_TRUST_PCP)
		return cls == VS_QOS_CRITICAL ? 0xe0 : 0x02;
	if (trust == VS_TRUST_DSCP)
		return cls == VS_QOS_CRITICAL ?
			       (1ULL << 40 | 1ULL << 46 | 1ULL << 48 | 1ULL << 56) :
			       (1ULL << 1 | 1ULL << 8);
	return 0;
}

uint64_t vs_qos_points(const struct vs_qos_cfg *q, uint8_t cls)
{
	if (cls == VS_QOS_CRITICAL)
		return q->critical_given ? q->critical : default_points(q->trust, cls);
	if (cls == VS_QOS_SCAVENGER)
		return q->scavenger_given ? q->scavenger : default_points(q->trust, cls);
	return 0;
}

void vs_qos_class_map(const struct vs_qos_cfg *q, uint8_t map[64])
{
	uint64_t crit = vs_qos_points(q, VS_QOS_CRITICAL), scav = vs_qos_points(q, VS_QOS_SCAVENGER);

	for (unsigned int v = 0; v < 64; v++)
		map[v] = (crit >> v) & 1 ? VS_QOS_CRITICAL :
			 (scav >> v) & 1 ? VS_QOS_SCAVENGER :
					   VS_QOS_BEST_EFFORT;
}

uint32_t vs_qos_queue_len(const struct vs_qos_cfg *q)
{
	return q->queue ? q->queue : VS_QOS_QUEUE_DEFAULT;
}

int vs_qos_args(const json_t *o, const char *prefix, struct vs_qos_cfg *q, struct vs_err *e)
{
	char f[160];
	json_t *v;
	int i, rc;

	if ((v = json_object_get(o, "qos_rate")) != NULL)
		q->rate_bps = (uint64_t)json_integer_value(v);
	if ((v = json_object_get(o, "qos_queue")) != NULL) {
		if (json_integer_value(v) > VS_QOS_QUEUE_MAX)
			return vs_err_set(e, ERANGE, VS_FIELD(f, prefix, "qos_queue"),
					  "%lld: at most %d frames", json_integer_value(v),
					  VS_QOS_QUEUE_MAX);
		q->queue = (uint32_t)json_integer_value(v);
	}
	if ((v = json_object_get(o, "qos_trust")) != NULL) {
		if ((i = name_index(json_string_value(v), trust_names, 3)) < 0)
			return vs_err_set(e, EINVAL, VS_FIELD(f, prefix, "qos_trust"),
					  "'%s': expected none, pcp or dscp", json_string_value(v));
		q->trust = (uint8_t)i;
	}
	if ((v = json_object_get(o, "qos_default")) != NULL) {
		if ((i = name_index(json_string_value(v), class_names, VS_QOS_CLASSES)) < 0)
			return vs_err_set(e, EINVAL, VS_FIELD(f, prefix, "qos_default"),
					  "'%s': expected critical, best-effort or scavenger",
					  json_string_value(v));
		q->def = (uint8_t)i;
	}
	/* Lists are range-checked in validate, against the trust they end up with. */
	const struct {
		const char *key;
		bool *given;
		uint64_t *bits;
	} lists[] = { { "qos_critical", &q->critical_given, &q->critical },
		      { "qos_scavenger", &q->scavenger_given, &q->scavenger } };
	for (size_t k = 0; k < 2; k++) {
		if ((v = json_object_get(o, lists[k].key)) == NULL)
			continue;
		const char *s = json_string_value(v);
		/* "" goes back to the trust's default list */
		if ((rc = vs_points_parse(s, 63, lists[k].bits, VS_FIELD(f, prefix, lists[k].key), e)) < 0)
			return rc;
		*lists[k].given = s[0] != '\0';
	}
	return 0;
}

int vs_qos_validate(const struct vs_qos_cfg *q, const char *prefix, struct vs_err *e)
{
	char f[160];

	if (q->rate_bps != 0 && (q->rate_bps < VS_QOS_RATE_MIN || q->rate_bps > VS_QOS_RATE_MAX))
		return vs_err_set(e, ERANGE, VS_FIELD(f, prefix, "qos_rate"),
				  "%" PRIu64 " bits/s: 0 (no scheduler) or %llu..%llu", q->rate_bps,
				  VS_QOS_RATE_MIN, VS_QOS_RATE_MAX);
	if (q->queue != 0 && (q->queue < 8 || (q->queue & (q->queue - 1)) != 0))
		return vs_err_set(e, EINVAL, VS_FIELD(f, prefix, "qos_queue"),
				  "%u: a power of two, 8..%d (rte_sched)", q->queue,
				  VS_QOS_QUEUE_MAX);
	if (q->queue != 0 && q->rate_bps == 0)
		return vs_err_set(e, EINVAL, VS_FIELD(f, prefix, "qos_queue"),
				  "qos_queue sizes the egress scheduler: it needs a qos_rate");
	if (q->trust == VS_TRUST_NONE && (q->critical_given || q->scavenger_given))
		return vs_err_set(e, EINVAL,
				  VS_FIELD(f, prefix, q->critical_given ? "qos_critical" : "qos_scavenger"),
				  "code point lists need qos_trust pcp or dscp");
	/* lists are parsed as DSCP (0..63); PCP has 0..7 */
	if (q->trust == VS_TRUST_PCP && q->critical_given && q->critical > 0xff)
		return vs_err_set(e, ERANGE, VS_FIELD(f, prefix, "qos_critical"),
				  "PCP values are 0..7");
	if (q->trust == VS_TRUST_PCP && q->scavenger_given && q->scavenger > 0xff)
		return vs_err_set(e, ERANGE, VS_FIELD(f, prefix, "qos_scavenger"),
				  "PCP values are 0..7");
	uint64_t both = vs_qos_points(q, VS_QOS_CRITICAL) & vs_qos_points(q, VS_QOS_SCAVENGER);
	if (both) {
		char buf[256];
		vs_points_format(both, buf, sizeof(buf));
		return vs_err_set(e, EINVAL,
				  VS_FIELD(f, prefix, q->scavenger_given ? "qos_scavenger" : "qos_critical"),
				  "code points %s in both qos_critical and qos_scavenger", buf);
	}
	return 0;
}

void vs_qos_cfg_to_json(const struct vs_qos_cfg *q, json_t *o)
{
	char buf[256];

	if (q->rate_bps) {
		json_object_set_new(o, "qos_rate", json_integer((json_int_t)q->rate_bps));
		if (q->queue)
			json_object_set_new(o, "qos_queue", json_integer(q->queue));
	}
	if (q->trust != VS_TRUST_NONE)
		json_object_set_new(o, "qos_trust", json_string(vs_qos_trust_name(q->trust)));
	if (q->def != VS_QOS_BEST_EFFORT)
		json_object_set_new(o, "qos_default", json_string(vs_qos_class_name(q->def)));
	if (q->critical_given) {
		vs_points_format(q->critical, buf, sizeof(buf));
		json_object_set_new(o, "qos_critical", json_string(buf));
	}
	if (q->scavenger_given) {
		vs_points_format(q->scavenger, buf, sizeof(buf));
		json_object_set_new(o, "qos_scavenger", json_string(buf));
	}
}
