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
#include "agent-upcall.h"

#include <errno.h>

#include "agent-ipfix.h"
#include "agent-metrics.h"
#include "coverage.h"
#include "dp-packet.h"
#include "dpu-channel.h"
#include "dpu-codec.h"
#include "odp-util.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "openvswitch/list.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/poll-loop.h"
#include "ovs-thread.h"
#include "seq.h"
#include "timeval.h"
#include "util.h"

COVERAGE_DEFINE(agent_upcall);          /* Upcall queued for the host. */
COVERAGE_DEFINE(agent_upcall_dropped);  /* No host, or its queue full. */
COVERAGE_DEFINE(agent_upcall_repeat);   /* Miss of a flow in flight. */

/* A flow whose miss went to the host: until 'until', or until the host puts
 * a flow with its UFID, further misses of the flow are dropped instead of
 * going to the host again. */
struct agent_miss {
    struct hmap_node node;      /* In 'in_flight', by UFID. */
    ovs_u128 ufid;
    long long int until;
};

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

struct agent_upcalls {
    struct agent_ipfix *ipfix;      /* For samples the DPU exports. */
    struct agent_metrics *metrics;  /* For flow-setup latency. */
    struct seq *seq;                /* Changes when an upcall is queued. */
    uint64_t n_sent;                /* Main thread only. */

    struct ovs_mutex mutex;
    struct ovs_list queue OVS_GUARDED;  /* ofpbufs: UPCALL messages. */
    size_t n_queue OVS_GUARDED;
    uint64_t n_dropped OVS_GUARDED;     /* Queue full, or unsent. */
    uint64_t n_queued OVS_GUARDED;      /* Ever queued. */
    uint64_t n_unsent OVS_GUARDED;      /* Queued, then not sent. */
    struct hmap in_flight OVS_GUARDED;  /* struct agent_miss. */
    uint64_t n_repeats OVS_GUARDED;     /* Misses dropped as in flight. */
    long long int next_expiry OVS_GUARDED;
};

struct agent_upcalls *
agent_upcalls_create(struct agent_ipfix *ipfix, struct agent_metrics *metrics)
{
    struct agent_upcalls *up = xzalloc(sizeof *up);

    up->ipfix = ipfix;
    up->metrics = metrics;
    up->seq = seq_create();
    ovs_mutex_init(&up->mutex);
    ovs_list_init(&up->queue);
    hmap_init(&up->in_flight);
    return up;
}

static struct agent_miss *
find_miss(const struct agent_upcalls *up, const ovs_u128 *ufid)
    OVS_REQUIRES(up->mutex)
{
    struct agent_miss *m;

    HMAP_FOR_EACH_WITH_HASH (m, node, ufid->u32[0], &up->in_flight) {
        if (ovs_u128_equals(m->ufid, *ufid)) {
            return m;
        }
    }
    return NULL;
}

/* Forgets the misses in flight whose time is up. */
static void
expire_misses(struct agent_upcalls *up, long long int now)
    OVS_REQUIRES(up->mutex)
{
    struct agent_miss *m;

    HMAP_FOR_EACH_SAFE (m, node, &up->in_flight) {
        if (now >= m->until) {
            hmap_remove(&up->in_flight, &m->node);
            free(m);
        }
    }
    up->next_expiry = now + AGENT_UPCALL_HOLD_MS;
}

void
agent_upcalls_destroy(struct agent_upcalls *up)
{
    if (up) {
        struct ofpbuf *msg;

        struct agent_miss *m;

        LIST_FOR_EACH_POP (msg, list_node, &up->queue) {
            ofpbuf_delete(msg);
        }
        HMAP_FOR_EACH_POP (m, node, &up->in_flight) {
            free(m);
        }
        hmap_destroy(&up->in_flight);
        seq_destroy(up->seq);
        ovs_mutex_destroy(&up->mutex);
        free(up);
    }
}

int
agent_upcalls_cb(const struct dp_packet *packet, const struct flow *flow,
                 ovs_u128 *ufid, unsigned pmd_id OVS_UNUSED,
                 enum dpif_upcall_type type, const struct nlattr *userdata,
                 struct ofpbuf *actions OVS_UNUSED,
                 struct flow_wildcards *wc OVS_UNUSED,
                 struct ofpbuf *put_actions OVS_UNUSED, void *up_)
{
    struct agent_upcalls *up = up_;
    struct odp_flow_key_parms parms = {
        .flow = flow,
        .support = agent_odp_support,
    };
    struct ofpbuf *msg;

    /* A sample that this DPU exports itself: nothing for the host, and no
     * actions to run (a userspace() action has none). */
    if (type == DPIF_UC_ACTION && userdata
        && agent_ipfix_sample(up->ipfix, packet, flow, userdata)) {
        return 0;
    }

    if (dp_packet_size(packet) > UINT16_MAX - 64) {
        COVERAGE_INC(agent_upcall_dropped);
        return EMSGSIZE;
    }

    /* A further miss of a flow whose upcall is in flight: the host is
     * setting the flow up already.  Its answer executes the first packet;
     * this one is dropped, as a full upcall queue would drop it. */
    long long int now = time_msec();
    if (type == DPIF_UC_MISS && ufid) {
        struct agent_miss *m;

        ovs_mutex_lock(&up->mutex);
        m = find_miss(up, ufid);
        if (m && now < m->until) {
            up->n_repeats++;
            ovs_mutex_unlock(&up->mutex);
            COVERAGE_INC(agent_upcall_repeat);
            return ENOSPC;
        }
        ovs_mutex_unlock(&up->mutex);
    }

    msg = ofpbuf_new(dp_packet_size(packet) + 512);
    dpu_msg_start(msg, DPU_MSG_UPCALL, 0, 0);
    dpu_put_upcall(msg, type, packet, &parms, ufid, userdata);
    dpu_msg_finish(msg);

    ovs_mutex_lock(&up->mutex);
    if (up->n_queue >= AGENT_MAX_UPCALLS) {
        up->n_dropped++;
        ovs_mutex_unlock(&up->mutex);
        COVERAGE_INC(agent_upcall_dropped);
        ofpbuf_delete(msg);
        return ENOBUFS;
    }
    if (type == DPIF_UC_MISS && ufid) {
        struct agent_miss *m = find_miss(up, ufid);

        if (!m && hmap_count(&up->in_flight) < AGENT_MAX_UPCALLS) {
            m = xmalloc(sizeof *m);
            m->ufid = *ufid;
            hmap_insert(&up->in_flight, &m->node, ufid->u32[0]);
            if (hmap_count(&up->in_flight) == 1) {
                up->next_expiry = now + AGENT_UPCALL_HOLD_MS;
            }
        }
        if (m) {
            m->until = now + AGENT_UPCALL_HOLD_MS;
        }
    }
    ovs_list_push_back(&up->queue, &msg->list_node);
    up->n_queue++;
    up->n_queued++;
    ovs_mutex_unlock(&up->mutex);
    seq_change(up->seq);
    COVERAGE_INC(agent_upcall);
    if (type == DPIF_UC_MISS) {
        agent_metrics_miss(up->metrics, ufid);
    }

    /* The host decides what to do with the packet: it answers with an
     * OPERATE that installs a flow and executes the packet.  ENOSPC tells
     * dpif-netdev to install no flow and to drop its copy of the packet (it
     * counts the packet as lost, see agent_upcalls_fix_stats()). */
    return ENOSPC;
}

void
agent_upcalls_flow_put(struct agent_upcalls *up, const ovs_u128 *ufid)
{
    struct agent_miss *m;

    ovs_mutex_lock(&up->mutex);
    m = find_miss(up, ufid);
    if (m) {
        hmap_remove(&up->in_flight, &m->node);
        free(m);
    }
    ovs_mutex_unlock(&up->mutex);
}

void
agent_upcalls_run(struct agent_upcalls *up, struct dpu_channel *channel)
{
    long long int now = time_msec();
    struct ovs_list queue;
    struct ofpbuf *msg;

    ovs_mutex_lock(&up->mutex);
    if (!hmap_is_empty(&up->in_flight) && now >= up->next_expiry) {
        expire_misses(up, now);
    }
    ovs_list_move(&queue, &up->queue);
    ovs_list_init(&up->queue);
    up->n_queue = 0;
    ovs_mutex_unlock(&up->mutex);

    LIST_FOR_EACH_POP (msg, list_node, &queue) {
        /* Queued only: the server's loop sends the burst in few writes. */
        if (channel && !dpu_channel_queue(channel, msg)) {
            up->n_sent++;
        } else {
            if (!channel) {
                ofpbuf_delete(msg);
            }
            COVERAGE_INC(agent_upcall_dropped);
            ovs_mutex_lock(&up->mutex);
            up->n_dropped++;
            up->n_unsent++;
            ovs_mutex_unlock(&up->mutex);
        }
    }
}

void
agent_upcalls_wait(struct agent_upcalls *up)
{
    seq_wait(up->seq, seq_read(up->seq));
    ovs_mutex_lock(&up->mutex);
    if (!ovs_list_is_empty(&up->queue)) {
        poll_immediate_wake();
    }
    if (!hmap_is_empty(&up->in_flight)) {
        poll_timer_wait_until(up->next_expiry);
    }
    ovs_mutex_unlock(&up->mutex);
}

void
agent_upcalls_fix_stats(struct agent_upcalls *up, struct dpif_dp_stats *st)
{
    ovs_mutex_lock(&up->mutex);
    /* dpif-netdev updates its counters after the callbacks of a batch
     * return: clamp the difference during that window. */
    st->n_missed += up->n_queued;
    st->n_lost = ((st->n_lost > up->n_queued ? st->n_lost - up->n_queued : 0)
                  + up->n_unsent);
    ovs_mutex_unlock(&up->mutex);
}

uint64_t
agent_upcalls_n_sent(const struct agent_upcalls *up)
{
    return up->n_sent;
}

void
agent_upcalls_format(struct agent_upcalls *up, struct ds *ds)
{
    uint64_t dropped, repeats;

    ovs_mutex_lock(&up->mutex);
    dropped = up->n_dropped;
    repeats = up->n_repeats;
    ovs_mutex_unlock(&up->mutex);
    ds_put_format(ds, "upcalls: sent %"PRIu64", dropped %"PRIu64", "
                  "repeats dropped %"PRIu64"\n",
                  up->n_sent, dropped, repeats);
}
