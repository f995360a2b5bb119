#!/bin/bash
# Each command's --help against its man page's SYNOPSIS, both ways (as
# git's t0450-txt-doc-vs-help does): every option --help offers is in the
# SYNOPSIS (long or short form; the global ones in dbpod(1)'s), and every
# option the SYNOPSIS names is one --help offers. dbpod --help lists
# every command of the table in cmd/dbpod.c, each with its man page.
. "$(dirname "$0")/lib.sh"
set -e
MAN=$top_srcdir/man

# synopsis PAGE: the options its SYNOPSIS names, one a line ("--x", "-x")
synopsis() {
	sed -n '/^\.SH SYNOPSIS/,/^\.SH /p' "$1" | sed 's/\\-/-/g; s/\\f[BIRP]//g' |
		grep -oP -- '(?<![A-Za-z0-9_-])--?[a-zA-Z][a-z-]*' | sort -u
}
globals=$(synopsis "$MAN/dbpod.1")

# dbpod --help lists every command of cmd/dbpod.c's table and no other,
# and each has its man page: an empty or short list fails, not passes
table=$(sed -n '/^static const struct cmd commands\[\] = {/,/^};/s/^\t{ "\([a-z0-9]*\)", cmd_.*/\1/p' \
	"$top_srcdir/cmd/dbpod.c" | sort)
pages=$(cd "$MAN" && ls dbpod-*.1 | sed 's/^dbpod-//; s/\.1$//' | sort)
listed=$("$DBPOD" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z0-9]*\) .*/\1/p')
[ "$(printf '%s\n' "$table" | grep -c .)" -ge 10 ] ||
	fail "cmd/dbpod.c's command table read as '$table': not the ten commands"
[ "$(printf '%s\n' "$listed" | sort)" = "$table" ] ||
	fail "dbpod --help lists '$(echo $listed)', the command table holds '$(echo $table)'"
[ "$pages" = "$table" ] || fail "the man pages are for '$(echo $pages)', the commands are '$(echo $table)'"

bad=0
for cmd in $listed; do
	page=$MAN/dbpod-$cmd.1
	[ -f "$page" ] || fail "no man page for $cmd"
	syn=$(synopsis "$page")
	help=$("$DBPOD" "$cmd" --help)
	# --help -> SYNOPSIS
	while read -r short long; do
		case $long in --help|--usage|--version|"") continue ;; esac
		if ! printf '%s\n%s\n' "$syn" "$globals" | grep -qx -- "$long" &&
		   { [ -z "$short" ] || ! printf '%s\n' "$syn" | grep -qx -- "$short"; }; then
			echo "# $cmd: --help offers $long${short:+ ($short)}, its SYNOPSIS does not name it"
			bad=$((bad + 1))
		fi
	done < <(printf '%s\n' "$help" | sed -n 's/^ *\(-[a-zA-Z]\), \(--[a-z][a-z-]*\).*/\1 \2/p; s/^ *\(--[a-z][a-z-]*\).*/ \1/p')
	# SYNOPSIS -> --help
	for opt in $syn; do
		printf '%s\n' "$help" | grep -q -- "\(^\|[ ,]\)$opt\([=, ]\|\$\)" || {
			echo "# $cmd: its SYNOPSIS names $opt, --help does not offer it"
			bad=$((bad + 1))
		}
	done
done
[ "$bad" = 0 ] || fail "$bad mismatch(es) between --help and the SYNOPSIS"
# postmortem's forms, one a SYNOPSIS line: --pid and --at (with --tree,
# --check) are never given with --log, which the program refuses
# (013)
forms=$(sed -n '/^\.SH SYNOPSIS/,/^\.SH /p' "$MAN/dbpod-postmortem.1" | sed 's/\\-/-/g; s/\\f[BIRP]//g' |
	tr '\n' ' ' | sed 's/\.br/\n/g')
printf '%s\n' "$forms" | grep -- '--pid' | grep -q -- '--log' &&
	fail "dbpod-postmortem(1)'s SYNOPSIS gives --pid with --log: $forms"
# the oneline shape, the same in --help and dbpod(1): FILE[:LINE[:COLUMN]]
shape='FILE[:LINE[:COLUMN]] ID severity: message'
"$DBPOD" postmortem --help | tr -s ' \n' ' ' | grep -qF "$shape" || fail "--help does not give oneline as '$shape'"
sed 's/\\f[BIRP]//g' "$MAN/dbpod.1" | grep -qF "$shape" || fail "dbpod(1) does not give oneline as '$shape'"
echo "ok: every command's --help and SYNOPSIS name the same options"
