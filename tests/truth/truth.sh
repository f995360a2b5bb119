# The stop-truth engine: a setup runs for real as PID 1 of a new PID
# namespace, dbpod predicts inside it what a stop with SIGNAL will do, the
# stop is done the way a runtime does it (SIGNAL to PID 1 from outside the
# namespace, SIGKILL when the grace period ends), and the database's own
# evidence judges the outcome:
#   PostgreSQL: pg_controldata says "shut down" and a restart on the same
#               data directory, in a new PID namespace as a container
#               restart would be, logs no recovery;
#   MariaDB:    "Shutdown complete" in its log, and no InnoDB crash
#               recovery on restart;
#   Redis:      "DB saved on disk" and "ready to exit" in its log.
# Then truth_judge (observed.sh) holds the stop and the prediction to the
# row's pin in tests/truth/observed.table, and a row is printed. Sourced
# by tests/scenarios/80x-truth-*.sh and tests/truth/run, after
# tests/scenarios/lib.sh.
# shellcheck shell=bash

. "$top_srcdir/tests/truth/observed.sh"

TRUTH_GRACE=${TRUTH_GRACE:-4}
TRUTH_ROWS=$TMP/truth.rows
TRUTH_BAD=0
: >"$TRUTH_ROWS"

need_truth() {
	need_root
	[ -z "${DBPOD_SKIP_TRUTH:-}" ] || skip "DBPOD_SKIP_TRUTH is set (make distcheck: the stop-truth table runs in the main make check)"
	need_cmd jq
}

# ---- databases: a template data directory made once, copied per run ----

pg_template() {
	pg_init
	PG_TEMPLATE=$PGDATA
	PG_BASE=("$PGBIN/postgres" -D @DATA@ -k "$PGSOCK" -c listen_addresses= -c logging_collector=off)
}

# pg_cmd: the postmaster's command line for the current run's DATA
pg_cmd() {
	local a
	for a in "${PG_BASE[@]}"; do printf '%q ' "${a//@DATA@/$DATA}"; done
}

# TRUTH_DATA_DIR: where the data directory goes (a slow disk's mount)
new_pg_data() {
	DATA=${TRUTH_DATA_DIR:-$TMP}/run.$RUN
	cp -a "$PG_TEMPLATE" "$DATA"
}

mariadb_template() {
	need_cmd mariadbd mariadb-install-db
	MDB_TEMPLATE=$TMP/mdb-template
	mkdir -p "$MDB_TEMPLATE"
	chown mysql:mysql "$MDB_TEMPLATE"
	mariadb-install-db --datadir="$MDB_TEMPLATE" --user=mysql --skip-test-db \
		--auth-root-authentication-method=normal >"$TMP/mdb-install.log" 2>&1 ||
		fail "mariadb-install-db failed: $(tail -5 "$TMP/mdb-install.log")"
}

# TRUTH_DATA_DIR as for PostgreSQL; the log stays in $TMP
new_mariadb_data() {
	DATA=${TRUTH_DATA_DIR:-$TMP}/run.$RUN
	cp -a "$MDB_TEMPLATE" "$DATA"
	MDB_LOG=$TMP/run.$RUN.err
	: >"$MDB_LOG"
	chown mysql:mysql "$MDB_LOG"
}

mariadb_cmd() {
	printf '%q ' setpriv --reuid=mysql --regid=mysql --init-groups /usr/sbin/mariadbd \
		--datadir="$DATA" --socket="$DATA/s.sock" --skip-networking \
		--pid-file="$DATA/m.pid" --log-error="$MDB_LOG"
}

new_redis_data() {
	DATA=${TRUTH_DATA_DIR:-$TMP}/run.$RUN
	mkdir -p "$DATA"
	REDIS_LOG=$DATA/redis.log
}

redis_cmd() {
	printf '%q ' redis-server --port 0 --unixsocket "$DATA/s.sock" --dir "$DATA" --logfile "$REDIS_LOG"
}

# ---- waiting ----

db_ready() {
	case $DB in
	pg) wait_until pg_isready -q -h "$PGSOCK" -U postgres && wait_until pg_backends 0 ;;
	mariadb) wait_until grep -q 'ready for connections' "$MDB_LOG" ;;
	redis) wait_until grep -qi 'ready to accept connections' "$REDIS_LOG" ;;
	esac
}

# ---- judging ----

# clean_pg: 0 when the data directory was shut down cleanly; RECOVERY holds
# the restart's recovery lines otherwise
clean_pg() {
	local state u p log=$TMP/restart.$RUN.log
	state=$(LC_ALL=C "$PGBIN/pg_controldata" "$DATA" | sed -n 's/^Database cluster state: *//p')
	# the restart, as a container restart: a new PID namespace where the
	# postmaster is PID 1 again
	env --default-signal setsid unshare -pf --mount-proc setpriv --reuid=postgres \
		--regid=postgres --init-groups "$PGBIN/postgres" -D "$DATA" -k "$PGSOCK" \
		-c listen_addresses= >"$log" 2>&1 </dev/null &
	u=$!
	track "$u"
	wait_until pg_isready -q -h "$PGSOCK" -U postgres || wait_until pg_isready -q -h "$PGSOCK" -U postgres
	p=$(pgrep -P "$u" | head -n 1)
	[ -n "$p" ] && kill -INT "$p"
	wait "$u" 2>/dev/null || true
	RECOVERY=$(grep -E 'was interrupted|not properly shut down|automatic recovery in progress|redo starts' "$log" | head -n 2 | tr '\n' ' ')
	EVIDENCE="controldata: $state"
	[ -n "$RECOVERY" ] && EVIDENCE="$EVIDENCE; restart: recovery"
	[ "$state" = "shut down" ] && [ -z "$RECOVERY" ]
}

# mariadb_last_life: the log's lines since its last start ("ready for
# connections"): a setup that stopped the server once before (808's
# mariadb-slow-*) leaves that life's "Shutdown complete" in the same log
mariadb_last_life() {
	awk '/ready for connections/ { n = 0 } { l[n++] = $0 } END { for (i = 0; i < n; i++) print l[i] }' "$MDB_LOG"
}

# clean_mariadb: "Shutdown complete" in the last life's lines, and a
# restart on the same data directory that runs no InnoDB crash recovery;
# the restart is done either way, so that a kill's row shows the recovery
# it costs
clean_mariadb() {
	local u rc=0
	EVIDENCE="Shutdown complete"
	if ! mariadb_last_life | grep 'Shutdown complete' >/dev/null; then
		EVIDENCE="no 'Shutdown complete'"
		rc=1
	fi
	env --default-signal setsid setpriv --reuid=mysql --regid=mysql --init-groups \
		/usr/sbin/mariadbd --datadir="$DATA" --socket="$DATA/s.sock" --skip-networking \
		--pid-file="$DATA/m.pid" --log-error="$DATA/restart.err" >/dev/null 2>&1 </dev/null &
	u=$!
	track "$u"
	wait_until grep -q 'ready for connections' "$DATA/restart.err"
	kill -TERM "$u" 2>/dev/null
	wait "$u" 2>/dev/null || true
	if grep -q 'Starting crash recovery' "$DATA/restart.err"; then
		EVIDENCE="$EVIDENCE; restart: InnoDB crash recovery"
		return 1
	fi
	EVIDENCE="$EVIDENCE; no recovery"
	return $rc
}

# REDIS_AFTER, when set: a function that prints more of the server's
# evidence after the stop (the RDB file, a restart), added to the row's
clean_redis() {
	local rc=1
	EVIDENCE="no 'ready to exit'"
	if grep -q 'DB saved on disk' "$REDIS_LOG" && grep -q 'ready to exit' "$REDIS_LOG"; then
		EVIDENCE="DB saved; ready to exit"
		rc=0
	fi
	[ -z "${REDIS_AFTER:-}" ] || EVIDENCE="$EVIDENCE; $("$REDIS_AFTER")"
	return $rc
}

# ---- one stop ----

# stop_gone: PID 1 of the namespace has exited (its unshare reaped it)
ns_gone() {
	! kill -0 "$NS_PID" 2>/dev/null || [ "$(awk '{print $3}' "/proc/$NS_PID/stat" 2>/dev/null)" = Z ]
}

# server_end: how the server's own log says it ended (pg_log_end in
# observed.sh): shut-down, crashed or killed
server_end() {
	case $DB in
	# with logging_collector the stop is in its newest file (the file
	# before holds an earlier life's stop). But when the postmaster is the
	# namespace's PID 1, its exit kills the collector, which may not have
	# written the last lines yet (pg-slow-restarted, once in CI's load:
	# pg_controldata "shut down", the file without its last line): a
	# collector's file that ends in neither a shutdown nor a crash cannot
	# tell a kill from a lost tail, and pg_controldata alone judges.
	pg)
		local collected end
		collected=$(ls -t "$DATA"/log/*.log 2>/dev/null | head -n 1)
		end=$(pg_log_end "$TMP/ns.out" "$DATA".svlog/* $collected)
		if [ -n "$collected" ] && [ "$end" = killed ]; then echo -; else echo "$end"; fi ;;
	mariadb) if mariadb_last_life | grep 'Shutdown complete' >/dev/null; then echo shut-down; else echo killed; fi ;;
	redis) if grep -q 'ready to exit' "$REDIS_LOG"; then echo shut-down; else echo killed; fi ;;
	esac
}

# prediction JSON: "OUTCOME WHEN" of a `dbpod signals --json` output,
# WHEN as when_kind writes it
prediction() {
	local outcome when after
	outcome=$(printf '%s' "$1" | jq -r .facts.stop_path.outcome)
	when=$(printf '%s' "$1" | jq -r .facts.stop_path.when)
	after=$(printf '%s' "$1" | jq -r '.facts.stop_path.after_seconds // "-"')
	echo "$outcome $(when_kind "$when" "$after")"
}

# TRUTH_MUTANTS: mutants of tests/truth/mutant-dbpod (a dbpod whose
# predictions are rewritten) asked beside the real dbpod in every row,
# and judged against the same stop: each must make the table fail
TRUTH_MUTANTS=${TRUTH_MUTANTS:-}
declare -A MUTANT_CAUGHT=()
TRUTH_AGREED=0

# truth_row NAME SIGNAL DB START_FN [PREPARE_FN]
#   START_FN starts the setup (ns_start ...); PREPARE_FN, if given, runs
#   once the database is ready (an orphaned psql, say). The row's pin is
#   NAME SIGNAL in tests/truth/observed.table, what the real stop showed
#   when the row was written; truth_judge (observed.sh) holds the stop
#   and dbpod's prediction to it.
truth_row() {
	local name=$1 sig=$2 start=$4 prepare=${5:-} t0 t1 ms ended pred pwhen verdict server m mpred mwhen mv
	local est over
	local -A mutant_pred=()
	DB=$3
	RUN=$((${RUN:-0} + 1))
	case $DB in
	pg) new_pg_data ;;
	mariadb) new_mariadb_data ;;
	redis) new_redis_data ;;
	esac
	"$start"
	db_ready || fail "$name: the database did not come up: $(tail -5 "$TMP/ns.out")"
	[ -z "$prepare" ] || "$prepare"
	wait_until ns_settled || fail "$name: the processes of the setup do not settle"
	# the mutants' predictions, asked as the real one is
	for m in $TRUTH_MUTANTS; do
		set +e
		OUT=$(ns_exec "$top_srcdir/tests/truth/mutant-dbpod" "$m" "$DBPOD" signals --json \
			--stop-signal="$sig" --grace="$TRUTH_GRACE" 2>"$TMP/err")
		RC=$?
		set -e
		[ "$RC" -le 2 ] || fail "$name: mutant $m of dbpod signals exited $RC: $(cat "$TMP/err")"
		mutant_pred[$m]=$(prediction "$OUT")
	done
	# the prediction, as a user would ask for it inside the container
	run_dbpod signals --json --stop-signal="$sig" --grace="$TRUTH_GRACE"
	[ "$RC" -le 2 ] || fail "$name: dbpod signals exited $RC: $ERR"
	read -r pred pwhen <<<"$(prediction "$OUT")"
	# the stop's time budget, where the server's log gave one
	est=$(printf '%s' "$OUT" | jq -r '.facts.stop_path.stop_seconds_estimate // empty')
	over=$(printf '%s' "$OUT" | jq -r '.facts.stop_path.stop_estimate_exceeds_grace // false')
	# doctor must predict the same
	run_dbpod doctor --json --stop-signal="$sig" --grace="$TRUTH_GRACE"
	local dpred
	dpred=$(printf '%s' "$OUT" | jq -r '.facts.checks[] | select(.command == "signals") | .facts.stop_path.outcome')
	[ "$dpred" = "$pred" ] || fail "$name $sig: doctor predicts '$dpred', signals '$pred'"
	# and pid1check must not contradict it: a stop that goes wrong is a
	# problem it reports; a clean one is not a signal it says is dropped
	run_dbpod pid1check --json --stop-signal="$sig"
	case $pred in
	# (a shutdown checkpoint longer than the grace is no fault of PID 1's)
	sigkill|crash|risky) [ "$RC" -ge 1 ] || [ "$over" = true ] ||
		fail "$name $sig: signals predicts $pred, pid1check says OK" ;;
	graceful) [ "$(printf '%s' "$OUT" | jq '[.findings[] | select(.id == "DBP103")] | length')" = 0 ] ||
		fail "$name $sig: signals predicts graceful, pid1check says PID 1 drops the signal" ;;
	esac

	# the stop, as runc does it: the signal to PID 1 from outside
	t0=$(date +%s%N)
	kill "-$sig" "$NS_PID" 2>/dev/null || true
	ended=itself
	while ! ns_gone; do
		t1=$(date +%s%N)
		if [ $(( (t1 - t0) / 1000000 )) -ge $((TRUTH_GRACE * 1000)) ]; then
			kill -KILL "$NS_PID" 2>/dev/null || true
			ended=sigkill
			wait_until ns_gone || fail "$name: PID 1 survived SIGKILL"
			break
		fi
		sleep 0.02
	done
	t1=$(date +%s%N)
	ms=$(( (t1 - t0) / 1000000 ))
	wait_until ns_torn_down || fail "$name: the namespace was not torn down"
	server=$(server_end)
	EVIDENCE=
	if "clean_$DB"; then CLEAN=clean; else CLEAN=unclean; fi
	EVIDENCE="$EVIDENCE; log: $server"

	if verdict=$(truth_judge "$name" "$sig" "$TRUTH_GRACE" "$pred" "$pwhen" "$ended" "$ms" "$CLEAN" "$server"); then
		# an estimate of 1 s or more must land within a factor of two
		# of a shutdown that ended by itself; printed beside the
		# measurement
		if [ -n "$est" ] && [ "$ended" = itself ] && awk -v e="$est" 'BEGIN { exit !(e >= 1) }' &&
			! awk -v e="$est" -v m="$ms" 'BEGIN { m /= 1000; exit !(e <= 2 * m && m <= 2 * e) }'; then
			verdict="WRONG: the estimate, $est s, is not within a factor of two of the shutdown"
		fi
	fi
	[ -z "$est" ] || EVIDENCE="estimate $est s; ${EVIDENCE#; }"
	case $verdict in
	AGREE*) TRUTH_AGREED=$((TRUTH_AGREED + 1)) ;;
	*) TRUTH_BAD=$((TRUTH_BAD + 1)) ;;
	esac
	printf '%-22s %-7s %-10s %-12s %6.2f s  %-8s %-7s %s%s\n' "$name" "$sig" "$pred" \
		"$pwhen" "$(echo "$ms" | awk '{printf "%.2f", $1/1000}')" "$ended" "$CLEAN" "$verdict" \
		"${EVIDENCE:+  [$EVIDENCE]}" | tee -a "$TRUTH_ROWS"
	for m in $TRUTH_MUTANTS; do
		read -r mpred mwhen <<<"${mutant_pred[$m]}"
		# a mutant is caught by a row that fails with it and not without
		if ! mv=$(truth_judge "$name" "$sig" "$TRUTH_GRACE" "$mpred" "$mwhen" "$ended" "$ms" "$CLEAN" "$server") &&
			[ "$verdict" = AGREE ]; then
			MUTANT_CAUGHT[$m]=$((${MUTANT_CAUGHT[$m]:-0} + 1))
		fi
		printf '    mutant %-10s %-10s %-12s %s\n' "$m" "$mpred" "$mwhen" "$mv"
	done
	# nothing of this run may outlive it
	ns_gone || kill -KILL "$NS_PID" 2>/dev/null || true
	rm -rf "$DATA" "$DATA".svlog
}

# truth_header: the table's header, once (tests/truth/run prints
# several parts as one table)
truth_header() {
	[ -z "${TRUTH_HEADER_DONE:-}" ] || return 0
	TRUTH_HEADER_DONE=1
	printf '%-22s %-7s %-10s %-12s %8s  %-8s %-7s %s\n' SETUP SIGNAL PREDICTED WHEN OBSERVED \
		ENDED DB VERDICT
}

# truth_done: fails when a row did not agree, or when a mutant of
# TRUTH_MUTANTS passed the table (no row that agrees with the real dbpod
# failed with it)
truth_done() {
	local m missed=
	for m in $TRUTH_MUTANTS; do
		echo "mutant $m: caught by ${MUTANT_CAUGHT[$m]:-0} of $TRUTH_AGREED rows that agree with the real dbpod"
		[ "${MUTANT_CAUGHT[$m]:-0}" -gt 0 ] || missed="$missed $m"
	done
	[ "$TRUTH_BAD" = 0 ] || fail "$TRUTH_BAD stop(s) not as pinned (see the rows above)"
	[ -z "$missed" ] || fail "the table passed with a dbpod whose predictions are rewritten (mutant-dbpod$missed)"
	echo "ok: every prediction agreed with the real stop${TRUTH_MUTANTS:+, and the table failed each mutant ($TRUTH_MUTANTS)}"
}
