# The host side: the dpu datapath provider, the DPU-port netdev, the DPU
# connections, active-standby pairs, the uplinks' links, alarms, metrics and
# IPFIX.  Only ovs-vswitchd registers the provider (see dpu-ovsdb.c); the
# DPU agent never links this library.
noinst_LTLIBRARIES += dpu/dpif-dpu/libdpif-dpu.la
dpu_dpif_dpu_libdpif_dpu_la_SOURCES = \
	dpu/dpif-dpu/dpif-dpu.c \
	dpu/dpif-dpu/dpif-dpu-ct.c \
	dpu/dpif-dpu/dpif-dpu-bond.c \
	dpu/dpif-dpu/dpif-dpu-crash-point.c \
	dpu/dpif-dpu/dpif-dpu-crash-point.h \
	dpu/dpif-dpu/dpif-dpu-meter.c \
	dpu/dpif-dpu/dpif-dpu-private.h \
	dpu/dpif-dpu/dpif-dpu.h \
	dpu/dpif-dpu/dpu-alarm.c \
	dpu/dpif-dpu/dpu-alarm.h \
	dpu/dpif-dpu/dpu-conn.c \
	dpu/dpif-dpu/dpu-conn.h \
	dpu/dpif-dpu/dpu-ct-sync.c \
	dpu/dpif-dpu/dpu-ct-sync.h \
	dpu/dpif-dpu/dpu-ha.c \
	dpu/dpif-dpu/dpu-ha.h \
	dpu/dpif-dpu/dpu-install.c \
	dpu/dpif-dpu/dpu-install.h \
	dpu/dpif-dpu/dpu-ipfix.c \
	dpu/dpif-dpu/dpu-ipfix.h \
	dpu/dpif-dpu/dpu-metrics.c \
	dpu/dpif-dpu/dpu-metrics.h \
	dpu/dpif-dpu/dpu-route.c \
	dpu/dpif-dpu/dpu-route.h \
	dpu/dpif-dpu/dpu-uplink.c \
	dpu/dpif-dpu/dpu-uplink.h \
	dpu/dpif-dpu/netdev-dpu.c \
	dpu/dpif-dpu/netdev-dpu.h

# DPU rows of the Open_vSwitch database: ovs-vswitchd only.  The libraries
# come before libopenvswitch, whose functions they call.
vswitchd_ovs_vswitchd_SOURCES += \
	dpu/dpif-dpu/dpu-ovsdb.c \
	dpu/dpif-dpu/dpu-ovsdb.h
vswitchd_ovs_vswitchd_LDADD += \
	dpu/dpif-dpu/libdpif-dpu.la \
	dpu/dpu-protocol/libdpu-protocol.la \
	ofproto/libofproto.la \
	lib/libopenvswitch.la

EXTRA_DIST += \
	dpu/dpif-dpu/dpu-schema.json \
	dpu/dpif-dpu/dpu-table.xml
