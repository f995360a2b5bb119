#!/bin/bash
# Processes that exit between the listing and the reads, become zombies,
# or exec mid-read: every run still ends with a valid result.
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq
set -e
# PID 1 forks and reaps short-lived processes as fast as it can
ns_start sh -c 'while :; do /bin/true & /bin/true & /bin/sh -c "exec /bin/true" & wait; done'
sleep 0.5
n=0
for i in $(seq 15); do
	for cmd in pid1check signals doctor; do
		run_dbpod "$cmd" --json
		[ "$RC" -le 3 ] || fail "dbpod $cmd exited $RC under churn: $ERR"
		printf '%s' "$OUT" | jq -e '.status | test("^(ok|warning|critical|unknown)$")' >/dev/null ||
			fail "dbpod $cmd printed no valid result under churn: $OUT $ERR"
		n=$((n + 1))
	done
done
forks=$(ns_exec cat /proc/loadavg | awk -F'[ /]' '{print $NF}')
note "$n runs while PID 1 forked up to PID $forks"
echo "ok: $n runs under process churn"
