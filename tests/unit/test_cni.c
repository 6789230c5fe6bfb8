/* SPDX-License-Identifier: BSD-3-Clause */
/* vsw-cni's pure part (control/cni/conf.c, result.c): configs, CNI_ARGS, names, arguments. */
#include <stdlib.h>
#include <string.h>

#include "control/cni/conf.h"
#include "control/cni/result.h"
#include "suites.h"

static const char *env_table[16][2];

static const char *get(const char *name)
{
	for (unsigned int i = 0; i < 16 && env_table[i][0] != NULL; i++)
		if (strcmp(env_table[i][0], name) == 0)
			return env_table[i][1];
	return NULL;
}

static void set_env(const char *args)
{
	static const char *base[][2] = { { "CNI_COMMAND", "ADD" },
					 { "CNI_CONTAINERID", "0123456789abcdef99" },
					 { "CNI_IFNAME", "net1" },
					 { "CNI_NETNS", "/var/run/netns/x" } };
	memset(env_table, 0, sizeof(env_table));
	memcpy(env_table, base, sizeof(base));
	env_table[4][0] = "CNI_ARGS";
	env_table[4][1] = args;
}

static int parse(const char *text, struct vs_cni_conf *c, struct vs_cni_err *e)
{
	json_t *j = vs_test_json(text);
	char *s = json_dumps(j, JSON_COMPACT);
	int rc = vs_cni_conf_parse(s, strlen(s), c, e);
	free(s);
	json_decref(j);
	return rc;
}

#define BASE "'cniVersion': '1.0.0', 'name': 'net-vlan2003', 'type': 'vsw'"

static void test_conf_port_args(void)
{
	struct vs_cni_conf c;
	struct vs_cni_err e = { 0 };
	struct vs_cni_env env;

	CU_ASSERT_EQUAL_FATAL(parse("{" BASE ", 'vlan': 2003, 'mtu': 9000, 'queues': 2, "
				    "'macspoofchk': true, 'ipspoofchk': true, 'police_rate': "
				    "1000000, 'qos_trust': 'dscp', 'runtimeConfig': {'mac': "
				    "'02:00:00:00:00:01', 'CNIDeviceInfoFile': '/run/d/x.json', "
				    "'portMappings': []}}", &c, &e), 0);
	set_env("IgnoreUnknown=1;K8S_POD_NAMESPACE=tenant-a;K8S_POD_UID=u-1;K8S_POD_NAME=p");
	CU_ASSERT_EQUAL_FATAL(vs_cni_env_read(get, &env, &e), 0);
	CU_ASSERT_STRING_EQUAL(env.pod_namespace, "tenant-a");
	CU_ASSERT_STRING_EQUAL(env.pod_uid, "u-1");
	CU_ASSERT_STRING_EQUAL(env.path, "/opt/cni/bin");	/* the default */
	CU_ASSERT_STRING_EQUAL(c.device_info_file, "/run/d/x.json");
	char name[32], dir[VS_CNI_PATH_MAX], sock[VS_CNI_PATH_MAX];
	CU_ASSERT_EQUAL(vs_cni_port_name(&env, name, sizeof(name), &e), 0);
	CU_ASSERT_STRING_EQUAL(name, "net1-0123456789ab");
	CU_ASSERT_EQUAL(vs_cni_socket_path(&c, &env, dir, sizeof(dir), sock, sizeof(sock), &e), 0);
	CU_ASSERT_STRING_EQUAL(sock, VS_CNI_SOCKET_DIR "/u-1/net1.sock");
	json_t *ips = vs_test_json("['10.0.0.5/24', 'fd00::5/64']");
	json_t *a = vs_cni_port_add_args(&c, &env, name, sock, ips);
	json_t *want = vs_test_json("{'type': 'vhost-user', 'client': true, 'vlan': 2003, "
				    "'mtu': 9000, 'queues': 2, 'spoofchk': true, 'ip_spoofchk': "
				    "true, 'police_rate': 1000000, 'qos_trust': 'dscp', 'name': "
				    "'net1-0123456789ab', 'socket': '" VS_CNI_SOCKET_DIR
				    "/u-1/net1.sock', 'namespace': 'tenant-a', 'mac': "
				    "'02:00:00:00:00:01', 'ips': ['10.0.0.5', 'fd00::5']}");
	CU_ASSERT_TRUE(json_equal(a, want));
	json_decref(want);
	json_decref(a);
	/* the result: the interface with its socket, IPAM's ips on interface 0 */
	json_t *ipam = vs_test_json("{'cniVersion': '1.0.0', 'ips': [{'address': '10.0.0.5/24', "
				    "'gateway': '10.0.0.1'}], 'dns': {}}");
	json_t *r = vs_cni_result(&c, "net1", sock, ipam);
	want = vs_test_json("{'cniVersion': '1.0.0', 'interfaces': [{'name': 'net1', 'mac': "
			    "'02:00:00:00:00:01', 'socketPath': '" VS_CNI_SOCKET_DIR
			    "/u-1/net1.sock'}], 'ips': [{'address': '10.0.0.5/24', 'gateway': "
			    "'10.0.0.1', 'interface': 0}]}");
	CU_ASSERT_TRUE(json_equal(r, want));
	json_decref(want);
	json_decref(r);
	json_decref(ipam);
	json_decref(ips);
	vs_cni_conf_free(&c);

	/* a trunk in sriov-cni's form, with a native VLAN */
	CU_ASSERT_EQUAL_FATAL(parse("{" BASE ", 'vlan': 5, 'trunk': [{'id': 5}, {'minID': 7, "
				    "'maxID': 9}, {'id': 12}]}", &c, &e), 0);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(c.port_args, "allowed")),
			       "5,7-9,12");
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(c.port_args, "native_vlan")), 5);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(c.port_args, "mode")), "trunk");
	vs_cni_conf_free(&c);
}

static void test_conf_refused(void)
{
	static const struct { const char *conf; unsigned int code; const char *words; } bad[] = {
		{ "{" BASE ", 'vlan': 1, 'vlanId': 2}", VS_CNI_E_FIELD, "\"vlanId\"" },
		{ "{'cniVersion': '0.2.0', 'name': 'n', 'type': 'vsw', 'vlan': 1}", VS_CNI_E_VERSION,
		  "0.2.0" },
		{ "{" BASE "}", VS_CNI_E_CONFIG, "vlan: required" },
		{ "{" BASE ", 'vlan': 0}", VS_CNI_E_CONFIG, "vlan" },
		{ "{" BASE ", 'vlan': '5'}", VS_CNI_E_CONFIG, "vlan" },
		{ "{" BASE ", 'trunk': [{'minID': 9, 'maxID': 7}]}", VS_CNI_E_CONFIG, "trunk[0]" },
		{ "{" BASE ", 'trunk': [{'id': 5, 'minID': 1}]}", VS_CNI_E_CONFIG, "trunk[0]" },
		{ "{" BASE ", 'trunk': []}", VS_CNI_E_CONFIG, "trunk" },
		{ "{" BASE ", 'vlan': 1, 'mtu': 67}", VS_CNI_E_CONFIG, "mtu" },
		{ "{" BASE ", 'vlan': 1, 'socketDir': '/run/../etc'}", VS_CNI_E_CONFIG, "socketDir" },
		{ "{" BASE ", 'vlan': 1, 'socketDir': '/run/x/..'}", VS_CNI_E_CONFIG, "socketDir" },
		{ "{" BASE ", 'vlan': 1, 'ipam': {'type': '.hidden'}}", VS_CNI_E_CONFIG, "ipam.type" },
		{ "{" BASE ", 'vlan': 1, 'ipam': {}}", VS_CNI_E_CONFIG, "ipam.type" },
		{ "{" BASE ", 'vlan': 1, 'qos_trust': 1}", VS_CNI_E_CONFIG, "qos_trust" },
		{ "{" BASE ", 'vlan': 1, 'police_rate': -1}", VS_CNI_E_CONFIG, "police_rate" },
		{ "{" BASE ", 'vlan': 1, 'runtimeConfig': {'mac': '02:00:00:00:00'}}",
		  VS_CNI_E_CONFIG, "runtimeConfig.mac" },
		{ "{" BASE ", 'vlan': 1, 'prevResult': []}", VS_CNI_E_CONFIG, "prevResult" },
		{ "[]", VS_CNI_E_DECODE, "not a JSON object" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct vs_cni_conf c;
		struct vs_cni_err e = { 0 };
		CU_ASSERT_EQUAL(parse(bad[i].conf, &c, &e), -1);
		CU_ASSERT_EQUAL(e.code, bad[i].code);
		if (strstr(e.msg, bad[i].words) == NULL || e.code != bad[i].code)
			fprintf(stderr, "\n  case %zu: code %u '%s'\n", i, e.code, e.msg);
		CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, bad[i].words));
		CU_ASSERT_PTR_NULL(c.root);
	}
}

static void test_env_refused(void)
{
	static const struct { const char *args; const char *words; } bad[] = {
		{ "K8S_POD_NAMESPACE=a;FOO=1", "FOO" },
		{ "IgnoreUnknown=0;FOO=1", "FOO" },
		{ "K8S_POD_NAMESPACE", "KEY=VALUE" },
		{ "=x", "KEY=VALUE" },
		{ "K8S_POD_UID=a/b", "K8S_POD_UID" },
	};
	struct vs_cni_env env;
	struct vs_cni_err e = { 0 };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		set_env(bad[i].args);
		CU_ASSERT_EQUAL(vs_cni_env_read(get, &env, &e), -1);
		CU_ASSERT_EQUAL(e.code, VS_CNI_E_ENV);
		CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, bad[i].words));
	}
	set_env("IgnoreUnknown=true;FOO=1;K8S_POD_NAME=x");
	CU_ASSERT_EQUAL(vs_cni_env_read(get, &env, &e), 0);
	set_env("");
	env_table[2][1] = "eth0/x";	/* CNI_IFNAME */
	CU_ASSERT_EQUAL(vs_cni_env_read(get, &env, &e), -1);
	env_table[2][1] = "net1";
	env_table[3][1] = NULL;	/* no CNI_NETNS: fine for DEL, not for ADD */
	CU_ASSERT_EQUAL(vs_cni_env_read(get, &env, &e), -1);
	env_table[0][1] = "DEL";
	CU_ASSERT_EQUAL(vs_cni_env_read(get, &env, &e), 0);
	env_table[0][1] = "VERSION";
	env_table[1][1] = NULL;
	CU_ASSERT_EQUAL(vs_cni_env_read(get, &env, &e), 0);
}

static void test_socket_path_limit(void)
{
	struct vs_cni_conf c;
	struct vs_cni_err e = { 0 };
	struct vs_cni_env env;
	char dir[VS_CNI_PATH_MAX], sock[VS_CNI_PATH_MAX];
	char conf[512];

	/* /d...d/<uid>/net1.sock: 107 characters fit sun_path, 108 do not */
	static const char uid[] = "0123456789abcdef0123456789abcdef0123";	/* 36 */
	for (int extra = 0; extra < 2; extra++) {
		size_t dlen = 107 - 1 - strlen(uid) - strlen("/net1.sock") + (size_t)extra;
		char d[128];
		memset(d, 'd', dlen);
		d[0] = '/';
		d[dlen] = '\0';
		snprintf(conf, sizeof(conf), "{" BASE ", 'vlan': 1, 'socketDir': '%s'}", d);
		CU_ASSERT_EQUAL_FATAL(parse(conf, &c, &e), 0);
		set_env("K8S_POD_UID=0123456789abcdef0123456789abcdef0123");
		CU_ASSERT_EQUAL_FATAL(vs_cni_env_read(get, &env, &e), 0);
		int rc = vs_cni_socket_path(&c, &env, dir, sizeof(dir), sock, sizeof(sock), &e);
		CU_ASSERT_EQUAL(rc, extra ? -1 : 0);
		if (!extra)
			CU_ASSERT_EQUAL(strlen(sock), 107);
		vs_cni_conf_free(&c);
	}
}

CU_ErrorCode vs_test_cni_suite(void)
{
	static const struct vs_test tests[] = {
		{ "cni config to port.add arguments and result", test_conf_port_args },
		{ "cni configs refused", test_conf_refused },
		{ "cni environment and CNI_ARGS", test_env_refused },
		{ "cni socket path fits sun_path", test_socket_path_limit },
		{ NULL, NULL },
	};
	return vs_test_add_suite("cni", tests);
}
