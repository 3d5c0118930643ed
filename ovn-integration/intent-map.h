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

#ifndef INTENT_MAP_H
#define INTENT_MAP_H 1

/* The mapping of a validated intent document onto OVN northbound rows
 * (Documentation/topics/dpu-nsx-intent.rst has the table):
 *
 *   Segment         -> Logical_Switch, its router port on its gateway
 *                      (Logical_Switch_Port + Logical_Router_Port), a
 *                      localnet port for a VLAN segment, DHCP_Options
 *   SegmentPort     -> Logical_Switch_Port named by its attachment (VIF) id
 *   Tier0, Tier1    -> Logical_Router; a tier-1 on a tier-0 is linked to it
 *                      by peer router ports in the tier-0's transit subnet
 *   Tier0Interface  -> Logical_Router_Port + router Logical_Switch_Port
 *   LocaleServices  -> Gateway_Chassis of the gateway's uplinks
 *   StaticRoutes    -> Logical_Router_Static_Route, one per next hop
 *   PolicyNatRule   -> NAT
 *   Group           -> Port_Group (its ports) + Address_Set (its IPs)
 *   Rule            -> ACL in the Port_Group of its scope, one per
 *                      direction, priority from the sequence numbers
 *
 * Services and security policies have no rows of their own: they shape the
 * rules' ACLs. */

#include <stdbool.h>

struct intent_doc;
struct intent_rows;
struct svec;

/* The priority of the first rule's ACLs; each rule after it in the
 * firewall's order is one lower. */
#define INTENT_ACL_PRIORITY_MAX 32000

bool intent_map(const struct intent_doc *, struct intent_rows *,
                struct svec *errors);

#endif /* intent-map.h */
