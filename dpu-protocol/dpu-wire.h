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

#ifndef DPU_WIRE_H
#define DPU_WIRE_H 1

/* The OVS-DPU host<->DPU protocol: the wire format.
 * =================================================
 *
 * ovs-vswitchd (the "host", through dpif-dpu) and a DPU agent (the "DPU")
 * exchange messages over a byte stream (unix:, tcp: or ssl:).  The host
 * always connects; the DPU listens.  This header numbers every message and
 * attribute and lays out every fixed-size structure on the wire.  It
 * includes only C library headers, so that a DPU vendor can build its side
 * of the protocol from it and Documentation/topics/dpu-protocol.rst alone.
 * OVS-DPU's own codec (dpu-codec.h), which both of its sides use, is built
 * on it.
 *
 * Framing
 * -------
 *
 * Every message starts with a struct dpu_header (12 bytes, every field in
 * network byte order) followed by zero or more Netlink attributes (struct
 * dpu_nlattr, padded to 4 bytes).  'length' covers the header and the
 * attributes and is a multiple of 4 between DPU_HEADER_LEN and
 * DPU_MAX_MSG_LEN.  The framing is the same in every version of the
 * protocol, so that a receiver can always cut the stream into messages.
 *
 * Byte order
 * ----------
 *
 * Three rules cover every byte:
 *
 *   - struct dpu_header, and every field of the structures that attributes
 *     carry as arrays (struct dpu_in6_addr, struct dpu_handover), are in
 *     network byte order, whatever the peers' byte order.
 *
 *   - Netlink attribute headers (nla_len, nla_type) and integer payloads
 *     (the types u8, u16, u32 and u64 in the comments below) are in the
 *     sender's byte order, which must equal the receiver's: each HELLO
 *     carries DPU_ATTR_BYTE_ORDER, DPU_BYTE_ORDER_MAGIC in the sender's
 *     byte order, and a receiver that reads another value refuses the
 *     session.  (Datapath objects are Open vSwitch's ODP attributes, which
 *     are in host byte order; no version of the protocol translates them.)
 *
 *   - be16 payloads are in network byte order; u128 payloads are 16 opaque
 *     bytes, compared as such; ODP attributes (flow keys, masks, actions)
 *     are as Open vSwitch encodes them for the Linux kernel datapath
 *     (include/linux/openvswitch.h of Open vSwitch).
 *
 * The payload types named in the comments below are: flag (no payload),
 * u8, u16, u32, u64, be16, u128 (as above), string (UTF-8, terminated by a
 * NUL that the attribute's length includes), nested (more attributes, of
 * the enum named), an array of a structure below, or "N bytes" of what is
 * said.
 *
 * Versions
 * --------
 *
 * This header describes version DPU_PROTOCOL_VERSION.  Each side speaks a
 * range of versions.  The HELLO exchange picks one, and it is the same in
 * every version, so that any two peers find the version they share or
 * learn that there is none:
 *
 *   - The host's HELLO request carries, in its header's 'version', the
 *     lowest version that the host speaks, and its whole range in
 *     VERSION_MIN and VERSION_MAX.
 *
 *   - The DPU picks the highest version in both ranges.  Its HELLO reply
 *     carries that version in its header, and the DPU's own range in
 *     VERSION_MIN and VERSION_MAX.  Every later message on the connection,
 *     in either direction, carries that version in its header, except a
 *     later HELLO, which is answered like the first.
 *
 *   - If the ranges do not meet, the DPU answers with an ERROR reply, in a
 *     header with the version of the HELLO's header: ERRNO
 *     EPROTONOSUPPORT, and an ERROR_MSG that names both ranges, such as
 *     "the host speaks versions 3 to 4, this DPU 1 to 2".  The DPU then
 *     closes the connection.  A host that receives such a reply (or a
 *     reply that picks a version outside its range) logs it, reports it as
 *     the DPU's error, and tries again later.
 *
 *   - A peer that sends no VERSION_MIN and VERSION_MAX speaks only the
 *     version in its HELLO's header: that is how version 1, which had no
 *     negotiation, is recognized.  A version 1 peer frames only headers of
 *     version 1, which is why the host's HELLO carries its lowest version.
 *
 * Version 2 differs from version 1 in the HELLO's VERSION_MIN and
 * VERSION_MAX, and in the byte order of struct dpu_handover (version 1:
 * the sender's).  Within one version:
 *
 *   - New attributes may be added to any message.  A receiver ignores
 *     attributes it does not know.
 *
 *   - New message types may be added.  A receiver answers an unknown
 *     request with ERROR EOPNOTSUPP and keeps the connection.
 *
 *   - Optional features are announced as DPU_CAP_* bits in the HELLO
 *     reply; a request that needs a capability the DPU did not announce is
 *     answered with ERROR EOPNOTSUPP.
 *
 * Any other change makes a new version.
 *
 * Transactions
 * ------------
 *
 * A request carries a nonzero 'xid' chosen by the requester (only the host
 * sends requests).  Exactly one reply, with the same 'xid' and DPU_F_REPLY
 * set, answers each request, in any order.  A reply either has the
 * request's type (success) or type DPU_MSG_ERROR with DPU_ATTR_ERRNO (a
 * positive errno value, Linux numbering) and DPU_ATTR_ERROR_MSG (why, in
 * words).  'xid' 0 is reserved for asynchronous messages (UPCALL,
 * PORT_EVENT, DPU_EVENT), which the DPU sends on its own and which are
 * never answered.
 *
 * Validation
 * ----------
 *
 * A receiver checks every message against its header (length, alignment,
 * version, type) and the attribute policy of its type: which attributes
 * must be present, and the type and length of each; nested attributes are
 * checked again before use.  A malformed request is answered with ERROR
 * (EINVAL or EPROTO) and logged at a limited rate; a header that cannot be
 * trusted (bad length) closes the connection, since the stream can no
 * longer be framed.
 *
 * In the comments below, (R) marks a required attribute, (O) an optional
 * one.  "H->D" is a request from the host, answered by the DPU; "D->H" an
 * asynchronous message from the DPU. */

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

/* The newest version of the protocol, the one this header describes. */
#define DPU_PROTOCOL_VERSION 2

/* Default TCP port on which a DPU listens (ptcp: without a port). */
#define DPU_DEFAULT_PORT 6655

/* Largest message, header included.  Big enough for a 64 kB packet with its
 * key and actions, or a batch of a few hundred flow operations. */
#define DPU_MAX_MSG_LEN (1024 * 1024)

/* Largest number of operations in one DPU_MSG_OPERATE. */
#define DPU_MAX_BATCH 256

/* Value of DPU_ATTR_BYTE_ORDER, written in the sender's byte order. */
#define DPU_BYTE_ORDER_MAGIC 0x01020304

/* The header of every message.  All fields in network byte order. */
struct dpu_header {
    uint32_t length;            /* Header plus attributes, in bytes.  Filled
                                 * by the sender once the message is
                                 * complete. */
    uint8_t version;            /* The session's version (see "Versions"
                                 * above), 1 to 255.  Filled by the
                                 * sender. */
    uint8_t type;               /* One of DPU_MSG_*.  A reply has its
                                 * request's type or DPU_MSG_ERROR. */
    uint16_t flags;             /* DPU_F_*; other bits are 0 when sent and
                                 * ignored when received. */
    uint32_t xid;               /* Transaction id chosen by the requester,
                                 * copied into the reply; 0 in an
                                 * asynchronous message. */
};
#define DPU_HEADER_LEN 12

/* Header flags. */
#define DPU_F_REPLY 0x0001      /* This is a reply to request 'xid'. */
#define DPU_F_MORE  0x0002      /* FLOW_DUMP or CT_DUMP reply: more entries
                                 * follow. */

/* A Netlink attribute header, as struct nlattr of Linux's
 * <linux/netlink.h>.  Both fields in the sender's byte order (see "Byte
 * order" above).  The payload follows, then padding to a multiple of
 * DPU_NLA_ALIGNTO bytes that 'nla_len' does not count. */
struct dpu_nlattr {
    uint16_t nla_len;           /* Header plus payload, in bytes. */
    uint16_t nla_type;          /* One of the attribute enums below. */
};
#define DPU_NLA_ALIGNTO 4
#define DPU_NLA_HDRLEN 4

/* Message catalogue.
 *
 * Attributes are listed as (R) required, (O) optional; a reply carries the
 * attributes listed after "reply:", and every reply may be an ERROR
 * instead, with the errno values listed and any other that the DPU's
 * datapath returns.  A request of a type that the DPU does not know gets
 * EOPNOTSUPP.
 *
 * Work under way takes its new numbers from these ranges, so that parallel
 * work does not collide: messages 46-47 and 64-66, attributes 69 and
 * 100-109 and capability 1 << 11 for tunnels (a DPU's addresses, routes
 * and neighbours; 46 and 100 are used); messages 67-69, attributes 110-114
 * and 1 << 12 for performance; messages 59-63, attributes 90-99 and
 * 1 << 10 for hardening.  Until all of it has landed, the catalogue has
 * holes where a range is not used up; they are closed before the release.
 * Only numbers listed below are part of the
 * protocol. */
enum dpu_msg_type {
    DPU_MSG_ERROR = 0,          /* Reply only: ERRNO (R), ERROR_MSG (O). */

    /* Both directions, first message (see "Versions" above).  The host
     * sends VERSION_MIN and VERSION_MAX (R since version 2), BYTE_ORDER
     * (R), DP_NAME (R), HOST_NAME (O), WANT_UPCALLS (O flag: this
     * connection is the host's datapath connection and receives UPCALLs,
     * PORT_EVENTs and DPU_EVENTs; a later connection with the flag takes
     * them over, so a diagnostic client such as ovs-dpuctl omits it).  The
     * DPU replies with VERSION_MIN and VERSION_MAX (R since version 2),
     * BYTE_ORDER (R), VENDOR, MODEL, HW_VERSION, FIRMWARE, SERIAL,
     * IMAGE_VERSION (R), BOOT_ID (R: changes whenever the DPU's datapath
     * state is lost, i.e. at every start of the agent), CAPS (R),
     * DP_FEATURES (R), ROLE (O: the DPU's role now, sent by a DPU that
     * announces DPU_CAP_HA).  EPROTONOSUPPORT: no version in common;
     * EPROTO: another byte order; ENODEV: the DPU serves another
     * datapath. */
    DPU_MSG_HELLO = 1,

    /* H->D: liveness probe, no attributes; reply: none.  The host sends one
     * every heartbeat interval; a DPU that misses the configured number of
     * replies is declared down. */
    DPU_MSG_ECHO = 2,

    /* H->D: datapath statistics.  reply: DP_STATS (R). */
    DPU_MSG_DP_GET_STATS = 3,

    /* H->D: add a port.  PORT_NO (R: chosen by the host), PORT_NAME (R),
     * PORT_TYPE (R: an OVS netdev type on the DPU, e.g. "system", "dummy",
     * "tap", "afxdp"), PORT_OPTIONS (O).  reply: none.  EEXIST if the name
     * or number is taken by a different port; adding a port that exists with
     * the same name, number and type applies PORT_OPTIONS again and succeeds
     * (idempotent re-sync). */
    DPU_MSG_PORT_ADD = 4,

    /* H->D: delete a port.  PORT_NO (R).  reply: none.  ENOENT if absent. */
    DPU_MSG_PORT_DEL = 5,

    /* H->D: list every port.  reply: PORT (O, repeated), one per port. */
    DPU_MSG_PORT_DUMP = 6,

    /* H->D: a port's device state.  PORT_NAME (R).  reply: NETDEV_STATS,
     * MAC, MTU, CARRIER, CARRIER_RESETS, NETDEV_FLAGS (all R), IN6_ADDRS
     * (O: absent if the device has no IP address). */
    DPU_MSG_NETDEV_GET = 7,

    /* H->D: change a port's device.  PORT_NAME (R), PORT_OPTIONS (O: the
     * device's whole new configuration), MTU (O), MAC (O), NETDEV_FLAGS (O,
     * with NETDEV_FLAGS_MASK (R if NETDEV_FLAGS)).  reply: NETDEV_FLAGS (the
     * flags before the change). */
    DPU_MSG_NETDEV_SET = 8,

    /* H->D: a batch of flow operations and packet executions, performed in
     * order.  OP (R, repeated, at most DPU_MAX_BATCH): nested, see
     * DPU_OP_ATTR_*.  reply: OP_RESULT (R, repeated), one per OP, in order,
     * nested: RESULT_ERRNO (R), FLOW_STATS (O), and for OP_GET the flow as
     * KEY, MASK, ACTIONS, UFID. */
    DPU_MSG_OPERATE = 9,

    /* H->D: delete every flow.  reply: none. */
    DPU_MSG_FLOW_FLUSH = 10,

    /* H->D: dump flows.  DUMP_ID (R: chosen by the host, unique among its
     * open dumps), MAX_FLOWS (R: at most this many per reply), TERSE (O flag:
     * omit masks and actions).  reply: FLOW (O, repeated, nested: KEY, MASK,
     * ACTIONS, UFID, FLOW_STATS), DPU_F_MORE set unless the dump is over.
     * The host asks again with the same DUMP_ID to continue; a dump ends
     * when a reply lacks DPU_F_MORE or the host sends FLOW_DUMP_DONE. */
    DPU_MSG_FLOW_DUMP = 11,

    /* H->D: abandon dump DUMP_ID (R), a flow dump or a CT_DUMP.  reply:
     * none, also if no such dump is open. */
    DPU_MSG_FLOW_DUMP_DONE = 12,

    /* D->H, asynchronous: packets that missed the flow table or hit a
     * userspace() action.  UPCALL (R, repeated): nested, see
     * DPU_UPCALL_ATTR_*.  Never answered: the host replies, if at all, with
     * an OPERATE that puts a flow and executes the packet. */
    DPU_MSG_UPCALL = 13,

    /* D->H, asynchronous: a port's device changed (carrier, MTU, MAC).
     * PORT_NAME (R). */
    DPU_MSG_PORT_EVENT = 14,

    /* H->D: meters (need DPU_CAP_METERS, otherwise EOPNOTSUPP), encoded as
     * Open vSwitch's struct ofputil_meter_*, see DPU_METER_ATTR_*.
     *
     * METER_FEATURES: no attributes.  reply: METER_FEATURES (R).
     *
     * METER_SET: METER_ID (R), METER (R: FLAGS (R) and BAND (R, repeated,
     * at most the DPU's MAX_BANDS)).  Creates or replaces the meter.
     * reply: none.  EINVAL: a malformed band, too many bands, a band type
     * or flag the DPU does not support; EFBIG: METER_ID out of range.
     *
     * METER_GET, METER_DEL: METER_ID (R).  reply: METER_STATS (R on
     * success: PACKETS, BYTES, then BAND_PACKETS and BAND_BYTES once per
     * band, in band order); DEL reports the meter's last statistics.
     * ENOENT: no such meter. */
    DPU_MSG_METER_FEATURES = 15,
    DPU_MSG_METER_SET = 16,
    DPU_MSG_METER_GET = 17,
    DPU_MSG_METER_DEL = 18,

    /* H->D: connection tracking (needs DPU_CAP_CT, otherwise EOPNOTSUPP).
     *
     * CT_FLUSH: CT_ZONE (O: only that zone), CT_TUPLE (O: only the
     * connection whose original direction has this tuple, in CT_ZONE or
     * else zone 0).  reply: none.
     *
     * CT_DUMP: DUMP_ID (R: as for FLOW_DUMP, in the same namespace of open
     * dumps), CT_ZONE (O: only that zone; read from the first request of a
     * dump only).  reply: CT_ENTRY (O, repeated, nested: DPU_CT_ATTR_*),
     * as many as the DPU likes, DPU_F_MORE set unless the dump is over.
     * The host asks again with the same DUMP_ID to continue, and abandons
     * the dump with FLOW_DUMP_DONE.  EINVAL: DUMP_ID names a flow dump.
     *
     * CT_SET_MAXCONNS: CT_VALUE (R: most entries).  reply: none.
     *
     * CT_GET_MAXCONNS, CT_GET_NCONNS: no attributes.  reply: CT_VALUE (R:
     * the limit, the number of entries). */
    DPU_MSG_CT_FLUSH = 19,
    DPU_MSG_CT_DUMP = 20,
    DPU_MSG_CT_SET_MAXCONNS = 21,
    DPU_MSG_CT_GET_MAXCONNS = 22,
    DPU_MSG_CT_GET_NCONNS = 23,

    /* H->D: datapath configuration, as Open_vSwitch:other_config.  CONFIG
     * (R, nested string pairs).  reply: none. */
    DPU_MSG_DP_SET_CONFIG = 24,

    /* H->D: conntrack limits per zone (needs DPU_CAP_CT, otherwise
     * EOPNOTSUPP), as dpctl/ct-set-limits and friends.
     *
     * CT_SET_LIMITS: CT_VALUE (O: the default limit of every zone without
     * one of its own, 0 for none), CT_ZONE_LIMIT (O, repeated: ZONE and
     * LIMIT).  reply: none.
     *
     * CT_GET_LIMITS: CT_ZONE_LIMIT (O, repeated: ZONE; without any, every
     * zone that has a limit of its own).  reply: CT_VALUE (R: the default
     * limit), CT_ZONE_LIMIT (O, repeated: ZONE, LIMIT, COUNT).
     *
     * CT_DEL_LIMITS: CT_ZONE_LIMIT (O, repeated: ZONE): those zones fall
     * back to the default limit.  reply: none. */
    DPU_MSG_CT_SET_LIMITS = 25,
    DPU_MSG_CT_GET_LIMITS = 26,
    DPU_MSG_CT_DEL_LIMITS = 27,

    /* H->D: conntrack timeout policies (needs DPU_CAP_CT, otherwise
     * EOPNOTSUPP), as struct ct_dpif_timeout_policy.
     *
     * CT_SET_TP: CT_TIMEOUT_POLICY (R): adds the policy, or replaces the
     * one with its ID.  reply: none.
     *
     * CT_GET_TP: CT_VALUE (R: a policy ID).  reply: CT_TIMEOUT_POLICY (R).
     * ENOENT if the DPU has no such policy.
     *
     * CT_DEL_TP: CT_VALUE (R: a policy ID).  reply: none.  ENOENT if the
     * DPU has no such policy. */
    DPU_MSG_CT_SET_TP = 28,
    DPU_MSG_CT_GET_TP = 29,
    DPU_MSG_CT_DEL_TP = 30,
    /* H->D: QoS of a port's device (the QoS and Queue tables), as Open
     * vSwitch's netdev_*_qos() and netdev_*_queue() functions.  Every request
     * names the port with PORT_NAME (R); ENODEV if the DPU has no such port.
     * QoS types and their details are those of the DPU's netdev for the
     * port, e.g. "linux-htb" for a Linux device (see the QoS and Queue tables
     * in ovs-vswitchd.conf.db(5)).
     *
     * QOS_GET_TYPES: reply: QOS_CAPS (O, repeated, nested: TYPE (R),
     * N_QUEUES (O: absent if the device does not tell)), one per QoS type
     * that the device supports.  None: the device supports no QoS.
     *
     * QOS_GET: reply: QOS_TYPE (R: "" if QoS is off), QOS_DETAILS (R).
     *
     * QOS_SET: QOS_TYPE (R: "" turns QoS off), QOS_DETAILS (O: none if
     * absent).  reply: none.  A new type resets the queues to the type's
     * defaults; the same type with new details keeps them.  On error the
     * device keeps its QoS.  EOPNOTSUPP: the device does not support the
     * type; EINVAL: invalid details.
     *
     * QUEUE_GET: QUEUE_ID (R), WANT_STATS (O flag).  reply: QUEUE (R,
     * nested: ID (R), and DETAILS (R) without WANT_STATS, STATS and AGE_MS
     * (O) with it).  EINVAL or ENOENT: no such queue.
     *
     * QUEUE_SET: QUEUE_ID (R), QOS_DETAILS (O: none if absent).  Creates or
     * changes the queue.  reply: none.  EINVAL: invalid queue or details.
     *
     * QUEUE_DEL: QUEUE_ID (R).  reply: none.  EOPNOTSUPP: the queue may not
     * be deleted (e.g. queue 0 of linux-htb).
     *
     * QUEUE_DUMP: WANT_STATS (O flag).  reply: QUEUE (O, repeated, as for
     * QUEUE_GET), one per queue.  EFBIG: the queues do not fit in one
     * message.
     *
     * The host sets the QoS and queues again at every re-sync, for the
     * ports that the DPU kept as for those it adds: a DPU need not keep
     * them across its restarts. */
    DPU_MSG_QOS_GET_TYPES = 31,
    DPU_MSG_QOS_GET = 32,
    DPU_MSG_QOS_SET = 33,
    DPU_MSG_QUEUE_GET = 34,
    DPU_MSG_QUEUE_SET = 35,
    DPU_MSG_QUEUE_DEL = 36,
    DPU_MSG_QUEUE_DUMP = 37,

    /* H->D: what the DPU measures about itself.  No attributes.  reply:
     * METRICS (R, nested: DPU_METRICS_ATTR_*): the load of each of its
     * cores and its memory, its datapath's counters, each port's device
     * counters, its upcalls and how long flow setups take.  A DPU that
     * measures the process that emulates it rather than DPU hardware sets
     * DPU_METRICS_ATTR_EMULATED. */
    DPU_MSG_GET_METRICS = 38,

    /* H->D: the IPFIX exporters that the DPU runs itself for one bridge
     * (needs DPU_CAP_IPFIX, otherwise EOPNOTSUPP).  IPFIX (R, nested:
     * DPU_IPFIX_ATTR_*): BRIDGE_UUID (R: the UUID that the bridge's
     * userspace() cookies carry), BRIDGE_NAME (R), DPU_NAME (O: the DPU's
     * name on the host), OBS_DOMAIN_ID (O: the DPU's observation domain,
     * which replaces those of the exporters and sample actions), EXPORTER
     * (O, repeated, at most DPU_IPFIX_MAX_EXPORTERS).  reply: none.
     *
     * Replaces everything an earlier IPFIX_SET said of the bridge; without
     * EXPORTER, the DPU forgets the bridge.  From then on, the DPU exports
     * the packets that userspace() actions with an IPFIX or FLOW_SAMPLE
     * cookie of that bridge (and, for FLOW_SAMPLE, of a collector set that
     * has an EXPORTER) give it, to the exporter's targets, instead of
     * sending them to the host as UPCALLs; those of other bridges and
     * collector sets still go to the host.  EINVAL: a malformed exporter,
     * two bridge exporters or two for one collector set, no target, too
     * many of either.  A target that the DPU cannot open is logged on the
     * DPU and not an error; if none of a bridge exporter's targets opens,
     * the DPU keeps no bridge exporter (its samples go to the host).
     *
     * A DPU forgets every IPFIX_SET when a new datapath connection
     * (WANT_UPCALLS) says HELLO, since a restarted host's bridges have new
     * UUIDs; the host sends them again at every re-sync. */
    DPU_MSG_IPFIX_SET = 39,

    /* H->D: the DPU's role in an active-standby pair (needs DPU_CAP_HA).
     * ROLE (R), LEASE_MS (O: for ACTIVE, 0 or absent for none), UPLINK (O,
     * repeated, at most DPU_MAX_UPLINKS: the port numbers of the DPU's
     * uplinks, which replace those of an earlier SET_ROLE; numbers that are
     * not ports yet are kept), DRAIN_MS (O: for STANDBY, how long a DPU
     * that was ACTIVE keeps delivering the unicast packets that arrive on
     * its uplinks), HANDOVER (O: for ACTIVE, what the previous active DPU
     * forwarded last, as its reply said).  reply: HANDOVER (O: from a DPU
     * that was ACTIVE and is now STANDBY or PREPARE).  EINVAL: an unknown
     * role, too many uplinks, a malformed HANDOVER.  EIO: the DPU has a
     * fatal error (it reported DPU_EVENT "pci-error") and may only be
     * STANDBY.
     *
     * An ACTIVE DPU with a lease that receives no message at all from any
     * host for LEASE_MS becomes STANDBY on its own and sends DPU_EVENT
     * "lease-expired"; only another SET_ROLE makes it ACTIVE again. */
    DPU_MSG_SET_ROLE = 40,

    /* D->H, asynchronous (xid 0), to every host session: something happened
     * to the DPU.  EVENT (R: "lease-expired", "pci-error",
     * "fault-cleared", "health"; a host ignores events it does not know),
     * ERROR_MSG (O: details), ROLE (O: the role the DPU is in now).  A DPU
     * with a fatal error sends its "pci-error" again right after the HELLO
     * reply of every new session.
     *
     * "health" (from a DPU that announces DPU_CAP_HEALTH) carries HEALTH
     * (O, repeated, at most DPU_MAX_HEALTH, distinct SENSORs): every
     * hardware health alert that is active on the DPU now; none means that
     * none is.  Each "health" replaces what the previous one said.  The
     * DPU sends it to every session whenever an alert is raised, changes
     * or clears, and right after the HELLO reply of every new datapath
     * connection (WANT_UPCALLS), so that a host that connects learns the
     * alerts of the DPU (and that an alert it knew of cleared while it was
     * away). */
    DPU_MSG_DPU_EVENT = 41,

    /* H->D: an alarm that the host raised or cleared about a DPU (see
     * dpu-alarms.rst), for the DPU's IPFIX collectors (needs DPU_CAP_IPFIX,
     * otherwise EOPNOTSUPP).  ALARM (R, nested: DPU_ALARM_ATTR_*).  reply:
     * none.  EINVAL: a malformed ALARM.
     *
     * The DPU sends an event record about it to the targets of every
     * bridge it exports IPFIX for (DPU_MSG_IPFIX_SET), as it sends its own
     * hardware health alerts; without any, it does nothing, and succeeds.
     * The alarm's DPU, DPU_NAME, need not be the DPU that receives it: the
     * host sends each raise and clear to one DPU only, the one that
     * exports (the active DPU of a pair, or the alarm's DPU), or another
     * DPU if that one is down, so that collectors hear of a DPU that died.
     * The host does not send again what a DPU missed while it was down. */
    DPU_MSG_ALARM = 42,

    /* H->D: datapath bonds, for OVS_ACTION_ATTR_LB_OUTPUT (sent only to a
     * DPU whose HELLO reply has DP_FEATURES LB_OUTPUT; a DPU without them
     * answers EOPNOTSUPP).  A bond spreads packets over its members by the
     * packet's hash: bucket 'hash & (DPU_BOND_BUCKETS - 1)' goes to the
     * member of that bucket.
     *
     * BOND_SET: BOND_ID (R), BOND_MEMBERS (R).  Creates the bond, or
     * replaces the members of an existing one.  reply: none.
     *
     * BOND_DEL: BOND_ID (R).  reply: none.  ENOENT: no such bond.
     *
     * BOND_STATS: BOND_ID (R).  reply: BOND_STATS (R).  ENOENT: no such
     * bond. */
    DPU_MSG_BOND_SET = 43,
    DPU_MSG_BOND_DEL = 44,
    DPU_MSG_BOND_STATS = 45,

    /* D->H, asynchronous (xid 0), to the datapath connection only (the one
     * that asked for upcalls), from a DPU that announces
     * DPU_CAP_TNL_ROUTES: the DPU's routing table, as native tunnelling on
     * the DPU would use it.  ROUTE (O, repeated, at most DPU_MAX_ROUTES,
     * nested: DPU_ROUTE_ATTR_*): every route; none means that the DPU has
     * none.  Each TNL_ROUTES replaces what the previous one said.  The DPU
     * sends it right after the HELLO reply of every new datapath
     * connection, and again whenever its table changes.  The host adds
     * the routes whose DEV is a port of its datapath to the routes of its
     * native tunnelling, as routes of that DPU, and withdraws them when
     * the DPU's session ends (see "Tunnel Routes" in dpu-protocol.rst). */
    DPU_MSG_TNL_ROUTES = 46,

    /* Connection state on the standby (see "Connection State" in
     * dpu-protocol.rst): the active DPU of a pair sends every change of its
     * connection tracker to the host, which sends it on, unchanged, to the
     * standby DPU.  All need DPU_CAP_CT_SYNC.
     *
     * CT_SYNC_REQ, H->D, to the active DPU: CT_SYNC_GEN (R).  A nonzero
     * GEN starts generation GEN, which replaces any earlier one: the DPU
     * sends a copy of every connection it holds, then CT_SYNC_DONE, and,
     * from the request on, every change of a connection, all as messages of
     * generation GEN, until the next CT_SYNC_REQ or until the session ends,
     * and nothing while it is not active.  GEN 0 stops.  reply: none. */
    DPU_MSG_CT_SYNC_REQ = 48,

    /* Asynchronous (xid 0) in both directions: D->H from the active DPU
     * (to its datapath connection, the one that asked for upcalls), H->D
     * to the standby, unchanged.  CT_SYNC_GEN (R), CT_SYNC_SEQ (R: 1 for
     * the first message of a generation, then one more for each CT_SYNC or
     * CT_SYNC_DONE), CT_SYNC (O, repeated, at most DPU_CT_SYNC_MAX: a
     * connection as it is now, or that it was deleted, in the order of the
     * changes).  A receiver that finds a SEQ missing has lost changes: the
     * host starts a new generation.  A standby forgets every connection it
     * holds when a new generation starts. */
    DPU_MSG_CT_SYNC = 49,

    /* Asynchronous like CT_SYNC: CT_SYNC_GEN (R), CT_SYNC_SEQ (R),
     * CT_SYNC_COUNT (R: connections in the copy).  The copy of generation
     * GEN is complete: after it, the receiver of every message of the
     * generation so far holds every connection that the active DPU
     * holds. */
    DPU_MSG_CT_SYNC_DONE = 50,

    /* Host to DPU: installing a bundle (see "Images" in dpu-protocol.rst).
     * The host streams the whole bundle file; the DPU checks it against
     * its own trust anchor and writes its DPU content to its inactive image
     * bank.  One image at a time: a BEGIN starts over, or resumes. */

    /* IMAGE_SIZE (R), IMAGE_SHA256 (R: of the whole file), FORCE (O flag:
     * accept an older version).  Reply: IMAGE_OFFSET (R): how many bytes of
     * this same image the DPU already holds, where DATA resumes. */
    DPU_MSG_IMAGE_BEGIN = 53,

    /* IMAGE_OFFSET (R: what the DPU holds so far), IMAGE_DATA (R: 1 to
     * DPU_IMAGE_MAX_CHUNK bytes).  Reply: empty.  EINVAL for data that does
     * not continue the image. */
    DPU_MSG_IMAGE_DATA = 54,

    /* Empty.  Reply, once the DPU checked the image and wrote its bank:
     * IMAGE_VERSION (R), IMAGE_BANK (R).  EINVAL if the image is incomplete
     * or its digest differs, EACCES if the DPU refuses it (the reason is
     * in ERROR_MSG), EIO if the bank could not be written. */
    DPU_MSG_IMAGE_END = 55,

    /* IMAGE_VERSION (R).  The host asks the DPU to boot the bank that holds
     * this version (to repair a version skew).  Reply, before the DPU
     * reboots into it: IMAGE_VERSION (R), IMAGE_BANK (R).  ENOENT if
     * neither bank holds it, EIO if the boot loader does not answer. */
    DPU_MSG_IMAGE_SELECT = 56,

    /* Host to DPU: the DPU's log, for a log bundle.  LOG_OFFSET (R): where
     * to read from.  Reply: LOG_SIZE (R): the log's size now; LOG_DATA (O):
     * up to DPU_IMAGE_MAX_CHUNK bytes from LOG_OFFSET, none at or past the
     * end.  ENOENT if the DPU keeps no log file. */
    DPU_MSG_LOG_GET = 57,

    DPU_N_MSGS = 58
};

/* The most bytes of image in one IMAGE_DATA: an attribute's length is 16
 * bits. */
#define DPU_IMAGE_MAX_CHUNK (60 * 1024)

/* Top-level attributes (one namespace for every message type). */
enum dpu_attr {
    DPU_ATTR_UNSPEC = 0,
    DPU_ATTR_ERRNO = 1,         /* u32: positive errno value. */
    DPU_ATTR_ERROR_MSG = 2,     /* string: why. */

    DPU_ATTR_BYTE_ORDER = 3,    /* u32: DPU_BYTE_ORDER_MAGIC. */
    DPU_ATTR_HOST_NAME = 4,     /* string. */
    DPU_ATTR_DP_NAME = 5,       /* string: datapath name on the DPU. */
    DPU_ATTR_VENDOR = 6,        /* string. */
    DPU_ATTR_MODEL = 7,         /* string. */
    DPU_ATTR_HW_VERSION = 8,    /* string. */
    DPU_ATTR_FIRMWARE = 9,      /* string. */
    DPU_ATTR_SERIAL = 10,       /* string. */
    DPU_ATTR_IMAGE_VERSION = 11, /* string. */
    DPU_ATTR_BOOT_ID = 12,      /* u128. */
    DPU_ATTR_CAPS = 13,         /* u32: DPU_CAP_* bits. */
    DPU_ATTR_DP_FEATURES = 14,  /* nested: DPU_FEAT_ATTR_*. */

    DPU_ATTR_DP_STATS = 15,     /* nested: DPU_STATS_ATTR_*. */

    DPU_ATTR_PORT_NO = 16,      /* u32: a datapath port number. */
    DPU_ATTR_PORT_NAME = 17,    /* string. */
    DPU_ATTR_PORT_TYPE = 18,    /* string. */
    DPU_ATTR_PORT_OPTIONS = 19, /* nested: string pairs (DPU_ATTR_CONFIG). */
    DPU_ATTR_PORT = 20,         /* nested: PORT_NO, PORT_NAME, PORT_TYPE. */

    DPU_ATTR_NETDEV_STATS = 21, /* nested: DPU_STATS_ATTR_* (port stats). */
    DPU_ATTR_MAC = 22,          /* 6 bytes: Ethernet address. */
    DPU_ATTR_MTU = 23,          /* u32. */
    DPU_ATTR_CARRIER = 24,      /* u8: 0 down, 1 up. */
    DPU_ATTR_CARRIER_RESETS = 25, /* u64. */
    DPU_ATTR_NETDEV_FLAGS = 26, /* u32: DPU_NETDEV_* bits. */
    DPU_ATTR_NETDEV_FLAGS_MASK = 27, /* u32: which NETDEV_FLAGS bits to
                                      * change. */

    DPU_ATTR_OP = 28,           /* nested: DPU_OP_ATTR_*. */
    DPU_ATTR_OP_RESULT = 29,    /* nested: DPU_OP_ATTR_*. */

    DPU_ATTR_DUMP_ID = 30,      /* u32. */
    DPU_ATTR_MAX_FLOWS = 31,    /* u32. */
    DPU_ATTR_TERSE = 32,        /* flag. */
    DPU_ATTR_FLOW = 33,         /* nested: DPU_OP_ATTR_*. */

    DPU_ATTR_UPCALL = 34,       /* nested: DPU_UPCALL_ATTR_*. */

    DPU_ATTR_METER_ID = 35,     /* u32. */
    DPU_ATTR_METER = 36,        /* nested: DPU_METER_ATTR_*. */
    DPU_ATTR_METER_STATS = 37,  /* nested: DPU_METER_ATTR_*. */
    DPU_ATTR_METER_FEATURES = 38, /* nested: DPU_METER_ATTR_*. */

    DPU_ATTR_CT_ZONE = 39,      /* u16. */
    DPU_ATTR_CT_ENTRY = 40,     /* nested: DPU_CT_ATTR_*. */
    DPU_ATTR_CT_VALUE = 41,     /* u32. */

    DPU_ATTR_CONFIG = 42,       /* nested: DPU_CONFIG_ATTR_PAIR, repeated. */
    DPU_ATTR_WANT_UPCALLS = 43, /* flag. */
    DPU_ATTR_CT_TUPLE = 44,     /* nested: DPU_CT_TUPLE_ATTR_*. */
    DPU_ATTR_IN6_ADDRS = 45,    /* struct dpu_in6_addr[]: a device's IP
                                 * addresses, 1 to DPU_MAX_IN6_ADDRS. */
    DPU_ATTR_CT_ZONE_LIMIT = 46, /* nested: DPU_CT_LIMIT_ATTR_*. */
    DPU_ATTR_CT_TIMEOUT_POLICY = 47, /* nested: DPU_CT_TP_ATTR_*. */
    DPU_ATTR_QOS_TYPE = 48,     /* string: a QoS type, "" for none. */
    DPU_ATTR_QOS_DETAILS = 49,  /* nested: string pairs (DPU_ATTR_CONFIG). */
    DPU_ATTR_QOS_CAPS = 50,     /* nested: DPU_QOS_ATTR_*. */
    DPU_ATTR_QUEUE_ID = 51,     /* u32: a queue of a port's QoS. */
    DPU_ATTR_QUEUE = 52,        /* nested: DPU_QUEUE_ATTR_*. */
    DPU_ATTR_WANT_STATS = 53,   /* flag: statistics rather than
                                 * configuration. */

    DPU_ATTR_METRICS = 54,      /* nested: DPU_METRICS_ATTR_*. */
    DPU_ATTR_HEALTH = 55,       /* nested: DPU_HEALTH_ATTR_*. */
    DPU_ATTR_IPFIX = 56,        /* nested: DPU_IPFIX_ATTR_*. */
    DPU_ATTR_ALARM = 57,        /* nested: DPU_ALARM_ATTR_*. */

    DPU_ATTR_VERSION_MIN = 58,  /* u8: the lowest version the sender
                                 * speaks. */
    DPU_ATTR_VERSION_MAX = 59,  /* u8: the highest version it speaks. */

    DPU_ATTR_ROLE = 60,         /* u32: DPU_ROLE_*. */
    DPU_ATTR_LEASE_MS = 61,     /* u32: ms. */
    DPU_ATTR_UPLINK = 62,       /* u32: the port number of an uplink. */
    DPU_ATTR_EVENT = 63,        /* string. */
    DPU_ATTR_DRAIN_MS = 64,     /* u32: ms. */
    DPU_ATTR_HANDOVER = 65,     /* struct dpu_handover[]: see below. */
    DPU_ATTR_BOND_ID = 66,      /* u32. */
    DPU_ATTR_BOND_MEMBERS = 67, /* u32[DPU_BOND_BUCKETS]: the datapath port
                                 * number of each bucket's member. */
    DPU_ATTR_BOND_STATS = 68,   /* u64[DPU_BOND_BUCKETS]: the bytes sent
                                 * through each bucket. */
    DPU_ATTR_CT_SYNC_GEN = 70,  /* u32: a generation of CT_SYNC. */
    DPU_ATTR_CT_SYNC_SEQ = 71,  /* u32: a message's number in it. */
    DPU_ATTR_CT_SYNC = 72,      /* nested: DPU_CT_SYNC_ATTR_*. */
    DPU_ATTR_CT_SYNC_COUNT = 73, /* u32: connections. */
    DPU_ATTR_IMAGE_SIZE = 80,   /* u64: bytes. */
    DPU_ATTR_IMAGE_SHA256 = 81, /* 32 bytes: a SHA-256 digest. */
    DPU_ATTR_IMAGE_OFFSET = 82, /* u64: bytes. */
    DPU_ATTR_IMAGE_DATA = 83,   /* 1 to DPU_IMAGE_MAX_CHUNK bytes. */
    DPU_ATTR_IMAGE_BANK = 84,   /* string: "a" or "b". */
    DPU_ATTR_FORCE = 85,        /* flag. */
    DPU_ATTR_LOG_OFFSET = 86,   /* u64: bytes. */
    DPU_ATTR_LOG_SIZE = 87,     /* u64: bytes. */
    DPU_ATTR_LOG_DATA = 88,     /* 1 to DPU_IMAGE_MAX_CHUNK bytes. */
    DPU_ATTR_ROUTE = 100,       /* nested: DPU_ROUTE_ATTR_*. */
    __DPU_ATTR_MAX
};
#define DPU_ATTR_MAX (__DPU_ATTR_MAX - 1)

/* The buckets of a datapath bond (DPU_ATTR_BOND_MEMBERS and
 * DPU_ATTR_BOND_STATS), Open vSwitch's BOND_BUCKETS. */
#define DPU_BOND_BUCKETS 256

/* Device flags (DPU_ATTR_NETDEV_FLAGS), the values of Open vSwitch's enum
 * netdev_flags. */
#define DPU_NETDEV_UP 0x0001
#define DPU_NETDEV_PROMISC 0x0002
#define DPU_NETDEV_LOOPBACK 0x0004

/* One IP address of a device, with its netmask, in DPU_ATTR_IN6_ADDRS.  An
 * IPv4 address and its mask are IPv4-mapped (::ffff:a.b.c.d).  Both in
 * network byte order, as struct in6_addr always is. */
struct dpu_in6_addr {
    struct in6_addr addr;
    struct in6_addr mask;
};

/* Most addresses in one DPU_ATTR_IN6_ADDRS. */
#define DPU_MAX_IN6_ADDRS 64

/* DPU capabilities (DPU_ATTR_CAPS). */
enum dpu_cap {
    DPU_CAP_RECIRC = 1 << 0,    /* Recirculation. */
    DPU_CAP_CT = 1 << 1,        /* Connection tracking. */
    DPU_CAP_METERS = 1 << 2,    /* Meters. */
    DPU_CAP_TUNNELS = 1 << 3,   /* Tunnel push/pop on the DPU. */
    DPU_CAP_HA = 1 << 4,        /* Roles: SET_ROLE, DPU_EVENT. */
    DPU_CAP_HEALTH = 1 << 5,    /* Hardware health: DPU_EVENT "health". */
    DPU_CAP_IPFIX = 1 << 6,     /* IPFIX export on the DPU: IPFIX_SET. */
    DPU_CAP_CT_ZERO_SNAT = 1 << 7, /* With DPU_CAP_CT: an all-zero SNAT,
                                    * nat(src=0.0.0.0), keeps the address
                                    * and changes only the port if the
                                    * tuple collides. */
    DPU_CAP_CT_SYNC = 1 << 8,   /* With DPU_CAP_CT and DPU_CAP_HA: copies
                                 * its connections to a standby, and takes
                                 * them, CT_SYNC_*. */
    DPU_CAP_IMAGE = 1 << 9,     /* Installs bundles: IMAGE_*. */
    DPU_CAP_TNL_ROUTES = 1 << 11, /* Tells its routes: TNL_ROUTES. */
};

/* A DPU's role (DPU_ATTR_ROLE).  See "Roles" in dpu-protocol.rst for the
 * state machine. */
enum dpu_role {
    DPU_ROLE_ACTIVE = 0,        /* Forwards (the default). */
    DPU_ROLE_STANDBY = 1,       /* Holds ports and flows, forwards nothing,
                                 * learns the addresses behind its
                                 * non-uplink ports. */
    DPU_ROLE_PREPARE = 2,       /* About to become active: has announced its
                                 * learned addresses, holds what it
                                 * receives until it is active. */
};

/* Most DPU_ATTR_UPLINK attributes in one SET_ROLE. */
#define DPU_MAX_UPLINKS 64

/* A planned failover hands the forwarding of what the VMs send over from one
 * DPU to the other.  Both DPUs receive every packet that a port that is not
 * an uplink receives (the host's PCIe fabric makes such a port reachable
 * from both); the one that stops forwarding tells the host, in its reply to
 * SET_ROLE, the last packets it forwarded from each such port, and the host
 * passes that on in the SET_ROLE that makes the other DPU active, which then
 * forwards only what came after (see "Handover" in dpu-protocol.rst).
 *
 * DPU_ATTR_HANDOVER is an array of 0 to DPU_MAX_HANDOVER of these, for
 * distinct ports, every field in network byte order (in version 1: in the
 * sender's byte order); a port it does not name is one the DPU forwarded
 * nothing from while it was active.  The host decodes what one DPU sent and
 * encodes it again for the other, whose session may have another
 * version. */
#define DPU_HANDOVER_HASHES 8
#define DPU_MAX_HANDOVER 256
struct dpu_handover {
    uint32_t port_no;           /* The port number of a port that is not an
                                 * uplink. */
    uint32_t age_us;            /* How long before the DPU stopped
                                 * forwarding it forwarded hashes[0], in
                                 * microseconds (UINT32_MAX if longer). */
    uint32_t n_hashes;          /* 1 to DPU_HANDOVER_HASHES. */
    uint32_t hashes[DPU_HANDOVER_HASHES];   /* The hashes of the last
                                             * 'n_hashes' packets forwarded
                                             * from the port, the newest
                                             * first; the rest are 0.  A
                                             * packet's hash is Open
                                             * vSwitch's hash_bytes() (basis
                                             * 0) of the packet from its
                                             * Ethernet header to its end. */
};

/* Datapath features that the host cannot probe by putting flows
 * (DPU_ATTR_DP_FEATURES). */
enum dpu_feat_attr {
    DPU_FEAT_ATTR_UNSPEC = 0,
    DPU_FEAT_ATTR_EXPLICIT_DROP = 1, /* flag. */
    DPU_FEAT_ATTR_LB_OUTPUT = 2, /* flag: lb_output, and BOND_* requests. */
    DPU_FEAT_ATTR_DATAPATH_VERSION = 3, /* string. */
    __DPU_FEAT_ATTR_MAX
};
#define DPU_FEAT_ATTR_MAX (__DPU_FEAT_ATTR_MAX - 1)

/* One route of a DPU (DPU_ATTR_ROUTE).  Addresses are 16 bytes, struct
 * in6_addr in network byte order; an IPv4 address is IPv4-mapped
 * (::ffff:a.b.c.d), and its prefix length counts the 96 bits of the
 * mapping. */
enum dpu_route_attr {
    DPU_ROUTE_ATTR_UNSPEC = 0,
    DPU_ROUTE_ATTR_DST = 1,     /* (R) 16 bytes: the destination prefix. */
    DPU_ROUTE_ATTR_PLEN = 2,    /* (R) u8: its length, 0 to 128. */
    DPU_ROUTE_ATTR_DEV = 3,     /* (R) string: the DPU's device that the
                                 * route goes out of, as the DPU names
                                 * it. */
    DPU_ROUTE_ATTR_GW = 4,      /* (O) 16 bytes: the gateway; none for a
                                 * destination on the link. */
    DPU_ROUTE_ATTR_SRC = 5,     /* (O) 16 bytes: the source address the
                                 * DPU uses; if absent, the host picks an
                                 * address of DEV. */
    DPU_ROUTE_ATTR_MARK = 6,    /* (O) u32: the packet mark it is for, 0
                                 * if absent. */
    DPU_ROUTE_ATTR_LOCAL = 7,   /* (O) flag: DST is an address of the DPU
                                 * itself. */
    __DPU_ROUTE_ATTR_MAX
};
#define DPU_ROUTE_ATTR_MAX (__DPU_ROUTE_ATTR_MAX - 1)

/* Most DPU_ATTR_ROUTE attributes in one TNL_ROUTES. */
#define DPU_MAX_ROUTES 4096

/* Statistics (datapath and port), all u64. */
enum dpu_stats_attr {
    DPU_STATS_ATTR_UNSPEC = 0,
    DPU_STATS_ATTR_HIT = 1,
    DPU_STATS_ATTR_MISSED = 2,
    DPU_STATS_ATTR_LOST = 3,
    DPU_STATS_ATTR_FLOWS = 4,
    DPU_STATS_ATTR_MASKS = 5,
    DPU_STATS_ATTR_MASK_HIT = 6,
    DPU_STATS_ATTR_CACHE_HIT = 7,
    DPU_STATS_ATTR_RX_PACKETS = 8,
    DPU_STATS_ATTR_TX_PACKETS = 9,
    DPU_STATS_ATTR_RX_BYTES = 10,
    DPU_STATS_ATTR_TX_BYTES = 11,
    DPU_STATS_ATTR_RX_ERRORS = 12,
    DPU_STATS_ATTR_TX_ERRORS = 13,
    DPU_STATS_ATTR_RX_DROPPED = 14,
    DPU_STATS_ATTR_TX_DROPPED = 15,
    DPU_STATS_ATTR_MULTICAST = 16,
    DPU_STATS_ATTR_COLLISIONS = 17,
    __DPU_STATS_ATTR_MAX
};
#define DPU_STATS_ATTR_MAX (__DPU_STATS_ATTR_MAX - 1)

/* Operation types (DPU_OP_ATTR_TYPE). */
enum dpu_op_type {
    DPU_OP_PUT = 1,             /* KEY (R); UFID, MASK, ACTIONS, PUT_FLAGS
                                 * (O; without UFID the DPU derives one
                                 * from the key, as dpif-netdev does).
                                 * Result: FLOW_STATS if the put flags ask
                                 * for them. */
    DPU_OP_DEL = 2,             /* UFID or KEY (R).  Result: FLOW_STATS. */
    DPU_OP_GET = 3,             /* UFID or KEY (R).  Result: the flow. */
    DPU_OP_EXECUTE = 4,         /* PACKET, KEY (R: packet metadata such as
                                 * in_port and recirc_id, plus
                                 * OVS_KEY_ATTR_ETHERNET for an Ethernet
                                 * frame or OVS_KEY_ATTR_ETHERTYPE for a
                                 * layer-3 packet), ACTIONS (R), MTU, HASH,
                                 * PROBE (O).  Result: none. */
};

/* Flags of a flow put (DPU_OP_ATTR_PUT_FLAGS), the values of Open vSwitch's
 * enum dpif_flow_put_flags. */
#define DPU_FP_CREATE 0x0001    /* Create the flow if it does not exist. */
#define DPU_FP_MODIFY 0x0002    /* Change the flow if it exists. */
#define DPU_FP_ZERO_STATS 0x0004    /* Zero the flow's statistics. */
#define DPU_FP_PROBE 0x0008     /* A feature probe: do not log a failure. */

/* Attributes of an OP, an OP_RESULT and a dumped FLOW. */
enum dpu_op_attr {
    DPU_OP_ATTR_UNSPEC = 0,
    DPU_OP_ATTR_TYPE = 1,       /* u32: enum dpu_op_type. */
    DPU_OP_ATTR_KEY = 2,        /* nested: OVS_KEY_ATTR_*. */
    DPU_OP_ATTR_MASK = 3,       /* nested: OVS_KEY_ATTR_*. */
    DPU_OP_ATTR_ACTIONS = 4,    /* nested: OVS_ACTION_ATTR_*. */
    DPU_OP_ATTR_UFID = 5,       /* u128. */
    DPU_OP_ATTR_PUT_FLAGS = 6,  /* u32: DPU_FP_* bits. */
    DPU_OP_ATTR_PACKET = 7,     /* unspec: Ethernet frame. */
    DPU_OP_ATTR_MTU = 8,        /* u32: fragment to this MTU (execute). */
    DPU_OP_ATTR_HASH = 9,       /* u64: packet hash (execute). */
    DPU_OP_ATTR_PROBE = 10,     /* flag: a feature probe, do not log. */
    DPU_OP_ATTR_RESULT_ERRNO = 11, /* u32: 0 or a positive errno. */
    DPU_OP_ATTR_STATS_PACKETS = 12, /* u64. */
    DPU_OP_ATTR_STATS_BYTES = 13, /* u64. */
    DPU_OP_ATTR_STATS_IDLE_MS = 14, /* u64: ms since last hit; absent:
                                     * never. */
    DPU_OP_ATTR_STATS_TCP_FLAGS = 15, /* u16. */
    DPU_OP_ATTR_WANT_STATS = 16, /* flag: return the flow's stats. */
    DPU_OP_ATTR_OFFLOADED = 17, /* flag: flow is in DPU hardware. */
    __DPU_OP_ATTR_MAX
};
#define DPU_OP_ATTR_MAX (__DPU_OP_ATTR_MAX - 1)

/* Attributes of an UPCALL. */
enum dpu_upcall_attr {
    DPU_UPCALL_ATTR_UNSPEC = 0,
    DPU_UPCALL_ATTR_TYPE = 1,   /* u32: DPU_UC_*. */
    DPU_UPCALL_ATTR_PACKET = 2, /* unspec: Ethernet frame. */
    DPU_UPCALL_ATTR_KEY = 3,    /* nested: OVS_KEY_ATTR_*, of the packet. */
    DPU_UPCALL_ATTR_UFID = 4,   /* u128. */
    DPU_UPCALL_ATTR_USERDATA = 5, /* unspec: userspace() action's cookie. */
    DPU_UPCALL_ATTR_ACTIONS = 6, /* nested: userspace() action's actions. */
    DPU_UPCALL_ATTR_MRU = 7,    /* u16. */
    DPU_UPCALL_ATTR_HASH = 8,   /* u64. */
    DPU_UPCALL_ATTR_CUTLEN = 9, /* u32. */
    DPU_UPCALL_ATTR_OUT_TUN_KEY = 10, /* nested: OVS_TUNNEL_KEY_ATTR_*. */
    __DPU_UPCALL_ATTR_MAX
};
#define DPU_UPCALL_ATTR_MAX (__DPU_UPCALL_ATTR_MAX - 1)

/* Upcall types (DPU_UPCALL_ATTR_TYPE), the values of Open vSwitch's enum
 * dpif_upcall_type. */
#define DPU_UC_MISS 0           /* The packet matched no flow. */
#define DPU_UC_ACTION 1         /* A userspace() action sent it. */

/* Attributes of a METER, its statistics and the meter features.  Each nest
 * uses some of them: METER has FLAGS and BAND; METER_STATS has PACKETS,
 * BYTES, BAND_PACKETS and BAND_BYTES; METER_FEATURES has MAX_METERS,
 * BAND_TYPES, CAPS, MAX_BANDS and MAX_COLOR (all R in their nest). */
enum dpu_meter_attr {
    DPU_METER_ATTR_UNSPEC = 0,
    DPU_METER_ATTR_FLAGS = 1,   /* u32: OFPMF13_*. */
    DPU_METER_ATTR_BAND = 2,    /* nested, repeated: TYPE, RATE (R), BURST
                                 * (O, 0 if absent). */
    DPU_METER_ATTR_BAND_TYPE = 3, /* u32: OFPMBT13_*. */
    DPU_METER_ATTR_BAND_RATE = 4, /* u32: kbit/s or packets/s, by FLAGS. */
    DPU_METER_ATTR_BAND_BURST = 5, /* u32: kbit or packets, by FLAGS. */
    DPU_METER_ATTR_PACKETS = 6, /* u64: packets in. */
    DPU_METER_ATTR_BYTES = 7,   /* u64: bytes in. */
    DPU_METER_ATTR_BAND_PACKETS = 8, /* u64, repeated: per band. */
    DPU_METER_ATTR_BAND_BYTES = 9, /* u64, repeated: per band. */
    DPU_METER_ATTR_MAX_METERS = 10, /* u32. */
    DPU_METER_ATTR_BAND_TYPES = 11, /* u32: bit 1 << OFPMBT13_* per type. */
    DPU_METER_ATTR_CAPS = 12,   /* u32: OFPMF13_*. */
    DPU_METER_ATTR_MAX_BANDS = 13, /* u32. */
    DPU_METER_ATTR_MAX_COLOR = 14, /* u32. */
    __DPU_METER_ATTR_MAX
};
#define DPU_METER_ATTR_MAX (__DPU_METER_ATTR_MAX - 1)

/* Most bands in one meter that the protocol carries. */
#define DPU_METER_MAX_BANDS 64

/* Attributes of a CT_ENTRY: one conntrack entry, as struct ct_dpif_entry. */
enum dpu_ct_attr {
    DPU_CT_ATTR_UNSPEC = 0,
    DPU_CT_ATTR_TUPLE_ORIG = 1, /* nested (R): DPU_CT_TUPLE_ATTR_*. */
    DPU_CT_ATTR_TUPLE_REPLY = 2, /* nested (R): DPU_CT_TUPLE_ATTR_*. */
    DPU_CT_ATTR_TUPLE_PARENT = 3, /* nested (O): of a related connection. */
    DPU_CT_ATTR_ZONE = 4,       /* u16 (R). */
    DPU_CT_ATTR_MARK = 5,       /* u32 (O, 0 if absent). */
    DPU_CT_ATTR_LABELS = 6,     /* u128 (O: absent if none). */
    DPU_CT_ATTR_STATUS = 7,     /* u32 (O): CT_DPIF_STATUS_* bits. */
    DPU_CT_ATTR_TIMEOUT = 8,    /* u32 (O): seconds until expiry. */
    DPU_CT_ATTR_ID = 9,         /* u32 (O). */
    DPU_CT_ATTR_TCP_STATE_ORIG = 10, /* u8 (O): enum ct_dpif_tcp_state. */
    DPU_CT_ATTR_TCP_STATE_REPLY = 11, /* u8 (O): enum ct_dpif_tcp_state. */
    __DPU_CT_ATTR_MAX
};
#define DPU_CT_ATTR_MAX (__DPU_CT_ATTR_MAX - 1)

/* Attributes of a CT_SYNC: one change of a connection. */
enum dpu_ct_sync_attr {
    DPU_CT_SYNC_ATTR_UNSPEC = 0,
    DPU_CT_SYNC_ATTR_ENTRY = 1, /* nested (R): DPU_CT_ATTR_*, the connection
                                 * after the change; TIMEOUT is when it
                                 * expires on the active DPU. */
    DPU_CT_SYNC_ATTR_DELETED = 2, /* flag (O): it was deleted, or expired;
                                   * ENTRY identifies it by TUPLE_ORIG and
                                   * ZONE. */
    DPU_CT_SYNC_ATTR_TIME = 3,  /* u64 (R): when it changed on the active
                                 * DPU, wall clock, microseconds since the
                                 * epoch (for the replication lag). */
    __DPU_CT_SYNC_ATTR_MAX
};
#define DPU_CT_SYNC_ATTR_MAX (__DPU_CT_SYNC_ATTR_MAX - 1)

/* Most CT_SYNC attributes in one message. */
#define DPU_CT_SYNC_MAX 256

/* Attributes of a conntrack tuple, as struct ct_dpif_tuple. */
enum dpu_ct_tuple_attr {
    DPU_CT_TUPLE_ATTR_UNSPEC = 0,
    DPU_CT_TUPLE_ATTR_L3_TYPE = 1, /* u16 (R): AF_INET (2) or AF_INET6 (10). */
    DPU_CT_TUPLE_ATTR_SRC = 2,  /* 16 bytes (R): address, network order; an
                                 * IPv4 address fills the first 4. */
    DPU_CT_TUPLE_ATTR_DST = 3,  /* 16 bytes (R): likewise. */
    DPU_CT_TUPLE_ATTR_PROTO = 4, /* u8 (R): IPPROTO_*. */
    DPU_CT_TUPLE_ATTR_SRC_PORT = 5, /* be16 (O): TCP, UDP, SCTP... */
    DPU_CT_TUPLE_ATTR_DST_PORT = 6, /* be16 (O). */
    DPU_CT_TUPLE_ATTR_ICMP_ID = 7, /* be16 (O): ICMP and ICMPv6 instead. */
    DPU_CT_TUPLE_ATTR_ICMP_TYPE = 8, /* u8 (O). */
    DPU_CT_TUPLE_ATTR_ICMP_CODE = 9, /* u8 (O). */
    __DPU_CT_TUPLE_ATTR_MAX
};
#define DPU_CT_TUPLE_ATTR_MAX (__DPU_CT_TUPLE_ATTR_MAX - 1)

/* Attributes of a CT_ZONE_LIMIT. */
enum dpu_ct_limit_attr {
    DPU_CT_LIMIT_ATTR_UNSPEC = 0,
    DPU_CT_LIMIT_ATTR_ZONE = 1, /* u16 (R). */
    DPU_CT_LIMIT_ATTR_LIMIT = 2, /* u32 (O): most connections, 0 for none. */
    DPU_CT_LIMIT_ATTR_COUNT = 3, /* u32 (O): connections now. */
    __DPU_CT_LIMIT_ATTR_MAX
};
#define DPU_CT_LIMIT_ATTR_MAX (__DPU_CT_LIMIT_ATTR_MAX - 1)

/* Attributes of a CT_TIMEOUT_POLICY. */
enum dpu_ct_tp_attr {
    DPU_CT_TP_ATTR_UNSPEC = 0,
    DPU_CT_TP_ATTR_ID = 1,      /* u32 (R): the policy's ID. */
    DPU_CT_TP_ATTR_TIMEOUTS = 2, /* nested (R): one u32 per timeout that the
                                 * policy sets, in seconds, whose type is 1 +
                                 * its enum ct_dpif_tp_attr value: 1 for
                                 * TCP_SYN_SENT ... 16 for ICMP_REPLY. */
    __DPU_CT_TP_ATTR_MAX
};
#define DPU_CT_TP_ATTR_MAX (__DPU_CT_TP_ATTR_MAX - 1)

/* Attributes of a QOS_CAPS: a QoS type that a device supports. */
enum dpu_qos_attr {
    DPU_QOS_ATTR_UNSPEC = 0,
    DPU_QOS_ATTR_TYPE = 1,      /* string (R): e.g. "linux-htb". */
    DPU_QOS_ATTR_N_QUEUES = 2,  /* u32 (O): queues that the type supports. */
    __DPU_QOS_ATTR_MAX
};
#define DPU_QOS_ATTR_MAX (__DPU_QOS_ATTR_MAX - 1)

/* Attributes of a QUEUE. */
enum dpu_queue_attr {
    DPU_QUEUE_ATTR_UNSPEC = 0,
    DPU_QUEUE_ATTR_ID = 1,      /* u32 (R). */
    DPU_QUEUE_ATTR_DETAILS = 2, /* nested (O): string pairs, as
                                 * DPU_ATTR_CONFIG: the queue's
                                 * configuration. */
    DPU_QUEUE_ATTR_STATS = 3,   /* nested (O): DPU_STATS_ATTR_TX_PACKETS,
                                 * TX_BYTES, TX_ERRORS, each absent if the
                                 * device does not count it. */
    DPU_QUEUE_ATTR_AGE_MS = 4,  /* u64 (O): ms since the queue was created;
                                 * absent if unknown. */
    __DPU_QUEUE_ATTR_MAX
};
#define DPU_QUEUE_ATTR_MAX (__DPU_QUEUE_ATTR_MAX - 1)

/* A string pair in DPU_ATTR_CONFIG, DPU_ATTR_PORT_OPTIONS,
 * DPU_ATTR_QOS_DETAILS and DPU_QUEUE_ATTR_DETAILS. */
enum dpu_config_attr {
    DPU_CONFIG_ATTR_UNSPEC = 0,
    DPU_CONFIG_ATTR_KEY = 1,    /* string. */
    DPU_CONFIG_ATTR_VALUE = 2,  /* string. */
    DPU_CONFIG_ATTR_PAIR = 3,   /* nested: KEY, VALUE. */
    __DPU_CONFIG_ATTR_MAX
};
#define DPU_CONFIG_ATTR_MAX (__DPU_CONFIG_ATTR_MAX - 1)

/* Attributes of METRICS, a DPU's measurements of itself.
 *
 * "Cores" are what runs the DPU's datapath: the CPU cores of a DPU, or,
 * for an emulated DPU (EMULATED), the threads of the process that emulates
 * it.  Loads and rates are measured over the DPU's latest sampling window,
 * INTERVAL_MS long; counters count from the DPU's start (its boot id). */
enum dpu_metrics_attr {
    DPU_METRICS_ATTR_UNSPEC = 0,
    DPU_METRICS_ATTR_EMULATED = 1, /* flag (O): these are the figures of a
                                 * process that emulates a DPU (its threads,
                                 * its memory), not of DPU hardware. */
    DPU_METRICS_ATTR_INTERVAL_MS = 2, /* u32 (R): the sampling window; 0 if
                                     * the DPU has not sampled yet. */
    DPU_METRICS_ATTR_CORE = 3,  /* nested (O, repeated, at most
                                 * DPU_METRICS_MAX_CORES): NAME, LOAD. */
    DPU_METRICS_ATTR_NAME = 4,  /* string (R in CORE): the core's name, at
                                 * most 63 characters. */
    DPU_METRICS_ATTR_LOAD = 5,  /* u32 (R in CORE): the core's busy time
                                 * during the window, in hundredths of a
                                 * percent of the window (0 to 10000). */
    DPU_METRICS_ATTR_MEM_USED = 6, /* u64 (R): bytes of memory in use. */
    DPU_METRICS_ATTR_MEM_TOTAL = 7, /* u64 (R): bytes of memory in all. */
    DPU_METRICS_ATTR_DP_STATS = 8, /* nested (R): DPU_STATS_ATTR_*, as in a
                                 * DP_GET_STATS reply; FLOWS is the number
                                 * of megaflows. */
    DPU_METRICS_ATTR_PORT = 9,  /* nested (O, repeated, one per port added
                                 * with PORT_ADD): DPU_ATTR_PORT_NO,
                                 * DPU_ATTR_PORT_NAME and
                                 * DPU_ATTR_NETDEV_STATS (all R), with their
                                 * top-level numbers. */
    DPU_METRICS_ATTR_UPCALLS = 10, /* u64 (R): upcalls sent to hosts. */
    DPU_METRICS_ATTR_UPCALL_RATE = 11, /* u32 (R): upcalls sent per second
                                     * during the window, rounded. */
    DPU_METRICS_ATTR_FLOW_SETUPS = 12, /* u64 (R): flow setups measured (see
                                     * FLOW_SETUP_AVG_US). */
    DPU_METRICS_ATTR_FLOW_SETUP_AVG_US = 13, /* u32 (O): the mean flow-setup
                                         * latency of the latest (at most
                                         * DPU_METRICS_SETUP_SAMPLES) flow
                                         * setups, in microseconds: from the
                                         * datapath's miss to the moment the
                                         * DPU has installed the flow that
                                         * the host put for that miss's
                                         * UFID.  Absent if none yet. */
    DPU_METRICS_ATTR_FLOW_SETUP_MAX_US = 14, /* u32 (O): the longest of
                                              * those. */
    DPU_METRICS_ATTR_INJECTED = 15, /* flag (O): some figures were injected for
                                 * a test (an emulated DPU's load or memory,
                                 * see ovs-dpu-agent(8)), not measured. */
    __DPU_METRICS_ATTR_MAX
};
#define DPU_METRICS_ATTR_MAX (__DPU_METRICS_ATTR_MAX - 1)

/* Most CORE attributes in one METRICS, and most flow setups that the
 * flow-setup latency averages. */
#define DPU_METRICS_MAX_CORES 256
#define DPU_METRICS_SETUP_SAMPLES 256

/* Attributes of HEALTH, one hardware health alert of a DPU, such as a
 * temperature above its limit. */
enum dpu_health_attr {
    DPU_HEALTH_ATTR_UNSPEC = 0,
    DPU_HEALTH_ATTR_SENSOR = 1, /* string (R): what the alert is about, 1 to
                                 * 63 characters, e.g. "temperature",
                                 * "fan1", "psu0", "ecc". */
    DPU_HEALTH_ATTR_SEVERITY = 2, /* u32 (R): DPU_SEVERITY_*. */
    DPU_HEALTH_ATTR_VALUE = 3,  /* string (O): the sensor's reading, at most
                                 * 63 characters, with its unit if any,
                                 * e.g. "95C". */
    DPU_HEALTH_ATTR_MESSAGE = 4, /* string (O): the alert in words. */
    __DPU_HEALTH_ATTR_MAX
};
#define DPU_HEALTH_ATTR_MAX (__DPU_HEALTH_ATTR_MAX - 1)

/* Most HEALTH attributes in one DPU_EVENT. */
#define DPU_MAX_HEALTH 64

/* The severity of a health alert (DPU_HEALTH_ATTR_SEVERITY), as in ITU-T
 * X.733. */
enum dpu_severity {
    DPU_SEVERITY_CRITICAL = 0,
    DPU_SEVERITY_MAJOR = 1,
    DPU_SEVERITY_MINOR = 2,
    DPU_SEVERITY_WARNING = 3,
    DPU_SEVERITY_INFO = 4,
    DPU_N_SEVERITIES
};

/* Attributes of IPFIX, and of an EXPORTER within it (see
 * DPU_MSG_IPFIX_SET).  An EXPORTER has the meaning of an IPFIX row of the
 * Open_vSwitch database, as ofproto.h's struct
 * ofproto_ipfix_bridge_exporter_options (without COLLECTOR_SET_ID) or
 * struct ofproto_ipfix_flow_exporter_options (with it) carry it. */
enum dpu_ipfix_attr {
    DPU_IPFIX_ATTR_UNSPEC = 0,
    DPU_IPFIX_ATTR_BRIDGE_UUID = 1, /* 16 bytes (R in IPFIX): struct uuid. */
    DPU_IPFIX_ATTR_BRIDGE_NAME = 2, /* string (R in IPFIX), 1 to 255 bytes. */
    DPU_IPFIX_ATTR_DPU_NAME = 3, /* string (O in IPFIX), at most 255 bytes. */
    DPU_IPFIX_ATTR_OBS_DOMAIN_ID = 4, /* u32 (O in IPFIX and in a bridge
                                     * EXPORTER; 0 if absent there). */
    DPU_IPFIX_ATTR_EXPORTER = 5, /* nested (O, repeated, in IPFIX). */

    /* In an EXPORTER. */
    DPU_IPFIX_ATTR_COLLECTOR_SET_ID = 6, /* u32 (O): absent for the bridge
                                         * exporter. */
    DPU_IPFIX_ATTR_TARGET = 7,  /* string (R, repeated, at most
                                 * DPU_IPFIX_MAX_TARGETS): "IP:PORT". */
    DPU_IPFIX_ATTR_SAMPLING = 8, /* u32 (R in a bridge EXPORTER, at least 1):
                                 * the bridge's sampling rate. */
    DPU_IPFIX_ATTR_OBS_POINT_ID = 9, /* u32 (O, bridge only; 0 if absent). */
    DPU_IPFIX_ATTR_CACHE_ACTIVE_TIMEOUT = 10, /* u32 (O): seconds, 0 if
                                             * absent. */
    DPU_IPFIX_ATTR_CACHE_MAX_FLOWS = 11, /* u32 (O): 0 if absent. */
    DPU_IPFIX_ATTR_TUNNEL_SAMPLING = 12, /* flag (O). */
    DPU_IPFIX_ATTR_INPUT_SAMPLING = 13, /* flag (O, bridge only). */
    DPU_IPFIX_ATTR_OUTPUT_SAMPLING = 14, /* flag (O, bridge only). */
    DPU_IPFIX_ATTR_VIRTUAL_OBS_ID = 15, /* string (O), at most 255 bytes. */
    __DPU_IPFIX_ATTR_MAX
};
#define DPU_IPFIX_ATTR_MAX (__DPU_IPFIX_ATTR_MAX - 1)

/* Most EXPORTERs in one IPFIX, and most TARGETs in one EXPORTER. */
#define DPU_IPFIX_MAX_EXPORTERS 64
#define DPU_IPFIX_MAX_TARGETS 16

/* Attributes of ALARM (see DPU_MSG_ALARM): one raise or clear of an alarm
 * of the host's DPU_Alarm table.  Strings are at most 255 bytes long,
 * except CAUSE. */
enum dpu_alarm_attr {
    DPU_ALARM_ATTR_UNSPEC = 0,
    DPU_ALARM_ATTR_ID = 1,      /* 16 bytes (R): struct uuid, the alarm's
                                 * (its DPU_Alarm row's UUID), the same in
                                 * its raise and its clear. */
    DPU_ALARM_ATTR_TYPE = 2,    /* string (R), 1 to 63 bytes: the alarm's
                                 * "type" column, e.g. "cpu", "failover";
                                 * a DPU passes on types it does not know. */
    DPU_ALARM_ATTR_DPU_NAME = 3, /* string (R), 1 to 255 bytes: the name on
                                 * the host of the DPU the alarm is about. */
    DPU_ALARM_ATTR_SUBJECT = 4, /* string (O): what of the DPU, e.g. the
                                 * device of an "uplink-down" alarm. */
    DPU_ALARM_ATTR_SEVERITY = 5, /* u32 (R): DPU_SEVERITY_*. */
    DPU_ALARM_ATTR_CLEARED = 6, /* flag (O): the alarm cleared; without it,
                                 * it was raised. */
    DPU_ALARM_ATTR_TIME = 7,    /* u64 (R): when it was raised or cleared,
                                 * in ms since the epoch (UTC), on the
                                 * host's clock, at most
                                 * DPU_ALARM_MAX_TIME. */
    DPU_ALARM_ATTR_CAUSE = 8,   /* string (O): the alarm in words, at most
                                 * 1023 bytes. */
    DPU_ALARM_ATTR_FROM = 9,    /* string (O, "failover" only): the DPU the
                                 * pair failed over from. */
    DPU_ALARM_ATTR_TO = 10,     /* string (O, "failover" only): and to. */
    DPU_ALARM_ATTR_REASON = 11, /* string (O, "failover" only): why, e.g.
                                 * "heartbeat-loss", "operator". */
    DPU_ALARM_ATTR_DURATION_MS = 12, /* u64 (O, "failover" only): how long the
                                 * failover took, in ms. */
    __DPU_ALARM_ATTR_MAX
};
#define DPU_ALARM_ATTR_MAX (__DPU_ALARM_ATTR_MAX - 1)

/* The latest DPU_ALARM_ATTR_TIME: 9999-12-31T23:59:59.999Z. */
#define DPU_ALARM_MAX_TIME 253402300799999LL

/* The layout of every structure on the wire, checked when this header is
 * compiled. */
#define DPU_WIRE_ASSERT(COND) _Static_assert(COND, #COND)
DPU_WIRE_ASSERT(sizeof(struct dpu_header) == DPU_HEADER_LEN);
DPU_WIRE_ASSERT(offsetof(struct dpu_header, length) == 0);
DPU_WIRE_ASSERT(offsetof(struct dpu_header, version) == 4);
DPU_WIRE_ASSERT(offsetof(struct dpu_header, type) == 5);
DPU_WIRE_ASSERT(offsetof(struct dpu_header, flags) == 6);
DPU_WIRE_ASSERT(offsetof(struct dpu_header, xid) == 8);
DPU_WIRE_ASSERT(sizeof(struct dpu_nlattr) == DPU_NLA_HDRLEN);
DPU_WIRE_ASSERT(offsetof(struct dpu_nlattr, nla_len) == 0);
DPU_WIRE_ASSERT(offsetof(struct dpu_nlattr, nla_type) == 2);
DPU_WIRE_ASSERT(sizeof(struct dpu_in6_addr) == 32);
DPU_WIRE_ASSERT(offsetof(struct dpu_in6_addr, addr) == 0);
DPU_WIRE_ASSERT(offsetof(struct dpu_in6_addr, mask) == 16);
DPU_WIRE_ASSERT(sizeof(struct dpu_handover) == 44);
DPU_WIRE_ASSERT(offsetof(struct dpu_handover, port_no) == 0);
DPU_WIRE_ASSERT(offsetof(struct dpu_handover, age_us) == 4);
DPU_WIRE_ASSERT(offsetof(struct dpu_handover, n_hashes) == 8);
DPU_WIRE_ASSERT(offsetof(struct dpu_handover, hashes) == 12);

#endif /* dpu-wire.h */
