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

/* The codec of connection state on the standby: CT_SYNC_REQ, CT_SYNC and
 * CT_SYNC_DONE. */

#include <config.h>
#include "dpu-codec.h"
#include "dpu-codec-private.h"

#include "netlink.h"

static const struct nl_policy ct_sync_entry_policy[DPU_CT_SYNC_ATTR_MAX + 1]
= {
    [DPU_CT_SYNC_ATTR_ENTRY] = REQ(NL_A_NESTED),
    [DPU_CT_SYNC_ATTR_DELETED] = OPT(NL_A_FLAG),
    [DPU_CT_SYNC_ATTR_TIME] = REQ(NL_A_U64),
};

void
dpu_put_ct_sync_hdr(struct ofpbuf *b, enum dpu_msg_type type,
                    const struct dpu_ct_sync_hdr *h)
{
    nl_msg_put_u32(b, DPU_ATTR_CT_SYNC_GEN, h->gen);
    if (type != DPU_MSG_CT_SYNC_REQ) {
        nl_msg_put_u32(b, DPU_ATTR_CT_SYNC_SEQ, h->seq);
    }
    if (type == DPU_MSG_CT_SYNC_DONE) {
        nl_msg_put_u32(b, DPU_ATTR_CT_SYNC_COUNT, h->count);
    }
}

/* The policy of the message's type checked which attributes it has. */
void
dpu_parse_ct_sync_hdr(const struct dpu_msg *msg, struct dpu_ct_sync_hdr *h)
{
    const struct nlattr *seq = msg->attrs[DPU_ATTR_CT_SYNC_SEQ];
    const struct nlattr *count = msg->attrs[DPU_ATTR_CT_SYNC_COUNT];

    h->gen = nl_attr_get_u32(msg->attrs[DPU_ATTR_CT_SYNC_GEN]);
    h->seq = seq ? nl_attr_get_u32(seq) : 0;
    h->count = count ? nl_attr_get_u32(count) : 0;
}

void
dpu_put_ct_sync_entry(struct ofpbuf *b, const struct dpu_ct_sync_entry *e)
{
    size_t ofs = nl_msg_start_nested(b, DPU_ATTR_CT_SYNC);

    dpu_put_ct_entry(b, DPU_CT_SYNC_ATTR_ENTRY, &e->entry);
    if (e->deleted) {
        nl_msg_put_flag(b, DPU_CT_SYNC_ATTR_DELETED);
    }
    nl_msg_put_u64(b, DPU_CT_SYNC_ATTR_TIME, e->time_usec);
    nl_msg_end_nested(b, ofs);
}

bool
dpu_parse_ct_sync_entry(const struct nlattr *nla, struct dpu_ct_sync_entry *e)
{
    struct nlattr *a[DPU_CT_SYNC_ATTR_MAX + 1];

    if (!nl_parse_nested(nla, ct_sync_entry_policy, a, ARRAY_SIZE(a))
        || !dpu_parse_ct_entry(a[DPU_CT_SYNC_ATTR_ENTRY], &e->entry)) {
        return false;
    }
    e->deleted = a[DPU_CT_SYNC_ATTR_DELETED] != NULL;
    e->time_usec = nl_attr_get_u64(a[DPU_CT_SYNC_ATTR_TIME]);
    return true;
}
