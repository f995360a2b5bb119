#!/bin/bash
# Node mode as the DaemonSet runs it: -o FILE rewritten atomically every
# second while a namespace with a database runs, no temporary file left,
# and SIGTERM (a pod's stop) ends it after the file is written, with the
# status of its last run rather than death by the signal.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd redis-server promtool
set -e
mkdir -p "$TMP/redis" "$TMP/out"
ns_start redis-server --port 0 --unixsocket "$TMP/redis/s.sock" --dir "$TMP/redis" --save ''
wait_until ns_exec pgrep -x redis-server || fail "redis-server did not start"
"$DBPOD" doctor --all-containers --format=prometheus -o "$TMP/out/dbpod.prom" --every 1 \
	>"$TMP/stdout" 2>"$TMP/err" &
P=$!
track "$P"
wait_until test -s "$TMP/out/dbpod.prom" || fail "no $TMP/out/dbpod.prom: $(cat "$TMP/err")"
first=$(stat -c %Y.%i "$TMP/out/dbpod.prom")
# a new file (a new inode: renamed over the old one)
wait_until sh -c "[ \"\$(stat -c %Y.%i '$TMP/out/dbpod.prom')\" != '$first' ]" ||
	fail "--every 1 did not rewrite the file"
[ "$(stat -c %a "$TMP/out/dbpod.prom")" = 644 ] || fail "the file is not readable by a collector that is not root"
promtool check metrics <"$TMP/out/dbpod.prom" >"$TMP/pt" 2>&1 || fail "promtool: $(cat "$TMP/pt")"
ino=$(stat -L -c %i "/proc/$NS_PID/ns/pid")
grep -q "dbpod_check_status{pidns=\"$ino\",check=\"doctor\"}" "$TMP/out/dbpod.prom" ||
	fail "the redis namespace $ino is not in the file: $(head -5 "$TMP/out/dbpod.prom")"
kill -TERM "$P"
set +e
wait "$P"
RC=$?
set -e
[ "$RC" -le 2 ] || fail "SIGTERM ended node mode with $RC (128+15 is death by the signal): $(cat "$TMP/err")"
[ ! -s "$TMP/stdout" ] || fail "-o FILE printed to stdout: $(head -3 "$TMP/stdout")"
[ "$(ls "$TMP/out")" = dbpod.prom ] || fail "left behind: $(ls "$TMP/out")"
echo "ok: -o rewritten atomically every second, SIGTERM ends it with status $RC, nothing left behind"
