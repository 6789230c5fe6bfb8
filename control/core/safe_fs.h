/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * File-system work on behalf of requests, after allow.c's lexical checks: directories below
 * a configured one are opened one component at a time with O_NOFOLLOW (a symlink anywhere
 * below it is refused), files are written atomically, and vswd remembers the sockets it
 * created (device and inode) so that it never replaces or removes a file it did not create.
 * The record of created sockets is kept in control.state_dir/owned-sockets, so a server
 * socket left behind by a crashed vswd is replaced after a restart, and nothing else is.
 * POSIX only (no DPDK); control thread only.
 */
#ifndef VS_SAFE_FS_H
#define VS_SAFE_FS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "control/model/err.h"

/* Loads the record of created sockets from state_dir (missing: empty). */
void vs_safe_fs_init(const char *state_dir);

/*
 * Opens the directory of path (which lies below base) without following links below base;
 * creates missing directories (0755) when create. Returns the directory fd or -errno, with
 * *leaf pointing into path at the last component.
 */
int vs_dir_open_below(const char *base, const char *path, bool create, const char **leaf);

/*
 * Makes path ready for a vhost-user socket: its directories exist (server) and are no links;
 * in server mode nothing is there, or a stale socket vswd created (removed); in client mode
 * nothing or a socket (not a link). Errors name field: EACCES (links), EEXIST (a file vswd
 * did not create), EADDRINUSE (someone listens there).
 */
int vs_sock_prepare(const char *path, const char *base, bool server, const char *field,
		    struct vs_err *e);
/* Records that vswd created the socket now at path. */
void vs_sock_created(const char *path);
/*
 * Before DPDK removes its server socket at path (rte_vhost_driver_unregister unlinks it): if
 * what is there now is not the socket vswd created, it is moved aside into aside (returns 1)
 * for vs_sock_release_end to put back. 0: nothing to do. Forgets the record either way.
 */
int vs_sock_release_begin(const char *path, char *aside, size_t len);
void vs_sock_release_end(const char *path, const char *aside);

/*
 * Writes data into dir/name atomically: a temporary file in dir (O_EXCL, O_NOFOLLOW), fsync,
 * rename over name, fsync of dir. dir is opened without following its last component and
 * must be the directory whose device/inode is want_dev/want_ino when want_ino is not 0. An
 * existing name that is a link or not a regular file is refused (-ELOOP / -EACCES); an
 * existing file keeps its mode, a new one gets mode. Returns 0 or -errno.
 */
int vs_write_atomic(const char *dir, const char *name, const char *data, size_t len,
		    mode_t mode, dev_t want_dev, ino_t want_ino);

#endif
