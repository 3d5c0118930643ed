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

#ifndef DPU_CODEC_H
#define DPU_CODEC_H 1

/* The OVS-DPU host<->DPU protocol: the codec.
 *
 * dpu-wire.h says what crosses the wire, for any implementation; this is
 * how OVS-DPU's own programs (ovs-vswitchd through dpif-dpu, ovs-dpu-agent,
 * ovs-dpuctl and the fuzzer) encode and decode it, with Open vSwitch's
 * types and its Netlink library.  Both sides use the same functions, so a
 * value has one encoding and one decoding.
 *
 * Decoding is strict: every message is checked against its header and the
 * attribute policy of its type (dpu_msg_decode()), and every nested
 * attribute against its own policy by the function that parses it, before
 * anything is used.  Datapath objects (keys, masks, actions) are checked
 * again by the ODP parsers of their receiver. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ct-dpif.h"
#include "dpif.h"
#include "dpu-wire.h"
#include "netdev.h"
#include "netlink.h"
#include "openvswitch/types.h"
#include "openvswitch/uuid.h"
#include "packets.h"

struct dp_packet;
struct ds;
struct dpu_msg;
struct flow;
struct odp_flow_key_parms;
struct ofproto_ipfix_bridge_exporter_options;
struct ofproto_ipfix_flow_exporter_options;
struct ofpbuf;
struct ofputil_meter_band;
struct ofputil_meter_config;
struct ofputil_meter_features;
struct ofputil_meter_stats;
struct ovs_list;
struct smap;

/* The IPFIX configuration of one bridge, as IPFIX_SET carries it. */
struct dpu_ipfix_config {
    struct uuid bridge_uuid;
    char *bridge_name;
    char *dpu_name;             /* NULL if absent. */
    bool has_obs_domain_id;
    uint32_t obs_domain_id;
    struct ofproto_ipfix_bridge_exporter_options *be;   /* NULL if none. */
    struct ofproto_ipfix_flow_exporter_options *fe;     /* 'n_fe' of them. */
    size_t n_fe;
};

/* dpu_put_ipfix_config() appends 'cfg' to 'b' as DPU_ATTR_IPFIX.
 *
 * dpu_parse_ipfix_config() decodes IPFIX 'nla' into '*cfg', which the
 * caller must release with dpu_ipfix_config_destroy() whatever the result.
 * Returns false, with the cause appended to 'why', if 'nla' is malformed
 * (see DPU_MSG_IPFIX_SET for what EINVAL means). */
void dpu_put_ipfix_config(struct ofpbuf *b, const struct dpu_ipfix_config *);
bool dpu_parse_ipfix_config(const struct nlattr *nla,
                            struct dpu_ipfix_config *cfg, struct ds *why);
void dpu_ipfix_config_destroy(struct dpu_ipfix_config *);

/* "critical", "major", "minor", "warning", "info", or "unknown" for
 * another value. */
const char *dpu_severity_to_string(uint32_t severity);

/* The DPU_SEVERITY_* named 's' (as by dpu_severity_to_string()), or -1. */
int dpu_severity_from_string(const char *s);

/* One hardware health alert. */
struct dpu_health {
    char *sensor;
    enum dpu_severity severity;
    char *value;                /* May be NULL. */
    char *message;              /* May be NULL. */
};

/* dpu_put_health() appends the 'n' alerts in 'alerts' to 'b' as HEALTH
 * attributes.
 *
 * dpu_parse_health() decodes the HEALTH attributes of DPU_EVENT message
 * 'buf' (already decoded with dpu_msg_decode()) into a malloc()ed array
 * stored in '*alertsp', and their number in '*np'; the caller releases
 * them with dpu_health_destroy() whatever the result.  Returns false, with
 * the cause appended to 'why', if an attribute is malformed: a nested
 * attribute that fails its policy, an empty or too long sensor, an unknown
 * severity, two alerts for one sensor, more than DPU_MAX_HEALTH alerts. */
void dpu_put_health(struct ofpbuf *b, const struct dpu_health *alerts,
                    size_t n);
bool dpu_parse_health(const struct ofpbuf *buf, struct dpu_health **alertsp,
                      size_t *np, struct ds *why);
void dpu_health_destroy(struct dpu_health *, size_t n);

/* One route of a DPU, as TNL_ROUTES carries it.  IPv4 addresses are
 * IPv4-mapped, and 'plen' counts the 96 bits of the mapping. */
struct dpu_route {
    struct in6_addr dst;
    uint8_t plen;               /* 0 to 128. */
    char *dev;                  /* The DPU's name of the device. */
    struct in6_addr gw;         /* All-zero: none. */
    struct in6_addr src;        /* All-zero: none. */
    uint32_t mark;
    bool local;
};

/* dpu_put_route() appends 'route' to 'b' as a ROUTE attribute.
 *
 * dpu_parse_routes() decodes the ROUTE attributes of TNL_ROUTES message
 * 'buf' (already decoded with dpu_msg_decode()) into a malloc()ed array
 * stored in '*routesp', and their number in '*np'; the caller releases them
 * with dpu_routes_destroy() whatever the result.  Returns false, with the
 * cause appended to 'why', if a route fails its policy, has a prefix longer
 * than 128 bits, or if there are more than DPU_MAX_ROUTES. */
void dpu_put_route(struct ofpbuf *b, const struct dpu_route *route);
bool dpu_parse_routes(const struct ofpbuf *buf, struct dpu_route **routesp,
                      size_t *np, struct ds *why);
void dpu_routes_destroy(struct dpu_route *, size_t n);

/* One raise or clear of an alarm, as ALARM carries it.  Strings that are
 * absent on the wire are NULL. */
struct dpu_alarm_event {
    struct uuid id;
    const char *type;
    const char *dpu_name;
    const char *subject;
    enum dpu_severity severity;
    bool cleared;
    long long int time;         /* ms since the epoch. */
    const char *cause;
    const char *from, *to, *reason;     /* Of a failover. */
    bool has_duration;
    uint64_t duration_ms;
};

/* dpu_put_alarm() appends 'ev' to 'b' as DPU_ATTR_ALARM.
 *
 * dpu_parse_alarm() decodes ALARM 'nla' into '*ev', whose strings then
 * point into 'nla'.  Returns false, with the cause appended to 'why', if
 * 'nla' is malformed: a nested attribute that fails its policy, an empty
 * TYPE or DPU_NAME, an unknown severity, a time after
 * DPU_ALARM_MAX_TIME. */
void dpu_put_alarm(struct ofpbuf *b, const struct dpu_alarm_event *);
bool dpu_parse_alarm(const struct nlattr *nla, struct dpu_alarm_event *ev,
                     struct ds *why);

/* "active", "standby", "prepare", or "unknown" for another value. */
const char *dpu_role_to_string(uint32_t role);

/* The DPU_ROLE_* named 's' (as by dpu_role_to_string()), or -1. */
int dpu_role_from_string(const char *s);

/* The hash of a packet's 'size' bytes at 'data' (from its Ethernet header to
 * its end) in a DPU_ATTR_HANDOVER: hash_bytes(data, size, 0) of
 * lib/hash.h. */
uint32_t dpu_packet_hash(const void *data, size_t size);

/* DPU_ATTR_HANDOVER, in 'version' of the protocol: the sender's byte order
 * in version 1, network byte order from version 2 on.
 *
 * dpu_put_handover() appends the 'n' entries of 'h', in host byte order.
 * dpu_parse_handover() checks 'nla': its length is a multiple of the size
 * of struct dpu_handover, it has 0 to DPU_MAX_HANDOVER entries for distinct
 * ports, each with 1 to DPU_HANDOVER_HASHES hashes.  On success, returns 0
 * and stores the entries, in host byte order, in a new array in '*hp' (the
 * caller frees it) and their number in '*np'.  Otherwise returns EINVAL
 * and says why in 'why'. */
void dpu_put_handover(struct ofpbuf *, const struct dpu_handover *h,
                      size_t n, uint8_t version);
int dpu_parse_handover(const struct nlattr *nla, uint8_t version,
                       struct dpu_handover **hp, size_t *np, struct ds *why);

/* A SET_ROLE request. */
struct dpu_role_request {
    uint32_t role;              /* DPU_ROLE_*. */
    uint32_t lease_ms;          /* 0: none. */
    uint32_t drain_ms;          /* 0: none. */
    odp_port_t uplinks[DPU_MAX_UPLINKS];
    size_t n_uplinks;
    bool has_handover;          /* Whether there is a HANDOVER, perhaps
                                 * empty. */
    struct dpu_handover *handover;  /* 'n_handover' entries, host byte
                                     * order. */
    size_t n_handover;
};

/* Appends the attributes of 'rq' to SET_ROLE message 'b' of protocol
 * 'version'. */
void dpu_put_role_request(struct ofpbuf *b, const struct dpu_role_request *,
                          uint8_t version);

/* Parses SET_ROLE request 'msg' (whose whole message is 'buf', for the
 * repeated UPLINKs) into '*rq'.  Returns 0, or EINVAL with why in 'why'.
 * Either way, the caller must free '*rq' with dpu_role_request_destroy(). */
int dpu_parse_role_request(const struct ofpbuf *buf, const struct dpu_msg *,
                           struct dpu_role_request *rq, struct ds *why);
void dpu_role_request_destroy(struct dpu_role_request *);

/* A decoded message.  'attrs' point into the buffer that was decoded, which
 * must outlive this structure. */
struct dpu_msg {
    enum dpu_msg_type type;
    uint8_t version;            /* The header's version. */
    uint16_t flags;
    uint32_t xid;
    struct nlattr *attrs[DPU_ATTR_MAX + 1];
};

/* The message catalogue (see dpu-wire.h for each message's meaning). */
enum dpu_msg_dir {
    DPU_DIR_REPLY,              /* Only ever a reply: ERROR. */
    DPU_DIR_HELLO,              /* The first request, before any other:
                                 * HELLO. */
    DPU_DIR_REQUEST,            /* From the host to the DPU, with a nonzero
                                 * xid, answered. */
    DPU_DIR_ASYNC,              /* From the DPU to the host, with xid 0,
                                 * never answered. */
};

struct dpu_msg_info {
    const char *name;           /* "port-add", for logs and errors. */
    enum dpu_msg_dir dir;
    uint32_t cap;               /* The DPU_CAP_* that a DPU announces when it
                                 * serves this request, or 0 if every DPU
                                 * must. */
    const struct nl_policy *request;    /* A request or an asynchronous
                                         * message; NULL for a reply-only
                                         * type. */
    const struct nl_policy *reply;      /* A successful reply; NULL for an
                                         * asynchronous message. */
};

/* Returns the catalogue's entry for message type 'type', or NULL if it is
 * not a type of this version of the protocol. */
const struct dpu_msg_info *dpu_msg_info(unsigned int type);

/* Returns the name of 'type', or "<unknown>". */
const char *dpu_msg_type_to_string(enum dpu_msg_type);

/* Iterates over the top-level attributes of message 'BUF' (a struct ofpbuf
 * whose header has been checked, e.g. by dpu_msg_decode()), to walk those
 * that may be repeated. */
#define DPU_MSG_FOR_EACH_ATTR(NLA, LEFT, BUF)                           \
    NL_ATTR_FOR_EACH (NLA, LEFT, ofpbuf_at(BUF, DPU_HEADER_LEN, 0),     \
                      (BUF)->size - DPU_HEADER_LEN)

/* Encoding.  dpu_msg_start() clears 'b' and writes a header; attributes are
 * then appended with nl_msg_put_*(); dpu_msg_finish() fills in the length.
 * The header's version is DPU_VERSION_MIN, which every peer frames; a
 * channel whose session has a version stamps it into what it sends (see
 * dpu_channel_set_version()). */
void dpu_msg_start(struct ofpbuf *b, enum dpu_msg_type, uint32_t xid,
                   uint16_t flags);
void dpu_msg_finish(struct ofpbuf *b);
void dpu_msg_put_error(struct ofpbuf *b, uint32_t xid, int error,
                       const char *format, ...) OVS_PRINTF_FORMAT(4, 5);
void dpu_put_smap(struct ofpbuf *b, uint16_t type, const struct smap *);

/* Decoding.
 *
 * dpu_msg_frame_len() looks at the first 'size' bytes of a stream: returns
 * the length of the message that starts there, 0 if more bytes are needed to
 * tell, or a negative errno value if the header is invalid (the stream can
 * not be framed any more).  The framing is the same in every version: only
 * version 0 is invalid.
 *
 * dpu_msg_decode() validates the message in 'b' (one whole message): header,
 * type, and every top-level attribute against the policy of the type.
 * Returns 0 and fills 'msg' on success; otherwise returns a positive errno
 * value (EPROTO: bad header; EOPNOTSUPP: unknown type; EINVAL: bad
 * attributes) and, if 'errorp' is nonnull, stores a malloc()ed
 * description of the problem in '*errorp'. */
int dpu_msg_frame_len(const void *data, size_t size);
int dpu_msg_decode(const struct ofpbuf *b, struct dpu_msg *msg,
                   char **errorp);

/* Versions.
 *
 * This implementation speaks versions DPU_VERSION_MIN to
 * DPU_PROTOCOL_VERSION (see "Versions" in dpu-wire.h).
 *
 * dpu_version_pick() returns the highest version in both [min_a, max_a] and
 * [min_b, max_b], or 0 if there is none. */
#define DPU_VERSION_MIN 1

uint8_t dpu_version_pick(uint8_t min_a, uint8_t max_a,
                         uint8_t min_b, uint8_t max_b);

/* HELLO.
 *
 * A DPU's identity, as its HELLO reply carries it.  Every member is a
 * malloc()ed string. */
struct dpu_identity {
    char *vendor;
    char *model;
    char *hw_version;
    char *firmware;
    char *serial;
    char *image_version;
};

void dpu_identity_clone(struct dpu_identity *dst,
                        const struct dpu_identity *src);
void dpu_identity_destroy(struct dpu_identity *);

/* Adds 'id' to 'smap' with the keys of DPU:status: "vendor", "model",
 * "hardware_version", "firmware", "serial", "image_version". */
void dpu_identity_to_smap(const struct dpu_identity *id, struct smap *smap);

/* What the host says in a HELLO request.  The strings are not owned. */
struct dpu_hello_request {
    uint8_t version_min;        /* The versions the host speaks.  A peer */
    uint8_t version_max;        /* that does not say speaks only the
                                 * version of its HELLO's header. */
    const char *dp_name;        /* The datapath the host expects. */
    const char *host_name;      /* NULL if not said. */
    bool want_upcalls;          /* The host's datapath connection. */
};

/* What a DPU says in its HELLO reply. */
struct dpu_hello_reply {
    uint8_t version_min;        /* The versions the DPU speaks, as in */
    uint8_t version_max;        /* struct dpu_hello_request. */
    struct dpu_identity id;
    ovs_u128 boot_id;
    uint32_t caps;              /* DPU_CAP_* bits. */
    bool explicit_drop;         /* DP_FEATURES. */
    bool lb_output;
    char *dp_version;           /* malloc()ed, NULL if not said. */
    bool has_role;
    uint32_t role;              /* DPU_ROLE_*, if 'has_role'. */
};

/* dpu_put_hello_request() and dpu_put_hello_reply() append the attributes of
 * a HELLO request or reply, BYTE_ORDER included, to 'b', a message started
 * with dpu_msg_start().
 *
 * dpu_parse_hello_request() decodes the HELLO request 'msg' into '*req',
 * whose strings then point into 'msg'.  dpu_parse_hello_reply() decodes the
 * HELLO reply 'msg' into '*reply', which the caller releases with
 * dpu_hello_reply_destroy() whatever the result.  Both return 0, or a
 * positive errno value with the cause appended to 'why': EPROTO if the
 * peer's byte order differs, EINVAL if an attribute is malformed. */
void dpu_put_hello_request(struct ofpbuf *b, const struct dpu_hello_request *);
int dpu_parse_hello_request(const struct dpu_msg *,
                            struct dpu_hello_request *, struct ds *why);
void dpu_put_hello_reply(struct ofpbuf *b, const struct dpu_hello_reply *);
int dpu_parse_hello_reply(const struct dpu_msg *, struct dpu_hello_reply *,
                          struct ds *why);
void dpu_hello_reply_destroy(struct dpu_hello_reply *);

/* Statistics.
 *
 * dpu_put_dp_stats() appends the datapath counters 'stats' to 'b' as nested
 * attribute 'type' (DPU_ATTR_DP_STATS or DPU_METRICS_ATTR_DP_STATS), and
 * dpu_parse_dp_stats() decodes them.  A counter that the datapath does not
 * keep (n_masks UINT32_MAX, n_mask_hit or n_cache_hit UINT64_MAX, as
 * dpif-netdev says) is absent on the wire; an absent counter decodes as
 * unknown in the same way, or as 0 for the others.
 *
 * dpu_put_netdev_stats() appends the device counters of 'stats' (rx_packets
 * to collisions) to 'b' as nested attribute 'type' (DPU_ATTR_NETDEV_STATS,
 * or the same inside a METRICS port), each one that is not UINT64_MAX
 * (unknown, as netdev_get_stats() reports a counter the device does not
 * keep).  dpu_parse_netdev_stats() decodes them: an absent counter, and
 * every member of 'stats' that the protocol does not carry, is UINT64_MAX.
 *
 * The parsers return false if 'nla' is malformed. */
void dpu_put_dp_stats(struct ofpbuf *b, uint16_t type,
                      const struct dpif_dp_stats *);
bool dpu_parse_dp_stats(const struct nlattr *, struct dpif_dp_stats *);
void dpu_put_netdev_stats(struct ofpbuf *b, uint16_t type,
                          const struct netdev_stats *);
bool dpu_parse_netdev_stats(const struct nlattr *, struct netdev_stats *);

/* Ports.
 *
 * A port as PORT_DUMP lists it (DPU_ATTR_PORT).  dpu_put_port() appends
 * 'port' to 'b'; dpu_parse_port() decodes PORT 'nla' into '*port', whose
 * strings then point into 'nla', and returns false if 'nla' is
 * malformed. */
struct dpu_port {
    odp_port_t port_no;
    const char *name;
    const char *type;           /* The device's netdev type on the DPU. */
};

void dpu_put_port(struct ofpbuf *b, const struct dpu_port *);
bool dpu_parse_port(const struct nlattr *, struct dpu_port *);

/* A port's device, as the reply to NETDEV_GET describes it.
 *
 * dpu_put_netdev_state() appends 'state' to 'b', a NETDEV_GET reply.
 * dpu_parse_netdev_state() decodes NETDEV_GET reply 'msg' into '*state',
 * whose 'addrs' then point into 'msg', and returns false, with the cause
 * appended to 'why', if it is malformed. */
struct dpu_netdev_state {
    struct netdev_stats stats;  /* Unknown counters are UINT64_MAX. */
    struct eth_addr mac;
    uint32_t mtu;
    bool carrier;
    uint64_t carrier_resets;
    uint32_t flags;             /* NETDEV_UP, NETDEV_PROMISC, ... */
    const struct dpu_in6_addr *addrs;   /* The device's IP addresses. */
    size_t n_addrs;             /* 0 to DPU_MAX_IN6_ADDRS. */
};

void dpu_put_netdev_state(struct ofpbuf *b, const struct dpu_netdev_state *);
bool dpu_parse_netdev_state(const struct dpu_msg *,
                            struct dpu_netdev_state *, struct ds *why);

/* Flow operations and flows.
 *
 * dpu_put_flow_op() appends Open vSwitch's flow operation 'op' to 'b' as an
 * OP attribute of an OPERATE request.  An EXECUTE carries its packet's
 * metadata in KEY as odp_key_from_dp_packet() encodes it, plus
 * OVS_KEY_ATTR_ETHERNET for an Ethernet frame.
 *
 * dpu_parse_flow_op() decodes OP 'nla' into '*op', whose attributes then
 * point into 'nla'.  Returns 0, or a positive errno value with the cause
 * appended to 'why': EINVAL if 'nla' fails its policy or lacks what its
 * type needs, EOPNOTSUPP if the type is unknown.  It checks neither keys nor
 * actions: their receiver's ODP parsers and dpu_actions_check() do. */
struct dpu_flow_op {
    enum dpu_op_type type;
    const struct nlattr *key;   /* KEY, or NULL. */
    const struct nlattr *mask;  /* MASK, or NULL. */
    const struct nlattr *actions;   /* ACTIONS, or NULL. */
    const struct nlattr *packet;    /* PACKET, for an EXECUTE. */
    bool has_ufid;
    ovs_u128 ufid;
    uint32_t put_flags;         /* PUT: DPU_FP_*, DPU_FP_CREATE if absent. */
    bool want_stats;            /* PUT: the reply reports the flow's
                                 * statistics. */
    uint32_t mtu;               /* EXECUTE: 0 if absent. */
    uint64_t hash;              /* EXECUTE: 0 if absent. */
    bool probe;                 /* EXECUTE: a feature probe. */
};

void dpu_put_flow_op(struct ofpbuf *b, const struct dpif_op *);
int dpu_parse_flow_op(const struct nlattr *, struct dpu_flow_op *,
                      struct ds *why);

/* Returns a new packet with the contents and metadata of EXECUTE 'op' (as
 * decoded by dpu_parse_flow_op()), in a buffer as dpif-netdev's actions
 * expect (see dpu_packet_from_attr()), and extracts its flow into
 * '*flow'. */
struct dp_packet *dpu_execute_packet(const struct dpu_flow_op *op,
                                     struct flow *flow);

/* The result of a flow operation (OP_RESULT), or a flow of a FLOW_DUMP
 * reply (FLOW).
 *
 * dpu_put_op_result() appends an OP_RESULT to 'b': 'error' (0 or a positive
 * errno value), then 'stats' if nonnull, then 'flow' if nonnull (the result
 * of a GET: its key, mask, actions, UFID and statistics).  dpu_put_flow()
 * appends 'flow' to 'b' as a FLOW, without its key, mask and actions if
 * 'terse'.  Both write the statistics with dpu_put_flow_stats(), which
 * appends them to the nest being built: a time of last use becomes how long
 * ago it was, so that the two sides' clocks need not agree.
 *
 * dpu_parse_op_result() and dpu_parse_flow() decode OP_RESULT or FLOW 'nla'
 * into '*result', whose attributes then point into 'nla', with the time of
 * last use in this side's time_msec().  They return false if 'nla' is
 * malformed, an OP_RESULT without RESULT_ERRNO or a FLOW without UFID
 * included. */
struct dpu_flow_result {
    int error;                  /* OP_RESULT: 0 or a positive errno value;
                                 * EPROTO for one out of range. */
    bool has_stats;
    struct dpif_flow_stats stats;
    const struct nlattr *key, *mask, *actions;  /* NULL if absent. */
    bool has_ufid;
    ovs_u128 ufid;
    bool offloaded;
};

void dpu_put_flow_stats(struct ofpbuf *b, const struct dpif_flow_stats *);
void dpu_put_op_result(struct ofpbuf *b, int error,
                       const struct dpif_flow_stats *stats,
                       const struct dpif_flow *flow);
bool dpu_parse_op_result(const struct nlattr *, struct dpu_flow_result *);
void dpu_put_flow(struct ofpbuf *b, const struct dpif_flow *, bool terse);
bool dpu_parse_flow(const struct nlattr *, struct dpu_flow_result *);

/* Upcalls.
 *
 * dpu_put_upcall() appends an UPCALL to 'b': a packet 'packet' that missed
 * the flow table (DPU_UC_MISS) or that a userspace() action with
 * 'userdata' (which may be null) sent (DPU_UC_ACTION), its flow key as
 * 'key_parms' encodes it with odp_flow_key_from_flow(), and its UFID.
 *
 * dpu_parse_upcall() decodes UPCALL 'nla' into '*upcall', whose attributes
 * then point into 'nla'.  Returns false, with the cause appended to 'why',
 * if 'nla' is malformed or its type unknown. */
struct dpu_upcall {
    uint32_t type;              /* DPU_UC_*. */
    const struct nlattr *packet;    /* The frame. */
    const struct nlattr *key;       /* Nested OVS_KEY_ATTR_*. */
    ovs_u128 ufid;
    const struct nlattr *userdata;  /* Each of these NULL if absent. */
    const struct nlattr *actions;
    const struct nlattr *mru;
    const struct nlattr *hash;
    const struct nlattr *cutlen;
    const struct nlattr *out_tun_key;
};

void dpu_put_upcall(struct ofpbuf *b, uint32_t type,
                    const struct dp_packet *packet,
                    const struct odp_flow_key_parms *key_parms,
                    const ovs_u128 *ufid, const struct nlattr *userdata);
bool dpu_parse_upcall(const struct nlattr *, struct dpu_upcall *,
                      struct ds *why);

/* Parses QOS_CAPS 'nla' ('attrs' must have DPU_QOS_ATTR_MAX + 1 elements).
 * Returns true if valid. */
bool dpu_parse_qos_caps(const struct nlattr *, struct nlattr *attrs[]);

/* Parses DPU_ATTR_CONFIG or DPU_ATTR_PORT_OPTIONS 'nla' into 'smap'.  Returns
 * false, leaving 'smap' partially filled, if 'nla' is malformed. */
bool dpu_parse_smap(const struct nlattr *nla, struct smap *smap);

/* Meters and conntrack entries, encoded and decoded the same way on both
 * sides.
 *
 * dpu_put_meter_config() appends 'config' to 'b' as nested attribute
 * 'type'; likewise for the others.  A meter's statistics hold 'n_bands'
 * band counters.
 *
 * dpu_parse_meter_config() decodes METER 'nla' into '*config', whose bands
 * it stores in 'bands' (room for 'max_bands').  Returns 0 or EINVAL, with
 * the cause appended to 'why'.  dpu_parse_meter_stats() decodes METER_STATS
 * into '*stats', whose 'bands' has room for 'n_bands' (more bands are
 * ignored), and dpu_parse_meter_features() METER_FEATURES; both return
 * false if 'nla' is malformed.
 *
 * dpu_parse_ct_entry() decodes CT_ENTRY 'nla' into '*entry'.  Returns false
 * if 'nla' is malformed.
 *
 * dpu_put_ct_timeout_policy() appends a CT_TIMEOUT_POLICY to 'b', and
 * dpu_parse_ct_timeout_policy() decodes one into '*tp'; it returns false if
 * 'nla' is malformed or sets a timeout that it does not know. */
void dpu_put_meter_config(struct ofpbuf *b, uint16_t type,
                          const struct ofputil_meter_config *);
int dpu_parse_meter_config(const struct nlattr *nla,
                           struct ofputil_meter_config *config,
                           struct ofputil_meter_band *bands,
                           size_t max_bands, struct ds *why);
void dpu_put_meter_stats(struct ofpbuf *b, uint16_t type,
                         const struct ofputil_meter_stats *);
bool dpu_parse_meter_stats(const struct nlattr *nla,
                           struct ofputil_meter_stats *stats,
                           uint16_t n_bands);
void dpu_put_meter_features(struct ofpbuf *b, uint16_t type,
                            const struct ofputil_meter_features *);
bool dpu_parse_meter_features(const struct nlattr *nla,
                              struct ofputil_meter_features *);
void dpu_put_ct_tuple(struct ofpbuf *b, uint16_t type,
                      const struct ct_dpif_tuple *);
bool dpu_parse_ct_tuple(const struct nlattr *nla, struct ct_dpif_tuple *);
void dpu_put_ct_zone_limits(struct ofpbuf *b, const struct ovs_list *limits,
                            bool with_limit, bool with_count);
bool dpu_parse_ct_zone_limits(const struct ofpbuf *b,
                              struct ovs_list *limits);
void dpu_put_ct_timeout_policy(struct ofpbuf *b,
                               const struct ct_dpif_timeout_policy *);
bool dpu_parse_ct_timeout_policy(const struct nlattr *nla,
                                 struct ct_dpif_timeout_policy *);
void dpu_put_ct_entry(struct ofpbuf *b, uint16_t type,
                      const struct ct_dpif_entry *);
bool dpu_parse_ct_entry(const struct nlattr *nla, struct ct_dpif_entry *);

/* Datapath bonds.
 *
 * dpu_put_bond_members() appends to 'b' the member of each of the
 * DPU_BOND_BUCKETS buckets in 'members' as DPU_ATTR_BOND_MEMBERS, and
 * dpu_parse_bond_members() decodes one into 'members', which must have room
 * for DPU_BOND_BUCKETS; the message's policy has checked its length.
 * Likewise for the bytes of each bucket in DPU_ATTR_BOND_STATS. */
void dpu_put_bond_members(struct ofpbuf *b, const odp_port_t *members);
void dpu_parse_bond_members(const struct nlattr *, odp_port_t *members);
void dpu_put_bond_stats(struct ofpbuf *b, const uint64_t *n_bytes);
void dpu_parse_bond_stats(const struct nlattr *, uint64_t *n_bytes);

/* QoS queues.
 *
 * dpu_put_queue() appends to 'b' a DPU_ATTR_QUEUE for queue 'queue_id' with
 * 'details' and 'stats', each omitted if null.  A statistic of UINT64_MAX
 * (unknown) is omitted; 'stats->created' is sent as the queue's age.
 *
 * dpu_parse_queue() decodes QUEUE 'nla' into '*queue_id', and, if they are
 * nonnull, its details into 'details' and its statistics into '*stats'
 * ('created' in this side's time_msec()).  Returns false if 'nla' is
 * malformed or lacks what is asked for. */
void dpu_put_queue(struct ofpbuf *b, unsigned int queue_id,
                   const struct smap *details,
                   const struct netdev_queue_stats *stats);
bool dpu_parse_queue(const struct nlattr *nla, unsigned int *queue_id,
                     struct smap *details, struct netdev_queue_stats *stats);

/* A DPU's metrics, as METRICS carries them: see DPU_METRICS_ATTR_* for
 * the meaning and units of each member. */
struct dpu_metrics_core {
    char *name;
    uint32_t load;              /* Hundredths of a percent. */
};

struct dpu_metrics_port {
    odp_port_t port_no;
    char *name;
    struct netdev_stats stats;  /* As dpu_parse_netdev_stats() gives them:
                                 * UINT64_MAX for a counter that the device
                                 * does not keep. */
};

struct dpu_metrics {
    bool emulated;
    bool injected;              /* Some figures were injected, not
                                 * measured. */
    uint32_t interval_ms;
    struct dpu_metrics_core *cores;
    size_t n_cores;
    uint64_t mem_used, mem_total;       /* Bytes. */
    uint64_t n_flows, n_hit, n_missed, n_lost;
    struct dpu_metrics_port *ports;
    size_t n_ports;
    uint64_t upcalls;
    uint32_t upcall_rate;
    uint64_t flow_setups;
    bool has_flow_setup;        /* False: no flow setup measured yet. */
    uint32_t flow_setup_avg_us, flow_setup_max_us;
};

/* dpu_put_metrics() appends 'm' to 'b' as DPU_ATTR_METRICS.
 *
 * dpu_parse_metrics() decodes METRICS 'nla' into '*m', which the caller
 * must release with dpu_metrics_destroy() whatever the result.  Returns
 * false, with the cause appended to 'why', if 'nla' is malformed: a nested
 * attribute that fails its policy, too many cores, a load above 10000. */
void dpu_put_metrics(struct ofpbuf *b, const struct dpu_metrics *m);
bool dpu_parse_metrics(const struct nlattr *nla, struct dpu_metrics *m,
                       struct ds *why);
void dpu_metrics_destroy(struct dpu_metrics *);

/* dpu_metrics_format() appends 'm' to 's' as a screen of "ovs-dpuctl top":
 * a summary, then a line per core and per port.  The host's summaries use
 * its parts: dpu_metrics_format_load() appends a core's 'load' as a
 * percentage, dpu_metrics_format_flow_setups() the flow setups and their
 * latency. */
void dpu_metrics_format(const struct dpu_metrics *m, struct ds *s);
void dpu_metrics_format_load(uint32_t load, struct ds *s);
void dpu_metrics_format_flow_setups(const struct dpu_metrics *m,
                                    struct ds *s);

/* Returns a new packet that holds the contents of PACKET attribute 'nla',
 * in a buffer as large as a port receives a 1500-byte frame into (or
 * larger, for a larger packet), as dpif-netdev's actions expect of the
 * packets they run on. */
struct dp_packet *dpu_packet_from_attr(const struct nlattr *nla);

/* Images (dpu-codec-image.c). */

/* An IMAGE_BEGIN request. */
struct dpu_image_begin {
    uint64_t size;              /* Of the whole bundle file. */
    uint8_t sha256[32];         /* Of the whole bundle file. */
    bool force;                 /* Accept an older version. */
};
void dpu_put_image_begin(struct ofpbuf *, const struct dpu_image_begin *);
void dpu_parse_image_begin(const struct dpu_msg *, struct dpu_image_begin *);

/* An IMAGE_DATA request.  'data' points into the message it was parsed
 * from. */
struct dpu_image_data {
    uint64_t offset;
    const void *data;
    size_t size;
};
void dpu_put_image_data(struct ofpbuf *, const struct dpu_image_data *);
void dpu_parse_image_data(const struct dpu_msg *, struct dpu_image_data *);

/* The reply to IMAGE_END: the version written, and the bank ("a" or "b").
 * The strings point into the message they were parsed from.
 * dpu_parse_image_result() returns 0, or EINVAL with why in 'why'. */
struct dpu_image_result {
    const char *version;
    const char *bank;
};
void dpu_put_image_result(struct ofpbuf *, const struct dpu_image_result *);
int dpu_parse_image_result(const struct dpu_msg *, struct dpu_image_result *,
                           struct ds *why);

/* An IMAGE_SELECT request: the version to boot.  dpu_parse_image_select()
 * returns 0 and the version (pointing into 'msg') in '*versionp', or EINVAL
 * with why in 'why'.  Its reply is a struct dpu_image_result. */
void dpu_put_image_select(struct ofpbuf *, const char *version);
int dpu_parse_image_select(const struct dpu_msg *, const char **versionp,
                           struct ds *why);

/* LOG_GET's reply: the log's size, and 'size' bytes of it from the offset
 * asked for ('data' points into the message it was parsed from). */
struct dpu_log_chunk {
    uint64_t log_size;
    const void *data;
    size_t size;
};
void dpu_put_log_chunk(struct ofpbuf *, const struct dpu_log_chunk *);
void dpu_parse_log_chunk(const struct dpu_msg *, struct dpu_log_chunk *);

/* Connection state on the standby (dpu-codec-ct-sync.c). */

/* The header attributes of CT_SYNC_REQ (only 'gen'), CT_SYNC (no 'count')
 * and CT_SYNC_DONE. */
struct dpu_ct_sync_hdr {
    uint32_t gen;               /* Generation, 0 in a CT_SYNC_REQ to stop. */
    uint32_t seq;               /* Message number in the generation. */
    uint32_t count;             /* CT_SYNC_DONE: connections in the copy. */
};
void dpu_put_ct_sync_hdr(struct ofpbuf *, enum dpu_msg_type,
                         const struct dpu_ct_sync_hdr *);
void dpu_parse_ct_sync_hdr(const struct dpu_msg *, struct dpu_ct_sync_hdr *);

/* One change of a connection in a CT_SYNC. */
struct dpu_ct_sync_entry {
    struct ct_dpif_entry entry; /* The connection after the change. */
    bool deleted;               /* It was deleted or expired. */
    long long int time_usec;    /* When, on the active DPU's wall clock. */
};
void dpu_put_ct_sync_entry(struct ofpbuf *, const struct dpu_ct_sync_entry *);

/* Decodes CT_SYNC attribute 'nla' into '*e'.  Returns false if it is
 * malformed. */
bool dpu_parse_ct_sync_entry(const struct nlattr *nla,
                             struct dpu_ct_sync_entry *e);

/* Returns the u64 value of optional attribute 'nla', or 0 if it is null. */
uint64_t dpu_attr_u64(const struct nlattr *nla);

#endif /* dpu-codec.h */
