/* SPDX-License-Identifier: BSD-3-Clause */
#include "events.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "kube_http.h"

json_t *vs_kube_event(const json_t *obj, const char *reason, const char *message,
		      const char *node)
{
	const json_t *md = json_object_get(obj, "metadata");
	const char *name = json_string_value(json_object_get(md, "name"));
	const char *ns = json_string_value(json_object_get(md, "namespace"));
	char now[32], gen[300];
	time_t t = time(NULL);
	struct tm tm;
	strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
	snprintf(gen, sizeof(gen), "%.250s.", name != NULL ? name : "object");
	json_t *involved = json_pack("{s:O, s:O, s:O}", "apiVersion",
				     json_object_get(obj, "apiVersion"), "kind",
				     json_object_get(obj, "kind"), "name", json_object_get(md, "name"));
	if (ns != NULL)
		json_object_set_new(involved, "namespace", json_string(ns));
	return json_pack("{s:s, s:s, s:{s:s, s:s}, s:o, s:s, s:s, s:s, s:{s:s, s:s}, s:s, s:s, "
			 "s:s, s:s, s:i}",
			 "apiVersion", "v1", "kind", "Event", "metadata", "generateName", gen,
			 "namespace", ns != NULL ? ns : "default", "involvedObject", involved,
			 "reason", reason, "message", message, "type", "Warning", "source",
			 "component", "vsw-agent", "host", node, "reportingComponent", "vsw-agent",
			 "reportingInstance", node, "firstTimestamp", now, "lastTimestamp", now,
			 "count", 1);
}

static size_t discard(char *p, size_t size, size_t nmemb, void *arg)
{
	(void)p, (void)arg;
	return size * nmemb;
}

int vs_kube_event_post(const struct vs_kube_api *api, const json_t *obj, const char *reason,
		       const char *message, const char *node)
{
	json_t *ev = vs_kube_event(obj, reason, message, node);
	char url[1024], err[512];
	if (ev == NULL) {
		fprintf(stderr, "vsw-agent: Event not posted: the object has no kind or name\n");
		return -1;
	}
	const char *ns = json_string_value(json_object_get(json_object_get(ev, "metadata"),
							   "namespace"));
	int n = snprintf(url, sizeof(url), "%s/api/v1/namespaces/%s/events", api->server, ns);
	char *body = json_dumps(ev, JSON_COMPACT);
	struct curl_slist *hdrs = NULL;
	CURL *h = NULL;
	long code = 0;
	int rc = -1;
	json_decref(ev);
	if (n < 0 || (size_t)n >= sizeof(url) || body == NULL)
		snprintf(err, sizeof(err), "too long");
	else if ((h = vs_kube_easy(api, url, "application/json", &hdrs, err, sizeof(err))) != NULL) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
		curl_easy_setopt(h, CURLOPT_TIMEOUT, 5L);
		CURLcode res = curl_easy_perform(h);
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
		rc = res == CURLE_OK && code >= 200 && code < 300 ? 0 : -1;
		snprintf(err, sizeof(err), "%s (HTTP %ld)", curl_easy_strerror(res), code);
	}
	if (rc < 0)
		fprintf(stderr, "vsw-agent: Event for %s not posted: %s\n", url, err);
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(h);
	free(body);
	return rc;
}
