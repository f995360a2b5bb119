#!/bin/bash
# The recording file deleted under a running recorder (rm, a log
# cleaner): the recorder says so and goes on in a new file under the
# name, with a header, a note and a key -- before, it wrote on into the
# deleted file, silent, with exit 0.
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq
set -e
ns_start sleep 1000
REC=$TMP/rec.jsonl
rec_start "$REC" -i 0.1
rec_samples 2 "$REC"
rm "$REC"
wait_until test -s "$REC" || fail "no new file after the old one was deleted: $(cat "$TMP/rec.err")"
rec_samples 2 "$REC"
rec_stop
expect_rc 0
grep -q "was deleted or replaced while recording" <<<"$ERR" || fail "the recorder did not say so: $ERR"
[ "$(sed -n 1p "$REC" | jq -r .k)" = header ] || fail "the new file does not start with a header"
grep -q '"k":"note".*deleted or replaced while recording' "$REC" || fail "no note in the new file"
[ "$(grep -m1 '"k":"\(key\|delta\)"' "$REC" | jq -r .k)" = key ] || fail "the new file's first sample is not a key"
[ "$(tail -n 1 "$REC" | jq -r .k)" = end ] || fail "no end line"
run_host postmortem "$REC"
expect_rc 0
echo "ok: a deleted recording file is noticed and begun again"
