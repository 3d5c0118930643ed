#! /bin/sh
# ovs-dpu-dev.sh: sets up, builds, tests and demonstrates OVS-DPU on a fresh
# Debian 12 machine.
#
# usage: utilities/ovs-dpu-dev.sh setup|demo|check|bench
#   setup  install Debian packages (as root), bootstrap, configure, build
#   demo   setup, then run the demo (utilities/ovs-dpu-demo.sh)
#   bench  setup, also install linux-perf (for BENCH_PERF=1), then run
#          "make bench" against stock OVS (bench/README)
#   check  setup, also install clang and libFuzzer, then run the testsuites:
#          make check-dpu, make fuzz-dpu-short, the short part of make
#          check-dpu-asan (the parsers' tests under ASan and UBSan:
#          CHECK_ASAN_KEYWORDS; CHECK_ASAN_KEYWORDS= runs the whole suite),
#          and as root also make check-dpu-system (namespaces and veth)
#          and a minute of make soak (CHECK_SOAK_SEED, 1 by default).
#          CHECK_QUICK=1 leaves out the fuzzer, the sanitizers and the soak.
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

# nfdump is the IPFIX collector of the tests of tests/dpif-dpu-ipfix.at.
# ovn-central and ovn-host are OVN (ovn-northd, ovn-controller, ovn-nbctl,
# ovn-sbctl and the NB and SB schemas), which tests/ovn-dpu.at drives.  The
# last line is what upstream's system tests, run by "make check-system-dpu"
# and "make check-system-userspace", use.
PACKAGES="openvswitch-source autoconf automake libtool make gcc python3
          libssl-dev libcap-ng-dev patch iproute2 iputils-ping nfdump
          ovn-central ovn-host
          ethtool netcat-openbsd tcpdump wget lftp tftp-hpa"
# Only for "bench": profiles with BENCH_PERF=1.
BENCH_PACKAGES="linux-perf"
# Only for "check": the fuzzer of "make fuzz-dpu-short" needs clang and
# libFuzzer.
CHECK_PACKAGES="clang libclang-rt-dev"

# Debian's services that OVN's packages bring with them (through
# openvswitch-switch): OVS-DPU runs its own ovsdb-server and ovs-vswitchd,
# and its tests start their own OVN daemons, so none of these may run and
# hold /run/openvswitch or /run/ovn.
SERVICES="openvswitch-switch ovs-vswitchd ovsdb-server ovn-central ovn-host
          ovn-northd ovn-controller ovn-ovsdb-server-nb ovn-ovsdb-server-sb"

# install_packages PACKAGE...
#
# Installs PACKAGEs without starting their services: a policy-rc.d that
# refuses every start for the time of the install (unless the machine has
# one already, as containers do), then disables them so that they do not
# start at boot either, and where systemd runs, stops whatever started anyway.
install_packages() {
    policy=/usr/sbin/policy-rc.d
    own_policy=false
    if test ! -e $policy; then
        printf '#! /bin/sh\nexit 101\n' > $policy
        chmod +x $policy
        own_policy=true
    fi
    rc=0
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" || rc=$?
    if $own_policy; then
        rm -f $policy
    fi
    if command -v systemctl >/dev/null; then
        for s in $SERVICES; do
            systemctl disable "$s" >/dev/null 2>&1 || :
            if test -d /run/systemd/system; then
                systemctl stop "$s" >/dev/null 2>&1 || :
            fi
        done
    fi
    return $rc
}

setup() {
    missing=
    for p in $PACKAGES; do
        dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
    done
    if test -n "$missing"; then
        echo "installing:$missing"
        apt-get update -qq
        install_packages $missing
    fi
    # A DPU agent run with --user opens /dev/net/tun for its datapath's
    # internal ports with CAP_NET_ADMIN alone, as ovs-vswitchd does.  udev's
    # default rule makes the device 0666; a machine without udev (a
    # container) may have left it 0600.
    if test "$(id -u)" = 0 && test -c /dev/net/tun \
       && test "$(stat -c %a /dev/net/tun)" != 666; then
        echo "making /dev/net/tun 0666, as udev's default rule does"
        chmod 0666 /dev/net/tun
    fi
    if test ! -f _ovs/build/Makefile || test ! -x configure; then
        ./boot.sh
        ./configure
    fi
    make -j"$(nproc)" >/dev/null
}

case $1 in
    setup) setup ;;
    demo) setup; exec "$top/utilities/ovs-dpu-demo.sh" ;;
    bench)
        PACKAGES="$PACKAGES $BENCH_PACKAGES"
        setup
        exec make bench
        ;;
    check)
        if test -z "$CHECK_QUICK"; then
            PACKAGES="$PACKAGES $CHECK_PACKAGES"
        fi
        setup
        rc=0
        make check-dpu TESTSUITEFLAGS="-j$(nproc) $TESTSUITEFLAGS" || rc=$?
        if test -z "$CHECK_QUICK"; then
            make fuzz-dpu-short || rc=$?
            # The tests of what parses untrusted input (protocol messages,
            # bundles, intent documents): the whole suite under the
            # sanitizers is "make check-dpu-asan", longer and more sensitive
            # to timing than CI should be.
            keywords=${CHECK_ASAN_KEYWORDS-dpu-codec dpu-protocol dpu-bundle validation}
            kflags=
            for k in $keywords; do
                kflags="$kflags -k $k"
            done
            make -j"$(nproc)" check-dpu-asan \
                TESTSUITEFLAGS="-j$(nproc) $kflags $TESTSUITEFLAGS" \
                || rc=$?
        fi
        if test "$(id -u)" = 0; then
            make check-dpu-system TESTSUITEFLAGS="$TESTSUITEFLAGS" || rc=$?
            # A minute of the chaos soak, with faults in a fixed order
            # ("make soak" for the ten minutes of a full run).
            if test -z "$CHECK_QUICK"; then
                make soak SOAK_MINUTES=1 SOAK_SEED=${CHECK_SOAK_SEED-1} \
                    || rc=$?
            fi
        else
            echo "not root: skipping the system tests (make check-dpu-system)"
        fi
        exit $rc
        ;;
    *) echo "usage: $0 setup|demo|check|bench" >&2; exit 1 ;;
esac
