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

/* ovn-dpu-intent: NSX-style intent (segments, gateways, groups and a
 * distributed firewall, in NSX's hierarchical Policy API) realised in OVN's
 * northbound database.  See ovn-dpu-intent(8) and
 * Documentation/topics/dpu-nsx-intent.rst. */

#include <config.h>

#include <getopt.h>
#include <stdlib.h>

#include "command-line.h"
#include "dpu-version.h"
#include "dpu/ovn-integration/ovn-nb-idl.h"
#include "fatal-signal.h"
#include "intent-doc.h"
#include "intent-map.h"
#include "intent-nb.h"
#include "intent-rows.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "stream-ssl.h"
#include "stream.h"
#include "svec.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(ovn_dpu_intent);

/* --db: the northbound database. */
static char *db;

/* --timeout: give up after this many seconds (0: never). */
static unsigned int timeout_secs;

/* How many times "apply" recomputes its transaction when another client
 * changed the database under it. */
#define MAX_ATTEMPTS 10

OVS_NO_RETURN static void usage(void);
static void parse_options(int argc, char *argv[]);

/* Prints each of 'errors' about 'file_name', and exits. */
OVS_NO_RETURN static void
fatal_errors(const char *file_name, const struct svec *errors)
{
    const char *error;
    size_t i;

    SVEC_FOR_EACH (i, error, errors) {
        ovs_error(0, "%s: %s", file_name, error);
    }
    ovs_fatal(0, "%s: %"PRIuSIZE" error%s, nothing changed", file_name,
              errors->n, errors->n > 1 ? "s" : "");
}

/* Reads, validates and maps the document in 'file_name' into 'rows'; on an
 * error, prints every cause and exits. */
static void
load_document(const char *file_name, struct intent_rows *rows)
{
    struct svec errors = SVEC_EMPTY_INITIALIZER;
    struct intent_doc *doc = intent_doc_read(file_name, &errors);

    intent_rows_init(rows);
    if (doc) {
        intent_map(doc, rows, &errors);
        intent_doc_destroy(doc);
    }
    if (errors.n) {
        fatal_errors(file_name, &errors);
    }
    svec_destroy(&errors);
}

/* Runs 'idl' until its contents change from those of 'seqno'. */
static void
wait_for_change(struct ovsdb_idl *idl, unsigned int seqno)
{
    for (;;) {
        ovsdb_idl_run(idl);
        if (!ovsdb_idl_is_alive(idl)) {
            ovs_fatal(ovsdb_idl_get_last_error(idl),
                      "%s: database connection failed", db);
        }
        if (ovsdb_idl_get_seqno(idl) != seqno) {
            return;
        }
        ovsdb_idl_wait(idl);
        poll_block();
    }
}

/* Connects to the northbound database and waits for its contents.  As
 * ovs-vsctl does, it tries once: a database that cannot be reached is an
 * error at once. */
static struct ovsdb_idl *
open_nb(void)
{
    struct ovsdb_idl *idl = ovsdb_idl_create(db, &nbrec_idl_class, false,
                                             false);

    intent_nb_monitor(idl);
    wait_for_change(idl, ovsdb_idl_get_seqno(idl));
    return idl;
}

static void
print_changes(const struct svec *changes)
{
    const char *line;
    size_t i;

    SVEC_FOR_EACH (i, line, changes) {
        printf("%s\n", line);
    }
}

static void
print_stats(const char *prefix, const char *create, const char *update,
            const char *delete, const struct intent_nb_stats *stats)
{
    printf("%s: %"PRIuSIZE" %s, %"PRIuSIZE" %s, %"PRIuSIZE" %s\n",
           prefix, stats->n_create, create, stats->n_update, update,
           stats->n_delete, delete);
}

static void
intent_plan(struct ovs_cmdl_context *ctx)
{
    struct svec changes = SVEC_EMPTY_INITIALIZER;
    struct svec errors = SVEC_EMPTY_INITIALIZER;
    struct intent_nb_stats stats;
    struct intent_rows rows;

    load_document(ctx->argv[1], &rows);
    struct ovsdb_idl *idl = open_nb();
    if (!intent_nb_reconcile(idl, &rows, NULL, &changes, &stats, &errors)) {
        fatal_errors(ctx->argv[1], &errors);
    }
    if (changes.n) {
        print_changes(&changes);
        print_stats("plan", "to create", "to update", "to delete", &stats);
    } else {
        printf("no change\n");
    }
    svec_destroy(&changes);
    intent_rows_destroy(&rows);
    ovsdb_idl_destroy(idl);
}

/* Commits one transaction that converges the database to 'rows'.  Returns
 * the transaction's status; on TXN_SUCCESS or TXN_UNCHANGED, fills in
 * 'changes' and 'stats'. */
static enum ovsdb_idl_txn_status
apply_once(struct ovsdb_idl *idl, struct intent_rows *rows,
           const char *file_name, struct svec *changes,
           struct intent_nb_stats *stats)
{
    struct ovsdb_idl_txn *txn = ovsdb_idl_txn_create(idl);
    struct svec errors = SVEC_EMPTY_INITIALIZER;
    enum ovsdb_idl_txn_status status;

    ovsdb_idl_txn_add_comment(txn, "ovn-dpu-intent: apply %s", file_name);
    svec_clear(changes);
    if (!intent_nb_reconcile(idl, rows, txn, changes, stats, &errors)) {
        fatal_errors(file_name, &errors);
    }
    if (!changes->n) {
        /* Nothing to write: no transaction is sent at all. */
        ovsdb_idl_txn_destroy(txn);
        return TXN_UNCHANGED;
    }
    status = ovsdb_idl_txn_commit_block(txn);
    if (status != TXN_SUCCESS && status != TXN_TRY_AGAIN) {
        ovs_fatal(0, "%s: transaction failed (%s): %s, nothing changed",
                  file_name, ovsdb_idl_txn_status_to_string(status),
                  ovsdb_idl_txn_get_error(txn));
    }
    ovsdb_idl_txn_destroy(txn);
    return status;
}

static void
intent_apply(struct ovs_cmdl_context *ctx)
{
    const char *file_name = ctx->argv[1];
    struct svec changes = SVEC_EMPTY_INITIALIZER;
    enum ovsdb_idl_txn_status status = TXN_TRY_AGAIN;
    struct intent_nb_stats stats;
    struct intent_rows rows;

    load_document(file_name, &rows);
    struct ovsdb_idl *idl = open_nb();
    for (int i = 0; i < MAX_ATTEMPTS && status == TXN_TRY_AGAIN; i++) {
        unsigned int seqno = ovsdb_idl_get_seqno(idl);
        status = apply_once(idl, &rows, file_name, &changes, &stats);
        if (status == TXN_TRY_AGAIN) {
            VLOG_INFO("%s: the database changed, trying again", db);
            wait_for_change(idl, seqno);
        }
    }
    if (status == TXN_TRY_AGAIN) {
        ovs_fatal(0, "%s: the database kept changing, gave up after %d "
                  "attempts, nothing changed", db, MAX_ATTEMPTS);
    } else if (status == TXN_UNCHANGED) {
        printf("no change\n");
    } else {
        print_changes(&changes);
        print_stats("applied", "created", "updated", "deleted", &stats);
    }
    svec_destroy(&changes);
    intent_rows_destroy(&rows);
    ovsdb_idl_destroy(idl);
}

static void
intent_show(struct ovs_cmdl_context *ctx OVS_UNUSED)
{
    struct ovsdb_idl *idl = open_nb();
    struct ds s = DS_EMPTY_INITIALIZER;

    intent_nb_show(idl, &s);
    fputs(ds_cstr(&s), stdout);
    ds_destroy(&s);
    ovsdb_idl_destroy(idl);
}

static void
intent_check(struct ovs_cmdl_context *ctx)
{
    struct intent_rows rows;

    load_document(ctx->argv[1], &rows);
    printf("%s: %"PRIuSIZE" northbound rows\n", ctx->argv[1],
           hmap_count(&rows.rows));
    intent_rows_destroy(&rows);
}

static void
intent_help(struct ovs_cmdl_context *ctx OVS_UNUSED)
{
    usage();
}

static const struct ovs_cmdl_command all_commands[] = {
    { "apply", "file", 1, 1, intent_apply, OVS_RW },
    { "plan", "file", 1, 1, intent_plan, OVS_RO },
    { "show", NULL, 0, 0, intent_show, OVS_RO },
    { "check", "file", 1, 1, intent_check, OVS_RO },
    { "help", NULL, 0, INT_MAX, intent_help, OVS_RO },
    { NULL, NULL, 0, 0, NULL, OVS_RO },
};

static void
usage(void)
{
    printf("%s: NSX-style intent realised in OVN's northbound database\n"
           "usage: %s [OPTIONS] COMMAND [ARG...]\n"
           "\nCommands:\n"
           "  apply FILE              converge the database to FILE, in one "
           "transaction\n"
           "  plan FILE               print what apply would change\n"
           "  show                    print the rows that realise the "
           "intent\n"
           "  check FILE              validate FILE, without a database\n"
           "\nOptions:\n"
           "  --db=DATABASE           northbound database (default: "
           "$OVN_NB_DB,\n"
           "                          else unix:$OVN_RUNDIR/ovnnb_db.sock)\n"
           "  -t, --timeout=SECS      give up after SECS (default: never)\n",
           program_name, program_name);
    vlog_usage();
    stream_usage("database", true, false, true);
    printf("\nOther options:\n"
           "  -h, --help              display this help message\n"
           "  -V, --version           display version information\n");
    exit(EXIT_SUCCESS);
}

static char *
default_db(void)
{
    const char *env = getenv("OVN_NB_DB");
    const char *rundir = getenv("OVN_RUNDIR");

    return (env ? xstrdup(env)
            : xasprintf("unix:%s/ovnnb_db.sock",
                        rundir ? rundir : "/var/run/ovn"));
}

static void
parse_options(int argc, char *argv[])
{
    enum {
        OPT_DB = UCHAR_MAX + 1,
        VLOG_OPTION_ENUMS,
        SSL_OPTION_ENUMS,
    };
    static const struct option long_options[] = {
        {"db", required_argument, NULL, OPT_DB},
        {"timeout", required_argument, NULL, 't'},
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
        case OPT_DB:
            free(db);
            db = xstrdup(optarg);
            break;
        case 't':
            if (!str_to_uint(optarg, 10, &timeout_secs)) {
                ovs_fatal(0, "value %s on -t or --timeout is invalid",
                          optarg);
            }
            break;
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
            OVS_NOT_REACHED();
        }
    }
    free(short_options);
    if (!db) {
        db = default_db();
    }
}

int
main(int argc, char *argv[])
{
    struct ovs_cmdl_context ctx = { .argc = 0, };

    set_program_name(argv[0]);
    vlog_set_levels(NULL, VLF_CONSOLE, VLL_WARN);
    parse_options(argc, argv);
    fatal_ignore_sigpipe();
    if (timeout_secs) {
        time_alarm(timeout_secs);
    }

    ctx.argc = argc - optind;
    ctx.argv = argv + optind;
    ovs_cmdl_run_command(&ctx, all_commands);
    free(db);
    return 0;
}
