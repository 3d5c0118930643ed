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
#include "agent-handover.h"

#include "coverage.h"
#include "dp-packet.h"
#include "dpu-codec.h"
#include "hash.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "openvswitch/ofpbuf.h"
#include "packets.h"
#include "timeval.h"
#include "util.h"

COVERAGE_DEFINE(agent_rx_drained);      /* From an uplink, delivered while
                                         * standing by after a handover. */
COVERAGE_DEFINE(agent_rx_handed_over);  /* Not forwarded: the previous active
                                         * DPU did. */
COVERAGE_DEFINE(agent_rx_taken_over);   /* Received while standby, forwarded
                                         * on activation: the previous
                                         * active DPU did not. */
COVERAGE_DEFINE(agent_handover_timeout);    /* A port's last packet
                                             * forwarded by the previous
                                             * active DPU never came. */

/* A packet received on a port that is not an uplink, while standby. */
struct agent_recent {
    struct dp_packet *packet;   /* A copy. */
    odp_port_t port;
    uint32_t hash;              /* dpu_packet_hash(). */
    long long int usec;         /* time_usec() when received. */
};

/* The last packets that an active DPU forwarded from a port that is not an
 * uplink. */
struct agent_tail {
    struct hmap_node node;      /* In 'tails', by port. */
    odp_port_t port;
    uint32_t hashes[DPU_HANDOVER_HASHES];   /* A ring, 'next' the oldest. */
    unsigned int n, next;
    long long int usec;         /* time_usec() of the newest. */
};

/* What a DPU that became active in a handover still waits for from a port:
 * the packets the previous active DPU forwarded last. */
enum agent_cut_state {
    AGENT_CUT_BEFORE,           /* None of them received yet: whatever
                                 * arrives, the previous DPU forwarded. */
    AGENT_CUT_WITHIN,           /* Some received: the rest of them arrive
                                 * yet, anything else is new. */
};

struct agent_cut {
    struct dpu_handover h;
    enum agent_cut_state state;
};

struct agent_handover {
    struct hmap tails;          /* agent_tail, by port, while active. */

    struct agent_recent *recent;    /* AGENT_MAX_RECENT, a ring, while
                                     * standby. */
    size_t recent_head;         /* Oldest. */
    size_t n_recent;
    long long int recent_since; /* time_usec(): 'recent' holds every packet
                                 * received later. */

    struct agent_cut *cuts;     /* While active after a handover. */
    size_t n_cuts;
    long long int cut_deadline; /* time_msec(). */

    long long int drain_until;  /* time_msec(), or 0. */

    uint64_t n_drained;
    uint64_t n_handed_over;
    uint64_t n_taken_over;
    uint64_t n_timeouts;
};

struct agent_handover *
agent_handover_create(void)
{
    struct agent_handover *ho = xzalloc(sizeof *ho);

    hmap_init(&ho->tails);
    ho->recent = xmalloc(AGENT_MAX_RECENT * sizeof *ho->recent);
    ho->recent_since = time_usec();
    return ho;
}

void
agent_handover_destroy(struct agent_handover *ho)
{
    if (ho) {
        agent_handover_put_tails(ho, NULL, 0);
        agent_handover_forget(ho);
        hmap_destroy(&ho->tails);
        free(ho->recent);
        free(ho->cuts);
        free(ho);
    }
}

/* Tails, while active. */

/* The tail of port 'port', created if needed. */
static struct agent_tail *
tail_get(struct agent_handover *ho, odp_port_t port)
{
    uint32_t hash = hash_int(odp_to_u32(port), 0);
    struct agent_tail *t;

    HMAP_FOR_EACH_WITH_HASH (t, node, hash, &ho->tails) {
        if (t->port == port) {
            return t;
        }
    }
    t = xzalloc(sizeof *t);
    t->port = port;
    hmap_insert(&ho->tails, &t->node, hash);
    return t;
}

/* Remembers a packet whose dpu_packet_hash() is 'hash' in tail 't'. */
static void
tail_push(struct agent_tail *t, uint32_t hash)
{
    t->hashes[t->next] = hash;
    t->next = (t->next + 1) % DPU_HANDOVER_HASHES;
    t->n = MIN(t->n + 1, DPU_HANDOVER_HASHES);
    t->usec = time_usec();
}

void
agent_handover_record(struct agent_handover *ho, odp_port_t port,
                      const struct dp_packet_batch *batch)
{
    size_t n = dp_packet_batch_size(batch);
    struct agent_tail *t;

    if (!n) {
        return;
    }
    t = tail_get(ho, port);
    for (size_t i = n > DPU_HANDOVER_HASHES ? n - DPU_HANDOVER_HASHES : 0;
         i < n; i++) {
        const struct dp_packet *p = batch->packets[i];

        tail_push(t, dpu_packet_hash(dp_packet_data(p), dp_packet_size(p)));
    }
}

void
agent_handover_put_tails(struct agent_handover *ho, struct ofpbuf *reply,
                         uint8_t version)
{
    size_t n = MIN(hmap_count(&ho->tails), DPU_MAX_HANDOVER);
    struct dpu_handover *hs = xcalloc(MAX(n, 1), sizeof *hs);
    long long int now = time_usec();
    struct agent_tail *t;
    size_t i = 0;

    HMAP_FOR_EACH_POP (t, node, &ho->tails) {
        if (i < n) {
            struct dpu_handover *h = &hs[i++];

            h->port_no = odp_to_u32(t->port);
            h->age_us = MIN(now - t->usec, UINT32_MAX);
            h->n_hashes = t->n;
            for (unsigned int j = 0; j < t->n; j++) {
                h->hashes[j] = t->hashes[(t->next + DPU_HANDOVER_HASHES - 1
                                          - j) % DPU_HANDOVER_HASHES];
            }
        }
        free(t);
    }
    if (reply) {
        dpu_put_handover(reply, hs, n, version);
    }
    free(hs);
}

/* What a standby keeps. */

/* The 'j'th oldest packet kept. */
static struct agent_recent *
recent_at(struct agent_handover *ho, size_t j)
{
    return &ho->recent[(ho->recent_head + j) % AGENT_MAX_RECENT];
}

void
agent_handover_forget(struct agent_handover *ho)
{
    for (size_t i = 0; i < ho->n_recent; i++) {
        dp_packet_delete(recent_at(ho, i)->packet);
    }
    ho->recent_head = ho->n_recent = 0;
    ho->recent_since = time_usec();
}

void
agent_handover_keep(struct agent_handover *ho, odp_port_t port,
                    const struct dp_packet *packet, long long int now)
{
    struct agent_recent *r;

    while (ho->n_recent) {
        r = &ho->recent[ho->recent_head];
        if (ho->n_recent < AGENT_MAX_RECENT
            && now - r->usec < AGENT_RECENT_MS * 1000) {
            break;
        }
        ho->recent_since = r->usec;
        dp_packet_delete(r->packet);
        ho->recent_head = (ho->recent_head + 1) % AGENT_MAX_RECENT;
        ho->n_recent--;
    }
    r = recent_at(ho, ho->n_recent++);
    r->packet = dp_packet_clone(packet);
    pkt_metadata_init(&r->packet->md, port);
    r->port = port;
    r->hash = dpu_packet_hash(dp_packet_data(packet), dp_packet_size(packet));
    r->usec = now;
}

/* Cuts, while active after a handover. */

static bool
cut_has(const struct agent_cut *c, uint32_t hash)
{
    for (uint32_t i = 0; i < c->h.n_hashes; i++) {
        if (c->h.hashes[i] == hash) {
            return true;
        }
    }
    return false;
}

/* Whether a DPU that became active in a handover should forward 'hash',
 * received on the port of 'c' after everything that 'c' has seen so far.
 * Sets '*done' to true if 'c' waits for nothing more. */
static bool
cut_admit(struct agent_cut *c, uint32_t hash, bool *done)
{
    *done = false;
    if (cut_has(c, hash)) {
        /* The previous DPU forwarded it. */
        c->state = AGENT_CUT_WITHIN;
        *done = hash == c->h.hashes[0];
        return false;
    }
    /* Before the first of them: forwarded by the previous DPU.  Between
     * them: one the previous DPU never received. */
    return c->state == AGENT_CUT_WITHIN;
}

static void
cut_remove(struct agent_handover *ho, size_t i)
{
    ho->cuts[i] = ho->cuts[--ho->n_cuts];
}

/* Sets up cut 'c' for a port of the previous active DPU, and returns the
 * index in 'recent' of the first packet kept from that port that the
 * previous DPU did not forward. */
static size_t
cut_start(struct agent_handover *ho, struct agent_cut *c, long long int now)
{
    for (size_t j = ho->n_recent; j > 0; j--) {
        const struct agent_recent *r = recent_at(ho, j - 1);

        if (odp_to_u32(r->port) == c->h.port_no && cut_has(c, r->hash)) {
            /* Everything up to the newest of its packets that arrived here
             * it forwarded.  Done if that is its last one. */
            c->state = AGENT_CUT_WITHIN;
            if (r->hash == c->h.hashes[0]) {
                c->h.n_hashes = 0;
            }
            return j;
        }
    }
    if (now - (long long int) c->h.age_us
        < MAX(ho->recent_since, now - AGENT_RECENT_MS * 1000)) {
        /* Its last packet is older than anything 'recent' holds. */
        c->h.n_hashes = 0;
        return 0;
    }
    /* None of them arrived here yet: what did arrive came before them. */
    c->state = AGENT_CUT_BEFORE;
    return ho->n_recent;
}

void
agent_handover_take_over(struct agent_handover *ho,
                         const struct dpu_handover *handover, size_t n,
                         struct dp_packet ***packetsp, size_t *n_packetsp)
{
    struct dp_packet **packets = xmalloc(MAX(ho->n_recent, 1)
                                         * sizeof *packets);
    size_t *first = xmalloc(MAX(n, 1) * sizeof *first);
    long long int now = time_usec();
    size_t n_packets = 0;

    /* For each port, the packets of 'recent' from 'first' on are new. */
    free(ho->cuts);
    ho->cuts = xmalloc(MAX(n, 1) * sizeof *ho->cuts);
    ho->n_cuts = n;
    for (size_t i = 0; i < n; i++) {
        ho->cuts[i].h = handover[i];
        first[i] = cut_start(ho, &ho->cuts[i], now);
    }

    for (size_t j = 0; j < ho->n_recent; j++) {
        struct agent_recent *r = recent_at(ho, j);
        bool forward = now - r->usec < AGENT_RECENT_MS * 1000;

        for (size_t i = 0; i < n; i++) {
            if (ho->cuts[i].h.port_no == odp_to_u32(r->port)) {
                forward = forward && j >= first[i];
                break;
            }
        }
        if (forward) {
            packets[n_packets++] = r->packet;
            ho->n_taken_over++;
            COVERAGE_INC(agent_rx_taken_over);
            tail_push(tail_get(ho, r->port), r->hash);
        } else {
            dp_packet_delete(r->packet);
            ho->n_handed_over++;
            COVERAGE_INC(agent_rx_handed_over);
        }
    }
    ho->recent_head = ho->n_recent = 0;
    free(first);

    for (size_t i = 0; i < ho->n_cuts; ) {
        if (!ho->cuts[i].h.n_hashes) {
            cut_remove(ho, i);
        } else {
            i++;
        }
    }
    ho->cut_deadline = time_msec() + AGENT_HANDOVER_WAIT_MS;
    *packetsp = packets;
    *n_packetsp = n_packets;
}

void
agent_handover_stop_waiting(struct agent_handover *ho)
{
    ho->n_cuts = 0;
}

bool
agent_handover_is_waiting(const struct agent_handover *ho,
                          long long int *deadline)
{
    *deadline = ho->cut_deadline;
    return ho->n_cuts != 0;
}

uint64_t
agent_handover_expire(struct agent_handover *ho)
{
    if (ho->n_cuts && time_msec() >= ho->cut_deadline) {
        ho->n_timeouts += ho->n_cuts;
        COVERAGE_ADD(agent_handover_timeout, ho->n_cuts);
        ho->n_cuts = 0;
    }
    return ho->n_timeouts;
}

void
agent_handover_filter(struct agent_handover *ho, odp_port_t port,
                      struct dp_packet_batch *batch)
{
    const size_t size = dp_packet_batch_size(batch);
    struct agent_cut *c = NULL;
    struct dp_packet *packet;
    size_t i, ci;

    agent_handover_expire(ho);
    for (ci = 0; ci < ho->n_cuts; ci++) {
        if (ho->cuts[ci].h.port_no == odp_to_u32(port)) {
            c = &ho->cuts[ci];
            break;
        }
    }
    if (!c) {
        return;
    }
    DP_PACKET_BATCH_REFILL_FOR_EACH (i, size, packet, batch) {
        bool done = false;

        if (c && !cut_admit(c, dpu_packet_hash(dp_packet_data(packet),
                                               dp_packet_size(packet)),
                            &done)) {
            ho->n_handed_over++;
            COVERAGE_INC(agent_rx_handed_over);
            dp_packet_delete(packet);
        } else {
            dp_packet_batch_refill(batch, packet, i);
        }
        if (done) {
            cut_remove(ho, ci);
            c = NULL;
        }
    }
}

/* Draining, after an active DPU stood by. */

void
agent_handover_start_drain(struct agent_handover *ho, uint32_t drain_ms)
{
    ho->drain_until = drain_ms ? time_msec() + drain_ms : 0;
}

bool
agent_handover_is_draining(const struct agent_handover *ho)
{
    return ho->drain_until && time_msec() < ho->drain_until;
}

size_t
agent_handover_drain(struct agent_handover *ho,
                     struct dp_packet_batch *batch)
{
    const size_t size = dp_packet_batch_size(batch);
    struct dp_packet *packet;
    size_t i, n_dropped = 0;

    /* Only unicast, which the network sends to one DPU: a broadcast, or a
     * reflection of an announcement, reaches both. */
    DP_PACKET_BATCH_REFILL_FOR_EACH (i, size, packet, batch) {
        const struct eth_header *eth = dp_packet_data(packet);

        if (dp_packet_size(packet) >= ETH_HEADER_LEN
            && !eth_addr_is_multicast(eth->eth_dst)) {
            ho->n_drained++;
            COVERAGE_INC(agent_rx_drained);
            dp_packet_batch_refill(batch, packet, i);
        } else {
            n_dropped++;
            dp_packet_delete(packet);
        }
    }
    return n_dropped;
}

void
agent_handover_format(const struct agent_handover *ho, struct ds *ds)
{
    ds_put_format(ds, "  handover: %"PRIu64" received while standby "
                  "forwarded on activation, %"PRIu64" not (the previous "
                  "active DPU did), %"PRIu64" ports timed out; %"PRIu64
                  " delivered from uplinks while draining",
                  ho->n_taken_over, ho->n_handed_over, ho->n_timeouts,
                  ho->n_drained);
    if (ho->drain_until > time_msec()) {
        ds_put_format(ds, " (for %lld ms more)",
                      ho->drain_until - time_msec());
    }
    ds_put_char(ds, '\n');
}
