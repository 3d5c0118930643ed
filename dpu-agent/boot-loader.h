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

#ifndef BOOT_LOADER_H
#define BOOT_LOADER_H 1

/* The parts of ovs-dpu-boot, the emulated boot loader (see the comment at
 * the top of ovs-dpu-boot.c): its options and commands (ovs-dpu-boot.c),
 * its image banks and boot state on disk (boot-banks.c) and its boot
 * sequence (boot-sequence.c).  One thread. */

#include <stdbool.h>
#include <stddef.h>
#include "svec.h"

struct process;

/* Options (ovs-dpu-boot.c). */
extern char *boot_dir;          /* Banks and state. */
extern char *trust_file;        /* --trust: the DPU's own trust anchor. */
extern char *agent_ctl;         /* --agent-unixctl: the service's. */
extern int watchdog_ms;         /* --watchdog. */
extern char **agent_args;       /* After "--": the service's options. */
extern size_t n_agent_args;
extern bool host_mode;          /* --host: the host's boot loader. */
extern struct svec dpu_ctls;    /* --dpu-boot: the control sockets of the
                                 * boot loaders of the host's DPUs. */

/* The bundle component that the banks hold ("dpu", or "host"), and the
 * service that starts at jumpstart ("ovs-dpu-agent", or "ovs-vswitchd"). */
const char *boot_component(void);
const char *boot_service(void);

enum boot_phase {
    PHASE_BOOT_LOADER,          /* Choosing a bank. */
    PHASE_EARLY_BOOT,           /* Checking and unpacking it. */
    PHASE_DEVICES,              /* Host: waiting for its DPUs to boot. */
    PHASE_JUMPSTART,            /* Agent started, not answering yet. */
    PHASE_READY,                /* Agent answers on its control socket. */
    PHASE_HALTED,               /* No bank boots. */
};


/* Injected faults (--enable-dummy), each for the next boot only. */
enum boot_fault {
    FAULT_NONE,
    FAULT_CRASH,                /* Early boot crashes. */
    FAULT_HANG,                 /* Early boot never ends. */
};

struct boot {
    /* Kept in boot.json, so that they survive the boot loader's own
     * restart (a power cycle). */
    char current;               /* Committed bank, 'a' or 'b', or 0. */
    char trial;                 /* Bank written, not yet booted, or 0. */
    bool rollback;              /* Operator asked for the other bank. */
    unsigned int n_boots;
    char *last_failure;
    unsigned int n_reboots;     /* Host: reboots of the whole system. */
    bool coordinated;           /* Host: this system reboot is one that the
                                 * host made to bring its DPUs to its own
                                 * version. */

    /* This run only. */
    enum boot_phase phase;
    char bank;                  /* Bank being booted. */
    long long int watchdog;     /* Deadline before jumpstart. */
    struct process *agent;
    struct process *unpack;     /* "tar" in early boot. */
    enum boot_fault fault;
    bool hung;
    long long int next_poll;    /* Host: when to ask the DPUs again. */
    bool stop;                  /* Stop the agent: reboot asked for. */
};

/* The boot sequence (boot-sequence.c). */
const char *phase_name(enum boot_phase);
void boot_run(struct boot *);
void boot_wait(struct boot *);
void stop_agent(struct boot *);

/* Host: reboots the whole system, every DPU and the host, for 'why'. */
void reboot_system(struct boot *, const char *why);

/* Banks and boot state (boot-banks.c). */
void remove_tree(const char *path);
char *bank_dir(char bank);
char other_bank(char bank);
char *bank_version(char bank);
void state_save(const struct boot *);
void state_load(struct boot *);
char *install(struct boot *, const char *bundle_file, bool force);

/* Named crash points of install() (see dpu-crash-point.h), with the
 * commands boot/crash-point/{list,arm,disarm}: for --enable-dummy. */
void boot_crash_points_register(void);

#endif /* boot-loader.h */
