/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vsw-agent: the node agent that carries a Kubernetes cluster's objects to its node's vswd.
 * It lists and watches Namespaces, this node's Pods, NetworkAttachmentDefinitions,
 * MultiNetworkPolicies, AdminNetworkPolicies and BaselineAdminNetworkPolicies, and after every
 * change (at most every --settle-ms), every reconnect and every --resync-s, brings vswd to
 * the full desired state (reconcile.h). Nothing is reconciled before every resource has been
 * listed once, so a starting agent never deletes what it has not seen yet.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "desired.h"
#include "events.h"
#include "informer.h"
#include "kube_config.h"
#include "reconcile.h"
#include "watch.h"

enum { INF_NS, INF_POD, INF_NAD, INF_MNP, INF_ANP, INF_BANP, INF_N };

static const struct {
	const char *name, *path;
} resources[INF_N] = {
	[INF_NS] = { "namespaces", "/api/v1/namespaces" },
	[INF_POD] = { "pods", "/api/v1/pods" },
	[INF_NAD] = { "network-attachment-definitions",
		      "/apis/k8s.cni.cncf.io/v1/network-attachment-definitions" },
	[INF_MNP] = { "multi-networkpolicies", "/apis/k8s.cni.cncf.io/v1beta1/multi-networkpolicies" },
	[INF_ANP] = { "adminnetworkpolicies",
		      "/apis/policy.networking.k8s.io/v1alpha1/adminnetworkpolicies" },
	[INF_BANP] = { "baselineadminnetworkpolicies",
		       "/apis/policy.networking.k8s.io/v1alpha1/baselineadminnetworkpolicies" },
};

struct opts {
	const char *node, *kubeconfig, *sa_dir, *socket;
	bool fail_open;
	int resync_s, settle_ms, watch_timeout_s;
};

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: vsw-agent [OPTION...]\n"
		"  --node NAME           this node (default $NODE_NAME): only its pods are read\n"
		"  --kubeconfig FILE     a JSON kubeconfig (default: in-cluster service account)\n"
		"  --sa-dir DIR          the service account directory (in-cluster)\n"
		"  --vsw-socket PATH     vswd's control socket (default /run/vsw/vswd.sock)\n"
		"  --fail-open           a policy vswd refuses is left out instead of isolating\n"
		"                        the pods it selects (default: fail closed)\n"
		"  --resync-s N          reconcile at least every N s (default 300)\n"
		"  --settle-ms N         wait N ms after a change for more (default 100)\n"
		"  --watch-timeout-s N   timeoutSeconds of each watch (default 300)\n");
}

static int int_arg(const char *s, int lo, int hi, const char *what)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < lo || v > hi) {
		fprintf(stderr, "vsw-agent: %s: '%s' is not a number from %d to %d\n", what, s, lo,
			hi);
		exit(2);
	}
	return (int)v;
}

static void parse(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "node", required_argument, NULL, 'n' },
		{ "kubeconfig", required_argument, NULL, 'k' },
		{ "sa-dir", required_argument, NULL, 'a' },
		{ "vsw-socket", required_argument, NULL, 's' },
		{ "fail-open", no_argument, NULL, 'o' },
		{ "resync-s", required_argument, NULL, 'r' },
		{ "settle-ms", required_argument, NULL, 'm' },
		{ "watch-timeout-s", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	*o = (struct opts){ .node = getenv("NODE_NAME"), .socket = "/run/vsw/vswd.sock",
			    .resync_s = 300, .settle_ms = 100, .watch_timeout_s = 300 };
	int c;
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 'n': o->node = optarg; break;
		case 'k': o->kubeconfig = optarg; break;
		case 'a': o->sa_dir = optarg; break;
		case 's': o->socket = optarg; break;
		case 'o': o->fail_open = true; break;
		case 'r': o->resync_s = int_arg(optarg, 1, 86400, "--resync-s"); break;
		case 'm': o->settle_ms = int_arg(optarg, 0, 60000, "--settle-ms"); break;
		case 'w': o->watch_timeout_s = int_arg(optarg, 1, 3600, "--watch-timeout-s"); break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); exit(2);
		}
	}
	if (optind != argc || o->node == NULL || *o->node == '\0') {
		fprintf(stderr, "vsw-agent: %s\n", optind != argc ? "unexpected argument"
				: "no node name: give --node or set NODE_NAME (the downward API's "
				  "spec.nodeName)");
		exit(2);
	}
}

/* Percent-encodes the node name into the pods' fieldSelector. */
static char *node_selector(const char *node)
{
	char *sel = malloc(strlen(node) * 3 + 64);
	char *p = sel + sprintf(sel, "fieldSelector=spec.nodeName%%3D");
	for (const unsigned char *s = (const unsigned char *)node; *s; s++)
		p += (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
			     *s == '-' || *s == '.' || *s == '_'
		     ? sprintf(p, "%c", *s) : sprintf(p, "%%%02X", *s);
	return sel;
}

/* Refusals are queued during a reconcile and posted as Events after it, so a slow API never
 * holds vswd's session open. */
static void refused_event(void *arg, const json_t *pol, const char *error, bool closed)
{
	json_t *queue = arg;
	const char *kind = json_string_value(json_object_get(pol, "kind"));
	bool mnp = kind != NULL && strcmp(kind, "MultiNetworkPolicy") == 0;
	char msg[1200];
	snprintf(msg, sizeof(msg), "vswd refused it: %s; %s", error,
		 closed ? "its pods are isolated in its directions until it is fixed (fail closed)"
		 : mnp ? "it is not enforced on this node (--fail-open)"
		       : "it is not enforced on this node (admin policies do not fail closed)");
	json_array_append_new(queue, json_pack("{s:O, s:s, s:s}", "object", pol, "reason",
					       closed ? "PolicyRefusedFailedClosed" : "PolicyRefused",
					       "message", msg));
}

static int reconcile_now(struct vs_reconciler *r, struct vs_informer inf[], bool resync,
			 const struct vs_kube_api *api, const char *node)
{
	struct vs_desired d;
	const json_t *pols[] = { inf[INF_MNP].objects, inf[INF_ANP].objects, inf[INF_BANP].objects };
	vs_desired_build(&d, inf[INF_NAD].objects, inf[INF_NS].objects, inf[INF_POD].objects, pols,
			 3, node);
	int rc = vs_reconcile(r, &d, resync);
	vs_desired_free(&d);
	size_t i;
	json_t *ev;
	json_array_foreach((json_t *)r->ctx, i, ev)
		vs_kube_event_post(api, json_object_get(ev, "object"),
				   json_string_value(json_object_get(ev, "reason")),
				   json_string_value(json_object_get(ev, "message")), node);
	json_array_clear(r->ctx);
	return rc;
}

int main(int argc, char **argv)
{
	struct opts o;
	struct vs_kube_api api;
	char err[1024];
	parse(argc, argv, &o);
	if ((o.kubeconfig != NULL ? vs_kube_kubeconfig(&api, o.kubeconfig, err, sizeof(err))
				  : vs_kube_incluster(&api, o.sa_dir, err, sizeof(err))) < 0) {
		fprintf(stderr, "vsw-agent: %s\n", err);
		return 1;
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGPIPE, SIG_IGN);
	curl_global_init(CURL_GLOBAL_DEFAULT);

	struct vs_informer inf[INF_N];
	struct vs_watcher wr;
	struct vs_reconciler rec;
	if (vs_watcher_init(&wr, &api) < 0) {
		fprintf(stderr, "vsw-agent: curl_multi_init failed\n");
		return 1;
	}
	wr.watch_timeout_s = o.watch_timeout_s;
	for (int i = 0; i < INF_N; i++) {
		vs_informer_init(&inf[i], resources[i].name, resources[i].path);
		vs_watcher_add(&wr, &inf[i]);
	}
	inf[INF_POD].selector = node_selector(o.node);
	vs_reconciler_init(&rec, o.socket, o.fail_open);
	rec.on_refused = refused_event;
	rec.ctx = json_array();
	fprintf(stderr, "vsw-agent: node %s, API %s, vswd %s, fail %s\n", o.node, api.server,
		o.socket, o.fail_open ? "open" : "closed");

	/* due: when to reconcile next (0: nothing pending); 1 s after a failed attempt. */
	int64_t due = 0, resync_at = 0;
	uint64_t seen_recoveries = 0, recoveries;
	bool was_synced = false;
	while (!stopping) {
		int64_t now = vs_mono_ms();
		int wait = 1000;
		if (due != 0)
			wait = due > now ? (int)(due - now) : 0;
		vs_watcher_run(&wr, wait);
		now = vs_mono_ms();
		unsigned changes = vs_watcher_take_changes(&wr, &recoveries);
		if (!vs_watcher_synced(&wr))
			continue;
		if (!was_synced)
			fprintf(stderr, "vsw-agent: every resource listed; reconciling\n");
		if ((changes != 0 || recoveries != seen_recoveries || !was_synced) && due == 0)
			due = now + o.settle_ms;
		was_synced = true;
		seen_recoveries = recoveries;
		if (resync_at != 0 && now >= resync_at && due == 0)
			due = now;
		if (due == 0 || now < due)
			continue;
		bool resync = resync_at != 0 && now >= resync_at;
		int rc = reconcile_now(&rec, inf, resync, &api, o.node);
		due = rc < 0 ? now + 1000 : 0;
		resync_at = now + (int64_t)o.resync_s * 1000;
	}
	fprintf(stderr, "vsw-agent: stopping: %llu reconciles, %llu commands, %llu policies "
		"refused, %llu failed closed\n", (unsigned long long)rec.runs,
		(unsigned long long)rec.commands, (unsigned long long)rec.refused,
		(unsigned long long)rec.failed_closed);
	json_decref(rec.ctx);
	vs_reconciler_free(&rec);
	vs_watcher_free(&wr);
	for (int i = 0; i < INF_N; i++)
		vs_informer_free(&inf[i]);
	vs_kube_api_free(&api);
	curl_global_cleanup();
	return 0;
}
