#!/bin/bash
# make bench (root): the CPU of one run of doctor and of each check at
# 2,000 processes, side by side with `ps -eo pid,ppid,lstart,user,stat,args`
# in the same PID namespace, best of 5 rounds each (user + system). The
# goal, with /proc read once for all of doctor's checks: doctor at most
# 1.0x ps, every check at most 0.8x.
set -u
: "${DBPOD:?}"
N=${BENCH_PROCS:-2000}
ROUNDS=${BENCH_ROUNDS:-5}
[ "$(id -u)" = 0 ] || { echo "doctor-bench: needs root (a PID namespace)"; exit 0; }

env --default-signal setsid unshare -pf --mount-proc bash -c \
	"for i in \$(seq $N); do sleep 100000 & done; wait" </dev/null >/dev/null 2>&1 &
U=$!
for _ in $(seq 100); do NS=$(pgrep -P "$U" | head -n 1); [ -n "$NS" ] && break; sleep 0.05; done
[ -n "${NS:-}" ] || { echo "doctor-bench: no namespace"; exit 1; }
trap 'kill -KILL "$NS" 2>/dev/null; wait "$U" 2>/dev/null' EXIT
for _ in $(seq 200); do
	[ "$(nsenter -t "$NS" -p -m -- sh -c 'ls /proc | grep -c "^[0-9]"')" -ge "$N" ] && break
	sleep 0.1
done

# cpu CMD...: the best user+system seconds of ROUNDS runs inside the namespace
cpu() {
	local best= t
	for _ in $(seq "$ROUNDS"); do
		t=$( { TIMEFORMAT='%3U %3S'; time nsenter -t "$NS" -p -m -- "$@" >/dev/null 2>&1; } 2>&1 |
			awk '{printf "%.3f", $1 + $2}')
		best=$(awk -v a="${best:-$t}" -v b="$t" 'BEGIN{print (b < a) ? b : a}')
	done
	echo "$best"
}

ps_cpu=$(cpu ps -eo pid,ppid,lstart,user,stat,args)
printf '\ndoctor and the checks at %s processes, CPU seconds per run (best of %s)\n' "$N" "$ROUNDS"
printf '  %-34s %8s  %s\n' "what" "seconds" "x ps"
printf '  %-34s %8.3f  %s\n' "ps -eo pid,ppid,lstart,user,stat,args" "$ps_cpu" "1.00"
for cmd in doctor pid1check signals oomscore overcommit; do
	c=$(cpu "$DBPOD" "$cmd" --no-color)
	printf '  %-34s %8.3f  %.2f\n' "dbpod $cmd" "$c" "$(awk -v a="$c" -v b="$ps_cpu" 'BEGIN{print (b > 0) ? a / b : 0}')"
done
# JSON lists every process with its signal masks: status of all is read
for cmd in doctor signals; do
	c=$(cpu "$DBPOD" "$cmd" --json)
	printf '  %-34s %8.3f  %.2f\n' "dbpod $cmd --json" "$c" "$(awk -v a="$c" -v b="$ps_cpu" 'BEGIN{print (b > 0) ? a / b : 0}')"
done

# node mode: the same number of processes in 20 PID namespaces, judged from
# outside in one run (--all: these namespaces hold no database), beside one
# doctor run on 2,000 processes in one namespace (above)
kill -KILL "$NS" 2>/dev/null
wait "$U" 2>/dev/null
trap - EXIT
NNS=20
PER=$((N / NNS))
NSPIDS=()
for _ in $(seq "$NNS"); do
	env --default-signal setsid unshare -pf --mount-proc bash -c \
		"for i in \$(seq $((PER - 1))); do sleep 100000 & done; wait" </dev/null >/dev/null 2>&1 &
	NSPIDS+=("$!")
done
trap 'for u in "${NSPIDS[@]}"; do pkill -KILL -P "$u"; done; wait' EXIT
for _ in $(seq 200); do
	[ "$(pgrep -c -x sleep)" -ge $((NNS * (PER - 1))) ] && break
	sleep 0.1
done
node_cpu() {
	local best= t
	for _ in $(seq "$ROUNDS"); do
		t=$( { TIMEFORMAT='%3U %3S'; time "$DBPOD" doctor --all-containers --all --no-color >/dev/null 2>&1; } 2>&1 |
			awk '{printf "%.3f", $1 + $2}')
		best=$(awk -v a="${best:-$t}" -v b="$t" 'BEGIN{print (b < a) ? b : a}')
	done
	echo "$best"
}
c=$(node_cpu)
printf '  %-34s %8.3f  %.2f  (%s processes in %s namespaces, plus this machine'"'"'s own %s)\n' \
	"dbpod doctor --all-containers --all" "$c" \
	"$(awk -v a="$c" -v b="$ps_cpu" 'BEGIN{print (b > 0) ? a / b : 0}')" "$N" "$NNS" \
	"$(($(ls /proc | grep -c '^[0-9]') - N))"
