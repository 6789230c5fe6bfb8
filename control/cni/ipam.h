/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Delegating IPAM the way CNI plugins do (SPEC.md "Delegated plugins"): the plugin named by
 * ipam.type is looked up in CNI_PATH and executed with this plugin's environment (CNI_COMMAND
 * as given) and the same network configuration on stdin. Bounded in time: a plugin that does
 * not answer within VS_CNI_IPAM_TIMEOUT_S is killed.
 */
#ifndef VS_CNI_IPAM_H
#define VS_CNI_IPAM_H

#include <jansson.h>

#include "control/cni/conf.h"

#define VS_CNI_IPAM_TIMEOUT_S 30

/* Runs `type` for cmd (ADD, DEL, CHECK). On success *result is its parsed stdout (ADD) or
 * NULL; on failure e holds the plugin's own error (code and msg), prefixed with its name. */
int vs_cni_ipam(const char *cni_path, const char *type, const char *cmd, const char *conf,
		size_t len, json_t **result, struct vs_cni_err *e);

#endif
