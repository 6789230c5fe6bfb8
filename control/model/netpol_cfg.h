/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The inventory network policy works on: labels, addresses, networks,
 * namespaces, conntrack settings.
 * Pure model (Jansson only, no DPDK). Control thread, config loader and unit tests.
 */
#ifndef VS_NETPOL_CFG_H
#define VS_NETPOL_CFG_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "vs_types.h"
#include "control/model/err.h"

/* Kubernetes-style labels of a VM port or a namespace. */
struct vs_label {
	char key[VS_LABEL_KEY_MAX];
	char val[VS_LABEL_VAL_MAX];
};

struct vs_labels {
	uint8_t n;
	struct vs_label l[VS_LABELS_MAX + 1];	/* +1: a namespace's implicit name label */
};

struct vs_ip {
	uint8_t family;	/* 4 or 6 */
	uint8_t addr[16];	/* network order; IPv4 in the first 4 bytes */
};

/* What network policy knows of a VM port: who it is (namespace, labels), its addresses, and
 * the spoof check of what it sends (the NAD's macspoofchk). */
struct vs_netpol_port {
	char ns[VS_NS_NAME_MAX];	/* "" = not a pod: never selected by a policy */
	struct vs_labels labels;
	uint8_t n_ips;
	struct vs_ip ips[VS_PORT_IPS_MAX];
	bool has_mac;
	uint8_t mac[6];
	bool spoofchk;	/* source MAC must be mac */
	bool ip_spoofchk;	/* source IPs (and ARP sender) must be one of ips */
};

/* A named VLAN domain: what a NetworkAttachmentDefinition stands for. */
struct vs_network {
	char name[VS_NET_NAME_MAX];	/* "namespace/nad-name", or a cluster-wide "name" */
	uint16_t vlan;
};

struct vs_namespace {
	char name[VS_NS_NAME_MAX];
	struct vs_labels labels;
};

/* Connection tracking of policy-checked traffic; timeouts in seconds. */
struct vs_conntrack_cfg {
	uint32_t size;	/* connections */
	uint32_t tcp_syn, tcp_established, tcp_fin, tcp_closed;
	uint32_t udp_new, udp_established, icmp, other;
	uint32_t fragments;	/* fragmented datagrams tracked at once */
	uint32_t fragment;	/* timeout of a datagram's fragment entry */
	/* what one VM port may hold of each table (dataplane/policy/ct_path.h: vs_ct_charged_port) */
	uint32_t per_port, fragments_per_port;
};

/* "k=v,k2=v2" or a JSON object of strings; keys and values as Kubernetes allows. */
int vs_labels_parse(const json_t *v, struct vs_labels *out, const char *field, struct vs_err *e);
json_t *vs_labels_to_json(const struct vs_labels *l);
const char *vs_labels_get(const struct vs_labels *l, const char *key);
/* "10.0.0.1,fd00::1" or a JSON array of such strings. */
int vs_ips_parse(const json_t *v, struct vs_ip *out, uint8_t *n, unsigned int max,
		 const char *field, struct vs_err *e);
int vs_ip_parse(const char *s, struct vs_ip *ip);
void vs_ip_format(const struct vs_ip *ip, char *buf, size_t len);
/* The port arguments namespace, labels, ips, mac, spoofchk, ip_spoofchk. */
int vs_netpol_port_args(const json_t *o, const char *prefix, struct vs_netpol_port *np,
			struct vs_err *e);
void vs_netpol_port_to_json(const struct vs_netpol_port *np, json_t *port);
/* network.add / namespace.set args (schema-checked) or the config's rows. */
int vs_network_from_json(const json_t *o, const char *prefix, struct vs_network *n,
			 struct vs_err *e);
int vs_namespace_from_json(const json_t *o, const char *prefix, struct vs_namespace *ns,
			   struct vs_err *e);
json_t *vs_namespace_to_json(const struct vs_namespace *ns);
json_t *vs_network_to_json(const struct vs_network *n);
/* The network a policy-for entry (token, len) names for a policy of namespace pol_ns (NULL
 * for the cluster-scoped kinds). The NAD it means is "ns/name" as written, or, for a bare
 * "name", the policy's own namespace's "pol_ns/name" (as multi-networkpolicy reads it: two
 * tenants' NADs of the same name stay apart). That NAD's network when vswd has it, else a
 * cluster-wide network "name" (a config's own name, which covers the NAD of that name in
 * every namespace). Returns its index, or -1. */
int vs_network_resolve(const struct vs_network *nets, unsigned int n, const char *token,
		       size_t len, const char *pol_ns);
/* JSON arrays of n networks / namespaces. */
json_t *vs_networks_to_json(const struct vs_network *nets, unsigned int n);
json_t *vs_namespaces_to_json(const struct vs_namespace *nss, unsigned int n);
void vs_conntrack_defaults(struct vs_conntrack_cfg *c);
int vs_conntrack_from_json(const json_t *o, struct vs_conntrack_cfg *c, struct vs_err *e);
json_t *vs_conntrack_to_json(const struct vs_conntrack_cfg *c);

#endif
