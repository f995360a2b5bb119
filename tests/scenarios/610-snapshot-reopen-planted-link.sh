#!/bin/bash
# snapshot -o as root into a directory another user owns (the database
# user's volume): that user deletes the recording and plants a symbolic
# link to a file only root may write under its name. The recorder notices
# the deletion at its next sample and, before, reopened the name
# following the link and appended its lines to that file. Now it refuses
# (exit 3, naming the file and the link) and the file keeps every byte;
# a file of the other user under the name is refused too, and a plain
# deletion still goes on in a new file. As root, a directory that other
# users can write is refused from the start, for snapshot -o and doctor
# --all-containers -o alike.
. "$(dirname "$0")/lib.sh"
need_root; need_cmd setpriv jq
set -e

as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }

VOL=$TMP/vol
mkdir -m 0755 "$VOL"
chown nobody:nogroup "$VOL"
REC=$VOL/rec.jsonl
SECRET=$TMP/secret
printf 'only root may write this\n' >"$SECRET"
chmod 0600 "$SECRET"
SUM=$(sha256sum <"$SECRET")
SIZE=$(stat -c %s "$SECRET")
secret_changed() { [ "$(stat -c %s "$SECRET")" != "$SIZE" ] || [ "$(sha256sum <"$SECRET")" != "$SUM" ]; }
recorder_gone() { ! ns_exec kill -0 "$REC_PID"; }
written_or_gone() { secret_changed || recorder_gone; }

ns_start sleep 1000

# deleted, and a link planted under the name
rec_start "$REC" -i 0.1
rec_samples 2 "$REC"
as_nobody sh -c 'rm "$1" && ln -s "$2" "$1"' sh "$REC" "$SECRET"
wait_until written_or_gone ||
	fail "the recorder neither stopped nor wrote anything in 5 s: $(cat "$TMP/rec.err")"
if secret_changed; then
	fail "the recorder followed the planted link: $(($(stat -c %s "$SECRET") - SIZE)) bytes appended to the root-only file: $(tail -c 200 "$SECRET")"
fi
rec_wait
expect_rc 3
grep -q "cannot reopen '$REC': it is a symbolic link to '$SECRET'" <<<"$ERR" ||
	fail "the refusal does not name the file and the link: $ERR"
[ -L "$REC" ] || fail "the planted link was removed or replaced"
secret_changed && fail "the root-only file was written"

# deleted, and a file of the directory's owner put in its place
as_nobody rm "$REC"
rec_start "$REC" -i 0.1
rec_samples 2 "$REC"
as_nobody sh -c 'rm "$1" && printf "theirs\n" >"$1"' sh "$REC"
WAIT_SECONDS=10 wait_until recorder_gone || fail "the recorder wrote on into the other user's file: $(cat "$TMP/rec.err")"
rec_wait
expect_rc 3
grep -q "cannot reopen '$REC': it belongs to uid 65534 (nobody), not to uid 0" <<<"$ERR" ||
	fail "the refusal does not say whose file it is: $ERR"
[ "$(cat "$REC")" = theirs ] || fail "the other user's file was written: $(head -c 300 "$REC")"

# only deleted: a new file under the name, as ever
as_nobody rm "$REC"
rec_start "$REC" -i 0.1
rec_samples 2 "$REC"
as_nobody rm "$REC"
wait_until test -s "$REC" || fail "no new file after the old one was deleted: $(cat "$TMP/rec.err")"
rec_samples 1 "$REC"
rec_stop
expect_rc 0
[ "$(stat -c %U "$REC")" = root ] || fail "the new file is not root's"
[ "$(sed -n 1p "$REC" | jq -r .k)" = header ] || fail "the new file does not start with a header"

# a directory anyone can write (not sticky), and one its group can write
for mode in 0777 0775; do
	mkdir -m "$mode" "$TMP/open$mode"
	run_host snapshot -o "$TMP/open$mode/rec.jsonl" -n 1
	expect_rc 3
	grep -q "cannot write to '$TMP/open$mode/rec.jsonl': its directory '$TMP/open$mode' is writable by users other than its owner (mode $mode)" <<<"$ERR" ||
		fail "mode $mode: unclear refusal: $ERR"
	grep -q 'mkdir -m 0700' <<<"$ERR" || fail "mode $mode: the refusal does not say what to do: $ERR"
	run_host doctor --all-containers --format=prometheus -o "$TMP/open$mode/dbpod.prom"
	expect_rc 3
	grep -q "cannot write '$TMP/open$mode/dbpod.prom': its directory '$TMP/open$mode' is writable" <<<"$ERR" ||
		fail "doctor -o, mode $mode: unclear refusal: $ERR"
	[ -z "$(ls -A "$TMP/open$mode")" ] || fail "mode $mode: written: $(ls -A "$TMP/open$mode")"
done
# sticky and root's, as /tmp: taken
mkdir -m 1777 "$TMP/sticky"
run_host snapshot -o "$TMP/sticky/rec.jsonl" -n 1
expect_rc 0
echo "ok: a recording deleted under the recorder is never reopened through a planted link or into another user's file"
