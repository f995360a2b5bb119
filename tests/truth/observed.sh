# The observed outcome of each real stop (observed.table), for the rows of
# the stop-truth table and for the static checks of scenario 925.
# shellcheck shell=bash

OBSERVED_TABLE=${top_srcdir:?}/tests/truth/observed.table

# observed_row NAME SIGNAL: prints "OUTCOME WHEN" for the row (SIGNAL as
# TERM or SIGTERM), nothing when the table has none
observed_row() {
	awk -v n="$1" -v s="${2#SIG}" '!/^#/ && $1 == n && $2 == s { print $3, $4; exit }' "$OBSERVED_TABLE"
}

# when_kind WHEN AFTER: the "when" of a stop path (its text and
# after_seconds) as the table writes it
when_kind() {
	case $1 in
	"when its shutdown ends") echo shutdown ;;
	"at once") echo at-once ;;
	"after "*) echo "after-$2" ;;
	"at the end of the "*) echo grace ;;
	*) echo unknown ;;
	esac
}

# observed_check NAME SIGNAL PREDICTED WHEN AFTER: empty when the live
# prediction is the outcome the table pins (which the row's own verdict
# then checks against the real stop), else why not
observed_check() {
	local row kind
	row=$(observed_row "$1" "$2")
	kind=$(when_kind "$4" "$5")
	if [ -z "$row" ]; then
		echo "no row for $1 $2 in tests/truth/observed.table"
	elif [ "$row" != "$3 $kind" ]; then
		echo "observed.table pins '$row', the prediction is '$3 $kind'"
	fi
}
