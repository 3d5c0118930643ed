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

#ifndef AGENT_CONNTRACK_H
#define AGENT_CONNTRACK_H 1

/* Connection tracking on the DPU agent's datapath: the CT_* requests (flush,
 * dumps, limits, timeout policies), which need DPU_CAP_CT.
 *
 * Request handlers (see agent_handler_func in agent-server.h), for the
 * agent's main thread. */

#include "agent-server.h"

agent_handler_func agent_ct_flush;
agent_handler_func agent_ct_dump;
agent_handler_func agent_ct_set_maxconns;
agent_handler_func agent_ct_get_maxconns;
agent_handler_func agent_ct_get_nconns;
agent_handler_func agent_ct_set_limits;
agent_handler_func agent_ct_get_limits;
agent_handler_func agent_ct_del_limits;
agent_handler_func agent_ct_set_tp;
agent_handler_func agent_ct_get_tp;
agent_handler_func agent_ct_del_tp;

#endif /* agent-conntrack.h */
