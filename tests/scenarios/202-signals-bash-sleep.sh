#!/bin/bash
# bash as PID 1 running sleep without exec: SIGTERM is dropped by the
# kernel (bash has no handler), and sleep is SIGKILLed after the grace period.
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq
set -e
ns_start bash -c 'sleep 1000; true'
ns_wait_comm sleep

run_dbpod signals --json
expect_rc 2
expect_jq '.findings[] | select(.id == "DBS203") | .severity' critical
expect_jq .facts.stop_path.outcome sigkill
expect_jq '.facts.stop_path.steps | map(test("SIGKILLs every process")) | any' true
expect_jq '[.facts.processes[] | select(.comm == "sleep")] | length' 1

run_dbpod signals --no-color
expect_out 'Prediction   SIGKILL'
# the chain is in the table: bash and the sleep it did not exec
expect_out '^    1     0 root     bash '
expect_out ' sleep '
echo "ok: the dropped SIGTERM is predicted"
