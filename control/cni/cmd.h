/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vsw-cni's commands (CNI spec 1.0.0 "Operations"): ADD, DEL, CHECK, and STATUS and GC of
 * spec 1.1.
 * Each talks to vswd over its control socket (control/client/conn.h) and leaves nothing
 * half-done: an ADD that fails after IPAM releases the lease and removes the port.
 */
#ifndef VS_CNI_CMD_H
#define VS_CNI_CMD_H

#include <jansson.h>

#include "control/cni/conf.h"

/* conf_text: the network config exactly as read (IPAM gets the same bytes). ADD sets
 * *result (new reference). */
int vs_cni_add(const struct vs_cni_conf *c, const struct vs_cni_env *env, const char *conf_text,
	       size_t conf_len, json_t **result, struct vs_cni_err *e);
int vs_cni_del(const struct vs_cni_conf *c, const struct vs_cni_env *env, const char *conf_text,
	       size_t conf_len, struct vs_cni_err *e);
int vs_cni_check(const struct vs_cni_conf *c, const struct vs_cni_env *env,
		 const char *conf_text, size_t conf_len, struct vs_cni_err *e);
int vs_cni_status(const struct vs_cni_conf *c, struct vs_cni_err *e);
/* GC (spec 1.1): every attachment of this network the plugin recorded that is not in
 * cni.dev/valid-attachments is removed as DEL would (port, lease, files). */
int vs_cni_gc(const struct vs_cni_conf *c, const struct vs_cni_env *env, struct vs_cni_err *e);

#endif
