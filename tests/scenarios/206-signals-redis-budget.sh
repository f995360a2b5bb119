#!/bin/bash
# A Redis stop's time budget, live: Redis's process title hides its
# command line, so dbpod takes dir from its working directory, the RDB
# file there, and the log from its standard output; it times the final
# snapshot from the log's BGSAVE. Standard output a pipe (the runtime's
# log): no estimate, and the basis says what was assumed. Under tini and
# supervisord, the options the title hides are read from their command
# lines. How close the estimate comes to a real stop is 808's.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd redis-server redis-cli jq
set -e

D=$TMP/redis
mkdir -p "$D"
cli() { redis-cli -s "$D/s.sock" "$@"; }
REDIS=(redis-server --port 0 --unixsocket "$D/s.sock" --dir "$D" --enable-debug-command local)

# standard output a file: the BGSAVE of 200000 keys (some 5 MB) times the disk
ns_start bash -c "exec $(printf '%q ' "${REDIS[@]}") >$(printf '%q' "$D/out.log")"
wait_until grep -q 'Ready to accept connections\|ready to accept connections' "$D/out.log" ||
	fail "redis did not start: $(cat "$D/out.log")"
[ "$(cli DEBUG POPULATE 200000)" = OK ] || fail "DEBUG POPULATE failed"
cli BGSAVE >/dev/null
wait_until grep -q 'Background saving terminated with success' "$D/out.log" || fail "the BGSAVE did not end"
run_dbpod signals --json --stop-signal=TERM --grace=30
expect_rc 0
expect_jq '.facts.stop_path.outcome' graceful
expect_jq '.facts.stop_path.stop_seconds_estimate | type' number
expect_jq '.facts.stop_path.stop_estimate_exceeds_grace' false
expect_jq '.facts.stop_path.stop_seconds_worst | type' number
expect_jq '.facts.stop_path.stop_estimate_basis | test("^with Redis.s default save points \\(3600 1 300 100 60 10000\\), assumed, as its command line is its process title")' true
expect_jq ".facts.stop_path.stop_estimate_basis | test(\"the last background save took [0-9.]+ s and left [0-9.]+ MB \\\\($D/dump.rdb\\\\)\")" true
expect_jq ".facts.stop_path.stop_estimate_basis | test(\"the server.s log, $D/out.log\\\\)\$\")" true
expect_jq '[.findings[] | select(.id == "DBS207")] | length' 0
run_dbpod signals --format=prometheus --stop-signal=TERM --grace=30
expect_out 'dbpod_stop_seconds_estimate{signal="SIGTERM"} [0-9]'
run_dbpod signals --stop-signal=TERM --grace=30
expect_out 'its final RDB snapshot takes about [0-9.]* s: [0-9.]* MB, the RDB file'
expect_out 'Stop time *about [0-9.]* s of the 30 s it has; [0-9.]* s with a snapshot as large as'
run_dbpod doctor --stop-signal=TERM --grace=30
expect_out 'stop with SIGTERM *graceful, when its shutdown ends (shutdown about [0-9.]* s)'
kill -TERM "$NS_PID"
wait_until ns_torn_down || fail "redis did not stop"
grep -q 'ready to exit' "$D/out.log" || fail "redis did not shut down cleanly: $(tail -3 "$D/out.log")"

# standard output a pipe, as a runtime gives it: nothing to time
rm -f "$D"/dump.rdb
ns_start_piped "${REDIS[@]}"
wait_until cli PING || fail "redis did not start"
run_dbpod signals --json --stop-signal=TERM --grace=30
expect_rc 0
expect_jq '.facts.stop_path.outcome' graceful
expect_jq '.facts.stop_path.stop_seconds_estimate' null
expect_jq '.facts.stop_path.stop_estimate_basis | test("^no estimate: the server.s log was not found: it logs to its standard output, a pipe")' true
expect_jq '.facts.stop_path.stop_estimate_basis | test("dbpod assumed it fits the 30 s grace period")' true
expect_jq '[.findings[] | select(.id == "DBS207")] | length' 0
kill -TERM "$NS_PID"
wait_until ns_torn_down || fail "redis did not stop"
# under tini, whose command line still holds the options the title hides:
# save "" turns the snapshot off, and the basis says so
if command -v tini >/dev/null; then
	ns_start tini -- "${REDIS[@]}" --save ""
	wait_until cli PING || fail "redis did not start under tini"
	run_dbpod signals --json --stop-signal=TERM --grace=30
	expect_jq '.facts.stop_path.stop_seconds_estimate' null
	expect_jq '.facts.stop_path.stop_estimate_basis | test("^no snapshot to time: save \"\" turns the save points off")' true
	kill -TERM "$NS_PID"
	wait_until ns_torn_down || fail "redis did not stop under tini"
fi
# under supervisord: its program's command= holds them
if command -v supervisord >/dev/null; then
	cat >"$TMP/sv.conf" <<EOF
[supervisord]
nodaemon=true
logfile=$TMP/sv.log
pidfile=$TMP/sv.pid
childlogdir=$TMP

[program:redis]
command=${REDIS[*]} --save "900 1" --appendonly yes
stopsignal=TERM
EOF
	ns_start supervisord -n -c "$TMP/sv.conf"
	wait_until cli PING || fail "redis did not start under supervisord: $(cat "$TMP/sv.log")"
	run_dbpod signals --json --stop-signal=TERM --grace=30
	expect_jq '.facts.stop_path.stop_estimate_basis | test("save 900 1 \\(from the command line of supervisord.s program that started it")' true
	kill -TERM "$NS_PID"
	wait_until ns_torn_down || fail "supervisord did not stop"
fi
echo "ok: a Redis stop timed from its standard output's log and RDB file, a pipe said to be unreadable, and the options read under tini and supervisord"
