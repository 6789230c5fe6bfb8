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

struct vs_persist_stats vs_persist_stats;

/* The running config's lists: what clients change at run time. */
static const char *const lists[] = { "ports", "static_macs", "networks", "namespaces",
				     "policies", NULL };

static char *last;	/* the text last written */

int vs_persist_merge(json_t *root, const char *state_dir, bool *used)
{
	char path[4200];
	json_error_t je;

	*used = false;
	snprintf(path, sizeof(path), "%s/%s", state_dir, VS_PERSIST_FILE);
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return 0;	/* the first start: the -c file's lists */
	FILE *f = fd >= 0 ? fdopen(fd, "r") : NULL;
	if (f == NULL) {
		fprintf(stderr, "vswd: cannot open %s: %s (control.persist: remove it to start "
				"from the -c file's ports and policies)\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	json_t *state = json_loadf(f, JSON_REJECT_DUPLICATES, &je);
	fclose(f);
	if (!json_is_object(state)) {
		fprintf(stderr, "vswd: %s:%d:%d: %s (control.persist: remove it to start from the "
				"-c file's ports and policies)\n", path, je.line, je.column,
			state ? "not a JSON object" : je.text);
		json_decref(state);
		return -1;
	}
	for (const char *const *k = lists; *k != NULL; k++) {
		json_t *v = json_object_get(state, *k);
		if (v != NULL)
			json_object_set(root, *k, v);
		else
			json_object_del(root, *k);
	}
	json_decref(state);
	*used = true;
	vs_persist_stats.loaded = true;
	return 0;
}

void vs_persist_save(void)
{
	if (!vs_st.cfg->control.persist)
		return;
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
		return;
	}
	int rc = vs_st.state_dir_real[0] == '\0' ? -ENOENT :
		 vs_write_atomic(vs_st.state_dir_real, VS_PERSIST_FILE, text, strlen(text), 0600,
				 vs_st.state_dev, vs_st.state_ino);
	if (rc < 0) {
		vs_persist_stats.errors++;
		vs_persist_stats.last_errno = -rc;
		VS_LOG_RL(ERR, "control.persist: cannot write %s/%s: %s: the change is applied "
			  "but a restart would lose it", vs_st.cfg->control.state_dir,
			  VS_PERSIST_FILE, strerror(-rc));
		free(text);
		return;
	}
	vs_persist_stats.writes++;
	free(last);
	last = text;
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
