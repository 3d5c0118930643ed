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

#ifndef AGENT_HANDOVER_H
#define AGENT_HANDOVER_H 1

/* The handover of a planned failover (see "Handover" in dpu-protocol.rst).
 *
 * Both DPUs of a pair receive every packet that a VM sends (a port that is
 * not an uplink is reachable from both), so in a planned failover exactly
 * one of them must forward each.  The active DPU remembers the hashes of
 * the last DPU_HANDOVER_HASHES packets it let into its datapath from each
 * such port (its "tails"), so that when it stands by, what it tells the
 * host it forwarded is exactly what it did.  The standby DPU keeps copies
 * of what those ports received in the last AGENT_RECENT_MS ("recent").  The
 * host passes the old DPU's tails to the new one with its SET_ROLE ACTIVE;
 * the new one forwards, from "recent" and from what arrives next, only
 * what comes after them in each port's order (its "cuts").
 *
 * The other direction needs no handover: the network sends a unicast
 * packet to one DPU only.  The old DPU keeps delivering what arrives on its
 * uplinks for DRAIN_MS after it stood by, until the network has learned
 * the new DPU's announcements ("draining").
 *
 * Thread-safety: the role of the DPU (agent-ha.c) owns the handover.  Every
 * function here must be called with the mutex of that role held, by the
 * threads that poll ports (from the role's receive hook) or by the main
 * thread; agent_handover_format() too. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "openvswitch/types.h"

struct dp_packet;
struct dp_packet_batch;
struct dpu_handover;
struct ds;
struct ofpbuf;

/* A standby DPU keeps the packets its ports that are not uplinks received in
 * the last AGENT_RECENT_MS, at most AGENT_MAX_RECENT, for a handover: at
 * 10,000 packets per second from a VM, 50 ms are 500 packets. */
#define AGENT_RECENT_MS 50
#define AGENT_MAX_RECENT 4096

/* How long a DPU that became active in a handover waits, at most, for the
 * last packets that the previous active DPU forwarded from a port, if it
 * has not received them yet. */
#define AGENT_HANDOVER_WAIT_MS 50

struct agent_handover *agent_handover_create(void);
void agent_handover_destroy(struct agent_handover *);

/* While active: remembers 'batch', about to be forwarded from port 'port',
 * in the port's tail. */
void agent_handover_record(struct agent_handover *, odp_port_t port,
                           const struct dp_packet_batch *batch);

/* When an active DPU stops being active: appends its tails, at most
 * DPU_MAX_HANDOVER of them, to 'reply' (if nonnull) as a DPU_ATTR_HANDOVER
 * of protocol 'version', an empty one if it forwarded nothing from a port
 * that is not an uplink, and forgets them. */
void agent_handover_put_tails(struct agent_handover *, struct ofpbuf *reply,
                              uint8_t version);

/* While standby: keeps a copy of 'packet', received at 'now' (time_usec())
 * on port 'port', and forgets what is too old or too many. */
void agent_handover_keep(struct agent_handover *, odp_port_t port,
                         const struct dp_packet *packet, long long int now);

/* Forgets what the standby kept; it keeps what arrives from now on. */
void agent_handover_forget(struct agent_handover *);

/* When a standby DPU becomes active with 'handover' (of 'n' entries) from
 * the previous active DPU: returns the packets it kept that the previous
 * DPU did not forward, in the order they arrived, in '*packetsp' and
 * '*n_packetsp' (the caller forwards them, then frees them and the array),
 * and starts waiting, for at most AGENT_HANDOVER_WAIT_MS, for what the
 * previous DPU forwarded and this one did not receive yet. */
void agent_handover_take_over(struct agent_handover *,
                              const struct dpu_handover *handover, size_t n,
                              struct dp_packet ***packetsp,
                              size_t *n_packetsp);

/* Stops waiting for what a previous active DPU forwarded. */
void agent_handover_stop_waiting(struct agent_handover *);

/* While active after a handover: drops from 'batch', received on port
 * 'port', the packets that the previous active DPU forwarded. */
void agent_handover_filter(struct agent_handover *, odp_port_t port,
                           struct dp_packet_batch *batch);

/* Whether the DPU waits for what a previous active DPU forwarded, and until
 * when (time_msec()). */
bool agent_handover_is_waiting(const struct agent_handover *,
                               long long int *deadline);

/* Gives up waiting, if it is time.  Returns the number of ports it stopped
 * waiting for, so far, for a log line (the caller remembers how many it
 * logged). */
uint64_t agent_handover_expire(struct agent_handover *);

/* After an active DPU stood by: makes it deliver, for 'drain_ms', the
 * unicast packets that arrive on its uplinks (0 stops). */
void agent_handover_start_drain(struct agent_handover *, uint32_t drain_ms);

/* Whether the DPU is draining now. */
bool agent_handover_is_draining(const struct agent_handover *);

/* While draining: keeps in 'batch', received on an uplink, the unicast
 * packets, which the network sends to one DPU only, and drops the rest.
 * Returns the number dropped. */
size_t agent_handover_drain(struct agent_handover *,
                            struct dp_packet_batch *batch);

/* Appends the handover's counters, for dpu-agent/show. */
void agent_handover_format(const struct agent_handover *, struct ds *);

#endif /* agent-handover.h */
