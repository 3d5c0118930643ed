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

#ifndef DPU_CHANNEL_H
#define DPU_CHANNEL_H 1

/* A framed, buffered connection carrying dpu-protocol messages.
 *
 * A dpu_channel owns one OVS stream (unix:, tcp:, ssl:) and cuts its byte
 * stream into whole messages (see dpu-wire.h for the framing).  It does
 * not interpret messages beyond their header, and it does not reconnect:
 * the host wraps it in lib/reconnect, the agent accepts channels from a
 * pstream.  Both ends of the protocol use it, so that their counters mean the
 * same thing.
 *
 * Not thread-safe: one thread at a time may use a given channel. */

#include <stddef.h>
#include <stdint.h>

struct ds;
struct ofpbuf;
struct stream;

/* Counters kept for 'ovs-appctl dpif-dpu/show' and the agent's 'show'. */
struct dpu_channel_stats {
    uint64_t tx_msgs, tx_bytes;
    uint64_t rx_msgs, rx_bytes;
    uint64_t tx_backlog_peak;   /* Most bytes ever queued for sending. */
    uint64_t tx_full;           /* Sends refused: backlog over its limit. */
    uint64_t rx_bad;            /* Messages that failed to frame. */
    uint64_t tx_gathered;       /* Messages sent in the write of another. */
};

struct dpu_channel *dpu_channel_create(struct stream *);
void dpu_channel_close(struct dpu_channel *);

const char *dpu_channel_get_name(const struct dpu_channel *);
int dpu_channel_get_status(const struct dpu_channel *);

/* The session's protocol version (see "Versions" in dpu-wire.h), 0 until
 * the HELLO exchange sets it.  Once set, the channel writes it into the
 * header of every message it sends, and refuses, as a framing error, a
 * received message of another version, other than a HELLO. */
void dpu_channel_set_version(struct dpu_channel *, uint8_t version);
uint8_t dpu_channel_get_version(const struct dpu_channel *);

void dpu_channel_run(struct dpu_channel *);
void dpu_channel_wait(struct dpu_channel *);

/* Queues 'msg' (a finished message, see dpu_msg_finish()) for sending and
 * takes ownership of it.  Returns 0, ENOBUFS if the send backlog is above its
 * limit (the message is dropped; this does not close the channel), or the
 * channel's status if it is no longer usable. */
int dpu_channel_send(struct dpu_channel *, struct ofpbuf *msg);

/* As dpu_channel_send(), but only queues 'msg': the next
 * dpu_channel_run() sends it, with the other messages queued by then
 * gathered into as few writes as it can.  The caller must call
 * dpu_channel_run() before it blocks. */
int dpu_channel_queue(struct dpu_channel *, struct ofpbuf *msg);

/* Receives one whole message into '*msgp' (owned by the caller) and returns
 * 0, or returns EAGAIN if none is ready yet, EOF if the peer closed the
 * connection, or another positive errno value if the stream failed or could
 * no longer be framed (EPROTO).  After a nonzero return other than EAGAIN the
 * channel is out of service. */
int dpu_channel_recv(struct dpu_channel *, struct ofpbuf **msgp);
void dpu_channel_recv_wait(struct dpu_channel *);

size_t dpu_channel_get_backlog(const struct dpu_channel *);
void dpu_channel_get_stats(const struct dpu_channel *,
                           struct dpu_channel_stats *);
void dpu_channel_format_stats(const struct dpu_channel_stats *, struct ds *);

#endif /* dpu-channel.h */
