#!/bin/bash
# A container with its own IPC namespace (as every runtime gives one): the
# postmaster is killed, one of its children lives on (stopped, so that it
# cannot notice its parent's death), still attached to the segment of
# line 7 -- in the container's IPC namespace. From the node, and from
# beside the container in an IPC namespace of its own, that segment ID
# names no segment: dbpod must not call the file stale and harmless, nor
# say that removing it is safe; inside, PostgreSQL refuses to start.
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq
set -e
pg_init
# PID 1 a shell that outlives the postmaster (PID 2), its own IPC namespace
# shellcheck disable=SC2016
ns_start unshare --ipc sh -c '"$@" & while :; do wait; sleep 1; done' sh "${PG_CMD[@]}"
pg_wait
PM=$(pgrep -P "$NS_PID" -f -- "^$PGBIN/postgres -D $PGDATA") || true
[ -n "$PM" ] || fail "the postmaster is not the shell's child on the host"
CHILD=$(pgrep -P "$PM" | head -n 1)
[ -n "$CHILD" ] || fail "the postmaster has no children"
for k in $(pgrep -P "$PM"); do track "$k"; done
SHMID=$(sed -n 7p "$PGDATA/postmaster.pid" | awk '{print $2}')
kill -STOP "$CHILD"
kill -KILL "$PM"
wait_until sh -c "! kill -0 $PM 2>/dev/null || [ \"\$(ps -o stat= -p $PM)\" = Z ]" ||
	fail "the postmaster survived kill -9"
wait_until sh -c "! kill -0 $PM 2>/dev/null" || fail "the shell did not reap the postmaster"

not_harmless() {
	expect_rc 2
	expect_jq .facts.verdict stale-blocking
	expect_jq '[.findings[] | select(.id == "DBL503")] | length' 0
	expect_jq '.findings[] | select(.id == "DBL506") | .severity' critical
	expect_jq '.findings[] | select(.id == "DBL506") | .advice | test("do not remove postmaster.pid")' true
	expect_jq '[.findings[] | select((.advice // "") | test("is safe"))] | length' 0
}
# the node: the segment's ID means nothing in the host's IPC namespace
run_host lockfile --json "$PGDATA"
not_harmless
expect_jq '.findings[] | select(.id == "DBL506") | .pid' "$CHILD"
# beside: the container's PID namespace, an IPC namespace of its own
set +e
OUT=$(ns_exec unshare --ipc "$DBPOD" lockfile --json "$PGDATA" 2>"$TMP/err"); RC=$?
set -e
ERR=$(cat "$TMP/err")
not_harmless

# PostgreSQL's verdict, started in the container's namespaces
pg_try_start_ns -i
grep -q "pre-existing shared memory block (key [0-9]*, ID $SHMID) is still in use" "$PG_LOG" ||
	fail "PostgreSQL failed differently: $(cat "$PG_LOG")"
echo "ok: from the node and beside, an orphan in the container's IPC namespace blocks the start"
