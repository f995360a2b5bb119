#!/bin/bash
# Inputs bigger than they look: a megabyte of gzip that inflates to a
# gigabyte, as a lint input (named or on standard input) and as
# .dbpod.yaml, and a gzip stream cut short. lint reads at most its limit,
# names it and exits 3; it used to inflate all of it (980 MB, 37 s) and
# accept a 296 MB configuration.
. "$(dirname "$0")/lib.sh"
need_cmd jq python3 timeout gzip
set -e
cd "$TMP"

# bomb FILE MIB HEAD: HEAD and then MIB mebibytes of newlines, gzipped
bomb() {
	python3 - "$@" <<'PY'
import gzip, sys
with gzip.open(sys.argv[1], "wb", 9) as f:
    f.write(sys.argv[3].encode())
    for _ in range(int(sys.argv[2])):
        f.write(b"\n" * (1 << 20))
PY
}

bomb lint.yaml.gz 1000 $'services:\n  db:\n    image: postgres\n'
flat_compose lint.yaml.gz >base.yaml
run_timed lint --json base.yaml
BASE=$MS
expect_judged
run_timed lint --json lint.yaml.gz
expect_rc 3
expect_jq '.findings[0].id' DBI600
expect_jq '.findings[0].message | contains("more than 16 MiB once decompressed (dbpod'"'"'s limit)")' true
expect_linear "$MS" "$BASE" "1 MB of gzip that inflates to 1 GB"
KB=$(peak_kb lint lint.yaml.gz)
[ -z "$KB" ] || [ "$KB" -lt 262144 ] || fail "the gzip bomb took $KB KB"
# the same on standard input
set +e
OUT=$(timeout 120 "$DBPOD" lint --json - <lint.yaml.gz 2>"$TMP/err")
RC=$?
set -e
expect_rc 3
expect_jq '.findings[0].message | contains("standard input cannot be judged: more than 16 MiB")' true
note "gzip bomb as an input: exit 3 at once (peak ${KB:-?} KB)"

# plain text past the limit, and a gzip stream cut short
head -c $((17 << 20)) /dev/zero | tr '\0' '\n' >big.yaml
sed -i '1s/^/services: {db: {image: postgres}}/' big.yaml
run_timed lint --json big.yaml
expect_rc 3
expect_jq '.findings[0].message | contains("more than 16 MiB")' true
printf 'services:\n  db:\n    image: postgres\n' | gzip | head -c 40 >cut.yaml.gz
run_timed lint --json cut.yaml.gz
expect_rc 3
expect_jq '.findings[0].message | contains("the compressed data is cut short or corrupt")' true
note "17 MiB of text, a cut gzip stream: exit 3"

# .dbpod.yaml: 300 KB of gzip that inflates to 300 MB once used to
# silence every finding; now it is refused, with the limit named
mkdir -p repo/.git
printf 'services:\n  db:\n    image: postgres\n' >repo/compose.yaml
bomb repo/.dbpod.yaml 300 $'ignore: [DBI603, DBK701, DBO309]\n'
cd repo
run_timed lint compose.yaml
expect_rc 3
printf '%s' "$ERR" | grep -q "the configuration '$TMP/repo/.dbpod.yaml' holds more than 1 MiB once decompressed (dbpod's limit)" ||
	fail "config: $ERR"
# a small gzipped configuration is still read
printf 'ignore: [DBI603, DBK701, DBO309]\n' | gzip >.dbpod.yaml
run_timed lint --json compose.yaml
expect_rc 0
note "gzip bomb as .dbpod.yaml: exit 3 at once"
echo "ok: hostile sizes"
