#!/bin/bash
# The static truth table: every setup of the stop-truth table (800-802)
# as an image -- its Dockerfile or Compose file for dbpod lint, its
# inspect JSON for dbpod imagecheck -- must be predicted to stop as the
# real stop of that setup did (tests/truth/observed.table, which the
# runs of 800-802 check against reality). No root, nothing runs.
. "$(dirname "$0")/lib.sh"
. "$top_srcdir/tests/truth/observed.sh"
need_cmd jq
set -e
FIX=$top_srcdir/tests/fixtures
BAD=0
ROWS=0

# the replica of the official image as podman.sh builds it: its
# Containerfile with upstream's two scripts (the official image's, one
# copy in tests/fixtures/lint/postgres-15-bookworm) as the build context
CTX=$TMP/ctx-postgres
mkdir -p "$CTX"
cp "$top_srcdir/tests/truth/podman/Containerfile.postgres" "$CTX/Containerfile"
cp "$FIX/lint/postgres-15-bookworm/docker-entrypoint.sh" \
	"$FIX/lint/postgres-15-bookworm/docker-ensure-initdb.sh" "$CTX/"

# predicted COMMAND FILE SIGNAL GRACE: "OUTCOME WHEN" of the first
# container judged, or what went wrong
predicted() {
	local cmd=$1 file=$2 sig=$3 grace=$4 q
	set +e
	OUT=$("$DBPOD" "$cmd" --json --stop-signal="$sig" --grace="$grace" "$file" 2>"$TMP/err")
	RC=$?
	set -e
	[ "$RC" -le 2 ] || { echo "exit $RC: $(cat "$TMP/err")"; return; }
	case $cmd in
	lint) q='.facts.files[0].judged[0].stop_path' ;;
	*) q='.facts.images[0].stop_path' ;;
	esac
	printf '%s' "$OUT" | jq -r "$q | if . == null then \"none none\" else \"\\(.outcome) \\(.when)\" end" |
		{
			read -r outcome when
			after=$(printf '%s' "$OUT" | jq -r "$q.after_seconds // \"-\"")
			echo "$outcome $(when_kind "$when" "$after")"
		}
}

printf '%-22s %-5s %-20s %-20s %-20s\n' SETUP SIG OBSERVED LINT IMAGECHECK
while read -r name sig outcome when _db grace lint imagecheck; do
	case $name in '#'* | '') continue ;; esac
	want="$outcome $when"
	l=- i=-
	case $lint in
	-) ;;
	podman:Containerfile.postgres) l=$(predicted lint "$CTX/Containerfile" "$sig" "$grace") ;;
	*) l=$(predicted lint "$FIX/$lint" "$sig" "$grace") ;;
	esac
	[ "$imagecheck" = - ] || i=$(predicted imagecheck "$FIX/$imagecheck" "$sig" "$grace")
	mark=
	if { [ "$lint" != - ] && [ "$l" != "$want" ]; } ||
	   { [ "$imagecheck" != - ] && [ "$i" != "$want" ]; }; then
		mark="  <-- differs"
		BAD=$((BAD + 1))
	fi
	[ "$lint$imagecheck" = -- ] || ROWS=$((ROWS + 1))
	printf '%-22s %-5s %-20s %-20s %-20s%s\n' "$name" "$sig" "$want" "$l" "$i" "$mark"
done <"$OBSERVED_TABLE"
[ "$BAD" = 0 ] || fail "$BAD of $ROWS static predictions differ from the real stop (rows marked above)"
echo "ok: $ROWS static predictions (lint and imagecheck) agree with the real stops"
