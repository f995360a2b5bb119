#!/bin/bash
# A running PostgreSQL: postmaster.pid is in use, its shared memory segment
# has the postmaster and its children attached, the socket lock file is the
# server's; and the data directory is found without being given, from the
# postmaster's working directory (it was started with a relative -D).
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq ipcs
set -e
pg_init
PG_REL=()
for a in "${PG_CMD[@]}"; do
	[ "$a" = "$PGDATA" ] && a=$(basename "$PGDATA")
	PG_REL+=("$a")
done
# lib.sh's cleanup finds the server by "-D $PGDATA": stop this one first
trap 'rc=$?; set +e; kill -INT "$NS_PID" 2>/dev/null; wait_until sh -c "! kill -0 $NS_PID"; (exit $rc); cleanup' EXIT
# shellcheck disable=SC2016
ns_start sh -c 'cd "$0" && exec "$@"' "$(dirname "$PGDATA")" "${PG_REL[@]}"
pg_wait

run_dbpod lockfile --json "$PGDATA"
expect_rc 0
expect_jq .facts.verdict "in use"
expect_jq '.findings[] | select(.id == "DBL502") | .pid' 1
expect_jq '.facts.lockfile.holder.pid' 1
expect_jq '.facts.lockfile.file.pid' 1
expect_jq '.facts.lockfile.file.status' ready
expect_jq '.facts.lockfile.holder_cwd' "$PGDATA"
# the start time on line 3 is the postmaster's, within the tolerance
expect_jq '.facts.lockfile.start_skew_seconds | fabs <= 2' true
# every PostgreSQL process attaches to the segment: compare with ipcs
shmid=$(sed -n 7p "$PGDATA/postmaster.pid" | awk '{print $2}')
nattch=$(ipcs -m -i "$shmid" | sed -n 's/.*nattch=\([0-9]*\).*/\1/p')
[ -n "$nattch" ] && [ "$nattch" -ge 2 ] || fail "ipcs shows nattch '$nattch' for $shmid"
expect_jq .facts.shared_memory.id "$shmid"
expect_jq .facts.shared_memory.nattch "$nattch"
expect_jq '.findings[] | select(.id == "DBL506") | .message | test("has '"$nattch"' processes attached")' true
expect_jq '.facts.socket_locks[0].path' "$PGSOCK/.s.PGSQL.5432.lock"
expect_jq '.facts.socket_locks[0].verdict' "in use"
expect_jq '[.findings[] | select(.severity != "info" and .severity != "ok")] | length' 0

# no DATADIR, no PGDATA: the one postmaster of the namespace; its -D is
# relative, so its working directory says where
set +e
OUT=$(ns_exec env -u PGDATA "$DBPOD" lockfile --json 2>"$TMP/err"); RC=$?
set -e
expect_rc 0
expect_jq .facts.data_directory "$PGDATA"
expect_jq .facts.verdict "in use"

# without root, /proc/1/cwd is not readable: dbpod says so, and exits 3
set +e
OUT=$(ns_exec env -u PGDATA setpriv --reuid=nobody --regid=nogroup --clear-groups \
	"$DBPOD" lockfile --json 2>"$TMP/err"); RC=$?
set -e
ERR=$(cat "$TMP/err")
expect_rc 3
printf '%s' "$ERR" | grep -q "'/proc/1/cwd' (Permission denied; it needs ptrace access to the server: root with CAP_SYS_PTRACE, or the server's own user inside the server's container): give DATADIR" ||
	fail "no word on /proc/1/cwd: $ERR"
# given the directory, without root: the file cannot be read, nothing judged
set +e
OUT=$(ns_exec setpriv --reuid=nobody --regid=nogroup --clear-groups \
	"$DBPOD" lockfile --json "$PGDATA" 2>"$TMP/err"); RC=$?
set -e
expect_rc 3
expect_jq '.findings[0].id' DBL500

# PGDATA is taken before the running postmaster
set +e
OUT=$(ns_exec env PGDATA="$TMP" "$DBPOD" lockfile --json 2>"$TMP/err"); RC=$?
set -e
expect_rc 0
expect_jq .facts.data_directory "$TMP"
expect_jq .facts.verdict absent
expect_jq '.findings[0].id' DBL501

run_dbpod lockfile --no-color "$PGDATA"
expect_out '^Verdict  *in use$'
expect_out 'INFO DBL502'
echo "ok: a running server's lock file is in use"
