#!/bin/bash
# A real kernel path without touching the host's setting: in a private
# mount namespace a file holding 1 is bind-mounted over
# /proc/sys/vm/overcommit_memory, and the postgres profile flags it; a
# file holding 2 makes the finding go away.
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq
unshare -m --propagation private true 2>/dev/null || skip "mount namespaces are not available here"
set -e
host=$(cat /proc/sys/vm/overcommit_memory)
in_ns() {
	echo "$1" >"$TMP/oc"
	set +e
	OUT=$(unshare -m --propagation private sh -c \
		'mount --bind "$1" /proc/sys/vm/overcommit_memory && exec "$2" overcommit --json --profile=postgres' \
		sh "$TMP/oc" "$DBPOD" 2>"$TMP/err")
	RC=$?
	set -e
	ERR=$(cat "$TMP/err")
}
in_ns 1
expect_jq .facts.settings.overcommit_memory 1
expect_jq '.findings[] | select(.id == "DBC401") | .severity' warning
expect_jq '.findings[] | select(.id == "DBC401") | .message | test("is 1 \\(always overcommit")' true
[ "$RC" -ge 1 ] || fail "exit $RC with a warning"
in_ns 2
expect_jq .facts.settings.overcommit_memory 2
expect_jq '[.findings[] | select(.id == "DBC401")] | length' 0
# the host's setting is untouched
[ "$(cat /proc/sys/vm/overcommit_memory)" = "$host" ] || fail "the host's setting changed"
echo "ok: a bind-mounted overcommit_memory is read and judged"
