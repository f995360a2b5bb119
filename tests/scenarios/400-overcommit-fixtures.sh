#!/bin/bash
# overcommit on fixture trees (--root): modes 0, 1, 2 with ratio 50 and
# 100, overcommit_kbytes, huge pages reserved, THP always/madvise/never, no
# swap, a cgroup limit below CommitLimit, panic_on_oom, garbage; each
# profile. dbpod runs in a PID namespace with only a sleep beside it, so
# the detected profile is generic.
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq
set -e
ns_start sleep 1000
ns_wait_comm sleep

# tree NAME MODE RATIO KBYTES SWAP_KB HUGEPAGES THP SWAPPINESS PANIC [CGROUP_LIMIT]
# A 16 GiB node (16777216 kB), 2 MiB huge pages; Committed_AS 4 GiB.
tree() {
	local d=$TMP/$1
	mkdir -p "$d/proc/sys/vm" "$d/proc/self" "$d/sys/kernel/mm/transparent_hugepage" "$d/sys/fs/cgroup"
	echo "$2" >"$d/proc/sys/vm/overcommit_memory"
	echo "$3" >"$d/proc/sys/vm/overcommit_ratio"
	echo "$4" >"$d/proc/sys/vm/overcommit_kbytes"
	echo "$8" >"$d/proc/sys/vm/swappiness"
	echo "$9" >"$d/proc/sys/vm/panic_on_oom"
	printf 'MemTotal:       16777216 kB\nSwapTotal:       %s kB\nCommitLimit:     1 kB\nCommitted_AS:    4194304 kB\nHugePages_Total: %s\nHugepagesize:       2048 kB\nHugetlb:         %s kB\n' \
		"$5" "$6" $(($6 * 2048)) >"$d/proc/meminfo"
	case $7 in
	always) t='[always] madvise never' ;; madvise) t='always [madvise] never' ;; *) t='always madvise [never]' ;;
	esac
	echo "$t" >"$d/sys/kernel/mm/transparent_hugepage/enabled"
	echo 'always defer defer+madvise [madvise] never' >"$d/sys/kernel/mm/transparent_hugepage/defrag"
	echo '0::/' >"$d/proc/self/cgroup"
	echo 'memory' >"$d/sys/fs/cgroup/cgroup.controllers"
	echo "${10:-max}" >"$d/sys/fs/cgroup/memory.max"
}
oc() { run_dbpod --root="$TMP/$1" overcommit --json "${@:2}"; }
ids() { expect_jq '[.findings[] | .id + " " + .severity] | sort | join(",")' "$1"; }

tree m0 0 50 0 0 0 madvise 60 0
oc m0 --profile=postgres
expect_rc 1
ids "DBC401 warning"
expect_jq .facts.settings.overcommit_memory 0
expect_jq '.findings[0].advice | test("protectKernelDefaults")' true
oc m0 --profile=mysql
expect_rc 0
ids ""
oc m0 --profile=redis
expect_rc 1
ids "DBC401 warning"
# nothing runs but a sleep: generic
oc m0
expect_rc 0
expect_jq .facts.profile generic
expect_jq .facts.profile_detected true

tree m1 1 50 0 0 0 madvise 60 0
oc m1 --profile=postgres
expect_rc 1
expect_jq '.findings[0].message | test("what the kubelet sets")' true
oc m1 --profile=redis
expect_rc 0
ids ""
# On a Kubernetes node 1 is the kubelet's doing, and mode 2 not
# the node's to give: DBC401 says what the pod can do, and is no warning.
# Told from the pod's cgroup, or from the kubelet's variable.
expect_jq .facts.kubernetes_node false
cp -r "$TMP/m1" "$TMP/m1k8s"
echo '0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod0a1b2c3d_4e5f_4a7b_8c9d_0e1f2a3b4c5d.slice/cri-containerd-3f2a9c0e5b7d4a1f8e6c2b9a0d3f5e7c1b4a6d8e0f2c4b6a8d0e2f4a6c8b0d2e.scope' \
	>"$TMP/m1k8s/proc/self/cgroup"
for how in cgroup env; do
	if [ "$how" = cgroup ]; then
		oc m1k8s --profile=postgres
	else
		set +e
		OUT=$(ns_exec env KUBERNETES_SERVICE_HOST=10.96.0.1 "$DBPOD" --root="$TMP/m1" overcommit --json --profile=postgres 2>"$TMP/err")
		RC=$?
		set -e
	fi
	expect_rc 0
	expect_jq .facts.kubernetes_node true
	ids "DBC401 info"
	expect_jq '.findings[0].advice | test("requests equal to limits")' true
	expect_jq '.findings[0].advice | test("overcommit_memory=2|protectKernelDefaults")' false
done

# mode 2, ratio 50, no swap: CommitLimit is half the RAM
tree m2r50 2 50 0 0 0 madvise 60 0
oc m2r50 --profile=postgres
expect_rc 1
ids "DBC402 warning"
expect_jq .facts.meminfo.commit_limit_computed_kb 8388608
oc m2r50 --profile=generic
expect_rc 0
oc m2r50 --profile=redis
ids "DBC401 warning,DBC402 warning"
# ratio 100: all of it, and Committed_AS at 25 %
tree m2r100 2 100 0 0 0 madvise 60 0
oc m2r100 --profile=postgres
expect_rc 0
ids ""
expect_jq .facts.meminfo.commit_limit_computed_kb 16777216
# 1 GiB of huge pages reserved come out of the RAM first, swap adds
tree m2huge 2 100 0 2097152 512 madvise 60 0
oc m2huge --profile=postgres
expect_jq .facts.meminfo.hugetlb_kb 1048576
expect_jq .facts.meminfo.commit_limit_computed_kb $((16777216 - 1048576 + 2097152))
# overcommit_kbytes replaces the ratio: 4.5 GiB, Committed_AS 4 GiB = 89 %
tree m2kb 2 50 4718592 0 0 madvise 60 0
oc m2kb --profile=postgres
expect_rc 1
expect_jq .facts.meminfo.commit_limit_computed_kb 4718592
expect_jq .facts.meminfo.headroom_kb $((4718592 - 4194304))
ids "DBC402 warning,DBC403 warning"
tree m2kbfull 2 50 4300000 0 0 madvise 60 0
oc m2kbfull --profile=postgres
expect_rc 2
expect_jq '.findings[] | select(.id == "DBC403") | .severity' critical

# a 2 GiB container limit under a 16 GiB CommitLimit
tree m2cg 2 100 0 0 0 madvise 60 0 2147483648
oc m2cg --profile=postgres
expect_rc 1
ids "DBC404 warning"
expect_jq .facts.cgroup_limit_bytes 2147483648
oc m2cg --profile=mongodb --ignore=DBC406
ids "DBC404 warning,DBC405 info"

# THP
tree thpa 1 50 0 0 0 always 1 0
oc thpa --profile=redis
expect_rc 1
ids "DBC405 warning"
oc thpa --profile=mongodb
expect_rc 0
ids "DBC405 info"
oc thpa --profile=mysql
ids ""
tree thpn 2 100 0 0 0 never 60 0
oc thpn --profile=postgres
ids ""
expect_jq .facts.settings.thp_enabled never
oc thpn --profile=mongodb
ids "DBC405 info,DBC406 warning"

# panic_on_oom
tree panic 2 100 0 0 0 madvise 60 2
oc panic --profile=generic
expect_rc 1
ids "DBC407 warning"

# garbage: said, the rest judged
tree junk 1 50 0 0 0 madvise 60 0
echo lots >"$TMP/junk/proc/sys/vm/overcommit_memory"
oc junk --profile=postgres
expect_rc 0
printf '%s' "$ERR" | grep -q "overcommit_memory': not in the kernel's format" || fail "bad message: $ERR"
ids "DBC400 info"
expect_jq .facts.settings.overcommit_memory null
expect_jq .facts.settings.overcommit_ratio 50
# nothing at all
run_dbpod --root="$TMP/nothing" overcommit
expect_rc 3
run_dbpod overcommit --profile=oracle
expect_rc 3
printf '%s' "$ERR" | grep -q "unknown profile 'oracle'" || fail "bad message: $ERR"

run_dbpod --root="$TMP/m2r50" overcommit --no-color --profile=postgres
expect_out '^Overcommit   vm.overcommit_memory = 2 (never overcommit (strict accounting))$'
expect_out '^CommitLimit  8192 MiB, Committed_AS 4096 MiB (enforced)$'
expect_out '^Headroom     4096 MiB left to promise$'
expect_out 'WARNING DBC402'
# every finding id of the rules is documented (010-cli checks DBP ids only)
for id in $(grep -oh 'DBC[0-9][0-9][0-9]' "$top_srcdir"/lib/rules_overcommit.[ch] | sort -u); do
	grep -q "^\.B $id " "$top_srcdir/man/dbpod-overcommit.1" || fail "$id is not in dbpod-overcommit(1)"
done
echo "ok: overcommit fixtures, every mode and profile"
