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

#ifndef AGENT_METRICS_H
#define AGENT_METRICS_H 1

/* What the DPU agent measures about itself, for DPU_MSG_GET_METRICS.
 *
 * The reference agent is an emulated DPU: the "cores" it reports are the
 * threads of its own process, named after the thread (the main thread is
 * "main"), their load their CPU time (user and system, from
 * /proc/self/task/TID/stat) over the sampling window; the memory it uses
 * is its resident set (VmRSS of /proc/self/status) and the memory in all
 * that of the machine.  Its replies say so (DPU_METRICS_ATTR_EMULATED).
 *
 * The agent samples every AGENT_METRICS_INTERVAL_MS, whoever asks: loads
 * and the upcall rate are those of the latest complete window, the same
 * for every host and ovs-dpuctl that asks during it.
 *
 * Flow-setup latency is measured from the moment the datapath missed (when
 * the upcall is queued for the host) to the moment the agent has installed
 * the flow that the host put with the UFID of that upcall: the upcall's
 * queueing and transmission, the host's translation, the flow put's
 * transmission and installation.  Only the first miss of a UFID counts
 * (later packets of the same flow that miss before it is installed do not
 * restart the clock), and a miss that no flow put follows within
 * AGENT_METRICS_SETUP_TIMEOUT_MS is forgotten.
 *
 * Thread-safety: agent_metrics_miss() may be called from any thread (the
 * datapath's threads call it); the other functions only from the agent's
 * main thread. */

#include <stdint.h>
#include "agent-server.h"
#include "openvswitch/types.h"

struct dpu_metrics;
struct ds;

/* The sampling window, and how long a miss waits for its flow put. */
#define AGENT_METRICS_INTERVAL_MS 1000
#define AGENT_METRICS_SETUP_TIMEOUT_MS (10 * 1000)

struct agent_metrics *agent_metrics_create(void);
void agent_metrics_destroy(struct agent_metrics *);

/* The datapath missed on a packet whose upcall has UFID 'ufid'. */
void agent_metrics_miss(struct agent_metrics *, const ovs_u128 *ufid);

/* The agent installed a flow that a host put with UFID 'ufid'. */
void agent_metrics_flow_installed(struct agent_metrics *,
                                  const ovs_u128 *ufid);

/* Samples if a window has passed since the last sample.  'upcalls' is the
 * number of upcalls sent to hosts so far. */
void agent_metrics_run(struct agent_metrics *, uint64_t upcalls);
void agent_metrics_wait(const struct agent_metrics *);

/* Fills the members of 'm' that the agent measures about itself: cores,
 * memory, upcalls, flow setups, and 'emulated'.  The caller adds the
 * datapath's and the ports' counters.  Release 'm' with
 * dpu_metrics_destroy(). */
void agent_metrics_get(const struct agent_metrics *, struct dpu_metrics *m);

/* Makes agent_metrics_get() report, for tests, an extra core named
 * "injected" with a load of 'cpu' percent and 'memory' percent of the
 * memory in all as the memory in use, and say so
 * (DPU_METRICS_ATTR_INJECTED).  A negative value injects nothing, so -1
 * and -1 go back to what is measured. */
void agent_metrics_inject(struct agent_metrics *, int cpu, int memory);

/* Appends a summary of the latest sample to 'ds', for dpu-agent/show. */
void agent_metrics_format(const struct agent_metrics *, struct ds *);

/* Request handler for GET_METRICS (see agent_handler_func): these metrics
 * with the datapath's counters and ports. */
agent_handler_func agent_metrics_get_request;

#endif /* agent-metrics.h */
