/* SPDX-License-Identifier: BSD-3-Clause */
#include "informer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void vs_informer_init(struct vs_informer *inf, const char *name, const char *path)
{
	memset(inf, 0, sizeof(*inf));
	inf->name = name;
	inf->path = path;
	inf->objects = json_object();
}

void vs_informer_free(struct vs_informer *inf)
{
	json_decref(inf->objects);
	free(inf->selector);
	inf->objects = NULL;
	inf->selector = NULL;
}

const char *vs_object_key(const json_t *obj, char *buf, size_t len)
{
	const json_t *md = json_object_get(obj, "metadata");
	const char *name = json_string_value(json_object_get(md, "name"));
	const char *ns = json_string_value(json_object_get(md, "namespace"));
	if (name == NULL || *name == '\0')
		return NULL;
	int n = ns != NULL && *ns ? snprintf(buf, len, "%s/%s", ns, name)
				  : snprintf(buf, len, "%s", name);
	return n > 0 && (size_t)n < len ? buf : NULL;
}

static const char *object_rv(const json_t *obj)
{
	return json_string_value(json_object_get(json_object_get(obj, "metadata"),
						 "resourceVersion"));
}

static bool set_rv(struct vs_informer *inf, const char *rv)
{
	if (rv == NULL || *rv == '\0' || strlen(rv) >= sizeof(inf->rv))
		return false;
	strcpy(inf->rv, rv);
	return true;
}

int vs_informer_list(struct vs_informer *inf, const char *body, size_t len, char *err,
		     size_t errlen)
{
	json_error_t je;
	json_t *doc = json_loadb(body, len, 0, &je);
	json_t *items = json_object_get(doc, "items");
	const char *rv = json_string_value(json_object_get(json_object_get(doc, "metadata"),
							   "resourceVersion"));
	if (!json_is_array(items) || rv == NULL || *rv == '\0' || strlen(rv) >= sizeof(inf->rv)) {
		snprintf(err, errlen, "%s: the list is not a Kubernetes List (%s)", inf->name,
			 doc == NULL ? je.text : "no items or metadata.resourceVersion");
		json_decref(doc);
		return -1;
	}
	json_t *objects = json_object();
	size_t i;
	json_t *item;
	char key[512], kind[128];
	/* A List's items of built-in kinds carry no kind or apiVersion: the List's say them. */
	const char *lk = json_string_value(json_object_get(doc, "kind"));
	const json_t *api = json_object_get(doc, "apiVersion");
	size_t kl = lk != NULL ? strlen(lk) : 0;
	bool named = kl > 4 && kl - 4 < sizeof(kind) && strcmp(lk + kl - 4, "List") == 0;
	if (named)
		snprintf(kind, sizeof(kind), "%.*s", (int)(kl - 4), lk);
	json_array_foreach(items, i, item) {
		if (vs_object_key(item, key, sizeof(key)) == NULL || !json_is_object(item))
			continue;
		if (named && json_object_get(item, "kind") == NULL)
			json_object_set_new(item, "kind", json_string(kind));
		if (api != NULL && json_object_get(item, "apiVersion") == NULL)
			json_object_set(item, "apiVersion", (json_t *)api);
		json_object_set(objects, key, item);
	}
	json_decref(inf->objects);
	inf->objects = objects;
	set_rv(inf, rv);
	inf->synced = true;
	inf->lists++;
	json_decref(doc);
	return 0;
}

/* An ERROR event carries a Status; 410 (Expired or Gone) means list again. */
static enum vs_informer_ev error_event(struct vs_informer *inf, const json_t *obj, char *err,
				       size_t errlen)
{
	json_int_t code = json_integer_value(json_object_get(obj, "code"));
	const char *msg = json_string_value(json_object_get(obj, "message"));
	snprintf(err, errlen, "%s: watch error %lld: %s", inf->name, (long long)code,
		 msg != NULL ? msg : "(no message)");
	if (code == 410) {
		inf->expired++;
		return VS_INF_EXPIRED;
	}
	return VS_INF_ERROR;
}

enum vs_informer_ev vs_informer_event(struct vs_informer *inf, const char *line, size_t len,
				      char *err, size_t errlen)
{
	json_error_t je;
	json_t *ev = json_loadb(line, len, 0, &je);
	const char *type = json_string_value(json_object_get(ev, "type"));
	json_t *obj = json_object_get(ev, "object");
	enum vs_informer_ev r = VS_INF_BAD;
	char key[512];
	if (type == NULL || !json_is_object(obj)) {
		snprintf(err, errlen, "%s: not a watch event (%s)", inf->name,
			 ev == NULL ? je.text : "no type or object");
		goto out;
	}
	if (strcmp(type, "ERROR") == 0) {
		r = error_event(inf, obj, err, errlen);
		goto out;
	}
	const char *rv = object_rv(obj);
	if (!set_rv(inf, rv)) {
		snprintf(err, errlen, "%s: %s event without a resourceVersion", inf->name, type);
		goto out;
	}
	if (strcmp(type, "BOOKMARK") == 0) {
		inf->bookmarks++;
		r = VS_INF_QUIET;
		goto out;
	}
	if (vs_object_key(obj, key, sizeof(key)) == NULL) {
		snprintf(err, errlen, "%s: %s event for an object without a name", inf->name, type);
		goto out;
	}
	inf->events++;
	if (strcmp(type, "ADDED") == 0 || strcmp(type, "MODIFIED") == 0) {
		json_object_set(inf->objects, key, obj);
		r = VS_INF_CHANGED;
	} else if (strcmp(type, "DELETED") == 0) {
		r = json_object_del(inf->objects, key) == 0 ? VS_INF_CHANGED : VS_INF_QUIET;
	} else {
		snprintf(err, errlen, "%s: unknown event type '%s'", inf->name, type);
	}
out:
	json_decref(ev);
	return r;
}
