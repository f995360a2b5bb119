#!/bin/bash
# The data directory's path names another directory where dbpod runs than
# where the server runs: the server's mount namespace has its own
# filesystem at that path (a systemd unit's private mounts; a container on
# the host's root), and dbpod's namespace has an empty directory there
# (a debug container's image with the same path). The root directory is
# the same, so comparing roots does not tell the views apart. Read in
# dbpod's view, the lock file was "absent" and nothing blocked a start --
# while the server ran; with an empty directory there, dbpod refused it as
# "not a PostgreSQL data directory". It is read in the server's view.
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq
need_pg
set -e
chown postgres:postgres "$TMP"
D=$TMP/d
# dbpod's view: a data directory of a stopped server (PG_VERSION, no
# postmaster.pid), as an image built with initdb or a restored copy leaves
# it at the same path
mkdir -p "$D/data"
echo 15 >"$D/data/PG_VERSION"
chown -R postgres:postgres "$D/data"
# the server's view: a filesystem of its own over $D, its cluster in it;
# the postmaster is the namespace's PID 1 (NS_PID on the host)
own_view_server() {
	# shellcheck disable=SC2016
	ns_start sh -c 'mount -t tmpfs tmpfs "$1" && mkdir "$1/data" "$1/sock" &&
		chown postgres:postgres "$1/data" "$1/sock" &&
		setpriv --reuid=postgres --regid=postgres --init-groups \
			"$2/initdb" -D "$1/data" -A trust -U postgres --no-sync >/dev/null &&
		exec setpriv --reuid=postgres --regid=postgres --init-groups \
			"$2/postgres" -D "$1/data" -k "$1/sock" -c listen_addresses= \
			-c logging_collector=off' sh "$D" "$PGBIN"
	wait_until ns_exec pg_isready -q -h "$D/sock" -U postgres ||
		fail "PostgreSQL did not start: $(cat "$TMP/ns.out")"
	wait_until pg_backends 0 || fail "pg_isready's session did not end"
}
own_view_server
[ ! -e "$D/data/postmaster.pid" ] || fail "the host sees the server's files: no two views"

no_stale() {
	expect_no_out '"verdict": *"absent"'
	expect_no_out '"verdict": *"stale'
	expect_jq '[.findings[] | select(.message | test("safe to (start|remove)"; "i"))] | length' 0
}

# inside: the server's own view
run_dbpod lockfile --json "$D/data"
expect_rc 0
expect_jq .facts.verdict "in use"

# beside: the server's PID namespace, a mount namespace copied from the
# host's (the same root, the empty directory at the path)
set +e
OUT=$(nsenter -t "$NS_PID" -p -- unshare -m --mount-proc "$DBPOD" lockfile --json "$D/data" 2>"$TMP/err"); RC=$?
set -e
ERR=$(cat "$TMP/err")
expect_rc 0
no_stale
expect_jq .facts.verdict "in use"

# from the host
run_host lockfile --json "$D/data"
expect_rc 0
no_stale
expect_jq .facts.verdict "in use"
echo "ok: the lock file is read in the server's view of the path, beside and from the host"

# a second server with a data directory of the same name in a filesystem
# of its own (two containers with the same PGDATA): from the host, which
# one was meant cannot be told -- exit 3, naming both, never a verdict on
# one of them picked at random
PM1=$NS_PID
own_view_server
PM2=$NS_PID
run_host lockfile --json "$D/data"
expect_rc 3
printf '%s' "$ERR" | grep -q "PID $PM1's and PID $PM2's\|PID $PM2's and PID $PM1's" ||
	fail "the error does not name both servers ($PM1, $PM2): $ERR"
printf '%s' "$ERR" | grep -q "give /proc/PID/root$D/data" || fail "no way out given: $ERR"
# told which, it judges that one
run_host lockfile --json "/proc/$PM2/root$D/data"
expect_rc 0
expect_jq .facts.verdict "in use"
echo "ok: two servers in their own filesystems under one name: dbpod asks which"
