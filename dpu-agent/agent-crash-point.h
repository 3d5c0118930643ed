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

#ifndef AGENT_CRASH_POINT_H
#define AGENT_CRASH_POINT_H 1

/* The agent's named crash points (see dpu-crash-point.h).
 *
 * They emulate a DPU that dies at a chosen step, so they are emulation
 * concerns like the faults of agent-emulation.h: their unixctl commands,
 * dpu-agent/crash-point/{list,arm,disarm}, exist only in an agent run with
 * --enable-dummy, and an agent without them never arms a point. */

#include "dpu-crash-point.h"

enum agent_crash_point {
    /* An OPERATE that puts a flow has been applied to the datapath; its
     * reply has not been sent. */
    AGENT_CP_FLOW_PUT_BEFORE_ACK,
    /* The reply to such an OPERATE has been sent. */
    AGENT_CP_FLOW_PUT_AFTER_ACK,
    /* An active DPU that the host told to stand by has stood by and sent
     * its handover; the host has not yet made its partner active. */
    AGENT_CP_SWITCHOVER_STOOD_BY,
    /* A standby DPU that the host told to become active has not yet taken
     * over. */
    AGENT_CP_SWITCHOVER_BEFORE_ACTIVE,
    /* The active DPU has queued for the standby the connections of a full
     * copy (CT_SYNC), not the copy's end (CT_SYNC_DONE). */
    AGENT_CP_CT_SYNC_COPY_SENT,
    /* The standby DPU has taken a connection change from the active DPU
     * into its connection tracker. */
    AGENT_CP_CT_SYNC_IMPORTED,
    AGENT_N_CRASH_POINTS
};

extern struct dpu_crash_point agent_crash_points[AGENT_N_CRASH_POINTS];

static inline struct dpu_crash_point *
agent_crash_point(enum agent_crash_point cp)
{
    return &agent_crash_points[cp];
}

void agent_crash_points_register(void);

#endif /* agent-crash-point.h */
