#!/bin/bash
# Each command's --help against its man page's SYNOPSIS, both ways (as
# git's t0450-txt-doc-vs-help does): every option --help offers is in the
# SYNOPSIS (long or short form; the global ones in dbpod(1)'s), and every
# option the SYNOPSIS names is one --help offers.
. "$(dirname "$0")/lib.sh"
set -e
MAN=$top_srcdir/man

# synopsis PAGE: the options its SYNOPSIS names, one a line ("--x", "-x")
synopsis() {
	sed -n '/^\.SH SYNOPSIS/,/^\.SH /p' "$1" | sed 's/\\-/-/g; s/\\f[BIRP]//g' |
		grep -oP -- '(?<![A-Za-z0-9_-])--?[a-zA-Z][a-z-]*' | sort -u
}
globals=$(synopsis "$MAN/dbpod.1")
bad=0
for cmd in $("$DBPOD" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z0-9]*\) .*/\1/p'); do
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
echo "ok: every command's --help and SYNOPSIS name the same options"
