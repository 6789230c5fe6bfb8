/* SPDX-License-Identifier: BSD-3-Clause */
/* Allow-lists of paths and device strings (see allow.h). Pure. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "control/model/allow.h"
#include "vs_types.h"
#include "control/model/config.h"
#include "control/model/err.h"
#include "control/model/port_cfg.h"

int vs_path_check(const char *path, const char *field, struct vs_err *e)
{
	if (path[0] != '/')
		return vs_err_set(e, EINVAL, field, "'%s': must be an absolute path", path);
	for (const char *p = path; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return vs_err_set(e, EINVAL, field, "control characters in a path");
	if (strcmp(path, "/") == 0)
		return 0;
	for (const char *c = path + 1;;) {
		size_t len = strcspn(c, "/");
		if (len == 0)
			return vs_err_set(e, EINVAL, field, "'%s': empty component ('//' or a "
					  "trailing '/')", path);
		if ((len == 1 && c[0] == '.') || (len == 2 && c[0] == '.' && c[1] == '.'))
			return vs_err_set(e, EINVAL, field, "'%s': '.' and '..' are not allowed",
					  path);
		if (c[len] == '\0')
			return 0;
		c += len + 1;
	}
}

bool vs_path_below(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	if (strcmp(dir, "/") == 0)
		return path[0] == '/' && path[1] != '\0';
	return strncmp(path, dir, n) == 0 && path[n] == '/' && path[n + 1] != '\0';
}

const char *vs_socket_dir_of(const char *path, const struct vs_config *c)
{
	for (uint16_t i = 0; i < c->control.n_socket_dirs; i++)
		if (vs_path_below(path, c->control.socket_dirs[i]))
			return c->control.socket_dirs[i];
	return NULL;
}

int vs_socket_path_allowed(const char *path, const struct vs_config *c, const char *field,
			   struct vs_err *e)
{
	int rc = vs_path_check(path, field, e);
	if (rc < 0)
		return rc;
	if (vs_socket_dir_of(path, c) == NULL)
		return vs_err_set(e, EACCES, field, "'%s' is not below control.socket_dirs (%s%s)",
				  path, c->control.socket_dirs[0],
				  c->control.n_socket_dirs > 1 ? ", ..." : "");
	return 0;
}

/* hex digits, exactly n */
static bool hex_n(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
		      (s[i] >= 'A' && s[i] <= 'F')))
			return false;
	return true;
}

/* DDDD:BB:DD.F or BB:DD.F, function 0..7, and nothing else. */
static bool is_pci_addr(const char *s, size_t len)
{
	if (len == 12) {
		if (!hex_n(s, 4) || s[4] != ':')
			return false;
		s += 5;
		len -= 5;
	}
	return len == 7 && hex_n(s, 2) && s[2] == ':' && hex_n(s + 3, 2) && s[5] == '.' &&
	       s[6] >= '0' && s[6] <= '7';
}

/* A value that needs no quoting anywhere: letters, digits, '_', '-', '.', ':'. */
static bool plain_value(const char *v, size_t len)
{
	if (len == 0 || len > 64)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((v[i] >= 'a' && v[i] <= 'z') || (v[i] >= 'A' && v[i] <= 'Z') ||
		      (v[i] >= '0' && v[i] <= '9') || v[i] == '_' || v[i] == '-' || v[i] == '.' ||
		      v[i] == ':'))
			return false;
	return true;
}

struct dev_rule {
	const char *driver;	/* NULL: a PCI address */
	bool test_only;	/* needs dpdk.allow_test_vdevs */
	const char *path_key;	/* an argument naming a socket below socket_dirs (required) */
	const char *keys[12];	/* the other arguments, plain values */
};

static const struct dev_rule rules[] = {
	/* PCI NICs: only a few tuning knobs of common PMDs (mlx5, ice); none names a file or
	 * creates another device */
	{ NULL, false, NULL, { "rx_vec_en", "rxq_cqe_comp_en", "mprq_en", "txq_inline_max",
			       "txq_mpw_en", "dv_flow_en", "safe-mode-support", NULL } },
	{ "net_vhost", true, "iface", { "queues", "client", "iommu-support", "postcopy-support",
					"tso", "linear-buffer", "ext-buffer", "legacy-ol-flags",
					NULL } },
	{ "net_virtio_user", true, "path", { "queues", "queue_size", "server", "mrg_rxbuf",
					     "in_order", "packed_vq", "mac", "speed",
					     "vectorized", NULL } },
	{ "net_null", true, NULL, { "size", "copy", "no-rx", NULL } },
	{ "net_ring", true, NULL, { NULL } },
};

/* The rule whose device name matches name (the devargs up to the first ','). A vdev name is
 * its driver's name and digits: DPDK picks a vdev's driver by name prefix, so anything more
 * could select another driver. */
static const struct dev_rule *rule_of(const char *name, size_t len)
{
	if (is_pci_addr(name, len))
		return &rules[0];
	for (size_t i = 1; i < sizeof(rules) / sizeof(rules[0]); i++) {
		size_t n = strlen(rules[i].driver);
		if (len < n || strncmp(name, rules[i].driver, n) != 0)
			continue;
		if (strspn(name + n, "0123456789") == len - n)
			return &rules[i];
	}
	return NULL;
}

static bool key_in(const struct dev_rule *r, const char *k, size_t len)
{
	for (const char *const *x = r->keys; *x != NULL; x++)
		if (strlen(*x) == len && strncmp(*x, k, len) == 0)
			return true;
	return false;
}

int vs_devargs_allowed(const char *devargs, const struct vs_config *c, const char *field,
		       struct vs_err *e)
{
	size_t nlen = strcspn(devargs, ",");
	const struct dev_rule *r = rule_of(devargs, nlen);
	bool have_path = false;
	int rc;

	if (r == NULL || (r->test_only && !c->dpdk.allow_test_vdevs))
		return vs_err_set(e, EACCES, field,
				  "'%.*s': only PCI addresses (DDDD:BB:DD.F)%s are allowed", (int)nlen,
				  devargs,
				  c->dpdk.allow_test_vdevs ?
					  ", net_vhost, net_virtio_user, net_null and net_ring" :
					  " (test vdevs need dpdk.allow_test_vdevs)");
	for (const char *a = devargs + nlen; *a == ',';) {
		a++;
		size_t len = strcspn(a, ","), klen = strcspn(a, "=");
		if (klen >= len)
			return vs_err_set(e, EINVAL, field, "'%.*s': expected key=value", (int)len, a);
		const char *v = a + klen + 1;
		size_t vlen = len - klen - 1;
		if (r->path_key != NULL && klen == strlen(r->path_key) &&
		    strncmp(a, r->path_key, klen) == 0) {
			char path[VS_PATH_MAX];
			if (vlen >= sizeof(path))
				return vs_err_set(e, ENAMETOOLONG, field, "%s= is longer than %zu",
						  r->path_key, sizeof(path) - 1);
			snprintf(path, sizeof(path), "%.*s", (int)vlen, v);
			if (strchr(path, '=') != NULL)
				return vs_err_set(e, EINVAL, field, "'=' in %s=", r->path_key);
			if ((rc = vs_socket_path_allowed(path, c, field, e)) < 0)
				return rc;
			have_path = true;
		} else if (!key_in(r, a, klen)) {
			return vs_err_set(e, EACCES, field, "'%.*s': argument not allowed for %.*s",
					  (int)klen, a, (int)nlen, devargs);
		} else if (!plain_value(v, vlen)) {
			return vs_err_set(e, EINVAL, field, "'%.*s': value of %.*s", (int)vlen, v,
					  (int)klen, a);
		}
		a += len;
	}
	if (r->path_key != NULL && !have_path)
		return vs_err_set(e, EINVAL, field, "%.*s needs %s= (a socket below "
				  "control.socket_dirs)", (int)nlen, devargs, r->path_key);
	return 0;
}

bool vs_devargs_path(const char *devargs, char *out, size_t len)
{
	size_t nlen = strcspn(devargs, ",");
	const struct dev_rule *r = rule_of(devargs, nlen);

	if (r == NULL || r->path_key == NULL)
		return false;
	for (const char *a = devargs + nlen; *a == ',';) {
		a++;
		size_t alen = strcspn(a, ","), klen = strlen(r->path_key);
		if (alen > klen && strncmp(a, r->path_key, klen) == 0 && a[klen] == '=') {
			snprintf(out, len, "%.*s", (int)(alen - klen - 1), a + klen + 1);
			return true;
		}
		a += alen;
	}
	return false;
}

int vs_port_cfg_check_allowed(const struct vs_port_cfg *p, const struct vs_config *c,
			      const char *prefix, struct vs_err *e)
{
	char f[160];
	int rc;

	if (p->type == VS_PORT_VHOST)
		return vs_socket_path_allowed(p->socket, c, VS_FIELD(f, prefix, "socket"), e);
	if (p->type == VS_PORT_DPDK)
		return vs_devargs_allowed(p->devargs, c, VS_FIELD(f, prefix, "devargs"), e);
	char m[VS_BOND_MEMBERS_MAX][VS_DEVARGS_MAX];
	int n = vs_members_split(p->members, m, VS_BOND_MEMBERS_MAX);
	for (int i = 0; i < n && i < VS_BOND_MEMBERS_MAX; i++)
		if ((rc = vs_devargs_allowed(m[i], c, VS_FIELD(f, prefix, "members"), e)) < 0)
			return rc;
	return 0;
}

static bool in_dir(const char *path, const char *dir)
{
	return vs_path_below(path, dir) && strchr(path + strlen(dir) + 1, '/') == NULL;
}

int vs_save_path_allowed(const char *path, const char *state_dir, const char *state_dir_real,
			 const char *config_path, const char *field, struct vs_err *e)
{
	int rc = vs_path_check(path, field, e);
	if (rc < 0)
		return rc;
	if (config_path[0] != '\0' && strcmp(path, config_path) == 0)
		return 0;
	if (!in_dir(path, state_dir) && !in_dir(path, state_dir_real))
		return vs_err_set(e, EACCES, field,
				  "'%s': config.save writes only into control.state_dir (%s) or "
				  "the file vswd was started with (%s)", path, state_dir,
				  config_path[0] ? config_path : "none");
	if (strrchr(path, '/')[1] == '.')
		return vs_err_set(e, EINVAL, field, "'%s': names starting with '.' are vswd's "
				  "temporary files", path);
	return 0;
}
