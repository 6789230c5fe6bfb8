/* SPDX-License-Identifier: BSD-3-Clause */
#include "reconcile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../client/conn.h"

#define CMD_TIMEOUT_MS 30000	/* one command; a big policy compile takes well under 1 s */

void vs_reconciler_init(struct vs_reconciler *r, const char *socket, bool fail_open)
{
	memset(r, 0, sizeof(*r));
	r->socket = socket;
	r->fail_open = fail_open;
	r->applied = json_object();
}

void vs_reconciler_free(struct vs_reconciler *r)
{
	json_decref(r->applied);
	json_decref(r->inputs);
	r->applied = r->inputs = NULL;
}

/* One command. Returns 1 done, 0 refused by vswd (error logged), -1 vswd unreachable. */
static int run(struct vs_reconciler *r, struct vs_conn *c, const char *cmd, json_t *args,
	       json_t **result)
{
	json_t *reply = NULL;
	if (c->fd < 0) {	/* the session failed: the rest waits for the next attempt */
		json_decref(args);
		return -1;
	}
	c->deadline_ms = vs_now_ms() + CMD_TIMEOUT_MS;
	int rc = vs_conn_exchange(c, cmd, args, &reply);
	json_decref(args);
	if (rc < 0) {
		/* A late reply would be read as the next command's: never reuse the session. */
		fprintf(stderr, "vsw-agent: %s: %s\n", cmd, c->err);
		vs_conn_close(c);
		return -1;
	}
	r->commands++;
	if (!json_is_true(json_object_get(reply, "ok"))) {
		vs_conn_format_error(cmd, json_object_get(reply, "error"), r->last_error,
				     sizeof(r->last_error));
		fprintf(stderr, "vsw-agent: %s\n", r->last_error);
		json_decref(reply);
		return 0;
	}
	if (result != NULL)
		*result = json_incref(json_object_get(reply, "result"));
	json_decref(reply);
	return 1;
}

static json_t *list(struct vs_reconciler *r, struct vs_conn *c, const char *cmd,
		    const char *field)
{
	json_t *res = NULL;
	if (run(r, c, cmd, json_object(), &res) <= 0)
		return NULL;
	json_t *a = json_incref(json_object_get(res, field));
	json_decref(res);
	return json_is_array(a) ? a : (json_decref(a), NULL);
}

/* The element of a vswd list whose `field` is `value`. */
static json_t *find(const json_t *a, const char *field, const char *value)
{
	size_t i;
	json_t *e;
	json_array_foreach(a, i, e) {
		const char *v = json_string_value(json_object_get(e, field));
		if (v != NULL && strcmp(v, value) == 0)
			return e;
	}
	return NULL;
}

/* Networks are added or moved before the policies that name them, and deleted after the
 * policies that named them (vswd refuses to delete a network in use). */
static int networks(struct vs_reconciler *r, struct vs_conn *c, const struct vs_desired *d,
		    bool deleting)
{
	json_t *have = list(r, c, "network.list", "networks");
	size_t i;
	json_t *n, *vlan;
	const char *name;
	int rc = have != NULL ? 0 : -1;
	if (deleting) {
		json_array_foreach(have, i, n) {	/* gone from the cluster */
			name = json_string_value(json_object_get(n, "name"));
			if (name == NULL || strchr(name, '/') == NULL ||
			    json_object_get(d->networks, name))
				continue;
			if (run(r, c, "network.del", json_pack("{s:s}", "name", name), NULL) < 0)
				rc = -1;
		}
	} else {
		json_object_foreach(d->networks, name, vlan) {
			n = find(have, "name", name);
			if (n != NULL && json_equal(json_object_get(n, "vlan"), vlan))
				continue;
			/* network.set moves it and recompiles its policies in one change */
			if (run(r, c, n != NULL ? "network.set" : "network.add",
				json_pack("{s:s, s:O}", "name", name, "vlan", vlan), NULL) < 0)
				rc = -1;
		}
	}
	json_decref(have);
	return rc;
}

static int namespaces(struct vs_reconciler *r, struct vs_conn *c, const struct vs_desired *d)
{
	json_t *have = list(r, c, "namespace.list", "namespaces");
	size_t i;
	json_t *n, *labels;
	const char *name;
	int rc = have != NULL ? 0 : -1;
	json_array_foreach(have, i, n) {
		name = json_string_value(json_object_get(n, "name"));
		if (name != NULL && json_object_get(d->namespaces, name) == NULL &&
		    run(r, c, "namespace.del", json_pack("{s:s}", "name", name), NULL) < 0)
			rc = -1;
	}
	json_object_foreach(d->namespaces, name, labels) {
		n = find(have, "name", name);
		json_t *cur = json_deep_copy(json_object_get(n, "labels"));
		json_object_del(cur, "kubernetes.io/metadata.name");
		if ((n == NULL || !json_equal(cur, labels)) &&
		    run(r, c, "namespace.set", json_pack("{s:s, s:O}", "name", name, "labels", labels),
			NULL) < 0)
			rc = -1;
		json_decref(cur);
	}
	json_decref(have);
	return rc;
}

/* A pod's network-status is the pod's to write: it may name only a port vsw-cni made for
 * its own namespace, never put its labels on another tenant's port. */
static bool same_namespace(const json_t *port, const json_t *want)
{
	const char *ns = json_string_value(json_object_get(port, "namespace"));
	const char *pod = json_string_value(json_object_get(want, "pod"));
	size_t n = ns != NULL ? strlen(ns) : 0;
	return n > 0 && pod != NULL && strncmp(pod, ns, n) == 0 && pod[n] == '/';
}

/* Ports are vsw-cni's; the agent only keeps their labels those of their pods. */
static int port_labels(struct vs_reconciler *r, struct vs_conn *c, const struct vs_desired *d)
{
	json_t *have = list(r, c, "port.list", "ports");
	size_t i;
	json_t *p;
	int rc = have != NULL ? 0 : -1;
	json_array_foreach(have, i, p) {
		const char *sock = json_string_value(json_object_get(p, "socket"));
		const char *name = json_string_value(json_object_get(p, "name"));
		json_t *want = sock != NULL ? json_object_get(d->ports, sock) : NULL;
		json_t *labels = json_object_get(want, "labels");
		json_t *cur = json_object_get(p, "labels");
		if (want == NULL || name == NULL || !same_namespace(p, want) ||
		    (cur != NULL ? json_equal(cur, labels) : json_object_size(labels) == 0))
			continue;
		if (run(r, c, "port.set", json_pack("{s:s, s:O}", "name", name, "labels", labels),
			NULL) < 0)
			rc = -1;
	}
	json_decref(have);
	return rc;
}

json_t *vs_fail_closed_policy(const json_t *pol, bool wide)
{
	const json_t *spec = json_object_get(pol, "spec");
	const json_t *types = json_object_get(spec, "policyTypes");
	json_t *t = json_array();
	size_t i;
	const json_t *v;
	/* The directions it declares; without policyTypes, as Kubernetes defaults them. */
	json_array_foreach(types, i, v)
		if (json_is_string(v) && (strcmp(json_string_value(v), "Ingress") == 0 ||
					  strcmp(json_string_value(v), "Egress") == 0))
			json_array_append(t, (json_t *)v);
	if (json_array_size(t) == 0) {
		json_array_append_new(t, json_string("Ingress"));
		if (json_object_get(spec, "egress") != NULL || types != NULL)
			json_array_append_new(t, json_string("Egress"));
	}
	const json_t *sel = json_object_get(spec, "podSelector");
	return json_pack("{s:s, s:s, s:O, s:{s:o, s:o}}", "apiVersion", "k8s.cni.cncf.io/v1beta1",
			 "kind", "MultiNetworkPolicy", "metadata", json_object_get(pol, "metadata"),
			 "spec", "podSelector",
			 wide || !json_is_object(sel) ? json_object() : json_deep_copy(sel),
			 "policyTypes", t);
}

/* A refused MultiNetworkPolicy gives way to its fail-closed stand-in: first with its own
 * podSelector, and if even that is refused (the selector was the problem), every pod of its
 * namespace on its networks. Returns 1 if a stand-in holds, 0 if none, -1 vswd unreachable. */
static int fail_closed(struct vs_reconciler *r, struct vs_conn *c, const char *key,
		       const json_t *pol)
{
	const char *kind = json_string_value(json_object_get(pol, "kind"));
	if (r->fail_open || kind == NULL || strcmp(kind, "MultiNetworkPolicy") != 0) {
		fprintf(stderr, "vsw-agent: %s: refused, not enforced%s\n", key,
			r->fail_open ? " (--fail-open)" : " (fail-closed covers MultiNetworkPolicy)");
		return 0;
	}
	for (int wide = 0; wide < 2; wide++) {
		int rc = run(r, c, "policy.apply",
			     json_pack("{s:o}", "policy", vs_fail_closed_policy(pol, wide)), NULL);
		if (rc != 0) {
			if (rc > 0) {
				r->failed_closed++;
				fprintf(stderr, "vsw-agent: %s: refused; its %s are isolated in "
					"its directions until it is fixed\n", key,
					wide ? "namespace's pods" : "pods");
			}
			return rc;
		}
	}
	fprintf(stderr, "vsw-agent: %s: refused, and so was its fail-closed stand-in\n", key);
	return 0;
}

/* The "Kind/ns/name" of an entry of vswd's policy list, or NULL. */
static const char *entry_key(const json_t *p, char *k, size_t len)
{
	const char *kind = json_string_value(json_object_get(p, "kind"));
	const char *name = json_string_value(json_object_get(p, "name"));
	if (kind == NULL || name == NULL)
		return NULL;
	return vs_policy_key(kind, json_string_value(json_object_get(p, "namespace")), name, k, len);
}

/* The keys of vswd's policy list, as a set: one pass, not one per policy. */
static json_t *listed_keys(const json_t *have)
{
	json_t *set = json_object();
	size_t i;
	const json_t *p;
	char k[700];
	json_array_foreach(have, i, p)
		if (entry_key(p, k, sizeof(k)) != NULL)
			json_object_set_new(set, k, json_true());
	return set;
}

static void record(struct vs_reconciler *r, const char *key, json_t *pol, bool refused,
		   bool closed)
{
	json_object_set_new(r->applied, key, json_pack("{s:O, s:b, s:b}", "sent", pol, "refused",
						       refused, "closed", closed));
}

/* Many policies to send (a start, a relist): one List first, one compile instead of one per
 * object. vswd applies a List whole or not at all, so if it is refused nothing changed and
 * the objects go one at a time, each refusal on its own. Returns 1 all applied, 0 go one at
 * a time, -1 vswd unreachable. */
static int apply_batch(struct vs_reconciler *r, struct vs_conn *c, json_t *todo)
{
	if (json_object_size(todo) < 2)
		return 0;
	json_t *items = json_array();
	const char *key;
	json_t *pol;
	json_object_foreach(todo, key, pol)
		json_array_append(items, pol);
	int ok = run(r, c, "policy.apply", json_pack("{s:{s:s, s:s, s:o}}", "policy", "apiVersion",
						     "v1", "kind", "List", "items", items), NULL);
	if (ok > 0)
		json_object_foreach(todo, key, pol)
			record(r, key, pol, false, false);
	else if (ok == 0)
		fprintf(stderr, "vsw-agent: %zu policies refused as one List; applying them one "
			"at a time\n", json_object_size(todo));
	return ok;
}

/* One object at a time: a refused one fails closed and does not hold up the others. */
static int apply_each(struct vs_reconciler *r, struct vs_conn *c, json_t *todo)
{
	const char *key;
	json_t *pol;
	int rc = 0;
	json_object_foreach(todo, key, pol) {
		int ok = run(r, c, "policy.apply", json_pack("{s:O}", "policy", pol), NULL);
		if (ok < 0) {
			rc = -1;
			continue;
		}
		int closed = 0;
		if (ok == 0) {
			char why[sizeof(r->last_error)];
			snprintf(why, sizeof(why), "%s", r->last_error);
			r->refused++;
			if ((closed = fail_closed(r, c, key, pol)) < 0) {
				rc = -1;	/* nothing recorded: the next attempt closes it */
				continue;
			}
			if (r->on_refused != NULL)
				r->on_refused(r->ctx, pol, why, closed > 0);
		}
		record(r, key, pol, ok == 0, closed > 0);
	}
	return rc;
}

static int policies(struct vs_reconciler *r, struct vs_conn *c, const struct vs_desired *d)
{
	json_t *have = list(r, c, "policy.list", "policies");
	size_t i;
	json_t *p, *pol;
	const char *key;
	int rc = have != NULL ? 0 : -1;
	char k[700];
	json_array_foreach(have, i, p) {	/* deleted in the cluster */
		if (entry_key(p, k, sizeof(k)) == NULL || json_object_get(d->policies, k) != NULL)
			continue;
		const char *ns = json_string_value(json_object_get(p, "namespace"));
		json_t *args = json_pack("{s:O, s:O}", "name", json_object_get(p, "name"), "kind",
					 json_object_get(p, "kind"));
		if (ns != NULL)
			json_object_set_new(args, "namespace", json_string(ns));
		if (run(r, c, "policy.delete", args, NULL) < 0)
			rc = -1;
		json_object_del(r->applied, k);
	}
	json_t *todo = json_object(), *in_vswd = listed_keys(have);
	json_object_foreach(d->policies, key, pol) {
		json_t *done = json_object_get(r->applied, key);
		/* Sent as it is now, and vswd still has it or its stand-in (or refused it, and
		 * there is no stand-in to keep): nothing to do. */
		if (done != NULL && json_equal(json_object_get(done, "sent"), pol) &&
		    (json_object_get(in_vswd, key) != NULL || (json_is_true(json_object_get(done, "refused")) &&
					    !json_is_true(json_object_get(done, "closed")))))
			continue;
		json_object_set(todo, key, pol);
	}
	int batch = apply_batch(r, c, todo);
	if (batch < 0)
		rc = -1;
	if (batch == 0 && apply_each(r, c, todo) < 0)
		rc = -1;
	json_decref(todo);
	json_decref(in_vswd);
	/* Forget what the cluster no longer has: re-created later, it is sent again. */
	void *tmp;
	json_object_foreach_safe(r->applied, tmp, key, pol)
		if (json_object_get(d->policies, key) == NULL)
			json_object_del(r->applied, key);
	json_decref(have);
	return rc;
}

/* A refused policy is tried again when what it may have lacked changes (a network, a
 * namespace: a policy can arrive before its NAD) and at every resync. */
static void retry_refused(struct vs_reconciler *r, const struct vs_desired *d, bool resync)
{
	json_t *inputs = json_pack("{s:O, s:O}", "networks", d->networks, "namespaces",
				   d->namespaces);
	if (resync || !json_equal(inputs, r->inputs)) {
		const char *key;
		json_t *a;
		void *tmp;
		json_object_foreach_safe(r->applied, tmp, key, a)
			if (json_is_true(json_object_get(a, "refused")))
				json_object_del(r->applied, key);
	}
	json_decref(r->inputs);
	r->inputs = inputs;
}

int vs_reconcile(struct vs_reconciler *r, const struct vs_desired *d, bool resync)
{
	struct vs_conn c = { .prog = NULL, .path = r->socket, .fd = -1, .timeout_s = 10 };
	if (vs_conn_start(&c, false) < 0) {
		fprintf(stderr, "vsw-agent: %s\n", c.err);
		return -1;
	}
	r->runs++;
	retry_refused(r, d, resync);
	/* Networks and namespaces first: policies name them; networks deleted last. */
	int rc = networks(r, &c, d, false);
	rc |= namespaces(r, &c, d);
	rc |= port_labels(r, &c, d);
	rc |= policies(r, &c, d);
	rc |= networks(r, &c, d, true);
	vs_conn_close(&c);
	return rc < 0 ? -1 : 0;
}
