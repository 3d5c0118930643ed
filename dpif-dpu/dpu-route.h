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

#ifndef DPU_ROUTE_H
#define DPU_ROUTE_H 1

/* The DPUs' routes in the host's native tunnelling (see "Tunnels" in
 * dpu-ovn.rst and "Tunnel Routes" in dpu-protocol.rst).
 *
 * A tunnel that ends on a DPU has an address of the DPU as its endpoint, so
 * ovs-vswitchd must look its routes up in the DPU's tables, not in the
 * host's.  Each DPU tells its routes (TNL_ROUTES) when the host connects and
 * whenever they change; this module adds those whose device is a port of a
 * dpu datapath to ovs-router, as routes of "DPU <name>", under the host's
 * name of the port (which, for the second DPU of a pair, differs from the
 * DPU's).  The routes of a DPU whose session ends are withdrawn at once:
 * its addresses are gone with it (or, in a pair, moved to the other DPU,
 * whose own routes stand).  When two DPUs have a route to the same prefix,
 * the active DPU's wins.
 *
 * Thread-safety: dpu_route_receive() may be called from any thread (a
 * DPU's I/O thread); the other only from the main thread.  The module's
 * mutex is held only to hand what a DPU said over to the main thread. */

#include <stddef.h>
#include <stdint.h>

struct dpu_conn;
struct ofpbuf;

/* Takes TNL_ROUTES message 'buf' from 'conn'; dpu_route_run() applies
 * it. */
void dpu_route_receive(struct dpu_conn *conn, const struct ofpbuf *buf);

/* Brings ovs-router up to date with what the DPUs said and with which of
 * them are up.  'port_name' gives the host's name of the port whose device
 * on 'conn' is 'dev', as a malloc()ed string, or NULL if no dpu datapath
 * has such a port; 'ports_seq' changes whenever the answers might (a port
 * is added or deleted), which makes the routes be mapped again: a DPU may
 * tell its routes before the host has added the ports they go out of. */
void dpu_route_run(char *(*port_name)(const struct dpu_conn *conn,
                                      const char *dev),
                   uint64_t ports_seq);

#endif /* dpu-route.h */
