/*
 * Copyright (c) 2026 The OVS-DPU Authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at:
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

#ifndef DPU_CT_SYNC_H
#define DPU_CT_SYNC_H 1

/* Connection state on the standby DPU of an active-standby pair (see
 * "Connection State" in dpu-ha.rst).
 *
 * The host asks the active DPU to copy its connections (CT_SYNC_REQ), with
 * a new generation for each pair of DPU sessions (active and standby): when
 * either DPU restarts or reconnects, when the roles change, or when a
 * message was lost.  It passes what the active DPU sends (CT_SYNC,
 * CT_SYNC_DONE) on to the standby, unchanged, from the I/O thread of the
 * active DPU's connection: no other thread of ovs-vswitchd, and so no busy
 * or stalled main loop, is in the way.  The standby holds the active DPU's
 * connections once the CT_SYNC_DONE of the generation has gone to it.
 *
 * Thread-safety: every function may be called from any thread; the module
 * has a mutex of its own, which comes after dpu-ha's and before dpu-conn's
 * in the lock order, and is not held while calling into dpu-ha or sending
 * to a DPU. */

#include <stdbool.h>

struct dpu_conn;
struct dpu_msg;
struct ds;
struct ofpbuf;
struct smap;

/* Starts, restarts or stops the copy as the pair requires.  Called by
 * every "dpu_ha" thread after it decided the roles. */
void dpu_ct_sync_run(void);

/* Passes CT_SYNC or CT_SYNC_DONE 'msg', the whole of which is 'buf', from
 * 'from' on to the standby DPU, if 'from' is the active DPU and the message
 * is of the generation under way. */
void dpu_ct_sync_relay(struct dpu_conn *from, const struct ofpbuf *buf,
                       const struct dpu_msg *msg);

/* Whether 'conn' holds the connections of the pair's active DPU: true for
 * the active DPU itself, for a pair without one, and when either DPU
 * cannot copy connections (no DPU_CAP_CT_SYNC). */
bool dpu_ct_sync_is_synced(const struct dpu_conn *conn);

/* Adds "ct_sync" to the status of 'conn', the standby DPU of a pair. */
void dpu_ct_sync_get_status(const struct dpu_conn *conn,
                            struct smap *status);

/* For dpif-dpu/show. */
void dpu_ct_sync_format(struct ds *);

/* Takes Open_vSwitch other_config:dpu-ct-sync-backlog from
 * 'other_config'. */
void dpu_ct_sync_set_config(const struct smap *other_config);

#endif /* dpu-ct-sync.h */
