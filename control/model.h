/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The configuration model: plain structs, their JSON form and validation.
 * Pure (Jansson only, no DPDK): the same functions load the config file at
 * startup, decode control-socket requests and are what the unit tests call.
 * Control thread only.
 */
#ifndef VS_MODEL_H
#define VS_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "vs_commands.h"
#include "vs_proto.h"
#include "vs_types.h"

#define VS_EXTRA_EAL_MAX 16
#define VS_SOCKET_DIRS_MAX 8
#define VS_DIR_MAX 256	/* control.state_dir, including the NUL */
#define VS_STATIC_MACS_MAX 4096

/* An error for the client: errno, the field (JSON path) at fault, a message. */
struct vs_err {
	int code;	/* positive errno */
	char field[128];
	char msg[256];
};

/* Fill e and return -code. field may be NULL. */
int vs_err_set(struct vs_err *e, int code, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* "prefix.key" into buf (truncated if need be): the field named in an error. */
const char *vs_field_cat(char *buf, size_t len, const char *prefix, const char *key);
/* printf into buf, truncated if need be; returns buf. */
const char *vs_pathf(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#define VS_FIELD(buf, prefix, key) vs_field_cat(buf, sizeof(buf), prefix, key)

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
	char name[VS_NS_NAME_MAX];
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
	/* what one VM port may hold of each table (dataplane/policy.c: charged_port) */
	uint32_t per_port, fragments_per_port;
};

/* Ingress policer: srTCM (RFC 2697) when peak_rate_bps is 0, else trTCM (RFC 2698). Rates
 * count Ethernet frame bytes without FCS, preamble and gap. Red frames are dropped. */
struct vs_police_cfg {
	uint64_t rate_bps;	/* CIR; 0 = no policer */
	uint64_t peak_rate_bps;	/* PIR */
	uint64_t burst;	/* CBS, bytes; 0 = default: 10 ms at the rate, >= 2 frames */
	uint64_t peak_burst;	/* trTCM PBS (0 = default as burst) / srTCM EBS (0 = none) */
	bool yellow_drop;
	bool yellow_demote;	/* yellow frames pass in the scavenger class (re-marked) */
};

/* QoS of a port: how frames it receives are classified, and the egress scheduler (rte_sched)
 * of what it sends. Code point lists are bitmaps (PCP 0..7 or DSCP 0..63). */
struct vs_qos_cfg {
	uint64_t rate_bps;	/* egress shaping rate; 0 = no scheduler, frames go straight out */
	uint32_t queue;	/* frames per class queue; 0 = default VS_QOS_QUEUE_DEFAULT */
	uint8_t trust;	/* enum vs_qos_trust */
	uint8_t def;	/* enum vs_qos_class */
	bool critical_given;	/* critical set explicitly; else the trust's default list */
	bool scavenger_given;
	uint64_t critical;
	uint64_t scavenger;
};

#define VS_QOS_QUEUE_DEFAULT 64
#define VS_QOS_QUEUE_MAX 1024
#define VS_QOS_RATE_MIN 1000000ULL	/* 1 Mbit/s */
#define VS_QOS_RATE_MAX 100000000000ULL	/* 100 Gbit/s */

struct vs_port_cfg {
	char name[VS_NAME_MAX];
	enum vs_port_type type;
	char socket[VS_PATH_MAX];	/* vhost-user */
	bool client;	/* vhost-user: vswd connects, QEMU owns the socket */
	uint16_t queues;
	char devargs[VS_DEVARGS_MAX];	/* dpdk */
	char owner[32];	/* server-mode socket ownership, "" = unchanged */
	char group[32];
	uint32_t perm;	/* server-mode socket mode; 0 = default 0660 */
	enum vs_port_mode mode;
	uint16_t vlan;	/* access */
	struct vs_vlan_set allowed;	/* trunk, without the native VLAN */
	uint16_t native_vlan;	/* trunk, 0 = none */
	uint16_t mtu;
	uint32_t mac_limit;	/* learned MACs at most, 0 = only the FDB's size */
	uint8_t bond_mode;	/* enum vs_bond_mode, bond ports */
	uint8_t xmit_policy;	/* enum vs_xmit_policy */
	char members[VS_MEMBERS_LEN];	/* bond: member devargs separated by ';' */
	struct vs_police_cfg police;
	struct vs_qos_cfg qos;
	struct vs_netpol_port np;
};

/* The burst sizes a policer runs with, defaults filled in. */
void vs_police_bursts(const struct vs_police_cfg *p, uint16_t mtu, uint64_t *cbs,
		      uint64_t *ebs_or_pbs);

struct vs_static_mac {
	uint16_t vlan;
	uint8_t mac[6];
	char port[VS_NAME_MAX];
};

struct vs_config {
	struct {
		bool no_huge;
		uint32_t memory_mb;
		uint16_t main_cpu;
		char file_prefix[64];
		uint16_t n_extra;
		char extra_eal_args[VS_EXTRA_EAL_MAX][128];
		bool allow_test_vdevs;	/* devargs may name net_vhost, net_null, ... (allow.c) */
	} dpdk;
	struct {
		uint16_t n_cpus;
		uint16_t cpus[VS_MAX_WORKERS];
		uint32_t idle_sleep_us;
		uint32_t idle_spins;
		uint16_t burst;
	} workers;
	struct {
		char socket[VS_PATH_MAX];
		uint32_t socket_perm;
		char group[32];	/* group of both control sockets, "" = vswd's own */
		char ro_socket[VS_PATH_MAX];	/* read-only socket, "" = none */
		uint32_t ro_socket_perm;
		char state_dir[VS_DIR_MAX];	/* where config.save may write */
		uint16_t n_socket_dirs;	/* where vhost-user sockets may be */
		char socket_dirs[VS_SOCKET_DIRS_MAX][VS_PATH_MAX];
		/* client limits (server.c) */
		uint32_t max_clients;
		uint32_t max_output_bytes;	/* queued replies before vswd stops reading */
		uint32_t max_buffered_bytes;	/* requests and replies of all clients */
		uint32_t requests_per_s, request_burst;	/* token bucket per client */
		uint32_t idle_timeout_s;	/* no request for this long: closed (0 = never) */
		uint32_t hello_timeout_s;	/* no hello this long after connecting: closed */
		uint32_t write_timeout_s;	/* replies not read for this long: closed */
	} control;
	struct {
		uint32_t size;
		uint32_t aging_s;
	} fdb;
	uint16_t n_ports;
	struct vs_port_cfg ports[VS_MAX_PORTS];
	uint16_t n_static_macs;
	struct vs_static_mac static_macs[VS_STATIC_MACS_MAX];
	struct vs_conntrack_cfg conntrack;
	uint16_t n_networks;
	struct vs_network networks[VS_NETWORKS_MAX];
	uint16_t n_namespaces;
	struct vs_namespace namespaces[VS_NAMESPACES_MAX];
	json_t *policies;	/* array of validated policy objects (owned), or NULL */
};

static inline bool vs_port_cfg_in_vlan(const struct vs_port_cfg *p, uint16_t vid)
{
	if (p->mode == VS_MODE_ACCESS)
		return p->vlan == vid;
	return p->native_vlan == vid || vs_vlan_set_has(&p->allowed, vid);
}

/* vlan_set.c: "2003-2005,2010" <-> set. Parse returns 0, or -EINVAL/-ERANGE with e set. */
int vs_vlan_set_parse(const char *s, struct vs_vlan_set *out, struct vs_err *e, const char *field);
/* Writes the canonical form ("2003-2005,2010"; "" for none) into buf. */
void vs_vlan_set_format(const struct vs_vlan_set *s, char *buf, size_t len);
unsigned int vs_vlan_set_count(const struct vs_vlan_set *s);

int vs_mac_parse(const char *s, uint8_t mac[6]);
void vs_mac_format(const uint8_t mac[6], char buf[18]);

/* qos_cfg.c: the qos_* port arguments (port.add, port.set, config rows). */
int vs_qos_args(const json_t *o, const char *prefix, struct vs_qos_cfg *q, struct vs_err *e);
int vs_qos_validate(const struct vs_qos_cfg *q, const char *prefix, struct vs_err *e);
void vs_qos_cfg_to_json(const struct vs_qos_cfg *q, json_t *port);
/* The code points of class cls (critical or scavenger) in effect, defaults applied. */
uint64_t vs_qos_points(const struct vs_qos_cfg *q, uint8_t cls);
/* map[code point] = class, for the trusted field's code points (64 entries). */
void vs_qos_class_map(const struct vs_qos_cfg *q, uint8_t map[64]);
uint32_t vs_qos_queue_len(const struct vs_qos_cfg *q);
const char *vs_qos_class_name(uint8_t cls);
const char *vs_qos_trust_name(uint8_t trust);
/* "5-7" / "40,46,48,56" <-> bitmap of values 0..max. */
int vs_points_parse(const char *s, unsigned int max, uint64_t *out, const char *field,
		    struct vs_err *e);
void vs_points_format(uint64_t bits, char *buf, size_t len);

/* netpol_cfg.c: the inventory network policy works on. */
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
int vs_network_from_json(const json_t *o, const char *prefix, struct vs_network *n,
			 struct vs_err *e);
int vs_namespace_from_json(const json_t *o, const char *prefix, struct vs_namespace *ns,
			   struct vs_err *e);
json_t *vs_namespace_to_json(const struct vs_namespace *ns);
void vs_conntrack_defaults(struct vs_conntrack_cfg *c);
int vs_conntrack_from_json(const json_t *o, struct vs_conntrack_cfg *c, struct vs_err *e);
json_t *vs_conntrack_to_json(const struct vs_conntrack_cfg *c);

/* args.c: check a JSON args object against a command's schema (names, types,
 * required); prefix names the object in errors ("args", "ports[2]"). */
int vs_args_check(const struct vs_command_spec *spec, const json_t *args, const char *prefix,
		  struct vs_err *e);

/* config.c */
void vs_config_defaults(struct vs_config *c);
void vs_config_release(struct vs_config *c);	/* what from_json allocated (policies) */
void vs_port_cfg_defaults(struct vs_port_cfg *p);
/* Decode port.add args / a config "ports" row into p (defaults applied first). */
int vs_port_cfg_from_json(const json_t *o, const char *prefix, struct vs_port_cfg *p,
			  struct vs_err *e);
/* Apply port.set args onto an existing p (what they name; the rest stays). */
int vs_port_cfg_update(const json_t *o, const char *prefix, struct vs_port_cfg *p,
		       struct vs_err *e);
/* One port on its own: ranges, required fields, lengths. */
int vs_port_cfg_validate(const struct vs_port_cfg *p, const char *prefix, struct vs_err *e);
/* Port p may join the set others[0..n) (unique name, socket, device). */
int vs_port_cfg_check_unique(const struct vs_port_cfg *p, const struct vs_port_cfg *const *others,
			     unsigned int n, const char *prefix, struct vs_err *e);
json_t *vs_port_cfg_to_json(const struct vs_port_cfg *p);
int vs_static_mac_from_json(const json_t *o, const char *prefix, struct vs_static_mac *m,
			    struct vs_err *e);
json_t *vs_static_mac_to_json(const struct vs_static_mac *m);
/* Whole config: decode and validate everything, or fail naming the JSON path. */
int vs_config_from_json(const json_t *root, struct vs_config *c, struct vs_err *e);
json_t *vs_config_to_json(const struct vs_config *c);

const char *vs_port_type_name(enum vs_port_type t);
const char *vs_bond_mode_name(uint8_t m);
const char *vs_xmit_policy_name(uint8_t p);
/* Splits a members string into at most max devargs (copies into buf); returns the count. */
int vs_members_split(const char *members, char buf[][VS_DEVARGS_MAX], int max);
const char *vs_port_mode_name(enum vs_port_mode m);

#endif
