#!/usr/bin/env python3
"""The command lines a user may copy from the documentation, for
scenario 014: every line that runs dbpod in the EXAMPLES section of
man/*.1, in an example block (.EX/.nf) elsewhere in a page, a whole
command line set in bold in a page's text (one that begins with kubectl,
docker, podman, helm, exec or sh -c), and in an indented block of the
README.

examples.py TOP prints one line a command:
    FILE <TAB> LINE <TAB> COMMAND
COMMAND unroffed, a shell prompt "$ " and a YAML key ("- run: ",
"script: ", "command_line ") before it taken off, a line that ends in a
backslash or a pipe joined with the next. Output lines of an example
(which do not begin with "$ " in a block that has prompts) are not
commands, but a block's lines before its first prompt are.
"""
import glob
import os
import re
import sys

TOP = sys.argv[1]


def unroff(line):
    line = re.sub(r"\\f[BIRP]", "", line)
    for a, b in (("\\-", "-"), ("\\(aq", "'"), ("\\(dq", '"'), ("\\(mu", "x"),
                 ("\\(ga", "`"), ("\\e", "\\"), ("\\&", "")):
        line = line.replace(a, b)
    return line


# dbpod (a path, or an image dbpod:TAG) followed by an option or a command
RUNS = re.compile(r"(^|[\s/'])dbpod(:[\w.]+)?\s+(-|(doctor|pid1check|signals|oomscore|"
                  r"overcommit|lockfile|snapshot|postmortem|imagecheck|lint|help)\b)")
# a command line in the text, not a mention of a command or an option
INLINE = re.compile(r"(kubectl|docker|podman|helm|exec|sh -c) ")
LEAD = re.compile(r"^(\$ |- run: |- |script: |\s*command_line\s+)")


def commands(block):
    """(line number, command) of each dbpod command line of a block of
    (line number, text)"""
    prompted = False
    i = 0
    while i < len(block):
        n, line = block[i]
        i += 1
        # after a prompt, a line without one is the output
        prompted = prompted or line.startswith("$ ")
        if prompted and not line.startswith("$ "):
            continue
        cmd = LEAD.sub("", line.strip())
        while (cmd.endswith("\\") or cmd.endswith("|")) and i < len(block):
            cmd = (cmd[:-1].rstrip() + " " if cmd.endswith("\\") else cmd + " ") + block[i][1].strip()
            i += 1
        if RUNS.search(cmd) and not cmd.startswith(("#", "name:")):
            yield n, " ".join(cmd.split())


def man(path):
    rel = os.path.relpath(path, TOP)
    block, inside = [], False
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            raw = raw.rstrip("\n")
            if raw.startswith((".EX", ".nf")):
                block, inside = [], True
            elif raw.startswith((".EE", ".fi")) and inside:
                inside = False
                for ln, cmd in commands(block):
                    print("%s\t%d\t%s" % (rel, ln, cmd))
            elif inside and not raw.startswith("."):
                block.append((n, unroff(raw)))
            elif not inside and raw.startswith(".B"):
                # a whole command line set in bold in the text
                for q in re.findall(r'"([^"]*)"', unroff(raw)):
                    if INLINE.match(q) and RUNS.search(q):
                        print("%s\t%d\t%s" % (rel, n, " ".join(q.split())))


def readme(path):
    block = []
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines() + [""]
    for n, raw in enumerate(lines, 1):
        if raw.startswith("    "):
            block.append((n, raw.strip()))
        elif block:
            for ln, cmd in commands(block):
                print("README\t%d\t%s" % (ln, cmd))
            block = []


for p in sorted(glob.glob(os.path.join(TOP, "man", "*.1"))):
    man(p)
readme(os.path.join(TOP, "README"))
