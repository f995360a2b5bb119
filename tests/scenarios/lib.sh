# Shared by the scenario tests: real programs as PID 1 of a new PID
# namespace, dbpod run inside it the way `kubectl exec` would run it.
#
# A scenario sources this file, starts something with ns_start, runs
# `run_dbpod ARGS...` and asserts with expect_rc / expect_jq / expect_out.
# Everything started is killed by PID in the EXIT trap.
# shellcheck shell=bash

set -u
# the text is wrapped to COLUMNS when it is set: a test sets it itself
unset COLUMNS
: "${DBPOD:?DBPOD must point at the dbpod binary (make check sets it)}"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"

PGBIN=/usr/lib/postgresql/15/bin

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
note() { echo "# $*"; }

need_root() {
	[ "$(id -u)" = 0 ] || skip "needs root to create PID namespaces"
	unshare -pf --mount-proc true 2>/dev/null || skip "PID namespaces are not available here"
}
need_cmd() {
	local c
	for c; do
		command -v "$c" >/dev/null 2>&1 || skip "$c is not installed (./bootstrap --install-test-deps installs it)"
	done
}
need_pg() {
	[ -x "$PGBIN/postgres" ] || skip "postgresql-15 is not installed (./bootstrap --install-test-deps installs it)"
	need_cmd pg_isready psql
}

TMP=$(mktemp -d /tmp/dbpod-test.XXXXXX)
chmod 755 "$TMP"
# what the EXIT trap kills: "PID@START" entries (track, track_first),
# START the process's start time (/proc/PID/stat), so that a PID whose
# process has ended is never killed: with pid_max 32768 and the fork
# churn of the tests beside it (make -j2 check), it can be another
# test's process by then (802's image build was SIGKILLed so, once)
CLEANUP_PIDS=()
NS_PID=

# pid_start PID: the start time of process PID, in clock ticks since
# boot (field 22 of its stat, counted after the command's parentheses,
# which may hold spaces); empty when it has gone
pid_start() {
	local s fields
	s=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
	read -r -a fields <<<"${s##*) }"
	echo "${fields[19]}"
}

# track PID...: kill each PID at exit, if it is still the same process;
# track_first PID...: the same, killed before those tracked so far
track() {
	local p
	for p; do CLEANUP_PIDS+=("$p@$(pid_start "$p")"); done
}
track_first() {
	local p e=()
	for p; do e+=("$p@$(pid_start "$p")"); done
	CLEANUP_PIDS=("${e[@]}" "${CLEANUP_PIDS[@]}")
}

# kill_tracked SIGNAL: signal every tracked process that is still the
# process that was tracked
kill_tracked() {
	local e p
	for e in "${CLEANUP_PIDS[@]}"; do
		p=${e%@*}
		[ -n "${e#*@}" ] && [ "$(pid_start "$p")" = "${e#*@}" ] && kill "-$1" "$p" 2>/dev/null
	done
	return 0
}

# pg_stop: a fast shutdown of the PostgreSQL of pg_start, from the host,
# so that no shared memory segment is left behind
pg_stop() {
	local p
	[ -n "${PGDATA:-}" ] || return 0
	# the postmaster itself: not the unshare (or wrapper) whose command
	# line holds its own, and which ignores SIGINT
	p=$(pgrep -o -f -- "^$PGBIN/postgres -D $PGDATA")
	if [ -n "$p" ]; then
		kill -INT "$p"
		wait_until sh -c "! kill -0 $p" || { note "PostgreSQL $p did not stop on SIGINT"; return 1; }
	fi
}

cleanup() {
	local rc=$? p
	set +e
	pg_stop
	kill_tracked KILL
	rm -rf "$TMP"
	exit "$rc"
}
trap cleanup EXIT

# ns_start CMD...: CMD becomes PID 1 of a new PID namespace with its own
# /proc; NS_PID is its PID on the host. Killing NS_PID ends the namespace.
# Signal dispositions start at their defaults, as under runc: a background
# job of a script would otherwise inherit SIGINT and SIGQUIT ignored.
ns_start() {
	local u
	env --default-signal setsid unshare -pf --mount-proc "$@" >"$TMP/ns.out" 2>&1 </dev/null &
	u=$!
	disown "$u"
	NS_UNSHARE=$u
	wait_until ns_first_child "$u" || fail "the PID namespace did not start: $(cat "$TMP/ns.out")"
	track_first "$NS_PID" "$u"
}

# ns_start_piped CMD...: ns_start with CMD's standard output and error a
# pipe, as a container runtime gives them (its log), which a cat copies
# to $TMP/pipe.out
ns_start_piped() {
	local u
	mkfifo "$TMP/pipe"
	cat "$TMP/pipe" >"$TMP/pipe.out" &
	track "$!"
	env --default-signal setsid unshare -pf --mount-proc "$@" >"$TMP/pipe" 2>&1 </dev/null &
	u=$!
	track "$u"
	NS_UNSHARE=$u
	wait_until ns_first_child "$u" || fail "the PID namespace did not start"
	track_first "$NS_PID"
}

# dead_pid: DEAD, a PID that no process has and none will get while the
# test runs. A process that just exited will not do: with pid_max 32768
# and the PID churn of the tests beside it (960 forks thousands a
# second), its PID comes back within seconds. Below 300 (RESERVED_PIDS)
# the kernel hands PIDs out only until its counter first passes 300, at
# boot: a free one there stays free.
dead_pid() {
	local p
	[ "$(cat /proc/sys/kernel/ns_last_pid)" -gt 300 ] || fail "the PID counter has not passed 300 yet"
	for p in $(seq 299 -1 2); do
		[ -e "/proc/$p" ] || { DEAD=$p; return 0; }
	done
	fail "every PID below 300 is taken"
}

# ns_first_child UNSHARE: NS_PID, unshare's child, once it has exec'd
# the command. Before, it is still unshare, between its fork and the
# mount of the namespace's own /proc: a process entering its mount
# namespace then reads the host's /proc (607 recorded the machine's PID 1
# so, once in a loaded make check).
ns_first_child() {
	NS_PID=$(pgrep -P "$1" | head -n 1)
	[ -n "$NS_PID" ] && [ "$(cat "/proc/$NS_PID/comm" 2>/dev/null)" != unshare ]
}

# ns_settled: the namespace's processes (PID, parent, command; ps itself
# left out) read the same twice in a row, 0.1 s apart: nothing in it is
# starting, exec'ing or ending. For wait_until.
ns_settled() {
	local a b
	a=$(ns_exec ps -e -o pid=,ppid=,comm= | grep -v ' ps$')
	sleep 0.1
	b=$(ns_exec ps -e -o pid=,ppid=,comm= | grep -v ' ps$')
	[ -n "$a" ] && [ "$a" = "$b" ]
}

# ns_torn_down: the namespace of the last ns_start is gone: its unshare has
# exited, which it does once PID 1 has, and PID 1 exits only when the
# kernel has killed and reaped every other process in the namespace
ns_torn_down() {
	! kill -0 "$NS_UNSHARE" 2>/dev/null ||
		[ "$(awk '{print $3}' "/proc/$NS_UNSHARE/stat" 2>/dev/null)" = Z ]
}

# ns_exec CMD...: run CMD inside the namespace (PID and mount namespaces)
ns_exec() {
	nsenter -t "$NS_PID" -p -m -- "$@"
}

# wait_until CMD...: run CMD (a command or a function of the test) every
# 50 ms until it succeeds. What a test waits for is a condition, never a
# time: the deadline, WAIT_SECONDS (60 s), only bounds how long a failure
# takes to be told, and is far above what a step takes on a loaded machine
# under a sanitizer (5 s was seen to run out).
wait_until() {
	local end=$((SECONDS + ${WAIT_SECONDS:-60}))
	while :; do
		"$@" >/dev/null 2>&1 && return 0
		[ "$SECONDS" -lt "$end" ] || return 1
		sleep 0.05
	done
}

# ns_wait_comm NAME: wait until a process called NAME runs in the namespace
ns_wait_comm() {
	wait_until ns_exec pgrep -x "$1" || fail "no process '$1' appeared in the namespace"
}

# run_dbpod ARGS...: dbpod inside the namespace; sets OUT, ERR and RC
run_dbpod() {
	set +e
	OUT=$(ns_exec "$DBPOD" "$@" 2>"$TMP/err")
	RC=$?
	set -e
	ERR=$(cat "$TMP/err")
}

# run_host ARGS...: dbpod outside any namespace
run_host() {
	set +e
	OUT=$("$DBPOD" "$@" 2>"$TMP/err")
	RC=$?
	set -e
	ERR=$(cat "$TMP/err")
}

expect_rc() {
	[ "$RC" = "$1" ] || fail "expected exit status $1, got $RC
--- stdout
$OUT
--- stderr
$ERR"
}

# expect_jq FILTER VALUE: jq -r FILTER on OUT must print VALUE
expect_jq() {
	local got
	got=$(printf '%s' "$OUT" | jq -r "$1") || fail "not valid JSON: $OUT"
	[ "$got" = "$2" ] || fail "jq '$1': expected '$2', got '$got'
--- stdout
$OUT"
}

expect_out() {
	printf '%s' "$OUT" | grep -q -- "$1" || fail "output lacks '$1':
$OUT"
}
expect_no_out() {
	if printf '%s' "$OUT" | grep -q -- "$1"; then
		fail "output should not contain '$1':
$OUT"
	fi
}

# PostgreSQL in $TMP (scenarios run $PGBIN/psql, not Debian's perl wrapper
# /usr/bin/psql, so that the process is psql from its first instant): pg_init, then ns_start "${PG_CMD[@]}" (or wrap it),
# then pg_wait.
pg_init() {
	need_pg
	chown postgres:postgres "$TMP"
	PGDATA=$(mktemp -d "$TMP/data.XXXXXX")
	PGSOCK=$(mktemp -d "$TMP/sock.XXXXXX")
	chown postgres:postgres "$PGDATA" "$PGSOCK"
	setpriv --reuid=postgres --regid=postgres --init-groups \
		"$PGBIN/initdb" -D "$PGDATA" -A trust -U postgres --no-sync >"$TMP/initdb.log" 2>&1 ||
		fail "initdb failed: $(cat "$TMP/initdb.log")"
	PG_CMD=(setpriv --reuid=postgres --regid=postgres --init-groups
		"$PGBIN/postgres" -D "$PGDATA" -k "$PGSOCK" -c listen_addresses=
		-c logging_collector=off)
}

pg_wait() {
	wait_until pg_isready -q -h "$PGSOCK" -U postgres ||
		wait_until pg_isready -q -h "$PGSOCK" -U postgres ||
		fail "PostgreSQL did not start: $(cat "$TMP/ns.out")"
	# pg_isready's own session lingers for a moment after it answers: a
	# check run now would count it as a connected client
	wait_until pg_backends 0 || fail "pg_isready's session did not end"
}

# pg_start [WRAPPER...]: initdb, then PostgreSQL as PID 1 of a new PID
# namespace (or WRAPPER... as PID 1 running it), up and accepting
pg_start() {
	pg_init
	ns_start "$@" "${PG_CMD[@]}"
	pg_wait
}

pg_backends() {
	[ "$(ns_exec ps -e -o args= | grep -c '^postgres: postgres postgres')" = "$1" ]
}

# orphan_psql: like `kubectl exec pg-0 -- sh -c 'psql ... &'`,
# a root psql whose shell exits at once, so PID 1 adopts it. Sets PSQL to
# its PID in the namespace; returns once its session is up.
orphan_psql() {
	ns_exec sh -c "$PGBIN/psql -h '$PGSOCK' -U postgres -c 'SELECT pg_sleep(60)' >/dev/null 2>&1 &"
	ns_wait_comm psql
	PSQL=$(ns_exec pgrep -x psql)
	wait_until pg_backends 1 || fail "psql did not connect"
}

# pg_start_host: pg_init's server on the host, in its own session, not in
# a new PID namespace (where the next namespace's PID 1 would take a dead
# postmaster's PID at once); PM is its PID. SHMID is the SysV segment of
# line 7 of postmaster.pid; the EXIT trap removes each such segment, which
# a kill -9 leaves behind.
SHMID=
SHMIDS=()
pg_start_host() {
	setsid "${PG_CMD[@]}" >"$TMP/pg.log" 2>&1 </dev/null &
	PM=$!
	track "$PM"
	pg_wait
	pg_shm_at_exit
}

# pg_shm_at_exit: the running server's SysV segment (line 7 of
# postmaster.pid) is SHMID, removed by the EXIT trap
pg_shm_at_exit() {
	SHMID=$(sed -n 7p "$PGDATA/postmaster.pid" | awk '{print $2}')
	[ -n "$SHMID" ] || fail "no shared memory id on line 7: $(cat "$PGDATA/postmaster.pid")"
	SHMIDS+=("$SHMID")
	trap 'rc=$?; set +e; for s in "${SHMIDS[@]}"; do ipcrm -m "$s" 2>/dev/null || true; done; (exit $rc); cleanup' EXIT
}

# pg_kill9: kill -9 of the postmaster PM and all its children at once (an
# OOM kill of the container, a node failure); returns when they are gone
pg_kill9() {
	local kids
	kids=$(pgrep -P "$PM" | tr '\n' ' ')
	# shellcheck disable=SC2086
	kill -KILL "$PM" $kids
	wait "$PM" 2>/dev/null || true		# the postmaster is this shell's child
	# gone, or zombies of an init that is slow to reap them
	[ -z "$kids" ] ||
		wait_until sh -c "! ps -o stat= -p '$(echo $kids | tr ' ' ,)' | grep -qv Z" ||
		fail "PostgreSQL survived kill -9"
}

# pg_try_start: start PostgreSQL on PGDATA in the foreground, as a container
# would after a crash, expecting it to refuse; PG_LOG holds what it said
pg_try_start() {
	local rc
	PG_LOG=$TMP/pg-try.log
	set +e
	setpriv --reuid=postgres --regid=postgres --init-groups \
		"$PGBIN/postgres" -D "$PGDATA" -k "$PGSOCK" -c listen_addresses= >"$PG_LOG" 2>&1 </dev/null
	rc=$?
	set -e
	[ "$rc" != 0 ] || fail "PostgreSQL started on $PGDATA although dbpod said it would not"
}

# pg_try_start_ns [NSENTER-OPTION...]: pg_try_start inside the namespace
# of ns_start (its PID and mount namespaces, and those options: -i for
# its IPC namespace), as the container's next start would run it
pg_try_start_ns() {
	local rc
	PG_LOG=$TMP/pg-try.log
	set +e
	nsenter -t "$NS_PID" -p -m "$@" -- setpriv --reuid=postgres --regid=postgres \
		--init-groups "$PGBIN/postgres" -D "$PGDATA" -k "$PGSOCK" -c listen_addresses= \
		>"$PG_LOG" 2>&1 </dev/null
	rc=$?
	set -e
	[ "$rc" != 0 ] || fail "PostgreSQL started on $PGDATA although dbpod said it would not"
}

# PostgreSQL as PID 1 logging to $SERVERLOG with a millisecond UTC
# timestamp (pg_logging_start [-c NAME=VALUE...] adds server options to
# PG_CMD), up and accepting; REC is a recording's name in $TMP/rec.
pg_logging_start() {
	pg_init
	PG_CMD+=(-c "log_line_prefix=%m [%p] " -c log_timezone=UTC "$@")
	ns_start "${PG_CMD[@]}"
	pg_wait
	SERVERLOG=$TMP/ns.out
	REC=$TMP/rec/ps.jsonl
	mkdir -p "$TMP/rec"
}

# The stage of a crash-restart: pg_logging_start, and `dbpod snapshot -i 1
# -o $REC ARGS...` recording beside it in the namespace (REC_BG its
# nsenter on the host), once its first key is written.
pg_with_recorder() {
	pg_logging_start
	ns_exec setsid "$DBPOD" snapshot -i 1 "$@" -o "$REC" </dev/null >"$TMP/snapshot.out" 2>&1 &
	REC_BG=$!
	track "$REC_BG"
	wait_until grep -q '"k":"key"' "$REC" || fail "the recorder wrote nothing: $(cat "$TMP/snapshot.out")"
}

# pg_crash_psql: the crash-restart on pg_with_recorder's stage -- an
# orphaned root psql, adopted by PID 1 and seen in two samples, killed
# with SIGPIPE; returns once the server logged it and is back up, and two
# more samples are written. PSQL is its PID in the namespace.
pg_crash_psql() {
	orphan_psql
	[ "$(ns_exec ps -o ppid= -p "$PSQL" | tr -d ' ')" = 1 ] || fail "psql was not adopted by PID 1"
	rec_samples 2 "$REC"
	ns_exec kill -PIPE "$PSQL"
	wait_until grep -q "(PID $PSQL) was terminated by signal 13" "$SERVERLOG" ||
		fail "the server did not log the crash: $(cat "$SERVERLOG")"
	pg_wait
	rec_samples 2 "$REC"
}

# rec_stop_ns: stop pg_with_recorder's recorder with SIGTERM (it finishes
# the sample and writes "end") and wait until it is gone
rec_stop_ns() {
	local snap
	snap=$(ns_exec pgrep -f "snapshot -i 1 " | head -n 1)
	[ -n "$snap" ] || fail "no recorder in the namespace"
	ns_exec kill -TERM "$snap"
	wait_until sh -c "! kill -0 $REC_BG 2>/dev/null" || fail "the recorder did not stop"
}

# rec_pause / rec_resume: stop pg_with_recorder's recorder (SIGSTOP) right
# after a sample, so that whatever happens until rec_resume falls between
# two samples however slow the machine. Its nsenter (a child of the job
# REC_BG) stops itself when it sees its child stop: it is continued too.
# REC_NSPID is the recorder's PID in the namespace.
rec_pause() {
	REC_NSPID=$(ns_exec pgrep -x dbpod | head -n 1)
	[ -n "$REC_NSPID" ] || fail "no recorder in the namespace"
	rec_samples 1 "$REC"
	ns_exec kill -STOP "$REC_NSPID"
}
rec_resume() {
	ns_exec kill -CONT "$REC_NSPID"
	# shellcheck disable=SC2046
	kill -CONT "$REC_BG" $(pgrep -P "$REC_BG")
}

# The snapshot recorder inside the namespace, in the background:
# rec_start FILE [ARGS...] starts `dbpod snapshot -o FILE ARGS...` and
# waits for its first key; REC_PID is its PID in the namespace, REC_BG
# the nsenter on the host whose exit status is the recorder's.
rec_start() {
	local f=$1
	shift
	ns_exec "$DBPOD" snapshot -o "$f" "$@" 2>"$TMP/rec.err" &
	REC_BG=$!
	track_first "$REC_BG"
	wait_until grep -q '"k":"key"' "$f" || fail "the recorder wrote no key: $(cat "$TMP/rec.err")"
	REC_PID=$(ns_exec pgrep -x dbpod | head -n 1)
}

# rec_wait: wait for the recorder of rec_start to end (by itself, or
# after rec_stop's signal); sets RC, ERR
rec_wait() {
	set +e
	wait "$REC_BG"
	RC=$?
	set -e
	ERR=$(cat "$TMP/rec.err")
	OUT=
}

# rec_stop [SIG]: stop the recorder (SIGTERM), wait for it; sets RC, ERR
rec_stop() {
	ns_exec kill -"${1:-TERM}" "$REC_PID"
	rec_wait
}

# rec_samples N FILE: wait until FILE holds N more sample lines than now
rec_samples() {
	local want
	want=$(( $(rec_count "$2") + $1 ))
	wait_until rec_has "$2" "$want" || fail "the recorder stopped sampling"
}
# rec_count FILE: its sample lines; rec_has FILE N: at least N of them
rec_count() { grep -c '"k":"\(key\|delta\)"' "$1"; }
rec_has() { [ "$(rec_count "$1")" -ge "$2" ]; }

# run_timed ARGS...: run_host under a 120 s timeout, which only a hang
# reaches (a hang fails); MS is the wall time in milliseconds
run_timed() {
	local t0 t1
	t0=$(date +%s%N)
	set +e
	OUT=$(timeout 120 "$DBPOD" "$@" 2>"$TMP/err")
	RC=$?
	set -e
	t1=$(date +%s%N)
	MS=$(( (t1 - t0) / 1000000 ))
	ERR=$(cat "$TMP/err")
	[ "$RC" != 124 ] || fail "dbpod $* did not finish in 120 s"
}

# expect_linear MS BASE_MS WHAT [FACTOR]: a run that took MS took at
# most FACTOR (10) times BASE_MS, what an input of the same size that
# costs time linear in its size took, plus 2 s: a loaded machine slows
# both alike, a cost that grows faster than the input does not pass
expect_linear() {
	[ "$1" -le $(( ${4:-10} * $2 + 2000 )) ] ||
		fail "$3 took $1 ms, against $2 ms for an input of the same size that is linear"
	note "$3: $1 ms (an input of the same size: $2 ms)"
}

# peak_kb ARGS...: the peak memory in KB of dbpod ARGS, where GNU time can
# tell and no sanitizer makes it meaningless; empty otherwise
peak_kb() {
	if [ -x /usr/bin/time ] && ! ldd "$DBPOD" 2>/dev/null | grep -q libasan; then
		/usr/bin/time -f %M -o "$TMP/rss" "$DBPOD" "$@" >/dev/null 2>&1 || true
		tail -n 1 "$TMP/rss"
	fi
}

# flat_compose FILE: a Compose file of as many bytes as FILE that costs
# dbpod lint time linear in its size: one service and a long flat list
flat_compose() {
	python3 - "$(stat -c %s "$1")" <<'PY'
import sys
head = "services:\n  db:\n    image: postgres\n    x-flat: ["
print(head + ",".join(["1"] * max(1, (int(sys.argv[1]) - len(head)) // 2)) + "]")
PY
}

# expect_judged: dbpod lint judged and found something (WARNING or
# CRITICAL), whichever severity the rules give it today
expect_judged() {
	[ "$RC" = 1 ] || [ "$RC" = 2 ] || fail "expected findings (exit 1 or 2), got $RC
--- stdout
$OUT
--- stderr
$ERR"
}
