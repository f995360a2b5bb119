#!/bin/bash
# -o FILE for every command and format: the whole output in place by a
# rename, whatever the status (the README's monitoring recipe, run as
# written, with WARNING and CRITICAL published); a command that does not
# finish leaves FILE as it was; never through a link.
. "$(dirname "$0")/lib.sh"
need_cmd jq
set -e
D=$TMP/out
mkdir -m 0755 "$D"

# the README's textfile recipe, as written, into $D
recipe=$(grep -m1 -- '--format=prometheus -o /var/lib/node_exporter/dbpod.prom' "$top_srcdir/README") ||
	fail "the README's textfile recipe is gone"
recipe=${recipe//\/var\/lib\/node_exporter/$D}
recipe=${recipe/dbpod /\"\$DBPOD\" }
set +e
eval "$recipe"
RC=$?
set -e
[ -s "$D/dbpod.prom" ] || fail "the recipe published nothing (exit $RC)"
grep -q "^dbpod_check_status{check=\"doctor\"} $RC\$" "$D/dbpod.prom" ||
	fail "the published status is not the exit status $RC: $(grep check_status "$D/dbpod.prom")"
[ "$(stat -c %a "$D/dbpod.prom")" = 644 ] || fail "the file is not mode 0644"
[ -z "$(find "$D" -name '*.tmp.*')" ] || fail "a temporary file was left: $(ls -a "$D")"
if command -v promtool >/dev/null; then
	promtool check metrics <"$D/dbpod.prom" || fail "promtool refuses the file"
fi

# every command that prints writes FILE instead, each format
for args in "pid1check --json" "signals --format=prometheus" "oomscore" \
	    "overcommit --json" "doctor --json"; do
	rm -f "$D/f"
	set +e
	# shellcheck disable=SC2086
	OUT=$("$DBPOD" $args -o "$D/f" 2>"$TMP/err"); RC=$?
	set -e
	[ "$RC" -le 3 ] || fail "$args -o: exit $RC: $(cat "$TMP/err")"
	[ -z "$OUT" ] || fail "$args -o printed to standard output: $OUT"
	[ -s "$D/f" ] || fail "$args -o wrote nothing"
	case $args in *--json*) jq -e . "$D/f" >/dev/null || fail "$args -o: not JSON" ;; esac
done
printf 'FROM debian\nCMD postgres\n' >"$TMP/Dockerfile"
set +e
"$DBPOD" lint --format=sarif -o "$D/lint.sarif" "$TMP/Dockerfile"; RC=$?
set -e
[ "$RC" -le 2 ] || fail "lint -o: exit $RC"
jq -e '.runs[0].results | length > 0' "$D/lint.sarif" >/dev/null || fail "lint -o: no SARIF results"

# a usage error leaves FILE as it was, and no temporary file
echo old >"$D/f"
set +e
"$DBPOD" pid1check --bogus -o "$D/f" 2>/dev/null; RC=$?
set -e
[ "$RC" = 3 ] || fail "a usage error exited $RC"
[ "$(cat "$D/f")" = old ] || fail "a usage error replaced FILE"
[ -z "$(find "$D" -name '*.tmp.*')" ] || fail "a temporary file was left: $(ls -a "$D")"

# a link at FILE is replaced, never written through
echo secret >"$TMP/target"
ln -s "$TMP/target" "$D/link"
set +e
"$DBPOD" pid1check --json -o "$D/link" 2>"$TMP/err"; RC=$?
set -e
[ "$(cat "$TMP/target")" = secret ] || fail "-o wrote through a link"

# snapshot's -o is its recording: dbpod's -o before it is refused
set +e
"$DBPOD" -o "$D/g" snapshot -n 1 >/dev/null 2>"$TMP/err"; RC=$?
set -e
[ "$RC" = 3 ] || fail "'dbpod -o FILE snapshot' exited $RC"
[ ! -e "$D/g" ] || fail "'dbpod -o FILE snapshot' wrote FILE"
echo "ok: -o writes every command's output as a whole, whatever the status"
