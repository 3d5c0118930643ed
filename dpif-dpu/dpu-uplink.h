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

#ifndef DPU_UPLINK_H
#define DPU_UPLINK_H 1

/* The links of a datapath's uplinks.
 *
 * An uplink is a port through which a DPU reaches the physical network: an
 * uplink of an active-standby pair (a port with options:dpu-peer, see
 * dpu-ha.h), on each DPU of the pair, or a port marked with
 * options:dpu-uplink=true (see netdev-dpu.h), in any mode.  This module
 * reads the link of each uplink on its DPU (carrier, and administratively
 * up), raises and clears the uplink's "uplink-down" alarm (dpu-alarm.h),
 * and tells dpu-ha which DPU of the pair lost the links of all of its
 * uplinks, a reason to fail over (dpu_ha_set_links_down()).
 *
 * Each datapath has one struct dpu_uplinks, which its "dpu_ha" thread runs
 * (see struct dpu_ha_dp in dpu-ha.h).  Only that thread may call
 * dpu_uplinks_run(), and dpu_uplinks_destroy() only once it has stopped;
 * any thread may call dpu_uplinks_changed(), with any lock held. */

#include <stdbool.h>
#include <stddef.h>
#include "openvswitch/types.h"

struct dpu_conn;

/* A port of a datapath, on one of the DPUs that it lives on. */
struct dpu_uplink_port {
    struct dpu_conn *conn;      /* Reference. */
    char *dev;                  /* The port's device on 'conn'. */
    char *port;                 /* The datapath port's name. */
    odp_port_t port_no;         /* The datapath port's number. */
    bool pair_uplink;           /* An uplink of the pair (options:dpu-peer),
                                 * whose links decide failovers. */
};

/* Callback with which dpu_uplinks_run() asks the datapath for its ports:
 * stores in '*portsp' a malloc()ed array with an element for each port on
 * each DPU that it lives on, uplink or not (dpu_uplinks_run() reads
 * options:dpu-uplink itself), or NULL if there is none, and returns how
 * many there are.
 * The caller owns what it gets (the array, its strings and its references)
 * and frees it with dpu_uplink_ports_free().  Called with no lock of this
 * module held; may take the datapath's locks. */
typedef size_t dpu_uplink_ports_cb(void *aux,
                                   struct dpu_uplink_port **portsp);

/* Frees the 'n' elements of 'ports' that a dpu_uplink_ports_cb gave, what
 * they own, and 'ports'. */
void dpu_uplink_ports_free(struct dpu_uplink_port *ports, size_t n);

/* Returns a new monitor, which has raised no alarm yet and reads the links
 * at its first dpu_uplinks_run(). */
struct dpu_uplinks *dpu_uplinks_create(void);

/* Clears every alarm that 'uplinks' raised and frees it.  Does nothing if
 * 'uplinks' is NULL. */
void dpu_uplinks_destroy(struct dpu_uplinks *uplinks);

/* Makes the next dpu_uplinks_run() read the links again: the datapath's
 * ports changed, or the device of one of them changed on its DPU.  The
 * caller also changes dpu_conn_seq() to wake the "dpu_ha" thread, unless it
 * knows that something else does. */
void dpu_uplinks_changed(struct dpu_uplinks *uplinks);

/* If dpu_uplinks_changed() was called since the last run, or an
 * options:dpu-uplink changed (netdev_dpu_uplink_changes()), reads the links
 * of the uplinks among the ports that 'get_ports' gives, with a request to
 * each DPU for each uplink; otherwise does nothing.  Raises or clears the
 * "uplink-down" alarm of each uplink (those of a DPU that is down stay until
 * it is back), and calls dpu_ha_set_links_down() for each DPU of the pair.
 * Returns true if the active DPU of the pair has lost the links of all of
 * its uplinks, false otherwise. */
bool dpu_uplinks_run(struct dpu_uplinks *uplinks,
                     dpu_uplink_ports_cb *get_ports, void *aux);

#endif /* dpu-uplink.h */
