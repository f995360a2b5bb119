#!/bin/bash
# The recorder's CPU per sample against the naive floor (bench/naive:
# open, read and close stat and cmdline and fstat each /proc/PID), in a
# PID namespace of its own with NPROCS processes, so that other work on
# the machine does not move its PID counter:
#   idle   -- no process is born: the recorder re-reads its held
#             descriptors and skips the walk of /proc;
#   churn  -- a process is born every 10 ms: every sample walks /proc.
# Best of ROUNDS interleaved rounds. Prints figures; asserts nothing.
#
#   DBPOD=./dbpod BENCH=./bench bench/recorder-bench.sh
#   NPROCS=2000 SAMPLES=200 ROUNDS=5 bench/recorder-bench.sh
set -u
: "${DBPOD:=./dbpod}" "${BENCH:=./bench}"
NPROCS=${NPROCS:-2000}
SAMPLES=${SAMPLES:-200}
ROUNDS=${ROUNDS:-5}
if [ "$(id -u)" != 0 ] || ! unshare -pf --mount-proc true 2>/dev/null; then
	echo "recorder-bench: needs root for a PID namespace: skipped"
	exit 0
fi
DBPOD=$(readlink -f "$DBPOD") BENCH=$(readlink -f "$BENCH") NPROCS=$NPROCS SAMPLES=$SAMPLES \
ROUNDS=$ROUNDS exec unshare -pf --mount-proc bash -c '
TMP=$(mktemp -d /tmp/dbpod-recbench.XXXXXX)
trap "rm -rf $TMP" EXIT
for _ in $(seq $((NPROCS - 2))); do sleep 100000 & done
sleep 1
cpu_per() {	# ms of CPU per sample of a command
	local n=$1
	shift
	/usr/bin/time -f "%U %S" -o "$TMP/time" "$@" >/dev/null 2>&1
	awk -v n="$n" "{ printf \"%.3f\", (\$1 + \$2) * 1000 / n }" "$TMP/time"
}
best() { sort -g | head -n 1; }
churn() { while :; do /bin/true; sleep 0.01; done; }
echo "processes in the namespace: $(ls -d /proc/[0-9]* | wc -l)"
for mode in idle churn; do
	[ "$mode" = churn ] && { churn & CH=$!; }
	: >"$TMP/floor"; : >"$TMP/rec"
	for _ in $(seq "$ROUNDS"); do
		"$BENCH/naive" "$SAMPLES" | awk "{ print \$1 }" >>"$TMP/floor"
		cpu_per "$SAMPLES" "$DBPOD" snapshot -o "$TMP/r.jsonl" -i 0.01 -n "$SAMPLES" >>"$TMP/rec"
		echo >>"$TMP/rec"
		rm -f "$TMP"/r.jsonl*
	done
	[ "$mode" = churn ] && kill "$CH"
	f=$(best <"$TMP/floor"); r=$(grep . "$TMP/rec" | best)
	awk -v m="$mode" -v f="$f" -v r="$r" "BEGIN { printf \"%-6s naive floor %7.2f ms, dbpod snapshot -o %7.2f ms: %.2fx the floor\n\", m, f, r, r / f }"
done
'
