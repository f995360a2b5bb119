#!/bin/bash
# Node mode's deploy/: the DaemonSet and the alert rules validate, the
# rules pass promtool's own tests on series dbpod printed, the
# PrometheusRule and the plain rules file hold the same groups, and the
# DaemonSet -- node mode and the node recorder -- passes only options
# dbpod has, with the capabilities each needs and a comment on each.
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

# the DaemonSet: what node mode and the node recorder need, and nothing
# more; node.out gets "COMMAND OPTION" for each option each passes
python3 - "$NODE" >"$TMP/node.out" 2>"$TMP/node.err" <<'EOF' || fail "$(tail -n 1 "$TMP/node.err")"
import sys, yaml
path = sys.argv[1]
ds = yaml.safe_load(open(path))
assert ds["kind"] == "DaemonSet", "not a DaemonSet"
spec = ds["spec"]["template"]["spec"]
assert spec.get("hostPID") is True, "hostPID must be true: every container's processes"
lines = open(path).read().splitlines()
vols = {v["name"]: v for v in spec["volumes"]}
by_cmd = {}
for c in spec["containers"]:
    by_cmd.setdefault(c["args"][0], []).append(c)
assert len(by_cmd.get("doctor", [])) == 1, "one container runs dbpod doctor"
assert len(by_cmd.get("snapshot", [])) == 1, "one container runs the node recorder, dbpod snapshot"


def secure(c, allowed):
    sc = c["securityContext"]
    assert sc.get("readOnlyRootFilesystem") is True, c["name"] + ": readOnlyRootFilesystem must be true"
    assert sc.get("runAsUser") == 0, c["name"] + ": runAsUser must be 0 (the capabilities need it)"
    assert sc.get("allowPrivilegeEscalation") is False, c["name"] + ": allowPrivilegeEscalation"
    caps = sc["capabilities"]
    assert caps.get("drop") == ["ALL"], c["name"] + ": capabilities must drop ALL"
    assert set(caps.get("add", [])) <= allowed, \
        "%s: capabilities beyond %s: %s" % (c["name"], allowed, caps["add"])
    # a comment right above each added capability says what it is for
    for cap in caps.get("add", []):
        at = [i for i, l in enumerate(lines) if l.strip() == "- " + cap]
        assert at and all(lines[i - 1].strip().startswith("#") for i in at), "no comment above " + cap
    res = c.get("resources", {})
    assert res.get("requests", {}).get("memory") and res.get("limits", {}).get("memory"), \
        c["name"] + ": memory request and limit wanted"


def output_on(c, host_path):
    mounts = {m["name"]: m["mountPath"] for m in c["volumeMounts"]}
    args = c["args"]
    out = args[args.index("-o") + 1]
    hp = [n for n, v in vols.items() if v.get("hostPath", {}).get("path") == host_path]
    assert hp and hp[0] in mounts, "%s: no hostPath volume %s mounted" % (c["name"], host_path)
    assert out.startswith(mounts[hp[0]] + "/"), "%s: -o %s is not in %s" % (c["name"], out, host_path)


doctor = by_cmd["doctor"][0]
secure(doctor, {"SYS_PTRACE", "DAC_READ_SEARCH"})
output_on(doctor, "/var/lib/node_exporter/textfile_collector")
rec = by_cmd["snapshot"][0]
secure(rec, {"SYS_PTRACE"})
output_on(rec, "/var/log/dbpod")
assert "--all-containers" in rec["args"], "the recorder records every container: --all-containers"
for o in ("--max-size", "--keep"):
    assert any(a == o or a.startswith(o + "=") for a in rec["args"]), "the recorder rotates: " + o
for c in (doctor, rec):
    for a in c["args"][1:]:
        if a.startswith("-"):
            print(c["args"][0], a.split("=")[0])
EOF

while read -r cmd o; do
	help=$("$DBPOD" "$cmd" --help)
	case " $DBPOD_OPTIONS_NOT_YET " in
	*" $o "*)
		if printf '%s\n' "$help" | grep -qE -- "(^|[ ,])$o([ =,]|\$)"; then
			fail "dbpod $cmd has $o now: remove it from DBPOD_OPTIONS_NOT_YET in $0"
		fi
		note "$o: not in dbpod $cmd yet (DBPOD_OPTIONS_NOT_YET)"
		continue ;;
	esac
	printf '%s\n' "$help" | grep -qE -- "(^|[ ,])$o([ =,]|\$)" ||
		fail "deploy/dbpod-node.yaml passes $o, which dbpod $cmd --help does not have"
done <"$TMP/node.out"
[ "$(grep -c '^doctor ' "$TMP/node.out")" -ge 3 ] || fail "no doctor options found in $NODE"
[ "$(grep -c '^snapshot ' "$TMP/node.out")" -ge 4 ] || fail "no snapshot options found in $NODE"
echo "ok: deploy node mode"
