/* SPDX-License-Identifier: BSD-3-Clause */
/* Token bucket and log-line limiter (see ratelimit.h). Pure. */
#include "control/model/ratelimit.h"

_Atomic uint64_t vs_log_suppressed_total;

void vs_bucket_init(struct vs_bucket *b, uint32_t burst, uint64_t now_ms)
{
	b->milli = (uint64_t)burst * 1000;
	b->last_ms = now_ms;
}

bool vs_bucket_take(struct vs_bucket *b, uint32_t rate_per_s, uint32_t burst, uint64_t now_ms)
{
	uint64_t cap = (uint64_t)burst * 1000;
	if (now_ms > b->last_ms) {
		/* rate tokens/s = rate milli-tokens/ms; a long pause refills to the cap anyway,
		 * so elapsed is clamped before the multiplication can overflow */
		uint64_t elapsed = now_ms - b->last_ms;
		uint64_t add = (elapsed > 1000000 ? 1000000 : elapsed) * rate_per_s;
		b->milli = b->milli + add > cap ? cap : b->milli + add;
		b->last_ms = now_ms;
	}
	if (b->milli < 1000)
		return false;
	b->milli -= 1000;
	return true;
}

uint64_t vs_bucket_wait_ms(const struct vs_bucket *b, uint32_t rate_per_s)
{
	if (b->milli >= 1000)
		return 1;
	uint64_t need = 1000 - b->milli;
	uint64_t ms = (need + rate_per_s - 1) / rate_per_s;
	return ms ? ms : 1;
}

bool vs_log_limit_pass(struct vs_log_limit *l, uint64_t now_ms, uint64_t *suppressed)
{
	*suppressed = 0;
	if (l->window_ms == 0 || now_ms - l->window_ms >= 1000) {
		l->window_ms = now_ms ? now_ms : 1;
		l->n = 0;
	}
	if (l->n >= VS_LOG_LINES_PER_S) {
		l->suppressed++;
		atomic_fetch_add_explicit(&vs_log_suppressed_total, 1, memory_order_relaxed);
		return false;
	}
	l->n++;
	*suppressed = l->suppressed;
	l->suppressed = 0;
	return true;
}
