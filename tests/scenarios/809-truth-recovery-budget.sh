#!/bin/bash
# The restart's budget against reality: PostgreSQL on a throttled disk is
# SIGKILLed after a write load and restarted; dbpod's estimate of the
# crash recovery, made just before the kill, must be within a factor of
# two of the recovery the restarted server's log measures (see
# truth_recovery in tests/truth/setups-budget.sh).
. "$(dirname "$0")/lib.sh"
. "$top_srcdir/tests/truth/truth.sh"
. "$top_srcdir/tests/truth/setups-postgres.sh"
. "$top_srcdir/tests/truth/setups-budget.sh"
need_truth
set -e
truth_recovery
