#!/bin/bash
# imagecheck on inspect fixtures: no root, nothing runs.
. "$(dirname "$0")/lib.sh"
need_cmd jq
set -e
FIX=$top_srcdir/tests/fixtures/imagecheck

# the official postgres image: entrypoint script that execs, SIGINT, no init
run_host imagecheck --json "$FIX/postgres-official.json"
expect_rc 1
expect_jq '.facts.images[0].name' postgres:15
expect_jq '.facts.images[0].database' postgresql
expect_jq '.facts.images[0].stop_signal' SIGINT
expect_jq '.facts.images[0].pid1' docker-entrypoint.sh
expect_jq '[.findings[].id] | sort | join(",")' DBI602,DBI603
expect_jq '.findings[] | select(.id == "DBI603") | .severity' warning

# shell form with a compound command: sh stays PID 1 -- critical for a
# database; SIGTERM is the stop signal; the password in Env is never shown
run_host imagecheck --json "$FIX/shell-form.json"
expect_rc 2
expect_jq '.facts.images[0].shell_form' true
expect_jq '.findings[] | select(.id == "DBI601") | .severity' critical
expect_jq '.findings[] | select(.id == "DBI604") | .severity' warning
expect_no_out hunter2
run_host imagecheck "$FIX/shell-form.json"
expect_no_out hunter2

# a bash wrapper, not a database: the script note only; secrets redacted
run_host imagecheck --json - <"$FIX/bash-wrapper.json"
expect_rc 0
expect_jq '[.findings[].id] | join(",")' DBI602
expect_jq '.facts.images[0].database' null
expect_no_out sekrit
expect_no_out s3cr3t

# tini in front, SIGINT: OK
run_host imagecheck --json "$FIX/tini.json"
expect_rc 0
expect_jq '.facts.images[0].init' true
expect_jq '.findings | length' 0

# two containers: --init makes one OK; the other runs PostgreSQL as PID 1
# for real (Init false), which is as critical as pid1check's DBP101
run_host imagecheck --json "$FIX/container-init.json"
expect_rc 2
expect_jq '.facts.images[0].pid1' docker-init
expect_jq '.findings[] | select(.id == "DBI603") | .severity' critical
expect_jq '.facts.images | length' 2
expect_jq '.facts.images[0].host_config_init' true
expect_jq '[.findings[] | select(.id == "DBI603") | .message | startswith("/pg-noinit")] | all' true
expect_jq '[.findings[] | select(.id == "DBI603")] | length' 1

# redis: no StopSignal is fine for redis, no init is a warning
run_host imagecheck --json "$FIX/redis-official.json"
expect_rc 1
expect_jq '.facts.images[0].database' redis
expect_jq '[.findings[] | select(.id == "DBI604")] | length' 0

# OCI config, StopSignal SIGTERM on PostgreSQL
run_host imagecheck --json "$FIX/oci-config.json"
expect_jq '.facts.images[0].source' oci
expect_jq '.findings[] | select(.id == "DBI604") | .message | test("smart shutdown")' true

# su in the command; `exec` in a shell string is not shell form
run_host imagecheck --json "$FIX/su.json"
expect_jq '.findings[] | select(.id == "DBI605") | .severity' warning
expect_jq '.facts.images[0].shell_form' false

# broken input: a clear message and exit 3
run_host imagecheck --json "$FIX/broken.json"
expect_rc 3
expect_jq '.findings[0].id' DBI600
run_host imagecheck --json "$FIX/not-inspect.json"
expect_rc 3
expect_jq '.findings[0].message | test("not an inspect object")' true
run_host imagecheck /nonexistent.json
expect_rc 3
printf '%s' "$ERR" | grep -q "cannot open '/nonexistent.json'" || fail "bad message: $ERR"
echo "ok: imagecheck fixtures"
