#!/bin/bash
# A process forked while a sample is being taken is recorded by the next
# sample. The recorder re-reads the last sample's list instead of walking
# /proc when the namespace's PID counter has not moved; it once compared
# the counter read after the sample, so a fork during a sample (behind
# readdir, or during a re-read of the list) was never seen until the next
# fork moved the counter again (601 under the sanitizers, once).
#
# Many processes make each sample long, so that forks land during one;
# each fork waits until the recording shows the last one, so that no later
# fork can make the recorder walk /proc and hide a miss. One fork each
# time, from a shell in the namespace told by a FIFO: nothing else forks
# there (the host only reads the recording).
. "$(dirname "$0")/lib.sh"
need_root; need_cmd tini
set -e
N=${BORN_DURING_PROCS:-3000}
ROUNDS=${BORN_DURING_ROUNDS:-30}
ns_start tini -- sleep 1000
mkfifo "$TMP/go"
# the forker: N sleeps, then one sleep per line read from the FIFO (opened
# read-write, so that it never sees an end of file); its PIDs, one a line,
# into "pids"; read and echo are builtins
ns_exec bash -c "exec 9<>$TMP/go
	for ((i = 0; i < $N; i++)); do sleep 1000 & done
	echo \$! >$TMP/ready
	while read -r _ <&9; do sleep 1001 & echo \$! >>$TMP/pids; done" &
track_first "$!"; disown "$!"
wait_until test -s "$TMP/ready" || fail "the $N processes did not start"
REC=$TMP/rec.jsonl
rec_start "$REC" -i 0.05 --keyframe=3600
rec_samples 2 "$REC"

# recorded: a record of a sleep 1001 with this PID (PIDs are not reused
# here: none of these processes ends)
forked() { [ -s "$TMP/pids" ] && [ "$(wc -l <"$TMP/pids")" -ge "$1" ]; }
recorded() { grep -q "{\"pid\":$1,[^}]*\"args\":\\[\"sleep\",\"1001\"\\]" "$REC"; }
exec 8>"$TMP/go"
for ((r = 1; r <= ROUNDS; r++)); do
	echo go >&8
	wait_until forked "$r" || fail "round $r: the shell did not fork"
	P=$(sed -n "${r}p" "$TMP/pids")
	wait_until recorded "$P" ||
		fail "round $r: PID $P, forked while the recorder ran, is not in the recording after $(rec_count "$REC") samples"
done
exec 8>&-
rec_stop
expect_rc 0
echo "ok: $ROUNDS processes forked beside $N, each recorded by the next samples"
