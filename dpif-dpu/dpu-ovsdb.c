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

#include "dpu-conn.h"
#include "dpu-ha.h"
#include "dpu-metrics.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "smap.h"
#include "sset.h"
#include "util.h"
#include "vswitch-idl.h"

VLOG_DEFINE_THIS_MODULE(dpu_ovsdb);

/* Whether the last reconfiguration had any DPU.  Main thread only. */
static bool has_dpus;

void
dpu_ovsdb_init(struct ovsdb_idl *idl)
{
    ovsdb_idl_omit_alert(idl, &ovsrec_dpu_col_status);
    ovsdb_idl_omit_alert(idl, &ovsrec_dpu_col_statistics);
    ovsdb_idl_omit(idl, &ovsrec_dpu_col_external_ids);
}

void
dpu_ovsdb_reconfigure(const struct ovsrec_open_vswitch *cfg)
{
    struct sset names = SSET_INITIALIZER(&names);
    struct dpu_config *cfgs;
    size_t n = 0;

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
    }
    dpu_conn_set_config(cfgs, n);
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
            dpu_conn_unref(conn);
        } else {
            smap_add(&status, "state", "error");
            smap_add(&status, "error", "duplicate DPU name");
        }
        ovsrec_dpu_set_status(row, &status);
        smap_destroy(&status);
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
