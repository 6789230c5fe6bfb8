/* SPDX-License-Identifier: BSD-3-Clause */
/* vsw-cni's network config, environment and port arguments: see conf.h. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control/cni/conf.h"
#include "control/model/allow.h"

const char *const vs_cni_versions[] = { "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0",
					 NULL };

int vs_cni_fail(struct vs_cni_err *e, unsigned int code, const char *fmt, ...)
{
	va_list ap;
	e->code = code;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -1;
}

bool vs_cni_version_ok(const char *v)
{
	for (const char *const *p = vs_cni_versions; v != NULL && *p != NULL; p++)
		if (strcmp(*p, v) == 0)
			return true;
	return false;
}

/* Keys of the network config: the spec's, then vsw's (README "Kubernetes: vsw-cni"). The
 * police_* / qos_* / mac_limit keys are port.add's, passed to vswd as they are. */
static const char *const spec_keys[] = { "cniVersion", "name", "type", "capabilities",
					 "runtimeConfig", "prevResult", "args", "ipam", "dns",
					 "cni.dev/valid-attachments", NULL };
static const char *const vsw_keys[] = { "vlan", "trunk", "mtu", "queues", "macspoofchk",
					"ipspoofchk", "socketDir", "socketDirOwner", "vswSocket",
					"stateDir", NULL };
static const char *const int_args[] = { "police_rate", "police_burst", "police_peak_rate",
					"police_peak_burst", "qos_rate", "qos_queue", "mac_limit",
					NULL };
static const char *const str_args[] = { "police_yellow", "qos_trust", "qos_default",
					"qos_critical", "qos_scavenger", NULL };

static bool in(const char *const *list, const char *k)
{
	for (; *list != NULL; list++)
		if (strcmp(*list, k) == 0)
			return true;
	return false;
}

static int get_int(const json_t *root, const char *key, long long min, long long max,
		   long long *out, struct vs_cni_err *e)
{
	json_t *v = json_object_get(root, key);
	if (v == NULL)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
		return vs_cni_fail(e, VS_CNI_E_CONFIG, "%s: an integer %lld..%lld", key, min, max);
	*out = json_integer_value(v);
	return 1;
}

static int get_bool(const json_t *root, const char *key, bool *out, struct vs_cni_err *e)
{
	json_t *v = json_object_get(root, key);
	if (v == NULL)
		return 0;
	if (!json_is_boolean(v))
		return vs_cni_fail(e, VS_CNI_E_CONFIG, "%s: true or false", key);
	*out = json_is_true(v);
	return 1;
}

/* A clean absolute path (vswd's own rule, vs_path_check: no ., .., //, control
 * characters), into out. */
static int get_path(const json_t *root, const char *key, char *out, size_t len,
		    struct vs_cni_err *e)
{
	json_t *v = json_object_get(root, key);
	if (v == NULL)
		return 0;
	const char *s = json_string_value(v);
	struct vs_err pe;
	if (s == NULL || vs_path_check(s, key, &pe) < 0)
		return vs_cni_fail(e, VS_CNI_E_CONFIG, "%s: %s", key,
				   s ? pe.msg : "an absolute path");
	if (strlen(s) >= len)
		return vs_cni_fail(e, VS_CNI_E_CONFIG, "%s: longer than %zu characters", key,
				   len - 1);
	snprintf(out, len, "%s", s);
	return 1;
}

/* trunk: "2003-2005,2010" (vswd's form) or [{"id": 2003}, {"minID": 2004, "maxID": 2005}]
 * (sriov-cni's), into vswd's form. */
static int trunk_string(const json_t *t, char *out, size_t len, struct vs_cni_err *e)
{
	if (json_is_string(t)) {
		if (json_string_length(t) == 0 || json_string_length(t) >= len)
			return vs_cni_fail(e, VS_CNI_E_CONFIG, "trunk: a VLAN list such as "
					   "\"2003-2005\"");
		snprintf(out, len, "%s", json_string_value(t));
		return 0;
	}
	if (!json_is_array(t) || json_array_size(t) == 0)
		return vs_cni_fail(e, VS_CNI_E_CONFIG, "trunk: \"2003-2005\" or a non-empty list "
				   "of {\"id\"} / {\"minID\", \"maxID\"}");
	size_t i, n = 0;
	json_t *r;
	out[0] = '\0';
	json_array_foreach(t, i, r) {
		long long lo = 0, hi = 0;
		json_t *id = json_object_get(r, "id");
		int bad = !json_is_object(r) ||
			  json_object_size(r) != (id != NULL ? 1u : 2u);
		if (!bad && id != NULL)
			bad = get_int(r, "id", 1, 4094, &lo, e) <= 0, hi = lo;
		else if (!bad)
			bad = get_int(r, "minID", 1, 4094, &lo, e) <= 0 ||
			      get_int(r, "maxID", lo, 4094, &hi, e) <= 0;
		if (bad)
			return vs_cni_fail(e, VS_CNI_E_CONFIG, "trunk[%zu]: {\"id\": 1..4094} or "
					   "{\"minID\": a, \"maxID\": b}, 1 <= a <= b <= 4094", i);
		int w = snprintf(out + n, len - n, "%s%lld", n ? "," : "", lo);
		if (w > 0 && lo != hi)
			w += snprintf(out + n + (size_t)w, len - n - (size_t)w, "-%lld", hi);
		if (w < 0 || n + (size_t)w >= len)
			return vs_cni_fail(e, VS_CNI_E_CONFIG, "trunk: too many ranges");
		n += (size_t)w;
	}
	return 0;
}

static int check_keys(const json_t *root, struct vs_cni_err *e)
{
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)root, k, v)
		if (!in(spec_keys, k) && !in(vsw_keys, k) && !in(int_args, k) && !in(str_args, k))
			return vs_cni_fail(e, VS_CNI_E_FIELD, "unknown key \"%s\" in the network "
					   "configuration", k);
	return 0;
}

static int parse_version_name_type(struct vs_cni_conf *c, struct vs_cni_err *e)
{
	const char *v = json_string_value(json_object_get(c->root, "cniVersion"));
	const char *name = json_string_value(json_object_get(c->root, "name"));
	const char *type = json_string_value(json_object_get(c->root, "type"));
	if (v == NULL)
		return vs_cni_fail(e, VS_CNI_E_CONFIG, "cniVersion: required");
	if (!vs_cni_version_ok(v))
		return vs_cni_fail(e, VS_CNI_E_VERSION, "cniVersion %s: this plugin speaks "
				   "0.3.0, 0.3.1, 0.4.0, 1.0.0 and 1.1.0", v);
	snprintf(c->version, sizeof(c->version), "%s", v);
	if (name == NULL || name[0] == '\0' || strlen(name) >= sizeof(c->name))
		return vs_cni_fail(e, VS_CNI_E_CONFIG, "name: required, at most %zu characters",
				   sizeof(c->name) - 1);
	snprintf(c->name, sizeof(c->name), "%s", name);
	if (type == NULL || strcmp(type, "vsw") != 0)
		return vs_cni_fail(e, VS_CNI_E_CONFIG, "type: \"vsw\"");
	return 0;
}

/* VLAN or trunk, MTU, queues, spoof checks, and the police_* / qos_* keys. */
static int parse_port(struct vs_cni_conf *c, struct vs_cni_err *e)
{
	json_t *a = c->port_args;
	long long x = 0;
	bool b = false;
	int rc;

	json_object_set_new(a, "type", json_string("vhost-user"));
	json_object_set_new(a, "client", json_true());	/* QEMU is the server under KubeVirt */
	if ((rc = get_int(c->root, "vlan", 1, 4094, &x, e)) < 0)
		return rc;
	c->vlan = (uint16_t)x;
	json_t *t = json_object_get(c->root, "trunk");
	if (t != NULL) {
		char list[512];
		if (trunk_string(t, list, sizeof(list), e) < 0)
			return -1;
		c->trunk = true;
		json_object_set_new(a, "mode", json_string("trunk"));
		json_object_set_new(a, "allowed", json_string(list));
		if (c->vlan)
			json_object_set_new(a, "native_vlan", json_integer(c->vlan));
	} else if (c->vlan == 0) {
		return vs_cni_fail(e, VS_CNI_E_CONFIG, "vlan: required (1..4094) unless trunk is "
				   "given");
	} else {
		json_object_set_new(a, "vlan", json_integer(c->vlan));
	}
	if ((rc = get_int(c->root, "mtu", 68, 9000, &x, e)) < 0)
		return rc;
	if (rc > 0)
		json_object_set_new(a, "mtu", json_integer(x));
	if ((rc = get_int(c->root, "queues", 1, 16, &x, e)) < 0)
		return rc;
	if (rc > 0)
		json_object_set_new(a, "queues", json_integer(x));
	if ((rc = get_bool(c->root, "macspoofchk", &c->macspoofchk, e)) < 0)
		return rc;
	if (rc > 0)
		json_object_set_new(a, "spoofchk", json_boolean(c->macspoofchk));
	if ((rc = get_bool(c->root, "ipspoofchk", &b, e)) < 0)
		return rc;
	if (rc > 0)
		json_object_set_new(a, "ip_spoofchk", json_boolean(b));
	for (const char *const *k = int_args; *k != NULL; k++) {
		if ((rc = get_int(c->root, *k, 0, INT64_MAX, &x, e)) < 0)
			return rc;
		if (rc > 0)
			json_object_set_new(a, *k, json_integer(x));
	}
	for (const char *const *k = str_args; *k != NULL; k++) {
		json_t *v = json_object_get(c->root, *k);
		if (v != NULL && !json_is_string(v))
			return vs_cni_fail(e, VS_CNI_E_CONFIG, "%s: a string", *k);
		if (v != NULL)
			json_object_set(a, *k, v);
	}
	return 0;
}

/* socketDirOwner: "UID:GID", numbers (the plugin has no user database of the pod's). */
static int parse_owner(struct vs_cni_conf *c, struct vs_cni_err *e)
{
	json_t *v = json_object_get(c->root, "socketDirOwner");
	if (v == NULL)
		return 0;
	const char *s = json_string_value(v);
	unsigned long u = 0, g = 0;
	char *end = NULL;
	bool ok = s != NULL && *s >= '0' && *s <= '9';
	if (ok) {
		u = strtoul(s, &end, 10);
		ok = *end == ':' && end[1] >= '0' && end[1] <= '9';
	}
	if (ok) {
		g = strtoul(end + 1, &end, 10);
		ok = *end == '\0' && u < 0xffffffffUL && g < 0xffffffffUL;
	}
	if (!ok)
		return vs_cni_fail(e, VS_CNI_E_CONFIG, "socketDirOwner: \"UID:GID\", numbers "
				   "(KubeVirt's QEMU: \"107:107\")");
	c->dir_owner = true;
	c->dir_uid = (uint32_t)u;
	c->dir_gid = (uint32_t)g;
	return 0;
}

/* ipam.type is looked up in CNI_PATH: a bare file name. */
static int parse_ipam(struct vs_cni_conf *c, struct vs_cni_err *e)
{
	json_t *ipam = json_object_get(c->root, "ipam");
	if (ipam == NULL)
		return 0;
	const char *t = json_string_value(json_object_get(ipam, "type"));
	if (!json_is_object(ipam) || t == NULL || t[0] == '\0' || t[0] == '.' ||
	    strchr(t, '/') != NULL || strlen(t) > 255)
		return vs_cni_fail(e, VS_CNI_E_CONFIG, "ipam.type: the name of an IPAM plugin in "
				   "CNI_PATH (host-local, static, ...)");
	c->ipam_type = t;
	return 0;
}

static int parse_runtime(struct vs_cni_conf *c, struct vs_cni_err *e)
{
	json_t *rt = json_object_get(c->root, "runtimeConfig"), *v;
	if (rt != NULL && !json_is_object(rt))
		return vs_cni_fail(e, VS_CNI_E_CONFIG, "runtimeConfig: an object");
	if ((v = json_object_get(rt, "mac")) != NULL) {
		const char *s = json_string_value(v);
		bool ok = s != NULL && strlen(s) == 17;
		for (int i = 0; ok && i < 17; i++)	/* xx:xx:...: sscanf's %x takes signs too */
			ok = i % 3 == 2 ? s[i] == ':' : isxdigit((unsigned char)s[i]) != 0;
		if (!ok)
			return vs_cni_fail(e, VS_CNI_E_CONFIG, "runtimeConfig.mac: "
					   "xx:xx:xx:xx:xx:xx");
		snprintf(c->mac, sizeof(c->mac), "%s", s);
	}
	if (get_path(rt, "CNIDeviceInfoFile", c->device_info_file, sizeof(c->device_info_file),
		     e) < 0)
		return -1;
	/* the plugin writes and, at DEL, removes it as root: only ever a *.json file (Multus
	 * names them <dir>/<network>-<pod>.json) */
	size_t dl = strlen(c->device_info_file);
	if (dl > 0 && (dl < 6 || strcmp(c->device_info_file + dl - 5, ".json") != 0 ||
		       c->device_info_file[dl - 6] == '/'))
		return vs_cni_fail(e, VS_CNI_E_CONFIG, "runtimeConfig.CNIDeviceInfoFile: a .json "
				   "file");
	if (c->macspoofchk && c->mac[0] == '\0')
		return vs_cni_fail(e, VS_CNI_E_CONFIG, "macspoofchk needs the VM's MAC "
				   "(runtimeConfig.mac: the network selection's \"mac\")");
	json_t *valid = json_object_get(c->root, "cni.dev/valid-attachments"), *x;
	size_t i;
	if (valid != NULL && !json_is_array(valid))
		return vs_cni_fail(e, VS_CNI_E_CONFIG, "cni.dev/valid-attachments: a list");
	json_array_foreach(valid, i, x)
		if (!json_is_string(json_object_get(x, "containerID")) ||
		    !json_is_string(json_object_get(x, "ifname")))
			return vs_cni_fail(e, VS_CNI_E_CONFIG, "cni.dev/valid-attachments[%zu]: "
					   "{\"containerID\", \"ifname\"}", i);
	c->valid = valid;
	json_t *prev = json_object_get(c->root, "prevResult");
	if (prev != NULL && !json_is_object(prev))
		return vs_cni_fail(e, VS_CNI_E_CONFIG, "prevResult: an object");
	c->prev_result = json_incref(prev);
	return 0;
}

/* FNV-1a 64 of the config with its keys sorted, less what varies per call. */
static int make_digest(struct vs_cni_conf *c)
{
	static const char *const per_call[] = { "runtimeConfig", "prevResult", "args",
						"cniVersion", "cni.dev/valid-attachments", NULL };
	json_t *copy = json_deep_copy(c->root);
	for (const char *const *k = per_call; copy != NULL && *k != NULL; k++)
		json_object_del(copy, *k);
	char *s = copy ? json_dumps(copy, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(copy);
	if (s == NULL)
		return -1;
	uint64_t h = 0xcbf29ce484222325ULL;
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++)
		h = (h ^ *p) * 0x100000001b3ULL;
	free(s);
	snprintf(c->digest, sizeof(c->digest), "%016llx", (unsigned long long)h);
	return 0;
}

int vs_cni_conf_parse(const char *text, size_t len, struct vs_cni_conf *c, struct vs_cni_err *e)
{
	json_error_t je;

	memset(c, 0, sizeof(*c));
	snprintf(c->socket_dir, sizeof(c->socket_dir), "%s", VS_CNI_SOCKET_DIR);
	snprintf(c->vsw_socket, sizeof(c->vsw_socket), "%s", VS_CNI_VSW_SOCKET);
	snprintf(c->state_dir, sizeof(c->state_dir), "%s", VS_CNI_STATE_DIR);
	c->root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (c->root == NULL || !json_is_object(c->root)) {
		vs_cni_fail(e, VS_CNI_E_DECODE, "network configuration: %s",
			    c->root ? "not a JSON object" : je.text);
		vs_cni_conf_free(c);
		return -1;
	}
	c->port_args = json_object();
	if (c->port_args == NULL || check_keys(c->root, e) < 0 ||
	    parse_version_name_type(c, e) < 0 || parse_port(c, e) < 0 || parse_ipam(c, e) < 0 ||
	    parse_owner(c, e) < 0 ||
	    get_path(c->root, "socketDir", c->socket_dir, sizeof(c->socket_dir), e) < 0 ||
	    get_path(c->root, "vswSocket", c->vsw_socket, sizeof(c->vsw_socket), e) < 0 ||
	    get_path(c->root, "stateDir", c->state_dir, sizeof(c->state_dir), e) < 0 ||
	    parse_runtime(c, e) < 0 ||
	    (make_digest(c) < 0 && vs_cni_fail(e, VS_CNI_E_IO, "out of memory") < 0)) {
		if (c->port_args == NULL)
			vs_cni_fail(e, VS_CNI_E_IO, "out of memory");
		vs_cni_conf_free(c);
		return -1;
	}
	return 0;
}

void vs_cni_conf_free(struct vs_cni_conf *c)
{
	json_decref(c->port_args);
	json_decref(c->prev_result);
	json_decref(c->root);
	c->port_args = c->prev_result = c->root = NULL;
}

/* CNI_ARGS: "K=V;K=V". The K8S_POD_* keys are read; any other key is refused unless
 * IgnoreUnknown is 1 or true (the convention; Multus sets it). */
static int parse_args(const char *s, struct vs_cni_env *env, struct vs_cni_err *e)
{
	static const struct { const char *key; size_t off, len; } known[] = {
		{ "K8S_POD_NAMESPACE", offsetof(struct vs_cni_env, pod_namespace), 64 },
		{ "K8S_POD_NAME", offsetof(struct vs_cni_env, pod_name), 254 },
		{ "K8S_POD_UID", offsetof(struct vs_cni_env, pod_uid), 64 },
	};
	char unknown[64] = "";
	bool ignore_unknown = false;

	while (s != NULL && *s != '\0') {
		const char *end = strchr(s, ';'), *eq = strchr(s, '=');
		size_t n = end ? (size_t)(end - s) : strlen(s);
		if (eq == NULL || eq > s + n || eq == s)
			return vs_cni_fail(e, VS_CNI_E_ENV, "CNI_ARGS: expected KEY=VALUE;...");
		size_t klen = (size_t)(eq - s), vlen = n - klen - 1;
		bool found = false;
		for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
			if (strlen(known[i].key) != klen || memcmp(known[i].key, s, klen) != 0)
				continue;
			if (vlen >= known[i].len)
				return vs_cni_fail(e, VS_CNI_E_ENV, "CNI_ARGS: %s longer than %zu",
						   known[i].key, known[i].len - 1);
			char *dst = (char *)env + known[i].off;
			memcpy(dst, eq + 1, vlen);
			dst[vlen] = '\0';
			found = true;
		}
		if (klen == 13 && memcmp(s, "IgnoreUnknown", 13) == 0) {
			ignore_unknown = (vlen == 1 && eq[1] == '1') ||
					 (vlen == 4 && strncasecmp(eq + 1, "true", 4) == 0);
			found = true;
		}
		if (!found && unknown[0] == '\0')
			snprintf(unknown, sizeof(unknown), "%.*s", (int)(klen < 63 ? klen : 63), s);
		s = end ? end + 1 : NULL;
	}
	if (unknown[0] != '\0' && !ignore_unknown)
		return vs_cni_fail(e, VS_CNI_E_ENV, "CNI_ARGS: unknown key %s (IgnoreUnknown=1 "
				   "lets it be)", unknown);
	return 0;
}

/* Container ids: letters, digits, '_', '.', '-' (the spec), starting with a letter or digit. */
static bool id_ok(const char *s)
{
	if (s == NULL || !((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
			   (*s >= '0' && *s <= '9')))
		return false;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '.' || *s == '-'))
			return false;
	return true;
}

/* Interface names: what Linux takes (1..15 characters, no '/', no space, not . or ..). */
static bool ifname_ok(const char *s)
{
	if (s == NULL || s[0] == '\0' || strlen(s) > 15 || strcmp(s, ".") == 0 ||
	    strcmp(s, "..") == 0)
		return false;
	for (; *s != '\0'; s++)
		if (*s == '/' || *s == ':' || *s <= ' ' || *s == 0x7f)
			return false;
	return true;
}

int vs_cni_env_read(const char *(*get)(const char *name), struct vs_cni_env *env,
		    struct vs_cni_err *e)
{
	memset(env, 0, sizeof(*env));
	env->command = get("CNI_COMMAND");
	env->container_id = get("CNI_CONTAINERID");
	env->netns = get("CNI_NETNS");
	env->ifname = get("CNI_IFNAME");
	env->path = get("CNI_PATH");
	if (env->command == NULL)
		return vs_cni_fail(e, VS_CNI_E_ENV, "CNI_COMMAND: not set");
	if (env->path == NULL || env->path[0] == '\0')
		env->path = "/opt/cni/bin";
	bool add = strcmp(env->command, "ADD") == 0, check = strcmp(env->command, "CHECK") == 0;
	if (!add && !check && strcmp(env->command, "DEL") != 0)
		return 0;	/* VERSION, STATUS, GC need nothing more */
	if (!id_ok(env->container_id))
		return vs_cni_fail(e, VS_CNI_E_ENV, "CNI_CONTAINERID: required, letters, digits, "
				   "'_', '.' and '-'");
	if (!ifname_ok(env->ifname))
		return vs_cni_fail(e, VS_CNI_E_ENV, "CNI_IFNAME: required, 1-15 characters, no "
				   "'/', ':' or spaces");
	if ((add || check) && (env->netns == NULL || env->netns[0] == '\0'))
		return vs_cni_fail(e, VS_CNI_E_ENV, "CNI_NETNS: required for %s", env->command);
	if (parse_args(get("CNI_ARGS"), env, e) < 0)
		return -1;
	if (env->pod_uid[0] != '\0' && !id_ok(env->pod_uid))
		return vs_cni_fail(e, VS_CNI_E_ENV, "CNI_ARGS: K8S_POD_UID '%s': letters, digits "
				   "and '-'", env->pod_uid);
	return 0;
}

int vs_cni_port_name(const struct vs_cni_env *env, char *out, size_t len, struct vs_cni_err *e)
{
	int n = snprintf(out, len, "%s-%.12s", env->ifname, env->container_id);
	if (n < 0 || (size_t)n >= len)
		return vs_cni_fail(e, VS_CNI_E_ENV, "port name %s-%.12s longer than %zu",
				   env->ifname, env->container_id, len - 1);
	return 0;
}

int vs_cni_socket_path(const struct vs_cni_conf *c, const struct vs_cni_env *env, char *dir,
		       size_t dir_len, char *sock, size_t sock_len, struct vs_cni_err *e)
{
	const char *who = env->pod_uid[0] ? env->pod_uid : env->container_id;
	int n = snprintf(dir, dir_len, "%s/%s", c->socket_dir, who);
	int m = n < 0 ? -1 : snprintf(sock, sock_len, "%s/%s.sock", dir, env->ifname);
	if (n < 0 || (size_t)n >= dir_len || m < 0 || (size_t)m >= sock_len ||
	    (size_t)m >= VS_CNI_SUN_PATH_MAX)
		return vs_cni_fail(e, VS_CNI_E_CONFIG, "socket path %s/%s/%s.sock is longer than "
				   "a Unix socket path may be (%d characters): shorten socketDir",
				   c->socket_dir, who, env->ifname, VS_CNI_SUN_PATH_MAX - 1);
	return 0;
}

json_t *vs_cni_port_add_args(const struct vs_cni_conf *c, const struct vs_cni_env *env,
			     const char *name, const char *sock, const json_t *ips)
{
	json_t *a = json_deep_copy(c->port_args), *list = json_array(), *v;
	size_t i;
	if (a == NULL || list == NULL) {
		json_decref(a);
		json_decref(list);
		return NULL;
	}
	json_object_set_new(a, "name", json_string(name));
	json_object_set_new(a, "socket", json_string(sock));
	if (env->pod_namespace[0] != '\0')
		json_object_set_new(a, "namespace", json_string(env->pod_namespace));
	if (c->mac[0] != '\0')
		json_object_set_new(a, "mac", json_string(c->mac));
	json_array_foreach(ips, i, v) {	/* vswd takes addresses without the prefix length */
		const char *s = json_string_value(v);
		const char *slash = s ? strchr(s, '/') : NULL;
		if (s != NULL)
			json_array_append_new(list, slash ? json_stringn(s, (size_t)(slash - s)) :
							    json_string(s));
	}
	if (json_array_size(list) > 0)
		json_object_set_new(a, "ips", list);
	else
		json_decref(list);
	return a;
}
