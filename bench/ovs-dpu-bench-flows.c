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

/* ovs-dpu-bench-flows: installs datapath flows through dpif_operate()
 * batches and times it, for bench/ovs-dpu-bench.sh.
 *
 * usage: ovs-dpu-bench-flows [--batch=N] --netdev FILE
 *        ovs-dpu-bench-flows [--batch=N] --dpu=TARGET FILE
 *
 * FILE holds one flow a line, "KEY ACTIONS" in the syntax of
 * "ovs-appctl dpctl/add-flows" with port numbers (not names).  The flows are
 * parsed first, then put with DPIF_FP_CREATE in dpif_operate() batches of N
 * (default 64, what ofproto-dpif's upcall handlers use), and only the
 * batches are timed.
 *
 * --netdev puts them into a new userspace datapath (dpif-netdev) in this
 * process, named "benchflows", deleted at exit.  --dpu=TARGET puts them
 * into the dpu datapath "ovs-dpu" of a DPU agent listening on TARGET
 * (e.g. unix:FILE), through dpif-dpu, as ovs-vswitchd would; the flows'
 * input ports must be ports of the agent's datapath, which this program
 * adopts as a restarted ovs-vswitchd would.  It asks the agent for no
 * upcalls: those, and the DPU's IPFIX exporters, stay with the
 * ovs-vswitchd that runs beside it.
 *
 * Prints "flows N", "failed N" and "elapsed_us N". */

#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dpif.h"
#include "dpif-dpu.h"
#include "dpu-conn.h"
#include "flow.h"
#include "odp-util.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/vlog.h"
#include "openvswitch/poll-loop.h"
#include "smap.h"
#include "timeval.h"
#include "util.h"

struct bench_flow {
    struct ofpbuf key, mask, actions;
    ovs_u128 ufid;
    struct dpif_op op;
};

static size_t
read_flows(const char *file_name, struct bench_flow **flowsp)
{
    struct bench_flow *flows = NULL;
    size_t n = 0, allocated = 0;
    struct ds line = DS_EMPTY_INITIALIZER;
    int line_number = 0;
    FILE *stream;

    stream = fopen(file_name, "r");
    if (!stream) {
        ovs_fatal(errno, "%s: open failed", file_name);
    }
    while (!ds_get_preprocessed_line(&line, stream, &line_number)) {
        char *s = ds_cstr(&line);
        char *space = strrchr(s, ' ');
        struct bench_flow *f;
        char *error = NULL;

        if (!space) {
            ovs_fatal(0, "%s:%d: no actions", file_name, line_number);
        }
        *space = '\0';
        if (n >= allocated) {
            flows = x2nrealloc(flows, &allocated, sizeof *flows);
        }
        f = &flows[n++];
        ofpbuf_init(&f->key, 0);
        ofpbuf_init(&f->mask, 0);
        ofpbuf_init(&f->actions, 0);
        if (odp_flow_from_string(s, NULL, &f->key, &f->mask, &error)) {
            ovs_fatal(0, "%s:%d: %s", file_name, line_number, error);
        }
        if (odp_actions_from_string(space + 1, NULL, &f->actions)) {
            ovs_fatal(0, "%s:%d: bad actions", file_name, line_number);
        }
        odp_flow_key_hash(f->key.data, f->key.size, &f->ufid);
    }
    ds_destroy(&line);
    fclose(stream);
    *flowsp = flows;
    return n;
}

/* Opens the dpu datapath of the agent at 'target' and waits until it
 * holds port 'in_port'. */
static struct dpif *
open_dpu(const char *target, odp_port_t in_port)
{
    struct smap no_options = SMAP_INITIALIZER(&no_options);
    struct dpu_config cfg = {
        .name = "dpu0", .target = target, .other_config = &no_options,
        /* ovs-vswitchd keeps the DPU's upcalls. */
        .no_upcalls = true,
    };
    struct dpif *dpif;
    int error;

    dpif_dpu_register();
    dpu_conn_set_config(&cfg, 1);
    error = dpif_create_and_open("ovs-dpu", "dpu", &dpif);
    if (error) {
        ovs_fatal(error, "%s: cannot open the dpu datapath", target);
    }
    /* dpif_run() re-syncs the DPU: adopts its ports. */
    for (int i = 0; i < 100; i++) {
        struct dpif_port port;

        dpif_run(dpif);
        if (!dpif_port_query_by_number(dpif, in_port, &port)) {
            dpif_port_destroy(&port);
            return dpif;
        }
        poll_timer_wait(100);
        poll_block();
    }
    ovs_fatal(0, "%s: the DPU did not come up with its ports", target);
}

int
main(int argc, char *argv[])
{
    static const struct option long_options[] = {
        {"batch", required_argument, NULL, 'b'},
        {"netdev", no_argument, NULL, 'n'},
        {"dpu", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *dpu_target = NULL;
    struct bench_flow *flows;
    struct dpif_op **ops;
    size_t batch = 64, n, failed = 0;
    bool netdev = false;
    long long int start, elapsed;
    struct dpif *dpif;
    int c;

    set_program_name(argv[0]);
    vlog_set_levels(NULL, VLF_ANY_DESTINATION, VLL_WARN);
    while ((c = getopt_long(argc, argv, "", long_options, NULL)) != -1) {
        switch (c) {
        case 'b':
            batch = strtoul(optarg, NULL, 10);
            break;
        case 'n':
            netdev = true;
            break;
        case 'd':
            dpu_target = optarg;
            break;
        case 'h':
        default:
            printf("usage: %s [--batch=N] --netdev|--dpu=TARGET FILE\n",
                   program_name);
            exit(c == 'h' ? 0 : 1);
        }
    }
    if (argc - optind != 1 || netdev == !!dpu_target || !batch) {
        ovs_fatal(0, "need one FILE and one of --netdev or --dpu=TARGET "
                  "(see --help)");
    }

    n = read_flows(argv[optind], &flows);
    if (netdev) {
        int error = dpif_create_and_open("benchflows", "netdev", &dpif);

        if (error) {
            ovs_fatal(error, "cannot create a netdev datapath");
        }
    } else {
        struct flow flow;

        if (!n || odp_flow_key_to_flow(flows[0].key.data, flows[0].key.size,
                                       &flow, NULL) == ODP_FIT_ERROR) {
            ovs_fatal(0, "%s: no flow with an input port", argv[optind]);
        }
        dpif = open_dpu(dpu_target, flow.in_port.odp_port);
    }

    ops = xmalloc(n * sizeof *ops);
    for (size_t i = 0; i < n; i++) {
        struct bench_flow *f = &flows[i];

        memset(&f->op, 0, sizeof f->op);
        f->op.type = DPIF_OP_FLOW_PUT;
        f->op.flow_put.flags = DPIF_FP_CREATE;
        f->op.flow_put.key = f->key.data;
        f->op.flow_put.key_len = f->key.size;
        f->op.flow_put.mask = f->mask.data;
        f->op.flow_put.mask_len = f->mask.size;
        f->op.flow_put.actions = f->actions.data;
        f->op.flow_put.actions_len = f->actions.size;
        f->op.flow_put.ufid = &f->ufid;
        f->op.flow_put.pmd_id = PMD_ID_NULL;
        ops[i] = &f->op;
    }

    start = time_usec();
    for (size_t i = 0; i < n; i += batch) {
        dpif_operate(dpif, &ops[i], MIN(batch, n - i), DPIF_OFFLOAD_AUTO);
    }
    elapsed = time_usec() - start;
    for (size_t i = 0; i < n; i++) {
        failed += ops[i]->error != 0;
    }

    printf("flows %"PRIuSIZE"\nfailed %"PRIuSIZE"\nelapsed_us %lld\n",
           n, failed, elapsed);

    if (netdev) {
        dpif_delete(dpif);
    }
    dpif_close(dpif);
    for (size_t i = 0; i < n; i++) {
        ofpbuf_uninit(&flows[i].key);
        ofpbuf_uninit(&flows[i].mask);
        ofpbuf_uninit(&flows[i].actions);
    }
    free(flows);
    free(ops);
    return 0;
}
