/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * metrics.listen: where the metrics endpoint listens. "IPv4:port", "[IPv6]:port" (address
 * literals only: no name lookups at start) or "unix:/absolute/path"; "" is off.
 * Pure model (no DPDK, no libevent): config loader, vswd and the unit tests.
 */
#ifndef VS_METRICS_LISTEN_H
#define VS_METRICS_LISTEN_H

#include <stdint.h>

#include "vs_types.h"
#include "control/model/err.h"

#define VS_LISTEN_MAX (VS_PATH_MAX + 8)	/* "unix:" + a socket path */

enum vs_listen_kind { VS_LISTEN_OFF, VS_LISTEN_TCP, VS_LISTEN_UNIX };

struct vs_listen {
	enum vs_listen_kind kind;
	char host[48];	/* TCP: the address literal, without brackets */
	uint16_t port;
	char path[VS_PATH_MAX];	/* UNIX */
};

/* Parses s into *out; errors name `field`. */
int vs_listen_parse(const char *s, struct vs_listen *out, const char *field, struct vs_err *e);

#endif
