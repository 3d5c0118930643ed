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

/* ovs-dpuctl: speaks the host<->DPU protocol directly to a DPU agent. */

#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <unistd.h>

#include "command-line.h"
#include "fatal-signal.h"
#include "dpu-bundle.h"
#include "dpu-channel.h"
#include "dpu-codec.h"
#include "dpu-version.h"
#include "odp-util.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "stream.h"
#include "stream-ssl.h"
#include "timeval.h"
#include "util.h"
#include "uuid.h"

VLOG_DEFINE_THIS_MODULE(ovs_dpuctl);

static int timeout_secs = 5;

/* For top: --interval, --count (0: until interrupted), --once. */
static int top_interval_secs = 1;
static unsigned int top_count;

/* For install: --trust, --force. */
static const char *trusted_key;
static bool force;

/* For set-role: --lease, --uplinks. */
static uint32_t lease_ms;
static odp_port_t *uplinks;
static size_t n_uplinks, allocated_uplinks;

OVS_NO_RETURN static void usage(void);

static long long int
deadline(void)
{
    return time_msec() + timeout_secs * 1000LL;
}

static int
try_open_channel(const char *target, struct dpu_channel **chp)
{
    struct stream *stream;
    int error;

    error = stream_open_block(stream_open_with_default_port(
                                  target, DPU_DEFAULT_PORT, &stream,
                                  DSCP_DEFAULT),
                              timeout_secs * 1000, &stream);
    *chp = error ? NULL : dpu_channel_create(stream);
    return error;
}

static struct dpu_channel *
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
static int
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

static void
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
static char *
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
static char *
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
static struct ofpbuf *
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
static char *
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

static struct dpu_channel *
hello(const char *target, struct dpu_hello_reply *hello)
{
    struct dpu_channel *ch;
    char *error = try_hello(target, &ch, hello);

    if (error) {
        ovs_fatal(0, "%s", error);
    }
    return ch;
}

static void
dpuctl_show(struct ovs_cmdl_context *ctx)
{
    struct dpu_hello_reply hr;
    struct ofpbuf *reply, *b;
    struct dpif_dp_stats st;
    struct dpu_channel *ch;
    const struct nlattr *nla;
    struct dpu_msg msg;
    size_t left;

    ch = hello(ctx->argv[1], &hr);
    printf("vendor: %s\nmodel: %s\nhardware_version: %s\nfirmware: %s\n"
           "serial: %s\nimage_version: %s\n", hr.id.vendor, hr.id.model,
           hr.id.hw_version, hr.id.firmware, hr.id.serial,
           hr.id.image_version);
    printf("protocol_version: %"PRIu8"\nboot_id: "UUID_FMT"\n"
           "capabilities: 0x%"PRIx32"\n", dpu_channel_get_version(ch),
           UUID_ARGS((struct uuid *) &hr.boot_id), hr.caps);
    if (hr.has_role) {
        printf("role: %s\n", dpu_role_to_string(hr.role));
    }
    dpu_hello_reply_destroy(&hr);

    b = ofpbuf_new(64);
    dpu_msg_start(b, DPU_MSG_DP_GET_STATS, 2, 0);
    reply = transact(ch, b, &msg);
    if (dpu_parse_dp_stats(msg.attrs[DPU_ATTR_DP_STATS], &st)) {
        printf("lookups: hit:%"PRIu64" missed:%"PRIu64" lost:%"PRIu64"\n"
               "flows: %"PRIu64"\n", st.n_hit, st.n_missed, st.n_lost,
               st.n_flows);
    }
    ofpbuf_delete(reply);

    b = ofpbuf_new(64);
    dpu_msg_start(b, DPU_MSG_PORT_DUMP, 3, 0);
    reply = transact(ch, b, &msg);
    DPU_MSG_FOR_EACH_ATTR (nla, left, reply) {
        struct dpu_port port;

        if (nl_attr_type(nla) == DPU_ATTR_PORT && dpu_parse_port(nla, &port)) {
            printf("port %"PRIu32": %s (%s)\n", odp_to_u32(port.port_no),
                   port.name, port.type);
        }
    }
    ofpbuf_delete(reply);
    dpu_channel_close(ch);
}

static void
dpuctl_dump_flows(struct ovs_cmdl_context *ctx)
{
    struct dpu_hello_reply hr;
    struct ofpbuf *reply;
    struct dpu_channel *ch;
    struct dpu_msg msg;
    uint32_t xid = 2;

    ch = hello(ctx->argv[1], &hr);
    dpu_hello_reply_destroy(&hr);
    do {
        struct ofpbuf *b = ofpbuf_new(64);
        const struct nlattr *nla;
        size_t left;

        dpu_msg_start(b, DPU_MSG_FLOW_DUMP, xid++, 0);
        nl_msg_put_u32(b, DPU_ATTR_DUMP_ID, 1);
        nl_msg_put_u32(b, DPU_ATTR_MAX_FLOWS, 50);
        reply = transact(ch, b, &msg);
        DPU_MSG_FOR_EACH_ATTR (nla, left, reply) {
            struct ds s = DS_EMPTY_INITIALIZER;
            struct dpu_flow_result f;

            if (nl_attr_type(nla) != DPU_ATTR_FLOW || !dpu_parse_flow(nla, &f)
                || !f.key || !f.actions) {
                continue;
            }
            odp_flow_format(nl_attr_get(f.key), nl_attr_get_size(f.key),
                            f.mask ? nl_attr_get(f.mask) : NULL,
                            f.mask ? nl_attr_get_size(f.mask) : 0,
                            NULL, &s, false);
            ds_put_format(&s, ", packets:%"PRIu64", bytes:%"PRIu64
                          ", actions:", f.stats.n_packets, f.stats.n_bytes);
            format_odp_actions(&s, nl_attr_get(f.actions),
                               nl_attr_get_size(f.actions), NULL);
            puts(ds_cstr(&s));
            ds_destroy(&s);
        }
        ofpbuf_delete(reply);
    } while (msg.flags & DPU_F_MORE);
    dpu_channel_close(ch);
}

/* Shows the DPU's metrics every --interval seconds, --count times, on a
 * cleared screen if the output is a terminal. */
static void
dpuctl_top(struct ovs_cmdl_context *ctx)
{
    bool tty = isatty(STDOUT_FILENO) && top_count != 1;
    struct dpu_hello_reply hr;
    struct ofpbuf *reply;
    struct dpu_channel *ch;
    struct dpu_msg msg;
    uint32_t xid = 2;

    ch = hello(ctx->argv[1], &hr);
    dpu_hello_reply_destroy(&hr);
    for (unsigned int i = 0; !top_count || i < top_count; i++) {
        struct ds s = DS_EMPTY_INITIALIZER;
        struct ofpbuf *b = ofpbuf_new(64);
        struct dpu_metrics m;

        if (i) {
            poll_timer_wait(top_interval_secs * 1000LL);
            poll_block();
        }
        dpu_msg_start(b, DPU_MSG_GET_METRICS, xid++, 0);
        reply = transact(ch, b, &msg);
        if (!dpu_parse_metrics(msg.attrs[DPU_ATTR_METRICS], &m, &s)) {
            ovs_fatal(0, "%s: malformed metrics from DPU: %s", ctx->argv[1],
                      ds_cstr(&s));
        }
        if (tty) {
            /* Home the cursor and clear the screen, as top(1) does. */
            ds_put_cstr(&s, "\033[H\033[2J");
        }
        ds_put_format(&s, "%s: ", ctx->argv[1]);
        dpu_metrics_format(&m, &s);
        fputs(ds_cstr(&s), stdout);
        fflush(stdout);
        ds_destroy(&s);
        dpu_metrics_destroy(&m);
        ofpbuf_delete(reply);
    }
    dpu_channel_close(ch);
}

static void
dpuctl_set_role(struct ovs_cmdl_context *ctx)
{
    struct dpu_hello_reply hr;
    struct ofpbuf *reply, *b;
    struct dpu_channel *ch;
    struct dpu_msg msg;
    int role;

    role = dpu_role_from_string(ctx->argv[2]);
    if (role < 0) {
        ovs_fatal(0, "%s: unknown role (use active, standby or prepare)",
                  ctx->argv[2]);
    }

    ch = hello(ctx->argv[1], &hr);
    if (!(hr.caps & DPU_CAP_HA)) {
        ovs_fatal(0, "%s: this DPU has no roles", ctx->argv[1]);
    }
    dpu_hello_reply_destroy(&hr);

    struct dpu_role_request rq = {
        .role = role,
        .lease_ms = lease_ms,
        .n_uplinks = n_uplinks,
    };
    memcpy(rq.uplinks, uplinks, n_uplinks * sizeof *uplinks);
    b = ofpbuf_new(64);
    dpu_msg_start(b, DPU_MSG_SET_ROLE, 2, 0);
    dpu_put_role_request(b, &rq, dpu_channel_get_version(ch));
    reply = transact(ch, b, &msg);
    ofpbuf_delete(reply);
    dpu_channel_close(ch);
}

/* Prints the errno of each OP_RESULT in OPERATE reply 'reply' that
 * failed, numbered from 0 in the order of the request's operations. */
static void
print_op_results(const struct ofpbuf *reply)
{
    const struct nlattr *nla;
    unsigned int i = 0;
    size_t left;

    NL_ATTR_FOR_EACH (nla, left, ofpbuf_at(reply, DPU_HEADER_LEN, 0),
                      reply->size - DPU_HEADER_LEN) {
        struct dpu_flow_result r;

        if (nl_attr_type(nla) != DPU_ATTR_OP_RESULT) {
            continue;
        }
        if (dpu_parse_op_result(nla, &r) && r.error) {
            printf("  operation %u: %s\n", i, ovs_strerror(r.error));
        }
        i++;
    }
}

/* Returns the number of whole messages at the start of 'raw', by their
 * headers' lengths: framing only, nothing else is checked. */
static size_t
count_messages(const struct ofpbuf *raw)
{
    const uint8_t *p = raw->data;
    size_t left = raw->size;
    size_t n = 0;

    while (left >= sizeof(struct dpu_header)) {
        uint32_t length;

        memcpy(&length, p, sizeof length);   /* dpu_header's 'length'. */
        length = ntohl(length);
        if (length < sizeof(struct dpu_header) || length > left
            || length % 4) {
            break;
        }
        n++;
        p += length;
        left -= length;
    }
    return n;
}

/* Sends raw bytes and prints what comes back. */
static void
dpuctl_send_hex(struct ovs_cmdl_context *ctx)
{
    struct ofpbuf *raw = ofpbuf_new(64);
    struct dpu_channel *ch;
    int n_replies = 0;

    for (int i = 2; i < ctx->argc; i++) {
        const char *p = ctx->argv[i];

        while (*p) {
            uint8_t byte;

            if (isspace((unsigned char) *p)) {
                p++;
                continue;
            }
            if (!isxdigit((unsigned char) p[0])
                || !isxdigit((unsigned char) p[1])) {
                ovs_fatal(0, "\"%s\": expected pairs of hex digits",
                          ctx->argv[i]);
            }
            bool ok;

            byte = hexits_value(p, 2, &ok);
            ofpbuf_put(raw, &byte, 1);
            p += 2;
        }
    }

    /* Every whole message in 'raw' should get one final reply (a reply
     * with DPU_F_MORE is not final).  Once each has had one, nothing more
     * is expected and there is no need to wait out the timeout.  A partial
     * message, or one that the DPU does not answer, still waits for it. */
    size_t n_requests = count_messages(raw);
    size_t n_final = 0;

    ch = open_channel(ctx->argv[1]);
    send_block(ch, raw);
    while (!n_requests || n_final < n_requests) {
        struct ofpbuf *reply;
        struct dpu_msg msg;
        char *why;
        int error = recv_block(ch, &reply);

        if (error == EOF) {
            printf("connection closed by DPU\n");
            break;
        } else if (error == ETIMEDOUT) {
            if (!n_replies) {
                printf("no reply\n");
            }
            break;
        } else if (error) {
            printf("connection failed: %s\n", ovs_strerror(error));
            break;
        }
        n_replies++;
        if (reply->size >= sizeof(struct dpu_header)) {
            const struct dpu_header *h = reply->data;
            uint16_t flags = ntohs(h->flags);

            if (flags & DPU_F_REPLY && !(flags & DPU_F_MORE)) {
                n_final++;
            }
        }
        error = dpu_msg_decode(reply, &msg, &why);
        if (error) {
            printf("undecodable reply: %s\n", why);
            free(why);
        } else if (msg.type == DPU_MSG_ERROR) {
            printf("error reply, xid %"PRIu32": %s: %s\n", msg.xid,
                   ovs_strerror(nl_attr_get_u32(msg.attrs[DPU_ATTR_ERRNO])),
                   msg.attrs[DPU_ATTR_ERROR_MSG]
                   ? nl_attr_get_string(msg.attrs[DPU_ATTR_ERROR_MSG]) : "");
        } else if (msg.type == DPU_MSG_HELLO) {
            /* The version that the DPU chose for the session. */
            printf("hello reply, xid %"PRIu32", version %"PRIu8"\n",
                   msg.xid, msg.version);
        } else {
            printf("%s %s, xid %"PRIu32"\n",
                   dpu_msg_type_to_string(msg.type),
                   msg.flags & DPU_F_REPLY ? "reply" : "message", msg.xid);
            if (msg.type == DPU_MSG_OPERATE) {
                print_op_results(reply);
            }
        }
        ofpbuf_delete(reply);
    }
    dpu_channel_close(ch);
}

/* install: one bundle to several DPUs at once. */

/* IMAGE_DATA requests in flight to one DPU. */
#define INSTALL_WINDOW 4

enum install_state {
    INSTALL_BEGIN,              /* IMAGE_BEGIN sent. */
    INSTALL_DATA,               /* Streaming. */
    INSTALL_END,                /* IMAGE_END sent. */
    INSTALL_DONE,
    INSTALL_FAILED,
};

struct install_target {
    const char *name;
    struct dpu_channel *ch;
    FILE *stream;               /* The bundle, read at 'sent'. */
    enum install_state state;
    uint64_t sent;              /* Bytes sent in IMAGE_DATA. */
    uint64_t acked;             /* Bytes the DPU confirmed. */
    uint64_t resumed_at;        /* Offset that IMAGE_BEGIN's reply gave. */
    unsigned int in_flight;
    uint32_t next_xid;
    int last_pct;               /* Last progress printed. */
    long long int deadline;     /* For the next reply. */
    char *result;               /* What to print at the end. */
};

static void
install_fail(struct install_target *t, const char *format, ...)
    OVS_PRINTF_FORMAT(2, 3);

static void
install_fail(struct install_target *t, const char *format, ...)
{
    va_list args;

    va_start(args, format);
    free(t->result);
    t->result = xvasprintf(format, args);
    va_end(args);
    t->state = INSTALL_FAILED;
}

static void
install_send(struct install_target *t, struct ofpbuf *b)
{
    dpu_msg_finish(b);
    if (dpu_channel_send(t->ch, b)) {
        install_fail(t, "connection lost");
    }
    t->deadline = deadline();
}

static void
install_send_data(struct install_target *t, uint64_t size)
{
    while (t->state == INSTALL_DATA && t->in_flight < INSTALL_WINDOW
           && t->sent < size) {
        uint8_t buf[DPU_IMAGE_MAX_CHUNK];
        size_t n = MIN(sizeof buf, size - t->sent);
        struct ofpbuf *b;

        if (fseeko(t->stream, t->sent, SEEK_SET)
            || fread(buf, 1, n, t->stream) != n) {
            install_fail(t, "cannot read the bundle");
            return;
        }
        b = ofpbuf_new(n + 64);
        dpu_msg_start(b, DPU_MSG_IMAGE_DATA, t->next_xid++, 0);
        dpu_put_image_data(b, &(struct dpu_image_data) {
                               .offset = t->sent, .data = buf, .size = n });
        install_send(t, b);
        t->sent += n;
        t->in_flight++;
    }
    if (t->state == INSTALL_DATA && !t->in_flight && t->acked == size) {
        struct ofpbuf *b = ofpbuf_new(64);

        dpu_msg_start(b, DPU_MSG_IMAGE_END, t->next_xid++, 0);
        install_send(t, b);
        t->state = INSTALL_END;
    }
}

static void
install_progress(struct install_target *t, uint64_t size)
{
    int pct = size ? t->acked * 100 / size : 100;

    /* Every quarter, so that a long install shows it moves. */
    pct -= pct % 25;
    if (pct > t->last_pct) {
        printf("%s: %d%%\n", t->name, pct);
        fflush(stdout);
        t->last_pct = pct;
    }
}

static void
install_handle_reply(struct install_target *t, struct ofpbuf *reply,
                     uint64_t size)
{
    struct ds why = DS_EMPTY_INITIALIZER;
    struct dpu_msg msg;
    char *error;

    if (dpu_msg_decode(reply, &msg, &error)) {
        install_fail(t, "bad reply from DPU: %s", error);
        free(error);
        return;
    }
    if (!(msg.flags & DPU_F_REPLY)) {
        return;                 /* A DPU_EVENT, for example. */
    }
    if (msg.type == DPU_MSG_ERROR) {
        char *s = error_reply_to_string(&msg);

        install_fail(t, "%s", s);
        free(s);
        return;
    }
    t->deadline = deadline();
    switch (t->state) {
    case INSTALL_BEGIN:
        t->resumed_at = nl_attr_get_u64(msg.attrs[DPU_ATTR_IMAGE_OFFSET]);
        if (t->resumed_at > size) {
            install_fail(t, "DPU holds %"PRIu64" bytes of a %"PRIu64"-byte "
                         "image", t->resumed_at, size);
            return;
        }
        t->sent = t->acked = t->resumed_at;
        t->state = INSTALL_DATA;
        break;
    case INSTALL_DATA:
        if (msg.type == DPU_MSG_IMAGE_DATA && t->in_flight) {
            t->in_flight--;
            t->acked = MIN(t->sent, t->acked + DPU_IMAGE_MAX_CHUNK);
            install_progress(t, size);
        }
        break;
    case INSTALL_END: {
        struct dpu_image_result r;

        if (dpu_parse_image_result(&msg, &r, &why)) {
            install_fail(t, "bad IMAGE_END reply: %s", ds_cstr(&why));
        } else {
            t->result = xasprintf("version %s written to bank %s", r.version,
                                  r.bank);
            t->state = INSTALL_DONE;
        }
        break;
    }
    case INSTALL_DONE:
    case INSTALL_FAILED:
        break;
    }
    ds_destroy(&why);
}

static void
dpuctl_install(struct ovs_cmdl_context *ctx)
{
    const char *file_name = ctx->argv[1];
    size_t n = ctx->argc - 2;
    struct install_target *targets = xcalloc(n, sizeof *targets);
    struct dpu_bundle *bundle;
    struct ds failed = DS_EMPTY_INITIALIZER;
    uint8_t sha256[32];
    uint64_t size;
    char *error;

    /* The host checks the bundle before it sends anything. */
    if (!trusted_key) {
        ovs_fatal(0, "--trust is required: the public key that bundles "
                  "must be signed with");
    }
    error = dpu_bundle_open(file_name, &bundle);
    if (!error) {
        error = dpu_bundle_verify(bundle, trusted_key);
    }
    if (!error) {
        error = dpu_file_sha256(file_name, sha256, &size);
    }
    if (error) {
        ovs_fatal(0, "%s (nothing was sent)", error);
    }
    printf("%s: version %s, %"PRIu64" bytes, to %"PRIuSIZE" DPUs\n",
           file_name, bundle->version, size, n);
    fflush(stdout);

    for (size_t i = 0; i < n; i++) {
        struct install_target *t = &targets[i];
        struct dpu_hello_reply hr;

        t->name = ctx->argv[i + 2];
        t->next_xid = 2;
        error = try_hello(t->name, &t->ch, &hr);
        if (error) {
            install_fail(t, "%s", error);
            free(error);
        } else if (!(hr.caps & DPU_CAP_IMAGE)) {
            install_fail(t, "the DPU does not take images (it has no boot "
                         "loader)");
        } else if (!(t->stream = fopen(file_name, "rb"))) {
            install_fail(t, "%s: %s", file_name, ovs_strerror(errno));
        } else {
            struct ofpbuf *b = ofpbuf_new(128);
            struct dpu_image_begin ib = { .size = size, .force = force };

            memcpy(ib.sha256, sha256, sizeof sha256);
            dpu_msg_start(b, DPU_MSG_IMAGE_BEGIN, t->next_xid++, 0);
            dpu_put_image_begin(b, &ib);
            install_send(t, b);
            t->state = INSTALL_BEGIN;
        }
        dpu_hello_reply_destroy(&hr);
    }

    /* Every DPU at once, each at its own pace. */
    for (;;) {
        bool busy = false;

        for (size_t i = 0; i < n; i++) {
            struct install_target *t = &targets[i];
            struct ofpbuf *reply;
            int retval = EAGAIN;

            if (t->state == INSTALL_DONE || t->state == INSTALL_FAILED) {
                continue;
            }
            dpu_channel_run(t->ch);
            while (t->state < INSTALL_DONE
                   && !(retval = dpu_channel_recv(t->ch, &reply))) {
                install_handle_reply(t, reply, size);
                ofpbuf_delete(reply);
            }
            if (t->state < INSTALL_DONE && retval != EAGAIN) {
                install_fail(t, "%s", retval == EOF
                             ? "DPU closed the connection"
                             : ovs_strerror(retval));
            }
            install_send_data(t, size);
            if (t->state < INSTALL_DONE && time_msec() >= t->deadline) {
                install_fail(t, "no reply from DPU in %d s", timeout_secs);
            }
            if (t->state < INSTALL_DONE) {
                busy = true;
                dpu_channel_run(t->ch);
                dpu_channel_wait(t->ch);
                dpu_channel_recv_wait(t->ch);
                poll_timer_wait_until(t->deadline);
            }
        }
        if (!busy) {
            break;
        }
        poll_block();
    }

    for (size_t i = 0; i < n; i++) {
        struct install_target *t = &targets[i];
        const char *result = t->result;
        size_t len = strlen(t->name);

        /* Some messages start with the DPU's name already. */
        if (!strncmp(result, t->name, len)
            && !strncmp(result + len, ": ", 2)) {
            result += len + 2;
        }
        printf("%s: %s%s\n", t->name,
               t->state == INSTALL_FAILED ? "failed: " : "", result);
        if (t->state == INSTALL_FAILED) {
            ds_put_format(&failed, "%s%s", failed.length ? ", " : "",
                          t->name);
        }
        if (t->stream) {
            fclose(t->stream);
        }
        dpu_channel_close(t->ch);
        free(t->result);
    }
    free(targets);
    dpu_bundle_close(bundle);
    if (failed.length) {
        fflush(stdout);
        ovs_fatal(0, "install failed on %s", ds_cstr(&failed));
    }
    ds_destroy(&failed);
}

static void
dpuctl_help(struct ovs_cmdl_context *ctx OVS_UNUSED)
{
    usage();
}

static const struct ovs_cmdl_command all_commands[] = {
    { "show", "target", 1, 1, dpuctl_show, OVS_RO },
    { "dump-flows", "target", 1, 1, dpuctl_dump_flows, OVS_RO },
    { "top", "target", 1, 1, dpuctl_top, OVS_RO },
    { "set-role", "target role", 2, 2, dpuctl_set_role, OVS_RW },
    { "send-hex", "target hex...", 2, INT_MAX, dpuctl_send_hex, OVS_RW },
    { "install", "bundle target...", 2, INT_MAX, dpuctl_install, OVS_RW },
    { "help", NULL, 0, INT_MAX, dpuctl_help, OVS_RO },
    { NULL, NULL, 0, 0, NULL, OVS_RO },
};

static void
usage(void)
{
    printf("%s: talk to an OVS-DPU agent in the host<->DPU protocol\n"
           "usage: %s [OPTIONS] COMMAND TARGET [ARG...]\n"
           "\nCommands:\n"
           "  show TARGET             identity, statistics and ports\n"
           "  dump-flows TARGET       megaflows held by the DPU\n"
           "  top TARGET              the DPU's metrics, refreshed\n"
           "  set-role TARGET ROLE    make the DPU active, standby or "
           "prepare\n"
           "  send-hex TARGET HEX...  send raw bytes, print the replies\n"
           "  install BUNDLE TARGET...\n"
           "                          write a bundle to each DPU's inactive "
           "bank\n"
           "\nTARGET is unix:FILE, tcp:IP[:PORT] or ssl:IP[:PORT].\n"
           "\nOptions:\n"
           "  -t, --timeout=SECS      give up after SECS (default 5)\n"
           "  --interval=SECS         top: refresh every SECS (default 1)\n"
           "  --count=N               top: refresh N times, then exit\n"
           "  --once                  top: print once, without clearing "
           "the screen\n"
           "  --lease=MS              set-role: the active DPU's lease\n"
           "  --uplinks=PORT[,PORT]   set-role: the DPU's uplinks "
           "(port numbers)\n"
           "  --trust=FILE            install: Ed25519 public key that the "
           "bundle\n"
           "                          must be signed with\n"
           "  --force                 install: even an older version\n",
           program_name, program_name);
    vlog_usage();
    printf("  -h, --help              display this help message\n"
           "  -V, --version           display version information\n");
    exit(EXIT_SUCCESS);
}

static void
parse_options(int argc, char *argv[])
{
    enum {
        OPT_LEASE = UCHAR_MAX + 1,
        OPT_UPLINKS,
        OPT_INTERVAL,
        OPT_COUNT,
        OPT_ONCE,
        OPT_TRUST,
        OPT_FORCE,
        VLOG_OPTION_ENUMS,
        SSL_OPTION_ENUMS,
    };
    static const struct option long_options[] = {
        {"timeout", required_argument, NULL, 't'},
        {"lease", required_argument, NULL, OPT_LEASE},
        {"uplinks", required_argument, NULL, OPT_UPLINKS},
        {"interval", required_argument, NULL, OPT_INTERVAL},
        {"count", required_argument, NULL, OPT_COUNT},
        {"once", no_argument, NULL, OPT_ONCE},
        {"trust", required_argument, NULL, OPT_TRUST},
        {"force", no_argument, NULL, OPT_FORCE},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        VLOG_LONG_OPTIONS,
        STREAM_SSL_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    char *short_options = ovs_cmdl_long_options_to_short_options(long_options);

    for (;;) {
        int c = getopt_long(argc, argv, short_options, long_options, NULL);
        if (c == -1) {
            break;
        }
        switch (c) {
        case 't':
            if (!str_to_int(optarg, 10, &timeout_secs) || timeout_secs <= 0) {
                ovs_fatal(0, "value %s on -t or --timeout is invalid",
                          optarg);
            }
            break;
        case OPT_INTERVAL:
            if (!str_to_int(optarg, 10, &top_interval_secs)
                || top_interval_secs <= 0) {
                ovs_fatal(0, "value %s on --interval is invalid", optarg);
            }
            break;
        case OPT_COUNT:
            if (!str_to_uint(optarg, 10, &top_count) || !top_count) {
                ovs_fatal(0, "value %s on --count is invalid", optarg);
            }
            break;
        case OPT_ONCE:
            top_count = 1;
            break;
        case OPT_TRUST:
            trusted_key = optarg;
            break;
        case OPT_FORCE:
            force = true;
            break;
        case OPT_LEASE:
            if (!str_to_uint(optarg, 10, &lease_ms)) {
                ovs_fatal(0, "value %s on --lease is invalid", optarg);
            }
            break;
        case OPT_UPLINKS: {
            char *save_ptr = NULL;
            char *copy = xstrdup(optarg);

            n_uplinks = 0;
            for (char *token = strtok_r(copy, ",", &save_ptr); token;
                 token = strtok_r(NULL, ",", &save_ptr)) {
                unsigned int port;

                if (!str_to_uint(token, 10, &port)) {
                    ovs_fatal(0, "%s: bad port number on --uplinks", token);
                } else if (n_uplinks >= DPU_MAX_UPLINKS) {
                    ovs_fatal(0, "--uplinks: more than %d uplinks",
                              DPU_MAX_UPLINKS);
                }
                if (n_uplinks >= allocated_uplinks) {
                    uplinks = x2nrealloc(uplinks, &allocated_uplinks,
                                         sizeof *uplinks);
                }
                uplinks[n_uplinks++] = u32_to_odp(port);
            }
            free(copy);
            break;
        }
        case 'h':
            usage();
        case 'V':
            printf("%s (OVS-DPU) %s\n", program_name, OVS_DPU_VERSION);
            ovs_print_version(0, 0);
            exit(EXIT_SUCCESS);
        VLOG_OPTION_HANDLERS
        STREAM_SSL_OPTION_HANDLERS
        case '?':
            exit(EXIT_FAILURE);
        default:
            abort();
        }
    }
    free(short_options);
}

int
main(int argc, char *argv[])
{
    struct ovs_cmdl_context ctx = { .argc = 0, };

    set_program_name(argv[0]);
    vlog_set_levels(NULL, VLF_CONSOLE, VLL_WARN);
    parse_options(argc, argv);
    fatal_ignore_sigpipe();

    ctx.argc = argc - optind;
    ctx.argv = argv + optind;
    ovs_cmdl_run_command(&ctx, all_commands);
    return 0;
}
