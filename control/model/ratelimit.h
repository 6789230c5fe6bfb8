/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Limits on what control clients can make vswd do: a token bucket (requests per client) and
 * a log-line limiter. Pure (no DPDK): times are passed in, in milliseconds.
 *
 * Why our own log limiter: DPDK's rte_log has none (RTE_LOG writes every call), and a client
 * (or a VM reconnecting in a loop) that triggers a log line per request could fill the
 * journal and the disk. VS_LOG_RL (log.h) keeps one limiter per call site.
 */
#ifndef VS_RATELIMIT_H
#define VS_RATELIMIT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

/* A token bucket in thousandths of a token; one owner thread. */
struct vs_bucket {
	uint64_t milli;	/* tokens x 1000 */
	uint64_t last_ms;
};

void vs_bucket_init(struct vs_bucket *b, uint32_t burst, uint64_t now_ms);
/* Takes one token if there is one: true. */
bool vs_bucket_take(struct vs_bucket *b, uint32_t rate_per_s, uint32_t burst, uint64_t now_ms);
/* Milliseconds until the next token (at least 1). */
uint64_t vs_bucket_wait_ms(const struct vs_bucket *b, uint32_t rate_per_s);

#define VS_LOG_LINES_PER_S 10

/* Up to VS_LOG_LINES_PER_S lines per second per call site; the first line of a later second
 * says how many were suppressed. One per call site; each call site is called by one thread. */
struct vs_log_limit {
	uint64_t window_ms;
	uint32_t n;
	uint64_t suppressed;
};

/* Every line suppressed anywhere, for control.show (any thread). */
extern _Atomic uint64_t vs_log_suppressed_total;

/* Whether to write the line now; *suppressed: lines dropped since the last written one. */
bool vs_log_limit_pass(struct vs_log_limit *l, uint64_t now_ms, uint64_t *suppressed);

static inline uint64_t vs_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

#endif
