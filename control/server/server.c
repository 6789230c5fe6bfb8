/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The control socket: a Unix stream socket, one JSON request per line, one
 * JSON reply per line (see include/vs_proto.h). Each client must say hello
 * first. Requests are dispatched through the command table: schema check,
 * then the bound handler.
 *
 * Every client is bounded, so that none can grow vswd or starve the others (the workers run
 * on their own lcores and never wait for this thread):
 *   - at most control.max_clients connections; one more is told EUSERS and closed;
 *   - replies queued for a client that does not read them: past control.max_output_bytes
 *     vswd stops reading its requests, and a client that reads nothing for
 *     control.write_timeout_s is closed;
 *   - requests per client through a token bucket (requests_per_s, request_burst): past it
 *     vswd stops reading that client until a token is back, so it is slowed, not refused;
 *   - no hello within hello_timeout_s, or no request for idle_timeout_s: closed;
 *   - a request is at most VS_PROTO_MAX_MSG bytes (VS_PROTO_MAX_MSG_RO on the read-only
 *     socket), and vswd reads no further ahead than that;
 *   - all clients' buffered requests and replies together: past control.max_buffered_bytes,
 *     the client holding the most is closed (the per-client bounds times max_clients would
 *     be gigabytes);
 *   - accept() failing (EMFILE/ENFILE at the fd limit) pauses the listener for 100 ms
 *     instead of spinning on it, and every log line a client can cause is rate limited.
 * The counters of all this are control.show's.
 */
#include <errno.h>
#include <grp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/listener.h>

#include <rte_debug.h>

#include "control/server/server.h"
#include "vs_commands.h"
#include "vs_proto.h"
#include "vs_types.h"
#include "control/core/log.h"
#include "control/core/persist.h"
#include "control/model/args.h"
#include "control/model/config.h"
#include "control/model/err.h"
#include "control/model/ratelimit.h"
#include "control/server/handlers.h"

#define ACCEPT_PAUSE_MS 100

struct listen_sock {
	struct evconnlistener *l;
	struct event *resume;	/* re-enables l after an accept error */
	bool ro;	/* serves only readonly commands */
	char path[VS_PATH_MAX];
};

struct client {
	struct bufferevent *bev;
	bool hello;
	bool ro;
	bool closing;	/* close once the reply is written */
	bool out_paused;	/* reading stopped: too much output queued */
	bool throttled;	/* reading stopped: out of request tokens */
	struct vs_bucket bucket;
	struct event *hello_timer;	/* closes the client if no hello in time */
	struct event *resume_timer;	/* ends throttling */
	struct client *next;
};

static struct listen_sock socks[2];	/* [0] control.socket, [1] control.ro_socket */
static struct client *clients;
static struct event_base *ev_base;
static const struct vs_config *cfg_;
static struct vs_server_counters cnt;
static uint32_t n_clients, n_clients_ro;

static const struct vs_config *lim(void)
{
	return cfg_;
}

static void client_free(struct client *c)
{
	for (struct client **p = &clients; *p != NULL; p = &(*p)->next) {
		if (*p == c) {
			*p = c->next;
			break;
		}
	}
	n_clients--;
	if (c->ro)
		n_clients_ro--;
	if (c->hello_timer != NULL)
		event_free(c->hello_timer);
	if (c->resume_timer != NULL)
		event_free(c->resume_timer);
	bufferevent_free(c->bev);
	free(c);
}

static void send_json(struct client *c, json_t *reply)
{
	char *s = json_dumps(reply, JSON_COMPACT);
	json_decref(reply);
	if (s == NULL)
		return;
	bufferevent_write(c->bev, s, strlen(s));
	bufferevent_write(c->bev, "\n", 1);
	free(s);
}

static json_t *error_reply(const struct vs_err *e)
{
	const char *name = strerrorname_np(e->code);
	json_t *err = json_pack("{s:s, s:i, s:s}", "errno", name ? name : "EUNKNOWN", "code",
				e->code, "message", e->msg);
	if (e->field[0] != '\0')
		json_object_set_new(err, "field", json_string(e->field));
	return json_pack("{s:b, s:o}", "ok", 0, "error", err);
}

static json_t *dispatch(struct client *c, const json_t *req, struct vs_err *e)
{
	const char *key;
	json_t *v, *result = NULL;
	int id;

	if (!json_is_object(req)) {
		vs_err_set(e, EINVAL, NULL, "a request is a JSON object");
		return NULL;
	}
	json_object_foreach((json_t *)req, key, v) {
		if (strcmp(key, "cmd") != 0 && strcmp(key, "args") != 0 && strcmp(key, "id") != 0) {
			vs_err_set(e, EINVAL, key, "unknown request key (cmd, args, id)");
			return NULL;
		}
	}
	const char *cmd = json_string_value(json_object_get(req, "cmd"));
	if (cmd == NULL) {
		vs_err_set(e, EINVAL, "cmd", "missing or not a string");
		return NULL;
	}
	const struct vs_command_spec *spec = vs_command_find(cmd, &id);
	if (spec == NULL) {
		vs_err_set(e, EOPNOTSUPP, "cmd", "unknown command '%s' (try 'commands')", cmd);
		return NULL;
	}
	if (!c->hello && id != VS_CMD_HELLO) {
		vs_err_set(e, EPROTO, "cmd", "say hello first: {\"cmd\":\"hello\",\"args\":"
					     "{\"version\":%d}}", VS_PROTO_VERSION);
		return NULL;
	}
	if (c->ro && !spec->readonly) {
		cnt.refused_readonly++;
		vs_err_set(e, EPERM, "cmd", "'%s' changes the switch: this socket is read-only "
			   "(control.ro_socket); use control.socket", cmd);
		return NULL;
	}
	json_t *args = json_object_get(req, "args");
	json_t *empty = NULL;
	if (args == NULL)
		args = empty = json_object();
	if (vs_args_check(spec, args, "args", e) == 0 && vs_handlers[id](args, &result, e) == 0) {
		if (id == VS_CMD_HELLO && !c->hello) {
			c->hello = true;
			event_del(c->hello_timer);
		}
		if (!spec->readonly)
			vs_persist_save();	/* before the reply: a client's "ok" survives a crash */
	}
	json_decref(empty);
	return result;
}

static void handle_line(struct client *c, const char *line, size_t len)
{
	struct vs_err e = { 0 };
	json_error_t jerr;
	json_t *reply;

	cnt.requests++;
	json_t *req = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
	if (req == NULL) {
		vs_err_set(&e, EBADMSG, NULL, "invalid JSON: %s", jerr.text);
		cnt.request_errors++;
		send_json(c, error_reply(&e));
		return;
	}
	json_t *result = dispatch(c, req, &e);
	if (result != NULL) {
		reply = json_pack("{s:b, s:o}", "ok", 1, "result", result);
	} else {
		cnt.request_errors++;
		reply = error_reply(&e);
		if (!c->hello)
			VS_LOG_RL(DEBUG, "control: request refused before hello");
	}
	json_t *id = json_object_get(req, "id");
	if (id != NULL)
		json_object_set(reply, "id", id);
	json_decref(req);
	send_json(c, reply);
}

static void read_cb(struct bufferevent *bev, void *arg);

static size_t max_msg(const struct client *c)
{
	return c->ro ? VS_PROTO_MAX_MSG_RO : VS_PROTO_MAX_MSG;
}

static size_t buffered(const struct client *c)
{
	return evbuffer_get_length(bufferevent_get_input(c->bev)) +
	       evbuffer_get_length(bufferevent_get_output(c->bev));
}

/* What all clients have buffered; *hog: the one holding the most (NULL: none holds any). */
static size_t buffered_total(struct client **hog)
{
	size_t total = 0, most = 0;
	*hog = NULL;
	for (struct client *c = clients; c != NULL; c = c->next) {
		size_t b = buffered(c);
		total += b;
		if (b > most) {
			most = b;
			*hog = c;
		}
	}
	return total;
}

/* Past control.max_buffered_bytes across all clients, closes the clients holding the most
 * until under it again. Returns whether `self` was one of them (it is freed then). */
static bool enforce_budget(struct client *self)
{
	bool self_closed = false;
	for (;;) {
		struct client *hog;
		size_t total = buffered_total(&hog);
		if (total <= lim()->control.max_buffered_bytes || hog == NULL)
			return self_closed;
		cnt.dropped_over_budget++;
		VS_LOG_RL(WARNING,
			  "control: %zu bytes buffered for %u clients (control.max_buffered_bytes): "
			  "closed the one holding %zu",
			  total, n_clients, buffered(hog));
		self_closed |= hog == self;
		client_free(hog);
	}
}

static void resume_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	struct client *c = arg;
	c->throttled = false;
	if (!c->out_paused)
		bufferevent_enable(c->bev, EV_READ);
	read_cb(c->bev, c);	/* lines already buffered */
}

/* Whether c may run one more request now; if not, reading stops until it may. */
static bool may_run(struct client *c)
{
	struct evbuffer *out = bufferevent_get_output(c->bev);

	if (evbuffer_get_length(out) >= lim()->control.max_output_bytes) {
		if (!c->out_paused) {
			c->out_paused = true;
			cnt.output_paused++;
			bufferevent_disable(c->bev, EV_READ);
			/* write_cb runs again once half of it is gone */
			bufferevent_setwatermark(c->bev, EV_WRITE,
						 lim()->control.max_output_bytes / 2, 0);
		}
		return false;
	}
	if (!vs_bucket_take(&c->bucket, lim()->control.requests_per_s,
			    lim()->control.request_burst, vs_now_ms())) {
		if (!c->throttled) {
			uint64_t ms = vs_bucket_wait_ms(&c->bucket, lim()->control.requests_per_s);
			struct timeval tv = { (time_t)(ms / 1000), (suseconds_t)(ms % 1000) * 1000 };
			c->throttled = true;
			cnt.throttled++;
			bufferevent_disable(c->bev, EV_READ);
			evtimer_add(c->resume_timer, &tv);
		}
		return false;
	}
	return true;
}

static void read_cb(struct bufferevent *bev, void *arg)
{
	struct client *c = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	size_t len;
	char *line;

	while (!c->closing && !c->throttled && !c->out_paused &&
	       evbuffer_search_eol(in, NULL, NULL, EVBUFFER_EOL_LF).pos >= 0 && may_run(c) &&
	       (line = evbuffer_readln(in, &len, EVBUFFER_EOL_LF)) != NULL) {
		handle_line(c, line, len);
		free(line);
		if (enforce_budget(c))
			return;
	}
	if (!c->closing && evbuffer_get_length(in) > max_msg(c) &&
	    evbuffer_search_eol(in, NULL, NULL, EVBUFFER_EOL_LF).pos < 0) {
		struct vs_err e;
		vs_err_set(&e, EMSGSIZE, NULL, "request longer than %zu bytes%s", max_msg(c),
			   c->ro ? " (read-only socket)" : "");
		send_json(c, error_reply(&e));
		c->closing = true;
		bufferevent_disable(bev, EV_READ);
	}
	enforce_budget(c);
}

static void write_cb(struct bufferevent *bev, void *arg)
{
	struct client *c = arg;
	size_t left = evbuffer_get_length(bufferevent_get_output(bev));

	if (c->closing && left == 0) {
		client_free(c);
		return;
	}
	if (c->out_paused && left < lim()->control.max_output_bytes) {
		c->out_paused = false;
		bufferevent_setwatermark(bev, EV_WRITE, 0, 0);
		if (!c->throttled)
			bufferevent_enable(bev, EV_READ);
		read_cb(bev, c);
	}
}

static void event_cb(struct bufferevent *bev, short what, void *arg)
{
	(void)bev;
	struct client *c = arg;
	if (what & BEV_EVENT_TIMEOUT) {
		if (what & BEV_EVENT_WRITING) {
			cnt.dropped_stalled++;
			VS_LOG_RL(NOTICE, "control: closed a client that read no reply for %u s",
				  lim()->control.write_timeout_s);
		} else {
			cnt.dropped_idle++;
			VS_LOG_RL(INFO, "control: closed a client idle for %u s",
				  lim()->control.idle_timeout_s);
		}
		client_free(c);
	} else if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR)) {
		client_free(c);
	}
}

static void hello_timeout_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	cnt.dropped_no_hello++;
	VS_LOG_RL(INFO, "control: closed a client that sent no hello in %u s",
		  lim()->control.hello_timeout_s);
	client_free(arg);
}

/* Told why, best effort (a fresh socket has room for one line), and closed. */
static void refuse(evutil_socket_t fd, const char *why)
{
	char line[256];
	int n = snprintf(line, sizeof(line),
			 "{\"ok\":false,\"error\":{\"errno\":\"EUSERS\",\"code\":%d,"
			 "\"message\":\"%s\"}}\n", EUSERS, why);
	if (send(fd, line, (size_t)n, MSG_DONTWAIT | MSG_NOSIGNAL) < 0) {
		/* nothing more to do: the client sees the connection close */
	}
	close(fd);
}

static void accept_cb(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa,
		      int socklen, void *arg)
{
	(void)l, (void)sa, (void)socklen;
	struct listen_sock *ls = arg;
	struct client *c;

	if (n_clients >= lim()->control.max_clients) {
		cnt.refused_max_clients++;
		VS_LOG_RL(WARNING, "control: %u clients (control.max_clients): one more refused",
			  n_clients);
		refuse(fd, "too many control clients (control.max_clients)");
		return;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->bev = bufferevent_socket_new(ev_base, fd, BEV_OPT_CLOSE_ON_FREE)) == NULL ||
	    (c->hello_timer = evtimer_new(ev_base, hello_timeout_cb, c)) == NULL ||
	    (c->resume_timer = evtimer_new(ev_base, resume_cb, c)) == NULL) {
		if (c != NULL) {
			if (c->hello_timer != NULL)
				event_free(c->hello_timer);
			if (c->bev != NULL)
				bufferevent_free(c->bev);	/* closes fd */
			else
				close(fd);
			free(c);
		} else {
			close(fd);
		}
		return;
	}
	cnt.accepted++;
	c->ro = ls->ro;
	vs_bucket_init(&c->bucket, lim()->control.request_burst, vs_now_ms());
	c->next = clients;
	clients = c;
	n_clients++;
	if (c->ro)
		n_clients_ro++;
	struct timeval idle = { (time_t)lim()->control.idle_timeout_s, 0 };
	struct timeval wr = { (time_t)lim()->control.write_timeout_s, 0 };
	struct timeval hello = { (time_t)lim()->control.hello_timeout_s, 0 };
	/* read timeout: no request for idle_timeout_s; write: queued replies not read for
	 * write_timeout_s (both measured while libevent waits to read/write) */
	bufferevent_set_timeouts(c->bev, lim()->control.idle_timeout_s ? &idle : NULL, &wr);
	bufferevent_setcb(c->bev, read_cb, write_cb, event_cb, c);
	/* read no further ahead than one request can be */
	bufferevent_setwatermark(c->bev, EV_READ, 0, max_msg(c) + 1);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
	evtimer_add(c->hello_timer, &hello);
}

static void accept_resume_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	struct listen_sock *ls = arg;
	evconnlistener_enable(ls->l);
}

/* accept() failed (not EAGAIN/EINTR/ECONNABORTED, which libevent retries): at the fd limit
 * it would fail again at once, so the listener pauses instead of spinning and logging. */
static void accept_error_cb(struct evconnlistener *l, void *arg)
{
	struct listen_sock *ls = arg;
	int err = EVUTIL_SOCKET_ERROR();
	struct timeval tv = { 0, ACCEPT_PAUSE_MS * 1000 };

	cnt.accept_errors++;
	cnt.listener_pauses++;
	VS_LOG_RL(WARNING, "control: accept on %s: %s; listener paused for %d ms", ls->path,
		  strerror(err), ACCEPT_PAUSE_MS);
	evconnlistener_disable(l);
	evtimer_add(ls->resume, &tv);
}

static bool someone_listening(const struct sockaddr_un *sa)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	bool yes = fd >= 0 && connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) == 0;
	if (fd >= 0)
		close(fd);
	return yes;
}

static int listen_on(struct listen_sock *ls, const char *path, uint32_t perm, gid_t gid,
		     bool ro, const char *field, struct vs_err *e)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	int fd = -1, err;

	if (strlen(path) >= sizeof(sa.sun_path))
		return vs_err_set(e, ENAMETOOLONG, field,
				  "'%s' is longer than a Unix socket path may be (%zu)", path,
				  sizeof(sa.sun_path) - 1);
	memcpy(sa.sun_path, path, strlen(path) + 1);
	/* the directory, e.g. /run/vsw */
	char dir[VS_PATH_MAX];
	snprintf(dir, sizeof(dir), "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash != NULL && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			return vs_err_set(e, errno, field, "mkdir %s: %s", dir, strerror(errno));
	}
	if (someone_listening(&sa))
		return vs_err_set(e, EADDRINUSE, field,
				  "%s: another vswd is already listening there", path);
	/* a socket left by an earlier run; never anything else */
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode))
			return vs_err_set(e, EEXIST, field, "%s exists and is not a socket", path);
		unlink(path);
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	/* bound with no access for anyone: nobody connects before owner and mode are set */
	mode_t old_umask = umask(0777);
	int rc = fd < 0 ? -1 : bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	err = errno;
	umask(old_umask);
	if (rc < 0 || (gid != (gid_t)-1 && chown(path, (uid_t)-1, gid) < 0) ||
	    chmod(path, perm) < 0 || listen(fd, 64) < 0) {
		if (rc == 0) {
			err = errno;
			unlink(path);
		}
		if (fd >= 0)
			close(fd);
		return vs_err_set(e, err, field, "%s: %s", path, strerror(err));
	}
	ls->ro = ro;
	snprintf(ls->path, sizeof(ls->path), "%s", path);
	ls->resume = evtimer_new(ev_base, accept_resume_cb, ls);
	ls->l = evconnlistener_new(ev_base, accept_cb, ls, LEV_OPT_CLOSE_ON_FREE, -1, fd);
	if (ls->l == NULL || ls->resume == NULL) {
		if (ls->l == NULL)
			close(fd);
		unlink(path);
		return vs_err_set(e, ENOMEM, field, "libevent listener failed");
	}
	evconnlistener_set_error_cb(ls->l, accept_error_cb);
	return 0;
}

static void listen_close(struct listen_sock *ls)
{
	if (ls->resume != NULL)
		event_free(ls->resume);
	if (ls->l != NULL) {
		evconnlistener_free(ls->l);
		unlink(ls->path);
	}
	memset(ls, 0, sizeof(*ls));
}

int vs_server_start(struct event_base *base, const struct vs_config *cfg, struct vs_err *e)
{
	gid_t gid = (gid_t)-1;
	int rc;

	ev_base = base;
	cfg_ = cfg;
	if (cfg->control.group[0] != '\0') {
		struct group *gr = getgrnam(cfg->control.group);
		if (gr == NULL)
			return vs_err_set(e, ENOENT, "control.group", "no group '%s'",
					  cfg->control.group);
		gid = gr->gr_gid;
	}
	if ((rc = listen_on(&socks[0], cfg->control.socket, cfg->control.socket_perm, gid, false,
			    "control.socket", e)) < 0)
		return rc;
	if (cfg->control.ro_socket[0] != '\0' &&
	    (rc = listen_on(&socks[1], cfg->control.ro_socket, cfg->control.ro_socket_perm, gid,
			    true, "control.ro_socket", e)) < 0) {
		listen_close(&socks[0]);
		return rc;
	}
	return 0;
}

void vs_server_stop(void)
{
	while (clients != NULL)
		client_free(clients);
	listen_close(&socks[0]);
	listen_close(&socks[1]);
}

json_t *vs_server_to_json(void)
{
	const struct vs_config *c = lim();
	struct client *hog;
	size_t total = buffered_total(&hog);
	json_t *r = json_pack("{s:I, s:I, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I}, "
			 "s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}}",
			 "clients", (json_int_t)n_clients, "clients_ro", (json_int_t)n_clients_ro,
			 "limits", "max_clients", (json_int_t)c->control.max_clients,
			 "max_output_bytes", (json_int_t)c->control.max_output_bytes,
			 "requests_per_s", (json_int_t)c->control.requests_per_s, "request_burst",
			 (json_int_t)c->control.request_burst, "idle_timeout_s",
			 (json_int_t)c->control.idle_timeout_s, "hello_timeout_s",
			 (json_int_t)c->control.hello_timeout_s, "write_timeout_s",
			 (json_int_t)c->control.write_timeout_s, "counters", "accepted",
			 (json_int_t)cnt.accepted, "requests", (json_int_t)cnt.requests,
			 "refused_max_clients", (json_int_t)cnt.refused_max_clients,
			 "accept_errors", (json_int_t)cnt.accept_errors, "listener_pauses",
			 (json_int_t)cnt.listener_pauses, "dropped_no_hello",
			 (json_int_t)cnt.dropped_no_hello, "dropped_idle",
			 (json_int_t)cnt.dropped_idle, "dropped_stalled",
			 (json_int_t)cnt.dropped_stalled, "output_paused",
			 (json_int_t)cnt.output_paused, "throttled", (json_int_t)cnt.throttled,
			 "refused_readonly", (json_int_t)cnt.refused_readonly, "log_suppressed",
			 (json_int_t)atomic_load_explicit(&vs_log_suppressed_total,
							  memory_order_relaxed));
	json_object_set_new(json_object_get(r, "limits"), "max_buffered_bytes",
			    json_integer((json_int_t)c->control.max_buffered_bytes));
	json_object_set_new(json_object_get(r, "counters"), "dropped_over_budget",
			    json_integer((json_int_t)cnt.dropped_over_budget));
	json_object_set_new(json_object_get(r, "counters"), "request_errors",
			    json_integer((json_int_t)cnt.request_errors));
	json_object_set_new(r, "buffered_bytes", json_integer((json_int_t)total));
	return r;
}
