#!/bin/bash
# Corrupt recordings get a clear message and the valid part is
# still used; exit 3 only when nothing is usable. Rotated files in any
# order, gzip-compressed ones too.
. "$(dirname "$0")/lib.sh"
need_cmd jq gzip
set -e
FIX=$top_srcdir/tests/fixtures/postmortem

expect_err() {
	printf '%s' "$ERR" | grep -q -- "$1" || fail "stderr lacks '$1':
$ERR"
}

run_host postmortem "$FIX/reuse.jsonl" --json
expect_rc 0
expect_jq .command postmortem
expect_jq .facts.samples 7
expect_jq .facts.processes_seen 5
expect_jq '.facts.short_lived | map(.pid) | join(",")' 40
expect_jq '.facts.files[0].end' SIGTERM
expect_jq '.facts.from' 2026-11-23T06:40:01Z

# a torn last line: skipped with a note, the rest used; the recording
# was cut off there (no end line): when, and why it may have been
run_host postmortem "$FIX/torn.jsonl" --json
expect_rc 1
expect_err 'torn.jsonl:5: torn last line'
expect_jq .facts.samples 3
expect_jq '.findings[] | select(.id == "DBM705") | .severity' info
expect_jq '.findings[] | select(.id == "DBM707") | .severity' warning
expect_jq '.findings[] | select(.id == "DBM707") | .message | test("cut off: .*torn.jsonl ends after the sample of 2026-11-23 06:40:03 UTC")' true
expect_jq '.findings[] | select(.id == "DBM707") | .message | test("PID 1 of the recorded PID namespace was postgres, a PostgreSQL server")' true
expect_jq '.findings[] | select(.id == "DBM707") | .message | test("last line is torn")' true

# a line of garbage in the middle: skipped, counted, a warning
run_host postmortem "$FIX/garbage.jsonl" --json
expect_rc 1
expect_err 'garbage.jsonl:4: not a line of a recording: skipped'
expect_jq .facts.samples 7
expect_jq '.findings[] | select(.id == "DBM705") | .severity' warning

# a newer format alone: refused, nothing usable
run_host postmortem "$FIX/newer.jsonl"
expect_rc 3
expect_err 'written by a newer dbpod (recording format 3'
expect_err 'nothing usable'
# ... beside a good file: that one is used
run_host postmortem "$FIX/newer.jsonl" "$FIX/reuse.jsonl" --json
expect_rc 1
expect_jq .facts.samples 7

# an empty file; a missing file
run_host postmortem "$FIX/empty.jsonl"
expect_rc 3
expect_err 'empty.jsonl: the file is empty'
run_host postmortem "$TMP/nonexistent.jsonl"
expect_rc 3
expect_err 'cannot read: No such file or directory'

# rotated files given in the wrong order, one of them compressed
gzip -c "$FIX/rotated.0.jsonl" >"$TMP/ps.jsonl.1.gz"
run_host postmortem "$FIX/rotated.1.jsonl" "$TMP/ps.jsonl.1.gz" --json
expect_rc 0
expect_jq .facts.samples 7
expect_jq '.facts.files | map(.file_index) | join(",")' 0,1
expect_jq .facts.gaps '[]'

# the same recording twice: replayed once
run_host postmortem "$FIX/reuse.jsonl" "$FIX/reuse.jsonl" --json
expect_jq .facts.samples 7

# what is not a recording fails fast with 3: a device, an endless line, a
# gzip bomb of empty lines, a version that is not the integer 1
start=$(date +%s)
run_host postmortem /dev/zero
expect_rc 3
expect_err 'not a dbpod recording'
head -c 100000000 /dev/zero | tr '\0' '\n' | gzip -c >"$TMP/bomb.gz"
run_host postmortem "$TMP/bomb.gz"
expect_rc 3
[ $(( $(date +%s) - start )) -lt 20 ] || fail "refusing non-recordings took $(( $(date +%s) - start )) s"
sed '1s/"dbpod_recording":1/"dbpod_recording":"2"/' "$FIX/reuse.jsonl" >"$TMP/v.jsonl"
run_host postmortem "$TMP/v.jsonl"
expect_rc 3
expect_err 'not a known format version'
# a rotated set with a file missing is named
sed '1s/"file_index":1/"file_index":2/' "$FIX/rotated.1.jsonl" >"$TMP/r2.jsonl"
run_host postmortem "$FIX/rotated.0.jsonl" "$TMP/r2.jsonl" --json
expect_jq '.findings[] | select(.id == "DBM706") | .severity' warning
expect_err 'file_index 1, between'
# a FIFO as the recording or as the log is refused at once, never waited on
mkfifo "$TMP/fifo"
start=$(date +%s%N)
run_host postmortem "$TMP/fifo"
expect_rc 3
expect_err 'it is a FIFO'
run_host postmortem "$FIX/reuse.jsonl" --log "$TMP/fifo"
expect_rc 3
[ $(( ($(date +%s%N) - start) / 1000000 )) -lt 1000 ] || fail "a FIFO took more than a second"
# a PPID cycle (a damaged or forged file): every process shown, and said
run_host postmortem "$FIX/cycle.jsonl" --at 1795416001 --tree
expect_out 'in a cycle of parent PIDs'
[ "$(printf '%s\n' "$OUT" | grep -c 'postgres: \|psql')" = 3 ] || fail "the tree shows fewer than the 3 processes:
$OUT"
# no PID 1 in the recording: said as such, not "run dbpod as root"
run_host postmortem "$FIX/cycle.jsonl" --at 1795416001 --check --json
expect_jq '.findings[] | select(.id == "DBP100") | .message | test("recording holds no PID 1")' true
expect_no_out 'run dbpod as root'
# an impossible date is refused, not turned into another one
run_host postmortem "$FIX/reuse.jsonl" --at '2026-02-30 12:00:00'
expect_rc 3
expect_err 'cannot read the time'
echo "ok: corrupt, rotated and compressed recordings"

# The summary (with its table of short-lived processes) and the
# timeline fit COLUMNS, down to 40; 80 in a pipe without it
for view in "" --timeline; do
	for cols in 40 64 80; do
		# shellcheck disable=SC2086 # view is no word or one
		COLUMNS=$cols run_host postmortem "$FIX/reuse.jsonl" $view --no-color
		expect_rc 0
		long=$(printf '%s\n' "$OUT" | awk -v w="$cols" 'length($0) > w')
		[ -z "$long" ] || fail "postmortem $view at $cols columns: lines past it:
$long"
	done
	run_host postmortem "$FIX/reuse.jsonl" $view --no-color
	long=$(printf '%s\n' "$OUT" | awk 'length($0) > 80')
	[ -z "$long" ] || fail "postmortem $view in a pipe: lines past 80:
$long"
done
# what was wrapped is all there: the short-lived row and the events
COLUMNS=40 run_host postmortem "$FIX/reuse.jsonl" --no-color
expect_out '^ *40 *1 *1.0 postgres$'
expect_out '2026-11-23 06:40:04 /bin/bash -c$'
COLUMNS=40 run_host postmortem "$FIX/reuse.jsonl" --timeline --no-color
expect_out '^06:40:05.000 [=~] exec$'
expect_out '^    PID 40 sleep: /bin/bash -c sleep 1;$'
echo "ok: the summary and the timeline fit 40 columns"

# a recording with users but no signal masks (written by another tool, or
# by hand): the timeline names the user it holds, not "?"
jq -c 'del(.procs[]?.sig, .new[]?.sig, .changed[]?.sig)' "$FIX/reuse.jsonl" >"$TMP/nosig.jsonl"
COLUMNS=200 run_host postmortem "$TMP/nosig.jsonl" --timeline --no-color
expect_rc 0
expect_out 'exited     PID 39 postgres, user postgres, parent 1 postgres'
expect_out 'exited     PID 40 psql, user root, parent 1'
echo "ok: a user without signal masks is named"

# a window that misses the recording: exit 3, one line with the time
# asked and the recording's span (not "--to is before --from", nor an
# empty timeline)
SPAN='spans 2026-11-23 06:40:01 to 2026-11-23 06:40:07 UTC'
run_host postmortem "$FIX/reuse.jsonl" --timeline --from '2030-01-01 00:00:00'
expect_rc 3
expect_err "^dbpod[^:]*: --from '2030-01-01 00:00:00' is outside the recording, which $SPAN"
[ "$(printf '%s\n' "$ERR" | wc -l)" = 1 ] || fail "more than one line: $ERR"
run_host postmortem "$FIX/reuse.jsonl" --around '2030-01-01 00:00:00'
expect_rc 3
expect_err "--around '2030-01-01 00:00:00' is outside the recording, which $SPAN"
run_host postmortem "$FIX/reuse.jsonl" --timeline --to '2020-01-01 00:00:00'
expect_rc 3
expect_err "--to '2020-01-01 00:00:00' is outside the recording"
echo "ok: a window outside the recording is refused with its span"
