/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Typed core functions: every change of the running state goes through here,
 * whether it comes from the control socket or the config file. Each checks
 * everything first and changes nothing on error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "control/core/core.h"
#include "vs_types.h"
#include "control/core/change.h"
#include "control/core/log.h"
#include "control/core/safe_fs.h"
#include "control/core/state.h"
#include "control/l2/fdb.h"
#include "control/model/allow.h"
#include "control/model/config.h"
#include "control/model/err.h"
#include "control/model/netpol_cfg.h"
#include "control/model/policy.h"
#include "control/model/port_cfg.h"
#include "control/model/vlan_set.h"
#include "control/policy/acl.h"
#include "control/policy/netpol.h"
#include "control/policy/policy_set.h"
#include "control/port/ports.h"
#include "control/port/stats.h"
#include "control/qos/qos.h"
#include "dataplane/worker/dp.h"

struct vs_state vs_st;

int vs_core_port_find(const char *name)
{
	for (int i = 0; i < VS_MAX_PORTS; i++)
		if (vs_st.ports[i].in_use && strcmp(vs_st.ports[i].cfg.name, name) == 0)
			return i;
	return -1;
}

/* Prefix a runtime error's field ("socket") with where the port came from. */
static void err_prefix(struct vs_err *e, const char *prefix)
{
	char f[2 * sizeof(e->field)];
	if (e->field[0] == '\0' || strchr(e->field, '.') != NULL)
		return;
	snprintf(e->field, sizeof(e->field), "%s", VS_FIELD(f, prefix, e->field));
}

/* A port added (old NULL), removed (cfg NULL) or changed: when a policy selects the port or
 * takes its addresses, before or after, the compiled set that follows goes out in the same
 * snapshot, so a port is never briefly unprotected; otherwise the set in use stays. */
static int publish_port(const struct vs_port_cfg *old, const struct vs_port_cfg *cfg,
			struct vs_err *e)
{
	bool policy = (old != NULL && vs_netpol_port_matters(old)) ||
		      (cfg != NULL && vs_netpol_port_matters(cfg));
	return vs_change_commit(VS_CHANGE_PORTS | (policy ? VS_CHANGE_POLICY : 0), e);
}

/* A change to nothing policy reads (policer, QoS, MAC limits...): the set in use stays. */
static int publish_same_policy(struct vs_err *e)
{
	return vs_change_commit(VS_CHANGE_PORTS, e);
}

static int port_add(const struct vs_port_cfg *cfg, const char *prefix, struct vs_err *e)
{
	const struct vs_port_cfg *others[VS_MAX_PORTS];
	unsigned int n = 0;
	int slot = -1, rc;

	/* cfg was validated where it was decoded (a request, the config file); what is checked
	 * here depends on the running state */
	if ((rc = vs_port_cfg_check_allowed(cfg, vs_st.cfg, prefix, e)) < 0)
		return rc;
	for (int i = 0; i < VS_MAX_PORTS; i++) {
		if (vs_st.ports[i].in_use)
			others[n++] = &vs_st.ports[i].cfg;
		else if (slot < 0)
			slot = i;
	}
	if ((rc = vs_port_cfg_check_unique(cfg, others, n, prefix, e)) < 0)
		return rc;
	if (slot < 0)
		return vs_err_set(e, ENOSPC, prefix, "all %d port slots are in use", VS_MAX_PORTS);

	struct vs_port *p = &vs_st.ports[slot];
	memset(&p->announce, 0, sizeof(p->announce));	/* before the guest can connect */
	if ((rc = vs_port_rt_create(cfg, &p->rt, e)) < 0) {
		err_prefix(e, prefix);
		return rc;
	}
	if ((rc = vs_qos_create(cfg, (uint16_t)slot, &p->qos, e)) < 0) {
		vs_port_rt_destroy(cfg, p->rt);
		p->rt = NULL;
		err_prefix(e, prefix);
		return rc;
	}
	p->cfg = *cfg;
	p->seq = ++vs_st.next_seq;
	vs_port_counters_clear((uint16_t)slot);
	p->in_use = true;
	if ((rc = publish_port(NULL, cfg, e)) < 0) {
		p->in_use = false;
		vs_qos_destroy(p->qos);
		p->qos = NULL;
		vs_port_rt_destroy(cfg, p->rt);
		p->rt = NULL;
		return rc;
	}
	VS_LOG_RL(INFO, "port %s added (%s, %s)", cfg->name, vs_port_type_name(cfg->type),
	       vs_port_mode_name(cfg->mode));
	return 0;
}

int vs_core_port_add(const struct vs_port_cfg *cfg, struct vs_err *e)
{
	return port_add(cfg, "args", e);
}

int vs_core_port_del(const char *name, struct vs_err *e)
{
	int slot = vs_core_port_find(name);
	if (slot < 0)
		return vs_err_set(e, ENOENT, "args.name", "no port '%s'", name);
	struct vs_port *p = &vs_st.ports[slot];

	p->in_use = false;
	if (publish_port(&p->cfg, NULL, e) < 0) {
		p->in_use = true;
		return -e->code;
	}
	/* No worker sees the port any more: its MACs, connections and runtime can go. */
	vs_fdb_flush(vs_dp.fdb, 0, (uint16_t)slot, true);
	vs_ct_forget_port(vs_dp.ct, &vs_st.cfg->conntrack,
			  atomic_load_explicit(&vs_dp.clock_s, memory_order_relaxed), (uint16_t)slot);
	vs_qos_destroy(p->qos);
	p->qos = NULL;
	vs_port_rt_destroy(&p->cfg, p->rt);
	p->rt = NULL;
	VS_LOG_RL(INFO, "port %s removed", name);
	return 0;
}

int vs_core_port_set(const struct vs_port_cfg *cfg, struct vs_err *e)
{
	const char *name = cfg->name;
	int slot = vs_core_port_find(name);
	if (slot < 0)
		return vs_err_set(e, ENOENT, "args.name", "no port '%s'", name);
	struct vs_port *p = &vs_st.ports[slot];
	struct vs_port_cfg old = p->cfg, n = *cfg;
	int rc;

	if (n.type != old.type || strcmp(n.socket, old.socket) != 0 ||
	    strcmp(n.devargs, old.devargs) != 0 || strcmp(n.members, old.members) != 0)
		return vs_err_set(e, EINVAL, "args", "a port's type and device are set when it is "
				  "added");
	if (n.mtu != old.mtu && n.type == VS_PORT_DPDK)
		return vs_err_set(e, ENOTSUP, "args.mtu",
				  "the MTU of a dpdk port is set when it is added");
	/* A new scheduler when its shape changes; the old one (and what is queued in it) goes
	 * once no worker sees it. Classification changes need only the new snapshot. */
	struct vs_qos *old_qos = p->qos, *new_qos = old_qos;
	if (vs_qos_needs_new(&old.qos, &n.qos) &&
	    (rc = vs_qos_create(&n, (uint16_t)slot, &new_qos, e)) < 0) {
		err_prefix(e, "args");
		return rc;
	}
	p->cfg = n;
	p->qos = new_qos;
	if ((rc = vs_policy_port_inputs_same(&old, &n) ? publish_same_policy(e) :
		  publish_port(&old, &n, e)) < 0) {
		p->cfg = old;
		p->qos = old_qos;
		if (new_qos != old_qos)
			vs_qos_destroy(new_qos);
		return rc;
	}
	if (new_qos != old_qos)
		vs_qos_destroy(old_qos);
	/* Entries of VLANs the port left would only misdirect until they age. */
	struct vs_vlan_set left = { 0 };
	for (uint32_t v = 1; v < VS_VLAN_COUNT - 1; v++)
		if (vs_port_cfg_in_vlan(&old, (uint16_t)v) && !vs_port_cfg_in_vlan(&n, (uint16_t)v))
			vs_vlan_set_add(&left, (uint16_t)v);
	if (vs_vlan_set_count(&left) > 0)
		vs_fdb_flush_vlans(vs_dp.fdb, &left, (uint16_t)slot, true);
	VS_LOG_RL(INFO, "port %s changed", name);
	return 0;
}

static int mac_add(const struct vs_static_mac *m, const char *prefix, struct vs_err *e)
{
	char f[160];
	int slot = vs_core_port_find(m->port);
	if (slot < 0)
		return vs_err_set(e, ENOENT, VS_FIELD(f, prefix, "port"),
				  "no port '%s'", m->port);
	if (!vs_port_cfg_in_vlan(&vs_st.ports[slot].cfg, m->vlan))
		return vs_err_set(e, EINVAL, VS_FIELD(f, prefix, "vlan"),
				  "port '%s' is not in VLAN %u", m->port, m->vlan);
	int rc = vs_fdb_add_static(vs_dp.fdb, m->vlan, m->mac, (uint16_t)slot, e);
	if (rc < 0)
		err_prefix(e, prefix);
	return rc;
}

int vs_core_mac_add(const struct vs_static_mac *m, struct vs_err *e)
{
	return mac_add(m, "args", e);
}

int vs_core_mac_del(uint16_t vlan, const uint8_t mac[6], struct vs_err *e)
{
	if (vs_fdb_del(vs_dp.fdb, vlan, mac) < 0)
		return vs_err_set(e, ENOENT, "args.mac", "not in the MAC table of VLAN %u", vlan);
	return 0;
}

unsigned int vs_core_mac_flush(uint16_t vlan, uint16_t port)
{
	unsigned int n = vs_fdb_flush(vs_dp.fdb, vlan, port, false);
	VS_LOG_RL(INFO, "%u learned MACs flushed", n);
	return n;
}

int vs_core_apply_config(const struct vs_config *c, struct vs_err *e)
{
	char prefix[48];
	int rc;

	/* networks and namespaces first: policies refer to them */
	vs_netpol_load(c->networks, c->n_networks, c->namespaces, c->n_namespaces);
	for (uint16_t i = 0; i < c->n_ports; i++) {
		snprintf(prefix, sizeof(prefix), "ports[%u]", i);
		if ((rc = port_add(&c->ports[i], prefix, e)) < 0)
			goto err;
	}
	for (uint16_t i = 0; i < c->n_static_macs; i++) {
		snprintf(prefix, sizeof(prefix), "static_macs[%u]", i);
		if ((rc = mac_add(&c->static_macs[i], prefix, e)) < 0)
			goto err;
	}
	/* all policies in one compile */
	json_t *applied = NULL;
	if (json_array_size(c->policies) > 0 &&
	    (rc = vs_netpol_policy_apply(c->policies, "policies", &applied, e)) < 0)
		goto err;
	json_decref(applied);
	return 0;
err:
	vs_core_remove_all();
	return rc;
}

void vs_core_remove_all(void)
{
	struct vs_err e;
	vs_netpol_clear();
	for (int i = VS_MAX_PORTS - 1; i >= 0; i--)
		if (vs_st.ports[i].in_use)
			vs_core_port_del(vs_st.ports[i].cfg.name, &e);
}

/* Slots in the order ports were added. */
static int by_seq(const void *a, const void *b)
{
	uint64_t x = vs_st.ports[*(const int *)a].seq, y = vs_st.ports[*(const int *)b].seq;
	return x < y ? -1 : x > y;
}

int vs_core_ports_ordered(int *slots)
{
	int n = 0;
	for (int i = 0; i < VS_MAX_PORTS; i++)
		if (vs_st.ports[i].in_use)
			slots[n++] = i;
	qsort(slots, (size_t)n, sizeof(int), by_seq);
	return n;
}

json_t *vs_core_running_config(void)
{
	int slots[VS_MAX_PORTS];
	int n = vs_core_ports_ordered(slots);
	json_t *root = vs_config_to_json(vs_st.cfg);	/* globals; its lists are empty */
	json_t *ports = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(ports, vs_port_cfg_to_json(&vs_st.ports[slots[i]].cfg));
	json_object_set_new(root, "ports", ports);
	json_object_set_new(root, "static_macs", vs_fdb_statics_to_json(vs_dp.fdb));
	json_t *nets = vs_networks_to_json(vs_np.networks, vs_np.n_networks);
	json_t *nss = vs_namespaces_to_json(vs_np.namespaces, vs_np.n_namespaces);
	json_t *pols = json_array();
	for (uint32_t i = 0; i < vs_np.n_policies; i++)
		json_array_append(pols, vs_np.policies[i].obj);
	json_object_set_new(root, "networks", nets);
	json_object_set_new(root, "namespaces", nss);
	json_object_set_new(root, "policies", pols);
	return root;
}

void vs_core_state_dir_init(void)
{
	const char *dir = vs_st.cfg->control.state_dir;
	struct stat st;

	if (mkdir(dir, 0750) < 0 && errno != EEXIST)
		VS_LOG(WARNING, "control.state_dir %s: %s (config.save can only write the -c "
				"file)", dir, strerror(errno));
	if (realpath(dir, vs_st.state_dir_real) == NULL || stat(vs_st.state_dir_real, &st) < 0) {
		vs_st.state_dir_real[0] = '\0';
		return;
	}
	vs_st.state_dev = st.st_dev;
	vs_st.state_ino = st.st_ino;
	vs_safe_fs_init(vs_st.state_dir_real);
}

int vs_core_config_save(const char *path, const char **saved, struct vs_err *e)
{
	const char *field = "args.path";
	char dir[PATH_MAX];
	struct stat st;
	dev_t dev = 0;
	ino_t ino = 0;
	int rc;

	if (path == NULL)
		path = vs_st.config_path;
	if (path[0] == '\0')
		return vs_err_set(e, EINVAL, "args.path", "vswd was started without -c: give a path");
	if ((rc = vs_save_path_allowed(path, vs_st.cfg->control.state_dir, vs_st.state_dir_real,
				       vs_st.config_path, field, e)) < 0)
		return rc;
	snprintf(dir, sizeof(dir), "%s", path);
	char *slash = strrchr(dir, '/');
	*slash = '\0';
	const char *name = slash + 1;
	if (strcmp(path, vs_st.config_path) != 0) {
		/* the state dir must still be the one vswd resolved at startup */
		if (vs_st.state_dir_real[0] == '\0')
			return vs_err_set(e, ENOENT, field, "control.state_dir %s does not exist",
					  vs_st.cfg->control.state_dir);
		dev = vs_st.state_dev;
		ino = vs_st.state_ino;
	} else if (stat(dir, &st) == 0) {
		dev = st.st_dev;	/* the -c file's directory, as it is now */
		ino = st.st_ino;
	}
	json_t *cfg = vs_core_running_config();
	char *text = json_dumps(cfg, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(cfg);
	if (text == NULL)
		return vs_err_set(e, ENOMEM, field, "out of memory");
	rc = vs_write_atomic(dir, name, text, strlen(text), 0640, dev, ino);
	free(text);
	if (rc == -ELOOP)
		return vs_err_set(e, EACCES, field, "%s is a symlink (or its directory is): "
				  "vswd does not follow links when saving", path);
	if (rc == -EACCES)
		return vs_err_set(e, EACCES, field, "%s is not a regular file, or its directory "
				  "was replaced since vswd started", path);
	if (rc < 0)
		return vs_err_set(e, -rc, field, "cannot write %s: %s", path, strerror(-rc));
	VS_LOG_RL(INFO, "running config saved to %s", path);
	*saved = path;
	return 0;
}
