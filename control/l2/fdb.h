/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The FDB's single writer: learning from the workers' rings, aging, static
 * entries, flushes, listings. Control thread only.
 */
#ifndef VS_CTL_FDB_H
#define VS_CTL_FDB_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>
#include <rte_rcu_qsbr.h>

#include "vs_types.h"
#include "control/model/err.h"
#include "dataplane/l2/fdb.h"

struct vs_fdb *vs_fdb_create(uint32_t size, uint32_t aging_s, struct rte_rcu_qsbr *qsbr);
void vs_fdb_destroy(struct vs_fdb *f);
void vs_fdb_drain_learn(struct vs_fdb *f);	/* from the workers' rings */
void vs_fdb_age(struct vs_fdb *f, uint32_t now);
int vs_fdb_add_static(struct vs_fdb *f, uint16_t vlan, const uint8_t mac[6], uint16_t port,
		      struct vs_err *e);
int vs_fdb_del(struct vs_fdb *f, uint16_t vlan, const uint8_t mac[6]);
/* Remove entries matching vlan (0 = any) and port (VS_PORT_NONE = any). */
unsigned int vs_fdb_flush(struct vs_fdb *f, uint16_t vlan, uint16_t port, bool statics);
/* The same for the VLANs of a set (NULL = any), in one walk of the table. */
unsigned int vs_fdb_flush_vlans(struct vs_fdb *f, const struct vs_vlan_set *vlans, uint16_t port,
				bool statics);
uint32_t vs_fdb_count(const struct vs_fdb *f, uint16_t vlan);
/* Entries of every VLAN at once: counts[vid], one walk of the table. */
void vs_fdb_count_by_vlan(const struct vs_fdb *f, uint32_t counts[VS_VLAN_COUNT]);
json_t *vs_fdb_to_json(const struct vs_fdb *f, uint16_t vlan, uint16_t port, uint32_t now);
json_t *vs_fdb_statics_to_json(const struct vs_fdb *f);
json_t *vs_fdb_stats_json(const struct vs_fdb *f);

#endif
