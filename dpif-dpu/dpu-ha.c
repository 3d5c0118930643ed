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
#include "dpu-ha.h"

#include <errno.h>

#include "connectivity.h"
#include "coverage.h"
#include "dpu-alarm.h"
#include "dpu-conn.h"
#include "dpu-codec.h"
#include "dpu-ct-sync.h"
#include "dpu-version.h"
#include "latch.h"
#include "netdev-dpu.h"
#include "netlink.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "ovs-thread.h"
#include "seq.h"
#include "smap.h"
#include "sset.h"
#include "timeval.h"
#include "unixctl.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(dpu_ha);

COVERAGE_DEFINE(dpu_ha_failover);
COVERAGE_DEFINE(dpu_ha_set_role);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

/* How long a SET_ROLE may take.  A role change is on the failover path. */
#define DPU_HA_ROLE_TIMEOUT_MS 1000

/* In a planned failover, how long the DPU that stands by keeps delivering
 * what the network still sends it, until the network has learned the new
 * active DPU's announcements (which takes one packet from the new DPU). */
#define DPU_HA_DRAIN_MS 500

/* What this module knows about one DPU of the pair. */
struct dpu_ha_member {
    char *name;
    bool refused;               /* Not identical to its partner, or a third
                                 * DPU. */
    char *refused_why;          /* Why, if 'refused'. */
    uint64_t fatal_session;     /* Session in which the DPU reported a fatal
                                 * error, 0 if none. */
    bool fatal_pending;         /* Reported, 'fatal_session' not yet set. */
    char *fatal_why;
    uint64_t told_session;      /* Session told 'told_role', 0 if none. */
    enum dpu_role told_role;
    uint64_t retell_seq;        /* Incremented when the DPU must be told its
                                 * role again (it stood by on its own). */
    uint64_t told_retell_seq;   /* 'retell_seq' when it was last told. */
    bool links_down;            /* Every uplink lost its link. */
    uint64_t ready_session;     /* Session in which the DPU was last seen
                                 * holding every port and flow, 0 if
                                 * none. */
};

/* The last failover. */
struct dpu_ha_failover {
    long long int wall;         /* time_wall_msec() when it happened. */
    char *cause;                /* "connection-lost", "heartbeat-loss",
                                 * "pci-error"... */
    char *from, *to;            /* DPU names. */
    long long int duration_ms;  /* From the failure being noticed (the DPU
                                 * going down) to the standby being told to
                                 * forward. */
};

static struct ovs_mutex ha_mutex = OVS_MUTEX_INITIALIZER;
static enum dpu_ha_mode ha_mode OVS_GUARDED_BY(ha_mutex);
static char *ha_preferred OVS_GUARDED_BY(ha_mutex);  /* dpu-active, or NULL. */
static bool ha_failback OVS_GUARDED_BY(ha_mutex);
static struct dpu_ha_member ha_members[2] OVS_GUARDED_BY(ha_mutex);
static int ha_active OVS_GUARDED_BY(ha_mutex) = -1; /* Index, or -1. */
static uint64_t ha_n_failovers OVS_GUARDED_BY(ha_mutex);
static struct dpu_ha_failover ha_last OVS_GUARDED_BY(ha_mutex);
static int ha_request OVS_GUARDED_BY(ha_mutex) = -1;    /* Planned failover
                                                         * to this index. */
static bool ha_version_handover OVS_GUARDED_BY(ha_mutex);  /* The active
                                                            * DPU hands over
                                                            * to its partner
                                                            * of the host's
                                                            * version. */
static int ha_n_dps OVS_GUARDED_BY(ha_mutex);   /* struct dpu_ha_dp. */
static bool ha_ready_known OVS_GUARDED_BY(ha_mutex);  /* A datapath said which
                                                       * DPUs hold its ports
                                                       * and flows. */

/* Lock order: 'ha_mutex' is taken after the datapath's locks and before
 * dpu-conn's.  While it is held, this module calls no callback and no
 * dpu_conn_*() function that locks a connection: it decides on snapshots of
 * the connections' state (struct dpu_ha_snap), taken before locking. */

/* The identity fields that must match within a pair. */
static const char *const identity_fields[] = {
    "vendor", "hardware_version", "firmware", "image_version"
};

/* A snapshot of one DPU's connection, taken without 'ha_mutex' held. */
struct dpu_ha_snap {
    struct dpu_conn *conn;      /* Reference, or NULL if no such DPU. */
    const char *name;           /* dpu_conn_get_name(conn), or NULL. */
    bool up;
    uint64_t session;
    uint32_t caps;
    bool ready;                 /* The datapath's ready callback said so. */
    bool ct_synced;             /* It holds the active DPU's connections
                                 * (see dpu-ct-sync.h). */
    char *identity[ARRAY_SIZE(identity_fields)];
    long long int down_time;
    enum dpu_down_cause down_cause;
    int hb_interval, hb_misses;
};

static void
snap_take(struct dpu_ha_snap *snap, struct dpu_conn *conn,
          dpu_ha_ready_cb *ready, void *aux)
    OVS_EXCLUDED(ha_mutex)
{
    bool explicit_drop, lb_output;
    ovs_u128 boot_id;
    char *reason;

    memset(snap, 0, sizeof *snap);
    snap->conn = conn;
    if (!conn) {
        return;
    }
    snap->name = dpu_conn_get_name(conn);
    snap->up = dpu_conn_is_up(conn);
    snap->session = dpu_conn_get_session(conn, &boot_id);
    snap->caps = dpu_conn_get_caps(conn, &explicit_drop, &lb_output);
    snap->ready = ready && ready(conn, aux);
    snap->ct_synced = conn && dpu_ct_sync_is_synced(conn);
    for (size_t i = 0; i < ARRAY_SIZE(identity_fields); i++) {
        dpu_conn_get_identity(conn, identity_fields[i], &snap->identity[i]);
    }
    snap->down_time = dpu_conn_get_down_time(conn, &snap->down_cause,
                                             &reason);
    free(reason);
    dpu_conn_get_heartbeat(conn, &snap->hb_interval, &snap->hb_misses);
}

/* Frees what 'snap' holds, and drops its reference. */
static void
snap_destroy(struct dpu_ha_snap *snap)
    OVS_EXCLUDED(ha_mutex)
{
    for (size_t i = 0; i < ARRAY_SIZE(identity_fields); i++) {
        free(snap->identity[i]);
    }
    dpu_conn_unref(snap->conn);
}

/* Makes ovs-vswitchd write DPU:status again, as the roles changed. */
static void
status_changed(void)
{
    seq_change(connectivity_seq_get());
}

const char *
dpu_ha_mode_to_string(enum dpu_ha_mode mode)
{
    return (mode == DPU_HA_ACTIVE_STANDBY ? "active-standby"
            : mode == DPU_HA_INDEPENDENT ? "independent"
            : "single");
}

void
dpu_ha_set_config(const struct smap *other_config)
{
    const char *mode_s = smap_get(other_config, "dpu-mode");
    enum dpu_ha_mode mode = DPU_HA_NONE;

    if (!mode_s || !strcmp(mode_s, "single")) {
        mode = DPU_HA_NONE;
    } else if (!strcmp(mode_s, "active-standby")) {
        mode = DPU_HA_ACTIVE_STANDBY;
    } else if (!strcmp(mode_s, "independent")) {
        mode = DPU_HA_INDEPENDENT;
    } else {
        static struct vlog_rate_limit cfg_rl = VLOG_RATE_LIMIT_INIT(1, 5);

        VLOG_WARN_RL(&cfg_rl, "other_config:dpu-mode=%s is not one of "
                     "\"active-standby\", \"independent\" or \"single\"; "
                     "DPUs work as if it were unset", mode_s);
    }

    ovs_mutex_lock(&ha_mutex);
    if (mode != ha_mode) {
        VLOG_INFO("DPU mode is now %s", dpu_ha_mode_to_string(mode));
        ha_mode = mode;
        ha_active = -1;
        for (int i = 0; i < ARRAY_SIZE(ha_members); i++) {
            ha_members[i].told_session = 0;
        }
    }
    free(ha_preferred);
    ha_preferred = nullable_xstrdup(smap_get(other_config, "dpu-active"));
    ha_failback = smap_get_bool(other_config, "dpu-failback", false);
    ovs_mutex_unlock(&ha_mutex);
}

enum dpu_ha_mode
dpu_ha_get_mode(void)
{
    enum dpu_ha_mode mode;

    ovs_mutex_lock(&ha_mutex);
    mode = ha_mode;
    ovs_mutex_unlock(&ha_mutex);
    return mode;
}

/* Returns the index in 'ha_members' of the DPU named 'name', or -1. */
static int
member_index(const char *name)
    OVS_REQUIRES(ha_mutex)
{
    for (int i = 0; i < ARRAY_SIZE(ha_members); i++) {
        if (ha_members[i].name && !strcmp(ha_members[i].name, name)) {
            return i;
        }
    }
    return -1;
}

bool
dpu_ha_get_pair(struct dpu_conn **a, struct dpu_conn **b)
{
    struct dpu_conn *conns[2] = { NULL, NULL };
    bool pair;

    ovs_mutex_lock(&ha_mutex);
    pair = ha_mode == DPU_HA_ACTIVE_STANDBY;
    if (pair) {
        for (int i = 0; i < 2; i++) {
            if (ha_members[i].name && !ha_members[i].refused) {
                conns[i] = dpu_conn_ref(ha_members[i].name);
            }
        }
    }
    ovs_mutex_unlock(&ha_mutex);
    *a = conns[0];
    *b = conns[1];
    return pair;
}

struct dpu_conn *
dpu_ha_ref_active(void)
{
    struct dpu_conn *conn = NULL;

    ovs_mutex_lock(&ha_mutex);
    if (ha_mode == DPU_HA_ACTIVE_STANDBY && ha_active >= 0) {
        conn = dpu_conn_ref(ha_members[ha_active].name);
    }
    ovs_mutex_unlock(&ha_mutex);
    return conn;
}

bool
dpu_ha_is_active(const struct dpu_conn *conn)
{
    bool active = true;

    ovs_mutex_lock(&ha_mutex);
    if (ha_mode == DPU_HA_ACTIVE_STANDBY) {
        int i = member_index(dpu_conn_get_name(conn));

        active = i >= 0 && i == ha_active;
    }
    ovs_mutex_unlock(&ha_mutex);
    return active;
}

bool
dpu_ha_is_told_standby(const struct dpu_conn *conn)
{
    uint64_t session = dpu_conn_get_session(conn, NULL);
    bool told;

    ovs_mutex_lock(&ha_mutex);
    int i = member_index(dpu_conn_get_name(conn));
    told = (ha_mode == DPU_HA_ACTIVE_STANDBY && i >= 0 && i != ha_active
            && session && ha_members[i].told_session == session
            && ha_members[i].told_role == DPU_ROLE_STANDBY);
    ovs_mutex_unlock(&ha_mutex);
    return told;
}

bool
dpu_ha_is_usable(const struct dpu_conn *conn)
{
    bool usable = true;

    ovs_mutex_lock(&ha_mutex);
    if (ha_mode == DPU_HA_ACTIVE_STANDBY) {
        int i = member_index(dpu_conn_get_name(conn));

        usable = i >= 0 && !ha_members[i].refused;
    }
    ovs_mutex_unlock(&ha_mutex);
    return usable;
}

void
dpu_ha_dpu_event(struct dpu_conn *conn, const char *event,
                 const char *details)
{
    /* Called from the DPU's I/O thread.  The session that the event is
     * about is looked up later, by dpu_ha_run(). */
    status_changed();
    VLOG(strcmp(event, "fault-cleared") ? VLL_WARN : VLL_INFO,
         "DPU %s reported %s%s%s", dpu_conn_get_name(conn), event,
         details ? ": " : "", details ? details : "");
    if (!strcmp(event, "lease-expired")) {
        /* It stood by on its own: tell it its role again. */
        ovs_mutex_lock(&ha_mutex);
        int i = member_index(dpu_conn_get_name(conn));
        if (i >= 0) {
            /* Not 'told_session = 0': dpu_ha_run() may be telling it its
             * role right now, and would then overwrite that. */
            ha_members[i].retell_seq++;
        }
        ovs_mutex_unlock(&ha_mutex);
    } else if (!strcmp(event, "fault-cleared")) {
        ovs_mutex_lock(&ha_mutex);
        int i = member_index(dpu_conn_get_name(conn));
        if (i >= 0) {
            ha_members[i].fatal_pending = false;
            ha_members[i].fatal_session = 0;
        }
        ovs_mutex_unlock(&ha_mutex);
    } else if (!strcmp(event, "pci-error")) {
        ovs_mutex_lock(&ha_mutex);
        int i = member_index(dpu_conn_get_name(conn));
        if (i >= 0) {
            ha_members[i].fatal_pending = true;
            free(ha_members[i].fatal_why);
            ha_members[i].fatal_why = xasprintf("%s%s%s", event,
                                                details ? ": " : "",
                                                details ? details : "");
        }
        ovs_mutex_unlock(&ha_mutex);
    }
}

/* Pair formation. */

static void
member_set_name(struct dpu_ha_member *m, const char *name)
    OVS_REQUIRES(ha_mutex)
{
    if (!nullable_string_is_equal(m->name, name)) {
        free(m->name);
        m->name = nullable_xstrdup(name);
        m->refused = false;
        free(m->refused_why);
        m->refused_why = NULL;
        m->fatal_session = 0;
        m->told_session = 0;
        m->links_down = false;
        m->ready_session = 0;
    }
}

/* Compares the identities of 'a' and 'b'.  Returns NULL if they match (or
 * one of them never answered), otherwise a malloc()ed message naming the
 * first field that differs and both values. */
static char *
compare_identities(const struct dpu_ha_snap *a, const struct dpu_ha_snap *b)
{
    for (size_t i = 0; i < ARRAY_SIZE(identity_fields); i++) {
        const char *va = a->identity[i];
        const char *vb = b->identity[i];

        if (va && vb && strcmp(va, vb)) {
            return xasprintf("not identical to its partner: %s differs: "
                             "%s has \"%s\", %s has \"%s\"",
                             identity_fields[i], a->name, va, b->name, vb);
        }
    }
    return NULL;
}

/* If the DPUs of 'pair' differ in their image version alone, and only one
 * of them runs the host's version, returns its index; otherwise -1. */
static int
host_version_member(const struct dpu_ha_snap pair[2])
{
    int host = -1;

    for (size_t i = 0; i < ARRAY_SIZE(identity_fields); i++) {
        const char *a = pair[0].identity[i];
        const char *b = pair[1].identity[i];

        if (!a || !b) {
            return -1;
        } else if (!strcmp(identity_fields[i], "image_version")) {
            bool a_host = !strcmp(a, OVS_DPU_VERSION);
            bool b_host = !strcmp(b, OVS_DPU_VERSION);

            if (a_host == b_host) {
                return -1;
            }
            host = a_host ? 0 : 1;
        } else if (strcmp(a, b)) {
            return -1;
        }
    }
    return host;
}

static void
member_refuse(struct dpu_ha_member *m, char *why)
    OVS_REQUIRES(ha_mutex)
{
    if (!m->refused || !nullable_string_is_equal(m->refused_why, why)) {
        status_changed();
        VLOG_ERR("DPU %s refused from the active-standby pair: %s",
                 m->name, why);
    }
    m->refused = true;
    free(m->refused_why);
    m->refused_why = why;
}

/* Roles. */

/* Callback with which send_role() asks for the uplinks of 'conn', which it
 * adds to 'rq': where the DPU announces addresses when it takes over. */
typedef void dpu_ha_uplinks_cb(struct dpu_conn *,
                               struct dpu_role_request *rq, void *aux);

/* A handover, in host byte order (see "Handover" in dpu-protocol.rst). */
struct dpu_ha_handover {
    struct dpu_handover *entries;
    size_t n;
};

/* Tells 'conn' its 'role', with the lease and the uplinks that 'uplinks'
 * gives, 'drain_ms' (for STANDBY, 0 for none) and 'handover' (for ACTIVE,
 * if nonnull).  If 'handoverp' is nonnull, stores there the handover in the
 * reply, or NULL if it has none or it is malformed; the caller frees it
 * with dpu_ha_handover_destroy().  Each of the two DPUs may speak another
 * version of the protocol, in which the handover's byte order differs: it
 * is decoded from one and encoded again for the other.  Returns 0 or a
 * positive errno value. */
static int
send_role(struct dpu_conn *conn, enum dpu_role role, uint32_t lease_ms,
          uint32_t drain_ms, const struct dpu_ha_handover *handover,
          struct dpu_ha_handover **handoverp, dpu_ha_uplinks_cb *uplinks,
          void *aux)
{
    struct dpu_role_request rq = {
        .role = role,
        .lease_ms = lease_ms,
        .drain_ms = drain_ms,
        .has_handover = handover != NULL,
        .handover = handover ? handover->entries : NULL,
        .n_handover = handover ? handover->n : 0,
    };
    struct ofpbuf *b = ofpbuf_new(64);
    struct ofpbuf *reply;
    struct dpu_msg msg;
    int error;

    if (uplinks) {
        uplinks(conn, &rq, aux);
    }
    dpu_msg_start(b, DPU_MSG_SET_ROLE, 0, 0);
    dpu_put_role_request(b, &rq, dpu_conn_get_version(conn));
    dpu_msg_finish(b);
    error = dpu_conn_transact(conn, b, DPU_HA_ROLE_TIMEOUT_MS, &reply, &msg);
    if (handoverp) {
        const struct nlattr *nla = error ? NULL
                                   : msg.attrs[DPU_ATTR_HANDOVER];
        struct ds why = DS_EMPTY_INITIALIZER;

        *handoverp = NULL;
        if (nla) {
            struct dpu_ha_handover *h = xzalloc(sizeof *h);

            if (!dpu_parse_handover(nla, msg.version, &h->entries, &h->n,
                                    &why)) {
                *handoverp = h;
            } else {
                VLOG_WARN_RL(&rl, "DPU %s: ignoring a malformed handover "
                             "(%s)", dpu_conn_get_name(conn), ds_cstr(&why));
                free(h);
            }
        }
        ds_destroy(&why);
    }
    ofpbuf_delete(reply);
    COVERAGE_INC(dpu_ha_set_role);
    if (error) {
        VLOG_WARN_RL(&rl, "DPU %s: setting role %s failed (%s)",
                     dpu_conn_get_name(conn), dpu_role_to_string(role),
                     ovs_strerror(error));
    } else {
        VLOG_INFO("DPU %s is now %s", dpu_conn_get_name(conn),
                  dpu_role_to_string(role));
    }
    return error;
}

static void
dpu_ha_handover_destroy(struct dpu_ha_handover *h)
{
    if (h) {
        free(h->entries);
        free(h);
    }
}

/* The lease of the active DPU: shorter than the time the host takes to
 * declare it down, so that a DPU cut off from the host stops forwarding
 * before its partner starts. */
static uint32_t
lease_for(const struct dpu_ha_snap *snap)
{
    return snap->hb_interval * (snap->hb_misses - 1);
}

static const char *
failover_cause(const struct dpu_ha_snap *snap, const struct dpu_ha_member *m,
               long long int *sincep)
    OVS_REQUIRES(ha_mutex)
{
    *sincep = snap->down_time;
    if (m->fatal_session && m->fatal_session == snap->session) {
        *sincep = time_msec();
        return "pci-error";
    } else if (m->links_down && snap->up) {
        *sincep = time_msec();
        return "link-down";
    } else if (snap->down_cause == DPU_DOWN_HEARTBEAT) {
        return "heartbeat-loss";
    } else if (snap->down_cause == DPU_DOWN_HOST) {
        /* The host disconnected it, for a new target: not a failure. */
        return "reconfigured";
    } else {
        return "connection-lost";
    }
}

/* Whether a failover for 'cause' was planned, or at least not caused by a
 * failure of the DPU it failed from. */
static bool
failover_cause_is_planned(const char *cause)
{
    return (!strcmp(cause, "operator") || !strcmp(cause, "failback")
            || !strcmp(cause, "reconfigured")
            || !strcmp(cause, "version-skew"));
}

/* Makes the partner of active DPU 'from' active, for 'cause', and records
 * it. */
static void
record_failover(int from, const char *cause, long long int duration_ms)
    OVS_REQUIRES(ha_mutex)
{
    ha_active = !from;
    ha_n_failovers++;
    free(ha_last.cause);
    free(ha_last.from);
    free(ha_last.to);
    ha_last.wall = time_wall_msec();
    ha_last.cause = xstrdup(cause);
    ha_last.from = xstrdup(ha_members[from].name);
    ha_last.to = xstrdup(ha_members[!from].name);
    ha_last.duration_ms = duration_ms;
    COVERAGE_INC(dpu_ha_failover);
    status_changed();
    VLOG(failover_cause_is_planned(cause) ? VLL_INFO : VLL_WARN,
         "failover from DPU %s to DPU %s: %s", ha_last.from, ha_last.to,
         cause);
}

/* Records the last failover as a "failover" alarm of the DPU it failed
 * from, which stays active until that DPU is back (see dpu-ovsdb.c). */
static void
raise_failover_alarm(void)
    OVS_EXCLUDED(ha_mutex)
{
    struct smap details = SMAP_INITIALIZER(&details);
    enum dpu_severity severity;
    char *from, *subject, *when;

    ovs_mutex_lock(&ha_mutex);
    when = xastrftime_msec("%Y-%m-%dT%H:%M:%S.###Z", ha_last.wall, true);
    smap_add_nocopy(&details, xstrdup("time"), when);
    smap_add(&details, "cause", ha_last.cause);
    smap_add(&details, "from", ha_last.from);
    smap_add(&details, "to", ha_last.to);
    smap_add_format(&details, "duration_ms", "%lld", ha_last.duration_ms);
    severity = (failover_cause_is_planned(ha_last.cause)
                ? DPU_SEVERITY_INFO : DPU_SEVERITY_WARNING);
    from = xstrdup(ha_last.from);
    subject = xasprintf("%"PRIu64, ha_n_failovers);
    ovs_mutex_unlock(&ha_mutex);

    dpu_alarm_raise(from, DPU_ALARM_FAILOVER, subject, severity, &details,
                    "failover from %s to %s: %s in %s ms",
                    from, smap_get(&details, "to"),
                    smap_get(&details, "cause"),
                    smap_get(&details, "duration_ms"));
    free(subject);
    free(from);
    smap_destroy(&details);
}

/* Whether pair member 'i', whose connection 'snap' shows, may become
 * active. */
static bool
member_eligible(int i, const struct dpu_ha_snap *snap)
    OVS_REQUIRES(ha_mutex)
{
    const struct dpu_ha_member *m = &ha_members[i];

    return (snap->conn && m->name && !m->refused && !m->links_down
            && snap->up
            && (!m->fatal_session || m->fatal_session != snap->session)
            && snap->ready);
}

/* Updates what 'ha_members' knows of the pair from the snapshots in 'pair':
 * their names, whether they hold every port and flow, and the fatal errors
 * that they reported.  Identical pairs only: refuses the DPU that is not
 * active if the two differ, or with none active yet, the second; but of two
 * DPUs that differ in their image version alone, keeps the one that runs
 * the host's version, taking over from an active DPU that does not. */
static void
update_members(const struct dpu_ha_snap pair[2])
    OVS_REQUIRES(ha_mutex)
{
    char *active = (ha_active >= 0
                    ? nullable_xstrdup(ha_members[ha_active].name) : NULL);

    ha_ready_known = true;
    for (int i = 0; i < 2; i++) {
        member_set_name(&ha_members[i], pair[i].name);
    }
    /* The active DPU is the same DPU, by name, whatever its place in the
     * pair now that a DPU was added or removed before it; none if it was
     * removed, which is no failover: its partner just becomes active. */
    ha_active = active ? member_index(active) : -1;
    free(active);

    for (int i = 0; i < 2; i++) {
        uint64_t ready_session = pair[i].ready ? pair[i].session : 0;

        if (ha_members[i].ready_session != ready_session) {
            /* "recovering" in DPU:status starts or ends. */
            ha_members[i].ready_session = ready_session;
            status_changed();
        }
        if (ha_members[i].fatal_pending && pair[i].conn) {
            ha_members[i].fatal_pending = false;
            ha_members[i].fatal_session = pair[i].session;
        }
    }

    bool handover = false;
    if (pair[0].conn && pair[1].conn) {
        char *why = compare_identities(&pair[0], &pair[1]);

        if (why) {
            int host = host_version_member(pair);
            int victim = ha_active == 1 ? 0 : 1;

            if (host >= 0 && ha_active == !host) {
                /* The active DPU runs another version than the host, and
                 * its partner the host's: the partner takes the ports,
                 * flows and connections as a standby would, and then over
                 * (decide_active()).  The DPU that it took over from is
                 * then refused, and the host repairs it (a version skew),
                 * which it would not do to an active DPU. */
                handover = true;
                if (!ha_version_handover) {
                    VLOG_INFO("DPU %s runs the host's version %s, DPU %s "
                              "another: %s takes over from %s once it holds "
                              "every port, flow and connection",
                              ha_members[host].name, OVS_DPU_VERSION,
                              ha_members[!host].name, ha_members[host].name,
                              ha_members[!host].name);
                    status_changed();
                }
                ha_members[0].refused = ha_members[1].refused = false;
                free(why);
            } else {
                if (host >= 0) {
                    /* Of two DPUs, the one of the host's version. */
                    victim = !host;
                }
                ha_members[!victim].refused = false;
                member_refuse(&ha_members[victim], why);
            }
        } else {
            for (int i = 0; i < 2; i++) {
                if (ha_members[i].refused) {
                    VLOG_INFO("DPU %s: now identical to its partner",
                              ha_members[i].name);
                }
                ha_members[i].refused = false;
            }
        }
    }
    ha_version_handover = handover;
}

/* Fails over, or back if configured, or picks the first active DPU, as the
 * pair's state in 'pair' and an operator's request require.  The preferred
 * DPU is the one that other_config:dpu-active names, or the first.  Returns
 * true for a planned failover: an operator's, or a failback. */
static bool
decide_active(const struct dpu_ha_snap pair[2])
    OVS_REQUIRES(ha_mutex)
{
    int cur = ha_active;
    int first = (ha_preferred && ha_members[1].name
                 && !strcmp(ha_preferred, ha_members[1].name)) ? 1 : 0;
    bool keep_request = false;
    bool planned = false;

    if (cur >= 0 && !member_eligible(cur, &pair[cur])
        && member_eligible(!cur, &pair[!cur])) {
        long long int since;
        const char *cause = failover_cause(&pair[cur], &ha_members[cur],
                                           &since);

        record_failover(cur, cause, since ? time_msec() - since : 0);
    } else if (cur >= 0 && ha_request == !cur
               && member_eligible(!cur, &pair[!cur])) {
        if (pair[!cur].ct_synced) {
            record_failover(cur, "operator", 0);
            planned = true;
        } else {
            /* A planned failover loses no connection: it waits until the
             * standby holds a copy of the active DPU's (see
             * dpu-ct-sync.h). */
            keep_request = true;
        }
    } else if (cur >= 0 && ha_version_handover
               && member_eligible(!cur, &pair[!cur])
               && pair[!cur].ct_synced) {
        record_failover(cur, "version-skew", 0);
        planned = true;
    } else if (cur >= 0 && cur != first && ha_failback
               && member_eligible(first, &pair[first])
               && pair[first].ct_synced) {
        record_failover(cur, "failback", 0);
        planned = true;
    } else if (cur < 0) {
        if (member_eligible(first, &pair[first])) {
            ha_active = first;
        } else if (member_eligible(!first, &pair[!first])) {
            ha_active = !first;
        }
        if (ha_active >= 0) {
            status_changed();
            VLOG_INFO("DPU %s is the active DPU of the pair",
                      ha_members[ha_active].name);
        }
    }

    if (!keep_request) {
        ha_request = -1;
    }
    return planned;
}

/* Outside active-standby mode, every DPU forwards: tells each DPU that
 * supports roles so, once per session, in case it was a standby before. */
static void
tell_all_active(struct dpu_conn **conns, size_t n)
{
    /* Each datapath's "dpu_ha" thread runs this (in independent mode, one
     * datapath per DPU): 'told' is shared, under 'told_mutex', which is not
     * held while a DPU is told. */
    static struct ovs_mutex told_mutex = OVS_MUTEX_INITIALIZER;
    static struct shash told OVS_GUARDED_BY(told_mutex)
        = SHASH_INITIALIZER(&told);

    for (size_t i = 0; i < n; i++) {
        const char *name = dpu_conn_get_name(conns[i]);
        bool explicit_drop, lb_output;
        uint64_t *told_session;
        ovs_u128 boot_id;
        uint64_t session = dpu_conn_get_session(conns[i], &boot_id);
        bool tell;

        ovs_mutex_lock(&told_mutex);
        told_session = shash_find_data(&told, name);
        tell = !told_session || *told_session != session;
        ovs_mutex_unlock(&told_mutex);

        if (tell && dpu_conn_is_up(conns[i])
            && dpu_conn_get_caps(conns[i], &explicit_drop, &lb_output)
               & DPU_CAP_HA
            && !send_role(conns[i], DPU_ROLE_ACTIVE, 0, 0, NULL, NULL,
                          NULL, NULL)) {
            ovs_mutex_lock(&told_mutex);
            told_session = shash_find_data(&told, name);
            if (!told_session) {
                told_session = xmalloc(sizeof *told_session);
                shash_add(&told, name, told_session);
            }
            *told_session = session;
            ovs_mutex_unlock(&told_mutex);
        }
    }
}

/* Decides the roles: keeps the active DPU while it is up; fails over to a
 * ready standby when the active goes down or reports a fatal error; sends
 * every DPU whose role changed, or that came up again, its role, again
 * whenever 'ports_seq' (which changes with the datapath's ports) differs
 * from '*last_ports_seq', the datapath's value at its last run.
 * Outside active-standby mode, tells every DPU once per session that it
 * is active.  Runs in a datapath's "dpu_ha" thread (see dpu_ha_dp_run()),
 * which gives the callbacks and 'aux'. */
static void
dpu_ha_run(dpu_ha_ready_cb *ready, dpu_ha_uplinks_cb *uplinks,
           uint64_t ports_seq, uint64_t *last_ports_seq, void *aux)
    OVS_EXCLUDED(ha_mutex)
{
    struct dpu_conn **conns;
    size_t n = dpu_conn_get_all(&conns);
    struct dpu_ha_snap pair[2];
    enum dpu_role roles[2] = { DPU_ROLE_STANDBY, DPU_ROLE_STANDBY };
    uint64_t retell_seqs[2] = { 0, 0 };
    bool tell[2] = { false, false };
    uint32_t leases[2] = { 0, 0 };
    bool planned, failed_over;
    long long int start = time_msec();
    uint64_t n_failovers;

    if (dpu_ha_get_mode() != DPU_HA_ACTIVE_STANDBY) {
        tell_all_active(conns, n);
        for (size_t i = 0; i < n; i++) {
            dpu_conn_unref(conns[i]);
        }
        free(conns);
        return;
    }

    /* The pair is the first two DPUs by name.  What the decisions below
     * need from their connections is read now, before taking 'ha_mutex'. */
    for (int i = 0; i < 2; i++) {
        snap_take(&pair[i], i < n ? conns[i] : NULL, ready, aux);
    }
    for (size_t i = 2; i < n; i++) {
        static struct vlog_rate_limit third_rl = VLOG_RATE_LIMIT_INIT(1, 5);

        VLOG_WARN_RL(&third_rl, "DPU %s is not used: an active-standby "
                     "pair has two DPUs, %s and %s",
                     dpu_conn_get_name(conns[i]), pair[0].name,
                     pair[1].name);
        dpu_conn_unref(conns[i]);
    }
    free(conns);

    ovs_mutex_lock(&ha_mutex);
    if (ha_mode != DPU_HA_ACTIVE_STANDBY) {
        /* Changed meanwhile; the next run handles it. */
        ovs_mutex_unlock(&ha_mutex);
        for (int i = 0; i < 2; i++) {
            snap_destroy(&pair[i]);
        }
        return;
    }

    update_members(pair);
    n_failovers = ha_n_failovers;
    planned = decide_active(pair);
    failed_over = ha_n_failovers != n_failovers;

    /* Who needs to hear its role: every DPU that is up and supports roles,
     * once per session and whenever its role changes. */
    for (int i = 0; i < 2; i++) {
        struct dpu_ha_member *m = &ha_members[i];

        if (!pair[i].conn || !pair[i].up || !(pair[i].caps & DPU_CAP_HA)) {
            continue;
        }
        roles[i] = i == ha_active ? DPU_ROLE_ACTIVE : DPU_ROLE_STANDBY;
        retell_seqs[i] = m->retell_seq;
        if (m->told_session != pair[i].session || m->told_role != roles[i]
            || m->told_retell_seq != m->retell_seq
            || ports_seq != *last_ports_seq) {
            tell[i] = true;
            leases[i] = roles[i] == DPU_ROLE_ACTIVE ? lease_for(&pair[i]) : 0;
        }
    }
    *last_ports_seq = ports_seq;
    ovs_mutex_unlock(&ha_mutex);

    /* Standby first, so that two DPUs never forward at once.  In a planned
     * failover, the old active DPU hands over: it says what it forwarded
     * last from each VM, which the new one then does not forward again, and
     * goes on delivering what the network sends it until the network has
     * learned the new one's announcements (see "Handover" in
     * dpu-protocol.rst). */
    struct dpu_ha_handover *handover = NULL;
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < 2; i++) {
            enum dpu_role want = pass ? DPU_ROLE_ACTIVE : DPU_ROLE_STANDBY;
            bool hand_over = planned && want == DPU_ROLE_STANDBY;

            if (tell[i] && roles[i] == want
                && !send_role(pair[i].conn, roles[i], leases[i],
                              hand_over ? DPU_HA_DRAIN_MS : 0,
                              pass ? handover : NULL,
                              hand_over ? &handover : NULL, uplinks, aux)) {
                /* If the DPU came back in a new session meanwhile, the
                 * session differs at the next run and it is told again. */
                ovs_mutex_lock(&ha_mutex);
                ha_members[i].told_session = pair[i].session;
                ha_members[i].told_role = roles[i];
                ha_members[i].told_retell_seq = retell_seqs[i];
                ovs_mutex_unlock(&ha_mutex);
            }
        }
    }
    dpu_ha_handover_destroy(handover);
    if (planned) {
        ovs_mutex_lock(&ha_mutex);
        ha_last.duration_ms = time_msec() - start;
        ovs_mutex_unlock(&ha_mutex);
    }
    if (failed_over) {
        raise_failover_alarm();
    }
    for (int i = 0; i < 2; i++) {
        snap_destroy(&pair[i]);
    }
}

void
dpu_ha_set_links_down(const struct dpu_conn *conn, bool down)
{
    ovs_mutex_lock(&ha_mutex);
    int i = member_index(dpu_conn_get_name(conn));
    if (i >= 0 && ha_members[i].links_down != down) {
        ha_members[i].links_down = down;
        if (down) {
            VLOG_WARN("DPU %s: every uplink lost its link", ha_members[i].name);
        } else {
            VLOG_INFO("DPU %s: uplinks up again", ha_members[i].name);
        }
    }
    ovs_mutex_unlock(&ha_mutex);
}

/* Asks for a planned failover to the standby DPU ('to', if nonnull, must
 * name it), done by the next dpu_ha_run() if the standby is ready.
 * Returns NULL, or a malloc()ed error message. */
static char *
dpu_ha_request_failover(const char *to)
{
    char *error = NULL;
    int i;

    ovs_mutex_lock(&ha_mutex);
    if (ha_mode != DPU_HA_ACTIVE_STANDBY) {
        error = xstrdup("not in active-standby mode (see Open_vSwitch "
                        "other_config:dpu-mode)");
    } else if (ha_active < 0) {
        error = xstrdup("no DPU of the pair is active yet");
    } else if (to && (i = member_index(to)) < 0) {
        error = xasprintf("%s is not a DPU of the pair", to);
    } else if (to && i == ha_active) {
        error = xasprintf("%s is already the active DPU", to);
    } else {
        ha_request = !ha_active;
    }
    ovs_mutex_unlock(&ha_mutex);
    return error;
}

static void
dpu_ha_unixctl_failover(struct unixctl_conn *conn, int argc,
                        const char *argv[], void *aux OVS_UNUSED)
{
    char *error = dpu_ha_request_failover(argc > 1 ? argv[1] : NULL);

    if (error) {
        unixctl_command_reply_error(conn, error);
        free(error);
    } else {
        seq_change(dpu_conn_seq());
        unixctl_command_reply(conn, "failover requested");
    }
}

void
dpu_ha_init(void)
{
    unixctl_command_register("dpif-dpu/failover", "[dpu]", 0, 1,
                             dpu_ha_unixctl_failover, NULL);
}

/* The HA control of a datapath. */

/* Forgets the pair's roles, as at ovs-vswitchd's start, once no datapath
 * keeps them up to date: a pair that backs a datapath again later, perhaps
 * with new DPUs under the same names, starts afresh instead of from roles
 * and sessions that no longer mean anything. */
static void
dpu_ha_forget_roles(void)
    OVS_REQUIRES(ha_mutex)
{
    ha_active = -1;
    ha_request = -1;
    ha_ready_known = false;
    for (int i = 0; i < ARRAY_SIZE(ha_members); i++) {
        member_set_name(&ha_members[i], NULL);
    }
}

/* How often a "dpu_ha" thread runs without being woken. */
#define DPU_HA_INTERVAL_MS 100

struct dpu_ha_dp {
    const struct dpu_ha_dp_class *class;
    void *aux;

    /* Port changes held back until the thread decided whether to fail
     * over: the names of datapath ports.  'mutex' comes last in the lock
     * order: it is taken with the datapath's locks held, and nothing is
     * called with it held. */
    struct ovs_mutex mutex;
    struct sset held_changes OVS_GUARDED;

    /* Only the "dpu_ha" thread uses these. */
    struct dpu_uplinks *uplinks;
    struct dpu_conn *active;        /* The active DPU at the last run, or
                                     * NULL.  Holds a reference, so that a
                                     * new connection never has its address
                                     * and passes for it. */
    uint64_t last_ports_seq;        /* The datapath's port sequence
                                     * number at the last run. */

    pthread_t thread;
    struct latch exit;
};

/* Tells the host's netdevs of the changes in 'changes', which
 * dpu_ha_dp_hold_change() held back, and empties it. */
static void
release_changes(struct sset *changes)
{
    const char *name;

    SSET_FOR_EACH (name, changes) {
        netdev_dpu_port_changed(name);
    }
    sset_clear(changes);
}

/* dpu_ha_ready_cb for 'ha_'. */
static bool
dpu_ha_dp_is_ready(struct dpu_conn *conn, void *ha_)
{
    struct dpu_ha_dp *ha = ha_;

    return ha->class->is_ready(conn, ha->aux);
}

/* dpu_ha_uplinks_cb for 'ha_': the uplinks of the pair that live on
 * 'conn'. */
static void
dpu_ha_dp_put_uplinks(struct dpu_conn *conn, struct dpu_role_request *rq,
                      void *ha_)
{
    struct dpu_ha_dp *ha = ha_;
    struct dpu_uplink_port *ports;
    size_t n = ha->class->get_ports(ha->aux, &ports);

    for (size_t i = 0; i < n; i++) {
        if (ports[i].pair_uplink && ports[i].conn == conn) {
            if (rq->n_uplinks >= DPU_MAX_UPLINKS) {
                VLOG_WARN_RL(&rl, "DPU %s: more than %d uplinks, the rest "
                             "left out", dpu_conn_get_name(conn),
                             DPU_MAX_UPLINKS);
                break;
            }
            rq->uplinks[rq->n_uplinks++] = ports[i].port_no;
        }
    }
    dpu_uplink_ports_free(ports, n);
}

/* One run of the "dpu_ha" thread of 'ha': see dpu-ha.h.
 *
 * When an uplink of the active DPU loses its link, the host's netdev (and
 * so a bond over the uplinks) hears of it only after this decided: if the
 * DPU lost all of its uplinks, after the failover, so that the host reads
 * the link of the partner's device, which did not go down; otherwise at
 * once. */
static void
dpu_ha_dp_run(struct dpu_ha_dp *ha)
{
    struct sset held = SSET_INITIALIZER(&held);
    struct dpu_conn *active;

    /* The changes held until now: the links read below include them.  Those
     * held meanwhile wait for the next run, which their events cause. */
    ovs_mutex_lock(&ha->mutex);
    sset_swap(&held, &ha->held_changes);
    ovs_mutex_unlock(&ha->mutex);

    if (!dpu_uplinks_run(ha->uplinks, ha->class->get_ports, ha->aux)) {
        release_changes(&held);
    }
    dpu_ha_run(dpu_ha_dp_is_ready, dpu_ha_dp_put_uplinks,
               ha->class->get_port_seq(ha->aux), &ha->last_ports_seq, ha);
    dpu_ct_sync_run();

    active = dpu_ha_ref_active();
    if (active != ha->active) {
        dpu_conn_unref(ha->active);
        ha->active = active;
        ha->class->active_changed(ha->aux);
    } else {
        dpu_conn_unref(active);
    }

    release_changes(&held);
    sset_destroy(&held);
}

/* The "dpu_ha" thread of 'ha_': runs dpu_ha_dp_run() whenever a DPU comes
 * up, goes down, or reports an event or a port change, and every
 * DPU_HA_INTERVAL_MS. */
static void *
dpu_ha_dp_thread(void *ha_)
{
    struct dpu_ha_dp *ha = ha_;

    while (!latch_is_set(&ha->exit)) {
        uint64_t seq = seq_read(dpu_conn_seq());

        dpu_ha_dp_run(ha);
        seq_wait(dpu_conn_seq(), seq);
        latch_wait(&ha->exit);
        poll_timer_wait(DPU_HA_INTERVAL_MS);
        poll_block();
    }
    return NULL;
}

struct dpu_ha_dp *
dpu_ha_dp_create(const struct dpu_ha_dp_class *class, void *aux)
{
    struct dpu_ha_dp *ha = xzalloc(sizeof *ha);

    ha->class = class;
    ha->aux = aux;
    ovs_mutex_init(&ha->mutex);
    sset_init(&ha->held_changes);
    ha->uplinks = dpu_uplinks_create();
    latch_init(&ha->exit);
    ovs_mutex_lock(&ha_mutex);
    ha_n_dps++;
    ovs_mutex_unlock(&ha_mutex);
    ha->thread = ovs_thread_create("dpu_ha", dpu_ha_dp_thread, ha);
    return ha;
}

void
dpu_ha_dp_destroy(struct dpu_ha_dp *ha)
{
    if (!ha) {
        return;
    }
    latch_set(&ha->exit);
    xpthread_join(ha->thread, NULL);
    latch_destroy(&ha->exit);
    ovs_mutex_lock(&ha_mutex);
    if (!--ha_n_dps) {
        dpu_ha_forget_roles();
    }
    ovs_mutex_unlock(&ha_mutex);
    status_changed();
    dpu_uplinks_destroy(ha->uplinks);
    dpu_conn_unref(ha->active);
    sset_destroy(&ha->held_changes);
    ovs_mutex_destroy(&ha->mutex);
    free(ha);
}

void
dpu_ha_dp_ports_changed(struct dpu_ha_dp *ha)
{
    dpu_uplinks_changed(ha->uplinks);
}

void
dpu_ha_dp_hold_change(struct dpu_ha_dp *ha, const char *port)
{
    ovs_mutex_lock(&ha->mutex);
    sset_add(&ha->held_changes, port);
    ovs_mutex_unlock(&ha->mutex);
}

/* Status. */

void
dpu_ha_get_status(const struct dpu_conn *conn, struct smap *status)
    OVS_EXCLUDED(ha_mutex)
{
    ovs_u128 boot_id;
    uint64_t session = dpu_conn_get_session(conn, &boot_id);

    ovs_mutex_lock(&ha_mutex);
    if (ha_mode == DPU_HA_INDEPENDENT || ha_mode == DPU_HA_NONE) {
        smap_add(status, "role", ha_mode == DPU_HA_INDEPENDENT
                 ? "independent" : "single");
    } else {
        int i = member_index(dpu_conn_get_name(conn));
        const struct dpu_ha_member *m = i >= 0 ? &ha_members[i] : NULL;

        if (!m) {
            smap_add(status, "role", "unused");
        } else if (m->refused) {
            smap_add(status, "role", "refused");
            smap_replace(status, "error", m->refused_why);
        } else {
            smap_add(status, "role", i == ha_active ? "active" : "standby");
        }
        if (m && m->fatal_session && m->fatal_session == session) {
            smap_replace(status, "state", "failed");
            smap_replace(status, "error", m->fatal_why);
        } else if (m && session && ha_ready_known
                   && m->ready_session != session) {
            /* Up, but not yet holding every port and flow: it could not
             * take over yet. */
            smap_replace(status, "state", "recovering");
        }
        smap_add_format(status, "failovers", "%"PRIu64, ha_n_failovers);
        if (ha_last.cause) {
            char *when = xastrftime_msec("%Y-%m-%dT%H:%M:%S.###Z",
                                         ha_last.wall, true);

            smap_add_format(status, "last_failover",
                            "%s cause=%s from=%s to=%s duration_ms=%lld",
                            when, ha_last.cause, ha_last.from, ha_last.to,
                            ha_last.duration_ms);
            free(when);
        }
    }
    ovs_mutex_unlock(&ha_mutex);
    dpu_ct_sync_get_status(conn, status);
}

void
dpu_ha_format(struct ds *s)
{
    ovs_mutex_lock(&ha_mutex);
    ds_put_format(s, "mode: %s", dpu_ha_mode_to_string(ha_mode));
    if (ha_mode == DPU_HA_ACTIVE_STANDBY) {
        ds_put_format(s, ", active %s, failback %s, failovers %"PRIu64,
                      ha_active >= 0 ? ha_members[ha_active].name : "(none)",
                      ha_failback ? "on" : "off", ha_n_failovers);
        if (ha_last.cause) {
            ds_put_format(s, "\n  last failover: %s from %s to %s in "
                          "%lld ms", ha_last.cause, ha_last.from,
                          ha_last.to, ha_last.duration_ms);
        }
    }
    ds_put_char(s, '\n');
    ovs_mutex_unlock(&ha_mutex);
}
