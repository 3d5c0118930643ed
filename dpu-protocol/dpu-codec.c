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
#include "dpu-codec-private.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <sys/socket.h>

#include "dp-packet.h"
#include "dpif.h"
#include "dpif-netdev.h"
#include "hash.h"
#include "netdev.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "smap.h"
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


/* Policies for requests and asynchronous messages, by type.  An attribute
 * without an entry is ignored (see "Versions" in dpu-wire.h). */
static const struct nl_policy hello_request_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_VERSION_MIN] = OPT(NL_A_U8),
    [DPU_ATTR_VERSION_MAX] = OPT(NL_A_U8),
    [DPU_ATTR_BYTE_ORDER] = REQ(NL_A_U32),
    [DPU_ATTR_HOST_NAME] = STR_OPT,
    [DPU_ATTR_DP_NAME] = STR_REQ,
    [DPU_ATTR_WANT_UPCALLS] = OPT(NL_A_FLAG),
};
static const struct nl_policy hello_reply_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_VERSION_MIN] = OPT(NL_A_U8),
    [DPU_ATTR_VERSION_MAX] = OPT(NL_A_U8),
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
#define BOND_ARRAY(ELEM_SIZE) { .type = NL_A_UNSPEC,                  \
                               .min_len = DPU_BOND_BUCKETS * (ELEM_SIZE), \
                               .max_len = DPU_BOND_BUCKETS * (ELEM_SIZE) }
static const struct nl_policy bond_set_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_BOND_ID] = REQ(NL_A_U32),
    [DPU_ATTR_BOND_MEMBERS] = BOND_ARRAY(sizeof(uint32_t)),
};
static const struct nl_policy bond_id_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_BOND_ID] = REQ(NL_A_U32),
};
static const struct nl_policy bond_stats_reply_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_BOND_STATS] = BOND_ARRAY(sizeof(uint64_t)),
};
static const struct nl_policy dpu_event_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_EVENT] = STR_REQ,
    [DPU_ATTR_ERROR_MSG] = STR_OPT,
    [DPU_ATTR_ROLE] = OPT(NL_A_U32),
    [DPU_ATTR_HEALTH] = OPT(NL_A_NESTED),
};
static const struct nl_policy ct_sync_req_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_CT_SYNC_GEN] = REQ(NL_A_U32),
};
static const struct nl_policy ct_sync_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_CT_SYNC_GEN] = REQ(NL_A_U32),
    [DPU_ATTR_CT_SYNC_SEQ] = REQ(NL_A_U32),
    [DPU_ATTR_CT_SYNC] = OPT(NL_A_NESTED),
};
static const struct nl_policy ct_sync_done_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_CT_SYNC_GEN] = REQ(NL_A_U32),
    [DPU_ATTR_CT_SYNC_SEQ] = REQ(NL_A_U32),
    [DPU_ATTR_CT_SYNC_COUNT] = REQ(NL_A_U32),
};

static const struct nl_policy tnl_routes_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_ROUTE] = OPT(NL_A_NESTED),
};

#define SHA256_REQ { .type = NL_A_UNSPEC, .min_len = 32, .max_len = 32 }
static const struct nl_policy image_begin_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_IMAGE_SIZE] = REQ(NL_A_U64),
    [DPU_ATTR_IMAGE_SHA256] = SHA256_REQ,
    [DPU_ATTR_FORCE] = OPT(NL_A_FLAG),
};
static const struct nl_policy image_offset_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_IMAGE_OFFSET] = REQ(NL_A_U64),
};
static const struct nl_policy image_data_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_IMAGE_OFFSET] = REQ(NL_A_U64),
    [DPU_ATTR_IMAGE_DATA] = { .type = NL_A_UNSPEC, .min_len = 1,
                              .max_len = DPU_IMAGE_MAX_CHUNK },
};
static const struct nl_policy image_select_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_IMAGE_VERSION] = { .type = NL_A_STRING, .max_len = 64 },
};
static const struct nl_policy log_get_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_LOG_OFFSET] = REQ(NL_A_U64),
};
static const struct nl_policy log_get_reply_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_LOG_SIZE] = REQ(NL_A_U64),
    [DPU_ATTR_LOG_DATA] = { .type = NL_A_UNSPEC, .min_len = 1,
                            .max_len = DPU_IMAGE_MAX_CHUNK,
                            .optional = true },
};
static const struct nl_policy image_end_reply_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_IMAGE_VERSION] = { .type = NL_A_STRING, .max_len = 64 },
    [DPU_ATTR_IMAGE_BANK] = { .type = NL_A_STRING, .max_len = 8 },
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
    REQ_MSG(BOND_SET, "bond-set", 0, bond_set_policy, empty_policy),
    REQ_MSG(BOND_DEL, "bond-del", 0, bond_id_policy, empty_policy),
    REQ_MSG(BOND_STATS, "bond-stats", 0, bond_id_policy,
            bond_stats_reply_policy),
    MSG(TNL_ROUTES, "tnl-routes", ASYNC, DPU_CAP_TNL_ROUTES,
        tnl_routes_policy, NULL),
    REQ_MSG(CT_SYNC_REQ, "ct-sync-req", DPU_CAP_CT_SYNC, ct_sync_req_policy,
            empty_policy),
    MSG(CT_SYNC, "ct-sync", ASYNC, DPU_CAP_CT_SYNC, ct_sync_policy, NULL),
    MSG(CT_SYNC_DONE, "ct-sync-done", ASYNC, DPU_CAP_CT_SYNC,
        ct_sync_done_policy, NULL),
    REQ_MSG(IMAGE_BEGIN, "image-begin", DPU_CAP_IMAGE, image_begin_policy,
            image_offset_policy),
    REQ_MSG(IMAGE_DATA, "image-data", DPU_CAP_IMAGE, image_data_policy,
            empty_policy),
    REQ_MSG(IMAGE_END, "image-end", DPU_CAP_IMAGE, empty_policy,
            image_end_reply_policy),
    REQ_MSG(IMAGE_SELECT, "image-select", DPU_CAP_IMAGE,
            image_select_policy, image_end_reply_policy),
    REQ_MSG(LOG_GET, "log-get", 0, log_get_policy, log_get_reply_policy),
#undef REQ_MSG
#undef MSG
};

static const struct nl_policy features_policy[DPU_FEAT_ATTR_MAX + 1] = {
    [DPU_FEAT_ATTR_EXPLICIT_DROP] = OPT(NL_A_FLAG),
    [DPU_FEAT_ATTR_LB_OUTPUT] = OPT(NL_A_FLAG),
    [DPU_FEAT_ATTR_DATAPATH_VERSION] = STR_OPT,
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

void
dpu_msg_start(struct ofpbuf *b, enum dpu_msg_type type, uint32_t xid,
              uint16_t flags)
{
    struct dpu_header *h;

    ofpbuf_clear(b);
    h = ofpbuf_put_zeros(b, sizeof *h);
    h->version = DPU_VERSION_MIN;
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
    if (!h->version) {
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
    msg->version = h->version;
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

/* HELLO. */

void
dpu_identity_clone(struct dpu_identity *dst, const struct dpu_identity *src)
{
    dst->vendor = xstrdup(src->vendor);
    dst->model = xstrdup(src->model);
    dst->hw_version = xstrdup(src->hw_version);
    dst->firmware = xstrdup(src->firmware);
    dst->serial = xstrdup(src->serial);
    dst->image_version = xstrdup(src->image_version);
}

void
dpu_identity_destroy(struct dpu_identity *id)
{
    if (id) {
        free(id->vendor);
        free(id->model);
        free(id->hw_version);
        free(id->firmware);
        free(id->serial);
        free(id->image_version);
        memset(id, 0, sizeof *id);
    }
}

void
dpu_identity_to_smap(const struct dpu_identity *id, struct smap *smap)
{
    smap_add(smap, "vendor", id->vendor);
    smap_add(smap, "model", id->model);
    smap_add(smap, "hardware_version", id->hw_version);
    smap_add(smap, "firmware", id->firmware);
    smap_add(smap, "serial", id->serial);
    smap_add(smap, "image_version", id->image_version);
}

uint8_t
dpu_version_pick(uint8_t min_a, uint8_t max_a, uint8_t min_b, uint8_t max_b)
{
    uint8_t lo = MAX(min_a, min_b);
    uint8_t hi = MIN(max_a, max_b);

    return lo <= hi ? hi : 0;
}

/* Stores in '*min' and '*max' the versions that the sender of HELLO 'msg'
 * speaks.  Returns 0 or EINVAL. */
static int
parse_versions(const struct dpu_msg *msg, uint8_t *min, uint8_t *max,
               struct ds *why)
{
    const struct nlattr *min_attr = msg->attrs[DPU_ATTR_VERSION_MIN];
    const struct nlattr *max_attr = msg->attrs[DPU_ATTR_VERSION_MAX];

    if (!min_attr && !max_attr) {
        /* Version 1, which did not negotiate. */
        *min = *max = msg->version;
        return 0;
    } else if (!min_attr || !max_attr) {
        ds_put_cstr(why, "VERSION_MIN without VERSION_MAX or vice versa");
        return EINVAL;
    }
    *min = nl_attr_get_u8(min_attr);
    *max = nl_attr_get_u8(max_attr);
    if (!*min || *min > *max) {
        ds_put_format(why, "bad version range %"PRIu8" to %"PRIu8,
                      *min, *max);
        return EINVAL;
    }
    return 0;
}

static void
put_versions(struct ofpbuf *b, uint8_t min, uint8_t max)
{
    nl_msg_put_u8(b, DPU_ATTR_VERSION_MIN, min);
    nl_msg_put_u8(b, DPU_ATTR_VERSION_MAX, max);
}

/* Checks the peer's BYTE_ORDER in HELLO 'msg'. */
static int
check_byte_order(const struct dpu_msg *msg, struct ds *why)
{
    if (nl_attr_get_u32(msg->attrs[DPU_ATTR_BYTE_ORDER])
        != DPU_BYTE_ORDER_MAGIC) {
        ds_put_cstr(why, "byte order differs");
        return EPROTO;
    }
    return 0;
}

void
dpu_put_hello_request(struct ofpbuf *b, const struct dpu_hello_request *req)
{
    put_versions(b, req->version_min, req->version_max);
    nl_msg_put_u32(b, DPU_ATTR_BYTE_ORDER, DPU_BYTE_ORDER_MAGIC);
    if (req->host_name) {
        nl_msg_put_string(b, DPU_ATTR_HOST_NAME, req->host_name);
    }
    nl_msg_put_string(b, DPU_ATTR_DP_NAME, req->dp_name);
    if (req->want_upcalls) {
        nl_msg_put_flag(b, DPU_ATTR_WANT_UPCALLS);
    }
}

int
dpu_parse_hello_request(const struct dpu_msg *msg,
                        struct dpu_hello_request *req, struct ds *why)
{
    const struct nlattr *host_name = msg->attrs[DPU_ATTR_HOST_NAME];
    int error;

    memset(req, 0, sizeof *req);
    req->dp_name = nl_attr_get_string(msg->attrs[DPU_ATTR_DP_NAME]);
    req->host_name = host_name ? nl_attr_get_string(host_name) : NULL;
    req->want_upcalls = msg->attrs[DPU_ATTR_WANT_UPCALLS] != NULL;
    error = check_byte_order(msg, why);
    return (error ? error
            : parse_versions(msg, &req->version_min, &req->version_max,
                             why));
}

void
dpu_put_hello_reply(struct ofpbuf *b, const struct dpu_hello_reply *reply)
{
    size_t ofs;

    put_versions(b, reply->version_min, reply->version_max);
    nl_msg_put_u32(b, DPU_ATTR_BYTE_ORDER, DPU_BYTE_ORDER_MAGIC);
    nl_msg_put_string(b, DPU_ATTR_VENDOR, reply->id.vendor);
    nl_msg_put_string(b, DPU_ATTR_MODEL, reply->id.model);
    nl_msg_put_string(b, DPU_ATTR_HW_VERSION, reply->id.hw_version);
    nl_msg_put_string(b, DPU_ATTR_FIRMWARE, reply->id.firmware);
    nl_msg_put_string(b, DPU_ATTR_SERIAL, reply->id.serial);
    nl_msg_put_string(b, DPU_ATTR_IMAGE_VERSION, reply->id.image_version);
    nl_msg_put_u128(b, DPU_ATTR_BOOT_ID, reply->boot_id);
    nl_msg_put_u32(b, DPU_ATTR_CAPS, reply->caps);
    if (reply->has_role) {
        nl_msg_put_u32(b, DPU_ATTR_ROLE, reply->role);
    }
    ofs = nl_msg_start_nested(b, DPU_ATTR_DP_FEATURES);
    if (reply->explicit_drop) {
        nl_msg_put_flag(b, DPU_FEAT_ATTR_EXPLICIT_DROP);
    }
    if (reply->lb_output) {
        nl_msg_put_flag(b, DPU_FEAT_ATTR_LB_OUTPUT);
    }
    if (reply->dp_version) {
        nl_msg_put_string(b, DPU_FEAT_ATTR_DATAPATH_VERSION,
                          reply->dp_version);
    }
    nl_msg_end_nested(b, ofs);
}

static char *
hello_string(const struct dpu_msg *msg, enum dpu_attr attr)
{
    return xstrdup(nl_attr_get_string(msg->attrs[attr]));
}

int
dpu_parse_hello_reply(const struct dpu_msg *msg,
                      struct dpu_hello_reply *reply, struct ds *why)
{
    struct nlattr *feat[DPU_FEAT_ATTR_MAX + 1];
    int error;

    memset(reply, 0, sizeof *reply);
    error = check_byte_order(msg, why);
    if (!error) {
        error = parse_versions(msg, &reply->version_min, &reply->version_max,
                               why);
    }
    if (error) {
        return error;
    }
    if (!nl_parse_nested(msg->attrs[DPU_ATTR_DP_FEATURES], features_policy,
                         feat, ARRAY_SIZE(feat))) {
        ds_put_cstr(why, "malformed datapath features");
        return EINVAL;
    }
    reply->id.vendor = hello_string(msg, DPU_ATTR_VENDOR);
    reply->id.model = hello_string(msg, DPU_ATTR_MODEL);
    reply->id.hw_version = hello_string(msg, DPU_ATTR_HW_VERSION);
    reply->id.firmware = hello_string(msg, DPU_ATTR_FIRMWARE);
    reply->id.serial = hello_string(msg, DPU_ATTR_SERIAL);
    reply->id.image_version = hello_string(msg, DPU_ATTR_IMAGE_VERSION);
    reply->boot_id = nl_attr_get_u128(msg->attrs[DPU_ATTR_BOOT_ID]);
    reply->caps = nl_attr_get_u32(msg->attrs[DPU_ATTR_CAPS]);
    reply->explicit_drop = feat[DPU_FEAT_ATTR_EXPLICIT_DROP] != NULL;
    reply->lb_output = feat[DPU_FEAT_ATTR_LB_OUTPUT] != NULL;
    if (feat[DPU_FEAT_ATTR_DATAPATH_VERSION]) {
        reply->dp_version = xstrdup(nl_attr_get_string(
                                        feat[DPU_FEAT_ATTR_DATAPATH_VERSION]));
    }
    reply->has_role = msg->attrs[DPU_ATTR_ROLE] != NULL;
    if (reply->has_role) {
        reply->role = nl_attr_get_u32(msg->attrs[DPU_ATTR_ROLE]);
    }
    return 0;
}

void
dpu_hello_reply_destroy(struct dpu_hello_reply *reply)
{
    if (reply) {
        dpu_identity_destroy(&reply->id);
        free(reply->dp_version);
        reply->dp_version = NULL;
    }
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
