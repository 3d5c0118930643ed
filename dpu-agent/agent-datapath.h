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

#ifndef AGENT_DATAPATH_H
#define AGENT_DATAPATH_H 1

/* The DPU agent's datapath: OVS's userspace datapath (dpif-netdev), opened
 * in-process, with the ports and flows that hosts give it.
 *
 * It serves the requests about ports (PORT_ADD, PORT_DEL, PORT_DUMP,
 * NETDEV_GET, NETDEV_SET), flows (OPERATE, FLOW_FLUSH, FLOW_DUMP) and the
 * datapath as a whole (DP_GET_STATS, DP_SET_CONFIG), and tells the host
 * when a port's device changes (PORT_EVENT).  The other modules reach the
 * datapath through it: conntrack, meters and QoS through its dpif and its
 * ports, the role of the DPU through agent_dp_execute().
 *
 * Thread-safety: only the agent's main thread calls these functions. */

#include <stdbool.h>
#include "agent-server.h"
#include "openvswitch/types.h"

struct agent_ipfix;
struct agent_metrics;
struct agent_upcalls;
struct dp_packet;
struct dpif;
struct dpif_dp_stats;
struct dpu_channel;
struct dpu_metrics;
struct ds;
struct netdev;
struct nlattr;
struct shash_node;

/* A port of the datapath. */
struct agent_port {
    struct shash_node *node;    /* In the datapath's ports, by name. */
    struct netdev *netdev;
    odp_port_t port_no;
    uint64_t change_seq;        /* Of 'netdev', when a host last heard. */
};

/* Creates a datapath named 'dp_name', of netdev-dummy ports if 'dummy',
 * whose upcalls go to 'upcalls' and whose tunnel ports 'ipfix' learns.
 * Returns 0 and stores it in '*dpp', or a positive errno value after
 * logging why. */
int agent_dp_create(const char *dp_name, bool dummy,
                    struct agent_upcalls *upcalls, struct agent_ipfix *ipfix,
                    struct agent_metrics *metrics, struct agent_dp **dpp);

/* Destroys 'dp'.  With 'del', also deletes the datapath and the devices it
 * created. */
void agent_dp_destroy(struct agent_dp *dp, bool del);

/* Runs the datapath, and sends a PORT_EVENT on 'upcall_channel' (if
 * nonnull) for every port whose device changed. */
void agent_dp_run(struct agent_dp *dp, struct dpu_channel *upcall_channel);
void agent_dp_wait(struct agent_dp *dp);

struct dpif *agent_dp_dpif(const struct agent_dp *dp);
const char *agent_dp_name(const struct agent_dp *dp);

/* The DPU_CAP_* bits that the datapath supports. */
uint32_t agent_dp_caps(const struct agent_dp *dp);

/* Returns port 'name', or NULL. */
struct agent_port *agent_dp_find_port(const struct agent_dp *dp,
                                      const char *name);
const char *agent_port_name(const struct agent_port *);

/* Reads the datapath's counters, as hosts must see them (see
 * agent_upcalls_fix_stats()), into '*stats'.  Returns 0 or a positive errno
 * value. */
int agent_dp_get_stats(const struct agent_dp *dp,
                       struct dpif_dp_stats *stats);

/* Fills in the datapath's counters and the ports of 'm'. */
int agent_dp_get_metrics(const struct agent_dp *dp, struct dpu_metrics *m);

/* Executes 'actions' (of 'actions_len' bytes) on 'packet' in the datapath.
 * 'what' names the packet in a log message, with port 'port_no'. */
void agent_dp_execute(struct agent_dp *dp, struct dp_packet *packet,
                      const struct nlattr *actions, size_t actions_len,
                      const char *what, odp_port_t port_no);

/* Appends the ports, for dpu-agent/show. */
void agent_dp_format(const struct agent_dp *dp, struct ds *);

/* Request handlers (see agent_handler_func in agent-server.h). */
agent_handler_func agent_dp_port_add;
agent_handler_func agent_dp_port_del;
agent_handler_func agent_dp_port_dump;
agent_handler_func agent_dp_netdev_get;
agent_handler_func agent_dp_netdev_set;
agent_handler_func agent_dp_operate;
agent_handler_func agent_dp_flow_flush;
agent_handler_func agent_dp_flow_dump;
agent_handler_func agent_dp_get_stats_request;
agent_handler_func agent_dp_set_config;

#endif /* agent-datapath.h */
