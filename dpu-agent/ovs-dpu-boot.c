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

/* ovs-dpu-boot: the emulated DPU's boot loader.
 *
 * A real DPU's firmware keeps two image banks and boots the agent from one
 * of them, with a watchdog that swaps back to the other bank unless the new
 * image gets through its boot.  This daemon plays that part for an agent
 * that runs as a process: it keeps banks "a" and "b" in a directory, writes
 * a verified bundle's DPU content to the inactive bank, and boots the agent
 * through the phases
 *
 *     boot-loader -> early-boot -> jumpstart -> ready
 *
 * where early boot checks the bank against the digest of the signed
 * manifest and unpacks it, and jumpstart starts the agent (the moment its
 * services start).  A failure before jumpstart (a check that fails, a crash,
 * the watchdog) makes the next boot use the other bank: a rollback.  From
 * jumpstart on, the bank is committed and a failure does not roll back; an
 * agent that exits is booted again from the same bank.  See
 * Documentation/topics/dpu-lifecycle.rst. */

#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "command-line.h"
#include "daemon.h"
#include "dirs.h"
#include "dpu-bundle.h"
#include "dpu-version.h"
#include "dummy.h"
#include "fatal-signal.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "process.h"
#include "socket-util.h"
#include "timeval.h"
#include "unixctl.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(ovs_dpu_boot);

/* Failures of a boot repeat at every boot of a broken bank. */
static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

/* Options. */
static char *boot_dir;          /* Banks and state. */
static char *trust_file;        /* --trust: the DPU's own trust anchor. */
static char *agent_ctl;         /* --agent-unixctl. */
static int watchdog_ms = 10000; /* --watchdog. */
static bool enable_dummy;       /* --enable-dummy: fault injection. */
static char *unixctl_path;      /* --unixctl. */
static char **agent_args;       /* After "--". */
static size_t n_agent_args;

OVS_NO_RETURN static void usage(void);
static void parse_options(int argc, char *argv[]);
struct boot;
static void stop_agent(struct boot *);

enum boot_phase {
    PHASE_BOOT_LOADER,          /* Choosing a bank. */
    PHASE_EARLY_BOOT,           /* Checking and unpacking it. */
    PHASE_JUMPSTART,            /* Agent started, not answering yet. */
    PHASE_READY,                /* Agent answers on its control socket. */
    PHASE_HALTED,               /* No bank boots. */
};

static const char *
phase_name(enum boot_phase phase)
{
    switch (phase) {
    case PHASE_BOOT_LOADER: return "boot-loader";
    case PHASE_EARLY_BOOT: return "early-boot";
    case PHASE_JUMPSTART: return "jumpstart";
    case PHASE_READY: return "ready";
    case PHASE_HALTED: return "halted";
    }
    OVS_NOT_REACHED();
}

/* Injected faults (--enable-dummy), each for the next boot only. */
enum boot_fault {
    FAULT_NONE,
    FAULT_CRASH,                /* Early boot crashes. */
    FAULT_HANG,                 /* Early boot never ends. */
};

struct boot {
    /* Kept in boot.json, so that they survive the boot loader's own
     * restart (a power cycle). */
    char current;               /* Committed bank, 'a' or 'b', or 0. */
    char trial;                 /* Bank written, not yet booted, or 0. */
    bool rollback;              /* Operator asked for the other bank. */
    unsigned int n_boots;
    char *last_failure;

    /* This run only. */
    enum boot_phase phase;
    char bank;                  /* Bank being booted. */
    long long int watchdog;     /* Deadline before jumpstart. */
    struct process *agent;
    struct process *unpack;     /* "tar" in early boot. */
    enum boot_fault fault;
    bool hung;
    bool stop;                  /* Stop the agent: reboot asked for. */
};

/* Removes 'path' and everything under it, waiting for it to be done. */
static void
remove_tree(const char *path)
{
    char *argv[] = { "rm", "-rf", CONST_CAST(char *, path), NULL };
    struct process *rm;

    if (!process_start(argv, &rm)) {
        while (!process_exited(rm)) {
            process_run();
            process_wait(rm);
            poll_block();
        }
        process_destroy(rm);
    }
}

static bool
write_file_sync(const char *file, const char *line)
{
    FILE *stream = fopen(file, "w");
    bool ok = (stream && fprintf(stream, "%s\n", line) > 0
               && !fflush(stream) && !fsync(fileno(stream)));

    if (stream && fclose(stream)) {
        ok = false;
    }
    return ok;
}

static char *
bank_dir(char bank)
{
    return xasprintf("%s/bank-%c", boot_dir, bank);
}

static char
other_bank(char bank)
{
    return bank == 'a' ? 'b' : 'a';
}

/* Returns the version in bank 'bank', or NULL if it holds no image. */
static char *
bank_version(char bank)
{
    char *dir = bank_dir(bank);
    char *file = xasprintf("%s/version", dir);
    struct ds s = DS_EMPTY_INITIALIZER;
    char *version = NULL;
    FILE *stream = fopen(file, "r");

    if (stream) {
        if (!ds_get_line(&s, stream) && dpu_version_is_valid(ds_cstr(&s))) {
            version = ds_steal_cstr(&s);
        }
        fclose(stream);
    }
    ds_destroy(&s);
    free(file);
    free(dir);
    return version;
}

static void
state_save(const struct boot *b)
{
    char *file = xasprintf("%s/boot.json", boot_dir);
    char *tmp = xasprintf("%s.tmp", file);
    struct json *json = json_object_create();
    char bank[2] = { 0, 0 };
    FILE *stream;

    bank[0] = b->current;
    json_object_put_string(json, "current", bank);
    bank[0] = b->trial;
    json_object_put_string(json, "trial", bank);
    json_object_put(json, "rollback", json_boolean_create(b->rollback));
    json_object_put(json, "boots", json_integer_create(b->n_boots));
    json_object_put_string(json, "last-failure",
                           b->last_failure ? b->last_failure : "");

    char *text = json_to_string(json, JSSF_SORT);
    stream = fopen(tmp, "w");
    if (!stream || fputs(text, stream) < 0 || fflush(stream)
        || fsync(fileno(stream)) || fclose(stream)
        || rename(tmp, file)) {
        VLOG_ERR("%s: cannot save the boot state (%s)", file,
                 ovs_strerror(errno));
    }
    free(text);
    json_destroy(json);
    free(tmp);
    free(file);
}

static char
parse_bank(const struct json *json)
{
    const char *s = json && json->type == JSON_STRING ? json_string(json) : "";

    return !strcmp(s, "a") ? 'a' : !strcmp(s, "b") ? 'b' : 0;
}

static void
state_load(struct boot *b)
{
    char *file = xasprintf("%s/boot.json", boot_dir);
    struct json *json = json_from_file(file);

    if (json->type == JSON_OBJECT) {
        const struct json *boots = shash_find_data(json_object(json),
                                                   "boots");
        const struct json *rollback = shash_find_data(json_object(json),
                                                      "rollback");
        const struct json *failure = shash_find_data(json_object(json),
                                                     "last-failure");

        b->current = parse_bank(shash_find_data(json_object(json),
                                                "current"));
        b->trial = parse_bank(shash_find_data(json_object(json), "trial"));
        b->rollback = rollback && rollback->type == JSON_TRUE;
        b->n_boots = (boots && boots->type == JSON_INTEGER
                      ? json_integer(boots) : 0);
        if (failure && failure->type == JSON_STRING
            && *json_string(failure)) {
            b->last_failure = xstrdup(json_string(failure));
        }
    } else if (!access(file, F_OK)) {
        VLOG_WARN("%s: unreadable boot state, starting afresh (%s)", file,
                  json->type == JSON_STRING ? json_string(json) : "");
    }
    json_destroy(json);
    free(file);
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
    char *content = xasprintf("%s/dpu.tar.gz", dir);
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
    char *binary = xasprintf("%s/run/bin/ovs-dpu-agent", boot_dir);
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
    argv[n_agent_args + 2] = version_arg;
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
        VLOG_INFO("jumpstart: bank %c committed, agent started (pid %ld)",
                  b->bank, (long int) process_pid(b->agent));
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

static void
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
                jumpstart(b);
            }
        }
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
                VLOG_INFO("ready: the agent answers on %s", agent_ctl);
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

static void
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
static void
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

/* Writes the DPU content of a bundle to the inactive bank. */
static char *
install(struct boot *b, const char *bundle_file, bool force)
{
    char target = b->current ? other_bank(b->current) : 'a';
    char *dir = bank_dir(target);
    char *tmp = xasprintf("%s.tmp", dir);
    char *content = xasprintf("%s/dpu.tar.gz", tmp);
    char *current_version = b->current ? bank_version(b->current) : NULL;
    struct dpu_bundle *bundle = NULL;
    char *error;

    /* Checked here again, against this DPU's own trust anchor: the host
     * that sent the bundle is not trusted to have checked it. */
    error = dpu_bundle_open(bundle_file, &bundle);
    if (!error) {
        error = dpu_bundle_verify(bundle, trust_file);
    }
    if (!error && current_version) {
        error = dpu_bundle_check_version(bundle, current_version, force);
    }
    if (error) {
        goto exit;
    }

    if (b->phase == PHASE_EARLY_BOOT && b->bank == target) {
        error = xasprintf("bank %c is booting", target);
        goto exit;
    }
    /* Written aside, then renamed: a crash while writing leaves the bank
     * as it was. */
    remove_tree(tmp);
    if (mkdir(tmp, 0755)) {
        error = xasprintf("%s: %s", tmp, ovs_strerror(errno));
        goto exit;
    }
    error = dpu_bundle_extract(bundle, "dpu", content);
    if (!error) {
        const struct dpu_bundle_component *c = dpu_bundle_find(bundle, "dpu");
        char *digest_file = xasprintf("%s/sha256", tmp);
        char *version_file = xasprintf("%s/version", tmp);
        char hex[65];

        dpu_sha256_to_hex(c->sha256, hex);
        if (!write_file_sync(digest_file, hex)
            || !write_file_sync(version_file, bundle->version)) {
            error = xasprintf("%s: write failed (%s)", tmp,
                              ovs_strerror(errno));
        }
        free(version_file);
        free(digest_file);
    }
    if (!error) {
        char *old = xasprintf("%s.old", dir);

        remove_tree(old);
        if (rename(dir, old) && errno != ENOENT) {
            error = xasprintf("%s: %s", dir, ovs_strerror(errno));
        } else if (rename(tmp, dir)) {
            error = xasprintf("%s: %s", dir, ovs_strerror(errno));
        } else {
            remove_tree(old);
        }
        free(old);
    }
    if (!error) {
        b->trial = target;
        state_save(b);
        VLOG_INFO("bank %c: version %s written from %s", target,
                  bundle->version, bundle_file);
    }

exit:
    free(current_version);
    dpu_bundle_close(bundle);
    free(content);
    free(tmp);
    free(dir);
    return error;
}

static void
boot_unixctl_show(struct unixctl_conn *conn, int argc OVS_UNUSED,
                  const char *argv[] OVS_UNUSED, void *b_)
{
    struct boot *b = b_;
    struct ds s = DS_EMPTY_INITIALIZER;

    ds_put_format(&s, "phase: %s\n", phase_name(b->phase));
    ds_put_format(&s, "boots: %u\n", b->n_boots);
    for (char bank = 'a'; bank <= 'b'; bank++) {
        char *version = bank_version(bank);

        ds_put_format(&s, "bank %c: %s%s%s%s\n", bank,
                      version ? version : "empty",
                      b->current == bank ? ", current" : "",
                      b->trial == bank ? ", trial" : "",
                      b->bank == bank && b->phase != PHASE_HALTED
                      ? ", booted" : "");
        free(version);
    }
    if (b->rollback) {
        ds_put_cstr(&s, "rollback requested for the next boot\n");
    }
    if (b->last_failure) {
        ds_put_format(&s, "last failure: %s\n", b->last_failure);
    }
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

static void
boot_unixctl_install(struct unixctl_conn *conn, int argc,
                     const char *argv[], void *b)
{
    bool force = argc > 2 && !strcmp(argv[1], "--force");
    const char *file = argv[argc - 1];
    char *error;

    if (argc > 2 && !force) {
        unixctl_command_reply_error(conn, "usage: boot/install [--force] "
                                    "BUNDLE");
        return;
    }
    error = install(b, file, force);
    if (error) {
        VLOG_WARN_RL(&rl, "install refused: %s", error);
        unixctl_command_reply_error(conn, error);
        free(error);
    } else {
        struct boot *boot = b;
        char *reply = xasprintf("bank %c written: reboot to boot it",
                                boot->trial);

        unixctl_command_reply(conn, reply);
        free(reply);
    }
}

static void
boot_unixctl_reboot(struct unixctl_conn *conn, int argc OVS_UNUSED,
                    const char *argv[] OVS_UNUSED, void *b_)
{
    struct boot *b = b_;

    /* The agent itself may be asking: it gets the reply before it is
     * stopped, in boot_run(). */
    VLOG_INFO("reboot requested");
    b->stop = true;
    b->phase = PHASE_BOOT_LOADER;
    unixctl_command_reply(conn, NULL);
}

static void
boot_unixctl_rollback(struct unixctl_conn *conn, int argc OVS_UNUSED,
                      const char *argv[] OVS_UNUSED, void *b_)
{
    struct boot *b = b_;
    char *version = b->current ? bank_version(other_bank(b->current)) : NULL;

    if (!version) {
        unixctl_command_reply_error(conn, "the other bank holds no image");
        return;
    }
    b->rollback = true;
    state_save(b);
    char *reply = xasprintf("the next boot uses bank %c, version %s",
                            other_bank(b->current), version);
    unixctl_command_reply(conn, reply);
    free(reply);
    free(version);
}

/* Returns the bank that the next boot starts from, or 0. */
static char
next_bank(const struct boot *b)
{
    return (b->rollback && b->current ? other_bank(b->current)
            : b->trial ? b->trial
            : b->current);
}

/* Makes the next boot start from the bank that holds the version in
 * argv[1] (the host asks for it to repair a version skew). */
static void
boot_unixctl_select(struct unixctl_conn *conn, int argc OVS_UNUSED,
                    const char *argv[], void *b_)
{
    struct boot *b = b_;
    const char *version = argv[1];
    char bank = 0;

    for (char x = 'a'; x <= 'b' && !bank; x++) {
        char *v = bank_version(x);

        if (v && !strcmp(v, version)) {
            bank = x;
        }
        free(v);
    }
    if (!bank) {
        char *error = xasprintf("no bank holds version %s", version);

        unixctl_command_reply_error(conn, error);
        free(error);
        return;
    }
    if (bank != next_bank(b)) {
        if (bank == b->current) {
            /* Back to the committed bank: the trial is given up. */
            b->trial = 0;
            b->rollback = false;
        } else if (bank == b->trial) {
            b->rollback = false;
        } else if (!b->current) {
            b->trial = bank;
        } else {
            b->trial = 0;
            b->rollback = true;
        }
        state_save(b);
        VLOG_INFO("version %s selected: the next boot uses bank %c",
                  version, bank);
    }
    char *reply = xasprintf("the next boot uses bank %c, version %s", bank,
                            version);
    unixctl_command_reply(conn, reply);
    free(reply);
}

static void
boot_unixctl_fail(struct unixctl_conn *conn, int argc OVS_UNUSED,
                  const char *argv[], void *b_)
{
    struct boot *b = b_;

    if (!strcmp(argv[1], "crash")) {
        b->fault = FAULT_CRASH;
    } else if (!strcmp(argv[1], "hang")) {
        b->fault = FAULT_HANG;
    } else {
        unixctl_command_reply_error(conn, "fault is crash or hang");
        return;
    }
    unixctl_command_reply(conn, NULL);
}

/* Returns the agent's log file, from its --log-file option, or NULL. */
static const char *
agent_log_file(void)
{
    for (size_t i = 0; i < n_agent_args; i++) {
        if (!strncmp(agent_args[i], "--log-file=", 11)) {
            return agent_args[i] + 11;
        }
    }
    return NULL;
}

/* The DPU's console, reached through the boot loader (on hardware, through
 * the BMC): the last lines of the agent's log, whether the agent runs or
 * not, so that the logs of a failure are not lost with it. */
static void
boot_unixctl_console(struct unixctl_conn *conn, int argc,
                     const char *argv[], void *b_ OVS_UNUSED)
{
    const char *log_file = agent_log_file();
    struct ds s = DS_EMPTY_INITIALIZER;
    unsigned int n_lines = 20;
    char buf[64 * 1024];
    FILE *stream;
    size_t n;

    if (argc > 1 && (!str_to_uint(argv[1], 10, &n_lines) || !n_lines
                     || n_lines > 1000)) {
        unixctl_command_reply_error(conn, "N is a number of lines, 1 to "
                                    "1000");
        return;
    }
    if (!log_file) {
        unixctl_command_reply_error(conn, "the agent logs to no file (its "
                                    "options lack --log-file)");
        return;
    }
    stream = fopen(log_file, "r");
    if (!stream) {
        char *error = xasprintf("%s: %s", log_file, ovs_strerror(errno));

        unixctl_command_reply_error(conn, error);
        free(error);
        return;
    }
    /* The last 64 kB hold the last lines of any reasonable length. */
    if (fseeko(stream, 0, SEEK_END) || ftello(stream) < 0) {
        n = 0;
    } else {
        off_t size = ftello(stream);

        fseeko(stream, size > sizeof buf ? size - sizeof buf : 0, SEEK_SET);
        n = fread(buf, 1, sizeof buf, stream);
    }
    fclose(stream);

    size_t start = n;
    for (unsigned int lines = 0; start > 0; start--) {
        if (buf[start - 1] == '\n' && start != n && ++lines >= n_lines) {
            break;
        }
    }
    ds_put_buffer(&s, &buf[start], n - start);
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

static void
boot_unixctl_exit(struct unixctl_conn *conn, int argc OVS_UNUSED,
                  const char *argv[] OVS_UNUSED, void *exiting_)
{
    bool *exiting = exiting_;

    *exiting = true;
    unixctl_command_reply(conn, NULL);
}

int
main(int argc, char *argv[])
{
    struct boot boot = { .phase = PHASE_BOOT_LOADER };
    struct unixctl_server *unixctl;
    bool exiting = false;
    char *tmp;

    set_program_name(argv[0]);
    parse_options(argc, argv);
    fatal_ignore_sigpipe();

    daemonize_start(false);
    if (unixctl_server_create(unixctl_path, &unixctl)) {
        exit(EXIT_FAILURE);
    }
    unixctl_command_register("exit", "", 0, 0, boot_unixctl_exit, &exiting);
    unixctl_command_register("boot/show", "", 0, 0, boot_unixctl_show,
                             &boot);
    unixctl_command_register("boot/install", "[--force] BUNDLE", 1, 2,
                             boot_unixctl_install, &boot);
    unixctl_command_register("boot/reboot", "", 0, 0, boot_unixctl_reboot,
                             &boot);
    unixctl_command_register("boot/rollback", "", 0, 0,
                             boot_unixctl_rollback, &boot);
    unixctl_command_register("boot/select", "VERSION", 1, 1,
                             boot_unixctl_select, &boot);
    unixctl_command_register("boot/console", "[N]", 0, 1,
                             boot_unixctl_console, &boot);
    if (enable_dummy) {
        timeval_dummy_register();
        unixctl_command_register("boot/fail", "crash|hang", 1, 1,
                                 boot_unixctl_fail, &boot);
    }

    /* A bank half written when the boot loader last stopped is dropped. */
    for (char bank = 'a'; bank <= 'b'; bank++) {
        char *dir = bank_dir(bank);

        tmp = xasprintf("%s.tmp", dir);
        if (!access(tmp, F_OK)) {
            VLOG_WARN("%s: dropping a bank that was not completely written",
                      tmp);
            remove_tree(tmp);
        }
        free(tmp);
        free(dir);
    }
    state_load(&boot);
    if (!boot.current && bank_version('a')) {
        boot.current = 'a';
    }
    daemonize_complete();
    VLOG_INFO("%s (OVS-DPU) %s: banks in %s", program_name, OVS_DPU_VERSION,
              boot_dir);

    while (!exiting) {
        unixctl_server_run(unixctl);
        boot_run(&boot);

        unixctl_server_wait(unixctl);
        boot_wait(&boot);
        if (exiting) {
            poll_immediate_wake();
        }
        poll_block();
    }
    stop_agent(&boot);
    unixctl_server_destroy(unixctl);
    free(boot.last_failure);
    return 0;
}

static void
parse_options(int argc, char *argv[])
{
    enum {
        OPT_TRUST = UCHAR_MAX + 1,
        OPT_AGENT_UNIXCTL,
        OPT_WATCHDOG,
        OPT_ENABLE_DUMMY,
        OPT_UNIXCTL,
        VLOG_OPTION_ENUMS,
        DAEMON_OPTION_ENUMS,
    };
    static const struct option long_options[] = {
        {"trust", required_argument, NULL, OPT_TRUST},
        {"agent-unixctl", required_argument, NULL, OPT_AGENT_UNIXCTL},
        {"watchdog", required_argument, NULL, OPT_WATCHDOG},
        {"enable-dummy", no_argument, NULL, OPT_ENABLE_DUMMY},
        {"unixctl", required_argument, NULL, OPT_UNIXCTL},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        DAEMON_LONG_OPTIONS,
        VLOG_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    char *short_options = ovs_cmdl_long_options_to_short_options(long_options);

    for (;;) {
        int c = getopt_long(argc, argv, short_options, long_options, NULL);
        if (c == -1) {
            break;
        }
        switch (c) {
        case OPT_TRUST:
            trust_file = optarg;
            break;
        case OPT_AGENT_UNIXCTL:
            agent_ctl = optarg;
            break;
        case OPT_WATCHDOG:
            if (!str_to_int(optarg, 10, &watchdog_ms) || watchdog_ms < 100) {
                ovs_fatal(0, "--watchdog=%s: expected milliseconds, at "
                          "least 100", optarg);
            }
            break;
        case OPT_ENABLE_DUMMY:
            enable_dummy = true;
            break;
        case OPT_UNIXCTL:
            unixctl_path = optarg;
            break;
        case 'h':
            usage();
        case 'V':
            printf("%s (OVS-DPU) %s\n", program_name, OVS_DPU_VERSION);
            ovs_print_version(0, 0);
            exit(EXIT_SUCCESS);
        VLOG_OPTION_HANDLERS
        DAEMON_OPTION_HANDLERS
        case '?':
            exit(EXIT_FAILURE);
        default:
            OVS_NOT_REACHED();
        }
    }
    free(short_options);

    if (optind >= argc) {
        ovs_fatal(0, "missing the boot directory; use --help for usage");
    }
    boot_dir = argv[optind++];
    if (optind < argc && !strcmp(argv[optind], "--")) {
        optind++;
    }
    agent_args = &argv[optind];
    n_agent_args = argc - optind;
    if (!trust_file) {
        ovs_fatal(0, "--trust is required: the public key that this DPU "
                  "trusts bundles signed with");
    }
    if (access(boot_dir, W_OK)) {
        ovs_fatal(errno, "%s", boot_dir);
    }
    if (!agent_ctl) {
        agent_ctl = xasprintf("%s/ovs-dpu-agent.ctl", ovs_rundir());
    }
}

static void
usage(void)
{
    printf("%s: boot loader of an emulated OVS-DPU DPU\n"
           "usage: %s [OPTIONS] DIR [-- AGENT-OPTIONS...]\n"
           "\nDIR holds image banks a and b and the boot state.\n"
           "\nOptions:\n"
           "  --trust=FILE            Ed25519 public key that bundles must "
           "be\n"
           "                          signed with (required)\n"
           "  --agent-unixctl=SOCKET  the agent's control socket\n"
           "  --watchdog=MS           time for a boot to reach jumpstart "
           "(10000)\n"
           "  --enable-dummy          boot/fail and time/warp, for tests\n"
           "  --unixctl=SOCKET        override default control socket name\n",
           program_name, program_name);
    daemon_usage();
    vlog_usage();
    printf("  -h, --help              display this help message\n"
           "  -V, --version           display version information\n");
    exit(EXIT_SUCCESS);
}
