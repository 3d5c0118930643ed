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

#ifndef DPU_IPFIX_H
#define DPU_IPFIX_H 1

/* IPFIX exported by the DPUs themselves: the host's side.
 *
 * For each bridge on the dpu datapath whose IPFIX rows say
 * other_config:dpu-export=true, the OVSDB layer (dpu-ovsdb.c) gives the
 * exporters of those rows to dpu_ipfix_set_bridge(), which sends them to
 * every DPU that is up (DPU_MSG_IPFIX_SET); dpif-dpu calls
 * dpu_ipfix_sync() at every re-sync of a DPU, which sends them again.  The
 * host's own exporters (ofproto-dpif-ipfix) stay configured as usual, so
 * that translation keeps putting sample actions into the flows; a DPU that
 * exports a sample does not send it up, so the host's exporter never sees
 * it.
 *
 * Thread-safety: every function may be called from any thread. */

#include <stddef.h>
#include <stdint.h>

struct dpu_alarm;
struct dpu_conn;
struct ofproto_ipfix_bridge_exporter_options;
struct ofproto_ipfix_flow_exporter_options;
struct smap;
struct sset;
struct uuid;

/* Makes the DPUs export IPFIX for bridge 'name', whose userspace() cookies
 * carry 'uuid', with bridge exporter 'be' (NULL for none) and the 'n_fe'
 * flow exporters in 'fe'.  With neither, the DPUs forget the bridge and
 * send its samples to the host again.  Sends only what changed. */
void dpu_ipfix_set_bridge(const struct uuid *, const char *name,
                          const struct ofproto_ipfix_bridge_exporter_options *,
                          const struct ofproto_ipfix_flow_exporter_options *,
                          size_t n_fe);

/* Forgets, on the DPUs too, every bridge whose name is not in 'names'. */
void dpu_ipfix_prune(const struct sset *names);

/* Sets the observation domain of each DPU: 'domains' maps DPU names to
 * decimal domain ids.  A DPU without one exports in the domains of the
 * IPFIX rows and sample actions. */
void dpu_ipfix_set_obs_domains(const struct smap *domains);

/* Sends every bridge's exporters to the DPU behind 'conn', which has just
 * (re)connected. */
void dpu_ipfix_sync(struct dpu_conn *);

/* Has a DPU tell its IPFIX collectors that alarm 'a' of DPU 'dpu' was
 * raised or, if 'a->cleared' is nonzero, cleared (DPU_MSG_ALARM), if any
 * bridge has DPUs export IPFIX.  Returns at once: another thread sends it
 * to one DPU that is up and announces DPU_CAP_IPFIX, the first of the
 * active DPU of the pair if 'dpu' is a member, then its partner, or else
 * 'dpu' itself, then the other DPUs by name.  An alarm that no DPU takes
 * is counted (dpu_ipfix_alarm_lost) and logged, not sent later.  May be
 * called with any lock of dpif-dpu held (it takes only a lock of its
 * own). */
void dpu_ipfix_send_alarm(const char *dpu, const struct dpu_alarm *a);

#endif /* dpu-ipfix.h */
