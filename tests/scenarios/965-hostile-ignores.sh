#!/bin/bash
# Inline ignores by the tens of thousands: each `# dbpod ignore=` comment
# walked the whole document to find what it covers, and each finding was
# checked against every ignore, so a 2.5 MB Compose file of commented
# services took 20 s where the same file with plain comments took 1 s.
# Both now cost the same, and the ignores still do what they say.
. "$(dirname "$0")/lib.sh"
need_cmd jq python3 timeout
set -e
cd "$TMP"

# 10,000 postgres services, each under eight ignores of the findings it
# has (2.5 MB), and the same with plain comments of the same length
python3 - <<'PY'
n = 10000
ids = ["DBI603", "DBK701", "DBO309", "DBI601"]
with open("ignores.yaml", "w") as f, open("plain.yaml", "w") as g:
    f.write("services:\n")
    g.write("services:\n")
    for i in range(n):
        for k in range(8):
            f.write("  # dbpod ignore=%s reason: a throwaway CI database\n" % ids[k % 4])
            g.write("  # a plain comment that says nothing, as long as that\n")
        f.write("  s%d: {image: postgres}\n" % i)
        g.write("  s%d: {image: postgres}\n" % i)
PY
run_timed lint --json plain.yaml
expect_judged
BASE=$MS
[ "$(printf '%s' "$OUT" | jq '.findings | length')" = 30000 ] || fail "plain: not 3 findings a service"
run_timed lint --json ignores.yaml
expect_rc 0
expect_jq '.findings | length' 0
expect_linear "$MS" "$BASE" "80,000 inline ignores over 10,000 services"

# what each covers is still the node below it: the last service alone
# keeps its findings when its comments go
python3 - <<'PY'
text = open("ignores.yaml").read()
head, sep, tail = text.rpartition("  s9999:")
lines = head.split("\n")
while lines and (lines[-1].startswith("  # dbpod") or lines[-1] == ""):
    lines.pop()
open("ignores.yaml", "w").write("\n".join(lines) + "\n" + sep + tail)
PY
run_timed lint --json ignores.yaml
expect_judged
expect_jq '[.findings[] | .message | startswith("service s9999:")] | all' true
expect_jq '.findings | length' 3
echo "ok: hostile ignores"
