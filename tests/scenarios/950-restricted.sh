#!/bin/bash
# Restricted views give an honest partial answer, never a wrong verdict:
# an unprivileged user, and /proc mounted with hidepid=2.
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq tini
set -e
AS_NOBODY=(setpriv --reuid=nobody --regid=nogroup --clear-groups)

# tini as PID 1: nobody cannot read the set tini waits for in
# sigtimedwait; dbpod must not call that a dropped SIGTERM
pg_start tini --
set +e
OUT=$(ns_exec "${AS_NOBODY[@]}" "$DBPOD" pid1check --json)
RC=$?
set -e
expect_rc 0
expect_jq .facts.pid1.stop_signal_disposition waiting
expect_jq '[.findings[] | select(.id == "DBP103")] | length' 0
OUT=$(ns_exec "${AS_NOBODY[@]}" "$DBPOD" signals --no-color) || true
expect_out 'wait'
pg_stop

# the postmaster as PID 1, as nobody: status is world-readable, the
# verdict is the same as root's
pg_start
set +e
OUT=$(ns_exec "${AS_NOBODY[@]}" "$DBPOD" pid1check --json)
RC=$?
set -e
expect_rc 2
expect_jq '.findings[] | select(.id == "DBP101") | .severity' critical

# hidepid=2: nobody sees only itself; PID 1 is unknown, exit 3, and the
# message says why
ns_exec mount -o remount,hidepid=2 /proc
set +e
OUT=$(ns_exec "${AS_NOBODY[@]}" "$DBPOD" pid1check --json)
RC=$?
set -e
expect_rc 3
expect_jq '.findings[0].id' DBP100
expect_jq '.findings[0].message | test("hidepid")' true
set +e
OUT=$(ns_exec "${AS_NOBODY[@]}" "$DBPOD" signals --json)
RC=$?
set -e
expect_rc 3
expect_jq '[.findings[] | select(.severity == "critical")] | length' 0
# root still sees everything
run_dbpod pid1check --json
expect_rc 2
expect_jq '.findings[] | select(.id == "DBP101") | .severity' critical
echo "ok: restricted views"
