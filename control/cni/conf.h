/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vsw-cni, pure part (Jansson only; the unit tests and the fuzzer link it): the CNI network
 * configuration Multus passes on stdin (a NetworkAttachmentDefinition's spec.config, alone or
 * one plugin of a conflist), the CNI_* environment, CNI_ARGS, and what they become for vswd:
 * the port's name, socket path and port.add arguments. Any thread; no I/O.
 */
#ifndef VS_CNI_CONF_H
#define VS_CNI_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

/* CNI spec error codes (SPEC.md "Error"); 100+ would be plugin-specific. */
enum vs_cni_code {
	VS_CNI_E_VERSION = 1,	/* incompatible CNI version */
	VS_CNI_E_FIELD = 2,	/* unsupported field in the network configuration */
	VS_CNI_E_CONTAINER = 3,	/* container unknown or does not exist */
	VS_CNI_E_ENV = 4,	/* invalid necessary environment variables */
	VS_CNI_E_IO = 5,	/* I/O failure */
	VS_CNI_E_DECODE = 6,	/* failed to decode content */
	VS_CNI_E_CONFIG = 7,	/* invalid network config */
	VS_CNI_E_AGAIN = 11,	/* try again later (vswd not reachable) */
};

struct vs_cni_err {
	unsigned int code;
	char msg[512];
	char details[512];
};

int vs_cni_fail(struct vs_cni_err *e, unsigned int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define VS_CNI_SOCKET_DIR "/run/vsw/pods"
#define VS_CNI_VSW_SOCKET "/run/vsw/vswd.sock"
#define VS_CNI_STATE_DIR "/var/lib/cni/vsw"
#define VS_CNI_PATH_MAX 4096
#define VS_CNI_SUN_PATH_MAX 108	/* sizeof(sockaddr_un.sun_path), with its NUL */

/* The versions this plugin speaks; results are written in the config's version. */
extern const char *const vs_cni_versions[];	/* NULL-terminated */

struct vs_cni_conf {
	char version[16];	/* cniVersion */
	char name[254];		/* the network's name (Multus: the NAD's name when unset) */
	json_t *port_args;	/* port.add arguments from the config (owned) */
	uint16_t vlan;		/* access VLAN, or the trunk's native VLAN (0: none) */
	bool trunk;
	bool macspoofchk;
	const char *ipam_type;	/* NULL: no IPAM (points into the parsed config) */
	char socket_dir[VS_CNI_PATH_MAX];
	/* socketDirOwner "UID:GID": the pod's socket directory is given to them, mode 0750, so
	 * that a non-root QEMU (KubeVirt's virt-launcher: 107:107) can create its socket */
	bool dir_owner;
	uint32_t dir_uid, dir_gid;
	char vsw_socket[VS_CNI_SUN_PATH_MAX];
	char state_dir[VS_CNI_PATH_MAX];
	/* runtimeConfig */
	char mac[18];		/* "" when the runtime gave none */
	char device_info_file[VS_CNI_PATH_MAX];	/* "" when none */
	json_t *prev_result;	/* owned; NULL when none */
	const json_t *valid;	/* GC: cni.dev/valid-attachments (in root); NULL when none */
	json_t *root;		/* the whole parsed config (owned) */
	/* the network's identity for GC: a digest of the config without what the runtime adds
	 * per call (two namespaces' NADs may share a name, not usually a config) */
	char digest[17];
};

/* Parses and checks the network config text; unknown keys are refused naming the key. On
 * error nothing is left to free. */
int vs_cni_conf_parse(const char *text, size_t len, struct vs_cni_conf *c, struct vs_cni_err *e);
void vs_cni_conf_free(struct vs_cni_conf *c);
/* Whether the version is one this plugin speaks. */
bool vs_cni_version_ok(const char *v);

/* The CNI_* environment. */
struct vs_cni_env {
	const char *command;	/* ADD, DEL, CHECK, VERSION, STATUS, GC */
	const char *container_id;
	const char *netns;
	const char *ifname;
	const char *path;	/* CNI_PATH */
	/* from CNI_ARGS */
	char pod_namespace[64];
	char pod_name[254];
	char pod_uid[64];
};

/* Reads the environment through get (getenv in the plugin; a table in the tests) and
 * checks what the command needs. */
int vs_cni_env_read(const char *(*get)(const char *name), struct vs_cni_env *env,
		    struct vs_cni_err *e);

/* The vswd port of (container, interface): "<ifname>-<first 12 of the container id>". */
int vs_cni_port_name(const struct vs_cni_env *env, char *out, size_t len, struct vs_cni_err *e);
/* "<socketDir>/<pod uid, else container id>", and the socket in it, "<dir>/<ifname>.sock";
 * refused when the socket path does not fit sun_path. */
int vs_cni_socket_path(const struct vs_cni_conf *c, const struct vs_cni_env *env, char *dir,
		       size_t dir_len, char *sock, size_t sock_len, struct vs_cni_err *e);

/* port.add arguments: the config's plus name, socket (vswd in client mode), the pod's
 * namespace, the MAC and the addresses (ips: a JSON array of "addr/len" strings, may be
 * NULL). New reference. */
json_t *vs_cni_port_add_args(const struct vs_cni_conf *c, const struct vs_cni_env *env,
			     const char *name, const char *sock, const json_t *ips);

#endif
