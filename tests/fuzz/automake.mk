# A libFuzzer target for the protocol decoder: "make fuzz-dpu" builds it,
# "make fuzz-dpu-run" runs it (see Documentation/topics/dpu-fuzzing.rst).
#
# Fuzzing is optional and needs clang with libFuzzer, which the rest of the
# build does not, so the fuzzer has a rule of its own instead of being an
# automake program.  The harness, the protocol codec, the action checker
# and the upstream code that the harness reaches through them (Netlink
# attributes, ODP keys and actions, flow extraction, action execution and
# packet editing) are compiled with libFuzzer's instrumentation and the
# sanitizers; they take the place of their gcc-built objects in
# libopenvswitch, which provides everything else.
FUZZ_CC = clang
FUZZ_CFLAGS = -g -O1 -fno-omit-frame-pointer \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
FUZZ_SECONDS = 60
FUZZ_FLAGS =

DPU_FUZZER = dpu/tests/fuzz/dpu-protocol-fuzzer
DPU_FUZZER_SRCS = \
	$(srcdir)/dpu/tests/fuzz/dpu-protocol-fuzzer.c \
	$(srcdir)/dpu/dpu-protocol/dpu-codec.c \
	$(srcdir)/dpu/dpu-protocol/dpu-codec-ct-sync.c \
	$(srcdir)/dpu/dpu-protocol/dpu-codec-dp.c \
	$(srcdir)/dpu/dpu-protocol/dpu-codec-obs.c \
	$(srcdir)/dpu/dpu-protocol/dpu-codec-ha.c \
	$(srcdir)/dpu/dpu-protocol/dpu-codec-image.c \
	$(srcdir)/dpu/dpu-protocol/dpu-codec-route.c \
	$(srcdir)/dpu/dpu-protocol/dpu-bundle.c \
	$(srcdir)/dpu/dpu-protocol/dpu-actions.c \
	$(srcdir)/lib/netlink.c \
	$(srcdir)/lib/odp-util.c \
	$(srcdir)/lib/odp-execute.c \
	$(srcdir)/lib/packets.c \
	$(srcdir)/lib/dp-packet.c \
	$(srcdir)/lib/flow.c
DPU_FUZZ_CORPUS = dpu/tests/fuzz/corpus
EXTRA_DIST += dpu/tests/fuzz/dpu-protocol-fuzzer.c
CLEANFILES += $(DPU_FUZZER)

# Writes the seed corpus.  Built by gcc like the rest, only when needed.
EXTRA_PROGRAMS += dpu/tests/fuzz/dpu-protocol-seeds
dpu_tests_fuzz_dpu_protocol_seeds_SOURCES = \
	dpu/tests/fuzz/dpu-protocol-seeds.c
dpu_tests_fuzz_dpu_protocol_seeds_LDADD = \
	dpu/dpu-protocol/libdpu-protocol.la \
	lib/libopenvswitch.la
CLEANFILES += dpu/tests/fuzz/dpu-protocol-seeds

$(DPU_FUZZER): $(DPU_FUZZER_SRCS) lib/libopenvswitch.la
	@if ! command -v $(FUZZ_CC) >/dev/null 2>&1; then \
	  echo "$@: $(FUZZ_CC) not found.  Fuzzing needs clang and" \
	       "libFuzzer (Debian: apt-get install clang libclang-rt-dev)," \
	       "or FUZZ_CC set to another clang." >&2; \
	  exit 1; \
	fi
	@$(MKDIR_P) dpu/tests/fuzz
	$(AM_V_CCLD)$(LIBTOOL) $(AM_V_lt) --tag=CC --mode=link $(FUZZ_CC) \
	  $(DEFS) $(DEFAULT_INCLUDES) $(AM_CPPFLAGS) $(CPPFLAGS) \
	  $(FUZZ_CFLAGS) -o $@ $(DPU_FUZZER_SRCS) lib/libopenvswitch.la \
	|| { echo "$@: build failed; if libclang_rt.fuzzer is missing," \
	          "install libclang-rt-dev." >&2; exit 1; }

fuzz-dpu: $(DPU_FUZZER)

# Runs the fuzzer for FUZZ_SECONDS on a corpus kept in the build tree,
# refreshed with the seeds first.  A crash or leak stops it and leaves the
# input as dpu/tests/fuzz/crash-* or leak-*; FUZZ_FLAGS adds libFuzzer
# options.
fuzz-dpu-run: $(DPU_FUZZER) dpu/tests/fuzz/dpu-protocol-seeds
	@$(MKDIR_P) $(DPU_FUZZ_CORPUS)
	dpu/tests/fuzz/dpu-protocol-seeds $(DPU_FUZZ_CORPUS)
	$(DPU_FUZZER) -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
	  -print_final_stats=1 -artifact_prefix=dpu/tests/fuzz/ \
	  $(FUZZ_FLAGS) $(DPU_FUZZ_CORPUS)

# A short run, for every change: a crash in FUZZ_SHORT_SECONDS fails it.
FUZZ_SHORT_SECONDS = 20
fuzz-dpu-short:
	+$(MAKE) fuzz-dpu-run FUZZ_SECONDS=$(FUZZ_SHORT_SECONDS)
.PHONY: fuzz-dpu fuzz-dpu-run fuzz-dpu-short
