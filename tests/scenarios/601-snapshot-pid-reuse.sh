#!/bin/bash
# PID reuse: a process is killed and another gets its PID (written to
# ns_last_pid, as happens in containers all the time) -- the recording
# holds two processes with that PID, told apart by their start time.
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq tini
set -e
ns_start tini -- sleep 1000
REC=$TMP/rec.jsonl
rec_start "$REC" -i 0.05

# the first holder of the PID; its shell waits for it and reaps it
ns_exec sh -c "sleep 100 & echo \$! >$TMP/first; wait" &
track_first "$!"; disown "$!"
wait_until test -s "$TMP/first" || fail "the first process did not start"
P=$(cat "$TMP/first")
START=$(ns_exec cut -d' ' -f22 "/proc/$P/stat")
rec_samples 3 "$REC"
ns_exec kill -KILL "$P"
wait_until sh -c "! nsenter -t $NS_PID -p -m -- kill -0 $P" || fail "PID $P is still taken"
# another clock tick (field 22 of stat, the start time, of a process
# started now is past the first's): the two start times differ
wait_until sh -c "[ \$(cut -d' ' -f22 /proc/self/stat) -gt $START ]" || fail "the clock does not tick"
# the next fork in the namespace gets PID P again
ns_exec sh -c "echo $((P - 1)) >/proc/sys/kernel/ns_last_pid; sleep 101 & echo \$! >$TMP/second; wait" &
track_first "$!"; disown "$!"
wait_until test -s "$TMP/second" || fail "the second process did not start"
[ "$(cat "$TMP/second")" = "$P" ] || fail "PID $P was not reused (got $(cat "$TMP/second")); ns_last_pid not writable here?"
rec_samples 3 "$REC"
rec_stop
expect_rc 0

# every record of PID P, in order; a process may be seen as the forked
# shell first and as sleep after its exec (a change of args), and as a
# zombie, its args gone, between the kill and its reaping
seen=$(jq -s -c "[.[] | (.procs // []) + (.new // []) + (.changed // []) | .[] | select(.pid == $P)]" "$REC")
holders=$(printf '%s' "$seen" | jq -c 'unique_by(.start)')
[ "$(printf '%s' "$holders" | jq length)" = 2 ] || fail "expected two processes with PID $P, got $seen"
[ "$(printf '%s' "$seen" | jq -r '[group_by(.start)[] | map(select(.args | length > 0)) | last | .args | join(" ")] | join(", ")')" = "sleep 100, sleep 101" ] ||
	fail "not the two sleeps: $seen"
first=$(printf '%s' "$holders" | jq '.[0].start')
[ "$(jq -s "[.[] | select(.k == \"delta\") | .gone[] | select(. == [$P, $first])] | length" "$REC")" = 1 ] ||
	fail "the first holder of PID $P never vanished"
echo "ok: a reused PID is two processes in the recording"
