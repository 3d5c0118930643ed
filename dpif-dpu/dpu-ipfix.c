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
#include "dpu-ipfix.h"

#include <errno.h>

#include "coverage.h"
#include "dpu-alarm.h"
#include "dpu-conn.h"
#include "dpu-ha.h"
#include "dpu-codec.h"
#include "hash.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "openvswitch/list.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "ovs-thread.h"
#include "seq.h"
#include "smap.h"
#include "sset.h"
#include "util.h"
#include "uuid.h"

VLOG_DEFINE_THIS_MODULE(dpu_ipfix);

COVERAGE_DEFINE(dpu_ipfix_set);         /* IPFIX_SET sent to a DPU. */
COVERAGE_DEFINE(dpu_ipfix_refused);     /* A DPU refused an IPFIX_SET. */
COVERAGE_DEFINE(dpu_ipfix_alarm);       /* ALARM sent to a DPU. */
COVERAGE_DEFINE(dpu_ipfix_alarm_lost);  /* No DPU could export an alarm. */
COVERAGE_DEFINE(dpu_ipfix_alarm_overflow); /* Alarms dropped: queue full. */

/* One warning per DPU problem is enough; a reconfiguration storm must not
 * flood the log. */
static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

/* A bridge whose DPUs export IPFIX. */
struct dpu_ipfix_bridge {
    struct hmap_node node;      /* In 'bridges', by uuid. */
    struct uuid uuid;
    char *name;
    struct ofpbuf *exporters;   /* DPU_ATTR_IPFIX without the DPU's own
                                 * attributes, NULL to forget the bridge. */
};

static struct ovs_mutex mutex = OVS_MUTEX_INITIALIZER;
static struct hmap bridges OVS_GUARDED_BY(mutex) = HMAP_INITIALIZER(&bridges);
static struct smap domains OVS_GUARDED_BY(mutex) = SMAP_INITIALIZER(&domains);

static struct dpu_ipfix_bridge *
find_bridge(const struct uuid *uuid)
    OVS_REQUIRES(mutex)
{
    struct dpu_ipfix_bridge *br;

    HMAP_FOR_EACH_WITH_HASH (br, node, uuid_hash(uuid), &bridges) {
        if (uuid_equals(&br->uuid, uuid)) {
            return br;
        }
    }
    return NULL;
}

static void
bridge_destroy(struct dpu_ipfix_bridge *br)
    OVS_REQUIRES(mutex)
{
    hmap_remove(&bridges, &br->node);
    ofpbuf_delete(br->exporters);
    free(br->name);
    free(br);
}

/* Returns a new IPFIX_SET request for 'br' on the DPU called 'dpu_name'.
 * An IPFIX_SET of a bridge without exporters makes the DPU forget it. */
static struct ofpbuf *
ipfix_set_request(const struct dpu_ipfix_bridge *br, const char *dpu_name)
    OVS_REQUIRES(mutex)
{
    struct ofpbuf *b = ofpbuf_new(512);
    struct dpu_ipfix_config cfg;
    struct ds why = DS_EMPTY_INITIALIZER;
    const char *domain = smap_get(&domains, dpu_name);

    memset(&cfg, 0, sizeof cfg);
    if (br->exporters) {
        /* We encoded it ourselves: it decodes. */
        ovs_assert(dpu_parse_ipfix_config(br->exporters->data, &cfg, &why));
    } else {
        cfg.bridge_uuid = br->uuid;
        cfg.bridge_name = xstrdup(br->name);
    }
    free(cfg.dpu_name);
    cfg.dpu_name = xstrdup(dpu_name);
    if (domain) {
        cfg.has_obs_domain_id = true;
        cfg.obs_domain_id = strtoul(domain, NULL, 10);
    }
    dpu_msg_start(b, DPU_MSG_IPFIX_SET, 0, 0);
    dpu_put_ipfix_config(b, &cfg);
    dpu_msg_finish(b);
    dpu_ipfix_config_destroy(&cfg);
    ds_destroy(&why);
    return b;
}

/* Sends to 'conn' the IPFIX_SET of every bridge in 'brs' (an array of 'n'),
 * or of every bridge if 'brs' is NULL. */
static void
send_bridges(struct dpu_conn *conn, struct dpu_ipfix_bridge **brs, size_t n)
{
    struct ovs_list requests = OVS_LIST_INITIALIZER(&requests);
    struct ofpbuf *b;
    bool explicit_drop, lb_output;

    if (!dpu_conn_is_up(conn)) {
        return;                 /* It gets them at its re-sync. */
    }

    ovs_mutex_lock(&mutex);
    if (brs) {
        for (size_t i = 0; i < n; i++) {
            b = ipfix_set_request(brs[i], dpu_conn_get_name(conn));
            ovs_list_push_back(&requests, &b->list_node);
        }
    } else {
        struct dpu_ipfix_bridge *br;

        HMAP_FOR_EACH (br, node, &bridges) {
            b = ipfix_set_request(br, dpu_conn_get_name(conn));
            ovs_list_push_back(&requests, &b->list_node);
        }
    }
    ovs_mutex_unlock(&mutex);

    if (!ovs_list_is_empty(&requests)
        && !(dpu_conn_get_caps(conn, &explicit_drop, &lb_output)
             & DPU_CAP_IPFIX)) {
        VLOG_WARN_RL(&rl, "DPU %s cannot export IPFIX: the host exports "
                     "its samples", dpu_conn_get_name(conn));
        ofpbuf_list_delete(&requests);
    }
    LIST_FOR_EACH_POP (b, list_node, &requests) {
        struct ofpbuf *reply;
        struct dpu_msg msg;
        int error;

        COVERAGE_INC(dpu_ipfix_set);
        error = dpu_conn_transact(conn, b, 0, &reply, &msg);
        ofpbuf_delete(reply);
        if (error && error != ENOTCONN) {
            COVERAGE_INC(dpu_ipfix_refused);
            VLOG_WARN_RL(&rl, "DPU %s refused an IPFIX configuration (%s): "
                         "it sends its samples to the host",
                         dpu_conn_get_name(conn), ovs_strerror(error));
        }
    }
}

/* Sends the bridges in 'brs' (NULL: all) to every DPU. */
static void
send_to_all(struct dpu_ipfix_bridge **brs, size_t n)
{
    struct dpu_conn **conns;
    size_t n_conns = dpu_conn_get_all(&conns);

    for (size_t i = 0; i < n_conns; i++) {
        send_bridges(conns[i], brs, n);
        dpu_conn_unref(conns[i]);
    }
    free(conns);
}

/* Sends 'br' to every DPU, then, if it has no exporters, forgets it. */
static void
send_bridge(struct dpu_ipfix_bridge *br)
{
    send_to_all(&br, 1);
    if (!br->exporters) {
        ovs_mutex_lock(&mutex);
        bridge_destroy(br);
        ovs_mutex_unlock(&mutex);
    }
}

void
dpu_ipfix_set_bridge(const struct uuid *uuid, const char *name,
                     const struct ofproto_ipfix_bridge_exporter_options *be,
                     const struct ofproto_ipfix_flow_exporter_options *fe,
                     size_t n_fe)
{
    struct dpu_ipfix_bridge *br, *old = NULL;
    struct ofpbuf *exporters = NULL;

    if (be || n_fe) {
        struct dpu_ipfix_config cfg = {
            .bridge_uuid = *uuid,
            .bridge_name = CONST_CAST(char *, name),
            .be = CONST_CAST(struct ofproto_ipfix_bridge_exporter_options *,
                             be),
            .fe = CONST_CAST(struct ofproto_ipfix_flow_exporter_options *,
                             fe),
            .n_fe = n_fe,
        };

        exporters = ofpbuf_new(256);
        dpu_put_ipfix_config(exporters, &cfg);
    }

    ovs_mutex_lock(&mutex);
    /* A bridge deleted and created again under its name has a new UUID. */
    HMAP_FOR_EACH (br, node, &bridges) {
        if (!strcmp(br->name, name) && !uuid_equals(&br->uuid, uuid)) {
            old = br;
            ofpbuf_delete(old->exporters);
            old->exporters = NULL;
            break;
        }
    }
    br = find_bridge(uuid);
    if (br ? (exporters && br->exporters
              && ofpbuf_equal(exporters, br->exporters))
           : !exporters) {
        /* Nothing changed. */
        ofpbuf_delete(exporters);
        br = NULL;
    } else if (!br) {
        br = xzalloc(sizeof *br);
        br->uuid = *uuid;
        br->name = xstrdup(name);
        br->exporters = exporters;
        hmap_insert(&bridges, &br->node, uuid_hash(uuid));
    } else {
        ofpbuf_delete(br->exporters);
        br->exporters = exporters;
    }
    ovs_mutex_unlock(&mutex);

    if (old) {
        send_bridge(old);
    }
    if (br) {
        send_bridge(br);
    }
}

void
dpu_ipfix_prune(const struct sset *names)
{
    for (;;) {
        struct dpu_ipfix_bridge *br, *gone = NULL;

        ovs_mutex_lock(&mutex);
        HMAP_FOR_EACH (br, node, &bridges) {
            if (!sset_contains(names, br->name)) {
                gone = br;
                ofpbuf_delete(gone->exporters);
                gone->exporters = NULL;
                break;
            }
        }
        ovs_mutex_unlock(&mutex);
        if (!gone) {
            return;
        }
        send_bridge(gone);
    }
}

void
dpu_ipfix_set_obs_domains(const struct smap *new_domains)
{
    bool changed;

    ovs_mutex_lock(&mutex);
    changed = !smap_equal(&domains, new_domains);
    if (changed) {
        smap_destroy(&domains);
        smap_clone(&domains, new_domains);
    }
    changed = changed && !hmap_is_empty(&bridges);
    ovs_mutex_unlock(&mutex);
    if (changed) {
        send_to_all(NULL, 0);
    }
}

void
dpu_ipfix_sync(struct dpu_conn *conn)
{
    send_bridges(conn, NULL, 0);
}

/* Alarms.
 *
 * dpu_alarm raises and clears alarms from any thread, some of which hold
 * locks of their own (dpu-ha's, dpu-conn's), and a DPU that an alarm is
 * about may be hung: the alarms wait in 'alarm_queue' for a thread of
 * their own, "dpu_ipfix", which sends each to one DPU and may wait for its
 * answer without holding up anyone else. */

/* Alarms that wait to be sent: beyond this, the oldest are dropped.  A
 * host raises a handful of alarms per DPU; only a DPU that hangs for long
 * (each ALARM to it waits for the request timeout) lets them pile up. */
#define MAX_QUEUED_ALARMS 1024

/* An alarm that waits to be sent. */
struct queued_alarm {
    struct ovs_list list_node;  /* In 'alarm_queue'. */
    char *dpu;                  /* The DPU it is about. */
    struct ofpbuf *msg;         /* DPU_MSG_ALARM. */
};

/* 'alarm_mutex' is a leaf: nothing is taken or called with it held. */
static struct ovs_mutex alarm_mutex = OVS_MUTEX_INITIALIZER;
static struct ovs_list alarm_queue OVS_GUARDED_BY(alarm_mutex)
    = OVS_LIST_INITIALIZER(&alarm_queue);
static size_t n_queued OVS_GUARDED_BY(alarm_mutex);
static struct seq *alarm_seq;   /* Changes when an alarm is queued. */

/* A DPU that cannot take an alarm does so for each one: once per minute
 * names it. */
static struct vlog_rate_limit alarm_rl = VLOG_RATE_LIMIT_INIT(1, 5);

static void
queued_alarm_destroy(struct queued_alarm *qa)
{
    free(qa->dpu);
    ofpbuf_delete(qa->msg);
    free(qa);
}

/* The order in which the DPUs in 'conns' (an array of 'n', sorted by name)
 * are asked to export an alarm about DPU 'dpu', stored in 'order': the
 * active DPU of the pair first if 'dpu' is a member, then its partner;
 * otherwise 'dpu' itself; then the others, which export for the same
 * bridges (every DPU gets every IPFIX_SET). */
static void
alarm_senders(const char *dpu, struct dpu_conn **conns, size_t n,
              struct dpu_conn **order)
{
    struct dpu_conn *a, *b, *active = NULL;
    size_t n_order = 0;
    int pass;

    dpu_ha_get_pair(&a, &b);
    if ((a && !strcmp(dpu_conn_get_name(a), dpu))
        || (b && !strcmp(dpu_conn_get_name(b), dpu))) {
        active = dpu_ha_ref_active();
    } else {
        dpu_conn_unref(a);
        dpu_conn_unref(b);
        a = b = NULL;
    }

    for (pass = 0; pass < 3; pass++) {
        for (size_t i = 0; i < n; i++) {
            struct dpu_conn *c = conns[i];
            int rank = (c == active ? 0
                        : c == a || c == b ? 1
                        : !active && !strcmp(dpu_conn_get_name(c), dpu) ? 0
                        : 2);

            if (rank == pass) {
                order[n_order++] = c;
            }
        }
    }
    ovs_assert(n_order == n);
    dpu_conn_unref(active);
    dpu_conn_unref(a);
    dpu_conn_unref(b);
}

/* Sends 'qa' to the first DPU that exports IPFIX and takes it. */
static void
send_alarm(const struct queued_alarm *qa)
{
    struct dpu_conn **conns, **order;
    bool exporting, sent = false;
    size_t n;

    ovs_mutex_lock(&mutex);
    exporting = !hmap_is_empty(&bridges);
    ovs_mutex_unlock(&mutex);
    if (!exporting) {
        return;                 /* No DPU exports IPFIX: nobody to tell. */
    }

    n = dpu_conn_get_all(&conns);
    order = xmalloc(MAX(n, 1) * sizeof *order);
    alarm_senders(qa->dpu, conns, n, order);
    for (size_t i = 0; i < n && !sent; i++) {
        struct dpu_conn *conn = order[i];
        bool explicit_drop, lb_output;
        struct ofpbuf *reply;
        struct dpu_msg msg;
        int error;

        if (!dpu_conn_is_up(conn)
            || !(dpu_conn_get_caps(conn, &explicit_drop, &lb_output)
                 & DPU_CAP_IPFIX)) {
            continue;
        }
        error = dpu_conn_transact(conn, ofpbuf_clone(qa->msg), 0, &reply,
                                  &msg);
        ofpbuf_delete(reply);
        if (!error) {
            COVERAGE_INC(dpu_ipfix_alarm);
            sent = true;
        } else if (error != ENOTCONN && error != ETIMEDOUT) {
            VLOG_WARN_RL(&alarm_rl, "DPU %s refused an alarm of DPU %s "
                         "for its IPFIX collectors (%s)",
                         dpu_conn_get_name(conn), qa->dpu,
                         ovs_strerror(error));
        }
    }
    if (!sent) {
        COVERAGE_INC(dpu_ipfix_alarm_lost);
        VLOG_INFO_RL(&alarm_rl, "no DPU could send an alarm of DPU %s to "
                     "its IPFIX collectors", qa->dpu);
    }
    for (size_t i = 0; i < n; i++) {
        dpu_conn_unref(conns[i]);
    }
    free(conns);
    free(order);
}

static void *
dpu_ipfix_alarm_main(void *arg OVS_UNUSED)
{
    for (;;) {
        uint64_t seqno = seq_read(alarm_seq);
        struct ovs_list alarms;
        struct queued_alarm *qa;

        ovs_mutex_lock(&alarm_mutex);
        ovs_list_move(&alarms, &alarm_queue);
        ovs_list_init(&alarm_queue);
        n_queued = 0;
        ovs_mutex_unlock(&alarm_mutex);

        LIST_FOR_EACH_POP (qa, list_node, &alarms) {
            send_alarm(qa);
            queued_alarm_destroy(qa);
        }
        seq_wait(alarm_seq, seqno);
        poll_block();
    }
    return NULL;
}

void
dpu_ipfix_send_alarm(const char *dpu, const struct dpu_alarm *a)
{
    static struct ovsthread_once once = OVSTHREAD_ONCE_INITIALIZER;
    const struct smap *d = &a->details;
    struct dpu_alarm_event ev = {
        .id = a->uuid,
        .type = dpu_alarm_type_to_string(a->type),
        .dpu_name = dpu,
        .subject = a->subject[0] ? a->subject : NULL,
        .severity = a->severity,
        .cleared = a->cleared != 0,
        .time = a->cleared ? a->cleared : a->raised,
        .cause = a->cause,
    };
    struct queued_alarm *qa, *oldest = NULL;
    unsigned long long int duration;

    if (a->type == DPU_ALARM_FAILOVER) {
        ev.from = smap_get(d, "from");
        ev.to = smap_get(d, "to");
        ev.reason = smap_get(d, "cause");
        ev.has_duration = str_to_ullong(smap_get_def(d, "duration_ms", ""),
                                        10, &duration);
        ev.duration_ms = ev.has_duration ? duration : 0;
    }

    qa = xmalloc(sizeof *qa);
    qa->dpu = xstrdup(dpu);
    qa->msg = ofpbuf_new(256);
    dpu_msg_start(qa->msg, DPU_MSG_ALARM, 0, 0);
    dpu_put_alarm(qa->msg, &ev);
    dpu_msg_finish(qa->msg);

    if (ovsthread_once_start(&once)) {
        alarm_seq = seq_create();
        ovs_thread_create("dpu_ipfix", dpu_ipfix_alarm_main, NULL);
        ovsthread_once_done(&once);
    }
    ovs_mutex_lock(&alarm_mutex);
    ovs_list_push_back(&alarm_queue, &qa->list_node);
    if (++n_queued > MAX_QUEUED_ALARMS) {
        oldest = CONTAINER_OF(ovs_list_pop_front(&alarm_queue),
                              struct queued_alarm, list_node);
        n_queued--;
    }
    ovs_mutex_unlock(&alarm_mutex);
    if (oldest) {
        COVERAGE_INC(dpu_ipfix_alarm_overflow);
        queued_alarm_destroy(oldest);
    }
    seq_change(alarm_seq);
}
