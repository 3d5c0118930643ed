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

/* ovs-dpu-bundle: builds, signs, checks and unpacks the unified bundle
 * that carries the host's and the DPUs' software (see dpu-bundle.h). */

#include <config.h>

#include <getopt.h>
#include <stdlib.h>

#include "command-line.h"
#include "dpu-bundle.h"
#include "dpu-version.h"
#include "openvswitch/vlog.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(ovs_dpu_bundle);

static char *private_key;       /* --private-key. */
static char *trusted_key;       /* --trust. */
static char *installed_version; /* --installed. */
static bool force;              /* --force. */

OVS_NO_RETURN static void usage(void);

static void
check(char *error)
{
    if (error) {
        ovs_fatal(0, "%s", error);
    }
}

static struct dpu_bundle *
open_bundle(const char *file_name)
{
    struct dpu_bundle *b;

    check(dpu_bundle_open(file_name, &b));
    return b;
}

/* Opens and fully checks 'file_name': framing, signature, digests and, with
 * --installed, that it is not older. */
static struct dpu_bundle *
open_verified(const char *file_name)
{
    struct dpu_bundle *b;

    if (!trusted_key) {
        ovs_fatal(0, "--trust is required: the public key that bundles "
                  "must be signed with");
    }
    b = open_bundle(file_name);
    check(dpu_bundle_verify(b, trusted_key));
    if (installed_version) {
        check(dpu_bundle_check_version(b, installed_version, force));
    }
    return b;
}

static void
bundle_create(struct ovs_cmdl_context *ctx)
{
    check(dpu_bundle_create(ctx->argv[1], ctx->argv[2], ctx->argv[3],
                            ctx->argv[4]));
}

static void
bundle_sign(struct ovs_cmdl_context *ctx)
{
    if (!private_key) {
        ovs_fatal(0, "--private-key is required");
    }
    check(dpu_bundle_sign(ctx->argv[1], private_key));
}

static void
bundle_verify(struct ovs_cmdl_context *ctx)
{
    struct dpu_bundle *b = open_verified(ctx->argv[1]);

    printf("%s: version %s, signed, %"PRIuSIZE" components verified\n",
           ctx->argv[1], b->version, b->n_components);
    dpu_bundle_close(b);
}

static void
bundle_show(struct ovs_cmdl_context *ctx)
{
    struct dpu_bundle *b = open_bundle(ctx->argv[1]);

    printf("version: %s\n", b->version);
    printf("signature: %s\n", b->sig_len ? "Ed25519" : "none");
    for (size_t i = 0; i < b->n_components; i++) {
        const struct dpu_bundle_component *c = &b->components[i];

        char hex[65];

        dpu_sha256_to_hex(c->sha256, hex);
        printf("component %s: %"PRIu64" bytes, sha256 %s\n", c->name,
               c->size, hex);
    }
    dpu_bundle_close(b);
}

static void
bundle_extract(struct ovs_cmdl_context *ctx)
{
    struct dpu_bundle *b = open_verified(ctx->argv[1]);

    check(dpu_bundle_extract(b, ctx->argv[2], ctx->argv[3]));
    dpu_bundle_close(b);
}

static void
bundle_help(struct ovs_cmdl_context *ctx OVS_UNUSED)
{
    usage();
}

static const struct ovs_cmdl_command all_commands[] = {
    { "create", "bundle version host-file dpu-file", 4, 4, bundle_create,
      OVS_RW },
    { "sign", "bundle", 1, 1, bundle_sign, OVS_RW },
    { "verify", "bundle", 1, 1, bundle_verify, OVS_RO },
    { "show", "bundle", 1, 1, bundle_show, OVS_RO },
    { "extract", "bundle component file", 3, 3, bundle_extract, OVS_RW },
    { "help", NULL, 0, INT_MAX, bundle_help, OVS_RO },
    { NULL, NULL, 0, 0, NULL, OVS_RO },
};

static void
usage(void)
{
    printf("%s: build, sign and check OVS-DPU's unified bundles\n"
           "usage: %s [OPTIONS] COMMAND BUNDLE [ARG...]\n"
           "\nCommands:\n"
           "  create BUNDLE VERSION HOST-FILE DPU-FILE\n"
           "                          write an unsigned bundle\n"
           "  sign BUNDLE             sign it (--private-key)\n"
           "  verify BUNDLE           check signature and content (--trust)\n"
           "  show BUNDLE             print its manifest, unchecked\n"
           "  extract BUNDLE COMPONENT FILE\n"
           "                          check it, then write a component "
           "(host, dpu)\n"
           "\nOptions:\n"
           "  --private-key=FILE      sign: Ed25519 private key, PEM\n"
           "  --trust=FILE            verify, extract: Ed25519 public key, "
           "PEM\n"
           "  --installed=VERSION     verify, extract: refuse an older "
           "bundle\n"
           "  --force                 with --installed: accept an older "
           "one\n",
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
        OPT_PRIVATE_KEY = UCHAR_MAX + 1,
        OPT_TRUST,
        OPT_INSTALLED,
        OPT_FORCE,
        VLOG_OPTION_ENUMS,
    };
    static const struct option long_options[] = {
        {"private-key", required_argument, NULL, OPT_PRIVATE_KEY},
        {"trust", required_argument, NULL, OPT_TRUST},
        {"installed", required_argument, NULL, OPT_INSTALLED},
        {"force", no_argument, NULL, OPT_FORCE},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
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
        case OPT_PRIVATE_KEY:
            private_key = optarg;
            break;
        case OPT_TRUST:
            trusted_key = optarg;
            break;
        case OPT_INSTALLED:
            if (!dpu_version_is_valid(optarg)) {
                ovs_fatal(0, "--installed=%s: a version is numbers "
                          "separated by dots, such as 1.2.0", optarg);
            }
            installed_version = optarg;
            break;
        case OPT_FORCE:
            force = true;
            break;
        case 'h':
            usage();
        case 'V':
            printf("%s (OVS-DPU) %s\n", program_name, OVS_DPU_VERSION);
            ovs_print_version(0, 0);
            exit(EXIT_SUCCESS);
        VLOG_OPTION_HANDLERS
        case '?':
            exit(EXIT_FAILURE);
        default:
            OVS_NOT_REACHED();
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

    ctx.argc = argc - optind;
    ctx.argv = argv + optind;
    ovs_cmdl_run_command(&ctx, all_commands);
    return 0;
}
