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

#ifndef INTENT_ROWS_H
#define INTENT_ROWS_H 1

/* The northbound rows that a document wants.
 *
 * Every row that ovn-dpu-intent owns is known by its owner, the NSX path
 * of the object it realises, and by its role among that object's rows
 * (empty for the object's main row): a segment attached to a gateway owns
 * a Logical_Switch, a Logical_Router_Port (role "router-port") and a
 * Logical_Switch_Port (role "router-port"), and so on.  Both are written
 * into the row's external_ids (INTENT_PATH_KEY, INTENT_ROLE_KEY), which is
 * how a later run finds the rows it owns and tells them from every other
 * row of the database, which it never touches.
 *
 * A wanted row holds the values of the columns that ovn-dpu-intent
 * manages, in OVSDB's JSON notation (RFC 7047), with references to other
 * wanted rows as ["named-uuid", NAME].  Every managed column has a value
 * from the moment the row is created (its empty value), so that a field
 * removed from the document empties its column.  Columns not managed are
 * left as they are in the database. */

#include <stdbool.h>
#include <stddef.h>
#include "openvswitch/hmap.h"
#include "openvswitch/uuid.h"

struct json;
struct ovsdb_idl_row;

#define INTENT_PATH_KEY "ovn-dpu-intent:path"
#define INTENT_ROLE_KEY "ovn-dpu-intent:role"

struct intent_row {
    struct hmap_node hmap_node; /* In struct intent_rows, by key. */
    const char *table;          /* Table name, e.g. "Logical_Switch". */
    char *path;                 /* Owner: an NSX path. */
    char *role;                 /* Role among the owner's rows, or "". */
    char *name;                 /* Its named-uuid in references. */
    struct json *columns;       /* Object: column name -> value. */

    /* Filled in by intent-nb: the row of the database that this one is, if
     * it exists already, and the UUID that references to it use. */
    const struct ovsdb_idl_row *have;
    struct uuid uuid;
};

struct intent_rows {
    struct hmap rows;           /* Contains struct intent_row. */
    size_t n;
};

/* The tables whose rows ovn-dpu-intent may own, and their managed
 * columns. */
struct intent_table {
    const char *name;
    const char *const *columns;     /* Null-terminated. */
    bool unique_name;               /* An index makes "name" unique. */
};
extern const struct intent_table intent_tables[];
extern const size_t n_intent_tables;

const struct intent_table *intent_table_find(const char *name);

void intent_rows_init(struct intent_rows *);
void intent_rows_destroy(struct intent_rows *);
struct intent_row *intent_rows_get(struct intent_rows *, const char *table,
                                   const char *path, const char *role);
struct intent_row *intent_rows_find(const struct intent_rows *,
                                    const char *table, const char *path,
                                    const char *role);

void intent_row_set(struct intent_row *, const char *column, struct json *);
void intent_row_set_string(struct intent_row *, const char *column,
                           const char *);
void intent_row_add(struct intent_row *, const char *column, struct json *);
void intent_row_add_string(struct intent_row *, const char *column,
                           const char *);
void intent_row_add_ref(struct intent_row *, const char *column,
                        const struct intent_row *target);
void intent_row_put(struct intent_row *, const char *column,
                    const char *key, const char *value);

#endif /* intent-rows.h */
