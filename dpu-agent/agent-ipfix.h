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

#ifndef AGENT_IPFIX_H
#define AGENT_IPFIX_H 1

/* The DPU agent's IPFIX exporters.
 *
 * A host that wants a DPU to export the IPFIX samples of a bridge itself
 * sends DPU_MSG_IPFIX_SET (see dpu-wire.h), which agent_ipfix_set()
 * applies: one OVS IPFIX exporter (ofproto-dpif-ipfix, struct dpif_ipfix)
 * per bridge, with the bridge's and collector sets' options.  The
 * datapath's userspace() actions whose cookie is of type IPFIX or
 * FLOW_SAMPLE for such a bridge and exporter go to agent_ipfix_sample()
 * instead of the host.
 *
 * The agent tells the exporters the tunnel ports of the DPU's datapath with
 * agent_ipfix_add_tunnel_port(), as ofproto-dpif tells ovs-vswitchd's, so
 * that the records of packets received from a tunnel carry the tunnel's
 * type, key, addresses and ports (enable-tunnel-sampling).
 *
 * Each bridge also sends the DPU's identity (its name on the host, vendor,
 * model, hardware version, firmware, serial, image version and role) as an
 * IPFIX options record to its exporters' targets: when it is configured,
 * every 10 minutes, and when the DPU's role changes; an event record
 * when a hardware health alert of the DPU is raised, changes or clears;
 * and an alarm record for each alarm about a DPU that the host raises or
 * clears and sends to this DPU (DPU_MSG_ALARM).
 *
 * Thread-safety: agent_ipfix_sample() may be called from any thread (the
 * datapath's threads call it); the other functions from the agent's main
 * thread. */

#include <stdbool.h>

#include "agent-server.h"
#include "openvswitch/types.h"

struct dp_packet;
struct dpu_alarm_event;
struct dpu_health;
struct dpu_identity;
struct dpu_ipfix_config;
struct ds;
struct flow;
struct nlattr;

/* Creates the exporters of a DPU with identity 'id', which must outlive
 * them, in role 'role' ("active", "standby"...), which its identity records
 * tell. */
struct agent_ipfix *agent_ipfix_create(const struct dpu_identity *id,
                                       const char *role);
void agent_ipfix_destroy(struct agent_ipfix *);

/* Applies 'cfg', which dpu_parse_ipfix_config() accepted: the exporters
 * of bridge 'cfg->bridge_uuid', or, without any, forgets the bridge.  An
 * exporter none of whose targets can be opened is logged and left out: its
 * samples are the host's. */
void agent_ipfix_set(struct agent_ipfix *, const struct dpu_ipfix_config *);

/* Tells the DPU's new role: every bridge sends its identity record again,
 * which tells collectors of a failover. */
void agent_ipfix_set_role(struct agent_ipfix *, const char *role);

/* Tells collectors that the DPU's hardware health alert of 'sensor' was
 * raised or changed to 'h', or, if 'h' is NULL, cleared: every bridge
 * sends an event record. */
void agent_ipfix_alert(struct agent_ipfix *, const char *sensor,
                       const struct dpu_health *h);

/* Tells that port 'port_no' of the DPU's datapath is a tunnel port of
 * netdev type 'type' (e.g. "vxlan"), for the tunnel information of the
 * records of every bridge, present and future. */
void agent_ipfix_add_tunnel_port(struct agent_ipfix *, odp_port_t port_no,
                                 const char *type);

/* Tells that port 'port_no' left the DPU's datapath.  Does nothing if it
 * was not a tunnel port. */
void agent_ipfix_del_port(struct agent_ipfix *, odp_port_t port_no);

/* Tells collectors that the host raised or cleared alarm 'ev' (see
 * DPU_MSG_ALARM), which may be about another DPU: every bridge sends an
 * alarm record. */
void agent_ipfix_alarm(struct agent_ipfix *, const struct dpu_alarm_event *);

/* Forgets every bridge (a new host connected); the tunnel ports stay. */
void agent_ipfix_clear(struct agent_ipfix *);

/* If 'userdata' (the userdata of a userspace() action that 'packet', whose
 * fields are in 'flow', ran into) is an IPFIX or FLOW_SAMPLE cookie for an
 * exporter that this DPU runs, exports the packet and returns true.
 * Otherwise returns false: the sample is the host's. */
bool agent_ipfix_sample(struct agent_ipfix *, const struct dp_packet *packet,
                        const struct flow *flow,
                        const struct nlattr *userdata);

void agent_ipfix_run(struct agent_ipfix *);
void agent_ipfix_wait(struct agent_ipfix *);

/* Appends the exporters and their counters, for dpu-agent/ipfix. */
void agent_ipfix_format(struct agent_ipfix *, struct ds *);

/* Request handlers for IPFIX_SET and ALARM (see agent_handler_func in
 * agent-server.h). */
agent_handler_func agent_ipfix_set_request;
agent_handler_func agent_ipfix_alarm_request;

#endif /* agent-ipfix.h */
