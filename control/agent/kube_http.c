/* SPDX-License-Identifier: BSD-3-Clause */
#include "kube_http.h"

#include <stdio.h>

CURL *vs_kube_easy(const struct vs_kube_api *api, const char *url, const char *content_type,
		   struct curl_slist **hdrs, char *err, size_t errlen)
{
	char token[8192], auth[8300], ct[128];
	*hdrs = NULL;
	if (vs_kube_token(api, token, sizeof(token), err, errlen) < 0)
		return NULL;
	CURL *h = curl_easy_init();
	if (h == NULL) {
		snprintf(err, errlen, "curl_easy_init failed");
		return NULL;
	}
	*hdrs = curl_slist_append(*hdrs, "Accept: application/json");
	if (content_type != NULL) {
		snprintf(ct, sizeof(ct), "Content-Type: %s", content_type);
		*hdrs = curl_slist_append(*hdrs, ct);
	}
	if (token[0] != '\0') {
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
		*hdrs = curl_slist_append(*hdrs, auth);
	}
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, *hdrs);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
	if (api->ca_file[0] != '\0')
		curl_easy_setopt(h, CURLOPT_CAINFO, api->ca_file);
	if (api->ca_pem != NULL) {
		struct curl_blob blob = { api->ca_pem, api->ca_pem_len, CURL_BLOB_COPY };
		curl_easy_setopt(h, CURLOPT_CAINFO_BLOB, &blob);
	}
	return h;
}
