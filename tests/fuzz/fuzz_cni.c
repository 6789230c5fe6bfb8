/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: vsw-cni's parsers of what the runtime hands it (control/cni/conf.c): the
 * network config on stdin and CNI_ARGS, and what they become (port.add arguments, the
 * socket path, the result, the error object). Besides "no crash, no leak, no UB" it checks:
 * a config that parses has a version this plugin speaks, type vsw, a VLAN or a trunk, and
 * port arguments vswd can take (an object with type vhost-user in client mode); a socket path
 * it accepts fits sun_path; an error always has a spec code and a message.
 *
 * The input up to the first newline is CNI_ARGS; the rest is the network config.
 */
#include <stdlib.h>
#include <string.h>

#include "control/cni/conf.h"
#include "control/cni/result.h"

#define CHECK(c)                                                                             \
	do {                                                                                 \
		if (!(c))                                                                    \
			abort();                                                             \
	} while (0)

static char cni_args[1024];

static const char *get(const char *name)
{
	if (strcmp(name, "CNI_COMMAND") == 0)
		return "ADD";
	if (strcmp(name, "CNI_CONTAINERID") == 0)
		return "0123456789abcdef0123";
	if (strcmp(name, "CNI_IFNAME") == 0)
		return "net1";
	if (strcmp(name, "CNI_NETNS") == 0)
		return "/var/run/netns/x";
	if (strcmp(name, "CNI_ARGS") == 0)
		return cni_args;
	return NULL;
}

static void check_err(const struct vs_cni_err *e)
{
	CHECK(e->code >= 1 && e->code <= 11);
	CHECK(e->msg[0] != '\0');
	json_t *j = vs_cni_error_json(NULL, e);
	CHECK(j != NULL);
	json_decref(j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	size_t alen = nl ? (size_t)(nl - data) : 0;
	struct vs_cni_err e = { 0 };
	struct vs_cni_env env;
	struct vs_cni_conf c;

	if (alen >= sizeof(cni_args))
		return 0;
	memcpy(cni_args, data, alen);
	cni_args[alen] = '\0';
	if (strlen(cni_args) != alen)
		return 0;	/* an environment string has no NUL inside */
	if (vs_cni_env_read(get, &env, &e) < 0) {
		check_err(&e);
		memset(&env, 0, sizeof(env));
		env.container_id = "0123456789abcdef0123";
		env.ifname = "net1";
	}
	const char *text = nl ? (const char *)nl + 1 : (const char *)data;
	size_t len = nl ? size - alen - 1 : size;
	if (vs_cni_conf_parse(text, len, &c, &e) < 0) {
		check_err(&e);
		return 0;
	}
	CHECK(vs_cni_version_ok(c.version));
	CHECK(strcmp(json_string_value(json_object_get(c.root, "type")), "vsw") == 0);
	CHECK(c.vlan != 0 || c.trunk);
	CHECK(json_is_object(c.port_args));
	CHECK(strcmp(json_string_value(json_object_get(c.port_args, "type")), "vhost-user") == 0);
	CHECK(json_is_true(json_object_get(c.port_args, "client")));
	char name[32], dir[VS_CNI_PATH_MAX], sock[VS_CNI_PATH_MAX];
	if (vs_cni_port_name(&env, name, sizeof(name), &e) == 0 &&
	    vs_cni_socket_path(&c, &env, dir, sizeof(dir), sock, sizeof(sock), &e) == 0) {
		CHECK(strlen(sock) < VS_CNI_SUN_PATH_MAX);
		json_t *res = vs_cni_result(&c, env.ifname, sock, c.prev_result);
		CHECK(res != NULL);
		json_t *ips = vs_cni_result_addresses(res);
		json_t *args = vs_cni_port_add_args(&c, &env, name, sock, ips);
		CHECK(args != NULL && json_is_object(args));
		json_decref(args);
		json_decref(ips);
		json_decref(res);
	}
	vs_cni_conf_free(&c);
	return 0;
}
