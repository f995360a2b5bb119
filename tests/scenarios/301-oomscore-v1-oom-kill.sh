#!/bin/bash
# A real OOM kill on cgroup v1: a memory cgroup with a 64 MiB limit, a perl
# that allocates 200 MiB in it and is killed by the kernel, then dbpod run
# inside that cgroup (in a PID namespace of its own) reports the limit and
# the kill from memory.oom_control.
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq perl
[ -f /sys/fs/cgroup/memory/memory.limit_in_bytes ] ||
	skip "no cgroup v1 memory controller at /sys/fs/cgroup/memory"
set -e
CG=/sys/fs/cgroup/memory/dbpod-test-$$
mkdir "$CG"
trap 'rmdir "$CG" 2>/dev/null; cleanup' EXIT
echo $((64 * 1024 * 1024)) >"$CG/memory.limit_in_bytes"
# with swap accounting, swap must not absorb the allocation
[ -f "$CG/memory.memsw.limit_in_bytes" ] && echo $((64 * 1024 * 1024)) >"$CG/memory.memsw.limit_in_bytes"

set +e
OUT=$(sh -c 'echo $$ >"$1/cgroup.procs"
	perl -e "\$x = \"x\" x (200 * 1024 * 1024)" >/dev/null 2>&1
	echo "perl: $?" >&2
	exec unshare -pf --mount-proc "$2" oomscore --json' sh "$CG" "$DBPOD" 2>"$TMP/err")
RC=$?
set -e
ERR=$(cat "$TMP/err")
printf '%s' "$ERR" | grep -q '^perl: 137$' || fail "perl was not SIGKILLed: $ERR"
grep -q '^oom_kill 1$' "$CG/memory.oom_control" || fail "the kernel recorded no OOM kill"
expect_rc 2
expect_jq .facts.cgroup.version 1
expect_jq .facts.cgroup.path "/dbpod-test-$$"
expect_jq .facts.cgroup.mount_root_fallback false
expect_jq .facts.cgroup.limit_bytes 67108864
expect_jq .facts.cgroup.events.oom_kill 1
expect_jq '.facts.cgroup.events.failcnt | type' number
expect_jq '.facts.cgroup.usage_bytes < 67108864' true
expect_jq '[.findings[] | .id + " " + .severity] | join(",")' "DBO302 critical"
expect_jq '.findings[0].message | test("memory.oom_control")' true
echo "ok: the kernel's OOM kill in a v1 memory cgroup is reported"
