/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The running state across restarts (control.persist, README "Configuration"). After every
 * request that changed the switch, the lists of the running config (ports, static_macs,
 * networks, namespaces; the policies in a file of their own, rewritten only when the set
 * changed) are written to <state_dir>/running-*.json, atomically and fsync'd (vs_write_atomic), so that a port a client added (vsw-cni, an agent, vswctl)
 * survives a restart or a crash. At start, vswd takes those lists from the file instead of
 * the -c file's; the -c file keeps everything else (dpdk, workers, control, fdb...). Control
 * thread only.
 */
#ifndef VS_PERSIST_H
#define VS_PERSIST_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#define VS_PERSIST_PREFIX "running-"
#define VS_PERSIST_FILE "running-state.json"	/* ports, static MACs, networks, namespaces */
#define VS_PERSIST_POLICIES "running-policies.json"	/* the policies */

struct vs_persist_stats {
	uint64_t writes;	/* the file rewritten */
	uint64_t unchanged;	/* a change request that left the lists as written */
	uint64_t errors;	/* could not write (logged); the change stays applied */
	int last_errno;
	bool loaded;		/* this start's lists came from the file */
};
extern struct vs_persist_stats vs_persist_stats;

/* At start, with the -c file parsed into root: when the state file exists, its lists replace
 * root's. Returns 0 (*used: whether it did), or -1 after printing why: a state file that
 * cannot be read is not silently dropped. */
int vs_persist_merge(json_t *root, const char *state_dir, bool *used);
/* After a change (and once after startup): rewrites the file if the lists differ from what
 * was written last. No-op unless control.persist. */
void vs_persist_save(void);
void vs_persist_free(void);
json_t *vs_persist_to_json(void);

#endif
