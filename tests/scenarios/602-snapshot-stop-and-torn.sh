#!/bin/bash
# SIGTERM or SIGINT mid-run leaves a complete file ending in an "end" line;
# a file cut in the middle of a line is readable up to the cut.
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq
set -e
ns_start sleep 1000
for sig in TERM INT; do
	REC=$TMP/rec-$sig.jsonl
	rec_start "$REC" -i 0.02 --keyframe 0.1
	rec_samples 20 "$REC"
	rec_stop "$sig"
	expect_rc 0
	[ -z "$ERR" ] || fail "stderr is not a TTY, yet: $ERR"
	jq -c . "$REC" >/dev/null || fail "SIG$sig left a file that is not JSON Lines"
	[ "$(tail -c 1 "$REC" | od -An -c | tr -d ' ')" = '\n' ] || fail "the last line is not complete"
	[ "$(tail -n 1 "$REC" | jq -r '.k + " " + .reason')" = "end SIG$sig" ] ||
		fail "SIG$sig: the last line is not the end: $(tail -n 1 "$REC")"
	samples=$(tail -n 1 "$REC" | jq .samples)
	[ "$(grep -c '"k":"\(key\|delta\)"' "$REC")" = "$samples" ] || fail "end.samples is not the count of samples"
	[ "$(head -n 1 "$REC" | jq -r '.k, .dbpod_recording, .file_index' | tr '\n' ' ')" = "header 1 0 " ] ||
		fail "no header first"
done

# cut in the middle of the third line: the first two are whole and
# readable, the torn rest is not JSON -- a reader skips it
REC=$TMP/rec-TERM.jsonl
cut=$(( $(head -n 2 "$REC" | wc -c) + $(sed -n 3p "$REC" | wc -c) / 2 ))
head -c "$cut" "$REC" >"$TMP/cut.jsonl"
whole=$(wc -l <"$TMP/cut.jsonl")
[ "$whole" = 2 ] || fail "expected 2 whole lines, got $whole"
head -n "$whole" "$TMP/cut.jsonl" | jq -e -s 'length == 2 and .[0].k == "header" and .[1].k == "key"' >/dev/null ||
	fail "the lines before the cut are not readable"
if tail -n 1 "$TMP/cut.jsonl" | jq . >/dev/null 2>&1; then
	fail "the torn line parsed as JSON"
fi
echo "ok: a stopped recording is complete, a cut one readable up to the cut"
