#!/bin/bash
# --max-size and --keep: N rotated files besides the current one, each
# starting with a header and a key; an earlier recording is rotated away,
# never appended to.
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq
set -e
ns_start sleep 1000
REC=$TMP/rec.jsonl
echo '{"k":"header","dbpod_recording":1,"earlier":true}' >"$REC"
run_dbpod snapshot -o "$REC" -i 0.01 -n 60 --max-size=1k --keep=2
expect_rc 0
[ -f "$REC" ] && [ -f "$REC.1" ] && [ -f "$REC.2" ] || fail "missing files: $(ls "$TMP")"
[ ! -e "$REC.3" ] || fail "more than --keep=2 rotated files"
prev=
for f in "$REC.2" "$REC.1" "$REC"; do
	[ "$(sed -n 1p "$f" | jq -r .k)" = header ] || fail "$f does not start with a header"
	[ "$(sed -n 2p "$f" | jq -r .k)" = key ] || fail "$f: no key after the header"
	idx=$(sed -n 1p "$f" | jq .file_index)
	[ -z "$prev" ] || [ "$idx" -gt "$prev" ] || fail "file_index does not grow: $f"
	prev=$idx
	jq -c . "$f" >/dev/null || fail "$f is not JSON Lines"
done
[ "$(tail -n 1 "$REC" | jq -r .k)" = end ] || fail "no end line in the current file"
[ "$(tail -n 1 "$REC" | jq .samples)" = 60 ] || fail "not 60 samples"
# rotated files never lose a sample between them: seq runs on
a=$(grep '"seq":' "$REC.1" | tail -n 1 | jq .seq)	# a note may come last
b=$(sed -n 2p "$REC" | jq .seq)
[ "$b" = $((a + 1)) ] || fail "seq jumps from $a to $b across a rotation"

# a second run: the earlier file becomes FILE.1, FILE is new
run_dbpod snapshot -o "$REC" -n 1 --keep=2
expect_rc 0
[ "$(wc -l <"$REC")" = 3 ] || fail "the second run appended to the earlier file"
[ "$(tail -n 1 "$REC.1" | jq .samples)" = 60 ] || fail "the earlier file was not rotated to FILE.1"
echo "ok: rotation keeps N files, each with a header and a key"
