#! /bin/sh
# ovs-dpu-bench-failover.sh: failover of an active-standby DPU pair against
# the failover of stock OVS's active-backup bond, in one run.
#
# usage: bench/ovs-dpu-bench-failover.sh   (or "make bench", which runs it
#                                           after bench/ovs-dpu-bench.sh)
#
# Two configurations, one after the other, each with a "VM" (namespace
# benchfo_vm, eth0) and a top-of-rack Linux bridge "tor" (namespace
# benchfo_tor) that stands for the remote host:
#   dpu    the topology of Documentation/topics/dpu-ha.rst and of
#          tests/dpu-system-ha.at: two agents (benchfo_dpu1, benchfo_dpu2)
#          with uplinks vmnic0, vmnic1 and vmnic2, vmnic3 into "tor", the
#          VM reachable from both through a bridge for the PCIe fabric
#          (benchfo_fab), ovs-vswitchd on the host with br-int on the pair
#          (dpu-mode=active-standby) and an active-backup bond of vmnic0
#          and vmnic1, whose places vmnic2 and vmnic3 take on dpu2;
#   stock  ovs-vswitchd with a datapath_type=netdev br-int in namespace
#          benchfo_sw, the VM on port vif1 and an active-backup bond of
#          sw0 and sw1 into "tor".
# In each run, a stream of RATE frames per second goes each way between
# the VM and "tor" for 2 seconds (ovs-dpu-bench-traffic, sequence
# numbered); 0.7 seconds in, the failure is injected:
#   dpu    crash (SIGKILL of the active agent), hang (SIGSTOP), cable-pull
#          (both of the active DPU's uplinks lose carrier: their peers on
#          "tor" go down), pci-error (dpu-agent/fault pci-error), planned
#          (ovs-appctl dpif-dpu/failover);
#   stock  carrier loss of the bond's active member (its peer on "tor"
#          goes down).
# Then the failed part is repaired (the agent restarted, resumed, its
# links or its fault cleared) and, before the next run, the pair is
# redundant again.  Each run gives:
#   detect_ms    from the injection to the host deciding the failover (the
#                time of DPU:status:last_failover; for stock, of the log
#                line "bond uplink: active member is now ...", which OVS
#                rate-limits: runs whose line is missing are left out);
#   gap_ms       the longest time between two frames in a row received by
#                either end (kernel receive timestamps);
#   lost_pkts    frames of the two streams never received;
#   dup_pkts     frames received twice (two DPUs forwarding at once would
#                show here);
#   converge_ms  from the injection to OVSDB showing the new state (the new
#                active DPU in DPU:status, the new active member in
#                Port:bond_active_slave), as "ovsdb-client monitor
#                --timestamp" sees it.
# It prints, for each trigger and figure, the median and the worst over the
# runs beside stock's, which has one trigger:
#     failover_TRIGGER_FIGURE: dpu=X stock=Y ratio=Z          (median)
#     failover_TRIGGER_FIGURE_worst: dpu=X stock=Y ratio=Z
# and writes each run's values to $BENCH_RUNDIR/failover.log.
#
# Environment:
#   BENCH_FAILOVER_RUNS=N      runs per trigger (default 20; 3 with
#                              BENCH_QUICK=1)
#   BENCH_FAILOVER_TRIGGERS=L  the DPU triggers to run (default all five)
#   BENCH_FAILOVER_RATE=PPS    frames per second each way (default 10000)
#   BENCH_RUNDIR=DIR           scratch directory (default: a new one under
#                              /tmp, kept)
#
# It needs root (namespaces), creates only namespaces whose names start with
# "benchfo_", kills only the daemons it started (by their pidfiles), and
# cleans up on exit, on failure and on interruption.  Every wait is bounded.
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
B=$top/_ovs/build
PATH=$B/utilities:$B/vswitchd:$B/ovsdb:$B/dpu/dpu-agent:$B/dpu/bench:$PATH
. "$top/bench/ovs-dpu-bench-lib.sh"

bench_require ovs-vswitchd ovsdb-server ovsdb-client ovs-dpu-agent \
    ovs-dpu-bench-traffic

if test "${BENCH_QUICK:-0}" = 1; then
    RUNS=${BENCH_FAILOVER_RUNS:-3}
else
    RUNS=${BENCH_FAILOVER_RUNS:-20}
fi
TRIGGERS=${BENCH_FAILOVER_TRIGGERS:-crash hang cable-pull pci-error planned}
RATE=${BENCH_FAILOVER_RATE:-10000}
STREAM_S=2                      # Length of each run's streams.
PRE_S=0.7                       # When the failure is injected.
N=$(awk "BEGIN { print int($RATE * $STREAM_S) }")

d=${BENCH_RUNDIR:-$(mktemp -d /tmp/ovs-dpu-bench.XXXXXX)}
d=$(mkdir -p "$d/failover" && cd "$d/failover" && pwd)
log=$d/failover.log
: > "$log"
results=$d/results
: > "$results"

VM_MAC=f0:00:00:01:01:01
NAMESPACES="benchfo_tor benchfo_vm benchfo_fab benchfo_dpu1 benchfo_dpu2 benchfo_sw"
bg_pids=

stop_daemons() {
    stop_pidfiles "$d"/*/*.pid
}

cleanup() {
    for pid in $bg_pids; do
        kill "$pid" 2>/dev/null || true
    done
    stop_daemons
    for ns in $NAMESPACES; do
        ip netns del $ns 2>/dev/null || true
    done
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

note() {
    echo "$*" >> "$log"
    echo "bench-failover: $*" >&2
}

fail() {
    echo "bench-failover: $*; see $log and the logs in $d" >&2
    exit 1
}

# Waits up to $1 seconds for the command that follows to succeed.
wait_for() {
    limit=$(($1 * 20))
    shift
    i=0
    until "$@" >/dev/null 2>&1; do
        i=$((i + 1))
        test $i -le $limit || return 1
        sleep 0.05
    done
}

# The namespaces and links of configuration $1.
topology_up() {
    for ns in $NAMESPACES; do
        ip netns del $ns 2>/dev/null || true
    done
    if test $1 = dpu; then
        nss="benchfo_tor benchfo_vm benchfo_fab benchfo_dpu1 benchfo_dpu2"
    else
        nss="benchfo_tor benchfo_vm benchfo_sw"
    fi
    for ns in $nss; do
        ip netns add $ns
        ip netns exec $ns ip link set lo up
        ip netns exec $ns sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
        ip netns exec $ns sysctl -q -w net.ipv6.conf.default.disable_ipv6=1
    done
    ip -n benchfo_tor link add tor type bridge
    if test $1 = dpu; then
        ip -n benchfo_fab link add fabric type bridge ageing_time 0
        for i in 0 1 2 3; do
            ns=benchfo_dpu$((i / 2 + 1))
            ip link add vmnic$i netns $ns type veth peer name tor$i \
                netns benchfo_tor
            ip -n $ns link set vmnic$i up
        done
        for i in 1 2; do
            ip link add vif1 netns benchfo_dpu$i type veth peer name fab$i \
                netns benchfo_fab
            ip -n benchfo_fab link set fab$i master fabric up
            ip -n benchfo_fab link set dev fab$i type bridge_slave isolated on
            ip -n benchfo_dpu$i link set vif1 up
        done
        ip link add eth0 netns benchfo_vm type veth peer name fabvm \
            netns benchfo_fab
        ip -n benchfo_fab link set fabvm master fabric up
        ip -n benchfo_fab link set fabric up
    else
        for i in 0 1; do
            ip link add sw$i netns benchfo_sw type veth peer name tor$i \
                netns benchfo_tor
            ip -n benchfo_sw link set sw$i up
        done
        ip link add vif1 netns benchfo_sw type veth peer name eth0 \
            netns benchfo_vm
        ip -n benchfo_sw link set vif1 up
    fi
    for i in 0 1 2 3; do
        if ip -n benchfo_tor link show tor$i >/dev/null 2>&1; then
            ip -n benchfo_tor link set tor$i master tor up
        fi
    done
    ip -n benchfo_tor link set tor up
    ip -n benchfo_vm link set eth0 address $VM_MAC
    ip -n benchfo_vm link set eth0 up
    TOR_MAC=$(ip -n benchfo_tor link show tor | awk '/ether/ { print $2 }')
}

start_agent() {
    ip netns exec benchfo_$1 ovs-dpu-agent --detach --no-chdir \
        --enable-dummy \
        --pidfile="$OVS_RUNDIR/$1.pid" --log-file="$OVS_RUNDIR/$1.log" \
        --unixctl="$OVS_RUNDIR/$1.ctl" \
        --remote=punix:"$OVS_RUNDIR/$1.sock" 2>>"$log"
}

agent_appctl() {
    agent=$1
    shift
    ovs-appctl -t "$OVS_RUNDIR/$agent.ctl" "$@"
}

# Starts configuration $1 (stock or dpu).
start() {
    mode=$1
    OVS_RUNDIR=$d/$mode
    export OVS_RUNDIR OVS_LOGDIR=$OVS_RUNDIR OVS_DBDIR=$OVS_RUNDIR \
           OVS_SYSCONFDIR=$OVS_RUNDIR
    rm -rf "$OVS_RUNDIR"
    mkdir -p "$OVS_RUNDIR"
    topology_up $mode

    ovsdb-tool create "$OVS_RUNDIR/conf.db" \
        "$top/_ovs/src/vswitchd/vswitch.ovsschema"
    ovsdb-server --detach --no-chdir --pidfile --log-file \
        --remote=punix:"$OVS_RUNDIR/db.sock" "$OVS_RUNDIR/conf.db" 2>>"$log"
    ovs-vsctl --no-wait init
    if test $mode = dpu; then
        start_agent dpu1
        start_agent dpu2
        ovs-vswitchd --detach --no-chdir --pidfile --log-file \
            --disable-system 2>>"$log"
        ovs-vsctl \
            -- set Open_vSwitch . other_config:dpu-mode=active-standby \
            -- --id=@d1 create DPU name=dpu1 \
                   target="\"unix:$OVS_RUNDIR/dpu1.sock\"" \
            -- --id=@d2 create DPU name=dpu2 \
                   target="\"unix:$OVS_RUNDIR/dpu2.sock\"" \
            -- set Open_vSwitch . dpus=@d1,@d2 \
            -- add-br br-int -- set Bridge br-int datapath_type=dpu \
            -- add-port br-int vif1 \
            -- set Interface vif1 options:dpu-port-type=system \
            -- add-bond br-int uplink vmnic0 vmnic1 bond_mode=active-backup \
            -- set Interface vmnic0 options:dpu=dpu1 options:dpu-peer=vmnic2 \
                   options:dpu-port-type=system \
            -- set Interface vmnic1 options:dpu=dpu1 options:dpu-peer=vmnic3 \
                   options:dpu-port-type=system >/dev/null
    else
        ip netns exec benchfo_sw ovs-vswitchd --detach --no-chdir --pidfile \
            --log-file --disable-system 2>>"$log"
        ovs-vsctl \
            -- add-br br-int -- set Bridge br-int datapath_type=netdev \
            -- add-port br-int vif1 \
            -- add-bond br-int uplink sw0 sw1 bond_mode=active-backup \
            >/dev/null
    fi
    ovs-ofctl add-flow br-int actions=NORMAL
    vswitchd_pid=$(cat "$OVS_RUNDIR/ovs-vswitchd.pid")
    note "$mode: started (ovs-vswitchd $vswitchd_pid)"
}

stop() {
    stop_daemons
}

# The DPU of the pair whose DPU:status:role is $1.
dpu_with_role() {
    for x in dpu1 dpu2; do
        if test "$(ovs-vsctl get DPU $x status:role 2>/dev/null)" = "$1"; then
            echo $x
            return 0
        fi
    done
    return 1
}

# Sends a few frames from the VM, so that both DPUs (and the bridges) learn
# its address.
warm_up() {
    ip netns exec benchfo_vm ovs-dpu-bench-traffic gen eth0 \
        --src-mac=$VM_MAC --dst-mac=$TOR_MAC --first=3 --count=50 \
        --rate=500 --seconds=1 >/dev/null
}

# Whether the pair is redundant again: one DPU active, the other up (in
# sync), standing by, with its uplinks up and the VM's address learned.
pair_ready() {
    act=$(dpu_with_role active) && sby=$(dpu_with_role standby) \
        && test "$(ovs-vsctl get DPU $act status:state)" = up \
        && test "$(ovs-vsctl get DPU $sby status:state)" = up \
        && test "$(agent_appctl $sby dpu-agent/role)" = standby \
        && test "$(agent_appctl $act dpu-agent/role)" = active \
        && ! grep -q "DPU $sby: every uplink lost its link" "$OVS_RUNDIR/links" \
        && agent_appctl $sby dpu-agent/show \
           | grep -q '[1-9][0-9]* addresses learned'
}

# Tracks, in $OVS_RUNDIR/links, the last link message of each DPU in the
# log of ovs-vswitchd.
update_links() {
    for x in dpu1 dpu2; do
        grep -E "DPU $x: (every uplink lost its link|uplinks up again)" \
            "$OVS_RUNDIR/ovs-vswitchd.log" | tail -1
    done > "$OVS_RUNDIR/links"
}

wait_pair_ready() {
    i=0
    while :; do
        update_links
        if pair_ready; then
            return 0
        fi
        i=$((i + 1))
        test $i -le 200 || fail "dpu: the pair did not become redundant in 20 s"
        warm_up
        sleep 0.1
    done
}

# Whether both members of the stock bond are enabled.
bond_ready() {
    test "$(ovs-appctl bond/show uplink | grep -c ': enabled')" = 2
}

# The milliseconds since the epoch of UTC time "$1 $2" (ovsdb-client's or
# the log's format).
utc_ms() {
    date -u -d "$1 $2" +%s%3N
}

start_streams() {
    rm -f "$d/sink-out" "$d/sink-in" "$d/gen-out" "$d/gen-in"
    ip netns exec benchfo_tor ovs-dpu-bench-traffic sink tor --first=1 \
        --stream=$N --seconds=$((STREAM_S + 2)) > "$d/sink-out" 2>&1 &
    sink_out=$!
    ip netns exec benchfo_vm ovs-dpu-bench-traffic sink eth0 --first=2 \
        --stream=$N --seconds=$((STREAM_S + 2)) > "$d/sink-in" 2>&1 &
    sink_in=$!
    bg_pids="$bg_pids $sink_out $sink_in"
    wait_for 5 grep -q ready "$d/sink-out" || fail "the sink did not start"
    wait_for 5 grep -q ready "$d/sink-in" || fail "the sink did not start"
    ip netns exec benchfo_vm ovs-dpu-bench-traffic gen eth0 \
        --src-mac=$VM_MAC --dst-mac=$TOR_MAC --first=1 --count=$N \
        --rate=$RATE --seconds=$((STREAM_S + 1)) > "$d/gen-out" 2>&1 &
    gen_out=$!
    ip netns exec benchfo_tor ovs-dpu-bench-traffic gen tor \
        --src-mac=$TOR_MAC --dst-mac=$VM_MAC --first=2 --count=$N \
        --rate=$RATE --seconds=$((STREAM_S + 1)) > "$d/gen-in" 2>&1 &
    gen_in=$!
    bg_pids="$bg_pids $gen_out $gen_in"
}

# Waits for the streams of start_streams and sets 'gap_ms' and 'lost'.
finish_streams() {
    wait $gen_out $gen_in || true
    wait $sink_out $sink_in || true
    gap_ms=0
    lost=0
    dup=0
    detail=
    for x in out in; do
        sent=$(sed -n 's/^sent //p' "$d/gen-$x")
        unique=$(sed -n 's/^unique //p' "$d/sink-$x")
        gap=$(sed -n 's/^max_gap_us //p' "$d/sink-$x")
        dups=$(sed -n 's/^duplicates //p' "$d/sink-$x")
        test -n "$sent" && test -n "$unique" && test -n "$gap" \
            || fail "$mode: no result from the stream $x"
        test "$sent" = $N || note "$mode: the generator sent $sent of $N frames ($x)"
        lost=$((lost + N - unique))
        dup=$((dup + dups))
        gap_ms=$(awk -v a=$gap_ms -v b=$gap 'BEGIN { b /= 1000; print (b > a ? b : a) }')
        ranges=$(sed -n 's/^lost_ranges *//p' "$d/sink-$x")
        detail="$detail $x: lost $((N - unique))${ranges:+ ($ranges)},"
        detail="$detail gap $((gap / 1000)) ms, $dups twice;"
    done
}

# Records figure $2 of trigger $1 as $3 for the current configuration.
record() {
    echo "$mode $1 $2 $3" >> "$results"
}

# One run of DPU trigger $1.
run_dpu() {
    trigger=$1
    wait_pair_ready
    act=$(dpu_with_role active)
    sby=$(dpu_with_role standby)
    n0=$(ovs-vsctl get DPU $sby status:failovers 2>/dev/null | tr -d '"')
    ovsdb-client --timestamp monitor "unix:$OVS_RUNDIR/db.sock" \
        Open_vSwitch DPU name status > "$d/monitor" 2>&1 &
    mon=$!
    bg_pids="$bg_pids $mon"
    wait_for 5 grep -q initial "$d/monitor" || fail "ovsdb-client monitor did not start"
    start_streams
    sleep $PRE_S
    t0=$(now_ms)
    case $trigger in
        crash) kill -9 "$(cat "$OVS_RUNDIR/$act.pid")" ;;
        hang) kill -STOP "$(cat "$OVS_RUNDIR/$act.pid")" ;;
        cable-pull)
            if test $act = dpu1; then a=0 b=1; else a=2 b=3; fi
            printf 'link set tor%s down\nlink set tor%s down\n' $a $b \
                | ip -n benchfo_tor -batch -
            ;;
        pci-error) agent_appctl $act dpu-agent/fault pci-error >/dev/null ;;
        planned) ovs-appctl dpif-dpu/failover >/dev/null ;;
    esac
    finish_streams
    kill $mon 2>/dev/null || true
    wait $mon 2>/dev/null || true
    bg_pids=

    # Repairs.
    case $trigger in
        crash) start_agent $act ;;
        hang) kill -CONT "$(cat "$OVS_RUNDIR/$act.pid")" ;;
        cable-pull)
            printf 'link set tor%s up\nlink set tor%s up\n' $a $b \
                | ip -n benchfo_tor -batch -
            ;;
        pci-error) agent_appctl $act dpu-agent/fault clear >/dev/null ;;
    esac

    n1=$(ovs-vsctl get DPU $sby status:failovers 2>/dev/null | tr -d '"')
    last=$(ovs-vsctl get DPU $sby status:last_failover | tr -d '"')
    if test "$n1" != $((n0 + 1)) \
       || ! echo "$last" | grep -q "from=$act to=$sby"; then
        note "dpu: $trigger: no failover from $act to $sby (failovers $n0 -> $n1, last: $last); lost $lost, gap $gap_ms ms"
        record $trigger lost_pkts $lost
        record $trigger gap_ms $gap_ms
        return
    fi
    t_fo=$(utc_ms $(echo "$last" | sed 's/T/ /; s/Z.*//'))
    detect=$((t_fo - t0))
    t_conv=$(awk -v dpu=$sby '
        /^[0-9]+-[0-9]+-[0-9]+ [0-9:.]+$/ { ts = $0 }
        $0 ~ "new +" dpu " " && /role=active/ { print ts; exit }' "$d/monitor")
    if test -n "$t_conv"; then
        converge=$(($(utc_ms $t_conv) - t0))
    else
        converge=
    fi
    note "dpu: $trigger from $act to $sby: detect ${detect} ms, gap ${gap_ms} ms, lost $lost, converge ${converge:-?} ms ($last;$detail)"
    record $trigger detect_ms $detect
    record $trigger gap_ms $gap_ms
    record $trigger lost_pkts $lost
    record $trigger dup_pkts $dup
    test -z "$converge" || record $trigger converge_ms $converge
}

# One run of the stock bond's failover.
run_stock() {
    wait_for 20 bond_ready || fail "stock: the bond's members did not come up"
    warm_up
    act=$(ovs-appctl bond/show uplink \
          | sed -n 's/^active member mac: .*(\(sw[01]\))$/\1/p')
    test -n "$act" || fail "stock: no active member"
    other=sw$((1 - ${act#sw}))
    nlog=$(grep -c 'active member is now' "$OVS_RUNDIR/ovs-vswitchd.log" || true)
    ovsdb-client --timestamp monitor "unix:$OVS_RUNDIR/db.sock" \
        Open_vSwitch Port name bond_active_slave > "$d/monitor" 2>&1 &
    mon=$!
    bg_pids="$bg_pids $mon"
    wait_for 5 grep -q initial "$d/monitor" || fail "ovsdb-client monitor did not start"
    mac0=$(ovs-vsctl get Port uplink bond_active_slave)
    start_streams
    sleep $PRE_S
    t0=$(now_ms)
    ip -n benchfo_tor link set tor${act#sw} down
    finish_streams
    kill $mon 2>/dev/null || true
    wait $mon 2>/dev/null || true
    bg_pids=
    ip -n benchfo_tor link set tor${act#sw} up

    line=$(grep 'active member is now' "$OVS_RUNDIR/ovs-vswitchd.log" \
           | sed -n "$((nlog + 1))p")
    if echo "$line" | grep -q "active member is now $other"; then
        t_fo=$(utc_ms $(echo "$line" | sed 's/T/ /; s/Z.*//'))
        detect=$((t_fo - t0))
    else
        detect=
    fi
    t_conv=$(awk '
        /^[0-9]+-[0-9]+-[0-9]+ [0-9:.]+$/ { ts = $0; n++ }
        n > 1 && /new +uplink / { print ts; exit }' "$d/monitor")
    if test -n "$t_conv"; then
        converge=$(($(utc_ms $t_conv) - t0))
    else
        converge=
    fi
    note "stock: carrier loss on $act: detect ${detect:-?} ms, gap ${gap_ms} ms, lost $lost, converge ${converge:-?} ms ($detail)"
    test -z "$detect" || record bond detect_ms $detect
    record bond gap_ms $gap_ms
    record bond lost_pkts $lost
    record bond dup_pkts $dup
    test -z "$converge" || record bond converge_ms $converge
}

# Prints the lines of the report, for each trigger and figure the median
# and the worst (the highest) over the runs, beside stock's.
report() {
    for t in $TRIGGERS; do
        for f in detect_ms gap_ms lost_pkts dup_pkts converge_ms; do
            for stat in median worst; do
                dpu=$(awk -v t=$t -v f=$f '$1 == "dpu" && $2 == t && $3 == f { print $4 }' "$results" | sort -g | stat_of $stat)
                stock=$(awk -v f=$f '$1 == "stock" && $3 == f { print $4 }' "$results" | sort -g | stat_of $stat)
                name=failover_${t}_$f
                test $stat = median || name=${name}_worst
                awk -v n=$name -v a="$dpu" -v b="$stock" 'BEGIN {
                    r = (b != "n/a" && a != "n/a" && b > 0) ? sprintf("%.3f", a / b) : "n/a"
                    printf "%s: dpu=%s stock=%s ratio=%s\n", n, a, b, r }'
            done
        done
    done
}

# The median or the worst of the sorted numbers on standard input, "n/a"
# if none.
stat_of() {
    awk -v stat=$1 '{ v[n++] = $1 }
        END {
            if (!n) { print "n/a"; exit }
            if (stat == "worst") { x = v[n - 1] }
            else if (n % 2) { x = v[int(n / 2)] }
            else { x = (v[n / 2 - 1] + v[n / 2]) / 2 }
            print (x == int(x) ? x : sprintf("%.1f", x))
        }'
}

note "run directory $d; $RUNS runs per trigger, streams of $RATE frames/s each way"
t_start=$(now_ms)

# Stock's runs, half before the DPU's and half after, so that a load that
# drifts during the run weighs on both alike.
half=$(((RUNS + 1) / 2))
start stock
for i in $(seq $half); do
    run_stock
done
stop

start dpu
wait_for 30 dpu_with_role active || fail "dpu: no DPU became active"
for t in $TRIGGERS; do
    for i in $(seq $RUNS); do
        run_dpu $t
    done
done
stop

start stock
for i in $(seq $((RUNS - half))); do
    run_stock
done
stop

note "done in $((($(now_ms) - t_start) / 1000)) s"
report | tee "$d/report"
