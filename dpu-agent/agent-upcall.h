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

#ifndef AGENT_UPCALL_H
#define AGENT_UPCALL_H 1

/* Upcalls of the DPU agent's datapath, queued for the host.
 *
 * dpif-netdev calls agent_upcalls_cb() in the thread that polls a port for
 * every packet that misses the flow table or hits a userspace() action.
 * Unless the DPU exports the sample itself (agent-ipfix.h), the callback
 * encodes an UPCALL message and queues it, at most AGENT_MAX_UPCALLS of
 * them; the main thread sends the queue to the host's datapath connection
 * in agent_upcalls_run().  A packet whose upcall is queued is dropped by
 * the datapath: the host answers with an OPERATE that puts a flow and
 * executes the packet.
 *
 * Thread-safety: agent_upcalls_cb() runs in any thread; the rest in the
 * main thread.  A mutex guards the queue and its counters. */

#include "dpif.h"

struct agent_ipfix;
struct agent_metrics;
struct dpif_dp_stats;
struct dpu_channel;
struct ds;

/* Most upcalls waiting to be sent; more are dropped and counted. */
#define AGENT_MAX_UPCALLS 4096

/* After a miss goes to the host, further misses of the same flow (UFID)
 * are dropped, and counted as "repeats dropped", until the host puts a
 * flow with that UFID or for this long, whichever comes first: the host
 * is setting the flow up already, and another upcall would only make it
 * translate the flow again.  (The kernel datapath queues them all to the
 * host; OVS's userspace datapath translates the first inline, so it never
 * sees the others miss.) */
#define AGENT_UPCALL_HOLD_MS 100

struct agent_upcalls *agent_upcalls_create(struct agent_ipfix *,
                                           struct agent_metrics *);
void agent_upcalls_destroy(struct agent_upcalls *);

/* The datapath's upcall callback, with a struct agent_upcalls as 'aux'. */
upcall_callback agent_upcalls_cb;

/* The host put a flow with 'ufid': its misses go to the host again. */
void agent_upcalls_flow_put(struct agent_upcalls *, const ovs_u128 *ufid);

/* Sends the queued upcalls on 'channel', or, if it is NULL (no host asked
 * for upcalls), drops and counts them. */
void agent_upcalls_run(struct agent_upcalls *, struct dpu_channel *channel);
void agent_upcalls_wait(struct agent_upcalls *);

/* dpif-netdev counts as "lost" every upcall whose callback returns nonzero,
 * which includes each one queued for the host.  Moves those of 'stats' to
 * "missed" and adds the queued upcalls that could not be sent, so that the
 * host sees the truth. */
void agent_upcalls_fix_stats(struct agent_upcalls *, struct dpif_dp_stats *);

/* The upcalls sent so far. */
uint64_t agent_upcalls_n_sent(const struct agent_upcalls *);

/* Appends the counters, for dpu-agent/show. */
void agent_upcalls_format(struct agent_upcalls *, struct ds *);

#endif /* agent-upcall.h */
