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

#ifndef AGENT_HA_H
#define AGENT_HA_H 1

/* The DPU's role in an active-standby pair (see "Roles" in
 * dpu-protocol.rst).
 *
 * An active DPU forwards.  A standby one holds every port and flow that the
 * host gives it but forwards nothing: a hook in dpif-netdev (see
 * dpif_netdev_set_rx_hook()) drops what its ports receive before the
 * datapath sees it, and learns the source addresses of what arrives on ports
 * that are not uplinks.  A preparing one, about to become active in a
 * planned failover, holds what its ports receive instead of dropping it, and
 * forwards it when it becomes active.  When a DPU becomes active or
 * prepares, it announces the addresses it learned with RARP and gratuitous
 * ARP, as OVS bonds do when their active member changes, so that the
 * physical network sends their traffic to it.  An active DPU with a lease
 * that hears nothing from any host for the lease stands by on its own.  A
 * DPU with a fatal error (an emulated PCI error) is "failed": it forwards
 * nothing, learns nothing, and tells hosts it stands by, until the fault
 * clears.  The handover of a planned failover is agent-handover.h's.
 *
 * Thread-safety: the threads that poll ports run the receive hook; the rest
 * runs in the agent's main thread.  The module's mutex guards what they
 * share (see struct agent_ha in agent-ha.c). */

#include <stdbool.h>
#include <stdint.h>
#include "agent-server.h"

struct agent_dp;
struct agent_ipfix;
struct ds;

/* Creates the role of a DPU whose datapath is 'dp', active to begin with,
 * and hooks it into the datapath's receive path.  It tells 'ipfix' of each
 * role, and the hosts of 'server' of its events. */
struct agent_ha *agent_ha_create(struct agent_server *, struct agent_dp *dp,
                                 struct agent_ipfix *ipfix);
void agent_ha_destroy(struct agent_ha *);

/* Stands by if the DPU is active with a lease and no host sent a message for
 * as long as the lease, or the DPU itself did not run for as long (it was
 * stopped: what it reads from hosts after that is as old), or a thread that
 * polls ports found the lease run out; then drops what the ports queued
 * meanwhile, and tells hosts (DPU_EVENT "lease-expired").  The server calls
 * it before the datapath runs, so that a DPU that was out of touch does not
 * forward even once; the receive hook checks the lease again before it
 * looks at each batch, for a stall since. */
void agent_ha_check_lease(struct agent_ha *);

/* Emulation only: makes the next batch that a port receives wait 'ms'
 * milliseconds, in real time, before the receive hook looks at it, as if
 * the DPU were stopped right after receiving it. */
void agent_ha_stall_next_rx(struct agent_ha *, int ms);

void agent_ha_run(struct agent_ha *);
void agent_ha_wait(struct agent_ha *);

/* The role to tell hosts, a DPU_ROLE_*: a failed DPU says it stands by. */
uint32_t agent_ha_wire_role(const struct agent_ha *);

/* The role's name: "active", "standby", "prepare" or "failed". */
const char *agent_ha_role_name(const struct agent_ha *);

/* Makes the DPU fail with 'fault' (e.g. "pci-error"), which hosts hear of
 * in a DPU_EVENT with 'details'. */
void agent_ha_fail(struct agent_ha *, const char *fault, const char *details);

/* Clears the fault, if any: the DPU stands by, and tells hosts.  Returns
 * true if there was one. */
bool agent_ha_clear_fault(struct agent_ha *);

/* The fault of a failed DPU, or NULL. */
const char *agent_ha_get_fault(const struct agent_ha *);

/* Appends the role, lease, uplinks and counters, for dpu-agent/show. */
void agent_ha_format(const struct agent_ha *, struct ds *);

/* Request handler for SET_ROLE (see agent_handler_func). */
agent_handler_func agent_ha_set_role;

#endif /* agent-ha.h */
