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
# Then prediction and observation are compared (agree, below) and a row is
# printed. Sourced by tests/scenarios/80x-truth-*.sh and tests/truth/run,
# after tests/scenarios/lib.sh.
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

new_mariadb_data() {
	DATA=$TMP/run.$RUN
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
	DATA=$TMP/run.$RUN
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
	CLEANUP_PIDS+=("$u")
	wait_until pg_isready -q -h "$PGSOCK" -U postgres || wait_until pg_isready -q -h "$PGSOCK" -U postgres
	p=$(pgrep -P "$u" | head -n 1)
	[ -n "$p" ] && kill -INT "$p"
	wait "$u" 2>/dev/null || true
	RECOVERY=$(grep -E 'was interrupted|not properly shut down|automatic recovery in progress|redo starts' "$log" | head -n 2 | tr '\n' ' ')
	EVIDENCE="controldata: $state"
	[ -n "$RECOVERY" ] && EVIDENCE="$EVIDENCE; restart: recovery"
	[ "$state" = "shut down" ] && [ -z "$RECOVERY" ]
}

clean_mariadb() {
	local u log=$MDB_LOG
	if ! grep -q 'Shutdown complete' "$log"; then
		EVIDENCE="no 'Shutdown complete'"
		return 1
	fi
	env --default-signal setsid setpriv --reuid=mysql --regid=mysql --init-groups \
		/usr/sbin/mariadbd --datadir="$DATA" --socket="$DATA/s.sock" --skip-networking \
		--pid-file="$DATA/m.pid" --log-error="$DATA/restart.err" >/dev/null 2>&1 </dev/null &
	u=$!
	CLEANUP_PIDS+=("$u")
	wait_until grep -q 'ready for connections' "$DATA/restart.err"
	kill -TERM "$u" 2>/dev/null
	wait "$u" 2>/dev/null || true
	if grep -q 'Starting crash recovery' "$DATA/restart.err"; then
		EVIDENCE="restart: InnoDB crash recovery"
		return 1
	fi
	EVIDENCE="Shutdown complete; no recovery"
}

clean_redis() {
	if grep -q 'DB saved on disk' "$REDIS_LOG" && grep -q 'ready to exit' "$REDIS_LOG"; then
		EVIDENCE="DB saved; ready to exit"
		return 0
	fi
	EVIDENCE="no 'ready to exit'"
	return 1
}

# ---- one stop ----

# stop_gone: PID 1 of the namespace has exited (its unshare reaped it)
ns_gone() {
	! kill -0 "$NS_PID" 2>/dev/null || [ "$(awk '{print $3}' "/proc/$NS_PID/stat" 2>/dev/null)" = Z ]
}

# truth_row NAME SIGNAL EXPECT DB START_FN [PREPARE_FN]
#   START_FN starts the setup (ns_start ...); PREPARE_FN, if given, runs
#   once the database is ready (an orphaned psql, say). EXPECT pins the
#   row: PREDICTED/SEEN, dbpod's prediction and what the real stop showed
#   when the row was written, SEEN being clean (PID 1 ended by itself, the
#   database shut down cleanly), unclean (ended by itself, not cleanly)
#   or killed (SIGKILLed at the end of the grace period). A row is wrong
#   when the prediction does not agree with the stop, or either is not
#   what it pins: an "uncertain" prediction agrees with any stop, and a
#   setup that stops otherwise than it did tests something else.
truth_row() {
	local name=$1 sig=$2 expect=$3 start=$5 prepare=${6:-} t0 t1 ms ended pred when after race why verdict pin est over
	DB=$4
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
	# the prediction, as a user would ask for it inside the container
	run_dbpod signals --json --stop-signal="$sig" --grace="$TRUTH_GRACE"
	[ "$RC" -le 2 ] || fail "$name: dbpod signals exited $RC: $ERR"
	pred=$(printf '%s' "$OUT" | jq -r .facts.stop_path.outcome)
	when=$(printf '%s' "$OUT" | jq -r .facts.stop_path.when)
	after=$(printf '%s' "$OUT" | jq -r '.facts.stop_path.after_seconds // "-"')
	race=$(printf '%s' "$OUT" | jq -r '[.facts.stop_path.steps[] | select(test("race|most of the time"))] | length')
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
	EVIDENCE=
	if "clean_$DB"; then CLEAN=clean; else CLEAN=unclean; fi

	why=
	case $pred in
	graceful) [ "$CLEAN" = clean ] && [ "$ended" = itself ] || why="expected a clean stop before the grace" ;;
	crash)
		if [ "$race" != 0 ]; then
			[ "$ended" = itself ] || why="expected it to end before the grace"
		else
			[ "$CLEAN" = unclean ] && [ "$ended" = itself ] || why="expected an unclean stop before the grace"
		fi ;;
	risky) [ "$ended" = itself ] && [ "$ms" -le $(( (after + 2) * 1000 )) ] || why="expected an end within ${after} s" ;;
	sigkill)
		[ "$CLEAN" = unclean ] || why="expected an unclean end"
		case $when in
		"at once") [ "$ended" = itself ] && [ "$ms" -lt 1500 ] || why="expected SIGKILL within a second" ;;
		"after "*) [ "$ended" = itself ] && [ "$ms" -le $(( (after + 2) * 1000 )) ] || why="expected SIGKILL after ${after} s" ;;
		*) [ "$ended" = sigkill ] || why="expected SIGKILL at the end of the grace" ;;
		esac ;;
	uncertain) ;;
	*) why="no prediction ($pred)" ;;
	esac
	# an estimate of 1 s or more must land within a factor of two of a
	# shutdown that ended by itself; it is printed beside the measurement
	if [ -n "$est" ]; then
		EVIDENCE="estimate $est s${EVIDENCE:+; $EVIDENCE}"
		if [ -z "$why" ] && [ "$ended" = itself ] && awk -v e="$est" 'BEGIN { exit !(e >= 1) }' &&
			! awk -v e="$est" -v m="$ms" 'BEGIN { m /= 1000; exit !(e <= 2 * m && m <= 2 * e) }'; then
			why="the estimate, $est s, is not within a factor of two of the shutdown"
		fi
	fi
	# and the observed outcome the static checks are held to (925)
	[ -n "$why" ] || why=$(observed_check "$name" "$sig" "$pred" "$when" "$after")
	pin=$(truth_pin "$expect" "$pred" "$ended" "$CLEAN")
	[ -z "$pin" ] || why="${why:+$why; }$pin"
	if [ -n "$why" ]; then
		verdict="WRONG: $why"
		TRUTH_BAD=$((TRUTH_BAD + 1))
	else
		verdict=agree
	fi
	printf '%-22s %-7s %-10s %-34s %6.2f s  %-8s %-7s %s%s\n' "$name" "$sig" "$pred" \
		"($when)" "$(echo "$ms" | awk '{printf "%.2f", $1/1000}')" "$ended" "$CLEAN" "$verdict" \
		"${EVIDENCE:+  [$EVIDENCE]}" | tee -a "$TRUTH_ROWS"
	# nothing of this run may outlive it
	ns_gone || kill -KILL "$NS_PID" 2>/dev/null || true
	rm -rf "$DATA"
}

truth_header() {
	printf '%-22s %-7s %-10s %-34s %8s  %-8s %-7s %s\n' SETUP SIGNAL PREDICTED WHEN OBSERVED \
		ENDED DB VERDICT
}

truth_done() {
	[ "$TRUTH_BAD" = 0 ] || fail "$TRUTH_BAD stop(s) predicted wrong (see the rows above)"
	echo "ok: every prediction agreed with the real stop"
}
