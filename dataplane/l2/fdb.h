/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The MAC table (FDB): one rte_hash keyed by {MAC, VLAN} for all VLANs, in
 * lock-free reader mode. Single writer: the control thread (control/l2/fdb.c)
 * adds, moves and deletes entries; workers only look up, refresh last_seen and
 * report new or moved sources as learn events on their own SPSC ring.
 * Deleted keys are reclaimed through rte_hash's RCU integration.
 */
#ifndef VS_FDB_H
#define VS_FDB_H

#include <stdatomic.h>
#include <stdint.h>

#include "vs_types.h"

struct rte_hash;
struct rte_rcu_qsbr_dq;

struct vs_fdb_key {
	uint8_t mac[6];
	uint16_t vid;
};

struct vs_fdb_entry {
	_Atomic uint16_t port;	// cp: w; dp: r
	uint8_t is_static;	// cp: w before the key is published
	uint8_t in_use;	// cp only
	_Atomic uint32_t last_seen;	// dp: w (relaxed, when it changes); cp: r
	struct vs_fdb_key key;	// cp only
};

/* A learn event: a worker saw key's source on port. 16 bytes, ring element. */
struct vs_learn_event {
	struct vs_fdb_key key;
	uint16_t port;
	uint16_t pad[3];
};

struct vs_fdb {
	struct rte_hash *h;	// dp: lookup; cp: add/del
	struct vs_fdb_entry *entries;	/* data = index + 1 into this array */
	uint32_t size;
	/* cp only */
	struct rte_rcu_qsbr_dq *dq;	/* deleted keys waiting for a grace period */
	uint32_t *free_list;
	uint32_t n_free;
	uint32_t aging_s;
	uint64_t learned, moved, aged, full, flushed, static_conflicts, limited;
	uint32_t port_macs[VS_MAX_PORTS];	/* learned (not static) entries per port */
	uint64_t port_limited[VS_MAX_PORTS];	/* sources not learned: the port's mac_limit */
};

#endif
