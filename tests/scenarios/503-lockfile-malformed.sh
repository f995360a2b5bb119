#!/bin/bash
# Malformed lock files and bad input: each gets a clear message and the
# documented exit status; exit 3 only when nothing could be judged. For the
# two files PostgreSQL refuses outright (empty, no PID), PostgreSQL itself
# is asked and must refuse as dbpod says.
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq
set -e
D=$TMP/fake
mkdir -p "$D"
# a data directory as initdb leaves one: without PG_VERSION (or a lock
# file) it is a directory of another kind, refused (013-exit-contract)
echo 15 >"$D/PG_VERSION"
dead_pid
NOW=$(date +%s)

: >"$D/postmaster.pid"
run_host lockfile --json "$D"
expect_rc 2
expect_jq .facts.verdict malformed
expect_jq '.findings[] | select(.id == "DBL507") | .severity' critical
expect_jq '.findings[] | select(.id == "DBL507") | .message | test("is empty")' true

printf 'abc\n%s\n%s\n5432\n\n' "$D" "$NOW" >"$D/postmaster.pid"
run_host lockfile --json "$D"
expect_rc 2
expect_jq .facts.verdict malformed
expect_jq '.findings[] | select(.id == "DBL507") | .message | test("bogus data")' true

# truncated: fewer than the five lines written at once; judged by its PID
printf '%s\n%s\n' "$DEAD" "$D" >"$D/postmaster.pid"
run_host lockfile --json "$D"
expect_rc 1
expect_jq '.findings[] | select(.id == "DBL507") | .severity' warning
expect_jq '.findings[] | select(.id == "DBL507") | .message | test("truncated")' true
expect_jq .facts.verdict stale-harmless

# cut in the middle of a line
printf '%s\n%s\n%s\n54' "$DEAD" "$D" "$NOW" >"$D/postmaster.pid"
run_host lockfile --json "$D"
expect_rc 1
expect_jq '.findings[] | select(.id == "DBL507") | .message | test("no final newline")' true

# a start time that is not a number: the PID is still judged
printf '%s\n%s\nyesterday\n5432\n\n' "$DEAD" "$D" >"$D/postmaster.pid"
run_host lockfile --json "$D"
expect_rc 1
expect_jq '.findings[] | select(.id == "DBL507") | .message | test("not a number")' true
expect_jq .facts.lockfile.file.start_time null
expect_jq .facts.verdict stale-harmless

# the format before PostgreSQL 9.1: PID, directory, "KEY ID"
printf '%s\n%s\n  5432001  2147480000\n' "$DEAD" "$D" >"$D/postmaster.pid"
run_host lockfile --json "$D"
expect_rc 1
expect_jq '.findings[] | select(.id == "DBL507") | .message | test("before 9.1")' true
expect_jq .facts.lockfile.file.shmem_key 5432001

# a standalone backend's negative PID
printf -- '-%s\n%s\n%s\n0\n\n\n' "$DEAD" "$D" "$NOW" >"$D/postmaster.pid"
run_host lockfile --json "$D"
expect_rc 1
expect_jq .facts.lockfile.file.standalone true
expect_jq .facts.lockfile.file.pid "$DEAD"
expect_jq '[.findings[] | select(.id == "DBL509")] | length' 1
expect_jq .facts.verdict stale-harmless

# no lock file: the server is not running, a plain fact
rm "$D/postmaster.pid"
run_host lockfile --json "$D"
expect_rc 0
expect_jq .facts.verdict absent
expect_jq '.findings[0].id' DBL501

# no such directory: nothing to judge
run_host lockfile "$TMP/nonexistent"
expect_rc 3
[ -z "$OUT" ] || fail "output for a data directory that is not there: $OUT"
printf '%s' "$ERR" | grep -q "cannot judge the data directory '$TMP/nonexistent': No such file or directory" ||
	fail "bad message: $ERR"

# without root: an unreadable directory, an unreadable file
mkdir -p "$TMP/priv" "$TMP/open"
chmod 700 "$TMP/priv"
printf '%s\n%s\n%s\n5432\n\n' "$DEAD" "$D" "$NOW" | tee "$TMP/priv/postmaster.pid" >"$TMP/open/postmaster.pid"
chmod 600 "$TMP/open/postmaster.pid"
for dir in "$TMP/priv" "$TMP/open"; do
	set +e
	OUT=$(setpriv --reuid=nobody --regid=nogroup --clear-groups "$DBPOD" lockfile --json "$dir" 2>"$TMP/err")
	RC=$?
	set -e
	expect_rc 3
	expect_jq '.findings[0].id + " " + .findings[0].severity' "DBL500 unknown"
	expect_jq '.findings[0].message | test("cannot be read: Permission denied")' true
	expect_jq '.findings[0].advice | test("as the database.s user")' true
done

# PostgreSQL refuses the two files dbpod calls critical, with the words
# dbpod quotes
pg_init
for content in "" "abc"; do
	printf '%s' "$content" >"$PGDATA/postmaster.pid"
	chown postgres: "$PGDATA/postmaster.pid"
	chmod 600 "$PGDATA/postmaster.pid"
	run_host lockfile --json "$PGDATA"
	expect_rc 2
	pg_try_start
	if [ -z "$content" ]; then
		grep -q 'lock file "postmaster.pid" is empty' "$PG_LOG" || fail "PostgreSQL: $(cat "$PG_LOG")"
	else
		grep -q 'bogus data in lock file "postmaster.pid"' "$PG_LOG" || fail "PostgreSQL: $(cat "$PG_LOG")"
	fi
done
echo "ok: malformed lock files and bad input"
