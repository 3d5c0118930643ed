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
#include "intent-rows.h"

#include <string.h>

#include "hash.h"
#include "openvswitch/json.h"
#include "openvswitch/util.h"
#include "util.h"

/* The managed columns of each table, with the empty value that a new
 * wanted row starts with: "" for a string, ["set", []] for a set or an
 * optional value, ["map", []] for a map.  external_ids is managed in every
 * table. */
#define COLUMNS(...) ((const char *const[]) { __VA_ARGS__, NULL })
const struct intent_table intent_tables[] = {
    { "Logical_Switch", COLUMNS("name", "ports"), false },
    { "Logical_Switch_Port", COLUMNS("name", "type", "addresses", "options",
                                     "tag", "dhcpv4_options"), true },
    { "Logical_Router", COLUMNS("name", "ports", "nat", "static_routes"),
      false },
    { "Logical_Router_Port", COLUMNS("name", "mac", "networks", "peer",
                                     "gateway_chassis"), true },
    { "Gateway_Chassis", COLUMNS("name", "chassis_name", "priority"), true },
    { "Logical_Router_Static_Route", COLUMNS("ip_prefix", "nexthop"),
      false },
    { "NAT", COLUMNS("type", "external_ip", "logical_ip"), false },
    { "DHCP_Options", COLUMNS("cidr", "options"), false },
    { "Port_Group", COLUMNS("name", "ports", "acls"), true },
    { "Address_Set", COLUMNS("name", "addresses"), true },
    { "ACL", COLUMNS("direction", "priority", "match", "action", "log",
                     "name"), false },
};
const size_t n_intent_tables = ARRAY_SIZE(intent_tables);

/* The empty value of 'column': columns named here are strings or integers,
 * "options" and the like are maps, everything else is a set. */
static struct json *
empty_value(const char *column)
{
    static const char *const strings[] = {
        "name", "type", "mac", "ip_prefix", "nexthop", "external_ip",
        "logical_ip", "cidr", "direction", "match", "action",
        "chassis_name", NULL
    };
    for (const char *const *s = strings; *s; s++) {
        if (!strcmp(column, *s)) {
            return json_string_create("");
        }
    }
    if (!strcmp(column, "priority")) {
        return json_integer_create(0);
    } else if (!strcmp(column, "log")) {
        return json_boolean_create(false);
    }
    bool is_map = !strcmp(column, "options");
    return json_array_create_2(json_string_create(is_map ? "map" : "set"),
                               json_array_create_empty());
}

static uint32_t
row_hash(const char *table, const char *path, const char *role)
{
    return hash_string(role, hash_string(path, hash_string(table, 0)));
}

void
intent_rows_init(struct intent_rows *rows)
{
    hmap_init(&rows->rows);
    rows->n = 0;
}

void
intent_rows_destroy(struct intent_rows *rows)
{
    struct intent_row *row;

    HMAP_FOR_EACH_POP (row, hmap_node, &rows->rows) {
        free(row->path);
        free(row->role);
        free(row->name);
        json_destroy(row->columns);
        free(row);
    }
    hmap_destroy(&rows->rows);
}

struct intent_row *
intent_rows_find(const struct intent_rows *rows, const char *table,
                 const char *path, const char *role)
{
    struct intent_row *row;

    HMAP_FOR_EACH_WITH_HASH (row, hmap_node, row_hash(table, path, role),
                             &rows->rows) {
        if (!strcmp(row->table, table) && !strcmp(row->path, path)
            && !strcmp(row->role, role)) {
            return row;
        }
    }
    return NULL;
}

const struct intent_table *
intent_table_find(const char *name)
{
    for (size_t i = 0; i < n_intent_tables; i++) {
        if (!strcmp(intent_tables[i].name, name)) {
            return &intent_tables[i];
        }
    }
    OVS_NOT_REACHED();
}

/* Returns the wanted row of 'table' for owner 'path' in 'role', creating
 * it, with every managed column empty, if there is none yet. */
struct intent_row *
intent_rows_get(struct intent_rows *rows, const char *table,
                const char *path, const char *role)
{
    struct intent_row *row = intent_rows_find(rows, table, path, role);
    if (row) {
        return row;
    }

    const struct intent_table *t = intent_table_find(table);
    row = xzalloc(sizeof *row);
    row->table = t->name;
    row->path = xstrdup(path);
    row->role = xstrdup(role);
    row->name = xasprintf("row%"PRIuSIZE, rows->n++);
    row->columns = json_object_create();
    for (const char *const *c = t->columns; *c; c++) {
        json_object_put(row->columns, *c, empty_value(*c));
    }
    json_object_put(row->columns, "external_ids", empty_value("options"));
    intent_row_put(row, "external_ids", INTENT_PATH_KEY, path);
    if (*role) {
        intent_row_put(row, "external_ids", INTENT_ROLE_KEY, role);
    }
    hmap_insert(&rows->rows, &row->hmap_node, row_hash(table, path, role));
    return row;
}

/* Sets 'column' of 'row' to 'value', taking ownership of it. */
void
intent_row_set(struct intent_row *row, const char *column, struct json *value)
{
    json_object_put(row->columns, column, value);
}

void
intent_row_set_string(struct intent_row *row, const char *column,
                      const char *s)
{
    intent_row_set(row, column, json_string_create(s));
}

/* Adds 'value' to set column 'column' of 'row', taking ownership of it. */
void
intent_row_add(struct intent_row *row, const char *column, struct json *value)
{
    struct json *set = shash_find_data(json_object(row->columns), column);
    json_array_add(set->array.elems[1], value);
}

void
intent_row_add_string(struct intent_row *row, const char *column,
                      const char *s)
{
    intent_row_add(row, column, json_string_create(s));
}

void
intent_row_add_ref(struct intent_row *row, const char *column,
                   const struct intent_row *target)
{
    intent_row_add(row, column,
                   json_array_create_2(json_string_create("named-uuid"),
                                       json_string_create(target->name)));
}

/* Puts 'key'='value' into map column 'column' of 'row'. */
void
intent_row_put(struct intent_row *row, const char *column, const char *key,
               const char *value)
{
    intent_row_add(row, column,
                   json_array_create_2(json_string_create(key),
                                       json_string_create(value)));
}
