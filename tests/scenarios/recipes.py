#!/usr/bin/env python3
"""The recipes of the documentation that start a long-running dbpod --
`snapshot -o`, `snapshot` without -n, `doctor --every` -- and where each
runs, for scenario 612.

recipes.py TOP TMP prints one line a recipe:
    SHAPE <TAB> FILE <TAB> RECIPE <TAB> ARGS
where ARGS are dbpod's arguments joined by \\x1f, its output file moved
under TMP/out and --every made 1. SHAPE says the place, from the recipe
itself:
    exec     kubectl/docker/podman exec starts dbpod: its parent is the
             runtime, outside the container
    exec-shell  `exec dbpod ...` from the shell such an exec started
    sidecar  a pod that shares its PID namespace under pause
             (shareProcessNamespace: true), or docker/podman --pid=container:
             of a container that runs pause or an init
    node     doctor --every or snapshot --all-containers on the node
             (hostPID: true, or a node's shell)
A recipe that fits none -- dbpod in the background (&), a bare `dbpod
snapshot` with no place, --pid=container: of the database's own
container -- is an error, said on stderr, and the exit status is 1.

Read from man/*.1 (.EX/.EE and .nf/.fi blocks, and commands in bold that
begin with kubectl/docker/podman exec or run, or exec dbpod), README
(indented blocks) and deploy/*.yaml (pod specs).
"""
import glob
import os
import re
import shlex
import sys

import yaml

TOP, TMP = sys.argv[1], sys.argv[2]
errors = []
out = []


def unroff(line):
    for a, b in (("\\-", "-"), ("\\(aq", "'"), ("\\(dq", '"'), ("\\(mu", "x"),
                 ("\\e", "\\"), ("\\&", "")):
        line = line.replace(a, b)
    return line


def long_running(args):
    """dbpod's arguments start something that runs until stopped"""
    if not args:
        return False
    if args[0] == "snapshot":
        return not any(a in ("-n", "--count") or a.startswith("--count=") for a in args)
    return args[0] == "doctor" and any(a == "--every" or a.startswith("--every=") for a in args)


def moved(args):
    """the output under TMP/out, --every 1"""
    res, i = [], 0
    while i < len(args):
        a = args[i]
        if a in ("-o", "--output", "--every") and i + 1 < len(args):
            v = args[i + 1]
            res += [a, "1" if a == "--every" else
                    os.path.join(TMP, "out", "%d%s" % (len(out), os.path.splitext(v)[1]))]
            i += 2
            continue
        if a.startswith("--output="):
            a = "--output=" + os.path.join(TMP, "out", "%d%s" % (len(out), os.path.splitext(a)[1]))
        elif a.startswith("--every="):
            a = "--every=1"
        res.append(a)
        i += 1
    return res


NO_PLACE = ("it says no place where a database server cannot reap it: say how it runs "
            "(kubectl exec POD -- dbpod ..., a sidecar under pause, the node), and teach "
            "scenario 612")
BACKGROUND = ("in the background of a shell: where PID 1 is the database server, it adopts "
              "dbpod when the shell exits")
JOINS_DB = ("it joins a PID namespace that no pause or init holds: when its PID 1, the "
            "database, exits, the kernel kills the recorder too, without its end line")


def add(shape, where, recipe, args, why=NO_PLACE):
    if shape is None:
        errors.append("%s: %s: %s" % (where, recipe, why))
        return
    out.append("\t".join((shape, where, recipe, "\x1f".join(moved(args)))))


def specs(node):
    """pod specs (dicts with containers) anywhere in a YAML document"""
    if isinstance(node, dict):
        if isinstance(node.get("containers"), list):
            yield node
        for v in node.values():
            yield from specs(v)
    elif isinstance(node, list):
        for v in node:
            yield from specs(v)


def from_yaml(docs, where):
    for doc in docs:
        for spec in specs(doc):
            for c in spec["containers"]:
                args = [str(a) for a in (c.get("command") or [])[1:] + (c.get("args") or [])]
                if not long_running(args):
                    continue
                shape = ("sidecar" if spec.get("shareProcessNamespace") else
                         "node" if spec.get("hostPID") else None)
                add(shape, where, "dbpod " + " ".join(args), args)


def from_line(line, block, where):
    line = re.sub(r"^\$ ", "", line.strip())
    try:
        words = shlex.split(line)
    except ValueError:
        return
    # dbpod's arguments: after the word dbpod (a path), or an image dbpod:TAG
    at = next((i for i, w in enumerate(words)
               if w == "dbpod" or w.endswith("/dbpod") or w.startswith("dbpod:")), None)
    if at is None or not long_running(words[at + 1:]):
        return
    args = words[at + 1:]
    shape, why = None, NO_PLACE
    if line.endswith("&") or "&" in args:
        why = BACKGROUND
    elif re.match(r"(kubectl|docker|podman) exec ", line):
        shape = "exec"
    elif re.match(r"exec dbpod ", line):
        shape = "exec-shell"	# from the shell an exec session started
    elif re.match(r"(docker|podman) run ", line):
        m = re.search(r"--pid=container:(\S+)", line)
        # the container whose namespace it joins runs pause or an init
        holder = m and re.search(r"(docker|podman) run .*--name %s (.*)" % re.escape(m.group(1)),
                                 block)
        if holder and re.search(r"\bpause\b|--init\b", holder.group(0)):
            shape = "sidecar"
        elif m:
            why = JOINS_DB
    elif at == 0 and (args[0] == "doctor" or "--all-containers" in args):
        shape = "node"	# a shell of the node: doctor --every, the node recorder
    add(shape, where, line, [a for a in args if a != "&"], why)


def blocks_of_man(text):
    """example blocks, and each command set in bold in the text that
    names its place (.B "docker run ... dbpod snapshot -o FILE")"""
    block, inside = [], False
    for raw in text.splitlines():
        if raw.startswith((".EX", ".nf")):
            block, inside = [], True
        elif raw.startswith((".EE", ".fi")) and inside:
            inside = False
            yield "\n".join(block)
        elif inside and not raw.startswith("."):
            block.append(unroff(raw))
        elif not inside and raw.startswith(".B"):
            for q in re.findall(r'"([^"]*)"', unroff(raw)):
                if re.match(r"((kubectl|docker|podman) (exec|run)|exec dbpod) ", q):
                    yield q


def blocks_of_readme(text):
    block = []
    for raw in text.splitlines() + [""]:
        if raw.startswith("    "):
            block.append(raw)
        elif block:
            yield "\n".join(block)
            block = []


def joined(block):
    """lines ending in a backslash joined with the next"""
    return re.sub(r"\\\n\s*", " ", block).splitlines()


def read_block(block, where):
    if re.search(r"^\s*(spec|containers):", block, re.M):
        try:
            from_yaml([yaml.safe_load(block)], where)
            return
        except yaml.YAMLError:
            pass
    for line in joined(block):
        from_line(line, block, where)


for path in sorted(glob.glob(os.path.join(TOP, "man", "*.1"))):
    with open(path, encoding="utf-8") as f:
        for b in blocks_of_man(f.read()):
            read_block(b, os.path.relpath(path, TOP))
with open(os.path.join(TOP, "README"), encoding="utf-8") as f:
    for b in blocks_of_readme(f.read()):
        read_block(b, "README")
for path in sorted(glob.glob(os.path.join(TOP, "deploy", "*.yaml"))):
    with open(path, encoding="utf-8") as f:
        from_yaml(yaml.safe_load_all(f), os.path.relpath(path, TOP))

for e in errors:
    print(e, file=sys.stderr)
print("\n".join(out))
sys.exit(1 if errors else 0)
