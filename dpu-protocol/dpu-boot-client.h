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

#ifndef DPU_BOOT_CLIENT_H
#define DPU_BOOT_CLIENT_H 1

/* A client of a boot loader's control socket (ovs-dpu-boot): the agent hands
 * images to its DPU's boot loader and asks it to reboot; the host's boot
 * loader asks its DPUs' boot loaders what they booted.  Any thread; each
 * call blocks until the boot loader answers. */

/* Runs 'command' with the 'argc' arguments in 'argv' on the boot loader
 * whose control socket is 'ctl'.  Returns NULL and stores its output in
 * '*resultp' (if nonnull; the caller frees it), or returns an error message
 * (the caller frees it). */
char *boot_client_call(const char *ctl, const char *command,
                       int argc, char *argv[], char **resultp);

/* What a boot loader's boot/show says. */
struct boot_client_state {
    char *phase;                /* "ready", "halted", ... */
    char *version;              /* Of the bank it booted, or NULL. */
};

/* Asks the boot loader at 'ctl' for its state.  Returns NULL, or an error
 * message (the caller frees it). */
char *boot_client_get_state(const char *ctl, struct boot_client_state *);
void boot_client_state_destroy(struct boot_client_state *);

#endif /* dpu-boot-client.h */
