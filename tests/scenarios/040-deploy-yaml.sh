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
# every option the sidecar passes is one dbpod snapshot has
opts=$("$DBPOD" snapshot --help)
for o in $(sed -n 's/^ *- \(--[a-z-]*\).*/\1/p' "$Y"); do
	printf '%s' "$opts" | grep -q -- "$o" || fail "deploy/ passes $o, which dbpod snapshot does not have"
done
[ "$(sed -n 's/^ *- \(--[a-z-]*\).*/\1/p' "$Y" | wc -l)" -ge 4 ] || fail "no snapshot options found in $Y"
echo "ok: deploy example"
