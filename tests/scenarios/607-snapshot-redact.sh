#!/bin/bash
# --redact: a password on a command line never reaches the recording;
# without it the command line is recorded as it is.
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq bash
set -e
# PID 1 named redis-cli (so that -a VALUE is a password), with a URI
ns_start bash -c 'exec -a redis-cli bash -c "sleep 1000; :" x -a Hunter2secret --url postgresql://app:Pw0rdXyz@db/app'
for mode in plain redact; do
	REC=$TMP/$mode.jsonl
	if [ "$mode" = redact ]; then
		run_dbpod snapshot -o "$REC" -n 1 --redact
	else
		run_dbpod snapshot -o "$REC" -n 1
	fi
	expect_rc 0
	args=$(sed -n 2p "$REC" | jq -c '.procs[] | select(.pid == 1) | .args')
	if [ "$mode" = redact ]; then
		[ "$args" = '["redis-cli","-c","sleep 1000; :","x","-a","***","--url","postgresql://app:***@db/app"]' ] ||
			fail "not redacted: $args"
		if grep -q 'Hunter2secret\|Pw0rdXyz' "$REC"; then fail "a secret is in the recording"; fi
	else
		[ "$args" = '["redis-cli","-c","sleep 1000; :","x","-a","Hunter2secret","--url","postgresql://app:Pw0rdXyz@db/app"]' ] ||
			fail "changed without --redact: $args"
	fi
done
echo "ok: --redact keeps passwords out of the recording"
