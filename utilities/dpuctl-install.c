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

/* ovs-dpuctl install: one bundle to several DPUs at once, over the
 * host<->DPU protocol's IMAGE_* messages. */

#include <config.h>
#include "dpuctl.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "command-line.h"
#include "dpu-bundle.h"
#include "dpu-channel.h"
#include "dpu-codec.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/poll-loop.h"
#include "timeval.h"
#include "util.h"

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

void
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
