#!/bin/bash
# A postmaster is known by what it is, not by its name: processes titled
# "postgres: checkpointer" outside a server, and `exec -a postgres sleep`,
# used to count as postmasters, so lockfile gave up on "3 PostgreSQL
# postmasters" and oomscore could judge the wrong one.
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq bash
set -e
pg_start
# impostors with a parent that is no PostgreSQL process (a resident bash)
ns_exec setsid bash -c '(exec -a "postgres: checkpointer" sleep 60) &
	(exec -a postgres sleep 61) & wait' </dev/null >/dev/null 2>&1 &
track "$!"
wait_until sh -c "[ \"\$(nsenter -t $NS_PID -p -m -- pgrep -c -x sleep)\" = 2 ]" ||
	fail "the impostors did not start"

set +e
OUT=$(ns_exec env -u PGDATA "$DBPOD" lockfile --json 2>"$TMP/err")
RC=$?
set -e
ERR=$(cat "$TMP/err")
expect_rc 0
expect_jq .facts.verdict "in use"
expect_jq .facts.data_directory "$PGDATA"

run_dbpod oomscore --json
expect_jq .facts.postmaster.pid 1

run_dbpod overcommit --json
expect_jq .facts.profile postgres
echo "ok: the postmaster by what it is"
