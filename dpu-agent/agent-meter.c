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
#include "agent-meter.h"

#include <errno.h>

#include "agent-datapath.h"
#include "dpif.h"
#include "dpu-codec.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofp-meter.h"
#include "openvswitch/ofpbuf.h"
#include "util.h"

static struct dpif *
meter_dpif(const struct agent_request *req)
{
    return agent_dp_dpif(agent_server_dp(req->server));
}

int
agent_meter_features(const struct agent_request *req, struct ofpbuf *reply,
                     struct ds *why OVS_UNUSED)
{
    struct ofputil_meter_features features;

    dpif_meter_get_features(meter_dpif(req), &features);
    dpu_put_meter_features(reply, DPU_ATTR_METER_FEATURES, &features);
    return 0;
}

/* Checks 'config' of meter 'id' against the datapath's 'features'.  Returns
 * 0 or a positive errno value, with the cause appended to 'why'. */
static int
check_meter(uint32_t id, const struct ofputil_meter_config *config,
            const struct ofputil_meter_features *features, struct ds *why)
{
    if (id >= features->max_meters) {
        ds_put_format(why, "id out of range (%"PRIu32" meters)",
                      features->max_meters);
        return EFBIG;
    }
    if (config->flags & ~features->capabilities) {
        ds_put_format(why, "unsupported flags %#"PRIx32,
                      config->flags & ~features->capabilities);
        return EINVAL;
    }
    for (size_t i = 0; i < config->n_bands; i++) {
        uint16_t type = config->bands[i].type;

        if (type >= 32 || !(features->band_types & (UINT32_C(1) << type))) {
            ds_put_format(why, "band %"PRIuSIZE": unsupported type %"PRIu16,
                          i + 1, type);
            return EINVAL;
        }
    }
    return 0;
}

int
agent_meter_set(const struct agent_request *req,
                struct ofpbuf *reply OVS_UNUSED, struct ds *why)
{
    uint32_t id = nl_attr_get_u32(req->msg->attrs[DPU_ATTR_METER_ID]);
    struct ofputil_meter_band bands[DPU_METER_MAX_BANDS];
    struct ofputil_meter_features features;
    ofproto_meter_id meter_id = { .uint32 = id };
    struct ofputil_meter_config config;
    struct dpif *dpif = meter_dpif(req);
    int error;

    dpif_meter_get_features(dpif, &features);
    ds_put_format(why, "meter %"PRIu32": ", id);
    error = dpu_parse_meter_config(req->msg->attrs[DPU_ATTR_METER], &config,
                                   bands, MIN(features.max_bands,
                                              DPU_METER_MAX_BANDS), why);
    if (!error) {
        error = check_meter(id, &config, &features, why);
    }
    if (!error) {
        error = dpif_meter_set(dpif, meter_id, &config);
        if (error) {
            ds_put_cstr(why, ovs_strerror(error));
        }
    }
    return error;
}

/* Appends the statistics of the meter of METER_GET or METER_DEL 'req' to
 * 'reply', and with 'del' deletes it. */
static int
meter_stats(const struct agent_request *req, struct ofpbuf *reply,
            struct ds *why, bool del)
{
    uint32_t id = nl_attr_get_u32(req->msg->attrs[DPU_ATTR_METER_ID]);
    struct ofputil_meter_band_stats bands[DPU_METER_MAX_BANDS];
    struct ofputil_meter_stats stats = { .bands = bands };
    ofproto_meter_id meter_id = { .uint32 = id };
    int error;

    error = (del
             ? dpif_meter_del(meter_dpif(req), meter_id, &stats,
                              DPU_METER_MAX_BANDS)
             : dpif_meter_get(meter_dpif(req), meter_id, &stats,
                              DPU_METER_MAX_BANDS));
    if (error) {
        ds_put_format(why, "meter %"PRIu32": %s", id, ovs_strerror(error));
    } else {
        dpu_put_meter_stats(reply, DPU_ATTR_METER_STATS, &stats);
    }
    return error;
}

int
agent_meter_get(const struct agent_request *req, struct ofpbuf *reply,
                struct ds *why)
{
    return meter_stats(req, reply, why, false);
}

int
agent_meter_del(const struct agent_request *req, struct ofpbuf *reply,
                struct ds *why)
{
    return meter_stats(req, reply, why, true);
}
