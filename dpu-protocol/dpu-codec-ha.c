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

/* The codec of active-standby pairs: roles, SET_ROLE and handovers. */

#include <config.h>
#include "dpu-codec.h"
#include "dpu-codec-private.h"

#include <errno.h>

#include "byte-order.h"
#include "hash.h"
#include "openvswitch/dynamic-string.h"
#include "util.h"

const char *
dpu_role_to_string(uint32_t role)
{
    return (role == DPU_ROLE_ACTIVE ? "active"
            : role == DPU_ROLE_STANDBY ? "standby"
            : role == DPU_ROLE_PREPARE ? "prepare"
            : "unknown");
}

int
dpu_role_from_string(const char *s)
{
    for (int role = DPU_ROLE_ACTIVE; role <= DPU_ROLE_PREPARE; role++) {
        if (!strcmp(s, dpu_role_to_string(role))) {
            return role;
        }
    }
    return -1;
}

uint32_t
dpu_packet_hash(const void *data, size_t size)
{
    return hash_bytes(data, size, 0);
}

/* Handovers. */

/* The byte order of struct dpu_handover on the wire: the sender's in
 * version 1, network byte order from version 2 on. */
static uint32_t
handover_u32(uint32_t x, uint8_t version)
{
    return version >= 2 ? (OVS_FORCE uint32_t) htonl(x) : x;
}

/* Converts 'h' between host byte order and that of 'version' on the wire,
 * either way. */
static void
handover_convert(struct dpu_handover *h, uint8_t version)
{
    h->port_no = handover_u32(h->port_no, version);
    h->age_us = handover_u32(h->age_us, version);
    h->n_hashes = handover_u32(h->n_hashes, version);
    for (size_t j = 0; j < DPU_HANDOVER_HASHES; j++) {
        h->hashes[j] = handover_u32(h->hashes[j], version);
    }
}

void
dpu_put_handover(struct ofpbuf *b, const struct dpu_handover *h, size_t n,
                 uint8_t version)
{
    struct dpu_handover *wire = nl_msg_put_unspec_zero(
        b, DPU_ATTR_HANDOVER, n * sizeof *wire);

    for (size_t i = 0; i < n; i++) {
        memcpy(&wire[i], &h[i], sizeof *wire);
        handover_convert(&wire[i], version);
    }
}

int
dpu_parse_handover(const struct nlattr *nla, uint8_t version,
                   struct dpu_handover **hp, size_t *np, struct ds *why)
{
    size_t len = nl_attr_get_size(nla);
    size_t n = len / sizeof **hp;
    struct dpu_handover *h;

    *hp = NULL;
    *np = 0;
    if (n > DPU_MAX_HANDOVER || len % sizeof *h) {
        ds_put_format(why, "HANDOVER of %"PRIuSIZE" bytes is not 0 to %d "
                      "entries of %"PRIuSIZE" bytes", len, DPU_MAX_HANDOVER,
                      sizeof *h);
        return EINVAL;
    }

    /* The attribute's payload may not be aligned for struct dpu_handover:
     * copy it, then put it in host byte order. */
    h = xmalloc(MAX(n, 1) * sizeof *h);
    memcpy(h, nl_attr_get(nla), n * sizeof *h);
    for (size_t i = 0; i < n; i++) {
        handover_convert(&h[i], version);
        if (!h[i].n_hashes || h[i].n_hashes > DPU_HANDOVER_HASHES) {
            ds_put_format(why, "HANDOVER of port %"PRIu32" has %"PRIu32
                          " hashes (not 1 to %d)", h[i].port_no,
                          h[i].n_hashes, DPU_HANDOVER_HASHES);
            goto error;
        }
        for (size_t j = 0; j < i; j++) {
            if (h[j].port_no == h[i].port_no) {
                ds_put_format(why, "HANDOVER has port %"PRIu32" twice",
                              h[i].port_no);
                goto error;
            }
        }
    }
    *hp = h;
    *np = n;
    return 0;

error:
    free(h);
    return EINVAL;
}

/* SET_ROLE. */

void
dpu_put_role_request(struct ofpbuf *b, const struct dpu_role_request *rq,
                     uint8_t version)
{
    nl_msg_put_u32(b, DPU_ATTR_ROLE, rq->role);
    if (rq->lease_ms) {
        nl_msg_put_u32(b, DPU_ATTR_LEASE_MS, rq->lease_ms);
    }
    if (rq->drain_ms) {
        nl_msg_put_u32(b, DPU_ATTR_DRAIN_MS, rq->drain_ms);
    }
    if (rq->has_handover) {
        dpu_put_handover(b, rq->handover, rq->n_handover, version);
    }
    for (size_t i = 0; i < rq->n_uplinks; i++) {
        nl_msg_put_odp_port(b, DPU_ATTR_UPLINK, rq->uplinks[i]);
    }
}

int
dpu_parse_role_request(const struct ofpbuf *buf, const struct dpu_msg *msg,
                       struct dpu_role_request *rq, struct ds *why)
{
    const struct nlattr *handover = msg->attrs[DPU_ATTR_HANDOVER];
    const struct nlattr *nla;
    size_t left;

    memset(rq, 0, sizeof *rq);
    rq->role = nl_attr_get_u32(msg->attrs[DPU_ATTR_ROLE]);
    if (rq->role > DPU_ROLE_PREPARE) {
        ds_put_format(why, "unknown role %"PRIu32, rq->role);
        return EINVAL;
    }
    if (msg->attrs[DPU_ATTR_LEASE_MS]) {
        rq->lease_ms = nl_attr_get_u32(msg->attrs[DPU_ATTR_LEASE_MS]);
    }
    if (msg->attrs[DPU_ATTR_DRAIN_MS]) {
        rq->drain_ms = nl_attr_get_u32(msg->attrs[DPU_ATTR_DRAIN_MS]);
    }
    DPU_MSG_FOR_EACH_ATTR (nla, left, buf) {
        /* The policy checked the size of every UPLINK. */
        if (nl_attr_type(nla) != DPU_ATTR_UPLINK) {
            continue;
        } else if (rq->n_uplinks >= DPU_MAX_UPLINKS) {
            ds_put_format(why, "more than %d uplinks", DPU_MAX_UPLINKS);
            return EINVAL;
        }
        rq->uplinks[rq->n_uplinks++] = nl_attr_get_odp_port(nla);
    }
    if (handover) {
        int error = dpu_parse_handover(handover, msg->version, &rq->handover,
                                       &rq->n_handover, why);
        if (error) {
            return error;
        }
        rq->has_handover = true;
    }
    return 0;
}

void
dpu_role_request_destroy(struct dpu_role_request *rq)
{
    if (rq) {
        free(rq->handover);
        rq->handover = NULL;
    }
}
