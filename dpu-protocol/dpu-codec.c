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
#include "dpu-codec.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <sys/socket.h>

#include "byte-order.h"
#include "ct-dpif.h"
#include "dp-packet.h"
#include "dpif.h"
#include "dpif-netdev.h"
#include "hash.h"
#include "netdev.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofp-meter.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/vlog.h"
#include "ofproto/ofproto.h"
#include "packets.h"
#include "smap.h"
#include "sset.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(dpu_codec);

/* dpu-wire.h numbers what Open vSwitch's own headers number too, so that a
 * vendor needs only it: they must agree. */
BUILD_ASSERT_DECL(sizeof(struct dpu_nlattr) == sizeof(struct nlattr));
BUILD_ASSERT_DECL(DPU_NLA_HDRLEN == NLA_HDRLEN);
BUILD_ASSERT_DECL(DPU_NLA_ALIGNTO == NLA_ALIGNTO);
BUILD_ASSERT_DECL(DPU_NETDEV_UP == NETDEV_UP);
BUILD_ASSERT_DECL(DPU_NETDEV_PROMISC == NETDEV_PROMISC);
BUILD_ASSERT_DECL(DPU_NETDEV_LOOPBACK == NETDEV_LOOPBACK);
BUILD_ASSERT_DECL(DPU_FP_CREATE == DPIF_FP_CREATE);
BUILD_ASSERT_DECL(DPU_FP_MODIFY == DPIF_FP_MODIFY);
BUILD_ASSERT_DECL(DPU_FP_ZERO_STATS == DPIF_FP_ZERO_STATS);
BUILD_ASSERT_DECL(DPU_FP_PROBE == DPIF_FP_PROBE);
BUILD_ASSERT_DECL(DPU_UC_MISS == DPIF_UC_MISS);
BUILD_ASSERT_DECL(DPU_UC_ACTION == DPIF_UC_ACTION);

/* Shorthands for policy entries. */
#define REQ(TYPE) { .type = TYPE }
#define OPT(TYPE) { .type = TYPE, .optional = true }
#define STR_REQ { .type = NL_A_STRING, .max_len = 1024 }
#define STR_OPT { .type = NL_A_STRING, .max_len = 1024, .optional = true }
#define ETH_OPT { .type = NL_A_UNSPEC, .min_len = 6, .max_len = 6, \
                  .optional = true }
#define ETH_REQ { .type = NL_A_UNSPEC, .min_len = 6, .max_len = 6 }
#define PORT_NAME_REQ { .type = NL_A_STRING, .min_len = 2, .max_len = 256 }
#define QOS_TYPE_REQ { .type = NL_A_STRING, .max_len = 64 }
#define PKT_REQ { .type = NL_A_UNSPEC, .min_len = 14, .max_len = UINT16_MAX }

/* Policies for requests and asynchronous messages, by type.  An attribute
 * without an entry is ignored (see "Versions" in dpu-wire.h). */
static const struct nl_policy hello_request_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_BYTE_ORDER] = REQ(NL_A_U32),
    [DPU_ATTR_HOST_NAME] = STR_OPT,
    [DPU_ATTR_DP_NAME] = STR_REQ,
    [DPU_ATTR_WANT_UPCALLS] = OPT(NL_A_FLAG),
};
static const struct nl_policy hello_reply_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_BYTE_ORDER] = REQ(NL_A_U32),
    [DPU_ATTR_VENDOR] = STR_REQ,
    [DPU_ATTR_MODEL] = STR_REQ,
    [DPU_ATTR_HW_VERSION] = STR_REQ,
    [DPU_ATTR_FIRMWARE] = STR_REQ,
    [DPU_ATTR_SERIAL] = STR_REQ,
    [DPU_ATTR_IMAGE_VERSION] = STR_REQ,
    [DPU_ATTR_BOOT_ID] = REQ(NL_A_U128),
    [DPU_ATTR_CAPS] = REQ(NL_A_U32),
    [DPU_ATTR_DP_FEATURES] = REQ(NL_A_NESTED),
    [DPU_ATTR_ROLE] = OPT(NL_A_U32),
};
static const struct nl_policy empty_policy[DPU_ATTR_MAX + 1];
static const struct nl_policy error_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_ERRNO] = REQ(NL_A_U32),
    [DPU_ATTR_ERROR_MSG] = STR_OPT,
};
static const struct nl_policy dp_stats_reply_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_DP_STATS] = REQ(NL_A_NESTED),
};
static const struct nl_policy port_add_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_PORT_NO] = REQ(NL_A_U32),
    [DPU_ATTR_PORT_NAME] = PORT_NAME_REQ,
    [DPU_ATTR_PORT_TYPE] = { .type = NL_A_STRING, .max_len = 64 },
    [DPU_ATTR_PORT_OPTIONS] = OPT(NL_A_NESTED),
};
static const struct nl_policy port_del_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_PORT_NO] = REQ(NL_A_U32),
};
static const struct nl_policy port_dump_reply_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_PORT] = OPT(NL_A_NESTED),
};
static const struct nl_policy port_name_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_PORT_NAME] = PORT_NAME_REQ,
};
static const struct nl_policy netdev_get_reply_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_NETDEV_STATS] = REQ(NL_A_NESTED),
    [DPU_ATTR_MAC] = ETH_REQ,
    [DPU_ATTR_MTU] = REQ(NL_A_U32),
    [DPU_ATTR_CARRIER] = REQ(NL_A_U8),
    [DPU_ATTR_CARRIER_RESETS] = REQ(NL_A_U64),
    [DPU_ATTR_NETDEV_FLAGS] = REQ(NL_A_U32),
    [DPU_ATTR_IN6_ADDRS] = { .type = NL_A_UNSPEC, .optional = true,
                             .min_len = sizeof(struct dpu_in6_addr),
                             .max_len = (DPU_MAX_IN6_ADDRS
                                         * sizeof(struct dpu_in6_addr)) },
};
static const struct nl_policy netdev_set_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_PORT_NAME] = PORT_NAME_REQ,
    [DPU_ATTR_MTU] = OPT(NL_A_U32),
    [DPU_ATTR_MAC] = ETH_OPT,
    [DPU_ATTR_NETDEV_FLAGS] = OPT(NL_A_U32),
    [DPU_ATTR_NETDEV_FLAGS_MASK] = OPT(NL_A_U32),
    [DPU_ATTR_PORT_OPTIONS] = OPT(NL_A_NESTED),
};
static const struct nl_policy netdev_set_reply_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_NETDEV_FLAGS] = OPT(NL_A_U32),
};
static const struct nl_policy operate_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_OP] = REQ(NL_A_NESTED),
};
static const struct nl_policy operate_reply_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_OP_RESULT] = REQ(NL_A_NESTED),
};
static const struct nl_policy flow_dump_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_DUMP_ID] = REQ(NL_A_U32),
    [DPU_ATTR_MAX_FLOWS] = REQ(NL_A_U32),
    [DPU_ATTR_TERSE] = OPT(NL_A_FLAG),
};
static const struct nl_policy flow_dump_reply_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_FLOW] = OPT(NL_A_NESTED),
};
static const struct nl_policy flow_dump_done_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_DUMP_ID] = REQ(NL_A_U32),
};
static const struct nl_policy upcall_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_UPCALL] = REQ(NL_A_NESTED),
};
static const struct nl_policy meter_features_reply_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_METER_FEATURES] = REQ(NL_A_NESTED),
};
static const struct nl_policy meter_set_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_METER_ID] = REQ(NL_A_U32),
    [DPU_ATTR_METER] = REQ(NL_A_NESTED),
};
static const struct nl_policy meter_id_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_METER_ID] = REQ(NL_A_U32),
};
static const struct nl_policy meter_stats_reply_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_METER_STATS] = REQ(NL_A_NESTED),
};
static const struct nl_policy ct_flush_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_CT_ZONE] = OPT(NL_A_U16),
    [DPU_ATTR_CT_TUPLE] = OPT(NL_A_NESTED),
};
static const struct nl_policy ct_dump_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_DUMP_ID] = REQ(NL_A_U32),
    [DPU_ATTR_CT_ZONE] = OPT(NL_A_U16),
};
static const struct nl_policy ct_dump_reply_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_CT_ENTRY] = OPT(NL_A_NESTED),
};
static const struct nl_policy ct_value_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_CT_VALUE] = REQ(NL_A_U32),
};
static const struct nl_policy ct_set_limits_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_CT_VALUE] = OPT(NL_A_U32),
    [DPU_ATTR_CT_ZONE_LIMIT] = OPT(NL_A_NESTED),
};
static const struct nl_policy ct_zone_limits_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_CT_ZONE_LIMIT] = OPT(NL_A_NESTED),
};
static const struct nl_policy ct_get_limits_reply_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_CT_VALUE] = REQ(NL_A_U32),
    [DPU_ATTR_CT_ZONE_LIMIT] = OPT(NL_A_NESTED),
};
static const struct nl_policy ct_tp_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_CT_TIMEOUT_POLICY] = REQ(NL_A_NESTED),
};
static const struct nl_policy set_config_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_CONFIG] = REQ(NL_A_NESTED),
};
static const struct nl_policy qos_types_reply_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_QOS_CAPS] = OPT(NL_A_NESTED),
};
static const struct nl_policy qos_reply_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_QOS_TYPE] = QOS_TYPE_REQ,
    [DPU_ATTR_QOS_DETAILS] = REQ(NL_A_NESTED),
};
static const struct nl_policy qos_set_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_PORT_NAME] = PORT_NAME_REQ,
    [DPU_ATTR_QOS_TYPE] = QOS_TYPE_REQ,
    [DPU_ATTR_QOS_DETAILS] = OPT(NL_A_NESTED),
};
static const struct nl_policy queue_get_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_PORT_NAME] = PORT_NAME_REQ,
    [DPU_ATTR_QUEUE_ID] = REQ(NL_A_U32),
    [DPU_ATTR_WANT_STATS] = OPT(NL_A_FLAG),
};
static const struct nl_policy queue_get_reply_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_QUEUE] = REQ(NL_A_NESTED),
};
static const struct nl_policy queue_set_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_PORT_NAME] = PORT_NAME_REQ,
    [DPU_ATTR_QUEUE_ID] = REQ(NL_A_U32),
    [DPU_ATTR_QOS_DETAILS] = OPT(NL_A_NESTED),
};
static const struct nl_policy queue_del_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_PORT_NAME] = PORT_NAME_REQ,
    [DPU_ATTR_QUEUE_ID] = REQ(NL_A_U32),
};
static const struct nl_policy queue_dump_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_PORT_NAME] = PORT_NAME_REQ,
    [DPU_ATTR_WANT_STATS] = OPT(NL_A_FLAG),
};
static const struct nl_policy queue_dump_reply_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_QUEUE] = OPT(NL_A_NESTED),
};

static const struct nl_policy get_metrics_reply_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_METRICS] = REQ(NL_A_NESTED),
};

#define HANDOVER_OPT { .type = NL_A_UNSPEC, .optional = true,            \
                       .max_len = (DPU_MAX_HANDOVER                      \
                                   * sizeof(struct dpu_handover)) }
static const struct nl_policy set_role_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_ROLE] = REQ(NL_A_U32),
    [DPU_ATTR_LEASE_MS] = OPT(NL_A_U32),
    [DPU_ATTR_UPLINK] = OPT(NL_A_U32),
    [DPU_ATTR_DRAIN_MS] = OPT(NL_A_U32),
    [DPU_ATTR_HANDOVER] = HANDOVER_OPT,
};
static const struct nl_policy set_role_reply_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_HANDOVER] = HANDOVER_OPT,
};
static const struct nl_policy ipfix_set_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_IPFIX] = REQ(NL_A_NESTED),
};
static const struct nl_policy alarm_msg_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_ALARM] = REQ(NL_A_NESTED),
};
static const struct nl_policy dpu_event_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_EVENT] = STR_REQ,
    [DPU_ATTR_ERROR_MSG] = STR_OPT,
    [DPU_ATTR_ROLE] = OPT(NL_A_U32),
    [DPU_ATTR_HEALTH] = OPT(NL_A_NESTED),
};

/* The message catalogue: for every message type, its name, how it travels,
 * the capability that a DPU must announce to be sent one, and the policies
 * of its attributes.  Requests and asynchronous messages are checked
 * against 'request', successful replies against 'reply'. */
static const struct dpu_msg_info dpu_msgs[DPU_N_MSGS] = {
#define MSG(TYPE, NAME, DIR, CAP, REQ_POLICY, REPLY_POLICY)             \
    [DPU_MSG_##TYPE] = { NAME, DPU_DIR_##DIR, CAP, REQ_POLICY, REPLY_POLICY }
#define REQ_MSG(TYPE, NAME, CAP, REQ_POLICY, REPLY_POLICY)              \
    MSG(TYPE, NAME, REQUEST, CAP, REQ_POLICY, REPLY_POLICY)
    MSG(ERROR, "error", REPLY, 0, NULL, error_policy),
    MSG(HELLO, "hello", HELLO, 0, hello_request_policy, hello_reply_policy),
    REQ_MSG(ECHO, "echo", 0, empty_policy, empty_policy),
    REQ_MSG(DP_GET_STATS, "dp-get-stats", 0, empty_policy,
            dp_stats_reply_policy),
    REQ_MSG(PORT_ADD, "port-add", 0, port_add_policy, empty_policy),
    REQ_MSG(PORT_DEL, "port-del", 0, port_del_policy, empty_policy),
    REQ_MSG(PORT_DUMP, "port-dump", 0, empty_policy, port_dump_reply_policy),
    REQ_MSG(NETDEV_GET, "netdev-get", 0, port_name_policy,
            netdev_get_reply_policy),
    REQ_MSG(NETDEV_SET, "netdev-set", 0, netdev_set_policy,
            netdev_set_reply_policy),
    REQ_MSG(OPERATE, "operate", 0, operate_policy, operate_reply_policy),
    REQ_MSG(FLOW_FLUSH, "flow-flush", 0, empty_policy, empty_policy),
    REQ_MSG(FLOW_DUMP, "flow-dump", 0, flow_dump_policy,
            flow_dump_reply_policy),
    REQ_MSG(FLOW_DUMP_DONE, "flow-dump-done", 0, flow_dump_done_policy,
            empty_policy),
    MSG(UPCALL, "upcall", ASYNC, 0, upcall_policy, NULL),
    MSG(PORT_EVENT, "port-event", ASYNC, 0, port_name_policy, NULL),
    REQ_MSG(METER_FEATURES, "meter-features", DPU_CAP_METERS, empty_policy,
            meter_features_reply_policy),
    REQ_MSG(METER_SET, "meter-set", DPU_CAP_METERS, meter_set_policy,
            empty_policy),
    REQ_MSG(METER_GET, "meter-get", DPU_CAP_METERS, meter_id_policy,
            meter_stats_reply_policy),
    REQ_MSG(METER_DEL, "meter-del", DPU_CAP_METERS, meter_id_policy,
            meter_stats_reply_policy),
    REQ_MSG(CT_FLUSH, "ct-flush", DPU_CAP_CT, ct_flush_policy, empty_policy),
    REQ_MSG(CT_DUMP, "ct-dump", DPU_CAP_CT, ct_dump_policy,
            ct_dump_reply_policy),
    REQ_MSG(CT_SET_MAXCONNS, "ct-set-maxconns", DPU_CAP_CT, ct_value_policy,
            empty_policy),
    REQ_MSG(CT_GET_MAXCONNS, "ct-get-maxconns", DPU_CAP_CT, empty_policy,
            ct_value_policy),
    REQ_MSG(CT_GET_NCONNS, "ct-get-nconns", DPU_CAP_CT, empty_policy,
            ct_value_policy),
    REQ_MSG(DP_SET_CONFIG, "dp-set-config", 0, set_config_policy,
            empty_policy),
    REQ_MSG(CT_SET_LIMITS, "ct-set-limits", DPU_CAP_CT, ct_set_limits_policy,
            empty_policy),
    REQ_MSG(CT_GET_LIMITS, "ct-get-limits", DPU_CAP_CT, ct_zone_limits_policy,
            ct_get_limits_reply_policy),
    REQ_MSG(CT_DEL_LIMITS, "ct-del-limits", DPU_CAP_CT, ct_zone_limits_policy,
            empty_policy),
    REQ_MSG(CT_SET_TP, "ct-set-timeout-policy", DPU_CAP_CT, ct_tp_policy,
            empty_policy),
    REQ_MSG(CT_GET_TP, "ct-get-timeout-policy", DPU_CAP_CT, ct_value_policy,
            ct_tp_policy),
    REQ_MSG(CT_DEL_TP, "ct-del-timeout-policy", DPU_CAP_CT, ct_value_policy,
            empty_policy),
    REQ_MSG(QOS_GET_TYPES, "qos-get-types", 0, port_name_policy,
            qos_types_reply_policy),
    REQ_MSG(QOS_GET, "qos-get", 0, port_name_policy, qos_reply_policy),
    REQ_MSG(QOS_SET, "qos-set", 0, qos_set_policy, empty_policy),
    REQ_MSG(QUEUE_GET, "queue-get", 0, queue_get_policy,
            queue_get_reply_policy),
    REQ_MSG(QUEUE_SET, "queue-set", 0, queue_set_policy, empty_policy),
    REQ_MSG(QUEUE_DEL, "queue-del", 0, queue_del_policy, empty_policy),
    REQ_MSG(QUEUE_DUMP, "queue-dump", 0, queue_dump_policy,
            queue_dump_reply_policy),
    REQ_MSG(GET_METRICS, "get-metrics", 0, empty_policy,
            get_metrics_reply_policy),
    REQ_MSG(IPFIX_SET, "ipfix-set", DPU_CAP_IPFIX, ipfix_set_policy,
            empty_policy),
    REQ_MSG(SET_ROLE, "set-role", DPU_CAP_HA, set_role_policy,
            set_role_reply_policy),
    MSG(DPU_EVENT, "dpu-event", ASYNC, 0, dpu_event_policy, NULL),
    REQ_MSG(ALARM, "alarm", DPU_CAP_IPFIX, alarm_msg_policy, empty_policy),
#undef REQ_MSG
#undef MSG
};

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

static const struct nl_policy features_policy[DPU_FEAT_ATTR_MAX + 1] = {
    [DPU_FEAT_ATTR_EXPLICIT_DROP] = OPT(NL_A_FLAG),
    [DPU_FEAT_ATTR_LB_OUTPUT] = OPT(NL_A_FLAG),
    [DPU_FEAT_ATTR_DATAPATH_VERSION] = STR_OPT,
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

static const struct nl_policy config_pair_policy[DPU_CONFIG_ATTR_MAX + 1] = {
    [DPU_CONFIG_ATTR_KEY] = STR_REQ,
    [DPU_CONFIG_ATTR_VALUE] = { .type = NL_A_STRING, .max_len = 65536 },
};

const struct dpu_msg_info *
dpu_msg_info(unsigned int type)
{
    return type < DPU_N_MSGS && dpu_msgs[type].name ? &dpu_msgs[type] : NULL;
}

const char *
dpu_msg_type_to_string(enum dpu_msg_type type)
{
    const struct dpu_msg_info *info = dpu_msg_info(type);

    return info ? info->name : "<unknown>";
}

const char *
dpu_role_to_string(uint32_t role)
{
    return (role == DPU_ROLE_ACTIVE ? "active"
            : role == DPU_ROLE_STANDBY ? "standby"
            : role == DPU_ROLE_PREPARE ? "prepare"
            : "unknown");
}

int
dpu_role_from_string(const char *s)
{
    for (int role = DPU_ROLE_ACTIVE; role <= DPU_ROLE_PREPARE; role++) {
        if (!strcmp(s, dpu_role_to_string(role))) {
            return role;
        }
    }
    return -1;
}

uint32_t
dpu_packet_hash(const void *data, size_t size)
{
    return hash_bytes(data, size, 0);
}

const struct dpu_handover *
dpu_parse_handover(const struct nlattr *nla, size_t *np, struct ds *why)
{
    const struct dpu_handover *h = nl_attr_get(nla);
    size_t len = nl_attr_get_size(nla);
    size_t n = len / sizeof *h;

    *np = 0;
    if (n > DPU_MAX_HANDOVER || len % sizeof *h) {
        ds_put_format(why, "HANDOVER of %"PRIuSIZE" bytes is not 0 to %d "
                      "entries of %"PRIuSIZE" bytes", len, DPU_MAX_HANDOVER,
                      sizeof *h);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        if (!h[i].n_hashes || h[i].n_hashes > DPU_HANDOVER_HASHES) {
            ds_put_format(why, "HANDOVER of port %"PRIu32" has %"PRIu32
                          " hashes (not 1 to %d)", h[i].port_no,
                          h[i].n_hashes, DPU_HANDOVER_HASHES);
            return NULL;
        }
        for (size_t j = 0; j < i; j++) {
            if (h[j].port_no == h[i].port_no) {
                ds_put_format(why, "HANDOVER has port %"PRIu32" twice",
                              h[i].port_no);
                return NULL;
            }
        }
    }
    *np = n;
    return h;
}

void
dpu_msg_start(struct ofpbuf *b, enum dpu_msg_type type, uint32_t xid,
              uint16_t flags)
{
    struct dpu_header *h;

    ofpbuf_clear(b);
    h = ofpbuf_put_zeros(b, sizeof *h);
    h->version = DPU_PROTOCOL_VERSION;
    h->type = type;
    h->flags = htons(flags);
    h->xid = htonl(xid);
}

void
dpu_msg_finish(struct ofpbuf *b)
{
    struct dpu_header *h = b->data;

    ovs_assert(b->size >= sizeof *h && b->size % NLA_ALIGNTO == 0);
    h->length = htonl(b->size);
}

void
dpu_msg_put_error(struct ofpbuf *b, uint32_t xid, int error,
                  const char *format, ...)
{
    va_list args;
    char *msg;

    va_start(args, format);
    msg = xvasprintf(format, args);
    va_end(args);

    dpu_msg_start(b, DPU_MSG_ERROR, xid, DPU_F_REPLY);
    nl_msg_put_u32(b, DPU_ATTR_ERRNO, error);
    nl_msg_put_string(b, DPU_ATTR_ERROR_MSG, msg);
    dpu_msg_finish(b);
    free(msg);
}

void
dpu_put_smap(struct ofpbuf *b, uint16_t type, const struct smap *smap)
{
    const struct smap_node *node;
    size_t outer = nl_msg_start_nested(b, type);

    SMAP_FOR_EACH (node, smap) {
        size_t pair = nl_msg_start_nested(b, DPU_CONFIG_ATTR_PAIR);
        nl_msg_put_string(b, DPU_CONFIG_ATTR_KEY, node->key);
        nl_msg_put_string(b, DPU_CONFIG_ATTR_VALUE, node->value);
        nl_msg_end_nested(b, pair);
    }
    nl_msg_end_nested(b, outer);
}

int
dpu_msg_frame_len(const void *data, size_t size)
{
    const struct dpu_header *h = data;
    uint32_t length;

    if (size < sizeof *h) {
        return 0;
    }
    if (h->version != DPU_PROTOCOL_VERSION) {
        return -EPROTO;
    }
    length = ntohl(h->length);
    if (length < sizeof *h || length > DPU_MAX_MSG_LEN
        || length % NLA_ALIGNTO) {
        return -EPROTO;
    }
    return length;
}

static int
decode_error(char **errorp, int error, const char *format, ...)
    OVS_PRINTF_FORMAT(3, 4);

static int
decode_error(char **errorp, int error, const char *format, ...)
{
    if (errorp) {
        va_list args;

        va_start(args, format);
        *errorp = xvasprintf(format, args);
        va_end(args);
    }
    return error;
}

int
dpu_msg_decode(const struct ofpbuf *b, struct dpu_msg *msg, char **errorp)
{
    const struct dpu_header *h = b->data;
    const struct dpu_msg_info *info;
    const struct nl_policy *policy;
    int len;

    if (errorp) {
        *errorp = NULL;
    }
    memset(msg, 0, sizeof *msg);

    len = dpu_msg_frame_len(b->data, b->size);
    if (len <= 0) {
        return decode_error(errorp, EPROTO,
                            len ? "bad message header" : "truncated header");
    } else if (len != b->size) {
        return decode_error(errorp, EPROTO, "header length %d but message "
                            "is %"PRIu32" bytes", len, b->size);
    }

    msg->type = h->type;
    msg->flags = ntohs(h->flags);
    msg->xid = ntohl(h->xid);

    info = dpu_msg_info(msg->type);
    if (!info) {
        return decode_error(errorp, EOPNOTSUPP, "unknown message type %d",
                            msg->type);
    }

    if (msg->flags & DPU_F_REPLY) {
        policy = info->reply;
        if (!policy) {
            return decode_error(errorp, EPROTO, "%s cannot be a reply",
                                info->name);
        }
        if (!msg->xid) {
            return decode_error(errorp, EPROTO, "reply with xid 0");
        }
    } else {
        policy = info->request;
        if (info->dir == DPU_DIR_REPLY) {
            return decode_error(errorp, EPROTO, "%s message that is not "
                                "a reply", info->name);
        }
        if (!msg->xid != (info->dir == DPU_DIR_ASYNC)) {
            return decode_error(errorp, EPROTO, "%s with %s xid",
                                info->name, msg->xid ? "nonzero" : "zero");
        }
    }

    if (!nl_policy_parse(b, sizeof *h, policy, msg->attrs,
                         ARRAY_SIZE(msg->attrs))) {
        return decode_error(errorp, EINVAL, "%s%s: invalid or missing "
                            "attributes", info->name,
                            msg->flags & DPU_F_REPLY ? " reply" : "");
    }
    return 0;
}

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

bool
dpu_parse_features(const struct nlattr *nla, struct nlattr *attrs[])
{
    return nl_parse_nested(nla, features_policy, attrs,
                           DPU_FEAT_ATTR_MAX + 1);
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

bool
dpu_parse_smap(const struct nlattr *nla, struct smap *smap)
{
    const struct nlattr *pair;
    size_t left;

    NL_NESTED_FOR_EACH (pair, left, nla) {
        struct nlattr *kv[DPU_CONFIG_ATTR_MAX + 1];

        if (nl_attr_type(pair) != DPU_CONFIG_ATTR_PAIR) {
            /* Unknown attributes are ignored (see "Versioning"). */
            continue;
        }
        if (!nl_parse_nested(pair, config_pair_policy, kv, ARRAY_SIZE(kv))) {
            return false;
        }
        smap_replace(smap, nl_attr_get_string(kv[DPU_CONFIG_ATTR_KEY]),
                     nl_attr_get_string(kv[DPU_CONFIG_ATTR_VALUE]));
    }
    return !left;
}

uint64_t
dpu_attr_u64(const struct nlattr *nla)
{
    return nla ? nl_attr_get_u64(nla) : 0;
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

struct dp_packet *
dpu_packet_from_attr(const struct nlattr *nla)
{
    size_t size = nl_attr_get_size(nla);
    struct dp_packet *packet;

    packet = dp_packet_new_with_headroom(
        MAX(size, VLAN_ETH_HEADER_LEN + ETH_PAYLOAD_MAX), DP_NETDEV_HEADROOM);
    dp_packet_put(packet, nl_attr_get(nla), size);
    return packet;
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

/* Puts 'value' as 'type' into 'b' unless it is UINT64_MAX (unknown). */
static void
put_known_u64(struct ofpbuf *b, uint16_t type, uint64_t value)
{
    if (value != UINT64_MAX) {
        nl_msg_put_u64(b, type, value);
    }
}

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

/* Returns the value of optional u64 statistic 'nla', UINT64_MAX (unknown)
 * if it is null. */
static uint64_t
get_known_u64(const struct nlattr *nla)
{
    return nla ? nl_attr_get_u64(nla) : UINT64_MAX;
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

/* Metrics. */

static const struct nl_policy metrics_policy[DPU_METRICS_ATTR_MAX + 1] = {
    [DPU_METRICS_ATTR_EMULATED] = OPT(NL_A_FLAG),
    [DPU_METRICS_ATTR_INTERVAL_MS] = REQ(NL_A_U32),
    [DPU_METRICS_ATTR_CORE] = OPT(NL_A_NESTED),
    [DPU_METRICS_ATTR_MEM_USED] = REQ(NL_A_U64),
    [DPU_METRICS_ATTR_MEM_TOTAL] = REQ(NL_A_U64),
    [DPU_METRICS_ATTR_DP_STATS] = REQ(NL_A_NESTED),
    [DPU_METRICS_ATTR_PORT] = OPT(NL_A_NESTED),
    [DPU_METRICS_ATTR_UPCALLS] = REQ(NL_A_U64),
    [DPU_METRICS_ATTR_UPCALL_RATE] = REQ(NL_A_U32),
    [DPU_METRICS_ATTR_FLOW_SETUPS] = REQ(NL_A_U64),
    [DPU_METRICS_ATTR_FLOW_SETUP_AVG_US] = OPT(NL_A_U32),
    [DPU_METRICS_ATTR_FLOW_SETUP_MAX_US] = OPT(NL_A_U32),
    [DPU_METRICS_ATTR_INJECTED] = OPT(NL_A_FLAG),
};

static const struct nl_policy metrics_core_policy[DPU_METRICS_ATTR_MAX + 1] = {
    [DPU_METRICS_ATTR_NAME] = { .type = NL_A_STRING, .max_len = 64 },
    [DPU_METRICS_ATTR_LOAD] = REQ(NL_A_U32),
};

static const struct nl_policy metrics_port_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_PORT_NO] = REQ(NL_A_U32),
    [DPU_ATTR_PORT_NAME] = PORT_NAME_REQ,
    [DPU_ATTR_NETDEV_STATS] = REQ(NL_A_NESTED),
};

void
dpu_put_metrics(struct ofpbuf *b, const struct dpu_metrics *m)
{
    size_t ofs = nl_msg_start_nested(b, DPU_ATTR_METRICS);
    size_t sub;

    if (m->emulated) {
        nl_msg_put_flag(b, DPU_METRICS_ATTR_EMULATED);
    }
    if (m->injected) {
        nl_msg_put_flag(b, DPU_METRICS_ATTR_INJECTED);
    }
    nl_msg_put_u32(b, DPU_METRICS_ATTR_INTERVAL_MS, m->interval_ms);
    for (size_t i = 0; i < MIN(m->n_cores, DPU_METRICS_MAX_CORES); i++) {
        sub = nl_msg_start_nested(b, DPU_METRICS_ATTR_CORE);
        nl_msg_put_string(b, DPU_METRICS_ATTR_NAME, m->cores[i].name);
        nl_msg_put_u32(b, DPU_METRICS_ATTR_LOAD, MIN(m->cores[i].load,
                                                     10000));
        nl_msg_end_nested(b, sub);
    }
    nl_msg_put_u64(b, DPU_METRICS_ATTR_MEM_USED, m->mem_used);
    nl_msg_put_u64(b, DPU_METRICS_ATTR_MEM_TOTAL, m->mem_total);

    sub = nl_msg_start_nested(b, DPU_METRICS_ATTR_DP_STATS);
    nl_msg_put_u64(b, DPU_STATS_ATTR_HIT, m->n_hit);
    nl_msg_put_u64(b, DPU_STATS_ATTR_MISSED, m->n_missed);
    nl_msg_put_u64(b, DPU_STATS_ATTR_LOST, m->n_lost);
    nl_msg_put_u64(b, DPU_STATS_ATTR_FLOWS, m->n_flows);
    nl_msg_end_nested(b, sub);

    for (size_t i = 0; i < m->n_ports; i++) {
        const struct dpu_metrics_port *p = &m->ports[i];
        size_t stats;

        sub = nl_msg_start_nested(b, DPU_METRICS_ATTR_PORT);
        nl_msg_put_odp_port(b, DPU_ATTR_PORT_NO, p->port_no);
        nl_msg_put_string(b, DPU_ATTR_PORT_NAME, p->name);
        stats = nl_msg_start_nested(b, DPU_ATTR_NETDEV_STATS);
        put_known_u64(b, DPU_STATS_ATTR_RX_PACKETS, p->rx_packets);
        put_known_u64(b, DPU_STATS_ATTR_TX_PACKETS, p->tx_packets);
        put_known_u64(b, DPU_STATS_ATTR_RX_BYTES, p->rx_bytes);
        put_known_u64(b, DPU_STATS_ATTR_TX_BYTES, p->tx_bytes);
        put_known_u64(b, DPU_STATS_ATTR_RX_ERRORS, p->rx_errors);
        put_known_u64(b, DPU_STATS_ATTR_TX_ERRORS, p->tx_errors);
        put_known_u64(b, DPU_STATS_ATTR_RX_DROPPED, p->rx_dropped);
        put_known_u64(b, DPU_STATS_ATTR_TX_DROPPED, p->tx_dropped);
        nl_msg_end_nested(b, stats);
        nl_msg_end_nested(b, sub);
    }

    nl_msg_put_u64(b, DPU_METRICS_ATTR_UPCALLS, m->upcalls);
    nl_msg_put_u32(b, DPU_METRICS_ATTR_UPCALL_RATE, m->upcall_rate);
    nl_msg_put_u64(b, DPU_METRICS_ATTR_FLOW_SETUPS, m->flow_setups);
    if (m->has_flow_setup) {
        nl_msg_put_u32(b, DPU_METRICS_ATTR_FLOW_SETUP_AVG_US,
                       m->flow_setup_avg_us);
        nl_msg_put_u32(b, DPU_METRICS_ATTR_FLOW_SETUP_MAX_US,
                       m->flow_setup_max_us);
    }
    nl_msg_end_nested(b, ofs);
}

static bool
parse_metrics_core(const struct nlattr *nla, struct dpu_metrics_core *core,
                   struct ds *why)
{
    struct nlattr *a[DPU_METRICS_ATTR_MAX + 1];

    if (!nl_parse_nested(nla, metrics_core_policy, a, ARRAY_SIZE(a))) {
        ds_put_cstr(why, "malformed core");
        return false;
    }
    core->name = xstrdup(nl_attr_get_string(a[DPU_METRICS_ATTR_NAME]));
    core->load = nl_attr_get_u32(a[DPU_METRICS_ATTR_LOAD]);
    if (core->load > 10000) {
        ds_put_format(why, "core %s: load %"PRIu32" is above 10000",
                      core->name, core->load);
        return false;
    }
    return true;
}

static bool
parse_metrics_port(const struct nlattr *nla, struct dpu_metrics_port *port,
                   struct ds *why)
{
    struct nlattr *a[DPU_ATTR_MAX + 1];
    struct nlattr *sa[DPU_STATS_ATTR_MAX + 1];

    if (!nl_parse_nested(nla, metrics_port_policy, a, ARRAY_SIZE(a))) {
        ds_put_cstr(why, "malformed port");
        return false;
    }
    port->port_no = nl_attr_get_odp_port(a[DPU_ATTR_PORT_NO]);
    port->name = xstrdup(nl_attr_get_string(a[DPU_ATTR_PORT_NAME]));
    if (!dpu_parse_stats(a[DPU_ATTR_NETDEV_STATS], sa)) {
        ds_put_format(why, "port %s: malformed statistics", port->name);
        return false;
    }
    port->rx_packets = get_known_u64(sa[DPU_STATS_ATTR_RX_PACKETS]);
    port->tx_packets = get_known_u64(sa[DPU_STATS_ATTR_TX_PACKETS]);
    port->rx_bytes = get_known_u64(sa[DPU_STATS_ATTR_RX_BYTES]);
    port->tx_bytes = get_known_u64(sa[DPU_STATS_ATTR_TX_BYTES]);
    port->rx_errors = get_known_u64(sa[DPU_STATS_ATTR_RX_ERRORS]);
    port->tx_errors = get_known_u64(sa[DPU_STATS_ATTR_TX_ERRORS]);
    port->rx_dropped = get_known_u64(sa[DPU_STATS_ATTR_RX_DROPPED]);
    port->tx_dropped = get_known_u64(sa[DPU_STATS_ATTR_TX_DROPPED]);
    return true;
}

bool
dpu_parse_metrics(const struct nlattr *nla, struct dpu_metrics *m,
                  struct ds *why)
{
    struct nlattr *a[DPU_METRICS_ATTR_MAX + 1];
    struct nlattr *sa[DPU_STATS_ATTR_MAX + 1];
    const struct nlattr *sub;
    size_t left, n_cores = 0, n_ports = 0;

    memset(m, 0, sizeof *m);
    if (!nl_parse_nested(nla, metrics_policy, a, ARRAY_SIZE(a))) {
        ds_put_cstr(why, "invalid or missing attributes");
        return false;
    }
    if (!dpu_parse_stats(a[DPU_METRICS_ATTR_DP_STATS], sa)) {
        ds_put_cstr(why, "malformed datapath statistics");
        return false;
    }
    NL_NESTED_FOR_EACH (sub, left, nla) {
        n_cores += nl_attr_type(sub) == DPU_METRICS_ATTR_CORE;
        n_ports += nl_attr_type(sub) == DPU_METRICS_ATTR_PORT;
    }
    if (n_cores > DPU_METRICS_MAX_CORES) {
        ds_put_format(why, "%"PRIuSIZE" cores, more than %d", n_cores,
                      DPU_METRICS_MAX_CORES);
        return false;
    }

    m->emulated = a[DPU_METRICS_ATTR_EMULATED] != NULL;
    m->injected = a[DPU_METRICS_ATTR_INJECTED] != NULL;
    m->interval_ms = nl_attr_get_u32(a[DPU_METRICS_ATTR_INTERVAL_MS]);
    m->mem_used = nl_attr_get_u64(a[DPU_METRICS_ATTR_MEM_USED]);
    m->mem_total = nl_attr_get_u64(a[DPU_METRICS_ATTR_MEM_TOTAL]);
    m->n_hit = dpu_attr_u64(sa[DPU_STATS_ATTR_HIT]);
    m->n_missed = dpu_attr_u64(sa[DPU_STATS_ATTR_MISSED]);
    m->n_lost = dpu_attr_u64(sa[DPU_STATS_ATTR_LOST]);
    m->n_flows = dpu_attr_u64(sa[DPU_STATS_ATTR_FLOWS]);
    m->upcalls = nl_attr_get_u64(a[DPU_METRICS_ATTR_UPCALLS]);
    m->upcall_rate = nl_attr_get_u32(a[DPU_METRICS_ATTR_UPCALL_RATE]);
    m->flow_setups = nl_attr_get_u64(a[DPU_METRICS_ATTR_FLOW_SETUPS]);
    if (a[DPU_METRICS_ATTR_FLOW_SETUP_AVG_US]
        && a[DPU_METRICS_ATTR_FLOW_SETUP_MAX_US]) {
        m->has_flow_setup = true;
        m->flow_setup_avg_us = nl_attr_get_u32(
            a[DPU_METRICS_ATTR_FLOW_SETUP_AVG_US]);
        m->flow_setup_max_us = nl_attr_get_u32(
            a[DPU_METRICS_ATTR_FLOW_SETUP_MAX_US]);
    }

    m->cores = xcalloc(MAX(n_cores, 1), sizeof *m->cores);
    m->ports = xcalloc(MAX(n_ports, 1), sizeof *m->ports);
    NL_NESTED_FOR_EACH (sub, left, nla) {
        if (nl_attr_type(sub) == DPU_METRICS_ATTR_CORE) {
            if (!parse_metrics_core(sub, &m->cores[m->n_cores++], why)) {
                return false;
            }
        } else if (nl_attr_type(sub) == DPU_METRICS_ATTR_PORT) {
            if (!parse_metrics_port(sub, &m->ports[m->n_ports++], why)) {
                return false;
            }
        }
    }
    return true;
}

void
dpu_metrics_destroy(struct dpu_metrics *m)
{
    if (m) {
        for (size_t i = 0; i < m->n_cores; i++) {
            free(m->cores[i].name);
        }
        free(m->cores);
        for (size_t i = 0; i < m->n_ports; i++) {
            free(m->ports[i].name);
        }
        free(m->ports);
        memset(m, 0, sizeof *m);
    }
}

void
dpu_metrics_format_load(uint32_t load, struct ds *s)
{
    ds_put_format(s, "%"PRIu32".%02"PRIu32, load / 100, load % 100);
}

void
dpu_metrics_format_flow_setups(const struct dpu_metrics *m, struct ds *s)
{
    ds_put_format(s, "flow setups %"PRIu64, m->flow_setups);
    if (m->has_flow_setup) {
        ds_put_format(s, " (latency avg %"PRIu32" us, max %"PRIu32" us)",
                      m->flow_setup_avg_us, m->flow_setup_max_us);
    }
}

void
dpu_metrics_format(const struct dpu_metrics *m, struct ds *s)
{
    ds_put_format(s, "metrics of a%s, sampled over %"PRIu32" ms%s\n",
                  m->emulated ? "n emulated DPU (its agent's threads and "
                  "memory)" : " DPU", m->interval_ms,
                  m->injected ? " (some figures injected)" : "");
    ds_put_format(s, "memory: %"PRIu64" kB used of %"PRIu64" kB\n",
                  m->mem_used / 1024, m->mem_total / 1024);
    ds_put_format(s, "datapath: %"PRIu64" flows, hit %"PRIu64", missed %"
                  PRIu64", lost %"PRIu64"\n", m->n_flows, m->n_hit,
                  m->n_missed, m->n_lost);
    ds_put_format(s, "upcalls: %"PRIu64", %"PRIu32"/s, ", m->upcalls,
                  m->upcall_rate);
    dpu_metrics_format_flow_setups(m, s);
    ds_put_cstr(s, "\n\n");

    ds_put_format(s, "%-24s %7s\n", "CORE", "LOAD%");
    for (size_t i = 0; i < m->n_cores; i++) {
        struct ds load = DS_EMPTY_INITIALIZER;

        dpu_metrics_format_load(m->cores[i].load, &load);
        ds_put_format(s, "%-24s %7s\n", m->cores[i].name, ds_cstr(&load));
        ds_destroy(&load);
    }

    ds_put_format(s, "\n%-16s %10s %12s %8s %8s %10s %12s %8s %8s\n",
                  "PORT", "RX_PKTS", "RX_BYTES", "RX_DROP", "RX_ERR",
                  "TX_PKTS", "TX_BYTES", "TX_DROP", "TX_ERR");
    for (size_t i = 0; i < m->n_ports; i++) {
        const struct dpu_metrics_port *p = &m->ports[i];
        const uint64_t values[] = {
            p->rx_packets, p->rx_bytes, p->rx_dropped, p->rx_errors,
            p->tx_packets, p->tx_bytes, p->tx_dropped, p->tx_errors,
        };
        static const int widths[] = { 10, 12, 8, 8, 10, 12, 8, 8 };

        ds_put_format(s, "%-16s", p->name);
        for (size_t j = 0; j < ARRAY_SIZE(values); j++) {
            if (values[j] == UINT64_MAX) {
                /* Not counted by the device. */
                ds_put_format(s, " %*s", widths[j], "-");
            } else {
                ds_put_format(s, " %*"PRIu64, widths[j], values[j]);
            }
        }
        ds_put_char(s, '\n');
    }
}

/* Hardware health. */

static const struct nl_policy health_policy[DPU_HEALTH_ATTR_MAX + 1] = {
    [DPU_HEALTH_ATTR_SENSOR] = { .type = NL_A_STRING, .min_len = 2,
                                 .max_len = 64 },
    [DPU_HEALTH_ATTR_SEVERITY] = REQ(NL_A_U32),
    [DPU_HEALTH_ATTR_VALUE] = { .type = NL_A_STRING, .max_len = 64,
                                .optional = true },
    [DPU_HEALTH_ATTR_MESSAGE] = STR_OPT,
};

static const char *const severity_names[DPU_N_SEVERITIES] = {
    [DPU_SEVERITY_CRITICAL] = "critical",
    [DPU_SEVERITY_MAJOR] = "major",
    [DPU_SEVERITY_MINOR] = "minor",
    [DPU_SEVERITY_WARNING] = "warning",
    [DPU_SEVERITY_INFO] = "info",
};

const char *
dpu_severity_to_string(uint32_t severity)
{
    return severity < DPU_N_SEVERITIES ? severity_names[severity] : "unknown";
}

int
dpu_severity_from_string(const char *s)
{
    for (int i = 0; i < DPU_N_SEVERITIES; i++) {
        if (!strcmp(s, severity_names[i])) {
            return i;
        }
    }
    return -1;
}

void
dpu_put_health(struct ofpbuf *b, const struct dpu_health *alerts, size_t n)
{
    for (size_t i = 0; i < MIN(n, DPU_MAX_HEALTH); i++) {
        const struct dpu_health *h = &alerts[i];
        size_t ofs = nl_msg_start_nested(b, DPU_ATTR_HEALTH);

        nl_msg_put_string(b, DPU_HEALTH_ATTR_SENSOR, h->sensor);
        nl_msg_put_u32(b, DPU_HEALTH_ATTR_SEVERITY, h->severity);
        if (h->value) {
            nl_msg_put_string(b, DPU_HEALTH_ATTR_VALUE, h->value);
        }
        if (h->message) {
            nl_msg_put_string(b, DPU_HEALTH_ATTR_MESSAGE, h->message);
        }
        nl_msg_end_nested(b, ofs);
    }
}

bool
dpu_parse_health(const struct ofpbuf *buf, struct dpu_health **alertsp,
                 size_t *np, struct ds *why)
{
    struct dpu_health *alerts;
    const struct nlattr *nla;
    size_t n = 0, left;

    DPU_MSG_FOR_EACH_ATTR (nla, left, buf) {
        n += nl_attr_type(nla) == DPU_ATTR_HEALTH;
    }
    *alertsp = alerts = xcalloc(MAX(n, 1), sizeof *alerts);
    *np = 0;
    if (n > DPU_MAX_HEALTH) {
        ds_put_format(why, "%"PRIuSIZE" health alerts, more than %d", n,
                      DPU_MAX_HEALTH);
        return false;
    }

    DPU_MSG_FOR_EACH_ATTR (nla, left, buf) {
        struct nlattr *a[DPU_HEALTH_ATTR_MAX + 1];
        struct dpu_health *h;
        uint32_t severity;

        if (nl_attr_type(nla) != DPU_ATTR_HEALTH) {
            continue;
        }
        if (!nl_parse_nested(nla, health_policy, a, ARRAY_SIZE(a))) {
            ds_put_cstr(why, "malformed health alert");
            return false;
        }
        severity = nl_attr_get_u32(a[DPU_HEALTH_ATTR_SEVERITY]);
        h = &alerts[(*np)++];
        h->sensor = xstrdup(nl_attr_get_string(a[DPU_HEALTH_ATTR_SENSOR]));
        h->value = (a[DPU_HEALTH_ATTR_VALUE]
                    ? xstrdup(nl_attr_get_string(a[DPU_HEALTH_ATTR_VALUE]))
                    : NULL);
        h->message = (a[DPU_HEALTH_ATTR_MESSAGE]
                      ? xstrdup(nl_attr_get_string(
                                    a[DPU_HEALTH_ATTR_MESSAGE]))
                      : NULL);
        if (severity >= DPU_N_SEVERITIES) {
            ds_put_format(why, "health alert %s: unknown severity %"PRIu32,
                          h->sensor, severity);
            return false;
        }
        h->severity = severity;
        for (size_t i = 0; i + 1 < *np; i++) {
            if (!strcmp(alerts[i].sensor, h->sensor)) {
                ds_put_format(why, "two health alerts for sensor %s",
                              h->sensor);
                return false;
            }
        }
    }
    return true;
}

void
dpu_health_destroy(struct dpu_health *alerts, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(alerts[i].sensor);
        free(alerts[i].value);
        free(alerts[i].message);
    }
    free(alerts);
}

/* IPFIX. */

#define IPFIX_STR_OPT { .type = NL_A_STRING, .max_len = 256, \
                        .optional = true }

static const struct nl_policy ipfix_policy[DPU_IPFIX_ATTR_MAX + 1] = {
    [DPU_IPFIX_ATTR_BRIDGE_UUID] = { .type = NL_A_UNSPEC,
                                     .min_len = sizeof(struct uuid),
                                     .max_len = sizeof(struct uuid) },
    [DPU_IPFIX_ATTR_BRIDGE_NAME] = { .type = NL_A_STRING, .min_len = 2,
                                     .max_len = 256 },
    [DPU_IPFIX_ATTR_DPU_NAME] = IPFIX_STR_OPT,
    [DPU_IPFIX_ATTR_OBS_DOMAIN_ID] = OPT(NL_A_U32),
    [DPU_IPFIX_ATTR_EXPORTER] = OPT(NL_A_NESTED),
};

static const struct nl_policy ipfix_exporter_policy[DPU_IPFIX_ATTR_MAX + 1] = {
    [DPU_IPFIX_ATTR_OBS_DOMAIN_ID] = OPT(NL_A_U32),
    [DPU_IPFIX_ATTR_COLLECTOR_SET_ID] = OPT(NL_A_U32),
    [DPU_IPFIX_ATTR_TARGET] = { .type = NL_A_STRING, .min_len = 2,
                                .max_len = 256 },
    [DPU_IPFIX_ATTR_SAMPLING] = OPT(NL_A_U32),
    [DPU_IPFIX_ATTR_OBS_POINT_ID] = OPT(NL_A_U32),
    [DPU_IPFIX_ATTR_CACHE_ACTIVE_TIMEOUT] = OPT(NL_A_U32),
    [DPU_IPFIX_ATTR_CACHE_MAX_FLOWS] = OPT(NL_A_U32),
    [DPU_IPFIX_ATTR_TUNNEL_SAMPLING] = OPT(NL_A_FLAG),
    [DPU_IPFIX_ATTR_INPUT_SAMPLING] = OPT(NL_A_FLAG),
    [DPU_IPFIX_ATTR_OUTPUT_SAMPLING] = OPT(NL_A_FLAG),
    [DPU_IPFIX_ATTR_VIRTUAL_OBS_ID] = IPFIX_STR_OPT,
};

static void
put_u32_if_nonzero(struct ofpbuf *b, uint16_t type, uint32_t value)
{
    if (value) {
        nl_msg_put_u32(b, type, value);
    }
}

static void
put_flag_if(struct ofpbuf *b, uint16_t type, bool value)
{
    if (value) {
        nl_msg_put_flag(b, type);
    }
}

static void
put_ipfix_targets(struct ofpbuf *b, const struct sset *targets)
{
    const char *target;

    SSET_FOR_EACH (target, targets) {
        nl_msg_put_string(b, DPU_IPFIX_ATTR_TARGET, target);
    }
}

void
dpu_put_ipfix_config(struct ofpbuf *b, const struct dpu_ipfix_config *cfg)
{
    size_t ofs = nl_msg_start_nested(b, DPU_ATTR_IPFIX);
    size_t exp;

    nl_msg_put_unspec(b, DPU_IPFIX_ATTR_BRIDGE_UUID, &cfg->bridge_uuid,
                      sizeof cfg->bridge_uuid);
    nl_msg_put_string(b, DPU_IPFIX_ATTR_BRIDGE_NAME, cfg->bridge_name);
    if (cfg->dpu_name) {
        nl_msg_put_string(b, DPU_IPFIX_ATTR_DPU_NAME, cfg->dpu_name);
    }
    if (cfg->has_obs_domain_id) {
        nl_msg_put_u32(b, DPU_IPFIX_ATTR_OBS_DOMAIN_ID, cfg->obs_domain_id);
    }
    if (cfg->be) {
        const struct ofproto_ipfix_bridge_exporter_options *be = cfg->be;

        exp = nl_msg_start_nested(b, DPU_IPFIX_ATTR_EXPORTER);
        put_ipfix_targets(b, &be->targets);
        nl_msg_put_u32(b, DPU_IPFIX_ATTR_SAMPLING, be->sampling_rate);
        put_u32_if_nonzero(b, DPU_IPFIX_ATTR_OBS_DOMAIN_ID,
                           be->obs_domain_id);
        put_u32_if_nonzero(b, DPU_IPFIX_ATTR_OBS_POINT_ID, be->obs_point_id);
        put_u32_if_nonzero(b, DPU_IPFIX_ATTR_CACHE_ACTIVE_TIMEOUT,
                           be->cache_active_timeout);
        put_u32_if_nonzero(b, DPU_IPFIX_ATTR_CACHE_MAX_FLOWS,
                           be->cache_max_flows);
        put_flag_if(b, DPU_IPFIX_ATTR_TUNNEL_SAMPLING,
                    be->enable_tunnel_sampling);
        put_flag_if(b, DPU_IPFIX_ATTR_INPUT_SAMPLING,
                    be->enable_input_sampling);
        put_flag_if(b, DPU_IPFIX_ATTR_OUTPUT_SAMPLING,
                    be->enable_output_sampling);
        if (be->virtual_obs_id) {
            nl_msg_put_string(b, DPU_IPFIX_ATTR_VIRTUAL_OBS_ID,
                              be->virtual_obs_id);
        }
        nl_msg_end_nested(b, exp);
    }
    for (size_t i = 0; i < cfg->n_fe; i++) {
        const struct ofproto_ipfix_flow_exporter_options *fe = &cfg->fe[i];

        exp = nl_msg_start_nested(b, DPU_IPFIX_ATTR_EXPORTER);
        nl_msg_put_u32(b, DPU_IPFIX_ATTR_COLLECTOR_SET_ID,
                       fe->collector_set_id);
        put_ipfix_targets(b, &fe->targets);
        put_u32_if_nonzero(b, DPU_IPFIX_ATTR_CACHE_ACTIVE_TIMEOUT,
                           fe->cache_active_timeout);
        put_u32_if_nonzero(b, DPU_IPFIX_ATTR_CACHE_MAX_FLOWS,
                           fe->cache_max_flows);
        put_flag_if(b, DPU_IPFIX_ATTR_TUNNEL_SAMPLING,
                    fe->enable_tunnel_sampling);
        if (fe->virtual_obs_id) {
            nl_msg_put_string(b, DPU_IPFIX_ATTR_VIRTUAL_OBS_ID,
                              fe->virtual_obs_id);
        }
        nl_msg_end_nested(b, exp);
    }
    nl_msg_end_nested(b, ofs);
}

static uint32_t
ipfix_u32(const struct nlattr *nla)
{
    return nla ? nl_attr_get_u32(nla) : 0;
}

static char *
ipfix_str(const struct nlattr *nla)
{
    return nla ? xstrdup(nl_attr_get_string(nla)) : NULL;
}

/* Reads the TARGETs of EXPORTER 'exp', which its policy checked, into
 * 'targets'.  Returns false, with the cause in 'why', if there are too
 * many. */
static bool
parse_ipfix_targets(const struct nlattr *exp, struct sset *targets,
                    struct ds *why)
{
    const struct nlattr *nla;
    size_t left;

    NL_NESTED_FOR_EACH (nla, left, exp) {
        if (nl_attr_type(nla) == DPU_IPFIX_ATTR_TARGET) {
            if (sset_count(targets) >= DPU_IPFIX_MAX_TARGETS) {
                ds_put_format(why, "more than %d targets in an exporter",
                              DPU_IPFIX_MAX_TARGETS);
                return false;
            }
            sset_add(targets, nl_attr_get_string(nla));
        }
    }
    return true;
}

bool
dpu_parse_ipfix_config(const struct nlattr *nla, struct dpu_ipfix_config *cfg,
                       struct ds *why)
{
    struct nlattr *a[DPU_IPFIX_ATTR_MAX + 1];
    const struct nlattr *exp;
    size_t left, n_exp = 0;

    memset(cfg, 0, sizeof *cfg);
    if (!nl_parse_nested(nla, ipfix_policy, a, ARRAY_SIZE(a))) {
        ds_put_cstr(why, "malformed IPFIX configuration");
        return false;
    }
    memcpy(&cfg->bridge_uuid, nl_attr_get(a[DPU_IPFIX_ATTR_BRIDGE_UUID]),
           sizeof cfg->bridge_uuid);
    cfg->bridge_name = ipfix_str(a[DPU_IPFIX_ATTR_BRIDGE_NAME]);
    cfg->dpu_name = ipfix_str(a[DPU_IPFIX_ATTR_DPU_NAME]);
    cfg->has_obs_domain_id = a[DPU_IPFIX_ATTR_OBS_DOMAIN_ID] != NULL;
    cfg->obs_domain_id = ipfix_u32(a[DPU_IPFIX_ATTR_OBS_DOMAIN_ID]);

    NL_NESTED_FOR_EACH (exp, left, nla) {
        n_exp += nl_attr_type(exp) == DPU_IPFIX_ATTR_EXPORTER;
    }
    if (n_exp > DPU_IPFIX_MAX_EXPORTERS) {
        ds_put_format(why, "%s: %"PRIuSIZE" exporters, more than %d",
                      cfg->bridge_name, n_exp, DPU_IPFIX_MAX_EXPORTERS);
        return false;
    }
    cfg->fe = xcalloc(MAX(n_exp, 1), sizeof *cfg->fe);

    NL_NESTED_FOR_EACH (exp, left, nla) {
        struct nlattr *e[DPU_IPFIX_ATTR_MAX + 1];
        struct sset targets;

        if (nl_attr_type(exp) != DPU_IPFIX_ATTR_EXPORTER) {
            continue;
        }
        if (!nl_parse_nested(exp, ipfix_exporter_policy, e, ARRAY_SIZE(e))) {
            ds_put_format(why, "%s: malformed exporter", cfg->bridge_name);
            return false;
        }
        sset_init(&targets);
        if (!parse_ipfix_targets(exp, &targets, why)) {
            sset_destroy(&targets);
            return false;
        }

        if (!e[DPU_IPFIX_ATTR_COLLECTOR_SET_ID]) {
            struct ofproto_ipfix_bridge_exporter_options *be;

            if (cfg->be) {
                ds_put_format(why, "%s: two bridge exporters",
                              cfg->bridge_name);
                sset_destroy(&targets);
                return false;
            }
            if (!ipfix_u32(e[DPU_IPFIX_ATTR_SAMPLING])) {
                ds_put_format(why, "%s: bridge exporter without a sampling "
                              "rate", cfg->bridge_name);
                sset_destroy(&targets);
                return false;
            }
            cfg->be = be = xzalloc(sizeof *be);
            sset_clone(&be->targets, &targets);
            be->sampling_rate = ipfix_u32(e[DPU_IPFIX_ATTR_SAMPLING]);
            be->obs_domain_id = ipfix_u32(e[DPU_IPFIX_ATTR_OBS_DOMAIN_ID]);
            be->obs_point_id = ipfix_u32(e[DPU_IPFIX_ATTR_OBS_POINT_ID]);
            be->cache_active_timeout
                = ipfix_u32(e[DPU_IPFIX_ATTR_CACHE_ACTIVE_TIMEOUT]);
            be->cache_max_flows = ipfix_u32(e[DPU_IPFIX_ATTR_CACHE_MAX_FLOWS]);
            be->enable_tunnel_sampling
                = e[DPU_IPFIX_ATTR_TUNNEL_SAMPLING] != NULL;
            be->enable_input_sampling
                = e[DPU_IPFIX_ATTR_INPUT_SAMPLING] != NULL;
            be->enable_output_sampling
                = e[DPU_IPFIX_ATTR_OUTPUT_SAMPLING] != NULL;
            be->virtual_obs_id = ipfix_str(e[DPU_IPFIX_ATTR_VIRTUAL_OBS_ID]);
        } else {
            uint32_t id = nl_attr_get_u32(e[DPU_IPFIX_ATTR_COLLECTOR_SET_ID]);
            struct ofproto_ipfix_flow_exporter_options *fe;

            for (size_t i = 0; i < cfg->n_fe; i++) {
                if (cfg->fe[i].collector_set_id == id) {
                    ds_put_format(why, "%s: two exporters for collector "
                                  "set %"PRIu32, cfg->bridge_name, id);
                    sset_destroy(&targets);
                    return false;
                }
            }
            fe = &cfg->fe[cfg->n_fe++];
            fe->collector_set_id = id;
            sset_clone(&fe->targets, &targets);
            fe->cache_active_timeout
                = ipfix_u32(e[DPU_IPFIX_ATTR_CACHE_ACTIVE_TIMEOUT]);
            fe->cache_max_flows = ipfix_u32(e[DPU_IPFIX_ATTR_CACHE_MAX_FLOWS]);
            fe->enable_tunnel_sampling
                = e[DPU_IPFIX_ATTR_TUNNEL_SAMPLING] != NULL;
            fe->virtual_obs_id = ipfix_str(e[DPU_IPFIX_ATTR_VIRTUAL_OBS_ID]);
        }
        sset_destroy(&targets);
    }
    return true;
}

void
dpu_ipfix_config_destroy(struct dpu_ipfix_config *cfg)
{
    if (cfg) {
        free(cfg->bridge_name);
        free(cfg->dpu_name);
        if (cfg->be) {
            sset_destroy(&cfg->be->targets);
            free(cfg->be->virtual_obs_id);
            free(cfg->be);
        }
        for (size_t i = 0; i < cfg->n_fe; i++) {
            sset_destroy(&cfg->fe[i].targets);
            free(cfg->fe[i].virtual_obs_id);
        }
        free(cfg->fe);
        memset(cfg, 0, sizeof *cfg);
    }
}

/* Alarms. */

#define ALARM_STR(MIN_LEN, OPTIONAL) { .type = NL_A_STRING,             \
                                       .min_len = (MIN_LEN),            \
                                       .max_len = 256,                  \
                                       .optional = (OPTIONAL) }

static const struct nl_policy alarm_policy[DPU_ALARM_ATTR_MAX + 1] = {
    [DPU_ALARM_ATTR_ID] = { .type = NL_A_UNSPEC,
                            .min_len = sizeof(struct uuid),
                            .max_len = sizeof(struct uuid) },
    [DPU_ALARM_ATTR_TYPE] = { .type = NL_A_STRING, .min_len = 2,
                              .max_len = 64 },
    [DPU_ALARM_ATTR_DPU_NAME] = ALARM_STR(2, false),
    [DPU_ALARM_ATTR_SUBJECT] = ALARM_STR(0, true),
    [DPU_ALARM_ATTR_SEVERITY] = REQ(NL_A_U32),
    [DPU_ALARM_ATTR_CLEARED] = OPT(NL_A_FLAG),
    [DPU_ALARM_ATTR_TIME] = REQ(NL_A_U64),
    [DPU_ALARM_ATTR_CAUSE] = STR_OPT,
    [DPU_ALARM_ATTR_FROM] = ALARM_STR(0, true),
    [DPU_ALARM_ATTR_TO] = ALARM_STR(0, true),
    [DPU_ALARM_ATTR_REASON] = ALARM_STR(0, true),
    [DPU_ALARM_ATTR_DURATION_MS] = OPT(NL_A_U64),
};

static void
put_string_if(struct ofpbuf *b, uint16_t type, const char *s)
{
    if (s) {
        nl_msg_put_string(b, type, s);
    }
}

void
dpu_put_alarm(struct ofpbuf *b, const struct dpu_alarm_event *ev)
{
    size_t ofs = nl_msg_start_nested(b, DPU_ATTR_ALARM);

    nl_msg_put_unspec(b, DPU_ALARM_ATTR_ID, &ev->id, sizeof ev->id);
    nl_msg_put_string(b, DPU_ALARM_ATTR_TYPE, ev->type);
    nl_msg_put_string(b, DPU_ALARM_ATTR_DPU_NAME, ev->dpu_name);
    put_string_if(b, DPU_ALARM_ATTR_SUBJECT, ev->subject);
    nl_msg_put_u32(b, DPU_ALARM_ATTR_SEVERITY, ev->severity);
    put_flag_if(b, DPU_ALARM_ATTR_CLEARED, ev->cleared);
    nl_msg_put_u64(b, DPU_ALARM_ATTR_TIME, ev->time);
    put_string_if(b, DPU_ALARM_ATTR_CAUSE, ev->cause);
    put_string_if(b, DPU_ALARM_ATTR_FROM, ev->from);
    put_string_if(b, DPU_ALARM_ATTR_TO, ev->to);
    put_string_if(b, DPU_ALARM_ATTR_REASON, ev->reason);
    if (ev->has_duration) {
        nl_msg_put_u64(b, DPU_ALARM_ATTR_DURATION_MS, ev->duration_ms);
    }
    nl_msg_end_nested(b, ofs);
}

static const char *
alarm_str(const struct nlattr *nla)
{
    return nla ? nl_attr_get_string(nla) : NULL;
}

bool
dpu_parse_alarm(const struct nlattr *nla, struct dpu_alarm_event *ev,
                struct ds *why)
{
    struct nlattr *a[DPU_ALARM_ATTR_MAX + 1];
    uint64_t time;

    memset(ev, 0, sizeof *ev);
    if (!nl_parse_nested(nla, alarm_policy, a, ARRAY_SIZE(a))) {
        ds_put_cstr(why, "malformed alarm");
        return false;
    }
    memcpy(&ev->id, nl_attr_get(a[DPU_ALARM_ATTR_ID]), sizeof ev->id);
    ev->type = nl_attr_get_string(a[DPU_ALARM_ATTR_TYPE]);
    ev->dpu_name = nl_attr_get_string(a[DPU_ALARM_ATTR_DPU_NAME]);
    ev->subject = alarm_str(a[DPU_ALARM_ATTR_SUBJECT]);
    ev->severity = nl_attr_get_u32(a[DPU_ALARM_ATTR_SEVERITY]);
    ev->cleared = a[DPU_ALARM_ATTR_CLEARED] != NULL;
    time = nl_attr_get_u64(a[DPU_ALARM_ATTR_TIME]);
    ev->cause = alarm_str(a[DPU_ALARM_ATTR_CAUSE]);
    ev->from = alarm_str(a[DPU_ALARM_ATTR_FROM]);
    ev->to = alarm_str(a[DPU_ALARM_ATTR_TO]);
    ev->reason = alarm_str(a[DPU_ALARM_ATTR_REASON]);
    ev->has_duration = a[DPU_ALARM_ATTR_DURATION_MS] != NULL;
    ev->duration_ms = dpu_attr_u64(a[DPU_ALARM_ATTR_DURATION_MS]);

    if (ev->severity >= DPU_N_SEVERITIES) {
        ds_put_format(why, "%s alarm of %s: unknown severity %"PRIu32,
                      ev->type, ev->dpu_name, (uint32_t) ev->severity);
        return false;
    }
    if (time > DPU_ALARM_MAX_TIME) {
        ds_put_format(why, "%s alarm of %s: time %"PRIu64" out of range",
                      ev->type, ev->dpu_name, time);
        return false;
    }
    ev->time = time;
    return true;
}
