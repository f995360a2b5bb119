#!/bin/bash
# snapshot --acct as root into a directory another user owns (the
# database user's volume, 0700): that user plants FILE.acct as a symbolic
# link to a file only root may write, or as a file of their own. dbpod
# refuses either, names the file and says why, exits 3 and writes
# nothing; the file the link points at keeps every byte (before, it was
# truncated and then filled with accounting records). A spool left by a
# recorder that was killed (root's own regular file) is still taken over.
. "$(dirname "$0")/lib.sh"
need_root; need_cmd setpriv
set -e

as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }

VOL=$TMP/vol
mkdir -m 0700 "$VOL"
chown nobody:nogroup "$VOL"
SECRET=$TMP/secret
printf 'only root may write this\n' >"$SECRET"
chmod 0600 "$SECRET"
SUM=$(sha256sum <"$SECRET")
SIZE=$(stat -c %s "$SECRET")
secret_intact() {
	[ "$(stat -c %s "$SECRET")" = "$SIZE" ] && [ "$(sha256sum <"$SECRET")" = "$SUM" ] ||
		fail "$1: the root-only file behind the link was written: $(stat -c %s "$SECRET") bytes now, $SIZE before"
}

# accounting is one file per PID namespace: the recorder gets its own
ns_start sleep 1000

# a symbolic link under the spool's name
as_nobody ln -s "$SECRET" "$VOL/rec.jsonl.acct"
run_dbpod snapshot -o "$VOL/rec.jsonl" --acct -n 3 -i 0.1
secret_intact "a planted link"
expect_rc 3
grep -q "cannot write '$VOL/rec.jsonl.acct': it is a symbolic link to '$SECRET'" <<<"$ERR" ||
	fail "the refusal does not name the file and the link: $ERR"
[ -L "$VOL/rec.jsonl.acct" ] || fail "the planted link was removed or replaced"
[ ! -e "$VOL/rec.jsonl" ] || fail "a recording was begun although dbpod refused: $(head -c 300 "$VOL/rec.jsonl")"

# a regular file of the directory's owner under the spool's name
as_nobody rm "$VOL/rec.jsonl.acct"
as_nobody sh -c 'printf "theirs\n" >"$1"' sh "$VOL/rec.jsonl.acct"
run_dbpod snapshot -o "$VOL/rec.jsonl" --acct -n 3 -i 0.1
expect_rc 3
grep -q "cannot write '$VOL/rec.jsonl.acct': it belongs to uid 65534 (nobody), not to uid 0" <<<"$ERR" ||
	fail "the refusal does not say whose file it is: $ERR"
[ "$(cat "$VOL/rec.jsonl.acct")" = theirs ] || fail "the other user's file was written"

# the spool of a recorder that was SIGKILLed: root's, one link -- reused
rm "$VOL/rec.jsonl.acct"
printf 'left over' >"$VOL/rec.jsonl.acct"
chmod 0600 "$VOL/rec.jsonl.acct"
run_dbpod snapshot -o "$VOL/rec.jsonl" --acct -n 3 -i 0.1
if grep -q 'needs CAP_SYS_PACCT\|Function not implemented' <<<"$ERR"; then
	skip "process accounting cannot be turned on here: $ERR"
fi
expect_rc 0
[ "$(head -n 1 "$VOL/rec.jsonl" | jq .acct)" = true ] || fail "accounting was not on: $ERR"
[ ! -e "$VOL/rec.jsonl.acct" ] || fail "the spool was left behind"
secret_intact "the runs"
echo "ok: --acct writes no file through a planted link nor into another user's file"
