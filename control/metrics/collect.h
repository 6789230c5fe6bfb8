/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The metrics page: every family vswd exports, built from the results of the read-only
 * commands (port.list, stats, worker.stats, vlan.list, conntrack.show, bond.show, qos.show,
 * control.show, version), so Prometheus and vswctl always report the same numbers. The
 * README's "Metrics" section lists the families. Control thread only; costs one call of each
 * of those handlers (no locks: the workers' counters are read as those commands read them).
 */
#ifndef VS_METRICS_COLLECT_H
#define VS_METRICS_COLLECT_H

#include "control/metrics/expo.h"

/* Writes every family into x. */
void vs_metrics_collect(struct vs_expo *x);

#endif
