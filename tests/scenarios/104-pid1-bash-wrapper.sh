#!/bin/bash
# A bash entrypoint that runs the service without exec. The shell
# drops SIGTERM and PostgreSQL would be SIGKILLed.
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq
set -e
pg_init
ns_start bash -c "$(printf '%q ' "${PG_CMD[@]}"); echo stopped"
pg_wait
PM=$(ns_exec pgrep -x -o postgres)

run_dbpod pid1check --json
expect_rc 2
expect_jq .facts.pid1.name bash
expect_jq .facts.pid1.kind shell
expect_jq .facts.service.pid "$PM"
expect_jq '.findings[] | select(.id == "DBP102") | .pid' 1
expect_jq '.findings[] | select(.id == "DBP102") | .severity' critical
expect_jq '.findings[] | select(.id == "DBP102") | .message | test("runs postgres \\(PID '"$PM"'\\)")' true
# bash has no SIGTERM handler: dropped as PID 1
expect_jq '.findings[] | select(.id == "DBP103") | .severity' critical
expect_jq .facts.pid1.stop_signal_disposition default

run_dbpod pid1check --no-color
expect_out "Chain        1 bash (shell) -> $PM postgres (PostgreSQL server)"
expect_out 'exec'
echo "ok: the bash wrapper and the service are both named"
