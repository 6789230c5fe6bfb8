/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The one text writer of vswctl (lldpd's pattern): every human view is built from records
 * (aligned "key: value" lines, nested records indented under a title) and tables (aligned
 * columns under an upper-case header, numbers right-aligned). Views add items in order;
 * vs_writer_print() lays them out, so the widths of a record's keys and a table's columns
 * are known before the first line is printed. --json never goes through the writer: it
 * prints the server's result unchanged.
 *
 * Errors are sticky: an allocation failure makes every later call a no-op and
 * vs_writer_print() return -ENOMEM. The CLI is single-threaded; no locking.
 */
#ifndef VS_CLI_WRITER_H
#define VS_CLI_WRITER_H

#include <stdbool.h>
#include <stdio.h>

struct vs_writer;

/* Returns an empty writer, or NULL with errno set. */
struct vs_writer *vs_writer_new(void);
/* Accepts NULL. */
void vs_writer_free(struct vs_writer *w);

/* One "key: value" line of the current record; keys of one record share one width. */
void vs_writer_kv(struct vs_writer *w, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Starts a nested record under "title:"; vs_writer_end() closes it. */
void vs_writer_begin(struct vs_writer *w, const char *title);
void vs_writer_end(struct vs_writer *w);
/* An empty line, e.g. between two top-level records. */
void vs_writer_blank(struct vs_writer *w);
/* A line of free text at the current depth. */
void vs_writer_text(struct vs_writer *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Starts a table at the current depth, under "title:" when title is not NULL. `head` is a
 * space-separated header ("VLAN MAC PORT"); bit i of `right` right-aligns column i. More
 * columns may follow with vs_writer_column() before the first cell.
 */
void vs_writer_table(struct vs_writer *w, const char *title, const char *head,
		     unsigned long right);
void vs_writer_column(struct vs_writer *w, const char *name, bool right);
/* The next cell of the current table, row by row. */
void vs_writer_cell(struct vs_writer *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Prints everything added so far to f; returns 0, -ENOMEM or -errno of the write. */
int vs_writer_print(struct vs_writer *w, FILE *f);

#endif
