#!/bin/bash
# A process started under `trap '' TERM` ignores SIGTERM after exec; a
# process with SIGTERM pending but blocked; bad PIDs.
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq tini perl
set -e
ns_start tini -- sh -c "trap '' TERM; exec sleep 1000"
ns_wait_comm sleep

run_dbpod signals --json
expect_rc 2
expect_jq '.findings[] | select(.id == "DBS202") | .pid' 2
expect_jq '.findings[] | select(.id == "DBS202") | .severity' critical
expect_jq '.findings[] | select(.id == "DBS202") | .message | test("sleep, user root\\) ignores SIGTERM")' true
expect_jq .facts.stop_path.outcome sigkill

# blocked and pending on both readings
ns_exec setsid perl -e 'use POSIX; sigprocmask(SIG_BLOCK, POSIX::SigSet->new(SIGUSR1)); sleep 1000' </dev/null >/dev/null 2>&1 &
ns_wait_comm perl
PERL=$(ns_exec pgrep -x perl)
# the signal must come after perl blocked it, or it kills perl
wait_until ns_exec grep -q '^SigBlk:.*[1-9a-f]' "/proc/$PERL/status" || fail "perl did not block"
ns_exec kill -USR1 "$PERL"
run_dbpod signals --json "$PERL"
expect_jq '.findings[] | select(.id == "DBS204") | .pid' "$PERL"
expect_jq '.findings[] | select(.id == "DBS204") | .message | test("SIGUSR1 pending but blocked on two readings")' true
# asked about PERL only: nothing said about PID 1's stop path
expect_jq '[.findings[] | select(.id == "DBS205" or .id == "DBS203")] | length' 0

# a PID that does not exist: refused in one line, exit 3, nothing judged
run_dbpod signals 4000000 --json
expect_rc 3
[ -z "$OUT" ] || fail "output for a PID that is not there: $OUT"
printf '%s' "$ERR" | grep -q "no process 4000000 in this PID namespace" || fail "bad message: $ERR"
run_dbpod signals not-a-pid
expect_rc 3
run_dbpod signals --grace=-1
expect_rc 3
echo "ok: inherited SIG_IGN, blocked pending signals and bad PIDs"
