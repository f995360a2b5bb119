#!/bin/bash
# A full disk or an unwritable file: a clear message and exit 3, never a
# silent stop.
. "$(dirname "$0")/lib.sh"
need_root
set -e
mkdir "$TMP/full"
set +e
# a 64 KiB tmpfs in a private mount namespace; a key at every sample
# fills it within a few samples
ERR=$(unshare -m --propagation private sh -c '
	mount -t tmpfs -o size=64k tmpfs "$1" || exit 99
	exec "$2" snapshot -o "$1/rec.jsonl" -i 0.01 --keyframe 0 -n 100000' sh "$TMP/full" "$DBPOD" 2>&1)
RC=$?
set -e
OUT=
[ "$RC" != 99 ] || skip "cannot mount a tmpfs here"
expect_rc 3
printf '%s' "$ERR" | grep -q "^dbpod: cannot write to '$TMP/full/rec.jsonl': No space left on device" ||
	fail "unclear message: $ERR"

run_host snapshot -o "$TMP/no/such/dir/rec.jsonl" -n 1
expect_rc 3
printf '%s' "$ERR" | grep -q "cannot write to '$TMP/no/such/dir/rec.jsonl': No such file or directory" ||
	fail "unclear message: $ERR"
echo "ok: a full disk and a missing directory are exit 3 with the reason"
