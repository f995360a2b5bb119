#!/bin/bash
# The CI formats: SARIF validated against the official 2.1.0 schema,
# JUnit and Checkstyle well-formed XML, Code Quality JSON; every format
# carries the same findings and exits the same; --failure-threshold.
. "$(dirname "$0")/lib.sh"
need_cmd jq xmllint python3
python3 -c 'import jsonschema' 2>/dev/null || skip "python3-jsonschema is not installed (./bootstrap --install-test-deps installs it)"
# the official schema, copied in (tests/fixtures/schemas/SOURCE)
SCHEMA=$top_srcdir/tests/fixtures/schemas/sarif-schema-2.1.0.json
set -e
FIX=$top_srcdir/tests/fixtures/lint
INPUTS=("$FIX/compose.yaml" "$FIX/k8s-workloads.yaml" "$FIX/dockerfiles/shell-form.Dockerfile"
	"$FIX/dockerfiles/tini.Dockerfile" "$top_srcdir/tests/fixtures/imagecheck/podman-4.3.1/container-pg-running.json")

sarif_valid() {
	printf '%s' "$OUT" >"$TMP/out.sarif"
	python3 - "$SCHEMA" "$TMP/out.sarif" <<'PY' || fail "SARIF does not validate: $(cat "$TMP/out.sarif")"
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.validate(json.load(open(sys.argv[2])), schema)
PY
}

# podman's container JSON holds POSTGRES_PASSWORD=secret: never shown
run_host lint --json "${INPUTS[@]}"
expect_rc 2
n=$(printf '%s' "$OUT" | jq '.findings | length')
[ "$n" -gt 10 ] || fail "too few findings for the format comparison: $n"
expect_no_out secret
expect_no_out hunter2

run_host lint --format=sarif "${INPUTS[@]}"
expect_rc 2
sarif_valid
expect_jq '.runs[0].results | length' "$n"
expect_jq '.version' 2.1.0
expect_jq '[.runs[0].results[] | select(.ruleId == "DBI601")][0].level' error
expect_jq '[.runs[0].results[] | select(.ruleId == "DBK702")][0].level' note
expect_jq '[.runs[0].results[].locations[0].physicalLocation.region.startLine > 0] | all' true
expect_jq '. as $r | [.runs[0].results[] | .ruleIndex as $i | .ruleId == $r.runs[0].tool.driver.rules[$i].id] | all' true
# each rule explains itself with its man page entry: the
# description up to the fix, the help with it
expect_jq '[.runs[0].tool.driver.rules[] | (.fullDescription.text | length > 20) and (.help.text | length > 20)] | all' true
expect_jq '.runs[0].tool.driver.rules[] | select(.id == "DBI601") | .fullDescription.text | startswith("Shell form: /bin/sh -c stays PID 1")' true
expect_jq '.runs[0].tool.driver.rules[] | select(.id == "DBI601") | .help.text | test("Fix: the exec form")' true
expect_jq '.runs[0].tool.driver.rules[] | select(.id == "DBI601") | .fullDescription.text | test("Fix:")' false
# every id lint titles has its man page entry in the built table
DOCS=$(dirname "$DBPOD")/lib/lint/finding_docs.c
[ -f "$DOCS" ] || fail "no $DOCS beside dbpod"
[ "$(sed -n '/^} titles\[\] = {/,/^};/p' "$top_srcdir/lib/lint/rules_lint.c" | grep -o '"DB[A-Z][0-9]*"' | sort)" = \
  "$(grep -o '{ "DB[A-Z][0-9]*"' "$DOCS" | grep -o '"DB.*"' | sort)" ] ||
	fail "the finding ids lint titles and those dbpod-lint(1) documents differ"
expect_no_out hunter2
expect_no_out secret

# an empty result still has its results array, and nothing else is printed
run_host lint --format=sarif "$FIX/dockerfiles/tini.Dockerfile"
expect_rc 0
sarif_valid
expect_jq '.runs[0].results | length' 0
[ -z "$ERR" ] || fail "stderr not empty: $ERR"

run_host lint --format=junit "${INPUTS[@]}"
expect_rc 2
printf '%s' "$OUT" | xmllint --noout - || fail "JUnit is not well-formed XML"
[ "$(printf '%s' "$OUT" | xmllint --xpath 'count(//testcase[failure or error or system-out])' -)" = "$n" ] ||
	fail "JUnit does not hold the $n findings"
[ "$(printf '%s' "$OUT" | xmllint --xpath 'count(//testsuite)' -)" = 5 ] || fail "JUnit: not one suite per file"
expect_out 'no findings'
expect_no_out hunter2
expect_no_out secret

run_host lint --format=checkstyle "${INPUTS[@]}"
expect_rc 2
printf '%s' "$OUT" | xmllint --noout - || fail "Checkstyle is not well-formed XML"
[ "$(printf '%s' "$OUT" | xmllint --xpath 'count(//error)' -)" = "$n" ] || fail "Checkstyle does not hold the $n findings"
expect_no_out hunter2
expect_no_out secret

run_host lint --format=codequality "${INPUTS[@]}"
expect_rc 2
expect_jq 'length' "$n"
expect_jq '[.[] | (.description|type) == "string" and (.fingerprint|length) == 16 and .location.lines.begin >= 1
	and (.severity | IN("info","minor","major","critical","blocker"))] | all' true
expect_jq '[.[].fingerprint] | unique | length' "$n"
expect_no_out hunter2
expect_no_out secret

# the threshold decides the exit status only
run_host lint --json --failure-threshold=critical "$FIX/compose.yaml"
expect_rc 2
# mastodon's warnings (no init, Compose's 10 s, no memory limit) are no
# critical ones
run_host lint --json --failure-threshold=critical "$FIX/mastodon/docker-compose.yml"
expect_rc 0
run_host lint --json --failure-threshold=critical "$FIX/k8s-website/mysql-statefulset.yaml"
expect_rc 0
expect_jq '.findings | length' 5
run_host lint --json --failure-threshold=none "$FIX/mastodon/docker-compose.yml"
expect_rc 0
run_host lint --json --failure-threshold=info "$FIX/dockerfiles/tini.Dockerfile"
expect_rc 0
printf 'FROM postgres:16\nRUN apt-get install -y tini\nENTRYPOINT ["tini", "--", "docker-entrypoint.sh"]\nCMD ["postgres"]\nENV PG_OOM_ADJUST_VALUE=0\n' >"$TMP/Dockerfile"
run_host lint --json --failure-threshold=info "$TMP/Dockerfile"
expect_rc 1
expect_jq '[.findings[].severity] | join(",")' info
run_host lint --json "$TMP/Dockerfile"
expect_rc 0
# unreadable input is exit 3 whatever the threshold, said on stderr as
# every command says a missing file, with no report that would read as a
# verdict on the inputs (013-exit-contract)
run_host lint --format=sarif --failure-threshold=none /nonexistent.yaml
expect_rc 3
[ -z "$OUT" ] || fail "a report for an input that cannot be read: $OUT"
printf '%s' "$ERR" | grep -q "cannot read '/nonexistent.yaml'" || fail "bad message: $ERR"
run_host lint --failure-threshold=sometimes "$TMP/Dockerfile"
expect_rc 3

# the other commands refuse the CI formats
run_host pid1check --format=sarif
expect_rc 3
printf '%s' "$ERR" | grep -q "are dbpod lint's: use text, json, prometheus or oneline" || fail "bad message: $ERR"
run_host --format=junit imagecheck "$top_srcdir/tests/fixtures/imagecheck/tini.json"
expect_rc 3
echo "ok: lint's CI formats"
