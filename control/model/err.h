/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Errors for the client: errno, the field (JSON path) at fault, a message;
 * and the helpers that name fields. Pure; any thread.
 */
#ifndef VS_ERR_H
#define VS_ERR_H

#include <stddef.h>

/* An error for the client: errno, the field (JSON path) at fault, a message. */
struct vs_err {
	int code;	/* positive errno */
	char field[128];
	char msg[256];
};

/* Fill e and return -code. field may be NULL. */
int vs_err_set(struct vs_err *e, int code, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* "prefix.key" into buf (truncated if need be): the field named in an error. */
const char *vs_field_cat(char *buf, size_t len, const char *prefix, const char *key);
/* printf into buf, truncated if need be; returns buf. */
const char *vs_pathf(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
#define VS_FIELD(buf, prefix, key) vs_field_cat(buf, sizeof(buf), prefix, key)

#endif
