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
#include "dpu-alarm.h"

#include <stdarg.h>

#include "connectivity.h"
#include "coverage.h"
#include "dpu-ipfix.h"
#include "dpu-codec.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/list.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "ovs-thread.h"
#include "seq.h"
#include "sset.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(dpu_alarm);

COVERAGE_DEFINE(dpu_alarm_raised);
COVERAGE_DEFINE(dpu_alarm_cleared);

/* An alarm whose condition hovers around its threshold is raised and
 * cleared at every refresh of the DPU's metrics: 20 lines a minute name it
 * without flooding the log. */
static struct vlog_rate_limit alarm_rl = VLOG_RATE_LIMIT_INIT(20, 20);

/* A wrong threshold is read again at every reconfiguration. */
static struct vlog_rate_limit config_rl = VLOG_RATE_LIMIT_INIT(1, 5);

/* Default thresholds (see dpu-table.xml). */
#define DEFAULT_CPU_THRESHOLD 90
#define DEFAULT_CPU_SECONDS 60
#define DEFAULT_MEMORY_THRESHOLD 90

static const struct {
    const char *name;
    /* The level at which raising is logged: warning, unless the condition
     * itself is logged at warning level by the module that notices it. */
    enum vlog_level raise_level;
} alarm_types[DPU_N_ALARM_TYPES] = {
    [DPU_ALARM_CPU] = { "cpu", VLL_WARN },
    [DPU_ALARM_MEMORY] = { "memory", VLL_WARN },
    [DPU_ALARM_UPLINK_DOWN] = { "uplink-down", VLL_WARN },
    [DPU_ALARM_HEARTBEAT_LOSS] = { "heartbeat-loss", VLL_INFO },
    [DPU_ALARM_HARDWARE] = { "hardware", VLL_WARN },
    [DPU_ALARM_PAIR_MISMATCH] = { "pair-mismatch", VLL_INFO },
    [DPU_ALARM_FAILOVER] = { "failover", VLL_INFO },
    [DPU_ALARM_VERSION_SKEW] = { "version-skew", VLL_WARN },
};

struct alarm_node {
    struct ovs_list list_node;  /* In 'active' or 'history'. */
    struct dpu_alarm a;
};

/* The alarms and thresholds of one DPU. */
struct dpu_alarms {
    struct ovs_list active;     /* struct alarm_node, most recent first. */
    struct ovs_list history;    /* Cleared, most recent first. */
    size_t n_history;           /* At most DPU_ALARM_HISTORY. */

    int cpu_threshold;          /* Percent, or 0 if disabled. */
    int cpu_seconds;
    int memory_threshold;       /* Percent, or 0 if disabled. */
    long long int cpu_above_since;  /* time_msec() of the first sample of
                                     * a core above the threshold, or
                                     * LLONG_MIN. */
    bool imported;              /* dpu_alarm_import() was called. */
};

static struct ovs_mutex alarm_mutex = OVS_MUTEX_INITIALIZER;
static struct shash all_dpus OVS_GUARDED_BY(alarm_mutex)
    = SHASH_INITIALIZER(&all_dpus);     /* struct dpu_alarms, by DPU name. */

const char *
dpu_alarm_type_to_string(enum dpu_alarm_type type)
{
    return type < DPU_N_ALARM_TYPES ? alarm_types[type].name : "unknown";
}

bool
dpu_alarm_type_from_string(const char *s, enum dpu_alarm_type *typep)
{
    for (int i = 0; i < DPU_N_ALARM_TYPES; i++) {
        if (!strcmp(s, alarm_types[i].name)) {
            *typep = i;
            return true;
        }
    }
    return false;
}

/* Whether the DPUs' IPFIX collectors hear of the raises and clears of
 * alarms of 'type': not of "hardware", which the DPU itself sends them as
 * hardware health alerts. */
static bool
is_exported(enum dpu_alarm_type type)
{
    return type != DPU_ALARM_HARDWARE;
}

/* Tells ovs-vswitchd to write the alarms to OVSDB. */
static void
alarms_changed(void)
    OVS_EXCLUDED(alarm_mutex)
{
    seq_change(connectivity_seq_get());
}

static void
alarm_copy(struct dpu_alarm *dst, const struct dpu_alarm *src)
{
    *dst = *src;
    dst->subject = xstrdup(src->subject);
    dst->cause = xstrdup(src->cause);
    smap_clone(&dst->details, &src->details);
}

static void
alarm_uninit(struct dpu_alarm *a)
{
    free(a->subject);
    free(a->cause);
    smap_destroy(&a->details);
}

static void
alarm_node_destroy(struct alarm_node *n)
{
    alarm_uninit(&n->a);
    free(n);
}

/* Returns the alarms of DPU 'name', created with the default thresholds if
 * there are none yet. */
static struct dpu_alarms *
dpu_alarms_get(const char *name)
    OVS_REQUIRES(alarm_mutex)
{
    struct dpu_alarms *d = shash_find_data(&all_dpus, name);

    if (!d) {
        d = xzalloc(sizeof *d);
        ovs_list_init(&d->active);
        ovs_list_init(&d->history);
        d->cpu_threshold = DEFAULT_CPU_THRESHOLD;
        d->cpu_seconds = DEFAULT_CPU_SECONDS;
        d->memory_threshold = DEFAULT_MEMORY_THRESHOLD;
        d->cpu_above_since = LLONG_MIN;
        shash_add(&all_dpus, name, d);
    }
    return d;
}

static void
dpu_alarms_destroy_all(struct dpu_alarms *d)
{
    struct alarm_node *n;

    LIST_FOR_EACH_POP (n, list_node, &d->active) {
        alarm_node_destroy(n);
    }
    LIST_FOR_EACH_POP (n, list_node, &d->history) {
        alarm_node_destroy(n);
    }
    free(d);
}

static struct alarm_node *
find_active(struct dpu_alarms *d, enum dpu_alarm_type type,
            const char *subject)
    OVS_REQUIRES(alarm_mutex)
{
    struct alarm_node *n;

    LIST_FOR_EACH (n, list_node, &d->active) {
        if (n->a.type == type && !strcmp(n->a.subject, subject)) {
            return n;
        }
    }
    return NULL;
}

static void
log_alarm(const char *dpu, const char *what, enum vlog_level level,
          const struct dpu_alarm *a)
{
    VLOG_RL(&alarm_rl, level, "DPU %s: alarm %s: %s%s%s (%s): %s", dpu,
            what, dpu_alarm_type_to_string(a->type),
            a->subject[0] ? " " : "", a->subject,
            dpu_severity_to_string(a->severity), a->cause);
}

static void
raise_valist(const char *dpu, enum dpu_alarm_type type, const char *subject,
             enum dpu_severity severity, const struct smap *details,
             const char *format, va_list args)
    OVS_EXCLUDED(alarm_mutex)
{
    char *cause = xvasprintf(format, args);
    struct dpu_alarm raised;
    bool changed = false;
    bool is_new = false;
    struct alarm_node *n;
    struct dpu_alarms *d;

    subject = subject ? subject : "";
    ovs_mutex_lock(&alarm_mutex);
    d = dpu_alarms_get(dpu);
    n = find_active(d, type, subject);
    if (!n) {
        n = xzalloc(sizeof *n);
        uuid_generate(&n->a.uuid);
        n->a.type = type;
        n->a.subject = xstrdup(subject);
        n->a.severity = severity;
        n->a.cause = cause;
        n->a.raised = time_wall_msec();
        smap_init(&n->a.details);
        if (details) {
            smap_clone(&n->a.details, details);
        }
        ovs_list_push_front(&d->active, &n->list_node);
        COVERAGE_INC(dpu_alarm_raised);
        log_alarm(dpu, "raised", alarm_types[type].raise_level, &n->a);
        changed = true;
        is_new = is_exported(type);
        if (is_new) {
            alarm_copy(&raised, &n->a);
        }
    } else {
        if (n->a.severity != severity || strcmp(n->a.cause, cause)
            || (details && !smap_equal(&n->a.details, details))) {
            n->a.severity = severity;
            free(n->a.cause);
            n->a.cause = cause;
            cause = NULL;
            if (details) {
                smap_destroy(&n->a.details);
                smap_clone(&n->a.details, details);
            }
            changed = true;
        }
        free(cause);
    }
    ovs_mutex_unlock(&alarm_mutex);

    if (is_new) {
        dpu_ipfix_send_alarm(dpu, &raised);
        alarm_uninit(&raised);
    }
    if (changed) {
        alarms_changed();
    }
}

void
dpu_alarm_raise(const char *dpu, enum dpu_alarm_type type,
                const char *subject, enum dpu_severity severity,
                const struct smap *details, const char *format, ...)
{
    va_list args;

    va_start(args, format);
    raise_valist(dpu, type, subject, severity, details, format, args);
    va_end(args);
}

/* Moves active alarm 'n' of 'd' (of DPU 'dpu') to its history and, if it
 * is of a type that IPFIX collectors hear of, appends a copy of it to
 * 'cleared', an array of '*n_cleared'. */
static void
clear_node(const char *dpu, struct dpu_alarms *d, struct alarm_node *n,
           struct dpu_alarm **cleared, size_t *n_cleared)
    OVS_REQUIRES(alarm_mutex)
{
    ovs_list_remove(&n->list_node);
    n->a.cleared = time_wall_msec();
    COVERAGE_INC(dpu_alarm_cleared);
    log_alarm(dpu, "cleared", VLL_INFO, &n->a);
    if (is_exported(n->a.type)) {
        *cleared = xrealloc(*cleared, (*n_cleared + 1) * sizeof **cleared);
        alarm_copy(&(*cleared)[(*n_cleared)++], &n->a);
    }

    ovs_list_push_front(&d->history, &n->list_node);
    if (++d->n_history > DPU_ALARM_HISTORY) {
        struct alarm_node *oldest;

        oldest = CONTAINER_OF(ovs_list_pop_back(&d->history),
                              struct alarm_node, list_node);
        alarm_node_destroy(oldest);
        d->n_history--;
    }
}

/* Clears the active alarms of 'type' of DPU 'dpu' whose subject is
 * 'subject' (any, if NULL) and not in 'keep' (if nonnull). */
static void
clear__(const char *dpu, enum dpu_alarm_type type, const char *subject,
        const struct sset *keep)
    OVS_EXCLUDED(alarm_mutex)
{
    struct dpu_alarm *cleared = NULL;
    size_t n_cleared = 0;
    struct dpu_alarms *d;
    bool changed = false;

    ovs_mutex_lock(&alarm_mutex);
    d = shash_find_data(&all_dpus, dpu);
    if (d) {
        struct alarm_node *n;

        LIST_FOR_EACH_SAFE (n, list_node, &d->active) {
            if (n->a.type == type
                && (!subject || !strcmp(n->a.subject, subject))
                && (!keep || !sset_contains(keep, n->a.subject))) {
                clear_node(dpu, d, n, &cleared, &n_cleared);
                changed = true;
            }
        }
    }
    ovs_mutex_unlock(&alarm_mutex);

    for (size_t i = 0; i < n_cleared; i++) {
        dpu_ipfix_send_alarm(dpu, &cleared[i]);
    }
    dpu_alarms_destroy(cleared, n_cleared);
    if (changed) {
        alarms_changed();
    }
}

void
dpu_alarm_clear(const char *dpu, enum dpu_alarm_type type,
                const char *subject)
{
    clear__(dpu, type, subject, NULL);
}

void
dpu_alarm_clear_except(const char *dpu, enum dpu_alarm_type type,
                       const struct sset *keep)
{
    clear__(dpu, type, NULL, keep);
}

void
dpu_alarm_set_health(const char *dpu, const struct dpu_health *alerts,
                     size_t n)
{
    struct sset sensors = SSET_INITIALIZER(&sensors);

    for (size_t i = 0; i < n; i++) {
        const struct dpu_health *h = &alerts[i];
        struct smap details = SMAP_INITIALIZER(&details);

        smap_add(&details, "sensor", h->sensor);
        if (h->value) {
            smap_add(&details, "value", h->value);
        }
        if (h->message) {
            dpu_alarm_raise(dpu, DPU_ALARM_HARDWARE, h->sensor, h->severity,
                            &details, "%s", h->message);
        } else {
            dpu_alarm_raise(dpu, DPU_ALARM_HARDWARE, h->sensor, h->severity,
                            &details, "hardware health alert: %s%s%s",
                            h->sensor, h->value ? " is " : "",
                            h->value ? h->value : "");
        }
        sset_add(&sensors, h->sensor);
        smap_destroy(&details);
    }
    dpu_alarm_clear_except(dpu, DPU_ALARM_HARDWARE, &sensors);
    sset_destroy(&sensors);
}

void
dpu_alarm_set_dpus(const struct sset *dpus)
{
    struct shash_node *node;

    ovs_mutex_lock(&alarm_mutex);
    SHASH_FOR_EACH_SAFE (node, &all_dpus) {
        if (!sset_contains(dpus, node->name)) {
            dpu_alarms_destroy_all(node->data);
            shash_delete(&all_dpus, node);
        }
    }
    ovs_mutex_unlock(&alarm_mutex);
}

/* Thresholds. */

/* Reads other_config:'key' of DPU 'dpu' into '*valuep': 'dflt' if it is
 * unset, the value if it is an integer from 'min' to 'max'.  Otherwise,
 * appends what is wrong to 'errors', logs it and returns false. */
static bool
parse_threshold(const char *dpu, const struct smap *other_config,
                const char *key, int min, int max, int dflt,
                const char *alarm, int *valuep, struct ds *errors)
{
    const char *s = smap_get(other_config, key);

    *valuep = dflt;
    if (!s || (str_to_int(s, 10, valuep) && *valuep >= min
               && *valuep <= max)) {
        return true;
    }
    if (errors->length) {
        ds_put_cstr(errors, "; ");
    }
    ds_put_format(errors, "other_config:%s=\"%s\" is not an integer from "
                  "%d to %d: %s alarms are disabled", key, s, min, max,
                  alarm);
    VLOG_WARN_RL(&config_rl, "DPU %s: other_config:%s=\"%s\" is not an "
                 "integer from %d to %d: %s alarms are disabled", dpu, key,
                 s, min, max, alarm);
    return false;
}

char *
dpu_alarm_set_thresholds(const char *dpu, const struct smap *other_config)
{
    struct ds errors = DS_EMPTY_INITIALIZER;
    int cpu_threshold, cpu_seconds, memory_threshold;
    struct dpu_alarms *d;
    bool cpu_ok, memory_ok;

    /* Both keys are checked, so that both errors are told at once. */
    cpu_ok = parse_threshold(dpu, other_config, "alarm-cpu-threshold", 1,
                             100, DEFAULT_CPU_THRESHOLD, "cpu",
                             &cpu_threshold, &errors);
    cpu_ok = parse_threshold(dpu, other_config, "alarm-cpu-seconds", 0,
                             86400, DEFAULT_CPU_SECONDS, "cpu",
                             &cpu_seconds, &errors) && cpu_ok;
    memory_ok = parse_threshold(dpu, other_config, "alarm-memory-threshold",
                                1, 100, DEFAULT_MEMORY_THRESHOLD, "memory",
                                &memory_threshold, &errors);
    if (!cpu_ok) {
        cpu_threshold = 0;
    }
    if (!memory_ok) {
        memory_threshold = 0;
    }

    ovs_mutex_lock(&alarm_mutex);
    d = dpu_alarms_get(dpu);
    if (d->cpu_threshold != cpu_threshold
        || d->cpu_seconds != cpu_seconds) {
        d->cpu_above_since = LLONG_MIN;
    }
    d->cpu_threshold = cpu_threshold;
    d->cpu_seconds = cpu_seconds;
    d->memory_threshold = memory_threshold;
    ovs_mutex_unlock(&alarm_mutex);

    if (!cpu_ok) {
        dpu_alarm_clear(dpu, DPU_ALARM_CPU, NULL);
    }
    if (!memory_ok) {
        dpu_alarm_clear(dpu, DPU_ALARM_MEMORY, NULL);
    }
    return errors.length ? ds_steal_cstr(&errors) : NULL;
}

static void
format_load(uint32_t load, struct ds *s)
{
    ds_put_format(s, "%"PRIu32".%02"PRIu32, load / 100, load % 100);
}

void
dpu_alarm_check_metrics(const char *dpu, const struct dpu_metrics *m)
{
    const struct dpu_metrics_core *busiest = NULL;
    int cpu_threshold, cpu_seconds, memory_threshold;
    long long int now = time_msec();
    long long int above_ms = -1;
    struct dpu_alarms *d;

    for (size_t i = 0; i < m->n_cores; i++) {
        if (!busiest || m->cores[i].load > busiest->load) {
            busiest = &m->cores[i];
        }
    }

    ovs_mutex_lock(&alarm_mutex);
    d = dpu_alarms_get(dpu);
    cpu_threshold = d->cpu_threshold;
    cpu_seconds = d->cpu_seconds;
    memory_threshold = d->memory_threshold;
    if (cpu_threshold && busiest && busiest->load > cpu_threshold * 100) {
        if (d->cpu_above_since == LLONG_MIN) {
            d->cpu_above_since = now;
        }
        above_ms = now - d->cpu_above_since;
    } else {
        d->cpu_above_since = LLONG_MIN;
    }
    ovs_mutex_unlock(&alarm_mutex);

    if (!cpu_threshold) {
        /* Disabled: dpu_alarm_set_thresholds() cleared it. */
    } else if (above_ms < 0) {
        dpu_alarm_clear(dpu, DPU_ALARM_CPU, NULL);
    } else if (above_ms >= cpu_seconds * 1000LL) {
        struct smap details = SMAP_INITIALIZER(&details);
        struct ds load = DS_EMPTY_INITIALIZER;

        format_load(busiest->load, &load);
        smap_add(&details, "core", busiest->name);
        smap_add(&details, "load", ds_cstr(&load));
        smap_add_format(&details, "threshold", "%d", cpu_threshold);
        smap_add_format(&details, "seconds", "%d", cpu_seconds);
        dpu_alarm_raise(dpu, DPU_ALARM_CPU, NULL, DPU_SEVERITY_MAJOR, &details,
                        "load above %d%% for %d s", cpu_threshold,
                        cpu_seconds);
        ds_destroy(&load);
        smap_destroy(&details);
    }

    if (!memory_threshold || !m->mem_total) {
        /* Disabled, or nothing to compare with. */
    } else if (m->mem_used * 100 > m->mem_total * memory_threshold) {
        struct smap details = SMAP_INITIALIZER(&details);

        smap_add_format(&details, "used_kb", "%"PRIu64, m->mem_used / 1024);
        smap_add_format(&details, "total_kb", "%"PRIu64,
                        m->mem_total / 1024);
        smap_add_format(&details, "threshold", "%d", memory_threshold);
        dpu_alarm_raise(dpu, DPU_ALARM_MEMORY, NULL, DPU_SEVERITY_MAJOR,
                        &details, "memory in use above %d%%",
                        memory_threshold);
        smap_destroy(&details);
    } else {
        dpu_alarm_clear(dpu, DPU_ALARM_MEMORY, NULL);
    }
}

/* Whether 'd' has an alarm with 'uuid', active or cleared. */
static bool
has_alarm(const struct dpu_alarms *d, const struct uuid *uuid)
    OVS_REQUIRES(alarm_mutex)
{
    const struct ovs_list *lists[] = { &d->active, &d->history };
    const struct alarm_node *n;

    for (size_t i = 0; i < ARRAY_SIZE(lists); i++) {
        LIST_FOR_EACH (n, list_node, lists[i]) {
            if (uuid_equals(&n->a.uuid, uuid)) {
                return true;
            }
        }
    }
    return false;
}

/* Orders alarm nodes by the time they were cleared, most recent first. */
static int
compare_cleared_desc(const void *a_, const void *b_)
{
    const struct alarm_node *const *a = a_;
    const struct alarm_node *const *b = b_;
    long long int x = (*a)->a.cleared, y = (*b)->a.cleared;

    return x > y ? -1 : x < y;
}

void
dpu_alarm_import(const char *dpu, const struct dpu_alarm *alarms, size_t n)
{
    struct alarm_node **nodes;
    struct alarm_node *node;
    struct dpu_alarms *d;
    size_t n_nodes = 0;
    bool changed = false;

    ovs_mutex_lock(&alarm_mutex);
    d = dpu_alarms_get(dpu);
    if (d->imported) {
        ovs_mutex_unlock(&alarm_mutex);
        return;
    }
    d->imported = true;

    /* The history so far and the imported alarms, sorted together. */
    nodes = xmalloc((d->n_history + n) * sizeof *nodes);
    LIST_FOR_EACH_POP (node, list_node, &d->history) {
        nodes[n_nodes++] = node;
    }
    for (size_t i = 0; i < n; i++) {
        if (has_alarm(d, &alarms[i].uuid)) {
            continue;
        }
        node = xzalloc(sizeof *node);
        alarm_copy(&node->a, &alarms[i]);
        if (!node->a.cleared) {
            /* Whoever raised it is gone: a condition that still holds
             * raises a new alarm. */
            node->a.cleared = MAX(time_wall_msec(), node->a.raised);
            smap_replace(&node->a.details, "cleared_by", "restart");
            COVERAGE_INC(dpu_alarm_cleared);
            log_alarm(dpu, "cleared (ovs-vswitchd restarted)", VLL_INFO,
                      &node->a);
            changed = true;
        }
        nodes[n_nodes++] = node;
    }
    qsort(nodes, n_nodes, sizeof *nodes, compare_cleared_desc);
    d->n_history = 0;
    for (size_t i = 0; i < n_nodes; i++) {
        if (d->n_history < DPU_ALARM_HISTORY) {
            ovs_list_push_back(&d->history, &nodes[i]->list_node);
            d->n_history++;
        } else {
            alarm_node_destroy(nodes[i]);
            changed = true;
        }
    }
    free(nodes);
    ovs_mutex_unlock(&alarm_mutex);

    if (changed) {
        alarms_changed();
    }
}

/* Reading alarms. */

size_t
dpu_alarm_get(const char *dpu, struct dpu_alarm **alarmsp)
{
    struct dpu_alarm *alarms = NULL;
    struct dpu_alarms *d;
    size_t n = 0;

    ovs_mutex_lock(&alarm_mutex);
    d = shash_find_data(&all_dpus, dpu);
    if (d) {
        struct alarm_node *node;

        alarms = xmalloc((ovs_list_size(&d->active) + d->n_history)
                         * sizeof *alarms);
        LIST_FOR_EACH (node, list_node, &d->active) {
            alarm_copy(&alarms[n++], &node->a);
        }
        LIST_FOR_EACH (node, list_node, &d->history) {
            alarm_copy(&alarms[n++], &node->a);
        }
    }
    ovs_mutex_unlock(&alarm_mutex);
    *alarmsp = alarms;
    return n;
}

void
dpu_alarms_destroy(struct dpu_alarm *alarms, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        alarm_uninit(&alarms[i]);
    }
    free(alarms);
}

void
dpu_alarm_set_acknowledged(const char *dpu, const struct uuid *uuid,
                           bool acked)
{
    struct dpu_alarms *d;

    ovs_mutex_lock(&alarm_mutex);
    d = shash_find_data(&all_dpus, dpu);
    if (d) {
        struct ovs_list *lists[] = { &d->active, &d->history };

        for (size_t i = 0; i < ARRAY_SIZE(lists); i++) {
            struct alarm_node *n;

            LIST_FOR_EACH (n, list_node, lists[i]) {
                if (uuid_equals(&n->a.uuid, uuid)) {
                    n->a.acknowledged = acked;
                }
            }
        }
    }
    ovs_mutex_unlock(&alarm_mutex);
}

static void
format_time(long long int wall, struct ds *s)
{
    char *when = xastrftime_msec("%Y-%m-%dT%H:%M:%S.###Z", wall, true);

    ds_put_cstr(s, when);
    free(when);
}

static void
format_dpu(const char *name, struct ds *s)
{
    struct dpu_alarm *alarms;
    size_t n = dpu_alarm_get(name, &alarms);
    size_t n_active = 0;

    for (size_t i = 0; i < n; i++) {
        n_active += !alarms[i].cleared;
    }
    ds_put_format(s, "%s: %"PRIuSIZE" active, %"PRIuSIZE" cleared\n",
                  name, n_active, n - n_active);
    for (size_t i = 0; i < n; i++) {
        const struct dpu_alarm *a = &alarms[i];

        ds_put_format(s, "  %s %s %s%s%s: %s\n",
                      a->cleared ? "cleared" : "active",
                      dpu_severity_to_string(a->severity),
                      dpu_alarm_type_to_string(a->type),
                      a->subject[0] ? " " : "", a->subject, a->cause);
        ds_put_format(s, "    "UUID_FMT", raised ", UUID_ARGS(&a->uuid));
        format_time(a->raised, s);
        if (a->cleared) {
            ds_put_cstr(s, ", cleared ");
            format_time(a->cleared, s);
        }
        if (a->acknowledged) {
            ds_put_cstr(s, ", acknowledged");
        }
        ds_put_char(s, '\n');
        if (!smap_is_empty(&a->details)) {
            const struct smap_node **nodes = smap_sort(&a->details);

            ds_put_cstr(s, "    details:");
            for (size_t j = 0; j < smap_count(&a->details); j++) {
                ds_put_format(s, " %s=%s", nodes[j]->key, nodes[j]->value);
            }
            ds_put_char(s, '\n');
            free(nodes);
        }
    }
    dpu_alarms_destroy(alarms, n);
}

void
dpu_alarm_format(const char *dpu, struct ds *s)
{
    struct sset names = SSET_INITIALIZER(&names);
    const char **sorted;

    if (dpu) {
        sset_add(&names, dpu);
    } else {
        struct shash_node *node;

        ovs_mutex_lock(&alarm_mutex);
        SHASH_FOR_EACH (node, &all_dpus) {
            sset_add(&names, node->name);
        }
        ovs_mutex_unlock(&alarm_mutex);
    }
    sorted = sset_sort(&names);
    for (size_t i = 0; i < sset_count(&names); i++) {
        format_dpu(sorted[i], s);
    }
    free(sorted);
    sset_destroy(&names);
}
