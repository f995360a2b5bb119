#!/bin/bash
# The postmaster with a negative oom_score_adj (-997, Guaranteed) and no
# PG_OOM_ADJUST_FILE: its children inherit the protection (DBO306). Only
# PG_OOM_ADJUST_* is read from its environment; a password beside them is
# never printed. Needs CAP_SYS_RESOURCE to set a negative adj.
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq
set -e
# lowering an adj needs CAP_SYS_RESOURCE, which some sandboxes drop
(echo -997 >/proc/self/oom_score_adj) 2>/dev/null ||
	skip "cannot lower oom_score_adj here (no CAP_SYS_RESOURCE); unit tests cover DBO306"
echo -997 >/proc/self/oom_score_adj
pg_start env POSTGRES_PASSWORD=hunter2-do-not-print PG_OOM_ADJUST_VALUE=0

FX=$top_srcdir/tests/fixtures/oomscore/v2-root
run_dbpod --root="$FX" oomscore --json
expect_rc 1
expect_jq .facts.qos.class Guaranteed
expect_jq .facts.postmaster.environ_readable true
expect_jq .facts.postmaster.PG_OOM_ADJUST_FILE null
expect_jq .facts.postmaster.PG_OOM_ADJUST_VALUE 0
expect_jq '.findings[] | select(.id == "DBO306") | .severity' warning
expect_jq '.findings[] | select(.id == "DBO306") | .message | test("PG_OOM_ADJUST_FILE is not set")' true
expect_jq '[.findings[] | select(.id == "DBO307")] | length' 0
expect_no_out hunter2
run_dbpod --root="$FX" oomscore --no-color
expect_out 'WARNING DBO306 (pid 1)'
expect_no_out hunter2
printf '%s' "$ERR" | grep -q hunter2 && fail "the password is on stderr"
echo "ok: the inherited negative adj is found from PG_OOM_ADJUST_FILE alone"
