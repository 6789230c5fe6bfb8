/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A port's configuration: port.add / port.set arguments and config "ports" rows (the same
 * schema), their checks, names of the enums, and the JSON form. Pure (Jansson only).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control/model/port_cfg.h"
#include "vs_types.h"
#include "control/model/err.h"
#include "control/model/json_get.h"
#include "control/model/netpol_cfg.h"
#include "control/model/police_cfg.h"
#include "control/model/qos_cfg.h"
#include "control/model/vlan_set.h"

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
			return vs_err_set(e, EINVAL, VS_FIELD(f, prefix, "mode"),
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
			return vs_err_set(e, ERANGE, VS_FIELD(f, prefix, "vlan"),
					  "%lld: VLAN ids are %d..%d", json_integer_value(v),
					  VS_VLAN_MIN, VS_VLAN_MAX);
		p->vlan = (uint16_t)json_integer_value(v);
	}
	if ((v = json_object_get(o, "allowed")) != NULL) {
		int rc = vs_vlan_set_parse(json_string_value(v), &p->allowed, e,
					   VS_FIELD(f, prefix, "allowed"));
		if (rc < 0)
			return rc;
	}
	if ((v = json_object_get(o, "native_vlan")) != NULL) {
		if (json_integer_value(v) > VS_VLAN_MAX)
			return vs_err_set(e, ERANGE, VS_FIELD(f, prefix, "native_vlan"),
					  "%lld: VLAN ids are %d..%d (0 = no native VLAN)",
					  json_integer_value(v), VS_VLAN_MIN, VS_VLAN_MAX);
		p->native_vlan = (uint16_t)json_integer_value(v);
	}
	if ((v = json_object_get(o, "mtu")) != NULL) {
		if (json_integer_value(v) < VS_MTU_MIN || json_integer_value(v) > VS_MTU_MAX)
			return vs_err_set(e, ERANGE, VS_FIELD(f, prefix, "mtu"), "%lld: MTU is %d..%d",
					  json_integer_value(v), VS_MTU_MIN, VS_MTU_MAX);
		p->mtu = (uint16_t)json_integer_value(v);
	}
	if ((v = json_object_get(o, "mac_limit")) != NULL) {
		if (json_integer_value(v) > VS_MAC_LIMIT_MAX)
			return vs_err_set(e, ERANGE, VS_FIELD(f, prefix, "mac_limit"),
					  "%lld: at most %u MACs (0 = no limit but the FDB's size)",
					  json_integer_value(v), VS_MAC_LIMIT_MAX);
		p->mac_limit = (uint32_t)json_integer_value(v);
	}
	return 0;
}

/* A string argument that names one of a set of values. */
struct named { const char *name; int val; };

static int named_arg(const json_t *o, const char *prefix, const char *key,
		     const struct named *tbl, const char *expected, int *out, struct vs_err *e)
{
	json_t *v = json_object_get(o, key);
	char f[160];
	if (v == NULL)
		return 0;
	for (const struct named *n = tbl; n->name != NULL; n++)
		if (strcmp(json_string_value(v), n->name) == 0) {
			*out = n->val;
			return 0;
		}
	return vs_err_set(e, EINVAL, VS_FIELD(f, prefix, key), "'%s': expected %s",
			  json_string_value(v), expected);
}

static int kind_args(const json_t *o, const char *prefix, struct vs_port_cfg *p,
		     struct vs_err *e)
{
	static const struct named types[] = { { "vhost-user", VS_PORT_VHOST },
					      { "dpdk", VS_PORT_DPDK },
					      { "bond", VS_PORT_BOND },
					      { NULL, 0 } };
	static const struct named bond_modes[] = { { "active-backup", VS_BOND_ACTIVE_BACKUP },
						   { "balance-xor", VS_BOND_BALANCE_XOR },
						   { "802.3ad", VS_BOND_8023AD },
						   { "lacp", VS_BOND_8023AD },
						   { NULL, 0 } };
	static const struct named xmit[] = { { "l2", VS_XMIT_L2 }, { "l23", VS_XMIT_L23 },
					     { "l34", VS_XMIT_L34 }, { NULL, 0 } };
	int type = p->type, mode = p->bond_mode, pol = p->xmit_policy, rc;

	if ((rc = named_arg(o, prefix, "type", types, "vhost-user, dpdk or bond", &type, e)) < 0 ||
	    (rc = named_arg(o, prefix, "bond_mode", bond_modes,
			    "active-backup, balance-xor or 802.3ad", &mode, e)) < 0 ||
	    (rc = named_arg(o, prefix, "xmit_policy", xmit, "l2, l23 or l34", &pol, e)) < 0)
		return rc;
	p->type = (enum vs_port_type)type;
	p->bond_mode = (uint8_t)mode;
	p->xmit_policy = (uint8_t)pol;
	/* An uplink is a trunk unless told otherwise; the network behind it has any number of
	 * MACs. */
	if (p->type != VS_PORT_VHOST) {
		p->mode = VS_MODE_TRUNK;
		p->mac_limit = 0;
	}
	return 0;
}

/* socket, devargs, members, owner, group, perm, client, queues */
static int device_args(const json_t *o, const char *prefix, struct vs_port_cfg *p,
		       struct vs_err *e)
{
	const struct {
		const char *key;
		char *dst;
		size_t len;
	} strs[] = {
		{ "members", p->members, sizeof(p->members) },
		{ "socket", p->socket, sizeof(p->socket) },
		{ "devargs", p->devargs, sizeof(p->devargs) },
		{ "owner", p->owner, sizeof(p->owner) },
		{ "group", p->group, sizeof(p->group) },
	};
	char f[160];
	json_t *v;
	int rc;

	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		if ((v = json_object_get(o, strs[i].key)) != NULL &&
		    (rc = vs_json_copy_str(strs[i].dst, strs[i].len, v,
					   VS_FIELD(f, prefix, strs[i].key), e)) < 0)
			return rc;
	if ((v = json_object_get(o, "perm")) != NULL &&
	    (rc = vs_perm_parse(json_string_value(v), &p->perm, VS_FIELD(f, prefix, "perm"), e)) < 0)
		return rc;
	if ((v = json_object_get(o, "client")) != NULL)
		p->client = json_is_true(v);
	if ((v = json_object_get(o, "queues")) != NULL) {
		if (json_integer_value(v) < 1 || json_integer_value(v) > VS_MAX_QUEUES)
			return vs_err_set(e, ERANGE, VS_FIELD(f, prefix, "queues"),
					  "%lld: queue pairs are 1..%d", json_integer_value(v),
					  VS_MAX_QUEUES);
		p->queues = (uint16_t)json_integer_value(v);
	}
	return 0;
}

int vs_port_cfg_from_json(const json_t *o, const char *prefix, struct vs_port_cfg *p,
			  struct vs_err *e)
{
	char f[160];
	int rc;

	vs_port_cfg_defaults(p);
	if ((rc = vs_json_copy_str(p->name, sizeof(p->name), json_object_get(o, "name"),
				   VS_FIELD(f, prefix, "name"), e)) < 0 ||
	    (rc = kind_args(o, prefix, p, e)) < 0 || (rc = device_args(o, prefix, p, e)) < 0 ||
	    (rc = vlan_args(o, prefix, p, e)) < 0 ||
	    (rc = vs_police_args(o, prefix, &p->police, e)) < 0 ||
	    (rc = vs_qos_args(o, prefix, &p->qos, e)) < 0 ||
	    (rc = vs_netpol_port_args(o, prefix, &p->np, e)) < 0)
		return rc;
	return vs_port_cfg_validate(p, prefix, e);
}

int vs_port_cfg_update(const json_t *o, const char *prefix, struct vs_port_cfg *p,
		       struct vs_err *e)
{
	struct vs_port_cfg n = *p;
	int rc;

	if (json_object_get(o, "allowed") != NULL)
		memset(&n.allowed, 0, sizeof(n.allowed));
	if ((rc = vlan_args(o, prefix, &n, e)) < 0)
		return rc;
	if ((rc = vs_police_args(o, prefix, &n.police, e)) < 0)
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
		return vs_err_set(e, EINVAL, VS_FIELD(f, prefix, "name"),
				  "'%s': use letters, digits, '-', '_' and '.'", p->name);
	if (p->type == VS_PORT_VHOST) {
		if (p->socket[0] == '\0')
			return vs_err_set(e, EINVAL, VS_FIELD(f, prefix, "socket"),
					  "a vhost-user port needs a socket path");
		if (p->socket[0] != '/')
			return vs_err_set(e, EINVAL, VS_FIELD(f, prefix, "socket"),
					  "'%s': must be an absolute path", p->socket);
		if (p->devargs[0] != '\0')
			return vs_err_set(e, EINVAL, VS_FIELD(f, prefix, "devargs"),
					  "devargs is for dpdk ports");
		if (p->client && (p->owner[0] || p->group[0] || p->perm))
			return vs_err_set(e, EINVAL, VS_FIELD(f, prefix, p->owner[0] ? "owner" :
							    p->group[0] ? "group" : "perm"),
					  "socket ownership applies to server-mode ports "
					  "(client=false); in client mode QEMU owns the socket");
	} else if (p->type == VS_PORT_DPDK) {
		if (p->devargs[0] == '\0')
			return vs_err_set(e, EINVAL, VS_FIELD(f, prefix, "devargs"),
					  "a dpdk port needs devargs (a PCI address or a vdev)");
		if (p->socket[0] != '\0')
			return vs_err_set(e, EINVAL, VS_FIELD(f, prefix, "socket"),
					  "socket is for vhost-user ports");
	} else {
		char m[VS_BOND_MEMBERS_MAX][VS_DEVARGS_MAX];
		int n = vs_members_split(p->members, m, VS_BOND_MEMBERS_MAX);
		if (p->bond_mode == 0)
			return vs_err_set(e, EINVAL, VS_FIELD(f, prefix, "bond_mode"),
					  "a bond needs a mode: active-backup, balance-xor or 802.3ad");
		if (n < 1 || n > VS_BOND_MEMBERS_MAX)
			return vs_err_set(e, EINVAL, VS_FIELD(f, prefix, "members"),
					  "a bond has 1..%d members (devargs separated by ';')",
					  VS_BOND_MEMBERS_MAX);
		for (int i = 0; i < n; i++)
			for (int j = 0; j < i; j++)
				if (strcmp(m[i], m[j]) == 0)
					return vs_err_set(e, EINVAL, VS_FIELD(f, prefix, "members"),
							  "'%s' is listed twice", m[i]);
		if (p->socket[0] != '\0' || p->devargs[0] != '\0')
			return vs_err_set(e, EINVAL,
					  VS_FIELD(f, prefix, p->socket[0] ? "socket" : "devargs"),
					  "a bond takes members, not socket or devargs");
	}
	if (p->type != VS_PORT_BOND && (p->bond_mode || p->members[0]))
		return vs_err_set(e, EINVAL, VS_FIELD(f, prefix, p->bond_mode ? "bond_mode" : "members"),
				  "only bond ports (type=bond) take bond settings");
	if (p->mode == VS_MODE_ACCESS) {
		if (p->vlan == 0)
			return vs_err_set(e, EINVAL, VS_FIELD(f, prefix, "vlan"),
					  "an access port needs a VLAN");
		if (vs_vlan_set_count(&p->allowed) > 0 || p->native_vlan != 0)
			return vs_err_set(e, EINVAL,
					  VS_FIELD(f, prefix, p->native_vlan ? "native_vlan" : "allowed"),
					  "only trunk ports take allowed/native_vlan (mode=trunk)");
	} else {
		if (p->vlan != 0)
			return vs_err_set(e, EINVAL, VS_FIELD(f, prefix, "vlan"),
					  "a trunk port takes allowed and native_vlan, not vlan");
		if (vs_vlan_set_count(&p->allowed) == 0 && p->native_vlan == 0)
			return vs_err_set(e, EINVAL, VS_FIELD(f, prefix, "allowed"),
					  "a trunk port needs allowed VLANs or a native VLAN");
	}
	int rc = vs_police_validate(&p->police, p->mtu, prefix, e);
	return rc < 0 ? rc : vs_qos_validate(&p->qos, prefix, e);
}

int vs_port_cfg_check_unique(const struct vs_port_cfg *p, const struct vs_port_cfg *const *others,
			     unsigned int n, const char *prefix, struct vs_err *e)
{
	char f[160];
	for (unsigned int i = 0; i < n; i++) {
		const struct vs_port_cfg *o = others[i];
		if (strcmp(o->name, p->name) == 0)
			return vs_err_set(e, EEXIST, VS_FIELD(f, prefix, "name"),
					  "port '%s' already exists", p->name);
		if (p->socket[0] && strcmp(o->socket, p->socket) == 0)
			return vs_err_set(e, EEXIST, VS_FIELD(f, prefix, "socket"),
					  "'%s' is already used by port '%s'", p->socket, o->name);
		if (p->devargs[0] && strcmp(o->devargs, p->devargs) == 0)
			return vs_err_set(e, EEXIST, VS_FIELD(f, prefix, "devargs"),
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
							  VS_FIELD(f, prefix, p->members[0] ? "members" : "devargs"),
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
