/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The control socket: a Unix stream socket, one JSON request per line, one
 * JSON reply per line (see include/vs_proto.h). Each client must say hello
 * first. Requests are dispatched through the command table: schema check,
 * then the bound handler.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/listener.h>

#include "handlers.h"
#include "log.h"
#include "server.h"
#include "state.h"

struct client {
	struct bufferevent *bev;
	bool hello;
	bool closing;	/* close once the reply is written */
	struct client *next;
};

static struct evconnlistener *listener;
static struct client *clients;
static char socket_path[VS_PATH_MAX];

void vs_server_check_table(void)
{
	for (int i = 0; i < VS_CMD__COUNT; i++)
		if (vs_handlers[i] == NULL)
			rte_panic("command %s has no handler\n", vs_command_table()[i].name);
}

static void client_free(struct client *c)
{
	for (struct client **p = &clients; *p != NULL; p = &(*p)->next) {
		if (*p == c) {
			*p = c->next;
			break;
		}
	}
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
	json_t *args = json_object_get(req, "args");
	json_t *empty = NULL;
	if (args == NULL)
		args = empty = json_object();
	if (vs_args_check(spec, args, "args", e) == 0 && vs_handlers[id](args, &result, e) == 0) {
		if (id == VS_CMD_HELLO)
			c->hello = true;
	}
	json_decref(empty);
	return result;
}

static void handle_line(struct client *c, const char *line, size_t len)
{
	struct vs_err e = { 0 };
	json_error_t jerr;
	json_t *reply;

	json_t *req = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
	if (req == NULL) {
		vs_err_set(&e, EBADMSG, NULL, "invalid JSON: %s", jerr.text);
		send_json(c, error_reply(&e));
		return;
	}
	json_t *result = dispatch(c, req, &e);
	if (result != NULL) {
		reply = json_pack("{s:b, s:o}", "ok", 1, "result", result);
	} else {
		reply = error_reply(&e);
		if (!c->hello)
			VS_LOG(DEBUG, "control: request refused before hello");
	}
	json_t *id = json_object_get(req, "id");
	if (id != NULL)
		json_object_set(reply, "id", id);
	json_decref(req);
	send_json(c, reply);
}

static void read_cb(struct bufferevent *bev, void *arg)
{
	struct client *c = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	size_t len;
	char *line;

	while (!c->closing && (line = evbuffer_readln(in, &len, EVBUFFER_EOL_LF)) != NULL) {
		handle_line(c, line, len);
		free(line);
	}
	if (!c->closing && evbuffer_get_length(in) > VS_PROTO_MAX_MSG) {
		struct vs_err e;
		vs_err_set(&e, EMSGSIZE, NULL, "request longer than %d bytes", VS_PROTO_MAX_MSG);
		send_json(c, error_reply(&e));
		c->closing = true;
		bufferevent_disable(bev, EV_READ);
	}
}

static void write_cb(struct bufferevent *bev, void *arg)
{
	struct client *c = arg;
	if (c->closing && evbuffer_get_length(bufferevent_get_output(bev)) == 0)
		client_free(c);
}

static void event_cb(struct bufferevent *bev, short what, void *arg)
{
	(void)bev;
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR))
		client_free(arg);
}

static void accept_cb(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa,
		      int socklen, void *arg)
{
	(void)sa, (void)socklen, (void)arg;
	struct client *c = calloc(1, sizeof(*c));
	if (c == NULL) {
		close(fd);
		return;
	}
	c->bev = bufferevent_socket_new(evconnlistener_get_base(l), fd, BEV_OPT_CLOSE_ON_FREE);
	if (c->bev == NULL) {
		close(fd);
		free(c);
		return;
	}
	c->next = clients;
	clients = c;
	bufferevent_setcb(c->bev, read_cb, write_cb, event_cb, c);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
}

static bool someone_listening(const struct sockaddr_un *sa)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	bool yes = fd >= 0 && connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) == 0;
	if (fd >= 0)
		close(fd);
	return yes;
}

int vs_server_start(struct event_base *base, const char *path, uint32_t perm, struct vs_err *e)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = -1;

	if (strlen(path) >= sizeof(sa.sun_path))
		return vs_err_set(e, ENAMETOOLONG, "control.socket",
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
			return vs_err_set(e, errno, "control.socket", "mkdir %s: %s", dir,
					  strerror(errno));
	}
	if (someone_listening(&sa))
		return vs_err_set(e, EADDRINUSE, "control.socket",
				  "%s: another vswd is already listening there", path);
	unlink(path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    chmod(path, perm) < 0 || listen(fd, 64) < 0) {
		int err = errno;
		if (fd >= 0)
			close(fd);
		return vs_err_set(e, err, "control.socket", "%s: %s", path, strerror(err));
	}
	listener = evconnlistener_new(base, accept_cb, NULL, LEV_OPT_CLOSE_ON_FREE, -1, fd);
	if (listener == NULL) {
		close(fd);
		return vs_err_set(e, ENOMEM, "control.socket", "libevent listener failed");
	}
	snprintf(socket_path, sizeof(socket_path), "%s", path);
	return 0;
}

void vs_server_stop(void)
{
	while (clients != NULL)
		client_free(clients);
	if (listener != NULL) {
		evconnlistener_free(listener);
		listener = NULL;
		unlink(socket_path);
	}
}
