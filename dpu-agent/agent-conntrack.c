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
#include "agent-conntrack.h"

#include <errno.h>

#include "agent-datapath.h"
#include "ct-dpif.h"
#include "dpif-provider.h"
#include "dpu-codec.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/list.h"
#include "openvswitch/ofpbuf.h"
#include "util.h"

/* Most conntrack entries in one CT_DUMP reply, about 200 bytes each. */
#define MAX_CT_ENTRIES_PER_REPLY 1024

static struct dpif *
ct_dpif(const struct agent_request *req)
{
    return agent_dp_dpif(agent_server_dp(req->server));
}

int
agent_ct_flush(const struct agent_request *req,
               struct ofpbuf *reply OVS_UNUSED, struct ds *why)
{
    const struct nlattr *zone_attr = req->msg->attrs[DPU_ATTR_CT_ZONE];
    const struct nlattr *tuple_attr = req->msg->attrs[DPU_ATTR_CT_TUPLE];
    uint16_t zone = zone_attr ? nl_attr_get_u16(zone_attr) : 0;
    struct dpif *dpif = ct_dpif(req);
    struct ct_dpif_tuple tuple;

    if (!tuple_attr) {
        return ct_dpif_flush(dpif, zone_attr ? &zone : NULL, NULL);
    } else if (!dpu_parse_ct_tuple(tuple_attr, &tuple)) {
        ds_put_cstr(why, "malformed tuple");
        return EINVAL;
    }
    /* The host has done what ct_dpif_flush() does with a match (see
     * ct_dpif_flush_tuple()): this is one connection. */
    return dpif->dpif_class->ct_flush(dpif, zone_attr ? &zone : NULL,
                                      &tuple);
}

/* Conntrack dumps. */

struct agent_ct_dump {
    struct agent_dump up;
    struct ct_dpif_dump_state *state;
};

static void
ct_dump_destroy(struct agent_dump *d)
{
    struct agent_ct_dump *cd = CONTAINER_OF(d, struct agent_ct_dump, up);

    ct_dpif_dump_done(cd->state);
    free(cd);
}

static const struct agent_dump_class ct_dump_class = {
    "conntrack", ct_dump_destroy,
};

/* Starts conntrack dump 'id', for the zone of 'req' if it names one.
 * Returns 0 and stores the dump in '*cdp', or a positive errno value. */
static int
ct_dump_start(const struct agent_request *req, uint32_t id,
              struct agent_ct_dump **cdp, struct ds *why)
{
    const struct nlattr *zone_attr = req->msg->attrs[DPU_ATTR_CT_ZONE];
    uint16_t zone = zone_attr ? nl_attr_get_u16(zone_attr) : 0;
    struct agent_ct_dump *cd = xzalloc(sizeof *cd);
    int tot_bkts, error;

    error = ct_dpif_dump_start(ct_dpif(req), &cd->state,
                               zone_attr ? &zone : NULL, &tot_bkts);
    if (error) {
        ds_put_format(why, "cannot dump connections (%s)",
                      ovs_strerror(error));
        free(cd);
        return error;
    }
    error = agent_session_add_dump(req->session, &cd->up, id, &ct_dump_class,
                                   why);
    if (error) {
        ct_dpif_dump_done(cd->state);
        free(cd);
        return error;
    }
    *cdp = cd;
    return 0;
}

int
agent_ct_dump(const struct agent_request *req, struct ofpbuf *reply,
              struct ds *why)
{
    uint32_t id = nl_attr_get_u32(req->msg->attrs[DPU_ATTR_DUMP_ID]);
    struct agent_dump *d = agent_session_find_dump(req->session, id);
    struct agent_ct_dump *cd;
    bool done = false;

    if (d && d->class != &ct_dump_class) {
        ds_put_format(why, "dump %"PRIu32" is a %s dump", id,
                      d->class->name);
        return EINVAL;
    } else if (d) {
        cd = CONTAINER_OF(d, struct agent_ct_dump, up);
    } else {
        int error = ct_dump_start(req, id, &cd, why);

        if (error) {
            return error;
        }
    }

    for (int n = 0; n < MAX_CT_ENTRIES_PER_REPLY; n++) {
        struct ct_dpif_entry entry;

        if (ct_dpif_dump_next(cd->state, &entry)) {
            done = true;
            break;
        }
        dpu_put_ct_entry(reply, DPU_ATTR_CT_ENTRY, &entry);
        ct_dpif_entry_uninit(&entry);
    }
    if (done) {
        agent_dump_destroy(&cd->up);
    } else {
        agent_reply_set_more(reply);
    }
    return 0;
}

/* The number of connections: their limit and count. */

int
agent_ct_set_maxconns(const struct agent_request *req,
                      struct ofpbuf *reply OVS_UNUSED,
                      struct ds *why OVS_UNUSED)
{
    return ct_dpif_set_maxconns(ct_dpif(req), nl_attr_get_u32(
                                    req->msg->attrs[DPU_ATTR_CT_VALUE]));
}

int
agent_ct_get_maxconns(const struct agent_request *req, struct ofpbuf *reply,
                      struct ds *why OVS_UNUSED)
{
    uint32_t value;
    int error = ct_dpif_get_maxconns(ct_dpif(req), &value);

    if (!error) {
        nl_msg_put_u32(reply, DPU_ATTR_CT_VALUE, value);
    }
    return error;
}

int
agent_ct_get_nconns(const struct agent_request *req, struct ofpbuf *reply,
                    struct ds *why OVS_UNUSED)
{
    uint32_t value;
    int error = ct_dpif_get_nconns(ct_dpif(req), &value);

    if (!error) {
        nl_msg_put_u32(reply, DPU_ATTR_CT_VALUE, value);
    }
    return error;
}

/* Limits per zone. */

/* Parses the zones of a CT_*_LIMITS request into 'limits'.  Returns 0 or
 * EINVAL. */
static int
parse_zone_limits(const struct agent_request *req, struct ovs_list *limits,
                  struct ds *why)
{
    if (!dpu_parse_ct_zone_limits(req->buf, limits)) {
        ds_put_cstr(why, "malformed zone limit");
        return EINVAL;
    }
    return 0;
}

int
agent_ct_set_limits(const struct agent_request *req,
                    struct ofpbuf *reply OVS_UNUSED, struct ds *why)
{
    const struct nlattr *value = req->msg->attrs[DPU_ATTR_CT_VALUE];
    struct ovs_list limits = OVS_LIST_INITIALIZER(&limits);
    uint32_t default_limit = value ? nl_attr_get_u32(value) : 0;
    int error;

    error = parse_zone_limits(req, &limits, why);
    if (!error) {
        error = ct_dpif_set_limits(ct_dpif(req),
                                   value ? &default_limit : NULL, &limits);
    }
    ct_dpif_free_zone_limits(&limits);
    return error;
}

int
agent_ct_get_limits(const struct agent_request *req, struct ofpbuf *reply,
                    struct ds *why)
{
    struct ovs_list reply_limits = OVS_LIST_INITIALIZER(&reply_limits);
    struct ovs_list limits = OVS_LIST_INITIALIZER(&limits);
    uint32_t default_limit;
    int error;

    error = parse_zone_limits(req, &limits, why);
    if (!error) {
        error = ct_dpif_get_limits(ct_dpif(req), &default_limit, &limits,
                                   &reply_limits);
    }
    if (!error) {
        nl_msg_put_u32(reply, DPU_ATTR_CT_VALUE, default_limit);
        dpu_put_ct_zone_limits(reply, &reply_limits, true, true);
    }
    ct_dpif_free_zone_limits(&limits);
    ct_dpif_free_zone_limits(&reply_limits);
    return error;
}

int
agent_ct_del_limits(const struct agent_request *req,
                    struct ofpbuf *reply OVS_UNUSED, struct ds *why)
{
    struct ovs_list limits = OVS_LIST_INITIALIZER(&limits);
    int error;

    error = parse_zone_limits(req, &limits, why);
    if (!error) {
        error = ct_dpif_del_limits(ct_dpif(req), &limits);
    }
    ct_dpif_free_zone_limits(&limits);
    return error;
}

/* Timeout policies. */

int
agent_ct_set_tp(const struct agent_request *req,
                struct ofpbuf *reply OVS_UNUSED, struct ds *why)
{
    struct ct_dpif_timeout_policy tp;

    if (!dpu_parse_ct_timeout_policy(
            req->msg->attrs[DPU_ATTR_CT_TIMEOUT_POLICY], &tp)) {
        ds_put_cstr(why, "malformed timeout policy");
        return EINVAL;
    }
    return ct_dpif_set_timeout_policy(ct_dpif(req), &tp);
}

int
agent_ct_get_tp(const struct agent_request *req, struct ofpbuf *reply,
                struct ds *why)
{
    uint32_t id = nl_attr_get_u32(req->msg->attrs[DPU_ATTR_CT_VALUE]);
    struct ct_dpif_timeout_policy tp;
    int error;

    error = ct_dpif_get_timeout_policy(ct_dpif(req), id, &tp);
    if (!error) {
        dpu_put_ct_timeout_policy(reply, &tp);
    } else if (error == ENOENT) {
        ds_put_format(why, "no timeout policy %"PRIu32, id);
    }
    return error;
}

int
agent_ct_del_tp(const struct agent_request *req,
                struct ofpbuf *reply OVS_UNUSED, struct ds *why)
{
    uint32_t id = nl_attr_get_u32(req->msg->attrs[DPU_ATTR_CT_VALUE]);
    int error;

    error = ct_dpif_del_timeout_policy(ct_dpif(req), id);
    if (error == ENOENT) {
        ds_put_format(why, "no timeout policy %"PRIu32, id);
    }
    return error;
}
