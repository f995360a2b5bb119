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
echo "ok: bash completion"
