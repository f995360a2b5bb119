#!/bin/bash
# doctor: every live check in one answer; duplicates of one cause dropped;
# the Prometheus exposition of every command passes promtool and holds
# each series once.
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq promtool
set -e

# postmaster as PID 1 and an orphaned root psql
pg_start
orphan_psql
run_dbpod doctor --json
expect_rc 2
expect_jq '[.facts.checks[].command] | join(",")' pid1check,signals,oomscore,overcommit,lockfile
# the lock file of the running server: in use, nothing to say
expect_jq '.facts.checks[] | select(.command == "lockfile") | .status' ok
expect_jq '.facts.checks[] | select(.command == "signals") | .findings[] | select(.id == "DBS201") | .pid' "$PSQL"
# DBS201 and DBP105 name one cause: doctor keeps DBS201
expect_jq "[.findings[] | select(.pid == $PSQL) | .id] | join(\",\")" DBS201
expect_jq '.findings[0].severity' critical
run_dbpod doctor --no-color
expect_out '^  pid1check    CRITICAL'
expect_out '^  signals      CRITICAL'
expect_out "CRITICAL DBS201 (pid $PSQL)"
# what a stop will do, one line per usual stop signal: the orphan psql holds
# a session (smart shutdown waits) and exits 2 on a fast one
expect_out '^  stop with SIGTERM  sigkill, at the end of the 30 s grace period$'
expect_out '^  stop with SIGINT   crash, at once$'


for cmd in doctor pid1check oomscore overcommit lockfile signals; do
	run_dbpod --format=prometheus "$cmd"
	printf '%s\n' "$OUT" | promtool check metrics || fail "promtool rejects $cmd"
done
expect_out '^dbpod_check_status{check="signals"} 2$'
run_dbpod --format=prometheus doctor
expect_out '^dbpod_check_status{check="doctor"} 2$'
expect_out '^dbpod_check_status{check="pid1check"} 2$'
expect_out '^dbpod_postgres_client_sessions 1$'
expect_out '^dbpod_check_status{check="overcommit"} [0-3]$'
expect_out '^dbpod_commit_headroom_bytes -\?[0-9]'
expect_out "^dbpod_finding{check=\"signals\",id=\"DBS201\",severity=\"critical\"} 1$"
expect_out "^dbpod_finding_process_info{check=\"signals\",id=\"DBS201\",pid=\"$PSQL\"} 1$"
# one HELP per family, however many checks add to it
[ "$(printf '%s\n' "$OUT" | grep -c '^# HELP dbpod_check_status ')" = 1 ] || fail "HELP repeated"
pg_stop

# sleep as PID 1: DBP103 and DBS203 are one cause, shown once
ns_start sleep 1000
run_dbpod doctor --json
expect_rc 2
# (SIGTERM and SIGINT both judged: one DBP103 for each)
expect_jq '[.findings[] | select(.id == "DBP103" or .id == "DBS203") | .id] | join(",")' DBP103,DBP103
expect_jq '.facts.checks[] | select(.command == "signals") | [.findings[].id] | index("DBS203") != null' true
# no PostgreSQL: lockfile does not apply and is not run
expect_jq '[.facts.checks[].command] | index("lockfile")' null
run_dbpod doctor --no-color
expect_out '^  lockfile     -         not applicable here$'
# one DBP103 per stop signal judged, but one series: promtool does not
# catch a repeated series, a Prometheus scrape fails on it
run_dbpod --format=prometheus doctor
printf '%s\n' "$OUT" | promtool check metrics || fail "promtool rejects doctor"
expect_out '^dbpod_finding{check="doctor",id="DBP103",severity="critical"} 1$'
# no series of a finding carries a PID, which changes with every
# restart and would make a new series each time
expect_no_out '^dbpod_finding{.*pid='
dups=$(printf '%s\n' "$OUT" | grep -v '^#' | sed 's/ [^ ]*$//' | sort | uniq -d)
[ -z "$dups" ] || fail "series repeated in doctor's exposition: $dups"
kill -KILL "$NS_PID"

# tini in front of PostgreSQL: the PID 1 and signal checks are OK (the
# node's memory settings are this machine's), and doctor's status is the
# worst of its checks'
pg_start tini --
run_dbpod doctor --json
expect_jq '.facts.checks[] | select(.command == "pid1check") | .status' ok
expect_jq '.facts.checks[] | select(.command == "signals") | .status' ok
worst=$(printf '%s' "$OUT" | jq -r '[.facts.checks[].status | {"ok":0,"unknown":1,"warning":2,"critical":3}[.]] | max | ["ok","unknown","warning","critical"][.]')
expect_jq .status "$worst"
case $worst in ok) want=0 ;; warning) want=1 ;; critical) want=2 ;; *) want=3 ;; esac
expect_rc "$want"
run_dbpod doctor --no-color
expect_out '^  pid1check    OK'
expect_out '^  signals      OK'

run_host --format=prometheus imagecheck "$top_srcdir/tests/fixtures/imagecheck/shell-form.json"
printf '%s\n' "$OUT" | promtool check metrics || fail "promtool rejects imagecheck"
echo "ok: doctor and the Prometheus output"
