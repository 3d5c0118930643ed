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
 * agent that exits is booted again from the same bank.
 *
 * With --host, it plays the host's boot loader: the banks hold the host
 * content and the service is ovs-vswitchd.  Before its jumpstart, the host
 * waits for its DPUs' boot loaders (--dpu-boot) in the "devices" phase and
 * makes the system end on one version, rebooting it if it must; it counts
 * the system's reboots.  See Documentation/topics/dpu-lifecycle.rst. */

#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <unistd.h>

#include "boot-loader.h"
#include "command-line.h"
#include "daemon.h"
#include "dirs.h"
#include "dpu-bundle.h"
#include "dpu-version.h"
#include "dummy.h"
#include "fatal-signal.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "svec.h"
#include "timeval.h"
#include "unixctl.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(ovs_dpu_boot);

/* Failures of a boot repeat at every boot of a broken bank. */
static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

/* Options: see boot-loader.h. */
char *boot_dir;
char *trust_file;
char *agent_ctl;
int watchdog_ms = 10000;
char **agent_args;
size_t n_agent_args;
bool host_mode;
struct svec dpu_ctls = SVEC_EMPTY_INITIALIZER;
static bool enable_dummy;       /* --enable-dummy: fault injection. */
static char *unixctl_path;      /* --unixctl. */

/* The bundle component that the banks hold, and the service that starts
 * at jumpstart. */
const char *
boot_component(void)
{
    return host_mode ? "host" : "dpu";
}

const char *
boot_service(void)
{
    return host_mode ? "ovs-vswitchd" : "ovs-dpu-agent";
}

OVS_NO_RETURN static void usage(void);
static void parse_options(int argc, char *argv[]);

static void
boot_unixctl_show(struct unixctl_conn *conn, int argc OVS_UNUSED,
                  const char *argv[] OVS_UNUSED, void *b_)
{
    struct boot *b = b_;
    struct ds s = DS_EMPTY_INITIALIZER;

    ds_put_format(&s, "phase: %s\n", phase_name(b->phase));
    ds_put_format(&s, "boots: %u\n", b->n_boots);
    if (host_mode) {
        ds_put_format(&s, "reboots: %u\n", b->n_reboots);
    }
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
    if (host_mode) {
        b->coordinated = false;
        reboot_system(b, "requested");
    } else {
        b->stop = true;
        b->phase = PHASE_BOOT_LOADER;
    }
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
        boot_crash_points_register();
    }

    /* A bank half written when the boot loader last stopped is dropped, and
     * a bank that it was about to replace comes back. */
    for (char bank = 'a'; bank <= 'b'; bank++) {
        char *dir = bank_dir(bank);
        char *old = xasprintf("%s.old", dir);

        tmp = xasprintf("%s.tmp", dir);
        if (!access(tmp, F_OK)) {
            VLOG_WARN("%s: dropping a bank that was not completely written",
                      tmp);
            remove_tree(tmp);
        }
        if (!access(old, F_OK)) {
            if (access(dir, F_OK) && !rename(old, dir)) {
                VLOG_WARN("%s: restored from %s, which an install had not "
                          "replaced completely", dir, old);
            } else {
                remove_tree(old);
            }
        }
        free(old);
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
        OPT_HOST,
        OPT_DPU_BOOT,
        VLOG_OPTION_ENUMS,
        DAEMON_OPTION_ENUMS,
    };
    static const struct option long_options[] = {
        {"trust", required_argument, NULL, OPT_TRUST},
        {"agent-unixctl", required_argument, NULL, OPT_AGENT_UNIXCTL},
        {"watchdog", required_argument, NULL, OPT_WATCHDOG},
        {"enable-dummy", no_argument, NULL, OPT_ENABLE_DUMMY},
        {"unixctl", required_argument, NULL, OPT_UNIXCTL},
        {"host", no_argument, NULL, OPT_HOST},
        {"dpu-boot", required_argument, NULL, OPT_DPU_BOOT},
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
        case OPT_HOST:
            host_mode = true;
            break;
        case OPT_DPU_BOOT:
            svec_add(&dpu_ctls, optarg);
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
    if (dpu_ctls.n && !host_mode) {
        ovs_fatal(0, "--dpu-boot needs --host: only the host's boot loader "
                  "waits for DPUs");
    }
    if (!agent_ctl) {
        agent_ctl = xasprintf("%s/%s.ctl", ovs_rundir(), boot_service());
    }
}

static void
usage(void)
{
    printf("%s: boot loader of an emulated OVS-DPU DPU, or host\n"
           "usage: %s [OPTIONS] DIR [-- SERVICE-OPTIONS...]\n"
           "\nDIR holds image banks a and b and the boot state.\n"
           "\nOptions:\n"
           "  --trust=FILE            Ed25519 public key that bundles must "
           "be\n"
           "                          signed with (required)\n"
           "  --agent-unixctl=SOCKET  the service's control socket (the "
           "agent's,\n"
           "                          or with --host ovs-vswitchd's)\n"
           "  --host                  the host's boot loader: banks hold the "
           "host\n"
           "                          content, the service is ovs-vswitchd\n"
           "  --dpu-boot=SOCKET       with --host, a DPU's boot loader "
           "(repeat)\n"
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
