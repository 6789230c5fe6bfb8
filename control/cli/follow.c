/* SPDX-License-Identifier: BSD-3-Clause */
/* Following monitor.drops: see follow.h. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "follow.h"
#include "render.h"

#define POLL_US 200000
#define REQUEST_TIMEOUT_MS 5000

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* A member as text, "-" when absent; buf holds what vs_render_text allocated. */
static const char *txt(const json_t *o, const char *key, char **buf)
{
	*buf = vs_render_text(json_object_get(o, key));
	return *buf != NULL ? *buf : "-";
}

static void print_policy(const json_t *pol)
{
	const char *ns = json_string_value(json_object_get(pol, "namespace")) ?: "";

	printf(" [%s %s%s%s rule %" JSON_INTEGER_FORMAT "]",
	       json_string_value(json_object_get(pol, "kind")) ?: "?", ns, ns[0] ? "/" : "",
	       json_string_value(json_object_get(pol, "name")) ?: "?",
	       json_integer_value(json_object_get(pol, "rule")));
}

/* One line per denied flow, like `hubble observe --verdict DENIED`. */
static void print_drop(const json_t *ev)
{
	enum { SEQ, VLAN, PROTO, SRC, SPORT, DST, DPORT, FROM, TO, DIR, PORT, REASON, TIER, N };
	static const char *const keys[N] = { "seq", "vlan", "proto", "src", "sport", "dst",
					     "dport", "from_port", "to_port", "direction",
					     "port", "reason", "tier" };
	const char *s[N];
	char *b[N];
	bool v6;

	for (int i = 0; i < N; i++)
		s[i] = txt(ev, keys[i], &b[i]);
	v6 = strchr(s[SRC], ':') != NULL;
	printf("%s vlan %s %s %s%s%s:%s -> %s%s%s:%s  %s -> %s  DENIED %s of %s: %s (%s tier)",
	       s[SEQ], s[VLAN], s[PROTO], v6 ? "[" : "", s[SRC], v6 ? "]" : "", s[SPORT],
	       v6 ? "[" : "", s[DST], v6 ? "]" : "", s[DPORT], s[FROM], s[TO], s[DIR], s[PORT],
	       s[REASON], s[TIER]);
	if (json_object_get(ev, "policy") != NULL)
		print_policy(json_object_get(ev, "policy"));
	putchar('\n');
	for (int i = 0; i < N; i++)
		free(b[i]);
}

static void print_events(const json_t *res, bool as_json)
{
	json_t *ev;
	size_t i;

	json_array_foreach(json_object_get(res, "events"), i, ev) {
		if (as_json) {
			char *s = json_dumps(ev, JSON_COMPACT);

			if (s != NULL)
				puts(s);
			free(s);
		} else {
			print_drop(ev);
		}
	}
	fflush(stdout);
}

int vs_follow_drops(struct vs_conn *c, json_t *args, bool as_json, double for_s)
{
	int64_t end = for_s > 0 ? vs_now_ms() + (int64_t)(for_s * 1000) : INT64_MAX;
	json_t *reply = NULL;

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	while (!stop && vs_now_ms() < end) {
		c->deadline_ms = vs_now_ms() + REQUEST_TIMEOUT_MS;
		if (vs_conn_exchange(c, "monitor.drops", args, &reply) < 0)
			return 2;
		if (!json_is_true(json_object_get(reply, "ok"))) {
			vs_conn_print_error("monitor.drops", json_object_get(reply, "error"));
			json_decref(reply);
			return 1;
		}
		print_events(json_object_get(reply, "result"), as_json);
		json_object_set(args, "since",
				json_object_get(json_object_get(reply, "result"), "next"));
		json_decref(reply);
		reply = NULL;
		usleep(POLL_US);
	}
	return 0;
}
