#!/bin/bash
# The layers of lib/ (lib/README): data flows read -> model -> rules ->
# render. A rule set includes, directly or through other headers, no
# reader and no renderer; lib/ includes nothing of cmd/; a reader adds no
# finding; lib/ never prints or exits.
. "$(dirname "$0")/lib.sh"
set -e
LIB=$top_srcdir/lib

# The headers of the readers (files, /proc, the environment, a recording
# stream, the recorder's writer) and of the renderers. A new reader or
# renderer joins its list; a header that mixes a model with its reader is
# split first (cgroup.h and cgroupread.h).
READERS="procread.h procenv.h procstatus.h lockread.h lintread.h slurp.h
	safeopen.h stopread.h cgroupread.h meminforead.h noderead.h path.h
	sampler.h recstream.h recwrite.h recread.h recgz.h pglogread.h acctread.h
	boltread.h runtimeread.h containermeta.h containerdmeta.h"
RENDERERS="render.h render_ci.h render_svg.h metrics.h"

# includes FILE: the "..." headers FILE includes that live in lib/
includes() {
	sed -n 's/^#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$1" |
		while read -r h; do [ -f "$LIB/$h" ] && echo "$h"; done
	return 0
}

# closure FILE: every lib header FILE reaches, with the path to it
closure() {
	local seen=" " queue h next
	queue=$(includes "$1" | sed "s|\$| $(basename "$1")|")
	while [ -n "$queue" ]; do
		read -r h via <<<"$(printf '%s\n' "$queue" | head -n 1)"
		queue=$(printf '%s\n' "$queue" | tail -n +2)
		[ -n "$h" ] || continue
		case $seen in *" $h "*) continue ;; esac
		seen="$seen$h "
		echo "$h $via"
		for next in $(includes "$LIB/$h"); do
			queue=$(printf '%s\n%s' "$queue" "$next $via>$h")
		done
	done
}

bad=0
for f in "$LIB"/rules_*.c "$LIB"/rules_*.h; do
	while read -r h via; do
		for x in $READERS $RENDERERS; do
			[ "$h" = "$x" ] || continue
			echo "$(basename "$f") reaches $h (through $via): a rule set reads no file and renders nothing"
			bad=1
		done
	done < <(closure "$f")
done

# lib/ is below cmd/: it includes none of its headers
for h in "$top_srcdir"/cmd/*.h; do
	name=$(basename "$h")
	if grep -ln "^#[[:space:]]*include[[:space:]]*\"$name\"" "$LIB"/*.[ch]; then
		echo "lib/ includes cmd/$name"
		bad=1
	fi
done

# readers decide no severity
for h in $READERS; do
	c=$LIB/${h%.h}.c
	[ -f "$c" ] || continue
	if grep -n 'dbp_report_add' "$c"; then
		echo "reader $(basename "$c") adds a finding"
		bad=1
	fi
done

# the rule sets own every finding: nothing else in lib/ adds one (the
# report itself aside)
for c in "$LIB"/*.c; do
	case $(basename "$c") in rules_*.c | report.c) continue ;; esac
	if grep -n 'dbp_report_add' "$c"; then
		echo "$(basename "$c") adds a finding outside the rule sets"
		bad=1
	fi
done

# lib/ never prints and never exits (renderers write to the stream they
# are given)
if grep -nE '\b(printf|puts|perror|exit|_exit|abort|errx?|warnx?)[[:space:]]*\(|\bstd(out|err)\b' \
	"$LIB"/*.c | grep -vE '^[^:]*:[0-9]+:[[:space:]]*(/?\*|//)'; then
	echo "lib/ prints or exits (above)"
	bad=1
fi

[ "$bad" = 0 ] || fail "the layers of lib/ are crossed"
echo "ok: lib/'s layers"
