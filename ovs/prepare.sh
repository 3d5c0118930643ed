#! /bin/sh
# Prepares the upstream Open vSwitch source tree for an OVS-DPU build.
#
# usage: prepare.sh TARBALL TOPSRCDIR DESTDIR
#
# Unpacks TARBALL into DESTDIR, applies the patch queue listed in
# ovs/patches/series, links this project's folders into DESTDIR/dpu/ so that
# OVS's own automake build compiles them, merges the DPU table into the
# Open_vSwitch schema, and bootstraps the tree.  Nothing here is copied back
# into the project.  A stamp keeps a re-run cheap when nothing changed.
set -e

tarball=$1
top=$2
dest=$3
: ${PATCH=patch} ${PYTHON3=python3}

stamp_inputs() {
    cat "$tarball" "$top/ovs/patches/series" "$top/ovs/prepare.sh" \
        "$top/ovs/merge-schema.py" "$top/ovs/sync-tree.py" \
        "$top/dpif-dpu/dpu-schema.json" \
        "$top/dpif-dpu/dpu-table.xml"
    for p in $(grep -v '^#' "$top/ovs/patches/series"); do
        cat "$top/ovs/patches/$p"
    done
}
want=$(stamp_inputs | md5sum | cut -d' ' -f1)
if test -f "$dest/.ovs-dpu-stamp" && \
   test "$(cat "$dest/.ovs-dpu-stamp")" = "$want"; then
    echo "prepare.sh: $dest is up to date"
    exit 0
fi

# Work in a scratch tree, then copy into $dest only the files that differ,
# so that the timestamps of unchanged files (and the objects built from them)
# stay valid: a change to one patch does not rebuild all of Open vSwitch.
work=$dest.new
rm -rf "$work"
mkdir -p "$work"
tar -xzf "$tarball" -C "$work" --strip-components=1

cd "$work"
for p in $(grep -v '^#' "$top/ovs/patches/series"); do
    echo "prepare.sh: applying $p"
    $PATCH -p1 --quiet --no-backup-if-mismatch < "$top/ovs/patches/$p"
done

mkdir dpu
for d in dpu-protocol dpif-dpu dpu-agent utilities ovn-integration tests ovs \
         Documentation bench; do
    ln -s "$top/$d" "dpu/$d"
done

$PYTHON3 "$top/ovs/merge-schema.py" vswitchd/vswitch.ovsschema \
    vswitchd/vswitch.xml "$top/dpif-dpu/dpu-schema.json" \
    "$top/dpif-dpu/dpu-table.xml"
cksum=$(sh build-aux/calculate-schema-cksum vswitchd/vswitch.ovsschema)
sed -i "s/\"cksum\": *\"[0-9]* [0-9]*\"/\"cksum\": \"$cksum\"/" \
    vswitchd/vswitch.ovsschema

echo "prepare.sh: bootstrapping (autoreconf)"
autoreconf --install --force >/dev/null 2>&1 || autoreconf --install --force
echo "$want" > .ovs-dpu-stamp
cd - >/dev/null

$PYTHON3 "$top/ovs/sync-tree.py" "$work" "$dest"
rm -rf "$work"
