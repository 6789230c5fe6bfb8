/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The metrics endpoint: libevent's evhttp on the control thread's event base, serving
 * GET /metrics (Prometheus text, or OpenMetrics when the client's Accept asks for it) on
 * metrics.listen. Off when metrics.listen is "". Control thread only.
 */
#ifndef VS_METRICS_HTTP_H
#define VS_METRICS_HTTP_H

#include <event2/event.h>
#include <jansson.h>

#include "control/metrics/listen.h"
#include "control/model/err.h"

int vs_metrics_start(struct event_base *base, const struct vs_listen *l, struct vs_err *e);
void vs_metrics_stop(void);
/* {"listen", "scrapes", "errors", "not_found", "bad_method", "last_scrape_ms", "last_bytes"}
 * for control.show */
json_t *vs_metrics_to_json(void);

#endif
