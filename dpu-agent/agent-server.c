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
#include "agent-server.h"

#include <errno.h>
#include <signal.h>

#include "agent-ipfix.h"
#include "agent-metrics.h"
#include "coverage.h"
#include "ct-dpif.h"
#include "dp-packet.h"
#include "dpif.h"
#include "dpif-netdev.h"
#include "dpif-provider.h"
#include "dpu-actions.h"
#include "dpu-channel.h"
#include "dpu-codec.h"
#include "flow.h"
#include "netdev.h"
#include "netlink.h"
#include "odp-util.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/list.h"
#include "openvswitch/ofp-meter.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "ovs-thread.h"
#include "packets.h"
#include "seq.h"
#include "smap.h"
#include "sset.h"
#include "stream.h"
#include "timeval.h"
#include "util.h"
#include "uuid.h"

VLOG_DEFINE_THIS_MODULE(agent_server);

COVERAGE_DEFINE(agent_upcall);          /* Upcall queued for the host. */
COVERAGE_DEFINE(agent_upcall_dropped);  /* No host, or its queue full. */
COVERAGE_DEFINE(agent_bad_request);     /* Malformed request from a host. */
COVERAGE_DEFINE(agent_rx_dropped);      /* Received while not active. */
COVERAGE_DEFINE(agent_rx_held);         /* Held while preparing. */
COVERAGE_DEFINE(agent_rx_hold_full);    /* Dropped: too many held. */
COVERAGE_DEFINE(agent_rx_replayed);     /* Held, forwarded on activation. */
COVERAGE_DEFINE(agent_announce);        /* Announcement sent on activation. */
COVERAGE_DEFINE(agent_rx_reflection);   /* Own address back on an uplink. */
COVERAGE_DEFINE(agent_lease_expired);   /* Stood by: the host fell silent. */
COVERAGE_DEFINE(agent_rx_drained);      /* From an uplink, delivered while
                                         * standing by after a handover. */
COVERAGE_DEFINE(agent_rx_handed_over);  /* Not forwarded: the previous active
                                         * DPU did. */
COVERAGE_DEFINE(agent_rx_taken_over);   /* Received while standby, forwarded
                                         * on activation: the previous
                                         * active DPU did not. */
COVERAGE_DEFINE(agent_handover_timeout);    /* A port's last packet
                                             * forwarded by the previous
                                             * active DPU never came. */

/* A misbehaving host must not fill the DPU's log. */
static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

/* Most upcalls waiting to be sent; more are dropped and counted. */
#define MAX_QUEUED_UPCALLS 4096

/* Most dumps (flow and conntrack) open on one connection. */
#define MAX_DUMPS 16

/* Most conntrack entries in one CT_DUMP reply, about 200 bytes each. */
#define MAX_CT_ENTRIES_PER_REPLY 1024

/* The features of OVS's userspace datapath, for the keys of upcalls. */
static const struct odp_support agent_odp_support = {
    .max_vlan_headers = SIZE_MAX,
    .max_mpls_depth = SIZE_MAX,
    .recirc = true,
    .ct_state = true,
    .ct_zone = true,
    .ct_mark = true,
    .ct_label = true,
    .ct_state_nat = true,
    .ct_orig_tuple = true,
    .ct_orig_tuple6 = true,
};

struct agent_port {
    struct shash_node *node;    /* In 'ports', by name. */
    struct netdev *netdev;
    odp_port_t port_no;
    uint64_t change_seq;
};

/* A flow dump ('dump' and 'thread') or a conntrack dump ('ct'). */
struct agent_dump {
    struct ovs_list list_node;
    uint32_t id;
    struct dpif_flow_dump *dump;
    struct dpif_flow_dump_thread *thread;
    struct ct_dpif_dump_state *ct;
};

struct agent_session {
    struct ovs_list list_node;  /* In 'sessions'. */
    struct dpu_channel *channel;
    bool hello_done;
    bool want_upcalls;
    struct ovs_list dumps;      /* struct agent_dump. */
    uint64_t n_requests, n_errors;
};

struct agent_server {
    struct pstream *pstream;
    char *remote;
    struct dpu_identity id;
    ovs_u128 boot_id;
    uint32_t caps;              /* DPU_CAP_*, announced in HELLO. */
    uint8_t version_min;        /* The protocol versions it speaks. */
    uint8_t version_max;
    bool dummy;

    struct dpif *dpif;
    struct shash ports;         /* struct agent_port, by name. */
    int vlan_limit;             /* Host's other_config:vlan-limit. */
    struct ovs_list sessions;   /* struct agent_session. */
    struct agent_session *upcall_session;   /* Receives upcalls, or NULL. */

    /* Upcalls from datapath threads, waiting for the main loop. */
    struct ovs_mutex upcall_mutex;
    struct ovs_list upcalls OVS_GUARDED;    /* ofpbufs: UPCALL messages. */
    size_t n_upcalls OVS_GUARDED;
    uint64_t n_upcalls_sent;
    uint64_t n_upcalls_dropped OVS_GUARDED;     /* Queue full, or unsent. */

    /* dpif-netdev counts as "lost" every upcall whose callback returns
     * nonzero, which includes each one queued for the host.  DP_GET_STATS
     * moves those to "missed" and adds the queued upcalls that could not be
     * sent, so that the host sees the truth. */
    uint64_t n_upcalls_queued OVS_GUARDED;
    uint64_t n_upcalls_unsent OVS_GUARDED;
    struct seq *upcall_seq;

    struct agent_metrics *metrics;      /* For GET_METRICS. */
    struct agent_ipfix *ipfix;          /* For IPFIX_SET. */

    /* Roles (see "Roles" below).
     *
     * The main thread writes 'role' with 'role_mutex' held.  The threads
     * that poll ports read it in agent_rx_hook(): without the mutex for a
     * quick look, and with it before they act on a role other than active.
     * 'role_mutex' also guards what those threads share with the main
     * thread; the rest of this block belongs to the main thread.  No other
     * lock is taken with 'role_mutex' held. */
    struct ovs_mutex role_mutex;
    atomic_int role;                    /* DPU_ROLE_*, or AGENT_ROLE_FAILED. */
    odp_port_t *uplinks OVS_GUARDED_BY(role_mutex);     /* Sorted. */
    size_t n_uplinks OVS_GUARDED_BY(role_mutex);
    struct hmap learned OVS_GUARDED_BY(role_mutex);     /* agent_learned. */
    struct dp_packet **held OVS_GUARDED_BY(role_mutex); /* AGENT_MAX_HELD,
                                                         * while preparing,
                                                         * in order. */
    size_t n_held OVS_GUARDED_BY(role_mutex);
    uint64_t n_rx_dropped OVS_GUARDED_BY(role_mutex);   /* Not active. */
    uint64_t n_rx_held OVS_GUARDED_BY(role_mutex);      /* While preparing. */
    uint64_t n_rx_replayed;             /* Held, then forwarded. */
    uint32_t lease_ms;                  /* 0: none. */
    atomic_bool leased;                 /* lease_ms != 0: an active DPU of
                                         * a pair, which records what it
                                         * forwards for a handover. */
    long long int last_host_rx;         /* Last message from any host. */
    long long int next_expiry;          /* Next aging of 'learned'. */
    uint64_t n_announcements;
    atomic_llong reflect_until;         /* Until then, an active DPU drops
                                         * what arrives on an uplink from an
                                         * address it announced. */
    uint64_t n_reflections OVS_GUARDED_BY(role_mutex);

    /* Handover (see "Handover" below). */
    struct hmap tails OVS_GUARDED_BY(role_mutex);   /* agent_tail, by port,
                                                     * while active. */
    struct agent_recent *recent OVS_GUARDED_BY(role_mutex);
                                        /* AGENT_MAX_RECENT, a ring, while
                                         * standby. */
    size_t recent_head OVS_GUARDED_BY(role_mutex);  /* Oldest. */
    size_t n_recent OVS_GUARDED_BY(role_mutex);
    uint64_t recent_seq OVS_GUARDED_BY(role_mutex); /* Next 'seq'. */
    long long int recent_since OVS_GUARDED_BY(role_mutex);
                                        /* time_usec(): 'recent' holds every
                                         * packet received later. */
    struct agent_cut *cuts OVS_GUARDED_BY(role_mutex);
    size_t n_cuts OVS_GUARDED_BY(role_mutex);
    long long int cut_deadline OVS_GUARDED_BY(role_mutex);  /* time_msec() */
    long long int drain_until OVS_GUARDED_BY(role_mutex);   /* time_msec() */
    uint64_t n_drained OVS_GUARDED_BY(role_mutex);
    uint64_t n_handed_over OVS_GUARDED_BY(role_mutex);
    uint64_t n_taken_over OVS_GUARDED_BY(role_mutex);
    uint64_t n_handover_timeouts OVS_GUARDED_BY(role_mutex);
    uint64_t n_handover_timeouts_logged;
    long long int announce_at OVS_GUARDED_BY(role_mutex);  /* time_msec() of
                                                           * a deferred
                                                           * announcement,
                                                           * or 0. */
    char *fault;                        /* Injected fault, or NULL. */
    long long int hang_until;           /* 0, LLONG_MAX, or a deadline. */
    struct shash alerts;                /* Hardware health alerts, struct
                                         * dpu_health by sensor. */
};

static int handle_set_role(struct agent_server *, const struct ofpbuf *,
                           const struct dpu_msg *, struct ofpbuf *reply,
                           struct ds *why);
static int agent_wire_role(const struct agent_server *);
static void agent_send_event(struct agent_server *, struct agent_session *,
                             const char *event, const char *details);
static void agent_send_health(struct agent_server *, struct agent_session *);

/* An internal role beyond those of the protocol: a fatal error (emulated
 * PCI error).  The DPU forwards nothing and learns nothing until the fault
 * is cleared; hosts see it as DPU_ROLE_STANDBY. */
#define AGENT_ROLE_FAILED 3

/* Most addresses learned while standby, how long one lasts without being
 * seen again, and how often the agent forgets those that did not. */
#define AGENT_MAX_LEARNED 4096
#define AGENT_LEARN_IDLE_MS (300 * 1000)
#define AGENT_LEARN_EXPIRY_INTERVAL_MS (10 * 1000)

/* Most packets that a preparing DPU holds for when it becomes active: at
 * 10 Gb/s of small packets, about the first 70 us of a switchover. */
#define AGENT_MAX_HELD 1024

/* How long after announcing an active DPU takes packets that come in on an
 * uplink from one of the addresses it announced for the network flooding
 * its announcements back (see agent_drop_reflections()). */
#define AGENT_REFLECT_WINDOW_MS 1000

/* A standby DPU keeps the packets its ports that are not uplinks received in
 * the last AGENT_RECENT_MS, at most AGENT_MAX_RECENT, for a handover: at
 * 10,000 packets per second from a VM, 50 ms are 500 packets. */
#define AGENT_RECENT_MS 50
#define AGENT_MAX_RECENT 4096

/* How long a DPU that became active in a handover waits, at most, for the
 * last packets that the previous active DPU forwarded from a port, if it
 * has not received them yet. */
#define AGENT_HANDOVER_WAIT_MS 50

/* How long a DPU that became active in a handover waits before it announces
 * the addresses it has not forwarded a packet from meanwhile (see
 * agent_announce()).  Shorter than the host's drain, DPU_HA_DRAIN_MS. */
#define AGENT_HANDOVER_ANNOUNCE_MS 100

/* A packet received on a port that is not an uplink, while standby. */
struct agent_recent {
    struct dp_packet *packet;   /* A copy. */
    odp_port_t port;
    uint32_t hash;              /* dpu_packet_hash(). */
    long long int usec;         /* time_usec() when received. */
};

/* The last packets that an active DPU forwarded from a port that is not an
 * uplink. */
struct agent_tail {
    struct hmap_node node;      /* In 'tails', by port. */
    odp_port_t port;
    uint32_t hashes[DPU_HANDOVER_HASHES];   /* A ring, 'next' the oldest. */
    unsigned int n, next;
    long long int usec;         /* time_usec() of the newest. */
};

/* What a DPU that became active in a handover still waits for from a port:
 * the packets the previous active DPU forwarded last. */
enum agent_cut_state {
    AGENT_CUT_BEFORE,           /* None of them received yet: whatever
                                 * arrives, the previous DPU forwarded. */
    AGENT_CUT_WITHIN,           /* Some received: the rest of them arrive
                                 * yet, anything else is new. */
};
struct agent_cut {
    struct dpu_handover h;
    enum agent_cut_state state;
};

/* An address seen behind a port that is not an uplink, while standby. */
struct agent_learned {
    struct hmap_node node;      /* In 'learned', by MAC and VLAN. */
    struct eth_addr mac;
    uint16_t vlan;              /* VLAN id, 0 if untagged. */
    ovs_be32 ip;                /* ARP sender or IPv4 source, 0 if none. */
    odp_port_t port;            /* The port it was last seen on. */
    long long int seen;
    bool forwarded;             /* Forwarded from since a handover, while
                                 * 'announce_at' is set. */
};

/* Upcalls. */

static int
agent_upcall_cb(const struct dp_packet *packet, const struct flow *flow,
                ovs_u128 *ufid, unsigned pmd_id OVS_UNUSED,
                enum dpif_upcall_type type, const struct nlattr *userdata,
                struct ofpbuf *actions OVS_UNUSED,
                struct flow_wildcards *wc OVS_UNUSED,
                struct ofpbuf *put_actions OVS_UNUSED, void *server_)
{
    struct agent_server *server = server_;
    struct odp_flow_key_parms parms = {
        .flow = flow,
        .support = agent_odp_support,
    };
    struct ofpbuf *msg;

    /* A sample that this DPU exports itself: nothing for the host, and no
     * actions to run (a userspace() action has none). */
    if (type == DPIF_UC_ACTION && userdata
        && agent_ipfix_sample(server->ipfix, packet, flow, userdata)) {
        return 0;
    }

    if (dp_packet_size(packet) > UINT16_MAX - 64) {
        COVERAGE_INC(agent_upcall_dropped);
        return EMSGSIZE;
    }

    msg = ofpbuf_new(dp_packet_size(packet) + 512);
    dpu_msg_start(msg, DPU_MSG_UPCALL, 0, 0);
    dpu_put_upcall(msg, type, packet, &parms, ufid, userdata);
    dpu_msg_finish(msg);

    ovs_mutex_lock(&server->upcall_mutex);
    if (server->n_upcalls >= MAX_QUEUED_UPCALLS) {
        server->n_upcalls_dropped++;
        ovs_mutex_unlock(&server->upcall_mutex);
        COVERAGE_INC(agent_upcall_dropped);
        ofpbuf_delete(msg);
        return ENOBUFS;
    }
    ovs_list_push_back(&server->upcalls, &msg->list_node);
    server->n_upcalls++;
    server->n_upcalls_queued++;
    ovs_mutex_unlock(&server->upcall_mutex);
    seq_change(server->upcall_seq);
    COVERAGE_INC(agent_upcall);
    if (type == DPIF_UC_MISS) {
        agent_metrics_miss(server->metrics, ufid);
    }

    /* The host decides what to do with the packet: it answers with an
     * OPERATE that installs a flow and executes the packet.  ENOSPC tells
     * dpif-netdev to install no flow and to drop its copy of the packet (it
     * counts the packet as lost, see 'n_upcalls_queued'). */
    return ENOSPC;
}

static void
send_upcalls(struct agent_server *server)
{
    struct ovs_list upcalls;
    struct ofpbuf *msg;

    ovs_mutex_lock(&server->upcall_mutex);
    ovs_list_move(&upcalls, &server->upcalls);
    ovs_list_init(&server->upcalls);
    server->n_upcalls = 0;
    ovs_mutex_unlock(&server->upcall_mutex);

    LIST_FOR_EACH_POP (msg, list_node, &upcalls) {
        if (server->upcall_session
            && !dpu_channel_send(server->upcall_session->channel, msg)) {
            server->n_upcalls_sent++;
        } else {
            if (!server->upcall_session) {
                ofpbuf_delete(msg);
            }
            COVERAGE_INC(agent_upcall_dropped);
            ovs_mutex_lock(&server->upcall_mutex);
            server->n_upcalls_dropped++;
            server->n_upcalls_unsent++;
            ovs_mutex_unlock(&server->upcall_mutex);
        }
    }
}

/* Ports. */

static struct agent_port *
find_port(const struct agent_server *server, const char *name)
{
    return shash_find_data(&server->ports, name);
}

static const char *
default_port_type(const struct agent_server *server, const char *type)
{
    if (!strcmp(type, "internal")) {
        return dpif_port_open_type(server->dummy ? "dummy" : "netdev",
                                   "internal");
    } else if (!type[0]) {
        return server->dummy ? "dummy" : "system";
    }
    return type;
}

static int
port_add(struct agent_server *server, odp_port_t port_no, const char *name,
         const char *type_, const struct smap *options, struct ds *why)
{
    const char *type = default_port_type(server, type_);
    struct agent_port *port = find_port(server, name);
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
    SHASH_FOR_EACH (node, &server->ports) {
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
    error = dpif_port_add(server->dpif, netdev, &port_no);
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
    port->node = shash_add(&server->ports, name, port);
    if (netdev_get_tunnel_config(netdev)) {
        agent_ipfix_add_tunnel_port(server->ipfix, port_no, type);
    }
    VLOG_INFO("added port %s (%s) as %"PRIu32, name, type,
              odp_to_u32(port_no));
    return 0;
}

static void
port_destroy(struct agent_server *server, struct agent_port *port)
{
    agent_ipfix_del_port(server->ipfix, port->port_no);
    shash_delete(&server->ports, port->node);
    netdev_close(port->netdev);
    free(port);
}

static int
port_del(struct agent_server *server, odp_port_t port_no, struct ds *why)
{
    struct shash_node *node;

    SHASH_FOR_EACH (node, &server->ports) {
        struct agent_port *port = node->data;

        if (port->port_no == port_no) {
            int error = dpif_port_del(server->dpif, port_no, false);

            if (error) {
                ds_put_format(why, "%s", ovs_strerror(error));
                return error;
            }
            VLOG_INFO("deleted port %s (%"PRIu32")", node->name,
                      odp_to_u32(port_no));
            port_destroy(server, port);
            return 0;
        }
    }
    ds_put_format(why, "no port %"PRIu32, odp_to_u32(port_no));
    return ENOENT;
}

/* Appends the IP addresses of 'netdev', if it has any, to 'state', in
 * 'addrs', which has room for DPU_MAX_IN6_ADDRS. */
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

/* Notifies the host of ports whose device changed (carrier, MTU, MAC). */
static void
check_port_changes(struct agent_server *server)
{
    struct shash_node *node;

    SHASH_FOR_EACH (node, &server->ports) {
        struct agent_port *port = node->data;
        uint64_t seq = netdev_get_change_seq(port->netdev);

        if (seq != port->change_seq) {
            port->change_seq = seq;
            if (server->upcall_session) {
                struct ofpbuf *b = ofpbuf_new(128);

                dpu_msg_start(b, DPU_MSG_PORT_EVENT, 0, 0);
                nl_msg_put_string(b, DPU_ATTR_PORT_NAME, node->name);
                dpu_msg_finish(b);
                dpu_channel_send(server->upcall_session->channel, b);
            }
        }
    }
}

/* Flow operations. */

struct agent_op {
    struct dpif_op op;
    struct dpif_op *opp;
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
agent_check_tnl_push(const struct ovs_action_push_tnl *data, void *server_,
                     struct ds *why)
{
    struct agent_server *server = server_;
    struct shash_node *node;

    SHASH_FOR_EACH (node, &server->ports) {
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
decode_op(struct agent_server *server, const struct nlattr *nla,
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
                                  agent_check_tnl_push, server, why);
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

static void
handle_operate(struct agent_server *server, const struct ofpbuf *request,
               struct ofpbuf *reply, uint32_t xid)
{
    const void *attrs = ofpbuf_at(request, DPU_HEADER_LEN, 0);
    size_t attrs_len = request->size - DPU_HEADER_LEN;
    struct dpif_op *ops[DPU_MAX_BATCH];
    struct ds why = DS_EMPTY_INITIALIZER;
    const struct nlattr *nla;
    size_t n = 0, n_ops = 0, left;
    struct agent_op *aops;

    /* A struct agent_op is about 1 kB: allocate as many as the request
     * holds, not DPU_MAX_BATCH, since most batches hold few operations. */
    NL_ATTR_FOR_EACH (nla, left, attrs, attrs_len) {
        n += nl_attr_type(nla) == DPU_ATTR_OP;
    }
    if (n > DPU_MAX_BATCH) {
        dpu_msg_put_error(reply, xid, E2BIG, "more than %d operations",
                          DPU_MAX_BATCH);
        return;
    }
    aops = xcalloc(MAX(n, 1), sizeof *aops);

    n = 0;
    NL_ATTR_FOR_EACH (nla, left, attrs, attrs_len) {
        if (nl_attr_type(nla) != DPU_ATTR_OP) {
            continue;
        }
        ds_clear(&why);
        aops[n].error = decode_op(server, nla, &aops[n], &why);
        if (aops[n].error) {
            COVERAGE_INC(agent_bad_request);
            VLOG_WARN_RL(&rl, "operation %"PRIuSIZE" of batch is malformed "
                         "(%s)%s%s", n, ovs_strerror(aops[n].error),
                         why.length ? ": " : "", ds_cstr(&why));
        } else {
            ops[n_ops++] = &aops[n].op;
        }
        n++;
    }
    ds_destroy(&why);

    dpif_operate(server->dpif, ops, n_ops, DPIF_OFFLOAD_AUTO);
    for (size_t i = 0; i < n; i++) {
        const struct dpif_op *op = &aops[i].op;

        if (!aops[i].error && !op->error && op->type == DPIF_OP_FLOW_PUT
            && op->flow_put.ufid
            && !(op->flow_put.flags & DPIF_FP_PROBE)) {
            agent_metrics_flow_installed(server->metrics, &aops[i].ufid);
        }
    }

    dpu_msg_start(reply, DPU_MSG_OPERATE, xid, DPU_F_REPLY);
    for (size_t i = 0; i < n; i++) {
        struct agent_op *aop = &aops[i];
        int error = aop->error ? aop->error : aop->op.error;

        if (!error && aop->op.type == DPIF_OP_FLOW_GET
            && (reply->size + OP_RESULT_FLOW_OVERHEAD
                + aop->flow.key_len + aop->flow.mask_len
                + aop->flow.actions_len
                + (n - i - 1) * OP_RESULT_MAX_SMALL > DPU_MAX_MSG_LEN)) {
            /* The flow does not fit in the reply: the host can get it
             * alone. */
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
        if (aop->op.type == DPIF_OP_FLOW_GET && !aop->error) {
            ofpbuf_uninit(&aop->buf);
        }
        dp_packet_delete(aop->packet);
    }
    dpu_msg_finish(reply);
    free(aops);
}

/* Flow dumps. */

static struct agent_dump *
find_dump(struct agent_session *s, uint32_t id)
{
    struct agent_dump *d;

    LIST_FOR_EACH (d, list_node, &s->dumps) {
        if (d->id == id) {
            return d;
        }
    }
    return NULL;
}

static void
dump_destroy(struct agent_dump *d)
{
    ovs_list_remove(&d->list_node);
    if (d->ct) {
        ct_dpif_dump_done(d->ct);
    } else {
        dpif_flow_dump_thread_destroy(d->thread);
        dpif_flow_dump_destroy(d->dump);
    }
    free(d);
}

static void
handle_flow_dump(struct agent_server *server, struct agent_session *s,
                 const struct dpu_msg *msg, struct ofpbuf *reply)
{
    uint32_t id = nl_attr_get_u32(msg->attrs[DPU_ATTR_DUMP_ID]);
    int max = MIN(nl_attr_get_u32(msg->attrs[DPU_ATTR_MAX_FLOWS]), 64);
    bool terse = msg->attrs[DPU_ATTR_TERSE] != NULL;
    struct dpif_flow flows[64];
    struct agent_dump *d = find_dump(s, id);
    int n;

    if (d && d->ct) {
        dpu_msg_put_error(reply, msg->xid, EINVAL, "dump %"PRIu32" is a "
                          "conntrack dump", id);
        return;
    } else if (!d) {
        if (ovs_list_size(&s->dumps) >= MAX_DUMPS) {
            dpu_msg_put_error(reply, msg->xid, EBUSY, "too many dumps");
            return;
        }
        d = xzalloc(sizeof *d);
        d->id = id;
        d->dump = dpif_flow_dump_create(server->dpif, terse, NULL);
        d->thread = dpif_flow_dump_thread_create(d->dump);
        ovs_list_push_back(&s->dumps, &d->list_node);
    }

    n = dpif_flow_dump_next(d->thread, flows, MAX(max, 1));
    dpu_msg_start(reply, DPU_MSG_FLOW_DUMP, msg->xid,
                  DPU_F_REPLY | (n ? DPU_F_MORE : 0));
    for (int i = 0; i < n; i++) {
        dpu_put_flow(reply, &flows[i], terse);
    }
    dpu_msg_finish(reply);
    if (!n) {
        dump_destroy(d);
    }
}

/* Conntrack dumps. */

/* Answers CT_DUMP 'msg' in 'reply': starts dump DUMP_ID or continues it. */
static void
handle_ct_dump(struct agent_server *server, struct agent_session *s,
               const struct dpu_msg *msg, struct ofpbuf *reply)
{
    uint32_t id = nl_attr_get_u32(msg->attrs[DPU_ATTR_DUMP_ID]);
    struct agent_dump *d = find_dump(s, id);
    struct ofpbuf entries;
    bool done = false;

    if (d && !d->ct) {
        dpu_msg_put_error(reply, msg->xid, EINVAL, "dump %"PRIu32" is a "
                          "flow dump", id);
        return;
    } else if (!d) {
        const struct nlattr *zone_attr = msg->attrs[DPU_ATTR_CT_ZONE];
        uint16_t zone = zone_attr ? nl_attr_get_u16(zone_attr) : 0;
        struct ct_dpif_dump_state *ct;
        int tot_bkts, error;

        if (ovs_list_size(&s->dumps) >= MAX_DUMPS) {
            dpu_msg_put_error(reply, msg->xid, EBUSY, "too many dumps");
            return;
        }
        error = ct_dpif_dump_start(server->dpif, &ct,
                                   zone_attr ? &zone : NULL, &tot_bkts);
        if (error) {
            dpu_msg_put_error(reply, msg->xid, error, "cannot dump "
                              "connections (%s)", ovs_strerror(error));
            return;
        }
        d = xzalloc(sizeof *d);
        d->id = id;
        d->ct = ct;
        ovs_list_push_back(&s->dumps, &d->list_node);
    }

    ofpbuf_init(&entries, 4096);
    for (int n = 0; n < MAX_CT_ENTRIES_PER_REPLY; n++) {
        struct ct_dpif_entry entry;

        if (ct_dpif_dump_next(d->ct, &entry)) {
            done = true;
            break;
        }
        dpu_put_ct_entry(&entries, DPU_ATTR_CT_ENTRY, &entry);
        ct_dpif_entry_uninit(&entry);
    }
    dpu_msg_start(reply, DPU_MSG_CT_DUMP, msg->xid,
                  DPU_F_REPLY | (done ? 0 : DPU_F_MORE));
    ofpbuf_put(reply, entries.data, entries.size);
    dpu_msg_finish(reply);
    ofpbuf_uninit(&entries);
    if (done) {
        dump_destroy(d);
    }
}

/* Meters. */

/* Sets meter METER_ID of 'msg' to its METER.  Returns 0 or a positive errno
 * value, with the cause appended to 'why'. */
static int
meter_set(struct agent_server *server, const struct dpu_msg *msg,
          struct ds *why)
{
    uint32_t id = nl_attr_get_u32(msg->attrs[DPU_ATTR_METER_ID]);
    struct ofputil_meter_band bands[DPU_METER_MAX_BANDS];
    struct ofputil_meter_features features;
    ofproto_meter_id meter_id = { .uint32 = id };
    struct ofputil_meter_config config;
    int error;

    dpif_meter_get_features(server->dpif, &features);
    ds_put_format(why, "meter %"PRIu32": ", id);
    error = dpu_parse_meter_config(msg->attrs[DPU_ATTR_METER], &config,
                                   bands, MIN(features.max_bands,
                                              DPU_METER_MAX_BANDS), why);
    if (error) {
        return error;
    }
    if (id >= features.max_meters) {
        ds_put_format(why, "id out of range (%"PRIu32" meters)",
                      features.max_meters);
        return EFBIG;
    }
    if (config.flags & ~features.capabilities) {
        ds_put_format(why, "unsupported flags %#"PRIx32,
                      config.flags & ~features.capabilities);
        return EINVAL;
    }
    for (size_t i = 0; i < config.n_bands; i++) {
        uint16_t type = config.bands[i].type;

        if (type >= 32 || !(features.band_types & (UINT32_C(1) << type))) {
            ds_put_format(why, "band %"PRIuSIZE": unsupported type %"PRIu16,
                          i + 1, type);
            return EINVAL;
        }
    }
    error = dpif_meter_set(server->dpif, meter_id, &config);
    if (error) {
        ds_put_cstr(why, ovs_strerror(error));
    }
    return error;
}

/* Answers METER_GET or METER_DEL 'msg' in 'reply'.  Returns 0 or a positive
 * errno value, with the cause appended to 'why'. */
static int
meter_get_or_del(struct agent_server *server, const struct dpu_msg *msg,
                 struct ofpbuf *reply, struct ds *why)
{
    uint32_t id = nl_attr_get_u32(msg->attrs[DPU_ATTR_METER_ID]);
    struct ofputil_meter_band_stats bands[DPU_METER_MAX_BANDS];
    struct ofputil_meter_stats stats = { .bands = bands };
    ofproto_meter_id meter_id = { .uint32 = id };
    int error;

    error = (msg->type == DPU_MSG_METER_GET
             ? dpif_meter_get(server->dpif, meter_id, &stats,
                              DPU_METER_MAX_BANDS)
             : dpif_meter_del(server->dpif, meter_id, &stats,
                              DPU_METER_MAX_BANDS));
    if (error) {
        ds_put_format(why, "meter %"PRIu32": %s", id, ovs_strerror(error));
    } else {
        dpu_put_meter_stats(reply, DPU_ATTR_METER_STATS, &stats);
    }
    return error;
}

/* QoS. */

/* Callback for netdev_dump_queue_stats(): appends a QUEUE with the
 * statistics of 'queue_id' to the reply in 'reply_'. */
static void
put_queue_stats_cb(unsigned int queue_id, struct netdev_queue_stats *stats,
                   void *reply_)
{
    dpu_put_queue(reply_, queue_id, NULL, stats);
}

/* Answers QUEUE_DUMP 'msg' for 'port' in 'reply'.  Returns 0 or a positive
 * errno value, with the cause appended to 'why'. */
static int
queue_dump(const struct agent_port *port, const struct dpu_msg *msg,
           struct ofpbuf *reply, struct ds *why)
{
    const char *name = port->node->name;
    int error;

    if (msg->attrs[DPU_ATTR_WANT_STATS]) {
        error = netdev_dump_queue_stats(port->netdev, put_queue_stats_cb,
                                        reply);
    } else {
        struct netdev_queue_dump dump;
        struct smap details = SMAP_INITIALIZER(&details);
        unsigned int queue_id;

        NETDEV_QUEUE_FOR_EACH (&queue_id, &details, &dump, port->netdev) {
            dpu_put_queue(reply, queue_id, &details, NULL);
        }
        smap_destroy(&details);
        /* NETDEV_QUEUE_FOR_EACH leaves EOF in 'dump.error' at the end. */
        error = dump.error == EOF ? 0 : dump.error;
    }
    if (error) {
        ds_put_format(why, "%s: cannot dump queues (%s)", name,
                      ovs_strerror(error));
    } else if (reply->size > DPU_MAX_MSG_LEN) {
        ds_put_format(why, "%s: the queues do not fit in one message", name);
        error = EFBIG;
    }
    return error;
}

/* Answers QoS request 'msg' (QOS_* or QUEUE_*) in 'reply'.  Returns 0 or a
 * positive errno value, with the cause appended to 'why'. */
static int
handle_qos(struct agent_server *server, const struct dpu_msg *msg,
           struct ofpbuf *reply, struct ds *why)
{
    const char *name = nl_attr_get_string(msg->attrs[DPU_ATTR_PORT_NAME]);
    const struct nlattr *details_attr = msg->attrs[DPU_ATTR_QOS_DETAILS];
    const struct nlattr *id_attr = msg->attrs[DPU_ATTR_QUEUE_ID];
    unsigned int queue_id = id_attr ? nl_attr_get_u32(id_attr) : 0;
    struct smap details = SMAP_INITIALIZER(&details);
    struct agent_port *port = find_port(server, name);
    int error = 0;

    if (!port) {
        ds_put_format(why, "no port %s", name);
        return ENODEV;
    }
    if (details_attr && !dpu_parse_smap(details_attr, &details)) {
        ds_put_format(why, "%s: malformed QoS details", name);
        smap_destroy(&details);
        return EINVAL;
    }

    if (msg->type == DPU_MSG_QOS_GET_TYPES) {
        struct sset types = SSET_INITIALIZER(&types);
        const char *type;

        error = netdev_get_qos_types(port->netdev, &types);
        SSET_FOR_EACH (type, &types) {
            struct netdev_qos_capabilities caps;
            size_t ofs = nl_msg_start_nested(reply, DPU_ATTR_QOS_CAPS);

            nl_msg_put_string(reply, DPU_QOS_ATTR_TYPE, type);
            if (!netdev_get_qos_capabilities(port->netdev, type, &caps)) {
                nl_msg_put_u32(reply, DPU_QOS_ATTR_N_QUEUES, caps.n_queues);
            }
            nl_msg_end_nested(reply, ofs);
        }
        sset_destroy(&types);
        if (error) {
            ds_put_format(why, "%s: cannot list QoS types (%s)", name,
                          ovs_strerror(error));
        }
    } else if (msg->type == DPU_MSG_QOS_GET) {
        const char *type;

        error = netdev_get_qos(port->netdev, &type, &details);
        if (error) {
            ds_put_format(why, "%s: cannot read QoS (%s)", name,
                          ovs_strerror(error));
        } else {
            nl_msg_put_string(reply, DPU_ATTR_QOS_TYPE, type);
            dpu_put_smap(reply, DPU_ATTR_QOS_DETAILS, &details);
        }
    } else if (msg->type == DPU_MSG_QOS_SET) {
        const char *type = nl_attr_get_string(msg->attrs[DPU_ATTR_QOS_TYPE]);

        error = netdev_set_qos(port->netdev, type, &details);
        if (error) {
            ds_put_format(why, "%s: cannot set QoS type \"%s\" (%s)", name,
                          type, ovs_strerror(error));
        }
    } else if (msg->type == DPU_MSG_QUEUE_GET) {
        if (msg->attrs[DPU_ATTR_WANT_STATS]) {
            struct netdev_queue_stats stats;

            error = netdev_get_queue_stats(port->netdev, queue_id, &stats);
            if (!error) {
                dpu_put_queue(reply, queue_id, NULL, &stats);
            }
        } else {
            error = netdev_get_queue(port->netdev, queue_id, &details);
            if (!error) {
                dpu_put_queue(reply, queue_id, &details, NULL);
            }
        }
        if (error) {
            ds_put_format(why, "%s: cannot read queue %u (%s)", name,
                          queue_id, ovs_strerror(error));
        }
    } else if (msg->type == DPU_MSG_QUEUE_SET) {
        error = netdev_set_queue(port->netdev, queue_id, &details);
        if (error) {
            ds_put_format(why, "%s: cannot set queue %u (%s)", name,
                          queue_id, ovs_strerror(error));
        }
    } else if (msg->type == DPU_MSG_QUEUE_DEL) {
        error = netdev_delete_queue(port->netdev, queue_id);
        if (error) {
            ds_put_format(why, "%s: cannot delete queue %u (%s)", name,
                          queue_id, ovs_strerror(error));
        }
    } else {
        ovs_assert(msg->type == DPU_MSG_QUEUE_DUMP);
        error = queue_dump(port, msg, reply, why);
    }
    smap_destroy(&details);
    return error;
}

/* Returns the DPU_CAP_* bits that 'dpif' supports: recirculation and
 * tunnels always (OVS's userspace datapath), meters and conntrack if it
 * says so. */
static uint32_t
agent_caps(struct dpif *dpif)
{
    struct ofputil_meter_features meters;
    uint32_t caps = (DPU_CAP_RECIRC | DPU_CAP_TUNNELS | DPU_CAP_HA
                     | DPU_CAP_HEALTH | DPU_CAP_IPFIX);
    uint32_t maxconns;

    dpif_meter_get_features(dpif, &meters);
    if (meters.max_meters) {
        caps |= DPU_CAP_METERS;
    }
    if (!ct_dpif_get_maxconns(dpif, &maxconns)) {
        caps |= DPU_CAP_CT;
    }
    return caps;
}

/* Requests. */

/* Reads the datapath's counters into '*st' as hosts must see them.  Returns
 * 0 or a positive errno value. */
static int
get_dp_stats(struct agent_server *server, struct dpif_dp_stats *st)
{
    int error = dpif_get_dp_stats(server->dpif, st);

    if (!error) {
        ovs_mutex_lock(&server->upcall_mutex);
        /* dpif-netdev counts every upcall queued for the host as lost,
         * and updates its counters after the callbacks of a batch
         * return: clamp the difference during that window. */
        st->n_missed += server->n_upcalls_queued;
        st->n_lost = (st->n_lost > server->n_upcalls_queued
                      ? st->n_lost - server->n_upcalls_queued : 0)
                     + server->n_upcalls_unsent;
        ovs_mutex_unlock(&server->upcall_mutex);
    }
    return error;
}

/* Appends the agent's METRICS to 'reply'.  Returns 0 or a positive errno
 * value. */
static int
handle_get_metrics(struct agent_server *server, struct ofpbuf *reply)
{
    const struct shash_node **nodes;
    struct dpu_metrics m;
    struct dpif_dp_stats st;
    size_t n;
    int error;

    error = get_dp_stats(server, &st);
    if (error) {
        return error;
    }
    memset(&m, 0, sizeof m);
    agent_metrics_get(server->metrics, &m);
    m.n_hit = st.n_hit;
    m.n_missed = st.n_missed;
    m.n_lost = st.n_lost;
    m.n_flows = st.n_flows;

    nodes = shash_sort(&server->ports);
    n = shash_count(&server->ports);
    m.ports = xcalloc(MAX(n, 1), sizeof *m.ports);
    for (size_t i = 0; i < n; i++) {
        const struct agent_port *port = nodes[i]->data;
        struct dpu_metrics_port *p = &m.ports[m.n_ports++];

        netdev_get_stats(port->netdev, &p->stats);
        p->port_no = port->port_no;
        p->name = xstrdup(nodes[i]->name);
    }
    free(nodes);

    dpu_put_metrics(reply, &m);
    dpu_metrics_destroy(&m);
    return 0;
}

static void
handle_hello(struct agent_server *server, struct agent_session *s,
             const struct dpu_msg *msg, struct ofpbuf *reply)
{
    struct ds why = DS_EMPTY_INITIALIZER;
    struct dpu_hello_request req;
    uint8_t version;
    int error;

    /* Until a version is agreed, the reply goes out in the HELLO's own
     * version, which its sender frames. */
    dpu_channel_set_version(s->channel, msg->version);
    error = dpu_parse_hello_request(msg, &req, &why);
    if (error) {
        dpu_msg_put_error(reply, msg->xid, error, "%s", ds_cstr(&why));
        ds_destroy(&why);
        return;
    }
    ds_destroy(&why);
    version = dpu_version_pick(req.version_min, req.version_max,
                               server->version_min, server->version_max);
    if (!version) {
        VLOG_WARN_RL(&rl, "%s: host %s speaks protocol versions %"PRIu8" to "
                     "%"PRIu8", this DPU %"PRIu8" to %"PRIu8": none in "
                     "common", dpu_channel_get_name(s->channel),
                     req.host_name ? req.host_name : "(unnamed)",
                     req.version_min, req.version_max, server->version_min,
                     server->version_max);
        dpu_msg_put_error(reply, msg->xid, EPROTONOSUPPORT, "the host speaks "
                          "versions %"PRIu8" to %"PRIu8", this DPU %"PRIu8
                          " to %"PRIu8, req.version_min, req.version_max,
                          server->version_min, server->version_max);
        return;
    }
    dpu_channel_set_version(s->channel, version);
    if (strcmp(req.dp_name, dpif_base_name(server->dpif))) {
        dpu_msg_put_error(reply, msg->xid, ENODEV, "this DPU serves datapath "
                          "%s, not %s", dpif_base_name(server->dpif),
                          req.dp_name);
        return;
    }
    s->hello_done = true;
    if (req.want_upcalls) {
        if (server->upcall_session && server->upcall_session != s) {
            VLOG_INFO("%s: takes over upcalls from %s",
                      dpu_channel_get_name(s->channel),
                      dpu_channel_get_name(server->upcall_session->channel));
            server->upcall_session->want_upcalls = false;
        }
        s->want_upcalls = true;
        server->upcall_session = s;
        /* The bridges of a host that (re)connects have new UUIDs: it sends
         * their IPFIX exporters again at its re-sync. */
        agent_ipfix_clear(server->ipfix);
    }
    VLOG_INFO("%s: host %s connected, protocol version %"PRIu8,
              dpu_channel_get_name(s->channel),
              req.host_name ? req.host_name : "(unnamed)", version);

    struct dpu_hello_reply hr = {
        .version_min = server->version_min,
        .version_max = server->version_max,
        .id = server->id,
        .boot_id = server->boot_id,
        .caps = server->caps,
        .explicit_drop = true,
        /* Not lb_output: the protocol has no message to configure the
         * datapath's bonds. */
        .dp_version = "<built-in>",
        .has_role = (server->caps & DPU_CAP_HA) != 0,
        .role = agent_wire_role(server),
    };
    dpu_msg_start(reply, DPU_MSG_HELLO, msg->xid, DPU_F_REPLY);
    dpu_put_hello_reply(reply, &hr);
    dpu_msg_finish(reply);
}

static void
handle_request(struct agent_server *server, struct agent_session *s,
               const struct ofpbuf *request, const struct dpu_msg *msg,
               struct ofpbuf *reply)
{
    struct ds why = DS_EMPTY_INITIALIZER;
    bool quiet_einval = false;
    int error = 0;

    if (msg->type == DPU_MSG_HELLO) {
        handle_hello(server, s, msg, reply);
        return;
    } else if (!s->hello_done) {
        dpu_msg_put_error(reply, msg->xid, EPROTO, "%s before HELLO",
                          dpu_msg_type_to_string(msg->type));
        return;
    }

    if (dpu_msg_info(msg->type)->cap & ~server->caps) {
        dpu_msg_put_error(reply, msg->xid, EOPNOTSUPP, "%s: this DPU's "
                          "datapath does not support it",
                          dpu_msg_type_to_string(msg->type));
        return;
    }

    dpu_msg_start(reply, msg->type, msg->xid, DPU_F_REPLY);
    switch (msg->type) {
    case DPU_MSG_ECHO:
        break;

    case DPU_MSG_DP_SET_CONFIG: {
        struct smap config = SMAP_INITIALIZER(&config);

        if (!dpu_parse_smap(msg->attrs[DPU_ATTR_CONFIG], &config)) {
            ds_put_cstr(&why, "malformed configuration");
            error = EINVAL;
        } else {
            /* The datapath must parse flow keys as the host does.  The
             * performance settings of the host's own userspace datapath
             * (pmd-cpu-mask, ...) describe the host, not this DPU. */
            int vlan_limit = smap_get_int(&config, "vlan-limit",
                                          LEGACY_MAX_VLAN_HEADERS);

            if (vlan_limit != server->vlan_limit) {
                VLOG_INFO("parsing %d VLAN header(s) (0: all), as the host "
                          "does", vlan_limit);
                server->vlan_limit = vlan_limit;
            }
            flow_limit_vlans(vlan_limit);
        }
        smap_destroy(&config);
        break;
    }

    case DPU_MSG_DP_GET_STATS: {
        struct dpif_dp_stats st;

        error = get_dp_stats(server, &st);
        if (!error) {
            dpu_put_dp_stats(reply, DPU_ATTR_DP_STATS, &st);
        }
        break;
    }

    case DPU_MSG_PORT_ADD: {
        struct smap options = SMAP_INITIALIZER(&options);

        if (msg->attrs[DPU_ATTR_PORT_OPTIONS]
            && !dpu_parse_smap(msg->attrs[DPU_ATTR_PORT_OPTIONS],
                               &options)) {
            ds_put_cstr(&why, "malformed port options");
            error = EINVAL;
        } else {
            error = port_add(server,
                             nl_attr_get_odp_port(
                                 msg->attrs[DPU_ATTR_PORT_NO]),
                             nl_attr_get_string(msg->attrs[DPU_ATTR_PORT_NAME]),
                             nl_attr_get_string(msg->attrs[DPU_ATTR_PORT_TYPE]),
                             &options, &why);
        }
        smap_destroy(&options);
        break;
    }

    case DPU_MSG_PORT_DEL:
        error = port_del(server,
                         nl_attr_get_odp_port(msg->attrs[DPU_ATTR_PORT_NO]),
                         &why);
        break;

    case DPU_MSG_PORT_DUMP: {
        struct shash_node *node;

        SHASH_FOR_EACH (node, &server->ports) {
            struct agent_port *port = node->data;
            struct dpu_port dport = {
                .port_no = port->port_no,
                .name = node->name,
                .type = netdev_get_type(port->netdev),
            };

            dpu_put_port(reply, &dport);
        }
        break;
    }

    case DPU_MSG_NETDEV_GET: {
        const char *name = nl_attr_get_string(msg->attrs[DPU_ATTR_PORT_NAME]);
        struct agent_port *port = find_port(server, name);
        struct dpu_in6_addr addrs[DPU_MAX_IN6_ADDRS];
        struct dpu_netdev_state state;
        enum netdev_flags flags = 0;
        int mtu = 0;

        if (!port) {
            ds_put_format(&why, "no port %s", name);
            error = ENODEV;
            break;
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
        break;
    }

    case DPU_MSG_NETDEV_SET: {
        const char *name = nl_attr_get_string(msg->attrs[DPU_ATTR_PORT_NAME]);
        struct agent_port *port = find_port(server, name);
        enum netdev_flags old = 0;

        if (!port) {
            ds_put_format(&why, "no port %s", name);
            error = ENODEV;
            break;
        }
        if (msg->attrs[DPU_ATTR_PORT_OPTIONS]) {
            struct smap options = SMAP_INITIALIZER(&options);
            char *errp = NULL;

            if (!dpu_parse_smap(msg->attrs[DPU_ATTR_PORT_OPTIONS],
                                &options)) {
                ds_put_cstr(&why, "malformed port options");
                error = EINVAL;
            } else {
                error = netdev_set_config(port->netdev, &options, &errp);
                if (error) {
                    ds_put_format(&why, "%s",
                                  errp ? errp : ovs_strerror(error));
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
        netdev_get_flags(port->netdev, &old);
        if (!error && msg->attrs[DPU_ATTR_NETDEV_FLAGS]) {
            uint32_t flags = nl_attr_get_u32(msg->attrs[DPU_ATTR_NETDEV_FLAGS]);
            uint32_t mask = (msg->attrs[DPU_ATTR_NETDEV_FLAGS_MASK]
                             ? nl_attr_get_u32(
                                 msg->attrs[DPU_ATTR_NETDEV_FLAGS_MASK])
                             : 0);

            if ((flags | mask) & ~(NETDEV_UP | NETDEV_PROMISC)) {
                ds_put_cstr(&why, "unknown device flags");
                error = EINVAL;
            } else {
                error = netdev_turn_flags_off(port->netdev, mask & ~flags,
                                              NULL);
                if (!error) {
                    error = netdev_turn_flags_on(port->netdev, mask & flags,
                                                 NULL);
                }
            }
        }
        nl_msg_put_u32(reply, DPU_ATTR_NETDEV_FLAGS, old);
        break;
    }

    case DPU_MSG_OPERATE:
        handle_operate(server, request, reply, msg->xid);
        return;

    case DPU_MSG_FLOW_FLUSH:
        error = dpif_flow_flush(server->dpif);
        break;

    case DPU_MSG_FLOW_DUMP:
        handle_flow_dump(server, s, msg, reply);
        return;

    case DPU_MSG_FLOW_DUMP_DONE: {
        struct agent_dump *d = find_dump(s, nl_attr_get_u32(
                                             msg->attrs[DPU_ATTR_DUMP_ID]));
        if (d) {
            dump_destroy(d);
        }
        break;
    }

    case DPU_MSG_CT_FLUSH: {
        const struct nlattr *tuple_attr = msg->attrs[DPU_ATTR_CT_TUPLE];
        struct ct_dpif_tuple tuple;
        uint16_t zone = 0;

        if (msg->attrs[DPU_ATTR_CT_ZONE]) {
            zone = nl_attr_get_u16(msg->attrs[DPU_ATTR_CT_ZONE]);
        }
        if (tuple_attr && !dpu_parse_ct_tuple(tuple_attr, &tuple)) {
            ds_put_cstr(&why, "malformed tuple");
            error = EINVAL;
            break;
        }
        if (tuple_attr) {
            /* The host has done what ct_dpif_flush() does with a match
             * (see ct_dpif_flush_tuple()): this is one connection. */
            error = server->dpif->dpif_class->ct_flush(
                server->dpif, msg->attrs[DPU_ATTR_CT_ZONE] ? &zone : NULL,
                &tuple);
        } else {
            error = ct_dpif_flush(server->dpif,
                                  msg->attrs[DPU_ATTR_CT_ZONE] ? &zone : NULL,
                                  NULL);
        }
        break;
    }

    case DPU_MSG_CT_DUMP:
        handle_ct_dump(server, s, msg, reply);
        return;

    case DPU_MSG_CT_SET_MAXCONNS:
        error = ct_dpif_set_maxconns(server->dpif, nl_attr_get_u32(
                                         msg->attrs[DPU_ATTR_CT_VALUE]));
        break;

    case DPU_MSG_CT_GET_MAXCONNS:
    case DPU_MSG_CT_GET_NCONNS: {
        uint32_t value;

        error = (msg->type == DPU_MSG_CT_GET_MAXCONNS
                 ? ct_dpif_get_maxconns(server->dpif, &value)
                 : ct_dpif_get_nconns(server->dpif, &value));
        if (!error) {
            nl_msg_put_u32(reply, DPU_ATTR_CT_VALUE, value);
        }
        break;
    }

    case DPU_MSG_CT_SET_LIMITS:
    case DPU_MSG_CT_GET_LIMITS:
    case DPU_MSG_CT_DEL_LIMITS: {
        struct ovs_list limits = OVS_LIST_INITIALIZER(&limits);
        struct ovs_list reply_limits = OVS_LIST_INITIALIZER(&reply_limits);
        const struct nlattr *value = msg->attrs[DPU_ATTR_CT_VALUE];
        uint32_t default_limit;

        if (!dpu_parse_ct_zone_limits(request, &limits)) {
            ds_put_cstr(&why, "malformed zone limit");
            error = EINVAL;
            break;
        }
        if (msg->type == DPU_MSG_CT_SET_LIMITS) {
            default_limit = value ? nl_attr_get_u32(value) : 0;
            error = ct_dpif_set_limits(server->dpif,
                                       value ? &default_limit : NULL,
                                       &limits);
        } else if (msg->type == DPU_MSG_CT_DEL_LIMITS) {
            error = ct_dpif_del_limits(server->dpif, &limits);
        } else {
            error = ct_dpif_get_limits(server->dpif, &default_limit, &limits,
                                       &reply_limits);
            if (!error) {
                nl_msg_put_u32(reply, DPU_ATTR_CT_VALUE, default_limit);
                dpu_put_ct_zone_limits(reply, &reply_limits, true, true);
            }
        }
        ct_dpif_free_zone_limits(&limits);
        ct_dpif_free_zone_limits(&reply_limits);
        break;
    }

    case DPU_MSG_CT_SET_TP: {
        struct ct_dpif_timeout_policy tp;

        if (!dpu_parse_ct_timeout_policy(
                msg->attrs[DPU_ATTR_CT_TIMEOUT_POLICY], &tp)) {
            ds_put_cstr(&why, "malformed timeout policy");
            error = EINVAL;
            break;
        }
        error = ct_dpif_set_timeout_policy(server->dpif, &tp);
        break;
    }

    case DPU_MSG_CT_GET_TP:
    case DPU_MSG_CT_DEL_TP: {
        uint32_t id = nl_attr_get_u32(msg->attrs[DPU_ATTR_CT_VALUE]);
        struct ct_dpif_timeout_policy tp;

        if (msg->type == DPU_MSG_CT_DEL_TP) {
            error = ct_dpif_del_timeout_policy(server->dpif, id);
        } else {
            error = ct_dpif_get_timeout_policy(server->dpif, id, &tp);
            if (!error) {
                dpu_put_ct_timeout_policy(reply, &tp);
            }
        }
        if (error == ENOENT) {
            ds_put_format(&why, "no timeout policy %"PRIu32, id);
        }
        break;
    }

    case DPU_MSG_SET_ROLE:
        error = handle_set_role(server, request, msg, reply, &why);
        break;

    case DPU_MSG_GET_METRICS:
        error = handle_get_metrics(server, reply);
        break;

    case DPU_MSG_IPFIX_SET: {
        struct dpu_ipfix_config cfg;

        if (dpu_parse_ipfix_config(msg->attrs[DPU_ATTR_IPFIX], &cfg, &why)) {
            agent_ipfix_set(server->ipfix, &cfg);
        } else {
            error = EINVAL;
        }
        dpu_ipfix_config_destroy(&cfg);
        break;
    }

    case DPU_MSG_ALARM: {
        struct dpu_alarm_event ev;

        if (dpu_parse_alarm(msg->attrs[DPU_ATTR_ALARM], &ev, &why)) {
            agent_ipfix_alarm(server->ipfix, &ev);
        } else {
            error = EINVAL;
        }
        break;
    }

    case DPU_MSG_METER_FEATURES: {
        struct ofputil_meter_features features;

        dpif_meter_get_features(server->dpif, &features);
        dpu_put_meter_features(reply, DPU_ATTR_METER_FEATURES, &features);
        break;
    }

    case DPU_MSG_METER_SET:
        error = meter_set(server, msg, &why);
        break;

    case DPU_MSG_METER_GET:
    case DPU_MSG_METER_DEL:
        error = meter_get_or_del(server, msg, reply, &why);
        break;

    case DPU_MSG_QOS_GET_TYPES:
    case DPU_MSG_QOS_GET:
    case DPU_MSG_QUEUE_GET:
    case DPU_MSG_QUEUE_DUMP:
        /* A device answers a read of a queue it lacks with EINVAL: that is
         * an answer, not a bad request. */
        quiet_einval = true;
        /* Fall through. */
    case DPU_MSG_QOS_SET:
    case DPU_MSG_QUEUE_SET:
    case DPU_MSG_QUEUE_DEL:
        error = handle_qos(server, msg, reply, &why);
        break;

    case DPU_MSG_ERROR:
    case DPU_MSG_HELLO:
    case DPU_MSG_UPCALL:
    case DPU_MSG_PORT_EVENT:
    case DPU_MSG_DPU_EVENT:
    case DPU_N_MSGS:
    default:
        ds_put_format(&why, "%s is not supported by this DPU",
                      dpu_msg_type_to_string(msg->type));
        error = EOPNOTSUPP;
        break;
    }

    if (error == EINVAL && !quiet_einval) {
        COVERAGE_INC(agent_bad_request);
        VLOG_WARN_RL(&rl, "%s: bad %s request: %s",
                     dpu_channel_get_name(s->channel),
                     dpu_msg_type_to_string(msg->type), ds_cstr(&why));
    }
    if (error) {
        s->n_errors++;
        dpu_msg_put_error(reply, msg->xid, error, "%s",
                          why.length ? ds_cstr(&why) : ovs_strerror(error));
    } else {
        dpu_msg_finish(reply);
    }
    ds_destroy(&why);
}

/* Sessions. */

static void
session_destroy(struct agent_server *server, struct agent_session *s)
{
    struct agent_dump *d;

    VLOG_INFO("%s: connection closed", dpu_channel_get_name(s->channel));
    if (server->upcall_session == s) {
        server->upcall_session = NULL;
    }
    LIST_FOR_EACH_SAFE (d, list_node, &s->dumps) {
        dump_destroy(d);
    }
    ovs_list_remove(&s->list_node);
    dpu_channel_close(s->channel);
    free(s);
}

/* Processes what 's' received.  Returns false if 's' must be closed. */
static bool
session_run(struct agent_server *server, struct agent_session *s)
{
    dpu_channel_run(s->channel);
    for (int i = 0; i < 50; i++) {
        struct ofpbuf *buf, *reply;
        struct dpu_msg msg;
        char *why;
        int error;

        error = dpu_channel_recv(s->channel, &buf);
        if (error) {
            return error == EAGAIN;
        }

        s->n_requests++;
        if (s->hello_done) {
            server->last_host_rx = time_msec();
        }
        error = dpu_msg_decode(buf, &msg, &why);
        reply = ofpbuf_new(1024);
        if (error) {
            COVERAGE_INC(agent_bad_request);
            s->n_errors++;
            VLOG_WARN_RL(&rl, "%s: bad message: %s",
                         dpu_channel_get_name(s->channel), why);
            if (!msg.xid) {
                /* An answer with xid 0 would match nothing the peer sent:
                 * log only. */
                ofpbuf_delete(reply);
                reply = NULL;
            } else {
                dpu_msg_put_error(reply, msg.xid, error, "%s", why);
            }
            free(why);
        } else if (msg.flags & DPU_F_REPLY) {
            /* The agent sends no requests, so it expects no replies. */
            COVERAGE_INC(agent_bad_request);
            s->n_errors++;
            VLOG_WARN_RL(&rl, "%s: unexpected %s reply, dropped",
                         dpu_channel_get_name(s->channel),
                         dpu_msg_type_to_string(msg.type));
            ofpbuf_delete(reply);
            reply = NULL;
        } else if (!msg.xid) {
            COVERAGE_INC(agent_bad_request);
            s->n_errors++;
            VLOG_WARN_RL(&rl, "%s: unexpected %s message, dropped",
                         dpu_channel_get_name(s->channel),
                         dpu_msg_type_to_string(msg.type));
            ofpbuf_delete(reply);
            reply = NULL;
        } else {
            handle_request(server, s, buf, &msg, reply);
        }
        ofpbuf_delete(buf);
        if (reply) {
            dpu_channel_send(s->channel, reply);
        }
        if (!error && msg.type == DPU_MSG_HELLO && s->hello_done
            && server->fault) {
            /* A host that connects to a failed DPU learns why at once. */
            agent_send_event(server, s, server->fault,
                             "the fatal error reported earlier stands");
        }
        if (!error && msg.type == DPU_MSG_HELLO && s->hello_done
            && s == server->upcall_session) {
            /* A host that connects learns the DPU's health alerts, also
             * that there are none. */
            agent_send_health(server, s);
        }
    }
    return true;
}

/* Roles.
 *
 * An active DPU forwards.  A standby one holds every port and flow that the
 * host gives it but forwards nothing: agent_rx_hook() drops what its ports
 * receive before dpif-netdev sees it, and learns the source addresses of
 * what arrives on ports that are not uplinks.  A preparing one, about to
 * become active in a planned failover, holds what its ports receive instead
 * of dropping it, and forwards it when it becomes active.  When a DPU
 * becomes active or prepares, it announces the addresses it learned on its
 * uplinks with RARP and gratuitous ARP, as OVS bonds do when their active
 * member changes, so that the physical network sends their traffic to it. */

static const char *
role_name(int role)
{
    return role == AGENT_ROLE_FAILED ? "failed" : dpu_role_to_string(role);
}

static int
agent_get_role(const struct agent_server *server)
{
    int role;

    atomic_read_relaxed(&CONST_CAST(struct agent_server *, server)->role,
                        &role);
    return role;
}

/* The role to tell hosts: a failed DPU forwards nothing, as a standby. */
static int
agent_wire_role(const struct agent_server *server)
{
    int role = agent_get_role(server);

    return role == AGENT_ROLE_FAILED ? DPU_ROLE_STANDBY : role;
}

static bool
agent_is_uplink(const struct agent_server *server, odp_port_t port_no)
    OVS_REQUIRES(server->role_mutex)
{
    for (size_t i = 0; i < server->n_uplinks; i++) {
        if (server->uplinks[i] == port_no) {
            return true;
        }
    }
    return false;
}

/* Learns the source address of 'packet', received on a port that is not an
 * uplink. */
static void
agent_learn(struct agent_server *server, odp_port_t port_no,
            const struct dp_packet *packet)
    OVS_REQUIRES(server->role_mutex)
{
    const struct eth_header *eth = dp_packet_data(packet);
    size_t size = dp_packet_size(packet);
    struct agent_learned *l;
    ovs_be16 type;
    uint16_t vlan = 0;
    size_t ofs = ETH_HEADER_LEN;
    ovs_be32 ip = 0;
    uint32_t hash;

    if (size < ETH_HEADER_LEN || eth_addr_is_multicast(eth->eth_src)
        || eth_addr_is_zero(eth->eth_src)) {
        return;
    }
    type = eth->eth_type;
    if ((type == htons(ETH_TYPE_VLAN) || type == htons(ETH_TYPE_VLAN_8021AD))
        && size >= ofs + VLAN_HEADER_LEN) {
        const struct vlan_header *vh
            = ALIGNED_CAST(const struct vlan_header *,
                           (const char *) eth + ofs);

        vlan = vlan_tci_to_vid(vh->vlan_tci);
        type = vh->vlan_next_type;
        ofs += VLAN_HEADER_LEN;
    }
    if (type == htons(ETH_TYPE_ARP) && size >= ofs + ARP_ETH_HEADER_LEN) {
        const struct arp_eth_header *arp
            = ALIGNED_CAST(const struct arp_eth_header *,
                           (const char *) eth + ofs);

        ip = get_16aligned_be32(&arp->ar_spa);
    } else if (type == htons(ETH_TYPE_IP) && size >= ofs + IP_HEADER_LEN) {
        const struct ip_header *iph
            = ALIGNED_CAST(const struct ip_header *,
                           (const char *) eth + ofs);

        ip = get_16aligned_be32(&iph->ip_src);
    }

    hash = hash_bytes(&eth->eth_src, sizeof eth->eth_src, vlan);
    HMAP_FOR_EACH_WITH_HASH (l, node, hash, &server->learned) {
        if (eth_addr_equals(l->mac, eth->eth_src) && l->vlan == vlan) {
            break;
        }
    }
    if (!l && hmap_count(&server->learned) < AGENT_MAX_LEARNED) {
        l = xzalloc(sizeof *l);
        l->mac = eth->eth_src;
        l->vlan = vlan;
        hmap_insert(&server->learned, &l->node, hash);
    }
    if (l) {
        l->seen = time_msec();
        l->port = port_no;
        if (ip) {
            l->ip = ip;
        }
    }
}

/* Forgets the addresses not seen for AGENT_LEARN_IDLE_MS. */
static void
agent_expire_learned(struct agent_server *server)
    OVS_REQUIRES(server->role_mutex)
{
    long long int now = time_msec();
    struct agent_learned *l;

    HMAP_FOR_EACH_SAFE (l, node, &server->learned) {
        if (now - l->seen > AGENT_LEARN_IDLE_MS) {
            hmap_remove(&server->learned, &l->node);
            free(l);
        }
    }
}

/* Whether 'packet' comes from an address in 'learned' (any VLAN). */
static bool
agent_is_learned_src(const struct agent_server *server,
                     const struct dp_packet *packet)
    OVS_REQUIRES(server->role_mutex)
{
    const struct eth_header *eth = dp_packet_data(packet);
    const struct agent_learned *l;

    if (dp_packet_size(packet) < ETH_HEADER_LEN) {
        return false;
    }
    HMAP_FOR_EACH (l, node, &server->learned) {
        if (eth_addr_equals(l->mac, eth->eth_src)) {
            return true;
        }
    }
    return false;
}

/* Notes that an active DPU forwarded 'packet', from a port that is not an
 * uplink, before its deferred announcement. */
static void
agent_mark_forwarded(struct agent_server *server,
                     const struct dp_packet *packet)
    OVS_REQUIRES(server->role_mutex)
{
    const struct eth_header *eth = dp_packet_data(packet);
    struct agent_learned *l;

    if (dp_packet_size(packet) < ETH_HEADER_LEN) {
        return;
    }
    HMAP_FOR_EACH (l, node, &server->learned) {
        if (eth_addr_equals(l->mac, eth->eth_src)) {
            l->forwarded = true;
        }
    }
}

/* Shortly after an active DPU announced its addresses (see
 * agent_announce()), the network floods each announcement back in on the
 * DPU's other uplinks, as a switch floods any broadcast.  Unless the host's
 * flows drop it there (an active-backup bond drops what arrives on its
 * backup members), the host would take one for a move of the address to
 * the network, and send the address's traffic back out there until it
 * learns otherwise.  So the DPU drops those reflections: packets that
 * arrive on an uplink from an address it learned behind its other ports.
 * Removes them from 'batch', and returns true if nothing is left. */
static void
agent_drop_reflections(struct agent_server *server,
                       struct dp_packet_batch *batch)
    OVS_REQUIRES(server->role_mutex)
{
    const size_t size = dp_packet_batch_size(batch);
    struct dp_packet *packet;
    size_t i;

    if (hmap_is_empty(&server->learned)) {
        return;
    }
    DP_PACKET_BATCH_REFILL_FOR_EACH (i, size, packet, batch) {
        if (agent_is_learned_src(server, packet)) {
            server->n_reflections++;
            COVERAGE_INC(agent_rx_reflection);
            dp_packet_delete(packet);
        } else {
            dp_packet_batch_refill(batch, packet, i);
        }
    }
}

/* Handover.
 *
 * Both DPUs of a pair receive every packet that a VM sends (a port that is
 * not an uplink is reachable from both), so in a planned failover exactly
 * one of them must forward each.  The active DPU remembers the hashes of
 * the last DPU_HANDOVER_HASHES packets it let into its datapath from each
 * such port ('tails'), under 'role_mutex' like its role, so that when it
 * stands by, what it tells the host it forwarded is exactly what it did.
 * The standby DPU keeps copies of what those ports received in the last
 * AGENT_RECENT_MS ('recent').  The host passes the old DPU's tails to the
 * new one with its SET_ROLE ACTIVE; the new one forwards, from 'recent'
 * and from what arrives next, only what comes after them in each port's
 * order ('cuts').
 *
 * The other direction needs no handover: the network sends a unicast
 * packet to one DPU only.  The old DPU keeps delivering what arrives on its
 * uplinks for DRAIN_MS after it stood by, until the network has learned
 * the new DPU's announcements (agent_drain()). */

/* The tail of port 'port', created if needed. */
static struct agent_tail *
agent_tail_get(struct agent_server *server, odp_port_t port)
    OVS_REQUIRES(server->role_mutex)
{
    uint32_t hash = hash_int(odp_to_u32(port), 0);
    struct agent_tail *t;

    HMAP_FOR_EACH_WITH_HASH (t, node, hash, &server->tails) {
        if (t->port == port) {
            break;
        }
    }
    if (!t) {
        t = xzalloc(sizeof *t);
        t->port = port;
        hmap_insert(&server->tails, &t->node, hash);
    }
    return t;
}

/* Remembers a packet whose dpu_packet_hash() is 'hash' in tail 't'. */
static void
agent_tail_push(struct agent_tail *t, uint32_t hash)
{
    t->hashes[t->next] = hash;
    t->next = (t->next + 1) % DPU_HANDOVER_HASHES;
    t->n = MIN(t->n + 1, DPU_HANDOVER_HASHES);
    t->usec = time_usec();
}

/* Remembers 'batch', about to be forwarded from port 'port', in the port's
 * tail. */
static void
agent_tail_record(struct agent_server *server, odp_port_t port,
                  const struct dp_packet_batch *batch)
    OVS_REQUIRES(server->role_mutex)
{
    size_t n = dp_packet_batch_size(batch);
    struct agent_tail *t;

    if (!n) {
        return;
    }
    t = agent_tail_get(server, port);
    for (size_t i = n > DPU_HANDOVER_HASHES ? n - DPU_HANDOVER_HASHES : 0;
         i < n; i++) {
        const struct dp_packet *p = batch->packets[i];

        agent_tail_push(t, dpu_packet_hash(dp_packet_data(p),
                                           dp_packet_size(p)));
    }
}

/* Appends the tails, at most DPU_MAX_HANDOVER of them, to 'reply' as a
 * DPU_ATTR_HANDOVER (if 'reply' is nonnull; an empty one if the DPU forwarded
 * nothing from a port that is not an uplink), and forgets them. */
static void
agent_tails_put(struct agent_server *server, struct ofpbuf *reply)
    OVS_REQUIRES(server->role_mutex)
{
    size_t n = MIN(hmap_count(&server->tails), DPU_MAX_HANDOVER);
    struct dpu_handover *hs = xcalloc(MAX(n, 1), sizeof *hs);
    long long int now = time_usec();
    struct agent_tail *t;
    size_t i = 0;

    HMAP_FOR_EACH_POP (t, node, &server->tails) {
        if (i < n) {
            struct dpu_handover *h = &hs[i++];

            h->port_no = odp_to_u32(t->port);
            h->age_us = MIN(now - t->usec, UINT32_MAX);
            h->n_hashes = t->n;
            for (unsigned int j = 0; j < t->n; j++) {
                h->hashes[j] = t->hashes[(t->next + DPU_HANDOVER_HASHES - 1
                                          - j) % DPU_HANDOVER_HASHES];
            }
        }
        free(t);
    }
    if (reply) {
        nl_msg_put_unspec(reply, DPU_ATTR_HANDOVER, hs, n * sizeof *hs);
    }
    free(hs);
}

/* The 'j'th oldest packet in 'recent'. */
static struct agent_recent *
agent_recent_at(struct agent_server *server, size_t j)
    OVS_REQUIRES(server->role_mutex)
{
    return &server->recent[(server->recent_head + j) % AGENT_MAX_RECENT];
}

/* Forgets what 'recent' holds; it holds what arrives from now on. */
static void
agent_recent_clear(struct agent_server *server)
    OVS_REQUIRES(server->role_mutex)
{
    for (size_t i = 0; i < server->n_recent; i++) {
        dp_packet_delete(agent_recent_at(server, i)->packet);
    }
    server->recent_head = server->n_recent = 0;
    server->recent_since = time_usec();
}

/* Adds a copy of 'packet', received on port 'port', to 'recent', and drops
 * what is too old or too many. */
static void
agent_recent_add(struct agent_server *server, odp_port_t port,
                 const struct dp_packet *packet, long long int now)
    OVS_REQUIRES(server->role_mutex)
{
    struct agent_recent *r;

    while (server->n_recent) {
        r = &server->recent[server->recent_head];
        if (server->n_recent < AGENT_MAX_RECENT
            && now - r->usec < AGENT_RECENT_MS * 1000) {
            break;
        }
        server->recent_since = r->usec;
        dp_packet_delete(r->packet);
        server->recent_head = (server->recent_head + 1) % AGENT_MAX_RECENT;
        server->n_recent--;
    }
    r = agent_recent_at(server, server->n_recent++);
    r->packet = dp_packet_clone(packet);
    pkt_metadata_init(&r->packet->md, port);
    r->port = port;
    r->hash = dpu_packet_hash(dp_packet_data(packet), dp_packet_size(packet));
    r->usec = now;
}

static bool
agent_cut_has(const struct agent_cut *c, uint32_t hash)
{
    for (uint32_t i = 0; i < c->h.n_hashes; i++) {
        if (c->h.hashes[i] == hash) {
            return true;
        }
    }
    return false;
}

/* Whether a DPU that became active in a handover should forward 'hash',
 * received on the port of 'c' after everything that 'c' has seen so far.
 * Sets '*done' to true if 'c' waits for nothing more. */
static bool
agent_cut_admit(struct agent_cut *c, uint32_t hash, bool *done)
{
    *done = false;
    if (agent_cut_has(c, hash)) {
        /* The previous DPU forwarded it. */
        c->state = AGENT_CUT_WITHIN;
        *done = hash == c->h.hashes[0];
        return false;
    }
    /* Before the first of them: forwarded by the previous DPU.  Between
     * them: one the previous DPU never received. */
    return c->state == AGENT_CUT_WITHIN;
}

static void
agent_cut_remove(struct agent_server *server, size_t i)
    OVS_REQUIRES(server->role_mutex)
{
    server->cuts[i] = server->cuts[--server->n_cuts];
}

/* Becoming active with 'handover' (of 'n' entries) from the previous active
 * DPU: returns the packets of 'recent' that it did not forward, in the
 * order they arrived, in '*packetsp' and '*n_packetsp', and sets up 'cuts'
 * for what it forwarded and this DPU did not receive yet. */
static void
agent_handover_apply(struct agent_server *server,
                     const struct dpu_handover *handover, size_t n,
                     struct dp_packet ***packetsp, size_t *n_packetsp)
    OVS_REQUIRES(server->role_mutex)
{
    struct dp_packet **packets = xmalloc(MAX(server->n_recent, 1)
                                         * sizeof *packets);
    size_t *first = xmalloc(MAX(n, 1) * sizeof *first);
    long long int now = time_usec();
    size_t n_packets = 0;

    /* For each port, the packets of 'recent' from 'first' on are new. */
    free(server->cuts);
    server->cuts = xmalloc(MAX(n, 1) * sizeof *server->cuts);
    server->n_cuts = n;
    for (size_t i = 0; i < n; i++) {
        struct agent_cut *c = &server->cuts[i];
        size_t hit = SIZE_MAX;

        c->h = handover[i];
        for (size_t j = server->n_recent; j > 0; j--) {
            const struct agent_recent *r = agent_recent_at(server, j - 1);

            if (odp_to_u32(r->port) == c->h.port_no
                && agent_cut_has(c, r->hash)) {
                hit = j - 1;
                break;
            }
        }
        if (hit != SIZE_MAX) {
            /* Everything up to the newest of its packets that arrived here
             * it forwarded.  Done if that is its last one. */
            first[i] = hit + 1;
            c->state = AGENT_CUT_WITHIN;
            if (agent_recent_at(server, hit)->hash == c->h.hashes[0]) {
                c->h.n_hashes = 0;
            }
        } else if (now - (long long int) c->h.age_us
                   < MAX(server->recent_since,
                         now - AGENT_RECENT_MS * 1000)) {
            /* Its last packet is older than anything 'recent' holds. */
            first[i] = 0;
            c->h.n_hashes = 0;
        } else {
            /* None of them arrived here yet: what did arrive came before
             * them. */
            first[i] = server->n_recent;
            c->state = AGENT_CUT_BEFORE;
        }
    }

    for (size_t j = 0; j < server->n_recent; j++) {
        struct agent_recent *r = agent_recent_at(server, j);
        bool forward = true;

        for (size_t i = 0; i < n; i++) {
            if (server->cuts[i].h.port_no == odp_to_u32(r->port)) {
                forward = j >= first[i];
                break;
            }
        }
        if (now - r->usec >= AGENT_RECENT_MS * 1000) {
            forward = false;
        }
        if (forward) {
            packets[n_packets++] = r->packet;
            server->n_taken_over++;
            COVERAGE_INC(agent_rx_taken_over);
            agent_mark_forwarded(server, r->packet);
            agent_tail_push(agent_tail_get(server, r->port), r->hash);
        } else {
            dp_packet_delete(r->packet);
            server->n_handed_over++;
            COVERAGE_INC(agent_rx_handed_over);
        }
    }
    server->recent_head = server->n_recent = 0;
    free(first);

    size_t i = 0;
    while (i < server->n_cuts) {
        if (!server->cuts[i].h.n_hashes) {
            agent_cut_remove(server, i);
        } else {
            i++;
        }
    }
    server->cut_deadline = time_msec() + AGENT_HANDOVER_WAIT_MS;
    *packetsp = packets;
    *n_packetsp = n_packets;
}

/* Gives up waiting for what the previous active DPU forwarded last, if it is
 * time.  Returns true if it gave up. */
static bool
agent_cuts_expire(struct agent_server *server)
    OVS_REQUIRES(server->role_mutex)
{
    if (!server->n_cuts || time_msec() < server->cut_deadline) {
        return false;
    }
    server->n_handover_timeouts += server->n_cuts;
    COVERAGE_ADD(agent_handover_timeout, server->n_cuts);
    server->n_cuts = 0;
    return true;
}

/* An active DPU that still waits for packets that the previous active DPU
 * forwarded from port 'port' drops them from 'batch'. */
static void
agent_cut_filter(struct agent_server *server, odp_port_t port,
                 struct dp_packet_batch *batch)
    OVS_REQUIRES(server->role_mutex)
{
    const size_t size = dp_packet_batch_size(batch);
    struct agent_cut *c = NULL;
    struct dp_packet *packet;
    size_t i, ci;

    if (agent_cuts_expire(server)) {
        return;
    }
    for (ci = 0; ci < server->n_cuts; ci++) {
        if (server->cuts[ci].h.port_no == odp_to_u32(port)) {
            c = &server->cuts[ci];
            break;
        }
    }
    if (!c) {
        return;
    }
    DP_PACKET_BATCH_REFILL_FOR_EACH (i, size, packet, batch) {
        bool done = false;

        if (c && !agent_cut_admit(c, dpu_packet_hash(dp_packet_data(packet),
                                                     dp_packet_size(packet)),
                                  &done)) {
            server->n_handed_over++;
            COVERAGE_INC(agent_rx_handed_over);
            dp_packet_delete(packet);
        } else {
            dp_packet_batch_refill(batch, packet, i);
        }
        if (done) {
            agent_cut_remove(server, ci);
            c = NULL;
        }
    }
}

/* A DPU that stood by in a planned failover keeps delivering, for a while,
 * the unicast packets that arrive on its uplinks from the network, which
 * goes on sending to it until it learns the new active DPU's announcements.
 * Only unicast, which the network sends to one DPU: a broadcast, or a
 * reflection of an announcement, reaches both.  Drops the rest of
 * 'batch'. */
static void
agent_drain(struct agent_server *server, struct dp_packet_batch *batch)
    OVS_REQUIRES(server->role_mutex)
{
    const size_t size = dp_packet_batch_size(batch);
    struct dp_packet *packet;
    size_t i;

    DP_PACKET_BATCH_REFILL_FOR_EACH (i, size, packet, batch) {
        const struct eth_header *eth = dp_packet_data(packet);

        if (dp_packet_size(packet) >= ETH_HEADER_LEN
            && !eth_addr_is_multicast(eth->eth_dst)) {
            server->n_drained++;
            COVERAGE_INC(agent_rx_drained);
            dp_packet_batch_refill(batch, packet, i);
        } else {
            server->n_rx_dropped++;
            COVERAGE_INC(agent_rx_dropped);
            dp_packet_delete(packet);
        }
    }
}

/* dpif_netdev_rx_hook_cb: keeps a DPU that is not active from forwarding.
 * Runs in every thread that polls ports. */
static bool
agent_rx_hook(odp_port_t port_no, struct dp_packet_batch *batch,
              void *server_)
{
    struct agent_server *server = server_;
    struct dp_packet *packet;
    long long int until;
    bool leased, uplink;
    int role;

    /* An active DPU without a lease is not in a pair (or has no handover
     * to make, see agent_tails_put()): nothing to record or filter, and no
     * lock to take in the threads that forward. */
    atomic_read_relaxed(&server->leased, &leased);
    if (!leased && agent_get_role(server) == DPU_ROLE_ACTIVE) {
        atomic_read_relaxed(&server->reflect_until, &until);
        if (OVS_LIKELY(!until) || time_msec() >= until) {
            return false;
        }
    }

    /* The role is read and acted on with 'role_mutex' held, so that what an
     * active DPU records as forwarded in its tails is exactly what it
     * forwards. */
    ovs_mutex_lock(&server->role_mutex);
    role = agent_get_role(server);
    uplink = agent_is_uplink(server, port_no);
    if (role == DPU_ROLE_ACTIVE) {
        if (uplink) {
            atomic_read_relaxed(&server->reflect_until, &until);
            if (OVS_UNLIKELY(until) && time_msec() < until) {
                agent_drop_reflections(server, batch);
            }
        } else {
            if (OVS_UNLIKELY(server->n_cuts)) {
                agent_cut_filter(server, port_no, batch);
            }
            if (OVS_UNLIKELY(server->announce_at)) {
                DP_PACKET_BATCH_FOR_EACH (i, packet, batch) {
                    agent_mark_forwarded(server, packet);
                }
            }
            agent_tail_record(server, port_no, batch);
        }
        ovs_mutex_unlock(&server->role_mutex);
        return dp_packet_batch_is_empty(batch);
    }
    if (uplink && role == DPU_ROLE_STANDBY && server->drain_until
        && time_msec() < server->drain_until) {
        agent_drain(server, batch);
        ovs_mutex_unlock(&server->role_mutex);
        return dp_packet_batch_is_empty(batch);
    }
    if (role != AGENT_ROLE_FAILED && !uplink) {
        long long int now = time_usec();

        DP_PACKET_BATCH_FOR_EACH (i, packet, batch) {
            agent_learn(server, port_no, packet);
            if (role == DPU_ROLE_STANDBY) {
                agent_recent_add(server, port_no, packet, now);
            }
        }
    }
    DP_PACKET_BATCH_FOR_EACH (i, packet, batch) {
        if (role == DPU_ROLE_PREPARE && uplink
            && agent_is_learned_src(server, packet)) {
            /* See agent_drop_reflections(). */
            server->n_reflections++;
            COVERAGE_INC(agent_rx_reflection);
        } else if (role != DPU_ROLE_PREPARE) {
            server->n_rx_dropped++;
            COVERAGE_INC(agent_rx_dropped);
        } else if (server->n_held >= AGENT_MAX_HELD) {
            server->n_rx_dropped++;
            COVERAGE_INC(agent_rx_hold_full);
        } else {
            /* A copy, so that no device's buffer pool waits for it. */
            struct dp_packet *copy = dp_packet_clone(packet);

            pkt_metadata_init(&copy->md, port_no);
            server->held[server->n_held++] = copy;
            server->n_rx_held++;
            COVERAGE_INC(agent_rx_held);
        }
    }
    ovs_mutex_unlock(&server->role_mutex);
    dp_packet_delete_batch(batch, true);
    return true;
}

/* Executes 'actions' (of 'actions_len' bytes) on 'packet' in the datapath.
 * 'what' names the packet in a log message. */
static void
agent_execute(struct agent_server *server, struct dp_packet *packet,
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
    error = dpif_execute(server->dpif, &execute);
    if (error) {
        VLOG_WARN_RL(&rl, "%s on port %"PRIu32" failed (%s)", what,
                     odp_to_u32(port_no), ovs_strerror(error));
    }
}

/* Announces every address learned while standby: a RARP for each MAC and,
 * if its IPv4 address is known, a gratuitous ARP, each as if the port it was
 * learned on had just received it (a recirculation with id 0, as
 * agent_replay()).  They go out where the host's flows send that port's
 * broadcasts, for example on the active member of an active-backup bond
 * over the uplinks, and not on every uplink: a switch learns an address on
 * the last port it saw it on, and an announcement on a bond's backup member
 * would make the network send the address's traffic there, where the bond
 * drops it, until the address sends a packet itself.  (This is where a
 * hypervisor sends a migrated VM's RARP too: from the VM's port.)
 *
 * In a handover, the network need not learn from announcements: the packets
 * that the new active DPU forwards from the address teach it.  Meanwhile the
 * old active DPU delivers what the network still sends it.  So a DPU that
 * became active in a handover announces only after
 * AGENT_HANDOVER_ANNOUNCE_MS, and only the addresses it did not forward a
 * packet from meanwhile ('only_quiet'). */
static void
agent_announce(struct agent_server *server, bool only_quiet)
    OVS_EXCLUDED(server->role_mutex)
{
    const struct agent_learned *l;
    struct agent_learned *addrs;
    uint64_t actions_stub[8];
    struct ofpbuf actions;
    size_t n_addrs = 0, n = 0;

    /* Copies, so that the threads that poll ports need not wait. */
    ovs_mutex_lock(&server->role_mutex);
    agent_expire_learned(server);
    addrs = xmalloc(hmap_count(&server->learned) * sizeof *addrs);
    HMAP_FOR_EACH (l, node, &server->learned) {
        if (!only_quiet || !l->forwarded) {
            addrs[n_addrs++] = *l;
        }
    }
    ovs_mutex_unlock(&server->role_mutex);

    ofpbuf_use_stub(&actions, actions_stub, sizeof actions_stub);
    nl_msg_put_u32(&actions, OVS_ACTION_ATTR_RECIRC, 0);
    for (size_t i = 0; i < n_addrs; i++) {
        for (int garp = 0; garp < (addrs[i].ip ? 2 : 1); garp++) {
            struct dp_packet packet;

            dp_packet_init(&packet, 0);
            if (!garp) {
                compose_rarp(&packet, addrs[i].mac);
            } else {
                compose_arp(&packet, ARP_OP_REQUEST, addrs[i].mac,
                            eth_addr_zero, true, addrs[i].ip, addrs[i].ip);
            }
            if (addrs[i].vlan) {
                eth_push_vlan(&packet, htons(ETH_TYPE_VLAN),
                              htons(addrs[i].vlan));
            }
            pkt_metadata_init(&packet.md, addrs[i].port);
            agent_execute(server, &packet, actions.data, actions.size,
                          "announcing", addrs[i].port);
            dp_packet_uninit(&packet);
            n++;
        }
    }
    ofpbuf_uninit(&actions);
    server->n_announcements += n;
    COVERAGE_ADD(agent_announce, n);
    if (n) {
        VLOG_INFO("announced %"PRIuSIZE" addresses in %"PRIuSIZE" packets",
                  n_addrs, n);
    }
    free(addrs);
}

/* Forwards the 'n' packets in 'held', held while preparing or received
 * while standby, as if they had just been received: a recirculation with id
 * 0 looks them up in the flow table of their input port, so that those with
 * a flow follow it and the others go to the host as misses.  Frees them. */
static void
agent_replay(struct agent_server *server, struct dp_packet **held, size_t n)
{
    uint64_t actions_stub[8];
    struct ofpbuf actions;

    ofpbuf_use_stub(&actions, actions_stub, sizeof actions_stub);
    nl_msg_put_u32(&actions, OVS_ACTION_ATTR_RECIRC, 0);
    for (size_t i = 0; i < n; i++) {
        agent_execute(server, held[i], actions.data, actions.size,
                      "forwarding a held packet",
                      held[i]->md.in_port.odp_port);
        dp_packet_delete(held[i]);
    }
    ofpbuf_uninit(&actions);
}

/* Sends asynchronous message 'msg' to host session 's', or to every host
 * if 's' is NULL, and deletes it. */
static void
agent_send_async(struct agent_server *server, struct agent_session *s,
                 struct ofpbuf *msg)
{
    struct agent_session *t;

    dpu_msg_finish(msg);
    LIST_FOR_EACH (t, list_node, &server->sessions) {
        if (t->hello_done && (!s || t == s)) {
            dpu_channel_send(t->channel, ofpbuf_clone(msg));
        }
    }
    ofpbuf_delete(msg);
}

/* Starts a DPU_EVENT 'event' in a new buffer. */
static struct ofpbuf *
agent_event_start(struct agent_server *server, const char *event)
{
    struct ofpbuf *b = ofpbuf_new(256);

    dpu_msg_start(b, DPU_MSG_DPU_EVENT, 0, 0);
    nl_msg_put_string(b, DPU_ATTR_EVENT, event);
    nl_msg_put_u32(b, DPU_ATTR_ROLE, agent_wire_role(server));
    return b;
}

/* Sends asynchronous DPU_EVENT 'event', with 'details' if nonnull, to host
 * session 's', or to every host if 's' is NULL. */
static void
agent_send_event(struct agent_server *server, struct agent_session *s,
                 const char *event, const char *details)
{
    struct ofpbuf *b = agent_event_start(server, event);

    if (details) {
        nl_msg_put_string(b, DPU_ATTR_ERROR_MSG, details);
    }
    agent_send_async(server, s, b);
}

/* Sends DPU_EVENT "health" with every active health alert to host session
 * 's', or to every host if 's' is NULL. */
static void
agent_send_health(struct agent_server *server, struct agent_session *s)
{
    const struct shash_node **nodes = shash_sort(&server->alerts);
    size_t n = shash_count(&server->alerts);
    struct dpu_health *alerts = xmalloc(MAX(n, 1) * sizeof *alerts);
    struct ofpbuf *b = agent_event_start(server, "health");

    for (size_t i = 0; i < n; i++) {
        alerts[i] = *(struct dpu_health *) nodes[i]->data;
    }
    dpu_put_health(b, alerts, n);
    agent_send_async(server, s, b);
    free(alerts);
    free(nodes);
}

/* Makes 'role' the DPU's role, for 'why'.  A DPU that stops being active
 * appends what it forwarded last to 'reply' (if nonnull, see "Handover"
 * above) and, if it stands by and 'drain_ms' is nonzero, delivers what
 * arrives on its uplinks for 'drain_ms' more.  A standby DPU that becomes
 * active with a nonnull 'handover' (of 'n_handover' entries, perhaps none)
 * forwards what the previous active DPU did not. */
static void
agent_set_role(struct agent_server *server, int role, const char *why,
               const struct dpu_handover *handover, size_t n_handover,
               uint32_t drain_ms, struct ofpbuf *reply)
    OVS_EXCLUDED(server->role_mutex)
{
    struct dp_packet **held = NULL, **taken = NULL;
    size_t n_held = 0, n_taken = 0;
    int old;

    ovs_mutex_lock(&server->role_mutex);
    old = agent_get_role(server);
    if (old == role) {
        ovs_mutex_unlock(&server->role_mutex);
        return;
    }
    atomic_store_relaxed(&server->role, role);
    if (server->n_held) {
        n_held = server->n_held;
        held = xmemdup(server->held, n_held * sizeof *held);
        server->n_held = 0;
        if (role != DPU_ROLE_ACTIVE) {
            server->n_rx_dropped += n_held;
        }
    }
    if (old == DPU_ROLE_ACTIVE) {
        agent_tails_put(server, reply);
    }
    server->drain_until = (old == DPU_ROLE_ACTIVE && drain_ms
                           ? time_msec() + drain_ms : 0);
    server->n_cuts = 0;
    bool announce = ((role == DPU_ROLE_ACTIVE || role == DPU_ROLE_PREPARE)
                     && old != DPU_ROLE_ACTIVE && old != DPU_ROLE_PREPARE);
    server->announce_at = 0;
    if (role == DPU_ROLE_ACTIVE && handover && old == DPU_ROLE_STANDBY) {
        /* See agent_announce(). */
        struct agent_learned *l;

        HMAP_FOR_EACH (l, node, &server->learned) {
            l->forwarded = false;
        }
        server->announce_at = time_msec() + AGENT_HANDOVER_ANNOUNCE_MS;
        announce = false;
        agent_handover_apply(server, handover, n_handover, &taken, &n_taken);
    }
    agent_recent_clear(server);
    ovs_mutex_unlock(&server->role_mutex);

    VLOG_INFO("role: %s -> %s (%s)", role_name(old), role_name(role), why);
    agent_ipfix_set_role(server->ipfix, role_name(role));
    if (announce) {
        atomic_store_relaxed(&server->reflect_until,
                             time_msec() + AGENT_REFLECT_WINDOW_MS);
        agent_announce(server, false);
    }
    if (role == DPU_ROLE_ACTIVE) {
        if (n_held) {
            VLOG_INFO("forwarding %"PRIuSIZE" packets held while preparing",
                      n_held);
        }
        agent_replay(server, held, n_held);
        server->n_rx_replayed += n_held;
        COVERAGE_ADD(agent_rx_replayed, n_held);
    } else {
        for (size_t i = 0; i < n_held; i++) {
            dp_packet_delete(held[i]);
        }
    }
    free(held);
    if (n_taken) {
        VLOG_INFO("forwarding %"PRIuSIZE" packets received while standby "
                  "that the previous active DPU did not forward", n_taken);
        agent_replay(server, taken, n_taken);
    }
    free(taken);
}

static int
compare_odp_ports(const void *a_, const void *b_)
{
    uint32_t a = odp_to_u32(*(const odp_port_t *) a_);
    uint32_t b = odp_to_u32(*(const odp_port_t *) b_);

    return a < b ? -1 : a > b;
}

/* Handles SET_ROLE 'msg' from 'request'. */
static int
handle_set_role(struct agent_server *server, const struct ofpbuf *request,
                const struct dpu_msg *msg, struct ofpbuf *reply,
                struct ds *why)
{
    uint32_t role = nl_attr_get_u32(msg->attrs[DPU_ATTR_ROLE]);
    const struct nlattr *handover_attr = msg->attrs[DPU_ATTR_HANDOVER];
    const struct dpu_handover *handover = NULL;
    odp_port_t uplinks[DPU_MAX_UPLINKS];
    size_t n_handover = 0;
    const struct nlattr *nla;
    size_t n_uplinks = 0;
    size_t left;

    if (role > DPU_ROLE_PREPARE) {
        ds_put_format(why, "unknown role %"PRIu32, role);
        return EINVAL;
    }
    if (agent_get_role(server) == AGENT_ROLE_FAILED
        && role != DPU_ROLE_STANDBY) {
        ds_put_format(why, "the DPU has a fatal error (%s): it may only "
                      "stand by", server->fault);
        return EIO;
    }
    DPU_MSG_FOR_EACH_ATTR (nla, left, request) {
        /* The policy checked the size of every UPLINK. */
        if (nl_attr_type(nla) != DPU_ATTR_UPLINK) {
            continue;
        } else if (n_uplinks >= DPU_MAX_UPLINKS) {
            ds_put_format(why, "more than %d uplinks", DPU_MAX_UPLINKS);
            return EINVAL;
        }
        uplinks[n_uplinks++] = u32_to_odp(nl_attr_get_u32(nla));
    }
    if (handover_attr) {
        handover = dpu_parse_handover(handover_attr, &n_handover, why);
        if (!handover) {
            return EINVAL;
        }
    }

    /* Uplinks that are not ports (yet) are kept: the host may add them
     * later. */
    ovs_mutex_lock(&server->role_mutex);
    free(server->uplinks);
    server->uplinks = xmalloc(n_uplinks * sizeof *uplinks);
    memcpy(server->uplinks, uplinks, n_uplinks * sizeof *uplinks);
    server->n_uplinks = n_uplinks;
    qsort(server->uplinks, n_uplinks, sizeof *uplinks, compare_odp_ports);
    ovs_mutex_unlock(&server->role_mutex);
    server->lease_ms = (msg->attrs[DPU_ATTR_LEASE_MS]
                        ? nl_attr_get_u32(msg->attrs[DPU_ATTR_LEASE_MS]) : 0);
    if (server->lease_ms) {
        /* Before it may become active: see agent_rx_hook(). */
        atomic_store_relaxed(&server->leased, true);
    }
    if (agent_get_role(server) != AGENT_ROLE_FAILED) {
        /* A failed DPU forwards nothing, standby or not. */
        agent_set_role(server, role, "set by the host", handover, n_handover,
                       (msg->attrs[DPU_ATTR_DRAIN_MS]
                        ? nl_attr_get_u32(msg->attrs[DPU_ATTR_DRAIN_MS])
                        : 0), reply);
    }
    if (!server->lease_ms) {
        /* Only now that an active DPU of a pair that stands by has recorded
         * the last of what it forwarded for its handover. */
        atomic_store_relaxed(&server->leased, false);
    }
    return 0;
}

/* Demotes an active DPU that the host has not heard from for its lease. */
static void
agent_check_lease(struct agent_server *server)
{
    if (agent_get_role(server) == DPU_ROLE_ACTIVE && server->lease_ms
        && time_msec() - server->last_host_rx >= server->lease_ms) {
        VLOG_WARN("no message from the host for %lld ms, longer than the "
                  "lease of %"PRIu32" ms: standing by",
                  time_msec() - server->last_host_rx, server->lease_ms);
        COVERAGE_INC(agent_lease_expired);
        agent_set_role(server, DPU_ROLE_STANDBY, "lease expired", NULL, 0, 0,
                       NULL);
        agent_send_event(server, NULL, "lease-expired", NULL);
    }
}

int
agent_server_inject_fault(struct agent_server *server, int argc,
                          const char *argv[], struct ds *reply)
{
    const char *fault = argc > 0 ? argv[0] : "";

    if (!strcmp(fault, "crash")) {
        VLOG_WARN("fault injected: crash");
        raise(SIGKILL);
        OVS_NOT_REACHED();
    } else if (!strcmp(fault, "hang")) {
        long long int ms = -1;

        if (argc > 1 && (!str_to_llong(argv[1], 10, &ms) || ms <= 0)) {
            ds_put_format(reply, "%s: not a positive number of "
                          "milliseconds", argv[1]);
            return EINVAL;
        }
        VLOG_WARN("fault injected: hang for %s ms", argc > 1 ? argv[1]
                  : "ever");
        server->hang_until = ms < 0 ? LLONG_MAX : time_msec() + ms;
        ds_put_cstr(reply, "hanging");
    } else if (!strcmp(fault, "pci-error")) {
        const char *details = "emulated fatal PCI error: the device "
                              "reported an uncorrectable error";

        VLOG_ERR("fault injected: %s", details);
        free(server->fault);
        server->fault = xstrdup("pci-error");
        agent_set_role(server, AGENT_ROLE_FAILED, "PCI error", NULL, 0, 0,
                       NULL);
        agent_send_event(server, NULL, "pci-error", details);
        ds_put_cstr(reply, "PCI error reported");
    } else if (!strcmp(fault, "clear")) {
        if (server->fault) {
            VLOG_INFO("fault cleared: %s", server->fault);
            free(server->fault);
            server->fault = NULL;
            agent_set_role(server, DPU_ROLE_STANDBY, "fault cleared", NULL, 0,
                           0, NULL);
            agent_send_event(server, NULL, "fault-cleared", NULL);
        }
        ds_put_cstr(reply, "cleared");
    } else if (!strcmp(fault, "link-down") || !strcmp(fault, "link-up")) {
        bool up = !strcmp(fault, "link-up");

        if (argc < 2) {
            ds_put_format(reply, "%s needs at least one port", fault);
            return EINVAL;
        }
        for (int i = 1; i < argc; i++) {
            if (!find_port(server, argv[i])) {
                ds_put_format(reply, "%s: no such port", argv[i]);
                return ENODEV;
            }
        }
        for (int i = 1; i < argc; i++) {
            struct agent_port *port = find_port(server, argv[i]);
            int error = (up
                         ? netdev_turn_flags_on(port->netdev, NETDEV_UP, NULL)
                         : netdev_turn_flags_off(port->netdev, NETDEV_UP,
                                                 NULL));
            if (error) {
                ds_put_format(reply, "%s: %s", argv[i],
                              ovs_strerror(error));
                return error;
            }
            VLOG_WARN("fault injected: %s on port %s", fault, argv[i]);
        }
        ds_put_cstr(reply, "OK");
    } else {
        ds_put_format(reply, "unknown fault \"%s\" (crash, hang [MS], "
                      "pci-error, link-down PORT..., link-up PORT..., "
                      "clear)", fault);
        return EINVAL;
    }
    return 0;
}

static void
alerts_clear(struct agent_server *server)
{
    struct shash_node *node;

    SHASH_FOR_EACH_SAFE (node, &server->alerts) {
        dpu_health_destroy(node->data, 1);
        shash_delete(&server->alerts, node);
    }
}

int
agent_server_raise_alert(struct agent_server *server, int argc,
                         const char *argv[], struct ds *reply)
{
    const char *eq = argc > 0 ? strchr(argv[0], '=') : NULL;
    int severity = DPU_SEVERITY_MAJOR;
    struct dpu_health *h;
    char *sensor;

    if (argc < 1) {
        ds_put_cstr(reply, "needs a sensor");
        return EINVAL;
    }
    sensor = eq ? xmemdup0(argv[0], eq - argv[0]) : xstrdup(argv[0]);
    if (!sensor[0] || strlen(sensor) > 63 || (eq && strlen(eq + 1) > 63)) {
        ds_put_format(reply, "%s: a sensor and a value have 1 to 63 "
                      "characters", argv[0]);
        free(sensor);
        return EINVAL;
    }
    if (argc > 1) {
        severity = dpu_severity_from_string(argv[1]);
        if (severity < 0) {
            ds_put_format(reply, "%s: not a severity (critical, major, "
                          "minor, warning, info)", argv[1]);
            free(sensor);
            return EINVAL;
        }
    }
    h = shash_find_data(&server->alerts, sensor);
    if (!h) {
        if (shash_count(&server->alerts) >= DPU_MAX_HEALTH) {
            ds_put_format(reply, "already %d alerts", DPU_MAX_HEALTH);
            free(sensor);
            return ENOSPC;
        }
        h = xzalloc(sizeof *h);
        h->sensor = xstrdup(sensor);
        shash_add(&server->alerts, sensor, h);
    }
    h->severity = severity;
    free(h->value);
    h->value = eq ? xstrdup(eq + 1) : NULL;
    free(h->message);
    if (argc > 2) {
        struct ds message = DS_EMPTY_INITIALIZER;

        for (int i = 2; i < argc; i++) {
            ds_put_format(&message, "%s%s", i > 2 ? " " : "", argv[i]);
        }
        h->message = ds_steal_cstr(&message);
    } else {
        h->message = NULL;
    }
    VLOG_WARN("health alert injected: %s%s%s (%s)%s%s", sensor,
              h->value ? "=" : "", h->value ? h->value : "",
              dpu_severity_to_string(severity), h->message ? ": " : "",
              h->message ? h->message : "");
    agent_send_health(server, NULL);
    agent_ipfix_alert(server->ipfix, sensor, h);
    ds_put_cstr(reply, "alert raised");
    free(sensor);
    return 0;
}

int
agent_server_clear_alert(struct agent_server *server, int argc,
                         const char *argv[], struct ds *reply)
{
    if (argc > 0) {
        struct dpu_health *h = shash_find_and_delete(&server->alerts,
                                                     argv[0]);

        if (!h) {
            ds_put_format(reply, "%s: no such alert", argv[0]);
            return ENOENT;
        }
        dpu_health_destroy(h, 1);
        VLOG_INFO("health alert cleared: %s", argv[0]);
        agent_ipfix_alert(server->ipfix, argv[0], NULL);
    } else {
        struct shash_node *node;

        SHASH_FOR_EACH (node, &server->alerts) {
            agent_ipfix_alert(server->ipfix, node->name, NULL);
        }
        alerts_clear(server);
        VLOG_INFO("health alerts cleared");
    }
    agent_send_health(server, NULL);
    ds_put_cstr(reply, "cleared");
    return 0;
}

int
agent_server_inject_metrics(struct agent_server *server, int argc,
                            const char *argv[], struct ds *reply)
{
    int cpu = -1, memory = -1;

    for (int i = 0; i < argc; i++) {
        const char *eq = strchr(argv[i], '=');
        int *valuep = (!eq ? NULL
                       : !strncmp(argv[i], "cpu=", 4) ? &cpu
                       : !strncmp(argv[i], "memory=", 7) ? &memory
                       : NULL);

        if (!strcmp(argv[i], "clear") && argc == 1) {
            break;
        } else if (!valuep || !str_to_int(eq + 1, 10, valuep)
                   || *valuep < 0 || *valuep > 100) {
            ds_put_format(reply, "%s: expected cpu=PERCENT, memory=PERCENT "
                          "(0 to 100) or clear", argv[i]);
            return EINVAL;
        }
    }
    agent_metrics_inject(server->metrics, cpu, memory);
    VLOG_INFO("metrics injected: cpu %d%%, memory %d%% (-1: measured)",
              cpu, memory);
    ds_put_cstr(reply, cpu < 0 && memory < 0 ? "measuring" : "injected");
    return 0;
}

void
agent_server_set_versions(struct agent_server *server, uint8_t min,
                          uint8_t max)
{
    server->version_min = min;
    server->version_max = max;
}

const char *
agent_server_get_role(const struct agent_server *server)
{
    return role_name(agent_get_role(server));
}

/* Server. */

int
agent_server_create(const char *remote, const char *dp_name,
                    const struct dpu_identity *id, bool dummy,
                    struct agent_server **serverp)
{
    struct agent_server *server;
    struct pstream *pstream;
    struct dpif *dpif;
    int error;

    *serverp = NULL;
    error = pstream_open_with_default_port(remote, DPU_DEFAULT_PORT,
                                           &pstream, DSCP_DEFAULT);
    if (error) {
        VLOG_ERR("%s: listen failed (%s)", remote, ovs_strerror(error));
        return error;
    }

    /* With dummy ports, the datapath is dpif-netdev's "dummy" flavor, whose
     * internal ports are dummies too rather than Linux tap devices. */
    error = dpif_create_and_open(dp_name, dummy ? "dummy" : "netdev", &dpif);
    if (error) {
        VLOG_ERR("cannot open datapath %s (%s)", dp_name,
                 ovs_strerror(error));
        pstream_close(pstream);
        return error;
    }

    server = xzalloc(sizeof *server);
    server->pstream = pstream;
    server->remote = xstrdup(remote);
    dpu_identity_clone(&server->id, id);
    uuid_generate((struct uuid *) &server->boot_id);
    server->caps = agent_caps(dpif);
    server->version_min = DPU_VERSION_MIN;
    server->version_max = DPU_PROTOCOL_VERSION;
    server->dummy = dummy;
    server->vlan_limit = LEGACY_MAX_VLAN_HEADERS;
    server->dpif = dpif;
    shash_init(&server->ports);
    ovs_list_init(&server->sessions);
    ovs_mutex_init(&server->upcall_mutex);
    ovs_list_init(&server->upcalls);
    server->upcall_seq = seq_create();
    server->metrics = agent_metrics_create();
    server->ipfix = agent_ipfix_create(&server->id, "active");
    shash_init(&server->alerts);

    ovs_mutex_init(&server->role_mutex);
    atomic_init(&server->role, DPU_ROLE_ACTIVE);
    atomic_init(&server->reflect_until, 0);
    atomic_init(&server->leased, false);
    hmap_init(&server->learned);
    server->held = xmalloc(AGENT_MAX_HELD * sizeof *server->held);
    hmap_init(&server->tails);
    server->recent = xmalloc(AGENT_MAX_RECENT * sizeof *server->recent);
    server->recent_since = time_usec();
    server->last_host_rx = time_msec();
    server->next_expiry = time_msec() + AGENT_LEARN_EXPIRY_INTERVAL_MS;

    dpif_register_upcall_cb(dpif, agent_upcall_cb, server);
    dpif_enable_upcall(dpif);
    dpif_netdev_set_rx_hook(dpif, agent_rx_hook, server);

    VLOG_INFO("listening on %s, boot id "UUID_FMT, remote,
              UUID_ARGS((struct uuid *) &server->boot_id));
    *serverp = server;
    return 0;
}

void
agent_server_destroy(struct agent_server *server, bool del)
{
    struct agent_session *s;
    struct shash_node *node;
    struct ofpbuf *msg;

    if (!server) {
        return;
    }
    LIST_FOR_EACH_SAFE (s, list_node, &server->sessions) {
        session_destroy(server, s);
    }
    SHASH_FOR_EACH_SAFE (node, &server->ports) {
        port_destroy(server, node->data);
    }
    dpif_netdev_set_rx_hook(server->dpif, NULL, NULL);
    dpif_disable_upcall(server->dpif);
    if (del) {
        dpif_delete(server->dpif);
    }
    dpif_close(server->dpif);
    agent_ipfix_destroy(server->ipfix);
    LIST_FOR_EACH_POP (msg, list_node, &server->upcalls) {
        ofpbuf_delete(msg);
    }
    seq_destroy(server->upcall_seq);
    ovs_mutex_destroy(&server->upcall_mutex);
    agent_metrics_destroy(server->metrics);
    alerts_clear(server);
    shash_destroy(&server->alerts);
    struct agent_learned *l;
    HMAP_FOR_EACH_POP (l, node, &server->learned) {
        free(l);
    }
    hmap_destroy(&server->learned);
    for (size_t i = 0; i < server->n_held; i++) {
        dp_packet_delete(server->held[i]);
    }
    free(server->held);
    ovs_mutex_lock(&server->role_mutex);
    agent_tails_put(server, NULL);
    agent_recent_clear(server);
    ovs_mutex_unlock(&server->role_mutex);
    hmap_destroy(&server->tails);
    free(server->recent);
    free(server->cuts);
    free(server->uplinks);
    ovs_mutex_destroy(&server->role_mutex);
    free(server->fault);
    shash_destroy(&server->ports);
    pstream_close(server->pstream);
    free(server->remote);
    dpu_identity_destroy(&server->id);
    free(server);
}

void
agent_server_run(struct agent_server *server)
{
    struct agent_session *s;
    struct stream *stream;
    int error;

    error = pstream_accept(server->pstream, &stream);
    if (!error) {
        s = xzalloc(sizeof *s);
        s->channel = dpu_channel_create(stream);
        ovs_list_init(&s->dumps);
        ovs_list_push_back(&server->sessions, &s->list_node);
        VLOG_INFO("%s: connection accepted", dpu_channel_get_name(s->channel));
    } else if (error != EAGAIN) {
        VLOG_WARN_RL(&rl, "%s: accept failed (%s)", server->remote,
                     ovs_strerror(error));
    }

    if (server->hang_until) {
        /* An injected hang: the agent answers nothing and, since it polls
         * its ports from this thread, forwards nothing. */
        while (time_msec() < server->hang_until) {
            xnanosleep(10 * 1000 * 1000);
        }
        server->hang_until = 0;
        VLOG_WARN("hang over");
    }
    /* Before the datapath forwards anything: a DPU that was out of touch
     * for longer than its lease must not forward even once. */
    agent_check_lease(server);
    dpif_run(server->dpif);
    send_upcalls(server);
    agent_ipfix_run(server->ipfix);
    check_port_changes(server);
    agent_metrics_run(server->metrics, server->n_upcalls_sent);

    LIST_FOR_EACH_SAFE (s, list_node, &server->sessions) {
        if (!session_run(server, s)) {
            session_destroy(server, s);
        } else {
            dpu_channel_run(s->channel);
        }
    }
    agent_check_lease(server);

    ovs_mutex_lock(&server->role_mutex);
    bool announce = server->announce_at && time_msec() >= server->announce_at;
    if (announce) {
        server->announce_at = 0;
    }
    agent_cuts_expire(server);
    uint64_t timeouts = server->n_handover_timeouts;
    ovs_mutex_unlock(&server->role_mutex);
    if (timeouts != server->n_handover_timeouts_logged) {
        VLOG_WARN("%"PRIu64" ports did not receive, in %d ms, the last "
                  "packets that the previous active DPU forwarded from "
                  "them", timeouts - server->n_handover_timeouts_logged,
                  AGENT_HANDOVER_WAIT_MS);
        server->n_handover_timeouts_logged = timeouts;
    }
    if (announce) {
        atomic_store_relaxed(&server->reflect_until,
                             time_msec() + AGENT_REFLECT_WINDOW_MS);
        agent_announce(server, true);
    }

    /* Once the window for reflections has passed, the threads that poll
     * ports need not read the clock for it any more. */
    long long int reflect_until;
    atomic_read_relaxed(&server->reflect_until, &reflect_until);
    if (reflect_until && time_msec() >= reflect_until) {
        atomic_store_relaxed(&server->reflect_until, 0);
    }

    if (time_msec() >= server->next_expiry) {
        ovs_mutex_lock(&server->role_mutex);
        agent_expire_learned(server);
        ovs_mutex_unlock(&server->role_mutex);
        server->next_expiry = time_msec() + AGENT_LEARN_EXPIRY_INTERVAL_MS;
    }
}

void
agent_server_wait(struct agent_server *server)
{
    struct agent_session *s;
    struct shash_node *node;

    pstream_wait(server->pstream);
    dpif_wait(server->dpif);
    agent_metrics_wait(server->metrics);
    agent_ipfix_wait(server->ipfix);
    if (agent_get_role(server) == DPU_ROLE_ACTIVE && server->lease_ms) {
        poll_timer_wait_until(server->last_host_rx + server->lease_ms);
    }
    if (agent_get_role(server) != DPU_ROLE_ACTIVE) {
        /* Only a DPU that is not active learns addresses. */
        poll_timer_wait_until(server->next_expiry);
    }
    if (server->hang_until) {
        poll_immediate_wake();
    }
    ovs_mutex_lock(&server->role_mutex);
    if (server->announce_at) {
        poll_timer_wait_until(server->announce_at);
    }
    if (server->n_cuts) {
        poll_timer_wait_until(server->cut_deadline);
    }
    ovs_mutex_unlock(&server->role_mutex);
    seq_wait(server->upcall_seq, seq_read(server->upcall_seq));
    ovs_mutex_lock(&server->upcall_mutex);
    if (!ovs_list_is_empty(&server->upcalls)) {
        poll_immediate_wake();
    }
    ovs_mutex_unlock(&server->upcall_mutex);
    SHASH_FOR_EACH (node, &server->ports) {
        struct agent_port *port = node->data;

        if (netdev_get_change_seq(port->netdev) != port->change_seq) {
            poll_immediate_wake();
        }
    }
    LIST_FOR_EACH (s, list_node, &server->sessions) {
        dpu_channel_wait(s->channel);
        dpu_channel_recv_wait(s->channel);
    }
}

void
agent_server_format(const struct agent_server *server_, struct ds *ds)
{
    struct agent_server *server = CONST_CAST(struct agent_server *, server_);
    const struct shash_node **nodes;
    struct agent_session *s;
    uint64_t dropped;

    ds_put_format(ds, "DPU %s %s, hardware %s, firmware %s, serial %s, "
                  "image %s\n", server->id.vendor, server->id.model,
                  server->id.hw_version, server->id.firmware,
                  server->id.serial, server->id.image_version);
    ds_put_format(ds, "boot id "UUID_FMT", listening on %s, protocol "
                  "versions %"PRIu8" to %"PRIu8"\n",
                  UUID_ARGS((struct uuid *) &server->boot_id),
                  server->remote, server->version_min, server->version_max);

    ovs_mutex_lock(&server->upcall_mutex);
    dropped = server->n_upcalls_dropped;
    ovs_mutex_unlock(&server->upcall_mutex);
    ds_put_format(ds, "upcalls: sent %"PRIu64", dropped %"PRIu64"\n",
                  server->n_upcalls_sent, dropped);

    ovs_mutex_lock(&server->role_mutex);
    ds_put_format(ds, "role: %s, lease ",
                  role_name(agent_get_role(server)));
    if (server->lease_ms) {
        ds_put_format(ds, "%"PRIu32" ms", server->lease_ms);
    } else {
        ds_put_cstr(ds, "none");
    }
    ds_put_format(ds, ", last host message %lld ms ago, fault %s\n",
                  time_msec() - server->last_host_rx,
                  server->fault ? server->fault : "none");
    ds_put_cstr(ds, "  uplinks:");
    for (size_t i = 0; i < server->n_uplinks; i++) {
        ds_put_format(ds, " %"PRIu32, odp_to_u32(server->uplinks[i]));
    }
    ds_put_format(ds, "%s\n", server->n_uplinks ? "" : " none");
    ds_put_format(ds, "  %"PRIuSIZE" addresses learned, %"PRIu64
                  " announcements sent, %"PRIu64" reflections dropped\n",
                  hmap_count(&server->learned), server->n_announcements,
                  server->n_reflections);
    ds_put_format(ds, "  received while not active: %"PRIu64" dropped, %"
                  PRIu64" held, %"PRIu64" of them forwarded, %"PRIuSIZE
                  " held now\n", server->n_rx_dropped, server->n_rx_held,
                  server->n_rx_replayed, server->n_held);
    ds_put_format(ds, "  handover: %"PRIu64" received while standby "
                  "forwarded on activation, %"PRIu64" not (the previous "
                  "active DPU did), %"PRIu64" ports timed out; %"PRIu64
                  " delivered from uplinks while draining",
                  server->n_taken_over, server->n_handed_over,
                  server->n_handover_timeouts, server->n_drained);
    if (server->drain_until > time_msec()) {
        ds_put_format(ds, " (for %lld ms more)",
                      server->drain_until - time_msec());
    }
    ds_put_char(ds, '\n');
    ovs_mutex_unlock(&server->role_mutex);
    agent_metrics_format(server->metrics, ds);
    nodes = shash_sort(&server->alerts);
    ds_put_format(ds, "health alerts: %"PRIuSIZE"\n",
                  shash_count(&server->alerts));
    for (size_t i = 0; i < shash_count(&server->alerts); i++) {
        const struct dpu_health *h = nodes[i]->data;

        ds_put_format(ds, "  %s%s%s (%s)%s%s\n", h->sensor,
                      h->value ? "=" : "", h->value ? h->value : "",
                      dpu_severity_to_string(h->severity),
                      h->message ? ": " : "", h->message ? h->message : "");
    }
    free(nodes);

    LIST_FOR_EACH (s, list_node, &server->sessions) {
        struct dpu_channel_stats stats;

        dpu_channel_get_stats(s->channel, &stats);
        ds_put_format(ds, "connection %s%s: requests %"PRIu64", errors "
                      "%"PRIu64, dpu_channel_get_name(s->channel),
                      s == server->upcall_session ? " (host, upcalls)" : "",
                      s->n_requests, s->n_errors);
        if (s->hello_done) {
            ds_put_format(ds, ", protocol version %"PRIu8,
                          dpu_channel_get_version(s->channel));
        }
        ds_put_cstr(ds, "\n  ");
        dpu_channel_format_stats(&stats, ds);
        ds_put_char(ds, '\n');
    }

    nodes = shash_sort(&server->ports);
    ds_put_format(ds, "ports: %"PRIuSIZE"\n", shash_count(&server->ports));
    for (size_t i = 0; i < shash_count(&server->ports); i++) {
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

void
agent_server_format_ipfix(struct agent_server *server, struct ds *ds)
{
    agent_ipfix_format(server->ipfix, ds);
}
