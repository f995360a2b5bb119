#!/bin/bash
# --compress: each rotated file becomes FILE.N.gz in gzip members with an
# index (recgz.h), which gzip reads as the plain file, and postmortem
# --at and --pid give the same answers from the compressed files as from
# their uncompressed copies, seeking and stepping over blocks.
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq gzip cmp
set -e
# 60 processes, so that a key is longer than a block and is cut in
# parts, and a short-lived one every 20 ms for --pid to find
ns_start sh -c 'for i in $(seq 60); do sleep 1000 & done; while :; do sleep 0.02; done'
wait_until ns_settled || true
REC=$TMP/rec.jsonl
run_dbpod snapshot -o "$REC" -i 0.01 -n 400 --keyframe=0.25 --max-size=96k --keep=100 --compress
expect_rc 0
ls "$REC".*.gz >/dev/null 2>&1 || fail "no compressed rotated file: $(ls "$TMP")"
[ ! -e "$REC.1" ] || fail "FILE.1 was left uncompressed beside FILE.1.gz"
mkdir "$TMP/plain"
n=0
for f in "$REC".*.gz; do
	gzip -t "$f" || fail "$f is not a valid gzip file"
	[ "$(tail -c 18 "$f" | head -c 8)" = dbpodix1 ] || fail "$f has no index at its end"
	gzip -dc "$f" >"$TMP/plain/$(basename "$f" .gz)"
	[ "$(head -n 1 "$TMP/plain/$(basename "$f" .gz)" | jq -r .k)" = header ] ||
		fail "$f does not decompress to a recording"
	n=$((n + 1))
done
[ "$n" -ge 3 ] || fail "only $n rotated files"
cp "$REC" "$TMP/plain/"
# keys longer than a block: cut in parts, which --pid reads some of
long_keys=$(cat "$TMP"/plain/rec.jsonl.* | awk 'length > 16384 && /^\{"k":"key"/' | wc -l)
[ "$long_keys" -ge 2 ] || fail "no key is longer than a block (16 KiB): the parts go untested"
note "$n compressed files, $(du -cb "$REC".*.gz | tail -n 1 | cut -f1) bytes; plain $(du -cb "$TMP"/plain/rec.jsonl.* | tail -n 1 | cut -f1)"

# same QUERY on both: the JSON answer, less the paths of the files
same() {
	run_host postmortem --format=json "$REC".*.gz "$REC" "$@"
	a=$(printf '%s' "$OUT" | jq -S 'del(.. | .path?, .file?, .files?)') || fail "not JSON: $OUT"
	ra=$RC
	run_host postmortem --format=json "$TMP"/plain/rec.jsonl* "$@"
	b=$(printf '%s' "$OUT" | jq -S 'del(.. | .path?, .file?, .files?)') || fail "not JSON: $OUT"
	[ "$ra" = "$RC" ] || fail "postmortem $*: exit $ra compressed, $RC plain"
	[ "$(printf '%s' "$a" | jq '.facts | length')" -gt 0 ] || fail "postmortem $*: no answer: $a"
	[ "$a" = "$b" ] || fail "postmortem $*: the compressed files answer otherwise:
$(diff <(printf '%s\n' "$b") <(printf '%s\n' "$a") | head -n 40)"
}
first=$(head -n 1 "$TMP/plain/rec.jsonl.$n" | jq .started)
last=$(tail -n 1 "$REC" | jq .t)
for frac in 0.2 0.5 0.8; do
	same --at "@$(awk -v a="$first" -v b="$last" -v f="$frac" 'BEGIN { printf "%.2f", a + (b - a) * f }')"
done
# PID 1, a sleep that lived throughout, and every short-lived PID seen
# once: each a sleep of PID 1's loop, so PID 1 (sh, root), alive
# throughout, heads each of its chains -- the true answer, not only the
# same one. A window early in a plain file was once read from the
# file's middle, past the key before it: PID 1 was "not recorded", or
# had no name, for about one short-lived PID in five, and three picked
# at random missed them one run in two.
long=$(ns_exec pgrep -x sleep | head -n 1)
same --pid 1
same --pid "$long"
for p in $(jq -r 'select(.k == "delta") | .new[]?.pid' "$TMP"/plain/rec.jsonl.* | sort -un); do
	same --pid "$p"
	printf '%s' "$a" | jq -e '[.. | .holders? // empty | .[].versions[].chain[0] |
		.pid == 1 and .name == "sh" and .user == "root"] | length > 0 and all' >/dev/null ||
		fail "postmortem --pid $p: PID 1 (sh, root), alive throughout, does not head its chains: $(printf '%s' "$a" | jq -c '[.. | .holders? // empty | .[].versions[].chain]')"
done
echo "ok: --compress rotates into indexed gzip; --at and --pid answer as from the plain files"
