/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: any JSON as a policy object, or an array of them, through the policy
 * checker (control/model/policy_check.c) and, when the checker accepts, the compiler
 * (control/model/policy_compile.c) against the world's inventory (tests/fuzz/world.json: pods in
 * two namespaces on two networks, one tenant reusing another's subnet, a port without a
 * namespace, a trunk). The invariant: whatever the checker accepts compiles (the checker is
 * where a policy is refused, naming the field; the compiler may only run out of memory),
 * yielding well-formed ACL entries (fz_check_compiles). Refusals are well-formed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "control/model/config.h"
#include "control/model/err.h"
#include "control/model/policy.h"
#include "fuzz_model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vs_config world;
	static bool loaded;
	const json_t *pols[64];
	struct vs_policy_id id;
	unsigned int n = 0;
	json_error_t jerr;

	if (!loaded) {
		fz_world_load(&world);
		loaded = true;
	}
	json_t *v = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr);
	if (v == NULL)
		return 0;
	json_t *items = json_is_array(v) ? json_incref(v) : json_pack("[O]", v);
	size_t i;
	json_t *o;
	json_array_foreach(items, i, o) {
		struct vs_err e = { 0 };
		int rc = vs_policy_check(o, "policy", world.networks, world.n_networks, &id, &e);
		if (rc < 0)
			fz_check_err(rc, &e, "policy");
		else if (n < sizeof(pols) / sizeof(pols[0]))
			pols[n++] = o;
	}
	/* each accepted one alone, then all of them as one set (ids may repeat here: the
	 * compiler does not care, apply refuses duplicates before) */
	for (unsigned int k = 0; k < n; k++)
		fz_check_compiles(&world, &pols[k], 1, "an accepted policy");
	if (n > 1)
		fz_check_compiles(&world, pols, n, "accepted policies together");
	json_decref(items);
	json_decref(v);
	return 0;
}
