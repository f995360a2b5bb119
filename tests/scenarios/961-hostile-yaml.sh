#!/bin/bash
# YAML that costs more than its size: merge keys that merge each other
# again and again, a billion laughs through Kubernetes Lists and aliased
# containers, nesting hundreds of thousands of levels deep, a hundred
# thousand anchors. dbpod lint names the limit and exits 3 at once, or
# judges in time linear in the input; it used to take minutes and
# hundreds of megabytes on a few hundred bytes.
. "$(dirname "$0")/lib.sh"
need_cmd jq python3 timeout
set -e
cd "$TMP"

# expect_limit FILE TEXT: lint FILE exits 3 with DBI600 saying TEXT
expect_limit() {
	run_timed lint --json "$1"
	expect_rc 3
	expect_jq '[.findings[] | select(.id == "DBI600") | .message | contains("'"$2"'")] | any' true
}

# 1. merge keys: each level merges the level below twelve times, eight
# levels deep (694 bytes; over a minute before)
python3 - >merge.yaml <<'PY'
out = ["x-a0: &a0 {image: postgres}"]
for l in range(1, 9):
    out.append("x-a%d: &a%d {<<: [%s]}" % (l, l, ", ".join(["*a%d" % (l - 1)] * 12)))
out.append("services:\n  db:\n    <<: *a8\n    command: postgres")
print("\n".join(out))
PY
flat_compose merge.yaml >merge-base.yaml
run_timed lint --json merge-base.yaml
BASE=$MS
expect_limit merge.yaml "more than 1000000 nodes, aliases counted each time they are used"
expect_linear "$MS" "$BASE" "nested merge keys"
# merges nested deeper than dbpod follows them are refused, not ignored;
# eight deep is followed, and the grace period at the bottom is found
merge_chain() {
	python3 - "$1" <<'PY'
import sys
n = int(sys.argv[1])
out = ["x-a0: &a0 {stop_grace_period: 2m}"]
for l in range(1, n + 1):
    out.append("x-a%d: &a%d {<<: *a%d}" % (l, l, l - 1))
out.append("services:\n  db:\n    <<: *a%d\n    image: postgres" % n)
print("\n".join(out))
PY
}
merge_chain 8 >merge-deep.yaml
expect_limit merge-deep.yaml "merge keys (<<) nested more than 8 deep"
merge_chain 7 >merge-deep.yaml
run_timed lint --json merge-deep.yaml
expect_jq '[.findings[] | select(.id == "DBK701" or .id == "DBI600")] | length' 0
note "merge keys: exit 3 at once, the limit named"

# 2. a billion laughs: a List of Lists of Lists of pods, each item and
# each container an alias, WIDTH at each level (18: 613 bytes; over 300 s
# and 136 MB before)
laughs() {
	python3 - "$1" <<'PY'
import sys
refs = lambda a: "[" + ",".join(["*" + a] * int(sys.argv[1])) + "]"
print("apiVersion: v1\nkind: List\nx: &c {name: pg, image: postgres}")
print("x2: &p {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: %s}}" % refs("c"))
print("x3: &l1 {apiVersion: v1, kind: List, items: %s}" % refs("p"))
print("x4: &l2 {apiVersion: v1, kind: List, items: %s}" % refs("l1"))
print("x5: &l3 {apiVersion: v1, kind: List, items: %s}" % refs("l2"))
print("items: %s" % refs("l3"))
PY
}
laughs 18 >laughs.yaml
flat_compose laughs.yaml >laughs-base.yaml
run_timed lint --json laughs-base.yaml
BASE=$MS
expect_limit laughs.yaml "more than 1000000 nodes"
expect_linear "$MS" "$BASE" "a billion laughs"
# eight at each level (433 bytes; 13 s and 136 MB before) is within the
# node budget, and still 32,768 containers: more than dbpod judges in a file
laughs 8 >laughs.yaml
run_timed lint --json laughs.yaml
expect_rc 3
expect_jq '.findings[0].message | contains("more than 10000 containers to judge")' true
expect_linear "$MS" "$BASE" "32,768 aliased containers"
# an alias inside the collection it names
printf 'services:\n  db: &d\n    image: postgres\n    x-self: [*d]\n' >cycle.yaml
expect_limit cycle.yaml "the alias *d is inside the collection it names"
note "aliases: exit 3 at once, the limit named"

# 3. nesting: 300,000 flow sequences, 100,000 flow mappings, 300,000
# block sequences in a Compose service (600 KB; over 80 s before: the
# time was libyaml's, for every token at every open level)
for kind in flow map block; do
	python3 - "$kind" >deep-$kind.yaml <<'PY'
import sys
kind = sys.argv[1]
print("services:\n  db:\n    image: postgres")
if kind == "flow":
    print("    x-deep: " + "[" * 300000 + "]" * 300000)
elif kind == "map":
    print("    x-deep: " + "{a: " * 100000 + "1" + "}" * 100000)
else:
    print("    x-deep:\n      " + "- " * 300000 + "1")
PY
	flat_compose deep-$kind.yaml >deep-base.yaml
	run_timed lint --json deep-base.yaml
	BASE=$MS
	expect_limit deep-$kind.yaml "nested more than 100 levels deep"
	expect_linear "$MS" "$BASE" "$kind nesting"
done
# as deep as the limit is judged: three mappings and 97 sequences
python3 -c 'print("services:\n  db:\n    image: postgres\n    x-deep: " + "[" * 97 + "]" * 97)' >deep-ok.yaml
run_timed lint --json deep-ok.yaml
expect_judged
expect_jq '[.findings[] | select(.id == "DBI603")] | length' 1
# .dbpod.yaml goes through the same reader
python3 -c 'print("ignore: " + "[" * 300000 + "]" * 300000)' >deep-config.yaml
run_timed lint --config=deep-config.yaml deep-ok.yaml
expect_rc 3
printf '%s' "$ERR" | grep -q "nested more than 100 levels deep" || fail "config: $ERR"

# 4. a hundred thousand anchors (2 MB; 20 s before: libyaml's loader
# searched a list of every anchor for each new one)
python3 - >anchors.yaml <<'PY'
print("services:\n  db:\n    image: postgres\n    x-anchors:")
for i in range(100000):
    print("      - &a%d %d" % (i, i))
print("    x-last: *a99999")
PY
flat_compose anchors.yaml >anchors-base.yaml
run_timed lint --json anchors-base.yaml
BASE=$MS
run_timed lint --json anchors.yaml
expect_judged
expect_jq '[.findings[] | select(.id == "DBI603")] | length' 1
expect_linear "$MS" "$BASE" "100,000 anchors"
echo "ok: hostile YAML"
