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
#include "dpu-metrics.h"

#include <ctype.h>
#include <errno.h>

#include "coverage.h"
#include "dpu-alarm.h"
#include "dpu-conn.h"
#include "dpu-codec.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "ovs-thread.h"
#include "seq.h"
#include "smap.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(dpu_metrics);

COVERAGE_DEFINE(dpu_metrics_fetched);   /* A DPU answered with metrics. */
COVERAGE_DEFINE(dpu_metrics_failed);    /* A DPU could not answer. */
COVERAGE_DEFINE(dpu_metrics_malformed); /* A DPU's answer was malformed. */

/* A DPU that sends malformed metrics does so at every interval: one line
 * per minute is enough to name it and the cause. */
static struct vlog_rate_limit malformed_rl = VLOG_RATE_LIMIT_INIT(1, 1);

/* The latest metrics of one DPU, or why there are none. */
struct dpu_metrics_entry {
    bool valid;                 /* True: 'm' holds the DPU's metrics. */
    struct dpu_metrics m;
    char *error;                /* If !valid: why, e.g. "DPU is down". */
};

/* Lock order: 'mutex' is taken with no dpu_conn lock held, and nothing is
 * taken with it held. */
static struct ovs_mutex mutex = OVS_MUTEX_INITIALIZER;
static struct shash entries OVS_GUARDED_BY(mutex)
    = SHASH_INITIALIZER(&entries);      /* struct dpu_metrics_entry. */
static int interval_ms OVS_GUARDED_BY(mutex);
static struct seq *interval_seq;        /* Changes with 'interval_ms'. */

static void
entry_destroy(struct dpu_metrics_entry *e)
{
    if (e) {
        dpu_metrics_destroy(&e->m);
        free(e->error);
        free(e);
    }
}

/* Asks 'conn' for its metrics.  Returns a new entry. */
static struct dpu_metrics_entry *
fetch(struct dpu_conn *conn)
{
    struct dpu_metrics_entry *e = xzalloc(sizeof *e);
    const char *name = dpu_conn_get_name(conn);
    struct ds why = DS_EMPTY_INITIALIZER;
    struct ofpbuf *request, *reply;
    struct dpu_msg msg;
    int error;

    if (!dpu_conn_is_up(conn)) {
        e->error = xstrdup("DPU is not up");
        return e;
    }

    request = ofpbuf_new(64);
    dpu_msg_start(request, DPU_MSG_GET_METRICS, 0, 0);
    dpu_msg_finish(request);
    /* The default timeout: a shorter one would declare a busy DPU hung
     * (see dpu_conn_transact()), and this thread may wait. */
    error = dpu_conn_transact(conn, request, 0, &reply, &msg);
    if (error) {
        COVERAGE_INC(dpu_metrics_failed);
        e->error = xstrdup(error == EOPNOTSUPP ? "DPU does not report metrics"
                           : ovs_strerror(error));
        if (error == EPROTO) {
            COVERAGE_INC(dpu_metrics_malformed);
        }
        VLOG_DBG("%s: no metrics: %s", name, e->error);
        return e;
    }

    if (dpu_parse_metrics(msg.attrs[DPU_ATTR_METRICS], &e->m, &why)) {
        COVERAGE_INC(dpu_metrics_fetched);
        e->valid = true;
        dpu_alarm_check_metrics(name, &e->m);
    } else {
        COVERAGE_INC(dpu_metrics_malformed);
        VLOG_WARN_RL(&malformed_rl, "%s: malformed metrics from DPU: %s",
                     name, ds_cstr(&why));
        dpu_metrics_destroy(&e->m);
        e->error = xasprintf("malformed metrics: %s", ds_cstr(&why));
    }
    ds_destroy(&why);
    ofpbuf_delete(reply);
    return e;
}

/* Whether the entries no longer match which DPUs are up: a DPU that is up
 * has no metrics yet, or one that has metrics went down or away. */
static bool
entries_stale(struct dpu_conn **conns, size_t n)
    OVS_EXCLUDED(mutex)
{
    bool *up = xmalloc(MAX(n, 1) * sizeof *up);
    bool stale = false;

    for (size_t i = 0; i < n; i++) {
        up[i] = dpu_conn_is_up(conns[i]);
    }
    ovs_mutex_lock(&mutex);
    stale = shash_count(&entries) != n;
    for (size_t i = 0; !stale && i < n; i++) {
        const struct dpu_metrics_entry *e
            = shash_find_data(&entries, dpu_conn_get_name(conns[i]));

        stale = !e || e->valid != up[i];
    }
    ovs_mutex_unlock(&mutex);
    free(up);
    return stale;
}

static void *
dpu_metrics_main(void *arg OVS_UNUSED)
{
    long long int next_fetch = 0;
    uint64_t last_ival_seq = 0;

    for (;;) {
        uint64_t conn_seq = seq_read(dpu_conn_seq());
        uint64_t ival_seq = seq_read(interval_seq);
        struct dpu_conn **conns;
        size_t n;
        int ms;

        /* Every interval; and at once when a DPU comes up or goes down (not
         * at every event that a DPU reports, which may come in bursts, as
         * in a failover). */
        n = dpu_conn_get_all(&conns);
        if (time_msec() >= next_fetch || ival_seq != last_ival_seq
            || entries_stale(conns, n)) {
            struct shash fresh = SHASH_INITIALIZER(&fresh);
            struct shash_node *node;

            for (size_t i = 0; i < n; i++) {
                shash_add(&fresh, dpu_conn_get_name(conns[i]),
                          fetch(conns[i]));
            }

            ovs_mutex_lock(&mutex);
            shash_swap(&fresh, &entries);
            ms = interval_ms;
            ovs_mutex_unlock(&mutex);
            SHASH_FOR_EACH_SAFE (node, &fresh) {
                entry_destroy(node->data);
            }
            shash_destroy(&fresh);
            next_fetch = time_msec() + ms;
            last_ival_seq = ival_seq;
        }
        for (size_t i = 0; i < n; i++) {
            dpu_conn_unref(conns[i]);
        }
        free(conns);

        poll_timer_wait_until(next_fetch);
        seq_wait(dpu_conn_seq(), conn_seq);
        seq_wait(interval_seq, ival_seq);
        poll_block();
    }
    return NULL;
}

void
dpu_metrics_set_interval(int ms)
{
    static struct ovsthread_once once = OVSTHREAD_ONCE_INITIALIZER;
    bool changed;

    if (ovsthread_once_start(&once)) {
        interval_seq = seq_create();
        ovs_mutex_lock(&mutex);
        interval_ms = ms;
        ovs_mutex_unlock(&mutex);
        ovs_thread_create("dpu_metrics", dpu_metrics_main, NULL);
        ovsthread_once_done(&once);
        return;
    }
    ovs_mutex_lock(&mutex);
    changed = interval_ms != ms;
    interval_ms = ms;
    ovs_mutex_unlock(&mutex);
    if (changed) {
        seq_change(interval_seq);
    }
}

void
dpu_metrics_get_statistics(const char *dpu, struct smap *stats)
{
    const struct dpu_metrics_entry *e;

    smap_clear(stats);
    ovs_mutex_lock(&mutex);
    e = shash_find_data(&entries, dpu);
    if (e && e->valid) {
        dpu_metrics_to_smap(&e->m, stats);
    }
    ovs_mutex_unlock(&mutex);
}

/* Returns the busiest of the cores of 'm', or NULL if it has none. */
static const struct dpu_metrics_core *
busiest_core(const struct dpu_metrics *m)
{
    const struct dpu_metrics_core *busiest = NULL;

    for (size_t i = 0; i < m->n_cores; i++) {
        if (!busiest || m->cores[i].load > busiest->load) {
            busiest = &m->cores[i];
        }
    }
    return busiest;
}

void
dpu_metrics_format_summary(const char *dpu, struct ds *s)
{
    const struct dpu_metrics_entry *e;

    ovs_mutex_lock(&mutex);
    e = shash_find_data(&entries, dpu);
    if (!e) {
        ds_put_cstr(s, "  metrics: none yet\n");
    } else if (!e->valid) {
        ds_put_format(s, "  metrics: none (%s)\n", e->error);
    } else {
        const struct dpu_metrics *m = &e->m;
        const struct dpu_metrics_core *busiest = busiest_core(m);

        ds_put_format(s, "  metrics (%s%s, over %"PRIu32" ms): %"PRIuSIZE
                      " cores", m->emulated ? "emulated" : "DPU",
                      m->injected ? ", injected" : "", m->interval_ms,
                      m->n_cores);
        if (busiest) {
            ds_put_format(s, ", busiest %s ", busiest->name);
            dpu_metrics_format_load(busiest->load, s);
            ds_put_char(s, '%');
        }
        ds_put_format(s, ", memory %"PRIu64" kB of %"PRIu64" kB\n",
                      m->mem_used / 1024, m->mem_total / 1024);
        /* Not "upcalls N": that is the datapath's line, which scripts
         * look for. */
        ds_put_format(s, "    %"PRIu64" flows, %"PRIuSIZE" ports, upcalls: %"
                      PRIu64", %"PRIu32"/s, ", m->n_flows, m->n_ports,
                      m->upcalls, m->upcall_rate);
        dpu_metrics_format_flow_setups(m, s);
        ds_put_char(s, '\n');
    }
    ovs_mutex_unlock(&mutex);
}

/* Appends to 's' the name of a core or a port, with every character that
 * would need quoting in an OVSDB map key on the command line replaced by
 * '_'. */
static void
put_key_name(struct ds *s, const char *name)
{
    for (const char *p = name; *p; p++) {
        ds_put_char(s, (isalnum((unsigned char) *p) || *p == '-' || *p == '.'
                        ? *p : '_'));
    }
}

/* Adds 'value' to 'stats' as key PREFIX NAME SUFFIX, unless it is
 * UINT64_MAX (not counted), as Interface:statistics omits those. */
static void
add_u64(struct smap *stats, const char *prefix, const char *name,
        const char *suffix, uint64_t value)
{
    struct ds key = DS_EMPTY_INITIALIZER;

    if (value == UINT64_MAX) {
        return;
    }
    ds_put_cstr(&key, prefix);
    if (name) {
        put_key_name(&key, name);
    }
    ds_put_cstr(&key, suffix);
    /* smap_replace_nocopy() takes the value, and copies the key. */
    smap_replace_nocopy(stats, ds_cstr(&key), xasprintf("%"PRIu64, value));
    ds_destroy(&key);
}

void
dpu_metrics_to_smap(const struct dpu_metrics *m, struct smap *stats)
{
    smap_replace(stats, "source", m->emulated ? "emulated" : "dpu");
    if (m->injected) {
        smap_replace(stats, "injected", "true");
    }
    add_u64(stats, "interval_ms", NULL, "", m->interval_ms);
    for (size_t i = 0; i < m->n_cores; i++) {
        struct ds key = DS_EMPTY_INITIALIZER;
        struct ds value = DS_EMPTY_INITIALIZER;

        ds_put_cstr(&key, "core_load_");
        put_key_name(&key, m->cores[i].name);
        dpu_metrics_format_load(m->cores[i].load, &value);
        smap_replace_nocopy(stats, ds_cstr(&key), ds_steal_cstr(&value));
        ds_destroy(&key);
    }
    add_u64(stats, "memory_used_kb", NULL, "", m->mem_used / 1024);
    add_u64(stats, "memory_total_kb", NULL, "", m->mem_total / 1024);
    add_u64(stats, "flows", NULL, "", m->n_flows);
    add_u64(stats, "dp_hit", NULL, "", m->n_hit);
    add_u64(stats, "dp_missed", NULL, "", m->n_missed);
    add_u64(stats, "dp_lost", NULL, "", m->n_lost);
    add_u64(stats, "upcalls", NULL, "", m->upcalls);
    add_u64(stats, "upcalls_per_second", NULL, "", m->upcall_rate);
    add_u64(stats, "flow_setups", NULL, "", m->flow_setups);
    if (m->has_flow_setup) {
        add_u64(stats, "flow_setup_avg_us", NULL, "", m->flow_setup_avg_us);
        add_u64(stats, "flow_setup_max_us", NULL, "", m->flow_setup_max_us);
    }
    for (size_t i = 0; i < m->n_ports; i++) {
        const struct dpu_metrics_port *p = &m->ports[i];

        add_u64(stats, "port_", p->name, "_rx_packets", p->stats.rx_packets);
        add_u64(stats, "port_", p->name, "_rx_bytes", p->stats.rx_bytes);
        add_u64(stats, "port_", p->name, "_rx_dropped", p->stats.rx_dropped);
        add_u64(stats, "port_", p->name, "_rx_errors", p->stats.rx_errors);
        add_u64(stats, "port_", p->name, "_tx_packets", p->stats.tx_packets);
        add_u64(stats, "port_", p->name, "_tx_bytes", p->stats.tx_bytes);
        add_u64(stats, "port_", p->name, "_tx_dropped", p->stats.tx_dropped);
        add_u64(stats, "port_", p->name, "_tx_errors", p->stats.tx_errors);
    }
}
