/* SPDX-License-Identifier: BSD-3-Clause */
/* The control-socket client: see conn.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "control/client/conn.h"
#include "vs_proto.h"

int64_t vs_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Every failure goes through here: into c->err, and on stderr when the client has a name. */
__attribute__((format(printf, 2, 3)))
static void fail(struct vs_conn *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->err, sizeof(c->err), fmt, ap);
	va_end(ap);
	if (c->prog != NULL)
		fprintf(stderr, "%s: %s\n", c->prog, c->err);
}

static int wait_fd(struct vs_conn *c, short events)
{
	for (;;) {
		int64_t left = c->deadline_ms - vs_now_ms();
		struct pollfd p = { .fd = c->fd, .events = events };
		int r;

		if (left <= 0)
			return -ETIMEDOUT;
		r = poll(&p, 1, left > INT_MAX ? INT_MAX : (int)left);
		if (r > 0)
			return 0;	/* POLLERR/POLLHUP: the next read/write says which */
		if (r == 0)
			return -ETIMEDOUT;
		if (errno != EINTR)
			return -errno;
	}
}

static int open_socket(struct vs_conn *c)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = (time_t)c->timeout_s };
	int ret;

	tv.tv_usec = (suseconds_t)((c->timeout_s - (double)tv.tv_sec) * 1e6);
	c->deadline_ms = vs_now_ms() + (int64_t)(c->timeout_s * 1000);
	if (strlen(c->path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	memcpy(sa.sun_path, c->path, strlen(c->path));
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->fd < 0)
		return -errno;
	/*
	 * A Unix connect() only blocks while the listen backlog is full; SO_SNDTIMEO
	 * bounds that wait (it then fails with EAGAIN). After that, non-blocking I/O.
	 */
	if (setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) < 0 ||
	    connect(c->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    fcntl(c->fd, F_SETFL, O_NONBLOCK) < 0)
		goto err;
	return 0;
err:
	ret = errno == EAGAIN ? -ETIMEDOUT : -errno;
	close(c->fd);
	c->fd = -1;
	return ret;
}

static int send_all(struct vs_conn *c, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t r = send(c->fd, p, n, MSG_NOSIGNAL);
		int ret;

		if (r < 0 && errno != EAGAIN && errno != EINTR)
			return -errno;
		if (r < 0 && (ret = wait_fd(c, POLLOUT)) < 0)
			return ret;
		if (r > 0) {
			p += r;
			n -= (size_t)r;
		}
	}
	return 0;
}

static int grow(struct vs_conn *c)
{
	size_t cap = c->cap ? c->cap * 2 : 4096;
	char *b = realloc(c->buf, cap);

	if (b == NULL)
		return -ENOMEM;
	c->buf = b;
	c->cap = cap;
	return 0;
}

/* Returns the next reply line, NUL-terminated without its '\n', in *line. */
static int read_line(struct vs_conn *c, char **line)
{
	size_t scanned = 0;
	char *nl = NULL;
	int ret;

	/* Drop the previous line; anything after it stays for the next call. */
	if (c->used > 0)
		memmove(c->buf, c->buf + c->used, c->len - c->used);
	c->len -= c->used;
	c->used = 0;
	while (c->buf == NULL ||
	       (nl = memchr(c->buf + scanned, '\n', c->len - scanned)) == NULL) {
		ssize_t r;

		scanned = c->len;
		if (c->len > VS_PROTO_MAX_MSG)
			return -EMSGSIZE;
		if (c->len == c->cap && (ret = grow(c)) < 0)
			return ret;
		r = recv(c->fd, c->buf + c->len, c->cap - c->len, 0);
		if (r == 0)
			return -ECONNRESET;
		if (r < 0 && errno != EAGAIN && errno != EINTR)
			return -errno;
		if (r < 0 && (ret = wait_fd(c, POLLIN)) < 0)
			return ret;
		if (r > 0)
			c->len += (size_t)r;
	}
	*nl = '\0';
	c->used = (size_t)(nl - c->buf) + 1;
	*line = c->buf;
	return 0;
}

static void io_error(struct vs_conn *c, const char *op, int err)
{
	if (err == -ETIMEDOUT)
		fail(c, "%s: %s: no answer within %g s", c->path, op,
			c->timeout_s);
	else if (err == -ECONNRESET)
		fail(c, "%s: %s: vswd closed the connection", c->path, op);
	else if (err == -EMSGSIZE)
		fail(c, "%s: %s: reply longer than %d bytes", c->path, op,
			VS_PROTO_MAX_MSG);
	else
		fail(c, "%s: %s: %s", c->path, op, strerror(-err));
}

/* Writes one request line; returns 0 or -errno, printed. */
static int send_request(struct vs_conn *c, const char *cmd, const json_t *args)
{
	json_t *req = json_pack("{s:s, s:O}", "cmd", cmd, "args", (json_t *)args);
	char *s = req != NULL ? json_dumps(req, JSON_COMPACT) : NULL;
	int ret = 0;

	if (s == NULL) {
		ret = -ENOMEM;
		io_error(c, "request", ret);
	} else if (strlen(s) >= VS_PROTO_MAX_MSG) {
		fail(c, "%s: request longer than %d bytes", cmd,
			VS_PROTO_MAX_MSG);
		ret = -EMSGSIZE;
	} else if ((ret = send_all(c, s, strlen(s))) < 0 || (ret = send_all(c, "\n", 1)) < 0) {
		io_error(c, "write", ret);
	}
	free(s);
	json_decref(req);
	return ret;
}

int vs_conn_exchange(struct vs_conn *c, const char *cmd, const json_t *args, json_t **reply)
{
	json_error_t jerr;
	char *line = NULL;
	int ret;

	*reply = NULL;
	if ((ret = send_request(c, cmd, args)) < 0)
		return ret;
	if ((ret = read_line(c, &line)) < 0) {
		io_error(c, "read", ret);
		return ret;
	}
	*reply = json_loads(line, 0, &jerr);
	if (*reply == NULL || !json_is_boolean(json_object_get(*reply, "ok"))) {
		fail(c, "%s: invalid reply to %s: %s", c->path, cmd,
			*reply ? "no \"ok\" member" : jerr.text);
		json_decref(*reply);
		*reply = NULL;
		return -EPROTO;
	}
	return 0;
}

int vs_conn_start(struct vs_conn *c, bool quiet)
{
	json_t *hello = json_pack("{s:i}", "version", VS_PROTO_VERSION), *reply = NULL;
	int ret = open_socket(c);

	if (ret < 0) {
		const char *prog = c->prog;
		if (quiet)
			c->prog = NULL;
		fail(c, "cannot connect to %s: %s%s", c->path, strerror(-ret),
		     ret == -ENOENT || ret == -ECONNREFUSED ? " (is vswd running?)" : "");
		c->prog = prog;
		goto out;
	}
	if ((ret = vs_conn_exchange(c, "hello", hello, &reply)) < 0)
		goto out;
	if (!json_is_true(json_object_get(reply, "ok"))) {
		vs_conn_format_error("hello", json_object_get(reply, "error"), c->err,
				     sizeof(c->err));
		if (c->prog != NULL)
			fprintf(stderr, "%s: %s\n", c->prog, c->err);
		ret = -EPROTO;
	}
out:
	json_decref(reply);
	json_decref(hello);
	return ret;
}

void vs_conn_close(struct vs_conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	free(c->buf);
	c->buf = NULL;
	c->len = c->cap = c->used = 0;
}

void vs_conn_format_error(const char *cmd, const json_t *e, char *buf, size_t len)
{
	const char *field = json_string_value(json_object_get(e, "field"));
	const char *msg = json_string_value(json_object_get(e, "message"));
	const char *name = json_string_value(json_object_get(e, "errno"));

	snprintf(buf, len, "%s: %s%s%s%s%s%s", cmd, field ?: "", field ? ": " : "",
		 msg ?: "request refused", name ? " (" : "", name ?: "", name ? ")" : "");
}

void vs_conn_print_error(const char *cmd, const json_t *e)
{
	char buf[768];
	vs_conn_format_error(cmd, e, buf, sizeof(buf));
	fprintf(stderr, "vswctl: %s\n", buf);
}
