#!/bin/bash
# The stop-truth table, MariaDB and Redis part (see 800).
. "$(dirname "$0")/lib.sh"
. "$top_srcdir/tests/truth/truth.sh"
. "$top_srcdir/tests/truth/setups-others.sh"
need_truth
set -e
truth_others
truth_done
