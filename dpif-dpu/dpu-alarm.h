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

#ifndef DPU_ALARM_H
#define DPU_ALARM_H 1

/* Alarms of DPUs.
 *
 * An alarm is a condition of one DPU that an operator should know of: a
 * core above its threshold, a hung DPU, a hot sensor, a failover.  The
 * modules that notice a condition raise and clear its alarm here; this
 * module keeps, for each DPU, its active alarms and its latest
 * DPU_ALARM_HISTORY cleared ones, logs every raise and clear, and makes
 * ovs-vswitchd write them to the DPU_Alarm table (dpu-ovsdb.c, through the
 * connectivity seq, in the transaction that refreshes DPU:status).  Each
 * raise and clear, except of "hardware" alarms (which the DPU reports to
 * its collectors itself), also goes to the IPFIX collectors of the DPUs
 * that export IPFIX (dpu_ipfix_send_alarm()); an update of an active alarm
 * does not.
 *
 * An active alarm is identified by its DPU, its type and its 'subject' (a
 * port, a sensor, a failover's number; "" if the type needs none): raising
 * it again while it is active only updates its severity, cause and
 * details.  Once cleared, it is history; a new occurrence is a new alarm,
 * with a new UUID, which is also its row's UUID in the DPU_Alarm table.
 *
 * Thread-safety: every function may be called from any thread.  This
 * module's mutex is taken after every other lock of dpif-dpu (dpu-ha's
 * 'ha_mutex', dpu-conn's, dpu-metrics') and nothing is called with it
 * held, so callers may hold their own locks. */

#include <stdbool.h>
#include <stddef.h>
#include "compiler.h"
#include "dpu-codec.h"
#include "openvswitch/types.h"
#include "smap.h"
#include "uuid.h"

struct dpu_metrics;
struct ds;
struct sset;

/* Cleared alarms kept per DPU. */
#define DPU_ALARM_HISTORY 32

/* The "type" column of DPU_Alarm. */
enum dpu_alarm_type {
    DPU_ALARM_CPU,
    DPU_ALARM_MEMORY,
    DPU_ALARM_UPLINK_DOWN,
    DPU_ALARM_HEARTBEAT_LOSS,
    DPU_ALARM_HARDWARE,
    DPU_ALARM_PAIR_MISMATCH,
    DPU_ALARM_FAILOVER,
    DPU_ALARM_VERSION_SKEW,
    DPU_N_ALARM_TYPES
};

const char *dpu_alarm_type_to_string(enum dpu_alarm_type);
bool dpu_alarm_type_from_string(const char *, enum dpu_alarm_type *);

/* A copy of one alarm. */
struct dpu_alarm {
    struct uuid uuid;
    enum dpu_alarm_type type;
    char *subject;              /* Never NULL; "" if none. */
    enum dpu_severity severity;
    char *cause;
    long long int raised;       /* time_wall_msec() when raised. */
    long long int cleared;      /* time_wall_msec() when cleared, or 0 if
                                 * the alarm is active. */
    bool acknowledged;          /* As an operator set it in OVSDB. */
    struct smap details;
};

/* Raises the alarm of 'type' and 'subject' (NULL for none) of DPU 'dpu',
 * with 'severity' (as in ITU-T X.733), 'details' (may be NULL) and a cause
 * formatted from 'format', or updates it if it is active. */
void dpu_alarm_raise(const char *dpu, enum dpu_alarm_type,
                     const char *subject, enum dpu_severity,
                     const struct smap *details, const char *format, ...)
    OVS_PRINTF_FORMAT(6, 7);

/* Clears the active alarm of 'type' and 'subject' of DPU 'dpu', or, if
 * 'subject' is NULL, every active alarm of 'type' of 'dpu'.  Clearing an
 * alarm that is not active does nothing. */
void dpu_alarm_clear(const char *dpu, enum dpu_alarm_type,
                     const char *subject);

/* Clears every active alarm of 'type' of DPU 'dpu' whose subject is not in
 * 'keep'. */
void dpu_alarm_clear_except(const char *dpu, enum dpu_alarm_type,
                            const struct sset *keep);

/* Makes the "hardware" alarms of DPU 'dpu' those of the 'n' health
 * 'alerts' that it reported (DPU_EVENT "health"): raises or updates one
 * per alert, by sensor, and clears the others. */
void dpu_alarm_set_health(const char *dpu, const struct dpu_health *alerts,
                          size_t n);

/* Takes the 'n' 'alarms' of DPU 'dpu' that OVSDB holds from before
 * ovs-vswitchd started, the first time it is called for 'dpu' (later calls
 * do nothing): they join its history, the active ones cleared now, with
 * details:cleared_by=restart, since nothing would clear them.  Keeps the
 * DPU_ALARM_HISTORY most recently cleared. */
void dpu_alarm_import(const char *dpu, const struct dpu_alarm *, size_t n);

/* Forgets the alarms of every DPU not named in 'dpus'. */
void dpu_alarm_set_dpus(const struct sset *dpus);

/* Reads the alarm thresholds of DPU 'dpu' from its 'other_config'.  Returns
 * NULL, or a malloc()ed description of what is wrong with them (also
 * logged, at a limited rate); the alarms of a wrong threshold are disabled
 * and cleared. */
char *dpu_alarm_set_thresholds(const char *dpu,
                               const struct smap *other_config);

/* Checks the latest metrics 'm' of DPU 'dpu' against its thresholds, and
 * raises or clears its "cpu" and "memory" alarms. */
void dpu_alarm_check_metrics(const char *dpu, const struct dpu_metrics *m);

/* Stores copies of the alarms of DPU 'dpu', active ones first, most recent
 * first, in a malloc()ed array in '*alarmsp', and returns how many.  Free
 * them with dpu_alarms_destroy(). */
size_t dpu_alarm_get(const char *dpu, struct dpu_alarm **alarmsp);
void dpu_alarms_destroy(struct dpu_alarm *, size_t n);

/* Records that an operator set the 'acknowledged' column of the alarm with
 * 'uuid' of DPU 'dpu' to 'acked'. */
void dpu_alarm_set_acknowledged(const char *dpu, const struct uuid *,
                                bool acked);

/* Appends the alarms of DPU 'dpu', or of every DPU if 'dpu' is NULL, to
 * 's', for dpif-dpu/alarms. */
void dpu_alarm_format(const char *dpu, struct ds *s);

#endif /* dpu-alarm.h */
