/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The Prometheus exposition writer: families (HELP, TYPE) and their samples with labels, in
 * the text format 0.0.4 or OpenMetrics 1.0.0 (the client's Accept header picks). Counter
 * families are named without "_total": the writer adds it where each format wants it.
 * Label values are escaped (\\, \", \n). Errors are sticky (out of memory): vs_expo_finish
 * returns NULL. Pure: no DPDK; control thread and unit tests.
 */
#ifndef VS_METRICS_EXPO_H
#define VS_METRICS_EXPO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum vs_metric_type { VS_COUNTER, VS_GAUGE };

struct vs_mlabel {
	const char *name;
	const char *value;
};

struct vs_expo;

struct vs_expo *vs_expo_new(bool openmetrics);
void vs_expo_free(struct vs_expo *x);
/* Starts a family; its samples follow before the next family. */
void vs_expo_family(struct vs_expo *x, enum vs_metric_type t, const char *name, const char *help);
void vs_expo_sample(struct vs_expo *x, const struct vs_mlabel *labels, size_t n, double v);
void vs_expo_sample_u64(struct vs_expo *x, const struct vs_mlabel *labels, size_t n, uint64_t v);
/* The page (NUL-terminated, owned by x) and its length, or NULL after an allocation failure. */
const char *vs_expo_finish(struct vs_expo *x, size_t *len);
/* The Content-Type of the format */
const char *vs_expo_content_type(const struct vs_expo *x);
/* Whether an Accept header asks for OpenMetrics. */
bool vs_expo_wants_openmetrics(const char *accept);

#endif
