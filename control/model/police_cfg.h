/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A port's ingress policer settings (police_* arguments).
 * Pure model (Jansson only, no DPDK). Control thread, config loader and unit tests.
 */
#ifndef VS_POLICE_CFG_H
#define VS_POLICE_CFG_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "control/model/err.h"

/* Ingress policer: srTCM (RFC 2697) when peak_rate_bps is 0, else trTCM (RFC 2698). Rates
 * count Ethernet frame bytes without FCS, preamble and gap. Red frames are dropped. */
struct vs_police_cfg {
	uint64_t rate_bps;	/* CIR; 0 = no policer */
	uint64_t peak_rate_bps;	/* PIR */
	uint64_t burst;	/* CBS, bytes; 0 = default: 10 ms at the rate, >= 2 frames */
	uint64_t peak_burst;	/* trTCM PBS (0 = default as burst) / srTCM EBS (0 = none) */
	bool yellow_drop;
	bool yellow_demote;	/* yellow frames pass in the scavenger class (re-marked) */
};

#define VS_POLICE_RATE_MIN 8000ULL	/* 1 kB/s */
#define VS_POLICE_RATE_MAX 400000000000ULL	/* 400 Gbit/s */
#define VS_POLICE_BURST_MAX (64u << 20)

/* The police_* arguments of port.add / port.set / a config row onto p. */
int vs_police_args(const json_t *o, const char *prefix, struct vs_police_cfg *p,
		   struct vs_err *e);
/* Rates and bursts in range and consistent, for a port of this MTU. */
int vs_police_validate(const struct vs_police_cfg *p, uint16_t mtu, const char *prefix,
		       struct vs_err *e);
/* The burst sizes a policer runs with, defaults filled in. */
void vs_police_bursts(const struct vs_police_cfg *p, uint16_t mtu, uint64_t *cbs,
		      uint64_t *ebs_or_pbs);

#endif
