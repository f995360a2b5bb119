#!/bin/bash
# The live machine with each --profile: no crash, the kernel's CommitLimit
# computed the same way /proc/meminfo shows it, exit codes that match the
# findings.
. "$(dirname "$0")/lib.sh"
need_cmd jq
set -e
for p in postgres redis mongodb mysql generic; do
	run_host overcommit --json --profile=$p
	expect_jq .facts.profile $p
	expect_jq .facts.profile_detected false
	status=$(printf '%s' "$OUT" | jq -r .status)
	case $status in ok) want=0 ;; warning) want=1 ;; critical) want=2 ;; *) want=3 ;; esac
	expect_rc "$want"
	# the computed CommitLimit is the kernel's (pages, ratio, huge pages, swap)
	expect_jq '.facts.meminfo.commit_limit_computed_kb == .facts.meminfo.commit_limit_kb' true
	expect_jq .facts.settings.overcommit_memory "$(cat /proc/sys/vm/overcommit_memory)"
	run_host overcommit --profile=$p --no-color
	expect_rc "$want"
	expect_out "^Profile      $p\$"
done
echo "ok: the live machine judged with every profile"
