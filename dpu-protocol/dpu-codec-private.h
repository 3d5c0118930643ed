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

#ifndef DPU_CODEC_PRIVATE_H
#define DPU_CODEC_PRIVATE_H 1

/* What the files of the codec (dpu-codec*.c) share, and nobody else. */

#include <stdint.h>
#include "dpu-wire.h"
#include "netlink.h"
#include "openvswitch/ofpbuf.h"

/* Shorthands for policy entries. */
#define REQ(TYPE) { .type = TYPE }
#define OPT(TYPE) { .type = TYPE, .optional = true }
#define STR_REQ { .type = NL_A_STRING, .max_len = 1024 }
#define STR_OPT { .type = NL_A_STRING, .max_len = 1024, .optional = true }
#define ETH_OPT { .type = NL_A_UNSPEC, .min_len = 6, .max_len = 6, \
                  .optional = true }
#define ETH_REQ { .type = NL_A_UNSPEC, .min_len = 6, .max_len = 6 }
#define PORT_NAME_REQ { .type = NL_A_STRING, .min_len = 2, .max_len = 256 }
#define QOS_TYPE_REQ { .type = NL_A_STRING, .max_len = 64 }
#define PKT_REQ { .type = NL_A_UNSPEC, .min_len = 14, .max_len = UINT16_MAX }

/* Counters that a device or a datapath does not keep are UINT64_MAX in
 * Open vSwitch's structures and absent on the wire. */

/* Puts 'value' as 'type' into 'b' unless it is UINT64_MAX (unknown). */
static inline void
put_known_u64(struct ofpbuf *b, uint16_t type, uint64_t value)
{
    if (value != UINT64_MAX) {
        nl_msg_put_u64(b, type, value);
    }
}

/* Returns the value of optional u64 attribute 'nla', UINT64_MAX (unknown)
 * if it is null. */
static inline uint64_t
get_known_u64(const struct nlattr *nla)
{
    return nla ? nl_attr_get_u64(nla) : UINT64_MAX;
}

/* Returns the number of top-level attributes of type 'type' in message
 * 'buf', one that dpu_msg_decode() accepted. */
static inline size_t
count_attrs(const struct ofpbuf *buf, uint16_t type)
{
    const struct nlattr *nla;
    size_t n = 0, left;

    NL_ATTR_FOR_EACH (nla, left, ofpbuf_at(buf, DPU_HEADER_LEN, 0),
                      buf->size - DPU_HEADER_LEN) {
        n += nl_attr_type(nla) == type;
    }
    return n;
}

#endif /* dpu-codec-private.h */
