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

#ifndef AGENT_SERVER_H
#define AGENT_SERVER_H 1

/* The DPU agent's protocol server and datapath host.
 *
 * An agent_server owns one OVS userspace datapath (dpif-netdev, opened
 * in-process) and serves it to hosts that connect to its listening stream,
 * in the protocol of dpu-protocol/dpu-wire.h.  Misses and userspace()
 * actions of the datapath become UPCALL messages to the host connection
 * that asked for them in its HELLO.
 *
 * Not thread-safe, except for the upcall path, which datapath threads may
 * enter at any time.  The owner calls agent_server_run() and
 * agent_server_wait() from its main loop. */

#include <stdbool.h>
#include <stdint.h>
#include "smap.h"

struct agent_server;
struct dpu_identity;
struct ds;

/* Creates a server that listens on 'remote' (punix:, ptcp:, pssl:) with a
 * datapath named 'dp_name'.  'dummy' makes ports netdev-dummy ports by
 * default.  On success stores the server in '*serverp' and returns 0;
 * otherwise returns a positive errno value and logs why. */
int agent_server_create(const char *remote, const char *dp_name,
                        const struct dpu_identity *, bool dummy,
                        struct agent_server **serverp);

/* Destroys 'server'.  With 'del', also deletes its datapath, and with it
 * the devices the datapath created (the tap devices of internal ports), as
 * "ovs-appctl exit --cleanup" does for ovs-vswitchd's datapaths; otherwise
 * those devices stay for the next agent. */
void agent_server_destroy(struct agent_server *, bool del);

void agent_server_run(struct agent_server *);
void agent_server_wait(struct agent_server *);

/* Makes the server speak protocol versions 'min' to 'max' (see "Versions"
 * in dpu-wire.h) instead of all those it implements, DPU_VERSION_MIN to
 * DPU_PROTOCOL_VERSION.  For tests, the range may lie outside those. */
void agent_server_set_versions(struct agent_server *, uint8_t min,
                               uint8_t max);

/* Appends the state shown by 'dpu-agent/show'. */
void agent_server_format(const struct agent_server *, struct ds *);

/* Appends the state shown by 'dpu-agent/ipfix': the IPFIX exporters that
 * hosts asked this DPU to run, and their counters. */
void agent_server_format_ipfix(struct agent_server *, struct ds *);

/* The DPU's role: "active", "standby", "prepare" or "failed". */
const char *agent_server_get_role(const struct agent_server *);

/* Injects fault argv[0] (with its arguments argv[1...]) for emulation:
 * "crash", "hang [MS]", "pci-error", "clear", "link-down PORT...",
 * "link-up PORT...".  Returns 0 with a message in 'reply', or a positive
 * errno value with the error in 'reply'.  "crash" does not return. */
int agent_server_inject_fault(struct agent_server *, int argc,
                              const char *argv[], struct ds *reply);

/* Hardware health alerts, injected for emulation.
 *
 * agent_server_raise_alert() raises or updates the alert of sensor argv[0]
 * ("SENSOR" or "SENSOR=VALUE"), with severity argv[1] ("critical",
 * "major", "minor", "warning" or "info"; default "major") and message
 * argv[2...] (words).  agent_server_clear_alert() clears the alert of
 * sensor argv[0], or every alert if 'argc' is 0.  Each change is sent to
 * every host (DPU_EVENT "health").  Both return 0 with a message in
 * 'reply', or a positive errno value with the error in 'reply'. */
int agent_server_raise_alert(struct agent_server *, int argc,
                             const char *argv[], struct ds *reply);
int agent_server_clear_alert(struct agent_server *, int argc,
                             const char *argv[], struct ds *reply);

/* Injects load figures into the DPU's metrics, for emulation: argv[] holds
 * "cpu=PERCENT" (a core named "injected" with that load), "memory=PERCENT"
 * (that share of the memory in use), or "clear" (measure again).  Returns 0
 * with a message in 'reply', or a positive errno value with the error in
 * 'reply'. */
int agent_server_inject_metrics(struct agent_server *, int argc,
                                const char *argv[], struct ds *reply);

#endif /* agent-server.h */
