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
#include "intent-map.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "intent-doc.h"
#include "intent-rows.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "packets.h"
#include "sset.h"
#include "svec.h"
#include "util.h"

#define LS "Logical_Switch"
#define LSP "Logical_Switch_Port"
#define LR "Logical_Router"
#define LRP "Logical_Router_Port"
#define ROUTE "Logical_Router_Static_Route"

/* The Port_Group of rules whose scope is "ANY": every segment port. */
#define ANY_SCOPE_PG "ovn_dpu_intent_any"

struct mapper {
    const struct intent_doc *doc;
    struct intent_rows *rows;
    struct svec *errors;
};

#define FOR_EACH_OBJ(OBJ, KIND, DOC)                                    \
    for (size_t i__ = 0;                                                \
         i__ < (DOC)->n[KIND] && ((OBJ) = (DOC)->kinds[KIND][i__], 1); \
         i__++)

/* A locally administered MAC address that stays the same for 'path'. */
static char *
mac_for_path(const char *path)
{
    uint32_t h0 = hash_string(path, 0), h1 = hash_string(path, 1);
    return xasprintf("0a:%02x:%02x:%02x:%02x:%02x",
                     (h0 >> 24) & 0xff, (h0 >> 16) & 0xff, (h0 >> 8) & 0xff,
                     h0 & 0xff, h1 & 0xff);
}

/* The network that contains 'address', "A.B.C.D/N". */
static char *
network_of(const char *address)
{
    char *copy = xstrdup(address);
    char *slash = strchr(copy, '/');
    ovs_be32 ip = 0;
    int plen = atoi(slash + 1);

    *slash = '\0';
    inet_pton(AF_INET, copy, &ip);
    free(copy);
    ip &= be32_prefix_mask(plen);
    return xasprintf(IP_FMT"/%d", IP_ARGS(ip), plen);
}

/* 'address' without its prefix length. */
static char *
address_of(const char *address)
{
    return xmemdup0(address, strcspn(address, "/"));
}

static const char *
last_element(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* A name for an OVN match: letters, digits and '_'. */
static char *
match_name(const char *prefix, const struct intent_obj *group)
{
    const struct intent_obj *domain = group->parent;
    char *name = (domain->kind == INTENT_DOMAIN
                  && strcmp(domain->id, "default")
                  ? xasprintf("%s_%s_%s", prefix, domain->id, group->id)
                  : xasprintf("%s_%s", prefix, group->id));
    for (char *p = name; *p; p++) {
        if (!isalnum((unsigned char) *p)) {
            *p = '_';
        }
    }
    return name;
}

static struct intent_row *
switch_row(struct mapper *m, const char *path)
{
    return intent_rows_get(m->rows, LS, path, "");
}

static struct intent_row *
router_row(struct mapper *m, const char *path)
{
    return intent_rows_get(m->rows, LR, path, "");
}

/* Connects the Logical_Switch of 'segment_path' to the Logical_Router of
 * 'router' with a pair of ports, owned by 'owner' in 'role': the router's
 * port, named 'lrp_name', has 'networks'; the switch's is 'lsp_name'. */
static void
map_router_link(struct mapper *m, const char *owner, const char *role,
                const char *segment_path, const struct intent_obj *router,
                const char *lrp_name, const char *lsp_name,
                const struct svec *networks)
{
    struct intent_row *lrp = intent_rows_get(m->rows, LRP, owner, role);
    char *mac = mac_for_path(owner);
    const char *network;
    size_t i;

    intent_row_set_string(lrp, "name", lrp_name);
    intent_row_set_string(lrp, "mac", mac);
    SVEC_FOR_EACH (i, network, networks) {
        intent_row_add_string(lrp, "networks", network);
    }
    intent_row_add_ref(router_row(m, router->path), "ports", lrp);

    struct intent_row *lsp = intent_rows_get(m->rows, LSP, owner, role);
    intent_row_set_string(lsp, "name", lsp_name);
    intent_row_set_string(lsp, "type", "router");
    intent_row_add_string(lsp, "addresses", "router");
    intent_row_put(lsp, "options", "router-port", lrp_name);
    intent_row_add_ref(switch_row(m, segment_path), "ports", lsp);
    free(mac);
}

/* DHCP_Options for the first subnet of 'seg' that has a dhcp_config. */
static void
map_segment_dhcp(struct mapper *m, const struct intent_obj *seg)
{
    const struct json *subnets = intent_get_array(seg->json, "subnets");

    for (size_t i = 0; subnets && i < subnets->array.n; i++) {
        const struct json *subnet = subnets->array.elems[i];
        const struct json *config = shash_find_data(json_object(subnet),
                                                    "dhcp_config");
        if (!config) {
            continue;
        }
        const char *gw = intent_get_string(subnet, "gateway_address", "");
        const char *server = intent_get_string(config, "server_address", gw);
        const struct json *dns = intent_get_array(config, "dns_servers");
        struct intent_row *dhcp = intent_rows_get(m->rows, "DHCP_Options",
                                                  seg->path, "dhcp");
        char *network = network_of(gw), *router = address_of(gw);
        char *server_id = address_of(server), *mac = mac_for_path(seg->path);
        char *lease = xasprintf("%lld", intent_get_int(config, "lease_time",
                                                       86400));

        intent_row_set_string(dhcp, "cidr", network);
        intent_row_put(dhcp, "options", "lease_time", lease);
        intent_row_put(dhcp, "options", "router", router);
        intent_row_put(dhcp, "options", "server_id", server_id);
        intent_row_put(dhcp, "options", "server_mac", mac);
        if (dns && dns->array.n) {
            struct ds s = DS_EMPTY_INITIALIZER;
            for (size_t j = 0; j < dns->array.n; j++) {
                ds_put_format(&s, "%s%s", j ? ", " : "{",
                              json_string(dns->array.elems[j]));
            }
            ds_put_char(&s, '}');
            intent_row_put(dhcp, "options", "dns_server", ds_cstr(&s));
            ds_destroy(&s);
        }
        free(network);
        free(router);
        free(server_id);
        free(mac);
        free(lease);
        return;
    }
}

static void
map_segment(struct mapper *m, const struct intent_obj *seg)
{
    struct intent_row *ls = switch_row(m, seg->path);
    const struct json *vlans = intent_get_array(seg->json, "vlan_ids");
    const char *router_path = intent_get_string(seg->json,
                                                "connectivity_path", NULL);

    intent_row_set_string(ls, "name", seg->id);
    if (vlans) {
        struct intent_row *ln = intent_rows_get(m->rows, LSP, seg->path,
                                                "localnet");
        const char *tz = intent_get_string(seg->json, "transport_zone_path",
                                           "");
        char *name = xasprintf("%s-localnet", seg->id);
        intent_row_set_string(ln, "name", name);
        intent_row_set_string(ln, "type", "localnet");
        intent_row_add_string(ln, "addresses", "unknown");
        intent_row_put(ln, "options", "network_name", last_element(tz));
        if (vlans->array.n && atoi(json_string(vlans->array.elems[0]))) {
            intent_row_set(ln, "tag", json_integer_create(
                               atoi(json_string(vlans->array.elems[0]))));
        }
        intent_row_add_ref(ls, "ports", ln);
        free(name);
    }
    if (router_path) {
        const struct intent_obj *router = intent_doc_find(m->doc,
                                                          router_path);
        const struct json *subnets = intent_get_array(seg->json, "subnets");
        struct svec networks = SVEC_EMPTY_INITIALIZER;
        char *lrp_name = xasprintf("%s-%s", router->id, seg->id);
        char *lsp_name = xasprintf("%s-%s", seg->id, router->id);

        for (size_t i = 0; subnets && i < subnets->array.n; i++) {
            svec_add(&networks, intent_get_string(subnets->array.elems[i],
                                                  "gateway_address", ""));
        }
        map_router_link(m, seg->path, "router-port", seg->path, router,
                        lrp_name, lsp_name, &networks);
        svec_destroy(&networks);
        free(lrp_name);
        free(lsp_name);
    }
    map_segment_dhcp(m, seg);
}

static void
map_segment_port(struct mapper *m, const struct intent_obj *port)
{
    struct intent_row *lsp = intent_rows_get(m->rows, LSP, port->path, "");
    const struct json *attachment = shash_find_data(json_object(port->json),
                                                    "attachment");
    const struct json *bindings = intent_get_array(port->json,
                                                   "address_bindings");
    struct intent_row *dhcp = intent_rows_find(m->rows, "DHCP_Options",
                                               port->parent->path, "dhcp");

    intent_row_set_string(lsp, "name",
                          attachment ? intent_get_string(attachment, "id", "")
                                     : port->id);
    struct sset addresses = SSET_INITIALIZER(&addresses);
    for (size_t i = 0; bindings && i < bindings->array.n; i++) {
        const struct json *b = bindings->array.elems[i];
        char *address = xasprintf("%s %s",
                                  intent_get_string(b, "mac_address", ""),
                                  intent_get_string(b, "ip_address", ""));
        if (sset_add(&addresses, address)) {
            intent_row_add_string(lsp, "addresses", address);
        }
        free(address);
    }
    sset_destroy(&addresses);
    if (!bindings || !bindings->array.n) {
        intent_row_add_string(lsp, "addresses", "unknown");
    }
    if (dhcp) {
        intent_row_add_ref(lsp, "dhcpv4_options", dhcp);
    }
    intent_row_add_ref(switch_row(m, port->parent->path), "ports", lsp);
}

static void
map_tier0_interface(struct mapper *m, const struct intent_obj *iface)
{
    const struct intent_obj *t0 = iface->parent;
    const struct json *subnets = intent_get_array(iface->json, "subnets");
    struct svec networks = SVEC_EMPTY_INITIALIZER;
    char *lrp_name = xasprintf("%s-%s", t0->id, iface->id);

    for (size_t i = 0; i < subnets->array.n; i++) {
        const struct json *subnet = subnets->array.elems[i];
        const struct json *ips = intent_get_array(subnet, "ip_addresses");
        for (size_t j = 0; j < ips->array.n; j++) {
            svec_add_nocopy(&networks, xasprintf(
                                "%s/%lld", json_string(ips->array.elems[j]),
                                intent_get_int(subnet, "prefix_len", 32)));
        }
    }
    svec_sort_unique(&networks);
    const char *seg_path = intent_get_string(iface->json, "segment_path", "");
    char *lsp_name = xasprintf("%s-%s", last_element(seg_path), lrp_name);
    map_router_link(m, iface->path, "", seg_path, t0, lrp_name, lsp_name,
                    &networks);
    svec_destroy(&networks);
    free(lrp_name);
    free(lsp_name);
}

/* Links tier-1 't1' to its tier-0 'doc' with a /31 of the tier-0's transit
 * subnet (NSX's default, 100.64.0.0/16, when it names none): the n-th
 * tier-1 of the tier-0, in the order of their paths, takes the n-th /31.
 * The tier-1 routes everything to the tier-0; the tier-0 routes the
 * tier-1's segments to it. */
static void
map_tier1_uplink(struct mapper *m, const struct intent_obj *t1,
                 const struct intent_obj *t0)
{
    const struct json *transits = intent_get_array(t0->json,
                                                   "transit_subnets");
    const char *transit = (transits && transits->array.n
                           ? json_string(transits->array.elems[0])
                           : "100.64.0.0/16");
    const struct intent_obj *other;
    unsigned int plen;
    ovs_be32 base;
    uint32_t n = 0;

    FOR_EACH_OBJ (other, INTENT_TIER1, m->doc) {
        n += (!strcmp(intent_get_string(other->json, "tier0_path", ""),
                      t0->path) && strcmp(other->path, t1->path) < 0);
    }
    free(ip_parse_cidr(transit, &base, &plen));
    if (plen > 31 || 2 * (uint64_t) n + 1 >= (UINT64_C(1) << (32 - plen))) {
        svec_add_nocopy(m->errors, xasprintf(
                            "%s: transit subnet %s of %s is too small for "
                            "its tier-1 gateways", t1->where, transit,
                            t0->path));
        return;
    }

    char *t0_ip = xasprintf(IP_FMT, IP_ARGS(htonl(ntohl(base) + 2 * n)));
    char *t1_ip = xasprintf(IP_FMT, IP_ARGS(htonl(ntohl(base) + 2 * n + 1)));
    char *up_name = xasprintf("%s-%s", t1->id, t0->id);
    char *down_name = xasprintf("%s-%s", t0->id, t1->id);
    const char *ends[2][4] = {
        { "uplink", up_name, down_name, t1_ip },
        { "downlink", down_name, up_name, t0_ip },
    };
    for (int i = 0; i < 2; i++) {
        struct intent_row *lrp = intent_rows_get(m->rows, LRP, t1->path,
                                                 ends[i][0]);
        char *mac = mac_for_path(ends[i][1]);
        char *network = xasprintf("%s/31", ends[i][3]);
        intent_row_set_string(lrp, "name", ends[i][1]);
        intent_row_set_string(lrp, "mac", mac);
        intent_row_add_string(lrp, "networks", network);
        intent_row_set_string(lrp, "peer", ends[i][2]);
        intent_row_add_ref(router_row(m, i ? t0->path : t1->path), "ports",
                           lrp);
        free(network);
        free(mac);
    }

    struct intent_row *route = intent_rows_get(m->rows, ROUTE, t1->path,
                                               "default-route");
    intent_row_set_string(route, "ip_prefix", "0.0.0.0/0");
    intent_row_set_string(route, "nexthop", t0_ip);
    intent_row_add_ref(router_row(m, t1->path), "static_routes", route);

    const struct intent_obj *seg;
    FOR_EACH_OBJ (seg, INTENT_SEGMENT, m->doc) {
        const struct json *subnets = intent_get_array(seg->json, "subnets");
        if (strcmp(intent_get_string(seg->json, "connectivity_path", ""),
                   t1->path)) {
            continue;
        }
        for (size_t i = 0; subnets && i < subnets->array.n; i++) {
            char *network = network_of(intent_get_string(
                                           subnets->array.elems[i],
                                           "gateway_address", ""));
            char *role = xasprintf("tier0-route-%s", network);
            route = intent_rows_get(m->rows, ROUTE, seg->path, role);
            intent_row_set_string(route, "ip_prefix", network);
            intent_row_set_string(route, "nexthop", t1_ip);
            intent_row_add_ref(router_row(m, t0->path), "static_routes",
                               route);
            free(role);
            free(network);
        }
    }
    free(t0_ip);
    free(t1_ip);
    free(up_name);
    free(down_name);
}

static void
map_router(struct mapper *m, const struct intent_obj *router)
{
    const char *t0_path = intent_get_string(router->json, "tier0_path",
                                            NULL);

    intent_row_set_string(router_row(m, router->path), "name", router->id);
    if (t0_path) {
        map_tier1_uplink(m, router, intent_doc_find(m->doc, t0_path));
    }
}

static void
map_static_routes(struct mapper *m, const struct intent_obj *routes)
{
    const struct json *hops = intent_get_array(routes->json, "next_hops");

    for (size_t i = 0; i < hops->array.n; i++) {
        char *role = xasprintf("next-hop-%"PRIuSIZE, i);
        struct intent_row *route = intent_rows_get(m->rows, ROUTE,
                                                   routes->path, role);
        intent_row_set_string(route, "ip_prefix",
                              intent_get_string(routes->json, "network", ""));
        intent_row_set_string(route, "nexthop", intent_get_string(
                                  hops->array.elems[i], "ip_address", ""));
        intent_row_add_ref(router_row(m, routes->parent->path),
                           "static_routes", route);
        free(role);
    }
}

static void
map_nat_rule(struct mapper *m, const struct intent_obj *rule)
{
    const struct json *j = rule->json;
    bool snat = !strcmp(intent_get_string(j, "action", ""), "SNAT");

    if (!intent_get_bool(j, "enabled", true)) {
        return;
    }
    struct intent_row *nat = intent_rows_get(m->rows, "NAT", rule->path, "");
    intent_row_set_string(nat, "type", snat ? "snat" : "dnat");
    intent_row_set_string(nat, "external_ip", intent_get_string(
                              j, snat ? "translated_network"
                                      : "destination_network", ""));
    intent_row_set_string(nat, "logical_ip", intent_get_string(
                              j, snat ? "source_network"
                                      : "translated_network", "0.0.0.0/0"));
    intent_row_add_ref(router_row(m, rule->parent->path), "nat", nat);
}

/* Places router port 'lrp' on the chassis that 'edges' (edge paths, whose
 * last elements name chassis) name, the first one preferred, with
 * Gateway_Chassis rows owned by 'ls': OVN then applies the router's NAT
 * there. */
static void
place_port(struct mapper *m, const struct intent_obj *ls,
           struct intent_row *lrp, const struct json *edges)
{
    const char *lrp_name = intent_get_string(lrp->columns, "name", "");
    struct sset chassis = SSET_INITIALIZER(&chassis);

    for (size_t i = 0; i < edges->array.n; i++) {
        const char *name = last_element(json_string(edges->array.elems[i]));
        if (!sset_add(&chassis, name)) {
            continue;
        }

        char *role = xasprintf("%s@%s", lrp_name, name);
        struct intent_row *gc = intent_rows_get(m->rows, "Gateway_Chassis",
                                                ls->path, role);
        char *gc_name = xasprintf("%s-%s", lrp_name, name);
        intent_row_set_string(gc, "name", gc_name);
        intent_row_set_string(gc, "chassis_name", name);
        intent_row_set(gc, "priority",
                       json_integer_create(MIN(edges->array.n - i, 32767)));
        intent_row_add_ref(lrp, "gateway_chassis", gc);
        free(gc_name);
        free(role);
    }
    sset_destroy(&chassis);
}

/* A gateway's locale services: its uplinks on its preferred edges.  A
 * tier-1's uplink is its link to its tier-0, a tier-0's are its
 * interfaces. */
static void
map_locale_services(struct mapper *m, const struct intent_obj *ls)
{
    const struct json *edges = intent_get_array(ls->json,
                                                "preferred_edge_paths");
    const struct intent_obj *router = ls->parent;
    const struct intent_obj *iface;
    struct intent_row *lrp;

    if (router->kind == INTENT_TIER1) {
        lrp = intent_rows_find(m->rows, LRP, router->path, "uplink");
        if (lrp) {
            place_port(m, ls, lrp, edges);
        }
        return;
    }
    FOR_EACH_OBJ (iface, INTENT_TIER0_INTERFACE, m->doc) {
        lrp = intent_rows_find(m->rows, LRP, iface->path, "");
        if (iface->parent == router && lrp) {
            place_port(m, ls, lrp, edges);
        }
    }
}

/* Groups. */

/* Whether segment port 'port' has tag 'value': "SCOPE|TAG" names a scope
 * and a tag, as NSX's conditions do, "TAG" a tag in any scope. */
static bool
port_has_tag(const struct intent_obj *port, const char *value)
{
    const struct json *tags = intent_get_array(port->json, "tags");
    const char *bar = strchr(value, '|');

    for (size_t i = 0; tags && i < tags->array.n; i++) {
        const char *scope = intent_get_string(tags->array.elems[i], "scope",
                                              "");
        const char *tag = intent_get_string(tags->array.elems[i], "tag", "");
        if (bar
            ? (!strcmp(tag, bar + 1) && strlen(scope) == bar - value
               && !strncmp(scope, value, bar - value))
            : !strcmp(tag, value)) {
            return true;
        }
    }
    return false;
}

static void
add_group_port(struct mapper *m, struct intent_row *pg, struct sset *added,
               const struct intent_obj *port)
{
    if (sset_add(added, port->path)) {
        intent_row_add_ref(pg, "ports", intent_rows_find(m->rows, LSP,
                                                         port->path, ""));
    }
}

static bool
group_has_addresses(const struct intent_obj *group)
{
    const struct json *exprs = intent_get_array(group->json, "expression");

    for (size_t i = 0; exprs && i < exprs->array.n; i++) {
        if (intent_get_array(exprs->array.elems[i], "ip_addresses")) {
            return true;
        }
    }
    return false;
}

/* A group's Port_Group holds its segment ports: those it names, those of
 * the segments it names, and those whose tags its conditions name (so a
 * port tagged later joins it).  Its Address_Set holds the addresses and
 * networks it names. */
static void
map_group(struct mapper *m, const struct intent_obj *group)
{
    const struct json *exprs = intent_get_array(group->json, "expression");
    struct intent_row *pg = intent_rows_get(m->rows, "Port_Group",
                                            group->path, "");
    struct sset added = SSET_INITIALIZER(&added);
    char *name = match_name("pg", group);
    const struct intent_obj *port;

    intent_row_set_string(pg, "name", name);
    free(name);
    if (group_has_addresses(group)) {
        struct intent_row *as = intent_rows_get(m->rows, "Address_Set",
                                                group->path, "ip-addresses");
        name = match_name("as", group);
        intent_row_set_string(as, "name", name);
        free(name);
        struct sset ips = SSET_INITIALIZER(&ips);
        for (size_t i = 0; exprs && i < exprs->array.n; i++) {
            const struct json *list = intent_get_array(exprs->array.elems[i],
                                                       "ip_addresses");
            for (size_t j = 0; list && j < list->array.n; j++) {
                const char *ip = json_string(list->array.elems[j]);
                if (sset_add(&ips, ip)) {
                    intent_row_add_string(as, "addresses", ip);
                }
            }
        }
        sset_destroy(&ips);
    }
    for (size_t i = 0; exprs && i < exprs->array.n; i++) {
        const struct json *expr = exprs->array.elems[i];
        const struct json *paths = intent_get_array(expr, "paths");
        const char *tag = intent_get_string(expr, "value", NULL);

        for (size_t j = 0; paths && j < paths->array.n; j++) {
            const struct intent_obj *member = intent_doc_find(
                m->doc, json_string(paths->array.elems[j]));
            FOR_EACH_OBJ (port, INTENT_SEGMENT_PORT, m->doc) {
                if (port == member || port->parent == member) {
                    add_group_port(m, pg, &added, port);
                }
            }
        }
        FOR_EACH_OBJ (port, INTENT_SEGMENT_PORT, m->doc) {
            if (tag && port_has_tag(port, tag)) {
                add_group_port(m, pg, &added, port);
            }
        }
    }
    sset_destroy(&added);
}

/* Firewall rules. */

/* The order of NSX's firewall categories. */
static int
category_rank(const struct intent_obj *policy)
{
    static const char *const categories[] = {
        "Ethernet", "Emergency", "Infrastructure", "Environment",
        "Application",
    };
    const char *category = intent_get_string(policy->json, "category",
                                             "Application");
    for (int i = 0; i < ARRAY_SIZE(categories); i++) {
        if (!strcmp(category, categories[i])) {
            return i;
        }
    }
    OVS_NOT_REACHED();
}

/* Orders rules as NSX's firewall evaluates them: by category, then by
 * their policies' sequence numbers, then by their own (ties by path). */
static int
compare_rules(const void *a_, const void *b_)
{
    const struct intent_obj *const *a = a_, *const *b = b_;
    const struct intent_obj *pa = (*a)->parent, *pb = (*b)->parent;
    long long int x, y;
    int cmp;

    cmp = category_rank(pa) - category_rank(pb);
    if (cmp) {
        return cmp;
    }
    x = intent_get_int(pa->json, "sequence_number", 0);
    y = intent_get_int(pb->json, "sequence_number", 0);
    if (x != y) {
        return x < y ? -1 : 1;
    }
    cmp = strcmp(pa->path, pb->path);
    if (cmp) {
        return cmp;
    }
    x = intent_get_int((*a)->json, "sequence_number", 0);
    y = intent_get_int((*b)->json, "sequence_number", 0);
    return x != y ? (x < y ? -1 : 1) : strcmp((*a)->path, (*b)->path);
}

/* Appends " && FIELD == {...}" for the addresses of 'groups' (a list of
 * group paths, or ["ANY"] or nothing for no condition): the address set
 * that OVN makes of each group's Port_Group, and the group's Address_Set. */
static void
put_group_addresses(struct mapper *m, struct ds *match, const char *field,
                    const struct json *groups)
{
    if (!groups || !groups->array.n
        || !strcmp(json_string(groups->array.elems[0]), "ANY")) {
        return;
    }
    ds_put_format(match, " && %s == {", field);
    for (size_t i = 0; i < groups->array.n; i++) {
        const struct intent_obj *group = intent_doc_find(
            m->doc, json_string(groups->array.elems[i]));
        char *pg = match_name("pg", group);
        ds_put_format(match, "%s$%s_ip4", i ? ", " : "", pg);
        if (group_has_addresses(group)) {
            char *as = match_name("as", group);
            ds_put_format(match, ", $%s", as);
            free(as);
        }
        free(pg);
    }
    ds_put_char(match, '}');
}

/* Appends " && ..." for 'ports' of 'field' ("tcp.dst"): single ports in
 * one set, each range as a pair of comparisons. */
static void
put_ports(struct ds *s, const char *field, const struct json *ports)
{
    struct svec singles = SVEC_EMPTY_INITIALIZER;
    struct svec parts = SVEC_EMPTY_INITIALIZER;

    for (size_t i = 0; ports && i < ports->array.n; i++) {
        const char *p = json_string(ports->array.elems[i]);
        const char *dash = strchr(p, '-');
        if (dash) {
            svec_add_nocopy(&parts, xasprintf("(%s >= %.*s && %s <= %s)",
                                              field, (int) (dash - p), p,
                                              field, dash + 1));
        } else {
            svec_add(&singles, p);
        }
    }
    if (singles.n) {
        char *list = svec_join(&singles, ", ", "");
        svec_add_nocopy(&parts, xasprintf(singles.n > 1 ? "%s == {%s}"
                                                        : "%s == %s",
                                          field, list));
        free(list);
    }
    if (parts.n) {
        char *all = svec_join(&parts, " || ", "");
        ds_put_format(s, parts.n > 1 ? " && (%s)" : " && %s", all);
        free(all);
    }
    svec_destroy(&singles);
    svec_destroy(&parts);
}

static void
put_service_entry(struct ds *s, const struct json *entry)
{
    const char *l4 = intent_get_string(entry, "l4_protocol", NULL);

    if (l4) {
        const char *proto = !strcmp(l4, "TCP") ? "tcp" : "udp";
        char *dst = xasprintf("%s.dst", proto);
        char *src = xasprintf("%s.src", proto);
        ds_put_format(s, "(%s", proto);
        put_ports(s, dst, intent_get_array(entry, "destination_ports"));
        put_ports(s, src, intent_get_array(entry, "source_ports"));
        ds_put_char(s, ')');
        free(dst);
        free(src);
    } else {
        long long int type = intent_get_int(entry, "icmp_type", -1);
        long long int code = intent_get_int(entry, "icmp_code", -1);
        ds_put_cstr(s, "(icmp4");
        if (type >= 0) {
            ds_put_format(s, " && icmp4.type == %lld", type);
        }
        if (code >= 0) {
            ds_put_format(s, " && icmp4.code == %lld", code);
        }
        ds_put_char(s, ')');
    }
}

/* Appends " && (...)" for the service entries of 'services'. */
static void
put_services(struct mapper *m, struct ds *match, const struct json *services)
{
    struct svec entries = SVEC_EMPTY_INITIALIZER;

    for (size_t i = 0; services && i < services->array.n; i++) {
        const char *path = json_string(services->array.elems[i]);
        const struct intent_obj *service = intent_doc_find(m->doc, path);
        const struct json *list = (service
                                   ? intent_get_array(service->json,
                                                      "service_entries")
                                   : NULL);
        for (size_t j = 0; list && j < list->array.n; j++) {
            struct ds s = DS_EMPTY_INITIALIZER;
            put_service_entry(&s, list->array.elems[j]);
            svec_add_nocopy(&entries, ds_steal_cstr(&s));
        }
    }
    if (entries.n) {
        char *all = svec_join(&entries, " || ", "");
        ds_put_format(match, entries.n > 1 ? " && (%s)" : " && %s", all);
        free(all);
    }
    svec_destroy(&entries);
}

/* The Port_Group of the rules whose scope is "ANY": every segment port. */
static struct intent_row *
any_scope_row(struct mapper *m)
{
    struct intent_row *pg = intent_rows_find(m->rows, "Port_Group", "/infra",
                                             "any-scope");
    const struct intent_obj *port;

    if (!pg) {
        pg = intent_rows_get(m->rows, "Port_Group", "/infra", "any-scope");
        intent_row_set_string(pg, "name", ANY_SCOPE_PG);
        FOR_EACH_OBJ (port, INTENT_SEGMENT_PORT, m->doc) {
            intent_row_add_ref(pg, "ports", intent_rows_find(
                                   m->rows, LSP, port->path, ""));
        }
    }
    return pg;
}

/* The groups where 'rule' applies: its own scope, else its policy's, else
 * none ("ANY"). */
static const struct json *
rule_scope(const struct intent_obj *rule)
{
    const struct json *scope = intent_get_array(rule->json, "scope");
    if (!scope || !scope->array.n
        || !strcmp(json_string(scope->array.elems[0]), "ANY")) {
        scope = intent_get_array(rule->parent->json, "scope");
    }
    if (!scope || !scope->array.n
        || !strcmp(json_string(scope->array.elems[0]), "ANY")) {
        return NULL;
    }
    return scope;
}

static const char *
rule_action(const struct intent_obj *rule)
{
    const char *action = intent_get_string(rule->json, "action", "");

    return (!strcmp(action, "DROP") ? "drop"
            : !strcmp(action, "REJECT") ? "reject"
            : intent_get_bool(rule->parent->json, "stateful", true)
            ? "allow-related" : "allow-stateless");
}

/* The ACL of 'rule' in direction 'in' (traffic to the scope's ports, else
 * from them) for the scope's Port_Group 'pg' named 'pg_name'. */
static void
map_rule_acl(struct mapper *m, const struct intent_obj *rule, bool in,
             const char *role, struct intent_row *pg, const char *pg_name,
             int priority)
{
    struct intent_row *acl = intent_rows_get(m->rows, "ACL", rule->path,
                                             role);
    struct ds match = DS_EMPTY_INITIALIZER;
    char *name = xmemdup0(rule->id, MIN(strlen(rule->id), 63));

    ds_put_format(&match, "%s == @%s && ip4", in ? "outport" : "inport",
                  pg_name);
    put_group_addresses(m, &match, "ip4.src",
                        intent_get_array(rule->json, "source_groups"));
    put_group_addresses(m, &match, "ip4.dst",
                        intent_get_array(rule->json, "destination_groups"));
    put_services(m, &match, intent_get_array(rule->json, "services"));

    intent_row_set_string(acl, "direction", in ? "to-lport" : "from-lport");
    intent_row_set(acl, "priority", json_integer_create(priority));
    intent_row_set_string(acl, "match", ds_cstr(&match));
    intent_row_set_string(acl, "action", rule_action(rule));
    intent_row_set(acl, "log", json_boolean_create(
                       intent_get_bool(rule->json, "logged", false)));
    intent_row_set_string(acl, "name", name);
    intent_row_add_ref(pg, "acls", acl);
    ds_destroy(&match);
    free(name);
}

static void
map_rule(struct mapper *m, const struct intent_obj *rule, int priority)
{
    const char *direction = intent_get_string(rule->json, "direction",
                                              "IN_OUT");
    const struct json *scope = rule_scope(rule);
    size_t n_scopes = scope ? scope->array.n : 1;

    if (intent_get_bool(rule->json, "disabled", false)) {
        return;
    }
    for (int in = 0; in < 2; in++) {
        if (!strcmp(direction, in ? "OUT" : "IN")) {
            continue;
        }
        for (size_t i = 0; i < n_scopes; i++) {
            const struct intent_obj *group = (scope ? intent_doc_find(
                m->doc, json_string(scope->array.elems[i])) : NULL);
            char *pg_name = (group ? match_name("pg", group)
                             : xstrdup(ANY_SCOPE_PG));
            struct intent_row *pg = (group
                                     ? intent_rows_get(m->rows, "Port_Group",
                                                       group->path, "")
                                     : any_scope_row(m));
            char *role = (n_scopes > 1
                          ? xasprintf("%s-%"PRIuSIZE, in ? "in" : "out", i)
                          : xstrdup(in ? "in" : "out"));
            map_rule_acl(m, rule, in, role, pg, pg_name, priority);
            free(role);
            free(pg_name);
        }
    }
}

static void
map_rules(struct mapper *m)
{
    size_t n = m->doc->n[INTENT_RULE];
    const struct intent_obj **rules;

    if (n > INTENT_ACL_PRIORITY_MAX) {
        svec_add_nocopy(m->errors, xasprintf(
                            "/: %"PRIuSIZE" rules, more than the %d that "
                            "ACL priorities can order", n,
                            INTENT_ACL_PRIORITY_MAX));
        return;
    }
    rules = xmemdup(m->doc->kinds[INTENT_RULE], n * sizeof *rules);
    qsort(rules, n, sizeof *rules, compare_rules);
    for (size_t i = 0; i < n; i++) {
        map_rule(m, rules[i], INTENT_ACL_PRIORITY_MAX - i);
    }
    free(rules);
}

/* Reports the wanted rows that would have one name in a table whose names
 * are unique, two segment ports with one attachment id for example, as
 * "PATH: TABLE name "NAME" is also that of OTHER-PATH". */
static void
check_unique_names(struct mapper *m)
{
    struct shash names = SHASH_INITIALIZER(&names);
    struct svec errors = SVEC_EMPTY_INITIALIZER;
    const struct intent_row *row;

    HMAP_FOR_EACH (row, hmap_node, &m->rows->rows) {
        const char *name = intent_get_string(row->columns, "name", NULL);
        if (!name || !intent_table_find(row->table)->unique_name) {
            continue;
        }
        char *key = xasprintf("%s %s", row->table, name);
        const struct intent_row *other = shash_find_data(&names, key);
        if (other) {
            bool first = strcmp(row->path, other->path) < 0;
            svec_add_nocopy(&errors, xasprintf(
                                "%s: %s name \"%s\" is also that of %s",
                                first ? other->path : row->path, row->table,
                                name, first ? row->path : other->path));
            free(key);
        } else {
            shash_add_nocopy(&names, key, row);
        }
    }
    svec_sort(&errors);
    svec_append(m->errors, &errors);
    svec_destroy(&errors);
    shash_destroy(&names);
}

/* Adds to 'rows' the northbound rows that 'doc' wants.  Returns false,
 * with the causes in 'errors', if the document cannot be mapped. */
bool
intent_map(const struct intent_doc *doc, struct intent_rows *rows,
           struct svec *errors)
{
    struct mapper m = { .doc = doc, .rows = rows, .errors = errors };
    size_t n_errors = errors->n;
    const struct intent_obj *obj;

    FOR_EACH_OBJ (obj, INTENT_TIER0, doc) {
        map_router(&m, obj);
    }
    FOR_EACH_OBJ (obj, INTENT_TIER1, doc) {
        map_router(&m, obj);
    }
    FOR_EACH_OBJ (obj, INTENT_SEGMENT, doc) {
        map_segment(&m, obj);
    }
    FOR_EACH_OBJ (obj, INTENT_SEGMENT_PORT, doc) {
        map_segment_port(&m, obj);
    }
    FOR_EACH_OBJ (obj, INTENT_TIER0_INTERFACE, doc) {
        map_tier0_interface(&m, obj);
    }
    FOR_EACH_OBJ (obj, INTENT_STATIC_ROUTES, doc) {
        map_static_routes(&m, obj);
    }
    FOR_EACH_OBJ (obj, INTENT_LOCALE_SERVICES, doc) {
        map_locale_services(&m, obj);
    }
    FOR_EACH_OBJ (obj, INTENT_NAT_RULE, doc) {
        map_nat_rule(&m, obj);
    }
    FOR_EACH_OBJ (obj, INTENT_GROUP, doc) {
        map_group(&m, obj);
    }
    map_rules(&m);
    check_unique_names(&m);
    return errors->n == n_errors;
}
