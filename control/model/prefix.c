/* SPDX-License-Identifier: BSD-3-Clause */
/* IP prefixes of policies (ipBlock cidr / except, networks): parse, format, compare and
 * subtract. Pure. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control/model/prefix.h"

int vs_prefix_parse(const char *s, struct vs_prefix *p)
{
	char buf[64];
	const char *slash = strchr(s, '/');
	char *end;

	if (slash == NULL || (size_t)(slash - s) >= sizeof(buf) || !isdigit((unsigned char)slash[1]))
		return -EINVAL;
	snprintf(buf, sizeof(buf), "%.*s", (int)(slash - s), s);
	memset(p, 0, sizeof(*p));
	if (inet_pton(AF_INET, buf, p->addr) == 1)
		p->family = 4;
	else if (inet_pton(AF_INET6, buf, p->addr) == 1)
		p->family = 6;
	else
		return -EINVAL;
	long len = strtol(slash + 1, &end, 10);
	if (*end != '\0' || len < 0 || len > (p->family == 4 ? 32 : 128) || slash[1] == '-' ||
	    slash[1] == '+')
		return -EINVAL;
	p->plen = (uint8_t)len;
	/* Kubernetes accepts host bits and ignores them; so do we. */
	for (unsigned int b = p->plen; b < 128; b++)
		p->addr[b / 8] &= (uint8_t)~(0x80u >> (b % 8));
	return 0;
}

void vs_prefix_format(const struct vs_prefix *p, char *buf, size_t len)
{
	char a[64];
	inet_ntop(p->family == 4 ? AF_INET : AF_INET6, p->addr, a, sizeof(a));
	snprintf(buf, len, "%s/%u", a, p->plen);
}

static bool bit(const uint8_t *a, unsigned int b)
{
	return (a[b / 8] >> (7 - b % 8)) & 1;
}

bool vs_prefix_contains(const struct vs_prefix *outer, const struct vs_prefix *inner)
{
	if (outer->family != inner->family || inner->plen < outer->plen)
		return false;
	for (unsigned int b = 0; b < outer->plen; b++)
		if (bit(outer->addr, b) != bit(inner->addr, b))
			return false;
	return true;
}

bool vs_prefix_overlaps(const struct vs_prefix *a, const struct vs_prefix *b)
{
	return vs_prefix_contains(a, b) || vs_prefix_contains(b, a);
}

/* Split p into its two halves until no half partly overlaps an except block: at most
 * (depth x excepts) prefixes. */
static int subtract(const struct vs_prefix *p, const struct vs_prefix *ex, unsigned int n_ex,
		    struct vs_prefix *out, unsigned int *n, unsigned int max)
{
	bool partial = false;
	for (unsigned int i = 0; i < n_ex; i++) {
		if (vs_prefix_contains(&ex[i], p))
			return 0;	/* all of p is excepted */
		if (vs_prefix_overlaps(&ex[i], p))
			partial = true;
	}
	if (!partial) {
		if (*n >= max)
			return -E2BIG;
		out[(*n)++] = *p;
		return 0;
	}
	for (int half = 0; half < 2; half++) {
		struct vs_prefix h = *p;
		h.plen++;
		if (half)
			h.addr[p->plen / 8] |= (uint8_t)(0x80u >> (p->plen % 8));
		int rc = subtract(&h, ex, n_ex, out, n, max);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int vs_prefix_subtract(const struct vs_prefix *cidr, const struct vs_prefix *except,
		       unsigned int n_except, struct vs_prefix *out, unsigned int max)
{
	unsigned int n = 0;
	int rc = subtract(cidr, except, n_except, out, &n, max);
	return rc < 0 ? rc : (int)n;
}
