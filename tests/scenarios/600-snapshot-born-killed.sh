#!/bin/bash
# Processes born and killed between samples appear and vanish in the
# recording with their parents; an orphan's adoption by PID 1 is a change
# of its ppid.
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq tini
set -e
ns_start tini -- sleep 1000	# an init that reaps what it adopts
REC=$TMP/rec.jsonl
rec_start "$REC" -i 0.05

# a parent (a sleep, after exec) with a child sleep
ns_exec sh -c "sleep 300 & echo \$! >$TMP/child; echo \$\$ >$TMP/parent; exec sleep 301" &
track_first "$!"; disown "$!"
# the parent's file is written last: once it is there, both are
wait_until test -s "$TMP/parent" || fail "the child did not start"
P=$(cat "$TMP/parent"); C=$(cat "$TMP/child")
# a session leader of its own (setsid): its group and session are its PID
ns_exec setsid sh -c "echo \$\$ >$TMP/leader; exec sleep 302" </dev/null >/dev/null 2>&1 &
track_first "$!"; disown "$!"
wait_until test -s "$TMP/leader" || fail "the session leader did not start"
L=$(cat "$TMP/leader")
rec_samples 3 "$REC"
ns_exec kill -KILL "$P"		# the child is orphaned: PID 1 adopts it
rec_samples 3 "$REC"
ns_exec kill -KILL "$C"
rec_samples 3 "$REC"
rec_stop
expect_rc 0

OUT=$(cat "$REC")
jqs() { jq -s -r "$1" "$REC"; }
[ "$(jqs "[.[] | select(.k == \"delta\") | .new[] | select(.pid == $P)] | length")" = 1 ] ||
	fail "the parent $P did not appear once: $OUT"
[ "$(jqs "[.[] | select(.k == \"delta\") | .new[] | select(.pid == $C and .ppid == $P)] | length")" = 1 ] ||
	fail "the child $C did not appear with PPID $P"
# a new process comes with its user, signal masks and oom_score_adj
[ "$(jqs "[.[] | select(.k == \"delta\") | .new[] | select(.pid == $C)][0] | [.user, .uid, (.sig | keys | join(\",\")), (.sig.ign | length), .oom_adj] | @csv")" = '"root",0,"blk,cgt,ign,pnd,shd",16,0' ] ||
	fail "the child's status fields are missing"
[ "$(jqs "[.[] | select(.k == \"delta\") | .changed[] | select(.pid == $C and .ppid == 1)] | length")" = 1 ] ||
	fail "the adoption of $C by PID 1 is not a change"
PS=$(jqs "[.[] | select(.k == \"delta\") | .new[] | select(.pid == $P)][0].start")
CS=$(jqs "[.[] | select(.k == \"delta\") | .new[] | select(.pid == $C)][0].start")
[ "$(jqs "[.[] | select(.k == \"delta\") | .gone[] | select(. == [$P, $PS])] | length")" = 1 ] ||
	fail "the parent did not vanish"
[ "$(jqs "[.[] | select(.k == \"delta\") | .gone[] | select(. == [$C, $CS])] | length")" = 1 ] ||
	fail "the child did not vanish"
# process group and session as stat says them (fields 5 and 6): the last
# recorded ones, since a sample may catch the process between its fork
# and its setsid() -- then it is new with its parent's, and the setsid
# comes as a change
[ "$(jqs "[.[] | select(.k == \"delta\") | ((.new // []) + (.changed // []))[] | select(.pid == $L and .pgid != null)] | last | [.pgid, .sid] | @csv")" = "$L,$L" ] ||
	fail "the session leader $L was not recorded with pgid = sid = $L"
[ "$(jqs "[.[] | select(.k == \"delta\") | .new[] | select(.pid == $C)][0] | [.pgid, .sid] | @csv")" = \
  "$(jqs "[.[] | select(.k == \"delta\") | .new[] | select(.pid == $P)][0] | [.pgid, .sid] | @csv")" ] ||
	fail "the child $C is not recorded in its parent's group and session"
run_host postmortem "$REC" --at -0s --no-color
expect_out "^ *$L  *[01] .* Ss  *sleep 302$"
# seq runs without gaps, and the run ends with its end line
[ "$(jqs '[.[] | select(.seq) | .seq] | . == [range(1; length + 1)]')" = true ] || fail "seq has gaps"
[ "$(tail -n 1 "$REC" | jq -r '.k + " " + .reason')" = "end SIGTERM" ] || fail "no end line"
echo "ok: births, adoptions and deaths are recorded with their parents"
