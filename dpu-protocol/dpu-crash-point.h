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

#ifndef DPU_CRASH_POINT_H
#define DPU_CRASH_POINT_H 1

/* Named crash points, for tests of what survives a crash at a chosen step.
 *
 * A crash point is a named place in the host's or the agent's code, for
 * example "the agent has put a flow and not yet acknowledged it".  A test
 * arms it with a unixctl command; the next time (or the COUNTth time) the
 * code gets there, the process aborts at once, without sending anything
 * more, in the way of OVSDB Raft's "cluster/failure-test crash-*" tests
 * (which exit), and the test then checks that the host and the DPUs lost
 * nothing.
 *
 * Each daemon declares its points in an array of struct dpu_crash_point
 * and registers it with dpu_crash_points_register(PREFIX, ...), which adds
 * the unixctl commands:
 *
 *   PREFIX/crash-point/list             the points, armed or not
 *   PREFIX/crash-point/arm NAME [COUNT] abort the COUNTth time (1 unless
 *                                       given) that NAME is reached
 *   PREFIX/crash-point/disarm [NAME]    disarm NAME, or every point
 *
 * Thread-safety: dpu_crash_point_reached() and dpu_crash_point_hit() may be
 * called from any thread; registration from the main thread only. */

#include <stdbool.h>
#include <stddef.h>
#include "compiler.h"
#include "ovs-atomic.h"

struct dpu_crash_point {
    const char *name;           /* "before-flow-put-ack", ... */
    const char *description;    /* For PREFIX/crash-point/list. */
    atomic_uint countdown;      /* 0: disarmed, otherwise how many more
                                 * times to reach it before aborting. */
};

#define DPU_CRASH_POINT_INIT(NAME, DESCRIPTION) \
    { NAME, DESCRIPTION, 0 }

void dpu_crash_points_register(const char *prefix,
                               struct dpu_crash_point *, size_t n);

/* Counts that 'cp' is reached.  Returns true if that was the armed time:
 * the caller must then call dpu_crash_point_fire() once it has done what
 * the point's name says happens before the crash. */
bool dpu_crash_point_hit(struct dpu_crash_point *);
void dpu_crash_point_fire(const struct dpu_crash_point *) OVS_NO_RETURN;

/* dpu_crash_point_hit() and, if it says so, dpu_crash_point_fire(). */
static inline void
dpu_crash_point_reached(struct dpu_crash_point *cp)
{
    if (dpu_crash_point_hit(cp)) {
        dpu_crash_point_fire(cp);
    }
}

#endif /* dpu-crash-point.h */
