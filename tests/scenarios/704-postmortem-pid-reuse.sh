#!/bin/bash
# PID reuse for real: inside a PID namespace the same PID is
# handed to two processes one after the other (ns_last_pid) while
# `dbpod snapshot -o` records; `postmortem --pid` shows both, each with its
# own start time, user and command line. Needs dbpod snapshot.
. "$(dirname "$0")/lib.sh"
# snapshot is part of dbpod: a binary without it is broken, not a reason
# to skip
"$DBPOD" snapshot --help >/dev/null 2>&1 || fail "dbpod snapshot --help fails: $("$DBPOD" snapshot --help 2>&1 | head -n 3)"
need_root; need_cmd jq setpriv tini
set -e
# tini as PID 1 reaps the killed process, so that its PID is free again
ns_start tini -s -- sleep 600
REC=$TMP/ps.jsonl
ns_exec setsid "$DBPOD" snapshot -i 1 -o "$REC" </dev/null >"$TMP/snapshot.out" 2>&1 &
track "$!"
wait_until test -s "$REC" || fail "the recorder wrote nothing: $(cat "$TMP/snapshot.out")"

# PID 4242, twice: first a root sleep (killed, however long it takes to be
# sampled twice), then a sleep of user nobody
P=4242
ns_exec sh -c "echo $((P - 1)) >/proc/sys/kernel/ns_last_pid; exec setsid sleep 600 </dev/null >/dev/null 2>&1 &"
wait_until ns_exec test -d /proc/$P || fail "PID $P was not handed out"
rec_samples 2 "$REC"
ns_exec kill -KILL "$P"
wait_until sh -c "! nsenter -t $NS_PID -p -m -- test -d /proc/$P" || fail "PID $P was not reaped"
rec_samples 2 "$REC"
# the second one starts as root and only then execs into user nobody, as
# a gosu/setpriv entrypoint does: the recorder must catch the switch in a
# delta (it reads the user afresh after an exec), not at the next key
ns_exec sh -c "echo $((P - 1)) >/proc/sys/kernel/ns_last_pid; exec setsid sh -c 'until [ -e $TMP/go ]; do sleep 0.1; done; exec setpriv --reuid=nobody --regid=nogroup --clear-groups sleep 60' </dev/null >/dev/null 2>&1 &"
wait_until ns_exec test -d /proc/$P || fail "PID $P was not handed out again"
rec_samples 2 "$REC"
touch "$TMP/go"
wait_until ns_exec grep -qx sleep /proc/$P/comm || fail "PID $P did not exec sleep"
rec_samples 2 "$REC"
SNAP=$(ns_exec pgrep -f "snapshot -i 1 -o $REC" | head -n 1)
[ -n "$SNAP" ] || fail "no recorder in the namespace"
ns_exec kill -TERM "$SNAP"
wait_until grep -q '"k":"end"' "$REC" || fail "the recorder did not finish its file"

run_host postmortem "$REC" --pid "$P" --json
expect_rc 0
expect_jq '.facts.holders | length' 2
expect_jq '.facts.holders | map(.user) | join(",")' root,nobody
expect_jq '.facts.holders[1] | [.versions[0].user, .versions[-1].user] | join(",")' root,nobody
expect_jq '.facts.holders[0].gone' true
expect_jq '.facts.holders[0].start_ticks < .facts.holders[1].start_ticks' true
expect_jq '.facts.holders | map(.versions[-1].cmdline) | join(",")' 'sleep 600,sleep 60'

run_host postmortem "$REC" --json
expect_jq '.facts.pids_reused >= 1' true
echo "ok: both holders of a reused PID"
