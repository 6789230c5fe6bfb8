/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * control/model/config.c: the config file as JSON, its defaults, validation (every error names its
 * JSON path) and the to_json/from_json round trip.
 *
 * JSON texts here use single quotes for readability (see vs_test_json).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "vs_proto.h"
#include "vs_types.h"
#include "control/model/config.h"
#include "control/model/err.h"
#include "control/model/port_cfg.h"
#include "control/model/vlan_set.h"
#include "suites.h"

/* struct vs_config is about 400 KiB: keep it off the stack. */
static struct vs_config cfg, cfg2;

/* Loads the config text into c; returns vs_config_from_json's result. */
static int load(const char *text, struct vs_config *c, struct vs_err *e)
{
	json_t *root = vs_test_json(text);
	int rc;

	memset(e, 0, sizeof(*e));
	rc = vs_config_from_json(root, c, e);
	json_decref(root);
	return rc;
}

/* A config using every section and every kind of port. */
static const char full_config[] = "{"
	"'dpdk': {'no_huge': true, 'memory_mb': 2048, 'main_cpu': 2, 'file_prefix': 'vswtest',"
	"  'extra_eal_args': ['--no-pci', '--log-level=lib.eal:debug'], 'allow_test_vdevs': true},"
	"'workers': {'cpus': [3, 4, 5], 'idle_sleep_us': 10, 'idle_spins': 500, 'burst': 16},"
	"'control': {'socket': '/tmp/vsw/vswd.sock', 'socket_perm': '0600', 'group': 'vsw',"
	"  'ro_socket': '/tmp/vsw/ro.sock', 'ro_socket_perm': '0666', 'state_dir': '/tmp/vsw/state',"
	"  'socket_dirs': ['/run/vsw', '/var/run/kubevirt'], 'max_clients': 8,"
	"  'max_output_bytes': 1048576, 'requests_per_s': 50, 'request_burst': 100,"
	"  'idle_timeout_s': 0, 'hello_timeout_s': 2, 'write_timeout_s': 5},"
	"'fdb': {'size': 4096, 'aging_s': 60},"
	"'ports': ["
	"  {'name': 'uplink0', 'type': 'dpdk', 'devargs': '0000:01:00.0', 'mode': 'trunk',"
	"    'allowed': '2003-2005,2010', 'native_vlan': 100, 'queues': 2, 'mtu': 9000},"
	"  {'name': 'vm1', 'socket': '/run/vsw/vm1.sock', 'vlan': 2003},"
	"  {'name': 'vm2', 'type': 'vhost-user', 'socket': '/run/vsw/vm2.sock',"
	"    'client': false, 'owner': 'qemu', 'group': 'kvm', 'perm': '0600', 'queues': 4,"
	"    'vlan': 2004},"
	"  {'name': 'vm3.trunk', 'socket': '/run/vsw/vm3.sock', 'allowed': '2003-2004'},"
	"  {'name': 'tap_0', 'type': 'dpdk', 'devargs': 'net_null0,size=64', 'vlan': 2005,"
	"    'mtu': 1400}"
	"],"
	"'static_macs': ["
	"  {'vlan': 2003, 'mac': '02:00:00:00:00:01', 'port': 'vm1'},"
	"  {'vlan': 100, 'mac': '02:00:00:00:00:FE', 'port': 'uplink0'}"
	"]}";

static void test_full_config(void)
{
	struct vs_err e;
	struct vs_vlan_set want;
	const struct vs_port_cfg *p;

	CU_ASSERT_EQUAL_FATAL(load(full_config, &cfg, &e), 0);
	CU_ASSERT_TRUE(cfg.dpdk.no_huge);
	CU_ASSERT_EQUAL(cfg.dpdk.memory_mb, 2048);
	CU_ASSERT_EQUAL(cfg.dpdk.main_cpu, 2);
	CU_ASSERT_STRING_EQUAL(cfg.dpdk.file_prefix, "vswtest");
	CU_ASSERT_EQUAL_FATAL(cfg.dpdk.n_extra, 2);
	CU_ASSERT_STRING_EQUAL(cfg.dpdk.extra_eal_args[0], "--no-pci");
	CU_ASSERT_STRING_EQUAL(cfg.dpdk.extra_eal_args[1], "--log-level=lib.eal:debug");
	CU_ASSERT_EQUAL_FATAL(cfg.workers.n_cpus, 3);
	CU_ASSERT_EQUAL(cfg.workers.cpus[0], 3);
	CU_ASSERT_EQUAL(cfg.workers.cpus[2], 5);
	CU_ASSERT_EQUAL(cfg.workers.idle_sleep_us, 10);
	CU_ASSERT_EQUAL(cfg.workers.idle_spins, 500);
	CU_ASSERT_EQUAL(cfg.workers.burst, 16);
	CU_ASSERT_STRING_EQUAL(cfg.control.socket, "/tmp/vsw/vswd.sock");
	CU_ASSERT_EQUAL(cfg.control.socket_perm, 0600);
	CU_ASSERT_EQUAL(cfg.fdb.size, 4096);
	CU_ASSERT_EQUAL(cfg.fdb.aging_s, 60);
	CU_ASSERT_EQUAL_FATAL(cfg.n_ports, 5);

	p = &cfg.ports[0];
	CU_ASSERT_STRING_EQUAL(p->name, "uplink0");
	CU_ASSERT_EQUAL(p->type, VS_PORT_DPDK);
	CU_ASSERT_STRING_EQUAL(p->devargs, "0000:01:00.0");
	CU_ASSERT_STRING_EQUAL(p->socket, "");
	CU_ASSERT_EQUAL(p->mode, VS_MODE_TRUNK);
	CU_ASSERT_EQUAL(vs_vlan_set_parse("2003-2005,2010", &want, &e, "x"), 0);
	CU_ASSERT_EQUAL(memcmp(&p->allowed, &want, sizeof(want)), 0);
	CU_ASSERT_EQUAL(p->native_vlan, 100);
	CU_ASSERT_EQUAL(p->vlan, 0);
	CU_ASSERT_EQUAL(p->queues, 2);
	CU_ASSERT_EQUAL(p->mtu, 9000);

	p = &cfg.ports[1];
	CU_ASSERT_STRING_EQUAL(p->name, "vm1");
	CU_ASSERT_EQUAL(p->type, VS_PORT_VHOST);
	CU_ASSERT_STRING_EQUAL(p->socket, "/run/vsw/vm1.sock");
	CU_ASSERT_TRUE(p->client);
	CU_ASSERT_EQUAL(p->mode, VS_MODE_ACCESS);
	CU_ASSERT_EQUAL(p->vlan, 2003);
	CU_ASSERT_EQUAL(vs_vlan_set_count(&p->allowed), 0);
	CU_ASSERT_EQUAL(p->mtu, VS_MTU_DEFAULT);
	CU_ASSERT_EQUAL(p->queues, 1);

	p = &cfg.ports[2];
	CU_ASSERT_FALSE(p->client);
	CU_ASSERT_STRING_EQUAL(p->owner, "qemu");
	CU_ASSERT_STRING_EQUAL(p->group, "kvm");
	CU_ASSERT_EQUAL(p->perm, 0600);
	CU_ASSERT_EQUAL(p->queues, 4);
	CU_ASSERT_EQUAL(p->vlan, 2004);

	/* An allowed list without a mode makes a trunk; a vlan without one makes an access port. */
	p = &cfg.ports[3];
	CU_ASSERT_EQUAL(p->type, VS_PORT_VHOST);
	CU_ASSERT_EQUAL(p->mode, VS_MODE_TRUNK);
	CU_ASSERT_EQUAL(vs_vlan_set_count(&p->allowed), 2);
	CU_ASSERT_EQUAL(p->native_vlan, 0);
	p = &cfg.ports[4];
	CU_ASSERT_EQUAL(p->type, VS_PORT_DPDK);
	CU_ASSERT_EQUAL(p->mode, VS_MODE_ACCESS);
	CU_ASSERT_EQUAL(p->vlan, 2005);
	CU_ASSERT_EQUAL(p->mtu, 1400);

	CU_ASSERT_EQUAL_FATAL(cfg.n_static_macs, 2);
	CU_ASSERT_EQUAL(cfg.static_macs[0].vlan, 2003);
	CU_ASSERT_STRING_EQUAL(cfg.static_macs[0].port, "vm1");
	CU_ASSERT_EQUAL(cfg.static_macs[1].mac[5], 0xfe);
	CU_ASSERT_EQUAL(cfg.static_macs[1].vlan, 100);	/* the trunk's native VLAN */
}

static void test_shipped_config(void)
{
	json_error_t jerr;
	json_t *root = json_load_file(VS_CONF_FILE, 0, &jerr);
	struct vs_err e;

	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	CU_ASSERT_EQUAL(vs_config_from_json(root, &cfg, &e), 0);
	json_decref(root);
	CU_ASSERT_EQUAL(cfg.n_ports, 5);
	CU_ASSERT_EQUAL(cfg.ports[0].mode, VS_MODE_TRUNK);
	CU_ASSERT_EQUAL(cfg.ports[4].vlan, 2005);
}

static void test_defaults(void)
{
	struct vs_err e;

	vs_config_defaults(&cfg2);
	CU_ASSERT_EQUAL_FATAL(load("{}", &cfg, &e), 0);
	CU_ASSERT_EQUAL(memcmp(&cfg, &cfg2, sizeof(cfg)), 0);
	CU_ASSERT_FALSE(cfg.dpdk.no_huge);
	CU_ASSERT_EQUAL(cfg.dpdk.main_cpu, 0);
	CU_ASSERT_EQUAL(cfg.workers.n_cpus, 1);
	CU_ASSERT_EQUAL(cfg.workers.cpus[0], 1);
	CU_ASSERT_EQUAL(cfg.workers.burst, 32);
	CU_ASSERT_STRING_EQUAL(cfg.control.socket, VS_DEFAULT_SOCKET);
	CU_ASSERT_EQUAL(cfg.control.socket_perm, 0660);
	CU_ASSERT_STRING_EQUAL(cfg.control.state_dir, "/var/lib/vsw");
	CU_ASSERT_EQUAL_FATAL(cfg.control.n_socket_dirs, 1);
	CU_ASSERT_STRING_EQUAL(cfg.control.socket_dirs[0], "/run/vsw");
	CU_ASSERT_STRING_EQUAL(cfg.control.ro_socket, "");
	CU_ASSERT_STRING_EQUAL(cfg.control.group, "");
	CU_ASSERT_EQUAL(cfg.control.max_clients, 64);
	CU_ASSERT_EQUAL(cfg.control.max_output_bytes, 32u << 20);
	CU_ASSERT_EQUAL(cfg.control.max_buffered_bytes, 256u << 20);
	CU_ASSERT_FALSE(cfg.dpdk.allow_test_vdevs);
	CU_ASSERT_EQUAL(cfg.fdb.size, 65536);
	CU_ASSERT_EQUAL(cfg.fdb.aging_s, 300);
	CU_ASSERT_EQUAL(cfg.n_ports, 0);
	CU_ASSERT_EQUAL(cfg.n_static_macs, 0);

	/* A partial section keeps the defaults of the keys it leaves out. */
	CU_ASSERT_EQUAL_FATAL(load("{'workers': {'burst': 8}, 'fdb': {'size': 1024}}", &cfg, &e),
			      0);
	CU_ASSERT_EQUAL(cfg.workers.burst, 8);
	CU_ASSERT_EQUAL(cfg.workers.idle_spins, 1000);
	CU_ASSERT_EQUAL(cfg.workers.cpus[0], 1);
	CU_ASSERT_EQUAL(cfg.fdb.size, 1024);
	CU_ASSERT_EQUAL(cfg.fdb.aging_s, 300);
	CU_ASSERT_EQUAL(cfg.dpdk.memory_mb, 1024);
}

static void test_port_defaults(void)
{
	struct vs_err e;
	const struct vs_port_cfg *p;

	CU_ASSERT_EQUAL_FATAL(load("{'ports': [{'name': 'vm1', 'socket': '/run/vsw/s', 'vlan': 10},"
				   " {'name': 'up', 'type': 'dpdk', 'devargs': '0000:01:00.0',"
				   " 'allowed': '10'}]}", &cfg, &e), 0);
	p = &cfg.ports[0];
	CU_ASSERT_EQUAL(p->type, VS_PORT_VHOST);
	CU_ASSERT_TRUE(p->client);
	CU_ASSERT_EQUAL(p->queues, 1);
	CU_ASSERT_EQUAL(p->mode, VS_MODE_ACCESS);
	CU_ASSERT_EQUAL(p->mtu, VS_MTU_DEFAULT);
	CU_ASSERT_EQUAL(p->perm, 0);
	CU_ASSERT_STRING_EQUAL(p->owner, "");
	/* A dpdk port is a trunk unless told otherwise. */
	CU_ASSERT_EQUAL(cfg.ports[1].mode, VS_MODE_TRUNK);
}

struct bad_config {
	const char *json;
	int code;	/* positive errno */
	const char *field;
};

#define VM1 "{'name': 'vm1', 'socket': '/run/vsw/vm1.sock', 'vlan': 2003}"
#define VM2 "{'name': 'vm2', 'socket': '/run/vsw/vm2.sock', 'vlan': 2004}"
#define UPLINK "{'name': 'up', 'type': 'dpdk', 'devargs': '0000:02:00.0', 'allowed': '2003-2005'}"
/* One port with the given extra keys. */
#define PORT(keys) "{'ports': [{'name': 'vm1', 'socket': '/run/vsw/vm1.sock', " keys "}]}"

static const struct bad_config bad_configs[] = {
	/* sections and unknown keys */
	{ "[]", EINVAL, "" },
	{ "{'colour': 1}", EINVAL, "colour" },
	{ "{'dpdk': 5}", EINVAL, "dpdk" },
	{ "{'dpdk': {'colour': 1}}", EINVAL, "dpdk.colour" },
	{ "{'dpdk': {'memory_mb': -1}}", ERANGE, "dpdk.memory_mb" },
	{ "{'dpdk': {'no_huge': 1}}", EINVAL, "dpdk.no_huge" },
	{ "{'dpdk': {'extra_eal_args': '--no-pci'}}", EINVAL, "dpdk.extra_eal_args" },
	{ "{'dpdk': {'extra_eal_args': ['-v', 1]}}", EINVAL, "dpdk.extra_eal_args[1]" },
	{ "{'workers': {'burst': 64}}", ERANGE, "workers.burst" },
	{ "{'workers': {'cpus': []}}", EINVAL, "workers.cpus" },
	{ "{'workers': {'cpus': [0, 1]}}", EINVAL, "workers.cpus" },	/* main CPU 0 */
	{ "{'dpdk': {'main_cpu': 3}, 'workers': {'cpus': [1, 2, 3]}}", EINVAL, "workers.cpus" },
	{ "{'control': {'socket_perm': 660}}", EINVAL, "control.socket_perm" },
	{ "{'control': {'socket_perm': '0999'}}", EINVAL, "control.socket_perm" },
	{ "{'control': {'socket_perm': ' 660'}}", EINVAL, "control.socket_perm" },
	{ "{'control': {'socket_perm': '+660'}}", EINVAL, "control.socket_perm" },
	{ "{'control': {'socket_perm': '0'}}", EINVAL, "control.socket_perm" },
	{ "{'fdb': {'size': 10}}", ERANGE, "fdb.size" },
	{ "{'ports': {}}", EINVAL, "ports" },
	{ "{'ports': [5]}", EINVAL, "ports[0]" },
	{ PORT("'vlan': 10, 'colour': 'red'"), EINVAL, "ports[0].colour" },
	/* port fields */
	{ "{'ports': [" VM1 ", {'name': 'vm2', 'socket': '/s', 'vlan': 5000}]}", ERANGE,
	  "ports[1].vlan" },
	{ PORT("'vlan': 0"), ERANGE, "ports[0].vlan" },
	{ PORT("'vlan': '10'"), EINVAL, "ports[0].vlan" },
	{ PORT("'vlan': -1"), EINVAL, "ports[0].vlan" },
	{ "{'ports': [{'socket': '/s', 'vlan': 10}]}", EINVAL, "ports[0].name" },
	{ "{'ports': [{'name': 'vm 1', 'socket': '/s', 'vlan': 10}]}", EINVAL, "ports[0].name" },
	{ "{'ports': [{'name': '', 'socket': '/s', 'vlan': 10}]}", EINVAL, "ports[0].name" },
	{ "{'ports': [{'name': '0123456789012345678901234567890123', 'socket': '/s',"
	  " 'vlan': 10}]}", ENAMETOOLONG, "ports[0].name" },
	{ PORT("'vlan': 10, 'type': 'tap'"), EINVAL, "ports[0].type" },
	{ PORT("'vlan': 10, 'mode': 'hybrid'"), EINVAL, "ports[0].mode" },
	{ PORT("'vlan': 10, 'queues': 0"), ERANGE, "ports[0].queues" },
	{ PORT("'vlan': 10, 'queues': 17"), ERANGE, "ports[0].queues" },
	{ PORT("'vlan': 10, 'mtu': 67"), ERANGE, "ports[0].mtu" },
	{ PORT("'vlan': 10, 'mtu': 9001"), ERANGE, "ports[0].mtu" },
	{ "{'ports': [{'name': 'vm1', 'vlan': 10}]}", EINVAL, "ports[0].socket" },
	{ "{'ports': [{'name': 'vm1', 'socket': 'vm1.sock', 'vlan': 10}]}", EINVAL,
	  "ports[0].socket" },
	{ PORT("'vlan': 10, 'devargs': 'net_tap0'"), EINVAL, "ports[0].devargs" },
	{ "{'ports': [{'name': 'up', 'type': 'dpdk', 'allowed': '10'}]}", EINVAL,
	  "ports[0].devargs" },
	{ "{'ports': [{'name': 'up', 'type': 'dpdk', 'devargs': 'd', 'socket': '/s',"
	  " 'allowed': '10'}]}", EINVAL, "ports[0].socket" },
	/* VLAN modes */
	{ PORT("'mode': 'access', 'vlan': 10, 'allowed': '10'"), EINVAL, "ports[0].allowed" },
	/* Without a mode, allowed implies a trunk: then the vlan is the odd one out. */
	{ PORT("'vlan': 10, 'allowed': '10'"), EINVAL, "ports[0].vlan" },
	{ PORT("'vlan': 10, 'native_vlan': 20"), EINVAL, "ports[0].native_vlan" },
	{ PORT("'mode': 'access'"), EINVAL, "ports[0].vlan" },
	{ "{'ports': [{'name': 'vm1', 'socket': '/s'}]}", EINVAL, "ports[0].vlan" },
	{ PORT("'mode': 'trunk'"), EINVAL, "ports[0].allowed" },
	{ PORT("'mode': 'trunk', 'allowed': ''"), EINVAL, "ports[0].allowed" },
	{ "{'ports': [{'name': 'up', 'type': 'dpdk', 'devargs': 'd'}]}", EINVAL,
	  "ports[0].allowed" },
	{ PORT("'mode': 'trunk', 'allowed': '10', 'vlan': 10"), EINVAL, "ports[0].vlan" },
	{ PORT("'allowed': '1-5000'"), ERANGE, "ports[0].allowed" },
	{ PORT("'allowed': '10,'"), EINVAL, "ports[0].allowed" },
	{ PORT("'allowed': 10"), EINVAL, "ports[0].allowed" },
	{ PORT("'allowed': '10', 'native_vlan': 4095"), ERANGE, "ports[0].native_vlan" },
	/* socket ownership is for server mode only */
	{ PORT("'vlan': 10, 'owner': 'qemu'"), EINVAL, "ports[0].owner" },
	{ PORT("'vlan': 10, 'client': true, 'group': 'kvm'"), EINVAL, "ports[0].group" },
	{ PORT("'vlan': 10, 'perm': '0600'"), EINVAL, "ports[0].perm" },
	{ PORT("'vlan': 10, 'client': false, 'perm': '0999'"), EINVAL, "ports[0].perm" },
	{ PORT("'vlan': 10, 'client': false, 'perm': ''"), EINVAL, "ports[0].perm" },
	{ PORT("'vlan': 10, 'client': 'no'"), EINVAL, "ports[0].client" },
	/* uniqueness */
	{ "{'ports': [" VM1 ", " VM2 ", {'name': 'vm1', 'socket': '/run/vsw/vm3.sock',"
	  " 'vlan': 2003}]}", EEXIST, "ports[2].name" },
	{ "{'ports': [" VM1 ", {'name': 'vm2', 'socket': '/run/vsw/vm1.sock', 'vlan': 2003}]}",
	  EEXIST, "ports[1].socket" },
	{ "{'ports': [" UPLINK ", {'name': 'up2', 'type': 'dpdk', 'devargs': '0000:02:00.0',"
	  " 'allowed': '10'}]}", EEXIST, "ports[1].devargs" },
	/* what ports may name (allow.c) */
	{ "{'ports': [{'name': 'vm1', 'socket': '/etc/vm1.sock', 'vlan': 10}]}", EACCES,
	  "ports[0].socket" },
	{ "{'ports': [{'name': 'vm1', 'socket': '/run/vsw/../../etc/x', 'vlan': 10}]}", EINVAL,
	  "ports[0].socket" },
	{ "{'ports': [{'name': 'up', 'type': 'dpdk', 'devargs': 'net_pcap0,tx_pcap=/etc/passwd',"
	  " 'allowed': '10'}]}", EACCES, "ports[0].devargs" },
	{ "{'ports': [{'name': 'up', 'type': 'dpdk', 'devargs': 'net_null0', 'allowed': '10'}]}",
	  EACCES, "ports[0].devargs" },
	{ "{'dpdk': {'allow_test_vdevs': true}, 'ports': [{'name': 'up', 'type': 'dpdk',"
	  " 'devargs': 'net_vhost0,iface=/tmp/up.sock', 'allowed': '10'}]}", EACCES,
	  "ports[0].devargs" },
	{ "{'ports': [{'name': 'b', 'type': 'bond', 'bond_mode': '802.3ad', 'allowed': '10',"
	  " 'members': '0000:02:00.0;net_af_packet0,iface=eth0'}]}", EACCES, "ports[0].members" },
	/* control settings */
	{ "{'control': {'state_dir': 'var/lib/vsw'}}", EINVAL, "control.state_dir" },
	{ "{'control': {'state_dir': '/var/lib/../vsw'}}", EINVAL, "control.state_dir" },
	{ "{'control': {'socket_dirs': []}}", EINVAL, "control.socket_dirs" },
	{ "{'control': {'socket_dirs': ['/']}}", EINVAL, "control.socket_dirs[0]" },
	{ "{'control': {'socket_dirs': ['/run/vsw/']}}", EINVAL, "control.socket_dirs[0]" },
	{ "{'control': {'socket_dirs': ['/run/vsw', 7]}}", EINVAL, "control.socket_dirs[1]" },
	{ "{'control': {'max_clients': 0}}", ERANGE, "control.max_clients" },
	{ "{'control': {'max_output_bytes': 1000}}", ERANGE, "control.max_output_bytes" },
	{ "{'control': {'max_buffered_bytes': 1048576}}", ERANGE, "control.max_buffered_bytes" },
	{ "{'control': {'requests_per_s': 0}}", ERANGE, "control.requests_per_s" },
	{ "{'control': {'hello_timeout_s': 0}}", ERANGE, "control.hello_timeout_s" },
	{ "{'control': {'ro_socket': 'ro.sock'}}", EINVAL, "control.ro_socket" },
	{ "{'control': {'ro_socket': '/run/vsw/vswd.sock'}}", EINVAL, "control.ro_socket" },
	{ "{'control': {'ro_socket_perm': '0'}}", EINVAL, "control.ro_socket_perm" },
	{ "{'control': {'socket': 'vswd.sock'}}", EINVAL, "control.socket" },
	/* static MACs */
	{ "{'ports': [" VM1 "], 'static_macs': [{'vlan': 2003, 'mac': '02:00:00:00:00:01',"
	  " 'port': 'vm9'}]}", ENOENT, "static_macs[0].port" },
	{ "{'ports': [" VM1 "], 'static_macs': [{'vlan': 2004, 'mac': '02:00:00:00:00:01',"
	  " 'port': 'vm1'}]}", EINVAL, "static_macs[0].vlan" },
	{ "{'ports': [" UPLINK "], 'static_macs': [{'vlan': 2006, 'mac': '02:00:00:00:00:01',"
	  " 'port': 'up'}]}", EINVAL, "static_macs[0].vlan" },
	{ "{'ports': [" VM1 "], 'static_macs': [{'vlan': 0, 'mac': '02:00:00:00:00:01',"
	  " 'port': 'vm1'}]}", ERANGE, "static_macs[0].vlan" },
	{ "{'ports': [" VM1 "], 'static_macs': [{'vlan': 2003, 'mac': '01:00:5e:00:00:01',"
	  " 'port': 'vm1'}]}", EINVAL, "static_macs[0].mac" },
	{ "{'ports': [" VM1 "], 'static_macs': [{'vlan': 2003, 'mac': '02:00:00:00:00',"
	  " 'port': 'vm1'}]}", EINVAL, "static_macs[0].mac" },
	{ "{'ports': [" VM1 "], 'static_macs': [{'vlan': 2003, 'mac': '02:00:00:00:00:01'}]}",
	  EINVAL, "static_macs[0].port" },
	{ "{'ports': [" VM1 "], 'static_macs': [{'vlan': 2003, 'mac': '02:00:00:00:00:01',"
	  " 'port': 'vm1', 'age': 5}]}", EINVAL, "static_macs[0].age" },
};

static void test_errors_name_the_path(void)
{
	for (size_t i = 0; i < sizeof(bad_configs) / sizeof(bad_configs[0]); i++) {
		const struct bad_config *b = &bad_configs[i];
		struct vs_err e;
		int rc = load(b->json, &cfg, &e);

		CU_ASSERT_EQUAL(rc, -b->code);
		CU_ASSERT_EQUAL(e.code, b->code);
		CU_ASSERT_STRING_EQUAL(e.field, b->field);
		CU_ASSERT_NOT_EQUAL(e.msg[0], '\0');
		if (rc != -b->code || strcmp(e.field, b->field) != 0)
			fprintf(stderr, "\n  %s\n  want %d %s, got %d %s: %s\n", b->json, -b->code,
				b->field, rc, e.field, e.msg);
	}
}

/* A socket path must fit sun_path (VS_PATH_MAX with the NUL). */
#define SOCKET_PORT "{'ports': [{'name': 'vm1', 'vlan': 10, 'socket': '%s'}]}"

static void test_socket_path_length(void)
{
	char path[256], text[512];
	struct vs_err e;

	memset(path, 'a', sizeof(path));
	memcpy(path, "/run/vsw/", 9);
	path[200] = '\0';
	snprintf(text, sizeof(text), SOCKET_PORT, path);
	CU_ASSERT_EQUAL(load(text, &cfg, &e), -ENAMETOOLONG);
	CU_ASSERT_STRING_EQUAL(e.field, "ports[0].socket");

	path[VS_PATH_MAX] = '\0';
	snprintf(text, sizeof(text), SOCKET_PORT, path);
	CU_ASSERT_EQUAL(load(text, &cfg, &e), -ENAMETOOLONG);
	CU_ASSERT_STRING_EQUAL(e.field, "ports[0].socket");

	path[VS_PATH_MAX - 1] = '\0';
	snprintf(text, sizeof(text), SOCKET_PORT, path);
	CU_ASSERT_EQUAL_FATAL(load(text, &cfg, &e), 0);
	CU_ASSERT_STRING_EQUAL(cfg.ports[0].socket, path);
}

static void assert_port_equal(const struct vs_port_cfg *a, const struct vs_port_cfg *b)
{
	CU_ASSERT_STRING_EQUAL(a->name, b->name);
	CU_ASSERT_EQUAL(a->type, b->type);
	CU_ASSERT_STRING_EQUAL(a->socket, b->socket);
	CU_ASSERT_EQUAL(a->client, b->client);
	CU_ASSERT_EQUAL(a->queues, b->queues);
	CU_ASSERT_STRING_EQUAL(a->devargs, b->devargs);
	CU_ASSERT_STRING_EQUAL(a->owner, b->owner);
	CU_ASSERT_STRING_EQUAL(a->group, b->group);
	CU_ASSERT_EQUAL(a->perm, b->perm);
	CU_ASSERT_EQUAL(a->mode, b->mode);
	CU_ASSERT_EQUAL(a->vlan, b->vlan);
	CU_ASSERT_EQUAL(memcmp(&a->allowed, &b->allowed, sizeof(a->allowed)), 0);
	CU_ASSERT_EQUAL(a->native_vlan, b->native_vlan);
	CU_ASSERT_EQUAL(a->mtu, b->mtu);
}

static void test_round_trip(void)
{
	struct vs_err e;
	json_t *j1, *j2;
	int rc;

	CU_ASSERT_EQUAL_FATAL(load(full_config, &cfg, &e), 0);
	j1 = vs_config_to_json(&cfg);
	CU_ASSERT_PTR_NOT_NULL_FATAL(j1);
	rc = vs_config_from_json(j1, &cfg2, &e);
	if (rc != 0)
		fprintf(stderr, "\n  to_json output refused: %s: %s\n", e.field, e.msg);
	CU_ASSERT_EQUAL(rc, 0);
	if (rc == 0) {
		CU_ASSERT_EQUAL(cfg2.n_ports, cfg.n_ports);
		for (uint16_t i = 0; i < cfg.n_ports && i < cfg2.n_ports; i++)
			assert_port_equal(&cfg.ports[i], &cfg2.ports[i]);
		CU_ASSERT_EQUAL(cfg2.n_static_macs, cfg.n_static_macs);
		CU_ASSERT_EQUAL(memcmp(cfg2.static_macs, cfg.static_macs,
				       cfg.n_static_macs * sizeof(cfg.static_macs[0])), 0);
		CU_ASSERT_EQUAL(memcmp(&cfg2.dpdk, &cfg.dpdk, sizeof(cfg.dpdk)), 0);
		CU_ASSERT_EQUAL(memcmp(&cfg2.workers, &cfg.workers, sizeof(cfg.workers)), 0);
		CU_ASSERT_EQUAL(memcmp(&cfg2.control, &cfg.control, sizeof(cfg.control)), 0);
		CU_ASSERT_EQUAL(memcmp(&cfg2.fdb, &cfg.fdb, sizeof(cfg.fdb)), 0);
		/* And the JSON form is stable. */
		j2 = vs_config_to_json(&cfg2);
		CU_ASSERT_TRUE(json_equal(j1, j2));
		json_decref(j2);
	}
	json_decref(j1);
}

CU_ErrorCode vs_test_config_suite(void)
{
	static const struct vs_test tests[] = {
		{ "full config", test_full_config },
		{ "shipped conf/vsw.json", test_shipped_config },
		{ "defaults", test_defaults },
		{ "port defaults", test_port_defaults },
		{ "errors name the JSON path", test_errors_name_the_path },
		{ "socket path length", test_socket_path_length },
		{ "to_json/from_json round trip", test_round_trip },
		{ NULL, NULL },
	};
	return vs_test_add_suite("config", tests);
}
