/* SPDX-License-Identifier: BSD-3-Clause */
/* vsw-cni's results, errors and device-info: see result.h. */
#include <string.h>

#include "control/cni/result.h"

json_t *vs_cni_result(const struct vs_cni_conf *c, const char *ifname, const char *sock,
		      const json_t *ipam)
{
	json_t *r = json_object(), *ifc = json_object(), *ips = json_array(), *v;
	size_t i;

	if (r == NULL || ifc == NULL || ips == NULL) {
		json_decref(r);
		json_decref(ifc);
		json_decref(ips);
		return NULL;
	}
	json_object_set_new(r, "cniVersion", json_string(c->version));
	json_object_set_new(ifc, "name", json_string(ifname));
	if (c->mac[0] != '\0')
		json_object_set_new(ifc, "mac", json_string(c->mac));
	json_object_set_new(ifc, "socketPath", json_string(sock));
	json_object_set_new(r, "interfaces", json_pack("[o]", ifc));
	json_array_foreach(json_object_get(ipam, "ips"), i, v) {
		json_t *ip = json_deep_copy(v);
		if (ip != NULL && json_is_object(ip)) {
			json_object_set_new(ip, "interface", json_integer(0));
			json_array_append_new(ips, ip);
		} else {
			json_decref(ip);
		}
	}
	json_object_set_new(r, "ips", ips);
	if ((v = json_object_get(ipam, "routes")) != NULL)
		json_object_set(r, "routes", v);
	v = json_object_get(ipam, "dns");
	if (v == NULL || json_object_size(v) == 0)
		v = json_object_get(c->root, "dns");
	if (v != NULL)
		json_object_set(r, "dns", v);
	return r;
}

json_t *vs_cni_result_addresses(const json_t *result)
{
	json_t *out = json_array(), *v;
	size_t i;
	json_array_foreach(json_object_get(result, "ips"), i, v) {
		const char *a = json_string_value(json_object_get(v, "address"));
		if (a != NULL)
			json_array_append_new(out, json_string(a));
	}
	return out;
}

/* Messages quote what the runtime passed (a CNI_ARGS key, a field), which need not be UTF-8:
 * JSON strings must be. */
static json_t *text(const char *s)
{
	json_t *j = json_string(s);
	if (j != NULL)
		return j;
	char buf[sizeof(((struct vs_cni_err *)0)->msg)];
	size_t i;
	for (i = 0; s[i] != '\0' && i + 1 < sizeof(buf); i++)
		buf[i] = (unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f ? '?' : s[i];
	buf[i] = '\0';
	return json_string(buf);
}

json_t *vs_cni_error_json(const char *version, const struct vs_cni_err *e)
{
	json_t *o = json_pack("{s:s, s:i, s:o}", "cniVersion", version ? version : "1.0.0",
			      "code", (json_int_t)e->code, "msg", text(e->msg));
	if (o != NULL && e->details[0] != '\0')
		json_object_set_new(o, "details", text(e->details));
	return o;
}

json_t *vs_cni_version_json(const char *version)
{
	json_t *list = json_array();
	for (const char *const *p = vs_cni_versions; *p != NULL; p++)
		json_array_append_new(list, json_string(*p));
	return json_pack("{s:s, s:o}", "cniVersion", version ? version : "1.0.0",
			 "supportedVersions", list);
}

json_t *vs_cni_device_info(const char *sock)
{
	return json_pack("{s:s, s:s, s:{s:s, s:s}}", "type", "vhost-user", "version", "1.1.0",
			 "vhost-user", "mode", "server", "path", sock);
}
