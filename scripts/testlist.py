#!/usr/bin/env python3
"""Resolve the test list for the guest.

Usage: testlist.py LISTFILE [NAME...]

Prints the lines of LISTFILE (comments and blanks dropped). With NAMEs,
prints only the entries whose program is one of them, in the order given;
a NAME that is not in the list is run as-is with no arguments, so any
built selftest can be picked by name.
"""
import sys


def entries(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.split("#", 1)[0].strip()
            if line:
                out.append(line)
    return out


def program(line):
    words = [w for w in line.split() if not w.startswith("timeout=")]
    return words[0] if words else ""


def select(lines, names):
    if not names:
        return lines
    picked = []
    for name in names:
        hits = [l for l in lines if program(l) == name]
        picked.extend(hits or [name])
    return picked


def main(argv):
    lines = entries(argv[1])
    for line in select(lines, argv[2:]):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
