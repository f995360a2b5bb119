#!/bin/bash
# postmaster.pid removed (or moved away) while the server runs -- what dbpod
# warns never to do, done. There is no file, but a postmaster works on the
# data directory: dbpod must not say "no server is running". PostgreSQL
# itself rechecks its lock file once a minute and then performs an
# immediate shutdown.
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq ipcrm
set -e
pg_init
pg_start_host
mv "$PGDATA/postmaster.pid" "$TMP/postmaster.pid.moved"

run_host lockfile --json "$PGDATA"
expect_rc 2
expect_jq .facts.verdict absent
expect_jq '.findings[] | select(.id == "DBL501") | .severity' critical
expect_jq '.findings[] | select(.id == "DBL501") | .pid' "$PM"
expect_jq '.findings[] | select(.id == "DBL501") | .message | test("no server is running")' false
expect_jq '.findings[] | select(.id == "DBL501") | .advice | test("put it back")' true
run_host lockfile --no-color "$PGDATA"
expect_out "CRITICAL DBL501 (pid $PM)"

# PostgreSQL's own verdict: it notices within a minute and stops
WAIT_SECONDS=150 wait_until grep -q "performing immediate shutdown because data directory lock file is invalid" "$TMP/pg.log" ||
	fail "the server did not notice its lock file was gone: $(tail -n 5 "$TMP/pg.log")"
echo "ok: a lock file removed under a running server is said, and PostgreSQL stopped"
