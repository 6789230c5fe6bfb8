/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What vswd should hold, derived from the agent's informers: the networks of the
 * NetworkAttachmentDefinitions of type vsw (named "namespace/name", as policy-for names them),
 * the namespaces' labels, the labels of the ports of this node's pods (a pod's port is the one
 * whose vhost-user socket the pod's k8s.v1.cni.cncf.io/network-status names), and the policy
 * objects. Pure: Jansson only; single-threaded.
 */
#ifndef VS_AGENT_DESIRED_H
#define VS_AGENT_DESIRED_H

#include <jansson.h>

struct vs_desired {
	json_t *networks;	/* "ns/name" -> VLAN (integer) */
	json_t *namespaces;	/* name -> labels (object of strings) */
	json_t *ports;		/* socket path -> {"pod": "ns/name", "labels": {...}} */
	json_t *policies;	/* "Kind/ns/name" -> the object as vswd takes it */
};

/* The inputs are informer object maps ("ns/name" -> object); node is this node's name. */
void vs_desired_build(struct vs_desired *d, const json_t *nads, const json_t *namespaces,
		      const json_t *pods, const json_t *const policy_maps[], unsigned n_maps,
		      const char *node);
void vs_desired_free(struct vs_desired *d);

/* A NAD's VLAN if its config (a single plugin or a conflist) has a plugin of type vsw with a
 * VLAN; -1 otherwise. */
int vs_nad_vlan(const json_t *nad);
/* "Kind/ns/name" (ns empty for cluster-scoped kinds). */
const char *vs_policy_key(const char *kind, const char *ns, const char *name, char *buf,
			  size_t len);

#endif
