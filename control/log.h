/* SPDX-License-Identifier: BSD-3-Clause */
/* Logging of the control thread: one rte_log type, "vsw.ctl". */
#ifndef VS_LOG_H
#define VS_LOG_H

#include <rte_log.h>

extern int vs_logtype_ctl;

#define VS_LOG(level, fmt, ...)                                                        \
	rte_log(RTE_LOG_##level, vs_logtype_ctl, "vsw: " fmt "\n", ##__VA_ARGS__)

#endif
