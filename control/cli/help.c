/* SPDX-License-Identifier: BSD-3-Clause */
/* vswctl's help, from the command table: see help.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "args.h"
#include "help.h"
#include "vs_commands.h"
#include "vs_proto.h"
#include "writer.h"

/* Commands vswctl runs itself, without vswd. */
static const char *const local_cmds[][2] = {
	{ "help [GROUP|COMMAND]", "this help, a group's commands or one command's arguments" },
	{ "completion bash", "print a bash completion script for vswctl" },
};

/* "port add <name>": the command's words and its positional argument. */
static void synopsis(const struct vs_command_spec *c, char *buf, size_t size)
{
	size_t n = (size_t)snprintf(buf, size, "%s", c->name);

	for (size_t i = 0; i < n && i < size; i++)
		if (buf[i] == '.')
			buf[i] = ' ';
	if (c->first_positional && n < size)
		snprintf(buf + n, size - n, c->args[0].required ? " <%s>" : " [<%s>]",
			 c->args[0].name);
}

static bool in_group(const struct vs_command_spec *c, const char *group)
{
	size_t len = strlen(group);

	return strncmp(c->name, group, len) == 0 && (c->name[len] == '.' || c->name[len] == '\0');
}

bool vs_help_is_group(const char *word)
{
	const struct vs_command_spec *t = vs_command_table();

	for (int i = 0; i < VS_CMD__COUNT; i++)
		if (in_group(&t[i], word))
			return true;
	return false;
}

/* One line per command of `group` (NULL: all) as a table under `title`. */
static void command_lines(struct vs_writer *w, const char *title, const char *group)
{
	const struct vs_command_spec *t = vs_command_table();
	char syn[128];

	vs_writer_table(w, title, "COMMAND DESCRIPTION", 0);
	for (int i = 0; i < VS_CMD__COUNT; i++) {
		if (group != NULL && !in_group(&t[i], group))
			continue;
		synopsis(&t[i], syn, sizeof(syn));
		vs_writer_cell(w, "%s", syn);
		vs_writer_cell(w, "%s", t[i].help);
	}
}

int vs_help_usage(FILE *f)
{
	struct vs_writer *w = vs_writer_new();
	int ret;

	if (w == NULL)
		return -errno;
	vs_writer_text(w, "usage: vswctl [OPTION...] COMMAND [ARG...]");
	vs_writer_text(w, "       vswctl help [GROUP|COMMAND]    vswctl COMMAND --help");
	vs_writer_blank(w);
	vs_writer_table(w, "options", "OPTION DESCRIPTION", 0);
	vs_writer_cell(w, "-s, --socket SOCKET");
	vs_writer_cell(w, "control socket (default $VSWCTL_SOCKET or %s)", VS_DEFAULT_SOCKET);
	vs_writer_cell(w, "-j, --json");
	vs_writer_cell(w, "print the result as JSON, for programs");
	vs_writer_cell(w, "-t, --timeout SECS");
	vs_writer_cell(w, "give up after SECS seconds (default %g)", VS_CLI_DEFAULT_TIMEOUT_S);
	vs_writer_cell(w, "-V, --version");
	vs_writer_cell(w, "vswctl's version, and vswd's if it answers");
	vs_writer_cell(w, "-h, --help");
	vs_writer_cell(w, "this help; after a command, that command's help");
	vs_writer_blank(w);
	vs_writer_text(w, "Arguments are key=value; a <name> may be given as a bare word.");
	vs_writer_blank(w);
	command_lines(w, "commands", NULL);
	vs_writer_blank(w);
	vs_writer_table(w, "local commands (no vswd needed)", "COMMAND DESCRIPTION", 0);
	for (size_t i = 0; i < sizeof(local_cmds) / sizeof(local_cmds[0]); i++) {
		vs_writer_cell(w, "%s", local_cmds[i][0]);
		vs_writer_cell(w, "%s", local_cmds[i][1]);
	}
	ret = vs_writer_print(w, f);
	vs_writer_free(w);
	return ret;
}

/* "usage: vswctl mac add vlan=<uint> mac=<mac> port=<string>", then the argument table. */
static void command_help(struct vs_writer *w, const struct vs_command_spec *c)
{
	const struct vs_arg_spec *a = c->args + (c->first_positional ? 1 : 0);
	char syn[512];
	size_t n;
	bool optional = false;

	synopsis(c, syn, sizeof(syn));
	n = strlen(syn);
	for (; a->name != NULL; a++) {
		if (a->required && n < sizeof(syn))
			n += (size_t)snprintf(syn + n, sizeof(syn) - n, " %s=<%s>", a->name,
					      vs_arg_type_name(a->type));
		optional = optional || !a->required;
	}
	vs_writer_text(w, "usage: vswctl %s%s", syn, optional ? " [key=value...]" : "");
	vs_writer_text(w, "%s%s", c->help, c->readonly ? " (read-only)" : "");
	if (c->args[0].name == NULL) {
		vs_writer_text(w, "no arguments");
		return;
	}
	vs_writer_blank(w);
	vs_writer_table(w, "arguments", "NAME TYPE REQUIRED DESCRIPTION", 0);
	for (a = c->args; a->name != NULL; a++) {
		vs_writer_cell(w, "%s", a->name);
		vs_writer_cell(w, "%s", vs_arg_type_name(a->type));
		vs_writer_cell(w, "%s", a->required ? "yes" : "");
		vs_writer_cell(w, "%s", a->help);
	}
}

/* The rows of `group` (NULL: all) in the shape of the server's "commands" result. */
static json_t *table_json(const char *group, const struct vs_command_spec *only)
{
	const struct vs_command_spec *t = vs_command_table();
	json_t *cmds = json_array();

	for (int i = 0; i < VS_CMD__COUNT; i++) {
		json_t *args;

		if ((group != NULL && !in_group(&t[i], group)) ||
		    (only != NULL && strcmp(only->name, t[i].name) != 0))
			continue;
		args = json_array();
		for (const struct vs_arg_spec *a = t[i].args; a->name != NULL; a++)
			json_array_append_new(args, json_pack("{s:s, s:s, s:b, s:s}", "name",
							      a->name, "type",
							      vs_arg_type_name(a->type),
							      "required", a->required, "help",
							      a->help));
		json_array_append_new(cmds, json_pack("{s:s, s:s, s:b, s:o}", "name", t[i].name,
						      "help", t[i].help, "readonly",
						      t[i].readonly, "args", args));
	}
	return json_pack("{s:o}", "commands", cmds);
}

static int print_json(FILE *f, const char *group, const struct vs_command_spec *only)
{
	json_t *j = table_json(group, only);
	int ret = j != NULL ? json_dumpf(j, f, JSON_INDENT(2)) : -1;

	json_decref(j);
	fputc('\n', f);
	return ret < 0 ? -ENOMEM : 0;
}

static int group_help(FILE *f, const char *group)
{
	const struct vs_command_spec *t = vs_command_table();
	struct vs_writer *w = vs_writer_new();
	int ret;

	if (w == NULL)
		return -errno;
	for (int i = 0; i < VS_CMD__COUNT; i++) {
		if (!in_group(&t[i], group))
			continue;
		command_help(w, &t[i]);
		vs_writer_blank(w);
	}
	ret = vs_writer_print(w, f);
	vs_writer_free(w);
	return ret;
}

int vs_help_words(FILE *f, char **words, int n, bool as_json)
{
	const struct vs_command_spec *c;
	struct vs_writer *w;
	int used, ret;

	if (n == 0)
		return as_json ? print_json(f, NULL, NULL) : vs_help_usage(f);
	c = vs_args_resolve(words, n, &used, true);
	/* No command is called just "port": "help port" is the group's help. */
	if (c == NULL) {
		if (!vs_help_is_group(words[0])) {
			fprintf(stderr, "vswctl: help: no command or group '%s' "
				"(run 'vswctl help' for the list)\n", words[0]);
			return -ENOENT;
		}
		return as_json ? print_json(f, words[0], NULL) : group_help(f, words[0]);
	}
	if (as_json)
		return print_json(f, NULL, c);
	if ((w = vs_writer_new()) == NULL)
		return -errno;
	command_help(w, c);
	ret = vs_writer_print(w, f);
	vs_writer_free(w);
	return ret;
}
