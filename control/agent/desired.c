/* SPDX-License-Identifier: BSD-3-Clause */
#include "desired.h"

#include <stdio.h>
#include <string.h>

#include "informer.h"

#define NETWORK_STATUS "k8s.v1.cni.cncf.io/network-status"
#define POLICY_FOR "k8s.v1.cni.cncf.io/policy-for"
#define IMPLICIT_NS_LABEL "kubernetes.io/metadata.name"	/* vswd adds it itself */

static int plugin_vlan(const json_t *p)
{
	const char *type = json_string_value(json_object_get(p, "type"));
	const json_t *vlan = json_object_get(p, "vlan");
	if (type == NULL || strcmp(type, "vsw") != 0 || !json_is_integer(vlan))
		return -1;
	json_int_t v = json_integer_value(vlan);
	return v >= 1 && v <= 4094 ? (int)v : -1;
}

int vs_nad_vlan(const json_t *nad)
{
	const char *cfg = json_string_value(json_object_get(json_object_get(nad, "spec"), "config"));
	if (cfg == NULL)
		return -1;
	json_t *c = json_loads(cfg, 0, NULL);
	int vlan = plugin_vlan(c);
	size_t i;
	const json_t *p;
	json_array_foreach(json_object_get(c, "plugins"), i, p)
		if (vlan < 0)
			vlan = plugin_vlan(p);
	json_decref(c);
	return vlan;
}

const char *vs_policy_key(const char *kind, const char *ns, const char *name, char *buf,
			  size_t len)
{
	int n = snprintf(buf, len, "%s/%s/%s", kind, ns != NULL ? ns : "", name);
	return n > 0 && (size_t)n < len ? buf : NULL;
}

static json_t *labels_of(const json_t *obj)
{
	json_t *l = json_deep_copy(json_object_get(json_object_get(obj, "metadata"), "labels"));
	if (!json_is_object(l)) {
		json_decref(l);
		l = json_object();
	}
	return l;
}

/* The vhost-user sockets a pod's network-status names. */
static void pod_ports(struct vs_desired *d, const char *key, const json_t *pod)
{
	const json_t *md = json_object_get(pod, "metadata");
	const char *st = json_string_value(
		json_object_get(json_object_get(md, "annotations"), NETWORK_STATUS));
	json_t *nets = st != NULL ? json_loads(st, 0, NULL) : NULL;
	size_t i;
	const json_t *n;
	json_array_foreach(nets, i, n) {
		const json_t *di = json_object_get(n, "device-info");
		const char *type = json_string_value(json_object_get(di, "type"));
		const char *path = json_string_value(
			json_object_get(json_object_get(di, "vhost-user"), "path"));
		if (type != NULL && strcmp(type, "vhost-user") == 0 && path != NULL)
			json_object_set_new(d->ports, path, json_pack("{s:s, s:o}", "pod", key,
								      "labels", labels_of(pod)));
	}
	json_decref(nets);
}

static bool pod_is_live(const json_t *pod, const char *node)
{
	const char *on = json_string_value(json_object_get(json_object_get(pod, "spec"), "nodeName"));
	const char *phase = json_string_value(
		json_object_get(json_object_get(pod, "status"), "phase"));
	if (on == NULL || strcmp(on, node) != 0)
		return false;
	return phase == NULL || (strcmp(phase, "Succeeded") != 0 && strcmp(phase, "Failed") != 0);
}

/* The object as vswd takes it: kind, identity, the policy-for annotation and spec. The rest
 * (managedFields, status, other annotations) means nothing to the switch and would only make
 * every status update look like a policy change. */
static json_t *policy_object(const json_t *obj)
{
	const json_t *md = json_object_get(obj, "metadata");
	json_t *m = json_pack("{s:O}", "name", json_object_get(md, "name"));
	const json_t *ns = json_object_get(md, "namespace");
	const json_t *pf = json_object_get(json_object_get(md, "annotations"), POLICY_FOR);
	if (ns != NULL)
		json_object_set(m, "namespace", (json_t *)ns);
	if (pf != NULL)
		json_object_set_new(m, "annotations", json_pack("{s:O}", POLICY_FOR, pf));
	return json_pack("{s:O, s:O, s:o, s:O}", "apiVersion", json_object_get(obj, "apiVersion"),
			 "kind", json_object_get(obj, "kind"), "metadata", m, "spec",
			 json_object_get(obj, "spec"));
}

void vs_desired_build(struct vs_desired *d, const json_t *nads, const json_t *namespaces,
		      const json_t *pods, const json_t *const policy_maps[], unsigned n_maps,
		      const char *node)
{
	const char *key;
	json_t *o;
	d->networks = json_object();
	d->namespaces = json_object();
	d->ports = json_object();
	d->policies = json_object();
	json_object_foreach((json_t *)nads, key, o) {
		int vlan = vs_nad_vlan(o);
		if (vlan > 0 && strchr(key, '/') != NULL)
			json_object_set_new(d->networks, key, json_integer(vlan));
	}
	json_object_foreach((json_t *)namespaces, key, o) {
		json_t *l = labels_of(o);
		json_object_del(l, IMPLICIT_NS_LABEL);
		json_object_set_new(d->namespaces, key, l);
	}
	json_object_foreach((json_t *)pods, key, o)
		if (pod_is_live(o, node))
			pod_ports(d, key, o);
	for (unsigned m = 0; m < n_maps; m++)
		json_object_foreach((json_t *)policy_maps[m], key, o) {
			const json_t *md = json_object_get(o, "metadata");
			const char *kind = json_string_value(json_object_get(o, "kind"));
			const char *name = json_string_value(json_object_get(md, "name"));
			char pk[700];
			if (kind == NULL || name == NULL || !json_is_object(json_object_get(o, "spec")) ||
			    vs_policy_key(kind, json_string_value(json_object_get(md, "namespace")),
					  name, pk, sizeof(pk)) == NULL)
				continue;
			json_object_set_new(d->policies, pk, policy_object(o));
		}
}

void vs_desired_free(struct vs_desired *d)
{
	json_decref(d->networks);
	json_decref(d->namespaces);
	json_decref(d->ports);
	json_decref(d->policies);
	memset(d, 0, sizeof(*d));
}
