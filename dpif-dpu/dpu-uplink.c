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
#include "dpu-uplink.h"

#include <errno.h>

#include "dpu-alarm.h"
#include "dpu-codec.h"
#include "dpu-conn.h"
#include "dpu-ha.h"
#include "netdev.h"
#include "netdev-dpu.h"
#include "netlink.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "ovs-atomic.h"
#include "smap.h"
#include "sset.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(dpu_uplink);

/* Malformed NETDEV_GET replies: the links are read again after every port
 * change, so a DPU that gets the reply wrong does so for each uplink and
 * each change.  A few lines name the DPU, the uplink and the cause. */
static struct vlog_rate_limit malformed_rl = VLOG_RATE_LIMIT_INIT(1, 5);

/* The uplinks of one datapath. */
struct dpu_uplinks {
    atomic_bool changed;        /* dpu_uplinks_changed() was called. */

    /* Only the "dpu_ha" thread uses these. */
    uint64_t uplink_changes;    /* netdev_dpu_uplink_changes() when the
                                 * links were last read. */
    struct shash alarms;        /* By DPU name, an sset of the devices whose
                                 * "uplink-down" alarm this monitor
                                 * raised. */
};

struct dpu_uplinks *
dpu_uplinks_create(void)
{
    struct dpu_uplinks *uplinks = xzalloc(sizeof *uplinks);

    atomic_init(&uplinks->changed, false);
    shash_init(&uplinks->alarms);
    return uplinks;
}

void
dpu_uplinks_destroy(struct dpu_uplinks *uplinks)
{
    struct shash_node *node;

    if (!uplinks) {
        return;
    }
    SHASH_FOR_EACH_SAFE (node, &uplinks->alarms) {
        struct sset *devs = node->data;
        const char *dev;

        SSET_FOR_EACH (dev, devs) {
            dpu_alarm_clear(node->name, DPU_ALARM_UPLINK_DOWN, dev);
        }
        sset_destroy(devs);
        free(devs);
        shash_delete(&uplinks->alarms, node);
    }
    shash_destroy(&uplinks->alarms);
    free(uplinks);
}

void
dpu_uplink_ports_free(struct dpu_uplink_port *ports, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        dpu_conn_unref(ports[i].conn);
        free(ports[i].dev);
        free(ports[i].port);
    }
    free(ports);
}

void
dpu_uplinks_changed(struct dpu_uplinks *uplinks)
{
    atomic_store_relaxed(&uplinks->changed, true);
}

/* The link of an uplink's device on its DPU. */
enum link_state {
    LINK_UP,                    /* Carrier, and administratively up. */
    LINK_DOWN,                  /* Not. */
    LINK_ABSENT,                /* The DPU has no such port (yet): the host
                                 * adds it to the datapath, and so to the
                                 * ports it reads, before it reaches the
                                 * DPU. */
    LINK_UNKNOWN,               /* The DPU did not answer: it went down, or
                                 * is silent, which its connection tells,
                                 * not its uplinks. */
};

/* Reads the link of device 'dev' of DPU 'conn'. */
static enum link_state
read_link(struct dpu_conn *conn, const char *dev)
{
    struct ofpbuf *b = ofpbuf_new(64);
    enum link_state link = LINK_UNKNOWN;
    struct ofpbuf *reply;
    struct dpu_msg msg;
    int error;

    dpu_msg_start(b, DPU_MSG_NETDEV_GET, 0, 0);
    nl_msg_put_string(b, DPU_ATTR_PORT_NAME, dev);
    dpu_msg_finish(b);
    error = dpu_conn_transact(conn, b, 0, &reply, &msg);
    if (!error) {
        struct ds why = DS_EMPTY_INITIALIZER;
        struct dpu_netdev_state state;

        if (dpu_parse_netdev_state(&msg, &state, &why)) {
            link = (state.carrier && state.flags & NETDEV_UP
                    ? LINK_UP : LINK_DOWN);
        } else {
            /* A DPU that says nothing sensible about its uplink has no
             * uplink to fail over for. */
            link = LINK_DOWN;
            VLOG_WARN_RL(&malformed_rl, "DPU %s: malformed reply about "
                         "uplink %s: %s", dpu_conn_get_name(conn), dev,
                         ds_cstr(&why));
        }
        ds_destroy(&why);
    } else if (error == ENODEV) {
        link = LINK_ABSENT;
    } else if (error != ENOTCONN && error != ETIMEDOUT) {
        /* The DPU refused to say (an error reply). */
        link = LINK_DOWN;
    }
    ofpbuf_delete(reply);
    return link;
}

/* Reads the links of the uplinks of DPU 'conn' among 'ports[i..n-1]', which
 * must be up, raises or clears their alarms, and adds the devices that lost
 * their links to 'devs', and those that could not be read whose alarms are
 * in 'old' (if nonnull).  Returns true if 'conn' has uplinks of the pair
 * and all of them lost their links. */
static bool
read_links(struct dpu_conn *conn, const struct dpu_uplink_port *ports,
           size_t i, size_t n, const struct sset *old, struct sset *devs)
{
    const char *name = dpu_conn_get_name(conn);
    bool any_up = false, any_pair_uplink = false;

    for (size_t j = i; j < n; j++) {
        const char *dev = ports[j].dev;

        if (ports[j].conn != conn
            || (!ports[j].pair_uplink
                && !netdev_dpu_is_uplink(ports[j].port))) {
            continue;
        }

        enum link_state link = read_link(conn, dev);
        if (link == LINK_ABSENT) {
            /* Neither up nor down until it reaches the DPU, whose
             * PORT_EVENT or the port's addition brings a new reading. */
            continue;
        } else if (link == LINK_UNKNOWN) {
            /* As before, until the DPU is back, which brings a new
             * reading. */
            if (old && sset_contains(old, dev)) {
                sset_add(devs, dev);
            }
            continue;
        }
        any_pair_uplink |= ports[j].pair_uplink;
        if (link == LINK_UP) {
            any_up |= ports[j].pair_uplink;
            dpu_alarm_clear(name, DPU_ALARM_UPLINK_DOWN, dev);
        } else {
            struct smap details = SMAP_INITIALIZER(&details);

            smap_add(&details, "port", dev);
            dpu_alarm_raise(name, DPU_ALARM_UPLINK_DOWN, dev,
                            DPU_SEVERITY_MAJOR, &details,
                            "uplink %s lost its link (no carrier, or "
                            "administratively down)", dev);
            smap_destroy(&details);
            sset_add(devs, dev);
        }
    }
    return any_pair_uplink && !any_up;
}

/* Makes 'raised' the alarms that 'uplinks' raised, and clears those that it
 * raised before but not in 'raised': of devices that are no longer uplinks
 * of the datapath, or are gone with their DPU.  Empties 'raised'. */
static void
replace_alarms(struct dpu_uplinks *uplinks, struct shash *raised)
{
    struct shash_node *node;

    SHASH_FOR_EACH (node, &uplinks->alarms) {
        struct sset *now = shash_find_data(raised, node->name);
        struct sset *old = node->data;
        const char *dev;

        SSET_FOR_EACH (dev, old) {
            if (!now || !sset_contains(now, dev)) {
                dpu_alarm_clear(node->name, DPU_ALARM_UPLINK_DOWN, dev);
            }
        }
        sset_destroy(old);
        free(old);
    }
    shash_clear(&uplinks->alarms);
    shash_swap(&uplinks->alarms, raised);
}

bool
dpu_uplinks_run(struct dpu_uplinks *uplinks, dpu_uplink_ports_cb *get_ports,
                void *aux)
{
    bool active_lost = false;
    uint64_t changes = netdev_dpu_uplink_changes();
    struct shash raised = SHASH_INITIALIZER(&raised);
    struct dpu_uplink_port *ports;
    struct dpu_conn *pair[2];
    bool changed;
    size_t n;

    atomic_read_relaxed(&uplinks->changed, &changed);
    if (!changed && changes == uplinks->uplink_changes) {
        return false;
    }
    atomic_store_relaxed(&uplinks->changed, false);
    uplinks->uplink_changes = changes;

    n = get_ports(aux, &ports);
    dpu_ha_get_pair(&pair[0], &pair[1]);
    for (size_t i = 0; i < n; i++) {
        struct dpu_conn *conn = ports[i].conn;
        const char *name = dpu_conn_get_name(conn);
        struct sset *devs;
        bool lost;

        if (shash_find(&raised, name)) {
            continue;           /* Done with this DPU. */
        }
        devs = xmalloc(sizeof *devs);
        sset_init(devs);
        shash_add(&raised, name, devs);
        if (!dpu_conn_is_up(conn)) {
            /* Its alarms stay until it is back. */
            struct sset *old = shash_find_data(&uplinks->alarms, name);

            if (old) {
                sset_clone(devs, old);
            }
            continue;
        }

        lost = read_links(conn, ports, i, n,
                          shash_find_data(&uplinks->alarms, name), devs);
        if (conn == pair[0] || conn == pair[1]) {
            dpu_ha_set_links_down(conn, lost);
            active_lost |= lost && dpu_ha_is_active(conn);
        }
    }
    replace_alarms(uplinks, &raised);
    shash_destroy(&raised);

    /* A DPU of the pair without uplinks in this datapath has not lost
     * them. */
    for (int i = 0; i < 2; i++) {
        if (pair[i] && dpu_conn_is_up(pair[i])
            && !shash_find(&uplinks->alarms, dpu_conn_get_name(pair[i]))) {
            dpu_ha_set_links_down(pair[i], false);
        }
    }

    dpu_uplink_ports_free(ports, n);
    dpu_conn_unref(pair[0]);
    dpu_conn_unref(pair[1]);
    return active_lost;
}
