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

/* A libFuzzer target for the host<->DPU protocol decoder.
 *
 * The input is what a peer sent on a connection, host or DPU alike, and
 * goes through what a receiver does with it:
 *
 *   - Framing, as dpu_channel_recv() does: dpu_msg_frame_len() cuts the
 *     input into messages, each copied into a buffer of exactly its size so
 *     that AddressSanitizer sees any read past its end.  Whatever remains
 *     when framing fails or runs out of bytes goes to the decoder too,
 *     which must reject it.
 *
 *   - dpu_msg_decode(): header, type and the attribute policy of the type,
 *     as a request or as a reply.
 *
 *   - The codec's parsers that the receiver of each decoded message uses
 *     (see fuzz_msg()): dpu_parse_hello_request() and
 *     dpu_parse_hello_reply(), dpu_parse_flow_op() on each OP,
 *     dpu_parse_op_result() on each OP_RESULT, dpu_parse_flow() on each
 *     FLOW, dpu_parse_upcall() on each UPCALL, dpu_parse_port() on each
 *     PORT, dpu_parse_dp_stats(), dpu_parse_netdev_state(),
 *     dpu_parse_meter_config() (and on each BAND), dpu_parse_smap() on PORT_OPTIONS and CONFIG,
 *     dpu_parse_ct_tuple() on CT_FLUSH's CT_TUPLE, dpu_parse_ct_zone_limits()
 *     on the CT_*_LIMITS messages, dpu_parse_ct_timeout_policy() on
 *     CT_TIMEOUT_POLICY, dpu_parse_metrics() on METRICS,
 *     dpu_parse_health() on a DPU_EVENT's HEALTH alerts,
 *     dpu_parse_routes() on TNL_ROUTES,
 *     dpu_parse_ipfix_config() on IPFIX_SET's IPFIX, dpu_parse_alarm() on
 *     ALARM's ALARM, dpu_parse_role_request() on SET_ROLE and
 *     dpu_parse_handover() on its reply's HANDOVER.
 *
 *   - The ODP parsers run on what those carry, as the agent's dpif-netdev
 *     and the host's ofproto and ovs-dpuctl do: odp_flow_key_to_flow() and
 *     odp_flow_key_to_mask() on keys and masks, odp_flow_format() on both,
 *     format_odp_actions() on actions (a bounded walk of every action), and
 *     odp_tun_key_from_attr() on an upcall's OUT_TUN_KEY.  For an EXECUTE,
 *     the agent's dpu_actions_check() on the actions and, if they pass,
 *     dpu_execute_packet() and odp_execute_actions() on the packet (see
 *     fuzz_flow_op()).
 *
 * Everything allocated is freed, so LeakSanitizer reports what these
 * parsers leak.  "make fuzz-dpu" builds this target and "make fuzz-dpu-run"
 * runs it: see Documentation/topics/dpu-fuzzing.rst. */

#include <config.h>

#include <errno.h>

#include "ct-dpif.h"
#include "dp-packet.h"
#include "dpu-actions.h"
#include "dpu-bundle.h"
#include "dpu-codec.h"
#include "flow.h"
#include "netlink.h"
#include "odp-execute.h"
#include "ofproto/ofproto.h"
#include "odp-util.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofp-meter.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/vlog.h"
#include "smap.h"
#include "util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Runs the agent's and the host's ODP parsers on flow key 'key' and its
 * mask 'mask', which may be null. */
static void
fuzz_key(const struct nlattr *key, const struct nlattr *mask)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    enum odp_key_fitness fitness;
    struct flow flow;
    char *error;

    fitness = odp_flow_key_to_flow(nl_attr_get(key), nl_attr_get_size(key),
                                   &flow, &error);
    free(error);
    if (fitness != ODP_FIT_ERROR && mask) {
        struct flow_wildcards wc;

        odp_flow_key_to_mask(nl_attr_get(mask), nl_attr_get_size(mask), &wc,
                             &flow, &error);
        free(error);
    }

    odp_flow_format(nl_attr_get(key), nl_attr_get_size(key),
                    mask ? nl_attr_get(mask) : NULL,
                    mask ? nl_attr_get_size(mask) : 0, NULL, &s, true);
    ds_destroy(&s);
}

static void
fuzz_actions(const struct nlattr *actions)
{
    struct ds s = DS_EMPTY_INITIALIZER;

    format_odp_actions(&s, nl_attr_get(actions), nl_attr_get_size(actions),
                       NULL);
    ds_destroy(&s);
}

/* An OP, as the agent decodes it (see decode_op() in dpu-agent/): the
 * codec's dpu_parse_flow_op(), the agent's check of the actions and, for an
 * EXECUTE that passes it, dpu_execute_packet() and the actions on the
 * packet. */
static void
fuzz_flow_op(const struct nlattr *nla)
{
    struct ds why = DS_EMPTY_INITIALIZER;
    struct dpu_flow_op op;

    if (dpu_parse_flow_op(nla, &op, &why)) {
        goto out;
    }
    if (op.key) {
        fuzz_key(op.key, op.mask);
    }
    if (op.actions) {
        fuzz_actions(op.actions);
        if (dpu_actions_check(nl_attr_get(op.actions),
                              nl_attr_get_size(op.actions), NULL, NULL,
                              &why)) {
            goto out;
        }
    }
    if (op.type == DPU_OP_EXECUTE) {
        /* What odp_execute_actions() does with them on the packet: all of
         * it but the actions that need the datapath (output, tnl_push, ct,
         * userspace...).  Whatever passed the check must run without an
         * abort or a stray access. */
        struct dp_packet_batch batch;
        struct flow flow;

        dp_packet_batch_init_packet(&batch, dpu_execute_packet(&op, &flow));
        odp_execute_actions(NULL, &batch, true, nl_attr_get(op.actions),
                            nl_attr_get_size(op.actions), NULL);
    }
out:
    ds_destroy(&why);
}

/* An OP_RESULT or a FLOW, as the host and ovs-dpuctl decode them. */
static void
fuzz_flow_result(const struct dpu_flow_result *r)
{
    if (r->key) {
        fuzz_key(r->key, r->mask);
    }
    if (r->actions) {
        fuzz_actions(r->actions);
    }
}

static void
fuzz_op_result(const struct nlattr *nla)
{
    struct dpu_flow_result r;

    if (dpu_parse_op_result(nla, &r)) {
        fuzz_flow_result(&r);
    }
}

static void
fuzz_flow(const struct nlattr *nla)
{
    struct dpu_flow_result r;

    if (dpu_parse_flow(nla, &r)) {
        fuzz_flow_result(&r);
    }
}

/* An UPCALL, as the host decodes it, then ofproto-dpif. */
static void
fuzz_upcall(const struct nlattr *nla)
{
    struct ds why = DS_EMPTY_INITIALIZER;
    struct dpu_upcall upcall;

    if (dpu_parse_upcall(nla, &upcall, &why)) {
        fuzz_key(upcall.key, NULL);
        if (upcall.actions) {
            fuzz_actions(upcall.actions);
        }
        if (upcall.out_tun_key) {
            struct flow_tnl tnl;
            char *error;

            odp_tun_key_from_attr(upcall.out_tun_key, &tnl, &error);
            free(error);
        }
    }
    ds_destroy(&why);
}

static void
fuzz_port(const struct nlattr *nla)
{
    struct dpu_port port;

    dpu_parse_port(nla, &port);
}

/* A METER, as the agent decodes METER_SET. */
static void
fuzz_meter_config(const struct nlattr *nla)
{
    struct ofputil_meter_band bands[DPU_METER_MAX_BANDS];
    struct ofputil_meter_config config;
    struct ds why = DS_EMPTY_INITIALIZER;

    if (nla) {
        dpu_parse_meter_config(nla, &config, bands, ARRAY_SIZE(bands), &why);
    }
    ds_destroy(&why);
}

/* METER_STATS, as the host decodes a METER_GET or METER_DEL reply. */
static void
fuzz_meter_stats(const struct nlattr *nla)
{
    struct ofputil_meter_band_stats bands[DPU_METER_MAX_BANDS];
    struct ofputil_meter_stats stats = { .bands = bands };

    if (nla) {
        dpu_parse_meter_stats(nla, &stats, ARRAY_SIZE(bands));
    }
}

/* METER_FEATURES, as the host decodes a METER_FEATURES reply. */
static void
fuzz_meter_features(const struct nlattr *nla)
{
    struct ofputil_meter_features features;

    if (nla) {
        dpu_parse_meter_features(nla, &features);
    }
}

/* A CT_ENTRY of a CT_DUMP reply, as the host decodes it. */
static void
fuzz_ct_entry(const struct nlattr *nla)
{
    struct ct_dpif_entry entry;

    if (dpu_parse_ct_entry(nla, &entry)) {
        ct_dpif_entry_uninit(&entry);
    }
}

static void
fuzz_ct_sync_entry(const struct nlattr *nla)
{
    struct dpu_ct_sync_entry e;

    if (dpu_parse_ct_sync_entry(nla, &e)) {
        ct_dpif_entry_uninit(&e.entry);
    }
}

static void
fuzz_smap(const struct nlattr *nla)
{
    struct smap smap = SMAP_INITIALIZER(&smap);

    if (nla) {
        dpu_parse_smap(nla, &smap);
    }
    smap_destroy(&smap);
}

/* METRICS, as the host and ovs-dpuctl decode a GET_METRICS reply. */
static void
fuzz_metrics(const struct nlattr *nla)
{
    struct ds why = DS_EMPTY_INITIALIZER;
    struct dpu_metrics m;

    if (nla) {
        dpu_parse_metrics(nla, &m, &why);
        dpu_metrics_destroy(&m);
    }
    ds_destroy(&why);
}

/* Calls 'cb' on each top-level attribute of type 'type' in message 'b', as
 * the receivers of repeated attributes do. */
static void
fuzz_each(const struct ofpbuf *b, enum dpu_attr type,
          void (*cb)(const struct nlattr *))
{
    const struct nlattr *nla;
    size_t left;

    NL_ATTR_FOR_EACH (nla, left, ofpbuf_at(b, DPU_HEADER_LEN, 0),
                      b->size - DPU_HEADER_LEN) {
        if (nl_attr_type(nla) == type) {
            cb(nla);
        }
    }
}

/* Runs the parsers that the receiver of 'msg', decoded from 'b', uses. */
static void
fuzz_msg(const struct ofpbuf *b, const struct dpu_msg *msg)
{
    bool reply = msg->flags & DPU_F_REPLY;

    switch (msg->type) {
    case DPU_MSG_HELLO: {
        struct ds why = DS_EMPTY_INITIALIZER;

        if (reply) {
            struct dpu_hello_reply hr;

            dpu_parse_hello_reply(msg, &hr, &why);
            dpu_hello_reply_destroy(&hr);
        } else {
            struct dpu_hello_request req;

            dpu_parse_hello_request(msg, &req, &why);
        }
        ds_destroy(&why);
        break;
    }

    case DPU_MSG_DP_GET_STATS:
        if (reply) {
            struct dpif_dp_stats stats;

            dpu_parse_dp_stats(msg->attrs[DPU_ATTR_DP_STATS], &stats);
        }
        break;

    case DPU_MSG_PORT_ADD:
        fuzz_smap(reply ? NULL : msg->attrs[DPU_ATTR_PORT_OPTIONS]);
        break;

    case DPU_MSG_PORT_DUMP:
        if (reply) {
            fuzz_each(b, DPU_ATTR_PORT, fuzz_port);
        }
        break;

    case DPU_MSG_NETDEV_GET:
        if (reply) {
            struct ds why = DS_EMPTY_INITIALIZER;
            struct dpu_netdev_state state;

            dpu_parse_netdev_state(msg, &state, &why);
            ds_destroy(&why);
        }
        break;

    case DPU_MSG_OPERATE:
        if (reply) {
            fuzz_each(b, DPU_ATTR_OP_RESULT, fuzz_op_result);
        } else {
            fuzz_each(b, DPU_ATTR_OP, fuzz_flow_op);
        }
        break;

    case DPU_MSG_FLOW_DUMP:
        if (reply) {
            fuzz_each(b, DPU_ATTR_FLOW, fuzz_flow);
        }
        break;

    case DPU_MSG_UPCALL:
        fuzz_each(b, DPU_ATTR_UPCALL, fuzz_upcall);
        break;

    case DPU_MSG_METER_FEATURES:
        fuzz_meter_features(reply ? msg->attrs[DPU_ATTR_METER_FEATURES]
                            : NULL);
        break;

    case DPU_MSG_METER_SET:
        fuzz_meter_config(reply ? NULL : msg->attrs[DPU_ATTR_METER]);
        break;

    case DPU_MSG_METER_GET:
    case DPU_MSG_METER_DEL:
        fuzz_meter_stats(reply ? msg->attrs[DPU_ATTR_METER_STATS] : NULL);
        break;

    case DPU_MSG_CT_DUMP:
        if (reply) {
            fuzz_each(b, DPU_ATTR_CT_ENTRY, fuzz_ct_entry);
        }
        break;

    case DPU_MSG_CT_SET_LIMITS:
    case DPU_MSG_CT_GET_LIMITS:
    case DPU_MSG_CT_DEL_LIMITS: {
        struct ovs_list limits = OVS_LIST_INITIALIZER(&limits);

        dpu_parse_ct_zone_limits(b, &limits);
        ct_dpif_free_zone_limits(&limits);
        break;
    }

    case DPU_MSG_CT_SET_TP:
    case DPU_MSG_CT_GET_TP:
        if (msg->attrs[DPU_ATTR_CT_TIMEOUT_POLICY]) {
            struct ct_dpif_timeout_policy tp;

            dpu_parse_ct_timeout_policy(msg->attrs[DPU_ATTR_CT_TIMEOUT_POLICY],
                                        &tp);
        }
        break;

    case DPU_MSG_CT_FLUSH:
        if (!reply && msg->attrs[DPU_ATTR_CT_TUPLE]) {
            struct ct_dpif_tuple tuple;

            dpu_parse_ct_tuple(msg->attrs[DPU_ATTR_CT_TUPLE], &tuple);
        }
        break;

    case DPU_MSG_NETDEV_SET:
        fuzz_smap(reply ? NULL : msg->attrs[DPU_ATTR_PORT_OPTIONS]);
        break;

    case DPU_MSG_GET_METRICS:
        fuzz_metrics(reply ? msg->attrs[DPU_ATTR_METRICS] : NULL);
        break;

    case DPU_MSG_SET_ROLE: {
        struct ds why = DS_EMPTY_INITIALIZER;

        if (!reply) {
            struct dpu_role_request rq;

            dpu_parse_role_request(b, msg, &rq, &why);
            dpu_role_request_destroy(&rq);
        } else if (msg->attrs[DPU_ATTR_HANDOVER]) {
            struct dpu_handover *h;
            size_t n;

            dpu_parse_handover(msg->attrs[DPU_ATTR_HANDOVER], msg->version,
                               &h, &n, &why);
            free(h);
        }
        ds_destroy(&why);
        break;
    }

    case DPU_MSG_DPU_EVENT:
        if (!reply) {
            struct ds why = DS_EMPTY_INITIALIZER;
            struct dpu_health *alerts;
            size_t n;

            dpu_parse_health(b, &alerts, &n, &why);
            dpu_health_destroy(alerts, n);
            ds_destroy(&why);
        }
        break;

    case DPU_MSG_TNL_ROUTES:
        if (!reply) {
            struct ds why = DS_EMPTY_INITIALIZER;
            struct dpu_route *routes;
            size_t n;

            if (dpu_parse_routes(b, &routes, &n, &why)) {
                /* What dpu-route gives ovs-router. */
                for (size_t i = 0; i < n; i++) {
                    ovs_assert(routes[i].plen <= 128 && routes[i].dev[0]);
                }
            }
            dpu_routes_destroy(routes, n);
            ds_destroy(&why);
        }
        break;

    case DPU_MSG_DP_SET_CONFIG:
        fuzz_smap(reply ? NULL : msg->attrs[DPU_ATTR_CONFIG]);
        break;

    case DPU_MSG_IPFIX_SET:
        if (!reply) {
            struct ds why = DS_EMPTY_INITIALIZER;
            struct dpu_ipfix_config cfg;

            if (dpu_parse_ipfix_config(msg->attrs[DPU_ATTR_IPFIX], &cfg,
                                       &why)) {
                /* What the agent's exporter divides by. */
                ovs_assert(!cfg.be || cfg.be->sampling_rate);
            }
            dpu_ipfix_config_destroy(&cfg);
            ds_destroy(&why);
        }
        break;

    case DPU_MSG_ALARM:
        if (!reply) {
            struct ds why = DS_EMPTY_INITIALIZER;
            struct dpu_alarm_event ev;

            if (dpu_parse_alarm(msg->attrs[DPU_ATTR_ALARM], &ev, &why)) {
                /* What the agent formats. */
                ovs_assert(ev.type[0] && ev.dpu_name[0]);
                ovs_assert(ev.severity < DPU_N_SEVERITIES);
                ovs_assert(ev.time >= 0 && ev.time <= DPU_ALARM_MAX_TIME);
            }
            ds_destroy(&why);
        }
        break;

    case DPU_MSG_BOND_SET:
        if (!reply) {
            odp_port_t members[DPU_BOND_BUCKETS];

            dpu_parse_bond_members(msg->attrs[DPU_ATTR_BOND_MEMBERS],
                                   members);
        }
        break;

    case DPU_MSG_BOND_STATS:
        if (reply) {
            uint64_t n_bytes[DPU_BOND_BUCKETS];

            dpu_parse_bond_stats(msg->attrs[DPU_ATTR_BOND_STATS], n_bytes);
        }
        break;

    case DPU_MSG_CT_SYNC_REQ:
    case DPU_MSG_CT_SYNC_DONE:
        if (!reply) {
            struct dpu_ct_sync_hdr h;

            dpu_parse_ct_sync_hdr(msg, &h);
        }
        break;

    case DPU_MSG_CT_SYNC: {
        struct dpu_ct_sync_hdr h;

        dpu_parse_ct_sync_hdr(msg, &h);
        fuzz_each(b, DPU_ATTR_CT_SYNC, fuzz_ct_sync_entry);
        break;
    }

    case DPU_MSG_IMAGE_BEGIN:
        if (!reply) {
            struct dpu_image_begin ib;

            dpu_parse_image_begin(msg, &ib);
        }
        break;

    case DPU_MSG_IMAGE_DATA:
        if (!reply) {
            struct dpu_image_data d;

            dpu_parse_image_data(msg, &d);
            /* What the agent writes. */
            ovs_assert(d.size >= 1 && d.size <= DPU_IMAGE_MAX_CHUNK);
        }
        break;

    case DPU_MSG_IMAGE_END:
    case DPU_MSG_IMAGE_SELECT: {
        struct ds why = DS_EMPTY_INITIALIZER;

        if (reply) {
            struct dpu_image_result r;

            if (!dpu_parse_image_result(msg, &r, &why)) {
                /* What ovs-dpuctl prints. */
                ovs_assert(strlen(r.bank) == 1);
            }
        } else if (msg->type == DPU_MSG_IMAGE_SELECT) {
            const char *version;

            if (!dpu_parse_image_select(msg, &version, &why)) {
                /* What the agent hands to the boot loader. */
                ovs_assert(dpu_version_is_valid(version));
            }
        }
        ds_destroy(&why);
        break;
    }

    case DPU_MSG_LOG_GET:
        if (reply) {
            struct dpu_log_chunk chunk;

            dpu_parse_log_chunk(msg, &chunk);
            /* What ovs-dpuctl writes. */
            ovs_assert(chunk.size <= DPU_IMAGE_MAX_CHUNK);
        }
        break;

    /* The policy checks every attribute of these: no nested parser. */
    case DPU_MSG_ERROR:
    case DPU_MSG_ECHO:
    case DPU_MSG_PORT_DEL:
    case DPU_MSG_FLOW_FLUSH:
    case DPU_MSG_FLOW_DUMP_DONE:
    case DPU_MSG_PORT_EVENT:
    case DPU_MSG_CT_SET_MAXCONNS:
    case DPU_MSG_CT_GET_MAXCONNS:
    case DPU_MSG_CT_GET_NCONNS:
    case DPU_MSG_CT_DEL_TP:
    case DPU_MSG_BOND_DEL:
    case DPU_N_MSGS:
    default:
        break;
    }
}

int
LLVMFuzzerInitialize(int *argc OVS_UNUSED, char ***argv OVS_UNUSED)
{
    /* The parsers log what they reject: at the fuzzer's rate, only noise. */
    vlog_set_levels(NULL, VLF_ANY_DESTINATION, VLL_OFF);
    /* As the agent does before its datapath runs any action. */
    odp_execute_init();
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    while (size) {
        int frame = dpu_msg_frame_len(data, size);
        bool whole = frame > 0 && frame <= size;
        size_t len = whole ? frame : size;
        struct ofpbuf *b = ofpbuf_clone_data(data, len);
        struct dpu_msg msg;
        char *why;
        int error;

        error = dpu_msg_decode(b, &msg, &why);
        if (!whole) {
            /* Not a whole message: the decoder must say so. */
            ovs_assert(error == EPROTO);
        }
        if (error) {
            ovs_assert(why);
            free(why);
        } else {
            ovs_assert(!why);
            fuzz_msg(b, &msg);
        }
        ofpbuf_delete(b);

        data += len;
        size -= len;
    }
    return 0;
}
