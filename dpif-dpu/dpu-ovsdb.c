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
#include "dpu-ovsdb.h"

#include "dpu-alarm.h"
#include "dpu-conn.h"
#include "dpu-ha.h"
#include "dpu-ipfix.h"
#include "dpu-metrics.h"
#include "ofproto/ofproto.h"
#include "ofproto/ofproto-dpif.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "smap.h"
#include "sset.h"
#include "util.h"
#include "vswitch-idl.h"

VLOG_DEFINE_THIS_MODULE(dpu_ovsdb);

/* Main thread only. */
static struct ovsdb_idl *idl;
static bool has_dpus;           /* Whether the last reconfiguration had any
                                 * DPU. */
static struct smap alarm_errors = SMAP_INITIALIZER(&alarm_errors);
                                /* DPU name to what is wrong with its alarm
                                 * thresholds. */
static struct shash down_times = SHASH_INITIALIZER(&down_times);
                                /* DPU name to the dpu_conn_get_down_time()
                                 * for which a "heartbeat-loss" alarm was
                                 * raised (long long int *). */

void
dpu_ovsdb_init(struct ovsdb_idl *idl_)
{
    idl = idl_;
    ovsdb_idl_omit_alert(idl, &ovsrec_dpu_col_status);
    ovsdb_idl_omit_alert(idl, &ovsrec_dpu_col_statistics);
    ovsdb_idl_omit_alert(idl, &ovsrec_dpu_col_alarms);
    ovsdb_idl_omit(idl, &ovsrec_dpu_col_external_ids);

    /* Of DPU_Alarm, ovs-vswitchd writes every column but 'acknowledged',
     * which an operator writes: a change to it reconfigures, which reads
     * it. */
    ovsdb_idl_omit_alert(idl, &ovsrec_dpu_alarm_col_type);
    ovsdb_idl_omit_alert(idl, &ovsrec_dpu_alarm_col_severity);
    ovsdb_idl_omit_alert(idl, &ovsrec_dpu_alarm_col_cause);
    ovsdb_idl_omit_alert(idl, &ovsrec_dpu_alarm_col_raised);
    ovsdb_idl_omit_alert(idl, &ovsrec_dpu_alarm_col_cleared);
    ovsdb_idl_omit_alert(idl, &ovsrec_dpu_alarm_col_active);
    ovsdb_idl_omit_alert(idl, &ovsrec_dpu_alarm_col_details);
}

/* Passes each DPU's observation domain to dpu-ipfix, and makes it forget
 * the bridges that are gone or left the dpu datapath. */
static void
reconfigure_ipfix(const struct ovsrec_open_vswitch *cfg)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
    struct smap domains = SMAP_INITIALIZER(&domains);
    struct sset bridges = SSET_INITIALIZER(&bridges);

    for (size_t i = 0; i < cfg->n_dpus; i++) {
        const struct ovsrec_dpu *row = cfg->dpus[i];
        const char *s = smap_get(&row->other_config, "ipfix-obs-domain-id");
        unsigned int domain;

        if (!s) {
            continue;
        } else if (!str_to_uint(s, 10, &domain)) {
            /* Once per reconfiguration, at most. */
            VLOG_WARN_RL(&rl, "%s: other_config:ipfix-obs-domain-id \"%s\" "
                         "is not a number from 0 to 4294967295, ignoring",
                         row->name, s);
        } else {
            smap_add_format(&domains, row->name, "%u", domain);
        }
    }
    dpu_ipfix_set_obs_domains(&domains);
    smap_destroy(&domains);

    for (size_t i = 0; i < cfg->n_bridges; i++) {
        const struct ovsrec_bridge *br = cfg->bridges[i];

        if (!strcmp(ofproto_normalize_type(br->datapath_type), "dpu")) {
            sset_add(&bridges, br->name);
        }
    }
    dpu_ipfix_prune(&bridges);
    sset_destroy(&bridges);
}

void
dpu_ovsdb_reconfigure(const struct ovsrec_open_vswitch *cfg)
{
    struct sset names = SSET_INITIALIZER(&names);
    struct shash_node *node;
    struct dpu_config *cfgs;
    size_t n = 0;

    smap_clear(&alarm_errors);
    dpu_ha_set_config(&cfg->other_config);
    cfgs = xmalloc(MAX(cfg->n_dpus, 1) * sizeof *cfgs);
    for (size_t i = 0; i < cfg->n_dpus; i++) {
        const struct ovsrec_dpu *row = cfg->dpus[i];

        if (!sset_add(&names, row->name)) {
            static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);

            /* The schema's index makes this impossible; be safe anyway. */
            VLOG_WARN_RL(&rl, "%s: duplicate DPU name, ignoring", row->name);
            continue;
        }
        cfgs[n].name = row->name;
        cfgs[n].target = row->target;
        cfgs[n].other_config = &row->other_config;
        cfgs[n].ha = dpu_ha_get_mode() == DPU_HA_ACTIVE_STANDBY;
        n++;

        char *error = dpu_alarm_set_thresholds(row->name, &row->other_config);
        if (error) {
            smap_add_nocopy(&alarm_errors, xstrdup(row->name), error);
        }
        for (size_t j = 0; j < row->n_alarms; j++) {
            const struct ovsrec_dpu_alarm *alarm = row->alarms[j];

            dpu_alarm_set_acknowledged(row->name, &alarm->header_.uuid,
                                       alarm->acknowledged);
        }
    }
    dpu_conn_set_config(cfgs, n);
    dpu_alarm_set_dpus(&names);
    reconfigure_ipfix(cfg);
    SHASH_FOR_EACH_SAFE (node, &down_times) {
        if (!sset_contains(&names, node->name)) {
            free(node->data);
            shash_delete(&down_times, node);
        }
    }
    has_dpus = n > 0;
    if (has_dpus) {
        /* DPU:statistics is refreshed when Interface:statistics is: fetch
         * as often, with bridge.c's default and minimum. */
        dpu_metrics_set_interval(MAX(smap_get_int(&cfg->other_config,
                                                  "stats-update-interval",
                                                  5000), 5000));
    }
    free(cfgs);
    sset_destroy(&names);
}

/* Raises and clears the alarms of DPU 'name' that its 'status' and its
 * connection 'conn' tell. */
static void
check_status_alarms(const char *name, struct dpu_conn *conn,
                    const struct smap *status)
{
    const char *state = smap_get_def(status, "state", "");
    const char *role = smap_get_def(status, "role", "");
    const char *error = smap_get_def(status, "error", "");
    long long int *seen = shash_find_data(&down_times, name);
    char *reason;
    long long int down = dpu_conn_get_down_time(conn, &reason);

    /* A DPU that was up and went down (even if it is up again since: a new
     * down time). */
    if (down && (!seen || *seen != down)) {
        if (!seen) {
            seen = xmalloc(sizeof *seen);
            shash_add(&down_times, name, seen);
        }
        *seen = down;
        dpu_alarm_raise(name, DPU_ALARM_HEARTBEAT_LOSS, NULL,
                        DPU_SEVERITY_CRITICAL, NULL, "DPU went down: %s",
                        reason ? reason : "connection lost");
    }
    free(reason);
    if (!strcmp(state, "up")) {
        dpu_alarm_clear(name, DPU_ALARM_HEARTBEAT_LOSS, NULL);
    }

    if (!strcmp(role, "refused")) {
        dpu_alarm_raise(name, DPU_ALARM_PAIR_MISMATCH, NULL,
                        DPU_SEVERITY_MAJOR, NULL, "%s", error);
    } else {
        dpu_alarm_clear(name, DPU_ALARM_PAIR_MISMATCH, NULL);
    }

    /* A failover is over when the DPU it failed from is back. */
    if (!strcmp(state, "up")
        && (!strcmp(role, "standby") || !strcmp(role, "active"))) {
        dpu_alarm_clear(name, DPU_ALARM_FAILOVER, NULL);
    }
}

/* Makes DPU:alarms of 'row' the alarms of its DPU, inserting their rows as
 * needed.  Rows that are no longer among them are deleted by OVSDB's
 * garbage collection, DPU_Alarm being a non-root table. */
static void
refresh_alarms(const struct ovsrec_dpu *row)
{
    struct ovsdb_idl_txn *txn = ovsdb_idl_txn_get(&row->header_);
    struct ovsrec_dpu_alarm **rows;
    struct dpu_alarm *alarms;
    size_t n;

    n = dpu_alarm_get(row->name, &alarms);
    rows = xmalloc(MAX(n, 1) * sizeof *rows);
    for (size_t i = 0; i < n; i++) {
        const struct dpu_alarm *a = &alarms[i];
        int64_t cleared = a->cleared;
        const struct ovsrec_dpu_alarm *ar;

        const char *severity = dpu_severity_to_string(a->severity);
        bool fresh = false;

        ar = ovsrec_dpu_alarm_get_for_uuid(idl, &a->uuid);
        if (!ar) {
            /* The row gets the alarm's UUID, so that it is found again.
             * Its 'acknowledged' column is false by default: only an
             * operator writes it. */
            ar = ovsrec_dpu_alarm_insert_persist_uuid(txn, &a->uuid);
            ovsrec_dpu_alarm_set_type(ar, dpu_alarm_type_to_string(a->type));
            ovsrec_dpu_alarm_set_raised(ar, a->raised);
            fresh = true;
        }
        /* Only what changed, so that the cleared alarms of the history do
         * not weigh on every refresh. */
        if (fresh || strcmp(ar->severity, severity)) {
            ovsrec_dpu_alarm_set_severity(ar, severity);
        }
        if (fresh || strcmp(ar->cause, a->cause)) {
            ovsrec_dpu_alarm_set_cause(ar, a->cause);
        }
        if (fresh || ar->active != !a->cleared) {
            ovsrec_dpu_alarm_set_cleared(ar, &cleared, a->cleared ? 1 : 0);
            ovsrec_dpu_alarm_set_active(ar, !a->cleared);
        }
        if (fresh || !smap_equal(&ar->details, &a->details)) {
            ovsrec_dpu_alarm_set_details(ar, &a->details);
        }
        rows[i] = CONST_CAST(struct ovsrec_dpu_alarm *, ar);
    }
    ovsrec_dpu_set_alarms(row, rows, n);
    free(rows);
    dpu_alarms_destroy(alarms, n);
}

void
dpu_ovsdb_refresh_status(const struct ovsrec_open_vswitch *cfg)
{
    if (!cfg) {
        return;
    }
    for (size_t i = 0; i < cfg->n_dpus; i++) {
        const struct ovsrec_dpu *row = cfg->dpus[i];
        struct dpu_conn *conn = dpu_conn_ref(row->name);
        struct smap status = SMAP_INITIALIZER(&status);

        if (conn) {
            dpu_conn_get_status(conn, &status);
            dpu_ha_get_status(conn, &status);
            check_status_alarms(row->name, conn, &status);
            dpu_conn_unref(conn);
        } else {
            smap_add(&status, "state", "error");
            smap_add(&status, "error", "duplicate DPU name");
        }
        if (smap_get(&alarm_errors, row->name)) {
            smap_add(&status, "alarm_error",
                     smap_get(&alarm_errors, row->name));
        }
        ovsrec_dpu_set_status(row, &status);
        smap_destroy(&status);
        refresh_alarms(row);
    }
}

void
dpu_ovsdb_refresh_stats(const struct ovsrec_open_vswitch *cfg)
{
    struct smap stats = SMAP_INITIALIZER(&stats);

    if (!cfg) {
        return;
    }
    for (size_t i = 0; i < cfg->n_dpus; i++) {
        const struct ovsrec_dpu *row = cfg->dpus[i];

        dpu_metrics_get_statistics(row->name, &stats);
        ovsrec_dpu_set_statistics(row, &stats);
    }
    smap_destroy(&stats);
}

bool
dpu_ovsdb_has_dpus(void)
{
    return has_dpus;
}

/* Returns true if IPFIX row 'ipfix' asks the DPUs to export. */
static bool
dpu_export(const struct ovsrec_ipfix *ipfix)
{
    return ipfix && smap_get_bool(&ipfix->other_config, "dpu-export", false);
}

void
dpu_ovsdb_configure_ipfix(
    const struct ovsrec_bridge *br_cfg,
    const struct ofproto_ipfix_bridge_exporter_options *be,
    const struct ofproto_ipfix_flow_exporter_options *fe, size_t n_fe)
{
    struct ofproto_ipfix_flow_exporter_options *dpu_fe;
    const struct ofproto_dpif *ofproto;
    size_t n_dpu_fe = 0;

    ofproto = ofproto_dpif_lookup_by_name(br_cfg->name);
    if (!ofproto) {
        return;
    }
    if (strcmp(ofproto_normalize_type(br_cfg->datapath_type), "dpu")) {
        be = NULL;
        n_fe = 0;
    } else if (!dpu_export(br_cfg->ipfix)) {
        be = NULL;
    }

    /* The flow exporters share their IPFIX rows' targets, not their sets:
     * a shallow copy of those that ask for DPU export. */
    dpu_fe = xmalloc(MAX(n_fe, 1) * sizeof *dpu_fe);
    for (size_t i = 0; i < n_fe; i++) {
        const struct ovsrec_flow_sample_collector_set *fscs;

        OVSREC_FLOW_SAMPLE_COLLECTOR_SET_FOR_EACH (fscs, idl) {
            if (fscs->bridge == br_cfg && fscs->id == fe[i].collector_set_id
                && dpu_export(fscs->ipfix)) {
                dpu_fe[n_dpu_fe++] = fe[i];
                break;
            }
        }
    }
    dpu_ipfix_set_bridge(&ofproto->uuid, br_cfg->name, be, dpu_fe, n_dpu_fe);
    free(dpu_fe);
}
