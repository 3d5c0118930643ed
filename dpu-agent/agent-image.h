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

#ifndef AGENT_IMAGE_H
#define AGENT_IMAGE_H 1

/* Images: the IMAGE_* requests, which need DPU_CAP_IMAGE.  The host streams
 * a bundle; the agent keeps it in a file, checks that it is whole and that
 * its digest is the one the host announced, then hands it to the DPU's
 * boot loader, which checks the signature against the DPU's own trust
 * anchor and writes the DPU content to the inactive bank.
 *
 * Request handlers (see agent_handler_func in agent-server.h), for the
 * agent's main thread. */

#include "agent-server.h"

struct ds;

/* 'boot_ctl' is the control socket of the boot loader (ovs-dpu-boot). */
struct agent_image *agent_image_create(const char *boot_ctl);
void agent_image_destroy(struct agent_image *);
void agent_image_format(const struct agent_image *, struct ds *);

agent_handler_func agent_image_begin;
agent_handler_func agent_image_data;
agent_handler_func agent_image_end;
agent_handler_func agent_image_select;

/* How long, in milliseconds, the agent waits for the host to close its
 * sessions before it reboots after IMAGE_SELECT. */
#define AGENT_IMAGE_REBOOT_WAIT_MS 1000

void agent_image_run(struct agent_image *, size_t n_sessions);
void agent_image_wait(const struct agent_image *);

#endif /* agent-image.h */
