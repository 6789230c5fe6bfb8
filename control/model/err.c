/* SPDX-License-Identifier: BSD-3-Clause */
/* Errors for the client and the field paths they name. Pure. */
#include <stdarg.h>
#include <stdio.h>

#include "control/model/err.h"

int vs_err_set(struct vs_err *e, int code, const char *field, const char *fmt, ...)
{
	va_list ap;
	e->code = code;
	snprintf(e->field, sizeof(e->field), "%s", field != NULL ? field : "");
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -code;
}

const char *vs_pathf(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return buf;
}

const char *vs_field_cat(char *buf, size_t len, const char *prefix, const char *key)
{
	return vs_pathf(buf, len, "%s.%s", prefix, key);
}
