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
#include "agent-logs.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dpu-codec.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/vlog.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(agent_logs);

int
agent_logs_get(const struct agent_request *req, struct ofpbuf *reply,
               struct ds *why)
{
    uint64_t offset = nl_attr_get_u64(req->msg->attrs[DPU_ATTR_LOG_OFFSET]);
    char *file_name = vlog_get_log_file();
    struct dpu_log_chunk chunk = { .size = 0 };
    char *buf = NULL;
    struct stat st;
    int retval = 0;
    int fd;

    if (!file_name) {
        ds_put_cstr(why, "the agent keeps no log file (no --log-file)");
        return ENOENT;
    }
    fd = open(file_name, O_RDONLY);
    if (fd < 0 || fstat(fd, &st)) {
        ds_put_format(why, "%s: %s", file_name, ovs_strerror(errno));
        retval = errno;
        goto exit;
    }

    chunk.log_size = st.st_size;
    if (offset < chunk.log_size) {
        size_t n = MIN(chunk.log_size - offset, DPU_IMAGE_MAX_CHUNK);
        ssize_t got;

        buf = xmalloc(n);
        got = pread(fd, buf, n, offset);
        if (got < 0) {
            ds_put_format(why, "%s: %s", file_name, ovs_strerror(errno));
            retval = errno;
            goto exit;
        }
        chunk.data = buf;
        chunk.size = got;
    }
    dpu_put_log_chunk(reply, &chunk);

exit:
    if (fd >= 0) {
        close(fd);
    }
    free(buf);
    free(file_name);
    return retval;
}
