#!/bin/bash
# Two shapes of recording the recorder does not write but a file can hold:
# 1. One process that changes at every one of 200,000 samples: its
#    versions grew by one realloc each, which copies them all where realloc
#    cannot grow in place (always, under AddressSanitizer): 4.8 TB copied.
#    Now they double, and --pid costs what reading the file costs.
# 2. A key far longer ago than the header's keyframe (300 s) promises:
#    --at seeks to well before the key it expects near the window, found
#    only deltas there, and showed one process, without parent or name.
#    Now a seek that misses the key reads the file from its start.
. "$(dirname "$0")/lib.sh"
need_cmd jq python3 timeout
set -e
cd "$TMP"

python3 - <<'PY'
import json
d = lambda o: json.dumps(o, separators=(",", ":"))
procs = [{"pid": 1, "start": 100, "ppid": 0, "uid": 101, "user": "postgres", "state": "S",
          "comm": "postgres", "args": ["postgres"]}]
procs += [{"pid": 2 + i, "start": 200 + i, "ppid": 1, "uid": 101, "user": "postgres",
           "state": "S", "comm": "postgres", "args": ["postgres: idle"]} for i in range(1000)]
with open("one.jsonl", "w") as f:
    f.write(d({"k": "header", "dbpod_recording": 1, "dbpod": "0.1.0", "hostname": "pg-0",
               "boot_time": 1795412487, "clock_ticks": 100, "pid_ns": 4026532801,
               "interval": 1.0, "started": 1795416000.5, "file_index": 0}) + "\n")
    f.write(d({"k": "key", "t": 1795416001.0, "seq": 1, "procs": procs}) + "\n")
    for s in range(200000):
        f.write(d({"k": "delta", "t": 1795416002.0 + s, "seq": s + 2,
                   "changed": [{"pid": 2, "start": 200, "state": "RS"[s % 2]}]}) + "\n")
PY

# 1. the versions of one process
run_timed postmortem --json one.jsonl
[ "$RC" -lt 3 ] || fail "postmortem could not read it: $ERR"
BASE=$MS
run_timed postmortem --json --pid 2 one.jsonl
[ "$RC" -lt 3 ] || fail "postmortem --pid could not read it: $ERR"
expect_linear "$MS" "$BASE" "--pid of a process with 200,000 versions"
# the key's version, and one for each change
expect_jq '.facts.holders[0].versions | length' 200001
expect_jq '.facts.holders[0].versions[-1].state' S

# 2. the last sample, 200,000 s after the only key
run_timed postmortem --json --at -0s one.jsonl
[ "$RC" -lt 3 ] || fail "postmortem --at could not read it: $ERR"
expect_jq '.facts.processes | length' 1001
expect_jq '[.facts.processes[] | select(.pid == 2)][0] | [.ppid, .comm, .state] | @csv' '1,"postgres","S"'
echo "ok: hostile recording shapes"
