#!/bin/bash
# lint on Compose files and Kubernetes manifests: real ones (mastodon,
# argo-workflows, the Kubernetes tutorial's MySQL; expected findings
# checked by hand, see SOURCE beside each) and hand-written ones. No root.
. "$(dirname "$0")/lib.sh"
need_cmd jq
set -e
FIX=$top_srcdir/tests/fixtures/lint
ids() { printf '%s' "$OUT" | jq -r '[.findings | sort_by(.id, .line)[] | "\(.id):\(.severity):\(.line)"] | join(",")'; }
expect_ids() {
	[ "$(ids)" = "$1" ] || fail "findings: expected '$1', got '$(ids)'
$OUT"
}

# mastodon's production Compose file
run_host lint --json "$FIX/mastodon/docker-compose.yml"
expect_rc 1
expect_jq '.facts.files[0].kind' compose
expect_ids DBI603:warning:5,DBI603:warning:18,DBK701:warning:5,DBK701:warning:18,DBO309:warning:5,DBO309:warning:18
expect_jq '[.findings[] | select(.line == 5) | .database] | unique | join(",")' postgresql
expect_jq '.facts.files[0].judged | length' 5
# what takes the time of a stop is said for the server it is for
expect_jq '.findings[] | select(.id == "DBK701" and .line == 5) | .message | test("PostgreSQL fast shutdown writes a checkpoint")' true
expect_jq '.findings[] | select(.id == "DBK701" and .line == 18) | .message | test("Redis saves an RDB snapshot") and (test("checkpoint") | not)' true

# hand-written services, one concern each; merge keys; the password in
# the environment is never shown, nor a --requirepass in a command
run_host lint --json "$FIX/compose.yaml"
expect_rc 2
expect_ids DBI601:critical:38,DBI603:warning:11,DBI604:warning:27,DBI613:critical:38,DBI690:warning:49,DBK701:warning:11,DBK701:warning:50,DBK704:warning:39,DBO309:warning:11
# the shell service: sh stays PID 1 and drops SIGTERM, defers SIGINT (its
# stop signal is the image's, not known here: both judged, one finding);
# the Compose grace period is the one the stop is judged with
expect_jq '[.facts.files[0].judged[] | select(.name == "service shell") | .stop_paths[] | "\(.signal) \(.outcome) \(.after_seconds)"] | join(",")' 'SIGTERM sigkill 60,SIGINT sigkill 60'
expect_jq '.findings[] | select(.id == "DBI613") | .message | test("SIGTERM or SIGINT")' true
expect_jq '[.facts.files[0].judged[] | select(.name == "service smart") | .stop_paths[] | "\(.signal) \(.outcome)"] | join(",")' 'SIGTERM graceful'
expect_jq '.facts.files[0].judged[] | select(.name == "service good") | .grace_from' stop_grace_period
expect_jq '.findings[] | select(.id == "DBK701" and .line == 11) | .message | test("default of 10 s")' true
expect_no_out hunter2
expect_no_out s3cr3t
run_host lint "$FIX/compose.yaml"
expect_no_out hunter2
expect_no_out s3cr3t

# argo-workflows' quick-start PostgreSQL: nothing set
run_host lint --json "$FIX/argo-workflows/postgres-deployment.yaml"
expect_rc 2
expect_jq '.facts.files[0].kind' kubernetes
expect_ids DBI603:warning:18,DBK701:warning:18,DBK702:info:18,DBO307:critical:18,DBO309:warning:18

# the Kubernetes tutorial's replicated MySQL: the sidecar's bash -c ends
# in exec and runs no server; its livenessProbe has no startupProbe in
# front of it (DBK705)
run_host lint --json "$FIX/k8s-website/mysql-statefulset.yaml"
expect_rc 1
expect_ids DBI603:warning:65,DBK701:warning:65,DBK705:warning:83,DBO307:warning:82,DBO309:warning:82
expect_jq '.facts.files[0].judged | map(.database) | join(",")' mysql,

# several kinds in one stream, a List, a CronJob; an annotation ignore
run_host lint --json "$FIX/k8s-workloads.yaml"
expect_rc 2
expect_ids DBI601:critical:66,DBI601:warning:83,DBI603:warning:16,DBI613:critical:66,DBI613:warning:83,DBK701:warning:16,DBK701:critical:62,DBK702:info:16,DBK703:info:37,DBO307:warning:23,DBO307:critical:64
expect_jq '[.facts.files[0].judged[].name] | join(";")' 'StatefulSet pg, container postgres;Deployment pg-good, container postgres;Pod mysql-shell, container mysql;CronJob backup, container dump'
expect_no_out hunter2
# the minimum grace period to require
run_host lint --json --min-grace=600 "$FIX/k8s-workloads.yaml"
expect_jq '[.findings[] | select(.id == "DBK701")] | length' 3

# the database from a word of the image's name: no tool named after one
# (postgres-operator, mongo-express, mysqld-exporter) runs a server;
# spilo is PostgreSQL under its own dumb-init, with a wrapper that stops
# it fast (no DBI603, no DBK702)
run_host lint --json "$FIX/image-names.yaml"
expect_rc 2
expect_ids DBK701:warning:31,DBO307:critical:31,DBO309:warning:31
expect_jq '[.facts.files[0].judged[].database] | map(. // "none") | join(",")' none,none,none,postgresql

# a livenessProbe on a database without a startupProbe: 15 s (0 + 3 x 5)
# for a crash recovery; not with one, nor on the exporter beside it
run_host lint --json "$FIX/probes.yaml"
expect_rc 1
expect_ids DBI603:warning:12,DBI603:warning:39,DBK705:warning:20
expect_jq '.findings[] | select(.id == "DBK705") | .message | test("about 15 s")' true

# a probe's own terminationGracePeriodSeconds (5 s on the livenessProbe;
# the startupProbe's 30 s is longer, so the shorter is judged) is the
# grace of the stop a failed probe makes: under the 60 s minimum, though
# the pod's is 120 s (DBK709); 90 s on the second one fits
run_host lint --json "$FIX/probe-grace.yaml"
expect_rc 1
expect_ids DBI603:warning:14,DBI603:warning:41,DBK709:warning:29
expect_jq '.findings[] | select(.id == "DBK709") | .message | test("livenessProbe fails.* 5 s, not the pod.s 120 s; it needs 60 s")' true
expect_jq '.findings[] | select(.id == "DBK709") | .advice | test("set it to 60 or more")' true

# a preStop pg_ctl as root (the official image's, or runAsUser 0): pg_ctl
# refuses, the hook fails (DBK706); through gosu it is fine
run_host lint --json "$FIX/prestop.yaml"
expect_rc 1
expect_ids DBI603:warning:11,DBI603:warning:31,DBI603:warning:43,DBK706:warning:20,DBK706:warning:41
expect_jq '[.findings[] | select(.id == "DBK706") | .message | test("pg_ctl refuses to run as root")] | all' true

# operators' custom resources are said not to be judged (DBK708, info),
# for the database they run, beside what is judged; the Secret is skipped
run_host lint --json "$FIX/operator-crs.yaml"
expect_rc 1
expect_ids DBI603:warning:37,DBK708:info:12,DBK708:info:20
expect_jq '[.findings[] | select(.id == "DBK708") | .database] | unique | join(",")' postgresql
expect_jq '[.facts.files[0].not_judged[] | "\(.kind) \(.name)"] | join(",")' 'Cluster cluster-example,postgresql acid-minimal-cluster'
expect_jq '.findings[] | select(.id == "DBK708" and .line == 12) | .advice | test("kubectl get pod -l cnpg.io/cluster=cluster-example")' true
expect_no_out hunter2
run_host lint "$FIX/operator-crs.yaml"
expect_out 'not judged Cluster cluster-example: a database operator'"'"'s custom resource'

# a Helm template: the document with {{ }} is said not to be judged
# (DBK707, unknown), the plain Pod beside it is judged, and a Go template
# inside a ConfigMap's block scalar is text, not Helm
run_host lint --json "$FIX/helm/templates/postgresql.yaml"
expect_rc 3
expect_ids DBI603:warning:24,DBK701:warning:24,DBK702:info:24,DBK707:unknown:1,DBO307:critical:24,DBO309:warning:24
expect_jq '.findings[] | select(.id == "DBK707") | .message | test("is a Helm template .* the document with template actions is not judged; the others are")' true
expect_jq '.findings[] | select(.id == "DBK707") | .advice | test("helm template RELEASE CHART")' true
expect_jq '.facts.files[0].not_judged[0] | "\(.why) \(.documents)"' 'helm template 1'
# rendered, it is judged as ever
sed -e '1,4d' -e 's/{{ include "pg.fullname" . }}/pg/' -e 's/{{ .Values.terminationGracePeriodSeconds }}/120/' \
	-e 's/{{ .Values.image.repository }}:{{ .Values.image.tag }}/postgres:16/' \
	"$FIX/helm/templates/postgresql.yaml" >"$TMP/rendered.yaml"
run_host lint --json - <"$TMP/rendered.yaml"
expect_jq '[.findings[] | select(.id == "DBK707")] | length' 0
expect_jq '[.facts.files[0].judged[].name] | join(";")' 'StatefulSet pg, container postgresql;Pod pg-debug, container postgres'

# a grace period of 0: SIGKILL right after the signal, predicted even
# where the command is the image's own and not known here
run_host lint --json "$FIX/grace0.yaml"
expect_rc 2
expect_ids DBI603:warning:10,DBI613:critical:10,DBK701:critical:8,DBK702:info:10
expect_jq '.facts.files[0].judged[0].stop_path | "\(.outcome) \(.when)"' 'sigkill at once'
expect_jq '.facts.files[0].judged[0].stop_path.steps[1] | test("grace period is 0 s")' true

# the same Kubernetes text on standard input: detected from its text
run_host lint --json - <"$FIX/argo-workflows/postgres-deployment.yaml"
expect_jq '.findings[0].file' -
expect_jq '.facts.files[0].kind' kubernetes

# broken YAML, wrong types, something else: exit 3 with the line
printf 'services:\n  db:\n    image: [postgres\n' >"$TMP/bad.yaml"
run_host lint --json "$TMP/bad.yaml"
expect_rc 3
expect_jq '.findings[0].id' DBI600
expect_jq '.findings[0].line > 0' true
printf 'services:\n  db:\n    image: postgres\n    stop_grace_period: soon\n' >"$TMP/type.yaml"
run_host lint --json "$TMP/type.yaml"
expect_rc 3
expect_jq '.findings[0].message | test("stop_grace_period")' true
expect_jq '.findings[0].line' 4
printf 'just: a mapping\n' >"$TMP/other.yaml"
run_host lint --json "$TMP/other.yaml"
expect_rc 3
expect_jq '.findings[0].message | test("neither a Dockerfile")' true
echo "ok: lint on Compose files and Kubernetes manifests"
