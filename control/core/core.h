/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The typed core functions that change the running state. Handlers (socket)
 * and the config loader (startup) call the same functions. Control thread only.
 */
#ifndef VS_CORE_H
#define VS_CORE_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "control/model/config.h"
#include "control/model/err.h"
#include "control/model/port_cfg.h"

/* Change the running state; on error nothing changed. */
int vs_core_port_add(const struct vs_port_cfg *cfg, struct vs_err *e);
int vs_core_port_del(const char *name, struct vs_err *e);
/* cfg: the port's new settings (its current ones with port.set's arguments applied,
 * vs_port_cfg_update); the name says which port. */
int vs_core_port_set(const struct vs_port_cfg *cfg, struct vs_err *e);
int vs_core_mac_add(const struct vs_static_mac *m, struct vs_err *e);
int vs_core_mac_del(uint16_t vlan, const uint8_t mac[6], struct vs_err *e);
/* Learned entries of vlan (0 = any) and port (VS_PORT_NONE = any) removed; how many. */
unsigned int vs_core_mac_flush(uint16_t vlan, uint16_t port);
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

#endif
