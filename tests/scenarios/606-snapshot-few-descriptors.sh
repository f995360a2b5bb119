#!/bin/bash
# Out of descriptors: with a limit of 80, the recorder holds a few
# processes and reads the others afresh at every sample -- the recording
# is the same.
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq tini
set -e
ns_start tini -- sh -c 'for i in $(seq 60); do sleep 1000 & done; wait'	# the shell reaps
wait_until sh -c "[ \$(nsenter -t $NS_PID -p -m -- pgrep -c -x sleep) -ge 60 ]" || fail "the sleeps did not start"
REC=$TMP/rec.jsonl
ns_exec sh -c "ulimit -n 80 && exec '$DBPOD' snapshot -o '$REC' -i 0.05" 2>"$TMP/rec.err" &
REC_BG=$!
track_first "$REC_BG"
wait_until grep -q '"k":"key"' "$REC" || fail "no key: $(cat "$TMP/rec.err")"
REC_PID=$(ns_exec pgrep -x dbpod)
# 80 descriptors, 64 kept in reserve: 8 processes held, 55 read afresh
victim=$(ns_exec pgrep -n -f '^sleep 1000$')
rec_samples 3 "$REC"
ns_exec kill -KILL "$victim"
rec_samples 3 "$REC"
rec_stop
expect_rc 0
[ "$(sed -n 2p "$REC" | jq '[.procs[] | select(.comm == "sleep")] | length')" = 60 ] ||
	fail "the key lacks processes: $(sed -n 2p "$REC" | jq -c '[.procs[].pid]')"
[ "$(jq -s "[.[] | select(.k == \"delta\") | .gone[] | select(.[0] == $victim)] | length" "$REC")" = 1 ] ||
	fail "the killed process $victim did not vanish"
[ "$(jq -s '[.[] | select(.k == "delta") | .new[] | select(.comm == "sleep")] | length' "$REC")" = 0 ] ||
	fail "sleeps read afresh were taken for new processes"
echo "ok: out of descriptors, the recorder reads afresh and records the same"
