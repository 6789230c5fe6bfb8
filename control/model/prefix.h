/* SPDX-License-Identifier: BSD-3-Clause */
/* IP prefixes (IPv4 or IPv6, network order). Pure model; any thread. */
#ifndef VS_PREFIX_H
#define VS_PREFIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vs_prefix {
	uint8_t family;
	uint8_t plen;
	uint8_t addr[16];
};

int vs_prefix_parse(const char *s, struct vs_prefix *p);	/* host bits are cleared */
void vs_prefix_format(const struct vs_prefix *p, char *buf, size_t len);
/* inner lies within outer (same family, at least as long, same leading bits). */
bool vs_prefix_contains(const struct vs_prefix *outer, const struct vs_prefix *inner);
bool vs_prefix_overlaps(const struct vs_prefix *a, const struct vs_prefix *b);
/* cidr minus except blocks as disjoint prefixes; returns how many were written (at most
 * max), or -E2BIG. */
int vs_prefix_subtract(const struct vs_prefix *cidr, const struct vs_prefix *except,
		       unsigned int n_except, struct vs_prefix *out, unsigned int max);

#endif
