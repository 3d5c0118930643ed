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

#ifndef DPU_INSTALL_H
#define DPU_INSTALL_H 1

/* Installing a bundle from ovs-vswitchd: "ovs-appctl dpif-dpu/install"
 * checks a bundle, streams its DPU content to every DPU at once over each
 * DPU's own connection (IMAGE_* messages, one thread per DPU), and hands
 * the bundle to the host's own boot loader for the host's content, in one
 * operation.  Each DPU's progress and result are in its DPU:status
 * (install_* keys); the command's reply names what failed, and a failed
 * install recommends a restart of the host, in status and log.
 *
 * Main thread only, except as said. */

struct smap;

void dpu_install_init(void);

/* Open_vSwitch other_config:dpu-host-boot: the control socket of the host's
 * boot loader (ovs-dpu-boot --host), or NULL. */
void dpu_install_set_host_boot(const char *socket);

/* Completes an install whose every part ended: replies to the command. */
void dpu_install_run(void);

/* Adds the install_* keys of DPU 'name' to 'status'. */
void dpu_install_get_status(const char *name, struct smap *status);

#endif /* dpu-install.h */
