/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Network policy stages (see policy_dp.h).
 *
 * (The spoof check runs in the VLAN demux, on its parse of the frame: spoof.h.)
 *
 * vs_policy: after L2 forwarding, when the snapshot has a policy. Only IP packets between
 * ports of which at least one is selected by some policy are looked at; ARP and ND pass. One
 * bulk conntrack lookup per burst: a packet of a known connection (either direction) passes
 * without touching the ACL. Everything else is classified (one rte_acl call per family per
 * burst, up to two checks per packet: the sender's egress and the receiver's ingress) and,
 * when allowed, starts a connection so that its replies pass. After a policy change a
 * connection is checked again on its next packet: one that the new policy denies is cut.
 * Floods (unknown unicast, broadcast, multicast) are checked against the sender's egress here
 * and each receiver's ingress in tx_out (vs_policy_flood_allows); they start no connection.
 */
#include <rte_acl.h>
#include <rte_byteorder.h>
#include <rte_hash.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "dataplane/policy/policy.h"
#include "dataplane/policy/ct_path.h"
#include "dataplane/policy/frag_path.h"
#include "vs_types.h"
#include "dataplane/policy/flow.h"
#include "dataplane/policy/policy_dp.h"
#include "dataplane/worker/dp.h"
#include "dataplane/worker/drops.h"
#include "dataplane/worker/frame.h"

/* The demux's parse of m as a flow; the kind, or VS_FLOW_NOT_IP. */
static enum vs_flow_kind flow_of(struct rte_mbuf *m, struct vs_flow *f)
{
	const struct vs_pkt_meta *md = vs_meta(m);
	if (md->l3.kind != VS_FLOW_NOT_IP)
		vs_flow_extract(rte_pktmbuf_mtod_offset(m, const uint8_t *,
							VS_ETH_HLEN + (md->tagged ? VS_VLAN_HLEN : 0)),
				&md->l3, f);
	return md->l3.kind;
}

/* Policy cannot classify what is neither IP nor ARP: on a port policy selects, it is denied. */
static bool unclassified(const struct vs_pkt_meta *md)
{
	return md->l3.kind == VS_FLOW_NOT_IP && md->ethertype != VS_ETHERTYPE_ARP;
}

/* ---- ACL ---- */

/* One check: a port's policy in one direction for one packet. */
struct check {
	uint16_t slot;
	uint8_t dir;
	uint8_t family;
	uint32_t key;	/* index into keys4 / keys6 */
};

struct acl_batch {
	uint16_t n4, n6;
	struct vs_acl_key4 keys4[2 * VS_BURST_MAX];
	struct vs_acl_key6 keys6[2 * VS_BURST_MAX];
	const uint8_t *data4[2 * VS_BURST_MAX];
	const uint8_t *data6[2 * VS_BURST_MAX];
	uint32_t res4[2 * VS_BURST_MAX * VS_ACL_CATEGORIES];
	uint32_t res6[2 * VS_BURST_MAX * VS_ACL_CATEGORIES];
};

static void add_check(const struct vs_policy_dp *pol, struct acl_batch *b, struct check *c,
		      uint16_t slot, uint8_t dir, const struct vs_flow *f)
{
	const uint8_t *remote = dir == VS_DIR_INGRESS ? f->src : f->dst;
	uint16_t sd = rte_cpu_to_be_16(VS_ACL_SLOTDIR(pol->acl_slot[slot], dir));
	uint16_t dport = rte_cpu_to_be_16(f->l4 && f->proto != VS_PROTO_ICMP &&
					  f->proto != VS_PROTO_ICMPV6 ? f->dport : 0);

	c->slot = slot;
	c->dir = dir;
	c->family = f->family;
	if (f->family == 4) {
		struct vs_acl_key4 *k = &b->keys4[b->n4];
		*k = (struct vs_acl_key4){ .proto = f->proto, .slotdir = sd, .dport = dport };
		memcpy(k->remote, remote, 4);
		b->data4[b->n4] = (const uint8_t *)k;
		c->key = b->n4++;
	} else {
		struct vs_acl_key6 *k = &b->keys6[b->n6];
		*k = (struct vs_acl_key6){ .proto = f->proto, .slotdir = sd, .dport = dport };
		memcpy(k->remote, remote, 16);
		b->data6[b->n6] = (const uint8_t *)k;
		c->key = b->n6++;
	}
}

static void classify(const struct vs_policy_dp *pol, struct acl_batch *b)
{
	if (b->n4 > 0 && pol->acl[0] != NULL)
		rte_acl_classify(pol->acl[0], b->data4, b->res4, b->n4, VS_ACL_CATEGORIES);
	else
		memset(b->res4, 0, sizeof(b->res4[0]) * b->n4 * VS_ACL_CATEGORIES);
	if (b->n6 > 0 && pol->acl[1] != NULL)
		rte_acl_classify(pol->acl[1], b->data6, b->res6, b->n6, VS_ACL_CATEGORIES);
	else
		memset(b->res6, 0, sizeof(b->res6[0]) * b->n6 * VS_ACL_CATEGORIES);
}

struct verdict {
	bool allow;
	uint8_t reason;	/* enum vs_drop when denied */
	uint8_t dir;
	uint16_t slot;
	uint32_t rule;	/* deciding rule + 1, 0 = default */
};

/* The tiers for one check (policy.h): admin, then tenant if the port is isolated, then
 * baseline; counts the hits of the rules that decided. */
static bool tier_verdict(struct vs_worker *w, const struct vs_policy_dp *pol,
			 const struct acl_batch *b, const struct check *c, struct verdict *v)
{
	const uint32_t *res = (c->family == 4 ? b->res4 : b->res6) + c->key * VS_ACL_CATEGORIES;
	uint64_t *hits = pol->hits + (size_t)w->id * pol->n_rules;
	uint32_t r;

	v->slot = c->slot;
	v->dir = c->dir;
	if ((r = res[VS_TIER_ADMIN]) != 0) {
		hits[r - 1]++;
		uint8_t a = pol->rules[r - 1].action;
		if (a == VS_ACT_ALLOW || a == VS_ACT_DENY) {
			v->rule = r;
			v->reason = VS_DROP_POLICY_ADMIN_DENY;
			return a == VS_ACT_ALLOW;
		}
		/* Pass: on to the tenant tier */
	}
	if (pol->port_flags[c->slot] & VS_PF_ISOLATED(c->dir)) {
		v->rule = res[VS_TIER_TENANT];
		v->reason = VS_DROP_POLICY_DEFAULT_DENY;
		if (v->rule != 0)
			hits[v->rule - 1]++;
		return v->rule != 0;
	}
	if ((r = res[VS_TIER_BASELINE]) != 0) {
		hits[r - 1]++;
		v->rule = r;
		v->reason = VS_DROP_POLICY_BASELINE_DENY;
		return pol->rules[r - 1].action == VS_ACT_ALLOW;
	}
	v->rule = 0;
	return true;
}

/* ---- conntrack ---- */

/* AWAIT_FIRST: a later fragment whose datagram had no entry in triage; its first fragment
 * may be earlier in the same burst, recorded only in the verdict loop (allowed()), so it is
 * decided there (await_first). */
enum todo { PASS, DROP, CHECK, AWAIT_FIRST };

struct pkt_state {
	struct vs_flow f;
	uint8_t todo;
	uint8_t drop;	/* enum vs_drop, todo DROP */
	bool tracked_miss;	/* look for no connection: start one if allowed */
	bool reply;	/* reval: the packet goes in the connection's reply direction */
	bool policed;	/* on a path policy selects: first fragments are remembered */
	struct vs_ct_conn *reval;	/* a connection to check again (policy changed) */
	struct vs_frag_entry *frag;	/* a later fragment's datagram, to check again */
	uint8_t n_checks;
	struct check checks[2];
};

struct vs_verdict_ctx {
	const struct verdict *v;
	uint16_t in_port, out_port, vid;
};

static void report_deny(struct vs_worker *w, const struct vs_flow *f,
			const struct vs_verdict_ctx *x)
{
	uint32_t now = atomic_load_explicit(&vs_dp.clock_s, memory_order_relaxed);
	if (w->deny_sec != now) {
		w->deny_sec = now;
		w->deny_in_sec = 0;
	}
	if (w->deny_in_sec >= VS_DENY_EVENTS_PER_S) {
		w->deny_events_suppressed++;
		return;
	}
	struct vs_deny_event ev = { .family = f->family, .proto = f->proto,
				    .reason = x->v->reason, .dir = x->v->dir,
				    .in_port = x->in_port, .out_port = x->out_port, .vid = x->vid,
				    .sport = f->sport, .dport = f->dport, .rule = x->v->rule,
				    .time_s = now };
	memcpy(ev.src, f->src, 16);
	memcpy(ev.dst, f->dst, 16);
	if (rte_ring_sp_enqueue_elem(w->deny_ring, &ev, sizeof(ev)) != 0) {
		w->deny_events_suppressed++;
		return;
	}
	w->deny_in_sec++;
	w->deny_events++;
}

/* Both checks of a packet; the first that denies decides. */
static bool packet_verdict(struct vs_worker *w, const struct vs_policy_dp *pol,
			   const struct acl_batch *b, const struct pkt_state *ps, struct verdict *v)
{
	for (uint8_t c = 0; c < ps->n_checks; c++) {
		const struct check *ck = &ps->checks[c];
		bool ok = tier_verdict(w, pol, b, ck, v);
		if (ok) {
			w->ports[ck->slot].pol_allowed[ck->dir]++;
		} else {
			w->ports[ck->slot].pol_denied[ck->dir]++;
			return false;
		}
	}
	return true;
}

static void plan_checks(const struct vs_policy_dp *pol, struct acl_batch *b, struct pkt_state *ps,
			uint16_t from, uint16_t to, const struct vs_flow *f)
{
	ps->n_checks = 0;
	if (pol->port_flags[from] & VS_PF_POLICED)
		add_check(pol, b, &ps->checks[ps->n_checks++], from, VS_DIR_EGRESS, f);
	if (to < VS_MAX_PORTS && (pol->port_flags[to] & VS_PF_POLICED))
		add_check(pol, b, &ps->checks[ps->n_checks++], to, VS_DIR_INGRESS, f);
}

/* A later fragment's datagram as its first fragment was checked. */
static void frag_flow(const struct vs_frag_entry *e, struct vs_flow *f)
{
	f->sport = e->sport;
	f->dport = e->dport;
	f->frag = VS_FRAG_FIRST;
	f->l4 = vs_l4_min_len(f->proto) != 0;
}

/* The original direction of a connection, as a flow, for checking it again. */
static void conn_flow(const struct vs_ct_conn *c, struct vs_flow *f)
{
	memset(f, 0, sizeof(*f));
	f->family = c->key.family;
	f->proto = c->key.proto;
	f->sport = c->key.sport;
	f->dport = c->key.dport;
	f->l4 = true;
	memcpy(f->src, c->key.src, 16);
	memcpy(f->dst, c->key.dst, 16);
}

/*
 * Sorts out one packet before any lookup: what policy leaves alone, what it denies without
 * asking (unclassifiable frames, later fragments of unknown datagrams), what it must check.
 */
static void triage(const struct vs_policy_dp *pol, struct rte_mbuf *m, struct pkt_state *p,
		   uint32_t now)
{
	const struct vs_pkt_meta *md = vs_meta(m);
	uint16_t to = md->out_port;
	uint8_t flags = pol->port_flags[md->in_port] | (to < VS_MAX_PORTS ? pol->port_flags[to] : 0);

	p->todo = PASS;
	p->reval = NULL;
	p->frag = NULL;
	p->tracked_miss = false;
	p->policed = false;
	if (!(flags & VS_PF_POLICED))
		return;
	if (unclassified(md)) {
		p->todo = DROP;
		p->drop = VS_DROP_POLICY_UNCLASSIFIED;
		return;
	}
	if (flow_of(m, &p->f) != VS_FLOW_IP)
		return;
	p->policed = true;
	p->todo = CHECK;
	if (p->f.frag != VS_FRAG_LATER)
		return;
	struct vs_frag_entry *e = to == VS_PORT_FLOOD ? NULL : vs_frag_find(&vs_dp.ct->frags, &p->f, md);
	if (e == NULL) {
		/* floods record no first fragment: a flooded later one has none to wait for */
		p->todo = to == VS_PORT_FLOOD ? DROP : AWAIT_FIRST;
		p->drop = VS_DROP_FRAG_NO_FIRST;
		return;
	}
	if (atomic_load_explicit(&e->last_seen, memory_order_relaxed) != now)
		atomic_store_explicit(&e->last_seen, now, memory_order_relaxed);
	if (atomic_load_explicit(&e->gen, memory_order_relaxed) == pol->gen)
		p->todo = PASS;
	else
		p->frag = e;	/* policy changed since its first fragment: check it again */
}

/*
 * A later fragment with no entry in triage, looked for again once the packets before it in
 * the burst are decided: its first fragment may have been one of them. Only an entry of the
 * current policy lets it pass (the burst's ACL batch is classified already: an older entry
 * cannot be checked again here); otherwise it is dropped as in triage (frag_no_first).
 * firsts: a policed first fragment was decided earlier in this burst (else no second lookup).
 */
static void await_first(const struct vs_policy_dp *pol, struct rte_mbuf *m, struct pkt_state *p,
			bool firsts)
{
	struct vs_frag_entry *e = firsts ? vs_frag_find(&vs_dp.ct->frags, &p->f, vs_meta(m)) : NULL;
	p->todo = e != NULL && atomic_load_explicit(&e->gen, memory_order_relaxed) == pol->gen ?
			  PASS :
			  DROP;
}

/* An allowed packet that could not be tracked: a full table counts on the sender, a port's
 * used-up share on that port. */
static void drop_untracked(struct vs_worker *w, struct rte_mbuf *m, const struct vs_pkt_meta *md,
			   uint16_t charged, enum vs_drop d)
{
	bool share = d == VS_DROP_CONNTRACK_PORT_LIMIT || d == VS_DROP_FRAG_PORT_LIMIT;
	w->ports[share ? charged : md->in_port].drops[d]++;
	rte_pktmbuf_free(m);
}

/* Packets of known connections pass without the ACL: one bulk lookup for the burst. A
 * connection checked under an older policy is marked for revalidation. */
static void known_connections(struct vs_worker *w, const struct vs_policy_dp *pol,
			      struct vs_ct *ct, struct rte_mbuf **pkts, uint16_t n,
			      struct pkt_state *ps, uint32_t now)
{
	struct vs_ct_key keys[VS_BURST_MAX];
	const void *kp[VS_BURST_MAX];
	int32_t pos[VS_BURST_MAX];
	uint8_t kidx[VS_BURST_MAX], nk = 0;

	for (uint16_t i = 0; i < n; i++) {
		const struct vs_pkt_meta *md = vs_meta(pkts[i]);
		triage(pol, pkts[i], &ps[i], now);
		if (ps[i].todo != CHECK || ps[i].frag != NULL)
			continue;
		/* echo replies start nothing but may belong to a tracked request */
		if (md->out_port == VS_PORT_FLOOD ||
		    !(vs_ct_trackable(&ps[i].f) || vs_ct_echo_reply(&ps[i].f)))
			continue;
		vs_ct_key_make(&keys[nk], md->vid, &ps[i].f);
		kp[nk] = &keys[nk];
		kidx[nk++] = (uint8_t)i;
	}
	if (nk > 0)
		rte_hash_lookup_bulk(ct->h, kp, nk, pos);
	for (uint8_t k = 0; k < nk; k++) {
		uint8_t i = kidx[k];
		struct pkt_state *p = &ps[i];
		uint32_t link = pos[k] >= 0 ? atomic_load_explicit(&ct->link[pos[k]],
								    memory_order_acquire) :
					      VS_CT_LINK_NONE;
		if (link == VS_CT_LINK_NONE || link == VS_CT_LINK_BUSY) {
			p->tracked_miss = vs_ct_trackable(&p->f);
			continue;
		}
		struct vs_ct_conn *c = &ct->conns[(link - 1) >> 1];
		if (atomic_load_explicit(&c->state, memory_order_relaxed) == VS_CT_DEAD)
			continue;	/* checked as a new packet, tracked again once deleted */
		if (!vs_ct_on_path(c, (link - 1) & 1, vs_meta(pkts[i]))) {
			/* The tuple of a connection between two other ports (a forged source
			 * address): it proves nothing here, check it as a new packet. */
			w->ct_off_path++;
			continue;
		}
		if (atomic_load_explicit(&c->gen, memory_order_relaxed) != pol->gen) {
			p->reval = c;
			p->reply = (link - 1) & 1;
			continue;
		}
		vs_ct_update(c, (link - 1) & 1, &p->f, now);
		w->ports[vs_meta(pkts[i])->in_port].pol_established++;
		p->todo = PASS;
	}
}

/* The ACL checks of the packets still to decide, classified in one batch. */
static void check_the_rest(const struct vs_policy_dp *pol, struct acl_batch *b,
			   struct rte_mbuf **pkts, uint16_t n, struct pkt_state *ps)
{
	b->n4 = b->n6 = 0;
	for (uint16_t i = 0; i < n; i++) {
		struct pkt_state *p = &ps[i];
		const struct vs_pkt_meta *md = vs_meta(pkts[i]);
		if (p->todo != CHECK)
			continue;
		if (p->reval != NULL) {
			struct vs_flow of;
			conn_flow(p->reval, &of);
			plan_checks(pol, b, p, p->reval->in_port, p->reval->out_port, &of);
		} else if (p->frag != NULL) {
			struct vs_flow of = p->f;
			frag_flow(p->frag, &of);
			plan_checks(pol, b, p, md->in_port, md->out_port, &of);
		} else {
			plan_checks(pol, b, p, md->in_port, md->out_port, &p->f);
		}
	}
	classify(pol, b);
}

/* A denied packet: a revalidated connection is cut, a datagram's later fragments lose
 * their pass, the deny is reported and counted. */
static void deny(struct vs_worker *w, struct vs_ct *ct, struct rte_mbuf *m,
		 const struct pkt_state *p, const struct verdict *v)
{
	const struct vs_pkt_meta *md = vs_meta(m);
	if (p->reval != NULL) {
		/* the new policy denies the connection: cut it */
		atomic_store_explicit(&p->reval->state, VS_CT_DEAD, memory_order_relaxed);
		w->ct_revoked++;
	}
	if (p->frag != NULL)
		atomic_store_explicit(&p->frag->allowed, 0, memory_order_relaxed);
	if (p->f.frag == VS_FRAG_FIRST)
		vs_frag_deny(&ct->frags, &p->f, md);
	struct vs_verdict_ctx x = { v, md->in_port, md->out_port, md->vid };
	report_deny(w, &p->f, &x);
	w->ports[v->slot].drops[v->reason]++;
	rte_pktmbuf_free(m);
}

/* An allowed packet: its connection revalidated or started, its first fragment recorded.
 * Returns false when the packet was dropped (a table or a port's share of it full). */
static bool allowed(struct vs_worker *w, const struct vs_snapshot *s, struct vs_ct *ct,
		    struct rte_mbuf *m, struct pkt_state *p, uint32_t now)
{
	const struct vs_policy_dp *pol = s->policy;
	const struct vs_pkt_meta *md = vs_meta(m);
	if (p->todo == CHECK) {
		if (p->reval != NULL) {
			atomic_store_explicit(&p->reval->gen, pol->gen, memory_order_relaxed);
			w->ct_revalidated++;
			vs_ct_update(p->reval, p->reply, &p->f, now);
		} else if (p->frag != NULL) {
			atomic_store_explicit(&p->frag->gen, pol->gen, memory_order_relaxed);
		} else if (p->tracked_miss) {
			struct vs_ct_key k;
			vs_ct_key_make(&k, md->vid, &p->f);
			uint16_t charged = vs_ct_charged_port(s, md);
			enum vs_drop d = vs_ct_conn_start(w, ct, &k, &p->f, md, charged, pol->gen,
							  now);
			if (d != VS_DROP__COUNT) {
				drop_untracked(w, m, md, charged, d);
				return false;
			}
		}
	}
	/* a passing first fragment lets the rest of its datagram follow */
	if (p->policed && p->f.frag == VS_FRAG_FIRST && md->out_port != VS_PORT_FLOOD) {
		uint16_t charged = vs_ct_charged_port(s, md);
		enum vs_drop d = vs_frag_record(w, &ct->frags, &p->f, md, charged, pol->gen, now);
		if (d != VS_DROP__COUNT) {
			drop_untracked(w, m, md, charged, d);
			return false;
		}
	}
	return true;
}

uint16_t vs_policy(struct vs_worker *w, const struct vs_snapshot *s, struct rte_mbuf **pkts,
		   uint16_t n)
{
	const struct vs_policy_dp *pol = s->policy;
	struct vs_ct *ct = vs_dp.ct;
	struct pkt_state ps[VS_BURST_MAX];
	struct acl_batch b;
	uint32_t now = atomic_load_explicit(&vs_dp.clock_s, memory_order_relaxed);

	known_connections(w, pol, ct, pkts, n, ps, now);
	check_the_rest(pol, &b, pkts, n, ps);

	uint16_t kept = 0;
	bool firsts = false;	/* a policed first fragment was decided earlier in this burst */
	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		struct pkt_state *p = &ps[i];
		const struct vs_pkt_meta *md = vs_meta(m);
		struct verdict v = { .allow = true };

		/* in burst order: a first fragment before it in the burst is recorded by now */
		if (p->todo == AWAIT_FIRST)
			await_first(pol, m, p, firsts);
		if (p->todo == DROP) {
			w->ports[md->in_port].drops[p->drop]++;
			if (p->drop == VS_DROP_FRAG_NO_FIRST) {
				v = (struct verdict){ .reason = p->drop, .dir = VS_DIR_INGRESS };
				struct vs_verdict_ctx x = { &v, md->in_port, md->out_port, md->vid };
				report_deny(w, &p->f, &x);
			}
			rte_pktmbuf_free(m);
			continue;
		}
		if (p->policed && p->f.frag == VS_FRAG_FIRST)
			firsts = true;
		if (p->todo == CHECK && !packet_verdict(w, pol, &b, p, &v)) {
			deny(w, ct, m, p, &v);
			continue;
		}
		if (allowed(w, s, ct, m, p, now))
			pkts[kept++] = m;
	}
	return kept;
}

/*
 * A flood's copy for one receiver. Floods start no connection and no fragment entry, so a
 * flooded later fragment on a policed path is dropped (frag_no_first).
 */
bool vs_policy_flood_allows(struct vs_worker *w, const struct vs_snapshot *s, struct rte_mbuf *m,
			    uint16_t port)
{
	const struct vs_policy_dp *pol = s->policy;
	const struct vs_pkt_meta *md = vs_meta(m);
	struct pkt_state p;
	struct acl_batch b;
	struct verdict v;

	if (!(pol->port_flags[port] & VS_PF_POLICED))
		return true;
	if (unclassified(md)) {
		w->ports[md->in_port].drops[VS_DROP_POLICY_UNCLASSIFIED]++;
		return false;
	}
	if (flow_of(m, &p.f) != VS_FLOW_IP)
		return true;
	if (p.f.frag == VS_FRAG_LATER) {
		w->ports[md->in_port].drops[VS_DROP_FRAG_NO_FIRST]++;
		return false;
	}
	b.n4 = b.n6 = 0;
	p.n_checks = 1;
	add_check(pol, &b, &p.checks[0], port, VS_DIR_INGRESS, &p.f);
	classify(pol, &b);
	if (packet_verdict(w, pol, &b, &p, &v))
		return true;
	struct vs_verdict_ctx x = { &v, md->in_port, port, md->vid };
	report_deny(w, &p.f, &x);
	w->ports[port].drops[v.reason]++;
	return false;
}
