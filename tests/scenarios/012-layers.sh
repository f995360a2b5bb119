#!/bin/bash
# The map of lib/ (lib/README): a core and three subsystems, each in its
# folder, and within them the layers read -> model -> rules -> render.
#   - the core (lib/*.[ch]) includes only the core; a subsystem (lint/,
#     rec/, node/) includes the core and itself, never another subsystem;
#   - a rule set includes, directly or through other headers, no reader
#     and no renderer; a reader adds no finding, and only the rule sets do;
#   - no reader, parser or model reaches a rules_*.h: only the rule sets
#     and the renderers include one;
#   - the includes between lib/'s modules have no cycle;
#   - lib/ includes nothing of cmd/, never prints and never exits;
#   - every source file of lib/ is in its folder's Makemodule.am and on
#     lib/README's map.
. "$(dirname "$0")/lib.sh"
set -e
LIB=$top_srcdir/lib
SUBSYSTEMS="lint rec node"

# The headers of the readers (files, /proc, the environment, a recording
# stream, the recorder's writer) and of the renderers, as paths under
# lib/. A new reader or renderer joins its list; a header that mixes a
# model with its reader is split first (cgroup.h and cgroupread.h).
READERS="procread.h procenv.h procstatus.h lockread.h slurp.h safeopen.h
	stopread.h cgroupread.h meminforead.h path.h pglogread.h
	lint/lintread.h
	rec/sampler.h rec/recstream.h rec/recwrite.h rec/recread.h rec/recgz.h
	rec/acctread.h
	node/noderead.h node/boltread.h node/runtimeread.h node/containermeta.h
	node/containerdmeta.h node/runtimelogread.h"
RENDERERS="render.h metrics.h lint/render_ci.h rec/render_svg.h"

# every .c and .h of lib/, as paths under lib/
sources() {
	(cd "$LIB" && ls ./*.[ch] ./*/*.[ch]) | sed 's|^\./||' |
		grep -v '^lint/finding_docs\.c$'
}

# includes FILE (a path under lib/): the lib headers FILE includes, as
# paths under lib/ -- a "..." include is looked up beside FILE first,
# then in lib/, as the compiler does
includes() {
	local dir h
	dir=$(dirname "$1")
	sed -n 's/^#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$LIB/$1" |
		while read -r h; do
			if [ "$dir" != . ] && [ -f "$LIB/$dir/$h" ]; then
				echo "$dir/$h"
			elif [ -f "$LIB/$h" ]; then
				echo "$h"
			fi
		done
	return 0
}

# part FILE: the folder a path under lib/ lives in (core for lib/ itself)
part() {
	case $1 in */*) echo "${1%%/*}" ;; *) echo core ;; esac
}

# closure FILE: every lib header FILE reaches, with the path to it
closure() {
	local seen=" " queue h next
	queue=$(includes "$1" | sed "s|\$| $1|")
	while [ -n "$queue" ]; do
		read -r h via <<<"$(printf '%s\n' "$queue" | head -n 1)"
		queue=$(printf '%s\n' "$queue" | tail -n +2)
		[ -n "$h" ] || continue
		case $seen in *" $h "*) continue ;; esac
		seen="$seen$h "
		echo "$h $via"
		for next in $(includes "$h"); do
			queue=$(printf '%s\n%s' "$queue" "$next $via>$h")
		done
	done
}

bad=0
ALL=$(sources)

# which part may include which: the core only itself, a subsystem the
# core and itself
for f in $ALL; do
	from=$(part "$f")
	for h in $(includes "$f"); do
		to=$(part "$h")
		[ "$to" = core ] && continue
		[ "$to" = "$from" ] && continue
		echo "lib/$f includes lib/$h: $from/ may include the core$([ "$from" = core ] || echo " and $from/"), not $to/"
		bad=1
	done
done

# a rule set reaches no reader and no renderer
for f in $(printf '%s\n' $ALL | grep -E '(^|/)rules_[a-z_]*\.[ch]$'); do
	while read -r h via; do
		for x in $READERS $RENDERERS; do
			[ "$h" = "$x" ] || continue
			echo "lib/$f reaches $h (through $via): a rule set reads no file and renders nothing"
			bad=1
		done
	done < <(closure "$f")
done

# a rule set is read by the renderers (and cmd/) alone: no reader, parser
# or model reaches a rules_*.h, directly or through a header. A struct
# that a reader fills and the rules judge lives in a model header
# (lockfile.h, stopinput.h, qos.h), and what a reader needs worked out
# from the table is the model's (dbp_chain_service), not a rule set's.
for f in $ALL; do
	case $(basename "$f") in rules_*) continue ;; esac
	rendering=0
	for x in $RENDERERS; do
		[ "${f%.[ch]}.h" = "$x" ] && rendering=1
	done
	[ "$rendering" = 0 ] || continue
	while read -r h via; do
		case $(basename "$h") in rules_*.h) ;; *) continue ;; esac
		what="lib/$f"
		for x in $READERS; do
			[ "${f%.[ch]}.h" = "$x" ] && what="reader lib/$f"
		done
		echo "$what reaches $h (through $via): only the rule sets and the renderers include a rule set"
		bad=1
	done < <(closure "$f")
done

# includes run one way: no module of lib/ (a .c and its .h) reaches back
# to one that includes it -- a cycle (a table whose sort calls classify,
# which reads the table) makes two modules one that nobody can read alone
loop=$(for f in $ALL; do
	for h in $(includes "$f"); do
		[ "${h%.[ch]}" = "${f%.[ch]}" ] || echo "${h%.[ch]} ${f%.[ch]}"
	done
done | tsort 2>&1 >/dev/null) || {
	echo "lib/'s includes run in a cycle through these modules:"
	printf '%s\n' "$loop" | sed -n 's/^tsort: \([^ ]*\)$/  lib\/\1/p'
	bad=1
}

# the lists above name real headers (a moved file moves in them too)
for x in $READERS $RENDERERS; do
	[ -f "$LIB/$x" ] || { echo "012's lists name lib/$x, which does not exist"; bad=1; }
done

# lib/ is below cmd/: it includes none of its headers
for h in "$top_srcdir"/cmd/*.h "$top_srcdir"/cmd/*/*.h; do
	name=$(basename "$h")
	dir=$(basename "$(dirname "$h")")
	for f in $ALL; do
		if grep -qE "^#[[:space:]]*include[[:space:]]*\"($dir/)?$name\"" "$LIB/$f"; then
			echo "lib/$f includes cmd's $name"
			bad=1
		fi
	done
done

# readers decide no severity
for h in $READERS; do
	c=$LIB/${h%.h}.c
	[ -f "$c" ] || continue
	if grep -n 'dbp_report_add' "$c"; then
		echo "reader lib/${h%.h}.c adds a finding"
		bad=1
	fi
done

# the rule sets own every finding: nothing else in lib/ adds one (the
# report itself aside)
for f in $ALL; do
	case $f in *.c) ;; *) continue ;; esac
	case $(basename "$f") in rules_*.c | report.c) continue ;; esac
	if grep -n 'dbp_report_add' "$LIB/$f"; then
		echo "lib/$f adds a finding outside the rule sets"
		bad=1
	fi
done

# lib/ never prints and never exits (renderers write to the stream they
# are given)
if (cd "$LIB" && grep -nE '\b(printf|puts|perror|exit|_exit|abort|errx?|warnx?)[[:space:]]*\(|\bstd(out|err)\b' \
	$(printf '%s\n' $ALL | grep '\.c$')) | grep -vE '^[^:]*:[0-9]+:[[:space:]]*(/?\*|//)'; then
	echo "lib/ prints or exits (above)"
	bad=1
fi

# the names on lib/README's map: in "The map", a line indented two spaces
# begins with the names it describes (up to two spaces or its end)
MAPPED=$(sed -n '/^The map$/,/^The layers$/p' "$LIB/README" |
	sed -n 's/^  \([a-z_][a-z_0-9, ]*\).*/\1/p' | sed 's/  .*//' | tr ',' ' ')

# each file is built from its own folder's Makemodule.am, and is on the map
for f in $ALL; do
	p=$(part "$f")
	mk=$LIB/Makemodule.am
	[ "$p" = core ] || mk=$LIB/$p/Makemodule.am
	grep -qw "lib/$f" "$mk" || { echo "lib/$f is not in $(basename "$(dirname "$mk")")/Makemodule.am"; bad=1; }
	n=$(basename "$f")
	printf '%s\n' $MAPPED | grep -qx "${n%.[ch]}" || { echo "lib/$f is not on lib/README's map"; bad=1; }
done
for d in "$LIB"/*/; do
	d=$(basename "$d")
	case " $SUBSYSTEMS " in *" $d "*) ;; *) echo "lib/$d/ is a folder 012 and lib/README do not know"; bad=1 ;; esac
done

[ "$bad" = 0 ] || fail "the map of lib/ is crossed"
echo "ok: lib/'s map and layers ($(printf '%s\n' $ALL | wc -l) files)"
