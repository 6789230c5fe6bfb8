/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The FDB's single writer (see dataplane/l2/fdb.h). Workers report sources on
 * their learn rings; this thread drains them every couple of milliseconds,
 * adds and moves entries, ages them once a second, and serves the static
 * MAC and flush commands. A deleted key's hash slot and entry are recycled
 * only after an RCU grace period (an rte_rcu_qsbr defer queue), so a worker
 * holding an entry pointer from a lookup never sees it reused. rte_hash's own
 * RCU integration is not used: 22.11 cannot reclaim its queue on demand.
 */
#include <errno.h>
#include <string.h>

#include <rte_hash.h>
#include <rte_hash_crc.h>
#include <rte_malloc.h>

#include "control/l2/fdb.h"
#include "vs_types.h"
#include "control/core/state.h"
#include "control/model/config.h"
#include "control/model/err.h"
#include "control/model/vlan_set.h"
#include "dataplane/l2/fdb.h"
#include "dataplane/worker/dp.h"

struct deferred {
	int32_t pos;	/* hash key slot */
	uint32_t idx;	/* entry */
};

static void reclaim(void *p, void *elems, unsigned int n)
{
	struct vs_fdb *f = p;
	struct deferred *d = elems;
	for (unsigned int i = 0; i < n; i++) {
		rte_hash_free_key_with_position(f->h, d[i].pos);
		f->entries[d[i].idx].in_use = 0;
		f->free_list[f->n_free++] = d[i].idx;
	}
}

static void reclaim_ready(struct vs_fdb *f)
{
	unsigned int freed, pending, avail;
	rte_rcu_qsbr_dq_reclaim(f->dq, f->size, &freed, &pending, &avail);
}

/* rte_hash compares keys with memcmp unless told otherwise; ours are one 8-byte word. */
static int key_cmp(const void *a, const void *b, size_t len)
{
	uint64_t x, y;
	(void)len;
	memcpy(&x, a, sizeof(x));
	memcpy(&y, b, sizeof(y));
	return x != y;
}

struct vs_fdb *vs_fdb_create(uint32_t size, uint32_t aging_s, struct rte_rcu_qsbr *qsbr)
{
	struct vs_fdb *f = rte_zmalloc("vs_fdb", sizeof(*f), RTE_CACHE_LINE_SIZE);
	if (f == NULL)
		return NULL;
	f->size = size;
	f->aging_s = aging_s;
	f->entries = rte_zmalloc("vs_fdb_entries", sizeof(*f->entries) * size,
				 RTE_CACHE_LINE_SIZE);
	f->free_list = rte_malloc("vs_fdb_free", sizeof(*f->free_list) * size, 0);
	if (f->entries == NULL || f->free_list == NULL)
		goto err;
	for (uint32_t i = 0; i < size; i++)
		f->free_list[i] = size - 1 - i;
	f->n_free = size;

	/* 1/8 headroom so cuckoo collisions do not hit before the size limit. */
	struct rte_hash_parameters hp = {
		.name = "vs_fdb",
		.entries = size + size / 8,
		.key_len = sizeof(struct vs_fdb_key),
		.hash_func = rte_hash_crc,
		.socket_id = SOCKET_ID_ANY,
		.extra_flag = RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF,
	};
	f->h = rte_hash_create(&hp);
	if (f->h == NULL)
		goto err;
	rte_hash_set_cmp_func(f->h, key_cmp);
	struct rte_rcu_qsbr_dq_parameters dp = {
		.name = "vs_fdb_dq",
		.size = size,
		.esize = sizeof(struct deferred),
		.trigger_reclaim_limit = 64,
		.max_reclaim_size = 1024,
		.free_fn = reclaim,
		.p = f,
		.v = qsbr,
	};
	f->dq = rte_rcu_qsbr_dq_create(&dp);
	if (f->dq == NULL)
		goto err;
	return f;
err:
	vs_fdb_destroy(f);
	return NULL;
}

void vs_fdb_destroy(struct vs_fdb *f)
{
	if (f == NULL)
		return;
	rte_rcu_qsbr_dq_delete(f->dq);
	rte_hash_free(f->h);
	rte_free(f->entries);
	rte_free(f->free_list);
	rte_free(f);
}

static int lookup(struct vs_fdb *f, const struct vs_fdb_key *k, struct vs_fdb_entry **e)
{
	void *data;
	if (rte_hash_lookup_data(f->h, k, &data) < 0)
		return -ENOENT;
	*e = &f->entries[(uintptr_t)data - 1];
	return 0;
}

/*
 * Per-port MAC limit (port mac_limit): a VM cannot fill the table every VLAN shares. At the
 * limit the port's rt->macs_full tells its workers to stop reporting new sources, so a VM
 * spraying source MACs does not flood the learn rings either; its frames are still switched
 * (unknown destinations flood, as with a full table).
 */
static bool at_limit(const struct vs_fdb *f, uint16_t port)
{
	uint32_t limit = vs_st.ports[port].cfg.mac_limit;
	return limit != 0 && f->port_macs[port] >= limit;
}

static void update_full(const struct vs_fdb *f, uint16_t port)
{
	if (port >= VS_MAX_PORTS || !vs_st.ports[port].in_use || vs_st.ports[port].rt == NULL)
		return;
	uint8_t full = at_limit(f, port);
	if (atomic_load_explicit(&vs_st.ports[port].rt->macs_full, memory_order_relaxed) != full)
		atomic_store_explicit(&vs_st.ports[port].rt->macs_full, full,
				      memory_order_relaxed);
}

static void count_mac(struct vs_fdb *f, uint16_t port, int delta)
{
	if (port >= VS_MAX_PORTS)
		return;
	f->port_macs[port] = (uint32_t)((int64_t)f->port_macs[port] + delta);
	update_full(f, port);
}

static int add(struct vs_fdb *f, const struct vs_fdb_key *k, uint16_t port, bool is_static)
{
	if (f->n_free == 0) {
		/* the defer queue may hold entries past their grace period */
		reclaim_ready(f);
		if (f->n_free == 0) {
			f->full++;
			return -ENOSPC;
		}
	}
	uint32_t idx = f->free_list[--f->n_free];
	struct vs_fdb_entry *e = &f->entries[idx];
	atomic_store_explicit(&e->port, port, memory_order_relaxed);
	atomic_store_explicit(&e->last_seen, atomic_load(&vs_dp.clock_s), memory_order_relaxed);
	e->is_static = is_static;
	e->in_use = 1;
	e->key = *k;
	/* rte_hash publishes the key with release semantics after the data above. */
	if (rte_hash_add_key_data(f->h, k, (void *)(uintptr_t)(idx + 1)) < 0) {
		e->in_use = 0;
		f->free_list[f->n_free++] = idx;
		f->full++;
		return -ENOSPC;
	}
	if (!is_static)
		count_mac(f, port, 1);
	return 0;
}

static void learn(struct vs_fdb *f, const struct vs_learn_event *ev)
{
	struct vs_fdb_entry *e;

	if (ev->port >= VS_MAX_PORTS || !vs_st.ports[ev->port].in_use)
		return;	/* the port left while the event was queued */
	if (lookup(f, &ev->key, &e) == 0) {
		if (e->is_static) {
			f->static_conflicts++;
			return;
		}
		uint16_t was = atomic_load_explicit(&e->port, memory_order_relaxed);
		if (was != ev->port) {
			if (at_limit(f, ev->port)) {
				f->limited++;
				f->port_limited[ev->port]++;
				return;
			}
			atomic_store_explicit(&e->port, ev->port, memory_order_relaxed);
			count_mac(f, was, -1);
			count_mac(f, ev->port, 1);
			f->moved++;
		}
		atomic_store_explicit(&e->last_seen, atomic_load(&vs_dp.clock_s),
				      memory_order_relaxed);
		return;
	}
	if (at_limit(f, ev->port)) {
		f->limited++;
		f->port_limited[ev->port]++;
		return;
	}
	if (add(f, &ev->key, ev->port, false) == 0)
		f->learned++;
}

void vs_fdb_drain_learn(struct vs_fdb *f)
{
	struct vs_learn_event ev[64];
	for (uint16_t w = 0; w < vs_dp.n_workers; w++) {
		unsigned int n;
		do {
			n = rte_ring_sc_dequeue_burst_elem(vs_dp.workers[w].learn_ring, ev,
							   sizeof(ev[0]), 64, NULL);
			for (unsigned int i = 0; i < n; i++)
				learn(f, &ev[i]);
		} while (n == 64);
	}
}

static void del_entry(struct vs_fdb *f, struct vs_fdb_entry *e)
{
	struct deferred d = { .pos = rte_hash_del_key(f->h, &e->key),
			      .idx = (uint32_t)(e - f->entries) };
	if (e->in_use == 1 && !e->is_static)
		count_mac(f, atomic_load_explicit(&e->port, memory_order_relaxed), -1);
	e->in_use = 2;	/* deleted, waiting for a grace period: skipped by walks */
	if (d.pos < 0)
		return;
	if (rte_rcu_qsbr_dq_enqueue(f->dq, &d) != 0) {
		/* cannot happen (the queue holds every entry), but never leak */
		rte_rcu_qsbr_synchronize(vs_dp.qsbr, RTE_QSBR_THRID_INVALID);
		reclaim(f, &d, 1);
	}
}

void vs_fdb_age(struct vs_fdb *f, uint32_t now)
{
	for (uint32_t i = 0; i < f->size; i++) {
		struct vs_fdb_entry *e = &f->entries[i];
		if (e->in_use != 1 || e->is_static)
			continue;
		if (now - atomic_load_explicit(&e->last_seen, memory_order_relaxed) >= f->aging_s) {
			del_entry(f, e);
			f->aged++;
		}
	}
	reclaim_ready(f);
	/* a mac_limit changed by port set takes effect here, within a second */
	for (uint16_t p = 0; p < VS_MAX_PORTS; p++)
		update_full(f, p);
}

int vs_fdb_add_static(struct vs_fdb *f, uint16_t vlan, const uint8_t mac[6], uint16_t port,
		      struct vs_err *err)
{
	struct vs_fdb_key k = { .vid = vlan };
	struct vs_fdb_entry *e;

	memcpy(k.mac, mac, 6);
	if (lookup(f, &k, &e) == 0) {
		if (e->is_static && atomic_load(&e->port) != port)
			return vs_err_set(err, EEXIST, "args.mac",
					  "already a static MAC on another port; delete it first");
		/* turn a learned entry into a static one */
		if (!e->is_static)
			count_mac(f, atomic_load(&e->port), -1);
		atomic_store(&e->port, port);
		e->is_static = 1;
		return 0;
	}
	if (add(f, &k, port, true) < 0)
		return vs_err_set(err, ENOSPC, "args.mac", "the MAC table is full (%u entries)",
				  f->size);
	return 0;
}

int vs_fdb_del(struct vs_fdb *f, uint16_t vlan, const uint8_t mac[6])
{
	struct vs_fdb_key k = { .vid = vlan };
	struct vs_fdb_entry *e;
	memcpy(k.mac, mac, 6);
	if (lookup(f, &k, &e) < 0)
		return -ENOENT;
	del_entry(f, e);
	return 0;
}

unsigned int vs_fdb_flush_vlans(struct vs_fdb *f, const struct vs_vlan_set *vlans, uint16_t port,
				bool statics)
{
	unsigned int n = 0;
	for (uint32_t i = 0; i < f->size; i++) {
		struct vs_fdb_entry *e = &f->entries[i];
		if (e->in_use != 1 || (e->is_static && !statics))
			continue;
		if ((vlans != NULL && !vs_vlan_set_has(vlans, e->key.vid)) ||
		    (port != VS_PORT_NONE && atomic_load(&e->port) != port))
			continue;
		del_entry(f, e);
		n++;
	}
	f->flushed += n;
	return n;
}

unsigned int vs_fdb_flush(struct vs_fdb *f, uint16_t vlan, uint16_t port, bool statics)
{
	struct vs_vlan_set one = { 0 };
	vs_vlan_set_add(&one, vlan);
	return vs_fdb_flush_vlans(f, vlan != 0 ? &one : NULL, port, statics);
}

void vs_fdb_count_by_vlan(const struct vs_fdb *f, uint32_t counts[VS_VLAN_COUNT])
{
	memset(counts, 0, sizeof(uint32_t) * VS_VLAN_COUNT);
	for (uint32_t i = 0; i < f->size; i++)
		if (f->entries[i].in_use == 1)
			counts[f->entries[i].key.vid & (VS_VLAN_COUNT - 1)]++;
}

uint32_t vs_fdb_count(const struct vs_fdb *f, uint16_t vlan)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < f->size; i++)
		if (f->entries[i].in_use == 1 && (vlan == 0 || f->entries[i].key.vid == vlan))
			n++;
	return n;
}

json_t *vs_fdb_to_json(const struct vs_fdb *f, uint16_t vlan, uint16_t port, uint32_t now)
{
	json_t *a = json_array();
	for (uint32_t i = 0; i < f->size; i++) {
		const struct vs_fdb_entry *e = &f->entries[i];
		uint16_t at = atomic_load(&e->port);
		char mac[18];
		if (e->in_use != 1 || (vlan != 0 && e->key.vid != vlan) ||
		    (port != VS_PORT_NONE && at != port) || !vs_st.ports[at].in_use)
			continue;
		vs_mac_format(e->key.mac, mac);
		json_t *o = json_pack("{s:i, s:s, s:s, s:b}", "vlan", e->key.vid, "mac", mac, "port",
				      vs_st.ports[at].cfg.name, "static", e->is_static);
		if (!e->is_static)
			json_object_set_new(o, "age", json_integer(now - atomic_load(&e->last_seen)));
		json_array_append_new(a, o);
	}
	return a;
}

json_t *vs_fdb_statics_to_json(const struct vs_fdb *f)
{
	json_t *a = json_array();
	for (uint32_t i = 0; i < f->size; i++) {
		const struct vs_fdb_entry *e = &f->entries[i];
		if (e->in_use != 1 || !e->is_static)
			continue;
		struct vs_static_mac m = { .vlan = e->key.vid };
		memcpy(m.mac, e->key.mac, 6);
		snprintf(m.port, sizeof(m.port), "%s", vs_st.ports[atomic_load(&e->port)].cfg.name);
		json_array_append_new(a, vs_static_mac_to_json(&m));
	}
	return a;
}

json_t *vs_fdb_stats_json(const struct vs_fdb *f)
{
	return json_pack("{s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i}", "entries",
			 (json_int_t)vs_fdb_count(f, 0), "size", (json_int_t)f->size, "aging_s",
			 (json_int_t)f->aging_s, "learned", (json_int_t)f->learned, "moved",
			 (json_int_t)f->moved, "aged", (json_int_t)f->aged, "full",
			 (json_int_t)f->full, "flushed", (json_int_t)f->flushed,
			 "static_conflicts", (json_int_t)f->static_conflicts, "limited",
			 (json_int_t)f->limited);
}
