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

/* The codec of the lifecycle: images (IMAGE_BEGIN, IMAGE_DATA, IMAGE_END,
 * IMAGE_SELECT) and logs (LOG_GET). */

#include <config.h>
#include "dpu-codec.h"
#include "dpu-codec-private.h"

#include <errno.h>
#include <string.h>

#include "dpu-bundle.h"
#include "netlink.h"
#include "openvswitch/dynamic-string.h"
#include "util.h"

void
dpu_put_image_begin(struct ofpbuf *b, const struct dpu_image_begin *ib)
{
    nl_msg_put_u64(b, DPU_ATTR_IMAGE_SIZE, ib->size);
    nl_msg_put_unspec(b, DPU_ATTR_IMAGE_SHA256, ib->sha256,
                      sizeof ib->sha256);
    if (ib->force) {
        nl_msg_put_flag(b, DPU_ATTR_FORCE);
    }
}

/* The policy checked every attribute's presence and size. */
void
dpu_parse_image_begin(const struct dpu_msg *msg, struct dpu_image_begin *ib)
{
    ib->size = nl_attr_get_u64(msg->attrs[DPU_ATTR_IMAGE_SIZE]);
    memcpy(ib->sha256, nl_attr_get(msg->attrs[DPU_ATTR_IMAGE_SHA256]),
           sizeof ib->sha256);
    ib->force = msg->attrs[DPU_ATTR_FORCE] != NULL;
}

void
dpu_put_image_data(struct ofpbuf *b, const struct dpu_image_data *d)
{
    nl_msg_put_u64(b, DPU_ATTR_IMAGE_OFFSET, d->offset);
    nl_msg_put_unspec(b, DPU_ATTR_IMAGE_DATA, d->data, d->size);
}

void
dpu_parse_image_data(const struct dpu_msg *msg, struct dpu_image_data *d)
{
    const struct nlattr *data = msg->attrs[DPU_ATTR_IMAGE_DATA];

    d->offset = nl_attr_get_u64(msg->attrs[DPU_ATTR_IMAGE_OFFSET]);
    d->data = nl_attr_get(data);
    d->size = nl_attr_get_size(data);
}

void
dpu_put_image_result(struct ofpbuf *b, const struct dpu_image_result *r)
{
    nl_msg_put_string(b, DPU_ATTR_IMAGE_VERSION, r->version);
    nl_msg_put_string(b, DPU_ATTR_IMAGE_BANK, r->bank);
}

int
dpu_parse_image_result(const struct dpu_msg *msg, struct dpu_image_result *r,
                       struct ds *why)
{
    r->version = nl_attr_get_string(msg->attrs[DPU_ATTR_IMAGE_VERSION]);
    r->bank = nl_attr_get_string(msg->attrs[DPU_ATTR_IMAGE_BANK]);
    if (!dpu_version_is_valid(r->version)) {
        ds_put_format(why, "IMAGE_VERSION \"%s\" is not a version",
                      r->version);
        return EINVAL;
    }
    if (strcmp(r->bank, "a") && strcmp(r->bank, "b")) {
        ds_put_format(why, "IMAGE_BANK \"%s\" is not a or b", r->bank);
        return EINVAL;
    }
    return 0;
}

void
dpu_put_image_select(struct ofpbuf *b, const char *version)
{
    nl_msg_put_string(b, DPU_ATTR_IMAGE_VERSION, version);
}

int
dpu_parse_image_select(const struct dpu_msg *msg, const char **versionp,
                       struct ds *why)
{
    *versionp = nl_attr_get_string(msg->attrs[DPU_ATTR_IMAGE_VERSION]);
    if (!dpu_version_is_valid(*versionp)) {
        ds_put_format(why, "IMAGE_VERSION \"%s\" is not a version",
                      *versionp);
        return EINVAL;
    }
    return 0;
}

void
dpu_put_log_chunk(struct ofpbuf *b, const struct dpu_log_chunk *c)
{
    nl_msg_put_u64(b, DPU_ATTR_LOG_SIZE, c->log_size);
    if (c->size) {
        nl_msg_put_unspec(b, DPU_ATTR_LOG_DATA, c->data, c->size);
    }
}

void
dpu_parse_log_chunk(const struct dpu_msg *msg, struct dpu_log_chunk *c)
{
    const struct nlattr *data = msg->attrs[DPU_ATTR_LOG_DATA];

    c->log_size = nl_attr_get_u64(msg->attrs[DPU_ATTR_LOG_SIZE]);
    c->data = data ? nl_attr_get(data) : NULL;
    c->size = data ? nl_attr_get_size(data) : 0;
}
