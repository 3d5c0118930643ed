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
#include "dpu-actions.h"

#include <errno.h>

#include "netlink.h"
#include "odp-netlink.h"
#include "odp-util.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/geneve.h"
#include "packets.h"
#include "util.h"

/* The walk over one action list, for messages: 'path' names where the walk
 * is, e.g. "action 2 (clone): action 1 (set)". */
struct check_ctx {
    dpu_check_tnl_push_func *check_tnl_push;
    void *aux;
    struct ds *why;
    int depth;
};

static int check_action_list(const struct nlattr *, size_t,
                             struct check_ctx *);

static int OVS_PRINTF_FORMAT(2, 3)
reject(struct check_ctx *ctx, const char *format, ...)
{
    va_list args;

    va_start(args, format);
    ds_put_format_valist(ctx->why, format, args);
    va_end(args);
    return EINVAL;
}

/* Lengths in the policies below that are not a fixed length. */
enum {
    LEN_VARIABLE = -1,          /* Checked by a function below. */
    LEN_NESTED = -2,            /* Nested attributes, parsed by odp-util. */
};

/* Each action's argument: its length, or LEN_VARIABLE.  A type with no name
 * is unknown. */
struct action_policy {
    const char *name;
    int len;
};

static const struct action_policy action_policies[] = {
    [OVS_ACTION_ATTR_OUTPUT] = { "output", sizeof(uint32_t) },
    [OVS_ACTION_ATTR_USERSPACE] = { "userspace", LEN_VARIABLE },
    [OVS_ACTION_ATTR_SET] = { "set", LEN_VARIABLE },
    [OVS_ACTION_ATTR_PUSH_VLAN] = { "push_vlan",
                                    sizeof(struct ovs_action_push_vlan) },
    [OVS_ACTION_ATTR_POP_VLAN] = { "pop_vlan", 0 },
    [OVS_ACTION_ATTR_SAMPLE] = { "sample", LEN_VARIABLE },
    [OVS_ACTION_ATTR_RECIRC] = { "recirc", sizeof(uint32_t) },
    [OVS_ACTION_ATTR_HASH] = { "hash", sizeof(struct ovs_action_hash) },
    [OVS_ACTION_ATTR_PUSH_MPLS] = { "push_mpls",
                                    sizeof(struct ovs_action_push_mpls) },
    [OVS_ACTION_ATTR_POP_MPLS] = { "pop_mpls", sizeof(ovs_be16) },
    [OVS_ACTION_ATTR_SET_MASKED] = { "set_masked", LEN_VARIABLE },
    [OVS_ACTION_ATTR_CT] = { "ct", LEN_VARIABLE },
    [OVS_ACTION_ATTR_TRUNC] = { "trunc", sizeof(struct ovs_action_trunc) },
    [OVS_ACTION_ATTR_PUSH_ETH] = { "push_eth",
                                   sizeof(struct ovs_action_push_eth) },
    [OVS_ACTION_ATTR_POP_ETH] = { "pop_eth", 0 },
    [OVS_ACTION_ATTR_CT_CLEAR] = { "ct_clear", 0 },
    [OVS_ACTION_ATTR_PUSH_NSH] = { "push_nsh", LEN_VARIABLE },
    [OVS_ACTION_ATTR_POP_NSH] = { "pop_nsh", 0 },
    [OVS_ACTION_ATTR_METER] = { "meter", sizeof(uint32_t) },
    [OVS_ACTION_ATTR_CLONE] = { "clone", LEN_VARIABLE },
    [OVS_ACTION_ATTR_CHECK_PKT_LEN] = { "check_pkt_len", LEN_VARIABLE },
    [OVS_ACTION_ATTR_ADD_MPLS] = { "add_mpls",
                                   sizeof(struct ovs_action_add_mpls) },
    [OVS_ACTION_ATTR_TUNNEL_PUSH] = { "tnl_push", LEN_VARIABLE },
    [OVS_ACTION_ATTR_TUNNEL_POP] = { "tnl_pop", sizeof(uint32_t) },
    [OVS_ACTION_ATTR_DROP] = { "drop", sizeof(uint32_t) },
    [OVS_ACTION_ATTR_LB_OUTPUT] = { "lb_output", sizeof(uint32_t) },
};

/* The keys that set() and set_masked() may carry: those that
 * odp_execute_set_action() and odp_execute_masked_set_action() handle.
 * 'len' is the key's length. */
struct set_policy {
    const char *name;
    int len;
    bool maskable;
};

static const struct set_policy set_policies[] = {
    [OVS_KEY_ATTR_PRIORITY] = { "skb_priority", sizeof(uint32_t), true },
    [OVS_KEY_ATTR_SKB_MARK] = { "skb_mark", sizeof(uint32_t), true },
    [OVS_KEY_ATTR_ETHERNET] = { "eth", sizeof(struct ovs_key_ethernet),
                                true },
    [OVS_KEY_ATTR_IPV4] = { "ipv4", sizeof(struct ovs_key_ipv4), true },
    [OVS_KEY_ATTR_IPV6] = { "ipv6", sizeof(struct ovs_key_ipv6), true },
    [OVS_KEY_ATTR_TCP] = { "tcp", sizeof(struct ovs_key_tcp), true },
    [OVS_KEY_ATTR_UDP] = { "udp", sizeof(struct ovs_key_udp), true },
    [OVS_KEY_ATTR_SCTP] = { "sctp", sizeof(struct ovs_key_sctp), true },
    [OVS_KEY_ATTR_MPLS] = { "mpls", sizeof(struct ovs_key_mpls), true },
    [OVS_KEY_ATTR_ARP] = { "arp", sizeof(struct ovs_key_arp), true },
    [OVS_KEY_ATTR_ICMP] = { "icmp", sizeof(struct ovs_key_icmp), false },
    [OVS_KEY_ATTR_ICMPV6] = { "icmpv6", sizeof(struct ovs_key_icmpv6),
                              false },
    [OVS_KEY_ATTR_ND] = { "nd", sizeof(struct ovs_key_nd), true },
    [OVS_KEY_ATTR_ND_EXTENSIONS] = { "nd_ext",
                                     sizeof(struct ovs_key_nd_extensions),
                                     true },
    [OVS_KEY_ATTR_DP_HASH] = { "dp_hash", sizeof(uint32_t), true },
    [OVS_KEY_ATTR_RECIRC_ID] = { "recirc_id", sizeof(uint32_t), true },
    [OVS_KEY_ATTR_TUNNEL] = { "tunnel", LEN_NESTED, false },
    [OVS_KEY_ATTR_NSH] = { "nsh", LEN_NESTED, true },
};

/* Checks that every attribute nested in 'nla' is of a type in 1...'max',
 * since the userspace datapath aborts on others.  nl_parse_nested() ignores
 * them, so this comes with it. */
static int
check_nested_types(const struct nlattr *nla, unsigned int max,
                   struct check_ctx *ctx)
{
    const struct nlattr *a;
    size_t left;

    NL_NESTED_FOR_EACH (a, left, nla) {
        if (!nl_attr_type(a) || nl_attr_type(a) > max) {
            return reject(ctx, "unknown attribute %"PRIu16,
                          nl_attr_type(a));
        }
    }
    return left ? reject(ctx, "malformed nested attribute") : 0;
}

static int
parse_nested(const struct nlattr *nla, const struct nl_policy policy[],
             struct nlattr *attrs[], size_t n_attrs, struct check_ctx *ctx)
{
    int error = check_nested_types(nla, n_attrs - 1, ctx);

    if (!error && !nl_parse_nested(nla, policy, attrs, n_attrs)) {
        error = reject(ctx, "missing or malformed attribute");
    }
    return error;
}

/* Returns the attribute nested in 'a', if it is the only one and well
 * formed, otherwise null. */
static const struct nlattr *
only_nested(const struct nlattr *a)
{
    const struct nlattr *nested = nl_attr_get(a);
    size_t len = nl_attr_get_size(a);

    return (len >= NLA_HDRLEN && nested->nla_len >= NLA_HDRLEN
            && NLA_ALIGN(nested->nla_len) == len
            ? nested : NULL);
}

static int
check_set(const struct nlattr *a, bool masked, struct check_ctx *ctx)
{
    const struct set_policy *policy;
    const struct nlattr *key;
    uint16_t type;

    key = only_nested(a);
    if (!key) {
        return reject(ctx, "the key must be the only attribute");
    }
    type = nl_attr_type(key);
    policy = type < ARRAY_SIZE(set_policies) ? &set_policies[type] : NULL;
    if (!policy || !policy->name) {
        return reject(ctx, "key type %"PRIu16" cannot be set", type);
    }
    if (masked && !policy->maskable) {
        return reject(ctx, "key %s cannot be set with a mask", policy->name);
    }

    if (policy->len == LEN_NESTED) {
        if (type == OVS_KEY_ATTR_TUNNEL) {
            struct flow_tnl tnl;
            char *error = NULL;

            if (odp_tun_key_from_attr(key, &tnl, &error) == ODP_FIT_ERROR) {
                reject(ctx, "key tunnel: %s", error ? error : "malformed");
                free(error);
                return EINVAL;
            }
        } else {
            struct ovs_key_nsh nsh, mask;

            if (odp_nsh_key_from_attr(key, &nsh, masked ? &mask : NULL,
                                      NULL) != ODP_FIT_PERFECT) {
                return reject(ctx, "key nsh is malformed");
            }
        }
        return 0;
    }

    size_t expected = policy->len * (masked ? 2 : 1);
    if (nl_attr_get_size(key) != expected) {
        return reject(ctx, "key %s has length %"PRIuSIZE", not %"PRIuSIZE,
                      policy->name, nl_attr_get_size(key), expected);
    }
    return 0;
}

static int
check_userspace(const struct nlattr *a, struct check_ctx *ctx)
{
    static const struct nl_policy policy[] = {
        [OVS_USERSPACE_ATTR_PID] = { .type = NL_A_U32 },
        [OVS_USERSPACE_ATTR_USERDATA] = { .type = NL_A_UNSPEC,
                                          .optional = true },
        [OVS_USERSPACE_ATTR_EGRESS_TUN_PORT] = { .type = NL_A_U32,
                                                 .optional = true },
        [OVS_USERSPACE_ATTR_ACTIONS] = { .type = NL_A_FLAG,
                                         .optional = true },
    };
    struct nlattr *attrs[ARRAY_SIZE(policy)];

    return parse_nested(a, policy, attrs, ARRAY_SIZE(attrs), ctx);
}

static int
check_sample(const struct nlattr *a, struct check_ctx *ctx)
{
    static const struct nl_policy policy[] = {
        [OVS_SAMPLE_ATTR_PROBABILITY] = { .type = NL_A_U32 },
        [OVS_SAMPLE_ATTR_ACTIONS] = { .type = NL_A_NESTED },
    };
    struct nlattr *attrs[ARRAY_SIZE(policy)];
    int error;

    error = parse_nested(a, policy, attrs, ARRAY_SIZE(attrs), ctx);
    if (!error) {
        const struct nlattr *actions = attrs[OVS_SAMPLE_ATTR_ACTIONS];

        error = check_action_list(nl_attr_get(actions),
                                  nl_attr_get_size(actions), ctx);
    }
    return error;
}

static int
check_pkt_len(const struct nlattr *a, struct check_ctx *ctx)
{
    static const struct nl_policy policy[] = {
        [OVS_CHECK_PKT_LEN_ATTR_PKT_LEN] = { .type = NL_A_U16 },
        [OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_GREATER] = {
            .type = NL_A_NESTED },
        [OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_LESS_EQUAL] = {
            .type = NL_A_NESTED },
    };
    struct nlattr *attrs[ARRAY_SIZE(policy)];
    int error;

    error = parse_nested(a, policy, attrs, ARRAY_SIZE(attrs), ctx);
    for (int i = OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_GREATER;
         !error && i <= OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_LESS_EQUAL; i++) {
        error = check_action_list(nl_attr_get(attrs[i]),
                                  nl_attr_get_size(attrs[i]), ctx);
    }
    return error;
}

/* ct(): as dpif-netdev reads it.  MARK and LABELS are a value then a mask;
 * an IP_MIN or IP_MAX is an IPv4 or IPv6 address (dpif-netdev copies it
 * into a struct in6_addr). */
static int
check_ct(const struct nlattr *a, struct check_ctx *ctx)
{
    static const struct nl_policy policy[] = {
        [OVS_CT_ATTR_COMMIT] = { .type = NL_A_FLAG, .optional = true },
        [OVS_CT_ATTR_ZONE] = { .type = NL_A_U16, .optional = true },
        [OVS_CT_ATTR_MARK] = { .type = NL_A_UNSPEC,
                               .min_len = 2 * sizeof(uint32_t),
                               .max_len = 2 * sizeof(uint32_t),
                               .optional = true },
        [OVS_CT_ATTR_LABELS] = { .type = NL_A_UNSPEC,
                                 .min_len = 2 * sizeof(ovs_u128),
                                 .max_len = 2 * sizeof(ovs_u128),
                                 .optional = true },
        [OVS_CT_ATTR_HELPER] = { .type = NL_A_STRING, .max_len = 16,
                                 .optional = true },
        [OVS_CT_ATTR_NAT] = { .type = NL_A_NESTED, .optional = true },
        [OVS_CT_ATTR_FORCE_COMMIT] = { .type = NL_A_FLAG, .optional = true },
        [OVS_CT_ATTR_EVENTMASK] = { .type = NL_A_U32, .optional = true },
        [OVS_CT_ATTR_TIMEOUT] = { .type = NL_A_STRING, .max_len = 32,
                                  .optional = true },
    };
    static const struct nl_policy nat_policy[] = {
        [OVS_NAT_ATTR_SRC] = { .type = NL_A_FLAG, .optional = true },
        [OVS_NAT_ATTR_DST] = { .type = NL_A_FLAG, .optional = true },
        [OVS_NAT_ATTR_IP_MIN] = { .type = NL_A_UNSPEC,
                                  .min_len = sizeof(ovs_be32),
                                  .max_len = sizeof(struct in6_addr),
                                  .optional = true },
        [OVS_NAT_ATTR_IP_MAX] = { .type = NL_A_UNSPEC,
                                  .min_len = sizeof(ovs_be32),
                                  .max_len = sizeof(struct in6_addr),
                                  .optional = true },
        [OVS_NAT_ATTR_PROTO_MIN] = { .type = NL_A_U16, .optional = true },
        [OVS_NAT_ATTR_PROTO_MAX] = { .type = NL_A_U16, .optional = true },
        [OVS_NAT_ATTR_PERSISTENT] = { .type = NL_A_FLAG, .optional = true },
        [OVS_NAT_ATTR_PROTO_HASH] = { .type = NL_A_FLAG, .optional = true },
        [OVS_NAT_ATTR_PROTO_RANDOM] = { .type = NL_A_FLAG,
                                        .optional = true },
    };
    struct nlattr *nat[ARRAY_SIZE(nat_policy)];
    struct nlattr *attrs[ARRAY_SIZE(policy)];
    int error;

    error = parse_nested(a, policy, attrs, ARRAY_SIZE(attrs), ctx);
    if (error || !attrs[OVS_CT_ATTR_NAT]) {
        return error;
    }

    size_t mark = ctx->why->length;
    ds_put_cstr(ctx->why, "nat: ");
    error = parse_nested(attrs[OVS_CT_ATTR_NAT], nat_policy, nat,
                         ARRAY_SIZE(nat), ctx);
    if (error) {
        return error;
    }
    for (int i = OVS_NAT_ATTR_IP_MIN; i <= OVS_NAT_ATTR_IP_MAX; i++) {
        size_t len = nat[i] ? nl_attr_get_size(nat[i]) : 0;

        if (len && len != sizeof(ovs_be32) && len != sizeof(struct in6_addr)) {
            return reject(ctx, "address of length %"PRIuSIZE, len);
        }
    }
    if (nat[OVS_NAT_ATTR_IP_MIN] && nat[OVS_NAT_ATTR_IP_MAX]
        && (nl_attr_get_size(nat[OVS_NAT_ATTR_IP_MIN])
            != nl_attr_get_size(nat[OVS_NAT_ATTR_IP_MAX]))) {
        return reject(ctx, "addresses of different families");
    }
    if (nat[OVS_NAT_ATTR_SRC] && nat[OVS_NAT_ATTR_DST]) {
        return reject(ctx, "both src and dst");
    }
    ds_truncate(ctx->why, mark);
    return 0;
}

/* push_nsh(): one OVS_KEY_ATTR_NSH, as odp_execute_actions() reads it. */
static int
check_push_nsh(const struct nlattr *a, struct check_ctx *ctx)
{
    uint32_t buffer[NSH_HDR_MAX_LEN / 4];
    struct nsh_hdr *nsh = ALIGNED_CAST(struct nsh_hdr *, buffer);
    const struct nlattr *key = only_nested(a);

    if (!key || nl_attr_type(key) != OVS_KEY_ATTR_NSH
        || odp_nsh_hdr_from_attr(key, nsh, NSH_HDR_MAX_LEN)
           != ODP_FIT_PERFECT) {
        return reject(ctx, "malformed NSH header");
    }
    return 0;
}

/* The length of the tunnel header after the IP header that the push_header
 * function of a tunnel of 'tnl_type' writes into or copies, given that
 * header 'l4' has 'left' bytes; 0 for a type that cannot be pushed. */
static size_t
tnl_header_len(uint32_t tnl_type, const void *l4, size_t left)
{
    const struct gre_base_hdr *greh = l4;
    size_t len;

    switch (tnl_type) {
    case OVS_VPORT_TYPE_VXLAN:
        return UDP_HEADER_LEN + sizeof(struct vxlanhdr);
    case OVS_VPORT_TYPE_GENEVE:
        return UDP_HEADER_LEN + sizeof(struct genevehdr);
    case OVS_VPORT_TYPE_BAREUDP:
        return UDP_HEADER_LEN;
    case OVS_VPORT_TYPE_GTPU:
        len = UDP_HEADER_LEN + sizeof(struct gtpuhdr);
        if (left >= len) {
            const struct gtpuhdr *gtpuh = ALIGNED_CAST(
                const struct gtpuhdr *, (const char *) l4 + UDP_HEADER_LEN);

            if (gtpuh->md.flags & GTPU_S_MASK) {
                len += sizeof(struct gtpuhdr_opt);
            }
        }
        return len;
    case OVS_VPORT_TYPE_GRE:
    case OVS_VPORT_TYPE_IP6GRE:
        len = sizeof *greh;
        if (left >= len) {
            len += (!!(greh->flags & htons(GRE_CSUM))
                    + !!(greh->flags & htons(GRE_KEY))
                    + !!(greh->flags & htons(GRE_SEQ))) * 4;
        }
        return len;
    case OVS_VPORT_TYPE_ERSPAN:
    case OVS_VPORT_TYPE_IP6ERSPAN:
        len = ERSPAN_GREHDR_LEN + sizeof(struct erspan_base_hdr);
        if (left >= len) {
            len += (greh->protocol == htons(ETH_TYPE_ERSPAN2)
                    ? ERSPAN_V2_MDSIZE : ERSPAN_V1_MDSIZE);
        }
        return len;
    default:
        return 0;
    }
}

static int
check_tnl_push_action(const struct nlattr *a, struct check_ctx *ctx)
{
    const size_t hdr_ofs = offsetof(struct ovs_action_push_tnl, header);
    const struct ovs_action_push_tnl *data;
    size_t len = nl_attr_get_size(a);
    const struct eth_header *eth;
    size_t ip_len, l4_len;

    if (len < hdr_ofs || len > sizeof *data) {
        return reject(ctx, "length %"PRIuSIZE, len);
    }
    /* Copy out of the message, where it is only 4-byte aligned. */
    struct ovs_action_push_tnl copy;
    memset(&copy, 0, sizeof copy);
    memcpy(&copy, nl_attr_get(a), len);
    data = &copy;

    if (data->header_len > len - hdr_ofs) {
        return reject(ctx, "header_len %"PRIu32" beyond the action",
                      data->header_len);
    }
    eth = (const struct eth_header *) data->header;
    if (data->header_len < ETH_HEADER_LEN
        || (eth->eth_type != htons(ETH_TYPE_IP)
            && eth->eth_type != htons(ETH_TYPE_IPV6))) {
        return reject(ctx, "header does not start with Ethernet and IP");
    }
    ip_len = (eth->eth_type == htons(ETH_TYPE_IP)
              ? IP_HEADER_LEN : IPV6_HEADER_LEN);
    if (data->header_len < ETH_HEADER_LEN + ip_len) {
        return reject(ctx, "header_len %"PRIu32" too short for IP",
                      data->header_len);
    }
    l4_len = tnl_header_len(data->tnl_type,
                            (const char *) data->header + ETH_HEADER_LEN
                            + ip_len,
                            data->header_len - ETH_HEADER_LEN - ip_len);
    if (!l4_len) {
        return reject(ctx, "tunnel type %"PRIu32" cannot be pushed",
                      data->tnl_type);
    }
    if (data->header_len < ETH_HEADER_LEN + ip_len + l4_len) {
        return reject(ctx, "header_len %"PRIu32" too short for tunnel type "
                      "%"PRIu32, data->header_len, data->tnl_type);
    }
    return (ctx->check_tnl_push
            ? ctx->check_tnl_push(data, ctx->aux, ctx->why)
            : 0);
}

static int
check_action(const struct nlattr *a, struct check_ctx *ctx)
{
    uint16_t type = nl_attr_type(a);
    size_t len = nl_attr_get_size(a);

    switch ((enum ovs_action_attr) type) {
    case OVS_ACTION_ATTR_USERSPACE:
        return check_userspace(a, ctx);
    case OVS_ACTION_ATTR_SET:
        return check_set(a, false, ctx);
    case OVS_ACTION_ATTR_SET_MASKED:
        return check_set(a, true, ctx);
    case OVS_ACTION_ATTR_SAMPLE:
        return check_sample(a, ctx);
    case OVS_ACTION_ATTR_CT:
        return check_ct(a, ctx);
    case OVS_ACTION_ATTR_PUSH_NSH:
        return check_push_nsh(a, ctx);
    case OVS_ACTION_ATTR_CLONE:
        return check_action_list(nl_attr_get(a), len, ctx);
    case OVS_ACTION_ATTR_CHECK_PKT_LEN:
        return check_pkt_len(a, ctx);
    case OVS_ACTION_ATTR_TUNNEL_PUSH:
        return check_tnl_push_action(a, ctx);

    case OVS_ACTION_ATTR_HASH: {
        const struct ovs_action_hash *hash = nl_attr_get(a);

        if (hash->hash_alg != OVS_HASH_ALG_L4
            && hash->hash_alg != OVS_HASH_ALG_SYM_L4) {
            return reject(ctx, "unknown algorithm %"PRIu32, hash->hash_alg);
        }
        return 0;
    }
    case OVS_ACTION_ATTR_TRUNC: {
        const struct ovs_action_trunc *trunc = nl_attr_get(a);

        if (trunc->max_len < ETH_HEADER_LEN) {
            return reject(ctx, "max_len %"PRIu32" below an Ethernet header",
                          trunc->max_len);
        }
        return 0;
    }

    case OVS_ACTION_ATTR_OUTPUT:
    case OVS_ACTION_ATTR_PUSH_VLAN:
    case OVS_ACTION_ATTR_POP_VLAN:
    case OVS_ACTION_ATTR_RECIRC:
    case OVS_ACTION_ATTR_PUSH_MPLS:
    case OVS_ACTION_ATTR_POP_MPLS:
    case OVS_ACTION_ATTR_PUSH_ETH:
    case OVS_ACTION_ATTR_POP_ETH:
    case OVS_ACTION_ATTR_CT_CLEAR:
    case OVS_ACTION_ATTR_POP_NSH:
    case OVS_ACTION_ATTR_METER:
    case OVS_ACTION_ATTR_ADD_MPLS:
    case OVS_ACTION_ATTR_TUNNEL_POP:
    case OVS_ACTION_ATTR_DROP:
    case OVS_ACTION_ATTR_LB_OUTPUT:
    case OVS_ACTION_ATTR_UNSPEC:
    case __OVS_ACTION_ATTR_MAX:
    default:
        /* The length alone, which the caller checked. */
        return 0;
    }
}

static int
check_action_list(const struct nlattr *actions, size_t size,
                  struct check_ctx *ctx)
{
    const struct nlattr *a;
    size_t mark = ctx->why->length;
    unsigned int i = 0;
    size_t left;

    if (++ctx->depth > DPU_ACTIONS_MAX_DEPTH) {
        return reject(ctx, "actions nested more than %d deep",
                      DPU_ACTIONS_MAX_DEPTH);
    }
    NL_ATTR_FOR_EACH (a, left, actions, size) {
        uint16_t type = nl_attr_type(a);
        const struct action_policy *policy;
        size_t len = nl_attr_get_size(a);
        int error;

        i++;
        policy = (type < ARRAY_SIZE(action_policies)
                  ? &action_policies[type] : NULL);
        if (!policy || !policy->name) {
            return reject(ctx, "action %u: unknown type %"PRIu16, i, type);
        }
        ds_put_format(ctx->why, "action %u (%s): ", i, policy->name);
        if (policy->len != LEN_VARIABLE && len != policy->len) {
            return reject(ctx, "length %"PRIuSIZE", not %d",
                          len, policy->len);
        }
        error = check_action(a, ctx);
        if (error) {
            return error;
        }
        ds_truncate(ctx->why, mark);
    }
    if (left) {
        return reject(ctx, "malformed action after action %u", i);
    }
    ctx->depth--;
    return 0;
}

int
dpu_actions_check(const struct nlattr *actions, size_t size,
                  dpu_check_tnl_push_func *check_tnl_push, void *aux,
                  struct ds *why)
{
    struct check_ctx ctx = {
        .check_tnl_push = check_tnl_push,
        .aux = aux,
        .why = why,
        .depth = 0,
    };
    size_t mark = why->length;
    int error;

    error = check_action_list(actions, size, &ctx);
    if (!error) {
        ds_truncate(why, mark);
    }
    return error;
}
