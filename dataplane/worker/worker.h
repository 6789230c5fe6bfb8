/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The worker loop: polls its rx queues and runs each burst through the stages.
 */
#ifndef VS_WORKER_H
#define VS_WORKER_H

/* Worker entry point, for rte_eal_remote_launch; arg is the struct vs_worker. */
int vs_worker_main(void *arg);

#endif
