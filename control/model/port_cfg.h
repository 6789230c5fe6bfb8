/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A port's configuration: decoding (port.add, port.set, config rows),
 * validation and its JSON form.
 * Pure model (Jansson only, no DPDK). Control thread, config loader and unit tests.
 */
#ifndef VS_PORT_CFG_H
#define VS_PORT_CFG_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "vs_types.h"
#include "control/model/err.h"
#include "control/model/netpol_cfg.h"
#include "control/model/police_cfg.h"
#include "control/model/qos_cfg.h"

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

static inline bool vs_port_cfg_in_vlan(const struct vs_port_cfg *p, uint16_t vid)
{
	if (p->mode == VS_MODE_ACCESS)
		return p->vlan == vid;
	return p->native_vlan == vid || vs_vlan_set_has(&p->allowed, vid);
}

void vs_port_cfg_defaults(struct vs_port_cfg *p);
/* The decoders below take arguments that passed their command's schema (vs_args_check at
 * dispatch, vs_request_check for a config row): they check values, not shapes. */
/* Decode and validate port.add args / a config "ports" row into p (defaults applied first). */
int vs_port_cfg_from_json(const json_t *o, const char *prefix, struct vs_port_cfg *p,
			  struct vs_err *e);
/* Apply port.set args onto an existing p (what they name; the rest stays), validated; p is
 * unchanged on error. */
int vs_port_cfg_update(const json_t *o, const char *prefix, struct vs_port_cfg *p,
		       struct vs_err *e);
/* One port on its own: ranges, required fields, lengths. */
int vs_port_cfg_validate(const struct vs_port_cfg *p, const char *prefix, struct vs_err *e);
/* Port p may join the set others[0..n) (unique name, socket, device). */
int vs_port_cfg_check_unique(const struct vs_port_cfg *p, const struct vs_port_cfg *const *others,
			     unsigned int n, const char *prefix, struct vs_err *e);
json_t *vs_port_cfg_to_json(const struct vs_port_cfg *p);

const char *vs_port_type_name(enum vs_port_type t);
const char *vs_bond_mode_name(uint8_t m);
const char *vs_xmit_policy_name(uint8_t p);
/* Splits a members string into at most max devargs (copies into buf); returns the count. */
int vs_members_split(const char *members, char buf[][VS_DEVARGS_MAX], int max);
const char *vs_port_mode_name(enum vs_port_mode m);

#endif
