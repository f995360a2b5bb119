#!/bin/bash
# The stop's time budget, live: dbpod finds the PostgreSQL log the way the
# server writes it and times the shutdown checkpoint from its checkpoint
# lines -- through current_logfiles with logging_collector (jsonlog here),
# and through the postmaster's standard error when that is a file; when
# it is a pipe (the runtime's log), there is no estimate and the basis
# says so. How close the estimate comes to a real stop is 808's.
. "$(dirname "$0")/lib.sh"
need_root
need_pg
need_cmd jq
set -e

pg_init
P=("$PGBIN/psql" -h "$PGSOCK" -U postgres -qAt -v ON_ERROR_STOP=1)
load() {
	"${P[@]}" -c "SET client_min_messages = warning; CREATE TABLE IF NOT EXISTS t (a int, b text); INSERT INTO t SELECT g, repeat('x', 200) FROM generate_series(1, 20000) g" >/dev/null
	"${P[@]}" -c CHECKPOINT >/dev/null
	wait_until pg_backends 0 || fail "psql's session did not end"
}

# logging_collector, jsonlog only: the file current_logfiles names
ns_start "${PG_CMD[@]}" -c logging_collector=on -c log_destination=jsonlog -c shared_buffers=32MB
pg_wait
load
run_dbpod signals --json --stop-signal=INT --grace=30
expect_rc 0
expect_jq '.facts.stop_path.outcome' graceful
expect_jq '.facts.stop_path.stop_seconds_estimate | type' number
expect_jq '.facts.stop_path.stop_estimate_exceeds_grace' false
# 32 MB at the speed the CHECKPOINT measured; -B from the command line
expect_jq '.facts.stop_path.stop_seconds_worst | type' number
expect_jq '.facts.stop_path.stop_estimate_basis | test("^the immediate checkpoint at .* wrote [0-9]+ buffers")' true
expect_jq '.facts.stop_path.stop_estimate_basis | test("all 4096 buffers of shared_buffers \\(32 MB\\)")' true
expect_jq '.facts.stop_path.stop_estimate_basis | test("/log/postgresql-[^ ]*\\.json, the file current_logfiles names")' true
run_dbpod signals --format=prometheus --stop-signal=INT --grace=30
expect_out 'dbpod_stop_seconds_estimate{signal="SIGINT"} [0-9]'
run_dbpod doctor --stop-signal=INT --grace=30
expect_out 'stop with SIGINT *graceful, when its shutdown ends (shutdown about [0-9.]* s)'
# no grace at all: the prediction says so, not that the server never
# stops (808 shows a grace shorter than a slow disk's shutdown)
run_dbpod signals --stop-signal=INT --grace=0
expect_out 'Prediction *SIGKILL: a grace period of 0 s leaves no time for a shutdown'
pg_stop

# standard error a file (ns.out): the postmaster's fd 2
ns_start "${PG_CMD[@]}" -c shared_buffers=32MB -c "log_line_prefix=%m [%p] "
pg_wait
load
run_dbpod signals --json --stop-signal=INT --grace=30
[ "$(printf '%s' "$OUT" | jq -r '.facts.stop_path.stop_seconds_estimate | type')" = number ] ||
	fail "no estimate from the log: $(printf '%s' "$OUT" | jq -r .facts.stop_path.stop_estimate_basis)
--- the log
$(cat "$TMP/ns.out")"
expect_jq '.facts.stop_path.stop_estimate_basis | test("ns.out, the postmaster.s standard error")' true
pg_stop

# standard error a pipe, as under a container runtime: nothing to read
ns_start_piped "${PG_CMD[@]}"
pg_wait
load
run_dbpod signals --json --stop-signal=INT --grace=30
expect_rc 0
expect_jq '.facts.stop_path.outcome' graceful
expect_jq '.facts.stop_path.stop_seconds_estimate' null
expect_jq '.facts.stop_path.stop_estimate_basis | test("^no estimate: the server.s log was not found: its standard error is a pipe")' true
expect_jq '.facts.stop_path.stop_estimate_basis | test("assumed it fits the 30 s grace period")' true
expect_jq '[.findings[] | select(.id == "DBS207")] | length' 0
pg_stop
echo "ok: the log found through current_logfiles and standard error, and a pipe said to be unreadable"
