/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Typed fields out of JSON objects, with errors naming the field ("path.key"). A missing
 * optional key leaves *out as it was. Pure model (Jansson only); any thread.
 */
#ifndef VS_JSON_GET_H
#define VS_JSON_GET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "control/model/err.h"

/* o is an object with no key but keys (NULL-terminated). */
int vs_json_only_keys(const json_t *o, const char *path, const char *const *keys,
		      struct vs_err *e);
/* An integer min..max (at most UINT32_MAX). */
int vs_json_get_u32(const json_t *o, const char *path, const char *key, uint64_t min,
		    uint64_t max, uint32_t *out, struct vs_err *e);
int vs_json_get_bool(const json_t *o, const char *path, const char *key, bool *out,
		     struct vs_err *e);
/* A string that fits len with its NUL. */
int vs_json_get_str(const json_t *o, const char *path, const char *key, char *out, size_t len,
		    struct vs_err *e);
/* A string left in o (*out NULL when absent and not required). */
int vs_json_get_strref(const json_t *o, const char *key, const char *path, bool required,
		       const char **out, struct vs_err *e);
/* An array of at most max entries (*out NULL when absent or null). */
int vs_json_get_array(const json_t *o, const char *key, const char *path, size_t max,
		      json_t **out, struct vs_err *e);
/* The string v into dst, refused (ENAMETOOLONG) if it does not fit. */
int vs_json_copy_str(char *dst, size_t len, const json_t *v, const char *field,
		     struct vs_err *e);
/* An octal file mode "0660": 3-4 digits, not 0, at most 0777. */
int vs_perm_parse(const char *s, uint32_t *out, const char *field, struct vs_err *e);

#endif
