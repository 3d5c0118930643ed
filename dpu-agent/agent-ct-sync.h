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

#ifndef AGENT_CT_SYNC_H
#define AGENT_CT_SYNC_H 1

/* Connection state on the standby (see "Connection State" in
 * dpu-protocol.rst and dpu-ha.rst).
 *
 * On the active DPU of a pair, once the host asked (CT_SYNC_REQ), every
 * change of a connection in the datapath's connection tracker is queued by
 * the thread that made it (a thread that polls ports, or the one that
 * expires connections) and sent by the main thread to the host in CT_SYNC
 * messages, as many as queued up meanwhile, at most DPU_CT_SYNC_MAX in
 * each; first comes a copy of every connection, ended by CT_SYNC_DONE, and
 * every AGENT_CT_SYNC_REFRESH_MS another copy without the end, which moves
 * the expiry of the standby's copies as traffic moves the active one's.
 *
 * On the standby, the host passes those messages on: the agent imports each
 * connection into its own tracker, to expire AGENT_CT_SYNC_REFRESH_MS plus
 * a second later than on the active DPU (which deletes it explicitly when
 * it expires there), and deletes those that were deleted.
 *
 * Thread-safety: the event callback runs in any thread and takes only the
 * module's mutex; everything else runs in the agent's main thread. */

#include "agent-server.h"

struct agent_dp;
struct agent_ha;
struct ds;

/* How often an active DPU sends a copy of every connection again. */
#define AGENT_CT_SYNC_REFRESH_MS (10 * 1000)

struct agent_ct_sync *agent_ct_sync_create(struct agent_server *,
                                           struct agent_dp *,
                                           struct agent_ha *);
void agent_ct_sync_destroy(struct agent_ct_sync *);

void agent_ct_sync_run(struct agent_ct_sync *);
void agent_ct_sync_wait(struct agent_ct_sync *);

/* Request handler for CT_SYNC_REQ. */
agent_handler_func agent_ct_sync_req;

/* Handles CT_SYNC and CT_SYNC_DONE, which the host sends with xid 0 and
 * answers to which it does not expect: 'reply' is ignored. */
agent_handler_func agent_ct_sync_receive;

/* For dpu-agent/ct-sync. */
void agent_ct_sync_format(const struct agent_ct_sync *, struct ds *);

#endif /* agent-ct-sync.h */
