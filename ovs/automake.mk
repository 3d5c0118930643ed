# OVS-DPU's part of the Open vSwitch build.  Included at the end of OVS's
# Makefile.am (see ovs/patches/0002-build-*), with this project's folders
# linked under dpu/ by ovs/prepare.sh.

# Every program may speak the protocol; host-only headers (dpif-dpu/) are
# reached by path, so that nothing includes them by accident.
AM_CPPFLAGS += -I $(top_srcdir)/dpu/dpu-protocol

EXTRA_DIST += \
	dpu/ovs/prepare.sh \
	dpu/ovs/merge-schema.py \
	dpu/ovs/sync-tree.py

include dpu/dpu-protocol/automake.mk
include dpu/dpif-dpu/automake.mk
include dpu/dpu-agent/automake.mk
include dpu/utilities/automake.mk
include dpu/ovn-integration/automake.mk
include dpu/bench/automake.mk
include dpu/tests/automake.mk
