#!/bin/bash
# kill -9 of the postmaster and all its children: postmaster.pid is stale
# and harmless (no process has its PID), the SysV segment of line 7
# survives with nobody attached -- and PostgreSQL does start again, as
# dbpod said it would.
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq ipcs ipcrm
set -e
pg_init
SHMID=
# the segment a kill -9 leaves behind (PostgreSQL may have removed it already)
trap 'rc=$?; if [ -n "$SHMID" ]; then ipcrm -m "$SHMID" 2>/dev/null || true; fi; (exit $rc); cleanup' EXIT

# on the host, so that the dead PID stays dead (in a new PID namespace the
# next container's PID 1 would take it)
setsid "${PG_CMD[@]}" >"$TMP/pg.log" 2>&1 </dev/null &
PM=$!
CLEANUP_PIDS+=("$PM")
pg_wait
SHMID=$(sed -n 7p "$PGDATA/postmaster.pid" | awk '{print $2}')
[ -n "$SHMID" ] || fail "no shared memory id on line 7: $(cat "$PGDATA/postmaster.pid")"
KIDS=$(pgrep -P "$PM")
# shellcheck disable=SC2086
kill -KILL "$PM" $KIDS
wait "$PM" 2>/dev/null || true		# the postmaster is this shell's child
# gone, or zombies of an init that is slow to reap them
# shellcheck disable=SC2086
wait_until sh -c "! ps -o stat= -p '$(echo $KIDS | tr ' ' ,)' | grep -qv Z" || fail "PostgreSQL survived kill -9"

run_host lockfile --json "$PGDATA"
expect_rc 1
expect_jq .facts.verdict stale-harmless
expect_jq .facts.lockfile.pid_alive false
expect_jq '.findings[] | select(.id == "DBL503") | .pid' "$PM"
expect_jq '.findings[] | select(.id == "DBL503") | .advice | test("safe")' true
# the segment survives the kill, with no process attached
ipcs -m -i "$SHMID" >/dev/null 2>&1 || fail "segment $SHMID is gone after kill -9"
expect_jq .facts.shared_memory.exists true
expect_jq .facts.shared_memory.nattch 0
expect_jq '.findings[] | select(.id == "DBL506") | .severity' info
expect_jq '.findings[] | select(.id == "DBL506") | .message | test("survives with no process attached")' true
# the socket lock file is stale as well
expect_jq '.facts.socket_locks[0].verdict' stale-harmless
# dbpod removed nothing
[ -f "$PGDATA/postmaster.pid" ] || fail "postmaster.pid was removed"

# and PostgreSQL agrees: it starts, removing the stale file itself
setsid "${PG_CMD[@]}" >"$TMP/pg2.log" 2>&1 </dev/null &
CLEANUP_PIDS+=("$!")
pg_wait
run_host lockfile --json "$PGDATA"
expect_rc 0
expect_jq .facts.verdict "in use"
echo "ok: after kill -9 the file is stale and harmless, and PostgreSQL starts"
