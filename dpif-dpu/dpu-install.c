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
#include "dpu-install.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "connectivity.h"
#include "dpu-boot-client.h"
#include "dpu-bundle.h"
#include "dpu-codec.h"
#include "dpu-conn.h"
#include "dpu-version.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "ovs-thread.h"
#include "seq.h"
#include "smap.h"
#include "unixctl.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(dpu_install);

/* How long a DPU may take to answer one IMAGE_* request; IMAGE_END, which
 * the DPU answers once it has checked the bundle and written its bank,
 * gets longer. */
#define INSTALL_TIMEOUT_MS 10000
#define INSTALL_END_TIMEOUT_MS 60000

/* One part of an install: a DPU, or the host. */
struct install_part {
    char *name;                 /* DPU name, or "host". */
    struct dpu_conn *conn;      /* Reference; NULL for the host. */
    pthread_t thread;

    /* Written by the part's thread, under 'install_mutex'. */
    int pct;                    /* Progress. */
    bool done;
    char *version, *bank;       /* On success. */
    char *error;                /* On failure. */
};

static struct ovs_mutex install_mutex = OVS_MUTEX_INITIALIZER;

/* The install in progress, if 'parts' is nonnull (main thread). */
static struct {
    struct unixctl_conn *conn;  /* To reply to. */
    char *file;
    bool force;
    struct install_part *parts;
    size_t n_parts;
} cur;

/* The state of each DPU's last install, for DPU:status: DPU name to a
 * struct smap of install_* keys.  Under 'install_mutex'. */
static struct shash last OVS_GUARDED_BY(install_mutex)
    = SHASH_INITIALIZER(&last);

static char *host_boot;         /* Open_vSwitch other_config:dpu-host-boot. */

void
dpu_install_set_host_boot(const char *socket)
{
    free(host_boot);
    host_boot = nullable_xstrdup(socket);
}

/* Records progress 'pct' of 'part', or its end, and wakes the main thread.
 * Takes ownership of 'error', 'version' and 'bank'. */
static void
part_update(struct install_part *part, int pct, bool done, char *version,
            char *bank, char *error)
{
    ovs_mutex_lock(&install_mutex);
    part->pct = pct;
    part->done = done;
    if (done) {
        part->version = version;
        part->bank = bank;
        part->error = error;
    }
    ovs_mutex_unlock(&install_mutex);
    seq_change(connectivity_seq_get());
}

/* Sends request 'b' (of 'type') to the DPU of 'part'.  Returns NULL, and
 * the reply in '*replyp' and 'msg' if 'replyp' is nonnull, or what
 * failed. */
static char *
part_transact(struct install_part *part, enum dpu_msg_type type,
              struct ofpbuf *b, int timeout, struct ofpbuf **replyp,
              struct dpu_msg *msg)
{
    struct ofpbuf *reply;
    struct dpu_msg dummy;
    char *why;
    int error;

    dpu_msg_finish(b);
    error = dpu_conn_transact_why(part->conn, b, timeout, &reply,
                                  msg ? msg : &dummy, &why);
    if (error) {
        char *s = xasprintf("%s: %s%s(%s)", dpu_msg_type_to_string(type),
                            why ? why : "", why ? " " : "",
                            ovs_strerror(error));
        free(why);
        return s;
    }
    if (replyp) {
        *replyp = reply;
    } else {
        ofpbuf_delete(reply);
    }
    return NULL;
}

/* Streams the bundle in 'cur.file' to the DPU of 'part_'.  The DPU's own
 * thread. */
static void *
part_dpu_main(void *part_)
{
    struct install_part *part = part_;
    struct dpu_image_result r;
    struct ds why = DS_EMPTY_INITIALIZER;
    uint8_t buf[DPU_IMAGE_MAX_CHUNK];
    struct dpu_msg msg;
    struct ofpbuf *b, *reply;
    char *error = NULL;
    uint64_t size, offset;
    int pct = -1;
    FILE *stream;

    bool ed, lb;
    if (dpu_conn_is_up(part->conn)
        && !(dpu_conn_get_caps(part->conn, &ed, &lb) & DPU_CAP_IMAGE)) {
        error = xstrdup("the DPU takes no images (it has no boot loader)");
        stream = NULL;
        goto exit;
    }
    stream = fopen(cur.file, "rb");
    if (!stream) {
        error = xasprintf("%s: %s", cur.file, ovs_strerror(errno));
        goto exit;
    }

    struct dpu_image_begin ib = { .force = cur.force };
    error = dpu_file_sha256(cur.file, ib.sha256, &size);
    if (error) {
        goto exit;
    }
    ib.size = size;
    b = ofpbuf_new(128);
    dpu_msg_start(b, DPU_MSG_IMAGE_BEGIN, 0, 0);
    dpu_put_image_begin(b, &ib);
    error = part_transact(part, DPU_MSG_IMAGE_BEGIN, b, INSTALL_TIMEOUT_MS,
                          &reply, &msg);
    if (error) {
        goto exit;
    }
    offset = nl_attr_get_u64(msg.attrs[DPU_ATTR_IMAGE_OFFSET]);
    ofpbuf_delete(reply);

    while (offset < size) {
        size_t n = MIN(sizeof buf, size - offset);

        if (fseeko(stream, offset, SEEK_SET)
            || fread(buf, 1, n, stream) != n) {
            error = xasprintf("%s: read failed", cur.file);
            goto exit;
        }
        b = ofpbuf_new(n + 64);
        dpu_msg_start(b, DPU_MSG_IMAGE_DATA, 0, 0);
        dpu_put_image_data(b, &(struct dpu_image_data) {
                               .offset = offset, .data = buf, .size = n });
        error = part_transact(part, DPU_MSG_IMAGE_DATA, b,
                              INSTALL_TIMEOUT_MS, NULL, NULL);
        if (error) {
            goto exit;
        }
        offset += n;
        if (offset * 100 / size != pct) {
            pct = offset * 100 / size;
            part_update(part, pct, false, NULL, NULL, NULL);
        }
    }

    b = ofpbuf_new(64);
    dpu_msg_start(b, DPU_MSG_IMAGE_END, 0, 0);
    error = part_transact(part, DPU_MSG_IMAGE_END, b, INSTALL_END_TIMEOUT_MS,
                          &reply, &msg);
    if (error) {
        goto exit;
    }
    if (dpu_parse_image_result(&msg, &r, &why)) {
        error = xasprintf("bad IMAGE_END reply: %s", ds_cstr(&why));
    } else {
        part_update(part, 100, true, xstrdup(r.version), xstrdup(r.bank),
                    NULL);
    }
    ofpbuf_delete(reply);

exit:
    if (error) {
        part_update(part, MAX(pct, 0), true, NULL, NULL, error);
    }
    if (stream) {
        fclose(stream);
    }
    ds_destroy(&why);
    return NULL;
}

/* Hands the bundle to the host's boot loader, which checks it again and
 * writes the host's content to its inactive bank. */
static void *
part_host_main(void *part_)
{
    struct install_part *part = part_;
    char *argv[2];
    char *result, *error;
    int argc = 0;

    if (cur.force) {
        argv[argc++] = CONST_CAST(char *, "--force");
    }
    argv[argc++] = cur.file;
    error = boot_client_call(host_boot, "boot/install", argc, argv,
                             &result);
    if (error) {
        part_update(part, 0, true, NULL, NULL, error);
    } else {
        /* "bank X written: ..." */
        char bank[2] = { result && !strncmp(result, "bank ", 5)
                         ? result[5] : '?', '\0' };
        struct dpu_bundle *bundle;
        char *version = NULL;

        if (!dpu_bundle_open(cur.file, &bundle)) {
            version = xstrdup(bundle->version);
            dpu_bundle_close(bundle);
        }
        part_update(part, 100, true, version ? version : xstrdup("?"),
                    xstrdup(bank), NULL);
        free(result);
    }
    return NULL;
}

/* The install_* keys of 'part' now, in 's'.  'failed' says whether the
 * install as a whole failed. */
static void
part_status(const struct install_part *part, bool failed, struct smap *s)
    OVS_REQUIRES(install_mutex)
{
    smap_clear(s);
    smap_add(s, "install_state", (!part->done ? "in-progress"
                                  : part->error ? "failed" : "done"));
    smap_add_format(s, "install_progress", "%d%%", part->pct);
    if (part->version) {
        smap_add(s, "install_version", part->version);
        smap_add(s, "install_bank", part->bank);
    }
    if (part->error) {
        smap_add(s, "install_error", part->error);
    }
    if (failed) {
        smap_add(s, "install_recommendation", "restart the host");
    }
}

void
dpu_install_get_status(const char *name, struct smap *status)
{
    const struct smap *s;

    ovs_mutex_lock(&install_mutex);
    s = shash_find_data(&last, name);
    if (s) {
        struct smap_node *node;

        SMAP_FOR_EACH (node, s) {
            smap_replace(status, node->key, node->value);
        }
    }
    ovs_mutex_unlock(&install_mutex);
}

static void
part_destroy(struct install_part *part)
{
    dpu_conn_unref(part->conn);
    free(part->name);
    free(part->version);
    free(part->bank);
    free(part->error);
}

void
dpu_install_run(void)
{
    struct ds reply = DS_EMPTY_INITIALIZER;
    struct ds failed = DS_EMPTY_INITIALIZER;
    bool all_done = true;

    if (!cur.parts) {
        return;
    }

    ovs_mutex_lock(&install_mutex);
    for (size_t i = 0; i < cur.n_parts; i++) {
        all_done = all_done && cur.parts[i].done;
    }
    for (size_t i = 0; i < cur.n_parts; i++) {
        struct install_part *part = &cur.parts[i];
        struct smap *s = shash_find_data(&last, part->name);

        if (!s) {
            s = xmalloc(sizeof *s);
            smap_init(s);
            shash_add(&last, part->name, s);
        }
        if (part->error) {
            ds_put_format(&failed, "%s%s", failed.length ? ", " : "",
                          part->name);
        }
        part_status(part, all_done && failed.length, s);
        if (all_done) {
            ds_put_format(&reply, "%s: %s%s%s%s%s\n", part->name,
                          part->error ? "failed: " : "",
                          part->error ? part->error : "version ",
                          part->error ? "" : part->version,
                          part->error ? "" : " written to bank ",
                          part->error ? "" : part->bank);
        }
    }
    ovs_mutex_unlock(&install_mutex);

    if (all_done) {
        /* Every part's status says "restart the host" once the install as
         * a whole failed. */
        ovs_mutex_lock(&install_mutex);
        for (size_t i = 0; i < cur.n_parts && failed.length; i++) {
            part_status(&cur.parts[i], true,
                        shash_find_data(&last, cur.parts[i].name));
        }
        ovs_mutex_unlock(&install_mutex);

        for (size_t i = 0; i < cur.n_parts; i++) {
            xpthread_join(cur.parts[i].thread, NULL);
            part_destroy(&cur.parts[i]);
        }
        if (failed.length) {
            VLOG_WARN("install of %s failed on %s: a restart of the host is "
                      "recommended", cur.file, ds_cstr(&failed));
            ds_put_format(&reply, "install failed on %s: a restart of the "
                          "host is recommended", ds_cstr(&failed));
            unixctl_command_reply_error(cur.conn, ds_cstr(&reply));
        } else {
            VLOG_INFO("install of %s done", cur.file);
            unixctl_command_reply(cur.conn, ds_cstr(&reply));
        }
        free(cur.parts);
        free(cur.file);
        memset(&cur, 0, sizeof cur);
    }
    ds_destroy(&failed);
    ds_destroy(&reply);
}

/* Checks what the host can check before anything is written: the
 * bundle, and that every part has somewhere to go.  Returns NULL, or what
 * is wrong. */
static char *
install_check(const char *file, const char *trust, bool force,
              struct dpu_conn ***connsp, size_t *n_connsp)
{
    struct dpu_bundle *bundle = NULL;
    char *error;

    *connsp = NULL;
    *n_connsp = 0;
    if (!host_boot) {
        return xstrdup("Open_vSwitch other_config:dpu-host-boot is not set: "
                       "the host's content has nowhere to go (host and DPU "
                       "content are installed together)");
    }
    error = dpu_bundle_open(file, &bundle);
    if (!error) {
        error = dpu_bundle_verify(bundle, trust);
    }
    if (!error) {
        error = dpu_bundle_check_version(bundle, OVS_DPU_VERSION, force);
    }
    dpu_bundle_close(bundle);
    if (error) {
        return error;
    }
    *n_connsp = dpu_conn_get_all(connsp);
    if (!*n_connsp) {
        return xstrdup("no DPU is configured");
    }
    return NULL;
}

/* dpif-dpu/install --trust=KEY [--force] BUNDLE */
static void
install_unixctl(struct unixctl_conn *conn, int argc, const char *argv[],
                void *aux OVS_UNUSED)
{
    const char *trust = NULL, *file = NULL;
    struct dpu_conn **conns;
    bool force = false;
    size_t n_conns;
    char *error;

    for (int i = 1; i < argc; i++) {
        if (!strncmp(argv[i], "--trust=", 8)) {
            trust = argv[i] + 8;
        } else if (!strcmp(argv[i], "--force")) {
            force = true;
        } else if (!file && argv[i][0] != '-') {
            file = argv[i];
        } else {
            unixctl_command_reply_error(conn, "usage: dpif-dpu/install "
                                        "--trust=KEY [--force] BUNDLE");
            return;
        }
    }
    if (!trust || !file) {
        unixctl_command_reply_error(conn, "usage: dpif-dpu/install "
                                    "--trust=KEY [--force] BUNDLE");
        return;
    }
    if (cur.parts) {
        unixctl_command_reply_error(conn, "an install is in progress");
        return;
    }
    error = install_check(file, trust, force, &conns, &n_conns);
    if (error) {
        VLOG_WARN("install of %s refused: %s", file, error);
        unixctl_command_reply_error(conn, error);
        free(error);
        for (size_t i = 0; i < n_conns; i++) {
            dpu_conn_unref(conns[i]);
        }
        free(conns);
        return;
    }

    cur.conn = conn;
    cur.file = xstrdup(file);
    cur.force = force;
    cur.n_parts = n_conns + 1;
    cur.parts = xcalloc(cur.n_parts, sizeof *cur.parts);
    for (size_t i = 0; i < n_conns; i++) {
        cur.parts[i].name = xstrdup(dpu_conn_get_name(conns[i]));
        cur.parts[i].conn = conns[i];
    }
    cur.parts[n_conns].name = xstrdup("host");
    free(conns);

    VLOG_INFO("installing %s on %"PRIuSIZE" DPUs and the host", file,
              n_conns);
    for (size_t i = 0; i < cur.n_parts; i++) {
        struct install_part *part = &cur.parts[i];

        part->thread = ovs_thread_create("dpu_install",
                                         part->conn ? part_dpu_main
                                         : part_host_main, part);
    }
}

void
dpu_install_init(void)
{
    unixctl_command_register("dpif-dpu/install", "--trust=KEY [--force] "
                             "BUNDLE", 1, 3, install_unixctl, NULL);
}
