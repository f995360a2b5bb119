#!/bin/bash
# .dbpod.yaml (found from the current directory up to the repository
# root, or --config) and inline ignores (comments, annotations, each with
# a reason; --no-inline-ignores).
. "$(dirname "$0")/lib.sh"
need_cmd jq
set -e
FIX=$top_srcdir/tests/fixtures/lint
count() { printf '%s' "$OUT" | jq "[.findings[] | select(.id == \"$1\")] | length"; }

# a repository with a config at its root, linted from a subdirectory
mkdir -p "$TMP/repo/.git" "$TMP/repo/deploy/k8s"
cp "$FIX/k8s-workloads.yaml" "$TMP/repo/deploy/k8s/"
# without it: each finding the config changes is there, as it was found
cd "$TMP/repo/deploy/k8s"
run_host lint --json k8s-workloads.yaml
[ "$(count DBK702)" = 1 ] || fail "the control has no DBK702: $(count DBK702)"
[ "$(count DBK703)" = 1 ] || fail "the control has no DBK703: $(count DBK703)"
expect_jq '[.findings[] | select(.id == "DBO307") | .severity] | unique | join(",")' critical,warning
cd "$TMP"
cat >"$TMP/repo/.dbpod.yaml" <<'YAML'
# the team's settings
ignore: [DBK702, DBK703]
severity:
  DBO307: info
failure-threshold: critical
min-grace-period: 2m
YAML
cd "$TMP/repo/deploy/k8s"
run_host lint --json k8s-workloads.yaml
expect_rc 2
[ "$(count DBK702)" = 0 ] || fail "DBK702 not ignored by the config"
[ "$(count DBK703)" = 0 ] || fail "DBK703 not ignored by the config"
expect_jq '[.findings[] | select(.id == "DBO307") | .severity] | unique | join(",")' info
# 120 s required: the 300 s pod passes, the 30 s and 0 s ones do not
[ "$(count DBK701)" = 2 ] || fail "min-grace-period not applied: $(count DBK701)"
# the command line wins over the file
run_host lint --json --failure-threshold=none --min-grace=10 k8s-workloads.yaml
expect_rc 0
[ "$(count DBK701)" = 1 ] || fail "--min-grace did not win: $(count DBK701)"
# a config above the repository root is not read
cd "$TMP"
mv "$TMP/repo/.dbpod.yaml" "$TMP/.dbpod.yaml"
cd "$TMP/repo/deploy/k8s"
run_host lint --json k8s-workloads.yaml
[ "$(count DBK702)" = 1 ] || fail "a config outside the repository was read"
[ "$(count DBK703)" = 1 ] || fail "a config outside the repository was read"
cd "$TMP"

# --config, the profile; a wrong config is exit 3 naming the line
printf 'profile: generic\n' >"$TMP/generic.yaml"
run_host lint --json --config="$TMP/generic.yaml" "$FIX/argo-workflows/postgres-deployment.yaml"
expect_rc 0
expect_jq '[.findings[].database] | unique | join(",")' ''
printf 'severity:\n  DBI601: fatal\n' >"$TMP/badcfg.yaml"
run_host lint --config="$TMP/badcfg.yaml" "$FIX/compose.yaml"
expect_rc 3
printf '%s' "$ERR" | grep -q "line 2: severity: info, warning or critical expected" || fail "bad message: $ERR"
run_host lint --config="$TMP/none.yaml" "$FIX/compose.yaml"
expect_rc 3

# inline ignores: a YAML comment over a service (with a reason) drops its
# finding; one without a reason is DBI690 and drops nothing
run_host lint --json "$FIX/compose.yaml"
expect_jq '[.findings[] | select(.id == "DBO309" and .line == 44)] | length' 0
expect_jq '[.findings[] | select(.id == "DBI690")][0].line' 49
expect_jq '[.findings[] | select(.id == "DBK701" and .line == 50)] | length' 1
run_host lint --json --no-inline-ignores "$FIX/compose.yaml"
expect_jq '[.findings[] | select(.id == "DBO309" and .line == 44)] | length' 1
expect_jq '[.findings[] | select(.id == "DBI690")] | length' 0
# the annotation dbpod.io/ignore covers its object
run_host lint --json "$FIX/k8s-workloads.yaml"
expect_jq '[.findings[] | select(.id == "DBO309")] | length' 0
run_host lint --json --no-inline-ignores "$FIX/k8s-workloads.yaml"
expect_jq '[.findings[] | select(.id == "DBO309")] | .[0].line' 64
# --ignore works as on every command
run_host lint --json --ignore=DBI603,DBK701 "$FIX/mastodon/docker-compose.yml"
expect_jq '[.findings[].id] | unique | join(",")' DBO309
# a typo silences nothing, so it is an error that names it: an unknown id
# in --ignore or the configuration, an unknown key in the configuration
run_host lint --json --ignore=DBI6O3 "$FIX/mastodon/docker-compose.yml"
expect_rc 3
printf '%s' "$ERR" | grep -q "unknown finding id 'DBI6O3' in --ignore" || fail "no word on the typo: $ERR"
mkdir -p "$TMP/typo/.git"
cp "$FIX/mastodon/docker-compose.yml" "$TMP/typo/"
printf 'ignroe: [DBI603]\n' >"$TMP/typo/.dbpod.yaml"
(cd "$TMP/typo" && run_host lint --json docker-compose.yml
 expect_rc 3
 printf '%s' "$ERR" | grep -q "unknown key 'ignroe'" || fail "no word on the key: $ERR")
printf 'ignore: [DBI603, DBK7O1]\n' >"$TMP/typo/.dbpod.yaml"
(cd "$TMP/typo" && run_host lint --json docker-compose.yml
 expect_rc 3
 printf '%s' "$ERR" | grep -q "unknown finding id 'DBK7O1'" || fail "no word on the id: $ERR")
echo "ok: lint's configuration and inline ignores"
