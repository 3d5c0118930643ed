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
#include "agent-health.h"

#include <errno.h>

#include "agent-ipfix.h"
#include "dpu-codec.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/shash.h"
#include "util.h"

struct agent_health {
    struct agent_server *server;
    struct agent_ipfix *ipfix;
    struct shash alerts;        /* struct dpu_health, by sensor. */
};

struct agent_health *
agent_health_create(struct agent_server *server, struct agent_ipfix *ipfix)
{
    struct agent_health *health = xzalloc(sizeof *health);

    health->server = server;
    health->ipfix = ipfix;
    shash_init(&health->alerts);
    return health;
}

static void
clear_all(struct agent_health *health)
{
    struct shash_node *node;

    SHASH_FOR_EACH_SAFE (node, &health->alerts) {
        dpu_health_destroy(node->data, 1);
        shash_delete(&health->alerts, node);
    }
}

void
agent_health_destroy(struct agent_health *health)
{
    if (health) {
        clear_all(health);
        shash_destroy(&health->alerts);
        free(health);
    }
}

void
agent_health_send(struct agent_health *health, struct agent_session *s)
{
    const struct shash_node **nodes = shash_sort(&health->alerts);
    size_t n = shash_count(&health->alerts);
    struct dpu_health *alerts = xmalloc(MAX(n, 1) * sizeof *alerts);
    struct ofpbuf *b = agent_server_start_event(health->server, "health");

    for (size_t i = 0; i < n; i++) {
        alerts[i] = *(struct dpu_health *) nodes[i]->data;
    }
    dpu_put_health(b, alerts, n);
    agent_server_send_async(health->server, s, b);
    free(alerts);
    free(nodes);
}

int
agent_health_raise(struct agent_health *health, const char *sensor,
                   int severity, const char *value, const char *message,
                   struct ds *why)
{
    struct dpu_health *h;

    if (!sensor[0] || strlen(sensor) > 63 || (value && strlen(value) > 63)) {
        ds_put_format(why, "%s%s%s: a sensor and a value have 1 to 63 "
                      "characters", sensor, value ? "=" : "",
                      value ? value : "");
        return EINVAL;
    }
    h = shash_find_data(&health->alerts, sensor);
    if (!h) {
        if (shash_count(&health->alerts) >= DPU_MAX_HEALTH) {
            ds_put_format(why, "already %d alerts", DPU_MAX_HEALTH);
            return ENOSPC;
        }
        h = xzalloc(sizeof *h);
        h->sensor = xstrdup(sensor);
        shash_add(&health->alerts, sensor, h);
    }
    h->severity = severity;
    free(h->value);
    h->value = nullable_xstrdup(value);
    free(h->message);
    h->message = nullable_xstrdup(message);
    agent_health_send(health, NULL);
    agent_ipfix_alert(health->ipfix, sensor, h);
    return 0;
}

int
agent_health_clear(struct agent_health *health, const char *sensor,
                   struct ds *why)
{
    if (sensor) {
        struct dpu_health *h = shash_find_and_delete(&health->alerts,
                                                     sensor);

        if (!h) {
            ds_put_format(why, "%s: no such alert", sensor);
            return ENOENT;
        }
        dpu_health_destroy(h, 1);
        agent_ipfix_alert(health->ipfix, sensor, NULL);
    } else {
        struct shash_node *node;

        SHASH_FOR_EACH (node, &health->alerts) {
            agent_ipfix_alert(health->ipfix, node->name, NULL);
        }
        clear_all(health);
    }
    agent_health_send(health, NULL);
    return 0;
}

void
agent_health_format(const struct agent_health *health, struct ds *ds)
{
    const struct shash_node **nodes = shash_sort(&health->alerts);

    ds_put_format(ds, "health alerts: %"PRIuSIZE"\n",
                  shash_count(&health->alerts));
    for (size_t i = 0; i < shash_count(&health->alerts); i++) {
        const struct dpu_health *h = nodes[i]->data;

        ds_put_format(ds, "  %s%s%s (%s)%s%s\n", h->sensor,
                      h->value ? "=" : "", h->value ? h->value : "",
                      dpu_severity_to_string(h->severity),
                      h->message ? ": " : "", h->message ? h->message : "");
    }
    free(nodes);
}
