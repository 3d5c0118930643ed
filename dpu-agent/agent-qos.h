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

#ifndef AGENT_QOS_H
#define AGENT_QOS_H 1

/* QoS of the devices of the DPU agent's ports: the QOS_* and QUEUE_*
 * requests, served by each port's netdev (netdev_*_qos(), netdev_*_queue()).
 * A device answers a read of a queue it lacks with EINVAL: that is an
 * answer, not a malformed request (see the dispatch table).
 *
 * Request handlers (see agent_handler_func in agent-server.h), for the
 * agent's main thread. */

#include "agent-server.h"

agent_handler_func agent_qos_get_types;
agent_handler_func agent_qos_get;
agent_handler_func agent_qos_set;
agent_handler_func agent_queue_get;
agent_handler_func agent_queue_set;
agent_handler_func agent_queue_del;
agent_handler_func agent_queue_dump;

#endif /* agent-qos.h */
