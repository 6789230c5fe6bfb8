/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The control thread's log type, and where DPDK's log lines go. Under systemd with the
 * journal on stderr (JOURNAL_STREAM set), lines go out as they are: the journal stamps them.
 * Anywhere else each line gets a UTC timestamp, so a log file or a terminal says when a
 * change happened. DPDK writes through one FILE (rte_openlog_stream); a fopencookie stream
 * adds the stamp at the start of each line and passes the bytes on to stderr.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>

#include <rte_log.h>

#include "control/core/log.h"

RTE_LOG_REGISTER(vs_logtype_ctl, vsw.ctl, INFO);

static bool at_line_start = true;

static void stamp(void)
{
	struct timespec ts;
	struct tm tm;
	char buf[40];
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	size_t n = strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(stderr, "%.*s.%03ldZ ", (int)n, buf, ts.tv_nsec / 1000000);
}

/* rte_log formats a whole line and writes it at once; still, split on newlines so every
 * line is stamped whatever the writer does. */
static ssize_t stamped_write(void *cookie, const char *buf, size_t size)
{
	(void)cookie;
	size_t off = 0;
	while (off < size) {
		if (at_line_start)
			stamp();
		const char *nl = memchr(buf + off, '\n', size - off);
		size_t len = nl != NULL ? (size_t)(nl - (buf + off)) + 1 : size - off;
		fwrite(buf + off, 1, len, stderr);
		at_line_start = nl != NULL;
		off += len;
	}
	fflush(stderr);
	return (ssize_t)size;
}

void vs_log_init(void)
{
	if (getenv("JOURNAL_STREAM") != NULL)
		return;
	static const cookie_io_functions_t io = { .write = stamped_write };
	FILE *f = fopencookie(NULL, "w", io);
	if (f == NULL)
		return;	/* DPDK's default stream, unstamped */
	setvbuf(f, NULL, _IOLBF, 0);
	rte_openlog_stream(f);
}
