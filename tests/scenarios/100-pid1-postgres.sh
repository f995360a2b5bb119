#!/bin/bash
# The PostgreSQL postmaster as PID 1 (no init): CRITICAL, DBP101.
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq
set -e
pg_start

run_dbpod pid1check --json
expect_rc 2
expect_jq .status critical
expect_jq '.findings[] | select(.id == "DBP101") | .severity' critical
expect_jq '.findings[] | select(.id == "DBP101") | .pid' 1
expect_jq .facts.pid1.database postgresql
expect_jq .facts.pid1.user postgres
# the postmaster has a SIGTERM handler: the stop signal is not dropped
expect_jq .facts.pid1.stop_signal_disposition caught
expect_jq '[.findings[] | select(.id == "DBP103")] | length' 0
# its own children (checkpointer, walwriter, ...) are not foreign
expect_jq '.facts.adopted | length' 0
expect_jq '.facts.chain | length' 1

# the same in text, with the advice
run_dbpod pid1check --no-color
expect_rc 2
expect_out 'CRITICAL DBP101 (pid 1)'
expect_out 'Fix: run an init as PID 1'
expect_no_out $'\033\['

# --ignore drops it and the status follows
run_dbpod --ignore=DBP101 pid1check --json
expect_rc 0
expect_jq .status ok
echo "ok: postgres as PID 1 is critical"
