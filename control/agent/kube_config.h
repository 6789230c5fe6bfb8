/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Where the Kubernetes API is and how vsw-agent proves who it is: in-cluster (the pod's
 * service account: KUBERNETES_SERVICE_HOST/PORT, token and ca.crt) or a kubeconfig file for
 * running outside the cluster. The kubeconfig must be JSON, which kubectl reads and writes as
 * readily as YAML (`kubectl config view --raw --minify --flatten -o json`): vsw has no YAML
 * parser and a node agent should not grow one. Pure (Jansson and files); single-threaded.
 */
#ifndef VS_AGENT_KUBE_CONFIG_H
#define VS_AGENT_KUBE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

struct vs_kube_api {
	char server[512];	/* "https://10.96.0.1:443", no trailing '/' */
	char token_file[4096];	/* re-read for every connection: bound tokens rotate */
	char token[8192];	/* a kubeconfig's literal token, when there is no file */
	char ca_file[4096];	/* "" with ca_pem or the system's CAs */
	char *ca_pem;		/* certificate-authority-data, decoded */
	size_t ca_pem_len;
	bool insecure;		/* insecure-skip-tls-verify: refused unless the server is http */
};

/* In-cluster: the service account directory (/var/run/secrets/kubernetes.io/serviceaccount
 * unless sa_dir says otherwise) and the environment. Returns 0 or -1 with err set. */
int vs_kube_incluster(struct vs_kube_api *a, const char *sa_dir, char *err, size_t errlen);
/* A JSON kubeconfig: its current-context's cluster and user. */
int vs_kube_kubeconfig(struct vs_kube_api *a, const char *path, char *err, size_t errlen);
/* The bearer token to send now, or "" for none; -1 with err set if its file is unreadable. */
int vs_kube_token(const struct vs_kube_api *a, char *buf, size_t len, char *err, size_t errlen);
void vs_kube_api_free(struct vs_kube_api *a);

#endif
