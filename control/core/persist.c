/* SPDX-License-Identifier: BSD-3-Clause */
/* The running state across restarts: see persist.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "control/core/core.h"
#include "control/core/log.h"
#include "control/core/persist.h"
#include "control/core/safe_fs.h"
#include "control/core/state.h"
#include "control/policy/netpol.h"

struct vs_persist_stats vs_persist_stats;

/* The running config's lists: what clients change at run time. The policies, which can be
 * megabytes, have a file of their own, rewritten only when the set changed. */
static const char *const lists[] = { "ports", "static_macs", "networks", "namespaces", NULL };

static char *last;	/* the text last written */
/* the policy set last written: every apply takes a new sequence number, every delete lowers
 * the count, so an equal pair is an unchanged set */
static struct {
	bool written;
	uint64_t next_seq;
	uint32_t n;
} pol_written;

static int load(const char *state_dir, const char *name, json_t **out)
{
	char path[4200];
	json_error_t je;

	*out = NULL;
	snprintf(path, sizeof(path), "%s/%s", state_dir, name);
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return 0;
	FILE *f = fd >= 0 ? fdopen(fd, "r") : NULL;
	if (f == NULL) {
		fprintf(stderr, "vswd: cannot open %s: %s (control.persist: remove %s/%s* to "
				"start from the -c file's ports and policies)\n", path,
			strerror(errno), state_dir, VS_PERSIST_PREFIX);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*out = json_loadf(f, JSON_REJECT_DUPLICATES, &je);
	fclose(f);
	if (!json_is_object(*out)) {
		fprintf(stderr, "vswd: %s:%d:%d: %s (control.persist: remove %s/%s* to start from "
				"the -c file's ports and policies)\n", path, je.line, je.column,
			*out ? "not a JSON object" : je.text, state_dir, VS_PERSIST_PREFIX);
		json_decref(*out);
		*out = NULL;
		return -1;
	}
	return 1;
}

int vs_persist_merge(json_t *root, const char *state_dir, bool *used)
{
	json_t *state, *pols;
	int rs, rp;

	*used = false;
	if ((rs = load(state_dir, VS_PERSIST_FILE, &state)) < 0 ||
	    (rp = load(state_dir, VS_PERSIST_POLICIES, &pols)) < 0) {
		json_decref(state);
		return -1;
	}
	if (rs == 0 && rp == 0)
		return 0;	/* the first start: the -c file's lists */
	for (const char *const *k = lists; *k != NULL && state != NULL; k++) {
		json_t *v = json_object_get(state, *k);
		if (v != NULL)
			json_object_set(root, *k, v);
		else
			json_object_del(root, *k);
	}
	if (pols != NULL)
		json_object_set(root, "policies", json_object_get(pols, "policies"));
	json_decref(state);
	json_decref(pols);
	*used = true;
	vs_persist_stats.loaded = true;
	return 0;
}

static int write_file(const char *name, const char *text)
{
	int rc = vs_st.state_dir_real[0] == '\0' ? -ENOENT :
		 vs_write_atomic(vs_st.state_dir_real, name, text, strlen(text), 0600,
				 vs_st.state_dev, vs_st.state_ino);
	if (rc < 0) {
		vs_persist_stats.errors++;
		vs_persist_stats.last_errno = -rc;
		VS_LOG_RL(ERR, "control.persist: cannot write %s/%s: %s: the change is applied "
			  "but a restart would lose it", vs_st.cfg->control.state_dir, name,
			  strerror(-rc));
		return rc;
	}
	vs_persist_stats.writes++;
	return 0;
}

/* The policies' file, when the set changed since it was written. */
static void save_policies(void)
{
	if (pol_written.written && pol_written.next_seq == vs_np.next_seq &&
	    pol_written.n == vs_np.n_policies)
		return;
	json_t *pols = json_array();
	for (uint32_t i = 0; i < vs_np.n_policies; i++)
		json_array_append(pols, vs_np.policies[i].obj);
	json_t *out = json_pack("{s:o}", "policies", pols);
	char *text = out ? json_dumps(out, JSON_COMPACT) : NULL;
	json_decref(out);
	if (text == NULL) {
		vs_persist_stats.errors++;
		vs_persist_stats.last_errno = ENOMEM;
		return;
	}
	if (write_file(VS_PERSIST_POLICIES, text) == 0)
		pol_written.written = true, pol_written.next_seq = vs_np.next_seq,
		pol_written.n = vs_np.n_policies;
	free(text);
}

void vs_persist_save(void)
{
	if (!vs_st.cfg->control.persist)
		return;
	/* the lists without the policies: what vs_core_running_config has, minus those */
	json_t *run = vs_core_running_config(), *out = json_object();
	for (const char *const *k = lists; *k != NULL; k++)
		json_object_set(out, *k, json_object_get(run, *k));
	json_decref(run);
	char *text = json_dumps(out, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(out);
	if (text == NULL) {
		vs_persist_stats.errors++;
		vs_persist_stats.last_errno = ENOMEM;
		VS_LOG_RL(ERR, "control.persist: out of memory writing the running state");
		return;
	}
	if (last != NULL && strcmp(last, text) == 0) {
		vs_persist_stats.unchanged++;	/* counters cleared, MACs flushed, ... */
		free(text);
		save_policies();
		return;
	}
	/* the state first, the policies after it, and only then: a policy never names a
	 * network the state file lacks (network.del refuses a network in use) */
	if (write_file(VS_PERSIST_FILE, text) < 0) {
		free(text);
		return;
	}
	free(last);
	last = text;
	save_policies();
}

void vs_persist_free(void)
{
	free(last);
	last = NULL;
}

json_t *vs_persist_to_json(void)
{
	return json_pack("{s:b, s:b, s:I, s:I, s:I, s:s}", "enabled",
			 vs_st.cfg->control.persist, "loaded", vs_persist_stats.loaded, "writes",
			 (json_int_t)vs_persist_stats.writes, "unchanged",
			 (json_int_t)vs_persist_stats.unchanged, "errors",
			 (json_int_t)vs_persist_stats.errors, "last_error",
			 vs_persist_stats.last_errno ? strerror(vs_persist_stats.last_errno) : "");
}
