/* SPDX-License-Identifier: BSD-3-Clause */
/* Logging of the control thread: one rte_log type, "vsw.ctl". Control thread only. */
#ifndef VS_LOG_H
#define VS_LOG_H

#include <inttypes.h>

#include <rte_log.h>

#include "control/model/ratelimit.h"

extern int vs_logtype_ctl;

/* Before rte_eal_init: log lines get a timestamp unless the journal stamps them. */
void vs_log_init(void);

#define VS_LOG(level, fmt, ...)                                                        \
	rte_log(RTE_LOG_##level, vs_logtype_ctl, "vsw: " fmt "\n", ##__VA_ARGS__)

/*
 * A line that a control client or a VM can trigger: at most VS_LOG_LINES_PER_S per second
 * from this call site (ratelimit.h says why rte_log needs this). The state is per call site
 * and not shared between threads: use it only from the thread that owns the call site.
 */
#define VS_LOG_RL(level, fmt, ...)                                                     \
	do {                                                                           \
		static struct vs_log_limit rl_;                                        \
		uint64_t sup_;                                                         \
		if (!vs_log_limit_pass(&rl_, vs_now_ms(), &sup_))                      \
			break;                                                         \
		if (sup_ != 0)                                                         \
			VS_LOG(level, fmt " (%" PRIu64 " more suppressed)", ##__VA_ARGS__, \
			       sup_);                                                  \
		else                                                                   \
			VS_LOG(level, fmt, ##__VA_ARGS__);                             \
	} while (0)

#endif
