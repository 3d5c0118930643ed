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
#include "dpu-route.h"

#include "coverage.h"
#include "dpu-codec.h"
#include "dpu-conn.h"
#include "dpu-ha.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "ovs-router.h"
#include "ovs-thread.h"
#include "packets.h"
#include "seq.h"
#include "sset.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(dpu_route);

COVERAGE_DEFINE(dpu_route_update);      /* TNL_ROUTES taken from a DPU. */
COVERAGE_DEFINE(dpu_route_bad);         /* Malformed TNL_ROUTES. */
COVERAGE_DEFINE(dpu_route_no_port);     /* A route whose device is no port. */
COVERAGE_DEFINE(dpu_route_withdrawn);   /* A DPU's routes withdrawn. */

/* A malformed message is a bug of the DPU, repeated at every change of its
 * routes: once a minute is enough to find it. */
static struct vlog_rate_limit bad_rl = VLOG_RATE_LIMIT_INIT(1, 60);

/* What one DPU said last. */
struct dpu_route_set {
    char *dpu;                  /* The DPU's name. */
    uint64_t session;           /* The DPU's session when it said it. */
    struct dpu_route *routes;
    size_t n;
};

/* What the DPUs' I/O threads received and the main thread has not yet
 * taken. */
static struct ovs_mutex mutex = OVS_MUTEX_INITIALIZER;
static struct shash pending OVS_GUARDED_BY(mutex)
    = SHASH_INITIALIZER(&pending); /* struct dpu_route_set, by DPU name. */

/* Main thread only: what each DPU said last (struct dpu_route_set, by DPU
 * name), and the DPUs whose routes are in ovs-router now. */
static struct shash sets = SHASH_INITIALIZER(&sets);
static struct sset applied = SSET_INITIALIZER(&applied);

static void
dpu_route_set_destroy(struct dpu_route_set *set)
{
    if (set) {
        dpu_routes_destroy(set->routes, set->n);
        free(set->dpu);
        free(set);
    }
}

void
dpu_route_receive(struct dpu_conn *conn, const struct ofpbuf *buf)
{
    const char *name = dpu_conn_get_name(conn);
    struct ds why = DS_EMPTY_INITIALIZER;
    struct dpu_route_set *set;
    ovs_u128 boot_id;

    set = xzalloc(sizeof *set);
    if (!dpu_parse_routes(buf, &set->routes, &set->n, &why)) {
        COVERAGE_INC(dpu_route_bad);
        VLOG_WARN_RL(&bad_rl, "DPU %s: malformed tunnel routes: %s", name,
                     ds_cstr(&why));
        ds_destroy(&why);
        dpu_route_set_destroy(set);
        return;
    }
    ds_destroy(&why);
    set->dpu = xstrdup(name);
    set->session = dpu_conn_get_session(conn, &boot_id);
    COVERAGE_INC(dpu_route_update);

    ovs_mutex_lock(&mutex);
    dpu_route_set_destroy(shash_replace(&pending, set->dpu, set));
    ovs_mutex_unlock(&mutex);
    seq_change(dpu_conn_seq());
}

/* Drops the routes of DPUs that are not up, or that came up again since
 * they said them.  Returns true if it dropped any. */
static bool
drop_stale(void)
{
    struct shash_node *node;
    bool dropped = false;

    SHASH_FOR_EACH_SAFE (node, &sets) {
        struct dpu_route_set *set = node->data;
        struct dpu_conn *conn = dpu_conn_ref(set->dpu);
        ovs_u128 boot_id;

        if (!conn || !dpu_conn_is_up(conn)
            || dpu_conn_get_session(conn, &boot_id) != set->session) {
            COVERAGE_INC(dpu_route_withdrawn);
            VLOG_INFO("DPU %s: withdrawing its %"PRIuSIZE" tunnel routes",
                      set->dpu, set->n);
            shash_delete(&sets, node);
            dpu_route_set_destroy(set);
            dropped = true;
        }
        dpu_conn_unref(conn);
    }
    return dropped;
}

static char *
origin_of(const char *dpu)
{
    return xasprintf("DPU %s", dpu);
}

/* Adds the routes of 'set' to ovs-router. */
static void
apply_set(const struct dpu_route_set *set,
          char *(*port_name)(const struct dpu_conn *, const char *))
{
    struct dpu_conn *conn = dpu_conn_ref(set->dpu);
    char *origin = origin_of(set->dpu);

    for (size_t i = 0; conn && i < set->n; i++) {
        const struct dpu_route *r = &set->routes[i];
        char *name = port_name(conn, r->dev);
        int error;

        if (!name || strlen(name) >= IFNAMSIZ) {
            /* A device of the DPU that is no port of a dpu datapath, such as
             * its loopback or management interface: no tunnel goes out of
             * it. */
            COVERAGE_INC(dpu_route_no_port);
            VLOG_DBG("DPU %s: route out of %s, which is no port, ignored",
                     set->dpu, r->dev);
            free(name);
            continue;
        }
        error = ovs_router_insert_origin(r->mark, &r->dst, r->plen, r->local,
                                         name, &r->gw, &r->src, origin);
        if (error) {
            struct ds s = DS_EMPTY_INITIALIZER;

            ipv6_format_mapped(&r->dst, &s);
            VLOG_WARN_RL(&bad_rl, "DPU %s: route to %s/%"PRIu8" out of %s "
                         "not added (%s)", set->dpu, ds_cstr(&s),
                         IN6_IS_ADDR_V4MAPPED(&r->dst) ? r->plen - 96
                         : r->plen, name, ovs_strerror(error));
            ds_destroy(&s);
        }
        free(name);
    }
    free(origin);
    dpu_conn_unref(conn);
}

void
dpu_route_run(char *(*port_name)(const struct dpu_conn *, const char *),
              uint64_t ports_seq)
{
    static uint64_t last_ports_seq;
    struct shash_node *node;
    bool redo;

    ovs_mutex_lock(&mutex);
    redo = !shash_is_empty(&pending);
    SHASH_FOR_EACH_SAFE (node, &pending) {
        struct dpu_route_set *set = node->data;

        shash_delete(&pending, node);
        dpu_route_set_destroy(shash_replace(&sets, set->dpu, set));
    }
    ovs_mutex_unlock(&mutex);

    if (ports_seq != last_ports_seq) {
        last_ports_seq = ports_seq;
        redo = true;
    }
    if (drop_stale() || redo) {
        const char *name;

        /* Withdraws every DPU's routes, then adds them again, those of
         * standby DPUs first, so that an active DPU's route replaces a
         * standby's to the same prefix, and none of them is lost when the
         * other goes. */
        SSET_FOR_EACH (name, &applied) {
            char *origin = origin_of(name);

            ovs_router_flush_origin(origin);
            free(origin);
        }
        sset_clear(&applied);
        for (int active = 0; active < 2; active++) {
            SHASH_FOR_EACH (node, &sets) {
                const struct dpu_route_set *set = node->data;
                struct dpu_conn *conn = dpu_conn_ref(set->dpu);

                if (conn && dpu_ha_is_active(conn) == active) {
                    apply_set(set, port_name);
                    sset_add(&applied, set->dpu);
                }
                dpu_conn_unref(conn);
            }
        }
    }
}
