sbin_PROGRAMS += dpu/dpu-agent/ovs-dpu-agent
dpu_dpu_agent_ovs_dpu_agent_SOURCES = \
	dpu/dpu-agent/ovs-dpu-agent.c \
	dpu/dpu-agent/agent-metrics.c \
	dpu/dpu-agent/agent-metrics.h \
	dpu/dpu-agent/agent-server.c \
	dpu/dpu-agent/agent-server.h
dpu_dpu_agent_ovs_dpu_agent_LDADD = lib/libopenvswitch.la
dist_man_MANS += dpu/dpu-agent/ovs-dpu-agent.8
