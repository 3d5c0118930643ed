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

/* ovs-dpuctl's sessions with a DPU: a channel, requests and their replies,
 * and HELLO, each bounded by the -t timeout. */

#include <config.h>
#include "dpuctl.h"

#include <errno.h>
#include <string.h>

#include "dpu-channel.h"
#include "dpu-codec.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/poll-loop.h"
#include "socket-util.h"
#include "stream.h"
#include "timeval.h"
#include "util.h"

long long int
deadline(void)
{
    return time_msec() + timeout_secs * 1000LL;
}

int
try_open_channel(const char *target, struct dpu_channel **chp)
{
    struct stream *stream;
    int error;

    /* As ovs-vswitchd does for a DPU's target: whoever is on the way of a
     * plain TCP session reads and changes what it carries. */
    if (!strncmp(target, "tcp:", 4) && !allow_plaintext) {
        ovs_fatal(0, "%s: plain target refused: the session would be "
                  "neither encrypted nor authenticated; use ssl:, or give "
                  "--allow-plaintext", target);
    }
    error = stream_open_block(stream_open_with_default_port(
                                  target, DPU_DEFAULT_PORT, &stream,
                                  DSCP_DEFAULT),
                              timeout_secs * 1000, &stream);
    *chp = error ? NULL : dpu_channel_create(stream);
    return error;
}

struct dpu_channel *
open_channel(const char *target)
{
    struct dpu_channel *ch;
    int error = try_open_channel(target, &ch);

    if (error) {
        ovs_fatal(error, "%s: connection failed", target);
    }
    return ch;
}

/* Waits for one message on 'ch'.  Returns 0 and the message, EOF if the
 * peer closed, ETIMEDOUT, or another error. */
int
recv_block(struct dpu_channel *ch, struct ofpbuf **msgp)
{
    long long int end = deadline();

    for (;;) {
        int error;

        dpu_channel_run(ch);
        error = dpu_channel_recv(ch, msgp);
        if (error != EAGAIN) {
            return error;
        }
        if (time_msec() >= end) {
            return ETIMEDOUT;
        }
        dpu_channel_run(ch);
        dpu_channel_wait(ch);
        dpu_channel_recv_wait(ch);
        poll_timer_wait_until(end);
        poll_block();
    }
}

void
send_block(struct dpu_channel *ch, struct ofpbuf *msg)
{
    long long int end = deadline();
    int error = dpu_channel_send(ch, msg);

    if (error) {
        ovs_fatal(error, "send failed");
    }
    while (dpu_channel_get_backlog(ch) && time_msec() < end) {
        dpu_channel_run(ch);
        dpu_channel_wait(ch);
        poll_timer_wait_until(end);
        poll_block();
    }
}

/* Returns the text of ERROR reply 'msg'. */
char *
error_reply_to_string(const struct dpu_msg *msg)
{
    return xasprintf("DPU answered with error: %s (%s)",
                     msg->attrs[DPU_ATTR_ERROR_MSG]
                     ? nl_attr_get_string(msg->attrs[DPU_ATTR_ERROR_MSG])
                     : "",
                     ovs_strerror(nl_attr_get_u32(
                                      msg->attrs[DPU_ATTR_ERRNO])));
}

/* Sends 'req' and stores the reply in '*replyp' and '*msg'.  Returns NULL,
 * or what failed (and then '*replyp' is NULL). */
char *
try_transact(struct dpu_channel *ch, struct ofpbuf *req, struct dpu_msg *msg,
             struct ofpbuf **replyp)
{
    struct dpu_header *h = req->data;
    uint32_t xid = ntohl(h->xid);
    struct ofpbuf *reply;
    char *why;
    int error;

    *replyp = NULL;
    dpu_msg_finish(req);
    send_block(ch, req);
    for (;;) {
        error = recv_block(ch, &reply);
        if (error) {
            return (error == EOF ? xstrdup("DPU closed the connection")
                    : xasprintf("no reply from DPU (%s)",
                                ovs_strerror(error)));
        }
        error = dpu_msg_decode(reply, msg, &why);
        if (error) {
            char *s = xasprintf("bad reply from DPU: %s", why);

            free(why);
            ofpbuf_delete(reply);
            return s;
        }
        if (msg->flags & DPU_F_REPLY && msg->xid == xid) {
            break;
        }
        ofpbuf_delete(reply);
    }
    if (msg->type == DPU_MSG_ERROR) {
        char *s = error_reply_to_string(msg);

        ofpbuf_delete(reply);
        return s;
    }
    *replyp = reply;
    return NULL;
}

/* Sends 'req' and returns the reply, exiting on failure. */
struct ofpbuf *
transact(struct dpu_channel *ch, struct ofpbuf *req, struct dpu_msg *msg)
{
    struct ofpbuf *reply;
    char *error = try_transact(ch, req, msg, &reply);

    if (error) {
        ovs_fatal(0, "%s", error);
    }
    return reply;
}

/* Opens a session with the DPU at 'target', stored in '*chp', whose HELLO
 * reply it stores in '*hello' (the caller destroys it with
 * dpu_hello_reply_destroy()).  Returns NULL, or what failed.  A diagnostic
 * client: no WANT_UPCALLS, so the host keeps its upcalls. */
char *
try_hello(const char *target, struct dpu_channel **chp,
          struct dpu_hello_reply *hello)
{
    struct ds why = DS_EMPTY_INITIALIZER;
    struct dpu_channel *ch;
    struct ofpbuf *reply;
    struct dpu_msg msg;
    char *error = NULL;
    int retval;

    *chp = NULL;
    memset(hello, 0, sizeof *hello);
    retval = try_open_channel(target, &ch);
    if (retval) {
        return xasprintf("%s: connection failed (%s)", target,
                         ovs_strerror(retval));
    }

    struct ofpbuf *b = ofpbuf_new(128);
    struct dpu_hello_request req = {
        .version_min = DPU_VERSION_MIN,
        .version_max = DPU_PROTOCOL_VERSION,
        .dp_name = "ovs-dpu",
        .host_name = "ovs-dpuctl",
    };
    dpu_msg_start(b, DPU_MSG_HELLO, 1, 0);
    dpu_put_hello_request(b, &req);
    error = try_transact(ch, b, &msg, &reply);
    if (error) {
        goto exit;
    }
    if (dpu_parse_hello_reply(&msg, hello, &why)) {
        error = xasprintf("%s: malformed HELLO reply: %s", target,
                          ds_cstr(&why));
    } else if (msg.version != dpu_version_pick(DPU_VERSION_MIN,
                                               DPU_PROTOCOL_VERSION,
                                               hello->version_min,
                                               hello->version_max)) {
        error = xasprintf("%s: the DPU chose protocol version %"PRIu8", "
                          "which is not the highest in both ranges", target,
                          msg.version);
    } else {
        dpu_channel_set_version(ch, msg.version);
    }
    ofpbuf_delete(reply);

exit:
    ds_destroy(&why);
    if (error) {
        dpu_channel_close(ch);
    } else {
        *chp = ch;
    }
    return error;
}

struct dpu_channel *
hello(const char *target, struct dpu_hello_reply *hello)
{
    struct dpu_channel *ch;
    char *error = try_hello(target, &ch, hello);

    if (error) {
        ovs_fatal(0, "%s", error);
    }
    return ch;
}
