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

#ifndef DPU_HA_H
#define DPU_HA_H 1

/* Two DPUs per host.
 *
 * Open_vSwitch:other_config:dpu-mode says how the DPUs of the DPU table back
 * the "dpu" datapath:
 *
 *   - unset: every port lives on the DPU that its options:dpu names (or on
 *     the only DPU), and every flow on the DPU of its in_port.
 *
 *   - "independent": the same, said explicitly: each DPU carries its own
 *     bridges, and nothing fails over between them.
 *
 *   - "active-standby": the first two DPUs (by name) form a pair that backs
 *     the datapath together.  Ports without options:dpu (VM-facing ports,
 *     internal ports, tunnel ports) live on both DPUs; an uplink names its
 *     DPU in options:dpu and, in options:dpu-peer, the device that takes its
 *     place on the other DPU (vmnic0 on the first, vmnic2 on the second).
 *     Every port and flow goes to both DPUs, so the standby holds every
 *     megaflow; only the active DPU forwards.  The pair must be identical:
 *     a DPU whose vendor, hardware version or firmware differs from its
 *     partner's is refused.
 *
 * This module keeps the mode and the role of each DPU, decides failovers
 * and tells the DPUs their roles (DPU_MSG_SET_ROLE).  It decides in a
 * thread named "dpu_ha" that each datapath of type "dpu" runs (see "The HA
 * control of a datapath" below), so that a busy main loop does not delay a
 * failover.
 *
 * Threads and locks.  The functions that take no struct dpu_ha_dp may be
 * called from any thread, with or without the datapath's locks.  They take
 * this module's mutex, which comes after every lock of the datapath and
 * before a dpu_conn's internal mutex: while holding it, this module calls
 * no callback and no dpu_conn_*() function that locks a connection. */

#include <stdbool.h>
#include <stdint.h>
#include "dpu-uplink.h"

struct dpu_conn;
struct ds;
struct smap;

enum dpu_ha_mode {
    DPU_HA_NONE,                /* dpu-mode unset. */
    DPU_HA_INDEPENDENT,
    DPU_HA_ACTIVE_STANDBY,
};

/* Registers the "dpif-dpu/failover" command, which asks for a planned
 * failover to the standby DPU.  To be called once, by the provider's
 * init. */
void dpu_ha_init(void);

/* Reads other_config:dpu-mode and its companions from the Open_vSwitch
 * record's 'other_config'.  A bad value is logged and ignored (the mode
 * stays unset). */
void dpu_ha_set_config(const struct smap *other_config);
enum dpu_ha_mode dpu_ha_get_mode(void);
const char *dpu_ha_mode_to_string(enum dpu_ha_mode);

/* In active-standby mode, stores new references to the pair's two DPUs,
 * 'first' and 'second' by name, in '*a' and '*b' (either may be NULL if
 * fewer are configured, or if a DPU is refused) and returns true.  In the
 * other modes, stores NULL in both and returns false.  The caller must
 * unref what it gets. */
bool dpu_ha_get_pair(struct dpu_conn **a, struct dpu_conn **b);

/* In active-standby mode, returns a new reference to the active DPU, or
 * NULL if there is none (both down, or not decided yet). */
struct dpu_conn *dpu_ha_ref_active(void);

/* Whether the pair member 'conn' is currently the active one; always true
 * outside active-standby mode. */
bool dpu_ha_is_active(const struct dpu_conn *);

/* Whether 'conn' takes part in the datapath: false only for a DPU refused
 * from a pair (or beyond the first two in active-standby mode). */
bool dpu_ha_is_usable(const struct dpu_conn *);

/* Whether 'conn' is the standby of the pair and was told so in its current
 * session. */
bool dpu_ha_is_told_standby(const struct dpu_conn *);

/* Records that DPU 'conn' reported event 'event' (DPU_MSG_DPU_EVENT), with
 * 'details' (may be NULL).  May be called from a DPU's I/O thread. */
void dpu_ha_dpu_event(struct dpu_conn *, const char *event,
                      const char *details);

/* Tells whether every uplink of DPU 'conn' lost its link (carrier, or
 * administratively down), a reason to fail over to its partner. */
void dpu_ha_set_links_down(const struct dpu_conn *, bool down);

/* Adds 'conn''s role keys to its DPU:status: "role" and, for a refused DPU,
 * "error"; and the pair's failover record. */
void dpu_ha_get_status(const struct dpu_conn *, struct smap *status);

/* Appends the mode, the roles and the failovers to 'ds'. */
void dpu_ha_format(struct ds *);

/* The HA control of a datapath.
 *
 * The provider creates one for each datapath, which starts the datapath's
 * "dpu_ha" thread.  The thread runs whenever dpu_conn_seq() changes (a DPU
 * comes up or goes down, or reports an event or a port change; anyone who
 * needs a run soon changes it) and every 100 ms.  Each run:
 *
 *   1. Reads the links of the datapath's uplinks, if they may have changed
 *      (dpu_uplinks_run()).
 *
 *   2. Tells the host's netdevs of the port changes held back until this
 *      run (see dpu_ha_dp_hold_change()), unless the active DPU of the pair
 *      lost all of its uplinks, in which case they wait for step 5.
 *
 *   3. Decides the roles of the pair: keeps the active DPU while it is up;
 *      fails over to a ready standby when the active one goes down, reports
 *      a fatal error or lost all of its uplinks, or when an operator asks
 *      for it; fails back if configured.  Tells every DPU whose role
 *      changed, or that came up again, its role, and tells them again
 *      whenever the datapath's ports changed.  Outside active-standby mode,
 *      tells every DPU once per session that it is active.
 *
 *   4. If the active DPU of the pair is another one than at the last run,
 *      tells the datapath ('active_changed').
 *
 *   5. Tells the host's netdevs of the port changes still held from step 2.
 *
 * The "dpu_ha" thread calls the callbacks below with no lock of this module
 * held and the 'aux' given to dpu_ha_dp_create(); a callback may take the
 * datapath's locks.  None may be NULL. */
struct dpu_ha_dp;

/* Callback with which the "dpu_ha" thread asks the datapath whether 'conn'
 * holds every port and flow of the datapath (it has been re-synced since
 * it last came up), which a DPU must before it may become active. */
typedef bool dpu_ha_ready_cb(struct dpu_conn *, void *aux);

struct dpu_ha_dp_class {
    /* Whether a DPU is ready to become active (step 3). */
    dpu_ha_ready_cb *is_ready;

    /* The datapath's ports: step 1 reads the links of the uplinks among
     * them, and step 3 tells each DPU of the pair its uplinks (where it
     * announces addresses when it takes over). */
    dpu_uplink_ports_cb *get_ports;

    /* Returns a number that changes whenever the datapath's ports change
     * (step 3). */
    uint64_t (*get_port_seq)(void *aux);

    /* The active DPU of the pair changed, or the pair has none any more:
     * the ports that live on both DPUs are now read on another one
     * (step 4). */
    void (*active_changed)(void *aux);
};

/* Returns the HA control of a datapath, whose "dpu_ha" thread calls the
 * callbacks of 'class' with 'aux'.  'class' must outlive it.  The thread
 * may call them before this returns: the datapath must be ready for them.
 * The caller owns what it gets and frees it with dpu_ha_dp_destroy(). */
struct dpu_ha_dp *dpu_ha_dp_create(const struct dpu_ha_dp_class *class,
                                   void *aux);

/* Stops the "dpu_ha" thread of 'ha' and waits for it to exit, clears the
 * "uplink-down" alarms that it raised, and frees 'ha'.  Once no datapath
 * has an HA control any more, the pair's roles are forgotten: the next
 * datapath picks its active DPU afresh, as at ovs-vswitchd's start.  The port changes
 * that it still holds are dropped.  The caller must hold no lock that a
 * callback takes.  Does nothing if 'ha' is NULL. */
void dpu_ha_dp_destroy(struct dpu_ha_dp *ha);

/* To be called when the datapath's ports change, or the device of one of
 * them changes on its DPU: the next run reads the links of the uplinks
 * again.  Any thread may call it, with any lock held.  It does not wake the
 * thread: a caller that needs a run soon changes dpu_conn_seq(). */
void dpu_ha_dp_ports_changed(struct dpu_ha_dp *ha);

/* Holds back the news that the device of datapath port 'port', an uplink of
 * the pair on its active DPU, changed, until the next run decided whether
 * to fail over (steps 2 and 5); the caller must not tell the host's netdev
 * itself.  Were the host's bond over the uplinks to see its members go
 * down and up again around a failover, it would disable them and
 * revalidate every flow through them, which the standby already holds.
 * Called from a DPU's I/O thread, possibly with the datapath's locks held:
 * the mutex that it takes is the last in the lock order. */
void dpu_ha_dp_hold_change(struct dpu_ha_dp *ha, const char *port);

#endif /* dpu-ha.h */
