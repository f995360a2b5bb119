#!/usr/bin/env python3
"""Make a `promtool test rules` file from what node mode really printed.

    from-output.py NODE.prom NODE.json RULES.yaml OUTDIR [PIDNS...]

NODE.prom is `dbpod doctor --all-containers --format=prometheus`, NODE.json
the `--json` of the same node. Every sample becomes an input series, held
for 90 minutes at one sample a minute, with the job and instance labels a
scrape of node-exporter adds. The alerts are expected to fire exactly for
the containers the JSON says they should: a stop path that ends in SIGKILL
or in a crash, a database PID 1 with DBP101 and adopted processes, a check
that stays UNKNOWN. The rules are copied to OUTDIR without annotations,
whose wording tests/promtool/dbpod-rules.test.yaml checks; what this test
checks is that each alert's expression, `for` and labels select the right
series of dbpod's real output. Writes OUTDIR/rules.yaml and
OUTDIR/test.yaml. With PIDNS arguments, only those namespaces' series are
taken: the two runs (.prom and .json) may each see other namespaces of a
busy machine come and go.
"""
import json
import re
import sys

import yaml

JOB = {"job": "node", "instance": "node-1:9100"}
SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def samples(path):
    out = []
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            m = SAMPLE.match(line)
            if not m:
                sys.exit("not a sample line: %r" % line)
            labels = {k: v.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")
                      for k, v in LABEL.findall(m.group(2) or "")}
            out.append((m.group(1), labels, float(m.group(3))))
    return out


def series_text(name, labels):
    def esc(v):
        return v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return "%s{%s}" % (name, ",".join('%s="%s"' % (k, esc(v)) for k, v in sorted(labels.items())))


def main():
    prom, node_json, rules_path, outdir = sys.argv[1:5]
    keep = set(sys.argv[5:])
    node = json.load(open(node_json))
    rules = yaml.safe_load(open(rules_path))
    for g in rules["groups"]:
        for r in g["rules"]:
            r.pop("annotations", None)
    with open(outdir + "/rules.yaml", "w") as f:
        yaml.safe_dump(rules, f, sort_keys=False)
    severity = {r["alert"]: r.get("labels", {}).get("severity")
                for g in rules["groups"] for r in g["rules"] if "alert" in r}

    got = [(n, l, v) for n, l, v in samples(prom)
           if not keep or l.get("pidns") in keep]
    inputs = []
    for name, labels, value in got:
        labels = dict(labels, **JOB)
        inputs.append({"series": series_text(name, labels),
                       "values": "%s+0x90" % repr(value) if value != int(value) else "%d+0x90" % value})

    def ident(c):
        return {k: str(c[k]) for k in ("pidns", "container_id", "pod_uid", "container_name", "image")
                if c.get(k) not in (None, "")}

    def expect(alert, name, match):
        """each sample of `name` whose labels `match` names, as an alert"""
        exp = []
        for n, labels, value in got:
            if n == name and match(labels, value):
                exp.append({"exp_labels": dict(labels, severity=severity[alert], **JOB)})
        return exp

    containers = {str(c["pidns"]): c for c in node["containers"]}

    def stop(outcome):
        def m(labels, value):
            c = containers.get(labels.get("pidns"))
            if not c:
                return False
            for chk in c.get("facts", {}).get("checks", []):
                if chk.get("command") == "signals":
                    for p in chk.get("facts", {}).get("stop_paths", []):
                        if p.get("signal") == labels.get("signal") and p.get("outcome") == outcome:
                            return True
            return False
        return m

    def adopted(labels, value):
        c = containers.get(labels.get("pidns"))
        return bool(c) and value > 0 and any(f["id"] == "DBP101" for f in c.get("findings", []))

    def unknown(labels, value):
        return labels.get("check") != "doctor" and value == 3

    tests = [
        ("DbpodStopEndsInSigkill", "dbpod_stop_path_sigkill", stop("sigkill")),
        ("DbpodStopEndsInCrashRecovery", "dbpod_stop_path_crash", stop("crash")),
        ("DbpodDatabaseIsPid1WithAdoptedChildren", "dbpod_pid1_adopted_processes", adopted),
        ("DbpodCannotJudge", "dbpod_check_status", unknown),
    ]
    alert_tests = [{"eval_time": "80m", "alertname": a, "exp_alerts": expect(a, n, m)}
                   for a, n, m in tests]
    doc = {"rule_files": ["rules.yaml"], "evaluation_interval": "1m",
           "tests": [{"interval": "1m", "input_series": inputs, "alert_rule_test": alert_tests}]}
    with open(outdir + "/test.yaml", "w") as f:
        yaml.safe_dump(doc, f, sort_keys=False, width=1000)
    # what the caller may want to assert about: how many of each
    for a, _, _ in tests:
        n = [t for t in alert_tests if t["alertname"] == a][0]["exp_alerts"]
        print("%s %d" % (a, len(n)))


main()
