#!/usr/bin/env python3
"""The full upstream KVM selftest suite for an arch, as a test list.

Usage: full-list.py SELFTESTS_MAKEFILE ARCH [TIMEOUT]

Every program Makefile.kvm builds for ARCH by default, in Makefile order.
A test that testlists/<arch> or testlists/known-failures gives arguments
keeps them (the calibrated sizes), and so does a test that a
"# full-suite: <line>" comment of testlists/<arch> gives (sizes for tests
the default list leaves out); every other test runs as upstream ships it,
with a per-test timeout of TIMEOUT seconds (default 240) unless the list
sets one. 'make full-suite' runs this list on the unpatched base.
"""
import importlib.util
import sys
from pathlib import Path

here = Path(__file__).resolve().parent
sys.path.insert(0, str(here))
import testlist  # noqa: E402

spec = importlib.util.spec_from_file_location("ct", here / "check-testlists.py")
ct = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ct)


def main(argv):
    makefile, arch = argv[1], argv[2]
    timeout = int(argv[3]) if len(argv) > 3 else 240
    calibrated = {}
    for line in testlist.entries(f"testlists/{arch}"):
        calibrated.setdefault(testlist.program(line), line)
    for raw in Path(f"testlists/{arch}").read_text().splitlines():
        if raw.startswith("# full-suite:"):
            line = raw.split(":", 1)[1].strip()
            calibrated.setdefault(testlist.program(line), line)
    for prog in ct.built_in_order(makefile, arch):
        line = calibrated.get(prog, prog)
        if "timeout=" not in line:
            line = f"timeout={timeout} {line}"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
