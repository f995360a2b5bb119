#!/bin/bash
# The stop-truth table, a stop's time budget: PostgreSQL, Redis and
# MariaDB on a throttled disk, their shutdown (the checkpoint, the final
# RDB snapshot, InnoDB's dirty pages) longer or shorter than the grace; dbpod's
# prediction must agree with the real stop, its estimate within a factor
# of two of the measured shutdown (see tests/truth/setups-budget.sh).
. "$(dirname "$0")/lib.sh"
. "$top_srcdir/tests/truth/truth.sh"
. "$top_srcdir/tests/truth/setups-postgres.sh"
. "$top_srcdir/tests/truth/setups-budget.sh"
need_truth
set -e
truth_budget
truth_done
