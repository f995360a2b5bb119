#!/bin/bash
# --enable-static-binary: the one file runs in an empty root, no libraries,
# the way `kubectl cp` leaves it in a distroless or scratch container.
. "$(dirname "$0")/lib.sh"
need_root
set -e
if ! file -L "$DBPOD" 2>/dev/null | grep -q 'statically linked'; then
	skip "dbpod is dynamically linked: configure --enable-static-binary to test the static one"
fi
mkdir -p "$TMP/root/bin" "$TMP/root/proc"
cp "$DBPOD" "$TMP/root/bin/dbpod"
[ "$(find "$TMP/root" -type f | wc -l)" = 1 ] || fail "the root is not empty"
set +e
OUT=$(unshare -pfm --mount-proc sh -c "mount -t proc proc '$TMP/root/proc' && chroot '$TMP/root' /bin/dbpod pid1check --json; exit \$?" 2>"$TMP/err")
RC=$?
set -e
ERR=$(cat "$TMP/err")	# what a failure shows (expect_rc)
# PID 1 of that namespace is sh, which drops SIGTERM: critical (and
# SIGINT too where the caller left it ignored, as a script's background
# job does)
expect_rc 2
expect_jq .command pid1check
expect_jq .facts.pid1.name sh
expect_jq '.facts.pid1.stop_signal_dispositions.SIGTERM' default
expect_jq '.findings[] | select(.id == "DBP103" and (.message | test("SIGTERM"))) | .severity' critical
# run as PID 1 (docker run of the scratch image without --pid): it says so
set +e
OUT=$(unshare -pfm --mount-proc sh -c "mount -t proc proc '$TMP/root/proc' && exec chroot '$TMP/root' /bin/dbpod pid1check --json" 2>"$TMP/err")
RC=$?
set -e
ERR=$(cat "$TMP/err")
expect_rc 3
expect_jq '.findings[0].id' DBP109
# on the host, with a process of a uid the host's passwd lacks in view:
# glibc's getpwuid would load the host's NSS modules (libnss_systemd) into
# the static binary, which crashed (SIGSEGV); names come from /etc/passwd
set +e
OUT=$(unshare -pf --mount-proc sh -c '
	setpriv --reuid=4242 --regid=4242 --clear-groups sleep 60 &
	until grep -q "^Uid:[[:space:]]*4242" /proc/$!/status 2>/dev/null; do sleep 0.01; done
	"$0" signals --all --json; rc=$?; kill $!; exit $rc' "$DBPOD" 2>"$TMP/err")
RC=$?
set -e
ERR=$(cat "$TMP/err")
[ "$RC" -le 3 ] || fail "dbpod signals exited $RC with a uid the host's passwd lacks in view: $ERR"
expect_jq '[.facts.processes[] | select(.uid == 4242) | .user] | first' 4242
note "static dbpod: $(stat -c %s "$DBPOD") bytes"
# the README's "about N MB stripped" is this build's, within a tenth
need_cmd strip
strip -o "$TMP/dbpod.stripped" "$DBPOD"
size=$(stat -c %s "$TMP/dbpod.stripped")
said=$(tr '\n' ' ' <"$top_srcdir/README" | grep -o 'about [0-9.]* MB stripped' | grep -o '[0-9.]*')
[ -n "$said" ] || fail "the README says no 'about N MB stripped'"
awk -v s="$size" -v r="$said" 'BEGIN { d = s / 1e6 - r; if (d < 0) d = -d; exit !(d <= r / 10) }' ||
	fail "the README says about $said MB stripped, the build is $(awk -v s="$size" 'BEGIN { printf "%.2f", s / 1e6 }') MB"
note "stripped: $size bytes; the README says about $said MB"
echo "ok: the static binary runs in an empty root"
