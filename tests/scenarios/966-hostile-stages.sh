#!/bin/bash
# A Dockerfile of 100,000 stages, each FROM the one before (2 MB): every
# FROM searched every earlier stage's name and copied what it inherited,
# 47 s. Now the final stage's chain is followed by name through a hash
# table and handed down, not copied: as fast as a one-stage Dockerfile of
# the same size, and the final stage still inherits the first's image.
. "$(dirname "$0")/lib.sh"
need_cmd jq python3 timeout
set -e
cd "$TMP"

python3 - <<'PY'
n = 100000
with open("stages.Dockerfile", "w") as f:
    f.write("FROM postgres:16 AS s0\n")
    for i in range(1, n):
        f.write("FROM s%d AS s%d\n" % (i - 1, i))
size = sum(1 for _ in open("stages.Dockerfile", "rb").read())
with open("one.Dockerfile", "w") as f:
    f.write("FROM postgres:16 AS s0\n")
    line = "RUN true\n"
    for _ in range(size // len(line)):
        f.write(line)
PY
run_timed lint --json one.Dockerfile
expect_judged
BASE=$MS
run_timed lint --json stages.Dockerfile
expect_judged
expect_linear "$MS" "$BASE" "100,000 stages"
expect_jq '.facts.files[0].judged[0].name' "stage 100000 (FROM s99998 AS s99999)"
expect_jq '.facts.files[0].judged[0].database' postgresql
expect_jq '[.findings[] | select(.id == "DBI603")] | length' 1

# a stage that names a stage with other case, and stages off the final
# stage's chain, which are not followed
cat >mixed.Dockerfile <<'EOF'
FROM redis AS cache
CMD ["redis-server"]
FROM postgres:16 AS Base
STOPSIGNAL SIGTERM
FROM debian AS unrelated
ENTRYPOINT ["sleep"]
FROM base
CMD ["postgres", "-c", "fsync=on"]
EOF
run_timed lint --json mixed.Dockerfile
expect_jq '.facts.files[0].judged[0].database' postgresql
expect_jq '[.findings[] | select(.id == "DBI604")] | length' 1
echo "ok: hostile stages"
