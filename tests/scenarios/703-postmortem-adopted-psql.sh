#!/bin/bash
# A crash-restart replayed for real: PostgreSQL as PID 1 logging to a
# file, `dbpod snapshot -o` recording, an orphaned root psql killed with
# SIGPIPE; then `dbpod postmortem REC --log SERVERLOG` names the psql, its
# user, its parent (PID 1, the postmaster) and that it did not ignore
# SIGPIPE. Needs dbpod snapshot (RECORDING FORMAT in dbpod-snapshot(1)).
. "$(dirname "$0")/lib.sh"
# snapshot is part of dbpod: a binary without it is broken, not a reason
# to skip
"$DBPOD" snapshot --help >/dev/null 2>&1 || fail "dbpod snapshot --help fails: $("$DBPOD" snapshot --help 2>&1 | head -n 3)"
need_root; need_cmd jq
set -e
# the server logs to stderr with a millisecond UTC timestamp; the
# recorder runs inside the namespace, once a second
pg_with_recorder
# psql adopted by PID 1, seen in two samples, killed with SIGPIPE; then
# the recorder stopped cleanly (it finishes the sample and writes "end")
pg_crash_psql
rec_stop_ns

run_host postmortem "$REC"* --log "$SERVERLOG" --json
expect_rc 2
expect_jq "[.facts.events[] | select(.pid == $PSQL and .how == \"signal\" and .code == 13)] | length" 1
expect_jq ".facts.events[] | select(.pid == $PSQL) | .holders[0].comm" psql
expect_jq ".facts.events[] | select(.pid == $PSQL) | .holders[0].user" root
expect_jq ".facts.events[] | select(.pid == $PSQL) | .holders[0].ppid" 1
expect_jq ".facts.events[] | select(.pid == $PSQL) | .holders[0].parent_is_postmaster" true
expect_jq ".facts.events[] | select(.pid == $PSQL) | .holders[0].ignores_sigpipe" false
expect_jq ".findings[] | select(.id == \"DBM701\") | .pid" "$PSQL"
expect_jq ".findings[] | select(.id == \"DBM701\") | .message | test(\"psql, user root, parent PID 1\")" true

run_host postmortem "$REC"* --log "$SERVERLOG" --no-color
expect_out "CRITICAL DBM701 (pid $PSQL)"
expect_out 'did not ignore SIGPIPE'

# the same process by PID: the root psql among its holders
run_host postmortem "$REC"* --pid "$PSQL" --json
expect_jq '[.facts.holders[] | select(.user == "root" and .ignores_sigpipe == false)] | length' 1
echo "ok: the orphaned psql is named from the recording"
