#!/bin/bash
# Seed 001 from the node: a container (its own mount, PID and IPC
# namespaces, the data directory mounted at another path) is killed; the
# next start's PID 1 is a process of postgres, which is the PID its lock
# file names, so PostgreSQL refuses to start there. On the node, the host
# path of the volume has no process working on it: the file's PID is the
# container's, and the host's process of that number says nothing. dbpod
# must not judge it ("stale, harmless: just start the server"); beside the
# container, in its PID namespace, it must.
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq
set -e
pg_init
CTR=$TMP/ctr-data
mkdir "$CTR"
# shellcheck disable=SC2016
BIND='src=$1 dst=$2; shift 2; mount --bind "$src" "$dst" && exec "$@"'
ns_start unshare --ipc sh -c "$BIND" sh "$PGDATA" "$CTR" \
	setpriv --reuid=postgres --regid=postgres --init-groups \
	"$PGBIN/postgres" -D "$CTR" -k "$PGSOCK" -c listen_addresses=
pg_wait
[ "$(head -n 1 "$PGDATA/postmaster.pid")" = 1 ] || fail "the postmaster is not PID 1"
[ "$(sed -n 2p "$PGDATA/postmaster.pid")" = "$CTR" ] || fail "line 2 is not the container's path"
kill -KILL "$NS_PID"
wait_until ns_torn_down || fail "the container did not go"

# the next start: PID 1 a process of postgres (not the server yet)
ns_start unshare --ipc sh -c "$BIND" sh "$PGDATA" "$CTR" \
	setpriv --reuid=postgres --regid=postgres --init-groups sleep 1000
ns_wait_comm sleep

run_host lockfile --json "$PGDATA"
expect_rc 3
expect_jq .facts.verdict unknown
expect_jq '[.findings[] | select(.id == "DBL503" or .id == "DBL504")] | length' 0
expect_jq '.findings[] | select(.id == "DBL500") | .message | test("another mount namespace")' true
expect_jq '[.findings[] | select((.advice // "") | test("is safe|just start"))] | length' 0

# beside (its PID namespace, a mount namespace of its own where the
# volume is at the host's path): PID 1 sees the directory at line 2's
# path, so the file's PIDs are judged, in this namespace
set +e
OUT=$(nsenter -t "$NS_PID" -p -- unshare -m --mount-proc nsenter -t 1 -i "$DBPOD" lockfile --json "$PGDATA" 2>"$TMP/err"); RC=$?
set -e
ERR=$(cat "$TMP/err")
expect_rc 2
expect_jq .facts.verdict stale-blocking
expect_jq '.findings[] | select(.id == "DBL504") | .pid' 1

# inside, dbpod and PostgreSQL agree: blocked by PID 1
set +e
OUT=$(ns_exec nsenter -t 1 -i "$DBPOD" lockfile --json "$CTR" 2>"$TMP/err"); RC=$?
set -e
expect_jq .facts.verdict stale-blocking
pg_try_start_ns -i
grep -q "Is another postmaster (PID 1) running" "$PG_LOG" ||
	fail "PostgreSQL failed differently: $(cat "$PG_LOG")"
echo "ok: from the node, a container's lock file is not judged by the host's PIDs"
