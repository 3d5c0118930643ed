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

#ifndef DPIF_DPU_H
#define DPIF_DPU_H 1

/* The "dpu" datapath provider (see dpif-dpu.c).
 *
 * Upstream's dpif.c knows only its own providers ("system", "netdev").  A
 * program that wants "dpu" datapaths registers the class with
 * dpif_dpu_register() before it opens one: ovs-vswitchd does so from
 * dpu_ovsdb_init(), its one hook into OVS-DPU's host code.  The DPU agent
 * never does: it serves a "netdev" datapath and links none of this. */

extern const struct dpif_class dpif_dpu_class;

/* Registers the "dpu" datapath class (and with it the "dpu" and
 * "dpu-internal" netdev classes and the dpif-dpu/ unixctl commands).  May
 * be called more than once; only the first call registers. */
void dpif_dpu_register(void);

#endif /* dpif-dpu.h */
