#!/bin/bash
# On the host (the initial PID namespace) PID 1 is the machine's init: not
# a container. pid1check says so (DBP110) and judges none of the container
# rules, signals predicts no runtime stop (DBS206), doctor says it on its
# first line; in a PID namespace of its own nothing of that is said.
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq
set -e
[ "$(stat -L -c %i /proc/self/ns/pid)" = 4026531836 ] ||
	skip "this test runs in a container itself: it has no host's PID namespace to look at"

run_host pid1check --json
expect_rc 0
expect_jq '[.findings[].id] | join(",")' DBP110
expect_jq '.findings[0].message | test("not a container")' true

run_host signals --json
expect_rc 0
expect_jq '[.findings[].id] | join(",")' DBS206
expect_jq .facts.stop_path null
expect_jq '.facts.stop_paths | length' 0
expect_jq .facts.host true

set +e
OUT=$("$DBPOD" doctor --no-color 2>"$TMP/err"); RC=$?
set -e
first=$(printf '%s\n' "$OUT" | head -n 1)
case $first in
*"on the host: not a container"*) ;;
*) fail "doctor's first line does not say it is the host: $first" ;;
esac
expect_no_out "stop with"
set +e
OUT=$("$DBPOD" doctor --json 2>"$TMP/err"); RC=$?
set -e
expect_jq .facts.host true

# a PID namespace of its own, with a shell as PID 1: the container rules
ns_start sh -c 'sleep 600 & wait'
ns_wait_comm sleep
run_dbpod pid1check --json
expect_rc 2
expect_jq '[.findings[] | select(.id == "DBP110")] | length' 0
expect_jq '[.findings[] | select(.id == "DBP103")] | length >= 1' true
run_dbpod signals --json
expect_jq .facts.host false
expect_jq '.facts.stop_paths | length' 2
echo "ok: the host is named as the host, and a namespace is judged as a container"
