/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What a request may name. The control socket is root on the node, so every path a request
 * gives stays under a configured directory and every device string is allow-listed:
 *
 *   - paths: absolute, no empty, "." or ".." component, no trailing '/', no control
 *     characters; a vhost-user socket (and net_vhost iface=, net_virtio_user path=) lies below
 *     one of control.socket_dirs; config.save writes control.state_dir/NAME or exactly the
 *     file vswd was started with.
 *   - devargs and bond members: a PCI address (DDDD:BB:DD.F or BB:DD.F) with at most a few
 *     tuning arguments; with dpdk.allow_test_vdevs also net_vhost, net_virtio_user (their
 *     socket under socket_dirs), net_null and net_ring. Everything else (net_pcap, which
 *     writes files, net_af_packet, which attaches to host interfaces, net_tap, net_bonding,
 *     ...) is refused.
 *
 * These are lexical checks on the strings (pure, no file system): safe_fs.c then walks the
 * directories without following links. Control thread only (and the config loader).
 */
#ifndef VS_ALLOW_H
#define VS_ALLOW_H

#include <stdbool.h>

#include "control/model/config.h"
#include "control/model/err.h"
#include "control/model/port_cfg.h"

/* An absolute, clean path (see above); -EINVAL naming field otherwise. */
int vs_path_check(const char *path, const char *field, struct vs_err *e);
/* path lies strictly below dir; both clean. */
bool vs_path_below(const char *path, const char *dir);
/* The socket dir of c that path lies below, or NULL. */
const char *vs_socket_dir_of(const char *path, const struct vs_config *c);
/* A socket path a port may use: clean and below one of control.socket_dirs (-EACCES). */
int vs_socket_path_allowed(const char *path, const struct vs_config *c, const char *field,
			   struct vs_err *e);
/* A dpdk port's devargs or one bond member: allow-listed (-EACCES) and well formed. */
int vs_devargs_allowed(const char *devargs, const struct vs_config *c, const char *field,
		       struct vs_err *e);
/* The socket path a devargs names (net_vhost iface=, net_virtio_user path=), if any. */
bool vs_devargs_path(const char *devargs, char *out, size_t len);
/* Everything of a port that names a path or a device: socket, devargs, members. */
int vs_port_cfg_check_allowed(const struct vs_port_cfg *p, const struct vs_config *c,
			      const char *prefix, struct vs_err *e);
/* config.save's path: exactly config_path, or a file directly in state_dir or state_dir_real
 * (its canonical form) whose name does not start with '.' (vswd's temporary files do). */
int vs_save_path_allowed(const char *path, const char *state_dir, const char *state_dir_real,
			 const char *config_path, const char *field, struct vs_err *e);

#endif
