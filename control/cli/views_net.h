/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Human views of the uplink and policy commands (bond.show, qos.show, policy.list,
 * policy.show, conntrack.show), on the writer; views.c dispatches to them. Single-threaded.
 */
#ifndef VS_CLI_VIEWS_NET_H
#define VS_CLI_VIEWS_NET_H

#include <jansson.h>

#include "writer.h"

void vs_view_bond_show(struct vs_writer *w, const json_t *res);
void vs_view_qos_show(struct vs_writer *w, const json_t *res);
void vs_view_policy_list(struct vs_writer *w, const json_t *res);
void vs_view_policy_show(struct vs_writer *w, const json_t *res);
void vs_view_conntrack_show(struct vs_writer *w, const json_t *res);

#endif
