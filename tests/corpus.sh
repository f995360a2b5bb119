#!/usr/bin/env bash
# The real-world corpus as a test: every case under
# tests/fixtures/corpus/ holds files from public repositories (PROVENANCE
# names each one's repository, path, commit and licence) and a file
# `expected` with the findings an expert expects, written by reading the
# files, not by running dbpod. This runs dbpod on each case, compares the
# findings with the expectation and totals precision and recall.
#
#   tests/corpus.sh [-v] [--only-present] [CASE...]
#                                     (DBPOD: the dbpod binary to judge)
#
# --only-present judges only the cases whose input files are in this
# checkout and names the others "absent": the repository holds the files of
# a few cases (those that came through the project's shared corpus), a
# full corpus directory (DBPOD_CORPUS) holds them all.
#
# An `expected` file, one statement a line, `#` to the end of a line a comment:
#   input PATH...                 the files given to dbpod, relative to the case
#   command lint|imagecheck       the dbpod command (default lint)
#   ID [SEVERITY] [@DATABASE]     a finding: its id (DBI603, or NEW:name for a
#                                 rule that does not exist yet), and where it
#                                 matters its severity (critical, warning,
#                                 info, unknown) and the database it is for
#                                 (postgresql, mysql, mongodb, redis)
# A case without finding lines expects none.
#
# Matching: an expected finding takes one found finding with its id: a
# true positive. Pairs that agree in severity and database (where the
# expectation gives them) are taken first; a pair that differs in either
# still counts as found, and the difference is listed (and fails). What is
# expected and not found is missing (a false negative), what is found and
# not expected unexpected (a false positive). Precision = TP / (TP + FP),
# recall = TP / (TP + FN), over finding ids.
#
# Exit status: 0 when every case agrees, 1 when anything differs, 2 when
# the corpus or dbpod cannot be run.
set -u

here=$(cd "$(dirname "$0")" && pwd)
# DBPOD_CORPUS: a directory laid out as tests/fixtures/corpus that also
# holds the cases' files (see tests/fixtures/corpus/README)
corpus=${DBPOD_CORPUS:-$here/fixtures/corpus}
: "${DBPOD:=$here/../dbpod}"

verbose=0 only_present=0
while [ $# -gt 0 ]; do
	case $1 in
	-v) verbose=1 ;;
	--only-present) only_present=1 ;;
	*) break ;;
	esac
	shift
done

command -v jq >/dev/null 2>&1 || { echo "corpus: jq is not installed" >&2; exit 2; }
[ -x "$DBPOD" ] || { echo "corpus: no dbpod at '$DBPOD' (set DBPOD)" >&2; exit 2; }
[ -d "$corpus" ] || { echo "corpus: no corpus at '$corpus'" >&2; exit 2; }

if [ $# -gt 0 ]; then
	cases=("$@")
else
	cases=()
	for d in "$corpus"/*/; do
		d=${d%/}
		[ -f "$d/expected" ] && cases+=("${d##*/}")
	done
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/dbpod-corpus.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT

TP=0 FP=0 FN=0 SEV=0 DBD=0 failed=0 errors=0 absent=0 judged=0
missing_all=() unexpected_all=() severity_all=() database_all=()

# A finding as printed: "ID severity @database".
show() {
	local s="$1"
	[ -n "$2" ] && s+=" $2"
	[ -n "$3" ] && s+=" @$3"
	printf '%s' "$s"
}

for name in "${cases[@]}"; do
	dir=$corpus/$name
	exp=$dir/expected
	if [ ! -f "$exp" ]; then
		echo "ERROR   $name: no $exp"
		errors=$((errors + 1))
		continue
	fi

	inputs=() cmd=lint
	e_id=() e_sev=() e_db=()
	lineno=0 bad=
	while IFS= read -r line || [ -n "$line" ]; do
		lineno=$((lineno + 1))
		line=${line%%#*}
		read -r -a w <<<"$line"
		[ ${#w[@]} -eq 0 ] && continue
		case ${w[0]} in
		input) inputs=("${w[@]:1}") ;;
		command) cmd=${w[1]:-} ;;
		DB[A-Z][0-9]* | NEW:*)
			sev= db=
			for t in "${w[@]:1}"; do
				case $t in
				critical | warning | info | unknown | ok) sev=$t ;;
				@*) db=${t#@} ;;
				*) bad="line $lineno: '$t' is neither a severity nor @database" ;;
				esac
			done
			e_id+=("${w[0]}") e_sev+=("$sev") e_db+=("$db")
			;;
		*) bad="line $lineno: unknown statement '${w[0]}'" ;;
		esac
	done <"$exp"
	case $cmd in lint | imagecheck) ;; *) bad="command '$cmd' is neither lint nor imagecheck" ;; esac
	[ ${#inputs[@]} -gt 0 ] || bad="no input line"
	if [ -n "$bad" ]; then
		echo "ERROR   $name: expected: $bad"
		errors=$((errors + 1))
		continue
	fi

	if [ $only_present = 1 ]; then
		here_all=1
		for f in "${inputs[@]}"; do
			[ -f "$dir/$f" ] || here_all=0
		done
		if [ $here_all = 0 ]; then
			echo "absent  $name (its files are not in this checkout)"
			absent=$((absent + 1))
			continue
		fi
	fi
	judged=$((judged + 1))

	# Run from the case's folder, so that a Dockerfile's build context is
	# the folder it is in and the findings name the files as `input` does.
	out=$tmp/$name.json
	(cd "$dir" && "$DBPOD" "$cmd" --json "${inputs[@]}") >"$out" 2>"$tmp/$name.err"
	rc=$?
	if ! jq -e '.findings | type == "array"' "$out" >/dev/null 2>&1; then
		echo "ERROR   $name: dbpod $cmd exited $rc without a JSON report: $(head -c 300 "$tmp/$name.err")"
		errors=$((errors + 1))
		FN=$((FN + ${#e_id[@]}))
		for i in "${!e_id[@]}"; do missing_all+=("${e_id[$i]}"); done
		continue
	fi

	a_id=() a_sev=() a_db=() a_used=()
	while read -r id sev db; do
		[ "$db" = - ] && db=
		a_id+=("$id") a_sev+=("$sev") a_db+=("$db") a_used+=(0)
	done < <(jq -r '.findings[] | "\(.id) \(.severity) \(.database // "-")"' "$out")

	e_used=()
	for i in "${!e_id[@]}"; do e_used+=(0); done
	report=()
	# Pass 1 takes the pairs that agree in everything the expectation
	# gives, pass 2 those that differ only in severity, pass 3 those that
	# differ in the database too (not recognised, or another one).
	for pass in 1 2 3; do
		for i in "${!e_id[@]}"; do
			[ "${e_used[$i]}" = 0 ] || continue
			for j in "${!a_id[@]}"; do
				[ "${a_used[$j]}" = 0 ] || continue
				[ "${a_id[$j]}" = "${e_id[$i]}" ] || continue
				dbdiff=0 sevdiff=0
				[ -z "${e_db[$i]}" ] || [ "${a_db[$j]}" = "${e_db[$i]}" ] || dbdiff=1
				[ -z "${e_sev[$i]}" ] || [ "${a_sev[$j]}" = "${e_sev[$i]}" ] || sevdiff=1
				[ $pass = 1 ] && [ $((dbdiff + sevdiff)) -gt 0 ] && continue
				[ $pass = 2 ] && [ $dbdiff = 1 ] && continue
				e_used[$i]=1 a_used[$j]=1
				TP=$((TP + 1))
				if [ $dbdiff = 1 ]; then
					DBD=$((DBD + 1))
					database_all+=("${e_id[$i]}")
					report+=("  database    ${e_id[$i]}: expected for ${e_db[$i]}, found for ${a_db[$j]:-no database}")
				fi
				if [ $sevdiff = 1 ]; then
					SEV=$((SEV + 1))
					severity_all+=("${e_id[$i]}")
					report+=("  severity    $(show "${e_id[$i]}" "" "${e_db[$i]}"): expected ${e_sev[$i]}, found ${a_sev[$j]}")
				fi
				break
			done
		done
	done
	for i in "${!e_id[@]}"; do
		[ "${e_used[$i]}" = 0 ] || continue
		FN=$((FN + 1))
		missing_all+=("${e_id[$i]}")
		report+=("  missing     $(show "${e_id[$i]}" "${e_sev[$i]}" "${e_db[$i]}")")
	done
	for j in "${!a_id[@]}"; do
		[ "${a_used[$j]}" = 0 ] || continue
		FP=$((FP + 1))
		unexpected_all+=("${a_id[$j]}")
		report+=("  unexpected  $(show "${a_id[$j]}" "${a_sev[$j]}" "${a_db[$j]:--}")")
	done

	if [ ${#report[@]} -eq 0 ]; then
		echo "ok      $name (${#e_id[@]} expected)"
	else
		echo "FAIL    $name"
		printf '%s\n' "${report[@]}"
		failed=$((failed + 1))
		if [ $verbose = 1 ]; then
			jq -r '.findings[] | "    \(.severity) \(.id) \(.file):\(.line // "-") (for \(.database // "no database")): \(.message)"' "$out"
		fi
	fi
done

# The ids behind the differences, most frequent first: the classes of
# mismatch to look at.
by_id() {
	local label=$1
	shift
	[ $# -gt 0 ] || return 0
	printf '%s' "$label"
	printf '%s\n' "$@" | sort | uniq -c | sort -k1,1nr -k2 | awk '{ printf " %s x%d", $2, $1 }'
	echo
}

echo
echo "cases: ${#cases[@]}, judged: $judged, absent: $absent, failing: $failed, errors: $errors"
by_id "missing by id:" "${missing_all[@]}"
by_id "unexpected by id:" "${unexpected_all[@]}"
by_id "severity differs by id:" "${severity_all[@]}"
by_id "database differs by id:" "${database_all[@]}"
awk -v tp=$TP -v fp=$FP -v fn=$FN -v sev=$SEV -v dbd=$DBD 'BEGIN {
	p = (tp + fp) ? sprintf("%.2f", tp / (tp + fp)) : "n/a"
	r = (tp + fn) ? sprintf("%.2f", tp / (tp + fn)) : "n/a"
	printf "TP %d, FP %d, FN %d: precision %s, recall %s\n", tp, fp, fn, p, r
	printf "of the TP, %d with another severity, %d for another database (or none)\n", sev, dbd
}'

[ $errors -eq 0 ] || exit 2
[ $failed -eq 0 ] || exit 1
exit 0
