#!/bin/bash
# The node recorder outlives the container it watches: two PID namespaces
# of real processes -- a shell with a child, and PostgreSQL as PID 1 -- and
# `dbpod snapshot --all-containers` on the host. A crash-restart happens
# in the PostgreSQL one (a root psql adopted by the postmaster, killed with
# SIGPIPE), then its PID 1 is killed with SIGKILL, which ends the
# namespace. The recording goes on; it shows the container's processes
# gone at the first sample after the kill and the other namespace still
# there; `postmortem --container` of the dead one answers in its own PIDs:
# PID 1 before the kill was the postmaster, --log names the psql.
. "$(dirname "$0")/lib.sh"
need_root; need_pg; need_cmd jq
set -e

# answered: exit 0, or 1 for a warning about the recording itself -- a
# gap (DBM704) when the machine is busy enough to delay a sample
answered() {
	[ "$RC" -le 1 ] || fail "expected an answer (exit status 0 or 1), got $RC
--- stdout
$OUT
--- stderr
$ERR"
	[ "$RC" = 0 ] || printf '%s' "$OUT" | grep -q 'DBM704' ||
		fail "exit status 1 without a gap to explain it:
$OUT"
}

# crashed: the view read the orphaned psql's crash-restart (every child
# of the postmaster replaced), which it reports whatever was asked:
# DBM709, exit 2
crashed() {
	[ "$RC" = 2 ] && printf '%s' "$OUT" | grep -q 'DBM709' ||
		fail "expected the crash-restart (DBM709, exit status 2), got $RC
--- stdout
$OUT"
}
# stamp: the wall clock, as the recording's times are
stamp() { date +%s.%N; }
# samples FILE: the times of its samples, one a line
samples() { jq -r 'select(.k == "key" or .k == "delta") | .t' "$1"; }

# 1. the other namespace: sh as PID 1, a sleep its child
ns_start sh -c 'sleep 100000 & wait'
OTHER=$NS_PID
wait_until sh -c "pgrep -P $OTHER -x sleep" || fail "the other namespace's child did not start"
OTHER_INO=$(stat -L -c %i "/proc/$OTHER/ns/pid")

# 2. PostgreSQL as PID 1, logging with millisecond UTC times
pg_logging_start
pg_shm_at_exit		# the kill -9 below leaves the segment
PM=$NS_PID
PG_INO=$(stat -L -c %i "/proc/$PM/ns/pid")
[ "$PG_INO" != "$OTHER_INO" ] || fail "the two namespaces have one inode"

# 3. the node recorder, on the host, five samples a second
NODE_REC=$TMP/rec/node.jsonl
setsid "$DBPOD" snapshot --all-containers -i 0.2 -o "$NODE_REC" </dev/null >/dev/null 2>"$TMP/node.err" &
NODE=$!
track_first "$NODE"
WAIT_SECONDS=10 wait_until grep -q '"k":"key"' "$NODE_REC" ||
	fail "the node recorder wrote no key: $(cat "$TMP/node.err")"
head -n 1 "$NODE_REC" | jq -e '.dbpod_recording == 2 and .all_containers == true' >/dev/null ||
	fail "not a node recording's header: $(head -n 1 "$NODE_REC")"
for ino in "$PG_INO" "$OTHER_INO"; do
	grep -q "\"k\":\"namespace\",\"t\":[0-9.]*,\"ns\":$ino," "$NODE_REC" ||
		fail "no namespace line for $ino: $(grep '"k":"namespace"' "$NODE_REC")"
done
grep -q "\"k\":\"namespace\",\"t\":[0-9.]*,\"ns\":$PG_INO,\"pid1\":$PM," "$NODE_REC" ||
	fail "the namespace line does not name the postmaster as PID 1"

# 4. an orphaned root psql killed by SIGPIPE in the PostgreSQL namespace
orphan_psql
WAIT_SECONDS=10 wait_until grep -q "\"ns\":$PG_INO,\"nspid\":$PSQL,\"nsppid\":1," "$NODE_REC" ||
	fail "the recording does not show psql as PID $PSQL, child of PID 1, in its namespace"
ns_exec kill -PIPE "$PSQL"
wait_until grep -q "(PID $PSQL) was terminated by signal 13" "$SERVERLOG" ||
	fail "the server did not log the crash: $(cat "$SERVERLOG")"
pg_wait

# 5. PID 1 killed: the kernel ends the namespace
BEFORE=$(stamp)
rec_samples 2 "$NODE_REC"
KILLED=$(stamp)
kill -KILL "$PM"
wait_until sh -c "! kill -0 $PM 2>/dev/null" || fail "the postmaster survived SIGKILL"
GONE=$(stamp)
# the recording goes on without it
rec_samples 3 "$NODE_REC"
kill -0 "$NODE" || fail "the node recorder died with the container: $(cat "$TMP/node.err")"
kill -TERM "$NODE"
set +e
wait "$NODE"
RC=$?
set -e
[ "$RC" = 0 ] || fail "SIGTERM ended the node recorder with $RC: $(cat "$TMP/node.err")"
[ "$(tail -n 1 "$NODE_REC" | jq -r .k)" = end ] || fail "no end line"

# gone at the right sample: the first sample after the kill that no
# longer has the postmaster is no later than the first one taken once it
# was gone, and the delta says so
GONE_AT=$(jq -r "select(.k == \"delta\") | select([.gone[]? | .[0]] | index($PM)) | .t" "$NODE_REC")
[ -n "$GONE_AT" ] || fail "no delta records the postmaster ($PM) gone"
FIRST_AFTER=$(samples "$NODE_REC" | awk -v g="$GONE" '$1 > g' | head -n 1)
LAST_BEFORE=$(samples "$NODE_REC" | awk -v k="$KILLED" '$1 < k' | tail -n 1)
awk -v t="$GONE_AT" -v k="$KILLED" -v f="$FIRST_AFTER" 'BEGIN { exit !(t > k && t <= f) }' ||
	fail "the postmaster is recorded gone at $GONE_AT, not at the first sample after the kill ($KILLED .. $FIRST_AFTER)"

# 6. postmortem of the node: both containers, one ended
run_host postmortem "$NODE_REC" --json
expect_jq ".facts.containers[] | select(.pidns == $PG_INO) | .pid1_gone" true
expect_jq ".facts.containers[] | select(.pidns == $OTHER_INO) | .pid1_gone" false
expect_jq ".facts.containers[] | select(.pidns == $PG_INO) | .host_pid1" "$PM"
expect_jq "[.findings[] | select(.id == \"DBM708\" and .pid == $PM)] | length" 1
expect_jq "[.findings[] | select(.id == \"DBM708\" and .pid == $OTHER)] | length" 0
# a row per container, to grep: COLUMNS as ps(1) takes it (below 120
# columns a container's name, times and PID 1 wrap under its row)
COLUMNS=1000 run_host postmortem "$NODE_REC" --no-color
expect_out "--container ID|NAME reads one container"
expect_out "^$PG_INO .*postgres, gone: the namespace ended"
COLUMNS=40 run_host postmortem "$NODE_REC" --no-color
long=$(printf '%s\n' "$OUT" | awk 'length($0) > 40')
[ -z "$long" ] || fail "the containers of the summary at 40 columns: lines past it:
$long"

# 7. the dead container in its own PIDs: PID 1 before the kill
run_host postmortem "$NODE_REC" --container "$PG_INO" --pid 1 --at "$BEFORE" --json
answered
expect_jq '.facts.holders | length' 1
expect_jq '.facts.holders[0].pid' 1
expect_jq '.facts.holders[0].user' postgres
expect_jq '.facts.holders[0].versions[0].comm' postgres
expect_jq '.facts.holders[0].gone' true
run_host postmortem "$NODE_REC" --container "$PG_INO" --at "$LAST_BEFORE" --tree --no-color
# --at reads from the key before the time: the crash is in what it read
# unless a key (every 300 s) came between
[ "$RC" = 2 ] && crashed || answered
expect_out "^ *1 *0 .*postgres .*-D $PGDATA"
expect_out "postgres: checkpointer"
# and nothing of it once the namespace ended; the other one goes on
run_host postmortem "$NODE_REC" --container "$PG_INO" --at "$GONE_AT" --json
expect_jq '.facts.processes | length' 0
run_host postmortem "$NODE_REC" --container "$OTHER_INO" --at -0s --json
expect_jq '[.facts.processes[] | select(.pid == 1)] | .[0].comm' sh
expect_jq '[.facts.processes[] | select(.ppid == 1)] | .[0].comm' sleep

# 8. that crash-restart in the container's PIDs, as a recording made inside it
run_host postmortem "$NODE_REC" --container "$PG_INO" --log "$SERVERLOG" --json
expect_jq ".facts.events[] | select(.pid == $PSQL) | .holders[0].comm" psql
expect_jq ".facts.events[] | select(.pid == $PSQL) | .holders[0].user" root
expect_jq ".facts.events[] | select(.pid == $PSQL) | .holders[0].parent_is_postmaster" true
expect_jq ".findings[] | select(.id == \"DBM701\") | .pid" "$PSQL"
run_host postmortem "$NODE_REC" --container "$PG_INO" --timeline --no-color
crashed
expect_out "psql"

# 9. what --container cannot read: said, with the containers there are
run_host postmortem "$NODE_REC" --container no-such-container
expect_rc 3
printf '%s' "$ERR" | grep -q "no container of the recording has that ID, name or PID namespace" ||
	fail "no reason given: $ERR"
printf '%s' "$ERR" | grep -q "^  $PG_INO " || fail "the containers are not listed: $ERR"
printf '%s' "$ERR" | grep -q "^  $OTHER_INO " || fail "the containers are not listed: $ERR"
run_host postmortem "$NODE_REC" --log "$SERVERLOG"
expect_rc 3
printf '%s' "$ERR" | grep -q -- "--container" || fail "--log on the node's PIDs is not refused: $ERR"
echo "ok: the node recorder outlived the container, and reads it back in its own PIDs"
