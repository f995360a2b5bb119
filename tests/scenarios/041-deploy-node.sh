#!/bin/bash
# Node mode's deploy/: the DaemonSet and the alert rules validate, the
# rules pass promtool's own tests on series dbpod printed, the
# PrometheusRule and the plain rules file hold the same groups, and the
# DaemonSet passes only options dbpod has.
. "$(dirname "$0")/lib.sh"
need_cmd yamllint promtool python3
python3 -c 'import yaml' 2>/dev/null || skip "python3-yaml is not installed (./bootstrap --install-test-deps)"
set -e

# Options the DaemonSet passes that dbpod doctor does not have yet (node
# mode is being built): empty this when they land. The test fails while an
# option listed here is already in `dbpod doctor --help`.
DBPOD_OPTIONS_NOT_YET=""

D=$top_srcdir/deploy
NODE=$D/dbpod-node.yaml
ALERTS=$D/dbpod-alerts.yaml
RULES=$D/prometheus/dbpod-rules.yaml
TESTS=$top_srcdir/tests/promtool/dbpod-rules.test.yaml

for y in "$NODE" "$ALERTS" "$RULES" "$TESTS"; do
	yamllint -d '{extends: default, rules: {line-length: {max: 100}, document-start: disable}}' "$y" ||
		fail "yamllint rejects $y"
done

promtool check rules "$RULES" >"$TMP/check.out" 2>&1 ||
	fail "promtool check rules: $(cat "$TMP/check.out")"
# promtool reads rule_files relative to the test file
(cd "$(dirname "$TESTS")" && promtool test rules "$(basename "$TESTS")") >"$TMP/test.out" 2>&1 ||
	fail "promtool test rules: $(cat "$TMP/test.out")"
note "promtool: $(grep -c '^  *- alert:' "$RULES") alerts checked and tested"

# the two copies of the rules: the same groups, rule by rule
python3 - "$ALERTS" "$RULES" <<'EOF' || fail "deploy/dbpod-alerts.yaml and deploy/prometheus/dbpod-rules.yaml differ"
import sys, yaml
alerts = yaml.safe_load(open(sys.argv[1]))
rules = yaml.safe_load(open(sys.argv[2]))
assert alerts["apiVersion"] == "monitoring.coreos.com/v1", alerts["apiVersion"]
assert alerts["kind"] == "PrometheusRule", alerts["kind"]
a, r = alerts["spec"]["groups"], rules["groups"]
if a != r:
    for ga, gr in zip(a, r):
        for ra, rr in zip(ga.get("rules", []), gr.get("rules", [])):
            if ra != rr:
                print("differs:", ra.get("alert"), "/", rr.get("alert"))
    if len(a) != len(r) or any(len(x.get("rules", [])) != len(y.get("rules", [])) for x, y in zip(a, r)):
        print("a different number of groups or rules")
    sys.exit(1)
EOF

# the DaemonSet: what node mode needs, and nothing more
python3 - "$NODE" >"$TMP/node.out" 2>"$TMP/node.err" <<'EOF' || fail "$(tail -n 1 "$TMP/node.err")"
import sys, yaml
path = sys.argv[1]
ds = yaml.safe_load(open(path))
assert ds["kind"] == "DaemonSet", "not a DaemonSet"
spec = ds["spec"]["template"]["spec"]
assert spec.get("hostPID") is True, "hostPID must be true: every container's processes"
c = spec["containers"][0]
sc = c["securityContext"]
assert sc.get("readOnlyRootFilesystem") is True, "readOnlyRootFilesystem must be true"
assert sc.get("runAsUser") == 0, "runAsUser must be 0 (the capabilities need it)"
caps = sc["capabilities"]
assert caps.get("drop") == ["ALL"], "capabilities must drop ALL"
allowed = {"SYS_PTRACE", "DAC_READ_SEARCH"}
assert set(caps.get("add", [])) <= allowed, "capabilities beyond %s: %s" % (allowed, caps["add"])
# a comment right above each added capability says what it is for
lines = open(path).read().splitlines()
for cap in caps.get("add", []):
    at = [i for i, l in enumerate(lines) if l.strip() == "- " + cap]
    assert at and lines[at[0] - 1].strip().startswith("#"), "no comment above " + cap
res = c.get("resources", {})
assert res.get("requests", {}).get("memory") and res.get("limits", {}).get("memory"), \
    "memory request and limit wanted"
args = c["args"]
assert args[0] == "doctor", "the DaemonSet runs dbpod doctor"
mounts = {m["name"]: m["mountPath"] for m in c["volumeMounts"]}
vols = {v["name"]: v for v in spec["volumes"]}
out = args[args.index("-o") + 1]
tf = [n for n, v in vols.items()
      if v.get("hostPath", {}).get("path") == "/var/lib/node_exporter/textfile_collector"]
assert tf, "no hostPath volume for node-exporter's textfile directory"
assert out.startswith(mounts[tf[0]] + "/"), "-o %s is not in the textfile mount" % out
for a in args[1:]:
    if a.startswith("-"):
        print(a.split("=")[0])
EOF

help=$("$DBPOD" doctor --help)
for o in $(cat "$TMP/node.out"); do
	case " $DBPOD_OPTIONS_NOT_YET " in
	*" $o "*)
		if printf '%s\n' "$help" | grep -qE -- "(^|[ ,])$o([ =,]|\$)"; then
			fail "dbpod doctor has $o now: remove it from DBPOD_OPTIONS_NOT_YET in $0"
		fi
		note "$o: not in dbpod doctor yet (DBPOD_OPTIONS_NOT_YET)"
		continue ;;
	esac
	printf '%s\n' "$help" | grep -qE -- "(^|[ ,])$o([ =,]|\$)" ||
		fail "deploy/dbpod-node.yaml passes $o, which dbpod doctor --help does not have"
done
[ "$(wc -l <"$TMP/node.out")" -ge 3 ] || fail "no doctor options found in $NODE"
echo "ok: deploy node mode"
