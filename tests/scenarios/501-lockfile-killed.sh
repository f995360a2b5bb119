#!/bin/bash
# kill -9 of the postmaster and all its children: postmaster.pid is stale
# and harmless (no process has its PID), the SysV segment of line 7
# survives with nobody attached -- and PostgreSQL does start again, as
# dbpod said it would.
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq ipcs ipcrm
set -e
pg_init
# on the host, so that the dead PID stays dead
pg_start_host
pg_kill9

run_host lockfile --json "$PGDATA"
expect_rc 1
expect_jq .facts.verdict stale-harmless
expect_jq .facts.lockfile.pid_alive false
expect_jq '.findings[] | select(.id == "DBL503") | .pid' "$PM"
expect_jq '.findings[] | select(.id == "DBL503") | .advice | test("safe")' true
# the segment survives the kill, with no process attached
# (ipcs -m -i exits 0 also for an id it does not find: read the table)
nattch=$(ipcs -m | awk -v id="$SHMID" '$2 == id { print $6 }')
[ "$nattch" = 0 ] || fail "segment $SHMID after kill -9: nattch '$nattch' (empty: gone)"
expect_jq .facts.shared_memory.exists true
expect_jq .facts.shared_memory.nattch 0
expect_jq '.findings[] | select(.id == "DBL506") | .severity' info
expect_jq '.findings[] | select(.id == "DBL506") | .message | test("survives with no process attached")' true
# the socket lock file is stale as well
expect_jq '.facts.socket_locks[0].verdict' stale-harmless
# dbpod removed nothing
[ -f "$PGDATA/postmaster.pid" ] || fail "postmaster.pid was removed"

# and PostgreSQL agrees: it starts, removing the stale file itself
pg_start_host
run_host lockfile --json "$PGDATA"
expect_rc 0
expect_jq .facts.verdict "in use"
echo "ok: after kill -9 the file is stale and harmless, and PostgreSQL starts"
