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
#include "intent-doc.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "openvswitch/util.h"
#include "packets.h"
#include "sset.h"
#include "svec.h"
#include "util.h"

/* Field policies.
 *
 * Every object and every nested object (a subnet, an address binding, a
 * group's expression...) is checked against a table of the fields it may
 * have, in the spirit of nl_policy_parse(): a field not in the table is an
 * error (a misspelt field would otherwise be ignored in silence), a field
 * of the wrong JSON type too, and a string field may have a syntax check.
 * References to other objects are checked afterwards, when every path is
 * known. */

enum field_type {
    F_STRING,                   /* A string. */
    F_STRINGS,                  /* An array of strings. */
    F_INT,                      /* An integer. */
    F_BOOL,                     /* true or false. */
    F_OBJECT,                   /* An object, checked against 'sub'. */
    F_OBJECTS,                  /* An array of objects, against 'sub'. */
    F_CHILDREN,                 /* An array of child objects. */
};

/* Checks string 's', returns NULL or the cause of its rejection (which the
 * caller frees). */
typedef char *check_func(const char *s);

struct object_policy;

struct field_policy {
    const char *name;
    enum field_type type;
    bool required;
    check_func *check;          /* For F_STRING and each of F_STRINGS. */

    /* For F_OBJECT and F_OBJECTS: the policies of the nested object, a
     * null-terminated list, chosen by its "resource_type" when there are
     * more than one. */
    const struct object_policy *const *sub;
};

struct object_policy {
    const char *resource_type;  /* NULL for a nested object without one. */
    const struct field_policy *fields; /* Terminated by a null name. */
};

static char *
check_ipv4(const char *s)
{
    struct in_addr in;

    return (inet_pton(AF_INET, s, &in) == 1 ? NULL
            : xasprintf("\"%s\" is not an IPv4 address", s));
}

/* Parses "A.B.C.D/N" into '*ip' and '*plen'; returns false if 's' is not
 * that. */
static bool
parse_ipv4_plen(const char *s, ovs_be32 *ip, unsigned int *plen)
{
    const char *slash = strchr(s, '/');
    char *addr;
    bool ok;

    if (!slash || !slash[1] || strspn(slash + 1, "0123456789")
                               != strlen(slash + 1)
        || strlen(slash + 1) > 2 || atoi(slash + 1) > 32) {
        return false;
    }
    addr = xmemdup0(s, slash - s);
    ok = inet_pton(AF_INET, addr, ip) == 1;
    free(addr);
    *plen = atoi(slash + 1);
    return ok;
}

/* An interface address with its prefix length: "10.0.1.1/24". */
static char *
check_ipv4_plen(const char *s)
{
    ovs_be32 ip;
    unsigned int plen;

    return (parse_ipv4_plen(s, &ip, &plen) ? NULL
            : xasprintf("\"%s\" is not an IPv4 address with a prefix length "
                        "(A.B.C.D/N)", s));
}

/* A network, "10.0.1.0/24", with no host bits set. */
static char *
check_ipv4_network(const char *s)
{
    ovs_be32 ip;
    unsigned int plen;

    if (!parse_ipv4_plen(s, &ip, &plen)) {
        return xasprintf("\"%s\" is not an IPv4 network (A.B.C.D/N)", s);
    } else if (ip & ~be32_prefix_mask(plen)) {
        return xasprintf("\"%s\" has host bits set", s);
    }
    return NULL;
}

/* An address or a network. */
static char *
check_ipv4_or_network(const char *s)
{
    return strchr(s, '/') ? check_ipv4_network(s) : check_ipv4(s);
}

static char *
check_mac(const char *s)
{
    struct eth_addr ea;

    return (eth_addr_from_string(s, &ea) ? NULL
            : xasprintf("\"%s\" is not an Ethernet address", s));
}

static bool
parse_port(const char *s, size_t len, unsigned int *port)
{
    char *end;
    unsigned long int n;

    if (!len || len > 5 || !isdigit((unsigned char) *s)) {
        return false;
    }
    n = strtoul(s, &end, 10);
    *port = n;
    return end == s + len && n >= 1 && n <= 65535;
}

/* A port, "80", or a range of them, "8000-8080". */
static char *
check_ports(const char *s)
{
    const char *dash = strchr(s, '-');
    unsigned int lo, hi;

    if (dash
        ? (parse_port(s, dash - s, &lo) && parse_port(dash + 1,
                                                      strlen(dash + 1), &hi)
           && lo <= hi)
        : parse_port(s, strlen(s), &lo)) {
        return NULL;
    }
    return xasprintf("\"%s\" is not a port (1 to 65535) or a range of them "
                     "(LOW-HIGH)", s);
}

static char *
check_vlan(const char *s)
{
    unsigned int vlan;

    return (parse_port(s, strlen(s), &vlan) && vlan <= 4094 ? NULL
            : xasprintf("\"%s\" is not a VLAN ID (1 to 4094; "
                        "ranges are not supported)", s));
}

static char *
check_one_of(const char *s, const char *const *values)
{
    for (const char *const *v = values; *v; v++) {
        if (!strcmp(s, *v)) {
            return NULL;
        }
    }

    struct ds ds = DS_EMPTY_INITIALIZER;
    ds_put_format(&ds, "\"%s\" is not one of ", s);
    for (const char *const *v = values; *v; v++) {
        ds_put_format(&ds, "%s%s", v == values ? "" : ", ", *v);
    }
    return ds_steal_cstr(&ds);
}

#define CHECK_ONE_OF(NAME, ...)                                         \
    static char *                                                       \
    NAME(const char *s)                                                 \
    {                                                                   \
        static const char *const values[] = { __VA_ARGS__, NULL };     \
        return check_one_of(s, values);                                 \
    }
CHECK_ONE_OF(check_action, "ALLOW", "DROP", "REJECT")
CHECK_ONE_OF(check_direction, "IN", "OUT", "IN_OUT")
CHECK_ONE_OF(check_nat_action, "SNAT", "DNAT")
CHECK_ONE_OF(check_l4_protocol, "TCP", "UDP")
CHECK_ONE_OF(check_icmp_protocol, "ICMPv4")
CHECK_ONE_OF(check_ip_protocol, "IPV4")
CHECK_ONE_OF(check_category, "Ethernet", "Emergency", "Infrastructure",
             "Environment", "Application")
CHECK_ONE_OF(check_conjunction, "OR")
CHECK_ONE_OF(check_member_type, "SegmentPort")
CHECK_ONE_OF(check_condition_key, "Tag")
CHECK_ONE_OF(check_condition_operator, "EQUALS")

/* An NSX id: letters, digits, '-', '_' and '.', as in a path element. */
static char *
check_id(const char *s)
{
    size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                      "0123456789-_.");
    return (*s && !s[n] && strlen(s) <= 64 ? NULL
            : xasprintf("\"%s\" is not an id (1 to 64 letters, digits, "
                        "'-', '_' or '.')", s));
}

/* The fields that every object may have.  "tags" is read by groups'
 * conditions; the others are NSX's bookkeeping, accepted and ignored. */
#define COMMON_FIELDS                                           \
    { "resource_type", F_STRING, true, NULL, NULL },            \
    { "id", F_STRING, true, check_id, NULL },                   \
    { "display_name", F_STRING, false, NULL, NULL },            \
    { "description", F_STRING, false, NULL, NULL },             \
    { "path", F_STRING, false, NULL, NULL },                    \
    { "parent_path", F_STRING, false, NULL, NULL },             \
    { "relative_path", F_STRING, false, NULL, NULL },           \
    { "tags", F_OBJECTS, false, NULL, tag_subs }

static const struct object_policy tag_policy = {
    NULL, (const struct field_policy[]) {
        { "scope", F_STRING, false, NULL, NULL },
        { "tag", F_STRING, true, NULL, NULL },
        { NULL, 0, false, NULL, NULL } } };
static const struct object_policy *const tag_subs[] = { &tag_policy, NULL };

#define END { NULL, 0, false, NULL, NULL }
#define SUBS(...) ((const struct object_policy *const[]) { __VA_ARGS__, NULL })
#define NESTED(...) (&(const struct object_policy) {                \
            NULL, (const struct field_policy[]) { __VA_ARGS__, END } })
#define TYPED(TYPE, ...) (&(const struct object_policy) {           \
            TYPE, (const struct field_policy[]) {                   \
                { "resource_type", F_STRING, true, NULL, NULL },    \
                __VA_ARGS__, END } })

static const struct field_policy infra_fields[] = {
    { "resource_type", F_STRING, true, NULL, NULL },
    { "children", F_CHILDREN, false, NULL, NULL },
    { "id", F_STRING, false, NULL, NULL },
    { "display_name", F_STRING, false, NULL, NULL },
    { "description", F_STRING, false, NULL, NULL },
    { "path", F_STRING, false, NULL, NULL },
    END,
};

static const struct field_policy domain_fields[] = {
    COMMON_FIELDS,
    { "children", F_CHILDREN, false, NULL, NULL },
    END,
};

static const struct field_policy segment_fields[] = {
    COMMON_FIELDS,
    { "children", F_CHILDREN, false, NULL, NULL },
    { "subnets", F_OBJECTS, false, NULL, SUBS(NESTED(
        { "gateway_address", F_STRING, true, check_ipv4_plen, NULL },
        { "network", F_STRING, false, check_ipv4_network, NULL },
        { "dhcp_ranges", F_STRINGS, false, NULL, NULL },
        { "dhcp_config", F_OBJECT, false, NULL, SUBS(TYPED(
            "SegmentDhcpV4Config",
            { "server_address", F_STRING, false, check_ipv4_plen, NULL },
            { "lease_time", F_INT, false, NULL, NULL },
            { "dns_servers", F_STRINGS, false, check_ipv4, NULL })) })) },
    { "connectivity_path", F_STRING, false, NULL, NULL },
    { "transport_zone_path", F_STRING, false, NULL, NULL },
    { "vlan_ids", F_STRINGS, false, check_vlan, NULL },
    END,
};

static const struct field_policy segment_port_fields[] = {
    COMMON_FIELDS,
    { "attachment", F_OBJECT, false, NULL, SUBS(NESTED(
        { "id", F_STRING, true, NULL, NULL },
        { "type", F_STRING, false, NULL, NULL })) },
    { "address_bindings", F_OBJECTS, false, NULL, SUBS(NESTED(
        { "ip_address", F_STRING, true, check_ipv4, NULL },
        { "mac_address", F_STRING, true, check_mac, NULL })) },
    END,
};

static const struct field_policy tier0_fields[] = {
    COMMON_FIELDS,
    { "children", F_CHILDREN, false, NULL, NULL },
    { "transit_subnets", F_STRINGS, false, check_ipv4_network, NULL },
    { "ha_mode", F_STRING, false, NULL, NULL },
    { "failover_mode", F_STRING, false, NULL, NULL },
    END,
};

static const struct field_policy tier0_interface_fields[] = {
    COMMON_FIELDS,
    { "segment_path", F_STRING, true, NULL, NULL },
    { "type", F_STRING, false, NULL, NULL },
    { "edge_path", F_STRING, false, NULL, NULL },
    { "subnets", F_OBJECTS, true, NULL, SUBS(NESTED(
        { "ip_addresses", F_STRINGS, true, check_ipv4, NULL },
        { "prefix_len", F_INT, true, NULL, NULL })) },
    END,
};

static const struct field_policy tier1_fields[] = {
    COMMON_FIELDS,
    { "children", F_CHILDREN, false, NULL, NULL },
    { "tier0_path", F_STRING, false, NULL, NULL },
    { "failover_mode", F_STRING, false, NULL, NULL },
    { "route_advertisement_types", F_STRINGS, false, NULL, NULL },
    END,
};

static const struct field_policy locale_services_fields[] = {
    COMMON_FIELDS,
    { "edge_cluster_path", F_STRING, false, NULL, NULL },
    { "preferred_edge_paths", F_STRINGS, true, NULL, NULL },
    END,
};

static const struct field_policy static_routes_fields[] = {
    COMMON_FIELDS,
    { "network", F_STRING, true, check_ipv4_network, NULL },
    { "next_hops", F_OBJECTS, true, NULL, SUBS(NESTED(
        { "ip_address", F_STRING, true, check_ipv4, NULL },
        { "admin_distance", F_INT, false, NULL, NULL })) },
    END,
};

static const struct field_policy nat_rule_fields[] = {
    COMMON_FIELDS,
    { "action", F_STRING, true, check_nat_action, NULL },
    { "source_network", F_STRING, false, check_ipv4_or_network, NULL },
    { "destination_network", F_STRING, false, check_ipv4, NULL },
    { "translated_network", F_STRING, true, check_ipv4, NULL },
    { "sequence_number", F_INT, false, NULL, NULL },
    { "enabled", F_BOOL, false, NULL, NULL },
    { "logging", F_BOOL, false, NULL, NULL },
    END,
};

static const struct field_policy group_fields[] = {
    COMMON_FIELDS,
    { "expression", F_OBJECTS, false, NULL, SUBS(
        TYPED("IPAddressExpression",
              { "ip_addresses", F_STRINGS, true, check_ipv4_or_network,
                NULL }),
        TYPED("PathExpression", { "paths", F_STRINGS, true, NULL, NULL }),
        TYPED("Condition",
              { "member_type", F_STRING, true, check_member_type, NULL },
              { "key", F_STRING, true, check_condition_key, NULL },
              { "operator", F_STRING, true, check_condition_operator, NULL },
              { "value", F_STRING, true, NULL, NULL }),
        TYPED("ConjunctionOperator",
              { "conjunction_operator", F_STRING, true, check_conjunction,
                NULL })) },
    END,
};

static const struct field_policy service_fields[] = {
    COMMON_FIELDS,
    { "service_entries", F_OBJECTS, true, NULL, SUBS(
        TYPED("L4PortSetServiceEntry",
              { "id", F_STRING, false, NULL, NULL },
              { "l4_protocol", F_STRING, true, check_l4_protocol, NULL },
              { "destination_ports", F_STRINGS, false, check_ports, NULL },
              { "source_ports", F_STRINGS, false, check_ports, NULL }),
        TYPED("ICMPTypeServiceEntry",
              { "id", F_STRING, false, NULL, NULL },
              { "protocol", F_STRING, true, check_icmp_protocol, NULL },
              { "icmp_type", F_INT, false, NULL, NULL },
              { "icmp_code", F_INT, false, NULL, NULL })) },
    END,
};

static const struct field_policy policy_fields[] = {
    COMMON_FIELDS,
    { "children", F_CHILDREN, false, NULL, NULL },
    { "rules", F_CHILDREN, false, NULL, NULL },
    { "category", F_STRING, false, check_category, NULL },
    { "sequence_number", F_INT, false, NULL, NULL },
    { "scope", F_STRINGS, false, NULL, NULL },
    { "stateful", F_BOOL, false, NULL, NULL },
    END,
};

static const struct field_policy rule_fields[] = {
    COMMON_FIELDS,
    { "sequence_number", F_INT, false, NULL, NULL },
    { "source_groups", F_STRINGS, false, NULL, NULL },
    { "destination_groups", F_STRINGS, false, NULL, NULL },
    { "services", F_STRINGS, false, NULL, NULL },
    { "scope", F_STRINGS, false, NULL, NULL },
    { "action", F_STRING, true, check_action, NULL },
    { "direction", F_STRING, false, check_direction, NULL },
    { "ip_protocol", F_STRING, false, check_ip_protocol, NULL },
    { "logged", F_BOOL, false, NULL, NULL },
    { "disabled", F_BOOL, false, NULL, NULL },
    END,
};

/* Every kind of object: its resource_type, its fields, and where it sits in
 * the tree. */
struct kind_info {
    const char *resource_type;
    const struct field_policy *fields;
    enum intent_kind parents[2];    /* The kinds it may be a child of. */
    const char *element;            /* Its path below its parent's. */
};

static const struct kind_info kinds[N_INTENT_KINDS] = {
#define NONE N_INTENT_KINDS
    [INTENT_INFRA] = { "Infra", infra_fields, { NONE, NONE }, "" },
    [INTENT_DOMAIN] = { "Domain", domain_fields,
                        { INTENT_INFRA, NONE }, "/domains/" },
    [INTENT_SEGMENT] = { "Segment", segment_fields,
                         { INTENT_INFRA, NONE }, "/segments/" },
    [INTENT_SEGMENT_PORT] = { "SegmentPort", segment_port_fields,
                              { INTENT_SEGMENT, NONE }, "/ports/" },
    [INTENT_TIER0] = { "Tier0", tier0_fields,
                       { INTENT_INFRA, NONE }, "/tier-0s/" },
    [INTENT_TIER0_INTERFACE] = {
        "Tier0Interface", tier0_interface_fields, { INTENT_TIER0, NONE },
        "/locale-services/default/interfaces/" },
    [INTENT_TIER1] = { "Tier1", tier1_fields,
                       { INTENT_INFRA, NONE }, "/tier-1s/" },
    [INTENT_LOCALE_SERVICES] = { "LocaleServices", locale_services_fields,
                                 { INTENT_TIER1, INTENT_TIER0 },
                                 "/locale-services/" },
    [INTENT_STATIC_ROUTES] = { "StaticRoutes", static_routes_fields,
                               { INTENT_TIER1, INTENT_TIER0 },
                               "/static-routes/" },
    [INTENT_NAT_RULE] = { "PolicyNatRule", nat_rule_fields,
                          { INTENT_TIER1, INTENT_TIER0 },
                          "/nat/USER/nat-rules/" },
    [INTENT_GROUP] = { "Group", group_fields,
                       { INTENT_DOMAIN, INTENT_INFRA }, "/groups/" },
    [INTENT_SERVICE] = { "Service", service_fields,
                         { INTENT_INFRA, NONE }, "/services/" },
    [INTENT_POLICY] = { "SecurityPolicy", policy_fields,
                        { INTENT_DOMAIN, INTENT_INFRA },
                        "/security-policies/" },
    [INTENT_RULE] = { "Rule", rule_fields,
                      { INTENT_POLICY, NONE }, "/rules/" },
#undef NONE
};

const char *
intent_kind_name(enum intent_kind kind)
{
    return kinds[kind].resource_type;
}

/* Parsing. */

struct parser {
    struct intent_doc *doc;
    struct svec *errors;
};

static void OVS_PRINTF_FORMAT(3, 4)
parser_error(struct parser *p, const char *where, const char *format, ...)
{
    va_list args;
    char *msg;

    va_start(args, format);
    msg = xvasprintf(format, args);
    va_end(args);
    svec_add_nocopy(p->errors, xasprintf("%s: %s", *where ? where : "/",
                                         msg));
    free(msg);
}

static const char *
json_type_name(enum field_type type)
{
    switch (type) {
    case F_STRING: return "a string";
    case F_STRINGS: return "an array of strings";
    case F_INT: return "an integer";
    case F_BOOL: return "true or false";
    case F_OBJECT: return "an object";
    case F_OBJECTS: case F_CHILDREN: return "an array of objects";
    }
    OVS_NOT_REACHED();
}

static bool
json_has_type(const struct json *json, enum field_type type)
{
    switch (type) {
    case F_STRING: return json->type == JSON_STRING;
    case F_INT: return json->type == JSON_INTEGER;
    case F_BOOL: return json->type == JSON_TRUE || json->type == JSON_FALSE;
    case F_OBJECT: return json->type == JSON_OBJECT;
    case F_STRINGS: case F_OBJECTS: case F_CHILDREN:
        if (json->type != JSON_ARRAY) {
            return false;
        }
        for (size_t i = 0; i < json->array.n; i++) {
            if (json->array.elems[i]->type
                != (type == F_STRINGS ? JSON_STRING : JSON_OBJECT)) {
                return false;
            }
        }
        return true;
    }
    OVS_NOT_REACHED();
}

static void check_object(struct parser *, const struct json *,
                         const char *where, const struct object_policy *);

static void
check_string(struct parser *p, const char *s, const char *where,
             check_func *check)
{
    char *error = check ? check(s) : NULL;
    if (error) {
        parser_error(p, where, "%s", error);
        free(error);
    }
}

/* Checks 'json', an object nested in a field, against the policy among
 * 'subs' that its resource_type names. */
static void
check_nested(struct parser *p, const struct json *json, const char *where,
             const struct object_policy *const *subs)
{
    if (!subs[1]) {
        check_object(p, json, where, subs[0]);
        return;
    }
    const struct json *type = shash_find_data(json_object(json),
                                              "resource_type");
    struct ds ds = DS_EMPTY_INITIALIZER;
    for (const struct object_policy *const *s = subs; *s; s++) {
        if (type && type->type == JSON_STRING
            && !strcmp(json_string(type), (*s)->resource_type)) {
            check_object(p, json, where, *s);
            ds_destroy(&ds);
            return;
        }
        ds_put_format(&ds, "%s%s", s == subs ? "" : ", ",
                      (*s)->resource_type);
    }
    parser_error(p, where, "resource_type must be one of %s", ds_cstr(&ds));
    ds_destroy(&ds);
}

static void
check_field(struct parser *p, const struct json *value, const char *where,
            const struct field_policy *f)
{
    if (!json_has_type(value, f->type)) {
        parser_error(p, where, "must be %s", json_type_name(f->type));
        return;
    } else if (f->required && value->type == JSON_ARRAY && !value->array.n) {
        parser_error(p, where, "must not be empty");
        return;
    }
    if (f->type == F_STRING) {
        check_string(p, json_string(value), where, f->check);
    } else if (f->type == F_OBJECT) {
        check_nested(p, value, where, f->sub);
    } else if (f->type == F_STRINGS || f->type == F_OBJECTS) {
        for (size_t i = 0; i < value->array.n; i++) {
            char *elem_where = xasprintf("%s/%"PRIuSIZE, where, i);
            if (f->type == F_STRINGS) {
                check_string(p, json_string(value->array.elems[i]),
                             elem_where, f->check);
            } else {
                check_nested(p, value->array.elems[i], elem_where, f->sub);
            }
            free(elem_where);
        }
    }
}

/* Checks every field of object 'json' against 'policy'. */
static void
check_object(struct parser *p, const struct json *json, const char *where,
             const struct object_policy *policy)
{
    const struct shash *members = json_object(json);
    const struct field_policy *f;
    struct shash_node *node;

    for (f = policy->fields; f->name; f++) {
        if (f->required && !shash_find(members, f->name)) {
            parser_error(p, where, "required field \"%s\" is missing",
                         f->name);
        }
    }
    SHASH_FOR_EACH (node, members) {
        char *field_where = xasprintf("%s/%s", where, node->name);
        for (f = policy->fields; f->name; f++) {
            if (!strcmp(f->name, node->name)) {
                check_field(p, node->data, field_where, f);
                break;
            }
        }
        if (!f->name && node->name[0] != '_') {
            parser_error(p, field_where, "unknown field");
        }
        free(field_where);
    }
}

/* The tree of objects. */

static void add_children(struct parser *, struct intent_obj *parent,
                         const char *field);

static void
add_obj(struct intent_doc *doc, struct intent_obj *obj)
{
    enum intent_kind k = obj->kind;

    if (doc->n[k] >= doc->allocated[k]) {
        doc->kinds[k] = x2nrealloc(doc->kinds[k], &doc->allocated[k],
                                   sizeof *doc->kinds[k]);
    }
    doc->kinds[k][doc->n[k]++] = obj;
}

/* Returns the kind of child whose resource_type is 'type' under 'parent',
 * or N_INTENT_KINDS if there is none. */
static enum intent_kind
child_kind(const char *type, enum intent_kind parent)
{
    for (int k = 0; k < N_INTENT_KINDS; k++) {
        if (!strcmp(type, kinds[k].resource_type)
            && (kinds[k].parents[0] == parent
                || kinds[k].parents[1] == parent)) {
            return k;
        }
    }
    return N_INTENT_KINDS;
}

/* The path of a child of kind 'k' with 'id' under 'parent'.  Groups and
 * policies given straight under Infra are in the "default" domain, as in
 * NSX. */
static char *
child_path(const struct intent_obj *parent, enum intent_kind k,
           const char *id)
{
    const char *base = (parent->kind == INTENT_INFRA
                        && (k == INTENT_GROUP || k == INTENT_POLICY)
                        ? "/infra/domains/default" : parent->path);
    return xasprintf("%s%s%s", base, kinds[k].element, id);
}

/* Unwraps NSX's {"resource_type": "ChildSegment", "Segment": {...}}. */
static const struct json *
unwrap_child(const struct json *json, char **where)
{
    const struct json *type = shash_find_data(json_object(json),
                                              "resource_type");
    if (type && type->type == JSON_STRING
        && !strncmp(json_string(type), "Child", 5)) {
        const char *inner_type = json_string(type) + 5;
        const struct json *inner = shash_find_data(json_object(json),
                                                   inner_type);
        if (inner && inner->type == JSON_OBJECT
            && shash_count(json_object(json)) == 2) {
            char *inner_where = xasprintf("%s/%s", *where, inner_type);
            free(*where);
            *where = inner_where;
            return inner;
        }
    }
    return json;
}

static void
add_child(struct parser *p, struct intent_obj *parent,
          const struct json *json, char *where)
{
    json = unwrap_child(json, &where);

    const struct json *type = shash_find_data(json_object(json),
                                              "resource_type");
    const struct json *id = shash_find_data(json_object(json), "id");
    if (!type || type->type != JSON_STRING) {
        parser_error(p, where, "required field \"resource_type\" is "
                     "missing or not a string");
        goto out;
    }
    enum intent_kind k = child_kind(json_string(type), parent->kind);
    if (k == N_INTENT_KINDS) {
        parser_error(p, where, "resource_type \"%s\" is not allowed "
                     "among the children of %s", json_string(type),
                     parent->path);
        goto out;
    }
    struct object_policy policy = { kinds[k].resource_type, kinds[k].fields };
    check_object(p, json, where, &policy);
    if (!id || id->type != JSON_STRING) {
        goto out;
    }

    struct intent_obj *obj = xzalloc(sizeof *obj);
    obj->kind = k;
    obj->id = xstrdup(json_string(id));
    obj->path = child_path(parent, k, obj->id);
    obj->where = where;
    obj->json = json;
    obj->parent = parent;

    const struct intent_obj *dup = shash_find_data(&p->doc->objs, obj->path);
    const char *given = intent_get_string(json, "path", NULL);
    if (dup) {
        parser_error(p, where, "duplicate id \"%s\": %s is also at %s",
                     obj->id, obj->path, dup->where);
    } else if (given && strcmp(given, obj->path)) {
        parser_error(p, where, "path \"%s\" differs from \"%s\", the path "
                     "of its place in the document", given, obj->path);
    }
    if (dup || (given && strcmp(given, obj->path))) {
        free(obj->id);
        free(obj->path);
        free(obj->where);
        free(obj);
        return;
    }
    shash_add(&p->doc->objs, obj->path, obj);
    add_obj(p->doc, obj);
    add_children(p, obj, "children");
    add_children(p, obj, "rules");
    return;

out:
    free(where);
}

static void
add_children(struct parser *p, struct intent_obj *parent, const char *field)
{
    const struct json *children = shash_find_data(json_object(parent->json),
                                                  field);
    if (!children || !json_has_type(children, F_CHILDREN)) {
        return;
    }
    for (size_t i = 0; i < children->array.n; i++) {
        add_child(p, parent, children->array.elems[i],
                  xasprintf("%s/%s/%"PRIuSIZE, parent->where, field, i));
    }
}

/* References between objects. */

/* Checks that 'path', found at 'where', names an object of kind 'k1' or
 * 'k2', and returns it, or NULL after reporting why not. */
static const struct intent_obj *
check_ref(struct parser *p, const char *path, const char *where,
          enum intent_kind k1, enum intent_kind k2)
{
    const struct intent_obj *obj = shash_find_data(&p->doc->objs, path);
    const char *what = (k2 == N_INTENT_KINDS
                        ? kinds[k1].resource_type : NULL);
    char *either = (what ? NULL
                    : xasprintf("%s or %s", kinds[k1].resource_type,
                                kinds[k2].resource_type));

    if (!obj) {
        parser_error(p, where, "unknown %s \"%s\"", what ? what : either,
                     path);
    } else if (obj->kind != k1 && obj->kind != k2) {
        parser_error(p, where, "\"%s\" is a %s, not a %s", path,
                     kinds[obj->kind].resource_type, what ? what : either);
        obj = NULL;
    }
    free(either);
    return obj;
}

static void
check_ref_field(struct parser *p, const struct intent_obj *obj,
                const char *field, enum intent_kind k1, enum intent_kind k2)
{
    const char *path = intent_get_string(obj->json, field, NULL);
    if (path) {
        char *where = xasprintf("%s/%s", obj->where, field);
        check_ref(p, path, where, k1, k2);
        free(where);
    }
}

/* Checks a list of paths, or ["ANY"]. */
static void
check_ref_list(struct parser *p, const struct intent_obj *obj,
               const char *field, enum intent_kind k)
{
    const struct json *list = intent_get_array(obj->json, field);
    for (size_t i = 0; list && i < list->array.n; i++) {
        const char *path = json_string(list->array.elems[i]);
        char *where = xasprintf("%s/%s/%"PRIuSIZE, obj->where, field, i);
        if (!strcmp(path, "ANY")) {
            if (list->array.n > 1) {
                parser_error(p, where, "\"ANY\" must be alone in its list");
            }
        } else {
            check_ref(p, path, where, k, N_INTENT_KINDS);
        }
        free(where);
    }
}

/* Checks subnet 'i' of 'seg': its network, if given, is its gateway's,
 * and no other subnet of 'seg' (in 'networks') has that network. */
static void
check_segment_subnet(struct parser *p, const struct intent_obj *seg,
                     size_t i, struct sset *networks)
{
    const struct json *subnet
        = intent_get_array(seg->json, "subnets")->array.elems[i];
    const char *gw = intent_get_string(subnet, "gateway_address", "");
    const char *network = intent_get_string(subnet, "network", NULL);
    char *where = xasprintf("%s/subnets/%"PRIuSIZE, seg->where, i);
    ovs_be32 gw_ip, net_ip;
    unsigned int gw_plen, net_plen;

    if (!parse_ipv4_plen(gw, &gw_ip, &gw_plen)) {
        free(where);
        return;
    }
    char *gw_network = xasprintf(IP_FMT"/%u", IP_ARGS(
                                     gw_ip & be32_prefix_mask(gw_plen)),
                                 gw_plen);
    if (network && parse_ipv4_plen(network, &net_ip, &net_plen)
        && (gw_plen != net_plen
            || (gw_ip & be32_prefix_mask(gw_plen)) != net_ip)) {
        char *network_where = xasprintf("%s/network", where);
        parser_error(p, network_where, "network \"%s\" is not the network "
                     "of gateway_address \"%s\"", network, gw);
        free(network_where);
    } else if (!sset_add(networks, gw_network)) {
        parser_error(p, where, "another subnet of the segment has network "
                     "%s", gw_network);
    }
    free(gw_network);
    free(where);
}

static void
check_segment(struct parser *p, const struct intent_obj *seg)
{
    const struct json *vlans = intent_get_array(seg->json, "vlan_ids");
    const struct json *subnets = intent_get_array(seg->json, "subnets");

    check_ref_field(p, seg, "connectivity_path", INTENT_TIER1, INTENT_TIER0);
    if (intent_get_string(seg->json, "connectivity_path", NULL)
        && (!subnets || !subnets->array.n)) {
        parser_error(p, seg->where, "a segment attached to a gateway needs "
                     "a subnet, whose gateway_address is the gateway's");
    }
    if (vlans && vlans->array.n > 1) {
        parser_error(p, seg->where, "a segment has at most one VLAN ID");
    }
    if (vlans && !intent_get_string(seg->json, "transport_zone_path", NULL)) {
        parser_error(p, seg->where, "a VLAN segment needs a "
                     "transport_zone_path, whose last element names the "
                     "physical network");
    }
    struct sset networks = SSET_INITIALIZER(&networks);
    for (size_t i = 0; subnets && i < subnets->array.n; i++) {
        check_segment_subnet(p, seg, i, &networks);
    }
    sset_destroy(&networks);
}

static void
check_tier0_interface(struct parser *p, const struct intent_obj *iface)
{
    const struct json *subnets = intent_get_array(iface->json, "subnets");

    check_ref_field(p, iface, "segment_path", INTENT_SEGMENT,
                    N_INTENT_KINDS);
    for (size_t i = 0; subnets && i < subnets->array.n; i++) {
        long long int plen = intent_get_int(subnets->array.elems[i],
                                            "prefix_len", 0);
        if (plen < 1 || plen > 32) {
            char *where = xasprintf("%s/subnets/%"PRIuSIZE"/prefix_len",
                                    iface->where, i);
            parser_error(p, where, "%lld is not a prefix length (1 to 32)",
                         plen);
            free(where);
        }
    }
}

/* A gateway's locale services place its uplinks on the chassis of its
 * preferred edges: a tier-1's uplink is its link to its tier-0, a tier-0's
 * are its interfaces. */
static void
check_locale_services(struct parser *p, const struct intent_obj *ls)
{
    const struct intent_obj *router = ls->parent;

    if (router->kind == INTENT_TIER1
        && !intent_get_string(router->json, "tier0_path", NULL)) {
        parser_error(p, ls->where, "the edges of a tier-1 hold its uplink "
                     "to a tier-0: it needs a tier0_path");
    }
}

static void
check_nat_rule(struct parser *p, const struct intent_obj *nat)
{
    const char *action = intent_get_string(nat->json, "action", "");

    if (!strcmp(action, "DNAT")
        && !intent_get_string(nat->json, "destination_network", NULL)) {
        parser_error(p, nat->where, "a DNAT rule needs a "
                     "destination_network (the address translated)");
    }
}

static void
check_group(struct parser *p, const struct intent_obj *group)
{
    const struct json *exprs = intent_get_array(group->json, "expression");

    for (size_t i = 0; exprs && i < exprs->array.n; i++) {
        const struct json *expr = exprs->array.elems[i];
        const struct json *paths = intent_get_array(expr, "paths");

        for (size_t j = 0; paths && j < paths->array.n; j++) {
            char *where = xasprintf("%s/expression/%"PRIuSIZE"/paths/%"
                                    PRIuSIZE, group->where, i, j);
            check_ref(p, json_string(paths->array.elems[j]), where,
                      INTENT_SEGMENT, INTENT_SEGMENT_PORT);
            free(where);
        }
    }
}

static void
check_service(struct parser *p, const struct intent_obj *service)
{
    const struct json *entries = intent_get_array(service->json,
                                                  "service_entries");

    for (size_t i = 0; entries && i < entries->array.n; i++) {
        const struct json *entry = entries->array.elems[i];
        const char *fields[] = { "icmp_type", "icmp_code" };

        for (size_t j = 0; j < ARRAY_SIZE(fields); j++) {
            long long int value = intent_get_int(entry, fields[j], 0);
            if (value < 0 || value > 255) {
                char *where = xasprintf("%s/service_entries/%"PRIuSIZE"/%s",
                                        service->where, i, fields[j]);
                parser_error(p, where, "%lld is not between 0 and 255",
                             value);
                free(where);
            }
        }
    }
}

static void
check_refs(struct parser *p)
{
    struct intent_doc *doc = p->doc;

    for (size_t i = 0; i < doc->n[INTENT_SEGMENT]; i++) {
        check_segment(p, doc->kinds[INTENT_SEGMENT][i]);
    }
    for (size_t i = 0; i < doc->n[INTENT_TIER0_INTERFACE]; i++) {
        check_tier0_interface(p, doc->kinds[INTENT_TIER0_INTERFACE][i]);
    }
    for (size_t i = 0; i < doc->n[INTENT_TIER1]; i++) {
        check_ref_field(p, doc->kinds[INTENT_TIER1][i], "tier0_path",
                        INTENT_TIER0, N_INTENT_KINDS);
    }
    for (size_t i = 0; i < doc->n[INTENT_LOCALE_SERVICES]; i++) {
        check_locale_services(p, doc->kinds[INTENT_LOCALE_SERVICES][i]);
    }
    for (size_t i = 0; i < doc->n[INTENT_NAT_RULE]; i++) {
        check_nat_rule(p, doc->kinds[INTENT_NAT_RULE][i]);
    }
    for (size_t i = 0; i < doc->n[INTENT_GROUP]; i++) {
        check_group(p, doc->kinds[INTENT_GROUP][i]);
    }
    for (size_t i = 0; i < doc->n[INTENT_SERVICE]; i++) {
        check_service(p, doc->kinds[INTENT_SERVICE][i]);
    }
    for (size_t i = 0; i < doc->n[INTENT_POLICY]; i++) {
        check_ref_list(p, doc->kinds[INTENT_POLICY][i], "scope",
                       INTENT_GROUP);
    }
    for (size_t i = 0; i < doc->n[INTENT_RULE]; i++) {
        const struct intent_obj *rule = doc->kinds[INTENT_RULE][i];
        check_ref_list(p, rule, "source_groups", INTENT_GROUP);
        check_ref_list(p, rule, "destination_groups", INTENT_GROUP);
        check_ref_list(p, rule, "scope", INTENT_GROUP);
        check_ref_list(p, rule, "services", INTENT_SERVICE);
    }
}

/* Public functions. */

/* Validates 'json', taking ownership of it.  Returns the document, or NULL
 * after adding each problem to 'errors' as "JSON-POINTER: CAUSE". */
struct intent_doc *
intent_doc_parse(struct json *json, struct svec *errors)
{
    struct intent_doc *doc = xzalloc(sizeof *doc);
    struct parser p = { .doc = doc, .errors = errors };
    size_t n_errors = errors->n;

    doc->json = json;
    shash_init(&doc->objs);
    if (json->type != JSON_OBJECT) {
        parser_error(&p, "", "the document must be a JSON object");
        goto error;
    }

    const char *type = intent_get_string(json, "resource_type", "");
    if (strcmp(type, "Infra")) {
        parser_error(&p, "", "the document's resource_type must be "
                     "\"Infra\"");
        goto error;
    }
    struct intent_obj *root = xzalloc(sizeof *root);
    root->kind = INTENT_INFRA;
    root->id = xstrdup("infra");
    root->path = xstrdup("/infra");
    root->where = xstrdup("");
    root->json = json;
    shash_add(&doc->objs, root->path, root);
    add_obj(doc, root);

    struct object_policy policy = { "Infra", infra_fields };
    check_object(&p, json, "", &policy);
    add_children(&p, root, "children");
    if (errors->n == n_errors) {
        /* References are checked between objects whose fields are all of
         * the right types. */
        check_refs(&p);
    }
    if (errors->n == n_errors) {
        return doc;
    }

error:
    intent_doc_destroy(doc);
    return NULL;
}

/* Reads and validates the document in 'file_name'.  An error in its JSON
 * syntax is reported as json_from_file() says it, with its line and
 * column. */
struct intent_doc *
intent_doc_read(const char *file_name, struct svec *errors)
{
    struct json *json = json_from_file(file_name);

    if (json->type == JSON_STRING) {
        svec_add(errors, json_string(json));
        json_destroy(json);
        return NULL;
    }
    return intent_doc_parse(json, errors);
}

void
intent_doc_destroy(struct intent_doc *doc)
{
    if (doc) {
        struct shash_node *node;

        SHASH_FOR_EACH (node, &doc->objs) {
            struct intent_obj *obj = node->data;
            free(obj->id);
            free(obj->path);
            free(obj->where);
            free(obj);
        }
        shash_destroy(&doc->objs);
        for (int k = 0; k < N_INTENT_KINDS; k++) {
            free(doc->kinds[k]);
        }
        json_destroy(doc->json);
        free(doc);
    }
}

const struct intent_obj *
intent_doc_find(const struct intent_doc *doc, const char *path)
{
    return shash_find_data(&doc->objs, path);
}

const char *
intent_get_string(const struct json *json, const char *field,
                  const char *default_)
{
    const struct json *value = shash_find_data(json_object(json), field);
    return value && value->type == JSON_STRING ? json_string(value)
                                               : default_;
}

long long int
intent_get_int(const struct json *json, const char *field,
               long long int default_)
{
    const struct json *value = shash_find_data(json_object(json), field);
    return value && value->type == JSON_INTEGER ? json_integer(value)
                                                : default_;
}

bool
intent_get_bool(const struct json *json, const char *field, bool default_)
{
    const struct json *value = shash_find_data(json_object(json), field);
    return (!value ? default_
            : value->type == JSON_TRUE ? true
            : value->type == JSON_FALSE ? false
            : default_);
}

const struct json *
intent_get_array(const struct json *json, const char *field)
{
    const struct json *value = shash_find_data(json_object(json), field);
    return value && value->type == JSON_ARRAY ? value : NULL;
}
