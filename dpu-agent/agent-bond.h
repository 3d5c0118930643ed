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
#ifndef AGENT_BOND_H
#define AGENT_BOND_H 1

/* Datapath bonds of the DPU agent's datapath, for lb_output actions: the
 * BOND_* requests, served by a DPU that announces DP_FEATURES LB_OUTPUT.
 *
 * Request handlers (see agent_handler_func in agent-server.h), for the
 * agent's main thread. */

#include "agent-server.h"

agent_handler_func agent_bond_set;
agent_handler_func agent_bond_del;
agent_handler_func agent_bond_stats;

#endif /* agent-bond.h */
