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

/* ovs-dpu-boot's image banks and boot state on disk: bank "a" and "b"
 * directories, each holding one bundle component, its digest and version,
 * written aside and renamed; and boot.json. */

#include <config.h>
#include "boot-loader.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dpu-bundle.h"
#include "dpu-crash-point.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "process.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(boot_banks);

/* Removes 'path' and everything under it, waiting for it to be done. */
void
remove_tree(const char *path)
{
    char *argv[] = { "rm", "-rf", CONST_CAST(char *, path), NULL };
    struct process *rm;

    if (!process_start(argv, &rm)) {
        while (!process_exited(rm)) {
            process_run();
            process_wait(rm);
            poll_block();
        }
        process_destroy(rm);
    }
}

static bool
write_file_sync(const char *file, const char *line)
{
    FILE *stream = fopen(file, "w");
    bool ok = (stream && fprintf(stream, "%s\n", line) > 0
               && !fflush(stream) && !fsync(fileno(stream)));

    if (stream && fclose(stream)) {
        ok = false;
    }
    return ok;
}

char *
bank_dir(char bank)
{
    return xasprintf("%s/bank-%c", boot_dir, bank);
}

char
other_bank(char bank)
{
    return bank == 'a' ? 'b' : 'a';
}

/* Returns the version in bank 'bank', or NULL if it holds no image. */
char *
bank_version(char bank)
{
    char *dir = bank_dir(bank);
    char *file = xasprintf("%s/version", dir);
    struct ds s = DS_EMPTY_INITIALIZER;
    char *version = NULL;
    FILE *stream = fopen(file, "r");

    if (stream) {
        if (!ds_get_line(&s, stream) && dpu_version_is_valid(ds_cstr(&s))) {
            version = ds_steal_cstr(&s);
        }
        fclose(stream);
    }
    ds_destroy(&s);
    free(file);
    free(dir);
    return version;
}

void
state_save(const struct boot *b)
{
    char *file = xasprintf("%s/boot.json", boot_dir);
    char *tmp = xasprintf("%s.tmp", file);
    struct json *json = json_object_create();
    char bank[2] = { 0, 0 };
    FILE *stream;

    bank[0] = b->current;
    json_object_put_string(json, "current", bank);
    bank[0] = b->trial;
    json_object_put_string(json, "trial", bank);
    json_object_put(json, "rollback", json_boolean_create(b->rollback));
    json_object_put(json, "boots", json_integer_create(b->n_boots));
    json_object_put(json, "reboots", json_integer_create(b->n_reboots));
    json_object_put(json, "coordinated",
                    json_boolean_create(b->coordinated));
    json_object_put_string(json, "last-failure",
                           b->last_failure ? b->last_failure : "");

    char *text = json_to_string(json, JSSF_SORT);
    stream = fopen(tmp, "w");
    if (!stream || fputs(text, stream) < 0 || fflush(stream)
        || fsync(fileno(stream)) || fclose(stream)
        || rename(tmp, file)) {
        VLOG_ERR("%s: cannot save the boot state (%s)", file,
                 ovs_strerror(errno));
    }
    free(text);
    json_destroy(json);
    free(tmp);
    free(file);
}

static char
parse_bank(const struct json *json)
{
    const char *s = json && json->type == JSON_STRING ? json_string(json) : "";

    return !strcmp(s, "a") ? 'a' : !strcmp(s, "b") ? 'b' : 0;
}

void
state_load(struct boot *b)
{
    char *file = xasprintf("%s/boot.json", boot_dir);
    struct json *json = json_from_file(file);

    if (json->type == JSON_OBJECT) {
        const struct json *boots = shash_find_data(json_object(json),
                                                   "boots");
        const struct json *rollback = shash_find_data(json_object(json),
                                                      "rollback");
        const struct json *failure = shash_find_data(json_object(json),
                                                     "last-failure");

        b->current = parse_bank(shash_find_data(json_object(json),
                                                "current"));
        b->trial = parse_bank(shash_find_data(json_object(json), "trial"));
        b->rollback = rollback && rollback->type == JSON_TRUE;
        b->n_boots = (boots && boots->type == JSON_INTEGER
                      ? json_integer(boots) : 0);

        const struct json *reboots = shash_find_data(json_object(json),
                                                     "reboots");
        const struct json *coordinated = shash_find_data(json_object(json),
                                                         "coordinated");
        b->n_reboots = (reboots && reboots->type == JSON_INTEGER
                        ? json_integer(reboots) : 0);
        b->coordinated = coordinated && coordinated->type == JSON_TRUE;
        if (failure && failure->type == JSON_STRING
            && *json_string(failure)) {
            b->last_failure = xstrdup(json_string(failure));
        }
    } else if (!access(file, F_OK)) {
        VLOG_WARN("%s: unreadable boot state, starting afresh (%s)", file,
                  json->type == JSON_STRING ? json_string(json) : "");
    }
    json_destroy(json);
    free(file);
}


enum boot_crash_point {
    /* The new bank is written aside (BANK.tmp); the bank it replaces is
     * still in place. */
    BOOT_CP_BANK_WRITTEN_ASIDE,
    /* The bank it replaces is moved away (BANK.old); the new one is not yet
     * in its place. */
    BOOT_CP_BANK_MOVED_AWAY,
    BOOT_N_CRASH_POINTS
};

static struct dpu_crash_point boot_crash_points[BOOT_N_CRASH_POINTS] = {
    [BOOT_CP_BANK_WRITTEN_ASIDE] = DPU_CRASH_POINT_INIT(
        "bank-written-aside",
        "an install wrote the new bank aside, the old one is in place"),
    [BOOT_CP_BANK_MOVED_AWAY] = DPU_CRASH_POINT_INIT(
        "bank-moved-away",
        "an install moved the old bank away, the new one is not in place"),
};

void
boot_crash_points_register(void)
{
    dpu_crash_points_register("boot", boot_crash_points,
                              ARRAY_SIZE(boot_crash_points));
}

/* Writes the DPU content of a bundle to the inactive bank. */
char *
install(struct boot *b, const char *bundle_file, bool force)
{
    char target = b->current ? other_bank(b->current) : 'a';
    char *dir = bank_dir(target);
    char *tmp = xasprintf("%s.tmp", dir);
    char *content = xasprintf("%s/%s.tar.gz", tmp, boot_component());
    char *current_version = b->current ? bank_version(b->current) : NULL;
    struct dpu_bundle *bundle = NULL;
    char *error;

    /* Checked here again, against this DPU's own trust anchor: the host
     * that sent the bundle is not trusted to have checked it. */
    error = dpu_bundle_open(bundle_file, &bundle);
    if (!error) {
        error = dpu_bundle_verify(bundle, trust_file);
    }
    if (!error && current_version) {
        error = dpu_bundle_check_version(bundle, current_version, force);
    }
    if (error) {
        goto exit;
    }

    if (b->phase == PHASE_EARLY_BOOT && b->bank == target) {
        error = xasprintf("bank %c is booting", target);
        goto exit;
    }
    /* Written aside, then renamed: a crash while writing leaves the bank
     * as it was. */
    remove_tree(tmp);
    if (mkdir(tmp, 0755)) {
        error = xasprintf("%s: %s", tmp, ovs_strerror(errno));
        goto exit;
    }
    error = dpu_bundle_extract(bundle, boot_component(), content);
    if (!error) {
        const struct dpu_bundle_component *c = dpu_bundle_find(bundle,
                                                               boot_component());
        char *digest_file = xasprintf("%s/sha256", tmp);
        char *version_file = xasprintf("%s/version", tmp);
        char hex[65];

        dpu_sha256_to_hex(c->sha256, hex);
        if (!write_file_sync(digest_file, hex)
            || !write_file_sync(version_file, bundle->version)) {
            error = xasprintf("%s: write failed (%s)", tmp,
                              ovs_strerror(errno));
        }
        free(version_file);
        free(digest_file);
    }
    if (!error) {
        char *old = xasprintf("%s.old", dir);

        dpu_crash_point_reached(
            &boot_crash_points[BOOT_CP_BANK_WRITTEN_ASIDE]);
        remove_tree(old);
        if (rename(dir, old) && errno != ENOENT) {
            error = xasprintf("%s: %s", dir, ovs_strerror(errno));
        } else {
            dpu_crash_point_reached(
                &boot_crash_points[BOOT_CP_BANK_MOVED_AWAY]);
            if (rename(tmp, dir)) {
                error = xasprintf("%s: %s", dir, ovs_strerror(errno));
                ignore(rename(old, dir));
            } else {
                remove_tree(old);
            }
        }
        free(old);
    }
    if (!error) {
        b->trial = target;
        state_save(b);
        VLOG_INFO("bank %c: version %s written from %s", target,
                  bundle->version, bundle_file);
    }

exit:
    free(current_version);
    dpu_bundle_close(bundle);
    free(content);
    free(tmp);
    free(dir);
    return error;
}
