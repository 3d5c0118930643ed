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

#include <config.h>
#include "agent-datapath.h"

#include <errno.h>

#include "agent-crash-point.h"
#include "agent-ipfix.h"
#include "agent-metrics.h"
#include "agent-upcall.h"
#include "coverage.h"
#include "ct-dpif.h"
#include "dp-packet.h"
#include "dpif.h"
#include "dpu-actions.h"
#include "dpu-channel.h"
#include "dpu-codec.h"
#include "flow.h"
#include "netdev.h"
#include "odp-util.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofp-meter.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "smap.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(agent_datapath);

COVERAGE_DEFINE(agent_bad_op);          /* Malformed operation in a batch. */
COVERAGE_DEFINE(agent_port_event);      /* PORT_EVENT sent to the host. */

/* An operation of a batch is one of up to DPU_MAX_BATCH: a host that sends
 * malformed batches would log as many lines per request. */
static struct vlog_rate_limit op_rl = VLOG_RATE_LIMIT_INIT(5, 20);

/* A failed execute of a packet that the DPU made itself (an announcement, a
 * held packet) repeats for each packet of a failover. */
static struct vlog_rate_limit exec_rl = VLOG_RATE_LIMIT_INIT(5, 20);

/* Most flows in one FLOW_DUMP reply. */
#define MAX_FLOWS_PER_REPLY 64

struct agent_dp {
    struct dpif *dpif;
    struct shash ports;         /* struct agent_port, by name. */
    bool dummy;                 /* Ports are netdev-dummy ports. */
    int vlan_limit;             /* Host's other_config:vlan-limit. */
    struct agent_upcalls *upcalls;
    struct agent_ipfix *ipfix;
    struct agent_metrics *metrics;
};

int
agent_dp_create(const char *dp_name, bool dummy,
                struct agent_upcalls *upcalls, struct agent_ipfix *ipfix,
                struct agent_metrics *metrics, struct agent_dp **dpp)
{
    struct agent_dp *dp;
    struct dpif *dpif;
    int error;

    /* With dummy ports, the datapath is dpif-netdev's "dummy" flavor, whose
     * internal ports are dummies too rather than Linux tap devices. */
    *dpp = NULL;
    error = dpif_create_and_open(dp_name, dummy ? "dummy" : "netdev", &dpif);
    if (error) {
        VLOG_ERR("cannot open datapath %s (%s)", dp_name,
                 ovs_strerror(error));
        return error;
    }

    dp = xzalloc(sizeof *dp);
    dp->dpif = dpif;
    shash_init(&dp->ports);
    dp->dummy = dummy;
    dp->vlan_limit = LEGACY_MAX_VLAN_HEADERS;
    dp->upcalls = upcalls;
    dp->ipfix = ipfix;
    dp->metrics = metrics;
    dpif_register_upcall_cb(dpif, agent_upcalls_cb, upcalls);
    dpif_enable_upcall(dpif);
    *dpp = dp;
    return 0;
}

static void
port_destroy(struct agent_dp *dp, struct agent_port *port)
{
    agent_ipfix_del_port(dp->ipfix, port->port_no);
    shash_delete(&dp->ports, port->node);
    netdev_close(port->netdev);
    free(port);
}

void
agent_dp_destroy(struct agent_dp *dp, bool del)
{
    struct shash_node *node;

    if (!dp) {
        return;
    }
    SHASH_FOR_EACH_SAFE (node, &dp->ports) {
        port_destroy(dp, node->data);
    }
    dpif_disable_upcall(dp->dpif);
    if (del) {
        dpif_delete(dp->dpif);
    }
    dpif_close(dp->dpif);
    shash_destroy(&dp->ports);
    free(dp);
}

/* Tells the host, on 'channel', of ports whose device changed (carrier,
 * MTU, MAC). */
static void
check_port_changes(struct agent_dp *dp, struct dpu_channel *channel)
{
    struct shash_node *node;

    SHASH_FOR_EACH (node, &dp->ports) {
        struct agent_port *port = node->data;
        uint64_t seq = netdev_get_change_seq(port->netdev);

        if (seq != port->change_seq) {
            port->change_seq = seq;
            if (channel) {
                struct ofpbuf *b = ofpbuf_new(128);

                dpu_msg_start(b, DPU_MSG_PORT_EVENT, 0, 0);
                nl_msg_put_string(b, DPU_ATTR_PORT_NAME, node->name);
                dpu_msg_finish(b);
                dpu_channel_send(channel, b);
                COVERAGE_INC(agent_port_event);
            }
        }
    }
}

void
agent_dp_run(struct agent_dp *dp, struct dpu_channel *upcall_channel)
{
    dpif_run(dp->dpif);
    check_port_changes(dp, upcall_channel);
}

void
agent_dp_wait(struct agent_dp *dp)
{
    struct shash_node *node;

    dpif_wait(dp->dpif);
    SHASH_FOR_EACH (node, &dp->ports) {
        struct agent_port *port = node->data;

        if (netdev_get_change_seq(port->netdev) != port->change_seq) {
            poll_immediate_wake();
        }
    }
}

struct dpif *
agent_dp_dpif(const struct agent_dp *dp)
{
    return dp->dpif;
}

const char *
agent_dp_name(const struct agent_dp *dp)
{
    return dpif_base_name(dp->dpif);
}

uint32_t
agent_dp_caps(const struct agent_dp *dp)
{
    struct ofputil_meter_features meters;
    uint32_t caps = (DPU_CAP_RECIRC | DPU_CAP_TUNNELS | DPU_CAP_HA
                     | DPU_CAP_HEALTH | DPU_CAP_IPFIX);
    enum ct_features ct_features;
    uint32_t maxconns;

    /* Recirculation and tunnels always: OVS's userspace datapath.  Meters
     * and conntrack, and conntrack's features, if it says so. */
    dpif_meter_get_features(dp->dpif, &meters);
    if (meters.max_meters) {
        caps |= DPU_CAP_METERS;
    }
    if (!ct_dpif_get_maxconns(dp->dpif, &maxconns)) {
        caps |= DPU_CAP_CT | DPU_CAP_CT_SYNC;
        if (!ct_dpif_get_features(dp->dpif, &ct_features)
            && ct_features & CONNTRACK_F_ZERO_SNAT) {
            caps |= DPU_CAP_CT_ZERO_SNAT;
        }
    }
    return caps;
}

/* Ports. */

struct agent_port *
agent_dp_find_port(const struct agent_dp *dp, const char *name)
{
    return shash_find_data(&dp->ports, name);
}

const char *
agent_port_name(const struct agent_port *port)
{
    return port->node->name;
}

static const char *
default_port_type(const struct agent_dp *dp, const char *type)
{
    if (!strcmp(type, "internal")) {
        return dpif_port_open_type(dp->dummy ? "dummy" : "netdev",
                                   "internal");
    } else if (!type[0]) {
        return dp->dummy ? "dummy" : "system";
    }
    return type;
}

static int
port_add(struct agent_dp *dp, odp_port_t port_no, const char *name,
         const char *type_, const struct smap *options, struct ds *why)
{
    const char *type = default_port_type(dp, type_);
    struct agent_port *port = agent_dp_find_port(dp, name);
    struct shash_node *node;
    struct netdev *netdev;
    char *errp = NULL;
    int error;

    if (port) {
        if (port->port_no == port_no
            && !strcmp(netdev_get_type(port->netdev), type)) {
            /* Re-sync: the host's options are the ones that count. */
            error = netdev_set_config(port->netdev, options, &errp);
            if (error) {
                ds_put_format(why, "%s", errp ? errp : ovs_strerror(error));
                free(errp);
            }
            return error;
        }
        ds_put_format(why, "port %s exists with number %"PRIu32" and type "
                      "%s", name, odp_to_u32(port->port_no),
                      netdev_get_type(port->netdev));
        return EEXIST;
    }
    if (!odp_to_u32(port_no) || odp_to_u32(port_no) >= UINT16_MAX) {
        ds_put_format(why, "invalid port number %"PRIu32,
                      odp_to_u32(port_no));
        return EINVAL;
    }
    SHASH_FOR_EACH (node, &dp->ports) {
        const struct agent_port *other = node->data;

        if (other->port_no == port_no) {
            ds_put_format(why, "port number %"PRIu32" belongs to port %s",
                          odp_to_u32(port_no), node->name);
            return EEXIST;
        }
    }

    error = netdev_open(name, type, &netdev);
    if (error) {
        ds_put_format(why, "cannot open %s as %s: %s", name, type,
                      ovs_strerror(error));
        return error;
    }
    error = netdev_set_config(netdev, options, &errp);
    if (error) {
        ds_put_format(why, "%s", errp ? errp : ovs_strerror(error));
        free(errp);
        netdev_close(netdev);
        return error;
    }
    error = dpif_port_add(dp->dpif, netdev, &port_no);
    if (error) {
        ds_put_format(why, "cannot add %s as port %"PRIu32": %s", name,
                      odp_to_u32(port_no), ovs_strerror(error));
        netdev_close(netdev);
        return error;
    }
    port = xzalloc(sizeof *port);
    port->netdev = netdev;
    port->port_no = port_no;
    port->change_seq = netdev_get_change_seq(netdev);
    port->node = shash_add(&dp->ports, name, port);
    if (netdev_get_tunnel_config(netdev)) {
        agent_ipfix_add_tunnel_port(dp->ipfix, port_no, type);
    }
    VLOG_INFO("added port %s (%s) as %"PRIu32, name, type,
              odp_to_u32(port_no));
    return 0;
}

int
agent_dp_port_add(const struct agent_request *req, struct ofpbuf *reply
                  OVS_UNUSED, struct ds *why)
{
    struct agent_dp *dp = agent_server_dp(req->server);
    struct nlattr *const *attrs = req->msg->attrs;
    struct smap options = SMAP_INITIALIZER(&options);
    int error;

    if (attrs[DPU_ATTR_PORT_OPTIONS]
        && !dpu_parse_smap(attrs[DPU_ATTR_PORT_OPTIONS], &options)) {
        ds_put_cstr(why, "malformed port options");
        error = EINVAL;
    } else {
        error = port_add(dp, nl_attr_get_odp_port(attrs[DPU_ATTR_PORT_NO]),
                         nl_attr_get_string(attrs[DPU_ATTR_PORT_NAME]),
                         nl_attr_get_string(attrs[DPU_ATTR_PORT_TYPE]),
                         &options, why);
    }
    smap_destroy(&options);
    return error;
}

int
agent_dp_port_del(const struct agent_request *req, struct ofpbuf *reply
                  OVS_UNUSED, struct ds *why)
{
    struct agent_dp *dp = agent_server_dp(req->server);
    odp_port_t port_no = nl_attr_get_odp_port(
        req->msg->attrs[DPU_ATTR_PORT_NO]);
    struct shash_node *node;

    SHASH_FOR_EACH (node, &dp->ports) {
        struct agent_port *port = node->data;

        if (port->port_no == port_no) {
            int error = dpif_port_del(dp->dpif, port_no, false);

            if (error) {
                ds_put_format(why, "%s", ovs_strerror(error));
                return error;
            }
            VLOG_INFO("deleted port %s (%"PRIu32")", node->name,
                      odp_to_u32(port_no));
            port_destroy(dp, port);
            return 0;
        }
    }
    ds_put_format(why, "no port %"PRIu32, odp_to_u32(port_no));
    return ENOENT;
}

int
agent_dp_port_dump(const struct agent_request *req, struct ofpbuf *reply,
                   struct ds *why OVS_UNUSED)
{
    struct agent_dp *dp = agent_server_dp(req->server);
    struct shash_node *node;

    SHASH_FOR_EACH (node, &dp->ports) {
        struct agent_port *port = node->data;
        struct dpu_port dport = {
            .port_no = port->port_no,
            .name = node->name,
            .type = netdev_get_type(port->netdev),
        };

        dpu_put_port(reply, &dport);
    }
    return 0;
}

/* Stores the IP addresses of 'netdev', if it has any, in 'state', with
 * 'addrs', which has room for DPU_MAX_IN6_ADDRS, to hold them. */
static void
get_port_addrs(const struct netdev *netdev, struct dpu_netdev_state *state,
               struct dpu_in6_addr *addrs)
{
    struct in6_addr *in6, *masks;
    int n;

    state->addrs = addrs;
    state->n_addrs = 0;
    if (!netdev_get_addr_list(netdev, &in6, &masks, &n)) {
        state->n_addrs = MIN(n, DPU_MAX_IN6_ADDRS);
        for (size_t i = 0; i < state->n_addrs; i++) {
            addrs[i].addr = in6[i];
            addrs[i].mask = masks[i];
        }
        free(in6);
        free(masks);
    }
}

int
agent_dp_netdev_get(const struct agent_request *req, struct ofpbuf *reply,
                    struct ds *why)
{
    struct agent_dp *dp = agent_server_dp(req->server);
    const char *name = nl_attr_get_string(
        req->msg->attrs[DPU_ATTR_PORT_NAME]);
    struct agent_port *port = agent_dp_find_port(dp, name);
    struct dpu_in6_addr addrs[DPU_MAX_IN6_ADDRS];
    struct dpu_netdev_state state;
    enum netdev_flags flags = 0;
    int mtu = 0;

    if (!port) {
        ds_put_format(why, "no port %s", name);
        return ENODEV;
    }
    memset(&state, 0, sizeof state);
    netdev_get_stats(port->netdev, &state.stats);
    netdev_get_etheraddr(port->netdev, &state.mac);
    netdev_get_mtu(port->netdev, &mtu);
    netdev_get_flags(port->netdev, &flags);
    state.mtu = mtu;
    state.carrier = netdev_get_carrier(port->netdev);
    state.carrier_resets = netdev_get_carrier_resets(port->netdev);
    state.flags = flags;
    get_port_addrs(port->netdev, &state, addrs);
    dpu_put_netdev_state(reply, &state);
    return 0;
}

/* Applies NETDEV_SET 'msg''s PORT_OPTIONS, MTU and MAC to 'port'.  Returns 0
 * or a positive errno value, with the cause appended to 'why'. */
static int
netdev_set_config_mtu_mac(struct agent_port *port, const struct dpu_msg *msg,
                          struct ds *why)
{
    int error = 0;

    if (msg->attrs[DPU_ATTR_PORT_OPTIONS]) {
        struct smap options = SMAP_INITIALIZER(&options);
        char *errp = NULL;

        if (!dpu_parse_smap(msg->attrs[DPU_ATTR_PORT_OPTIONS], &options)) {
            ds_put_cstr(why, "malformed port options");
            error = EINVAL;
        } else {
            error = netdev_set_config(port->netdev, &options, &errp);
            if (error) {
                ds_put_format(why, "%s", errp ? errp : ovs_strerror(error));
                free(errp);
            }
        }
        smap_destroy(&options);
    }
    if (!error && msg->attrs[DPU_ATTR_MTU]) {
        error = netdev_set_mtu(port->netdev,
                               nl_attr_get_u32(msg->attrs[DPU_ATTR_MTU]));
    }
    if (!error && msg->attrs[DPU_ATTR_MAC]) {
        struct eth_addr mac;

        memcpy(&mac, nl_attr_get(msg->attrs[DPU_ATTR_MAC]), sizeof mac);
        error = netdev_set_etheraddr(port->netdev, mac);
    }
    return error;
}

int
agent_dp_netdev_set(const struct agent_request *req, struct ofpbuf *reply,
                    struct ds *why)
{
    struct agent_dp *dp = agent_server_dp(req->server);
    const struct dpu_msg *msg = req->msg;
    const char *name = nl_attr_get_string(msg->attrs[DPU_ATTR_PORT_NAME]);
    struct agent_port *port = agent_dp_find_port(dp, name);
    enum netdev_flags old = 0;
    int error;

    if (!port) {
        ds_put_format(why, "no port %s", name);
        return ENODEV;
    }
    error = netdev_set_config_mtu_mac(port, msg, why);
    netdev_get_flags(port->netdev, &old);
    if (!error && msg->attrs[DPU_ATTR_NETDEV_FLAGS]) {
        uint32_t flags = nl_attr_get_u32(msg->attrs[DPU_ATTR_NETDEV_FLAGS]);
        uint32_t mask = (msg->attrs[DPU_ATTR_NETDEV_FLAGS_MASK]
                         ? nl_attr_get_u32(
                             msg->attrs[DPU_ATTR_NETDEV_FLAGS_MASK])
                         : 0);

        if ((flags | mask) & ~(NETDEV_UP | NETDEV_PROMISC)) {
            ds_put_cstr(why, "unknown device flags");
            error = EINVAL;
        } else {
            error = netdev_turn_flags_off(port->netdev, mask & ~flags, NULL);
            if (!error) {
                error = netdev_turn_flags_on(port->netdev, mask & flags,
                                             NULL);
            }
        }
    }
    nl_msg_put_u32(reply, DPU_ATTR_NETDEV_FLAGS, old);
    return error;
}

/* Flow operations. */

struct agent_op {
    struct dpif_op op;
    int error;                  /* Decoding error, if any. */
    ovs_u128 ufid;
    struct dpif_flow_stats stats;
    struct dpif_flow flow;
    struct ofpbuf buf;          /* For FLOW_GET. */
    struct dp_packet *packet;   /* For EXECUTE. */
    struct flow pkt_flow;
};

/* The netdev types of the tunnels whose headers dpif-netdev pushes, and
 * the OVS_VPORT_TYPE_* that a tnl_push action gives for each. */
static const struct {
    const char *type;
    uint32_t tnl_type;
} tnl_types[] = {
    { "geneve", OVS_VPORT_TYPE_GENEVE },
    { "gre", OVS_VPORT_TYPE_GRE },
    { "vxlan", OVS_VPORT_TYPE_VXLAN },
    { "erspan", OVS_VPORT_TYPE_ERSPAN },
    { "ip6erspan", OVS_VPORT_TYPE_IP6ERSPAN },
    { "ip6gre", OVS_VPORT_TYPE_IP6GRE },
    { "gtpu", OVS_VPORT_TYPE_GTPU },
    { "bareudp", OVS_VPORT_TYPE_BAREUDP },
};

/* dpu_check_tnl_push_func for the agent's datapath: the tunnel port must
 * exist and be of the action's tunnel type, since dpif-netdev pushes the
 * header with the port's own push_header function. */
static int
check_tnl_push(const struct ovs_action_push_tnl *data, void *dp_,
               struct ds *why)
{
    struct agent_dp *dp = dp_;
    struct shash_node *node;

    SHASH_FOR_EACH (node, &dp->ports) {
        struct agent_port *port = node->data;
        const char *type;

        if (port->port_no != data->tnl_port) {
            continue;
        }
        type = netdev_get_type(port->netdev);
        for (size_t i = 0; i < ARRAY_SIZE(tnl_types); i++) {
            if (!strcmp(type, tnl_types[i].type)
                && data->tnl_type == tnl_types[i].tnl_type) {
                return 0;
            }
        }
        ds_put_format(why, "tunnel type %"PRIu32" does not match port %s "
                      "(%s)", data->tnl_type, node->name, type);
        return EINVAL;
    }
    ds_put_format(why, "no tunnel port %"PRIu32, odp_to_u32(data->tnl_port));
    return EINVAL;
}

/* Decodes 'nla' into 'aop'.  Returns 0 or a positive errno value, in which
 * case it may have appended the reason to 'why'. */
static int
decode_op(struct agent_dp *dp, const struct nlattr *nla,
          struct agent_op *aop, struct ds *why)
{
    struct dpif_op *op = &aop->op;
    struct dpu_flow_op fop;
    int error;

    error = dpu_parse_flow_op(nla, &fop, why);
    if (error) {
        return error;
    }
    if (fop.actions) {
        /* dpif-netdev trusts the actions it executes, so check them. */
        error = dpu_actions_check(nl_attr_get(fop.actions),
                                  nl_attr_get_size(fop.actions),
                                  check_tnl_push, dp, why);
        if (error) {
            return error;
        }
    }
    aop->ufid = fop.ufid;

    switch (fop.type) {
    case DPU_OP_PUT:
        op->type = DPIF_OP_FLOW_PUT;
        op->flow_put.flags = fop.put_flags;
        op->flow_put.key = nl_attr_get(fop.key);
        op->flow_put.key_len = nl_attr_get_size(fop.key);
        op->flow_put.mask = fop.mask ? nl_attr_get(fop.mask) : NULL;
        op->flow_put.mask_len = fop.mask ? nl_attr_get_size(fop.mask) : 0;
        op->flow_put.actions = fop.actions ? nl_attr_get(fop.actions) : NULL;
        op->flow_put.actions_len = (fop.actions
                                    ? nl_attr_get_size(fop.actions) : 0);
        op->flow_put.ufid = fop.has_ufid ? &aop->ufid : NULL;
        op->flow_put.pmd_id = PMD_ID_NULL;
        op->flow_put.stats = fop.want_stats ? &aop->stats : NULL;
        return 0;

    case DPU_OP_DEL:
        op->type = DPIF_OP_FLOW_DEL;
        op->flow_del.key = fop.key ? nl_attr_get(fop.key) : NULL;
        op->flow_del.key_len = fop.key ? nl_attr_get_size(fop.key) : 0;
        op->flow_del.ufid = fop.has_ufid ? &aop->ufid : NULL;
        op->flow_del.pmd_id = PMD_ID_NULL;
        op->flow_del.stats = &aop->stats;
        op->flow_del.terse = false;
        return 0;

    case DPU_OP_GET:
        op->type = DPIF_OP_FLOW_GET;
        op->flow_get.key = fop.key ? nl_attr_get(fop.key) : NULL;
        op->flow_get.key_len = fop.key ? nl_attr_get_size(fop.key) : 0;
        op->flow_get.ufid = fop.has_ufid ? &aop->ufid : NULL;
        op->flow_get.pmd_id = PMD_ID_NULL;
        ofpbuf_init(&aop->buf, 1024);
        op->flow_get.buffer = &aop->buf;
        op->flow_get.flow = &aop->flow;
        return 0;

    case DPU_OP_EXECUTE:
        aop->packet = dpu_execute_packet(&fop, &aop->pkt_flow);
        op->type = DPIF_OP_EXECUTE;
        op->execute.packet = aop->packet;
        op->execute.flow = &aop->pkt_flow;
        op->execute.actions = nl_attr_get(fop.actions);
        op->execute.actions_len = nl_attr_get_size(fop.actions);
        op->execute.needs_help = false;
        op->execute.probe = fop.probe;
        op->execute.mtu = fop.mtu;
        op->execute.hash = fop.hash;
        return 0;
    }
    OVS_NOT_REACHED();
}

/* Room for an OP_RESULT of a GET besides its key, mask and actions (nest,
 * errno, UFID, statistics, padding of three attributes), and the most an
 * OP_RESULT of another operation takes (nest, errno, statistics). */
#define OP_RESULT_FLOW_OVERHEAD 128
#define OP_RESULT_MAX_SMALL 64

/* Appends the result of 'aop', the 'i'th of 'n' operations, to 'reply'. */
static void
put_op_result(struct ofpbuf *reply, const struct agent_op *aop, size_t i,
              size_t n)
{
    int error = aop->error ? aop->error : aop->op.error;

    if (!error && aop->op.type == DPIF_OP_FLOW_GET
        && (reply->size + OP_RESULT_FLOW_OVERHEAD
            + aop->flow.key_len + aop->flow.mask_len + aop->flow.actions_len
            + (n - i - 1) * OP_RESULT_MAX_SMALL > DPU_MAX_MSG_LEN)) {
        /* The flow does not fit in the reply: the host can get it alone. */
        error = E2BIG;
    }
    if (error) {
        dpu_put_op_result(reply, error, NULL, NULL);
    } else if (aop->op.type == DPIF_OP_FLOW_PUT) {
        dpu_put_op_result(reply, 0, aop->op.flow_put.stats, NULL);
    } else if (aop->op.type == DPIF_OP_FLOW_DEL) {
        dpu_put_op_result(reply, 0, &aop->stats, NULL);
    } else if (aop->op.type == DPIF_OP_FLOW_GET) {
        dpu_put_op_result(reply, 0, NULL, &aop->flow);
    } else {
        dpu_put_op_result(reply, 0, NULL, NULL);
    }
}

int
agent_dp_operate(const struct agent_request *req, struct ofpbuf *reply,
                 struct ds *why)
{
    struct agent_dp *dp = agent_server_dp(req->server);
    struct ds op_why = DS_EMPTY_INITIALIZER;
    struct dpif_op *ops[DPU_MAX_BATCH];
    const struct nlattr *nla;
    size_t n = 0, n_ops = 0, left;
    struct agent_op *aops;

    /* A struct agent_op is about 1 kB: allocate as many as the request
     * holds, not DPU_MAX_BATCH, since most batches hold few operations. */
    DPU_MSG_FOR_EACH_ATTR (nla, left, req->buf) {
        n += nl_attr_type(nla) == DPU_ATTR_OP;
    }
    if (n > DPU_MAX_BATCH) {
        ds_put_format(why, "more than %d operations", DPU_MAX_BATCH);
        return E2BIG;
    }
    aops = xcalloc(MAX(n, 1), sizeof *aops);

    n = 0;
    DPU_MSG_FOR_EACH_ATTR (nla, left, req->buf) {
        if (nl_attr_type(nla) != DPU_ATTR_OP) {
            continue;
        }
        ds_clear(&op_why);
        aops[n].error = decode_op(dp, nla, &aops[n], &op_why);
        if (aops[n].error) {
            COVERAGE_INC(agent_bad_op);
            VLOG_WARN_RL(&op_rl, "operation %"PRIuSIZE" of batch is "
                         "malformed (%s)%s%s", n,
                         ovs_strerror(aops[n].error),
                         op_why.length ? ": " : "", ds_cstr(&op_why));
        } else {
            ops[n_ops++] = &aops[n].op;
        }
        n++;
    }
    ds_destroy(&op_why);

    dpif_operate(dp->dpif, ops, n_ops, DPIF_OFFLOAD_AUTO);
    bool put = false;
    for (size_t i = 0; i < n; i++) {
        const struct dpif_op *op = &aops[i].op;

        if (!aops[i].error && !op->error && op->type == DPIF_OP_FLOW_PUT
            && !(op->flow_put.flags & DPIF_FP_PROBE)) {
            put = true;
            if (op->flow_put.ufid) {
                agent_metrics_flow_installed(dp->metrics, &aops[i].ufid);
                agent_upcalls_flow_put(dp->upcalls, &aops[i].ufid);
            }
        }
    }
    if (put) {
        struct dpu_crash_point *after
            = agent_crash_point(AGENT_CP_FLOW_PUT_AFTER_ACK);

        dpu_crash_point_reached(
            agent_crash_point(AGENT_CP_FLOW_PUT_BEFORE_ACK));
        if (dpu_crash_point_hit(after)) {
            agent_request_crash_after_reply(req, after);
        }
    }

    for (size_t i = 0; i < n; i++) {
        struct agent_op *aop = &aops[i];

        put_op_result(reply, aop, i, n);
        if (aop->op.type == DPIF_OP_FLOW_GET && !aop->error) {
            ofpbuf_uninit(&aop->buf);
        }
        dp_packet_delete(aop->packet);
    }
    free(aops);
    return 0;
}

int
agent_dp_flow_flush(const struct agent_request *req,
                    struct ofpbuf *reply OVS_UNUSED, struct ds *why)
{
    int error = dpif_flow_flush(agent_server_dp(req->server)->dpif);

    if (error) {
        ds_put_format(why, "cannot flush flows (%s)", ovs_strerror(error));
    }
    return error;
}

/* Flow dumps. */

struct agent_flow_dump {
    struct agent_dump up;
    struct dpif_flow_dump *dump;
    struct dpif_flow_dump_thread *thread;
};

static void
flow_dump_destroy(struct agent_dump *d)
{
    struct agent_flow_dump *fd = CONTAINER_OF(d, struct agent_flow_dump, up);

    dpif_flow_dump_thread_destroy(fd->thread);
    dpif_flow_dump_destroy(fd->dump);
    free(fd);
}

static const struct agent_dump_class flow_dump_class = {
    "flow", flow_dump_destroy,
};

int
agent_dp_flow_dump(const struct agent_request *req, struct ofpbuf *reply,
                   struct ds *why)
{
    struct agent_dp *dp = agent_server_dp(req->server);
    const struct dpu_msg *msg = req->msg;
    uint32_t id = nl_attr_get_u32(msg->attrs[DPU_ATTR_DUMP_ID]);
    int max = MIN(nl_attr_get_u32(msg->attrs[DPU_ATTR_MAX_FLOWS]),
                  MAX_FLOWS_PER_REPLY);
    bool terse = msg->attrs[DPU_ATTR_TERSE] != NULL;
    struct agent_dump *d = agent_session_find_dump(req->session, id);
    struct dpif_flow flows[MAX_FLOWS_PER_REPLY];
    struct agent_flow_dump *fd;
    int n;

    if (d && d->class != &flow_dump_class) {
        ds_put_format(why, "dump %"PRIu32" is a %s dump", id,
                      d->class->name);
        return EINVAL;
    } else if (d) {
        fd = CONTAINER_OF(d, struct agent_flow_dump, up);
    } else {
        int error;

        fd = xzalloc(sizeof *fd);
        error = agent_session_add_dump(req->session, &fd->up, id,
                                       &flow_dump_class, why);
        if (error) {
            free(fd);
            return error;
        }
        fd->dump = dpif_flow_dump_create(dp->dpif, terse, NULL);
        fd->thread = dpif_flow_dump_thread_create(fd->dump);
    }

    n = dpif_flow_dump_next(fd->thread, flows, MAX(max, 1));
    for (int i = 0; i < n; i++) {
        dpu_put_flow(reply, &flows[i], terse);
    }
    if (n) {
        agent_reply_set_more(reply);
    } else {
        agent_dump_destroy(&fd->up);
    }
    return 0;
}

/* The datapath as a whole. */

int
agent_dp_get_stats(const struct agent_dp *dp, struct dpif_dp_stats *stats)
{
    int error = dpif_get_dp_stats(dp->dpif, stats);

    if (!error) {
        agent_upcalls_fix_stats(dp->upcalls, stats);
    }
    return error;
}

int
agent_dp_get_stats_request(const struct agent_request *req,
                           struct ofpbuf *reply, struct ds *why)
{
    struct dpif_dp_stats stats;
    int error;

    error = agent_dp_get_stats(agent_server_dp(req->server), &stats);
    if (error) {
        ds_put_format(why, "cannot read datapath counters (%s)",
                      ovs_strerror(error));
    } else {
        dpu_put_dp_stats(reply, DPU_ATTR_DP_STATS, &stats);
    }
    return error;
}

int
agent_dp_set_config(const struct agent_request *req,
                    struct ofpbuf *reply OVS_UNUSED, struct ds *why)
{
    struct agent_dp *dp = agent_server_dp(req->server);
    struct smap config = SMAP_INITIALIZER(&config);
    int vlan_limit;

    if (!dpu_parse_smap(req->msg->attrs[DPU_ATTR_CONFIG], &config)) {
        smap_destroy(&config);
        ds_put_cstr(why, "malformed configuration");
        return EINVAL;
    }

    /* The datapath must parse flow keys as the host does.  The performance
     * settings of the host's own userspace datapath (pmd-cpu-mask, ...)
     * describe the host, not this DPU. */
    vlan_limit = smap_get_int(&config, "vlan-limit", LEGACY_MAX_VLAN_HEADERS);
    if (vlan_limit != dp->vlan_limit) {
        VLOG_INFO("parsing %d VLAN header(s) (0: all), as the host does",
                  vlan_limit);
        dp->vlan_limit = vlan_limit;
    }
    flow_limit_vlans(vlan_limit);
    smap_destroy(&config);
    return 0;
}

int
agent_dp_get_metrics(const struct agent_dp *dp, struct dpu_metrics *m)
{
    const struct shash_node **nodes;
    struct dpif_dp_stats st;
    size_t n;
    int error;

    error = agent_dp_get_stats(dp, &st);
    if (error) {
        return error;
    }
    m->n_hit = st.n_hit;
    m->n_missed = st.n_missed;
    m->n_lost = st.n_lost;
    m->n_flows = st.n_flows;

    nodes = shash_sort(&dp->ports);
    n = shash_count(&dp->ports);
    m->ports = xcalloc(MAX(n, 1), sizeof *m->ports);
    for (size_t i = 0; i < n; i++) {
        const struct agent_port *port = nodes[i]->data;
        struct dpu_metrics_port *p = &m->ports[m->n_ports++];

        netdev_get_stats(port->netdev, &p->stats);
        p->port_no = port->port_no;
        p->name = xstrdup(nodes[i]->name);
    }
    free(nodes);
    return 0;
}

void
agent_dp_execute(struct agent_dp *dp, struct dp_packet *packet,
                 const struct nlattr *actions, size_t actions_len,
                 const char *what, odp_port_t port_no)
{
    struct dpif_execute execute;
    struct flow flow;
    int error;

    flow_extract(packet, &flow);
    memset(&execute, 0, sizeof execute);
    execute.actions = actions;
    execute.actions_len = actions_len;
    execute.packet = packet;
    execute.flow = &flow;
    error = dpif_execute(dp->dpif, &execute);
    if (error) {
        VLOG_WARN_RL(&exec_rl, "%s on port %"PRIu32" failed (%s)", what,
                     odp_to_u32(port_no), ovs_strerror(error));
    }
}

void
agent_dp_format(const struct agent_dp *dp, struct ds *ds)
{
    const struct shash_node **nodes = shash_sort(&dp->ports);

    ds_put_format(ds, "ports: %"PRIuSIZE"\n", shash_count(&dp->ports));
    for (size_t i = 0; i < shash_count(&dp->ports); i++) {
        const struct agent_port *port = nodes[i]->data;
        enum netdev_flags flags;

        ds_put_format(ds, "  %"PRIu32": %s (%s)",
                      odp_to_u32(port->port_no), nodes[i]->name,
                      netdev_get_type(port->netdev));
        if (!netdev_get_flags(port->netdev, &flags)
            && !(flags & NETDEV_UP)) {
            ds_put_cstr(ds, ", down");
        } else if (!netdev_get_carrier(port->netdev)) {
            ds_put_cstr(ds, ", no carrier");
        }
        ds_put_char(ds, '\n');
    }
    free(nodes);
}
