#!/usr/bin/env python3
"""Fail loudly when an option requested by a fragment is not in .config.

Usage: kconfig_check.py DOTCONFIG FRAGMENT...

Fragments are merged in order, as merge_config.sh does: a later fragment's
request for an option replaces an earlier one's (the bench profile turns
the debug options off this way).
"""
import re
import sys

SET = re.compile(r"^(CONFIG_\w+)=(.*)$")
UNSET = re.compile(r"^# (CONFIG_\w+) is not set$")


def parse(path, fragment):
    values = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            m = SET.match(line)
            if m:
                values[m.group(1)] = m.group(2)
            elif fragment or UNSET.match(line):
                m = UNSET.match(line)
                if m:
                    values[m.group(1)] = "n"
    return values


def main(argv):
    final = parse(argv[1], False)
    wanted = {}
    for frag in argv[2:]:
        for opt, want in parse(frag, True).items():
            wanted[opt] = (frag, want)
    bad = []
    for opt, (frag, want) in wanted.items():
        got = final.get(opt, "n")
        if got != want:
            bad.append(f"{frag}: {opt}={want} requested, .config has {opt}={got}")
    if bad:
        print("ERROR: requested config options did not land:", file=sys.stderr)
        for b in bad:
            print("  " + b, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
