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

/* ovs-dpuctl log-bundle: the host's logs and each DPU's in one tarball.  A
 * DPU's log comes in band (LOG_GET) or, when the DPU does not answer, out
 * of band through its boot loader's console (boot/console, which a real
 * DPU offers through its BMC), so that the logs of a failure are not lost
 * with it. */

#include <config.h>
#include "dpuctl.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "command-line.h"
#include "dirs.h"
#include "dpu-boot-client.h"
#include "dpu-channel.h"
#include "dpu-codec.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/poll-loop.h"
#include "process.h"
#include "util.h"

/* At most the last this many bytes of each log. */
#define LOG_BUNDLE_MAX (4 * 1024 * 1024)

/* Copies the last LOG_BUNDLE_MAX bytes of 'from' to 'to'.  Returns NULL or
 * what failed. */
static char *
copy_tail(const char *from, const char *to)
{
    char *error = NULL;
    char buf[65536];
    struct stat st;
    int in, out;

    in = open(from, O_RDONLY);
    if (in < 0 || fstat(in, &st)) {
        error = xasprintf("%s: %s", from, ovs_strerror(errno));
        goto exit;
    }
    out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out < 0) {
        error = xasprintf("%s: %s", to, ovs_strerror(errno));
        goto exit;
    }
    if (st.st_size > LOG_BUNDLE_MAX) {
        lseek(in, st.st_size - LOG_BUNDLE_MAX, SEEK_SET);
    }
    for (;;) {
        ssize_t n = read(in, buf, sizeof buf);

        if (n <= 0 || write(out, buf, n) != n) {
            if (n) {            /* Not the end of the file: a failure. */
                error = xasprintf("%s: %s", n < 0 ? from : to,
                                  ovs_strerror(errno));
            }
            break;
        }
    }
    close(out);

exit:
    if (in >= 0) {
        close(in);
    }
    return error;
}

/* Copies the host's logs (every *.log of the log directory) into 'dir'.
 * Returns how many, and appends what failed to 'errors'. */
static int
collect_host_logs(const char *dir, struct ds *errors)
{
    const char *logdir = ovs_logdir();
    DIR *d = opendir(logdir);
    struct dirent *de;
    int n = 0;

    if (!d) {
        ds_put_format(errors, "%s: %s; ", logdir, ovs_strerror(errno));
        return 0;
    }
    while ((de = readdir(d)) != NULL) {
        size_t len = strlen(de->d_name);

        if (len > 4 && !strcmp(de->d_name + len - 4, ".log")) {
            char *from = xasprintf("%s/%s", logdir, de->d_name);
            char *to = xasprintf("%s/%s", dir, de->d_name);
            char *error = copy_tail(from, to);

            if (error) {
                ds_put_format(errors, "%s; ", error);
                free(error);
            } else {
                n++;
            }
            free(to);
            free(from);
        }
    }
    closedir(d);
    return n;
}

/* Reads the DPU's log at 'target' in band into 'file'.  Returns NULL and
 * the bytes read in '*n', or what failed. */
static char *
collect_in_band(const char *target, const char *file, uint64_t *n)
{
    struct dpu_hello_reply hr;
    struct dpu_channel *ch;
    uint64_t offset = 0, end = UINT64_MAX;
    char *error;
    FILE *stream;

    *n = 0;
    error = try_hello(target, &ch, &hr);
    if (error) {
        return error;
    }
    dpu_hello_reply_destroy(&hr);
    stream = fopen(file, "wb");
    if (!stream) {
        dpu_channel_close(ch);
        return xasprintf("%s: %s", file, ovs_strerror(errno));
    }

    /* The first reply gives the size: then the last LOG_BUNDLE_MAX bytes,
     * up to that size (the log grows meanwhile). */
    for (uint32_t xid = 1; !error && offset < end; xid++) {
        struct dpu_log_chunk chunk;
        struct ofpbuf *b = ofpbuf_new(64), *reply;
        struct dpu_msg msg;

        dpu_msg_start(b, DPU_MSG_LOG_GET, xid, 0);
        nl_msg_put_u64(b, DPU_ATTR_LOG_OFFSET, offset);
        error = try_transact(ch, b, &msg, &reply);
        if (error) {
            break;
        }
        dpu_parse_log_chunk(&msg, &chunk);
        if (end == UINT64_MAX) {
            end = chunk.log_size;
            if (end > LOG_BUNDLE_MAX) {
                offset = end - LOG_BUNDLE_MAX;
                ofpbuf_delete(reply);
                continue;
            }
        }
        if (!chunk.size) {
            end = offset;       /* The log shrank: it was rotated. */
        } else if (fwrite(chunk.data, 1, MIN(chunk.size, end - offset),
                          stream) != MIN(chunk.size, end - offset)) {
            error = xasprintf("%s: write failed", file);
        }
        offset += MIN(chunk.size, end - offset);
        *n = offset;
        ofpbuf_delete(reply);
    }
    if (fclose(stream) && !error) {
        error = xasprintf("%s: %s", file, ovs_strerror(errno));
    }
    dpu_channel_close(ch);
    return error;
}

/* Reads the DPU's log out of band, from its boot loader at 'bmc', into
 * 'file'.  Returns NULL or what failed. */
static char *
collect_out_of_band(const char *bmc, const char *file)
{
    char *result, *error;
    FILE *stream;

    error = boot_client_call(bmc, "boot/console", 1,
                             (char *[]) { CONST_CAST(char *, "1000") },
                             &result);
    if (error) {
        return error;
    }
    stream = fopen(file, "w");
    if (!stream || fputs(result ? result : "", stream) < 0
        || fclose(stream)) {
        error = xasprintf("%s: %s", file, ovs_strerror(errno));
    }
    free(result);
    return error;
}

/* Runs 'argv' and waits for it.  Returns NULL or what failed. */
static char *
run_command(char *argv[])
{
    struct process *p;
    int error = process_start(argv, &p);

    if (error) {
        return xasprintf("%s: %s", argv[0], ovs_strerror(error));
    }
    while (!process_exited(p)) {
        process_run();
        process_wait(p);
        poll_block();
    }
    int status = process_status(p);
    process_destroy(p);
    if (status) {
        char *msg = process_status_msg(status);
        char *s = xasprintf("%s %s", argv[0], msg);

        free(msg);
        return s;
    }
    return NULL;
}

/* log-bundle FILE [TARGET[@BMC]]...: FILE, a gzipped tarball, holds
 * host/ (the host's logs), dpuN.log for the Nth DPU, and MANIFEST, which
 * says where each log came from. */
void
dpuctl_log_bundle(struct ovs_cmdl_context *ctx)
{
    const char *file = ctx->argv[1];
    char *dir = xasprintf("%s.d", file);
    char *host_dir = xasprintf("%s/host", dir);
    struct ds manifest = DS_EMPTY_INITIALIZER;
    struct ds errors = DS_EMPTY_INITIALIZER;
    struct ds failed = DS_EMPTY_INITIALIZER;
    char *error;

    if (mkdir(dir, 0700) || mkdir(host_dir, 0700)) {
        ovs_fatal(errno, "%s", dir);
    }
    int n = collect_host_logs(host_dir, &errors);
    ds_put_format(&manifest, "host: %d log files from %s%s%s\n", n,
                  ovs_logdir(), errors.length ? ", failed: " : "",
                  ds_cstr(&errors));

    for (int i = 2; i < ctx->argc; i++) {
        char *target = xstrdup(ctx->argv[i]);
        char *bmc = strchr(target, '@');
        char *log = xasprintf("%s/dpu%d.log", dir, i - 1);
        uint64_t n_bytes;

        if (bmc) {
            *bmc++ = '\0';
        }
        ds_put_format(&manifest, "dpu%d.log: %s: ", i - 1, target);
        error = collect_in_band(target, log, &n_bytes);
        if (!error) {
            ds_put_format(&manifest, "in band, %"PRIu64" bytes\n", n_bytes);
        } else if (bmc) {
            char *oob_error = collect_out_of_band(bmc, log);

            if (!oob_error) {
                ds_put_format(&manifest, "out of band through %s (in band: "
                              "%s)\n", bmc, error);
            } else {
                ds_put_format(&manifest, "failed: in band: %s; out of band "
                              "through %s: %s\n", error, bmc, oob_error);
                ds_put_format(&failed, "%s%s", failed.length ? ", " : "",
                              target);
                free(oob_error);
            }
        } else {
            ds_put_format(&manifest, "failed: %s\n", error);
            ds_put_format(&failed, "%s%s", failed.length ? ", " : "",
                          target);
        }
        free(error);
        free(log);
        free(target);
    }

    char *manifest_file = xasprintf("%s/MANIFEST", dir);
    FILE *stream = fopen(manifest_file, "w");
    if (!stream || fputs(ds_cstr(&manifest), stream) < 0 || fclose(stream)) {
        ovs_fatal(errno, "%s", manifest_file);
    }
    free(manifest_file);
    error = run_command((char *[]) { "tar", "-czf", CONST_CAST(char *, file),
                                     "-C", dir, ".", NULL });
    if (error) {
        ovs_fatal(0, "%s: %s (the logs are in %s)", file, error, dir);
    }
    error = run_command((char *[]) { "rm", "-rf", dir, NULL });
    if (error) {
        ovs_error(0, "%s", error);
        free(error);
    }

    fputs(ds_cstr(&manifest), stdout);
    if (failed.length) {
        ovs_fatal(0, "%s written, without the logs of %s", file,
                  ds_cstr(&failed));
    }
    ds_destroy(&failed);
    ds_destroy(&errors);
    ds_destroy(&manifest);
    free(host_dir);
    free(dir);
}
