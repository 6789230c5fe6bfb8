/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: what vsw-agent reads from the Kubernetes API (control/agent/informer.c,
 * desired.c): a list body, then watch-stream lines, then the desired state derived from the
 * objects they left (NAD configs, network-status annotations, labels, policies). Besides "no
 * crash, no leak, no UB" it checks: every cached object is stored under its own
 * namespace/name; a list that is accepted leaves a resourceVersion; the desired state's
 * networks are VLANs 1-4094 named namespace/name and its ports are keyed by socket path.
 *
 * The input up to the first newline is the list body; each further line is a watch event.
 */
#include <stdlib.h>
#include <string.h>

#include "control/agent/desired.h"
#include "control/agent/informer.h"

#define CHECK(c)                                                                             \
	do {                                                                                 \
		if (!(c))                                                                    \
			abort();                                                             \
	} while (0)

static void check_cache(const struct vs_informer *inf)
{
	const char *key;
	json_t *o;
	char buf[512];
	json_object_foreach(inf->objects, key, o) {
		const char *k = vs_object_key(o, buf, sizeof(buf));
		CHECK(k != NULL && strcmp(k, key) == 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	const char *nl = memchr(p, '\n', size);
	struct vs_informer inf;
	char err[512];
	vs_informer_init(&inf, "fuzz", "/api/v1/pods");
	if (vs_informer_list(&inf, p, nl ? (size_t)(nl - p) : size, err, sizeof(err)) == 0)
		CHECK(inf.rv[0] != '\0' && inf.synced);
	else
		CHECK(err[0] != '\0' && json_object_size(inf.objects) == 0);
	check_cache(&inf);
	while (nl != NULL && nl + 1 < end) {
		p = nl + 1;
		nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		err[0] = '\0';
		enum vs_informer_ev ev = vs_informer_event(&inf, p, n, err, sizeof(err));
		CHECK(ev == VS_INF_CHANGED || ev == VS_INF_QUIET || err[0] != '\0');
		check_cache(&inf);
	}
	/* The same objects as every input of the desired state. */
	struct vs_desired d;
	const json_t *maps[] = { inf.objects };
	vs_desired_build(&d, inf.objects, inf.objects, inf.objects, maps, 1, "n1");
	const char *key;
	json_t *v;
	json_object_foreach(d.networks, key, v) {
		CHECK(strchr(key, '/') != NULL);
		CHECK(json_integer_value(v) >= 1 && json_integer_value(v) <= 4094);
	}
	json_object_foreach(d.ports, key, v)
		CHECK(json_is_object(json_object_get(v, "labels")));
	json_object_foreach(d.policies, key, v)
		CHECK(json_is_object(json_object_get(v, "spec")));
	vs_desired_free(&d);
	vs_informer_free(&inf);
	return 0;
}
