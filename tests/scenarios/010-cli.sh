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
for id in $(grep -oh 'DB[A-Z][0-9][0-9][0-9]' "$top_srcdir"/lib/rules_*.c "$top_srcdir"/lib/*/rules_*.c | sort -u); do
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
# a finding about no process has no process series (no pid="0"), as
# dbpod(1) says
OC=$top_srcdir/tests/fixtures/overcommit/ratio-changed
run_host --root="$OC" overcommit --profile=postgres --format=prometheus
expect_out '^dbpod_finding{check="overcommit",id="DBC40[0-9]",'
printf '%s\n' "$OUT" | grep -q '^dbpod_finding_process_info' && fail "a process series for no process: $OUT"
grep -q 'pid="0"' "$MAN/dbpod.1" && fail "dbpod(1) names a pid=\"0\" series dbpod never writes"
# --ignore: lint refuses an id none of its rules reports, the others
# take any; repeated options add up -- as dbpod(1) says
run_host lint --ignore=DBX999 "$top_srcdir/tests/fixtures/lint/dockerfiles/tini.Dockerfile"
expect_rc 3
run_host --root="$OC" overcommit --profile=postgres --ignore=DBX999 --format=oneline
[ "$RC" != 3 ] || fail "overcommit --ignore=DBX999: exit 3: $ERR"
ids=$(printf '%s\n' "$OUT" | awk '{print $2}' | paste -sd, -)
[ -n "$ids" ] || fail "overcommit on $OC: no finding"
# shellcheck disable=SC2046,SC2086 # one --ignore per id
run_host --root="$OC" overcommit --profile=postgres $(printf -- '--ignore=%s ' ${ids//,/ }) --format=oneline
expect_rc 0
[ -z "$OUT" ] || fail "repeated --ignore did not add up ($ids): $OUT"
grep -q 'has no effect' "$MAN/dbpod.1" && ! grep -q 'refuses an id' "$MAN/dbpod.1" &&
	fail "dbpod(1) says an unknown --ignore id has no effect, lint refuses it"
grep -q 'only the last list counts' "$MAN/dbpod.1" && fail "dbpod(1): repeated --ignore options add up"
# snapshot: --format for what it prints without -o, the other commands'
# formats refused, as dbpod-snapshot(1) says
run_host snapshot -n 1 --format=oneline
expect_rc 0
printf '%s\n' "$OUT" | head -n 1 | grep -q '^[0-9][0-9]:[0-9][0-9]:[0-9][0-9] ' || fail "snapshot oneline: $OUT"
run_host snapshot -n 1 --json
expect_rc 0
printf '%s\n' "$OUT" | head -n 1 | jq -e '.k == "key"' >/dev/null || fail "snapshot --json: $OUT"
run_host snapshot -n 1 --format=svg
expect_rc 3
grep -q 'does not apply to this command' "$MAN/dbpod-snapshot.1" && fail "dbpod-snapshot(1): --format does apply"
# postmortem --check judges with signals' rules: dbpod-postmortem(1)
# names their whole range
last=$(grep -o 'DBS2[0-9][0-9]' "$MAN/dbpod-signals.1" | sort -u | tail -n 1)
grep -q "DBS200 to $last)" "$MAN/dbpod-postmortem.1" ||
	fail "dbpod-postmortem(1) --check: not DBS200 to $last, the range of dbpod-signals(1)"
echo "ok: command-line contract"
