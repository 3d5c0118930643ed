# ovn-dpu-intent: NSX-style intent (segments, gateways, groups, a
# distributed firewall) realised in OVN's northbound database.  Its IDL is
# generated from the ovn-nb.ovsschema that OVN installs, found by configure
# (ovs/patches/0027-*); without it, the tool is not built.
if HAVE_OVN_NB_SCHEMA
bin_PROGRAMS += dpu/ovn-integration/ovn-dpu-intent
dpu_ovn_integration_ovn_dpu_intent_SOURCES = \
	dpu/ovn-integration/ovn-dpu-intent.c \
	dpu/ovn-integration/intent-doc.c \
	dpu/ovn-integration/intent-doc.h \
	dpu/ovn-integration/intent-map.c \
	dpu/ovn-integration/intent-map.h \
	dpu/ovn-integration/intent-rows.c \
	dpu/ovn-integration/intent-rows.h \
	dpu/ovn-integration/intent-nb.c \
	dpu/ovn-integration/intent-nb.h
nodist_dpu_ovn_integration_ovn_dpu_intent_SOURCES = \
	dpu/ovn-integration/ovn-nb-idl.c \
	dpu/ovn-integration/ovn-nb-idl.h
dpu_ovn_integration_ovn_dpu_intent_LDADD = lib/libopenvswitch.la
man_MANS += dpu/ovn-integration/ovn-dpu-intent.8

OVSIDL_BUILT += \
	dpu/ovn-integration/ovn-nb-idl.c \
	dpu/ovn-integration/ovn-nb-idl.h \
	dpu/ovn-integration/ovn-nb-idl.ovsidl
dpu/ovn-integration/ovn-nb-idl.ovsidl: $(OVN_NB_SCHEMA) \
		dpu/ovn-integration/ovn-nb-idl.ann
	$(AM_V_GEN)$(MKDIR_P) dpu/ovn-integration && \
	$(OVSDB_IDLC) annotate $(OVN_NB_SCHEMA) \
		$(srcdir)/dpu/ovn-integration/ovn-nb-idl.ann > $@.tmp && \
	mv $@.tmp $@
endif

# ovs-dpu-ovn: joins the host's DPUs to OVN as a chassis.
bin_SCRIPTS += dpu/ovn-integration/ovs-dpu-ovn
CLEANFILES += dpu/ovn-integration/ovs-dpu-ovn
dist_man_MANS += dpu/ovn-integration/ovs-dpu-ovn.8

# ovn-dpu-central: OVN's central part with clustered databases, for the
# multi-host sandbox and the tests (not installed).
noinst_SCRIPTS += dpu/ovn-integration/ovn-dpu-central
CLEANFILES += dpu/ovn-integration/ovn-dpu-central

EXTRA_DIST += \
	dpu/ovn-integration/ovs-dpu-ovn.in \
	dpu/ovn-integration/ovn-dpu-central.in \
	dpu/ovn-integration/README.rst \
	dpu/ovn-integration/ovn-nb-idl.ann \
	dpu/ovn-integration/ovn-dpu-intent.8 \
	dpu/ovn-integration/examples/two-tier.json
