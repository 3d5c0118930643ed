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

#ifndef AGENT_SERVER_H
#define AGENT_SERVER_H 1

/* The DPU agent's protocol server.
 *
 * An agent_server listens on a stream (punix:, ptcp:, pssl:) for hosts,
 * runs a session for each connection, answers HELLO, and hands every other
 * request to the handler that the dispatch table in agent-server.c names
 * for its type, after the codec checked it against its policy and the
 * server checked that the DPU announced the capability it needs.  The
 * server owns the agent's modules, each in a file of its own:
 *
 *   agent-datapath.c   the datapath (dpif-netdev, opened in-process), its
 *                      ports and flows;
 *   agent-upcall.c     upcalls queued for the host;
 *   agent-conntrack.c, agent-meter.c, agent-qos.c
 *                      conntrack, meters and QoS of the datapath;
 *   agent-ha.c         the role in an active-standby pair;
 *   agent-handover.c   the handover of a planned failover;
 *   agent-health.c     hardware health alerts;
 *   agent-metrics.c    what the DPU measures about itself;
 *   agent-ipfix.c      the IPFIX exporters that the DPU runs;
 *   agent-emulation.c  fault and metric injection, only with
 *                      --enable-dummy.
 *
 * Not thread-safe: the agent's main thread calls these functions.  The
 * modules say which of theirs the datapath's threads call. */

#include <stdbool.h>
#include <stdint.h>
#include "openvswitch/list.h"

struct agent_server;
struct agent_dump;
struct agent_session;
struct dpu_identity;
struct dpu_msg;
struct ds;
struct ofpbuf;

/* Creates a server that listens on 'remote' (punix:, ptcp:, pssl:) with a
 * datapath named 'dp_name' and identity 'id'.  'dummy' makes ports
 * netdev-dummy ports by default.  On success stores the server in
 * '*serverp' and returns 0; otherwise returns a positive errno value and
 * logs why. */
int agent_server_create(const char *remote, const char *dp_name,
                        const struct dpu_identity *id, bool dummy,
                        struct agent_server **serverp);

/* Destroys 'server'.  With 'del', also deletes its datapath, and with it
 * the devices the datapath created (the tap devices of internal ports), as
 * "ovs-appctl exit --cleanup" does for ovs-vswitchd's datapaths; otherwise
 * those devices stay for the next agent. */
void agent_server_destroy(struct agent_server *, bool del);

void agent_server_run(struct agent_server *);
void agent_server_wait(struct agent_server *);

/* Makes the server speak protocol versions 'min' to 'max' (see "Versions"
 * in dpu-wire.h) instead of all those it implements, DPU_VERSION_MIN to
 * DPU_PROTOCOL_VERSION.  For tests, the range may lie outside those. */
void agent_server_set_boot_loader(struct agent_server *,
                                  const char *boot_ctl);
void agent_server_set_versions(struct agent_server *, uint8_t min,
                               uint8_t max);

/* Appends the state shown by 'dpu-agent/show'. */
void agent_server_format(const struct agent_server *, struct ds *);

/* The modules, for each other and for the agent's unixctl commands. */
struct agent_dp *agent_server_dp(const struct agent_server *);
struct agent_upcalls *agent_server_upcalls(const struct agent_server *);
struct agent_ha *agent_server_ha(const struct agent_server *);
struct agent_health *agent_server_health(const struct agent_server *);
struct agent_metrics *agent_server_metrics(const struct agent_server *);
struct agent_ipfix *agent_server_ipfix(const struct agent_server *);
struct agent_image *agent_server_image(const struct agent_server *);
struct agent_ct_sync *agent_server_ct_sync(const struct agent_server *);

/* Requests.
 * =========
 *
 * A request as the server hands it to a handler. */
struct agent_request {
    struct agent_server *server;
    struct agent_session *session;      /* Where it came from. */
    const struct ofpbuf *buf;   /* The whole message, for the attributes
                                 * that may be repeated. */
    const struct dpu_msg *msg;  /* Its header and attributes, checked
                                 * against the policy of its type. */
    uint8_t version;            /* The session's protocol version. */
};

/* A request handler.
 *
 * Handles 'req'.  On success, returns 0 after appending the attributes of
 * the reply to 'reply', which already holds the reply's header (the
 * request's type and xid, DPU_F_REPLY); a dump handler may add DPU_F_MORE
 * with agent_reply_set_more().  On failure, returns a positive errno value
 * after appending the cause, in words that name the object, to 'why'
 * (which may stay empty if the errno says it all); the server then
 * discards 'reply', answers with an ERROR that carries the errno and the
 * cause, and logs EINVAL, which means a malformed request, at a limited
 * rate (unless the dispatch table says that EINVAL is an answer of the
 * handler's device).  A handler never sends the reply itself. */
typedef int agent_handler_func(const struct agent_request *req,
                               struct ofpbuf *reply, struct ds *why);

/* Sets DPU_F_MORE in 'reply': a FLOW_DUMP or CT_DUMP has more to come. */
void agent_reply_set_more(struct ofpbuf *reply);

/* Makes the agent exit at crash point 'cp' (see agent-crash-point.h) as
 * soon as it has sent the reply to 'req', which the handler is writing. */
struct dpu_crash_point;
void agent_request_crash_after_reply(const struct agent_request *req,
                                     const struct dpu_crash_point *cp);

/* Sessions.
 * =========
 *
 * Sends the asynchronous message 'msg' (started with dpu_msg_start(), not
 * finished) to session 's', or, if 's' is NULL, to every session that
 * said HELLO, and deletes it. */
void agent_server_send_async(struct agent_server *, struct agent_session *s,
                             struct ofpbuf *msg);

/* Starts a DPU_EVENT 'event', with the DPU's role, in a new buffer, to
 * which the caller may add attributes before it sends it with
 * agent_server_send_async(). */
struct ofpbuf *agent_server_start_event(struct agent_server *,
                                        const char *event);

/* Sends DPU_EVENT 'event', with 'details' if nonnull and the DPU's role, to
 * session 's' or, if 's' is NULL, to every session. */
void agent_server_send_event(struct agent_server *, struct agent_session *s,
                             const char *event, const char *details);

/* The host's datapath connection (the session that asked for upcalls in
 * its HELLO), or NULL if there is none. */
struct dpu_channel *agent_server_upcall_channel(const struct agent_server *);

/* When any host last sent a message, in time_msec(). */
long long int agent_server_last_host_rx(const struct agent_server *);

/* Dumps.
 *
 * A flow dump or a conntrack dump open on a session, which the host
 * continues with requests of the same DUMP_ID.  Flow and conntrack dumps
 * share one namespace of ids on a session.  A module embeds a struct
 * agent_dump in its own dump, whose class says how to destroy it. */
struct agent_dump_class {
    const char *name;           /* "flow", "conntrack". */
    void (*destroy)(struct agent_dump *);
};

struct agent_dump {
    struct ovs_list list_node;  /* In the session's dumps. */
    uint32_t id;
    const struct agent_dump_class *class;
};

/* Returns the dump with 'id' open on 's', or NULL. */
struct agent_dump *agent_session_find_dump(struct agent_session *s,
                                           uint32_t id);

/* Opens 'dump' on 's' with 'id' and 'class'.  Returns 0, or EBUSY with the
 * cause appended to 'why' if 's' has too many dumps open (the caller then
 * still owns 'dump'). */
int agent_session_add_dump(struct agent_session *s, struct agent_dump *dump,
                           uint32_t id, const struct agent_dump_class *class,
                           struct ds *why);

/* Closes and destroys 'dump'. */
void agent_dump_destroy(struct agent_dump *);

#endif /* agent-server.h */
