#!/bin/bash
# A crash-restart told by the recording alone: PostgreSQL as PID 1, `dbpod
# snapshot -o --acct` recording, an orphaned root psql killed with
# SIGPIPE, the server crash-restarts. Without --log, postmortem leads
# with the crash and its culprit (from accounting), says CRITICAL in every
# view, finds the server log through the recording's header, orders the
# culprit's exit (exact, from stat's start and accounting's elapsed time)
# before the log line that reports it; the documented glob ps.jsonl*
# reads the accounting spool beside a running recorder as what it is; a
# clock time is taken on the recording's day; a header of 0.1 (without
# boot_clock and server_log) still reads.
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq setpriv
set -e
grep -q 'CONFIG_BSD_PROCESS_ACCT=y' "/boot/config-$(uname -r)" 2>/dev/null ||
	[ ! -e "/boot/config-$(uname -r)" ] || skip "the kernel has no BSD process accounting"

pg_with_recorder --acct
[ "$(head -1 "$REC" | jq -r .acct)" = true ] || fail "accounting is not on: $(cat "$TMP/snapshot.out")"
# the recorder saw where the server logs: the file behind its stderr
[ "$(head -1 "$REC" | jq -r .server_log)" = "$SERVERLOG" ] ||
	fail "the header does not name the server log $SERVERLOG: $(head -1 "$REC")"
head -1 "$REC" | jq -e '.boot_clock > .boot_time' >/dev/null || fail "no boot_clock: $(head -1 "$REC")"
[ "$(head -1 "$REC" | jq -r .boot_id)" = "$(cat /proc/sys/kernel/random/boot_id)" ] ||
	fail "the header does not name this boot: $(head -1 "$REC")"

pg_crash_psql

# the man page's glob while the recorder runs: its spool ps.jsonl.acct is
# read as accounting, not refused as a broken recording (DBM705)
[ -f "$REC.acct" ] || fail "no spool $REC.acct beside the running recorder"
run_host postmortem "$REC"* --json
expect_rc 2
expect_jq '[.findings[] | select(.id == "DBM705")] | length' 0
grep -q 'read as what it is, the recorder.s process accounting spool' <<<"$ERR" ||
	fail "no word of the spool: $ERR"
# and counted and listed as the accounting file it is, not as a second
# recording file that cannot be used
expect_jq '.facts.files | length' 1
expect_jq '.facts.files | map(.usable) | all' true
expect_jq '.facts.acct_spools[0].path' "$REC.acct"
COLUMNS=1000 run_host postmortem "$REC"* --no-color
expect_out "Recording  *1 file,"
expect_out "Accounting  *$REC.acct (the recorder's process accounting spool"

rec_stop_ns

# the summary, without --log: the crash first, the culprit named by
# accounting, the log found through the header, CRITICAL
run_host postmortem "$REC"* --no-color
printf '%s\n' "$OUT"
expect_rc 2
[ "$(printf '%s\n' "$OUT" | head -n 1 | cut -c1-5)" = CRASH ] || fail "the summary does not lead with the crash"
expect_out "Culprit  *PID $PSQL psql, user root, parent 1: killed by signal 13 (SIGPIPE)"
expect_out "Server log  *$SERVERLOG (named by the recording's header)"
expect_out "CRITICAL DBM709 (pid $PSQL)"
expect_out "CRITICAL DBM701 (pid $PSQL)"
run_host postmortem "$REC"* --json
expect_rc 2
expect_jq '.status' critical
expect_jq '.facts.crashes | length' 1
expect_jq '.facts.crashes[0].postmaster' 1
expect_jq '.facts.crashes[0].culprit.pid' "$PSQL"
expect_jq '.facts.crashes[0].culprit.signal' 13
expect_jq '.facts.crashes[0].culprit.likely' false
expect_jq '.facts.crashes[0].culprit.exact' true
# to the millisecond, as the text gives it
expect_jq '.facts.crashes[0].culprit.time | test("T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z$")' true
# the man page's FACTS names every key the crash and the summary give
FACTS=$(sed -n '/^\.SH FACTS/,/^\.SH NOTES/p' "$top_srcdir/man/dbpod-postmortem.1")
for k in crashes server_log server_log_rotated acct_spools $(printf '%s' "$OUT" | jq -r '.facts.crashes[0] | keys[]') \
	$(printf '%s' "$OUT" | jq -r '.facts.crashes[0].culprit | keys[]'); do
	grep -qw -- "$k" <<<"$FACTS" || fail "dbpod-postmortem(1) FACTS does not name $k"
done

# the timeline, without --log: CRITICAL; psql's exit exact, before the
# crash and before the line that logs it; the others after; no -1
run_host postmortem "$REC"* --timeline --json
expect_rc 2
for k in exact between crash started_by crashes; do
	grep -qw -- "$k" <<<"$FACTS" || fail "dbpod-postmortem(1) FACTS does not name $k"
done
EXIT=$(printf '%s' "$OUT" | jq "[.facts.events[] | .kind + \" \" + (.pid|tostring)] | index(\"exited $PSQL\")")
LINE=$(printf '%s' "$OUT" | jq "[.facts.events[] | .kind + \" \" + (.pid|tostring)] | index(\"log $PSQL\")")
CR=$(printf '%s' "$OUT" | jq '[.facts.events[] | .kind] | index("crash")')
[ "$EXIT" != null ] && [ "$LINE" != null ] && [ "$CR" != null ] || fail "the culprit's exit, the crash or the log line is missing: $OUT"
[ "$EXIT" -lt "$CR" ] && [ "$CR" -lt "$LINE" ] || fail "not cause before effect: exit $EXIT, crash $CR, log line $LINE"
expect_jq ".facts.events[] | select(.kind == \"exited\" and .pid == $PSQL) | .exact" true
expect_jq ".facts.events[] | select(.kind == \"exited\" and .pid == $PSQL) | .crash" culprit
expect_jq "[.facts.events[] | select(.kind == \"exited\" and .pid == $PSQL)][0].t <= [.facts.events[] | select(.kind == \"log\")][0].t" true
expect_jq '[.facts.events[] | select(.crash == "taken down")] | length > 2' true
COLUMNS=1000 run_host postmortem "$REC"* --timeline --no-color
expect_rc 2
printf '%s\n' "$OUT" | grep -q 'exit code -1' && fail "an exit code of -1: $OUT"
expect_out "= exited  *PID $PSQL psql, user root, parent 1 postgres .*killed by signal 13 (SIGPIPE).*THE CULPRIT"

# the view that said OK: --timeline --log
run_host postmortem "$REC"* --timeline --log "$SERVERLOG" --no-color
expect_rc 2
expect_out 'CRITICAL DBM701'

# --at with a clock time: the recording's day, not the day before
LAST=$(grep -o '"k":"end","t":[0-9.]*' "$REC" | grep -o '[0-9.]*$' | cut -d. -f1)
[ -n "$LAST" ] || fail "no end line"
AT=$((LAST + 300))
run_host postmortem "$REC"* --at "$(date -u -d "@$AT" +%H:%M:%S)"
expect_rc 3
grep -q "$(date -u -d "@$AT" '+%Y-%m-%d %H:%M:%S') UTC is outside the recording" <<<"$ERR" ||
	fail "--at was not taken on the recording's day: $ERR"

# a header as 0.1 wrote it: no boot_clock, no server_log; still read,
# still the crash, times between samples rather than exact
{ head -1 "$REC" | jq -c 'del(.boot_clock, .server_log, .dbpod)'; tail -n +2 "$REC"; } >"$TMP/old.jsonl"
run_host postmortem "$TMP/old.jsonl" --timeline --json
expect_rc 2
expect_jq '.facts.crashes[0].culprit.pid' "$PSQL"
expect_jq ".facts.events[] | select(.kind == \"exited\" and .pid == $PSQL) | .exact" false
expect_jq '.facts.log' null
echo "ok: the recording alone tells the crash, its culprit and the order"
