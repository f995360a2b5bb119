#!/bin/bash
# A container in a memory cgroup with a 512 MiB limit whose root mounts no
# cgroup file system (ctr's default spec does not): inside, the limit
# cannot be seen, so DBO309 is UNKNOWN -- it said "no container memory
# limit applies"; from the node, the host's hierarchy has the limit at the
# path the container's /proc/PID/cgroup names.
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq
[ -d /sys/fs/cgroup/memory ] || skip "no cgroup v1 memory hierarchy on this host (v2 is tested on fixture trees)"
set -e
CG=/sys/fs/cgroup/memory/dbpod-test-$$
mkdir "$CG"
# the cgroup goes once its processes are gone (under load that takes a
# moment); a cgroup left behind is not the test's verdict
trap 'rc=$?; set +e; kill_tracked KILL; WAIT_SECONDS=60 wait_until rmdir "$CG" || echo "# $CG could not be removed"; (exit $rc); cleanup' EXIT
echo 536870912 >"$CG/memory.limit_in_bytes"
# shellcheck disable=SC2016
ns_start sh -c 'echo $$ >"$0/cgroup.procs" && umount -l /sys/fs/cgroup && exec sleep 600' "$CG"
wait_until ns_exec sh -c '! [ -e /sys/fs/cgroup/memory ]' || fail "the namespace kept its cgroup mount"
grep -qx "$NS_PID" "$CG/cgroup.procs" || fail "PID 1 of the namespace is not in $CG"

run_dbpod oomscore --json
expect_rc 3
expect_jq .facts.cgroup.version 0
expect_jq .facts.cgroup.unmounted true
expect_jq '.findings[] | select(.id == "DBO309") | .severity' unknown
expect_no_out "no container memory limit applies"

# from the node: the limit, from the host's hierarchy
set +e
OUT=$("$DBPOD" doctor --all-containers --all --json 2>"$TMP/err"); RC=$?
set -e
ERR=$(cat "$TMP/err")
c='.containers[] | select(.host_pid1 == '"$NS_PID"')'
expect_jq "$c | .facts.checks[] | select(.command == \"oomscore\") | .facts.cgroup.limit_bytes" 536870912
expect_jq "$c | .facts.checks[] | select(.command == \"oomscore\") | .facts.cgroup.from_host" true
expect_jq "[$c | .findings[] | select(.id == \"DBO309\")] | length" 0
echo "ok: an unmounted hierarchy is unknown inside, and read from the host on the node"
