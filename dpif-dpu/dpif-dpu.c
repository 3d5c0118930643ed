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

/* dpif-dpu: a datapath whose fast path runs on DPUs.
 *
 * ofproto-dpif sees an ordinary datapath.  Every port of it lives on one
 * DPU (chosen by the port's options:dpu, see netdev-dpu.h), and every flow
 * lives on the DPU of its in_port.  Requests travel over the DPU's
 * connection (dpu-conn.h) in the protocol of dpu-wire.h; misses and
 * userspace() actions come back as upcalls, which handler threads receive
 * through dpif_recv() exactly as with the Linux kernel datapath.
 *
 * The host keeps its own copy of every port and flow it installed (the
 * "shadow" tables below).  When a DPU reconnects, dpif_dpu_run() re-adds the
 * ports and re-puts the flows, so that a restarted DPU agent is back in
 * service without a restart of ovs-vswitchd and without waiting for new
 * upcalls.  Flow statistics from a DPU's earlier boots are kept in the
 * shadow and added to what the DPU reports, so they never go backwards.
 * Meters and the conntrack limit are kept and re-installed the same way;
 * meter statistics and conntrack entries are the DPU's own and start again
 * from nothing when it restarts.
 *
 * With an active-standby pair of DPUs (dpu-ha.h), ports and flows go to
 * both DPUs.  Which one forwards is for the HA control that this provider
 * starts for each datapath (struct dpu_ha_dp), which calls back for the
 * datapath's ports and readiness. */

#include <config.h>

#include <errno.h>

#include "coverage.h"
#include "ct-dpif.h"
#include "dp-packet.h"
#include "dpif-dpu.h"
#include "dpif-dpu-crash-point.h"
#include "dpif-dpu-private.h"
#include "dpif-provider.h"
#include "dpu-alarm.h"
#include "dpu-conn.h"
#include "dpu-ct-sync.h"
#include "dpu-ha.h"
#include "dpu-ipfix.h"
#include "dpu-metrics.h"
#include "dpu-codec.h"
#include "dpu-route.h"
#include "dpu-uplink.h"
#include "flow.h"
#include "guarded-list.h"
#include "hash.h"
#include "netdev.h"
#include "netdev-provider.h"
#include "netdev-dpu.h"
#include "netdev-vport.h"
#include "netlink.h"
#include "odp-util.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "openvswitch/list.h"
#include "openvswitch/ofp-meter.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "ovs-thread.h"
#include "packets.h"
#include "seq.h"
#include "smap.h"
#include "sset.h"
#include "timeval.h"
#include "tnl-neigh-cache.h"
#include "tnl-ports.h"
#include "unixctl.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(dpif_dpu);

COVERAGE_DEFINE(dpif_dpu_upcall);           /* Upcall queued to a handler. */
COVERAGE_DEFINE(dpif_dpu_upcall_lost);      /* Handler queue full. */
COVERAGE_DEFINE(dpif_dpu_upcall_bad);       /* Malformed upcall from DPU. */
COVERAGE_DEFINE(dpif_dpu_resync);           /* Re-synced a DPU. */
COVERAGE_DEFINE(dpif_dpu_resync_unknown_flow); /* Deleted from a DPU. */
COVERAGE_DEFINE(dpif_dpu_op_deferred);      /* Flow op kept for re-sync. */
COVERAGE_DEFINE(dpif_dpu_execute_dropped);  /* Execute while DPU down. */
COVERAGE_DEFINE(dpif_dpu_op_copied);        /* Flow ops copied to standby. */
COVERAGE_DEFINE(dpif_dpu_upcall_standby);   /* Upcall from a standby DPU. */
COVERAGE_DEFINE(dpif_dpu_bad_health);       /* Malformed health event. */
COVERAGE_DEFINE(dpif_dpu_tnl_revalidate);   /* Routes or neighbours changed. */

/* Rate limits of the warnings below, one for each class of them, so that a
 * storm of one class (malformed upcalls from a DPU in trouble) does not hide
 * another (a re-sync that failed). */

/* Malformed upcalls: a DPU that sends one probably sends one for every
 * packet that it misses, as fast as packets arrive.  The first few name the
 * DPU; 'dpif_dpu_upcall_bad' counts them all. */
static struct vlog_rate_limit upcall_rl = VLOG_RATE_LIMIT_INIT(1, 5);

/* Malformed health events: a DPU sends one whenever an alert changes, so a
 * DPU that gets them wrong repeats its fault with every reading of a sensor.
 * The first few give the cause; 'dpif_dpu_bad_health' counts them all. */
static struct vlog_rate_limit health_rl = VLOG_RATE_LIMIT_INIT(1, 5);

/* Re-sync failures: a re-sync runs once per session of a DPU, and its
 * failures come in one burst, a line for each port or batch of flows that
 * did not make it; the burst shows a whole re-sync of a datapath of modest
 * size, the rate a DPU that reconnects over and over. */
static struct vlog_rate_limit resync_rl = VLOG_RATE_LIMIT_INIT(5, 20);

/* Flow operations that a DPU failed or left unanswered: they come at the
 * pace of upcalls, so a DPU in trouble fails batch after batch.  A few lines
 * a minute say which DPU fails and why. */
static struct vlog_rate_limit flow_rl = VLOG_RATE_LIMIT_INIT(5, 20);

/* Configuration refused by the host or by a DPU (the datapath's
 * other_config, ports, meters): it follows what an operator does, and
 * ovs-vswitchd retries a refused port at every reconfiguration.  The burst
 * shows every refusal of a batch of changes, the rate a refusal that
 * persists. */
static struct vlog_rate_limit config_rl = VLOG_RATE_LIMIT_INIT(5, 20);

/* Dumps and reads of a DPU's state (flows, conntrack entries, timeout
 * policies) that fail or hold malformed entries: revalidators dump twice a
 * second, and a malformed dump logs for each entry, so the same fault
 * repeats many times a second.  A few lines name the DPU and the dump. */
static struct vlog_rate_limit dump_rl = VLOG_RATE_LIMIT_INIT(1, 5);

/* How long dpif_dpu_open() waits for a DPU to answer, so that ofproto-dpif's
 * feature probes, which run right after, reach a real datapath. */
#define DPIF_DPU_OPEN_WAIT_MS 5000

/* Most upcalls queued for one handler thread before more are dropped. */
#define DPIF_DPU_MAX_QUEUED_UPCALLS 4096

/* A port of the datapath. */
struct dp_dpu_port {
    struct hmap_node node;      /* In dp_dpu's 'ports', by port_no. */
    odp_port_t port_no;
    char *name;
    char *type;                 /* Host netdev type: "dpu"/"dpu-internal",
                                 * or a tunnel type such as "vxlan". */
    char *dpu_type;             /* Type on the DPU, "" for its default. */
    struct smap tnl_options;    /* A tunnel port's configuration, for the
                                 * DPU's device of it; empty otherwise. */
    struct dpu_conn *conn;      /* The DPU that carries it. */

    /* In an active-standby pair (see dpu-ha.h), a port on both DPUs: the
     * other DPU, and the name of the port's device there ('name' for a
     * port without options:dpu, options:dpu-peer for an uplink).  NULL
     * otherwise. */
    struct dpu_conn *conn2;
    char *dev2;
    bool uplink;                /* An uplink with options:dpu-peer: its
                                 * carrier decides failovers. */
};

/* Statistics of a flow last seen on one DPU, in its current boot. */
struct dp_dpu_flow_src {
    const struct dpu_conn *conn;    /* Not a reference, NULL if unused. */
    struct dpif_flow_stats last;
};

/* A flow installed through this datapath.
 *
 * Its statistics are 'base', from DPUs' earlier boots, plus what each DPU
 * counted in its current boot.  In an active-standby pair the flow is on
 * both DPUs, and only the one that forwards counts, so the sum is right
 * across failovers in either direction. */
struct dp_dpu_flow {
    struct hmap_node node;      /* In dp_dpu's 'flows', by ufid. */
    ovs_u128 ufid;
    struct dpu_conn *conn;      /* Not a reference: see dp_dpu_member. */
    struct nlattr *key, *mask, *actions;   /* One malloc()ed block. */
    size_t key_len, mask_len, actions_len;
    struct dpif_flow_stats base;    /* From DPUs' earlier boots. */
    struct dp_dpu_flow_src src[2];  /* Last seen from current boots. */
};

/* What the datapath knows about one of its DPUs. */
struct dp_dpu_member {
    struct dpu_conn *conn;      /* Reference held. */
    uint64_t synced_session;    /* Session last re-synced, 0 if none. */
    ovs_u128 boot_id;           /* Boot id at that re-sync. */
    bool adopted;               /* Ports found on the DPU were adopted. */
    bool up;                    /* DPU seen up by the last dp_dpu_run(). */
    struct dpif_dp_stats base;  /* Datapath stats from earlier boots. */
    struct dpif_dp_stats last;
};

struct dp_dpu_handler {
    struct guarded_list queue;  /* struct dp_dpu_upcall. */
    struct seq *seq;            /* Changes when 'queue' gets an upcall. */
};

struct dp_dpu_upcall {
    struct ovs_list list_node;
    struct ofpbuf *buf;         /* A copy of the DPU_ATTR_UPCALL attribute. */
};

/* Ids of flow and conntrack dumps, one namespace on each connection. */
static atomic_count next_dump_id = ATOMIC_COUNT_INIT(1);

uint32_t
dp_dpu_next_dump_id(void)
{
    return atomic_count_inc(&next_dump_id);
}

static struct ovs_mutex dp_dpu_mutex = OVS_MUTEX_INITIALIZER;
static struct shash dp_dpus OVS_GUARDED_BY(dp_dpu_mutex)
    = SHASH_INITIALIZER(&dp_dpus);

/* The host's Open_vSwitch:other_config, for every DPU. */
static struct ovs_mutex dp_config_mutex = OVS_MUTEX_INITIALIZER;
static struct smap dp_config OVS_GUARDED_BY(dp_config_mutex)
    = SMAP_INITIALIZER(&dp_config);

static void dp_dpu_async_cb(struct dpu_conn *, const struct ofpbuf *,
                            const struct dpu_msg *, void *aux);
static const struct dpu_ha_dp_class dp_dpu_ha_class;
static bool dpif_dpu_run(struct dpif *);
static void dpif_dpu_unixctl_alarms(struct unixctl_conn *, int argc,
                                    const char *argv[], void *aux);
static void dpif_dpu_unixctl_show(struct unixctl_conn *, int argc,
                                  const char *argv[], void *aux);

static struct dpif_dpu *
dpif_dpu_cast(const struct dpif *dpif)
{
    ovs_assert(dpif->dpif_class->open == dpif_dpu_class.open);
    return CONTAINER_OF(dpif, struct dpif_dpu, dpif);
}

struct dp_dpu *
dp_dpu_from_dpif(const struct dpif *dpif)
{
    return dpif_dpu_cast(dpif)->dp;
}

/* Helpers: requests. */

struct ofpbuf *
dp_dpu_request_start(enum dpu_msg_type type)
{
    struct ofpbuf *b = ofpbuf_new(256);

    dpu_msg_start(b, type, 0, 0);
    return b;
}

/* Sends 'b' (finishing it first) to 'conn' and waits for the reply, which is
 * stored in '*replyp' and '*msg' if those are nonnull.  Returns 0 or a
 * positive errno value (see dpu_conn_transact()). */
int
dp_dpu_transact(struct dpu_conn *conn, struct ofpbuf *b, struct ofpbuf **replyp,
         struct dpu_msg *msg)
{
    struct ofpbuf *reply;
    struct dpu_msg dummy;
    int error;

    dpu_msg_finish(b);
    error = dpu_conn_transact(conn, b, 0, &reply, msg ? msg : &dummy);
    if (replyp) {
        *replyp = reply;
    } else {
        ofpbuf_delete(reply);
    }
    return error;
}

/* Returns true if 'conn' is up and announced capability 'cap' (DPU_CAP_*)
 * in its HELLO. */
bool
dp_dpu_conn_has_cap_up(const struct dpu_conn *conn, uint32_t cap)
{
    bool explicit_drop, lb_output;

    return (dpu_conn_is_up(conn)
            && dpu_conn_get_caps(conn, &explicit_drop, &lb_output) & cap);
}

uint32_t
dp_dpu_get_features(bool *explicit_drop, bool *lb_output)
{
    struct dpu_conn **conns;
    size_t n = dpu_conn_get_all(&conns);
    uint32_t caps = UINT32_MAX;
    bool any = false;

    *explicit_drop = *lb_output = true;
    for (size_t i = 0; i < n; i++) {
        if (dpu_conn_is_up(conns[i])) {
            bool drop, lb;

            caps &= dpu_conn_get_caps(conns[i], &drop, &lb);
            *explicit_drop = *explicit_drop && drop;
            *lb_output = *lb_output && lb;
            any = true;
        }
        dpu_conn_unref(conns[i]);
    }
    free(conns);
    if (!any) {
        *explicit_drop = *lb_output = false;
        return 0;
    }
    return caps;
}

/* Sends a copy of 'request' to every DPU that serves it, and waits for the
 * replies: every DPU for which 'serves' returns true, or without 'serves'
 * every DPU, or, if the request needs a capability (see dpu_msg_info()),
 * every DPU that is up and announced it.  A DPU that is down is skipped: it
 * gets the change at its re-sync.  Passes each successful reply to
 * 'reply_cb', if nonnull, with 'aux'.  Returns 0 if no DPU failed,
 * otherwise the first failure's positive errno value. */
int
dp_dpu_transact_each(const struct ofpbuf *request,
                     bool (*serves)(const struct dpu_conn *),
                     void (*reply_cb)(const struct dpu_msg *, void *aux),
                     void *aux)
{
    const struct dpu_header *h = request->data;
    uint32_t cap = dpu_msg_info(h->type)->cap;
    struct dpu_conn **conns;
    size_t n = dpu_conn_get_all(&conns);
    int error = 0;

    for (size_t i = 0; i < n; i++) {
        if (serves
            ? serves(conns[i])
            : !cap || dp_dpu_conn_has_cap_up(conns[i], cap)) {
            struct ofpbuf *reply = NULL;
            struct dpu_msg msg;
            int retval;

            retval = dp_dpu_transact(conns[i], ofpbuf_clone(request), &reply,
                                     &msg);
            if (!retval && reply_cb) {
                reply_cb(&msg, aux);
            }
            if (retval && retval != ENOTCONN && !error) {
                error = retval;
            }
            ofpbuf_delete(reply);
        }
        dpu_conn_unref(conns[i]);
    }
    free(conns);
    return error;
}

int
dp_dpu_transact_all(const struct ofpbuf *request)
{
    return dp_dpu_transact_each(request, NULL, NULL, NULL);
}

/* Helpers: ports. */

static struct dp_dpu_port *
dp_dpu_lookup_port(const struct dp_dpu *dp, odp_port_t port_no)
    OVS_REQUIRES(dp->mutex)
{
    struct dp_dpu_port *port;

    HMAP_FOR_EACH_WITH_HASH (port, node, hash_int(odp_to_u32(port_no), 0),
                             &dp->ports) {
        if (port->port_no == port_no) {
            return port;
        }
    }
    return NULL;
}

static struct dp_dpu_port *
dp_dpu_lookup_port_by_name(const struct dp_dpu *dp, const char *name)
    OVS_REQUIRES(dp->mutex)
{
    struct dp_dpu_port *port;

    HMAP_FOR_EACH (port, node, &dp->ports) {
        if (!strcmp(port->name, name)) {
            return port;
        }
    }
    return NULL;
}

static struct dp_dpu_member *
dp_dpu_get_member(struct dp_dpu *dp, struct dpu_conn *conn)
    OVS_REQUIRES(dp->mutex)
{
    const char *name = dpu_conn_get_name(conn);
    struct dp_dpu_member *m = shash_find_data(&dp->members, name);

    if (!m) {
        m = xzalloc(sizeof *m);
        m->conn = dpu_conn_ref_existing(conn);
        shash_add(&dp->members, name, m);
    }
    return m;
}

/* Whether 'port' lives on 'conn' and, if so, the name of its device there
 * in '*devp' (if nonnull). */
static bool
dp_dpu_port_on(const struct dp_dpu_port *port, const struct dpu_conn *conn,
               const char **devp)
{
    if (port->conn == conn || (port->conn2 && port->conn2 == conn)) {
        if (devp) {
            *devp = port->conn == conn ? port->name : port->dev2;
        }
        return true;
    }
    return false;
}

/* Whether 'a' and 'b' are the two DPUs of 'pair', the active-standby pair
 * as dpu_ha_get_pair() gave it. */
static bool
dp_dpu_is_partner(struct dpu_conn *const pair[2], const struct dpu_conn *a,
                  const struct dpu_conn *b)
{
    return (a && b && a != b && pair[0] && pair[1]
            && (a == pair[0] || a == pair[1])
            && (b == pair[0] || b == pair[1]));
}

/* Whether 'flow' lives on 'conn': the DPU or DPUs of its in_port, or, for
 * an in_port that the datapath does not know, the DPU it was put on. */
static bool
dp_dpu_flow_lives_on(const struct dp_dpu *dp, const struct dp_dpu_flow *flow,
                     const struct dpu_conn *conn)
    OVS_REQUIRES(dp->mutex)
{
    const struct nlattr *nla = nl_attr_find__(flow->key, flow->key_len,
                                              OVS_KEY_ATTR_IN_PORT);
    const struct dp_dpu_port *port
        = nla ? dp_dpu_lookup_port(dp, nl_attr_get_odp_port(nla)) : NULL;

    return port ? dp_dpu_port_on(port, conn, NULL) : flow->conn == conn;
}

/* Stores in 'conns' new references to the DPUs that a flow with 'in_port'
 * goes to, and returns how many (0 to 2).  conns[0] is the DPU whose answer
 * counts: the DPU of the port or, for a port on both DPUs of an
 * active-standby pair, the active one (if it is up); conns[1], if any, the
 * other one, which gets a copy of every flow put and delete.  A port the
 * datapath does not know (ofproto-dpif's feature probes use such) goes to
 * the active DPU, or the first DPU that is up. */
static size_t
dp_dpu_conns_for_port(struct dp_dpu *dp, odp_port_t in_port,
                      struct dpu_conn *conns[2])
    OVS_EXCLUDED(dp->mutex)
{
    struct dp_dpu_port *port;
    size_t n = 0;

    ovs_mutex_lock(&dp->mutex);
    port = dp_dpu_lookup_port(dp, in_port);
    if (port) {
        conns[n++] = dpu_conn_ref_existing(port->conn);
        if (port->conn2) {
            conns[n++] = dpu_conn_ref_existing(port->conn2);
            if ((dpu_ha_is_active(conns[1]) && dpu_conn_is_up(conns[1]))
                || (!dpu_conn_is_up(conns[0]) && dpu_conn_is_up(conns[1]))) {
                struct dpu_conn *tmp = conns[0];

                conns[0] = conns[1];
                conns[1] = tmp;
            }
        }
    }
    ovs_mutex_unlock(&dp->mutex);

    if (!n) {
        struct dpu_conn *active = dpu_ha_ref_active();

        if (active && dpu_conn_is_up(active)) {
            conns[n++] = active;
        } else {
            struct dpu_conn **all;
            size_t n_all = dpu_conn_get_all(&all);

            dpu_conn_unref(active);
            for (size_t i = 0; i < n_all; i++) {
                if (!n && dpu_conn_is_up(all[i])
                    && dpu_ha_is_usable(all[i])) {
                    conns[n++] = all[i];
                } else {
                    dpu_conn_unref(all[i]);
                }
            }
            free(all);
        }
    }
    return n;
}

static odp_port_t
key_in_port(const struct nlattr *key, size_t key_len)
{
    const struct nlattr *nla = nl_attr_find__(key, key_len,
                                              OVS_KEY_ATTR_IN_PORT);
    return nla ? nl_attr_get_odp_port(nla) : ODPP_NONE;
}

static const char *
host_type_for_dpu_type(const char *dpu_type)
{
    return (!strcmp(dpu_type, "internal") || !strcmp(dpu_type, "tap")
            || !strcmp(dpu_type, "dummy-internal")
            ? "dpu-internal" : "dpu");
}

/* Sends the host's Open_vSwitch:other_config, as last given to
 * dpif_dpu_set_config(), to 'conn'.  The DPU's datapath must parse flow
 * keys as the host does (other_config:vlan-limit, for one). */
static void
send_dp_config(struct dpu_conn *conn)
{
    struct ofpbuf *b = dp_dpu_request_start(DPU_MSG_DP_SET_CONFIG);
    int error;

    ovs_mutex_lock(&dp_config_mutex);
    dpu_put_smap(b, DPU_ATTR_CONFIG, &dp_config);
    ovs_mutex_unlock(&dp_config_mutex);
    error = dp_dpu_transact(conn, b, NULL, NULL);
    if (error && error != ENOTCONN) {
        VLOG_WARN_RL(&config_rl,
                     "%s: DPU refused the datapath configuration (%s)",
                     dpu_conn_get_name(conn), ovs_strerror(error));
    }
}

/* Adds port 'name' to the DPU behind 'conn' with the host's 'port_no', as
 * device 'dev' there, with its netdev options (for a tunnel port,
 * 'tnl_options') and what the host asked of its device.  Returns 0 or a
 * positive errno value (ENOTCONN if the DPU is down). */
static int
port_add_on_dpu(struct dpu_conn *conn, odp_port_t port_no, const char *name,
                const char *dev, const char *host_type, const char *dpu_type,
                const struct smap *tnl_options)
{
    struct ofpbuf *b = dp_dpu_request_start(DPU_MSG_PORT_ADD);
    struct smap options = SMAP_INITIALIZER(&options);
    int error;

    nl_msg_put_odp_port(b, DPU_ATTR_PORT_NO, port_no);
    nl_msg_put_string(b, DPU_ATTR_PORT_NAME, dev);
    nl_msg_put_string(b, DPU_ATTR_PORT_TYPE,
                      !strcmp(host_type, "dpu-internal") ? "internal"
                      : dpu_type);
    if (smap_is_empty(tnl_options)) {
        netdev_dpu_get_dpu_options(name, &options);
    } else {
        smap_clone(&options, tnl_options);
    }
    if (!smap_is_empty(&options)) {
        dpu_put_smap(b, DPU_ATTR_PORT_OPTIONS, &options);
    }
    smap_destroy(&options);
    error = dp_dpu_transact(conn, b, NULL, NULL);
    if (!error) {
        error = netdev_dpu_port_added(name, conn, dev);
    }
    return error;
}

static void
dp_dpu_port_free(struct dp_dpu_port *port)
{
    if (port) {
        dpu_conn_unref(port->conn);
        dpu_conn_unref(port->conn2);
        free(port->dev2);
        free(port->name);
        free(port->type);
        free(port->dpu_type);
        smap_destroy(&port->tnl_options);
        free(port);
    }
}

/* Helpers: the flow shadow table. */

static struct dp_dpu_flow *
dp_dpu_find_flow(const struct dp_dpu *dp, const ovs_u128 *ufid)
    OVS_REQUIRES(dp->mutex)
{
    struct dp_dpu_flow *flow;

    HMAP_FOR_EACH_WITH_HASH (flow, node, ufid->u32[0], &dp->flows) {
        if (ovs_u128_equals(flow->ufid, *ufid)) {
            return flow;
        }
    }
    return NULL;
}

static void
dp_dpu_flow_free(struct dp_dpu_flow *flow)
{
    if (flow) {
        free(flow->key);
        free(flow);
    }
}

static void
dp_dpu_flow_set(struct dp_dpu_flow *flow,
                const struct nlattr *key, size_t key_len,
                const struct nlattr *mask, size_t mask_len,
                const struct nlattr *actions, size_t actions_len)
{
    char *block = xmalloc(MAX(key_len + mask_len + actions_len, 1));

    memcpy(block, key, key_len);
    memcpy(block + key_len, mask, mask_len);
    memcpy(block + key_len + mask_len, actions, actions_len);
    free(flow->key);
    flow->key = ALIGNED_CAST(struct nlattr *, block);
    flow->key_len = key_len;
    flow->mask = ALIGNED_CAST(struct nlattr *, block + key_len);
    flow->mask_len = mask_len;
    flow->actions = ALIGNED_CAST(struct nlattr *,
                                 block + key_len + mask_len);
    flow->actions_len = actions_len;
}

static void
stats_add(struct dpif_flow_stats *dst, const struct dpif_flow_stats *a,
          const struct dpif_flow_stats *b)
{
    dst->n_packets = a->n_packets + b->n_packets;
    dst->n_bytes = a->n_bytes + b->n_bytes;
    dst->used = MAX(a->used, b->used);
    dst->tcp_flags = a->tcp_flags | b->tcp_flags;
}

/* Stores in '*stats' the statistics of 'flow': those of DPUs' earlier boots
 * plus the last seen from each DPU. */
static void
flow_total_stats(const struct dp_dpu_flow *flow, struct dpif_flow_stats *stats)
{
    *stats = flow->base;
    for (size_t i = 0; i < ARRAY_SIZE(flow->src); i++) {
        stats_add(stats, stats, &flow->src[i].last);
    }
}

/* Moves what 'flow' counted on 'conn' into its base: 'conn' lost it. */
static void
flow_forget_src(struct dp_dpu_flow *flow, const struct dpu_conn *conn)
{
    for (size_t i = 0; i < ARRAY_SIZE(flow->src); i++) {
        if (flow->src[i].conn == conn) {
            stats_add(&flow->base, &flow->base, &flow->src[i].last);
            memset(&flow->src[i], 0, sizeof flow->src[i]);
        }
    }
}

/* Records 'stats' as what 'conn' counts for 'flow'. */
static void
flow_set_src(struct dp_dpu_flow *flow, const struct dpu_conn *conn,
             const struct dpif_flow_stats *stats)
{
    struct dp_dpu_flow_src *src = NULL;

    for (size_t i = 0; i < ARRAY_SIZE(flow->src); i++) {
        if (flow->src[i].conn == conn) {
            src = &flow->src[i];
            break;
        } else if (!src && !flow->src[i].conn) {
            src = &flow->src[i];
        }
    }
    if (!src) {
        /* A third DPU (the configuration changed): fold the oldest. */
        flow_forget_src(flow, flow->src[0].conn);
        src = &flow->src[0];
    }
    src->conn = conn;
    src->last = *stats;
}

/* Records 'dpu_stats', just reported by DPU 'conn' for flow 'ufid', and
 * returns in '*stats' what to report to ofproto: the flow's statistics from
 * every DPU and boot. */
static void
dp_dpu_account_flow(struct dp_dpu *dp, const struct dpu_conn *conn,
                    const ovs_u128 *ufid,
                    const struct dpif_flow_stats *dpu_stats,
                    struct dpif_flow_stats *stats, bool remove)
    OVS_EXCLUDED(dp->mutex)
{
    struct dp_dpu_flow *flow;

    ovs_mutex_lock(&dp->mutex);
    flow = dp_dpu_find_flow(dp, ufid);
    if (flow) {
        flow_set_src(flow, conn, dpu_stats);
        flow_total_stats(flow, stats);
        if (remove) {
            hmap_remove(&dp->flows, &flow->node);
            dp_dpu_flow_free(flow);
        }
    } else {
        *stats = *dpu_stats;
    }
    ovs_mutex_unlock(&dp->mutex);
}

/* Datapath lifecycle. */

static int
dpif_dpu_init(void)
{
    netdev_dpu_register();
    dpu_conn_set_async_cb(dp_dpu_async_cb, NULL);
    dpu_ha_init();
    unixctl_command_register("dpif-dpu/show", "[dp]", 0, 1,
                             dpif_dpu_unixctl_show, NULL);
    unixctl_command_register("dpif-dpu/alarms", "[dpu]", 0, 1,
                             dpif_dpu_unixctl_alarms, NULL);
    dpif_dpu_crash_points_register();
    return 0;
}

static int
dpif_dpu_enumerate(struct sset *all_dps,
                   const struct dpif_class *dpif_class OVS_UNUSED)
{
    struct shash_node *node;

    ovs_mutex_lock(&dp_dpu_mutex);
    SHASH_FOR_EACH (node, &dp_dpus) {
        sset_add(all_dps, node->name);
    }
    ovs_mutex_unlock(&dp_dpu_mutex);
    return 0;
}

static const char *
dpif_dpu_port_open_type(const struct dpif_class *class OVS_UNUSED,
                        const char *type)
{
    return (!strcmp(type, "internal") ? "dpu-internal"
            : !strcmp(type, "system") || !type[0] ? "dpu"
            : type);
}

static struct dp_dpu *
dp_dpu_create(const char *name, const struct dpif_class *class)
    OVS_REQUIRES(dp_dpu_mutex)
{
    struct dp_dpu *dp = xzalloc(sizeof *dp);

    dp->name = xstrdup(name);
    dp->class = class;
    ovs_refcount_init(&dp->ref_cnt);
    ovs_mutex_init(&dp->mutex);
    ovs_mutex_init(&dp->sync_mutex);
    ovs_rwlock_init(&dp->upcall_rwlock);
    hmap_init(&dp->ports);
    hmap_init(&dp->flows);
    hmap_init(&dp->meters);
    hmap_init(&dp->bonds);
    ovs_list_init(&dp->ct_zone_limits);
    hmap_init(&dp->ct_tps);
    shash_init(&dp->members);
    dp->port_seq = 1;
    dp->ha = dpu_ha_dp_create(&dp_dpu_ha_class, dp);
    shash_add(&dp_dpus, name, dp);
    return dp;
}

static void
dp_dpu_set_handlers(struct dp_dpu *dp, uint32_t n)
    OVS_REQ_WRLOCK(dp->upcall_rwlock)
{
    for (uint32_t i = 0; i < dp->n_handlers; i++) {
        struct dp_dpu_handler *h = &dp->handlers[i];
        struct ovs_list list;
        struct dp_dpu_upcall *u;

        guarded_list_pop_all(&h->queue, &list);
        LIST_FOR_EACH_POP (u, list_node, &list) {
            ofpbuf_delete(u->buf);
            free(u);
        }
        guarded_list_destroy(&h->queue);
        seq_destroy(h->seq);
    }
    free(dp->handlers);

    dp->n_handlers = n;
    dp->handlers = n ? xcalloc(n, sizeof *dp->handlers) : NULL;
    for (uint32_t i = 0; i < n; i++) {
        guarded_list_init(&dp->handlers[i].queue);
        dp->handlers[i].seq = seq_create();
    }
}

static void
dp_dpu_destroy(struct dp_dpu *dp)
    OVS_REQUIRES(dp_dpu_mutex)
{
    struct dp_dpu_port *port;
    struct dp_dpu_flow *flow;
    struct shash_node *node;

    shash_find_and_delete(&dp_dpus, dp->name);

    /* The "dpu_ha" thread takes no lock that the caller may hold here. */
    dpu_ha_dp_destroy(dp->ha);

    ovs_rwlock_wrlock(&dp->upcall_rwlock);
    dp_dpu_set_handlers(dp, 0);
    ovs_rwlock_unlock(&dp->upcall_rwlock);

    HMAP_FOR_EACH_POP (port, node, &dp->ports) {
        dp_dpu_port_free(port);
    }
    HMAP_FOR_EACH_POP (flow, node, &dp->flows) {
        dp_dpu_flow_free(flow);
    }
    dp_dpu_meters_destroy(dp);
    dp_dpu_bonds_destroy(dp);
    dp_dpu_ct_destroy(dp);
    SHASH_FOR_EACH_SAFE (node, &dp->members) {
        struct dp_dpu_member *m = node->data;

        dpu_conn_unref(m->conn);
        free(m);
        shash_delete(&dp->members, node);
    }
    hmap_destroy(&dp->ports);
    hmap_destroy(&dp->flows);
    shash_destroy(&dp->members);
    ovs_rwlock_destroy(&dp->upcall_rwlock);
    ovs_mutex_destroy(&dp->sync_mutex);
    ovs_mutex_destroy(&dp->mutex);
    free(dp->name);
    free(dp);
}

static int
dpif_dpu_open(const struct dpif_class *class, const char *name,
              bool create, struct dpif **dpifp)
{
    struct dpif_dpu *dpif;
    struct dp_dpu *dp;
    struct dpu_conn **conns;
    bool created = false;
    size_t n;

    ovs_mutex_lock(&dp_dpu_mutex);
    dp = shash_find_data(&dp_dpus, name);
    if (!dp) {
        if (!create) {
            ovs_mutex_unlock(&dp_dpu_mutex);
            return ENODEV;
        }
        dp = dp_dpu_create(name, class);
        created = true;
    } else {
        ovs_refcount_ref(&dp->ref_cnt);
    }
    ovs_mutex_unlock(&dp_dpu_mutex);

    dpif = xzalloc(sizeof *dpif);
    dpif_init(&dpif->dpif, class, name, 0, 0);
    dpif->dp = dp;
    dpif->last_tnl_conf_seq = seq_read(tnl_conf_seq);
    *dpifp = &dpif->dpif;

    if (!created) {
        /* Another user of an existing datapath, such as dpctl/ commands:
         * no reason to wait for DPUs. */
        return 0;
    }

    /* ofproto-dpif probes the datapath's features right after creating it.
     * Give the DPUs a moment to answer, so that the probes reach them. */
    n = dpu_conn_get_all(&conns);
    if (!n) {
        VLOG_WARN("%s: no DPU is configured (see the DPU table); the "
                  "datapath has no ports until one is", name);
    }
    for (size_t i = 0; i < n; i++) {
        if (!dpu_conn_wait_up(conns[i], DPIF_DPU_OPEN_WAIT_MS)) {
            VLOG_WARN("%s: DPU %s is not reachable yet; datapath feature "
                      "probes will not reach it", name,
                      dpu_conn_get_name(conns[i]));
        }
        dpu_conn_unref(conns[i]);
    }
    free(conns);
    dpif_dpu_run(&dpif->dpif);
    return 0;
}

static void
dpif_dpu_close(struct dpif *dpif_)
{
    struct dpif_dpu *dpif = dpif_dpu_cast(dpif_);
    struct dp_dpu *dp = dpif->dp;

    ovs_mutex_lock(&dp_dpu_mutex);
    if (ovs_refcount_unref(&dp->ref_cnt) == 1) {
        dp_dpu_destroy(dp);
    }
    ovs_mutex_unlock(&dp_dpu_mutex);
    free(dpif);
}

static int
dpif_dpu_destroy(struct dpif *dpif OVS_UNUSED)
{
    /* The datapath goes away with its last close; the DPUs keep their state
     * until the host tells them otherwise. */
    return 0;
}

/* Re-sync. */

/* Sets every meter and datapath bond of 'dp' on 'conn' again, and the
 * conntrack settings that the host made. */
static void
dp_dpu_sync_settings(struct dp_dpu *dp, struct dpu_conn *conn)
    OVS_EXCLUDED(dp->mutex)
{
    struct ovs_list requests = OVS_LIST_INITIALIZER(&requests);
    struct ofpbuf *b;

    ovs_mutex_lock(&dp->mutex);
    dp_dpu_meters_resync(dp, conn, &requests);
    dp_dpu_bonds_resync(dp, conn, &requests);
    dp_dpu_ct_resync(dp, conn, &requests);
    ovs_mutex_unlock(&dp->mutex);

    LIST_FOR_EACH_POP (b, list_node, &requests) {
        enum dpu_msg_type type = ((struct dpu_header *) b->data)->type;
        int error = dp_dpu_transact(conn, b, NULL, NULL);

        if (error) {
            VLOG_WARN_RL(&resync_rl, "%s: re-sync: %s on DPU %s failed (%s)",
                         dp->name, dpu_msg_type_to_string(type),
                         dpu_conn_get_name(conn), ovs_strerror(error));
        }
    }
}

/* Goes through the ports of PORT_DUMP reply 'reply' from 'conn': adds to
 * 'dpu_ports' those that the host has on 'conn' under the same device name,
 * adopts those that the host does not know if 'adopt', and removes the
 * others from the DPU. */
static void
dp_dpu_sync_dumped_ports(struct dp_dpu *dp, struct dpu_conn *conn,
                         const struct ofpbuf *reply, bool adopt,
                         struct sset *dpu_ports)
    OVS_REQUIRES(dp->sync_mutex)
{
    const struct nlattr *nla;
    struct dp_dpu_port *port;
    struct dpu_conn *pair[2];
    const char *dev;
    struct ofpbuf *b;
    size_t left;
    int error;

    dpu_ha_get_pair(&pair[0], &pair[1]);
    NL_ATTR_FOR_EACH (nla, left, ofpbuf_at(reply, DPU_HEADER_LEN, 0),
                      reply->size - DPU_HEADER_LEN) {
        struct dpu_port dport;
        odp_port_t port_no;
        const char *name, *type;

        if (nl_attr_type(nla) != DPU_ATTR_PORT) {
            continue;
        }
        if (!dpu_parse_port(nla, &dport)) {
            VLOG_WARN_RL(&resync_rl, "%s: re-sync: malformed port in dump",
                         dpu_conn_get_name(conn));
            continue;
        }
        port_no = dport.port_no;
        name = dport.name;
        type = dport.type;

        ovs_mutex_lock(&dp->mutex);
        port = dp_dpu_lookup_port(dp, port_no);
        if (port && dp_dpu_port_on(port, conn, &dev) && !strcmp(dev, name)) {
            sset_add(dpu_ports, port->name);
        } else if (port && adopt && !port->conn2
                   && dp_dpu_is_partner(pair, port->conn, conn)) {
            /* The other DPU of an active-standby pair holds the port that
             * the host adopted from the first one, under the same number
             * (as its peer device, for an uplink). */
            port->conn2 = dpu_conn_ref_existing(conn);
            port->dev2 = xstrdup(name);
            port->uplink = strcmp(name, port->name) != 0;
            sset_add(dpu_ports, port->name);
            dp->port_seq++;
            VLOG_INFO("%s: adopted port %s (%"PRIu32") found on DPU %s%s%s",
                      dp->name, port->name, port_no, dpu_conn_get_name(conn),
                      port->uplink ? " as " : "", port->uplink ? name : "");
            if (port->uplink) {
                char *port_name = xstrdup(port->name);

                ovs_mutex_unlock(&dp->mutex);
                netdev_dpu_set_link_by_events(port_name, true);
                free(port_name);
                continue;
            }
        } else if (!port && adopt
                   && !dp_dpu_lookup_port_by_name(dp, name)) {
            port = xzalloc(sizeof *port);
            port->port_no = port_no;
            port->name = xstrdup(name);
            port->type = xstrdup(host_type_for_dpu_type(type));
            port->dpu_type = xstrdup("");
            smap_init(&port->tnl_options);
            port->conn = dpu_conn_ref_existing(conn);
            hmap_insert(&dp->ports, &port->node,
                        hash_int(odp_to_u32(port_no), 0));
            sset_add(dpu_ports, name);
            VLOG_INFO("%s: adopted port %s (%"PRIu32") found on DPU %s",
                      dp->name, name, port_no, dpu_conn_get_name(conn));
        } else {
            ovs_mutex_unlock(&dp->mutex);
            b = dp_dpu_request_start(DPU_MSG_PORT_DEL);
            nl_msg_put_odp_port(b, DPU_ATTR_PORT_NO, port_no);
            error = dp_dpu_transact(conn, b, NULL, NULL);
            VLOG_INFO("%s: removed stale port %s (%"PRIu32") from DPU "
                      "%s: %s", dp->name, name, port_no,
                      dpu_conn_get_name(conn),
                      error ? ovs_strerror(error) : "ok");
            continue;
        }
        ovs_mutex_unlock(&dp->mutex);
    }
    dpu_conn_unref(pair[0]);
    dpu_conn_unref(pair[1]);
}

/* Brings the ports of 'conn' in line with the host's, once its port dump
 * said that it has those in 'dpu_ports'.  Adds to 'dpu_ports' the ports that
 * it adds. */
static void
dp_dpu_sync_ports(struct dp_dpu *dp, struct dpu_conn *conn,
                  struct sset *dpu_ports)
    OVS_REQUIRES(dp->sync_mutex)
{
    struct dp_dpu_port *port;
    const char *kept;
    const char *dev;
    int error;

    /* Ports that the DPU kept: what the host asked of their devices while
     * the DPU was away (MTU, MAC, flags, QoS) reaches them now. */
    SSET_FOR_EACH (kept, dpu_ports) {
        char *kept_dev = NULL;

        ovs_mutex_lock(&dp->mutex);
        port = dp_dpu_lookup_port_by_name(dp, kept);
        if (port && dp_dpu_port_on(port, conn, &dev)) {
            kept_dev = xstrdup(dev);
        }
        ovs_mutex_unlock(&dp->mutex);
        error = kept_dev ? netdev_dpu_port_added(kept, conn, kept_dev) : 0;
        free(kept_dev);
        if (error) {
            VLOG_WARN_RL(&resync_rl,
                         "%s: re-sync: configuring port %s on DPU %s "
                         "failed (%s)", dp->name, kept,
                         dpu_conn_get_name(conn), ovs_strerror(error));
        }
    }

    /* Ports that the DPU lacks. */
    for (;;) {
        char *name = NULL, *type = NULL, *dpu_type = NULL, *devname = NULL;
        struct smap tnl_options = SMAP_INITIALIZER(&tnl_options);
        odp_port_t port_no = ODPP_NONE;

        ovs_mutex_lock(&dp->mutex);
        HMAP_FOR_EACH (port, node, &dp->ports) {
            if (dp_dpu_port_on(port, conn, &dev)
                && !sset_contains(dpu_ports, port->name)) {
                name = xstrdup(port->name);
                devname = xstrdup(dev);
                type = xstrdup(port->type);
                dpu_type = xstrdup(port->dpu_type);
                smap_clone(&tnl_options, &port->tnl_options);
                port_no = port->port_no;
                break;
            }
        }
        ovs_mutex_unlock(&dp->mutex);
        if (!name) {
            break;
        }
        sset_add(dpu_ports, name);
        error = port_add_on_dpu(conn, port_no, name, devname, type, dpu_type,
                                &tnl_options);
        if (error) {
            VLOG_WARN_RL(&resync_rl, "%s: re-sync: adding port %s to DPU %s "
                         "failed (%s)", dp->name, name,
                         dpu_conn_get_name(conn), ovs_strerror(error));
        }
        free(devname);
        free(name);
        free(type);
        free(dpu_type);
        smap_destroy(&tnl_options);
    }
}

/* Deletes from 'conn', which reconnected without losing its state, the
 * flows that it holds and the host does not: those that the host deleted
 * while it could not reach the DPU, and those that the DPU put after the
 * host had given up on its answer (a DPU that stalled).  Either would stay
 * on the DPU for good, and forward for a flow that the host no longer
 * has. */
static void
dp_dpu_sync_drop_unknown_flows(struct dp_dpu *dp, struct dpu_conn *conn)
{
    uint32_t dump_id = dp_dpu_next_dump_id();
    ovs_u128 *unknown = NULL;
    size_t n_unknown = 0, allocated = 0;
    bool more = true;

    while (more) {
        struct ofpbuf *b = dp_dpu_request_start(DPU_MSG_FLOW_DUMP);
        const struct nlattr *nla;
        struct ofpbuf *reply;
        struct dpu_msg msg;
        size_t left;
        int error;

        nl_msg_put_u32(b, DPU_ATTR_DUMP_ID, dump_id);
        nl_msg_put_u32(b, DPU_ATTR_MAX_FLOWS, DPU_MAX_BATCH);
        nl_msg_put_flag(b, DPU_ATTR_TERSE);
        error = dp_dpu_transact(conn, b, &reply, &msg);
        if (error) {
            VLOG_WARN_RL(&resync_rl, "%s: re-sync: flow dump of DPU %s "
                         "failed (%s)", dp->name, dpu_conn_get_name(conn),
                         ovs_strerror(error));
            free(unknown);
            return;
        }
        ovs_mutex_lock(&dp->mutex);
        NL_ATTR_FOR_EACH (nla, left, ofpbuf_at(reply, DPU_HEADER_LEN, 0),
                          reply->size - DPU_HEADER_LEN) {
            struct dpu_flow_result fr;
            const struct dp_dpu_flow *flow;

            if (nl_attr_type(nla) != DPU_ATTR_FLOW
                || !dpu_parse_flow(nla, &fr)) {
                continue;
            }
            /* A flow that the host has, even of a port of the other DPU
             * of a pair, is left alone. */
            flow = dp_dpu_find_flow(dp, &fr.ufid);
            if (!flow) {
                if (n_unknown >= allocated) {
                    unknown = x2nrealloc(unknown, &allocated,
                                         sizeof *unknown);
                }
                unknown[n_unknown++] = fr.ufid;
            }
        }
        ovs_mutex_unlock(&dp->mutex);
        more = msg.flags & DPU_F_MORE;
        ofpbuf_delete(reply);
    }

    for (size_t i = 0; i < n_unknown; ) {
        struct ofpbuf *b = dp_dpu_request_start(DPU_MSG_OPERATE);
        size_t n = 0;

        for (; i < n_unknown && n < DPU_MAX_BATCH; i++, n++) {
            size_t op = nl_msg_start_nested(b, DPU_ATTR_OP);
            nl_msg_put_u32(b, DPU_OP_ATTR_TYPE, DPU_OP_DEL);
            nl_msg_put_u128(b, DPU_OP_ATTR_UFID, unknown[i]);
            nl_msg_end_nested(b, op);
        }
        int error = dp_dpu_transact(conn, b, NULL, NULL);
        if (error) {
            VLOG_WARN_RL(&resync_rl, "%s: re-sync: deleting flows from DPU "
                         "%s failed (%s)", dp->name, dpu_conn_get_name(conn),
                         ovs_strerror(error));
            break;
        }
    }
    if (n_unknown) {
        VLOG_INFO("%s: re-sync: deleted %"PRIuSIZE" flows from DPU %s that "
                  "the host does not have", dp->name, n_unknown,
                  dpu_conn_get_name(conn));
        COVERAGE_ADD(dpif_dpu_resync_unknown_flow, n_unknown);
    }
    free(unknown);
}

/* Brings 'conn' in line with the host's view after it (re)connected: adds
 * the ports it lacks, removes the ones the host does not know (except the
 * first time, when the host adopts them: ovs-vswitchd restarted while the
 * DPU kept forwarding; the second DPU of an active-standby pair adds itself
 * to the ports adopted from the first), applies again to the devices of the ports it kept
 * what the host asked of them, sets every meter and the conntrack limit
 * again, and re-puts every flow of its ports. */
static void
dp_dpu_sync_member(struct dp_dpu *dp, struct dpu_conn *conn,
                   uint64_t session, ovs_u128 boot_id)
    OVS_REQUIRES(dp->sync_mutex)
{
    struct ofpbuf *reply, *b;
    struct dpu_msg msg;
    struct sset dpu_ports = SSET_INITIALIZER(&dpu_ports);
    struct dp_dpu_member *m;
    struct dp_dpu_flow *flow;
    struct ofpbuf batch;
    bool adopt, new_boot;
    size_t n_ops;
    int error;

    send_dp_config(conn);

    b = dp_dpu_request_start(DPU_MSG_PORT_DUMP);
    error = dp_dpu_transact(conn, b, &reply, &msg);
    if (error) {
        VLOG_WARN_RL(&resync_rl, "%s: re-sync: port dump failed (%s)",
                     dpu_conn_get_name(conn), ovs_strerror(error));
        return;
    }

    ovs_mutex_lock(&dp->mutex);
    m = dp_dpu_get_member(dp, conn);
    adopt = !m->adopted;
    new_boot = m->synced_session && !ovs_u128_equals(m->boot_id, boot_id);
    ovs_mutex_unlock(&dp->mutex);

    dp_dpu_sync_dumped_ports(dp, conn, reply, adopt, &dpu_ports);
    ofpbuf_delete(reply);

    dp_dpu_sync_ports(dp, conn, &dpu_ports);
    sset_destroy(&dpu_ports);

    /* Meters, bonds and the conntrack limit, before the flows that use
     * them, and the IPFIX exporters, before the flows sample. */
    dp_dpu_sync_settings(dp, conn);
    dpu_ipfix_sync(conn);

    /* Flows.  Statistics of a DPU that lost its state move to 'base'. */
    ofpbuf_init(&batch, 65536);
    n_ops = 0;
    ovs_mutex_lock(&dp->mutex);
    if (new_boot) {
        m->base.n_hit += m->last.n_hit;
        m->base.n_missed += m->last.n_missed;
        m->base.n_lost += m->last.n_lost;
        memset(&m->last, 0, sizeof m->last);
    }
    HMAP_FOR_EACH (flow, node, &dp->flows) {
        if (!dp_dpu_flow_lives_on(dp, flow, conn)) {
            continue;
        }
        if (new_boot) {
            flow_forget_src(flow, conn);
        }
        if (!n_ops) {
            dpu_msg_start(&batch, DPU_MSG_OPERATE, 0, 0);
        }
        size_t op = nl_msg_start_nested(&batch, DPU_ATTR_OP);
        nl_msg_put_u32(&batch, DPU_OP_ATTR_TYPE, DPU_OP_PUT);
        nl_msg_put_u128(&batch, DPU_OP_ATTR_UFID, flow->ufid);
        nl_msg_put_unspec(&batch, DPU_OP_ATTR_KEY, flow->key, flow->key_len);
        nl_msg_put_unspec(&batch, DPU_OP_ATTR_MASK, flow->mask,
                          flow->mask_len);
        nl_msg_put_unspec(&batch, DPU_OP_ATTR_ACTIONS, flow->actions,
                          flow->actions_len);
        nl_msg_put_u32(&batch, DPU_OP_ATTR_PUT_FLAGS,
                       DPIF_FP_CREATE | DPIF_FP_MODIFY);
        nl_msg_end_nested(&batch, op);
        if (++n_ops == DPU_MAX_BATCH / 2
            || batch.size > DPU_MAX_MSG_LEN / 2) {
            ovs_mutex_unlock(&dp->mutex);
            error = dp_dpu_transact(conn, ofpbuf_clone(&batch), NULL, NULL);
            if (error) {
                VLOG_WARN_RL(&resync_rl,
                             "%s: re-sync of flows to DPU %s failed "
                             "(%s)", dp->name, dpu_conn_get_name(conn),
                             ovs_strerror(error));
            }
            n_ops = 0;
            ovs_mutex_lock(&dp->mutex);
        }
    }
    ovs_mutex_unlock(&dp->mutex);
    if (n_ops) {
        error = dp_dpu_transact(conn, ofpbuf_clone(&batch), NULL, NULL);
        if (error) {
            VLOG_WARN_RL(&resync_rl,
                         "%s: re-sync of flows to DPU %s failed (%s)",
                         dp->name, dpu_conn_get_name(conn),
                         ovs_strerror(error));
        }
    }
    ofpbuf_uninit(&batch);
    if (!new_boot && !adopt) {
        dp_dpu_sync_drop_unknown_flows(dp, conn);
    }
    dpu_crash_point_reached(
        dpif_dpu_crash_point(DPIF_DPU_CP_RESYNC_BEFORE_DONE));

    ovs_mutex_lock(&dp->mutex);
    m->synced_session = session;
    m->boot_id = boot_id;
    m->adopted = true;
    dpu_ha_dp_ports_changed(dp->ha);
    dp->port_seq++;
    dp->n_resyncs++;
    ovs_mutex_unlock(&dp->mutex);
    /* The "dpu_ha" thread may now make this DPU active: wake it. */
    seq_change(dpu_conn_seq());
    COVERAGE_INC(dpif_dpu_resync);
    VLOG_INFO("%s: DPU %s in sync (%s)", dp->name, dpu_conn_get_name(conn),
              new_boot ? "DPU had restarted: ports and flows re-installed"
              : "ports and flows checked");
}

static void
dp_dpu_run(struct dp_dpu *dp)
{
    struct dpu_conn **conns;
    size_t n;

    if (!ovs_mutex_trylock(&dp->sync_mutex)) {
        n = dpu_conn_get_all(&conns);
        for (size_t i = 0; i < n; i++) {
            struct sset changed = SSET_INITIALIZER(&changed);
            bool up = dpu_conn_is_up(conns[i]);
            ovs_u128 boot_id;
            uint64_t session = dpu_conn_get_session(conns[i], &boot_id);
            struct dp_dpu_member *m;
            const char *name;
            bool stale;

            ovs_mutex_lock(&dp->mutex);
            m = dp_dpu_get_member(dp, conns[i]);
            stale = session && m->synced_session != session;
            if (m->up != up) {
                /* The ports' link state follows the DPU's. */
                struct dp_dpu_port *port;

                m->up = up;
                HMAP_FOR_EACH (port, node, &dp->ports) {
                    if (dp_dpu_port_on(port, conns[i], NULL)) {
                        sset_add(&changed, port->name);
                    }
                }
            }
            ovs_mutex_unlock(&dp->mutex);
            SSET_FOR_EACH (name, &changed) {
                netdev_dpu_port_changed(name);
            }
            sset_destroy(&changed);
            if (stale) {
                dp_dpu_sync_member(dp, conns[i], session, boot_id);
            }
            dpu_conn_unref(conns[i]);
        }
        free(conns);

        ovs_mutex_unlock(&dp->sync_mutex);
    }
}

/* The datapath's HA control (struct dpu_ha_dp_class in dpu-ha.h). */

/* dpu_ha_ready_cb for 'dp_': whether 'conn' holds every port and flow of
 * the datapath, that is, has been re-synced since it came up. */
static bool
dp_dpu_is_ready(struct dpu_conn *conn, void *dp_)
{
    struct dp_dpu *dp = dp_;
    ovs_u128 boot_id;
    uint64_t session = dpu_conn_get_session(conn, &boot_id);
    struct dp_dpu_member *m;
    bool ready;

    ovs_mutex_lock(&dp->mutex);
    m = dp_dpu_get_member(dp, conn);
    ready = session && m->synced_session == session;
    ovs_mutex_unlock(&dp->mutex);
    return ready;
}

/* dpu_uplink_ports_cb for 'dp_': every port, on each DPU it lives on. */
static size_t
dp_dpu_get_ports(void *dp_, struct dpu_uplink_port **portsp)
{
    struct dp_dpu *dp = dp_;
    struct dpu_uplink_port *ports = NULL;
    size_t n = 0, allocated = 0;
    struct dp_dpu_port *port;

    /* Each port, on each DPU it is on. */
    ovs_mutex_lock(&dp->mutex);
    HMAP_FOR_EACH (port, node, &dp->ports) {
        for (int i = 0; i < 2; i++) {
            struct dpu_conn *conn = i ? port->conn2 : port->conn;

            if (conn) {
                if (n >= allocated) {
                    ports = x2nrealloc(ports, &allocated, sizeof *ports);
                }
                ports[n].conn = dpu_conn_ref_existing(conn);
                ports[n].dev = xstrdup(i ? port->dev2 : port->name);
                ports[n].port = xstrdup(port->name);
                ports[n].port_no = port->port_no;
                ports[n].pair_uplink = port->uplink;
                n++;
            }
        }
    }
    ovs_mutex_unlock(&dp->mutex);
    *portsp = ports;
    return n;
}

/* Returns the datapath's 'port_seq', for its HA control. */
static uint64_t
dp_dpu_get_port_seq(void *dp_)
{
    struct dp_dpu *dp = dp_;
    uint64_t port_seq;

    ovs_mutex_lock(&dp->mutex);
    port_seq = dp->port_seq;
    ovs_mutex_unlock(&dp->mutex);
    return port_seq;
}

/* After a failover, the ports of the pair are read on another DPU: makes the
 * bridge read them again. */
static void
dp_dpu_active_changed(void *dp_)
{
    struct dp_dpu *dp = dp_;
    struct sset changed = SSET_INITIALIZER(&changed);
    struct dp_dpu_port *port;
    const char *name;

    ovs_mutex_lock(&dp->mutex);
    HMAP_FOR_EACH (port, node, &dp->ports) {
        if (port->conn2) {
            sset_add(&changed, port->name);
        }
    }
    dp->port_seq++;
    ovs_mutex_unlock(&dp->mutex);
    SSET_FOR_EACH (name, &changed) {
        struct netdev *netdev = netdev_from_name(name);

        netdev_dpu_port_changed(name);
        if (netdev) {
            /* Starts counting on the new device now (see netdev-dpu). */
            struct netdev_stats stats;

            netdev_get_stats(netdev, &stats);
            netdev_close(netdev);
        }
    }
    sset_destroy(&changed);
}

static const struct dpu_ha_dp_class dp_dpu_ha_class = {
    .is_ready = dp_dpu_is_ready,
    .get_ports = dp_dpu_get_ports,
    .get_port_seq = dp_dpu_get_port_seq,
    .active_changed = dp_dpu_active_changed,
};

/* Running, and the datapath's statistics. */

/* The host's name of the port of a dpu datapath whose device on 'conn' is
 * 'dev', for dpu-route: a malloc()ed string, or NULL if there is none. */
static char *
dp_dpu_port_name(const struct dpu_conn *conn, const char *dev)
{
    struct shash_node *node;
    char *name = NULL;

    ovs_mutex_lock(&dp_dpu_mutex);
    SHASH_FOR_EACH (node, &dp_dpus) {
        struct dp_dpu *dp = node->data;
        struct dp_dpu_port *port;

        ovs_mutex_lock(&dp->mutex);
        HMAP_FOR_EACH (port, node, &dp->ports) {
            const char *port_dev;

            if (!name && dp_dpu_port_on(port, conn, &port_dev)
                && !strcmp(port_dev, dev)) {
                name = xstrdup(port->name);
            }
        }
        ovs_mutex_unlock(&dp->mutex);
    }
    ovs_mutex_unlock(&dp_dpu_mutex);
    return name;
}

/* A number that changes whenever a port is added to or deleted from any dpu
 * datapath, for dpu-route. */
static uint64_t
dp_dpu_ports_seq(void)
{
    struct shash_node *node;
    uint64_t seq = 0;

    ovs_mutex_lock(&dp_dpu_mutex);
    SHASH_FOR_EACH (node, &dp_dpus) {
        struct dp_dpu *dp = node->data;

        ovs_mutex_lock(&dp->mutex);
        seq += dp->port_seq;
        ovs_mutex_unlock(&dp->mutex);
    }
    ovs_mutex_unlock(&dp_dpu_mutex);
    return seq;
}

/* Native tunnelling translates with the host's routes, tunnel neighbours
 * and the addresses of the tunnel endpoints' devices, so, as
 * dpif_netdev_run() does, this expires neighbours, follows the devices'
 * addresses, and returns true when any of them changed since the last call,
 * which makes ofproto-dpif revalidate every megaflow on the DPUs.  Otherwise
 * a megaflow that dropped packets while a neighbour was unknown would stay
 * for as long as traffic keeps hitting it. */
static bool
dpif_dpu_run(struct dpif *dpif_)
{
    struct dpif_dpu *dpif = dpif_dpu_cast(dpif_);
    uint64_t tnl_seq;

    dp_dpu_run(dpif->dp);
    dpu_route_run(dp_dpu_port_name, dp_dpu_ports_seq());
    tnl_neigh_cache_run();
    tnl_port_map_run();
    tnl_seq = seq_read(tnl_conf_seq);
    if (tnl_seq != dpif->last_tnl_conf_seq) {
        dpif->last_tnl_conf_seq = tnl_seq;
        COVERAGE_INC(dpif_dpu_tnl_revalidate);
        return true;
    }
    return false;
}

static void
dpif_dpu_wait(struct dpif *dpif_)
{
    struct dpif_dpu *dpif = dpif_dpu_cast(dpif_);

    seq_wait(dpu_conn_seq(), seq_read(dpu_conn_seq()));
    seq_wait(tnl_conf_seq, dpif->last_tnl_conf_seq);
}

static int
dpif_dpu_get_stats(const struct dpif *dpif, struct dpif_dp_stats *stats)
{
    struct dp_dpu *dp = dp_dpu_from_dpif(dpif);
    struct dpu_conn **conns;
    size_t n = dpu_conn_get_all(&conns);

    memset(stats, 0, sizeof *stats);
    for (size_t i = 0; i < n; i++) {
        struct dpu_conn *conn = conns[i];
        struct dpif_dp_stats st;
        struct dp_dpu_member *m;
        struct ofpbuf *reply;
        struct dpu_msg msg;
        int error;

        error = dp_dpu_transact(conn, dp_dpu_request_start(DPU_MSG_DP_GET_STATS),
                         &reply, &msg);
        ovs_mutex_lock(&dp->mutex);
        m = dp_dpu_get_member(dp, conn);
        if (!error && dpu_parse_dp_stats(msg.attrs[DPU_ATTR_DP_STATS], &st)) {
            m->last = st;
        }
        stats->n_hit += m->base.n_hit + m->last.n_hit;
        stats->n_missed += m->base.n_missed + m->last.n_missed;
        stats->n_lost += m->base.n_lost + m->last.n_lost;
        if (dpu_ha_is_active(conn)) {
            /* The standby of a pair holds copies of the same flows. */
            stats->n_flows += m->last.n_flows;
            stats->n_masks += m->last.n_masks;
        }
        stats->n_mask_hit += m->last.n_mask_hit;
        stats->n_cache_hit += m->last.n_cache_hit;
        ovs_mutex_unlock(&dp->mutex);
        ofpbuf_delete(reply);
        dpu_conn_unref(conn);
    }
    free(conns);

    ovs_mutex_lock(&dp->mutex);
    stats->n_lost += dp->n_lost;
    if (!n) {
        stats->n_flows = hmap_count(&dp->flows);
    }
    ovs_mutex_unlock(&dp->mutex);
    return 0;
}

/* Ports. */

/* Adds to 'options', the configuration of tunnel 'netdev' as its
 * get_config() gives it, the VXLAN extensions that get_config() leaves out,
 * without which the DPU's device would refuse, for example, the L3 packet
 * type of VXLAN-GPE. */
static void
tnl_options_add_exts(const struct netdev *netdev, struct smap *options)
{
    const struct netdev_tunnel_config *cfg = netdev_get_tunnel_config(netdev);

    bool gbp = cfg->exts & (1 << OVS_VXLAN_EXT_GBP);
    bool gpe = cfg->exts & (1 << OVS_VXLAN_EXT_GPE);

    if (!strcmp(netdev_get_type(netdev), "vxlan") && (gbp || gpe)) {
        smap_replace(options, "exts", (gbp && gpe ? "gbp,gpe"
                                       : gbp ? "gbp" : "gpe"));
    }
}

static int
dpif_dpu_port_add(struct dpif *dpif, struct netdev *netdev,
                  odp_port_t *port_nop)
{
    struct dp_dpu *dp = dp_dpu_from_dpif(dpif);
    const char *name = netdev_get_name(netdev);
    const char *type = netdev_get_type(netdev);
    struct smap tnl_options = SMAP_INITIALIZER(&tnl_options);
    const char *dpu_name, *dpu_type, *peer = NULL;
    char namebuf[NETDEV_VPORT_NAME_BUFSIZE];
    struct dpu_conn *conn, *conn2 = NULL;
    struct dpu_conn *pair[2];
    struct dp_dpu_port *port;
    odp_port_t port_no;
    int error;

    if (netdev_is_dpu(netdev)) {
        dpu_name = netdev_dpu_get_dpu_name(netdev);
        dpu_type = netdev_dpu_get_port_type(netdev);
        peer = netdev_dpu_get_peer(netdev);
    } else if (netdev_get_tunnel_config(netdev)) {
        /* A tunnel port, such as "vxlan_sys_4789" for every VXLAN port on
         * UDP port 4789, as in dpif-netdev.  The host keeps the tunnel's
         * OpenFlow side (tnl-port); the DPU's datapath pops the tunnel's
         * headers with a device of the same type and configuration.  A
         * tunnel port lives on the only DPU. */
        name = netdev_vport_get_dpif_port(netdev, namebuf, sizeof namebuf);
        dpu_name = NULL;
        dpu_type = type;
        error = netdev_get_config(netdev, &tnl_options);
        if (error) {
            smap_destroy(&tnl_options);
            return error;
        }
        tnl_options_add_exts(netdev, &tnl_options);
    } else {
        VLOG_WARN_RL(&config_rl, "%s: cannot add port %s of type %s: a dpu "
                     "datapath holds only ports on DPUs and tunnel ports",
                     dp->name, name, type);
        return EOPNOTSUPP;
    }
    conn = dpu_conn_ref(dpu_name);
    if (dpu_ha_get_pair(&pair[0], &pair[1])) {
        /* An active-standby pair: a port without options:dpu lives on both
         * DPUs, under its own name; an uplink with options:dpu-peer on its
         * own DPU, and on the other as the peer device. */
        if (!dpu_name && pair[0] && pair[1]) {
            conn = pair[0];
            conn2 = pair[1];
            peer = name;
            pair[0] = pair[1] = NULL;
        } else if (conn && peer && (conn == pair[0] || conn == pair[1])) {
            conn2 = dpu_conn_ref_existing(conn == pair[0] ? pair[1]
                                          : pair[0]);
        } else if (!dpu_name && (pair[0] || pair[1])) {
            conn = pair[0] ? pair[0] : pair[1];
            pair[conn == pair[0] ? 0 : 1] = NULL;
        }
        dpu_conn_unref(pair[0]);
        dpu_conn_unref(pair[1]);
    }
    if (!conn2) {
        peer = NULL;
    }
    if (!conn) {
        smap_destroy(&tnl_options);
        VLOG_WARN_RL(&config_rl, "%s: cannot add port %s: %s", dp->name, name,
                     dpu_name ? "no DPU with that name"
                     : dpu_conn_count() ? "several DPUs are configured, "
                     "set options:dpu" : "no DPU is configured");
        return ENODEV;
    }

    ovs_mutex_lock(&dp->mutex);
    if (dp_dpu_lookup_port_by_name(dp, name)) {
        ovs_mutex_unlock(&dp->mutex);
        dpu_conn_unref(conn);
        dpu_conn_unref(conn2);
        smap_destroy(&tnl_options);
        return EEXIST;
    }
    port_no = *port_nop;
    if (port_no == ODPP_NONE) {
        uint32_t i;

        for (i = 1; dp_dpu_lookup_port(dp, u32_to_odp(i)); i++) {
            continue;
        }
        port_no = u32_to_odp(i);
    } else if (dp_dpu_lookup_port(dp, port_no)) {
        ovs_mutex_unlock(&dp->mutex);
        dpu_conn_unref(conn);
        dpu_conn_unref(conn2);
        smap_destroy(&tnl_options);
        return EBUSY;
    }
    port = xzalloc(sizeof *port);
    port->port_no = port_no;
    port->name = xstrdup(name);
    port->type = xstrdup(type);
    port->dpu_type = xstrdup(dpu_type ? dpu_type : "");
    smap_clone(&port->tnl_options, &tnl_options);
    smap_destroy(&tnl_options);
    port->conn = conn;
    port->conn2 = conn2;
    port->dev2 = nullable_xstrdup(peer);
    port->uplink = conn2 && dpu_name;
    hmap_insert(&dp->ports, &port->node, hash_int(odp_to_u32(port_no), 0));
    dp->port_seq++;
    ovs_mutex_unlock(&dp->mutex);
    dpu_ha_dp_ports_changed(dp->ha);
    netdev_dpu_set_link_by_events(name, conn2 && dpu_name);

    if (conn2) {
        /* The other DPU of the pair: its failure is its re-sync's to fix,
         * the port works on the first. */
        int error2 = port_add_on_dpu(conn2, port_no, name, port->dev2, type,
                                     dpu_type ? dpu_type : "",
                                     &port->tnl_options);
        if (error2 && error2 != ENOTCONN) {
            VLOG_WARN_RL(&config_rl,
                         "%s: adding port %s to DPU %s as %s failed "
                         "(%s)", dp->name, name, dpu_conn_get_name(conn2),
                         port->dev2, ovs_strerror(error2));
        }
    }
    error = port_add_on_dpu(conn, port_no, name, name, type,
                            dpu_type ? dpu_type : "", &port->tnl_options);
    if (error == ENOTCONN) {
        /* The DPU is down: the port is added when it comes back. */
        VLOG_INFO("%s: port %s (%"PRIu32") will be added to DPU %s when it "
                  "is reachable", dp->name, name, port_no,
                  dpu_conn_get_name(conn));
        error = 0;
    } else if (error) {
        VLOG_WARN_RL(&config_rl, "%s: adding port %s to DPU %s failed (%s)",
                     dp->name, name, dpu_conn_get_name(conn),
                     ovs_strerror(error));
        ovs_mutex_lock(&dp->mutex);
        hmap_remove(&dp->ports, &port->node);
        ovs_mutex_unlock(&dp->mutex);
        netdev_dpu_set_link_by_events(name, false);
        dp_dpu_port_free(port);
        return error;
    }
    /* The links were read with the port, which the DPUs did not have yet:
     * read them again, now that it is there (see dpu-uplink.c). */
    dpu_ha_dp_ports_changed(dp->ha);
    *port_nop = port_no;
    return 0;
}

static int
dpif_dpu_port_del(struct dpif *dpif, odp_port_t port_no)
{
    struct dp_dpu *dp = dp_dpu_from_dpif(dpif);
    struct dp_dpu_port *port;
    struct ofpbuf *b;
    int error;

    ovs_mutex_lock(&dp->mutex);
    port = dp_dpu_lookup_port(dp, port_no);
    if (!port) {
        ovs_mutex_unlock(&dp->mutex);
        return ENOENT;
    }
    hmap_remove(&dp->ports, &port->node);
    dp->port_seq++;
    ovs_mutex_unlock(&dp->mutex);
    dpu_ha_dp_ports_changed(dp->ha);
    seq_change(dpu_conn_seq());
    netdev_dpu_set_link_by_events(port->name, false);

    for (int i = 0; i < 2; i++) {
        struct dpu_conn *conn = i ? port->conn2 : port->conn;

        if (!conn) {
            continue;
        }
        b = dp_dpu_request_start(DPU_MSG_PORT_DEL);
        nl_msg_put_odp_port(b, DPU_ATTR_PORT_NO, port_no);
        error = dp_dpu_transact(conn, b, NULL, NULL);
        if (error && error != ENOTCONN && error != ENOENT) {
            VLOG_WARN_RL(&config_rl,
                         "%s: deleting port %s from DPU %s failed (%s)",
                         dp->name, port->name, dpu_conn_get_name(conn),
                         ovs_strerror(error));
        }
    }
    dp_dpu_port_free(port);
    return 0;
}

static void
answer_port_query(const struct dp_dpu_port *port, struct dpif_port *dpif_port)
{
    if (dpif_port) {
        dpif_port->name = xstrdup(port->name);
        dpif_port->type = xstrdup(port->type);
        dpif_port->port_no = port->port_no;
    }
}

static int
dpif_dpu_port_query_by_number(const struct dpif *dpif, odp_port_t port_no,
                              struct dpif_port *dpif_port)
{
    struct dp_dpu *dp = dp_dpu_from_dpif(dpif);
    struct dp_dpu_port *port;

    ovs_mutex_lock(&dp->mutex);
    port = dp_dpu_lookup_port(dp, port_no);
    if (port) {
        answer_port_query(port, dpif_port);
    }
    ovs_mutex_unlock(&dp->mutex);
    return port ? 0 : ENODEV;
}

static int
dpif_dpu_port_query_by_name(const struct dpif *dpif, const char *devname,
                            struct dpif_port *dpif_port)
{
    struct dp_dpu *dp = dp_dpu_from_dpif(dpif);
    struct dp_dpu_port *port;

    ovs_mutex_lock(&dp->mutex);
    port = dp_dpu_lookup_port_by_name(dp, devname);
    if (port) {
        answer_port_query(port, dpif_port);
    }
    ovs_mutex_unlock(&dp->mutex);
    return port ? 0 : ENODEV;
}

struct dpif_dpu_port_state {
    struct dpif_port *ports;
    size_t n, next;
};

static int
dpif_dpu_port_dump_start(const struct dpif *dpif, void **statep)
{
    struct dp_dpu *dp = dp_dpu_from_dpif(dpif);
    struct dpif_dpu_port_state *state = xzalloc(sizeof *state);
    struct dp_dpu_port *port;

    ovs_mutex_lock(&dp->mutex);
    state->ports = xmalloc(MAX(hmap_count(&dp->ports), 1)
                           * sizeof *state->ports);
    HMAP_FOR_EACH (port, node, &dp->ports) {
        answer_port_query(port, &state->ports[state->n++]);
    }
    ovs_mutex_unlock(&dp->mutex);
    *statep = state;
    return 0;
}

static int
dpif_dpu_port_dump_next(const struct dpif *dpif OVS_UNUSED, void *state_,
                        struct dpif_port *dpif_port)
{
    struct dpif_dpu_port_state *state = state_;

    if (state->next >= state->n) {
        return EOF;
    }
    /* The caller does not free what it gets: keep ownership in 'state'. */
    *dpif_port = state->ports[state->next++];
    return 0;
}

static int
dpif_dpu_port_dump_done(const struct dpif *dpif OVS_UNUSED, void *state_)
{
    struct dpif_dpu_port_state *state = state_;

    for (size_t i = 0; i < state->n; i++) {
        dpif_port_destroy(&state->ports[i]);
    }
    free(state->ports);
    free(state);
    return 0;
}

static int
dpif_dpu_port_poll(const struct dpif *dpif_, char **devnamep OVS_UNUSED)
{
    struct dpif_dpu *dpif = dpif_dpu_cast(dpif_);
    uint64_t seq;

    ovs_mutex_lock(&dpif->dp->mutex);
    seq = dpif->dp->port_seq;
    ovs_mutex_unlock(&dpif->dp->mutex);
    if (seq != dpif->last_port_seq) {
        dpif->last_port_seq = seq;
        return ENOBUFS;
    }
    return EAGAIN;
}

static void
dpif_dpu_port_poll_wait(const struct dpif *dpif_)
{
    struct dpif_dpu *dpif = dpif_dpu_cast(dpif_);
    bool changed;

    ovs_mutex_lock(&dpif->dp->mutex);
    changed = dpif->dp->port_seq != dpif->last_port_seq;
    ovs_mutex_unlock(&dpif->dp->mutex);
    if (changed) {
        poll_immediate_wake();
    } else {
        seq_wait(dpu_conn_seq(), seq_read(dpu_conn_seq()));
    }
}

/* Flows. */

static int
dpif_dpu_flow_flush(struct dpif *dpif)
{
    struct dp_dpu *dp = dp_dpu_from_dpif(dpif);
    struct dp_dpu_flow *flow;
    struct ofpbuf *b;
    int error;

    ovs_mutex_lock(&dp->mutex);
    HMAP_FOR_EACH_POP (flow, node, &dp->flows) {
        dp_dpu_flow_free(flow);
    }
    ovs_mutex_unlock(&dp->mutex);

    b = dp_dpu_request_start(DPU_MSG_FLOW_FLUSH);
    error = dp_dpu_transact_all(b);
    ofpbuf_delete(b);
    return error;
}

/* Returns the UFID under which the shadow table keeps 'put': its own, or
 * one computed from its key if the caller gave none.  (Without a UFID, the
 * DPU derives its own from the key, as dpif-netdev does.) */
static ovs_u128
put_ufid(const struct dpif_flow_put *put)
{
    ovs_u128 ufid;

    if (put->ufid) {
        return *put->ufid;
    }
    odp_flow_key_hash(put->key, put->key_len, &ufid);
    return ufid;
}

/* Returns the in_port that decides which DPU 'op' goes to. */
static odp_port_t
op_in_port(struct dp_dpu *dp, const struct dpif_op *op)
{
    const ovs_u128 *ufid = NULL;
    odp_port_t in_port = ODPP_NONE;

    switch (op->type) {
    case DPIF_OP_FLOW_PUT:
        return key_in_port(op->flow_put.key, op->flow_put.key_len);
    case DPIF_OP_EXECUTE:
        return op->execute.packet->md.in_port.odp_port;
    case DPIF_OP_FLOW_DEL:
        if (op->flow_del.key) {
            return key_in_port(op->flow_del.key, op->flow_del.key_len);
        }
        ufid = op->flow_del.ufid;
        break;
    case DPIF_OP_FLOW_GET:
        if (op->flow_get.key) {
            return key_in_port(op->flow_get.key, op->flow_get.key_len);
        }
        ufid = op->flow_get.ufid;
        break;
    }
    if (ufid) {
        struct dp_dpu_flow *flow;

        ovs_mutex_lock(&dp->mutex);
        flow = dp_dpu_find_flow(dp, ufid);
        if (flow) {
            in_port = key_in_port(flow->key, flow->key_len);
        }
        ovs_mutex_unlock(&dp->mutex);
    }
    return in_port;
}

/* Updates the shadow table for 'op', which the DPU answered with 'error'
 * (ENOTCONN if it was not reachable). */
static void
shadow_update(struct dp_dpu *dp, struct dpu_conn *conn,
              const struct dpif_op *op, int error)
{
    if (op->type == DPIF_OP_FLOW_PUT && (!error || error == ENOTCONN)
        && !(op->flow_put.flags & DPIF_FP_PROBE)) {
        const struct dpif_flow_put *put = &op->flow_put;
        struct dp_dpu_flow *flow;

        ovs_u128 ufid = put_ufid(put);

        ovs_mutex_lock(&dp->mutex);
        flow = dp_dpu_find_flow(dp, &ufid);
        if (!flow) {
            flow = xzalloc(sizeof *flow);
            flow->ufid = ufid;
            hmap_insert(&dp->flows, &flow->node, flow->ufid.u32[0]);
        }
        flow->conn = conn;
        if (put->flags & DPIF_FP_ZERO_STATS) {
            memset(&flow->base, 0, sizeof flow->base);
            memset(flow->src, 0, sizeof flow->src);
        }
        dp_dpu_flow_set(flow, put->key, put->key_len,
                        put->mask ? put->mask : (void *) "",
                        put->mask ? put->mask_len : 0,
                        put->actions ? put->actions : (void *) "",
                        put->actions ? put->actions_len : 0);
        ovs_mutex_unlock(&dp->mutex);
    } else if (op->type == DPIF_OP_FLOW_DEL && error == ENOTCONN) {
        const ovs_u128 *ufid = op->flow_del.ufid;
        struct dp_dpu_flow *flow;

        ovs_mutex_lock(&dp->mutex);
        flow = ufid ? dp_dpu_find_flow(dp, ufid) : NULL;
        if (flow) {
            if (op->flow_del.stats) {
                flow_total_stats(flow, op->flow_del.stats);
            }
            hmap_remove(&dp->flows, &flow->node);
            dp_dpu_flow_free(flow);
        }
        ovs_mutex_unlock(&dp->mutex);
    }
}

/* Fills in 'op''s outputs from its result 'r'. */
static int
decode_op_result(struct dp_dpu *dp, const struct dpu_conn *conn,
                 struct dpif_op *op, const struct dpu_flow_result *r)
{
    if (r->error) {
        return r->error;
    }

    switch (op->type) {
    case DPIF_OP_FLOW_PUT:
        if (op->flow_put.stats) {
            ovs_u128 ufid = put_ufid(&op->flow_put);

            dp_dpu_account_flow(dp, conn, &ufid, &r->stats,
                                op->flow_put.stats, false);
        }
        break;
    case DPIF_OP_FLOW_DEL: {
        struct dpif_flow_stats out;

        if (op->flow_del.ufid) {
            dp_dpu_account_flow(dp, conn, op->flow_del.ufid, &r->stats, &out,
                                true);
        } else {
            out = r->stats;
        }
        if (op->flow_del.stats) {
            *op->flow_del.stats = out;
        }
        break;
    }
    case DPIF_OP_FLOW_GET: {
        struct dpif_flow *f = op->flow_get.flow;
        struct ofpbuf *buf = op->flow_get.buffer;

        if (!r->key || !r->mask || !r->actions || !r->has_ufid) {
            return EPROTO;
        }
        memset(f, 0, sizeof *f);
        f->key_len = nl_attr_get_size(r->key);
        f->key = ofpbuf_put(buf, nl_attr_get(r->key), f->key_len);
        f->mask_len = nl_attr_get_size(r->mask);
        f->mask = ofpbuf_put(buf, nl_attr_get(r->mask), f->mask_len);
        f->actions_len = nl_attr_get_size(r->actions);
        f->actions = ofpbuf_put(buf, nl_attr_get(r->actions),
                                f->actions_len);
        f->ufid = r->ufid;
        f->ufid_present = true;
        f->pmd_id = PMD_ID_NULL;
        dp_dpu_account_flow(dp, conn, &f->ufid, &r->stats, &f->stats, false);
        f->attrs.offloaded = r->offloaded;
        f->attrs.dp_layer = "ovs";
        break;
    }
    case DPIF_OP_EXECUTE:
        break;
    }
    return 0;
}

/* One OPERATE batch under way: 'n_ops' operations at 'ops', sent to
 * 'conns[0]', which answers them, and, for an active-standby pair, the
 * flow puts and deletes among them copied to 'conns[1]', so that it holds
 * the same flows. */
struct operate_batch {
    struct dpu_conn *conns[2];
    struct dpif_op **ops;
    size_t n_ops;
    struct dpu_request *req;        /* To 'conns[0]', or NULL. */
    struct dpu_request *copy_req;   /* To 'conns[1]', or NULL. */
    size_t n_copied;
};

/* Most OPERATE batches of one dpif_dpu_operate() call that wait for their
 * replies at once.  The DPU answers them in order, so a flow's operations
 * keep their order; each caller waits only for its own replies. */
#define OPERATE_MAX_IN_FLIGHT 8

/* Sends 'batch' to its DPUs, without waiting for their replies. */
static void
operate_begin(struct operate_batch *batch)
{
    struct dpu_conn *conn = batch->conns[0];
    struct dpu_conn *copy = batch->conns[1];

    if (conn) {
        struct ofpbuf *b = dp_dpu_request_start(DPU_MSG_OPERATE);

        for (size_t i = 0; i < batch->n_ops; i++) {
            dpu_put_flow_op(b, batch->ops[i]);
        }
        dpu_msg_finish(b);
        batch->req = dpu_conn_transact_begin(conn, b, 0);
    }

    /* The DPU that answered the operations sets their results: the copy's
     * answers change nothing, and a standby that is down gets the flows at
     * its re-sync. */
    if (copy && dpu_conn_is_up(copy)) {
        struct ofpbuf *b = dp_dpu_request_start(DPU_MSG_OPERATE);

        for (size_t i = 0; i < batch->n_ops; i++) {
            const struct dpif_op *op = batch->ops[i];

            if ((op->type == DPIF_OP_FLOW_PUT
                 && !(op->flow_put.flags & DPIF_FP_PROBE))
                || op->type == DPIF_OP_FLOW_DEL) {
                dpu_put_flow_op(b, op);
                batch->n_copied++;
            }
        }
        if (batch->n_copied) {
            COVERAGE_INC(dpif_dpu_op_copied);
            dpu_msg_finish(b);
            batch->copy_req = dpu_conn_transact_begin(copy, b, 0);
        } else {
            ofpbuf_delete(b);
        }
    }
}

/* Waits for the replies to 'batch', fills in its operations' results and
 * releases what it holds. */
static void
operate_end(struct dp_dpu *dp, struct operate_batch *batch)
{
    struct dpu_conn *conn = batch->conns[0];
    struct dpif_op **ops = batch->ops;
    size_t n_ops = batch->n_ops;
    struct ofpbuf *reply = NULL;
    struct dpu_msg msg;
    int error;

    error = (batch->req
             ? dpu_conn_transact_end(conn, batch->req, &reply, &msg, NULL)
             : ENOTCONN);
    if (error) {
        for (size_t i = 0; i < n_ops; i++) {
            struct dpif_op *op = ops[i];

            if (error == ENOTCONN && conn) {
                /* Kept in the shadow table and installed at re-sync. */
                shadow_update(dp, conn, op, error);
                if (op->type == DPIF_OP_FLOW_PUT
                    && !(op->flow_put.flags & DPIF_FP_PROBE)) {
                    COVERAGE_INC(dpif_dpu_op_deferred);
                    ovs_mutex_lock(&dp->mutex);
                    dp->n_deferred++;
                    ovs_mutex_unlock(&dp->mutex);
                    if (op->flow_put.stats) {
                        memset(op->flow_put.stats, 0,
                               sizeof *op->flow_put.stats);
                    }
                    op->error = 0;
                    continue;
                } else if (op->type == DPIF_OP_EXECUTE) {
                    COVERAGE_INC(dpif_dpu_execute_dropped);
                }
            }
            op->error = error;
        }
    } else {
        const struct nlattr *nla;
        size_t left, i = 0;

        NL_ATTR_FOR_EACH (nla, left, ofpbuf_at(reply, DPU_HEADER_LEN, 0),
                          reply->size - DPU_HEADER_LEN) {
            struct dpu_flow_result r;

            if (nl_attr_type(nla) != DPU_ATTR_OP_RESULT || i >= n_ops) {
                continue;
            }
            if (!dpu_parse_op_result(nla, &r)) {
                ops[i]->error = EPROTO;
            } else {
                ops[i]->error = decode_op_result(dp, conn, ops[i], &r);
            }
            shadow_update(dp, conn, ops[i], ops[i]->error);
            i++;
        }
        if (i < n_ops) {
            VLOG_WARN_RL(&flow_rl, "%s: DPU %s answered %"PRIuSIZE" of "
                         "%"PRIuSIZE" operations", dp->name,
                         dpu_conn_get_name(conn), i, n_ops);
            for (; i < n_ops; i++) {
                ops[i]->error = EPROTO;
            }
        }
        ofpbuf_delete(reply);
    }

    if (batch->copy_req) {
        error = dpu_conn_transact_end(batch->conns[1], batch->copy_req,
                                      &reply, &msg, NULL);
        ofpbuf_delete(reply);
        if (error && error != ENOTCONN) {
            VLOG_WARN_RL(&flow_rl,
                         "%s: copying %"PRIuSIZE" flow operations to DPU "
                         "%s failed (%s)", dp->name, batch->n_copied,
                         dpu_conn_get_name(batch->conns[1]),
                         ovs_strerror(error));
        }
    }
    dpu_conn_unref(batch->conns[0]);
    dpu_conn_unref(batch->conns[1]);
}

static void
dpif_dpu_operate(struct dpif *dpif, struct dpif_op **ops, size_t n_ops,
                 enum dpif_offload_type offload_type OVS_UNUSED)
{
    struct dp_dpu *dp = dp_dpu_from_dpif(dpif);
    struct operate_batch batches[OPERATE_MAX_IN_FLIGHT];
    size_t head = 0, n_batches = 0;

    /* Consecutive operations for the same DPUs go in one batch, and the
     * batches go out one after another, without waiting for the replies
     * to the earlier ones. */
    while (n_ops > 0) {
        struct operate_batch *batch;
        struct dpu_conn *conns[2] = { NULL, NULL };
        size_t n_conns = dp_dpu_conns_for_port(dp, op_in_port(dp, ops[0]),
                                               conns);
        size_t n;

        for (n = 1; n < n_ops && n < DPU_MAX_BATCH; n++) {
            struct dpu_conn *next[2] = { NULL, NULL };
            size_t n_next = dp_dpu_conns_for_port(
                dp, op_in_port(dp, ops[n]), next);
            bool same = (n_next == n_conns && next[0] == conns[0]
                         && next[1] == conns[1]);

            dpu_conn_unref(next[0]);
            dpu_conn_unref(next[1]);
            if (!same) {
                break;
            }
        }

        if (n_batches == OPERATE_MAX_IN_FLIGHT) {
            operate_end(dp, &batches[head]);
            head = (head + 1) % OPERATE_MAX_IN_FLIGHT;
            n_batches--;
        }
        batch = &batches[(head + n_batches) % OPERATE_MAX_IN_FLIGHT];
        *batch = (struct operate_batch) {
            .conns = { conns[0], conns[1] },
            .ops = ops,
            .n_ops = n,
        };
        operate_begin(batch);
        n_batches++;

        ops += n;
        n_ops -= n;
    }
    while (n_batches > 0) {
        operate_end(dp, &batches[head]);
        head = (head + 1) % OPERATE_MAX_IN_FLIGHT;
        n_batches--;
    }
}

/* Flow dumps.  A dump walks the DPUs in order of name; one that is down is
 * dumped from the shadow table, with the statistics last seen. */
struct dpif_dpu_flow_dump {
    struct dpif_flow_dump up;
    struct ovs_mutex mutex;
    struct dpu_conn **conns OVS_GUARDED;
    size_t n_conns, cur OVS_GUARDED;
    uint32_t dump_id;
    bool started OVS_GUARDED;       /* Current DPU's dump is under way. */
    struct hmap_position pos OVS_GUARDED;  /* Shadow position, if down. */
    bool pos_end OVS_GUARDED;       /* 'pos' went past the last flow. */
};

struct dpif_dpu_flow_dump_thread {
    struct dpif_flow_dump_thread up;
    struct dpif_dpu_flow_dump *dump;
    struct ofpbuf *reply;           /* Backs the flows returned last. */
    struct ofpbuf buf;              /* Backs shadow flows returned last. */
};

static struct dpif_dpu_flow_dump *
dpif_dpu_flow_dump_cast(struct dpif_flow_dump *dump)
{
    return CONTAINER_OF(dump, struct dpif_dpu_flow_dump, up);
}

static struct dpif_dpu_flow_dump_thread *
dpif_dpu_flow_dump_thread_cast(struct dpif_flow_dump_thread *thread)
{
    return CONTAINER_OF(thread, struct dpif_dpu_flow_dump_thread, up);
}

/* Stores in '*connsp' the DPUs whose flows a dump walks, and returns how
 * many: every DPU, sorted by name, except that of an active-standby pair
 * only the active one, since the standby holds copies of the same flows. */
size_t
dp_dpu_get_dump_conns(struct dpu_conn ***connsp)
{
    struct dpu_conn *active = dpu_ha_ref_active();
    struct dpu_conn *a, *b;

    if (!dpu_ha_get_pair(&a, &b)) {
        return dpu_conn_get_all(connsp);
    }
    if (!active) {
        active = a ? dpu_conn_ref_existing(a) : NULL;
    }
    dpu_conn_unref(a);
    dpu_conn_unref(b);
    *connsp = xmalloc(sizeof **connsp);
    (*connsp)[0] = active;
    return active ? 1 : 0;
}

static struct dpif_flow_dump *
dpif_dpu_flow_dump_create(const struct dpif *dpif, bool terse,
                          struct dpif_flow_dump_types *types OVS_UNUSED)
{
    struct dpif_dpu_flow_dump *dump = xzalloc(sizeof *dump);

    dpif_flow_dump_init(&dump->up, dpif);
    dump->up.terse = terse;
    ovs_mutex_init(&dump->mutex);
    dump->n_conns = dp_dpu_get_dump_conns(&dump->conns);
    dump->dump_id = dp_dpu_next_dump_id();
    return &dump->up;
}

static void
flow_dump_stop_current(struct dpif_dpu_flow_dump *dump)
    OVS_REQUIRES(dump->mutex)
{
    if (dump->started && dump->cur < dump->n_conns) {
        struct ofpbuf *b = dp_dpu_request_start(DPU_MSG_FLOW_DUMP_DONE);

        nl_msg_put_u32(b, DPU_ATTR_DUMP_ID, dump->dump_id);
        dp_dpu_transact(dump->conns[dump->cur], b, NULL, NULL);
    }
    dump->started = false;
}

static int
dpif_dpu_flow_dump_destroy(struct dpif_flow_dump *dump_)
{
    struct dpif_dpu_flow_dump *dump = dpif_dpu_flow_dump_cast(dump_);

    ovs_mutex_lock(&dump->mutex);
    flow_dump_stop_current(dump);
    ovs_mutex_unlock(&dump->mutex);
    for (size_t i = 0; i < dump->n_conns; i++) {
        dpu_conn_unref(dump->conns[i]);
    }
    free(dump->conns);
    ovs_mutex_destroy(&dump->mutex);
    free(dump);
    return 0;
}

static struct dpif_flow_dump_thread *
dpif_dpu_flow_dump_thread_create(struct dpif_flow_dump *dump_)
{
    struct dpif_dpu_flow_dump *dump = dpif_dpu_flow_dump_cast(dump_);
    struct dpif_dpu_flow_dump_thread *thread = xzalloc(sizeof *thread);

    dpif_flow_dump_thread_init(&thread->up, &dump->up);
    thread->dump = dump;
    ofpbuf_init(&thread->buf, 4096);
    return &thread->up;
}

static void
dpif_dpu_flow_dump_thread_destroy(struct dpif_flow_dump_thread *thread_)
{
    struct dpif_dpu_flow_dump_thread *thread
        = dpif_dpu_flow_dump_thread_cast(thread_);

    ofpbuf_delete(thread->reply);
    ofpbuf_uninit(&thread->buf);
    free(thread);
}

/* Dumps up to 'max' flows of down DPU 'conn' from the shadow table. */
static int
flow_dump_shadow(struct dp_dpu *dp, struct dpif_dpu_flow_dump *dump,
                 struct dpif_dpu_flow_dump_thread *thread,
                 struct dpu_conn *conn, struct dpif_flow *flows, int max)
    OVS_REQUIRES(dump->mutex)
{
    int n = 0;

    ovs_mutex_lock(&dp->mutex);
    while (n < max) {
        struct hmap_node *node = hmap_at_position(&dp->flows, &dump->pos);
        struct dp_dpu_flow *flow;
        struct dpif_flow *f;

        if (!node) {
            /* hmap_at_position() has reset 'pos' to the start: remember
             * that this is the end, or the next call starts over. */
            dump->pos_end = true;
            break;
        }
        flow = CONTAINER_OF(node, struct dp_dpu_flow, node);
        if (!dp_dpu_flow_lives_on(dp, flow, conn)) {
            continue;
        }
        f = &flows[n++];
        memset(f, 0, sizeof *f);
        if (!dump->up.terse) {
            f->key = ofpbuf_put(&thread->buf, flow->key, flow->key_len);
            f->key_len = flow->key_len;
            f->mask = ofpbuf_put(&thread->buf, flow->mask, flow->mask_len);
            f->mask_len = flow->mask_len;
            f->actions = ofpbuf_put(&thread->buf, flow->actions,
                                    flow->actions_len);
            f->actions_len = flow->actions_len;
        }
        f->ufid = flow->ufid;
        f->ufid_present = true;
        f->pmd_id = PMD_ID_NULL;
        flow_total_stats(flow, &f->stats);
        f->attrs.dp_layer = "ovs";
    }
    ovs_mutex_unlock(&dp->mutex);
    return n;
}

static int
dpif_dpu_flow_dump_next(struct dpif_flow_dump_thread *thread_,
                        struct dpif_flow *flows, int max_flows)
{
    struct dpif_dpu_flow_dump_thread *thread
        = dpif_dpu_flow_dump_thread_cast(thread_);
    struct dpif_dpu_flow_dump *dump = thread->dump;
    struct dp_dpu *dp = dp_dpu_from_dpif(dump->up.dpif);
    int n = 0;

    ofpbuf_delete(thread->reply);
    thread->reply = NULL;
    ofpbuf_clear(&thread->buf);
    /* Pointers into 'buf' must stay valid: never reallocate it below. */
    ofpbuf_prealloc_tailroom(&thread->buf, 2048 * MAX(max_flows, 1));

    ovs_mutex_lock(&dump->mutex);
    while (!n && dump->cur < dump->n_conns) {
        struct dpu_conn *conn = dump->conns[dump->cur];
        const struct nlattr *nla;
        struct ofpbuf *b, *reply;
        struct dpu_msg msg;
        size_t left;
        int error;

        if (!dpu_conn_is_up(conn)) {
            n = (dump->pos_end ? 0
                 : flow_dump_shadow(dp, dump, thread, conn, flows,
                                    MIN(max_flows, 32)));
            if (!n) {
                memset(&dump->pos, 0, sizeof dump->pos);
                dump->pos_end = false;
                dump->cur++;
            }
            continue;
        }

        b = dp_dpu_request_start(DPU_MSG_FLOW_DUMP);
        nl_msg_put_u32(b, DPU_ATTR_DUMP_ID, dump->dump_id);
        nl_msg_put_u32(b, DPU_ATTR_MAX_FLOWS, MAX(max_flows, 1));
        if (dump->up.terse) {
            nl_msg_put_flag(b, DPU_ATTR_TERSE);
        }
        dump->started = true;
        error = dp_dpu_transact(conn, b, &reply, &msg);
        if (error) {
            VLOG_WARN_RL(&dump_rl, "%s: flow dump from DPU %s failed (%s)",
                         dp->name, dpu_conn_get_name(conn),
                         ovs_strerror(error));
            dump->started = false;
            dump->cur++;
            continue;
        }

        NL_ATTR_FOR_EACH (nla, left, ofpbuf_at(reply, DPU_HEADER_LEN, 0),
                          reply->size - DPU_HEADER_LEN) {
            struct dpu_flow_result fr;
            struct dpif_flow *f;

            if (nl_attr_type(nla) != DPU_ATTR_FLOW || n >= max_flows) {
                continue;
            }
            if (!dpu_parse_flow(nla, &fr)) {
                VLOG_WARN_RL(&dump_rl,
                             "%s: malformed flow in dump from DPU %s",
                             dp->name, dpu_conn_get_name(conn));
                continue;
            }
            f = &flows[n++];
            memset(f, 0, sizeof *f);
            if (fr.key) {
                f->key = nl_attr_get(fr.key);
                f->key_len = nl_attr_get_size(fr.key);
            }
            if (fr.mask) {
                f->mask = nl_attr_get(fr.mask);
                f->mask_len = nl_attr_get_size(fr.mask);
            }
            if (fr.actions) {
                f->actions = nl_attr_get(fr.actions);
                f->actions_len = nl_attr_get_size(fr.actions);
            }
            f->ufid = fr.ufid;
            f->ufid_present = true;
            f->pmd_id = PMD_ID_NULL;
            dp_dpu_account_flow(dp, conn, &f->ufid, &fr.stats, &f->stats,
                                false);
            f->attrs.offloaded = fr.offloaded;
            f->attrs.dp_layer = "ovs";
        }
        if (!(msg.flags & DPU_F_MORE)) {
            dump->started = false;
            dump->cur++;
        }
        if (n) {
            thread->reply = reply;
        } else {
            ofpbuf_delete(reply);
        }
    }
    ovs_mutex_unlock(&dump->mutex);
    return n;
}

/* Upcalls. */

static int
dpif_dpu_recv_set(struct dpif *dpif, bool enable)
{
    struct dp_dpu *dp = dp_dpu_from_dpif(dpif);

    ovs_rwlock_wrlock(&dp->upcall_rwlock);
    dp->recv_enabled = enable;
    ovs_rwlock_unlock(&dp->upcall_rwlock);
    return 0;
}

static int
dpif_dpu_handlers_set(struct dpif *dpif, uint32_t n_handlers)
{
    struct dp_dpu *dp = dp_dpu_from_dpif(dpif);

    ovs_rwlock_wrlock(&dp->upcall_rwlock);
    if (n_handlers != dp->n_handlers) {
        dp_dpu_set_handlers(dp, n_handlers);
    }
    ovs_rwlock_unlock(&dp->upcall_rwlock);
    return 0;
}

/* Queues upcall 'nla' from 'conn' to one of 'dp''s handlers, chosen by the
 * upcall's UFID so that the packets of one flow stay in order. */
static void
dp_dpu_queue_upcall(struct dp_dpu *dp, struct dpu_conn *conn,
                    const struct nlattr *nla)
    OVS_REQ_RDLOCK(dp->upcall_rwlock)
{
    struct ds why = DS_EMPTY_INITIALIZER;
    struct dp_dpu_handler *h;
    struct dpu_upcall upcall;
    struct dp_dpu_upcall *u;
    ovs_u128 ufid;

    if (!dpu_parse_upcall(nla, &upcall, &why)) {
        COVERAGE_INC(dpif_dpu_upcall_bad);
        VLOG_WARN_RL(&upcall_rl, "%s: malformed upcall from DPU %s: %s",
                     dp->name, dpu_conn_get_name(conn), ds_cstr(&why));
        ds_destroy(&why);
        return;
    }

    ds_destroy(&why);
    ufid = upcall.ufid;
    h = &dp->handlers[ufid.u32[0] % dp->n_handlers];
    u = xmalloc(sizeof *u);
    u->buf = ofpbuf_clone_data(nla, nla->nla_len);
    if (!guarded_list_push_back(&h->queue, &u->list_node,
                                DPIF_DPU_MAX_QUEUED_UPCALLS)) {
        COVERAGE_INC(dpif_dpu_upcall_lost);
        ofpbuf_delete(u->buf);
        free(u);
        ovs_mutex_lock(&dp->mutex);
        dp->n_lost++;
        ovs_mutex_unlock(&dp->mutex);
        return;
    }
    COVERAGE_INC(dpif_dpu_upcall);
    seq_change(h->seq);
    ovs_mutex_lock(&dp->mutex);
    dp->n_upcalls++;
    ovs_mutex_unlock(&dp->mutex);
}

/* Called in a DPU's I/O thread for each asynchronous message. */
static void
dp_dpu_async_cb(struct dpu_conn *conn, const struct ofpbuf *buf,
                const struct dpu_msg *msg, void *aux OVS_UNUSED)
{
    struct shash_node *node;

    if (msg->type == DPU_MSG_PORT_EVENT) {
        const char *dev = nl_attr_get_string(msg->attrs[DPU_ATTR_PORT_NAME]);
        bool active = dpu_ha_is_active(conn);
        bool held = false;
        char *name = NULL;

        /* The device of a port on the other DPU of a pair may have another
         * name than the port.  The host's netdev of an uplink of the pair's
         * active DPU hears of the change only once the "dpu_ha" thread has
         * decided whether to fail over (see dpu_ha_dp_hold_change()). */
        ovs_mutex_lock(&dp_dpu_mutex);
        SHASH_FOR_EACH (node, &dp_dpus) {
            struct dp_dpu *dp = node->data;
            struct dp_dpu_port *port;

            ovs_mutex_lock(&dp->mutex);
            HMAP_FOR_EACH (port, node, &dp->ports) {
                const char *port_dev;

                if (dp_dpu_port_on(port, conn, &port_dev)
                    && !strcmp(port_dev, dev)) {
                    if (port->uplink && active) {
                        dpu_ha_dp_hold_change(dp->ha, port->name);
                        held = true;
                    }
                    dpu_ha_dp_ports_changed(dp->ha);
                    seq_change(dpu_conn_seq());
                }
                if (!name && port->conn2 == conn
                    && !strcmp(port->dev2, dev)) {
                    name = xstrdup(port->name);
                }
            }
            ovs_mutex_unlock(&dp->mutex);
        }
        ovs_mutex_unlock(&dp_dpu_mutex);
        if (!held) {
            netdev_dpu_port_changed(name ? name : dev);
        }
        free(name);
        return;
    } else if (msg->type == DPU_MSG_DPU_EVENT
               && !strcmp(nl_attr_get_string(msg->attrs[DPU_ATTR_EVENT]),
                          "health")) {
        struct ds why = DS_EMPTY_INITIALIZER;
        struct dpu_health *alerts;
        size_t n;

        if (dpu_parse_health(buf, &alerts, &n, &why)) {
            dpu_alarm_set_health(dpu_conn_get_name(conn), alerts, n);
        } else {
            COVERAGE_INC(dpif_dpu_bad_health);
            VLOG_WARN_RL(&health_rl, "DPU %s: malformed health event: %s",
                         dpu_conn_get_name(conn), ds_cstr(&why));
        }
        dpu_health_destroy(alerts, n);
        ds_destroy(&why);
        return;
    } else if (msg->type == DPU_MSG_TNL_ROUTES) {
        dpu_route_receive(conn, buf);
        return;
    } else if (msg->type == DPU_MSG_CT_SYNC
               || msg->type == DPU_MSG_CT_SYNC_DONE) {
        dpu_ct_sync_relay(conn, buf, msg);
        return;
    } else if (msg->type == DPU_MSG_DPU_EVENT) {
        dpu_ha_dpu_event(conn, nl_attr_get_string(msg->attrs[DPU_ATTR_EVENT]),
                         (msg->attrs[DPU_ATTR_ERROR_MSG]
                          ? nl_attr_get_string(msg->attrs[DPU_ATTR_ERROR_MSG])
                          : NULL));
        seq_change(dpu_conn_seq());
        return;
    } else if (msg->type != DPU_MSG_UPCALL) {
        return;
    } else if (!dpu_ha_is_active(conn)) {
        /* A standby forwards nothing, so this can only be a packet that it
         * received just before it became standby. */
        COVERAGE_INC(dpif_dpu_upcall_standby);
        return;
    }

    ovs_mutex_lock(&dp_dpu_mutex);
    SHASH_FOR_EACH (node, &dp_dpus) {
        struct dp_dpu *dp = node->data;
        const struct nlattr *nla;
        size_t left;

        ovs_rwlock_rdlock(&dp->upcall_rwlock);
        if (dp->recv_enabled && dp->n_handlers) {
            NL_ATTR_FOR_EACH (nla, left, ofpbuf_at(buf, DPU_HEADER_LEN, 0),
                              buf->size - DPU_HEADER_LEN) {
                if (nl_attr_type(nla) == DPU_ATTR_UPCALL) {
                    dp_dpu_queue_upcall(dp, conn, nla);
                }
            }
        } else {
            ovs_mutex_lock(&dp->mutex);
            dp->n_lost++;
            ovs_mutex_unlock(&dp->mutex);
        }
        ovs_rwlock_unlock(&dp->upcall_rwlock);
    }
    ovs_mutex_unlock(&dp_dpu_mutex);
}

static int
dpif_dpu_recv(struct dpif *dpif, uint32_t handler_id,
              struct dpif_upcall *upcall, struct ofpbuf *buf)
{
    struct dp_dpu *dp = dp_dpu_from_dpif(dpif);
    struct ds why = DS_EMPTY_INITIALIZER;
    struct ovs_list *list_node = NULL;
    struct dpu_upcall du;
    const struct nlattr *pkt;
    struct dp_dpu_upcall *u;

    ovs_rwlock_rdlock(&dp->upcall_rwlock);
    if (handler_id < dp->n_handlers) {
        list_node = guarded_list_pop_front(&dp->handlers[handler_id].queue);
    }
    ovs_rwlock_unlock(&dp->upcall_rwlock);
    if (!list_node) {
        return EAGAIN;
    }

    u = CONTAINER_OF(list_node, struct dp_dpu_upcall, list_node);
    ofpbuf_clear(buf);
    ofpbuf_put(buf, u->buf->data, u->buf->size);
    ofpbuf_delete(u->buf);
    free(u);

    /* Validated when queued. */
    ovs_assert(dpu_parse_upcall(buf->data, &du, &why));
    memset(upcall, 0, sizeof *upcall);
    upcall->type = du.type;
    upcall->key = CONST_CAST(struct nlattr *, nl_attr_get(du.key));
    upcall->key_len = nl_attr_get_size(du.key);
    upcall->ufid = du.ufid;
    upcall->userdata = CONST_CAST(struct nlattr *, du.userdata);
    upcall->actions = CONST_CAST(struct nlattr *, du.actions);
    upcall->out_tun_key = CONST_CAST(struct nlattr *, du.out_tun_key);
    upcall->mru = CONST_CAST(struct nlattr *, du.mru);
    upcall->hash = CONST_CAST(struct nlattr *, du.hash);
    upcall->cutlen = CONST_CAST(struct nlattr *, du.cutlen);

    /* As dpif-netlink does: the packet's attribute header becomes headroom
     * that ofproto may overwrite. */
    pkt = du.packet;
    dp_packet_use_stub(&upcall->packet,
                       CONST_CAST(struct nlattr *, nl_attr_get(pkt)) - 1,
                       nl_attr_get_size(pkt) + sizeof(struct nlattr));
    dp_packet_set_data(&upcall->packet,
                       (char *) dp_packet_data(&upcall->packet)
                       + sizeof(struct nlattr));
    dp_packet_set_size(&upcall->packet, nl_attr_get_size(pkt));
    if (nl_attr_find__(upcall->key, upcall->key_len, OVS_KEY_ATTR_ETHERNET)) {
        upcall->packet.packet_type = htonl(PT_ETH);
    } else {
        const struct nlattr *et = nl_attr_find__(upcall->key,
                                                 upcall->key_len,
                                                 OVS_KEY_ATTR_ETHERTYPE);
        ovs_be16 ethertype = et ? nl_attr_get_be16(et) : 0;

        upcall->packet.packet_type = PACKET_TYPE_BE(OFPHTN_ETHERTYPE,
                                                    ntohs(ethertype));
        dp_packet_set_l3(&upcall->packet, dp_packet_data(&upcall->packet));
    }
    return 0;
}

static void
dpif_dpu_recv_wait(struct dpif *dpif, uint32_t handler_id)
{
    struct dp_dpu *dp = dp_dpu_from_dpif(dpif);

    ovs_rwlock_rdlock(&dp->upcall_rwlock);
    if (handler_id < dp->n_handlers) {
        struct dp_dpu_handler *h = &dp->handlers[handler_id];
        uint64_t seqno = seq_read(h->seq);

        if (!guarded_list_is_empty(&h->queue)) {
            poll_immediate_wake();
        } else {
            seq_wait(h->seq, seqno);
        }
    }
    ovs_rwlock_unlock(&dp->upcall_rwlock);
}

static void
dpif_dpu_recv_purge(struct dpif *dpif)
{
    struct dp_dpu *dp = dp_dpu_from_dpif(dpif);

    ovs_rwlock_wrlock(&dp->upcall_rwlock);
    dp_dpu_set_handlers(dp, dp->n_handlers);
    ovs_rwlock_unlock(&dp->upcall_rwlock);
}

/* The DPU's datapath, dpif-netdev, has no queues of its own: as dpif-netdev
 * does, a queue is the packet's priority (skb_priority), which the
 * set_queue action sets and the DPU's devices may read. */
static int
dpif_dpu_queue_to_priority(const struct dpif *dpif OVS_UNUSED,
                           uint32_t queue_id, uint32_t *priority)
{
    *priority = queue_id;
    return 0;
}

static char *
dpif_dpu_get_datapath_version(void)
{
    return xstrdup("<dpu>");
}

static int
dpif_dpu_set_config(struct dpif *dpif OVS_UNUSED,
                    const struct smap *other_config)
{
    struct dpu_conn **conns;
    size_t n;

    ovs_mutex_lock(&dp_config_mutex);
    smap_destroy(&dp_config);
    smap_clone(&dp_config, other_config);
    ovs_mutex_unlock(&dp_config_mutex);

    /* A DPU that is down gets it at re-sync. */
    n = dpu_conn_get_all(&conns);
    for (size_t i = 0; i < n; i++) {
        send_dp_config(conns[i]);
        dpu_conn_unref(conns[i]);
    }
    free(conns);
    return 0;
}

/* Status, for ovs-appctl and OVSDB. */

static void
dp_dpu_format(struct dp_dpu *dp, struct ds *s)
{
    struct dp_dpu_port *port;
    struct shash_node *node;

    ovs_mutex_lock(&dp->mutex);
    ds_put_format(s, "datapath %s: %"PRIuSIZE" ports, %"PRIuSIZE" flows "
                  "installed by the host, upcalls %"PRIu64", lost %"PRIu64
                  ", deferred %"PRIu64", re-syncs %"PRIu64"\n",
                  dp->name, hmap_count(&dp->ports), hmap_count(&dp->flows),
                  dp->n_upcalls, dp->n_lost, dp->n_deferred, dp->n_resyncs);
    SHASH_FOR_EACH (node, &dp->members) {
        struct dp_dpu_member *m = node->data;
        size_t n_flows = 0;
        struct dp_dpu_flow *flow;

        HMAP_FOR_EACH (flow, node, &dp->flows) {
            n_flows += dp_dpu_flow_lives_on(dp, flow, m->conn);
        }
        ds_put_format(s, "  on %s: %"PRIuSIZE" flows, %s\n", node->name,
                      n_flows, m->synced_session ? "in sync" : "not synced");
    }
    HMAP_FOR_EACH (port, node, &dp->ports) {
        ds_put_format(s, "  port %"PRIu32": %s (%s%s%s) on %s",
                      odp_to_u32(port->port_no), port->name, port->type,
                      port->dpu_type[0] ? ", dpu type " : "", port->dpu_type,
                      dpu_conn_get_name(port->conn));
        if (port->conn2) {
            ds_put_format(s, " and %s", dpu_conn_get_name(port->conn2));
            if (strcmp(port->dev2, port->name)) {
                ds_put_format(s, " (as %s)", port->dev2);
            }
        }
        ds_put_char(s, '\n');
    }
    ovs_mutex_unlock(&dp->mutex);
}

static void
dpif_dpu_unixctl_alarms(struct unixctl_conn *conn, int argc,
                        const char *argv[], void *aux OVS_UNUSED)
{
    struct ds s = DS_EMPTY_INITIALIZER;

    if (argc > 1) {
        struct dpu_conn *dpu = dpu_conn_ref(argv[1]);

        if (!dpu) {
            unixctl_command_reply_error(conn, "no such DPU");
            return;
        }
        dpu_conn_unref(dpu);
    }
    dpu_alarm_format(argc > 1 ? argv[1] : NULL, &s);
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

static void
dpif_dpu_unixctl_show(struct unixctl_conn *conn, int argc,
                      const char *argv[], void *aux OVS_UNUSED)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    struct dpu_conn **conns;
    struct shash_node *node;
    size_t n;

    n = dpu_conn_get_all(&conns);
    if (!n) {
        ds_put_cstr(&s, "no DPU configured\n");
    }
    for (size_t i = 0; i < n; i++) {
        struct smap status = SMAP_INITIALIZER(&status);

        dpu_conn_format(conns[i], &s);
        dpu_ha_get_status(conns[i], &status);
        ds_put_format(&s, "  role: %s", smap_get_def(&status, "role", ""));
        if (smap_get(&status, "state")) {
            /* "failed" or "recovering". */
            ds_put_format(&s, ", %s", smap_get(&status, "state"));
        }
        ds_put_char(&s, '\n');
        dpu_metrics_format_summary(dpu_conn_get_name(conns[i]), &s);
        smap_destroy(&status);
        dpu_conn_unref(conns[i]);
    }
    if (n) {
        dpu_ha_format(&s);
        dpu_ct_sync_format(&s);
    }
    free(conns);

    ovs_mutex_lock(&dp_dpu_mutex);
    SHASH_FOR_EACH (node, &dp_dpus) {
        if (argc < 2 || !strcmp(argv[1], node->name)) {
            dp_dpu_format(node->data, &s);
        }
    }
    ovs_mutex_unlock(&dp_dpu_mutex);

    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

/* The actions that ofproto-dpif does not probe for but asks of the class,
 * once, when it opens the datapath: dpif_dpu_open() has waited for the DPUs
 * by then.  A DPU that comes up later with less does not take them back:
 * the actions of flows it gets fail its check, with a log line. */
static bool
dpif_dpu_supports_explicit_drop_action(const struct dpif *dpif OVS_UNUSED)
{
    bool explicit_drop, lb_output;

    dp_dpu_get_features(&explicit_drop, &lb_output);
    return explicit_drop;
}

static bool
dpif_dpu_supports_lb_output_action(const struct dpif *dpif OVS_UNUSED)
{
    bool explicit_drop, lb_output;

    dp_dpu_get_features(&explicit_drop, &lb_output);
    return lb_output;
}

const struct dpif_class dpif_dpu_class = {
    .type = "dpu",
    .init = dpif_dpu_init,
    .enumerate = dpif_dpu_enumerate,
    .port_open_type = dpif_dpu_port_open_type,
    .open = dpif_dpu_open,
    .close = dpif_dpu_close,
    .destroy = dpif_dpu_destroy,
    .run = dpif_dpu_run,
    .wait = dpif_dpu_wait,
    .get_stats = dpif_dpu_get_stats,
    .port_add = dpif_dpu_port_add,
    .port_del = dpif_dpu_port_del,
    .port_query_by_number = dpif_dpu_port_query_by_number,
    .port_query_by_name = dpif_dpu_port_query_by_name,
    .port_dump_start = dpif_dpu_port_dump_start,
    .port_dump_next = dpif_dpu_port_dump_next,
    .port_dump_done = dpif_dpu_port_dump_done,
    .port_poll = dpif_dpu_port_poll,
    .port_poll_wait = dpif_dpu_port_poll_wait,
    .flow_flush = dpif_dpu_flow_flush,
    .flow_dump_create = dpif_dpu_flow_dump_create,
    .flow_dump_destroy = dpif_dpu_flow_dump_destroy,
    .flow_dump_thread_create = dpif_dpu_flow_dump_thread_create,
    .flow_dump_thread_destroy = dpif_dpu_flow_dump_thread_destroy,
    .flow_dump_next = dpif_dpu_flow_dump_next,
    .operate = dpif_dpu_operate,
    .queue_to_priority = dpif_dpu_queue_to_priority,
    .recv_set = dpif_dpu_recv_set,
    .handlers_set = dpif_dpu_handlers_set,
    .set_config = dpif_dpu_set_config,
    .recv = dpif_dpu_recv,
    .recv_wait = dpif_dpu_recv_wait,
    .recv_purge = dpif_dpu_recv_purge,
    .get_datapath_version = dpif_dpu_get_datapath_version,
    .ct_dump_start = dpif_dpu_ct_dump_start,
    .ct_dump_next = dpif_dpu_ct_dump_next,
    .ct_dump_done = dpif_dpu_ct_dump_done,
    .ct_flush = dpif_dpu_ct_flush,
    .ct_set_maxconns = dpif_dpu_ct_set_maxconns,
    .ct_get_maxconns = dpif_dpu_ct_get_maxconns,
    .ct_get_nconns = dpif_dpu_ct_get_nconns,
    .ct_set_limits = dpif_dpu_ct_set_limits,
    .ct_get_limits = dpif_dpu_ct_get_limits,
    .ct_del_limits = dpif_dpu_ct_del_limits,
    .ct_set_timeout_policy = dpif_dpu_ct_set_timeout_policy,
    .ct_get_timeout_policy = dpif_dpu_ct_get_timeout_policy,
    .ct_del_timeout_policy = dpif_dpu_ct_del_timeout_policy,
    .ct_get_timeout_policy_name = dpif_dpu_ct_get_timeout_policy_name,
    .meter_get_features = dpif_dpu_meter_get_features,
    .meter_set = dpif_dpu_meter_set,
    .meter_get = dpif_dpu_meter_get,
    .meter_del = dpif_dpu_meter_del,
    .bond_add = dpif_dpu_bond_add,
    .bond_del = dpif_dpu_bond_del,
    .bond_stats_get = dpif_dpu_bond_stats_get,
    .ct_get_features = dpif_dpu_ct_get_features,
    /* Every flow runs in dpif-netdev on a DPU, which tunnels natively. */
    .supports_tnl_push_pop = true,
    .supports_explicit_drop_action = dpif_dpu_supports_explicit_drop_action,
    .supports_lb_output_action = dpif_dpu_supports_lb_output_action,
};

void
dpif_dpu_register(void)
{
    static struct ovsthread_once once = OVSTHREAD_ONCE_INITIALIZER;

    if (ovsthread_once_start(&once)) {
        int error = dp_register_provider(&dpif_dpu_class);

        if (error) {
            VLOG_ERR("cannot register the dpu datapath class (%s)",
                     ovs_strerror(error));
        }
        ovsthread_once_done(&once);
    }
}

