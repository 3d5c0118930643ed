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
#include "dpif-dpu-crash-point.h"

#include "util.h"

struct dpu_crash_point dpif_dpu_crash_points[DPIF_DPU_N_CRASH_POINTS] = {
    [DPIF_DPU_CP_RESYNC_BEFORE_DONE] = DPU_CRASH_POINT_INIT(
        "resync-before-done",
        "a re-sync sent a DPU its ports and flows, the DPU is not yet "
        "marked in sync"),
};

void
dpif_dpu_crash_points_register(void)
{
    dpu_crash_points_register("dpif-dpu", dpif_dpu_crash_points,
                              ARRAY_SIZE(dpif_dpu_crash_points));
}
