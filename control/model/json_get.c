/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Reading typed fields out of JSON objects with errors that name the field: the
 * helpers every decoder of the model shares (config sections, port arguments, policies). Pure.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control/model/json_get.h"
#include "control/model/err.h"

int vs_json_copy_str(char *dst, size_t len, const json_t *v, const char *field, struct vs_err *e)
{
	const char *s = json_string_value(v);
	if (strlen(s) >= len)
		return vs_err_set(e, ENAMETOOLONG, field, "'%s' is %zu bytes, longer than the %zu allowed",
				  s, strlen(s), len - 1);
	snprintf(dst, len, "%s", s);
	return 0;
}

int vs_perm_parse(const char *s, uint32_t *out, const char *field, struct vs_err *e)
{
	size_t n = strlen(s);
	bool digits = n >= 3 && n <= 4 && strspn(s, "01234567") == n;
	unsigned long v = digits ? strtoul(s, NULL, 8) : 0;
	if (!digits || v > 0777 || v == 0)
		return vs_err_set(e, EINVAL, field, "'%s': expected an octal mode like 0660", s);
	*out = (uint32_t)v;
	return 0;
}

/* Checks that o has only the given keys. */
int vs_json_only_keys(const json_t *o, const char *path, const char *const *keys,
		     struct vs_err *e)
{
	const char *key;
	json_t *v;
	char f[160];

	if (!json_is_object(o))
		return vs_err_set(e, EINVAL, path, "expected an object");
	json_object_foreach((json_t *)o, key, v) {
		bool known = false;
		for (const char *const *k = keys; *k != NULL; k++)
			known |= strcmp(*k, key) == 0;
		if (!known)
			return vs_err_set(e, EINVAL, VS_FIELD(f, path, key), "unknown key");
	}
	return 0;
}

int vs_json_get_u32(const json_t *o, const char *path, const char *key, uint64_t min,
		    uint64_t max, uint32_t *out, struct vs_err *e)
{
	char f[160];
	json_t *v = json_object_get(o, key);
	if (v == NULL)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < (json_int_t)min ||
	    (uint64_t)json_integer_value(v) > max)
		return vs_err_set(e, ERANGE, VS_FIELD(f, path, key),
				  "expected an integer %llu..%llu", (unsigned long long)min,
				  (unsigned long long)max);
	*out = (uint32_t)json_integer_value(v);
	return 0;
}

int vs_json_get_bool(const json_t *o, const char *path, const char *key, bool *out,
		    struct vs_err *e)
{
	char f[160];
	json_t *v = json_object_get(o, key);
	if (v == NULL)
		return 0;
	if (!json_is_boolean(v))
		return vs_err_set(e, EINVAL, VS_FIELD(f, path, key), "expected true or false");
	*out = json_is_true(v);
	return 0;
}

int vs_json_get_str(const json_t *o, const char *path, const char *key, char *out, size_t len,
		   struct vs_err *e)
{
	char f[160];
	json_t *v = json_object_get(o, key);
	if (v == NULL)
		return 0;
	if (!json_is_string(v))
		return vs_err_set(e, EINVAL, VS_FIELD(f, path, key), "expected a string");
	return vs_json_copy_str(out, len, v, VS_FIELD(f, path, key), e);
}

int vs_json_get_strref(const json_t *o, const char *key, const char *path, bool required,
			 const char **out, struct vs_err *e)
{
	char f[256];
	json_t *v = json_object_get(o, key);
	*out = NULL;
	if (v == NULL)
		return required ? vs_err_set(e, EINVAL, VS_FIELD(f, path, key), "required") : 0;
	if (!json_is_string(v))
		return vs_err_set(e, EINVAL, VS_FIELD(f, path, key), "expected a string");
	*out = json_string_value(v);
	return 0;
}

int vs_json_get_array(const json_t *o, const char *key, const char *path, size_t max,
		       json_t **out, struct vs_err *e)
{
	char f[256];
	json_t *v = json_object_get(o, key);
	*out = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_array(v))
		return vs_err_set(e, EINVAL, VS_FIELD(f, path, key), "expected an array");
	if (json_array_size(v) > max)
		return vs_err_set(e, E2BIG, VS_FIELD(f, path, key), "more than %zu entries", max);
	*out = v;
	return 0;
}
