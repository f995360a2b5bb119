#!/bin/bash
# The text view (its times UTC), --changes, and usage errors.
. "$(dirname "$0")/lib.sh"
need_root
set -e
# a second early: a start time is counted from /proc/stat's whole-second
# boot time, as ps counts it, which puts it up to a second before the
# real start (a process started at 20:40:00.2 showed 20:39:59, once)
before=$(date -u -d '-1 second' +%H:%M)
# PID 1 waits on a FIFO, then execs sleep: the test says when, not a timer
mkfifo "$TMP/go"
ns_start sh -c "read x <$TMP/go; exec sleep 1000"
# the times are UTC whatever TZ says (+05:45 here: no minute in common
# with UTC), the sample's and the start's, which is seconds ago
TZ=Asia/Kathmandu run_dbpod snapshot -n 1
after=$(date -u +%H:%M)
expect_rc 0
expect_out '^TIME  *PID  *PPID STIME  *USER  *STAT COMMAND$'
expect_out "^[0-9:]\\{8\\}  *1  *0 [0-9:]\\{8\\} root  *Ss\\? *sh -c read x <$TMP/go; exec sleep 1000\$"
row=$(printf '%s\n' "$OUT" | grep '^[0-9:]\{8\}  *1  *0 ')
read -r time _ _ stime _ <<<"$row"
for hm in "${time%:??}" "${stime%:??}"; do
	[ "$hm" = "$before" ] || [ "$hm" = "$after" ] ||
		fail "not UTC ($before..$after): $row"
done
[ -z "$ERR" ] || fail "stderr: $ERR"

# PID 1 execs sleep between the samples: its command line changes, and
# so do its signal masks (the handlers dash installed are reset by exec).
# Released after the first sample; the recorder stopped once it said so.
ns_exec "$DBPOD" snapshot --changes -i 0.2 -n 1000 >"$TMP/changes" 2>"$TMP/changes.err" &
SNAP_BG=$!
track "$SNAP_BG"
wait_until grep -q '^[0-9:]\{8\}  *1  *0 ' "$TMP/changes" || fail "no first sample: $(cat "$TMP/changes.err")"
timeout 60 sh -c "echo go >'$TMP/go'" || fail "PID 1 does not read its FIFO"
wait_until grep -q '^[0-9:]\{8\} ~  *1  *0 .* sleep 1000  (command, signals)$' "$TMP/changes" ||
	fail "the exec of PID 1 was not shown as a change: $(cat "$TMP/changes")"
ns_exec kill -TERM "$(ns_exec pgrep -x dbpod)"
set +e
wait "$SNAP_BG"
RC=$?
set -e
OUT=$(cat "$TMP/changes")
ERR=$(cat "$TMP/changes.err")
expect_rc 0
[ -z "$ERR" ] || fail "stderr: $ERR"

for bad in "-i 0" "-i x" "-n 0" "--max-size=12Q -o $TMP/x" "--keep=-1" "--changes -o $TMP/x" "--max-size=1M" "extra"; do
	# shellcheck disable=SC2086
	run_host snapshot $bad
	expect_rc 3
done
echo "ok: text view and usage errors"
