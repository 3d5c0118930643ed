#! /bin/sh
# ovs-dpu-demo.sh: one host, one emulated DPU, two ports, traffic through the
# DPU.  Runs in a scratch directory with its own daemons, and stops them.
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
B=$top/_ovs/build
PATH=$B/utilities:$B/vswitchd:$B/ovsdb:$B/dpu/dpu-agent:$B/dpu/utilities:$PATH
d=$(mktemp -d /tmp/ovs-dpu-demo.XXXXXX)
export OVS_RUNDIR=$d OVS_LOGDIR=$d OVS_DBDIR=$d OVS_SYSCONFDIR=$d
cleanup() {
    for p in ovs-vswitchd dpu0 ovsdb-server; do
        test -f $d/$p.pid && kill "$(cat $d/$p.pid)" 2>/dev/null || true
    done
}
trap cleanup EXIT
cd "$d"
ovsdb-tool create conf.db "$top/_ovs/src/vswitchd/vswitch.ovsschema"
ovsdb-server --detach --no-chdir --pidfile --log-file \
    --remote=punix:$d/db.sock conf.db
ovs-vsctl --no-wait init
ovs-dpu-agent --enable-dummy --detach --no-chdir --pidfile=dpu0.pid \
    --log-file=dpu0.log --unixctl=$d/dpu0.ctl --remote=punix:$d/dpu0.sock
ovs-vswitchd --detach --no-chdir --pidfile --log-file --disable-system
ovs-vsctl -- --id=@d create DPU name=dpu0 target="\"unix:$d/dpu0.sock\"" \
    -- add Open_vSwitch . dpus @d >/dev/null
ovs-vsctl add-br br0 -- set bridge br0 datapath_type=dpu \
    -- add-port br0 vm1 -- set Interface vm1 ofport_request=1 \
    -- add-port br0 vm2 -- set Interface vm2 ofport_request=2
echo "== DPU as seen by the host (ovs-appctl dpif-dpu/show)"
ovs-appctl dpif-dpu/show
a="ovs-appctl -t $d/dpu0.ctl"
p12='eth(src=50:54:00:00:00:01,dst=50:54:00:00:00:02),eth_type(0x0800),ipv4(src=10.0.0.1,dst=10.0.0.2,proto=1,tos=0,ttl=64,frag=no),icmp(type=8,code=0)'
p21='eth(src=50:54:00:00:00:02,dst=50:54:00:00:00:01),eth_type(0x0800),ipv4(src=10.0.0.2,dst=10.0.0.1,proto=1,tos=0,ttl=64,frag=no),icmp(type=0,code=0)'
$a netdev-dummy/receive vm1 "$p12"
sleep 1
$a netdev-dummy/receive vm2 "$p21"
sleep 1
cpu0=$(ps -o cputime= -p "$(cat ovs-vswitchd.pid)")
i=0
while test $i -lt 2000; do
    $a netdev-dummy/receive vm1 "$p12" >/dev/null
    i=$((i + 1))
done
cpu1=$(ps -o cputime= -p "$(cat ovs-vswitchd.pid)")
echo "== megaflows held by the DPU (ovs-appctl -t dpu0 dpctl/dump-flows)"
$a dpctl/dump-flows
echo "== agent (ovs-appctl -t dpu0 dpu-agent/show)"
$a dpu-agent/show
echo "== ovs-vswitchd CPU time before and after 2000 established packets:" \
     "$cpu0 -> $cpu1"
