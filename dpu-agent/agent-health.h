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

#ifndef AGENT_HEALTH_H
#define AGENT_HEALTH_H 1

/* Hardware health alerts of the DPU (see "Health" in dpu-protocol.rst).
 *
 * An alert names a sensor, perhaps with a value, and has a severity and
 * perhaps a message.  Whenever the alerts change, every host hears of all
 * of them in a DPU_EVENT "health", and the DPU's IPFIX collectors of the
 * change; a host that connects hears of them at once, also that there are
 * none.  An emulated DPU's alerts are raised with dpu-agent/alert (see
 * agent-emulation.h); a DPU's own sensors would raise them here.
 *
 * Thread-safety: only the agent's main thread calls these functions. */

#include "agent-server.h"

struct agent_ipfix;
struct ds;

struct agent_health *agent_health_create(struct agent_server *,
                                         struct agent_ipfix *);
void agent_health_destroy(struct agent_health *);

/* Raises, or changes, the alert of 'sensor' with 'severity' (a
 * DPU_SEVERITY_*), 'value' and 'message' (each may be NULL), and tells
 * hosts and collectors.  A sensor and a value have 1 to 63 characters; the
 * DPU has at most DPU_MAX_HEALTH alerts.  Returns 0, or a positive errno
 * value after appending why to 'why'.  The caller logs. */
int agent_health_raise(struct agent_health *, const char *sensor,
                       int severity, const char *value, const char *message,
                       struct ds *why);

/* Clears the alert of 'sensor', or, if it is NULL, all of them, and tells
 * hosts and collectors.  Returns 0, or ENOENT after appending why to 'why'
 * if there is no alert of 'sensor'. */
int agent_health_clear(struct agent_health *, const char *sensor,
                       struct ds *why);

/* Sends DPU_EVENT "health" with every alert to session 's' or, if 's' is
 * NULL, to every session. */
void agent_health_send(struct agent_health *, struct agent_session *s);

/* Appends the alerts, for dpu-agent/show. */
void agent_health_format(const struct agent_health *, struct ds *);

#endif /* agent-health.h */
