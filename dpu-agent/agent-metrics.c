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
#include "agent-metrics.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent-datapath.h"
#include "coverage.h"
#include "dpu-codec.h"
#include "hash.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "openvswitch/poll-loop.h"
#include "ovs-thread.h"
#include "timeval.h"
#include "util.h"

COVERAGE_DEFINE(agent_metrics_sample);      /* A window was sampled. */
COVERAGE_DEFINE(agent_flow_setup);          /* A flow setup was timed. */
COVERAGE_DEFINE(agent_flow_setup_expired);  /* A miss got no flow put. */
COVERAGE_DEFINE(agent_flow_setup_untimed);  /* Too many misses pending. */

/* Most misses waiting for their flow put, as many as upcalls may wait to be
 * sent: more are not timed. */
#define MAX_PENDING 4096

/* A thread of the agent, as of the latest sample. */
struct agent_thread {
    struct hmap_node node;      /* In 'threads', by 'tid'. */
    pid_t tid;
    char *name;
    unsigned long long int ticks;   /* utime + stime, in clock ticks. */
    uint32_t load;                  /* Hundredths of a percent. */
};

/* A miss whose flow put has not come yet. */
struct agent_pending_setup {
    struct hmap_node node;      /* In 'pending', by hash of 'ufid'. */
    ovs_u128 ufid;
    long long int miss_usec;    /* time_usec() of the miss. */
};

struct agent_metrics {
    /* Main thread only. */
    long long int last_sample;          /* time_msec(), 0 if never. */
    long long int next_sample;
    uint32_t interval_ms;               /* Length of the latest window. */
    struct hmap threads;                /* struct agent_thread. */
    uint64_t mem_used, mem_total;       /* Bytes. */
    uint64_t upcalls, last_upcalls;
    uint32_t upcall_rate;
    uint64_t flow_setups;
    uint32_t setup_us[DPU_METRICS_SETUP_SAMPLES];   /* Ring of latencies. */
    int inject_cpu, inject_memory;      /* Injected percentages, or -1. */

    /* Misses from the datapath's threads, waiting for their flow put. */
    struct ovs_mutex mutex;
    struct hmap pending OVS_GUARDED;    /* struct agent_pending_setup. */
};

struct agent_metrics *
agent_metrics_create(void)
{
    struct agent_metrics *m = xzalloc(sizeof *m);

    hmap_init(&m->threads);
    m->inject_cpu = m->inject_memory = -1;
    ovs_mutex_init(&m->mutex);
    hmap_init(&m->pending);
    return m;
}

void
agent_metrics_destroy(struct agent_metrics *m)
{
    struct agent_pending_setup *p;
    struct agent_thread *t;

    if (!m) {
        return;
    }
    HMAP_FOR_EACH_POP (t, node, &m->threads) {
        free(t->name);
        free(t);
    }
    hmap_destroy(&m->threads);
    ovs_mutex_lock(&m->mutex);
    HMAP_FOR_EACH_POP (p, node, &m->pending) {
        free(p);
    }
    ovs_mutex_unlock(&m->mutex);
    hmap_destroy(&m->pending);
    ovs_mutex_destroy(&m->mutex);
    free(m);
}

/* Flow setups. */

static struct agent_pending_setup *
find_pending(const struct agent_metrics *m, const ovs_u128 *ufid)
    OVS_REQUIRES(m->mutex)
{
    struct agent_pending_setup *p;

    HMAP_FOR_EACH_WITH_HASH (p, node, hash_bytes(ufid, sizeof *ufid, 0),
                             &m->pending) {
        if (ovs_u128_equals(p->ufid, *ufid)) {
            return p;
        }
    }
    return NULL;
}

void
agent_metrics_miss(struct agent_metrics *m, const ovs_u128 *ufid)
{
    ovs_mutex_lock(&m->mutex);
    if (find_pending(m, ufid)) {
        /* Another packet of a flow that is being set up. */
    } else if (hmap_count(&m->pending) >= MAX_PENDING) {
        COVERAGE_INC(agent_flow_setup_untimed);
    } else {
        struct agent_pending_setup *p = xmalloc(sizeof *p);

        p->ufid = *ufid;
        p->miss_usec = time_usec();
        hmap_insert(&m->pending, &p->node, hash_bytes(ufid, sizeof *ufid, 0));
    }
    ovs_mutex_unlock(&m->mutex);
}

void
agent_metrics_flow_installed(struct agent_metrics *m, const ovs_u128 *ufid)
{
    struct agent_pending_setup *p;
    long long int usec = -1;

    ovs_mutex_lock(&m->mutex);
    p = find_pending(m, ufid);
    if (p) {
        usec = time_usec() - p->miss_usec;
        hmap_remove(&m->pending, &p->node);
        free(p);
    }
    ovs_mutex_unlock(&m->mutex);

    if (usec >= 0) {
        m->setup_us[m->flow_setups++ % DPU_METRICS_SETUP_SAMPLES]
            = MIN(usec, UINT32_MAX);
        COVERAGE_INC(agent_flow_setup);
    }
}

/* Forgets the misses whose flow put did not come in time: the host chose
 * not to install a flow, or the upcall was lost. */
static void
expire_pending(struct agent_metrics *m)
{
    long long int limit = (time_usec()
                           - AGENT_METRICS_SETUP_TIMEOUT_MS * 1000LL);
    struct agent_pending_setup *p;

    ovs_mutex_lock(&m->mutex);
    HMAP_FOR_EACH_SAFE (p, node, &m->pending) {
        if (p->miss_usec < limit) {
            hmap_remove(&m->pending, &p->node);
            free(p);
            COVERAGE_INC(agent_flow_setup_expired);
        }
    }
    ovs_mutex_unlock(&m->mutex);
}

/* Threads and memory.
 *
 * OVS's get_process_info() reads a process's /proc/PID/stat too, but also
 * its parent's, and logs an error when the file is gone, which happens here
 * whenever a thread exits between the listing and the reading: the files
 * are read directly. */

/* Reads the name and the CPU time of thread 'tid' of this process.  Returns
 * false if the thread is gone or its file cannot be parsed. */
static bool
read_thread(pid_t tid, char name[16], unsigned long long int *ticks)
{
    unsigned long long int utime, stime;
    char file_name[64], buf[1024];
    const char *open, *close;
    size_t n, len;
    FILE *stream;

    snprintf(file_name, sizeof file_name, "/proc/self/task/%ld/stat",
             (long int) tid);
    stream = fopen(file_name, "r");
    if (!stream) {
        return false;
    }
    n = fread(buf, 1, sizeof buf - 1, stream);
    fclose(stream);
    buf[n] = '\0';

    /* "TID (NAME) STATE PPID ...": NAME may hold spaces and parentheses, so
     * it ends at the last ')'.  utime and stime are fields 14 and 15. */
    open = strchr(buf, '(');
    close = strrchr(buf, ')');
    if (!open || !close || close < open
        || sscanf(close + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
                  "%llu %llu", &utime, &stime) != 2) {
        return false;
    }
    len = MIN(close - open - 1, 15);
    memcpy(name, open + 1, len);
    name[len] = '\0';
    *ticks = utime + stime;
    return true;
}

/* Returns the resident set of this process, in bytes, or 0 if unknown. */
static uint64_t
read_rss(void)
{
    unsigned long long int kb = 0;
    char line[128];
    FILE *stream;

    stream = fopen("/proc/self/status", "r");
    if (!stream) {
        return 0;
    }
    while (fgets(line, sizeof line, stream)) {
        if (sscanf(line, "VmRSS: %llu kB", &kb) == 1) {
            break;
        }
    }
    fclose(stream);
    return kb * 1024;
}

static uint64_t
read_mem_total(void)
{
    long int pages = sysconf(_SC_PHYS_PAGES);
    long int page_size = sysconf(_SC_PAGESIZE);

    return pages > 0 && page_size > 0 ? (uint64_t) pages * page_size : 0;
}

static struct agent_thread *
find_thread(const struct hmap *threads, pid_t tid)
{
    struct agent_thread *t;

    HMAP_FOR_EACH_WITH_HASH (t, node, hash_int(tid, 0), threads) {
        if (t->tid == tid) {
            return t;
        }
    }
    return NULL;
}

/* Replaces 'm->threads' by the threads that run now, with their load over
 * the 'window_ms' since the last sample (0 for a thread that did not exist
 * then). */
static void
sample_threads(struct agent_metrics *m, long long int window_ms)
{
    static long int clk_tck;
    struct hmap threads = HMAP_INITIALIZER(&threads);
    struct agent_thread *t;
    struct dirent *de;
    DIR *dir;

    if (!clk_tck) {
        clk_tck = sysconf(_SC_CLK_TCK);
    }
    dir = opendir("/proc/self/task");
    if (dir) {
        while ((de = readdir(dir)) != NULL) {
            const struct agent_thread *old;
            unsigned long long int ticks;
            char name[16];
            long int tid;
            char *end;

            tid = strtol(de->d_name, &end, 10);
            if (*end || tid <= 0 || !read_thread(tid, name, &ticks)) {
                continue;
            }
            t = xzalloc(sizeof *t);
            t->tid = tid;
            t->name = xstrdup(tid == getpid() ? "main" : name);
            t->ticks = ticks;

            old = find_thread(&m->threads, tid);
            if (old && window_ms > 0 && clk_tck > 0 && ticks >= old->ticks) {
                /* Busy ms over window ms, in hundredths of a percent. */
                unsigned long long int busy_ms = ((ticks - old->ticks) * 1000
                                                  / clk_tck);
                t->load = MIN(busy_ms * 10000 / window_ms, 10000);
            }
            hmap_insert(&threads, &t->node, hash_int(tid, 0));
        }
        closedir(dir);
    }

    HMAP_FOR_EACH_POP (t, node, &m->threads) {
        free(t->name);
        free(t);
    }
    hmap_swap(&threads, &m->threads);
    hmap_destroy(&threads);
}

void
agent_metrics_run(struct agent_metrics *m, uint64_t upcalls)
{
    long long int now = time_msec();
    long long int window;

    m->upcalls = upcalls;
    if (now < m->next_sample) {
        return;
    }
    window = m->last_sample ? now - m->last_sample : 0;
    sample_threads(m, window);
    m->mem_used = read_rss();
    m->mem_total = read_mem_total();
    if (window > 0) {
        m->upcall_rate = ((upcalls - m->last_upcalls) * 1000 + window / 2)
                         / window;
        m->interval_ms = MIN(window, UINT32_MAX);
    }
    m->last_upcalls = upcalls;
    m->last_sample = now;
    m->next_sample = now + AGENT_METRICS_INTERVAL_MS;
    expire_pending(m);
    COVERAGE_INC(agent_metrics_sample);
}

void
agent_metrics_wait(const struct agent_metrics *m)
{
    poll_timer_wait_until(m->next_sample);
}

static int
compare_cores(const void *a_, const void *b_)
{
    const struct dpu_metrics_core *a = a_;
    const struct dpu_metrics_core *b = b_;

    return strcmp(a->name, b->name);
}

void
agent_metrics_get(const struct agent_metrics *m, struct dpu_metrics *dm)
{
    const struct agent_thread *t;
    size_t n_setups;

    dm->emulated = true;
    dm->interval_ms = m->interval_ms;
    dm->n_cores = 0;
    dm->cores = xcalloc(hmap_count(&m->threads) + 1, sizeof *dm->cores);
    HMAP_FOR_EACH (t, node, &m->threads) {
        if (dm->n_cores >= DPU_METRICS_MAX_CORES - 1) {
            break;
        }
        dm->cores[dm->n_cores].name = xstrdup(t->name);
        dm->cores[dm->n_cores].load = t->load;
        dm->n_cores++;
    }
    if (m->inject_cpu >= 0) {
        dm->cores[dm->n_cores].name = xstrdup("injected");
        dm->cores[dm->n_cores].load = m->inject_cpu * 100;
        dm->n_cores++;
    }
    qsort(dm->cores, dm->n_cores, sizeof *dm->cores, compare_cores);
    dm->mem_used = (m->inject_memory >= 0
                    ? m->mem_total / 100 * m->inject_memory
                    : m->mem_used);
    dm->mem_total = m->mem_total;
    dm->injected = m->inject_cpu >= 0 || m->inject_memory >= 0;
    dm->upcalls = m->upcalls;
    dm->upcall_rate = m->upcall_rate;

    dm->flow_setups = m->flow_setups;
    n_setups = MIN(m->flow_setups, DPU_METRICS_SETUP_SAMPLES);
    dm->has_flow_setup = n_setups > 0;
    if (n_setups) {
        uint64_t sum = 0;
        uint32_t max = 0;

        for (size_t i = 0; i < n_setups; i++) {
            sum += m->setup_us[i];
            max = MAX(max, m->setup_us[i]);
        }
        dm->flow_setup_avg_us = sum / n_setups;
        dm->flow_setup_max_us = max;
    }
}

void
agent_metrics_inject(struct agent_metrics *m, int cpu, int memory)
{
    m->inject_cpu = MIN(cpu, 100);
    m->inject_memory = MIN(memory, 100);
}

void
agent_metrics_format(const struct agent_metrics *m, struct ds *ds)
{
    uint32_t busiest = 0;
    const struct agent_thread *t;

    HMAP_FOR_EACH (t, node, &m->threads) {
        busiest = MAX(busiest, t->load);
    }
    ds_put_format(ds, "metrics (emulated): %"PRIuSIZE" threads, busiest "
                  "%"PRIu32".%02"PRIu32"%% over %"PRIu32" ms, memory %"PRIu64
                  " kB of %"PRIu64" kB, flow setups %"PRIu64"\n",
                  hmap_count(&m->threads), busiest / 100, busiest % 100,
                  m->interval_ms, m->mem_used / 1024, m->mem_total / 1024,
                  m->flow_setups);
    if (m->inject_cpu >= 0 || m->inject_memory >= 0) {
        ds_put_cstr(ds, "  injected:");
        if (m->inject_cpu >= 0) {
            ds_put_format(ds, " core \"injected\" at %d%%", m->inject_cpu);
        }
        if (m->inject_memory >= 0) {
            ds_put_format(ds, " memory in use %d%%", m->inject_memory);
        }
        ds_put_char(ds, '\n');
    }
}

int
agent_metrics_get_request(const struct agent_request *req,
                          struct ofpbuf *reply, struct ds *why OVS_UNUSED)
{
    struct dpu_metrics m;
    int error;

    memset(&m, 0, sizeof m);
    error = agent_dp_get_metrics(agent_server_dp(req->server), &m);
    if (!error) {
        agent_metrics_get(agent_server_metrics(req->server), &m);
        dpu_put_metrics(reply, &m);
    }
    dpu_metrics_destroy(&m);
    return error;
}
