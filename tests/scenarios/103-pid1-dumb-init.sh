#!/bin/bash
# dumb-init in front of PostgreSQL: OK; it signals the child's group.
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq dumb-init
set -e
pg_start dumb-init

run_dbpod pid1check --json
expect_rc 0
expect_jq .status ok
expect_jq .facts.pid1.name dumb-init
expect_jq .facts.pid1.forwards_to group
expect_jq '.facts.chain[1].database' postgresql
echo "ok: dumb-init in front of postgres is OK"
