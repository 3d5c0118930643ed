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

#ifndef DPU_BUNDLE_H
#define DPU_BUNDLE_H 1

/* The unified bundle: one file that carries the host's and the DPUs'
 * software at one version, signed.  The host checks a bundle before it
 * writes anything, and each DPU checks it again against its own trust
 * anchor, so both sides use this code.
 *
 * Layout (see Documentation/topics/dpu-lifecycle.rst):
 *
 *     struct dpu_bundle_header      32 bytes, network byte order
 *     manifest                      JSON, 'manifest_len' bytes
 *     components                    in the manifest's order, 'payload_len'
 *     signature                     'sig_len' bytes (0 if unsigned)
 *
 * The manifest names the version and, for each component ("host" and
 * "dpu"), its size and SHA-256 digest.  The signature is Ed25519 over the
 * manifest (with a prefix that says what is signed), so a component is
 * checked by streaming it through SHA-256: memory stays bounded whatever
 * the bundle's size.
 *
 * Every function that can fail returns NULL on success, otherwise a
 * malloc()'d message that says what failed, for the caller to free. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "compiler.h"

#define DPU_BUNDLE_MAGIC "OVSDPUBN"
#define DPU_BUNDLE_FORMAT 1
#define DPU_BUNDLE_HEADER_LEN 32
#define DPU_BUNDLE_MAX_MANIFEST (64 * 1024)
#define DPU_BUNDLE_SIG_LEN 64           /* Ed25519. */

struct dpu_bundle_component {
    char *name;                 /* "host" or "dpu". */
    uint64_t offset;            /* From the start of the file. */
    uint64_t size;
    uint8_t sha256[32];
};

struct dpu_bundle {
    char *file_name;
    char *version;              /* "1.2.3": digits and dots. */
    char *manifest;             /* As in the file, null-terminated. */
    size_t manifest_len;
    struct dpu_bundle_component *components;
    size_t n_components;
    uint64_t payload_len;
    uint8_t signature[DPU_BUNDLE_SIG_LEN];
    size_t sig_len;             /* 0 if unsigned. */
};

char *dpu_bundle_create(const char *file_name, const char *version,
                        const char *host_file, const char *dpu_file)
    OVS_WARN_UNUSED_RESULT;
char *dpu_bundle_open(const char *file_name, struct dpu_bundle **)
    OVS_WARN_UNUSED_RESULT;
void dpu_bundle_close(struct dpu_bundle *);

const struct dpu_bundle_component *dpu_bundle_find(const struct dpu_bundle *,
                                                   const char *name);

char *dpu_bundle_sign(const char *file_name, const char *private_key_file)
    OVS_WARN_UNUSED_RESULT;
char *dpu_bundle_verify(const struct dpu_bundle *,
                        const char *trusted_key_file)
    OVS_WARN_UNUSED_RESULT;
char *dpu_bundle_check_version(const struct dpu_bundle *,
                               const char *installed, bool force)
    OVS_WARN_UNUSED_RESULT;
char *dpu_bundle_extract(const struct dpu_bundle *, const char *component,
                         const char *output_file)
    OVS_WARN_UNUSED_RESULT;

char *dpu_file_check_sha256(const char *file_name, const char *hex)
    OVS_WARN_UNUSED_RESULT;
char *dpu_file_sha256(const char *file_name, uint8_t sha256[32],
                      uint64_t *sizep)
    OVS_WARN_UNUSED_RESULT;

void dpu_sha256_to_hex(const uint8_t sha256[32], char hex[65]);
bool dpu_version_is_valid(const char *);
int dpu_version_compare(const char *, const char *);

#endif /* dpu-bundle.h */
