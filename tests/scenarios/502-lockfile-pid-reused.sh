#!/bin/bash
# The PID in a stale postmaster.pid now belongs to another live
# process of the server's user. dbpod says the start will be refused and
# names the process; then PostgreSQL really refuses to start.
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq ipcrm
set -e
pg_init
pg_start_host
pg_kill9

# a process of the same user, started after the file's start time, takes
# the PID: rewrite line 1 to its PID, as PID reuse would. Beyond the 2 s
# tolerance and the 1 s rounding of the boot time, so "after" is certain:
# wait until the clock is 4 s past the file's start time (line 3)
STARTED=$(sed -n 3p "$PGDATA/postmaster.pid")
wait_until sh -c "[ \$(date +%s) -ge $((STARTED + 4)) ]" || fail "the clock does not move"
setsid setpriv --reuid=postgres --regid=postgres --init-groups sleep 300 </dev/null >/dev/null 2>&1 &
SLEEPER=$!
track "$SLEEPER"
wait_until sh -c "[ \"\$(ps -o comm= -p $SLEEPER)\" = sleep ]" || fail "sleep did not start"
sed -i "1s/.*/$SLEEPER/" "$PGDATA/postmaster.pid"

run_host lockfile --json "$PGDATA"
expect_rc 2
expect_jq .facts.verdict stale-blocking
expect_jq '.facts.lockfile.holder.pid' "$SLEEPER"
expect_jq '.facts.lockfile.holder.user' postgres
expect_jq '.facts.lockfile.start_skew_seconds > 2' true
expect_jq '.findings[] | select(.id == "DBL504") | .severity' critical
expect_jq '.findings[] | select(.id == "DBL504") | .pid' "$SLEEPER"
expect_jq '.findings[] | select(.id == "DBL504") | .message | test("PID '"$SLEEPER"' is now sleep \\(user postgres: sleep 300\\), started [0-9T:-]+Z after the server")' true
expect_jq '.findings[] | select(.id == "DBL504") | .message | test("already exists")' true
# the segment has nobody attached, so removing the file is safe, and said so
expect_jq '.findings[] | select(.id == "DBL504") | .advice | test("removing .* is safe")' true
run_host lockfile --no-color "$PGDATA"
expect_out 'CRITICAL DBL504'
expect_out '^Verdict  *stale-blocking$'

# PostgreSQL's verdict: the sleep is not its own PID, parent or
# grandparent (this shell is the parent of setpriv, which execs postgres)
pg_try_start
grep -q 'lock file "postmaster.pid" already exists' "$PG_LOG" ||
	fail "PostgreSQL failed differently: $(cat "$PG_LOG")"
grep -q "Is another postmaster (PID $SLEEPER) running" "$PG_LOG" ||
	fail "PostgreSQL blamed another PID: $(cat "$PG_LOG")"
[ -f "$PGDATA/postmaster.pid" ] || fail "postmaster.pid was removed"
echo "ok: dbpod predicted PostgreSQL's refusal and named PID $SLEEPER"
