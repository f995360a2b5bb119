#!/bin/bash
# postmortem --timeline --format=svg: an orphaned psql's crash-restart
# recorded with --acct, drawn
# as a self-contained SVG that headless Chromium renders to a PNG at the
# width of a document (1200 px) without an error; the picture holds the
# crash marker and the culprit's label, refers to nothing outside itself
# and is well-formed XML. The exit status is the verdict, as in the text.
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq xmllint
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROMIUM" ] || skip "chromium is not installed (./bootstrap --install-test-deps installs it)"
set -e
grep -q 'CONFIG_BSD_PROCESS_ACCT=y' "/boot/config-$(uname -r)" 2>/dev/null ||
	[ ! -e "/boot/config-$(uname -r)" ] || skip "the kernel has no BSD process accounting"

pg_with_recorder --acct
pg_crash_psql
rec_stop_ns

# only the timeline draws
run_host postmortem "$REC" --format=svg
expect_rc 3
run_host pid1check --format=svg
expect_rc 3

run_host postmortem "$REC" --timeline --format=svg
expect_rc 2
grep -q 'critical' <<<"$ERR" || fail "the verdict is not said on standard error: $ERR"
SVG=$TMP/timeline.svg
printf '%s\n' "$OUT" >"$SVG"
xmllint --noout "$SVG" || fail "not well-formed XML"
grep -q '<svg xmlns="http://www.w3.org/2000/svg" width="1200"' "$SVG" || fail "not 1200 px wide: $(head -3 "$SVG")"
# self-contained: no script, no image, no link, no external style
! grep -Eq '<script|<image|href=|url\(|@import' "$SVG" || fail "the SVG refers to something outside it"
# the crash marker and the culprit's label, named by accounting
grep -q '<g id="crash-marker" class="crash">' "$SVG" || fail "no crash marker"
grep -q '>CRASH-RESTART [0-9:.]*</text>' "$SVG" || fail "the crash marker has no label"
grep -q "<text id=\"culprit-label\" [^>]*>PID $PSQL psql (root) — culprit</text>" "$SVG" ||
	fail "no label for the culprit psql $PSQL: $(grep -o 'PID [0-9]* psql[^<]*' "$SVG")"
grep -q '>SIGPIPE</text>' "$SVG" || fail "the signal of the death is not marked"
grep -q "class=\"log-line\"" "$SVG" || fail "the log's lines are not on the axis"
grep -q "server process (PID $PSQL) was terminated by signal 13" "$SVG" || fail "the log line is not listed"

# a real browser renders it: headless Chromium to a PNG, 1200 px wide
PNG=$TMP/timeline.png
set +e
timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars \
	--user-data-dir="$TMP/chromium" --screenshot="$PNG" --window-size=1200,800 \
	"file://$SVG" >"$TMP/chromium.out" 2>&1
RC=$?
set -e
[ "$RC" = 0 ] || fail "chromium exited $RC: $(tail -5 "$TMP/chromium.out")"
[ -s "$PNG" ] || fail "chromium wrote no PNG: $(tail -5 "$TMP/chromium.out")"
[ "$(head -c 8 "$PNG" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "not a PNG"
# IHDR: the width, big-endian, at byte 16
[ "$(od -An -tu1 -j16 -N4 "$PNG" | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }')" = 1200 ] ||
	fail "the PNG is not 1200 px wide"
# a picture, not a blank page: a blank 1200x800 PNG is under 10 kB
[ "$(stat -c %s "$PNG")" -gt 10000 ] || fail "the PNG is nearly empty ($(stat -c %s "$PNG") bytes)"
echo "ok: the incident drawn, and Chromium renders it"
