#!/bin/bash
# snapshot --acct (BSD process accounting for the recorder's PID
# namespace): a psql that lives between two samples under a PostgreSQL
# PID 1 and dies of SIGPIPE, never in a sample, is named by postmortem --log with its user,
# parent and signal, and shown on the timeline. Without CAP_SYS_PACCT the
# recorder says so and records without it.
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq setpriv
set -e
grep -q 'CONFIG_BSD_PROCESS_ACCT=y' "/boot/config-$(uname -r)" 2>/dev/null ||
	[ ! -e "/boot/config-$(uname -r)" ] || skip "the kernel has no BSD process accounting"

# without the capability: a warning, a note, and the recording goes on
mkdir -p "$TMP/nobody"
chmod 777 "$TMP/nobody"
set +e
ERR=$(setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all \
	"$DBPOD" snapshot -o "$TMP/nobody/ps.jsonl" -n 2 -i 0.1 --acct 2>&1 >/dev/null)
RC=$?
set -e
[ "$RC" = 0 ] || fail "snapshot --acct without CAP_SYS_PACCT: exit $RC: $ERR"
grep -q 'needs CAP_SYS_PACCT' <<<"$ERR" || fail "no word of the missing capability: $ERR"
[ "$(head -1 "$TMP/nobody/ps.jsonl" | jq .acct)" = false ] || fail "the header claims accounting"
grep -q '"k":"note".*process accounting could not be turned on' "$TMP/nobody/ps.jsonl" ||
	fail "no note of it in the recording"
[ ! -e "$TMP/nobody/ps.jsonl.acct" ] || fail "a spool file was left behind"

pg_with_recorder --acct
[ "$(head -1 "$REC" | jq .acct)" = true ] || fail "accounting is not on: $(cat "$TMP/snapshot.out")"
[ -f "$REC.acct" ] || fail "no spool file $REC.acct"

# psql is born, execs, is killed and reaped while the recorder is paused
# (rec_pause): no sample sees it, only accounting does
rec_pause
ns_exec sh -c "$PGBIN/psql -h '$PGSOCK' -U postgres -c 'SELECT pg_sleep(60)' >/dev/null 2>&1 & echo \$! >$TMP/b.pid"
B=$(cat "$TMP/b.pid")
wait_until sh -c "[ \"\$(nsenter -t $NS_PID -p -m cat /proc/$B/comm)\" = psql ]" || fail "psql $B did not exec"
ns_exec kill -PIPE "$B"
wait_until grep -q "(PID $B) was terminated by signal 13" "$SERVERLOG" || fail "no crash line for $B"
rec_resume
pg_wait
rec_samples 2 "$REC"
ns_exec kill -TERM "$REC_NSPID"
wait_until sh -c "! nsenter -t $NS_PID -p kill -0 $REC_NSPID 2>/dev/null" || fail "the recorder did not stop"
grep -q '"k":"end"' "$REC" || fail "no end line"
[ ! -e "$REC.acct" ] || fail "the spool file was left behind"
grep -q "\"k\":\"exit\",.*\"pid\":$B,\"ppid\":1,\"uid\":0,.*\"comm\":\"psql\".*\"signal\":13" "$REC" ||
	fail "no exit line for psql $B: $(grep '"k":"exit"' "$REC" | head -5)"
! grep -q "\"pid\":$B,\"start\"" "$REC" || fail "a sample saw psql $B while the recorder was paused"

run_host postmortem "$REC" --log "$SERVERLOG" --json
expect_rc 2
expect_jq ".facts.events[] | select(.pid == $B) | .holders[0].comm" psql
expect_jq ".facts.events[] | select(.pid == $B) | .holders[0].user" root
expect_jq ".facts.events[] | select(.pid == $B) | .holders[0].ppid" 1
expect_jq ".facts.events[] | select(.pid == $B) | .holders[0].parent_is_postmaster" true
expect_jq ".facts.events[] | select(.pid == $B) | .holders[0].exit.signal" 13
expect_jq ".facts.events[] | select(.pid == $B) | .holders[0].from_accounting" true
expect_jq ".findings[] | select(.id == \"DBM701\" and .pid == $B) | .message | test(\"psql, user root, parent PID 1\")" true
CRASH=$(printf '%s' "$OUT" | jq -r ".facts.events[] | select(.pid == $B) | .time")

run_host postmortem "$REC" --log "$SERVERLOG" --no-color
printf '%s\n' "$OUT"
expect_out "Exit  *killed by signal 13 (SIGPIPE)"

# a line per event, to grep: COLUMNS as ps(1) takes it
COLUMNS=1000 run_host postmortem "$REC" --timeline --around "$CRASH" --log "$SERVERLOG" --no-color
printf '%s\n' "$OUT"
expect_out "exited  *PID $B psql, user root, parent 1 postgres.*killed by signal 13 (SIGPIPE)"
# the crash line ends the line of the event it marks
expect_out "exited  *PID $B psql, user root, parent 1 postgres.*killed by signal 13 (SIGPIPE).* <- the crash of log line [0-9]*\$"
expect_no_out '^ *<- the crash of log line'
echo "ok: --acct names the process no sample saw, with its parent, user and signal"
