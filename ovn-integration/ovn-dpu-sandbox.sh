#! /bin/sh
# Copyright (c) 2026 The OVS-DPU Authors.
#
# Licensed under the Apache License, Version 2.0 (the "License");
# you may not use this file except in compliance with the License.
# You may obtain a copy of the License at:
#
#     http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS,
# WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
# See the License for the specific language governing permissions and
# limitations under the License.

# ovn-dpu-sandbox.sh: OVN on many emulated hosts with DPUs, on one machine
# ("make sandbox-ovn HOSTS=N DPUS=1|2"; "make sandbox-ovn-clean").
#
#   start HOSTS DPUS   builds the sandbox and prints how to reach it
#   clean              stops and removes everything that start made
#
# What start builds, in $SANDBOX_DIR (/tmp/ovs-dpu-sandbox-ovn):
#
#   - OVN's central part, from ovn-dpu-central: the northbound and
#     southbound databases as 3-member Raft clusters and ovn-northd, in
#     central/, reached over Unix sockets;
#   - the underlay: network namespace ovsdpu-tor with Linux bridge "tor",
#     the top-of-rack switch;
#   - for each host hvH (H = 1..HOSTS), in hvH/: ovsdb-server, and
#     ovs-vswitchd and ovn-controller in network namespace ovsdpu-hvH; DPUS
#     emulated DPUs, dpu0 (and dpu1, an active-standby pair), each an
#     ovs-dpu-agent in namespace ovsdpu-hvH-dpuK with uplink upK, a veth
#     into the top-of-rack bridge, as a port of bridge br-phys; the tunnel
#     endpoint 172.31.0.H is br-phys's address on the (active) DPU; the
#     host joins OVN with ovs-dpu-ovn;
#   - VMS VMs per host (2 by default), namespaces ovsdpu-hvH-vmV with eth0
#     at 10.0.H.V/16, ports of br-int bound to logical switch ls1.  With
#     two DPUs, a VM reaches both through a Linux bridge of its own in
#     ovsdpu-hvH-fab that stands for the host's PCIe fabric.
#
# Every wait is bounded.  If start fails, it cleans up what it made and
# keeps the logs in $SANDBOX_DIR.failed.
set -e
top=$(cd -P "$(dirname "$0")/.." && pwd)
B=$top/_ovs/build
build_path=$B/utilities:$B/vswitchd:$B/ovsdb:$B/dpu/dpu-agent
build_path=$build_path:$B/dpu/utilities:$B/dpu/ovn-integration
PATH=$build_path:$PATH
export PATH
D=${SANDBOX_DIR:-/tmp/ovs-dpu-sandbox-ovn}
VMS=${VMS:-2}
TIMEOUT=30

die () {
    echo "sandbox-ovn: $*" >&2
    exit 1
}

# wait_for WHAT COMMAND...: runs COMMAND every 0.1 s until it succeeds, for
# at most $TIMEOUT seconds.
wait_for () {
    what=$1
    shift
    tries=$((TIMEOUT * 10))
    while ! "$@" >/dev/null 2>&1; do
        if test $tries -le 0; then
            die "$what: not after $TIMEOUT seconds"
        fi
        tries=$((tries - 1))
        sleep 0.1
    done
}

# add_ns NAME: creates network namespace NAME, with lo up and without IPv6
# (so that only the sandbox's own traffic crosses the DPUs), and records it
# for clean.
add_ns () {
    ip netns add "$1"
    echo "$1" >> "$D/namespaces"
    ip netns exec "$1" ip link set lo up
    ip netns exec "$1" sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
    ip netns exec "$1" sysctl -q -w net.ipv6.conf.default.disable_ipv6=1
}

# kill_pidfile FILE: ends the process whose pid FILE holds.
kill_pidfile () {
    test -s "$1" || return 0
    pid=$(cat "$1")
    kill "$pid" 2>/dev/null || return 0
    tries=50
    while kill -0 "$pid" 2>/dev/null && test $tries -gt 0; do
        case $(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null) in
            Z*|X*) break ;;
        esac
        tries=$((tries - 1))
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
}

cmd_clean () {
    test -d "$D" || return 0
    for h in "$D"/hv*; do
        test -d "$h" || continue
        for p in ovn-controller ovs-vswitchd dpu0 dpu1 ovsdb-server; do
            kill_pidfile "$h/$p.pid"
        done
    done
    if test -e "$D/central/members"; then
        ovn-dpu-central stop "$D/central" || true
    fi
    if test -e "$D/namespaces"; then
        for ns in $(cat "$D/namespaces"); do
            ip netns del "$ns" 2>/dev/null || true
        done
    fi
    if test "$1" = keep-logs; then
        rm -rf "$D.failed"
        mv "$D" "$D.failed"
        echo "sandbox-ovn: cleaned up; the logs are in $D.failed" >&2
    else
        rm -rf "$D" "$D.failed"
        echo "sandbox-ovn: cleaned up"
    fi
}

# failed: after a failed set-up, removes what it made but the logs.
failed () {
    echo "sandbox-ovn: set-up failed" >&2
    cmd_clean keep-logs
}

hex2 () {
    printf %02x "$1"
}

# start_host H: host hvH, with its DPUs, joined to OVN.
start_host () {
    h=$1
    hd=$D/hv$h
    hns=ovsdpu-hv$h
    mkdir -p "$hd"
    add_ns $hns
    for k in $dpus_list; do
        add_ns $hns-dpu$k
        ip netns exec $hns-dpu$k ovs-dpu-agent --detach --no-chdir \
            -vconsole:off --pidfile=$hd/dpu$k.pid --log-file=$hd/dpu$k.log \
            --unixctl=$hd/dpu$k.ctl --remote=punix:$hd/dpu$k.sock
        ip link add up$k netns $hns-dpu$k type veth \
            peer name hv${h}up$k netns ovsdpu-tor
        ip netns exec ovsdpu-tor ip link set hv${h}up$k master tor up
        ip netns exec $hns-dpu$k ip link set up$k up
    done

    (
        export OVS_RUNDIR=$hd OVS_LOGDIR=$hd OVS_DBDIR=$hd OVS_SYSCONFDIR=$hd
        export OVN_RUNDIR=$hd OVN_LOGDIR=$hd
        cd "$hd"
        ovsdb-tool create conf.db "$top/_ovs/src/vswitchd/vswitch.ovsschema"
        ovsdb-server -vconsole:off --detach --no-chdir --pidfile --log-file \
            --remote=punix:$hd/db.sock conf.db
        ovs-vsctl --no-wait init
        ip netns exec $hns ovs-vswitchd -vconsole:off --detach --no-chdir \
            --pidfile --log-file --disable-system

        # A pair's heartbeats are every 50 ms rather than 10: the sandbox
        # runs many daemons on few cores, where a DPU merely scheduled late
        # would look down.
        dpu_rows=
        for k in $dpus_list; do
            dpu_rows="$dpu_rows -- --id=@d$k create DPU name=dpu$k"
            dpu_rows="$dpu_rows target=\"unix:$hd/dpu$k.sock\""
            if test $DPUS = 2; then
                dpu_rows="$dpu_rows other_config:heartbeat-interval=50"
            fi
        done
        if test $DPUS = 2; then
            ovs-vsctl set Open_vSwitch . other_config:dpu-mode=active-standby \
                $dpu_rows -- set Open_vSwitch . dpus=@d0,@d1 >/dev/null
            peer="options:dpu-peer=up1"
        else
            ovs-vsctl $dpu_rows -- set Open_vSwitch . dpus=@d0 >/dev/null
            peer=
        fi

        # The underlay bridge, with the uplink; its internal port, a device
        # of the DPU's namespace, holds the tunnel endpoint.
        ovs-vsctl add-br br-phys -- set Bridge br-phys datapath_type=dpu \
            -- add-port br-phys up0 -- set Interface up0 options:dpu=dpu0 \
            $peer
        wait_for "hv$h: br-phys on dpu0" \
            ip netns exec $hns-dpu0 ip link show br-phys
        ip netns exec $hns-dpu0 ip addr add 172.31.0.$h/16 dev br-phys
        ip netns exec $hns-dpu0 ip link set br-phys up

        ip netns exec $hns ovs-dpu-ovn --timeout=$TIMEOUT join \
            --remote="$OVN_SB_DB" --encap-ip=172.31.0.$h --system-id=hv$h \
            > "$hd/join.out"

        # The VMs.
        if test $DPUS = 2; then
            add_ns $hns-fab
        fi
        for v in $(seq 1 $VMS); do
            vm=$hns-vm$v
            mac=50:54:00:00:$(hex2 $h):$(hex2 $v)
            add_ns $vm
            if test $DPUS = 2; then
                # The host's PCIe fabric, a bridge per VM that floods
                # (ageing time 0): the VM reaches both DPUs, the DPUs do
                # not reach each other.
                fab=fab$v
                ip netns exec $hns-fab ip link add $fab type bridge \
                    ageing_time 0
                ip netns exec $hns-fab ip link set $fab up
                for k in 0 1; do
                    ip link add vm$v netns $hns-dpu$k type veth \
                        peer name d${k}vm$v netns $hns-fab
                    ip netns exec $hns-fab ip link set d${k}vm$v master $fab up
                    ip netns exec $hns-fab bridge link set dev d${k}vm$v \
                        isolated on
                    ip netns exec $hns-dpu$k ip link set vm$v up
                done
                ip link add eth0 netns $vm type veth \
                    peer name vm$v netns $hns-fab
                ip netns exec $hns-fab ip link set vm$v master $fab up
                on_dpu=
            else
                ip link add vm$v netns $hns-dpu0 type veth \
                    peer name eth0 netns $vm
                ip netns exec $hns-dpu0 ip link set vm$v up
                on_dpu="options:dpu=dpu0"
            fi
            ip netns exec $vm ip link set eth0 address $mac
            ip netns exec $vm ip addr add 10.0.$h.$v/16 dev eth0
            ip netns exec $vm ip link set eth0 up
            ovn-nbctl --timeout=$TIMEOUT lsp-add ls1 hv$h-vm$v \
                -- lsp-set-addresses hv$h-vm$v "$mac 10.0.$h.$v"
            ovs-vsctl add-port br-int vm$v -- set Interface vm$v $on_dpu \
                external_ids:iface-id=hv$h-vm$v
        done
    )
}

# ping_ok NS IP: whether NS reaches IP, within 5 seconds.
ping_ok () {
    ip netns exec "$1" ping -q -c 3 -i 0.2 -w 5 "$2" >/dev/null 2>&1
}

cmd_start () {
    HOSTS=$1
    DPUS=$2
    case $HOSTS in
        ''|*[!0-9]*|0) die "HOSTS=$HOSTS: give a number of hosts, 1 to 200" ;;
    esac
    test "$HOSTS" -le 200 || die "HOSTS=$HOSTS: at most 200"
    case $DPUS in
        1) dpus_list=0 ;;
        2) dpus_list="0 1" ;;
        *) die "DPUS=$DPUS: 1 or 2" ;;
    esac
    case $VMS in
        ''|*[!0-9]*|0) die "VMS=$VMS: give a number of VMs per host" ;;
    esac
    test "$(id -u)" = 0 \
        || die "the sandbox creates network namespaces: run it as root"
    for prog in ovn-northd ovn-controller ovn-nbctl ovn-sbctl; do
        command -v $prog >/dev/null \
            || die "$prog not found: install Debian's ovn-central and ovn-host (see README.rst)"
    done
    test -x "$B/dpu/ovn-integration/ovs-dpu-ovn" || die "build first (make)"
    test ! -e "$D" \
        || die "$D exists: a sandbox runs already (make sandbox-ovn-clean)"

    mkdir -p "$D"
    trap 'status=$?; if test $status != 0; then failed; fi' EXIT
    trap 'exit 1' INT TERM

    t0=$(date +%s%N)
    ovn-dpu-central start "$D/central" 3 > "$D/central.env"
    . "$D/central.env"
    ovn-nbctl --timeout=$TIMEOUT ls-add ls1

    add_ns ovsdpu-tor
    ip netns exec ovsdpu-tor ip link add tor type bridge
    ip netns exec ovsdpu-tor ip link set tor up

    for h in $(seq 1 "$HOSTS"); do
        start_host $h
    done
    ovn-nbctl --timeout=$TIMEOUT --wait=hv sync
    for h in $(seq 1 "$HOSTS"); do
        for v in $(seq 1 $VMS); do
            ovn-nbctl --timeout=$TIMEOUT wait-until Logical_Switch_Port \
                hv$h-vm$v up=true
        done
    done
    t1=$(date +%s%N)

    echo "OVN sandbox: $HOSTS hosts, $DPUS DPU(s) and $VMS VMs each," \
         "up in $(( (t1 - t0) / 1000000 )) ms."
    echo
    echo "Same-host pings (the VMs' traffic crosses their host's DPU):"
    same_fail=0
    for h in $(seq 1 "$HOSTS"); do
        if test $VMS -ge 2; then
            if ping_ok ovsdpu-hv$h-vm1 10.0.$h.2; then
                echo "  hv$h-vm1 -> hv$h-vm2: works"
            else
                echo "  hv$h-vm1 -> hv$h-vm2: FAILS"
                same_fail=1
            fi
        fi
    done
    if test "$HOSTS" -ge 2; then
        echo "Cross-host ping (Geneve from DPU to DPU):"
        if ping_ok ovsdpu-hv1-vm1 10.0.2.1; then
            echo "  hv1-vm1 -> hv2-vm1: works"
        else
            echo "  hv1-vm1 -> hv2-vm1: FAILS"
            same_fail=1
        fi
    fi

    cat <<EOF

To reach it (as root):
  export PATH=$build_path:\$PATH
  . $D/central.env                # OVN_NB_DB, OVN_SB_DB: all 3 members
  ovn-nbctl show; ovn-sbctl show
  ovs-appctl -t $D/central/ovn-nb-1.ctl cluster/status OVN_Northbound
  ovs-appctl -t $D/central/ovn-northd.ctl status
EOF
    for h in $(seq 1 "$HOSTS"); do
        hd=$D/hv$h
        cat <<EOF
Host hv$h (ovs-vswitchd and ovn-controller in namespace ovsdpu-hv$h):
  env OVS_RUNDIR=$hd ovs-vsctl show
  env OVS_RUNDIR=$hd ovs-appctl dpif-dpu/show
  env OVS_RUNDIR=$hd OVN_RUNDIR=$hd ovs-dpu-ovn status
EOF
        for k in $dpus_list; do
            echo "  ovs-appctl -t $hd/dpu$k.ctl dpctl/dump-flows" \
                 "  # DPU dpu$k, namespace ovsdpu-hv$h-dpu$k"
        done
        echo "  ip netns exec ovsdpu-hv$h-vm1 ping 10.0.$h.2" \
             "  # VMs: ovsdpu-hv$h-vm1..$VMS at 10.0.$h.1..$VMS"
    done
    cat <<EOF
Logs are in $D.  Clean up with: make sandbox-ovn-clean
EOF
    trap - EXIT
    return $same_fail
}

case $1 in
    start) cmd_start "$2" "$3" ;;
    clean) cmd_clean ;;
    *) die "usage: $0 start HOSTS DPUS | clean" ;;
esac
