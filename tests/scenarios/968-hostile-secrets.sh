#!/bin/bash
# Secrets in the commands lint and imagecheck quote, in the forms that
# got through: a quoted value (--password "X", --password='X',
# --requirepass "X"), a client after && or ; inside a shell string
# (redis-cli -a X, mongosh -p X, mysql -pX), --masterauth X and
# "Authorization: Bearer X". None is in any format's output; each used to
# be in every one.
. "$(dirname "$0")/lib.sh"
need_cmd jq python3
set -e
cd "$TMP"

# one command a secret, as a shell string (SEC1x ... SEC8x)
python3 - <<'PY'
import json
cmds = ['redis-server --requirepass "SEC1x"', "redis-server --masterauth SEC2x",
        "sleep 1 && redis-cli -a SEC3x ping", "sleep 1; mongosh -p SEC4x",
        "sleep 1 && mysql -pSEC5x", "pgbouncer --password='SEC6x'",
        "curl -H 'Authorization: Bearer SEC7x' http://h", 'postgres --password "SEC8x"']
with open("compose.yaml", "w") as f:
    f.write("services:\n")
    for i, c in enumerate(cmds):
        f.write("  s%d:\n    image: postgres\n    command: %s\n" % (i, json.dumps(["sh", "-c", c])))
with open("pods.yaml", "w") as f:
    for i, c in enumerate(cmds):
        f.write("---\napiVersion: v1\nkind: Pod\nmetadata: {name: p%d}\nspec:\n  containers:\n"
                "  - name: db\n    image: postgres\n    command: %s\n" % (i, json.dumps(["sh", "-c", c])))
for i, c in enumerate(cmds):
    with open("Dockerfile.%d" % i, "w") as f:
        f.write("FROM postgres:16\nCMD %s\n" % c)
    json.dump([{"Id": "sha256:x", "Config": {"Entrypoint": None, "Cmd": ["/bin/sh", "-c", c],
                                            "Env": ["A=1"]}}], open("image.%d.json" % i, "w"))
PY

# none SEC... in what dbpod ARGS prints, on either stream
none() {
	local out
	out=$("$DBPOD" "$@" 2>&1 || true)
	if printf '%s' "$out" | grep -o 'SEC[0-9]x' | sort -u | grep .; then
		fail "dbpod $* shows the secrets above"
	fi
	printf '%s' "$out" | grep -q '\*\*\*' || fail "dbpod $* quoted no command: $out"
}
for fmt in text json sarif junit codequality checkstyle; do
	none lint --format="$fmt" compose.yaml
	none lint --format="$fmt" pods.yaml
	# shellcheck disable=SC2046
	none lint --format="$fmt" $(ls Dockerfile.*)
	# shellcheck disable=SC2046
	none lint --format="$fmt" $(ls image.*.json)
	note "lint --format=$fmt: no secret"
done
for fmt in text json; do
	for i in 0 1 2 3 4 5 6 7; do
		none imagecheck --format="$fmt" "image.$i.json"
	done
	note "imagecheck --format=$fmt: no secret"
done
# the forms are still there around the stars
run_host lint --json compose.yaml
expect_jq '[.findings[] | select(.id == "DBI601") | .message] | map(select(test("--requirepass \"\\*\\*\\*\"|redis-cli -a \\*\\*\\* ping|mysql -p\\*\\*\\*|Bearer \\*\\*\\*"))) | length' 4
echo "ok: no secret in any format"
