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
#include "dpu-channel.h"

#include <errno.h>

#include "coverage.h"
#include "dpu-codec.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/list.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "stream.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(dpu_channel);

COVERAGE_DEFINE(dpu_channel_tx_full);   /* Send dropped: backlog full. */
COVERAGE_DEFINE(dpu_channel_bad_frame); /* Peer sent an unframeable header. */

/* A misbehaving peer could fill the log; a few lines a minute say enough. */
static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);

/* Most bytes queued for sending before dpu_channel_send() refuses more:
 * several full batches, but bounded so that a stuck peer cannot make us grow
 * without limit. */
#define DPU_CHANNEL_MAX_BACKLOG (16 * DPU_MAX_MSG_LEN)

/* dpu_channel_run() gathers queued messages of up to DPU_CHANNEL_GATHER_MSG
 * bytes into sends of up to DPU_CHANNEL_GATHER bytes: a burst of upcalls
 * or of replies takes a few writes instead of one each, and the copy costs
 * less than the writes it saves. */
#define DPU_CHANNEL_GATHER (64 * 1024)
#define DPU_CHANNEL_GATHER_MSG (16 * 1024)

struct dpu_channel {
    struct stream *stream;
    char *name;
    int status;                 /* 0, EOF or a positive errno value. */

    /* Output. */
    struct ovs_list output;     /* Contains "struct ofpbuf"s. */
    size_t backlog;             /* Bytes in 'output'. */

    /* Input: the message being received. */
    struct ofpbuf input;

    uint8_t version;            /* The session's version, 0 until set. */

    struct dpu_channel_stats stats;
};

struct dpu_channel *
dpu_channel_create(struct stream *stream)
{
    struct dpu_channel *ch = xzalloc(sizeof *ch);

    ch->stream = stream;
    ch->name = xstrdup(stream_get_name(stream));
    ovs_list_init(&ch->output);
    ofpbuf_init(&ch->input, 4096);
    return ch;
}

void
dpu_channel_close(struct dpu_channel *ch)
{
    if (ch) {
        ofpbuf_list_delete(&ch->output);
        ofpbuf_uninit(&ch->input);
        stream_close(ch->stream);
        free(ch->name);
        free(ch);
    }
}

const char *
dpu_channel_get_name(const struct dpu_channel *ch)
{
    return ch->name;
}

int
dpu_channel_get_status(const struct dpu_channel *ch)
{
    return ch->status;
}

void
dpu_channel_set_version(struct dpu_channel *ch, uint8_t version)
{
    ch->version = version;
}

uint8_t
dpu_channel_get_version(const struct dpu_channel *ch)
{
    return ch->version;
}

static void
dpu_channel_error(struct dpu_channel *ch, int error)
{
    if (!ch->status) {
        ch->status = error;
        ofpbuf_list_delete(&ch->output);
        ch->backlog = 0;
    }
}

/* Appends to 'buf', the first buffer of 'ch''s output, the small messages
 * queued right after it, up to DPU_CHANNEL_GATHER bytes in all. */
static void
dpu_channel_gather(struct dpu_channel *ch, struct ofpbuf *buf)
{
    while (buf->list_node.next != &ch->output
           && buf->size < DPU_CHANNEL_GATHER) {
        struct ofpbuf *next = ofpbuf_from_list(buf->list_node.next);

        if (next->size > DPU_CHANNEL_GATHER_MSG
            || buf->size + next->size > DPU_CHANNEL_GATHER) {
            break;
        }
        ofpbuf_put(buf, next->data, next->size);
        ovs_list_remove(&next->list_node);
        ofpbuf_delete(next);
        ch->stats.tx_gathered++;
    }
}

void
dpu_channel_run(struct dpu_channel *ch)
{
    if (ch->status) {
        return;
    }

    stream_run(ch->stream);
    while (!ovs_list_is_empty(&ch->output)) {
        struct ofpbuf *buf = ofpbuf_from_list(ch->output.next);
        int retval;

        dpu_channel_gather(ch, buf);
        retval = stream_send(ch->stream, buf->data, buf->size);

        if (retval >= 0) {
            ch->backlog -= retval;
            ch->stats.tx_bytes += retval;
            ofpbuf_pull(buf, retval);
            if (!buf->size) {
                ovs_list_remove(&buf->list_node);
                ofpbuf_delete(buf);
            }
        } else {
            if (retval != -EAGAIN) {
                VLOG_WARN_RL(&rl, "%s: send error: %s",
                             ch->name, ovs_strerror(-retval));
                dpu_channel_error(ch, -retval);
            }
            break;
        }
    }
}

void
dpu_channel_wait(struct dpu_channel *ch)
{
    if (!ch->status) {
        stream_run_wait(ch->stream);
        if (!ovs_list_is_empty(&ch->output)) {
            stream_send_wait(ch->stream);
        }
    }
}

int
dpu_channel_queue(struct dpu_channel *ch, struct ofpbuf *msg)
{
    if (ch->status) {
        ofpbuf_delete(msg);
        return ch->status;
    }
    if (ch->backlog + msg->size > DPU_CHANNEL_MAX_BACKLOG) {
        COVERAGE_INC(dpu_channel_tx_full);
        ch->stats.tx_full++;
        ofpbuf_delete(msg);
        return ENOBUFS;
    }

    if (ch->version) {
        struct dpu_header *h = msg->data;

        h->version = ch->version;
    }
    ch->stats.tx_msgs++;
    ch->backlog += msg->size;
    ch->stats.tx_backlog_peak = MAX(ch->stats.tx_backlog_peak, ch->backlog);
    ovs_list_push_back(&ch->output, &msg->list_node);
    return 0;
}

int
dpu_channel_send(struct dpu_channel *ch, struct ofpbuf *msg)
{
    int error = dpu_channel_queue(ch, msg);

    if (!error) {
        dpu_channel_run(ch);
        error = ch->status;
    }
    return error;
}

int
dpu_channel_recv(struct dpu_channel *ch, struct ofpbuf **msgp)
{
    *msgp = NULL;
    if (ch->status) {
        return ch->status;
    }

    for (;;) {
        int frame = dpu_msg_frame_len(ch->input.data, ch->input.size);
        size_t want;
        int retval;

        if (frame < 0) {
            COVERAGE_INC(dpu_channel_bad_frame);
            ch->stats.rx_bad++;
            VLOG_WARN_RL(&rl, "%s: received message with invalid header, "
                         "closing connection", ch->name);
            dpu_channel_error(ch, EPROTO);
            return EPROTO;
        } else if (frame && ch->input.size >= frame) {
            const struct dpu_header *h = ch->input.data;
            struct ofpbuf *msg;

            if (ch->version && h->version != ch->version
                && h->type != DPU_MSG_HELLO) {
                COVERAGE_INC(dpu_channel_bad_frame);
                ch->stats.rx_bad++;
                VLOG_WARN_RL(&rl, "%s: received a message of version %"PRIu8
                             " in a session of version %"PRIu8", closing "
                             "connection", ch->name, h->version,
                             ch->version);
                dpu_channel_error(ch, EPROTO);
                return EPROTO;
            }
            msg = ofpbuf_clone_data(ch->input.data, frame);
            ofpbuf_pull(&ch->input, frame);
            ch->stats.rx_msgs++;
            *msgp = msg;
            return 0;
        }

        /* Move what is left of the input to the start of the buffer when
         * that costs no more than what was consumed, then read at least the
         * rest of the current message (or of its header). */
        if (ofpbuf_headroom(&ch->input) >= ch->input.size) {
            ofpbuf_shift(&ch->input, -(int) ofpbuf_headroom(&ch->input));
        }
        want = frame ? frame - ch->input.size
                     : DPU_HEADER_LEN - ch->input.size;
        want = MAX(want, 65536);
        ofpbuf_prealloc_tailroom(&ch->input, want);
        retval = stream_recv(ch->stream, ofpbuf_tail(&ch->input), want);
        if (retval > 0) {
            ch->input.size += retval;
            ch->stats.rx_bytes += retval;
        } else if (retval == -EAGAIN) {
            return EAGAIN;
        } else {
            int error = retval ? -retval : EOF;

            if (error != EOF) {
                VLOG_WARN_RL(&rl, "%s: receive error: %s",
                             ch->name, ovs_strerror(error));
            } else if (ch->input.size) {
                VLOG_WARN_RL(&rl, "%s: connection closed in the middle of "
                             "a message", ch->name);
            }
            dpu_channel_error(ch, error);
            return error;
        }
    }
}

void
dpu_channel_recv_wait(struct dpu_channel *ch)
{
    if (ch->status) {
        poll_immediate_wake();
    } else {
        stream_recv_wait(ch->stream);
    }
}

size_t
dpu_channel_get_backlog(const struct dpu_channel *ch)
{
    return ch->status ? 0 : ch->backlog;
}

void
dpu_channel_get_stats(const struct dpu_channel *ch,
                      struct dpu_channel_stats *stats)
{
    *stats = ch->stats;
}

void
dpu_channel_format_stats(const struct dpu_channel_stats *s, struct ds *ds)
{
    ds_put_format(ds, "tx: %"PRIu64" msgs %"PRIu64" bytes, "
                  "rx: %"PRIu64" msgs %"PRIu64" bytes, "
                  "backlog peak %"PRIu64" bytes, tx full %"PRIu64", "
                  "bad frames %"PRIu64", tx gathered %"PRIu64,
                  s->tx_msgs, s->tx_bytes, s->rx_msgs, s->rx_bytes,
                  s->tx_backlog_peak, s->tx_full, s->rx_bad,
                  s->tx_gathered);
}
