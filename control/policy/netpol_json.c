/* SPDX-License-Identifier: BSD-3-Clause */
/* JSON views of network policy: policy.list, policy.show, monitor.drops. Control thread. */
#include <errno.h>
#include <string.h>

#include "vs_types.h"
#include "control/core/state.h"
#include "control/model/err.h"
#include "control/model/netpol_cfg.h"
#include "control/model/policy.h"
#include "control/policy/acl.h"
#include "control/policy/netpol.h"
#include "control/policy/policy_set.h"
#include "dataplane/policy/flow.h"
#include "dataplane/policy/policy_dp.h"
#include "dataplane/worker/dp.h"
#include "dataplane/worker/drops.h"

static const char *proto_name(uint8_t p)
{
	switch (p) {
	case VS_PROTO_TCP: return "TCP";
	case VS_PROTO_UDP: return "UDP";
	case VS_PROTO_SCTP: return "SCTP";
	case VS_PROTO_ICMP: return "ICMP";
	case VS_PROTO_ICMPV6: return "ICMPv6";
	default: return NULL;
	}
}

static const char *port_name(uint16_t slot)
{
	if (slot < VS_MAX_PORTS && vs_st.ports[slot].in_use)
		return vs_st.ports[slot].cfg.name;
	return slot == VS_PORT_FLOOD ? "(flood)" : "?";
}

/* Hits of rule r (dir) of policy p: the replaced sets' plus the live set's. */
static uint64_t rule_hits(const struct vs_policy_entry *p, uint8_t dir, uint32_t r)
{
	uint64_t h = r < p->n_rules[dir] ? p->hits[dir][r] : 0;
	for (uint32_t i = 0; vs_np.current != NULL && i < vs_np.compiled.n_infos; i++) {
		const struct vs_rule_info *ri = &vs_np.compiled.infos[i];
		if (vs_np.compiled_seq[i] == p->seq && ri->dir == dir && ri->rule == r)
			h += vs_acl_hits(vs_np.current, i);
	}
	return h;
}

static json_t *networks_of(const json_t *obj)
{
	json_t *an = json_object_get(json_object_get(obj, "metadata"), "annotations");
	const char *s = json_string_value(json_object_get(an, VS_POLICY_FOR));
	return json_string(s != NULL ? s : "*");
}

static unsigned int selected(const struct vs_policy_entry *p, uint16_t *slots)
{
	static struct vs_inv_port ports[VS_MAX_PORTS];
	struct vs_inventory inv;
	vs_netpol_inventory(&inv, ports);
	return vs_policy_selected(p->obj, &inv, slots);
}

json_t *vs_netpol_list_json(void)
{
	json_t *list = json_array();
	uint16_t slots[VS_MAX_PORTS];
	for (uint32_t i = 0; i < vs_np.n_policies; i++) {
		const struct vs_policy_entry *p = &vs_np.policies[i];
		uint64_t hits = 0;
		for (uint8_t d = 0; d < VS_DIRS; d++)
			for (uint32_t r = 0; r < p->n_rules[d]; r++)
				hits += rule_hits(p, d, r);
		json_t *o = json_pack("{s:s, s:s, s:o, s:i, s:i, s:i, s:I}", "kind",
				      vs_policy_kind_name(p->id.kind), "name", p->id.name,
				      "networks", networks_of(p->obj), "selected_ports",
				      (int)selected(p, slots), "ingress_rules", (int)p->n_rules[0],
				      "egress_rules", (int)p->n_rules[1], "hits", (json_int_t)hits);
		if (p->id.kind == VS_POL_NP)
			json_object_set_new(o, "namespace", json_string(p->id.ns));
		if (p->id.kind == VS_POL_ANP)
			json_object_set_new(o, "priority",
					    json_object_get(json_object_get(p->obj, "spec"), "priority") ?
						    json_incref(json_object_get(json_object_get(p->obj, "spec"), "priority")) :
						    json_null());
		json_array_append_new(list, o);
	}
	json_t *r = json_pack("{s:o, s:{s:i, s:i, s:i, s:I, s:I, s:I, s:I, s:I, s:I, s:I}}",
			      "policies", list,
			 "compiled", "generation", (int)vs_np.gen, "rules", (int)vs_np.stats.rules,
			 "acl_entries", (int)vs_np.stats.entries, "compile_us",
			 (json_int_t)vs_np.stats.compile_us, "build_us",
			 (json_int_t)vs_np.stats.build_us, "publish_us",
			 (json_int_t)vs_np.stats.publish_us, "swaps", (json_int_t)vs_np.stats.swaps,
			 "reused", (json_int_t)vs_np.stats.reused, "shared",
			 (json_int_t)vs_np.stats.shared, "skipped",
			 (json_int_t)vs_np.stats.skipped);
	json_object_set_new(json_object_get(r, "compiled"), "acl_entries_built",
			    json_integer(vs_np.stats.entries_built));
	return r;
}

int vs_netpol_show_json(const struct vs_policy_id *id, json_t **out, struct vs_err *e)
{
	int at = vs_netpol_find(id);
	if (at < 0)
		return vs_err_set(e, ENOENT, "args.name", "no %s '%s'", vs_policy_kind_name(id->kind),
				  id->name);
	const struct vs_policy_entry *p = &vs_np.policies[at];
	uint16_t slots[VS_MAX_PORTS];
	unsigned int n = selected(p, slots);
	json_t *sel = json_array(), *rules = json_array();
	for (unsigned int i = 0; i < n; i++)
		json_array_append_new(sel, json_string(port_name(slots[i])));
	json_t *spec = json_object_get(p->obj, "spec");
	for (uint8_t d = 0; d < VS_DIRS; d++) {
		json_t *list = json_object_get(spec, d == VS_DIR_INGRESS ? "ingress" : "egress");
		for (uint32_t r = 0; r < p->n_rules[d]; r++) {
			json_t *rule = json_array_get(list, r);
			const char *action = json_string_value(json_object_get(rule, "action"));
			json_t *o = json_pack("{s:s, s:i, s:s, s:I}", "direction",
					      d == VS_DIR_INGRESS ? "ingress" : "egress", "index", (int)r,
					      "action", action ? action : "Allow", "hits",
					      (json_int_t)rule_hits(p, d, r));
			const char *name = json_string_value(json_object_get(rule, "name"));
			if (name != NULL)
				json_object_set_new(o, "name", json_string(name));
			json_array_append_new(rules, o);
		}
	}
	*out = json_pack("{s:s, s:s, s:o, s:o, s:o, s:O}", "kind", vs_policy_kind_name(p->id.kind),
			 "name", p->id.name, "networks", networks_of(p->obj), "selected", sel,
			 "rules", rules, "policy", p->obj);
	if (p->id.kind == VS_POL_NP)
		json_object_set_new(*out, "namespace", json_string(p->id.ns));
	return 0;
}

json_t *vs_netpol_events_json(uint64_t since)
{
	json_t *list = json_array();
	uint64_t first = vs_np.event_seq > VS_NP_EVENTS ? vs_np.event_seq - VS_NP_EVENTS + 1 : 1;
	uint64_t suppressed = 0, lost = since + 1 < first && since != 0 ? first - since - 1 : 0;

	vs_netpol_drain_events();
	for (uint16_t w = 0; w < vs_dp.n_workers; w++)
		suppressed += vs_dp.workers[w].deny_events_suppressed;
	for (uint64_t s = since + 1 > first ? since + 1 : first; s <= vs_np.event_seq; s++) {
		const struct vs_np_event *x = &vs_np.events[(s - 1) % VS_NP_EVENTS];
		const struct vs_deny_event *ev = &x->ev;
		struct vs_ip a = { .family = ev->family }, b = { .family = ev->family };
		char src[64], dst[64];
		memcpy(a.addr, ev->src, 16);
		memcpy(b.addr, ev->dst, 16);
		vs_ip_format(&a, src, sizeof(src));
		vs_ip_format(&b, dst, sizeof(dst));
		uint16_t denier = ev->dir == VS_DIR_INGRESS ? ev->out_port : ev->in_port;
		const char *proto = proto_name(ev->proto);
		json_t *o = json_pack("{s:I, s:i, s:i, s:s, s:s, s:i, s:i, s:s, s:s, s:s, s:s, s:s}",
				      "seq", (json_int_t)x->seq, "time", (int)ev->time_s, "vlan",
				      ev->vid, "src", src, "dst", dst, "sport", ev->sport, "dport",
				      ev->dport, "from_port", port_name(ev->in_port), "to_port",
				      port_name(ev->out_port), "port", port_name(denier),
				      "direction", ev->dir == VS_DIR_INGRESS ? "ingress" : "egress",
				      "reason", vs_drop_name((enum vs_drop)ev->reason));
		json_object_set_new(o, "proto", proto ? json_string(proto) : json_integer(ev->proto));
		const struct vs_policy_entry *p = vs_netpol_entry_by_seq(x->policy_seq);
		if (p != NULL) {
			json_object_set_new(o, "policy", json_pack("{s:s, s:s, s:s, s:i}", "kind",
								   vs_policy_kind_name(p->id.kind),
								   "name", p->id.name, "namespace",
								   p->id.ns, "rule", x->rule));
		}
		json_object_set_new(o, "tier", json_string(
			ev->reason == VS_DROP_POLICY_ADMIN_DENY ? "admin" :
			ev->reason == VS_DROP_POLICY_BASELINE_DENY ? "baseline" : "tenant"));
		json_array_append_new(list, o);
	}
	return json_pack("{s:o, s:I, s:I, s:I}", "events", list, "next",
			 (json_int_t)vs_np.event_seq, "suppressed", (json_int_t)suppressed, "lost",
			 (json_int_t)lost);
}
