/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Gratuitous ARP / unsolicited NA to guests that connected. Control thread only.
 */
#ifndef VS_ANNOUNCE_H
#define VS_ANNOUNCE_H

/* Control thread, every few ms: gratuitous ARP / unsolicited NA to guests that connected. */
void vs_announce_run(void);

#endif
