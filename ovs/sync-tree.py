#! /usr/bin/env python3
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

"""usage: sync-tree.py SRC DEST

Makes DEST a copy of SRC, touching only what differs: files whose content
changed are replaced, files and directories missing from SRC are removed,
and files with the same content keep their timestamps.  prepare.sh uses it
so that a change to one patch of the queue rebuilds only what depends on
the files it changes, not the whole of Open vSwitch.

Replaced files all get the time of the sync as their timestamp, not their
timestamp in SRC: a file that a change takes back to upstream's content has
the tarball's timestamp in SRC, older than the objects built from its
patched content, which would then not be rebuilt.  One common timestamp
keeps generated files (configure, Makefile.in) no older than their
sources."""

import filecmp
import os
import shutil
import sys
import time


def same_link(src, dst):
    return (os.path.islink(dst)
            and os.readlink(src) == os.readlink(dst))


def remove(path):
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    elif os.path.lexists(path):
        os.unlink(path)


def sync(src, dst, now_ns):
    changed = 0
    if not os.path.isdir(dst) or os.path.islink(dst):
        remove(dst)
        os.mkdir(dst)
    names = set(os.listdir(src))
    for name in sorted(set(os.listdir(dst)) - names):
        remove(os.path.join(dst, name))
        changed += 1
    for name in sorted(names):
        s = os.path.join(src, name)
        d = os.path.join(dst, name)
        if os.path.islink(s):
            if not same_link(s, d):
                remove(d)
                os.symlink(os.readlink(s), d)
                changed += 1
        elif os.path.isdir(s):
            changed += sync(s, d, now_ns)
        elif (os.path.isdir(d) or os.path.islink(d)
              or not os.path.exists(d)
              or not filecmp.cmp(s, d, shallow=False)):
            remove(d)
            shutil.copy2(s, d)
            os.utime(d, ns=(now_ns, now_ns))
            changed += 1
        elif os.stat(s).st_mode != os.stat(d).st_mode:
            shutil.copymode(s, d)
    return changed


def main():
    if len(sys.argv) != 3:
        sys.stderr.write(__doc__)
        sys.exit(1)
    n = sync(sys.argv[1], sys.argv[2], time.time_ns())
    print("sync-tree.py: %d files changed in %s" % (n, sys.argv[2]))


if __name__ == "__main__":
    main()
