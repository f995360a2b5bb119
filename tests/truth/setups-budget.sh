# The stop-truth rows of a stop's time budget: PostgreSQL whose shutdown
# checkpoint really is long -- its data directory on an ext4 loop file
# whose writes a blkio cgroup (v1) throttles -- stopped with a grace that
# fits the checkpoint and with one that does not. dbpod must predict the
# SIGKILL mid-checkpoint where the real stop shows it, graceful where it
# fits, and its estimate must land within a factor of two of the measured
# shutdown (truth_row checks both, and prints the estimate beside the
# measurement). Needs root, losetup, mkfs.ext4 and the blkio controller.
# And Redis with a dataset whose final RDB snapshot outlasts a 3 s grace
# on the same disk, and fits a 30 s one; and MariaDB whose shutdown writes
# enough dirty pages of InnoDB's buffer pool to outlast a 3 s grace, and
# fit a 30 s one.
# shellcheck shell=bash

# The disk: BUDGET_BPS bytes a second of writes for the server's cgroup.
# The load dirties about 30 MB between checkpoints, so a checkpoint takes
# some 7 s on it: well past a 3 s grace, well within 30 s.
BUDGET_BPS=${BUDGET_BPS:-4194304}

need_budget() {
	need_cmd losetup mkfs.ext4 pgrep
	[ -w /sys/fs/cgroup/blkio/blkio.throttle.write_bps_device ] ||
		skip "no cgroup v1 blkio throttling here (/sys/fs/cgroup/blkio/blkio.throttle.write_bps_device)"
}

# budget_disk: the loop-file filesystem at $TMP/slow (TRUTH_DATA_DIR, where
# truth_row puts each run's data directory) and the cgroup BUDGET_CG whose
# write limit applies to it; both removed on exit, after the processes
budget_disk() {
	BUDGET_IMG=$TMP/slow.img
	truncate -s 1G "$BUDGET_IMG"
	mkfs.ext4 -q -F "$BUDGET_IMG" || fail "mkfs.ext4 failed"
	BUDGET_LOOP=$(losetup -f --show "$BUDGET_IMG") || skip "no free loop device"
	BUDGET_DEV=$(cat "/sys/block/${BUDGET_LOOP#/dev/}/dev")
	TRUTH_DATA_DIR=$TMP/slow
	mkdir -p "$TRUTH_DATA_DIR"
	mount "$BUDGET_LOOP" "$TRUTH_DATA_DIR" || { losetup -d "$BUDGET_LOOP"; fail "mount failed"; }
	chown postgres:postgres "$TRUTH_DATA_DIR"
	BUDGET_CG=/sys/fs/cgroup/blkio/dbpod-test-$$
	mkdir "$BUDGET_CG"
	trap 'rc=$?; set +e; budget_teardown; (exit $rc); cleanup' EXIT
}

budget_teardown() {
	local p
	kill_tracked KILL
	# the mount is busy until the last process of the runs has gone
	[ -z "${BUDGET_CG:-}" ] || wait_until sh -c "! grep -q . '$BUDGET_CG/cgroup.procs'"
	[ -z "${TRUTH_DATA_DIR:-}" ] || wait_until umount "$TRUTH_DATA_DIR"
	[ -z "${BUDGET_LOOP:-}" ] || losetup -d "$BUDGET_LOOP"
	[ -z "${BUDGET_CG:-}" ] || rmdir "$BUDGET_CG"
}

budget_throttle() {
	echo "$BUDGET_DEV $1" >"$BUDGET_CG/blkio.throttle.write_bps_device"
}

# PostgreSQL with room for the load's dirty buffers until the stop: no
# timed or WAL-driven checkpoint in between, a timestamp on every line;
# and OPTIONS...
start_pg_slow() {
	ns_start bash -c "exec $(pg_exec) $(printf '%q ' -c shared_buffers=128MB \
		-c checkpoint_timeout=1h -c max_wal_size=4GB -c 'log_line_prefix=%m [%p] ' \
		-c log_timezone=UTC "$@")"
}

# budget_cgroup: the server, and every process it forks from now on, in
# the throttled cgroup
budget_cgroup() {
	local p
	for p in "$NS_PID" $(pgrep -P "$NS_PID"); do echo "$p" >"$BUDGET_CG/cgroup.procs"; done
}

budget_load() {
	budget_sql "CREATE TABLE $1 (id int, pad text); INSERT INTO $1 SELECT g, repeat('x', 200) FROM generate_series(1, 120000) g"
}

# A server that has been stopped once before on the slow disk, with
# logging_collector and the default log_filename: the last stop's
# shutdown checkpoint, which measured the disk, is in the log file before
# the current one. The first life: 30 MB inserted, a fast shutdown on the
# throttled disk; then the server that truth_row stops.
start_pg_slow_restarted() {
	start_pg_slow -c logging_collector=on
	db_ready || fail "the first server did not come up"
	budget_throttle 0
	budget_cgroup
	budget_load a
	budget_throttle "$BUDGET_BPS"
	kill -INT "$NS_PID"
	wait_until ns_torn_down || fail "the first server did not stop"
	budget_throttle 0
	start_pg_slow -c logging_collector=on
}

# the second life: as much inserted again; the estimate must rest on the
# first life's shutdown checkpoint, read from the file before the current
prepare_slow_restarted() {
	budget_cgroup
	budget_load b
	budget_throttle "$BUDGET_BPS"
	wait_until pg_backends 0 || fail "psql's session did not end"
	run_dbpod signals --json --stop-signal=INT
	expect_jq '.facts.stop_path.stop_estimate_basis | test("^the shutdown checkpoint at .*, and the one before it\\)$")' true
}

budget_sql() {
	"$PGBIN/psql" -h "$PGSOCK" -U postgres -qAt -v ON_ERROR_STOP=1 -c "$1" >/dev/null ||
		fail "psql: $1"
}

# A steady write load on a slow disk: 30 MB inserted, a CHECKPOINT on the
# throttled disk (as a backup's fast checkpoint or a DBA's would be: the
# log's measure of the disk), then as much inserted again, which the stop's
# shutdown checkpoint must write. The inserts run unthrottled: only the
# checkpoints are the slow disk's.
prepare_slow() {
	budget_throttle 0
	budget_cgroup
	budget_load a
	budget_throttle "$BUDGET_BPS"
	budget_sql "CHECKPOINT"
	budget_throttle 0
	budget_load b
	budget_throttle "$BUDGET_BPS"
	wait_until pg_backends 0 || fail "psql's session did not end"
	# where the shutdown outlasts the grace, the text says so, not that
	# the server never stops
	if [ "$TRUTH_GRACE" -lt 5 ]; then
		run_dbpod signals --stop-signal=INT --grace="$TRUTH_GRACE"
		expect_out 'Prediction *SIGKILL: the shutdown takes longer than the grace period'
	fi
}

# ---- Redis: its final RDB snapshot ----

# The disk for Redis: REDIS_BPS bytes a second. DEBUG POPULATE's
# REDIS_KEYS keys make an RDB file of about 79 MB, which takes some 5 s
# to write at 16 MB/s: past a 3 s grace, well within 30 s.
REDIS_BPS=${REDIS_BPS:-16777216}
REDIS_KEYS=${REDIS_KEYS:-3000000}

redis_cli() {
	redis-cli -s "$DATA/s.sock" "$@"
}

# Redis as PID 1 on the slow disk, logging to its standard output (a
# file here; a container's runtime keeps it otherwise) with the default
# save points. Its process title hides the command line, so dbpod finds
# dir as its working directory and the log as its standard output.
start_redis_slow() {
	ns_start bash -c "exec redis-server --port 0 --unixsocket $(printf '%q' "$DATA/s.sock") \
		--dir $(printf '%q' "$DATA") --enable-debug-command local >$(printf '%q' "$REDIS_LOG")"
}

# A dataset of REDIS_KEYS keys, loaded unthrottled, and a BGSAVE on the
# throttled disk: the log's measure of it (a save point's save or a
# BGSAVE a backup runs would be the same). The stop's final snapshot
# writes the same dataset again.
prepare_redis_slow() {
	local saves
	budget_throttle 0
	budget_cgroup
	[ "$(redis_cli DEBUG POPULATE "$REDIS_KEYS")" = OK ] || fail "DEBUG POPULATE failed"
	budget_throttle "$REDIS_BPS"
	saves=$(grep -c 'Background saving terminated with success' "$REDIS_LOG" || true)
	redis_cli BGSAVE >/dev/null || fail "BGSAVE failed"
	wait_until sh -c "[ \$(grep -c 'Background saving terminated with success' '$REDIS_LOG') -gt $saves ]" ||
		fail "the BGSAVE did not end"
	REDIS_RDB_MTIME=$(stat -c %Y.%y "$DATA/dump.rdb")
	# a write after the save: only a stop whose snapshot is written keeps it
	redis_cli SET written-after-the-save 1 >/dev/null || fail "SET failed"
	run_dbpod signals --json --stop-signal=TERM --grace="$TRUTH_GRACE"
	expect_jq '.facts.stop_path.stop_estimate_basis | test("^with Redis.s default save points .*the last background save took [0-9.]+ s and left [0-9.]+ MB")' true
	if [ "$TRUTH_GRACE" -lt 5 ]; then
		run_dbpod signals --stop-signal=TERM --grace="$TRUTH_GRACE"
		expect_out 'Prediction *SIGKILL: the shutdown takes longer than the grace period'
	fi
}

# The server's own evidence after the stop, beside the log's lines that
# clean_redis reads: was the RDB file replaced (its mtime), and what a
# restart on it loads (DBSIZE)
redis_after() {
	local u n
	REDIS_REPLACED=no
	[ "$(stat -c %Y.%y "$DATA/dump.rdb")" = "$REDIS_RDB_MTIME" ] || REDIS_REPLACED=yes
	env --default-signal setsid redis-server --port 0 --unixsocket "$DATA/r.sock" --dir "$DATA" \
		--save "" --logfile "$DATA/restart.log" >/dev/null 2>&1 </dev/null &
	u=$!
	track "$u"
	wait_until grep -qi 'ready to accept connections' "$DATA/restart.log" || fail "the restart did not come up"
	n=$(redis-cli -s "$DATA/r.sock" DBSIZE)
	kill -TERM "$u"
	wait "$u" 2>/dev/null || true
	echo "rdb replaced: $REDIS_REPLACED; restart: DBSIZE $n ($((n - REDIS_KEYS)) written after the save)"
}

truth_budget_redis() {
	if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then
		echo "(the Redis rows need redis-server and redis-cli)"
		return 0
	fi
	# shellcheck disable=SC2034 # clean_redis (truth.sh) runs it
	REDIS_AFTER=redis_after
	TRUTH_GRACE=30 truth_row redis-slow-disk        TERM redis start_redis_slow prepare_redis_slow
	TRUTH_GRACE=3  truth_row redis-slow-disk-grace3 TERM redis start_redis_slow prepare_redis_slow
	unset REDIS_AFTER
}

# ---- MariaDB: InnoDB's dirty pages written at the shutdown ----

# The disk for MariaDB: MDB_BPS bytes a second. MDB_ROWS rows of 200
# bytes leave some 4700 dirty pages of 16 kB (75 MB) in a 512 MB buffer
# pool, which a shutdown writes in some 8 s on it: past a 3 s grace,
# well within 30 s.
MDB_BPS=${MDB_BPS:-8388608}
MDB_ROWS=${MDB_ROWS:-300000}

mdb_sql() {
	mariadb -S "$DATA/s.sock" -uroot -e "$1" >/dev/null || fail "mariadb: $1"
}

# MariaDB as PID 1 on the slow disk, its error log on standard error (a
# file: --log-error reopens it there), and the dirty pages kept until the
# stop: no flushing ahead of the redo log's need (innodb_max_dirty_pages_pct
# 99, no low-water mark, no adaptive flushing), and the idle page cleaner
# held to its least, 100 pages a second (innodb_io_capacity)
start_mariadb_slow() {
	ns_start bash -c "exec $(mariadb_cmd) --innodb-buffer-pool-size=512M \
		--innodb-max-dirty-pages-pct=99 --innodb-max-dirty-pages-pct-lwm=0 \
		--innodb-adaptive-flushing=OFF --innodb-io-capacity=100 --innodb-io-capacity-max=100"
}

# mdb_lives N: the log says "ready for connections" N times
mdb_lives() {
	[ "$(grep -c 'ready for connections' "$MDB_LOG")" -ge "$1" ]
}

# the load: MDB_ROWS rows into table NAME, unthrottled, then the disk
# throttled for what follows (the page cleaner's writes, the stop's)
mdb_load() {
	budget_throttle 0
	budget_cgroup
	mdb_sql "CREATE DATABASE IF NOT EXISTS ld; USE ld; CREATE TABLE $1 (id int PRIMARY KEY AUTO_INCREMENT, pad varchar(255)) ENGINE=InnoDB; INSERT INTO $1 (pad) SELECT repeat('x', 200) FROM seq_1_to_$MDB_ROWS"
	budget_throttle "$MDB_BPS"
}

# A server that was stopped once before on the slow disk with the same
# load: its log times that shutdown ("Normal shutdown" to "Shutdown
# complete"), which is what the estimate rests on. The first life: the
# load, SIGTERM on the throttled disk; then the server truth_row stops.
start_mariadb_slow_restarted() {
	start_mariadb_slow
	wait_until mdb_lives 1 || fail "the first server did not come up: $(tail -5 "$MDB_LOG")"
	mdb_load a
	kill -TERM "$NS_PID"
	wait_until ns_torn_down || fail "the first server did not stop"
	grep -q 'Shutdown complete' "$MDB_LOG" || fail "the first server's shutdown did not complete"
	budget_throttle 0
	start_mariadb_slow
	wait_until mdb_lives 2 || fail "the second server did not come up: $(tail -5 "$MDB_LOG")"
}

# the second life: as much inserted again; the estimate must rest on the
# first life's shutdown
prepare_mariadb_slow() {
	mdb_load b
	run_dbpod signals --json --stop-signal=TERM --grace="$TRUTH_GRACE"
	expect_jq '.facts.stop_path.stop_estimate_basis | test("^with innodb_fast_shutdown=1 .*the one shutdown the server.s error log timed .*took [0-9]+ s")' true
	if [ "$TRUTH_GRACE" -lt 5 ]; then
		run_dbpod signals --stop-signal=TERM --grace="$TRUTH_GRACE"
		expect_out 'Prediction *SIGKILL: the shutdown takes longer than the grace period'
		expect_out 'DBS207'
	fi
}

truth_budget_mariadb() {
	if ! command -v mariadbd >/dev/null || ! command -v mariadb >/dev/null; then
		echo "(the MariaDB rows need mariadbd and mariadb)"
		return 0
	fi
	# (make truth has made it for setups-others.sh's rows)
	[ -n "${MDB_TEMPLATE:-}" ] || mariadb_template
	TRUTH_GRACE=30 truth_row mariadb-slow-restarted TERM mariadb start_mariadb_slow_restarted prepare_mariadb_slow
	TRUTH_GRACE=3  truth_row mariadb-slow-grace3    TERM mariadb start_mariadb_slow_restarted prepare_mariadb_slow
}

truth_budget() {
	need_pg
	need_budget
	pg_template
	budget_disk
	truth_header
	TRUTH_GRACE=30 truth_row pg-slow-disk        INT  pg start_pg_slow prepare_slow
	TRUTH_GRACE=3  truth_row pg-slow-disk-grace3 INT  pg start_pg_slow prepare_slow
	TRUTH_GRACE=3  truth_row pg-slow-disk-grace3 TERM pg start_pg_slow prepare_slow
	TRUTH_GRACE=30 truth_row pg-slow-restarted   INT  pg start_pg_slow_restarted prepare_slow_restarted
	truth_budget_redis
	truth_budget_mariadb
}

# ---- the restart's budget: the crash recovery after a kill ----
#
# PostgreSQL SIGKILLed after a write load (checkpoint_timeout=1h: the WAL
# since the last checkpoint is all of the load) and restarted on the
# throttled disk: its crash recovery (the fsync of the data directory,
# redo, the end-of-recovery checkpoint) takes seconds. dbpod, asked just
# before the kill, must estimate it within a factor of two of what the
# restarted server's own log measures, "database system was interrupted"
# to "database system is ready to accept connections". The speed comes
# from the log's previous crash recovery: each row's server is killed
# once before, and the estimate rests on the recovery that followed.

# The server from its first instant in the throttled cgroup: its
# recovery at start is what is measured
start_pg_slow_cg() {
	ns_start bash -c "echo 0 >$BUDGET_CG/cgroup.procs && exec $(pg_exec) $(printf '%q ' \
		-c shared_buffers=128MB -c checkpoint_timeout=1h -c max_wal_size=4GB \
		-c 'log_line_prefix=%m [%p] ' -c log_timezone=UTC -c logging_collector=on)"
}

# rows of ROWS inserted into table NAME, unthrottled (WAL's commit fsync
# included): only the recovery is the slow disk's
recovery_load() {
	budget_sql "CREATE TABLE $1 (id int, pad text); INSERT INTO $1 SELECT g, repeat('x', 200) FROM generate_series(1, $2) g"
}

# the kill, as a grace period's end or the OOM killer's: SIGKILL to PID 1,
# the postmaster, and with it the namespace
recovery_kill() {
	kill -KILL "$NS_PID"
	wait_until ns_torn_down || fail "the killed server's namespace did not go"
}

# The newest log file of the server's logging collector (its own names,
# postgresql-DATE_TIME.log)
recovery_log() {
	# shellcheck disable=SC2012 # names the collector made
	ls -t "$DATA"/log/*.log | head -n 1
}

# recovery_measured LOG: seconds from "database system was interrupted" to
# "database system is ready to accept connections" in LOG, by its own
# timestamps (log_line_prefix %m, UTC; a recovery across midnight wraps)
recovery_measured() {
	awk '
	function secs(t,   b) { split(t, b, ":"); return b[1] * 3600 + b[2] * 60 + b[3] }
	/database system was interrupted/ { s = secs($2); on = 1 }
	/database system is ready to accept connections/ && on {
		d = secs($2) - s; if (d < 0) d += 86400; printf "%.3f\n", d; exit }
	' "$1"
}

# recovery_row NAME ROWS1 ROWS2: the first life inserts ROWS1 rows and is
# killed; the second recovers (the log's measure of this server's
# recovery), inserts ROWS2 rows, dbpod estimates, and it is killed; the
# third's recovery is measured
recovery_row() {
	local name=$1 est basis measured verdict log
	RUN=$((${RUN:-0} + 1))
	# shellcheck disable=SC2034 # db_ready's
	DB=pg
	new_pg_data
	# the copy's pages on disk: the first recovery's fsync of the data
	# directory would write them, which no server's recovery does
	sync -f "$DATA"
	budget_throttle 0
	start_pg_slow_cg
	db_ready || fail "$name: the first server did not come up: $(tail -5 "$TMP/ns.out")"
	recovery_load a "$2"
	budget_throttle "$BUDGET_BPS"
	recovery_kill
	start_pg_slow_cg
	db_ready || fail "$name: the second server did not recover: $(tail -5 "$(recovery_log)")"
	grep -q 'redo done at' "$(recovery_log)" || fail "$name: the second start ran no redo"
	budget_throttle 0
	recovery_load b "$3"
	budget_throttle "$BUDGET_BPS"
	wait_until pg_backends 0 || fail "psql's session did not end"
	run_dbpod signals --json --stop-signal=INT
	[ "$RC" -le 2 ] || fail "$name: dbpod signals exited $RC: $ERR"
	est=$(printf '%s' "$OUT" | jq -r '.facts.stop_path.recovery_seconds_estimate // empty')
	basis=$(printf '%s' "$OUT" | jq -r '.facts.stop_path.recovery_estimate_basis // empty')
	[ -n "$est" ] || fail "$name: no estimate of the recovery: $basis"
	# doctor says the same
	run_dbpod doctor --json --stop-signal=INT
	[ "$(printf '%s' "$OUT" | jq -r '.facts.checks[] | select(.command == "signals") | .facts.stop_path.recovery_seconds_estimate')" = "$est" ] ||
		fail "$name: doctor's estimate is not signals' ($est s)"
	recovery_kill
	start_pg_slow_cg
	db_ready || fail "$name: the third server did not recover: $(tail -5 "$(recovery_log)")"
	log=$(recovery_log)
	measured=$(recovery_measured "$log")
	[ -n "$measured" ] || fail "$name: the third start's log times no recovery: $(cat "$log")"
	if awk -v e="$est" -v m="$measured" 'BEGIN { exit !(e <= 2 * m && m <= 2 * e) }'; then
		verdict=AGREE
	else
		verdict="WRONG: the estimate, $est s, is not within a factor of two of the recovery"
		TRUTH_BAD=$((TRUTH_BAD + 1))
	fi
	printf '%-22s estimate %6.2f s  measured %6.2f s  %s  [%s]\n' "$name" "$est" "$measured" \
		"$verdict" "$basis" | tee -a "$TRUTH_ROWS"
	kill -KILL "$NS_PID" 2>/dev/null || true
	wait_until ns_torn_down || fail "$name: the last server's namespace did not go"
	rm -rf "$DATA"
}

truth_recovery() {
	need_pg
	need_budget
	pg_template
	budget_disk
	# as much WAL as the recovery it is measured by
	recovery_row pg-kill-same-load 120000 120000
	# twice as much: the estimate scales with the WAL to replay
	recovery_row pg-kill-twice-load 120000 240000
	[ "$TRUTH_BAD" = 0 ] || fail "$TRUTH_BAD recovery estimate(s) not within a factor of two (see the rows above)"
	echo "ok: every recovery estimate was within a factor of two of the real recovery"
}
