/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One libcurl handle for a request to the Kubernetes API, set up once for watch.c and
 * events.c alike: the URL, the bearer token read now (bound tokens rotate), the CA to verify
 * the server with (TLS verification is never turned off), http/https only, no signals.
 * Single-threaded.
 */
#ifndef VS_AGENT_KUBE_HTTP_H
#define VS_AGENT_KUBE_HTTP_H

#include <curl/curl.h>
#include <stddef.h>

#include "kube_config.h"

/* Returns the handle, with *hdrs (which the caller frees after the transfer) holding the
 * headers; NULL with err set. `content_type` may be NULL. */
CURL *vs_kube_easy(const struct vs_kube_api *api, const char *url, const char *content_type,
		   struct curl_slist **hdrs, char *err, size_t errlen);

#endif
