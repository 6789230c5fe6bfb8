/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * EAL test: two worker lcores race to start conntrack for the same connection (issue #11 §2).
 *
 * Each round, both workers are released together by a spin barrier and handle one packet each
 * of a fresh connection, with the functions and arguments the policy stage (policy.c) uses:
 *   same_start  both start the same key (vs_ct_conn_start), as two workers whose lookups both
 *               missed;
 *   same_path   both run the stage's path for the same key: lookup, and start on a miss;
 *   req_reply   one runs the path for the request, the other for its reply (the reply is
 *               itself trackable, so it starts a connection of its own when its lookup misses).
 * After each batch of rounds the main lcore (the control thread here) checks the table:
 * exactly one live connection per round, or, for a request and reply that both started, two
 * given-up (dead) ones; every hash key accounted for; ct->count, the per-port shares and the
 * workers' ct_created equal to what is in the table; every packet may pass. Then it deletes
 * the connections as the control thread does (vs_ct_expire, vs_ct_forget_port) and checks the
 * table is empty again.
 *
 * Usage: test_ct_race [ROUNDS]. Runs without hugepages on any number of CPUs (both workers on
 * one CPU if there is only one). Exits 0 when every invariant held, 1 otherwise (2: over its
 * time limit).
 */
#include <dirent.h>
#include <inttypes.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_hash.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_pause.h>
#include <rte_rcu_qsbr.h>

#include "control/model/netpol_cfg.h"
#include "control/policy/acl.h"
#include "dataplane/policy/ct_path.h"
#include "dataplane/policy/flow.h"
#include "dataplane/policy/policy_dp.h"
#include "dataplane/worker/dp.h"
#include "dataplane/worker/drops.h"

#define ROUNDS_DEFAULT 30000
#define BATCH 64	/* rounds between two checks */
#define TIME_LIMIT_S 90	/* the whole test */
#define BARRIER_WAIT_S 10	/* a worker waiting this long for the other fails the test */
#define PORT_A 1	/* VM ports (vhost): the request goes A -> B */
#define PORT_B 2
#define VID 100
#define GEN 7

enum kind { SAME_START, SAME_PATH, REQ_REPLY, KINDS };
static const char *const kind_names[] = { "same_start", "same_path", "req_reply" };

struct round {
	uint8_t kind;
	struct vs_flow f[2];	/* the packet each worker handles */
	struct vs_pkt_meta md[2];
	/* written by worker i only */
	uint8_t res[2];	/* enum vs_drop: VS_DROP__COUNT = may pass */
	uint8_t started[2];	/* the lookup missed: it called vs_ct_conn_start */
};

/* One worker's side of a batch. */
struct racer {
	unsigned int lcore;
	unsigned int idx;	/* 0, 1: the packet of each round it handles; its QSBR thread id */
	struct vs_worker *w;
	bool timed_out;
	_Atomic uint32_t done;	/* set when its batch is over (release) */
};

/* Set by main before each launch; workers read them. */
static struct vs_ct *ct;
static struct vs_snapshot *snap;
static struct round rounds[BATCH];
static uint32_t n_rounds, now;

/* A reusable spin barrier for the two workers. */
static _Atomic uint32_t bar_arrived, bar_phase;

static int failures;

#define CHECK(cond, ...)                                                                   \
	do {                                                                               \
		if (!(cond)) {                                                             \
			if (failures++ < 20) {                                             \
				fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
				fprintf(stderr, __VA_ARGS__);                              \
				fputc('\n', stderr);                                       \
			}                                                                  \
		}                                                                          \
	} while (0)

static bool barrier_wait(void)
{
	uint32_t ph = atomic_load_explicit(&bar_phase, memory_order_acquire);
	if (atomic_fetch_add_explicit(&bar_arrived, 1, memory_order_acq_rel) == 1) {
		atomic_store_explicit(&bar_arrived, 0, memory_order_relaxed);
		atomic_store_explicit(&bar_phase, ph + 1, memory_order_release);
		return true;
	}
	uint64_t deadline = rte_get_tsc_cycles() + BARRIER_WAIT_S * rte_get_tsc_hz();
	for (uint32_t spins = 1; atomic_load_explicit(&bar_phase, memory_order_acquire) == ph;
	     spins++) {
		rte_pause();
		if (spins % 4096 == 0) {
			if (rte_get_tsc_cycles() > deadline)
				return false;
			sched_yield();	/* the other worker may share this CPU */
		}
	}
	return true;
}

/*
 * One packet as the policy stage handles it once the ACL allowed it: known_connections()
 * (lookup, link, dead, on path, update) then allowed() (start on a tracked miss).
 */
static enum vs_drop stage_path(struct vs_worker *w, const struct vs_flow *f,
			       const struct vs_pkt_meta *md, uint8_t *started)
{
	struct vs_ct_key k;
	vs_ct_key_make(&k, md->vid, f);
	int32_t pos = rte_hash_lookup(ct->h, &k);
	uint32_t link = pos >= 0 ? atomic_load_explicit(&ct->link[pos], memory_order_acquire) :
				   VS_CT_LINK_NONE;
	if (link == VS_CT_LINK_NONE || link == VS_CT_LINK_BUSY) {
		*started = 1;
		return vs_ct_conn_start(w, ct, &k, f, md, vs_ct_charged_port(snap, md), GEN, now);
	}
	struct vs_ct_conn *c = &ct->conns[(link - 1) >> 1];
	if (atomic_load_explicit(&c->state, memory_order_relaxed) == VS_CT_DEAD)
		return VS_DROP__COUNT;	/* checked as a new packet: the ACL allows it */
	if (!vs_ct_on_path(c, (link - 1) & 1, md)) {
		w->ct_off_path++;	/* cannot happen here: checked by main */
		return VS_DROP__COUNT;
	}
	vs_ct_update(c, (link - 1) & 1, f, now);
	return VS_DROP__COUNT;
}

static int racer_main(void *arg)
{
	struct racer *rc = arg;
	unsigned int me = rc->idx;

	rte_rcu_qsbr_thread_online(vs_dp.qsbr, me);
	for (uint32_t i = 0; i < n_rounds; i++) {
		struct round *r = &rounds[i];
		if (!barrier_wait()) {
			rc->timed_out = true;
			break;
		}
		if (r->kind == SAME_START) {
			struct vs_ct_key k;
			vs_ct_key_make(&k, r->md[me].vid, &r->f[me]);
			r->started[me] = 1;
			r->res[me] = vs_ct_conn_start(rc->w, ct, &k, &r->f[me], &r->md[me],
						      vs_ct_charged_port(snap, &r->md[me]), GEN,
						      now);
		} else {
			r->res[me] = stage_path(rc->w, &r->f[me], &r->md[me], &r->started[me]);
		}
		rte_rcu_qsbr_quiescent(vs_dp.qsbr, me);
	}
	rte_rcu_qsbr_thread_offline(vs_dp.qsbr, me);
	atomic_store_explicit(&rc->done, 1, memory_order_release);
	return 0;
}

/* Round g's request: A -> B, UDP or TCP SYN, IPv4 or IPv6, addresses and ports from g. */
static void request_of(uint32_t g, struct vs_flow *f, struct vs_pkt_meta *md)
{
	memset(f, 0, sizeof(*f));
	f->family = (g / KINDS) % 2 ? 6 : 4;
	f->proto = (g / (2 * KINDS)) % 2 ? VS_PROTO_TCP : VS_PROTO_UDP;
	f->tcp_flags = f->proto == VS_PROTO_TCP ? VS_TCP_SYN : 0;
	f->l4 = true;
	f->sport = (uint16_t)(1024 + g % 50000);
	f->dport = 80;
	if (f->family == 4) {
		uint8_t s[4] = { 10, (uint8_t)(g >> 16), (uint8_t)(g >> 8), (uint8_t)g };
		uint8_t d[4] = { 10, 255, 0, 1 };
		memcpy(f->src, s, 4);
		memcpy(f->dst, d, 4);
	} else {
		f->src[0] = f->dst[0] = 0xfd;
		f->src[12] = (uint8_t)(g >> 24);
		f->src[13] = (uint8_t)(g >> 16);
		f->src[14] = (uint8_t)(g >> 8);
		f->src[15] = (uint8_t)g;
		f->dst[15] = 1;
	}
	memset(md, 0, sizeof(*md));
	md->in_port = PORT_A;
	md->out_port = PORT_B;
	md->vid = VID;
}

static void reply_of(const struct vs_flow *q, struct vs_flow *f, struct vs_pkt_meta *md)
{
	*f = *q;
	memcpy(f->src, q->dst, 16);
	memcpy(f->dst, q->src, 16);
	f->sport = q->dport;
	f->dport = q->sport;
	f->tcp_flags = q->proto == VS_PROTO_TCP ? VS_TCP_SYN | VS_TCP_ACK : 0;
	memset(md, 0, sizeof(*md));
	md->in_port = PORT_B;
	md->out_port = PORT_A;
	md->vid = VID;
}

static bool key_eq(const struct vs_ct_key *a, const struct vs_ct_key *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

static bool is_live_conn(uint32_t pos)
{
	return atomic_load_explicit(&ct->link[pos], memory_order_acquire) == (pos << 1) + 1 &&
	       atomic_load_explicit(&ct->conns[pos].live, memory_order_acquire);
}

/* The live connection whose original key is k, or -1. */
static int32_t conn_at(const struct vs_ct_key *k)
{
	int32_t pos = rte_hash_lookup(ct->h, k);
	return pos >= 0 && is_live_conn((uint32_t)pos) &&
			       key_eq(&ct->conns[pos].key, k) ? pos : -1;
}

struct outcomes {
	uint64_t both_started[KINDS];	/* rounds in which both lookups missed */
	uint64_t cas_lost;	/* a start that found the entry being or already set up */
	uint64_t both_dead;	/* req_reply: request and reply each set one up; both given up */
};

/* A connection started by this round is linked both ways, or (reply races only) given up. */
static void check_linked(uint32_t g, int32_t p, const struct vs_ct_key *k)
{
	const struct vs_ct_conn *c = &ct->conns[p];
	struct vs_ct_key rk;
	vs_ct_key_reverse(&rk, k);
	uint8_t st = atomic_load_explicit(&c->state, memory_order_relaxed);
	CHECK(st != VS_CT_DEAD, "round %u: its one connection was given up", g);
	CHECK(c->rev_pos >= 0 && rte_hash_lookup(ct->h, &rk) == c->rev_pos,
	      "round %u: rev_pos %d is not the reply key's position", g, c->rev_pos);
	if (c->rev_pos >= 0)
		CHECK(atomic_load_explicit(&ct->link[c->rev_pos], memory_order_relaxed) ==
			      vs_ct_link_of((uint32_t)p, true),
		      "round %u: the reply key does not link to its connection", g);
	CHECK(atomic_load_explicit(&c->gen, memory_order_relaxed) == GEN, "round %u: gen", g);
	CHECK(c->charged == c->in_port, "round %u: charged %u, not the sending VM port %u", g,
	      c->charged, c->in_port);
}

static void check_round(uint32_t g, const struct round *r, struct outcomes *o)
{
	struct vs_ct_key k, rk;
	vs_ct_key_make(&k, r->md[0].vid, &r->f[0]);
	vs_ct_key_reverse(&rk, &k);
	int32_t p = conn_at(&k), q = conn_at(&rk);

	for (int i = 0; i < 2; i++)
		CHECK(r->res[i] == VS_DROP__COUNT, "round %u (%s): worker %d got %s, not pass", g,
		      kind_names[r->kind], i,
		      r->res[i] < VS_DROP__COUNT ? vs_drop_name(r->res[i]) : "?");
	if (r->started[0] && r->started[1])
		o->both_started[r->kind]++;
	if (r->kind != REQ_REPLY || q < 0) {
		CHECK(p >= 0, "round %u (%s): no live connection for the key", g, kind_names[r->kind]);
		CHECK(q < 0, "round %u (%s): a connection for the reply key too", g,
		      kind_names[r->kind]);
		if (p >= 0) {
			CHECK(ct->conns[p].in_port == PORT_A && ct->conns[p].out_port == PORT_B,
			      "round %u: ports %u -> %u", g, ct->conns[p].in_port,
			      ct->conns[p].out_port);
			check_linked(g, p, &k);
		}
		return;
	}
	if (p < 0) {	/* the reply won the race: it is the connection, the request its reply */
		CHECK(ct->conns[q].in_port == PORT_B && ct->conns[q].out_port == PORT_A,
		      "round %u: ports %u -> %u", g, ct->conns[q].in_port, ct->conns[q].out_port);
		check_linked(g, q, &rk);
		return;
	}
	/* Both keys are connections: each worker set one up and found the other's key taken. */
	o->both_dead++;
	for (int i = 0; i < 2; i++) {
		const struct vs_ct_conn *c = &ct->conns[i == 0 ? p : q];
		CHECK(atomic_load_explicit(&c->state, memory_order_relaxed) == VS_CT_DEAD &&
			      c->rev_pos == -1,
		      "round %u: two connections for one pair, not both given up (%d: state %u, "
		      "rev_pos %d)",
		      g, i, atomic_load_explicit(&c->state, memory_order_relaxed), c->rev_pos);
	}
}

/*
 * The whole table: every key a connection's own or its reply's, the counts and shares
 * equal to what is there. Returns the live connections.
 */
static uint32_t check_table(uint32_t expect_created)
{
	uint32_t live = 0, keys = 0, linked = 0;
	static uint32_t by_port[VS_MAX_PORTS];

	memset(by_port, 0, sizeof(by_port));
	for (uint32_t pos = 0; pos < ct->n_pos; pos++) {
		uint32_t link = atomic_load_explicit(&ct->link[pos], memory_order_acquire);
		CHECK(link != VS_CT_LINK_BUSY, "position %u still busy after the round", pos);
		if (!is_live_conn(pos))
			continue;
		const struct vs_ct_conn *c = &ct->conns[pos];
		live++;
		by_port[c->charged]++;
		if (c->rev_pos >= 0)
			linked++;
	}
	const void *kp;
	void *data;
	uint32_t it = 0;
	int32_t pos;
	while ((pos = rte_hash_iterate(ct->h, &kp, &data, &it)) >= 0) {
		keys++;
		uint32_t link = atomic_load_explicit(&ct->link[pos], memory_order_relaxed);
		if (link == (uint32_t)(pos << 1) + 1) {
			CHECK(is_live_conn((uint32_t)pos) && key_eq(&ct->conns[pos].key, kp),
			      "key at %d: a connection not live or not of this key", pos);
			continue;
		}
		CHECK(link != VS_CT_LINK_NONE && link != VS_CT_LINK_BUSY && ((link - 1) & 1),
		      "key at %d: linked to nothing (link %u): it would never be deleted", pos,
		      link);
		if (link == VS_CT_LINK_NONE || link == VS_CT_LINK_BUSY || !((link - 1) & 1))
			continue;
		uint32_t owner = (link - 1) >> 1;
		struct vs_ct_key rk;
		vs_ct_key_reverse(&rk, &ct->conns[owner].key);
		CHECK(is_live_conn(owner) && ct->conns[owner].rev_pos == pos && key_eq(&rk, kp),
		      "reply key at %d: its connection at %u does not name it", pos, owner);
	}
	CHECK(keys == live + linked, "%u keys in the hash for %u connections, %u with replies",
	      keys, live, linked);
	uint32_t count = atomic_load_explicit(&ct->count, memory_order_relaxed);
	CHECK(count == live, "ct->count %u, %u live connections", count, live);
	for (uint32_t p = 0; p < VS_MAX_PORTS; p++) {
		uint32_t pc = atomic_load_explicit(&ct->port_count[p], memory_order_relaxed);
		CHECK(pc == by_port[p], "port_count[%u] %u, %u connections charged to it", p, pc,
		      by_port[p]);
	}
	CHECK(expect_created == live, "workers created %u connections, %u in the table",
	      expect_created, live);
	return live;
}

static void check_empty(const char *how)
{
	uint32_t count = atomic_load_explicit(&ct->count, memory_order_relaxed);
	CHECK(count == 0, "after %s: ct->count %u", how, count);
	CHECK(rte_hash_count(ct->h) == 0, "after %s: %d keys left", how, rte_hash_count(ct->h));
	for (uint32_t p = 0; p < VS_MAX_PORTS; p++) {
		uint32_t pc = atomic_load_explicit(&ct->port_count[p], memory_order_relaxed);
		CHECK(pc == 0, "after %s: port_count[%u] %u", how, p, pc);
	}
	for (uint32_t pos = 0; pos < ct->n_pos; pos++) {
		uint32_t link = atomic_load_explicit(&ct->link[pos], memory_order_relaxed);
		CHECK(link == VS_CT_LINK_NONE, "after %s: link[%u] = %u", how, pos, link);
		CHECK(!atomic_load_explicit(&ct->conns[pos].live, memory_order_relaxed),
		      "after %s: conns[%u] still live", how, pos);
	}
}

static uint64_t created(const struct racer *rc)
{
	return rc[0].w->ct_created + rc[1].w->ct_created;
}

/* One batch: launch both workers, wait for them (sleeping: they may need this CPU). */
static bool run_batch(struct racer *rc)
{
	for (int i = 0; i < 2; i++) {
		atomic_store_explicit(&rc[i].done, 0, memory_order_relaxed);
		if (rte_eal_remote_launch(racer_main, &rc[i], rc[i].lcore) != 0) {
			fprintf(stderr, "cannot launch lcore %u\n", rc[i].lcore);
			return false;
		}
	}
	while (!atomic_load_explicit(&rc[0].done, memory_order_acquire) ||
	       !atomic_load_explicit(&rc[1].done, memory_order_acquire))
		usleep(100);
	rte_eal_mp_wait_lcore();
	if (rc[0].timed_out || rc[1].timed_out) {
		fprintf(stderr, "FAIL: a worker waited %d s for the other at the barrier\n",
			BARRIER_WAIT_S);
		return false;
	}
	return true;
}

/* EAL's run-time directory (its mp socket), which rte_eal_cleanup leaves behind. */
static void remove_dir(const char *path)
{
	DIR *d = opendir(path);
	if (d == NULL)
		return;
	for (struct dirent *e; (e = readdir(d)) != NULL;) {
		char f[PATH_MAX];
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0 &&
		    snprintf(f, sizeof(f), "%s/%s", path, e->d_name) < (int)sizeof(f))
			unlink(f);
	}
	closedir(d);
	rmdir(path);
}

static void on_alarm(int sig)
{
	(void)sig;
	static const char msg[] = "FAIL: test_ct_race took longer than its time limit\n";
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(2);
	_exit(2);
}

/* --lcores: main lcore 0 floating over the first two CPUs, worker lcores 1 and 2 on one each. */
static void lcores_arg(char *buf, size_t len)
{
	cpu_set_t set;
	int cpu[2] = { 0, 0 }, n = 0;

	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		for (int c = 0; c < CPU_SETSIZE && n < 2; c++)
			if (CPU_ISSET(c, &set))
				cpu[n++] = c;
	if (n < 2)
		cpu[1] = cpu[0];
	if (cpu[0] == cpu[1])
		snprintf(buf, len, "--lcores=0@%d,1@%d,2@%d", cpu[0], cpu[0], cpu[0]);
	else
		snprintf(buf, len, "--lcores=0@(%d,%d),1@%d,2@%d", cpu[0], cpu[1], cpu[0], cpu[1]);
}

int main(int argc, char **argv)
{
	uint32_t total = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : ROUNDS_DEFAULT;
	char lcores[64];
	struct outcomes o = { 0 };
	uint64_t deleted = 0;

	signal(SIGALRM, on_alarm);
	alarm(TIME_LIMIT_S);
	lcores_arg(lcores, sizeof(lcores));
	char prefix[64];
	snprintf(prefix, sizeof(prefix), "--file-prefix=vsw-ct-race-%d", (int)getpid());
	char *eal[] = { argv[0], "--no-huge", "-m", "64", "--no-pci", "--no-shconf", prefix,
			"--no-telemetry", lcores, "--log-level=lib.eal:warning" };
	if (rte_eal_init((int)RTE_DIM(eal), eal) < 0) {
		fprintf(stderr, "FAIL: rte_eal_init: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	uint64_t t0 = rte_get_tsc_cycles();

	struct vs_conntrack_cfg cfg;
	vs_conntrack_defaults(&cfg);
	cfg.size = 4 * BATCH;
	cfg.per_port = cfg.size;
	cfg.fragments = cfg.fragments_per_port = 64;
	ct = vs_ct_create(&cfg);
	snap = rte_zmalloc("snap", sizeof(*snap), 0);
	size_t qs = rte_rcu_qsbr_get_memsize(2);
	vs_dp.qsbr = rte_zmalloc("qsbr", qs, RTE_CACHE_LINE_SIZE);
	struct vs_worker *w = rte_zmalloc("workers", 2 * sizeof(*w), RTE_CACHE_LINE_SIZE);
	static struct vs_port_rt vm_a = { .type = VS_PORT_VHOST }, vm_b = { .type = VS_PORT_VHOST };
	if (ct == NULL || snap == NULL || vs_dp.qsbr == NULL || w == NULL ||
	    rte_rcu_qsbr_init(vs_dp.qsbr, 2) != 0) {
		fprintf(stderr, "FAIL: setup: out of memory\n");
		return 1;
	}
	snap->ports[PORT_A].rt = &vm_a;
	snap->ports[PORT_B].rt = &vm_b;
	vs_dp.ct = ct;
	vs_dp.workers = w;
	vs_dp.n_workers = 2;

	struct racer rc[2];
	unsigned int lc = rte_get_next_lcore(-1, 1, 0);
	for (unsigned int i = 0; i < 2; i++, lc = rte_get_next_lcore(lc, 1, 0)) {
		if (lc >= RTE_MAX_LCORE) {
			fprintf(stderr, "FAIL: two worker lcores needed\n");
			return 1;
		}
		rc[i] = (struct racer){ .lcore = lc, .idx = i, .w = &w[i] };
		w[i].id = (uint16_t)i;
		w[i].lcore = lc;
		rte_rcu_qsbr_thread_register(vs_dp.qsbr, i);
	}
	printf("test_ct_race: %u rounds, batches of %u, %s, workers on lcores %u and %u\n", total,
	       BATCH, lcores, rc[0].lcore, rc[1].lcore);

	for (uint32_t base = 0, b = 0; base < total && failures == 0; base += BATCH, b++) {
		n_rounds = total - base < BATCH ? total - base : BATCH;
		now = 1000 + b;
		memset(rounds, 0, sizeof(rounds));
		for (uint32_t i = 0; i < n_rounds; i++) {
			struct round *r = &rounds[i];
			uint32_t g = base + i;
			r->kind = (uint8_t)(g % KINDS);
			request_of(g, &r->f[0], &r->md[0]);
			if (r->kind == REQ_REPLY) {
				reply_of(&r->f[0], &r->f[1], &r->md[1]);
			} else {
				r->f[1] = r->f[0];
				r->md[1] = r->md[0];
			}
		}
		uint64_t created0 = created(rc);
		if (!run_batch(rc)) {
			failures++;
			break;
		}
		uint32_t live = check_table((uint32_t)(created(rc) - created0));
		for (uint32_t i = 0; i < n_rounds; i++) {
			const struct round *r = &rounds[i];
			check_round(base + i, r, &o);
			for (int k = 0; k < 2; k++)
				if (r->started[k])
					o.cas_lost++;
		}
		o.cas_lost -= created(rc) - created0;

		/* Delete them as the control thread does: by age (a clock far ahead), or with a
		 * removed port (the clock unchanged: nothing has timed out). */
		uint64_t gone0 = ct->expired + ct->deleted_dead;
		if (b % 2 == 0)
			vs_ct_expire(ct, &cfg, now + 1000000);
		else
			vs_ct_forget_port(ct, &cfg, now, b % 4 == 1 ? PORT_A : PORT_B);
		uint64_t gone = ct->expired + ct->deleted_dead - gone0;
		CHECK(gone == live, "batch %u: %" PRIu64 " connections deleted of %u", b, gone, live);
		deleted += gone;
		check_empty(b % 2 == 0 ? "vs_ct_expire" : "vs_ct_forget_port");
	}
	CHECK(w[0].ct_off_path + w[1].ct_off_path == 0, "a connection's packet seen off its path");

	double s = (double)(rte_get_tsc_cycles() - t0) / (double)rte_get_tsc_hz();
	printf("test_ct_race: created %" PRIu64 ", deleted %" PRIu64 ", starts that lost the CAS %"
	       PRIu64 "\n", created(rc), deleted, o.cas_lost);
	printf("test_ct_race: both lookups missed: same_path %" PRIu64 "/%u, req_reply %" PRIu64
	       "/%u (request and reply each set one up, both given up: %" PRIu64 ")\n",
	       o.both_started[SAME_PATH], (total + 1) / KINDS, o.both_started[REQ_REPLY],
	       total / KINDS, o.both_dead);
	if (failures)
		printf("test_ct_race: FAILED (%d failed checks) in %.2f s\n", failures, s);
	else
		printf("test_ct_race: passed in %.2f s\n", s);

	vs_ct_destroy(ct);
	rte_free(w);
	rte_free(vs_dp.qsbr);
	rte_free(snap);
	char run_dir[PATH_MAX];
	snprintf(run_dir, sizeof(run_dir), "%s", rte_eal_get_runtime_dir());
	rte_eal_cleanup();
	remove_dir(run_dir);
	return failures ? 1 : 0;
}
