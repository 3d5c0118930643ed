# Benchmarks: "make bench" (top level) runs bench/ovs-dpu-bench.sh, which
# compares OVS-DPU with stock OVS's userspace datapath in one run.  The
# traffic generator and sink and the flow installer it uses are built with
# everything else.
noinst_PROGRAMS += dpu/bench/ovs-dpu-bench-traffic
dpu_bench_ovs_dpu_bench_traffic_SOURCES = dpu/bench/ovs-dpu-bench-traffic.c
dpu_bench_ovs_dpu_bench_traffic_LDADD = lib/libopenvswitch.la
noinst_PROGRAMS += dpu/bench/ovs-dpu-bench-flows
dpu_bench_ovs_dpu_bench_flows_SOURCES = dpu/bench/ovs-dpu-bench-flows.c
dpu_bench_ovs_dpu_bench_flows_CPPFLAGS = $(AM_CPPFLAGS) \
	-I $(top_srcdir)/dpu/dpif-dpu
dpu_bench_ovs_dpu_bench_flows_LDADD = \
	dpu/dpif-dpu/libdpif-dpu.la \
	dpu/dpu-protocol/libdpu-protocol.la \
	lib/libopenvswitch.la

EXTRA_DIST += \
	dpu/bench/README \
	dpu/bench/ovs-dpu-bench.sh \
	dpu/bench/ovs-dpu-bench-failover.sh \
	dpu/bench/ovs-dpu-bench-install.sh \
	dpu/bench/ovs-dpu-bench-lib.sh \
	dpu/bench/ovn-dpu-intent-bench.sh
