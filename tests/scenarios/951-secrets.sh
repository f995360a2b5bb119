#!/bin/bash
# No output of dbpod -- text, JSON, Prometheus, any command -- holds a
# secret from an environment or a command line.
. "$(dirname "$0")/lib.sh"
need_root; need_cmd jq perl
set -e
ENVPW=hunter2EnvSecret
URIPW=s3cretUriPassword
KWPW=kwSecretValue99
pg_init
ns_start env POSTGRES_PASSWORD=$ENVPW PGPASSWORD=$ENVPW "${PG_CMD[@]}"
pg_wait
# an orphan whose command line holds passwords (perl ignores its arguments)
ns_exec sh -c "perl -e 'sleep 1000' postgres://app:$URIPW@db/app password=$KWPW --password $KWPW >/dev/null 2>&1 &"
ns_wait_comm perl
PERL=$(ns_exec pgrep -x perl)
for cmd in doctor pid1check signals "signals 1 $PERL"; do
	for fmt in text json prometheus; do
		# shellcheck disable=SC2086
		run_dbpod --format=$fmt $cmd
		for s in $ENVPW $URIPW $KWPW; do
			case "$OUT$ERR" in *"$s"*) fail "dbpod $cmd --format=$fmt shows a secret: $s" ;; esac
		done
	done
done
run_dbpod signals --json "$PERL"
expect_jq '.facts.processes[0].cmdline | test("postgres://app:\\*\\*\\*@db/app password=\\*\\*\\* --password \\*\\*\\*")' true
# a finding's message that quotes the image's shell command (DBI601) goes
# through the same redaction as the Command line fact above it
cat >"$TMP/image.json" <<JSON
[{"Id": "sha256:x", "Config": {"Entrypoint": null, "Env": ["PGPASSWORD=$ENVPW"],
  "Cmd": ["/bin/sh", "-c", "psql postgresql://u:$URIPW@h/db --password $KWPW"]}}]
JSON
for fmt in text json prometheus; do
	run_host imagecheck --format=$fmt "$TMP/image.json"
	expect_rc 1
	for s in $ENVPW $URIPW $KWPW; do
		case "$OUT$ERR" in *"$s"*) fail "imagecheck --format=$fmt shows a secret: $s" ;; esac
	done
done
expect_out 'DBI601'
run_host imagecheck --json "$TMP/image.json"
expect_jq '.findings[] | select(.id == "DBI601") | .message | test("postgresql://u:\\*\\*\\*@h/db --password \\*\\*\\*")' true
echo "ok: no secret in any output"
