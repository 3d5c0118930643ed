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
#include "netdev-dpu.h"

#include <errno.h>
#include <stdarg.h>

#include "coverage.h"
#include "dpu-conn.h"
#include "dpu-ha.h"
#include "hash.h"
#include "dpu-codec.h"
#include "netdev-provider.h"
#include "openvswitch/hmap.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/vlog.h"
#include "ovs-thread.h"
#include "packets.h"
#include "seq.h"
#include "smap.h"
#include "sset.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(netdev_dpu);

COVERAGE_DEFINE(netdev_dpu_query);          /* Asked a DPU about a port. */
COVERAGE_DEFINE(netdev_dpu_query_failed);   /* ...and got no answer. */
COVERAGE_DEFINE(netdev_dpu_qos_refused);    /* DPU refused a QoS change. */
COVERAGE_DEFINE(netdev_dpu_qos_unchanged);  /* QoS change not sent: the DPU
                                             * has it already. */

/* A port query that fails is retried every few seconds by the bridge; the
 * log needs to say so only now and then. */
static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 10);

/* See netdev_dpu_uplink_changes(). */
static atomic_uint64_t uplink_changes = ATOMIC_VAR_INIT(0);

/* How long a query about a port may take.  Short: the bridge asks from
 * ovs-vswitchd's main thread. */
#define NETDEV_DPU_TIMEOUT_MS 1000

/* For how long values read from the DPU answer queries without asking it
 * again. */
#define NETDEV_DPU_CACHE_MS 100

struct netdev_dpu {
    struct netdev up;

    struct ovs_mutex mutex;
    char *dpu OVS_GUARDED;              /* options:dpu, or NULL. */
    char *peer OVS_GUARDED;             /* options:dpu-peer, or NULL. */
    char *port_type OVS_GUARDED;        /* options:dpu-port-type, or NULL. */
    bool uplink OVS_GUARDED;            /* options:dpu-uplink. */
    struct smap options OVS_GUARDED;    /* The other options: for the DPU. */
    bool configured OVS_GUARDED;        /* set_config() succeeded once. */

    /* What the host asked of the device: applied again each time the port
     * is (re)added to its DPU, so that nothing is lost while the port is not
     * there yet or the DPU is down. */
    int mtu_request OVS_GUARDED;                /* 0: none. */
    struct eth_addr mac_request OVS_GUARDED;
    bool mac_requested OVS_GUARDED;
    enum netdev_flags flags_request OVS_GUARDED;
    enum netdev_flags flags_requested OVS_GUARDED;  /* Bits set by host. */

    /* Last values read from the DPU: what to report while it is down. */
    struct netdev_stats stats OVS_GUARDED;

    /* Statistics are read from one device, on one DPU, in one boot of it:
     * a "segment".  In an active-standby pair, a failover moves the port to
     * another device, and a DPU that restarts starts its counters again, so
     * 'stats' is 'seg_base', what the earlier segments counted, plus what
     * the current one counted since it started: the counters never go
     * backwards.  Indexes as dpu_counters[]. */
    uint64_t seg_base[10] OVS_GUARDED;
    uint64_t seg_offset[10] OVS_GUARDED;    /* Counters at its start. */
    uint64_t seg_last[10] OVS_GUARDED;      /* Last read. */
    char *seg_dpu OVS_GUARDED;              /* NULL: no segment yet. */
    char *seg_dev OVS_GUARDED;
    ovs_u128 seg_boot OVS_GUARDED;
    struct eth_addr mac OVS_GUARDED;
    int mtu OVS_GUARDED;
    bool carrier OVS_GUARDED;
    long long int carrier_resets OVS_GUARDED;
    enum netdev_flags flags OVS_GUARDED;
    struct dpu_in6_addr *addrs OVS_GUARDED;     /* IP addresses, or NULL. */
    size_t n_addrs OVS_GUARDED;
    bool valid OVS_GUARDED;             /* Values above were read once. */
    long long int read_time OVS_GUARDED;    /* When, in time_msec(). */

    /* With 'link_by_events' (see netdev_dpu_set_link_by_events()), a read
     * takes 'carrier', 'carrier_resets' and 'flags' from the DPU only if
     * netdev_dpu_port_changed() was called since the read that last took
     * them, that is, if 'link_seq' changed. */
    bool link_by_events OVS_GUARDED;
    uint64_t link_seq OVS_GUARDED;
    uint64_t link_read_seq OVS_GUARDED;

    /* The QoS and queues that the host asked for last, whether the DPU took
     * them, refused them or was not there: applied again by
     * netdev_dpu_port_added(). */
    char *qos_type OVS_GUARDED;         /* NULL: never set. */
    struct smap qos_details OVS_GUARDED;
    bool qos_applied OVS_GUARDED;       /* The DPU has 'qos_type'. */
    struct hmap queues OVS_GUARDED;     /* struct netdev_dpu_queue. */

    /* The QoS types that get_qos() read from the DPU, which it returns
     * pointers to: kept until the netdev is destroyed. */
    struct sset qos_type_names OVS_GUARDED;
};

/* A queue of a netdev_dpu's QoS, as the host asked for it. */
struct netdev_dpu_queue {
    struct hmap_node hmap_node;         /* In 'queues', by hash of 'id'. */
    unsigned int id;
    struct smap details;
    bool applied;                       /* The DPU has 'details'. */
};

static const struct netdev_class netdev_dpu_class;

static bool
is_netdev_dpu_class(const struct netdev_class *class)
{
    return class->construct == netdev_dpu_class.construct;
}

static void netdev_dpu_account(struct netdev_dpu *, const char *dpu,
                               const char *devname, const ovs_u128 *boot_id,
                               const uint64_t raw[]);

static struct netdev_dpu *
netdev_dpu_cast(const struct netdev *netdev)
{
    ovs_assert(is_netdev_dpu_class(netdev_get_class(netdev)));
    return CONTAINER_OF(netdev, struct netdev_dpu, up);
}

/* The device counters of NETDEV_GET, where they are in struct
 * netdev_stats. */
static const struct {
    size_t offset;
} dpu_counters[] = {
#define DPU_COUNTER(MEMBER) { offsetof(struct netdev_stats, MEMBER) }
    DPU_COUNTER(rx_packets),
    DPU_COUNTER(tx_packets),
    DPU_COUNTER(rx_bytes),
    DPU_COUNTER(tx_bytes),
    DPU_COUNTER(rx_errors),
    DPU_COUNTER(tx_errors),
    DPU_COUNTER(rx_dropped),
    DPU_COUNTER(tx_dropped),
    DPU_COUNTER(multicast),
    DPU_COUNTER(collisions),
#undef DPU_COUNTER
};
#define N_DPU_COUNTERS ARRAY_SIZE(dpu_counters)

/* Makes the next query ask the DPU. */
static void
netdev_dpu_invalidate(struct netdev_dpu *dev)
{
    ovs_mutex_lock(&dev->mutex);
    dev->read_time = LLONG_MIN;
    ovs_mutex_unlock(&dev->mutex);
}

bool
netdev_is_dpu(const struct netdev *netdev)
{
    return is_netdev_dpu_class(netdev_get_class(netdev));
}

const char *
netdev_dpu_get_dpu_name(const struct netdev *netdev)
{
    /* Written only by set_config() from the main thread, which is also the
     * only caller. */
    return netdev_dpu_cast(netdev)->dpu;
}

const char *
netdev_dpu_get_peer(const struct netdev *netdev)
{
    /* As netdev_dpu_get_dpu_name(). */
    return netdev_dpu_cast(netdev)->peer;
}

const char *
netdev_dpu_get_port_type(const struct netdev *netdev)
{
    return netdev_dpu_cast(netdev)->port_type;
}

void
netdev_dpu_set_link_by_events(const char *name, bool by_events)
{
    struct netdev *netdev = netdev_from_name(name);

    if (netdev) {
        if (netdev_is_dpu(netdev)) {
            struct netdev_dpu *dev = netdev_dpu_cast(netdev);

            ovs_mutex_lock(&dev->mutex);
            dev->link_by_events = by_events;
            dev->link_seq++;
            ovs_mutex_unlock(&dev->mutex);
        }
        netdev_close(netdev);
    }
}

void
netdev_dpu_port_changed(const char *name)
{
    struct netdev *netdev = netdev_from_name(name);

    if (netdev) {
        if (netdev_is_dpu(netdev)) {
            struct netdev_dpu *dev = netdev_dpu_cast(netdev);

            ovs_mutex_lock(&dev->mutex);
            dev->link_seq++;
            ovs_mutex_unlock(&dev->mutex);
            netdev_dpu_invalidate(dev);
            netdev_change_seq_changed(netdev);
        }
        netdev_close(netdev);
    }
}

static struct netdev *
netdev_dpu_alloc(void)
{
    struct netdev_dpu *dev = xzalloc(sizeof *dev);
    return &dev->up;
}

static int
netdev_dpu_construct(struct netdev *netdev)
{
    struct netdev_dpu *dev = netdev_dpu_cast(netdev);

    ovs_mutex_init(&dev->mutex);
    smap_init(&dev->options);
    dev->mtu = ETH_PAYLOAD_MAX;
    smap_init(&dev->qos_details);
    hmap_init(&dev->queues);
    sset_init(&dev->qos_type_names);
    return 0;
}

/* Forgets the queues that the host asked 'dev' for. */
static void
netdev_dpu_clear_queues(struct netdev_dpu *dev)
    OVS_REQUIRES(dev->mutex)
{
    struct netdev_dpu_queue *queue;

    HMAP_FOR_EACH_POP (queue, hmap_node, &dev->queues) {
        smap_destroy(&queue->details);
        free(queue);
    }
}

static void
netdev_dpu_destruct(struct netdev *netdev)
{
    struct netdev_dpu *dev = netdev_dpu_cast(netdev);

    free(dev->dpu);
    free(dev->peer);
    free(dev->port_type);
    smap_destroy(&dev->options);
    free(dev->addrs);
    free(dev->seg_dpu);
    free(dev->seg_dev);
    free(dev->qos_type);
    smap_destroy(&dev->qos_details);
    ovs_mutex_lock(&dev->mutex);
    netdev_dpu_clear_queues(dev);
    ovs_mutex_unlock(&dev->mutex);
    hmap_destroy(&dev->queues);
    sset_destroy(&dev->qos_type_names);
    ovs_mutex_destroy(&dev->mutex);
}

static void
netdev_dpu_dealloc(struct netdev *netdev)
{
    free(netdev_dpu_cast(netdev));
}

static int
netdev_dpu_get_config(const struct netdev *netdev, struct smap *args)
{
    struct netdev_dpu *dev = netdev_dpu_cast(netdev);
    struct smap_node *node;

    ovs_mutex_lock(&dev->mutex);
    if (dev->dpu) {
        smap_add(args, "dpu", dev->dpu);
    }
    if (dev->peer) {
        smap_add(args, "dpu-peer", dev->peer);
    }
    if (dev->port_type) {
        smap_add(args, "dpu-port-type", dev->port_type);
    }
    if (dev->uplink) {
        smap_add(args, "dpu-uplink", "true");
    }
    SMAP_FOR_EACH (node, &dev->options) {
        smap_add(args, node->key, node->value);
    }
    ovs_mutex_unlock(&dev->mutex);
    return 0;
}

static int netdev_dpu_set(struct netdev *, const struct smap *options,
                          int mtu, const struct eth_addr *mac,
                          enum netdev_flags flags, enum netdev_flags mask,
                          enum netdev_flags *old_flags);

static int
netdev_dpu_set_config(struct netdev *netdev, const struct smap *args,
                      char **errp)
{
    struct netdev_dpu *dev = netdev_dpu_cast(netdev);
    const char *dpu = smap_get(args, "dpu");
    const char *peer = smap_get(args, "dpu-peer");
    const char *port_type = smap_get(args, "dpu-port-type");
    const char *uplink_s = smap_get(args, "dpu-uplink");
    bool pair = dpu_ha_get_mode() == DPU_HA_ACTIVE_STANDBY;
    bool uplink = uplink_s && !strcmp(uplink_s, "true");
    bool uplink_changed;
    struct dpu_conn *conn = dpu_conn_ref(dpu);
    struct smap options = SMAP_INITIALIZER(&options);
    struct smap_node *node;
    bool changed;
    int error = 0;

    if (uplink_s && strcmp(uplink_s, "true") && strcmp(uplink_s, "false")) {
        *errp = xasprintf("%s: options:dpu-uplink must be true or false, "
                          "not \"%s\"", netdev_get_name(netdev), uplink_s);
        dpu_conn_unref(conn);
        return EINVAL;
    }
    if (peer && (!dpu || !pair)) {
        *errp = xasprintf("%s: options:dpu-peer needs options:dpu and "
                          "Open_vSwitch other_config:dpu-mode="
                          "active-standby", netdev_get_name(netdev));
        dpu_conn_unref(conn);
        return EINVAL;
    }
    if (!conn && !dpu && pair && dpu_conn_count()) {
        /* A port on both DPUs of the pair. */
    } else if (!conn) {
        if (dpu) {
            *errp = xasprintf("%s: options:dpu=%s names no DPU (see the "
                         "DPU table)", netdev_get_name(netdev), dpu);
        } else if (dpu_conn_count()) {
            *errp = xasprintf("%s: several DPUs are configured, so "
                         "options:dpu must say which one carries this port",
                         netdev_get_name(netdev));
        } else {
            *errp = xasprintf("%s: no DPU is configured (see the DPU "
                         "table)", netdev_get_name(netdev));
        }
        return EINVAL;
    }
    dpu_conn_unref(conn);

    SMAP_FOR_EACH (node, args) {
        if (strcmp(node->key, "dpu") && strcmp(node->key, "dpu-port-type")
            && strcmp(node->key, "dpu-peer")
            && strcmp(node->key, "dpu-uplink")) {
            smap_add(&options, node->key, node->value);
        }
    }

    ovs_mutex_lock(&dev->mutex);
    free(dev->dpu);
    dev->dpu = nullable_xstrdup(dpu);
    free(dev->peer);
    dev->peer = nullable_xstrdup(peer);
    free(dev->port_type);
    dev->port_type = nullable_xstrdup(port_type);
    uplink_changed = dev->uplink != uplink;
    dev->uplink = uplink;
    changed = dev->configured && !smap_equal(&options, &dev->options);
    smap_destroy(&dev->options);
    smap_clone(&dev->options, &options);
    dev->configured = true;
    ovs_mutex_unlock(&dev->mutex);

    if (uplink_changed) {
        atomic_count_inc64(&uplink_changes);
        seq_change(dpu_conn_seq());
    }
    if (changed) {
        /* A port not yet on its DPU (ENODEV) or on a DPU that is down
         * (ENOTCONN) gets the options when it is added. */
        error = netdev_dpu_set(netdev, &options, 0, NULL, 0, 0, NULL);
        if (error == ENODEV || error == ENOTCONN) {
            error = 0;
        } else if (error) {
            *errp = xasprintf("%s: the DPU refused the new options (%s)",
                              netdev_get_name(netdev), ovs_strerror(error));
        }
    }
    smap_destroy(&options);
    return error;
}

void
netdev_dpu_get_dpu_options(const char *name, struct smap *options)
{
    struct netdev *netdev = netdev_from_name(name);

    if (netdev) {
        if (netdev_is_dpu(netdev)) {
            struct netdev_dpu *dev = netdev_dpu_cast(netdev);

            struct smap_node *node;

            ovs_mutex_lock(&dev->mutex);
            SMAP_FOR_EACH (node, &dev->options) {
                smap_add(options, node->key, node->value);
            }
            ovs_mutex_unlock(&dev->mutex);
        }
        netdev_close(netdev);
    }
}

uint64_t
netdev_dpu_uplink_changes(void)
{
    return atomic_count_get64(&uplink_changes);
}

bool
netdev_dpu_is_uplink(const char *name)
{
    struct netdev *netdev = netdev_from_name(name);
    bool uplink = false;

    if (netdev) {
        if (netdev_is_dpu(netdev)) {
            struct netdev_dpu *dev = netdev_dpu_cast(netdev);

            ovs_mutex_lock(&dev->mutex);
            uplink = dev->uplink;
            ovs_mutex_unlock(&dev->mutex);
        }
        netdev_close(netdev);
    }
    return uplink;
}

/* While dpif-dpu re-adds a port to one DPU of a pair, the DPU and device
 * that netdev_dpu_port_added() applies the host's settings to. */
struct netdev_dpu_target {
    const struct netdev_dpu *dev;
    struct dpu_conn *conn;
    const char *devname;
};
DEFINE_STATIC_PER_THREAD_DATA(struct netdev_dpu_target, dpu_target,
                              { NULL, NULL, NULL });

/* Returns a reference to the DPU that 'dev' is read from and changed on,
 * or NULL, and stores in '*devnamep' a malloc()ed copy of the name of its
 * device there.
 *
 * That is the DPU that options:dpu names (or the only DPU) and the device
 * named as the port, except in an active-standby pair: a port without
 * options:dpu is on both DPUs and is read on the active one; an uplink
 * with options:dpu-peer is read on its partner, as the peer device, while
 * the partner is active. */
static struct dpu_conn *
netdev_dpu_locate(struct netdev_dpu *dev, char **devnamep)
{
    struct netdev_dpu_target *target = dpu_target_get();
    struct dpu_conn *conn, *active;
    char *dpu, *peer;

    if (target->dev == dev) {
        *devnamep = xstrdup(target->devname);
        return dpu_conn_ref_existing(target->conn);
    }

    ovs_mutex_lock(&dev->mutex);
    dpu = nullable_xstrdup(dev->dpu);
    peer = nullable_xstrdup(dev->peer);
    ovs_mutex_unlock(&dev->mutex);

    *devnamep = xstrdup(netdev_get_name(&dev->up));
    active = dpu_ha_ref_active();
    if (dpu_ha_get_mode() != DPU_HA_ACTIVE_STANDBY) {
        conn = dpu_conn_ref(dpu);
    } else if (!dpu) {
        conn = active ? dpu_conn_ref_existing(active) : NULL;
        if (!conn) {
            struct dpu_conn *a, *b;

            dpu_ha_get_pair(&a, &b);
            conn = a ? a : b;
            if (a) {
                dpu_conn_unref(b);
            }
        }
    } else {
        conn = dpu_conn_ref(dpu);
        if (peer && active && conn != active) {
            dpu_conn_unref(conn);
            conn = dpu_conn_ref_existing(active);
            free(*devnamep);
            *devnamep = xstrdup(peer);
        }
    }
    dpu_conn_unref(active);
    free(dpu);
    free(peer);
    return conn;
}

/* Returns a reference to the DPU that carries 'dev', or NULL. */
static struct dpu_conn *
netdev_dpu_ref_conn(struct netdev_dpu *dev)
{
    char *devname;
    struct dpu_conn *conn = netdev_dpu_locate(dev, &devname);

    free(devname);
    return conn;
}

/* Puts into 'b' the PORT_NAME of 'dev': the name of its device on the DPU
 * that netdev_dpu_ref_conn() returns. */
static void
netdev_dpu_put_port_name(struct netdev_dpu *dev, struct ofpbuf *b)
{
    char *devname;
    struct dpu_conn *conn = netdev_dpu_locate(dev, &devname);

    nl_msg_put_string(b, DPU_ATTR_PORT_NAME, devname);
    dpu_conn_unref(conn);
    free(devname);
}

/* Reads the port's device state from its DPU into 'dev'.  Keeps the last
 * values and returns 0 if the DPU is down, so that the host keeps showing
 * them; returns a positive errno value for any other failure. */
static int
netdev_dpu_refresh(struct netdev_dpu *dev)
{
    struct ds why = DS_EMPTY_INITIALIZER;
    struct dpu_netdev_state state;
    uint64_t raw[N_DPU_COUNTERS];
    struct ofpbuf *b, *reply;
    struct dpu_conn *conn;
    struct dpu_msg msg;
    ovs_u128 boot_id;
    uint64_t link_seq;
    char *devname;
    bool fresh;
    int error;

    /* The bridge reads statistics, carrier, MAC and MTU one after the
     * other: one NETDEV_GET answers them all. */
    ovs_mutex_lock(&dev->mutex);
    fresh = dev->valid && time_msec() < dev->read_time + NETDEV_DPU_CACHE_MS;
    link_seq = dev->link_seq;
    ovs_mutex_unlock(&dev->mutex);
    if (fresh) {
        return 0;
    }

    conn = netdev_dpu_locate(dev, &devname);
    if (!conn) {
        free(devname);
        return ENODEV;
    }

    COVERAGE_INC(netdev_dpu_query);
    b = ofpbuf_new(128);
    dpu_msg_start(b, DPU_MSG_NETDEV_GET, 0, 0);
    nl_msg_put_string(b, DPU_ATTR_PORT_NAME, devname);
    dpu_msg_finish(b);
    error = dpu_conn_transact(conn, b, NETDEV_DPU_TIMEOUT_MS, &reply, &msg);
    if (error) {
        COVERAGE_INC(netdev_dpu_query_failed);
        if (error != ENOTCONN && error != ENODEV) {
            VLOG_WARN_RL(&rl, "%s: query to DPU %s failed (%s)",
                         netdev_get_name(&dev->up), dpu_conn_get_name(conn),
                         ovs_strerror(error));
        }
        dpu_conn_unref(conn);
        free(devname);
        /* Down, hung (dpu-conn then fails at once until it answers), or
         * without the port until the re-sync adds it (which logs if that
         * fails): the last values stand. */
        return (error == ENOTCONN || error == ETIMEDOUT || error == ENODEV
                ? 0 : error);
    }
    dpu_conn_get_session(conn, &boot_id);

    if (!dpu_parse_netdev_state(&msg, &state, &why)) {
        VLOG_WARN_RL(&rl, "%s: malformed reply from DPU %s: %s",
                     netdev_get_name(&dev->up), dpu_conn_get_name(conn),
                     ds_cstr(&why));
        ds_destroy(&why);
        ofpbuf_delete(reply);
        dpu_conn_unref(conn);
        free(devname);
        return EPROTO;
    }

    ovs_mutex_lock(&dev->mutex);
    for (size_t i = 0; i < N_DPU_COUNTERS; i++) {
        raw[i] = *ALIGNED_CAST(const uint64_t *,
                               (const char *) &state.stats
                               + dpu_counters[i].offset);
    }
    netdev_dpu_account(dev, dpu_conn_get_name(conn), devname, &boot_id, raw);
    dpu_conn_unref(conn);
    free(devname);
    dev->mac = state.mac;
    dev->mtu = state.mtu;
    if (!dev->valid || !dev->link_by_events
        || dev->link_read_seq != link_seq) {
        dev->carrier = state.carrier;
        dev->carrier_resets = state.carrier_resets;
        dev->flags = state.flags;
        dev->link_read_seq = link_seq;
    }
    free(dev->addrs);
    dev->n_addrs = state.n_addrs;
    dev->addrs = (state.n_addrs
                  ? xmemdup(state.addrs, state.n_addrs * sizeof *state.addrs)
                  : NULL);
    dev->valid = true;
    dev->read_time = time_msec();
    ovs_mutex_unlock(&dev->mutex);
    ofpbuf_delete(reply);
    return 0;
}

/* Sets 'dev''s statistics from counters 'raw' (as dpu_counters[]) just read
 * from device 'devname' of DPU 'dpu' in its boot 'boot_id'. */
static void
netdev_dpu_account(struct netdev_dpu *dev, const char *dpu,
                   const char *devname, const ovs_u128 *boot_id,
                   const uint64_t raw[])
    OVS_REQUIRES(dev->mutex)
{
    BUILD_ASSERT_DECL(N_DPU_COUNTERS == ARRAY_SIZE(dev->seg_base));

    if (!dev->seg_dpu) {
        /* The first segment counts from the device's start. */
        memset(dev->seg_offset, 0, sizeof dev->seg_offset);
    } else if (strcmp(dev->seg_dpu, dpu) || strcmp(dev->seg_dev, devname)
               || !ovs_u128_equals(dev->seg_boot, *boot_id)) {
        /* A new segment counts from now: its device may have counted
         * packets that it received while its DPU was the standby, or the
         * device may have outlived a restart of the DPU's agent. */
        for (size_t i = 0; i < N_DPU_COUNTERS; i++) {
            dev->seg_base[i] += dev->seg_last[i] - dev->seg_offset[i];
        }
        memcpy(dev->seg_offset, raw, sizeof dev->seg_offset);
        VLOG_INFO("%s: statistics now from device %s of DPU %s",
                  netdev_get_name(&dev->up), devname, dpu);
    }
    free(dev->seg_dpu);
    free(dev->seg_dev);
    dev->seg_dpu = xstrdup(dpu);
    dev->seg_dev = xstrdup(devname);
    dev->seg_boot = *boot_id;

    memset(&dev->stats, 0, sizeof dev->stats);
    for (size_t i = 0; i < N_DPU_COUNTERS; i++) {
        uint64_t *counter = ALIGNED_CAST(uint64_t *,
                                         (char *) &dev->stats
                                         + dpu_counters[i].offset);

        if (raw[i] < dev->seg_offset[i]) {
            /* The device's counter went back: it was reset. */
            dev->seg_offset[i] = 0;
        }
        dev->seg_last[i] = raw[i];
        *counter = dev->seg_base[i] + raw[i] - dev->seg_offset[i];
    }
}

/* Refreshes 'netdev' and returns 0 if its cached values may be used. */
static int
netdev_dpu_read(const struct netdev *netdev, struct netdev_dpu **devp)
{
    struct netdev_dpu *dev = netdev_dpu_cast(netdev);
    int error = netdev_dpu_refresh(dev);
    bool valid;

    ovs_mutex_lock(&dev->mutex);
    valid = dev->valid;
    ovs_mutex_unlock(&dev->mutex);
    *devp = dev;
    return error ? error : valid ? 0 : ENOTCONN;
}

static int
netdev_dpu_get_stats(const struct netdev *netdev, struct netdev_stats *stats)
{
    struct netdev_dpu *dev;
    int error = netdev_dpu_read(netdev, &dev);

    if (!error) {
        ovs_mutex_lock(&dev->mutex);
        *stats = dev->stats;
        ovs_mutex_unlock(&dev->mutex);
    }
    return error;
}

static int
netdev_dpu_get_etheraddr(const struct netdev *netdev, struct eth_addr *mac)
{
    struct netdev_dpu *dev;
    int error = netdev_dpu_read(netdev, &dev);

    if (!error) {
        ovs_mutex_lock(&dev->mutex);
        *mac = dev->mac;
        ovs_mutex_unlock(&dev->mutex);
    }
    return error;
}

static int
netdev_dpu_get_mtu(const struct netdev *netdev, int *mtup)
{
    struct netdev_dpu *dev;
    int error = netdev_dpu_read(netdev, &dev);

    if (!error) {
        ovs_mutex_lock(&dev->mutex);
        *mtup = dev->mtu;
        ovs_mutex_unlock(&dev->mutex);
    }
    return error;
}

static int
netdev_dpu_get_carrier(const struct netdev *netdev, bool *carrier)
{
    struct netdev_dpu *dev;
    int error = netdev_dpu_read(netdev, &dev);
    struct dpu_conn *conn = netdev_dpu_ref_conn(dev);
    bool reachable = conn && dpu_conn_is_up(conn);

    dpu_conn_unref(conn);
    ovs_mutex_lock(&dev->mutex);
    /* A port whose DPU cannot be reached has no link. */
    *carrier = !error && dev->carrier && reachable;
    ovs_mutex_unlock(&dev->mutex);
    return 0;
}

/* ofproto-dpif asks for a bridge's addresses when the routing table changes
 * (ovs-router) and to find the local end of tunnels (tnl-ports), usually
 * right after the address changed on the DPU, so this asks the DPU rather
 * than the cache. */
static int
netdev_dpu_get_addr_list(const struct netdev *netdev, struct in6_addr **addrp,
                         struct in6_addr **maskp, int *n_addrp)
{
    struct netdev_dpu *dev = netdev_dpu_cast(netdev);
    int error;

    netdev_dpu_invalidate(dev);
    error = netdev_dpu_read(netdev, &dev);
    ovs_mutex_lock(&dev->mutex);
    if (!error && !dev->n_addrs) {
        error = EADDRNOTAVAIL;
    }
    if (!error && addrp) {
        struct in6_addr *addrs = xmalloc(dev->n_addrs * sizeof *addrs);
        struct in6_addr *masks = xmalloc(dev->n_addrs * sizeof *masks);

        for (size_t i = 0; i < dev->n_addrs; i++) {
            addrs[i] = dev->addrs[i].addr;
            masks[i] = dev->addrs[i].mask;
        }
        *addrp = addrs;
        *maskp = masks;
        *n_addrp = dev->n_addrs;
    }
    ovs_mutex_unlock(&dev->mutex);
    return error;
}

static long long int
netdev_dpu_get_carrier_resets(const struct netdev *netdev)
{
    struct netdev_dpu *dev;
    long long int resets;

    netdev_dpu_read(netdev, &dev);
    ovs_mutex_lock(&dev->mutex);
    resets = dev->carrier_resets;
    ovs_mutex_unlock(&dev->mutex);
    return resets;
}

/* Sends a NETDEV_SET for 'netdev' that changes what is nonnull or nonzero
 * among 'options', 'mtu', 'mac' and 'mask'. */
static int
netdev_dpu_set(struct netdev *netdev, const struct smap *options, int mtu,
               const struct eth_addr *mac, enum netdev_flags flags,
               enum netdev_flags mask, enum netdev_flags *old_flags)
{
    struct netdev_dpu *dev = netdev_dpu_cast(netdev);
    struct ofpbuf *b, *reply;
    struct dpu_conn *conn;
    struct dpu_msg msg;
    int error;

    conn = netdev_dpu_ref_conn(dev);
    if (!conn) {
        return ENODEV;
    }

    b = ofpbuf_new(128);
    dpu_msg_start(b, DPU_MSG_NETDEV_SET, 0, 0);
    netdev_dpu_put_port_name(dev, b);
    if (options) {
        dpu_put_smap(b, DPU_ATTR_PORT_OPTIONS, options);
    }
    if (mtu) {
        nl_msg_put_u32(b, DPU_ATTR_MTU, mtu);
    }
    if (mac) {
        nl_msg_put_unspec(b, DPU_ATTR_MAC, mac, ETH_ADDR_LEN);
    }
    if (mask) {
        nl_msg_put_u32(b, DPU_ATTR_NETDEV_FLAGS, flags);
        nl_msg_put_u32(b, DPU_ATTR_NETDEV_FLAGS_MASK, mask);
    }
    dpu_msg_finish(b);
    error = dpu_conn_transact(conn, b, NETDEV_DPU_TIMEOUT_MS, &reply, &msg);
    dpu_conn_unref(conn);
    netdev_dpu_invalidate(dev);
    if (!error && old_flags) {
        *old_flags = (msg.attrs[DPU_ATTR_NETDEV_FLAGS]
                      ? nl_attr_get_u32(msg.attrs[DPU_ATTR_NETDEV_FLAGS])
                      : 0);
    }
    ofpbuf_delete(reply);
    return error;
}

/* A change to a port that is not on its DPU yet (ENODEV) or whose DPU is
 * down (ENOTCONN) is kept and applied by netdev_dpu_port_added(). */
static int
netdev_dpu_deferred(int error)
{
    return error == ENODEV || error == ENOTCONN ? 0 : error;
}

static int
netdev_dpu_set_mtu(struct netdev *netdev, int mtu)
{
    struct netdev_dpu *dev = netdev_dpu_cast(netdev);

    ovs_mutex_lock(&dev->mutex);
    dev->mtu_request = mtu;
    ovs_mutex_unlock(&dev->mutex);
    return netdev_dpu_deferred(netdev_dpu_set(netdev, NULL, mtu, NULL, 0, 0,
                                              NULL));
}

static int
netdev_dpu_set_etheraddr(struct netdev *netdev, const struct eth_addr mac)
{
    struct netdev_dpu *dev = netdev_dpu_cast(netdev);

    ovs_mutex_lock(&dev->mutex);
    dev->mac_request = mac;
    dev->mac_requested = true;
    ovs_mutex_unlock(&dev->mutex);
    return netdev_dpu_deferred(netdev_dpu_set(netdev, NULL, 0, &mac, 0, 0,
                                              NULL));
}

static void netdev_dpu_reapply_qos(struct netdev_dpu *);

int
netdev_dpu_port_added(const char *name, struct dpu_conn *conn,
                      const char *devname)
{
    struct netdev *netdev = netdev_from_name(name);
    struct netdev_dpu_target *target = dpu_target_get();
    enum netdev_flags flags, mask;
    struct netdev_dpu *dev;
    struct eth_addr mac;
    bool mac_requested;
    int error = 0;
    int mtu;

    if (!netdev) {
        return 0;
    }
    if (!netdev_is_dpu(netdev)) {
        netdev_close(netdev);
        return 0;
    }
    dev = netdev_dpu_cast(netdev);
    target->dev = dev;
    target->conn = conn;
    target->devname = devname;
    ovs_mutex_lock(&dev->mutex);
    mtu = dev->mtu_request;
    mac = dev->mac_request;
    mac_requested = dev->mac_requested;
    flags = dev->flags_request;
    mask = dev->flags_requested;
    ovs_mutex_unlock(&dev->mutex);

    if (mtu || mac_requested || mask) {
        error = netdev_dpu_set(netdev, NULL, mtu,
                               mac_requested ? &mac : NULL, flags, mask,
                               NULL);
    }
    if (!error) {
        /* A DPU that refuses the QoS still carries the port, as a device
         * on the host without that kind of QoS would: it is logged, not an
         * error of the port. */
        netdev_dpu_reapply_qos(dev);
    }
    memset(target, 0, sizeof *target);
    netdev_dpu_invalidate(dev);
    /* Makes the bridge read the device's state again. */
    netdev_change_seq_changed(netdev);
    netdev_close(netdev);
    return error;
}

static int
netdev_dpu_update_flags(struct netdev *netdev, enum netdev_flags off,
                        enum netdev_flags on, enum netdev_flags *old_flagsp)
{
    struct netdev_dpu *dev = netdev_dpu_cast(netdev);
    int error;

    if ((off | on) & ~(NETDEV_UP | NETDEV_PROMISC)) {
        return EINVAL;
    }
    if (!(off | on)) {
        /* A query, which netdev_get_carrier() makes too.  A device whose
         * link follows events answers with the flags it took last. */
        bool by_events;

        ovs_mutex_lock(&dev->mutex);
        by_events = dev->link_by_events;
        ovs_mutex_unlock(&dev->mutex);
        if (by_events) {
            /* As below, a DPU that is down leaves the last flags read. */
            struct netdev_dpu *d;

            error = netdev_dpu_deferred(netdev_dpu_read(netdev, &d));
            ovs_mutex_lock(&dev->mutex);
            *old_flagsp = dev->flags;
            ovs_mutex_unlock(&dev->mutex);
            return error;
        }
    }
    ovs_mutex_lock(&dev->mutex);
    dev->flags_request = (dev->flags_request & ~off) | on;
    dev->flags_requested |= off | on;
    ovs_mutex_unlock(&dev->mutex);

    error = netdev_dpu_set(netdev, NULL, 0, NULL, on, off | on, old_flagsp);
    if (netdev_dpu_deferred(error) != error) {
        /* Reports the last flags read from the DPU, or those asked for. */
        ovs_mutex_lock(&dev->mutex);
        *old_flagsp = dev->flags;
        dev->flags = (dev->flags & ~off) | on;
        ovs_mutex_unlock(&dev->mutex);
        error = 0;
    }
    return error;
}

/* QoS.
 *
 * The QoS of a port is that of its device on the DPU: each request goes to
 * the DPU, which calls the same netdev_*() function on its own netdev for
 * the port.  What the host asked for is also kept here, so that
 * netdev_dpu_port_added() can apply it again after the DPU restarted, and
 * so that the bridge, which sets the QoS and queues of every port again at
 * each reconfiguration, does not ask the DPU for what it has already. */

/* Starts a request of 'type' about 'dev''s port. */
static struct ofpbuf *
netdev_dpu_request(const struct netdev_dpu *dev, enum dpu_msg_type type)
{
    struct ofpbuf *b = ofpbuf_new(256);

    dpu_msg_start(b, type, 0, 0);
    netdev_dpu_put_port_name(CONST_CAST(struct netdev_dpu *, dev), b);
    return b;
}

/* Sends request 'b' (taking ownership) to the DPU of 'dev' and waits for the
 * reply, stored in '*replyp' (NULL on error) and decoded into '*msg'.
 * Returns 0 or a positive errno value: ENODEV if 'dev' has no DPU or the
 * DPU has no such port, see dpu_conn_transact() for the others. */
static int
netdev_dpu_transact(struct netdev_dpu *dev, struct ofpbuf *b,
                    struct ofpbuf **replyp, struct dpu_msg *msg)
{
    struct dpu_conn *conn = netdev_dpu_ref_conn(dev);
    int error;

    *replyp = NULL;
    if (!conn) {
        ofpbuf_delete(b);
        return ENODEV;
    }
    COVERAGE_INC(netdev_dpu_query);
    dpu_msg_finish(b);
    error = dpu_conn_transact(conn, b, NETDEV_DPU_TIMEOUT_MS, replyp, msg);
    if (error) {
        COVERAGE_INC(netdev_dpu_query_failed);
    }
    dpu_conn_unref(conn);
    return error;
}

/* Sends request 'b' (taking ownership), which changes the QoS of 'dev' and
 * has no reply attributes.  Returns 0 if the DPU did it, a positive errno
 * value otherwise. */
static int
netdev_dpu_qos_change(struct netdev_dpu *dev, struct ofpbuf *b)
{
    struct ofpbuf *reply;
    struct dpu_msg msg;
    int error;

    error = netdev_dpu_transact(dev, b, &reply, &msg);
    ofpbuf_delete(reply);
    return error;
}

/* Logs that the DPU of 'dev' refused a QoS change described by 'format',
 * with 'error', unless it is only the DPU or the port being absent (see
 * netdev_dpu_deferred()). */
static void OVS_PRINTF_FORMAT(3, 4)
netdev_dpu_qos_refused(struct netdev_dpu *dev, int error,
                       const char *format, ...)
{
    if (netdev_dpu_deferred(error) && !VLOG_DROP_WARN(&rl)) {
        struct dpu_conn *conn = netdev_dpu_ref_conn(dev);
        va_list args;
        char *what;

        va_start(args, format);
        what = xvasprintf(format, args);
        va_end(args);
        VLOG_WARN("%s: DPU %s refused %s (%s)", netdev_get_name(&dev->up),
                  conn ? dpu_conn_get_name(conn) : "(none)", what,
                  ovs_strerror(error));
        free(what);
        dpu_conn_unref(conn);
    }
    if (netdev_dpu_deferred(error)) {
        COVERAGE_INC(netdev_dpu_qos_refused);
    }
}

/* Asks the DPU of 'dev' to set its QoS to 'type' and 'details'. */
static int
netdev_dpu_send_qos(struct netdev_dpu *dev, const char *type,
                    const struct smap *details)
{
    struct ofpbuf *b = netdev_dpu_request(dev, DPU_MSG_QOS_SET);
    int error;

    nl_msg_put_string(b, DPU_ATTR_QOS_TYPE, type);
    dpu_put_smap(b, DPU_ATTR_QOS_DETAILS, details);
    error = netdev_dpu_qos_change(dev, b);
    if (error == EOPNOTSUPP && !*type) {
        /* A DPU without QoS messages has no QoS to turn off. */
        return 0;
    }
    netdev_dpu_qos_refused(dev, error, "QoS type \"%s\"", type);
    return error;
}

/* Asks the DPU of 'dev' to set queue 'queue_id' to 'details'. */
static int
netdev_dpu_send_queue(struct netdev_dpu *dev, unsigned int queue_id,
                      const struct smap *details)
{
    struct ofpbuf *b = netdev_dpu_request(dev, DPU_MSG_QUEUE_SET);
    int error;

    nl_msg_put_u32(b, DPU_ATTR_QUEUE_ID, queue_id);
    dpu_put_smap(b, DPU_ATTR_QOS_DETAILS, details);
    error = netdev_dpu_qos_change(dev, b);
    netdev_dpu_qos_refused(dev, error, "the configuration of queue %u",
                           queue_id);
    return error;
}

static struct netdev_dpu_queue *
netdev_dpu_find_queue(const struct netdev_dpu *dev, unsigned int queue_id)
    OVS_REQUIRES(dev->mutex)
{
    struct netdev_dpu_queue *queue;

    HMAP_FOR_EACH_WITH_HASH (queue, hmap_node, hash_int(queue_id, 0),
                             &dev->queues) {
        if (queue->id == queue_id) {
            return queue;
        }
    }
    return NULL;
}

/* Applies to the DPU the QoS and queues that the host asked 'dev' for, after
 * its port was (re)added there. */
static void
netdev_dpu_reapply_qos(struct netdev_dpu *dev)
{
    struct smap details = SMAP_INITIALIZER(&details);
    struct netdev_dpu_queue *queue;
    unsigned int *ids = NULL;
    size_t n_ids = 0;
    char *type;

    ovs_mutex_lock(&dev->mutex);
    type = nullable_xstrdup(dev->qos_type);
    smap_clone(&details, &dev->qos_details);
    dev->qos_applied = false;
    ids = xmalloc(MAX(hmap_count(&dev->queues), 1) * sizeof *ids);
    HMAP_FOR_EACH (queue, hmap_node, &dev->queues) {
        queue->applied = false;
        ids[n_ids++] = queue->id;
    }
    ovs_mutex_unlock(&dev->mutex);

    /* Also "", since the DPU's device may keep a QoS of its own from before
     * the DPU restarted. */
    if (type && !netdev_dpu_send_qos(dev, type, &details)) {
        ovs_mutex_lock(&dev->mutex);
        dev->qos_applied = (dev->qos_type && !strcmp(dev->qos_type, type)
                            && smap_equal(&dev->qos_details, &details));
        ovs_mutex_unlock(&dev->mutex);

        for (size_t i = 0; i < n_ids; i++) {
            struct smap queue_details;
            bool found;

            ovs_mutex_lock(&dev->mutex);
            queue = netdev_dpu_find_queue(dev, ids[i]);
            found = queue != NULL;
            if (found) {
                smap_clone(&queue_details, &queue->details);
            }
            ovs_mutex_unlock(&dev->mutex);
            if (!found) {
                continue;
            }

            if (!netdev_dpu_send_queue(dev, ids[i], &queue_details)) {
                ovs_mutex_lock(&dev->mutex);
                queue = netdev_dpu_find_queue(dev, ids[i]);
                if (queue && smap_equal(&queue->details, &queue_details)) {
                    queue->applied = true;
                }
                ovs_mutex_unlock(&dev->mutex);
            }
            smap_destroy(&queue_details);
        }
    }
    free(ids);
    free(type);
    smap_destroy(&details);
}

/* Reads the QoS types of 'dev''s device from its DPU: into 'types' if it is
 * nonnull, and, if 'type' is nonnull, the capabilities of 'type' into
 * '*caps' (EOPNOTSUPP if the device does not support 'type'). */
static int
netdev_dpu_read_qos_types(struct netdev_dpu *dev, struct sset *types,
                          const char *type,
                          struct netdev_qos_capabilities *caps)
{
    struct ofpbuf *b = netdev_dpu_request(dev, DPU_MSG_QOS_GET_TYPES);
    const struct nlattr *nla;
    struct ofpbuf *reply;
    struct dpu_msg msg;
    size_t left;
    int error;

    error = netdev_dpu_transact(dev, b, &reply, &msg);
    if (error) {
        return error;
    }
    error = type ? EOPNOTSUPP : 0;
    DPU_MSG_FOR_EACH_ATTR (nla, left, reply) {
        struct nlattr *a[DPU_QOS_ATTR_MAX + 1];
        const char *name;

        if (nl_attr_type(nla) != DPU_ATTR_QOS_CAPS) {
            continue;
        }
        if (!dpu_parse_qos_caps(nla, a)) {
            error = EPROTO;
            break;
        }
        name = nl_attr_get_string(a[DPU_QOS_ATTR_TYPE]);
        if (types) {
            sset_add(types, name);
        }
        if (type && !strcmp(type, name)) {
            caps->n_queues = (a[DPU_QOS_ATTR_N_QUEUES]
                              ? nl_attr_get_u32(a[DPU_QOS_ATTR_N_QUEUES])
                              : 0);
            error = 0;
        }
    }
    ofpbuf_delete(reply);
    return error;
}

static int
netdev_dpu_get_qos_types(const struct netdev *netdev, struct sset *types)
{
    return netdev_dpu_read_qos_types(netdev_dpu_cast(netdev), types, NULL,
                                     NULL);
}

static int
netdev_dpu_get_qos_capabilities(const struct netdev *netdev,
                                const char *type,
                                struct netdev_qos_capabilities *caps)
{
    return netdev_dpu_read_qos_types(netdev_dpu_cast(netdev), NULL, type,
                                     caps);
}

static int
netdev_dpu_get_qos(const struct netdev *netdev, const char **typep,
                   struct smap *details)
{
    struct netdev_dpu *dev = netdev_dpu_cast(netdev);
    struct ofpbuf *b = netdev_dpu_request(dev, DPU_MSG_QOS_GET);
    const struct sset_node *node;
    struct ofpbuf *reply;
    struct dpu_msg msg;
    const char *type;
    int error;

    error = netdev_dpu_transact(dev, b, &reply, &msg);
    if (error) {
        return error;
    }
    if (!dpu_parse_smap(msg.attrs[DPU_ATTR_QOS_DETAILS], details)) {
        ofpbuf_delete(reply);
        return EPROTO;
    }
    type = nl_attr_get_string(msg.attrs[DPU_ATTR_QOS_TYPE]);
    ovs_mutex_lock(&dev->mutex);
    node = sset_find(&dev->qos_type_names, type);
    if (!node) {
        node = sset_add(&dev->qos_type_names, type);
    }
    *typep = node->name;
    ovs_mutex_unlock(&dev->mutex);
    ofpbuf_delete(reply);
    return 0;
}

static int
netdev_dpu_set_qos(struct netdev *netdev, const char *type,
                   const struct smap *details)
{
    struct netdev_dpu *dev = netdev_dpu_cast(netdev);
    bool unchanged;
    int error;

    ovs_mutex_lock(&dev->mutex);
    unchanged = (dev->qos_applied && dev->qos_type
                 && !strcmp(dev->qos_type, type)
                 && smap_equal(&dev->qos_details, details));
    ovs_mutex_unlock(&dev->mutex);
    if (unchanged) {
        COVERAGE_INC(netdev_dpu_qos_unchanged);
        return 0;
    }

    /* Kept even if the DPU refused it, to try again when the port is added
     * again, maybe to a DPU that can do it. */
    error = netdev_dpu_send_qos(dev, type, details);
    ovs_mutex_lock(&dev->mutex);
    if (!dev->qos_type || strcmp(dev->qos_type, type)) {
        /* A new type resets the queues. */
        netdev_dpu_clear_queues(dev);
        free(dev->qos_type);
        dev->qos_type = xstrdup(type);
    }
    smap_destroy(&dev->qos_details);
    smap_clone(&dev->qos_details, details);
    dev->qos_applied = !error;
    ovs_mutex_unlock(&dev->mutex);
    return netdev_dpu_deferred(error);
}

/* Sends QUEUE_GET for 'queue_id' of 'dev', with WANT_STATS if 'stats' is
 * nonnull, and decodes the reply into 'details' or '*stats'. */
static int
netdev_dpu_read_queue(struct netdev_dpu *dev, unsigned int queue_id,
                      struct smap *details, struct netdev_queue_stats *stats)
{
    struct ofpbuf *b = netdev_dpu_request(dev, DPU_MSG_QUEUE_GET);
    struct ofpbuf *reply;
    struct dpu_msg msg;
    unsigned int id;
    int error;

    nl_msg_put_u32(b, DPU_ATTR_QUEUE_ID, queue_id);
    if (stats) {
        nl_msg_put_flag(b, DPU_ATTR_WANT_STATS);
    }
    error = netdev_dpu_transact(dev, b, &reply, &msg);
    if (!error
        && (!dpu_parse_queue(msg.attrs[DPU_ATTR_QUEUE], &id, details, stats)
            || id != queue_id)) {
        error = EPROTO;
    }
    ofpbuf_delete(reply);
    return error;
}

static int
netdev_dpu_get_queue(const struct netdev *netdev, unsigned int queue_id,
                     struct smap *details)
{
    return netdev_dpu_read_queue(netdev_dpu_cast(netdev), queue_id, details,
                                 NULL);
}

static int
netdev_dpu_get_queue_stats(const struct netdev *netdev, unsigned int queue_id,
                           struct netdev_queue_stats *stats)
{
    return netdev_dpu_read_queue(netdev_dpu_cast(netdev), queue_id, NULL,
                                 stats);
}

/* Returns true if the QoS that the host asked 'dev' for is "linux-noop",
 * which tells Open vSwitch to leave the device's QoS alone, queues
 * included.  ovn-controller sets it on the ports of its tunnels, and the
 * bridge then configures queue 0 and deletes the device's other queues:
 * netdev-linux refuses both with EINVAL, which the bridge does not report,
 * and so does a DPU port, without asking its DPU. */
static bool
netdev_dpu_qos_is_noop(struct netdev_dpu *dev)
{
    bool noop;

    ovs_mutex_lock(&dev->mutex);
    noop = dev->qos_type && !strcmp(dev->qos_type, "linux-noop");
    ovs_mutex_unlock(&dev->mutex);
    return noop;
}

static int
netdev_dpu_set_queue(struct netdev *netdev, unsigned int queue_id,
                     const struct smap *details)
{
    struct netdev_dpu *dev = netdev_dpu_cast(netdev);
    struct netdev_dpu_queue *queue;
    bool unchanged;
    int error;

    if (netdev_dpu_qos_is_noop(dev)) {
        return EINVAL;
    }
    ovs_mutex_lock(&dev->mutex);
    queue = netdev_dpu_find_queue(dev, queue_id);
    unchanged = (dev->qos_applied && queue && queue->applied
                 && smap_equal(&queue->details, details));
    ovs_mutex_unlock(&dev->mutex);
    if (unchanged) {
        COVERAGE_INC(netdev_dpu_qos_unchanged);
        return 0;
    }

    /* Kept even if the DPU refused it, as in netdev_dpu_set_qos(). */
    error = netdev_dpu_send_queue(dev, queue_id, details);
    ovs_mutex_lock(&dev->mutex);
    queue = netdev_dpu_find_queue(dev, queue_id);
    if (!queue) {
        queue = xzalloc(sizeof *queue);
        queue->id = queue_id;
        smap_init(&queue->details);
        hmap_insert(&dev->queues, &queue->hmap_node, hash_int(queue_id, 0));
    }
    smap_destroy(&queue->details);
    smap_clone(&queue->details, details);
    queue->applied = !error;
    ovs_mutex_unlock(&dev->mutex);
    return netdev_dpu_deferred(error);
}

static int
netdev_dpu_delete_queue(struct netdev *netdev, unsigned int queue_id)
{
    struct netdev_dpu *dev = netdev_dpu_cast(netdev);
    struct netdev_dpu_queue *queue;
    struct ofpbuf *b;
    int error;

    if (netdev_dpu_qos_is_noop(dev)) {
        return EINVAL;
    }
    b = netdev_dpu_request(dev, DPU_MSG_QUEUE_DEL);
    nl_msg_put_u32(b, DPU_ATTR_QUEUE_ID, queue_id);
    error = netdev_dpu_qos_change(dev, b);
    netdev_dpu_qos_refused(dev, error, "deleting queue %u", queue_id);

    /* Not to be configured again, whatever the DPU said. */
    ovs_mutex_lock(&dev->mutex);
    queue = netdev_dpu_find_queue(dev, queue_id);
    if (queue) {
        hmap_remove(&dev->queues, &queue->hmap_node);
        smap_destroy(&queue->details);
        free(queue);
    }
    ovs_mutex_unlock(&dev->mutex);
    return netdev_dpu_deferred(error);
}

/* Sends QUEUE_DUMP for 'dev', with WANT_STATS if 'want_stats', and returns
 * the reply in '*replyp', whose QUEUEs the caller walks with
 * DPU_MSG_FOR_EACH_ATTR. */
static int
netdev_dpu_dump_queues(struct netdev_dpu *dev, bool want_stats,
                       struct ofpbuf **replyp)
{
    struct ofpbuf *b = netdev_dpu_request(dev, DPU_MSG_QUEUE_DUMP);
    struct dpu_msg msg;

    if (want_stats) {
        nl_msg_put_flag(b, DPU_ATTR_WANT_STATS);
    }
    return netdev_dpu_transact(dev, b, replyp, &msg);
}

/* The state of a queue dump: the queues of a QUEUE_DUMP reply. */
struct netdev_dpu_queue_state {
    struct ofpbuf *reply;
    const struct nlattr *next;  /* Next attribute to look at in 'reply'. */
    size_t left;                /* Bytes from 'next' to the end. */
};

static int
netdev_dpu_queue_dump_start(const struct netdev *netdev, void **statep)
{
    struct netdev_dpu_queue_state *state;
    struct ofpbuf *reply;
    int error;

    error = netdev_dpu_dump_queues(netdev_dpu_cast(netdev), false, &reply);
    if (error) {
        return error;
    }
    state = xmalloc(sizeof *state);
    state->reply = reply;
    state->next = ofpbuf_at(reply, DPU_HEADER_LEN, 0);
    state->left = reply->size - DPU_HEADER_LEN;
    *statep = state;
    return 0;
}

static int
netdev_dpu_queue_dump_next(const struct netdev *netdev OVS_UNUSED,
                           void *state_, unsigned int *queue_id,
                           struct smap *details)
{
    struct netdev_dpu_queue_state *state = state_;

    /* dpu_msg_decode() checked that the attributes fill the reply. */
    while (state->left) {
        const struct nlattr *nla = state->next;

        state->left -= MIN(NLA_ALIGN(nla->nla_len), state->left);
        state->next = nl_attr_next(nla);
        if (nl_attr_type(nla) == DPU_ATTR_QUEUE) {
            return (dpu_parse_queue(nla, queue_id, details, NULL)
                    ? 0 : EPROTO);
        }
    }
    return EOF;
}

static int
netdev_dpu_queue_dump_done(const struct netdev *netdev OVS_UNUSED,
                           void *state_)
{
    struct netdev_dpu_queue_state *state = state_;

    ofpbuf_delete(state->reply);
    free(state);
    return 0;
}

static int
netdev_dpu_dump_queue_stats(const struct netdev *netdev,
                            netdev_dump_queue_stats_cb *cb, void *aux)
{
    const struct nlattr *nla;
    struct ofpbuf *reply;
    size_t left;
    int error;

    error = netdev_dpu_dump_queues(netdev_dpu_cast(netdev), true, &reply);
    if (error) {
        return error;
    }
    DPU_MSG_FOR_EACH_ATTR (nla, left, reply) {
        struct netdev_queue_stats stats;
        unsigned int queue_id;

        if (nl_attr_type(nla) != DPU_ATTR_QUEUE) {
            continue;
        }
        if (!dpu_parse_queue(nla, &queue_id, NULL, &stats)) {
            error = EPROTO;
            break;
        }
        cb(queue_id, &stats, aux);
    }
    ofpbuf_delete(reply);
    return error;
}

static int
netdev_dpu_get_status(const struct netdev *netdev, struct smap *args)
{
    struct netdev_dpu *dev = netdev_dpu_cast(netdev);
    struct dpu_conn *conn;

    conn = netdev_dpu_ref_conn(dev);
    if (conn) {
        smap_add(args, "dpu", dpu_conn_get_name(conn));
        smap_add(args, "dpu_state", dpu_conn_is_up(conn) ? "up" : "down");
        dpu_conn_unref(conn);
    }
    return 0;
}

#define NETDEV_DPU_CLASS_COMMON                         \
    .alloc = netdev_dpu_alloc,                          \
    .construct = netdev_dpu_construct,                  \
    .destruct = netdev_dpu_destruct,                    \
    .dealloc = netdev_dpu_dealloc,                      \
    .get_config = netdev_dpu_get_config,                \
    .set_config = netdev_dpu_set_config,                \
    .set_etheraddr = netdev_dpu_set_etheraddr,          \
    .get_etheraddr = netdev_dpu_get_etheraddr,          \
    .get_mtu = netdev_dpu_get_mtu,                      \
    .set_mtu = netdev_dpu_set_mtu,                      \
    .get_carrier = netdev_dpu_get_carrier,              \
    .get_carrier_resets = netdev_dpu_get_carrier_resets,\
    .get_stats = netdev_dpu_get_stats,                  \
    .get_addr_list = netdev_dpu_get_addr_list,          \
    .get_status = netdev_dpu_get_status,                \
    .update_flags = netdev_dpu_update_flags,            \
    .get_qos_types = netdev_dpu_get_qos_types,          \
    .get_qos_capabilities = netdev_dpu_get_qos_capabilities, \
    .get_qos = netdev_dpu_get_qos,                      \
    .set_qos = netdev_dpu_set_qos,                      \
    .get_queue = netdev_dpu_get_queue,                  \
    .set_queue = netdev_dpu_set_queue,                  \
    .delete_queue = netdev_dpu_delete_queue,            \
    .get_queue_stats = netdev_dpu_get_queue_stats,      \
    .queue_dump_start = netdev_dpu_queue_dump_start,    \
    .queue_dump_next = netdev_dpu_queue_dump_next,      \
    .queue_dump_done = netdev_dpu_queue_dump_done,      \
    .dump_queue_stats = netdev_dpu_dump_queue_stats

static const struct netdev_class netdev_dpu_class = {
    .type = "dpu",
    NETDEV_DPU_CLASS_COMMON,
};

static const struct netdev_class netdev_dpu_internal_class = {
    .type = "dpu-internal",
    NETDEV_DPU_CLASS_COMMON,
};

void
netdev_dpu_register(void)
{
    netdev_register_provider(&netdev_dpu_class);
    netdev_register_provider(&netdev_dpu_internal_class);
}
