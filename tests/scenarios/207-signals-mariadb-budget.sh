#!/bin/bash
# A MariaDB stop's time budget, live: mariadbd as PID 1, its error log on
# standard error (--log-error reopens it there), which already times a
# shutdown of 9 s (real lines of a 10.11 on a throttled disk, written
# before the server starts, as an earlier life would have left them): the
# estimate is that shutdown; a 3 s grace is SIGKILL before "Shutdown
# complete" (DBS207), a 30 s one fits. The settings come from the command
# line; standard error a pipe (the runtime's log): no estimate, and the
# basis says why. How close the estimate comes to a real stop is 808's.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd mariadbd mariadb-install-db jq
set -e

D=$TMP/mdb
mkdir -p "$D"
chown mysql:mysql "$D"
mariadb-install-db --datadir="$D" --user=mysql --skip-test-db \
	--auth-root-authentication-method=normal >"$TMP/install.log" 2>&1 ||
	fail "mariadb-install-db failed: $(tail -5 "$TMP/install.log")"
LOG=$TMP/mdb.err
cat >"$LOG" <<'LINES'
2026-12-07 13:39:57 0 [Note] Starting MariaDB 10.11.19-MariaDB-0+deb12u1 source revision 5843d8475120241667a7ce0f8a1abb6c9b43a273 server_uid fXdYp7ZWAMMBm0PUMZFJoAcM0o0= as process 21651
2026-12-07 13:39:57 0 [Note] /usr/sbin/mariadbd: ready for connections.
Version: '10.11.19-MariaDB-0+deb12u1'  socket: '/tmp/mx/e/slow/d/s.sock'  port: 0  Debian 12
2026-12-07 13:40:11 0 [Note] /usr/sbin/mariadbd (initiated by: unknown): Normal shutdown
2026-12-07 13:40:11 0 [Note] InnoDB: FTS optimize thread exiting.
2026-12-07 13:40:11 0 [Note] InnoDB: Starting shutdown...
2026-12-07 13:40:20 0 [Note] Shutdown completed; log sequence number 154967597; transaction id 34
2026-12-07 13:40:20 0 [Note] /usr/sbin/mariadbd: Shutdown complete

LINES
chown mysql:mysql "$LOG"
MDB=(setpriv --reuid=mysql --regid=mysql --init-groups /usr/sbin/mariadbd --datadir="$D"
	--socket="$D/s.sock" --skip-networking --pid-file="$D/m.pid")

# this life's lines: after the earlier life's 9
this_life() { sed -n '10,$p' "$LOG" | grep "$1" >/dev/null; }
ns_start "${MDB[@]}" --log-error="$LOG" --innodb_fast_shutdown=0 --innodb-buffer-pool-size=64M
wait_until this_life 'ready for connections' || fail "mariadbd did not start: $(tail -5 "$LOG")"
run_dbpod signals --json --stop-signal=TERM --grace=30
expect_rc 0
expect_jq '.facts.stop_path.outcome' graceful
expect_jq '.facts.stop_path.stop_seconds_estimate' 9
expect_jq '.facts.stop_path.stop_estimate_exceeds_grace' false
expect_jq '.facts.stop_path.stop_seconds_worst' null
expect_jq '.facts.stop_path.stop_estimate_basis | test("^with innodb_fast_shutdown=0 \\(its command line\\): a slow shutdown.*\\(innodb_buffer_pool_size 64 MB\\)")' true
expect_jq ".facts.stop_path.stop_estimate_basis | test(\"the one shutdown the server.s error log timed .* took 9 s, the one that ended at 2026-12-07 13:40:20 \\\\(log line 8\\\\).*\\\\($LOG, its standard error\\\\)\$\")" true
expect_jq '[.findings[] | select(.id == "DBS207")] | length' 0
run_dbpod signals --format=prometheus --stop-signal=TERM --grace=30
expect_out 'dbpod_stop_seconds_estimate{signal="SIGTERM"} 9'
run_dbpod doctor --stop-signal=TERM --grace=30
expect_out 'stop with SIGTERM *graceful, when its shutdown ends (shutdown about 9.0 s)'

# a 3 s grace: SIGKILL before "Shutdown complete"
run_dbpod signals --stop-signal=TERM --grace=3
expect_rc 1
expect_out 'its shutdown takes about 9.0 s: as long as the one shutdown the'
expect_out 'Prediction *SIGKILL: the shutdown takes longer than the grace period'
expect_out 'Stop time *about 9.0 s of the 3 s it has'
run_dbpod signals --json --stop-signal=TERM --grace=3
expect_jq '.facts.stop_path.outcome' sigkill
expect_jq '.facts.stop_path.stop_estimate_exceeds_grace' true
expect_jq '[.findings[] | select(.id == "DBS207")][0].severity' warning
expect_jq '[.findings[] | select(.id == "DBS207")][0].message | test("^On stop with SIGTERM, MariaDB.s shutdown takes about 9.0 s, longer than the 3 s grace period")' true
expect_jq '[.findings[] | select(.id == "DBS207")][0].advice | test("terminationGracePeriodSeconds: 19 .*stop_grace_period: 19s .*docker stop -t 19")' true
kill -TERM "$NS_PID"
wait_until ns_torn_down || fail "mariadbd did not stop"
this_life 'Shutdown complete' || fail "mariadbd did not shut down cleanly: $(tail -3 "$LOG")"

# standard error a pipe, as a runtime gives it: nothing to time
ns_start_piped "${MDB[@]}"
wait_until grep -q 'ready for connections' "$TMP/pipe.out" || fail "mariadbd did not start"
run_dbpod signals --json --stop-signal=TERM --grace=30
expect_rc 0
expect_jq '.facts.stop_path.outcome' graceful
expect_jq '.facts.stop_path.stop_seconds_estimate' null
expect_jq '.facts.stop_path.stop_estimate_basis | test("^no estimate: the server.s error log was not found: it logs to its standard error, a pipe")' true
expect_jq '.facts.stop_path.stop_estimate_basis | test("innodb_fast_shutdown=1 \\(the default\\)")' true
expect_jq '[.findings[] | select(.id == "DBS207")] | length' 0
kill -TERM "$NS_PID"
wait_until ns_torn_down || fail "mariadbd did not stop"
echo "ok: the MariaDB stop's budget from its error log, and none from a pipe"
