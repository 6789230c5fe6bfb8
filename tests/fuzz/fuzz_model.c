/* SPDX-License-Identifier: BSD-3-Clause */
/* The fuzz targets' shared world and invariants; see fuzz_model.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vs_types.h"
#include "control/model/config.h"
#include "control/model/err.h"
#include "control/model/policy.h"
#include "fuzz_model.h"

static json_t *world;

const json_t *fz_world_json(void)
{
	json_error_t err;

	if (world == NULL && (world = json_load_file(FZ_WORLD, JSON_REJECT_DUPLICATES, &err)) == NULL)
		FZ_FAIL("%s:%d: %s", FZ_WORLD, err.line, err.text);
	return world;
}

void fz_world_load(struct vs_config *c)
{
	struct vs_err e = { 0 };

	if (vs_config_from_json(fz_world_json(), c, &e) < 0)
		FZ_FAIL("%s refused: %s: %s", FZ_WORLD, e.field, e.msg);
}

char *fz_dump(const json_t *j)
{
	char *s = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY) : NULL;
	return s ? s : strdup("(null)");
}

void fz_check_err(int rc, const struct vs_err *e, const char *what)
{
	if (rc >= 0)
		FZ_FAIL("%s: refusal with rc %d", what, rc);
	if (e->code <= 0 || e->code >= 4096 || rc != -e->code)
		FZ_FAIL("%s: rc %d, e.code %d (%s)", what, rc, e->code, e->msg);
	if (strerrorname_np(e->code) == NULL)
		FZ_FAIL("%s: e.code %d is not an errno", what, e->code);
	if (memchr(e->msg, '\0', sizeof(e->msg)) == NULL || e->msg[0] == '\0')
		FZ_FAIL("%s: errno %d without a message", what, e->code);
	if (memchr(e->field, '\0', sizeof(e->field)) == NULL)
		FZ_FAIL("%s: field not terminated", what);
}

void fz_check_roundtrip(const struct vs_config *c, const char *what)
{
	static struct vs_config back;
	struct vs_err e = { 0 };
	json_error_t jerr;
	json_t *j = vs_config_to_json(c);
	char *s = json_dumps(j, JSON_INDENT(2));	/* as config.save writes it */
	json_t *parsed = s ? json_loads(s, JSON_REJECT_DUPLICATES, &jerr) : NULL;

	if (parsed == NULL)
		FZ_FAIL("%s: the saved config is not JSON (%s): %s", what, s ? jerr.text : "dump",
			s ? s : "");
	if (vs_config_from_json(parsed, &back, &e) < 0)
		FZ_FAIL("%s: the saved config is refused: %s: %s\n%s", what, e.field, e.msg, s);
	json_t *j2 = vs_config_to_json(&back);
	if (!json_equal(j, j2)) {
		char *a = fz_dump(j), *b = fz_dump(j2);
		FZ_FAIL("%s: the saved config reloads differently:\n%s\n%s", what, a, b);
	}
	vs_config_release(&back);
	json_decref(j2);
	json_decref(parsed);
	json_decref(j);
	free(s);
}

void fz_inventory(const struct vs_config *c, struct vs_inventory *inv, struct vs_inv_port *ports)
{
	for (uint16_t i = 0; i < c->n_ports; i++)
		ports[i] = (struct vs_inv_port){ i, &c->ports[i] };
	*inv = (struct vs_inventory){ ports, c->n_ports, c->namespaces, c->n_namespaces,
				      c->networks, c->n_networks };
}

/* What goes into the rte_acl contexts: every port's entries are there, under its own slot or
 * under the slot it shares, which has the same entries but the slot. */
static void check_plan(const struct vs_compiled *c, const char *what)
{
	struct vs_acl_plan pl;
	if (vs_acl_plan(c, &pl) < 0)
		return;	/* ENOMEM */
	uint32_t kept[VS_MAX_PORTS] = { 0 }, all[VS_MAX_PORTS] = { 0 };
	for (uint32_t i = 0; i < pl.n_keep; i++) {
		if (i > 0 && pl.keep[i] <= pl.keep[i - 1])
			FZ_FAIL("%s: ACL plan keeps entries out of order", what);
		kept[c->entries[pl.keep[i]].slot]++;
	}
	for (uint32_t i = 0; i < c->n_entries; i++)
		all[c->entries[i].slot]++;
	for (int s = 0; s < VS_MAX_PORTS; s++) {
		uint8_t r = pl.acl_slot[s];
		if (r > s || (r != s && (pl.acl_slot[r] != r || kept[s] != 0 || kept[r] != all[s])) ||
		    (r == s && kept[s] != all[s]))
			FZ_FAIL("%s: ACL plan: slot %d uses %u (%u of %u entries kept, %u there)",
				what, s, r, kept[s], all[s], kept[r]);
	}
	vs_acl_plan_free(&pl);
}

void fz_check_compiles(const struct vs_config *c, const json_t *const *pols, unsigned int n,
		       const char *what)
{
	static struct vs_inv_port ports[VS_MAX_PORTS];
	static uint16_t slots[VS_MAX_PORTS];
	struct vs_inventory inv;
	struct vs_compiled out;
	struct vs_err e = { 0 };

	fz_inventory(c, &inv, ports);
	int rc = vs_policy_compile(pols, n, &inv, &out, &e);
	/* the one limit that depends on the inventory: 4M ACL entries in all */
	bool entry_limit = e.code == E2BIG && strstr(e.msg, "ACL entries") != NULL;
	if (rc < 0 && e.code != ENOMEM && !entry_limit) {
		char *s = n ? fz_dump(pols[0]) : strdup("");
		FZ_FAIL("%s: %u accepted policies do not compile: %s: %s (errno %d)\n%s", what, n,
			e.field, e.msg, e.code, s);
	}
	if (rc == 0) {
		for (uint32_t i = 0; i < out.n_entries; i++) {
			const struct vs_acl_entry *en = &out.entries[i];
			if (en->info >= out.n_infos || en->slot >= c->n_ports ||
			    (en->family != 4 && en->family != 6) ||
			    en->plen > (en->family == 4 ? 32 : 128) || en->port_lo > en->port_hi ||
			    en->priority > VS_ACL_PRIORITY_MAX)
				FZ_FAIL("%s: bad ACL entry %u: info %u/%u slot %u family %u plen %u "
					"ports %u-%u priority %u", what, i, en->info, out.n_infos,
					en->slot, en->family, en->plen, en->port_lo, en->port_hi,
					en->priority);
		}
		for (uint32_t i = 0; i < out.n_infos; i++)
			if (out.infos[i].policy >= n)
				FZ_FAIL("%s: rule info %u names policy %u of %u", what, i,
					out.infos[i].policy, n);
		check_plan(&out, what);
	}
	vs_compiled_free(&out);
	for (unsigned int i = 0; i < n; i++)
		if (vs_policy_selected(pols[i], &inv, slots) > c->n_ports)
			FZ_FAIL("%s: policy %u selects more ports than there are", what, i);
}
