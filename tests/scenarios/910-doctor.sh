#!/bin/bash
# doctor: every live check in one answer; duplicates of one cause dropped;
# the Prometheus exposition of every command passes promtool.
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq promtool
set -e

# seed 000: postmaster as PID 1 and an orphaned root psql
pg_start
orphan_psql
run_dbpod doctor --json
expect_rc 2
expect_jq '[.facts.checks[].command] | join(",")' pid1check,signals
expect_jq '.facts.checks[] | select(.command == "signals") | .findings[] | select(.id == "DBS201") | .pid' "$PSQL"
# DBS201 and DBP105 name one cause: doctor keeps DBS201
expect_jq "[.findings[] | select(.pid == $PSQL) | .id] | join(\",\")" DBS201
expect_jq '.findings[0].severity' critical
run_dbpod doctor --no-color
expect_out '^  pid1check    CRITICAL'
expect_out '^  signals      CRITICAL'
expect_out "CRITICAL DBS201 (pid $PSQL)"

for cmd in doctor pid1check signals; do
	run_dbpod --format=prometheus "$cmd"
	printf '%s\n' "$OUT" | promtool check metrics || fail "promtool rejects $cmd"
done
expect_out '^dbpod_check_status{check="signals"} 2$'
run_dbpod --format=prometheus doctor
expect_out '^dbpod_check_status{check="doctor"} 2$'
expect_out '^dbpod_check_status{check="pid1check"} 2$'
expect_out '^dbpod_postgres_client_sessions 1$'
expect_out "^dbpod_finding{check=\"signals\",id=\"DBS201\",severity=\"critical\",pid=\"$PSQL\"} 1$"
# one HELP per family, however many checks add to it
[ "$(printf '%s\n' "$OUT" | grep -c '^# HELP dbpod_check_status ')" = 1 ] || fail "HELP repeated"
pg_stop

# sleep as PID 1: DBP103 and DBS203 are one cause, shown once
ns_start sleep 1000
run_dbpod doctor --json
expect_rc 2
expect_jq '[.findings[] | select(.id == "DBP103" or .id == "DBS203") | .id] | join(",")' DBP103
expect_jq '.facts.checks[] | select(.command == "signals") | [.findings[].id] | index("DBS203") != null' true
kill -KILL "$NS_PID"

# tini in front of PostgreSQL: OK, exit 0
pg_start tini --
run_dbpod doctor
expect_rc 0
expect_out 'Status: OK'

run_host --format=prometheus imagecheck "$top_srcdir/tests/fixtures/imagecheck/shell-form.json"
printf '%s\n' "$OUT" | promtool check metrics || fail "promtool rejects imagecheck"
echo "ok: doctor and the Prometheus output"
