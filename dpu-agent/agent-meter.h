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

#ifndef AGENT_METER_H
#define AGENT_METER_H 1

/* Meters of the DPU agent's datapath: the METER_* requests, which need
 * DPU_CAP_METERS.
 *
 * Request handlers (see agent_handler_func in agent-server.h), for the
 * agent's main thread. */

#include "agent-server.h"

agent_handler_func agent_meter_features;
agent_handler_func agent_meter_set;
agent_handler_func agent_meter_get;
agent_handler_func agent_meter_del;

#endif /* agent-meter.h */
