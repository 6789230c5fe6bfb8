/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vswctl: the command-line client of vswd.
 *
 *   vswctl [-s SOCKET] [--json] [-t TIMEOUT_S] COMMAND [ARG...]
 *
 * Command words and arguments are parsed from the one command table
 * (vs_commands.h): "port add vm1 vlan=2003" becomes
 * {"cmd":"port.add","args":{"name":"vm1","vlan":2003}}. The client checks
 * argument names and types only; vswd validates everything else.
 *
 * Exit codes: 0 done, 1 bad usage or request refused, 2 cannot talk to vswd.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* vasprintf; meson passes -D_GNU_SOURCE already */
#endif
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "vs_commands.h"
#include "vs_proto.h"
#include "vs_types.h"

#define EXIT_REFUSED 1
#define EXIT_NO_SERVER 2
#define DEFAULT_TIMEOUT_S 10.0

/* ---- text tables: the first row is the header, numbers are right-aligned ---- */

struct table {
	size_t ncols;
	unsigned long right;	/* bit i set: right-align column i */
	char **cells;		/* row-major */
	size_t n, cap;
	int err;		/* sticky -ENOMEM, reported by table_done() */
};

static void __attribute__((format(printf, 2, 3))) table_add(struct table *t, const char *fmt, ...)
{
	char *s, **cells;
	va_list ap;
	int r;

	if (t->err != 0)
		return;
	va_start(ap, fmt);
	r = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (r < 0)
		goto err;
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		cells = realloc(t->cells, t->cap * sizeof(*cells));
		if (cells == NULL) {
			free(s);
			goto err;
		}
		t->cells = cells;
	}
	t->cells[t->n++] = s;
	return;
err:
	t->err = -ENOMEM;
}

/* Starts a table from a space-separated header, e.g. "VLAN MAC PORT". */
static void table_head(struct table *t, const char *head, unsigned long right)
{
	t->right = right;
	for (const char *p = head; *p != '\0'; t->ncols++) {
		size_t n = strcspn(p, " ");
		table_add(t, "%.*s", (int)n, p);
		p += n + (p[n] == ' ');
	}
}

/* Prints the table with `indent` leading spaces, frees it, returns 0 or -ENOMEM. */
static int table_done(struct table *t, int indent)
{
	size_t *w = calloc(t->ncols + 1, sizeof(*w));

	if (w == NULL || t->ncols == 0)
		t->err = t->err ?: (w == NULL ? -ENOMEM : -EINVAL);
	for (size_t i = 0; i < t->n && t->err == 0; i++)
		if (strlen(t->cells[i]) > w[i % t->ncols])
			w[i % t->ncols] = strlen(t->cells[i]);
	for (size_t i = 0; i < t->n && t->err == 0; i++) {
		size_t col = i % t->ncols;
		bool last = col == t->ncols - 1;

		if (col == 0)
			printf("%*s", indent, "");
		if (col < 8 * sizeof(t->right) && (t->right & (1UL << col)))
			printf("%*s", (int)w[col], t->cells[i]);
		else
			printf("%-*s", last ? 0 : (int)w[col], t->cells[i]);
		fputs(last ? "\n" : "  ", stdout);
	}
	for (size_t i = 0; i < t->n; i++)
		free(t->cells[i]);
	free(t->cells);
	free(w);
	return t->err;
}

/* ---- JSON value helpers ---- */

/* Formats a value for a table cell or a "key: value" line; nested values compact. */
static const char *fmt_value(const json_t *v, char *buf, size_t size)
{
	size_t n;

	switch (json_typeof(v)) {
	case JSON_STRING:
		return json_string_value(v);
	case JSON_INTEGER:
		snprintf(buf, size, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return buf;
	case JSON_REAL:
		snprintf(buf, size, "%g", json_real_value(v));
		return buf;
	case JSON_TRUE:
		return "true";
	case JSON_FALSE:
		return "false";
	case JSON_NULL:
		return "-";
	default:
		n = json_dumpb(v, buf, size - 1, JSON_COMPACT);
		if (n == 0 || n >= size - 1)
			snprintf(buf, size, "%s", json_is_array(v) ? "[...]" : "{...}");
		else
			buf[n] = '\0';
		return buf;
	}
}

static const char *get_str(const json_t *o, const char *key, char *buf, size_t size)
{
	const json_t *v = json_object_get(o, key);
	return v != NULL ? fmt_value(v, buf, size) : "-";
}

/* Adds object o's member `key` as the next cell ("-" when absent). */
static void table_key(struct table *t, const json_t *o, const char *key)
{
	char buf[512];
	table_add(t, "%s", get_str(o, key, buf, sizeof(buf)));
}

static void print_pretty(const json_t *v)
{
	char *s = json_dumps(v, JSON_INDENT(2) | JSON_ENCODE_ANY);
	if (s != NULL)
		puts(s);
	free(s);
}

/* An array of objects as a table; the first object's keys, upper-cased, are the columns. */
static int print_rows(const json_t *rows, int indent)
{
	const json_t *first = json_array_get(rows, 0);
	struct table t = { .ncols = json_object_size(first) };
	const char *k;
	json_t *row, *cell;
	size_t i;

	json_object_foreach((json_t *)first, k, cell) {
		char up[64];
		for (i = 0; k[i] != '\0' && i < sizeof(up) - 1; i++)
			up[i] = (char)toupper((unsigned char)k[i]);
		up[i] = '\0';
		if (json_is_integer(cell) && t.n < 8 * sizeof(t.right))
			t.right |= 1UL << t.n;
		table_add(&t, "%s", up);
	}
	json_array_foreach(rows, i, row)
		json_object_foreach((json_t *)first, k, cell)
			table_key(&t, row, k);
	return table_done(&t, indent);
}

/*
 * Prints an object as aligned "key: value" lines: nested objects become indented
 * sections, arrays of objects tables. `skip` names one key to leave out.
 */
static int print_kv(const json_t *obj, int indent, const char *skip)
{
	const char *key;
	json_t *v;
	char buf[512];
	int ret = 0;

	json_object_foreach((json_t *)obj, key, v) {
		int pad = 16 - indent - (int)strlen(key);
		bool empty = (json_is_object(v) && json_object_size(v) == 0) ||
			     (json_is_array(v) && json_array_size(v) == 0);

		if (skip != NULL && strcmp(key, skip) == 0)
			continue;
		if (json_is_object(v) && !empty) {
			printf("%*s%s:\n", indent, "", key);
			ret = print_kv(v, indent + 2, NULL);
		} else if (json_object_size(json_array_get(v, 0)) > 0) {
			printf("%*s%s:\n", indent, "", key);
			ret = print_rows(v, indent + 2);
		} else {
			printf("%*s%s:%*s%s\n", indent, "", key, pad > 1 ? pad : 1, "",
			       empty ? "none" : fmt_value(v, buf, sizeof(buf)));
		}
		if (ret < 0)
			return ret;
	}
	return 0;
}

/* ---- human output, one function per result shape of vs_commands.h ---- */

static int show_port_list(const json_t *res)
{
	struct table t = { 0 };
	json_t *p, *count;
	const char *reason;
	size_t i;

	table_head(&t, "NAME TYPE MODE VLANS LINK RX_PKTS TX_PKTS DROPS", 0xe0);
	json_array_foreach(json_object_get(res, "ports"), i, p) {
		json_t *stats = json_object_get(p, "stats");
		json_int_t native = json_integer_value(json_object_get(p, "native_vlan"));
		const char *allowed = json_string_value(json_object_get(p, "allowed")) ?: "";
		const char *mode = json_string_value(json_object_get(p, "mode")) ?: "";
		json_int_t drops = 0;

		json_object_foreach(json_object_get(stats, "drops"), reason, count)
			drops += json_integer_value(count);
		table_key(&t, p, "name");
		table_key(&t, p, "type");
		table_key(&t, p, "mode");
		/* Access ports show their VLAN, trunks "allowed[/native N]". */
		if (strcmp(mode, "trunk") == 0 && native != 0)
			table_add(&t, "%s/native %" JSON_INTEGER_FORMAT, *allowed ? allowed : "-",
				  native);
		else if (strcmp(mode, "trunk") == 0)
			table_add(&t, "%s", *allowed ? allowed : "-");
		else
			table_key(&t, p, "vlan");
		table_key(&t, p, "link");
		table_key(&t, stats, "rx_packets");
		table_key(&t, stats, "tx_packets");
		table_add(&t, "%" JSON_INTEGER_FORMAT, drops);
	}
	return table_done(&t, 0);
}

static int show_vlan_list(const json_t *res)
{
	struct table t = { 0 };
	json_t *v, *port;
	size_t i, j;

	table_head(&t, "VLAN PORTS MACS", 0x5);
	json_array_foreach(json_object_get(res, "vlans"), i, v) {
		char ports[1024] = "-";
		size_t n = 0;

		json_array_foreach(json_object_get(v, "ports"), j, port)
			if (n < sizeof(ports))
				n += snprintf(ports + n, sizeof(ports) - n, "%s%s", j ? "," : "",
					      json_string_value(port) ?: "?");
		table_key(&t, v, "vlan");
		table_add(&t, "%s", ports);
		table_key(&t, v, "macs");
	}
	return table_done(&t, 0);
}

static int show_mac_table(const json_t *res)
{
	struct table t = { 0 };
	json_t *m;
	size_t i;

	table_head(&t, "VLAN MAC PORT TYPE AGE", 0x11);
	json_array_foreach(json_object_get(res, "macs"), i, m) {
		bool is_static = json_is_true(json_object_get(m, "static"));

		table_key(&t, m, "vlan");
		table_key(&t, m, "mac");
		table_key(&t, m, "port");
		table_add(&t, "%s", is_static ? "static" : "learned");
		/* Static entries never age out: a number there would mislead. */
		if (is_static)
			table_add(&t, "-");
		else
			table_key(&t, m, "age");
	}
	return table_done(&t, 0);
}

/* One command as {"name", "help", "args": [...]}, the shape of the "commands" result. */
static void print_command(FILE *f, const json_t *cmd)
{
	const char *name = json_string_value(json_object_get(cmd, "name"));
	const struct vs_command_spec *spec;
	char synopsis[128];
	json_t *a;
	size_t i, n;

	if (name == NULL)
		return;
	spec = vs_command_find(name, NULL);
	n = (size_t)snprintf(synopsis, sizeof(synopsis), "%s", name);
	for (i = 0; i < n && i < sizeof(synopsis); i++)
		if (synopsis[i] == '.')
			synopsis[i] = ' ';
	if (spec != NULL && spec->first_positional && n < sizeof(synopsis))
		snprintf(synopsis + n, sizeof(synopsis) - n, " <%s>", spec->args[0].name);
	fprintf(f, "  %-22s %s\n", synopsis,
		json_string_value(json_object_get(cmd, "help")) ?: "");
	json_array_foreach(json_object_get(cmd, "args"), i, a)
		fprintf(f, "      %-13s %-7s %-9s %s\n",
			json_string_value(json_object_get(a, "name")) ?: "?",
			json_string_value(json_object_get(a, "type")) ?: "?",
			json_is_true(json_object_get(a, "required")) ? "required" : "",
			json_string_value(json_object_get(a, "help")) ?: "");
}

/* A local table row in the shape of the "commands" result, so one printer serves both. */
static json_t *spec_to_json(const struct vs_command_spec *c)
{
	json_t *args = json_array();

	for (const struct vs_arg_spec *a = c->args; a->name != NULL; a++)
		json_array_append_new(args, json_pack("{s:s, s:s, s:b, s:s}", "name", a->name,
						      "type", vs_arg_type_name(a->type),
						      "required", a->required, "help", a->help));
	return json_pack("{s:s, s:s, s:o}", "name", c->name, "help", c->help, "args", args);
}

static void print_spec(FILE *f, const struct vs_command_spec *c)
{
	json_t *j = spec_to_json(c);
	print_command(f, j);
	json_decref(j);
}

static int show_result(const char *cmd, const json_t *res)
{
	char b[128];
	json_t *c;
	size_t i;

	if (strcmp(cmd, "port.list") == 0)
		return show_port_list(res);
	/* A port object: settings, then counters at the same level, drops as a section. */
	if (strcmp(cmd, "port.show") == 0 || strcmp(cmd, "port.add") == 0 ||
	    strcmp(cmd, "port.set") == 0)
		return print_kv(res, 0, "stats") ?: print_kv(json_object_get(res, "stats"), 0,
							       NULL);
	if (strcmp(cmd, "vlan.list") == 0)
		return show_vlan_list(res);
	if (strcmp(cmd, "mac.show") == 0)
		return show_mac_table(res);
	if (strcmp(cmd, "stats") == 0)
		return print_kv(res, 0, NULL);
	if (strcmp(cmd, "version") == 0) {
		printf("vswctl    %s\nvswd      %s\n", VS_VERSION, get_str(res, "version", b, 64));
		printf("dpdk      %s\nprotocol  %s\n", get_str(res, "dpdk", b, 64),
		       get_str(res, "proto", b + 64, 64));
		return 0;
	}
	if (strcmp(cmd, "commands") == 0) {
		json_array_foreach(json_object_get(res, "commands"), i, c)
			print_command(stdout, c);
		return 0;
	}
	if (json_is_object(res) && json_object_size(res) == 0)
		puts("ok");
	else
		print_pretty(res);
	return 0;
}

/* ---- usage and argument parsing ---- */

static void usage(FILE *f)
{
	const struct vs_command_spec *t = vs_command_table();

	fprintf(f,
		"usage: vswctl [-s SOCKET] [--json] [-t TIMEOUT_S] COMMAND [ARG...]\n"
		"       vswctl help [COMMAND]\n\n"
		"options:\n"
		"  -s, --socket SOCKET   control socket (default $VSWCTL_SOCKET or %s)\n"
		"  -j, --json            print the result as JSON\n"
		"  -t, --timeout SECS    give up after SECS seconds (default %g)\n"
		"  -h, --help            show this help\n\n"
		"commands (arguments are key=value; a <name> may be given as a bare word):\n",
		VS_DEFAULT_SOCKET, DEFAULT_TIMEOUT_S);
	for (int i = 0; i < VS_CMD__COUNT; i++)
		print_spec(f, &t[i]);
}

/* Maps the first two words (or one) to a table row, e.g. "port add" to "port.add". */
static const struct vs_command_spec *resolve(char **w, int n, int *used)
{
	const struct vs_command_spec *c, *t = vs_command_table();
	char name[128];
	size_t len = strlen(w[0]);
	bool first = true;

	if (n >= 2 && snprintf(name, sizeof(name), "%s.%s", w[0], w[1]) < (int)sizeof(name) &&
	    (c = vs_command_find(name, NULL)) != NULL) {
		*used = 2;
		return c;
	}
	if ((c = vs_command_find(w[0], NULL)) != NULL) {
		*used = 1;
		return c;
	}
	fprintf(stderr, "vswctl: unknown command '%s%s%s'", w[0], n >= 2 ? " " : "",
		n >= 2 ? w[1] : "");
	for (int i = 0; i < VS_CMD__COUNT; i++) {
		if (strncmp(t[i].name, w[0], len) == 0 && t[i].name[len] == '.') {
			fprintf(stderr, "%s%s", first ? "; try: " : ", ", t[i].name + len + 1);
			first = false;
		}
	}
	fprintf(stderr, "\n(run 'vswctl help' for the list)\n");
	return NULL;
}

static json_t *convert(const struct vs_command_spec *c, const struct vs_arg_spec *a,
		       const char *val)
{
	static const char *const yes[] = { "true", "yes", "1", "on" };
	static const char *const no[] = { "false", "no", "0", "off" };
	unsigned long long u;
	char *end;

	switch (a->type) {
	case VS_ARG_UINT:
	case VS_ARG_U64:
		errno = 0;
		/* strtoull would accept " 12", "-1" and "+1": only digits are a uint. */
		if (!isdigit((unsigned char)val[0]))
			break;
		u = strtoull(val, &end, 10);
		if (errno != 0 || *end != '\0' ||
		    u > (JSON_INTEGER_IS_LONG_LONG ? LLONG_MAX : LONG_MAX))
			break;
		return json_integer((json_int_t)u);
	case VS_ARG_BOOL:
		for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
			if (strcasecmp(val, yes[i]) == 0)
				return json_true();
			if (strcasecmp(val, no[i]) == 0)
				return json_false();
		}
		fprintf(stderr, "vswctl: %s: %s: expected a boolean (true/false, yes/no, on/off, "
			"1/0), got '%s'\n", c->name, a->name, val);
		return NULL;
	case VS_ARG_JSON: {
		/* inline JSON, a file, or - for stdin */
		json_error_t jerr;
		json_t *v = val[0] == '{' || val[0] == '[' ? json_loads(val, 0, &jerr) :
			    strcmp(val, "-") == 0 ? json_loadf(stdin, 0, &jerr) :
						    json_load_file(val, 0, &jerr);
		if (v == NULL)
			fprintf(stderr, "vswctl: %s: %s: %s: line %d: %s\n", c->name, a->name,
				strcmp(val, "-") == 0 ? "stdin" : val, jerr.line, jerr.text);
		return v;
	}
	default:
		return json_string(val);
	}
	fprintf(stderr, "vswctl: %s: %s: expected an unsigned integer, got '%s'\n", c->name,
		a->name, val);
	return NULL;
}

/* Builds the "args" object from key=value words; prints why and returns NULL on a bad word. */
static json_t *build_args(const struct vs_command_spec *c, char **w, int n)
{
	bool positional_done = !c->first_positional;
	json_t *args = json_object();
	char key[64];

	for (int i = 0; i < n; i++) {
		const struct vs_arg_spec *a;
		const char *eq = strchr(w[i], '='), *val;
		json_t *v;

		if (eq == NULL && !positional_done) {
			a = &c->args[0];
			val = w[i];
			positional_done = true;
		} else if (eq == NULL) {
			fprintf(stderr, "vswctl: %s: unexpected argument '%s' (want key=value)\n",
				c->name, w[i]);
			goto err;
		} else {
			snprintf(key, sizeof(key), "%.*s", (int)(eq - w[i]), w[i]);
			val = eq + 1;
			a = vs_arg_find(c, key);
		}
		if (a == NULL) {
			fprintf(stderr, "vswctl: %s: unknown argument '%s'", c->name, key);
			for (const struct vs_arg_spec *s = c->args; s->name != NULL; s++)
				fprintf(stderr, "%s%s", s == c->args ? "; valid: " : ", ", s->name);
			fprintf(stderr, "%s\n", c->args[0].name ? "" : "; it takes no arguments");
			goto err;
		}
		if (json_object_get(args, a->name) != NULL) {
			fprintf(stderr, "vswctl: %s: %s: given twice\n", c->name, a->name);
			goto err;
		}
		v = convert(c, a, val);
		if (v == NULL || json_object_set_new(args, a->name, v) < 0)
			goto err;
	}
	return args;
err:
	json_decref(args);
	return NULL;
}

/* ---- the connection: one deadline for the whole exchange, poll() before every I/O ---- */

struct conn {
	const char *path;
	int fd;
	double timeout_s;
	int64_t deadline_ms;	/* CLOCK_MONOTONIC */
	char *buf;		/* bytes read and not yet consumed */
	size_t len, cap, used;	/* used: length of the line last returned, with its '\n' */
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int wait_fd(struct conn *c, short events)
{
	for (;;) {
		int64_t left = c->deadline_ms - now_ms();
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

static int conn_open(struct conn *c)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = (time_t)c->timeout_s };
	int ret;

	tv.tv_usec = (suseconds_t)((c->timeout_s - (double)tv.tv_sec) * 1e6);
	c->deadline_ms = now_ms() + (int64_t)(c->timeout_s * 1000);
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

static int send_all(struct conn *c, const char *p, size_t n)
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

/* Returns the next reply line, NUL-terminated without its '\n', in *line. */
static int read_line(struct conn *c, char **line)
{
	size_t scanned = 0;
	char *nl;

	if (c->buf == NULL) {
		c->buf = malloc(4096);
		if (c->buf == NULL)
			return -ENOMEM;
		c->cap = 4096;
	}
	/* Drop the previous line; anything after it stays for the next call. */
	memmove(c->buf, c->buf + c->used, c->len - c->used);
	c->len -= c->used;
	c->used = 0;
	while ((nl = memchr(c->buf + scanned, '\n', c->len - scanned)) == NULL) {
		ssize_t r;
		int ret;

		scanned = c->len;
		if (c->len > VS_PROTO_MAX_MSG)
			return -EMSGSIZE;
		if (c->len == c->cap) {
			size_t cap = c->cap ? c->cap * 2 : 4096;
			char *b = realloc(c->buf, cap);
			if (b == NULL)
				return -ENOMEM;
			c->buf = b;
			c->cap = cap;
		}
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

static void io_error(const struct conn *c, const char *op, int err)
{
	if (err == -ETIMEDOUT)
		fprintf(stderr, "vswctl: %s: %s: no answer within %g s\n", c->path, op,
			c->timeout_s);
	else if (err == -ECONNRESET)
		fprintf(stderr, "vswctl: %s: %s: vswd closed the connection\n", c->path, op);
	else if (err == -EMSGSIZE)
		fprintf(stderr, "vswctl: %s: %s: reply longer than %d bytes\n", c->path, op,
			VS_PROTO_MAX_MSG);
	else
		fprintf(stderr, "vswctl: %s: %s: %s\n", c->path, op, strerror(-err));
}

/* Sends one request and reads its reply object into *reply; prints why on failure. */
static int exchange(struct conn *c, const char *cmd, json_t *args, json_t **reply)
{
	json_t *req = json_pack("{s:s, s:O}", "cmd", cmd, "args", args);
	char *s = req ? json_dumps(req, JSON_COMPACT) : NULL, *line = NULL;
	json_error_t jerr;
	int ret = -ENOMEM;

	*reply = NULL;
	if (s == NULL) {
		io_error(c, "request", ret);
		goto err;
	}
	if (strlen(s) >= VS_PROTO_MAX_MSG) {
		fprintf(stderr, "vswctl: %s: request longer than %d bytes\n", cmd,
			VS_PROTO_MAX_MSG);
		ret = -EMSGSIZE;
		goto err;
	}
	if ((ret = send_all(c, s, strlen(s))) < 0 || (ret = send_all(c, "\n", 1)) < 0) {
		io_error(c, "write", ret);
		goto err;
	}
	if ((ret = read_line(c, &line)) < 0) {
		io_error(c, "read", ret);
		goto err;
	}
	*reply = json_loads(line, 0, &jerr);
	if (*reply == NULL || !json_is_boolean(json_object_get(*reply, "ok"))) {
		fprintf(stderr, "vswctl: %s: invalid reply to %s: %s\n", c->path, cmd,
			*reply ? "no \"ok\" member" : jerr.text);
		ret = -EPROTO;
		goto err;
	}
	ret = 0;
err:
	if (ret < 0) {
		json_decref(*reply);
		*reply = NULL;
	}
	free(s);
	json_decref(req);
	return ret;
}

/* vswctl: port.add: args.vlan: VLAN 5000 out of range (EINVAL) */
static void print_error(const char *cmd, const json_t *e)
{
	const char *field = json_string_value(json_object_get(e, "field"));
	const char *msg = json_string_value(json_object_get(e, "message"));
	const char *name = json_string_value(json_object_get(e, "errno"));

	fprintf(stderr, "vswctl: %s: %s%s%s", cmd, field ?: "", field ? ": " : "",
		msg ?: "request refused");
	if (name != NULL)
		fprintf(stderr, " (%s)", name);
	fputc('\n', stderr);
}

/* ---- main ---- */

/* Connects, says hello, sends the one request and prints its reply: returns the exit code. */
static volatile sig_atomic_t stop_follow;
static double follow_s;	/* monitor: -t given: follow this long; else until interrupted */

static void on_sigint(int sig)
{
	(void)sig;
	stop_follow = 1;
}

/* One line per denied flow, like `hubble observe --verdict DENIED`. */
static void print_drop(const json_t *ev)
{
	char proto[16], b[8][64];
	const json_t *pol = json_object_get(ev, "policy");
	bool v6 = strchr(get_str(ev, "src", b[0], 64), ':') != NULL;
	printf("%s vlan %s %s %s%s%s:%s -> %s%s%s:%s  %s -> %s  DENIED %s of %s: %s (%s tier)",
	       get_str(ev, "seq", b[7], 64), get_str(ev, "vlan", b[1], 64),
	       get_str(ev, "proto", proto, sizeof(proto)), v6 ? "[" : "", b[0], v6 ? "]" : "",
	       get_str(ev, "sport", b[2], 64), v6 ? "[" : "", get_str(ev, "dst", b[3], 64),
	       v6 ? "]" : "", get_str(ev, "dport", b[4], 64),
	       json_string_value(json_object_get(ev, "from_port")),
	       json_string_value(json_object_get(ev, "to_port")),
	       json_string_value(json_object_get(ev, "direction")),
	       get_str(ev, "port", b[5], 64), json_string_value(json_object_get(ev, "reason")),
	       get_str(ev, "tier", b[6], 64));
	if (pol != NULL)
		printf(" [%s %s%s%s rule %lld]", json_string_value(json_object_get(pol, "kind")),
		       json_string_value(json_object_get(pol, "namespace")),
		       json_string_value(json_object_get(pol, "namespace"))[0] ? "/" : "",
		       json_string_value(json_object_get(pol, "name")),
		       json_integer_value(json_object_get(pol, "rule")));
	putchar('\n');
}

/* monitor.drops: poll for new events every 200 ms until interrupted (or -t runs out). */
static int follow_drops(struct conn *c, json_t *args, bool as_json, double for_s)
{
	int64_t end = for_s > 0 ? now_ms() + (int64_t)(for_s * 1000) : INT64_MAX;
	json_t *reply = NULL;
	signal(SIGINT, on_sigint);
	signal(SIGTERM, on_sigint);
	while (!stop_follow && now_ms() < end) {
		c->deadline_ms = now_ms() + 5000;
		if (exchange(c, "monitor.drops", args, &reply) < 0)
			return EXIT_NO_SERVER;
		if (!json_is_true(json_object_get(reply, "ok"))) {
			print_error("monitor.drops", json_object_get(reply, "error"));
			json_decref(reply);
			return EXIT_REFUSED;
		}
		json_t *res = json_object_get(reply, "result"), *ev;
		size_t i;
		json_array_foreach(json_object_get(res, "events"), i, ev) {
			if (as_json) {
				char *s = json_dumps(ev, JSON_COMPACT);
				puts(s);
				free(s);
			} else {
				print_drop(ev);
			}
		}
		fflush(stdout);
		json_object_set(args, "since", json_object_get(res, "next"));
		json_decref(reply);
		reply = NULL;
		usleep(200000);
	}
	return 0;
}

static int session(struct conn *c, const struct vs_command_spec *spec, json_t *args,
		   bool as_json)
{
	json_t *hello = json_pack("{s:i}", "version", VS_PROTO_VERSION), *reply = NULL, *res;
	int ret = conn_open(c);

	if (ret < 0) {
		fprintf(stderr, "vswctl: cannot connect to %s: %s%s\n", c->path, strerror(-ret),
			ret == -ENOENT || ret == -ECONNREFUSED ? " (is vswd running?)" : "");
		goto err;
	}
	if (exchange(c, "hello", hello, &reply) < 0)
		goto err;
	if (!json_is_true(json_object_get(reply, "ok"))) {
		print_error("hello", json_object_get(reply, "error"));
		goto err;
	}
	json_decref(reply);
	reply = NULL;
	if (strcmp(spec->name, "monitor.drops") == 0) {
		json_decref(hello);
		return follow_drops(c, args, as_json, follow_s);
	}
	if (exchange(c, spec->name, args, &reply) < 0)
		goto err;
	json_decref(hello);
	if (!json_is_true(json_object_get(reply, "ok"))) {
		print_error(spec->name, json_object_get(reply, "error"));
		if (as_json)
			print_pretty(json_object_get(reply, "error"));
		json_decref(reply);
		return EXIT_REFUSED;
	}
	/* A reply without "result" is treated as an empty one. */
	if (json_object_get(reply, "result") == NULL)
		json_object_set_new(reply, "result", json_object());
	res = json_object_get(reply, "result");
	ret = as_json ? (print_pretty(res), 0) : show_result(spec->name, res);
	if (fflush(stdout) != 0 && ret == 0)
		ret = -errno;
	if (ret < 0)
		fprintf(stderr, "vswctl: %s: cannot print the reply: %s\n", spec->name,
			strerror(-ret));
	json_decref(reply);
	return ret < 0 ? EXIT_REFUSED : 0;
err:
	json_decref(reply);
	json_decref(hello);
	return EXIT_NO_SERVER;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct conn c = { .fd = -1, .timeout_s = DEFAULT_TIMEOUT_S };
	const struct vs_command_spec *spec;
	bool as_json = false;
	int opt, used, ret;
	json_t *args;
	char *end;

	c.path = getenv("VSWCTL_SOCKET");
	if (c.path == NULL || c.path[0] == '\0')
		c.path = VS_DEFAULT_SOCKET;
	while ((opt = getopt_long(argc, argv, "s:jt:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 's':
			c.path = optarg;
			break;
		case 'j':
			as_json = true;
			break;
		case 't':
			c.timeout_s = strtod(optarg, &end);
			follow_s = c.timeout_s;
			if (*end != '\0' || !(c.timeout_s > 0 && c.timeout_s < 1e6)) {
				fprintf(stderr, "vswctl: -t: expected seconds > 0, got '%s'\n",
					optarg);
				return EXIT_REFUSED;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			fprintf(stderr, "(run 'vswctl help' for usage)\n");
			return EXIT_REFUSED;
		}
	}
	argv += optind;
	argc -= optind;
	if (argc == 0) {
		usage(stderr);
		return EXIT_REFUSED;
	}
	if (strcmp(argv[0], "help") == 0 && argc == 1) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[0], "help") == 0) {
		spec = resolve(argv + 1, argc - 1, &used);
		if (spec != NULL)
			print_spec(stdout, spec);
		return spec != NULL ? 0 : EXIT_REFUSED;
	}
	spec = resolve(argv, argc, &used);
	args = spec != NULL ? build_args(spec, argv + used, argc - used) : NULL;
	if (args == NULL)
		return EXIT_REFUSED;
	ret = session(&c, spec, args, as_json);
	if (c.fd >= 0)
		close(c.fd);
	free(c.buf);
	json_decref(args);
	return ret;
}
