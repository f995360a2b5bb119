#!/bin/bash
# PID 1 of the container does not reap (here a shell that exec'd sleep):
# the postmaster is killed and stays a zombie. kill(2) finds a zombie, so
# PostgreSQL refuses to start on the data directory until PID 1 reaps it.
# dbpod says so: blocking, a zombie, and whose -- not "another process".
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq ipcrm
set -e
pg_init
# shellcheck disable=SC2016
ns_start sh -c '"$@" & exec sleep 100000' sh "${PG_CMD[@]}"
pg_wait
pg_shm_at_exit
file_pid=$(head -n 1 "$PGDATA/postmaster.pid")
PM=$(pgrep -P "$NS_PID" -x postgres)
[ -n "$PM" ] || fail "the postmaster is not PID 1's child"
# shellcheck disable=SC2046
kill -KILL "$PM" $(pgrep -P "$PM")
wait_until sh -c "[ \"\$(ps -o stat= -p $PM)\" = Z ]" || fail "the postmaster is not a zombie"

run_dbpod lockfile --json "$PGDATA"
expect_rc 2
expect_jq .facts.verdict stale-blocking
expect_jq '[.findings[] | select(.id == "DBL503")] | length' 0
expect_jq '.findings[] | select(.id == "DBL504") | .severity' critical
expect_jq '.findings[] | select(.id == "DBL504") | .message | test("PID '"$file_pid"' is a zombie: postgres .* its parent, PID 1 \\(sleep\\), has not reaped it")' true
expect_jq '.findings[] | select(.id == "DBL504") | .message | test("It is not that server")' false

# PostgreSQL's verdict, in the container
pg_try_start_ns
grep -q "Is another postmaster (PID $file_pid) running" "$PG_LOG" ||
	fail "PostgreSQL failed differently: $(cat "$PG_LOG")"
echo "ok: a zombie postmaster blocks its restart, as dbpod said"
