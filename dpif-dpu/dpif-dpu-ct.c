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
#include "dpif-dpu-private.h"

#include <errno.h>

#include "coverage.h"
#include "ct-dpif.h"
#include "dpu-codec.h"
#include "dpu-conn.h"
#include "dpu-ha.h"
#include "hash.h"
#include "netlink.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/vlog.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(dpif_dpu_ct);

COVERAGE_DEFINE(dpif_dpu_ct_entry_bad);     /* Malformed CT_DUMP entry. */

/* Dumps and reads of a DPU's connection tracker that fail or hold malformed
 * entries: revalidators and operators dump at will, and a malformed dump
 * logs for each entry, so the same fault repeats many times a second.  A
 * few lines name the DPU and the dump. */
static struct vlog_rate_limit dump_rl = VLOG_RATE_LIMIT_INIT(1, 5);

/* Conntrack.
 *
 * Each DPU has its own connection tracker.  Changes go to every DPU; a dump
 * walks the DPUs in order of name; counts add up. */

int
dpif_dpu_ct_flush(struct dpif *dpif OVS_UNUSED, const uint16_t *zone,
                  const struct ct_dpif_tuple *tuple)
{
    struct ofpbuf *b = dp_dpu_request_start(DPU_MSG_CT_FLUSH);
    int error;

    if (zone) {
        nl_msg_put_u16(b, DPU_ATTR_CT_ZONE, *zone);
    }
    if (tuple) {
        dpu_put_ct_tuple(b, DPU_ATTR_CT_TUPLE, tuple);
    }
    error = dp_dpu_transact_all(b);
    ofpbuf_delete(b);
    return error;
}

struct dpif_dpu_ct_dump {
    struct ct_dpif_dump_state up;
    struct dpu_conn **conns;
    size_t n_conns, cur;
    uint32_t dump_id;
    uint16_t zone;
    bool has_zone;
    bool started;               /* Current DPU's dump is under way. */
    bool more;                  /* Current DPU has more entries. */
    struct ofpbuf *reply;       /* Last CT_DUMP reply, or NULL. */
    const struct nlattr *next;  /* Next attribute in 'reply'. */
    size_t left;                /* Bytes from 'next' to the end of 'reply'. */
};

static struct dpif_dpu_ct_dump *
dpif_dpu_ct_dump_cast(struct ct_dpif_dump_state *state)
{
    return CONTAINER_OF(state, struct dpif_dpu_ct_dump, up);
}

int
dpif_dpu_ct_dump_start(struct dpif *dpif OVS_UNUSED,
                       struct ct_dpif_dump_state **statep,
                       const uint16_t *zone, int *ptot_bkts)
{
    struct dpif_dpu_ct_dump *dump = xzalloc(sizeof *dump);

    dump->n_conns = dpu_conn_get_all(&dump->conns);
    dump->dump_id = dp_dpu_next_dump_id();
    if (zone) {
        dump->zone = *zone;
        dump->has_zone = true;
    }
    if (ptot_bkts) {
        /* Buckets are a detail of each DPU's connection tracker. */
        *ptot_bkts = -1;
    }
    *statep = &dump->up;
    return 0;
}

/* Asks the current DPU of 'dump' for more entries.  Returns 0 or a positive
 * errno value. */
static int
ct_dump_request(struct dp_dpu *dp, struct dpif_dpu_ct_dump *dump)
{
    struct dpu_conn *conn = dump->conns[dump->cur];
    struct ofpbuf *b = dp_dpu_request_start(DPU_MSG_CT_DUMP);
    struct dpu_msg msg;
    int error;

    nl_msg_put_u32(b, DPU_ATTR_DUMP_ID, dump->dump_id);
    if (dump->has_zone) {
        nl_msg_put_u16(b, DPU_ATTR_CT_ZONE, dump->zone);
    }
    dump->started = true;
    ofpbuf_delete(dump->reply);
    error = dp_dpu_transact(conn, b, &dump->reply, &msg);
    if (error) {
        if (error != ENOTCONN) {
            VLOG_WARN_RL(&dump_rl,
                         "%s: conntrack dump from DPU %s failed (%s)",
                         dp->name, dpu_conn_get_name(conn),
                         ovs_strerror(error));
        }
        dump->started = dump->more = false;
        return error;
    }
    dump->more = (msg.flags & DPU_F_MORE) != 0;
    dump->started = dump->more;
    dump->next = ofpbuf_at(dump->reply, DPU_HEADER_LEN, 0);
    dump->left = dump->reply->size - DPU_HEADER_LEN;
    return 0;
}

int
dpif_dpu_ct_dump_next(struct dpif *dpif, struct ct_dpif_dump_state *state,
                      struct ct_dpif_entry *entry)
{
    struct dpif_dpu_ct_dump *dump = dpif_dpu_ct_dump_cast(state);
    struct dp_dpu *dp = dp_dpu_from_dpif(dpif);

    while (dump->cur < dump->n_conns) {
        struct dpu_conn *conn = dump->conns[dump->cur];

        /* Entries left in the last reply. */
        while (dump->reply && dump->left >= NLA_HDRLEN) {
            const struct nlattr *nla = dump->next;

            if (nla->nla_len < NLA_HDRLEN || nla->nla_len > dump->left) {
                dump->left = 0;
                break;
            }
            dump->next = nl_attr_next(nla);
            dump->left -= MIN(NLA_ALIGN(nla->nla_len), dump->left);
            if (nl_attr_type(nla) != DPU_ATTR_CT_ENTRY) {
                continue;
            }
            if (dpu_parse_ct_entry(nla, entry)) {
                return 0;
            }
            COVERAGE_INC(dpif_dpu_ct_entry_bad);
            VLOG_WARN_RL(&dump_rl, "%s: malformed conntrack entry from DPU %s",
                         dp->name, dpu_conn_get_name(conn));
        }

        if ((dump->reply && !dump->more)
            || !dp_dpu_conn_has_cap_up(conn, DPU_CAP_CT)
            || ct_dump_request(dp, dump)) {
            /* This DPU's dump is over, or it cannot dump. */
            ofpbuf_delete(dump->reply);
            dump->reply = NULL;
            dump->started = false;
            dump->cur++;
        }
    }
    return EOF;
}

int
dpif_dpu_ct_dump_done(struct dpif *dpif OVS_UNUSED,
                      struct ct_dpif_dump_state *state)
{
    struct dpif_dpu_ct_dump *dump = dpif_dpu_ct_dump_cast(state);

    if (dump->started && dump->cur < dump->n_conns) {
        struct ofpbuf *b = dp_dpu_request_start(DPU_MSG_FLOW_DUMP_DONE);

        nl_msg_put_u32(b, DPU_ATTR_DUMP_ID, dump->dump_id);
        dp_dpu_transact(dump->conns[dump->cur], b, NULL, NULL);
    }
    for (size_t i = 0; i < dump->n_conns; i++) {
        dpu_conn_unref(dump->conns[i]);
    }
    free(dump->conns);
    ofpbuf_delete(dump->reply);
    free(dump);
    return 0;
}

/* Sends a conntrack request of 'type' to 'conn', with CT_VALUE 'value' for
 * CT_SET_MAXCONNS, and stores the CT_VALUE of the reply of CT_GET_* in
 * '*valuep' (unused for CT_SET_MAXCONNS).  Returns 0 or a positive errno
 * value. */
static int
ct_value_transact(struct dpu_conn *conn, enum dpu_msg_type type,
                  uint32_t value, uint32_t *valuep)
{
    struct ofpbuf *b = dp_dpu_request_start(type);
    struct ofpbuf *reply;
    struct dpu_msg msg;
    int error;

    if (type == DPU_MSG_CT_SET_MAXCONNS) {
        nl_msg_put_u32(b, DPU_ATTR_CT_VALUE, value);
    }
    error = dp_dpu_transact(conn, b, &reply, &msg);
    if (!error && type != DPU_MSG_CT_SET_MAXCONNS) {
        *valuep = nl_attr_get_u32(msg.attrs[DPU_ATTR_CT_VALUE]);
    }
    ofpbuf_delete(reply);
    return error;
}

/* Sends a conntrack request of 'type' (see ct_value_transact()) to every DPU
 * that is up and tracks connections.  For CT_GET_*, stores in '*valuep' the
 * sum of the values, or, with 'first_only', the first DPU's.  Returns 0 if
 * at least one DPU answered and none failed, otherwise a positive errno
 * value (ENOTCONN if no DPU is up). */
static int
ct_value_transact_all(enum dpu_msg_type type, uint32_t value,
                      uint32_t *valuep, bool first_only)
{
    struct dpu_conn **conns;
    size_t n = dpu_conn_get_all(&conns);
    bool answered = false;
    int error = 0;

    if (valuep) {
        *valuep = 0;
    }
    for (size_t i = 0; i < n; i++) {
        uint32_t v = 0;

        if (!error && !(first_only && answered)
            && dp_dpu_conn_has_cap_up(conns[i], DPU_CAP_CT)) {
            int retval = ct_value_transact(conns[i], type, value, &v);

            if (!retval) {
                answered = true;
                if (valuep) {
                    *valuep += v;
                }
            } else if (retval != ENOTCONN) {
                error = retval;
            }
        }
        dpu_conn_unref(conns[i]);
    }
    free(conns);
    return error ? error : answered ? 0 : ENOTCONN;
}

int
dpif_dpu_ct_set_maxconns(struct dpif *dpif, uint32_t maxconns)
{
    struct dp_dpu *dp = dp_dpu_from_dpif(dpif);
    int error;

    /* Kept for DPUs that are down or restart. */
    ovs_mutex_lock(&dp->mutex);
    dp->ct_maxconns = maxconns;
    ovs_mutex_unlock(&dp->mutex);

    error = ct_value_transact_all(DPU_MSG_CT_SET_MAXCONNS, maxconns, NULL,
                                  false);
    return error == ENOTCONN ? 0 : error;
}

int
dpif_dpu_ct_get_maxconns(struct dpif *dpif OVS_UNUSED, uint32_t *maxconns)
{
    /* Every DPU has the same limit: the first one tells. */
    return ct_value_transact_all(DPU_MSG_CT_GET_MAXCONNS, 0, maxconns, true);
}

int
dpif_dpu_ct_get_nconns(struct dpif *dpif OVS_UNUSED, uint32_t *nconns)
{
    return ct_value_transact_all(DPU_MSG_CT_GET_NCONNS, 0, nconns, false);
}

/* Conntrack limits per zone: set and deleted on every DPU, and kept to be
 * set again on DPUs that come back; read from the first DPU that answers,
 * with the counts of connections of every DPU added up. */

static struct ofpbuf *
ct_set_limits_request(const uint32_t *default_limit,
                      const struct ovs_list *zone_limits)
{
    struct ofpbuf *b = dp_dpu_request_start(DPU_MSG_CT_SET_LIMITS);

    if (default_limit) {
        nl_msg_put_u32(b, DPU_ATTR_CT_VALUE, *default_limit);
    }
    dpu_put_ct_zone_limits(b, zone_limits, true, false);
    return b;
}

static struct ct_dpif_zone_limit *
find_zone_limit(const struct ovs_list *limits, uint16_t zone)
{
    struct ct_dpif_zone_limit *zl;

    LIST_FOR_EACH (zl, node, limits) {
        if (zl->zone == zone) {
            return zl;
        }
    }
    return NULL;
}

int
dpif_dpu_ct_set_limits(struct dpif *dpif, const uint32_t *default_limit,
                       const struct ovs_list *zone_limits)
{
    const struct ct_dpif_zone_limit *zl;
    struct dp_dpu *dp = dp_dpu_from_dpif(dpif);
    struct ofpbuf *b;
    int error;

    ovs_mutex_lock(&dp->mutex);
    if (default_limit) {
        dp->ct_default_limit_set = true;
        dp->ct_default_limit = *default_limit;
    }
    LIST_FOR_EACH (zl, node, zone_limits) {
        struct ct_dpif_zone_limit *old = find_zone_limit(&dp->ct_zone_limits,
                                                         zl->zone);
        if (old) {
            old->limit = zl->limit;
        } else {
            ct_dpif_push_zone_limit(&dp->ct_zone_limits, zl->zone,
                                    zl->limit, 0);
        }
    }
    ovs_mutex_unlock(&dp->mutex);

    b = ct_set_limits_request(default_limit, zone_limits);
    error = dp_dpu_transact_all(b);
    ofpbuf_delete(b);
    return error;
}

int
dpif_dpu_ct_get_limits(struct dpif *dpif OVS_UNUSED, uint32_t *default_limit,
                       const struct ovs_list *zone_limits_in,
                       struct ovs_list *zone_limits_out)
{
    struct dpu_conn **conns;
    size_t n = dpu_conn_get_all(&conns);
    bool answered = false;
    int error = 0;

    for (size_t i = 0; i < n; i++) {
        struct ovs_list limits = OVS_LIST_INITIALIZER(&limits);
        struct ofpbuf *b, *reply;
        struct dpu_msg msg;
        int retval;

        if (error || !dp_dpu_conn_has_cap_up(conns[i], DPU_CAP_CT)) {
            goto next;
        }
        b = dp_dpu_request_start(DPU_MSG_CT_GET_LIMITS);
        dpu_put_ct_zone_limits(b, zone_limits_in, false, false);
        retval = dp_dpu_transact(conns[i], b, &reply, &msg);
        if (retval) {
            error = retval == ENOTCONN ? 0 : retval;
            goto next;
        }
        if (!dpu_parse_ct_zone_limits(reply, &limits)) {
            error = EPROTO;
        } else if (!answered) {
            *default_limit = nl_attr_get_u32(msg.attrs[DPU_ATTR_CT_VALUE]);
            ovs_list_push_back_all(zone_limits_out, &limits);
            answered = true;
        } else {
            /* Limits are the same on every DPU; counts add up. */
            struct ct_dpif_zone_limit *zl;

            LIST_FOR_EACH (zl, node, &limits) {
                struct ct_dpif_zone_limit *out;

                out = find_zone_limit(zone_limits_out, zl->zone);
                if (out) {
                    out->count += zl->count;
                }
            }
            ct_dpif_free_zone_limits(&limits);
        }
        ofpbuf_delete(reply);
next:
        dpu_conn_unref(conns[i]);
    }
    free(conns);
    return error ? error : answered ? 0 : ENOTCONN;
}

int
dpif_dpu_ct_del_limits(struct dpif *dpif, const struct ovs_list *zone_limits)
{
    const struct ct_dpif_zone_limit *zl;
    struct dp_dpu *dp = dp_dpu_from_dpif(dpif);
    struct ofpbuf *b;
    int error;

    ovs_mutex_lock(&dp->mutex);
    LIST_FOR_EACH (zl, node, zone_limits) {
        struct ct_dpif_zone_limit *old = find_zone_limit(&dp->ct_zone_limits,
                                                         zl->zone);
        if (old) {
            ovs_list_remove(&old->node);
            free(old);
        }
    }
    ovs_mutex_unlock(&dp->mutex);

    b = dp_dpu_request_start(DPU_MSG_CT_DEL_LIMITS);
    dpu_put_ct_zone_limits(b, zone_limits, false, false);
    error = dp_dpu_transact_all(b);
    ofpbuf_delete(b);
    return error;
}

/* Conntrack timeout policies: set and deleted on every DPU, and kept to be
 * set again on DPUs that come back; read from the first DPU that answers.
 * A datapath action ct(timeout=NAME) names a policy by its ID in decimal,
 * as in dpif-netdev, whose conntrack the DPU runs. */

static struct dp_dpu_ct_tp *
find_ct_tp(const struct dp_dpu *dp, uint32_t id)
    OVS_REQUIRES(dp->mutex)
{
    struct dp_dpu_ct_tp *ct_tp;

    HMAP_FOR_EACH_WITH_HASH (ct_tp, node, hash_int(id, 0), &dp->ct_tps) {
        if (ct_tp->tp.id == id) {
            return ct_tp;
        }
    }
    return NULL;
}

int
dpif_dpu_ct_set_timeout_policy(struct dpif *dpif,
                               const struct ct_dpif_timeout_policy *tp)
{
    struct dp_dpu *dp = dp_dpu_from_dpif(dpif);
    struct dp_dpu_ct_tp *ct_tp;
    struct ofpbuf *b;
    int error;

    ovs_mutex_lock(&dp->mutex);
    ct_tp = find_ct_tp(dp, tp->id);
    if (!ct_tp) {
        ct_tp = xmalloc(sizeof *ct_tp);
        hmap_insert(&dp->ct_tps, &ct_tp->node, hash_int(tp->id, 0));
    }
    ct_tp->tp = *tp;
    ovs_mutex_unlock(&dp->mutex);

    b = dp_dpu_request_start(DPU_MSG_CT_SET_TP);
    dpu_put_ct_timeout_policy(b, tp);
    error = dp_dpu_transact_all(b);
    ofpbuf_delete(b);
    return error;
}

int
dpif_dpu_ct_get_timeout_policy(struct dpif *dpif OVS_UNUSED, uint32_t tp_id,
                               struct ct_dpif_timeout_policy *tp)
{
    struct dpu_conn **conns;
    size_t n = dpu_conn_get_all(&conns);
    int error = ENOTCONN;

    for (size_t i = 0; i < n; i++) {
        if (error == ENOTCONN && dp_dpu_conn_has_cap_up(conns[i], DPU_CAP_CT)) {
            struct ofpbuf *b = dp_dpu_request_start(DPU_MSG_CT_GET_TP);
            struct ofpbuf *reply;
            struct dpu_msg msg;

            nl_msg_put_u32(b, DPU_ATTR_CT_VALUE, tp_id);
            error = dp_dpu_transact(conns[i], b, &reply, &msg);
            if (!error && !dpu_parse_ct_timeout_policy(
                    msg.attrs[DPU_ATTR_CT_TIMEOUT_POLICY], tp)) {
                VLOG_WARN_RL(&dump_rl,
                             "DPU %s: malformed timeout policy %"PRIu32,
                             dpu_conn_get_name(conns[i]), tp_id);
                error = EPROTO;
            }
            ofpbuf_delete(reply);
        }
        dpu_conn_unref(conns[i]);
    }
    free(conns);
    return error;
}

int
dpif_dpu_ct_del_timeout_policy(struct dpif *dpif, uint32_t tp_id)
{
    struct dp_dpu *dp = dp_dpu_from_dpif(dpif);
    struct dp_dpu_ct_tp *ct_tp;
    struct ofpbuf *b;
    int error;

    ovs_mutex_lock(&dp->mutex);
    ct_tp = find_ct_tp(dp, tp_id);
    if (ct_tp) {
        hmap_remove(&dp->ct_tps, &ct_tp->node);
        free(ct_tp);
    }
    ovs_mutex_unlock(&dp->mutex);

    b = dp_dpu_request_start(DPU_MSG_CT_DEL_TP);
    nl_msg_put_u32(b, DPU_ATTR_CT_VALUE, tp_id);
    error = dp_dpu_transact_all(b);
    ofpbuf_delete(b);
    return error;
}

int
dpif_dpu_ct_get_timeout_policy_name(struct dpif *dpif OVS_UNUSED,
                                    uint32_t tp_id,
                                    uint16_t dl_type OVS_UNUSED,
                                    uint8_t nw_proto OVS_UNUSED,
                                    char **tp_name, bool *is_generic)
{
    *tp_name = xasprintf("%"PRIu32, tp_id);
    *is_generic = true;
    return 0;
}

/* The features that every DPU that is up announced.  ofproto-dpif asks when
 * it opens the datapath, and reports CONNTRACK_F_ZERO_SNAT as the Datapath
 * record's "ct_zero_snat" capability, which OVN relies on to resolve
 * conntrack tuple collisions. */
int
dpif_dpu_ct_get_features(struct dpif *dpif OVS_UNUSED,
                         enum ct_features *features)
{
    bool explicit_drop, lb_output;
    uint32_t caps = dp_dpu_get_features(&explicit_drop, &lb_output);

    *features = 0;
    if ((caps & (DPU_CAP_CT | DPU_CAP_CT_ZERO_SNAT))
        == (DPU_CAP_CT | DPU_CAP_CT_ZERO_SNAT)) {
        *features |= CONNTRACK_F_ZERO_SNAT;
    }
    return 0;
}

void
dp_dpu_ct_resync(struct dp_dpu *dp, struct dpu_conn *conn,
                 struct ovs_list *requests)
    OVS_REQUIRES(dp->mutex)
{
    struct dp_dpu_ct_tp *ct_tp;
    struct ofpbuf *b;

    if (!dp_dpu_conn_has_cap_up(conn, DPU_CAP_CT)) {
        return;
    }
    if (dp->ct_maxconns) {
        b = dp_dpu_request_start(DPU_MSG_CT_SET_MAXCONNS);
        nl_msg_put_u32(b, DPU_ATTR_CT_VALUE, dp->ct_maxconns);
        ovs_list_push_back(requests, &b->list_node);
    }
    if (dp->ct_default_limit_set || !ovs_list_is_empty(&dp->ct_zone_limits)) {
        b = ct_set_limits_request(dp->ct_default_limit_set
                                  ? &dp->ct_default_limit : NULL,
                                  &dp->ct_zone_limits);
        ovs_list_push_back(requests, &b->list_node);
    }
    HMAP_FOR_EACH (ct_tp, node, &dp->ct_tps) {
        b = dp_dpu_request_start(DPU_MSG_CT_SET_TP);
        dpu_put_ct_timeout_policy(b, &ct_tp->tp);
        ovs_list_push_back(requests, &b->list_node);
    }
}

void
dp_dpu_ct_destroy(struct dp_dpu *dp)
{
    struct dp_dpu_ct_tp *ct_tp;

    HMAP_FOR_EACH_POP (ct_tp, node, &dp->ct_tps) {
        free(ct_tp);
    }
    hmap_destroy(&dp->ct_tps);
    ct_dpif_free_zone_limits(&dp->ct_zone_limits);
}
