#! /bin/sh
# ovs-dpu-demo.sh: one host, one emulated DPU, two "VMs" pinging through it.
#
# The DPU is emulated by ovs-dpu-agent in network namespace ovsdpu-dpu0, with
# real Linux ports (veth, AF_PACKET); the VMs are namespaces ovsdpu-vm1 and
# ovsdpu-vm2 attached to it.  ovsdb-server and ovs-vswitchd run on the host,
# in a scratch directory, with bridge br0 of datapath type "dpu".  The demo
# prints the DPU's state, the pings, the megaflows held by the DPU, and the
# CPU time that ovs-vswitchd (the host) and the agent (the DPU) spend while
# established traffic flows.  It needs root, and cleans up after itself.
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
B=$top/_ovs/build
PATH=$B/utilities:$B/vswitchd:$B/ovsdb:$B/dpu/dpu-agent:$B/dpu/utilities:$PATH
N_FLOOD=${N_FLOOD:-20000}

if test "$(id -u)" != 0; then
    echo "$0: the demo creates network namespaces: run it as root" >&2
    exit 1
fi

d=$(mktemp -d /tmp/ovs-dpu-demo.XXXXXX)
export OVS_RUNDIR=$d OVS_LOGDIR=$d OVS_DBDIR=$d OVS_SYSCONFDIR=$d
dpu=ovsdpu-dpu0
vm1=ovsdpu-vm1
vm2=ovsdpu-vm2

cleanup() {
    for p in ovs-vswitchd dpu0 ovsdb-server; do
        if test -f "$d/$p.pid"; then
            kill "$(cat "$d/$p.pid")" 2>/dev/null || true
        fi
    done
    for ns in $vm1 $vm2 $dpu; do
        ip netns del $ns 2>/dev/null || true
    done
    echo "(logs kept in $d)"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# CPU time of process $1 in milliseconds (user + system).
cpu_ms() {
    awk -v hz="$(getconf CLK_TCK)" '{ print int(($14 + $15) * 1000 / hz) }' \
        "/proc/$1/stat"
}

section() {
    echo
    echo "== $*"
}

cd "$d"
for ns in $vm1 $vm2 $dpu; do
    ip netns del $ns 2>/dev/null || true
    ip netns add $ns
done
ip netns exec $dpu ip link set lo up

# The DPU: an agent in its own namespace, reached through a unix socket.
ip netns exec $dpu ovs-dpu-agent --detach --no-chdir --pidfile=$d/dpu0.pid \
    --log-file=$d/dpu0.log --unixctl=$d/dpu0.ctl --remote=punix:$d/dpu0.sock

# The host.
ovsdb-tool create conf.db "$top/_ovs/src/vswitchd/vswitch.ovsschema"
ovsdb-server --detach --no-chdir --pidfile --log-file \
    --remote=punix:$d/db.sock conf.db
ovs-vsctl --no-wait init
ovs-vswitchd --detach --no-chdir --pidfile --log-file --disable-system
ovs-vsctl -- --id=@d create DPU name=dpu0 target="\"unix:$d/dpu0.sock\"" \
    -- add Open_vSwitch . dpus @d >/dev/null
ovs-vsctl add-br br0 -- set bridge br0 datapath_type=dpu

# Two VMs, each on a veth pair whose other end is a port of the DPU.
i=1
for vm in $vm1 $vm2; do
    ip link add p$i netns $dpu type veth peer name eth0 netns $vm
    ip netns exec $dpu ip link set p$i up
    ip netns exec $vm ip link set eth0 address 50:54:00:00:00:0$i
    ip netns exec $vm ip addr add 10.0.0.$i/24 dev eth0
    ip netns exec $vm ip link set eth0 up
    ovs-vsctl add-port br0 p$i -- set Interface p$i options:dpu=dpu0
    i=$((i + 1))
done
ovs-ofctl add-flow br0 actions=NORMAL

a="ovs-appctl -t $d/dpu0.ctl"
tries=0
until ovs-vsctl get DPU dpu0 status:state | grep -q up; do
    tries=$((tries + 1))
    if test $tries -gt 100; then
        echo "the DPU did not come up; see $d/ovs-vswitchd.log" >&2
        exit 1
    fi
    sleep 0.1
done

section "the DPU, as the host sees it (ovs-vsctl list DPU)"
ovs-vsctl --columns=name,target,status list DPU
section "ovs-appctl dpif-dpu/show"
ovs-appctl dpif-dpu/show

section "vm1 pings vm2 through the DPU"
ip netns exec $vm1 ping -c 3 -i 0.2 10.0.0.2

section "megaflows held by the DPU (ovs-appctl -t dpu0 dpctl/dump-flows)"
$a dpctl/dump-flows --names

section "established traffic: $N_FLOOD pings (ping -f) from vm1 to vm2"
host_pid=$(cat ovs-vswitchd.pid)
dpu_pid=$(cat dpu0.pid)
up0=$($a dpu-agent/show | sed -n 's/^upcalls: sent \([0-9]*\),.*/\1/p')
host0=$(cpu_ms $host_pid)
dpu0=$(cpu_ms $dpu_pid)
t0=$(date +%s%N)
ip netns exec $vm1 ping -q -f -c "$N_FLOOD" 10.0.0.2 | grep transmitted
t1=$(date +%s%N)
host1=$(cpu_ms $host_pid)
dpu1=$(cpu_ms $dpu_pid)
up1=$($a dpu-agent/show | sed -n 's/^upcalls: sent \([0-9]*\),.*/\1/p')
wall=$(( (t1 - t0) / 1000000 ))

section "the IPv4 megaflows on the DPU after the flood"
$a dpctl/dump-flows --names | grep 'eth_type(0x0800)'

section "CPU time spent while $N_FLOOD pings crossed the DPU (${wall} ms)"
echo "ovs-vswitchd (host):  $((host1 - host0)) ms"
echo "ovs-dpu-agent (DPU):  $((dpu1 - dpu0)) ms"
echo "upcalls from the DPU: $((up1 - up0))"
