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

#ifndef NETDEV_DPU_H
#define NETDEV_DPU_H 1

/* Host-side netdevs for ports that live on a DPU.
 *
 * A port of a "dpu" datapath is opened on the host as a netdev of type "dpu"
 * (or "dpu-internal" for internal ports).  Such a netdev has no device on the
 * host: it is a proxy that answers statistics, carrier, MAC and MTU queries
 * by asking the DPU that carries the port, so that Interface:statistics,
 * link_state, mac_in_use and mtu show the DPU's real values, and that
 * configures QoS and queues (the QoS and Queue tables) on the DPU's
 * device. */

#include <stdbool.h>

#include <stdbool.h>
#include <stdint.h>

struct netdev;
struct smap;

void netdev_dpu_register(void);

bool netdev_is_dpu(const struct netdev *);

/* The DPU named by the netdev's options:dpu, or NULL if none was given. */
const char *netdev_dpu_get_dpu_name(const struct netdev *);

/* In an active-standby pair, the device that takes the port's place on the
 * other DPU (options:dpu-peer), or NULL. */
const char *netdev_dpu_get_peer(const struct netdev *);

/* The port type on the DPU (options:dpu-port-type), or NULL for the agent's
 * default. */
const char *netdev_dpu_get_port_type(const struct netdev *);

/* Whether the dpu netdev named 'name' is marked as an uplink of its DPU
 * (options:dpu-uplink=true).  False if there is no such netdev. */
bool netdev_dpu_is_uplink(const char *name);

/* A count that changes whenever options:dpu-uplink of a dpu netdev does (and
 * dpu_conn_seq() then changes too). */
uint64_t netdev_dpu_uplink_changes(void);

/* Adds to 'options' the configuration of the DPU's device for the dpu
 * netdev named 'name': its options other than "dpu" and "dpu-port-type".
 * Adds nothing if there is no such netdev. */
void netdev_dpu_get_dpu_options(const char *name, struct smap *options);

/* To be called after the port of the dpu netdev named 'name' was (re)added
 * to DPU 'conn' as device 'devname', or found there at a re-sync: applies to
 * that device what
 * the host asked for, which the DPU may have missed or lost (MTU, MAC
 * address, device flags, then QoS and queues).  Returns 0 or a positive
 * errno value for the MTU, MAC and flags; a refused QoS is logged, not
 * returned, since the port works without it.  Does nothing if there is no
 * such netdev. */
struct dpu_conn;
int netdev_dpu_port_added(const char *name, struct dpu_conn *conn,
                          const char *devname);

/* Tells every dpu netdev named 'name' that its device changed on the DPU. */
void netdev_dpu_port_changed(const char *name);

/* With 'by_events', makes the dpu netdev named 'name' take its link
 * (carrier and flags) from its DPU only after netdev_dpu_port_changed(name),
 * not whenever it reads the device: for an uplink of an active-standby pair,
 * whose change on the active DPU may make the pair fail over, so that the
 * host sees the link of the device that forwards after the decision.  See
 * dpu_ha_dp_hold_change() in dpu-ha.h. */
void netdev_dpu_set_link_by_events(const char *name, bool by_events);

#endif /* netdev-dpu.h */
