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
 * and tells the DPUs their roles (DPU_MSG_SET_ROLE).  Every function may be
 * called from any thread; dpu_ha_run() runs in ovs-vswitchd's main thread
 * (from dpif_run()). */

#include <stdbool.h>
#include <stdint.h>

struct dpu_conn;
struct ds;
struct smap;

enum dpu_ha_mode {
    DPU_HA_NONE,                /* dpu-mode unset. */
    DPU_HA_INDEPENDENT,
    DPU_HA_ACTIVE_STANDBY,
};

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

/* Callback with which dpu_ha_run() asks the datapath whether 'conn' holds
 * every port and flow of the datapath (it has been re-synced since it last
 * came up), which a DPU must before it may become active. */
typedef bool dpu_ha_ready_cb(struct dpu_conn *, void *aux);

/* Callback with which dpu_ha_run() asks the datapath for the uplinks of
 * 'conn', which it appends to SET_ROLE message 'b' as DPU_ATTR_UPLINK
 * attributes: where the DPU announces addresses when it takes over. */
struct ofpbuf;
typedef void dpu_ha_uplinks_cb(struct dpu_conn *, struct ofpbuf *b,
                               void *aux);

/* Decides the roles: keeps the active DPU while it is up; fails over to a
 * ready standby when the active goes down or reports a fatal error; sends
 * every DPU whose role changed, or that came up again, its role, again
 * whenever 'ports_seq' (which changes with the datapath's ports) changed.
 * Outside active-standby mode, tells every DPU once per session that it
 * is active. */
void dpu_ha_run(dpu_ha_ready_cb *, dpu_ha_uplinks_cb *, uint64_t ports_seq,
                void *aux);

/* Records that DPU 'conn' reported event 'event' (DPU_MSG_DPU_EVENT), with
 * 'details' (may be NULL).  May be called from a DPU's I/O thread. */
void dpu_ha_dpu_event(struct dpu_conn *, const char *event,
                      const char *details);

/* Tells whether every uplink of DPU 'conn' lost its link (carrier, or
 * administratively down), a reason to fail over to its partner. */
void dpu_ha_set_links_down(const struct dpu_conn *, bool down);

/* Asks for a planned failover to the standby DPU ('to', if nonnull, must
 * name it), done by the next dpu_ha_run() if the standby is ready.
 * Returns NULL, or a malloc()ed error message. */
char *dpu_ha_request_failover(const char *to);

/* Adds 'conn''s role keys to its DPU:status: "role" and, for a refused DPU,
 * "error"; and the pair's failover record. */
void dpu_ha_get_status(const struct dpu_conn *, struct smap *status);

/* Appends the mode, the roles and the failovers to 'ds'. */
void dpu_ha_format(struct ds *);

#endif /* dpu-ha.h */
