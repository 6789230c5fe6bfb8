/* SPDX-License-Identifier: BSD-3-Clause */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control/metrics/expo.h"

struct vs_expo {
	bool om;
	bool failed;
	enum vs_metric_type type;
	char name[128];	/* the current family's sample name */
	char *buf;
	size_t len, cap;
};

static void put(struct vs_expo *x, const char *s, size_t n)
{
	if (x->failed)
		return;
	if (x->len + n + 1 > x->cap) {
		size_t cap = x->cap ? x->cap : 4096;
		while (cap < x->len + n + 1)
			cap *= 2;
		char *b = realloc(x->buf, cap);
		if (b == NULL) {
			x->failed = true;
			return;
		}
		x->buf = b;
		x->cap = cap;
	}
	memcpy(x->buf + x->len, s, n);
	x->len += n;
	x->buf[x->len] = '\0';
}

static void puts_(struct vs_expo *x, const char *s)
{
	put(x, s, strlen(s));
}

static void putf(struct vs_expo *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(struct vs_expo *x, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		x->failed = true;	/* names and numbers only: never this long */
	else
		put(x, tmp, (size_t)n);
}

struct vs_expo *vs_expo_new(bool openmetrics)
{
	struct vs_expo *x = calloc(1, sizeof(*x));
	if (x != NULL)
		x->om = openmetrics;
	return x;
}

void vs_expo_free(struct vs_expo *x)
{
	if (x == NULL)
		return;
	free(x->buf);
	free(x);
}

/* HELP text: \ and newline escaped (both formats); OpenMetrics also escapes ". */
static void put_escaped(struct vs_expo *x, const char *s, bool quote)
{
	for (const char *p = s; *p != '\0'; p++) {
		if (*p == '\\')
			puts_(x, "\\\\");
		else if (*p == '\n')
			puts_(x, "\\n");
		else if (*p == '"' && quote)
			puts_(x, "\\\"");
		else
			put(x, p, 1);
	}
}

void vs_expo_family(struct vs_expo *x, enum vs_metric_type t, const char *name, const char *help)
{
	bool counter = t == VS_COUNTER;
	/* text format: the family is named as its samples; OpenMetrics: without _total */
	const char *meta_suffix = counter && !x->om ? "_total" : "";

	x->type = t;
	snprintf(x->name, sizeof(x->name), "%s%s", name, counter ? "_total" : "");
	putf(x, "# HELP %s%s ", name, meta_suffix);
	put_escaped(x, help, x->om);
	putf(x, "\n# TYPE %s%s %s\n", name, meta_suffix, counter ? "counter" : "gauge");
}

static void put_labels(struct vs_expo *x, const struct vs_mlabel *labels, size_t n)
{
	if (n == 0)
		return;
	puts_(x, "{");
	for (size_t i = 0; i < n; i++) {
		putf(x, "%s%s=\"", i ? "," : "", labels[i].name);
		put_escaped(x, labels[i].value != NULL ? labels[i].value : "", true);
		puts_(x, "\"");
	}
	puts_(x, "}");
}

void vs_expo_sample(struct vs_expo *x, const struct vs_mlabel *labels, size_t n, double v)
{
	puts_(x, x->name);
	put_labels(x, labels, n);
	if (isnan(v))
		puts_(x, " NaN\n");
	else if (isinf(v))
		puts_(x, v > 0 ? " +Inf\n" : " -Inf\n");
	else if (v == (double)(int64_t)v && fabs(v) < 9007199254740992.0)
		putf(x, " %" PRId64 "\n", (int64_t)v);
	else {
		/* the shortest of %.15g / %.17g that reads back as v */
		char b[40];
		snprintf(b, sizeof(b), "%.15g", v);
		if (strtod(b, NULL) != v)
			snprintf(b, sizeof(b), "%.17g", v);
		putf(x, " %s\n", b);
	}
}

void vs_expo_sample_u64(struct vs_expo *x, const struct vs_mlabel *labels, size_t n, uint64_t v)
{
	puts_(x, x->name);
	put_labels(x, labels, n);
	putf(x, " %" PRIu64 "\n", v);
}

const char *vs_expo_finish(struct vs_expo *x, size_t *len)
{
	if (x->om)
		puts_(x, "# EOF\n");
	if (x->failed || x->buf == NULL)
		return NULL;
	*len = x->len;
	return x->buf;
}

const char *vs_expo_content_type(const struct vs_expo *x)
{
	return x->om ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
		     : "text/plain; version=0.0.4; charset=utf-8";
}

bool vs_expo_wants_openmetrics(const char *accept)
{
	return accept != NULL && strstr(accept, "application/openmetrics-text") != NULL;
}
