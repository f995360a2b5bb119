#!/bin/bash
# A recording with PID reuse answers --pid with both processes,
# and with --at the one of that second; --at rebuilds the table of a
# second (absolute, ISO 8601, epoch, relative), --tree draws it, --check
# judges it with the live rules.
. "$(dirname "$0")/lib.sh"
need_cmd jq
set -e
REC=$top_srcdir/tests/fixtures/postmortem/reuse.jsonl

run_host postmortem "$REC" --pid 40 --json
expect_rc 0
expect_jq '.facts.holders | length' 2
expect_jq '.facts.holders[0].user' root
expect_jq '.facts.holders[0].start_ticks' 351280
expect_jq '.facts.holders[0].gone' true
expect_jq '.facts.holders[0].ignores_sigpipe' false
expect_jq '.facts.holders[0].versions[0].chain | map("\(.pid) \(.name)") | join(" -> ")' '1 postgres -> 40 psql'
expect_jq '.facts.holders[1].user' postgres
expect_jq '.facts.holders[1].versions | map(.comm) | join(",")' bash,sleep
expect_jq '.facts.holders[1].signals.caught.names | join(",")' SIGCHLD

run_host postmortem "$REC" --pid 40 --no-color
expect_out 'was held by 2 processes'
expect_out '1 postgres -> 40 psql'
expect_out 'SIGPIPE    NOT ignored'

# a PID no process of the recording held: one line, exit 3
run_host postmortem "$REC" --pid 99 --json
expect_rc 3
[ -z "$OUT" ] || fail "output for a PID nobody held: $OUT"
printf '%s' "$ERR" | grep -q "no process held PID 99 in the recording" || fail "bad message: $ERR"

# the same second, six ways
for at in '2026-11-23 06:40:02' 2026-11-23T07:40:02.5+01:00 1795416002 @1795416002 -5s 06:40:02; do
	run_host postmortem "$REC" --at "$at" --json
	expect_rc 0
	expect_jq .facts.sample_time 2026-11-23T06:40:02Z
	expect_jq '.facts.processes | map(.pid) | join(",")' 1,7,39,40
done
run_host postmortem "$REC" --at -1s --json
expect_jq '.facts.processes | map(.pid) | join(",")' 1,7

run_host postmortem "$REC" --at '2026-11-23 06:40:04' --tree --no-color
expect_rc 0
expect_out '^      1       0 '
expect_out '\\_ /bin/bash -c sleep 1; true'

run_host postmortem "$REC" --at '2026-11-23 06:00:00'
expect_rc 3
printf '%s' "$ERR" | grep -q 'outside the recording' || fail "bad message: $ERR"
run_host postmortem "$REC" --at yesterday
expect_rc 3
run_host postmortem "$REC" --tree
expect_rc 3
# --pid with --at: the one process that held the PID then
run_host postmortem "$REC" --pid 40 --at '2026-11-23 06:40:02' --json
expect_rc 0
expect_jq '.facts.holders | map(.start_ticks) | join(",")' 351280
run_host postmortem "$REC" --pid 40 --at '2026-11-23 06:40:04' --json
expect_jq '.facts.holders | map(.start_ticks) | join(",")' 351700
run_host postmortem "$REC" --pid 40 --at -1s --no-color
expect_rc 0
expect_out 'PID          40 was held by no process of the recording at'
run_host postmortem "$REC" --pid 40 --at -1s --tree
expect_rc 3

# the live rules on the recorded second: a root psql adopted by PID 1
run_host postmortem "$REC" --at '2026-11-23 06:40:02' --check --json
expect_rc 2
expect_jq '[.findings[] | select(.id == "DBP101")] | length' 1
expect_jq '.findings[] | select(.id == "DBP105") | .pid' 40
expect_jq '.findings[] | select(.id == "DBS201") | .pid' 40
expect_jq .facts.stop_outcome sigkill
# SIGTERM (smart, the psql holds a session) and SIGINT (fast, the adopted
# psql exits 2: crash) are both judged: the recording cannot know STOPSIGNAL
expect_jq '[.findings[].message | select(test("30 s grace period"))] | length' 2
# the grace period is the user's, as for dbpod signals
run_host postmortem "$REC" --at '2026-11-23 06:40:02' --check --json --grace=7
expect_jq '[.findings[].message | select(test("7 s grace period"))] | length' 2
run_host postmortem "$REC" --at '2026-11-23 06:40:02' --check --grace=-1
expect_rc 3
# and a second later the psql is gone
run_host postmortem "$REC" --at '2026-11-23 06:40:03' --check --json --stop-signal=SIGINT
expect_jq '[.findings[] | select(.id == "DBS201")] | length' 0
echo "ok: --pid with PID reuse, --at, --tree, --check"
