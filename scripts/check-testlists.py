#!/usr/bin/env python3
"""Every KVM selftest the series tree builds for an arch is accounted for:
in testlists/<arch> (run by default), in testlists/known-failures, or on a
"# left out: <test> <reason>" line of testlists/<arch>. No test is both run
and listed as failing, and every exclusion has a reason.

Usage: check-testlists.py SELFTESTS_MAKEFILE ARCH...
"""
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import testlist  # noqa: E402

MAKE_ARCH = {"x86_64": "x86", "arm64": "arm64"}
LEFT_OUT = re.compile(r"^#\s*left out:\s*(\S+)\s+(\S.*)$")


def _programs(makefile, name):
    """The programs Makefile.kvm's list NAME holds, in its order, with
    $(TEST_GEN_PROGS_COMMON) and other such references expanded."""
    lists = {}
    pat = re.compile(r"^(TEST_GEN_PROGS_\w+)\s*\+?=\s*(\S+)")
    for line in Path(makefile).read_text().splitlines():
        m = pat.match(line)
        if m:
            lists.setdefault(m.group(1), []).append(m.group(2))

    def expand(name, seen=()):
        out = []
        for word in lists.get(name, []):
            ref = re.fullmatch(r"\$\((\w+)\)", word)
            if ref and ref.group(1) not in seen:
                out += expand(ref.group(1), seen + (name,))
            elif not ref:
                out.append(word.rsplit("/", 1)[-1])
        return out

    return list(dict.fromkeys(expand(name)))


def built_in_order(makefile, arch):
    """The programs Makefile.kvm builds for ARCH by default, in its order:
    the TEST_GEN_PROGS_<arch> lines, with $(TEST_GEN_PROGS_COMMON) expanded."""
    return _programs(makefile, f"TEST_GEN_PROGS_{MAKE_ARCH[arch]}")


def built(makefile, arch):
    """Those plus the programs built but not run by default
    (TEST_GEN_PROGS_EXTENDED_<arch>, e.g. tests that take a CPU offline),
    which a list may name explicitly."""
    return (set(built_in_order(makefile, arch)) |
            set(_programs(makefile, f"TEST_GEN_PROGS_EXTENDED_{MAKE_ARCH[arch]}")))


def accounted(arch):
    listed = {testlist.program(l) for l in testlist.entries(f"testlists/{arch}")}
    left = {}
    for line in Path(f"testlists/{arch}").read_text().splitlines():
        m = LEFT_OUT.match(line.strip())
        if m:
            left[m.group(1)] = m.group(2)
    known = {}
    for line in Path("testlists/known-failures").read_text().splitlines():
        parts = line.split(None, 2)
        if line.startswith("#") or len(parts) < 2:
            continue
        if parts[0] == arch:
            known[parts[1]] = parts[2] if len(parts) > 2 else ""
    return listed, left, known


def check(makefile, arch):
    errors = []
    progs = built(makefile, arch)
    listed, left, known = accounted(arch)
    for name, why in {**left, **known}.items():
        if not why.strip():
            errors.append(f"{arch}: {name} is excluded without a reason")
    for name in sorted(listed & (set(left) | set(known))):
        errors.append(f"{arch}: {name} is both in the default list and excluded")
    for name in sorted(progs - listed - set(left) - set(known)):
        errors.append(f"{arch}: {name} is built but neither listed nor excluded")
    rig_tests = {p for p in listed if Path("guest/rootfs/rig", p).exists()}
    for name in sorted(listed - progs - rig_tests):
        errors.append(f"{arch}: {name} is listed but not built by the selftests Makefile")
    return errors


def main(argv):
    errors = [e for arch in argv[2:] for e in check(argv[1], arch)]
    for e in errors:
        print("ERROR: " + e, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
