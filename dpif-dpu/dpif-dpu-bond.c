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

#include "dpu-codec.h"
#include "dpu-conn.h"
#include "hash.h"
#include "netlink.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/vlog.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(dpif_dpu_bond);

/* Bond changes that a DPU refused: ofproto-dpif changes a bond's buckets
 * at every rebalance and every change of its members, so one fault
 * repeats.  The burst shows the refusals of a batch of changes. */
static struct vlog_rate_limit config_rl = VLOG_RATE_LIMIT_INIT(5, 20);

/* Datapath bonds.
 *
 * ofproto-dpif balances a balance-tcp bond with lb_output actions when the
 * datapath says it can (dpif_dpu_supports_lb_output_action()): it gives
 * the datapath the member of each bucket of the bond, and reads the bytes
 * that each bucket sent, to rebalance.  Every bond goes to every DPU that
 * executes lb_output, since a flow on any of them may use it, and stays in
 * the shadow table to be set again on DPUs that come back.  Statistics add
 * up over the DPUs, and never go backwards: after a DPU restarts, a bucket
 * reports what it reported last until it has sent more. */

/* A bond set through this datapath. */
struct dp_dpu_bond {
    struct hmap_node node;      /* In dp_dpu's 'bonds', by id. */
    uint32_t id;
    odp_port_t members[DPU_BOND_BUCKETS];
    uint64_t n_bytes[DPU_BOND_BUCKETS]; /* Bytes last reported. */
};

static struct dp_dpu_bond *
dp_dpu_find_bond(const struct dp_dpu *dp, uint32_t id)
    OVS_REQUIRES(dp->mutex)
{
    struct dp_dpu_bond *bond;

    HMAP_FOR_EACH_WITH_HASH (bond, node, hash_int(id, 0), &dp->bonds) {
        if (bond->id == id) {
            return bond;
        }
    }
    return NULL;
}

/* Returns true if 'conn' is up and executes lb_output actions, which is
 * what a DPU must do to get bonds. */
static bool
conn_has_bonds(const struct dpu_conn *conn)
{
    bool explicit_drop, lb_output = false;

    if (dpu_conn_is_up(conn)) {
        dpu_conn_get_caps(conn, &explicit_drop, &lb_output);
    }
    return lb_output;
}

static struct ofpbuf *
bond_set_request(uint32_t id, const odp_port_t *members)
{
    struct ofpbuf *b = dp_dpu_request_start(DPU_MSG_BOND_SET);

    nl_msg_put_u32(b, DPU_ATTR_BOND_ID, id);
    dpu_put_bond_members(b, members);
    return b;
}

/* Adds the bytes of each bucket of BOND_STATS reply 'msg' to 'n_bytes_'. */
static void
bond_stats_add(const struct dpu_msg *msg, void *n_bytes_)
{
    uint64_t dpu_bytes[DPU_BOND_BUCKETS];
    uint64_t *n_bytes = n_bytes_;

    dpu_parse_bond_stats(msg->attrs[DPU_ATTR_BOND_STATS], dpu_bytes);
    for (size_t i = 0; i < DPU_BOND_BUCKETS; i++) {
        n_bytes[i] += dpu_bytes[i];
    }
}

/* Sends 'request' (taking ownership) about bond 'id' to every DPU that is
 * up and has bonds, and adds the statistics of a BOND_STATS reply into
 * 'n_bytes'.  Returns 0 or the first error of a DPU other than ENOTCONN,
 * which it logs. */
static int
bond_transact_all(struct ofpbuf *request, uint32_t id, uint64_t *n_bytes)
{
    enum dpu_msg_type type = ((struct dpu_header *) request->data)->type;
    int error;

    error = dp_dpu_transact_each(request, conn_has_bonds,
                                 n_bytes ? bond_stats_add : NULL, n_bytes);
    if (error) {
        VLOG_WARN_RL(&config_rl, "%s of bond %"PRIu32" failed on a DPU (%s)",
                     dpu_msg_type_to_string(type), id, ovs_strerror(error));
    }
    ofpbuf_delete(request);
    return error;
}

/* Starts a BOND_DEL or BOND_STATS request for bond 'id'. */
static struct ofpbuf *
bond_id_request(enum dpu_msg_type type, uint32_t id)
{
    struct ofpbuf *b = dp_dpu_request_start(type);

    nl_msg_put_u32(b, DPU_ATTR_BOND_ID, id);
    return b;
}

int
dpif_dpu_bond_add(struct dpif *dpif, uint32_t bond_id,
                  odp_port_t *member_map)
{
    struct dp_dpu *dp = dp_dpu_from_dpif(dpif);
    struct dp_dpu_bond *bond;

    ovs_mutex_lock(&dp->mutex);
    bond = dp_dpu_find_bond(dp, bond_id);
    if (!bond) {
        bond = xzalloc(sizeof *bond);
        bond->id = bond_id;
        hmap_insert(&dp->bonds, &bond->node, hash_int(bond_id, 0));
    }
    memcpy(bond->members, member_map, sizeof bond->members);
    ovs_mutex_unlock(&dp->mutex);

    /* Kept even if a DPU refused it: flows that use it fail on that DPU
     * alone, and it is set again when the DPU comes back. */
    return bond_transact_all(bond_set_request(bond_id, member_map), bond_id,
                             NULL);
}

int
dpif_dpu_bond_del(struct dpif *dpif, uint32_t bond_id)
{
    struct dp_dpu *dp = dp_dpu_from_dpif(dpif);
    struct dp_dpu_bond *bond;

    ovs_mutex_lock(&dp->mutex);
    bond = dp_dpu_find_bond(dp, bond_id);
    if (bond) {
        hmap_remove(&dp->bonds, &bond->node);
    }
    ovs_mutex_unlock(&dp->mutex);
    if (!bond) {
        return ENOENT;
    }
    free(bond);
    return bond_transact_all(bond_id_request(DPU_MSG_BOND_DEL, bond_id),
                             bond_id, NULL);
}

int
dpif_dpu_bond_stats_get(struct dpif *dpif, uint32_t bond_id,
                        uint64_t *n_bytes)
{
    struct dp_dpu *dp = dp_dpu_from_dpif(dpif);
    struct dp_dpu_bond *bond;
    bool exists;
    int error;

    ovs_mutex_lock(&dp->mutex);
    exists = dp_dpu_find_bond(dp, bond_id) != NULL;
    ovs_mutex_unlock(&dp->mutex);
    if (!exists) {
        return ENOENT;
    }

    memset(n_bytes, 0, DPU_BOND_BUCKETS * sizeof *n_bytes);
    error = bond_transact_all(bond_id_request(DPU_MSG_BOND_STATS, bond_id),
                              bond_id, n_bytes);

    ovs_mutex_lock(&dp->mutex);
    bond = dp_dpu_find_bond(dp, bond_id);
    if (bond) {
        for (size_t i = 0; i < DPU_BOND_BUCKETS; i++) {
            n_bytes[i] = MAX(n_bytes[i], bond->n_bytes[i]);
            bond->n_bytes[i] = n_bytes[i];
        }
    }
    ovs_mutex_unlock(&dp->mutex);
    return error;
}

void
dp_dpu_bonds_resync(struct dp_dpu *dp, struct dpu_conn *conn,
                    struct ovs_list *requests)
    OVS_REQUIRES(dp->mutex)
{
    struct dp_dpu_bond *bond;

    if (!conn_has_bonds(conn)) {
        return;
    }
    HMAP_FOR_EACH (bond, node, &dp->bonds) {
        struct ofpbuf *b = bond_set_request(bond->id, bond->members);

        ovs_list_push_back(requests, &b->list_node);
    }
}

void
dp_dpu_bonds_destroy(struct dp_dpu *dp)
{
    struct dp_dpu_bond *bond;

    HMAP_FOR_EACH_POP (bond, node, &dp->bonds) {
        free(bond);
    }
    hmap_destroy(&dp->bonds);
}
