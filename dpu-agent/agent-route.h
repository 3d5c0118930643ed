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

#ifndef AGENT_ROUTE_H
#define AGENT_ROUTE_H 1

/* The DPU's routes, for the host's native tunnelling (see "Tunnel Routes"
 * in dpu-protocol.rst).
 *
 * The tunnel endpoints are addresses of the DPU, so the routes that
 * tunnelled packets take are the DPU's: those of its kernel (which OVS's
 * route-table module follows into ovs-router, in the agent as in
 * ovs-vswitchd) and those added with "ovs/route/add" on the agent.  The
 * host's datapath connection hears of all of them in a TNL_ROUTES right
 * after its HELLO, and again whenever they change.
 *
 * Thread-safety: only the agent's main thread calls these functions. */

#include "agent-server.h"

struct ds;

struct agent_route *agent_route_create(struct agent_server *);
void agent_route_destroy(struct agent_route *);

/* Sends TNL_ROUTES to 'upcall_session', the datapath connection (if
 * nonnull), if the routes changed since the last one it was sent. */
void agent_route_run(struct agent_route *,
                     struct agent_session *upcall_session);
void agent_route_wait(struct agent_route *);

/* Sends TNL_ROUTES to 's', a datapath connection that just said HELLO. */
void agent_route_send(struct agent_route *, struct agent_session *s);

/* Appends what the host was told last, for dpu-agent/show. */
void agent_route_format(const struct agent_route *, struct ds *);

#endif /* agent-route.h */
