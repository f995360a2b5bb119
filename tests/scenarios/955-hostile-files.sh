#!/bin/bash
# A FIFO, a socket, a device node, a symbolic link (valid or dangling) or a
# directory where lockfile expects postmaster.pid or a socket lock file:
# dbpod names what it found, judges nothing it did not read, exits 3, and
# never waits (a FIFO used to hang lockfile and doctor until killed).
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq python3 timeout mknod mkfifo
set -e
D=$TMP/data
S=$TMP/sock
mkdir -p "$D" "$S"
dead_pid

# make_kind KIND PATH: put a file of that kind at PATH
make_kind() {
	rm -rf "$2"
	case $1 in
	fifo) mkfifo "$2" ;;
	socket) python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$2" ;;
	chardev) mknod "$2" c 1 5 ;;		# /dev/zero: "empty" to a reader that reads it
	blockdev) mknod "$2" b 7 0 ;;
	symlink) printf '%s\n%s\n%s\n5432\n%s\n' "$DEAD" "$D" "$(date +%s)" "$S" >"$TMP/real.pid"
		 ln -s "$TMP/real.pid" "$2" ;;
	dangling) ln -s "$TMP/nowhere.pid" "$2" ;;
	dir) mkdir "$2" ;;
	esac
}
declare -A WHAT=(
	[fifo]='a FIFO (named pipe)' [socket]='a socket' [chardev]='a character device'
	[blockdev]='a block device' [symlink]="a symbolic link to '$TMP/real.pid'"
	[dangling]="a symbolic link to '$TMP/nowhere.pid', which does not exist"
	[dir]='a directory'
)

# timed ARGS...: run dbpod under a 20 s timeout, which only a read that
# blocks (a FIFO opened for reading) reaches; tests assert no timings, so
# a loaded machine is not a failure
timed() {
	set +e
	OUT=$(timeout 20 "$DBPOD" "$@" 2>"$TMP/err")
	RC=$?
	set -e
	ERR=$(cat "$TMP/err")
	[ "$RC" != 124 ] || fail "dbpod $* hung (killed by timeout)"
}

for k in fifo socket chardev blockdev symlink dangling dir; do
	# postmaster.pid itself
	make_kind "$k" "$D/postmaster.pid"
	timed lockfile --json "$D"
	expect_rc 3
	expect_jq '.findings[] | select(.id == "DBL500") | .message | contains("is '"${WHAT[$k]}"', not a regular file")' true
	expect_jq '[.findings[] | select(.id == "DBL500") | .advice | test("database.s user|Too many levels")] | any' false
	expect_jq '.facts.lockfile.not_regular' "${WHAT[$k]}"
	timed lockfile --no-color "$D"
	expect_rc 3
	expect_out "UNKNOWN DBL500"
	PGDATA=$D timed doctor --json
	expect_jq '.facts.checks[] | select(.command == "lockfile") | .status' unknown
	expect_jq '.facts.checks[] | select(.command == "lockfile") | .findings[0].id' DBL500

	# the socket lock file that a stale postmaster.pid names: the stale
	# file is a definite warning (DBL503), which outranks the unknown in
	# the Nagios order, so the exit status is 1 and the socket lock unknown
	rm -rf "$D/postmaster.pid"
	printf '%s\n%s\n%s\n5432\n%s\n' "$DEAD" "$D" "$(date +%s)" "$S" >"$D/postmaster.pid"
	make_kind "$k" "$S/.s.PGSQL.5432.lock"
	timed lockfile --json "$D"
	expect_rc 1
	expect_jq '.facts.socket_locks[0].verdict' unknown
	expect_jq '.findings[] | select(.id == "DBL508") | .severity' unknown
	expect_jq '.findings[] | select(.id == "DBL508") | .message | contains("is '"${WHAT[$k]}"', not a regular file")' true
	rm -rf "$S/.s.PGSQL.5432.lock" "$D/postmaster.pid"
	note "$k: exit 3, named, at once"
done

# With the server running and its own postmaster.pid in use, the socket
# lock file alone is the one position dbpod cannot read: exit 3
pg_init
pg_start_host
LOCK=$PGSOCK/.s.PGSQL.5432.lock
mv "$LOCK" "$TMP/saved.lock"
for k in fifo socket chardev symlink; do
	make_kind "$k" "$LOCK"
	timed lockfile --json "$PGDATA"
	expect_rc 3
	expect_jq .facts.verdict "in use"
	expect_jq '.findings[] | select(.id == "DBL508") | .severity' unknown
	PGDATA=$PGDATA timed doctor --json
	expect_jq '.facts.checks[] | select(.command == "lockfile") | .status' unknown
	note "$k as the socket lock file of a running server: exit 3, at once"
done
rm -rf "$LOCK"
mv "$TMP/saved.lock" "$LOCK"
echo "ok: hostile files"
