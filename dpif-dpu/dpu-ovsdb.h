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

#ifndef DPU_OVSDB_H
#define DPU_OVSDB_H 1

/* DPUs as rows of the Open_vSwitch database.
 *
 * vswitchd/bridge.c calls these hooks (see ovs/patches/0003-*):
 *
 *   - dpu_ovsdb_init() once, after creating its IDL, to register the "dpu"
 *     datapath class (dpif_dpu_register()) and to mark the columns that
 *     ovs-vswitchd writes.
 *
 *   - dpu_ovsdb_reconfigure() at the start of every reconfiguration, before
 *     any bridge opens its datapath, to pass the DPU rows to dpu-conn.
 *
 *   - dpu_ovsdb_refresh_status() inside the transaction that refreshes
 *     Interface status, to write DPU:status.  DPU state changes wake that
 *     transaction up through the connectivity seq.
 *
 *   - dpu_ovsdb_refresh_stats() inside the transaction that refreshes
 *     Interface statistics, every other_config:stats-update-interval, to
 *     write DPU:statistics from the metrics that dpu-metrics.c fetched.
 *
 *   - dpu_ovsdb_configure_ipfix() right after each ofproto_set_ipfix() of a
 *     bridge (see ovs/patches/0016-*), with the same options, to make the
 *     DPUs export those of the IPFIX rows with other_config:dpu-export=true
 *     (see dpu-ipfix.h).
 *
 *   - dpu_ovsdb_has_dpus() in bridge_wait(), which waits for that seq and
 *     the statistics timer even while there is no bridge if this returns
 *     true (some DPU is configured), so that the status of a DPU is written
 *     as soon as it changes and its statistics on time. */

#include <stdbool.h>
#include <stddef.h>

struct ofproto_ipfix_bridge_exporter_options;
struct ofproto_ipfix_flow_exporter_options;
struct ovsdb_idl;
struct ovsrec_bridge;
struct ovsrec_open_vswitch;

void dpu_ovsdb_init(struct ovsdb_idl *);
void dpu_ovsdb_reconfigure(const struct ovsrec_open_vswitch *);
void dpu_ovsdb_refresh_status(const struct ovsrec_open_vswitch *);
void dpu_ovsdb_refresh_stats(const struct ovsrec_open_vswitch *);
bool dpu_ovsdb_has_dpus(void);
void dpu_ovsdb_configure_ipfix(
    const struct ovsrec_bridge *,
    const struct ofproto_ipfix_bridge_exporter_options *,
    const struct ofproto_ipfix_flow_exporter_options *, size_t n_fe);

#endif /* dpu-ovsdb.h */
