#!/bin/bash
# PostgreSQL as PID 1 at oom_score_adj 900 with PG_OOM_ADJUST_FILE and
# PG_OOM_ADJUST_VALUE=950 in its environment: every child it forks writes
# 950 into its own oom_score_adj (raising needs no privilege), so the
# postmaster is the best protected of the cluster (no DBO305). Only those
# two variables are read from its environment: the password beside them
# is printed nowhere.
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq
set -e
echo 900 >/proc/self/oom_score_adj
pg_start env POSTGRES_PASSWORD=hunter2-do-not-print \
	PG_OOM_ADJUST_FILE=/proc/self/oom_score_adj PG_OOM_ADJUST_VALUE=950

FX=$top_srcdir/tests/fixtures/oomscore/v2-root
run_dbpod --root="$FX" oomscore --json
expect_rc 1
expect_jq .facts.postmaster.pid 1
expect_jq .facts.postmaster.environ_readable true
expect_jq .facts.postmaster.PG_OOM_ADJUST_FILE /proc/self/oom_score_adj
expect_jq .facts.postmaster.PG_OOM_ADJUST_VALUE 950
expect_jq '[.facts.processes[] | select(.comm == "postgres" and .pid != 1) | .oom_score_adj == 950] | all' true
expect_jq '.facts.processes[] | select(.pid == 1) | .oom_score_adj' 900
# the postmaster comes last among the PostgreSQL processes
expect_jq '[.facts.processes[] | select(.comm == "postgres")] | last | .pid' 1
expect_jq '[.findings[].id] | sort | join(",")' DBO307,DBO309
expect_no_out hunter2
run_dbpod --root="$FX" oomscore --no-color
expect_no_out hunter2
expect_no_out POSTGRES_PASSWORD
printf '%s' "$ERR" | grep -q hunter2 && fail "the password is on stderr"
echo "ok: PG_OOM_ADJUST_* read and judged, nothing else from environ"
