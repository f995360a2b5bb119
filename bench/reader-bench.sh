#!/bin/bash
# dbpod postmortem on a synthetic week (bench/recgen): a 477-process
# PostgreSQL sampled every second, ~1 GB of recording. Prints the wall
# time and the peak memory of each query; asserts nothing. Goal (issue
# 17): --at, --pid and --log under 2 s and 100 MB.
#
#   DBPOD=./dbpod BENCH=./bench bench/reader-bench.sh
#   DAYS=7 NPROCS=477 CHANGES=14 GZIP=1 bench/reader-bench.sh
set -u
: "${DBPOD:=./dbpod}" "${BENCH:=./bench}"
DAYS=${DAYS:-7}
NPROCS=${NPROCS:-477}
CHANGES=${CHANGES:-14}
GZIP=${GZIP:-0}
TMP=$(mktemp -d /tmp/dbpod-rbench.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

"$BENCH/recgen" "$DAYS" "$NPROCS" "$CHANGES" >"$TMP/week.jsonl" 2>"$TMP/pg.log"
size=$(stat -c %s "$TMP/week.jsonl")
echo "recording: $DAYS days, $NPROCS processes, $((size / 1000000)) MB"
# the middle of the run, and a backend's PID; the log line is a PID no sample saw
mid=$(( $(head -1 "$TMP/week.jsonl" | sed 's/.*"started":\([0-9]*\).*/\1/') + DAYS * 43200 ))
files=("$TMP/week.jsonl")
if [ "$GZIP" = 1 ]; then
	gzip -1 "$TMP/week.jsonl"
	files=("$TMP/week.jsonl.gz")
	echo "gzip -1: $(( $(stat -c %s "$TMP/week.jsonl.gz") / 1000000 )) MB"
fi
printf '%-40s %8s %10s\n' "postmortem" "s" "peak MB"
for q in "--at @$mid" "--pid 77" "--pid 1" "--log $TMP/pg.log" \
	 "--timeline --around @$mid" ""; do
	# shellcheck disable=SC2086
	/usr/bin/time -f '%e %M' -o "$TMP/time" "$DBPOD" postmortem "${files[@]}" $q >/dev/null 2>&1
	read -r secs kb < <(tail -n 1 "$TMP/time")	# after "exited with non-zero status"
	printf '%-40s %8s %10.1f\n' "${q:-(summary)}" "$secs" "$(awk -v k="$kb" 'BEGIN { print k / 1000 }')"
done
