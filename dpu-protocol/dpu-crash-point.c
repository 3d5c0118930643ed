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
#include "dpu-crash-point.h"

#include <errno.h>
#include <string.h>

#include "openvswitch/dynamic-string.h"
#include "openvswitch/vlog.h"
#include "unixctl.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(dpu_crash_point);

/* The points of one daemon, registered under one prefix. */
struct dpu_crash_points {
    struct dpu_crash_point *points;
    size_t n;
};

static struct dpu_crash_point *
find_point(const struct dpu_crash_points *cps, const char *name)
{
    for (size_t i = 0; i < cps->n; i++) {
        if (!strcmp(cps->points[i].name, name)) {
            return &cps->points[i];
        }
    }
    return NULL;
}

static void
put_names(const struct dpu_crash_points *cps, struct ds *s)
{
    for (size_t i = 0; i < cps->n; i++) {
        ds_put_format(s, "%s%s", i ? ", " : "", cps->points[i].name);
    }
}

static void
crash_point_list(struct unixctl_conn *conn, int argc OVS_UNUSED,
                 const char *argv[] OVS_UNUSED, void *cps_)
{
    const struct dpu_crash_points *cps = cps_;
    struct ds s = DS_EMPTY_INITIALIZER;

    for (size_t i = 0; i < cps->n; i++) {
        struct dpu_crash_point *cp = &cps->points[i];
        unsigned int countdown;

        atomic_read_relaxed(&cp->countdown, &countdown);
        ds_put_format(&s, "%s: %s\n", cp->name, cp->description);
        if (countdown) {
            ds_put_format(&s, "  armed: aborts when reached %u more "
                          "time%s\n", countdown, countdown > 1 ? "s" : "");
        }
    }
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

static void
crash_point_arm(struct unixctl_conn *conn, int argc, const char *argv[],
                void *cps_)
{
    const struct dpu_crash_points *cps = cps_;
    struct dpu_crash_point *cp = find_point(cps, argv[1]);
    unsigned int count = 1;

    if (!cp) {
        struct ds s = DS_EMPTY_INITIALIZER;

        ds_put_format(&s, "%s: no such crash point (", argv[1]);
        put_names(cps, &s);
        ds_put_char(&s, ')');
        unixctl_command_reply_error(conn, ds_cstr(&s));
        ds_destroy(&s);
        return;
    }
    if (argc > 2 && (!str_to_uint(argv[2], 10, &count) || !count)) {
        unixctl_command_reply_error(conn, "COUNT must be a positive "
                                    "integer");
        return;
    }
    atomic_store(&cp->countdown, count);
    VLOG_WARN("crash point %s armed: aborts when reached %u time%s",
              cp->name, count, count > 1 ? "s" : "");
    unixctl_command_reply(conn, "armed");
}

static void
crash_point_disarm(struct unixctl_conn *conn, int argc, const char *argv[],
                   void *cps_)
{
    const struct dpu_crash_points *cps = cps_;

    if (argc > 1) {
        struct dpu_crash_point *cp = find_point(cps, argv[1]);

        if (!cp) {
            unixctl_command_reply_error(conn, "no such crash point");
            return;
        }
        atomic_store(&cp->countdown, 0);
    } else {
        for (size_t i = 0; i < cps->n; i++) {
            atomic_store(&cps->points[i].countdown, 0);
        }
    }
    unixctl_command_reply(conn, "disarmed");
}

void
dpu_crash_points_register(const char *prefix, struct dpu_crash_point *points,
                          size_t n)
{
    struct dpu_crash_points *cps = xmalloc(sizeof *cps);
    char *name;

    cps->points = points;
    cps->n = n;

    name = xasprintf("%s/crash-point/list", prefix);
    unixctl_command_register(name, "", 0, 0, crash_point_list, cps);
    free(name);

    name = xasprintf("%s/crash-point/arm", prefix);
    unixctl_command_register(name, "NAME [COUNT]", 1, 2, crash_point_arm,
                             cps);
    free(name);

    name = xasprintf("%s/crash-point/disarm", prefix);
    unixctl_command_register(name, "[NAME]", 0, 1, crash_point_disarm, cps);
    free(name);
}

bool
dpu_crash_point_hit(struct dpu_crash_point *cp)
{
    unsigned int countdown;

    atomic_read_relaxed(&cp->countdown, &countdown);
    while (countdown) {
        /* Another thread may reach the same point at the same time: only
         * the one that takes the count from 1 to 0 crashes. */
        if (atomic_compare_exchange_weak(&cp->countdown, &countdown,
                                         countdown - 1)) {
            return countdown == 1;
        }
    }
    return false;
}

/* Aborts, as a crash does: nothing more is sent, no exit handler runs (the
 * pidfile and Unix sockets stay behind), and a daemon run with --monitor
 * is restarted, as after SIGSEGV. */
void
dpu_crash_point_fire(const struct dpu_crash_point *cp)
{
    VLOG_ABORT("crash point %s reached: aborting (%s)", cp->name,
               cp->description);
}
