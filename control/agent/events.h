/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Kubernetes Events from vsw-agent: a Warning on the object vswd refused, so `kubectl describe`
 * and `kubectl get events` show what a log line on one node would hide. Posted synchronously
 * with a 5 s bound (refusals are rare; a lost Event is logged, never retried). Single-threaded.
 */
#ifndef VS_AGENT_EVENTS_H
#define VS_AGENT_EVENTS_H

#include <jansson.h>

#include "kube_config.h"

/* The core/v1 Event for obj (its apiVersion, kind, metadata.name/namespace): pure. */
json_t *vs_kube_event(const json_t *obj, const char *reason, const char *message,
		      const char *node);
/* Posts it to the object's namespace ("default" for cluster-scoped objects). Returns 0 or -1
 * (logged). */
int vs_kube_event_post(const struct vs_kube_api *api, const json_t *obj, const char *reason,
		       const char *message, const char *node);

#endif
