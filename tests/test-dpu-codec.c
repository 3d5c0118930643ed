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

/* test-dpu-codec: round trips through the protocol codec's put/parse pairs.
 *
 * Each command encodes a value with a dpu_put_*() function, frames and
 * decodes the message as a receiver does (dpu_msg_decode()), parses the
 * value back with the matching dpu_parse_*() function, checks that every
 * field came back as it went, and prints what came back, so that the
 * autotest (tests/dpu-codec.at) states the whole result.  A field that
 * differs makes the command fail, naming it. */

#include <config.h>

#include <errno.h>
#include <stdlib.h>

#include "command-line.h"
#include "ct-dpif.h"
#include "dp-packet.h"
#include "dpif.h"
#include "dpu-channel.h"
#include "dpu-codec.h"
#include "flow.h"
#include "odp-util.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofp-meter.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "smap.h"
#include "stream.h"
#include "timeval.h"
#include "util.h"
#include "uuid.h"

static int n_errors;

#define CHECK(COND)                                                     \
    ((COND) ? (void) 0 : check_failed(__LINE__, #COND))

static void
check_failed(int line, const char *cond)
{
    fprintf(stderr, "test-dpu-codec.c:%d: differs: %s\n", line, cond);
    n_errors++;
}

/* Finishes message 'b' and decodes it into '*msg', as a receiver does. */
static void
decode(struct ofpbuf *b, struct dpu_msg *msg)
{
    char *why;

    dpu_msg_finish(b);
    if (dpu_msg_decode(b, msg, &why)) {
        ovs_fatal(0, "%s does not decode: %s",
                  dpu_msg_type_to_string(msg->type), why);
    }
}

/* Returns the first top-level attribute of type 'type' in message 'b'. */
static const struct nlattr *
find_attr(const struct ofpbuf *b, uint16_t type)
{
    const struct nlattr *nla;
    size_t left;

    DPU_MSG_FOR_EACH_ATTR (nla, left, b) {
        if (nl_attr_type(nla) == type) {
            return nla;
        }
    }
    ovs_fatal(0, "attribute %"PRIu16" missing", type);
}

static bool
attr_equals(const struct nlattr *nla, const void *data, size_t size)
{
    return (nla && nl_attr_get_size(nla) == size
            && !memcmp(nl_attr_get(nla), data, size));
}

static void
test_hello(struct ovs_cmdl_context *ctx OVS_UNUSED)
{
    struct ds why = DS_EMPTY_INITIALIZER;
    struct dpu_hello_request req, req2;
    struct dpu_hello_reply rep, rep2;
    struct ofpbuf b;
    struct dpu_msg msg;

    ofpbuf_init(&b, 0);
    req = (struct dpu_hello_request) {
        .version_min = 1, .version_max = 7,
        .dp_name = "ovs-dpu", .host_name = "host1", .want_upcalls = true,
    };
    dpu_msg_start(&b, DPU_MSG_HELLO, 1, 0);
    dpu_put_hello_request(&b, &req);
    decode(&b, &msg);
    CHECK(!dpu_parse_hello_request(&msg, &req2, &why));
    CHECK(req2.version_min == 1 && req2.version_max == 7);
    CHECK(!strcmp(req2.dp_name, req.dp_name));
    CHECK(!strcmp(req2.host_name, req.host_name));
    CHECK(req2.want_upcalls);
    printf("hello request: versions %"PRIu8" to %"PRIu8", dp %s, host %s, "
           "upcalls %s\n", req2.version_min, req2.version_max, req2.dp_name,
           req2.host_name, req2.want_upcalls ? "yes" : "no");

    /* A version 1 peer says no versions: it speaks its header's. */
    dpu_msg_start(&b, DPU_MSG_HELLO, 1, 0);
    nl_msg_put_u32(&b, DPU_ATTR_BYTE_ORDER, DPU_BYTE_ORDER_MAGIC);
    nl_msg_put_string(&b, DPU_ATTR_DP_NAME, "ovs-dpu");
    decode(&b, &msg);
    CHECK(!dpu_parse_hello_request(&msg, &req2, &why));
    CHECK(req2.version_min == 1 && req2.version_max == 1);
    CHECK(!req2.host_name && !req2.want_upcalls);
    printf("hello request: versions %"PRIu8" to %"PRIu8", dp %s, host %s, "
           "upcalls %s\n", req2.version_min, req2.version_max, req2.dp_name,
           req2.host_name ? req2.host_name : "(none)",
           req2.want_upcalls ? "yes" : "no");

    memset(&rep, 0, sizeof rep);
    rep.version_min = 2;
    rep.version_max = 3;
    rep.id = (struct dpu_identity) {
        .vendor = "Acme", .model = "BF-3", .hw_version = "B1",
        .firmware = "24.2", .serial = "MT1234", .image_version = "0.2.0",
    };
    rep.boot_id = (ovs_u128) { .u32 = { 1, 2, 3, 4 } };
    rep.caps = DPU_CAP_RECIRC | DPU_CAP_HA | DPU_CAP_IPFIX;
    rep.explicit_drop = true;
    rep.dp_version = "<built-in>";
    rep.has_role = true;
    rep.role = DPU_ROLE_STANDBY;
    dpu_msg_start(&b, DPU_MSG_HELLO, 1, DPU_F_REPLY);
    dpu_put_hello_reply(&b, &rep);
    decode(&b, &msg);
    CHECK(!dpu_parse_hello_reply(&msg, &rep2, &why));
    CHECK(rep2.version_min == 2 && rep2.version_max == 3);
    CHECK(!strcmp(rep2.id.vendor, rep.id.vendor));
    CHECK(!strcmp(rep2.id.model, rep.id.model));
    CHECK(!strcmp(rep2.id.hw_version, rep.id.hw_version));
    CHECK(!strcmp(rep2.id.firmware, rep.id.firmware));
    CHECK(!strcmp(rep2.id.serial, rep.id.serial));
    CHECK(!strcmp(rep2.id.image_version, rep.id.image_version));
    CHECK(ovs_u128_equals(rep2.boot_id, rep.boot_id));
    CHECK(rep2.caps == rep.caps);
    CHECK(rep2.explicit_drop && !rep2.lb_output);
    CHECK(!strcmp(rep2.dp_version, rep.dp_version));
    CHECK(rep2.has_role && rep2.role == rep.role);

    struct smap id = SMAP_INITIALIZER(&id);
    const struct smap_node **nodes;

    dpu_identity_to_smap(&rep2.id, &id);
    nodes = smap_sort(&id);
    printf("hello reply: versions %"PRIu8" to %"PRIu8", boot id "UUID_FMT
           ", caps %#"PRIx32", explicit drop, datapath %s, role %s\n",
           rep2.version_min, rep2.version_max,
           UUID_ARGS((struct uuid *) &rep2.boot_id), rep2.caps,
           rep2.dp_version, dpu_role_to_string(rep2.role));
    for (size_t i = 0; i < smap_count(&id); i++) {
        printf("  %s=%s\n", nodes[i]->key, nodes[i]->value);
    }
    free(nodes);
    smap_destroy(&id);
    dpu_hello_reply_destroy(&rep2);

    /* A peer of another byte order. */
    dpu_msg_start(&b, DPU_MSG_HELLO, 1, 0);
    nl_msg_put_u32(&b, DPU_ATTR_BYTE_ORDER, uint32_byteswap(
                       DPU_BYTE_ORDER_MAGIC));
    nl_msg_put_string(&b, DPU_ATTR_DP_NAME, "ovs-dpu");
    decode(&b, &msg);
    ds_clear(&why);
    int error = dpu_parse_hello_request(&msg, &req2, &why);
    printf("other byte order: %s (%s)\n", ovs_strerror(error),
           ds_cstr(&why));


    /* A half-said range, and an empty one. */
    dpu_msg_start(&b, DPU_MSG_HELLO, 1, 0);
    nl_msg_put_u8(&b, DPU_ATTR_VERSION_MIN, 1);
    nl_msg_put_u32(&b, DPU_ATTR_BYTE_ORDER, DPU_BYTE_ORDER_MAGIC);
    nl_msg_put_string(&b, DPU_ATTR_DP_NAME, "ovs-dpu");
    decode(&b, &msg);
    ds_clear(&why);
    error = dpu_parse_hello_request(&msg, &req2, &why);
    printf("half a range: %s (%s)\n", ovs_strerror(error), ds_cstr(&why));
    req = (struct dpu_hello_request) {
        .version_min = 3, .version_max = 2, .dp_name = "ovs-dpu",
    };
    dpu_msg_start(&b, DPU_MSG_HELLO, 1, 0);
    dpu_put_hello_request(&b, &req);
    decode(&b, &msg);
    ds_clear(&why);
    error = dpu_parse_hello_request(&msg, &req2, &why);
    printf("empty range: %s (%s)\n", ovs_strerror(error), ds_cstr(&why));

    /* Picking a version. */
    printf("pick: 1-2 and 1-1: %"PRIu8"; 1-2 and 2-5: %"PRIu8"; "
           "1-2 and 3-4: %"PRIu8"\n", dpu_version_pick(1, 2, 1, 1),
           dpu_version_pick(1, 2, 2, 5), dpu_version_pick(1, 2, 3, 4));

    ds_destroy(&why);
    ofpbuf_uninit(&b);
}

static void
test_stats(struct ovs_cmdl_context *ctx OVS_UNUSED)
{
    struct dpif_dp_stats dp = {
        .n_hit = 1000, .n_missed = 20, .n_lost = 3, .n_flows = 7,
        .n_masks = UINT32_MAX, .n_mask_hit = UINT64_MAX,
        .n_cache_hit = 900,
    };
    struct dpif_dp_stats dp2;
    struct netdev_stats ns, ns2;
    struct ofpbuf b;
    struct dpu_msg msg;

    ofpbuf_init(&b, 0);
    dpu_msg_start(&b, DPU_MSG_DP_GET_STATS, 1, DPU_F_REPLY);
    dpu_put_dp_stats(&b, DPU_ATTR_DP_STATS, &dp);
    decode(&b, &msg);
    CHECK(dpu_parse_dp_stats(msg.attrs[DPU_ATTR_DP_STATS], &dp2));
    CHECK(dp2.n_hit == dp.n_hit && dp2.n_missed == dp.n_missed);
    CHECK(dp2.n_lost == dp.n_lost && dp2.n_flows == dp.n_flows);
    CHECK(dp2.n_masks == dp.n_masks && dp2.n_mask_hit == dp.n_mask_hit);
    CHECK(dp2.n_cache_hit == dp.n_cache_hit);
    printf("dp stats: hit %"PRIu64", missed %"PRIu64", lost %"PRIu64", "
           "flows %"PRIu64", masks %s, mask hit %s, cache hit %"PRIu64"\n",
           dp2.n_hit, dp2.n_missed, dp2.n_lost, dp2.n_flows,
           dp2.n_masks == UINT32_MAX ? "unknown" : "known",
           dp2.n_mask_hit == UINT64_MAX ? "unknown" : "known",
           dp2.n_cache_hit);

    memset(&ns, 0xff, sizeof ns);
    ns.rx_packets = 5;
    ns.tx_packets = 6;
    ns.rx_bytes = 500;
    ns.tx_bytes = 600;
    ns.rx_dropped = 0;
    ns.collisions = 1;
    dpu_msg_start(&b, DPU_MSG_NETDEV_GET, 1, DPU_F_REPLY);
    dpu_put_netdev_stats(&b, DPU_ATTR_NETDEV_STATS, &ns);
    nl_msg_put_unspec(&b, DPU_ATTR_MAC, &eth_addr_zero, ETH_ADDR_LEN);
    nl_msg_put_u32(&b, DPU_ATTR_MTU, 1500);
    nl_msg_put_u8(&b, DPU_ATTR_CARRIER, 1);
    nl_msg_put_u64(&b, DPU_ATTR_CARRIER_RESETS, 0);
    nl_msg_put_u32(&b, DPU_ATTR_NETDEV_FLAGS, 0);
    decode(&b, &msg);
    CHECK(dpu_parse_netdev_stats(msg.attrs[DPU_ATTR_NETDEV_STATS], &ns2));
    CHECK(!memcmp(&ns, &ns2, sizeof ns));
    printf("netdev stats: rx %"PRIu64" packets %"PRIu64" bytes, tx %"PRIu64
           " packets %"PRIu64" bytes, rx dropped %"PRIu64", collisions %"
           PRIu64", tx errors %s\n", ns2.rx_packets, ns2.rx_bytes,
           ns2.tx_packets, ns2.tx_bytes, ns2.rx_dropped, ns2.collisions,
           ns2.tx_errors == UINT64_MAX ? "unknown" : "known");
    ofpbuf_uninit(&b);
}

static void
test_ports(struct ovs_cmdl_context *ctx OVS_UNUSED)
{
    struct ds why = DS_EMPTY_INITIALIZER;
    struct dpu_port port = {
        .port_no = u32_to_odp(7), .name = "vmnic0", .type = "afxdp",
    };
    struct dpu_in6_addr addrs[2];
    struct dpu_netdev_state st, st2;
    struct dpu_port port2;
    struct ofpbuf b;
    struct dpu_msg msg;

    ofpbuf_init(&b, 0);
    dpu_msg_start(&b, DPU_MSG_PORT_DUMP, 1, DPU_F_REPLY);
    dpu_put_port(&b, &port);
    decode(&b, &msg);
    CHECK(dpu_parse_port(find_attr(&b, DPU_ATTR_PORT), &port2));
    CHECK(port2.port_no == port.port_no);
    CHECK(!strcmp(port2.name, port.name) && !strcmp(port2.type, port.type));
    printf("port %"PRIu32": %s (%s)\n", odp_to_u32(port2.port_no),
           port2.name, port2.type);

    memset(&st, 0, sizeof st);
    memset(&st.stats, 0xff, sizeof st.stats);
    st.stats.rx_packets = 10;
    st.mac = (struct eth_addr) ETH_ADDR_C(aa,55,aa,55,00,01);
    st.mtu = 9000;
    st.carrier = true;
    st.carrier_resets = 3;
    st.flags = NETDEV_UP | NETDEV_PROMISC;
    in6_addr_set_mapped_ipv4(&addrs[0].addr, htonl(0xc0a80001));
    in6_addr_set_mapped_ipv4(&addrs[0].mask, htonl(0xffffff00));
    ipv6_parse("fe80::1", &addrs[1].addr);
    ipv6_parse("ffff:ffff:ffff:ffff::", &addrs[1].mask);
    st.addrs = addrs;
    st.n_addrs = 2;
    dpu_msg_start(&b, DPU_MSG_NETDEV_GET, 1, DPU_F_REPLY);
    dpu_put_netdev_state(&b, &st);
    decode(&b, &msg);
    CHECK(dpu_parse_netdev_state(&msg, &st2, &why));
    CHECK(!memcmp(&st.stats, &st2.stats, sizeof st.stats));
    CHECK(eth_addr_equals(st.mac, st2.mac));
    CHECK(st2.mtu == st.mtu && st2.carrier == st.carrier);
    CHECK(st2.carrier_resets == st.carrier_resets);
    CHECK(st2.flags == st.flags);
    CHECK(st2.n_addrs == 2 && !memcmp(st2.addrs, addrs, sizeof addrs));
    printf("netdev state: mac "ETH_ADDR_FMT", mtu %"PRIu32", carrier %s, "
           "%"PRIu64" resets, flags %#"PRIx32", %"PRIuSIZE" addresses\n",
           ETH_ADDR_ARGS(st2.mac), st2.mtu, st2.carrier ? "up" : "down",
           st2.carrier_resets, st2.flags, st2.n_addrs);
    ds_destroy(&why);
    ofpbuf_uninit(&b);
}

/* Parses 'key_s' into 'key' and 'mask' (either may be null). */
static void
parse_flow(const char *key_s, struct ofpbuf *key, struct ofpbuf *mask)
{
    struct ofpbuf mask_buf;
    char *error;

    ofpbuf_init(&mask_buf, 0);
    if (odp_flow_from_string(key_s, NULL, key, mask ? mask : &mask_buf,
                             &error)) {
        ovs_fatal(0, "%s: %s", key_s, error);
    }
    ofpbuf_uninit(&mask_buf);
}

static void
parse_actions(const char *actions_s, struct ofpbuf *actions)
{
    if (odp_actions_from_string(actions_s, NULL, actions)) {
        ovs_fatal(0, "%s: cannot parse actions", actions_s);
    }
}

static void
print_flow_op(const struct dpu_flow_op *op)
{
    static const char *types[] = {
        [DPU_OP_PUT] = "put", [DPU_OP_DEL] = "del", [DPU_OP_GET] = "get",
        [DPU_OP_EXECUTE] = "execute",
    };
    struct ds s = DS_EMPTY_INITIALIZER;

    ds_put_format(&s, "%s", types[op->type]);
    if (op->key) {
        ds_put_cstr(&s, ": ");
        odp_flow_format(nl_attr_get(op->key), nl_attr_get_size(op->key),
                        op->mask ? nl_attr_get(op->mask) : NULL,
                        op->mask ? nl_attr_get_size(op->mask) : 0, NULL, &s,
                        false);
    }
    if (op->has_ufid) {
        ds_put_cstr(&s, ", ufid ");
        odp_format_ufid(&op->ufid, &s);
    }
    if (op->actions) {
        ds_put_cstr(&s, ", actions:");
        format_odp_actions(&s, nl_attr_get(op->actions),
                           nl_attr_get_size(op->actions), NULL);
    }
    if (op->type == DPU_OP_PUT) {
        ds_put_format(&s, ", flags %#"PRIx32"%s", op->put_flags,
                      op->want_stats ? ", stats" : "");
    }
    if (op->packet) {
        ds_put_format(&s, ", packet of %"PRIuSIZE" bytes, mtu %"PRIu32
                      ", hash %#"PRIx64"%s", nl_attr_get_size(op->packet),
                      op->mtu, op->hash, op->probe ? ", probe" : "");
    }
    puts(ds_cstr(&s));
    ds_destroy(&s);
}

static void
test_flow_ops(struct ovs_cmdl_context *ctx OVS_UNUSED)
{
    static const char key_s[] = "in_port(1),eth(src=00:00:00:00:00:01,"
        "dst=00:00:00:00:00:02),eth_type(0x0800),ipv4(src=10.0.0.1,"
        "dst=10.0.0.2,proto=17,tos=0,ttl=64,frag=no),udp(src=1,dst=2)";
    ovs_u128 ufid = { .u32 = { 0x11, 0x22, 0x33, 0x44 } };
    struct ds why = DS_EMPTY_INITIALIZER;
    struct ofpbuf key, mask, actions, b;
    struct dpif_flow_stats stats;
    struct dp_packet *packet;
    struct dpif_op ops[4];
    struct flow flow;

    ofpbuf_init(&key, 0);
    ofpbuf_init(&mask, 0);
    ofpbuf_init(&actions, 0);
    ofpbuf_init(&b, 0);
    parse_flow(key_s, &key, &mask);
    parse_actions("2", &actions);

    memset(ops, 0, sizeof ops);
    ops[0].type = DPIF_OP_FLOW_PUT;
    ops[0].flow_put = (struct dpif_flow_put) {
        .flags = DPIF_FP_CREATE | DPIF_FP_MODIFY,
        .key = key.data, .key_len = key.size,
        .mask = mask.data, .mask_len = mask.size,
        .actions = actions.data, .actions_len = actions.size,
        .ufid = &ufid, .stats = &stats,
    };
    ops[1].type = DPIF_OP_FLOW_DEL;
    ops[1].flow_del = (struct dpif_flow_del) { .ufid = &ufid };
    ops[2].type = DPIF_OP_FLOW_GET;
    ops[2].flow_get = (struct dpif_flow_get) {
        .key = key.data, .key_len = key.size,
    };
    odp_flow_key_to_flow(key.data, key.size, &flow, NULL);
    packet = dp_packet_new(0);
    flow_compose(packet, &flow, NULL, 64);
    packet->md.in_port.odp_port = u32_to_odp(1);
    packet->md.pkt_mark = 7;
    ops[3].type = DPIF_OP_EXECUTE;
    ops[3].execute = (struct dpif_execute) {
        .packet = packet, .flow = &flow,
        .actions = actions.data, .actions_len = actions.size,
        .mtu = 1400, .hash = 0xabcd, .probe = true,
    };

    dpu_msg_start(&b, DPU_MSG_OPERATE, 1, 0);
    for (size_t i = 0; i < ARRAY_SIZE(ops); i++) {
        dpu_put_flow_op(&b, &ops[i]);
    }
    struct dpu_msg msg;
    const struct nlattr *nla;
    size_t left, i = 0;

    decode(&b, &msg);
    DPU_MSG_FOR_EACH_ATTR (nla, left, &b) {
        struct dpu_flow_op op;

        CHECK(!dpu_parse_flow_op(nla, &op, &why));
        print_flow_op(&op);
        switch (i++) {
        case 0:
            CHECK(op.type == DPU_OP_PUT);
            CHECK(attr_equals(op.key, key.data, key.size));
            CHECK(attr_equals(op.mask, mask.data, mask.size));
            CHECK(attr_equals(op.actions, actions.data, actions.size));
            CHECK(op.has_ufid && ovs_u128_equals(op.ufid, ufid));
            CHECK(op.put_flags == (DPU_FP_CREATE | DPU_FP_MODIFY));
            CHECK(op.want_stats);
            break;
        case 1:
            CHECK(op.type == DPU_OP_DEL && !op.key);
            CHECK(op.has_ufid && ovs_u128_equals(op.ufid, ufid));
            break;
        case 2:
            CHECK(op.type == DPU_OP_GET && !op.has_ufid);
            CHECK(attr_equals(op.key, key.data, key.size));
            break;
        case 3: {
            struct dp_packet *p2;
            struct flow flow2;

            CHECK(op.type == DPU_OP_EXECUTE);
            CHECK(op.mtu == 1400 && op.hash == 0xabcd && op.probe);
            p2 = dpu_execute_packet(&op, &flow2);
            CHECK(dp_packet_size(p2) == dp_packet_size(packet)
                  && !memcmp(dp_packet_data(p2), dp_packet_data(packet),
                             dp_packet_size(packet)));
            CHECK(p2->md.in_port.odp_port == u32_to_odp(1));
            CHECK(p2->md.pkt_mark == 7);
            dp_packet_delete(p2);
            break;
        }
        }
    }
    CHECK(i == ARRAY_SIZE(ops));

    /* An operation that lacks what its type needs. */
    dpu_msg_start(&b, DPU_MSG_OPERATE, 1, 0);
    size_t ofs = nl_msg_start_nested(&b, DPU_ATTR_OP);
    nl_msg_put_u32(&b, DPU_OP_ATTR_TYPE, DPU_OP_PUT);
    nl_msg_end_nested(&b, ofs);
    ofs = nl_msg_start_nested(&b, DPU_ATTR_OP);
    nl_msg_put_u32(&b, DPU_OP_ATTR_TYPE, 99);
    nl_msg_end_nested(&b, ofs);
    decode(&b, &msg);
    DPU_MSG_FOR_EACH_ATTR (nla, left, &b) {
        struct dpu_flow_op op;
        int error;

        ds_clear(&why);
        error = dpu_parse_flow_op(nla, &op, &why);
        printf("refused: %s (%s)\n", ovs_strerror(error), ds_cstr(&why));
    }

    dp_packet_delete(packet);
    ds_destroy(&why);
    ofpbuf_uninit(&key);
    ofpbuf_uninit(&mask);
    ofpbuf_uninit(&actions);
    ofpbuf_uninit(&b);
}

static void
print_flow_result(const char *what, const struct dpu_flow_result *r)
{
    struct ds s = DS_EMPTY_INITIALIZER;

    ds_put_format(&s, "%s: error %d", what, r->error);
    if (r->has_stats) {
        ds_put_format(&s, ", %"PRIu64" packets, %"PRIu64" bytes, used %s, "
                      "tcp flags %#"PRIx16, r->stats.n_packets,
                      r->stats.n_bytes, r->stats.used ? "yes" : "never",
                      r->stats.tcp_flags);
    }
    if (r->key) {
        ds_put_cstr(&s, ", ");
        odp_flow_format(nl_attr_get(r->key), nl_attr_get_size(r->key),
                        r->mask ? nl_attr_get(r->mask) : NULL,
                        r->mask ? nl_attr_get_size(r->mask) : 0, NULL, &s,
                        false);
    }
    if (r->actions) {
        ds_put_cstr(&s, ", actions:");
        format_odp_actions(&s, nl_attr_get(r->actions),
                           nl_attr_get_size(r->actions), NULL);
    }
    if (r->has_ufid) {
        ds_put_cstr(&s, ", ufid ");
        odp_format_ufid(&r->ufid, &s);
    }
    if (r->offloaded) {
        ds_put_cstr(&s, ", offloaded");
    }
    puts(ds_cstr(&s));
    ds_destroy(&s);
}

static void
test_flow_results(struct ovs_cmdl_context *ctx OVS_UNUSED)
{
    struct ofpbuf key, mask, actions, b;
    struct dpif_flow_stats stats = {
        .n_packets = 12, .n_bytes = 1200, .used = time_msec() - 50,
        .tcp_flags = 0x12,
    };
    struct dpu_flow_result r;
    struct dpif_flow flow;
    struct dpu_msg msg;
    const struct nlattr *nla;
    size_t left, i = 0;

    ofpbuf_init(&key, 0);
    ofpbuf_init(&mask, 0);
    ofpbuf_init(&actions, 0);
    ofpbuf_init(&b, 0);
    parse_flow("in_port(3),eth_type(0x0806)", &key, &mask);
    parse_actions("1,2", &actions);
    memset(&flow, 0, sizeof flow);
    flow.key = key.data;
    flow.key_len = key.size;
    flow.mask = mask.data;
    flow.mask_len = mask.size;
    flow.actions = actions.data;
    flow.actions_len = actions.size;
    flow.ufid = (ovs_u128) { .u32 = { 7, 0, 0, 9 } };
    flow.stats = stats;
    flow.attrs.offloaded = true;

    dpu_msg_start(&b, DPU_MSG_OPERATE, 1, DPU_F_REPLY);
    dpu_put_op_result(&b, 0, &stats, NULL);
    dpu_put_op_result(&b, 0, NULL, &flow);
    dpu_put_op_result(&b, ENOENT, NULL, NULL);
    decode(&b, &msg);
    DPU_MSG_FOR_EACH_ATTR (nla, left, &b) {
        CHECK(dpu_parse_op_result(nla, &r));
        print_flow_result("op result", &r);
        switch (i++) {
        case 0:
            CHECK(!r.error && r.has_stats && !r.key && !r.has_ufid);
            CHECK(r.stats.n_packets == 12 && r.stats.n_bytes == 1200);
            CHECK(r.stats.tcp_flags == 0x12);
            /* The time of last use travels as an age, in ms. */
            CHECK(llabs(r.stats.used - stats.used) <= 1000);
            break;
        case 1:
            CHECK(!r.error && r.has_stats && r.has_ufid && r.offloaded);
            CHECK(attr_equals(r.key, key.data, key.size));
            CHECK(attr_equals(r.mask, mask.data, mask.size));
            CHECK(attr_equals(r.actions, actions.data, actions.size));
            CHECK(ovs_u128_equals(r.ufid, flow.ufid));
            break;
        case 2:
            CHECK(r.error == ENOENT && !r.has_stats);
            break;
        }
    }

    /* An idle time longer than the receiver's clock has run: the flow was
     * used long ago, not in the future. */
    dpu_msg_start(&b, DPU_MSG_OPERATE, 1, DPU_F_REPLY);
    size_t ofs = nl_msg_start_nested(&b, DPU_ATTR_OP_RESULT);
    nl_msg_put_u32(&b, DPU_OP_ATTR_RESULT_ERRNO, 0);
    nl_msg_put_u64(&b, DPU_OP_ATTR_STATS_IDLE_MS, UINT64_MAX);
    nl_msg_end_nested(&b, ofs);
    decode(&b, &msg);
    CHECK(dpu_parse_op_result(find_attr(&b, DPU_ATTR_OP_RESULT), &r));
    CHECK(r.has_stats && r.stats.used == 1);
    printf("op result idle for %"PRIu64" ms: used at %lld\n", UINT64_MAX,
           r.stats.used);

    dpu_msg_start(&b, DPU_MSG_FLOW_DUMP, 1, DPU_F_REPLY);
    dpu_put_flow(&b, &flow, false);
    dpu_put_flow(&b, &flow, true);
    decode(&b, &msg);
    i = 0;
    DPU_MSG_FOR_EACH_ATTR (nla, left, &b) {
        CHECK(dpu_parse_flow(nla, &r));
        print_flow_result("flow", &r);
        CHECK(r.has_ufid && ovs_u128_equals(r.ufid, flow.ufid));
        CHECK(r.stats.n_packets == 12 && r.offloaded);
        CHECK(i++ ? !r.key && !r.mask && !r.actions
              : attr_equals(r.key, key.data, key.size));
    }
    CHECK(i == 2);

    ofpbuf_uninit(&key);
    ofpbuf_uninit(&mask);
    ofpbuf_uninit(&actions);
    ofpbuf_uninit(&b);
}

static void
test_upcall(struct ovs_cmdl_context *ctx OVS_UNUSED)
{
    static const struct odp_support support = {
        .recirc = true, .ct_state = true, .ct_zone = true,
    };
    ovs_u128 ufid = { .u32 = { 1, 1, 2, 2 } };
    struct ds why = DS_EMPTY_INITIALIZER;
    struct dpu_upcall up;
    struct ofpbuf b, key, userdata;
    struct dp_packet *packet;
    struct flow flow;
    struct dpu_msg msg;

    ofpbuf_init(&b, 0);
    ofpbuf_init(&key, 0);
    ofpbuf_init(&userdata, 0);
    parse_flow("in_port(2),eth(src=00:00:00:00:00:0a,dst=ff:ff:ff:ff:ff:ff),"
               "eth_type(0x0806),arp(sip=10.0.0.10,tip=10.0.0.1,op=1,"
               "sha=00:00:00:00:00:0a,tha=00:00:00:00:00:00)", &key, NULL);
    odp_flow_key_to_flow(key.data, key.size, &flow, NULL);
    packet = dp_packet_new(0);
    flow_compose(packet, &flow, NULL, 0);
    nl_msg_put_unspec(&userdata, OVS_USERSPACE_ATTR_USERDATA, "cookie!!", 8);

    struct odp_flow_key_parms parms = { .flow = &flow, .support = support };
    dpu_msg_start(&b, DPU_MSG_UPCALL, 0, 0);
    dpu_put_upcall(&b, DPU_UC_ACTION, packet, &parms, &ufid, userdata.data);
    decode(&b, &msg);
    CHECK(dpu_parse_upcall(find_attr(&b, DPU_ATTR_UPCALL), &up, &why));
    CHECK(up.type == DPU_UC_ACTION);
    CHECK(attr_equals(up.packet, dp_packet_data(packet),
                      dp_packet_size(packet)));
    CHECK(ovs_u128_equals(up.ufid, ufid));
    CHECK(attr_equals(up.userdata, "cookie!!", 8));
    CHECK(!up.actions && !up.mru && !up.hash && !up.cutlen
          && !up.out_tun_key);

    struct flow flow2;
    struct ds s = DS_EMPTY_INITIALIZER;

    CHECK(odp_flow_key_to_flow(nl_attr_get(up.key), nl_attr_get_size(up.key),
                               &flow2, NULL) != ODP_FIT_ERROR);
    CHECK(flow_equal(&flow, &flow2));
    odp_flow_format(nl_attr_get(up.key), nl_attr_get_size(up.key), NULL, 0,
                    NULL, &s, false);
    printf("upcall: action, %"PRIuSIZE"-byte packet, userdata of %"PRIuSIZE
           " bytes, key %s\n", nl_attr_get_size(up.packet),
           nl_attr_get_size(up.userdata), ds_cstr(&s));
    ds_destroy(&s);

    /* An upcall of an unknown type. */
    ofpbuf_clear(&b);
    dpu_msg_start(&b, DPU_MSG_UPCALL, 0, 0);
    dpu_put_upcall(&b, 7, packet, &parms, &ufid, NULL);
    decode(&b, &msg);
    ds_clear(&why);
    CHECK(!dpu_parse_upcall(find_attr(&b, DPU_ATTR_UPCALL), &up, &why));
    printf("refused: %s\n", ds_cstr(&why));

    dp_packet_delete(packet);
    ds_destroy(&why);
    ofpbuf_uninit(&b);
    ofpbuf_uninit(&key);
    ofpbuf_uninit(&userdata);
}

static void
test_metrics(struct ovs_cmdl_context *ctx OVS_UNUSED)
{
    struct dpu_metrics_core cores[] = {
        { .name = "main", .load = 1250 },
        { .name = "pmd-c01/id:4", .load = 10000 },
    };
    struct dpu_metrics_port ports[1];
    struct ds why = DS_EMPTY_INITIALIZER;
    struct dpu_metrics m, m2;
    struct ofpbuf b;
    struct dpu_msg msg;

    memset(ports, 0, sizeof ports);
    ports[0].port_no = u32_to_odp(1);
    ports[0].name = "p1";
    memset(&ports[0].stats, 0xff, sizeof ports[0].stats);
    ports[0].stats.rx_packets = 3;
    ports[0].stats.tx_bytes = 294;
    m = (struct dpu_metrics) {
        .emulated = true, .interval_ms = 1000,
        .cores = cores, .n_cores = ARRAY_SIZE(cores),
        .mem_used = 1 << 20, .mem_total = 1 << 30,
        .n_flows = 4, .n_hit = 100, .n_missed = 4, .n_lost = 0,
        .ports = ports, .n_ports = ARRAY_SIZE(ports),
        .upcalls = 4, .upcall_rate = 2, .flow_setups = 4,
        .has_flow_setup = true, .flow_setup_avg_us = 150,
        .flow_setup_max_us = 400,
    };

    ofpbuf_init(&b, 0);
    dpu_msg_start(&b, DPU_MSG_GET_METRICS, 1, DPU_F_REPLY);
    dpu_put_metrics(&b, &m);
    decode(&b, &msg);
    CHECK(dpu_parse_metrics(msg.attrs[DPU_ATTR_METRICS], &m2, &why));
    CHECK(m2.emulated && !m2.injected && m2.interval_ms == 1000);
    CHECK(m2.n_cores == 2 && m2.cores[1].load == 10000);
    CHECK(!strcmp(m2.cores[1].name, cores[1].name));
    CHECK(m2.mem_used == m.mem_used && m2.mem_total == m.mem_total);
    CHECK(m2.n_flows == 4 && m2.n_hit == 100 && m2.n_missed == 4);
    CHECK(m2.n_ports == 1 && !strcmp(m2.ports[0].name, "p1"));
    CHECK(!memcmp(&m2.ports[0].stats, &ports[0].stats,
                  sizeof ports[0].stats));
    CHECK(m2.upcalls == 4 && m2.upcall_rate == 2 && m2.flow_setups == 4);
    CHECK(m2.has_flow_setup && m2.flow_setup_avg_us == 150
          && m2.flow_setup_max_us == 400);

    struct ds s = DS_EMPTY_INITIALIZER;

    dpu_metrics_format(&m2, &s);
    fputs(ds_cstr(&s), stdout);
    ds_destroy(&s);
    dpu_metrics_destroy(&m2);
    ds_destroy(&why);
    ofpbuf_uninit(&b);
}

static void
test_conntrack(struct ovs_cmdl_context *ctx OVS_UNUSED)
{
    struct ct_dpif_entry e, e2;
    struct ofpbuf b;
    struct dpu_msg msg;

    memset(&e, 0, sizeof e);
    e.tuple_orig.l3_type = AF_INET;
    e.tuple_orig.ip_proto = IPPROTO_TCP;
    e.tuple_orig.src.ip = htonl(0x0a000001);
    e.tuple_orig.dst.ip = htonl(0x0a000002);
    e.tuple_orig.src_port = htons(40000);
    e.tuple_orig.dst_port = htons(80);
    e.tuple_reply = e.tuple_orig;
    e.tuple_reply.src = e.tuple_orig.dst;
    e.tuple_reply.dst = e.tuple_orig.src;
    e.tuple_reply.src_port = e.tuple_orig.dst_port;
    e.tuple_reply.dst_port = e.tuple_orig.src_port;
    e.zone = 5;
    e.mark = 0x42;
    e.labels = (ovs_u128) { .u32 = { 1, 0, 0, 0 } };
    e.have_labels = true;
    e.status = CT_DPIF_STATUS_CONFIRMED;
    e.timeout = 3600;
    e.id = 77;
    e.protoinfo.proto = IPPROTO_TCP;
    e.protoinfo.tcp.state_orig = CT_DPIF_TCPS_ESTABLISHED;
    e.protoinfo.tcp.state_reply = CT_DPIF_TCPS_ESTABLISHED;

    ofpbuf_init(&b, 0);
    dpu_msg_start(&b, DPU_MSG_CT_DUMP, 1, DPU_F_REPLY);
    dpu_put_ct_entry(&b, DPU_ATTR_CT_ENTRY, &e);
    decode(&b, &msg);
    CHECK(dpu_parse_ct_entry(find_attr(&b, DPU_ATTR_CT_ENTRY), &e2));
    CHECK(!memcmp(&e.tuple_orig, &e2.tuple_orig, sizeof e.tuple_orig));
    CHECK(!memcmp(&e.tuple_reply, &e2.tuple_reply, sizeof e.tuple_reply));
    CHECK(e2.zone == 5 && e2.mark == 0x42 && e2.have_labels);
    CHECK(ovs_u128_equals(e2.labels, e.labels));
    CHECK(e2.status == e.status && e2.timeout == 3600 && e2.id == 77);

    struct ds s = DS_EMPTY_INITIALIZER;

    ct_dpif_format_entry(&e2, &s, true, true);
    printf("ct entry: %s\n", ds_cstr(&s));
    ds_destroy(&s);
    ct_dpif_entry_uninit(&e2);
    ofpbuf_uninit(&b);
}

/* Prints SET_ROLE request 'rq'. */
static void
print_role_request(const char *what, const struct dpu_role_request *rq)
{
    printf("%s: %s, lease %"PRIu32" ms, drain %"PRIu32" ms, uplinks",
           what, dpu_role_to_string(rq->role), rq->lease_ms, rq->drain_ms);
    for (size_t i = 0; i < rq->n_uplinks; i++) {
        printf(" %"PRIu32, odp_to_u32(rq->uplinks[i]));
    }
    if (!rq->has_handover) {
        printf(", no handover\n");
        return;
    }
    printf(", handover of %"PRIuSIZE" ports\n", rq->n_handover);
    for (size_t i = 0; i < rq->n_handover; i++) {
        const struct dpu_handover *h = &rq->handover[i];

        printf("  port %"PRIu32", %"PRIu32" us ago:", h->port_no, h->age_us);
        for (size_t j = 0; j < h->n_hashes; j++) {
            printf(" %08"PRIx32, h->hashes[j]);
        }
        printf("\n");
    }
}

/* Encodes 'rq' as a SET_ROLE of protocol 'version', decodes it, and prints
 * what comes out, and the first bytes of the HANDOVER on the wire. */
static void
role_round_trip(const struct dpu_role_request *rq, uint8_t version)
{
    struct ds why = DS_EMPTY_INITIALIZER;
    struct dpu_role_request rq2;
    struct dpu_msg msg;
    struct ofpbuf b;
    char what[32];

    ofpbuf_init(&b, 0);
    dpu_msg_start(&b, DPU_MSG_SET_ROLE, 1, 0);
    dpu_put_role_request(&b, rq, version);
    ((struct dpu_header *) b.data)->version = version;
    decode(&b, &msg);
    CHECK(msg.version == version);
    CHECK(!dpu_parse_role_request(&b, &msg, &rq2, &why));
    snprintf(what, sizeof what, "version %"PRIu8, version);
    print_role_request(what, &rq2);
    CHECK(rq2.n_handover == rq->n_handover
          && (!rq->n_handover
              || !memcmp(rq2.handover, rq->handover,
                         rq->n_handover * sizeof *rq->handover)));
    if (rq->n_handover) {
        const uint8_t *p = nl_attr_get(find_attr(&b, DPU_ATTR_HANDOVER));
        ovs_be32 port_be = htonl(rq->handover[0].port_no);

        printf("  on the wire: %s\n",
               !memcmp(p, &port_be, 4) ? "network byte order"
               : !memcmp(p, &rq->handover[0].port_no, 4) ? "host byte order"
               : "garbled");
    }
    dpu_role_request_destroy(&rq2);
    ds_destroy(&why);
    ofpbuf_uninit(&b);
}

/* Tries to parse SET_ROLE 'rq' with its handover's 'n' entries replaced by
 * those of 'bad', and prints why it is refused. */
static void
role_refused(const struct dpu_role_request *rq_, const struct dpu_handover
             *bad, size_t n)
{
    struct dpu_role_request rq = *rq_, rq2;
    struct ds why = DS_EMPTY_INITIALIZER;
    struct dpu_msg msg;
    struct ofpbuf b;
    int error;

    rq.handover = CONST_CAST(struct dpu_handover *, bad);
    rq.n_handover = n;
    ofpbuf_init(&b, 0);
    dpu_msg_start(&b, DPU_MSG_SET_ROLE, 1, 0);
    dpu_put_role_request(&b, &rq, DPU_PROTOCOL_VERSION);
    ((struct dpu_header *) b.data)->version = DPU_PROTOCOL_VERSION;
    decode(&b, &msg);
    error = dpu_parse_role_request(&b, &msg, &rq2, &why);
    printf("refused: %s (%s)\n", ovs_strerror(error), ds_cstr(&why));
    dpu_role_request_destroy(&rq2);
    ds_destroy(&why);
    ofpbuf_uninit(&b);
}

static void
test_roles(struct ovs_cmdl_context *ctx OVS_UNUSED)
{
    struct dpu_handover handover[2] = {
        { .port_no = 7, .age_us = 120, .n_hashes = 2,
          .hashes = { 0xdeadbeef, 0x01020304 } },
        { .port_no = 9, .age_us = UINT32_MAX, .n_hashes = 1,
          .hashes = { 0xcafe0001 } },
    };
    struct dpu_role_request rq = {
        .role = DPU_ROLE_ACTIVE,
        .lease_ms = 300,
        .uplinks = { u32_to_odp(1), u32_to_odp(2) },
        .n_uplinks = 2,
        .has_handover = true,
        .handover = handover,
        .n_handover = 2,
    };

    role_round_trip(&rq, 1);
    role_round_trip(&rq, 2);

    /* Standing by, with a drain and an empty handover; then without. */
    struct dpu_role_request sby = {
        .role = DPU_ROLE_STANDBY, .drain_ms = 500, .has_handover = true,
    };
    role_round_trip(&sby, 2);
    sby.has_handover = false;
    role_round_trip(&sby, 2);

    /* Malformed. */
    struct dpu_handover bad[2] = { handover[0], handover[0] };
    role_refused(&rq, bad, 2);
    bad[0].n_hashes = 0;
    role_refused(&rq, bad, 1);
    bad[0].n_hashes = DPU_HANDOVER_HASHES + 1;
    role_refused(&rq, bad, 1);
    rq.role = 7;
    role_refused(&rq, handover, 2);
}

static void
test_bonds(struct ovs_cmdl_context *ctx OVS_UNUSED)
{
    odp_port_t members[DPU_BOND_BUCKETS], members2[DPU_BOND_BUCKETS];
    uint64_t n_bytes[DPU_BOND_BUCKETS], n_bytes2[DPU_BOND_BUCKETS];
    struct dpu_msg msg;
    struct ofpbuf b;
    char *why = NULL;
    int error;

    for (size_t i = 0; i < DPU_BOND_BUCKETS; i++) {
        members[i] = u32_to_odp(i % 3 + 1);
        n_bytes[i] = (UINT64_C(1) << 40) + i;
    }

    ofpbuf_init(&b, 0);
    dpu_msg_start(&b, DPU_MSG_BOND_SET, 1, 0);
    nl_msg_put_u32(&b, DPU_ATTR_BOND_ID, 7);
    dpu_put_bond_members(&b, members);
    decode(&b, &msg);
    CHECK(nl_attr_get_u32(msg.attrs[DPU_ATTR_BOND_ID]) == 7);
    dpu_parse_bond_members(msg.attrs[DPU_ATTR_BOND_MEMBERS], members2);
    CHECK(!memcmp(members, members2, sizeof members));
    printf("bond 7: bucket 0 to port %"PRIu32", bucket 255 to port %"PRIu32
           "\n", odp_to_u32(members2[0]), odp_to_u32(members2[255]));

    dpu_msg_start(&b, DPU_MSG_BOND_STATS, 1, DPU_F_REPLY);
    dpu_put_bond_stats(&b, n_bytes);
    decode(&b, &msg);
    dpu_parse_bond_stats(msg.attrs[DPU_ATTR_BOND_STATS], n_bytes2);
    CHECK(!memcmp(n_bytes, n_bytes2, sizeof n_bytes));
    printf("bond stats: bucket 255 sent %"PRIu64" bytes\n", n_bytes2[255]);

    /* A member map of fewer buckets is refused. */
    dpu_msg_start(&b, DPU_MSG_BOND_SET, 1, 0);
    nl_msg_put_u32(&b, DPU_ATTR_BOND_ID, 7);
    nl_msg_put_unspec(&b, DPU_ATTR_BOND_MEMBERS, members,
                      (DPU_BOND_BUCKETS - 1) * sizeof(uint32_t));
    dpu_msg_finish(&b);
    error = dpu_msg_decode(&b, &msg, &why);
    printf("short member map: %s (%s)\n", ovs_strerror(error),
           why ? why : "");
    free(why);
    ofpbuf_uninit(&b);
}

static void
test_images(struct ovs_cmdl_context *ctx OVS_UNUSED)
{
    struct dpu_image_begin ib = { .size = 34228815, .force = true }, ib2;
    uint8_t chunk[1000];
    struct ds why = DS_EMPTY_INITIALIZER;
    struct dpu_msg msg;
    struct ofpbuf b;
    char *error;

    for (int i = 0; i < 32; i++) {
        ib.sha256[i] = i * 7;
    }
    ofpbuf_init(&b, 0);
    dpu_msg_start(&b, DPU_MSG_IMAGE_BEGIN, 1, 0);
    dpu_put_image_begin(&b, &ib);
    decode(&b, &msg);
    dpu_parse_image_begin(&msg, &ib2);
    CHECK(ib2.size == ib.size);
    CHECK(!memcmp(ib2.sha256, ib.sha256, 32));
    CHECK(ib2.force);
    printf("begin: %"PRIu64" bytes%s\n", ib2.size,
           ib2.force ? ", forced" : "");
    ofpbuf_uninit(&b);

    for (size_t i = 0; i < sizeof chunk; i++) {
        chunk[i] = i;
    }
    struct dpu_image_data d = { .offset = 1 << 20, .data = chunk,
                                .size = sizeof chunk }, d2;
    ofpbuf_init(&b, 0);
    dpu_msg_start(&b, DPU_MSG_IMAGE_DATA, 2, 0);
    dpu_put_image_data(&b, &d);
    decode(&b, &msg);
    dpu_parse_image_data(&msg, &d2);
    CHECK(d2.offset == d.offset);
    CHECK(d2.size == d.size && !memcmp(d2.data, chunk, sizeof chunk));
    printf("data: %"PRIuSIZE" bytes at %"PRIu64"\n", d2.size, d2.offset);
    ofpbuf_uninit(&b);

    /* Empty data, and data longer than a chunk, fail the policy. */
    for (size_t size = 0; size <= DPU_IMAGE_MAX_CHUNK + 1;
         size += DPU_IMAGE_MAX_CHUNK + 1) {
        void *big = xzalloc(MAX(size, 1));

        d.data = big;
        d.size = size;
        ofpbuf_init(&b, 0);
        dpu_msg_start(&b, DPU_MSG_IMAGE_DATA, 3, 0);
        dpu_put_image_data(&b, &d);
        dpu_msg_finish(&b);
        if (dpu_msg_decode(&b, &msg, &error)) {
            printf("data of %"PRIuSIZE" bytes refused\n", size);
            free(error);
        }
        ofpbuf_uninit(&b);
        free(big);
    }

    const struct dpu_image_result results[] = {
        { "1.2.0", "b" }, { "1.2.0", "c" }, { "1.2-rc1", "a" },
    };
    for (size_t i = 0; i < ARRAY_SIZE(results); i++) {
        struct dpu_image_result r;
        int retval;

        ofpbuf_init(&b, 0);
        dpu_msg_start(&b, DPU_MSG_IMAGE_END, 4, DPU_F_REPLY);
        dpu_put_image_result(&b, &results[i]);
        decode(&b, &msg);
        ds_clear(&why);
        retval = dpu_parse_image_result(&msg, &r, &why);
        if (retval) {
            printf("result refused: %s\n", ds_cstr(&why));
        } else {
            printf("result: version %s in bank %s\n", r.version, r.bank);
        }
        ofpbuf_uninit(&b);
    }

    /* LOG_GET's reply: a chunk, and the end of the log (no data). */
    for (size_t size = 0; size <= 1000; size += 1000) {
        struct dpu_log_chunk c = { .log_size = 5000, .data = chunk,
                                   .size = size }, c2;

        ofpbuf_init(&b, 0);
        dpu_msg_start(&b, DPU_MSG_LOG_GET, 6, DPU_F_REPLY);
        dpu_put_log_chunk(&b, &c);
        decode(&b, &msg);
        dpu_parse_log_chunk(&msg, &c2);
        CHECK(c2.log_size == c.log_size && c2.size == c.size);
        CHECK(!size || !memcmp(c2.data, chunk, size));
        printf("log: %"PRIuSIZE" of %"PRIu64" bytes\n", c2.size,
               c2.log_size);
        ofpbuf_uninit(&b);
    }

    /* IMAGE_SELECT: a version, and something that is not one. */
    const char *versions[] = { "0.1.0", "0.1 0" };
    for (size_t i = 0; i < ARRAY_SIZE(versions); i++) {
        const char *version;

        ofpbuf_init(&b, 0);
        dpu_msg_start(&b, DPU_MSG_IMAGE_SELECT, 5, 0);
        dpu_put_image_select(&b, versions[i]);
        decode(&b, &msg);
        ds_clear(&why);
        if (dpu_parse_image_select(&msg, &version, &why)) {
            printf("select refused: %s\n", ds_cstr(&why));
        } else {
            CHECK(!strcmp(version, versions[i]));
            printf("select: version %s\n", version);
        }
        ofpbuf_uninit(&b);
    }
    ds_destroy(&why);
}

static void
test_ct_sync(struct ovs_cmdl_context *ctx OVS_UNUSED)
{
    struct dpu_ct_sync_hdr h = { .gen = 7, .seq = 12, .count = 2 }, h2;
    struct dpu_ct_sync_entry e, e2;
    struct ds s = DS_EMPTY_INITIALIZER;
    const struct nlattr *nla;
    struct dpu_msg msg;
    struct ofpbuf b;
    size_t left;
    char *error;

    memset(&e, 0, sizeof e);
    e.entry.tuple_orig.l3_type = AF_INET;
    e.entry.tuple_orig.ip_proto = IPPROTO_TCP;
    e.entry.tuple_orig.src.ip = htonl(0x0a000001);
    e.entry.tuple_orig.dst.ip = htonl(0x0a000002);
    e.entry.tuple_orig.src_port = htons(40000);
    e.entry.tuple_orig.dst_port = htons(80);
    e.entry.tuple_reply = e.entry.tuple_orig;
    e.entry.tuple_reply.src = e.entry.tuple_orig.dst;
    e.entry.tuple_reply.dst.ip = htonl(0xc0a80001);
    e.entry.tuple_reply.src_port = e.entry.tuple_orig.dst_port;
    e.entry.tuple_reply.dst_port = htons(1024);
    e.entry.zone = 1;
    e.entry.mark = 0x42;
    e.entry.labels = (ovs_u128) { .u32 = { 9, 0, 0, 0 } };
    e.entry.status = CT_DPIF_STATUS_SEEN_REPLY | CT_DPIF_STATUS_SRC_NAT;
    e.entry.timeout = 432000;
    e.entry.protoinfo.proto = IPPROTO_TCP;
    e.entry.protoinfo.tcp.state_orig = CT_DPIF_TCPS_ESTABLISHED;
    e.entry.protoinfo.tcp.state_reply = CT_DPIF_TCPS_ESTABLISHED;
    e.time_usec = 1765142400123456LL;

    /* A change, then a deletion, in one message, in that order. */
    ofpbuf_init(&b, 0);
    dpu_msg_start(&b, DPU_MSG_CT_SYNC, 0, 0);
    dpu_put_ct_sync_hdr(&b, DPU_MSG_CT_SYNC, &h);
    dpu_put_ct_sync_entry(&b, &e);
    e.deleted = true;
    e.time_usec++;
    dpu_put_ct_sync_entry(&b, &e);
    decode(&b, &msg);
    dpu_parse_ct_sync_hdr(&msg, &h2);
    CHECK(h2.gen == 7 && h2.seq == 12 && h2.count == 0);
    printf("ct-sync: generation %"PRIu32", message %"PRIu32"\n",
           h2.gen, h2.seq);
    DPU_MSG_FOR_EACH_ATTR (nla, left, &b) {
        if (nl_attr_type(nla) != DPU_ATTR_CT_SYNC) {
            continue;
        }
        CHECK(dpu_parse_ct_sync_entry(nla, &e2));
        ds_clear(&s);
        ct_dpif_format_entry(&e2.entry, &s, true, false);
        printf("%s at %lld: %s\n", e2.deleted ? "deleted" : "changed",
               e2.time_usec, ds_cstr(&s));
        ct_dpif_entry_uninit(&e2.entry);
    }
    ofpbuf_uninit(&b);

    ofpbuf_init(&b, 0);
    dpu_msg_start(&b, DPU_MSG_CT_SYNC_DONE, 0, 0);
    dpu_put_ct_sync_hdr(&b, DPU_MSG_CT_SYNC_DONE, &h);
    decode(&b, &msg);
    dpu_parse_ct_sync_hdr(&msg, &h2);
    CHECK(h2.gen == 7 && h2.seq == 12 && h2.count == 2);
    printf("ct-sync-done: generation %"PRIu32", %"PRIu32" connections\n",
           h2.gen, h2.count);
    ofpbuf_uninit(&b);

    ofpbuf_init(&b, 0);
    dpu_msg_start(&b, DPU_MSG_CT_SYNC_REQ, 5, 0);
    dpu_put_ct_sync_hdr(&b, DPU_MSG_CT_SYNC_REQ, &h);
    decode(&b, &msg);
    dpu_parse_ct_sync_hdr(&msg, &h2);
    CHECK(h2.gen == 7 && !h2.seq && !h2.count);
    printf("ct-sync-req: generation %"PRIu32"\n", h2.gen);
    ofpbuf_uninit(&b);

    /* CT_SYNC is asynchronous: an xid is refused, and so is an entry without
     * its time. */
    ofpbuf_init(&b, 0);
    dpu_msg_start(&b, DPU_MSG_CT_SYNC, 9, 0);
    dpu_put_ct_sync_hdr(&b, DPU_MSG_CT_SYNC, &h);
    dpu_msg_finish(&b);
    if (dpu_msg_decode(&b, &msg, &error)) {
        printf("refused: %s\n", error);
        free(error);
    }
    ofpbuf_uninit(&b);

    ofpbuf_init(&b, 0);
    dpu_msg_start(&b, DPU_MSG_CT_SYNC, 0, 0);
    dpu_put_ct_sync_hdr(&b, DPU_MSG_CT_SYNC, &h);
    size_t ofs = nl_msg_start_nested(&b, DPU_ATTR_CT_SYNC);
    dpu_put_ct_entry(&b, DPU_CT_SYNC_ATTR_ENTRY, &e.entry);
    nl_msg_end_nested(&b, ofs);
    decode(&b, &msg);
    DPU_MSG_FOR_EACH_ATTR (nla, left, &b) {
        if (nl_attr_type(nla) == DPU_ATTR_CT_SYNC
            && !dpu_parse_ct_sync_entry(nla, &e2)) {
            printf("refused: an entry without its time\n");
        }
    }
    ofpbuf_uninit(&b);
    ds_destroy(&s);
}

/* Formats route 'r' as "ovs/route/show" does. */
static void
format_route(const struct dpu_route *r, struct ds *s)
{
    bool v4 = IN6_IS_ADDR_V4MAPPED(&r->dst);

    ipv6_format_mapped(&r->dst, s);
    ds_put_format(s, "/%d dev %s", v4 ? r->plen - 96 : r->plen, r->dev);
    if (ipv6_addr_is_set(&r->gw)) {
        ds_put_cstr(s, " GW ");
        ipv6_format_mapped(&r->gw, s);
    }
    if (ipv6_addr_is_set(&r->src)) {
        ds_put_cstr(s, " SRC ");
        ipv6_format_mapped(&r->src, s);
    }
    if (r->mark) {
        ds_put_format(s, " MARK %"PRIu32, r->mark);
    }
    if (r->local) {
        ds_put_cstr(s, " local");
    }
}

static void
test_routes(struct ovs_cmdl_context *ctx OVS_UNUSED)
{
    struct dpu_route routes[3], *routes2;
    struct ds s = DS_EMPTY_INITIALIZER;
    struct dpu_msg msg;
    struct ofpbuf b;
    size_t n;

    memset(routes, 0, sizeof routes);
    in6_addr_set_mapped_ipv4(&routes[0].dst, htonl(0x0a000000));
    routes[0].plen = 96 + 16;
    routes[0].dev = "br-phy";
    in6_addr_set_mapped_ipv4(&routes[0].gw, htonl(0x01010201));
    in6_addr_set_mapped_ipv4(&routes[0].src, htonl(0x01010258));
    routes[0].mark = 7;
    in6_addr_set_mapped_ipv4(&routes[1].dst, htonl(0x01010258));
    routes[1].plen = 128;
    routes[1].dev = "br-phy";
    routes[1].local = true;
    ipv6_parse("fc00::", &routes[2].dst);
    routes[2].plen = 64;
    routes[2].dev = "vmnic0";

    ofpbuf_init(&b, 0);
    dpu_msg_start(&b, DPU_MSG_TNL_ROUTES, 0, 0);
    for (size_t i = 0; i < ARRAY_SIZE(routes); i++) {
        dpu_put_route(&b, &routes[i]);
    }
    decode(&b, &msg);
    CHECK(dpu_parse_routes(&b, &routes2, &n, &s));
    CHECK(n == ARRAY_SIZE(routes));
    for (size_t i = 0; i < n && i < ARRAY_SIZE(routes); i++) {
        const struct dpu_route *a = &routes[i], *r = &routes2[i];

        CHECK(ipv6_addr_equals(&a->dst, &r->dst) && a->plen == r->plen
              && !strcmp(a->dev, r->dev) && ipv6_addr_equals(&a->gw, &r->gw)
              && ipv6_addr_equals(&a->src, &r->src) && a->mark == r->mark
              && a->local == r->local);
        ds_clear(&s);
        format_route(r, &s);
        printf("route %s\n", ds_cstr(&s));
    }
    dpu_routes_destroy(routes2, n);
    ofpbuf_uninit(&b);

    /* None at all: the DPU has no route. */
    ofpbuf_init(&b, 0);
    dpu_msg_start(&b, DPU_MSG_TNL_ROUTES, 0, 0);
    decode(&b, &msg);
    CHECK(dpu_parse_routes(&b, &routes2, &n, &s));
    printf("%"PRIuSIZE" routes\n", n);
    dpu_routes_destroy(routes2, n);
    ofpbuf_uninit(&b);

    /* A prefix longer than an address, and a route without its device. */
    ofpbuf_init(&b, 0);
    dpu_msg_start(&b, DPU_MSG_TNL_ROUTES, 0, 0);
    routes[2].plen = 129;
    dpu_put_route(&b, &routes[2]);
    decode(&b, &msg);
    ds_clear(&s);
    CHECK(!dpu_parse_routes(&b, &routes2, &n, &s));
    printf("refused: %s\n", ds_cstr(&s));
    dpu_routes_destroy(routes2, n);
    ofpbuf_uninit(&b);

    ofpbuf_init(&b, 0);
    dpu_msg_start(&b, DPU_MSG_TNL_ROUTES, 0, 0);
    size_t ofs = nl_msg_start_nested(&b, DPU_ATTR_ROUTE);
    nl_msg_put_unspec(&b, DPU_ROUTE_ATTR_DST, &routes[0].dst,
                      sizeof routes[0].dst);
    nl_msg_put_u8(&b, DPU_ROUTE_ATTR_PLEN, 112);
    nl_msg_end_nested(&b, ofs);
    decode(&b, &msg);
    ds_clear(&s);
    CHECK(!dpu_parse_routes(&b, &routes2, &n, &s));
    printf("refused: %s\n", ds_cstr(&s));
    dpu_routes_destroy(routes2, n);
    ofpbuf_uninit(&b);
    ds_destroy(&s);
}

/* Queues 'n' ECHO messages with xids 1...n on 'ch', each with 'pad' bytes
 * of padding. */
static void
queue_echos(struct dpu_channel *ch, int first, int n, size_t pad)
{
    for (int i = first; i < first + n; i++) {
        struct ofpbuf *b = ofpbuf_new(64 + pad);

        dpu_msg_start(b, DPU_MSG_ECHO, i, 0);
        if (pad) {
            nl_msg_put_unspec_zero(b, DPU_ATTR_CONFIG, pad);
        }
        dpu_msg_finish(b);
        CHECK(!dpu_channel_queue(ch, b));
    }
}

/* Sends messages through a unix socket: small ones queued together go in
 * one write, a large one in its own, and all arrive whole and in order. */
static void
test_channel(struct ovs_cmdl_context *ctx OVS_UNUSED)
{
    struct dpu_channel_stats stats;
    struct dpu_channel *tx, *rx;
    struct pstream *listener;
    struct stream *client, *server;
    int n_rx = 0;

    CHECK(!pstream_open("punix:channel.sock", &listener, 0));
    CHECK(!stream_open_block(stream_open("unix:channel.sock", &client, 0),
                             -1, &client));
    while (pstream_accept(listener, &server) == EAGAIN) {
        pstream_wait(listener);
        poll_block();
    }
    tx = dpu_channel_create(client);
    rx = dpu_channel_create(server);

    /* Five small messages, a large one, then three small ones. */
    queue_echos(tx, 1, 5, 0);
    queue_echos(tx, 6, 1, 20000);
    queue_echos(tx, 7, 3, 100);
    for (int i = 0; i < 1000 && n_rx < 9; i++) {
        struct ofpbuf *buf;

        dpu_channel_run(tx);
        while (!dpu_channel_recv(rx, &buf)) {
            struct dpu_msg msg;
            char *why;

            n_rx++;
            CHECK(!dpu_msg_decode(buf, &msg, &why));
            CHECK(msg.type == DPU_MSG_ECHO && msg.xid == n_rx);
            ofpbuf_delete(buf);
        }
        if (n_rx < 9) {
            dpu_channel_wait(tx);
            dpu_channel_recv_wait(rx);
            poll_block();
        }
    }
    dpu_channel_get_stats(tx, &stats);
    printf("sent %"PRIu64" messages, %"PRIu64" of them gathered into the "
           "write of another; received %d, in order\n",
           stats.tx_msgs, stats.tx_gathered, n_rx);
    dpu_channel_close(tx);
    dpu_channel_close(rx);
    pstream_close(listener);
}

static const struct ovs_cmdl_command commands[] = {
    { "hello", "", 0, 0, test_hello, OVS_RO },
    { "stats", "", 0, 0, test_stats, OVS_RO },
    { "ports", "", 0, 0, test_ports, OVS_RO },
    { "flow-ops", "", 0, 0, test_flow_ops, OVS_RO },
    { "flow-results", "", 0, 0, test_flow_results, OVS_RO },
    { "upcall", "", 0, 0, test_upcall, OVS_RO },
    { "metrics", "", 0, 0, test_metrics, OVS_RO },
    { "conntrack", "", 0, 0, test_conntrack, OVS_RO },
    { "roles", "", 0, 0, test_roles, OVS_RO },
    { "bonds", "", 0, 0, test_bonds, OVS_RO },
    { "images", "", 0, 0, test_images, OVS_RO },
    { "ct-sync", "", 0, 0, test_ct_sync, OVS_RO },
    { "routes", "", 0, 0, test_routes, OVS_RO },
    { "channel", "", 0, 0, test_channel, OVS_RO },
    { NULL, NULL, 0, 0, NULL, OVS_RO },
};

int
main(int argc, char *argv[])
{
    struct ovs_cmdl_context ctx = { .argc = argc - 1, .argv = argv + 1 };

    set_program_name(argv[0]);
    vlog_set_levels(NULL, VLF_ANY_DESTINATION, VLL_EMER);
    ovs_cmdl_run_command(&ctx, commands);
    return n_errors ? EXIT_FAILURE : EXIT_SUCCESS;
}
