/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vsw-cni: the CNI plugin Multus runs for a NetworkAttachmentDefinition of "type": "vsw".
 * Reads the CNI_* environment and the network config on stdin, runs the command
 * (control/cni/cmd.c) and writes the result, or the spec's error object, on stdout; exit
 * status 0 or 1. Diagnostics go to stderr, which the runtime logs.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control/cni/cmd.h"
#include "control/cni/conf.h"
#include "control/cni/result.h"

#define CONF_MAX (1 << 20)	/* a network config is a few hundred bytes; a conflist's
				 * prevResult a few more */

static int emit(json_t *j)
{
	char *s = j ? json_dumps(j, JSON_INDENT(2)) : NULL;
	if (s != NULL)
		printf("%s\n", s);
	free(s);
	json_decref(j);
	return s != NULL ? 0 : -1;
}

static int fail(const char *version, const struct vs_cni_err *e)
{
	emit(vs_cni_error_json(version, e));
	return 1;
}

static char *read_stdin(size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	while (buf != NULL) {
		if (n == cap) {
			char *b = cap < CONF_MAX ? realloc(buf, cap * 2) : NULL;
			if (b == NULL)
				break;
			buf = b;
			cap *= 2;
		}
		size_t r = fread(buf + n, 1, cap - n, stdin);
		n += r;
		if (r == 0) {
			if (ferror(stdin))
				break;
			*len = n;
			return buf;
		}
	}
	free(buf);
	return NULL;
}

static const char *get_env(const char *name)
{
	return getenv(name);
}

int main(void)
{
	struct vs_cni_err e = { 0 };
	struct vs_cni_env env;
	struct vs_cni_conf c;
	size_t len = 0;
	int rc;

	/* an IPAM plugin that exits without reading its stdin is an error it reports, not a
	 * signal that kills this one before it can answer */
	signal(SIGPIPE, SIG_IGN);
	if (vs_cni_env_read(get_env, &env, &e) < 0)
		return fail(NULL, &e);
	char *text = read_stdin(&len);
	if (text == NULL) {
		vs_cni_fail(&e, VS_CNI_E_IO, "cannot read the network configuration on stdin "
			    "(at most %d bytes)", CONF_MAX);
		return fail(NULL, &e);
	}
	if (strcmp(env.command, "VERSION") == 0) {
		/* the config's version if it has one; a config is not required here */
		json_t *j = json_loadb(text, len, 0, NULL);
		const char *v = json_string_value(json_object_get(j, "cniVersion"));
		rc = emit(vs_cni_version_json(vs_cni_version_ok(v) ? v : NULL));
		json_decref(j);
		free(text);
		return rc < 0;
	}
	if (vs_cni_conf_parse(text, len, &c, &e) < 0) {
		free(text);
		return fail(NULL, &e);
	}
	json_t *result = NULL;
	/* CHECK came with 0.4.0, STATUS and GC with 1.1.0 */
	bool old = strcmp(c.version, "0.4.0") < 0;	/* the versions compare as strings */
	if ((strcmp(env.command, "CHECK") == 0 && old) ||
	    ((strcmp(env.command, "GC") == 0 || strcmp(env.command, "STATUS") == 0) &&
	     strcmp(c.version, "1.1.0") < 0))
		rc = vs_cni_fail(&e, VS_CNI_E_VERSION, "%s needs cniVersion %s or later, not %s",
				 env.command, strcmp(env.command, "CHECK") == 0 ? "0.4.0" : "1.1.0",
				 c.version);
	else if (strcmp(env.command, "ADD") == 0)
		rc = vs_cni_add(&c, &env, text, len, &result, &e);
	else if (strcmp(env.command, "DEL") == 0)
		rc = vs_cni_del(&c, &env, text, len, &e);
	else if (strcmp(env.command, "CHECK") == 0)
		rc = vs_cni_check(&c, &env, text, len, &e);
	else if (strcmp(env.command, "STATUS") == 0)
		rc = vs_cni_status(&c, &e);
	else if (strcmp(env.command, "GC") == 0)
		rc = vs_cni_gc(&c, &env, &e);	/* IPAM gets its own 1.0.0 DEL config */
	else
		rc = vs_cni_fail(&e, VS_CNI_E_ENV, "CNI_COMMAND %s: ADD, DEL, CHECK, STATUS, GC "
				 "or VERSION", env.command);
	int status = 0;
	if (rc < 0) {
		fprintf(stderr, "vsw-cni: %s %s/%s: %s\n", env.command,
			env.container_id ? env.container_id : "-", env.ifname ? env.ifname : "-",
			e.msg);
		status = fail(c.version, &e);
	} else if (result != NULL) {
		status = emit(result) < 0;
	}
	vs_cni_conf_free(&c);
	free(text);
	return status;
}
