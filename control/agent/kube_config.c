/* SPDX-License-Identifier: BSD-3-Clause */
#include "kube_config.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SA_DIR "/var/run/secrets/kubernetes.io/serviceaccount"

static int copy(char *dst, size_t len, const char *src, const char *what, char *err,
		size_t errlen)
{
	if (src == NULL || strlen(src) >= len) {
		snprintf(err, errlen, "%s: %s", what, src == NULL ? "missing" : "too long");
		return -1;
	}
	strcpy(dst, src);
	return 0;
}

static int read_file(const char *path, char *buf, size_t len, char *err, size_t errlen)
{
	FILE *f = fopen(path, "re");
	if (f == NULL) {
		snprintf(err, errlen, "%s: cannot open", path);
		return -1;
	}
	size_t n = fread(buf, 1, len - 1, f);
	bool more = fgetc(f) != EOF;
	fclose(f);
	if (more) {
		snprintf(err, errlen, "%s: longer than %zu bytes", path, len - 1);
		return -1;
	}
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' '))
		n--;
	buf[n] = '\0';
	return 0;
}

int vs_kube_token(const struct vs_kube_api *a, char *buf, size_t len, char *err, size_t errlen)
{
	if (a->token_file[0] != '\0')
		return read_file(a->token_file, buf, len, err, errlen);
	return copy(buf, len, a->token, "token", err, errlen);
}

int vs_kube_incluster(struct vs_kube_api *a, const char *sa_dir, char *err, size_t errlen)
{
	memset(a, 0, sizeof(*a));
	const char *host = getenv("KUBERNETES_SERVICE_HOST");
	const char *port = getenv("KUBERNETES_SERVICE_PORT");
	if (host == NULL || port == NULL) {
		snprintf(err, errlen, "not in a cluster: KUBERNETES_SERVICE_HOST/PORT are not set "
			 "(give --kubeconfig)");
		return -1;
	}
	const char *dir = sa_dir != NULL ? sa_dir : SA_DIR;
	bool v6 = strchr(host, ':') != NULL;
	int n = snprintf(a->server, sizeof(a->server), "https://%s%s%s:%s", v6 ? "[" : "", host,
			 v6 ? "]" : "", port);
	if (n < 0 || (size_t)n >= sizeof(a->server) ||
	    snprintf(a->token_file, sizeof(a->token_file), "%s/token", dir) >=
		    (int)sizeof(a->token_file) ||
	    snprintf(a->ca_file, sizeof(a->ca_file), "%s/ca.crt", dir) >= (int)sizeof(a->ca_file)) {
		snprintf(err, errlen, "in-cluster paths too long");
		return -1;
	}
	return 0;
}

/* kubeconfig's lists are [{"name": N, "<kind>": {...}}]. */
static const json_t *named(const json_t *doc, const char *list, const char *kind,
			   const char *name)
{
	size_t i;
	const json_t *e;
	json_array_foreach(json_object_get(doc, list), i, e) {
		const char *n = json_string_value(json_object_get(e, "name"));
		if (n != NULL && name != NULL && strcmp(n, name) == 0)
			return json_object_get(e, kind);
	}
	return NULL;
}

/* Written by hand: neither Jansson nor libcurl exports a base64 decoder, and this is the only
 * one vsw needs (certificate-authority-data). Whitespace is skipped; anything else refused. */
static char *base64_decode(const char *s, size_t *out_len)
{
	size_t n = strlen(s), o = 0;
	char *out = malloc(n / 4 * 3 + 4);
	unsigned acc = 0, bits = 0;
	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		int v = c >= 'A' && c <= 'Z' ? c - 'A' : c >= 'a' && c <= 'z' ? c - 'a' + 26
			: c >= '0' && c <= '9' ? c - '0' + 52 : c == '+' ? 62 : c == '/' ? 63 : -1;
		if (c == '=' || c == '\n' || c == '\r' || c == ' ')
			continue;
		if (v < 0) {
			free(out);
			return NULL;
		}
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (char)((acc >> bits) & 0xff);
		}
	}
	out[o] = '\0';
	*out_len = o;
	return out;
}

static int cluster_from(struct vs_kube_api *a, const json_t *cl, char *err, size_t errlen)
{
	const char *server = json_string_value(json_object_get(cl, "server"));
	const char *ca = json_string_value(json_object_get(cl, "certificate-authority"));
	const char *ca_data = json_string_value(json_object_get(cl, "certificate-authority-data"));
	if (copy(a->server, sizeof(a->server), server, "kubeconfig: cluster.server", err,
		 errlen) < 0)
		return -1;
	size_t n = strlen(a->server);
	while (n > 0 && a->server[n - 1] == '/')
		a->server[--n] = '\0';
	a->insecure = json_is_true(json_object_get(cl, "insecure-skip-tls-verify"));
	if (ca != NULL &&
	    copy(a->ca_file, sizeof(a->ca_file), ca, "kubeconfig: certificate-authority", err,
		 errlen) < 0)
		return -1;
	if (ca_data != NULL && (a->ca_pem = base64_decode(ca_data, &a->ca_pem_len)) == NULL) {
		snprintf(err, errlen, "kubeconfig: certificate-authority-data is not base64");
		return -1;
	}
	if (a->insecure && strncmp(a->server, "http://", 7) != 0) {
		snprintf(err, errlen, "kubeconfig: insecure-skip-tls-verify is refused: vsw-agent "
			 "writes the node's network policy and must know whom it trusts");
		return -1;
	}
	return 0;
}

static int user_from(struct vs_kube_api *a, const json_t *u, char *err, size_t errlen)
{
	const char *token = json_string_value(json_object_get(u, "token"));
	const char *file = json_string_value(json_object_get(u, "tokenFile"));
	if (file != NULL)
		return copy(a->token_file, sizeof(a->token_file), file, "kubeconfig: tokenFile", err,
			    errlen);
	if (token != NULL)
		return copy(a->token, sizeof(a->token), token, "kubeconfig: token", err, errlen);
	if (json_object_get(u, "client-certificate") || json_object_get(u, "client-certificate-data") ||
	    json_object_get(u, "exec") || json_object_get(u, "auth-provider")) {
		snprintf(err, errlen, "kubeconfig: only token and tokenFile users are supported "
			 "(use a service account token)");
		return -1;
	}
	return 0;
}

/* A relative path in a kubeconfig is relative to the kubeconfig's directory, as kubectl
 * reads it. */
static int beside(char *file, size_t len, const char *kubeconfig, char *err, size_t errlen)
{
	if (file[0] == '\0' || file[0] == '/')
		return 0;
	const char *slash = strrchr(kubeconfig, '/');
	char joined[4096];
	int n = slash == NULL ? snprintf(joined, sizeof(joined), "%s", file)
			      : snprintf(joined, sizeof(joined), "%.*s/%s",
					 (int)(slash - kubeconfig), kubeconfig, file);
	if (n < 0 || (size_t)n >= sizeof(joined) || (size_t)n >= len) {
		snprintf(err, errlen, "%s: %s: path too long", kubeconfig, file);
		return -1;
	}
	memcpy(file, joined, (size_t)n + 1);
	return 0;
}

/* A server URL's host (after "http://") is this host. */
static bool loopback(const char *host)
{
	static const char *const names[] = { "127.0.0.1", "[::1]", "localhost" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		size_t n = strlen(names[i]);
		if (strncmp(host, names[i], n) == 0 &&
		    (host[n] == '\0' || host[n] == ':' || host[n] == '/'))
			return true;
	}
	return false;
}

int vs_kube_kubeconfig(struct vs_kube_api *a, const char *path, char *err, size_t errlen)
{
	memset(a, 0, sizeof(*a));
	json_error_t je;
	json_t *doc = json_load_file(path, 0, &je);
	int rc = -1;
	if (doc == NULL) {
		snprintf(err, errlen, "%s: not JSON (%s, line %d); convert it with `kubectl config "
			 "view --raw --minify --flatten -o json`", path, je.text, je.line);
		return -1;
	}
	const char *cur = json_string_value(json_object_get(doc, "current-context"));
	const json_t *ctx = named(doc, "contexts", "context", cur);
	const json_t *cl = named(doc, "clusters", "cluster",
				 json_string_value(json_object_get(ctx, "cluster")));
	const json_t *u = named(doc, "users", "user", json_string_value(json_object_get(ctx, "user")));
	if (ctx == NULL || cl == NULL) {
		snprintf(err, errlen, "%s: current-context '%s' or its cluster not found", path,
			 cur != NULL ? cur : "");
		goto out;
	}
	if (cluster_from(a, cl, err, errlen) == 0 && (u == NULL || user_from(a, u, err, errlen) == 0) &&
	    beside(a->ca_file, sizeof(a->ca_file), path, err, errlen) == 0 &&
	    beside(a->token_file, sizeof(a->token_file), path, err, errlen) == 0)
		rc = 0;
	if (rc == 0 && strncmp(a->server, "http://", 7) == 0 && !loopback(a->server + 7) &&
	    (a->token[0] != '\0' || a->token_file[0] != '\0')) {
		snprintf(err, errlen, "%s: a token is sent over plain http only to this host "
			 "(127.0.0.1, [::1], localhost), not to %s", path, a->server);
		rc = -1;
	}
out:
	json_decref(doc);
	if (rc < 0)
		vs_kube_api_free(a);
	return rc;
}

void vs_kube_api_free(struct vs_kube_api *a)
{
	free(a->ca_pem);
	a->ca_pem = NULL;
}
