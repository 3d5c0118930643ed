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

#ifndef DPU_ACTIONS_H
#define DPU_ACTIONS_H 1

/* Checking ODP actions that came over the wire.
 *
 * OVS's userspace datapath executes actions that ofproto-dpif built in the
 * same process, and trusts them: odp_execute_actions() and dpif-netdev
 * abort on an action type they do not know and read each argument at the
 * size its type implies.  The DPU agent gets its actions from the host over
 * the protocol, so it checks them first, the way the Linux kernel's
 * datapath checks actions from userspace (ovs_nla_copy_actions()), before
 * a FLOW_PUT installs them or an EXECUTE runs them.
 *
 * dpu_actions_check() accepts exactly what the userspace datapath executes
 * without reading or writing outside the action or aborting:
 *
 *   - The action list and every nested list are well formed Netlink
 *     attributes, nested at most DPU_ACTIONS_MAX_DEPTH deep (clone, sample
 *     and check_pkt_len each add a level).
 *
 *   - Every action is of a type that OVS 3.1's userspace datapath knows,
 *     and its argument has the length its type requires.
 *
 *   - set() and set_masked() carry one key attribute of a type the
 *     datapath can set (not, for example, vlan or ct_state), whose length
 *     is the key's (twice that for set_masked: value then mask); a tunnel
 *     key parses; NSH keys parse.
 *
 *   - Nested arguments (userspace, sample, ct and its nat, check_pkt_len,
 *     push_nsh) hold only attributes of known types with the required
 *     ones present and each of the right length; strings are terminated.
 *
 *   - hash names a known algorithm; trunc keeps at least an Ethernet
 *     header.
 *
 *   - tnl_push carries an Ethernet header for IPv4 or IPv6, then the IP
 *     header and the tunnel's own header for its 'tnl_type', all within
 *     'header_len', which is within the attribute.  Whether the tunnel port
 *     is of that type is the caller's to check, through 'check_tnl_push'.
 *
 * It does not check that the actions make sense for the flow's key (a
 * set(ipv4()) in a flow that matches ARP, for instance): the userspace
 * datapath does not need that to stay within its buffers, and ofproto-dpif
 * on the host does not build such flows. */

#include <stddef.h>
#include <stdint.h>

struct ds;
struct nlattr;
struct ovs_action_push_tnl;

/* Deepest nesting of action lists that dpu_actions_check() accepts, as the
 * kernel datapath's OVS_COPY_ACTIONS_MAX_DEPTH. */
#define DPU_ACTIONS_MAX_DEPTH 16

/* Called by dpu_actions_check() for every tnl_push action whose header is
 * well formed, with 'aux'.  Returns 0 if the action may run, otherwise a
 * positive errno value after appending the reason to 'why'. */
typedef int dpu_check_tnl_push_func(const struct ovs_action_push_tnl *,
                                    void *aux, struct ds *why);

/* Checks the 'size' bytes of ODP actions at 'actions' as described above.
 * Returns 0 if they are acceptable.  Otherwise returns EINVAL (or what
 * 'check_tnl_push' returned) and appends to 'why' a message that names the
 * offending action and the reason, e.g. "action 2 (set): key type 5 cannot be
 * set".  'check_tnl_push' may be null. */
int dpu_actions_check(const struct nlattr *actions, size_t size,
                      dpu_check_tnl_push_func *check_tnl_push, void *aux,
                      struct ds *why);

#endif /* dpu-actions.h */
