#!/bin/bash
# Seed 000 replayed for real (issue 7): PostgreSQL as PID 1 logging to a
# file, `dbpod snapshot -o` recording, an orphaned root psql killed with
# SIGPIPE; then `dbpod postmortem REC --log SERVERLOG` names the psql, its
# user, its parent (PID 1, the postmaster) and that it did not ignore
# SIGPIPE. Needs dbpod snapshot (RECORDING-FORMAT.md).
. "$(dirname "$0")/lib.sh"
# snapshot is part of dbpod: a binary without it is broken, not a reason
# to skip
"$DBPOD" snapshot --help >/dev/null 2>&1 || fail "dbpod snapshot --help fails: $("$DBPOD" snapshot --help 2>&1 | head -n 3)"
need_root; need_cmd jq
set -e
# the server logs to stderr with a millisecond UTC timestamp; the
# recorder runs inside the namespace, once a second
pg_with_recorder
SNAP_NS=$REC_BG

orphan_psql
[ "$(ns_exec ps -o ppid= -p "$PSQL" | tr -d ' ')" = 1 ] || fail "psql was not adopted by PID 1"
# let the recorder see it in at least two samples
rec_samples 2 "$REC"
ns_exec kill -PIPE "$PSQL"
wait_until grep -q "(PID $PSQL) was terminated by signal 13" "$SERVERLOG" ||
	fail "the server did not log the crash: $(cat "$SERVERLOG")"
pg_wait
rec_samples 2 "$REC"
# stop the recorder cleanly (it finishes the sample and writes "end")
SNAP=$(ns_exec pgrep -f "snapshot -i 1 -o $REC" | head -n 1)
[ -n "$SNAP" ] || fail "no recorder in the namespace"
ns_exec kill -TERM "$SNAP"
wait_until sh -c "! kill -0 $SNAP_NS 2>/dev/null" || fail "the recorder did not stop"

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
echo "ok: the war story's psql is named from the recording"
