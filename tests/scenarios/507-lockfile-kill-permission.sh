#!/bin/bash
# Whether PostgreSQL's kill(PID, 0) finds the PID of a stale
# postmaster.pid is the kernel's: it takes a thread's ID as its process's,
# and lets the server's user signal a process whose real or saved uid is
# its own -- whatever the effective uid. dbpod must judge as the kernel
# does: a sudo-like process (real uid postgres, effective root) blocks the
# start, a root daemon that only seteuid()s to postgres does not, and a
# thread of a postgres process blocks it as its process would.
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq ipcrm
PY=/usr/bin/python3
[ -x "$PY" ] || skip "$PY is not installed"
set -e
pg_init
pg_start_host
pg_kill9
PGU=$(id -u postgres)

# real uid postgres, effective and saved root (sudo run by postgres)
"$PY" -c "import os,time; os.setresuid($PGU,0,0); time.sleep(300)" </dev/null >/dev/null 2>&1 &
RUID=$!
track "$RUID"
# real and saved root, effective postgres (a root daemon's seteuid)
"$PY" -c "import os,time; os.setresuid(0,$PGU,0); time.sleep(300)" </dev/null >/dev/null 2>&1 &
EUID_ONLY=$!
track "$EUID_ONLY"
# a process of postgres with a second thread
setpriv --reuid=postgres --regid=postgres --init-groups "$PY" -c \
	'import threading,time; threading.Thread(target=time.sleep,args=(300,)).start(); time.sleep(300)' \
	</dev/null >/dev/null 2>&1 &
THREADED=$!
track "$THREADED"
wait_until grep -q "^Uid:	$PGU	0	0" "/proc/$RUID/status" || fail "setresuid($PGU,0,0) did not happen"
wait_until grep -q "^Uid:	0	$PGU	0" "/proc/$EUID_ONLY/status" || fail "setresuid(0,$PGU,0) did not happen"
wait_until sh -c "[ \$(ls /proc/$THREADED/task | wc -l) = 2 ]" || fail "the thread did not start"
TID=$(ls "/proc/$THREADED/task" | grep -vx "$THREADED")

# refused: PostgreSQL blames PID $1
refused() {
	pg_try_start
	grep -q "Is another postmaster (PID $1) running" "$PG_LOG" ||
		fail "PostgreSQL failed differently: $(cat "$PG_LOG")"
}

sed -i "1s/.*/$RUID/" "$PGDATA/postmaster.pid"
run_host lockfile --json "$PGDATA"
expect_rc 2
expect_jq .facts.verdict stale-blocking
expect_jq '[.findings[] | select(.id == "DBL503")] | length' 0
refused "$RUID"

sed -i "1s/.*/$TID/" "$PGDATA/postmaster.pid"
run_host lockfile --json "$PGDATA"
expect_rc 2
expect_jq .facts.verdict stale-blocking
expect_jq '.findings[] | select(.id == "DBL504") | .message | test("thread of process '"$THREADED"'")' true
refused "$TID"

sed -i "1s/.*/$EUID_ONLY/" "$PGDATA/postmaster.pid"
run_host lockfile --json "$PGDATA"
expect_rc 1
expect_jq .facts.verdict stale-harmless
expect_jq '[.findings[] | select(.id == "DBL504")] | length' 0
# and PostgreSQL starts: kill(PID, 0) failed with EPERM
setsid "${PG_CMD[@]}" >"$TMP/pg2.log" 2>&1 </dev/null &
PM=$!
track "$PM"
pg_wait
pg_shm_at_exit
echo "ok: kill(2)'s view of threads and real and saved uids decides, as for PostgreSQL"
