# OVS-DPU's part of the Open vSwitch build.  Included at the end of OVS's
# Makefile.am (see ovs/patches/0002-build-*), with this project's folders
# linked under dpu/ by ovs/prepare.sh.

AM_CPPFLAGS += -I $(top_srcdir)/dpu/dpif-dpu

EXTRA_DIST += \
	dpu/ovs/prepare.sh \
	dpu/ovs/merge-schema.py \
	dpu/ovs/sync-tree.py

include dpu/dpif-dpu/automake.mk
include dpu/dpu-agent/automake.mk
include dpu/utilities/automake.mk
include dpu/bench/automake.mk
include dpu/tests/automake.mk
