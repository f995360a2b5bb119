#!/bin/bash
# The command-line contract: dispatch, exit codes of usage errors, global
# options on either side of the command, --help against the man pages,
# every finding id documented, the JSON and Prometheus shapes.
. "$(dirname "$0")/lib.sh"
need_cmd jq
set -e
MAN=$top_srcdir/man

run_host
expect_rc 3
# a usage error as every other: the error's line, then the Try line
[ "$ERR" = "dbpod: no command given
Try 'dbpod --help' for the list of commands." ] || fail "a bare dbpod: not an error and a Try line: $ERR"

run_host nosuchcommand
expect_rc 3
printf '%s' "$ERR" | grep -q "'nosuchcommand' is not a dbpod command" || fail "bad message: $ERR"
printf '%s' "$ERR" | grep -q "most similar" && fail "a suggestion for nosuchcommand: $ERR"
# a typo gets the command it most likely meant, as git does
for typo in doctr:doctor sigansl:signals lokfile:lockfile post:postmortem; do
	run_host "${typo%%:*}"
	expect_rc 3
	printf '%s' "$ERR" | grep -q "The most similar command is" ||
		fail "no suggestion for ${typo%%:*}: $ERR"
	printf '%s\n' "$ERR" | grep -qx "	${typo#*:}" || fail "${typo%%:*} did not suggest ${typo#*:}: $ERR"
done

run_host --version
expect_rc 0
version=$(sed -n 's/^AC_INIT(\[dbpod\], \[\([^]]*\)\].*/\1/p' "$top_srcdir/configure.ac")
expect_out "^dbpod $version\$"
grep -q "^\.TH .*dbpod $version" "$MAN/dbpod.1" || fail "man/dbpod.1 does not carry version $version"

run_host --help
expect_rc 0
expect_out '^  pid1check '
# every command's line is whole: argp wraps at 79 columns, and a summary
# longer than that left its last word at column 0 ("database")
bad=$(printf '%s\n' "$OUT" | sed -n '/^Commands:/,/^$/p' | sed '1d;$d' | grep -v '^  [a-z0-9]* ') &&
	fail "a command's line of --help is wrapped: '$bad'"

run_host help pid1check
expect_rc 0
expect_out 'Usage: dbpod pid1check'
expect_out '--stop-signal=SIG'

run_host pid1check --bogus
expect_rc 3
run_host pid1check --stop-signal=SIGFOO
expect_rc 3
printf '%s' "$ERR" | grep -q "unknown signal 'SIGFOO'" || fail "bad message: $ERR"
run_host --format=yaml pid1check
expect_rc 3
run_host pid1check extra-arg
expect_rc 3

# every command: each long option of --help is in its man page (global
# ones in dbpod.1), and every finding id of its rules is documented
for cmd in $("$DBPOD" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z0-9]*\) .*/\1/p'); do
	page=$MAN/dbpod-$cmd.1
	[ -f "$page" ] || fail "no man page for $cmd"
	grep -q "dbpod\\\\-$cmd\|dbpod-$cmd" "$MAN/dbpod.1" || fail "dbpod.1 does not list $cmd"
	for opt in $("$DBPOD" "$cmd" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
		case $opt in --help|--usage|--version) continue ;; esac
		esc=$(printf '%s' "$opt" | sed 's/-/\\\\-/g')
		grep -q -- "$esc\|$opt" "$page" "$MAN/dbpod.1" || fail "$opt of $cmd is not in its man page"
	done
done
for id in $(grep -oh 'DB[A-Z][0-9][0-9][0-9]' "$top_srcdir"/lib/rules_*.c | sort -u); do
	grep -q "$id" "$MAN"/dbpod-*.1 || fail "finding $id is not documented in any man page"
done

# a check that fails without saying why (out of memory before its first
# finding; DBPOD_TEST_FAIL_CHECK makes it fail so) is UNKNOWN, never OK
DBPOD_TEST_FAIL_CHECK=pid1check run_host pid1check --json
expect_rc 3
expect_jq '.status' unknown
expect_jq '.findings[0].id' DBP100
expect_jq '.findings[0].message | test("^dbpod pid1check stopped before it was done: ")' true
DBPOD_TEST_FAIL_CHECK=overcommit,oomscore run_host doctor --json
expect_jq '.facts.checks[] | select(.command == "overcommit") | .findings[-1].id' DBC400
expect_jq '.facts.checks[] | select(.command == "oomscore") | .status' unknown
expect_jq '[.findings[] | select(.id == "DBO300" and .severity == "unknown")] | length' 1
[ "$RC" -ge 1 ] || fail "doctor with a failed check exits $RC"
for cmd in signals oomscore overcommit lockfile; do
	DBPOD_TEST_FAIL_CHECK=$cmd run_host "$cmd"
	expect_rc 3
	expect_out "^UNKNOWN DB"
done

# global options after the command, JSON shape (on this machine, whatever
# PID 1 is: the status is whatever it is, the shape is fixed)
run_host pid1check --json --no-color
[ "$RC" -le 3 ] || fail "exit $RC"
expect_jq '.dbpod' "$version"
expect_jq '.command' pid1check
expect_jq '.status | test("^(ok|warning|critical|unknown)$")' true
expect_jq '[.findings[] | has("id") and has("severity") and has("pid") and has("message") and has("advice")] | all' true
expect_jq '.facts | has("pid1") and has("chain") and has("stop_signal")' true
status=$(printf '%s' "$OUT" | jq -r .status)
case $status in ok) want=0 ;; warning) want=1 ;; critical) want=2 ;; *) want=3 ;; esac
expect_rc "$want"

# --format=oneline: a line per finding, hadolint's shape, in every
# command that renders findings
FX=$top_srcdir/tests/fixtures
run_host lint -f oneline "$FX/lint/dockerfiles/shell-form.Dockerfile" /etc/passwd
expect_rc 3
expect_out "^$FX/lint/dockerfiles/shell-form.Dockerfile:5:1 DBI601 critical: "
expect_out "^/etc/passwd DBI600 unknown: /etc/passwd cannot be judged"
printf '%s\n' "$OUT" | grep -qvE '^[^ ]+ DB[A-Z][0-9]{3} (critical|warning|info|unknown): ' &&
	fail "a line that is not a finding: $OUT"
run_host imagecheck --format=oneline "$FX/imagecheck/shell-form.json"
expect_out "^pid:1 DBI6[0-9][0-9] \|^imagecheck DBI6[0-9][0-9] \|^$FX/imagecheck/shell-form.json"
for cmd in doctor pid1check signals oomscore overcommit; do
	run_host "$cmd" --format=oneline
	[ "$RC" -le 3 ] || fail "$cmd: exit $RC"
	printf '%s\n' "$OUT" | grep -vE '^(pid:[0-9]+|'"$cmd"') DB[A-Z][0-9]{3} (critical|warning|info|unknown): ' | grep -q . &&
		fail "$cmd: a line that is not a finding: $OUT"
	[ "$RC" = 0 ] || [ -n "$OUT" ] || fail "$cmd: exit $RC and no finding"
done

run_host --format=prometheus pid1check
expect_out '^# TYPE dbpod_check_status gauge$'
expect_out '^dbpod_check_status{check="pid1check"} [0-3]$'
echo "ok: command-line contract"
