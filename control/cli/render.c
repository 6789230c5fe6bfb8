/* SPDX-License-Identifier: BSD-3-Clause */
/* Generic JSON-to-writer rendering: see render.h. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

static bool is_scalar(const json_t *v)
{
	return v != NULL && !json_is_object(v) && !json_is_array(v);
}

static bool is_empty(const json_t *v)
{
	return (json_is_object(v) && json_object_size(v) == 0) ||
	       (json_is_array(v) && json_array_size(v) == 0);
}

bool vs_render_is_cell(const json_t *v)
{
	const char *k;
	json_t *m;
	size_t i;

	if (json_is_array(v)) {
		json_array_foreach(v, i, m)
			if (!is_scalar(m))
				return false;
	} else if (json_is_object(v)) {
		json_object_foreach((json_t *)v, k, m)
			if (!is_scalar(m))
				return false;
	}
	return true;
}

static void put_scalar(FILE *f, const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_STRING:
		fputs(json_string_value(v), f);
		break;
	case JSON_INTEGER:
		fprintf(f, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		break;
	case JSON_REAL:
		fprintf(f, "%g", json_real_value(v));
		break;
	case JSON_TRUE:
		fputs("true", f);
		break;
	case JSON_FALSE:
		fputs("false", f);
		break;
	default:
		fputs("-", f);
		break;
	}
}

char *vs_render_text(const json_t *v)
{
	char *s = NULL;
	size_t len;
	const char *k;
	json_t *m;
	size_t i = 0;
	FILE *f;

	if (!vs_render_is_cell(v) || (f = open_memstream(&s, &len)) == NULL)
		return NULL;
	if (v == NULL || is_empty(v))
		fputs("-", f);
	else if (json_is_array(v))
		json_array_foreach(v, i, m) {
			fputs(i ? "," : "", f);
			put_scalar(f, m);
		}
	else if (json_is_object(v))
		json_object_foreach((json_t *)v, k, m) {
			fprintf(f, "%s%s=", i++ ? "," : "", k);
			put_scalar(f, m);
		}
	else
		put_scalar(f, v);
	if (fclose(f) != 0) {
		free(s);
		return NULL;
	}
	return s;
}

void vs_render_cell(struct vs_writer *w, const json_t *o, const char *key)
{
	char *s = vs_render_text(json_object_get(o, key));

	vs_writer_cell(w, "%s", s != NULL ? s : "-");
	free(s);
}

void vs_render_kv(struct vs_writer *w, const json_t *o, const char *key, const char *label)
{
	const json_t *v = json_object_get(o, key);
	char *s = is_empty(v) ? NULL : vs_render_text(v);

	vs_writer_kv(w, label != NULL ? label : key, "%s",
		     s != NULL ? s : is_empty(v) ? "none" : "-");
	free(s);
}

static bool skipped(const char *key, const char *const *skip)
{
	for (; skip != NULL && *skip != NULL; skip++)
		if (strcmp(key, *skip) == 0)
			return true;
	return false;
}

void vs_render_record(struct vs_writer *w, const json_t *obj, const char *const *skip)
{
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)obj, key, v) {
		if (skipped(key, skip))
			continue;
		if (json_is_object(v) && !is_empty(v)) {
			vs_writer_begin(w, key);
			vs_render_record(w, v, NULL);
			vs_writer_end(w);
		} else if (json_is_array(v) && !vs_render_is_cell(v)) {
			vs_render_list(w, key, v);
		} else {
			vs_render_kv(w, obj, key, NULL);
		}
	}
}

/* The table's columns: every key of every element, in the order they first appear. */
static json_t *columns(const json_t *arr)
{
	json_t *cols = json_object(), *row, *v;
	const char *k;
	size_t i;

	json_array_foreach(arr, i, row)
		json_object_foreach(row, k, v) {
			json_t *right = json_object_get(cols, k);

			if (right == NULL)
				json_object_set_new(cols, k, json_boolean(json_is_integer(v)));
			else if (!json_is_integer(v))
				json_object_set(cols, k, json_false());
		}
	return cols;
}

/* Wider than this, rows read better as records (config.show's ports). */
#define MAX_COLUMNS 10

static bool table_fits(const json_t *arr)
{
	json_t *cols = columns(arr), *row, *v;
	size_t i, ncols = json_object_size(cols);
	const char *k;

	json_decref(cols);
	if (ncols > MAX_COLUMNS)
		return false;
	json_array_foreach(arr, i, row) {
		if (!json_is_object(row))
			return false;
		json_object_foreach(row, k, v)
			if (!vs_render_is_cell(v))
				return false;
	}
	return true;
}

static void render_table(struct vs_writer *w, const char *title, const json_t *arr)
{
	json_t *cols = columns(arr), *right, *row;
	const char *k;
	size_t i;

	vs_writer_table(w, title, NULL, 0);
	json_object_foreach(cols, k, right) {
		char up[64];
		size_t j;

		for (j = 0; k[j] != '\0' && j < sizeof(up) - 1; j++)
			up[j] = (char)toupper((unsigned char)k[j]);
		up[j] = '\0';
		vs_writer_column(w, up, json_is_true(right));
	}
	json_array_foreach(arr, i, row)
		json_object_foreach(cols, k, right)
			vs_render_cell(w, row, k);
	json_decref(cols);
}

void vs_render_list(struct vs_writer *w, const char *title, const json_t *arr)
{
	json_t *row;
	size_t i;

	if (table_fits(arr)) {
		render_table(w, title, arr);
		return;
	}
	/* One record per element, titled by its name when it has one. */
	if (title != NULL)
		vs_writer_begin(w, title);
	json_array_foreach(arr, i, row) {
		const char *name = json_string_value(json_object_get(row, "name"));
		char t[32];

		snprintf(t, sizeof(t), "#%zu", i);
		vs_writer_begin(w, name != NULL ? name : t);
		if (json_is_object(row)) {
			vs_render_record(w, row, NULL);
		} else {
			char *s = vs_render_text(row);

			if (s != NULL)
				vs_writer_text(w, "%s", s);
			else if (json_is_array(row))
				vs_render_list(w, NULL, row);
			free(s);
		}
		vs_writer_end(w);
	}
	if (title != NULL)
		vs_writer_end(w);
}

void vs_render_nonzero(struct vs_writer *w, const char *title, const json_t *obj)
{
	const char *k;
	json_t *v;
	bool any = false;

	json_object_foreach((json_t *)obj, k, v)
		any = any || (json_is_number(v) && json_number_value(v) != 0);
	if (!any) {
		vs_writer_kv(w, title, "none");
		return;
	}
	vs_writer_begin(w, title);
	json_object_foreach((json_t *)obj, k, v)
		if (json_is_number(v) && json_number_value(v) != 0)
			vs_render_kv(w, obj, k, NULL);
	vs_writer_end(w);
}

void vs_render_result(struct vs_writer *w, const json_t *res)
{
	const char *k;
	json_t *v;

	if (json_is_object(res) && json_object_size(res) == 0) {
		vs_writer_text(w, "ok");
		return;
	}
	if (json_is_object(res) && json_object_size(res) == 1) {
		json_object_foreach((json_t *)res, k, v)
			if (json_is_array(v) && json_array_size(v) > 0 && table_fits(v)) {
				render_table(w, NULL, v);
				return;
			}
	}
	if (json_is_object(res))
		vs_render_record(w, res, NULL);
	else if (json_is_array(res))
		vs_render_list(w, NULL, res);
	else {
		char *s = vs_render_text(res);

		vs_writer_text(w, "%s", s != NULL ? s : "-");
		free(s);
	}
}
