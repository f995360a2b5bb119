#!/bin/bash
# The dead server's PID, handed out again in a small container, is dbpod's
# own: run as the server's user (kubectl exec with runAsUser), dbpod's
# kill(PID, 0) on itself succeeded and the file was "stale, blocking" --
# but the PID is free again once dbpod exits, and PostgreSQL starts.
# PostgreSQL's own check skips its own PID and its parents' the same way.
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq tini
set -e
pg_init
ns_start tini -- sleep 1000
# the server as an orphan the namespace's init adopts (and reaps once
# killed), so that killing it leaves the namespace and its PID counter
# shellcheck disable=SC2016
pg_orphan() { ns_exec sh -c '"$@" >"$0" 2>&1 </dev/null &' "$1" "${PG_CMD[@]}"; }
pg_orphan "$TMP/pg.log"
pg_wait
pg_shm_at_exit
P=$(head -n 1 "$PGDATA/postmaster.pid")
host_pm=$(pgrep -P "$NS_PID" -x postgres) || fail "the postmaster is not init's child"
# kill -9 of the postmaster and its children (an OOM kill); the
# namespace's init reaps them
kids=$(pgrep -P "$host_pm" | tr '\n' ' ')
# shellcheck disable=SC2086
kill -KILL "$host_pm" $kids
wait_until sh -c "! kill -0 $host_pm 2>/dev/null" || fail "the postmaster survived kill -9"
for k in $kids; do
	wait_until sh -c "! kill -0 $k 2>/dev/null" || fail "backend $k survived kill -9"
done
[ -f "$PGDATA/postmaster.pid" ] || fail "no stale postmaster.pid"

# dbpod, as postgres, gets PID P: the namespace's next PID after P - 1
# (the shell forks it; "exit" keeps the shell from exec'ing it in place)
set +e
OUT=$(ns_exec sh -c "echo $((P - 1)) >/proc/sys/kernel/ns_last_pid &&
	setpriv --reuid=postgres --regid=postgres --init-groups $DBPOD lockfile --json $PGDATA; exit \$?" 2>"$TMP/err")
RC=$?
set -e
ERR=$(cat "$TMP/err")
expect_jq .facts.lockfile.pid_is_dbpod true
expect_rc 1
expect_jq .facts.verdict stale-harmless
expect_jq .facts.lockfile.pid_alive false
expect_jq '.findings[] | select(.id == "DBL503") | .message | test("is dbpod.s own")' true
expect_no_out DBL504
# the socket's lock file holds the same PID, judged the same way
expect_jq '.facts.socket_locks[0].verdict' stale-harmless
expect_jq '.facts.socket_locks[0].pid_is_dbpod' true
expect_jq '.findings[] | select(.id == "DBL508") | .message | test("is dbpod.s own")' true

# and PostgreSQL agrees once dbpod has exited: it starts
pg_orphan "$TMP/pg2.log"
pg_wait
pg_shm_at_exit
grep -q "database system is ready" "$TMP/pg2.log" || fail "no ready line: $(cat "$TMP/pg2.log")"
run_dbpod lockfile --json "$PGDATA"
expect_rc 0
expect_jq .facts.verdict "in use"
echo "ok: a stale file whose PID is dbpod's own is harmless, and PostgreSQL starts"
