#!/bin/bash
# A process that takes the PID of one that has gone, with the namespace's
# PID counter set back to hand it out (ns_last_pid: seed 001 reproduced on
# purpose; CRIU restoring a process), leaves the counter where it was.
# The recorder, which re-reads the processes it knows instead of walking
# /proc while the counter has not moved, did not see it until the next
# fork or key.
#
# One shell in the namespace forks, kills and sets the counter, with
# builtins only, each step told by a FIFO: nothing else forks there (the
# host only reads the recording).
. "$(dirname "$0")/lib.sh"
need_root; need_cmd tini
set -e
ns_start tini -- sleep 1000
mkfifo "$TMP/go"
# "fork": a sleep 1001, its PID into "pids"; "kill": that sleep killed
# and reaped; "again": the counter set back so that the next fork gets
# the same PID, and a sleep 1002 forked
ns_exec bash -c "exec 9<>$TMP/go
	while read -r cmd <&9; do
		case \$cmd in
		fork) sleep 1001 & p=\$!; echo \$p >$TMP/pids ;;
		kill) kill \$p; wait \$p; echo >$TMP/killed ;;
		again) echo \$((p - 1)) >/proc/sys/kernel/ns_last_pid
			sleep 1002 & echo \$! >$TMP/again ;;
		esac
	done" &
track_first "$!"; disown "$!"
REC=$TMP/rec.jsonl
rec_start "$REC" -i 0.05 --keyframe=3600
rec_samples 2 "$REC"
exec 8>"$TMP/go"

echo fork >&8
wait_until test -s "$TMP/pids" || fail "the shell did not fork"
P=$(cat "$TMP/pids")
recorded() { grep -q "{\"pid\":$1,[^}]*\"args\":\\[\"sleep\",\"$2\"\\]" "$REC"; }
wait_until recorded "$P" 1001 || fail "PID $P is not in the recording"
echo kill >&8
wait_until test -s "$TMP/killed" || fail "the shell did not kill $P"
# two samples after the kill: the sleep is gone from the recorder's list
rec_samples 2 "$REC"
echo again >&8
wait_until test -s "$TMP/again" || fail "the shell did not fork again"
[ "$(cat "$TMP/again")" = "$P" ] || fail "the counter set back gave PID $(cat "$TMP/again"), not $P"
wait_until recorded "$P" 1002 ||
	fail "PID $P's second process, forked with the counter set back, is not in the recording after $(rec_count "$REC") samples"
exec 8>&-
rec_stop
expect_rc 0
echo "ok: a process forked with the PID counter set back to where it was is recorded"
