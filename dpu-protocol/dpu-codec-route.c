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

/* The codec of a DPU's routes: TNL_ROUTES. */

#include <config.h>
#include "dpu-codec.h"
#include "dpu-codec-private.h"

#include <string.h>
#include "netlink.h"
#include "openvswitch/dynamic-string.h"
#include "packets.h"
#include "util.h"

#define IN6_REQ { .type = NL_A_UNSPEC, .min_len = 16, .max_len = 16 }
#define IN6_OPT { .type = NL_A_UNSPEC, .min_len = 16, .max_len = 16, \
                  .optional = true }
static const struct nl_policy route_policy[DPU_ROUTE_ATTR_MAX + 1] = {
    [DPU_ROUTE_ATTR_DST] = IN6_REQ,
    [DPU_ROUTE_ATTR_PLEN] = REQ(NL_A_U8),
    [DPU_ROUTE_ATTR_DEV] = PORT_NAME_REQ,
    [DPU_ROUTE_ATTR_GW] = IN6_OPT,
    [DPU_ROUTE_ATTR_SRC] = IN6_OPT,
    [DPU_ROUTE_ATTR_MARK] = OPT(NL_A_U32),
    [DPU_ROUTE_ATTR_LOCAL] = OPT(NL_A_FLAG),
};

void
dpu_put_route(struct ofpbuf *b, const struct dpu_route *r)
{
    size_t ofs = nl_msg_start_nested(b, DPU_ATTR_ROUTE);

    nl_msg_put_unspec(b, DPU_ROUTE_ATTR_DST, &r->dst, sizeof r->dst);
    nl_msg_put_u8(b, DPU_ROUTE_ATTR_PLEN, r->plen);
    nl_msg_put_string(b, DPU_ROUTE_ATTR_DEV, r->dev);
    if (ipv6_addr_is_set(&r->gw)) {
        nl_msg_put_unspec(b, DPU_ROUTE_ATTR_GW, &r->gw, sizeof r->gw);
    }
    if (ipv6_addr_is_set(&r->src)) {
        nl_msg_put_unspec(b, DPU_ROUTE_ATTR_SRC, &r->src, sizeof r->src);
    }
    if (r->mark) {
        nl_msg_put_u32(b, DPU_ROUTE_ATTR_MARK, r->mark);
    }
    if (r->local) {
        nl_msg_put_flag(b, DPU_ROUTE_ATTR_LOCAL);
    }
    nl_msg_end_nested(b, ofs);
}

static void
get_in6(const struct nlattr *nla, struct in6_addr *addr)
{
    if (nla) {
        memcpy(addr, nl_attr_get(nla), sizeof *addr);
    } else {
        *addr = in6addr_any;
    }
}

bool
dpu_parse_routes(const struct ofpbuf *buf, struct dpu_route **routesp,
                 size_t *np, struct ds *why)
{
    struct dpu_route *routes;
    const struct nlattr *nla;
    size_t n = count_attrs(buf, DPU_ATTR_ROUTE);
    size_t left;

    *routesp = routes = xcalloc(MAX(n, 1), sizeof *routes);
    *np = 0;
    if (n > DPU_MAX_ROUTES) {
        ds_put_format(why, "%"PRIuSIZE" routes, more than %d", n,
                      DPU_MAX_ROUTES);
        return false;
    }

    DPU_MSG_FOR_EACH_ATTR (nla, left, buf) {
        struct nlattr *a[DPU_ROUTE_ATTR_MAX + 1];
        struct dpu_route *r;
        uint8_t plen;

        if (nl_attr_type(nla) != DPU_ATTR_ROUTE) {
            continue;
        }
        if (!nl_parse_nested(nla, route_policy, a, ARRAY_SIZE(a))) {
            ds_put_cstr(why, "malformed route");
            return false;
        }
        plen = nl_attr_get_u8(a[DPU_ROUTE_ATTR_PLEN]);
        if (plen > 128) {
            ds_put_format(why, "route with prefix length %"PRIu8, plen);
            return false;
        }
        r = &routes[(*np)++];
        get_in6(a[DPU_ROUTE_ATTR_DST], &r->dst);
        r->plen = plen;
        r->dev = xstrdup(nl_attr_get_string(a[DPU_ROUTE_ATTR_DEV]));
        get_in6(a[DPU_ROUTE_ATTR_GW], &r->gw);
        get_in6(a[DPU_ROUTE_ATTR_SRC], &r->src);
        r->mark = (a[DPU_ROUTE_ATTR_MARK]
                   ? nl_attr_get_u32(a[DPU_ROUTE_ATTR_MARK]) : 0);
        r->local = a[DPU_ROUTE_ATTR_LOCAL] != NULL;
    }
    return true;
}

void
dpu_routes_destroy(struct dpu_route *routes, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(routes[i].dev);
    }
    free(routes);
}
