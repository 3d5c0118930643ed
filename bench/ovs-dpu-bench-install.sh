#! /bin/sh
# ovs-dpu-bench-install.sh: installing a bundle on two DPUs against one,
# and the transfer of an install against a plain copy, in one run.
#
# usage: bench/ovs-dpu-bench-install.sh BUNDLE   (or "make bench-install",
#                                                  which builds the bundle)
#
# Two emulated DPUs, each an ovs-dpu-agent with its boot loader
# (ovs-dpu-boot), on unix sockets in a scratch directory; no root needed.
# BUNDLE (unsigned, as "make bundle" writes it) is signed with a scratch
# key that both DPUs trust.  BENCH_INSTALL_RUNS rounds (default 5), each
# in the order 1, 2, copy, then 2, 1, copy, alternating, so that a load
# that drifts weighs on all alike:
#   1      "ovs-dpuctl install" to dpu0: the bundle streamed over the
#          host<->DPU protocol, checked by the agent and the boot loader,
#          written to the inactive bank;
#   2      the same to dpu0 and dpu1 at once;
#   copy   the same bytes through a unix socket into a sink (nc -U), with
#          no protocol, no check and no write: the channel's own speed.
# It prints the median over the rounds, one line per figure:
#   install_1dpu_s, install_2dpu_s   seconds, and their ratio (the target
#                                    is at most 1.1);
#   install_MBps, copy_MBps          bundle bytes per second of a one-DPU
#                                    install (all of it, the checks and the
#                                    bank write included) and of the copy,
#                                    and their ratio.
# The machine should be quiet: say what else ran with the figures.
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
B=$top/_ovs/build
PATH=$B/utilities:$B/dpu/utilities:$B/dpu/dpu-agent:$PATH

bundle=$1
test -n "$bundle" && test -f "$bundle" || {
    echo "usage: $0 BUNDLE" >&2; exit 1; }
runs=${BENCH_INSTALL_RUNS:-5}
for prog in ovs-dpu-agent ovs-dpu-boot ovs-dpuctl ovs-dpu-bundle openssl nc; do
    command -v $prog >/dev/null || { echo "$0: $prog not found" >&2; exit 1; }
done

dir=$(mktemp -d /tmp/ovs-dpu-bench-install.XXXXXX)
cleanup() {
    for p in "$dir"/*.pid; do
        test -e "$p" && kill "$(cat "$p")" 2>/dev/null || :
    done
    rm -rf "$dir"
}
trap cleanup EXIT INT TERM
export OVS_RUNDIR=$dir OVS_LOGDIR=$dir OVS_DBDIR=$dir

openssl genpkey -algorithm ed25519 -out "$dir/op.pem" 2>/dev/null
openssl pkey -in "$dir/op.pem" -pubout -out "$dir/op.pub"
cp "$bundle" "$dir/b.bundle"
ovs-dpu-bundle sign --private-key="$dir/op.pem" "$dir/b.bundle" >/dev/null
size=$(stat -c %s "$dir/b.bundle")

for dpu in dpu0 dpu1; do
    mkdir "$dir/banks-$dpu"
    ovs-dpu-boot --detach --no-chdir --pidfile="$dir/$dpu-boot.pid" \
        --log-file="$dir/$dpu-boot.log" --unixctl="$dir/$dpu-boot.ctl" \
        --trust="$dir/op.pub" -vconsole:off "$dir/banks-$dpu"
    ovs-dpu-agent --enable-dummy=system --detach --no-chdir \
        --pidfile="$dir/$dpu.pid" --log-file="$dir/$dpu.log" \
        --unixctl="$dir/$dpu.ctl" --remote="punix:$dir/$dpu.sock" \
        --boot-unixctl="$dir/$dpu-boot.ctl" -vconsole:off
done

now_ms() {
    echo $(( $(date +%s%N) / 1000000 ))
}

# run_ms COMMAND...: prints how long COMMAND took, in milliseconds.
run_ms() {
    t0=$(now_ms)
    "$@" >/dev/null
    echo $(( $(now_ms) - t0 ))
}

install_ms() {
    run_ms ovs-dpuctl -t 60 --trust="$dir/op.pub" install "$dir/b.bundle" "$@"
}

copy_ms() {
    rm -f "$dir/sink.sock"
    nc -lU "$dir/sink.sock" >/dev/null &
    sink=$!
    i=0
    while test ! -S "$dir/sink.sock" && test $i -lt 100; do
        sleep 0.05; i=$((i + 1))
    done
    t0=$(now_ms)
    nc -N -U "$dir/sink.sock" < "$dir/b.bundle" 2>/dev/null \
        || nc -U "$dir/sink.sock" < "$dir/b.bundle"
    wait $sink
    echo $(( $(now_ms) - t0 ))
}

median() {
    sort -n | awk '{ v[NR] = $1 } END {
        print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

one="unix:$dir/dpu0.sock"
two="$one unix:$dir/dpu1.sock"
: > "$dir/t1"; : > "$dir/t2"; : > "$dir/tc"
r=1
while test $r -le "$runs"; do
    if test $((r % 2)) = 1; then
        install_ms $one >> "$dir/t1"
        install_ms $two >> "$dir/t2"
    else
        install_ms $two >> "$dir/t2"
        install_ms $one >> "$dir/t1"
    fi
    copy_ms >> "$dir/tc"
    r=$((r + 1))
done

t1=$(median < "$dir/t1")
t2=$(median < "$dir/t2")
tc=$(median < "$dir/tc")
awk -v t1="$t1" -v t2="$t2" -v tc="$tc" -v size="$size" -v runs="$runs" '
BEGIN {
    printf "bundle: %d bytes, %d rounds, medians\n", size, runs
    printf "install_1dpu_s: %.3f\n", t1 / 1000
    printf "install_2dpu_s: %.3f ratio=%.2f (target <= 1.1)\n", t2 / 1000,
           t2 / t1
    printf "install_MBps: %.1f copy_MBps: %.1f ratio=%.2f\n",
           size / 1e6 / (t1 / 1000), size / 1e6 / (tc > 0 ? tc / 1000 : 1e-3),
           (tc > 0 ? tc : 1) / t1
}'
