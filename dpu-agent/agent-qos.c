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
#include "agent-qos.h"

#include <errno.h>

#include "agent-datapath.h"
#include "dpu-codec.h"
#include "netdev.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofpbuf.h"
#include "smap.h"
#include "sset.h"
#include "util.h"

/* What every QoS request names: a port, and perhaps details and a queue. */
struct qos_request {
    struct agent_port *port;
    const char *name;
    struct smap details;        /* QOS_DETAILS, empty if absent. */
    unsigned int queue_id;      /* QUEUE_ID, 0 if absent. */
};

/* Decodes the port, details and queue of QoS request 'req' into '*q', which
 * the caller must release with smap_destroy(&q->details) whatever the
 * result.  Returns 0 or a positive errno value. */
static int
qos_request_parse(const struct agent_request *req, struct qos_request *q,
                  struct ds *why)
{
    struct nlattr *const *attrs = req->msg->attrs;

    smap_init(&q->details);
    q->name = nl_attr_get_string(attrs[DPU_ATTR_PORT_NAME]);
    q->port = agent_dp_find_port(agent_server_dp(req->server), q->name);
    q->queue_id = (attrs[DPU_ATTR_QUEUE_ID]
                   ? nl_attr_get_u32(attrs[DPU_ATTR_QUEUE_ID]) : 0);
    if (!q->port) {
        ds_put_format(why, "no port %s", q->name);
        return ENODEV;
    }
    if (attrs[DPU_ATTR_QOS_DETAILS]
        && !dpu_parse_smap(attrs[DPU_ATTR_QOS_DETAILS], &q->details)) {
        ds_put_format(why, "%s: malformed QoS details", q->name);
        return EINVAL;
    }
    return 0;
}

int
agent_qos_get_types(const struct agent_request *req, struct ofpbuf *reply,
                    struct ds *why)
{
    struct sset types = SSET_INITIALIZER(&types);
    struct qos_request q;
    const char *type;
    int error;

    error = qos_request_parse(req, &q, why);
    if (error) {
        goto out;
    }
    error = netdev_get_qos_types(q.port->netdev, &types);
    SSET_FOR_EACH (type, &types) {
        struct netdev_qos_capabilities caps;
        size_t ofs = nl_msg_start_nested(reply, DPU_ATTR_QOS_CAPS);

        nl_msg_put_string(reply, DPU_QOS_ATTR_TYPE, type);
        if (!netdev_get_qos_capabilities(q.port->netdev, type, &caps)) {
            nl_msg_put_u32(reply, DPU_QOS_ATTR_N_QUEUES, caps.n_queues);
        }
        nl_msg_end_nested(reply, ofs);
    }
    if (error) {
        ds_put_format(why, "%s: cannot list QoS types (%s)", q.name,
                      ovs_strerror(error));
    }
out:
    sset_destroy(&types);
    smap_destroy(&q.details);
    return error;
}

int
agent_qos_get(const struct agent_request *req, struct ofpbuf *reply,
              struct ds *why)
{
    struct qos_request q;
    const char *type;
    int error;

    error = qos_request_parse(req, &q, why);
    if (!error) {
        error = netdev_get_qos(q.port->netdev, &type, &q.details);
        if (error) {
            ds_put_format(why, "%s: cannot read QoS (%s)", q.name,
                          ovs_strerror(error));
        } else {
            nl_msg_put_string(reply, DPU_ATTR_QOS_TYPE, type);
            dpu_put_smap(reply, DPU_ATTR_QOS_DETAILS, &q.details);
        }
    }
    smap_destroy(&q.details);
    return error;
}

int
agent_qos_set(const struct agent_request *req,
              struct ofpbuf *reply OVS_UNUSED, struct ds *why)
{
    const char *type = nl_attr_get_string(
        req->msg->attrs[DPU_ATTR_QOS_TYPE]);
    struct qos_request q;
    int error;

    error = qos_request_parse(req, &q, why);
    if (!error) {
        error = netdev_set_qos(q.port->netdev, type, &q.details);
        if (error == EOPNOTSUPP && !strcmp(type, "linux-noop")) {
            /* "linux-noop" asks Open vSwitch to leave the device's QoS
             * alone (ovn-controller sets it on the ports of its tunnels),
             * which a device that has no QoS, such as a dummy, does. */
            error = 0;
        }
        if (error) {
            ds_put_format(why, "%s: cannot set QoS type \"%s\" (%s)", q.name,
                          type, ovs_strerror(error));
        }
    }
    smap_destroy(&q.details);
    return error;
}

int
agent_queue_get(const struct agent_request *req, struct ofpbuf *reply,
                struct ds *why)
{
    struct qos_request q;
    int error;

    error = qos_request_parse(req, &q, why);
    if (error) {
        goto out;
    }
    if (req->msg->attrs[DPU_ATTR_WANT_STATS]) {
        struct netdev_queue_stats stats;

        error = netdev_get_queue_stats(q.port->netdev, q.queue_id, &stats);
        if (!error) {
            dpu_put_queue(reply, q.queue_id, NULL, &stats);
        }
    } else {
        error = netdev_get_queue(q.port->netdev, q.queue_id, &q.details);
        if (!error) {
            dpu_put_queue(reply, q.queue_id, &q.details, NULL);
        }
    }
    if (error) {
        ds_put_format(why, "%s: cannot read queue %u (%s)", q.name,
                      q.queue_id, ovs_strerror(error));
    }
out:
    smap_destroy(&q.details);
    return error;
}

int
agent_queue_set(const struct agent_request *req,
                struct ofpbuf *reply OVS_UNUSED, struct ds *why)
{
    struct qos_request q;
    int error;

    error = qos_request_parse(req, &q, why);
    if (!error) {
        error = netdev_set_queue(q.port->netdev, q.queue_id, &q.details);
        if (error) {
            ds_put_format(why, "%s: cannot set queue %u (%s)", q.name,
                          q.queue_id, ovs_strerror(error));
        }
    }
    smap_destroy(&q.details);
    return error;
}

int
agent_queue_del(const struct agent_request *req,
                struct ofpbuf *reply OVS_UNUSED, struct ds *why)
{
    struct qos_request q;
    int error;

    error = qos_request_parse(req, &q, why);
    if (!error) {
        error = netdev_delete_queue(q.port->netdev, q.queue_id);
        if (error) {
            ds_put_format(why, "%s: cannot delete queue %u (%s)", q.name,
                          q.queue_id, ovs_strerror(error));
        }
    }
    smap_destroy(&q.details);
    return error;
}

/* Callback for netdev_dump_queue_stats(): appends a QUEUE with the
 * statistics of 'queue_id' to the reply in 'reply_'. */
static void
put_queue_stats_cb(unsigned int queue_id, struct netdev_queue_stats *stats,
                   void *reply_)
{
    dpu_put_queue(reply_, queue_id, NULL, stats);
}

int
agent_queue_dump(const struct agent_request *req, struct ofpbuf *reply,
                 struct ds *why)
{
    struct qos_request q;
    int error;

    error = qos_request_parse(req, &q, why);
    if (error) {
        goto out;
    }
    if (req->msg->attrs[DPU_ATTR_WANT_STATS]) {
        error = netdev_dump_queue_stats(q.port->netdev, put_queue_stats_cb,
                                        reply);
    } else {
        struct smap details = SMAP_INITIALIZER(&details);
        struct netdev_queue_dump dump;
        unsigned int queue_id;

        NETDEV_QUEUE_FOR_EACH (&queue_id, &details, &dump, q.port->netdev) {
            dpu_put_queue(reply, queue_id, &details, NULL);
        }
        smap_destroy(&details);
        /* NETDEV_QUEUE_FOR_EACH leaves EOF in 'dump.error' at the end. */
        error = dump.error == EOF ? 0 : dump.error;
    }
    if (error) {
        ds_put_format(why, "%s: cannot dump queues (%s)", q.name,
                      ovs_strerror(error));
    } else if (reply->size > DPU_MAX_MSG_LEN) {
        ds_put_format(why, "%s: the queues do not fit in one message",
                      q.name);
        error = EFBIG;
    }
out:
    smap_destroy(&q.details);
    return error;
}
