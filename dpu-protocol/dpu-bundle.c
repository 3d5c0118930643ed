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
#include "dpu-bundle.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "byte-order.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "ovsdb-error.h"
#include "ovsdb-parser.h"
#include "util.h"

/* What the signature covers: this prefix, then the manifest.  The prefix
 * keeps a signature over a bundle's manifest from being valid for anything
 * else signed with the same key. */
#define SIGNED_PREFIX "OVS-DPU bundle manifest, format 1\n"

/* The two components that every bundle holds, in this order: host and
 * DPU content cannot be installed apart. */
static const char *const component_names[] = { "host", "dpu" };
#define N_COMPONENTS ARRAY_SIZE(component_names)

struct bundle_header {
    char magic[8];
    ovs_be32 format;
    ovs_be32 manifest_len;
    ovs_be32 payload_len_hi;
    ovs_be32 payload_len_lo;
    ovs_be32 sig_len;
    ovs_be32 reserved;
};
BUILD_ASSERT_DECL(sizeof(struct bundle_header) == DPU_BUNDLE_HEADER_LEN);

void
dpu_sha256_to_hex(const uint8_t sha256[32], char hex[65])
{
    for (int i = 0; i < 32; i++) {
        snprintf(&hex[i * 2], 3, "%02x", sha256[i]);
    }
}

static bool
sha256_from_hex(const char *hex, uint8_t sha256[32])
{
    if (strlen(hex) != 64) {
        return false;
    }
    for (int i = 0; i < 32; i++) {
        bool ok;

        sha256[i] = hexits_value(&hex[i * 2], 2, &ok);
        if (!ok) {
            return false;
        }
    }
    return true;
}

bool
dpu_version_is_valid(const char *s)
{
    /* One or more numbers, separated by single dots. */
    bool digit = false;

    for (; *s; s++) {
        if (isdigit((unsigned char) *s)) {
            digit = true;
        } else if (*s == '.' && digit) {
            digit = false;
        } else {
            return false;
        }
    }
    return digit;
}

/* Compares two valid versions number by number ("1.10" is newer than
 * "1.9"; "1.0" equals "1.0.0").  Returns <0, 0 or >0. */
int
dpu_version_compare(const char *a, const char *b)
{
    while (*a || *b) {
        char *end_a, *end_b;
        unsigned long long int x = strtoull(a, &end_a, 10);
        unsigned long long int y = strtoull(b, &end_b, 10);

        if (x != y) {
            return x < y ? -1 : 1;
        }
        a = end_a + (*end_a == '.');
        b = end_b + (*end_b == '.');
    }
    return 0;
}

/* Streams 'size' bytes of 'stream' from its current position through
 * SHA-256 into 'sha256', and into 'out' too if nonnull. */
static char *
stream_sha256(FILE *stream, uint64_t size, const char *what, FILE *out,
              uint8_t sha256[32])
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    uint8_t buf[64 * 1024];
    char *error = NULL;
    unsigned int len;

    if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
        error = xasprintf("%s: SHA-256 is not available", what);
        goto exit;
    }
    while (size) {
        size_t chunk = MIN(size, sizeof buf);

        if (fread(buf, 1, chunk, stream) != chunk) {
            error = xasprintf("%s: %s", what, ferror(stream)
                              ? ovs_strerror(errno) : "unexpected end");
            goto exit;
        }
        if (out && fwrite(buf, 1, chunk, out) != chunk) {
            error = xasprintf("%s: write failed (%s)", what,
                              ovs_strerror(errno));
            goto exit;
        }
        EVP_DigestUpdate(ctx, buf, chunk);
        size -= chunk;
    }
    EVP_DigestFinal_ex(ctx, sha256, &len);
exit:
    EVP_MD_CTX_free(ctx);
    return error;
}

static void
put_header(struct bundle_header *h, size_t manifest_len,
           uint64_t payload_len, size_t sig_len)
{
    memset(h, 0, sizeof *h);
    memcpy(h->magic, DPU_BUNDLE_MAGIC, sizeof h->magic);
    h->format = htonl(DPU_BUNDLE_FORMAT);
    h->manifest_len = htonl(manifest_len);
    h->payload_len_hi = htonl(payload_len >> 32);
    h->payload_len_lo = htonl(payload_len);
    h->sig_len = htonl(sig_len);
}

/* Writes an unsigned bundle of 'version' to 'file_name', from the host
 * content in 'host_file' and the DPU content in 'dpu_file' (any files; the
 * build makes tarballs).  Writes a temporary file first and renames it, so
 * that 'file_name' is never a partial bundle. */
char *
dpu_bundle_create(const char *file_name, const char *version,
                  const char *host_file, const char *dpu_file)
{
    const char *inputs[N_COMPONENTS] = { host_file, dpu_file };
    struct dpu_bundle_component comps[N_COMPONENTS];
    struct json *manifest = NULL, *array;
    struct bundle_header h;
    uint64_t payload_len = 0;
    char *tmp_name = NULL;
    FILE *out = NULL;
    char *text = NULL;
    char *error = NULL;

    if (!dpu_version_is_valid(version)) {
        return xasprintf("\"%s\": a version is numbers separated by dots, "
                         "such as 1.2.0", version);
    }

    /* Digests and sizes first: the manifest precedes the components. */
    for (size_t i = 0; i < N_COMPONENTS; i++) {
        FILE *in = fopen(inputs[i], "rb");
        struct stat st;

        if (!in) {
            error = xasprintf("%s: %s", inputs[i], ovs_strerror(errno));
            goto exit;
        }
        if (fstat(fileno(in), &st) || !S_ISREG(st.st_mode)) {
            fclose(in);
            error = xasprintf("%s: not a regular file", inputs[i]);
            goto exit;
        }
        comps[i].size = st.st_size;
        error = stream_sha256(in, st.st_size, inputs[i], NULL,
                              comps[i].sha256);
        fclose(in);
        if (error) {
            goto exit;
        }
        payload_len += st.st_size;
    }

    manifest = json_object_create();
    json_object_put(manifest, "format",
                    json_integer_create(DPU_BUNDLE_FORMAT));
    json_object_put_string(manifest, "product", "ovs-dpu");
    json_object_put_string(manifest, "version", version);
    array = json_array_create_empty();
    for (size_t i = 0; i < N_COMPONENTS; i++) {
        struct json *c = json_object_create();
        char hex[65];

        dpu_sha256_to_hex(comps[i].sha256, hex);
        json_object_put_string(c, "name", component_names[i]);
        json_object_put(c, "size", json_integer_create(comps[i].size));
        json_object_put_string(c, "sha256", hex);
        json_array_add(array, c);
    }
    json_object_put(manifest, "components", array);
    text = json_to_string(manifest, JSSF_SORT | JSSF_PRETTY);

    tmp_name = xasprintf("%s.tmp", file_name);
    out = fopen(tmp_name, "wb");
    if (!out) {
        error = xasprintf("%s: %s", tmp_name, ovs_strerror(errno));
        goto exit;
    }
    put_header(&h, strlen(text), payload_len, 0);
    if (fwrite(&h, sizeof h, 1, out) != 1
        || fwrite(text, strlen(text), 1, out) != 1) {
        error = xasprintf("%s: write failed (%s)", tmp_name,
                          ovs_strerror(errno));
        goto exit;
    }
    for (size_t i = 0; i < N_COMPONENTS; i++) {
        FILE *in = fopen(inputs[i], "rb");
        uint8_t sha256[32];

        if (!in) {
            error = xasprintf("%s: %s", inputs[i], ovs_strerror(errno));
            goto exit;
        }
        error = stream_sha256(in, comps[i].size, inputs[i], out, sha256);
        fclose(in);
        if (!error && memcmp(sha256, comps[i].sha256, 32)) {
            error = xasprintf("%s: changed while the bundle was written",
                              inputs[i]);
        }
        if (error) {
            goto exit;
        }
    }
    if (fflush(out) || fsync(fileno(out))) {
        error = xasprintf("%s: write failed (%s)", tmp_name,
                          ovs_strerror(errno));
        goto exit;
    }
    fclose(out);
    out = NULL;
    if (rename(tmp_name, file_name)) {
        error = xasprintf("%s: rename failed (%s)", file_name,
                          ovs_strerror(errno));
    }

exit:
    if (out) {
        fclose(out);
    }
    if (error && tmp_name) {
        unlink(tmp_name);
    }
    free(tmp_name);
    free(text);
    json_destroy(manifest);
    return error;
}

static char *
parse_manifest(struct dpu_bundle *b)
{
    const struct json *format, *product, *version, *components;
    struct ovsdb_parser parser;
    struct ovsdb_error *oerror;
    struct json *json;
    uint64_t offset, total = 0;
    char *error = NULL;

    json = json_from_string(b->manifest);
    if (json->type == JSON_STRING) {
        error = xasprintf("manifest is not valid JSON (%s)",
                          json_string(json));
        json_destroy(json);
        return error;
    }

    ovsdb_parser_init(&parser, json, "manifest");
    format = ovsdb_parser_member(&parser, "format", OP_INTEGER);
    product = ovsdb_parser_member(&parser, "product", OP_STRING);
    version = ovsdb_parser_member(&parser, "version", OP_STRING);
    components = ovsdb_parser_member(&parser, "components", OP_ARRAY);
    oerror = ovsdb_parser_finish(&parser);
    if (oerror) {
        error = ovsdb_error_to_string_free(oerror);
        goto exit;
    }
    if (json_integer(format) != DPU_BUNDLE_FORMAT
        || strcmp(json_string(product), "ovs-dpu")) {
        error = xasprintf("manifest is for %s format %"PRId64", not "
                          "ovs-dpu format %d", json_string(product),
                          json_integer(format), DPU_BUNDLE_FORMAT);
        goto exit;
    }
    if (!dpu_version_is_valid(json_string(version))) {
        error = xasprintf("manifest: bad version \"%s\"",
                          json_string(version));
        goto exit;
    }
    b->version = xstrdup(json_string(version));

    const struct json_array *array = json_array(components);
    offset = DPU_BUNDLE_HEADER_LEN + b->manifest_len;
    b->components = xcalloc(MAX(array->n, 1), sizeof *b->components);
    for (size_t i = 0; i < array->n; i++) {
        struct dpu_bundle_component *c = &b->components[i];
        const struct json *name, *size, *sha256;

        ovsdb_parser_init(&parser, array->elems[i], "manifest component");
        name = ovsdb_parser_member(&parser, "name", OP_STRING);
        size = ovsdb_parser_member(&parser, "size", OP_INTEGER);
        sha256 = ovsdb_parser_member(&parser, "sha256", OP_STRING);
        oerror = ovsdb_parser_finish(&parser);
        if (oerror) {
            error = ovsdb_error_to_string_free(oerror);
            goto exit;
        }
        c->name = xstrdup(json_string(name));
        b->n_components++;
        if (dpu_bundle_find(b, c->name) != c) {
            error = xasprintf("manifest names component %s twice", c->name);
            goto exit;
        }
        if (json_integer(size) < 0
            || json_integer(size) > b->payload_len - total) {
            error = xasprintf("component %s: size %"PRId64" does not fit "
                              "in the bundle", c->name, json_integer(size));
            goto exit;
        }
        if (!sha256_from_hex(json_string(sha256), c->sha256)) {
            error = xasprintf("component %s: sha256 is not 64 hex digits",
                              c->name);
            goto exit;
        }
        c->size = json_integer(size);
        c->offset = offset;
        offset += c->size;
        total += c->size;
    }
    if (total != b->payload_len) {
        error = xasprintf("components add up to %"PRIu64" bytes, the header "
                          "says %"PRIu64, total, b->payload_len);
        goto exit;
    }
    for (size_t i = 0; i < N_COMPONENTS; i++) {
        if (!dpu_bundle_find(b, component_names[i])) {
            error = xasprintf("no %s component: a bundle carries host and "
                              "DPU content together", component_names[i]);
            goto exit;
        }
    }
    for (size_t i = 0; i < b->n_components; i++) {
        bool known = false;

        for (size_t j = 0; j < N_COMPONENTS; j++) {
            known = known || !strcmp(b->components[i].name,
                                     component_names[j]);
        }
        if (!known) {
            error = xasprintf("unknown component %s", b->components[i].name);
            goto exit;
        }
    }

exit:
    json_destroy(json);
    return error;
}

/* Opens 'file_name' and checks its framing and manifest, not yet its
 * signature or digests (see dpu_bundle_verify()). */
char *
dpu_bundle_open(const char *file_name, struct dpu_bundle **bp)
{
    struct dpu_bundle *b = xzalloc(sizeof *b);
    struct bundle_header h;
    uint64_t expected;
    struct stat st;
    char *error = NULL;
    FILE *stream;

    *bp = NULL;
    b->file_name = xstrdup(file_name);
    stream = fopen(file_name, "rb");
    if (!stream) {
        error = xasprintf("%s", ovs_strerror(errno));
        goto exit;
    }
    if (fstat(fileno(stream), &st) || !S_ISREG(st.st_mode)) {
        error = xstrdup("not a regular file");
        goto exit;
    }
    if (fread(&h, sizeof h, 1, stream) != 1
        || memcmp(h.magic, DPU_BUNDLE_MAGIC, sizeof h.magic)) {
        error = xstrdup("not an OVS-DPU bundle (no bundle header)");
        goto exit;
    }
    if (ntohl(h.format) != DPU_BUNDLE_FORMAT) {
        error = xasprintf("bundle format %"PRIu32" is not supported (this "
                          "build reads format %d)", ntohl(h.format),
                          DPU_BUNDLE_FORMAT);
        goto exit;
    }
    b->manifest_len = ntohl(h.manifest_len);
    b->payload_len = ((uint64_t) ntohl(h.payload_len_hi) << 32)
                     | ntohl(h.payload_len_lo);
    b->sig_len = ntohl(h.sig_len);
    if (!b->manifest_len || b->manifest_len > DPU_BUNDLE_MAX_MANIFEST) {
        error = xasprintf("manifest length %"PRIuSIZE" is out of range",
                          b->manifest_len);
        goto exit;
    }
    if (b->sig_len && b->sig_len != DPU_BUNDLE_SIG_LEN) {
        error = xasprintf("signature length %"PRIuSIZE" is not that of an "
                          "Ed25519 signature", b->sig_len);
        goto exit;
    }
    if (b->payload_len > UINT64_MAX / 2) {
        error = xstrdup("payload length is out of range");
        goto exit;
    }
    expected = DPU_BUNDLE_HEADER_LEN + b->manifest_len + b->payload_len
               + b->sig_len;
    if (st.st_size < expected) {
        error = xasprintf("truncated: %lld bytes, the header says %"PRIu64,
                          (long long int) st.st_size, expected);
        goto exit;
    } else if (st.st_size > expected) {
        error = xasprintf("%lld bytes, the header says %"PRIu64": something "
                          "was appended", (long long int) st.st_size,
                          expected);
        goto exit;
    }

    b->manifest = xmalloc(b->manifest_len + 1);
    if (fread(b->manifest, b->manifest_len, 1, stream) != 1) {
        error = xstrdup("cannot read the manifest");
        goto exit;
    }
    b->manifest[b->manifest_len] = '\0';
    if (strlen(b->manifest) != b->manifest_len) {
        error = xstrdup("manifest contains a null byte");
        goto exit;
    }
    if (b->sig_len) {
        if (fseeko(stream, expected - b->sig_len, SEEK_SET)
            || fread(b->signature, b->sig_len, 1, stream) != 1) {
            error = xstrdup("cannot read the signature");
            goto exit;
        }
    }
    error = parse_manifest(b);

exit:
    if (stream) {
        fclose(stream);
    }
    if (error) {
        char *full = xasprintf("%s: %s", file_name, error);

        free(error);
        dpu_bundle_close(b);
        return full;
    }
    *bp = b;
    return NULL;
}

void
dpu_bundle_close(struct dpu_bundle *b)
{
    if (b) {
        for (size_t i = 0; i < b->n_components; i++) {
            free(b->components[i].name);
        }
        free(b->components);
        free(b->manifest);
        free(b->version);
        free(b->file_name);
        free(b);
    }
}

const struct dpu_bundle_component *
dpu_bundle_find(const struct dpu_bundle *b, const char *name)
{
    for (size_t i = 0; i < b->n_components; i++) {
        if (!strcmp(b->components[i].name, name)) {
            return &b->components[i];
        }
    }
    return NULL;
}

static char *
signed_message(const struct dpu_bundle *b, size_t *lenp)
{
    size_t prefix_len = strlen(SIGNED_PREFIX);
    char *msg = xmalloc(prefix_len + b->manifest_len);

    memcpy(msg, SIGNED_PREFIX, prefix_len);
    memcpy(msg + prefix_len, b->manifest, b->manifest_len);
    *lenp = prefix_len + b->manifest_len;
    return msg;
}

static char *
read_key(const char *key_file, bool private, EVP_PKEY **pkeyp)
{
    EVP_PKEY *pkey;
    FILE *stream;

    *pkeyp = NULL;
    stream = fopen(key_file, "r");
    if (!stream) {
        return xasprintf("%s: %s", key_file, ovs_strerror(errno));
    }
    pkey = (private
            ? PEM_read_PrivateKey(stream, NULL, NULL, NULL)
            : PEM_read_PUBKEY(stream, NULL, NULL, NULL));
    fclose(stream);
    if (!pkey) {
        return xasprintf("%s: not a PEM %s key", key_file,
                         private ? "private" : "public");
    }
    if (EVP_PKEY_get_id(pkey) != EVP_PKEY_ED25519) {
        EVP_PKEY_free(pkey);
        return xasprintf("%s: not an Ed25519 key (make one with \"openssl "
                         "genpkey -algorithm ed25519\")", key_file);
    }
    *pkeyp = pkey;
    return NULL;
}

/* Signs the bundle in 'file_name' with the Ed25519 private key in PEM file
 * 'private_key_file', replacing any signature it had. */
char *
dpu_bundle_sign(const char *file_name, const char *private_key_file)
{
    uint8_t sig[DPU_BUNDLE_SIG_LEN];
    size_t sig_len = sizeof sig;
    struct bundle_header h;
    struct dpu_bundle *b;
    EVP_MD_CTX *ctx = NULL;
    EVP_PKEY *pkey = NULL;
    FILE *stream = NULL;
    char *error;
    size_t len;
    char *msg;

    error = dpu_bundle_open(file_name, &b);
    if (error) {
        return error;
    }
    error = read_key(private_key_file, true, &pkey);
    if (error) {
        goto exit;
    }

    msg = signed_message(b, &len);
    ctx = EVP_MD_CTX_new();
    if (!ctx || EVP_DigestSignInit(ctx, NULL, NULL, NULL, pkey) <= 0
        || EVP_DigestSign(ctx, sig, &sig_len, (uint8_t *) msg, len) <= 0
        || sig_len != sizeof sig) {
        error = xasprintf("%s: signing failed", private_key_file);
    }
    free(msg);
    if (error) {
        goto exit;
    }

    /* The signature goes at the end, then the header says it is there: a
     * crash in between leaves a file that dpu_bundle_open() refuses. */
    uint64_t base = DPU_BUNDLE_HEADER_LEN + b->manifest_len + b->payload_len;
    stream = fopen(file_name, "r+b");
    if (!stream
        || ftruncate(fileno(stream), base)
        || fseeko(stream, base, SEEK_SET)
        || fwrite(sig, sizeof sig, 1, stream) != 1
        || fflush(stream)
        || fsync(fileno(stream))) {
        error = xasprintf("%s: write failed (%s)", file_name,
                          ovs_strerror(errno));
        goto exit;
    }
    put_header(&h, b->manifest_len, b->payload_len, sizeof sig);
    if (fseeko(stream, 0, SEEK_SET)
        || fwrite(&h, sizeof h, 1, stream) != 1
        || fflush(stream)
        || fsync(fileno(stream))) {
        error = xasprintf("%s: write failed (%s)", file_name,
                          ovs_strerror(errno));
    }

exit:
    if (stream) {
        fclose(stream);
    }
    EVP_MD_CTX_free(ctx);
    EVP_PKEY_free(pkey);
    dpu_bundle_close(b);
    return error;
}

/* Checks that 'b' is signed by the Ed25519 public key in PEM file
 * 'trusted_key_file', then that each component has the size and digest
 * that the manifest gives, reading each once. */
char *
dpu_bundle_verify(const struct dpu_bundle *b, const char *trusted_key_file)
{
    EVP_MD_CTX *ctx = NULL;
    EVP_PKEY *pkey = NULL;
    FILE *stream = NULL;
    char *error;
    size_t len;
    char *msg;
    int retval;

    error = read_key(trusted_key_file, false, &pkey);
    if (error) {
        return error;
    }
    if (!b->sig_len) {
        error = xasprintf("%s: not signed", b->file_name);
        goto exit;
    }

    msg = signed_message(b, &len);
    ctx = EVP_MD_CTX_new();
    retval = (ctx && EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, pkey) > 0
              ? EVP_DigestVerify(ctx, b->signature, b->sig_len,
                                 (uint8_t *) msg, len)
              : -1);
    free(msg);
    if (retval != 1) {
        error = xasprintf("%s: the signature does not verify with the "
                          "trusted key %s: the manifest was changed, or "
                          "another key signed it", b->file_name,
                          trusted_key_file);
        goto exit;
    }

    stream = fopen(b->file_name, "rb");
    if (!stream) {
        error = xasprintf("%s: %s", b->file_name, ovs_strerror(errno));
        goto exit;
    }
    for (size_t i = 0; i < b->n_components; i++) {
        const struct dpu_bundle_component *c = &b->components[i];
        uint8_t sha256[32];
        char *what = xasprintf("%s: component %s", b->file_name, c->name);

        if (fseeko(stream, c->offset, SEEK_SET)) {
            error = xasprintf("%s: %s", what, ovs_strerror(errno));
        } else {
            error = stream_sha256(stream, c->size, what, NULL, sha256);
        }
        if (!error && memcmp(sha256, c->sha256, sizeof sha256)) {
            error = xasprintf("%s: SHA-256 differs from the manifest's (the "
                              "content was changed)", what);
        }
        free(what);
        if (error) {
            goto exit;
        }
    }

exit:
    if (stream) {
        fclose(stream);
    }
    EVP_MD_CTX_free(ctx);
    EVP_PKEY_free(pkey);
    return error;
}

/* Refuses 'b' if it is older than the 'installed' version, unless
 * 'force'. */
char *
dpu_bundle_check_version(const struct dpu_bundle *b, const char *installed,
                         bool force)
{
    if (!dpu_version_is_valid(installed)) {
        return xasprintf("\"%s\": a version is numbers separated by dots, "
                         "such as 1.2.0", installed);
    }
    if (!force && dpu_version_compare(b->version, installed) < 0) {
        return xasprintf("%s: version %s is older than the installed %s "
                         "(force to roll back)", b->file_name, b->version,
                         installed);
    }
    return NULL;
}

/* Writes component 'name' of 'b' to 'output_file', checking its digest
 * again as it goes; a file that does not match is removed. */
char *
dpu_bundle_extract(const struct dpu_bundle *b, const char *name,
                   const char *output_file)
{
    const struct dpu_bundle_component *c = dpu_bundle_find(b, name);
    uint8_t sha256[32];
    FILE *in = NULL, *out = NULL;
    char *error = NULL;

    if (!c) {
        return xasprintf("%s: no component %s", b->file_name, name);
    }
    in = fopen(b->file_name, "rb");
    if (!in || fseeko(in, c->offset, SEEK_SET)) {
        error = xasprintf("%s: %s", b->file_name, ovs_strerror(errno));
        goto exit;
    }
    out = fopen(output_file, "wb");
    if (!out) {
        error = xasprintf("%s: %s", output_file, ovs_strerror(errno));
        goto exit;
    }
    error = stream_sha256(in, c->size, name, out, sha256);
    if (!error && memcmp(sha256, c->sha256, sizeof sha256)) {
        error = xasprintf("%s: component %s: SHA-256 differs from the "
                          "manifest's (the content was changed)",
                          b->file_name, name);
    }
    if (!error && (fflush(out) || fsync(fileno(out)))) {
        error = xasprintf("%s: write failed (%s)", output_file,
                          ovs_strerror(errno));
    }

exit:
    if (in) {
        fclose(in);
    }
    if (out) {
        fclose(out);
        if (error) {
            unlink(output_file);
        }
    }
    return error;
}

/* Checks that the SHA-256 digest of 'file_name' is 'hex' (64 hex digits),
 * reading the file once. */
char *
dpu_file_check_sha256(const char *file_name, const char *hex)
{
    uint8_t expected[32], sha256[32];
    uint64_t size;
    char *error;

    if (!sha256_from_hex(hex, expected)) {
        return xasprintf("\"%s\" is not a SHA-256 digest", hex);
    }
    error = dpu_file_sha256(file_name, sha256, &size);
    if (!error && memcmp(sha256, expected, sizeof sha256)) {
        error = xasprintf("%s: SHA-256 differs from the signed manifest's "
                          "(the content was changed)", file_name);
    }
    return error;
}

/* Stores the SHA-256 digest of 'file_name' in 'sha256' and its size in
 * '*sizep', reading it once. */
char *
dpu_file_sha256(const char *file_name, uint8_t sha256[32], uint64_t *sizep)
{
    struct stat st;
    char *error;
    FILE *stream;

    *sizep = 0;
    stream = fopen(file_name, "rb");
    if (!stream) {
        return xasprintf("%s: %s", file_name, ovs_strerror(errno));
    }
    if (fstat(fileno(stream), &st)) {
        error = xasprintf("%s: %s", file_name, ovs_strerror(errno));
    } else {
        error = stream_sha256(stream, st.st_size, file_name, NULL, sha256);
        *sizep = st.st_size;
    }
    fclose(stream);
    return error;
}
