/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * JSON values onto the writer: the generic fallback every command has (an object is a
 * record, an array of objects a table, or one record per element when they nest), and
 * the cell helpers the per-command views use. Nothing here prints JSON text: a value
 * that fits no cell becomes a nested record. Single-threaded, like the whole CLI.
 */
#ifndef VS_CLI_RENDER_H
#define VS_CLI_RENDER_H

#include <jansson.h>
#include <stdbool.h>

#include "writer.h"

/* True for what fits one cell: a scalar, an array of scalars, an object of scalars. */
bool vs_render_is_cell(const json_t *v);
/* The cell text of v ("a,b" for arrays, "k=v,k2=v2" for objects, "-" for NULL or empty);
 * malloc'd, NULL if v is not a cell or on ENOMEM. */
char *vs_render_text(const json_t *v);
/* Adds o's member `key` as the next cell of the current table ("-" when absent). */
void vs_render_cell(struct vs_writer *w, const json_t *o, const char *key);
/* Adds o's member `key` as a "key: value" line, under `label` (NULL: the key itself). */
void vs_render_kv(struct vs_writer *w, const json_t *o, const char *key, const char *label);

/* obj's members as record lines, nested objects as nested records; keys in the
 * NULL-terminated `skip` (may be NULL) are left out. */
void vs_render_record(struct vs_writer *w, const json_t *obj, const char *const *skip);
/* An array of objects under `title` (NULL: untitled): a table when every member of every
 * element is a cell, otherwise one nested record per element. */
void vs_render_list(struct vs_writer *w, const char *title, const json_t *arr);
/* The non-zero numbers of obj (counters) as a record under `title`; "title: none" if all 0. */
void vs_render_nonzero(struct vs_writer *w, const char *title, const json_t *obj);
/* Any result: {} is "ok", {"xs": [objects]} an untitled table, anything else a record. */
void vs_render_result(struct vs_writer *w, const json_t *res);

#endif
