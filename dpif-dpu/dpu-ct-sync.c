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
#include "dpu-ct-sync.h"

#include <errno.h>
#include <stdlib.h>

#include "connectivity.h"
#include "coverage.h"
#include "dpif-dpu-private.h"
#include "dpu-codec.h"
#include "dpu-conn.h"
#include "dpu-ha.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/vlog.h"
#include "ovs-thread.h"
#include "seq.h"
#include "smap.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(dpu_ct_sync);

COVERAGE_DEFINE(dpu_ct_sync_relayed);   /* Message passed on. */
COVERAGE_DEFINE(dpu_ct_sync_stale);     /* Dropped: not from the active
                                         * DPU, or of an old generation. */
COVERAGE_DEFINE(dpu_ct_sync_gap);       /* Messages lost: a new copy. */
COVERAGE_DEFINE(dpu_ct_sync_overflow);  /* The standby's backlog is full. */

/* A DPU that keeps failing to start a copy would fill the log. */
static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

/* Latency samples kept for percentiles. */
#define DPU_CT_SYNC_SAMPLES 4096

/* The most bytes waiting to be sent to the standby (queued or in its
 * channel's backlog) above which a change is dropped and the copy starts
 * again: half of what the channel holds, so that the pair's flows still
 * reach the standby (Open_vSwitch other_config:dpu-ct-sync-backlog). */
#define DPU_CT_SYNC_MAX_BACKLOG (8 * 1024 * 1024)

/* After the standby's backlog overflowed, how long to wait before the next
 * copy. */
#define DPU_CT_SYNC_RETRY_MS 1000

static struct ovs_mutex cs_mutex = OVS_MUTEX_INITIALIZER;

/* The copy from the active DPU to the standby: a generation for each pair
 * of sessions. */
struct dpu_ct_sync {
    char *active, *standby;     /* DPU names, NULL if no copy. */
    uint64_t active_session, standby_session;
    uint32_t gen;               /* 0 if none. */
    uint32_t next_seq;          /* Of the next message from the active. */
    bool done;                  /* Its CT_SYNC_DONE went to the standby. */
    bool lost;                  /* A message is missing: copy again. */
    long long int retry;        /* Not before this time_msec(). */
    size_t max_backlog;         /* Of the standby, in bytes. */
    long long int start;        /* time_msec() of the request. */

    /* Statistics, over every generation. */
    uint32_t next_gen;
    uint64_t n_gens;
    uint64_t n_msgs, n_changes, n_stale, n_gaps, n_overflows;
    uint32_t last_count;        /* Connections in the last full copy. */
    long long int last_ms;      /* How long it took. */
    long long int last_wall;    /* time_wall_msec() when it was done. */
    long long int *lag_us;      /* Change on the active DPU to relayed. */
    size_t n_lag;
};

static struct dpu_ct_sync cs OVS_GUARDED_BY(cs_mutex) = {
    .next_gen = 1,
    .max_backlog = DPU_CT_SYNC_MAX_BACKLOG,
};

/* Wakes the "dpu_ha" threads, since the pair may be redundant or not any
 * more, and makes ovs-vswitchd write DPU:status:ct_sync again. */
static void
status_changed(void)
{
    seq_change(dpu_conn_seq());
    seq_change(connectivity_seq_get());
}

static void
set_name(char **namep, const char *name)
{
    free(*namep);
    *namep = nullable_xstrdup(name);
}

/* Asks 'active' to start generation 'gen', or to stop if 'gen' is 0. */
static int
send_request(struct dpu_conn *active, uint32_t gen)
{
    struct ofpbuf *b = dp_dpu_request_start(DPU_MSG_CT_SYNC_REQ);

    dpu_put_ct_sync_hdr(b, DPU_MSG_CT_SYNC_REQ,
                        &(struct dpu_ct_sync_hdr) { .gen = gen });
    return dp_dpu_transact(active, b, NULL, NULL);
}

void
dpu_ct_sync_run(void)
{
    struct dpu_conn *pair[2], *active = dpu_ha_ref_active(), *standby = NULL;
    uint32_t gen = 0, stop_gen = 0;
    char *warning = NULL;

    dpu_ha_get_pair(&pair[0], &pair[1]);
    for (int i = 0; i < 2; i++) {
        if (pair[i] && active && pair[i] != active
            && strcmp(dpu_conn_get_name(pair[i]),
                      dpu_conn_get_name(active))) {
            standby = dpu_conn_ref_existing(pair[i]);
        }
        dpu_conn_unref(pair[i]);
    }

    uint64_t as = active ? dpu_conn_get_session(active, NULL) : 0;
    uint64_t ss = standby ? dpu_conn_get_session(standby, NULL) : 0;
    bool want = (as && ss
                 && dp_dpu_conn_has_cap_up(active, DPU_CAP_CT_SYNC)
                 && dp_dpu_conn_has_cap_up(standby, DPU_CAP_CT_SYNC)
                 && dpu_ha_is_told_standby(standby));

    ovs_mutex_lock(&cs_mutex);
    bool same = (cs.gen && !cs.lost
                 && active && cs.active_session == as
                 && !strcmp(cs.active, dpu_conn_get_name(active))
                 && standby && cs.standby_session == ss
                 && !strcmp(cs.standby, dpu_conn_get_name(standby)));
    if (cs.gen && !cs.done && active && cs.standby
        && !strcmp(cs.standby, dpu_conn_get_name(active))) {
        warning = xasprintf("DPU %s became active before it held a copy of "
                            "every connection of %s", cs.standby, cs.active);
    }
    if (want && !same && cs.lost && time_msec() < cs.retry) {
        /* Wait: the standby did not keep up. */
    } else if (want && !same) {
        gen = cs.gen = cs.next_gen++;
        if (!cs.next_gen) {
            cs.next_gen = 1;
        }
        set_name(&cs.active, dpu_conn_get_name(active));
        set_name(&cs.standby, dpu_conn_get_name(standby));
        cs.active_session = as;
        cs.standby_session = ss;
        cs.next_seq = 1;
        cs.done = cs.lost = false;
        cs.start = time_msec();
        cs.n_gens++;
    } else if (!want && cs.gen) {
        stop_gen = cs.gen;
        cs.gen = 0;
        cs.done = false;
    }
    ovs_mutex_unlock(&cs_mutex);

    if (warning) {
        VLOG_WARN("%s", warning);
        free(warning);
    }
    if (gen) {
        int error = send_request(active, gen);

        if (error) {
            VLOG_WARN_RL(&rl, "DPU %s: cannot copy its connections to %s "
                         "(%s)", dpu_conn_get_name(active),
                         dpu_conn_get_name(standby), ovs_strerror(error));
            ovs_mutex_lock(&cs_mutex);
            if (cs.gen == gen) {
                /* The next run tries again. */
                cs.gen = 0;
            }
            ovs_mutex_unlock(&cs_mutex);
        } else {
            VLOG_INFO("DPU %s copies its connections to %s (generation "
                      "%"PRIu32")", dpu_conn_get_name(active),
                      dpu_conn_get_name(standby), gen);
        }
    } else if (stop_gen && active && as
               && dp_dpu_conn_has_cap_up(active, DPU_CAP_CT_SYNC)) {
        /* Failing is harmless: the DPU stops on its own when it stands
         * by, and its messages of an old generation go nowhere. */
        send_request(active, 0);
    }
    dpu_conn_unref(active);
    dpu_conn_unref(standby);
}

void
dpu_ct_sync_relay(struct dpu_conn *from, const struct ofpbuf *buf,
                  const struct dpu_msg *msg)
{
    struct dpu_ct_sync_hdr h;
    struct dpu_conn *standby = NULL;
    long long int lag = -1;
    size_t n = 0;

    dpu_parse_ct_sync_hdr(msg, &h);
    if (msg->type == DPU_MSG_CT_SYNC) {
        const struct nlattr *nla;
        size_t left;

        DPU_MSG_FOR_EACH_ATTR (nla, left, buf) {
            struct dpu_ct_sync_entry e;

            if (nl_attr_type(nla) != DPU_ATTR_CT_SYNC) {
                continue;
            }
            if (!n++ && dpu_parse_ct_sync_entry(nla, &e)) {
                /* The first is the oldest. */
                lag = time_wall_usec() - e.time_usec;
                ct_dpif_entry_uninit(&e.entry);
            }
        }
    }

    ovs_mutex_lock(&cs_mutex);
    if (!cs.gen || h.gen != cs.gen
        || strcmp(cs.active, dpu_conn_get_name(from))
        || dpu_conn_get_session(from, NULL) != cs.active_session) {
        cs.n_stale++;
        ovs_mutex_unlock(&cs_mutex);
        COVERAGE_INC(dpu_ct_sync_stale);
        return;
    }
    if (h.seq != cs.next_seq) {
        /* The active DPU dropped changes (its queue, or its connection to
         * this host, backed up): the standby needs a new copy. */
        VLOG_WARN_RL(&rl, "DPU %s: %"PRIu32" messages of connection changes "
                     "lost, copying again", cs.active, h.seq - cs.next_seq);
        cs.lost = true;
        cs.n_gaps++;
        COVERAGE_INC(dpu_ct_sync_gap);
        status_changed();
    }
    cs.next_seq = h.seq + 1;
    cs.n_msgs++;
    cs.n_changes += n;
    if (lag >= 0) {
        if (!cs.lag_us) {
            cs.lag_us = xmalloc(DPU_CT_SYNC_SAMPLES * sizeof *cs.lag_us);
        }
        cs.lag_us[cs.n_lag++ % DPU_CT_SYNC_SAMPLES] = lag;
    }
    standby = dpu_conn_ref(cs.standby);
    if (standby && dpu_conn_get_session(standby, NULL) != cs.standby_session) {
        /* It came back meanwhile: it gets a new generation. */
        dpu_conn_unref(standby);
        standby = NULL;
    }
    size_t max_backlog = cs.max_backlog;
    ovs_mutex_unlock(&cs_mutex);

    if (!standby) {
        return;
    }
    int error = dpu_conn_send_bounded(standby, ofpbuf_clone(buf),
                                      max_backlog);
    ovs_mutex_lock(&cs_mutex);
    if (cs.gen == h.gen && !strcmp(cs.standby, dpu_conn_get_name(standby))) {
        if (error == ENOBUFS) {
            /* The standby does not keep up: rather than hold ever more of
             * the active DPU's changes for it, drop them and copy again,
             * in a while. */
            VLOG_WARN_RL(&rl, "DPU %s: more than %"PRIuSIZE" bytes of "
                         "connection changes wait to be sent to it, copying "
                         "again", cs.standby, max_backlog);
            COVERAGE_INC(dpu_ct_sync_overflow);
            cs.n_overflows++;
            cs.lost = true;
            cs.retry = time_msec() + DPU_CT_SYNC_RETRY_MS;
            status_changed();
        } else if (!error) {
            COVERAGE_INC(dpu_ct_sync_relayed);
            if (msg->type == DPU_MSG_CT_SYNC_DONE && !cs.done) {
                cs.done = true;
                cs.last_count = h.count;
                cs.last_ms = time_msec() - cs.start;
                cs.last_wall = time_wall_msec();
                VLOG_INFO("DPU %s holds the %"PRIu32" connections of %s, "
                          "copied in %lld ms", cs.standby, h.count,
                          cs.active, cs.last_ms);
                /* The pair may be redundant now. */
                status_changed();
            }
        }
    }
    ovs_mutex_unlock(&cs_mutex);
    dpu_conn_unref(standby);
}

bool
dpu_ct_sync_is_synced(const struct dpu_conn *conn)
{
    struct dpu_conn *active = dpu_ha_ref_active();
    bool synced = true;

    if (active && strcmp(dpu_conn_get_name(active), dpu_conn_get_name(conn))
        && dp_dpu_conn_has_cap_up(active, DPU_CAP_CT_SYNC)
        && dp_dpu_conn_has_cap_up(conn, DPU_CAP_CT_SYNC)) {
        uint64_t as = dpu_conn_get_session(active, NULL);
        uint64_t ss = dpu_conn_get_session(conn, NULL);

        ovs_mutex_lock(&cs_mutex);
        synced = (cs.gen && cs.done && !cs.lost
                  && cs.active_session == as && cs.standby_session == ss
                  && !strcmp(cs.active, dpu_conn_get_name(active))
                  && !strcmp(cs.standby, dpu_conn_get_name(conn)));
        ovs_mutex_unlock(&cs_mutex);
    }
    dpu_conn_unref(active);
    return synced;
}

void
dpu_ct_sync_get_status(const struct dpu_conn *conn, struct smap *status)
{
    bool standby;

    ovs_mutex_lock(&cs_mutex);
    standby = cs.standby && !strcmp(cs.standby, dpu_conn_get_name(conn));
    ovs_mutex_unlock(&cs_mutex);
    if (standby && dpu_conn_is_up(conn) && !dpu_ha_is_active(conn)) {
        smap_replace(status, "ct_sync", (dpu_ct_sync_is_synced(conn)
                                         ? "synced" : "copying"));
    }
}

static int
compare_llong(const void *a_, const void *b_)
{
    const long long int *a = a_, *b = b_;

    return *a < *b ? -1 : *a > *b;
}

void
dpu_ct_sync_format(struct ds *s)
{
    ovs_mutex_lock(&cs_mutex);
    if (!cs.n_gens) {
        ovs_mutex_unlock(&cs_mutex);
        return;
    }
    ds_put_cstr(s, "  connections: ");
    if (cs.gen) {
        ds_put_format(s, "%s to %s, generation %"PRIu32", %s", cs.active,
                      cs.standby, cs.gen,
                      cs.done && !cs.lost ? "synced" : "copying");
    } else {
        ds_put_cstr(s, "not copied");
    }
    ds_put_format(s, "\n    relayed %"PRIu64" changes in %"PRIu64" messages, "
                  "stale %"PRIu64", lost %"PRIu64", copies %"PRIu64"\n",
                  cs.n_changes, cs.n_msgs, cs.n_stale, cs.n_gaps, cs.n_gens);
    if (cs.n_overflows) {
        ds_put_format(s, "    standby's backlog full %"PRIu64" times "
                      "(limit %"PRIuSIZE" bytes)\n", cs.n_overflows,
                      cs.max_backlog);
    }
    if (cs.last_wall) {
        ds_put_format(s, "    last full copy: %"PRIu32" connections in %lld "
                      "ms, %lld ms ago\n", cs.last_count, cs.last_ms,
                      time_wall_msec() - cs.last_wall);
    }
    size_t n = MIN(cs.n_lag, DPU_CT_SYNC_SAMPLES);
    if (n) {
        long long int *sorted = xmemdup(cs.lag_us, n * sizeof *sorted);

        qsort(sorted, n, sizeof *sorted, compare_llong);
        ds_put_format(s, "    lag to the host: p50 %lld us, p99 %lld us "
                      "(last %"PRIuSIZE" messages)\n", sorted[n / 2],
                      sorted[n * 99 / 100], n);
        free(sorted);
    }
    ovs_mutex_unlock(&cs_mutex);
}

void
dpu_ct_sync_set_config(const struct smap *other_config)
{
    static struct vlog_rate_limit config_rl = VLOG_RATE_LIMIT_INIT(1, 5);
    const char *s = smap_get(other_config, "dpu-ct-sync-backlog");
    long long int max = DPU_CT_SYNC_MAX_BACKLOG;

    if (s && (!str_to_llong(s, 10, &max) || max <= 0 || max > SIZE_MAX)) {
        VLOG_WARN_RL(&config_rl, "other_config:dpu-ct-sync-backlog \"%s\" "
                     "is not a positive number of bytes, using %d", s,
                     DPU_CT_SYNC_MAX_BACKLOG);
        max = DPU_CT_SYNC_MAX_BACKLOG;
    }
    ovs_mutex_lock(&cs_mutex);
    cs.max_backlog = max;
    ovs_mutex_unlock(&cs_mutex);
}
