#!/bin/bash
# The Kubernetes example validates, and runs the snapshot options dbpod
# really has.
. "$(dirname "$0")/lib.sh"
need_cmd yamllint
set -e
Y=$top_srcdir/deploy/snapshot-sidecar.yaml
yamllint -d '{extends: default, rules: {line-length: {max: 100}, document-start: disable}}' "$Y" ||
	fail "yamllint rejects $Y"
grep -q 'shareProcessNamespace: true' "$Y" || fail "the sidecar must share the PID namespace"
echo "ok: deploy example"
