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
#include "agent-ha.h"

#include <errno.h>
#include <limits.h>

#include "agent-crash-point.h"
#include "agent-datapath.h"
#include "agent-handover.h"
#include "agent-ipfix.h"
#include "coverage.h"
#include "dp-packet.h"
#include "dpif.h"
#include "dpif-netdev.h"
#include "dpu-codec.h"
#include "netlink.h"
#include "odp-netlink.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "ovs-atomic.h"
#include "ovs-thread.h"
#include "packets.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(agent_ha);

COVERAGE_DEFINE(agent_rx_dropped);      /* Received while not active. */
COVERAGE_DEFINE(agent_rx_held);         /* Held while preparing. */
COVERAGE_DEFINE(agent_rx_hold_full);    /* Dropped: too many held. */
COVERAGE_DEFINE(agent_rx_replayed);     /* Held, forwarded on activation. */
COVERAGE_DEFINE(agent_announce);        /* Announcement sent on activation. */
COVERAGE_DEFINE(agent_rx_reflection);   /* Own address back on an uplink. */
COVERAGE_DEFINE(agent_lease_expired);   /* Stood by: the host fell silent,
                                         * or the DPU stalled. */
COVERAGE_DEFINE(agent_rx_fenced);       /* Received before a stall, dropped
                                         * after it. */

/* An internal role beyond those of the protocol: a fatal error (emulated
 * PCI error).  The DPU forwards nothing and learns nothing until the fault
 * is cleared; hosts see it as DPU_ROLE_STANDBY. */
#define AGENT_ROLE_FAILED 3

/* Most addresses learned while standby, how long one lasts without being
 * seen again, and how often the agent forgets those that did not. */
#define AGENT_MAX_LEARNED 4096
#define AGENT_LEARN_IDLE_MS (300 * 1000)
#define AGENT_LEARN_EXPIRY_INTERVAL_MS (10 * 1000)

/* Most passes over the ports that the main thread polls when a DPU
 * that stalled stands by, to drop what they queued during the stall (see
 * drain()): with a batch of up to 32 packets a pass, more than a packet
 * socket's receive buffer holds. */
#define AGENT_DRAIN_MAX_PASSES 256

/* Most packets that a preparing DPU holds for when it becomes active: at
 * 10 Gb/s of small packets, about the first 70 us of a switchover. */
#define AGENT_MAX_HELD 1024

/* How long after announcing an active DPU takes packets that come in on an
 * uplink from one of the addresses it announced for the network flooding
 * its announcements back (see drop_reflections()). */
#define AGENT_REFLECT_WINDOW_MS 1000

/* How long a DPU that became active in a handover waits before it announces
 * the addresses it has not forwarded a packet from meanwhile (see
 * announce()).  Shorter than the host's drain, DPU_HA_DRAIN_MS. */
#define AGENT_HANDOVER_ANNOUNCE_MS 100

/* An address seen behind a port that is not an uplink, while standby. */
struct agent_learned {
    struct hmap_node node;      /* In 'learned', by MAC and VLAN. */
    struct eth_addr mac;
    uint16_t vlan;              /* VLAN id, 0 if untagged. */
    ovs_be32 ip;                /* ARP sender or IPv4 source, 0 if none. */
    odp_port_t port;            /* The port it was last seen on. */
    long long int seen;
    bool forwarded;             /* Forwarded from since a handover, while
                                 * 'announce_at' is set. */
};

/* The main thread writes 'role' with 'mutex' held.  The threads that poll
 * ports read it in rx_hook(): without the mutex for a quick look, and with
 * it before they act on a role other than active.  'mutex' also guards what
 * those threads share with the main thread; the rest belongs to the main
 * thread.  No other lock is taken with 'mutex' held. */
struct agent_ha {
    struct agent_server *server;
    struct agent_dp *dp;
    struct agent_ipfix *ipfix;

    struct ovs_mutex mutex;
    atomic_int role;                    /* DPU_ROLE_*, or AGENT_ROLE_FAILED. */
    odp_port_t *uplinks OVS_GUARDED;    /* Sorted. */
    size_t n_uplinks OVS_GUARDED;
    struct hmap learned OVS_GUARDED;    /* struct agent_learned. */
    struct dp_packet **held OVS_GUARDED;    /* AGENT_MAX_HELD, while
                                             * preparing, in order. */
    size_t n_held OVS_GUARDED;
    uint64_t n_rx_dropped OVS_GUARDED;  /* Not active. */
    uint64_t n_rx_held OVS_GUARDED;     /* While preparing. */
    uint64_t n_reflections OVS_GUARDED;
    struct agent_handover *handover OVS_GUARDED;
    long long int announce_at OVS_GUARDED;  /* time_msec() of a deferred
                                             * announcement, or 0. */

    atomic_bool leased;                 /* 'lease_ms' != 0: an active DPU of
                                         * a pair, which records what it
                                         * forwards for a handover. */
    atomic_llong lease_end;             /* time_msec() when the lease of an
                                         * active DPU runs out, as of the
                                         * last check of the main thread. */
    atomic_bool fenced;                 /* A thread that polls ports saw the
                                         * lease run out: the main thread
                                         * must stand by. */
    atomic_int rx_stall_ms;             /* Emulation only: how long the next
                                         * received batch stalls before it is
                                         * looked at (see
                                         * agent_ha_stall_next_rx()). */
    atomic_llong reflect_until;         /* Until then, an active DPU drops
                                         * what arrives on an uplink from an
                                         * address it announced. */

    uint32_t lease_ms;                  /* 0: none. */
    long long int last_check;           /* time_msec() of the main thread's
                                         * last agent_ha_check_lease(). */
    uint64_t n_rx_seen OVS_GUARDED;     /* Batches the hook saw while not
                                         * active, for drain(). */
    uint64_t n_rx_fenced OVS_GUARDED;   /* Dropped: received before a stall
                                         * longer than the lease. */
    uint64_t n_rx_replayed;             /* Held, then forwarded. */
    uint64_t n_announcements;
    uint64_t n_handover_timeouts_logged;
    long long int next_expiry;          /* Next aging of 'learned'. */
    char *fault;                        /* Injected fault, or NULL. */
};

static int
get_role(const struct agent_ha *ha)
{
    int role;

    atomic_read_relaxed(&CONST_CAST(struct agent_ha *, ha)->role, &role);
    return role;
}

static const char *
role_name(int role)
{
    return role == AGENT_ROLE_FAILED ? "failed" : dpu_role_to_string(role);
}

uint32_t
agent_ha_wire_role(const struct agent_ha *ha)
{
    int role = get_role(ha);

    return role == AGENT_ROLE_FAILED ? DPU_ROLE_STANDBY : role;
}

const char *
agent_ha_role_name(const struct agent_ha *ha)
{
    return role_name(get_role(ha));
}

const char *
agent_ha_get_fault(const struct agent_ha *ha)
{
    return ha->fault;
}

static bool
is_uplink(const struct agent_ha *ha, odp_port_t port_no)
    OVS_REQUIRES(ha->mutex)
{
    for (size_t i = 0; i < ha->n_uplinks; i++) {
        if (ha->uplinks[i] == port_no) {
            return true;
        }
    }
    return false;
}

/* Learning. */

/* Reads the VLAN and IPv4 source of 'packet', whose Ethernet header 'eth'
 * has 'size' bytes after it. */
static void
parse_source(const struct eth_header *eth, size_t size, uint16_t *vlanp,
             ovs_be32 *ipp)
{
    ovs_be16 type = eth->eth_type;
    size_t ofs = ETH_HEADER_LEN;

    *vlanp = 0;
    *ipp = 0;
    if ((type == htons(ETH_TYPE_VLAN) || type == htons(ETH_TYPE_VLAN_8021AD))
        && size >= ofs + VLAN_HEADER_LEN) {
        const struct vlan_header *vh
            = ALIGNED_CAST(const struct vlan_header *,
                           (const char *) eth + ofs);

        *vlanp = vlan_tci_to_vid(vh->vlan_tci);
        type = vh->vlan_next_type;
        ofs += VLAN_HEADER_LEN;
    }
    if (type == htons(ETH_TYPE_ARP) && size >= ofs + ARP_ETH_HEADER_LEN) {
        const struct arp_eth_header *arp
            = ALIGNED_CAST(const struct arp_eth_header *,
                           (const char *) eth + ofs);

        *ipp = get_16aligned_be32(&arp->ar_spa);
    } else if (type == htons(ETH_TYPE_IP) && size >= ofs + IP_HEADER_LEN) {
        const struct ip_header *iph
            = ALIGNED_CAST(const struct ip_header *,
                           (const char *) eth + ofs);

        *ipp = get_16aligned_be32(&iph->ip_src);
    }
}

/* Learns the source address of 'packet', received on a port that is not an
 * uplink. */
static void
learn(struct agent_ha *ha, odp_port_t port_no, const struct dp_packet *packet)
    OVS_REQUIRES(ha->mutex)
{
    const struct eth_header *eth = dp_packet_data(packet);
    size_t size = dp_packet_size(packet);
    struct agent_learned *l;
    uint16_t vlan;
    uint32_t hash;
    ovs_be32 ip;

    if (size < ETH_HEADER_LEN || eth_addr_is_multicast(eth->eth_src)
        || eth_addr_is_zero(eth->eth_src)) {
        return;
    }
    parse_source(eth, size, &vlan, &ip);

    hash = hash_bytes(&eth->eth_src, sizeof eth->eth_src, vlan);
    HMAP_FOR_EACH_WITH_HASH (l, node, hash, &ha->learned) {
        if (eth_addr_equals(l->mac, eth->eth_src) && l->vlan == vlan) {
            break;
        }
    }
    if (!l && hmap_count(&ha->learned) < AGENT_MAX_LEARNED) {
        l = xzalloc(sizeof *l);
        l->mac = eth->eth_src;
        l->vlan = vlan;
        hmap_insert(&ha->learned, &l->node, hash);
    }
    if (l) {
        l->seen = time_msec();
        l->port = port_no;
        if (ip) {
            l->ip = ip;
        }
    }
}

/* Forgets the addresses not seen for AGENT_LEARN_IDLE_MS. */
static void
expire_learned(struct agent_ha *ha)
    OVS_REQUIRES(ha->mutex)
{
    long long int now = time_msec();
    struct agent_learned *l;

    HMAP_FOR_EACH_SAFE (l, node, &ha->learned) {
        if (now - l->seen > AGENT_LEARN_IDLE_MS) {
            hmap_remove(&ha->learned, &l->node);
            free(l);
        }
    }
}

/* Returns the addresses learned from the source of 'packet' (any VLAN) and
 * calls 'cb' on each, or, if 'cb' is NULL, returns whether there is one. */
static bool
find_learned_src(struct agent_ha *ha, const struct dp_packet *packet,
                 void (*cb)(struct agent_learned *))
    OVS_REQUIRES(ha->mutex)
{
    const struct eth_header *eth = dp_packet_data(packet);
    struct agent_learned *l;
    bool found = false;

    if (dp_packet_size(packet) < ETH_HEADER_LEN) {
        return false;
    }
    HMAP_FOR_EACH (l, node, &ha->learned) {
        if (eth_addr_equals(l->mac, eth->eth_src)) {
            if (!cb) {
                return true;
            }
            cb(l);
            found = true;
        }
    }
    return found;
}

static void
mark_forwarded(struct agent_learned *l)
{
    l->forwarded = true;
}

/* Shortly after an active DPU announced its addresses (see announce()), the
 * network floods each announcement back in on the DPU's other uplinks, as a
 * switch floods any broadcast.  Unless the host's flows drop it there (an
 * active-backup bond drops what arrives on its backup members), the host
 * would take one for a move of the address to the network, and send the
 * address's traffic back out there until it learns otherwise.  So the DPU
 * drops those reflections: packets that arrive on an uplink from an address
 * it learned behind its other ports.  Removes them from 'batch'. */
static void
drop_reflections(struct agent_ha *ha, struct dp_packet_batch *batch)
    OVS_REQUIRES(ha->mutex)
{
    const size_t size = dp_packet_batch_size(batch);
    struct dp_packet *packet;
    size_t i;

    if (hmap_is_empty(&ha->learned)) {
        return;
    }
    DP_PACKET_BATCH_REFILL_FOR_EACH (i, size, packet, batch) {
        if (find_learned_src(ha, packet, NULL)) {
            ha->n_reflections++;
            COVERAGE_INC(agent_rx_reflection);
            dp_packet_delete(packet);
        } else {
            dp_packet_batch_refill(batch, packet, i);
        }
    }
}

/* The receive hook. */

/* What an active DPU does with 'batch', received on 'port_no'. */
static void
rx_active(struct agent_ha *ha, odp_port_t port_no, bool uplink,
          struct dp_packet_batch *batch)
    OVS_REQUIRES(ha->mutex)
{
    long long int until, deadline;
    struct dp_packet *packet;

    if (uplink) {
        atomic_read_relaxed(&ha->reflect_until, &until);
        if (OVS_UNLIKELY(until) && time_msec() < until) {
            drop_reflections(ha, batch);
        }
        return;
    }
    if (OVS_UNLIKELY(agent_handover_is_waiting(ha->handover, &deadline))) {
        agent_handover_filter(ha->handover, port_no, batch);
    }
    if (OVS_UNLIKELY(ha->announce_at)) {
        DP_PACKET_BATCH_FOR_EACH (i, packet, batch) {
            find_learned_src(ha, packet, mark_forwarded);
        }
    }
    agent_handover_record(ha->handover, port_no, batch);
}

/* What a DPU that is not active does with 'batch', received on 'port_no':
 * learns, keeps for a handover, holds while preparing, and drops the
 * rest. */
static void
rx_inactive(struct agent_ha *ha, int role, odp_port_t port_no, bool uplink,
            struct dp_packet_batch *batch)
    OVS_REQUIRES(ha->mutex)
{
    struct dp_packet *packet;

    ha->n_rx_seen++;
    if (role != AGENT_ROLE_FAILED && !uplink) {
        long long int now = time_usec();

        DP_PACKET_BATCH_FOR_EACH (i, packet, batch) {
            learn(ha, port_no, packet);
            if (role == DPU_ROLE_STANDBY) {
                agent_handover_keep(ha->handover, port_no, packet, now);
            }
        }
    }
    DP_PACKET_BATCH_FOR_EACH (i, packet, batch) {
        if (role == DPU_ROLE_PREPARE && uplink
            && find_learned_src(ha, packet, NULL)) {
            /* See drop_reflections(). */
            ha->n_reflections++;
            COVERAGE_INC(agent_rx_reflection);
        } else if (role != DPU_ROLE_PREPARE) {
            ha->n_rx_dropped++;
            COVERAGE_INC(agent_rx_dropped);
        } else if (ha->n_held >= AGENT_MAX_HELD) {
            ha->n_rx_dropped++;
            COVERAGE_INC(agent_rx_hold_full);
        } else {
            /* A copy, so that no device's buffer pool waits for it. */
            struct dp_packet *copy = dp_packet_clone(packet);

            pkt_metadata_init(&copy->md, port_no);
            ha->held[ha->n_held++] = copy;
            ha->n_rx_held++;
            COVERAGE_INC(agent_rx_held);
        }
    }
    dp_packet_delete_batch(batch, true);
}

/* Whether the lease of an active DPU ran out before 'batch' is looked at:
 * then this thread (or the whole DPU) stalled after the main thread last
 * checked the lease, perhaps after it received 'batch', and the partner may
 * have taken over meanwhile.  The batch is dropped, and the main thread
 * stands by (see agent_ha_check_lease()). */
static bool
rx_fence(struct agent_ha *ha, struct dp_packet_batch *batch)
    OVS_REQUIRES(ha->mutex)
{
    long long int lease_end;
    bool fenced;

    atomic_read_relaxed(&ha->fenced, &fenced);
    atomic_read_relaxed(&ha->lease_end, &lease_end);
    if (OVS_LIKELY(!fenced) && time_msec() < lease_end) {
        return false;
    }
    atomic_store_relaxed(&ha->fenced, true);
    ha->n_rx_fenced += dp_packet_batch_size(batch);
    COVERAGE_ADD(agent_rx_fenced, dp_packet_batch_size(batch));
    dp_packet_delete_batch(batch, true);
    return true;
}

/* dpif_netdev_rx_hook_cb: keeps a DPU that is not active from forwarding.
 * Runs in every thread that polls ports. */
static bool
rx_hook(odp_port_t port_no, struct dp_packet_batch *batch, void *ha_)
{
    struct agent_ha *ha = ha_;
    long long int until;
    bool leased, uplink;
    int stall_ms;
    int role;

    atomic_read_relaxed(&ha->rx_stall_ms, &stall_ms);
    if (OVS_UNLIKELY(stall_ms)) {
        /* An emulated stall between receiving and looking at a batch, in
         * real time, as a SIGSTOP would land. */
        atomic_store_relaxed(&ha->rx_stall_ms, 0);
        xnanosleep(stall_ms * 1000LL * 1000);
    }

    /* An active DPU without a lease is not in a pair (or has no handover
     * to make, see agent_ha_set_role()): nothing to record or filter, and
     * no lock to take in the threads that forward. */
    atomic_read_relaxed(&ha->leased, &leased);
    if (!leased && get_role(ha) == DPU_ROLE_ACTIVE) {
        atomic_read_relaxed(&ha->reflect_until, &until);
        if (OVS_LIKELY(!until) || time_msec() >= until) {
            return false;
        }
    }

    /* The role is read and acted on with 'mutex' held, so that what an
     * active DPU records as forwarded in its tails is exactly what it
     * forwards. */
    ovs_mutex_lock(&ha->mutex);
    role = get_role(ha);
    uplink = is_uplink(ha, port_no);
    if (role == DPU_ROLE_ACTIVE && leased && rx_fence(ha, batch)) {
        /* Dropped. */
    } else if (role == DPU_ROLE_ACTIVE) {
        rx_active(ha, port_no, uplink, batch);
    } else if (uplink && role == DPU_ROLE_STANDBY
               && agent_handover_is_draining(ha->handover)) {
        size_t n_dropped = agent_handover_drain(ha->handover, batch);

        ha->n_rx_dropped += n_dropped;
        COVERAGE_ADD(agent_rx_dropped, n_dropped);
    } else {
        rx_inactive(ha, role, port_no, uplink, batch);
    }
    ovs_mutex_unlock(&ha->mutex);
    return dp_packet_batch_is_empty(batch);
}

/* Announcing and forwarding. */

/* Announces every address learned while standby: a RARP for each MAC and,
 * if its IPv4 address is known, a gratuitous ARP, each as if the port it was
 * learned on had just received it (a recirculation with id 0, as replay()).
 * They go out where the host's flows send that port's broadcasts, for
 * example on the active member of an active-backup bond over the uplinks,
 * and not on every uplink: a switch learns an address on the last port it
 * saw it on, and an announcement on a bond's backup member would make the
 * network send the address's traffic there, where the bond drops it, until
 * the address sends a packet itself.  (This is where a hypervisor sends a
 * migrated VM's RARP too: from the VM's port.)
 *
 * In a handover, the network need not learn from announcements: the packets
 * that the new active DPU forwards from the address teach it.  Meanwhile the
 * old active DPU delivers what the network still sends it.  So a DPU that
 * became active in a handover announces only after
 * AGENT_HANDOVER_ANNOUNCE_MS, and only the addresses it did not forward a
 * packet from meanwhile ('only_quiet'). */
static void
announce(struct agent_ha *ha, bool only_quiet)
    OVS_EXCLUDED(ha->mutex)
{
    const struct agent_learned *l;
    struct agent_learned *addrs;
    uint64_t actions_stub[8];
    struct ofpbuf actions;
    size_t n_addrs = 0, n = 0;

    atomic_store_relaxed(&ha->reflect_until,
                         time_msec() + AGENT_REFLECT_WINDOW_MS);

    /* Copies, so that the threads that poll ports need not wait. */
    ovs_mutex_lock(&ha->mutex);
    expire_learned(ha);
    addrs = xmalloc(MAX(hmap_count(&ha->learned), 1) * sizeof *addrs);
    HMAP_FOR_EACH (l, node, &ha->learned) {
        if (!only_quiet || !l->forwarded) {
            addrs[n_addrs++] = *l;
        }
    }
    ovs_mutex_unlock(&ha->mutex);

    ofpbuf_use_stub(&actions, actions_stub, sizeof actions_stub);
    nl_msg_put_u32(&actions, OVS_ACTION_ATTR_RECIRC, 0);
    for (size_t i = 0; i < n_addrs; i++) {
        for (int garp = 0; garp < (addrs[i].ip ? 2 : 1); garp++) {
            struct dp_packet packet;

            dp_packet_init(&packet, 0);
            if (!garp) {
                compose_rarp(&packet, addrs[i].mac);
            } else {
                compose_arp(&packet, ARP_OP_REQUEST, addrs[i].mac,
                            eth_addr_zero, true, addrs[i].ip, addrs[i].ip);
            }
            if (addrs[i].vlan) {
                eth_push_vlan(&packet, htons(ETH_TYPE_VLAN),
                              htons(addrs[i].vlan));
            }
            pkt_metadata_init(&packet.md, addrs[i].port);
            agent_dp_execute(ha->dp, &packet, actions.data, actions.size,
                             "announcing", addrs[i].port);
            dp_packet_uninit(&packet);
            n++;
        }
    }
    ofpbuf_uninit(&actions);
    ha->n_announcements += n;
    COVERAGE_ADD(agent_announce, n);
    if (n) {
        VLOG_INFO("announced %"PRIuSIZE" addresses in %"PRIuSIZE" packets",
                  n_addrs, n);
    }
    free(addrs);
}

/* Forwards the 'n' packets in 'packets', held while preparing or received
 * while standby, as if they had just been received: a recirculation with id
 * 0 looks them up in the flow table of their input port, so that those with
 * a flow follow it and the others go to the host as misses.  Frees them and
 * 'packets'. */
static void
replay(struct agent_ha *ha, struct dp_packet **packets, size_t n)
{
    uint64_t actions_stub[8];
    struct ofpbuf actions;

    ofpbuf_use_stub(&actions, actions_stub, sizeof actions_stub);
    nl_msg_put_u32(&actions, OVS_ACTION_ATTR_RECIRC, 0);
    for (size_t i = 0; i < n; i++) {
        agent_dp_execute(ha->dp, packets[i], actions.data, actions.size,
                         "forwarding a held packet",
                         packets[i]->md.in_port.odp_port);
        dp_packet_delete(packets[i]);
    }
    ofpbuf_uninit(&actions);
    free(packets);
}

/* Roles. */

/* Starts a handover in which a standby DPU becomes active with 'handover'
 * (of 'n' entries) from the previous active DPU.  Returns in '*takenp' and
 * '*n_takenp' what it kept that the previous DPU did not forward. */
static void
take_over(struct agent_ha *ha, const struct dpu_handover *handover, size_t n,
          struct dp_packet ***takenp, size_t *n_takenp)
    OVS_REQUIRES(ha->mutex)
{
    struct agent_learned *l;

    /* See announce(). */
    HMAP_FOR_EACH (l, node, &ha->learned) {
        l->forwarded = false;
    }
    ha->announce_at = time_msec() + AGENT_HANDOVER_ANNOUNCE_MS;
    agent_handover_take_over(ha->handover, handover, n, takenp, n_takenp);
    for (size_t i = 0; i < *n_takenp; i++) {
        find_learned_src(ha, (*takenp)[i], mark_forwarded);
    }
}

/* Makes 'role' the DPU's role, for 'why'.  A DPU that stops being active
 * appends what it forwarded last to 'reply' (if nonnull, see
 * agent-handover.h), in protocol 'version', and, if it stands by and
 * 'drain_ms' is nonzero, delivers what arrives on its uplinks for
 * 'drain_ms' more.  A standby DPU that
 * becomes active with a nonnull 'handover' (of 'n_handover' entries, perhaps
 * none) forwards what the previous active DPU did not. */
static void
set_role(struct agent_ha *ha, int role, const char *why,
         const struct dpu_handover *handover, size_t n_handover,
         uint32_t drain_ms, struct ofpbuf *reply, uint8_t version)
    OVS_EXCLUDED(ha->mutex)
{
    struct dp_packet **held = NULL, **taken = NULL;
    size_t n_held = 0, n_taken = 0;
    bool announce_now;
    int old;

    ovs_mutex_lock(&ha->mutex);
    old = get_role(ha);
    if (old == role) {
        ovs_mutex_unlock(&ha->mutex);
        return;
    }
    atomic_store_relaxed(&ha->role, role);
    if (ha->n_held) {
        n_held = ha->n_held;
        held = xmemdup(ha->held, n_held * sizeof *held);
        ha->n_held = 0;
        if (role != DPU_ROLE_ACTIVE) {
            ha->n_rx_dropped += n_held;
        }
    }
    if (old == DPU_ROLE_ACTIVE) {
        agent_handover_put_tails(ha->handover, reply, version);
    }
    agent_handover_start_drain(ha->handover,
                               old == DPU_ROLE_ACTIVE ? drain_ms : 0);
    agent_handover_stop_waiting(ha->handover);
    announce_now = ((role == DPU_ROLE_ACTIVE || role == DPU_ROLE_PREPARE)
                    && old != DPU_ROLE_ACTIVE && old != DPU_ROLE_PREPARE);
    ha->announce_at = 0;
    if (role == DPU_ROLE_ACTIVE && handover && old == DPU_ROLE_STANDBY) {
        take_over(ha, handover, n_handover, &taken, &n_taken);
        announce_now = false;
    }
    agent_handover_forget(ha->handover);
    ovs_mutex_unlock(&ha->mutex);

    VLOG_INFO("role: %s -> %s (%s)", role_name(old), role_name(role), why);
    agent_ipfix_set_role(ha->ipfix, role_name(role));
    if (announce_now) {
        announce(ha, false);
    }
    if (role == DPU_ROLE_ACTIVE) {
        if (n_held) {
            VLOG_INFO("forwarding %"PRIuSIZE" packets held while preparing",
                      n_held);
        }
        ha->n_rx_replayed += n_held;
        COVERAGE_ADD(agent_rx_replayed, n_held);
        replay(ha, held, n_held);
    } else {
        for (size_t i = 0; i < n_held; i++) {
            dp_packet_delete(held[i]);
        }
        free(held);
    }
    if (n_taken) {
        VLOG_INFO("forwarding %"PRIuSIZE" packets received while standby "
                  "that the previous active DPU did not forward", n_taken);
    }
    replay(ha, taken, n_taken);
}

static int
compare_odp_ports(const void *a_, const void *b_)
{
    uint32_t a = odp_to_u32(*(const odp_port_t *) a_);
    uint32_t b = odp_to_u32(*(const odp_port_t *) b_);

    return a < b ? -1 : a > b;
}

static void
set_uplinks(struct agent_ha *ha, const odp_port_t *uplinks, size_t n)
    OVS_EXCLUDED(ha->mutex)
{
    /* Uplinks that are not ports (yet) are kept: the host may add them
     * later. */
    ovs_mutex_lock(&ha->mutex);
    free(ha->uplinks);
    ha->uplinks = xmemdup(uplinks, MAX(n, 1) * sizeof *uplinks);
    ha->n_uplinks = n;
    qsort(ha->uplinks, n, sizeof *uplinks, compare_odp_ports);
    ovs_mutex_unlock(&ha->mutex);
}

int
agent_ha_set_role(const struct agent_request *req, struct ofpbuf *reply,
                  struct ds *why)
{
    struct agent_ha *ha = agent_server_ha(req->server);
    struct dpu_role_request rq;
    int error;

    error = dpu_parse_role_request(req->buf, req->msg, &rq, why);
    if (error) {
        goto out;
    }
    if (ha->fault && rq.role != DPU_ROLE_STANDBY) {
        ds_put_format(why, "the DPU has a fatal error (%s): it may only "
                      "stand by", ha->fault);
        error = EIO;
        goto out;
    }

    int old_role = get_role(ha);
    if (rq.role == DPU_ROLE_ACTIVE && old_role == DPU_ROLE_STANDBY) {
        dpu_crash_point_reached(
            agent_crash_point(AGENT_CP_SWITCHOVER_BEFORE_ACTIVE));
    }

    set_uplinks(ha, rq.uplinks, rq.n_uplinks);
    ha->lease_ms = rq.lease_ms;
    if (rq.role == DPU_ROLE_ACTIVE) {
        /* The host confirms the role: a lease from now on, and the end of
         * a stall's fence (see rx_fence()), before the threads that poll
         * ports may look at either. */
        atomic_store_relaxed(&ha->lease_end, time_msec() + ha->lease_ms);
        atomic_store_relaxed(&ha->fenced, false);
    }
    if (ha->lease_ms) {
        /* Before it may become active: see rx_hook(). */
        atomic_store_relaxed(&ha->leased, true);
    }
    if (!ha->fault) {
        /* A failed DPU forwards nothing, standby or not. */
        set_role(ha, rq.role, "set by the host",
                 rq.has_handover ? rq.handover : NULL, rq.n_handover,
                 rq.drain_ms, reply, req->version);
    }
    if (!ha->lease_ms) {
        /* Only now that an active DPU of a pair that stands by has recorded
         * the last of what it forwarded for its handover. */
        atomic_store_relaxed(&ha->leased, false);
    }
    if (rq.role == DPU_ROLE_STANDBY && old_role == DPU_ROLE_ACTIVE) {
        struct dpu_crash_point *cp
            = agent_crash_point(AGENT_CP_SWITCHOVER_STOOD_BY);

        if (dpu_crash_point_hit(cp)) {
            agent_request_crash_after_reply(req, cp);
        }
    }

out:
    dpu_role_request_destroy(&rq);
    return error;
}

/* Drops what the ports that the main thread polls received before it
 * stood by: what they queued while the DPU stalled, which must not leave
 * once the host has told it its role again.  (The threads that poll the
 * other ports drop what they queued by themselves, as fast as they read
 * it.) */
static void
drain(struct agent_ha *ha)
{
    for (int i = 0; i < AGENT_DRAIN_MAX_PASSES; i++) {
        uint64_t seen;

        ovs_mutex_lock(&ha->mutex);
        seen = ha->n_rx_seen;
        ovs_mutex_unlock(&ha->mutex);

        dpif_run(agent_dp_dpif(ha->dp));

        ovs_mutex_lock(&ha->mutex);
        seen = ha->n_rx_seen - seen;
        ovs_mutex_unlock(&ha->mutex);
        if (!seen) {
            break;
        }
    }
}

void
agent_ha_check_lease(struct agent_ha *ha)
{
    long long int now = time_msec();
    long long int host_rx = agent_server_last_host_rx(ha->server);
    long long int gap = ha->last_check ? now - ha->last_check : 0;
    char *why = NULL;
    bool fenced;

    ha->last_check = now;
    if (get_role(ha) != DPU_ROLE_ACTIVE || !ha->lease_ms) {
        return;
    }

    /* The DPU cannot know whether its partner took over if the host fell
     * silent for the lease, or if the DPU itself did not run for as long
     * (stopped, or a virtual machine paused): the host's messages that it
     * reads after such a stall are as old as the stall. */
    atomic_read_relaxed(&ha->fenced, &fenced);
    if (now - host_rx >= ha->lease_ms) {
        why = xasprintf("no message from the host for %lld ms",
                        now - host_rx);
    } else if (gap >= ha->lease_ms) {
        why = xasprintf("the DPU stalled for %lld ms", gap);
    } else if (fenced) {
        why = xstrdup("a thread that polls ports stalled");
    }
    if (why) {
        VLOG_WARN("%s, longer than the lease of %"PRIu32" ms: standing by",
                  why, ha->lease_ms);
        COVERAGE_INC(agent_lease_expired);
        set_role(ha, DPU_ROLE_STANDBY, "lease expired", NULL, 0, 0, NULL, 0);
        drain(ha);
        agent_server_send_event(ha->server, NULL, "lease-expired", NULL);
        free(why);
    } else {
        atomic_store_relaxed(&ha->lease_end, host_rx + ha->lease_ms);
    }
}

void
agent_ha_stall_next_rx(struct agent_ha *ha, int ms)
{
    atomic_store_relaxed(&ha->rx_stall_ms, ms);
}

void
agent_ha_fail(struct agent_ha *ha, const char *fault, const char *details)
{
    free(ha->fault);
    ha->fault = xstrdup(fault);
    set_role(ha, AGENT_ROLE_FAILED, fault, NULL, 0, 0, NULL, 0);
    agent_server_send_event(ha->server, NULL, fault, details);
}

bool
agent_ha_clear_fault(struct agent_ha *ha)
{
    if (!ha->fault) {
        return false;
    }
    VLOG_INFO("fault cleared: %s", ha->fault);
    free(ha->fault);
    ha->fault = NULL;
    set_role(ha, DPU_ROLE_STANDBY, "fault cleared", NULL, 0, 0, NULL, 0);
    agent_server_send_event(ha->server, NULL, "fault-cleared", NULL);
    return true;
}

/* Creation, running. */

struct agent_ha *
agent_ha_create(struct agent_server *server, struct agent_dp *dp,
                struct agent_ipfix *ipfix)
{
    struct agent_ha *ha = xzalloc(sizeof *ha);

    ha->server = server;
    ha->dp = dp;
    ha->ipfix = ipfix;
    ovs_mutex_init(&ha->mutex);
    atomic_init(&ha->role, DPU_ROLE_ACTIVE);
    atomic_init(&ha->leased, false);
    atomic_init(&ha->reflect_until, 0);
    atomic_init(&ha->lease_end, LLONG_MAX);
    atomic_init(&ha->fenced, false);
    atomic_init(&ha->rx_stall_ms, 0);
    hmap_init(&ha->learned);
    ha->held = xmalloc(AGENT_MAX_HELD * sizeof *ha->held);
    ha->handover = agent_handover_create();
    ha->next_expiry = time_msec() + AGENT_LEARN_EXPIRY_INTERVAL_MS;
    dpif_netdev_set_rx_hook(agent_dp_dpif(dp), rx_hook, ha);
    return ha;
}

void
agent_ha_destroy(struct agent_ha *ha)
{
    struct agent_learned *l;

    if (!ha) {
        return;
    }
    dpif_netdev_set_rx_hook(agent_dp_dpif(ha->dp), NULL, NULL);
    ovs_mutex_lock(&ha->mutex);
    HMAP_FOR_EACH_POP (l, node, &ha->learned) {
        free(l);
    }
    hmap_destroy(&ha->learned);
    for (size_t i = 0; i < ha->n_held; i++) {
        dp_packet_delete(ha->held[i]);
    }
    free(ha->held);
    free(ha->uplinks);
    agent_handover_destroy(ha->handover);
    ovs_mutex_unlock(&ha->mutex);
    ovs_mutex_destroy(&ha->mutex);
    free(ha->fault);
    free(ha);
}

void
agent_ha_run(struct agent_ha *ha)
{
    long long int reflect_until;
    uint64_t timeouts;
    bool announce_now;

    agent_ha_check_lease(ha);

    ovs_mutex_lock(&ha->mutex);
    announce_now = ha->announce_at && time_msec() >= ha->announce_at;
    if (announce_now) {
        ha->announce_at = 0;
    }
    timeouts = agent_handover_expire(ha->handover);
    if (time_msec() >= ha->next_expiry) {
        expire_learned(ha);
        ha->next_expiry = time_msec() + AGENT_LEARN_EXPIRY_INTERVAL_MS;
    }
    ovs_mutex_unlock(&ha->mutex);

    if (timeouts != ha->n_handover_timeouts_logged) {
        VLOG_WARN("%"PRIu64" ports did not receive, in %d ms, the last "
                  "packets that the previous active DPU forwarded from "
                  "them", timeouts - ha->n_handover_timeouts_logged,
                  AGENT_HANDOVER_WAIT_MS);
        ha->n_handover_timeouts_logged = timeouts;
    }
    if (announce_now) {
        announce(ha, true);
    }

    /* Once the window for reflections has passed, the threads that poll
     * ports need not read the clock for it any more. */
    atomic_read_relaxed(&ha->reflect_until, &reflect_until);
    if (reflect_until && time_msec() >= reflect_until) {
        atomic_store_relaxed(&ha->reflect_until, 0);
    }
}

void
agent_ha_wait(struct agent_ha *ha)
{
    long long int deadline;

    if (get_role(ha) == DPU_ROLE_ACTIVE && ha->lease_ms) {
        poll_timer_wait_until(agent_server_last_host_rx(ha->server)
                              + ha->lease_ms);
    }
    ovs_mutex_lock(&ha->mutex);
    if (get_role(ha) != DPU_ROLE_ACTIVE) {
        /* Only a DPU that is not active learns addresses. */
        poll_timer_wait_until(ha->next_expiry);
    }
    if (ha->announce_at) {
        poll_timer_wait_until(ha->announce_at);
    }
    if (agent_handover_is_waiting(ha->handover, &deadline)) {
        poll_timer_wait_until(deadline);
    }
    ovs_mutex_unlock(&ha->mutex);
}

void
agent_ha_format(const struct agent_ha *ha_, struct ds *ds)
{
    struct agent_ha *ha = CONST_CAST(struct agent_ha *, ha_);

    ovs_mutex_lock(&ha->mutex);
    ds_put_format(ds, "role: %s, lease ", role_name(get_role(ha)));
    if (ha->lease_ms) {
        ds_put_format(ds, "%"PRIu32" ms", ha->lease_ms);
    } else {
        ds_put_cstr(ds, "none");
    }
    ds_put_format(ds, ", last host message %lld ms ago, fault %s\n",
                  time_msec() - agent_server_last_host_rx(ha->server),
                  ha->fault ? ha->fault : "none");
    ds_put_cstr(ds, "  uplinks:");
    for (size_t i = 0; i < ha->n_uplinks; i++) {
        ds_put_format(ds, " %"PRIu32, odp_to_u32(ha->uplinks[i]));
    }
    ds_put_format(ds, "%s\n", ha->n_uplinks ? "" : " none");
    ds_put_format(ds, "  %"PRIuSIZE" addresses learned, %"PRIu64
                  " announcements sent, %"PRIu64" reflections dropped\n",
                  hmap_count(&ha->learned), ha->n_announcements,
                  ha->n_reflections);
    ds_put_format(ds, "  received while not active: %"PRIu64" dropped, %"
                  PRIu64" held, %"PRIu64" of them forwarded, %"PRIuSIZE
                  " held now\n", ha->n_rx_dropped, ha->n_rx_held,
                  ha->n_rx_replayed, ha->n_held);
    ds_put_format(ds, "  received before a stall longer than the lease: %"
                  PRIu64" dropped\n", ha->n_rx_fenced);
    agent_handover_format(ha->handover, ds);
    ovs_mutex_unlock(&ha->mutex);
}
