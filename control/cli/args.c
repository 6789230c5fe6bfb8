/* SPDX-License-Identifier: BSD-3-Clause */
/* Command words to a request: see args.h. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "args.h"

const struct vs_command_spec *vs_args_resolve(char **w, int n, int *used, bool quiet)
{
	const struct vs_command_spec *c, *t = vs_command_table();
	char name[128];
	size_t len = strlen(w[0]);
	bool first = true;

	if (n >= 2 && snprintf(name, sizeof(name), "%s.%s", w[0], w[1]) < (int)sizeof(name) &&
	    (c = vs_command_find(name, NULL)) != NULL) {
		*used = 2;
		return c;
	}
	if ((c = vs_command_find(w[0], NULL)) != NULL) {
		*used = 1;
		return c;
	}
	if (quiet)
		return NULL;
	fprintf(stderr, "vswctl: unknown command '%s%s%s'", w[0], n >= 2 ? " " : "",
		n >= 2 ? w[1] : "");
	for (int i = 0; i < VS_CMD__COUNT; i++) {
		if (strncmp(t[i].name, w[0], len) == 0 && t[i].name[len] == '.') {
			fprintf(stderr, "%s%s", first ? "; try: " : ", ", t[i].name + len + 1);
			first = false;
		}
	}
	fprintf(stderr, "\n(run 'vswctl help' for the list)\n");
	return NULL;
}

static json_t *parse_uint(const struct vs_command_spec *c, const struct vs_arg_spec *a,
			  const char *val)
{
	unsigned long long u;
	char *end;

	errno = 0;
	/* strtoull would accept " 12", "-1" and "+1": only digits are a uint. */
	if (isdigit((unsigned char)val[0])) {
		u = strtoull(val, &end, 10);
		if (errno == 0 && *end == '\0' &&
		    u <= (JSON_INTEGER_IS_LONG_LONG ? LLONG_MAX : LONG_MAX))
			return json_integer((json_int_t)u);
	}
	fprintf(stderr, "vswctl: %s: %s: expected an unsigned integer, got '%s'\n", c->name,
		a->name, val);
	return NULL;
}

static json_t *parse_bool(const struct vs_command_spec *c, const struct vs_arg_spec *a,
			  const char *val)
{
	static const char *const yes[] = { "true", "yes", "1", "on" };
	static const char *const no[] = { "false", "no", "0", "off" };

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(val, yes[i]) == 0)
			return json_true();
		if (strcasecmp(val, no[i]) == 0)
			return json_false();
	}
	fprintf(stderr, "vswctl: %s: %s: expected a boolean (true/false, yes/no, on/off, "
		"1/0), got '%s'\n", c->name, a->name, val);
	return NULL;
}

/* Inline JSON, a file, or - for stdin. */
static json_t *parse_json(const struct vs_command_spec *c, const struct vs_arg_spec *a,
			  const char *val)
{
	json_error_t jerr;
	json_t *v = val[0] == '{' || val[0] == '[' ? json_loads(val, 0, &jerr) :
		    strcmp(val, "-") == 0 ? json_loadf(stdin, 0, &jerr) :
					    json_load_file(val, 0, &jerr);

	if (v == NULL)
		fprintf(stderr, "vswctl: %s: %s: %s: line %d: %s\n", c->name, a->name,
			strcmp(val, "-") == 0 ? "stdin" : val, jerr.line, jerr.text);
	return v;
}

static json_t *convert(const struct vs_command_spec *c, const struct vs_arg_spec *a,
		       const char *val)
{
	switch (a->type) {
	case VS_ARG_UINT:
	case VS_ARG_U64:
		return parse_uint(c, a, val);
	case VS_ARG_BOOL:
		return parse_bool(c, a, val);
	case VS_ARG_JSON:
		return parse_json(c, a, val);
	default:
		return json_string(val);
	}
}

static void unknown_arg(const struct vs_command_spec *c, const char *key)
{
	fprintf(stderr, "vswctl: %s: unknown argument '%s'", c->name, key);
	for (const struct vs_arg_spec *s = c->args; s->name != NULL; s++)
		fprintf(stderr, "%s%s", s == c->args ? "; valid: " : ", ", s->name);
	fprintf(stderr, "%s\n", c->args[0].name ? "" : "; it takes no arguments");
}

json_t *vs_args_build(const struct vs_command_spec *c, char **w, int n)
{
	bool positional_done = !c->first_positional;
	json_t *args = json_object();
	char key[64];

	for (int i = 0; i < n; i++) {
		const struct vs_arg_spec *a;
		const char *eq = strchr(w[i], '='), *val;
		json_t *v;

		if (eq == NULL && !positional_done) {
			a = &c->args[0];
			val = w[i];
			positional_done = true;
		} else if (eq == NULL) {
			fprintf(stderr, "vswctl: %s: unexpected argument '%s' (want key=value)\n",
				c->name, w[i]);
			goto err;
		} else {
			snprintf(key, sizeof(key), "%.*s", (int)(eq - w[i]), w[i]);
			val = eq + 1;
			a = vs_arg_find(c, key);
		}
		if (a == NULL) {
			unknown_arg(c, key);
			goto err;
		}
		if (json_object_get(args, a->name) != NULL) {
			fprintf(stderr, "vswctl: %s: %s: given twice\n", c->name, a->name);
			goto err;
		}
		v = convert(c, a, val);
		if (v == NULL || json_object_set_new(args, a->name, v) < 0)
			goto err;
	}
	return args;
err:
	json_decref(args);
	return NULL;
}
