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

#ifndef DPU_CONN_H
#define DPU_CONN_H 1

/* The host's side of one DPU: its configuration, its connection and what the
 * DPU announced about itself.
 *
 * Every configured DPU has a dpu_conn, created and destroyed by
 * dpu_conn_set_config() (called from the OVSDB layer, dpu-ovsdb.c).  Each
 * dpu_conn runs an I/O thread that owns the stream: it connects with backoff
 * (lib/reconnect), exchanges HELLO, sends heartbeats, sends the requests of
 * other threads and hands them their replies, and passes asynchronous
 * messages (upcalls, port events) to the callback registered with
 * dpu_conn_set_async_cb().
 *
 * Thread-safety: every function may be called from any thread.
 * dpu_conn_transact() blocks the caller until the reply arrives, the
 * connection drops, or the request times out. */

#include <stdbool.h>
#include <stdint.h>
#include "openvswitch/types.h"

struct dpu_msg;
struct ds;
struct ofpbuf;
struct seq;
struct smap;
struct dpu_conn;
struct dpu_request;

/* Configuration of one DPU, from its OVSDB row. */
struct dpu_config {
    const char *name;
    const char *target;
    const struct smap *other_config;
    bool ha;                    /* Member of an active-standby pair: tighter
                                 * default heartbeats. */
    bool no_upcalls;            /* A program beside ovs-vswitchd (a tool, a
                                 * benchmark): its HELLO asks for no
                                 * upcalls, so that the DPU keeps sending
                                 * them, and keeps the IPFIX exporters, to
                                 * ovs-vswitchd's connection.  Takes effect
                                 * at the next HELLO. */
};

/* Replaces the set of configured DPUs by the 'n' in 'cfgs': creates new ones,
 * reconfigures existing ones (a changed target reconnects; new heartbeats
 * and backoff apply to the connection as it is), and destroys those not
 * listed. */
void dpu_conn_set_config(const struct dpu_config *cfgs, size_t n);

/* Looks up a DPU by 'name' and returns a new reference to it, or NULL.
 * With a null 'name', returns the only configured DPU, or NULL if there are
 * none or several.  Release with dpu_conn_unref(). */
struct dpu_conn *dpu_conn_ref(const char *name);
struct dpu_conn *dpu_conn_ref_existing(struct dpu_conn *);
void dpu_conn_unref(struct dpu_conn *);

/* Returns references to every configured DPU, sorted by name, in a malloc()ed
 * array stored in '*connsp'; returns the number of elements.  The caller must
 * unref each element and free the array. */
size_t dpu_conn_get_all(struct dpu_conn ***connsp);
size_t dpu_conn_count(void);

const char *dpu_conn_get_name(const struct dpu_conn *);

/* True if the DPU is connected and has answered HELLO. */
bool dpu_conn_is_up(const struct dpu_conn *);

/* Returns a number that changes every time the DPU comes up (after HELLO),
 * and the DPU's boot id as announced in that HELLO.  A changed boot id means
 * the DPU lost its datapath state. */
uint64_t dpu_conn_get_session(const struct dpu_conn *, ovs_u128 *boot_id);

/* The protocol version of the DPU's session, in which to encode what
 * depends on it (see "Versions" in dpu-wire.h), or 0 if the DPU is not up.
 * A request encoded in one session and sent in the next fails or is
 * stamped with the new version: encode it again when the session
 * changes. */
uint8_t dpu_conn_get_version(const struct dpu_conn *);

/* Returns the capability bits (DPU_CAP_*) announced by the DPU and whether
 * it supports explicit drop and lb_output actions, as of its last HELLO. */
uint32_t dpu_conn_get_caps(const struct dpu_conn *, bool *explicit_drop,
                           bool *lb_output);

/* Waits up to 'timeout_ms' for the DPU to come up.  Returns true if it is
 * up. */
bool dpu_conn_wait_up(struct dpu_conn *, long long int timeout_ms);

/* Sends 'request' (a message started with dpu_msg_start(), whose xid this
 * function assigns, and finished with dpu_msg_finish()) to the DPU and waits
 * for the reply.  Takes ownership of 'request'.
 *
 * Returns 0 on success, with the reply stored in '*replyp' (owned by the
 * caller, freed with ofpbuf_delete()) and decoded in '*reply' (pointing into
 * '*replyp').  On failure, returns a positive errno value and stores NULL in
 * '*replyp':
 *
 *   - ENOTCONN: the DPU is not up, or the connection dropped before the
 *     reply arrived.
 *   - ETIMEDOUT: no reply within 'timeout_ms' (0 for the default, 10 s),
 *     or, at once, an earlier request timed out and the DPU has sent
 *     nothing since (it is hung: see the heartbeats).
 *   - ENOBUFS: the connection's send backlog is full.
 *   - The errno value of a DPU_MSG_ERROR reply, whose message is logged at
 *     debug level.
 *   - EPROTO: the reply did not match the request's type or its policy. */
int dpu_conn_transact(struct dpu_conn *, struct ofpbuf *request,
                      long long int timeout_ms,
                      struct ofpbuf **replyp, struct dpu_msg *reply);

/* As dpu_conn_transact(), and if the DPU answers with an ERROR that gives
 * a reason, stores a copy of it in '*whyp' (the caller frees it), else
 * NULL. */
int dpu_conn_transact_why(struct dpu_conn *, struct ofpbuf *request,
                          long long int timeout_ms, struct ofpbuf **replyp,
                          struct dpu_msg *reply, char **whyp);

/* Pipelined requests: dpu_conn_transact_begin() queues 'request' (taking
 * ownership of it) and returns at once; dpu_conn_transact_end() waits for
 * its reply and returns what dpu_conn_transact_why() would have, and frees
 * the request.  Every begin must have its end, with a reference to the
 * 'dpu_conn' held in between.  A caller may begin several requests before
 * it ends the first: the DPU receives them in the order they began, and
 * they share the connection's writes. */
struct dpu_request *dpu_conn_transact_begin(struct dpu_conn *,
                                            struct ofpbuf *request,
                                            long long int timeout_ms);
int dpu_conn_transact_end(struct dpu_conn *, struct dpu_request *,
                          struct ofpbuf **replyp, struct dpu_msg *reply,
                          char **whyp);

/* Sends 'msg' without waiting for a reply (xid must already be set; use for
 * messages that are not answered).  Takes ownership of 'msg'. */
int dpu_conn_send(struct dpu_conn *, struct ofpbuf *msg);

/* As dpu_conn_send(), but if more than 'max_backlog' bytes already wait to
 * be sent to the DPU (queued, or in its channel's backlog), drops 'msg' and
 * returns ENOBUFS. */
int dpu_conn_send_bounded(struct dpu_conn *, struct ofpbuf *msg,
                          size_t max_backlog);

/* Callback for asynchronous messages (DPU_MSG_UPCALL, DPU_MSG_PORT_EVENT),
 * called from the DPU's I/O thread with a message 'buf', decoded and
 * policy-checked in 'msg' (repeated attributes must be walked in 'buf').
 * No dpu_conn lock is held during the call, in the order the messages
 * arrived.  The callback must not block and must not call
 * dpu_conn_transact() (the I/O thread would wait for itself). */
typedef void dpu_async_cb(struct dpu_conn *, const struct ofpbuf *buf,
                          const struct dpu_msg *, void *aux);
void dpu_conn_set_async_cb(dpu_async_cb *, void *aux);

/* A seq that changes whenever a DPU comes up, goes down, or is added or
 * removed. */
struct seq *dpu_conn_seq(void);

/* Stores the heartbeat interval and the number of heartbeats that may be
 * missed before the DPU is declared down. */
void dpu_conn_get_heartbeat(const struct dpu_conn *, int *interval_ms,
                            int *misses);

/* Makes the I/O thread of 'conn' close its connection, for 'why', as the
 * host does on purpose (DPU_DOWN_HOST: no failure, no alarm), then
 * reconnect with backoff as after any disconnection. */
void dpu_conn_disconnect(struct dpu_conn *, const char *why);

/* Why a DPU last went down. */
enum dpu_down_cause {
    DPU_DOWN_NONE,              /* It never went down. */
    DPU_DOWN_CLOSED,            /* Its connection closed or broke: the DPU
                                 * (its agent) crashed, or the channel to it
                                 * was cut. */
    DPU_DOWN_HEARTBEAT,         /* It missed its heartbeats: it hangs. */
    DPU_DOWN_PROTOCOL,          /* It spoke the protocol wrong. */
    DPU_DOWN_HOST,              /* The host disconnected on purpose: a new
                                 * target, the DPU row removed, the host
                                 * exiting.  Not a failure of the DPU. */
};

/* Returns when (time_msec()) the DPU last went from "up" to another state,
 * or 0 if it never did, stores why in '*cause' and a malloc()ed copy of the
 * reason it is not up in '*reason' (NULL if it is up). */
long long int dpu_conn_get_down_time(const struct dpu_conn *,
                                     enum dpu_down_cause *cause,
                                     char **reason);

/* Stores in '*valuep' a malloc()ed copy of identity field 'key' ("vendor",
 * "hardware_version", "firmware"...) from the DPU's last HELLO, or NULL if
 * it never answered, and returns it. */
const char *dpu_conn_get_identity(const struct dpu_conn *, const char *key,
                                  char **valuep);

/* Fills 'status' with the DPU:status keys (see dpu-table.xml). */
void dpu_conn_get_status(const struct dpu_conn *, struct smap *status);

/* Appends a human-readable description of the DPU to 'ds'. */
void dpu_conn_format(const struct dpu_conn *, struct ds *);

#endif /* dpu-conn.h */
