#!/bin/bash
# The real-world corpus in make check: every case of tests/fixtures/corpus
# whose files are in the repository (they came through the project's
# shared corpus, with their provenance) is judged by tests/corpus.sh
# against the findings an expert wrote by reading the files. The other
# cases are listed as absent; `make corpus CORPUS=DIR` judges them all.
# A negative control shows the comparison can fail: a case whose
# expectation gains a finding, and one that loses one.
. "$(dirname "$0")/lib.sh"
need_cmd jq
set -e
CORPUS=$top_srcdir/tests/fixtures/corpus

# the cases whose files this repository holds: none may go absent unseen
PRESENT="mongo-8.0 redis-7.2-debian mysql-8.4 k8s-mysql-statefulset k8s-argo-postgres compose-mastodon"

set +e
DBPOD=$DBPOD bash "$top_srcdir/tests/corpus.sh" --only-present >"$TMP/out" 2>&1
rc=$?
set -e
cat "$TMP/out"
[ $rc = 0 ] || fail "the corpus disagrees with its expectations (exit $rc)"
for c in $PRESENT; do
	grep -qx "ok      $c ([0-9]* expected)" "$TMP/out" ||
		fail "case $c was not judged ok: its files or its expectation went missing"
done
grep -q '^TP [1-9][0-9]*, FP 0, FN 0: precision 1.00, recall 1.00$' "$TMP/out" ||
	fail "precision and recall are not 1.00 on the present cases"

# negative controls, on a copy: an expected finding dbpod does not give
# (missing), and a given finding no longer expected (unexpected)
mkdir -p "$TMP/c/lint"
cp -r "$CORPUS/mongo-8.0" "$CORPUS/k8s-argo-postgres" "$TMP/c/"
cp -r "$top_srcdir/tests/fixtures/lint/mongo-8.0" "$top_srcdir/tests/fixtures/lint/argo-workflows" "$TMP/c/lint/"
# the cases name their files as ../../lint/...; keep that shape
mkdir -p "$TMP/c/x" && mv "$TMP/c/mongo-8.0" "$TMP/c/k8s-argo-postgres" "$TMP/c/x/"
echo "DBI604 warning @mongodb" >>"$TMP/c/x/mongo-8.0/expected"
sed -i '0,/^DB[A-Z][0-9]/{/^DB[A-Z][0-9]/d}' "$TMP/c/x/k8s-argo-postgres/expected"
set +e
DBPOD=$DBPOD DBPOD_CORPUS=$TMP/c/x bash "$top_srcdir/tests/corpus.sh" >"$TMP/neg" 2>&1
rc=$?
set -e
cat "$TMP/neg"
[ $rc = 1 ] || fail "a corpus with a wrong expectation passed (exit $rc)"
grep -q '^  missing     DBI604 warning @mongodb$' "$TMP/neg" || fail "the missing finding is not named"
grep -q '^  unexpected  ' "$TMP/neg" || fail "the unexpected finding is not named"
echo "ok: $(grep -c '^ok  ' "$TMP/out") cases of the corpus agree; a wrong expectation fails"
