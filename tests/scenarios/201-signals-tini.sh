#!/bin/bash
# tini in front of PostgreSQL: the stop path goes through tini to the
# postmaster; SIGTERM is a smart shutdown, SIGINT a fast one.
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq tini
set -e
pg_start tini --

run_dbpod signals --json
expect_rc 0
expect_jq '.facts.stop_path.steps[2]' "tini forwards it to its child, PID 2 (postgres)"
expect_jq .facts.stop_path.receiver 2
expect_jq .facts.stop_path.action "smart shutdown"
expect_jq .facts.stop_path.outcome graceful

run_dbpod signals --stop-signal=SIGINT --json
expect_rc 0
expect_jq .facts.stop_path.action "fast shutdown"
expect_jq .facts.stop_path.outcome graceful

# a connected client: smart shutdown waits for it
orphan_psql
run_dbpod signals --json --grace=10
# it stays connected: SIGKILL at the end of the grace period
expect_rc 2
expect_jq '.findings[] | select(.id == "DBS205") | .severity' critical
expect_jq '.findings[] | select(.id == "DBS205") | .advice | test("STOPSIGNAL SIGINT")' true
expect_jq .facts.stop_path.grace_seconds 10

run_dbpod signals --stop-signal=INT --no-color
expect_rc 0
expect_out 'Prediction   graceful'
expect_out 'fast shutdown'

run_dbpod signals --stop-signal=QUIT --json
expect_rc 2
expect_jq .facts.stop_path.action "immediate shutdown"
expect_jq .facts.stop_path.outcome crash
expect_jq .facts.stop_path.when "at once"
echo "ok: the stop path through tini"
