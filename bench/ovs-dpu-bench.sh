#! /bin/sh
# ovs-dpu-bench.sh: OVS-DPU against stock OVS, side by side, in one run.
#
# usage: bench/ovs-dpu-bench.sh            (or "make bench" at the top)
#
# Runs the same benchmarks on two configurations, one after the other, with
# the same traffic and the same durations:
#   stock  ovs-vswitchd with a datapath_type=netdev bridge (OVS's userspace
#          datapath in ovs-vswitchd), run in namespace benchdp;
#   dpu    ovs-dpu-agent in namespace benchdp serving the datapath, and
#          ovs-vswitchd on the host with a datapath_type=dpu bridge.
# In both, the datapath's ports are veths benchp1 and benchp2 whose peers
# are benchtx0 in namespace benchtx (the sender) and benchrx0 in namespace
# benchrx (the receiver).  Traffic comes from ovs-dpu-bench-traffic
# (AF_PACKET).  The configurations run in rounds, in the order stock, dpu,
# dpu, stock, ..., so that a load that drifts during the run (the machine
# may be shared) weighs on both alike.  Then it prints one line per figure,
# the mean over the rounds:
#     NAME: dpu=X stock=Y ratio=Z        (ratio = dpu / stock)
# and the log of the run, with each round's values, goes to
# $BENCH_RUNDIR/bench.log.
#
# Environment:
#   BENCH_SECONDS=S    length of each forwarding measurement (default 5)
#   BENCH_ROUNDS=N     rounds of each configuration (default 2; about 4
#                      minutes in all on 2 CPUs)
#   BENCH_QUICK=1      a short run: one round, 2-second measurements, fewer
#                      flows for flow setup and latency (about 70 seconds)
#   BENCH_RUNDIR=DIR   scratch directory for databases, logs and sockets
#                      (default: a new directory under /tmp, kept)
#   BENCH_PERF=1       also profile forwarding (64-byte frames, 1 flow),
#                      flow setup and bulk installation with "perf record
#                      -a" (Debian's linux-perf) into
#                      DIR/perf-MODE-PHASE.data
#   BENCH_PHASES=LIST  the phases to run, of "forwarding flow-setup bulk
#                      ipfix" (default: all of them)
#   BENCH_IPFIX_RATES=LIST  the IPFIX sampling rates, one in N packets
#                      (default "1 100 1000")
#
# It needs root (namespaces), creates only namespaces and interfaces whose
# names start with "bench", kills only the daemons it started (by their
# pidfiles in BENCH_RUNDIR), and cleans up on exit, on failure and on
# interruption.
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
B=$top/_ovs/build
PATH=$B/utilities:$B/vswitchd:$B/ovsdb:$B/dpu/dpu-agent:$B/dpu/bench:$PATH
. "$top/bench/ovs-dpu-bench-lib.sh"

bench_require ovs-vswitchd ovsdb-server ovs-dpu-agent ovs-dpu-bench-traffic \
    ovs-dpu-bench-flows

if test "${BENCH_QUICK:-0}" = 1; then
    SECONDS_FWD=${BENCH_SECONDS:-2}
    ROUNDS=${BENCH_ROUNDS:-1}
    SETUP_FLOWS=2000
    LATENCY_FLOWS=30
else
    SECONDS_FWD=${BENCH_SECONDS:-5}
    ROUNDS=${BENCH_ROUNDS:-2}
    SETUP_FLOWS=8000
    LATENCY_FLOWS=100
fi
PHASES=${BENCH_PHASES:-forwarding flow-setup bulk ipfix}
IPFIX_RATES=${BENCH_IPFIX_RATES:-1 100 1000}
SIZES="64 1500"
FLOW_COUNTS="1 100 10000"
BULK_COUNTS="10000 100000"

d=${BENCH_RUNDIR:-$(mktemp -d /tmp/ovs-dpu-bench.XXXXXX)}
mkdir -p "$d"
d=$(cd "$d" && pwd)
log=$d/bench.log
: > "$log"
results=$d/results
: > "$results"

NS_DP=benchdp
NS_TX=benchtx
NS_RX=benchrx
BR=benchbr
TX_MAC=02:00:00:00:00:01
DST_MAC=02:00:00:00:00:02       # Not benchrx0's: the receiver drops early.
RX_MAC=02:00:00:00:00:12

# Background generators and sinks of this run, killed by cleanup.
bg_pids=

stop_daemons() {
    stop_pidfiles "$d"/*/ovs-vswitchd.pid "$d"/*/dpu0.pid \
                  "$d"/*/ovsdb-server.pid "$d"/*/nfcapd.pid
}

cleanup() {
    for pid in $bg_pids; do
        kill "$pid" 2>/dev/null || true
    done
    stop_daemons
    for ns in $NS_TX $NS_RX $NS_DP; do
        ip netns del $ns 2>/dev/null || true
    done
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

note() {
    echo "$*" >> "$log"
    echo "bench: $*" >&2
}

fail() {
    echo "bench: $*; see $log and the logs in $d" >&2
    exit 1
}

# With BENCH_PERF=1, starts profiling the whole machine for phase $1.
perf_start() {
    if test "${BENCH_PERF:-0}" = 1; then
        perf record -a -e cpu-clock -F 999 -g \
            -o "$d/perf-$mode-$1.data" >>"$log" 2>&1 &
        perf_pid=$!
        bg_pids="$bg_pids $perf_pid"
        sleep 0.5
    fi
}

perf_stop() {
    if test "${BENCH_PERF:-0}" = 1; then
        kill -INT $perf_pid
        wait $perf_pid || true
    fi
}

# The CPU time (user + system) of process $1 in clock ticks.
cpu_ticks() {
    awk '{ print $14 + $15 }' "/proc/$1/stat"
}

# The resident set size of process $1 in kB.
rss_kb() {
    awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"
}

# Received packets of the receiver's interface.
rx_packets() {
    ip netns exec $NS_RX cat /sys/class/net/benchrx0/statistics/rx_packets
}

# Runs "ovs-appctl" on ovs-vswitchd of the current configuration.
appctl() {
    ovs-appctl --timeout=600 "$@"
}

# Runs "ovs-appctl" on the process that holds the datapath: the agent for
# dpu, ovs-vswitchd for stock.
dp_appctl() {
    if test $mode = dpu; then
        ovs-appctl --timeout=600 -t "$OVS_RUNDIR/dpu0.ctl" "$@"
    else
        ovs-appctl --timeout=600 "$@"
    fi
}

# The number of flows in the datapath.
dp_flows() {
    dp_appctl dpctl/show | sed -n 's/^ *flows: *\([0-9]*\).*/\1/p'
}

# The datapath's lookup counters: "HIT MISSED LOST".
dp_lookups() {
    dp_appctl dpctl/show | sed -n 's/^ *lookups: hit:\([0-9]*\) missed:\([0-9]*\) lost:\([0-9]*\).*/\1 \2 \3/p'
}

# Waits up to $2 seconds until the datapath holds at least $1 flows.
wait_flows() {
    i=0
    while test "$(dp_flows)" -lt "$1"; do
        i=$((i + 1))
        if test $i -gt $(($2 * 10)); then
            return 1
        fi
        sleep 0.1
    done
}

topology_up() {
    for ns in $NS_TX $NS_RX $NS_DP; do
        ip netns del $ns 2>/dev/null || true
        ip netns add $ns
    done
    ip netns exec $NS_DP ip link set lo up
    ip link add benchp1 netns $NS_DP type veth peer name benchtx0 netns $NS_TX
    ip link add benchp2 netns $NS_DP type veth peer name benchrx0 netns $NS_RX
    for x in "$NS_DP benchp1" "$NS_DP benchp2" "$NS_TX benchtx0" \
             "$NS_RX benchrx0"; do
        set -- $x
        ip netns exec $1 sysctl -q -w net.ipv6.conf.$2.disable_ipv6=1
        ip netns exec $1 ip link set $2 up
    done
    ip netns exec $NS_TX ip link set benchtx0 address $TX_MAC
    ip netns exec $NS_RX ip link set benchrx0 address $RX_MAC
}

# Starts configuration $1 (stock or dpu): ovsdb-server, ovs-vswitchd, for
# dpu the agent, and bridge $BR with ports benchp1 (OpenFlow port 1) and
# benchp2 (port 2).
start() {
    mode=$1
    OVS_RUNDIR=$d/$mode
    export OVS_RUNDIR OVS_LOGDIR=$OVS_RUNDIR OVS_DBDIR=$OVS_RUNDIR \
           OVS_SYSCONFDIR=$OVS_RUNDIR
    rm -rf "$OVS_RUNDIR"
    mkdir -p "$OVS_RUNDIR"
    topology_up

    ovsdb-tool create "$OVS_RUNDIR/conf.db" \
        "$top/_ovs/src/vswitchd/vswitch.ovsschema"
    ovsdb-server --detach --no-chdir --pidfile --log-file \
        --remote=punix:"$OVS_RUNDIR/db.sock" "$OVS_RUNDIR/conf.db" 2>>"$log"
    ovs-vsctl --no-wait init
    if test $mode = dpu; then
        ip netns exec $NS_DP ovs-dpu-agent --detach --no-chdir \
            --pidfile="$OVS_RUNDIR/dpu0.pid" \
            --log-file="$OVS_RUNDIR/dpu0.log" \
            --unixctl="$OVS_RUNDIR/dpu0.ctl" \
            --remote=punix:"$OVS_RUNDIR/dpu0.sock" 2>>"$log"
        ovs-vswitchd --detach --no-chdir --pidfile --log-file \
            --disable-system 2>>"$log"
        ovs-vsctl -- --id=@d create DPU name=dpu0 \
                      target="\"unix:$OVS_RUNDIR/dpu0.sock\"" \
                  -- add Open_vSwitch . dpus @d >/dev/null
        ovs-vsctl add-br $BR -- set bridge $BR datapath_type=dpu \
            fail-mode=secure
        opts="options:dpu=dpu0 options:dpu-port-type=system"
        DP=dpu@ovs-dpu
    else
        ip netns exec $NS_DP ovs-vswitchd --detach --no-chdir --pidfile \
            --log-file --disable-system 2>>"$log"
        ovs-vsctl add-br $BR -- set bridge $BR datapath_type=netdev \
            fail-mode=secure
        opts=
        DP=netdev@ovs-netdev
    fi
    ovs-vsctl set Open_vSwitch . other_config:max-idle=60000 \
        -- add-port $BR benchp1 -- set Interface benchp1 ofport_request=1 \
           $opts \
        -- add-port $BR benchp2 -- set Interface benchp2 ofport_request=2 \
           $opts
    if test $mode = dpu; then
        i=0
        until ovs-vsctl get DPU dpu0 status:state | grep -q up; do
            i=$((i + 1))
            test $i -le 100 || fail "the DPU did not come up"
            sleep 0.1
        done
        agent_pid=$(cat "$OVS_RUNDIR/dpu0.pid")
    fi
    ovs-vsctl --timeout=30 wait-until Interface benchp2 ofport=2
    vswitchd_pid=$(cat "$OVS_RUNDIR/ovs-vswitchd.pid")
    appctl upcall/set-flow-limit 200000 >/dev/null

    # Datapath port numbers, for dpctl/add-flows.
    dp_p1=$(appctl dpctl/show $DP | sed -n 's/^ *port \([0-9]*\): benchp1.*/\1/p')
    dp_p2=$(appctl dpctl/show $DP | sed -n 's/^ *port \([0-9]*\): benchp2.*/\1/p')
    test -n "$dp_p1" && test -n "$dp_p2" || fail "$mode: no datapath ports"
    note "$mode: started (ovs-vswitchd $vswitchd_pid${agent_pid:+, agent $agent_pid}), datapath ports $dp_p1 and $dp_p2"
}

stop() {
    stop_daemons
    agent_pid=
}

# Records figure $1 of the current configuration as $2.
record() {
    echo "$mode $1 $2" >> "$results"
    note "$mode: $1 = $2"
}

# The IPv4 source address of flow $1 (see ovs-dpu-bench-traffic.c).
flow_ip() {
    echo "10.$((64 + $1 / 65536)).$(($1 / 256 % 256)).$(($1 % 256))"
}

# Replaces the OpenFlow rules by one rule per flow 0...$1-1, each matching
# the flow's source address exactly, so that each flow is one megaflow.
rules_per_flow() {
    awk -v n="$1" 'BEGIN {
        for (i = 0; i < n; i++) {
            printf "priority=10,ip,in_port=1,nw_src=10.%d.%d.%d,actions=output:2\n",
                   64 + int(i / 65536), int(i / 256) % 256, i % 256
        }
    }' > "$d/rules"
    ovs-ofctl del-flows $BR
    ovs-ofctl add-flows $BR "$d/rules"
}

gen() {
    ip netns exec $NS_TX ovs-dpu-bench-traffic gen benchtx0 \
        --src-mac=$TX_MAC --dst-mac=$DST_MAC "$@"
}

# Forwarding rate of established flows: $1 flows of $2-byte frames (with
# FCS), sent as fast as the sender can for SECONDS_FWD seconds, counted by
# the receiving interface.
bench_forwarding() {
    n=$1
    size=$2
    rules_per_flow $n
    appctl revalidator/purge
    # Install the megaflows first, at a pace the upcall path keeps up with.
    rate=20000
    gen --flows=$n --size=$(($size - 4)) --count=$((n * 2)) --rate=$rate \
        --seconds=10 >/dev/null
    if ! wait_flows $n 10; then
        # Some first packets were lost: offer each flow once more.
        gen --flows=$n --size=$(($size - 4)) --count=$n --rate=$rate \
            --seconds=10 >/dev/null
        wait_flows $n 10 || note "$mode: only $(dp_flows) of $n flows installed"
    fi

    if test $n = 1 && test $size = 64; then
        perf_start forwarding
    fi
    rx0=$(rx_packets)
    host0=$(cpu_ticks $vswitchd_pid)
    dp0=$(cpu_ticks ${agent_pid:-$vswitchd_pid})
    out=$(gen --flows=$n --size=$(($size - 4)) --seconds=$SECONDS_FWD)
    sleep 0.2
    rx1=$(rx_packets)
    host1=$(cpu_ticks $vswitchd_pid)
    dp1=$(cpu_ticks ${agent_pid:-$vswitchd_pid})
    if test $n = 1 && test $size = 64; then
        perf_stop
    fi
    us=$(echo "$out" | sed -n 's/^elapsed_us //p')
    sent=$(echo "$out" | sed -n 's/^sent //p')
    pkts=$((rx1 - rx0))
    note "$mode: ${size}B x $n flows: sent $sent, forwarded $pkts in $us us, datapath flows $(dp_flows)"
    record fwd_pps_${size}B_${n}flows $((pkts * 1000000 / us))
    fwd_pkts=$((fwd_pkts + pkts))
    fwd_host_ticks=$((fwd_host_ticks + host1 - host0))
    fwd_dp_ticks=$((fwd_dp_ticks + dp1 - dp0))
}

# Starts a sink on the receiver for flows $1...$1+$2-1 that stops after
# $3 seconds or once each flow was seen; waits until it listens.
start_sink() {
    ip netns exec $NS_RX ovs-dpu-bench-traffic sink benchrx0 --first=$1 \
        --flows=$2 --seconds=$3 --expect > "$d/sink.out" 2>&1 &
    sink_pid=$!
    bg_pids="$bg_pids $sink_pid"
    i=0
    until grep -q ready "$d/sink.out"; do
        i=$((i + 1))
        test $i -le 100 || fail "the sink did not start"
        sleep 0.05
    done
}

# Flow setup through the miss path: with megaflows disabled, each flow is
# one datapath flow, set up by an upcall.  SETUP_FLOWS new flows are offered
# in a loop (a flow whose first packet was dropped is offered again) at a
# rate above what the upcall path sustains; the sink sees each flow's first
# forwarded packet.  Then the latency of the first packet of LATENCY_FLOWS
# flows, one new flow every 20 ms.
bench_flow_setup() {
    ovs-ofctl del-flows $BR
    ovs-ofctl add-flow $BR priority=10,ip,in_port=1,actions=output:2
    appctl upcall/disable-megaflows >/dev/null
    appctl revalidator/purge

    first=100000
    start_sink $first $SETUP_FLOWS $((SECONDS_FWD + 10))
    perf_start flow-setup
    lookups0=$(dp_lookups)
    host0=$(cpu_ticks $vswitchd_pid)
    # Not through gen(): $! must be the generator itself, to kill it.
    ip netns exec $NS_TX ovs-dpu-bench-traffic gen benchtx0 \
        --src-mac=$TX_MAC --dst-mac=$DST_MAC --first=$first \
        --flows=$SETUP_FLOWS --rate=200000 --seconds=$((SECONDS_FWD + 5)) \
        --size=60 >/dev/null &
    gen_pid=$!
    bg_pids="$bg_pids $gen_pid"
    wait $sink_pid || true
    kill $gen_pid 2>/dev/null || true
    wait $gen_pid 2>/dev/null || true
    host1=$(cpu_ticks $vswitchd_pid)
    lookups1=$(dp_lookups)
    perf_stop
    flows=$(sed -n 's/^flows //p' "$d/sink.out")
    span=$(sed -n 's/^span_us //p' "$d/sink.out")
    note "$mode: flow setup: $flows of $SETUP_FLOWS flows in $span us, ovs-vswitchd $((host1 - host0)) ticks, datapath flows $(dp_flows), lookups (hit missed lost) before $lookups0, after $lookups1"
    test "$span" -gt 0 || fail "$mode: no flow was set up"
    record flow_setup_per_s $((flows * 1000000 / span))

    appctl revalidator/purge
    first=200000
    start_sink $first $LATENCY_FLOWS 20
    gen --first=$first --flows=$LATENCY_FLOWS --count=$LATENCY_FLOWS \
        --rate=50 --seconds=15 --size=60 >/dev/null
    wait $sink_pid || true
    set -- $(sed -n 's/^latency_us //p' "$d/sink.out")
    note "$mode: first-packet latency (us) p50 $1 p90 $2 p99 $3 max $4 over $(sed -n 's/^flows //p' "$d/sink.out") flows"
    record first_packet_latency_us_p50 $1
    record first_packet_latency_us_p99 $3
    appctl upcall/enable-megaflows >/dev/null
}

# Bulk installation of files of 10k and 100k megaflows, one per source
# address, with the revalidators paused so that they neither delete nor
# change them: first through dpif_operate() batches of 64 flows
# (ovs-dpu-bench-flows, into a datapath of its own for stock, into the
# agent through dpif-dpu for dpu), then with "ovs-appctl dpctl/add-flows"
# into ovs-vswitchd's datapath, where they stay for the RSS with 100k
# megaflows.
bench_bulk() {
    ovs-ofctl del-flows $BR
    appctl revalidator/purge
    appctl revalidator/pause
    perf_start bulk
    for n in $BULK_COUNTS; do
        label=$((n / 1000))k
        awk -v n="$n" -v p1="$dp_p1" -v p2="$dp_p2" 'BEGIN {
            for (i = 0; i < n; i++) {
                printf "in_port(%d),eth(),eth_type(0x0800),ipv4(src=10.%d.%d.%d,frag=no) %s\n",
                       p1, 64 + int(i / 65536), int(i / 256) % 256, i % 256,
                       p2
            }
        }' > "$d/flows"

        appctl dpctl/del-flows $DP
        if test $mode = dpu; then
            out=$(ovs-dpu-bench-flows --dpu="unix:$OVS_RUNDIR/dpu0.sock" \
                  "$d/flows" 2>>"$log") || fail "$mode: ovs-dpu-bench-flows failed"
            got=$(dp_flows)
            appctl dpctl/del-flows $DP
        else
            out=$(ip netns exec $NS_DP ovs-dpu-bench-flows --netdev \
                  "$d/flows" 2>>"$log") || fail "$mode: ovs-dpu-bench-flows failed"
            got=$(echo "$out" | sed -n 's/^flows //p')
        fi
        us=$(echo "$out" | sed -n 's/^elapsed_us //p')
        failed=$(echo "$out" | sed -n 's/^failed //p')
        note "$mode: dpif_operate() of $n flows: $us us, $failed failed, datapath flows $got"
        test "$failed" = 0 && test "$got" -ge "$n" \
            || fail "$mode: operate batches installed $got of $n flows"
        record bulk_operate_flows_per_s_$label $((n * 1000000 / us))

        appctl dpctl/del-flows $DP
        t0=$(now_ms)
        appctl dpctl/add-flows $DP "$d/flows" > "$d/add-flows.out" 2>&1 \
            || fail "$mode: dpctl/add-flows failed"
        t1=$(now_ms)
        got=$(dp_flows)
        note "$mode: dpctl/add-flows of $n flows: $((t1 - t0)) ms, datapath flows $got, errors $(wc -l < "$d/add-flows.out")"
        test "$got" -ge "$n" || fail "$mode: only $got of $n flows installed"
        record bulk_add_flows_per_s_$label $((n * 1000 / (t1 - t0 + 1)))
    done
    perf_stop
    sleep 1
    vs=$(rss_kb $vswitchd_pid)
    if test $mode = dpu; then
        ag=$(rss_kb $agent_pid)
    else
        ag=0
    fi
    record rss_mb_${label}_flows_vswitchd $((vs / 1024))
    record rss_mb_${label}_flows_agent $((ag / 1024))
    record rss_mb_${label}_flows_total $(((vs + ag) / 1024))
    appctl dpctl/del-flows $DP
    appctl revalidator/resume
}

# The counters of the IPFIX exporter of bridge $BR: "SAMPLED TX_PKTS".
ipfix_counters() {
    ovs-ofctl dump-ipfix-bridge $BR | sed -n 's/.*sampled pkts=\([0-9]*\),.*tx pkts=\([0-9]*\).*/\1 \2/p'
}

# Upcalls that the agent sent to the host.
agent_upcalls() {
    dp_appctl dpu-agent/show | sed -n 's/^upcalls: sent \([0-9]*\),.*/\1/p'
}

# Samples that the agent's own IPFIX exporters took (dpu-agent/ipfix).
agent_ipfix_samples() {
    dp_appctl dpu-agent/ipfix | sed -n 's/.*, samples \([0-9]*\),.*/\1/p' \
        | awk '{ n += $1 } END { print n + 0 }'
}

# Prints the samples so far (of the DPU's exporters if $suffix is set, else
# of ovs-vswitchd's), the CPU ticks of ovs-vswitchd, the upcalls (for
# stock, its samples) and the packets received: "SAMPLED TICKS UPCALLS RX".
ipfix_snapshot() {
    set -- $(ipfix_counters)
    sampled=$1
    if test -n "$suffix"; then
        sampled=$(agent_ipfix_samples)
    fi
    if test $mode = dpu; then
        upcalls=$(agent_upcalls)
    else
        upcalls=$1
    fi
    echo $sampled $(cpu_ticks $vswitchd_pid) $upcalls $(rx_packets)
}

# IPFIX: bridge sampling (Bridge:ipfix, on input and on output) of 100
# flows offered at 20,000 packets per second for SECONDS_FWD seconds, at
# one in each of IPFIX_RATES packets, exported to nfdump's nfcapd on
# 127.0.0.1 in the namespace of the exporter.  $1 says which exporter:
# "host", ovs-vswitchd's (in benchdp for stock, on the host for dpu), or
# "dpu", the agent's (IPFIX:other_config:dpu-export=true, in benchdp).
# For each rate it records the CPU time of ovs-vswitchd (the host) per
# sample and the upcalls per 1000 samples: for dpu, those the agent sent;
# for stock, whose datapath runs in ovs-vswitchd, every sample is a call of
# the upcall callback in the PMD thread, counted by the exporter.  A sample
# is one packet sampled on input or on output ("sampled pkts" of ovs-ofctl
# dump-ipfix-bridge, or "samples" of dpu-agent/ipfix).  The figures of DPU
# export are named with the suffix _dpu_export.
bench_ipfix() {
    export=$1
    if ! command -v nfcapd >/dev/null; then
        note "$mode: nfcapd not found (Debian's nfdump): no IPFIX figures"
        return
    fi
    rules_per_flow 100
    if test $mode = stock; then
        ns="ip netns exec $NS_DP"
        suffix=
        dpu_export=false
    elif test $export = host; then
        ns=
        suffix=
        dpu_export=false
    else
        ns="ip netns exec $NS_DP"
        suffix=_dpu_export
        dpu_export=true
    fi
    port=$($ns python3 -c 'import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])')
    rm -rf "$OVS_RUNDIR/nfcapd"
    mkdir -p "$OVS_RUNDIR/nfcapd"
    $ns nfcapd -D -b 127.0.0.1 -p $port -w "$OVS_RUNDIR/nfcapd" -t 3600 \
        -P "$OVS_RUNDIR/nfcapd.pid" >>"$log" 2>&1 \
        || fail "$mode: nfcapd did not start"
    hz=$(getconf CLK_TCK)
    for rate in $IPFIX_RATES; do
        ovs-vsctl -- set Bridge $BR ipfix=@i \
                  -- --id=@i create IPFIX targets=\"127.0.0.1:$port\" \
                     sampling=$rate other_config:dpu-export=$dpu_export \
                     >/dev/null
        appctl revalidator/purge
        # Installs the megaflows.
        gen --flows=100 --count=200 --rate=20000 --seconds=10 >/dev/null
        wait_flows 100 10 || note "$mode: only $(dp_flows) of 100 flows installed"
        sleep 0.2

        set -- $(ipfix_snapshot)
        sampled0=$1 host0=$2 up0=$3 rx0=$4
        gen --flows=100 --rate=20000 --seconds=$SECONDS_FWD >/dev/null
        sleep 0.5
        set -- $(ipfix_snapshot)
        sampled1=$1 host1=$2 up1=$3 rx1=$4

        samples=$((sampled1 - sampled0))
        note "$mode: IPFIX 1 in $rate, exported by $export: forwarded $((rx1 - rx0)), sampled $samples, upcalls $((up1 - up0)), ovs-vswitchd $((host1 - host0)) ticks"
        test $samples -gt 0 || fail "$mode: IPFIX 1 in $rate: nothing sampled"
        record ipfix_1in${rate}_host_cpu_ns_per_sample$suffix \
            $(((host1 - host0) * 1000000000 / (hz * samples)))
        record ipfix_1in${rate}_upcalls_per_ksample$suffix \
            $(((up1 - up0) * 1000 / samples))
        ovs-vsctl clear Bridge $BR ipfix
    done
    stop_pidfiles "$OVS_RUNDIR/nfcapd.pid"
    records=$(nfdump -q -R "$OVS_RUNDIR/nfcapd" -o 'fmt:%pr' 2>>"$log" | wc -l)
    note "$mode: the collector of the $export exporter decoded $records IPFIX records"
    test "$records" -gt 0 || fail "$mode: the collector decoded no IPFIX record"
}

# Whether phase $1 is to be run.
phase() {
    case " $PHASES " in
        *" $1 "*) return 0 ;;
        *) return 1 ;;
    esac
}

run() {
    start $1
    if phase forwarding; then
        fwd_pkts=0
        fwd_host_ticks=0
        fwd_dp_ticks=0
        for size in $SIZES; do
            for n in $FLOW_COUNTS; do
                bench_forwarding $n $size
            done
        done
        hz=$(getconf CLK_TCK)
        # CPU time per million forwarded packets, in milliseconds.
        record host_cpu_ms_per_mpkt \
            $((fwd_host_ticks * 1000000000 / (hz * (fwd_pkts + 1))))
        record datapath_cpu_ms_per_mpkt \
            $((fwd_dp_ticks * 1000000000 / (hz * (fwd_pkts + 1))))
    fi
    if phase flow-setup; then
        bench_flow_setup
    fi
    if phase bulk; then
        bench_bulk
    fi
    if phase ipfix; then
        bench_ipfix host
        if test $mode = dpu; then
            bench_ipfix dpu
        fi
    fi
    stop
}

# Prints "NAME: dpu=X stock=Y ratio=Z" for each figure, in the order they
# were measured, with the mean of the rounds.
report() {
    awk '
        {
            sum[$1, $2] += $3; cnt[$1, $2]++
            if (!($2 in seen)) { seen[$2] = 1; order[n++] = $2 }
        }
        END {
            for (key in sum) {
                v[key] = int(sum[key] / cnt[key] + 0.5)
            }
            for (i = 0; i < n; i++) {
                k = order[i]
                dpu = v["dpu", k]; stock = v["stock", k]
                if (k ~ /_agent$/) {
                    # Stock OVS has no agent: compare with its ovs-vswitchd.
                    stock = v["stock", substr(k, 1, length(k) - 5) "vswitchd"]
                }
                if (k ~ /_dpu_export$/) {
                    # Stock OVS exports on the host only.
                    stock = v["stock", substr(k, 1, length(k) - 11)]
                }
                ratio = stock > 0 ? sprintf("%.3f", dpu / stock) : "n/a"
                printf "%s: dpu=%s stock=%s ratio=%s\n", k, dpu, stock, ratio
            }
        }' "$results"
}

note "run directory $d; $ROUNDS rounds, $SECONDS_FWD-second forwarding measurements"
t_start=$(now_ms)
r=1
while test $r -le $ROUNDS; do
    if test $((r % 2)) = 1; then
        order="stock dpu"
    else
        order="dpu stock"
    fi
    for m in $order; do
        note "round $r of $ROUNDS: $m"
        run $m
    done
    r=$((r + 1))
done
note "done in $((($(now_ms) - t_start) / 1000)) s"
report | tee "$d/report"
