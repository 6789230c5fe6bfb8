/* SPDX-License-Identifier: BSD-3-Clause */
#include "watch.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kube_http.h"

#define LIST_MAX (256u << 20)	/* a list body larger than this is refused */
#define LINE_MAX_B (16u << 20)	/* one watch event */
#define BACKOFF_MIN_MS 250
#define BACKOFF_MAX_MS 30000

int64_t vs_mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool grow(struct vs_watch *w, size_t add, size_t max)
{
	if (w->len + add + 1 > max)
		return false;
	if (w->len + add + 1 > w->cap) {
		size_t cap = w->cap ? w->cap : 65536;
		while (cap < w->len + add + 1)
			cap *= 2;
		char *b = realloc(w->buf, cap);
		if (b == NULL)
			return false;
		w->buf = b;
		w->cap = cap;
	}
	return true;
}

/* Hands each complete line of the watch stream to the informer. */
static size_t on_watch_lines(struct vs_watcher *wr, struct vs_watch *w)
{
	size_t start = 0;
	char *nl;
	while ((nl = memchr(w->buf + start, '\n', w->len - start)) != NULL) {
		size_t n = (size_t)(nl - (w->buf + start));
		char err[512];
		if (n > 0) {
			switch (vs_informer_event(w->inf, w->buf + start, n, err, sizeof(err))) {
			case VS_INF_CHANGED:
				wr->changes++;
				break;
			case VS_INF_QUIET:
				break;
			case VS_INF_EXPIRED:
				w->expired = true;
				w->inf->rv[0] = '\0';	/* whatever happens next, list */
				fprintf(stderr, "vsw-agent: %s; listing again\n", err);
				return 0;	/* ends the transfer */
			case VS_INF_ERROR:
				w->errored = true;
				snprintf(w->stream_err, sizeof(w->stream_err), "%s", err);
				return 0;
			case VS_INF_BAD:
				w->inf->bad_lines++;
				fprintf(stderr, "vsw-agent: %s\n", err);
				break;
			}
		}
		start += n + 1;
	}
	memmove(w->buf, w->buf + start, w->len - start);
	w->len -= start;
	return 1;
}

static size_t on_data(char *p, size_t size, size_t nmemb, void *arg)
{
	struct vs_watch *w = arg;
	size_t n = size * nmemb;
	long code = 0;
	curl_easy_getinfo(w->h, CURLINFO_RESPONSE_CODE, &code);
	bool stream = !w->listing && code == 200;
	if (!grow(w, n, stream ? LINE_MAX_B : LIST_MAX))
		return 0;	/* too big: the transfer fails and is retried */
	memcpy(w->buf + w->len, p, n);
	w->len += n;
	if (stream && on_watch_lines(w->owner, w) == 0)
		return 0;
	return n;
}

static int add_query(char *url, size_t len, size_t *o, const char *sep, const char *q)
{
	int n = snprintf(url + *o, len - *o, "%s%s", sep, q);
	if (n < 0 || (size_t)n >= len - *o)
		return -1;
	*o += (size_t)n;
	return 0;
}

static int make_url(const struct vs_watcher *wr, const struct vs_watch *w, char *url, size_t len)
{
	size_t o = 0;
	char q[160];
	const char *sep = "?";
	if (add_query(url, len, &o, "", wr->api->server) < 0 ||
	    add_query(url, len, &o, "", w->inf->path) < 0)
		return -1;
	if (w->inf->selector != NULL) {
		if (add_query(url, len, &o, sep, w->inf->selector) < 0)
			return -1;
		sep = "&";
	}
	if (!w->listing) {
		snprintf(q, sizeof(q), "watch=1&allowWatchBookmarks=true&timeoutSeconds=%d"
			 "&resourceVersion=%s", wr->watch_timeout_s, w->inf->rv);
		if (add_query(url, len, &o, sep, q) < 0)
			return -1;
	}
	return 0;
}

__attribute__((format(printf, 2, 3)))
static void fail(struct vs_watch *w, const char *fmt, ...)
{
	char msg[sizeof(w->err)];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	w->failures++;
	w->backoff_ms = w->backoff_ms == 0 ? BACKOFF_MIN_MS : w->backoff_ms * 2;
	if (w->backoff_ms > BACKOFF_MAX_MS)
		w->backoff_ms = BACKOFF_MAX_MS;
	w->retry_at_ms = vs_mono_ms() + w->backoff_ms;
	/* Log a failure once, not on every retry of the same one. */
	if (strcmp(msg, w->err) != 0)
		fprintf(stderr, "vsw-agent: %s %s: %s; retrying every <= %d ms\n",
			w->listing ? "list" : "watch", w->inf->name, msg, BACKOFF_MAX_MS);
	strcpy(w->err, msg);
}

static uint64_t seen(const struct vs_informer *inf)
{
	return inf->events + inf->bookmarks;
}

static void start(struct vs_watcher *wr, struct vs_watch *w)
{
	char url[2048], err[512];
	w->listing = w->inf->rv[0] == '\0';
	w->expired = w->errored = false;
	w->len = 0;
	w->started_ms = vs_mono_ms();
	w->seen = seen(w->inf);
	if (make_url(wr, w, url, sizeof(url)) < 0) {
		fail(w, "URL too long");
		return;
	}
	curl_slist_free_all(w->hdrs);
	w->h = vs_kube_easy(wr->api, url, NULL, &w->hdrs, err, sizeof(err));
	if (w->h == NULL) {
		fail(w, "%s", err);
		return;
	}
	curl_easy_setopt(w->h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(w->h, CURLOPT_WRITEDATA, w);
	curl_easy_setopt(w->h, CURLOPT_PRIVATE, w);
	curl_easy_setopt(w->h, CURLOPT_TCP_KEEPALIVE, 1L);
	/* A list must finish; a watch may last its timeoutSeconds and a little more. */
	curl_easy_setopt(w->h, CURLOPT_TIMEOUT, w->listing ? 120L : (long)wr->watch_timeout_s + 30);
	if (curl_multi_add_handle(wr->multi, w->h) != CURLM_OK) {
		curl_easy_cleanup(w->h);
		w->h = NULL;
		fail(w, "curl_multi_add_handle failed");
	}
}

static void stop(struct vs_watcher *wr, struct vs_watch *w)
{
	curl_multi_remove_handle(wr->multi, w->h);
	curl_easy_cleanup(w->h);
	w->h = NULL;
}

static void succeeded(struct vs_watcher *wr, struct vs_watch *w)
{
	if (w->backoff_ms != 0) {
		wr->recoveries++;
		fprintf(stderr, "vsw-agent: %s %s: working again\n", w->listing ? "list" : "watch",
			w->inf->name);
	}
	w->backoff_ms = 0;
	w->err[0] = '\0';
	w->retry_at_ms = 0;
}

/* A transfer ended: decide what runs next. */
/* A transfer ended: decide what runs next. */
static void finished(struct vs_watcher *wr, struct vs_watch *w, CURLcode res)
{
	long code = 0;
	char err[512];
	curl_easy_getinfo(w->h, CURLINFO_RESPONSE_CODE, &code);
	stop(wr, w);
	if (w->expired || (code == 410 && !w->listing)) {
		/* The resourceVersion is too old: list again now, nothing failed. */
		w->inf->rv[0] = '\0';
		w->expired = false;
		w->retry_at_ms = 0;
		return;
	}
	if (w->errored) {
		w->errored = false;
		fail(w, "%s", w->stream_err);
		return;
	}
	if (res != CURLE_OK) {
		fail(w, "%s (HTTP %ld)", curl_easy_strerror(res), code);
		return;
	}
	if (code == 404 && w->listing) {
		/* The resource is not served (its CRD is not installed): nothing of it exists.
		 * Look again in a minute, in case it is installed. */
		if (!w->inf->synced || json_object_size(w->inf->objects) != 0) {
			fprintf(stderr, "vsw-agent: %s: not served by the API (CRD not installed?); "
				"taken as empty\n", w->inf->name);
			json_object_clear(w->inf->objects);
			wr->changes++;
		}
		w->inf->synced = true;
		w->inf->rv[0] = '\0';
		w->retry_at_ms = vs_mono_ms() + 60000;
		return;
	}
	if (code != 200) {
		if (w->len > 300)
			w->len = 300;
		if (w->buf != NULL)
			w->buf[w->len] = '\0';
		/* A watch refused (404: CRD removed, 403, ...): list again after the back-off;
		 * after a server error or 429, watch again from where it was. */
		if (!w->listing && code >= 400 && code < 500 && code != 429)
			w->inf->rv[0] = '\0';
		fail(w, "%s (HTTP %ld)", w->buf != NULL ? w->buf : "", code);
		return;
	}
	if (w->listing) {
		int rc = vs_informer_list(w->inf, w->buf, w->len, err, sizeof(err));
		free(w->buf);	/* a big list's buffer is not kept for the watch's lines */
		w->buf = NULL;
		w->cap = w->len = 0;
		if (rc < 0) {
			fail(w, "%s", err);
			return;
		}
		wr->changes++;
	} else if (seen(w->inf) == w->seen && vs_mono_ms() - w->started_ms < 1000) {
		/* A watch that ends at once with nothing in it is a broken server or proxy, not
		 * a timeout: back off rather than spin (client-go does the same). */
		fail(w, "the watch ended at once, empty");
		return;
	}
	succeeded(wr, w);	/* a watch the server ended: watch again from inf->rv */
}

int vs_watcher_init(struct vs_watcher *wr, const struct vs_kube_api *api)
{
	memset(wr, 0, sizeof(*wr));
	wr->api = api;
	wr->watch_timeout_s = 300;
	wr->multi = curl_multi_init();
	return wr->multi != NULL ? 0 : -1;
}

void vs_watcher_add(struct vs_watcher *wr, struct vs_informer *inf)
{
	if (wr->n < VS_WATCH_MAX) {
		struct vs_watch *w = &wr->w[wr->n++];
		memset(w, 0, sizeof(*w));
		w->owner = wr;
		w->inf = inf;
	}
}

static unsigned active(const struct vs_watcher *wr)
{
	unsigned n = 0;
	for (unsigned i = 0; i < wr->n; i++)
		n += wr->w[i].h != NULL;
	return n;
}

void vs_watcher_run(struct vs_watcher *wr, int timeout_ms)
{
	int64_t now = vs_mono_ms(), next = now + timeout_ms;
	for (unsigned i = 0; i < wr->n; i++) {
		struct vs_watch *w = &wr->w[i];
		if (w->h == NULL && w->retry_at_ms <= now)
			start(wr, w);
		if (w->h == NULL && w->retry_at_ms < next)
			next = w->retry_at_ms;
	}
	int running;
	unsigned before = wr->changes;
	curl_multi_perform(wr->multi, &running);
	/* What arrived while the caller was busy is handled now, not after the wait. */
	if (wr->changes == before && running == (int)active(wr)) {
		curl_multi_poll(wr->multi, NULL, 0, next > now ? (int)(next - now) : 0, NULL);
		curl_multi_perform(wr->multi, &running);
	}
	CURLMsg *m;
	int left;
	while ((m = curl_multi_info_read(wr->multi, &left)) != NULL) {
		struct vs_watch *w;
		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&w);
		finished(wr, w, m->data.result);
	}
}

bool vs_watcher_synced(const struct vs_watcher *wr)
{
	for (unsigned i = 0; i < wr->n; i++)
		if (!wr->w[i].inf->synced)
			return false;
	return true;
}

unsigned vs_watcher_take_changes(struct vs_watcher *wr, uint64_t *recoveries)
{
	unsigned c = wr->changes;
	wr->changes = 0;
	*recoveries = wr->recoveries;
	return c;
}

void vs_watcher_free(struct vs_watcher *wr)
{
	for (unsigned i = 0; i < wr->n; i++) {
		if (wr->w[i].h != NULL)
			stop(wr, &wr->w[i]);
		curl_slist_free_all(wr->w[i].hdrs);
		free(wr->w[i].buf);
	}
	curl_multi_cleanup(wr->multi);
	wr->n = 0;
}
