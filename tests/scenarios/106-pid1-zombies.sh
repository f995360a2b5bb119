#!/bin/bash
# A PID 1 that never reaps: three children exit after it exec'd sleep.
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq
set -e
ns_start sh -c 'sleep 0.2 & sleep 0.2 & sleep 0.2 & exec sleep 1000'
zombies() { [ "$(ns_exec ps -e -o stat= | grep -c '^Z')" = 3 ]; }
wait_until zombies || fail "no zombies appeared"

run_dbpod pid1check --json
expect_rc 2
expect_jq .facts.zombies 3
expect_jq '.findings[] | select(.id == "DBP104") | .severity' warning
expect_jq '.findings[] | select(.id == "DBP104") | .message | test("^3 zombie processes")' true
echo "ok: zombies are counted"
