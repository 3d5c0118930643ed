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

#ifndef AGENT_LOGS_H
#define AGENT_LOGS_H 1

/* Logs: LOG_GET gives the host the agent's own log file (its --log-file),
 * so that a log bundle collected on the host holds the DPU's logs too.
 * When the agent does not answer, the same log comes out of band through
 * its boot loader (boot/console).
 *
 * Request handler (see agent_handler_func in agent-server.h), for the
 * agent's main thread. */

#include "agent-server.h"

agent_handler_func agent_logs_get;

#endif /* agent-logs.h */
