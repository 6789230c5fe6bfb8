/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The running state of vswd, owned by the control thread: port slots with
 * their config and runtime objects, the global settings, and the typed core
 * functions that change them. Handlers (socket) and the config loader
 * (startup) call the same core functions. Control thread only, unless noted.
 */
#ifndef VS_STATE_H
#define VS_STATE_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "dp.h"
#include "model.h"

struct vs_port {
	bool in_use;
	uint64_t seq;	/* add order, for listing and config save */
	struct vs_port_cfg cfg;
	struct vs_port_rt *rt;
	struct vs_port_counters base;	/* worker counters of the slot when added */
	/* the policer settings last published and their id: the id, and so the workers'
	 * buckets, stay while only something else changes */
	struct vs_police_cfg police_cfg;
	uint32_t police_id;
	struct vs_qos *qos;	/* egress scheduler, NULL without qos_rate */
	/* announce.c, zeroed when the slot is taken: the connection (rt->connects) being
	 * announced to, rounds sent, when the next is due and when this sequence started */
	struct {
		uint32_t conn;
		uint8_t rounds;
		uint64_t next_ms, started_ms;
		uint64_t frames;	/* gratuitous ARP / unsolicited NA frames the guest took */
	} announce;
};

struct vs_state {
	struct vs_config *cfg;	/* global settings; ports/static MACs live below */
	char config_path[PATH_MAX];	/* realpath of -c */
	char state_dir_real[PATH_MAX];	/* realpath of control.state_dir ("" = missing) */
	dev_t state_dev;	/* and its identity, checked again at each save */
	ino_t state_ino;
	uint64_t next_seq;
	uint64_t snapshots_published;
	/* startup timeline (CLOCK_MONOTONIC ms): main() entered; EAL up; socket and ports up */
	uint64_t start_ms, eal_ms, ready_ms;
	struct vs_port ports[VS_MAX_PORTS];
};

extern struct vs_state vs_st;

/* core.c: change the running state; on error nothing changed. */
int vs_core_port_add(const struct vs_port_cfg *cfg, struct vs_err *e);
int vs_core_port_del(const char *name, struct vs_err *e);
int vs_core_port_set(const char *name, const json_t *args, struct vs_err *e);
int vs_core_mac_add(const struct vs_static_mac *m, struct vs_err *e);
int vs_core_mac_del(uint16_t vlan, const uint8_t mac[6], struct vs_err *e);
int vs_core_port_find(const char *name);	/* slot or -1 */
/* Apply a whole validated config at startup (ports, then static MACs). */
int vs_core_apply_config(const struct vs_config *c, struct vs_err *e);
void vs_core_remove_all(void);
/* The running state in the config file's format. */
json_t *vs_core_running_config(void);
/* Canonical control.state_dir (created 0750 if missing) for vs_core_config_save. */
void vs_core_state_dir_init(void);
/* Writes the running config atomically to path (NULL: the -c file), which must be in
 * control.state_dir or be the -c file; *saved is the path written. */
int vs_core_config_save(const char *path, const char **saved, struct vs_err *e);
/* Fills slots with the in-use slots in add order; returns how many. */
int vs_core_ports_ordered(int *slots);

/* snapshot.c: build from vs_st, publish, wait a grace period, free the old. */
int vs_snapshot_publish(struct vs_err *e);
void vs_snapshot_free_current(void);

/* ports.c: a port's runtime object (vhost-user driver or ethdev). */
int vs_port_rt_create(const struct vs_port_cfg *cfg, struct vs_port_rt **out, struct vs_err *e);
/* Call only once no snapshot references rt any more. */
void vs_port_rt_destroy(const struct vs_port_cfg *cfg, struct vs_port_rt *rt);
void vs_ports_poll_links(void);
/* Control thread: frames straight into a connected guest's first enabled RX ring, next to
 * the workers (rte_vhost serialises them per ring). Frees them all; returns how many the
 * guest took (0 when it is not connected). */
uint16_t vs_port_vhost_inject(struct vs_port_rt *rt, struct rte_mbuf **pkts, uint16_t n);
/* Control thread, every few ms: gratuitous ARP / unsolicited NA to guests that connected. */
void vs_announce_run(void);
json_t *vs_bond_to_json(uint16_t slot);	/* a bond port's mode, members, LACP state */

/* qos.c: a port's egress scheduler (*out NULL when cfg has no qos_rate). */
int vs_qos_create(const struct vs_port_cfg *cfg, uint16_t slot, struct vs_qos **out,
		  struct vs_err *e);
/* Call only once no snapshot references q any more; frees what is still queued. */
void vs_qos_destroy(struct vs_qos *q);
/* Whether going from a to b needs a new scheduler (rate or queue length changed). */
bool vs_qos_needs_new(const struct vs_qos_cfg *a, const struct vs_qos_cfg *b);
json_t *vs_qos_to_json(uint16_t slot);

/* fdb.c: the FDB's single writer. */
struct vs_fdb *vs_fdb_create(uint32_t size, uint32_t aging_s, struct rte_rcu_qsbr *qsbr);
void vs_fdb_destroy(struct vs_fdb *f);
void vs_fdb_drain_learn(struct vs_fdb *f);	/* from the workers' rings */
void vs_fdb_age(struct vs_fdb *f, uint32_t now);
int vs_fdb_add_static(struct vs_fdb *f, uint16_t vlan, const uint8_t mac[6], uint16_t port,
		      struct vs_err *e);
int vs_fdb_del(struct vs_fdb *f, uint16_t vlan, const uint8_t mac[6]);
/* Remove entries matching vlan (0 = any) and port (VS_PORT_NONE = any). */
unsigned int vs_fdb_flush(struct vs_fdb *f, uint16_t vlan, uint16_t port, bool statics);
/* The same for the VLANs of a set (NULL = any), in one walk of the table. */
unsigned int vs_fdb_flush_vlans(struct vs_fdb *f, const struct vs_vlan_set *vlans, uint16_t port,
				bool statics);
uint32_t vs_fdb_count(const struct vs_fdb *f, uint16_t vlan);
/* Entries of every VLAN at once: counts[vid], one walk of the table. */
void vs_fdb_count_by_vlan(const struct vs_fdb *f, uint32_t counts[VS_VLAN_COUNT]);
json_t *vs_fdb_to_json(const struct vs_fdb *f, uint16_t vlan, uint16_t port, uint32_t now);
json_t *vs_fdb_statics_to_json(const struct vs_fdb *f);
json_t *vs_fdb_stats_json(const struct vs_fdb *f);

/* stats.c */
void vs_port_counters_sum(uint16_t slot, struct vs_port_counters *out);
json_t *vs_port_to_json(uint16_t slot);
json_t *vs_stats_json(void);

#endif
