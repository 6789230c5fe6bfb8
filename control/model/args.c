/* SPDX-License-Identifier: BSD-3-Clause */
/* Checking JSON arguments against the command table's schemas. Pure. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "control/model/args.h"
#include "vs_commands.h"
#include "vs_types.h"
#include "control/model/err.h"
#include "control/model/netpol_cfg.h"
#include "control/model/vlan_set.h"

static int check_type(const struct vs_arg_spec *a, const json_t *v, const char *field,
		      struct vs_err *e)
{
	switch (a->type) {
	case VS_ARG_U64:
	case VS_ARG_UINT:
		if (!json_is_integer(v) || json_integer_value(v) < 0)
			return vs_err_set(e, EINVAL, field, "expected an unsigned integer");
		if (a->type == VS_ARG_UINT && json_integer_value(v) > UINT32_MAX)
			return vs_err_set(e, ERANGE, field, "value too large");
		return 0;
	case VS_ARG_BOOL:
		if (!json_is_boolean(v))
			return vs_err_set(e, EINVAL, field, "expected true or false");
		return 0;
	case VS_ARG_STR:
		if (!json_is_string(v))
			return vs_err_set(e, EINVAL, field, "expected a string");
		return 0;
	case VS_ARG_VLANS: {
		struct vs_vlan_set set;
		if (!json_is_string(v))
			return vs_err_set(e, EINVAL, field,
					  "expected a string of VLANs like \"2003-2005,2010\"");
		return vs_vlan_set_parse(json_string_value(v), &set, e, field);
	}
	case VS_ARG_LABELS: {
		struct vs_labels l;
		return vs_labels_parse(v, &l, field, e);
	}
	case VS_ARG_IPS: {
		struct vs_ip ips[VS_PORT_IPS_MAX];
		uint8_t n;
		return vs_ips_parse(v, ips, &n, VS_PORT_IPS_MAX, field, e);
	}
	case VS_ARG_JSON:
		if (!json_is_object(v) && !json_is_array(v))
			return vs_err_set(e, EINVAL, field, "expected a JSON object or array");
		return 0;
	case VS_ARG_MAC: {
		uint8_t mac[6];
		if (!json_is_string(v) || vs_mac_parse(json_string_value(v), mac) < 0)
			return vs_err_set(e, EINVAL, field,
					  "expected a MAC address like 02:00:00:00:00:01");
		return 0;
	}
	}
	return vs_err_set(e, EINVAL, field, "unknown argument type");
}

int vs_args_check(const struct vs_command_spec *spec, const json_t *args, const char *prefix,
		  struct vs_err *e)
{
	char field[128];
	const char *key;
	json_t *v;

	if (!json_is_object(args))
		return vs_err_set(e, EINVAL, prefix, "expected a JSON object");
	json_object_foreach((json_t *)args, key, v) {
		VS_FIELD(field, prefix, key);
		const struct vs_arg_spec *a = vs_arg_find(spec, key);
		if (a == NULL)
			return vs_err_set(e, EINVAL, field, "unknown argument for %s", spec->name);
		int rc = check_type(a, v, field, e);
		if (rc < 0)
			return rc;
	}
	for (const struct vs_arg_spec *a = spec->args; a->name != NULL; a++) {
		if (a->required && json_object_get(args, a->name) == NULL) {
			return vs_err_set(e, EINVAL, VS_FIELD(field, prefix, a->name),
					  "missing required argument");
		}
	}
	return 0;
}

int vs_request_check(const char *cmd, const json_t *args, const char *prefix, struct vs_err *e)
{
	return vs_args_check(vs_command_find(cmd, NULL), args, prefix, e);
}
