#!/bin/bash
# The recorder is never a process whose death hurts the database. With
# PostgreSQL as PID 1 (the official image), `sh -c 'dbpod snapshot -o FILE &'`
# from an exec shell leaves dbpod to the postmaster when the shell exits,
# and a recorder killed then (SIGKILL, the OOM killer) is a "server
# process ... terminated by signal 9" to PostgreSQL: crash recovery.
# dbpod refuses to start there (exit 3, why, and the safe ways) and leaves
# nothing behind, even when it was adopted before it looked or an init
# stands between it and the shell; started from
# outside the namespace (PPID 0, as kubectl exec starts it) or under an
# init as PID 1 (tini), it records.
. "$(dirname "$0")/lib.sh"
need_root; need_pg; need_cmd jq tini
set -e

# debug2: the postmaster logs how each child it reaps ended, so the
# status of a dbpod it adopted shows (1 is a normal end to it; 3 a crash)
pg_logging_start -c log_min_messages=debug2

crashed() { grep -E 'terminated by signal|exited with exit code [^01]|reinitializing' "$SERVERLOG"; }
no_dbpod() { ! ns_exec pgrep -x dbpod; }
keyed() { grep -q '"k":"key"' "$1" 2>/dev/null; }

# 1. the report, as the man page showed it: the shell exits at once
ns_exec sh -c "'$DBPOD' snapshot -o '$REC' 2>'$TMP/bg.err' &"
wait_until sh -c "test -s '$TMP/bg.err' || grep -q '\"k\":\"key\"' '$REC'" ||
	fail "the background dbpod neither refused nor recorded"
if keyed "$REC"; then
	# it records where the postmaster adopts it: show what that means
	P=$(ns_exec pgrep -x dbpod)
	wait_until test "$(ns_exec ps -o ppid= -p "$P" | tr -d ' ')" = 1 ||
		fail "dbpod (PID $P) was not adopted by PID 1"
	note "recording, adopted by the postmaster: $(ns_exec ps -o pid=,ppid=,args= -p "$P")"
	ns_exec kill -KILL "$P"
	wait_until grep -q reinitializing "$SERVERLOG" || true
	fail "the recorder ran where the postmaster adopted it; SIGKILLed, it took PostgreSQL down:
$(grep -E "\\(PID $P\\)|reinitializing" "$SERVERLOG")"
fi
wait_until no_dbpod || fail "a dbpod process remains: $(ns_exec ps -eo pid,ppid,args)"
OUT=$(cat "$TMP/bg.err")
expect_out "refusing to run here"
expect_out "PID 1 (postgres), a PostgreSQL server"
expect_out "crash recovery"
expect_out "kubectl exec POD -- dbpod snapshot -o $REC"
expect_out "exec dbpod snapshot -o $REC"
expect_out "shareProcessNamespace: true"
[ ! -e "$REC" ] || fail "a refusal created $REC"

# 2. the shell waits, so the exit status shows: 3, naming the shell
set +e
OUT=$(ns_exec sh -c "'$DBPOD' snapshot -o '$REC' & wait \$!; echo rc=\$?" 2>"$TMP/err")
set -e
ERR=$(cat "$TMP/err")
[ "$OUT" = rc=3 ] || fail "expected exit status 3, got '$OUT': $ERR"
OUT=$ERR
expect_out "when dbpod's parent, PID [0-9]* (sh), exits, PID 1 (postgres), a PostgreSQL server, adopts dbpod"
# the text view that runs until stopped refuses too; one with -n ends by itself
set +e
OUT=$(ns_exec sh -c "'$DBPOD' snapshot --changes & wait \$!; echo rc=\$?" 2>"$TMP/err")
[ "$OUT" = rc=3 ] || fail "snapshot without -n: expected 3, got '$OUT': $(cat "$TMP/err")"
OUT=$(ns_exec sh -c "'$DBPOD' snapshot -n 1 >/dev/null & wait \$!; echo rc=\$?" 2>"$TMP/err")
[ "$OUT" = rc=0 ] || fail "snapshot -n 1 from a shell: expected 0, got '$OUT': $(cat "$TMP/err")"
# node mode's loop likewise
OUT=$(ns_exec sh -c "'$DBPOD' doctor --all-containers --every 1 -o '$TMP/n.prom' & wait \$!; echo rc=\$?" 2>"$TMP/err")
set -e
[ "$OUT" = rc=3 ] || fail "doctor --every: expected 3, got '$OUT': $(cat "$TMP/err")"
OUT=$(cat "$TMP/err")
expect_out "refusing to run here"
expect_out "dbpod-doctor(1)"

# 3. adopted before it looked: its exit status goes to the postmaster,
# which must take it for a normal end
ns_exec sh -c "( while kill -0 \$\$ 2>/dev/null; do :; done
	exec sh -c 'echo \$\$ >$TMP/adopted.pid; exec \"\$0\" snapshot -o \"\$1\"' '$DBPOD' '$REC' ) 2>'$TMP/adopted.err' &"
wait_until test -s "$TMP/adopted.err" || fail "the adopted dbpod said nothing"
wait_until no_dbpod || fail "a dbpod process remains"
A=$(cat "$TMP/adopted.pid")
OUT=$(cat "$TMP/adopted.err")
expect_out "dbpod's parent is PID 1 (postgres), a PostgreSQL server"
wait_until grep -q "(PID $A) exited with exit code 1" "$SERVERLOG" ||
	fail "the postmaster did not log dbpod's exit with code 1: $(grep "(PID $A)" "$SERVERLOG")"
! crashed || fail "PostgreSQL crash-restarted"
pg_isready -q -h "$PGSOCK" -U postgres || fail "PostgreSQL is not up"
[ ! -e "$REC" ] || fail "a refusal created $REC"

# an init between the shell and dbpod is no shield: it would pass dbpod's
# death on (exit code 137) as the postmaster's adopted child; dbpod
# refuses, with a status the postmaster takes for a normal end
ns_exec sh -c "tini -s -- '$DBPOD' snapshot -o '$REC' 2>'$TMP/between.err' &"
wait_until test -s "$TMP/between.err" || fail "dbpod under tini -s said nothing"
wait_until no_dbpod || fail "a dbpod process remains"
wait_until sh -c "! nsenter -t $NS_PID -p -m pgrep -x tini" || fail "tini remains"
OUT=$(cat "$TMP/between.err")
expect_out "refusing to run here"
! crashed || fail "PostgreSQL crash-restarted"

# 4. the exec'd command itself (PPID 0 inside): it records, and its death
# is the runtime's business
rec_start "$REC" -i 0.1
[ "$(ns_exec ps -o ppid= -p "$REC_PID" | tr -d ' ')" = 0 ] || fail "the recorder's PPID is not 0"
rec_samples 2 "$REC"
rec_stop
expect_rc 0
[ "$(tail -n 1 "$REC" | jq -r .k)" = end ] || fail "no end line"
! crashed || fail "PostgreSQL crash-restarted"
note "PostgreSQL as PID 1: refused from a shell, recorded as the exec'd command, no crash"

# 5. tini as PID 1: the same background recorder records, tini adopts
# it, and a SIGKILL is nothing to PostgreSQL
kill -INT "$NS_PID"	# a fast shutdown of the first postmaster
wait_until sh -c "! kill -0 $NS_PID" || fail "the first namespace did not end"
cp "$SERVERLOG" "$TMP/pg1.log"
rm -f "$REC"*
ns_start tini -- "${PG_CMD[@]}"
pg_wait
ns_exec sh -c "'$DBPOD' snapshot -i 0.1 -o '$REC' 2>'$TMP/tini.err' &"
wait_until keyed "$REC" || fail "under tini the recorder did not record: $(cat "$TMP/tini.err")"
P=$(ns_exec pgrep -x dbpod)
wait_until test "$(ns_exec ps -o ppid= -p "$P" | tr -d ' ')" = 1 || fail "tini did not adopt dbpod"
[ ! -s "$TMP/tini.err" ] || fail "the recorder under tini warned: $(cat "$TMP/tini.err")"
rec_samples 2 "$REC"
ns_exec kill -KILL "$P"
wait_until no_dbpod || fail "dbpod survived SIGKILL"
pg_isready -q -h "$PGSOCK" -U postgres || fail "PostgreSQL is not up"
! crashed || fail "PostgreSQL crash-restarted under tini"
echo "ok: the recorder refuses where the postmaster would reap it, and records where it would not"
