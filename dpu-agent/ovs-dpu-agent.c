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

/* ovs-dpu-agent: the daemon that runs on a DPU (or emulates one). */

#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent-ct-sync.h"
#include "agent-emulation.h"
#include "agent-ha.h"
#include "agent-ipfix.h"
#include "agent-server.h"
#include "command-line.h"
#include "daemon.h"
#include "dirs.h"
#include "dummy.h"
#include "fatal-signal.h"
#include "flow.h"
#include "memory.h"
#include "odp-execute.h"
#include "ovs-numa.h"
#include "simap.h"
#include "stream.h"
#include "netdev.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "dpctl.h"
#include "dpu-codec.h"
#include "dpu-version.h"
#include "dpif.h"
#include "stream-ssl.h"
#include "timeval.h"
#include "unixctl.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(ovs_dpu_agent);

static char *remote;
static char *unixctl_path;
static struct dpu_identity identity;
static char *enable_dummy;
static uint8_t version_min = DPU_VERSION_MIN;  /* --protocol-versions. */
static uint8_t version_max = DPU_PROTOCOL_VERSION;
static char *boot_unixctl;      /* --boot-unixctl. */
static bool allow_plaintext;    /* --allow-plaintext. */

/* --private-key, --certificate, --ca-cert: read again when they change, so
 * that the DPU's certificate rotates without a restart. */
static char *ssl_private_key, *ssl_certificate, *ssl_ca_cert;
#define SSL_RELOAD_MS 1000

/* What "exit" asked for. */
struct agent_exit_args {
    bool exiting;               /* Leave the main loop. */
    bool cleanup;               /* Delete the datapath and its devices. */
};

static unixctl_cb_func agent_unixctl_exit;
static unixctl_cb_func agent_unixctl_show;
static unixctl_cb_func agent_unixctl_ipfix;
static unixctl_cb_func agent_unixctl_role;
static unixctl_cb_func agent_unixctl_ct_sync;

static void parse_options(int argc, char *argv[]);
static void reload_ssl(void);
OVS_NO_RETURN static void usage(void);

int
main(int argc, char *argv[])
{
    struct agent_server *server;
    struct unixctl_server *unixctl;
    struct agent_exit_args exit_args = { .exiting = false };
    int error;

    ovs_cmdl_proctitle_init(argc, argv);
    set_program_name(argv[0]);
    service_start(&argc, &argv);
    parse_options(argc, argv);
    fatal_ignore_sigpipe();

    /* The datapath's ports are devices of the DPU: system ports (AF_PACKET
     * sockets) and internal ports (tap devices).  With --user, the agent
     * keeps the capabilities that those need, CAP_NET_ADMIN, CAP_NET_RAW and
     * CAP_NET_BROADCAST, as ovs-vswitchd does for its datapaths, and no
     * other. */
    daemonize_start(true);

    if (enable_dummy) {
        dummy_enable(enable_dummy);
    }
    /* The agent serves one userspace datapath.  Kernel datapaths are none
     * of its business, also for its dpctl/ commands.  (It knows no "dpu"
     * datapath at all: that is the host's view of this very agent.) */
    dp_disallow_provider("system");
    /* dpif-netdev executes set_masked and other actions through the
     * implementations that this selects, as ovs-vswitchd's bridge_init()
     * does. */
    odp_execute_init();
    /* dpif-netdev sizes its transmit queue ids and places its threads by
     * the CPU cores that this discovers, as ovs-vswitchd's bridge_init()
     * does; without it, it counts INT_MAX cores. */
    ovs_numa_init();
    /* Parse VLAN headers as ovs-vswitchd does by default (its
     * other_config:vlan-limit), until the host says otherwise. */
    flow_limit_vlans(LEGACY_MAX_VLAN_HEADERS);

    error = unixctl_server_create(unixctl_path, &unixctl);
    if (error) {
        exit(EXIT_FAILURE);
    }
    unixctl_command_register("exit", "[--cleanup]", 0, 1, agent_unixctl_exit,
                             &exit_args);
    dpctl_unixctl_register();

    /* As for ovs-vswitchd, --enable-dummy alone adds the test hooks and
     * "dummy" ports; --enable-dummy=system makes "system" ports, the
     * default, dummies, and =override every type of port. */
    error = agent_server_create(remote, "ovs-dpu", &identity,
                                enable_dummy && (!strcmp(enable_dummy,
                                                         "override")
                                                 || !strcmp(enable_dummy,
                                                            "system")),
                                &server);
    if (error) {
        ovs_fatal(error, "cannot start serving on %s", remote);
    }
    agent_server_set_versions(server, version_min, version_max);
    if (boot_unixctl) {
        agent_server_set_boot_loader(server, boot_unixctl);
    }
    unixctl_command_register("dpu-agent/show", "", 0, 0,
                             agent_unixctl_show, server);
    unixctl_command_register("dpu-agent/ipfix", "", 0, 0,
                             agent_unixctl_ipfix, server);
    unixctl_command_register("dpu-agent/role", "", 0, 0,
                             agent_unixctl_role, server);
    unixctl_command_register("dpu-agent/ct-sync", "", 0, 0,
                             agent_unixctl_ct_sync, server);
    if (enable_dummy) {
        agent_emulation_register(server);
    }

    daemonize_complete();
    VLOG_INFO("%s (OVS-DPU) %s on Open vSwitch %s", program_name,
              OVS_DPU_VERSION, VERSION);

    long long int next_ssl_reload = time_msec() + SSL_RELOAD_MS;
    while (!exit_args.exiting) {
        if (time_msec() >= next_ssl_reload) {
            reload_ssl();
            next_ssl_reload = time_msec() + SSL_RELOAD_MS;
        }
        memory_run();
        if (memory_should_report()) {
            struct simap usage = SIMAP_INITIALIZER(&usage);

            memory_report(&usage);
            simap_destroy(&usage);
        }
        unixctl_server_run(unixctl);
        netdev_run();
        agent_emulation_run();
        agent_server_run(server);

        memory_wait();
        unixctl_server_wait(unixctl);
        netdev_wait();
        agent_server_wait(server);
        agent_emulation_wait();
        if (ssl_private_key || ssl_certificate || ssl_ca_cert) {
            poll_timer_wait_until(next_ssl_reload);
        }
        if (exit_args.exiting) {
            poll_immediate_wake();
        }
        poll_block();
        if (should_service_stop()) {
            exit_args.exiting = true;
        }
    }

    agent_server_destroy(server, exit_args.cleanup);
    unixctl_server_destroy(unixctl);
    service_stop();
    return 0;
}

/* Reads the TLS key, certificate and CA certificate files again if they
 * changed (stream-ssl checks their modification times): a rotated
 * certificate serves the hosts that connect next, and the sessions open
 * keep theirs. */
static void
reload_ssl(void)
{
    if (ssl_private_key && ssl_certificate) {
        stream_ssl_set_key_and_cert(ssl_private_key, ssl_certificate);
    } else if (ssl_private_key) {
        stream_ssl_set_private_key_file(ssl_private_key);
    } else if (ssl_certificate) {
        stream_ssl_set_certificate_file(ssl_certificate);
    }
    if (ssl_ca_cert) {
        stream_ssl_set_ca_cert_file(ssl_ca_cert, false);
    }
}

/* Reads identity from 'file_name', a file of "key=value" lines. */
static void
read_config_file(const char *file_name)
{
    struct ds line = DS_EMPTY_INITIALIZER;
    int line_number = 0;
    FILE *file;

    file = fopen(file_name, "r");
    if (!file) {
        ovs_fatal(errno, "%s: open failed", file_name);
    }
    while (!ds_get_line(&line, file)) {
        char *s = ds_cstr(&line), *key, *value, *eq;

        line_number++;
        s += strspn(s, " \t");
        if (!*s || *s == '#') {
            continue;
        }
        eq = strchr(s, '=');
        if (!eq) {
            ovs_fatal(0, "%s:%d: expected key=value", file_name, line_number);
        }
        *eq = '\0';
        key = s;
        value = eq + 1;
        key[strcspn(key, " \t")] = '\0';
        value += strspn(value, " \t");

        char **dst = (!strcmp(key, "vendor") ? &identity.vendor
                      : !strcmp(key, "model") ? &identity.model
                      : !strcmp(key, "hardware_version") ? &identity.hw_version
                      : !strcmp(key, "firmware") ? &identity.firmware
                      : !strcmp(key, "serial") ? &identity.serial
                      : !strcmp(key, "image_version") ? &identity.image_version
                      : NULL);
        if (!dst) {
            ovs_fatal(0, "%s:%d: unknown key \"%s\"", file_name, line_number,
                      key);
        }
        free(*dst);
        *dst = xstrdup(value);
    }
    ds_destroy(&line);
    fclose(file);
}

/* Parses --protocol-versions=MIN[-MAX].  A range that the agent does not
 * implement entirely is only for tests, which pretend to be another DPU:
 * it needs --enable-dummy. */
static void
parse_versions(const char *s)
{
    unsigned int min, max;
    int n = 0;

    if (ovs_scan(s, "%u%n", &min, &n) && !s[n]) {
        max = min;
    } else if (!ovs_scan(s, "%u-%u%n", &min, &max, &n) || s[n]) {
        ovs_fatal(0, "--protocol-versions=%s: expected MIN or MIN-MAX", s);
    }
    if (!min || min > max || max > UINT8_MAX) {
        ovs_fatal(0, "--protocol-versions=%s: versions go from 1 to %d, the "
                  "first no higher than the last", s, UINT8_MAX);
    }
    if ((min < DPU_VERSION_MIN || max > DPU_PROTOCOL_VERSION)
        && !enable_dummy) {
        ovs_fatal(0, "--protocol-versions=%s: this agent implements "
                  "versions %d to %d (another range needs --enable-dummy)",
                  s, DPU_VERSION_MIN, DPU_PROTOCOL_VERSION);
    }
    version_min = min;
    version_max = max;
}

static void
set_default(char **p, const char *value)
{
    if (!*p) {
        *p = xstrdup(value);
    }
}

static void
parse_options(int argc, char *argv[])
{
    enum {
        OPT_REMOTE = UCHAR_MAX + 1,
        OPT_UNIXCTL,
        OPT_CONFIG,
        OPT_VENDOR,
        OPT_MODEL,
        OPT_HW_VERSION,
        OPT_FIRMWARE,
        OPT_SERIAL,
        OPT_IMAGE_VERSION,
        OPT_ENABLE_DUMMY,
        OPT_PROTOCOL_VERSIONS,
        OPT_BOOT_UNIXCTL,
        OPT_ALLOW_PLAINTEXT,
        VLOG_OPTION_ENUMS,
        SSL_OPTION_ENUMS,
        DAEMON_OPTION_ENUMS,
    };
    static const struct option long_options[] = {
        {"remote", required_argument, NULL, OPT_REMOTE},
        {"unixctl", required_argument, NULL, OPT_UNIXCTL},
        {"config", required_argument, NULL, OPT_CONFIG},
        {"vendor", required_argument, NULL, OPT_VENDOR},
        {"model", required_argument, NULL, OPT_MODEL},
        {"hw-version", required_argument, NULL, OPT_HW_VERSION},
        {"firmware", required_argument, NULL, OPT_FIRMWARE},
        {"serial", required_argument, NULL, OPT_SERIAL},
        {"image-version", required_argument, NULL, OPT_IMAGE_VERSION},
        {"enable-dummy", optional_argument, NULL, OPT_ENABLE_DUMMY},
        {"protocol-versions", required_argument, NULL,
         OPT_PROTOCOL_VERSIONS},
        {"boot-unixctl", required_argument, NULL, OPT_BOOT_UNIXCTL},
        {"allow-plaintext", no_argument, NULL, OPT_ALLOW_PLAINTEXT},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        DAEMON_LONG_OPTIONS,
        VLOG_LONG_OPTIONS,
        STREAM_SSL_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    char *short_options = ovs_cmdl_long_options_to_short_options(long_options);
    struct dpu_identity cmdline;
    const char *versions = NULL;
    char *config_file = NULL;
    char hostname[256];

    memset(&cmdline, 0, sizeof cmdline);
    for (;;) {
        int c = getopt_long(argc, argv, short_options, long_options, NULL);
        if (c == -1) {
            break;
        }

        switch (c) {
        case OPT_REMOTE:
            free(remote);
            remote = xstrdup(optarg);
            break;
        case OPT_UNIXCTL:
            unixctl_path = optarg;
            break;
        case OPT_CONFIG:
            config_file = optarg;
            break;
        case OPT_VENDOR:
            cmdline.vendor = optarg;
            break;
        case OPT_MODEL:
            cmdline.model = optarg;
            break;
        case OPT_HW_VERSION:
            cmdline.hw_version = optarg;
            break;
        case OPT_FIRMWARE:
            cmdline.firmware = optarg;
            break;
        case OPT_SERIAL:
            cmdline.serial = optarg;
            break;
        case OPT_IMAGE_VERSION:
            cmdline.image_version = optarg;
            break;
        case OPT_ENABLE_DUMMY:
            enable_dummy = optarg ? optarg : "";
            break;
        case OPT_PROTOCOL_VERSIONS:
            versions = optarg;
            break;
        case OPT_ALLOW_PLAINTEXT:
            allow_plaintext = true;
            break;

        case OPT_BOOT_UNIXCTL:
            boot_unixctl = optarg;
            break;
        case 'h':
            usage();
        case 'V':
            printf("%s (OVS-DPU) %s\n", program_name, OVS_DPU_VERSION);
            ovs_print_version(0, 0);
            exit(EXIT_SUCCESS);
        VLOG_OPTION_HANDLERS
        DAEMON_OPTION_HANDLERS
        case 'p':
            ssl_private_key = optarg;
            break;
        case 'c':
            ssl_certificate = optarg;
            break;
        case 'C':
            ssl_ca_cert = optarg;
            break;
        case OPT_SSL_PROTOCOLS:
            stream_ssl_set_protocols(optarg);
            break;
        case OPT_SSL_CIPHERS:
            stream_ssl_set_ciphers(optarg);
            break;

        case '?':
            exit(EXIT_FAILURE);

        default:
            abort();
        }
    }
    free(short_options);

    argc -= optind;
    if (argc > 0) {
        ovs_fatal(0, "non-option arguments not accepted; "
                  "use --help for usage");
    }

    if (config_file) {
        read_config_file(config_file);
    }
    if (versions) {
        parse_versions(versions);
    }
#define OVERRIDE(FIELD) \
    if (cmdline.FIELD) { free(identity.FIELD); \
                         identity.FIELD = xstrdup(cmdline.FIELD); }
    OVERRIDE(vendor);
    OVERRIDE(model);
    OVERRIDE(hw_version);
    OVERRIDE(firmware);
    OVERRIDE(serial);
    OVERRIDE(image_version);
#undef OVERRIDE
    if (gethostname(hostname, sizeof hostname)) {
        ovs_strlcpy(hostname, "unknown", sizeof hostname);
    }
    hostname[sizeof hostname - 1] = '\0';
    set_default(&identity.vendor, "OVS-DPU");
    set_default(&identity.model, "emulated");
    set_default(&identity.hw_version, "1.0");
    set_default(&identity.firmware, "0.0");
    set_default(&identity.serial, hostname);
    set_default(&identity.image_version, OVS_DPU_VERSION);

    if (!remote) {
        remote = xasprintf("punix:%s/ovs-dpu-agent.sock", ovs_rundir());
    }
    reload_ssl();
    /* Without keys, every host's TLS handshake would fail, with nothing in
     * the log until a host tries. */
    if (!strncmp(remote, "pssl:", 5) && !stream_ssl_is_configured()) {
        ovs_fatal(0, "--remote=%s needs --private-key, --certificate and "
                  "--ca-cert", remote);
    }
    /* A host that reaches the DPU over plain TCP can be impersonated, and
     * anyone on the way reads and changes its flows: as ovs-vswitchd does
     * for a DPU's "tcp:" target, take it only when asked for. */
    if (!strncmp(remote, "ptcp:", 5)) {
        if (!allow_plaintext) {
            ovs_fatal(0, "--remote=%s refused: the host's traffic would be "
                      "neither encrypted nor authenticated; use pssl:, or "
                      "give --allow-plaintext", remote);
        }
        VLOG_WARN("listening on %s without TLS (--allow-plaintext): the "
                  "host's traffic is neither encrypted nor authenticated",
                  remote);
    }
}

static void
usage(void)
{
    printf("%s: Open vSwitch DPU agent (OVS-DPU)\n"
           "usage: %s [OPTIONS]\n"
           "\nWhere the host connects:\n"
           "  --remote=punix:FILE|ptcp:PORT[:IP]|pssl:PORT[:IP]\n"
           "                          listen there (default: punix:%s/"
           "ovs-dpu-agent.sock)\n"
           "  --allow-plaintext       take --remote=ptcp: (refused without)\n"
           "\nIdentity announced to the host:\n"
           "  --config=FILE           key=value lines: vendor, model,\n"
           "                          hardware_version, firmware, serial,\n"
           "                          image_version\n"
           "  --vendor=S --model=S --hw-version=S --firmware=S --serial=S\n"
           "  --image-version=S       override the file\n"
           "\nProtocol:\n"
           "  --protocol-versions=MIN[-MAX]\n"
           "                          speak only these versions (default: "
           "%d-%d)\n"
           "\nImages:\n"
           "  --boot-unixctl=SOCKET   take bundles from hosts, for the boot "
           "loader\n"
           "                          (ovs-dpu-boot) listening there\n"
           "\nTesting:\n"
           "  --enable-dummy[=system|override]\n"
           "                          fault injection and time/warp; with "
           "system,\n"
           "                          system ports are netdev-dummy ports\n",
           program_name, program_name, ovs_rundir(), DPU_VERSION_MIN,
           DPU_PROTOCOL_VERSION);
    stream_usage("--remote", false, true, false);
    daemon_usage();
    vlog_usage();
    printf("\nOther options:\n"
           "  --unixctl=SOCKET        override default control socket name\n"
           "  -h, --help              display this help message\n"
           "  -V, --version           display version information\n");
    exit(EXIT_SUCCESS);
}

static void
agent_unixctl_exit(struct unixctl_conn *conn, int argc, const char *argv[],
                   void *args_)
{
    struct agent_exit_args *args = args_;

    if (argc > 1 && strcmp(argv[1], "--cleanup")) {
        unixctl_command_reply_error(conn, "unknown option (use --cleanup)");
        return;
    }
    args->exiting = true;
    args->cleanup = argc > 1;
    unixctl_command_reply(conn, NULL);
}

static void
agent_unixctl_role(struct unixctl_conn *conn, int argc OVS_UNUSED,
                   const char *argv[] OVS_UNUSED, void *server)
{
    unixctl_command_reply(conn,
                          agent_ha_role_name(agent_server_ha(server)));
}

static void
agent_unixctl_ct_sync(struct unixctl_conn *conn, int argc OVS_UNUSED,
                      const char *argv[] OVS_UNUSED, void *server)
{
    struct ds s = DS_EMPTY_INITIALIZER;

    agent_ct_sync_format(agent_server_ct_sync(server), &s);
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

static void
agent_unixctl_ipfix(struct unixctl_conn *conn, int argc OVS_UNUSED,
                    const char *argv[] OVS_UNUSED, void *server)
{
    struct ds s = DS_EMPTY_INITIALIZER;

    agent_ipfix_format(agent_server_ipfix(server), &s);
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

static void
agent_unixctl_show(struct unixctl_conn *conn, int argc OVS_UNUSED,
                   const char *argv[] OVS_UNUSED, void *server)
{
    struct ds s = DS_EMPTY_INITIALIZER;

    agent_server_format(server, &s);
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}
