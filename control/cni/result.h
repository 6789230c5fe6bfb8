/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vsw-cni, pure part: the JSON it writes. The ADD result (CNI spec "Success"), the error
 * object (spec "Error"), the VERSION answer, and the Device Information file
 * (k8snetworkplumbingwg device-info-spec 1.1.0) the VM's launcher reads. Any thread.
 */
#ifndef VS_CNI_RESULT_H
#define VS_CNI_RESULT_H

#include <jansson.h>

#include "control/cni/conf.h"

/* The ADD result in c's version: one interface (ifname, the MAC when known, the vhost-user
 * socket) and the IPAM result's ips (each on interface 0), routes and dns (the config's dns
 * when IPAM gave none). ipam may be NULL. New reference. */
json_t *vs_cni_result(const struct vs_cni_conf *c, const char *ifname, const char *sock,
		      const json_t *ipam);
/* The addresses ("addr/len") of a result's ips; new reference, never NULL on success. */
json_t *vs_cni_result_addresses(const json_t *result);
json_t *vs_cni_error_json(const char *version, const struct vs_cni_err *e);
json_t *vs_cni_version_json(const char *version);
/* {"type": "vhost-user", "version": "1.1.0", "vhost-user": {"mode": "server", "path": sock}}:
 * the mode is the pod's side (QEMU serves the socket, vswd connects). */
json_t *vs_cni_device_info(const char *sock);

#endif
