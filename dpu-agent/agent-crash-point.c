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

#include <config.h>
#include "agent-crash-point.h"

#include "util.h"

struct dpu_crash_point agent_crash_points[AGENT_N_CRASH_POINTS] = {
    [AGENT_CP_FLOW_PUT_BEFORE_ACK] = DPU_CRASH_POINT_INIT(
        "flow-put-before-ack",
        "a flow put is in the datapath, its reply not sent"),
    [AGENT_CP_FLOW_PUT_AFTER_ACK] = DPU_CRASH_POINT_INIT(
        "flow-put-after-ack",
        "the reply to a flow put has been sent"),
    [AGENT_CP_SWITCHOVER_STOOD_BY] = DPU_CRASH_POINT_INIT(
        "switchover-stood-by",
        "the active DPU stood by and sent its handover"),
    [AGENT_CP_SWITCHOVER_BEFORE_ACTIVE] = DPU_CRASH_POINT_INIT(
        "switchover-before-active",
        "the standby DPU was told to become active, and has not"),
    [AGENT_CP_CT_SYNC_COPY_SENT] = DPU_CRASH_POINT_INIT(
        "ct-sync-copy-sent",
        "the active DPU queued a full copy of its connections, not its end"),
    [AGENT_CP_CT_SYNC_IMPORTED] = DPU_CRASH_POINT_INIT(
        "ct-sync-imported",
        "the standby DPU took a connection change from the active DPU"),
};

void
agent_crash_points_register(void)
{
    dpu_crash_points_register("dpu-agent", agent_crash_points,
                              ARRAY_SIZE(agent_crash_points));
}
