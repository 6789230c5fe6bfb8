/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * VLAN lists ("2003-2005,2010") and MAC addresses in text.
 * Pure model (Jansson only, no DPDK). Control thread, config loader and unit tests.
 */
#ifndef VS_VLAN_SET_H
#define VS_VLAN_SET_H

#include <stddef.h>
#include <stdint.h>

#include "vs_types.h"
#include "control/model/err.h"

/* vlan_set.c: "2003-2005,2010" <-> set. Parse returns 0, or -EINVAL/-ERANGE with e set. */
int vs_vlan_set_parse(const char *s, struct vs_vlan_set *out, struct vs_err *e, const char *field);
/* Writes the canonical form ("2003-2005,2010"; "" for none) into buf. */
void vs_vlan_set_format(const struct vs_vlan_set *s, char *buf, size_t len);
unsigned int vs_vlan_set_count(const struct vs_vlan_set *s);

int vs_mac_parse(const char *s, uint8_t mac[6]);
void vs_mac_format(const uint8_t mac[6], char buf[18]);

#endif
