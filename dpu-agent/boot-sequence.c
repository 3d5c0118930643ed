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

/* ovs-dpu-boot's boot sequence: the phases, the watchdog, rollback before
 * jumpstart, and on the host, the wait for its DPUs and the system
 * reboots that bring them to one version. */

#include <config.h>
#include "boot-loader.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dpu-boot-client.h"
#include "dpu-bundle.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "process.h"
#include "socket-util.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(boot_sequence);

/* Failures of a boot repeat at every boot of a broken bank. */
static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

const char *
phase_name(enum boot_phase phase)
{
    switch (phase) {
    case PHASE_BOOT_LOADER: return "boot-loader";
    case PHASE_EARLY_BOOT: return "early-boot";
    case PHASE_DEVICES: return "devices";
    case PHASE_JUMPSTART: return "jumpstart";
    case PHASE_READY: return "ready";
    case PHASE_HALTED: return "halted";
    }
    OVS_NOT_REACHED();
}

static void
boot_fail(struct boot *b, const char *format, ...)
    OVS_PRINTF_FORMAT(2, 3);

/* A failure before jumpstart: the bank being booted is not committed, and
 * the next boot uses the other bank, if it holds an image. */
static void
boot_fail(struct boot *b, const char *format, ...)
{
    char other = other_bank(b->bank);
    char *other_version = bank_version(other);
    va_list args;

    free(b->last_failure);
    va_start(args, format);
    b->last_failure = xvasprintf(format, args);
    va_end(args);

    if (b->unpack) {
        process_kill(b->unpack, SIGKILL);
        process_destroy(b->unpack);
        b->unpack = NULL;
    }
    if (b->trial == b->bank) {
        b->trial = 0;
    }
    if (other_version) {
        b->current = other;
        VLOG_WARN_RL(&rl, "bank %c failed before jumpstart (%s): rolling "
                     "back to bank %c, version %s", b->bank,
                     b->last_failure, other, other_version);
        b->phase = PHASE_BOOT_LOADER;
    } else {
        VLOG_ERR_RL(&rl, "bank %c failed before jumpstart (%s), and bank %c "
                    "holds no image: halted", b->bank, b->last_failure,
                    other);
        b->phase = PHASE_HALTED;
    }
    free(other_version);
    state_save(b);
}

static void
boot_loader(struct boot *b)
{
    char *version;

    if (b->rollback) {
        /* The operator's choice, made before the boot loader ran. */
        b->rollback = false;
        b->trial = 0;
        if (b->current) {
            b->current = other_bank(b->current);
        }
        VLOG_INFO("rollback requested: booting bank %c", b->current);
    }
    b->bank = b->trial ? b->trial : b->current;
    version = b->bank ? bank_version(b->bank) : NULL;
    if (!version) {
        b->phase = PHASE_HALTED;
        VLOG_INFO("no bank to boot: halted until an image is installed");
        state_save(b);
        return;
    }
    b->n_boots++;
    b->watchdog = time_msec() + watchdog_ms;
    b->phase = PHASE_EARLY_BOOT;
    VLOG_INFO("boot %u: bank %c, version %s%s", b->n_boots, b->bank,
              version, b->trial == b->bank ? " (trial)" : "");
    free(version);
    state_save(b);
}

/* Checks bank 'b->bank' against the digest that its signed manifest gave,
 * then starts unpacking it into the run directory. */
static void
early_boot_start(struct boot *b)
{
    char *dir = bank_dir(b->bank);
    char *content = xasprintf("%s/%s.tar.gz", dir, boot_component());
    char *digest_file = xasprintf("%s/sha256", dir);
    char *run_dir = xasprintf("%s/run", boot_dir);
    struct ds expected = DS_EMPTY_INITIALIZER;
    char *error = NULL;
    FILE *stream;

    stream = fopen(digest_file, "r");
    if (!stream || ds_get_line(&expected, stream)) {
        error = xasprintf("bank %c has no digest", b->bank);
    } else {
        error = dpu_file_check_sha256(content, ds_cstr(&expected));
    }
    if (stream) {
        fclose(stream);
    }

    if (!error) {
        /* Unpacked content from an earlier boot is not trusted. */
        remove_tree(run_dir);
        if (mkdir(run_dir, 0755) && errno != EEXIST) {
            error = xasprintf("%s: %s", run_dir, ovs_strerror(errno));
        } else {
            char *tar_argv[] = { "tar", "-xzf", content, "-C", run_dir,
                                 NULL };
            int retval = process_start(tar_argv, &b->unpack);

            if (retval) {
                error = xasprintf("cannot unpack (%s)", ovs_strerror(retval));
            }
        }
    }

    if (error) {
        boot_fail(b, "early boot: %s", error);
        free(error);
    }
    ds_destroy(&expected);
    free(run_dir);
    free(digest_file);
    free(content);
    free(dir);
}

static void
jumpstart(struct boot *b)
{
    char **argv = xcalloc(n_agent_args + 4, sizeof *argv);
    char *binary = xasprintf("%s/run/bin/%s", boot_dir, boot_service());
    char *unixctl_arg = xasprintf("--unixctl=%s", agent_ctl);
    char *version = bank_version(b->bank);
    char *version_arg = xasprintf("--image-version=%s",
                                  version ? version : "unknown");
    int error;

    /* The agent announces the version of the bank it runs from, so that the
     * host sees what the DPU booted. */
    argv[0] = binary;
    for (size_t i = 0; i < n_agent_args; i++) {
        argv[i + 1] = agent_args[i];
    }
    argv[n_agent_args + 1] = unixctl_arg;
    if (!host_mode) {
        argv[n_agent_args + 2] = version_arg;
    }
    error = (access(binary, X_OK) ? errno
             : process_start(argv, &b->agent));
    if (error) {
        boot_fail(b, "early boot: cannot start the agent (%s)",
                  ovs_strerror(error));
    } else {
        /* Services start: from here on, this bank is the one that boots,
         * whatever happens to it. */
        b->phase = PHASE_JUMPSTART;
        b->current = b->bank;
        if (b->trial == b->bank) {
            b->trial = 0;
        }
        VLOG_INFO("jumpstart: bank %c committed, %s started (pid %ld)",
                  b->bank, boot_service(), (long int) process_pid(b->agent));
        state_save(b);
    }
    free(version_arg);
    free(version);
    free(unixctl_arg);
    free(binary);
    free(argv);
}

static void
agent_gone(struct boot *b)
{
    char *status = process_status_msg(process_status(b->agent));

    VLOG_WARN_RL(&rl, "agent %s in phase %s: booting bank %c again (no "
                 "rollback after jumpstart)", status, phase_name(b->phase),
                 b->bank);
    free(status);
    process_destroy(b->agent);
    b->agent = NULL;
    b->phase = PHASE_BOOT_LOADER;
}

/* Host: reboots the whole system, that is every DPU and the host itself,
 * for 'why'. */
void
reboot_system(struct boot *b, const char *why)
{
    b->n_reboots++;
    VLOG_INFO("system reboot %u: %s", b->n_reboots, why);
    for (size_t i = 0; i < dpu_ctls.n; i++) {
        char *error = boot_client_call(dpu_ctls.names[i], "boot/reboot", 0,
                                       NULL, NULL);

        if (error) {
            VLOG_WARN_RL(&rl, "%s: cannot reboot the DPU: %s",
                         dpu_ctls.names[i], error);
            free(error);
        }
    }
    b->stop = true;
    b->phase = PHASE_BOOT_LOADER;
    state_save(b);
}

/* Host, before jumpstart: what each DPU booted.  Returns false while a DPU
 * is still booting (and the watchdog has not expired), else true and the
 * version each DPU runs in 'versions' (NULL for a DPU that runs none or
 * does not answer). */
static bool
devices_poll(const struct boot *b, char **versions)
{
    bool expired = time_msec() >= b->watchdog;

    for (size_t i = 0; i < dpu_ctls.n; i++) {
        struct boot_client_state state;
        char *error = boot_client_get_state(dpu_ctls.names[i], &state);
        bool done = (!error && (!strcmp(state.phase, "ready")
                                || !strcmp(state.phase, "halted")));

        if (!done && !expired) {
            boot_client_state_destroy(&state);
            free(error);
            return false;
        }
        if (!done) {
            VLOG_WARN_RL(&rl, "%s: the DPU did not boot before the watchdog "
                         "expired (%s)", dpu_ctls.names[i],
                         error ? error : state.phase);
        }
        versions[i] = done && !strcmp(state.phase, "ready")
                      ? nullable_xstrdup(state.version) : NULL;
        boot_client_state_destroy(&state);
        free(error);
    }
    return true;
}

/* Host, before jumpstart: the host and its DPUs must run one version.  A
 * new version that a DPU did not boot is rolled back on the host, before
 * jumpstart, without a reboot; DPUs that run another version than the
 * host's (they passed their own jumpstart, so only a reboot changes that)
 * are made to boot the host's version, and the whole system reboots once.
 * See "The Reboot Table" in dpu-lifecycle.rst. */
static void
devices_run(struct boot *b)
{
    char **versions = xcalloc(dpu_ctls.n, sizeof *versions);
    char *version = bank_version(b->bank);
    struct ds skew = DS_EMPTY_INITIALIZER;

    if (time_msec() < b->next_poll) {
        goto exit;
    }
    b->next_poll = time_msec() + 50;
    if (!devices_poll(b, versions)) {
        goto exit;
    }

    for (size_t i = 0; i < dpu_ctls.n; i++) {
        if (!versions[i] || !version || strcmp(versions[i], version)) {
            ds_put_format(&skew, "%s%s runs %s", skew.length ? ", " : "",
                          dpu_ctls.names[i],
                          versions[i] ? versions[i] : "nothing");
        }
    }
    if (!skew.length) {
        b->coordinated = false;
        jumpstart(b);
    } else if (b->trial == b->bank) {
        /* The new version did not boot everywhere: the host gives it up
         * before its jumpstart. */
        boot_fail(b, "the DPUs did not all boot version %s (%s)",
                  version ? version : "?", ds_cstr(&skew));
    } else if (!b->coordinated) {
        for (size_t i = 0; i < dpu_ctls.n; i++) {
            char *error = NULL;

            if (versions[i] && version && strcmp(versions[i], version)) {
                error = boot_client_call(dpu_ctls.names[i], "boot/select", 1,
                                         (char *[]) { version }, NULL);
            }
            if (error) {
                VLOG_WARN_RL(&rl, "%s: cannot select version %s: %s",
                             dpu_ctls.names[i], version, error);
                free(error);
            }
        }
        b->coordinated = true;
        char *why = xasprintf("the host runs version %s, but %s", version,
                              ds_cstr(&skew));
        reboot_system(b, why);
        free(why);
    } else {
        VLOG_ERR_RL(&rl, "after a system reboot, the host runs version %s "
                    "but %s: starting anyway", version, ds_cstr(&skew));
        b->coordinated = false;
        jumpstart(b);
    }

exit:
    ds_destroy(&skew);
    free(version);
    for (size_t i = 0; i < dpu_ctls.n; i++) {
        free(versions[i]);
    }
    free(versions);
}

void
boot_run(struct boot *b)
{
    process_run();
    if (b->stop) {
        b->stop = false;
        stop_agent(b);
    }
    switch (b->phase) {
    case PHASE_BOOT_LOADER:
        boot_loader(b);
        break;

    case PHASE_EARLY_BOOT:
        if (time_msec() >= b->watchdog) {
            b->hung = false;
            boot_fail(b, "watchdog expired in early boot");
        } else if (b->hung) {
            /* An injected hang: nothing happens until the watchdog. */
        } else if (b->fault == FAULT_CRASH) {
            b->fault = FAULT_NONE;
            boot_fail(b, "early boot crashed");
        } else if (b->fault == FAULT_HANG) {
            b->fault = FAULT_NONE;
            b->hung = true;
        } else if (!b->unpack) {
            early_boot_start(b);
        } else if (process_exited(b->unpack)) {
            int status = process_status(b->unpack);

            process_destroy(b->unpack);
            b->unpack = NULL;
            if (status) {
                char *msg = process_status_msg(status);

                boot_fail(b, "early boot: unpacking %s", msg);
                free(msg);
            } else {
                if (host_mode && dpu_ctls.n) {
                    /* The host's services need its DPUs: first see what
                     * they booted. */
                    b->phase = PHASE_DEVICES;
                    b->next_poll = 0;
                } else {
                    jumpstart(b);
                }
            }
        }
        break;

    case PHASE_DEVICES:
        devices_run(b);
        break;

    case PHASE_JUMPSTART:
        if (process_exited(b->agent)) {
            agent_gone(b);
        } else {
            /* The agent listens on its control socket once its services
             * run.  (unixctl_client_create() would log every try.) */
            int fd = make_unix_socket(SOCK_STREAM, false, NULL, agent_ctl);

            if (fd >= 0) {
                close(fd);
                b->phase = PHASE_READY;
                VLOG_INFO("ready: %s answers on %s", boot_service(), agent_ctl);
            }
        }
        break;

    case PHASE_READY:
        if (process_exited(b->agent)) {
            agent_gone(b);
        }
        break;

    case PHASE_HALTED:
        break;
    }
}

void
boot_wait(struct boot *b)
{
    switch (b->phase) {
    case PHASE_BOOT_LOADER:
        poll_immediate_wake();
        break;
    case PHASE_EARLY_BOOT:
        poll_timer_wait_until(b->watchdog);
        if (b->unpack) {
            process_wait(b->unpack);
        } else if (!b->hung) {
            poll_immediate_wake();
        }
        break;
    case PHASE_DEVICES:
        poll_timer_wait_until(b->next_poll);
        break;
    case PHASE_JUMPSTART:
        process_wait(b->agent);
        poll_timer_wait(50);    /* Until the agent's socket answers. */
        break;
    case PHASE_READY:
        process_wait(b->agent);
        break;
    case PHASE_HALTED:
        break;
    }
}

/* Stops the agent, if it runs, and waits for it. */
void
stop_agent(struct boot *b)
{
    if (b->agent) {
        process_kill(b->agent, SIGTERM);
        for (int i = 0; i < 500 && !process_exited(b->agent); i++) {
            process_run();
            if (i == 300) {
                process_kill(b->agent, SIGKILL);
            }
            xnanosleep(10 * 1000 * 1000);
        }
        process_destroy(b->agent);
        b->agent = NULL;
    }
    if (b->unpack) {
        process_kill(b->unpack, SIGKILL);
        process_destroy(b->unpack);
        b->unpack = NULL;
    }
    b->hung = false;
}
