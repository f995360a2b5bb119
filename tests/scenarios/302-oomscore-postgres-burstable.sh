#!/bin/bash
# PostgreSQL as PID 1 with oom_score_adj 900 (what the kubelet gives a
# Burstable pod that requests 10% of the node), set by hand: the QoS
# reading, the implied request, and the postmaster no better protected
# than its children. The cgroup part comes from a fixture without a limit
# (and its 16000 MiB MemTotal), so only the processes decide.
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq
set -e
# inherited by everything started from here, as from the runtime
echo 900 >/proc/self/oom_score_adj
pg_start

run_dbpod --root="$top_srcdir/tests/fixtures/oomscore/v2-root" oomscore --json
expect_rc 1
expect_jq .facts.qos.class Burstable
expect_jq .facts.qos.pid 1
expect_jq .facts.qos.oom_score_adj 900
expect_jq .facts.qos.implied_request_bytes 1677721600
expect_jq .facts.postmaster.pid 1
expect_jq '[.findings[] | .id + " " + .severity + " " + (.pid | tostring)] | sort | join(",")' \
	"DBO305 warning 1,DBO307 warning 1,DBO309 info null"
expect_jq '.findings[] | select(.id == "DBO307") | .message | test("about 10.0% of the node")' true
expect_jq '.findings[] | select(.id == "DBO305") | .advice | test("PG_OOM_ADJUST_FILE")' true
# every PostgreSQL process is in the table with adj 900, in kill order
expect_jq '[.facts.processes[] | select(.comm == "postgres") | .oom_score_adj == 900] | all' true
expect_jq '[.facts.processes[] | select(.comm == "postgres")] | length > 3' true
expect_jq '[.facts.processes[].oom_score] | . == (sort | reverse)' true
expect_jq '[.facts.processes[].kill_rank] | . == [range(1; length + 1)]' true

run_dbpod --root="$top_srcdir/tests/fixtures/oomscore/v2-root" oomscore --no-color 1
expect_out '^QoS          Burstable (oom_score_adj 900 of PID 1)$'
expect_out '^    1 postgres'
expect_out 'WARNING DBO307 (pid 1)'
echo "ok: a Burstable postmaster is read back and advised"
