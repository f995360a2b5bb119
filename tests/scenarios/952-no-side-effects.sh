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
	ns_exec strace -f -qq -o "$TMP/trace" -e trace=execve,openat,open,creat,unlink,unlinkat,rename,renameat,renameat2 \
		"$DBPOD" "$cmd" --json >/dev/null 2>&1 || true
	[ "$(grep -c 'execve(' "$TMP/trace")" = 1 ] || fail "dbpod $cmd ran another program: $(grep execve "$TMP/trace")"
	if grep -E 'O_WRONLY|O_RDWR|O_CREAT|creat\(|unlink|rename' "$TMP/trace" | grep -v ' = -1 ' | grep -q .; then
		fail "dbpod $cmd wrote: $(grep -E 'O_WRONLY|O_RDWR|O_CREAT|creat\(|unlink|rename' "$TMP/trace")"
	fi
	# unprivileged: a valid result (lockfile may not read the data directory)
	set +e
	OUT=$(ns_exec "${AS_NOBODY[@]}" "$DBPOD" "$cmd" --json 2>/dev/null)
	RC=$?
	set -e
	[ "$RC" -le 3 ] || fail "dbpod $cmd as nobody exited $RC"
	[ "$cmd" = lockfile ] && [ -z "$OUT" ] && continue	# cwd of the postmaster unreadable: said on stderr
	printf '%s' "$OUT" | jq -e '.status | test("^(ok|warning|critical|unknown)$")' >/dev/null ||
		fail "dbpod $cmd as nobody gave no valid result: $OUT"
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
