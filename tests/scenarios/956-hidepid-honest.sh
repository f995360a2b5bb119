#!/bin/bash
# Under hidepid=2, as nobody, with PostgreSQL running as PID 1: every check
# says that it cannot see the other processes, judges nothing it could not
# see and never exits 0. oomscore used to say OK over a table of dbpod
# alone, `oomscore 1` that PID 1 had exited, overcommit judged "generic (no
# database server runs)" and lockfile said no postmaster runs.
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq
set -e
AS_NOBODY=(setpriv --reuid=nobody --regid=nogroup --clear-groups)

pg_start
ns_exec mount -o remount,hidepid=2 /proc

# as_nobody ARGS...: dbpod inside the namespace as nobody; OUT, ERR, RC
as_nobody() {
	set +e
	OUT=$(ns_exec "${AS_NOBODY[@]}" "$DBPOD" "$@" 2>"$TMP/err")
	RC=$?
	set -e
	ERR=$(cat "$TMP/err")
}

as_nobody oomscore --json
expect_rc 3
expect_jq '.findings[] | select(.id == "DBO310") | .severity' unknown
expect_jq '.findings[] | select(.id == "DBO310") | .message | test("hidepid")' true
expect_jq .status unknown

as_nobody oomscore 1 --json
expect_rc 3
expect_jq '.findings[] | select(.id == "DBO300") | .severity' unknown
expect_jq '.findings[] | select(.id == "DBO300") | .message | test("not visible")' true
expect_jq '[.findings[] | .message | test("exited")] | any' false

as_nobody overcommit --json
[ "$RC" != 0 ] || fail "overcommit said OK while it could not see the database"
expect_jq '.findings[] | select(.id == "DBC408") | .severity' unknown
expect_jq .facts.processes_hidden true
as_nobody overcommit --no-color
expect_out 'not detected: /proc hides'
expect_no_out 'no database server runs'

as_nobody lockfile --json
expect_rc 3
printf '%s' "$ERR" | grep -q hidepid || fail "lockfile does not say /proc hides processes: $ERR"
[ -z "$OUT" ] || fail "lockfile judged something: $OUT"

as_nobody doctor --json
[ "$RC" != 0 ] || fail "doctor said OK as nobody under hidepid=2"
expect_jq '.facts.checks[] | select(.command == "lockfile") | .status' unknown
expect_jq '.facts.checks[] | select(.command == "oomscore") | .status' unknown

# the same checks as every command, none exits 0
for c in pid1check signals oomscore overcommit lockfile doctor; do
	as_nobody "$c"
	[ "$RC" != 0 ] || fail "$c exited 0 as nobody under hidepid=2: $OUT"
	note "$c as nobody: exit $RC"
done

# root sees everything: no hidden-view finding
run_dbpod oomscore --json
expect_jq '[.findings[] | select(.id == "DBO310")] | length' 0
expect_jq '.facts.postmaster.pid' 1
run_dbpod overcommit --json
expect_jq '[.findings[] | select(.id == "DBC408")] | length' 0
expect_jq .facts.profile postgres
echo "ok: honest under hidepid=2"
