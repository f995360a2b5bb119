#!/bin/bash
# --log finds the postmaster's lines about dead children in the
# stderr format (with and without a timestamp) and in csvlog, shows the
# mug shot of each PID and names the one that was not a server process.
. "$(dirname "$0")/lib.sh"
need_cmd jq gzip
set -e
FIX=$top_srcdir/tests/fixtures/postmortem
REC=$FIX/reuse.jsonl

run_host postmortem "$REC" --log "$FIX/postgresql.stderr" --json
expect_rc 2
expect_jq '.facts.events | length' 2
expect_jq '.facts.events[0].pid' 40
expect_jq '.facts.events[0].how' signal
expect_jq '.facts.events[0].code' 13
expect_jq '.facts.events[0].holders[0].comm' psql
expect_jq '.facts.events[0].holders[0].user' root
expect_jq '.facts.events[0].holders[0].parent.pid' 1
expect_jq '.facts.events[0].holders[0].parent_is_postmaster' true
expect_jq '.facts.events[0].holders[0].ignores_sigpipe' false
expect_jq '.facts.events[0].holders[0].server_process' false
expect_jq '.findings[] | select(.id == "DBM701") | .pid' 40
expect_jq '.findings[] | select(.id == "DBM701") | .severity' critical
expect_jq '.findings[] | select(.id == "DBM701") | .message | test("psql, user root, parent PID 1") and test("did not ignore SIGPIPE")' true
# the checkpointer killed by signal 9 was a server process
expect_jq '.findings[] | select(.id == "DBM702") | .pid' 7

run_host postmortem "$REC" --log "$FIX/postgresql.stderr" --no-color
expect_out 'Held by      PID 40 psql, user root, parent 1 postgres, the postmaster'
expect_out 'CRITICAL DBM701 (pid 40)'

# csvlog, gzip-compressed
gzip -c "$FIX/postgresql.csv" >"$TMP/postgresql.csv.gz"
run_host postmortem "$REC" --log "$TMP/postgresql.csv.gz" --json
expect_rc 2
expect_jq '.facts.events | length' 1
expect_jq '.facts.events[0].line' 4
expect_jq '.facts.events[0].holders[0].comm' psql

# jsonlog (PostgreSQL 15+)
printf '%s\n' '{"timestamp":"2026-11-23 07:40:02.517 +01","pid":1,"error_severity":"LOG","message":"server process (PID 40) was terminated by signal 13: Broken pipe","backend_type":"postmaster"}' >"$TMP/postgresql.json"
run_host postmortem "$REC" --log "$TMP/postgresql.json" --json
expect_rc 2
expect_jq '.facts.events[0].time' 2026-11-23T06:40:02Z
expect_jq '.facts.events[0].holders[0].comm' psql

# no timestamp: every holder of the PID
run_host postmortem "$REC" --log "$FIX/postgresql-noprefix.stderr" --json
expect_jq '.facts.events[0].time' null
expect_jq '.facts.events[0].holders | map(.start_ticks) | join(",")' 351280,351700

# a crash line outside the recording: the log's context, not a process
# the recording missed
printf '2026-11-23 09:00:00 UTC [1] LOG:  server process (PID 40) was terminated by signal 13: Broken pipe\n' >"$TMP/late.log"
run_host postmortem "$REC" --log "$TMP/late.log" --json
expect_rc 0
expect_jq '[.findings[] | select(.id == "DBM700")] | length' 0
expect_jq '.facts.events[0].outside_recording' true

run_host postmortem "$REC" --log "$TMP/nonexistent.log"
expect_rc 3
echo "ok: crash lines explained from the recording"
