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

/* Writes the seed corpus of dpu-protocol-fuzzer.
 *
 * usage: dpu-protocol-seeds DIRECTORY
 *
 * Each seed is one valid message, built with the protocol's own encoder, of
 * each kind that carries something a receiver parses further (nested
 * attributes, ODP keys, masks, actions, packets), plus "stream", all of
 * them back to back as a connection would carry them.  Starting from these,
 * the fuzzer reaches the nested and ODP parsers at once instead of having to
 * discover the header and the policies first.  Every seed is checked with
 * dpu_msg_decode() before it is written, so that a protocol change that
 * invalidates one fails here. */

#include <config.h>

#include <errno.h>
#include <stdio.h>

#include "ct-dpif.h"
#include "dp-packet.h"
#include "dpif.h"
#include "dpu-codec.h"
#include "flow.h"
#include "netlink.h"
#include "odp-util.h"
#include "ofproto/ofproto.h"
#include "openvswitch/ofpbuf.h"
#include "smap.h"
#include "sset.h"
#include "util.h"
#include "uuid.h"

/* A flow key with a tunnel, conntrack state, a VLAN and IPv6/TCP, exact. */
#define KEY_TUNNEL_V6                                                       \
    "tunnel(tun_id=0x5,src=192.168.0.1,dst=192.168.0.2,ttl=64,tp_dst=4789," \
    "flags(df|key)),in_port(2),ct_state(+est+trk),ct_zone(0x1),"            \
    "ct_mark(0x1),eth(src=00:00:00:00:00:01,dst=00:00:00:00:00:02),"        \
    "eth_type(0x8100),vlan(vid=10,pcp=0),encap(eth_type(0x86dd),"           \
    "ipv6(src=fe80::1,dst=fe80::2,label=0,proto=6,tclass=0,hlimit=64,"      \
    "frag=no),tcp(src=80,dst=8080),tcp_flags(syn))"

/* A megaflow: IPv4/UDP with wildcarded bits, key and mask. */
#define KEY_UDP_WC                                                          \
    "recirc_id(0),in_port(1),eth(src=00:00:00:00:00:01,"                    \
    "dst=00:00:00:00:00:02/ff:ff:ff:ff:ff:00),eth_type(0x0800),"            \
    "ipv4(src=10.0.0.1/255.255.255.0,dst=10.0.0.2,proto=17,tos=0,ttl=64,"   \
    "frag=no),udp(src=1234,dst=4789/0xff00)"

/* One of most kinds of action, nested ones included. */
#define ACTIONS                                                             \
    "set(ipv4(ttl=63)),push_vlan(vid=10,pcp=0),2,"                          \
    "clone(pop_vlan,set(tunnel(tun_id=0x5,dst=192.168.0.2,ttl=64,"          \
    "tp_dst=4789,flags(df|key))),3),"                                       \
    "userspace(pid=1,controller(reason=1,dont_send=0,continuation=0,"       \
    "recirc_id=1,rule_cookie=0,controller_id=0,max_len=65535)),"            \
    "ct(commit,zone=1,nat(src=10.0.0.1)),recirc(1),"                      \
    "sample(sample=50.0%,actions(4)),meter(0),trunc(100),"                  \
    "check_pkt_len(size=200,gt(5),le(6)),tnl_pop(4),"                       \
    "tnl_push(tnl_port(4789),header(size=50,type=4,"                        \
    "eth(dst=00:00:00:00:00:02,src=00:00:00:00:00:01,dl_type=0x0800),"      \
    "ipv4(src=1.1.1.1,dst=2.2.2.2,proto=17,tos=0,ttl=64,frag=0x4000),"      \
    "udp(src=0,dst=4789,csum=0x0),vxlan(flags=0x8000000,vni=0x5)),"         \
    "out_port(1))"

static const char *dir;
static struct ofpbuf stream;    /* Every seed, back to back. */
static uint32_t xid = 1;

static void
write_file(const char *name, const struct ofpbuf *b)
{
    char *file_name = xasprintf("%s/%s", dir, name);
    FILE *file = fopen(file_name, "wb");

    if (!file || fwrite(b->data, b->size, 1, file) != 1 || fclose(file)) {
        ovs_fatal(errno, "%s: write failed", file_name);
    }
    free(file_name);
}

/* Finishes message 'b', checks that it decodes, and writes it as seed
 * 'name'. */
static void
seed(const char *name, struct ofpbuf *b)
{
    struct dpu_msg msg;
    char *why;

    dpu_msg_finish(b);
    if (dpu_msg_decode(b, &msg, &why)) {
        ovs_fatal(0, "seed %s does not decode: %s", name, why);
    }
    write_file(name, b);
    ofpbuf_put(&stream, b->data, b->size);
}

static void
start(struct ofpbuf *b, enum dpu_msg_type type, bool reply)
{
    dpu_msg_start(b, type, xid++, reply ? DPU_F_REPLY : 0);
}

/* Initializes 'key' and 'mask' with the ODP key and mask of 'flow_s'. */
static void
parse_flow(const char *flow_s, struct ofpbuf *key, struct ofpbuf *mask)
{
    char *error;

    ofpbuf_init(key, 0);
    ofpbuf_init(mask, 0);
    if (odp_flow_from_string(flow_s, NULL, key, mask, &error)) {
        ovs_fatal(0, "%s: %s", flow_s, error);
    }
}

/* Appends the ODP key and mask of 'flow_s' as attributes 'key_type' and, if
 * nonzero, 'mask_type'. */
static void
put_flow(struct ofpbuf *b, uint16_t key_type, uint16_t mask_type,
         const char *flow_s)
{
    struct ofpbuf key, mask;

    parse_flow(flow_s, &key, &mask);
    nl_msg_put_nested(b, key_type, key.data, key.size);
    if (mask_type) {
        nl_msg_put_nested(b, mask_type, mask.data, mask.size);
    }
    ofpbuf_uninit(&key);
    ofpbuf_uninit(&mask);
}

static void
put_actions(struct ofpbuf *b, uint16_t type, const char *actions_s)
{
    struct ofpbuf actions;

    ofpbuf_init(&actions, 0);
    if (odp_actions_from_string(actions_s, NULL, &actions)) {
        ovs_fatal(0, "%s: cannot parse actions", actions_s);
    }
    nl_msg_put_nested(b, type, actions.data, actions.size);
    ofpbuf_uninit(&actions);
}

/* Appends, as attribute 'type', a packet that matches exact flow 'flow_s'. */
static void
put_packet(struct ofpbuf *b, uint16_t type, const char *flow_s)
{
    struct ofpbuf key, mask;
    struct dp_packet packet;
    struct flow flow;

    parse_flow(flow_s, &key, &mask);
    ovs_assert(odp_flow_key_to_flow(key.data, key.size, &flow, NULL)
               != ODP_FIT_ERROR);
    dp_packet_init(&packet, 0);
    flow_compose(&packet, &flow, "seed", 4);
    nl_msg_put_unspec(b, type, dp_packet_data(&packet),
                      dp_packet_size(&packet));
    dp_packet_uninit(&packet);
    ofpbuf_uninit(&key);
    ofpbuf_uninit(&mask);
}

static void
put_flow_stats(struct ofpbuf *b)
{
    nl_msg_put_u64(b, DPU_OP_ATTR_STATS_PACKETS, 10);
    nl_msg_put_u64(b, DPU_OP_ATTR_STATS_BYTES, 1000);
    nl_msg_put_u64(b, DPU_OP_ATTR_STATS_IDLE_MS, 5);
    nl_msg_put_u16(b, DPU_OP_ATTR_STATS_TCP_FLAGS, 0x12);
}

static void
put_stats(struct ofpbuf *b, uint16_t type)
{
    size_t ofs = nl_msg_start_nested(b, type);

    for (int i = 1; i <= DPU_STATS_ATTR_MAX; i++) {
        nl_msg_put_u64(b, i, i * 100);
    }
    nl_msg_end_nested(b, ofs);
}

static void
put_smap(struct ofpbuf *b, uint16_t type)
{
    struct smap smap = SMAP_INITIALIZER(&smap);

    smap_add(&smap, "max-idle", "10000");
    smap_add(&smap, "remote_ip", "192.168.0.2");
    dpu_put_smap(b, type, &smap);
    smap_destroy(&smap);
}

static void
put_meter(struct ofpbuf *b, uint16_t type)
{
    size_t ofs = nl_msg_start_nested(b, type);

    nl_msg_put_u32(b, DPU_METER_ATTR_FLAGS, 0x3);
    for (int i = 0; i < 2; i++) {
        size_t band = nl_msg_start_nested(b, DPU_METER_ATTR_BAND);

        nl_msg_put_u32(b, DPU_METER_ATTR_BAND_TYPE, 1);
        nl_msg_put_u32(b, DPU_METER_ATTR_BAND_RATE, 1000 * (i + 1));
        nl_msg_put_u32(b, DPU_METER_ATTR_BAND_BURST, 100);
        nl_msg_end_nested(b, band);
    }
    nl_msg_put_u64(b, DPU_METER_ATTR_PACKETS, 7);
    nl_msg_put_u64(b, DPU_METER_ATTR_BYTES, 700);
    nl_msg_put_u64(b, DPU_METER_ATTR_BAND_PACKETS, 3);
    nl_msg_put_u64(b, DPU_METER_ATTR_BAND_BYTES, 300);
    nl_msg_put_u32(b, DPU_METER_ATTR_MAX_METERS, 1024);
    nl_msg_put_u32(b, DPU_METER_ATTR_BAND_TYPES, 0x2);
    nl_msg_put_u32(b, DPU_METER_ATTR_CAPS, 0xf);
    nl_msg_put_u32(b, DPU_METER_ATTR_MAX_BANDS, 8);
    nl_msg_put_u32(b, DPU_METER_ATTR_MAX_COLOR, 0);
    nl_msg_end_nested(b, ofs);
}

static void
seed_hello(struct ofpbuf *b)
{
    ovs_u128 boot_id = { .u32 = { 1, 2, 3, 4 } };
    size_t ofs;

    start(b, DPU_MSG_HELLO, false);
    nl_msg_put_u32(b, DPU_ATTR_BYTE_ORDER, DPU_BYTE_ORDER_MAGIC);
    nl_msg_put_string(b, DPU_ATTR_HOST_NAME, "host1");
    nl_msg_put_string(b, DPU_ATTR_DP_NAME, "ovs-dpu");
    nl_msg_put_flag(b, DPU_ATTR_WANT_UPCALLS);
    seed("hello", b);

    start(b, DPU_MSG_HELLO, true);
    nl_msg_put_u32(b, DPU_ATTR_BYTE_ORDER, DPU_BYTE_ORDER_MAGIC);
    nl_msg_put_string(b, DPU_ATTR_VENDOR, "OVS-DPU");
    nl_msg_put_string(b, DPU_ATTR_MODEL, "emulated");
    nl_msg_put_string(b, DPU_ATTR_HW_VERSION, "1.0");
    nl_msg_put_string(b, DPU_ATTR_FIRMWARE, "0.0");
    nl_msg_put_string(b, DPU_ATTR_SERIAL, "dpu1");
    nl_msg_put_string(b, DPU_ATTR_IMAGE_VERSION, "0.1.0");
    nl_msg_put_u128(b, DPU_ATTR_BOOT_ID, boot_id);
    nl_msg_put_u32(b, DPU_ATTR_CAPS, 0xf);
    ofs = nl_msg_start_nested(b, DPU_ATTR_DP_FEATURES);
    nl_msg_put_flag(b, DPU_FEAT_ATTR_EXPLICIT_DROP);
    nl_msg_put_flag(b, DPU_FEAT_ATTR_LB_OUTPUT);
    nl_msg_put_string(b, DPU_FEAT_ATTR_DATAPATH_VERSION, "3.1.0");
    nl_msg_end_nested(b, ofs);
    seed("hello-reply", b);

    dpu_msg_put_error(b, xid++, EINVAL, "port-add: invalid attributes");
    seed("error-reply", b);
}

static void
seed_ports(struct ofpbuf *b)
{
    start(b, DPU_MSG_PORT_ADD, false);
    nl_msg_put_u32(b, DPU_ATTR_PORT_NO, 1);
    nl_msg_put_string(b, DPU_ATTR_PORT_NAME, "p1");
    nl_msg_put_string(b, DPU_ATTR_PORT_TYPE, "dummy");
    put_smap(b, DPU_ATTR_PORT_OPTIONS);
    seed("port-add", b);

    start(b, DPU_MSG_PORT_DUMP, true);
    for (int i = 1; i <= 2; i++) {
        size_t ofs = nl_msg_start_nested(b, DPU_ATTR_PORT);
        char name[8];

        snprintf(name, sizeof name, "p%d", i);
        nl_msg_put_u32(b, DPU_ATTR_PORT_NO, i);
        nl_msg_put_string(b, DPU_ATTR_PORT_NAME, name);
        nl_msg_put_string(b, DPU_ATTR_PORT_TYPE, "system");
        nl_msg_end_nested(b, ofs);
    }
    seed("port-dump-reply", b);

    start(b, DPU_MSG_NETDEV_GET, true);
    put_stats(b, DPU_ATTR_NETDEV_STATS);
    nl_msg_put_unspec(b, DPU_ATTR_MAC, "\x00\x00\x00\x00\x00\x01", 6);
    nl_msg_put_u32(b, DPU_ATTR_MTU, 1500);
    nl_msg_put_u8(b, DPU_ATTR_CARRIER, 1);
    nl_msg_put_u64(b, DPU_ATTR_CARRIER_RESETS, 2);
    nl_msg_put_u32(b, DPU_ATTR_NETDEV_FLAGS, 1);
    seed("netdev-get-reply", b);

    start(b, DPU_MSG_DP_GET_STATS, true);
    put_stats(b, DPU_ATTR_DP_STATS);
    seed("dp-get-stats-reply", b);

    start(b, DPU_MSG_DP_SET_CONFIG, false);
    put_smap(b, DPU_ATTR_CONFIG);
    seed("dp-set-config", b);
}

static void
seed_flows(struct ofpbuf *b)
{
    ovs_u128 ufid = { .u32 = { 5, 6, 7, 8 } };
    size_t ofs;

    start(b, DPU_MSG_OPERATE, false);
    ofs = nl_msg_start_nested(b, DPU_ATTR_OP);
    nl_msg_put_u32(b, DPU_OP_ATTR_TYPE, DPU_OP_PUT);
    put_flow(b, DPU_OP_ATTR_KEY, DPU_OP_ATTR_MASK, KEY_UDP_WC);
    put_actions(b, DPU_OP_ATTR_ACTIONS, ACTIONS);
    nl_msg_put_u128(b, DPU_OP_ATTR_UFID, ufid);
    nl_msg_put_u32(b, DPU_OP_ATTR_PUT_FLAGS,
                   DPIF_FP_CREATE | DPIF_FP_MODIFY);
    nl_msg_put_flag(b, DPU_OP_ATTR_WANT_STATS);
    nl_msg_end_nested(b, ofs);
    ofs = nl_msg_start_nested(b, DPU_ATTR_OP);
    nl_msg_put_u32(b, DPU_OP_ATTR_TYPE, DPU_OP_EXECUTE);
    put_packet(b, DPU_OP_ATTR_PACKET, KEY_TUNNEL_V6);
    put_flow(b, DPU_OP_ATTR_KEY, 0, KEY_TUNNEL_V6);
    put_actions(b, DPU_OP_ATTR_ACTIONS, "2");
    nl_msg_put_u32(b, DPU_OP_ATTR_MTU, 1400);
    nl_msg_put_u64(b, DPU_OP_ATTR_HASH, 0x1234);
    nl_msg_put_flag(b, DPU_OP_ATTR_PROBE);
    nl_msg_end_nested(b, ofs);
    ofs = nl_msg_start_nested(b, DPU_ATTR_OP);
    nl_msg_put_u32(b, DPU_OP_ATTR_TYPE, DPU_OP_GET);
    nl_msg_put_u128(b, DPU_OP_ATTR_UFID, ufid);
    nl_msg_end_nested(b, ofs);
    ofs = nl_msg_start_nested(b, DPU_ATTR_OP);
    nl_msg_put_u32(b, DPU_OP_ATTR_TYPE, DPU_OP_DEL);
    put_flow(b, DPU_OP_ATTR_KEY, 0, KEY_TUNNEL_V6);
    nl_msg_end_nested(b, ofs);
    seed("operate", b);

    start(b, DPU_MSG_OPERATE, true);
    ofs = nl_msg_start_nested(b, DPU_ATTR_OP_RESULT);
    nl_msg_put_u32(b, DPU_OP_ATTR_RESULT_ERRNO, 0);
    put_flow_stats(b);
    nl_msg_end_nested(b, ofs);
    ofs = nl_msg_start_nested(b, DPU_ATTR_OP_RESULT);
    nl_msg_put_u32(b, DPU_OP_ATTR_RESULT_ERRNO, 0);
    put_flow(b, DPU_OP_ATTR_KEY, DPU_OP_ATTR_MASK, KEY_UDP_WC);
    put_actions(b, DPU_OP_ATTR_ACTIONS, ACTIONS);
    nl_msg_put_u128(b, DPU_OP_ATTR_UFID, ufid);
    put_flow_stats(b);
    nl_msg_put_flag(b, DPU_OP_ATTR_OFFLOADED);
    nl_msg_end_nested(b, ofs);
    ofs = nl_msg_start_nested(b, DPU_ATTR_OP_RESULT);
    nl_msg_put_u32(b, DPU_OP_ATTR_RESULT_ERRNO, ENOENT);
    nl_msg_end_nested(b, ofs);
    seed("operate-reply", b);

    start(b, DPU_MSG_FLOW_DUMP, true);
    ofs = nl_msg_start_nested(b, DPU_ATTR_FLOW);
    put_flow(b, DPU_OP_ATTR_KEY, DPU_OP_ATTR_MASK, KEY_TUNNEL_V6);
    put_actions(b, DPU_OP_ATTR_ACTIONS, ACTIONS);
    nl_msg_put_u128(b, DPU_OP_ATTR_UFID, ufid);
    put_flow_stats(b);
    nl_msg_end_nested(b, ofs);
    seed("flow-dump-reply", b);
}

static void
seed_upcall(struct ofpbuf *b)
{
    ovs_u128 ufid = { .u32 = { 9, 10, 11, 12 } };
    struct ofpbuf key, mask;
    const struct nlattr *tunnel;
    size_t ofs;

    dpu_msg_start(b, DPU_MSG_UPCALL, 0, 0);
    ofs = nl_msg_start_nested(b, DPU_ATTR_UPCALL);
    nl_msg_put_u32(b, DPU_UPCALL_ATTR_TYPE, DPIF_UC_ACTION);
    put_packet(b, DPU_UPCALL_ATTR_PACKET, KEY_TUNNEL_V6);
    put_flow(b, DPU_UPCALL_ATTR_KEY, 0, KEY_TUNNEL_V6);
    nl_msg_put_u128(b, DPU_UPCALL_ATTR_UFID, ufid);
    nl_msg_put_unspec(b, DPU_UPCALL_ATTR_USERDATA, "cookie..", 8);
    put_actions(b, DPU_UPCALL_ATTR_ACTIONS, ACTIONS);
    nl_msg_put_u16(b, DPU_UPCALL_ATTR_MRU, 1500);
    nl_msg_put_u64(b, DPU_UPCALL_ATTR_HASH, 0x5678);
    nl_msg_put_u32(b, DPU_UPCALL_ATTR_CUTLEN, 64);

    /* OUT_TUN_KEY holds the attributes of the key's OVS_KEY_ATTR_TUNNEL. */
    parse_flow(KEY_TUNNEL_V6, &key, &mask);
    tunnel = nl_attr_find__(key.data, key.size, OVS_KEY_ATTR_TUNNEL);
    ovs_assert(tunnel);
    nl_msg_put_nested(b, DPU_UPCALL_ATTR_OUT_TUN_KEY, nl_attr_get(tunnel),
                      nl_attr_get_size(tunnel));
    ofpbuf_uninit(&key);
    ofpbuf_uninit(&mask);

    nl_msg_end_nested(b, ofs);
    seed("upcall", b);
}

static void
seed_meters(struct ofpbuf *b)
{
    start(b, DPU_MSG_METER_SET, false);
    nl_msg_put_u32(b, DPU_ATTR_METER_ID, 1);
    put_meter(b, DPU_ATTR_METER);
    seed("meter-set", b);

    start(b, DPU_MSG_METER_GET, true);
    put_meter(b, DPU_ATTR_METER_STATS);
    seed("meter-get-reply", b);

    start(b, DPU_MSG_METER_FEATURES, true);
    put_meter(b, DPU_ATTR_METER_FEATURES);
    seed("meter-features-reply", b);
}

static void
seed_ct(struct ofpbuf *b)
{
    struct ct_dpif_timeout_policy tp = { .id = 1 };

    ct_dpif_set_timeout_policy_attr_by_name(&tp, "UDP_FIRST", 200);
    ct_dpif_set_timeout_policy_attr_by_name(&tp, "ICMP_REPLY", 5);
    start(b, DPU_MSG_CT_SET_TP, false);
    dpu_put_ct_timeout_policy(b, &tp);
    seed("ct-set-timeout-policy", b);
}

static void
seed_metrics(struct ofpbuf *b)
{
    struct dpu_metrics_core cores[] = {
        { .name = "main", .load = 1250 },
        { .name = "pmd-c00/id:3", .load = 10000 },
    };
    struct dpu_metrics_port ports[] = {
        { .port_no = 1, .name = "p1" },
    };

    /* Counters that the device does not keep are absent. */
    memset(&ports[0].stats, 0xff, sizeof ports[0].stats);
    ports[0].stats.rx_packets = 3;
    ports[0].stats.rx_bytes = 294;
    ports[0].stats.tx_packets = 0;
    ports[0].stats.tx_bytes = 0;
    struct dpu_metrics m = {
        .emulated = true,
        .injected = true,
        .interval_ms = 1000,
        .cores = cores,
        .n_cores = ARRAY_SIZE(cores),
        .mem_used = 1 << 24,
        .mem_total = 1ULL << 34,
        .n_flows = 1, .n_hit = 2, .n_missed = 1,
        .ports = ports,
        .n_ports = ARRAY_SIZE(ports),
        .upcalls = 1,
        .flow_setups = 1,
        .has_flow_setup = true,
        .flow_setup_avg_us = 500,
        .flow_setup_max_us = 500,
    };

    start(b, DPU_MSG_GET_METRICS, true);
    dpu_put_metrics(b, &m);
    seed("get-metrics-reply", b);
}

static void
seed_health(struct ofpbuf *b)
{
    struct dpu_health alerts[] = {
        { .sensor = "temperature", .severity = DPU_SEVERITY_CRITICAL,
          .value = "95C", .message = "above the 90C limit" },
        { .sensor = "fan1", .severity = DPU_SEVERITY_MAJOR },
    };

    dpu_msg_start(b, DPU_MSG_DPU_EVENT, 0, 0);
    nl_msg_put_string(b, DPU_ATTR_EVENT, "health");
    nl_msg_put_u32(b, DPU_ATTR_ROLE, DPU_ROLE_ACTIVE);
    dpu_put_health(b, alerts, ARRAY_SIZE(alerts));
    seed("dpu-event-health", b);
}

static void
seed_routes(struct ofpbuf *b)
{
    struct dpu_route r = { .plen = 96 + 24, .dev = "br-phy" };

    in6_addr_set_mapped_ipv4(&r.dst, htonl(0x01010200));
    in6_addr_set_mapped_ipv4(&r.src, htonl(0x01010258));
    dpu_msg_start(b, DPU_MSG_TNL_ROUTES, 0, 0);
    dpu_put_route(b, &r);
    in6_addr_set_mapped_ipv4(&r.dst, htonl(0));
    r.plen = 96;
    in6_addr_set_mapped_ipv4(&r.gw, htonl(0x01010201));
    r.mark = 1;
    r.local = true;
    dpu_put_route(b, &r);
    seed("tnl-routes", b);
}

static void
seed_ipfix(struct ofpbuf *b)
{
    struct ofproto_ipfix_bridge_exporter_options be = {
        .sampling_rate = 100,
        .obs_domain_id = 1,
        .obs_point_id = 2,
        .cache_active_timeout = 10,
        .cache_max_flows = 1000,
        .enable_tunnel_sampling = true,
        .enable_input_sampling = true,
        .virtual_obs_id = "br0",
    };
    struct ofproto_ipfix_flow_exporter_options fe = {
        .collector_set_id = 7,
        .enable_tunnel_sampling = true,
    };
    struct dpu_ipfix_config cfg = {
        .bridge_name = "br0",
        .dpu_name = "dpu0",
        .has_obs_domain_id = true,
        .obs_domain_id = 42,
        .be = &be,
        .fe = &fe,
        .n_fe = 1,
    };

    sset_init(&be.targets);
    sset_add(&be.targets, "192.0.2.10:4739");
    sset_add(&be.targets, "[2001:db8::10]:4739");
    sset_init(&fe.targets);
    sset_add(&fe.targets, "192.0.2.11:4739");
    uuid_from_string(&cfg.bridge_uuid,
                     "01234567-89ab-cdef-0123-456789abcdef");
    start(b, DPU_MSG_IPFIX_SET, false);
    dpu_put_ipfix_config(b, &cfg);
    seed("ipfix-set", b);

    /* A bridge that the DPU forgets. */
    cfg.be = NULL;
    cfg.n_fe = 0;
    start(b, DPU_MSG_IPFIX_SET, false);
    dpu_put_ipfix_config(b, &cfg);
    seed("ipfix-set-none", b);
    sset_destroy(&be.targets);
    sset_destroy(&fe.targets);
}

static void
seed_alarm(struct ofpbuf *b)
{
    struct dpu_alarm_event ev = {
        .type = "failover",
        .dpu_name = "dpu0",
        .subject = "1",
        .severity = DPU_SEVERITY_WARNING,
        .time = 1795459460403LL,
        .cause = "failover from dpu0 to dpu1: heartbeat-loss in 12 ms",
        .from = "dpu0",
        .to = "dpu1",
        .reason = "heartbeat-loss",
        .has_duration = true,
        .duration_ms = 12,
    };

    uuid_from_string(&ev.id, "82e4e217-f718-40c7-805d-afd45717280a");
    start(b, DPU_MSG_ALARM, false);
    dpu_put_alarm(b, &ev);
    seed("alarm-failover", b);

    /* The clear of a "cpu" alarm. */
    memset(&ev, 0, sizeof ev);
    ev.type = "cpu";
    ev.dpu_name = "dpu1";
    ev.severity = DPU_SEVERITY_MAJOR;
    ev.cleared = true;
    ev.time = 1795459461919LL;
    start(b, DPU_MSG_ALARM, false);
    dpu_put_alarm(b, &ev);
    seed("alarm-cleared", b);
}

static void
seed_bonds(struct ofpbuf *b)
{
    odp_port_t members[DPU_BOND_BUCKETS];
    uint64_t n_bytes[DPU_BOND_BUCKETS];

    for (size_t i = 0; i < DPU_BOND_BUCKETS; i++) {
        members[i] = u32_to_odp(i % 2 + 1);
        n_bytes[i] = i * 1000;
    }
    start(b, DPU_MSG_BOND_SET, false);
    nl_msg_put_u32(b, DPU_ATTR_BOND_ID, 1);
    dpu_put_bond_members(b, members);
    seed("bond-set", b);

    start(b, DPU_MSG_BOND_STATS, true);
    dpu_put_bond_stats(b, n_bytes);
    seed("bond-stats-reply", b);
}

static void
seed_roles(struct ofpbuf *b)
{
    struct dpu_handover h[2] = {
        { .port_no = 1, .age_us = 120, .n_hashes = 2,
          .hashes = { 0x12345678, 0x9abcdef0 } },
        { .port_no = 3, .age_us = UINT32_MAX, .n_hashes = 1,
          .hashes = { 0xdeadbeef } },
    };

    start(b, DPU_MSG_SET_ROLE, false);
    nl_msg_put_u32(b, DPU_ATTR_ROLE, DPU_ROLE_STANDBY);
    nl_msg_put_u32(b, DPU_ATTR_UPLINK, 2);
    nl_msg_put_u32(b, DPU_ATTR_DRAIN_MS, 500);
    seed("set-role-standby-drain", b);

    start(b, DPU_MSG_SET_ROLE, true);
    nl_msg_put_unspec(b, DPU_ATTR_HANDOVER, h, sizeof h);
    seed("set-role-reply-handover", b);

    start(b, DPU_MSG_SET_ROLE, false);
    nl_msg_put_u32(b, DPU_ATTR_ROLE, DPU_ROLE_ACTIVE);
    nl_msg_put_u32(b, DPU_ATTR_LEASE_MS, 30);
    nl_msg_put_u32(b, DPU_ATTR_UPLINK, 2);
    nl_msg_put_unspec(b, DPU_ATTR_HANDOVER, h, sizeof h);
    seed("set-role-active-handover", b);
}

static void
seed_images(struct ofpbuf *b)
{
    struct dpu_image_begin ib = { .size = 34228815, .force = true };
    static const uint8_t chunk[16] = "OVSDPUBN\0\0\0\1\0\0\1\0";

    memset(ib.sha256, 0xab, sizeof ib.sha256);
    start(b, DPU_MSG_IMAGE_BEGIN, false);
    dpu_put_image_begin(b, &ib);
    seed("image-begin", b);

    start(b, DPU_MSG_IMAGE_BEGIN, true);
    nl_msg_put_u64(b, DPU_ATTR_IMAGE_OFFSET, 61440);
    seed("image-begin-reply", b);

    start(b, DPU_MSG_IMAGE_DATA, false);
    dpu_put_image_data(b, &(struct dpu_image_data) {
                           .offset = 0, .data = chunk,
                           .size = sizeof chunk });
    seed("image-data", b);

    start(b, DPU_MSG_IMAGE_END, false);
    seed("image-end", b);

    start(b, DPU_MSG_IMAGE_END, true);
    dpu_put_image_result(b, &(struct dpu_image_result) {
                             .version = "0.2.0", .bank = "b" });
    seed("image-end-reply", b);

    start(b, DPU_MSG_IMAGE_SELECT, false);
    dpu_put_image_select(b, "0.1.0");
    seed("image-select", b);

    start(b, DPU_MSG_IMAGE_SELECT, true);
    dpu_put_image_result(b, &(struct dpu_image_result) {
                             .version = "0.1.0", .bank = "a" });
    seed("image-select-reply", b);

    start(b, DPU_MSG_LOG_GET, false);
    nl_msg_put_u64(b, DPU_ATTR_LOG_OFFSET, 4096);
    seed("log-get", b);

    start(b, DPU_MSG_LOG_GET, true);
    dpu_put_log_chunk(b, &(struct dpu_log_chunk) {
                          .log_size = 5000, .data = chunk,
                          .size = sizeof chunk });
    seed("log-get-reply", b);
}

static void
seed_ct_sync(struct ofpbuf *b)
{
    struct dpu_ct_sync_entry e = { .time_usec = 1765142400000000LL };

    e.entry.tuple_orig.l3_type = AF_INET;
    e.entry.tuple_orig.ip_proto = IPPROTO_TCP;
    e.entry.tuple_orig.src.ip = htonl(0x0a000001);
    e.entry.tuple_orig.dst.ip = htonl(0x0a000002);
    e.entry.tuple_orig.src_port = htons(40000);
    e.entry.tuple_orig.dst_port = htons(80);
    e.entry.tuple_reply = e.entry.tuple_orig;
    e.entry.tuple_reply.src = e.entry.tuple_orig.dst;
    e.entry.tuple_reply.dst.ip = htonl(0xc0a80001);     /* SNAT. */
    e.entry.tuple_reply.src_port = e.entry.tuple_orig.dst_port;
    e.entry.tuple_reply.dst_port = htons(1024);
    e.entry.zone = 1;
    e.entry.mark = 7;
    e.entry.status = CT_DPIF_STATUS_SEEN_REPLY | CT_DPIF_STATUS_SRC_NAT;
    e.entry.timeout = 86400;
    e.entry.protoinfo.proto = IPPROTO_TCP;
    e.entry.protoinfo.tcp.state_orig = CT_DPIF_TCPS_ESTABLISHED;
    e.entry.protoinfo.tcp.state_reply = CT_DPIF_TCPS_ESTABLISHED;

    start(b, DPU_MSG_CT_SYNC_REQ, false);
    dpu_put_ct_sync_hdr(b, DPU_MSG_CT_SYNC_REQ,
                        &(struct dpu_ct_sync_hdr) { .gen = 3 });
    seed("ct-sync-req", b);

    dpu_msg_start(b, DPU_MSG_CT_SYNC, 0, 0);
    dpu_put_ct_sync_hdr(b, DPU_MSG_CT_SYNC,
                        &(struct dpu_ct_sync_hdr) { .gen = 3, .seq = 1 });
    dpu_put_ct_sync_entry(b, &e);
    e.deleted = true;
    dpu_put_ct_sync_entry(b, &e);
    seed("ct-sync", b);

    dpu_msg_start(b, DPU_MSG_CT_SYNC_DONE, 0, 0);
    dpu_put_ct_sync_hdr(b, DPU_MSG_CT_SYNC_DONE,
                        &(struct dpu_ct_sync_hdr) { .gen = 3, .seq = 2,
                                                    .count = 1 });
    seed("ct-sync-done", b);
}

int
main(int argc, char *argv[])
{
    struct ofpbuf b;

    set_program_name(argv[0]);
    if (argc != 2) {
        ovs_fatal(0, "usage: %s DIRECTORY", program_name);
    }
    dir = argv[1];

    ofpbuf_init(&b, 0);
    ofpbuf_init(&stream, 0);
    seed_hello(&b);
    seed_ports(&b);
    seed_flows(&b);
    seed_upcall(&b);
    seed_meters(&b);
    seed_ct(&b);
    seed_metrics(&b);
    seed_health(&b);
    seed_routes(&b);
    seed_ipfix(&b);
    seed_alarm(&b);
    seed_roles(&b);
    seed_bonds(&b);
    seed_images(&b);
    seed_ct_sync(&b);
    write_file("stream", &stream);
    ofpbuf_uninit(&stream);
    ofpbuf_uninit(&b);
    return 0;
}
