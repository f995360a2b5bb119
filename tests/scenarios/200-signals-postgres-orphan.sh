#!/bin/bash
# The root psql adopted by a postmaster that is PID 1, in signals' words:
# it does not ignore SIGPIPE, the postmaster's own children do, and the
# postmaster takes a child killed by a signal for a crashed server process.
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq
set -e
pg_start
orphan_psql

run_dbpod signals --json
expect_rc 2
expect_jq '[.findings[] | select(.id == "DBS201")] | length' 1
expect_jq '.findings[] | select(.id == "DBS201") | .pid' "$PSQL"
expect_jq '.findings[] | select(.id == "DBS201") | .severity' critical
expect_jq '.findings[] | select(.id == "DBS201") | .message | test("user root, parent PID 1") and test("SIGPIPE")' true
# every PostgreSQL process ignores SIGPIPE; psql does not
expect_jq '[.facts.processes[] | select(.comm == "postgres") | .signals.ignored.names | index("SIGPIPE") != null] | all' true
expect_jq '.facts.processes[] | select(.comm == "psql") | .signals.ignored.names | index("SIGPIPE")' null
# masks come as hex and as names
expect_jq '.facts.processes[] | select(.pid == 1) | .signals.caught.hex | test("^[0-9a-f]{16}$")' true
# PID 1 is the postmaster: SIGTERM is a smart shutdown, and psql's session
# is a client that stays: SIGKILL when the grace period ends
expect_jq .facts.stop_path.action "smart shutdown"
expect_jq .facts.stop_path.client_sessions 1
expect_jq .facts.stop_path.outcome sigkill
expect_jq .facts.stop_path.when "at the end of the 30 s grace period"
# SIGINT: the fast shutdown cuts psql's session, psql exits 2 and the
# postmaster takes its adopted child for a crashed server process
expect_jq '.facts.stop_paths[1].signal' SIGINT
expect_jq '.facts.stop_paths[1].outcome' crash

run_dbpod signals --no-color "$PSQL"
expect_out "CRITICAL DBS201 (pid $PSQL)"
expect_out '  ignored '
echo "ok: the adopted psql and its SIGPIPE are named"
