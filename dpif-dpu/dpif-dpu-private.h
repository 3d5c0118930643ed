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

#ifndef DPIF_DPU_PRIVATE_H
#define DPIF_DPU_PRIVATE_H 1

/* What the files of the "dpu" datapath provider share, and nobody else:
 * dpif-dpu.c (the datapath, its ports, flows, upcalls and re-sync),
 * dpif-dpu-ct.c (conntrack) and dpif-dpu-meter.c (meters).  The rest of
 * OVS reaches them through dpif_dpu_class (dpif-dpu.h). */

#include <stdbool.h>
#include <stdint.h>
#include "ct-dpif.h"
#include "dpif-provider.h"
#include "dpu-wire.h"
#include "openvswitch/hmap.h"
#include "openvswitch/list.h"
#include "openvswitch/ofp-meter.h"
#include "openvswitch/shash.h"
#include "ovs-thread.h"

struct dpu_conn;
struct dpu_msg;
struct ofpbuf;

/* A datapath.  There is one per name; every dpif_dpu opened with the name
 * shares it.
 *
 * Lock order: 'dp_dpu_mutex', then 'upcall_rwlock', then 'mutex', then
 * dpu-ha's and a dpu_conn's internal mutexes.  No lock is held across
 * dpu_conn_transact(), except 'sync_mutex', which only dpif_dpu_run()
 * takes.
 *
 * 'ha' runs the datapath's "dpu_ha" thread, which reads the links of the
 * uplinks, decides failovers and tells the DPUs their roles (see dpu-ha.h);
 * it calls back into this datapath with no lock held. */
struct dp_dpu {
    char *name;
    struct ovs_refcount ref_cnt;
    const struct dpif_class *class;

    struct ovs_mutex mutex;
    struct hmap ports OVS_GUARDED;          /* struct dp_dpu_port. */
    struct hmap flows OVS_GUARDED;          /* struct dp_dpu_flow. */
    struct hmap meters OVS_GUARDED;         /* struct dp_dpu_meter. */
    struct hmap bonds OVS_GUARDED;          /* struct dp_dpu_bond. */
    uint32_t ct_maxconns OVS_GUARDED;       /* Set by the host, if nonzero. */
    bool ct_default_limit_set OVS_GUARDED;  /* Host set a default limit. */
    uint32_t ct_default_limit OVS_GUARDED;
    struct ovs_list ct_zone_limits OVS_GUARDED; /* ct_dpif_zone_limit. */
    struct hmap ct_tps OVS_GUARDED;         /* struct dp_dpu_ct_tp. */
    struct shash members OVS_GUARDED;       /* struct dp_dpu_member. */
    uint64_t port_seq OVS_GUARDED;          /* Changes when ports change. */
    uint64_t n_lost OVS_GUARDED;            /* Upcalls dropped on host. */
    uint64_t n_upcalls OVS_GUARDED;
    uint64_t n_deferred OVS_GUARDED;        /* Ops kept for re-sync. */
    uint64_t n_resyncs OVS_GUARDED;

    struct ovs_mutex sync_mutex;

    struct dpu_ha_dp *ha;       /* Active-standby control. */

    /* Guarded by 'upcall_rwlock'. */
    struct ovs_rwlock upcall_rwlock;
    struct dp_dpu_handler *handlers OVS_GUARDED;
    uint32_t n_handlers OVS_GUARDED;
    bool recv_enabled OVS_GUARDED;
};

struct dpif_dpu {
    struct dpif dpif;
    struct dp_dpu *dp;
    uint64_t last_port_seq;
    uint64_t last_tnl_conf_seq; /* 'tnl_conf_seq' when last revalidated. */
};

/* A meter set through this datapath. */
struct dp_dpu_meter {
    struct hmap_node node;      /* In dp_dpu's 'meters', by id. */
    uint32_t id;
    struct ofputil_meter_config config;    /* Owns 'bands'. */
};

/* A conntrack timeout policy set through this datapath. */
struct dp_dpu_ct_tp {
    struct hmap_node node;      /* In dp_dpu's 'ct_tps', by id. */
    struct ct_dpif_timeout_policy tp;
};

/* Shared by the provider's files (dpif-dpu.c). */
struct dp_dpu *dp_dpu_from_dpif(const struct dpif *);

/* Starts a request of 'type' in a new buffer. */
struct ofpbuf *dp_dpu_request_start(enum dpu_msg_type type);

/* Sends 'b' (finishing it first) to 'conn' and waits for the reply, which is
 * stored in '*replyp' and '*msg' if those are nonnull.  Returns 0 or a
 * positive errno value (see dpu_conn_transact()). */
int dp_dpu_transact(struct dpu_conn *, struct ofpbuf *b,
                    struct ofpbuf **replyp, struct dpu_msg *msg);

/* Sends a copy of 'request' to every DPU that serves it (see dpif-dpu.c).
 * Returns 0 if no DPU failed, otherwise the first failure's errno value.
 * dp_dpu_transact_each() also passes each successful reply to 'reply_cb'
 * and, with 'serves', chooses which DPUs serve it. */
int dp_dpu_transact_all(const struct ofpbuf *request);
int dp_dpu_transact_each(const struct ofpbuf *request,
                         bool (*serves)(const struct dpu_conn *),
                         void (*reply_cb)(const struct dpu_msg *, void *aux),
                         void *aux);

/* Whether 'conn' is up and announced capability 'cap' (DPU_CAP_*). */
bool dp_dpu_conn_has_cap_up(const struct dpu_conn *, uint32_t cap);

/* What every DPU that is up announced in its HELLO: the DPU_CAP_* bits they
 * share, and whether all of them execute explicit drop and lb_output
 * actions.  With no DPU up, nothing. */
uint32_t dp_dpu_get_features(bool *explicit_drop, bool *lb_output);

/* Stores in '*connsp' the DPUs whose state a dump walks, and returns how
 * many: every DPU, sorted by name, or of an active-standby pair only the
 * active one. */
size_t dp_dpu_get_dump_conns(struct dpu_conn ***connsp);

/* A new id for a flow or conntrack dump. */
uint32_t dp_dpu_next_dump_id(void);

/* Conntrack (dpif-dpu-ct.c). */
int dpif_dpu_ct_flush(struct dpif *, const uint16_t *zone,
                      const struct ct_dpif_tuple *);
int dpif_dpu_ct_dump_start(struct dpif *, struct ct_dpif_dump_state **,
                           const uint16_t *zone, int *ptot_bkts);
int dpif_dpu_ct_dump_next(struct dpif *, struct ct_dpif_dump_state *,
                          struct ct_dpif_entry *);
int dpif_dpu_ct_dump_done(struct dpif *, struct ct_dpif_dump_state *);
int dpif_dpu_ct_set_maxconns(struct dpif *, uint32_t maxconns);
int dpif_dpu_ct_get_maxconns(struct dpif *, uint32_t *maxconns);
int dpif_dpu_ct_get_nconns(struct dpif *, uint32_t *nconns);
int dpif_dpu_ct_set_limits(struct dpif *, const uint32_t *default_limit,
                           const struct ovs_list *zone_limits);
int dpif_dpu_ct_get_limits(struct dpif *, uint32_t *default_limit,
                           const struct ovs_list *zone_limits_in,
                           struct ovs_list *zone_limits_out);
int dpif_dpu_ct_del_limits(struct dpif *, const struct ovs_list *);
int dpif_dpu_ct_set_timeout_policy(struct dpif *,
                                   const struct ct_dpif_timeout_policy *);
int dpif_dpu_ct_get_timeout_policy(struct dpif *, uint32_t tp_id,
                                   struct ct_dpif_timeout_policy *);
int dpif_dpu_ct_del_timeout_policy(struct dpif *, uint32_t tp_id);
int dpif_dpu_ct_get_timeout_policy_name(struct dpif *, uint32_t tp_id,
                                        uint16_t dl_type, uint8_t nw_proto,
                                        char **tp_name, bool *is_generic);
int dpif_dpu_ct_get_features(struct dpif *, enum ct_features *);

/* Appends to 'requests' the requests that set the conntrack settings of
 * 'dp' on 'conn' again, at its re-sync. */
void dp_dpu_ct_resync(struct dp_dpu *dp, struct dpu_conn *,
                      struct ovs_list *requests) OVS_REQUIRES(dp->mutex);

/* Frees the conntrack settings of 'dp', which is being destroyed. */
void dp_dpu_ct_destroy(struct dp_dpu *);

/* Meters (dpif-dpu-meter.c). */
void dpif_dpu_meter_get_features(const struct dpif *,
                                 struct ofputil_meter_features *);
int dpif_dpu_meter_set(struct dpif *, ofproto_meter_id,
                       struct ofputil_meter_config *);
int dpif_dpu_meter_get(const struct dpif *, ofproto_meter_id,
                       struct ofputil_meter_stats *, uint16_t n_bands);
int dpif_dpu_meter_del(struct dpif *, ofproto_meter_id,
                       struct ofputil_meter_stats *, uint16_t n_bands);

/* Appends to 'requests' the requests that set every meter of 'dp' on
 * 'conn' again, at its re-sync. */
void dp_dpu_meters_resync(struct dp_dpu *dp, struct dpu_conn *,
                          struct ovs_list *requests) OVS_REQUIRES(dp->mutex);

/* Frees the meters of 'dp', which is being destroyed. */
void dp_dpu_meters_destroy(struct dp_dpu *);

/* Datapath bonds (dpif-dpu-bond.c). */
int dpif_dpu_bond_add(struct dpif *, uint32_t bond_id,
                      odp_port_t *member_map);
int dpif_dpu_bond_del(struct dpif *, uint32_t bond_id);
int dpif_dpu_bond_stats_get(struct dpif *, uint32_t bond_id,
                            uint64_t *n_bytes);

/* Appends to 'requests' the requests that set every bond of 'dp' on 'conn'
 * again, at its re-sync. */
void dp_dpu_bonds_resync(struct dp_dpu *dp, struct dpu_conn *,
                         struct ovs_list *requests) OVS_REQUIRES(dp->mutex);

/* Frees the bonds of 'dp', which is being destroyed. */
void dp_dpu_bonds_destroy(struct dp_dpu *);

#endif /* dpif-dpu-private.h */
