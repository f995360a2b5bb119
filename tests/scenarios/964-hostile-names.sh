#!/bin/bash
# File names as an attacker picks them: ESC sequences that retitle the
# terminal, BEL, a newline followed by a fake finding, a C1 control, a
# bidi override, bytes that are not UTF-8. lint's text heading
# `SEVERITY ID FILE:LINE:COL` printed the name raw; now no format carries
# a raw control byte, the fake finding stays inside its line, and the
# messages on stderr that name a path (lint, imagecheck, postmortem, an
# unknown command) are escaped too.
. "$(dirname "$0")/lib.sh"
need_cmd jq python3
set -e
cd "$TMP"

# clean KIND FILE: FILE holds no byte that acts on a terminal (text) or
# parses (json, xml)
cat >check.py <<'PY'
import json, sys, xml.dom.minidom
kind, path = sys.argv[1], sys.argv[2]
data = open(path, "rb").read()
# a bidi override only reorders what a terminal shows: text escapes it,
# JSON and XML may carry it as the character it is
raw = (b"\x1b", b"\x07", b"\x9b", b"\xc2\x9b", b"\xff") + ((b"\xe2\x80\xae",) if kind == "text" else ())
for b in raw:
    if b in data:
        sys.exit("%s: raw %r in the output" % (path, b))
text = data.decode("utf-8")
if kind == "text":
    for line in text.splitlines():
        if line.startswith("CRITICAL DBX999"):
            sys.exit("the name drew a line of its own: %r" % line)
elif kind == "json":
    json.loads(text)
elif kind == "xml":
    xml.dom.minidom.parseString(data)
PY
clean() { python3 check.py "$1" "$2" || fail "$3"; }

NAME=$'evil\e]0;owned\a\nCRITICAL DBX999 fake.yaml:1:1\xc2\x9b2J\xe2\x80\xae\xff.yaml'
printf 'services:\n  db:\n    image: postgres\n' >"$NAME"
for fmt in text json sarif junit codequality checkstyle; do
	set +e
	"$DBPOD" lint --no-color --format="$fmt" "$NAME" >"out.$fmt" 2>err
	RC=$?
	set -e
	[ "$RC" = 1 ] || [ "$RC" = 2 ] || fail "--format=$fmt: exit $RC: $(cat err)"
	case $fmt in
	text) kind=text ;;
	junit|checkstyle) kind=xml ;;
	*) kind=json ;;
	esac
	clean "$kind" "out.$fmt" "--format=$fmt"
	note "--format=$fmt: the name is escaped"
done
grep -qF ' DBI603 evil\e]0;owned\a\nCRITICAL DBX999 fake.yaml:1:1\u009b2J\u202e\xff.yaml:2:3' out.text ||
	fail "the heading: $(grep DBI603 out.text)"
# JSON keeps the name's bytes (surrogateescape for the one that is not UTF-8)
python3 - "$NAME" <<'PY' || fail "JSON lost the name's bytes"
import json, os, sys
name = os.fsencode(sys.argv[1])
doc = json.load(open("out.json"))
assert doc["findings"][0]["file"].encode("utf-8", "surrogateescape") == name
PY

# stderr: every message that names a path
run_host lint --config="$NAME.cfg" "$NAME"
expect_rc 3
printf '%s' "$ERR" >err.lint
run_host imagecheck "$NAME.json"
expect_rc 3
printf '%s' "$ERR" >err.imagecheck
run_host postmortem --json "$NAME.jsonl"
expect_rc 3
printf '%s' "$ERR" >err.postmortem
# a recording's notes name it, as the log's error does
cp "$top_srcdir/tests/fixtures/postmortem/torn.jsonl" "$NAME.jsonl"
run_host postmortem --json --log="$NAME.log" "$NAME.jsonl"
expect_rc 3
printf '%s' "$ERR" >err.log
run_host "$NAME"
expect_rc 3
printf '%s' "$ERR" >err.command
for e in lint imagecheck postmortem log command; do
	[ -s "err.$e" ] || fail "$e said nothing on stderr"
	clean text "err.$e" "stderr of $e"
	grep -qF 'evil\e]0;owned\a\n' "err.$e" || fail "$e: $(cat "err.$e")"
	# every line is a message of dbpod's (or its Try line after a usage
	# error): none begins inside a name
	! grep -v -e '^dbpod: ' -e "^Try 'dbpod --help' for the list of commands\.\$" "err.$e" ||
		fail "$e: the name broke a line"
	note "stderr of $e: the name is escaped"
done
echo "ok: hostile names"
