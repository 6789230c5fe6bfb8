/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The transport of vsw-agent's informers: for each resource, list, then watch from the list's
 * resourceVersion with bookmarks; when the server ends a watch, watch again from the last
 * resourceVersion seen; on 410 Gone, list again; on any failure, retry after a back-off that
 * doubles from 250 ms to 30 s. All transfers run in one libcurl multi handle on the caller's
 * thread (no threads, no callbacks into the caller). Single-threaded.
 */
#ifndef VS_AGENT_WATCH_H
#define VS_AGENT_WATCH_H

#include <curl/curl.h>
#include <stdbool.h>
#include <stdint.h>

#include "informer.h"
#include "kube_config.h"

#define VS_WATCH_MAX 8

struct vs_watcher;

struct vs_watch {
	struct vs_watcher *owner;
	struct vs_informer *inf;
	CURL *h;		/* NULL: no transfer running */
	bool listing;		/* the running transfer is a list (else a watch) */
	bool expired;		/* the stream said 410: list again */
	bool errored;		/* the stream carried an ERROR event (not 410) */
	char stream_err[512];	/* ... this one */
	int64_t started_ms;	/* when the running transfer started */
	uint64_t seen;		/* events and bookmarks before it, to tell an empty watch */
	char *buf;		/* list body, or the watch stream's unfinished line */
	size_t len, cap;
	struct curl_slist *hdrs;
	int64_t retry_at_ms;	/* next start, CLOCK_MONOTONIC */
	int backoff_ms;		/* 0 after a success */
	uint64_t failures;	/* transfers that ended in an error */
	char err[512];		/* the last failure */
};

struct vs_watcher {
	CURLM *multi;
	const struct vs_kube_api *api;
	struct vs_watch w[VS_WATCH_MAX];
	unsigned n;
	unsigned changes;	/* objects changed since vs_watcher_take_changes */
	uint64_t recoveries;	/* transfers that succeeded after a failure */
	int watch_timeout_s;	/* asked of the server for each watch (default 300) */
};

int vs_watcher_init(struct vs_watcher *wr, const struct vs_kube_api *api);
void vs_watcher_add(struct vs_watcher *wr, struct vs_informer *inf);
/* Starts what is due, waits up to timeout_ms for traffic, handles what arrived. */
void vs_watcher_run(struct vs_watcher *wr, int timeout_ms);
/* Every informer has listed at least once. */
bool vs_watcher_synced(const struct vs_watcher *wr);
/* The number of changes since the last call, and whether a transfer recovered from a failure
 * (both mean: reconcile). */
unsigned vs_watcher_take_changes(struct vs_watcher *wr, uint64_t *recoveries);
void vs_watcher_free(struct vs_watcher *wr);

int64_t vs_mono_ms(void);

#endif
