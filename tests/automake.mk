# OVS-DPU's autotest suites.  They use OVS's own macros (tests/*.at of the
# upstream tree) and run from OVS's tests/ build directory, like upstream's.
DPU_TESTSUITE_AT = \
	dpu/tests/dpu-testsuite.at \
	dpu/tests/dpu-macros.at \
	dpu/tests/dpu-codec.at \
	dpu/tests/dpu-protocol.at \
	dpu/tests/dpu-ssl.at \
	dpu/tests/dpu-bundle.at \
	dpu/tests/dpu-boot.at \
	dpu/tests/dpif-dpu.at \
	dpu/tests/dpif-dpu-tunnel.at \
	dpu/tests/dpif-dpu-meter-ct.at \
	dpu/tests/dpif-dpu-metrics.at \
	dpu/tests/dpif-dpu-ipfix.at \
	dpu/tests/dpif-dpu-alarms.at \
	dpu/tests/dpif-dpu-ha.at \
	dpu/tests/dpif-dpu-ct-sync.at \
	dpu/tests/dpu-ha-agent.at \
	dpu/tests/dpu-crash-points.at \
	dpu/tests/ovn-dpu.at \
	dpu/tests/ovn-dpu-intent.at \
	dpu/tests/ovn-dpu-join.at \
	dpu/tests/ovn-dpu-cluster.at
DPU_SYSTEM_TESTSUITE_AT = \
	dpu/tests/dpu-system-testsuite.at \
	dpu/tests/dpu-macros.at \
	dpu/tests/dpu-system.at \
	dpu/tests/dpu-system-ha-macros.at \
	dpu/tests/dpu-system-ha.at \
	dpu/tests/dpu-system-ovn.at
DPU_SOAK_TESTSUITE_AT = \
	dpu/tests/dpu-soak-testsuite.at \
	dpu/tests/dpu-macros.at \
	dpu/tests/dpu-system-ha-macros.at \
	dpu/tests/dpu-soak.at
SYSTEM_DPU_TESTSUITE_AT = \
	dpu/tests/system-dpu-testsuite.at \
	dpu/tests/system-dpu-macros.at
EXTRA_DIST += $(DPU_TESTSUITE_AT) $(DPU_SYSTEM_TESTSUITE_AT) \
	$(DPU_SOAK_TESTSUITE_AT) $(SYSTEM_DPU_TESTSUITE_AT)

DPU_TESTSUITE = tests/dpu-testsuite
DPU_SYSTEM_TESTSUITE = tests/dpu-system-testsuite
DPU_SOAK_TESTSUITE = tests/dpu-soak-testsuite
SYSTEM_DPU_TESTSUITE = tests/system-dpu-testsuite
DPU_AUTOTEST_PATH = $(AUTOTEST_PATH):dpu/dpu-agent:dpu/utilities:dpu/ovn-integration:dpu/tests:dpu/bench
DISTCLEANFILES += $(DPU_TESTSUITE) $(DPU_SYSTEM_TESTSUITE) \
	$(DPU_SOAK_TESTSUITE) $(SYSTEM_DPU_TESTSUITE)

$(DPU_TESTSUITE): package.m4 $(DPU_TESTSUITE_AT) $(COMMON_MACROS_AT)
	$(AM_V_GEN)$(AUTOTEST) -I '$(srcdir)' -o $@.tmp \
		$(srcdir)/dpu/tests/dpu-testsuite.at && mv $@.tmp $@
$(DPU_SYSTEM_TESTSUITE): package.m4 $(DPU_SYSTEM_TESTSUITE_AT) \
		$(COMMON_MACROS_AT) $(srcdir)/tests/system-common-macros.at
	$(AM_V_GEN)$(AUTOTEST) -I '$(srcdir)' -o $@.tmp \
		$(srcdir)/dpu/tests/dpu-system-testsuite.at && mv $@.tmp $@
$(DPU_SOAK_TESTSUITE): package.m4 $(DPU_SOAK_TESTSUITE_AT) \
		$(COMMON_MACROS_AT) $(srcdir)/tests/system-common-macros.at
	$(AM_V_GEN)$(AUTOTEST) -I '$(srcdir)' -o $@.tmp \
		$(srcdir)/dpu/tests/dpu-soak-testsuite.at && mv $@.tmp $@
$(SYSTEM_DPU_TESTSUITE): package.m4 $(SYSTEM_DPU_TESTSUITE_AT) \
		$(SYSTEM_TESTSUITE_AT) $(SYSTEM_USERSPACE_TESTSUITE_AT) \
		$(COMMON_MACROS_AT)
	$(AM_V_GEN)$(AUTOTEST) -I '$(srcdir)' -o $@.tmp \
		$(srcdir)/dpu/tests/system-dpu-testsuite.at && mv $@.tmp $@

# The PKI of the TLS tests, made with ovs-pki as the docs say: one CA
# (ca/switchca/cacert.pem) that signs the host's key pair (host-*.pem) and
# one per DPU whose certificate's common name is the DPU's name
# (dpu0-*.pem, dpu1-*.pem).
DPU_TESTPKI = tests/dpu-pki/stamp
DPU_OVS_PKI = $(SHELL) $(abs_srcdir)/utilities/ovs-pki.in --dir=ca \
	--log=pki.log
$(DPU_TESTPKI):
	$(AM_V_at)rm -rf tests/dpu-pki
	$(AM_V_at)$(MKDIR_P) tests/dpu-pki
	$(AM_V_GEN)cd tests/dpu-pki && $(DPU_OVS_PKI) init >/dev/null && \
	for name in host dpu0 dpu1; do \
		$(DPU_OVS_PKI) -u req+sign $$name switch >/dev/null || exit 1; \
	done && : > stamp
CLEAN_LOCAL += clean-dpu-pki
clean-dpu-pki:
	rm -rf tests/dpu-pki

# Unit and integration tests with netdev-dummy: no root needed.  The TLS
# tests need upstream's test PKI, which is in check_DATA, and their own.
check-dpu: all $(DPU_TESTSUITE) $(check_DATA) $(DPU_TESTPKI)
	$(SHELL) '$(DPU_TESTSUITE)' -C tests \
		AUTOTEST_PATH='$(DPU_AUTOTEST_PATH)' $(TESTSUITEFLAGS)

# System tests with namespaces and veth: root needed.
check-dpu-system: all $(DPU_SYSTEM_TESTSUITE) $(DPU_TESTPKI)
	$(SHELL) '$(DPU_SYSTEM_TESTSUITE)' -C tests \
		AUTOTEST_PATH='$(DPU_AUTOTEST_PATH)' $(TESTSUITEFLAGS) -j1

# The chaos soak (root): random faults under traffic through a pair of
# DPUs for SOAK_MINUTES minutes (SOAK_SEED draws the faults); see
# "Chaos soak" in Documentation/topics/dpu-testing.rst.
SOAK_MINUTES = 10
soak: all $(DPU_SOAK_TESTSUITE)
	rm -f tests/soak-report.txt
	SOAK_MINUTES='$(SOAK_MINUTES)' $(SHELL) '$(DPU_SOAK_TESTSUITE)' -C tests \
		AUTOTEST_PATH='$(DPU_AUTOTEST_PATH)' $(TESTSUITEFLAGS) -j1; \
	rc=$$?; test ! -f tests/soak-report.txt || cat tests/soak-report.txt; \
	exit $$rc

# Upstream's system tests (those of "make check-system-userspace") on "dpu"
# bridges, with an emulated DPU agent in the host's network namespace: root
# needed.  Serial, because the tests' namespaces and devices have fixed
# names.
check-system-dpu: all $(SYSTEM_DPU_TESTSUITE)
	$(SHELL) '$(SYSTEM_DPU_TESTSUITE)' -C tests \
		AUTOTEST_PATH='$(DPU_AUTOTEST_PATH)' $(TESTSUITEFLAGS) -j1
.PHONY: check-dpu check-dpu-system check-system-dpu soak

include dpu/tests/fuzz/automake.mk

# Round trips through the protocol codec (tests/dpu-codec.at).
noinst_PROGRAMS += dpu/tests/test-dpu-codec
dpu_tests_test_dpu_codec_SOURCES = dpu/tests/test-dpu-codec.c
dpu_tests_test_dpu_codec_LDADD = \
	dpu/dpu-protocol/libdpu-protocol.la \
	lib/libopenvswitch.la
