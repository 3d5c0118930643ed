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
#include "agent-ct-sync.h"

#include <errno.h>
#include <stdlib.h>

#include "agent-crash-point.h"
#include "agent-datapath.h"
#include "agent-ha.h"
#include "conntrack.h"
#include "coverage.h"
#include "ct-dpif.h"
#include "dpif-netdev.h"
#include "dpu-channel.h"
#include "dpu-codec.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/list.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "ovs-atomic.h"
#include "ovs-thread.h"
#include "seq.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(agent_ct_sync);

COVERAGE_DEFINE(agent_ct_sync_sent);      /* Change sent to the host. */
COVERAGE_DEFINE(agent_ct_sync_lost);      /* Change dropped: too many
                                           * queued, or the host's
                                           * connection backed up. */
COVERAGE_DEFINE(agent_ct_sync_imported);  /* Connection taken on a standby. */
COVERAGE_DEFINE(agent_ct_sync_refused);   /* Not taken: full, malformed, or
                                           * not standing by. */

/* A host that sends a malformed CT_SYNC sends many: log a few. */
static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

/* Most changes queued for the host.  More means that the main thread
 * cannot keep up, or that the host does not read: the standby has lost
 * changes and needs a new copy, which a gap in the messages' numbers tells
 * the host. */
#define AGENT_CT_SYNC_MAX_QUEUED 65536

/* Most bytes waiting to go to the host before changes are dropped the same
 * way: about 40,000 connections. */
#define AGENT_CT_SYNC_MAX_BACKLOG (8 * 1024 * 1024)

/* Most connections copied in one turn of the main loop. */
#define AGENT_CT_SYNC_COPY_BATCH 1024

/* How much later than on the active DPU a standby's copy expires: a
 * refresh comes every AGENT_CT_SYNC_REFRESH_MS, and takes a while. */
#define AGENT_CT_SYNC_EXTRA_MS (AGENT_CT_SYNC_REFRESH_MS + 1000)

/* Latency samples kept for percentiles. */
#define AGENT_CT_SYNC_SAMPLES 4096

/* A change of a connection, queued for the host. */
struct ct_sync_change {
    struct ovs_list list_node;
    struct dpu_ct_sync_entry e;
};

/* The last AGENT_CT_SYNC_SAMPLES latencies, in microseconds. */
struct ct_sync_samples {
    long long int *us;
    size_t n;                   /* Ever recorded. */
};

struct agent_ct_sync {
    struct agent_server *server;
    struct agent_dp *dp;
    struct agent_ha *ha;
    struct conntrack *ct;

    /* Shared with the threads that change connections. */
    struct ovs_mutex mutex;
    atomic_bool enabled;        /* Queue changes (active, asked to). */
    struct ovs_list queue OVS_GUARDED;  /* struct ct_sync_change. */
    size_t n_queued OVS_GUARDED;
    uint64_t n_lost OVS_GUARDED;        /* Dropped: queue full. */
    struct seq *seq;            /* Changes when the queue becomes
                                 * nonempty. */

    /* The rest belongs to the main thread. */

    /* Active: the generation the host asked for, or 0. */
    uint32_t gen;
    uint32_t next_seq;          /* Of the next message. */
    const struct dpu_channel *channel;  /* The host's, when it asked. */
    bool gap;                   /* Changes were lost: skip a number. */
    struct conntrack_dump dump; /* A copy under way, if 'copying'. */
    bool copying;
    bool copy_is_full;          /* The first copy of the generation, which
                                 * CT_SYNC_DONE ends, not a refresh. */
    bool done_sent;             /* CT_SYNC_DONE of the generation sent. */
    bool paused;                /* Not active for a while (its lease ran
                                 * out): sends nothing meanwhile. */
    uint32_t copy_count;
    long long int copy_start;   /* time_msec(). */
    long long int next_refresh; /* time_msec(). */
    uint64_t n_sent;            /* Changes. */
    uint64_t n_msgs;            /* CT_SYNC messages. */
    uint64_t n_copies, n_refreshes;
    uint32_t last_copy_count;
    long long int last_copy_ms; /* How long it took. */
    long long int last_copy_wall;       /* time_wall_msec() when it ended. */
    size_t max_queued;
    struct ct_sync_samples queue_lat;   /* Change to sent. */

    /* Standby: what the host passed on. */
    uint32_t rx_gen;
    uint32_t rx_next_seq;
    uint64_t n_rx_msgs, n_imported, n_deleted, n_refused, n_rx_gaps;
    uint64_t n_ignored;         /* Received while active. */
    uint32_t rx_done_count;     /* Of the last CT_SYNC_DONE. */
    long long int rx_done_wall; /* When it came, or 0 for none yet. */
    struct ct_sync_samples lag; /* Change on the active DPU to taken. */
};

static void
samples_init(struct ct_sync_samples *s)
{
    s->us = xmalloc(AGENT_CT_SYNC_SAMPLES * sizeof *s->us);
    s->n = 0;
}

static void
samples_add(struct ct_sync_samples *s, long long int us)
{
    s->us[s->n++ % AGENT_CT_SYNC_SAMPLES] = MAX(us, 0);
}

static int
compare_llong(const void *a_, const void *b_)
{
    const long long int *a = a_, *b = b_;

    return *a < *b ? -1 : *a > *b;
}

/* Appends "p50 X us, p99 Y us (of N)" for 's' to 'ds'. */
static void
samples_format(const struct ct_sync_samples *s, struct ds *ds)
{
    size_t n = MIN(s->n, AGENT_CT_SYNC_SAMPLES);

    if (!n) {
        ds_put_cstr(ds, "none yet");
        return;
    }
    long long int *sorted = xmemdup(s->us, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, compare_llong);
    ds_put_format(ds, "p50 %lld us, p99 %lld us, max %lld us (last %"
                  PRIuSIZE")", sorted[n / 2], sorted[n * 99 / 100],
                  sorted[n - 1], n);
    free(sorted);
}

/* Called by conntrack in the thread that changed a connection. */
static void
ct_sync_event_cb(const struct ct_dpif_entry *entry,
                 enum conntrack_event event, void *cs_)
{
    struct agent_ct_sync *cs = cs_;
    struct ct_sync_change *c;
    bool enabled;

    atomic_read_relaxed(&cs->enabled, &enabled);
    if (!enabled) {
        return;
    }

    c = xmalloc(sizeof *c);
    c->e.entry = *entry;
    c->e.entry.helper.name = NULL;      /* The codec does not carry it. */
    c->e.deleted = event == CT_EVENT_DELETE;
    c->e.time_usec = time_wall_usec();

    ovs_mutex_lock(&cs->mutex);
    if (cs->n_queued >= AGENT_CT_SYNC_MAX_QUEUED) {
        cs->n_lost++;
        ovs_mutex_unlock(&cs->mutex);
        COVERAGE_INC(agent_ct_sync_lost);
        free(c);
        return;
    }
    ovs_list_push_back(&cs->queue, &c->list_node);
    if (!cs->n_queued++) {
        seq_change(cs->seq);
    }
    ovs_mutex_unlock(&cs->mutex);
}

struct agent_ct_sync *
agent_ct_sync_create(struct agent_server *server, struct agent_dp *dp,
                     struct agent_ha *ha)
{
    struct agent_ct_sync *cs = xzalloc(sizeof *cs);

    cs->server = server;
    cs->dp = dp;
    cs->ha = ha;
    cs->ct = dpif_netdev_get_conntrack(agent_dp_dpif(dp));
    ovs_mutex_init(&cs->mutex);
    atomic_init(&cs->enabled, false);
    ovs_list_init(&cs->queue);
    cs->seq = seq_create();
    samples_init(&cs->queue_lat);
    samples_init(&cs->lag);
    conntrack_set_event_cb(cs->ct, ct_sync_event_cb, cs);
    return cs;
}

/* Drops every queued change. */
static void
flush_queue(struct agent_ct_sync *cs)
{
    struct ct_sync_change *c;
    struct ovs_list queue;

    ovs_mutex_lock(&cs->mutex);
    ovs_list_move(&queue, &cs->queue);
    ovs_list_init(&cs->queue);
    cs->n_queued = 0;
    ovs_mutex_unlock(&cs->mutex);
    LIST_FOR_EACH_POP (c, list_node, &queue) {
        free(c);
    }
}

void
agent_ct_sync_destroy(struct agent_ct_sync *cs)
{
    if (cs) {
        conntrack_set_event_cb(cs->ct, NULL, NULL);
        /* The callback may run until every thread that changes
         * connections has quiesced. */
        ovsrcu_synchronize();
        flush_queue(cs);
        seq_destroy(cs->seq);
        ovs_mutex_destroy(&cs->mutex);
        free(cs->queue_lat.us);
        free(cs->lag.us);
        free(cs);
    }
}

/* Active DPU. */

static void
stop(struct agent_ct_sync *cs)
{
    if (cs->gen) {
        VLOG_INFO("stopped copying connections to the standby "
                  "(generation %"PRIu32")", cs->gen);
    }
    atomic_store_relaxed(&cs->enabled, false);
    flush_queue(cs);
    cs->gen = 0;
    cs->channel = NULL;
    cs->copying = false;
    cs->paused = false;
}

static void
start_copy(struct agent_ct_sync *cs, bool full)
{
    int n_buckets;

    conntrack_dump_start(cs->ct, &cs->dump, NULL, &n_buckets);
    cs->copying = true;
    cs->copy_is_full = full;
    cs->copy_count = 0;
    cs->copy_start = time_msec();
}

int
agent_ct_sync_req(const struct agent_request *req,
                  struct ofpbuf *reply OVS_UNUSED, struct ds *why)
{
    struct agent_ct_sync *cs = agent_server_ct_sync(req->server);
    struct dpu_ct_sync_hdr h;

    dpu_parse_ct_sync_hdr(req->msg, &h);
    if (h.gen && agent_ha_wire_role(cs->ha) != DPU_ROLE_ACTIVE) {
        ds_put_cstr(why, "this DPU is not active");
        return EBUSY;
    }
    stop(cs);
    if (!h.gen) {
        return 0;
    }
    cs->gen = h.gen;
    cs->next_seq = 1;
    cs->gap = false;
    cs->done_sent = false;
    cs->channel = agent_server_upcall_channel(req->server);
    /* Changes from now on are queued; the copy reads the table as it is
     * when it gets to each connection, and every change that it may have
     * missed is queued, and sent after the part of the copy that was read
     * before it. */
    atomic_store_relaxed(&cs->enabled, true);
    start_copy(cs, true);
    cs->next_refresh = time_msec() + AGENT_CT_SYNC_REFRESH_MS;
    VLOG_INFO("copying connections to the standby (generation %"PRIu32")",
              cs->gen);
    return 0;
}

/* Starts a message of generation 'cs->gen' of 'type'. */
static struct ofpbuf *
start_msg(struct agent_ct_sync *cs, enum dpu_msg_type type, uint32_t count)
{
    struct ofpbuf *b = ofpbuf_new(4096);
    struct dpu_ct_sync_hdr h = { .gen = cs->gen, .count = count };

    if (cs->gap) {
        /* The host sees a number missing, and starts a new generation. */
        cs->next_seq++;
        cs->gap = false;
    }
    h.seq = cs->next_seq++;
    dpu_msg_start(b, type, 0, 0);
    dpu_put_ct_sync_hdr(b, type, &h);
    return b;
}

/* Sends 'b' to the host, or drops it if the host's connection is backed
 * up. */
static void
send_msg(struct agent_ct_sync *cs, struct ofpbuf *b, size_t n)
{
    struct dpu_channel *channel = agent_server_upcall_channel(cs->server);

    if (channel
        && dpu_channel_get_backlog(channel) > AGENT_CT_SYNC_MAX_BACKLOG) {
        static struct vlog_rate_limit backlog_rl
            = VLOG_RATE_LIMIT_INIT(1, 5);

        /* The host does not read (it is stopped, or far behind). */
        VLOG_WARN_RL(&backlog_rl, "host's connection backed up: dropped "
                     "%"PRIuSIZE" changes of connections for the standby",
                     n);
        COVERAGE_ADD(agent_ct_sync_lost, n);
        cs->gap = true;
        ofpbuf_delete(b);
        return;
    }
    dpu_msg_finish(b);
    if (channel) {
        dpu_channel_send(channel, b);
    } else {
        ofpbuf_delete(b);
    }
    cs->n_msgs++;
    cs->n_sent += n;
    COVERAGE_ADD(agent_ct_sync_sent, n);
}

/* Sends what the threads that change connections queued. */
static void
send_queue(struct agent_ct_sync *cs)
{
    struct ct_sync_change *c;
    struct ovs_list queue;
    uint64_t n_lost;
    size_t n_queued;

    ovs_mutex_lock(&cs->mutex);
    ovs_list_move(&queue, &cs->queue);
    ovs_list_init(&cs->queue);
    n_queued = cs->n_queued;
    cs->n_queued = 0;
    n_lost = cs->n_lost;
    cs->n_lost = 0;
    ovs_mutex_unlock(&cs->mutex);

    cs->max_queued = MAX(cs->max_queued, n_queued);
    if (n_lost) {
        cs->gap = true;
    }

    long long int now = time_wall_usec();
    struct ofpbuf *b = NULL;
    size_t n = 0;
    LIST_FOR_EACH_POP (c, list_node, &queue) {
        if (!b) {
            b = start_msg(cs, DPU_MSG_CT_SYNC, 0);
        }
        dpu_put_ct_sync_entry(b, &c->e);
        samples_add(&cs->queue_lat, now - c->e.time_usec);
        free(c);
        if (++n >= DPU_CT_SYNC_MAX) {
            send_msg(cs, b, n);
            b = NULL;
            n = 0;
        }
    }
    if (b) {
        send_msg(cs, b, n);
    }
}

/* Sends the next part of a copy under way, and CT_SYNC_DONE at its end. */
static void
send_copy(struct agent_ct_sync *cs)
{
    long long int now = time_wall_usec();
    struct ct_dpif_entry entry;
    struct ofpbuf *b = NULL;
    size_t n = 0, n_in_msg = 0;
    bool done = false;

    while (n < AGENT_CT_SYNC_COPY_BATCH) {
        if (conntrack_dump_next(&cs->dump, &entry)) {
            done = true;
            break;
        }
        struct dpu_ct_sync_entry e = { .entry = entry, .time_usec = now };

        e.entry.helper.name = NULL;
        if (!b) {
            b = start_msg(cs, DPU_MSG_CT_SYNC, 0);
        }
        dpu_put_ct_sync_entry(b, &e);
        ct_dpif_entry_uninit(&entry);
        n++;
        if (++n_in_msg >= DPU_CT_SYNC_MAX) {
            send_msg(cs, b, n_in_msg);
            b = NULL;
            n_in_msg = 0;
        }
    }
    if (b) {
        send_msg(cs, b, n_in_msg);
    }
    cs->copy_count += n;

    if (done) {
        conntrack_dump_done(&cs->dump);
        cs->copying = false;
        if (cs->copy_is_full) {
            dpu_crash_point_reached(
                agent_crash_point(AGENT_CP_CT_SYNC_COPY_SENT));
            send_msg(cs, start_msg(cs, DPU_MSG_CT_SYNC_DONE, cs->copy_count),
                     0);
            cs->done_sent = true;
            cs->n_copies++;
            cs->last_copy_count = cs->copy_count;
            cs->last_copy_ms = time_msec() - cs->copy_start;
            cs->last_copy_wall = time_wall_msec();
            VLOG_INFO("copied %"PRIu32" connections to the standby in %lld "
                      "ms (generation %"PRIu32")", cs->copy_count,
                      cs->last_copy_ms, cs->gen);
        } else {
            cs->n_refreshes++;
        }
    }
}

void
agent_ct_sync_run(struct agent_ct_sync *cs)
{
    if (!cs->gen) {
        return;
    }
    if (agent_server_upcall_channel(cs->server) != cs->channel) {
        /* A new host connection asks again. */
        stop(cs);
        return;
    }
    if (agent_ha_wire_role(cs->ha) != DPU_ROLE_ACTIVE) {
        /* A DPU that stood by (its lease ran out, or the host made it
         * standby) sends nothing.  If the host makes it active again in
         * the same generation, a copy catches up with what changed
         * meanwhile; if it made the partner active, the partner's
         * generation replaces this one, whose messages the host drops. */
        if (!cs->paused) {
            cs->paused = true;
            atomic_store_relaxed(&cs->enabled, false);
            flush_queue(cs);
            if (cs->copying) {
                conntrack_dump_done(&cs->dump);
                cs->copying = false;
            }
        }
        return;
    }
    if (cs->paused) {
        cs->paused = false;
        atomic_store_relaxed(&cs->enabled, true);
        start_copy(cs, !cs->done_sent);
    }

    /* Changes first, then the copy: a change queued before the copy read a
     * connection goes out before what the copy read. */
    send_queue(cs);
    if (!cs->copying && time_msec() >= cs->next_refresh) {
        start_copy(cs, false);
        cs->next_refresh = time_msec() + AGENT_CT_SYNC_REFRESH_MS;
    }
    if (cs->copying) {
        send_copy(cs);
    }
}

void
agent_ct_sync_wait(struct agent_ct_sync *cs)
{
    if (cs->gen && !cs->paused) {
        uint64_t seqno = seq_read(cs->seq);
        bool empty;

        ovs_mutex_lock(&cs->mutex);
        empty = ovs_list_is_empty(&cs->queue);
        ovs_mutex_unlock(&cs->mutex);
        if (!empty || cs->copying) {
            poll_immediate_wake();
        } else {
            seq_wait(cs->seq, seqno);
            poll_timer_wait_until(cs->next_refresh);
        }
    }
}

/* Standby DPU. */

/* Takes connection change 'e'.  Returns false if it is not taken. */
static bool
import_change(struct agent_ct_sync *cs, const struct dpu_ct_sync_entry *e)
{
    int error;

    if (e->deleted) {
        /* It may never have been copied here: that is no error. */
        if (!conntrack_import_del(cs->ct, &e->entry.tuple_orig,
                                  e->entry.zone)) {
            cs->n_deleted++;
        }
        return true;
    }
    error = conntrack_import(cs->ct, &e->entry, time_msec(),
                             AGENT_CT_SYNC_EXTRA_MS);
    if (error) {
        struct ds s = DS_EMPTY_INITIALIZER;

        ct_dpif_format_entry(&e->entry, &s, false, false);
        VLOG_WARN_RL(&rl, "cannot take connection %s (%s)", ds_cstr(&s),
                     ovs_strerror(error));
        ds_destroy(&s);
        return false;
    }
    cs->n_imported++;
    COVERAGE_INC(agent_ct_sync_imported);
    return true;
}

int
agent_ct_sync_receive(const struct agent_request *req,
                      struct ofpbuf *reply OVS_UNUSED, struct ds *why)
{
    struct agent_ct_sync *cs = agent_server_ct_sync(req->server);
    const struct nlattr *nla;
    struct dpu_ct_sync_hdr h;
    size_t left;

    if (agent_ha_wire_role(cs->ha) == DPU_ROLE_ACTIVE) {
        /* Sent on by the host before it made this DPU active. */
        cs->n_ignored++;
        return 0;
    }

    dpu_parse_ct_sync_hdr(req->msg, &h);
    cs->n_rx_msgs++;
    if (h.gen != cs->rx_gen) {
        /* A new copy: what this DPU holds may be stale. */
        VLOG_INFO("taking connections from the active DPU (generation "
                  "%"PRIu32")", h.gen);
        ct_dpif_flush(agent_dp_dpif(cs->dp), NULL, NULL);
        cs->rx_gen = h.gen;
        cs->rx_next_seq = 1;
        cs->rx_done_wall = 0;
    }
    if (h.seq != cs->rx_next_seq) {
        cs->n_rx_gaps++;
    }
    cs->rx_next_seq = h.seq + 1;

    if (req->msg->type == DPU_MSG_CT_SYNC_DONE) {
        cs->rx_done_count = h.count;
        cs->rx_done_wall = time_wall_msec();
        VLOG_INFO("took a copy of %"PRIu32" connections from the active DPU "
                  "(generation %"PRIu32")", h.count, h.gen);
        return 0;
    }

    long long int now = time_wall_usec();
    bool bad = false;
    DPU_MSG_FOR_EACH_ATTR (nla, left, req->buf) {
        struct dpu_ct_sync_entry e;

        if (nl_attr_type(nla) != DPU_ATTR_CT_SYNC) {
            continue;
        }
        if (!dpu_parse_ct_sync_entry(nla, &e)) {
            bad = true;
            continue;
        }
        if (import_change(cs, &e)) {
            dpu_crash_point_reached(
                agent_crash_point(AGENT_CP_CT_SYNC_IMPORTED));
            samples_add(&cs->lag, now - e.time_usec);
        } else {
            cs->n_refused++;
            COVERAGE_INC(agent_ct_sync_refused);
        }
        ct_dpif_entry_uninit(&e.entry);
    }
    if (bad) {
        cs->n_refused++;
        COVERAGE_INC(agent_ct_sync_refused);
        ds_put_cstr(why, "malformed connection");
        return EINVAL;
    }
    return 0;
}

void
agent_ct_sync_format(const struct agent_ct_sync *cs, struct ds *ds)
{
    ds_put_format(ds, "role: %s\n", agent_ha_role_name(cs->ha));

    ds_put_cstr(ds, "to the standby: ");
    if (cs->gen) {
        ds_put_format(ds, "generation %"PRIu32"%s%s", cs->gen,
                      cs->copying && cs->copy_is_full ? ", copying" : "",
                      cs->paused ? ", paused (not active)" : "");
    } else {
        ds_put_cstr(ds, "not copying");
    }
    ds_put_format(ds, "\n  sent %"PRIu64" changes in %"PRIu64" messages, "
                  "most queued %"PRIuSIZE", copies %"PRIu64", refreshes "
                  "%"PRIu64"\n", cs->n_sent, cs->n_msgs, cs->max_queued,
                  cs->n_copies, cs->n_refreshes);
    if (cs->n_copies) {
        ds_put_format(ds, "  last copy: %"PRIu32" connections in %lld ms, "
                      "%lld ms ago\n", cs->last_copy_count, cs->last_copy_ms,
                      time_wall_msec() - cs->last_copy_wall);
    }
    ds_put_cstr(ds, "  queued before sent: ");
    samples_format(&cs->queue_lat, ds);
    ds_put_char(ds, '\n');

    ds_put_cstr(ds, "from the active DPU: ");
    if (cs->rx_gen) {
        ds_put_format(ds, "generation %"PRIu32", %s", cs->rx_gen,
                      cs->rx_done_wall ? "copy complete" : "copying");
    } else {
        ds_put_cstr(ds, "nothing yet");
    }
    ds_put_format(ds, "\n  messages %"PRIu64", taken %"PRIu64", deleted "
                  "%"PRIu64", refused %"PRIu64", gaps %"PRIu64", ignored "
                  "while active %"PRIu64"\n", cs->n_rx_msgs, cs->n_imported,
                  cs->n_deleted, cs->n_refused, cs->n_rx_gaps,
                  cs->n_ignored);
    if (cs->rx_done_wall) {
        ds_put_format(ds, "  last copy: %"PRIu32" connections, %lld ms ago\n",
                      cs->rx_done_count, time_wall_msec() - cs->rx_done_wall);
    }
    ds_put_cstr(ds, "  lag (changed on the active DPU to taken here): ");
    samples_format(&cs->lag, ds);
    ds_put_char(ds, '\n');
}
