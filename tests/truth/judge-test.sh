#!/bin/bash
# Unit tests of the stop-truth tables' judge (truth_judge and pg_log_end
# in tests/truth/observed.sh) and of tests/truth/mutant-dbpod: made-up
# stops and predictions, nothing stopped, no root. For every row of
# tests/truth/observed.table, a stop as the row pins it with the row's
# own prediction must be AGREE; with a wrong prediction ("uncertain",
# graceful and sigkill swapped, any other outcome or "when") WRONG; and
# a stop that contradicts the row (the database's state, how and when
# it ended, the server's log) WORLD-CHANGED, whatever the prediction.
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
command -v jq >/dev/null 2>&1 || { echo "SKIP: jq is not installed (./bootstrap --install-test-deps installs it)"; exit 77; }
. "$top_srcdir/tests/truth/observed.sh"

TMP=$(mktemp -d /tmp/dbpod-judge.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
N=0
BAD=0

# expect VERDICT NAME SIGNAL GRACE PRED PWHEN ENDED MS DB SERVER: the
# judge's first word must be VERDICT (AGREE, WRONG, WORLD-CHANGED), and
# its exit status 0 for AGREE alone
expect() {
	local want=$1 got rc
	shift
	N=$((N + 1))
	got=$(truth_judge "$@")
	rc=$?
	if [ "${got%%:*}" != "$want" ] || { [ "$want" = AGREE ] && [ "$rc" != 0 ]; } ||
		{ [ "$want" != AGREE ] && [ "$rc" = 0 ]; }; then
		echo "FAIL: truth_judge $*: expected $want, got '$got' (exit $rc)"
		BAD=$((BAD + 1))
	fi
}

# stop_as_pinned OUTCOME WHEN DB GRACE: "ENDED MS DB SERVER" of a stop
# that is what the row says reality showed
stop_as_pinned() {
	local server
	case $1/$3 in
	graceful/* | risky/clean) server=shut-down ;;
	crash/*) server=crashed ;;
	*) server=killed ;;
	esac
	case $2 in
	shutdown) echo "itself 100 $3 $server" ;;
	at-once) echo "itself 50 $3 $server" ;;
	after-*) echo "itself $((${2#after-} * 1000 + 20)) $3 $server" ;;
	grace) echo "sigkill $(($4 * 1000 + 60)) $3 $server" ;;
	esac
}

swap() {
	case $1 in graceful) echo sigkill ;; sigkill) echo graceful ;; *) echo "$1" ;; esac
}

# ---- every row of the real table ----
rows=0
while read -r name sig outcome when db grace _; do
	case $name in '#'* | '') continue ;; esac
	rows=$((rows + 1))
	read -r ended ms seen server <<<"$(stop_as_pinned "$outcome" "$when" "$db" "$grace")"
	# the control: a right prediction of a stop as pinned agrees, with
	# the signal spelt either way, and with the server's log unread (802)
	expect AGREE "$name" "$sig" "$grace" "$outcome" "$when" "$ended" "$ms" "$seen" "$server"
	expect AGREE "$name" "SIG$sig" "$grace" "$outcome" "$when" "$ended" "$ms" "$seen" -
	# wrong predictions of that stop
	expect WRONG "$name" "$sig" "$grace" uncertain "$when" "$ended" "$ms" "$seen" "$server"
	[ "$(swap "$outcome")" = "$outcome" ] ||
		expect WRONG "$name" "$sig" "$grace" "$(swap "$outcome")" "$when" "$ended" "$ms" "$seen" "$server"
	for w in shutdown at-once after-2 grace unknown; do
		[ "$w" = "$when" ] || expect WRONG "$name" "$sig" "$grace" "$outcome" "$w" "$ended" "$ms" "$seen" "$server"
	done
	for o in graceful crash sigkill risky; do
		[ "$o" = "$outcome" ] || expect WRONG "$name" "$sig" "$grace" "$o" "$when" "$ended" "$ms" "$seen" "$server"
	done
	# another grace period than the row's
	expect WRONG "$name" "$sig" $((grace + 1)) "$outcome" "$when" "$ended" "$ms" "$seen" "$server"
	# stops that contradict the row: the world changed, even for the
	# prediction that matches the row
	for p in "$outcome" uncertain; do
		if [ "$seen" = clean ]; then other=unclean; else other=clean; fi
		expect WORLD-CHANGED "$name" "$sig" "$grace" "$p" "$when" "$ended" "$ms" "$other" "$server"
		case $when in
		grace)
			expect WORLD-CHANGED "$name" "$sig" "$grace" "$p" "$when" itself 100 "$seen" "$server"
			expect WORLD-CHANGED "$name" "$sig" "$grace" "$p" "$when" sigkill $((grace * 1000 - 1)) "$seen" "$server" ;;
		at-once)
			expect WORLD-CHANGED "$name" "$sig" "$grace" "$p" "$when" itself "$TRUTH_AT_ONCE_MS" "$seen" "$server"
			expect WORLD-CHANGED "$name" "$sig" "$grace" "$p" "$when" sigkill $((grace * 1000 + 60)) "$seen" "$server" ;;
		after-*)
			# "after 2 s" told from "at the grace": it must end by 3 s
			expect WORLD-CHANGED "$name" "$sig" "$grace" "$p" "$when" itself \
				$((${when#after-} * 1000 + TRUTH_AFTER_SLACK_MS + 1)) "$seen" "$server"
			expect WORLD-CHANGED "$name" "$sig" "$grace" "$p" "$when" sigkill $((grace * 1000 + 60)) "$seen" "$server" ;;
		shutdown)
			expect WORLD-CHANGED "$name" "$sig" "$grace" "$p" "$when" sigkill $((grace * 1000 + 60)) "$seen" "$server" ;;
		esac
		# the server's own log says otherwise
		for s in shut-down crashed killed; do
			[ "$s" = "$server" ] || expect WORLD-CHANGED "$name" "$sig" "$grace" "$p" "$when" "$ended" "$ms" "$seen" "$s"
		done
	done
done <"$OBSERVED_TABLE"
[ "$rows" -ge 40 ] || { echo "FAIL: only $rows rows read from $OBSERVED_TABLE"; BAD=$((BAD + 1)); }

# no row: WRONG, whatever happened
expect WRONG no-such-setup TERM 4 graceful shutdown itself 100 clean shut-down

# ---- a made-up table: rows the real one does not have ----
OBSERVED_TABLE=$TMP/table
cat >"$OBSERVED_TABLE" <<'EOF'
# setup signal outcome when db grace
late    TERM   sigkill  after-2 unclean 4
race    TERM   risky    after-2 unclean 4
EOF
# SIGKILL after 2 s: not sooner, not at the grace
expect AGREE late TERM 4 sigkill after-2 itself 2050 unclean killed
expect WORLD-CHANGED late TERM 4 sigkill after-2 itself 500 unclean killed
expect WORLD-CHANGED late TERM 4 sigkill after-2 sigkill 4060 unclean killed
expect WRONG late TERM 4 sigkill grace itself 2050 unclean killed
# a risky stop the kill cut short: unclean, as pinned; clean is a change
expect AGREE race TERM 4 risky after-2 itself 2010 unclean killed
expect WORLD-CHANGED race TERM 4 risky after-2 itself 1500 clean shut-down
expect WRONG race TERM 4 sigkill after-2 itself 2010 unclean killed

# ---- pg_log_end: the server's own word on how it ended ----
log_end() {	# log_end WANT LINES...
	local want=$1 got
	shift
	printf '%s\n' "$@" >"$TMP/pg.log"
	got=$(pg_log_end "$TMP/pg.log" "$TMP/absent.log")
	N=$((N + 1))
	[ "$got" = "$want" ] || { echo "FAIL: pg_log_end on '$*': expected $want, got $got"; BAD=$((BAD + 1)); }
}
log_end shut-down 'LOG:  received fast shutdown request' 'LOG:  aborting any active transactions' \
	'LOG:  background worker "logical replication launcher" (PID 12) exited with exit code 1' \
	'LOG:  shutting down' 'LOG:  database system is shut down'
log_end crashed 'LOG:  received immediate shutdown request' 'LOG:  database system is shut down'
log_end crashed 'LOG:  server process (PID 10) was terminated by signal 13: Broken pipe' \
	'LOG:  terminating any other active server processes'
log_end crashed 'LOG:  received fast shutdown request' 'LOG:  server process (PID 31) exited with exit code 2'
log_end killed 'LOG:  database system is ready to accept connections'
log_end killed 'LOG:  received smart shutdown request'

# ---- mutant-dbpod: what it makes of a dbpod's JSON ----
cat >"$TMP/fake-dbpod" <<'EOF'
#!/bin/sh
# a dbpod that prints $FAKE_OUT and exits $FAKE_RC
printf '%s\n' "$FAKE_OUT"
exit "$FAKE_RC"
EOF
chmod +x "$TMP/fake-dbpod"
mutant() {	# mutant MUTANT JQ WANT: JQ on its output of FAKE_OUT must print WANT
	local got rc
	N=$((N + 1))
	got=$("$top_srcdir/tests/truth/mutant-dbpod" "$1" "$TMP/fake-dbpod" signals --json)
	rc=$?
	got=$(printf '%s' "$got" | jq -r "$2" 2>&1)
	[ "$got" = "$3" ] && [ "$rc" = "$FAKE_RC" ] ||
		{ echo "FAIL: mutant-dbpod $1 on $FAKE_OUT: $2 gave '$got' (exit $rc), expected '$3' (exit $FAKE_RC)"; BAD=$((BAD + 1)); }
}
export FAKE_RC=2
export FAKE_OUT='{"status":"critical","facts":{"stop_path":{"outcome":"graceful","when":"when its shutdown ends"},"stop_paths":[{"signal":"SIGTERM","outcome":"sigkill"},{"signal":"SIGQUIT","outcome":"crash"}]}}'
mutant uncertain '[.facts.stop_path.outcome, .facts.stop_paths[].outcome] | join(" ")' 'uncertain uncertain uncertain'
mutant swap '[.facts.stop_path.outcome, .facts.stop_paths[].outcome] | join(" ")' 'sigkill graceful crash'
mutant none '[.facts.stop_path.outcome, .facts.stop_paths[].outcome] | join(" ")' 'graceful sigkill crash'
mutant uncertain '.facts.stop_path.when + " " + .status' 'when its shutdown ends critical'
# output that is not JSON passes through, with dbpod's exit status
export FAKE_RC=3 FAKE_OUT='not JSON'
N=$((N + 1))
out=$("$top_srcdir/tests/truth/mutant-dbpod" swap "$TMP/fake-dbpod")
rc=$?
[ "$out" = 'not JSON' ] && [ "$rc" = 3 ] ||
	{ echo "FAIL: mutant-dbpod on output that is not JSON: '$out', exit $rc"; BAD=$((BAD + 1)); }

[ "$BAD" = 0 ] || { echo "FAIL: $BAD of $N checks of the judge"; exit 1; }
echo "ok: $N checks of the judge ($rows rows of observed.table, a made-up table, pg_log_end, mutant-dbpod)"
