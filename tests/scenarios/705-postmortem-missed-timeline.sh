#!/bin/bash
# A crash-restart by an orphaned psql, twice, under a real PostgreSQL
# PID 1 with the recorder running:
# (A) a root psql started by a shell that exits after a sample saw it, so
# PID 1 adopts it, killed with SIGPIPE -- the timeline tells it end to end
# (born under the shell, reparented to the postmaster, exited with the
# crash line, crash recovery); (B) a psql that lives between two samples and
# dies of SIGPIPE -- postmortem --log says when its PID was handed out and
# how many others were missed with it.
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq
set -e
pg_with_recorder

crash_logged() { grep -q "(PID $1) was terminated by signal 13" "$SERVERLOG"; }

# (A) the shell outlives a sample that sees psql (it waits on a FIFO the
# test writes to once the recording holds psql), then psql is an orphan
mkfifo "$TMP/a.go"
ns_exec sh -c "$PGBIN/psql -h '$PGSOCK' -U postgres -c 'SELECT pg_sleep(60)' >/dev/null 2>&1 & read x <$TMP/a.go" &
SH_BG=$!
ns_wait_comm psql
A=$(ns_exec pgrep -x psql)
wait_until grep -q "\"pid\":$A,\"start\"" "$REC" || fail "no sample saw psql $A"
timeout 60 sh -c "echo go >'$TMP/a.go'" || fail "the shell does not read its FIFO"
wait "$SH_BG"
wait_until sh -c "[ \"\$(nsenter -t $NS_PID -p -m ps -o ppid= -p $A | tr -d ' ')\" = 1 ]" ||
	fail "psql was not adopted by PID 1"
rec_samples 2 "$REC"
ns_exec kill -PIPE "$A"
wait_until crash_logged "$A" || fail "the server did not log the crash of $A"
pg_wait
rec_samples 2 "$REC"

# (B) between two samples: the recorder is paused (rec_pause) until psql
# is born, killed and reaped, so that no sample can fall in its life
# however slow the machine (one did, and the test skipped). The sh that
# starts it and the kill that ends it are missed too.
rec_pause
ns_exec sh -c "$PGBIN/psql -h '$PGSOCK' -U postgres -c 'SELECT pg_sleep(60)' >/dev/null 2>&1 & echo \$! >$TMP/b.pid"
B=$(cat "$TMP/b.pid")
ns_exec kill -PIPE "$B"
# logged once the postmaster has reaped it: gone before the next sample
wait_until crash_logged "$B" || fail "the server did not log the crash of $B"
rec_resume
pg_wait
rec_samples 2 "$REC"
ns_exec kill -TERM "$REC_NSPID"
wait_until sh -c "! nsenter -t $NS_PID -p kill -0 $REC_NSPID 2>/dev/null" || fail "the recorder did not stop"
! grep -q "\"pid\":$B,\"start\"" "$REC" || fail "a sample saw psql $B while the recorder was stopped"

run_host postmortem "$REC" --log "$SERVERLOG" --json
expect_rc 2
expect_jq ".facts.events[] | select(.pid == $A) | .holders[0].comm" psql
expect_jq ".facts.events[] | select(.pid == $B) | .holders | length" 0
note "psql $B: $(printf '%s' "$OUT" | jq -c ".facts.events[] | select(.pid == $B) | .missed")"
# at least the sh that started it and the kill that ended it
expect_jq ".facts.events[] | select(.pid == $B) | .missed.others_missed >= 2" true
expect_jq ".facts.events[] | select(.pid == $B) | .missed.pids_allocated > .missed.others_missed" true
expect_jq ".findings[] | select(.id == \"DBM700\" and .pid == $B) | .message | test(\"PID $B was allocated between [0-9:]+ and [0-9:]+ UTC and lived less than one interval\")" true
expect_jq ".findings[] | select(.id == \"DBM700\" and .pid == $B) | .message | test(\"other process(es)? (was|were) missed in that window\")" true
CRASH_A=$(printf '%s' "$OUT" | jq -r ".facts.events[] | select(.pid == $A) | .time")

# the recording alone holds the crash-restarts: the summary leads with
# them and says CRITICAL, whether the log is given or not
run_host postmortem "$REC"
expect_rc 2
expect_out 'Seen  *[0-9.]*% of the [0-9]* processes started after the first sample'
expect_out 'CRITICAL DBM709'
[ "$(printf '%s\n' "$OUT" | head -n 1 | cut -c1-5)" = CRASH ] || fail "the summary does not lead with the crash: $OUT"

# a line per event, to grep: COLUMNS as ps(1) takes it
COLUMNS=1000 run_host postmortem "$REC" --timeline --around "$CRASH_A" --log "$SERVERLOG" --no-color
expect_rc 2
expect_out 'CRITICAL DBM701'
printf '%s\n' "$OUT"
expect_out "born  *PID $A psql, parent [0-9]* sh, user root"
expect_out "reparented PID $A psql: parent [0-9]* sh -> 1 postgres (orphaned: adopted by PID 1)"
expect_out "exited  *PID $A psql, user root, parent 1 postgres"
# the crash line ends the line of the event it marks
expect_out "exited  *PID $A psql, user root, parent 1 postgres.* <- the crash of log line [0-9]*\$"
expect_no_out '^ *<- the crash of log line'
expect_out "log  *line [0-9]*: server process (PID $A) was terminated by signal 13"
# crash recovery: the postmaster's children end and new ones begin
expect_out 'exited  *PID [0-9]* postgres, user postgres, parent 1 postgres'
expect_out 'born  *PID [0-9]* postgres, parent 1 postgres, user postgres'
run_host postmortem "$REC" --timeline --around "$CRASH_A" --json
expect_jq "[.facts.events[] | select(.kind == \"reparented\" and .pid == $A and .old_ppid != 1 and .ppid == 1)] | length" 1
echo "ok: the missed psql is counted, the adopted one's story told in order"
