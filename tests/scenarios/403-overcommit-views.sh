#!/bin/bash
# overcommit: the text, JSON and Prometheus views show one headroom, the
# CommitLimit the vm settings give minus Committed_AS. The fixture's
# CommitLimit line is the kernel's before vm.overcommit_ratio went from 50
# to 40 (or a bind-mounted sysctl, 402): the Prometheus view used to
# subtract from it while the others used the computed limit.
. "$(dirname "$0")/lib.sh"
need_cmd jq
set -e
F=$top_srcdir/tests/fixtures/overcommit/ratio-changed

run_host --root="$F" overcommit --profile=postgres --json
expect_rc 2
kb=$(printf '%s' "$OUT" | jq -r .facts.meminfo.headroom_kb)
[ "$(printf '%s' "$OUT" | jq -r .facts.meminfo.commit_limit_kb)" = 9437184 ] ||
	fail "the fixture's CommitLimit line is not read"
if [ "$(getconf PAGESIZE)" = 4096 ]; then
	# (16777216 kB / 4 kB pages) x 40 / 100, whole pages, + 1048576 swap
	expect_jq .facts.meminfo.commit_limit_computed_kb 7759460
	[ "$kb" = $((7759460 - 9000000)) ] || fail "headroom_kb is $kb"
fi

run_host --root="$F" overcommit --profile=postgres --format=prometheus
expect_rc 2
prom=$(printf '%s\n' "$OUT" | sed -n 's/^dbpod_commit_headroom_bytes //p')
[ "$prom" = $((kb * 1024)) ] || fail "Prometheus headroom $prom, JSON ${kb} kB"

run_host --root="$F" overcommit --profile=postgres --no-color
expect_rc 2
text=$(printf '%s\n' "$OUT" | sed -n 's/^Headroom *\(-\{0,1\}[0-9]*\) MiB left to promise$/\1/p')
# the text view cuts to whole MiB, toward zero
[ "$text" = $((kb / 1024)) ] || fail "text headroom $text MiB, JSON ${kb} kB"
echo "ok: one headroom in every view"
