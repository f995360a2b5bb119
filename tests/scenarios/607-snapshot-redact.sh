#!/bin/bash
# Command lines are redacted by default: a password never reaches the
# recording or the text view, and the header says so; --no-redact keeps
# them as they are (and says that too).
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq bash
set -e
# PID 1 named redis-cli (so that -a VALUE is a password), with a URI
ns_start bash -c 'exec -a redis-cli bash -c "sleep 1000; :" x -a Hunter2secret --url postgresql://app:Pw0rdXyz@db/app'
for mode in default redact plain; do
	REC=$TMP/$mode.jsonl
	case $mode in
	default) run_dbpod snapshot -o "$REC" -n 1 ;;
	redact) run_dbpod snapshot -o "$REC" -n 1 --redact ;;
	plain) run_dbpod snapshot -o "$REC" -n 1 --no-redact ;;
	esac
	expect_rc 0
	args=$(sed -n 2p "$REC" | jq -c '.procs[] | select(.pid == 1) | .args')
	redacted=$(head -1 "$REC" | jq -c .redacted)
	if [ "$mode" != plain ]; then
		[ "$args" = '["redis-cli","-c","sleep 1000; :","x","-a","***","--url","postgresql://app:***@db/app"]' ] ||
			fail "not redacted ($mode): $args"
		if grep -q 'Hunter2secret\|Pw0rdXyz' "$REC"; then fail "a secret is in the recording ($mode)"; fi
		[ "$redacted" = true ] || fail "header says redacted=$redacted ($mode)"
	else
		[ "$args" = '["redis-cli","-c","sleep 1000; :","x","-a","Hunter2secret","--url","postgresql://app:Pw0rdXyz@db/app"]' ] ||
			fail "changed with --no-redact: $args"
		[ "$redacted" = false ] || fail "header says redacted=$redacted with --no-redact"
	fi
done
# the text view: redacted by default, as it is with --no-redact
run_dbpod snapshot -n 1
expect_rc 0
expect_out 'redis-cli -c sleep 1000; : x -a \*\*\* --url postgresql://app:\*\*\*@db/app'
if grep -q 'Hunter2secret\|Pw0rdXyz' <<<"$OUT"; then fail "a secret in the text view"; fi
run_dbpod snapshot -n 1 --no-redact
expect_rc 0
expect_out 'Hunter2secret'
# postmortem says how the recording was made
run_host postmortem "$TMP/default.jsonl"
expect_rc 0
expect_out 'Commands *command lines redacted by the recorder'
run_host postmortem "$TMP/plain.jsonl"
expect_out 'Commands *command lines recorded as they were (--no-redact)'
if grep -q 'Hunter2secret\|Pw0rdXyz' <<<"$OUT"; then fail "postmortem printed a secret"; fi
echo "ok: redaction by default, --no-redact keeps command lines"
