/* SPDX-License-Identifier: BSD-3-Clause */
/* control/model/allow.c and control/model/ratelimit.c: what requests may name, and client limits. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "vs_types.h"
#include "control/model/allow.h"
#include "control/model/config.h"
#include "control/model/err.h"
#include "control/model/port_cfg.h"
#include "control/model/ratelimit.h"
#include "suites.h"

static struct vs_config cfg;

static void setup(bool test_vdevs)
{
	vs_config_defaults(&cfg);
	cfg.control.n_socket_dirs = 2;
	snprintf(cfg.control.socket_dirs[1], sizeof(cfg.control.socket_dirs[1]), "/var/run/kv");
	cfg.dpdk.allow_test_vdevs = test_vdevs;
}

static void test_path_check(void)
{
	static const struct {
		const char *path;
		int rc;
	} cases[] = {
		{ "/run/vsw/vm1.sock", 0 }, { "/", 0 }, { "/a", 0 }, { "/a/.b", 0 },
		{ "/a/b..", 0 }, { "relative", -EINVAL }, { "", -EINVAL }, { "./x", -EINVAL },
		{ "/a/../b", -EINVAL }, { "/a/./b", -EINVAL }, { "/a//b", -EINVAL },
		{ "/a/b/", -EINVAL }, { "/..", -EINVAL }, { "/a/..", -EINVAL },
		{ "/a/\nb", -EINVAL },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vs_err e = { 0 };
		int rc = vs_path_check(cases[i].path, "f", &e);
		CU_ASSERT_EQUAL(rc, cases[i].rc);
		if (rc != cases[i].rc)
			fprintf(stderr, "\n  %s: %d, want %d\n", cases[i].path, rc, cases[i].rc);
		if (rc < 0)
			CU_ASSERT_STRING_EQUAL(e.field, "f");
	}
	CU_ASSERT_TRUE(vs_path_below("/run/vsw/a", "/run/vsw"));
	CU_ASSERT_TRUE(vs_path_below("/run/vsw/a/b", "/run/vsw"));
	CU_ASSERT_FALSE(vs_path_below("/run/vsw", "/run/vsw"));
	CU_ASSERT_FALSE(vs_path_below("/run/vswx/a", "/run/vsw"));
	CU_ASSERT_FALSE(vs_path_below("/run/vsw/", "/run/vsw"));
	CU_ASSERT_FALSE(vs_path_below("/run", "/run/vsw"));
}

static void test_socket_paths(void)
{
	struct vs_err e;
	setup(false);
	CU_ASSERT_EQUAL(vs_socket_path_allowed("/run/vsw/vm1.sock", &cfg, "args.socket", &e), 0);
	CU_ASSERT_EQUAL(vs_socket_path_allowed("/var/run/kv/pod/vm1.sock", &cfg, "args.socket",
					       &e), 0);
	CU_ASSERT_STRING_EQUAL(vs_socket_dir_of("/var/run/kv/pod/x", &cfg), "/var/run/kv");
	CU_ASSERT_PTR_NULL(vs_socket_dir_of("/etc/x", &cfg));
	CU_ASSERT_EQUAL(vs_socket_path_allowed("/etc/vm1.sock", &cfg, "args.socket", &e),
			-EACCES);
	CU_ASSERT_STRING_EQUAL(e.field, "args.socket");
	CU_ASSERT_EQUAL(vs_socket_path_allowed("/run/vsw", &cfg, "args.socket", &e), -EACCES);
	CU_ASSERT_EQUAL(vs_socket_path_allowed("/run/vsw/../x", &cfg, "args.socket", &e),
			-EINVAL);
	CU_ASSERT_EQUAL(vs_socket_path_allowed("vm1.sock", &cfg, "args.socket", &e), -EINVAL);
}

static void test_devargs(void)
{
	static const struct {
		const char *devargs;
		bool test_vdevs;
		int rc;
	} cases[] = {
		{ "0000:3b:00.0", false, 0 },
		{ "3b:00.1", false, 0 },
		{ "0000:3B:1f.7", false, 0 },
		{ "0000:3b:00.0,rx_vec_en=0", false, 0 },
		{ "0000:3b:00.0,mprq_en=1,txq_inline_max=128", false, 0 },
		{ "0000:3b:00.8", false, -EACCES },
		{ "000:3b:00.0", false, -EACCES },
		{ "0000:3b:00.0x", false, -EACCES },
		{ "0000:3b:00.0,representor=[0-3]", false, -EACCES },
		{ "0000:3b:00.0,rx_vec_en", false, -EINVAL },
		{ "0000:3b:00.0,rx_vec_en=a/b", false, -EINVAL },
		{ "net_pcap0,tx_pcap=/etc/passwd", false, -EACCES },
		{ "net_pcap0,tx_pcap=/etc/passwd", true, -EACCES },
		{ "net_af_packet0,iface=lo", true, -EACCES },
		{ "net_tap0,iface=eth0", true, -EACCES },
		{ "net_bonding0,slave=0000:3b:00.0", true, -EACCES },
		{ "net_null0", false, -EACCES },
		{ "net_null0", true, 0 },
		{ "net_null12,size=64", true, 0 },
		{ "net_nullx", true, -EACCES },
		{ "net_null0,copy=1,foo=2", true, -EACCES },
		{ "net_ring0", true, 0 },
		{ "net_ring0,nodeaction=r:0:CREATE", true, -EACCES },
		{ "net_vhost0,iface=/run/vsw/up.sock,queues=2", true, 0 },
		{ "net_vhost0,iface=/var/run/kv/a/up.sock,client=1", true, 0 },
		{ "net_vhost0,iface=/run/vsw/up.sock", false, -EACCES },
		{ "net_vhost0,iface=/tmp/up.sock", true, -EACCES },
		{ "net_vhost0,iface=/run/vsw/../../etc/x", true, -EINVAL },
		{ "net_vhost0,iface=up.sock", true, -EINVAL },
		{ "net_vhost0,queues=1", true, -EINVAL },
		{ "net_virtio_user0,path=/run/vsw/m0.sock,server=1,queue_size=1024,"
		  "mac=02:00:00:00:0b:00", true, 0 },
		{ "net_virtio_user0,path=/dev/vhost-net", true, -EACCES },
		{ "net_virtio_user0,path=/run/vsw/m0.sock,interface_name=eth0", true, -EACCES },
		{ "", false, -EACCES },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vs_err e = { 0 };
		setup(cases[i].test_vdevs);
		int rc = vs_devargs_allowed(cases[i].devargs, &cfg, "args.devargs", &e);
		CU_ASSERT_EQUAL(rc, cases[i].rc);
		if (rc != cases[i].rc)
			fprintf(stderr, "\n  %s (test vdevs %d): %d, want %d: %s\n",
				cases[i].devargs, cases[i].test_vdevs, rc, cases[i].rc, e.msg);
		if (rc < 0)
			CU_ASSERT_STRING_EQUAL(e.field, "args.devargs");
	}
	char path[VS_PATH_MAX];
	CU_ASSERT_TRUE(vs_devargs_path("net_vhost0,queues=1,iface=/run/vsw/u.sock", path,
				       sizeof(path)));
	CU_ASSERT_STRING_EQUAL(path, "/run/vsw/u.sock");
	CU_ASSERT_TRUE(vs_devargs_path("net_virtio_user1,path=/run/vsw/m.sock", path,
				       sizeof(path)));
	CU_ASSERT_STRING_EQUAL(path, "/run/vsw/m.sock");
	CU_ASSERT_FALSE(vs_devargs_path("net_null0", path, sizeof(path)));
	CU_ASSERT_FALSE(vs_devargs_path("0000:3b:00.0", path, sizeof(path)));
}

static void test_port_allowed(void)
{
	struct vs_port_cfg p;
	struct vs_err e;

	setup(true);
	vs_test_port_from("{'name': 'b', 'type': 'bond', 'bond_mode': 'active-backup',"
			  " 'members': 'net_null0;net_ring1', 'allowed': '10'}", &p);
	CU_ASSERT_EQUAL(vs_port_cfg_check_allowed(&p, &cfg, "args", &e), 0);
	vs_test_port_from("{'name': 'b', 'type': 'bond', 'bond_mode': 'active-backup',"
			  " 'members': 'net_null0;net_pcap1,iface=lo', 'allowed': '10'}", &p);
	CU_ASSERT_EQUAL(vs_port_cfg_check_allowed(&p, &cfg, "args", &e), -EACCES);
	CU_ASSERT_STRING_EQUAL(e.field, "args.members");
	vs_test_port_from("{'name': 'vm', 'socket': '/opt/x.sock', 'vlan': 10}", &p);
	CU_ASSERT_EQUAL(vs_port_cfg_check_allowed(&p, &cfg, "ports[3]", &e), -EACCES);
	CU_ASSERT_STRING_EQUAL(e.field, "ports[3].socket");
	vs_test_port_from("{'name': 'up', 'type': 'dpdk', 'devargs': 'net_pcap0,rx_pcap=/x',"
			  " 'allowed': '10'}", &p);
	CU_ASSERT_EQUAL(vs_port_cfg_check_allowed(&p, &cfg, "args", &e), -EACCES);
	CU_ASSERT_STRING_EQUAL(e.field, "args.devargs");
}

static void test_save_paths(void)
{
	static const struct {
		const char *path;
		int rc;
	} cases[] = {
		{ "/var/lib/vsw/a.json", 0 },
		{ "/data/vsw/a.json", 0 },	/* the canonical form */
		{ "/etc/vsw/vsw.json", 0 },	/* the -c file */
		{ "/etc/vsw/other.json", -EACCES },
		{ "/etc/passwd", -EACCES },
		{ "/var/lib/vsw/sub/a.json", -EACCES },
		{ "/var/lib/vsw", -EACCES },
		{ "/var/lib/vswx/a.json", -EACCES },
		{ "/var/lib/vsw/.a.json.tmp", -EINVAL },
		{ "/var/lib/vsw/../vsw/a.json", -EINVAL },
		{ "a.json", -EINVAL },
		{ "../../etc/passwd", -EINVAL },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vs_err e = { 0 };
		int rc = vs_save_path_allowed(cases[i].path, "/var/lib/vsw", "/data/vsw",
					      "/etc/vsw/vsw.json", "args.path", &e);
		CU_ASSERT_EQUAL(rc, cases[i].rc);
		if (rc != cases[i].rc)
			fprintf(stderr, "\n  %s: %d, want %d\n", cases[i].path, rc, cases[i].rc);
		if (rc < 0)
			CU_ASSERT_STRING_EQUAL(e.field, "args.path");
	}
	struct vs_err e;
	/* started without -c: only the state dir */
	CU_ASSERT_EQUAL(vs_save_path_allowed("/etc/vsw/vsw.json", "/var/lib/vsw", "/var/lib/vsw",
					     "", "args.path", &e), -EACCES);
}

static void test_bucket(void)
{
	struct vs_bucket b;
	int n = 0;

	vs_bucket_init(&b, 5, 1000);
	while (vs_bucket_take(&b, 10, 5, 1000))
		n++;
	CU_ASSERT_EQUAL(n, 5);	/* the burst */
	CU_ASSERT_EQUAL(vs_bucket_wait_ms(&b, 10), 100);
	CU_ASSERT_FALSE(vs_bucket_take(&b, 10, 5, 1099));
	CU_ASSERT_TRUE(vs_bucket_take(&b, 10, 5, 1100));	/* 10/s: one per 100 ms */
	CU_ASSERT_FALSE(vs_bucket_take(&b, 10, 5, 1100));
	/* a long pause refills to the burst, no more */
	n = 0;
	while (vs_bucket_take(&b, 10, 5, 1000000000ULL))
		n++;
	CU_ASSERT_EQUAL(n, 5);
	/* the clock never goes backwards for the bucket */
	CU_ASSERT_FALSE(vs_bucket_take(&b, 10, 5, 5));
	/* fast rates: fractions of a millisecond add up */
	vs_bucket_init(&b, 1, 0);
	n = 0;
	for (uint64_t t = 0; t <= 1000; t++)
		while (vs_bucket_take(&b, 100000, 1, t))
			n++;
	CU_ASSERT_TRUE(n >= 1000 && n <= 1001);	/* capped by the burst of 1 per ms */
}

static void test_log_limit(void)
{
	struct vs_log_limit l = { 0 };
	uint64_t sup, before = vs_log_suppressed_total;
	int passed = 0;

	for (int i = 0; i < 100; i++)
		passed += vs_log_limit_pass(&l, 5000 + (uint64_t)i, &sup);
	CU_ASSERT_EQUAL(passed, VS_LOG_LINES_PER_S);
	CU_ASSERT_EQUAL(vs_log_suppressed_total - before, 100 - VS_LOG_LINES_PER_S);
	CU_ASSERT_FALSE(vs_log_limit_pass(&l, 5999, &sup));
	/* next second: passes and says how many were dropped */
	CU_ASSERT_TRUE(vs_log_limit_pass(&l, 6000, &sup));
	CU_ASSERT_EQUAL(sup, 100 - VS_LOG_LINES_PER_S + 1);
	CU_ASSERT_TRUE(vs_log_limit_pass(&l, 6001, &sup));
	CU_ASSERT_EQUAL(sup, 0);
}

CU_ErrorCode vs_test_allow_suite(void)
{
	static const struct vs_test tests[] = {
		{ "clean paths", test_path_check },
		{ "socket paths below socket_dirs", test_socket_paths },
		{ "devargs allow-list", test_devargs },
		{ "port paths and devices", test_port_allowed },
		{ "config.save paths", test_save_paths },
		{ "token bucket", test_bucket },
		{ "log limiter", test_log_limit },
		{ NULL, NULL },
	};
	return vs_test_add_suite("allow", tests);
}
