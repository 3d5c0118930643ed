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

#ifndef INTENT_DOC_H
#define INTENT_DOC_H 1

/* An intent document: NSX's hierarchical Policy API, read and validated.
 *
 * A document is one JSON object with "resource_type": "Infra" whose
 * "children" are the objects below (each either bare, or wrapped as NSX's
 * hierarchical API does, {"resource_type": "ChildSegment", "Segment":
 * {...}}).  Every object has an "id"; its NSX path ("/infra/segments/web")
 * follows from its place in the tree.
 *
 * intent_doc_parse() checks every field against a policy table (type,
 * presence, syntax of addresses, ports and enumerations), then every
 * reference between objects.  It reports each problem once, as the JSON
 * pointer of the offending value and the cause, and accepts the document
 * only if there was none: a document is realised whole or not at all.
 * Validated objects keep their JSON; the mapping reads it directly. */

#include <stddef.h>
#include "openvswitch/shash.h"

struct json;
struct svec;

/* The kinds of object, by NSX resource_type. */
enum intent_kind {
    INTENT_INFRA,               /* "Infra", the root. */
    INTENT_DOMAIN,              /* "Domain": holds groups and policies. */
    INTENT_SEGMENT,             /* "Segment". */
    INTENT_SEGMENT_PORT,        /* "SegmentPort", a child of a Segment. */
    INTENT_TIER0,               /* "Tier0". */
    INTENT_TIER0_INTERFACE,     /* "Tier0Interface", a child of a Tier0. */
    INTENT_TIER1,               /* "Tier1". */
    INTENT_LOCALE_SERVICES,     /* "LocaleServices", of a Tier0/1. */
    INTENT_STATIC_ROUTES,       /* "StaticRoutes", a child of a Tier0/1. */
    INTENT_NAT_RULE,            /* "PolicyNatRule", a child of a Tier0/1. */
    INTENT_GROUP,               /* "Group". */
    INTENT_SERVICE,             /* "Service". */
    INTENT_POLICY,              /* "SecurityPolicy". */
    INTENT_RULE,                /* "Rule", in a SecurityPolicy. */
    N_INTENT_KINDS
};

/* One object of a document. */
struct intent_obj {
    enum intent_kind kind;
    char *id;                   /* Its "id". */
    char *path;                 /* NSX path, "/infra/segments/web". */
    char *where;                /* JSON pointer, "/children/0". */
    const struct json *json;    /* Its JSON object, owned by the document. */
    struct intent_obj *parent;  /* NULL for the root only. */
};

/* A validated document. */
struct intent_doc {
    struct json *json;          /* The whole document. */
    struct shash objs;          /* Path -> struct intent_obj *. */

    /* The objects of each kind, in document order. */
    struct intent_obj **kinds[N_INTENT_KINDS];
    size_t n[N_INTENT_KINDS];
    size_t allocated[N_INTENT_KINDS];
};

struct intent_doc *intent_doc_read(const char *file_name,
                                   struct svec *errors);
struct intent_doc *intent_doc_parse(struct json *, struct svec *errors);
void intent_doc_destroy(struct intent_doc *);

const char *intent_kind_name(enum intent_kind);
const struct intent_obj *intent_doc_find(const struct intent_doc *,
                                         const char *path);

/* Reading the fields of a validated object: the value, or a default when
 * the field is absent. */
const char *intent_get_string(const struct json *, const char *field,
                              const char *default_);
long long int intent_get_int(const struct json *, const char *field,
                             long long int default_);
bool intent_get_bool(const struct json *, const char *field, bool default_);
const struct json *intent_get_array(const struct json *, const char *field);

#endif /* intent-doc.h */
