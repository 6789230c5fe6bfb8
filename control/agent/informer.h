/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One Kubernetes resource as vsw-agent knows it: the objects of its last list, kept up to date
 * by the watch events that follow (the informer pattern of client-go, without the threads).
 * Pure: Jansson only, no I/O, so the unit tests and the fuzzer feed it API server output
 * directly. The transport (watch.c) decides when to list and watch; this file decides what a
 * list body or an event line means. Single-threaded (vsw-agent's one thread).
 */
#ifndef VS_AGENT_INFORMER_H
#define VS_AGENT_INFORMER_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vs_informer {
	const char *name;	/* "pods": for logs */
	const char *path;	/* collection path, "/api/v1/pods" */
	char *selector;		/* extra query ("fieldSelector=spec.nodeName%3Dn1") or NULL */
	json_t *objects;	/* "namespace/name" (or "name") -> the object */
	char rv[64];		/* resourceVersion to watch from; "" until listed */
	bool synced;		/* listed at least once: its objects are the cluster's */
	uint64_t lists, events, bookmarks, expired, bad_lines;
};

enum vs_informer_ev {
	VS_INF_CHANGED,	/* an object was added, changed or deleted */
	VS_INF_QUIET,	/* a bookmark, or an event that changes nothing */
	VS_INF_EXPIRED,	/* 410 Gone: the resourceVersion is too old, list again */
	VS_INF_ERROR,	/* another ERROR event: the watch has failed (back off, retry) */
	VS_INF_BAD,	/* not an event; err says why (the watch goes on) */
};

void vs_informer_init(struct vs_informer *inf, const char *name, const char *path);
void vs_informer_free(struct vs_informer *inf);

/* A list response body: replaces the objects and the resourceVersion. Returns 0, or -1 with
 * err set (the objects are left as they were). */
int vs_informer_list(struct vs_informer *inf, const char *body, size_t len, char *err,
		     size_t errlen);
/* One line of a watch stream. */
enum vs_informer_ev vs_informer_event(struct vs_informer *inf, const char *line, size_t len,
				      char *err, size_t errlen);

/* "namespace/name" of an object, or "name" when it has no namespace; NULL if it has no name. */
const char *vs_object_key(const json_t *obj, char *buf, size_t len);

#endif
