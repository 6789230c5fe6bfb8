/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The connection table's control side (see dataplane/policy/policy_dp.h): creation, expiry once a
 * second by per-protocol and TCP-state timeouts, and its JSON view. Workers add connections;
 * this thread alone deletes them, and frees their hash key slots only after an RCU grace
 * period, so a worker holding a position from a lookup never sees it reused.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_hash.h>
#include <rte_hash_crc.h>
#include <rte_malloc.h>

#include "vs_types.h"
#include "control/core/state.h"
#include "control/model/netpol_cfg.h"
#include "control/policy/acl.h"
#include "dataplane/policy/flow.h"
#include "dataplane/policy/policy_dp.h"
#include "dataplane/worker/dp.h"

static const char *const state_names[] = { "new", "established", "fin", "closed", "dead" };

/* The fragment table (policy_dp.h): as the connection table, workers add, this thread deletes. */
static int frags_init(struct vs_frags *fr, const struct vs_conntrack_cfg *cfg)
{
	struct rte_hash_parameters hp = {
		.name = "vs_frags",
		.entries = cfg->fragments + cfg->fragments / 2,
		.key_len = sizeof(struct vs_frag_key),
		.hash_func = rte_hash_crc,
		.socket_id = SOCKET_ID_ANY,
		.extra_flag = RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF |
			      RTE_HASH_EXTRA_FLAGS_MULTI_WRITER_ADD,
	};
	fr->size = cfg->fragments;
	fr->per_port = cfg->fragments_per_port;
	fr->h = rte_hash_create(&hp);
	if (fr->h == NULL)
		return -ENOMEM;
	fr->n_pos = rte_hash_max_key_id(fr->h) + 1;
	fr->e = rte_zmalloc("vs_frag_entries", sizeof(*fr->e) * fr->n_pos, RTE_CACHE_LINE_SIZE);
	return fr->e == NULL ? -ENOMEM : 0;
}

struct vs_ct *vs_ct_create(const struct vs_conntrack_cfg *cfg)
{
	struct vs_ct *ct = rte_zmalloc("vs_ct", sizeof(*ct), RTE_CACHE_LINE_SIZE);
	if (ct == NULL)
		return NULL;
	ct->size = cfg->size;
	ct->per_port = cfg->per_port;
	/* two keys per connection, and headroom against cuckoo collisions */
	uint32_t entries = 2 * cfg->size + cfg->size / 2;
	struct rte_hash_parameters hp = {
		.name = "vs_ct",
		.entries = entries,
		.key_len = sizeof(struct vs_ct_key),
		.hash_func = rte_hash_crc,
		.socket_id = SOCKET_ID_ANY,
		/* Workers add (serialised by rte_hash on add only); lookups are lock-free. */
		.extra_flag = RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF |
			      RTE_HASH_EXTRA_FLAGS_MULTI_WRITER_ADD,
	};
	ct->h = rte_hash_create(&hp);
	if (ct->h == NULL)
		goto err;
	/* rte_hash hands out positions up to its internal slot count, which exceeds entries
	 * with per-lcore caches: size the side arrays by what it can return. */
	ct->n_pos = rte_hash_max_key_id(ct->h) + 1;
	ct->conns = rte_zmalloc("vs_ct_conns", sizeof(*ct->conns) * ct->n_pos, RTE_CACHE_LINE_SIZE);
	ct->link = rte_zmalloc("vs_ct_link", sizeof(*ct->link) * ct->n_pos, RTE_CACHE_LINE_SIZE);
	if (ct->conns == NULL || ct->link == NULL)
		goto err;
	if (frags_init(&ct->frags, cfg) < 0)
		goto err;
	return ct;
err:
	vs_ct_destroy(ct);
	return NULL;
}

void vs_ct_destroy(struct vs_ct *ct)
{
	if (ct == NULL)
		return;
	rte_hash_free(ct->h);
	rte_hash_free(ct->frags.h);
	rte_free(ct->frags.e);
	rte_free(ct->conns);
	rte_free(ct->link);
	rte_free(ct);
}

static uint32_t timeout(const struct vs_ct_conn *c, const struct vs_conntrack_cfg *cfg)
{
	uint8_t st = atomic_load_explicit(&c->state, memory_order_relaxed);
	if (st == VS_CT_DEAD)
		return 0;
	switch (c->key.proto) {
	case VS_PROTO_TCP:
		return st == VS_CT_NEW ? cfg->tcp_syn :
		       st == VS_CT_ESTABLISHED ? cfg->tcp_established :
		       st == VS_CT_FIN ? cfg->tcp_fin : cfg->tcp_closed;
	case VS_PROTO_UDP:
	case VS_PROTO_SCTP:
		return st == VS_CT_NEW ? cfg->udp_new : cfg->udp_established;
	case VS_PROTO_ICMP:
	case VS_PROTO_ICMPV6:
		return cfg->icmp;
	default:
		return cfg->other;
	}
}

static bool is_conn(const struct vs_ct *ct, uint32_t pos)
{
	return atomic_load_explicit(&ct->link[pos], memory_order_acquire) == ((pos << 1) + 1) &&
	       atomic_load_explicit(&ct->conns[pos].live, memory_order_acquire);
}

/* Deleted keys' slots, once no worker can hold their positions any more. */
static void release(struct vs_ct *ct, const int32_t *freed, uint32_t n)
{
	rte_rcu_qsbr_synchronize(vs_dp.qsbr, RTE_QSBR_THRID_INVALID);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t p = (uint32_t)freed[i];
		if (atomic_load_explicit(&ct->link[p], memory_order_relaxed) == (p << 1) + 1) {
			atomic_store_explicit(&ct->conns[p].live, 0, memory_order_relaxed);
			atomic_fetch_sub_explicit(&ct->count, 1, memory_order_relaxed);
			atomic_fetch_sub_explicit(&ct->port_count[ct->conns[p].charged], 1,
						  memory_order_relaxed);
		}
		atomic_store_explicit(&ct->link[p], VS_CT_LINK_NONE, memory_order_release);
		rte_hash_free_key_with_position(ct->h, (int32_t)p);
	}
}

/* Expires datagrams not seen for the fragment timeout, and those of port `gone` (or none:
 * VS_PORT_NONE); their slots are reused only after a grace period, so a worker holding a
 * position never sees another datagram's entry. */
static void frags_expire(struct vs_frags *fr, uint32_t timeout, uint32_t now, uint16_t gone)
{
	int32_t freed[1024];
	uint32_t n = 0;

	for (uint32_t pos = 0; pos < fr->n_pos; pos++) {
		struct vs_frag_entry *e = &fr->e[pos];
		if (!atomic_load_explicit(&e->live, memory_order_acquire))
			continue;
		/* 0: the worker that made it live has not charged it yet */
		uint16_t charged = atomic_load_explicit(&e->charged, memory_order_acquire);
		if (charged == 0)
			continue;
		if (now - atomic_load_explicit(&e->last_seen, memory_order_relaxed) < timeout &&
		    e->in_port != gone && e->out_port != gone)
			continue;
		void *k;
		if (rte_hash_get_key_with_position(fr->h, (int32_t)pos, &k) == 0)
			rte_hash_del_key(fr->h, k);
		atomic_store_explicit(&e->live, 0, memory_order_release);
		atomic_store_explicit(&e->charged, 0, memory_order_relaxed);
		atomic_fetch_sub_explicit(&fr->count, 1, memory_order_relaxed);
		atomic_fetch_sub_explicit(&fr->port_count[charged - 1], 1, memory_order_relaxed);
		fr->expired++;
		freed[n++] = (int32_t)pos;
		if (n == sizeof(freed) / sizeof(freed[0])) {
			rte_rcu_qsbr_synchronize(vs_dp.qsbr, RTE_QSBR_THRID_INVALID);
			for (uint32_t i = 0; i < n; i++)
				rte_hash_free_key_with_position(fr->h, freed[i]);
			n = 0;
		}
	}
	if (n > 0) {
		rte_rcu_qsbr_synchronize(vs_dp.qsbr, RTE_QSBR_THRID_INVALID);
		for (uint32_t i = 0; i < n; i++)
			rte_hash_free_key_with_position(fr->h, freed[i]);
	}
}

/* Deletes what timed out, and everything of port `gone` (VS_PORT_NONE: none). */
static void sweep(struct vs_ct *ct, const struct vs_conntrack_cfg *cfg, uint32_t now,
		  uint16_t gone)
{
	frags_expire(&ct->frags, cfg->fragment, now, gone);

	int32_t freed[1024];
	uint32_t n = 0;

	/* In rounds of up to 512 connections: each round waits one grace period. */
	for (uint32_t pos = 0; pos < ct->n_pos; pos++) {
		if (!is_conn(ct, pos))
			continue;
		struct vs_ct_conn *c = &ct->conns[pos];
		uint32_t seen = atomic_load_explicit(&c->last_seen, memory_order_relaxed);
		uint32_t to = timeout(c, cfg);
		if (to != 0 && now - seen < to && c->in_port != gone && c->out_port != gone)
			continue;
		if (atomic_load_explicit(&c->state, memory_order_relaxed) == VS_CT_DEAD)
			ct->deleted_dead++;
		else
			ct->expired++;
		rte_hash_del_key(ct->h, &c->key);
		freed[n++] = (int32_t)pos;
		if (c->rev_pos >= 0) {
			void *rk;
			if (rte_hash_get_key_with_position(ct->h, c->rev_pos, &rk) == 0)
				rte_hash_del_key(ct->h, rk);
			freed[n++] = c->rev_pos;
		}
		if (n + 2 > sizeof(freed) / sizeof(freed[0])) {
			release(ct, freed, n);
			n = 0;
		}
	}
	if (n > 0)
		release(ct, freed, n);
}

void vs_ct_expire(struct vs_ct *ct, const struct vs_conntrack_cfg *cfg, uint32_t now)
{
	sweep(ct, cfg, now, VS_PORT_NONE);
}

/* A removed port's connections and datagrams go with it: a port that takes its slot next
 * starts with its whole share, and no reply finds a path to it through them. */
void vs_ct_forget_port(struct vs_ct *ct, const struct vs_conntrack_cfg *cfg, uint32_t now,
		       uint16_t slot)
{
	if (ct != NULL)	/* NULL: unit tests without a data path */
		sweep(ct, cfg, now, slot);
}

static json_t *tuple_json(const struct vs_ct_key *k)
{
	struct vs_ip a = { .family = k->family }, b = { .family = k->family };
	char s[64], d[64];
	memcpy(a.addr, k->src, 16);
	memcpy(b.addr, k->dst, 16);
	vs_ip_format(&a, s, sizeof(s));
	vs_ip_format(&b, d, sizeof(d));
	return json_pack("{s:i, s:i, s:s, s:s, s:i, s:i}", "vlan", k->vid, "proto", k->proto, "src",
			 s, "dst", d, "sport", k->sport, "dport", k->dport);
}

/* What each port holds of its shares, for ports holding any. */
static json_t *ports_json(const struct vs_ct *ct)
{
	json_t *o = json_object();
	for (uint16_t p = 0; p < VS_MAX_PORTS; p++) {
		uint32_t conns = atomic_load_explicit(&ct->port_count[p], memory_order_relaxed);
		uint32_t frags = atomic_load_explicit(&ct->frags.port_count[p], memory_order_relaxed);
		if ((conns == 0 && frags == 0) || !vs_st.ports[p].in_use)
			continue;
		json_object_set_new(o, vs_st.ports[p].cfg.name,
				    json_pack("{s:I, s:I}", "connections", (json_int_t)conns,
					      "fragments", (json_int_t)frags));
	}
	return o;
}

json_t *vs_ct_to_json(const struct vs_ct *ct, const struct vs_conntrack_cfg *cfg, uint32_t now,
		      size_t limit)
{
	uint64_t created = 0, revalidated = 0, revoked = 0, full = 0;
	uint64_t frag_tracked = 0, frag_no_first = 0, frag_full = 0, off_path = 0;
	uint64_t port_limit = 0, frag_port_limit = 0;
	uint32_t states[5] = { 0 };
	json_t *list = json_array();

	for (uint16_t w = 0; w < vs_dp.n_workers; w++) {
		created += vs_dp.workers[w].ct_created;
		revalidated += vs_dp.workers[w].ct_revalidated;
		revoked += vs_dp.workers[w].ct_revoked;
		frag_tracked += vs_dp.workers[w].frag_tracked;
		off_path += vs_dp.workers[w].ct_off_path;
		for (int p = 0; p < VS_MAX_PORTS; p++) {
			const uint64_t *d = vs_dp.workers[w].ports[p].drops;
			full += d[VS_DROP_CONNTRACK_FULL];
			frag_no_first += d[VS_DROP_FRAG_NO_FIRST];
			frag_full += d[VS_DROP_FRAG_TABLE_FULL];
			port_limit += d[VS_DROP_CONNTRACK_PORT_LIMIT];
			frag_port_limit += d[VS_DROP_FRAG_PORT_LIMIT];
		}
	}
	for (uint32_t pos = 0; pos < ct->n_pos; pos++) {
		if (!is_conn(ct, pos))
			continue;
		const struct vs_ct_conn *c = &ct->conns[pos];
		uint8_t st = atomic_load_explicit(&c->state, memory_order_relaxed);
		states[st < 5 ? st : 4]++;
		if (json_array_size(list) < limit) {
			uint32_t seen = atomic_load_explicit(&c->last_seen, memory_order_relaxed);
			uint32_t to = timeout(c, cfg), age = now - seen;
			json_t *o = tuple_json(&c->key);
			json_object_set_new(o, "state", json_string(state_names[st < 5 ? st : 4]));
			json_object_set_new(o, "expires_in", json_integer(age < to ? to - age : 0));
			json_array_append_new(list, o);
		}
	}
	json_t *by_state = json_object();
	for (int i = 0; i < 5; i++)
		json_object_set_new(by_state, state_names[i], json_integer(states[i]));
	json_t *frags = json_pack(
		"{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "size", (json_int_t)ct->frags.size,
		"count", (json_int_t)atomic_load_explicit(&ct->frags.count, memory_order_relaxed),
		"tracked", (json_int_t)frag_tracked, "expired", (json_int_t)ct->frags.expired,
		"no_first_drops", (json_int_t)frag_no_first, "full_drops", (json_int_t)frag_full,
		"per_port", (json_int_t)ct->frags.per_port, "port_limit_drops",
		(json_int_t)frag_port_limit);
	json_t *r = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:o, s:o, s:o}", "size",
			 (json_int_t)ct->size, "count",
			 (json_int_t)atomic_load_explicit(&ct->count, memory_order_relaxed),
			 "created", (json_int_t)created, "expired", (json_int_t)ct->expired,
			 "revalidated", (json_int_t)revalidated, "revoked", (json_int_t)revoked,
			 "deleted_dead", (json_int_t)ct->deleted_dead, "full_drops", (json_int_t)full,
			 "states", by_state, "timeouts", vs_conntrack_to_json(cfg), "connections",
			 list, "fragments", frags);
	json_object_set_new(r, "off_path", json_integer((json_int_t)off_path));
	json_object_set_new(r, "per_port", json_integer((json_int_t)ct->per_port));
	json_object_set_new(r, "port_limit_drops", json_integer((json_int_t)port_limit));
	json_object_set_new(r, "ports", ports_json(ct));
	return r;
}
