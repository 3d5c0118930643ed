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
#include "agent-route.h"

#include "coverage.h"
#include "dpu-codec.h"
#include "netdev.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/vlog.h"
#include "ovs-router.h"
#include "packets.h"
#include "seq.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(agent_route);

COVERAGE_DEFINE(agent_route_sent);      /* TNL_ROUTES sent to the host. */

struct agent_route {
    struct agent_server *server;
    uint64_t seq;               /* 'tnl_conf_seq' when last looked at. */
    struct ofpbuf *routes;      /* ROUTE attributes of the last TNL_ROUTES,
                                 * or NULL before the first. */
    size_t n_routes;
};

struct agent_route *
agent_route_create(struct agent_server *server)
{
    struct agent_route *ar = xzalloc(sizeof *ar);

    ar->server = server;
    ar->seq = seq_read(tnl_conf_seq);
    return ar;
}

void
agent_route_destroy(struct agent_route *ar)
{
    if (ar) {
        ofpbuf_delete(ar->routes);
        free(ar);
    }
}

/* Encodes the DPU's routes now as ROUTE attributes into a new buffer, and
 * their number into '*np'. */
static struct ofpbuf *
encode_routes(size_t *np)
{
    struct ovs_router_route *routes;
    size_t n = ovs_router_get_routes(&routes);
    struct ofpbuf *b = ofpbuf_new(256);

    *np = 0;
    for (size_t i = 0; i < n; i++) {
        const struct ovs_router_route *r = &routes[i];
        struct dpu_route dr = {
            .dst = r->nw_addr,
            .plen = r->plen,
            .dev = CONST_CAST(char *, r->output_bridge),
            .gw = r->gw,
            .src = r->src_addr,
            .mark = r->mark,
            .local = r->local,
        };

        if (*np >= DPU_MAX_ROUTES) {
            static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 60);

            /* Once a minute: a table this big does not shrink soon. */
            VLOG_WARN_RL(&rl, "%"PRIuSIZE" routes, the host hears of the "
                         "first %d only", n, DPU_MAX_ROUTES);
            break;
        }
        dpu_put_route(b, &dr);
        (*np)++;
    }
    ovs_router_routes_destroy(routes, n);
    return b;
}

static void
send_routes(struct agent_route *ar, struct agent_session *s)
{
    struct ofpbuf *msg = ofpbuf_new(DPU_HEADER_LEN + ar->routes->size);

    dpu_msg_start(msg, DPU_MSG_TNL_ROUTES, 0, 0);
    ofpbuf_put(msg, ar->routes->data, ar->routes->size);
    COVERAGE_INC(agent_route_sent);
    agent_server_send_async(ar->server, s, msg);
}

/* Brings 'ar->routes' up to date.  Returns true if they changed. */
static bool
update_routes(struct agent_route *ar)
{
    struct ofpbuf *routes;
    size_t n;

    routes = encode_routes(&n);
    if (ar->routes && ofpbuf_equal(routes, ar->routes)) {
        ofpbuf_delete(routes);
        return false;
    }
    ofpbuf_delete(ar->routes);
    ar->routes = routes;
    ar->n_routes = n;
    return true;
}

void
agent_route_run(struct agent_route *ar, struct agent_session *upcall_session)
{
    uint64_t seq = seq_read(tnl_conf_seq);

    if (seq != ar->seq) {
        ar->seq = seq;
        if (update_routes(ar) && upcall_session) {
            send_routes(ar, upcall_session);
        }
    }
}

void
agent_route_wait(struct agent_route *ar)
{
    seq_wait(tnl_conf_seq, ar->seq);
}

void
agent_route_send(struct agent_route *ar, struct agent_session *s)
{
    ar->seq = seq_read(tnl_conf_seq);
    update_routes(ar);
    send_routes(ar, s);
}

void
agent_route_format(const struct agent_route *ar, struct ds *ds)
{
    ds_put_format(ds, "tunnel routes told to the host: %"PRIuSIZE"\n",
                  ar->routes ? ar->n_routes : 0);
}
