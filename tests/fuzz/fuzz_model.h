/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the fuzz targets share (tests/fuzz/meson.build builds one libFuzzer binary per
 * fuzz_<name>.c): the world (tests/fuzz/world.json, a running config with every port kind,
 * networks, namespaces and a policy) decoded into a model, and the invariants every target
 * checks. A broken invariant prints what broke and aborts, which libFuzzer reports as a crash
 * and keeps the input. Pure: Jansson and the model library only, no EAL. Single-threaded.
 */
#ifndef VS_FUZZ_MODEL_H
#define VS_FUZZ_MODEL_H

#include <stddef.h>

#include <jansson.h>

#include "control/model/config.h"
#include "control/model/err.h"
#include "control/model/policy.h"

#define FZ_FAIL(...)                                                  \
	do {                                                          \
		fprintf(stderr, "\nfuzz invariant broken: " __VA_ARGS__); \
		fputc('\n', stderr);                                  \
		abort();                                              \
	} while (0)

/* The world config as JSON (parsed once; borrowed). */
const json_t *fz_world_json(void);
/* A fresh model of the world in c (static storage is the caller's: it is big). */
void fz_world_load(struct vs_config *c);

/* A refusal is well-formed: rc is -e->code, a named errno, a NUL-terminated message. */
void fz_check_err(int rc, const struct vs_err *e, const char *what);

/* config.save then a restart gives the same config: c serialized, parsed back and decoded
 * is accepted and serializes to the same JSON. */
void fz_check_roundtrip(const struct vs_config *c, const char *what);

/* The inventory the compiler sees for c (ports in slots 0..n-1). */
void fz_inventory(const struct vs_config *c, struct vs_inventory *inv, struct vs_inv_port *ports);

/* Policies the checker accepted compile against c's inventory: vs_policy_compile never
 * refuses them (the excuses: out of memory, and the 4M ACL entries of a whole set, which
 * depends on the inventory), and the entries are well-formed. Also runs policy.show's
 * selection. */
void fz_check_compiles(const struct vs_config *c, const json_t *const *pols, unsigned int n,
		       const char *what);

/* JSON text of j for a failure message (caller frees). */
char *fz_dump(const json_t *j);

#endif
