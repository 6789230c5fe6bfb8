/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: any bytes as the config file, the way vswd -c FILE [--check] reads it
 * (control/core/main.c load_config: JSON with duplicate keys refused, then vs_config_from_json).
 * Invariants (a violation aborts): a refusal is well-formed and names its field; an accepted
 * config survives config.save + reload unchanged (fz_check_roundtrip), and its policies
 * compile against its own ports, networks and namespaces (what startup does after --check
 * said ok).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "control/model/config.h"
#include "control/model/err.h"
#include "fuzz_model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vs_config c;
	struct vs_err e = { 0 };
	json_error_t jerr;
	json_t *root = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr);

	if (root == NULL)
		return 0;
	int rc = vs_config_from_json(root, &c, &e);
	json_t *root_kept = root;	/* for the refusal checks */
	if (rc == 0)
		json_decref(root);
	if (rc < 0) {
		fz_check_err(rc, &e, "config");
		/* "errors name the JSON path" (README): vswd prints "(top)" for none; an unknown
		 * top-level key "" is named by the empty path, which is what it is */
		if (e.field[0] == '\0' && json_is_object(root_kept) &&
		    json_object_get(root_kept, "") == NULL)
			FZ_FAIL("config refused without naming a field: %s", e.msg);
		json_decref(root_kept);
		return 0;
	}
	fz_check_roundtrip(&c, "an accepted config");
	size_t n = json_array_size(c.policies);
	const json_t **pols = calloc(n + 1, sizeof(*pols));
	if (pols == NULL)
		abort();
	for (size_t i = 0; i < n; i++)
		pols[i] = json_array_get(c.policies, i);
	fz_check_compiles(&c, pols, (unsigned int)n, "an accepted config's policies");
	free(pols);
	vs_config_release(&c);
	return 0;
}
