/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Per-command human views: the port, VLAN, MAC, switch and control views here, the
 * policy-side ones (bond, QoS, policy, conntrack) in views_net.c. Result shapes are
 * documented in vs_commands.h. A view only chooses and orders: unknown members a newer
 * vswd adds still show, through the generic record of what is left.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "render.h"
#include "views.h"
#include "views_net.h"
#include "vs_types.h"

static json_int_t int_of(const json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

static const char *str_of(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key)) ?: "";
}

static json_int_t sum(const json_t *counters)
{
	const char *k;
	json_t *v;
	json_int_t n = 0;

	json_object_foreach((json_t *)counters, k, v)
		n += json_integer_value(v);
	return n;
}

static void port_list(struct vs_writer *w, const json_t *res)
{
	json_t *p;
	size_t i;

	vs_writer_table(w, NULL, "NAME TYPE MODE VLANS LINK RX_PKTS TX_PKTS DROPS", 0xe0);
	json_array_foreach(json_object_get(res, "ports"), i, p) {
		json_t *stats = json_object_get(p, "stats");
		json_int_t native = int_of(p, "native_vlan");
		const char *allowed = str_of(p, "allowed");
		bool trunk = strcmp(str_of(p, "mode"), "trunk") == 0;

		vs_render_cell(w, p, "name");
		vs_render_cell(w, p, "type");
		vs_render_cell(w, p, "mode");
		/* Access ports show their VLAN, trunks "allowed[/native N]". */
		if (trunk && native != 0)
			vs_writer_cell(w, "%s/native %" JSON_INTEGER_FORMAT,
				       *allowed ? allowed : "-", native);
		else if (trunk)
			vs_writer_cell(w, "%s", *allowed ? allowed : "-");
		else
			vs_render_cell(w, p, "vlan");
		vs_render_cell(w, p, "link");
		vs_render_cell(w, stats, "rx_packets");
		vs_render_cell(w, stats, "tx_packets");
		vs_writer_cell(w, "%" JSON_INTEGER_FORMAT, sum(json_object_get(stats, "drops")));
	}
}

/* A port object: its settings and state, then its counters with only the non-zero drops. */
static void port_show(struct vs_writer *w, const json_t *res)
{
	static const char *const skip_stats[] = { "stats", NULL };
	static const char *const skip_drops[] = { "drops", NULL };
	const json_t *stats = json_object_get(res, "stats");

	vs_render_record(w, res, skip_stats);
	if (stats == NULL)
		return;
	vs_writer_begin(w, "stats");
	vs_render_record(w, stats, skip_drops);
	vs_render_nonzero(w, "drops", json_object_get(stats, "drops"));
	vs_writer_end(w);
}

static void vlan_list(struct vs_writer *w, const json_t *res)
{
	json_t *v;
	size_t i;

	vs_writer_table(w, NULL, "VLAN PORTS MACS", 0x5);
	json_array_foreach(json_object_get(res, "vlans"), i, v) {
		vs_render_cell(w, v, "vlan");
		vs_render_cell(w, v, "ports");
		vs_render_cell(w, v, "macs");
	}
}

static void mac_show(struct vs_writer *w, const json_t *res)
{
	json_t *m;
	size_t i;

	vs_writer_table(w, NULL, "VLAN MAC PORT TYPE AGE", 0x11);
	json_array_foreach(json_object_get(res, "macs"), i, m) {
		bool is_static = json_is_true(json_object_get(m, "static"));

		vs_render_cell(w, m, "vlan");
		vs_render_cell(w, m, "mac");
		vs_render_cell(w, m, "port");
		vs_writer_cell(w, "%s", is_static ? "static" : "learned");
		/* Static entries never age out: a number there would mislead. */
		if (is_static)
			vs_writer_cell(w, "-");
		else
			vs_render_cell(w, m, "age");
	}
}

static void stats(struct vs_writer *w, const json_t *res)
{
	static const char *const skip[] = { "drops", NULL };

	vs_render_record(w, res, skip);
	vs_render_nonzero(w, "drops", json_object_get(res, "drops"));
}

/* worker.stats, the way ovs-appctl dpif-netdev/pmd-perf-show reads: one record a worker,
 * its busy share, cycles per packet, then its rx queues' shares of the busy time. */
static void worker_stats(struct vs_writer *w, const json_t *res)
{
	json_t *wk, *q;
	size_t i, j;

	vs_render_kv(w, res, "since_s", "since (s)");
	vs_render_kv(w, res, "tsc_hz", "TSC (Hz)");
	json_array_foreach(json_object_get(res, "workers"), i, wk) {
		char title[64];

		snprintf(title, sizeof(title), "worker %" JSON_INTEGER_FORMAT, int_of(wk, "id"));
		vs_writer_blank(w);
		vs_writer_begin(w, title);
		vs_render_kv(w, wk, "lcore", NULL);
		vs_render_kv(w, wk, "cpu", NULL);
		vs_writer_kv(w, "busy", "%.1f %%",
			     json_real_value(json_object_get(wk, "busy_pct")));
		vs_render_kv(w, wk, "busy_cycles", "busy cycles");
		vs_render_kv(w, wk, "idle_cycles", "idle cycles");
		vs_render_kv(w, wk, "sleep_cycles", "of them asleep");
		vs_render_kv(w, wk, "rx_packets", "rx packets");
		vs_writer_kv(w, "cycles/packet", "%.1f",
			     json_real_value(json_object_get(wk, "cycles_per_packet")));
		vs_render_kv(w, wk, "busy_loops", "busy loops");
		vs_render_kv(w, wk, "idle_loops", "idle loops");
		vs_render_kv(w, wk, "sleeps", NULL);
		vs_writer_table(w, "rx queues", "PORT QUEUE PACKETS CYCLES SHARE", 0x1e);
		json_array_foreach(json_object_get(wk, "rxqs"), j, q) {
			vs_render_cell(w, q, "port");
			vs_render_cell(w, q, "queue");
			vs_render_cell(w, q, "packets");
			vs_render_cell(w, q, "cycles");
			vs_writer_cell(w, "%.1f %%",
				       json_real_value(json_object_get(q, "share_pct")));
		}
		vs_writer_end(w);
	}
}

static void version(struct vs_writer *w, const json_t *res)
{
	vs_writer_kv(w, "vswctl", "%s", VS_VERSION);
	vs_render_kv(w, res, "version", "vswd");
	vs_render_kv(w, res, "dpdk", NULL);
	vs_render_kv(w, res, "proto", "protocol");
}

/* The server's listing: one line per command with its required arguments and how many
 * optional ones it takes ("vlan,mac,port", "name +34"); `help COMMAND` has them all. */
static void commands(struct vs_writer *w, const json_t *res)
{
	json_t *c, *a;
	size_t i, j;

	vs_writer_table(w, NULL, "COMMAND ACCESS ARGUMENTS DESCRIPTION", 0);
	json_array_foreach(json_object_get(res, "commands"), i, c) {
		char args[512] = "";
		size_t n = 0, optional = 0;

		json_array_foreach(json_object_get(c, "args"), j, a) {
			if (!json_is_true(json_object_get(a, "required")))
				optional++;
			else if (n < sizeof(args))
				n += (size_t)snprintf(args + n, sizeof(args) - n, "%s%s",
						      n ? "," : "", str_of(a, "name"));
		}
		if (optional > 0 && n < sizeof(args))
			snprintf(args + n, sizeof(args) - n, "%s+%zu optional", n ? " " : "",
				 optional);
		vs_render_cell(w, c, "name");
		vs_writer_cell(w, "%s", json_is_true(json_object_get(c, "readonly")) ? "ro" : "rw");
		vs_writer_cell(w, "%s", args[0] ? args : "-");
		vs_render_cell(w, c, "help");
	}
}

static const struct {
	const char *cmd;
	void (*view)(struct vs_writer *w, const json_t *res);
} views[] = {
	{ "port.list", port_list },
	{ "port.show", port_show },
	{ "port.add", port_show },
	{ "port.set", port_show },
	{ "vlan.list", vlan_list },
	{ "mac.show", mac_show },
	{ "stats", stats },
	{ "worker.stats", worker_stats },
	{ "version", version },
	{ "commands", commands },
	{ "bond.show", vs_view_bond_show },
	{ "qos.show", vs_view_qos_show },
	{ "policy.list", vs_view_policy_list },
	{ "policy.show", vs_view_policy_show },
	{ "conntrack.show", vs_view_conntrack_show },
};

int vs_view_print(FILE *f, const char *cmd, const json_t *res)
{
	struct vs_writer *w = vs_writer_new();
	size_t i;
	int ret;

	if (w == NULL)
		return -errno;
	for (i = 0; i < sizeof(views) / sizeof(views[0]); i++)
		if (strcmp(views[i].cmd, cmd) == 0)
			break;
	if (i < sizeof(views) / sizeof(views[0]))
		views[i].view(w, res);
	else
		vs_render_result(w, res);
	ret = vs_writer_print(w, f);
	vs_writer_free(w);
	return ret;
}
