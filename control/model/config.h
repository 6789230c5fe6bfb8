/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The whole configuration: global settings, ports, static MACs, networks,
 * namespaces, policies; decoded and validated at once.
 * Pure model (Jansson only, no DPDK). Control thread, config loader and unit tests.
 */
#ifndef VS_CONFIG_H
#define VS_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "vs_types.h"
#include "control/metrics/listen.h"
#include "control/model/err.h"
#include "control/model/netpol_cfg.h"
#include "control/model/port_cfg.h"

#define VS_EXTRA_EAL_MAX 16
#define VS_SOCKET_DIRS_MAX 8
#define VS_DIR_MAX 256	/* control.state_dir, including the NUL */
#define VS_STATIC_MACS_MAX 4096

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
		bool persist;	/* keep the running state in state_dir (control/core/persist.c) */
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
	struct {
		char listen[VS_LISTEN_MAX];	/* as given; "" = off */
		struct vs_listen at;	/* parsed */
	} metrics;
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

void vs_config_defaults(struct vs_config *c);
void vs_config_release(struct vs_config *c);	/* what from_json allocated (policies) */
/* mac.add args (schema-checked) or a config "static_macs" row. */
int vs_static_mac_from_json(const json_t *o, const char *prefix, struct vs_static_mac *m,
			    struct vs_err *e);
json_t *vs_static_mac_to_json(const struct vs_static_mac *m);
/* Whole config: decode and validate everything, or fail naming the JSON path. */
int vs_config_from_json(const json_t *root, struct vs_config *c, struct vs_err *e);
json_t *vs_config_to_json(const struct vs_config *c);

#endif
