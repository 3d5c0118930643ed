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
#include "dpu-conn.h"
#include "dpu-protocol.h"
#include "hash.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "openvswitch/list.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/vlog.h"
#include "ovs-thread.h"
#include "smap.h"
#include "sset.h"
#include "util.h"
#include "uuid.h"

VLOG_DEFINE_THIS_MODULE(dpu_ipfix);

COVERAGE_DEFINE(dpu_ipfix_set);         /* IPFIX_SET sent to a DPU. */
COVERAGE_DEFINE(dpu_ipfix_refused);     /* A DPU refused an IPFIX_SET. */

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
