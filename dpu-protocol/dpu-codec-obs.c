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

/* The codec of what a DPU says about itself and what it exports: metrics,
 * hardware health, IPFIX and alarms (see dpu-codec.h). */

#include <config.h>
#include "dpu-codec.h"
#include "dpu-codec-private.h"

#include <errno.h>

#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofpbuf.h"
#include "ofproto/ofproto.h"
#include "smap.h"
#include "sset.h"
#include "util.h"

/* Metrics. */

static const struct nl_policy metrics_policy[DPU_METRICS_ATTR_MAX + 1] = {
    [DPU_METRICS_ATTR_EMULATED] = OPT(NL_A_FLAG),
    [DPU_METRICS_ATTR_INTERVAL_MS] = REQ(NL_A_U32),
    [DPU_METRICS_ATTR_CORE] = OPT(NL_A_NESTED),
    [DPU_METRICS_ATTR_MEM_USED] = REQ(NL_A_U64),
    [DPU_METRICS_ATTR_MEM_TOTAL] = REQ(NL_A_U64),
    [DPU_METRICS_ATTR_DP_STATS] = REQ(NL_A_NESTED),
    [DPU_METRICS_ATTR_PORT] = OPT(NL_A_NESTED),
    [DPU_METRICS_ATTR_UPCALLS] = REQ(NL_A_U64),
    [DPU_METRICS_ATTR_UPCALL_RATE] = REQ(NL_A_U32),
    [DPU_METRICS_ATTR_FLOW_SETUPS] = REQ(NL_A_U64),
    [DPU_METRICS_ATTR_FLOW_SETUP_AVG_US] = OPT(NL_A_U32),
    [DPU_METRICS_ATTR_FLOW_SETUP_MAX_US] = OPT(NL_A_U32),
    [DPU_METRICS_ATTR_INJECTED] = OPT(NL_A_FLAG),
};

static const struct nl_policy metrics_core_policy[DPU_METRICS_ATTR_MAX + 1] = {
    [DPU_METRICS_ATTR_NAME] = { .type = NL_A_STRING, .max_len = 64 },
    [DPU_METRICS_ATTR_LOAD] = REQ(NL_A_U32),
};

static const struct nl_policy metrics_port_policy[DPU_ATTR_MAX + 1] = {
    [DPU_ATTR_PORT_NO] = REQ(NL_A_U32),
    [DPU_ATTR_PORT_NAME] = PORT_NAME_REQ,
    [DPU_ATTR_NETDEV_STATS] = REQ(NL_A_NESTED),
};

void
dpu_put_metrics(struct ofpbuf *b, const struct dpu_metrics *m)
{
    size_t ofs = nl_msg_start_nested(b, DPU_ATTR_METRICS);
    size_t sub;

    if (m->emulated) {
        nl_msg_put_flag(b, DPU_METRICS_ATTR_EMULATED);
    }
    if (m->injected) {
        nl_msg_put_flag(b, DPU_METRICS_ATTR_INJECTED);
    }
    nl_msg_put_u32(b, DPU_METRICS_ATTR_INTERVAL_MS, m->interval_ms);
    for (size_t i = 0; i < MIN(m->n_cores, DPU_METRICS_MAX_CORES); i++) {
        sub = nl_msg_start_nested(b, DPU_METRICS_ATTR_CORE);
        nl_msg_put_string(b, DPU_METRICS_ATTR_NAME, m->cores[i].name);
        nl_msg_put_u32(b, DPU_METRICS_ATTR_LOAD, MIN(m->cores[i].load,
                                                     10000));
        nl_msg_end_nested(b, sub);
    }
    nl_msg_put_u64(b, DPU_METRICS_ATTR_MEM_USED, m->mem_used);
    nl_msg_put_u64(b, DPU_METRICS_ATTR_MEM_TOTAL, m->mem_total);

    struct dpif_dp_stats dp_stats = {
        .n_hit = m->n_hit,
        .n_missed = m->n_missed,
        .n_lost = m->n_lost,
        .n_flows = m->n_flows,
        .n_masks = UINT32_MAX,
        .n_mask_hit = UINT64_MAX,
        .n_cache_hit = UINT64_MAX,
    };
    dpu_put_dp_stats(b, DPU_METRICS_ATTR_DP_STATS, &dp_stats);

    for (size_t i = 0; i < m->n_ports; i++) {
        const struct dpu_metrics_port *p = &m->ports[i];

        sub = nl_msg_start_nested(b, DPU_METRICS_ATTR_PORT);
        nl_msg_put_odp_port(b, DPU_ATTR_PORT_NO, p->port_no);
        nl_msg_put_string(b, DPU_ATTR_PORT_NAME, p->name);
        dpu_put_netdev_stats(b, DPU_ATTR_NETDEV_STATS, &p->stats);
        nl_msg_end_nested(b, sub);
    }

    nl_msg_put_u64(b, DPU_METRICS_ATTR_UPCALLS, m->upcalls);
    nl_msg_put_u32(b, DPU_METRICS_ATTR_UPCALL_RATE, m->upcall_rate);
    nl_msg_put_u64(b, DPU_METRICS_ATTR_FLOW_SETUPS, m->flow_setups);
    if (m->has_flow_setup) {
        nl_msg_put_u32(b, DPU_METRICS_ATTR_FLOW_SETUP_AVG_US,
                       m->flow_setup_avg_us);
        nl_msg_put_u32(b, DPU_METRICS_ATTR_FLOW_SETUP_MAX_US,
                       m->flow_setup_max_us);
    }
    nl_msg_end_nested(b, ofs);
}

static bool
parse_metrics_core(const struct nlattr *nla, struct dpu_metrics_core *core,
                   struct ds *why)
{
    struct nlattr *a[DPU_METRICS_ATTR_MAX + 1];

    if (!nl_parse_nested(nla, metrics_core_policy, a, ARRAY_SIZE(a))) {
        ds_put_cstr(why, "malformed core");
        return false;
    }
    core->name = xstrdup(nl_attr_get_string(a[DPU_METRICS_ATTR_NAME]));
    core->load = nl_attr_get_u32(a[DPU_METRICS_ATTR_LOAD]);
    if (core->load > 10000) {
        ds_put_format(why, "core %s: load %"PRIu32" is above 10000",
                      core->name, core->load);
        return false;
    }
    return true;
}

static bool
parse_metrics_port(const struct nlattr *nla, struct dpu_metrics_port *port,
                   struct ds *why)
{
    struct nlattr *a[DPU_ATTR_MAX + 1];

    if (!nl_parse_nested(nla, metrics_port_policy, a, ARRAY_SIZE(a))) {
        ds_put_cstr(why, "malformed port");
        return false;
    }
    port->port_no = nl_attr_get_odp_port(a[DPU_ATTR_PORT_NO]);
    port->name = xstrdup(nl_attr_get_string(a[DPU_ATTR_PORT_NAME]));
    if (!dpu_parse_netdev_stats(a[DPU_ATTR_NETDEV_STATS], &port->stats)) {
        ds_put_format(why, "port %s: malformed statistics", port->name);
        return false;
    }
    return true;
}

bool
dpu_parse_metrics(const struct nlattr *nla, struct dpu_metrics *m,
                  struct ds *why)
{
    struct nlattr *a[DPU_METRICS_ATTR_MAX + 1];
    struct dpif_dp_stats dp_stats;
    const struct nlattr *sub;
    size_t left, n_cores = 0, n_ports = 0;

    memset(m, 0, sizeof *m);
    if (!nl_parse_nested(nla, metrics_policy, a, ARRAY_SIZE(a))) {
        ds_put_cstr(why, "invalid or missing attributes");
        return false;
    }
    if (!dpu_parse_dp_stats(a[DPU_METRICS_ATTR_DP_STATS], &dp_stats)) {
        ds_put_cstr(why, "malformed datapath statistics");
        return false;
    }
    NL_NESTED_FOR_EACH (sub, left, nla) {
        n_cores += nl_attr_type(sub) == DPU_METRICS_ATTR_CORE;
        n_ports += nl_attr_type(sub) == DPU_METRICS_ATTR_PORT;
    }
    if (n_cores > DPU_METRICS_MAX_CORES) {
        ds_put_format(why, "%"PRIuSIZE" cores, more than %d", n_cores,
                      DPU_METRICS_MAX_CORES);
        return false;
    }

    m->emulated = a[DPU_METRICS_ATTR_EMULATED] != NULL;
    m->injected = a[DPU_METRICS_ATTR_INJECTED] != NULL;
    m->interval_ms = nl_attr_get_u32(a[DPU_METRICS_ATTR_INTERVAL_MS]);
    m->mem_used = nl_attr_get_u64(a[DPU_METRICS_ATTR_MEM_USED]);
    m->mem_total = nl_attr_get_u64(a[DPU_METRICS_ATTR_MEM_TOTAL]);
    m->n_hit = dp_stats.n_hit;
    m->n_missed = dp_stats.n_missed;
    m->n_lost = dp_stats.n_lost;
    m->n_flows = dp_stats.n_flows;
    m->upcalls = nl_attr_get_u64(a[DPU_METRICS_ATTR_UPCALLS]);
    m->upcall_rate = nl_attr_get_u32(a[DPU_METRICS_ATTR_UPCALL_RATE]);
    m->flow_setups = nl_attr_get_u64(a[DPU_METRICS_ATTR_FLOW_SETUPS]);
    if (a[DPU_METRICS_ATTR_FLOW_SETUP_AVG_US]
        && a[DPU_METRICS_ATTR_FLOW_SETUP_MAX_US]) {
        m->has_flow_setup = true;
        m->flow_setup_avg_us = nl_attr_get_u32(
            a[DPU_METRICS_ATTR_FLOW_SETUP_AVG_US]);
        m->flow_setup_max_us = nl_attr_get_u32(
            a[DPU_METRICS_ATTR_FLOW_SETUP_MAX_US]);
    }

    m->cores = xcalloc(MAX(n_cores, 1), sizeof *m->cores);
    m->ports = xcalloc(MAX(n_ports, 1), sizeof *m->ports);
    NL_NESTED_FOR_EACH (sub, left, nla) {
        if (nl_attr_type(sub) == DPU_METRICS_ATTR_CORE) {
            if (!parse_metrics_core(sub, &m->cores[m->n_cores++], why)) {
                return false;
            }
        } else if (nl_attr_type(sub) == DPU_METRICS_ATTR_PORT) {
            if (!parse_metrics_port(sub, &m->ports[m->n_ports++], why)) {
                return false;
            }
        }
    }
    return true;
}

void
dpu_metrics_destroy(struct dpu_metrics *m)
{
    if (m) {
        for (size_t i = 0; i < m->n_cores; i++) {
            free(m->cores[i].name);
        }
        free(m->cores);
        for (size_t i = 0; i < m->n_ports; i++) {
            free(m->ports[i].name);
        }
        free(m->ports);
        memset(m, 0, sizeof *m);
    }
}

void
dpu_metrics_format_load(uint32_t load, struct ds *s)
{
    ds_put_format(s, "%"PRIu32".%02"PRIu32, load / 100, load % 100);
}

void
dpu_metrics_format_flow_setups(const struct dpu_metrics *m, struct ds *s)
{
    ds_put_format(s, "flow setups %"PRIu64, m->flow_setups);
    if (m->has_flow_setup) {
        ds_put_format(s, " (latency avg %"PRIu32" us, max %"PRIu32" us)",
                      m->flow_setup_avg_us, m->flow_setup_max_us);
    }
}

void
dpu_metrics_format(const struct dpu_metrics *m, struct ds *s)
{
    ds_put_format(s, "metrics of a%s, sampled over %"PRIu32" ms%s\n",
                  m->emulated ? "n emulated DPU (its agent's threads and "
                  "memory)" : " DPU", m->interval_ms,
                  m->injected ? " (some figures injected)" : "");
    ds_put_format(s, "memory: %"PRIu64" kB used of %"PRIu64" kB\n",
                  m->mem_used / 1024, m->mem_total / 1024);
    ds_put_format(s, "datapath: %"PRIu64" flows, hit %"PRIu64", missed %"
                  PRIu64", lost %"PRIu64"\n", m->n_flows, m->n_hit,
                  m->n_missed, m->n_lost);
    ds_put_format(s, "upcalls: %"PRIu64", %"PRIu32"/s, ", m->upcalls,
                  m->upcall_rate);
    dpu_metrics_format_flow_setups(m, s);
    ds_put_cstr(s, "\n\n");

    ds_put_format(s, "%-24s %7s\n", "CORE", "LOAD%");
    for (size_t i = 0; i < m->n_cores; i++) {
        struct ds load = DS_EMPTY_INITIALIZER;

        dpu_metrics_format_load(m->cores[i].load, &load);
        ds_put_format(s, "%-24s %7s\n", m->cores[i].name, ds_cstr(&load));
        ds_destroy(&load);
    }

    ds_put_format(s, "\n%-16s %10s %12s %8s %8s %10s %12s %8s %8s\n",
                  "PORT", "RX_PKTS", "RX_BYTES", "RX_DROP", "RX_ERR",
                  "TX_PKTS", "TX_BYTES", "TX_DROP", "TX_ERR");
    for (size_t i = 0; i < m->n_ports; i++) {
        const struct dpu_metrics_port *p = &m->ports[i];
        const uint64_t values[] = {
            p->stats.rx_packets, p->stats.rx_bytes, p->stats.rx_dropped, p->stats.rx_errors,
            p->stats.tx_packets, p->stats.tx_bytes, p->stats.tx_dropped, p->stats.tx_errors,
        };
        static const int widths[] = { 10, 12, 8, 8, 10, 12, 8, 8 };

        ds_put_format(s, "%-16s", p->name);
        for (size_t j = 0; j < ARRAY_SIZE(values); j++) {
            if (values[j] == UINT64_MAX) {
                /* Not counted by the device. */
                ds_put_format(s, " %*s", widths[j], "-");
            } else {
                ds_put_format(s, " %*"PRIu64, widths[j], values[j]);
            }
        }
        ds_put_char(s, '\n');
    }
}

/* Hardware health. */

static const struct nl_policy health_policy[DPU_HEALTH_ATTR_MAX + 1] = {
    [DPU_HEALTH_ATTR_SENSOR] = { .type = NL_A_STRING, .min_len = 2,
                                 .max_len = 64 },
    [DPU_HEALTH_ATTR_SEVERITY] = REQ(NL_A_U32),
    [DPU_HEALTH_ATTR_VALUE] = { .type = NL_A_STRING, .max_len = 64,
                                .optional = true },
    [DPU_HEALTH_ATTR_MESSAGE] = STR_OPT,
};

static const char *const severity_names[DPU_N_SEVERITIES] = {
    [DPU_SEVERITY_CRITICAL] = "critical",
    [DPU_SEVERITY_MAJOR] = "major",
    [DPU_SEVERITY_MINOR] = "minor",
    [DPU_SEVERITY_WARNING] = "warning",
    [DPU_SEVERITY_INFO] = "info",
};

const char *
dpu_severity_to_string(uint32_t severity)
{
    return severity < DPU_N_SEVERITIES ? severity_names[severity] : "unknown";
}

int
dpu_severity_from_string(const char *s)
{
    for (int i = 0; i < DPU_N_SEVERITIES; i++) {
        if (!strcmp(s, severity_names[i])) {
            return i;
        }
    }
    return -1;
}

void
dpu_put_health(struct ofpbuf *b, const struct dpu_health *alerts, size_t n)
{
    for (size_t i = 0; i < MIN(n, DPU_MAX_HEALTH); i++) {
        const struct dpu_health *h = &alerts[i];
        size_t ofs = nl_msg_start_nested(b, DPU_ATTR_HEALTH);

        nl_msg_put_string(b, DPU_HEALTH_ATTR_SENSOR, h->sensor);
        nl_msg_put_u32(b, DPU_HEALTH_ATTR_SEVERITY, h->severity);
        if (h->value) {
            nl_msg_put_string(b, DPU_HEALTH_ATTR_VALUE, h->value);
        }
        if (h->message) {
            nl_msg_put_string(b, DPU_HEALTH_ATTR_MESSAGE, h->message);
        }
        nl_msg_end_nested(b, ofs);
    }
}

bool
dpu_parse_health(const struct ofpbuf *buf, struct dpu_health **alertsp,
                 size_t *np, struct ds *why)
{
    struct dpu_health *alerts;
    const struct nlattr *nla;
    size_t n = count_attrs(buf, DPU_ATTR_HEALTH);
    size_t left;

    *alertsp = alerts = xcalloc(MAX(n, 1), sizeof *alerts);
    *np = 0;
    if (n > DPU_MAX_HEALTH) {
        ds_put_format(why, "%"PRIuSIZE" health alerts, more than %d", n,
                      DPU_MAX_HEALTH);
        return false;
    }

    DPU_MSG_FOR_EACH_ATTR (nla, left, buf) {
        struct nlattr *a[DPU_HEALTH_ATTR_MAX + 1];
        struct dpu_health *h;
        uint32_t severity;

        if (nl_attr_type(nla) != DPU_ATTR_HEALTH) {
            continue;
        }
        if (!nl_parse_nested(nla, health_policy, a, ARRAY_SIZE(a))) {
            ds_put_cstr(why, "malformed health alert");
            return false;
        }
        severity = nl_attr_get_u32(a[DPU_HEALTH_ATTR_SEVERITY]);
        h = &alerts[(*np)++];
        h->sensor = xstrdup(nl_attr_get_string(a[DPU_HEALTH_ATTR_SENSOR]));
        h->value = (a[DPU_HEALTH_ATTR_VALUE]
                    ? xstrdup(nl_attr_get_string(a[DPU_HEALTH_ATTR_VALUE]))
                    : NULL);
        h->message = (a[DPU_HEALTH_ATTR_MESSAGE]
                      ? xstrdup(nl_attr_get_string(
                                    a[DPU_HEALTH_ATTR_MESSAGE]))
                      : NULL);
        if (severity >= DPU_N_SEVERITIES) {
            ds_put_format(why, "health alert %s: unknown severity %"PRIu32,
                          h->sensor, severity);
            return false;
        }
        h->severity = severity;
        for (size_t i = 0; i + 1 < *np; i++) {
            if (!strcmp(alerts[i].sensor, h->sensor)) {
                ds_put_format(why, "two health alerts for sensor %s",
                              h->sensor);
                return false;
            }
        }
    }
    return true;
}

void
dpu_health_destroy(struct dpu_health *alerts, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(alerts[i].sensor);
        free(alerts[i].value);
        free(alerts[i].message);
    }
    free(alerts);
}

/* IPFIX. */

#define IPFIX_STR_OPT { .type = NL_A_STRING, .max_len = 256, \
                        .optional = true }

static const struct nl_policy ipfix_policy[DPU_IPFIX_ATTR_MAX + 1] = {
    [DPU_IPFIX_ATTR_BRIDGE_UUID] = { .type = NL_A_UNSPEC,
                                     .min_len = sizeof(struct uuid),
                                     .max_len = sizeof(struct uuid) },
    [DPU_IPFIX_ATTR_BRIDGE_NAME] = { .type = NL_A_STRING, .min_len = 2,
                                     .max_len = 256 },
    [DPU_IPFIX_ATTR_DPU_NAME] = IPFIX_STR_OPT,
    [DPU_IPFIX_ATTR_OBS_DOMAIN_ID] = OPT(NL_A_U32),
    [DPU_IPFIX_ATTR_EXPORTER] = OPT(NL_A_NESTED),
};

static const struct nl_policy ipfix_exporter_policy[DPU_IPFIX_ATTR_MAX + 1] = {
    [DPU_IPFIX_ATTR_OBS_DOMAIN_ID] = OPT(NL_A_U32),
    [DPU_IPFIX_ATTR_COLLECTOR_SET_ID] = OPT(NL_A_U32),
    [DPU_IPFIX_ATTR_TARGET] = { .type = NL_A_STRING, .min_len = 2,
                                .max_len = 256 },
    [DPU_IPFIX_ATTR_SAMPLING] = OPT(NL_A_U32),
    [DPU_IPFIX_ATTR_OBS_POINT_ID] = OPT(NL_A_U32),
    [DPU_IPFIX_ATTR_CACHE_ACTIVE_TIMEOUT] = OPT(NL_A_U32),
    [DPU_IPFIX_ATTR_CACHE_MAX_FLOWS] = OPT(NL_A_U32),
    [DPU_IPFIX_ATTR_TUNNEL_SAMPLING] = OPT(NL_A_FLAG),
    [DPU_IPFIX_ATTR_INPUT_SAMPLING] = OPT(NL_A_FLAG),
    [DPU_IPFIX_ATTR_OUTPUT_SAMPLING] = OPT(NL_A_FLAG),
    [DPU_IPFIX_ATTR_VIRTUAL_OBS_ID] = IPFIX_STR_OPT,
};

static void
put_u32_if_nonzero(struct ofpbuf *b, uint16_t type, uint32_t value)
{
    if (value) {
        nl_msg_put_u32(b, type, value);
    }
}

static void
put_flag_if(struct ofpbuf *b, uint16_t type, bool value)
{
    if (value) {
        nl_msg_put_flag(b, type);
    }
}

static void
put_ipfix_targets(struct ofpbuf *b, const struct sset *targets)
{
    const char *target;

    SSET_FOR_EACH (target, targets) {
        nl_msg_put_string(b, DPU_IPFIX_ATTR_TARGET, target);
    }
}

void
dpu_put_ipfix_config(struct ofpbuf *b, const struct dpu_ipfix_config *cfg)
{
    size_t ofs = nl_msg_start_nested(b, DPU_ATTR_IPFIX);
    size_t exp;

    nl_msg_put_unspec(b, DPU_IPFIX_ATTR_BRIDGE_UUID, &cfg->bridge_uuid,
                      sizeof cfg->bridge_uuid);
    nl_msg_put_string(b, DPU_IPFIX_ATTR_BRIDGE_NAME, cfg->bridge_name);
    if (cfg->dpu_name) {
        nl_msg_put_string(b, DPU_IPFIX_ATTR_DPU_NAME, cfg->dpu_name);
    }
    if (cfg->has_obs_domain_id) {
        nl_msg_put_u32(b, DPU_IPFIX_ATTR_OBS_DOMAIN_ID, cfg->obs_domain_id);
    }
    if (cfg->be) {
        const struct ofproto_ipfix_bridge_exporter_options *be = cfg->be;

        exp = nl_msg_start_nested(b, DPU_IPFIX_ATTR_EXPORTER);
        put_ipfix_targets(b, &be->targets);
        nl_msg_put_u32(b, DPU_IPFIX_ATTR_SAMPLING, be->sampling_rate);
        put_u32_if_nonzero(b, DPU_IPFIX_ATTR_OBS_DOMAIN_ID,
                           be->obs_domain_id);
        put_u32_if_nonzero(b, DPU_IPFIX_ATTR_OBS_POINT_ID, be->obs_point_id);
        put_u32_if_nonzero(b, DPU_IPFIX_ATTR_CACHE_ACTIVE_TIMEOUT,
                           be->cache_active_timeout);
        put_u32_if_nonzero(b, DPU_IPFIX_ATTR_CACHE_MAX_FLOWS,
                           be->cache_max_flows);
        put_flag_if(b, DPU_IPFIX_ATTR_TUNNEL_SAMPLING,
                    be->enable_tunnel_sampling);
        put_flag_if(b, DPU_IPFIX_ATTR_INPUT_SAMPLING,
                    be->enable_input_sampling);
        put_flag_if(b, DPU_IPFIX_ATTR_OUTPUT_SAMPLING,
                    be->enable_output_sampling);
        if (be->virtual_obs_id) {
            nl_msg_put_string(b, DPU_IPFIX_ATTR_VIRTUAL_OBS_ID,
                              be->virtual_obs_id);
        }
        nl_msg_end_nested(b, exp);
    }
    for (size_t i = 0; i < cfg->n_fe; i++) {
        const struct ofproto_ipfix_flow_exporter_options *fe = &cfg->fe[i];

        exp = nl_msg_start_nested(b, DPU_IPFIX_ATTR_EXPORTER);
        nl_msg_put_u32(b, DPU_IPFIX_ATTR_COLLECTOR_SET_ID,
                       fe->collector_set_id);
        put_ipfix_targets(b, &fe->targets);
        put_u32_if_nonzero(b, DPU_IPFIX_ATTR_CACHE_ACTIVE_TIMEOUT,
                           fe->cache_active_timeout);
        put_u32_if_nonzero(b, DPU_IPFIX_ATTR_CACHE_MAX_FLOWS,
                           fe->cache_max_flows);
        put_flag_if(b, DPU_IPFIX_ATTR_TUNNEL_SAMPLING,
                    fe->enable_tunnel_sampling);
        if (fe->virtual_obs_id) {
            nl_msg_put_string(b, DPU_IPFIX_ATTR_VIRTUAL_OBS_ID,
                              fe->virtual_obs_id);
        }
        nl_msg_end_nested(b, exp);
    }
    nl_msg_end_nested(b, ofs);
}

static uint32_t
ipfix_u32(const struct nlattr *nla)
{
    return nla ? nl_attr_get_u32(nla) : 0;
}

static char *
ipfix_str(const struct nlattr *nla)
{
    return nla ? xstrdup(nl_attr_get_string(nla)) : NULL;
}

/* Reads the TARGETs of EXPORTER 'exp', which its policy checked, into
 * 'targets'.  Returns false, with the cause in 'why', if there are too
 * many. */
static bool
parse_ipfix_targets(const struct nlattr *exp, struct sset *targets,
                    struct ds *why)
{
    const struct nlattr *nla;
    size_t left;

    NL_NESTED_FOR_EACH (nla, left, exp) {
        if (nl_attr_type(nla) == DPU_IPFIX_ATTR_TARGET) {
            if (sset_count(targets) >= DPU_IPFIX_MAX_TARGETS) {
                ds_put_format(why, "more than %d targets in an exporter",
                              DPU_IPFIX_MAX_TARGETS);
                return false;
            }
            sset_add(targets, nl_attr_get_string(nla));
        }
    }
    return true;
}

bool
dpu_parse_ipfix_config(const struct nlattr *nla, struct dpu_ipfix_config *cfg,
                       struct ds *why)
{
    struct nlattr *a[DPU_IPFIX_ATTR_MAX + 1];
    const struct nlattr *exp;
    size_t left, n_exp = 0;

    memset(cfg, 0, sizeof *cfg);
    if (!nl_parse_nested(nla, ipfix_policy, a, ARRAY_SIZE(a))) {
        ds_put_cstr(why, "malformed IPFIX configuration");
        return false;
    }
    memcpy(&cfg->bridge_uuid, nl_attr_get(a[DPU_IPFIX_ATTR_BRIDGE_UUID]),
           sizeof cfg->bridge_uuid);
    cfg->bridge_name = ipfix_str(a[DPU_IPFIX_ATTR_BRIDGE_NAME]);
    cfg->dpu_name = ipfix_str(a[DPU_IPFIX_ATTR_DPU_NAME]);
    cfg->has_obs_domain_id = a[DPU_IPFIX_ATTR_OBS_DOMAIN_ID] != NULL;
    cfg->obs_domain_id = ipfix_u32(a[DPU_IPFIX_ATTR_OBS_DOMAIN_ID]);

    NL_NESTED_FOR_EACH (exp, left, nla) {
        n_exp += nl_attr_type(exp) == DPU_IPFIX_ATTR_EXPORTER;
    }
    if (n_exp > DPU_IPFIX_MAX_EXPORTERS) {
        ds_put_format(why, "%s: %"PRIuSIZE" exporters, more than %d",
                      cfg->bridge_name, n_exp, DPU_IPFIX_MAX_EXPORTERS);
        return false;
    }
    cfg->fe = xcalloc(MAX(n_exp, 1), sizeof *cfg->fe);

    NL_NESTED_FOR_EACH (exp, left, nla) {
        struct nlattr *e[DPU_IPFIX_ATTR_MAX + 1];
        struct sset targets;

        if (nl_attr_type(exp) != DPU_IPFIX_ATTR_EXPORTER) {
            continue;
        }
        if (!nl_parse_nested(exp, ipfix_exporter_policy, e, ARRAY_SIZE(e))) {
            ds_put_format(why, "%s: malformed exporter", cfg->bridge_name);
            return false;
        }
        sset_init(&targets);
        if (!parse_ipfix_targets(exp, &targets, why)) {
            sset_destroy(&targets);
            return false;
        }

        if (!e[DPU_IPFIX_ATTR_COLLECTOR_SET_ID]) {
            struct ofproto_ipfix_bridge_exporter_options *be;

            if (cfg->be) {
                ds_put_format(why, "%s: two bridge exporters",
                              cfg->bridge_name);
                sset_destroy(&targets);
                return false;
            }
            if (!ipfix_u32(e[DPU_IPFIX_ATTR_SAMPLING])) {
                ds_put_format(why, "%s: bridge exporter without a sampling "
                              "rate", cfg->bridge_name);
                sset_destroy(&targets);
                return false;
            }
            cfg->be = be = xzalloc(sizeof *be);
            sset_clone(&be->targets, &targets);
            be->sampling_rate = ipfix_u32(e[DPU_IPFIX_ATTR_SAMPLING]);
            be->obs_domain_id = ipfix_u32(e[DPU_IPFIX_ATTR_OBS_DOMAIN_ID]);
            be->obs_point_id = ipfix_u32(e[DPU_IPFIX_ATTR_OBS_POINT_ID]);
            be->cache_active_timeout
                = ipfix_u32(e[DPU_IPFIX_ATTR_CACHE_ACTIVE_TIMEOUT]);
            be->cache_max_flows = ipfix_u32(e[DPU_IPFIX_ATTR_CACHE_MAX_FLOWS]);
            be->enable_tunnel_sampling
                = e[DPU_IPFIX_ATTR_TUNNEL_SAMPLING] != NULL;
            be->enable_input_sampling
                = e[DPU_IPFIX_ATTR_INPUT_SAMPLING] != NULL;
            be->enable_output_sampling
                = e[DPU_IPFIX_ATTR_OUTPUT_SAMPLING] != NULL;
            be->virtual_obs_id = ipfix_str(e[DPU_IPFIX_ATTR_VIRTUAL_OBS_ID]);
        } else {
            uint32_t id = nl_attr_get_u32(e[DPU_IPFIX_ATTR_COLLECTOR_SET_ID]);
            struct ofproto_ipfix_flow_exporter_options *fe;

            for (size_t i = 0; i < cfg->n_fe; i++) {
                if (cfg->fe[i].collector_set_id == id) {
                    ds_put_format(why, "%s: two exporters for collector "
                                  "set %"PRIu32, cfg->bridge_name, id);
                    sset_destroy(&targets);
                    return false;
                }
            }
            fe = &cfg->fe[cfg->n_fe++];
            fe->collector_set_id = id;
            sset_clone(&fe->targets, &targets);
            fe->cache_active_timeout
                = ipfix_u32(e[DPU_IPFIX_ATTR_CACHE_ACTIVE_TIMEOUT]);
            fe->cache_max_flows = ipfix_u32(e[DPU_IPFIX_ATTR_CACHE_MAX_FLOWS]);
            fe->enable_tunnel_sampling
                = e[DPU_IPFIX_ATTR_TUNNEL_SAMPLING] != NULL;
            fe->virtual_obs_id = ipfix_str(e[DPU_IPFIX_ATTR_VIRTUAL_OBS_ID]);
        }
        sset_destroy(&targets);
    }
    return true;
}

void
dpu_ipfix_config_destroy(struct dpu_ipfix_config *cfg)
{
    if (cfg) {
        free(cfg->bridge_name);
        free(cfg->dpu_name);
        if (cfg->be) {
            sset_destroy(&cfg->be->targets);
            free(cfg->be->virtual_obs_id);
            free(cfg->be);
        }
        for (size_t i = 0; i < cfg->n_fe; i++) {
            sset_destroy(&cfg->fe[i].targets);
            free(cfg->fe[i].virtual_obs_id);
        }
        free(cfg->fe);
        memset(cfg, 0, sizeof *cfg);
    }
}

/* Alarms. */

#define ALARM_STR(MIN_LEN, OPTIONAL) { .type = NL_A_STRING,             \
                                       .min_len = (MIN_LEN),            \
                                       .max_len = 256,                  \
                                       .optional = (OPTIONAL) }

static const struct nl_policy alarm_policy[DPU_ALARM_ATTR_MAX + 1] = {
    [DPU_ALARM_ATTR_ID] = { .type = NL_A_UNSPEC,
                            .min_len = sizeof(struct uuid),
                            .max_len = sizeof(struct uuid) },
    [DPU_ALARM_ATTR_TYPE] = { .type = NL_A_STRING, .min_len = 2,
                              .max_len = 64 },
    [DPU_ALARM_ATTR_DPU_NAME] = ALARM_STR(2, false),
    [DPU_ALARM_ATTR_SUBJECT] = ALARM_STR(0, true),
    [DPU_ALARM_ATTR_SEVERITY] = REQ(NL_A_U32),
    [DPU_ALARM_ATTR_CLEARED] = OPT(NL_A_FLAG),
    [DPU_ALARM_ATTR_TIME] = REQ(NL_A_U64),
    [DPU_ALARM_ATTR_CAUSE] = STR_OPT,
    [DPU_ALARM_ATTR_FROM] = ALARM_STR(0, true),
    [DPU_ALARM_ATTR_TO] = ALARM_STR(0, true),
    [DPU_ALARM_ATTR_REASON] = ALARM_STR(0, true),
    [DPU_ALARM_ATTR_DURATION_MS] = OPT(NL_A_U64),
};

static void
put_string_if(struct ofpbuf *b, uint16_t type, const char *s)
{
    if (s) {
        nl_msg_put_string(b, type, s);
    }
}

void
dpu_put_alarm(struct ofpbuf *b, const struct dpu_alarm_event *ev)
{
    size_t ofs = nl_msg_start_nested(b, DPU_ATTR_ALARM);

    nl_msg_put_unspec(b, DPU_ALARM_ATTR_ID, &ev->id, sizeof ev->id);
    nl_msg_put_string(b, DPU_ALARM_ATTR_TYPE, ev->type);
    nl_msg_put_string(b, DPU_ALARM_ATTR_DPU_NAME, ev->dpu_name);
    put_string_if(b, DPU_ALARM_ATTR_SUBJECT, ev->subject);
    nl_msg_put_u32(b, DPU_ALARM_ATTR_SEVERITY, ev->severity);
    put_flag_if(b, DPU_ALARM_ATTR_CLEARED, ev->cleared);
    nl_msg_put_u64(b, DPU_ALARM_ATTR_TIME, ev->time);
    put_string_if(b, DPU_ALARM_ATTR_CAUSE, ev->cause);
    put_string_if(b, DPU_ALARM_ATTR_FROM, ev->from);
    put_string_if(b, DPU_ALARM_ATTR_TO, ev->to);
    put_string_if(b, DPU_ALARM_ATTR_REASON, ev->reason);
    if (ev->has_duration) {
        nl_msg_put_u64(b, DPU_ALARM_ATTR_DURATION_MS, ev->duration_ms);
    }
    nl_msg_end_nested(b, ofs);
}

static const char *
alarm_str(const struct nlattr *nla)
{
    return nla ? nl_attr_get_string(nla) : NULL;
}

bool
dpu_parse_alarm(const struct nlattr *nla, struct dpu_alarm_event *ev,
                struct ds *why)
{
    struct nlattr *a[DPU_ALARM_ATTR_MAX + 1];
    uint64_t time;

    memset(ev, 0, sizeof *ev);
    if (!nl_parse_nested(nla, alarm_policy, a, ARRAY_SIZE(a))) {
        ds_put_cstr(why, "malformed alarm");
        return false;
    }
    memcpy(&ev->id, nl_attr_get(a[DPU_ALARM_ATTR_ID]), sizeof ev->id);
    ev->type = nl_attr_get_string(a[DPU_ALARM_ATTR_TYPE]);
    ev->dpu_name = nl_attr_get_string(a[DPU_ALARM_ATTR_DPU_NAME]);
    ev->subject = alarm_str(a[DPU_ALARM_ATTR_SUBJECT]);
    ev->severity = nl_attr_get_u32(a[DPU_ALARM_ATTR_SEVERITY]);
    ev->cleared = a[DPU_ALARM_ATTR_CLEARED] != NULL;
    time = nl_attr_get_u64(a[DPU_ALARM_ATTR_TIME]);
    ev->cause = alarm_str(a[DPU_ALARM_ATTR_CAUSE]);
    ev->from = alarm_str(a[DPU_ALARM_ATTR_FROM]);
    ev->to = alarm_str(a[DPU_ALARM_ATTR_TO]);
    ev->reason = alarm_str(a[DPU_ALARM_ATTR_REASON]);
    ev->has_duration = a[DPU_ALARM_ATTR_DURATION_MS] != NULL;
    ev->duration_ms = dpu_attr_u64(a[DPU_ALARM_ATTR_DURATION_MS]);

    if (ev->severity >= DPU_N_SEVERITIES) {
        ds_put_format(why, "%s alarm of %s: unknown severity %"PRIu32,
                      ev->type, ev->dpu_name, (uint32_t) ev->severity);
        return false;
    }
    if (time > DPU_ALARM_MAX_TIME) {
        ds_put_format(why, "%s alarm of %s: time %"PRIu64" out of range",
                      ev->type, ev->dpu_name, time);
        return false;
    }
    ev->time = time;
    return true;
}
