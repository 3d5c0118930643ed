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

#ifndef DPU_METRICS_H
#define DPU_METRICS_H 1

/* DPU metrics (DPU_MSG_GET_METRICS) on the host.
 *
 * Once dpu_metrics_set_interval() has been called, a thread ("dpu_metrics")
 * asks every DPU that is up for its metrics, every interval and whenever a
 * DPU comes up, and keeps the latest answer (or the reason there is none)
 * of each.  It waits for the DPUs' replies so that no other thread has to:
 * ovs-vswitchd's main thread reads what the thread keeps, to write
 * DPU:statistics (dpu-ovsdb.c) and for dpif-dpu/show, and never waits for
 * a DPU.  A DPU that is down is not asked, and has no metrics.
 *
 * Thread-safety: every function may be called from any thread. */

#include <stdbool.h>

struct dpu_metrics;
struct ds;
struct smap;

/* Sets how often the metrics of each DPU are fetched, in ms, and starts the
 * thread that fetches them if it does not run yet. */
void dpu_metrics_set_interval(int interval_ms);

/* Replaces the contents of 'stats' by the DPU:statistics keys (see
 * dpu-table.xml) from the latest metrics of DPU 'dpu', or clears it if
 * there are none. */
void dpu_metrics_get_statistics(const char *dpu, struct smap *stats);

/* Appends a summary of the latest metrics of DPU 'dpu', or why there are
 * none, to 's', for dpif-dpu/show. */
void dpu_metrics_format_summary(const char *dpu, struct ds *s);

/* Adds the DPU:statistics keys for 'm' to 'stats'. */
void dpu_metrics_to_smap(const struct dpu_metrics *m, struct smap *stats);

#endif /* dpu-metrics.h */
