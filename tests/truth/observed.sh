# The observed outcome of each real stop (observed.table), and the judge
# of the stop-truth tables: for the rows of 800-802, for the static checks
# of scenario 925, and for the unit tests of tests/truth/judge-test.sh,
# which feed truth_judge made-up stops and predictions.
# shellcheck shell=bash

OBSERVED_TABLE=${OBSERVED_TABLE:-${top_srcdir:?}/tests/truth/observed.table}
# a stop "at once" ended within this (ms); podman.sh allows more, its
# `podman stop` being part of the time it measures
TRUTH_AT_ONCE_MS=${TRUTH_AT_ONCE_MS:-1500}
# how much later than N s an "after N s" stop may end (ms)
TRUTH_AFTER_SLACK_MS=${TRUTH_AFTER_SLACK_MS:-1000}

# observed_row NAME SIGNAL: prints "OUTCOME WHEN DB GRACE" for the row
# (SIGNAL as TERM or SIGTERM), nothing when the table has none
observed_row() {
	awk -v n="$1" -v s="${2#SIG}" '!/^#/ && $1 == n && $2 == s { print $3, $4, $5, $6; exit }' "$OBSERVED_TABLE"
}

# when_kind WHEN AFTER: the "when" of a stop path (its text and
# after_seconds) as the table writes it
when_kind() {
	case $1 in
	"when its shutdown ends") echo shutdown ;;
	"at once") echo at-once ;;
	"after "*) echo "after-$2" ;;
	"at the end of the "*) echo grace ;;
	*) echo unknown ;;
	esac
}

# pg_log_end LOGFILE...: how the server's own log says it ended:
# shut-down (a clean shutdown completed), crashed (it ended itself
# uncleanly: an immediate shutdown, or a child's crash it answered by
# terminating the others), killed (the log says neither: it was killed)
pg_log_end() {
	if cat "$@" 2>/dev/null | grep -qE 'received immediate shutdown request|terminated by signal|server process \(PID [0-9]+\) exited with exit code|terminating any other active server processes'; then
		echo crashed
	elif cat "$@" 2>/dev/null | grep -q 'database system is shut down'; then
		echo shut-down
	else
		echo killed
	fi
}

# observed_stop_differs OUTCOME WHEN DB GRACE ENDED MS DBSEEN SERVER:
# empty when the stop (ENDED itself or sigkill, after MS ms, the database
# DBSEEN clean or unclean, the server's log saying SERVER: shut-down,
# crashed, killed, or - where it is not read) is what the row OUTCOME
# WHEN DB GRACE says reality showed; else what differs
observed_stop_differs() {
	local outcome=$1 when=$2 db=$3 grace=$4 ended=$5 ms=$6 seen=$7 server=$8 n d=()
	[ "$seen" = "$db" ] || d+=("the database was $seen, not $db")
	case $when in
	shutdown) [ "$ended" = itself ] || d+=("it was SIGKILLed at the grace, not ended by itself") ;;
	at-once) [ "$ended" = itself ] && [ "$ms" -lt "$TRUTH_AT_ONCE_MS" ] ||
		d+=("it ended ($ended) after $ms ms, not within $TRUTH_AT_ONCE_MS ms") ;;
	after-*)
		n=${when#after-}
		[ "$ended" = itself ] && [ "$ms" -le $((n * 1000 + TRUTH_AFTER_SLACK_MS)) ] ||
			d+=("it ended ($ended) after $ms ms, not within ${n} s")
		# a SIGKILL after N s comes no sooner
		[ "$outcome" != sigkill ] || [ "$ms" -ge $((n * 1000 - 100)) ] ||
			d+=("it ended after $ms ms, before the kill at ${n} s") ;;
	grace) [ "$ended" = sigkill ] && [ "$ms" -ge $((grace * 1000)) ] ||
		d+=("it ended ($ended) after $ms ms, not SIGKILLed at the grace of $grace s") ;;
	*) d+=("the row's when '$when' is none the judge knows") ;;
	esac
	case $outcome/$server in
	*/-) ;;
	graceful/shut-down | crash/crashed | sigkill/killed) ;;
	risky/shut-down) [ "$db" = clean ] || d+=("the server's log says shut-down") ;;
	risky/crashed | risky/killed) [ "$db" = unclean ] || d+=("the server's log says $server") ;;
	*) d+=("the server's log says $server, not what a $outcome stop leaves") ;;
	esac
	case $outcome in
	graceful | crash | sigkill | risky) ;;
	*) d+=("the row's outcome '$outcome' is none the judge knows") ;;
	esac
	[ ${#d[@]} = 0 ] || printf '%s\n' "${d[@]}" | paste -sd ';' | sed 's/;/; /g'
}

# truth_judge NAME SIGNAL GRACE PREDICTED PREDICTED_WHEN ENDED MS DB SERVER
#   The verdict on one real stop: PREDICTED and PREDICTED_WHEN are dbpod's
#   prediction (outcome; "when" as when_kind writes it), ENDED MS DB
#   SERVER the stop as observed_stop_differs takes it. Prints one line and
#   returns 0 for AGREE, 1 otherwise:
#     AGREE                the stop is what the row pins, and so is the
#                          prediction;
#     WORLD-CHANGED: why   the stop is not what the row pins: the setup, or
#                          the software under it, stops otherwise now (the
#                          prediction is not judged against a stale row);
#     WRONG: why           the prediction is not what the row pins, or
#                          there is no row, or it was pinned for another
#                          grace period.
#   "uncertain" is no outcome a row pins: it is always WRONG.
truth_judge() {
	local name=$1 sig=$2 grace=$3 pred=$4 pwhen=$5 ended=$6 ms=$7 seen=$8 server=$9 row outcome when db pgrace diff
	row=$(observed_row "$name" "$sig")
	if [ -z "$row" ]; then
		echo "WRONG: no row for $name ${sig#SIG} in tests/truth/observed.table"
		return 1
	fi
	read -r outcome when db pgrace <<<"$row"
	if [ "$pgrace" != "$grace" ]; then
		echo "WRONG: the row was pinned with a grace of $pgrace s, this stop had $grace s"
		return 1
	fi
	diff=$(observed_stop_differs "$outcome" "$when" "$db" "$pgrace" "$ended" "$ms" "$seen" "$server")
	if [ -n "$diff" ]; then
		echo "WORLD-CHANGED: the row pins $outcome $when $db; $diff"
		return 1
	fi
	if [ "$pred $pwhen" != "$outcome $when" ]; then
		echo "WRONG: predicted $pred $pwhen, the stop was $outcome $when $db"
		return 1
	fi
	echo AGREE
}
