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
#include "agent-emulation.h"

#include <errno.h>
#include <signal.h>

#include "agent-crash-point.h"
#include "agent-datapath.h"
#include "agent-ha.h"
#include "agent-health.h"
#include "agent-metrics.h"
#include "agent-server.h"
#include "dpu-codec.h"
#include "netdev.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "unixctl.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(agent_emulation);

/* An injected hang: 0 for none, -1 for ever, or how long, in milliseconds.
 * It runs in real time, not on the agent's clock, which a test may have
 * stopped (time/stop) and could not warp while the agent hangs. */
static long long int hang_ms;

typedef int emulation_func(struct agent_server *, int argc,
                           const char *argv[], struct ds *reply);

static int
fault_hang(int argc, const char *argv[], struct ds *reply)
{
    long long int ms = -1;

    if (argc > 1 && (!str_to_llong(argv[1], 10, &ms) || ms <= 0)) {
        ds_put_format(reply, "%s: not a positive number of milliseconds",
                      argv[1]);
        return EINVAL;
    }
    VLOG_WARN("fault injected: hang for %s ms", argc > 1 ? argv[1] : "ever");
    hang_ms = ms;
    ds_put_cstr(reply, "hanging");
    return 0;
}

/* dpu-agent/fault stall MS. */
static int
fault_stall(struct agent_server *server, int argc, const char *argv[],
            struct ds *reply)
{
    long long int ms;

    if (argc < 2 || !str_to_llong(argv[1], 10, &ms) || ms <= 0
        || ms > 60000) {
        ds_put_format(reply, "%s: not a number of milliseconds from 1 to "
                      "60000", argc < 2 ? "(none)" : argv[1]);
        return EINVAL;
    }
    VLOG_WARN("fault injected: the next received batch stalls %lld ms", ms);
    agent_ha_stall_next_rx(agent_server_ha(server), ms);
    ds_put_cstr(reply, "stalling the next received batch");
    return 0;
}

static int
fault_link(struct agent_server *server, int argc, const char *argv[],
           struct ds *reply)
{
    struct agent_dp *dp = agent_server_dp(server);
    const char *fault = argv[0];
    bool up = !strcmp(fault, "link-up");

    if (argc < 2) {
        ds_put_format(reply, "%s needs at least one port", fault);
        return EINVAL;
    }
    for (int i = 1; i < argc; i++) {
        if (!agent_dp_find_port(dp, argv[i])) {
            ds_put_format(reply, "%s: no such port", argv[i]);
            return ENODEV;
        }
    }
    for (int i = 1; i < argc; i++) {
        struct agent_port *port = agent_dp_find_port(dp, argv[i]);
        int error = (up
                     ? netdev_turn_flags_on(port->netdev, NETDEV_UP, NULL)
                     : netdev_turn_flags_off(port->netdev, NETDEV_UP, NULL));
        if (error) {
            ds_put_format(reply, "%s: %s", argv[i], ovs_strerror(error));
            return error;
        }
        VLOG_WARN("fault injected: %s on port %s", fault, argv[i]);
    }
    ds_put_cstr(reply, "OK");
    return 0;
}

/* dpu-agent/fault FAULT [ARG...]. */
static int
inject_fault(struct agent_server *server, int argc, const char *argv[],
             struct ds *reply)
{
    const char *fault = argv[0];

    if (!strcmp(fault, "crash")) {
        VLOG_WARN("fault injected: crash");
        raise(SIGKILL);
        OVS_NOT_REACHED();
    } else if (!strcmp(fault, "hang")) {
        return fault_hang(argc, argv, reply);
    } else if (!strcmp(fault, "stall")) {
        return fault_stall(server, argc, argv, reply);
    } else if (!strcmp(fault, "pci-error")) {
        const char *details = "emulated fatal PCI error: the device "
                              "reported an uncorrectable error";

        VLOG_ERR("fault injected: %s", details);
        agent_ha_fail(agent_server_ha(server), "pci-error", details);
        ds_put_cstr(reply, "PCI error reported");
    } else if (!strcmp(fault, "clear")) {
        agent_ha_clear_fault(agent_server_ha(server));
        ds_put_cstr(reply, "cleared");
    } else if (!strcmp(fault, "link-down") || !strcmp(fault, "link-up")) {
        return fault_link(server, argc, argv, reply);
    } else {
        ds_put_format(reply, "unknown fault \"%s\" (crash, hang [MS], "
                      "stall MS, pci-error, link-down PORT..., "
                      "link-up PORT..., clear)", fault);
        return EINVAL;
    }
    return 0;
}

/* dpu-agent/alert SENSOR[=VALUE] [SEVERITY [MESSAGE...]]. */
static int
raise_alert(struct agent_server *server, int argc, const char *argv[],
            struct ds *reply)
{
    const char *eq = strchr(argv[0], '=');
    int severity = DPU_SEVERITY_MAJOR;
    char *sensor, *message = NULL;
    int error;

    if (argc > 1) {
        severity = dpu_severity_from_string(argv[1]);
        if (severity < 0) {
            ds_put_format(reply, "%s: not a severity (critical, major, "
                          "minor, warning, info)", argv[1]);
            return EINVAL;
        }
    }
    if (argc > 2) {
        struct ds s = DS_EMPTY_INITIALIZER;

        for (int i = 2; i < argc; i++) {
            ds_put_format(&s, "%s%s", i > 2 ? " " : "", argv[i]);
        }
        message = ds_steal_cstr(&s);
    }
    sensor = eq ? xmemdup0(argv[0], eq - argv[0]) : xstrdup(argv[0]);
    error = agent_health_raise(agent_server_health(server), sensor, severity,
                               eq ? eq + 1 : NULL, message, reply);
    if (!error) {
        VLOG_WARN("health alert injected: %s%s%s (%s)%s%s", sensor,
                  eq ? "=" : "", eq ? eq + 1 : "",
                  dpu_severity_to_string(severity), message ? ": " : "",
                  message ? message : "");
        ds_put_cstr(reply, "alert raised");
    }
    free(sensor);
    free(message);
    return error;
}

/* dpu-agent/alert-clear [SENSOR]. */
static int
clear_alert(struct agent_server *server, int argc, const char *argv[],
            struct ds *reply)
{
    const char *sensor = argc > 0 ? argv[0] : NULL;
    int error = agent_health_clear(agent_server_health(server), sensor,
                                   reply);

    if (!error) {
        VLOG_INFO("health alert%s cleared%s%s", sensor ? "" : "s",
                  sensor ? ": " : "", sensor ? sensor : "");
        ds_put_cstr(reply, "cleared");
    }
    return error;
}

/* dpu-agent/inject-metrics cpu=PERCENT|memory=PERCENT...|clear. */
static int
inject_metrics(struct agent_server *server, int argc, const char *argv[],
               struct ds *reply)
{
    int cpu = -1, memory = -1;

    for (int i = 0; i < argc; i++) {
        const char *eq = strchr(argv[i], '=');
        int *valuep = (!eq ? NULL
                       : !strncmp(argv[i], "cpu=", 4) ? &cpu
                       : !strncmp(argv[i], "memory=", 7) ? &memory
                       : NULL);

        if (!strcmp(argv[i], "clear") && argc == 1) {
            break;
        } else if (!valuep || !str_to_int(eq + 1, 10, valuep)
                   || *valuep < 0 || *valuep > 100) {
            ds_put_format(reply, "%s: expected cpu=PERCENT, memory=PERCENT "
                          "(0 to 100) or clear", argv[i]);
            return EINVAL;
        }
    }
    agent_metrics_inject(agent_server_metrics(server), cpu, memory);
    VLOG_INFO("metrics injected: cpu %d%%, memory %d%% (-1: measured)",
              cpu, memory);
    ds_put_cstr(reply, cpu < 0 && memory < 0 ? "measuring" : "injected");
    return 0;
}

struct emulation_command {
    const char *name;
    const char *usage;
    int min_args, max_args;
    emulation_func *func;
};

static const struct emulation_command commands[] = {
    { "dpu-agent/fault", "crash|hang [MS]|stall MS|pci-error|clear|"
      "link-down PORT...|link-up PORT...", 1, INT_MAX, inject_fault },
    { "dpu-agent/alert", "SENSOR[=VALUE] [SEVERITY [MESSAGE...]]", 1,
      INT_MAX, raise_alert },
    { "dpu-agent/alert-clear", "[SENSOR]", 0, 1, clear_alert },
    { "dpu-agent/inject-metrics", "cpu=PERCENT|memory=PERCENT...|clear", 1,
      2, inject_metrics },
};

static struct agent_server *the_server;

static void
unixctl_emulation(struct unixctl_conn *conn, int argc, const char *argv[],
                  void *command_)
{
    const struct emulation_command *command = command_;
    struct ds reply = DS_EMPTY_INITIALIZER;

    if (command->func(the_server, argc - 1, argv + 1, &reply)) {
        unixctl_command_reply_error(conn, ds_cstr(&reply));
    } else {
        unixctl_command_reply(conn, ds_cstr(&reply));
    }
    ds_destroy(&reply);
}

void
agent_emulation_register(struct agent_server *server)
{
    the_server = server;
    agent_crash_points_register();
    for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
        const struct emulation_command *c = &commands[i];

        unixctl_command_register(c->name, c->usage, c->min_args,
                                 c->max_args, unixctl_emulation,
                                 CONST_CAST(struct emulation_command *, c));
    }
}

void
agent_emulation_run(void)
{
    if (hang_ms) {
        /* The agent answers nothing and forwards nothing from the ports
         * that this thread polls. */
        for (long long int slept = 0; hang_ms < 0 || slept < hang_ms;
             slept += 10) {
            xnanosleep(10 * 1000 * 1000);
        }
        hang_ms = 0;
        VLOG_WARN("hang over");
    }
}

void
agent_emulation_wait(void)
{
    if (hang_ms) {
        poll_immediate_wake();
    }
}
