/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The data path's shared state: the immutable snapshot workers read, the
 * per-port runtime objects, the per-worker state and counters.
 *
 * Threads: workers read snapshots and runtime objects and write only their own
 * struct vs_worker. The control thread builds snapshots, publishes them with a
 * release store (vs_dp_publish) and frees the old one after an RCU grace
 * period. The vhost-events thread writes the vhost fields of vs_port_rt.
 */
#ifndef VS_DP_H
#define VS_DP_H

#include <stdatomic.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_mbuf.h>
#include <rte_meter.h>
#include <rte_rcu_qsbr.h>
#include <rte_ring.h>
#include <rte_sched.h>

#include "vs_types.h"
#include "dataplane/l2/fdb.h"
#include "dataplane/policy/flow.h"
#include "dataplane/policy/policy_dp.h"
#include "dataplane/policy/spoof.h"
#include "dataplane/qos/classify.h"
#include "dataplane/worker/drops.h"
#include "dataplane/worker/frame.h"

#define VS_BURST_MAX 32
#define VS_PORT_NONE UINT16_MAX
#define VS_PORT_FLOOD (UINT16_MAX - 1)
#define VS_RXQ_PER_WORKER_MAX 1024

/* Per-packet metadata in the mbuf private area. */
struct vs_pkt_meta {
	uint16_t in_port;
	uint16_t vid;
	uint16_t out_port;	/* port slot, or VS_PORT_FLOOD */
	uint8_t tagged;	/* the frame data currently carries an 802.1Q tag */
	uint8_t cls;	/* enum vs_qos_class, set at ingress */
	uint16_t ethertype;	/* behind the tag */
	struct vs_l3_info l3;	/* the demux's parse; L3 starts after the Ethernet (+ tag) header */
};

static inline struct vs_pkt_meta *vs_meta(struct rte_mbuf *m)
{
	return (struct vs_pkt_meta *)rte_mbuf_to_priv(m);
}

/*
 * A port's long-lived runtime object. Created by the control thread when the
 * port is added, freed one grace period after the snapshot without it is
 * published.
 */
struct vs_port_rt {
	enum vs_port_type type;	// cp: w at creation; dp: ro
	uint16_t eth_port;	// dpdk ports: ethdev id. cp: w at creation; dp: ro
	uint16_t n_queues;	// cp: w at creation; dp: ro
	_Atomic int vid;	// vhost: device id or -1. vhost thread: w; dp: ro
	_Atomic uint32_t rx_enabled;	// vhost: bit q = guest RX ring of pair q enabled. vhost: w
	_Atomic uint32_t tx_enabled;	// vhost: bit q = guest TX ring of pair q enabled. vhost: w
	_Atomic uint32_t link_up;	// dpdk: cp: w from LSC poll; vhost: w on connect
	_Atomic uint32_t connects;	// vhost: connections so far. vhost thread: w; cp: r
	/* the port has as many learned MACs as its mac_limit: workers report no new sources */
	_Atomic uint8_t macs_full;	// cp: w; dp: r
	bool lacp;	// bond in 802.3ad mode: needs tx calls even when idle. cp: w at creation
	uint16_t n_members;	// bond: member ethdevs. cp only
	uint16_t members[VS_BOND_MEMBERS_MAX];
	/* bond: what the control thread's link poll saw last, and the transitions it counted */
	bool member_up[VS_BOND_MEMBERS_MAX];
	bool member_active[VS_BOND_MEMBERS_MAX];
	uint32_t member_downs[VS_BOND_MEMBERS_MAX];
	uint32_t member_ups[VS_BOND_MEMBERS_MAX];
	uint32_t active_changes;	// members leaving or joining the bond's active set
};

/* A port's ingress policer as workers run it. Each worker that polls the port meters its
 * own share: the control thread divides the rates by the number of those workers. */
struct vs_dp_police {
	uint32_t id;	/* 0: no policer; changes with the profile, so workers reset their meter */
	bool trtcm;
	bool yellow_drop;
	bool yellow_demote;	/* yellow frames go on in the scavenger class */
	union {
		struct rte_meter_srtcm_profile sr;
		struct rte_meter_trtcm_profile tr;
	} prof;
};

/* Per-class counters of an egress scheduler; written by its owner worker only. */
struct vs_qos_class_counters {
	uint64_t enqueued;	/* accepted into the class queue */
	uint64_t dropped;	/* queue full (tail drop) */
	uint64_t sent;	/* left the scheduler towards the port */
	uint64_t sent_bytes;
};

/*
 * A port's egress scheduler. rte_sched wants one lcore for enqueue and dequeue: the owner
 * worker. Other workers hand frames over through the MP/SC ring; the owner drains the ring,
 * runs the scheduler and transmits. Created by the control thread; replaced (not changed) when
 * its rate or queue length changes, and freed one grace period after the last snapshot that
 * references it, with what was still queued in it.
 */
struct vs_qos {
	struct rte_sched_port *sched;
	struct rte_ring *handoff;
	uint16_t owner;	/* worker id */
	uint16_t port;	/* slot */
	struct vs_qos_class_counters cls[VS_QOS_CLASSES];	/* dp (owner): w; cp: r */
} __rte_cache_aligned;

/* Where a class sits in rte_sched's pipe: critical alone in the highest strict-priority TC,
 * best-effort and scavenger in two WRR queues of the best-effort TC. */
#define VS_QOS_WRR_BEST_EFFORT 8	/* WRR weights: best-effort gets 8/9 of what is left */
#define VS_QOS_WRR_SCAVENGER 1

static inline void vs_qos_class_tc(uint8_t cls, uint32_t *tc, uint32_t *queue)
{
	*tc = cls == VS_QOS_CRITICAL ? 0 : RTE_SCHED_TRAFFIC_CLASS_BE;
	*queue = cls == VS_QOS_SCAVENGER ? 1 : 0;
}

/* One port slot of a snapshot. */
struct vs_dp_port {
	struct vs_port_rt *rt;	/* NULL: free slot */
	struct vs_port_vlan vlan;
	uint32_t max_len;	/* longest untagged frame it may send: MTU + 14 */
	struct vs_dp_police police;
	struct vs_dp_classify classify;
	struct vs_qos *qos;	/* egress scheduler, or NULL: frames go straight out */
	struct vs_dp_spoof spoof;	/* what the port may send from */
};

/* A worker's run-time state of one port's policer. */
struct vs_meter {
	uint32_t id;	/* the vs_dp_police.id it was set up for */
	union {
		struct rte_meter_srtcm sr;
		struct rte_meter_trtcm tr;
	} m;
};

struct vs_dp_rxq {
	uint16_t port;
	uint16_t queue;
};

/* Immutable once published. */
struct vs_snapshot {
	uint64_t gen;
	struct vs_dp_port ports[VS_MAX_PORTS];
	uint16_t n_rxq[VS_MAX_WORKERS];
	struct vs_dp_rxq rxq[VS_MAX_WORKERS][VS_RXQ_PER_WORKER_MAX];
	/* Flood members of each VLAN: flood_ports[flood_off[v] .. + flood_n[v]]. */
	uint32_t flood_off[VS_VLAN_COUNT];
	uint16_t flood_n[VS_VLAN_COUNT];
	uint16_t *flood_ports;
	/* Bonds in 802.3ad mode, polled with an empty tx burst by worker 0 every 50 ms. */
	uint16_t n_lacp;
	uint16_t lacp_eth_port[VS_MAX_PORTS];
	/* Ports with an egress scheduler, by owner worker. */
	uint16_t n_qos[VS_MAX_WORKERS];
	uint16_t qos_ports[VS_MAX_WORKERS][VS_MAX_PORTS];
	/* Network policy; NULL: none, the stage is skipped. */
	const struct vs_policy_dp *policy;
};

struct vs_port_counters {
	uint64_t rx_packets;
	uint64_t rx_bytes;
	uint64_t tx_packets;
	uint64_t tx_bytes;
	uint64_t drops[VS_DROP__COUNT];
	/* policy verdicts of checks of this port's own policy, and established (conntrack)
	 * packets it sent */
	uint64_t pol_allowed[2];	/* [enum vs_dir] */
	uint64_t pol_denied[2];
	uint64_t pol_established;
};

struct vs_rxq_counters {
	uint64_t packets;
	uint64_t cycles;
};

struct vs_tx_buf {
	uint16_t n;
	uint8_t dirty;	/* listed in vs_worker.dirty */
	struct rte_mbuf *pkts[VS_BURST_MAX];
};

/* The stages a burst goes through, in order (worker.c). */
enum vs_stage { VS_STAGE_RX, VS_STAGE_DEMUX, VS_STAGE_POLICE, VS_STAGE_L2, VS_STAGE_POLICY,
		VS_STAGE_TX, VS_STAGES };

/* Everything one worker owns. Counters are read (racy, 64-bit) by cp. */
struct vs_worker {
	unsigned int lcore;	// cp: w before launch
	uint16_t id;	// index; also its ethdev tx queue
	struct rte_ring *learn_ring;	// dp: enqueue (SP), cp: dequeue (SC)
	struct vs_fdb_key last_learn;	/* skip repeated events for the same source */
	uint16_t last_learn_port;
	uint32_t last_learn_stamp;
	uint64_t busy_loops, idle_loops, sleeps;
	/* TSC cycles of loops that moved packets / of empty loops (sleeps included), the time
	 * slept, and the packets received: one rdtsc a loop (OVS's pmd-perf-show figures) */
	uint64_t busy_cycles, idle_cycles, sleep_cycles, rx_packets;
	uint64_t next_lacp_tsc;	/* worker 0: when to poll 802.3ad bonds next */
	uint64_t learn_events, learn_ring_full;
	/* policy */
	struct rte_ring *deny_ring;	// dp: enqueue (SP), cp: dequeue (SC)
	uint32_t deny_sec, deny_in_sec;	/* rate limit of deny events */
	uint64_t deny_events, deny_events_suppressed;
	uint64_t ct_created, ct_revalidated, ct_revoked;
	uint64_t ct_off_path;	/* a connection's tuple seen between other ports: checked as new */
	uint64_t frag_tracked;	/* datagrams whose first fragment started an entry */
	/* -Dstage_cycles builds: TSC cycles spent in each stage and the packets it was given */
	uint64_t stage_cycles[VS_STAGES], stage_pkts[VS_STAGES];
	uint16_t n_dirty;
	uint16_t dirty[VS_MAX_PORTS];
	struct vs_tx_buf txb[VS_MAX_PORTS];
	struct vs_port_counters ports[VS_MAX_PORTS];
	struct vs_meter meters[VS_MAX_PORTS];
	/* per (port slot, queue) this worker polls: packets and the cycles their bursts took */
	struct vs_rxq_counters rxq[VS_MAX_PORTS][VS_MAX_QUEUES];
} __rte_cache_aligned;

/* Global data-path context, set up by the control thread before workers start. */
struct vs_dp {
	_Atomic(struct vs_snapshot *) snap;	// cp: w (release); dp: r (acquire)
	_Atomic uint32_t running;
	_Atomic uint32_t clock_s;	/* coarse seconds, cp: w every second */
	struct rte_rcu_qsbr *qsbr;
	struct rte_mempool *pool;
	struct vs_fdb *fdb;
	struct vs_ct *ct;
	uint16_t n_workers;
	uint32_t idle_sleep_us;	/* 0: pure polling */
	uint32_t idle_spins;	/* empty loops before sleeping */
	uint16_t burst;
	struct vs_worker *workers;	/* n_workers entries */
};

extern struct vs_dp vs_dp;

#endif
