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

#ifndef AGENT_EMULATION_H
#define AGENT_EMULATION_H 1

/* What an emulated DPU can be made to do, for tests: faults (a crash, a
 * hang, a fatal PCI error, a port's link going down), hardware health
 * alerts, the CPU and memory load that the DPU reports, and crashes at
 * named points (agent-crash-point.h).  Its unixctl commands,
 * dpu-agent/fault, dpu-agent/alert, dpu-agent/alert-clear,
 * dpu-agent/inject-metrics and dpu-agent/crash-point/..., exist only in an
 * agent run with --enable-dummy (see ovs-dpu-agent(8)).
 *
 * Thread-safety: only the agent's main thread calls these functions. */

struct agent_server;

/* Registers the unixctl commands, for 'server'. */
void agent_emulation_register(struct agent_server *);

/* Runs an injected hang, if any: blocks the agent's main thread, which
 * answers hosts and polls the ports that no PMD thread polls, until it is
 * over. */
void agent_emulation_run(void);
void agent_emulation_wait(void);

#endif /* agent-emulation.h */
