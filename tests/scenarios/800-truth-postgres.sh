#!/bin/bash
# The stop-truth table, PostgreSQL part: every setup runs for real, is
# stopped as a runtime stops it, and is judged by pg_controldata and a
# restart; dbpod's prediction must agree with what happened.
. "$(dirname "$0")/lib.sh"
. "$top_srcdir/tests/truth/truth.sh"
. "$top_srcdir/tests/truth/setups-postgres.sh"
need_truth
set -e
truth_postgres
truth_done
