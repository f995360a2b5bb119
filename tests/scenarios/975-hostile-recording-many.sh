#!/bin/bash
# A recording of many short-lived processes: ten new ones at every sample
# of 20,000, each ending at the next (200,000 processes). The timeline
# looked up each event's parent through every process of the recording
# (dbp_recording_find): time quadratic in the processes, 13 s for 80,000
# and half an hour for a day of ten a second. Now it looks a PID up in
# an index and costs what the summary, which reads the same lines, costs.
# The same with process accounting, an exit line for each: each exit was
# looked for through every exit (and every event), and the exits near
# each birth through all of them too: quadratic again (40,000: 6 s).
. "$(dirname "$0")/lib.sh"
need_cmd jq python3 timeout
set -e
cd "$TMP"

python3 - <<'PY'
import json
d = lambda o: json.dumps(o, separators=(",", ":"))
P = lambda pid, start, ppid, comm: {"pid": pid, "start": start, "ppid": ppid, "uid": 0,
                                    "user": "root", "state": "S", "comm": comm, "args": [comm]}
with open("many.jsonl", "w") as f:
    f.write(d({"k": "header", "dbpod_recording": 1, "dbpod": "0.2.0", "hostname": "pg-0",
               "boot_time": 1795412487, "clock_ticks": 100, "pid_ns": 4026532801,
               "interval": 1.0, "started": 1795416000.5, "file_index": 0, "keyframe": 300}) + "\n")
    prev = []
    for s in range(20000):
        # sample s: PIDs 2.. (mod 30,000, reused), starts 1000 + 10 s + j
        cur = [(2 + (s * 10 + j) % 30000, 1000 + s * 10 + j) for j in range(10)]
        if s % 300 == 0:
            f.write(d({"k": "key", "t": 1795416001.0 + s, "seq": s + 1,
                       "procs": [P(1, 100, 0, "init")] + [P(p, st, 1, "sh") for p, st in cur]}) + "\n")
        else:
            f.write(d({"k": "delta", "t": 1795416001.0 + s, "seq": s + 1,
                       "new": [P(p, st, 1, "sh") for p, st in cur],
                       "gone": [[p, st] for p, st in prev], "changed": []}) + "\n")
        prev = cur
PY

# timeline_linear FILE WHAT: the timeline of FILE against its summary,
# which reads the same lines in time linear in them; OUT the timeline's
timeline_linear() {
	run_timed postmortem --json "$1"
	[ "$RC" -lt 3 ] || fail "postmortem could not read $1: $ERR"
	expect_jq '.facts.processes_seen' 200001
	BASE=$MS
	run_timed postmortem --json --timeline "$1"
	[ "$RC" -lt 3 ] || fail "postmortem --timeline could not read $1: $ERR"
	expect_linear "$MS" "$BASE" "$2"
}

timeline_linear many.jsonl "--timeline of 200,000 processes"
# every sample after the first: ten born, children of PID 1 (init), and
# the ten of the sample before exited
expect_jq '[.facts.events[] | select(.kind == "born")] | length' 199990
expect_jq '[.facts.events[] | select(.kind == "exited")] | length' 199990
# (the generator writes each process's user and no signal masks: the user is named)
expect_jq '[.facts.events[] | select(.kind == "born" and .pid == 12 and .start_ticks == 1010)][0].text' \
	'PID 12 sh, parent 1 init, user root: sh'

# 2. with accounting: each sample's ten started half a second before it
# (start ticks 351350 + 100 s: boot_clock + 3513.5 s + s is T0 + s - 0.5),
# ended half a second after it; the exit line at the next sample, its
# start the whole second (ac_btime, T0 + s - 1) and its end that plus the
# elapsed time the kernel counts (1.00 s)
python3 - <<'PY'
import json
d = lambda o: json.dumps(o, separators=(",", ":"))
T0 = 1795416001.0
P = lambda pid, start, ppid, comm: {"pid": pid, "start": start, "ppid": ppid, "uid": 0,
                                    "user": "root", "state": "S", "comm": comm, "args": [comm]}
with open("acct.jsonl", "w") as f:
    f.write(d({"k": "header", "dbpod_recording": 1, "dbpod": "0.2.0", "hostname": "pg-0",
               "boot_time": 1795412487, "boot_clock": 1795412487.0, "clock_ticks": 100,
               "pid_ns": 4026532801, "interval": 1.0, "started": 1795416000.5,
               "file_index": 0, "keyframe": 300, "acct": True}) + "\n")
    prev = []
    for s in range(20000):
        cur = [(2 + (s * 10 + j) % 30000, 351350 + s * 100) for j in range(10)]
        for p, st in prev:
            f.write(d({"k": "exit", "t": T0 + s, "pid": p, "ppid": 1, "uid": 0, "gid": 0,
                       "comm": "sh", "start": T0 + s - 2, "end": T0 + s - 1, "exit": 0,
                       "signal": None, "core": False}) + "\n")
        if s % 300 == 0:
            f.write(d({"k": "key", "t": T0 + s, "seq": s + 1,
                       "procs": [P(1, 100, 0, "init")] + [P(p, st, 1, "sh") for p, st in cur]}) + "\n")
        else:
            f.write(d({"k": "delta", "t": T0 + s, "seq": s + 1,
                       "new": [P(p, st, 1, "sh") for p, st in cur],
                       "gone": [[p, st] for p, st in prev], "changed": []}) + "\n")
        prev = cur
PY
timeline_linear acct.jsonl "--timeline of 200,000 processes and their exits"
expect_jq '[.facts.events[] | select(.kind == "born")] | length' 199990
expect_jq '[.facts.events[] | select(.kind == "exited")] | length' 199990
# PID 12, the first of sample 1: T0 + 0.5 to T0 + 1.5, exact
expect_jq '[.facts.events[] | select(.pid == 12 and .start_ticks == 351450) | [.kind, .t, .exact] | @csv] | join(" ")' \
	'"born",1795416001.5,true "exited",1795416002.5,true'
expect_jq '[.facts.events[] | select(.kind == "exited" and .pid == 12 and .start_ticks == 351450)][0].text' \
	'PID 12 sh, user root, parent 1 init (last seen 06:40:02), exit code 0 after 1.00 s: sh'

# 3. the spool of a recorder killed with its last 16,000 exits not yet
# written (ps.jsonl* takes it): each of its records was looked for among
# every exit line (200,000 here), 3.2 billion comparisons, to leave out
# those the recording holds. None of these is one (PIDs 50000 on, never
# sampled), so all 16,000 join the 199,990 of the exit lines.
python3 - <<'PY'
import struct
with open("acct.jsonl.acct", "wb") as f:
    for i in range(16000):
        # struct acct_v3: flag, version 3, tty, exitcode, uid, gid, pid,
        # ppid, btime, etime, eight comp_t, comm
        f.write(struct.pack("<BBHIIIIIIf8H16s", 0, 3, 0, 0, 0, 0, 50000 + i, 1,
                            1795426001, 0.5, *([0] * 8), b"sh"))
PY
run_timed postmortem --json acct.jsonl
BASE=$MS
run_timed postmortem --json acct.jsonl acct.jsonl.acct
[ "$RC" -lt 3 ] || fail "postmortem could not read it with its spool: $ERR"
expect_linear "$MS" "$BASE" "the summary with a spool of 16,000 exits" 1
expect_jq '.facts.acct_spools[0].exits' 16000
echo "ok: many short-lived processes"
