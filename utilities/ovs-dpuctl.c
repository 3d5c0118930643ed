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

/* ovs-dpuctl: speaks the host<->DPU protocol directly to a DPU agent. */

#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <unistd.h>

#include "command-line.h"
#include "fatal-signal.h"
#include "dpu-bundle.h"
#include "dpu-channel.h"
#include "dpuctl.h"
#include "dpu-codec.h"
#include "dpu-version.h"
#include "odp-util.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "stream.h"
#include "stream-ssl.h"
#include "timeval.h"
#include "util.h"
#include "uuid.h"

VLOG_DEFINE_THIS_MODULE(ovs_dpuctl);

int timeout_secs = 5;
bool allow_plaintext;           /* --allow-plaintext. */

/* For top: --interval, --count (0: until interrupted), --once. */
static int top_interval_secs = 1;
static unsigned int top_count;

/* For install: --trust, --force. */
const char *trusted_key;
bool force;

/* For set-role: --lease, --uplinks. */
static uint32_t lease_ms;
static odp_port_t *uplinks;
static size_t n_uplinks, allocated_uplinks;

OVS_NO_RETURN static void usage(void);
static void
dpuctl_show(struct ovs_cmdl_context *ctx)
{
    struct dpu_hello_reply hr;
    struct ofpbuf *reply, *b;
    struct dpif_dp_stats st;
    struct dpu_channel *ch;
    const struct nlattr *nla;
    struct dpu_msg msg;
    size_t left;

    ch = hello(ctx->argv[1], &hr);
    printf("vendor: %s\nmodel: %s\nhardware_version: %s\nfirmware: %s\n"
           "serial: %s\nimage_version: %s\n", hr.id.vendor, hr.id.model,
           hr.id.hw_version, hr.id.firmware, hr.id.serial,
           hr.id.image_version);
    printf("protocol_version: %"PRIu8"\nboot_id: "UUID_FMT"\n"
           "capabilities: 0x%"PRIx32"\n", dpu_channel_get_version(ch),
           UUID_ARGS((struct uuid *) &hr.boot_id), hr.caps);
    if (hr.has_role) {
        printf("role: %s\n", dpu_role_to_string(hr.role));
    }
    dpu_hello_reply_destroy(&hr);

    b = ofpbuf_new(64);
    dpu_msg_start(b, DPU_MSG_DP_GET_STATS, 2, 0);
    reply = transact(ch, b, &msg);
    if (dpu_parse_dp_stats(msg.attrs[DPU_ATTR_DP_STATS], &st)) {
        printf("lookups: hit:%"PRIu64" missed:%"PRIu64" lost:%"PRIu64"\n"
               "flows: %"PRIu64"\n", st.n_hit, st.n_missed, st.n_lost,
               st.n_flows);
    }
    ofpbuf_delete(reply);

    b = ofpbuf_new(64);
    dpu_msg_start(b, DPU_MSG_PORT_DUMP, 3, 0);
    reply = transact(ch, b, &msg);
    DPU_MSG_FOR_EACH_ATTR (nla, left, reply) {
        struct dpu_port port;

        if (nl_attr_type(nla) == DPU_ATTR_PORT && dpu_parse_port(nla, &port)) {
            printf("port %"PRIu32": %s (%s)\n", odp_to_u32(port.port_no),
                   port.name, port.type);
        }
    }
    ofpbuf_delete(reply);
    dpu_channel_close(ch);
}

static void
dpuctl_dump_flows(struct ovs_cmdl_context *ctx)
{
    struct dpu_hello_reply hr;
    struct ofpbuf *reply;
    struct dpu_channel *ch;
    struct dpu_msg msg;
    uint32_t xid = 2;

    ch = hello(ctx->argv[1], &hr);
    dpu_hello_reply_destroy(&hr);
    do {
        struct ofpbuf *b = ofpbuf_new(64);
        const struct nlattr *nla;
        size_t left;

        dpu_msg_start(b, DPU_MSG_FLOW_DUMP, xid++, 0);
        nl_msg_put_u32(b, DPU_ATTR_DUMP_ID, 1);
        nl_msg_put_u32(b, DPU_ATTR_MAX_FLOWS, 50);
        reply = transact(ch, b, &msg);
        DPU_MSG_FOR_EACH_ATTR (nla, left, reply) {
            struct ds s = DS_EMPTY_INITIALIZER;
            struct dpu_flow_result f;

            if (nl_attr_type(nla) != DPU_ATTR_FLOW || !dpu_parse_flow(nla, &f)
                || !f.key || !f.actions) {
                continue;
            }
            odp_flow_format(nl_attr_get(f.key), nl_attr_get_size(f.key),
                            f.mask ? nl_attr_get(f.mask) : NULL,
                            f.mask ? nl_attr_get_size(f.mask) : 0,
                            NULL, &s, false);
            ds_put_format(&s, ", packets:%"PRIu64", bytes:%"PRIu64
                          ", actions:", f.stats.n_packets, f.stats.n_bytes);
            format_odp_actions(&s, nl_attr_get(f.actions),
                               nl_attr_get_size(f.actions), NULL);
            puts(ds_cstr(&s));
            ds_destroy(&s);
        }
        ofpbuf_delete(reply);
    } while (msg.flags & DPU_F_MORE);
    dpu_channel_close(ch);
}

/* Shows the DPU's metrics every --interval seconds, --count times, on a
 * cleared screen if the output is a terminal. */
static void
dpuctl_top(struct ovs_cmdl_context *ctx)
{
    bool tty = isatty(STDOUT_FILENO) && top_count != 1;
    struct dpu_hello_reply hr;
    struct ofpbuf *reply;
    struct dpu_channel *ch;
    struct dpu_msg msg;
    uint32_t xid = 2;

    ch = hello(ctx->argv[1], &hr);
    dpu_hello_reply_destroy(&hr);
    for (unsigned int i = 0; !top_count || i < top_count; i++) {
        struct ds s = DS_EMPTY_INITIALIZER;
        struct ofpbuf *b = ofpbuf_new(64);
        struct dpu_metrics m;

        if (i) {
            poll_timer_wait(top_interval_secs * 1000LL);
            poll_block();
        }
        dpu_msg_start(b, DPU_MSG_GET_METRICS, xid++, 0);
        reply = transact(ch, b, &msg);
        if (!dpu_parse_metrics(msg.attrs[DPU_ATTR_METRICS], &m, &s)) {
            ovs_fatal(0, "%s: malformed metrics from DPU: %s", ctx->argv[1],
                      ds_cstr(&s));
        }
        if (tty) {
            /* Home the cursor and clear the screen, as top(1) does. */
            ds_put_cstr(&s, "\033[H\033[2J");
        }
        ds_put_format(&s, "%s: ", ctx->argv[1]);
        dpu_metrics_format(&m, &s);
        fputs(ds_cstr(&s), stdout);
        fflush(stdout);
        ds_destroy(&s);
        dpu_metrics_destroy(&m);
        ofpbuf_delete(reply);
    }
    dpu_channel_close(ch);
}

static void
dpuctl_set_role(struct ovs_cmdl_context *ctx)
{
    struct dpu_hello_reply hr;
    struct ofpbuf *reply, *b;
    struct dpu_channel *ch;
    struct dpu_msg msg;
    int role;

    role = dpu_role_from_string(ctx->argv[2]);
    if (role < 0) {
        ovs_fatal(0, "%s: unknown role (use active, standby or prepare)",
                  ctx->argv[2]);
    }

    ch = hello(ctx->argv[1], &hr);
    if (!(hr.caps & DPU_CAP_HA)) {
        ovs_fatal(0, "%s: this DPU has no roles", ctx->argv[1]);
    }
    dpu_hello_reply_destroy(&hr);

    struct dpu_role_request rq = {
        .role = role,
        .lease_ms = lease_ms,
        .n_uplinks = n_uplinks,
    };
    if (n_uplinks) {
        memcpy(rq.uplinks, uplinks, n_uplinks * sizeof *uplinks);
    }
    b = ofpbuf_new(64);
    dpu_msg_start(b, DPU_MSG_SET_ROLE, 2, 0);
    dpu_put_role_request(b, &rq, dpu_channel_get_version(ch));
    reply = transact(ch, b, &msg);
    ofpbuf_delete(reply);
    dpu_channel_close(ch);
}

/* Prints the errno of each OP_RESULT in OPERATE reply 'reply' that
 * failed, numbered from 0 in the order of the request's operations. */
static void
print_op_results(const struct ofpbuf *reply)
{
    const struct nlattr *nla;
    unsigned int i = 0;
    size_t left;

    NL_ATTR_FOR_EACH (nla, left, ofpbuf_at(reply, DPU_HEADER_LEN, 0),
                      reply->size - DPU_HEADER_LEN) {
        struct dpu_flow_result r;

        if (nl_attr_type(nla) != DPU_ATTR_OP_RESULT) {
            continue;
        }
        if (dpu_parse_op_result(nla, &r) && r.error) {
            printf("  operation %u: %s\n", i, ovs_strerror(r.error));
        }
        i++;
    }
}

/* Returns the number of whole messages at the start of 'raw', by their
 * headers' lengths: framing only, nothing else is checked. */
static size_t
count_messages(const struct ofpbuf *raw)
{
    const uint8_t *p = raw->data;
    size_t left = raw->size;
    size_t n = 0;

    while (left >= sizeof(struct dpu_header)) {
        uint32_t length;

        memcpy(&length, p, sizeof length);   /* dpu_header's 'length'. */
        length = ntohl(length);
        if (length < sizeof(struct dpu_header) || length > left
            || length % 4) {
            break;
        }
        n++;
        p += length;
        left -= length;
    }
    return n;
}

/* Sends raw bytes and prints what comes back. */
static void
dpuctl_send_hex(struct ovs_cmdl_context *ctx)
{
    struct ofpbuf *raw = ofpbuf_new(64);
    struct dpu_channel *ch;
    int n_replies = 0;

    for (int i = 2; i < ctx->argc; i++) {
        const char *p = ctx->argv[i];

        while (*p) {
            uint8_t byte;

            if (isspace((unsigned char) *p)) {
                p++;
                continue;
            }
            if (!isxdigit((unsigned char) p[0])
                || !isxdigit((unsigned char) p[1])) {
                ovs_fatal(0, "\"%s\": expected pairs of hex digits",
                          ctx->argv[i]);
            }
            bool ok;

            byte = hexits_value(p, 2, &ok);
            ofpbuf_put(raw, &byte, 1);
            p += 2;
        }
    }

    /* Every whole message in 'raw' should get one final reply (a reply
     * with DPU_F_MORE is not final).  Once each has had one, nothing more
     * is expected and there is no need to wait out the timeout.  A partial
     * message, or one that the DPU does not answer, still waits for it. */
    size_t n_requests = count_messages(raw);
    size_t n_final = 0;

    ch = open_channel(ctx->argv[1]);
    send_block(ch, raw);
    while (!n_requests || n_final < n_requests) {
        struct ofpbuf *reply;
        struct dpu_msg msg;
        char *why;
        int error = recv_block(ch, &reply);

        if (error == EOF) {
            printf("connection closed by DPU\n");
            break;
        } else if (error == ETIMEDOUT) {
            if (!n_replies) {
                printf("no reply\n");
            }
            break;
        } else if (error) {
            printf("connection failed: %s\n", ovs_strerror(error));
            break;
        }
        n_replies++;
        if (reply->size >= sizeof(struct dpu_header)) {
            const struct dpu_header *h = reply->data;
            uint16_t flags = ntohs(h->flags);

            if (flags & DPU_F_REPLY && !(flags & DPU_F_MORE)) {
                n_final++;
            }
        }
        error = dpu_msg_decode(reply, &msg, &why);
        if (error) {
            printf("undecodable reply: %s\n", why);
            free(why);
        } else if (msg.type == DPU_MSG_ERROR) {
            printf("error reply, xid %"PRIu32": %s: %s\n", msg.xid,
                   ovs_strerror(nl_attr_get_u32(msg.attrs[DPU_ATTR_ERRNO])),
                   msg.attrs[DPU_ATTR_ERROR_MSG]
                   ? nl_attr_get_string(msg.attrs[DPU_ATTR_ERROR_MSG]) : "");
        } else if (msg.type == DPU_MSG_HELLO) {
            /* The version that the DPU chose for the session. */
            printf("hello reply, xid %"PRIu32", version %"PRIu8"\n",
                   msg.xid, msg.version);
        } else {
            printf("%s %s, xid %"PRIu32"\n",
                   dpu_msg_type_to_string(msg.type),
                   msg.flags & DPU_F_REPLY ? "reply" : "message", msg.xid);
            if (msg.type == DPU_MSG_OPERATE) {
                print_op_results(reply);
            }
        }
        ofpbuf_delete(reply);
    }
    dpu_channel_close(ch);
}

static void
dpuctl_help(struct ovs_cmdl_context *ctx OVS_UNUSED)
{
    usage();
}

static const struct ovs_cmdl_command all_commands[] = {
    { "show", "target", 1, 1, dpuctl_show, OVS_RO },
    { "dump-flows", "target", 1, 1, dpuctl_dump_flows, OVS_RO },
    { "top", "target", 1, 1, dpuctl_top, OVS_RO },
    { "set-role", "target role", 2, 2, dpuctl_set_role, OVS_RW },
    { "send-hex", "target hex...", 2, INT_MAX, dpuctl_send_hex, OVS_RW },
    { "install", "bundle target...", 2, INT_MAX, dpuctl_install, OVS_RW },
    { "log-bundle", "file target...", 1, INT_MAX, dpuctl_log_bundle, OVS_RO },
    { "help", NULL, 0, INT_MAX, dpuctl_help, OVS_RO },
    { NULL, NULL, 0, 0, NULL, OVS_RO },
};

static void
usage(void)
{
    printf("%s: talk to an OVS-DPU agent in the host<->DPU protocol\n"
           "usage: %s [OPTIONS] COMMAND TARGET [ARG...]\n"
           "\nCommands:\n"
           "  show TARGET             identity, statistics and ports\n"
           "  dump-flows TARGET       megaflows held by the DPU\n"
           "  top TARGET              the DPU's metrics, refreshed\n"
           "  set-role TARGET ROLE    make the DPU active, standby or "
           "prepare\n"
           "  send-hex TARGET HEX...  send raw bytes, print the replies\n"
           "  install BUNDLE TARGET...\n"
           "                          write a bundle to each DPU's inactive "
           "bank\n"
           "  log-bundle FILE [TARGET[@BOOT-SOCKET]]...\n"
           "                          the host's and the DPUs' logs, in "
           "FILE\n"
           "\nTARGET is unix:FILE, tcp:IP[:PORT] or ssl:IP[:PORT].\n"
           "\nOptions:\n"
           "  -t, --timeout=SECS      give up after SECS (default 5)\n"
           "  --allow-plaintext       connect to tcp: targets (refused "
           "without)\n"
           "  --interval=SECS         top: refresh every SECS (default 1)\n"
           "  --count=N               top: refresh N times, then exit\n"
           "  --once                  top: print once, without clearing "
           "the screen\n"
           "  --lease=MS              set-role: the active DPU's lease\n"
           "  --uplinks=PORT[,PORT]   set-role: the DPU's uplinks "
           "(port numbers)\n"
           "  --trust=FILE            install: Ed25519 public key that the "
           "bundle\n"
           "                          must be signed with\n"
           "  --force                 install: even an older version\n",
           program_name, program_name);
    vlog_usage();
    printf("  -h, --help              display this help message\n"
           "  -V, --version           display version information\n");
    exit(EXIT_SUCCESS);
}

static void
parse_options(int argc, char *argv[])
{
    enum {
        OPT_LEASE = UCHAR_MAX + 1,
        OPT_UPLINKS,
        OPT_INTERVAL,
        OPT_COUNT,
        OPT_ONCE,
        OPT_TRUST,
        OPT_FORCE,
        OPT_ALLOW_PLAINTEXT,
        VLOG_OPTION_ENUMS,
        SSL_OPTION_ENUMS,
    };
    static const struct option long_options[] = {
        {"timeout", required_argument, NULL, 't'},
        {"lease", required_argument, NULL, OPT_LEASE},
        {"uplinks", required_argument, NULL, OPT_UPLINKS},
        {"interval", required_argument, NULL, OPT_INTERVAL},
        {"count", required_argument, NULL, OPT_COUNT},
        {"once", no_argument, NULL, OPT_ONCE},
        {"trust", required_argument, NULL, OPT_TRUST},
        {"force", no_argument, NULL, OPT_FORCE},
        {"allow-plaintext", no_argument, NULL, OPT_ALLOW_PLAINTEXT},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        VLOG_LONG_OPTIONS,
        STREAM_SSL_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    char *short_options = ovs_cmdl_long_options_to_short_options(long_options);

    for (;;) {
        int c = getopt_long(argc, argv, short_options, long_options, NULL);
        if (c == -1) {
            break;
        }
        switch (c) {
        case 't':
            if (!str_to_int(optarg, 10, &timeout_secs) || timeout_secs <= 0) {
                ovs_fatal(0, "value %s on -t or --timeout is invalid",
                          optarg);
            }
            break;
        case OPT_INTERVAL:
            if (!str_to_int(optarg, 10, &top_interval_secs)
                || top_interval_secs <= 0) {
                ovs_fatal(0, "value %s on --interval is invalid", optarg);
            }
            break;
        case OPT_COUNT:
            if (!str_to_uint(optarg, 10, &top_count) || !top_count) {
                ovs_fatal(0, "value %s on --count is invalid", optarg);
            }
            break;
        case OPT_ONCE:
            top_count = 1;
            break;
        case OPT_TRUST:
            trusted_key = optarg;
            break;
        case OPT_FORCE:
            force = true;
            break;
        case OPT_ALLOW_PLAINTEXT:
            allow_plaintext = true;
            break;
        case OPT_LEASE:
            if (!str_to_uint(optarg, 10, &lease_ms)) {
                ovs_fatal(0, "value %s on --lease is invalid", optarg);
            }
            break;
        case OPT_UPLINKS: {
            char *save_ptr = NULL;
            char *copy = xstrdup(optarg);

            n_uplinks = 0;
            for (char *token = strtok_r(copy, ",", &save_ptr); token;
                 token = strtok_r(NULL, ",", &save_ptr)) {
                unsigned int port;

                if (!str_to_uint(token, 10, &port)) {
                    ovs_fatal(0, "%s: bad port number on --uplinks", token);
                } else if (n_uplinks >= DPU_MAX_UPLINKS) {
                    ovs_fatal(0, "--uplinks: more than %d uplinks",
                              DPU_MAX_UPLINKS);
                }
                if (n_uplinks >= allocated_uplinks) {
                    uplinks = x2nrealloc(uplinks, &allocated_uplinks,
                                         sizeof *uplinks);
                }
                uplinks[n_uplinks++] = u32_to_odp(port);
            }
            free(copy);
            break;
        }
        case 'h':
            usage();
        case 'V':
            printf("%s (OVS-DPU) %s\n", program_name, OVS_DPU_VERSION);
            ovs_print_version(0, 0);
            exit(EXIT_SUCCESS);
        VLOG_OPTION_HANDLERS
        STREAM_SSL_OPTION_HANDLERS
        case '?':
            exit(EXIT_FAILURE);
        default:
            abort();
        }
    }
    free(short_options);
}

int
main(int argc, char *argv[])
{
    struct ovs_cmdl_context ctx = { .argc = 0, };

    set_program_name(argv[0]);
    vlog_set_levels(NULL, VLF_CONSOLE, VLL_WARN);
    parse_options(argc, argv);
    fatal_ignore_sigpipe();

    ctx.argc = argc - optind;
    ctx.argv = argv + optind;
    ovs_cmdl_run_command(&ctx, all_commands);
    return 0;
}
