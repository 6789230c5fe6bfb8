/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Telling a guest its neighbours when its vhost-user device (re)connects.
 *
 * When vswd restarts, QEMU tells the guest its link went down. Linux then flushes the guest's
 * ARP and ND entries, the request it sends for a peer while the link is down is lost, and it
 * asks again only after retrans_time_ms (1 s): perf/restart.sh measured the first reply ~1.03 s
 * after the new vswd started, of which vswd's own start was ~0.25 s. So when a guest's device
 * comes up, the control thread sends it, for every other access port of its VLAN and namespace
 * whose MAC and addresses are configured and enforced (spoofchk and ip_spoofchk: what the CNI
 * and IPAM declared is all that VM can send), a gratuitous ARP per IPv4 address and an
 * unsolicited neighbour advertisement per IPv6 one, at the connect and twice more (0.1 s and
 * 0.5 s after) for a guest not ready at the first. A guest with an unresolved entry for one of
 * them takes the address (Linux updates an existing entry from either) and sends what it
 * queued; a guest without one ignores them. Addresses `to` itself has, or two ports claim, are
 * left out. Peers behind the uplink (the gateway) are not known here and not announced.
 *
 * Built by hand: DPDK has no ARP/ND announcer (rte_net_make_rarp_packet is RARP, which only
 * teaches switches where a MAC is).
 */
#include <string.h>

#include <rte_arp.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "control/port/announce.h"
#include "vs_types.h"
#include "control/core/state.h"
#include "control/model/netpol_cfg.h"
#include "control/model/ratelimit.h"
#include "control/port/ports.h"
#include "dataplane/worker/dp.h"

/* when to send, in ms after the connect: a guest whose RX ring is still empty at the first
 * (one that is booting, or a virtio-user peer) takes a later one */
static const uint16_t round_ms[] = { 0, 100, 500 };
#define ANNOUNCE_MIN_GAP_MS 1000	/* between two sequences to one port */
#define ANNOUNCE_MIN_FRAME 60	/* Ethernet minimum without FCS */

static const struct rte_ether_addr bcast = { { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } };
static const struct rte_ether_addr all_nodes_mac = { { 0x33, 0x33, 0, 0, 0, 1 } };
static const uint8_t all_nodes_ip6[16] = { 0xff, 0x02, [15] = 1 };

static struct rte_mbuf *frame_alloc(uint16_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(vs_dp.pool);
	if (m == NULL)
		return NULL;
	uint16_t size = len < ANNOUNCE_MIN_FRAME ? ANNOUNCE_MIN_FRAME : len;
	char *p = rte_pktmbuf_append(m, size);
	if (p == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	memset(p, 0, size);
	return m;
}

/* Who-has ip tell ip, from mac: the gratuitous ARP request form (RFC 5227 announcement). */
static struct rte_mbuf *garp(const uint8_t mac[6], const uint8_t ip[4])
{
	struct rte_mbuf *m = frame_alloc(sizeof(struct rte_ether_hdr) + sizeof(struct rte_arp_hdr));
	if (m == NULL)
		return NULL;
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_arp_hdr *arp = (struct rte_arp_hdr *)(eth + 1);
	eth->dst_addr = bcast;
	memcpy(&eth->src_addr, mac, 6);
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_ARP);
	arp->arp_hardware = rte_cpu_to_be_16(RTE_ARP_HRD_ETHER);
	arp->arp_protocol = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	arp->arp_hlen = RTE_ETHER_ADDR_LEN;
	arp->arp_plen = 4;
	arp->arp_opcode = rte_cpu_to_be_16(RTE_ARP_OP_REQUEST);
	memcpy(&arp->arp_data.arp_sha, mac, 6);
	memcpy(&arp->arp_data.arp_sip, ip, 4);
	memcpy(&arp->arp_data.arp_tip, ip, 4);
	return m;
}

/* Unsolicited neighbour advertisement (RFC 4861 7.2.6) to all nodes, override set, with the
 * target link-layer address option. */
static struct rte_mbuf *unsolicited_na(const uint8_t mac[6], const uint8_t ip[16])
{
	struct na {
		uint8_t type, code;
		rte_be16_t cksum;
		rte_be32_t flags;
		uint8_t target[16];
		uint8_t opt_type, opt_len;
		uint8_t lladdr[6];
	} __rte_packed;
	uint16_t len = sizeof(struct rte_ether_hdr) + sizeof(struct rte_ipv6_hdr) + sizeof(struct na);
	struct rte_mbuf *m = frame_alloc(len);
	if (m == NULL)
		return NULL;
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_ipv6_hdr *ip6 = (struct rte_ipv6_hdr *)(eth + 1);
	struct na *na = (struct na *)(ip6 + 1);
	eth->dst_addr = all_nodes_mac;
	memcpy(&eth->src_addr, mac, 6);
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV6);
	ip6->vtc_flow = rte_cpu_to_be_32(6u << 28);
	ip6->payload_len = rte_cpu_to_be_16(sizeof(struct na));
	ip6->proto = IPPROTO_ICMPV6;
	ip6->hop_limits = 255;	/* receivers drop ND from anything else */
	memcpy(ip6->src_addr, ip, 16);
	memcpy(ip6->dst_addr, all_nodes_ip6, 16);
	na->type = 136;
	na->flags = rte_cpu_to_be_32(0x20000000);	/* O: override, not solicited, not router */
	memcpy(na->target, ip, 16);
	na->opt_type = 2;	/* target link-layer address */
	na->opt_len = 1;	/* in units of 8 bytes */
	memcpy(na->lladdr, mac, 6);
	na->cksum = rte_ipv6_udptcp_cksum(ip6, na);	/* the pseudo-header sum ICMPv6 uses too */
	return m;
}

static bool same_ip(const struct vs_ip *a, const struct vs_ip *b)
{
	return a->family == b->family && memcmp(a->addr, b->addr, a->family == 4 ? 4 : 16) == 0;
}

static bool port_has_ip(const struct vs_port *p, const struct vs_ip *ip)
{
	for (uint8_t k = 0; k < p->cfg.np.n_ips; k++)
		if (same_ip(&p->cfg.np.ips[k], ip))
			return true;
	return false;
}

/* A port whose binding may be announced into `to`'s VLAN: an access port of that VLAN and
 * namespace whose MAC and addresses the switch enforces (spoofchk and ip_spoofchk), so what is
 * announced is what that VM can send; never `to` itself or a port with `to`'s MAC. */
static bool announceable(const struct vs_port *q, const struct vs_port *to)
{
	const struct vs_netpol_port *n = &q->cfg.np;
	return q->in_use && q != to && q->cfg.mode == VS_MODE_ACCESS &&
	       q->cfg.vlan == to->cfg.vlan && strcmp(n->ns, to->cfg.np.ns) == 0 && n->has_mac &&
	       n->spoofchk && n->ip_spoofchk &&
	       !(to->cfg.np.has_mac && memcmp(n->mac, to->cfg.np.mac, 6) == 0);
}

/* An address is announced only if `to` does not have it too and no other announceable port
 * claims it (two VMs configured with one address: the guest is better left to ask). */
static bool ip_unique(const struct vs_port *q, const struct vs_ip *ip, const struct vs_port *to)
{
	if (port_has_ip(to, ip))
		return false;
	for (int i = 0; i < VS_MAX_PORTS; i++) {
		const struct vs_port *o = &vs_st.ports[i];
		if (o != q && o->in_use && o->cfg.vlan == to->cfg.vlan && port_has_ip(o, ip))
			return false;
	}
	return true;
}

/* The bindings of the ports announceable into `to`, into `to`'s guest. */
static void announce_to(struct vs_port *to)
{
	struct rte_mbuf *burst[32];
	uint16_t n = 0;

	for (int i = 0; i < VS_MAX_PORTS; i++) {
		const struct vs_port *q = &vs_st.ports[i];
		if (!announceable(q, to))
			continue;
		for (uint8_t k = 0; k < q->cfg.np.n_ips; k++) {
			const struct vs_ip *ip = &q->cfg.np.ips[k];
			if (!ip_unique(q, ip, to))
				continue;
			struct rte_mbuf *m = ip->family == 4 ? garp(q->cfg.np.mac, ip->addr)
							     : unsolicited_na(q->cfg.np.mac, ip->addr);
			if (m == NULL)
				continue;	/* out of mbufs: the guest asks again itself */
			burst[n++] = m;
			if (n == RTE_DIM(burst)) {
				to->announce.frames += vs_port_vhost_inject(to->rt, burst, n);
				n = 0;
			}
		}
	}
	if (n > 0)
		to->announce.frames += vs_port_vhost_inject(to->rt, burst, n);
}

void vs_announce_run(void)
{
	uint64_t now = vs_now_ms();

	for (int i = 0; i < VS_MAX_PORTS; i++) {
		struct vs_port *p = &vs_st.ports[i];
		if (!p->in_use || p->rt->type != VS_PORT_VHOST || p->cfg.mode != VS_MODE_ACCESS)
			continue;
		uint32_t conn = atomic_load(&p->rt->connects);
		if (conn != p->announce.conn) {	/* the guest (re)connected: start over */
			p->announce.conn = conn;
			p->announce.rounds = 0;
			/* A guest resetting its device in a loop reconnects as often as it likes:
			 * at most one sequence a second, so it cannot keep this thread busy. */
			uint64_t start = now;
			if (p->announce.started_ms != 0 &&
			    start < p->announce.started_ms + ANNOUNCE_MIN_GAP_MS)
				start = p->announce.started_ms + ANNOUNCE_MIN_GAP_MS;
			p->announce.started_ms = start;
			p->announce.next_ms = start;
		}
		if (p->announce.rounds >= RTE_DIM(round_ms) || now < p->announce.next_ms)
			continue;
		if (++p->announce.rounds < RTE_DIM(round_ms))
			p->announce.next_ms = p->announce.started_ms + round_ms[p->announce.rounds];
		/* nothing to build for a guest that is gone again or has no RX ring up */
		if (atomic_load(&p->rt->vid) >= 0 && atomic_load(&p->rt->rx_enabled) != 0)
			announce_to(p);
	}
}
