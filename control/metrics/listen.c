/* SPDX-License-Identifier: BSD-3-Clause */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control/metrics/listen.h"

static int parse_port(const char *s, uint16_t *port)
{
	char *end;
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < 1 || v > 65535)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

int vs_listen_parse(const char *s, struct vs_listen *out, const char *field, struct vs_err *e)
{
	memset(out, 0, sizeof(*out));
	if (s[0] == '\0')
		return 0;
	if (strncmp(s, "unix:", 5) == 0) {
		const char *p = s + 5;
		if (p[0] != '/')
			return vs_err_set(e, EINVAL, field, "'%s': a unix socket needs an absolute path",
					  s);
		if (strlen(p) >= sizeof(out->path))
			return vs_err_set(e, ENAMETOOLONG, field,
					  "'%s': a socket path has at most %zu bytes", s,
					  sizeof(out->path) - 1);
		out->kind = VS_LISTEN_UNIX;
		snprintf(out->path, sizeof(out->path), "%s", p);
		return 0;
	}
	/* the port follows the last ':'; an IPv6 literal is bracketed */
	const char *colon = strrchr(s, ':');
	const char *h = s, *h_end = colon;
	if (colon == NULL)
		return vs_err_set(e, EINVAL, field,
				  "'%s': expected ADDRESS:PORT, [IPv6]:PORT or unix:/path", s);
	if (s[0] == '[') {
		h = s + 1;
		h_end = colon > s && colon[-1] == ']' ? colon - 1 : NULL;
	}
	if (h_end == NULL || h_end <= h || (size_t)(h_end - h) >= sizeof(out->host))
		return vs_err_set(e, EINVAL, field, "'%s': bad address (IPv6 goes in brackets)", s);
	memcpy(out->host, h, (size_t)(h_end - h));
	out->host[h_end - h] = '\0';
	unsigned char addr[16];
	int family = s[0] == '[' ? AF_INET6 : AF_INET;
	if (inet_pton(family, out->host, addr) != 1)
		return vs_err_set(e, EINVAL, field, "'%s': '%s' is not an IP%s address literal", s,
				  out->host, family == AF_INET6 ? "v6" : "v4");
	if (parse_port(colon + 1, &out->port) < 0)
		return vs_err_set(e, EINVAL, field, "'%s': the port must be 1..65535", s);
	out->kind = VS_LISTEN_TCP;
	return 0;
}
