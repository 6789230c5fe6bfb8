/* SPDX-License-Identifier: BSD-3-Clause */
/* Telling systemd (Type=notify) how vswd is doing. Main/control thread only. */
#ifndef VS_NOTIFY_H
#define VS_NOTIFY_H

/* Sends state ("READY=1", "STOPPING=1", ...) to $NOTIFY_SOCKET; without it, nothing.
 * Returns 0, or -errno when it could not be sent. */
int vs_notify(const char *state);

#endif
