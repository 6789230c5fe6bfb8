/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The control-socket client shared by vswctl and vsw-cni: connect, hello, one request and
 * its reply at a time. One deadline bounds the whole session and every I/O waits in poll()
 * for at most what is left of it, so a stuck vswd can never hang a client. Every failure is
 * described once in c->err ("SOCKET: what: why") and, when c->prog is set, printed as
 * "PROG: SOCKET: what: why". Links include/ and Jansson only. Single-threaded.
 */
#ifndef VS_CLIENT_CONN_H
#define VS_CLIENT_CONN_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vs_conn {
	const char *prog;	/* prints failures as "prog: ..." (NULL: only into err) */
	char err[768];		/* the last failure */
	const char *path;
	int fd;			/* -1: not connected */
	double timeout_s;
	int64_t deadline_ms;	/* CLOCK_MONOTONIC */
	char *buf;		/* bytes read and not yet consumed */
	size_t len, cap, used;	/* used: length of the line last returned, with its '\n' */
};

int64_t vs_now_ms(void);

/*
 * Connects and says hello, within c->timeout_s. Returns 0, or -errno after printing why;
 * `quiet` leaves the message out (vswctl --version without a server is not an error).
 */
int vs_conn_start(struct vs_conn *c, bool quiet);
/* Sends {"cmd", "args"} and reads the reply into *reply (its "ok" is a boolean), by
 * c->deadline_ms (vs_conn_start sets it: one -t bounds hello and the request together).
 * Returns 0, or -errno after printing why. */
int vs_conn_exchange(struct vs_conn *c, const char *cmd, const json_t *args, json_t **reply);
/* Closes the socket and frees the buffer; the struct may be started again. */
void vs_conn_close(struct vs_conn *c);

/* A refused request's error as "port.add: args.vlan: VLAN 5000 out of range (ERANGE)". */
void vs_conn_format_error(const char *cmd, const json_t *error, char *buf, size_t len);
/* The same on stderr, after "vswctl: ". */
void vs_conn_print_error(const char *cmd, const json_t *error);

#endif
