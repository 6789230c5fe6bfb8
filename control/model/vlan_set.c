/* SPDX-License-Identifier: BSD-3-Clause */
/* VLAN lists ("2003-2005,2010") and MAC addresses, as text. Pure. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control/model/vlan_set.h"
#include "vs_types.h"
#include "control/model/err.h"

static int parse_vid(const char **p, unsigned long *out)
{
	if (!isdigit((unsigned char)**p))
		return -EINVAL;
	char *end;
	errno = 0;
	*out = strtoul(*p, &end, 10);
	if (errno != 0 || end - *p > 4)
		return -EINVAL;
	*p = end;
	return 0;
}

int vs_vlan_set_parse(const char *s, struct vs_vlan_set *out, struct vs_err *e, const char *field)
{
	struct vs_vlan_set set;
	const char *p = s;

	memset(&set, 0, sizeof(set));
	while (*p == ' ')
		p++;
	while (*p != '\0') {
		unsigned long lo, hi;
		if (parse_vid(&p, &lo) < 0)
			return vs_err_set(e, EINVAL, field,
					  "'%s': expected VLAN ids or ranges like 2003-2005,2010", s);
		hi = lo;
		if (*p == '-') {
			p++;
			if (parse_vid(&p, &hi) < 0)
				return vs_err_set(e, EINVAL, field, "'%s': bad range end", s);
		}
		if (lo < VS_VLAN_MIN || hi > VS_VLAN_MAX)
			return vs_err_set(e, ERANGE, field, "'%s': VLAN ids are %d..%d", s,
					  VS_VLAN_MIN, VS_VLAN_MAX);
		if (lo > hi)
			return vs_err_set(e, EINVAL, field, "'%s': range %lu-%lu is reversed", s,
					  lo, hi);
		for (unsigned long v = lo; v <= hi; v++)
			vs_vlan_set_add(&set, (uint16_t)v);
		while (*p == ' ')
			p++;
		if (*p == ',') {
			p++;
			while (*p == ' ')
				p++;
			if (*p == '\0')
				return vs_err_set(e, EINVAL, field, "'%s': trailing comma", s);
		} else if (*p != '\0') {
			return vs_err_set(e, EINVAL, field, "'%s': unexpected '%c'", s, *p);
		}
	}
	*out = set;
	return 0;
}

void vs_vlan_set_format(const struct vs_vlan_set *s, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (unsigned int v = 0; v < VS_VLAN_COUNT; v++) {
		if (!vs_vlan_set_has(s, (uint16_t)v))
			continue;
		unsigned int hi = v;
		while (hi + 1 < VS_VLAN_COUNT && vs_vlan_set_has(s, (uint16_t)(hi + 1)))
			hi++;
		int n = hi == v ? snprintf(buf + used, len - used, "%s%u", used ? "," : "", v) :
				  snprintf(buf + used, len - used, "%s%u-%u", used ? "," : "", v, hi);
		if (n < 0 || (size_t)n >= len - used)
			return;	/* truncated; callers size buf for the worst case */
		used += (size_t)n;
		v = hi;
	}
}

unsigned int vs_vlan_set_count(const struct vs_vlan_set *s)
{
	unsigned int n = 0;
	for (unsigned int i = 0; i < VS_VLAN_COUNT / 64; i++)
		n += (unsigned int)__builtin_popcountll(s->bits[i]);
	return n;
}

int vs_mac_parse(const char *s, uint8_t mac[6])
{
	unsigned int b[6];
	char extra;
	if (strlen(s) != 17 ||
	    sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5],
		   &extra) != 6)
		return -EINVAL;
	for (int i = 0; i < 6; i++) {
		if (!isxdigit((unsigned char)s[i * 3]) || !isxdigit((unsigned char)s[i * 3 + 1]))
			return -EINVAL;
		mac[i] = (uint8_t)b[i];
	}
	return 0;
}

void vs_mac_format(const uint8_t mac[6], char buf[18])
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3],
		 mac[4], mac[5]);
}
