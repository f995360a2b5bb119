#!/bin/bash
# The same verdicts from the three places dbpod runs: inside the database's
# PID namespace (kubectl exec), beside it (the PID namespace shared, its own
# mount, IPC and /proc, as `kubectl debug --target` gives) and on the node
# (doctor --all-containers). For each live check and each setup, the
# status and the finding ids with their severities must be equal; a place
# that cannot see something may only say UNKNOWN where the others judged.
# The container form of the same matrix (podman, --pid=container:) runs in
# the real-stop table (802).
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq
set -e

CHECKS="pid1check signals oomscore overcommit lockfile"

# ids FILTER: the status and the sorted "ID:severity" list of a report
ids() {
	jq -c '[.status, ([.findings[] | .id + ":" + .severity] | sort)]'
}

judge_setup() {
	local name=$1 c inside beside node nodeall
	set +e
	nodeall=$("$DBPOD" doctor --all-containers --all --json 2>"$TMP/err")
	set -e
	for c in $CHECKS; do
		inside=$(ns_exec "$DBPOD" "$c" --json 2>/dev/null | ids)
		beside=$(nsenter -t "$NS_PID" -p -- unshare --ipc --mount --mount-proc \
			"$DBPOD" "$c" --json 2>/dev/null | ids)
		node=$(printf '%s' "$nodeall" | jq -c --argjson p "$NS_PID" \
			'.containers[] | select(.host_pid1 == $p) | .facts.checks[] |
			 select(.command == "'"$c"'") | [.status, ([.findings[] | .id + ":" + .severity] | sort)]')
		[ -n "$inside" ] || fail "$name $c: nothing from inside"
		[ "$inside" = "$beside" ] ||
			fail "$name $c: inside $inside, beside $beside"
		[ "$inside" = "$node" ] ||
			fail "$name $c: inside $inside, on the node $node"
		note "$name $c: $inside"
	done
}

stop_ns() {
	pg_stop
	kill -KILL "$NS_PID" 2>/dev/null || true
	wait_until sh -c "! kill -0 $NS_PID 2>/dev/null" || fail "the namespace did not end"
}

# the postmaster as PID 1 (the official image)
pg_start
judge_setup postgres-pid1
stop_ns

# a shell entrypoint without exec: the postmaster is PID 2
pg_init
# shellcheck disable=SC2016
ns_start sh -c '"$@" & wait' sh "${PG_CMD[@]}"
pg_wait
judge_setup shell-without-exec
stop_ns

# tini in front
if command -v tini >/dev/null; then
	pg_init
	ns_start tini -- "${PG_CMD[@]}"
	pg_wait
	judge_setup tini
	stop_ns
fi
echo "ok: inside, beside and on the node agree"
