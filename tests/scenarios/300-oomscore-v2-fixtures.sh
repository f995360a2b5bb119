#!/bin/bash
# cgroup v2 from fixture trees (--root, DBPOD_ROOT): a Kubernetes container
# with a limit, oom.group 1 and kills recorded, on a nested path; the 0::/
# form without a limit; an ancestor's lower limit; a host path that is not
# under the mount (the mount root is read); garbage in cgroup files; no
# memory controller; a /proc/self/cgroup that is not the kernel's. dbpod
# runs in a PID namespace of its own so that the live table holds only it
# and a sleep.
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq
set -e
FX=$top_srcdir/tests/fixtures/oomscore
ns_start sleep 1000
ns_wait_comm sleep

run_dbpod --root="$FX/v2-kill" oomscore --json
expect_rc 2
expect_jq .facts.cgroup.version 2
expect_jq .facts.cgroup.path /kubepods.slice/kubepods-pod1.slice/ctr1
expect_jq .facts.cgroup.mount_root_fallback false
# the container's 1 GiB, not the pod's 2 GiB
expect_jq .facts.cgroup.limit_bytes 1073741824
expect_jq .facts.cgroup.usage_bytes 1000000000
expect_jq .facts.cgroup.working_set_bytes 900000000
expect_jq .facts.cgroup.swap_limit_bytes 0
expect_jq .facts.cgroup.oom_group 1
expect_jq .facts.cgroup.events.oom_kill 2
expect_jq .facts.cgroup.events.oom_group_kill 1
expect_jq '[.findings[].id] | sort | join(",")' DBO302,DBO304,DBO308
expect_jq '.findings[] | select(.id == "DBO302") | .severity' critical
expect_jq '.findings[] | select(.id == "DBO302") | .message | test("oom_kill 2, oom_group_kill 1")' true
# 83.8 % of the limit: a warning at the default -w 80, critical with -c 80
expect_jq '.findings[] | select(.id == "DBO304") | .severity' warning
run_dbpod --root="$FX/v2-kill" oomscore --json -w 70 -c 80
expect_jq '.findings[] | select(.id == "DBO304") | .severity' critical
run_dbpod --root="$FX/v2-kill" oomscore --json --warning=85 --critical=95
expect_jq '[.findings[] | select(.id == "DBO304")] | length' 0
run_dbpod --root="$FX/v2-kill" oomscore --json --ignore=DBO302,DBO308 -w 85
expect_rc 0
run_dbpod --root="$FX/v2-kill" oomscore -w 90 -c 80
expect_rc 3
printf '%s' "$ERR" | grep -q -- "--warning (90%) is above --critical (80%)" || fail "bad message: $ERR"
run_dbpod --root="$FX/v2-kill" oomscore -w abc
expect_rc 3

run_dbpod --root="$FX/v2-kill" oomscore --no-color
expect_out '^Limit        1.0 GiB$'
expect_out '^oom.group    1 (one OOM kill takes every process)$'
expect_out '^OOM events   oom 3, oom_kill 2, oom_group_kill 1$'
expect_out 'CRITICAL DBO302'

# the 0::/ form, no limit: a fact, not an error; DBPOD_ROOT as --root
set +e
OUT=$(ns_exec env DBPOD_ROOT="$FX/v2-root" "$DBPOD" oomscore --json 2>"$TMP/err"); RC=$?
set -e
expect_rc 0
expect_jq .facts.cgroup.path /
expect_jq .facts.cgroup.limit_bytes max
expect_jq .facts.cgroup.working_set_bytes 42428800
expect_jq .facts.cgroup.working_set_percent null
expect_jq '[.findings[] | .id + " " + .severity] | join(",")' "DBO309 info"
expect_jq .facts.node_memory_bytes 16777216000

# an ancestor's limit applies; the limit was hit without a kill
run_dbpod --root="$FX/v2-parent-limit" oomscore --json
expect_rc 1
expect_jq .facts.cgroup.limit_bytes 536870912
expect_jq '[.findings[] | .id + " " + .severity] | join(",")' "DBO303 warning"

# the host's path is not under the container's mount: its root is read
run_dbpod --root="$FX/v2-fallback" oomscore --json
expect_rc 0
expect_jq .facts.cgroup.mount_root_fallback true
expect_jq .facts.cgroup.dir /sys/fs/cgroup
expect_jq .facts.cgroup.limit_bytes 268435456
expect_jq '.findings | length' 0

# garbage: named on stderr and as DBO301, the rest still judged
run_dbpod --root="$FX/v2-garbage" oomscore --json
expect_rc 2
printf '%s' "$ERR" | grep -q "cannot read memory.max in '/sys/fs/cgroup': not in the kernel's format" ||
	fail "no message for the garbage memory.max: $ERR"
expect_jq .facts.cgroup.limit_bytes null
expect_jq .facts.cgroup.oom_group null
expect_jq .facts.cgroup.usage_bytes 10485760
expect_jq '[.findings[] | select(.id == "DBO301")] | length' 3
expect_jq '[.findings[] | select(.id == "DBO309")] | length' 0
expect_jq '.findings[] | select(.id == "DBO302") | .severity' critical

# no memory controller: a fact
run_dbpod --root="$FX/v2-nomemory" oomscore --json
expect_rc 0
expect_jq .facts.cgroup.version 0
expect_jq '[.findings[].id] | join(",")' DBO309

# /proc/self/cgroup not the kernel's: said, the processes still judged
run_dbpod --root="$FX/garbage-self" oomscore --json
expect_rc 0
printf '%s' "$ERR" | grep -q "proc/self/cgroup': not in the kernel's format" || fail "bad message: $ERR"
expect_jq .facts.cgroup null
expect_jq '[.findings[].id] | join(",")' DBO301
expect_jq '[.facts.processes[].comm] | sort | join(",")' "dbpod,sleep"

# a root that does not exist
run_dbpod --root=/nonexistent oomscore --json
expect_rc 0
expect_jq '[.findings[].id] | join(",")' DBO301

# PIDs: one that is there, one that is not: the one that is not is
# refused in one line, exit 3, as signals and every command do
run_dbpod --root="$FX/v2-root" oomscore --json 1
expect_rc 0
expect_jq '[.facts.processes[].pid] | join(",")' 1
run_dbpod --root="$FX/v2-root" oomscore --json 1 4000000
expect_rc 3
printf '%s' "$ERR" | grep -q "no process 4000000 in this PID namespace" || fail "bad message: $ERR"
run_dbpod --root="$FX/v2-nomemory" oomscore 4000000
expect_rc 3
# every finding id of the rules is documented (010-cli checks DBP ids only)
for id in $(grep -oh 'DBO[0-9][0-9][0-9]' "$top_srcdir"/lib/rules_oomscore.[ch] | sort -u); do
	grep -q "^\.B $id " "$top_srcdir/man/dbpod-oomscore.1" || fail "$id is not in dbpod-oomscore(1)"
done
echo "ok: cgroup v2 fixtures"
