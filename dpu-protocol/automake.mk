# The host<->DPU protocol: the wire format, its codec, the channel that
# frames it and the check of the ODP actions it carries; and the format of
# the unified bundle, which host and DPUs both verify, with the client of
# the emulated boot loader's control socket.  A library of its
# own, linked by everything that speaks the protocol: ovs-vswitchd (through
# dpif-dpu), the DPU agent, ovs-dpuctl and the fuzzer.
noinst_LTLIBRARIES += dpu/dpu-protocol/libdpu-protocol.la
dpu_dpu_protocol_libdpu_protocol_la_SOURCES = \
	dpu/dpu-protocol/dpu-actions.c \
	dpu/dpu-protocol/dpu-actions.h \
	dpu/dpu-protocol/dpu-boot-client.c \
	dpu/dpu-protocol/dpu-boot-client.h \
	dpu/dpu-protocol/dpu-bundle.c \
	dpu/dpu-protocol/dpu-bundle.h \
	dpu/dpu-protocol/dpu-channel.c \
	dpu/dpu-protocol/dpu-channel.h \
	dpu/dpu-protocol/dpu-codec.c \
	dpu/dpu-protocol/dpu-codec.h \
	dpu/dpu-protocol/dpu-codec-ct-sync.c \
	dpu/dpu-protocol/dpu-codec-dp.c \
	dpu/dpu-protocol/dpu-codec-ha.c \
	dpu/dpu-protocol/dpu-codec-image.c \
	dpu/dpu-protocol/dpu-codec-obs.c \
	dpu/dpu-protocol/dpu-codec-private.h \
	dpu/dpu-protocol/dpu-codec-route.c \
	dpu/dpu-protocol/dpu-crash-point.c \
	dpu/dpu-protocol/dpu-crash-point.h \
	dpu/dpu-protocol/dpu-wire.h

# dpu-wire.h is for DPU vendors: it must compile with nothing but the C
# library, whatever OVS's headers provide.
ALL_LOCAL += dpu/dpu-protocol/dpu-wire.stamp
dpu/dpu-protocol/dpu-wire.stamp: $(srcdir)/dpu/dpu-protocol/dpu-wire.h
	$(AM_V_GEN)$(MKDIR_P) dpu/dpu-protocol && \
	$(CC) -std=c11 -Wall -Wextra -Werror -fsyntax-only -x c \
		$(srcdir)/dpu/dpu-protocol/dpu-wire.h && touch $@
CLEANFILES += dpu/dpu-protocol/dpu-wire.stamp
