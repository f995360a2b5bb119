#!/bin/bash
# Every man page renders as man(1) renders it, without a warning from
# groff (-ww: all of them), and without prose swallowed by a font macro:
# .RB A "B" C; or more words -- the words after C alternate fonts with
# their spaces dropped ("\(dq;orinputthatcouldnotberead"). dbpod(1)'s
# SEE ALSO names every command's page.
. "$(dirname "$0")/lib.sh"
need_cmd groff
set -e
MAN=$top_srcdir/man

n=0
for page in "$MAN"/*.1; do
	n=$((n + 1))
	warn=$(groff -man -Tutf8 -ww -z "$page" 2>&1) ||
		fail "$(basename "$page"): groff fails: $warn"
	[ -z "$warn" ] || fail "$(basename "$page"): groff warns: $warn"
	# a font-alternating macro whose words run on as prose: three plain
	# words in a row, none quoted, none punctuation
	bad=$(awk '/^\.(BR|RB|IR|RI|BI|IB)[ \t]/ {
		line = $0
		gsub(/"[^"]*"/, " \"\" ", line)
		n = split(line, w, /[ \t]+/)
		run = 0
		for (i = 2; i <= n; i++) {
			run = w[i] ~ /^[a-z]+$/ ? run + 1 : 0
			if (run >= 3) { printf "%d: %s\n", FNR, $0; break }
		}
	}' "$page")
	[ -z "$bad" ] || fail "$(basename "$page"): prose inside a font macro, its spaces lost: $bad"
done
[ "$n" -ge 11 ] || fail "only $n man pages read"

see_also=$(sed -n '/^\.SH SEE ALSO/,/^\.SH /p' "$MAN/dbpod.1" | sed 's/\\-/-/g')
for page in "$MAN"/dbpod-*.1; do
	name=$(basename "$page" .1)
	printf '%s\n' "$see_also" | grep -q "^\.BR $name (1)" ||
		fail "dbpod(1)'s SEE ALSO does not name $name(1)"
done
echo "ok: every man page renders without a warning; dbpod(1) names every command's page"
