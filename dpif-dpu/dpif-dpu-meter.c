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
#include "dpif-dpu-private.h"

#include <errno.h>

#include "coverage.h"
#include "ct-dpif.h"
#include "dpu-codec.h"
#include "dpu-conn.h"
#include "dpu-ha.h"
#include "hash.h"
#include "netlink.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/vlog.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(dpif_dpu_meter);

COVERAGE_DEFINE(dpif_dpu_meter_deferred);   /* Meter kept for re-sync. */

/* Meters that a DPU refused: they follow what an operator or a controller
 * does, and a refusal that persists repeats at every change.  The burst
 * shows every refusal of a batch of changes. */
static struct vlog_rate_limit config_rl = VLOG_RATE_LIMIT_INIT(5, 20);

/* Helpers: the meter shadow table. */

static struct dp_dpu_meter *
dp_dpu_find_meter(const struct dp_dpu *dp, uint32_t id)
    OVS_REQUIRES(dp->mutex)
{
    struct dp_dpu_meter *meter;

    HMAP_FOR_EACH_WITH_HASH (meter, node, hash_int(id, 0), &dp->meters) {
        if (meter->id == id) {
            return meter;
        }
    }
    return NULL;
}

static void
dp_dpu_meter_free(struct dp_dpu_meter *meter)
{
    if (meter) {
        free(meter->config.bands);
        free(meter);
    }
}

/* Returns a METER_SET request for meter 'id' with 'config'. */
static struct ofpbuf *
meter_set_request(uint32_t id, const struct ofputil_meter_config *config)
{
    struct ofpbuf *b = dp_dpu_request_start(DPU_MSG_METER_SET);

    nl_msg_put_u32(b, DPU_ATTR_METER_ID, id);
    dpu_put_meter_config(b, DPU_ATTR_METER, config);
    return b;
}

/* Meters.
 *
 * Every meter goes to every DPU, since a flow on any of them may use it, and
 * stays in the shadow table to be set again on DPUs that come back.  A DPU
 * that did not announce DPU_CAP_METERS gets no meter requests. */

void
dpif_dpu_meter_get_features(const struct dpif *dpif OVS_UNUSED,
                            struct ofputil_meter_features *features)
{
    struct dpu_conn **conns;
    size_t n = dpu_conn_get_all(&conns);
    bool answered = false;

    /* What every DPU that answers supports; without any, no meters. */
    memset(features, 0, sizeof *features);
    for (size_t i = 0; i < n; i++) {
        struct ofputil_meter_features f;
        struct ofpbuf *reply = NULL;
        struct dpu_msg msg;

        if (dp_dpu_conn_has_cap_up(conns[i], DPU_CAP_METERS)
            && !dp_dpu_transact(conns[i], dp_dpu_request_start(DPU_MSG_METER_FEATURES),
                         &reply, &msg)
            && dpu_parse_meter_features(msg.attrs[DPU_ATTR_METER_FEATURES],
                                        &f)) {
            if (!answered) {
                *features = f;
                answered = true;
            } else {
                features->max_meters = MIN(features->max_meters,
                                           f.max_meters);
                features->band_types &= f.band_types;
                features->capabilities &= f.capabilities;
                features->max_bands = MIN(features->max_bands, f.max_bands);
                features->max_color = MIN(features->max_color, f.max_color);
            }
        }
        ofpbuf_delete(reply);
        dpu_conn_unref(conns[i]);
    }
    free(conns);
}

/* Sends meter request 'type' for meter 'id' (with 'config' for METER_SET)
 * to every DPU that is up and has meters, and adds the statistics they
 * answer (for METER_GET and METER_DEL) into 'stats', if nonnull, which has
 * room for 'n_bands' bands.  Returns 0 or the first error of a DPU other
 * than ENOTCONN. */
static int
meter_transact_all(enum dpu_msg_type type, uint32_t id,
                   const struct ofputil_meter_config *config,
                   struct ofputil_meter_stats *stats, uint16_t n_bands)
{
    struct ofputil_meter_band_stats *bands = xcalloc(MAX(n_bands, 1),
                                                     sizeof *bands);
    struct dpu_conn **conns;
    size_t n = dpu_conn_get_all(&conns);
    int error = 0;

    if (stats) {
        stats->packet_in_count = stats->byte_in_count = 0;
        stats->n_bands = n_bands;
        memset(stats->bands, 0, n_bands * sizeof *stats->bands);
    }
    for (size_t i = 0; i < n; i++) {
        struct ofputil_meter_stats dpu_stats = { .bands = bands };
        struct ofpbuf *b, *reply = NULL;
        struct dpu_msg msg;
        int retval;

        if (!dp_dpu_conn_has_cap_up(conns[i], DPU_CAP_METERS)) {
            if (type == DPU_MSG_METER_SET && !dpu_conn_is_up(conns[i])) {
                /* Set at re-sync. */
                COVERAGE_INC(dpif_dpu_meter_deferred);
            }
            dpu_conn_unref(conns[i]);
            continue;
        }
        if (type == DPU_MSG_METER_SET) {
            b = meter_set_request(id, config);
        } else {
            b = dp_dpu_request_start(type);
            nl_msg_put_u32(b, DPU_ATTR_METER_ID, id);
        }
        retval = dp_dpu_transact(conns[i], b, &reply, &msg);
        if (!retval && stats && type != DPU_MSG_METER_SET) {
            if (dpu_parse_meter_stats(msg.attrs[DPU_ATTR_METER_STATS],
                                      &dpu_stats, n_bands)) {
                stats->packet_in_count += dpu_stats.packet_in_count;
                stats->byte_in_count += dpu_stats.byte_in_count;
                stats->n_bands = MIN(stats->n_bands, dpu_stats.n_bands);
                for (size_t j = 0; j < dpu_stats.n_bands; j++) {
                    stats->bands[j].packet_count += bands[j].packet_count;
                    stats->bands[j].byte_count += bands[j].byte_count;
                }
            } else {
                retval = EPROTO;
            }
        }
        if (retval && retval != ENOTCONN && !error) {
            VLOG_WARN_RL(&config_rl,
                         "%s of meter %"PRIu32" on DPU %s failed (%s)",
                         dpu_msg_type_to_string(type), id,
                         dpu_conn_get_name(conns[i]), ovs_strerror(retval));
            error = retval;
        }
        ofpbuf_delete(reply);
        dpu_conn_unref(conns[i]);
    }
    free(conns);
    free(bands);
    return error;
}

int
dpif_dpu_meter_set(struct dpif *dpif, ofproto_meter_id meter_id,
                   struct ofputil_meter_config *config)
{
    struct dp_dpu *dp = dp_dpu_from_dpif(dpif);
    uint32_t id = meter_id.uint32;
    struct dp_dpu_meter *meter, *old;
    int error;

    meter = xzalloc(sizeof *meter);
    meter->id = id;
    meter->config = *config;
    meter->config.bands = xmemdup(config->bands,
                                  config->n_bands * sizeof *config->bands);

    ovs_mutex_lock(&dp->mutex);
    old = dp_dpu_find_meter(dp, id);
    if (old) {
        hmap_replace(&dp->meters, &old->node, &meter->node);
    } else {
        hmap_insert(&dp->meters, &meter->node, hash_int(id, 0));
    }
    ovs_mutex_unlock(&dp->mutex);

    error = meter_transact_all(DPU_MSG_METER_SET, id, config, NULL, 0);

    ovs_mutex_lock(&dp->mutex);
    if (error) {
        /* A DPU refused it: keep what was there before. */
        if (old) {
            hmap_replace(&dp->meters, &meter->node, &old->node);
            old = NULL;
        } else {
            hmap_remove(&dp->meters, &meter->node);
        }
        dp_dpu_meter_free(meter);
    }
    ovs_mutex_unlock(&dp->mutex);
    dp_dpu_meter_free(old);
    return error;
}

int
dpif_dpu_meter_get(const struct dpif *dpif, ofproto_meter_id meter_id,
                   struct ofputil_meter_stats *stats, uint16_t n_bands)
{
    struct dp_dpu *dp = dp_dpu_from_dpif(dpif);
    bool exists;

    ovs_mutex_lock(&dp->mutex);
    exists = dp_dpu_find_meter(dp, meter_id.uint32) != NULL;
    ovs_mutex_unlock(&dp->mutex);
    if (!exists) {
        return ENOENT;
    }
    return meter_transact_all(DPU_MSG_METER_GET, meter_id.uint32, NULL,
                              stats, n_bands);
}

int
dpif_dpu_meter_del(struct dpif *dpif, ofproto_meter_id meter_id,
                   struct ofputil_meter_stats *stats, uint16_t n_bands)
{
    struct dp_dpu *dp = dp_dpu_from_dpif(dpif);
    struct dp_dpu_meter *meter;

    ovs_mutex_lock(&dp->mutex);
    meter = dp_dpu_find_meter(dp, meter_id.uint32);
    if (meter) {
        hmap_remove(&dp->meters, &meter->node);
    }
    ovs_mutex_unlock(&dp->mutex);
    if (!meter) {
        return ENOENT;
    }
    dp_dpu_meter_free(meter);
    return meter_transact_all(DPU_MSG_METER_DEL, meter_id.uint32, NULL,
                              stats, n_bands);
}

void
dp_dpu_meters_resync(struct dp_dpu *dp, struct dpu_conn *conn,
                     struct ovs_list *requests)
    OVS_REQUIRES(dp->mutex)
{
    struct dp_dpu_meter *meter;

    if (!dp_dpu_conn_has_cap_up(conn, DPU_CAP_METERS)) {
        return;
    }
    HMAP_FOR_EACH (meter, node, &dp->meters) {
        struct ofpbuf *b = meter_set_request(meter->id, &meter->config);

        ovs_list_push_back(requests, &b->list_node);
    }
}

void
dp_dpu_meters_destroy(struct dp_dpu *dp)
{
    struct dp_dpu_meter *meter;

    HMAP_FOR_EACH_POP (meter, node, &dp->meters) {
        dp_dpu_meter_free(meter);
    }
    hmap_destroy(&dp->meters);
}
