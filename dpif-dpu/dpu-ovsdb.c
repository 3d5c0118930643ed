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

#include <unistd.h>

#include "dpif-dpu.h"
#include "dpu-alarm.h"
#include "dpu-codec.h"
#include "dpu-conn.h"
#include "dpu-ct-sync.h"
#include "dpu-ha.h"
#include "dpu-install.h"
#include "dpu-ipfix.h"
#include "dpu-metrics.h"
#include "dpu-version.h"
#include "ofproto/ofproto.h"
#include "ofproto/ofproto-dpif.h"
#include "ofproto/ofproto-provider.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofp-ipfix.h"
#include "openvswitch/ofp-msgs.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "connectivity.h"
#include "ovsdb-idl.h"
#include "seq.h"
#include "smap.h"
#include "socket-util.h"
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
static struct vlog_rate_limit config_rl = VLOG_RATE_LIMIT_INIT(1, 5);
static struct shash skews = SHASH_INITIALIZER(&skews);
                                /* DPU name to struct version_skew, for each
                                 * DPU that runs another version than the
                                 * host. */
static struct shash ipfix_states = SHASH_INITIALIZER(&ipfix_states);
                                /* "BRIDGE" for a bridge's IPFIX exporter,
                                 * "BRIDGE/ID" for collector set ID: struct
                                 * ipfix_state. */

/* What check_version_skew() did about a DPU's version. */
struct version_skew {
    uint64_t session;           /* The session in which a reboot was asked
                                 * for, or 0. */
    unsigned int n_reboots;     /* Reboots asked for to repair it. */
    char *repair;               /* What it did, or why it did nothing. */
    char *policy;               /* other_config:version-repair, as read. */
};

static void version_skew_destroy(struct version_skew *);

/* What refresh_ipfix_status() knows of an IPFIX exporter. */
struct ipfix_state {
    char *targets;              /* The targets, as last checked. */
    size_t n_open;              /* How many of them could be opened. */
    char *open_error;           /* Why the others could not, or NULL. */
    uint64_t tx_errors;         /* At the last refresh. */
    bool has_tx_errors;         /* Whether 'tx_errors' was read. */
};

void
dpu_ovsdb_init(struct ovsdb_idl *idl_)
{
    /* Before any bridge opens a datapath. */
    dpif_dpu_register();

    idl = idl_;
    dpu_install_init();
    ovsdb_idl_omit_alert(idl, &ovsrec_dpu_col_status);
    ovsdb_idl_omit_alert(idl, &ovsrec_ipfix_col_status);
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

/* Gives dpu-alarm the alarms of DPU 'row' that the database holds, from
 * before ovs-vswitchd started (dpu-alarm takes them only once), so that
 * its history, failovers included, outlives a restart. */
static void
import_alarms(const struct ovsrec_dpu *row)
{
    struct dpu_alarm *alarms = xcalloc(MAX(row->n_alarms, 1),
                                       sizeof *alarms);
    size_t n = 0;

    for (size_t i = 0; i < row->n_alarms; i++) {
        const struct ovsrec_dpu_alarm *ar = row->alarms[i];
        struct dpu_alarm *a = &alarms[n];
        int severity = dpu_severity_from_string(ar->severity);
        const char *subject;

        if (!dpu_alarm_type_from_string(ar->type, &a->type)
            || severity < 0) {
            continue;
        }
        subject = smap_get(&ar->details, "port");
        if (!subject) {
            subject = smap_get(&ar->details, "sensor");
        }
        a->uuid = ar->header_.uuid;
        a->subject = CONST_CAST(char *, subject ? subject : "");
        a->severity = severity;
        a->cause = ar->cause;
        a->raised = ar->raised;
        a->cleared = ar->n_cleared && !ar->active ? ar->cleared[0] : 0;
        a->acknowledged = ar->acknowledged;
        a->details = ar->details;
        n++;
    }
    dpu_alarm_import(row->name, alarms, n);
    free(alarms);
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
    dpu_ct_sync_set_config(&cfg->other_config);
    dpu_install_set_host_boot(smap_get(&cfg->other_config, "dpu-host-boot"));
    cfgs = xmalloc(MAX(cfg->n_dpus, 1) * sizeof *cfgs);
    for (size_t i = 0; i < cfg->n_dpus; i++) {
        const struct ovsrec_dpu *row = cfg->dpus[i];

        if (!sset_add(&names, row->name)) {
            static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);

            /* The schema's index makes this impossible; be safe anyway. */
            VLOG_WARN_RL(&rl, "%s: duplicate DPU name, ignoring", row->name);
            continue;
        }
        cfgs[n++] = (struct dpu_config) {
            .name = row->name,
            .target = row->target,
            .other_config = &row->other_config,
            .ha = dpu_ha_get_mode() == DPU_HA_ACTIVE_STANDBY,
        };

        char *error = dpu_alarm_set_thresholds(row->name, &row->other_config);
        if (error) {
            smap_add_nocopy(&alarm_errors, xstrdup(row->name), error);
        }
        import_alarms(row);

        /* A new repair policy for a DPU of another version: judge again. */
        struct version_skew *skew = shash_find_data(&skews, row->name);
        if (skew && skew->policy
            && strcmp(skew->policy, smap_get_def(&row->other_config,
                                                 "version-repair",
                                                 "reboot"))) {
            seq_change(connectivity_seq_get());
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
    SHASH_FOR_EACH_SAFE (node, &skews) {
        if (!sset_contains(&names, node->name)) {
            version_skew_destroy(node->data);
            shash_delete(&skews, node);
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

static void
version_skew_destroy(struct version_skew *skew)
{
    if (skew) {
        free(skew->repair);
        free(skew->policy);
        free(skew);
    }
}

/* Asks DPU 'conn' to boot the bank that holds the host's version.  Returns
 * what happened, as the alarm's details:repair says it. */
static char *
repair_version_skew(struct dpu_conn *conn, struct version_skew *skew)
{
    struct ofpbuf *b = ofpbuf_new(64);
    struct ofpbuf *reply;
    struct dpu_msg msg;
    char *repair;
    int error;

    dpu_msg_start(b, DPU_MSG_IMAGE_SELECT, 0, 0);
    dpu_put_image_select(b, OVS_DPU_VERSION);
    dpu_msg_finish(b);

    error = dpu_conn_transact(conn, b, 2000, &reply, &msg);
    if (!error) {
        struct ds why = DS_EMPTY_INITIALIZER;
        struct dpu_image_result r;

        if (!dpu_parse_image_result(&msg, &r, &why)) {
            repair = xasprintf("rebooting into bank %s, version %s", r.bank,
                               r.version);
        } else {
            repair = xasprintf("rebooting into version %s", OVS_DPU_VERSION);
        }
        ds_destroy(&why);
        ofpbuf_delete(reply);
        skew->n_reboots++;

        /* The DPU reboots once the host has closed its session: a
         * disconnection on purpose, not a failure. */
        char *reason = xasprintf("%s to repair a version skew", repair);
        dpu_conn_disconnect(conn, reason);
        free(reason);
        return repair;
    }

    if (error == ENOENT) {
        return xasprintf("impossible: neither bank of the DPU holds version "
                         "%s; install a bundle of that version "
                         "(ovs-dpuctl install)", OVS_DPU_VERSION);
    }
    return xasprintf("failed: %s", ovs_strerror(error));
}

/* Raises the "version-skew" alarm of DPU 'row' if it runs another version
 * than the host, and repairs it if it may: the DPU reboots into the bank
 * that holds the host's version.  Clears the alarm once the versions
 * agree. */
static void
check_version_skew(const struct ovsrec_dpu *row, struct dpu_conn *conn,
                   const struct smap *status)
{
    const char *version = smap_get(status, "image_version");
    const char *role = smap_get_def(status, "role", "");
    struct version_skew *skew = shash_find_data(&skews, row->name);
    const char *policy;
    ovs_u128 boot_id;
    uint64_t session;
    bool ed, lb;

    if (strcmp(smap_get_def(status, "state", ""), "up") || !version) {
        /* Judged again when it is up. */
        return;
    }
    if (!strcmp(version, OVS_DPU_VERSION)) {
        if (skew) {
            dpu_alarm_clear(row->name, DPU_ALARM_VERSION_SKEW, NULL);
            version_skew_destroy(skew);
            shash_find_and_delete(&skews, row->name);
        }
        return;
    }

    session = dpu_conn_get_session(conn, &boot_id);
    if (!skew) {
        skew = xzalloc(sizeof *skew);
        shash_add(&skews, row->name, skew);
    }
    /* A reboot asked for in this session is what happens: the DPU goes
     * down and comes back in a new session. */
    if (skew->session != session || !skew->repair) {
        free(skew->repair);
        skew->repair = NULL;
        policy = smap_get_def(&row->other_config, "version-repair",
                              "reboot");
        bool new_policy = !skew->policy || strcmp(skew->policy, policy);
        free(skew->policy);
        skew->policy = xstrdup(policy);
        if (!strcmp(policy, "none")) {
            skew->repair = xstrdup("none: other_config:version-repair is "
                                   "\"none\"");
        } else if (strcmp(policy, "reboot")) {
            if (new_policy) {
                VLOG_WARN_RL(&config_rl, "DPU %s: other_config:"
                             "version-repair=%s is not \"reboot\" or "
                             "\"none\": not repairing", row->name, policy);
            }
            skew->repair = xasprintf("none: other_config:version-repair="
                                     "\"%s\" is not valid", policy);
        } else if (!strcmp(role, "active")) {
            skew->repair = xstrdup("waiting: the DPU is the active one of "
                                   "its pair, until a partner of the host's "
                                   "version takes over (or "
                                   "dpif-dpu/failover)");
        } else if (!(dpu_conn_get_caps(conn, &ed, &lb) & DPU_CAP_IMAGE)) {
            skew->repair = xasprintf("impossible: the DPU has no boot "
                                     "loader; install a bundle of version "
                                     "%s", OVS_DPU_VERSION);
        } else if (skew->n_reboots) {
            skew->repair = xasprintf("failed: the DPU rebooted and still "
                                     "runs %s; install a bundle of version "
                                     "%s", version, OVS_DPU_VERSION);
        } else {
            skew->repair = repair_version_skew(conn, skew);
            skew->session = session;
        }
    }

    struct smap details = SMAP_INITIALIZER(&details);
    smap_add(&details, "host_version", OVS_DPU_VERSION);
    smap_add(&details, "dpu_version", version);
    smap_add(&details, "repair", skew->repair);
    dpu_alarm_raise(row->name, DPU_ALARM_VERSION_SKEW, NULL,
                    DPU_SEVERITY_MAJOR, &details,
                    "DPU runs version %s, the host %s", version,
                    OVS_DPU_VERSION);
    smap_destroy(&details);
    if (skew->session != session) {
        /* Nothing was asked of the DPU: judge again next time, in case the
         * configuration or the DPU's role changed. */
        free(skew->repair);
        skew->repair = NULL;
    }
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
    enum dpu_down_cause cause;
    char *reason;
    long long int down = dpu_conn_get_down_time(conn, &cause, &reason);

    /* A DPU that was up and went down (even if it is up again since: a new
     * down time), unless the host disconnected it on purpose. */
    if (down && (!seen || *seen != down)) {
        if (!seen) {
            seen = xmalloc(sizeof *seen);
            shash_add(&down_times, name, seen);
        }
        *seen = down;
        if (cause != DPU_DOWN_HOST) {
            dpu_alarm_raise(name, DPU_ALARM_HEARTBEAT_LOSS, NULL,
                            DPU_SEVERITY_CRITICAL, NULL, "DPU went down: %s",
                            reason ? reason : "connection lost");
        }
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
    dpu_install_run();
    for (size_t i = 0; i < cfg->n_dpus; i++) {
        const struct ovsrec_dpu *row = cfg->dpus[i];
        struct dpu_conn *conn = dpu_conn_ref(row->name);
        struct smap status = SMAP_INITIALIZER(&status);

        if (conn) {
            dpu_conn_get_status(conn, &status);
            dpu_ha_get_status(conn, &status);
            check_status_alarms(row->name, conn, &status);
            check_version_skew(row, conn, &status);
            dpu_conn_unref(conn);
        } else {
            smap_add(&status, "state", "error");
            smap_add(&status, "error", "duplicate DPU name");
        }
        dpu_install_get_status(row->name, &status);
        if (smap_get(&alarm_errors, row->name)) {
            smap_add(&status, "alarm_error",
                     smap_get(&alarm_errors, row->name));
        }
        ovsrec_dpu_set_status(row, &status);
        smap_destroy(&status);
        refresh_alarms(row);
    }
}

/* IPFIX status. */

/* The IPFIX exporters of bridge 'ofproto', of the bridge itself if
 * 'bridge_ipfix', else of its Flow_Sample_Collector_Sets: their statistics
 * by collector set id (0 for the bridge), in 'stats' (uint64_t tx_errors,
 * malloc()ed, keyed by the id in decimal).  An exporter that is not there
 * (none of its collectors could be opened) has no entry. */
static void
get_ipfix_tx_errors(struct ofproto *ofproto, bool bridge_ipfix,
                    struct shash *stats)
{
    struct ofpbuf *request, *reply;
    struct ovs_list replies;

    if (!ofproto->ofproto_class->get_ipfix_stats) {
        return;
    }
    request = ofpraw_alloc(bridge_ipfix ? OFPRAW_NXST_IPFIX_BRIDGE_REQUEST
                           : OFPRAW_NXST_IPFIX_FLOW_REQUEST,
                           OFP10_VERSION, 0);
    ofpmp_init(&replies, request->data);
    if (!ofproto->ofproto_class->get_ipfix_stats(ofproto, bridge_ipfix,
                                                 &replies)) {
        LIST_FOR_EACH (reply, list_node, &replies) {
            struct ofputil_ipfix_stats is;
            struct ofpbuf b;

            ofpmsg_update_length(reply);
            b = ofpbuf_const_initializer(reply->data, reply->size);

            while (!ofputil_pull_ipfix_stats(&is, &b)) {
                uint64_t *tx_errors = xmalloc(sizeof *tx_errors);

                *tx_errors = is.tx_errors;
                shash_add_nocopy(stats, xasprintf("%"PRIu32, bridge_ipfix
                                                  ? 0 : is.collector_set_id),
                                 tx_errors);
            }
        }
    }
    ofpbuf_list_delete(&replies);
    ofpbuf_delete(request);
}

static void
ipfix_state_destroy(struct ipfix_state *st)
{
    if (st) {
        free(st->targets);
        free(st->open_error);
        free(st);
    }
}

/* Writes IPFIX:status of 'ipfix', whose exporter is 'key' in
 * 'ipfix_states' and has 'tx_errors' (NULL if it has no exporter); adds
 * 'key' to 'seen'. */
static void
refresh_ipfix_status(const struct ovsrec_ipfix *ipfix, const char *key,
                     const uint64_t *tx_errors, struct sset *seen)
{
    struct smap status = SMAP_INITIALIZER(&status);
    struct ds targets = DS_EMPTY_INITIALIZER;
    struct ds error = DS_EMPTY_INITIALIZER;
    struct ipfix_state *st;

    sset_add(seen, key);
    st = shash_find_data(&ipfix_states, key);
    if (!st) {
        st = xzalloc(sizeof *st);
        shash_add(&ipfix_states, key, st);
    }

    /* When the targets change, opens them as the exporter does, which
     * also logs why one cannot be opened, and closes them at once (UDP
     * sends nothing until asked). */
    for (size_t i = 0; i < ipfix->n_targets; i++) {
        ds_put_format(&targets, "%s ", ipfix->targets[i]);
    }
    if (!st->targets || strcmp(st->targets, ds_cstr(&targets))) {
        free(st->targets);
        st->targets = ds_steal_cstr(&targets);
        st->n_open = 0;
        for (size_t i = 0; i < ipfix->n_targets; i++) {
            const char *target = ipfix->targets[i];
            int fd, err;

            err = inet_open_active(SOCK_DGRAM, target, 4739, NULL, &fd, 0);
            if (fd >= 0) {
                closesocket(fd);
                st->n_open++;
            } else {
                ds_put_format(&error, "%scouldn't open connection to "
                              "collector %s (%s)", error.length ? "; " : "",
                              target, ovs_strerror(err));
            }
        }
        if (ipfix->n_targets && !st->n_open) {
            ds_put_cstr(&error, ": no collector, no sampling");
        }
        free(st->open_error);
        st->open_error = error.length ? ds_steal_cstr(&error) : NULL;
    }
    ds_destroy(&targets);

    ds_clear(&error);
    if (st->open_error) {
        ds_put_cstr(&error, st->open_error);
    }
    if (tx_errors) {
        uint64_t last = st->has_tx_errors ? st->tx_errors : 0;

        if (*tx_errors > last) {
            ds_put_format(&error, "%ssending to collector failed %"PRIu64
                          " times since the last refresh (see the log)",
                          error.length ? "; " : "", *tx_errors - last);
        }
        st->tx_errors = *tx_errors;
        st->has_tx_errors = true;
    } else {
        st->has_tx_errors = false;
    }

    smap_add_format(&status, "collectors", "%"PRIuSIZE, st->n_open);
    if (error.length) {
        smap_add(&status, "error", ds_cstr(&error));
    }
    ovsrec_ipfix_set_status(ipfix, &status);
    smap_destroy(&status);
    ds_destroy(&error);
}

/* Writes IPFIX:status of every IPFIX row that a bridge uses, for its own
 * sampling or for a Flow_Sample_Collector_Set. */
static void
refresh_all_ipfix_status(const struct ovsrec_open_vswitch *cfg)
{
    const struct ovsrec_flow_sample_collector_set *fscs;
    struct sset seen = SSET_INITIALIZER(&seen);
    struct shash_node *node;

    for (size_t i = 0; i < cfg->n_bridges; i++) {
        const struct ovsrec_bridge *br = cfg->bridges[i];
        struct ofproto *ofproto = ofproto_lookup(br->name);
        struct shash bridge = SHASH_INITIALIZER(&bridge);
        struct shash flows = SHASH_INITIALIZER(&flows);
        char *key;

        if (!ofproto) {
            continue;
        }
        if (br->ipfix) {
            get_ipfix_tx_errors(ofproto, true, &bridge);
            refresh_ipfix_status(br->ipfix, br->name,
                                 shash_find_data(&bridge, "0"), &seen);
        }
        OVSREC_FLOW_SAMPLE_COLLECTOR_SET_FOR_EACH (fscs, idl) {
            if (fscs->bridge != br || !fscs->ipfix) {
                continue;
            }
            if (shash_is_empty(&flows)) {
                get_ipfix_tx_errors(ofproto, false, &flows);
            }
            key = xasprintf("%"PRId64, fscs->id);
            char *set_key = xasprintf("%s/%s", br->name, key);
            refresh_ipfix_status(fscs->ipfix, set_key,
                                 shash_find_data(&flows, key), &seen);
            free(set_key);
            free(key);
        }
        shash_destroy_free_data(&bridge);
        shash_destroy_free_data(&flows);
    }
    SHASH_FOR_EACH_SAFE (node, &ipfix_states) {
        if (!sset_contains(&seen, node->name)) {
            ipfix_state_destroy(node->data);
            shash_delete(&ipfix_states, node);
        }
    }
    sset_destroy(&seen);
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
    refresh_all_ipfix_status(cfg);
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
