#!/bin/bash
# A root psql started through an exec session and left behind is adopted
# by the postmaster (PID 1): dbpod names it as a foreign child, whose death
# by a signal would make the postmaster restart every session.
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq
set -e
pg_start

# like `kubectl exec pg-0 -- sh -c 'psql ... &'`: the shell exits at once
orphan_psql
[ "$(ns_exec ps -o ppid= -p "$PSQL" | tr -d ' ')" = 1 ] || fail "psql was not adopted by PID 1"

run_dbpod pid1check --json
expect_rc 2
expect_jq "[.findings[] | select(.id == \"DBP105\")] | length" 1
expect_jq ".findings[] | select(.id == \"DBP105\") | .pid" "$PSQL"
expect_jq ".findings[] | select(.id == \"DBP105\") | .severity" critical
expect_jq '.facts.adopted | length' 1
expect_jq '.facts.adopted[0].comm' psql
expect_jq '.facts.adopted[0].user' root
# the backend serving that psql is the postmaster's own child
expect_jq "[.findings[] | select(.id == \"DBP105\" and .pid != $PSQL)] | length" 0

run_dbpod pid1check --no-color
expect_out "CRITICAL DBP105 (pid $PSQL)"
expect_out 'psql, user root'
echo "ok: the orphaned root psql is named"
