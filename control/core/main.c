/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vswd: load and validate the config, start DPDK on the configured CPUs,
 * apply the ports, launch the workers and run the control thread (libevent)
 * until SIGTERM/SIGINT, then shut down in reverse order.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <event2/event.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_version.h>

#include "vs_proto.h"
#include "vs_types.h"
#include "control/core/core.h"
#include "control/core/log.h"
#include "control/core/notify.h"
#include "control/core/persist.h"
#include "control/core/snapshot.h"
#include "control/core/state.h"
#include "control/l2/fdb.h"
#include "control/metrics/http.h"
#include "control/model/config.h"
#include "control/model/err.h"
#include "control/model/ratelimit.h"
#include "control/policy/acl.h"
#include "control/policy/netpol.h"
#include "control/policy/policy_set.h"
#include "control/port/announce.h"
#include "control/port/ports.h"
#include "control/server/handlers.h"
#include "control/server/server.h"
#include "dataplane/l2/fdb.h"
#include "dataplane/policy/policy_dp.h"
#include "dataplane/worker/dp.h"
#include "dataplane/worker/worker.h"

#define MBUFS (32 * 1024 - 1)

static void usage(FILE *f)
{
	fprintf(f, "usage: vswd [-c CONFIG] [-s SOCKET] [--check] [--version]\n"
		   "  -c, --config FILE   JSON config (default %s)\n"
		   "  -s, --socket PATH   control socket, overrides control.socket\n"
		   "      --check         validate the config and exit\n",
		VS_DEFAULT_CONFIG);
}

static int load_config(const char *path, struct vs_config *c)
{
	json_error_t jerr;
	struct vs_err e = { 0 };
	/* opened here, not by json_load_file, so a missing file is reported with its errno
	 * instead of jansson's ":-1:-1:" position */
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		fprintf(stderr, "vswd: cannot open %s: %s\n", path, strerror(errno));
		return -1;
	}
	json_t *root = json_loadf(f, JSON_REJECT_DUPLICATES, &jerr);
	fclose(f);
	if (root == NULL) {
		fprintf(stderr, "vswd: %s:%d:%d: %s\n", path, jerr.line, jerr.column, jerr.text);
		return -1;
	}
	int rc = vs_config_from_json(root, c, &e);
	bool used = false;
	if (rc == 0 && c->control.persist) {
		/* the lists clients changed at run time, kept in state_dir (persist.c) */
		if (vs_persist_merge(root, c->control.state_dir, &used) < 0) {
			vs_config_release(c);
			json_decref(root);
			return -1;
		}
		if (used) {
			vs_config_release(c);
			memset(c, 0, sizeof(*c));
			rc = vs_config_from_json(root, c, &e);
			path = VS_PERSIST_FILE " (control.persist) over the -c file";
		}
	}
	json_decref(root);
	if (rc < 0) {
		fprintf(stderr, "vswd: %s: %s: %s\n", path, e.field[0] ? e.field : "(top)", e.msg);
		return -1;
	}
	return 0;
}

/* EAL arguments from the config: lcore 0 on main_cpu, lcores 1..n on workers.cpus. */
/*
 * EAL's --socket-limit value: memory_mb for every NUMA node up to the last one present (it
 * takes one value per node, by position). A cap, not a reservation: -m would have EAL fault in
 * (and the kernel zero) all of memory_mb at every start, ~0.6 s per GiB, while guests wait for
 * the switch to come back; with a limit, hugepages are taken as the tables and pools need them.
 */
static void socket_limit(uint32_t memory_mb, char *buf, size_t len)
{
	int last = 0;
	for (int node = 1; node < RTE_MAX_NUMA_NODES; node++) {
		char d[64];
		snprintf(d, sizeof(d), "/sys/devices/system/node/node%d", node);
		if (access(d, F_OK) == 0)
			last = node;
	}
	size_t l = 0;
	for (int node = 0; node <= last && l < len; node++)
		l += (size_t)snprintf(buf + l, len - l, "%s%u", node ? "," : "", memory_mb);
}

static int eal_args(const struct vs_config *c, char **argv, char *store, size_t len)
{
	int argc = 0;
	size_t used = 0;
#define ARG(...)                                                                  \
	do {                                                                      \
		argv[argc++] = store + used;                                      \
		used += (size_t)snprintf(store + used, len - used, __VA_ARGS__) + 1; \
	} while (0)
	ARG("vswd");
	char lcores[512];
	int n = snprintf(lcores, sizeof(lcores), "0@%u", c->dpdk.main_cpu);
	for (uint16_t i = 0; i < c->workers.n_cpus; i++)
		n += snprintf(lcores + n, sizeof(lcores) - (size_t)n, ",%u@%u", i + 1,
			      c->workers.cpus[i]);
	ARG("--lcores");
	ARG("%s", lcores);
	ARG("--file-prefix");
	ARG("%s", c->dpdk.file_prefix);
	if (c->dpdk.no_huge) {
		ARG("--no-huge");
		ARG("-m");
		ARG("%u", c->dpdk.memory_mb);
	} else {
		char lim[RTE_MAX_NUMA_NODES * 12];
		socket_limit(c->dpdk.memory_mb, lim, sizeof(lim));
		ARG("--socket-limit");
		ARG("%s", lim);
	}
	for (uint16_t i = 0; i < c->dpdk.n_extra; i++)
		ARG("%s", c->dpdk.extra_eal_args[i]);
#undef ARG
	argv[argc] = NULL;
	return argc;
}

static int dp_init(const struct vs_config *c)
{
	uint16_t nw = c->workers.n_cpus;
	size_t qsz = rte_rcu_qsbr_get_memsize(nw);

	vs_dp.n_workers = nw;
	vs_dp.burst = c->workers.burst;
	vs_dp.idle_sleep_us = c->workers.idle_sleep_us;
	vs_dp.idle_spins = c->workers.idle_spins;
	atomic_store(&vs_dp.running, 1);
	vs_dp.qsbr = rte_zmalloc("vs_qsbr", qsz, RTE_CACHE_LINE_SIZE);
	if (vs_dp.qsbr == NULL || rte_rcu_qsbr_init(vs_dp.qsbr, nw) != 0)
		return -ENOMEM;
	vs_dp.pool = rte_pktmbuf_pool_create(
		"vs_mbufs", MBUFS, 256, RTE_ALIGN(sizeof(struct vs_pkt_meta), RTE_MBUF_PRIV_ALIGN),
		RTE_MBUF_DEFAULT_BUF_SIZE, (int)rte_socket_id());
	if (vs_dp.pool == NULL)
		return -rte_errno;
	vs_dp.fdb = vs_fdb_create(c->fdb.size, c->fdb.aging_s, vs_dp.qsbr);
	if (vs_dp.fdb == NULL)
		return -ENOMEM;
	vs_dp.ct = vs_ct_create(&c->conntrack);
	if (vs_dp.ct == NULL)
		return -ENOMEM;
	vs_dp.workers = rte_zmalloc("vs_workers", sizeof(struct vs_worker) * nw,
				    RTE_CACHE_LINE_SIZE);
	if (vs_dp.workers == NULL)
		return -ENOMEM;
	for (uint16_t w = 0; w < nw; w++) {
		char name[32];
		snprintf(name, sizeof(name), "vs_learn_%u", w);
		vs_dp.workers[w].id = w;
		vs_dp.workers[w].last_learn_port = VS_PORT_NONE;
		vs_dp.workers[w].learn_ring = rte_ring_create_elem(
			name, sizeof(struct vs_learn_event), 4096, (int)rte_socket_id(),
			RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (vs_dp.workers[w].learn_ring == NULL)
			return -ENOMEM;
		snprintf(name, sizeof(name), "vs_deny_%u", w);
		vs_dp.workers[w].deny_ring = rte_ring_create_elem(
			name, sizeof(struct vs_deny_event), 256, (int)rte_socket_id(),
			RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (vs_dp.workers[w].deny_ring == NULL)
			return -ENOMEM;
	}
	struct vs_err e;
	return vs_snapshot_publish(NULL, &e);	/* the empty switch, before any change */
}

static void dp_fini(void)
{
	vs_snapshot_free_current();
	vs_netpol_free_all();
	vs_ct_destroy(vs_dp.ct);
	vs_fdb_destroy(vs_dp.fdb);
	if (vs_dp.workers != NULL)
		for (uint16_t w = 0; w < vs_dp.n_workers; w++) {
			rte_ring_free(vs_dp.workers[w].learn_ring);
			rte_ring_free(vs_dp.workers[w].deny_ring);
		}
	rte_free(vs_dp.workers);
	rte_mempool_free(vs_dp.pool);
	rte_free(vs_dp.qsbr);
}

static uint32_t monotonic_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint32_t)ts.tv_sec;
}

static void learn_timer(evutil_socket_t fd, short what, void *arg)
{
	static unsigned int ticks;
	(void)fd, (void)what, (void)arg;
	vs_fdb_drain_learn(vs_dp.fdb);
	vs_netpol_drain_events();
	vs_announce_run();
	/* Links every 100 ms: log and count a bond member's link and active-set changes close
	 * to when they happen (the bonding PMD itself reacts on its own, sooner). */
	if (++ticks % 50 == 0)
		vs_ports_poll_links();
}

static void second_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what, (void)arg;
	uint32_t now = monotonic_s();
	atomic_store_explicit(&vs_dp.clock_s, now, memory_order_relaxed);
	vs_fdb_age(vs_dp.fdb, now);
	vs_ct_expire(vs_dp.ct, &vs_st.cfg->conntrack, now);
}

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
	(void)what;
	VS_LOG(NOTICE, "signal %d: shutting down", (int)sig);
	vs_notify("STOPPING=1");
	event_base_loopbreak(arg);
}

/*
 * With hugepages, EAL may take up to dpdk.memory_mb (its --socket-limit): check at start that
 * the pool has that much free and say so clearly, rather than failing later on a port add.
 * vswd never changes the pool (vm.nr_hugepages): the node's VMs use it too, and resizing it at
 * every start would take pages from them or fail half-way.
 */
static int hugepages_check(const struct vs_config *c)
{
	uint64_t free_kb = 0;
	const char *base = "/sys/kernel/mm/hugepages";
	struct dirent *de;

	if (c->dpdk.no_huge)
		return 0;
	DIR *d = opendir(base);
	while (d != NULL && (de = readdir(d)) != NULL) {
		unsigned long size_kb, n = 0;
		char path[512];
		if (sscanf(de->d_name, "hugepages-%lukB", &size_kb) != 1)
			continue;
		snprintf(path, sizeof(path), "%s/%s/free_hugepages", base, de->d_name);
		FILE *f = fopen(path, "r");
		if (f != NULL) {
			if (fscanf(f, "%lu", &n) != 1)
				n = 0;
			fclose(f);
		}
		free_kb += (uint64_t)size_kb * n;
	}
	if (d != NULL)
		closedir(d);
	if (free_kb / 1024 >= c->dpdk.memory_mb)
		return 0;
	fprintf(stderr, "vswd: dpdk.memory_mb: %u MiB of hugepages needed, %llu MiB free "
			"(/sys/kernel/mm/hugepages); vswd does not resize the pool: reserve pages "
			"at boot (hugepages= on the kernel command line or vm.nr_hugepages in "
			"/etc/sysctl.d), lower dpdk.memory_mb, or set dpdk.no_huge for tests\n",
		c->dpdk.memory_mb, (unsigned long long)(free_kb / 1024));
	return -ENOMEM;
}

/* mkdir -p with mode for the parts that are missing. */
static void mkdir_p(const char *path, mode_t mode)
{
	char dir[VS_DIR_MAX];
	snprintf(dir, sizeof(dir), "%s/", path);
	for (char *p = dir + 1; *p != '\0'; p++) {
		if (*p == '/') {
			*p = '\0';
			mkdir(dir, mode);
			*p = '/';
		}
	}
}

struct options {
	const char *config_path, *socket_override;
	bool check_only;
};

/* Returns -1 to go on, else the exit code. */
static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "socket", required_argument, NULL, 's' },
		{ "check", no_argument, NULL, 'C' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	*o = (struct options){ .config_path = VS_DEFAULT_CONFIG };
	while ((opt = getopt_long(argc, argv, "c:s:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'c': o->config_path = optarg; break;
		case 's': o->socket_override = optarg; break;
		case 'C': o->check_only = true; break;
		case 'V': printf("vswd %s (%s)\n", VS_VERSION, rte_version()); return 0;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 1;
		}
	}
	return -1;
}

/* The config file with the command line's overrides; warnings for what works but is slow. */
static int prepare_config(const struct options *o, struct vs_config *cfg)
{
	if (load_config(o->config_path, cfg) < 0)
		return -1;
	if (o->socket_override != NULL) {
		if (strlen(o->socket_override) >= sizeof(cfg->control.socket)) {
			fprintf(stderr, "vswd: --socket: path too long for a Unix socket\n");
			return -1;
		}
		snprintf(cfg->control.socket, sizeof(cfg->control.socket), "%s",
			 o->socket_override);
	}
	for (uint16_t i = 0; i < cfg->workers.n_cpus; i++)
		for (uint16_t j = 0; j < i; j++)
			if (!o->check_only && cfg->workers.cpus[i] == cfg->workers.cpus[j])
				fprintf(stderr, "vswd: warning: workers %u and %u share CPU %u: both "
						"run at half speed (fine for tests, not for production)\n",
					j, i, cfg->workers.cpus[i]);
	return 0;
}

/* The socket directory (/run/vsw) usually holds the ports' sockets too. */
static void make_dirs(const struct vs_config *cfg)
{
	char dir[VS_PATH_MAX];
	snprintf(dir, sizeof(dir), "%s", cfg->control.socket);
	*strrchr(dir, '/') = '\0';
	mkdir_p(dir, 0755);
	for (uint16_t i = 0; i < cfg->control.n_socket_dirs; i++)
		mkdir_p(cfg->control.socket_dirs[i], 0755);
	vs_core_state_dir_init();
}

static void launch_workers(void)
{
	unsigned int lc, w = 0;
	RTE_LCORE_FOREACH_WORKER(lc) {
		vs_dp.workers[w].lcore = lc;
		rte_eal_remote_launch(vs_worker_main, &vs_dp.workers[w], lc);
		w++;
	}
}

/* The control thread's timers and signals. */
struct loop_events {
	struct event *learn, *sec, *term, *intr;
};

static void loop_events_add(struct event_base *base, struct loop_events *ev)
{
	struct timeval ms2 = { 0, 2000 }, s1 = { 1, 0 };
	ev->learn = event_new(base, -1, EV_PERSIST, learn_timer, NULL);
	ev->sec = event_new(base, -1, EV_PERSIST, second_timer, NULL);
	ev->term = evsignal_new(base, SIGTERM, on_signal, base);
	ev->intr = evsignal_new(base, SIGINT, on_signal, base);
	event_add(ev->learn, &ms2);
	event_add(ev->sec, &s1);
	event_add(ev->term, NULL);
	event_add(ev->intr, NULL);
}

static void loop_events_free(struct loop_events *ev)
{
	struct event *all[] = { ev->learn, ev->sec, ev->term, ev->intr };
	for (size_t i = 0; i < RTE_DIM(all); i++)
		if (all[i] != NULL)
			event_free(all[i]);
}

/* Until SIGTERM / SIGINT; 0 on a clean stop. */
static int serve(struct vs_config *cfg, const char *config_path, struct event_base *base)
{
	struct loop_events ev = { 0 };
	struct vs_err e = { 0 };
	int rc = 1;

	make_dirs(cfg);
	if (vs_core_apply_config(cfg, &e) < 0) {
		fprintf(stderr, "vswd: %s%s%s: %s: %s\n", config_path,
			vs_persist_stats.loaded ? ", lists from " : "",
			vs_persist_stats.loaded ? VS_PERSIST_FILE : "", e.field, e.msg);
		return 1;
	}
	vs_persist_save();	/* the state as started: the -c file's lists on a first start */
	if (vs_server_start(base, cfg, &e) < 0) {
		fprintf(stderr, "vswd: %s: %s\n", e.field, e.msg);
		goto out;
	}
	if (vs_metrics_start(base, &cfg->metrics.at, &e) < 0) {
		fprintf(stderr, "vswd: %s: %s\n", e.field, e.msg);
		vs_server_stop();
		goto out;
	}
	launch_workers();
	loop_events_add(base, &ev);
	vs_st.ready_ms = vs_now_ms();
	VS_LOG(NOTICE, "vswd %s ready: %u ports, %u workers, control socket %s (EAL up %" PRIu64
	       " ms after start, ready at %" PRIu64 " ms)", VS_VERSION, cfg->n_ports,
	       vs_dp.n_workers, cfg->control.socket, vs_st.eal_ms - vs_st.start_ms,
	       vs_st.ready_ms - vs_st.start_ms);
	/* systemd (Type=notify): the socket accepts requests and the ports are up */
	int nrc = vs_notify("READY=1");
	if (nrc < 0)
		VS_LOG(WARNING, "cannot notify $NOTIFY_SOCKET: %s", strerror(-nrc));
	event_base_dispatch(base);

	vs_metrics_stop();
	vs_server_stop();
	rc = 0;
out:
	atomic_store(&vs_dp.running, 0);
	rte_eal_mp_wait_lcore();
	vs_core_remove_all();
	loop_events_free(&ev);
	return rc;
}

int main(int argc, char **argv)
{
	struct options o;
	int rc = 1;

	vs_st.start_ms = vs_now_ms();
	if ((rc = parse_options(argc, argv, &o)) >= 0)
		return rc;
	rc = 1;
	struct vs_config *cfg = calloc(1, sizeof(*cfg));
	if (cfg == NULL || prepare_config(&o, cfg) < 0)
		return 1;
	if (o.check_only) {
		printf("vswd: %s: ok (%u ports, %u static MACs)\n", o.config_path, cfg->n_ports,
		       cfg->n_static_macs);
		vs_config_release(cfg);
		free(cfg);
		return 0;
	}
	vs_handlers_bind();
	vs_st.cfg = cfg;
	if (realpath(o.config_path, vs_st.config_path) == NULL)
		snprintf(vs_st.config_path, sizeof(vs_st.config_path), "%s", o.config_path);

	if (hugepages_check(cfg) < 0)
		return 1;
	char *eal_argv[64], store[4096];
	int eal_argc = eal_args(cfg, eal_argv, store, sizeof(store));
	vs_log_init();
	if (rte_eal_init(eal_argc, eal_argv) < 0) {
		fprintf(stderr, "vswd: DPDK init failed: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	vs_st.eal_ms = vs_now_ms();
	signal(SIGPIPE, SIG_IGN);
	atomic_store(&vs_dp.clock_s, monotonic_s());

	struct event_base *base = event_base_new();
	if (base == NULL || dp_init(cfg) < 0)
		fprintf(stderr, "vswd: cannot set up the data path (memory?)\n");
	else
		rc = serve(cfg, o.config_path, base);
	atomic_store(&vs_dp.running, 0);
	rte_eal_mp_wait_lcore();
	if (base)
		event_base_free(base);
	dp_fini();
	vs_persist_free();
	rte_eal_cleanup();
	vs_config_release(cfg);
	free(cfg);
	VS_LOG(NOTICE, "vswd stopped");
	return rc;
}
