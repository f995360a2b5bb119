#!/bin/bash
# A running PostgreSQL judged from the three places dbpod runs: inside its
# PID namespace, beside it (the same PID namespace, its own IPC namespace,
# as `kubectl debug --target` gives), and from the host. The entrypoint is
# a shell, so the postmaster is PID 2 of its namespace -- and PID 2 on the
# host is kthreadd: a kill(2) from the host asks about the wrong process.
# Every place must say "in use"; none may call the server stale, nor tell
# the DBA to stop it.
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq
set -e
pg_init
# shellcheck disable=SC2016
ns_start sh -c '"$@" & wait' sh "${PG_CMD[@]}"
pg_wait
file_pid=$(head -n 1 "$PGDATA/postmaster.pid")
[ "$file_pid" != 1 ] || fail "the postmaster is PID 1: the shell did not stay"
# the shell's child: its own command line and unshare's hold the same
# words, and a loop over pgrep's lines ended with the status of the last
# one's test (set -e: a silent exit when the PIDs had wrapped around)
host_pid=$(pgrep -P "$NS_PID" -f -- "postgres -D $PGDATA") || true
[ -n "$host_pid" ] || fail "the postmaster is not the shell's child on the host"

no_alarm() {
	expect_jq '[.findings[] | select(.severity != "info" and .severity != "ok")] | length' 0
}

# inside: the file's PID is dbpod's own
run_dbpod lockfile --json "$PGDATA"
expect_rc 0
expect_jq .facts.verdict "in use"
expect_jq .facts.lockfile.other_pid_namespace false
expect_jq '.findings[] | select(.id == "DBL502") | .pid' "$file_pid"
no_alarm

# from the host: the postmaster is found by its working directory, and
# the file's PID read in its namespace
run_host lockfile --json "$PGDATA"
expect_rc 0
expect_jq .facts.verdict "in use"
expect_jq .facts.lockfile.other_pid_namespace true
expect_jq .facts.lockfile.pid_here "$host_pid"
expect_jq .facts.workers.server_pid "$host_pid"
expect_jq .facts.workers.server_pid_in_namespace "$file_pid"
expect_jq '.findings[] | select(.id == "DBL502") | .pid' "$host_pid"
expect_jq '.findings[] | select(.id == "DBL502") | .message | test("In use by PID '"$host_pid"' \\(PID '"$file_pid"' in its container\\)")' true
expect_jq '.facts.socket_locks[0].verdict' "in use"
no_alarm
# the text says both numbers
run_host lockfile --no-color "$PGDATA"
expect_rc 0
expect_out "^PID  *$file_pid (in the server's PID namespace; PID $host_pid here)$"
expect_no_out "stop them"

# doctor on the host runs the same check (told the data directory: other
# servers may run on this machine)
set +e
OUT=$(PGDATA=$PGDATA "$DBPOD" doctor --json 2>"$TMP/err"); RC=$?
set -e
expect_jq '.facts.checks[] | select(.command == "lockfile") | .facts.verdict' "in use"
expect_jq '[.facts.checks[] | select(.command == "lockfile") | .findings[] | select(.severity != "info")] | length' 0

# beside: its own IPC namespace, where the segment's ID means nothing
set +e
OUT=$(ns_exec unshare --ipc "$DBPOD" lockfile --json "$PGDATA" 2>"$TMP/err"); RC=$?
set -e
ERR=$(cat "$TMP/err")
expect_rc 0
expect_jq .facts.verdict "in use"
expect_jq .facts.shared_memory.exists null
expect_jq '.facts.shared_memory.error | test("IPC namespace")' true
expect_jq '.findings[] | select(.id == "DBL506") | .severity' info
no_alarm
set +e
OUT=$(ns_exec unshare --ipc "$DBPOD" lockfile --no-color "$PGDATA" 2>"$TMP/err"); RC=$?
set -e
expect_no_out "gone"
expect_no_out "attached"
echo "ok: the running server is in use from inside, beside and from the host"
