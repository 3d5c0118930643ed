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

# ovn-dpu-intent at scale, against the equivalent ovn-nbctl batch, in one
# run: see bench/README.  Needs no root: two northbound ovsdb-servers on
# unix sockets in BENCH_RUNDIR, one for each, one after the other.
set -e

top=$(cd "$(dirname "$0")/.." && pwd)
B=$top/_ovs/build
PATH=$B/ovsdb:$B/utilities:$B/dpu/ovn-integration:$PATH
. "$top/bench/ovs-dpu-bench-lib.sh"

: ${BENCH_SEGMENTS:=1000} ${BENCH_RULES:=10000}
: ${BENCH_RUNDIR:=/tmp/ovn-dpu-intent-bench}
: ${OVN_NB_SCHEMA:=/usr/share/ovn/ovn-nb.ovsschema}
dir=$BENCH_RUNDIR

for p in ovsdb-server ovsdb-tool ovn-dpu-intent ovn-nbctl python3; do
    if ! command -v $p >/dev/null; then
        echo "$0: $p not found (build first; ovn-nbctl is in Debian's" \
             "ovn-common)" >&2
        exit 1
    fi
done
if test ! -x /usr/bin/time; then
    echo "$0: /usr/bin/time (Debian's time package) is needed" >&2
    exit 1
fi

rm -rf "$dir"
mkdir -p "$dir"
trap 'stop_pidfiles "$dir/intent.pid" "$dir/nbctl.pid"' EXIT

# start_nb NAME: a northbound database of its own for NAME.
start_nb() {
    ovsdb-tool create "$dir/$1.db" "$OVN_NB_SCHEMA"
    ovsdb-server --detach --no-chdir --pidfile="$dir/$1.pid" \
        --log-file="$dir/$1.log" --unixctl="$dir/$1.ctl" \
        --remote=punix:"$dir/$1.sock" "$dir/$1.db" 2>/dev/null
    ovn-nbctl --db=unix:"$dir/$1.sock" init
}

# timed FILE-PREFIX COMMAND...: runs COMMAND, its output to FILE-PREFIX.out;
# sets $ms (wall clock) and $kb (maximum resident set size).
timed() {
    out=$1
    shift
    start=$(now_ms)
    if ! /usr/bin/time -f '%M' -o "$out.time" "$@" > "$out.out" 2>&1; then
        echo "$0: $* failed:" >&2
        tail -5 "$out.out" >&2
        exit 1
    fi
    ms=$(($(now_ms) - start))
    kb=$(cat "$out.time")
}

ratio() {
    python3 -c "print('%.2f' % ($1 / $2 if $2 else 0))"
}

# The document, the same document with one rule changed, and the same rows
# as ovn-nbctl commands in batches of at most 2,000 (so that a command line
# stays well under the kernel's limit), each batch one ovn-nbctl run.
python3 - "$dir" "$BENCH_SEGMENTS" "$BENCH_RULES" <<'EOF'
import json, shlex, sys
d, S, R = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
N_T1, N_SVC, N_POL = 10, 10, 10
children = [{"resource_type": "Tier1", "id": "t1-%d" % t} for t in range(N_T1)]
cmds = [["lr-add", "t1-%d" % t] for t in range(N_T1)]
for i in range(S):
    a, b = i // 250, i % 250
    seg, t1, vm = "seg-%d" % i, "t1-%d" % (i % N_T1), "vm-%d" % i
    ip, mac = "10.%d.%d.10" % (a, b), "50:54:00:00:%02x:%02x" % (a, b)
    gw = "10.%d.%d.1/24" % (a, b)
    children.append({
        "resource_type": "Segment", "id": seg,
        "connectivity_path": "/infra/tier-1s/" + t1,
        "subnets": [{"gateway_address": gw}],
        "children": [{"resource_type": "SegmentPort", "id": "p-%d" % i,
                      "attachment": {"id": vm},
                      "address_bindings": [{"ip_address": ip,
                                            "mac_address": mac}]}]})
    children.append({"resource_type": "Group", "id": "g-%d" % i,
                     "expression": [{"resource_type": "PathExpression",
                                     "paths": ["/infra/segments/" + seg]}]})
    lrp = "%s-%s" % (t1, seg)
    cmds += [["ls-add", seg], ["lsp-add", seg, vm],
             ["lsp-set-addresses", vm, "%s %s" % (mac, ip)],
             ["lrp-add", t1, lrp, "0a:00:00:00:%02x:%02x" % (a, b), gw],
             ["lsp-add", seg, "%s-%s" % (seg, t1)],
             ["lsp-set-type", "%s-%s" % (seg, t1), "router"],
             ["lsp-set-addresses", "%s-%s" % (seg, t1), "router"],
             ["lsp-set-options", "%s-%s" % (seg, t1), "router-port=" + lrp],
             ["pg-add", "pg_g_%d" % i, vm]]
for k in range(N_SVC):
    children.append({"resource_type": "Service", "id": "svc-%d" % k,
                     "service_entries": [{
                         "resource_type": "L4PortSetServiceEntry",
                         "l4_protocol": "TCP",
                         "destination_ports": [str(8000 + k)]}]})
per_policy = (R + N_POL - 1) // N_POL
rank = 0
for p in range(N_POL):
    rules = []
    for j in range(p * per_policy, min(R, (p + 1) * per_policy)):
        src, dst, svc = j % S, (j + 1) % S, j % N_SVC
        action = "DROP" if j % 10 == 9 else "ALLOW"
        rules.append({
            "resource_type": "Rule", "id": "r-%d" % j,
            "sequence_number": j,
            "source_groups": ["/infra/domains/default/groups/g-%d" % src],
            "destination_groups": ["/infra/domains/default/groups/g-%d" % dst],
            "services": ["/infra/services/svc-%d" % svc],
            "scope": ["/infra/domains/default/groups/g-%d" % dst],
            "direction": "IN", "action": action})
        match = ("outport == @pg_g_%d && ip4 && ip4.src == {$pg_g_%d_ip4} "
                 "&& ip4.dst == {$pg_g_%d_ip4} && (tcp && tcp.dst == %d)"
                 % (dst, src, dst, 8000 + svc))
        cmds.append(["--type=port-group", "acl-add", "pg_g_%d" % dst,
                     "to-lport", str(32000 - rank), match,
                     "drop" if action == "DROP" else "allow-related"])
        rank += 1
    children.append({"resource_type": "SecurityPolicy", "id": "p-%d" % p,
                     "sequence_number": p, "rules": rules})
doc = {"resource_type": "Infra", "children": children}
json.dump(doc, open(d + "/doc.json", "w"))
for c in children:
    if c["resource_type"] == "SecurityPolicy" and c["rules"]:
        rule = c["rules"][len(c["rules"]) // 2]
        rule["action"] = "REJECT"
        open(d + "/one-rule.priority", "w").write(
            "%d\n" % (32000 - rule["sequence_number"]))
        break
json.dump(doc, open(d + "/doc-one-rule.json", "w"))
n = 0
for i in range(0, len(cmds), 2000):
    args = []
    for c in cmds[i:i + 2000]:
        args += ["--"] + c
    with open("%s/batch-%03d.sh" % (d, n), "w") as f:
        f.write("ovn-nbctl " + " ".join(shlex.quote(a) for a in args[1:])
                + "\n")
    n += 1
EOF

# ovn-dpu-intent: full apply, the same again (nothing to do), one rule.
start_nb intent
db="--db=unix:$dir/intent.sock"
timed "$dir/apply" ovn-dpu-intent "$db" apply "$dir/doc.json"
apply_ms=$ms apply_kb=$kb
timed "$dir/again" ovn-dpu-intent "$db" apply "$dir/doc.json"
again_ms=$ms
grep -q '^no change$' "$dir/again.out"
timed "$dir/one" ovn-dpu-intent "$db" apply "$dir/doc-one-rule.json"
one_ms=$ms one_kb=$kb
one_changes=$(grep -c ': update ' "$dir/one.out")
intent_txns=$(ovsdb-tool show-log "$dir/intent.db" | grep -c '"ovn-dpu-intent')

# ovn-nbctl: the batches, then the same one-rule change on the ACL, found
# beforehand (not timed).
start_nb nbctl
export OVN_NB_DB=unix:$dir/nbctl.sock
nbctl_ms=0 nbctl_kb=0 n_batches=0
for batch in "$dir"/batch-*.sh; do
    timed "$dir/nbctl" sh "$batch"
    nbctl_ms=$((nbctl_ms + ms))
    test $kb -le $nbctl_kb || nbctl_kb=$kb
    n_batches=$((n_batches + 1))
done
acl=$(ovn-nbctl --bare --columns=_uuid find ACL \
          priority=$(cat "$dir/one-rule.priority"))
timed "$dir/nbctl-one" ovn-nbctl set ACL $acl action=reject
nbctl_one_ms=$ms nbctl_one_kb=$kb

# Both databases hold as many rows of each table.
for table in Logical_Switch Logical_Switch_Port Logical_Router \
             Logical_Router_Port Port_Group ACL; do
    a=$(ovn-nbctl --db=unix:$dir/intent.sock --bare --columns=_uuid \
            list $table | grep -c .)
    b=$(ovn-nbctl --bare --columns=_uuid list $table | grep -c .)
    if test $a != $b; then
        echo "$0: $table: $a rows by ovn-dpu-intent, $b by ovn-nbctl" >&2
        exit 1
    fi
    echo "rows_$table: $a"
done

# figure NAME INTENT NBCTL [NOTE]
figure() {
    echo "$1: intent=$2 nbctl=$3 ratio=$(ratio $2 $3)${4:+ ($4)}"
}
echo "segments: $BENCH_SEGMENTS rules: $BENCH_RULES"
figure full_apply_ms $apply_ms $nbctl_ms "nbctl in $n_batches runs"
figure one_rule_ms $one_ms $nbctl_one_ms "intent: $one_changes row updated"
echo "noop_apply_ms: intent=$again_ms"
figure max_rss_kb $apply_kb $nbctl_kb
figure max_rss_kb_one_rule $one_kb $nbctl_one_kb
echo "transactions: intent=$intent_txns nbctl=$((n_batches + 1))"
