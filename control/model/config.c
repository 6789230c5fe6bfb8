/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The config model's JSON form and validation. A config file row of "ports"
 * has exactly the arguments of port.add, and a "static_macs" row those of
 * mac.add, so the command table's schemas check both. Pure (Jansson only).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control/model/config.h"
#include "vs_commands.h"
#include "vs_proto.h"
#include "vs_types.h"
#include "control/model/allow.h"
#include "control/model/args.h"
#include "control/model/err.h"
#include "control/model/netpol_cfg.h"
#include "control/model/police_cfg.h"
#include "control/model/policy.h"
#include "control/model/port_cfg.h"
#include "control/model/qos_cfg.h"
#include "control/model/vlan_set.h"

#define FIELD(buf, prefix, key) (snprintf(buf, sizeof(buf), "%s.%s", prefix, key), buf)

const char *vs_port_type_name(enum vs_port_type t)
{
	return t == VS_PORT_VHOST ? "vhost-user" : t == VS_PORT_DPDK ? "dpdk" : "bond";
}

const char *vs_bond_mode_name(uint8_t m)
{
	return m == VS_BOND_ACTIVE_BACKUP ? "active-backup" :
	       m == VS_BOND_BALANCE_XOR   ? "balance-xor" :
	       m == VS_BOND_8023AD        ? "802.3ad" :
					    "none";
}

const char *vs_xmit_policy_name(uint8_t p)
{
	return p == VS_XMIT_L2 ? "l2" : p == VS_XMIT_L23 ? "l23" : "l34";
}

int vs_members_split(const char *members, char buf[][VS_DEVARGS_MAX], int max)
{
	int n = 0;
	const char *p = members;
	while (*p != '\0') {
		size_t len = strcspn(p, ";");
		if (len > 0) {
			if (n == max)
				return max + 1;	/* too many */
			snprintf(buf[n], VS_DEVARGS_MAX, "%.*s", (int)len, p);
			if (len >= VS_DEVARGS_MAX)
				return -1;
			n++;
		}
		p += len;
		if (*p == ';')
			p++;
	}
	return n;
}

const char *vs_port_mode_name(enum vs_port_mode m)
{
	return m == VS_MODE_ACCESS ? "access" : "trunk";
}

void vs_port_cfg_defaults(struct vs_port_cfg *p)
{
	memset(p, 0, sizeof(*p));
	p->type = VS_PORT_VHOST;
	p->client = true;
	p->queues = 1;
	p->mode = VS_MODE_ACCESS;
	p->mtu = VS_MTU_DEFAULT;
	p->mac_limit = VS_MAC_LIMIT_VM_DEFAULT;
	p->xmit_policy = VS_XMIT_L23;
	p->qos.def = VS_QOS_BEST_EFFORT;
}

void vs_config_defaults(struct vs_config *c)
{
	memset(c, 0, sizeof(*c));
	c->dpdk.no_huge = false;
	c->dpdk.memory_mb = 1024;
	c->dpdk.main_cpu = 0;
	snprintf(c->dpdk.file_prefix, sizeof(c->dpdk.file_prefix), "vsw");
	c->workers.n_cpus = 1;
	c->workers.cpus[0] = 1;
	c->workers.idle_sleep_us = 50;
	c->workers.idle_spins = 1000;
	c->workers.burst = 32;
	snprintf(c->control.socket, sizeof(c->control.socket), "%s", VS_DEFAULT_SOCKET);
	c->control.socket_perm = 0660;
	c->control.ro_socket_perm = 0660;
	snprintf(c->control.state_dir, sizeof(c->control.state_dir), "%s", VS_DEFAULT_STATE_DIR);
	c->control.n_socket_dirs = 1;
	snprintf(c->control.socket_dirs[0], sizeof(c->control.socket_dirs[0]), "%s",
		 VS_DEFAULT_SOCKET_DIR);
	c->control.max_clients = 64;
	c->control.max_output_bytes = 32u << 20;
	c->control.max_buffered_bytes = 256u << 20;
	c->control.requests_per_s = 1000;
	c->control.request_burst = 1000;
	c->control.idle_timeout_s = 600;
	c->control.hello_timeout_s = 10;
	c->control.write_timeout_s = 30;
	c->fdb.size = 65536;
	c->fdb.aging_s = 300;
	vs_conntrack_defaults(&c->conntrack);
}

void vs_config_release(struct vs_config *c)
{
	json_decref(c->policies);
	c->policies = NULL;
}

static int copy_str(char *dst, size_t len, const json_t *v, const char *field, struct vs_err *e)
{
	const char *s = json_string_value(v);
	if (strlen(s) >= len)
		return vs_err_set(e, ENAMETOOLONG, field, "'%s' is %zu bytes, longer than the %zu allowed",
				  s, strlen(s), len - 1);
	snprintf(dst, len, "%s", s);
	return 0;
}

static int parse_perm(const char *s, uint32_t *out, const char *field, struct vs_err *e)
{
	size_t n = strlen(s);
	bool digits = n >= 3 && n <= 4 && strspn(s, "01234567") == n;
	unsigned long v = digits ? strtoul(s, NULL, 8) : 0;
	if (!digits || v > 0777 || v == 0)
		return vs_err_set(e, EINVAL, field, "'%s': expected an octal mode like 0660", s);
	*out = (uint32_t)v;
	return 0;
}

#define VS_POLICE_RATE_MIN 8000ULL	    /* 1 kB/s */
#define VS_POLICE_RATE_MAX 400000000000ULL /* 400 Gbit/s */
#define VS_POLICE_BURST_MAX (64u << 20)

/* The longest frame a port of this MTU carries, as the policer counts it: tagged, no FCS. */
static uint64_t police_frame_max(uint16_t mtu)
{
	return (uint64_t)mtu + 14 + 4;
}

static uint64_t max_u64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

void vs_police_bursts(const struct vs_police_cfg *p, uint16_t mtu, uint64_t *cbs,
		      uint64_t *ebs_or_pbs)
{
	/* 10 ms at the rate, and never less than two of the port's largest frames, or a
	 * policer would drop jumbo frames however slowly they come */
	uint64_t floor = 2 * police_frame_max(mtu);
	uint64_t def = max_u64(p->rate_bps / 8 / 100, floor);
	*cbs = p->burst ? p->burst : def;
	if (p->peak_rate_bps)
		*ebs_or_pbs = p->peak_burst ? p->peak_burst :
					      max_u64(p->peak_rate_bps / 8 / 100, floor);
	else
		*ebs_or_pbs = p->peak_burst;
}

/* police_* arguments of port.add and port.set; the combination is checked in validate. */
static int police_args(const json_t *o, const char *prefix, struct vs_police_cfg *p,
		       struct vs_err *e)
{
	const struct {
		const char *name;
		uint64_t max;
		uint64_t *to;
	} nums[] = {
		{ "police_rate", VS_POLICE_RATE_MAX, &p->rate_bps },
		{ "police_peak_rate", VS_POLICE_RATE_MAX, &p->peak_rate_bps },
		{ "police_burst", VS_POLICE_BURST_MAX, &p->burst },
		{ "police_peak_burst", VS_POLICE_BURST_MAX, &p->peak_burst },
	};
	char f[160];
	json_t *v;

	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		if ((v = json_object_get(o, nums[i].name)) == NULL)
			continue;
		uint64_t x = (uint64_t)json_integer_value(v);
		if (x > nums[i].max)
			return vs_err_set(e, ERANGE, FIELD(f, prefix, nums[i].name),
					  "%" PRIu64 ": at most %" PRIu64, x, nums[i].max);
		*nums[i].to = x;
	}
	if ((v = json_object_get(o, "police_yellow")) != NULL) {
		const char *y = json_string_value(v);
		if (strcmp(y, "pass") != 0 && strcmp(y, "drop") != 0 && strcmp(y, "scavenger") != 0)
			return vs_err_set(e, EINVAL, FIELD(f, prefix, "police_yellow"),
					  "'%s': expected pass, drop or scavenger", y);
		p->yellow_drop = strcmp(y, "drop") == 0;
		p->yellow_demote = strcmp(y, "scavenger") == 0;
	}
	return 0;
}

static int police_validate(const struct vs_police_cfg *p, uint16_t mtu, const char *prefix,
			   struct vs_err *e)
{
	uint64_t cbs, ebs_or_pbs, frame = police_frame_max(mtu);
	char f[160];

	if (p->rate_bps == 0) {
		if (p->peak_rate_bps || p->burst || p->peak_burst)
			return vs_err_set(e, EINVAL, FIELD(f, prefix, "police_rate"),
					  "the other police_* settings need a police_rate");
		return 0;
	}
	if (p->rate_bps < VS_POLICE_RATE_MIN)
		return vs_err_set(e, ERANGE, FIELD(f, prefix, "police_rate"),
				  "%" PRIu64 " bits/s: at least %llu", p->rate_bps,
				  VS_POLICE_RATE_MIN);
	if (p->peak_rate_bps && p->peak_rate_bps < p->rate_bps)
		return vs_err_set(e, EINVAL, FIELD(f, prefix, "police_peak_rate"),
				  "%" PRIu64 " bits/s is below police_rate %" PRIu64,
				  p->peak_rate_bps, p->rate_bps);
	vs_police_bursts(p, mtu, &cbs, &ebs_or_pbs);
	if (cbs < frame)
		return vs_err_set(e, EINVAL, FIELD(f, prefix, "police_burst"),
				  "%" PRIu64 " bytes is less than one %" PRIu64
				  "-byte frame at this MTU: every such frame would be red",
				  cbs, frame);
	if (p->peak_rate_bps && ebs_or_pbs < frame)
		return vs_err_set(e, EINVAL, FIELD(f, prefix, "police_peak_burst"),
				  "%" PRIu64 " bytes is less than one %" PRIu64 "-byte frame",
				  ebs_or_pbs, frame);
	return 0;
}

/* The VLAN arguments, shared by port.add and port.set. Schema already checked. */
static int vlan_args(const json_t *o, const char *prefix, struct vs_port_cfg *p, struct vs_err *e)
{
	char f[160];
	json_t *v;

	if ((v = json_object_get(o, "mode")) != NULL) {
		const char *m = json_string_value(v);
		if (strcmp(m, "access") == 0)
			p->mode = VS_MODE_ACCESS;
		else if (strcmp(m, "trunk") == 0)
			p->mode = VS_MODE_TRUNK;
		else
			return vs_err_set(e, EINVAL, FIELD(f, prefix, "mode"),
					  "'%s': expected access or trunk", m);
	} else if (json_object_get(o, "allowed") != NULL) {
		p->mode = VS_MODE_TRUNK;	/* an allowed list implies a trunk */
	} else if (json_object_get(o, "vlan") != NULL) {
		p->mode = VS_MODE_ACCESS;
	}
	/* A mode change drops the other mode's settings (port.set starts from the old port). */
	if (p->mode == VS_MODE_TRUNK) {
		p->vlan = 0;
	} else {
		memset(&p->allowed, 0, sizeof(p->allowed));
		p->native_vlan = 0;
	}
	if ((v = json_object_get(o, "vlan")) != NULL) {
		if (json_integer_value(v) < VS_VLAN_MIN || json_integer_value(v) > VS_VLAN_MAX)
			return vs_err_set(e, ERANGE, FIELD(f, prefix, "vlan"),
					  "%lld: VLAN ids are %d..%d", json_integer_value(v),
					  VS_VLAN_MIN, VS_VLAN_MAX);
		p->vlan = (uint16_t)json_integer_value(v);
	}
	if ((v = json_object_get(o, "allowed")) != NULL) {
		int rc = vs_vlan_set_parse(json_string_value(v), &p->allowed, e,
					   FIELD(f, prefix, "allowed"));
		if (rc < 0)
			return rc;
	}
	if ((v = json_object_get(o, "native_vlan")) != NULL) {
		if (json_integer_value(v) > VS_VLAN_MAX)
			return vs_err_set(e, ERANGE, FIELD(f, prefix, "native_vlan"),
					  "%lld: VLAN ids are %d..%d (0 = no native VLAN)",
					  json_integer_value(v), VS_VLAN_MIN, VS_VLAN_MAX);
		p->native_vlan = (uint16_t)json_integer_value(v);
	}
	if ((v = json_object_get(o, "mtu")) != NULL) {
		if (json_integer_value(v) < VS_MTU_MIN || json_integer_value(v) > VS_MTU_MAX)
			return vs_err_set(e, ERANGE, FIELD(f, prefix, "mtu"), "%lld: MTU is %d..%d",
					  json_integer_value(v), VS_MTU_MIN, VS_MTU_MAX);
		p->mtu = (uint16_t)json_integer_value(v);
	}
	if ((v = json_object_get(o, "mac_limit")) != NULL) {
		if (json_integer_value(v) > VS_MAC_LIMIT_MAX)
			return vs_err_set(e, ERANGE, FIELD(f, prefix, "mac_limit"),
					  "%lld: at most %u MACs (0 = no limit but the FDB's size)",
					  json_integer_value(v), VS_MAC_LIMIT_MAX);
		p->mac_limit = (uint32_t)json_integer_value(v);
	}
	return 0;
}

int vs_port_cfg_from_json(const json_t *o, const char *prefix, struct vs_port_cfg *p,
			  struct vs_err *e)
{
	const struct vs_command_spec *spec = vs_command_find("port.add", NULL);
	char f[160];
	json_t *v;
	int rc;

	if ((rc = vs_args_check(spec, o, prefix, e)) < 0)
		return rc;
	vs_port_cfg_defaults(p);
	if ((rc = copy_str(p->name, sizeof(p->name), json_object_get(o, "name"),
			   FIELD(f, prefix, "name"), e)) < 0)
		return rc;
	if ((v = json_object_get(o, "type")) != NULL) {
		const char *t = json_string_value(v);
		if (strcmp(t, "vhost-user") == 0)
			p->type = VS_PORT_VHOST;
		else if (strcmp(t, "dpdk") == 0)
			p->type = VS_PORT_DPDK;
		else if (strcmp(t, "bond") == 0)
			p->type = VS_PORT_BOND;
		else
			return vs_err_set(e, EINVAL, FIELD(f, prefix, "type"),
					  "'%s': expected vhost-user, dpdk or bond", t);
	}
	/* An uplink is a trunk unless told otherwise; the network behind it has any number of
	 * MACs. */
	if (p->type != VS_PORT_VHOST) {
		p->mode = VS_MODE_TRUNK;
		p->mac_limit = 0;
	}
	if ((v = json_object_get(o, "bond_mode")) != NULL) {
		const char *m = json_string_value(v);
		if (strcmp(m, "active-backup") == 0)
			p->bond_mode = VS_BOND_ACTIVE_BACKUP;
		else if (strcmp(m, "balance-xor") == 0)
			p->bond_mode = VS_BOND_BALANCE_XOR;
		else if (strcmp(m, "802.3ad") == 0 || strcmp(m, "lacp") == 0)
			p->bond_mode = VS_BOND_8023AD;
		else
			return vs_err_set(e, EINVAL, FIELD(f, prefix, "bond_mode"),
					  "'%s': expected active-backup, balance-xor or 802.3ad", m);
	}
	if ((v = json_object_get(o, "xmit_policy")) != NULL) {
		const char *m = json_string_value(v);
		if (strcmp(m, "l2") == 0)
			p->xmit_policy = VS_XMIT_L2;
		else if (strcmp(m, "l23") == 0)
			p->xmit_policy = VS_XMIT_L23;
		else if (strcmp(m, "l34") == 0)
			p->xmit_policy = VS_XMIT_L34;
		else
			return vs_err_set(e, EINVAL, FIELD(f, prefix, "xmit_policy"),
					  "'%s': expected l2, l23 or l34", m);
	}
	if ((v = json_object_get(o, "members")) != NULL &&
	    (rc = copy_str(p->members, sizeof(p->members), v, FIELD(f, prefix, "members"), e)) < 0)
		return rc;
	if ((v = json_object_get(o, "socket")) != NULL &&
	    (rc = copy_str(p->socket, sizeof(p->socket), v, FIELD(f, prefix, "socket"), e)) < 0)
		return rc;
	if ((v = json_object_get(o, "devargs")) != NULL &&
	    (rc = copy_str(p->devargs, sizeof(p->devargs), v, FIELD(f, prefix, "devargs"), e)) < 0)
		return rc;
	if ((v = json_object_get(o, "owner")) != NULL &&
	    (rc = copy_str(p->owner, sizeof(p->owner), v, FIELD(f, prefix, "owner"), e)) < 0)
		return rc;
	if ((v = json_object_get(o, "group")) != NULL &&
	    (rc = copy_str(p->group, sizeof(p->group), v, FIELD(f, prefix, "group"), e)) < 0)
		return rc;
	if ((v = json_object_get(o, "perm")) != NULL &&
	    (rc = parse_perm(json_string_value(v), &p->perm, FIELD(f, prefix, "perm"), e)) < 0)
		return rc;
	if ((v = json_object_get(o, "client")) != NULL)
		p->client = json_is_true(v);
	if ((v = json_object_get(o, "queues")) != NULL) {
		if (json_integer_value(v) < 1 || json_integer_value(v) > VS_MAX_QUEUES)
			return vs_err_set(e, ERANGE, FIELD(f, prefix, "queues"),
					  "%lld: queue pairs are 1..%d", json_integer_value(v),
					  VS_MAX_QUEUES);
		p->queues = (uint16_t)json_integer_value(v);
	}
	if ((rc = vlan_args(o, prefix, p, e)) < 0)
		return rc;
	if ((rc = police_args(o, prefix, &p->police, e)) < 0)
		return rc;
	if ((rc = vs_qos_args(o, prefix, &p->qos, e)) < 0)
		return rc;
	if ((rc = vs_netpol_port_args(o, prefix, &p->np, e)) < 0)
		return rc;
	return vs_port_cfg_validate(p, prefix, e);
}

int vs_port_cfg_update(const json_t *o, const char *prefix, struct vs_port_cfg *p,
		       struct vs_err *e)
{
	const struct vs_command_spec *spec = vs_command_find("port.set", NULL);
	struct vs_port_cfg n = *p;
	int rc;

	if ((rc = vs_args_check(spec, o, prefix, e)) < 0)
		return rc;
	if (json_object_get(o, "allowed") != NULL)
		memset(&n.allowed, 0, sizeof(n.allowed));
	if ((rc = vlan_args(o, prefix, &n, e)) < 0)
		return rc;
	if ((rc = police_args(o, prefix, &n.police, e)) < 0)
		return rc;
	if ((rc = vs_qos_args(o, prefix, &n.qos, e)) < 0)
		return rc;
	if ((rc = vs_netpol_port_args(o, prefix, &n.np, e)) < 0)
		return rc;
	if ((rc = vs_port_cfg_validate(&n, prefix, e)) < 0)
		return rc;
	*p = n;
	return 0;
}

static bool name_ok(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' || *s == '.'))
			return false;
	return true;
}

int vs_port_cfg_validate(const struct vs_port_cfg *p, const char *prefix, struct vs_err *e)
{
	char f[160];

	if (!name_ok(p->name))
		return vs_err_set(e, EINVAL, FIELD(f, prefix, "name"),
				  "'%s': use letters, digits, '-', '_' and '.'", p->name);
	if (p->type == VS_PORT_VHOST) {
		if (p->socket[0] == '\0')
			return vs_err_set(e, EINVAL, FIELD(f, prefix, "socket"),
					  "a vhost-user port needs a socket path");
		if (p->socket[0] != '/')
			return vs_err_set(e, EINVAL, FIELD(f, prefix, "socket"),
					  "'%s': must be an absolute path", p->socket);
		if (p->devargs[0] != '\0')
			return vs_err_set(e, EINVAL, FIELD(f, prefix, "devargs"),
					  "devargs is for dpdk ports");
		if (p->client && (p->owner[0] || p->group[0] || p->perm))
			return vs_err_set(e, EINVAL, FIELD(f, prefix, p->owner[0] ? "owner" :
							    p->group[0] ? "group" : "perm"),
					  "socket ownership applies to server-mode ports "
					  "(client=false); in client mode QEMU owns the socket");
	} else if (p->type == VS_PORT_DPDK) {
		if (p->devargs[0] == '\0')
			return vs_err_set(e, EINVAL, FIELD(f, prefix, "devargs"),
					  "a dpdk port needs devargs (a PCI address or a vdev)");
		if (p->socket[0] != '\0')
			return vs_err_set(e, EINVAL, FIELD(f, prefix, "socket"),
					  "socket is for vhost-user ports");
	} else {
		char m[VS_BOND_MEMBERS_MAX][VS_DEVARGS_MAX];
		int n = vs_members_split(p->members, m, VS_BOND_MEMBERS_MAX);
		if (p->bond_mode == 0)
			return vs_err_set(e, EINVAL, FIELD(f, prefix, "bond_mode"),
					  "a bond needs a mode: active-backup, balance-xor or 802.3ad");
		if (n < 1 || n > VS_BOND_MEMBERS_MAX)
			return vs_err_set(e, EINVAL, FIELD(f, prefix, "members"),
					  "a bond has 1..%d members (devargs separated by ';')",
					  VS_BOND_MEMBERS_MAX);
		for (int i = 0; i < n; i++)
			for (int j = 0; j < i; j++)
				if (strcmp(m[i], m[j]) == 0)
					return vs_err_set(e, EINVAL, FIELD(f, prefix, "members"),
							  "'%s' is listed twice", m[i]);
		if (p->socket[0] != '\0' || p->devargs[0] != '\0')
			return vs_err_set(e, EINVAL,
					  FIELD(f, prefix, p->socket[0] ? "socket" : "devargs"),
					  "a bond takes members, not socket or devargs");
	}
	if (p->type != VS_PORT_BOND && (p->bond_mode || p->members[0]))
		return vs_err_set(e, EINVAL, FIELD(f, prefix, p->bond_mode ? "bond_mode" : "members"),
				  "only bond ports (type=bond) take bond settings");
	if (p->mode == VS_MODE_ACCESS) {
		if (p->vlan == 0)
			return vs_err_set(e, EINVAL, FIELD(f, prefix, "vlan"),
					  "an access port needs a VLAN");
		if (vs_vlan_set_count(&p->allowed) > 0 || p->native_vlan != 0)
			return vs_err_set(e, EINVAL,
					  FIELD(f, prefix, p->native_vlan ? "native_vlan" : "allowed"),
					  "only trunk ports take allowed/native_vlan (mode=trunk)");
	} else {
		if (p->vlan != 0)
			return vs_err_set(e, EINVAL, FIELD(f, prefix, "vlan"),
					  "a trunk port takes allowed and native_vlan, not vlan");
		if (vs_vlan_set_count(&p->allowed) == 0 && p->native_vlan == 0)
			return vs_err_set(e, EINVAL, FIELD(f, prefix, "allowed"),
					  "a trunk port needs allowed VLANs or a native VLAN");
	}
	int rc = police_validate(&p->police, p->mtu, prefix, e);
	return rc < 0 ? rc : vs_qos_validate(&p->qos, prefix, e);
}

int vs_port_cfg_check_unique(const struct vs_port_cfg *p, const struct vs_port_cfg *const *others,
			     unsigned int n, const char *prefix, struct vs_err *e)
{
	char f[160];
	for (unsigned int i = 0; i < n; i++) {
		const struct vs_port_cfg *o = others[i];
		if (strcmp(o->name, p->name) == 0)
			return vs_err_set(e, EEXIST, FIELD(f, prefix, "name"),
					  "port '%s' already exists", p->name);
		if (p->socket[0] && strcmp(o->socket, p->socket) == 0)
			return vs_err_set(e, EEXIST, FIELD(f, prefix, "socket"),
					  "'%s' is already used by port '%s'", p->socket, o->name);
		if (p->devargs[0] && strcmp(o->devargs, p->devargs) == 0)
			return vs_err_set(e, EEXIST, FIELD(f, prefix, "devargs"),
					  "'%s' is already used by port '%s'", p->devargs, o->name);
		/* a device is one port's: as devargs or as a bond member */
		char a[VS_BOND_MEMBERS_MAX + 1][VS_DEVARGS_MAX], b[VS_BOND_MEMBERS_MAX + 1][VS_DEVARGS_MAX];
		int na = vs_members_split(p->members, a, VS_BOND_MEMBERS_MAX);
		int nb = vs_members_split(o->members, b, VS_BOND_MEMBERS_MAX);
		if (p->devargs[0] && na >= 0 && na < VS_BOND_MEMBERS_MAX)
			snprintf(a[na++], VS_DEVARGS_MAX, "%s", p->devargs);
		if (o->devargs[0] && nb >= 0 && nb < VS_BOND_MEMBERS_MAX)
			snprintf(b[nb++], VS_DEVARGS_MAX, "%s", o->devargs);
		for (int x = 0; x < na && x <= VS_BOND_MEMBERS_MAX; x++)
			for (int y = 0; y < nb && y <= VS_BOND_MEMBERS_MAX; y++)
				if (strcmp(a[x], b[y]) == 0)
					return vs_err_set(e, EEXIST,
							  FIELD(f, prefix, p->members[0] ? "members" : "devargs"),
							  "'%s' is already used by port '%s'", a[x], o->name);
	}
	return 0;
}

json_t *vs_port_cfg_to_json(const struct vs_port_cfg *p)
{
	json_t *o = json_object();
	json_object_set_new(o, "name", json_string(p->name));
	json_object_set_new(o, "type", json_string(vs_port_type_name(p->type)));
	if (p->type == VS_PORT_VHOST) {
		json_object_set_new(o, "socket", json_string(p->socket));
		json_object_set_new(o, "client", json_boolean(p->client));
	} else if (p->type == VS_PORT_DPDK) {
		json_object_set_new(o, "devargs", json_string(p->devargs));
	} else {
		json_object_set_new(o, "bond_mode", json_string(vs_bond_mode_name(p->bond_mode)));
		json_object_set_new(o, "members", json_string(p->members));
		if (p->bond_mode != VS_BOND_ACTIVE_BACKUP)
			json_object_set_new(o, "xmit_policy",
					    json_string(vs_xmit_policy_name(p->xmit_policy)));
	}
	json_object_set_new(o, "queues", json_integer(p->queues));
	json_object_set_new(o, "mode", json_string(vs_port_mode_name(p->mode)));
	if (p->mode == VS_MODE_ACCESS) {
		json_object_set_new(o, "vlan", json_integer(p->vlan));
	} else {
		char buf[VS_VLAN_COUNT * 5];
		vs_vlan_set_format(&p->allowed, buf, sizeof(buf));
		json_object_set_new(o, "allowed", json_string(buf));
		if (p->native_vlan)
			json_object_set_new(o, "native_vlan", json_integer(p->native_vlan));
	}
	json_object_set_new(o, "mtu", json_integer(p->mtu));
	json_object_set_new(o, "mac_limit", json_integer(p->mac_limit));
	if (p->police.rate_bps) {
		const struct vs_police_cfg *pc = &p->police;
		json_object_set_new(o, "police_rate", json_integer((json_int_t)pc->rate_bps));
		if (pc->burst)
			json_object_set_new(o, "police_burst", json_integer((json_int_t)pc->burst));
		if (pc->peak_rate_bps)
			json_object_set_new(o, "police_peak_rate",
					    json_integer((json_int_t)pc->peak_rate_bps));
		if (pc->peak_burst)
			json_object_set_new(o, "police_peak_burst",
					    json_integer((json_int_t)pc->peak_burst));
		json_object_set_new(o, "police_yellow",
				    json_string(pc->yellow_drop ? "drop" :
						pc->yellow_demote ? "scavenger" : "pass"));
	}
	vs_qos_cfg_to_json(&p->qos, o);
	vs_netpol_port_to_json(&p->np, o);
	if (p->owner[0])
		json_object_set_new(o, "owner", json_string(p->owner));
	if (p->group[0])
		json_object_set_new(o, "group", json_string(p->group));
	if (p->perm) {
		char buf[16];
		snprintf(buf, sizeof(buf), "%04o", p->perm);
		json_object_set_new(o, "perm", json_string(buf));
	}
	return o;
}

int vs_static_mac_from_json(const json_t *o, const char *prefix, struct vs_static_mac *m,
			    struct vs_err *e)
{
	const struct vs_command_spec *spec = vs_command_find("mac.add", NULL);
	char f[160];
	int rc;

	if ((rc = vs_args_check(spec, o, prefix, e)) < 0)
		return rc;
	json_int_t vlan = json_integer_value(json_object_get(o, "vlan"));
	if (vlan < VS_VLAN_MIN || vlan > VS_VLAN_MAX)
		return vs_err_set(e, ERANGE, FIELD(f, prefix, "vlan"), "%lld: VLAN ids are %d..%d",
				  vlan, VS_VLAN_MIN, VS_VLAN_MAX);
	m->vlan = (uint16_t)vlan;
	vs_mac_parse(json_string_value(json_object_get(o, "mac")), m->mac);
	if (m->mac[0] & 1)
		return vs_err_set(e, EINVAL, FIELD(f, prefix, "mac"),
				  "a static MAC must be unicast");
	return copy_str(m->port, sizeof(m->port), json_object_get(o, "port"),
			FIELD(f, prefix, "port"), e);
}

json_t *vs_static_mac_to_json(const struct vs_static_mac *m)
{
	char mac[18];
	vs_mac_format(m->mac, mac);
	return json_pack("{s:i, s:s, s:s}", "vlan", m->vlan, "mac", mac, "port", m->port);
}

/* Checks that o has only the given keys. */
static int only_keys(const json_t *o, const char *path, const char *const *keys,
		     struct vs_err *e)
{
	const char *key;
	json_t *v;
	char f[160];

	if (!json_is_object(o))
		return vs_err_set(e, EINVAL, path, "expected an object");
	json_object_foreach((json_t *)o, key, v) {
		bool known = false;
		for (const char *const *k = keys; *k != NULL; k++)
			known |= strcmp(*k, key) == 0;
		if (!known)
			return vs_err_set(e, EINVAL, FIELD(f, path, key), "unknown key");
	}
	return 0;
}

static int get_uint(const json_t *o, const char *path, const char *key, uint64_t min,
		    uint64_t max, uint32_t *out, struct vs_err *e)
{
	char f[160];
	json_t *v = json_object_get(o, key);
	if (v == NULL)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < (json_int_t)min ||
	    (uint64_t)json_integer_value(v) > max)
		return vs_err_set(e, ERANGE, FIELD(f, path, key),
				  "expected an integer %llu..%llu", (unsigned long long)min,
				  (unsigned long long)max);
	*out = (uint32_t)json_integer_value(v);
	return 0;
}

static int get_bool(const json_t *o, const char *path, const char *key, bool *out,
		    struct vs_err *e)
{
	char f[160];
	json_t *v = json_object_get(o, key);
	if (v == NULL)
		return 0;
	if (!json_is_boolean(v))
		return vs_err_set(e, EINVAL, FIELD(f, path, key), "expected true or false");
	*out = json_is_true(v);
	return 0;
}

static int get_str(const json_t *o, const char *path, const char *key, char *out, size_t len,
		   struct vs_err *e)
{
	char f[160];
	json_t *v = json_object_get(o, key);
	if (v == NULL)
		return 0;
	if (!json_is_string(v))
		return vs_err_set(e, EINVAL, FIELD(f, path, key), "expected a string");
	return copy_str(out, len, v, FIELD(f, path, key), e);
}

static int parse_dpdk(const json_t *o, struct vs_config *c, struct vs_err *e)
{
	static const char *const keys[] = { "no_huge", "memory_mb", "main_cpu", "file_prefix",
					    "extra_eal_args", "allow_test_vdevs", NULL };
	uint32_t u;
	int rc;

	if ((rc = only_keys(o, "dpdk", keys, e)) < 0 ||
	    (rc = get_bool(o, "dpdk", "no_huge", &c->dpdk.no_huge, e)) < 0 ||
	    (rc = get_bool(o, "dpdk", "allow_test_vdevs", &c->dpdk.allow_test_vdevs, e)) < 0 ||
	    (rc = get_uint(o, "dpdk", "memory_mb", 64, 1 << 20, &c->dpdk.memory_mb, e)) < 0 ||
	    (rc = get_str(o, "dpdk", "file_prefix", c->dpdk.file_prefix,
			  sizeof(c->dpdk.file_prefix), e)) < 0)
		return rc;
	u = c->dpdk.main_cpu;
	if ((rc = get_uint(o, "dpdk", "main_cpu", 0, 1023, &u, e)) < 0)
		return rc;
	c->dpdk.main_cpu = (uint16_t)u;
	json_t *a = json_object_get(o, "extra_eal_args");
	if (a != NULL) {
		size_t i;
		json_t *v;
		char f[64];
		if (!json_is_array(a) || json_array_size(a) > VS_EXTRA_EAL_MAX)
			return vs_err_set(e, EINVAL, "dpdk.extra_eal_args",
					  "expected an array of at most %d strings",
					  VS_EXTRA_EAL_MAX);
		json_array_foreach(a, i, v) {
			snprintf(f, sizeof(f), "dpdk.extra_eal_args[%zu]", i);
			if (!json_is_string(v))
				return vs_err_set(e, EINVAL, f, "expected a string");
			if ((rc = copy_str(c->dpdk.extra_eal_args[i],
					   sizeof(c->dpdk.extra_eal_args[i]), v, f, e)) < 0)
				return rc;
		}
		c->dpdk.n_extra = (uint16_t)json_array_size(a);
	}
	return 0;
}

static int parse_workers(const json_t *o, struct vs_config *c, struct vs_err *e)
{
	static const char *const keys[] = { "cpus", "idle_sleep_us", "idle_spins", "burst", NULL };
	uint32_t burst = c->workers.burst;
	int rc;

	/* idle_sleep_us at most 10 ms: a bond in 802.3ad mode must be polled every 100 ms */
	if ((rc = only_keys(o, "workers", keys, e)) < 0 ||
	    (rc = get_uint(o, "workers", "idle_sleep_us", 0, 10000, &c->workers.idle_sleep_us,
			   e)) < 0 ||
	    (rc = get_uint(o, "workers", "idle_spins", 1, 1u << 30, &c->workers.idle_spins,
			   e)) < 0 ||
	    (rc = get_uint(o, "workers", "burst", 1, 32, &burst, e)) < 0)
		return rc;
	c->workers.burst = (uint16_t)burst;
	json_t *a = json_object_get(o, "cpus");
	if (a != NULL) {
		size_t i;
		json_t *v;
		if (!json_is_array(a) || json_array_size(a) < 1 ||
		    json_array_size(a) > VS_MAX_WORKERS)
			return vs_err_set(e, EINVAL, "workers.cpus",
					  "expected an array of 1..%d CPU numbers", VS_MAX_WORKERS);
		json_array_foreach(a, i, v) {
			char f[64];
			snprintf(f, sizeof(f), "workers.cpus[%zu]", i);
			if (!json_is_integer(v) || json_integer_value(v) < 0 ||
			    json_integer_value(v) > 1023)
				return vs_err_set(e, EINVAL, f, "expected a CPU number 0..1023");
			/* Two workers may share a CPU (vswd warns): it halves both, but it
			 * lets tests run several workers on a small machine. */
			c->workers.cpus[i] = (uint16_t)json_integer_value(v);
		}
		c->workers.n_cpus = (uint16_t)json_array_size(a);
	}
	return 0;
}

static int get_perm(const json_t *o, const char *key, uint32_t *out, struct vs_err *e)
{
	char f[64];
	json_t *v = json_object_get(o, key);
	if (v == NULL)
		return 0;
	FIELD(f, "control", key);
	if (!json_is_string(v))
		return vs_err_set(e, EINVAL, f, "expected an octal string like \"0660\"");
	return parse_perm(json_string_value(v), out, f, e);
}

/* An absolute, clean directory (allow.c's rules), without a trailing '/'. */
static int get_dir(const json_t *v, const char *field, char *out, size_t len, struct vs_err *e)
{
	int rc;
	if (!json_is_string(v))
		return vs_err_set(e, EINVAL, field, "expected a directory path");
	if ((rc = copy_str(out, len, v, field, e)) < 0 || (rc = vs_path_check(out, field, e)) < 0)
		return rc;
	return 0;
}

static int parse_socket_dirs(const json_t *a, struct vs_config *c, struct vs_err *e)
{
	size_t i;
	json_t *v;
	int rc;

	if (!json_is_array(a) || json_array_size(a) < 1 || json_array_size(a) > VS_SOCKET_DIRS_MAX)
		return vs_err_set(e, EINVAL, "control.socket_dirs",
				  "expected an array of 1..%d directories", VS_SOCKET_DIRS_MAX);
	json_array_foreach(a, i, v) {
		char f[64];
		snprintf(f, sizeof(f), "control.socket_dirs[%zu]", i);
		if ((rc = get_dir(v, f, c->control.socket_dirs[i], sizeof(c->control.socket_dirs[i]),
				  e)) < 0)
			return rc;
		if (strcmp(c->control.socket_dirs[i], "/") == 0)
			return vs_err_set(e, EINVAL, f, "'/' would let requests name any path");
	}
	c->control.n_socket_dirs = (uint16_t)json_array_size(a);
	return 0;
}

static int parse_control(const json_t *o, struct vs_config *c, struct vs_err *e)
{
	static const char *const keys[] = { "socket", "socket_perm", "group", "ro_socket",
					    "ro_socket_perm", "state_dir", "socket_dirs",
					    "max_clients", "max_output_bytes", "max_buffered_bytes",
					    "requests_per_s",
					    "request_burst", "idle_timeout_s", "hello_timeout_s",
					    "write_timeout_s", NULL };
	int rc;
	json_t *v;

	if ((rc = only_keys(o, "control", keys, e)) < 0 ||
	    (rc = get_str(o, "control", "socket", c->control.socket, sizeof(c->control.socket),
			  e)) < 0 ||
	    (rc = get_str(o, "control", "ro_socket", c->control.ro_socket,
			  sizeof(c->control.ro_socket), e)) < 0 ||
	    (rc = get_str(o, "control", "group", c->control.group, sizeof(c->control.group),
			  e)) < 0 ||
	    (rc = get_perm(o, "socket_perm", &c->control.socket_perm, e)) < 0 ||
	    (rc = get_perm(o, "ro_socket_perm", &c->control.ro_socket_perm, e)) < 0 ||
	    (rc = get_uint(o, "control", "max_clients", 1, 4096, &c->control.max_clients, e)) < 0 ||
	    (rc = get_uint(o, "control", "max_output_bytes", 1u << 16, 1u << 30,
			   &c->control.max_output_bytes, e)) < 0 ||
	    (rc = get_uint(o, "control", "max_buffered_bytes", 1u << 26, 1u << 31,
			   &c->control.max_buffered_bytes, e)) < 0 ||
	    (rc = get_uint(o, "control", "requests_per_s", 1, 1000000, &c->control.requests_per_s,
			   e)) < 0 ||
	    (rc = get_uint(o, "control", "request_burst", 1, 1000000, &c->control.request_burst,
			   e)) < 0 ||
	    (rc = get_uint(o, "control", "idle_timeout_s", 0, 86400, &c->control.idle_timeout_s,
			   e)) < 0 ||
	    (rc = get_uint(o, "control", "hello_timeout_s", 1, 3600, &c->control.hello_timeout_s,
			   e)) < 0 ||
	    (rc = get_uint(o, "control", "write_timeout_s", 1, 3600, &c->control.write_timeout_s,
			   e)) < 0)
		return rc;
	if ((v = json_object_get(o, "state_dir")) != NULL &&
	    (rc = get_dir(v, "control.state_dir", c->control.state_dir,
			  sizeof(c->control.state_dir), e)) < 0)
		return rc;
	if ((v = json_object_get(o, "socket_dirs")) != NULL && (rc = parse_socket_dirs(v, c, e)) < 0)
		return rc;
	if (c->control.socket[0] != '/')
		return vs_err_set(e, EINVAL, "control.socket", "'%s': must be an absolute path",
				  c->control.socket);
	if (c->control.ro_socket[0] != '\0' && c->control.ro_socket[0] != '/')
		return vs_err_set(e, EINVAL, "control.ro_socket", "'%s': must be an absolute path",
				  c->control.ro_socket);
	if (strcmp(c->control.ro_socket, c->control.socket) == 0)
		return vs_err_set(e, EINVAL, "control.ro_socket", "is control.socket");
	return 0;
}

static int parse_fdb(const json_t *o, struct vs_config *c, struct vs_err *e)
{
	static const char *const keys[] = { "size", "aging_s", NULL };
	int rc;
	if ((rc = only_keys(o, "fdb", keys, e)) < 0 ||
	    (rc = get_uint(o, "fdb", "size", 64, 1u << 24, &c->fdb.size, e)) < 0 ||
	    (rc = get_uint(o, "fdb", "aging_s", 1, 1000000, &c->fdb.aging_s, e)) < 0)
		return rc;
	return 0;
}

static int config_from_json(const json_t *root, struct vs_config *c, struct vs_err *e);

int vs_config_from_json(const json_t *root, struct vs_config *c, struct vs_err *e)
{
	int rc;

	vs_config_defaults(c);
	if ((rc = config_from_json(root, c, e)) < 0)
		vs_config_release(c);
	return rc;
}

static int parse_networks(const json_t *v, struct vs_config *c, struct vs_err *e)
{
	size_t i;
	json_t *x;
	char f[48];
	int rc;

	if (!json_is_array(v) || json_array_size(v) > VS_NETWORKS_MAX)
		return vs_err_set(e, EINVAL, "networks", "expected an array of at most %d networks",
				  VS_NETWORKS_MAX);
	json_array_foreach(v, i, x) {
		snprintf(f, sizeof(f), "networks[%zu]", i);
		if ((rc = vs_network_from_json(x, f, &c->networks[i], e)) < 0)
			return rc;
		for (size_t j = 0; j < i; j++)
			if (strcmp(c->networks[j].name, c->networks[i].name) == 0)
				return vs_err_set(e, EEXIST, f, "network '%s' given twice",
						  c->networks[i].name);
	}
	c->n_networks = (uint16_t)json_array_size(v);
	return 0;
}

static int parse_namespaces(const json_t *v, struct vs_config *c, struct vs_err *e)
{
	size_t i;
	json_t *x;
	char f[48];
	int rc;

	if (!json_is_array(v) || json_array_size(v) > VS_NAMESPACES_MAX)
		return vs_err_set(e, EINVAL, "namespaces",
				  "expected an array of at most %d namespaces", VS_NAMESPACES_MAX);
	json_array_foreach(v, i, x) {
		snprintf(f, sizeof(f), "namespaces[%zu]", i);
		if ((rc = vs_namespace_from_json(x, f, &c->namespaces[i], e)) < 0)
			return rc;
		for (size_t j = 0; j < i; j++)
			if (strcmp(c->namespaces[j].name, c->namespaces[i].name) == 0)
				return vs_err_set(e, EEXIST, f, "namespace '%s' given twice",
						  c->namespaces[i].name);
	}
	c->n_namespaces = (uint16_t)json_array_size(v);
	return 0;
}

static int parse_policies(const json_t *v, struct vs_config *c, struct vs_err *e)
{
	struct vs_policy_id *ids;
	size_t i;
	json_t *x;
	char f[48];
	int rc = 0;

	if (!json_is_array(v))
		return vs_err_set(e, EINVAL, "policies", "expected an array of policy objects");
	ids = calloc(json_array_size(v) + 1, sizeof(*ids));
	if (ids == NULL)
		return vs_err_set(e, ENOMEM, "policies", "out of memory");
	json_array_foreach(v, i, x) {
		snprintf(f, sizeof(f), "policies[%zu]", i);
		if ((rc = vs_policy_check(x, f, c->networks, c->n_networks, &ids[i], e)) < 0)
			break;
		for (size_t j = 0; j < i && rc == 0; j++)
			if (memcmp(&ids[j], &ids[i], sizeof(ids[i])) == 0)
				rc = vs_err_set(e, EEXIST, f, "%s '%s' given twice",
						vs_policy_kind_name(ids[i].kind), ids[i].name);
		if (rc < 0)
			break;
	}
	free(ids);
	if (rc == 0)
		c->policies = json_deep_copy(v);
	return rc;
}

static int config_from_json(const json_t *root, struct vs_config *c, struct vs_err *e)
{
	static const char *const keys[] = { "dpdk", "workers", "control", "fdb", "ports",
					    "static_macs", "conntrack", "networks", "namespaces",
					    "policies", NULL };
	json_t *v;
	int rc;

	if ((rc = only_keys(root, "", keys, e)) < 0) {
		memmove(e->field, e->field + 1, strlen(e->field));	/* ".x" -> "x" */
		return rc;
	}
	if ((v = json_object_get(root, "dpdk")) != NULL && (rc = parse_dpdk(v, c, e)) < 0)
		return rc;
	if ((v = json_object_get(root, "workers")) != NULL && (rc = parse_workers(v, c, e)) < 0)
		return rc;
	if ((v = json_object_get(root, "control")) != NULL && (rc = parse_control(v, c, e)) < 0)
		return rc;
	if ((v = json_object_get(root, "fdb")) != NULL && (rc = parse_fdb(v, c, e)) < 0)
		return rc;
	for (uint16_t i = 0; i < c->workers.n_cpus; i++)
		if (c->workers.cpus[i] == c->dpdk.main_cpu)
			return vs_err_set(e, EINVAL, "workers.cpus",
					  "CPU %u is the main (control) CPU, dpdk.main_cpu",
					  c->dpdk.main_cpu);

	if ((v = json_object_get(root, "ports")) != NULL) {
		size_t i;
		json_t *p;
		if (!json_is_array(v) || json_array_size(v) > VS_MAX_PORTS)
			return vs_err_set(e, EINVAL, "ports", "expected an array of at most %d ports",
					  VS_MAX_PORTS);
		json_array_foreach(v, i, p) {
			char f[48];
			const struct vs_port_cfg *others[VS_MAX_PORTS];
			snprintf(f, sizeof(f), "ports[%zu]", i);
			if ((rc = vs_port_cfg_from_json(p, f, &c->ports[i], e)) < 0)
				return rc;
			for (size_t j = 0; j < i; j++)
				others[j] = &c->ports[j];
			if ((rc = vs_port_cfg_check_unique(&c->ports[i], others, (unsigned int)i, f,
							   e)) < 0 ||
			    (rc = vs_port_cfg_check_allowed(&c->ports[i], c, f, e)) < 0)
				return rc;
		}
		c->n_ports = (uint16_t)json_array_size(v);
	}
	if ((v = json_object_get(root, "static_macs")) != NULL) {
		size_t i;
		json_t *m;
		if (!json_is_array(v) || json_array_size(v) > VS_STATIC_MACS_MAX)
			return vs_err_set(e, EINVAL, "static_macs",
					  "expected an array of at most %d entries",
					  VS_STATIC_MACS_MAX);
		json_array_foreach(v, i, m) {
			char f[48];
			struct vs_static_mac *sm = &c->static_macs[i];
			snprintf(f, sizeof(f), "static_macs[%zu]", i);
			if ((rc = vs_static_mac_from_json(m, f, sm, e)) < 0)
				return rc;
			const struct vs_port_cfg *port = NULL;
			for (uint16_t j = 0; j < c->n_ports; j++)
				if (strcmp(c->ports[j].name, sm->port) == 0)
					port = &c->ports[j];
			char ff[96];
			if (port == NULL)
				return vs_err_set(e, ENOENT, FIELD(ff, f, "port"),
						  "no port '%s' in ports", sm->port);
			if (!vs_port_cfg_in_vlan(port, sm->vlan))
				return vs_err_set(e, EINVAL, FIELD(ff, f, "vlan"),
						  "port '%s' is not in VLAN %u", sm->port, sm->vlan);
		}
		c->n_static_macs = (uint16_t)json_array_size(v);
	}
	if ((v = json_object_get(root, "conntrack")) != NULL &&
	    (rc = vs_conntrack_from_json(v, &c->conntrack, e)) < 0)
		return rc;
	if ((v = json_object_get(root, "networks")) != NULL && (rc = parse_networks(v, c, e)) < 0)
		return rc;
	if ((v = json_object_get(root, "namespaces")) != NULL &&
	    (rc = parse_namespaces(v, c, e)) < 0)
		return rc;
	if ((v = json_object_get(root, "policies")) != NULL && (rc = parse_policies(v, c, e)) < 0)
		return rc;
	return 0;
}

static json_t *control_to_json(const struct vs_config *c)
{
	char perm[16], ro_perm[16];
	snprintf(perm, sizeof(perm), "%04o", c->control.socket_perm);
	snprintf(ro_perm, sizeof(ro_perm), "%04o", c->control.ro_socket_perm);
	json_t *dirs = json_array();
	for (uint16_t i = 0; i < c->control.n_socket_dirs; i++)
		json_array_append_new(dirs, json_string(c->control.socket_dirs[i]));
	json_t *o = json_pack("{s:s, s:s, s:s, s:o, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
			      "socket", c->control.socket, "socket_perm", perm, "state_dir",
			      c->control.state_dir, "socket_dirs", dirs, "max_clients",
			      (json_int_t)c->control.max_clients, "max_output_bytes",
			      (json_int_t)c->control.max_output_bytes, "max_buffered_bytes",
			      (json_int_t)c->control.max_buffered_bytes, "requests_per_s",
			      (json_int_t)c->control.requests_per_s, "request_burst",
			      (json_int_t)c->control.request_burst, "idle_timeout_s",
			      (json_int_t)c->control.idle_timeout_s, "hello_timeout_s",
			      (json_int_t)c->control.hello_timeout_s, "write_timeout_s",
			      (json_int_t)c->control.write_timeout_s);
	if (c->control.group[0])
		json_object_set_new(o, "group", json_string(c->control.group));
	if (c->control.ro_socket[0]) {
		json_object_set_new(o, "ro_socket", json_string(c->control.ro_socket));
		json_object_set_new(o, "ro_socket_perm", json_string(ro_perm));
	}
	return o;
}

json_t *vs_config_to_json(const struct vs_config *c)
{
	json_t *root = json_object();
	json_t *extra = json_array();
	for (uint16_t i = 0; i < c->dpdk.n_extra; i++)
		json_array_append_new(extra, json_string(c->dpdk.extra_eal_args[i]));
	json_object_set_new(root, "dpdk",
			    json_pack("{s:b, s:i, s:i, s:s, s:o, s:b}", "no_huge", c->dpdk.no_huge,
				      "memory_mb", (json_int_t)c->dpdk.memory_mb, "main_cpu",
				      c->dpdk.main_cpu, "file_prefix", c->dpdk.file_prefix,
				      "extra_eal_args", extra, "allow_test_vdevs",
				      c->dpdk.allow_test_vdevs));
	json_t *cpus = json_array();
	for (uint16_t i = 0; i < c->workers.n_cpus; i++)
		json_array_append_new(cpus, json_integer(c->workers.cpus[i]));
	json_object_set_new(root, "workers",
			    json_pack("{s:o, s:i, s:i, s:i}", "cpus", cpus, "idle_sleep_us",
				      (json_int_t)c->workers.idle_sleep_us, "idle_spins",
				      (json_int_t)c->workers.idle_spins, "burst", c->workers.burst));
	json_object_set_new(root, "control", control_to_json(c));
	json_object_set_new(root, "fdb", json_pack("{s:i, s:i}", "size", (json_int_t)c->fdb.size,
						   "aging_s", (json_int_t)c->fdb.aging_s));
	json_t *ports = json_array();
	for (uint16_t i = 0; i < c->n_ports; i++)
		json_array_append_new(ports, vs_port_cfg_to_json(&c->ports[i]));
	json_object_set_new(root, "ports", ports);
	json_t *macs = json_array();
	for (uint16_t i = 0; i < c->n_static_macs; i++)
		json_array_append_new(macs, vs_static_mac_to_json(&c->static_macs[i]));
	json_object_set_new(root, "static_macs", macs);
	json_object_set_new(root, "conntrack", vs_conntrack_to_json(&c->conntrack));
	json_t *nets = json_array(), *nss = json_array();
	for (uint16_t i = 0; i < c->n_networks; i++)
		json_array_append_new(nets, json_pack("{s:s, s:i}", "name", c->networks[i].name,
						      "vlan", c->networks[i].vlan));
	for (uint16_t i = 0; i < c->n_namespaces; i++)
		json_array_append_new(nss, vs_namespace_to_json(&c->namespaces[i]));
	json_object_set_new(root, "networks", nets);
	json_object_set_new(root, "namespaces", nss);
	json_object_set_new(root, "policies", c->policies ? json_deep_copy(c->policies) : json_array());
	return root;
}
