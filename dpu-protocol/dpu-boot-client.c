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
#include "dpu-boot-client.h"

#include <string.h>

#include "jsonrpc.h"
#include "unixctl.h"
#include "util.h"

char *
boot_client_call(const char *ctl, const char *command, int argc,
                 char *argv[], char **resultp)
{
    struct jsonrpc *client;
    char *result = NULL, *err = NULL;
    int error;

    if (resultp) {
        *resultp = NULL;
    }
    error = unixctl_client_create(ctl, &client);
    if (error) {
        return xasprintf("the boot loader is not reachable at %s (%s)",
                         ctl, ovs_strerror(error));
    }
    error = unixctl_client_transact(client, command, argc, argv, &result,
                                    &err);
    jsonrpc_close(client);
    if (error) {
        free(result);
        free(err);
        return xasprintf("the boot loader at %s did not answer (%s)", ctl,
                         ovs_strerror(error));
    } else if (err) {
        free(result);
        err[strcspn(err, "\n")] = '\0';
        return err;
    }
    if (resultp) {
        *resultp = result;
    } else {
        free(result);
    }
    return NULL;
}

char *
boot_client_get_state(const char *ctl, struct boot_client_state *state)
{
    char *result, *error;

    memset(state, 0, sizeof *state);
    error = boot_client_call(ctl, "boot/show", 0, NULL, &result);
    if (error) {
        return error;
    }

    /* "phase: P" and "bank X: VERSION, ..., booted" lines. */
    char *save_ptr = NULL;
    for (char *line = strtok_r(result, "\n", &save_ptr); line;
         line = strtok_r(NULL, "\n", &save_ptr)) {
        if (!strncmp(line, "phase: ", 7)) {
            free(state->phase);
            state->phase = xstrdup(line + 7);
        } else if (!strncmp(line, "bank ", 5) && strstr(line, ", booted")
                   && strlen(line) > 8) {
            char *version = line + 8;

            free(state->version);
            state->version = xmemdup0(version, strcspn(version, ","));
        }
    }
    free(result);
    if (!state->phase) {
        boot_client_state_destroy(state);
        return xasprintf("%s: boot/show gave no phase", ctl);
    }
    return NULL;
}

void
boot_client_state_destroy(struct boot_client_state *state)
{
    free(state->phase);
    free(state->version);
    state->phase = state->version = NULL;
}
