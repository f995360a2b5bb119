#!/bin/bash
# The node recorder (snapshot --all-containers) against the recorder of
# one namespace (snapshot -o) and ps, over the same processes: NPROCS
# processes in NNS PID namespaces, all below one outer PID namespace in
# which the three run, as on a node (the outer one keeps the rest of the
# machine from moving its PID counter). CPU per sample, best of ROUNDS
# interleaved rounds:
#   idle   -- no process is born: both recorders re-read held
#             descriptors and skip the walk of /proc;
#   churn  -- a process is born every 10 ms in a namespace of its own:
#             every sample walks /proc, and the node recorder reads the
#             namespace of each new process.
# Also the size of a key and the recorders' peak memory. Prints figures;
# asserts nothing.
#
#   DBPOD=./dbpod bench/node-bench.sh
#   NPROCS=2000 NNS=20 SAMPLES=200 ROUNDS=5 bench/node-bench.sh
set -u
: "${DBPOD:=./dbpod}"
NPROCS=${NPROCS:-2000}
NNS=${NNS:-20}
SAMPLES=${SAMPLES:-200}
PS_SAMPLES=${PS_SAMPLES:-20}
ROUNDS=${ROUNDS:-5}
if [ "$(id -u)" != 0 ] || ! unshare -pf --mount-proc true 2>/dev/null; then
	echo "node-bench: needs root for PID namespaces: skipped"
	exit 0
fi
DBPOD=$(readlink -f "$DBPOD") NPROCS=$NPROCS NNS=$NNS SAMPLES=$SAMPLES PS_SAMPLES=$PS_SAMPLES \
ROUNDS=$ROUNDS exec unshare -pf --mount-proc bash -c '
TMP=$(mktemp -d /tmp/dbpod-nodebench.XXXXXX)
trap "rm -rf $TMP" EXIT
per=$((NPROCS / NNS))
# each namespace: sleep as PID 1 (the shell execs it), per - 1 sleeps
for _ in $(seq "$NNS"); do
	unshare -pf --mount-proc sh -c "for i in \$(seq $((per - 1))); do sleep 100000 & done; exec sleep 100000" &
done
for _ in $(seq 600); do
	[ "$(pgrep -c -x sleep)" -ge "$NPROCS" ] && break
	sleep 0.1
done
nns=$(for p in /proc/[0-9]*; do stat -L -c %i "$p/ns/pid" 2>/dev/null; done | sort -u | wc -l)
echo "processes: $(ls -d /proc/[0-9]* | wc -l), in $nns PID namespaces (the recorders and $((nns - 1)) below)"
cpu_per() {	# ms of CPU per sample of a command, and its peak RSS in kB
	local n=$1
	shift
	/usr/bin/time -f "%U %S %M" -o "$TMP/time" "$@" >/dev/null 2>&1
	awk -v n="$n" "{ printf \"%.3f %d\n\", (\$1 + \$2) * 1000 / n, \$3 }" "$TMP/time"
}
best() { sort -g | head -n 1; }
churn() { unshare -pf --mount-proc sh -c "while :; do /bin/true; sleep 0.01; done"; }
printf "%-6s %12s %14s %28s %8s\n" "" "ps -e" "snapshot -o" "snapshot --all-containers -o" "node/one"
for mode in idle churn; do
	[ "$mode" = churn ] && { churn & CH=$!; }
	: >"$TMP/ps"; : >"$TMP/one"; : >"$TMP/node"
	for _ in $(seq "$ROUNDS"); do
		cpu_per "$PS_SAMPLES" sh -c "for i in \$(seq $PS_SAMPLES); do ps -eo pid,ppid,lstart,user,stat,args; done" >>"$TMP/ps"
		cpu_per "$SAMPLES" "$DBPOD" snapshot -o "$TMP/one.jsonl" -i 0.01 -n "$SAMPLES" >>"$TMP/one"
		cpu_per "$SAMPLES" "$DBPOD" snapshot --all-containers -o "$TMP/node.jsonl" -i 0.01 -n "$SAMPLES" >>"$TMP/node"
		grep -m1 "\"k\":\"key\"" "$TMP/one.jsonl" | wc -c >"$TMP/one.key"
		grep -m1 "\"k\":\"key\"" "$TMP/node.jsonl" | wc -c >"$TMP/node.key"
		rm -f "$TMP"/one.jsonl* "$TMP"/node.jsonl*
	done
	[ "$mode" = churn ] && kill "$CH"
	p=$(cut -d" " -f1 "$TMP/ps" | best); o=$(cut -d" " -f1 "$TMP/one" | best); n=$(cut -d" " -f1 "$TMP/node" | best)
	awk -v m="$mode" -v p="$p" -v o="$o" -v n="$n" "BEGIN { printf \"%-6s %9.2f ms %11.2f ms %25.2f ms %7.2fx\n\", m, p, o, n, n / o }"
done
echo "CPU per sample, best of $ROUNDS rounds ($SAMPLES samples at 10 ms ticks, the first -- every process opened, a key -- included; ps: $PS_SAMPLES runs)"
echo "a key: $(cat "$TMP/one.key") bytes for one namespace, $(cat "$TMP/node.key") bytes for the node (namespaces and their numbers)"
echo "peak memory (VmHWM): snapshot -o $(cut -d" " -f2 "$TMP/one" | sort -g | tail -n 1) kB, --all-containers $(cut -d" " -f2 "$TMP/node" | sort -g | tail -n 1) kB"
'
