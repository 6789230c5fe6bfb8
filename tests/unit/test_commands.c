/* SPDX-License-Identifier: BSD-3-Clause */
/* include/vs_commands.h and control/model/args.c: the command table and argument checking. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "vs_commands.h"
#include "control/model/args.h"
#include "control/model/err.h"
#include "suites.h"

/* No command has anywhere near this many arguments: a missing VS_ARGS_END runs past it. */
#define ARGS_SANE_MAX 64

static void test_table_names_unique(void)
{
	const struct vs_command_spec *t = vs_command_table();

	for (int i = 0; i < VS_CMD__COUNT; i++) {
		CU_ASSERT_PTR_NOT_NULL_FATAL(t[i].name);
		CU_ASSERT_NOT_EQUAL(t[i].name[0], '\0');
		CU_ASSERT_PTR_NOT_NULL(t[i].help);
		for (int j = 0; j < i; j++)
			CU_ASSERT_NOT_EQUAL(strcmp(t[i].name, t[j].name), 0);
	}
}

static void test_table_args(void)
{
	const struct vs_command_spec *t = vs_command_table();

	for (int i = 0; i < VS_CMD__COUNT; i++) {
		const struct vs_arg_spec *a = t[i].args;
		int n = 0;

		CU_ASSERT_PTR_NOT_NULL_FATAL(a);
		for (; n < ARGS_SANE_MAX && a[n].name != NULL; n++) {
			CU_ASSERT_PTR_NOT_NULL(a[n].help);
			CU_ASSERT_TRUE(a[n].type <= VS_ARG_JSON);
			CU_ASSERT_PTR_NOT_NULL(vs_arg_type_name(a[n].type));
			for (int j = 0; j < n; j++)
				CU_ASSERT_NOT_EQUAL(strcmp(a[n].name, a[j].name), 0);
			CU_ASSERT_PTR_EQUAL(vs_arg_find(&t[i], a[n].name), &a[n]);
		}
		CU_ASSERT_TRUE(n < ARGS_SANE_MAX);	/* terminated by VS_ARGS_END */
		/* The CLI's bare first word is a string (a port name; optional for the show commands). */
		if (t[i].first_positional) {
			CU_ASSERT_TRUE_FATAL(n > 0);
			CU_ASSERT_TRUE(a[0].required || i == VS_CMD_BOND_SHOW || i == VS_CMD_QOS_SHOW ||
				       i == VS_CMD_PORT_CLEAR);
			CU_ASSERT_TRUE(a[0].type == VS_ARG_STR || a[0].type == VS_ARG_JSON);
		}
	}
}

/* The read-only socket serves exactly the commands that change nothing. */
static void test_readonly_marks(void)
{
	const struct vs_command_spec *t = vs_command_table();

	for (int i = 0; i < VS_CMD__COUNT; i++) {
		const char *dot = strrchr(t[i].name, '.');
		const char *verb = dot ? dot + 1 : t[i].name;
		bool reads = strcmp(verb, "show") == 0 || strcmp(verb, "list") == 0 ||
			     strcmp(verb, "drops") == 0 || strcmp(verb, "stats") == 0 || i == VS_CMD_HELLO ||
			     i == VS_CMD_COMMANDS || i == VS_CMD_VERSION || i == VS_CMD_STATS;
		CU_ASSERT_EQUAL(t[i].readonly, reads);
		if (t[i].readonly != reads)
			fprintf(stderr, "\n  %s: readonly %d\n", t[i].name, t[i].readonly);
	}
	CU_ASSERT_FALSE(t[VS_CMD_CONFIG_SAVE].readonly);	/* writes a file */
	CU_ASSERT_FALSE(t[VS_CMD_MAC_FLUSH].readonly);
	CU_ASSERT_TRUE(t[VS_CMD_CONTROL_SHOW].readonly);
}

static void test_command_find(void)
{
	const struct vs_command_spec *t = vs_command_table();
	int id = -1;

	CU_ASSERT_PTR_EQUAL(vs_command_find("port.add", &id), &t[VS_CMD_PORT_ADD]);
	CU_ASSERT_EQUAL(id, VS_CMD_PORT_ADD);
	CU_ASSERT_PTR_EQUAL(vs_command_find("stats", NULL), &t[VS_CMD_STATS]);
	CU_ASSERT_PTR_EQUAL(vs_command_find("hello", &id), &t[VS_CMD_HELLO]);
	CU_ASSERT_EQUAL(id, VS_CMD_HELLO);
	for (int i = 0; i < VS_CMD__COUNT; i++)
		CU_ASSERT_PTR_EQUAL(vs_command_find(t[i].name, NULL), &t[i]);

	id = -1;
	CU_ASSERT_PTR_NULL(vs_command_find("port", &id));
	CU_ASSERT_PTR_NULL(vs_command_find("port add", &id));	/* the CLI's spelling */
	CU_ASSERT_PTR_NULL(vs_command_find("PORT.ADD", &id));
	CU_ASSERT_PTR_NULL(vs_command_find("", &id));
	CU_ASSERT_EQUAL(id, -1);

	CU_ASSERT_PTR_NULL(vs_arg_find(&t[VS_CMD_PORT_SET], "socket"));
	CU_ASSERT_PTR_NOT_NULL(vs_arg_find(&t[VS_CMD_PORT_ADD], "socket"));
}

static void test_arg_type_names(void)
{
	CU_ASSERT_STRING_EQUAL(vs_arg_type_name(VS_ARG_STR), "string");
	CU_ASSERT_STRING_EQUAL(vs_arg_type_name(VS_ARG_UINT), "uint");
	CU_ASSERT_STRING_EQUAL(vs_arg_type_name(VS_ARG_BOOL), "bool");
	CU_ASSERT_STRING_EQUAL(vs_arg_type_name(VS_ARG_VLANS), "vlans");
	CU_ASSERT_STRING_EQUAL(vs_arg_type_name(VS_ARG_MAC), "mac");
}

/* Checks args (JSON text) against command cmd's schema with prefix "args". */
static int check(const char *cmd, const char *text, struct vs_err *e)
{
	const struct vs_command_spec *spec = vs_command_find(cmd, NULL);
	json_error_t jerr;
	json_t *args = json_loads(text, JSON_DECODE_ANY, &jerr);
	int rc;

	CU_ASSERT_PTR_NOT_NULL_FATAL(spec);
	CU_ASSERT_PTR_NOT_NULL_FATAL(args);
	memset(e, 0, sizeof(*e));
	rc = vs_args_check(spec, args, "args", e);
	json_decref(args);
	return rc;
}

static void test_args_valid(void)
{
	struct vs_err e;

	CU_ASSERT_EQUAL(check("hello", "{\"version\": 1}", &e), 0);
	CU_ASSERT_EQUAL(check("commands", "{}", &e), 0);
	CU_ASSERT_EQUAL(check("mac.show", "{}", &e), 0);
	CU_ASSERT_EQUAL(check("port.add", "{\"name\": \"vm1\", \"socket\": \"/s\","
			      " \"client\": false, \"queues\": 2, \"mode\": \"trunk\","
			      " \"allowed\": \"\", \"native_vlan\": 0, \"mtu\": 9000}", &e), 0);
	CU_ASSERT_EQUAL(check("mac.add", "{\"vlan\": 10, \"mac\": \"02:00:00:00:00:01\","
			      " \"port\": \"vm1\"}", &e), 0);
	/* UINT goes up to UINT32_MAX; ranges per field are the core functions' job. */
	CU_ASSERT_EQUAL(check("hello", "{\"version\": 4294967295}", &e), 0);
}

struct bad_args {
	const char *cmd;
	const char *json;
	int code;	/* positive errno */
	const char *field;
};

static const struct bad_args bad_args[] = {
	{ "version", "[]", EINVAL, "args" },
	{ "version", "null", EINVAL, "args" },
	{ "version", "{\"verbose\": true}", EINVAL, "args.verbose" },
	{ "port.set", "{\"name\": \"vm1\", \"socket\": \"/s\"}", EINVAL, "args.socket" },
	{ "hello", "{}", EINVAL, "args.version" },
	{ "mac.add", "{\"vlan\": 10, \"mac\": \"02:00:00:00:00:01\"}", EINVAL, "args.port" },
	{ "port.del", "{}", EINVAL, "args.name" },
	/* UINT */
	{ "hello", "{\"version\": \"1\"}", EINVAL, "args.version" },
	{ "hello", "{\"version\": 1.0}", EINVAL, "args.version" },
	{ "hello", "{\"version\": true}", EINVAL, "args.version" },
	{ "hello", "{\"version\": null}", EINVAL, "args.version" },
	{ "hello", "{\"version\": -1}", EINVAL, "args.version" },
	{ "hello", "{\"version\": 4294967296}", ERANGE, "args.version" },
	{ "port.set", "{\"name\": \"vm1\", \"vlan\": -10}", EINVAL, "args.vlan" },
	{ "port.set", "{\"name\": \"vm1\", \"vlan\": \"10\"}", EINVAL, "args.vlan" },
	/* BOOL */
	{ "port.add", "{\"name\": \"vm1\", \"client\": \"true\"}", EINVAL, "args.client" },
	{ "port.add", "{\"name\": \"vm1\", \"client\": 1}", EINVAL, "args.client" },
	/* STR */
	{ "port.add", "{\"name\": 5}", EINVAL, "args.name" },
	{ "port.add", "{\"name\": \"vm1\", \"socket\": null}", EINVAL, "args.socket" },
	/* VLANS */
	{ "port.set", "{\"name\": \"vm1\", \"allowed\": 10}", EINVAL, "args.allowed" },
	{ "port.set", "{\"name\": \"vm1\", \"allowed\": [10]}", EINVAL, "args.allowed" },
	{ "port.set", "{\"name\": \"vm1\", \"allowed\": \"10-\"}", EINVAL, "args.allowed" },
	{ "port.set", "{\"name\": \"vm1\", \"allowed\": \"4095\"}", ERANGE, "args.allowed" },
	/* MAC */
	{ "mac.del", "{\"vlan\": 1, \"mac\": \"02:00:00:00:00\"}", EINVAL, "args.mac" },
	{ "mac.del", "{\"vlan\": 1, \"mac\": \"0g:00:00:00:00:01\"}", EINVAL, "args.mac" },
	{ "mac.del", "{\"vlan\": 1, \"mac\": 2}", EINVAL, "args.mac" },
};

static void test_args_errors(void)
{
	for (size_t i = 0; i < sizeof(bad_args) / sizeof(bad_args[0]); i++) {
		const struct bad_args *b = &bad_args[i];
		struct vs_err e;
		int rc = check(b->cmd, b->json, &e);

		CU_ASSERT_EQUAL(rc, -b->code);
		CU_ASSERT_EQUAL(e.code, b->code);
		CU_ASSERT_STRING_EQUAL(e.field, b->field);
		CU_ASSERT_NOT_EQUAL(e.msg[0], '\0');
		if (rc != -b->code || strcmp(e.field, b->field) != 0)
			fprintf(stderr, "\n  %s %s\n  want %d %s, got %d %s: %s\n", b->cmd, b->json,
				-b->code, b->field, rc, e.field, e.msg);
	}
}

static void test_args_prefix(void)
{
	const struct vs_command_spec *spec = vs_command_find("port.add", NULL);
	json_t *args = json_pack("{s:s, s:i}", "name", "vm1", "mtu", -5);
	struct vs_err e;

	CU_ASSERT_PTR_NOT_NULL_FATAL(args);
	CU_ASSERT_EQUAL(vs_args_check(spec, args, "ports[2]", &e), -EINVAL);
	CU_ASSERT_STRING_EQUAL(e.field, "ports[2].mtu");
	json_decref(args);
}

static void test_err_set(void)
{
	struct vs_err e;

	CU_ASSERT_EQUAL(vs_err_set(&e, ENOENT, "args.name", "no port '%s'", "vm9"), -ENOENT);
	CU_ASSERT_EQUAL(e.code, ENOENT);
	CU_ASSERT_STRING_EQUAL(e.field, "args.name");
	CU_ASSERT_STRING_EQUAL(e.msg, "no port 'vm9'");
	CU_ASSERT_EQUAL(vs_err_set(&e, EINVAL, NULL, "x"), -EINVAL);
	CU_ASSERT_STRING_EQUAL(e.field, "");
}

CU_ErrorCode vs_test_commands_suite(void)
{
	static const struct vs_test tests[] = {
		{ "table names unique", test_table_names_unique },
		{ "table args terminated and unique", test_table_args },
		{ "read-only commands", test_readonly_marks },
		{ "command find", test_command_find },
		{ "arg type names", test_arg_type_names },
		{ "args valid", test_args_valid },
		{ "args errors name the field", test_args_errors },
		{ "args prefix", test_args_prefix },
		{ "err set", test_err_set },
		{ NULL, NULL },
	};
	return vs_test_add_suite("commands", tests);
}
