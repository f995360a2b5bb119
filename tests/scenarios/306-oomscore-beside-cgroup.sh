#!/bin/bash
# A debug container beside the database shares its PID namespace but has a
# cgroup (and a memory limit) of its own: the limit dbpod judges must be
# the database's, not the debug container's.
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq
[ -d /sys/fs/cgroup/memory ] || skip "no cgroup v1 memory hierarchy on this host (v2 is tested on fixture trees)"
set -e
DB=/sys/fs/cgroup/memory/dbpod-test-db-$$
DEBUG=/sys/fs/cgroup/memory/dbpod-test-debug-$$
mkdir "$DB" "$DEBUG"
trap 'rc=$?; set +e; pg_stop; kill_tracked KILL; WAIT_SECONDS=60 wait_until rmdir "$DB" || echo "# $DB could not be removed"; WAIT_SECONDS=60 wait_until rmdir "$DEBUG" || echo "# $DEBUG could not be removed"; (exit $rc); cleanup' EXIT
echo 536870912 >"$DB/memory.limit_in_bytes"
echo 1073741824 >"$DEBUG/memory.limit_in_bytes"
pg_init
# shellcheck disable=SC2016
ns_start sh -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$DB" "${PG_CMD[@]}"
pg_wait

# inside: the database's own cgroup
run_dbpod oomscore --json
expect_jq .facts.cgroup.limit_bytes 536870912

# beside: the PID namespace shared; mount, IPC and cgroup its own
set +e
# shellcheck disable=SC2016
OUT=$(sh -c 'echo $$ >"$0/cgroup.procs" && exec nsenter -t "$1" -p -- unshare --mount --mount-proc --ipc "$2" oomscore --json' \
	"$DEBUG" "$NS_PID" "$DBPOD" 2>"$TMP/err"); RC=$?
set -e
ERR=$(cat "$TMP/err")
expect_jq .facts.cgroup.limit_bytes 536870912
expect_jq .facts.cgroup_of_pid 1
echo "ok: beside the database, its cgroup is judged, not the debug container's"
