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
#include "dpu-conn.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "connectivity.h"
#include "coverage.h"
#include "dpu-channel.h"
#include "dpu-codec.h"
#include "latch.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "openvswitch/list.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "ovs-thread.h"
#include "reconnect.h"
#include "seq.h"
#include "smap.h"
#include "sset.h"
#include "stream.h"
#include "stream-ssl.h"
#include "timeval.h"
#include "util.h"
#include "uuid.h"

VLOG_DEFINE_THIS_MODULE(dpu_conn);

COVERAGE_DEFINE(dpu_conn_up);           /* A DPU session came up. */
COVERAGE_DEFINE(dpu_conn_down);         /* A DPU session went down. */
COVERAGE_DEFINE(dpu_conn_heartbeat_miss); /* Down for missed heartbeats. */
COVERAGE_DEFINE(dpu_conn_timeout);      /* A request timed out. */
COVERAGE_DEFINE(dpu_conn_stalled);      /* The I/O thread ran late. */
COVERAGE_DEFINE(dpu_conn_fail_fast);    /* Not sent: the DPU is silent. */
COVERAGE_DEFINE(dpu_conn_bad_msg);      /* Received a malformed message. */
COVERAGE_DEFINE(dpu_conn_stray_reply);  /* Reply to no pending request. */
COVERAGE_DEFINE(dpu_conn_identity_refused); /* Certificate of another DPU. */

/* Rate limits of the warnings below, one for each class of them, so that a
 * DPU that floods the host with malformed messages hides neither requests
 * that time out nor a refusal at HELLO.  A broken DPU must not flood the
 * host's log: a few messages a minute are enough to diagnose it. */

/* A session refused at HELLO (the DPU answered with an error, sent a
 * malformed reply, or chose a protocol version it should not have): the
 * connection drops and reconnects with backoff, so the same refusal comes
 * back with every attempt. */
static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

/* Malformed messages, and replies that match no request or not their
 * request: a DPU that sends one probably sends many, at the pace of its
 * upcalls or of the host's requests.  'dpu_conn_bad_msg' and
 * 'dpu_conn_stray_reply' count them all. */
static struct vlog_rate_limit bad_msg_rl = VLOG_RATE_LIMIT_INIT(5, 20);

/* Requests that timed out: after one, requests fail fast until the DPU is
 * heard from again, so they come in short bursts, one for each request that
 * was pending.  'dpu_conn_timeout' counts them all. */
static struct vlog_rate_limit timeout_rl = VLOG_RATE_LIMIT_INIT(5, 20);

#define DEFAULT_TIMEOUT_MS 10000
#define DEFAULT_HEARTBEAT_MS 1000
#define DEFAULT_HEARTBEAT_MISSES 3

/* Defaults for the DPUs of an active-standby pair, where a hung DPU must be
 * found within tens of milliseconds. */
#define DEFAULT_HA_HEARTBEAT_MS 10
#define DEFAULT_HA_HEARTBEAT_MISSES 4

/* Reconnection backoff: after a failed attempt, or a session that ended, the
 * host waits from the minimum (or, for a session that ended soon after it
 * began, twice the last wait) up to 'max-backoff' before the next attempt.
 *
 * A DPU of a pair that comes back (its agent restarted after a crash, or
 * came out of a hang) must be redundant again within a second, so it is
 * retried every 250 ms by default: four connection attempts a second to a
 * DPU that stays away, which costs it and the host next to nothing (each is
 * a refused connect), and which reconnect logs only once. */
#define DEFAULT_MAX_BACKOFF_MS 8000
#define DEFAULT_HA_MAX_BACKOFF_MS 250
#define MIN_BACKOFF_MS 1000

enum dpu_conn_state {
    DPU_CONN_DOWN,              /* Not connected, or connecting. */
    DPU_CONN_HELLO,             /* Connected, HELLO sent. */
    DPU_CONN_UP,                /* HELLO answered. */
    DPU_CONN_ERROR,             /* Unusable configuration. */
};

static const char *
state_name(enum dpu_conn_state state)
{
    switch (state) {
    case DPU_CONN_DOWN: return "down";
    case DPU_CONN_HELLO: return "down";
    case DPU_CONN_UP: return "up";
    case DPU_CONN_ERROR: return "error";
    }
    return "unknown";
}

/* A request waiting to be sent or answered. */
struct dpu_request {
    struct hmap_node node;      /* In dpu_conn's 'pending', by 'xid'. */
    struct ovs_list list_node;  /* In dpu_conn's 'to_send' until sent. */
    uint32_t xid;
    enum dpu_msg_type type;
    struct ofpbuf *msg;         /* Owned until sent. */
    long long int deadline;
    struct ofpbuf *reply;       /* Set by the I/O thread. */
    int error;                  /* Set by the I/O thread. */
    bool done;
};

/* An asynchronous message, received and waiting to be passed to the
 * callback. */
struct dpu_async_msg {
    struct ovs_list list_node;
    struct ofpbuf *buf;
    struct dpu_msg msg;                 /* Decoded, pointing into 'buf'. */
};

/* Lock order: 'dpu_conns_mutex' before any dpu_conn's 'mutex'.  A dpu_conn's
 * 'mutex' is taken last: nothing else is locked, and no callback is called,
 * while it is held.  So any module may call dpu_conn_*() functions with its
 * own locks held. */
struct dpu_conn {
    char *name;                         /* Immutable. */
    struct ovs_refcount ref_cnt;

    struct ovs_mutex mutex;
    pthread_cond_t cond;                /* Signals request completion and
                                         * state changes. */

    /* Configuration: written by dpu_conn_set_config(), read by the I/O
     * thread. */
    char *target OVS_GUARDED;
    int heartbeat_ms OVS_GUARDED;
    int heartbeat_misses OVS_GUARDED;
    int max_backoff_ms OVS_GUARDED;
    bool reconfigured OVS_GUARDED;      /* I/O thread must reread config. */
    bool retarget OVS_GUARDED;          /* ...and reconnect: the target or
                                         * its usability changed. */
    bool no_upcalls OVS_GUARDED;        /* HELLO without WANT_UPCALLS. */

    /* State, for readers in other threads. */
    enum dpu_conn_state state OVS_GUARDED;
    char *error OVS_GUARDED;            /* Why down or in error. */
    uint64_t session OVS_GUARDED;       /* Incremented on each HELLO. */
    long long int down_time OVS_GUARDED;    /* When it last left "up". */
    enum dpu_down_cause down_cause OVS_GUARDED; /* Why. */
    char *disconnect_why OVS_GUARDED;   /* Why dpu_conn_disconnect() was
                                         * called, until the I/O thread
                                         * disconnects. */
    uint64_t resets OVS_GUARDED;        /* Times a session went down. */
    struct smap identity OVS_GUARDED;   /* vendor, model, ... */
    ovs_u128 boot_id OVS_GUARDED;
    uint8_t version OVS_GUARDED;        /* The session's protocol version. */
    uint32_t caps OVS_GUARDED;
    bool explicit_drop OVS_GUARDED;
    bool lb_output OVS_GUARDED;
    char *dp_version OVS_GUARDED;
    struct dpu_channel_stats chan_stats OVS_GUARDED;
    uint64_t n_timeouts OVS_GUARDED;
    uint64_t n_bad_msgs OVS_GUARDED;

    /* A request timed out and nothing came from the DPU since.  Until
     * something does (a heartbeat reply, within one interval, if the DPU is
     * only slow), or the heartbeats declare it down, requests fail at once
     * with ETIMEDOUT instead of each making its caller wait for the
     * timeout: a hung DPU must not stall ovs-vswitchd's main loop once per
     * port. */
    bool silent OVS_GUARDED;

    /* Requests. */
    uint32_t next_xid OVS_GUARDED;
    struct hmap pending OVS_GUARDED;    /* struct dpu_request by xid. */
    size_t pending_peak OVS_GUARDED;    /* Most requests in 'pending'. */
    struct ovs_list to_send OVS_GUARDED;/* struct dpu_request to send. */

    /* I/O thread only. */
    pthread_t thread;
    struct latch exit_latch;
    struct latch wake_latch;
    struct reconnect *reconnect;
    struct stream *connecting;
    struct dpu_channel *channel;
    uint32_t hello_xid;
    long long int last_rx;              /* Last message received. */
    long long int next_echo;
    uint32_t echo_xid;
    long long int last_run;             /* When dpu_conn_run() last ran. */
    struct ovs_list async_msgs;         /* struct dpu_async_msg, received
                                         * with 'mutex' held and passed to
                                         * the callback after releasing it. */
};

static struct ovs_mutex dpu_conns_mutex = OVS_MUTEX_INITIALIZER;
static struct shash dpu_conns OVS_GUARDED_BY(dpu_conns_mutex)
    = SHASH_INITIALIZER(&dpu_conns);

static dpu_async_cb *async_cb;
static void *async_cb_aux;

static struct seq *conn_seq;

static void *dpu_conn_thread(void *);
static void dpu_conn_destroy(struct dpu_conn *);

struct seq *
dpu_conn_seq(void)
{
    static struct ovsthread_once once = OVSTHREAD_ONCE_INITIALIZER;

    if (ovsthread_once_start(&once)) {
        conn_seq = seq_create();
        ovsthread_once_done(&once);
    }
    return conn_seq;
}

static void
state_changed(void)
{
    seq_change(dpu_conn_seq());
    seq_change(connectivity_seq_get());
}

void
dpu_conn_set_async_cb(dpu_async_cb *cb, void *aux)
{
    async_cb = cb;
    async_cb_aux = aux;
}

static int
clamp_config(const struct dpu_config *cfg, const char *key, int dflt,
             int min, int max)
{
    int value = smap_get_int(cfg->other_config, key, dflt);

    if (value < min || value > max) {
        int clamped = value < min ? min : max;

        VLOG_WARN("%s: other_config:%s=%d is out of range [%d,%d], "
                  "using %d", cfg->name, key, value, min, max, clamped);
        value = clamped;
    }
    return value;
}

/* Checks 'target' of a DPU whose row has 'other_config'.  Returns NULL if
 * it is usable, otherwise an error message to free.
 *
 * A "tcp:" target is refused unless other_config:allow-plaintext is true:
 * over it, whoever reaches the DPU's network can read and forge every flow,
 * packet and role change.  "unix:" stays allowed without it: a Unix domain
 * socket never leaves the host, and file permissions say who may open it
 * (an emulated DPU, or an agent on the host itself). */
static char *
check_target(const char *target, const struct smap *other_config)
{
    int error;

    if (!target || !target[0]) {
        return xstrdup("no target configured");
    }
    error = stream_verify_name(target);
    if (error) {
        return xasprintf("target \"%s\" is not a valid connection method "
                         "(%s); use unix:FILE, tcp:IP[:PORT] or "
                         "ssl:IP[:PORT]", target, ovs_strerror(error));
    }
    if (!strncmp(target, "tcp:", 4)
        && !smap_get_bool(other_config, "allow-plaintext", false)) {
        return xasprintf("plain target \"%s\" refused: the DPU's traffic "
                         "would be neither encrypted nor authenticated; use "
                         "ssl:, or set other_config:allow-plaintext=true",
                         target);
    }
    if (!strncmp(target, "ssl:", 4) && !stream_ssl_is_configured()) {
        return xasprintf("target \"%s\" needs SSL, but no private key, "
                         "certificate and CA certificate are configured",
                         target);
    }
    return NULL;
}

static void
dpu_conn_configure(struct dpu_conn *conn, const struct dpu_config *cfg)
    OVS_REQUIRES(conn->mutex)
{
    int heartbeat_ms = clamp_config(cfg, "heartbeat-interval",
                                    (cfg->ha ? DEFAULT_HA_HEARTBEAT_MS
                                     : DEFAULT_HEARTBEAT_MS), 5, 60000);
    int misses = clamp_config(cfg, "heartbeat-misses",
                              (cfg->ha ? DEFAULT_HA_HEARTBEAT_MISSES
                               : DEFAULT_HEARTBEAT_MISSES), 2, 100);
    int max_backoff = (cfg->ha && !smap_get(cfg->other_config, "max-backoff")
                       ? DEFAULT_HA_MAX_BACKOFF_MS
                       : clamp_config(cfg, "max-backoff",
                                      DEFAULT_MAX_BACKOFF_MS, MIN_BACKOFF_MS,
                                      INT_MAX));
    char *error = check_target(cfg->target, cfg->other_config);

    conn->no_upcalls = cfg->no_upcalls;

    bool retarget = (!conn->target
                     || strcmp(conn->target, cfg->target ? cfg->target : "")
                     || !error != (conn->state != DPU_CONN_ERROR));

    if (retarget
        || heartbeat_ms != conn->heartbeat_ms
        || misses != conn->heartbeat_misses
        || max_backoff != conn->max_backoff_ms) {
        conn->retarget = conn->retarget || retarget;
        free(conn->target);
        conn->target = xstrdup(cfg->target ? cfg->target : "");
        conn->heartbeat_ms = heartbeat_ms;
        conn->heartbeat_misses = misses;
        conn->max_backoff_ms = max_backoff;
        conn->reconfigured = true;
        if (error) {
            static struct vlog_rate_limit cfg_rl = VLOG_RATE_LIMIT_INIT(1, 5);

            VLOG_ERR_RL(&cfg_rl, "%s: %s", conn->name, error);
            conn->state = DPU_CONN_ERROR;
            free(conn->error);
            conn->error = error;
            error = NULL;
        } else if (conn->state == DPU_CONN_ERROR) {
            conn->state = DPU_CONN_DOWN;
            free(conn->error);
            conn->error = NULL;
        }
        latch_set(&conn->wake_latch);
        state_changed();
    }
    free(error);
}

static struct dpu_conn *
dpu_conn_create(const struct dpu_config *cfg)
{
    struct dpu_conn *conn = xzalloc(sizeof *conn);

    conn->name = xstrdup(cfg->name);
    ovs_refcount_init(&conn->ref_cnt);
    ovs_mutex_init(&conn->mutex);
    xpthread_cond_init(&conn->cond, NULL);
    smap_init(&conn->identity);
    hmap_init(&conn->pending);
    ovs_list_init(&conn->to_send);
    ovs_list_init(&conn->async_msgs);
    conn->next_xid = 1;
    conn->state = DPU_CONN_DOWN;
    conn->error = xstrdup("not connected yet");
    latch_init(&conn->exit_latch);
    latch_init(&conn->wake_latch);
    conn->reconnect = reconnect_create(time_msec());
    reconnect_set_name(conn->reconnect, conn->name);
    reconnect_set_probe_interval(conn->reconnect, 0);

    ovs_mutex_lock(&conn->mutex);
    dpu_conn_configure(conn, cfg);
    ovs_mutex_unlock(&conn->mutex);

    /* The I/O thread holds a reference of its own, which it drops when it
     * exits, so that whoever drops the last reference never waits for the
     * thread (which may be waiting for the caller's locks, in the async
     * callback). */
    ovs_refcount_ref(&conn->ref_cnt);
    conn->thread = ovs_thread_create("dpu_conn", dpu_conn_thread, conn);
    return conn;
}

void
dpu_conn_set_config(const struct dpu_config *cfgs, size_t n)
{
    struct shash_node *node;
    struct sset names = SSET_INITIALIZER(&names);
    bool changed = false;

    ovs_mutex_lock(&dpu_conns_mutex);
    for (size_t i = 0; i < n; i++) {
        struct dpu_conn *conn = shash_find_data(&dpu_conns, cfgs[i].name);

        sset_add(&names, cfgs[i].name);
        if (!conn) {
            VLOG_INFO("%s: added DPU with target %s", cfgs[i].name,
                      cfgs[i].target);
            conn = dpu_conn_create(&cfgs[i]);
            shash_add(&dpu_conns, conn->name, conn);
            changed = true;
        } else {
            ovs_mutex_lock(&conn->mutex);
            dpu_conn_configure(conn, &cfgs[i]);
            ovs_mutex_unlock(&conn->mutex);
        }
    }
    SHASH_FOR_EACH_SAFE (node, &dpu_conns) {
        if (!sset_contains(&names, node->name)) {
            struct dpu_conn *conn = node->data;

            VLOG_INFO("%s: removed DPU", conn->name);
            shash_delete(&dpu_conns, node);
            latch_set(&conn->exit_latch);
            dpu_conn_unref(conn);
            changed = true;
        }
    }
    ovs_mutex_unlock(&dpu_conns_mutex);
    sset_destroy(&names);

    if (changed) {
        state_changed();
    }
}

struct dpu_conn *
dpu_conn_ref_existing(struct dpu_conn *conn)
{
    if (conn) {
        ovs_refcount_ref(&conn->ref_cnt);
    }
    return conn;
}

struct dpu_conn *
dpu_conn_ref(const char *name)
{
    struct dpu_conn *conn = NULL;

    ovs_mutex_lock(&dpu_conns_mutex);
    if (name) {
        conn = shash_find_data(&dpu_conns, name);
    } else if (shash_count(&dpu_conns) == 1) {
        conn = shash_first(&dpu_conns)->data;
    }
    dpu_conn_ref_existing(conn);
    ovs_mutex_unlock(&dpu_conns_mutex);
    return conn;
}

void
dpu_conn_unref(struct dpu_conn *conn)
{
    if (conn && ovs_refcount_unref(&conn->ref_cnt) == 1) {
        dpu_conn_destroy(conn);
    }
}

size_t
dpu_conn_get_all(struct dpu_conn ***connsp)
{
    const struct shash_node **nodes;
    struct dpu_conn **conns;
    size_t n;

    ovs_mutex_lock(&dpu_conns_mutex);
    n = shash_count(&dpu_conns);
    nodes = shash_sort(&dpu_conns);
    conns = xmalloc(MAX(n, 1) * sizeof *conns);
    for (size_t i = 0; i < n; i++) {
        conns[i] = dpu_conn_ref_existing(nodes[i]->data);
    }
    free(nodes);
    ovs_mutex_unlock(&dpu_conns_mutex);

    *connsp = conns;
    return n;
}

size_t
dpu_conn_count(void)
{
    size_t n;

    ovs_mutex_lock(&dpu_conns_mutex);
    n = shash_count(&dpu_conns);
    ovs_mutex_unlock(&dpu_conns_mutex);
    return n;
}

const char *
dpu_conn_get_name(const struct dpu_conn *conn)
{
    return conn->name;
}

bool
dpu_conn_is_up(const struct dpu_conn *conn_)
{
    struct dpu_conn *conn = CONST_CAST(struct dpu_conn *, conn_);
    bool up;

    ovs_mutex_lock(&conn->mutex);
    up = conn->state == DPU_CONN_UP;
    ovs_mutex_unlock(&conn->mutex);
    return up;
}

uint64_t
dpu_conn_get_session(const struct dpu_conn *conn_, ovs_u128 *boot_id)
{
    struct dpu_conn *conn = CONST_CAST(struct dpu_conn *, conn_);
    uint64_t session;

    ovs_mutex_lock(&conn->mutex);
    session = conn->state == DPU_CONN_UP ? conn->session : 0;
    if (boot_id) {
        *boot_id = conn->boot_id;
    }
    ovs_mutex_unlock(&conn->mutex);
    return session;
}

uint8_t
dpu_conn_get_version(const struct dpu_conn *conn_)
{
    struct dpu_conn *conn = CONST_CAST(struct dpu_conn *, conn_);
    uint8_t version;

    ovs_mutex_lock(&conn->mutex);
    version = conn->state == DPU_CONN_UP ? conn->version : 0;
    ovs_mutex_unlock(&conn->mutex);
    return version;
}

uint32_t
dpu_conn_get_caps(const struct dpu_conn *conn_, bool *explicit_drop,
                  bool *lb_output)
{
    struct dpu_conn *conn = CONST_CAST(struct dpu_conn *, conn_);
    uint32_t caps;

    ovs_mutex_lock(&conn->mutex);
    caps = conn->caps;
    *explicit_drop = conn->explicit_drop;
    *lb_output = conn->lb_output;
    ovs_mutex_unlock(&conn->mutex);
    return caps;
}

bool
dpu_conn_wait_up(struct dpu_conn *conn, long long int timeout_ms)
{
    long long int deadline = time_msec() + timeout_ms;
    bool up;

    for (;;) {
        up = dpu_conn_is_up(conn);
        if (up || time_msec() >= deadline) {
            break;
        }
        xnanosleep(10 * 1000 * 1000);
    }
    return up;
}

/* Completes 'req' with 'reply' or 'error'.  Caller must broadcast
 * 'conn->cond'. */
static void
complete_request(struct dpu_conn *conn, struct dpu_request *req,
                 struct ofpbuf *reply, int error)
    OVS_REQUIRES(conn->mutex)
{
    hmap_remove(&conn->pending, &req->node);
    if (req->msg) {
        ovs_list_remove(&req->list_node);
        ofpbuf_delete(req->msg);
        req->msg = NULL;
    }
    req->reply = reply;
    req->error = error;
    req->done = true;
}

static void
fail_all_requests(struct dpu_conn *conn, int error)
    OVS_REQUIRES(conn->mutex)
{
    struct dpu_request *req;

    HMAP_FOR_EACH_SAFE (req, node, &conn->pending) {
        complete_request(conn, req, NULL, error);
    }
    xpthread_cond_broadcast(&conn->cond);
}

/* Returns a new transaction id for 'conn': never 0, which the protocol
 * reserves for asynchronous messages, also when the counter wraps. */
static uint32_t
alloc_xid(struct dpu_conn *conn)
    OVS_REQUIRES(conn->mutex)
{
    if (!conn->next_xid) {
        conn->next_xid = 1;
    }
    return conn->next_xid++;
}

int
dpu_conn_transact(struct dpu_conn *conn, struct ofpbuf *request,
                  long long int timeout_ms,
                  struct ofpbuf **replyp, struct dpu_msg *reply)
{
    return dpu_conn_transact_why(conn, request, timeout_ms, replyp, reply,
                                 NULL);
}

int
dpu_conn_transact_why(struct dpu_conn *conn, struct ofpbuf *request,
                      long long int timeout_ms, struct ofpbuf **replyp,
                      struct dpu_msg *reply, char **whyp)
{
    return dpu_conn_transact_end(
        conn, dpu_conn_transact_begin(conn, request, timeout_ms),
        replyp, reply, whyp);
}

struct dpu_request *
dpu_conn_transact_begin(struct dpu_conn *conn, struct ofpbuf *request,
                        long long int timeout_ms)
{
    struct dpu_header *h = request->data;
    struct dpu_request *req = xzalloc(sizeof *req);

    req->type = h->type;

    ovs_mutex_lock(&conn->mutex);
    if (conn->state != DPU_CONN_UP) {
        ovs_mutex_unlock(&conn->mutex);
        ofpbuf_delete(request);
        req->error = ENOTCONN;
        req->done = true;
        return req;
    }
    if (conn->silent) {
        ovs_mutex_unlock(&conn->mutex);
        COVERAGE_INC(dpu_conn_fail_fast);
        ofpbuf_delete(request);
        req->error = ETIMEDOUT;
        req->done = true;
        return req;
    }
    req->xid = alloc_xid(conn);
    h->xid = htonl(req->xid);
    req->msg = request;
    req->deadline = time_msec() + (timeout_ms ? timeout_ms
                                   : DEFAULT_TIMEOUT_MS);
    hmap_insert(&conn->pending, &req->node, req->xid);
    conn->pending_peak = MAX(conn->pending_peak, hmap_count(&conn->pending));
    ovs_list_push_back(&conn->to_send, &req->list_node);
    latch_set(&conn->wake_latch);
    ovs_mutex_unlock(&conn->mutex);
    return req;
}

int
dpu_conn_transact_end(struct dpu_conn *conn, struct dpu_request *req,
                      struct ofpbuf **replyp, struct dpu_msg *reply,
                      char **whyp)
{
    struct ofpbuf *buf;
    char *why = NULL;
    int error;

    *replyp = NULL;
    if (whyp) {
        *whyp = NULL;
    }

    ovs_mutex_lock(&conn->mutex);
    while (!req->done) {
        ovs_mutex_cond_wait(&conn->cond, &conn->mutex);
    }
    ovs_mutex_unlock(&conn->mutex);

    error = req->error;
    buf = req->reply;
    if (error) {
        free(req);
        return error;
    }

    error = dpu_msg_decode(buf, reply, &why);
    if (!error && reply->type == DPU_MSG_ERROR) {
        error = nl_attr_get_u32(reply->attrs[DPU_ATTR_ERRNO]);
        VLOG_DBG("%s: %s request failed: %s (%s)", conn->name,
                 dpu_msg_type_to_string(req->type),
                 reply->attrs[DPU_ATTR_ERROR_MSG]
                 ? nl_attr_get_string(reply->attrs[DPU_ATTR_ERROR_MSG])
                 : "no reason given", ovs_strerror(error));
        if (whyp && reply->attrs[DPU_ATTR_ERROR_MSG]) {
            *whyp = xstrdup(nl_attr_get_string(
                                reply->attrs[DPU_ATTR_ERROR_MSG]));
        }
        if (!error || error > 4095) {
            error = EPROTO;
        }
    } else if (!error && reply->type != req->type) {
        why = xasprintf("%s reply to %s request",
                        dpu_msg_type_to_string(reply->type),
                        dpu_msg_type_to_string(req->type));
        error = EPROTO;
    }
    free(req);
    if (error) {
        if (why) {
            COVERAGE_INC(dpu_conn_bad_msg);
            VLOG_WARN_RL(&bad_msg_rl, "%s: bad reply: %s", conn->name, why);
            free(why);
        }
        ofpbuf_delete(buf);
        return error;
    }
    *replyp = buf;
    return 0;
}

void
dpu_conn_disconnect(struct dpu_conn *conn, const char *why)
{
    ovs_mutex_lock(&conn->mutex);
    free(conn->disconnect_why);
    conn->disconnect_why = xstrdup(why);
    latch_set(&conn->wake_latch);
    ovs_mutex_unlock(&conn->mutex);
}

int
dpu_conn_send(struct dpu_conn *conn, struct ofpbuf *msg)
{
    struct dpu_request *req;

    /* An unanswered message is queued like a request but is never
     * pending. */
    ovs_mutex_lock(&conn->mutex);
    if (conn->state != DPU_CONN_UP) {
        ovs_mutex_unlock(&conn->mutex);
        ofpbuf_delete(msg);
        return ENOTCONN;
    }
    req = xzalloc(sizeof *req);
    req->msg = msg;
    req->xid = 0;
    ovs_list_push_back(&conn->to_send, &req->list_node);
    latch_set(&conn->wake_latch);
    ovs_mutex_unlock(&conn->mutex);
    return 0;
}

int
dpu_conn_send_bounded(struct dpu_conn *conn, struct ofpbuf *msg,
                      size_t max_backlog)
{
    const struct dpu_request *req;
    size_t backlog;

    ovs_mutex_lock(&conn->mutex);
    backlog = conn->channel ? dpu_channel_get_backlog(conn->channel) : 0;
    LIST_FOR_EACH (req, list_node, &conn->to_send) {
        backlog += req->msg->size;
    }
    ovs_mutex_unlock(&conn->mutex);

    if (backlog + msg->size > max_backlog) {
        ofpbuf_delete(msg);
        return ENOBUFS;
    }
    return dpu_conn_send(conn, msg);
}

/* I/O thread. */

static void
set_state(struct dpu_conn *conn, enum dpu_conn_state state, const char *why)
    OVS_REQUIRES(conn->mutex)
{
    if (conn->state != state) {
        if (state == DPU_CONN_UP) {
            COVERAGE_INC(dpu_conn_up);
        } else if (conn->state == DPU_CONN_UP) {
            COVERAGE_INC(dpu_conn_down);
            conn->resets++;
            conn->down_time = time_msec();
        }
        conn->state = state;
        state_changed();
    }
    free(conn->error);
    conn->error = why ? xstrdup(why) : NULL;
    xpthread_cond_broadcast(&conn->cond);
}

/* Why a connection that ends with 'error', as disconnect() takes it, went
 * down. */
static enum dpu_down_cause
down_cause_from_error(int error)
{
    return (!error ? DPU_DOWN_HOST
            : error == ETIMEDOUT ? DPU_DOWN_HEARTBEAT
            : error == EPROTO ? DPU_DOWN_PROTOCOL
            : DPU_DOWN_CLOSED);
}

/* Checks the identity of the DPU that 'conn' just connected to: over
 * "ssl:", the common name of the certificate that the DPU presented, which
 * the CA of the host's DPUs signed, must be the name of its DPU row, alone
 * or followed by " id:" and more (as "ovs-pki req+sign NAME" makes it
 * without -u), so that a DPU cannot take another's place, even with a
 * certificate of the same CA.  Returns NULL if the identity is right,
 * otherwise the reason to refuse, to free. */
static char *
check_identity(const struct dpu_conn *conn)
    OVS_REQUIRES(conn->mutex)
{
    const char *cn = stream_get_peer_id(conn->connecting);
    size_t len = strlen(conn->name);

    if (strncmp(conn->target, "ssl:", 4)) {
        return NULL;
    }
    if (cn && !strncmp(cn, conn->name, len)
        && (!cn[len] || !strncmp(&cn[len], " id:", 4))) {
        return NULL;
    }
    return xasprintf("refused the DPU at %s: its certificate is for \"%s\","
                     " not for \"%s\"", conn->target,
                     cn ? cn : "(no common name)", conn->name);
}

/* Closes the connection of 'conn', for 'why'.  'error' says who ended it:
 * 0 for the host, on purpose; ETIMEDOUT for missed heartbeats; EPROTO for a
 * DPU that spoke the protocol wrong; EOF or another errno value for a
 * connection that the DPU closed or that broke. */
static void
disconnect(struct dpu_conn *conn, int error, const char *why)
    OVS_REQUIRES(conn->mutex)
{
    bool was_up = conn->state == DPU_CONN_UP;

    if (conn->channel) {
        dpu_channel_get_stats(conn->channel, &conn->chan_stats);
        dpu_channel_close(conn->channel);
        conn->channel = NULL;
        reconnect_disconnected(conn->reconnect, time_msec(), error);
    }
    if (conn->connecting) {
        stream_close(conn->connecting);
        conn->connecting = NULL;
        reconnect_connect_failed(conn->reconnect, time_msec(), error);
    }
    if (was_up) {
        conn->down_cause = down_cause_from_error(error);
        if (conn->down_cause == DPU_DOWN_HOST) {
            VLOG_INFO("%s: disconnecting from DPU: %s", conn->name, why);
        } else {
            VLOG_WARN("%s: connection to DPU lost: %s", conn->name, why);
        }
    }
    if (conn->state != DPU_CONN_ERROR) {
        set_state(conn, DPU_CONN_DOWN, why);
    }
    fail_all_requests(conn, ENOTCONN);
}

static void
send_hello(struct dpu_conn *conn)
    OVS_REQUIRES(conn->mutex)
{
    struct ofpbuf *b = ofpbuf_new(256);
    char hostname[256];

    if (gethostname(hostname, sizeof hostname)) {
        ovs_strlcpy(hostname, "unknown", sizeof hostname);
    }
    hostname[sizeof hostname - 1] = '\0';

    struct dpu_hello_request req = {
        .version_min = DPU_VERSION_MIN,
        .version_max = DPU_PROTOCOL_VERSION,
        .dp_name = "ovs-dpu",
        .host_name = hostname,
        .want_upcalls = !conn->no_upcalls,
    };
    conn->hello_xid = alloc_xid(conn);
    dpu_msg_start(b, DPU_MSG_HELLO, conn->hello_xid, 0);
    dpu_put_hello_request(b, &req);
    dpu_msg_finish(b);
    dpu_channel_send(conn->channel, b);
}

static void
handle_hello_reply(struct dpu_conn *conn, const struct dpu_msg *msg)
    OVS_REQUIRES(conn->mutex)
{
    struct ds why = DS_EMPTY_INITIALIZER;
    struct dpu_hello_reply reply;
    uint8_t version;

    if (msg->type == DPU_MSG_ERROR) {
        char *error = xasprintf("DPU refused HELLO: %s",
                                msg->attrs[DPU_ATTR_ERROR_MSG]
                                ? nl_attr_get_string(
                                    msg->attrs[DPU_ATTR_ERROR_MSG])
                                : ovs_strerror(nl_attr_get_u32(
                                    msg->attrs[DPU_ATTR_ERRNO])));
        VLOG_WARN_RL(&rl, "%s: %s", conn->name, error);
        disconnect(conn, EPROTO, error);
        free(error);
        return;
    }
    if (dpu_parse_hello_reply(msg, &reply, &why)) {
        char *error = xasprintf("malformed HELLO from DPU: %s",
                                ds_cstr(&why));

        VLOG_WARN_RL(&rl, "%s: %s", conn->name, error);
        disconnect(conn, EPROTO, error);
        free(error);
        dpu_hello_reply_destroy(&reply);
        ds_destroy(&why);
        return;
    }
    ds_destroy(&why);

    /* The DPU picks the highest version that both speak (see "Versions" in
     * dpu-wire.h): anything else is a DPU that cannot be trusted to speak
     * what it says. */
    version = dpu_version_pick(DPU_VERSION_MIN, DPU_PROTOCOL_VERSION,
                               reply.version_min, reply.version_max);
    if (msg->version != version) {
        char *error = xasprintf("DPU chose protocol version %"PRIu8", not "
                                "%"PRIu8" (the host speaks versions %d to "
                                "%d, the DPU %"PRIu8" to %"PRIu8")",
                                msg->version, version, DPU_VERSION_MIN,
                                DPU_PROTOCOL_VERSION, reply.version_min,
                                reply.version_max);

        VLOG_WARN_RL(&rl, "%s: %s", conn->name, error);
        disconnect(conn, EPROTO, error);
        free(error);
        dpu_hello_reply_destroy(&reply);
        return;
    }
    conn->version = version;
    dpu_channel_set_version(conn->channel, version);

    smap_clear(&conn->identity);
    dpu_identity_to_smap(&reply.id, &conn->identity);
    conn->boot_id = reply.boot_id;
    conn->caps = reply.caps;
    conn->explicit_drop = reply.explicit_drop;
    conn->lb_output = reply.lb_output;
    free(conn->dp_version);
    conn->dp_version = nullable_xstrdup(reply.dp_version);
    conn->session++;
    VLOG_INFO("%s: connected to DPU %s %s (serial %s, firmware %s, "
              "image %s), protocol version %"PRIu8, conn->name,
              reply.id.vendor, reply.id.model, reply.id.serial,
              reply.id.firmware, reply.id.image_version, version);
    dpu_hello_reply_destroy(&reply);
    set_state(conn, DPU_CONN_UP, NULL);
}

static void
handle_msg(struct dpu_conn *conn, struct ofpbuf *buf)
    OVS_REQUIRES(conn->mutex)
{
    struct dpu_request *req;
    struct dpu_msg msg;
    char *why;
    int error;

    error = dpu_msg_decode(buf, &msg, &why);
    if (error && !(msg.flags & DPU_F_REPLY && msg.xid)) {
        /* A reply is checked by its requester, who can tell what went wrong
         * in context.  Anything else that fails to decode is logged and
         * dropped.  The DPU is not told: it does not expect answers to
         * asynchronous messages. */
        COVERAGE_INC(dpu_conn_bad_msg);
        conn->n_bad_msgs++;
        VLOG_WARN_RL(&bad_msg_rl,
                     "%s: dropping malformed message from DPU: %s",
                     conn->name, why);
        free(why);
        ofpbuf_delete(buf);
        return;
    }
    free(why);

    if (msg.flags & DPU_F_REPLY) {
        if (msg.xid == conn->hello_xid && conn->state == DPU_CONN_HELLO) {
            if (error) {
                disconnect(conn, EPROTO, "malformed HELLO reply from DPU");
            } else {
                handle_hello_reply(conn, &msg);
            }
            ofpbuf_delete(buf);
            return;
        } else if (msg.xid == conn->echo_xid) {
            conn->echo_xid = 0;
            ofpbuf_delete(buf);
            return;
        } else if (msg.type == DPU_MSG_ECHO) {
            /* The reply to an earlier heartbeat, which came after the next
             * one was sent: with heartbeats every few milliseconds, a busy
             * DPU answers late.  It still shows that the DPU is alive. */
            ofpbuf_delete(buf);
            return;
        }
        HMAP_FOR_EACH_WITH_HASH (req, node, msg.xid, &conn->pending) {
            if (req->xid == msg.xid && !req->msg) {
                complete_request(conn, req, buf, 0);
                xpthread_cond_broadcast(&conn->cond);
                return;
            }
        }
        COVERAGE_INC(dpu_conn_stray_reply);
        VLOG_WARN_RL(&bad_msg_rl,
                     "%s: dropping %s reply with unknown xid %"PRIu32,
                     conn->name, dpu_msg_type_to_string(msg.type), msg.xid);
        ofpbuf_delete(buf);
        return;
    }

    if (conn->state == DPU_CONN_UP && async_cb) {
        /* Passed to the callback by the I/O thread once it has released
         * the mutex, in the order received (see deliver_async_msgs()). */
        struct dpu_async_msg *am = xmalloc(sizeof *am);

        am->buf = buf;
        am->msg = msg;
        ovs_list_push_back(&conn->async_msgs, &am->list_node);
        return;
    }
    ofpbuf_delete(buf);
}

/* Passes the asynchronous messages that dpu_conn_run() received to the
 * callback, or just frees them if 'deliver' is false.  Called by the I/O
 * thread without the mutex: the callback takes the datapath's locks, and
 * other threads call dpu_conn_*() functions with those held. */
static void
deliver_async_msgs(struct dpu_conn *conn, bool deliver)
    OVS_EXCLUDED(conn->mutex)
{
    struct dpu_async_msg *am;

    LIST_FOR_EACH_POP (am, list_node, &conn->async_msgs) {
        if (deliver && async_cb) {
            async_cb(conn, am->buf, &am->msg, async_cb_aux);
        }
        ofpbuf_delete(am->buf);
        free(am);
    }
}

static void
send_queued(struct dpu_conn *conn)
    OVS_REQUIRES(conn->mutex)
{
    while (!ovs_list_is_empty(&conn->to_send)) {
        struct dpu_request *req = CONTAINER_OF(ovs_list_pop_front(
                                                   &conn->to_send),
                                               struct dpu_request,
                                               list_node);
        struct ofpbuf *msg = req->msg;
        int error;

        req->msg = NULL;
        /* dpu_conn_run() sends them all at once, in few writes. */
        error = dpu_channel_queue(conn->channel, msg);
        if (req->xid) {
            if (error) {
                complete_request(conn, req, NULL,
                                 error == ENOBUFS ? ENOBUFS : ENOTCONN);
                xpthread_cond_broadcast(&conn->cond);
            }
        } else {
            free(req);
        }
    }
}

static void
expire_requests(struct dpu_conn *conn, long long int now)
    OVS_REQUIRES(conn->mutex)
{
    struct dpu_request *req;

    HMAP_FOR_EACH_SAFE (req, node, &conn->pending) {
        if (now >= req->deadline) {
            COVERAGE_INC(dpu_conn_timeout);
            conn->n_timeouts++;
            VLOG_WARN_RL(&timeout_rl, "%s: %s request %"PRIu32" timed out",
                         conn->name, dpu_msg_type_to_string(req->type),
                         req->xid);
            complete_request(conn, req, NULL, ETIMEDOUT);
            xpthread_cond_broadcast(&conn->cond);
            conn->silent = true;
        } else {
            poll_timer_wait_until(req->deadline);
        }
    }
}

static void
dpu_conn_run(struct dpu_conn *conn)
    OVS_REQUIRES(conn->mutex)
{
    long long int now = time_msec();

    /* If this thread itself did not run for two heartbeat intervals (the
     * host was busy or frozen), the DPU's silence meanwhile says nothing
     * about the DPU: whatever it sent is read below, and if it sent nothing
     * (it was frozen too, as happens to virtual machines), it gets one more
     * interval before it is declared down.  A DPU that hangs while this
     * thread runs on time is still declared down after 'heartbeat_misses'
     * intervals. */
    if (conn->last_run && now - conn->last_run > 2LL * conn->heartbeat_ms) {
        long long int grace = now - (long long int) conn->heartbeat_ms
                                    * (conn->heartbeat_misses - 1);

        COVERAGE_INC(dpu_conn_stalled);
        conn->last_rx = MAX(conn->last_rx, grace);
    }
    conn->last_run = now;

    /* New heartbeats apply from the next one on; a new target needs a new
     * connection. */
    if (conn->reconfigured) {
        conn->reconfigured = false;
        reconnect_set_backoff(conn->reconnect,
                              MIN(MIN_BACKOFF_MS, conn->max_backoff_ms),
                              conn->max_backoff_ms);
    }
    if (conn->disconnect_why) {
        if (conn->channel || conn->connecting) {
            disconnect(conn, 0, conn->disconnect_why);
        }
        free(conn->disconnect_why);
        conn->disconnect_why = NULL;
    }
    if (conn->retarget) {
        conn->retarget = false;
        if (conn->channel || conn->connecting) {
            disconnect(conn, 0, "reconfigured");
        }
        if (conn->state == DPU_CONN_ERROR) {
            reconnect_disable(conn->reconnect, now);
        } else {
            reconnect_enable(conn->reconnect, now);
            reconnect_force_reconnect(conn->reconnect, now);
        }
    }

    switch (reconnect_run(conn->reconnect, now)) {
    case RECONNECT_CONNECT: {
        int error = stream_open_with_default_port(conn->target,
                                                  DPU_DEFAULT_PORT,
                                                  &conn->connecting,
                                                  DSCP_DEFAULT);
        if (error) {
            char *why = xasprintf("%s: %s", conn->target,
                                  ovs_strerror(error));
            reconnect_connect_failed(conn->reconnect, now, error);
            set_state(conn, DPU_CONN_DOWN, why);
            free(why);
            conn->connecting = NULL;
        } else {
            reconnect_connecting(conn->reconnect, now);
        }
        break;
    }
    case RECONNECT_DISCONNECT:
        disconnect(conn, 0, "disconnected");
        break;
    case RECONNECT_PROBE:
        break;
    }

    if (conn->connecting) {
        int error = stream_connect(conn->connecting);
        char *refusal = !error ? check_identity(conn) : NULL;

        if (refusal) {
            VLOG_WARN_RL(&rl, "%s: %s", conn->name, refusal);
            COVERAGE_INC(dpu_conn_identity_refused);
            stream_close(conn->connecting);
            conn->connecting = NULL;
            reconnect_connect_failed(conn->reconnect, now, EACCES);
            set_state(conn, DPU_CONN_DOWN, refusal);
            free(refusal);
        } else if (!error) {
            conn->channel = dpu_channel_create(conn->connecting);
            conn->connecting = NULL;
            reconnect_connected(conn->reconnect, now);
            conn->last_rx = now;
            conn->silent = false;
            conn->next_echo = now + conn->heartbeat_ms;
            conn->echo_xid = 0;
            set_state(conn, DPU_CONN_HELLO, "waiting for HELLO reply");
            send_hello(conn);
        } else if (error != EAGAIN) {
            char *why = xasprintf("%s: %s", conn->target,
                                  ovs_strerror(error));
            stream_close(conn->connecting);
            conn->connecting = NULL;
            reconnect_connect_failed(conn->reconnect, now, error);
            set_state(conn, DPU_CONN_DOWN, why);
            free(why);
        }
    }

    if (conn->channel) {
        struct ofpbuf *buf;
        int error = 0;

        dpu_channel_run(conn->channel);
        for (int i = 0; i < 100 && conn->channel; i++) {
            error = dpu_channel_recv(conn->channel, &buf);
            if (error) {
                break;
            }
            conn->last_rx = now;
            conn->silent = false;
            reconnect_activity(conn->reconnect, now);
            handle_msg(conn, buf);
        }
        if (!conn->channel) {
            return;
        }
        if (error && error != EAGAIN) {
            disconnect(conn, error, error == EOF ? "DPU closed the connection"
                       : ovs_strerror(error));
            return;
        }

        /* Heartbeats. */
        if (now - conn->last_rx
            >= (long long int) conn->heartbeat_ms * conn->heartbeat_misses) {
            char *why = xasprintf("no message from DPU for %lld ms "
                                  "(%d heartbeats missed)",
                                  now - conn->last_rx,
                                  conn->heartbeat_misses);
            COVERAGE_INC(dpu_conn_heartbeat_miss);
            disconnect(conn, ETIMEDOUT, why);
            free(why);
            return;
        }
        /* Until the HELLO reply, whose lateness the check above catches,
         * the session has no version to send an ECHO in. */
        if (conn->state == DPU_CONN_UP && now >= conn->next_echo) {
            struct ofpbuf *b = ofpbuf_new(DPU_HEADER_LEN);

            conn->echo_xid = alloc_xid(conn);
            dpu_msg_start(b, DPU_MSG_ECHO, conn->echo_xid, 0);
            dpu_msg_finish(b);
            dpu_channel_send(conn->channel, b);
            conn->next_echo = now + conn->heartbeat_ms;
        }

        if (conn->state == DPU_CONN_UP) {
            send_queued(conn);
        }
        dpu_channel_run(conn->channel);
        dpu_channel_get_stats(conn->channel, &conn->chan_stats);
        error = dpu_channel_get_status(conn->channel);
        if (error) {
            disconnect(conn, error, ovs_strerror(error));
            return;
        }
    }

    if (conn->state != DPU_CONN_UP) {
        fail_all_requests(conn, ENOTCONN);
    }
    expire_requests(conn, now);
}

static void
dpu_conn_wait(struct dpu_conn *conn)
    OVS_REQUIRES(conn->mutex)
{
    reconnect_wait(conn->reconnect, time_msec());
    if (conn->connecting) {
        stream_connect_wait(conn->connecting);
    }
    if (conn->channel) {
        dpu_channel_wait(conn->channel);
        dpu_channel_recv_wait(conn->channel);
        if (conn->state == DPU_CONN_UP) {
            poll_timer_wait_until(conn->next_echo);
        }
        poll_timer_wait_until(conn->last_rx + (long long int)
                              conn->heartbeat_ms * conn->heartbeat_misses);
    }
    latch_wait(&conn->wake_latch);
    latch_wait(&conn->exit_latch);
}

static void *
dpu_conn_thread(void *conn_)
{
    struct dpu_conn *conn = conn_;

    pthread_detach(pthread_self());
    while (!latch_is_set(&conn->exit_latch)) {
        latch_poll(&conn->wake_latch);
        ovs_mutex_lock(&conn->mutex);
        dpu_conn_run(conn);
        dpu_conn_wait(conn);
        ovs_mutex_unlock(&conn->mutex);
        deliver_async_msgs(conn, true);
        poll_block();
    }

    deliver_async_msgs(conn, false);
    ovs_mutex_lock(&conn->mutex);
    disconnect(conn, 0, "DPU removed from configuration");
    ovs_mutex_unlock(&conn->mutex);
    dpu_conn_unref(conn);
    return NULL;
}

/* Frees 'conn', whose I/O thread has exited (it held a reference). */
static void
dpu_conn_destroy(struct dpu_conn *conn)
{
    ovs_mutex_lock(&conn->mutex);
    while (!ovs_list_is_empty(&conn->to_send)) {
        struct dpu_request *req = CONTAINER_OF(ovs_list_pop_front(
                                                   &conn->to_send),
                                               struct dpu_request,
                                               list_node);
        ofpbuf_delete(req->msg);
        if (!req->xid) {
            free(req);
        }
    }
    ovs_mutex_unlock(&conn->mutex);

    reconnect_destroy(conn->reconnect);
    latch_destroy(&conn->exit_latch);
    latch_destroy(&conn->wake_latch);
    hmap_destroy(&conn->pending);
    smap_destroy(&conn->identity);
    xpthread_cond_destroy(&conn->cond);
    ovs_mutex_destroy(&conn->mutex);
    free(conn->target);
    free(conn->error);
    free(conn->disconnect_why);
    free(conn->dp_version);
    free(conn->name);
    free(conn);
}

/* Status. */

static void
format_caps(uint32_t caps, struct ds *s)
{
    static const struct {
        uint32_t bit;
        const char *name;
    } names[] = {
        { DPU_CAP_RECIRC, "recirc" },
        { DPU_CAP_CT, "ct" },
        { DPU_CAP_METERS, "meters" },
        { DPU_CAP_TUNNELS, "tunnels" },
        { DPU_CAP_HA, "ha" },
        { DPU_CAP_HEALTH, "health" },
        { DPU_CAP_IPFIX, "ipfix" },
        { DPU_CAP_CT_ZERO_SNAT, "ct-zero-snat" },
        { DPU_CAP_CT_SYNC, "ct-sync" },
        { DPU_CAP_IMAGE, "image" },
        { DPU_CAP_TNL_ROUTES, "tnl-routes" },
    };

    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        if (caps & names[i].bit) {
            ds_put_format(s, "%s%s", s->length ? "," : "", names[i].name);
        }
    }
}

void
dpu_conn_get_status(const struct dpu_conn *conn_, struct smap *status)
{
    struct dpu_conn *conn = CONST_CAST(struct dpu_conn *, conn_);

    ovs_mutex_lock(&conn->mutex);
    smap_add(status, "state", state_name(conn->state));
    if (conn->error && conn->state != DPU_CONN_UP) {
        smap_add(status, "error", conn->error);
    }
    if (conn->session) {
        struct ds caps = DS_EMPTY_INITIALIZER;
        const struct smap_node *node;

        SMAP_FOR_EACH (node, &conn->identity) {
            smap_add(status, node->key, node->value);
        }
        smap_add_format(status, "boot_id", UUID_FMT,
                        UUID_ARGS((struct uuid *) &conn->boot_id));
        smap_add_format(status, "protocol_version", "%"PRIu8,
                        conn->version);
        format_caps(conn->caps, &caps);
        smap_add(status, "capabilities", ds_cstr(&caps));
        ds_destroy(&caps);
    }
    smap_add_format(status, "connection_resets", "%"PRIu64, conn->resets);
    ovs_mutex_unlock(&conn->mutex);
}

void
dpu_conn_format(const struct dpu_conn *conn_, struct ds *s)
{
    struct dpu_conn *conn = CONST_CAST(struct dpu_conn *, conn_);

    ovs_mutex_lock(&conn->mutex);
    ds_put_format(s, "%s: %s, target %s", conn->name,
                  state_name(conn->state), conn->target);
    if (conn->error && conn->state != DPU_CONN_UP) {
        ds_put_format(s, " (%s)", conn->error);
    }
    ds_put_char(s, '\n');
    if (conn->session) {
        ds_put_format(s, "  identity: vendor %s, model %s, hardware %s, "
                      "firmware %s, serial %s, image %s\n",
                      smap_get(&conn->identity, "vendor"),
                      smap_get(&conn->identity, "model"),
                      smap_get(&conn->identity, "hardware_version"),
                      smap_get(&conn->identity, "firmware"),
                      smap_get(&conn->identity, "serial"),
                      smap_get(&conn->identity, "image_version"));
        struct ds caps = DS_EMPTY_INITIALIZER;

        format_caps(conn->caps, &caps);
        ds_put_format(s, "  protocol version %d, boot id "UUID_FMT
                      ", capabilities %s\n", conn->version,
                      UUID_ARGS((struct uuid *) &conn->boot_id),
                      ds_cstr(&caps));
        ds_destroy(&caps);
    }
    ds_put_format(s, "  sessions %"PRIu64", resets %"PRIu64", heartbeat "
                  "%d ms x %d, timeouts %"PRIu64", bad messages %"PRIu64
                  ", most requests in flight %"PRIuSIZE"\n  channel: ",
                  conn->session, conn->resets,
                  conn->heartbeat_ms, conn->heartbeat_misses,
                  conn->n_timeouts, conn->n_bad_msgs, conn->pending_peak);
    dpu_channel_format_stats(&conn->chan_stats, s);
    ds_put_char(s, '\n');
    ovs_mutex_unlock(&conn->mutex);
}

void
dpu_conn_get_heartbeat(const struct dpu_conn *conn_, int *interval_ms,
                       int *misses)
{
    struct dpu_conn *conn = CONST_CAST(struct dpu_conn *, conn_);

    ovs_mutex_lock(&conn->mutex);
    *interval_ms = conn->heartbeat_ms;
    *misses = conn->heartbeat_misses;
    ovs_mutex_unlock(&conn->mutex);
}

long long int
dpu_conn_get_down_time(const struct dpu_conn *conn_,
                       enum dpu_down_cause *cause, char **reason)
{
    struct dpu_conn *conn = CONST_CAST(struct dpu_conn *, conn_);
    long long int down_time;

    ovs_mutex_lock(&conn->mutex);
    down_time = conn->down_time;
    *cause = conn->down_cause;
    *reason = nullable_xstrdup(conn->error);
    ovs_mutex_unlock(&conn->mutex);
    return down_time;
}

const char *
dpu_conn_get_identity(const struct dpu_conn *conn_, const char *key,
                      char **valuep)
{
    struct dpu_conn *conn = CONST_CAST(struct dpu_conn *, conn_);

    ovs_mutex_lock(&conn->mutex);
    *valuep = nullable_xstrdup(smap_get(&conn->identity, key));
    ovs_mutex_unlock(&conn->mutex);
    return *valuep;
}
