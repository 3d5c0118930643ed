#! /bin/sh
# Generates the top-level configure script.  Upstream Open vSwitch is
# unpacked, patched and bootstrapped by configure itself (see
# ovs/prepare.sh), not here.
set -e
cd "$(dirname "$0")"
autoreconf --install --force
