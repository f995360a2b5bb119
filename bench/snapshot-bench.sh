#!/bin/bash
# dbpod snapshot benchmark: CPU per sample with ~2000 processes for the
# naive floor, libproc2's pids API, ps and dbpod's sampler; the size of an
# hour of recording of an idle 500-process namespace; memory over time.
# Prints figures; asserts nothing. Needs root for the PID namespace part.
#
#   DBPOD=./dbpod BENCH=./bench bench/snapshot-bench.sh
#   NPROCS=2000 SAMPLES=50 IDLE=500 bench/snapshot-bench.sh
set -u
: "${DBPOD:=./dbpod}" "${BENCH:=./bench}"
NPROCS=${NPROCS:-2000}
SAMPLES=${SAMPLES:-50}
IDLE=${IDLE:-500}
TMP=$(mktemp -d /tmp/dbpod-bench.XXXXXX)
PIDS=()
NS=

cleanup() {
	[ ${#PIDS[@]} -gt 0 ] && kill -KILL "${PIDS[@]}" 2>/dev/null
	[ -n "$NS" ] && kill -KILL "$NS" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

# CPU milliseconds of a command, per sample (user + system, /usr/bin/time)
cpu_per() {
	local n=$1
	shift
	/usr/bin/time -f '%U %S' -o "$TMP/time" "$@" >/dev/null 2>&1
	awk -v n="$n" '{ printf "%.3f", ($1 + $2) * 1000 / n }' "$TMP/time"
}

echo "spawning $NPROCS sleeping processes..."
for _ in $(seq "$NPROCS"); do
	sleep 3600 &
	PIDS+=("$!")
	disown "$!"
done
sleep 1
total=$(ls -d /proc/[0-9]* | wc -l)
echo "processes on the machine: $total"
echo

read -r floor _ < <("$BENCH/naive" "$SAMPLES")
read -r lp2 _ < <("$BENCH/hotpath" libproc2 "$SAMPLES")
read -r hot n held rss10 rssN < <("$BENCH/hotpath" sampler "$SAMPLES")
ps_ms=$(cpu_per "$SAMPLES" sh -c "for i in \$(seq $SAMPLES); do ps -eo pid,ppid,lstart,user,stat,args; done")
# the whole recorder: sampler, delta, JSON, write; 10 ms ticks; the first
# sample (every process opened, status read, a key written) included
rec=$(cpu_per 200 "$DBPOD" snapshot -o "$TMP/bench.jsonl" -i 0.01 -n 200)
rm -f "$TMP"/bench.jsonl*
printf '%-44s %10s %8s\n' "CPU per sample, $total processes" "ms" "x floor"
row() { awk -v l="$1" -v v="$2" -v f="$floor" 'BEGIN { printf "%-44s %10.2f %8.2f\n", l, v, v / f }'; }
row "naive floor (open/read/close stat+cmdline)" "$floor"
row "libproc2 pids API (dbp_table_read_live)" "$lp2"
row "ps -eo pid,ppid,lstart,user,stat,args" "$ps_ms"
row "dbpod sampler (held fds, pread) + delta" "$hot"
row "dbpod snapshot -o FILE (all in, 200 samples)" "$rec"
echo "  (sampler held descriptors for $held of $n processes)"
echo
echo "memory of the sampler (VmRSS): ${rss10} kB after 10 samples, ${rssN} kB after $((SAMPLES + 1))"

kill -KILL "${PIDS[@]}" 2>/dev/null

PIDS=()

# --- an idle 500-process namespace, recorded: size and memory -----------
if [ "$(id -u)" != 0 ] || ! unshare -pf --mount-proc true 2>/dev/null; then
	echo "(not root: size per hour skipped)"
	exit 0
fi
echo
echo "recording an idle namespace of $IDLE processes..."
setsid unshare -pf --mount-proc sh -c "for i in \$(seq $((IDLE - 1))); do sleep 100000 & done; exec sleep 100000" </dev/null >/dev/null 2>&1 &
u=$!
disown "$u"
for _ in $(seq 100); do NS=$(pgrep -P "$u" | head -n 1); [ -n "$NS" ] && break; sleep 0.05; done
PIDS=("$u")
for _ in $(seq 200); do
	[ "$(nsenter -t "$NS" -p -m -- sh -c 'ls -d /proc/[0-9]* | wc -l')" -ge "$IDLE" ] && break
	sleep 0.1
done
# one hour of 1-second samples is 3600 samples with a key every 300: the
# same in 20 ms ticks (keys every 6 s), 900 samples = a quarter of an hour
HS=900
nsenter -t "$NS" -p -m -- "$DBPOD" snapshot -o "$TMP/idle.jsonl" -i 0.02 -n $HS --keyframe 6 &
bg=$!
sleep 2
rpid=$(pgrep -P "$bg" -x dbpod || pgrep -n -x dbpod)
rss_start=$(awk '/VmRSS/ { print $2 }' "/proc/$rpid/status")
for _ in $(seq 600); do
	[ "$(grep -c '"k":"\(key\|delta\)"' "$TMP/idle.jsonl")" -ge $((HS - 5)) ] && break
	sleep 0.1
done
rss_end=$(awk '/VmRSS/ { print $2 }' "/proc/$rpid/status" 2>/dev/null)
wait "$bg"
bytes=$(cat "$TMP"/idle.jsonl* | wc -c)
keys=$(grep -c '"k":"key"' "$TMP/idle.jsonl")
procs=$(grep -m1 '"k":"key"' "$TMP/idle.jsonl" | jq '.procs | length')
awk -v b="$bytes" -v hs="$HS" -v k="$keys" -v p="$procs" 'BEGIN {
	printf "%d samples of %d processes (%d keys): %.2f MB; one hour of 1 s samples: %.1f MB\n",
		hs, p, k, b / 1e6, b * 3600 / hs / 1e6 }'
echo "memory of the recorder (VmRSS): ${rss_start} kB after 2 s, ${rss_end:-?} kB near the end"
