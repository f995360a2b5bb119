#!/bin/bash
# The bash completion, driven the way bash drives it: COMP_WORDS and
# COMP_CWORD set, the function called, COMPREPLY read back.
. "$(dirname "$0")/lib.sh"
set -e
# shellcheck source=/dev/null
. "$top_srcdir/contrib/bash-completion/dbpod"
complete -p dbpod | grep -q -- '-F _dbpod' || fail "complete does not name _dbpod"

# complete WORD...: the last word is the one being completed
complete_words() {
	COMP_WORDS=("$DBPOD" "$@")
	COMP_CWORD=$#
	COMPREPLY=()
	_dbpod
	printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' '
}
expect_words() {
	local got
	got=$(complete_words "${@:2}")
	[ "$got" = "$1" ] || fail "completing '${*:2}': expected '$1', got '$got'"
}
has_word() {
	local got
	got=$(complete_words "${@:2}")
	case " $got " in *" $1 "*) ;; *) fail "completing '${*:2}': no '$1' in '$got'" ;; esac
}

has_word doctor ""
has_word pid1check ""
has_word signals "si"
expect_words "pid1check " "pid"
has_word --stop-signal= pid1check --st
has_word --grace= signals --
has_word --all signals --
has_word --json --j
expect_words "json " --format=j
expect_words "SIGINT " signals --stop-signal SIGI
expect_words "prometheus " --format pro
has_word imagecheck help ""
has_word 1 signals ""
has_word --all-containers snapshot --all
has_word --container= postmortem --cont
# the containers of the recordings on the line, by name and short ID
printf '%s\n' '{"k":"header","dbpod_recording":2,"all_containers":true}' \
	'{"k":"namespace","t":1.0,"ns":4026532801,"container_id":"3f2a9c0e5b7d4a1f8e6c2b9a0d3f5e7c1b4a6d8e0f2c4b6a8d0e2f4a6c8b0d2e","name":"pg-0"}' \
	>"$TMP/node.jsonl"
gzip -c "$TMP/node.jsonl" >"$TMP/node.jsonl.1.gz"
expect_words "pg-0 " postmortem "$TMP/node.jsonl" --container pg
expect_words "3f2a9c0e5b7d " postmortem "$TMP/node.jsonl.1.gz" --container 3f

# The values of every option that takes a fixed set, in the
# forms bash hands them over (--opt=V, --opt V, --opt = V after a split
# at '='), and -f as --format; a value after -f is not the command
expect_words "oneline " --format=o
expect_words "json " -f j
expect_words "json " doctor --format = j
has_word doctor -f json doc
has_word sarif lint --format=
case " $(complete_words signals --format=) " in *" sarif "*) fail "sarif offered outside lint" ;; esac
has_word svg postmortem --format=
case " $(complete_words lint --format=) " in *" svg "*) fail "svg offered outside postmortem" ;; esac
expect_words "postgres " overcommit --profile=po
expect_words "postgres " overcommit --profile = po
expect_words "SIGQUIT " signals --stop-signal=SIGQ
expect_words "SIGQUIT " pid1check --stop-signal = SIGQ
expect_words "kubernetes " lint --kind=k
expect_words "none " lint --failure-threshold=n
# each value offered is one dbpod takes (an unknown one fails before
# --help is reached), and each value dbpod names is offered
for spec in "lint --format" "signals --format" "overcommit --profile" "lint --profile" \
	"lint --kind" "lint --failure-threshold" "signals --stop-signal"; do
	read -r cmd opt <<<"$spec"
	offered=$(complete_words "$cmd" "$opt=")
	for v in $offered; do
		"$DBPOD" "$cmd" "$opt=$v" --help >/dev/null 2>&1 || fail "$cmd $opt=$v is offered, dbpod refuses it"
	done
	[ "$opt" = --stop-signal ] && continue
	# the values the message names: its words but the option's, the
	# command's and the message's own
	named=$("$DBPOD" "$cmd" "$opt=zz" 2>&1 | head -n 1 | sed "s/^dbpod $cmd: //; s/--[a-z-]*//; s/'zz'//" |
		grep -o '[a-z]\{2,\}' | grep -vx 'unknown\|format\|profile\|kind\|takes\|use\|or\|not\|also\|dbpod\|lint\|postmortem\|timeline' || true)
	[ -n "$named" ] || fail "$cmd $opt: no values read from dbpod's message"
	# lint's CI formats and postmortem --timeline's svg, offered only there
	[ "$cmd" = signals ] && [ "$opt" = --format ] && named=$(printf '%s\n' "$named" | grep -v 'sarif\|junit\|codequality\|checkstyle')
	[ "$opt" = --format ] && named=$(printf '%s\n' "$named" | grep -vx svg)
	for v in $named; do
		case " $offered " in *" $v "*) ;; *) fail "$cmd $opt: dbpod takes '$v', the completion does not offer it ($offered)" ;; esac
	done
done
# every command's options, and dbpod's own before a command: each
# offered once, and each one the command takes (dbpod refuses an unknown
# long option before --help is acted on); options its help only names in
# prose (snapshot --all-containers in postmortem's, --timeline in the
# global --format's) are not offered
for cmd in "" $("$DBPOD" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z0-9]*\) .*/\1/p'); do
	# shellcheck disable=SC2086 # no word for dbpod's own
	offered=$(complete_words $cmd --)
	[ -n "$offered" ] || fail "dbpod $cmd: no option offered"
	# shellcheck disable=SC2086 # one option a word
	twice=$(printf '%s\n' $offered | sed 's/=$//' | sort | uniq -d)
	[ -z "$twice" ] || fail "dbpod $cmd: offered more than once: $twice ($offered)"
	for opt in $offered; do
		case $opt in *=) opt=${opt}1 ;; esac
		# shellcheck disable=SC2086
		"$DBPOD" $cmd --help "$opt" >/dev/null 2>"$TMP/err" ||
			fail "dbpod $cmd: '$opt' is offered, dbpod refuses it: $(cat "$TMP/err")"
	done
done
expect_words "--check --container= " postmortem --c
expect_words "--changes --compress --count= " snapshot --c
case " $(complete_words postmortem --a) " in *" --all-containers "*) fail "postmortem offers snapshot's --all-containers" ;; esac
echo "ok: bash completion"
