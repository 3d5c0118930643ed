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

#ifndef DPUCTL_H
#define DPUCTL_H 1

/* The parts of ovs-dpuctl: sessions with a DPU (dpuctl-session.c), the
 * commands that act on several DPUs at once, install (dpuctl-install.c)
 * and log-bundle (dpuctl-logs.c), and the others with the options and
 * main() (ovs-dpuctl.c). */

#include <stdbool.h>
#include <stdint.h>

struct dpu_channel;
struct dpu_hello_reply;
struct dpu_msg;
struct ofpbuf;
struct ovs_cmdl_context;

/* Options. */
extern int timeout_secs;        /* -t: for each reply. */
extern bool allow_plaintext;    /* --allow-plaintext: tcp: targets. */
extern const char *trusted_key; /* install --trust. */
extern bool force;              /* install --force. */

/* Sessions (dpuctl-session.c). */
long long int deadline(void);
int try_open_channel(const char *target, struct dpu_channel **);
struct dpu_channel *open_channel(const char *target);
int recv_block(struct dpu_channel *, struct ofpbuf **msgp);
void send_block(struct dpu_channel *, struct ofpbuf *msg);
char *error_reply_to_string(const struct dpu_msg *);
char *try_transact(struct dpu_channel *, struct ofpbuf *req,
                   struct dpu_msg *, struct ofpbuf **replyp);
struct ofpbuf *transact(struct dpu_channel *, struct ofpbuf *req,
                        struct dpu_msg *);
char *try_hello(const char *target, struct dpu_channel **,
                struct dpu_hello_reply *);
struct dpu_channel *hello(const char *target, struct dpu_hello_reply *);

/* Commands. */
void dpuctl_install(struct ovs_cmdl_context *);
void dpuctl_log_bundle(struct ovs_cmdl_context *);

#endif /* dpuctl.h */
