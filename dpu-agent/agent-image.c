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
#include "agent-image.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "dirs.h"
#include "dpu-boot-client.h"
#include "dpu-bundle.h"
#include "dpu-codec.h"
#include "netlink.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(agent_image);

/* A refused image is refused at each try of the host. */
static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

/* The largest bundle a DPU takes. */
#define MAX_IMAGE_SIZE (1024ULL * 1024 * 1024)

struct agent_image {
    char *boot_ctl;             /* The boot loader's control socket. */
    char *file_name;            /* Where the image being received goes. */
    FILE *stream;               /* Open while receiving. */
    uint64_t size;              /* As announced in IMAGE_BEGIN. */
    uint8_t sha256[32];         /* As announced in IMAGE_BEGIN. */
    bool force;
    uint64_t received;
    uint64_t n_installed;
    long long int reboot_at;    /* When to reboot at the latest, or
                                 * LLONG_MAX: see agent_image_run(). */
};

struct agent_image *
agent_image_create(const char *boot_ctl)
{
    struct agent_image *im = xzalloc(sizeof *im);

    im->boot_ctl = xstrdup(boot_ctl);
    im->file_name = xasprintf("%s/ovs-dpu-agent.%ld.image", ovs_rundir(),
                              (long int) getpid());
    im->reboot_at = LLONG_MAX;
    return im;
}

static void
image_discard(struct agent_image *im)
{
    if (im->stream) {
        fclose(im->stream);
        im->stream = NULL;
    }
    unlink(im->file_name);
    im->size = im->received = 0;
}

void
agent_image_destroy(struct agent_image *im)
{
    if (im) {
        image_discard(im);
        free(im->file_name);
        free(im->boot_ctl);
        free(im);
    }
}

void
agent_image_format(const struct agent_image *im, struct ds *s)
{
    ds_put_format(s, "images: boot loader %s, %"PRIu64" installed",
                  im->boot_ctl, im->n_installed);
    if (im->stream) {
        ds_put_format(s, ", receiving %"PRIu64" of %"PRIu64" bytes",
                      im->received, im->size);
    }
    ds_put_char(s, '\n');
}

static struct agent_image *
get_image(const struct agent_request *req)
{
    /* The catalogue gates IMAGE_* on DPU_CAP_IMAGE, which an agent without
     * a boot loader does not announce. */
    return agent_server_image(req->server);
}

int
agent_image_begin(const struct agent_request *req, struct ofpbuf *reply,
                  struct ds *why)
{
    struct agent_image *im = get_image(req);
    struct dpu_image_begin ib;

    dpu_parse_image_begin(req->msg, &ib);
    if (ib.size > MAX_IMAGE_SIZE || !ib.size) {
        ds_put_format(why, "an image of %"PRIu64" bytes is not 1 byte to "
                      "%llu bytes", ib.size, MAX_IMAGE_SIZE);
        return EFBIG;
    }

    /* The same image again: resume where it stopped. */
    if (im->stream && im->size == ib.size
        && !memcmp(im->sha256, ib.sha256, sizeof ib.sha256)) {
        im->force = ib.force;
        VLOG_INFO("image of %"PRIu64" bytes: resuming at %"PRIu64,
                  im->size, im->received);
        nl_msg_put_u64(reply, DPU_ATTR_IMAGE_OFFSET, im->received);
        return 0;
    }

    image_discard(im);
    im->stream = fopen(im->file_name, "wb");
    if (!im->stream) {
        ds_put_format(why, "%s: %s", im->file_name, ovs_strerror(errno));
        return EIO;
    }
    im->size = ib.size;
    memcpy(im->sha256, ib.sha256, sizeof im->sha256);
    im->force = ib.force;
    VLOG_INFO("receiving an image of %"PRIu64" bytes", im->size);
    nl_msg_put_u64(reply, DPU_ATTR_IMAGE_OFFSET, 0);
    return 0;
}

int
agent_image_data(const struct agent_request *req,
                 struct ofpbuf *reply OVS_UNUSED, struct ds *why)
{
    struct agent_image *im = get_image(req);
    struct dpu_image_data d;

    dpu_parse_image_data(req->msg, &d);
    if (!im->stream) {
        ds_put_cstr(why, "IMAGE_DATA without IMAGE_BEGIN");
        return EINVAL;
    }
    if (d.offset != im->received) {
        ds_put_format(why, "IMAGE_DATA at offset %"PRIu64", but the DPU "
                      "holds %"PRIu64" bytes", d.offset, im->received);
        return EINVAL;
    }
    if (d.size > im->size - im->received) {
        ds_put_format(why, "IMAGE_DATA goes past the image's %"PRIu64
                      " bytes", im->size);
        return EINVAL;
    }
    if (fwrite(d.data, 1, d.size, im->stream) != d.size) {
        ds_put_format(why, "%s: %s", im->file_name, ovs_strerror(errno));
        image_discard(im);
        return EIO;
    }
    im->received += d.size;
    return 0;
}

/* Asks the boot loader to write 'im''s file to the inactive bank.  Returns
 * NULL and the bank in '*bankp', or an error message.  Blocks the agent's
 * main thread while the boot loader checks the bundle (a fraction of a
 * second for a bundle of tens of MB). */
static char *
boot_loader_install(struct agent_image *im, char **bankp)
{
    char *argv[2];
    char *result;
    char *error;
    int argc = 0;

    *bankp = NULL;
    if (im->force) {
        argv[argc++] = CONST_CAST(char *, "--force");
    }
    argv[argc++] = im->file_name;
    error = boot_client_call(im->boot_ctl, "boot/install", argc, argv,
                             &result);
    if (error) {
        return error;
    }
    /* "bank X written: ..." */
    if (result && !strncmp(result, "bank ", 5) && result[5]) {
        *bankp = xmemdup0(&result[5], 1);
    } else {
        *bankp = xstrdup("?");
    }
    free(result);
    return NULL;
}

int
agent_image_end(const struct agent_request *req, struct ofpbuf *reply,
                struct ds *why)
{
    struct agent_image *im = get_image(req);
    struct dpu_bundle *bundle = NULL;
    char hex[65];
    char *bank;
    char *error;
    int retval = 0;

    if (!im->stream) {
        ds_put_cstr(why, "IMAGE_END without IMAGE_BEGIN");
        return EINVAL;
    }
    if (im->received != im->size) {
        ds_put_format(why, "the DPU holds %"PRIu64" of the image's %"PRIu64
                      " bytes", im->received, im->size);
        return EINVAL;
    }
    if (fflush(im->stream) || fsync(fileno(im->stream))) {
        ds_put_format(why, "%s: %s", im->file_name, ovs_strerror(errno));
        image_discard(im);
        return EIO;
    }
    fclose(im->stream);
    im->stream = NULL;

    dpu_sha256_to_hex(im->sha256, hex);
    error = dpu_file_check_sha256(im->file_name, hex);
    if (error) {
        ds_put_format(why, "the image's digest differs from IMAGE_BEGIN's: "
                      "%s", error);
        retval = EINVAL;
        goto exit;
    }
    error = dpu_bundle_open(im->file_name, &bundle);
    if (!error) {
        error = boot_loader_install(im, &bank);
    }
    if (error) {
        VLOG_WARN_RL(&rl, "image refused: %s", error);
        ds_put_cstr(why, error);
        retval = EACCES;
        goto exit;
    }

    struct dpu_image_result r = { .version = bundle->version, .bank = bank };
    dpu_put_image_result(reply, &r);
    VLOG_INFO("image of version %s written to bank %s", bundle->version,
              bank);
    im->n_installed++;
    free(bank);

exit:
    free(error);
    dpu_bundle_close(bundle);
    image_discard(im);
    return retval;
}

int
agent_image_select(const struct agent_request *req, struct ofpbuf *reply,
                   struct ds *why)
{
    struct agent_image *im = get_image(req);
    const char *version;
    char *result, *error;
    char bank[2];
    int retval;

    retval = dpu_parse_image_select(req->msg, &version, why);
    if (retval) {
        return retval;
    }
    if (im->stream) {
        ds_put_cstr(why, "an image is being received");
        return EBUSY;
    }
    error = boot_client_call(im->boot_ctl, "boot/select", 1,
                             (char *[]) { CONST_CAST(char *, version) },
                             &result);
    if (error) {
        VLOG_WARN_RL(&rl, "cannot select version %s: %s", version, error);
        retval = (strstr(error, "no bank holds") ? ENOENT : EIO);
        ds_put_cstr(why, error);
        free(error);
        return retval;
    }

    /* "the next boot uses bank X, version V" */
    const char *p = result ? strstr(result, "bank ") : NULL;
    bank[0] = p && (p[5] == 'a' || p[5] == 'b') ? p[5] : '?';
    bank[1] = '\0';
    free(result);

    struct dpu_image_result r = { .version = version, .bank = bank };
    dpu_put_image_result(reply, &r);
    VLOG_INFO("the host asked for version %s: rebooting into bank %s once "
              "the host disconnects", version, bank);
    im->reboot_at = time_msec() + AGENT_IMAGE_REBOOT_WAIT_MS;
    return 0;
}

/* Reboots the DPU into the bank that IMAGE_SELECT chose, once the host
 * has closed its sessions ('n_sessions' is 0), so that it sees a
 * disconnection it asked for rather than a DPU that went away, or at the
 * latest AGENT_IMAGE_REBOOT_WAIT_MS after the request. */
void
agent_image_run(struct agent_image *im, size_t n_sessions)
{
    if (im && im->reboot_at != LLONG_MAX
        && (!n_sessions || time_msec() >= im->reboot_at)) {
        char *error;

        im->reboot_at = LLONG_MAX;
        VLOG_INFO("rebooting");
        error = boot_client_call(im->boot_ctl, "boot/reboot", 0, NULL, NULL);
        if (error) {
            VLOG_WARN_RL(&rl, "reboot failed: %s", error);
            free(error);
        }
    }
}

void
agent_image_wait(const struct agent_image *im)
{
    if (im && im->reboot_at != LLONG_MAX) {
        poll_timer_wait_until(im->reboot_at);
    }
}
