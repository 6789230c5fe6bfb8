/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A port's QoS settings (qos_* arguments): classification and egress shaping.
 * Pure model (Jansson only, no DPDK). Control thread, config loader and unit tests.
 */
#ifndef VS_QOS_CFG_H
#define VS_QOS_CFG_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "control/model/err.h"

/* QoS of a port: how frames it receives are classified, and the egress scheduler (rte_sched)
 * of what it sends. Code point lists are bitmaps (PCP 0..7 or DSCP 0..63). */
struct vs_qos_cfg {
	uint64_t rate_bps;	/* egress shaping rate; 0 = no scheduler, frames go straight out */
	uint32_t queue;	/* frames per class queue; 0 = default VS_QOS_QUEUE_DEFAULT */
	uint8_t trust;	/* enum vs_qos_trust */
	uint8_t def;	/* enum vs_qos_class */
	bool critical_given;	/* critical set explicitly; else the trust's default list */
	bool scavenger_given;
	uint64_t critical;
	uint64_t scavenger;
};

#define VS_QOS_QUEUE_DEFAULT 64
#define VS_QOS_QUEUE_MAX 1024
#define VS_QOS_RATE_MIN 1000000ULL	/* 1 Mbit/s */
#define VS_QOS_RATE_MAX 100000000000ULL	/* 100 Gbit/s */

/* The qos_* port arguments (port.add, port.set, config rows). */
int vs_qos_args(const json_t *o, const char *prefix, struct vs_qos_cfg *q, struct vs_err *e);
int vs_qos_validate(const struct vs_qos_cfg *q, const char *prefix, struct vs_err *e);
void vs_qos_cfg_to_json(const struct vs_qos_cfg *q, json_t *port);
/* The code points of class cls (critical or scavenger) in effect, defaults applied. */
uint64_t vs_qos_points(const struct vs_qos_cfg *q, uint8_t cls);
/* map[code point] = class, for the trusted field's code points (64 entries). */
void vs_qos_class_map(const struct vs_qos_cfg *q, uint8_t map[64]);
uint32_t vs_qos_queue_len(const struct vs_qos_cfg *q);
const char *vs_qos_class_name(uint8_t cls);
const char *vs_qos_trust_name(uint8_t trust);
/* "5-7" / "40,46,48,56" <-> bitmap of values 0..max. */
int vs_points_parse(const char *s, unsigned int max, uint64_t *out, const char *field,
		    struct vs_err *e);
void vs_points_format(uint64_t bits, char *buf, size_t len);

#endif
