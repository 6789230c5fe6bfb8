/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * JSON results to metric families, by tables: a column names where a number is in an
 * element of a list (a dotted path) and the family it goes to. A family's samples are
 * written together (the format requires it): columns outside, list elements inside.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "control/metrics/collect.h"
#include "vs_commands.h"
#include "control/core/state.h"
#include "control/model/ratelimit.h"
#include "control/server/handlers.h"
#include "dataplane/worker/drops.h"

struct col {
	const char *path;	/* dotted path in the element; a string "up"/true reads 1 */
	enum vs_metric_type type;
	const char *name;
	const char *help;
};

/* The result of a read-only command (NULL if it fails: its families are left out). */
static json_t *run(enum vs_command_id id, json_t *args)
{
	struct vs_err e = { 0 };
	json_t *r = NULL;
	json_t *a = args != NULL ? args : json_object();
	if (vs_handlers[id](a, &r, &e) < 0)
		r = NULL;
	json_decref(a);
	return r;
}

static const json_t *at(const json_t *o, const char *path)
{
	char key[64];
	while (o != NULL && *path != '\0') {
		const char *dot = strchr(path, '.');
		size_t n = dot ? (size_t)(dot - path) : strlen(path);
		if (n >= sizeof(key))
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		o = json_object_get(o, key);
		path += n + (dot ? 1 : 0);
	}
	return o;
}

/* A number, a boolean (1/0) or "up" (1, else 0); false if absent. */
static bool number(const json_t *v, double *out)
{
	if (json_is_integer(v))
		*out = (double)json_integer_value(v);
	else if (json_is_real(v))
		*out = json_real_value(v);
	else if (json_is_boolean(v))
		*out = json_is_true(v);
	else if (json_is_string(v))
		*out = strcmp(json_string_value(v), "up") == 0;
	else
		return false;
	return true;
}

static void sample_json(struct vs_expo *x, const struct vs_mlabel *l, size_t n, const json_t *v)
{
	double d;
	if (json_is_integer(v) && json_integer_value(v) >= 0)
		vs_expo_sample_u64(x, l, n, (uint64_t)json_integer_value(v));
	else if (number(v, &d))
		vs_expo_sample(x, l, n, d);
}

/* A label value of an element: a string as it is, an integer in decimal. */
static const char *label_of(const json_t *o, const char *key, char *buf, size_t len)
{
	const json_t *v = at(o, key);
	if (json_is_integer(v)) {
		snprintf(buf, len, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return buf;
	}
	return json_string_value(v) ?: "";
}

/* For each column, one sample per element of list, labelled label=element[key]. */
static void columns(struct vs_expo *x, const json_t *list, const char *key, const char *label,
		    const struct col *cols, size_t n_cols)
{
	for (size_t c = 0; c < n_cols; c++) {
		const json_t *el;
		size_t i;
		vs_expo_family(x, cols[c].type, cols[c].name, cols[c].help);
		json_array_foreach(list, i, el) {
			char buf[32];
			const json_t *v = at(el, cols[c].path);
			struct vs_mlabel l = { label, label_of(el, key, buf, sizeof(buf)) };
			if (v != NULL)
				sample_json(x, &l, key ? 1 : 0, v);
		}
	}
}

/* Single values of one object. */
static void scalars(struct vs_expo *x, const json_t *o, const struct col *cols, size_t n_cols)
{
	for (size_t c = 0; c < n_cols; c++) {
		const json_t *v = at(o, cols[c].path);
		if (v == NULL)
			continue;
		vs_expo_family(x, cols[c].type, cols[c].name, cols[c].help);
		sample_json(x, NULL, 0, v);
	}
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void build_info(struct vs_expo *x)
{
	json_t *v = run(VS_CMD_VERSION, NULL);
	struct vs_mlabel l[] = { { "version", json_string_value(json_object_get(v, "version")) },
				{ "dpdk", json_string_value(json_object_get(v, "dpdk")) } };
	vs_expo_family(x, VS_GAUGE, "vsw_build_info", "vswd's version and DPDK's (always 1)");
	vs_expo_sample(x, l, N(l), 1);
	json_decref(v);
	/* start time: the wall clock now minus the monotonic time since start */
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	double up = (double)(vs_now_ms() - vs_st.start_ms) / 1000.0;
	vs_expo_family(x, VS_GAUGE, "vsw_process_start_time_seconds",
		       "when vswd started, seconds since the Unix epoch");
	vs_expo_sample(x, NULL, 0, (double)now.tv_sec + (double)now.tv_nsec / 1e9 - up);
}

static void ports(struct vs_expo *x)
{
	static const struct col cols[] = {
		{ "stats.rx_packets", VS_COUNTER, "vsw_port_rx_packets", "frames received from the port" },
		{ "stats.rx_bytes", VS_COUNTER, "vsw_port_rx_bytes", "bytes received from the port" },
		{ "stats.tx_packets", VS_COUNTER, "vsw_port_tx_packets", "frames sent to the port" },
		{ "stats.tx_bytes", VS_COUNTER, "vsw_port_tx_bytes", "bytes sent to the port" },
		{ "link", VS_GAUGE, "vsw_port_link_up", "1 if the port's link is up" },
		{ "connected", VS_GAUGE, "vsw_port_vhost_connected",
		  "vhost-user ports: 1 if a guest is connected" },
		{ "queues", VS_GAUGE, "vsw_port_queues", "vhost-user ports: configured queue pairs" },
		{ "rx_rings_enabled", VS_GAUGE, "vsw_port_vhost_rx_rings_enabled",
		  "vhost-user ports: rings the guest enabled for receiving" },
		{ "connects", VS_COUNTER, "vsw_port_vhost_connects", "vhost-user ports: guest (re)connections" },
		{ "fdb.macs", VS_GAUGE, "vsw_port_fdb_macs", "learned MACs on the port" },
		{ "policy.established_sent", VS_COUNTER, "vsw_port_policy_established_packets",
		  "packets the port sent on established (conntrack) connections" },
	};
	json_t *r = run(VS_CMD_PORT_LIST, NULL);
	const json_t *list = json_object_get(r, "ports"), *p;
	size_t i;

	vs_expo_family(x, VS_GAUGE, "vsw_port_info", "a port's type and mode (always 1)");
	json_array_foreach(list, i, p) {
		struct vs_mlabel l[] = { { "port", label_of(p, "name", NULL, 0) },
					{ "type", label_of(p, "type", NULL, 0) },
					{ "mode", label_of(p, "mode", NULL, 0) } };
		vs_expo_sample(x, l, N(l), 1);
	}
	columns(x, list, "name", "port", cols, N(cols));
	vs_expo_family(x, VS_COUNTER, "vsw_port_drops",
		       "frames dropped, by the port they came from (or were for) and reason");
	json_array_foreach(list, i, p) {
		for (int d = 0; d < VS_DROP__COUNT; d++) {
			const json_t *v = json_object_get(at(p, "stats.drops"), vs_drop_name(d));
			struct vs_mlabel l[] = { { "port", label_of(p, "name", NULL, 0) },
						{ "reason", vs_drop_name(d) } };
			if (v != NULL)
				sample_json(x, l, N(l), v);
		}
	}
	vs_expo_family(x, VS_COUNTER, "vsw_port_policy_verdicts",
		       "checks of the port's own policies, by direction and verdict");
	json_array_foreach(list, i, p) {
		static const char *const dirs[] = { "ingress", "egress" };
		static const char *const verdicts[] = { "allowed", "denied" };
		for (int d = 0; d < 2; d++)
			for (int k = 0; k < 2; k++) {
				char path[64];
				snprintf(path, sizeof(path), "policy.%s.%s", dirs[d], verdicts[k]);
				struct vs_mlabel l[] = { { "port", label_of(p, "name", NULL, 0) },
							{ "direction", dirs[d] },
							{ "verdict", verdicts[k] } };
				const json_t *v = at(p, path);
				if (v != NULL)
					sample_json(x, l, N(l), v);
			}
	}
	json_decref(r);
}

static void fdb_and_vlans(struct vs_expo *x)
{
	static const struct col fdb[] = {
		{ "fdb.entries", VS_GAUGE, "vsw_fdb_entries", "MAC table entries, all VLANs" },
		{ "fdb.size", VS_GAUGE, "vsw_fdb_size", "MAC table capacity" },
		{ "fdb.learned", VS_COUNTER, "vsw_fdb_learned", "MACs learned" },
		{ "fdb.moved", VS_COUNTER, "vsw_fdb_moved", "MACs that moved to another port" },
		{ "fdb.aged", VS_COUNTER, "vsw_fdb_aged", "MACs aged out" },
		{ "fdb.flushed", VS_COUNTER, "vsw_fdb_flushed", "MACs flushed" },
		{ "fdb.full", VS_COUNTER, "vsw_fdb_full", "MACs not learned: the table was full" },
		{ "fdb.limited", VS_COUNTER, "vsw_fdb_limited",
		  "MACs not learned: the port's max_macs was reached" },
		{ "fdb.static_conflicts", VS_COUNTER, "vsw_fdb_static_conflicts",
		  "frames from a static MAC on another port" },
		{ "snapshots", VS_COUNTER, "vsw_snapshots_published",
		  "configuration snapshots published to the workers" },
	};
	static const struct col vlan[] = {
		{ "macs", VS_GAUGE, "vsw_vlan_fdb_entries", "MAC table entries of the VLAN" },
	};
	json_t *r = run(VS_CMD_STATS, NULL);
	scalars(x, r, fdb, N(fdb));
	json_decref(r);
	r = run(VS_CMD_VLAN_LIST, NULL);
	columns(x, json_object_get(r, "vlans"), "vlan", "vlan", vlan, N(vlan));
	json_decref(r);
}

static void workers(struct vs_expo *x)
{
	static const struct col cols[] = {
		{ "busy_cycles", VS_COUNTER, "vsw_worker_busy_cycles",
		  "TSC cycles of poll loops that received packets" },
		{ "idle_cycles", VS_COUNTER, "vsw_worker_idle_cycles",
		  "TSC cycles of empty poll loops, sleeps included" },
		{ "sleep_cycles", VS_COUNTER, "vsw_worker_sleep_cycles", "TSC cycles asleep when idle" },
		{ "busy_loops", VS_COUNTER, "vsw_worker_busy_loops", "poll loops that received packets" },
		{ "idle_loops", VS_COUNTER, "vsw_worker_idle_loops", "empty poll loops" },
		{ "sleeps", VS_COUNTER, "vsw_worker_sleeps", "idle sleeps" },
		{ "rx_packets", VS_COUNTER, "vsw_worker_rx_packets", "packets the worker received" },
	};
	json_t *r = run(VS_CMD_WORKER_STATS, NULL);
	const json_t *list = json_object_get(r, "workers"), *w, *q;
	size_t i, j;
	double hz = (double)json_integer_value(json_object_get(r, "tsc_hz"));

	vs_expo_family(x, VS_GAUGE, "vsw_worker_tsc_hz", "TSC cycles per second");
	vs_expo_sample(x, NULL, 0, hz);
	columns(x, list, "id", "worker", cols, N(cols));
	/* the same in seconds: rate() of it is the worker's busy share */
	vs_expo_family(x, VS_COUNTER, "vsw_worker_busy_seconds",
		       "time in poll loops that received packets");
	json_array_foreach(list, i, w) {
		char buf[16];
		struct vs_mlabel l = { "worker", label_of(w, "id", buf, sizeof(buf)) };
		vs_expo_sample(x, &l, 1, hz > 0 ? (double)json_integer_value(at(w, "busy_cycles")) / hz : 0);
	}
	static const struct col rxq[] = {
		{ "packets", VS_COUNTER, "vsw_worker_rxq_packets", "packets from the (port, queue)" },
		{ "cycles", VS_COUNTER, "vsw_worker_rxq_cycles",
		  "TSC cycles spent on the (port, queue)'s bursts" },
	};
	for (size_t c = 0; c < N(rxq); c++) {
		vs_expo_family(x, rxq[c].type, rxq[c].name, rxq[c].help);
		json_array_foreach(list, i, w) {
			json_array_foreach(json_object_get(w, "rxqs"), j, q) {
				char wb[16], qb[16];
				struct vs_mlabel l[] = { { "worker", label_of(w, "id", wb, sizeof(wb)) },
							{ "port", label_of(q, "port", NULL, 0) },
							{ "queue", label_of(q, "queue", qb, sizeof(qb)) } };
				sample_json(x, l, N(l), at(q, rxq[c].path));
			}
		}
	}
	json_decref(r);
}

static void conntrack(struct vs_expo *x)
{
	static const struct col cols[] = {
		{ "count", VS_GAUGE, "vsw_conntrack_entries", "tracked connections" },
		{ "size", VS_GAUGE, "vsw_conntrack_limit", "connection table capacity" },
		{ "created", VS_COUNTER, "vsw_conntrack_created", "connections created" },
		{ "expired", VS_COUNTER, "vsw_conntrack_expired", "connections expired" },
		{ "revalidated", VS_COUNTER, "vsw_conntrack_revalidated",
		  "connections checked again after a policy change" },
		{ "revoked", VS_COUNTER, "vsw_conntrack_revoked",
		  "connections a policy change no longer allowed" },
		{ "fragments.count", VS_GAUGE, "vsw_fragments_entries", "datagrams whose fragments are tracked" },
		{ "fragments.size", VS_GAUGE, "vsw_fragments_limit", "fragment table capacity" },
		{ "fragments.tracked", VS_COUNTER, "vsw_fragments_tracked",
		  "datagrams whose first fragment started an entry" },
		{ "fragments.expired", VS_COUNTER, "vsw_fragments_expired", "fragment entries expired" },
	};
	json_t *r = run(VS_CMD_CONNTRACK_SHOW, json_pack("{s:i}", "limit", 0));
	const char *k;
	json_t *v;
	scalars(x, r, cols, N(cols));
	vs_expo_family(x, VS_GAUGE, "vsw_conntrack_state_entries", "tracked connections by state");
	json_object_foreach(json_object_get(r, "states"), k, v) {
		struct vs_mlabel l = { "state", k };
		sample_json(x, &l, 1, v);
	}
	json_decref(r);
}

/* "net_virtio_user0,path=..." -> "net_virtio_user0": a member's name without its options */
static const char *member_name(const json_t *m, char *buf, size_t len)
{
	const char *d = json_string_value(json_object_get(m, "devargs")) ?: "";
	snprintf(buf, len, "%.*s", (int)strcspn(d, ","), d);
	return buf;
}

static void bonds(struct vs_expo *x)
{
	static const struct col bond[] = {
		{ "link", VS_GAUGE, "vsw_bond_link_up", "1 if the bond's link is up" },
		{ "active_members", VS_GAUGE, "vsw_bond_active_members", "members carrying traffic" },
		{ "active_changes", VS_COUNTER, "vsw_bond_active_changes",
		  "changes of the set of active members" },
	};
	static const struct col member[] = {
		{ "link", VS_GAUGE, "vsw_bond_member_link_up", "1 if the member's link is up" },
		{ "active", VS_GAUGE, "vsw_bond_member_active", "1 if the member carries traffic" },
		{ "link_down_events", VS_COUNTER, "vsw_bond_member_link_down_events", "links lost" },
		{ "link_up_events", VS_COUNTER, "vsw_bond_member_link_up_events", "links regained" },
		{ "lacp.selected", VS_GAUGE, "vsw_bond_member_lacp_selected",
		  "802.3ad: 1 if LACP selected the member for the aggregator" },
		{ "stats.rx_errors", VS_COUNTER, "vsw_bond_member_rx_errors", "receive errors and misses" },
		{ "stats.tx_errors", VS_COUNTER, "vsw_bond_member_tx_errors", "send errors" },
	};
	json_t *r = run(VS_CMD_BOND_SHOW, NULL);
	const json_t *list = json_object_get(r, "bonds"), *b, *m;
	size_t i, j;

	columns(x, list, "name", "bond", bond, N(bond));
	for (size_t c = 0; c < N(member); c++) {
		vs_expo_family(x, member[c].type, member[c].name, member[c].help);
		json_array_foreach(list, i, b) {
			json_array_foreach(json_object_get(b, "members"), j, m) {
				char buf[64];
				struct vs_mlabel l[] = { { "bond", label_of(b, "name", NULL, 0) },
							{ "member", member_name(m, buf, sizeof(buf)) } };
				const json_t *v = at(m, member[c].path);
				if (v != NULL)
					sample_json(x, l, N(l), v);
			}
		}
	}
	json_decref(r);
}

static void qos(struct vs_expo *x)
{
	static const struct col cols[] = {
		{ "queued", VS_GAUGE, "vsw_qos_queued_packets", "frames waiting in the class's queue" },
		{ "enqueued", VS_COUNTER, "vsw_qos_enqueued_packets", "frames queued in the class" },
		{ "dropped", VS_COUNTER, "vsw_qos_dropped_packets", "frames the class's queue dropped" },
		{ "sent", VS_COUNTER, "vsw_qos_sent_packets", "frames the scheduler sent" },
		{ "sent_bytes", VS_COUNTER, "vsw_qos_sent_bytes", "bytes the scheduler sent" },
	};
	json_t *r = run(VS_CMD_QOS_SHOW, NULL);
	const json_t *list = json_object_get(r, "ports"), *p, *k;
	size_t i, j;

	for (size_t c = 0; c < N(cols); c++) {
		vs_expo_family(x, cols[c].type, cols[c].name, cols[c].help);
		json_array_foreach(list, i, p) {
			json_array_foreach(at(p, "scheduler.classes"), j, k) {
				struct vs_mlabel l[] = { { "port", label_of(p, "name", NULL, 0) },
							{ "class", label_of(k, "class", NULL, 0) } };
				const json_t *v = at(k, cols[c].path);
				if (v != NULL)
					sample_json(x, l, N(l), v);
			}
		}
	}
	vs_expo_family(x, VS_GAUGE, "vsw_qos_rate_bits_per_second", "the port's shaped rate");
	json_array_foreach(list, i, p) {
		struct vs_mlabel l = { "port", label_of(p, "name", NULL, 0) };
		const json_t *v = at(p, "scheduler.rate");
		if (v != NULL)
			sample_json(x, &l, 1, v);
	}
	json_decref(r);
}

static void control(struct vs_expo *x)
{
	json_t *r = run(VS_CMD_CONTROL_SHOW, NULL);
	const char *k;
	json_t *v;
	struct vs_mlabel rw = { "socket", "rw" }, ro = { "socket", "ro" };

	vs_expo_family(x, VS_GAUGE, "vsw_control_clients", "connected control clients");
	sample_json(x, &rw, 1, json_object_get(r, "clients"));
	sample_json(x, &ro, 1, json_object_get(r, "clients_ro"));
	/* every counter of control.show: accepted, requests, request_errors, refusals, ... */
	json_object_foreach(json_object_get(r, "counters"), k, v) {
		char name[96], help[128];
		snprintf(name, sizeof(name), "vsw_control_%s", k);
		snprintf(help, sizeof(help), "control socket: %s (vswctl control show)", k);
		vs_expo_family(x, VS_COUNTER, name, help);
		sample_json(x, NULL, 0, v);
	}
	json_decref(r);
}

void vs_metrics_collect(struct vs_expo *x)
{
	build_info(x);
	ports(x);
	fdb_and_vlans(x);
	workers(x);
	conntrack(x);
	bonds(x);
	qos(x);
	control(x);
}
