#!/bin/bash
# The postmaster is killed but one of its children lives on (stopped here,
# so that it cannot notice its parent's death and exit): the PID is dead,
# yet the shared memory segment of line 7 is still attached. dbpod says the
# start will be refused and that the file must not be removed; PostgreSQL
# then refuses with "pre-existing shared memory block ... is still in use".
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq ipcrm
set -e
pg_init
pg_start_host
CHILD=$(pgrep -P "$PM" | head -n 1)
[ -n "$CHILD" ] || fail "the postmaster has no children"
for k in $(pgrep -P "$PM"); do track "$k"; done
kill -STOP "$CHILD"
kill -KILL "$PM"
wait "$PM" 2>/dev/null || true

run_host lockfile --json "$PGDATA"
expect_rc 2
expect_jq .facts.verdict stale-blocking
expect_jq .facts.lockfile.pid_alive false
expect_jq .facts.shared_memory.id "$SHMID"
expect_jq '.facts.shared_memory.nattch >= 1' true
expect_jq '.findings[] | select(.id == "DBL506") | .severity' critical
expect_jq '.findings[] | select(.id == "DBL506") | .message | test("still in use")' true
expect_jq '.findings[] | select(.id == "DBL506") | .advice | test("do not remove postmaster.pid")' true
# not called harmless, and no advice to remove the file
expect_jq '[.findings[] | select(.id == "DBL503")] | length' 0

pg_try_start
grep -q "pre-existing shared memory block (key [0-9]*, ID $SHMID) is still in use" "$PG_LOG" ||
	fail "PostgreSQL failed differently: $(cat "$PG_LOG")"
echo "ok: a segment still attached blocks the start, as dbpod said"
