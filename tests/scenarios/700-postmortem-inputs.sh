#!/bin/bash
# Issue 7: corrupt recordings get a clear message and the valid part is
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

# a torn last line: skipped with a note, the rest used, info only
run_host postmortem "$FIX/torn.jsonl" --json
expect_rc 0
expect_err 'torn.jsonl:5: torn last line'
expect_jq .facts.samples 3
expect_jq '.findings[] | select(.id == "DBM705") | .severity' info

# a line of garbage in the middle: skipped, counted, a warning
run_host postmortem "$FIX/garbage.jsonl" --json
expect_rc 1
expect_err 'garbage.jsonl:4: not a line of a recording: skipped'
expect_jq .facts.samples 7
expect_jq '.findings[] | select(.id == "DBM705") | .severity' warning

# a newer format alone: refused, nothing usable
run_host postmortem "$FIX/newer.jsonl"
expect_rc 3
expect_err 'written by a newer dbpod (recording format 2'
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
echo "ok: corrupt, rotated and compressed recordings"
