/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * evhttp, not a hand-written server: it parses requests with bounded headers and a timeout.
 * Only GET and HEAD are served (405 to the rest); /metrics is the only path
 * with content. A page is built whole per scrape (a few hundred KB at 256 ports) and handed
 * to evhttp, which writes it as the client reads.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "control/metrics/http.h"
#include "control/core/log.h"
#include "control/metrics/collect.h"
#include "control/metrics/expo.h"
#include "control/model/ratelimit.h"

#define METRICS_TIMEOUT_S 10	/* a client that sends no complete request in this is closed */
#define METRICS_MAX_HEADERS 8192

static struct evhttp *http;
static struct vs_listen where;
static struct {
	uint64_t scrapes, errors, not_found, bad_method;
	uint64_t last_ms, last_bytes;
} cnt;

static void serve_metrics(struct evhttp_request *req)
{
	const char *accept = evhttp_find_header(evhttp_request_get_input_headers(req), "Accept");
	struct vs_expo *x = vs_expo_new(vs_expo_wants_openmetrics(accept));
	uint64_t t0 = vs_now_ms();
	const char *page = NULL;
	size_t len = 0;

	if (x != NULL) {
		vs_metrics_collect(x);
		/* the scrape's own figures, as of the previous scrape */
		vs_expo_family(x, VS_COUNTER, "vsw_metrics_scrapes", "metrics pages served");
		vs_expo_sample_u64(x, NULL, 0, cnt.scrapes);
		vs_expo_family(x, VS_GAUGE, "vsw_metrics_last_scrape_duration_seconds",
			       "time the previous page took to build");
		vs_expo_sample(x, NULL, 0, (double)cnt.last_ms / 1000.0);
		page = vs_expo_finish(x, &len);
	}
	if (page == NULL) {
		cnt.errors++;
		evhttp_send_error(req, HTTP_INTERNAL, "out of memory");
		vs_expo_free(x);
		return;
	}
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);
	evhttp_add_header(h, "Content-Type", vs_expo_content_type(x));
	evhttp_add_header(h, "Cache-Control", "no-store");
	struct evbuffer *b = evbuffer_new();
	if (b == NULL || evbuffer_add(b, page, len) < 0) {
		cnt.errors++;
		evhttp_send_error(req, HTTP_INTERNAL, "out of memory");
	} else {
		evhttp_send_reply(req, HTTP_OK, "OK", b);
		cnt.scrapes++;
		cnt.last_bytes = len;
		cnt.last_ms = vs_now_ms() - t0;
	}
	if (b != NULL)
		evbuffer_free(b);
	vs_expo_free(x);
}

static void on_request(struct evhttp_request *req, void *arg)
{
	(void)arg;
	const char *uri = evhttp_request_get_uri(req);
	const struct evhttp_uri *u = evhttp_request_get_evhttp_uri(req);
	const char *path = u != NULL ? evhttp_uri_get_path(u) : NULL;

	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
	if (cmd != EVHTTP_REQ_GET && cmd != EVHTTP_REQ_HEAD) {
		cnt.bad_method++;
		evhttp_add_header(evhttp_request_get_output_headers(req), "Allow", "GET, HEAD");
		evhttp_send_error(req, 405, "Method Not Allowed");
		return;
	}
	if (path != NULL && strcmp(path, "/metrics") == 0) {
		serve_metrics(req);
		return;
	}
	if (path != NULL && strcmp(path, "/") == 0) {
		struct evbuffer *b = evbuffer_new();
		if (b != NULL) {
			evbuffer_add_printf(b, "vswd metrics: GET /metrics\n");
			evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type",
					  "text/plain; charset=utf-8");
			evhttp_send_reply(req, HTTP_OK, "OK", b);
			evbuffer_free(b);
			return;
		}
	}
	cnt.not_found++;
	VS_LOG_RL(DEBUG, "metrics: %s not found", uri != NULL ? uri : "?");
	evhttp_send_error(req, HTTP_NOTFOUND, NULL);
}

/* A unix stream socket at l->path (a stale socket file is replaced), mode 0660. */
static int unix_listener(const struct vs_listen *l, struct vs_err *e)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return vs_err_set(e, errno, "metrics.listen", "socket: %s", strerror(errno));
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", l->path);
	/* replace only a socket: never unlink a file someone put there */
	if (lstat(l->path, &st) == 0 && S_ISSOCK(st.st_mode))
		unlink(l->path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || chmod(l->path, 0660) < 0 ||
	    listen(fd, 64) < 0) {
		int err = errno;
		close(fd);
		return vs_err_set(e, err, "metrics.listen", "%s: %s", l->path, strerror(err));
	}
	return fd;
}

int vs_metrics_start(struct event_base *base, const struct vs_listen *l, struct vs_err *e)
{
	if (l->kind == VS_LISTEN_OFF)
		return 0;
	if ((http = evhttp_new(base)) == NULL)
		return vs_err_set(e, ENOMEM, "metrics.listen", "evhttp_new failed");
	/* every method reaches on_request, which answers 405 to all but GET and HEAD (evhttp
	 * itself would say 501) */
	evhttp_set_allowed_methods(http, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD | EVHTTP_REQ_POST |
					 EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE | EVHTTP_REQ_OPTIONS |
					 EVHTTP_REQ_TRACE | EVHTTP_REQ_CONNECT | EVHTTP_REQ_PATCH);
	evhttp_set_timeout(http, METRICS_TIMEOUT_S);
	evhttp_set_max_headers_size(http, METRICS_MAX_HEADERS);
	evhttp_set_max_body_size(http, 0);
	evhttp_set_gencb(http, on_request, NULL);
	where = *l;
	if (l->kind == VS_LISTEN_TCP) {
		if (evhttp_bind_socket_with_handle(http, l->host, l->port) == NULL) {
			int err = errno ? errno : EADDRINUSE;
			vs_metrics_stop();
			return vs_err_set(e, err, "metrics.listen", "cannot listen on %s port %u: %s",
					  l->host, l->port, strerror(err));
		}
	} else {
		int fd = unix_listener(l, e);
		if (fd < 0 || evhttp_accept_socket_with_handle(http, fd) == NULL) {
			if (fd >= 0) {
				close(fd);
				vs_err_set(e, EIO, "metrics.listen", "%s: evhttp refused the socket",
					   l->path);
			}
			vs_metrics_stop();
			return -1;
		}
	}
	json_t *j = vs_metrics_to_json();
	VS_LOG(NOTICE, "metrics: GET /metrics on %s", json_string_value(json_object_get(j, "listen")));
	json_decref(j);
	return 0;
}

void vs_metrics_stop(void)
{
	if (http != NULL)
		evhttp_free(http);
	http = NULL;
	if (where.kind == VS_LISTEN_UNIX)
		unlink(where.path);
	where.kind = VS_LISTEN_OFF;
}

json_t *vs_metrics_to_json(void)
{
	char listen[VS_LISTEN_MAX + 16] = "";
	if (where.kind == VS_LISTEN_TCP)
		snprintf(listen, sizeof(listen), "%s%s%s:%u", strchr(where.host, ':') ? "[" : "",
			 where.host, strchr(where.host, ':') ? "]" : "", where.port);
	else if (where.kind == VS_LISTEN_UNIX)
		snprintf(listen, sizeof(listen), "unix:%s", where.path);
	return json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I}", "listen", listen, "scrapes",
			 (json_int_t)cnt.scrapes, "errors", (json_int_t)cnt.errors, "not_found",
			 (json_int_t)cnt.not_found, "bad_method", (json_int_t)cnt.bad_method,
			 "last_scrape_ms", (json_int_t)cnt.last_ms,
			 "last_bytes", (json_int_t)cnt.last_bytes);
}
