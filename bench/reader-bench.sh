#!/bin/bash
# dbpod postmortem on a synthetic week (bench/recgen): a 477-process
# PostgreSQL sampled every second, ~1 GB of recording, read as it is
# written (plain), compressed whole with `gzip -1` (what logrotate or a
# DBA makes: one stream, read from its start) and, when bench/reccompress
# was built, compressed as `dbpod snapshot --compress` rotates it (gzip
# members per time block and an index: a query seeks). Prints the wall
# time, the CPU time (user and system: on a shared machine the wall time
# grows with the others' load, the CPU time much less) and the peak
# memory of each query on each form side by side;
# asserts nothing but that every file it times is there and that dbpod
# read it. Goals: --at, --pid and --log under 2 s and 100 MB on the plain
# week; on the compressed week --at under 0.2 s and --pid under 2 s.
#
#   DBPOD=./dbpod BENCH=./bench bench/reader-bench.sh
#   DAYS=7 NPROCS=477 CHANGES=14 FORMS="plain gzip" bench/reader-bench.sh
#
# FORMS is not GZIP: gzip(1) reads $GZIP as its own options.
set -u
: "${DBPOD:=./dbpod}" "${BENCH:=./bench}"
DAYS=${DAYS:-7}
NPROCS=${NPROCS:-477}
CHANGES=${CHANGES:-14}
FORMS=${FORMS:-plain gzip indexed}
TMP=$(mktemp -d /tmp/dbpod-rbench.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
unset GZIP

die() { echo "reader-bench: $*" >&2; exit 1; }
mb() { awk -v b="$1" 'BEGIN { printf "%.0f", b / 1000000 }'; }

"$BENCH/recgen" "$DAYS" "$NPROCS" "$CHANGES" >"$TMP/week.jsonl" 2>"$TMP/pg.log" ||
	die "bench/recgen failed"
size=$(stat -c %s "$TMP/week.jsonl")
echo "recording: $DAYS days, $NPROCS processes, $(mb "$size") MB ($size bytes)"
# the middle of the run, and a backend's PID; the log line is a PID no sample saw
mid=$(( $(head -1 "$TMP/week.jsonl" | sed 's/.*"started":\([0-9]*\).*/\1/') + DAYS * 43200 ))

forms=()
for f in $FORMS; do
	case $f in
	plain)
		cp "$TMP/week.jsonl" "$TMP/plain.jsonl" ;;
	gzip)
		gzip -1 -c "$TMP/week.jsonl" >"$TMP/gzip.jsonl.gz" || die "gzip failed" ;;
	indexed)
		if [ ! -x "$BENCH/reccompress" ]; then
			echo "indexed: bench/reccompress not built: left out"
			continue
		fi
		"$BENCH/reccompress" "$TMP/week.jsonl" "$TMP/indexed.jsonl.gz" ||
			die "bench/reccompress failed" ;;
	*)
		die "FORMS: unknown form '$f' (plain, gzip, indexed)" ;;
	esac
	forms+=("$f")
done
rm -f "$TMP/week.jsonl"
[ ${#forms[@]} -gt 0 ] || die "FORMS: nothing to time"
for f in "${forms[@]}"; do
	file=$(ls "$TMP/$f".jsonl* 2>/dev/null) && [ -s "$file" ] || die "$f: no file to time"
	echo "$f: $file, $(mb "$(stat -c %s "$file")") MB ($(stat -c %s "$file") bytes)"
done

printf '%-32s' "postmortem"
for f in "${forms[@]}"; do printf ' %9s %6s %7s' "$f s" "cpu s" "peak MB"; done
echo
for q in "--at @$mid" "--pid 77" "--pid 1" "--log $TMP/pg.log" \
	 "--timeline --around @$mid" ""; do
	label=${q//$TMP\//}
	printf '%-32s' "${label:-(summary)}"
	for f in "${forms[@]}"; do
		file=$(ls "$TMP/$f".jsonl*)
		# shellcheck disable=SC2086
		/usr/bin/time -f '%e %M %U %S' -o "$TMP/time" "$DBPOD" postmortem "$file" $q \
			>/dev/null 2>"$TMP/err"
		rc=$?
		# 0-3 are verdicts (--log of a PID no sample saw is UNKNOWN);
		# above 3 a crash; a file dbpod could not read is no figure
		if [ "$rc" -gt 3 ] || grep -qE "cannot read|not a dbpod recording" "$TMP/err"; then
			die "postmortem $file $q: exit $rc: $(head -c 300 "$TMP/err")"
		fi
		read -r secs kb usr sys < <(tail -n 1 "$TMP/time")	# after "exited with non-zero status"
		cpu=$(awk -v u="$usr" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
		printf ' %9s %6s %7.1f' "$secs" "$cpu" "$(awk -v k="$kb" 'BEGIN { print k / 1000 }')"
		echo "$f ${q:-summary} $secs $cpu" >>"$TMP/figures"
	done
	echo
done
# the compressed week's goals, read off the figures above
if grep -q '^indexed ' "$TMP/figures"; then
	at=$(awk '$1 == "indexed" && $2 == "--at" { print $4 }' "$TMP/figures")
	pid=$(awk '$1 == "indexed" && $2 == "--pid" { if ($4 > m) m = $4 } END { print m }' "$TMP/figures")
	pidcpu=$(awk '$1 == "indexed" && $2 == "--pid" { if ($5 > m) m = $5 } END { print m }' "$TMP/figures")
	awk -v at="$at" -v pid="$pid" -v pc="$pidcpu" -v la="$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN {
		printf "goal, indexed: --at %s s (under 0.2 s: %s), --pid %s s, %s s of CPU (under 2 s: %s); load average %s\n",
		       at, at < 0.2 ? "met" : "MISSED", pid, pc, pid < 2 ? "met" : "MISSED", la }'
fi
