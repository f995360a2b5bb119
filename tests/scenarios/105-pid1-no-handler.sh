#!/bin/bash
# A PID 1 with no SIGTERM handler, and one that ignores SIGTERM.
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq
set -e
ns_start sleep 1000
run_dbpod pid1check --json --stop-signal=SIGTERM
expect_rc 2
expect_jq .facts.pid1.stop_signal_disposition default
expect_jq '.findings[] | select(.id == "DBP103") | .severity' critical
expect_jq '.findings[] | select(.id == "DBP103") | .message | test("neither catches nor blocks SIGTERM")' true
# without --stop-signal both usual stop signals are judged, one finding each
run_dbpod pid1check --json
expect_jq '[.findings[] | select(.id == "DBP103") | .message | test("SIGTERM, one of") or test("SIGINT, one of")] | [all, length] | map(tostring) | join(" ")' "true 2"
expect_jq '.facts.pid1.stop_signal_dispositions.SIGINT' default

# SIGKILL cannot be dropped: nothing to say about the stop signal then
run_dbpod pid1check --stop-signal=9 --json
expect_jq '[.findings[] | select(.id == "DBP103")] | length' 0
kill -KILL "$NS_PID"

# an ignored signal survives exec: `trap '' TERM` in a wrapper
ns_start sh -c "trap '' TERM; exec sleep 1000"
run_dbpod pid1check --json --stop-signal=TERM
expect_rc 2
expect_jq .facts.pid1.stop_signal_disposition ignored
expect_jq '.findings[] | select(.id == "DBP103") | .message | test("ignores SIGTERM")' true
echo "ok: a PID 1 that drops SIGTERM is critical"
