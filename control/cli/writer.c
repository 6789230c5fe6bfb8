/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The text writer: items are kept in order and laid out at the end, so that alignment
 * can look at everything. A record's keys are aligned among the keys of the same record
 * (its direct "key: value" lines), even when a nested record or a table sits between them.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* vasprintf; meson passes -D_GNU_SOURCE already */
#endif
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "writer.h"

#define MAX_DEPTH 32
#define INDENT 2

enum kind { KV, BEGIN, BLANK, TEXT, TABLE };

struct table {
	size_t ncols;
	unsigned long right;	/* bit i set: right-align column i */
	char **cells;		/* row-major; the first ncols cells are the header */
	size_t n, cap;
};

struct item {
	enum kind kind;
	int depth;
	size_t parent;		/* 1 + index of the BEGIN item this belongs to; 0: top level */
	char *key;		/* KV: the key; BEGIN, TABLE: the title (may be NULL) */
	char *val;		/* KV: the value; TEXT: the line */
	struct table *t;	/* TABLE */
};

struct vs_writer {
	struct item *items;
	size_t n, cap;
	size_t stack[MAX_DEPTH];	/* parent values of the open records */
	int depth;
	struct table *table;	/* the table cells go to; NULL after any other item */
	int err;		/* sticky -ENOMEM */
};

struct vs_writer *vs_writer_new(void)
{
	return calloc(1, sizeof(struct vs_writer));
}

static void table_free(struct table *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->n; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t);
}

void vs_writer_free(struct vs_writer *w)
{
	if (w == NULL)
		return;
	for (size_t i = 0; i < w->n; i++) {
		free(w->items[i].key);
		free(w->items[i].val);
		table_free(w->items[i].t);
	}
	free(w->items);
	free(w);
}

/* Appends an item at the current depth; returns NULL (and sets the sticky error) on ENOMEM. */
static struct item *add(struct vs_writer *w, enum kind kind)
{
	struct item *it;

	if (w->err != 0)
		return NULL;
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 64;
		struct item *items = realloc(w->items, cap * sizeof(*items));

		if (items == NULL) {
			w->err = -ENOMEM;
			return NULL;
		}
		w->items = items;
		w->cap = cap;
	}
	it = &w->items[w->n++];
	*it = (struct item){ .kind = kind, .depth = w->depth,
			     .parent = w->depth > 0 ? w->stack[w->depth - 1] : 0 };
	w->table = NULL;
	return it;
}

static char *dup_or_fail(struct vs_writer *w, const char *s)
{
	char *d = s != NULL ? strdup(s) : NULL;

	if (s != NULL && d == NULL)
		w->err = -ENOMEM;
	return d;
}

static char *vformat(struct vs_writer *w, const char *fmt, va_list ap)
{
	char *s;

	if (vasprintf(&s, fmt, ap) < 0) {
		w->err = -ENOMEM;
		return NULL;
	}
	return s;
}

void vs_writer_kv(struct vs_writer *w, const char *key, const char *fmt, ...)
{
	struct item *it = add(w, KV);
	va_list ap;

	if (it == NULL)
		return;
	it->key = dup_or_fail(w, key);
	va_start(ap, fmt);
	it->val = vformat(w, fmt, ap);
	va_end(ap);
}

void vs_writer_begin(struct vs_writer *w, const char *title)
{
	struct item *it = add(w, BEGIN);

	if (it == NULL)
		return;
	it->key = dup_or_fail(w, title);
	/* Deeper than MAX_DEPTH (no view nests that far) stays at the last level. */
	if (w->depth < MAX_DEPTH)
		w->stack[w->depth++] = w->n;
}

void vs_writer_end(struct vs_writer *w)
{
	if (w->depth > 0)
		w->depth--;
	w->table = NULL;
}

void vs_writer_blank(struct vs_writer *w)
{
	add(w, BLANK);
}

void vs_writer_text(struct vs_writer *w, const char *fmt, ...)
{
	struct item *it = add(w, TEXT);
	va_list ap;

	if (it == NULL)
		return;
	va_start(ap, fmt);
	it->val = vformat(w, fmt, ap);
	va_end(ap);
}

static void push_cell(struct vs_writer *w, struct table *t, char *s)
{
	if (s == NULL)
		return;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		char **cells = realloc(t->cells, cap * sizeof(*cells));

		if (cells == NULL) {
			free(s);
			w->err = -ENOMEM;
			return;
		}
		t->cells = cells;
		t->cap = cap;
	}
	t->cells[t->n++] = s;
}

void vs_writer_table(struct vs_writer *w, const char *title, const char *head,
		     unsigned long right)
{
	struct item *it = add(w, TABLE);

	if (it == NULL)
		return;
	it->key = dup_or_fail(w, title);
	it->t = calloc(1, sizeof(*it->t));
	if (it->t == NULL) {
		w->err = -ENOMEM;
		return;
	}
	it->t->right = right;
	w->table = it->t;
	for (const char *p = head != NULL ? head : ""; *p != '\0'; it->t->ncols++) {
		size_t n = strcspn(p, " ");

		push_cell(w, it->t, strndup(p, n));
		p += n + (p[n] == ' ');
	}
}

void vs_writer_column(struct vs_writer *w, const char *name, bool right)
{
	struct table *t = w->table;

	if (w->err != 0 || t == NULL || t->n != t->ncols)
		return;		/* only before the first cell */
	if (right && t->ncols < 8 * sizeof(t->right))
		t->right |= 1UL << t->ncols;
	push_cell(w, t, dup_or_fail(w, name));
	t->ncols++;
}

void vs_writer_cell(struct vs_writer *w, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (w->err != 0 || w->table == NULL)
		return;
	va_start(ap, fmt);
	s = vformat(w, fmt, ap);
	va_end(ap);
	push_cell(w, w->table, s);
}

static int print_table(const struct table *t, int indent, FILE *f)
{
	size_t *wid = calloc(t->ncols + 1, sizeof(*wid));

	if (wid == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < t->n; i++)
		if (strlen(t->cells[i]) > wid[i % t->ncols])
			wid[i % t->ncols] = strlen(t->cells[i]);
	for (size_t i = 0; i < t->n; i++) {
		size_t col = i % t->ncols;
		bool last = col == t->ncols - 1 || i == t->n - 1;

		if (col == 0)
			fprintf(f, "%*s", indent, "");
		if (col < 8 * sizeof(t->right) && (t->right & (1UL << col)))
			fprintf(f, "%*s", (int)wid[col], t->cells[i]);
		else
			fprintf(f, "%-*s", last ? 0 : (int)wid[col], t->cells[i]);
		fputs(last ? "\n" : "  ", f);
	}
	free(wid);
	return 0;
}

static int print_item(const struct item *it, const size_t *keyw, FILE *f)
{
	int indent = it->depth * INDENT;

	switch (it->kind) {
	case KV:
		fprintf(f, "%*s%s:%*s%s\n", indent, "", it->key,
			(int)(keyw[it->parent] - strlen(it->key) + 1), "", it->val);
		return 0;
	case BEGIN:
		fprintf(f, "%*s%s:\n", indent, "", it->key);
		return 0;
	case BLANK:
		fputc('\n', f);
		return 0;
	case TEXT:
		fprintf(f, "%*s%s\n", indent, "", it->val);
		return 0;
	case TABLE:
		if (it->t->ncols == 0)
			return 0;
		/* A titled table without rows is one line: "connections: none". */
		if (it->key != NULL && it->t->n <= it->t->ncols) {
			fprintf(f, "%*s%s: none\n", indent, "", it->key);
			return 0;
		}
		if (it->key != NULL)
			fprintf(f, "%*s%s:\n", indent, "", it->key);
		return print_table(it->t, indent + (it->key != NULL ? INDENT : 0), f);
	}
	return 0;
}

int vs_writer_print(struct vs_writer *w, FILE *f)
{
	size_t *keyw;
	int ret = w->err;

	if (ret != 0)
		return ret;
	keyw = calloc(w->n + 1, sizeof(*keyw));
	if (keyw == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < w->n; i++)
		if (w->items[i].kind == KV && strlen(w->items[i].key) > keyw[w->items[i].parent])
			keyw[w->items[i].parent] = strlen(w->items[i].key);
	for (size_t i = 0; i < w->n && ret == 0; i++)
		ret = print_item(&w->items[i], keyw, f);
	free(keyw);
	if (ret == 0 && (fflush(f) != 0 || ferror(f)))
		ret = errno != 0 ? -errno : -EIO;
	return ret;
}
