/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The change transaction: how every change reaches the workers. Control thread only.
 *
 * The caller has changed the model (vs_st's ports, vs_np's policies, networks and
 * namespaces: the staged model) and says what the change touched. vs_change_commit builds
 * the derived tables whose inputs changed, builds the snapshot from them, publishes it and
 * commits; on error it has published nothing and freed what it built, and the caller puts
 * its model back. One function to read: change.c.
 */
#ifndef VS_CHANGE_H
#define VS_CHANGE_H

#include "control/model/err.h"

enum vs_change_scope {
	/* the snapshot's per-port tables (ports added, removed, VLAN, policer, QoS, spoof) */
	VS_CHANGE_PORTS = 1 << 0,
	/* an input of the compiled policy set (policies, networks, namespace labels, what the
	 * compiler reads of a port) */
	VS_CHANGE_POLICY = 1 << 1,
};

int vs_change_commit(unsigned int scope, struct vs_err *e);

#endif
