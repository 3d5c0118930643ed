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

/* The codec of datapath objects: ports, flow operations and upcalls,
 * statistics, meters, conntrack and QoS (see dpu-codec.h). */

#include <config.h>
#include "dpu-codec.h"
#include "dpu-codec-private.h"

#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "ct-dpif.h"
#include "netdev.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofp-meter.h"
#include "openvswitch/ofpbuf.h"
#include "smap.h"
#include "timeval.h"
#include "util.h"

static const struct nl_policy op_policy[DPU_OP_ATTR_MAX + 1] = {
    [DPU_OP_ATTR_TYPE] = OPT(NL_A_U32),
    [DPU_OP_ATTR_KEY] = OPT(NL_A_NESTED),
    [DPU_OP_ATTR_MASK] = OPT(NL_A_NESTED),
    [DPU_OP_ATTR_ACTIONS] = OPT(NL_A_NESTED),
    [DPU_OP_ATTR_UFID] = OPT(NL_A_U128),
    [DPU_OP_ATTR_PUT_FLAGS] = OPT(NL_A_U32),
    [DPU_OP_ATTR_PACKET] = { .type = NL_A_UNSPEC, .min_len = 14,
                             .max_len = UINT16_MAX, .optional = true },
    [DPU_OP_ATTR_MTU] = OPT(NL_A_U32),
    [DPU_OP_ATTR_HASH] = OPT(NL_A_U64),
    [DPU_OP_ATTR_PROBE] = OPT(NL_A_FLAG),
    [DPU_OP_ATTR_RESULT_ERRNO] = OPT(NL_A_U32),
    [DPU_OP_ATTR_STATS_PACKETS] = OPT(NL_A_U64),
    [DPU_OP_ATTR_STATS_BYTES] = OPT(NL_A_U64),
    [DPU_OP_ATTR_STATS_IDLE_MS] = OPT(NL_A_U64),
    [DPU_OP_ATTR_STATS_TCP_FLAGS] = OPT(NL_A_U16),
    [DPU_OP_ATTR_WANT_STATS] = OPT(NL_A_FLAG),
    [DPU_OP_ATTR_OFFLOADED] = OPT(NL_A_FLAG),
};

static const struct nl_policy upcall_attr_policy[DPU_UPCALL_ATTR_MAX + 1] = {
    [DPU_UPCALL_ATTR_TYPE] = REQ(NL_A_U32),
    [DPU_UPCALL_ATTR_PACKET] = PKT_REQ,
    [DPU_UPCALL_ATTR_KEY] = REQ(NL_A_NESTED),
    [DPU_UPCALL_ATTR_UFID] = REQ(NL_A_U128),
    [DPU_UPCALL_ATTR_USERDATA] = { .type = NL_A_UNSPEC, .optional = true },
    [DPU_UPCALL_ATTR_ACTIONS] = OPT(NL_A_NESTED),
    [DPU_UPCALL_ATTR_MRU] = OPT(NL_A_U16),
    [DPU_UPCALL_ATTR_HASH] = OPT(NL_A_U64),
    [DPU_UPCALL_ATTR_CUTLEN] = OPT(NL_A_U32),
    [DPU_UPCALL_ATTR_OUT_TUN_KEY] = OPT(NL_A_NESTED),
};

static const struct nl_policy stats_policy[DPU_STATS_ATTR_MAX + 1] = {
#define S(ATTR) [DPU_STATS_ATTR_##ATTR] = OPT(NL_A_U64)
    S(HIT), S(MISSED), S(LOST), S(FLOWS), S(MASKS), S(MASK_HIT),
    S(CACHE_HIT), S(RX_PACKETS), S(TX_PACKETS), S(RX_BYTES), S(TX_BYTES),
    S(RX_ERRORS), S(TX_ERRORS), S(RX_DROPPED), S(TX_DROPPED), S(MULTICAST),
    S(COLLISIONS),
#undef S
};

static const struct nl_policy port_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_PORT_NO] = REQ(NL_A_U32),
    [DPU_ATTR_PORT_NAME] = PORT_NAME_REQ,
    [DPU_ATTR_PORT_TYPE] = { .type = NL_A_STRING, .max_len = 64 },
};


static const struct nl_policy meter_config_policy[DPU_METER_ATTR_MAX + 1] = {
    [DPU_METER_ATTR_FLAGS] = REQ(NL_A_U32),
    [DPU_METER_ATTR_BAND] = REQ(NL_A_NESTED),
};

static const struct nl_policy meter_band_policy[DPU_METER_ATTR_MAX + 1] = {
    [DPU_METER_ATTR_BAND_TYPE] = REQ(NL_A_U32),
    [DPU_METER_ATTR_BAND_RATE] = REQ(NL_A_U32),
    [DPU_METER_ATTR_BAND_BURST] = OPT(NL_A_U32),
};

static const struct nl_policy meter_stats_policy[DPU_METER_ATTR_MAX + 1] = {
    [DPU_METER_ATTR_PACKETS] = REQ(NL_A_U64),
    [DPU_METER_ATTR_BYTES] = REQ(NL_A_U64),
    [DPU_METER_ATTR_BAND_PACKETS] = OPT(NL_A_U64),
    [DPU_METER_ATTR_BAND_BYTES] = OPT(NL_A_U64),
};

static const struct nl_policy
meter_features_policy[DPU_METER_ATTR_MAX + 1] = {
    [DPU_METER_ATTR_MAX_METERS] = REQ(NL_A_U32),
    [DPU_METER_ATTR_BAND_TYPES] = REQ(NL_A_U32),
    [DPU_METER_ATTR_CAPS] = REQ(NL_A_U32),
    [DPU_METER_ATTR_MAX_BANDS] = REQ(NL_A_U32),
    [DPU_METER_ATTR_MAX_COLOR] = REQ(NL_A_U32),
};

static const struct nl_policy ct_entry_policy[DPU_CT_ATTR_MAX + 1] = {
    [DPU_CT_ATTR_TUPLE_ORIG] = REQ(NL_A_NESTED),
    [DPU_CT_ATTR_TUPLE_REPLY] = REQ(NL_A_NESTED),
    [DPU_CT_ATTR_TUPLE_PARENT] = OPT(NL_A_NESTED),
    [DPU_CT_ATTR_ZONE] = REQ(NL_A_U16),
    [DPU_CT_ATTR_MARK] = OPT(NL_A_U32),
    [DPU_CT_ATTR_LABELS] = OPT(NL_A_U128),
    [DPU_CT_ATTR_STATUS] = OPT(NL_A_U32),
    [DPU_CT_ATTR_TIMEOUT] = OPT(NL_A_U32),
    [DPU_CT_ATTR_ID] = OPT(NL_A_U32),
    [DPU_CT_ATTR_TCP_STATE_ORIG] = OPT(NL_A_U8),
    [DPU_CT_ATTR_TCP_STATE_REPLY] = OPT(NL_A_U8),
};

#define ADDR_REQ { .type = NL_A_UNSPEC, .min_len = 16, .max_len = 16 }
static const struct nl_policy ct_tuple_policy[DPU_CT_TUPLE_ATTR_MAX + 1] = {
    [DPU_CT_TUPLE_ATTR_L3_TYPE] = REQ(NL_A_U16),
    [DPU_CT_TUPLE_ATTR_SRC] = ADDR_REQ,
    [DPU_CT_TUPLE_ATTR_DST] = ADDR_REQ,
    [DPU_CT_TUPLE_ATTR_PROTO] = REQ(NL_A_U8),
    [DPU_CT_TUPLE_ATTR_SRC_PORT] = OPT(NL_A_BE16),
    [DPU_CT_TUPLE_ATTR_DST_PORT] = OPT(NL_A_BE16),
    [DPU_CT_TUPLE_ATTR_ICMP_ID] = OPT(NL_A_BE16),
    [DPU_CT_TUPLE_ATTR_ICMP_TYPE] = OPT(NL_A_U8),
    [DPU_CT_TUPLE_ATTR_ICMP_CODE] = OPT(NL_A_U8),
};

bool
dpu_parse_op(const struct nlattr *nla, struct nlattr *attrs[])
{
    return nl_parse_nested(nla, op_policy, attrs, DPU_OP_ATTR_MAX + 1);
}

bool
dpu_parse_upcall(const struct nlattr *nla, struct nlattr *attrs[])
{
    return nl_parse_nested(nla, upcall_attr_policy, attrs,
                           DPU_UPCALL_ATTR_MAX + 1);
}

bool
dpu_parse_stats(const struct nlattr *nla, struct nlattr *attrs[])
{
    return nl_parse_nested(nla, stats_policy, attrs, DPU_STATS_ATTR_MAX + 1);
}

bool
dpu_parse_port(const struct nlattr *nla, struct nlattr *attrs[])
{
    return nl_parse_nested(nla, port_policy, attrs, DPU_ATTR_MAX + 1);
}


static const struct nl_policy qos_caps_policy[DPU_QOS_ATTR_MAX + 1] = {
    [DPU_QOS_ATTR_TYPE] = QOS_TYPE_REQ,
    [DPU_QOS_ATTR_N_QUEUES] = OPT(NL_A_U32),
};

bool
dpu_parse_qos_caps(const struct nlattr *nla, struct nlattr *attrs[])
{
    return nl_parse_nested(nla, qos_caps_policy, attrs, DPU_QOS_ATTR_MAX + 1);
}

/* Meters. */

void
dpu_put_meter_config(struct ofpbuf *b, uint16_t type,
                     const struct ofputil_meter_config *config)
{
    size_t ofs = nl_msg_start_nested(b, type);

    nl_msg_put_u32(b, DPU_METER_ATTR_FLAGS, config->flags);
    for (size_t i = 0; i < config->n_bands; i++) {
        const struct ofputil_meter_band *band = &config->bands[i];
        size_t band_ofs = nl_msg_start_nested(b, DPU_METER_ATTR_BAND);

        nl_msg_put_u32(b, DPU_METER_ATTR_BAND_TYPE, band->type);
        nl_msg_put_u32(b, DPU_METER_ATTR_BAND_RATE, band->rate);
        nl_msg_put_u32(b, DPU_METER_ATTR_BAND_BURST, band->burst_size);
        nl_msg_end_nested(b, band_ofs);
    }
    nl_msg_end_nested(b, ofs);
}

int
dpu_parse_meter_config(const struct nlattr *nla,
                       struct ofputil_meter_config *config,
                       struct ofputil_meter_band *bands, size_t max_bands,
                       struct ds *why)
{
    struct nlattr *a[DPU_METER_ATTR_MAX + 1];
    const struct nlattr *band;
    size_t left;

    memset(config, 0, sizeof *config);
    config->bands = bands;
    if (!nl_parse_nested(nla, meter_config_policy, a, ARRAY_SIZE(a))) {
        ds_put_cstr(why, "invalid or missing attributes");
        return EINVAL;
    }
    if (nl_attr_get_u32(a[DPU_METER_ATTR_FLAGS]) > UINT16_MAX) {
        ds_put_format(why, "invalid flags %#"PRIx32,
                      nl_attr_get_u32(a[DPU_METER_ATTR_FLAGS]));
        return EINVAL;
    }
    config->flags = nl_attr_get_u32(a[DPU_METER_ATTR_FLAGS]);

    NL_NESTED_FOR_EACH (band, left, nla) {
        struct nlattr *ba[DPU_METER_ATTR_MAX + 1];
        struct ofputil_meter_band *b;

        if (nl_attr_type(band) != DPU_METER_ATTR_BAND) {
            continue;
        }
        if (config->n_bands >= max_bands) {
            ds_put_format(why, "more than %"PRIuSIZE" bands",
                          max_bands);
            return EINVAL;
        }
        if (!nl_parse_nested(band, meter_band_policy, ba, ARRAY_SIZE(ba))) {
            ds_put_format(why, "band %"PRIu16": invalid or missing "
                          "attributes", config->n_bands + 1);
            return EINVAL;
        }
        b = &bands[config->n_bands++];
        memset(b, 0, sizeof *b);
        b->type = MIN(nl_attr_get_u32(ba[DPU_METER_ATTR_BAND_TYPE]),
                      UINT16_MAX);
        b->rate = nl_attr_get_u32(ba[DPU_METER_ATTR_BAND_RATE]);
        b->burst_size = (ba[DPU_METER_ATTR_BAND_BURST]
                         ? nl_attr_get_u32(ba[DPU_METER_ATTR_BAND_BURST])
                         : 0);
    }
    return 0;
}

void
dpu_put_meter_stats(struct ofpbuf *b, uint16_t type,
                    const struct ofputil_meter_stats *stats)
{
    size_t ofs = nl_msg_start_nested(b, type);

    nl_msg_put_u64(b, DPU_METER_ATTR_PACKETS, stats->packet_in_count);
    nl_msg_put_u64(b, DPU_METER_ATTR_BYTES, stats->byte_in_count);
    for (size_t i = 0; i < stats->n_bands; i++) {
        nl_msg_put_u64(b, DPU_METER_ATTR_BAND_PACKETS,
                       stats->bands[i].packet_count);
        nl_msg_put_u64(b, DPU_METER_ATTR_BAND_BYTES,
                       stats->bands[i].byte_count);
    }
    nl_msg_end_nested(b, ofs);
}

bool
dpu_parse_meter_stats(const struct nlattr *nla,
                      struct ofputil_meter_stats *stats, uint16_t n_bands)
{
    struct nlattr *a[DPU_METER_ATTR_MAX + 1];
    const struct nlattr *nested;
    uint16_t n_packets = 0, n_bytes = 0;
    size_t left;

    if (!nla || !nl_parse_nested(nla, meter_stats_policy, a, ARRAY_SIZE(a))) {
        return false;
    }
    stats->packet_in_count = nl_attr_get_u64(a[DPU_METER_ATTR_PACKETS]);
    stats->byte_in_count = nl_attr_get_u64(a[DPU_METER_ATTR_BYTES]);
    NL_NESTED_FOR_EACH (nested, left, nla) {
        uint16_t type = nl_attr_type(nested);

        if (type == DPU_METER_ATTR_BAND_PACKETS && n_packets < n_bands) {
            stats->bands[n_packets++].packet_count = nl_attr_get_u64(nested);
        } else if (type == DPU_METER_ATTR_BAND_BYTES && n_bytes < n_bands) {
            stats->bands[n_bytes++].byte_count = nl_attr_get_u64(nested);
        }
    }
    stats->n_bands = MIN(n_packets, n_bytes);
    return true;
}

void
dpu_put_meter_features(struct ofpbuf *b, uint16_t type,
                       const struct ofputil_meter_features *features)
{
    size_t ofs = nl_msg_start_nested(b, type);

    nl_msg_put_u32(b, DPU_METER_ATTR_MAX_METERS, features->max_meters);
    nl_msg_put_u32(b, DPU_METER_ATTR_BAND_TYPES, features->band_types);
    nl_msg_put_u32(b, DPU_METER_ATTR_CAPS, features->capabilities);
    nl_msg_put_u32(b, DPU_METER_ATTR_MAX_BANDS, features->max_bands);
    nl_msg_put_u32(b, DPU_METER_ATTR_MAX_COLOR, features->max_color);
    nl_msg_end_nested(b, ofs);
}

bool
dpu_parse_meter_features(const struct nlattr *nla,
                         struct ofputil_meter_features *features)
{
    struct nlattr *a[DPU_METER_ATTR_MAX + 1];

    memset(features, 0, sizeof *features);
    if (!nla || !nl_parse_nested(nla, meter_features_policy, a,
                                 ARRAY_SIZE(a))) {
        return false;
    }
    features->max_meters = nl_attr_get_u32(a[DPU_METER_ATTR_MAX_METERS]);
    features->band_types = nl_attr_get_u32(a[DPU_METER_ATTR_BAND_TYPES]);
    features->capabilities = nl_attr_get_u32(a[DPU_METER_ATTR_CAPS]);
    features->max_bands = MIN(nl_attr_get_u32(a[DPU_METER_ATTR_MAX_BANDS]),
                              UINT8_MAX);
    features->max_color = MIN(nl_attr_get_u32(a[DPU_METER_ATTR_MAX_COLOR]),
                              UINT8_MAX);
    return true;
}

/* Conntrack entries. */

static bool
ct_proto_has_ports(uint8_t proto)
{
    return proto != IPPROTO_ICMP && proto != IPPROTO_ICMPV6;
}

void
dpu_put_ct_tuple(struct ofpbuf *b, uint16_t type,
                 const struct ct_dpif_tuple *tuple)
{
    size_t ofs = nl_msg_start_nested(b, type);

    nl_msg_put_u16(b, DPU_CT_TUPLE_ATTR_L3_TYPE, tuple->l3_type);
    nl_msg_put_unspec(b, DPU_CT_TUPLE_ATTR_SRC, &tuple->src,
                      sizeof tuple->src);
    nl_msg_put_unspec(b, DPU_CT_TUPLE_ATTR_DST, &tuple->dst,
                      sizeof tuple->dst);
    nl_msg_put_u8(b, DPU_CT_TUPLE_ATTR_PROTO, tuple->ip_proto);
    if (ct_proto_has_ports(tuple->ip_proto)) {
        nl_msg_put_be16(b, DPU_CT_TUPLE_ATTR_SRC_PORT, tuple->src_port);
        nl_msg_put_be16(b, DPU_CT_TUPLE_ATTR_DST_PORT, tuple->dst_port);
    } else {
        nl_msg_put_be16(b, DPU_CT_TUPLE_ATTR_ICMP_ID, tuple->icmp_id);
        nl_msg_put_u8(b, DPU_CT_TUPLE_ATTR_ICMP_TYPE, tuple->icmp_type);
        nl_msg_put_u8(b, DPU_CT_TUPLE_ATTR_ICMP_CODE, tuple->icmp_code);
    }
    nl_msg_end_nested(b, ofs);
}

bool
dpu_parse_ct_tuple(const struct nlattr *nla, struct ct_dpif_tuple *tuple)
{
    struct nlattr *a[DPU_CT_TUPLE_ATTR_MAX + 1];

    memset(tuple, 0, sizeof *tuple);
    if (!nl_parse_nested(nla, ct_tuple_policy, a, ARRAY_SIZE(a))) {
        return false;
    }
    tuple->l3_type = nl_attr_get_u16(a[DPU_CT_TUPLE_ATTR_L3_TYPE]);
    if (tuple->l3_type != AF_INET && tuple->l3_type != AF_INET6) {
        return false;
    }
    memcpy(&tuple->src, nl_attr_get(a[DPU_CT_TUPLE_ATTR_SRC]),
           sizeof tuple->src);
    memcpy(&tuple->dst, nl_attr_get(a[DPU_CT_TUPLE_ATTR_DST]),
           sizeof tuple->dst);
    tuple->ip_proto = nl_attr_get_u8(a[DPU_CT_TUPLE_ATTR_PROTO]);
    if (ct_proto_has_ports(tuple->ip_proto)) {
        if (a[DPU_CT_TUPLE_ATTR_SRC_PORT]) {
            tuple->src_port = nl_attr_get_be16(a[DPU_CT_TUPLE_ATTR_SRC_PORT]);
        }
        if (a[DPU_CT_TUPLE_ATTR_DST_PORT]) {
            tuple->dst_port = nl_attr_get_be16(a[DPU_CT_TUPLE_ATTR_DST_PORT]);
        }
    } else {
        if (a[DPU_CT_TUPLE_ATTR_ICMP_ID]) {
            tuple->icmp_id = nl_attr_get_be16(a[DPU_CT_TUPLE_ATTR_ICMP_ID]);
        }
        if (a[DPU_CT_TUPLE_ATTR_ICMP_TYPE]) {
            tuple->icmp_type = nl_attr_get_u8(a[DPU_CT_TUPLE_ATTR_ICMP_TYPE]);
        }
        if (a[DPU_CT_TUPLE_ATTR_ICMP_CODE]) {
            tuple->icmp_code = nl_attr_get_u8(a[DPU_CT_TUPLE_ATTR_ICMP_CODE]);
        }
    }
    return true;
}

void
dpu_put_ct_entry(struct ofpbuf *b, uint16_t type,
                 const struct ct_dpif_entry *entry)
{
    size_t ofs = nl_msg_start_nested(b, type);

    dpu_put_ct_tuple(b, DPU_CT_ATTR_TUPLE_ORIG, &entry->tuple_orig);
    dpu_put_ct_tuple(b, DPU_CT_ATTR_TUPLE_REPLY, &entry->tuple_reply);
    if (entry->tuple_parent.l3_type) {
        dpu_put_ct_tuple(b, DPU_CT_ATTR_TUPLE_PARENT, &entry->tuple_parent);
    }
    nl_msg_put_u16(b, DPU_CT_ATTR_ZONE, entry->zone);
    nl_msg_put_u32(b, DPU_CT_ATTR_MARK, entry->mark);
    /* The userspace connection tracker fills in 'labels' without setting
     * 'have_labels'. */
    if (entry->have_labels || !ovs_u128_is_zero(entry->labels)) {
        nl_msg_put_u128(b, DPU_CT_ATTR_LABELS, entry->labels);
    }
    nl_msg_put_u32(b, DPU_CT_ATTR_STATUS, entry->status);
    nl_msg_put_u32(b, DPU_CT_ATTR_TIMEOUT, entry->timeout);
    nl_msg_put_u32(b, DPU_CT_ATTR_ID, entry->id);
    if (entry->protoinfo.proto == IPPROTO_TCP) {
        nl_msg_put_u8(b, DPU_CT_ATTR_TCP_STATE_ORIG,
                      entry->protoinfo.tcp.state_orig);
        nl_msg_put_u8(b, DPU_CT_ATTR_TCP_STATE_REPLY,
                      entry->protoinfo.tcp.state_reply);
    }
    nl_msg_end_nested(b, ofs);
}

bool
dpu_parse_ct_entry(const struct nlattr *nla, struct ct_dpif_entry *entry)
{
    struct nlattr *a[DPU_CT_ATTR_MAX + 1];

    memset(entry, 0, sizeof *entry);
    if (!nl_parse_nested(nla, ct_entry_policy, a, ARRAY_SIZE(a))
        || !dpu_parse_ct_tuple(a[DPU_CT_ATTR_TUPLE_ORIG],
                               &entry->tuple_orig)
        || !dpu_parse_ct_tuple(a[DPU_CT_ATTR_TUPLE_REPLY],
                               &entry->tuple_reply)
        || (a[DPU_CT_ATTR_TUPLE_PARENT]
            && !dpu_parse_ct_tuple(a[DPU_CT_ATTR_TUPLE_PARENT],
                                   &entry->tuple_parent))) {
        return false;
    }
    entry->zone = nl_attr_get_u16(a[DPU_CT_ATTR_ZONE]);
    if (a[DPU_CT_ATTR_MARK]) {
        entry->mark = nl_attr_get_u32(a[DPU_CT_ATTR_MARK]);
    }
    if (a[DPU_CT_ATTR_LABELS]) {
        entry->labels = nl_attr_get_u128(a[DPU_CT_ATTR_LABELS]);
        entry->have_labels = true;
    }
    if (a[DPU_CT_ATTR_STATUS]) {
        entry->status = nl_attr_get_u32(a[DPU_CT_ATTR_STATUS]);
    }
    if (a[DPU_CT_ATTR_TIMEOUT]) {
        entry->timeout = nl_attr_get_u32(a[DPU_CT_ATTR_TIMEOUT]);
    }
    if (a[DPU_CT_ATTR_ID]) {
        entry->id = nl_attr_get_u32(a[DPU_CT_ATTR_ID]);
    }
    if (a[DPU_CT_ATTR_TCP_STATE_ORIG] || a[DPU_CT_ATTR_TCP_STATE_REPLY]) {
        entry->protoinfo.proto = IPPROTO_TCP;
        if (a[DPU_CT_ATTR_TCP_STATE_ORIG]) {
            entry->protoinfo.tcp.state_orig
                = nl_attr_get_u8(a[DPU_CT_ATTR_TCP_STATE_ORIG]);
        }
        if (a[DPU_CT_ATTR_TCP_STATE_REPLY]) {
            entry->protoinfo.tcp.state_reply
                = nl_attr_get_u8(a[DPU_CT_ATTR_TCP_STATE_REPLY]);
        }
    }
    return true;
}

/* Conntrack zone limits. */

static const struct nl_policy ct_limit_policy[DPU_CT_LIMIT_ATTR_MAX + 1] = {
    [DPU_CT_LIMIT_ATTR_ZONE] = REQ(NL_A_U16),
    [DPU_CT_LIMIT_ATTR_LIMIT] = OPT(NL_A_U32),
    [DPU_CT_LIMIT_ATTR_COUNT] = OPT(NL_A_U32),
};

/* Appends to 'b' one CT_ZONE_LIMIT for each struct ct_dpif_zone_limit in
 * 'limits', with its zone, and its limit and count if asked. */
void
dpu_put_ct_zone_limits(struct ofpbuf *b, const struct ovs_list *limits,
                       bool with_limit, bool with_count)
{
    const struct ct_dpif_zone_limit *zl;

    LIST_FOR_EACH (zl, node, limits) {
        size_t ofs = nl_msg_start_nested(b, DPU_ATTR_CT_ZONE_LIMIT);

        nl_msg_put_u16(b, DPU_CT_LIMIT_ATTR_ZONE, zl->zone);
        if (with_limit) {
            nl_msg_put_u32(b, DPU_CT_LIMIT_ATTR_LIMIT, zl->limit);
        }
        if (with_count) {
            nl_msg_put_u32(b, DPU_CT_LIMIT_ATTR_COUNT, zl->count);
        }
        nl_msg_end_nested(b, ofs);
    }
}

/* Appends to 'limits' a struct ct_dpif_zone_limit for each CT_ZONE_LIMIT in
 * message 'b' (absent LIMIT and COUNT read as 0).  Returns false, with
 * 'limits' as it was, if one of them is malformed. */
bool
dpu_parse_ct_zone_limits(const struct ofpbuf *b, struct ovs_list *limits)
{
    struct ovs_list parsed = OVS_LIST_INITIALIZER(&parsed);
    const struct nlattr *nla;
    size_t left;

    NL_ATTR_FOR_EACH (nla, left, ofpbuf_at(b, DPU_HEADER_LEN, 0),
                      b->size - DPU_HEADER_LEN) {
        struct nlattr *a[DPU_CT_LIMIT_ATTR_MAX + 1];

        if (nl_attr_type(nla) != DPU_ATTR_CT_ZONE_LIMIT) {
            continue;
        }
        if (!nl_parse_nested(nla, ct_limit_policy, a, ARRAY_SIZE(a))) {
            ct_dpif_free_zone_limits(&parsed);
            return false;
        }
        ct_dpif_push_zone_limit(
            &parsed, nl_attr_get_u16(a[DPU_CT_LIMIT_ATTR_ZONE]),
            (a[DPU_CT_LIMIT_ATTR_LIMIT]
             ? nl_attr_get_u32(a[DPU_CT_LIMIT_ATTR_LIMIT]) : 0),
            (a[DPU_CT_LIMIT_ATTR_COUNT]
             ? nl_attr_get_u32(a[DPU_CT_LIMIT_ATTR_COUNT]) : 0));
    }
    ovs_list_push_back_all(limits, &parsed);
    return true;
}

/* Conntrack timeout policies. */

static const struct nl_policy ct_tp_attr_policy[DPU_CT_TP_ATTR_MAX + 1] = {
    [DPU_CT_TP_ATTR_ID] = REQ(NL_A_U32),
    [DPU_CT_TP_ATTR_TIMEOUTS] = REQ(NL_A_NESTED),
};

/* The protocol numbers timeouts as 1 + enum ct_dpif_tp_attr, and says that
 * there are 16 of them. */
BUILD_ASSERT_DECL(CT_DPIF_TP_ATTR_MAX == 16);

void
dpu_put_ct_timeout_policy(struct ofpbuf *b,
                          const struct ct_dpif_timeout_policy *tp)
{
    size_t ofs = nl_msg_start_nested(b, DPU_ATTR_CT_TIMEOUT_POLICY);
    size_t timeouts;

    nl_msg_put_u32(b, DPU_CT_TP_ATTR_ID, tp->id);
    timeouts = nl_msg_start_nested(b, DPU_CT_TP_ATTR_TIMEOUTS);
    for (int i = 0; i < CT_DPIF_TP_ATTR_MAX; i++) {
        if (tp->present & (1u << i)) {
            nl_msg_put_u32(b, i + 1, tp->attrs[i]);
        }
    }
    nl_msg_end_nested(b, timeouts);
    nl_msg_end_nested(b, ofs);
}

bool
dpu_parse_ct_timeout_policy(const struct nlattr *nla,
                            struct ct_dpif_timeout_policy *tp)
{
    struct nlattr *a[DPU_CT_TP_ATTR_MAX + 1];
    const struct nlattr *timeout;
    size_t left;

    if (!nl_parse_nested(nla, ct_tp_attr_policy, a, ARRAY_SIZE(a))) {
        return false;
    }
    memset(tp, 0, sizeof *tp);
    tp->id = nl_attr_get_u32(a[DPU_CT_TP_ATTR_ID]);
    NL_NESTED_FOR_EACH (timeout, left, a[DPU_CT_TP_ATTR_TIMEOUTS]) {
        uint16_t type = nl_attr_type(timeout);

        if (!type || type > CT_DPIF_TP_ATTR_MAX
            || nl_attr_get_size(timeout) != sizeof(uint32_t)
            || tp->present & (1u << (type - 1))) {
            return false;
        }
        tp->present |= 1u << (type - 1);
        tp->attrs[type - 1] = nl_attr_get_u32(timeout);
    }
    return !left;
}

/* QoS queues. */

static const struct nl_policy queue_policy[DPU_QUEUE_ATTR_MAX + 1] = {
    [DPU_QUEUE_ATTR_ID] = REQ(NL_A_U32),
    [DPU_QUEUE_ATTR_DETAILS] = OPT(NL_A_NESTED),
    [DPU_QUEUE_ATTR_STATS] = OPT(NL_A_NESTED),
    [DPU_QUEUE_ATTR_AGE_MS] = OPT(NL_A_U64),
};


void
dpu_put_queue(struct ofpbuf *b, unsigned int queue_id,
              const struct smap *details,
              const struct netdev_queue_stats *stats)
{
    size_t ofs = nl_msg_start_nested(b, DPU_ATTR_QUEUE);

    nl_msg_put_u32(b, DPU_QUEUE_ATTR_ID, queue_id);
    if (details) {
        dpu_put_smap(b, DPU_QUEUE_ATTR_DETAILS, details);
    }
    if (stats) {
        size_t stats_ofs = nl_msg_start_nested(b, DPU_QUEUE_ATTR_STATS);

        put_known_u64(b, DPU_STATS_ATTR_TX_PACKETS, stats->tx_packets);
        put_known_u64(b, DPU_STATS_ATTR_TX_BYTES, stats->tx_bytes);
        put_known_u64(b, DPU_STATS_ATTR_TX_ERRORS, stats->tx_errors);
        nl_msg_end_nested(b, stats_ofs);
        if (stats->created != LLONG_MIN) {
            nl_msg_put_u64(b, DPU_QUEUE_ATTR_AGE_MS,
                           MAX(time_msec() - stats->created, 0));
        }
    }
    nl_msg_end_nested(b, ofs);
}

bool
dpu_parse_queue(const struct nlattr *nla, unsigned int *queue_id,
                struct smap *details, struct netdev_queue_stats *stats)
{
    struct nlattr *a[DPU_QUEUE_ATTR_MAX + 1];
    struct nlattr *sa[DPU_STATS_ATTR_MAX + 1];

    if (!nl_parse_nested(nla, queue_policy, a, ARRAY_SIZE(a))) {
        return false;
    }
    *queue_id = nl_attr_get_u32(a[DPU_QUEUE_ATTR_ID]);
    if (details && (!a[DPU_QUEUE_ATTR_DETAILS]
                    || !dpu_parse_smap(a[DPU_QUEUE_ATTR_DETAILS], details))) {
        return false;
    }
    if (stats) {
        if (!a[DPU_QUEUE_ATTR_STATS]
            || !dpu_parse_stats(a[DPU_QUEUE_ATTR_STATS], sa)) {
            return false;
        }
        stats->tx_packets = get_known_u64(sa[DPU_STATS_ATTR_TX_PACKETS]);
        stats->tx_bytes = get_known_u64(sa[DPU_STATS_ATTR_TX_BYTES]);
        stats->tx_errors = get_known_u64(sa[DPU_STATS_ATTR_TX_ERRORS]);
        stats->created = LLONG_MIN;
        if (a[DPU_QUEUE_ATTR_AGE_MS]) {
            uint64_t age = nl_attr_get_u64(a[DPU_QUEUE_ATTR_AGE_MS]);

            stats->created = time_msec() - (long long int) MIN(age,
                                                               LLONG_MAX / 2);
        }
    }
    return true;
}
