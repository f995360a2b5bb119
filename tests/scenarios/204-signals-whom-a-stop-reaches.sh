#!/bin/bash
# DBS202 judges the processes a stop reaches: a background job of a shell
# PID 1 that drops the signal is SIGKILLed with it whatever it ignores, so
# it is said only with --all; a process in the group tini -g signals is
# judged. /proc/PID/status is read for the processes a stop may reach
# (every one for JSON).
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq strace tini
set -e

# bash PID 1 (no trap: drops SIGTERM); sleep is the chain's service; tail,
# started beside it, ignores TERM and INT and never gets either
ns_start bash -c 'sleep 1000 & (trap "" TERM INT; exec tail -f /dev/null) & wait'
ns_wait_comm tail
TAIL=$(ns_exec pgrep -x tail)
ns_exec grep -q '^SigIgn:.*[1-9a-f]' "/proc/$TAIL/status" || fail "tail does not ignore anything"

run_dbpod signals --json
expect_jq .facts.stop_path.outcome sigkill
expect_jq "[.findings[] | select(.id == \"DBS202\" and .pid == $TAIL)] | length" 0
# the JSON list still holds its masks, read in the one pass
expect_jq ".facts.processes[] | select(.pid == $TAIL) | .signals.ignored.names | index(\"SIGTERM\") != null" true
run_dbpod signals --no-color
expect_no_out " tail "
run_dbpod signals --all --json
expect_jq "[.findings[] | select(.id == \"DBS202\" and .pid == $TAIL)][0].severity" warning
expect_jq "[.findings[] | select(.id == \"DBS202\" and .pid == $TAIL)][0].message | test(\"when PID 1 exits\")" true
run_dbpod signals --all --no-color
expect_out " tail "
run_dbpod signals --json "$TAIL"
expect_jq "[.findings[] | select(.id == \"DBS202\")][0].pid" "$TAIL"

# status: read for the candidates only in text (bash, its oldest child),
# for every process for JSON; stat once each either way
NPROC=$(ns_exec sh -c 'ls -d /proc/[0-9]* | wc -l')
ns_exec strace -f -qq -o "$TMP/trace" -e trace=openat "$DBPOD" signals --no-color >/dev/null 2>&1 || true
text=$(grep -c '"/proc/[0-9]*/status"' "$TMP/trace" || true)
ns_exec strace -f -qq -o "$TMP/trace" -e trace=openat "$DBPOD" signals --json >/dev/null 2>&1 || true
json=$(grep -c '"/proc/[0-9]*/status"' "$TMP/trace" || true)
note "status read: $text in text, $json for JSON, of about $NPROC processes"
[ "$text" -ge 2 ] || fail "text read the status of $text processes: PID 1 and sleep at least"
[ "$text" -lt "$json" ] || fail "text read status as often as JSON ($text, $json)"
[ "$json" -ge 3 ] || fail "JSON read the status of $json processes"

# tini -g signals its child's process group: tail, left in it by the
# shell that execs sleep, gets SIGTERM and ignores it
ns_start tini -g -- bash -c '(trap "" TERM; exec tail -f /dev/null) & exec sleep 1000'
ns_wait_comm tail
TAIL=$(ns_exec pgrep -x tail)
[ "$(ns_exec ps -o pgid= -p "$TAIL" | tr -d ' ')" = 2 ] || fail "tail is not in the child's group"
run_dbpod signals --json --stop-signal=TERM
expect_jq "[.findings[] | select(.id == \"DBS202\" and .pid == $TAIL)][0].severity" warning
# and reality: the group's SIGTERM ends sleep, tini exits with it, and the
# kernel kills tail at once -- no grace period is waited out
START=$(date +%s%N)
kill -TERM "$NS_PID"
wait_until sh -c "! kill -0 $NS_PID" || fail "tini did not exit on SIGTERM"
ELAPSED=$(( ($(date +%s%N) - START) / 1000000 ))
note "the namespace ended ${ELAPSED} ms after SIGTERM"
echo "ok: DBS202 for the processes a stop reaches; status read where a stop may reach"
