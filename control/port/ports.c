/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Port runtime objects. vhost-user ports use rte_vhost directly rather than
 * the net_vhost PMD: no ethdev port per VM (Debian's DPDK caps ethdev ports at
 * 32), per-queue vring state, and workers enqueue straight into the guest.
 * dpdk ports (the uplink) are any ethdev, probed from devargs.
 *
 * rte_vhost callbacks run on its vhost-events thread: they only flip atomics
 * of the port's runtime object (found through a small registry under a mutex)
 * and destroy_device waits an RCU grace period before returning, so no worker
 * still uses the vid.
 */
#include <errno.h>
#include <grp.h>
#include <pthread.h>
#include <pwd.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_dev.h>
#include <rte_eth_bond.h>
#include <rte_eth_bond_8023ad.h>
#include <rte_ethdev.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_vhost.h>
#include <linux/virtio_net.h>

#include "control/port/ports.h"
#include "vs_types.h"
#include "control/core/log.h"
#include "control/core/safe_fs.h"
#include "control/core/state.h"
#include "control/model/allow.h"
#include "control/model/err.h"
#include "control/model/port_cfg.h"
#include "control/model/ratelimit.h"
#include "control/model/vlan_set.h"
#include "dataplane/worker/dp.h"

struct vhost_reg {
	char path[VS_PATH_MAX];
	struct vs_port_rt *rt;
};

static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static struct vhost_reg reg[VS_MAX_PORTS];	// guarded by reg_lock
/* Held by the control thread while it writes into a guest's ring (vs_port_vhost_inject) and
 * by destroy_device while the vid goes: rte_vhost frees the device once that returns. Workers
 * never take it; they are covered by the RCU grace period. No deadlock with the vring locks:
 * DPDK 22.11 calls destroy_device holding none (GET_VRING_BASE and RESET_OWNER are not run
 * under lock_all_queue_pairs, for this very reason; a socket close holds none either). */
static pthread_mutex_t vid_lock = PTHREAD_MUTEX_INITIALIZER;

static struct vs_port_rt *reg_find(int vid)
{
	char path[VS_PATH_MAX];
	struct vs_port_rt *rt = NULL;

	if (rte_vhost_get_ifname(vid, path, sizeof(path)) < 0)
		return NULL;
	pthread_mutex_lock(&reg_lock);
	for (int i = 0; i < VS_MAX_PORTS; i++)
		if (reg[i].rt != NULL && strcmp(reg[i].path, path) == 0)
			rt = reg[i].rt;
	pthread_mutex_unlock(&reg_lock);
	return rt;
}

static void reg_set(const char *path, struct vs_port_rt *rt)
{
	pthread_mutex_lock(&reg_lock);
	for (int i = 0; i < VS_MAX_PORTS; i++) {
		if (rt != NULL && reg[i].rt == NULL) {
			snprintf(reg[i].path, sizeof(reg[i].path), "%s", path);
			reg[i].rt = rt;
			break;
		}
		if (rt == NULL && reg[i].rt != NULL && strcmp(reg[i].path, path) == 0) {
			reg[i].rt = NULL;
			break;
		}
	}
	pthread_mutex_unlock(&reg_lock);
}

static int new_device(int vid)
{
	struct vs_port_rt *rt = reg_find(vid);
	char path[VS_PATH_MAX] = "";

	rte_vhost_get_ifname(vid, path, sizeof(path));
	if (rt == NULL) {
		VS_LOG_RL(WARNING, "vhost: device %d on unknown socket %s", vid, path);
		return -1;
	}
	/* Workers poll; the guest need not kick us. */
	for (uint16_t q = 0; q < rte_vhost_get_vring_num(vid); q++)
		rte_vhost_enable_guest_notification(vid, q, 0);
	atomic_store_explicit(&rt->vid, vid, memory_order_release);
	atomic_store(&rt->link_up, 1);
	atomic_fetch_add(&rt->connects, 1);	/* announce.c tells the guest its neighbours */
	VS_LOG_RL(INFO, "vhost: %s connected (device %d, %u vrings, %" PRIu64 " ms after start)",
		  path, vid, rte_vhost_get_vring_num(vid), vs_now_ms() - vs_st.start_ms);
	return 0;
}

static void destroy_device(int vid)
{
	struct vs_port_rt *rt = reg_find(vid);
	char path[VS_PATH_MAX] = "";

	rte_vhost_get_ifname(vid, path, sizeof(path));
	if (rt == NULL || atomic_load(&rt->vid) != vid)
		return;
	pthread_mutex_lock(&vid_lock);
	atomic_store_explicit(&rt->vid, -1, memory_order_release);
	pthread_mutex_unlock(&vid_lock);
	atomic_store(&rt->link_up, 0);
	/* rte_vhost frees the device when we return: wait out workers using it. */
	rte_rcu_qsbr_synchronize(vs_dp.qsbr, RTE_QSBR_THRID_INVALID);
	atomic_store(&rt->rx_enabled, 0);
	atomic_store(&rt->tx_enabled, 0);
	VS_LOG_RL(INFO, "vhost: %s disconnected (device %d)", path, vid);
}

/* rte_vhost calls this with every vring lock of the device held: it must never take vid_lock
 * (vs_port_vhost_inject holds that while it waits for a vring lock). */
static int vring_state_changed(int vid, uint16_t queue_id, int enable)
{
	struct vs_port_rt *rt = reg_find(vid);

	if (rt == NULL || queue_id / 2 >= 32)
		return 0;
	/* even: the guest's RX ring (our tx); odd: its TX ring (our rx) */
	_Atomic uint32_t *mask = queue_id % 2 == 0 ? &rt->rx_enabled : &rt->tx_enabled;
	uint32_t bit = 1u << (queue_id / 2);
	if (enable)
		atomic_fetch_or(mask, bit);
	else
		atomic_fetch_and(mask, ~bit);
	return 0;
}

uint16_t vs_port_vhost_inject(struct vs_port_rt *rt, struct rte_mbuf **pkts, uint16_t n)
{
	uint16_t sent = 0;

	pthread_mutex_lock(&vid_lock);
	int vid = atomic_load_explicit(&rt->vid, memory_order_acquire);
	uint32_t en = atomic_load(&rt->rx_enabled);
	if (vid >= 0 && en != 0)
		sent = rte_vhost_enqueue_burst(vid, (uint16_t)(__builtin_ctz(en) * 2), pkts, n);
	pthread_mutex_unlock(&vid_lock);
	rte_pktmbuf_free_bulk(pkts, n);	/* rte_vhost copied what it took */
	return sent;
}

static const struct rte_vhost_device_ops vhost_ops = {
	.new_device = new_device,
	.destroy_device = destroy_device,
	.vring_state_changed = vring_state_changed,
};

/* Offloads we do not implement in the switch: the guest does them itself. */
static const uint64_t vhost_disabled_features =
	(1ULL << VIRTIO_NET_F_HOST_TSO4) | (1ULL << VIRTIO_NET_F_HOST_TSO6) |
	(1ULL << VIRTIO_NET_F_HOST_ECN) | (1ULL << VIRTIO_NET_F_HOST_UFO) |
	(1ULL << VIRTIO_NET_F_GUEST_TSO4) | (1ULL << VIRTIO_NET_F_GUEST_TSO6) |
	(1ULL << VIRTIO_NET_F_GUEST_ECN) | (1ULL << VIRTIO_NET_F_GUEST_UFO) |
	(1ULL << VIRTIO_NET_F_CSUM) | (1ULL << VIRTIO_NET_F_GUEST_CSUM);

static int socket_access(const struct vs_port_cfg *cfg, struct vs_err *e)
{
	uid_t uid = (uid_t)-1;
	gid_t gid = (gid_t)-1;

	if (cfg->owner[0]) {
		struct passwd *pw = getpwnam(cfg->owner);
		if (pw == NULL)
			return vs_err_set(e, ENOENT, "owner", "no user '%s'", cfg->owner);
		uid = pw->pw_uid;
	}
	if (cfg->group[0]) {
		struct group *gr = getgrnam(cfg->group);
		if (gr == NULL)
			return vs_err_set(e, ENOENT, "group", "no group '%s'", cfg->group);
		gid = gr->gr_gid;
	}
	if ((uid != (uid_t)-1 || gid != (gid_t)-1) && chown(cfg->socket, uid, gid) < 0)
		return vs_err_set(e, errno, "owner", "chown %s: %s", cfg->socket, strerror(errno));
	if (chmod(cfg->socket, cfg->perm ? cfg->perm : 0660) < 0)
		return vs_err_set(e, errno, "perm", "chmod %s: %s", cfg->socket, strerror(errno));
	return 0;
}

/* rte_vhost removes a server socket's path when unregistered: only if it is still ours. */
static void vhost_unregister(const struct vs_port_cfg *cfg)
{
	char aside[VS_PATH_MAX + 16];
	int moved = !cfg->client && vs_sock_release_begin(cfg->socket, aside, sizeof(aside));
	/* Calls destroy_device for a live connection, on this thread. */
	rte_vhost_driver_unregister(cfg->socket);
	if (moved)
		vs_sock_release_end(cfg->socket, aside);
}

static int vhost_create(const struct vs_port_cfg *cfg, struct vs_port_rt *rt, struct vs_err *e)
{
	uint64_t flags = cfg->client ? RTE_VHOST_USER_CLIENT : 0;
	const char *base = vs_socket_dir_of(cfg->socket, vs_st.cfg);
	int rc;

	/* checked before (allow.c); the walk below refuses links and files vswd did not make */
	if (base == NULL)
		return vs_err_set(e, EACCES, "socket", "'%s' is not below control.socket_dirs",
				  cfg->socket);
	if ((rc = vs_sock_prepare(cfg->socket, base, !cfg->client, "socket", e)) < 0)
		return rc;
	if (rte_vhost_driver_register(cfg->socket, flags) < 0)
		return vs_err_set(e, EIO, "socket", "rte_vhost cannot register %s", cfg->socket);
	if (rte_vhost_driver_disable_features(cfg->socket, vhost_disabled_features) < 0 ||
	    rte_vhost_driver_callback_register(cfg->socket, &vhost_ops) < 0) {
		rc = vs_err_set(e, EIO, "socket", "rte_vhost cannot set up %s", cfg->socket);
		goto err;
	}
	reg_set(cfg->socket, rt);
	if (rte_vhost_driver_start(cfg->socket) < 0) {
		rc = vs_err_set(e, EIO, "socket", "rte_vhost cannot start %s (see the log)",
				cfg->socket);
		goto err_reg;
	}
	if (!cfg->client) {
		vs_sock_created(cfg->socket);
		if ((rc = socket_access(cfg, e)) < 0)
			goto err_reg;
	}
	return 0;
err_reg:
	reg_set(cfg->socket, NULL);
err:
	vhost_unregister(cfg);
	return rc;
}

/* Finds or probes the ethdev of devargs (a PCI address or a vdev string). */
static int eth_probe(const char *devargs, uint16_t *pid, const char *field, struct vs_err *e)
{
	char name[VS_DEVARGS_MAX];
	int rc;

	snprintf(name, sizeof(name), "%s", devargs);
	name[strcspn(name, ",")] = '\0';
	if (rte_eth_dev_get_port_by_name(name, pid) == 0)
		return 0;
	/* a test vdev's socket: no links below its socket dir, no file that is not a socket
	 * (the PMD binds or connects; it never removes what is there) */
	char path[VS_PATH_MAX];
	const char *base;
	if (vs_devargs_path(devargs, path, sizeof(path)) &&
	    (base = vs_socket_dir_of(path, vs_st.cfg)) != NULL &&
	    (rc = vs_sock_prepare(path, base, false, field, e)) < 0)
		return rc;
	if ((rc = rte_dev_probe(devargs)) < 0)
		return vs_err_set(e, ENODEV, field,
				  "cannot probe '%s' (%s): no such device or driver, see the log",
				  devargs, rte_strerror(-rc));
	if (rte_eth_dev_get_port_by_name(name, pid) != 0)
		return vs_err_set(e, ENODEV, field, "'%s' is not an ethdev", name);
	return 0;
}

/* Closes an ethdev and removes its device (a vdev goes away; a PCI NIC is unbound). */
static void eth_remove(uint16_t pid)
{
	struct rte_eth_dev_info info;
	int rc = rte_eth_dev_info_get(pid, &info);
	rte_eth_dev_stop(pid);
	rte_eth_dev_close(pid);
	if (rc == 0 && info.device != NULL)
		rte_dev_remove(info.device);
}

/* One rx queue (up to) and one tx queue per worker, MTU, start, promiscuous. */
static int eth_setup(uint16_t pid, const struct vs_port_cfg *cfg, struct vs_port_rt *rt,
		     const char *field, struct vs_err *e)
{
	struct rte_eth_dev_info info;
	struct rte_eth_conf conf;
	uint16_t nq = vs_dp.n_workers;
	uint16_t nb_rxd = 1024, nb_txd = 1024;
	int rc;

	if ((rc = rte_eth_dev_info_get(pid, &info)) < 0)
		goto err;
	if (info.max_tx_queues < nq)
		return vs_err_set(e, ENOTSUP, field,
				  "the device has %u tx queues, one per worker (%u) is needed",
				  info.max_tx_queues, nq);
	uint16_t nrxq = RTE_MIN(nq, info.max_rx_queues);
	memset(&conf, 0, sizeof(conf));
	conf.rxmode.mtu = cfg->mtu;
	if (cfg->mtu > RTE_ETHER_MTU && (info.rx_offload_capa & RTE_ETH_RX_OFFLOAD_SCATTER))
		conf.rxmode.offloads |= RTE_ETH_RX_OFFLOAD_SCATTER;
	if (info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MULTI_SEGS)
		conf.txmode.offloads |= RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
	if ((rc = rte_eth_dev_configure(pid, nrxq, nq, &conf)) < 0 ||
	    (rc = rte_eth_dev_adjust_nb_rx_tx_desc(pid, &nb_rxd, &nb_txd)) < 0)
		goto err;
	for (uint16_t q = 0; q < nrxq; q++)
		if ((rc = rte_eth_rx_queue_setup(pid, q, nb_rxd, rte_eth_dev_socket_id(pid), NULL,
						 vs_dp.pool)) < 0)
			goto err;
	for (uint16_t q = 0; q < nq; q++)
		if ((rc = rte_eth_tx_queue_setup(pid, q, nb_txd, rte_eth_dev_socket_id(pid),
						 NULL)) < 0)
			goto err;
	if ((rc = rte_eth_dev_start(pid)) < 0)
		goto err;
	rte_eth_promiscuous_enable(pid);	/* a switch port sees every MAC */
	rt->eth_port = pid;
	rt->n_queues = nrxq;
	return 0;
err:
	return vs_err_set(e, rc < 0 ? -rc : EIO, field, "cannot set up the device: %s",
			  rte_strerror(rc < 0 ? -rc : EIO));
}

static int eth_create(const struct vs_port_cfg *cfg, struct vs_port_rt *rt, struct vs_err *e)
{
	uint16_t pid;
	int rc;

	if ((rc = eth_probe(cfg->devargs, &pid, "devargs", e)) < 0)
		return rc;
	if ((rc = eth_setup(pid, cfg, rt, "devargs", e)) < 0)
		eth_remove(pid);
	return rc;
}

static void bond_name(const struct vs_port_cfg *cfg, char *buf, size_t len)
{
	/* vdev names select their driver by prefix */
	snprintf(buf, len, "net_bonding_%s", cfg->name);
}

/*
 * A bond of the members through DPDK's bonding PMD. Members without link interrupts are
 * polled every 10 ms; in 802.3ad mode worker 0 also calls tx every 50 ms (see worker.c), as
 * the PMD sends LACPDUs only from within rx/tx bursts.
 */
static int bond_create(const struct vs_port_cfg *cfg, struct vs_port_rt *rt, struct vs_err *e)
{
	char members[VS_BOND_MEMBERS_MAX][VS_DEVARGS_MAX], name[VS_NAME_MAX + 16];
	uint16_t mid[VS_BOND_MEMBERS_MAX];
	int n = vs_members_split(cfg->members, members, VS_BOND_MEMBERS_MAX), probed = 0, rc;

	for (; probed < n; probed++)
		if ((rc = eth_probe(members[probed], &mid[probed], "members", e)) < 0)
			goto err;
	bond_name(cfg, name, sizeof(name));
	int bid = rte_eth_bond_create(name, cfg->bond_mode, (uint8_t)rte_socket_id());
	if (bid < 0) {
		rc = vs_err_set(e, EIO, "bond_mode", "cannot create bond %s: %s", name,
				rte_strerror(-bid));
		goto err;
	}
	if (cfg->bond_mode != VS_BOND_ACTIVE_BACKUP &&
	    rte_eth_bond_xmit_policy_set((uint16_t)bid, cfg->xmit_policy) != 0) {
		rc = vs_err_set(e, EIO, "xmit_policy", "cannot set the transmit policy");
		goto err_bond;
	}
	for (int i = 0; i < n; i++) {
		if (rte_eth_bond_slave_add((uint16_t)bid, mid[i]) != 0) {
			rc = vs_err_set(e, EIO, "members", "cannot add '%s' to the bond",
					members[i]);
			goto err_bond;
		}
	}
	rte_eth_bond_link_monitoring_set((uint16_t)bid, 10);
	if ((rc = eth_setup((uint16_t)bid, cfg, rt, "members", e)) < 0)
		goto err_bond;
	rt->lacp = cfg->bond_mode == VS_BOND_8023AD;
	rt->n_members = (uint16_t)n;
	memcpy(rt->members, mid, sizeof(mid[0]) * (size_t)n);
	return 0;
err_bond:
	rte_eth_bond_free(name);
err:
	for (int i = 0; i < probed; i++)
		eth_remove(mid[i]);
	return rc;
}

static void bond_destroy(const struct vs_port_cfg *cfg, struct vs_port_rt *rt)
{
	char name[VS_NAME_MAX + 16];
	bond_name(cfg, name, sizeof(name));
	rte_eth_dev_stop(rt->eth_port);
	for (uint16_t i = 0; i < rt->n_members; i++)
		rte_eth_bond_slave_remove(rt->eth_port, rt->members[i]);
	rte_eth_dev_close(rt->eth_port);
	rte_eth_bond_free(name);
	for (uint16_t i = 0; i < rt->n_members; i++)
		eth_remove(rt->members[i]);
}

int vs_port_rt_create(const struct vs_port_cfg *cfg, struct vs_port_rt **out, struct vs_err *e)
{
	struct vs_port_rt *rt = rte_zmalloc("vs_port_rt", sizeof(*rt), RTE_CACHE_LINE_SIZE);
	int rc;

	if (rt == NULL)
		return vs_err_set(e, ENOMEM, NULL, "out of memory");
	/* the data path sees a bond as the ethdev it is */
	rt->type = cfg->type == VS_PORT_BOND ? VS_PORT_DPDK : cfg->type;
	rt->n_queues = cfg->queues;
	atomic_init(&rt->vid, -1);
	rc = cfg->type == VS_PORT_VHOST ? vhost_create(cfg, rt, e) :
	     cfg->type == VS_PORT_DPDK	? eth_create(cfg, rt, e) :
					  bond_create(cfg, rt, e);
	if (rc < 0) {
		rte_free(rt);
		return rc;
	}
	*out = rt;
	return 0;
}

void vs_port_rt_destroy(const struct vs_port_cfg *cfg, struct vs_port_rt *rt)
{
	if (rt == NULL)
		return;
	if (rt->type == VS_PORT_VHOST) {
		vhost_unregister(cfg);
		reg_set(cfg->socket, NULL);
	} else if (cfg->type == VS_PORT_BOND) {
		bond_destroy(cfg, rt);
	} else {
		eth_remove(rt->eth_port);
	}
	rte_free(rt);
}

/* A bond's members as it sees them now: the link each reports, and which it uses. */
struct bond_now {
	int n_active;
	bool up[VS_BOND_MEMBERS_MAX];
	bool active[VS_BOND_MEMBERS_MAX];
};

static bool eth_link_is_up(uint16_t port)
{
	struct rte_eth_link link;
	return rte_eth_link_get_nowait(port, &link) == 0 && link.link_status == RTE_ETH_LINK_UP;
}

static void bond_now_get(const struct vs_port_rt *rt, struct bond_now *b)
{
	uint16_t active[RTE_MAX_ETHPORTS];
	int n = rte_eth_bond_active_slaves_get(rt->eth_port, active, RTE_MAX_ETHPORTS);

	b->n_active = n < 0 ? 0 : n;
	for (uint16_t i = 0; i < rt->n_members; i++) {
		b->up[i] = eth_link_is_up(rt->members[i]);
		b->active[i] = false;
		for (int k = 0; k < b->n_active; k++)
			b->active[i] |= active[k] == rt->members[i];
	}
}

/* Logs and counts what changed in a bond's members since the last poll. */
static void poll_bond_members(const struct vs_port *p)
{
	struct vs_port_rt *rt = p->rt;
	char members[VS_BOND_MEMBERS_MAX][VS_DEVARGS_MAX];
	struct bond_now b;

	bond_now_get(rt, &b);
	vs_members_split(p->cfg.members, members, VS_BOND_MEMBERS_MAX);
	for (uint16_t i = 0; i < rt->n_members; i++) {
		bool up = b.up[i], is_active = b.active[i];
		if (up != rt->member_up[i]) {
			rt->member_up[i] = up;
			if (up)
				rt->member_ups[i]++;
			else
				rt->member_downs[i]++;
			VS_LOG(NOTICE, "bond %s: member %s link %s", p->cfg.name, members[i],
			       up ? "up" : "down");
		}
		if (is_active != rt->member_active[i]) {
			rt->member_active[i] = is_active;
			rt->active_changes++;
			VS_LOG(NOTICE, "bond %s: member %s %s the bond (%d of %u active)",
			       p->cfg.name, members[i], is_active ? "joined" : "left", b.n_active,
			       rt->n_members);
		}
	}
}

void vs_ports_poll_links(void)
{
	for (int i = 0; i < VS_MAX_PORTS; i++) {
		struct vs_port *p = &vs_st.ports[i];
		if (!p->in_use || p->rt->type != VS_PORT_DPDK)
			continue;
		if (p->cfg.type == VS_PORT_BOND)
			poll_bond_members(p);
		uint32_t up = eth_link_is_up(p->rt->eth_port);
		if (atomic_exchange(&p->rt->link_up, up) != up)
			VS_LOG(NOTICE, "port %s: link %s", p->cfg.name, up ? "up" : "down");
	}
}

static json_t *lacp_state_json(uint8_t st)
{
	static const char *const bits[] = { "activity", "short_timeout", "aggregation",
					    "synchronization", "collecting", "distributing",
					    "defaulted", "expired" };
	json_t *a = json_array();
	for (int i = 0; i < 8; i++)
		if (st & (1u << i))
			json_array_append_new(a, json_string(bits[i]));
	return a;
}

static json_t *mac_json(const struct rte_ether_addr *m)
{
	char buf[18];
	vs_mac_format(m->addr_bytes, buf);
	return json_string(buf);
}

json_t *vs_bond_to_json(uint16_t slot)
{
	const struct vs_port *p = &vs_st.ports[slot];
	const struct vs_port_rt *rt = p->rt;
	char members[VS_BOND_MEMBERS_MAX][VS_DEVARGS_MAX];
	struct bond_now b;
	json_t *ms = json_array();

	bond_now_get(rt, &b);
	vs_members_split(p->cfg.members, members, VS_BOND_MEMBERS_MAX);
	for (uint16_t i = 0; i < rt->n_members; i++) {
		uint16_t mid = rt->members[i];
		struct rte_eth_stats st = { 0 };
		bool up = b.up[i], is_active = b.active[i];
		rte_eth_stats_get(mid, &st);
		json_t *m = json_pack("{s:s, s:i, s:s, s:b, s:I, s:I, s:{s:I, s:I, s:I, s:I}}",
				      "devargs", members[i], "ethdev_port", mid, "link",
				      up ? "up" : "down", "active", is_active, "link_down_events",
				      (json_int_t)rt->member_downs[i], "link_up_events",
				      (json_int_t)rt->member_ups[i], "stats", "rx_packets",
				      (json_int_t)st.ipackets, "tx_packets", (json_int_t)st.opackets,
				      "rx_errors", (json_int_t)(st.ierrors + st.imissed), "tx_errors",
				      (json_int_t)st.oerrors);
		struct rte_eth_bond_8023ad_slave_info info;
		if (rt->lacp && rte_eth_bond_8023ad_slave_info(rt->eth_port, mid, &info) == 0)
			json_object_set_new(
				m, "lacp",
				json_pack("{s:o, s:i, s:o, s:o, s:i, s:o, s:b}", "actor_system",
					  mac_json(&info.actor.system), "actor_key", info.actor.key,
					  "actor_state", lacp_state_json(info.actor_state),
					  "partner_system", mac_json(&info.partner.system),
					  "partner_key", info.partner.key, "partner_state",
					  lacp_state_json(info.partner_state), "selected",
					  info.selected == SELECTED));
		json_array_append_new(ms, m);
	}
	json_t *o = json_pack("{s:s, s:s, s:s, s:i, s:I, s:o}", "name", p->cfg.name, "mode",
			      vs_bond_mode_name(p->cfg.bond_mode), "link",
			      eth_link_is_up(rt->eth_port) ? "up" : "down", "active_members",
			      b.n_active, "active_changes",
			      (json_int_t)rt->active_changes, "members", ms);
	if (p->cfg.bond_mode != VS_BOND_ACTIVE_BACKUP)
		json_object_set_new(o, "xmit_policy",
				    json_string(vs_xmit_policy_name(p->cfg.xmit_policy)));
	else
		json_object_set_new(o, "primary_ethdev",
				    json_integer(rte_eth_bond_primary_get(rt->eth_port)));
	return o;
}
