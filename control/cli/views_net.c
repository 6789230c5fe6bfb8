/* SPDX-License-Identifier: BSD-3-Clause */
/* Views of bonds, QoS, policies and connection tracking: see views_net.h. */
#include <stdio.h>
#include <string.h>

#include "render.h"
#include "views_net.h"

static const char *str_of(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key)) ?: "";
}

/* LACP of one member, as a record: actor and partner side by side would not fit a line. */
static void lacp(struct vs_writer *w, const json_t *m)
{
	const json_t *l = json_object_get(m, "lacp");
	char title[160];

	if (l == NULL)
		return;
	snprintf(title, sizeof(title), "lacp %s", str_of(m, "devargs"));
	vs_writer_begin(w, title);
	vs_render_record(w, l, NULL);	/* state flags as "activity,aggregation,..." */
	vs_writer_end(w);
}

static void bond_members(struct vs_writer *w, const json_t *members)
{
	json_t *m;
	size_t i;

	vs_writer_begin(w, "members");
	vs_writer_table(w, NULL,
			"DEVARGS ETHDEV LINK ACTIVE DOWNS UPS RX_PKTS TX_PKTS RX_ERRS TX_ERRS",
			0x3f2);
	json_array_foreach(members, i, m) {
		const json_t *st = json_object_get(m, "stats");

		vs_render_cell(w, m, "devargs");
		vs_render_cell(w, m, "ethdev_port");
		vs_render_cell(w, m, "link");
		vs_writer_cell(w, "%s", json_is_true(json_object_get(m, "active")) ? "yes" : "no");
		vs_render_cell(w, m, "link_down_events");
		vs_render_cell(w, m, "link_up_events");
		vs_render_cell(w, st, "rx_packets");
		vs_render_cell(w, st, "tx_packets");
		vs_render_cell(w, st, "rx_errors");
		vs_render_cell(w, st, "tx_errors");
	}
	json_array_foreach(members, i, m)
		lacp(w, m);
	vs_writer_end(w);
}

void vs_view_bond_show(struct vs_writer *w, const json_t *res)
{
	static const char *const skip[] = { "members", NULL };
	json_t *b;
	size_t i;

	if (json_array_size(json_object_get(res, "bonds")) == 0)
		vs_writer_text(w, "no bonds");
	json_array_foreach(json_object_get(res, "bonds"), i, b) {
		if (i > 0)
			vs_writer_blank(w);
		vs_render_record(w, b, skip);
		bond_members(w, json_object_get(b, "members"));
	}
}

void vs_view_qos_show(struct vs_writer *w, const json_t *res)
{
	json_t *p;
	size_t i;

	vs_writer_table(w, NULL, "NAME TRUST DEFAULT CRITICAL SCAVENGER RATE QUEUE OWNER", 0xe0);
	json_array_foreach(json_object_get(res, "ports"), i, p) {
		const json_t *s = json_object_get(p, "scheduler");

		vs_render_cell(w, p, "name");
		vs_render_cell(w, p, "trust");
		vs_render_cell(w, p, "default");
		vs_render_cell(w, p, "critical");
		vs_render_cell(w, p, "scavenger");
		vs_render_cell(w, s, "rate");
		vs_render_cell(w, s, "queue");
		vs_render_cell(w, s, "owner_worker");
	}
	/* The per-class queues of each shaped port. */
	json_array_foreach(json_object_get(res, "ports"), i, p) {
		const json_t *s = json_object_get(p, "scheduler");
		char title[128];

		if (s == NULL)
			continue;
		snprintf(title, sizeof(title), "%s classes", str_of(p, "name"));
		vs_writer_blank(w);
		vs_render_list(w, title, json_object_get(s, "classes"));
	}
}

void vs_view_policy_list(struct vs_writer *w, const json_t *res)
{
	static const char *const skip[] = { "policies", NULL };
	json_t *p;
	size_t i;

	vs_writer_table(w, NULL, "KIND NAMESPACE NAME NETWORKS SELECTED INGRESS EGRESS HITS", 0xf0);
	json_array_foreach(json_object_get(res, "policies"), i, p) {
		vs_render_cell(w, p, "kind");
		vs_render_cell(w, p, "namespace");
		vs_render_cell(w, p, "name");
		vs_render_cell(w, p, "networks");
		vs_render_cell(w, p, "selected_ports");
		vs_render_cell(w, p, "ingress_rules");
		vs_render_cell(w, p, "egress_rules");
		vs_render_cell(w, p, "hits");
	}
	vs_writer_blank(w);
	vs_render_record(w, res, skip);
}

/* Identity first, then what it selects and its rules, then the policy object itself. */
void vs_view_policy_show(struct vs_writer *w, const json_t *res)
{
	static const char *const skip[] = { "kind", "namespace", "name", NULL };

	vs_render_kv(w, res, "kind", NULL);
	if (json_object_get(res, "namespace") != NULL)
		vs_render_kv(w, res, "namespace", NULL);
	vs_render_kv(w, res, "name", NULL);
	vs_render_record(w, res, skip);
}

static const char *proto_name(json_int_t p, char *buf, size_t size)
{
	switch (p) {
	case 1:
		return "icmp";
	case 6:
		return "tcp";
	case 17:
		return "udp";
	case 58:
		return "icmpv6";
	case 132:
		return "sctp";
	default:
		snprintf(buf, size, "%" JSON_INTEGER_FORMAT, p);
		return buf;
	}
}

/* "10.0.0.1:80", "[fd00::1]:80" */
static void endpoint(struct vs_writer *w, const json_t *c, const char *addr, const char *port)
{
	const char *a = str_of(c, addr);
	bool v6 = strchr(a, ':') != NULL;

	vs_writer_cell(w, "%s%s%s:%" JSON_INTEGER_FORMAT, v6 ? "[" : "", a, v6 ? "]" : "",
		       json_integer_value(json_object_get(c, port)));
}

static void connections(struct vs_writer *w, const json_t *list)
{
	char buf[16];
	json_t *c;
	size_t i;

	vs_writer_table(w, "connections", "VLAN PROTO SOURCE DESTINATION STATE EXPIRES_S", 0x21);
	json_array_foreach(list, i, c) {
		vs_render_cell(w, c, "vlan");
		vs_writer_cell(w, "%s", proto_name(json_integer_value(json_object_get(c, "proto")),
						   buf, sizeof(buf)));
		endpoint(w, c, "src", "sport");
		endpoint(w, c, "dst", "dport");
		vs_render_cell(w, c, "state");
		vs_render_cell(w, c, "expires_in");
	}
}

/* {"vm1": {"connections": 3, "fragments": 0}} as a table of ports. */
static void port_shares(struct vs_writer *w, const json_t *ports)
{
	const char *name;
	json_t *p;

	vs_writer_table(w, "ports", "PORT CONNECTIONS FRAGMENTS", 0x6);
	json_object_foreach((json_t *)ports, name, p) {
		vs_writer_cell(w, "%s", name);
		vs_render_cell(w, p, "connections");
		vs_render_cell(w, p, "fragments");
	}
}

void vs_view_conntrack_show(struct vs_writer *w, const json_t *res)
{
	static const char *const skip[] = { "connections", "ports", NULL };

	vs_render_record(w, res, skip);
	port_shares(w, json_object_get(res, "ports"));
	connections(w, json_object_get(res, "connections"));
}
