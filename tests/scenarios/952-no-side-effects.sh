#!/bin/bash
# dbpod runs no other program and writes nothing but the file it is asked
# for; every command runs unprivileged; a read-only target is a clear
# error, not a silent stop.
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq strace
set -e
pg_start tini --
AS_NOBODY=(setpriv --reuid=nobody --regid=nogroup --clear-groups)

for cmd in doctor pid1check signals oomscore overcommit lockfile; do
	# execve: one, dbpod's own; no open for writing, no unlink, no rename
	# (strace exits with dbpod's status: a verdict, 0-2; a sanitizer
	# build's LeakSanitizer cannot run under ptrace and would exit 1)
	set +e
	ns_exec env ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" strace -f -qq -o "$TMP/trace" -e trace=execve,openat,open,creat,unlink,unlinkat,rename,renameat,renameat2 \
		"$DBPOD" "$cmd" --json >/dev/null 2>&1
	ROOT_RC=$?
	set -e
	[ "$ROOT_RC" -le 2 ] || fail "dbpod $cmd as root exited $ROOT_RC"
	[ "$(grep -c 'execve(' "$TMP/trace")" = 1 ] || fail "dbpod $cmd ran another program: $(grep execve "$TMP/trace")"
	if grep -E 'O_WRONLY|O_RDWR|O_CREAT|creat\(|unlink|rename' "$TMP/trace" | grep -v ' = -1 ' | grep -q .; then
		fail "dbpod $cmd wrote: $(grep -E 'O_WRONLY|O_RDWR|O_CREAT|creat\(|unlink|rename' "$TMP/trace")"
	fi
	# unprivileged: the verdict root gets. Except lockfile: nobody cannot
	# read the postmaster's data directory (0700, user postgres), so it
	# cannot judge the lock file: UNKNOWN, DBL500 saying so, and doctor
	# carries that finding but keeps the others' status.
	set +e
	OUT=$(ns_exec "${AS_NOBODY[@]}" "$DBPOD" "$cmd" --json 2>"$TMP/err")
	RC=$?
	set -e
	ERR=$(cat "$TMP/err")
	if [ "$cmd" = lockfile ]; then
		expect_rc 3
		expect_jq .status unknown
		expect_jq '[.findings[].id] | join(",")' DBL500
	else
		expect_rc "$ROOT_RC"
	fi
	[ "$cmd" != doctor ] || expect_jq '[.findings[] | select(.id == "DBL500")] | length' 1
	expect_jq '{"ok": 0, "warning": 1, "critical": 2, "unknown": 3}[.status]' "$RC"
done

# doctor walks /proc once for all its checks: each process's stat file is
# opened once (the five checks each read the table before)
ns_exec strace -f -qq -o "$TMP/trace" -e trace=openat "$DBPOD" doctor --json >/dev/null 2>&1 || true
most=$(grep -o '"/proc/[0-9]*/stat"' "$TMP/trace" | sort | uniq -c | sort -rn | awk 'NR == 1 {print $1}')
[ "${most:-0}" = 1 ] || fail "doctor read a process's /proc/PID/stat $most times: $(grep -o '"/proc/[0-9]*/stat"' "$TMP/trace" | sort | uniq -c | sort -rn | head -3)"

# snapshot -o on a read-only filesystem: exit 3 and a message naming it
mkdir -p "$TMP/ro"
set +e
ERR=$(unshare -m --propagation private sh -c "mount -t tmpfs -o ro tmpfs '$TMP/ro' && '$DBPOD' snapshot -n 2 -i 0.1 -o '$TMP/ro/ps.jsonl'" 2>&1)
RC=$?
set -e
OUT=
expect_rc 3
printf '%s' "$ERR" | grep -q "$TMP/ro/ps.jsonl" || fail "no message naming the file: $ERR"
printf '%s' "$ERR" | grep -qi 'read-only' || fail "no reason in the message: $ERR"
echo "ok: no side effects; every command unprivileged; doctor reads /proc once; read-only target refused"
