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
#include "agent-bond.h"

#include <errno.h>

#include "agent-datapath.h"
#include "dpif.h"
#include "dpu-codec.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofpbuf.h"
#include "util.h"

static struct dpif *
bond_dpif(const struct agent_request *req)
{
    return agent_dp_dpif(agent_server_dp(req->server));
}

static uint32_t
bond_id(const struct agent_request *req)
{
    return nl_attr_get_u32(req->msg->attrs[DPU_ATTR_BOND_ID]);
}

int
agent_bond_set(const struct agent_request *req,
               struct ofpbuf *reply OVS_UNUSED, struct ds *why)
{
    odp_port_t members[DPU_BOND_BUCKETS];
    int error;

    dpu_parse_bond_members(req->msg->attrs[DPU_ATTR_BOND_MEMBERS], members);
    error = dpif_bond_add(bond_dpif(req), bond_id(req), members);
    if (error) {
        ds_put_format(why, "bond %"PRIu32": %s", bond_id(req),
                      ovs_strerror(error));
    }
    return error;
}

int
agent_bond_del(const struct agent_request *req,
               struct ofpbuf *reply OVS_UNUSED, struct ds *why)
{
    int error = dpif_bond_del(bond_dpif(req), bond_id(req));

    if (error) {
        ds_put_format(why, "bond %"PRIu32": %s", bond_id(req),
                      ovs_strerror(error));
    }
    return error;
}

int
agent_bond_stats(const struct agent_request *req, struct ofpbuf *reply,
                 struct ds *why)
{
    uint64_t n_bytes[DPU_BOND_BUCKETS];
    int error;

    memset(n_bytes, 0, sizeof n_bytes);
    error = dpif_bond_stats_get(bond_dpif(req), bond_id(req), n_bytes);
    if (error) {
        ds_put_format(why, "bond %"PRIu32": %s", bond_id(req),
                      ovs_strerror(error));
    } else {
        dpu_put_bond_stats(reply, n_bytes);
    }
    return error;
}
