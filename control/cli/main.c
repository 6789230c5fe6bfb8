/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vswctl: the command-line client of vswd.
 *
 *   vswctl [-s SOCKET] [--json] [-t TIMEOUT_S] COMMAND [ARG...]
 *   vswctl help [GROUP|COMMAND]      vswctl COMMAND --help
 *   vswctl --version                 vswctl completion bash
 *
 * Words become a request through the command table (args.c), go over the socket
 * (conn.c) and the result comes back as a human view (views.c, on the one writer) or,
 * with --json, exactly as vswd sent it.
 *
 * Exit codes: 0 done, 1 bad usage or request refused, 2 cannot talk to vswd.
 * --version exits 0 without a server: it is about vswctl first, vswd if it answers.
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "completion.h"
#include "control/client/conn.h"
#include "follow.h"
#include "help.h"
#include "views.h"
#include "vs_commands.h"
#include "vs_proto.h"
#include "vs_types.h"

#define EXIT_REFUSED 1
#define EXIT_NO_SERVER 2
#define VERSION_TIMEOUT_S 2.0	/* --version asks vswd, but need not wait long for it */

struct opts {
	bool as_json, help, version;
	double follow_s;	/* -t given: monitor drops follows this long; else until ^C */
};

static void print_json(const json_t *v)
{
	char *s = json_dumps(v, JSON_INDENT(2) | JSON_ENCODE_ANY);

	if (s != NULL)
		puts(s);
	free(s);
}

/* vswctl's version, then vswd's if it answers on the socket; never fails for want of it. */
static int version(struct vs_conn *c, bool as_json)
{
	json_t *out = json_pack("{s:s, s:i}", "vswctl", VS_VERSION, "proto", VS_PROTO_VERSION);
	json_t *args = json_object(), *reply = NULL, *res = NULL;
	int ret;

	if (c->timeout_s > VERSION_TIMEOUT_S)
		c->timeout_s = VERSION_TIMEOUT_S;
	ret = vs_conn_start(c, true);
	if (ret == 0 && vs_conn_exchange(c, "version", args, &reply) == 0 &&
	    json_is_true(json_object_get(reply, "ok")))
		res = json_object_get(reply, "result");
	if (as_json) {
		if (res != NULL)
			json_object_set(out, "vswd", res);
		print_json(out);
	} else {
		printf("vswctl %s (protocol %d)\n", VS_VERSION, VS_PROTO_VERSION);
		if (res != NULL)
			printf("vswd %s (%s, protocol %" JSON_INTEGER_FORMAT ") on %s\n",
			       json_string_value(json_object_get(res, "version")) ?: "?",
			       json_string_value(json_object_get(res, "dpdk")) ?: "?",
			       json_integer_value(json_object_get(res, "proto")), c->path);
	}
	if (res == NULL)
		fprintf(stderr, "vswctl: vswd not reachable on %s%s%s\n", c->path,
			ret < 0 ? ": " : "", ret < 0 ? strerror(-ret) : "");
	json_decref(reply);
	json_decref(args);
	json_decref(out);
	return 0;
}

/* Prints a successful result; returns the exit code. */
static int print_result(const struct vs_command_spec *spec, json_t *reply, bool as_json)
{
	json_t *res = json_object_get(reply, "result");
	int ret;

	/* A reply without "result" is treated as an empty one. */
	if (res == NULL) {
		json_object_set_new(reply, "result", json_object());
		res = json_object_get(reply, "result");
	}
	if (as_json) {
		print_json(res);
		ret = fflush(stdout) != 0 ? -errno : 0;
	} else {
		ret = vs_view_print(stdout, spec->name, res);
	}
	if (ret < 0)
		fprintf(stderr, "vswctl: %s: cannot print the reply: %s\n", spec->name,
			strerror(-ret));
	return ret < 0 ? EXIT_REFUSED : 0;
}

/* Connects, says hello, sends the one request and prints its reply: returns the exit code. */
static int session(struct vs_conn *c, const struct vs_command_spec *spec, json_t *args,
		   const struct opts *o)
{
	json_t *reply = NULL;
	int ret;

	if (vs_conn_start(c, false) < 0)
		return EXIT_NO_SERVER;
	if (strcmp(spec->name, "monitor.drops") == 0)
		return vs_follow_drops(c, args, o->as_json, o->follow_s);
	if (vs_conn_exchange(c, spec->name, args, &reply) < 0)
		return EXIT_NO_SERVER;
	if (!json_is_true(json_object_get(reply, "ok"))) {
		vs_conn_print_error(spec->name, json_object_get(reply, "error"));
		if (o->as_json)
			print_json(json_object_get(reply, "error"));
		ret = EXIT_REFUSED;
	} else {
		ret = print_result(spec, reply, o->as_json);
	}
	json_decref(reply);
	return ret;
}

/* Returns -1 to go on, or the exit code. */
static int parse_opts(int argc, char **argv, struct vs_conn *c, struct opts *o)
{
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int opt;

	while ((opt = getopt_long(argc, argv, "s:jt:hV", longopts, NULL)) != -1) {
		switch (opt) {
		case 's':
			c->path = optarg;
			break;
		case 'j':
			o->as_json = true;
			break;
		case 't':
			c->timeout_s = strtod(optarg, &end);
			o->follow_s = c->timeout_s;
			if (*end != '\0' || !(c->timeout_s > 0 && c->timeout_s < 1e6)) {
				fprintf(stderr, "vswctl: -t: expected seconds > 0, got '%s'\n",
					optarg);
				return EXIT_REFUSED;
			}
			break;
		case 'h':
			o->help = true;
			break;
		case 'V':
			o->version = true;
			break;
		default:
			fprintf(stderr, "(run 'vswctl help' for usage)\n");
			return EXIT_REFUSED;
		}
	}
	return -1;
}

/* The commands vswctl answers itself: help, completion. Returns -1 if w is neither. */
static int local_command(char **w, int n, bool as_json)
{
	if (strcmp(w[0], "help") == 0)
		return vs_help_words(stdout, w + 1, n - 1, as_json) < 0 ? EXIT_REFUSED : 0;
	if (strcmp(w[0], "completion") == 0) {
		if (n == 2 && vs_completion_print(stdout, w[1]) == 0)
			return 0;
		fprintf(stderr, "vswctl: completion: expected a shell: 'vswctl completion bash'\n");
		return EXIT_REFUSED;
	}
	return -1;
}

int main(int argc, char **argv)
{
	struct vs_conn c = { .prog = "vswctl", .fd = -1, .timeout_s = VS_CLI_DEFAULT_TIMEOUT_S };
	const struct vs_command_spec *spec;
	struct opts o = { 0 };
	int used, ret;
	json_t *args;

	c.path = getenv("VSWCTL_SOCKET");
	if (c.path == NULL || c.path[0] == '\0')
		c.path = VS_DEFAULT_SOCKET;
	if ((ret = parse_opts(argc, argv, &c, &o)) >= 0)
		return ret;
	argv += optind;
	argc -= optind;
	if (o.version)
		ret = version(&c, o.as_json);
	else if (o.help)	/* "vswctl port add --help" is "vswctl help port add" */
		ret = vs_help_words(stdout, argv, argc, o.as_json) < 0 ? EXIT_REFUSED : 0;
	else if (argc == 0)
		ret = (vs_help_usage(stderr), EXIT_REFUSED);
	else if ((ret = local_command(argv, argc, o.as_json)) < 0) {
		spec = vs_args_resolve(argv, argc, &used, false);
		args = spec != NULL ? vs_args_build(spec, argv + used, argc - used) : NULL;
		ret = args != NULL ? session(&c, spec, args, &o) : EXIT_REFUSED;
		json_decref(args);
	}
	vs_conn_close(&c);
	return ret;
}
