#!/bin/bash
# One exit-status contract for every command. An input that
# names nothing dbpod can judge -- a PID no process has, a file that is
# not there, a file of another kind -- exits 3 (UNKNOWN) with one line on
# standard error that names the input, and no verdict on stdout; lint and
# imagecheck, whose output a CI system annotates, say a file of another
# kind as DBI600 located at that file. Every command is run here.
. "$(dirname "$0")/lib.sh"
need_cmd jq
set -e
FIX=$top_srcdir/tests/fixtures/postmortem
REC=$FIX/reuse.jsonl
dead_pid
printf 'not a recording\n' >"$TMP/notes.txt"

# refused INPUT ARGS...: dbpod ARGS exits 3, prints nothing on stdout, and
# a line on stderr is dbpod's, naming INPUT (a recording's notes may come
# before it); not a usage error
refused() {
	local input=$1
	shift
	run_host "$@"
	[ "$RC" = 3 ] || fail "dbpod $*: exit $RC, not 3
$ERR"
	[ -z "$OUT" ] || fail "dbpod $*: a verdict for an input that cannot be judged:
$OUT"
	printf '%s\n' "$ERR" | grep -F -- "$input" | grep -q "^dbpod" ||
		fail "dbpod $*: no error naming '$input': $ERR"
	if printf '%s' "$ERR" | grep -q "^Try "; then
		fail "dbpod $*: a usage hint for an input error: $ERR"
	fi
}

# refused_alone INPUT ARGS...: refused, and the line naming INPUT is
# stderr's only line (no recording's notes came before it)
refused_alone() {
	refused "$@"
	[ "$(printf '%s\n' "$ERR" | grep -c .)" = 1 ] ||
		fail "dbpod ${*:2}: not one line on stderr: $ERR"
}

# a PID that no process has
refused "$DEAD" signals "$DEAD"
refused "$DEAD" signals 1 "$DEAD"
refused "$DEAD" oomscore "$DEAD"
refused "$DEAD" oomscore --json 1 "$DEAD"
refused 4000000 postmortem "$REC" --pid 4000000
refused 4000000 postmortem "$REC" --pid 4000000 --json

# a file (or directory) that is not there, for every command that reads one
for args in "lockfile $TMP/none" "imagecheck $TMP/none" "lint $TMP/none" \
	"lint --format=sarif $TMP/none" "postmortem $TMP/none" \
	"postmortem $REC --log $TMP/none" "postmortem $REC --timeline --log $TMP/none"; do
	# shellcheck disable=SC2086 # the words of args
	refused "$TMP/none" $args
done
# ... and the output file every command writes with -o (snapshot: its recording)
for cmd in doctor pid1check signals oomscore overcommit lockfile imagecheck lint postmortem snapshot; do
	case $cmd in
	imagecheck) extra=$top_srcdir/tests/fixtures/imagecheck/postgres-official.json ;;
	lint) extra=$top_srcdir/tests/fixtures/lint/dockerfiles/tini.Dockerfile ;;
	postmortem) extra=$REC ;;
	snapshot) extra="-n 1" ;;
	lockfile) extra=$TMP ;;
	*) extra= ;;
	esac
	# shellcheck disable=SC2086
	refused "$TMP/none/out" "$cmd" $extra -o "$TMP/none/out"
done

# a file of another kind
refused /etc/passwd lockfile /etc/passwd
refused /etc lockfile /etc
# a data directory without a lock file is one: OK, not refused
mkdir "$TMP/data"
echo 15 >"$TMP/data/PG_VERSION"
run_host lockfile --json "$TMP/data"
expect_rc 0
expect_jq .facts.verdict absent
refused /etc/passwd postmortem /etc/passwd
# a recording alone that gives nothing: one line, naming it and why
refused_alone "$TMP/none" postmortem "$TMP/none"
refused_alone /etc/passwd postmortem /etc/passwd
refused_alone /etc postmortem /etc
: >"$TMP/x.acct"
refused_alone "$TMP/x.acct" postmortem "$TMP/x.acct"
refused /etc/passwd postmortem "$REC" --log /etc/passwd
refused /etc/passwd postmortem "$REC" --timeline --log /etc/passwd
refused "$TMP/notes.txt" postmortem "$REC" --log "$TMP/notes.txt"
# a recording is JSON lines, but not jsonlog
cp "$REC" "$TMP/recording-as-log.jsonl"
refused "$TMP/recording-as-log.jsonl" postmortem "$REC" --log "$TMP/recording-as-log.jsonl"
# a PostgreSQL log in which no child died is a log: OK, not refused
printf '2026-11-23 06:40:01 UTC [1] LOG:  database system is ready to accept connections\n' >"$TMP/quiet.log"
run_host postmortem "$REC" --log "$TMP/quiet.log" --json
expect_rc 0
# lint and imagecheck: DBI600 at the file, exit 3, in text and JSON
for cmd in imagecheck lint; do
	run_host "$cmd" --json /etc/passwd
	expect_rc 3
	expect_jq '[.findings[] | .id + " " + .severity + " " + .file] | join(",")' "DBI600 unknown /etc/passwd"
	run_host "$cmd" --no-color /etc/passwd
	expect_rc 3
	printf '%s\n' "$OUT" | grep -qx "UNKNOWN DBI600 /etc/passwd" ||
		fail "$cmd: no heading naming /etc/passwd (and no :0:0): $OUT"
done

# a typo, and a bad value: the error, the most similar option for an
# unknown one, and one Try line in the quotes of every other message
CMDS=$("$DBPOD" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z0-9]*\) .*/\1/p')
[ "$(printf '%s\n' "$CMDS" | grep -c .)" -ge 10 ] || fail "commands read as '$CMDS'"
# usage_ok ARGS...: exit 3, one Try line, dbpod's, at the end
usage_ok() {
	run_host "$@"
	expect_rc 3
	[ "$(printf '%s\n' "$ERR" | grep -c '^Try ')" = 1 ] || fail "dbpod $*: not one Try line: $ERR"
	printf '%s\n' "$ERR" | tail -n 1 |
		grep -qxE "Try 'dbpod( [a-z0-9]+)? --help' for (more information|the list of commands)\." ||
		fail "dbpod $*: the Try line is not dbpod's: $ERR"
}
for cmd in $CMDS; do
	usage_ok "$cmd" --formt=json
	printf '%s\n' "$ERR" | grep -qx "dbpod $cmd: unrecognized option '--formt=json'" || fail "$cmd: $ERR"
	printf '%s\n' "$ERR" | grep -qx "The most similar option is" || fail "$cmd: no suggestion: $ERR"
	printf '%s\n' "$ERR" | grep -qx "	--format" || fail "$cmd: --format not suggested: $ERR"
	usage_ok "$cmd" --format=yaml
	usage_ok "$cmd" --no-colr --help
	printf '%s\n' "$ERR" | grep -qx "	--no-color" || fail "$cmd: --no-color not suggested: $ERR"
	# -f is --format everywhere (hadolint's spelling)
	run_host "$cmd" -f json --help
	expect_rc 0
done
usage_ok --formt=json doctor
printf '%s\n' "$ERR" | grep -qx "	--format" || fail "no suggestion before the command: $ERR"
usage_ok doctr
usage_ok
[ "$(printf '%s\n' "$ERR" | grep -c .)" = 2 ] || fail "a bare dbpod: not an error and a Try line: $ERR"
# a format another command writes: a usage error that lists every format
for args in "signals:signals -f sarif" "signals:signals -f svg" "pid1check:-f junit pid1check" \
	"snapshot:snapshot -f svg" "postmortem:postmortem $REC -f sarif"; do
	cmd=${args%%:*}
	args=${args#*:}
	# shellcheck disable=SC2086 # the words of args
	usage_ok $args
	printf '%s\n' "$ERR" | head -n 1 | grep -q "^dbpod $cmd: .*: use text, json, prometheus or oneline (dbpod lint: also sarif, junit, codequality, checkstyle; postmortem --timeline: svg)\$" ||
		fail "dbpod $args: not dbpod $cmd's usage error with every format: $ERR"
	[ "$(printf '%s\n' "$ERR" | grep -c .)" = 2 ] || fail "dbpod $args: not one error line: $ERR"
done
# postmortem's options that go with another: refused alike, when alone
for args in "--tree" "--check" "--grace 5" "--stop-signal INT" "--at -1s --grace 5" \
	"--pid 12 --log $TMP/none" "--timeline --tree"; do
	# shellcheck disable=SC2086 # the words of args
	usage_ok postmortem "$REC" $args
	[ "$(printf '%s\n' "$ERR" | grep -c .)" = 2 ] || fail "postmortem $args: not one error line: $ERR"
done
run_host -f json overcommit
expect_jq .command overcommit
echo "ok: every command exits 3 on an input it cannot judge, in one line naming it"
echo "ok: a typo gets the most similar option, and one Try line"
