/* SPDX-License-Identifier: BSD-3-Clause */
/* vsw-cni's commands: see cmd.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "control/client/conn.h"
#include "control/cni/cmd.h"
#include "control/cni/ipam.h"
#include "control/cni/result.h"

#define VSWD_TIMEOUT_S 10.0

/* What one (container, interface) is: derived names and paths. */
struct target {
	char port[32];
	char dir[VS_CNI_PATH_MAX];
	char sock[VS_CNI_PATH_MAX];
	char cache[VS_CNI_PATH_MAX];	/* the ADD result, for an idempotent ADD */
};

static int target_of(const struct vs_cni_conf *c, const struct vs_cni_env *env,
		     struct target *t, struct vs_cni_err *e)
{
	if (vs_cni_port_name(env, t->port, sizeof(t->port), e) < 0 ||
	    vs_cni_socket_path(c, env, t->dir, sizeof(t->dir), t->sock, sizeof(t->sock), e) < 0)
		return -1;
	int n = snprintf(t->cache, sizeof(t->cache), "%s/%s-%s.json", c->state_dir,
			 env->container_id, env->ifname);
	if (n < 0 || (size_t)n >= sizeof(t->cache))
		return vs_cni_fail(e, VS_CNI_E_CONFIG, "stateDir: too long");
	return 0;
}

/* ------------------------------------------------------------------ vswd */

static int vswd_open(const struct vs_cni_conf *c, struct vs_conn *conn, struct vs_cni_err *e)
{
	*conn = (struct vs_conn){ .path = c->vsw_socket, .fd = -1, .timeout_s = VSWD_TIMEOUT_S };
	if (vs_conn_start(conn, false) < 0) {
		vs_cni_fail(e, VS_CNI_E_AGAIN, "vswd: %s", conn->err);
		vs_conn_close(conn);
		return -1;
	}
	return 0;
}

/* One request. Returns 0 with *reply's "result" (borrowed from *reply, which the caller
 * frees), 1 when vswd refused it with errno `tolerated`, or -1 with e set. */
static int vswd_call(struct vs_conn *conn, const char *cmd, json_t *args, const char *tolerated,
		     json_t **reply, json_t **result, struct vs_cni_err *e)
{
	*reply = NULL;
	if (result != NULL)
		*result = NULL;
	/* each request its own deadline: IPAM (up to VS_CNI_IPAM_TIMEOUT_S) may run between */
	conn->deadline_ms = vs_now_ms() + (int64_t)(conn->timeout_s * 1000);
	if (vs_conn_exchange(conn, cmd, args, reply) < 0)
		return vs_cni_fail(e, VS_CNI_E_AGAIN, "vswd: %s", conn->err);
	if (json_is_true(json_object_get(*reply, "ok"))) {
		if (result != NULL)
			*result = json_object_get(*reply, "result");
		return 0;
	}
	json_t *err = json_object_get(*reply, "error");
	const char *name = json_string_value(json_object_get(err, "errno"));
	if (tolerated != NULL && name != NULL && strcmp(name, tolerated) == 0)
		return 1;
	char buf[480];
	vs_conn_format_error(cmd, err, buf, sizeof(buf));
	return vs_cni_fail(e, VS_CNI_E_CONFIG, "vswd refused %s", buf);
}

/* The port as vswd has it: 0 and *port (new reference), 1 when there is none, -1. */
static int port_show(struct vs_conn *conn, const char *name, json_t **port,
		     struct vs_cni_err *e)
{
	json_t *args = json_pack("{s:s}", "name", name), *reply, *r;
	int rc = vswd_call(conn, "port.show", args, "ENOENT", &reply, &r, e);
	*port = rc == 0 ? json_incref(r) : NULL;
	json_decref(reply);
	json_decref(args);
	return rc;
}

static int port_del(struct vs_conn *conn, const char *name, struct vs_cni_err *e)
{
	json_t *args = json_pack("{s:s}", "name", name), *reply;
	int rc = vswd_call(conn, "port.del", args, "ENOENT", &reply, NULL, e);
	json_decref(reply);
	json_decref(args);
	return rc < 0 ? -1 : 0;
}

/* ------------------------------------------------------------------ files */

/* Writes j to path atomically (a temporary file beside it, fsync'd, renamed). Not vswd's
 * vs_write_atomic (control/core/safe_fs.c): that one logs through DPDK and opens below a
 * directory vswd resolved at start; this binary links neither. */
static int write_json(const char *path, const json_t *j, struct vs_cni_err *e)
{
	char tmp[VS_CNI_PATH_MAX + 8];
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	char *s = json_dumps(j, JSON_COMPACT);
	int ok = fd >= 0 && s != NULL;
	size_t n = s ? strlen(s) : 0, off = 0;
	while (ok && off < n) {
		ssize_t w = write(fd, s + off, n - off);
		ok = w > 0;
		off += w > 0 ? (size_t)w : 0;
	}
	ok = ok && fsync(fd) == 0;
	int err = errno;
	if (fd >= 0)
		close(fd);
	free(s);
	if (ok && rename(tmp, path) == 0)
		return 0;
	err = ok ? errno : err;
	unlink(tmp);
	return vs_cni_fail(e, VS_CNI_E_IO, "cannot write %s: %s", path, strerror(err));
}

/* mkdir -p, each new directory 0755. */
static int make_dirs(const char *path, struct vs_cni_err *e)
{
	char buf[VS_CNI_PATH_MAX];
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char was = *p;
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return vs_cni_fail(e, VS_CNI_E_IO, "cannot create %s: %s", buf,
					   strerror(errno));
		if (was == '\0')
			return 0;
		*p = was;
	}
}

/* The pod's directory to QEMU's user: opened without following a link, then fchown'd. */
static int give_dir(const char *dir, uint32_t uid, uint32_t gid, struct vs_cni_err *e)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fchown(fd, (uid_t)uid, (gid_t)gid) < 0 || fchmod(fd, 0750) < 0) {
		int err = errno;
		if (fd >= 0)
			close(fd);
		return vs_cni_fail(e, VS_CNI_E_IO, "cannot give %s to %u:%u: %s", dir, uid, gid,
				   strerror(err));
	}
	close(fd);
	return 0;
}

static void remove_file(const char *path)
{
	if (path[0] != '\0' && unlink(path) < 0 && errno != ENOENT)
		fprintf(stderr, "vsw-cni: cannot remove %s: %s\n", path, strerror(errno));
}

/* ------------------------------------------------------------------ ADD */

static int ipam_del(const struct vs_cni_conf *c, const struct vs_cni_env *env,
		    const char *text, size_t len, struct vs_cni_err *e)
{
	json_t *none;
	if (c->ipam_type == NULL)
		return 0;
	return vs_cni_ipam(env->path, c->ipam_type, "DEL", text, len, &none, e);
}

/* The result: IPAM's when configured, else the previous plugin's addresses, else none. */
static int make_result(const struct vs_cni_conf *c, const struct vs_cni_env *env,
		       const struct target *t, const char *text, size_t len, json_t **result,
		       struct vs_cni_err *e)
{
	json_t *ipam = NULL;
	if (c->ipam_type != NULL &&
	    vs_cni_ipam(env->path, c->ipam_type, "ADD", text, len, &ipam, e) < 0)
		return -1;
	*result = vs_cni_result(c, env->ifname, t->sock, ipam ? ipam : c->prev_result);
	json_decref(ipam);
	if (*result == NULL) {
		struct vs_cni_err ignored;
		ipam_del(c, env, text, len, &ignored);
		return vs_cni_fail(e, VS_CNI_E_IO, "out of memory");
	}
	return 0;
}

/* Creates the port, or finds it made by an earlier ADD of the same (container, interface). */
static int ensure_port(struct vs_conn *conn, const struct vs_cni_conf *c,
		       const struct vs_cni_env *env, const struct target *t, const json_t *result,
		       struct vs_cni_err *e)
{
	json_t *have = NULL;
	int rc = port_show(conn, t->port, &have, e);
	if (rc < 0)
		return -1;
	json_t *ips = vs_cni_result_addresses(result);
	if (rc == 0) {
		const char *s = json_string_value(json_object_get(have, "socket"));
		bool ours = s != NULL && strcmp(s, t->sock) == 0;
		/* the same addresses as this result: an earlier ADD of this attachment made it */
		json_t *hips = json_object_get(have, "ips");
		bool same = ours && (hips ? json_equal(hips, ips) : json_array_size(ips) == 0);
		json_decref(have);
		if (!ours) {
			json_decref(ips);
			return vs_cni_fail(e, VS_CNI_E_CONFIG, "vswd already has a port %s for "
					   "another socket (%s)", t->port, s ? s : "none");
		}
		if (same) {
			json_decref(ips);
			return 0;	/* ADD again: nothing to do */
		}
		/* ours but not this result's (a retry after a lost reply): made again */
		if (port_del(conn, t->port, e) < 0) {
			json_decref(ips);
			return -1;
		}
	}
	json_t *args = vs_cni_port_add_args(c, env, t->port, t->sock, ips), *reply;
	json_decref(ips);
	if (args == NULL)
		return vs_cni_fail(e, VS_CNI_E_IO, "out of memory");
	rc = vswd_call(conn, "port.add", args, NULL, &reply, NULL, e);
	json_decref(reply);
	json_decref(args);
	return rc;
}

int vs_cni_add(const struct vs_cni_conf *c, const struct vs_cni_env *env, const char *conf_text,
	       size_t conf_len, json_t **result, struct vs_cni_err *e)
{
	struct target t;
	struct vs_conn conn;
	struct vs_cni_err ignored;
	bool fresh = false;

	*result = NULL;
	if (target_of(c, env, &t, e) < 0 || make_dirs(c->state_dir, e) < 0 ||
	    vswd_open(c, &conn, e) < 0)
		return -1;
	/* ADD again (the runtime retries): the result of the first, no second lease */
	json_error_t je;
	json_t *cached = json_load_file(t.cache, 0, &je);
	if (cached != NULL && json_is_object(json_object_get(cached, "result"))) {
		*result = json_incref(json_object_get(cached, "result"));
	} else if (make_result(c, env, &t, conf_text, conf_len, result, e) < 0) {
		json_decref(cached);
		vs_conn_close(&conn);
		return -1;
	} else {
		fresh = true;
	}
	json_decref(cached);
	/* what DEL and GC need to undo it without the runtime's help */
	json_t *record = json_pack("{s:O, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "result",
				   *result, "port", t.port, "socket", t.sock, "dir", t.dir, "network",
				   c->name, "config", c->digest, "containerID", env->container_id,
				   "ifname", env->ifname, "deviceInfo", c->device_info_file);
	int rc = record == NULL ? vs_cni_fail(e, VS_CNI_E_IO, "out of memory") :
	         fresh ? write_json(t.cache, record, e) : 0;
	json_decref(record);
	if (rc == 0)
		rc = make_dirs(t.dir, e);
	if (rc == 0 && c->dir_owner)
		rc = give_dir(t.dir, c->dir_uid, c->dir_gid, e);
	if (rc == 0)
		rc = ensure_port(&conn, c, env, &t, *result, e);
	if (rc == 0 && c->device_info_file[0] != '\0') {
		json_t *di = vs_cni_device_info(t.sock);
		rc = di == NULL ? vs_cni_fail(e, VS_CNI_E_IO, "out of memory") :
				  write_json(c->device_info_file, di, e);
		json_decref(di);
		if (rc < 0)
			port_del(&conn, t.port, &ignored);
	}
	if (rc < 0) {
		/* nothing half-applied: the port (made, or made with its reply lost), the lease
		 * and the record go with the failed ADD */
		port_del(&conn, t.port, &ignored);
		ipam_del(c, env, conf_text, conf_len, &ignored);
		remove_file(t.cache);
		rmdir(t.dir);
		json_decref(*result);
		*result = NULL;
	}
	vs_conn_close(&conn);
	return rc < 0 ? -1 : 0;
}

/* ------------------------------------------------------------------ DEL */

int vs_cni_del(const struct vs_cni_conf *c, const struct vs_cni_env *env, const char *conf_text,
	       size_t conf_len, struct vs_cni_err *e)
{
	struct target t;
	struct vs_conn conn;

	/* DEL of what is already gone succeeds (the spec); vswd down is "try again" */
	if (target_of(c, env, &t, e) < 0 || vswd_open(c, &conn, e) < 0)
		return -1;
	/* what ADD made, as its record says (DEL's environment may lack the pod UID or the
	 * device-info path); else as derived from this DEL */
	json_t *rec = json_load_file(t.cache, 0, NULL);
	const char *rs = json_string_value(json_object_get(rec, "socket"));
	const char *rd = json_string_value(json_object_get(rec, "dir"));
	const char *ri = json_string_value(json_object_get(rec, "deviceInfo"));
	const char *sock = rs ? rs : t.sock, *dir = rd ? rd : t.dir;
	const char *devinfo = ri && ri[0] ? ri : c->device_info_file;
	/* only a port on this attachment's socket is ours to delete */
	json_t *have = NULL;
	int rc = port_show(&conn, t.port, &have, e);
	const char *hs = json_string_value(json_object_get(have, "socket"));
	if (rc == 0 && hs != NULL && strcmp(hs, sock) == 0)
		rc = port_del(&conn, t.port, e);
	else if (rc == 0)
		fprintf(stderr, "vsw-cni: DEL: port %s is on %s, not %s: left alone\n", t.port,
			hs ? hs : "-", sock);
	json_decref(have);
	vs_conn_close(&conn);
	if (rc < 0 || ipam_del(c, env, conf_text, conf_len, e) < 0) {
		json_decref(rec);
		return -1;
	}
	remove_file(devinfo);
	remove_file(sock);	/* QEMU's, left when it went first; the pod's directory is ours */
	if (rmdir(dir) < 0 && errno != ENOENT && errno != ENOTEMPTY)
		fprintf(stderr, "vsw-cni: cannot remove %s: %s\n", dir, strerror(errno));
	remove_file(t.cache);
	json_decref(rec);
	return 0;
}

/* ------------------------------------------------------------------ CHECK */

/* Whether the port's addresses are the result's (without prefix lengths, any order). */
static bool same_addresses(const json_t *port, const json_t *result)
{
	json_t *want = vs_cni_result_addresses(result), *v;
	json_t *have = json_object_get(port, "ips");
	size_t i, n = json_array_size(want);
	bool ok = json_array_size(have) == n;
	json_array_foreach(want, i, v) {
		const char *a = json_string_value(v), *slash = strchr(a, '/');
		size_t len = slash ? (size_t)(slash - a) : strlen(a), j;
		json_t *h;
		bool found = false;
		json_array_foreach(have, j, h)
			found |= json_string_length(h) == len &&
				 memcmp(json_string_value(h), a, len) == 0;
		ok &= found;
	}
	json_decref(want);
	return ok;
}

int vs_cni_check(const struct vs_cni_conf *c, const struct vs_cni_env *env,
		 const char *conf_text, size_t conf_len, struct vs_cni_err *e)
{
	struct target t;
	struct vs_conn conn;
	json_t *port = NULL, *none;

	if (c->prev_result == NULL)
		return vs_cni_fail(e, VS_CNI_E_CONFIG, "CHECK needs prevResult");
	if (target_of(c, env, &t, e) < 0 || vswd_open(c, &conn, e) < 0)
		return -1;
	int rc = port_show(&conn, t.port, &port, e);
	vs_conn_close(&conn);
	if (rc < 0)
		return -1;
	if (rc == 1)
		return vs_cni_fail(e, VS_CNI_E_CONTAINER, "vswd has no port %s", t.port);
	const char *sock = json_string_value(json_object_get(port, "socket"));
	json_int_t vlan = json_integer_value(json_object_get(port, "vlan"));
	if (sock == NULL || strcmp(sock, t.sock) != 0)
		rc = vs_cni_fail(e, VS_CNI_E_CONFIG, "port %s: socket %s, not %s", t.port,
				 sock ? sock : "none", t.sock);
	else if (!c->trunk && vlan != c->vlan)
		rc = vs_cni_fail(e, VS_CNI_E_CONFIG, "port %s: VLAN %lld, not %u", t.port,
				 (long long)vlan, c->vlan);
	else if (!same_addresses(port, c->prev_result))
		rc = vs_cni_fail(e, VS_CNI_E_CONFIG, "port %s: its addresses are not "
				 "prevResult's", t.port);
	json_decref(port);
	if (rc == 0 && c->ipam_type != NULL)
		rc = vs_cni_ipam(env->path, c->ipam_type, "CHECK", conf_text, conf_len, &none, e);
	return rc < 0 ? -1 : 0;
}

/* ------------------------------------------------------------------ GC */

static bool valid_attachment(const json_t *valid, const char *cid, const char *ifname)
{
	size_t i;
	json_t *v;
	json_array_foreach(valid, i, v)
		if (strcmp(json_string_value(json_object_get(v, "containerID")), cid) == 0 &&
		    strcmp(json_string_value(json_object_get(v, "ifname")), ifname) == 0)
			return true;
	return false;
}

/* Undoes one recorded attachment that is no longer valid: port, lease (IPAM DEL as that
 * container), device-info file, socket and directory, record. */
static int collect(struct vs_conn *conn, const struct vs_cni_conf *c, const struct vs_cni_env *env,
		   const char *text, size_t len, const json_t *rec, const char *path,
		   struct vs_cni_err *first)
{
	struct vs_cni_err mine, *e = first->code ? &mine : first;	/* keep the first error */
	const char *cid = json_string_value(json_object_get(rec, "containerID"));
	const char *ifname = json_string_value(json_object_get(rec, "ifname"));
	const char *port = json_string_value(json_object_get(rec, "port"));
	if (port != NULL && port_del(conn, port, e) < 0)
		return -1;
	if (c->ipam_type != NULL) {
		json_t *none;
		setenv("CNI_COMMAND", "DEL", 1);	/* the IPAM plugin's view: DEL of that one */
		setenv("CNI_CONTAINERID", cid, 1);
		setenv("CNI_IFNAME", ifname, 1);
		int rc = vs_cni_ipam(env->path, c->ipam_type, "DEL", text, len, &none, e);
		setenv("CNI_COMMAND", "GC", 1);
		unsetenv("CNI_CONTAINERID");
		unsetenv("CNI_IFNAME");
		if (rc < 0)
			return -1;
	}
	const char *files[] = { json_string_value(json_object_get(rec, "deviceInfo")),
				json_string_value(json_object_get(rec, "socket")) };
	for (size_t i = 0; i < 2; i++)
		if (files[i] != NULL)
			remove_file(files[i]);
	const char *dir = json_string_value(json_object_get(rec, "dir"));
	if (dir != NULL)
		rmdir(dir);
	remove_file(path);
	fprintf(stderr, "vsw-cni: GC: %s/%s (port %s) is no longer attached: removed\n", cid,
		ifname, port ? port : "-");
	return 0;
}

int vs_cni_gc(const struct vs_cni_conf *c, const struct vs_cni_env *env, struct vs_cni_err *e)
{
	struct vs_conn conn;
	if (c->valid == NULL)	/* without the list, everything would look stale */
		return vs_cni_fail(e, VS_CNI_E_CONFIG, "GC needs cni.dev/valid-attachments");
	DIR *d = opendir(c->state_dir);
	if (d == NULL)
		return errno == ENOENT ? 0 : vs_cni_fail(e, VS_CNI_E_IO, "cannot read %s: %s",
							 c->state_dir, strerror(errno));
	if (vswd_open(c, &conn, e) < 0) {
		closedir(d);
		return -1;
	}
	/* The IPAM plugin gets a DEL per stale attachment, in a 1.0.0 config without the GC
	 * key: DEL is the same in both versions, and IPAM plugins older than spec 1.1 (Debian
	 * 12's containernetworking-plugins 1.1.1) refuse a 1.1.0 config. */
	json_t *del = json_deep_copy(c->root);
	json_object_set_new(del, "cniVersion", json_string("1.0.0"));
	json_object_del(del, "cni.dev/valid-attachments");
	char *del_text = json_dumps(del, JSON_COMPACT);
	json_decref(del);
	if (del_text == NULL) {
		closedir(d);
		vs_conn_close(&conn);
		return vs_cni_fail(e, VS_CNI_E_IO, "out of memory");
	}
	struct dirent *de;
	int rc = 0;
	while ((de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name);
		char path[VS_CNI_PATH_MAX + 256];
		if (n < 6 || strcmp(de->d_name + n - 5, ".json") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", c->state_dir, de->d_name);
		json_t *rec = json_load_file(path, 0, NULL);
		const char *net = json_string_value(json_object_get(rec, "config"));
		const char *cid = json_string_value(json_object_get(rec, "containerID"));
		const char *ifname = json_string_value(json_object_get(rec, "ifname"));
		/* another network's attachments are that network's GC's business */
		/* another network's attachments (another config: two namespaces' NADs may share a
		 * name) are that network's GC's business */
		if (net != NULL && cid != NULL && ifname != NULL && strcmp(net, c->digest) == 0 &&
		    !valid_attachment(c->valid, cid, ifname) &&
		    collect(&conn, c, env, del_text, strlen(del_text), rec, path, e) < 0)
			rc = -1;	/* the others are still collected; the first error is told */
		json_decref(rec);
	}
	free(del_text);
	closedir(d);
	vs_conn_close(&conn);
	return rc;
}

int vs_cni_status(const struct vs_cni_conf *c, struct vs_cni_err *e)
{
	struct vs_conn conn;
	if (vswd_open(c, &conn, e) < 0) {
		e->code = 50;	/* spec 1.1: "the plugin is not available" */
		return -1;
	}
	vs_conn_close(&conn);
	return 0;
}
