#!/bin/bash
# One enormous sample in a recording: a key of 100,000 processes drawn as
# a tree (postmortem --at --tree looked through every process for the
# children of each: 26 s), and a key of 400,000 processes (49 MB) behind
# the summary (every process checked against every alive one, and the line
# parsed whole into json-c's objects: 44 s and 1 GB). Both now cost what an
# input of the same size in small samples costs, and the summary holds one
# process of the line in json-c at a time.
. "$(dirname "$0")/lib.sh"
need_cmd jq python3 timeout
set -e
cd "$TMP"

T=1795416001
# rec FILE SAMPLES PROCS SHAPE: a recording of SAMPLES keys of PROCS
# processes each (the same processes in every key), parents drawn at
# random (tree) or all PID 1 (flat)
rec() {
	python3 - "$@" <<'PY'
import json, random, sys
path, samples, n, shape = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
random.seed(1)
d = lambda o: json.dumps(o, separators=(",", ":"))
procs = []
for i in range(n):
    pid = i + 1
    ppid = 0 if pid == 1 else random.randint(1, pid - 1) if shape == "tree" else 1
    procs.append({"pid": pid, "start": 100 + i, "ppid": ppid, "uid": 101, "user": "postgres",
                  "state": "S", "comm": "postgres", "args": ["postgres: idle"]})
with open(path, "w") as f:
    f.write(d({"k": "header", "dbpod_recording": 1, "dbpod": "0.1.0", "hostname": "pg-0",
               "boot_time": 1795412487, "clock_ticks": 100, "pid_ns": 4026532801,
               "interval": 1.0, "started": 1795416000.5, "file_index": 0}) + "\n")
    for s in range(samples):
        f.write(d({"k": "key", "t": 1795416001.0 + s, "seq": s + 1, "procs": procs}) + "\n")
PY
}

# 1. --at --tree over 100,000 processes, against the same sample as a list
rec tree.jsonl 1 100000 tree
run_timed postmortem --at "$T" tree.jsonl
[ "$RC" -lt 3 ] || fail "postmortem could not read it: $ERR"
BASE=$MS
run_timed postmortem --at "$T" --tree tree.jsonl
[ "$RC" -lt 3 ] || fail "postmortem could not read it: $ERR"
# the same rows, only drawn as a tree: little more than the list costs
expect_linear "$MS" "$BASE" "--at --tree of 100,000 processes" 3
# every process once, each under its parent, children in PID order
printf '%s\n' "$OUT" >tree.txt
python3 - <<'PY' || fail "the tree is wrong"
import re, sys
rows = [l for l in open("tree.txt") if re.match(r"^ +\d+ +\d+ ", l)]
got = [(int(l.split()[0]), int(l.split()[1]), l.find("\\_")) for l in rows]
kids = {}
for pid, ppid, _ in sorted(got):
    kids.setdefault(ppid, []).append(pid)
want, stack = [], [(1, 0)]
while stack:
    pid, depth = stack.pop()
    want.append((pid, depth))
    stack.extend((k, depth + 1) for k in reversed(kids.get(pid, [])))
if [p for p, _, _ in got] != [p for p, _ in want]:
    sys.exit("not in tree order")
for (pid, _, col), (_, depth) in zip(got, want):
    if (col < 0) != (depth == 0) or (depth and col != 39 + 2 * depth):
        sys.exit("PID %d not indented for depth %d" % (pid, depth))
PY

# 2. the summary of one key of 400,000 processes (49 MB), against 400
# keys of 1,000 (the same size)
rec big.jsonl 1 400000 flat
rec small.jsonl 400 1000 flat
run_timed postmortem --json small.jsonl
[ "$RC" -lt 3 ] || fail "postmortem could not read it: $ERR"
BASE=$MS
run_timed postmortem --json big.jsonl
[ "$RC" -lt 3 ] || fail "postmortem could not read it: $ERR"
expect_linear "$MS" "$BASE" "a summary of one 400,000-process key"
expect_jq '.facts.processes_seen' 400000
KB=$(peak_kb postmortem big.jsonl)
SIZE=$(( $(stat -c %s big.jsonl) / 1024 ))
[ -z "$KB" ] || [ "$KB" -lt $(( 6 * SIZE )) ] || fail "the summary took $KB KB for a $SIZE KB sample"
note "one 400,000-process key: ${KB:-?} KB at the peak, for $SIZE KB of it"
echo "ok: hostile sample"
