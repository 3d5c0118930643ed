sbin_PROGRAMS += dpu/dpu-agent/ovs-dpu-agent
dpu_dpu_agent_ovs_dpu_agent_SOURCES = \
	dpu/dpu-agent/ovs-dpu-agent.c \
	dpu/dpu-agent/agent-bond.c \
	dpu/dpu-agent/agent-bond.h \
	dpu/dpu-agent/agent-conntrack.c \
	dpu/dpu-agent/agent-conntrack.h \
	dpu/dpu-agent/agent-crash-point.c \
	dpu/dpu-agent/agent-crash-point.h \
	dpu/dpu-agent/agent-ct-sync.c \
	dpu/dpu-agent/agent-ct-sync.h \
	dpu/dpu-agent/agent-datapath.c \
	dpu/dpu-agent/agent-datapath.h \
	dpu/dpu-agent/agent-emulation.c \
	dpu/dpu-agent/agent-emulation.h \
	dpu/dpu-agent/agent-ha.c \
	dpu/dpu-agent/agent-ha.h \
	dpu/dpu-agent/agent-handover.c \
	dpu/dpu-agent/agent-handover.h \
	dpu/dpu-agent/agent-health.c \
	dpu/dpu-agent/agent-health.h \
	dpu/dpu-agent/agent-image.c \
	dpu/dpu-agent/agent-image.h \
	dpu/dpu-agent/agent-ipfix.c \
	dpu/dpu-agent/agent-ipfix.h \
	dpu/dpu-agent/agent-logs.c \
	dpu/dpu-agent/agent-logs.h \
	dpu/dpu-agent/agent-meter.c \
	dpu/dpu-agent/agent-meter.h \
	dpu/dpu-agent/agent-metrics.c \
	dpu/dpu-agent/agent-metrics.h \
	dpu/dpu-agent/agent-qos.c \
	dpu/dpu-agent/agent-qos.h \
	dpu/dpu-agent/agent-route.c \
	dpu/dpu-agent/agent-route.h \
	dpu/dpu-agent/agent-server.c \
	dpu/dpu-agent/agent-server.h \
	dpu/dpu-agent/agent-upcall.c \
	dpu/dpu-agent/agent-upcall.h
# ofproto/libofproto.la for OVS's IPFIX exporter (ofproto-dpif-ipfix): the
# linker takes only that and the collectors it uses.  No dpif-dpu: the agent
# serves a userspace datapath and knows nothing of the host's provider.
dpu_dpu_agent_ovs_dpu_agent_LDADD = \
	dpu/dpu-protocol/libdpu-protocol.la \
	ofproto/libofproto.la \
	lib/libopenvswitch.la
dist_man_MANS += dpu/dpu-agent/ovs-dpu-agent.8

# The emulated DPU's boot loader: image banks, boot phases, watchdog and
# rollback (Documentation/topics/dpu-lifecycle.rst).
sbin_PROGRAMS += dpu/dpu-agent/ovs-dpu-boot
dpu_dpu_agent_ovs_dpu_boot_SOURCES = \
	dpu/dpu-agent/ovs-dpu-boot.c \
	dpu/dpu-agent/boot-banks.c \
	dpu/dpu-agent/boot-loader.h \
	dpu/dpu-agent/boot-sequence.c
dpu_dpu_agent_ovs_dpu_boot_LDADD = \
	dpu/dpu-protocol/libdpu-protocol.la \
	lib/libopenvswitch.la
dist_man_MANS += dpu/dpu-agent/ovs-dpu-boot.8
