#!/bin/bash
# imagecheck on inspect fixtures: no root, nothing runs.
. "$(dirname "$0")/lib.sh"
need_cmd jq
set -e
FIX=$top_srcdir/tests/fixtures/imagecheck

# the official postgres image: entrypoint script that execs, SIGINT, no
# init: a warning for the orphans, and a graceful stop (the script is not
# in the config: docker-entrypoint.sh is taken to exec "$@" as upstream's)
run_host imagecheck --json "$FIX/postgres-official.json"
expect_rc 1
expect_jq '.facts.images[0].stop_path.outcome' graceful
expect_jq '.facts.images[0].stop_path.signal' SIGINT
expect_jq '.facts.images[0].grace_seconds' 10
expect_jq '.facts.images[0].name' postgres:15
expect_jq '.facts.images[0].database' postgresql
expect_jq '.facts.images[0].stop_signal' SIGINT
expect_jq '.facts.images[0].pid1' docker-entrypoint.sh
expect_jq '[.findings[].id] | sort | join(",")' DBI603
expect_jq '.findings[] | select(.id == "DBI603") | .severity' warning

# shell form with a compound command: sh stays PID 1 and drops SIGTERM --
# SIGKILL at the grace, critical for a database; the stop signal never
# reaches the server, so no other one would help (no DBI604), and the
# server is not PID 1 (no DBI603); the password in Env is never shown
run_host imagecheck --json "$FIX/shell-form.json"
expect_rc 2
expect_jq '.facts.images[0].shell_form' true
expect_jq '.findings[] | select(.id == "DBI601") | .severity' critical
expect_jq '.findings[] | select(.id == "DBI613") | .severity' critical
expect_jq '.facts.images[0].stop_path.outcome' sigkill
expect_jq '.facts.images[0].stop_path.after_seconds' 10
expect_jq '[.findings[] | select(.id == "DBI604" or .id == "DBI603")] | length' 0
expect_no_out hunter2
run_host imagecheck "$FIX/shell-form.json"
expect_no_out hunter2

# a bash wrapper, not a database: the script note only; secrets redacted
run_host imagecheck --json - <"$FIX/bash-wrapper.json"
expect_rc 0
expect_jq '[.findings[].id] | join(",")' DBI602
expect_jq '.facts.images[0].database' null
expect_no_out sekrit
expect_no_out s3cr3t

# tini in front, SIGINT: OK
run_host imagecheck --json "$FIX/tini.json"
expect_rc 0
expect_jq '.facts.images[0].init' true
expect_jq '.findings | length' 0

# two containers: --init makes one OK; the other runs PostgreSQL as PID 1
# (Init false): the orphans' risk is a warning, its stop with SIGINT is
# clean all the same. Names without docker's leading slash.
run_host imagecheck --json "$FIX/container-init.json"
expect_rc 1
expect_jq '.facts.images[0].pid1' docker-init
expect_jq '.findings[] | select(.id == "DBI603") | .severity' warning
expect_jq '.facts.images | length' 2
expect_jq '.facts.images[0].host_config_init' true
expect_jq '[.facts.images[].name] | join(",")' pg-init,pg-noinit
expect_jq '[.facts.images[].stop_path.outcome] | join(",")' graceful,graceful
expect_jq '[.findings[] | select(.id == "DBI603") | .message | startswith("pg-noinit")] | all' true
expect_jq '[.findings[] | select(.id == "DBI603")] | length' 1

# redis: no StopSignal is fine for redis, no init is a warning
run_host imagecheck --json "$FIX/redis-official.json"
expect_rc 1
expect_jq '.facts.images[0].database' redis
expect_jq '[.findings[] | select(.id == "DBI604")] | length' 0

# OCI config, StopSignal SIGTERM on PostgreSQL
run_host imagecheck --json "$FIX/oci-config.json"
expect_jq '.facts.images[0].source' oci
expect_jq '.findings[] | select(.id == "DBI604") | .message | test("smart shutdown")' true

# su in the command; `exec` in a shell string is not shell form
run_host imagecheck --json "$FIX/su.json"
expect_jq '.findings[] | select(.id == "DBI605") | .severity' warning
expect_jq '.facts.images[0].shell_form' false

# broken input: a clear message and exit 3
run_host imagecheck --json "$FIX/broken.json"
expect_rc 3
expect_jq '.findings[0].id' DBI600
run_host imagecheck --json "$FIX/not-inspect.json"
expect_rc 3
expect_jq '.findings[0].message | test("not an inspect object")' true
run_host imagecheck /nonexistent.json
expect_rc 3
printf '%s' "$ERR" | grep -q "cannot open '/nonexistent.json'" || fail "bad message: $ERR"

# podman 4.3.1's real inspect output: a container's Entrypoint is a
# string, its StopSignal a number, and PID 1 gets Path + Args (podman's
# own init there with --init); the test password of their Env never shows
POD=$FIX/podman-4.3.1
for f in "$POD"/*.json; do
	for fmt in text json; do
		run_host imagecheck --format=$fmt "$f"
		expect_no_out secret
	done
done
run_host imagecheck --json "$POD/container-pg-running.json"
expect_rc 1
expect_jq '.facts.images[0].grace_seconds' 10
expect_jq '.facts.images[0].grace_from' StopTimeout
expect_jq '.facts.images[0].pid1' docker-entrypoint.sh
expect_jq '.facts.images[0].stop_signal' SIGINT
expect_jq '.facts.images[0].entrypoint | join(" ")' docker-entrypoint.sh
expect_jq '[.findings[].id] | sort | join(",")' DBI603
run_host imagecheck --json "$POD/container-init-created.json"
expect_rc 0
expect_jq '.facts.images[0].pid1' podman-init
expect_jq '.facts.images[0].init' true
run_host imagecheck --json "$POD/container-sigterm-created.json"
expect_jq '.facts.images[0].stop_signal' SIGTERM
expect_jq '[.findings[] | select(.id == "DBI604")] | length' 1
run_host imagecheck --json "$POD/image-shellform.json"
expect_jq '.findings[] | select(.id == "DBI601") | .severity' critical
# sh defers SIGINT until its child exits and passes it to nobody
expect_jq '.facts.images[0].stop_path.outcome' sigkill
run_host imagecheck --json "$POD/image-debian-fresh.json"
expect_rc 3
expect_jq '.findings[0].id' DBI606

# strict JSON: trailing data, comments, single quotes, trailing commas
# and NaN are errors; concatenated values are each judged
for bad in '{"Config":{}} garbage' '// c
{"Config":{}}' "{'Config':{}}" '{"Config":{"Cmd":["a",]}}' '{"Config":{"StopSignal":NaN}}'; do
	printf '%s' "$bad" >"$TMP/bad.json"
	run_host imagecheck --json "$TMP/bad.json"
	expect_rc 3
	expect_jq '.findings[0].id' DBI600
done
cat "$POD/image-tini.json" "$POD/container-pg-running.json" >"$TMP/two.json"
run_host imagecheck --json "$TMP/two.json"
expect_rc 1
expect_jq '.facts.images | length' 2
expect_jq '[.facts.images[].name] | join(",")' localhost/dbpod-postgres:15-tini,pg
# a wrong type is exit 3 naming the member, never read as absent
printf '{"Config":{"Entrypoint":42}}' >"$TMP/type.json"
run_host imagecheck --json "$TMP/type.json"
expect_rc 3
expect_jq '.findings[0].message | test("Config.Entrypoint: an array of strings or a string expected, not int")' true
printf '{"Config":{"Cmd":[1,null,{}]}}' >"$TMP/type.json"
run_host imagecheck --json "$TMP/type.json"
expect_rc 3
expect_jq ".findings[0].message | contains(\"Config.Cmd[0]: a string expected, not int\")" true

# linear time: 800,001 words of Cmd (8.8 MB) in text; the quadratic
# join took 32 s here, the linear one 0.4 s
python3 -c 'import json; print(json.dumps({"Config": {"Cmd": ["postgres"] + ["-c", "work_mem=4MB"] * 400000}}))' >"$TMP/big.json"
for fmt in text json; do
	set +e
	timeout 30 "$DBPOD" imagecheck --format=$fmt "$TMP/big.json" >/dev/null 2>&1
	RC=$?
	set -e
	[ "$RC" != 124 ] || fail "imagecheck --format=$fmt took over 30 s on an 8.8 MB Cmd"
	expect_rc 1
done
echo "ok: imagecheck fixtures"
