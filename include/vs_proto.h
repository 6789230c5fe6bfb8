/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The control socket wire protocol (version 1).
 *
 * A client connects to the Unix stream socket (default VS_DEFAULT_SOCKET) and
 * sends one JSON object per line, at most VS_PROTO_MAX_MSG bytes:
 *
 *   {"cmd": "hello", "args": {"version": 1}}          must come first
 *   {"cmd": "port.add", "args": {"name": "vm1", ...}, "id": 7}
 *
 * and reads one JSON object per line in reply, in order:
 *
 *   {"ok": true, "result": <object>, "id": 7}
 *   {"ok": false, "error": {"errno": "EINVAL", "code": 22,
 *        "field": "args.vlan", "message": "..."}, "id": 7}
 *
 * "id" is echoed when given. Optional keys are omitted, never null. A request
 * that is refused leaves the running state exactly as it was.
 */
#ifndef VS_PROTO_H
#define VS_PROTO_H

#define VS_PROTO_VERSION 1
#define VS_PROTO_MAX_MSG (16 * 1024 * 1024)	/* a 10,000-rule policy is ~1 MB */
/* on control.ro_socket: read-only commands take a few small arguments */
#define VS_PROTO_MAX_MSG_RO (64 * 1024)
#define VS_DEFAULT_SOCKET "/run/vsw/vswd.sock"
#define VS_DEFAULT_CONFIG "/etc/vsw/vsw.json"
#define VS_DEFAULT_STATE_DIR "/var/lib/vsw"	/* config.save may write here */
#define VS_DEFAULT_SOCKET_DIR "/run/vsw"	/* vhost-user sockets may be here */

#endif
