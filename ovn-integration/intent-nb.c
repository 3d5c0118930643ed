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
#include "intent-nb.h"

#include <string.h>

#include "dpu/ovn-integration/ovn-nb-idl.h"
#include "intent-doc.h"
#include "intent-rows.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "openvswitch/vlog.h"
#include "ovsdb-data.h"
#include "ovsdb-error.h"
#include "ovsdb-idl-provider.h"
#include "sset.h"
#include "svec.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(intent_nb);

static const struct ovsdb_idl_table_class *
table_class(const char *name)
{
    for (size_t i = 0; i < nbrec_idl_class.n_tables; i++) {
        if (!strcmp(nbrec_idl_class.tables[i].name, name)) {
            return &nbrec_idl_class.tables[i];
        }
    }
    OVS_NOT_REACHED();
}

static const struct ovsdb_idl_column *
table_column(const struct ovsdb_idl_table_class *table, const char *name)
{
    for (size_t i = 0; i < table->n_columns; i++) {
        if (!strcmp(table->columns[i].name, name)) {
            return &table->columns[i];
        }
    }
    return NULL;
}

/* The string value of 'key' in 'row''s column 'column' (a string map) of
 * 'table', or NULL. */
static const char *
row_get_key(const struct ovsdb_idl_row *row,
            const struct ovsdb_idl_table_class *table, const char *column,
            const char *key)
{
    const struct ovsdb_idl_column *c = table_column(table, column);
    const struct ovsdb_datum *d = c ? ovsdb_idl_read(row, c) : NULL;

    for (size_t i = 0; d && i < d->n; i++) {
        if (c->type.value.type == OVSDB_TYPE_STRING
            && !strcmp(json_string(d->keys[i].s), key)) {
            return json_string(d->values[i].s);
        }
    }
    return NULL;
}

/* Whether ovn-dpu-intent owns 'row'; if so, its owner's path and its
 * role. */
static bool
row_owner(const struct ovsdb_idl_row *row,
          const struct ovsdb_idl_table_class *table,
          const char **path, const char **role)
{
    *path = row_get_key(row, table, "external_ids", INTENT_PATH_KEY);
    *role = row_get_key(row, table, "external_ids", INTENT_ROLE_KEY);
    *role = *role ? *role : "";
    return *path != NULL;
}

/* "PATH (ROLE): VERB TABLE "NAME"", a line of a plan.  'row' gives the
 * name. */
static char *
describe(const char *verb, const struct ovsdb_idl_table_class *table,
         const char *path, const char *role, const char *name)
{
    struct ds s = DS_EMPTY_INITIALIZER;

    ds_put_format(&s, "%s%s%s%s: %s %s", path, *role ? " (" : "", role,
                  *role ? ")" : "", verb, table->name);
    if (name && *name) {
        ds_put_format(&s, " \"%s\"", name);
    }
    return ds_steal_cstr(&s);
}

static const char *
row_name(const struct ovsdb_idl_row *row,
         const struct ovsdb_idl_table_class *table)
{
    const struct ovsdb_idl_column *c = table_column(table, "name");
    const struct ovsdb_datum *d = c ? ovsdb_idl_read(row, c) : NULL;

    return d && d->n ? json_string(d->keys[0].s) : NULL;
}

/* Matches the owned rows of the database with 'want': sets 'have' of each
 * wanted row that exists, and adds to 'deletes' the owned rows that are not
 * wanted (or are a second row with the same owner and role).  Adds to
 * 'foreign' "TABLE NAME" for each row not owned in a table whose names are
 * unique. */
static void
match_rows(struct ovsdb_idl *idl, struct intent_rows *want,
           const struct ovsdb_idl_row ***deletes, size_t *n_deletes,
           struct sset *foreign)
{
    size_t allocated = 0;

    for (size_t i = 0; i < n_intent_tables; i++) {
        const struct ovsdb_idl_table_class *table
            = table_class(intent_tables[i].name);
        const struct ovsdb_idl_row *row;

        for (row = ovsdb_idl_first_row(idl, table); row;
             row = ovsdb_idl_next_row(row)) {
            const char *path, *role;
            if (!row_owner(row, table, &path, &role)) {
                if (intent_tables[i].unique_name && row_name(row, table)) {
                    sset_add_and_free(foreign, xasprintf(
                                          "%s %s", table->name,
                                          row_name(row, table)));
                }
                continue;
            }
            struct intent_row *w = intent_rows_find(want, table->name,
                                                    path, role);
            if (w && !w->have) {
                w->have = row;
            } else {
                if (*n_deletes >= allocated) {
                    *deletes = x2nrealloc(*deletes, &allocated,
                                          sizeof **deletes);
                }
                (*deletes)[(*n_deletes)++] = row;
            }
        }
    }
}

/* Adds to 'errors' the wanted rows that would take the name of a row not
 * owned, in a table whose names are unique: the transaction would fail. */
static void
check_foreign_names(const struct intent_rows *want,
                    const struct sset *foreign, struct svec *errors)
{
    struct svec found = SVEC_EMPTY_INITIALIZER;
    const struct intent_row *w;

    HMAP_FOR_EACH (w, hmap_node, &want->rows) {
        const char *name = intent_get_string(w->columns, "name", NULL);
        if (name && intent_table_find(w->table)->unique_name) {
            char *key = xasprintf("%s %s", w->table, name);
            if (sset_contains(foreign, key)) {
                svec_add_nocopy(&found, xasprintf(
                                    "%s: %s \"%s\" exists already and is "
                                    "not ovn-dpu-intent's", w->path,
                                    w->table, name));
            }
            free(key);
        }
    }
    svec_sort(&found);
    svec_append(errors, &found);
    svec_destroy(&found);
}

/* Adds to 'value', the wanted JSON of set column 'column' of 'have', the
 * references that 'have' holds to rows that ovn-dpu-intent does not own:
 * they stay. */
static void
keep_foreign_refs(struct ovsdb_idl *idl, const struct ovsdb_idl_row *have,
                  const struct ovsdb_idl_column *column, struct json *value)
{
    const struct ovsdb_base_type *key = &column->type.key;
    const struct ovsdb_datum *d;

    if (key->type != OVSDB_TYPE_UUID || !key->uuid.refTableName
        || column->type.n_max <= 1 || value->type != JSON_ARRAY) {
        return;
    }
    const struct ovsdb_idl_table_class *ref_table
        = table_class(key->uuid.refTableName);
    d = ovsdb_idl_read(have, column);
    for (size_t i = 0; i < d->n; i++) {
        const struct ovsdb_idl_row *target
            = ovsdb_idl_get_row_for_uuid(idl, ref_table, &d->keys[i].uuid);
        const char *path, *role;
        if (target && !row_owner(target, ref_table, &path, &role)) {
            char *s = xasprintf(UUID_FMT, UUID_ARGS(&d->keys[i].uuid));
            json_array_add(value->array.elems[1],
                           json_array_create_2(json_string_create("uuid"),
                                               json_string_create_nocopy(s)));
        }
    }
}

/* Makes 'idl' replicate only what reconciling reads: the tables whose rows
 * ovn-dpu-intent may own, their managed columns and external_ids.  The
 * rest of a large database (ports' status, load balancers...) is not
 * fetched. */
void
intent_nb_monitor(struct ovsdb_idl *idl)
{
    for (size_t i = 0; i < n_intent_tables; i++) {
        const struct ovsdb_idl_table_class *table
            = table_class(intent_tables[i].name);

        ovsdb_idl_add_table(idl, table);
        ovsdb_idl_add_column(idl, table_column(table, "external_ids"));
        for (const char *const *c = intent_tables[i].columns; *c; c++) {
            ovsdb_idl_add_column(idl, table_column(table, *c));
        }
    }
}

/* Compares wanted row 'w' with the database and, with a 'txn', writes the
 * difference.  Adds a line to 'changes' if there is one. */
static void
reconcile_row(struct ovsdb_idl *idl, struct intent_row *w,
              struct ovsdb_symbol_table *symtab, struct ovsdb_idl_txn *txn,
              struct svec *changes, struct intent_nb_stats *stats)
{
    const struct ovsdb_idl_table_class *table = table_class(w->table);
    const struct ovsdb_idl_row *row = w->have;
    struct svec changed = SVEC_EMPTY_INITIALIZER;
    struct shash_node *node;

    if (!row && txn) {
        row = ovsdb_idl_txn_insert(txn, table, &w->uuid);
    }
    SHASH_FOR_EACH (node, json_object(w->columns)) {
        const struct ovsdb_idl_column *column = table_column(table,
                                                             node->name);
        struct json *value = json_clone(node->data);
        struct ovsdb_datum datum;
        struct ovsdb_error *error;

        ovs_assert(column);
        if (w->have) {
            keep_foreign_refs(idl, w->have, column, value);
        }
        error = ovsdb_datum_from_json(&datum, &column->type, value, symtab);
        json_destroy(value);
        if (error) {
            /* The mapping made a value that the schema does not take. */
            char *s = ovsdb_error_to_string_free(error);
            VLOG_FATAL("%s: %s column %s: %s", w->path, w->table,
                       node->name, s);
        }
        if (w->have && ovsdb_datum_equals(&datum, ovsdb_idl_read(w->have,
                                                                 column),
                                          &column->type)) {
            ovsdb_datum_destroy(&datum, &column->type);
            continue;
        }
        svec_add(&changed, node->name);
        if (txn) {
            if (w->have) {
                ovsdb_idl_txn_verify(w->have, column);
            }
            ovsdb_idl_txn_write(row, column, &datum);
        } else {
            ovsdb_datum_destroy(&datum, &column->type);
        }
    }

    const char *name = intent_get_string(w->columns, "name", NULL);
    if (!w->have) {
        svec_add_nocopy(changes, describe("create", table, w->path, w->role,
                                          name));
        stats->n_create++;
    } else if (changed.n) {
        char *line = describe("update", table, w->path, w->role, name);
        svec_sort(&changed);
        char *columns = svec_join(&changed, ", ", "");
        svec_add_nocopy(changes, xasprintf("%s: %s", line, columns));
        free(columns);
        free(line);
        stats->n_update++;
    }
    svec_destroy(&changed);
}

bool
intent_nb_reconcile(struct ovsdb_idl *idl, struct intent_rows *want,
                    struct ovsdb_idl_txn *txn, struct svec *changes,
                    struct intent_nb_stats *stats, struct svec *errors)
{
    const struct ovsdb_idl_row **deletes = NULL;
    struct sset foreign = SSET_INITIALIZER(&foreign);
    size_t n_deletes = 0;
    struct intent_row *w;

    memset(stats, 0, sizeof *stats);
    HMAP_FOR_EACH (w, hmap_node, &want->rows) {
        w->have = NULL;
    }
    match_rows(idl, want, &deletes, &n_deletes, &foreign);
    check_foreign_names(want, &foreign, errors);
    sset_destroy(&foreign);
    if (errors->n) {
        free(deletes);
        return false;
    }

    struct ovsdb_symbol_table *symtab = ovsdb_symbol_table_create();
    HMAP_FOR_EACH (w, hmap_node, &want->rows) {
        if (w->have) {
            w->uuid = w->have->uuid;
        } else {
            uuid_generate(&w->uuid);
        }
        ovsdb_symbol_table_put(symtab, w->name, &w->uuid, false);
    }
    HMAP_FOR_EACH (w, hmap_node, &want->rows) {
        reconcile_row(idl, w, symtab, txn, changes, stats);
    }
    ovsdb_symbol_table_destroy(symtab);

    for (size_t i = 0; i < n_deletes; i++) {
        const struct ovsdb_idl_row *row = deletes[i];
        const struct ovsdb_idl_table_class *table = row->table->class_;
        const char *path, *role;

        row_owner(row, table, &path, &role);
        svec_add_nocopy(changes, describe("delete", table, path, role,
                                          row_name(row, table)));
        stats->n_delete++;
        if (txn) {
            ovsdb_idl_txn_delete(row);
        }
    }
    free(deletes);
    svec_sort(changes);
    return true;
}

/* Appends to 'out' every row that ovn-dpu-intent owns, under the path of
 * the object it realises. */
void
intent_nb_show(struct ovsdb_idl *idl, struct ds *out)
{
    struct svec lines = SVEC_EMPTY_INITIALIZER;
    const char *last = "", *line;
    size_t last_len = 0, i;

    for (i = 0; i < n_intent_tables; i++) {
        const struct ovsdb_idl_table_class *table
            = table_class(intent_tables[i].name);
        const struct ovsdb_idl_row *row;

        for (row = ovsdb_idl_first_row(idl, table); row;
             row = ovsdb_idl_next_row(row)) {
            const char *path, *role, *name = row_name(row, table);
            if (row_owner(row, table, &path, &role)) {
                svec_add_nocopy(&lines, xasprintf(
                                    "%s\t%s%s%s%s%s%s%s", path, table->name,
                                    name ? " \"" : "", name ? name : "",
                                    name ? "\"" : "", *role ? " (" : "",
                                    role, *role ? ")" : ""));
            }
        }
    }
    svec_sort(&lines);
    SVEC_FOR_EACH (i, line, &lines) {
        size_t len = strcspn(line, "\t");
        if (last_len != len || strncmp(last, line, len)) {
            ds_put_format(out, "%.*s\n", (int) len, line);
            last = line;
            last_len = len;
        }
        ds_put_format(out, "    %s\n", line + len + 1);
    }
    svec_destroy(&lines);
}
