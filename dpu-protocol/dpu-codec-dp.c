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
#include "dp-packet.h"
#include "dpif.h"
#include "flow.h"
#include "netdev.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofp-meter.h"
#include "odp-util.h"
#include "openvswitch/ofpbuf.h"
#include "smap.h"
#include "timeval.h"
#include "util.h"

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

/* Statistics. */

static const struct nl_policy stats_policy[DPU_STATS_ATTR_MAX + 1] = {
#define S(ATTR) [DPU_STATS_ATTR_##ATTR] = OPT(NL_A_U64)
    S(HIT), S(MISSED), S(LOST), S(FLOWS), S(MASKS), S(MASK_HIT),
    S(CACHE_HIT), S(RX_PACKETS), S(TX_PACKETS), S(RX_BYTES), S(TX_BYTES),
    S(RX_ERRORS), S(TX_ERRORS), S(RX_DROPPED), S(TX_DROPPED), S(MULTICAST),
    S(COLLISIONS),
#undef S
};

static bool
parse_stats(const struct nlattr *nla, struct nlattr *a[])
{
    return nla && nl_parse_nested(nla, stats_policy, a,
                                  DPU_STATS_ATTR_MAX + 1);
}

void
dpu_put_dp_stats(struct ofpbuf *b, uint16_t type,
                 const struct dpif_dp_stats *stats)
{
    size_t ofs = nl_msg_start_nested(b, type);

    nl_msg_put_u64(b, DPU_STATS_ATTR_HIT, stats->n_hit);
    nl_msg_put_u64(b, DPU_STATS_ATTR_MISSED, stats->n_missed);
    nl_msg_put_u64(b, DPU_STATS_ATTR_LOST, stats->n_lost);
    nl_msg_put_u64(b, DPU_STATS_ATTR_FLOWS, stats->n_flows);
    if (stats->n_masks != UINT32_MAX) {
        nl_msg_put_u64(b, DPU_STATS_ATTR_MASKS, stats->n_masks);
    }
    put_known_u64(b, DPU_STATS_ATTR_MASK_HIT, stats->n_mask_hit);
    put_known_u64(b, DPU_STATS_ATTR_CACHE_HIT, stats->n_cache_hit);
    nl_msg_end_nested(b, ofs);
}

bool
dpu_parse_dp_stats(const struct nlattr *nla, struct dpif_dp_stats *stats)
{
    struct nlattr *a[DPU_STATS_ATTR_MAX + 1];

    memset(stats, 0, sizeof *stats);
    if (!parse_stats(nla, a)) {
        return false;
    }
    stats->n_hit = dpu_attr_u64(a[DPU_STATS_ATTR_HIT]);
    stats->n_missed = dpu_attr_u64(a[DPU_STATS_ATTR_MISSED]);
    stats->n_lost = dpu_attr_u64(a[DPU_STATS_ATTR_LOST]);
    stats->n_flows = dpu_attr_u64(a[DPU_STATS_ATTR_FLOWS]);
    stats->n_masks = (a[DPU_STATS_ATTR_MASKS]
                      ? nl_attr_get_u64(a[DPU_STATS_ATTR_MASKS])
                      : UINT32_MAX);
    stats->n_mask_hit = get_known_u64(a[DPU_STATS_ATTR_MASK_HIT]);
    stats->n_cache_hit = get_known_u64(a[DPU_STATS_ATTR_CACHE_HIT]);
    return true;
}

/* The device counters that the protocol carries, and where they are in
 * struct netdev_stats. */
static const struct {
    uint16_t attr;
    size_t offset;
} netdev_counters[] = {
#define COUNTER(ATTR, MEMBER) \
    { DPU_STATS_ATTR_##ATTR, offsetof(struct netdev_stats, MEMBER) }
    COUNTER(RX_PACKETS, rx_packets),
    COUNTER(TX_PACKETS, tx_packets),
    COUNTER(RX_BYTES, rx_bytes),
    COUNTER(TX_BYTES, tx_bytes),
    COUNTER(RX_ERRORS, rx_errors),
    COUNTER(TX_ERRORS, tx_errors),
    COUNTER(RX_DROPPED, rx_dropped),
    COUNTER(TX_DROPPED, tx_dropped),
    COUNTER(MULTICAST, multicast),
    COUNTER(COLLISIONS, collisions),
#undef COUNTER
};

static uint64_t *
netdev_counter(struct netdev_stats *stats, size_t i)
{
    return ALIGNED_CAST(uint64_t *,
                        (char *) stats + netdev_counters[i].offset);
}

void
dpu_put_netdev_stats(struct ofpbuf *b, uint16_t type,
                     const struct netdev_stats *stats)
{
    size_t ofs = nl_msg_start_nested(b, type);

    for (size_t i = 0; i < ARRAY_SIZE(netdev_counters); i++) {
        put_known_u64(b, netdev_counters[i].attr,
                      *netdev_counter(CONST_CAST(struct netdev_stats *,
                                                 stats), i));
    }
    nl_msg_end_nested(b, ofs);
}

bool
dpu_parse_netdev_stats(const struct nlattr *nla, struct netdev_stats *stats)
{
    struct nlattr *a[DPU_STATS_ATTR_MAX + 1];

    memset(stats, 0xff, sizeof *stats);
    if (!parse_stats(nla, a)) {
        return false;
    }
    for (size_t i = 0; i < ARRAY_SIZE(netdev_counters); i++) {
        *netdev_counter(stats, i) = get_known_u64(a[netdev_counters[i].attr]);
    }
    return true;
}

/* Ports. */

static const struct nl_policy port_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_PORT_NO] = REQ(NL_A_U32),
    [DPU_ATTR_PORT_NAME] = PORT_NAME_REQ,
    [DPU_ATTR_PORT_TYPE] = { .type = NL_A_STRING, .max_len = 64 },
};

void
dpu_put_port(struct ofpbuf *b, const struct dpu_port *port)
{
    size_t ofs = nl_msg_start_nested(b, DPU_ATTR_PORT);

    nl_msg_put_odp_port(b, DPU_ATTR_PORT_NO, port->port_no);
    nl_msg_put_string(b, DPU_ATTR_PORT_NAME, port->name);
    nl_msg_put_string(b, DPU_ATTR_PORT_TYPE, port->type);
    nl_msg_end_nested(b, ofs);
}

bool
dpu_parse_port(const struct nlattr *nla, struct dpu_port *port)
{
    struct nlattr *a[DPU_ATTR_MAX + 1];

    memset(port, 0, sizeof *port);
    if (!nl_parse_nested(nla, port_policy, a, ARRAY_SIZE(a))) {
        return false;
    }
    port->port_no = nl_attr_get_odp_port(a[DPU_ATTR_PORT_NO]);
    port->name = nl_attr_get_string(a[DPU_ATTR_PORT_NAME]);
    port->type = nl_attr_get_string(a[DPU_ATTR_PORT_TYPE]);
    return true;
}

void
dpu_put_netdev_state(struct ofpbuf *b, const struct dpu_netdev_state *state)
{
    dpu_put_netdev_stats(b, DPU_ATTR_NETDEV_STATS, &state->stats);
    nl_msg_put_unspec(b, DPU_ATTR_MAC, &state->mac, sizeof state->mac);
    nl_msg_put_u32(b, DPU_ATTR_MTU, state->mtu);
    nl_msg_put_u8(b, DPU_ATTR_CARRIER, state->carrier);
    nl_msg_put_u64(b, DPU_ATTR_CARRIER_RESETS, state->carrier_resets);
    nl_msg_put_u32(b, DPU_ATTR_NETDEV_FLAGS, state->flags);
    if (state->n_addrs) {
        nl_msg_put_unspec(b, DPU_ATTR_IN6_ADDRS, state->addrs,
                          MIN(state->n_addrs, DPU_MAX_IN6_ADDRS)
                          * sizeof *state->addrs);
    }
}

bool
dpu_parse_netdev_state(const struct dpu_msg *msg,
                       struct dpu_netdev_state *state, struct ds *why)
{
    const struct nlattr *addrs = msg->attrs[DPU_ATTR_IN6_ADDRS];

    memset(state, 0, sizeof *state);
    if (!dpu_parse_netdev_stats(msg->attrs[DPU_ATTR_NETDEV_STATS],
                                &state->stats)) {
        ds_put_cstr(why, "malformed device statistics");
        return false;
    }
    if (addrs && nl_attr_get_size(addrs) % sizeof *state->addrs) {
        ds_put_format(why, "IN6_ADDRS of %"PRIuSIZE" bytes is not a "
                      "multiple of %"PRIuSIZE, nl_attr_get_size(addrs),
                      sizeof *state->addrs);
        return false;
    }
    memcpy(&state->mac, nl_attr_get(msg->attrs[DPU_ATTR_MAC]),
           sizeof state->mac);
    state->mtu = nl_attr_get_u32(msg->attrs[DPU_ATTR_MTU]);
    state->carrier = nl_attr_get_u8(msg->attrs[DPU_ATTR_CARRIER]);
    state->carrier_resets
        = nl_attr_get_u64(msg->attrs[DPU_ATTR_CARRIER_RESETS]);
    state->flags = nl_attr_get_u32(msg->attrs[DPU_ATTR_NETDEV_FLAGS]);
    if (addrs) {
        state->addrs = nl_attr_get(addrs);
        state->n_addrs = nl_attr_get_size(addrs) / sizeof *state->addrs;
    }
    return true;
}

/* Flow operations and flows. */

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

static void
put_flow_key(struct ofpbuf *b, uint16_t type, const struct nlattr *key,
             size_t key_len)
{
    if (key) {
        nl_msg_put_unspec(b, type, key, key_len);
    }
}

/* Appends the KEY of EXECUTE 'exec': its packet's metadata and, for an
 * Ethernet frame, OVS_KEY_ATTR_ETHERNET. */
static void
put_execute_key(struct ofpbuf *b, const struct dpif_execute *exec)
{
    size_t ofs = nl_msg_start_nested(b, DPU_OP_ATTR_KEY);

    odp_key_from_dp_packet(b, exec->packet);
    if (exec->packet->packet_type == htonl(PT_ETH)) {
        /* odp_key_from_dp_packet() says nothing for an Ethernet frame,
         * because the kernel finds out by itself; the protocol marks it
         * with OVS_KEY_ATTR_ETHERNET, as odp_key_to_dp_packet() expects
         * (see DPU_OP_EXECUTE in dpu-wire.h). */
        const struct eth_header *eth = dp_packet_eth(exec->packet);
        struct ovs_key_ethernet key_eth;

        memset(&key_eth, 0, sizeof key_eth);
        if (eth) {
            key_eth.eth_src = eth->eth_src;
            key_eth.eth_dst = eth->eth_dst;
        }
        nl_msg_put_unspec(b, OVS_KEY_ATTR_ETHERNET, &key_eth, sizeof key_eth);
    }
    nl_msg_end_nested(b, ofs);
}

void
dpu_put_flow_op(struct ofpbuf *b, const struct dpif_op *op)
{
    size_t ofs = nl_msg_start_nested(b, DPU_ATTR_OP);

    switch (op->type) {
    case DPIF_OP_FLOW_PUT: {
        const struct dpif_flow_put *put = &op->flow_put;

        nl_msg_put_u32(b, DPU_OP_ATTR_TYPE, DPU_OP_PUT);
        put_flow_key(b, DPU_OP_ATTR_KEY, put->key, put->key_len);
        put_flow_key(b, DPU_OP_ATTR_MASK, put->mask, put->mask_len);
        nl_msg_put_unspec(b, DPU_OP_ATTR_ACTIONS,
                          put->actions ? put->actions : (void *) "",
                          put->actions ? put->actions_len : 0);
        if (put->ufid) {
            nl_msg_put_u128(b, DPU_OP_ATTR_UFID, *put->ufid);
        }
        nl_msg_put_u32(b, DPU_OP_ATTR_PUT_FLAGS, put->flags);
        if (put->stats) {
            nl_msg_put_flag(b, DPU_OP_ATTR_WANT_STATS);
        }
        break;
    }
    case DPIF_OP_FLOW_DEL: {
        const struct dpif_flow_del *del = &op->flow_del;

        nl_msg_put_u32(b, DPU_OP_ATTR_TYPE, DPU_OP_DEL);
        put_flow_key(b, DPU_OP_ATTR_KEY, del->key, del->key_len);
        if (del->ufid) {
            nl_msg_put_u128(b, DPU_OP_ATTR_UFID, *del->ufid);
        }
        break;
    }
    case DPIF_OP_FLOW_GET: {
        const struct dpif_flow_get *get = &op->flow_get;

        nl_msg_put_u32(b, DPU_OP_ATTR_TYPE, DPU_OP_GET);
        put_flow_key(b, DPU_OP_ATTR_KEY, get->key, get->key_len);
        if (get->ufid) {
            nl_msg_put_u128(b, DPU_OP_ATTR_UFID, *get->ufid);
        }
        break;
    }
    case DPIF_OP_EXECUTE: {
        const struct dpif_execute *exec = &op->execute;

        nl_msg_put_u32(b, DPU_OP_ATTR_TYPE, DPU_OP_EXECUTE);
        nl_msg_put_unspec(b, DPU_OP_ATTR_PACKET,
                          dp_packet_data(exec->packet),
                          dp_packet_size(exec->packet));
        put_execute_key(b, exec);
        nl_msg_put_unspec(b, DPU_OP_ATTR_ACTIONS, exec->actions,
                          exec->actions_len);
        if (exec->mtu) {
            nl_msg_put_u32(b, DPU_OP_ATTR_MTU, exec->mtu);
        }
        if (exec->hash) {
            nl_msg_put_u64(b, DPU_OP_ATTR_HASH, exec->hash);
        }
        if (exec->probe) {
            nl_msg_put_flag(b, DPU_OP_ATTR_PROBE);
        }
        break;
    }
    }
    nl_msg_end_nested(b, ofs);
}

int
dpu_parse_flow_op(const struct nlattr *nla, struct dpu_flow_op *op,
                  struct ds *why)
{
    struct nlattr *a[DPU_OP_ATTR_MAX + 1];

    memset(op, 0, sizeof *op);
    if (!nl_parse_nested(nla, op_policy, a, ARRAY_SIZE(a))) {
        ds_put_cstr(why, "invalid attributes");
        return EINVAL;
    } else if (!a[DPU_OP_ATTR_TYPE]) {
        ds_put_cstr(why, "no TYPE");
        return EINVAL;
    }
    op->type = nl_attr_get_u32(a[DPU_OP_ATTR_TYPE]);
    op->key = a[DPU_OP_ATTR_KEY];
    op->mask = a[DPU_OP_ATTR_MASK];
    op->actions = a[DPU_OP_ATTR_ACTIONS];
    op->packet = a[DPU_OP_ATTR_PACKET];
    op->has_ufid = a[DPU_OP_ATTR_UFID] != NULL;
    if (op->has_ufid) {
        op->ufid = nl_attr_get_u128(a[DPU_OP_ATTR_UFID]);
    }
    op->put_flags = (a[DPU_OP_ATTR_PUT_FLAGS]
                     ? nl_attr_get_u32(a[DPU_OP_ATTR_PUT_FLAGS])
                     : DPU_FP_CREATE);
    op->want_stats = a[DPU_OP_ATTR_WANT_STATS] != NULL;
    op->mtu = a[DPU_OP_ATTR_MTU] ? nl_attr_get_u32(a[DPU_OP_ATTR_MTU]) : 0;
    op->hash = dpu_attr_u64(a[DPU_OP_ATTR_HASH]);
    op->probe = a[DPU_OP_ATTR_PROBE] != NULL;

    switch (op->type) {
    case DPU_OP_PUT:
        if (!op->key) {
            ds_put_cstr(why, "PUT without KEY");
            return EINVAL;
        }
        return 0;
    case DPU_OP_DEL:
    case DPU_OP_GET:
        if (!op->key && !op->has_ufid) {
            ds_put_format(why, "%s without KEY or UFID",
                          op->type == DPU_OP_DEL ? "DEL" : "GET");
            return EINVAL;
        }
        return 0;
    case DPU_OP_EXECUTE:
        if (!op->packet || !op->key || !op->actions) {
            ds_put_cstr(why, "EXECUTE without PACKET, KEY or ACTIONS");
            return EINVAL;
        }
        if (!nl_attr_find_nested(op->key, OVS_KEY_ATTR_ETHERNET)
            && !nl_attr_find_nested(op->key, OVS_KEY_ATTR_ETHERTYPE)) {
            ds_put_cstr(why, "EXECUTE of neither an Ethernet frame nor a "
                        "layer-3 packet");
            return EINVAL;
        }
        return 0;
    default:
        ds_put_format(why, "unknown operation type %"PRIu32, op->type);
        return EOPNOTSUPP;
    }
}

struct dp_packet *
dpu_execute_packet(const struct dpu_flow_op *op, struct flow *flow)
{
    struct dp_packet *packet = dpu_packet_from_attr(op->packet);

    odp_key_to_dp_packet(nl_attr_get(op->key), nl_attr_get_size(op->key),
                         packet);
    flow_extract(packet, flow);
    return packet;
}

void
dpu_put_flow_stats(struct ofpbuf *b, const struct dpif_flow_stats *stats)
{
    nl_msg_put_u64(b, DPU_OP_ATTR_STATS_PACKETS, stats->n_packets);
    nl_msg_put_u64(b, DPU_OP_ATTR_STATS_BYTES, stats->n_bytes);
    if (stats->used) {
        nl_msg_put_u64(b, DPU_OP_ATTR_STATS_IDLE_MS,
                       MAX(time_msec() - stats->used, 0));
    }
    nl_msg_put_u16(b, DPU_OP_ATTR_STATS_TCP_FLAGS, stats->tcp_flags);
}

/* Decodes the flow statistics among the attributes 'a' of an OP_RESULT or
 * a FLOW into '*stats'.  Returns true if there were any. */
static bool
parse_flow_stats(struct nlattr *a[], struct dpif_flow_stats *stats)
{
    memset(stats, 0, sizeof *stats);
    stats->n_packets = dpu_attr_u64(a[DPU_OP_ATTR_STATS_PACKETS]);
    stats->n_bytes = dpu_attr_u64(a[DPU_OP_ATTR_STATS_BYTES]);
    if (a[DPU_OP_ATTR_STATS_IDLE_MS]) {
        uint64_t idle = nl_attr_get_u64(a[DPU_OP_ATTR_STATS_IDLE_MS]);
        long long int now = time_msec();

        /* An idle time longer than this side's clock has run is as good
         * as "long ago". */
        stats->used = idle < now ? MAX(now - (long long int) idle, 1) : 1;
    }
    if (a[DPU_OP_ATTR_STATS_TCP_FLAGS]) {
        stats->tcp_flags = nl_attr_get_u16(a[DPU_OP_ATTR_STATS_TCP_FLAGS]);
    }
    return (a[DPU_OP_ATTR_STATS_PACKETS] || a[DPU_OP_ATTR_STATS_BYTES]
            || a[DPU_OP_ATTR_STATS_IDLE_MS]
            || a[DPU_OP_ATTR_STATS_TCP_FLAGS]);
}

/* Appends the attributes of 'flow' to the nest being built in 'b': its
 * key, mask and actions unless 'terse', its UFID and its statistics. */
static void
put_flow_attrs(struct ofpbuf *b, const struct dpif_flow *flow, bool terse)
{
    if (!terse) {
        nl_msg_put_unspec(b, DPU_OP_ATTR_KEY, flow->key, flow->key_len);
        nl_msg_put_unspec(b, DPU_OP_ATTR_MASK, flow->mask, flow->mask_len);
        nl_msg_put_unspec(b, DPU_OP_ATTR_ACTIONS, flow->actions,
                          flow->actions_len);
    }
    nl_msg_put_u128(b, DPU_OP_ATTR_UFID, flow->ufid);
    dpu_put_flow_stats(b, &flow->stats);
    if (flow->attrs.offloaded) {
        nl_msg_put_flag(b, DPU_OP_ATTR_OFFLOADED);
    }
}

static bool
parse_flow_result(const struct nlattr *nla, struct dpu_flow_result *result)
{
    struct nlattr *a[DPU_OP_ATTR_MAX + 1];

    memset(result, 0, sizeof *result);
    if (!nl_parse_nested(nla, op_policy, a, ARRAY_SIZE(a))) {
        return false;
    }
    if (a[DPU_OP_ATTR_RESULT_ERRNO]) {
        uint32_t error = nl_attr_get_u32(a[DPU_OP_ATTR_RESULT_ERRNO]);

        result->error = error > 4095 ? EPROTO : error;
    }
    result->has_stats = parse_flow_stats(a, &result->stats);
    result->key = a[DPU_OP_ATTR_KEY];
    result->mask = a[DPU_OP_ATTR_MASK];
    result->actions = a[DPU_OP_ATTR_ACTIONS];
    result->has_ufid = a[DPU_OP_ATTR_UFID] != NULL;
    if (result->has_ufid) {
        result->ufid = nl_attr_get_u128(a[DPU_OP_ATTR_UFID]);
    }
    result->offloaded = a[DPU_OP_ATTR_OFFLOADED] != NULL;
    return a[DPU_OP_ATTR_RESULT_ERRNO] || result->has_ufid;
}

void
dpu_put_op_result(struct ofpbuf *b, int error,
                  const struct dpif_flow_stats *stats,
                  const struct dpif_flow *flow)
{
    size_t ofs = nl_msg_start_nested(b, DPU_ATTR_OP_RESULT);

    nl_msg_put_u32(b, DPU_OP_ATTR_RESULT_ERRNO, error);
    if (stats) {
        dpu_put_flow_stats(b, stats);
    }
    if (flow) {
        put_flow_attrs(b, flow, false);
    }
    nl_msg_end_nested(b, ofs);
}

bool
dpu_parse_op_result(const struct nlattr *nla, struct dpu_flow_result *result)
{
    return (parse_flow_result(nla, result)
            && nl_attr_find_nested(nla, DPU_OP_ATTR_RESULT_ERRNO));
}

void
dpu_put_flow(struct ofpbuf *b, const struct dpif_flow *flow, bool terse)
{
    size_t ofs = nl_msg_start_nested(b, DPU_ATTR_FLOW);

    put_flow_attrs(b, flow, terse);
    nl_msg_end_nested(b, ofs);
}

bool
dpu_parse_flow(const struct nlattr *nla, struct dpu_flow_result *result)
{
    return parse_flow_result(nla, result) && result->has_ufid;
}

/* Upcalls. */

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

void
dpu_put_upcall(struct ofpbuf *b, uint32_t type,
               const struct dp_packet *packet,
               const struct odp_flow_key_parms *key_parms,
               const ovs_u128 *ufid, const struct nlattr *userdata)
{
    size_t ofs = nl_msg_start_nested(b, DPU_ATTR_UPCALL);
    size_t key_ofs;

    nl_msg_put_u32(b, DPU_UPCALL_ATTR_TYPE, type);
    nl_msg_put_unspec(b, DPU_UPCALL_ATTR_PACKET, dp_packet_data(packet),
                      dp_packet_size(packet));
    key_ofs = nl_msg_start_nested(b, DPU_UPCALL_ATTR_KEY);
    odp_flow_key_from_flow(key_parms, b);
    nl_msg_end_nested(b, key_ofs);
    nl_msg_put_u128(b, DPU_UPCALL_ATTR_UFID, *ufid);
    if (userdata) {
        nl_msg_put_unspec(b, DPU_UPCALL_ATTR_USERDATA, nl_attr_get(userdata),
                          nl_attr_get_size(userdata));
    }
    nl_msg_end_nested(b, ofs);
}

bool
dpu_parse_upcall(const struct nlattr *nla, struct dpu_upcall *upcall,
                 struct ds *why)
{
    struct nlattr *a[DPU_UPCALL_ATTR_MAX + 1];

    memset(upcall, 0, sizeof *upcall);
    if (!nl_parse_nested(nla, upcall_attr_policy, a, ARRAY_SIZE(a))) {
        ds_put_cstr(why, "invalid or missing attributes");
        return false;
    }
    upcall->type = nl_attr_get_u32(a[DPU_UPCALL_ATTR_TYPE]);
    if (upcall->type != DPU_UC_MISS && upcall->type != DPU_UC_ACTION) {
        ds_put_format(why, "unknown upcall type %"PRIu32, upcall->type);
        return false;
    }
    upcall->packet = a[DPU_UPCALL_ATTR_PACKET];
    upcall->key = a[DPU_UPCALL_ATTR_KEY];
    upcall->ufid = nl_attr_get_u128(a[DPU_UPCALL_ATTR_UFID]);
    upcall->userdata = a[DPU_UPCALL_ATTR_USERDATA];
    upcall->actions = a[DPU_UPCALL_ATTR_ACTIONS];
    upcall->mru = a[DPU_UPCALL_ATTR_MRU];
    upcall->hash = a[DPU_UPCALL_ATTR_HASH];
    upcall->cutlen = a[DPU_UPCALL_ATTR_CUTLEN];
    upcall->out_tun_key = a[DPU_UPCALL_ATTR_OUT_TUN_KEY];
    return true;
}

/* QoS. */

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
            || !parse_stats(a[DPU_QUEUE_ATTR_STATS], sa)) {
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

/* Datapath bonds. */

BUILD_ASSERT_DECL(DPU_BOND_BUCKETS == BOND_BUCKETS);

void
dpu_put_bond_members(struct ofpbuf *b, const odp_port_t *members)
{
    uint32_t *ports = nl_msg_put_unspec_uninit(b, DPU_ATTR_BOND_MEMBERS,
                                               DPU_BOND_BUCKETS
                                               * sizeof *ports);

    for (size_t i = 0; i < DPU_BOND_BUCKETS; i++) {
        ports[i] = odp_to_u32(members[i]);
    }
}

void
dpu_parse_bond_members(const struct nlattr *nla, odp_port_t *members)
{
    const uint32_t *ports = nl_attr_get(nla);

    for (size_t i = 0; i < DPU_BOND_BUCKETS; i++) {
        members[i] = u32_to_odp(ports[i]);
    }
}

void
dpu_put_bond_stats(struct ofpbuf *b, const uint64_t *n_bytes)
{
    nl_msg_put_unspec(b, DPU_ATTR_BOND_STATS, n_bytes,
                      DPU_BOND_BUCKETS * sizeof *n_bytes);
}

void
dpu_parse_bond_stats(const struct nlattr *nla, uint64_t *n_bytes)
{
    /* Netlink aligns attributes to 4 bytes only. */
    memcpy(n_bytes, nl_attr_get(nla), DPU_BOND_BUCKETS * sizeof *n_bytes);
}
