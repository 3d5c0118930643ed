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

#ifndef DPIF_DPU_CRASH_POINT_H
#define DPIF_DPU_CRASH_POINT_H 1

/* The host's named crash points (see dpu-crash-point.h), armed with
 * "ovs-appctl dpif-dpu/crash-point/arm NAME [COUNT]".  Like OVSDB Raft's
 * "cluster/failure-test", the commands exist in every ovs-vswitchd: a
 * point does nothing until armed. */

#include "dpu-crash-point.h"

enum dpif_dpu_crash_point {
    /* A re-sync of a DPU has sent the DPU its ports and flows; the host has
     * not yet marked the DPU in sync. */
    DPIF_DPU_CP_RESYNC_BEFORE_DONE,
    DPIF_DPU_N_CRASH_POINTS
};

extern struct dpu_crash_point dpif_dpu_crash_points[DPIF_DPU_N_CRASH_POINTS];

static inline struct dpu_crash_point *
dpif_dpu_crash_point(enum dpif_dpu_crash_point cp)
{
    return &dpif_dpu_crash_points[cp];
}

void dpif_dpu_crash_points_register(void);

#endif /* dpif-dpu-crash-point.h */
