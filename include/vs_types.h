/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Plain shared types and limits of vsw: no DPDK, libevent or Jansson here so
 * that every part (vswd, vswctl, unit tests) can include it.
 */
#ifndef VS_TYPES_H
#define VS_TYPES_H

#include <stdbool.h>
#include <stdint.h>

#define VS_VERSION "0.1.0"

#define VS_MAX_PORTS 256	/* port slots in a snapshot */
#define VS_MAX_WORKERS 16	/* worker lcores */
#define VS_MAX_QUEUES 16	/* queue pairs per port */
#define VS_NAME_MAX 32		/* port name, including the NUL */
#define VS_PATH_MAX 108		/* sizeof(sun_path) on Linux, including the NUL */
#define VS_DEVARGS_MAX 256
#define VS_VLAN_MIN 1
#define VS_VLAN_MAX 4094
#define VS_VLAN_COUNT 4096
#define VS_MTU_MIN 68
#define VS_MTU_MAX 9000
#define VS_MTU_DEFAULT 1500
/* MACs a VM port may have learned at once: one VM cannot fill the FDB all VLANs share */
#define VS_MAC_LIMIT_VM_DEFAULT 1024
#define VS_MAC_LIMIT_MAX (1u << 24)

/* Network policy inventory (issue #3) */
/* Kubernetes label keys are an optional DNS-subdomain prefix (253) '/' a name (63); KubeVirt
 * and OpenShift VMs carry 20-30 labels (their virt-launcher pods more). */
#define VS_LABELS_MAX 32	/* labels per port or namespace */
#define VS_LABEL_KEY_MAX 320	/* 253 + 1 + 63, and the NUL */
#define VS_LABEL_VAL_MAX 64	/* Kubernetes: 63 characters */
#define VS_PORT_IPS_MAX 8	/* addresses of one VM port */
#define VS_NS_NAME_MAX 64	/* Kubernetes namespace name: 63 characters */
#define VS_NETWORKS_MAX 256
/* a network's name: a NetworkAttachmentDefinition's "namespace/name" (63 + 1 + 253), or a
 * cluster-wide name of the config's own */
#define VS_NET_NAME_MAX 320
#define VS_NAMESPACES_MAX 256

/* A set of VLAN ids 0..4095 as a bitmap. */
struct vs_vlan_set {
	uint64_t bits[VS_VLAN_COUNT / 64];
};

static inline bool vs_vlan_set_has(const struct vs_vlan_set *s, uint16_t vid)
{
	return (s->bits[(vid >> 6) & 63] >> (vid & 63)) & 1;
}

static inline void vs_vlan_set_add(struct vs_vlan_set *s, uint16_t vid)
{
	s->bits[(vid >> 6) & 63] |= 1ULL << (vid & 63);
}

enum vs_port_type {
	VS_PORT_VHOST,	/* vhost-user VM port, via rte_vhost */
	VS_PORT_DPDK,	/* any ethdev: PCI NIC, vdev; the uplink trunk */
	VS_PORT_BOND,	/* DPDK bonding PMD over member ethdevs; an uplink trunk */
};

/* Values are the DPDK bonding PMD's mode numbers. */
enum vs_bond_mode {
	VS_BOND_ACTIVE_BACKUP = 1,
	VS_BOND_BALANCE_XOR = 2,
	VS_BOND_8023AD = 4,
};

/* Values are the DPDK bonding PMD's BALANCE_XMIT_POLICY_* numbers. */
enum vs_xmit_policy {
	VS_XMIT_L2 = 0,
	VS_XMIT_L23 = 1,
	VS_XMIT_L34 = 2,
};

#define VS_BOND_MEMBERS_MAX 8
#define VS_MEMBERS_LEN 1024	/* members: devargs separated by ';' */

enum vs_port_mode {
	VS_MODE_ACCESS,	/* one VLAN, untagged on the wire */
	VS_MODE_TRUNK,	/* allowed list, tagged except the native VLAN */
};

/* Traffic classes of the QoS stage, highest priority first. */
enum vs_qos_class {
	VS_QOS_CRITICAL,	/* strict priority: storage heartbeat, cluster control */
	VS_QOS_BEST_EFFORT,
	VS_QOS_SCAVENGER,	/* bulk/background: shares what best-effort leaves, by WRR */
	VS_QOS_CLASSES,
};

/* Which field of a received frame picks its class; the port default otherwise. */
enum vs_qos_trust {
	VS_TRUST_NONE,	/* every frame gets the port default */
	VS_TRUST_PCP,	/* 802.1p priority of a tagged frame */
	VS_TRUST_DSCP,	/* DSCP of an IPv4/IPv6 packet */
};

#endif
