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
#include <sys/resource.h>

#include "agent-bond.h"
#include "agent-conntrack.h"
#include "agent-ct-sync.h"
#include "agent-datapath.h"
#include "agent-ha.h"
#include "agent-health.h"
#include "agent-image.h"
#include "agent-ipfix.h"
#include "agent-logs.h"
#include "agent-meter.h"
#include "agent-metrics.h"
#include "agent-qos.h"
#include "agent-route.h"
#include "agent-upcall.h"
#include "byte-order.h"
#include "coverage.h"
#include "dpif.h"
#include "dpu-channel.h"
#include "dpu-codec.h"
#include "dpu-crash-point.h"
#include "netlink.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/list.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/vlog.h"
#include "stream.h"
#include "stream-fd.h"
#include "timeval.h"
#include "util.h"
#include "uuid.h"

VLOG_DEFINE_THIS_MODULE(agent_server);

COVERAGE_DEFINE(agent_bad_request);     /* Malformed request from a host. */

/* A misbehaving host must not fill the DPU's log. */
static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

/* Most dumps (flow and conntrack) open on one connection. */
#define MAX_DUMPS 16

/* Most messages that one session processes in one run of the server. */
#define MAX_REQUESTS_PER_RUN 50

struct agent_session {
    struct ovs_list list_node;  /* In 'sessions'. */
    struct dpu_channel *channel;
    bool hello_done;
    struct ovs_list dumps;      /* struct agent_dump. */
    uint64_t n_requests, n_errors;

    /* A crash point to fire once the reply to the current request is
     * sent, or NULL. */
    const struct dpu_crash_point *crash_after_reply;
};

struct agent_server {
    struct pstream *pstream;
    char *remote;
    struct dpu_identity id;
    ovs_u128 boot_id;
    uint32_t caps;              /* DPU_CAP_*, announced in HELLO. */
    uint8_t version_min;        /* The protocol versions it speaks. */
    uint8_t version_max;
    struct ovs_list sessions;   /* struct agent_session. */
    struct agent_session *upcall_session;   /* Receives upcalls, or NULL. */
    long long int last_host_rx; /* Last message from any host. */

    /* The modules (see agent-server.h). */
    struct agent_dp *dp;
    struct agent_upcalls *upcalls;
    struct agent_ha *ha;
    struct agent_health *health;
    struct agent_metrics *metrics;
    struct agent_ipfix *ipfix;
    struct agent_image *image;  /* Null without a boot loader. */
    struct agent_ct_sync *ct_sync;
    struct agent_route *route;
};

/* The modules. */

struct agent_dp *
agent_server_dp(const struct agent_server *server)
{
    return server->dp;
}

struct agent_upcalls *
agent_server_upcalls(const struct agent_server *server)
{
    return server->upcalls;
}

struct agent_ha *
agent_server_ha(const struct agent_server *server)
{
    return server->ha;
}

struct agent_ct_sync *
agent_server_ct_sync(const struct agent_server *server)
{
    return server->ct_sync;
}

struct agent_health *
agent_server_health(const struct agent_server *server)
{
    return server->health;
}

struct agent_metrics *
agent_server_metrics(const struct agent_server *server)
{
    return server->metrics;
}

struct agent_ipfix *
agent_server_ipfix(const struct agent_server *server)
{
    return server->ipfix;
}

struct agent_image *
agent_server_image(const struct agent_server *server)
{
    return server->image;
}

long long int
agent_server_last_host_rx(const struct agent_server *server)
{
    return server->last_host_rx;
}

struct dpu_channel *
agent_server_upcall_channel(const struct agent_server *server)
{
    return server->upcall_session ? server->upcall_session->channel : NULL;
}

/* Asynchronous messages. */

void
agent_server_send_async(struct agent_server *server, struct agent_session *s,
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

struct ofpbuf *
agent_server_start_event(struct agent_server *server, const char *event)
{
    struct ofpbuf *b = ofpbuf_new(256);

    dpu_msg_start(b, DPU_MSG_DPU_EVENT, 0, 0);
    nl_msg_put_string(b, DPU_ATTR_EVENT, event);
    nl_msg_put_u32(b, DPU_ATTR_ROLE, agent_ha_wire_role(server->ha));
    return b;
}

void
agent_server_send_event(struct agent_server *server, struct agent_session *s,
                        const char *event, const char *details)
{
    struct ofpbuf *b = agent_server_start_event(server, event);

    if (details) {
        nl_msg_put_string(b, DPU_ATTR_ERROR_MSG, details);
    }
    agent_server_send_async(server, s, b);
}

/* Dumps. */

struct agent_dump *
agent_session_find_dump(struct agent_session *s, uint32_t id)
{
    struct agent_dump *d;

    LIST_FOR_EACH (d, list_node, &s->dumps) {
        if (d->id == id) {
            return d;
        }
    }
    return NULL;
}

int
agent_session_add_dump(struct agent_session *s, struct agent_dump *dump,
                       uint32_t id, const struct agent_dump_class *class,
                       struct ds *why)
{
    if (ovs_list_size(&s->dumps) >= MAX_DUMPS) {
        ds_put_cstr(why, "too many dumps");
        return EBUSY;
    }
    dump->id = id;
    dump->class = class;
    ovs_list_push_back(&s->dumps, &dump->list_node);
    return 0;
}

void
agent_dump_destroy(struct agent_dump *dump)
{
    ovs_list_remove(&dump->list_node);
    dump->class->destroy(dump);
}

void
agent_reply_set_more(struct ofpbuf *reply)
{
    struct dpu_header *h = ofpbuf_at_assert(reply, 0, DPU_HEADER_LEN);

    h->flags |= htons(DPU_F_MORE);
}

/* Requests. */

static int
handle_echo(const struct agent_request *req OVS_UNUSED,
            struct ofpbuf *reply OVS_UNUSED, struct ds *why OVS_UNUSED)
{
    return 0;
}

static int
handle_flow_dump_done(const struct agent_request *req,
                      struct ofpbuf *reply OVS_UNUSED,
                      struct ds *why OVS_UNUSED)
{
    uint32_t id = nl_attr_get_u32(req->msg->attrs[DPU_ATTR_DUMP_ID]);
    struct agent_dump *d = agent_session_find_dump(req->session, id);

    if (d) {
        agent_dump_destroy(d);
    }
    return 0;
}

/* The handler of each request type that a DPU serves.  The catalogue (see
 * dpu_msg_info()) says which capability each needs. */
struct agent_handler {
    agent_handler_func *func;
    bool quiet_einval;          /* EINVAL is an answer of a device (a read
                                 * of a queue that it lacks), not a sign of
                                 * a malformed request. */
    bool from_host_async;       /* The host sends it with xid 0 and expects
                                 * no answer (DPU_DIR_ASYNC in both
                                 * directions). */
};

static const struct agent_handler handlers[DPU_N_MSGS] = {
    [DPU_MSG_ECHO] = { handle_echo, false },
    [DPU_MSG_DP_GET_STATS] = { agent_dp_get_stats_request, false },
    [DPU_MSG_DP_SET_CONFIG] = { agent_dp_set_config, false },
    [DPU_MSG_PORT_ADD] = { agent_dp_port_add, false },
    [DPU_MSG_PORT_DEL] = { agent_dp_port_del, false },
    [DPU_MSG_PORT_DUMP] = { agent_dp_port_dump, false },
    [DPU_MSG_NETDEV_GET] = { agent_dp_netdev_get, false },
    [DPU_MSG_NETDEV_SET] = { agent_dp_netdev_set, false },
    [DPU_MSG_OPERATE] = { agent_dp_operate, false },
    [DPU_MSG_FLOW_FLUSH] = { agent_dp_flow_flush, false },
    [DPU_MSG_FLOW_DUMP] = { agent_dp_flow_dump, false },
    [DPU_MSG_FLOW_DUMP_DONE] = { handle_flow_dump_done, false },
    [DPU_MSG_METER_FEATURES] = { agent_meter_features, false },
    [DPU_MSG_METER_SET] = { agent_meter_set, false },
    [DPU_MSG_METER_GET] = { agent_meter_get, false },
    [DPU_MSG_METER_DEL] = { agent_meter_del, false },
    [DPU_MSG_CT_FLUSH] = { agent_ct_flush, false },
    [DPU_MSG_CT_DUMP] = { agent_ct_dump, false },
    [DPU_MSG_CT_SET_MAXCONNS] = { agent_ct_set_maxconns, false },
    [DPU_MSG_CT_GET_MAXCONNS] = { agent_ct_get_maxconns, false },
    [DPU_MSG_CT_GET_NCONNS] = { agent_ct_get_nconns, false },
    [DPU_MSG_CT_SET_LIMITS] = { agent_ct_set_limits, false },
    [DPU_MSG_CT_GET_LIMITS] = { agent_ct_get_limits, false },
    [DPU_MSG_CT_DEL_LIMITS] = { agent_ct_del_limits, false },
    [DPU_MSG_CT_SET_TP] = { agent_ct_set_tp, false },
    [DPU_MSG_CT_GET_TP] = { agent_ct_get_tp, false },
    [DPU_MSG_CT_DEL_TP] = { agent_ct_del_tp, false },
    [DPU_MSG_QOS_GET_TYPES] = { agent_qos_get_types, true },
    [DPU_MSG_QOS_GET] = { agent_qos_get, true },
    [DPU_MSG_QOS_SET] = { agent_qos_set, false },
    [DPU_MSG_QUEUE_GET] = { agent_queue_get, true },
    [DPU_MSG_QUEUE_SET] = { agent_queue_set, false },
    [DPU_MSG_QUEUE_DEL] = { agent_queue_del, false },
    [DPU_MSG_QUEUE_DUMP] = { agent_queue_dump, true },
    [DPU_MSG_GET_METRICS] = { agent_metrics_get_request, false },
    [DPU_MSG_IPFIX_SET] = { agent_ipfix_set_request, false },
    [DPU_MSG_SET_ROLE] = { agent_ha_set_role, false },
    [DPU_MSG_ALARM] = { agent_ipfix_alarm_request, false },
    [DPU_MSG_BOND_SET] = { agent_bond_set, false },
    [DPU_MSG_BOND_DEL] = { agent_bond_del, false },
    [DPU_MSG_BOND_STATS] = { agent_bond_stats, false },
    [DPU_MSG_IMAGE_BEGIN] = { agent_image_begin, false },
    [DPU_MSG_IMAGE_DATA] = { agent_image_data, false },
    [DPU_MSG_IMAGE_END] = { agent_image_end, false },
    [DPU_MSG_IMAGE_SELECT] = { agent_image_select, false },
    [DPU_MSG_LOG_GET] = { agent_logs_get, false },
    [DPU_MSG_CT_SYNC_REQ] = { agent_ct_sync_req, false },
    [DPU_MSG_CT_SYNC] = { agent_ct_sync_receive, false, true },
    [DPU_MSG_CT_SYNC_DONE] = { agent_ct_sync_receive, false, true },
};

/* Answers HELLO 'msg' from 's' in 'reply'. */
static void
handle_hello(struct agent_server *server, struct agent_session *s,
             const struct dpu_msg *msg, struct ofpbuf *reply)
{
    const char *dp_name = agent_dp_name(server->dp);
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
    if (strcmp(req.dp_name, dp_name)) {
        dpu_msg_put_error(reply, msg->xid, ENODEV, "this DPU serves datapath "
                          "%s, not %s", dp_name, req.dp_name);
        return;
    }
    s->hello_done = true;
    if (req.want_upcalls) {
        if (server->upcall_session && server->upcall_session != s) {
            VLOG_INFO("%s: takes over upcalls from %s",
                      dpu_channel_get_name(s->channel),
                      dpu_channel_get_name(server->upcall_session->channel));
        }
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
        .explicit_drop = dpif_supports_explicit_drop_action(
                             agent_dp_dpif(server->dp)),
        .lb_output = dpif_supports_lb_output_action(
                         agent_dp_dpif(server->dp)),
        .dp_version = "<built-in>",
        .has_role = (server->caps & DPU_CAP_HA) != 0,
        .role = agent_ha_wire_role(server->ha),
    };
    dpu_msg_start(reply, DPU_MSG_HELLO, msg->xid, DPU_F_REPLY);
    dpu_put_hello_reply(reply, &hr);
    dpu_msg_finish(reply);
}

/* Answers request 'msg', the whole of which is 'buf', from 's' in
 * 'reply'. */
static void
handle_request(struct agent_server *server, struct agent_session *s,
               const struct ofpbuf *buf, const struct dpu_msg *msg,
               struct ofpbuf *reply)
{
    const struct agent_handler *handler = (msg->type < DPU_N_MSGS
                                           ? &handlers[msg->type] : NULL);
    const struct dpu_msg_info *info = dpu_msg_info(msg->type);
    struct ds why = DS_EMPTY_INITIALIZER;
    int error;

    if (msg->type == DPU_MSG_HELLO) {
        handle_hello(server, s, msg, reply);
        return;
    } else if (!s->hello_done) {
        dpu_msg_put_error(reply, msg->xid, EPROTO, "%s before HELLO",
                          dpu_msg_type_to_string(msg->type));
        return;
    } else if (!handler || !handler->func || !info) {
        dpu_msg_put_error(reply, msg->xid, EOPNOTSUPP, "%s is not supported "
                          "by this DPU", dpu_msg_type_to_string(msg->type));
        return;
    } else if (info->cap & ~server->caps) {
        dpu_msg_put_error(reply, msg->xid, EOPNOTSUPP, "%s: this DPU's "
                          "datapath does not support it",
                          dpu_msg_type_to_string(msg->type));
        return;
    }

    struct agent_request req = {
        .server = server,
        .session = s,
        .buf = buf,
        .msg = msg,
        .version = dpu_channel_get_version(s->channel),
    };
    dpu_msg_start(reply, msg->type, msg->xid, DPU_F_REPLY);
    error = handler->func(&req, reply, &why);
    if (error == EINVAL && !handler->quiet_einval) {
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

static void session_bad_message(struct agent_session *, const char *what);

/* Handles asynchronous message 'msg', the whole of which is 'buf', from
 * 's': the host sends it on from another DPU and expects no answer. */
static void
handle_async(struct agent_server *server, struct agent_session *s,
             const struct ofpbuf *buf, const struct dpu_msg *msg)
{
    const struct agent_handler *handler = &handlers[msg->type];
    struct ds why = DS_EMPTY_INITIALIZER;

    if (!s->hello_done || dpu_msg_info(msg->type)->cap & ~server->caps) {
        session_bad_message(s, "unexpected asynchronous message, dropped");
        return;
    }

    struct agent_request req = {
        .server = server,
        .session = s,
        .buf = buf,
        .msg = msg,
        .version = dpu_channel_get_version(s->channel),
    };
    if (handler->func(&req, NULL, &why)) {
        s->n_errors++;
        COVERAGE_INC(agent_bad_request);
        VLOG_WARN_RL(&rl, "%s: bad %s: %s", dpu_channel_get_name(s->channel),
                     dpu_msg_type_to_string(msg->type), ds_cstr(&why));
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
        agent_dump_destroy(d);
    }
    ovs_list_remove(&s->list_node);
    dpu_channel_close(s->channel);
    free(s);
}

/* Counts and logs a message from 's' that is no request: 'what' says
 * why. */
static void
session_bad_message(struct agent_session *s, const char *what)
{
    COVERAGE_INC(agent_bad_request);
    s->n_errors++;
    VLOG_WARN_RL(&rl, "%s: %s", dpu_channel_get_name(s->channel), what);
}

/* Tells a host that just said HELLO what it must know of the DPU at once. */
static void
session_greet(struct agent_server *server, struct agent_session *s)
{
    const char *fault = agent_ha_get_fault(server->ha);

    if (fault) {
        /* A host that connects to a failed DPU learns why at once. */
        agent_server_send_event(server, s, fault,
                                "the fatal error reported earlier stands");
    }
    if (s == server->upcall_session) {
        /* A host that connects learns the DPU's health alerts, also that
         * there are none. */
        agent_health_send(server->health, s);
        /* And its routes, for the host's native tunnelling. */
        agent_route_send(server->route, s);
    }
}

void
agent_request_crash_after_reply(const struct agent_request *req,
                                const struct dpu_crash_point *cp)
{
    req->session->crash_after_reply = cp;
}

/* Sends what 's' has queued, for a crash point that fires after a reply:
 * as much as the peer takes in a second. */
static void
session_flush(struct agent_session *s)
{
    for (int i = 0; i < 100 && dpu_channel_get_backlog(s->channel)
                    && !dpu_channel_get_status(s->channel); i++) {
        dpu_channel_run(s->channel);
        if (dpu_channel_get_backlog(s->channel)) {
            xnanosleep(10 * 1000 * 1000);
        }
    }
}

/* Processes message 'buf' that 's' received. */
static void
session_receive(struct agent_server *server, struct agent_session *s,
                struct ofpbuf *buf)
{
    struct ofpbuf *reply = NULL;
    struct dpu_msg msg;
    char *why;
    int error;

    s->n_requests++;
    if (s->hello_done) {
        server->last_host_rx = time_msec();
    }
    error = dpu_msg_decode(buf, &msg, &why);
    if (error) {
        char *what = xasprintf("bad message: %s", why);

        session_bad_message(s, what);
        free(what);
        if (msg.xid) {
            /* An answer with xid 0 would match nothing the peer sent. */
            reply = ofpbuf_new(256);
            dpu_msg_put_error(reply, msg.xid, error, "%s", why);
        }
        free(why);
    } else if (!msg.xid && !(msg.flags & DPU_F_REPLY)
               && handlers[msg.type].from_host_async) {
        handle_async(server, s, buf, &msg);
    } else if (msg.flags & DPU_F_REPLY || !msg.xid) {
        /* The agent sends no requests, so it expects no replies, and every
         * host message is a request. */
        char *what = xasprintf("unexpected %s %s, dropped",
                               dpu_msg_type_to_string(msg.type),
                               msg.flags & DPU_F_REPLY ? "reply" : "message");

        session_bad_message(s, what);
        free(what);
    } else {
        reply = ofpbuf_new(1024);
        handle_request(server, s, buf, &msg, reply);
    }
    if (reply) {
        dpu_channel_send(s->channel, reply);
    }
    if (s->crash_after_reply) {
        session_flush(s);
        dpu_crash_point_fire(s->crash_after_reply);
    }
    if (!error && msg.type == DPU_MSG_HELLO && !(msg.flags & DPU_F_REPLY)
        && msg.xid && s->hello_done) {
        session_greet(server, s);
    }
}

/* Processes what 's' received.  Returns false if 's' must be closed. */
static bool
session_run(struct agent_server *server, struct agent_session *s)
{
    dpu_channel_run(s->channel);
    for (int i = 0; i < MAX_REQUESTS_PER_RUN; i++) {
        struct ofpbuf *buf;
        int error;

        error = dpu_channel_recv(s->channel, &buf);
        if (error) {
            return error == EAGAIN;
        }
        session_receive(server, s, buf);
        ofpbuf_delete(buf);
    }
    return true;
}

/* Server. */

/* The host's connections take file descriptors from this one up (or from
 * 64 below the limit of open files, if that is lower), above every other
 * file that the agent opens, as long as it opens fewer.  When the agent
 * dies, the kernel closes its files from the highest descriptor down and
 * takes an RCU grace period, milliseconds, to release each packet socket
 * of a port: the host's connections, closed first, tell it at once that the
 * agent is gone, instead of after its ports. */
#define SESSION_FD_MIN 4096

static void
place_sessions_high(void)
{
    struct rlimit rlim;
    int min = SESSION_FD_MIN;

    if (!getrlimit(RLIMIT_NOFILE, &rlim) && rlim.rlim_cur != RLIM_INFINITY
        && rlim.rlim_cur < SESSION_FD_MIN + 64) {
        min = MAX((int) rlim.rlim_cur - 64, 0);
    }
    pstream_set_accept_fd_min(min);
}

int
agent_server_create(const char *remote, const char *dp_name,
                    const struct dpu_identity *id, bool dummy,
                    struct agent_server **serverp)
{
    struct agent_server *server;
    struct pstream *pstream;
    int error;

    *serverp = NULL;
    place_sessions_high();
    error = pstream_open_with_default_port(remote, DPU_DEFAULT_PORT,
                                           &pstream, DSCP_DEFAULT);
    if (error) {
        VLOG_ERR("%s: listen failed (%s)", remote, ovs_strerror(error));
        return error;
    }

    server = xzalloc(sizeof *server);
    dpu_identity_clone(&server->id, id);
    server->metrics = agent_metrics_create();
    server->ipfix = agent_ipfix_create(&server->id, "active");
    server->upcalls = agent_upcalls_create(server->ipfix, server->metrics);
    error = agent_dp_create(dp_name, dummy, server->upcalls, server->ipfix,
                            server->metrics, &server->dp);
    if (error) {
        agent_upcalls_destroy(server->upcalls);
        agent_ipfix_destroy(server->ipfix);
    agent_image_destroy(server->image);
        agent_metrics_destroy(server->metrics);
        dpu_identity_destroy(&server->id);
        free(server);
        pstream_close(pstream);
        return error;
    }
    server->ha = agent_ha_create(server, server->dp, server->ipfix);
    server->health = agent_health_create(server, server->ipfix);
    server->ct_sync = agent_ct_sync_create(server, server->dp, server->ha);
    server->route = agent_route_create(server);

    server->pstream = pstream;
    server->remote = xstrdup(remote);
    uuid_generate((struct uuid *) &server->boot_id);
    server->caps = agent_dp_caps(server->dp) | DPU_CAP_TNL_ROUTES;
    server->version_min = DPU_VERSION_MIN;
    server->version_max = DPU_PROTOCOL_VERSION;
    ovs_list_init(&server->sessions);
    server->last_host_rx = time_msec();

    VLOG_INFO("listening on %s, boot id "UUID_FMT, remote,
              UUID_ARGS((struct uuid *) &server->boot_id));
    *serverp = server;
    return 0;
}

void
agent_server_destroy(struct agent_server *server, bool del)
{
    struct agent_session *s;

    if (!server) {
        return;
    }
    LIST_FOR_EACH_SAFE (s, list_node, &server->sessions) {
        session_destroy(server, s);
    }
    /* The hooks into the datapath first. */
    agent_ct_sync_destroy(server->ct_sync);
    agent_route_destroy(server->route);
    agent_ha_destroy(server->ha);
    agent_dp_destroy(server->dp, del);
    agent_upcalls_destroy(server->upcalls);
    agent_health_destroy(server->health);
    agent_ipfix_destroy(server->ipfix);
    agent_metrics_destroy(server->metrics);
    pstream_close(server->pstream);
    free(server->remote);
    dpu_identity_destroy(&server->id);
    free(server);
}

/* Makes the agent take images (DPU_CAP_IMAGE) and hand them to the boot
 * loader whose control socket is 'boot_ctl'. */
void
agent_server_set_boot_loader(struct agent_server *server,
                             const char *boot_ctl)
{
    agent_image_destroy(server->image);
    server->image = agent_image_create(boot_ctl);
    server->caps |= DPU_CAP_IMAGE;
}

void
agent_server_set_versions(struct agent_server *server, uint8_t min,
                          uint8_t max)
{
    server->version_min = min;
    server->version_max = max;
}

void
agent_server_run(struct agent_server *server)
{
    struct dpu_channel *upcall_channel;
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

    /* Before the datapath forwards anything: a DPU that was out of touch
     * for longer than its lease must not forward even once. */
    agent_ha_check_lease(server->ha);
    upcall_channel = agent_server_upcall_channel(server);
    agent_dp_run(server->dp, upcall_channel);
    agent_upcalls_run(server->upcalls, upcall_channel);
    agent_ipfix_run(server->ipfix);
    agent_metrics_run(server->metrics, agent_upcalls_n_sent(server->upcalls));

    LIST_FOR_EACH_SAFE (s, list_node, &server->sessions) {
        if (!session_run(server, s)) {
            session_destroy(server, s);
        } else {
            dpu_channel_run(s->channel);
        }
    }
    agent_ha_run(server->ha);
    agent_image_run(server->image, ovs_list_size(&server->sessions));
    agent_ct_sync_run(server->ct_sync);
    agent_route_run(server->route, server->upcall_session);
}

void
agent_server_wait(struct agent_server *server)
{
    struct agent_session *s;

    pstream_wait(server->pstream);
    agent_dp_wait(server->dp);
    agent_upcalls_wait(server->upcalls);
    agent_metrics_wait(server->metrics);
    agent_ipfix_wait(server->ipfix);
    agent_ha_wait(server->ha);
    agent_route_wait(server->route);
    agent_image_wait(server->image);
    agent_ct_sync_wait(server->ct_sync);
    LIST_FOR_EACH (s, list_node, &server->sessions) {
        dpu_channel_wait(s->channel);
        dpu_channel_recv_wait(s->channel);
    }
}

void
agent_server_format(const struct agent_server *server, struct ds *ds)
{
    struct agent_session *s;

    ds_put_format(ds, "DPU %s %s, hardware %s, firmware %s, serial %s, "
                  "image %s\n", server->id.vendor, server->id.model,
                  server->id.hw_version, server->id.firmware,
                  server->id.serial, server->id.image_version);
    ds_put_format(ds, "boot id "UUID_FMT", listening on %s, protocol "
                  "versions %"PRIu8" to %"PRIu8"\n",
                  UUID_ARGS((struct uuid *) &server->boot_id),
                  server->remote, server->version_min, server->version_max);
    agent_upcalls_format(server->upcalls, ds);
    agent_ha_format(server->ha, ds);
    agent_metrics_format(server->metrics, ds);
    agent_health_format(server->health, ds);
    agent_route_format(server->route, ds);
    if (server->image) {
        agent_image_format(server->image, ds);
    }

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
    agent_dp_format(server->dp, ds);
}
