bin_PROGRAMS += dpu/utilities/ovs-dpuctl
dpu_utilities_ovs_dpuctl_SOURCES = \
	dpu/utilities/ovs-dpuctl.c \
	dpu/utilities/dpuctl-install.c \
	dpu/utilities/dpuctl-logs.c \
	dpu/utilities/dpuctl-session.c \
	dpu/utilities/dpuctl.h
dpu_utilities_ovs_dpuctl_LDADD = \
	dpu/dpu-protocol/libdpu-protocol.la \
	lib/libopenvswitch.la
dist_man_MANS += dpu/utilities/ovs-dpuctl.8

bin_PROGRAMS += dpu/utilities/ovs-dpu-bundle
dpu_utilities_ovs_dpu_bundle_SOURCES = dpu/utilities/ovs-dpu-bundle.c
dpu_utilities_ovs_dpu_bundle_LDADD = \
	dpu/dpu-protocol/libdpu-protocol.la \
	lib/libopenvswitch.la
dist_man_MANS += dpu/utilities/ovs-dpu-bundle.8
