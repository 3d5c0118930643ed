# The host side: the dpu datapath provider, the DPU-port netdev, the channel
# and the protocol codec (shared with the agent) go into libopenvswitch, so
# that every program that opens datapaths knows the "dpu" type.
lib_libopenvswitch_la_SOURCES += \
	dpu/dpif-dpu/dpif-dpu.c \
	dpu/dpif-dpu/dpu-actions.c \
	dpu/dpif-dpu/dpu-actions.h \
	dpu/dpif-dpu/dpu-alarm.c \
	dpu/dpif-dpu/dpu-alarm.h \
	dpu/dpif-dpu/dpu-channel.c \
	dpu/dpif-dpu/dpu-channel.h \
	dpu/dpif-dpu/dpu-conn.c \
	dpu/dpif-dpu/dpu-conn.h \
	dpu/dpif-dpu/dpu-ha.c \
	dpu/dpif-dpu/dpu-ha.h \
	dpu/dpif-dpu/dpu-ipfix.c \
	dpu/dpif-dpu/dpu-ipfix.h \
	dpu/dpif-dpu/dpu-metrics.c \
	dpu/dpif-dpu/dpu-metrics.h \
	dpu/dpif-dpu/dpu-protocol.c \
	dpu/dpif-dpu/dpu-protocol.h \
	dpu/dpif-dpu/netdev-dpu.c \
	dpu/dpif-dpu/netdev-dpu.h

# DPU rows of the Open_vSwitch database: ovs-vswitchd only.
vswitchd_ovs_vswitchd_SOURCES += \
	dpu/dpif-dpu/dpu-ovsdb.c \
	dpu/dpif-dpu/dpu-ovsdb.h

EXTRA_DIST += \
	dpu/dpif-dpu/dpu-schema.json \
	dpu/dpif-dpu/dpu-table.xml
