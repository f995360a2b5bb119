#!/bin/bash
# The stop-truth table, PostgreSQL part: every setup runs for real, is
# stopped as a runtime stops it, and is judged by pg_controldata and a
# restart; dbpod's prediction must agree with what happened. Every row
# also asks two mutants of dbpod (tests/truth/mutant-dbpod: every outcome
# "uncertain"; graceful and sigkill swapped) and judges them against the
# same stop: the test fails unless the table fails each mutant.
. "$(dirname "$0")/lib.sh"
. "$top_srcdir/tests/truth/truth.sh"
. "$top_srcdir/tests/truth/setups-postgres.sh"
need_truth
TRUTH_MUTANTS=${TRUTH_MUTANTS:-uncertain swap}
set -e
truth_postgres
truth_done
