#!/bin/bash
# tini in front of PostgreSQL: OK, and with -g the group is signalled.
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq tini
set -e
pg_start tini --

run_dbpod pid1check --json
expect_rc 0
expect_jq .status ok
expect_jq .facts.pid1.name tini
expect_jq .facts.pid1.kind init
# tini blocks every signal and reads them with sigtimedwait
expect_jq .facts.pid1.stop_signal_disposition blocked
expect_jq .facts.pid1.forwards_to child
expect_jq '.facts.chain | length' 2
expect_jq '.facts.chain[1].database' postgresql
expect_jq .facts.service.database postgresql
expect_jq '[.findings[] | select(.severity == "critical" or .severity == "warning")] | length' 0

run_dbpod pid1check --stop-signal=SIGINT --no-color
expect_rc 0
expect_out 'SIGINT: blocked by PID 1'
expect_out 'Chain        1 tini (init) -> 2 postgres (PostgreSQL server)'
echo "ok: tini in front of postgres is OK"
